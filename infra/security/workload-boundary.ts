import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The permissions boundary of every role the stack creates for its workloads (ECS task and execution roles,
 * RDS enhanced monitoring, VPC flow logs, CloudTrail's log delivery, AWS Backup). The deploy role may create
 * or change a role only with this boundary on it (iam:PermissionsBoundary), so whatever policy it writes,
 * the role can never do more than this ceiling allows, and never what it denies.
 *
 * Pure helpers beside the component so the tests (and the deploy identity's condition) read the same ARN.
 */

export interface BoundaryStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string[];
    Resource: "*";
}

/** `<namePrefix>-workload-boundary`. */
export const workloadBoundaryName = (namePrefix: string) => `${namePrefix}-workload-boundary`;

/** The boundary's ARN, from names only: known at preview, before the policy exists (the deploy role's condition uses it). */
export const workloadBoundaryArn = (partition: string, accountId: string, namePrefix: string) =>
    `arn:${partition}:iam::${accountId}:policy/${workloadBoundaryName(namePrefix)}`;

/**
 * The ceiling. Not "*" on "*": the pack's iam-no-wildcard-actions (iam-01) refuses that in any
 * aws.iam.Policy, boundary or not. So the ceiling names what the stack's workloads call, service by
 * service; reads by verb prefix (Describe*, Get*, List*), writes by name. A boundary grants nothing by
 * itself: each role still gets only what its own policy allows, and the Resource here is "*" because
 * the roles' own policies do the scoping. A new kind of workload call must be added here (by an
 * administrator: the deploy role cannot change this policy).
 *
 * Sources: the stack's own role documents (compute/iam-documents.ts, network/flow-log-policies.ts,
 * operations/trail-policies.ts), AmazonRDSEnhancedMonitoringRole, and AWS Backup's managed policies for
 * the resource types the stack backs up (RDS, DocumentDB, S3): AWSBackupServiceRolePolicyForBackup,
 * ...ForRestores, ...ForS3Backup, ...ForS3Restore (AWS Managed Policy Reference).
 */
export const WORKLOAD_CEILING: readonly BoundaryStatement[] = [
    {
        Sid: "EcsTasks", Effect: "Allow", Resource: "*",
        Action: [
            "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
            "secretsmanager:GetSecretValue", "ssm:GetParameters",
            "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
        ],
    },
    // Tasks, flow logs and CloudTrail write streams; RDS enhanced monitoring creates and reads its RDSOSMetrics group.
    { Sid: "Logs", Effect: "Allow", Resource: "*", Action: ["logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:CreateLogStream", "logs:PutLogEvents", "logs:Describe*", "logs:GetLogEvents"] },
    {
        Sid: "KmsUse", Effect: "Allow", Resource: "*",
        Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:DescribeKey", "kms:CreateGrant"],
    },
    {
        Sid: "S3", Effect: "Allow", Resource: "*",
        Action: [
            "s3:Get*", "s3:List*", "s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectVersionAcl", "s3:PutObjectTagging", "s3:DeleteObject",
            // AWS Backup's S3 backups (inventory, EventBridge notifications) and restores (into a new bucket).
            "s3:CreateBucket", "s3:PutBucketVersioning", "s3:PutBucketOwnershipControls", "s3:PutInventoryConfiguration", "s3:PutBucketNotification",
        ],
    },
    {
        Sid: "BackupOfDatabases", Effect: "Allow", Resource: "*",
        Action: [
            "rds:Describe*", "rds:List*", "rds:AddTagsToResource", "rds:CreateDBSnapshot", "rds:CopyDBSnapshot", "rds:CreateDBClusterSnapshot", "rds:CopyDBClusterSnapshot",
            "rds:DeleteDBSnapshot", "rds:DeleteDBClusterSnapshot", "rds:ModifyDBSnapshotAttribute", "rds:ModifyDBClusterSnapshotAttribute",
            "rds:DeleteDBInstanceAutomatedBackup", "rds:DeleteDBClusterAutomatedBackup", "rds:ModifyDBInstance", "rds:ModifyDBCluster",
            "rds:Restore*", "rds:CreateDBInstance", "rds:DeleteDBInstance", "rds:DeleteDBCluster",
        ],
    },
    {
        Sid: "BackupService", Effect: "Allow", Resource: "*",
        Action: [
            "backup:DescribeBackupVault", "backup:CopyIntoBackupVault", "backup:CopyFromBackupVault", "backup:TagResource",
            "backup:StartRestoreJob", "backup:DescribeRestoreJob", "backup:ListRestoreJobs", "backup:ListRecoveryPointsByBackupVault",
            "tag:GetResources", "cloudwatch:GetMetricData", "ec2:Describe*",
            "events:PutRule", "events:PutTargets", "events:DeleteRule", "events:RemoveTargets", "events:EnableRule", "events:DisableRule",
            "events:DescribeRule", "events:ListRules", "events:ListTargetsByRule",
        ],
    },
];

/**
 * What no workload role ever does, whatever its own policy says. None of these is needed by any role of the
 * stack: no workload calls IAM or chains roles (sts:AssumeRole). AWS Backup's managed policies pass roles
 * only to EKS, EC2, EKS pods and Backup itself (restores of EKS) and to GuardDuty malware protection (scans):
 * none of which this stack backs up or turns on; enabling a scan needs iam:PassRole to that service here. kms:CreateGrant is NOT denied: AWS Backup and RDS create
 * grants for the copy and restore of encrypted snapshots (kms:GrantIsForAWSResource in AWS's policies).
 */
export const WORKLOAD_DENIED: readonly BoundaryStatement[] = [
    { Sid: "DenyIdentityAndAccount", Effect: "Deny", Resource: "*", Action: ["iam:*", "organizations:*", "account:*", "sts:AssumeRole"] },
    { Sid: "DenyKeyTakeover", Effect: "Deny", Resource: "*", Action: ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey"] },
    { Sid: "DenyAuditChanges", Effect: "Deny", Resource: "*", Action: ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors"] },
    { Sid: "DenyRecoveryPointDeletion", Effect: "Deny", Resource: "*", Action: ["backup:DeleteRecoveryPoint", "backup:DeleteBackupVault*"] },
];

export function workloadBoundaryDocument() {
    return { Version: "2012-10-17" as const, Statement: [...WORKLOAD_CEILING, ...WORKLOAD_DENIED] };
}

export interface WorkloadBoundaryArgs {
    /** `<app>-<environment>`: the policy is `<namePrefix>-workload-boundary`. */
    namePrefix: string;
}

const NAME_PREFIX = /^[A-Za-z0-9+=,.@_-]+$/;

/**
 * The customer-managed policy every workload role of the stack has as its permissions boundary. Create it
 * before any role (main.ts passes `arn` to each component, so each role waits for it). Only an
 * administrator changes it: the deploy role is denied new versions of it.
 */
export class WorkloadBoundary extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;
    readonly name: string;

    constructor(name: string, args: WorkloadBoundaryArgs, opts?: pulumi.ComponentResourceOptions) {
        // IAM policy names: at most 128 of these characters.
        if (!NAME_PREFIX.test(args.namePrefix) || workloadBoundaryName(args.namePrefix).length > 128) {
            throw new Error(`WorkloadBoundary ${name}: namePrefix ${JSON.stringify(args.namePrefix)} is not allowed: expected letters, digits and +=,.@_- with "<namePrefix>-workload-boundary" at most 128 characters.`);
        }
        super("baseline:security:WorkloadBoundary", name, {}, opts);
        this.name = workloadBoundaryName(args.namePrefix);
        const policy = new aws.iam.Policy(`${name}-policy`, {
            name: this.name,
            description: `Permissions boundary of every ${args.namePrefix} workload role: the most any of them may do`,
            policy: JSON.stringify(workloadBoundaryDocument()),
            tags: { Name: this.name },
        }, { parent: this });
        this.arn = policy.arn;
        this.registerOutputs({ arn: this.arn });
    }
}
