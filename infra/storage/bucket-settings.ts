/**
 * What each bucket is set to, as plain values and pure functions, so the settings read (and test)
 * apart from the resources that carry them. `Buckets` only wires these onto resources.
 */
import { StorageConfig } from "../config/types";
import { LoadBalancerLogPrincipal, allowAccessLogDelivery, allowLoadBalancerLogDelivery, denyInsecureTransport, policyDocument } from "./bucket-policy";
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

/**
 * TLS only; the S3 logging service may write the assets bucket's logs under their prefix and, when
 * asked, ELB log delivery the load balancers' logs under theirs.
 */
export function logBucketPolicy(logBucketArn: string, assetsBucketArn: string, accountId: string, loadBalancerLogs?: LoadBalancerLogs): string {
    return JSON.stringify(policyDocument([
        denyInsecureTransport(logBucketArn),
        allowAccessLogDelivery({ logBucketArn, prefix: ASSETS_ACCESS_LOG_PREFIX, sourceBucketArn: assetsBucketArn, sourceAccountId: accountId }),
        ...(loadBalancerLogs ? [allowLoadBalancerLogDelivery({ logBucketArn, accountId, ...loadBalancerLogs })] : []),
    ]));
}

export function assetsBucketPolicy(assetsBucketArn: string): string {
    return JSON.stringify(policyDocument([denyInsecureTransport(assetsBucketArn)]));
}
