import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StorageConfig } from "../config/types";
import {
    ELB_ACCOUNT_REGIONS, ELB_LOG_DELIVERY_SERVICE, LOAD_BALANCER_LOG_PREFIX_RULE, LoadBalancerLogPrincipal, bucketArn, isLoadBalancerLogPrefix,
} from "./bucket-policy";
import {
    ASSETS_ACCESS_LOG_PREFIX, OWNERSHIP_RULE, PUBLIC_ACCESS_BLOCK, VERSIONING, assetsBucketPolicy, encryptionRules, lifecycleRules, logBucketPolicy,
} from "./bucket-settings";
import { validateStorageConfig } from "./lifecycle";
import { BucketRole, bucketName, validateNamePrefix } from "./naming";

export { ASSETS_ACCESS_LOG_PREFIX };

export interface BucketsArgs {
    /** Lifecycle settings (validated by the stack config; checked again here). */
    storage: StorageConfig;
    /** ARN of the customer-managed KMS key that encrypts the assets bucket (SSE-KMS with a bucket key). */
    storageKmsKeyArn: pulumi.Input<string>;
    /**
     * Prod: `protect` and `retainOnDelete` on both buckets, and `retainOnDelete` on their settings, so
     * neither `pulumi destroy` nor a replacement deletes data or strips a retained bucket's guards.
     * Otherwise `forceDestroy`: a destroy empties and deletes both buckets.
     */
    protect: boolean;
    /**
     * Start of both bucket names, stable for the life of the stack (a change replaces the buckets):
     * lowercase letters, digits and hyphens, e.g. `pos-prod`. Names are `<prefix>-assets-<account id>`
     * and `<prefix>-logs-<account id>`.
     */
    namePrefix: string;
    /**
     * Let Elastic Load Balancing write access logs into the log bucket under `<prefix>/AWSLogs/<account id>/`,
     * `prefix` being the load balancer's `accessLogs.prefix` (e.g. `alb-access`). Unset: no load balancer may.
     */
    allowLoadBalancerLogs?: { prefix: string };
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
    /** A load balancer logging here must wait for it: AWS checks it can write when logging is turned on. */
    readonly logBucketPolicy: aws.s3.BucketPolicy;

    private readonly accountId: pulumi.Output<string>;
    private readonly partition: pulumi.Output<string>;

