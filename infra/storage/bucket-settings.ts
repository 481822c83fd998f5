/**
 * What each bucket is set to, as plain values and pure functions, so the settings read (and test)
 * apart from the resources that carry them. `Buckets` only wires these onto resources.
 */
import { StorageConfig } from "../config/types";
import {
    LoadBalancerLogPrincipal, PolicyDocument, PolicyStatement, allowAccessLogDelivery, allowCloudFrontOriginRead, allowLoadBalancerLogDelivery, allowVendedLogDelivery,
    denyInsecureTransport, policyDocument,
} from "./bucket-policy";
import { LifecycleRule, expiredDeleteMarkerRule, logExpiryRule, versionHousekeepingRule } from "./lifecycle";
import { BucketRole } from "./naming";

/** Key prefix of the assets bucket's server access logs in the log bucket. */
export const ASSETS_ACCESS_LOG_PREFIX = "s3-access/assets/";

/** All four flags: no ACL or bucket policy can make either bucket public. */
export const PUBLIC_ACCESS_BLOCK = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };

/** ACLs disabled: the bucket owner owns every object. */
export const OWNERSHIP_RULE = { objectOwnership: "BucketOwnerEnforced" };

export const VERSIONING = { status: "Enabled" };

/** Version housekeeping on both; the log bucket expires its logs, the assets bucket its lone delete markers. */
export function lifecycleRules(storage: StorageConfig, role: BucketRole): LifecycleRule[] {
    return [versionHousekeepingRule(storage), role === "logs" ? logExpiryRule(storage) : expiredDeleteMarkerRule()];
}

/**
 * Neither S3 server access logging nor ALB access logging can deliver to a bucket whose default
 * encryption is SSE-KMS, so the log bucket uses SSE-S3 (it holds request logs, not application data).
 * Assets use the storage key, with a bucket key, which cuts KMS requests (and their cost and
 * throttling) by orders of magnitude.
 */
export function encryptionRules<K>(role: BucketRole, kmsKeyArn: K) {
    return role === "logs"
        ? [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]
        : [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn }, bucketKeyEnabled: true }];
}

/** Where, and as whom, ELB log delivery may write load balancer access logs into the log bucket. */
export interface LoadBalancerLogs {
    prefix: string;
    principal: LoadBalancerLogPrincipal;
}

/** Where, and from which delivery source, CloudFront's standard logs (v2) may be written into the log bucket. */
export interface CloudFrontLogs {
    /** Key prefix of the delivery destination, e.g. `cloudfront-access`: logs land under `<prefix>/AWSLogs/<account>/`. */
    prefix: string;
    /** Name of the CloudWatch Logs delivery source (in us-east-1), e.g. `cloudFrontDeliverySourceName(namePrefix)`. */
    deliverySourceName: string;
}

/** Where the log bucket is: what the CloudFront log statement's delivery-source ARN is built from. */
export interface LogBucketContext {
    partition: string;
    /** Region of CloudFront's delivery source: always us-east-1. */
    cloudFrontLogRegion: string;
}

/** Another bucket of the stack whose server access logs the log bucket takes, under a prefix of its own. */
export interface AccessLogSource {
    /** Statement id, unique in the policy, e.g. `AllowS3ServerAccessLogDeliveryFromTrail`. */
    sid: string;
    /** Key prefix ending in "/", other than the assets bucket's, e.g. `s3-access/trail/`. */
    prefix: string;
    /** ARN of the bucket whose requests are logged. */
    sourceBucketArn: string;
}

/**
 * TLS only; the S3 logging service may write the assets bucket's logs under their prefix (and each of
 * `accessLogSources`' under its own, only for that bucket) and, when asked, ELB log delivery the load
 * balancers' logs under theirs, and CloudWatch Logs delivery CloudFront's under its own.
 */
export function logBucketPolicy(
    logBucketArn: string, assetsBucketArn: string, accountId: string, loadBalancerLogs?: LoadBalancerLogs, cloudFrontLogs?: CloudFrontLogs & LogBucketContext,
    accessLogSources: AccessLogSource[] = [],
): string {
    return JSON.stringify(policyDocument([
        denyInsecureTransport(logBucketArn),
        allowAccessLogDelivery({ logBucketArn, prefix: ASSETS_ACCESS_LOG_PREFIX, sourceBucketArn: assetsBucketArn, sourceAccountId: accountId }),
        ...(loadBalancerLogs ? [allowLoadBalancerLogDelivery({ logBucketArn, accountId, ...loadBalancerLogs })] : []),
        ...(cloudFrontLogs
            ? [allowVendedLogDelivery({
                logBucketArn, accountId, prefix: cloudFrontLogs.prefix, deliverySourceName: cloudFrontLogs.deliverySourceName,
                partition: cloudFrontLogs.partition, region: cloudFrontLogs.cloudFrontLogRegion,
            })]
            : []),
        // Last, so the statements above keep their places.
        ...accessLogSources.map((s) => ({ ...allowAccessLogDelivery({ logBucketArn, prefix: s.prefix, sourceBucketArn: s.sourceBucketArn, sourceAccountId: accountId }), Sid: s.sid })),
    ]));
}

/** What CloudFront may read of the assets bucket: one prefix, for one distribution. */
export interface CloudFrontOrigin<A> {
    /** `A` is a string, or (in `Buckets`) the distribution's ARN as an output. */
    distributionArn: A;
    publicPrefix: string;
}

/**
 * TLS only and, when CloudFront serves the bucket, its origin access control may get objects under the
 * public prefix for the one distribution. Nothing else of the bucket is readable through CloudFront.
 */
export function assetsBucketPolicyDocument<A = string>(assetsBucketArn: string, cloudFront?: CloudFrontOrigin<A>): PolicyDocument<A> {
    return policyDocument<A>([
        // Holds no value of type A: a PolicyStatement<string> is one of PolicyStatement<A> too.
        denyInsecureTransport(assetsBucketArn) as PolicyStatement<never> as PolicyStatement<A>,
        ...(cloudFront ? [allowCloudFrontOriginRead<A>({ bucketArn: assetsBucketArn, ...cloudFront })] : []),
    ]);
}

/** The assets bucket's policy as JSON, for a known distribution ARN or none. */
export function assetsBucketPolicy(assetsBucketArn: string, cloudFront?: CloudFrontOrigin<string>): string {
    return JSON.stringify(assetsBucketPolicyDocument(assetsBucketArn, cloudFront));
}
