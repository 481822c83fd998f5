/**
 * The audit trail's names and documents, as pure functions of known values (the stack's name prefix, account,
 * partition and region), so every grant can be read in the diff, tested without AWS, and verified by the policy
 * pack on a first preview. The trail's ARN is built from its name, not read from the trail, so the key and bucket
 * policies the trail needs at create time do not depend on it (no cycle).
 */
import { AuditConfig } from "../config/operations-types";
import { PolicyStatement as BucketStatement, PolicyDocument as BucketDocument, denyInsecureTransport, policyDocument } from "../storage/bucket-policy";
import { KeyPolicyContext, PolicyDocument as KeyDocument, accountRootStatement } from "../security/key-policies";

/** The principal CloudTrail delivers log files, digest files and CloudWatch Logs events as. */
export const CLOUDTRAIL_SERVICE = "cloudtrail.amazonaws.com";

/** Key prefix of the trail bucket's server access logs in the stack's log bucket. */
export const TRAIL_ACCESS_LOG_PREFIX = "s3-access/trail/";

/** Noncurrent versions of trail log files (an overwrite or delete) are kept this long, then expire. */
export const TRAIL_NONCURRENT_VERSION_DAYS = 30;

/** Multipart uploads CloudTrail abandons are aborted after this many days. */
export const TRAIL_ABORT_UPLOAD_DAYS = 7;

/** `<namePrefix>-trail`: one trail per stack (3-128 letters, digits, `.`, `_`, `-`). */
export const trailName = (namePrefix: string): string => `${namePrefix}-trail`;

/** `<namePrefix>-trail-<account>`: bucket names are global, hence the account id (as infra/storage/naming.ts does). */
export const trailBucketName = (namePrefix: string, accountId: string): string => `${namePrefix}-trail-${accountId}`;

/** `/aws/cloudtrail/<namePrefix>`: the log group CloudTrail sends events to. */
export const trailLogGroupName = (namePrefix: string): string => `/aws/cloudtrail/${namePrefix}`;

/** `alias/<namePrefix>-trail`: the trail key's alias. */
export const trailKeyAlias = (namePrefix: string): string => `alias/${namePrefix}-trail`;

/** Where the trail lives: what every ARN below is built from. */
export interface TrailContext {
    accountId: string;
    partition: string;
    /** The trail's home region (a multi-region trail still has one). */
    region: string;
}

/** `arn:<partition>:cloudtrail:<region>:<account>:trail/<name>`, the value CloudTrail sends as `aws:SourceArn`. */
export function trailArn(ctx: TrailContext, name: string): string {
    return `arn:${ctx.partition}:cloudtrail:${ctx.region}:${ctx.accountId}:trail/${name}`;
}

/** A log group's ARN without the trailing `:*` (as @pulumi/aws v7 reports it). */
export function logGroupArn(ctx: TrailContext, name: string): string {
    return `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${name}`;
}

/**
 * The trail key's policy, after AWS's "Configure AWS KMS key policies for CloudTrail" and the console's default
 * policy for trails (CloudTrail User Guide, default-kms-key-policy):
 * - administration by IAM of the account, as every key of this stack (no use: see accountRootStatement);
 * - CloudTrail may generate data keys to encrypt log and digest files, only for this trail (`aws:SourceArn`,
 *   exact) and only with an encryption context naming a trail of this account (StringLike, as AWS writes it);
 * - CloudTrail may describe the key (it checks the key when the trail is created or updated), for this trail only;
 * - principals of this account may decrypt log and digest files (reading, `validate-logs`), only for an
 *   encryption context naming a trail of this account, and only as IAM decides: the principal is the account,
 *   so a caller also needs kms:Decrypt on this key in its own IAM policy (narrower than the console's `"*"`).
 * Nothing else: CloudWatch Logs delivery uses the log group's own key (the stack's logs key), not this one, and
 * the trail bucket has no S3 Bucket Key (see trail-settings in audit-trail.ts), which would need more.
 */
