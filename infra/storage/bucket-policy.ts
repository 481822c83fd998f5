/**
 * Bucket policy documents, built as plain JSON from known strings so they are readable in the diff,
 * testable without AWS, and fully known during preview (the policy pack can verify them before apply).
 */

/**
 * `V` is what a condition value may be: a string, or (see allowCloudFrontOriginRead) a value known only at
 * apply, such as a distribution's ARN, placed in the document as is so the rest stays readable at preview.
 */
export interface PolicyStatement<V = string> {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal: "*" | Record<string, string | string[]>;
    Action: string | string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string | string[] | V>>;
}

export interface PolicyDocument<V = string> {
    Version: "2012-10-17";
    Statement: PolicyStatement<V>[];
}

/** `arn:aws:s3:::my-bucket` */
export function bucketArn(partition: string, bucketName: string): string {
    return `arn:${partition}:s3:::${bucketName}`;
}

/** Any request over plain HTTP is refused, on the bucket itself and on every object in it. */
export function denyInsecureTransport(arn: string): PolicyStatement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

export interface AccessLogDelivery {
    /** ARN of the bucket that receives the logs. */
    logBucketArn: string;
    /** Key prefix the source bucket's logs are written under, e.g. `s3-access/assets/`. */
    prefix: string;
    /** ARN of the bucket whose requests are logged. */
    sourceBucketArn: string;
    /** Account that owns the source bucket. */
    sourceAccountId: string;
}

/**
 * The S3 logging service may write under one prefix, and only on behalf of one bucket of one account
 * (aws:SourceArn / aws:SourceAccount guard against the confused-deputy problem).
 */
export function allowAccessLogDelivery(d: AccessLogDelivery): PolicyStatement {
    if (!d.prefix.endsWith("/")) throw new Error(`allowAccessLogDelivery: prefix must end with "/", got ${JSON.stringify(d.prefix)}`);
    return {
        Sid: "AllowS3ServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${d.logBucketArn}/${d.prefix}*`,
        Condition: {
            ArnLike: { "aws:SourceArn": d.sourceBucketArn },
            StringEquals: { "aws:SourceAccount": d.sourceAccountId },
        },
    };
}

export function policyDocument<V = string>(statements: PolicyStatement<V>[]): PolicyDocument<V> {
    return { Version: "2012-10-17", Statement: statements };
}

/** The principal that writes load balancer access logs in Regions opened since August 2022. */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/**
 * Regions opened before August 2022, where Elastic Load Balancing writes access logs as a per-Region
 * AWS account instead (`aws.elb.getServiceAccount` knows which; it fails in any other Region).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export const ELB_ACCOUNT_REGIONS: readonly string[] = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-south-1",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ca-central-1", "eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-north-1",
    "me-south-1", "sa-east-1", "us-gov-west-1", "us-gov-east-1", "cn-north-1", "cn-northwest-1",
];

/** Who ELB log delivery acts as: the Region's ELB account (`arn:aws:iam::<id>:root`) or the service. */
export type LoadBalancerLogPrincipal = { AWS: string } | { Service: string };

/** What a load balancer's access-log prefix may be, in the words of every message that refuses one. */
export const LOAD_BALANCER_LOG_PREFIX_RULE = 'lowercase letters, digits and hyphens, in segments joined by "/" with none at either end, such as alb-access';

/**
 * ELB writes to `<prefix>/AWSLogs/...` and refuses a prefix holding "AWSLogs" (lowercase rules it out);
 * a slash at either end would leave an empty key segment.
 */
export function isLoadBalancerLogPrefix(prefix: string): boolean {
    return /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/.test(prefix);
}

export interface LoadBalancerLogDelivery {
    /** ARN of the bucket that receives the logs. */
    logBucketArn: string;
    /** The load balancer's `accessLogs.prefix`, e.g. `alb-access`. */
    prefix: string;
    /** Account that owns the load balancers. */
    accountId: string;
    principal: LoadBalancerLogPrincipal;
}

/**
 * ELB log delivery may write this account's load balancer logs under one prefix. ELB puts the owner's
 * account id in the key, so another account's load balancer pointed at this bucket is refused.
 */
export function allowLoadBalancerLogDelivery(d: LoadBalancerLogDelivery): PolicyStatement {
    if (!isLoadBalancerLogPrefix(d.prefix)) {
        throw new Error(`allowLoadBalancerLogDelivery: prefix ${JSON.stringify(d.prefix)} is not allowed: expected ${LOAD_BALANCER_LOG_PREFIX_RULE}.`);
    }
    return {
        Sid: "AllowElbAccessLogDelivery",
        Effect: "Allow",
        Principal: d.principal,
        Action: "s3:PutObject",
        Resource: `${d.logBucketArn}/${d.prefix}/AWSLogs/${d.accountId}/*`,
    };
}

