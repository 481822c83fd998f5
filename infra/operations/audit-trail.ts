import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertSection } from "../config/checks";
import { AuditConfig } from "../config/operations-types";
import { AUDIT_CHECKS, LOGS_CHECKS } from "../config/sections/operations";
import { KmsConfig } from "../config/types";
import { deletionWindowProblem, keyPolicyContext } from "../security/key-context";
import { bucketArn } from "../storage/bucket-policy";
import { OWNERSHIP_RULE, PUBLIC_ACCESS_BLOCK, VERSIONING } from "../storage/bucket-settings";
import {
    TRAIL_ACCESS_LOG_PREFIX, TrailContext, deliveryRolePolicy, deliveryRoleTrustPolicy, logGroupArn, trailArn, trailBucketName, trailBucketPolicy, trailKeyAlias, trailKeyPolicy,
    trailLifecycleRules, trailLogGroupName, trailName,
} from "./trail-policies";

export { TRAIL_ACCESS_LOG_PREFIX };

export interface AuditTrailArgs {
    /** Stable start of every name, e.g. `pos-prod`: lowercase letters, digits and single hyphens (it names a bucket). */
    namePrefix: string;
    /** `baseline:audit`: `cloudTrail` must be true (the caller creates no AuditTrail otherwise), and the bucket's lifecycle. */
    audit: AuditConfig;
    /** `baseline:kms`: the trail key's deletion window. */
    kms: KmsConfig;
    /** `baseline:logs`: retention of the CloudWatch log group the trail also delivers to. */
    logs: { retentionDays: number };
    /** The stack's logs key (`Keys.logsKeyArn`): encrypts the log group. */
    logsKmsKeyArn: pulumi.Input<string>;
    /**
     * Server access logs of the trail bucket go to this bucket under `prefix` (ending in "/"). The target bucket's
     * policy must admit them (`Buckets` `accessLogSources`). Unset: no access logging (the trail bucket is a log bucket).
     */
    accessLogs?: {
        bucketName: pulumi.Input<string>;
        prefix: string;
        /** The target bucket's policy: S3 checks it admits the logs when logging is turned on. */
        bucketPolicy?: pulumi.Resource;
    };
    /**
     * Prod: `protect` on the key, the bucket, the log group and the trail, and `retainOnDelete` on the bucket and the
     * log group (audit evidence outlives the stack). Otherwise the bucket is emptied and deleted on destroy. The key
     * is kept on delete in every environment, like the stack's other keys.
     */
    protect: boolean;
    /** The stack's workload permissions boundary (security/workload-boundary.ts), on every role created here. Default: none (infra/main.ts always sets it). */
    permissionsBoundaryArn?: pulumi.Input<string>;
}

/** Lowercase letters, digits and single hyphens, starting and ending with a letter or digit. */
const NAME_PREFIX = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
/** 63 (S3's limit) - "-trail-" - a 12-digit account id. */
export const MAX_TRAIL_NAME_PREFIX = 63 - "-trail-".length - 12;

/** Every problem of the arguments, before anything registers. */
export function auditTrailProblems(args: AuditTrailArgs): string[] {
    const problems: string[] = [];
    const p = args.namePrefix;
    if (typeof p !== "string" || !NAME_PREFIX.test(p) || p.includes("--") || p.length > MAX_TRAIL_NAME_PREFIX || p.startsWith("sthree-") || p.startsWith("amzn-s3-demo-")) {
        problems.push(`namePrefix ${JSON.stringify(p)} is not allowed: expected lowercase letters, digits and single hyphens, starting and ending with a letter or digit, at most ${MAX_TRAIL_NAME_PREFIX} characters (the bucket is <namePrefix>-trail-<account id>, at most 63), such as "pos-prod"`);
    }
    if (args.audit.cloudTrail !== true) {
        problems.push(`audit.cloudTrail is ${JSON.stringify(args.audit.cloudTrail)}: create an AuditTrail only where the stack runs its own trail (true)`);
    }
    const prefix = args.accessLogs?.prefix;
    if (prefix !== undefined && !/^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*\/$/.test(prefix)) {
        problems.push(`accessLogs.prefix ${JSON.stringify(prefix)} is not allowed: expected lowercase segments ending in "/", such as "s3-access/trail/"`);
    }
    const window = deletionWindowProblem("kms", args.kms);
    if (window) problems.push(window.replace(/^kms: /, ""));
    return problems;
}

