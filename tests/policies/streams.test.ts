import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { firehoseEncryption, kinesisStreamEncryption, kinesisStreamRetention } from "../../policies/messaging/streams";
import { UNKNOWN, UNKNOWN_BOOL, UNKNOWN_NUMBER, messages, res, run } from "./helpers";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const STREAM_ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks";
const ROLE_ARN = "arn:aws:iam::123456789012:role/firehose";
const unverifiable = (requirement: string, path: string, value = "(unknown until apply)") =>
    `Cannot verify during preview that ${requirement}: ${path} is ${value}. Re-run the check after apply, or set the value from configuration.`;

const s3 = { extendedS3Configuration: { bucketArn: "arn:aws:s3:::lake", roleArn: ROLE_ARN } };
const directPut = (props: Record<string, any>, name = "events") => res(aws.kinesis.FirehoseDeliveryStream, { destination: "extended_s3", ...s3, ...props }, { name });
const stream = (props: Record<string, any>, name = "clicks") => res(aws.kinesis.Stream, { name: "clicks", ...props }, { name });
const fromKinesis = (arn: unknown, deps: string[] = []) =>
    res(aws.kinesis.FirehoseDeliveryStream, { destination: "extended_s3", ...s3, kinesisSourceConfiguration: { kinesisStreamArn: arn, roleArn: ROLE_ARN } }, {
        name: "clicks-to-lake", propertyDependencies: deps.length ? { kinesisSourceConfiguration: deps } : {},
    });

