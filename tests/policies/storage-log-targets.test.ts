import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { s3DefaultEncryption } from "../../policies/storage/buckets";
import { UNKNOWN, messages, res, run } from "./helpers";

/**
 * Which buckets hold logs, from every kind of log delivery the pack knows: such a bucket may use
 * SSE-S3 (several AWS log deliveries cannot write to SSE-KMS buckets), any other bucket must use
 * SSE-KMS. A delivery the pack forgot makes its log bucket a data bucket and rejects its SSE-S3.
 */
const logs = res(aws.s3.Bucket, { bucket: "logs-bkt" }, { name: "logs" });
const logsSse = res(aws.s3.BucketServerSideEncryptionConfiguration, { bucket: "logs-bkt", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, { name: "logs-sse" });
const DATA_BUCKET = 'S3 data bucket must use SSE-KMS: BucketServerSideEncryptionConfiguration "logs-sse" sets sseAlgorithm "AES256", expected "aws:kms" (only log buckets may use AES256).';
/** The messages about the log bucket's encryption (a delivering bucket has findings of its own). */
const aboutLogs = async (delivery: ReturnType<typeof res>) => messages(await run(s3DefaultEncryption, [logs, logsSse, delivery])).filter((m) => m.includes('"logs-sse"'));

describe("policies: log buckets, from every log delivery", () => {
    it("treats a bucket that receives no logs as a data bucket", async () => {
        assert.deepStrictEqual(messages(await run(s3DefaultEncryption, [logs, logsSse])), [DATA_BUCKET]);
    });

    const deliveries: [string, ReturnType<typeof res>][] = [
        ["a Bucket's inline logging, by name", res(aws.s3.Bucket, { bucket: "app-bkt", logging: { targetBucket: "logs-bkt" } }, { name: "app" })],
        ["a Bucket's inline logging, by dependency", res(aws.s3.Bucket, { bucket: "app-bkt", logging: { targetBucket: UNKNOWN } }, { name: "app", propertyDependencies: { logging: [logs.urn] } })],
        ["a BucketV2's inline loggings, by name", res(aws.s3.BucketV2, { bucket: "app-bkt", loggings: [{ targetBucket: "logs-bkt" }] }, { name: "app" })],
        ["a BucketV2's inline loggings, by dependency", res(aws.s3.BucketV2, { bucket: "app-bkt", loggings: [{ targetBucket: UNKNOWN }] }, { name: "app", propertyDependencies: { loggings: [logs.urn] } })],
        ["a load balancer's access logs", res(aws.alb.LoadBalancer, { accessLogs: { bucket: "logs-bkt", enabled: true } }, { name: "alb" })],
        ["a CloudTrail trail", res(aws.cloudtrail.Trail, { s3BucketName: UNKNOWN }, { name: "trail", propertyDependencies: { s3BucketName: [logs.urn] } })],
        ["a flow log to S3", res(aws.ec2.FlowLog, { logDestinationType: "s3", logDestination: UNKNOWN, trafficType: "ALL" }, { name: "flow", propertyDependencies: { logDestination: [logs.urn] } })],
        ["a CloudFront distribution's standard logging", res(aws.cloudfront.Distribution, { loggingConfig: { bucket: UNKNOWN } }, { name: "cdn", propertyDependencies: { loggingConfig: [logs.urn] } })],
    ];
    for (const [what, delivery] of deliveries) {
        it(`lets the target of ${what} use SSE-S3`, async () => {
            assert.deepStrictEqual(await aboutLogs(delivery), []);
        });
    }

    it("requires SSE-S3 on the target of a Bucket's or BucketV2's inline access logging", async () => {
        const kms = res(aws.s3.BucketServerSideEncryptionConfiguration, { bucket: "logs-bkt", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k" }, bucketKeyEnabled: true }] }, { name: "logs-sse" });
        for (const app of [res(aws.s3.Bucket, { bucket: "app-bkt", logging: { targetBucket: "logs-bkt" } }, { name: "app" }), res(aws.s3.BucketV2, { bucket: "app-bkt", loggings: [{ targetBucket: "logs-bkt" }] }, { name: "app" })]) {
            assert.deepStrictEqual(messages(await run(s3DefaultEncryption, [logs, kms, app])).filter((m) => m.includes('"logs-sse"')), [
                'S3 access-log bucket must use SSE-S3: BucketServerSideEncryptionConfiguration "logs-sse" sets sseAlgorithm "aws:kms", expected "AES256" (S3 server access logging cannot deliver to SSE-KMS buckets).',
            ]);
        }
    });

    it("does not count a load balancer whose access logs are off", async () => {
        assert.deepStrictEqual(await aboutLogs(res(aws.alb.LoadBalancer, { accessLogs: { bucket: "logs-bkt", enabled: false } }, { name: "alb" })), [DATA_BUCKET]);
    });

    it("does not count a flow log to CloudWatch Logs", async () => {
        const toCloudWatch = res(aws.ec2.FlowLog, { logDestinationType: "cloud-watch-logs", logDestination: UNKNOWN, trafficType: "ALL" }, { name: "flow", propertyDependencies: { logDestination: [logs.urn] } });
        assert.deepStrictEqual(await aboutLogs(toCloudWatch), [DATA_BUCKET]);
    });
});
