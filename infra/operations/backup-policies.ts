/**
 * The AWS Backup plan's documents, as pure functions of known values, so each rule, grant and denial can be
 * read in a diff and tested without mocks: the plan's rules, the vault keys' policies, the vaults' access
 * policy, the vault lock's limits and the role AWS Backup assumes. AWS behaviour each relies on is cited
 * beside it; none of it was exercised against an AWS account.
 */
import * as pulumi from "@pulumi/pulumi";
import { REGION } from "../config/checks";
import { BackupConfig } from "../config/operations-types";
import { KeyPolicyContext, PolicyDocument, accountRootStatement, viaServicesStatement } from "../security/key-policies";

/** Every day at 05:00 UTC: after the database's automated backup window (03:00-04:00) and the cache's snapshot window. */
export const DAILY_SCHEDULE = "cron(0 5 * * ? *)";
/** The 1st of every month at 05:00 UTC. */
export const MONTHLY_SCHEDULE = "cron(0 5 1 * ? *)";

/**
 * A job that has not started this long after its scheduled time is cancelled. AWS Backup requires at least
 * 60 minutes (BackupRule.StartWindowMinutes, API reference). Two hours also cover Sunday's 04:30-05:30
 * database maintenance window: AWS Backup's plan options page says database snapshot jobs do not start in
 * the hour before or during a maintenance window, so Sunday's job starts once it has ended.
 */
export const START_WINDOW_MINUTES = 120;
/**
 * A started job not finished this long after it started is cancelled. Start and completion windows add up to
 * 20 hours, so a job is done (or cancelled and reported) before the next day's job is scheduled.
 */
export const COMPLETION_WINDOW_MINUTES = 1080;

/** AWS Backup's name rules: vaults `^[a-zA-Z0-9\-\_]{2,50}$`; plans, rules and selections 1..50 of `[a-zA-Z0-9\-\_\.]`. */
export const VAULT_NAME = /^[a-zA-Z0-9_-]{2,50}$/;
const RULE_NAME = /^[a-zA-Z0-9._-]{1,50}$/;
/** AWS Backup keeps recovery points at most 100 years (the config's limit on monthly retention). */
const MAX_RETENTION_DAYS = 36500;

/** One rule of the plan, before it names its vaults. */
export interface RuleSpec {
    ruleName: string;
    schedule: string;
    /** Days a recovery point (and its copy) is kept. */
    deleteAfter: number;
}

/** The two rules: daily points kept `dailyRetentionDays`, monthly points (the 1st) kept `monthlyRetentionDays`. */
export function ruleSpecs(namePrefix: string, backup: BackupConfig): RuleSpec[] {
    return [
        { ruleName: `${namePrefix}-daily`, schedule: DAILY_SCHEDULE, deleteAfter: backup.dailyRetentionDays },
        { ruleName: `${namePrefix}-monthly`, schedule: MONTHLY_SCHEDULE, deleteAfter: backup.monthlyRetentionDays },
    ];
}

/** The plan's rules as aws.backup.Plan takes them. */
export interface PlanRuleInput {
    ruleName: string;
    targetVaultName: pulumi.Input<string>;
    schedule: string;
    startWindow: number;
    completionWindow: number;
    lifecycle: { deleteAfter: number };
    copyActions?: { destinationVaultArn: pulumi.Input<string>; lifecycle: { deleteAfter: number } }[];
}

/**
 * Both rules back up into `vaultName` and, with `copyVaultArn`, copy each recovery point into that vault
 * (another region's), the copy kept as long as the original. On the 1st of a month both rules are due at
 * 05:00: AWS Backup then takes one backup, for the rule with the longer retention (the monthly one), its
 * start window included ("Backup plan options and configuration", AWS Backup Developer Guide), so that day
 * is neither backed up twice nor missing from the monthly series.
 */
export function planRules(specs: RuleSpec[], vaultName: pulumi.Input<string>, copyVaultArn?: pulumi.Input<string>): PlanRuleInput[] {
    return specs.map((s) => ({
        ruleName: s.ruleName,
        targetVaultName: vaultName,
        schedule: s.schedule,
        startWindow: START_WINDOW_MINUTES,
        completionWindow: COMPLETION_WINDOW_MINUTES,
        lifecycle: { deleteAfter: s.deleteAfter },
        ...(copyVaultArn !== undefined ? { copyActions: [{ destinationVaultArn: copyVaultArn, lifecycle: { deleteAfter: s.deleteAfter } }] } : {}),
    }));
}

/**
 * The vault lock's limits, in governance mode: no `changeableForDays` (with it, the lock becomes compliance
 * mode once that many days pass, and then no one can remove it). AWS Backup fails any backup or copy job into
 * the vault whose retention is shorter than `minRetentionDays` or longer than `maxRetentionDays`, and refuses
 * to delete a recovery point, or shorten its lifecycle, before `minRetentionDays` (AWS Backup Vault Lock,
 * PutBackupVaultLockConfiguration). So the minimum is the shortest rule's retention and the maximum the longest's.
 */
export function vaultLockLimits(specs: RuleSpec[]): { minRetentionDays: number; maxRetentionDays: number } {
    const days = specs.map((s) => s.deleteAfter);
    return { minRetentionDays: Math.min(...days), maxRetentionDays: Math.max(...days) };
}