export function trailKeyPolicy(ctx: KeyPolicyContext, thisTrailArn: string): KeyDocument {
    const anyTrailOfAccount = `arn:${ctx.partition}:cloudtrail:*:${ctx.accountId}:trail/*`;
    return {
        Version: "2012-10-17",
        Statement: [
            accountRootStatement(ctx),
            {
                Sid: "AllowCloudTrailEncryptLogsOfThisTrail",
                Effect: "Allow",
                Principal: { Service: CLOUDTRAIL_SERVICE },
                Action: "kms:GenerateDataKey*",
                Resource: "*",
                Condition: {
                    StringEquals: { "aws:SourceArn": thisTrailArn },
                    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": anyTrailOfAccount },
                },
            },
            {
                Sid: "AllowCloudTrailDescribeKey",
                Effect: "Allow",
                Principal: { Service: CLOUDTRAIL_SERVICE },
                Action: "kms:DescribeKey",
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceArn": thisTrailArn } },
            },
            {
                Sid: "AllowAccountDecryptTrailLogsThroughIam",
                Effect: "Allow",
                Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` },
                Action: "kms:Decrypt",
                Resource: "*",
                Condition: {
                    StringEquals: { "kms:CallerAccount": ctx.accountId },
                    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": anyTrailOfAccount },
                },
            },
        ],
    };
}

/**
 * The trail bucket's policy (CloudTrail User Guide, "Amazon S3 bucket policy for CloudTrail"): TLS only;
 * CloudTrail may read the bucket ACL and write under `AWSLogs/<account>/` with `bucket-owner-full-control` (the one
 * ACL a BucketOwnerEnforced bucket accepts on PUT), both only for this trail (`aws:SourceArn`, exact).
 */
export function trailBucketPolicy(bucketArn: string, accountId: string, thisTrailArn: string): BucketDocument {
    const statements: BucketStatement[] = [
        denyInsecureTransport(bucketArn),
        {
            Sid: "AWSCloudTrailAclCheck",
            Effect: "Allow",
            Principal: { Service: CLOUDTRAIL_SERVICE },
            Action: "s3:GetBucketAcl",
            Resource: bucketArn,
            Condition: { StringEquals: { "aws:SourceArn": thisTrailArn } },
        },
        {
            Sid: "AWSCloudTrailWrite",
            Effect: "Allow",
            Principal: { Service: CLOUDTRAIL_SERVICE },
            Action: "s3:PutObject",
            Resource: `${bucketArn}/AWSLogs/${accountId}/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": thisTrailArn } },
        },
    ];
    return policyDocument(statements);
}

/** An IAM document of the delivery role (no principal in a permissions policy). */
export interface IamDocument {
    Version: "2012-10-17";
    Statement: { Sid: string; Effect: "Allow"; Principal?: { Service: string }; Action: string | string[]; Resource?: string | string[] }[];
}

/**
 * Only CloudTrail may assume the delivery role. No aws:SourceArn / aws:SourceAccount condition: AWS states that
 * confused-deputy prevention does not apply to CloudTrail's CloudWatch Logs role and that it does not support those
 * keys ("Role policy document for CloudTrail to use CloudWatch Logs for monitoring"). What bounds it instead: a trail
 * can only name a role of its own account, and whoever creates or updates it needs iam:PassRole on this role.
 */
export function deliveryRoleTrustPolicy(): IamDocument {
    return {
        Version: "2012-10-17",
        Statement: [{ Sid: "CloudTrailAssumeRole", Effect: "Allow", Principal: { Service: CLOUDTRAIL_SERVICE }, Action: "sts:AssumeRole" }],
    };
}

/**
 * Create streams in, and put events into, this one group's CloudTrail streams. CloudTrail names them
 * `<account>_CloudTrail_<region>` (then `_<n>` when it needs more); AWS's pages name that region the trail's in one
 * place and the event's source region in another, so the grant covers `<account>_CloudTrail_*` of this group only
 * (AWS's own default policy grants `log-stream:<prefix>*`). No logs:CreateLogGroup: the group is ours, with our key.
 */
export function deliveryRolePolicy(groupArn: string, accountId: string): IamDocument {
    if (groupArn.endsWith(":*")) throw new Error(`deliveryRolePolicy: expected a log group ARN without a trailing ":*", got ${groupArn}`);
    const streams = `${groupArn}:log-stream:${accountId}_CloudTrail_*`;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "CreateTrailLogStreams", Effect: "Allow", Action: "logs:CreateLogStream", Resource: streams },
            { Sid: "PutTrailLogEvents", Effect: "Allow", Action: "logs:PutLogEvents", Resource: streams },
        ],
    };
}

/** A rule in the shape `aws.s3.BucketLifecycleConfiguration` takes. */
export interface TrailLifecycleRule {
    id: string;
    status: "Enabled";
    filter: Record<string, never>;
    transitions?: { days: number; storageClass: "GLACIER" }[];
    expiration?: { days: number };
    noncurrentVersionExpiration?: { noncurrentDays: number };
    abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
}

/**
 * Log files move to S3 Glacier Flexible Retrieval (`GLACIER`) after `glacierAfterDays` and are deleted after
 * `expireAfterDays`; a version made noncurrent (an overwrite or a delete) goes after 30 days; abandoned uploads go.
 */
export function trailLifecycleRules(audit: AuditConfig): TrailLifecycleRule[] {
    return [
        {
            id: "archive-then-expire-trail-logs",
            status: "Enabled",
            filter: {},
            transitions: [{ days: audit.glacierAfterDays, storageClass: "GLACIER" }],
            expiration: { days: audit.expireAfterDays },
        },
        {
            id: "noncurrent-versions-and-incomplete-uploads",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: TRAIL_NONCURRENT_VERSION_DAYS },
            abortIncompleteMultipartUpload: { daysAfterInitiation: TRAIL_ABORT_UPLOAD_DAYS },
        },
    ];
}
