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
