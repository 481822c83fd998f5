import * as aws from "@pulumi/aws";
import * as assert from "assert";
import {
    alarmActions, cloudtrailConfiguration, deniesPublishWithoutTls, logsEncryption, logsRetention, snsEncryption, snsTlsOnly,
} from "../../policies/operations/logging";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, UNKNOWN_NUMBER, messages, res, run } from "./helpers";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:alerts";

describe("policies: logging", () => {
    describe("logs-retention", () => {
        it("passes a retention within bounds", async () => {
            assert.deepStrictEqual(await run(logsRetention, res(aws.cloudwatch.LogGroup, { retentionInDays: 365 })), []);
        });
        it("rejects logs kept forever (unset or 0), as mandatory", async () => {
            const unset = await run(logsRetention, res(aws.cloudwatch.LogGroup, {}));
            assert.deepStrictEqual(messages(unset), [
                "CloudWatch log group must expire its logs: retentionInDays is (unset), which keeps them forever, expected 7 to 3653 days.",
            ]);
            assert.strictEqual(unset[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(logsRetention, res(aws.cloudwatch.LogGroup, { retentionInDays: 0 }))), [
                "CloudWatch log group must expire its logs: retentionInDays is 0, which keeps them forever, expected 7 to 3653 days.",
            ]);
        });
        it("rejects a retention outside the bounds, and honours configured bounds", async () => {
            assert.deepStrictEqual(messages(await run(logsRetention, res(aws.cloudwatch.LogGroup, { retentionInDays: 3 }))), [
                "CloudWatch log group retention must be within 7 to 3653 days: retentionInDays is 3.",
            ]);
            assert.deepStrictEqual(messages(await run(logsRetention, res(aws.cloudwatch.LogGroup, { retentionInDays: 5479 }))), [
                "CloudWatch log group retention must be within 7 to 3653 days: retentionInDays is 5479.",
            ]);
            assert.deepStrictEqual(messages(await run(logsRetention, res(aws.cloudwatch.LogGroup, { retentionInDays: 30 }), { minimumRetentionDays: 365 })), [
                "CloudWatch log group retention must be within 365 to 3653 days: retentionInDays is 30.",
            ]);
        });
        it("says so instead of passing when retention is unknown during preview", async () => {
            const diags = await run(logsRetention, res(aws.cloudwatch.LogGroup, { retentionInDays: UNKNOWN_NUMBER }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that logs expire after 7 to 3653 days: retentionInDays is \(unknown until apply\)/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("logs-encryption", () => {
        it("passes a key, and an unknown key ARN as set", async () => {
            assert.deepStrictEqual(await run(logsEncryption, res(aws.cloudwatch.LogGroup, { kmsKeyId: KEY_ARN })), []);
            assert.deepStrictEqual(await run(logsEncryption, res(aws.cloudwatch.LogGroup, { kmsKeyId: UNKNOWN })), []);
        });
        it("rejects a group without a key", async () => {
            assert.deepStrictEqual(messages(await run(logsEncryption, res(aws.cloudwatch.LogGroup, { retentionInDays: 30 }))), [
                "CloudWatch log group must be encrypted with a customer-managed KMS key: kmsKeyId is unset, expected a key ARN.",
            ]);
        });
        it("reports an exempted group as advisory with its reason", async () => {
            const diags = await run(logsEncryption, res(aws.cloudwatch.LogGroup, {}, { name: "vendor-logs" }), {
                exemptions: [{ resource: "vendor-logs", reason: "created by a vendor integration that cannot use KMS" }],
            });
            assert.deepStrictEqual(messages(diags), [
                "Exempted (created by a vendor integration that cannot use KMS): CloudWatch log group must be encrypted with a customer-managed KMS key: kmsKeyId is unset, expected a key ARN.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("alarm-actions", () => {
        it("passes an alarm with actions, and an unknown action list as set", async () => {
            assert.deepStrictEqual(await run(alarmActions, res(aws.cloudwatch.MetricAlarm, { alarmActions: [TOPIC_ARN] })), []);
            assert.deepStrictEqual(await run(alarmActions, res(aws.cloudwatch.MetricAlarm, { alarmActions: UNKNOWN_ARRAY, actionsEnabled: true })), []);
        });
        it("rejects an alarm without actions, and one with actions disabled", async () => {
            assert.deepStrictEqual(messages(await run(alarmActions, res(aws.cloudwatch.MetricAlarm, { alarmActions: [] }))), [
                "CloudWatch alarm must notify someone: alarmActions is [], expected at least one action ARN.",
            ]);
            assert.deepStrictEqual(messages(await run(alarmActions, res(aws.cloudwatch.MetricAlarm, { alarmActions: [TOPIC_ARN], actionsEnabled: false }))), [
                "CloudWatch alarm must have its actions enabled: actionsEnabled is false, expected true or unset.",
            ]);
        });
        it("checks composite alarms too", async () => {
            const diags = await run(alarmActions, res(aws.cloudwatch.CompositeAlarm, { alarmName: "x", alarmRule: "ALARM(a)" }));
            assert.deepStrictEqual(messages(diags), ["CloudWatch composite alarm must notify someone: alarmActions is (unset), expected at least one action ARN."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("says so instead of passing when actionsEnabled is unknown during preview", async () => {
            const diags = await run(alarmActions, res(aws.cloudwatch.MetricAlarm, { alarmActions: [TOPIC_ARN], actionsEnabled: UNKNOWN_BOOL }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that alarm actions are enabled: actionsEnabled is \(unknown until apply\)/);
        });
    });

    describe("sns-encryption", () => {
        it("passes a customer key, and an unknown key as set", async () => {
            assert.deepStrictEqual(await run(snsEncryption, res(aws.sns.Topic, { kmsMasterKeyId: KEY_ARN })), []);
            assert.deepStrictEqual(await run(snsEncryption, res(aws.sns.Topic, { kmsMasterKeyId: UNKNOWN })), []);
        });
        it("rejects an unencrypted topic, as advisory, and the AWS-managed key", async () => {
            const diags = await run(snsEncryption, res(aws.sns.Topic, {}));
            assert.deepStrictEqual(messages(diags), ["SNS topic must be encrypted with a customer-managed KMS key: kmsMasterKeyId is unset, expected a key ARN or alias."]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.deepStrictEqual(messages(await run(snsEncryption, res(aws.sns.Topic, { kmsMasterKeyId: "alias/aws/sns" }))), [
                'SNS topic must be encrypted with a customer-managed KMS key: kmsMasterKeyId is "alias/aws/sns", which CloudWatch alarms cannot publish through, expected a customer key.',
            ]);
        });
    });

    describe("sns-tls-only", () => {
        const tlsDeny = {
            Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: TOPIC_ARN,
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        };
        const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
        const topic = res(aws.sns.Topic, { name: "alerts" }, { name: "alerts" });
        const expected = "a Deny statement for every principal on sns:Publish with condition Bool aws:SecureTransport false";

        it("passes a topic whose TopicPolicy denies publishing without TLS, joined by property dependency", async () => {
            const policy = res(aws.sns.TopicPolicy, { arn: UNKNOWN, policy: doc(tlsDeny) }, { name: "alerts-policy", propertyDependencies: { arn: [topic.urn] } });
            assert.deepStrictEqual(await run(snsTlsOnly, [topic, policy]), []);
        });
        it("passes an inline policy, and joins a TopicPolicy by a known ARN", async () => {
            assert.deepStrictEqual(await run(snsTlsOnly, res(aws.sns.Topic, { policy: doc(tlsDeny) })), []);
            assert.deepStrictEqual(await run(snsTlsOnly, [topic, res(aws.sns.TopicPolicy, { arn: TOPIC_ARN, policy: doc(tlsDeny) })]), []);
        });
        it("rejects a topic without any policy, on the topic", async () => {
            const diags = await run(snsTlsOnly, topic);
            assert.deepStrictEqual(messages(diags), [`SNS topic must deny publishing without TLS: it has no policy (inline or aws.sns.TopicPolicy), expected one with ${expected}.`]);
            assert.strictEqual(diags[0].urn, topic.urn);
        });
        it("rejects a policy without the TLS deny", async () => {
            const allowOnly = doc({ Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: TOPIC_ARN });
            const policy = res(aws.sns.TopicPolicy, { arn: TOPIC_ARN, policy: allowOnly }, { name: "alerts-policy" });
            const diags = await run(snsTlsOnly, [topic, policy]);
            assert.deepStrictEqual(messages(diags), [`SNS topic policy must deny publishing without TLS: the document has no such statement, expected ${expected}.`]);
            assert.strictEqual(diags[0].urn, policy.urn);
            assert.deepStrictEqual(messages(await run(snsTlsOnly, res(aws.sns.Topic, { policy: allowOnly }))), [
                `SNS topic must deny publishing without TLS: its inline policy has no such statement, expected ${expected}.`,
            ]);
        });
        it("says so instead of passing when the document is unknown during preview", async () => {
            const policy = res(aws.sns.TopicPolicy, { arn: UNKNOWN, policy: UNKNOWN }, { propertyDependencies: { arn: [topic.urn] } });
            const diags = await run(snsTlsOnly, [topic, policy]);
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that the topic policy denies publishing without TLS: policy is \(unknown until apply\)/);
        });
        it("recognises the deny only when it covers every principal, publishing and insecure transport", () => {
            assert.strictEqual(deniesPublishWithoutTls(doc({ ...tlsDeny, Action: ["sns:*"], Principal: { AWS: "*" } })), true);
            assert.strictEqual(deniesPublishWithoutTls(doc({ ...tlsDeny, Action: "*" })), true);
            assert.strictEqual(deniesPublishWithoutTls({ Statement: [{ ...tlsDeny, Condition: { Bool: { "aws:SecureTransport": false } } }] }), true);
            assert.strictEqual(deniesPublishWithoutTls(doc({ ...tlsDeny, Principal: { AWS: "arn:aws:iam::123456789012:root" } })), false);
            assert.strictEqual(deniesPublishWithoutTls(doc({ ...tlsDeny, Action: "sns:Subscribe" })), false);
            assert.strictEqual(deniesPublishWithoutTls(doc({ ...tlsDeny, Condition: { Bool: { "aws:SecureTransport": "true" } } })), false);
            assert.strictEqual(deniesPublishWithoutTls(doc({ ...tlsDeny, Effect: "Allow" })), false);
        });
    });

    describe("cloudtrail-configuration", () => {
        const goodTrail = {
            isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: KEY_ARN,
            cloudWatchLogsGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:trail:*", cloudWatchLogsRoleArn: "arn:aws:iam::123456789012:role/trail",
        };
        it("passes a hardened trail, with unknown ARNs counted as set", async () => {
            assert.deepStrictEqual(await run(cloudtrailConfiguration, res(aws.cloudtrail.Trail, goodTrail)), []);
            assert.deepStrictEqual(await run(cloudtrailConfiguration, res(aws.cloudtrail.Trail, {
                ...goodTrail, kmsKeyId: UNKNOWN, cloudWatchLogsGroupArn: UNKNOWN, cloudWatchLogsRoleArn: UNKNOWN,
            })), []);
        });
        it("rejects a default trail on every count, as mandatory", async () => {
            const diags = await run(cloudtrailConfiguration, res(aws.cloudtrail.Trail, { s3BucketName: "trail-logs" }));
            assert.deepStrictEqual(messages(diags), [
                "CloudTrail trail must cover every region: isMultiRegionTrail is (unset), expected true.",
                "CloudTrail trail must validate its log files: enableLogFileValidation is (unset), expected true.",
                "CloudTrail trail must encrypt its logs with a customer-managed KMS key: kmsKeyId is unset, expected a key ARN.",
                "CloudTrail trail must deliver to CloudWatch Logs: cloudWatchLogsGroupArn is (unset) and cloudWatchLogsRoleArn is (unset), expected both set.",
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
        });
        it("rejects a trail that is not logging, or logs to CloudWatch without a role", async () => {
            assert.deepStrictEqual(messages(await run(cloudtrailConfiguration, res(aws.cloudtrail.Trail, { ...goodTrail, enableLogging: false, cloudWatchLogsRoleArn: undefined }))), [
                "CloudTrail trail must be logging: enableLogging is false, expected true or unset.",
                `CloudTrail trail must deliver to CloudWatch Logs: cloudWatchLogsGroupArn is "${goodTrail.cloudWatchLogsGroupArn}" and cloudWatchLogsRoleArn is (unset), expected both set.`,
            ]);
        });
        it("says so instead of passing when a flag is unknown during preview", async () => {
            const diags = await run(cloudtrailConfiguration, res(aws.cloudtrail.Trail, { ...goodTrail, isMultiRegionTrail: UNKNOWN_BOOL }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that the trail is set to cover every region: isMultiRegionTrail is \(unknown until apply\)/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("can be made advisory through config", async () => {
            const diags = await run(cloudtrailConfiguration, res(aws.cloudtrail.Trail, { ...goodTrail, enableLogFileValidation: false }), { enforcementLevel: "advisory" });
            assert.deepStrictEqual(messages(diags), ["CloudTrail trail must validate its log files: enableLogFileValidation is false, expected true."]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });
});
