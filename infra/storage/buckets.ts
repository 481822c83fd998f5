import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StorageConfig } from "../config/types";
import { allowAccessLogDelivery, bucketArn, denyInsecureTransport, policyDocument } from "./bucket-policy";
import { LifecycleRule, expiredDeleteMarkerRule, logExpiryRule, validateStorageConfig, versionHousekeepingRule } from "./lifecycle";
import { bucketName, validateNamePrefix } from "./naming";

/** Key prefix of the assets bucket's server access logs in the log bucket. */
export const ASSETS_ACCESS_LOG_PREFIX = "s3-access/assets/";

export interface BucketsArgs {
    /** Lifecycle settings (validated by the stack config; checked again here). */
    storage: StorageConfig;
    /** ARN of the customer-managed KMS key that encrypts the assets bucket (SSE-KMS with a bucket key). */
    storageKmsKeyArn: pulumi.Input<string>;
    /**
     * Prod: `protect` and `retainOnDelete` on both buckets, and `retainOnDelete` on their settings, so
     * neither `pulumi destroy` nor a replacement deletes data or strips a retained bucket's guards.
     */
    protect: boolean;
    /**
     * Start of both bucket names, stable for the life of the stack (a change replaces the buckets):
     * lowercase letters, digits and hyphens, e.g. `pos-prod`. Names are `<prefix>-assets-<account id>`
     * and `<prefix>-logs-<account id>`.
     */
    namePrefix: string;
}

interface BucketParts {
    bucket: aws.s3.Bucket;
    /** Known at preview, unlike `bucket.arn`. */
    arn: pulumi.Output<string>;
    publicAccessBlock: aws.s3.BucketPublicAccessBlock;
}

/**
 * The application's assets bucket and the log bucket that receives its server access logs, each
 * private, TLS-only, versioned and lifecycled, with every setting a separate resource (@pulumi/aws v7).
 */
export class Buckets extends pulumi.ComponentResource {
    readonly assetsBucketName: pulumi.Output<string>;
    readonly assetsBucketArn: pulumi.Output<string>;
    readonly logBucketName: pulumi.Output<string>;
    readonly logBucketArn: pulumi.Output<string>;

    constructor(name: string, args: BucketsArgs, opts?: pulumi.ComponentResourceOptions) {
        validateNamePrefix(args.namePrefix);
        validateStorageConfig(args.storage);
        super("baseline:storage:Buckets", name, {}, opts);

        const stateful: pulumi.CustomResourceOptions = { parent: this, protect: args.protect, retainOnDelete: args.protect };
        const setting: pulumi.CustomResourceOptions = { parent: this, retainOnDelete: args.protect };
        const accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;

        // Policies are built from names (known at preview), not from bucket outputs (unknown until create).
        const bucket = (suffix: string, role: "assets" | "logs"): BucketParts => {
            const physical = accountId.apply((id) => bucketName(args.namePrefix, role, id));
            const b = new aws.s3.Bucket(`${name}-${suffix}`, { bucket: physical }, stateful);
            const pab = new aws.s3.BucketPublicAccessBlock(`${name}-${suffix}-public-access-block`, {
                bucket: b.id,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            }, setting);
            new aws.s3.BucketOwnershipControls(`${name}-${suffix}-ownership`, {
                bucket: b.id,
                rule: { objectOwnership: "BucketOwnerEnforced" },
            }, { ...setting, dependsOn: [pab] });
            const versioning = new aws.s3.BucketVersioning(`${name}-${suffix}-versioning`, {
                bucket: b.id,
                versioningConfiguration: { status: "Enabled" },
            }, setting);
            const rules: LifecycleRule[] = [versionHousekeepingRule(args.storage), role === "logs" ? logExpiryRule(args.storage) : expiredDeleteMarkerRule()];
            // Noncurrent-version rules only mean something once versioning is on.
            new aws.s3.BucketLifecycleConfiguration(`${name}-${suffix}-lifecycle`, { bucket: b.id, rules }, { ...setting, dependsOn: [versioning] });
            return { bucket: b, arn: pulumi.all([partition, physical]).apply(([p, n]) => bucketArn(p, n)), publicAccessBlock: pab };
        };

        const logs = bucket("logs", "logs");
        const assets = bucket("assets", "assets");

        // S3 server access logging cannot deliver to a bucket whose default encryption is SSE-KMS,
        // so the log bucket uses SSE-S3; it holds request logs, not application data.
        new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-logs-encryption`, {
            bucket: logs.bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        }, setting);
        new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-assets-encryption`, {
            bucket: assets.bucket.id,
            // The bucket key cuts KMS requests (and their cost and throttling) by orders of magnitude.
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.storageKmsKeyArn }, bucketKeyEnabled: true }],
        }, setting);

        // S3 rejects concurrent changes to one bucket's policy and public access block: policy goes second.
        const logPolicy = new aws.s3.BucketPolicy(`${name}-logs-policy`, {
            bucket: logs.bucket.id,
            policy: pulumi.all([logs.arn, assets.arn, accountId]).apply(([logArn, assetsArn, account]) =>
                JSON.stringify(policyDocument([
                    denyInsecureTransport(logArn),
                    allowAccessLogDelivery({ logBucketArn: logArn, prefix: ASSETS_ACCESS_LOG_PREFIX, sourceBucketArn: assetsArn, sourceAccountId: account }),
                ])),
            ),
        }, { ...setting, dependsOn: [logs.publicAccessBlock] });
        new aws.s3.BucketPolicy(`${name}-assets-policy`, {
            bucket: assets.bucket.id,
            policy: assets.arn.apply((arn) => JSON.stringify(policyDocument([denyInsecureTransport(arn)]))),
        }, { ...setting, dependsOn: [assets.publicAccessBlock] });

        // The log bucket does not log its own requests: that would be an endless loop of log objects.
        new aws.s3.BucketLogging(`${name}-assets-access-logging`, {
            bucket: assets.bucket.id,
            targetBucket: logs.bucket.id,
            targetPrefix: ASSETS_ACCESS_LOG_PREFIX,
        }, { ...setting, dependsOn: [logPolicy] });

        this.assetsBucketName = assets.bucket.bucket;
        this.assetsBucketArn = assets.bucket.arn;
        this.logBucketName = logs.bucket.bucket;
        this.logBucketArn = logs.bucket.arn;
        this.registerOutputs({
            assetsBucketName: this.assetsBucketName,
            assetsBucketArn: this.assetsBucketArn,
            logBucketName: this.logBucketName,
            logBucketArn: this.logBucketArn,
        });
    }
}