    constructor(private readonly componentName: string, private readonly args: BucketsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Before super: a bad prefix or lifecycle fails with nothing registered.
        validateNamePrefix(args.namePrefix);
        validateStorageConfig(args.storage);
        const elbPrefix = args.allowLoadBalancerLogs?.prefix;
        if (elbPrefix !== undefined && !isLoadBalancerLogPrefix(elbPrefix)) {
            throw new Error(`Buckets: allowLoadBalancerLogs.prefix ${JSON.stringify(elbPrefix)} is not allowed: expected ${LOAD_BALANCER_LOG_PREFIX_RULE}.`);
        }
        super("baseline:storage:Buckets", componentName, {}, opts);
        this.accountId = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        this.partition = aws.getPartitionOutput({}, { parent: this }).partition;

        const logs = this.bucket("logs");
        const assets = this.bucket("assets");
        this.encryption(logs, "logs");
        this.encryption(assets, "assets");
        this.logBucketPolicy = this.policies(logs, assets);
        this.accessLogging(assets, logs, this.logBucketPolicy);

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

    /** Buckets hold data: protected and kept in prod. */
    private get stateful(): pulumi.CustomResourceOptions {
        return { parent: this, protect: this.args.protect, retainOnDelete: this.args.protect };
    }

    /** A kept bucket keeps its guards (public access block, TLS policy...) too. */
    private setting(dependsOn?: pulumi.Resource): pulumi.CustomResourceOptions {
        return { parent: this, retainOnDelete: this.args.protect, ...(dependsOn ? { dependsOn: [dependsOn] } : {}) };
    }

    /** A bucket with its public access block, ownership, versioning and lifecycle. */
    private bucket(role: BucketRole): BucketParts {
        const name = `${this.componentName}-${role}`;
        // Policies are built from names (known at preview), not from bucket outputs (unknown until create).
        const physical = this.accountId.apply((id) => bucketName(this.args.namePrefix, role, id));
        // Unprotected (staging): emptied of every object version on destroy, or S3 refuses to delete the
        // log bucket. The provider reads forceDestroy from state, so a change needs `pulumi up` before a destroy.
        const bucket = new aws.s3.Bucket(name, { bucket: physical, forceDestroy: !this.args.protect }, this.stateful);
        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(`${name}-public-access-block`, { bucket: bucket.id, ...PUBLIC_ACCESS_BLOCK }, this.setting());
        new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: OWNERSHIP_RULE }, this.setting(publicAccessBlock));
        const versioning = new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: VERSIONING }, this.setting());
        // Noncurrent-version rules only mean something once versioning is on.
        new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, { bucket: bucket.id, rules: lifecycleRules(this.args.storage, role) }, this.setting(versioning));
        return { bucket, arn: pulumi.all([this.partition, physical]).apply(([p, n]) => bucketArn(p, n)), publicAccessBlock };
    }

    private encryption(parts: BucketParts, role: BucketRole): void {
        new aws.s3.BucketServerSideEncryptionConfiguration(`${this.componentName}-${role}-encryption`, {
            bucket: parts.bucket.id,
            rules: encryptionRules(role, this.args.storageKmsKeyArn),
        }, this.setting());
    }

    /** S3 rejects concurrent changes to one bucket's policy and public access block: the policy goes second. */
    private policies(logs: BucketParts, assets: BucketParts): aws.s3.BucketPolicy {
        const elb = this.args.allowLoadBalancerLogs;
        const elbPrincipal = elb ? this.loadBalancerLogPrincipal() : undefined;
        const logPolicy = new aws.s3.BucketPolicy(`${this.componentName}-logs-policy`, {
            bucket: logs.bucket.id,
            policy: pulumi.all([logs.arn, assets.arn, this.accountId, elbPrincipal]).apply(([logArn, assetsArn, account, principal]) =>
                logBucketPolicy(logArn, assetsArn, account, elb && principal ? { prefix: elb.prefix, principal } : undefined)),
        }, this.setting(logs.publicAccessBlock));
        new aws.s3.BucketPolicy(`${this.componentName}-assets-policy`, {
            bucket: assets.bucket.id,
            policy: assets.arn.apply(assetsBucketPolicy),
        }, this.setting(assets.publicAccessBlock));
        return logPolicy;
    }

    /** Regions opened before August 2022 take the Region's ELB account, newer ones the log delivery service. */
    private loadBalancerLogPrincipal(): pulumi.Output<LoadBalancerLogPrincipal> {
        return aws.getRegionOutput({}, { parent: this }).region.apply((region): pulumi.Output<LoadBalancerLogPrincipal> =>
            ELB_ACCOUNT_REGIONS.includes(region)
                ? aws.elb.getServiceAccountOutput({}, { parent: this }).arn.apply((arn) => ({ AWS: arn }))
                : pulumi.output({ Service: ELB_LOG_DELIVERY_SERVICE }));
    }

    /**
     * The assets bucket's requests, once the log bucket's policy lets the logging service in. The log
     * bucket does not log its own requests: that would be an endless loop of log objects.
     */
    private accessLogging(assets: BucketParts, logs: BucketParts, logPolicy: aws.s3.BucketPolicy): void {
        new aws.s3.BucketLogging(`${this.componentName}-assets-access-logging`, {
            bucket: assets.bucket.id,
            targetBucket: logs.bucket.id,
            targetPrefix: ASSETS_ACCESS_LOG_PREFIX,
        }, this.setting(logPolicy));
    }
}
