import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { rdsBackupRetention, rdsDeletionProtection, rdsFinalSnapshot, rdsStorageEncrypted } from "../../policies/data/database-protection";
import { resolvePolicyConfig } from "../../tools/offline/evaluate";
import { goodAuroraCluster, goodDatabases, goodInstance } from "./database-fixtures";
import { UNKNOWN, UNKNOWN_BOOL, UNKNOWN_NUMBER, messages, res, run } from "./helpers";

describe("policies: database protection", () => {
    describe("rds-storage-encrypted", () => {
        for (const [label, type, good] of goodDatabases) {
            it(`passes an encrypted ${label}`, async () => {
                assert.deepStrictEqual(await run(rdsStorageEncrypted, res(type, good), { requireCustomerKey: true }), []);
            });
            it(`rejects an unencrypted ${label}, as mandatory`, async () => {
                const diags = await run(rdsStorageEncrypted, res(type, { ...good, storageEncrypted: false }));
                assert.deepStrictEqual(messages(diags), [`${label} must encrypt its storage: storageEncrypted is false, expected true.`]);
                assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            });
        }
        it("rejects unset storageEncrypted: every provisioned engine defaults to unencrypted", async () => {
            const { storageEncrypted: _, ...cluster } = goodAuroraCluster;
            assert.deepStrictEqual(messages(await run(rdsStorageEncrypted, res(aws.rds.Cluster, cluster))), [
                "RDS cluster must encrypt its storage: storageEncrypted is (unset), expected true.",
            ]);
        });
        it("accepts unset storageEncrypted on Aurora Serverless v1, which is always encrypted", async () => {
            const { storageEncrypted: _, ...cluster } = goodAuroraCluster;
            assert.deepStrictEqual(await run(rdsStorageEncrypted, res(aws.rds.Cluster, { ...cluster, engineMode: "serverless" })), []);
        });
        it("says so instead of passing when storageEncrypted is unknown during preview", async () => {
            const diags = await run(rdsStorageEncrypted, res(aws.rds.Instance, { ...goodInstance, storageEncrypted: UNKNOWN_BOOL }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that storage is encrypted: storageEncrypted is \(unknown until apply\)/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.strictEqual(diags[0].cantRunDuringPreview, undefined);
        });
        it("with requireCustomerKey, rejects a missing or AWS-managed key", async () => {
            const { kmsKeyId: _, ...noKey } = goodInstance;
            assert.deepStrictEqual(messages(await run(rdsStorageEncrypted, res(aws.rds.Instance, noKey), { requireCustomerKey: true })), [
                "RDS instance must encrypt its storage with a customer-managed KMS key: kmsKeyId is (unset), so AWS uses aws/rds, expected a customer key ARN.",
            ]);
            const managed = { ...goodInstance, kmsKeyId: "arn:aws:kms:us-east-1:123456789012:alias/aws/rds" };
            assert.deepStrictEqual(messages(await run(rdsStorageEncrypted, res(aws.rds.Instance, managed), { requireCustomerKey: true })), [
                'RDS instance must encrypt its storage with a customer-managed KMS key: kmsKeyId is "arn:aws:kms:us-east-1:123456789012:alias/aws/rds", an AWS-managed key, expected a customer key ARN.',
            ]);
        });
        it("without requireCustomerKey, accepts the AWS-managed key", async () => {
            const { kmsKeyId: _, ...noKey } = goodInstance;
            assert.deepStrictEqual(await run(rdsStorageEncrypted, res(aws.rds.Instance, noKey)), []);
        });
        it("counts a key ARN unknown during preview as set", async () => {
            assert.deepStrictEqual(await run(rdsStorageEncrypted, res(aws.rds.Instance, { ...goodInstance, kmsKeyId: UNKNOWN }), { requireCustomerKey: true }), []);
        });
        it("reports an exempted database as advisory with its reason", async () => {
            const diags = await run(rdsStorageEncrypted, res(aws.rds.Instance, { ...goodInstance, storageEncrypted: false }, { name: "legacy-db" }), {
                exemptions: [{ resource: "legacy-db", reason: "restored from an unencrypted snapshot, migration ticket OPS-12" }],
            });
            assert.deepStrictEqual(messages(diags), [
                "Exempted (restored from an unencrypted snapshot, migration ticket OPS-12): RDS instance must encrypt its storage: storageEncrypted is false, expected true.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("ignores other resource types", async () => {
            assert.deepStrictEqual(await run(rdsStorageEncrypted, res(aws.rds.ClusterInstance, { storageEncrypted: false })), []);
        });
    });

    describe("rds-backup-retention", () => {
        for (const [label, type, good] of goodDatabases) {
            it(`passes 30 days on the ${label} under prod's minimum of 30`, async () => {
                assert.deepStrictEqual(await run(rdsBackupRetention, res(type, good), { minimumRetentionDays: 30 }), []);
            });
            it(`rejects the ${label} that leaves retention to the AWS default of 1 day`, async () => {
                const { backupRetentionPeriod: _, ...unset } = good;
                const diags = await run(rdsBackupRetention, res(type, unset));
                assert.deepStrictEqual(messages(diags), [`${label} must keep automated backups for at least 7 days: backupRetentionPeriod is (unset), so AWS keeps 1, expected at least 7.`]);
                assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            });
        }
        it("applies the default minimum of 7 days", async () => {
            assert.deepStrictEqual(await run(rdsBackupRetention, res(aws.rds.Instance, { ...goodInstance, backupRetentionPeriod: 7 })), []);
            assert.deepStrictEqual(messages(await run(rdsBackupRetention, res(aws.rds.Instance, { ...goodInstance, backupRetentionPeriod: 6 }))), [
                "RDS instance must keep automated backups for at least 7 days: backupRetentionPeriod is 6, expected at least 7.",
            ]);
        });
        it("rejects 14 days under prod's minimum of 30", async () => {
            const diags = await run(rdsBackupRetention, res(aws.rds.Instance, { ...goodInstance, backupRetentionPeriod: 14 }), { minimumRetentionDays: 30 });
            assert.deepStrictEqual(messages(diags), ["RDS instance must keep automated backups for at least 30 days: backupRetentionPeriod is 14, expected at least 30."]);
        });
        it("rejects disabled backups (0)", async () => {
            assert.deepStrictEqual(messages(await run(rdsBackupRetention, res(aws.docdb.Cluster, { backupRetentionPeriod: 0 }))), [
                "DocumentDB cluster must keep automated backups for at least 7 days: backupRetentionPeriod is 0, expected at least 7.",
            ]);
        });
        it("says so instead of passing when retention is unknown during preview", async () => {
            const diags = await run(rdsBackupRetention, res(aws.rds.Instance, { ...goodInstance, backupRetentionPeriod: UNKNOWN_NUMBER }), { minimumRetentionDays: 30 });
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that automated backups are kept for at least 30 days: backupRetentionPeriod is \(unknown until apply\)/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("rejects a minimum AWS cannot honour (over 35 days) in the policy config", () => {
            assert.throws(() => resolvePolicyConfig([rdsBackupRetention], { "rds-backup-retention": { minimumRetentionDays: 40 } }), /rds-backup-retention\.minimumRetentionDays = 40 is not allowed: must be <= 35/);
        });
    });

    describe("rds-deletion-protection", () => {
        for (const [label, type, good] of goodDatabases) {
            it(`passes the protected ${label} and rejects an unprotected one`, async () => {
                assert.deepStrictEqual(await run(rdsDeletionProtection, res(type, good)), []);
                const { deletionProtection: _, ...unset } = good;
                assert.deepStrictEqual(messages(await run(rdsDeletionProtection, res(type, unset))), [
                    `${label} must have deletion protection: deletionProtection is (unset), expected true.`,
                ]);
            });
        }
        it("rejects deletionProtection: false, as mandatory", async () => {
            const diags = await run(rdsDeletionProtection, res(aws.rds.Instance, { ...goodInstance, deletionProtection: false }));
            assert.deepStrictEqual(messages(diags), ["RDS instance must have deletion protection: deletionProtection is false, expected true."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("says so instead of passing when deletionProtection is unknown during preview", async () => {
            const diags = await run(rdsDeletionProtection, res(aws.rds.Cluster, { ...goodAuroraCluster, deletionProtection: UNKNOWN_BOOL }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that deletion protection is on: deletionProtection is \(unknown until apply\)/);
        });
    });

    describe("rds-final-snapshot", () => {
        for (const [label, type, good] of goodDatabases) {
            it(`passes the ${label} with a named final snapshot and rejects one that skips it`, async () => {
                assert.deepStrictEqual(await run(rdsFinalSnapshot, res(type, good)), []);
                const diags = await run(rdsFinalSnapshot, res(type, { ...good, skipFinalSnapshot: true }));
                assert.deepStrictEqual(messages(diags), [`${label} must take a final snapshot when deleted: skipFinalSnapshot is true, expected false or unset.`]);
                assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            });
        }
        it("accepts skipFinalSnapshot left unset (AWS default false)", async () => {
            const { skipFinalSnapshot: _, ...unset } = goodInstance;
            assert.deepStrictEqual(await run(rdsFinalSnapshot, res(aws.rds.Instance, unset)), []);
        });
        it("rejects a missing finalSnapshotIdentifier", async () => {
            const { finalSnapshotIdentifier: _, ...unnamed } = goodInstance;
            assert.deepStrictEqual(messages(await run(rdsFinalSnapshot, res(aws.rds.Instance, unnamed))), [
                "RDS instance must name its final snapshot: finalSnapshotIdentifier is (unset), expected a snapshot name (without one the provider refuses to delete it).",
            ]);
        });
        it("counts a snapshot name unknown during preview as set, and reports an unknown skip flag", async () => {
            assert.deepStrictEqual(await run(rdsFinalSnapshot, res(aws.rds.Instance, { ...goodInstance, finalSnapshotIdentifier: UNKNOWN })), []);
            const diags = await run(rdsFinalSnapshot, res(aws.rds.Instance, { ...goodInstance, skipFinalSnapshot: UNKNOWN_BOOL }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that a final snapshot is taken on delete: skipFinalSnapshot is \(unknown until apply\)/);
        });
    });
});