/**
 * The account's audit trail: a multi-region CloudTrail trail of read and write management events with log-file
 * validation, encrypted with a key of its own, delivered to a dedicated bucket (private, TLS-only, versioned,
 * archived to Glacier then expired) and to an encrypted CloudWatch log group through a role that can write only there.
 */
export class AuditTrail extends pulumi.ComponentResource {
    readonly trailArn: pulumi.Output<string>;
    readonly bucketName: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
        // The config loader's own checks for the sections this takes, then this component's: nothing registers on a problem.
        assertSection(`AuditTrail ${name}`, "audit", AUDIT_CHECKS, args.audit, "prod");
        assertSection(`AuditTrail ${name}`, "logs", LOGS_CHECKS, args.logs, "prod");
        const problems = auditTrailProblems(args);
        if (problems.length > 0) throw new Error(`AuditTrail ${name} has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        super("baseline:operations:AuditTrail", name, {}, opts);

        const child = { parent: this };
        const context = keyPolicyContext(this);
        const where = context.apply((c): TrailContext => ({ accountId: c.accountId, partition: c.partition, region: c.region }));
        const nameOfTrail = trailName(args.namePrefix);
        // Built from names, known at preview: the key and bucket policies name the trail before it exists.
        const arnOfTrail = where.apply((c) => trailArn(c, nameOfTrail));

        const key = new aws.kms.Key(`${name}-key`, {
            description: `${args.namePrefix} CloudTrail log and digest files`,
            enableKeyRotation: true,
            deletionWindowInDays: args.kms.deletionWindowDays,
            policy: pulumi.all([context, arnOfTrail]).apply(([ctx, arn]) => JSON.stringify(trailKeyPolicy(ctx, arn))),
        }, { parent: this, protect: args.protect, retainOnDelete: true });
        new aws.kms.Alias(`${name}-key-alias`, { name: trailKeyAlias(args.namePrefix), targetKeyId: key.keyId }, child);

        const { bucket, bucketPolicy, settings } = this.bucket(name, args, where, arnOfTrail, key.arn);
        const { logGroup, rolePolicy, role } = this.delivery(name, args, where);

        const trail = new aws.cloudtrail.Trail(name, {
            name: nameOfTrail,
            s3BucketName: bucket.id,
            kmsKeyId: key.arn,
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
            enableLogging: true,
            eventSelectors: [{ readWriteType: "All", includeManagementEvents: true }],
            // CloudTrail takes the group's ARN with the trailing ":*" (v7 reports it without).
            cloudWatchLogsGroupArn: pulumi.interpolate`${logGroup.arn}:*`,
            cloudWatchLogsRoleArn: role.arn,
        }, {
            parent: this,
            protect: args.protect,
            // CloudTrail checks at create that it may write to the bucket and the log group.
            dependsOn: [bucketPolicy, rolePolicy, ...settings],
        });

        this.trailArn = trail.arn;
        this.bucketName = bucket.bucket;
        this.keyArn = key.arn;
        this.logGroupName = logGroup.name;
        this.registerOutputs({ trailArn: this.trailArn, bucketName: this.bucketName, keyArn: this.keyArn, logGroupName: this.logGroupName });
    }

    /** The dedicated bucket and its settings, one resource each (@pulumi/aws v7), as infra/storage/buckets.ts builds them. */
    private bucket(name: string, args: AuditTrailArgs, where: pulumi.Output<TrailContext>, arnOfTrail: pulumi.Output<string>, keyArn: pulumi.Output<string>) {
        const physical = where.apply((c) => trailBucketName(args.namePrefix, c.accountId));
        const arn = pulumi.all([where, physical]).apply(([c, n]) => bucketArn(c.partition, n));
        // A kept bucket keeps its guards; unprotected (staging) it is emptied of every version on destroy, or S3
        // refuses to delete it (the provider reads forceDestroy from state: a change needs `pulumi up` before a destroy).
        const setting = (dependsOn?: pulumi.Resource): pulumi.CustomResourceOptions => ({ parent: this, retainOnDelete: args.protect, ...(dependsOn ? { dependsOn: [dependsOn] } : {}) });
        const bucket = new aws.s3.Bucket(`${name}-bucket`, { bucket: physical, forceDestroy: !args.protect }, { parent: this, protect: args.protect, retainOnDelete: args.protect });
        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(`${name}-bucket-public-access-block`, { bucket: bucket.id, ...PUBLIC_ACCESS_BLOCK }, setting());
        const ownership = new aws.s3.BucketOwnershipControls(`${name}-bucket-ownership`, { bucket: bucket.id, rule: OWNERSHIP_RULE }, setting(publicAccessBlock));
        const versioning = new aws.s3.BucketVersioning(`${name}-bucket-versioning`, { bucket: bucket.id, versioningConfiguration: VERSIONING }, setting());
        new aws.s3.BucketLifecycleConfiguration(`${name}-bucket-lifecycle`, { bucket: bucket.id, rules: trailLifecycleRules(args.audit) }, setting(versioning));
        // SSE-KMS under the trail key, without an S3 Bucket Key: CloudTrail encrypts each file with this key and an
        // encryption context naming the trail, which the key policy requires; AWS documents that a bucket key needs
        // kms:Decrypt beyond that at CreateTrail/UpdateTrail. A trail writes a few files per region every 5 minutes,
        // so a bucket key would save few KMS requests. No other writer is meant to use the bucket.
        const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-bucket-encryption`, {
            bucket: bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, bucketKeyEnabled: false }],
        }, setting());
        // S3 rejects concurrent changes to one bucket's policy and public access block: the policy goes second.
        const bucketPolicy = new aws.s3.BucketPolicy(`${name}-bucket-policy`, {
            bucket: bucket.id,
            policy: pulumi.all([arn, where, arnOfTrail]).apply(([b, c, t]) => JSON.stringify(trailBucketPolicy(b, c.accountId, t))),
        }, setting(publicAccessBlock));
        if (args.accessLogs) {
            new aws.s3.BucketLogging(`${name}-bucket-access-logging`, {
                bucket: bucket.id,
                targetBucket: args.accessLogs.bucketName,
                targetPrefix: args.accessLogs.prefix,
            }, setting(args.accessLogs.bucketPolicy));
        }
        return { bucket, bucketPolicy, settings: [ownership, versioning, encryption] };
    }

    /** The log group (logs key, retention) and the role CloudTrail assumes to write to it, and nowhere else. */
    private delivery(name: string, args: AuditTrailArgs, where: pulumi.Output<TrailContext>) {
        const groupName = trailLogGroupName(args.namePrefix);
        const logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, {
            name: groupName,
            retentionInDays: args.logs.retentionDays,
            kmsKeyId: args.logsKmsKeyArn,
        }, { parent: this, protect: args.protect, retainOnDelete: args.protect });
        const role = new aws.iam.Role(`${name}-logs-role`, {
            // Named under the stack's prefix: the deploy role may manage only roles named `<namePrefix>-*`.
            name: `${args.namePrefix}-trail-logs`,
            permissionsBoundary: args.permissionsBoundaryArn,
            description: `Lets CloudTrail deliver the ${args.namePrefix} trail's events to ${groupName}`,
            assumeRolePolicy: JSON.stringify(deliveryRoleTrustPolicy()),
        }, { parent: this });
        const rolePolicy = new aws.iam.RolePolicy(`${name}-logs-policy`, {
            role: role.id,
            // From the group's known name rather than `logGroup.arn`, so the document is known at preview.
            policy: where.apply((c) => JSON.stringify(deliveryRolePolicy(logGroupArn(c, groupName), c.accountId))),
        }, { parent: this });
        return { logGroup, role, rolePolicy };
    }
}

/**
 * What `Buckets` needs to admit the trail bucket's server access logs into the log bucket: the trail bucket's
 * name (from the account, known before the bucket exists) and its prefix, `TRAIL_ACCESS_LOG_PREFIX`.
 */
export function trailAccessLogSource(namePrefix: string): { sid: string; bucketName: pulumi.Output<string>; prefix: string } {
    return {
        sid: "AllowS3ServerAccessLogDeliveryFromTrail",
        bucketName: aws.getCallerIdentityOutput().accountId.apply((id) => trailBucketName(namePrefix, id)),
        prefix: TRAIL_ACCESS_LOG_PREFIX,
    };
}
