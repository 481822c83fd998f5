import { resourcePolicy } from "../lib/define";
import { isSet, isUnknown, show } from "../lib/props";
import { DATABASES, RDS_CLUSTER, checkFlag, labelOf } from "./database-types";

/** Policies that keep a database's data: encryption, backups, deletion protection, final snapshots. */

/** AWS keeps one day of automated backups when `backupRetentionPeriod` is not sent (CreateDBInstance/CreateDBCluster). */
export const AWS_DEFAULT_BACKUP_RETENTION_DAYS = 1;

/** rds-02: storage encrypted at rest, optionally with a key whose policy the account controls. */
export const rdsStorageEncrypted = resourcePolicy<{ requireCustomerKey: boolean }>({
    name: "rds-storage-encrypted",
    description: "RDS instances and clusters and DocumentDB clusters must encrypt their storage (with a customer-managed KMS key when configured).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set `storageEncrypted: true` and `kmsKeyId` (a customer-managed aws.kms.Key ARN) on the aws.rds.Instance, aws.rds.Cluster or aws.docdb.Cluster. " +
        "Existing storage cannot be encrypted in place: restore an encrypted copy of a snapshot.",
    securityHub: ["RDS.3", "RDS.27", "DocumentDB.1"],
    catalogue: ["rds-02"],
    config: {
        requireCustomerKey: { type: "boolean", default: false, description: "Also require `kmsKeyId`: a customer-managed key rather than the AWS-managed aws/rds key." },
    },
    types: DATABASES,
    check: (db, { type, config }, report) => {
        const what = labelOf(type);
        // Only Aurora Serverless v1 encrypts by default; provisioned Aurora, RDS and DocumentDB do not.
        const awsDefault = type === RDS_CLUSTER && db.engineMode === "serverless";
        checkFlag(db, what, { field: "storageEncrypted", expected: true, awsDefault, must: "encrypt its storage", holds: "storage is encrypted" }, report);
        if (!config.requireCustomerKey) return;
        const key = db.kmsKeyId;
        if (!isSet(key)) {
            report.violation(`${what} must encrypt its storage with a customer-managed KMS key: kmsKeyId is (unset), so AWS uses aws/rds, expected a customer key ARN.`);
        } else if (typeof key === "string" && /(^|:)alias\/aws\//.test(key)) {
            report.violation(`${what} must encrypt its storage with a customer-managed KMS key: kmsKeyId is ${show(key)}, an AWS-managed key, expected a customer key ARN.`);
        }
    },
});

/** rds-03: enough automated backups to notice and undo a mistake. */
export const rdsBackupRetention = resourcePolicy<{ minimumRetentionDays: number }>({
    name: "rds-backup-retention",
    description: "RDS instances and clusters and DocumentDB clusters must keep automated backups for at least the configured number of days.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `backupRetentionPeriod` (1..35 days) to at least the configured minimum on the aws.rds.Instance, aws.rds.Cluster or aws.docdb.Cluster.",
    securityHub: ["RDS.11", "DocumentDB.2"],
    catalogue: ["rds-03"],
    config: {
        minimumRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: 7, description: "Fewest days of automated backups allowed (prod's policy config sets 30)." },
    },
    types: DATABASES,
    check: (db, { type, config }, report) => {
        const value = db.backupRetentionPeriod;
        const minimum = config.minimumRetentionDays;
        const period = `${minimum} day${minimum === 1 ? "" : "s"}`;
        if (isUnknown(value)) {
            report.unverifiable("backupRetentionPeriod", value, `automated backups are kept for at least ${period}`);
            return;
        }
        const days = value ?? AWS_DEFAULT_BACKUP_RETENTION_DAYS;
        if (typeof days === "number" && days >= minimum) return;
        const found = value === undefined ? `(unset), so AWS keeps ${AWS_DEFAULT_BACKUP_RETENTION_DAYS}` : show(value);
        report.violation(`${labelOf(type)} must keep automated backups for at least ${period}: backupRetentionPeriod is ${found}, expected at least ${minimum}.`);
    },
});

/** rds-05: a delete (a mistaken replace, a stray destroy) needs a deliberate change first. */
export const rdsDeletionProtection = resourcePolicy({
    name: "rds-deletion-protection",
    description: "RDS instances and clusters and DocumentDB clusters must have deletion protection enabled.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `deletionProtection: true` on the aws.rds.Instance, aws.rds.Cluster or aws.docdb.Cluster; turn it off in a separate change when a deletion is intended.",
    securityHub: ["RDS.8", "RDS.7", "DocumentDB.5"],
    catalogue: ["rds-05"],
    types: DATABASES,
    check: (db, { type }, report) => {
        checkFlag(db, labelOf(type), { field: "deletionProtection", expected: true, awsDefault: false, must: "have deletion protection", holds: "deletion protection is on" }, report);
    },
});

/** rds-16: deleting a database leaves a named snapshot behind. */
export const rdsFinalSnapshot = resourcePolicy({
    name: "rds-final-snapshot",
    description: "RDS instances and clusters and DocumentDB clusters must take a named final snapshot when deleted.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Leave `skipFinalSnapshot` unset or false and set `finalSnapshotIdentifier` on the aws.rds.Instance, aws.rds.Cluster or aws.docdb.Cluster.",
    catalogue: ["rds-16"],
    types: DATABASES,
    check: (db, { type }, report) => {
        const what = labelOf(type);
        checkFlag(db, what, { field: "skipFinalSnapshot", expected: false, awsDefault: false, must: "take a final snapshot when deleted", holds: "a final snapshot is taken on delete" }, report);
        if (!isSet(db.finalSnapshotIdentifier)) {
            report.violation(`${what} must name its final snapshot: finalSnapshotIdentifier is (unset), expected a snapshot name (without one the provider refuses to delete it).`);
        }
    },
});
