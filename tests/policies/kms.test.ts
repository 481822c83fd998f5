import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { kmsKeyPolicy, kmsKeyRotation } from "../../policies/security/kms";
import { UNKNOWN, UNKNOWN_BOOL, messages, res, run } from "./helpers";

const keyPolicy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }],
});
const goodKey = { enableKeyRotation: true, deletionWindowInDays: 30, policy: keyPolicy };

describe("policies: kms", () => {
    describe("kms-key-rotation", () => {
        it("passes a rotating key", async () => {
            assert.deepStrictEqual(await run(kmsKeyRotation, res(aws.kms.Key, goodKey)), []);
        });
        it("rejects a key without rotation, as mandatory", async () => {
            const diags = await run(kmsKeyRotation, res(aws.kms.Key, { ...goodKey, enableKeyRotation: false }));
            assert.deepStrictEqual(messages(diags), ["KMS key must rotate automatically: enableKeyRotation is false, expected true."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("says so instead of passing when rotation is unknown during preview", async () => {
            const diags = await run(kmsKeyRotation, res(aws.kms.Key, { ...goodKey, enableKeyRotation: UNKNOWN_BOOL }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that key rotation is on: enableKeyRotation is \(unknown until apply\)/);
            assert.strictEqual(diags[0].cantRunDuringPreview, undefined);
        });
        it("ignores asymmetric keys, which cannot rotate", async () => {
            assert.deepStrictEqual(await run(kmsKeyRotation, res(aws.kms.Key, { customerMasterKeySpec: "RSA_2048" })), []);
        });
        it("reports an exempted key as advisory with its reason", async () => {
            const diags = await run(kmsKeyRotation, res(aws.kms.Key, { enableKeyRotation: false }, { name: "legacy" }), {
                exemptions: [{ resource: "legacy", reason: "imported key, rotation handled by HSM" }],
            });
            assert.deepStrictEqual(messages(diags), ["Exempted (imported key, rotation handled by HSM): KMS key must rotate automatically: enableKeyRotation is false, expected true."]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("kms-key-policy", () => {
        it("passes an explicit policy and a 30-day window", async () => {
            assert.deepStrictEqual(await run(kmsKeyPolicy, res(aws.kms.Key, goodKey)), []);
        });
        it("rejects a missing policy and a short window", async () => {
            const diags = await run(kmsKeyPolicy, res(aws.kms.Key, { deletionWindowInDays: 7 }));
            assert.deepStrictEqual(messages(diags), [
                "KMS key must have an explicit key policy: policy is unset, so AWS applies its default policy.",
                "KMS key deletion window must be at least 30 days: deletionWindowInDays is 7.",
            ]);
        });
        it("rejects a wildcard principal", async () => {
            const policy = JSON.stringify({ Statement: [{ Sid: "Open", Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" }] });
            assert.deepStrictEqual(messages(await run(kmsKeyPolicy, res(aws.kms.Key, { ...goodKey, policy }))), [
                'KMS key policy must not allow the "*" principal without a condition: statement "Open" does.',
            ]);
        });
        it("names an unnamed wildcard statement by its position", async () => {
            const policy = JSON.stringify({ Statement: [JSON.parse(keyPolicy).Statement[0], { Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }] });
            assert.deepStrictEqual(messages(await run(kmsKeyPolicy, res(aws.kms.Key, { ...goodKey, policy }))), [
                'KMS key policy must not allow the "*" principal without a condition: statement 1 does.',
            ]);
        });
        it("honours a configured minimum window", async () => {
            assert.deepStrictEqual(await run(kmsKeyPolicy, res(aws.kms.Key, { ...goodKey, deletionWindowInDays: 10 }), { minimumDeletionWindowDays: 7 }), []);
        });
        it("treats an unknown policy document as set (no default-policy violation), and says its principals cannot be verified yet", async () => {
            const diags = await run(kmsKeyPolicy, res(aws.kms.Key, { ...goodKey, policy: UNKNOWN }));
            assert.deepStrictEqual(diags.map((d) => d.message.split("\n").pop()!.split(":")[0]), ['Cannot verify during preview that the key policy admits no "*" principal without a condition']);
        });
    });
});