describe("policies: streams", () => {
    describe("kinesis-stream-encryption", () => {
        it("passes KMS with the AWS-managed or a customer key", async () => {
            assert.deepStrictEqual(await run(kinesisStreamEncryption, stream({ encryptionType: "KMS", kmsKeyId: "alias/aws/kinesis" })), []);
            assert.deepStrictEqual(await run(kinesisStreamEncryption, stream({ encryptionType: "KMS", kmsKeyId: UNKNOWN }), { requireCustomerKey: true }), []);
        });
        it("rejects an unencrypted stream (unset or NONE), as mandatory", async () => {
            const diags = await run(kinesisStreamEncryption, stream({}));
            assert.deepStrictEqual(messages(diags), ['Kinesis stream must be encrypted at rest: encryptionType is (unset), expected "KMS".']);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(kinesisStreamEncryption, stream({ encryptionType: "NONE" }))), ['Kinesis stream must be encrypted at rest: encryptionType is "NONE", expected "KMS".']);
        });
        it("requires a customer key where configured", async () => {
            const cfg = { requireCustomerKey: true };
            assert.deepStrictEqual(messages(await run(kinesisStreamEncryption, stream({ encryptionType: "KMS", kmsKeyId: "alias/aws/kinesis" }), cfg)), [
                'Kinesis stream must be encrypted with a customer-managed KMS key: kmsKeyId is "alias/aws/kinesis", the AWS-managed key, expected a customer key ARN.',
            ]);
            assert.deepStrictEqual(messages(await run(kinesisStreamEncryption, stream({ encryptionType: "KMS" }), cfg)), [
                "Kinesis stream must be encrypted with a customer-managed KMS key: kmsKeyId is (unset), expected a customer key ARN.",
            ]);
            assert.deepStrictEqual(await run(kinesisStreamEncryption, stream({ encryptionType: "KMS", kmsKeyId: KEY_ARN }), cfg), []);
        });
        it("reports an unknown encryptionType as unverifiable", async () => {
            const diags = await run(kinesisStreamEncryption, stream({ encryptionType: UNKNOWN }));
            assert.deepStrictEqual(messages(diags), [unverifiable("the stream is encrypted with KMS", "encryptionType")]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.strictEqual(diags[0].cantRunDuringPreview, undefined);
        });
        it("never throws on malformed inputs", async () => {
            for (const props of [{ encryptionType: null }, { encryptionType: 7 }, { encryptionType: "KMS", kmsKeyId: [] }]) {
                await run(kinesisStreamEncryption, stream(props), { requireCustomerKey: true });
            }
        });
    });

    describe("firehose-encryption", () => {
        it("passes a direct-put stream with server-side encryption", async () => {
            assert.deepStrictEqual(await run(firehoseEncryption, directPut({ serverSideEncryption: { enabled: true } })), []);
            assert.deepStrictEqual(await run(firehoseEncryption, directPut({ serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: KEY_ARN } }), { requireCustomerKey: true }), []);
        });
        it("rejects a direct-put stream without server-side encryption, as mandatory", async () => {
            const diags = await run(firehoseEncryption, directPut({}));
            assert.deepStrictEqual(messages(diags), [
                "Firehose delivery stream must be encrypted at rest: serverSideEncryption.enabled is (unset), expected true (it receives records directly, so its own server-side encryption is what protects them).",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(firehoseEncryption, directPut({ serverSideEncryption: { enabled: false } }))), [
                "Firehose delivery stream must be encrypted at rest: serverSideEncryption.enabled is false, expected true (it receives records directly, so its own server-side encryption is what protects them).",
            ]);
        });
        it("requires a customer key on direct-put streams where configured", async () => {
            assert.deepStrictEqual(messages(await run(firehoseEncryption, directPut({ serverSideEncryption: { enabled: true } }), { requireCustomerKey: true })), [
                'Firehose delivery stream must be encrypted with a customer-managed KMS key: serverSideEncryption.keyType is (unset), which means the AWS-owned key, expected "CUSTOMER_MANAGED_CMK" with keyArn.',
            ]);
        });
        it("checks a Kinesis-sourced stream through its source stream, joined by dependency or by the name in the ARN", async () => {
            const encrypted = stream({ encryptionType: "KMS", kmsKeyId: KEY_ARN });
            assert.deepStrictEqual(await run(firehoseEncryption, [encrypted, fromKinesis(UNKNOWN, [encrypted.urn])]), []);
            assert.deepStrictEqual(await run(firehoseEncryption, [encrypted, fromKinesis(STREAM_ARN)]), []);
            const plain = stream({});
            const hose = fromKinesis(UNKNOWN, [plain.urn]);
            const diags = await run(firehoseEncryption, [plain, hose]);
            assert.deepStrictEqual(messages(diags), [
                'Firehose delivery stream must read from an encrypted stream: its source Kinesis stream "clicks" has encryptionType (unset), expected "KMS" (a Kinesis-sourced Firehose stream cannot enable its own server-side encryption).',
            ]);
            assert.strictEqual(diags[0].urn, hose.urn);
        });
        it("leaves a Kinesis source declared in another stack to that stack, and MSK sources out", async () => {
            assert.deepStrictEqual(await run(firehoseEncryption, fromKinesis("arn:aws:kinesis:eu-west-1:123456789012:stream/elsewhere")), []);
            const msk = res(aws.kinesis.FirehoseDeliveryStream, { destination: "extended_s3", ...s3, mskSourceConfiguration: { mskClusterArn: "arn:aws:kafka:eu-west-1:1:cluster/c/x", topicName: "t", authenticationConfiguration: { connectivity: "PRIVATE", roleArn: ROLE_ARN } } });
            assert.deepStrictEqual(await run(firehoseEncryption, msk), []);
        });
        it("reports unknown encryption, an untraceable source or a source's unknown type as unverifiable", async () => {
            const sse = await run(firehoseEncryption, directPut({ serverSideEncryption: { enabled: UNKNOWN_BOOL } }));
            assert.deepStrictEqual(messages(sse), [unverifiable("the Firehose stream is encrypted at rest", "serverSideEncryption.enabled")]);
            const untraceable = await run(firehoseEncryption, fromKinesis(UNKNOWN));
            assert.deepStrictEqual(messages(untraceable), [unverifiable("the source Kinesis stream is encrypted at rest", "kinesisSourceConfiguration.kinesisStreamArn")]);
            const source = stream({ encryptionType: UNKNOWN });
            const sourceType = await run(firehoseEncryption, [source, fromKinesis(STREAM_ARN)]);
            assert.deepStrictEqual(messages(sourceType), [unverifiable('the source Kinesis stream "clicks" is encrypted at rest', "kinesisSourceConfiguration.kinesisStreamArn", JSON.stringify(STREAM_ARN))]);
            for (const d of [...sse, ...untraceable, ...sourceType]) {
                assert.strictEqual(d.enforcementLevel, "advisory");
                assert.strictEqual(d.cantRunDuringPreview, undefined);
            }
        });
        it("never throws on malformed inputs", async () => {
            for (const props of [{ serverSideEncryption: null }, { serverSideEncryption: [] }, { serverSideEncryption: { enabled: true, keyType: 5 } }, { kinesisSourceConfiguration: {} }, { kinesisSourceConfiguration: "x" }, { kinesisSourceConfiguration: { kinesisStreamArn: [null, 3] } }]) {
                await run(firehoseEncryption, [stream({ encryptionType: null }), directPut(props)], { requireCustomerKey: true });
            }
        });
    });

    describe("kinesis-stream-retention", () => {
        it("passes a week or more", async () => {
            assert.deepStrictEqual(await run(kinesisStreamRetention, stream({ retentionPeriod: 168 })), []);
            assert.deepStrictEqual(await run(kinesisStreamRetention, stream({ retentionPeriod: 48 }), { minimumRetentionHours: 48 }), []);
        });
        it("reports the 24-hour default and short retention, as advisory", async () => {
            const diags = await run(kinesisStreamRetention, stream({}));
            assert.deepStrictEqual(messages(diags), ["Kinesis stream must keep records for at least 168 hours: retentionPeriod is (unset) (24 hours), expected 168 or more."]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.deepStrictEqual(messages(await run(kinesisStreamRetention, stream({ retentionPeriod: 72 }))), ["Kinesis stream must keep records for at least 168 hours: retentionPeriod is 72, expected 168 or more."]);
        });
        it("reports an unknown retention as unverifiable", async () => {
            const diags = await run(kinesisStreamRetention, stream({ retentionPeriod: UNKNOWN_NUMBER }));
            assert.deepStrictEqual(messages(diags), [unverifiable("records are kept for at least 168 hours", "retentionPeriod")]);
            assert.strictEqual(diags[0].cantRunDuringPreview, undefined);
        });
        it("never throws on malformed inputs", async () => {
            for (const retentionPeriod of [null, "168", [], {}]) await run(kinesisStreamRetention, stream({ retentionPeriod }));
        });
    });
});
