import * as assert from "assert";
import { loadConfig } from "../infra/config/load";
import { KEY_ADMIN_ACTIONS, KeyPolicyContext, PolicyDocument, dataKeyPolicy, execSessionKeyPolicy, logsKeyPolicy, storageKeyPolicy } from "../infra/security/key-policies";
import { KEY_USE_ACTIONS, KMS_ACTIONS, USE_GRANTING_ACTIONS, expandKmsActions } from "../infra/security/kms-actions";
import { Keys } from "../infra/security/keys";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mock-outputs";
import { runUnderMocks } from "./harness";
import { EXEC_KEY_DIRECT_USE, Statement, administrativeUse } from "./kms-policy-check";

const ctx: KeyPolicyContext = { accountId: "111122223333", partition: "aws", region: "eu-west-1", dnsSuffix: "amazonaws.com" };
const ROOT = "arn:aws:iam::111122223333:root";
const admin = (Action: unknown, extra: Statement = {}) => ({ Statement: [{ Sid: "Admin", Effect: "Allow", Principal: { AWS: ROOT }, Action, Resource: "*", ...extra }] });

describe("KMS action list and wildcard expansion", () => {
    it("expands IAM patterns case-insensitively, with * and ?", () => {
        assert.deepStrictEqual(expandKmsActions("kms:Create*"), ["kms:CreateAlias", "kms:CreateCustomKeyStore", "kms:CreateGrant", "kms:CreateKey"]);
        assert.deepStrictEqual(expandKmsActions("KMS:re*"), ["kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:ReplicateKey", "kms:RetireGrant", "kms:RevokeGrant"]);
        assert.deepStrictEqual(expandKmsActions("kms:Sig?"), ["kms:Sign"]);
        assert.strictEqual(expandKmsActions("kms:*").length, KMS_ACTIONS.length);
        assert.strictEqual(expandKmsActions("*").length, KMS_ACTIONS.length);
        assert.deepStrictEqual(expandKmsActions("s3:*"), []);
    });

    it("knows every action it classifies, each once", () => {
        assert.strictEqual(new Set(KMS_ACTIONS).size, KMS_ACTIONS.length);
        for (const a of [...KEY_USE_ACTIONS, ...USE_GRANTING_ACTIONS, ...KEY_ADMIN_ACTIONS]) assert.ok(KMS_ACTIONS.includes(a), a);
    });
});

