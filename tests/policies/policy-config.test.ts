import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { ALL_POLICIES } from "../../policies/all";
import { kmsKeyPolicy, kmsKeyRotation } from "../../policies/security/kms";
import { PolicyConfigError, evaluate, levelOf, resolvePolicyConfig } from "../../tools/offline/evaluate";
import { policyConfigPath, readPolicyConfig } from "../../tools/offline/stack-check";
import { res } from "./helpers";

function problemsOf(config: Record<string, unknown>): string[] {
    try {
        resolvePolicyConfig(ALL_POLICIES, config);
    } catch (e) {
        assert.ok(e instanceof PolicyConfigError, `expected PolicyConfigError, got ${e}`);
        return e.problems;
    }
    assert.fail("expected the policy config to be rejected");
}

describe("policy pack configuration", () => {
    it("accepts both stacks' policy config files", () => {
        for (const stack of ["prod", "staging"]) resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath(stack)));
    });

    it("makes prod's container, image-tag and topic-encryption guardrails mandatory (advisory by default for other teams' stacks)", () => {
        const prod = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath("prod")));
        const staging = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath("staging")));
        const level = (cfg: typeof prod, name: string) => levelOf(ALL_POLICIES.find((p) => p.name === name)!, cfg);
        // Privileged containers and root users (ecs-container-hardening), mutable image tags, unencrypted alert topics.
        const guardrails = ["ecs-container-hardening", "ecr-immutable-tags", "sns-encryption"];
        assert.deepStrictEqual(guardrails.map((n) => level(prod, n)), ["mandatory", "mandatory", "mandatory"]);
        assert.deepStrictEqual(guardrails.map((n) => level(staging, n)), ["advisory", "advisory", "advisory"]);
    });

    it("makes prod require deletion protection on tables and customer-managed keys on every store that takes one, as it does for databases", () => {
        const prod = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath("prod")));
        const staging = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath("staging")));
        const level = (cfg: typeof prod, name: string) => levelOf(ALL_POLICIES.find((p) => p.name === name)!, cfg);
        assert.deepStrictEqual([level(prod, "dynamodb-deletion-protection"), level(staging, "dynamodb-deletion-protection")], ["mandatory", "advisory"]);
        const keyed = ["rds-storage-encrypted", "elasticache-encryption-at-rest", "dynamodb-customer-managed-key", "kinesis-stream-encryption", "firehose-encryption", "efs-encrypted-at-rest", "cache-store-customer-key", "redshift-encrypted"];
        assert.deepStrictEqual(keyed.filter((n) => prod.properties.get(n)?.requireCustomerKey !== true), []);
        // A week of snapshots on every cache store, serverless and MemoryDB as replication groups.
        const snapshots = ["elasticache-backups-and-upgrades", "elasticache-serverless-snapshots", "memorydb-snapshots"];
        assert.deepStrictEqual(snapshots.map((n) => prod.properties.get(n)?.minimumSnapshotDays), [7, 7, 7]);
        // One name for the setting across the pack: a stack's config reads the same everywhere.
        const others = ALL_POLICIES.filter((p) => Object.keys(p.configSchema?.properties ?? {}).some((k) => /customer.*key/i.test(k) && k !== "requireCustomerKey"));
        assert.deepStrictEqual(others.map((p) => p.name), []);
    });

    it("fills schema defaults in, as the CLI does before a preview", () => {
        const resolved = resolvePolicyConfig(ALL_POLICIES, {});
        assert.deepStrictEqual(resolved.properties.get("kms-key-policy"), { minimumDeletionWindowDays: 30, exemptions: [] });
    });

    describe("rejects bad input with the key, the value and what is allowed", () => {
        const cases: [string, Record<string, unknown>, string][] = [
            ["an unknown policy", { "rds-no-publik-access": "mandatory" }, "rds-no-publik-access is not a policy of this pack: known policies are"],
            ["a bad level", { "kms-key-rotation": "strict" }, 'kms-key-rotation = "strict" is not allowed: expected one of advisory, mandatory, remediate, disabled, or an object'],
            ["a bad level in an object", { "kms-key-rotation": { enforcementLevel: "hard" } }, 'kms-key-rotation.enforcementLevel = "hard" is not allowed: expected one of advisory, mandatory, remediate, disabled'],
            ["a bad `all`", { all: "everything" }, 'all = "everything" is not allowed: expected one of advisory, mandatory, remediate, disabled'],
            ["a threshold of the wrong type", { "kms-key-policy": { minimumDeletionWindowDays: "thirty" } }, 'kms-key-policy.minimumDeletionWindowDays = "thirty" is not allowed: must be integer'],
            ["a threshold out of range", { "kms-key-policy": { minimumDeletionWindowDays: 3 } }, "kms-key-policy.minimumDeletionWindowDays = 3 is not allowed: must be >= 7"],
            ["a misspelt setting", { "kms-key-policy": { minimumDays: 30 } }, "kms-key-policy.minimumDays is not a setting: allowed keys are enforcementLevel, minimumDeletionWindowDays, exemptions"],
            ["a misspelt exemption field", { "kms-key-rotation": { exemptions: [{ resource: "legacy", reason: "HSM", note: "x" }] } }, "kms-key-rotation.exemptions.0.note is not a setting: allowed keys are resource, reason"],
            ["an exemption without a reason", { "kms-key-rotation": { exemptions: [{ resource: "legacy" }] } }, "kms-key-rotation.exemptions.0 = {\"resource\":\"legacy\"} is not allowed: must have required property 'reason'"],
        ];
        for (const [what, config, message] of cases) {
            it(what, () => {
                const problems = problemsOf(config);
                assert.strictEqual(problems.length, 1, problems.join("\n"));
                assert.ok(problems[0].startsWith(message), `${problems[0]}\ndoes not start with\n${message}`);
            });
        }
    });

    it("uses only regular expression syntax the Pulumi CLI (Go's RE2) can compile: no lookaround or backreferences", () => {
        const patterns: string[] = [];
        const walk = (node: unknown): void => {
            if (Array.isArray(node)) node.forEach(walk);
            else if (node !== null && typeof node === "object") {
                for (const [k, v] of Object.entries(node)) {
                    if (k === "pattern" && typeof v === "string") patterns.push(v);
                    else walk(v);
                }
            }
        };
        ALL_POLICIES.forEach((p) => walk(p.configSchema));
        assert.ok(patterns.length > 0);
        assert.deepStrictEqual(patterns.filter((p) => /\(\?[=!<]|\\[1-9]/.test(p)), []);
    });

    it("resolves levels as the CLI does: the policy's entry, then `all`, then the policy's default", () => {
        const cfg = resolvePolicyConfig([kmsKeyRotation, kmsKeyPolicy], { all: "disabled", "kms-key-policy": "mandatory" });
        assert.strictEqual(levelOf(kmsKeyRotation, cfg), "disabled");
        assert.strictEqual(levelOf(kmsKeyPolicy, cfg), "mandatory");
        assert.strictEqual(levelOf(kmsKeyRotation, resolvePolicyConfig([kmsKeyRotation], {})), "mandatory");
    });

    it("runs nothing for a disabled policy", async () => {
        const policies = [kmsKeyRotation];
        const { diagnostics } = await evaluate([res(aws.kms.Key, { enableKeyRotation: false })], { policies, config: resolvePolicyConfig(policies, { "kms-key-rotation": "disabled" }) });
        assert.deepStrictEqual(diagnostics, []);
    });
});
