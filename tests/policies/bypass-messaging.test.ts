import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { daxEncryption, dynamodbDeletionProtection, dynamodbPointInTimeRecovery } from "../../policies/data/dynamodb";
import { snsSubscriptionTls, snsTopicNotPublic } from "../../policies/messaging/sns-access";
import { sqsEncryption, sqsQueueNotPublic, sqsTlsOnly } from "../../policies/messaging/sqs";
import { firehoseEncryption, kinesisStreamEncryption } from "../../policies/messaging/streams";
import { messages, res, run } from "./helpers";

/**
 * Red-team cases for the messaging policies: other spellings of "anyone", conditions that look like
 * they narrow but do not, other resources of the same service, and case games.
 */

const QUEUE_ARN = "arn:aws:sqs:eu-west-1:123456789012:orders";
const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders";
const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:events";
const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allow = (extra: Record<string, unknown>) => ({ Sid: "S", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: QUEUE_ARN, ...extra });

async function queueFindings(statement: unknown): Promise<number> {
    return (await run(sqsQueueNotPublic, res(aws.sqs.QueuePolicy, { queueUrl: QUEUE_URL, policy: typeof statement === "string" ? statement : doc(statement) }))).length;
}
async function topicFindings(statement: unknown): Promise<number> {
    return (await run(snsTopicNotPublic, res(aws.sns.TopicPolicy, { arn: TOPIC_ARN, policy: doc(statement) }))).length;
}

