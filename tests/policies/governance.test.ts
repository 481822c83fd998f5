import * as aws from "@pulumi/aws";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    REQUIRED_TAGS, STATEFUL_TYPES, TAGGABLE_TYPES, backupPlanRetention, backupVaultEncryption, budgetCostAlerts, statefulProtect, tagsRequired,
} from "../../policies/operations/governance";
import { tokenOf } from "../../policies/lib/define";
import { REQUIRED_TAGS as CONFIG_REQUIRED_TAGS } from "../../infra/config/types";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_NUMBER, messages, res, run } from "./helpers";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const COPY_VAULT = "arn:aws:backup:eu-central-1:123456789012:backup-vault:dr";
const ALL_TAGS = { Environment: "prod", Project: "baseline", Owner: "platform", CostCenter: "cc-42" };

/** Whether `<Resource>Args` in @pulumi/aws's typings declares a `tags` input. */
function argsAcceptTags(token: string): boolean {
    const [, modulePath, className] = /^aws:([^:]+):(\w+)$/.exec(token)!;
    const file = path.join(path.dirname(require.resolve("@pulumi/aws/package.json")), `${modulePath}.d.ts`);
    const source = fs.readFileSync(file, "utf8");
    const start = source.indexOf(`export interface ${className}Args {`);
    assert.ok(start >= 0, `${file} has no ${className}Args`);
    const body = source.slice(start, source.indexOf("\n}", start));
    return /\n\s+tags\?:/.test(body);
}

