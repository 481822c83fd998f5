import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { StorageConfig } from "../config/types";
import { EDGE_CHECKS } from "../config/sections/edge";
import {
    CLOUDFRONT_LOG_REGION, DELIVERY_SOURCE_NAME_RULE, ELB_ACCOUNT_REGIONS, ELB_LOG_DELIVERY_SERVICE, LOAD_BALANCER_LOG_PREFIX_RULE, LoadBalancerLogPrincipal,
    bucketArn, isDeliverySourceName, isLoadBalancerLogPrefix,
} from "./bucket-policy";
import {
    ASSETS_ACCESS_LOG_PREFIX, AccessLogSource, CloudFrontLogs, OWNERSHIP_RULE, PUBLIC_ACCESS_BLOCK, VERSIONING, assetsBucketPolicy, assetsBucketPolicyDocument, encryptionRules,
    lifecycleRules, logBucketPolicy,
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
    /**
     * Serve the assets bucket's objects under `publicPrefix` (`baseline:edge.publicAssetsPrefix`, e.g. `static/`)
     * through this one distribution's origin access control: `cloudfront.amazonaws.com` may s3:GetObject there,
     * only for `aws:SourceArn` = `distributionArn`. Nothing else of the bucket (receipts, uploads) is readable.
     * The distribution's ARN is known only once it exists: on its first preview that one value of the policy is
     * unknown, the rest (TLS deny, principal, action, resource) stays readable for the policy pack.
     * Unset: no CloudFront access.
     */
    cloudFront?: { distributionArn: pulumi.Input<string>; publicPrefix: string };
    /**
     * Let CloudWatch Logs delivery (`delivery.logs.amazonaws.com`) write CloudFront's standard logs (v2) into the
     * log bucket under `<prefix>/AWSLogs/<account id>/`, only from the delivery source `deliverySourceName` of
     * this account in us-east-1 (where CloudFront's delivery sources live). Unset: no vended log delivery may.
     */
    allowCloudFrontLogs?: CloudFrontLogs;
    /**
     * Other buckets of the stack whose server access logs the log bucket takes (the audit trail's), each only for
     * that bucket (`aws:SourceArn`) and under its own `prefix` (ending in "/", not the assets bucket's). Unset: none.
     */
    accessLogSources?: { sid: string; bucketName: pulumi.Input<string>; prefix: string }[];
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
        validateCloudFront(args);
        validateAccessLogSources(args);
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
        const cfLogs = this.args.allowCloudFrontLogs;
        const sources = pulumi.all((this.args.accessLogSources ?? []).map((s) =>
            pulumi.all([this.partition, s.bucketName]).apply(([partition, name]): AccessLogSource => ({ sid: s.sid, prefix: s.prefix, sourceBucketArn: bucketArn(partition, name) }))));
        const logPolicy = new aws.s3.BucketPolicy(`${this.componentName}-logs-policy`, {
            bucket: logs.bucket.id,
            policy: pulumi.all([logs.arn, assets.arn, this.accountId, elbPrincipal, this.partition, sources]).apply(([logArn, assetsArn, account, principal, partition, extra]) =>
                logBucketPolicy(
                    logArn, assetsArn, account,
                    elb && principal ? { prefix: elb.prefix, principal } : undefined,
                    cfLogs ? { ...cfLogs, partition, cloudFrontLogRegion: CLOUDFRONT_LOG_REGION } : undefined,
                    extra,
                )),
        }, this.setting(logs.publicAccessBlock));
        new aws.s3.BucketPolicy(`${this.componentName}-assets-policy`, {
            bucket: assets.bucket.id,
            policy: this.assetsPolicy(assets),
        }, this.setting(assets.publicAccessBlock));
        return logPolicy;
    }

    /**
     * JSON text, as before, without CloudFront. With it, a document whose one leaf `AWS:SourceArn` is the
     * distribution's ARN output: the provider turns a document into JSON (the input takes either), and a
     * value unknown at preview stays unknown only there, where a string built in an apply would be unknown
     * whole, hiding the TLS deny and the statement's principal, action and resource from the policy pack.
     */
    private assetsPolicy(assets: BucketParts): pulumi.Input<string | aws.types.input.s3.PolicyDocument> {
        const cf = this.args.cloudFront;
        if (!cf) return assets.arn.apply((arn) => assetsBucketPolicy(arn));
        return assets.arn.apply((arn) =>
            assetsBucketPolicyDocument(arn, { publicPrefix: cf.publicPrefix, distributionArn: cf.distributionArn }) as unknown as aws.types.input.s3.PolicyDocument);
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

/** The CloudFront arguments, before anything registers: the config loader's own rule for the public prefix. */
function validateCloudFront(args: BucketsArgs): void {
    if (args.cloudFront) {
        // The edge section's check; it does not depend on the environment.
        const problem = EDGE_CHECKS.publicAssetsPrefix("cloudFront.publicPrefix", args.cloudFront.publicPrefix, "prod", {});
        if (problem) throw new Error(`Buckets: ${problem}.`);
    }
    const logs = args.allowCloudFrontLogs;
    if (logs) {
        if (!isLoadBalancerLogPrefix(logs.prefix)) {
            throw new Error(`Buckets: allowCloudFrontLogs.prefix ${JSON.stringify(logs.prefix)} is not allowed: expected ${LOAD_BALANCER_LOG_PREFIX_RULE}.`);
        }
        if (logs.prefix === args.allowLoadBalancerLogs?.prefix) {
            throw new Error(`Buckets: allowCloudFrontLogs.prefix ${JSON.stringify(logs.prefix)} is the load balancer's too: expected a prefix of its own, such as cloudfront-access.`);
        }
        if (!isDeliverySourceName(logs.deliverySourceName)) {
            throw new Error(`Buckets: allowCloudFrontLogs.deliverySourceName ${JSON.stringify(logs.deliverySourceName)} is not allowed: expected ${DELIVERY_SOURCE_NAME_RULE}.`);
        }
    }
}

/** Each other bucket whose access logs the log bucket takes: a statement id and a prefix of its own. */
function validateAccessLogSources(args: BucketsArgs): void {
    for (const s of args.accessLogSources ?? []) {
        if (!/^[A-Za-z0-9]{1,100}$/.test(s.sid) || s.sid === "AllowS3ServerAccessLogDelivery") {
            throw new Error(`Buckets: accessLogSources sid ${JSON.stringify(s.sid)} is not allowed: expected letters and digits, other than AllowS3ServerAccessLogDelivery (the assets bucket's).`);
        }
        if (!/^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*\/$/.test(s.prefix) || s.prefix === ASSETS_ACCESS_LOG_PREFIX) {
            throw new Error(`Buckets: accessLogSources prefix ${JSON.stringify(s.prefix)} is not allowed: expected lowercase segments ending in "/", other than the assets bucket's ${ASSETS_ACCESS_LOG_PREFIX}.`);
        }
    }
}
