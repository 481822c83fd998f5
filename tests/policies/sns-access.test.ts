import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { snsSubscriptionTls, snsTopicNotPublic } from "../../policies/messaging/sns-access";
import { UNKNOWN, messages, res, run } from "./helpers";

const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:events";
const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const unverifiable = (requirement: string, path: string) =>
    `Cannot verify during preview that ${requirement}: ${path} is (unknown until apply). Re-run the check after apply, or set the value from configuration.`;
const NOT_PUBLIC = (what: string, statement: string) =>
    `${what} must not be open to everyone: policy statement ${statement} allows the "*" principal without a condition confining the caller, expected named principals or a condition pinning aws:SourceOwner, aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID or aws:PrincipalAccount to exact values.`;

/** The policy SNS gives a new topic: every principal, confined to the owner account. */
const snsDefault = {
    Sid: "__default_statement_ID", Effect: "Allow", Principal: { AWS: "*" },
    Action: ["SNS:GetTopicAttributes", "SNS:Subscribe", "SNS:Publish"], Resource: TOPIC_ARN,
    Condition: { StringEquals: { "AWS:SourceOwner": "123456789012" } },
};
const openPublish = { Sid: "Anyone", Effect: "Allow", Principal: "*", Action: "sns:Publish", Resource: TOPIC_ARN };

describe("policies: sns-access", () => {
    describe("sns-topic-not-public", () => {
        it("passes SNS's default policy, service principals and a * confined to the organization", async () => {
            const cloudwatch = { Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: TOPIC_ARN };
            const org = { ...openPublish, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } };
            assert.deepStrictEqual(await run(snsTopicNotPublic, res(aws.sns.TopicPolicy, { arn: TOPIC_ARN, policy: doc(snsDefault, cloudwatch, org) })), []);
            assert.deepStrictEqual(await run(snsTopicNotPublic, res(aws.sns.Topic, { policy: doc(snsDefault) })), []);
            assert.deepStrictEqual(await run(snsTopicNotPublic, res(aws.sns.Topic, { name: "events" })), []);
        });
        it("rejects * without a confining condition, in a TopicPolicy and inline, as mandatory", async () => {
            const diags = await run(snsTopicNotPublic, res(aws.sns.TopicPolicy, { arn: TOPIC_ARN, policy: doc(snsDefault, openPublish) }));
            assert.deepStrictEqual(messages(diags), [NOT_PUBLIC("SNS topic policy", '"Anyone"')]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(snsTopicNotPublic, res(aws.sns.Topic, { policy: doc({ ...snsDefault, Condition: undefined }) }))), [
                NOT_PUBLIC("SNS topic's inline policy", '"__default_statement_ID"'),
            ]);
        });
        it("reports an unknown document or condition as unverifiable, never as passing", async () => {
            const whole = await run(snsTopicNotPublic, res(aws.sns.TopicPolicy, { arn: UNKNOWN, policy: UNKNOWN }));
            assert.deepStrictEqual(messages(whole), [unverifiable("the topic policy is not open to everyone", "policy")]);
            const condition = await run(snsTopicNotPublic, res(aws.sns.Topic, { policy: { Statement: [{ ...openPublish, Condition: UNKNOWN }] } }));
            assert.deepStrictEqual(messages(condition), [unverifiable("the topic policy is not open to everyone", "policy.Statement[0].Condition")]);
            for (const d of [...whole, ...condition]) {
                assert.strictEqual(d.enforcementLevel, "advisory");
                assert.strictEqual(d.cantRunDuringPreview, undefined);
            }
        });
        it("never throws on malformed documents and entries", async () => {
            for (const policy of ["[]", "42", "null", "not json", { Statement: "x" }, { Statement: [null, 7, { Effect: "Allow", Principal: "*", Condition: { StringEquals: [] } }, { Effect: "Allow", Principal: { AWS: null } }] }]) {
                await run(snsTopicNotPublic, res(aws.sns.TopicPolicy, { arn: TOPIC_ARN, policy }));
                await run(snsTopicNotPublic, res(aws.sns.Topic, { policy }));
            }
        });
    });

    describe("sns-subscription-tls", () => {
        const sub = (props: Record<string, any>) => res(aws.sns.TopicSubscription, { topic: TOPIC_ARN, ...props });
        it("passes https and deliveries inside AWS", async () => {
            for (const props of [
                { protocol: "https", endpoint: "https://hooks.example.com/sns" },
                { protocol: "sqs", endpoint: "arn:aws:sqs:eu-west-1:123456789012:orders" },
                { protocol: "lambda", endpoint: "arn:aws:lambda:eu-west-1:123456789012:function:f" },
                { protocol: "email", endpoint: "ops@example.com" },
            ]) {
                assert.deepStrictEqual(await run(snsSubscriptionTls, sub(props)), [], JSON.stringify(props));
            }
        });
        it("rejects http delivery, as mandatory, without printing the endpoint", async () => {
            const diags = await run(snsSubscriptionTls, sub({ protocol: "http", endpoint: "http://user:s3cret@hooks.example.com/sns" }));
            assert.deepStrictEqual(messages(diags), ['SNS subscription must deliver over TLS: protocol is "http", expected "https" (or a protocol delivered inside AWS).']);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            const mismatch = await run(snsSubscriptionTls, sub({ protocol: "https", endpoint: "http://user:s3cret@hooks.example.com/sns" }));
            assert.deepStrictEqual(messages(mismatch), ['SNS subscription must deliver over TLS: protocol is "https" but endpoint is an http:// URL, expected an https:// URL.']);
            assert.ok(![...diags, ...mismatch].some((d) => d.message.includes("s3cret")));
        });
        it("reports an unknown protocol as unverifiable", async () => {
            const diags = await run(snsSubscriptionTls, sub({ protocol: UNKNOWN, endpoint: UNKNOWN }));
            assert.deepStrictEqual(messages(diags), [unverifiable("messages are delivered over TLS", "protocol")]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("never throws on malformed inputs", async () => {
            for (const props of [{ protocol: null }, { protocol: 3, endpoint: [] }, { protocol: "https", endpoint: null }, {}]) await run(snsSubscriptionTls, sub(props));
        });
    });
});