describe("administrative use check", () => {
    it("catches each wildcard of the old administration statement that reaches use", () => {
        assert.deepStrictEqual(administrativeUse(admin(["kms:Create*", "kms:Describe*", "kms:Put*"]), "111122223333"), ["Admin: kms:CreateGrant"]);
        assert.deepStrictEqual(administrativeUse(admin("kms:Get*"), "111122223333"), ["Admin: kms:GetPublicKey"]);
        assert.deepStrictEqual(administrativeUse(admin("kms:Re*"), "111122223333"), ["Admin: kms:ReEncryptFrom", "Admin: kms:ReEncryptTo", "Admin: kms:ReplicateKey"]);
        assert.strictEqual(administrativeUse(admin("kms:*"), "111122223333").length, KEY_USE_ACTIONS.length + USE_GRANTING_ACTIONS.length);
    });

    it("counts NotAction as everything else, and IAM principals of the account besides its root", () => {
        assert.ok(administrativeUse(admin(undefined, { NotAction: "kms:Decrypt" }), "111122223333").includes("Admin: kms:Encrypt"));
        const role = { Statement: [{ Sid: "Role", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::111122223333:role/ops"] }, Action: "kms:Decrypt", Resource: "*" }] };
        assert.deepStrictEqual(administrativeUse(role, "111122223333"), ["Role: kms:Decrypt"]);
        const open = { Statement: [{ Sid: "Open", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }] };
        assert.deepStrictEqual(administrativeUse(open, "111122223333"), ["Open: kms:Decrypt"]);
    });

    it("allows a grant to the account only for AWS resources (kms:GrantIsForAWSResource)", () => {
        assert.deepStrictEqual(administrativeUse(admin("kms:CreateGrant", { Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } } }), "111122223333"), []);
        assert.deepStrictEqual(administrativeUse(admin("kms:CreateGrant", { Condition: { Bool: { "kms:GrantIsForAWSResource": "false" } } }), "111122223333"), ["Admin: kms:CreateGrant"]);
    });

    it("leaves the services' own statements alone: they are how the key is used", () => {
        const services = dataKeyPolicy(ctx).Statement.filter((s) => s.Sid !== "EnableKeyAdministrationByIam");
        assert.deepStrictEqual(administrativeUse({ Statement: services }, "111122223333"), []);
    });
});

describe("key policies: IAM administers, never uses", () => {
    // What the check may find in each policy: nothing, but for the exec session key's documented direct use.
    const policies: [string, (c: KeyPolicyContext) => PolicyDocument, string[]][] = [
        ["data", dataKeyPolicy, []],
        ["logs", logsKeyPolicy, []],
        ["storage", (c) => storageKeyPolicy(c), []],
        ["storage with CloudFront", (c) => storageKeyPolicy(c, { distributionArn: `arn:aws:cloudfront::${c.accountId}:distribution/E2EXAMPLE123`, assetsBucketArn: "arn:aws:s3:::a" }), []],
        ["exec sessions", execSessionKeyPolicy, EXEC_KEY_DIRECT_USE],
    ];
    const adminStatement = (doc: PolicyDocument) => doc.Statement.filter((s) => s.Sid === "EnableKeyAdministrationByIam");

    for (const [name, policy, exception] of policies) {
        it(`${name}: no administrative statement allows use or a way to obtain it${exception.length ? ", beyond the exec key's direct use" : ""}`, () => {
            assert.deepStrictEqual(administrativeUse(policy(ctx), ctx.accountId), exception);
            assert.deepStrictEqual(administrativeUse({ Statement: adminStatement(policy(ctx)) }, ctx.accountId), []);
        });
    }

    it("the exception is the exec key's own use statement, exactly Decrypt and GenerateDataKey, not the administration", () => {
        const use = execSessionKeyPolicy(ctx).Statement.filter((s) => s.Sid !== "EnableKeyAdministrationByIam");
        assert.deepStrictEqual(use.map((s) => [s.Sid, s.Action]), [["AllowDirectEcsExecSessionUseThroughIam", ["kms:Decrypt", "kms:GenerateDataKey"]]]);
        assert.deepStrictEqual(administrativeUse({ Statement: use }, ctx.accountId), EXEC_KEY_DIRECT_USE);
    });

    it("administration is the named list only, with kms:PutKeyPolicy (lockout) and no wildcard", () => {
        for (const [, policy] of policies) {
            const rootStatement = adminStatement(policy(ctx));
            assert.strictEqual(rootStatement.length, 1);
            assert.deepStrictEqual(rootStatement[0].Action, [...KEY_ADMIN_ACTIONS]);
        }
        assert.ok(KEY_ADMIN_ACTIONS.includes("kms:PutKeyPolicy"));
        assert.deepStrictEqual(KEY_ADMIN_ACTIONS.filter((a) => /[*?]/.test(a)), []);
    });

    for (const [stack, cloudFront, execSessions] of [["prod", false, true], ["staging", true, true], ["prod", false, false]] as const) {
        it(`holds for the policies the Keys component registers (${stack}, CloudFront ${cloudFront ? "on" : "off"}, exec session key ${execSessions ? "on" : "off"})`, async () => {
            const run = await runUnderMocks(() => {
                const c = loadConfig();
                const cloudFrontDistributionArn = cloudFront ? `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:distribution/E2EXAMPLE123` : undefined;
                return new Keys("keys", { kms: c.kms, namePrefix: `pos-${stack}`, protect: c.protectStatefulResources, cloudFrontDistributionArn, execSessions });
            }, stack);
            const keys = run.ofType("aws:kms/key:Key");
            assert.deepStrictEqual(keys.map((k) => k.name).sort(), ["keys-data", ...(execSessions ? ["keys-exec"] : []), "keys-logs", "keys-storage"]);
            for (const k of keys) {
                const doc = JSON.parse(k.inputs.policy);
                assert.deepStrictEqual(administrativeUse(doc, MOCK_ACCOUNT_ID), k.name === "keys-exec" ? EXEC_KEY_DIRECT_USE : [], k.name);
                assert.deepStrictEqual(administrativeUse({ Statement: adminStatement(doc) }, MOCK_ACCOUNT_ID), [], k.name);
            }
        });
    }
});