describe("bypass: messaging", () => {
    describe("a * principal in every spelling", () => {
        const spellings: unknown[] = [
            { Principal: "*" },
            { Principal: { AWS: "*" } },
            { Principal: { AWS: ["*"] } },
            { Principal: { AWS: ["arn:aws:iam::123456789012:root", "*"] } },
            { Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::123456789012:root" } },
            { Effect: "allow" },
            { Effect: "ALLOW", Principal: { AWS: "*" } },
        ];
        for (const s of spellings) {
            it(`is refused on queues and topics: ${JSON.stringify(s)}`, async () => {
                assert.strictEqual(await queueFindings(allow(s as Record<string, unknown>)), 1);
                assert.strictEqual(await topicFindings(allow({ ...(s as Record<string, unknown>), Action: "sns:Publish", Resource: TOPIC_ARN })), 1);
            });
        }
        it("is refused when Statement is a single object rather than a list", async () => {
            assert.strictEqual(await queueFindings(JSON.stringify({ Statement: allow({}) })), 1);
        });
        it("is refused on the queue's and topic's inline policy too (another resource of the same service)", async () => {
            assert.strictEqual((await run(sqsQueueNotPublic, res(aws.sqs.Queue, { policy: doc(allow({})) }))).length, 1);
            assert.strictEqual((await run(snsTopicNotPublic, res(aws.sns.Topic, { policy: doc(allow({ Action: "sns:Publish" })) }))).length, 1);
        });
    });

    describe("conditions that do not narrow the caller", () => {
        const notNarrowing: Record<string, unknown>[] = [
            { StringLike: { "aws:SourceArn": "arn:aws:sns:*:*:*" } },
            { ArnLike: { "aws:SourceArn": "arn:aws:sns:eu-west-1:123456789012:?vents" } },
            { StringEqualsIfExists: { "aws:SourceAccount": "123456789012" } },
            { StringNotEquals: { "aws:SourceAccount": "999999999999" } },
            { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } },
            { IpAddress: { "aws:SourceIp": "::/0" } },
            { StringEquals: { "aws:UserAgent": "my-app" } },
            { StringEquals: { "aws:PrincipalArn": "${aws:username}" } },
            { StringEquals: { "aws:SourceAccount": [] } },
            { StringEquals: { "aws:SourceAccount": "" } },
            { StringEquals: { "aws:SourceAccount": ["123456789012", "*"] } },
            { Bool: { "aws:SecureTransport": "true" } },
            { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-abc/*" } },
            // True when the request carries no such key: any account calling directly has no aws:SourceAccount.
            { "ForAllValues:StringEquals": { "aws:SourceAccount": "123456789012" } },
            { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": "o-abc123" } },
            { stringequals: { "aws:SourceAccount": "123456789012" } },
            {},
        ];
        for (const Condition of notNarrowing) {
            it(`refuses * with ${JSON.stringify(Condition)}`, async () => {
                assert.strictEqual(await queueFindings(allow({ Condition })), 1);
                assert.strictEqual(await topicFindings(allow({ Condition, Action: "sns:Subscribe", Resource: TOPIC_ARN })), 1);
            });
        }
        it("accepts exact values whatever the key's case, and the Like operators without wildcards", async () => {
            for (const Condition of [
                { StringEquals: { "AWS:SOURCEACCOUNT": "123456789012" } },
                { ArnLike: { "aws:SourceArn": TOPIC_ARN } },
                { "ForAnyValue:StringEquals": { "aws:PrincipalOrgID": ["o-abc123"] } },
                { StringEquals: { "aws:SourceVpce": "vpce-0123456789abcdef0" } },
            ]) {
                assert.strictEqual(await queueFindings(allow({ Condition })), 0, JSON.stringify(Condition));
            }
        });
    });

    describe("TLS-only queue policies", () => {
        const deny = { Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: QUEUE_ARN, Condition: { Bool: { "aws:SecureTransport": "false" } } };
        const queue = res(aws.sqs.Queue, { name: "orders" }, { name: "orders" });
        for (const [label, statement] of [
            ["a deny for one account only", { ...deny, Principal: { AWS: "arn:aws:iam::123456789012:root" } }],
            ["a deny on DeleteQueue only", { ...deny, Action: "sqs:DeleteQueue" }],
            ["a deny on SNS actions", { ...deny, Action: "sns:*" }],
            ["a deny of secure requests", { ...deny, Condition: { Bool: { "aws:SecureTransport": "true" } } }],
            ["a NotAction deny", { ...deny, Action: undefined, NotAction: "sqs:GetQueueUrl" }],
        ] as [string, unknown][]) {
            it(`does not count ${label}`, async () => {
                const diags = await run(sqsTlsOnly, [queue, res(aws.sqs.QueuePolicy, { queueUrl: QUEUE_URL, policy: doc(statement) })]);
                assert.strictEqual(diags.length, 1);
            });
        }
        it("counts the usual spellings: Principal {AWS:[*]}, SQS:* in capitals, a boolean false", async () => {
            const spelled = { ...deny, Principal: { AWS: ["*"] }, Action: "SQS:*", Condition: { Bool: { "aws:SecureTransport": false } } };
            assert.deepStrictEqual(await run(sqsTlsOnly, [queue, res(aws.sqs.QueuePolicy, { queueUrl: QUEUE_URL, policy: doc(spelled) })]), []);
        });
        it("does not let a policy for another queue cover this one", async () => {
            const other = res(aws.sqs.QueuePolicy, { queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/orders-dlq", policy: doc(deny) });
            assert.strictEqual((await run(sqsTlsOnly, [queue, other])).length, 1);
        });
    });

    describe("encryption switched off another way", () => {
        it("refuses SSE-SQS off with an empty key", async () => {
            assert.strictEqual((await run(sqsEncryption, res(aws.sqs.Queue, { kmsMasterKeyId: "", sqsManagedSseEnabled: false }))).length, 1);
        });
        it("refuses SSE-SQS off as the string \"false\" (a stack config value), which the provider reads as false", async () => {
            for (const sqsManagedSseEnabled of ["false", "FALSE", " False "]) {
                assert.strictEqual((await run(sqsEncryption, res(aws.sqs.Queue, { sqsManagedSseEnabled }))).length, 1, sqsManagedSseEnabled);
            }
        });
        it("refuses Kinesis NONE in any case, and accepts KMS in any case", async () => {
            for (const encryptionType of ["none", "None", "", "SSE"]) assert.strictEqual((await run(kinesisStreamEncryption, res(aws.kinesis.Stream, { encryptionType }))).length, 1, encryptionType);
            assert.deepStrictEqual(await run(kinesisStreamEncryption, res(aws.kinesis.Stream, { encryptionType: "kms" })), []);
        });
        it("refuses a Kinesis-sourced Firehose stream that claims server-side encryption over an unencrypted source", async () => {
            const source = res(aws.kinesis.Stream, { name: "clicks", encryptionType: "NONE" }, { name: "clicks" });
            const hose = res(aws.kinesis.FirehoseDeliveryStream, {
                destination: "extended_s3", serverSideEncryption: { enabled: true },
                kinesisSourceConfiguration: { kinesisStreamArn: "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks", roleArn: "arn:aws:iam::123456789012:role/f" },
            });
            assert.strictEqual((await run(firehoseEncryption, [source, hose])).length, 1);
        });
        it("treats a null kinesisSourceConfiguration as direct put", async () => {
            const diags = await run(firehoseEncryption, res(aws.kinesis.FirehoseDeliveryStream, { destination: "extended_s3", kinesisSourceConfiguration: null }));
            assert.strictEqual(diags.length, 1);
        });
        it("refuses DAX without TLS in any spelling of NONE", async () => {
            for (const t of ["none", ""]) {
                assert.deepStrictEqual(messages(await run(daxEncryption, res(aws.dax.Cluster, { serverSideEncryption: { enabled: true }, clusterEndpointEncryptionType: t }))), [
                    `DAX cluster must encrypt in transit: clusterEndpointEncryptionType is ${JSON.stringify(t)}, expected "TLS".`,
                ]);
            }
        });
        it("refuses plain-HTTP SNS delivery in capitals", async () => {
            assert.strictEqual((await run(snsSubscriptionTls, res(aws.sns.TopicSubscription, { topic: TOPIC_ARN, protocol: "HTTP", endpoint: "http://x.example.com" }))).length, 1);
        });
    });

    describe("global tables", () => {
        it("refuses a replica resource (aws.dynamodb.TableReplica) without PITR or deletion protection even when its table has both", async () => {
            const table = res(aws.dynamodb.Table, { name: "orders", pointInTimeRecovery: { enabled: true }, deletionProtectionEnabled: true, streamEnabled: true, streamViewType: "NEW_AND_OLD_IMAGES" });
            const replica = res(aws.dynamodb.TableReplica, { globalTableArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/orders" });
            assert.strictEqual((await run(dynamodbPointInTimeRecovery, [table, replica])).length, 1);
            assert.strictEqual((await run(dynamodbDeletionProtection, [table, replica])).length, 1);
        });
        it("refuses an inline replica without PITR, and one whose PITR is the string \"true\" rather than a boolean", async () => {
            const table = res(aws.dynamodb.Table, { name: "orders", pointInTimeRecovery: { enabled: true }, replicas: [{ regionName: "us-east-1" }, { regionName: "ap-south-1", pointInTimeRecovery: "false" }] });
            assert.strictEqual((await run(dynamodbPointInTimeRecovery, table)).length, 2);
        });
        it("refuses PITR switched off with enabled false inside the block", async () => {
            assert.strictEqual((await run(dynamodbPointInTimeRecovery, res(aws.dynamodb.Table, { pointInTimeRecovery: { enabled: false, recoveryPeriodInDays: 35 } }))).length, 1);
        });
    });
});