/**
 * A vault's key. AWS Backup encrypts the recovery points of the resources it fully manages (S3 here) with
 * the vault's key, and re-encrypts a cross-region copy with the destination vault's key, creating grants on
 * it for the job (the Developer Guide's "Encryption for backups" and "Backup vault creation": kms:CreateGrant,
 * DescribeKey, Decrypt, GenerateDataKey). Principals of the account use it only through those services:
 * - `backup` in every vault's region;
 * - also `rds` in the copy region (`includeRds`): RDS and DocumentDB recovery points are snapshots that stay
 *   under the database's own key in the stack's region, but their copy in another region is made by RDS
 *   (CopyDBSnapshot / CopyDBClusterSnapshot need a key of the destination region: the vault's), and a restore
 *   there creates the database through RDS with that key.
 * The administrative statement is every key's (infra/security/key-policies.ts): administration, no use.
 */
export function vaultKeyPolicy(ctx: KeyPolicyContext, includeRds: boolean): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [accountRootStatement(ctx), viaServicesStatement(ctx, "AllowAwsBackupInAccount", includeRds ? ["backup", "rds"] : ["backup"])],
    };
}

/** What no one may do to a recovery point in the vault, whatever their IAM policy says. */
export const DENIED_RECOVERY_POINT_ACTIONS = ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle", "backup:PutBackupVaultAccessPolicy"];

export interface VaultAccessPolicy {
    Version: "2012-10-17";
    Statement: { Sid: string; Effect: "Deny"; Principal: "*"; Action: string[]; Resource: "*" }[];
}

/**
 * The vault's access policy: everyone (the account root and this stack's deploy role included) is refused
 * deleting a recovery point or changing its lifecycle, and replacing this policy; expiry by the plan's
 * lifecycle is AWS Backup's own and continues. It is the statement the AWS Config rule
 * `backup-recovery-point-manual-deletion-disabled` looks for (those three actions, principal and resource "*");
 * vault access policies take no wildcard in Action (AWS Backup Developer Guide, "Vault access policies").
 * It governs AWS Backup's API only: RDS snapshots made by AWS Backup are also reachable through RDS's API,
 * which IAM policies govern.
 *
 * To remove it (an administrator, deliberately): `aws backup delete-backup-vault-access-policy
 * --backup-vault-name <vault>` with backup:DeleteBackupVaultAccessPolicy in their IAM policy (deliberately not
 * denied here), then the change; the next `pulumi up` puts the policy back. Changing the policy through Pulumi
 * needs the same first step, since PutBackupVaultAccessPolicy is refused while it is attached.
 */
export function vaultAccessPolicy(): VaultAccessPolicy {
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: "DenyRecoveryPointDeletionAndPolicyChange", Effect: "Deny", Principal: "*", Action: [...DENIED_RECOVERY_POINT_ACTIONS], Resource: "*" }],
    };
}

/**
 * Who may assume the role: AWS Backup. No aws:SourceAccount condition: AWS Backup documents those keys for
 * resource policies it acts through (its "Cross-service confused deputy prevention" page: KMS key and SNS topic
 * policies), not for its service role's trust, and a condition the service does not send would fail every job.
 * Another account cannot make AWS Backup use this role: a plan's selection or a job names the role, which takes
 * iam:PassRole on it, and only this account's principals can be granted that.
 */
export function backupTrustPolicy() {
    return {
        Version: "2012-10-17" as const,
        Statement: [{ Sid: "AwsBackupAssumeRole", Effect: "Allow" as const, Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
    };
}

/**
 * The AWS managed policies the role carries: back up and restore RDS and DocumentDB (under `service-role/`),
 * and back up and restore S3 (at the root path: arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup,
 * per the AWS Managed Policy Reference). AWS maintains them as the services change; they grant on "*" (any
 * snapshot, any bucket): what AWS Backup may touch is decided by the selection, which names three ARNs.
 */
export function backupManagedPolicyArns(partition: string): string[] {
    return [
        `arn:${partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup`,
        `arn:${partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores`,
        `arn:${partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup`,
        `arn:${partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore`,
    ];
}

/** The first problem with a BackupPlan's own arguments, named for the component `who`. */
export function backupArgsProblem(who: string, a: { namePrefix: string; backup: BackupConfig; resourceCount: number; copyRegion?: string }): string | undefined {
    const { dailyRetentionDays: daily, monthlyRetentionDays: monthly } = a.backup;
    if (!VAULT_NAME.test(a.namePrefix) || !RULE_NAME.test(`${a.namePrefix}-monthly`)) {
        return `${who}: namePrefix ${JSON.stringify(a.namePrefix)} cannot name a backup vault and its rules: expected 2 to 42 letters, digits, "-" or "_".`;
    }
    if (!Number.isInteger(daily) || daily < 1 || daily > MAX_RETENTION_DAYS) {
        return `${who}: backup.dailyRetentionDays is ${daily}, expected a whole number of days from 1 to ${MAX_RETENTION_DAYS}.`;
    }
    if (!Number.isInteger(monthly) || monthly < daily || monthly > MAX_RETENTION_DAYS) {
        return `${who}: backup.monthlyRetentionDays is ${monthly}, expected a whole number of days from dailyRetentionDays (${daily}) to ${MAX_RETENTION_DAYS}.`;
    }
    if (a.resourceCount === 0) return `${who}: resources is empty, expected the ARNs of the resources to back up.`;
    if (a.copyRegion !== undefined && !REGION.test(a.copyRegion)) {
        return `${who}: copy.region ${JSON.stringify(a.copyRegion)} is not an AWS region name such as eu-central-1.`;
    }
    return undefined;
}
