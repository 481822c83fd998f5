/**
 * Bucket policy documents, built as plain JSON from known strings so they are readable in the diff,
 * testable without AWS, and fully known during preview (the policy pack can verify them before apply).
 */

export interface PolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal: "*" | Record<string, string | string[]>;
    Action: string | string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
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

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
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