/** The principal CloudFront's origin access control signs S3 requests as. */
export const CLOUDFRONT_SERVICE = "cloudfront.amazonaws.com";

export interface CloudFrontOriginRead<A> {
    /** ARN of the bucket CloudFront reads from. */
    bucketArn: string;
    /** The one key prefix CloudFront may read, e.g. `static/` (checked by the caller: EDGE_CHECKS.publicAssetsPrefix). */
    publicPrefix: string;
    /** ARN of the one distribution that may read, `arn:aws:cloudfront::<account>:distribution/<id>`; `A` may be a value known only at apply. */
    distributionArn: A;
}

/**
 * AWS's origin access control statement (CloudFront Developer Guide, "Restrict access to an Amazon S3
 * origin"): the CloudFront service may get objects on behalf of one distribution (aws:SourceArn, exact), and
 * here only under the public prefix: no listing, no other key of the bucket.
 */
export function allowCloudFrontOriginRead<A = string>(r: CloudFrontOriginRead<A>): PolicyStatement<A> {
    return {
        Sid: "AllowCloudFrontOacReadOfPublicPrefix",
        Effect: "Allow",
        Principal: { Service: CLOUDFRONT_SERVICE },
        Action: "s3:GetObject",
        Resource: `${r.bucketArn}/${r.publicPrefix}*`,
        Condition: { StringEquals: { "AWS:SourceArn": r.distributionArn } },
    };
}

/** The principal CloudWatch Logs vended-log delivery (CloudFront standard logs v2 among them) writes to S3 as. */
export const LOG_DELIVERY_SERVICE = "delivery.logs.amazonaws.com";

/** CloudFront is global: its delivery sources, like its metrics, live in us-east-1. */
export const CLOUDFRONT_LOG_REGION = "us-east-1";

/** What a CloudWatch Logs delivery source's name may be (PutDeliverySource: 1 to 60 of `[\w-]`, so never a wildcard). */
export const DELIVERY_SOURCE_NAME_RULE = "1 to 60 letters, digits, underscores or hyphens";
export const isDeliverySourceName = (name: string): boolean => /^[A-Za-z0-9_-]{1,60}$/.test(name);

export interface VendedLogDelivery {
    /** ARN of the bucket that receives the logs. */
    logBucketArn: string;
    /** Key prefix of the delivery destination, e.g. `cloudfront-access` (same rule as a load balancer's). */
    prefix: string;
    /** Account that owns the delivery source (and the bucket). */
    accountId: string;
    partition: string;
    /** Region of the delivery source: us-east-1 for CloudFront. */
    region: string;
    /** Name of the delivery source, e.g. `cloudFrontDeliverySourceName(namePrefix)`. */
    deliverySourceName: string;
}

/**
 * The statement CloudWatch Logs documents for vended logs [V2 permissions] sent to S3 ("Logs sent to Amazon
 * S3", AWSLogDeliveryWrite), narrowed from `delivery-source:*` to the one delivery source and from the bucket to
 * `<prefix>/AWSLogs/<account>/`. V2 needs no s3:GetBucketAcl/ListBucket statement (the V1 one, AWSLogDeliveryAclCheck).
 * `s3:x-amz-acl` is bucket-owner-full-control: the one ACL a BucketOwnerEnforced bucket still accepts on PUT.
 */
export function allowVendedLogDelivery(d: VendedLogDelivery): PolicyStatement {
    if (!isLoadBalancerLogPrefix(d.prefix)) {
        throw new Error(`allowVendedLogDelivery: prefix ${JSON.stringify(d.prefix)} is not allowed: expected ${LOAD_BALANCER_LOG_PREFIX_RULE}.`);
    }
    if (!isDeliverySourceName(d.deliverySourceName)) {
        throw new Error(`allowVendedLogDelivery: deliverySourceName ${JSON.stringify(d.deliverySourceName)} is not allowed: expected ${DELIVERY_SOURCE_NAME_RULE}.`);
    }
    return {
        Sid: "AllowCloudFrontStandardLogDelivery",
        Effect: "Allow",
        Principal: { Service: LOG_DELIVERY_SERVICE },
        Action: "s3:PutObject",
        Resource: `${d.logBucketArn}/${d.prefix}/AWSLogs/${d.accountId}/*`,
        Condition: {
            StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": d.accountId },
            ArnLike: { "aws:SourceArn": `arn:${d.partition}:logs:${d.region}:${d.accountId}:delivery-source:${d.deliverySourceName}` },
        },
    };
}