describe("policies: governance", () => {
    describe("backup-vault-encryption", () => {
        it("passes a customer key, and an unknown key ARN as set", async () => {
            assert.deepStrictEqual(await run(backupVaultEncryption, res(aws.backup.Vault, { kmsKeyArn: KEY_ARN })), []);
            assert.deepStrictEqual(await run(backupVaultEncryption, res(aws.backup.Vault, { kmsKeyArn: UNKNOWN })), []);
        });
        it("rejects a vault without a key, as advisory", async () => {
            const diags = await run(backupVaultEncryption, res(aws.backup.Vault, {}));
            assert.deepStrictEqual(messages(diags), [
                "AWS Backup vault must be encrypted with a customer-managed KMS key: kmsKeyArn is unset, so AWS uses aws/backup, expected a customer key ARN.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("backup-plan-retention", () => {
        const copy = { destinationVaultArn: COPY_VAULT, lifecycle: { deleteAfter: 35 } };
        const rule = { ruleName: "daily", targetVaultName: "main", schedule: "cron(0 3 * * ? *)", lifecycle: { deleteAfter: 35 }, copyActions: [copy] };
        const plan = (...rules: object[]) => res(aws.backup.Plan, { rules });
        /** The wire never carries undefined inside objects: leave the key out. */
        const without = (key: string, extra: object = {}) => Object.fromEntries(Object.entries({ ...rule, ...extra }).filter(([k]) => k !== key));

        it("passes long enough retention, and no lifecycle (kept until deleted)", async () => {
            assert.deepStrictEqual(await run(backupPlanRetention, plan(rule, without("lifecycle", { ruleName: "forever" }))), []);
        });
        it("rejects short retention of recovery points and of their copies", async () => {
            const short = { ...rule, lifecycle: { deleteAfter: 7 }, copyActions: [{ ...copy, lifecycle: { deleteAfter: 14 } }] };
            assert.deepStrictEqual(messages(await run(backupPlanRetention, plan(rule, short))), [
                'AWS Backup plan rule "daily" must keep recovery points at least 30 days: rules[1].lifecycle.deleteAfter is 7.',
                'AWS Backup plan rule "daily" must keep copies at least 30 days: rules[1].copyActions[0].lifecycle.deleteAfter is 14.',
            ]);
        });
        it("requires a copy to another region only when configured (prod)", async () => {
            const noCopy = plan(without("copyActions"));
            assert.deepStrictEqual(await run(backupPlanRetention, noCopy), []);
            assert.deepStrictEqual(messages(await run(backupPlanRetention, noCopy, { requireCrossRegionCopy: true })), [
                'AWS Backup plan rule "daily" must copy recovery points to another region: copyActions is (unset), expected at least one copy action.',
            ]);
            assert.deepStrictEqual(await run(backupPlanRetention, plan({ ...rule, copyActions: UNKNOWN_ARRAY }), { requireCrossRegionCopy: true }), []);
        });
        it("honours a configured minimum", async () => {
            assert.deepStrictEqual(await run(backupPlanRetention, plan({ ...rule, lifecycle: { deleteAfter: 7 }, copyActions: [] }), { minimumRetentionDays: 7 }), []);
        });
        it("says so instead of passing when retention is unknown during preview", async () => {
            const diags = await run(backupPlanRetention, plan({ ...rule, lifecycle: { deleteAfter: UNKNOWN_NUMBER } }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that recovery points are kept at least 30 days: rules\[0\]\.lifecycle\.deleteAfter is \(unknown until apply\)/);
        });
    });

    describe("budget-cost-alerts", () => {
        const notification = { comparisonOperator: "GREATER_THAN", notificationType: "FORECASTED", threshold: 100, thresholdType: "PERCENTAGE" };
        const budget = (props: object, name = "monthly") => res(aws.budgets.Budget, { budgetType: "COST", timeUnit: "MONTHLY", limitAmount: "500", limitUnit: "USD", ...props }, { name });

        it("passes a cost budget that emails someone, or notifies a topic from this stack", async () => {
            assert.deepStrictEqual(await run(budgetCostAlerts, budget({ notifications: [{ ...notification, subscriberEmailAddresses: ["ops@example.com"] }] })), []);
            assert.deepStrictEqual(await run(budgetCostAlerts, budget({ notifications: [{ ...notification, subscriberSnsTopicArns: UNKNOWN_ARRAY }] })), []);
            assert.deepStrictEqual(await run(budgetCostAlerts, budget({ notifications: UNKNOWN_ARRAY })), []);
        });
        it("rejects a stack without a cost budget, as advisory", async () => {
            const usage = budget({ budgetType: "USAGE", notifications: [{ ...notification, subscriberEmailAddresses: ["ops@example.com"] }] });
            const diags = await run(budgetCostAlerts, [res(aws.sns.Topic, {}), usage]);
            assert.deepStrictEqual(messages(diags), [
                'Stack must have a cost budget: found 1 aws.budgets.Budget and none with budgetType "COST", expected one that notifies a subscriber.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.strictEqual(diags[0].urn, undefined);
        });
        it("rejects a cost budget nobody hears from, on the budget", async () => {
            const silent = budget({ notifications: [{ ...notification, subscriberEmailAddresses: [] }] });
            const diags = await run(budgetCostAlerts, silent);
            assert.deepStrictEqual(messages(diags), [
                "Cost budget must notify a subscriber: no notification has subscriberEmailAddresses or subscriberSnsTopicArns, expected at least one.",
            ]);
            assert.strictEqual(diags[0].urn, silent.urn);
        });
        it("says so instead of failing when the budget type is unknown during preview", async () => {
            const diags = await run(budgetCostAlerts, budget({ budgetType: UNKNOWN, notifications: [] }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that the stack has a cost budget with a subscriber: budgetType is \(unknown until apply\)/);
        });
    });

    describe("tags-required", () => {
        it("passes tags on the resource", async () => {
            assert.deepStrictEqual(await run(tagsRequired, res(aws.ec2.Vpc, { tags: ALL_TAGS })), []);
        });
        it("rejects missing tags, naming the type and the keys", async () => {
            const diags = await run(tagsRequired, res(aws.ec2.Vpc, { tags: { Name: "main", Environment: "prod" } }));
            assert.deepStrictEqual(messages(diags), [
                "Resource aws:ec2/vpc:Vpc must carry the required tags: Project, Owner, CostCenter missing, expected Environment, Project, Owner, CostCenter (on the resource or in providerDefaultTags).",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("counts the provider's default tags (config), which never appear in inputs", async () => {
            const bucket = res(aws.s3.Bucket, { tags: { Owner: "data", CostCenter: UNKNOWN } });
            const defaults = { providerDefaultTags: ["Environment", "Project"] };
            assert.deepStrictEqual(await run(tagsRequired, [bucket, res(aws.ec2.Subnet, {})], { providerDefaultTags: [...REQUIRED_TAGS] }), []);
            assert.deepStrictEqual(await run(tagsRequired, bucket, defaults), []);
            assert.deepStrictEqual(messages(await run(tagsRequired, res(aws.rds.Instance, {}), defaults)), [
                "Resource aws:rds/instance:Instance must carry the required tags: Owner, CostCenter missing, expected Environment, Project, Owner, CostCenter (on the resource or in providerDefaultTags).",
            ]);
        });
        it("checks only taggable types, configurable", async () => {
            const rule = res(aws.ec2.SecurityGroupRule, {});
            assert.deepStrictEqual(await run(tagsRequired, rule), []);
            assert.strictEqual((await run(tagsRequired, rule, { taggableTypes: [rule.type], requiredTags: ["Owner"] })).length, 1);
        });
        it("says so instead of passing when the tag map is unknown during preview", async () => {
            const diags = await run(tagsRequired, res(aws.kms.Key, { tags: UNKNOWN }), { providerDefaultTags: ["Environment", "Project", "Owner"] });
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that the resource carries the tags CostCenter: tags is \(unknown until apply\)/);
        });
        it("requires the same tags as the stack config, by default", () => {
            assert.deepStrictEqual(REQUIRED_TAGS, [...CONFIG_REQUIRED_TAGS]);
        });
        it("lists only types whose arguments accept tags", () => {
            assert.deepStrictEqual(TAGGABLE_TYPES.filter((t) => !argsAcceptTags(t)), []);
            assert.strictEqual(argsAcceptTags(tokenOf(aws.ec2.SecurityGroupRule)), false);
        });
    });

    describe("stateful-protect", () => {
        it("passes protected stateful resources, and ignores stateless ones", async () => {
            const resources = STATEFUL_TYPES.map((t, i) => res(t, {}, { name: `data-${i}`, protect: true }));
            assert.deepStrictEqual(await run(statefulProtect, [...resources, res(aws.ec2.Vpc, {})]), []);
        });
        it("rejects an unprotected database even with retainOnDelete (not sent to analyzers), as mandatory", async () => {
            const db = res(aws.rds.Instance, {}, { name: "db", retainOnDelete: true });
            const diags = await run(statefulProtect, db);
            assert.deepStrictEqual(messages(diags), ["Stateful resource aws:rds/instance:Instance must be protected from deletion: protect is false, expected true."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.strictEqual(diags[0].urn, db.urn);
        });
        it("rejects an unprotected image repository: the images a service runs", async () => {
            const diags = await run(statefulProtect, res(aws.ecr.Repository, {}, { name: "repo" }));
            assert.deepStrictEqual(messages(diags), ["Stateful resource aws:ecr/repository:Repository must be protected from deletion: protect is false, expected true."]);
        });
        it("covers both S3 bucket tokens", async () => {
            const diags = await run(statefulProtect, [res(aws.s3.Bucket, {}, { name: "a" }), res(aws.s3.BucketV2, {}, { name: "b" })]);
            assert.deepStrictEqual(diags.map((d) => d.urn), ["urn:pulumi:test::baseline::aws:s3/bucket:Bucket::a", "urn:pulumi:test::baseline::aws:s3/bucketV2:BucketV2::b"]);
        });
        it("reports an exempted bucket as advisory with its reason", async () => {
            const diags = await run(statefulProtect, res(aws.s3.Bucket, {}, { name: "scratch" }), {
                exemptions: [{ resource: "scratch", reason: "build cache, rebuilt on demand" }],
            });
            assert.deepStrictEqual(messages(diags), ["Exempted (build cache, rebuilt on demand): Stateful resource aws:s3/bucket:Bucket must be protected from deletion: protect is false, expected true."]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("checks configured types, and is advisory where a stack's config says so (staging)", async () => {
            const vault = res(aws.backup.Vault, {});
            assert.deepStrictEqual(await run(statefulProtect, vault), []);
            const diags = await run(statefulProtect, vault, { enforcementLevel: "advisory", statefulTypes: [vault.type] });
            assert.strictEqual(diags.length, 1);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("rejects a configured type that is not a type token", async () => {
            await assert.rejects(run(statefulProtect, res(aws.s3.Bucket, {}), { statefulTypes: ["aws.s3.Bucket"] }), /statefulTypes\.0 = "aws.s3.Bucket" is not allowed/);
        });
    });
});
