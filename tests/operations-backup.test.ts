import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "../infra/config/load";
import { BackupPlan, BackupPlanArgs } from "../infra/operations/backup";
import {
    COMPLETION_WINDOW_MINUTES, DAILY_SCHEDULE, MONTHLY_SCHEDULE, START_WINDOW_MINUTES, backupArgsProblem, backupManagedPolicyArns, backupTrustPolicy, planRules,
    ruleSpecs, vaultAccessPolicy, vaultKeyPolicy, vaultLockLimits,
} from "../infra/operations/backup-policies";
import { regionalProvider } from "../infra/operations/regional-provider";
import { accountRootStatement } from "../infra/security/key-policies";
import { MOCK_ACCOUNT_ID, mockHex } from "../tools/offline/mock-outputs";
import { Run, runStack, runStackExpectingError, runUnderMocks } from "./harness";
import { administrativeUse } from "./kms-policy-check";

const ctx = { accountId: "111122223333", partition: "aws", region: "eu-west-1", dnsSuffix: "amazonaws.com" };
const USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:ListGrants", "kms:DescribeKey"];
const PROD_BACKUP = { dailyRetentionDays: 35, monthlyRetentionDays: 365, copyRegion: "eu-central-1" };
const DENIED = ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle", "backup:PutBackupVaultAccessPolicy"];
const MANAGED = [
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
    "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
    "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
];
const TRUST = {
    Version: "2012-10-17",
    Statement: [{ Sid: "AwsBackupAssumeRole", Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
};
const ACCESS_POLICY = { Version: "2012-10-17", Statement: [{ Sid: "DenyRecoveryPointDeletionAndPolicyChange", Effect: "Deny", Principal: "*", Action: DENIED, Resource: "*" }] };

/** A rule as the plan receives it: both windows explicit, and the copy kept as long as the original. */
const rule = (name: string, schedule: string, days: number, vault: string, copyArn?: string) => ({
    ruleName: name,
    targetVaultName: vault,
    schedule,
    startWindow: 120,
    completionWindow: 1080,
    lifecycle: { deleteAfter: days },
    ...(copyArn ? { copyActions: [{ destinationVaultArn: copyArn, lifecycle: { deleteAfter: days } }] } : {}),
});

describe("backup documents (pure)", () => {
    it("a daily rule at 05:00 UTC and a monthly one on the 1st, each copied with the same retention when a copy vault is given", () => {
        const specs = ruleSpecs("pos-prod", PROD_BACKUP);
        assert.deepStrictEqual([DAILY_SCHEDULE, MONTHLY_SCHEDULE, START_WINDOW_MINUTES, COMPLETION_WINDOW_MINUTES], ["cron(0 5 * * ? *)", "cron(0 5 1 * ? *)", 120, 1080]);
        const copy = "arn:aws:backup:eu-central-1:111122223333:backup-vault:pos-prod";
        assert.deepStrictEqual(planRules(specs, "pos-prod", copy), [
            rule("pos-prod-daily", "cron(0 5 * * ? *)", 35, "pos-prod", copy),
            rule("pos-prod-monthly", "cron(0 5 1 * ? *)", 365, "pos-prod", copy),
        ]);
        // No copy vault: no copy action at all (not an empty list).
        const alone = planRules(ruleSpecs("pos-staging", { dailyRetentionDays: 7, monthlyRetentionDays: 90 }), "pos-staging");
        assert.deepStrictEqual(alone, [rule("pos-staging-daily", "cron(0 5 * * ? *)", 7, "pos-staging"), rule("pos-staging-monthly", "cron(0 5 1 * ? *)", 90, "pos-staging")]);
        assert.ok(alone.every((r) => !("copyActions" in r)));
        // AWS Backup refuses a start window under 60 minutes; start plus completion end before the next day's job.
        assert.ok(START_WINDOW_MINUTES >= 60 && START_WINDOW_MINUTES + COMPLETION_WINDOW_MINUTES < 24 * 60);
    });

    it("locks the vault between the shortest and the longest rule's retention", () => {
        assert.deepStrictEqual(vaultLockLimits(ruleSpecs("p", PROD_BACKUP)), { minRetentionDays: 35, maxRetentionDays: 365 });
        assert.deepStrictEqual(vaultLockLimits(ruleSpecs("p", { dailyRetentionDays: 30, monthlyRetentionDays: 30 })), { minRetentionDays: 30, maxRetentionDays: 30 });
    });

    it("vault keys: administration by IAM, use only through AWS Backup (and RDS in the copy region), by this account's principals", () => {
        const via = (services: string[]) => ({
            Sid: "AllowAwsBackupInAccount",
            Effect: "Allow",
            Principal: { AWS: "*" },
            Action: USE_ACTIONS,
            Resource: "*",
            Condition: { StringEquals: { "kms:CallerAccount": "111122223333", "kms:ViaService": services } },
        });
        assert.deepStrictEqual(vaultKeyPolicy(ctx, false), { Version: "2012-10-17", Statement: [accountRootStatement(ctx), via(["backup.eu-west-1.amazonaws.com"])] });
        const copyCtx = { ...ctx, region: "eu-central-1" };
        assert.deepStrictEqual(vaultKeyPolicy(copyCtx, true), {
            Version: "2012-10-17",
            Statement: [accountRootStatement(copyCtx), via(["backup.eu-central-1.amazonaws.com", "rds.eu-central-1.amazonaws.com"])],
        });
        for (const doc of [vaultKeyPolicy(ctx, false), vaultKeyPolicy(copyCtx, true)]) assert.deepStrictEqual(administrativeUse(doc, "111122223333"), []);
    });

    it("vault access policy: everyone is refused deleting a recovery point, shortening its life or replacing the policy", () => {
        assert.deepStrictEqual(vaultAccessPolicy(), ACCESS_POLICY);
    });

    it("the role trusts AWS Backup and carries its four managed backup and restore policies, in the stack's partition", () => {
        assert.deepStrictEqual(backupTrustPolicy(), TRUST);
        assert.deepStrictEqual(backupManagedPolicyArns("aws"), MANAGED);
        assert.deepStrictEqual(backupManagedPolicyArns("aws-cn")[2], "arn:aws-cn:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup");
    });

    it("names the argument that is wrong", () => {
        const ok = { namePrefix: "pos-prod", backup: PROD_BACKUP, resourceCount: 3, copyRegion: "eu-central-1" };
        assert.strictEqual(backupArgsProblem("B", ok), undefined);
        assert.strictEqual(backupArgsProblem("B", { ...ok, backup: { ...PROD_BACKUP, dailyRetentionDays: 0 } }), "B: backup.dailyRetentionDays is 0, expected a whole number of days from 1 to 36500.");
        assert.strictEqual(
            backupArgsProblem("B", { ...ok, backup: { ...PROD_BACKUP, monthlyRetentionDays: 30 } }),
            "B: backup.monthlyRetentionDays is 30, expected a whole number of days from dailyRetentionDays (35) to 36500.",
        );
        assert.strictEqual(backupArgsProblem("B", { ...ok, resourceCount: 0 }), "B: resources is empty, expected the ARNs of the resources to back up.");
        assert.strictEqual(backupArgsProblem("B", { ...ok, copyRegion: "Frankfurt" }), 'B: copy.region "Frankfurt" is not an AWS region name such as eu-central-1.');
        assert.strictEqual(backupArgsProblem("B", { ...ok, namePrefix: "pos prod" }), 'B: namePrefix "pos prod" cannot name a backup vault and its rules: expected 2 to 42 letters, digits, "-" or "_".');
    });
});

const VAULT = "aws:backup/vault:Vault";
const KEY = "aws:kms/key:Key";
const mockCtx = (region: string) => ({ accountId: MOCK_ACCOUNT_ID, partition: "aws", region, dnsSuffix: "amazonaws.com" });
const vaultArn = (region: string, name: string) => `arn:aws:backup:${region}:${MOCK_ACCOUNT_ID}:backup-vault:${name}`;
const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((ok) => o.apply(ok));

describe("BackupPlan in the stacks", () => {
    for (const [stack, protect] of [["prod", true], ["staging", false]] as const) {
        describe(stack, () => {
            let run: Run;
            const name = `pos-${stack}`;
            // The vaults' name: the prefix and a suffix drawn once per stack (the mock's RandomId hex), so a
            // stack re-created next to its kept vaults takes new names instead of colliding.
            const vault = `${name}-a1b2c3d4`;
            const copies = stack === "prod";
            // The provider appends a unique suffix to the role's name prefix (a re-created stack never collides with a kept role).
            const roleName = `${name}-backup-${mockHex("role:backup-role", 26)}`;
            before(async () => {
                run = await runStack(stack);
            });

            it(`${copies ? "copies each rule's recovery points to the eu-central-1 vault" : "has no copy action (no baseline:backup.copyRegion)"}, with the config's retention`, () => {
                const plan = run.one("aws:backup/plan:Plan");
                const [daily, monthly] = stack === "prod" ? [35, 365] : [7, 90];
                const copy = copies ? vaultArn("eu-central-1", vault) : undefined;
                assert.deepStrictEqual(plan.inputs, {
                    name,
                    rules: [rule(`${name}-daily`, "cron(0 5 * * ? *)", daily, vault, copy), rule(`${name}-monthly`, "cron(0 5 1 * ? *)", monthly, vault, copy)],
                });
                assert.strictEqual(run.parentName(plan), "backup");
            });

            it(`creates ${copies ? "a vault in eu-west-1 and one in eu-central-1 (through the copy region's provider)" : "one vault, in eu-west-1"}, each under its own key, locked in governance mode`, () => {
                const vaults = run.ofType(VAULT);
                assert.deepStrictEqual(vaults.map((v) => [v.name, v.inputs.name, v.inputs.kmsKeyArn, v.protect, v.retainOnDelete, v.inputs.forceDestroy]), [
                    ["backup-vault", vault, `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/backup-vault-key-key-id`, protect, true, undefined],
                    ...(copies ? [["backup-copy-vault", vault, `arn:aws:kms:eu-central-1:${MOCK_ACCOUNT_ID}:key/backup-copy-vault-key-key-id`, protect, true, undefined]] : []),
                ]);
                const [daily, monthly] = stack === "prod" ? [35, 365] : [7, 90];
                const locks = run.ofType("aws:backup/vaultLockConfiguration:VaultLockConfiguration");
                // No changeableForDays: governance mode, which an administrator can lift; never compliance mode.
                assert.deepStrictEqual(locks.map((l) => [l.name, l.inputs, l.protect, l.retainOnDelete]), (copies ? ["backup-vault", "backup-copy-vault"] : ["backup-vault"]).map((v) => [
                    `${v}-lock`, { backupVaultName: vault, minRetentionDays: daily, maxRetentionDays: monthly }, protect, true,
                ]));
                const policies = run.ofType("aws:backup/vaultPolicy:VaultPolicy");
                assert.deepStrictEqual(policies.map((p) => [p.name, p.inputs.backupVaultName, JSON.parse(p.inputs.policy), p.protect, p.retainOnDelete]), (copies ? ["backup-vault", "backup-copy-vault"] : ["backup-vault"]).map((v) => [
                    `${v}-policy`, vault, ACCESS_POLICY, protect, true,
                ]));
            });

            it("gives each vault a rotating key kept on delete, with the policy of its region, and a regional alias", () => {
                const keys = run.ofType(KEY).filter((k) => k.name.startsWith("backup"));
                assert.deepStrictEqual(keys.map((k) => [k.name, k.protect, k.retainOnDelete, { ...k.inputs, policy: JSON.parse(k.inputs.policy) }]), [
                    ["backup-vault-key", protect, true, { description: `${name} AWS Backup vault (backup)`, enableKeyRotation: true, deletionWindowInDays: 30, policy: vaultKeyPolicy(mockCtx("eu-west-1"), false) }],
                    ...(copies
                        ? [["backup-copy-vault-key", protect, true, { description: `${name} AWS Backup vault (backup-copy)`, enableKeyRotation: true, deletionWindowInDays: 30, policy: vaultKeyPolicy(mockCtx("eu-central-1"), true) }]]
                        : []),
                ]);
                const aliases = run.ofType("aws:kms/alias:Alias").filter((a) => a.name.startsWith("backup"));
                assert.deepStrictEqual(aliases.map((a) => [a.name, a.inputs.name, a.inputs.targetKeyId]), [
                    ["backup-vault-key-alias", `alias/${name}-backup`, "backup-vault-key-key-id"],
                    ...(copies ? [["backup-copy-vault-key-alias", `alias/${name}-backup-copy`, "backup-copy-vault-key-key-id"]] : []),
                ]);
            });

            if (copies) {
                it("creates the copy vault, its key, alias, lock and policy through an eu-central-1 provider carrying the stack's tags", () => {
                    const provider = run.one("pulumi:providers:aws", "backup-copy-region");
                    assert.strictEqual(provider.wireInputs.region, "eu-central-1");
                    assert.deepStrictEqual(JSON.parse(provider.wireInputs.defaultTags).tags, loadStackTags(run));
                    const copied = run.resources.filter((r) => r.name.startsWith("backup-copy-vault") && r.custom);
                    assert.deepStrictEqual(copied.map((r) => r.name).sort(), ["backup-copy-vault", "backup-copy-vault-key", "backup-copy-vault-key-alias", "backup-copy-vault-lock", "backup-copy-vault-policy"]);
                    assert.deepStrictEqual(copied.filter((r) => !r.provider?.startsWith(`${provider.urn}::`)).map((r) => r.name), []);
                    // The primary vault's resources use the stack's default provider.
                    assert.deepStrictEqual(run.resources.filter((r) => /^backup-vault/.test(r.name) && r.provider?.startsWith(`${provider.urn}::`)).map((r) => r.name), []);
                });
            }

            it("selects exactly the database, the document store and the assets bucket, by ARN", () => {
                const selection = run.one("aws:backup/selection:Selection");
                assert.deepStrictEqual(selection.inputs, {
                    name,
                    planId: selection.inputs.planId,
                    iamRoleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${roleName}`,
                    resources: [
                        `arn:aws:rds:eu-west-1:${MOCK_ACCOUNT_ID}:db:${name}-postgres`,
                        `arn:aws:rds:eu-west-1:${MOCK_ACCOUNT_ID}:cluster:${name}-docdb`,
                        `arn:aws:s3:::${name}-assets-${MOCK_ACCOUNT_ID}`,
                    ],
                });
                assert.match(selection.inputs.planId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
                assert.deepStrictEqual(selection.propertyDependencies.planId, [run.one("aws:backup/plan:Plan").urn]);
            });

            it("the role: trusted by AWS Backup only, the four managed backup and restore policies, kept on delete with them", () => {
                const role = run.one("aws:iam/role:Role", "backup-role");
                assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy), TRUST);
                assert.deepStrictEqual([role.inputs.namePrefix, role.retainOnDelete, role.inputs.inlinePolicies, role.inputs.managedPolicyArns], [`${name}-backup-`, true, undefined, undefined]);
                const attached = run.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith("backup-role-"));
                assert.deepStrictEqual(attached.map((a) => [a.name, a.inputs.role, a.inputs.policyArn, a.retainOnDelete]), [
                    ["backup-role-backup", roleName, MANAGED[0], true],
                    ["backup-role-restores", roleName, MANAGED[1], true],
                    ["backup-role-s3-backup", roleName, MANAGED[2], true],
                    ["backup-role-s3-restore", roleName, MANAGED[3], true],
                ]);
            });

            it("outputs the vault's ARN and the plan's id", async () => {
                const outputs = run.outputs as Record<string, pulumi.Output<string>>;
                assert.strictEqual(await resolve(outputs.backupVaultArn), vaultArn("eu-west-1", vault));
                assert.match(await resolve(outputs.backupPlanId), /^[0-9a-f-]{36}$/);
            });
        });
    }

    it("without DocumentDB, selects the database and the assets bucket only", async () => {
        const run = await runStack("prod", { "baseline:documentDb": { enabled: false }, "baseline:services": [] });
        assert.deepStrictEqual(run.one("aws:backup/selection:Selection").inputs.resources, [
            `arn:aws:rds:eu-west-1:${MOCK_ACCOUNT_ID}:db:pos-prod-postgres`,
            `arn:aws:s3:::pos-prod-assets-${MOCK_ACCOUNT_ID}`,
        ]);
    });

    it("refuses a copy region equal to the stack's region, naming the key", async () => {
        const { error } = await runStackExpectingError("staging", { "baseline:backup": { copyRegion: "eu-west-1" } });
        assert.match(error.message, /baseline:backup\.copyRegion.*"eu-west-1".*a region other than aws:region "eu-west-1"/s);
    });
});

/** The stack's default tags, as the default provider's config carries them. */
function loadStackTags(run: Run): Record<string, string> {
    void run;
    return loadConfig().tags;
}

describe("BackupPlan component", () => {
    const build = (overrides: Partial<BackupPlanArgs> = {}) => () => {
        const c = loadConfig();
        return new BackupPlan("backup", { namePrefix: "pos-prod", backup: c.backup, kms: c.kms, protect: true, resources: ["arn:aws:s3:::b"], ...overrides });
    };

    it("rejects bad arguments before registering anything", async () => {
        const run = await runUnderMocks(() => {
            assert.throws(() => build({ resources: [] })(), { message: "BackupPlan backup: resources is empty, expected the ARNs of the resources to back up." });
            assert.throws(() => build({ kms: { deletionWindowDays: 3 } })(), { message: "BackupPlan backup: kms.deletionWindowDays is 3, expected a whole number of days from 7 to 30." });
            assert.throws(() => build({ backup: { dailyRetentionDays: 35, monthlyRetentionDays: 7 } })(), /backup\.monthlyRetentionDays is 7/);
        }, "prod");
        assert.deepStrictEqual(run.resources, []);
    });

    it("refuses a copy provider in another region than copy.region once the provider's region is known", async () => {
        // The check runs when the key policy is serialized: the copy vault's key is never registered, and the
        // deployment fails with the message (the engine reports the rejected registration).
        const failures: string[] = [];
        const listen = (e: unknown) => failures.push(String(e));
        process.on("unhandledRejection", listen);
        let run: Run;
        try {
            run = await runUnderMocks(() => build({ copy: { region: "eu-central-1", provider: regionalProvider("elsewhere", "us-east-1", {}) } })(), "prod");
            // Node reports unhandled rejections after the microtask queue drains.
            await new Promise((ok) => setTimeout(ok, 50));
        } finally {
            process.off("unhandledRejection", listen);
        }
        assert.ok(failures.some((f) => f.endsWith("BackupVault backup-copy-vault: its provider is in us-east-1, expected copy.region eu-central-1.")), failures[0]);
        assert.deepStrictEqual(run.resources.filter((r) => r.type === KEY).map((r) => r.name), ["backup-vault-key"]);
    });

    it("on a first preview the rules, lock, policies and trust are known; only ARNs and ids wait", async () => {
        const run = await runUnderMocks(() => {
            const topic = new aws.sns.Topic("stand-in");
            build({ resources: [topic.arn], copy: { region: "eu-central-1", provider: regionalProvider("backup-copy-region", "eu-central-1", {}) } })();
        }, "prod", {}, { firstPreview: true });
        const plan = run.one("aws:backup/plan:Plan");
        assert.deepStrictEqual(plan.wireInputs.rules.map((r: any) => [r.ruleName, r.schedule, r.lifecycle, r.copyActions[0].lifecycle]), [
            ["pos-prod-daily", "cron(0 5 * * ? *)", { deleteAfter: 35 }, { deleteAfter: 35 }],
            ["pos-prod-monthly", "cron(0 5 1 * ? *)", { deleteAfter: 365 }, { deleteAfter: 365 }],
        ]);
        assert.deepStrictEqual(JSON.parse(run.one("aws:backup/vaultPolicy:VaultPolicy", "backup-vault-policy").wireInputs.policy), ACCESS_POLICY);
        assert.deepStrictEqual(JSON.parse(run.one("aws:kms/key:Key", "backup-copy-vault-key").wireInputs.policy), vaultKeyPolicy(mockCtx("eu-central-1"), true));
    });
});
