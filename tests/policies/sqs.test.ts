import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { confinesCallerOrSource, deniesWithoutTls, enableManagedSse, sqsDeadLetterQueue, sqsEncryption, sqsEncryptionExplicit, sqsQueueNotPublic, sqsTlsOnly } from "../../policies/messaging/sqs";
import { Diagnostic, resolvePolicyConfig } from "../../tools/offline/evaluate";
import { remediate as remediateOffline } from "../../tools/offline/remediate";
import { UNKNOWN, UNKNOWN_BOOL, messages, res, run, secret } from "./helpers";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const QUEUE_ARN = "arn:aws:sqs:eu-west-1:123456789012:orders";
const QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders";
const TOPIC_ARN = "arn:aws:sns:eu-west-1:123456789012:events";
const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const unverifiable = (requirement: string, path: string, value = "(unknown until apply)") =>
    `Cannot verify during preview that ${requirement}: ${path} is ${value}. Re-run the check after apply, or set the value from configuration.`;

/** Every diagnostic advisory, and none the SDK's "can't run during preview". */
function allAdvisory(diags: Diagnostic[]) {
    assert.ok(diags.length > 0);
    assert.ok(diags.every((d) => d.enforcementLevel === "advisory" && !d.cantRunDuringPreview));
}

/** What the SDK would hand the engine at level "remediate" (plain props, as the tests' resources are). */
function remediate(policy: ResourceValidationPolicy, props: Record<string, any>): Record<string, any> | undefined {
    const r = res(aws.sqs.Queue, props);
    return (policy.remediateResource as any)({ ...r, getConfig: () => ({}), stackTags: new Map(), notApplicable: () => undefined });
}

describe("policies: sqs", () => {
    describe("sqs-encryption", () => {
        it("passes SSE-SQS, a KMS key (also unknown until apply), and a queue that leaves the setting to AWS", async () => {
            for (const props of [{ sqsManagedSseEnabled: true }, { kmsMasterKeyId: KEY_ARN }, { kmsMasterKeyId: UNKNOWN }, { kmsMasterKeyId: "alias/aws/sqs", sqsManagedSseEnabled: false }, {}]) {
                assert.deepStrictEqual(await run(sqsEncryption, res(aws.sqs.Queue, props)), [], JSON.stringify(props));
            }
        });
        it("rejects sqsManagedSseEnabled false without a key, as mandatory", async () => {
            const expected = ["SQS queue must be encrypted at rest: sqsManagedSseEnabled is false and kmsMasterKeyId is unset, which turns off the encryption AWS gives new queues, expected sqsManagedSseEnabled true or a KMS key."];
            const diags = await run(sqsEncryption, res(aws.sqs.Queue, { sqsManagedSseEnabled: false }));
            assert.deepStrictEqual(messages(diags), expected);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(sqsEncryption, res(aws.sqs.Queue, { sqsManagedSseEnabled: false, kmsMasterKeyId: "" }))), expected);
        });
        it("reports an unknown sqsManagedSseEnabled as unverifiable", async () => {
            const diags = await run(sqsEncryption, res(aws.sqs.Queue, { sqsManagedSseEnabled: UNKNOWN_BOOL }));
            assert.deepStrictEqual(messages(diags), [unverifiable("the queue is encrypted at rest", "sqsManagedSseEnabled")]);
            allAdvisory(diags);
        });
    });

    describe("sqs-encryption-explicit", () => {
        it("passes a queue that states SSE-SQS or a key", async () => {
            for (const props of [{ sqsManagedSseEnabled: true }, { kmsMasterKeyId: KEY_ARN }, { sqsManagedSseEnabled: UNKNOWN_BOOL }, { sqsManagedSseEnabled: false }]) {
                assert.deepStrictEqual(await run(sqsEncryptionExplicit, res(aws.sqs.Queue, props)), [], JSON.stringify(props));
            }
        });
        it("reports a queue that says nothing about encryption, as advisory", async () => {
            const diags = await run(sqsEncryptionExplicit, res(aws.sqs.Queue, { name: "orders" }));
            assert.deepStrictEqual(messages(diags), [
                "SQS queue must state its encryption at rest: neither sqsManagedSseEnabled nor kmsMasterKeyId is set, which leaves it to the AWS default for new queues and hides a later change, expected sqsManagedSseEnabled true or a KMS key.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("SSE-SQS remediation", () => {
        it("turns SSE-SQS on for a queue without a key, and the result then passes both policies", async () => {
            for (const props of [{ name: "orders" }, { name: "orders", sqsManagedSseEnabled: false }]) {
                for (const policy of [sqsEncryption, sqsEncryptionExplicit]) {
                    const fixed = remediate(policy, props);
                    assert.deepStrictEqual(fixed, { name: "orders", sqsManagedSseEnabled: true });
                    assert.deepStrictEqual(await run([sqsEncryption, sqsEncryptionExplicit], res(aws.sqs.Queue, fixed!)), []);
                }
            }
        });
        it("goes through the engine's remediate path: secrets stay secret, unknowns stay, exemptions win, and the result passes", async () => {
            const queue = res(aws.sqs.Queue, { name: "orders", tags: { owner: secret("payments") } }, { name: "orders" });
            const unknown = res(aws.sqs.Queue, { name: "jobs", sqsManagedSseEnabled: UNKNOWN_BOOL }, { name: "jobs" });
            const exempt = res(aws.sqs.Queue, { name: "legacy", sqsManagedSseEnabled: false }, { name: "legacy" });
            const config = resolvePolicyConfig([sqsEncryption], { "sqs-encryption": { enforcementLevel: "remediate", exemptions: [{ resource: "legacy", reason: "read by a client that cannot use SigV4" }] } });
            const result = await remediateOffline([queue, unknown, exempt], { policies: [sqsEncryption], config });
            assert.deepStrictEqual(result.remediations.map((r) => [r.name, r.policyName]), [["orders", "sqs-encryption"]]);
            assert.deepStrictEqual(result.cantRun, []);
            assert.deepStrictEqual(result.resources[0].props.tags, queue.props.tags);
            assert.strictEqual(result.resources[0].props.sqsManagedSseEnabled, true);
            assert.deepStrictEqual(result.resources.slice(1), [unknown, exempt]);
            assert.deepStrictEqual(await run([sqsEncryption, sqsEncryptionExplicit], result.resources[0]), []);
        });
        it("never writes sqsManagedSseEnabled next to a kmsMasterKeyId, even an empty one", async () => {
            for (const kmsMasterKeyId of ["", null]) {
                const fixed = remediate(sqsEncryption, { name: "orders", kmsMasterKeyId, sqsManagedSseEnabled: false });
                assert.deepStrictEqual(fixed, { name: "orders", sqsManagedSseEnabled: true }, JSON.stringify(kmsMasterKeyId));
                assert.deepStrictEqual(await run([sqsEncryption, sqsEncryptionExplicit], res(aws.sqs.Queue, fixed!)), []);
            }
        });
        it("leaves a queue with a key (the provider refuses both), an unknown setting, or SSE-SQS already on", () => {
            for (const props of [{ kmsMasterKeyId: KEY_ARN }, { kmsMasterKeyId: UNKNOWN }, { sqsManagedSseEnabled: UNKNOWN_BOOL }, { sqsManagedSseEnabled: true }]) {
                assert.strictEqual(enableManagedSse(props), undefined, JSON.stringify(props));
                assert.strictEqual(remediate(sqsEncryption, props), undefined, JSON.stringify(props));
            }
        });
    });

    describe("sqs-queue-not-public", () => {
        const fromTopic = { Sid: "FromTopic", Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: QUEUE_ARN, Condition: { ArnEquals: { "aws:SourceArn": TOPIC_ARN } } };
        const open = { Sid: "Open", Effect: "Allow", Principal: { AWS: "*" }, Action: "sqs:*", Resource: QUEUE_ARN };
        const NOT_PUBLIC = (what: string, statement: string) =>
            `${what} must not be open to everyone: policy statement ${statement} allows the "*" principal without a condition confining the caller, expected named principals or a condition pinning aws:SourceArn, aws:SourceAccount, aws:SourceOwner, aws:PrincipalOrgID or aws:PrincipalAccount to exact values.`;

        it("passes named principals, and \"*\" confined to a source ARN, account or organization", async () => {
            const named = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/worker" }, Action: "sqs:ReceiveMessage", Resource: QUEUE_ARN };
            const org = { ...open, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } };
            const account = { ...open, Condition: { StringEquals: { "aws:SourceAccount": ["123456789012"] } } };
            assert.deepStrictEqual(await run(sqsQueueNotPublic, res(aws.sqs.QueuePolicy, { queueUrl: QUEUE_URL, policy: doc(named, fromTopic, org, account) })), []);
            assert.deepStrictEqual(await run(sqsQueueNotPublic, res(aws.sqs.Queue, { policy: doc(fromTopic) })), []);
            assert.deepStrictEqual(await run(sqsQueueNotPublic, res(aws.sqs.Queue, {})), []);
        });
        it("rejects \"*\" without a confining condition, in a QueuePolicy and inline, as mandatory", async () => {
            const diags = await run(sqsQueueNotPublic, res(aws.sqs.QueuePolicy, { queueUrl: QUEUE_URL, policy: doc(fromTopic, open) }));
            assert.deepStrictEqual(messages(diags), [NOT_PUBLIC("SQS queue policy", '"Open"')]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(sqsQueueNotPublic, res(aws.sqs.Queue, { policy: doc({ ...open, Sid: undefined }) }))), [NOT_PUBLIC("SQS queue's inline policy", "0")]);
        });
        it("accepts the policy as an object (the SDK's PolicyDocument) too", async () => {
            const diags = await run(sqsQueueNotPublic, res(aws.sqs.QueuePolicy, { queueUrl: QUEUE_URL, policy: { Version: "2012-10-17", Statement: [open] } }));
            assert.deepStrictEqual(messages(diags), [NOT_PUBLIC("SQS queue policy", '"Open"')]);
        });
        it("reports an unknown document, principal or condition as unverifiable, never as passing", async () => {
            const whole = await run(sqsQueueNotPublic, res(aws.sqs.QueuePolicy, { queueUrl: UNKNOWN, policy: UNKNOWN }));
            assert.deepStrictEqual(messages(whole), [unverifiable("the queue policy is not open to everyone", "policy")]);
            allAdvisory(whole);
            const parts = await run(sqsQueueNotPublic, res(aws.sqs.QueuePolicy, {
                queueUrl: QUEUE_URL, policy: { Statement: [{ ...open, Principal: UNKNOWN }, { ...open, Condition: UNKNOWN }, { ...open, Effect: UNKNOWN }] },
            }));
            assert.deepStrictEqual(messages(parts), [
                unverifiable("the queue policy is not open to everyone", "policy.Statement[0].Principal"),
                unverifiable("the queue policy is not open to everyone", "policy.Statement[1].Condition"),
                unverifiable("the queue policy is not open to everyone", "policy.Statement[2].Effect"),
            ]);
            allAdvisory(parts);
            // A source ARN from an output (unknown at preview) is a fixed value: it confines.
            assert.deepStrictEqual(await run(sqsQueueNotPublic, res(aws.sqs.QueuePolicy, { queueUrl: QUEUE_URL, policy: { Statement: [{ ...open, Condition: { ArnEquals: { "aws:SourceArn": UNKNOWN } } }] } })), []);
        });
        it("never throws on malformed documents and entries", async () => {
            for (const policy of ["not json", "[]", "42", "null", '"*"', { Statement: null }, { Statement: [null, 1, "x", { Effect: "Allow" }, { Effect: "Allow", Principal: null, Condition: null }, { Effect: 3, Principal: "*" }, { Effect: "Allow", Principal: { AWS: [null, 1] } }] }]) {
                await run(sqsQueueNotPublic, res(aws.sqs.QueuePolicy, { queueUrl: QUEUE_URL, policy }));
                await run(sqsQueueNotPublic, res(aws.sqs.Queue, { policy }));
            }
            assert.strictEqual(confinesCallerOrSource({ StringEquals: null }), false);
            assert.strictEqual(confinesCallerOrSource({ StringEquals: { "aws:SourceAccount": [] } }), false);
            assert.strictEqual(confinesCallerOrSource([{ StringEquals: { "aws:SourceAccount": "1" } }]), false);
        });
    });

    describe("sqs-tls-only", () => {
        const tlsDeny = { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: QUEUE_ARN, Condition: { Bool: { "aws:SecureTransport": "false" } } };
        const queue = res(aws.sqs.Queue, { name: "orders", sqsManagedSseEnabled: true }, { name: "orders" });
        const EXPECTED = 'a Deny statement for every principal on sqs:* with condition Bool aws:SecureTransport "false"';

        it("passes a queue whose QueuePolicy denies requests without TLS, joined by dependency or by URL", async () => {
            const byDependency = res(aws.sqs.QueuePolicy, { queueUrl: UNKNOWN, policy: doc(tlsDeny) }, { name: "orders-policy", propertyDependencies: { queueUrl: [queue.urn] } });
            assert.deepStrictEqual(await run(sqsTlsOnly, [queue, byDependency]), []);
            assert.deepStrictEqual(await run(sqsTlsOnly, [queue, res(aws.sqs.QueuePolicy, { queueUrl: QUEUE_URL, policy: doc(tlsDeny) })]), []);
            assert.deepStrictEqual(await run(sqsTlsOnly, res(aws.sqs.Queue, { policy: doc(tlsDeny) })), []);
        });
        it("rejects a queue without a policy (on the queue) and a policy without the deny (on the policy), as advisory", async () => {
            const alone = await run(sqsTlsOnly, queue);
            assert.deepStrictEqual(messages(alone), [`SQS queue must deny requests without TLS: it has no policy (inline or aws.sqs.QueuePolicy), expected one with ${EXPECTED}.`]);
            assert.strictEqual(alone[0].urn, queue.urn);
            assert.strictEqual(alone[0].enforcementLevel, "advisory");
            const allowOnly = res(aws.sqs.QueuePolicy, { queueUrl: QUEUE_URL, policy: doc({ Effect: "Allow", Principal: { Service: "sns.amazonaws.com" }, Action: "sqs:SendMessage", Resource: QUEUE_ARN }) }, { name: "p" });
            const diags = await run(sqsTlsOnly, [queue, allowOnly]);
            assert.deepStrictEqual(messages(diags), [`SQS queue policy must deny requests without TLS: the document has no such statement, expected ${EXPECTED}.`]);
            assert.strictEqual(diags[0].urn, allowOnly.urn);
            assert.deepStrictEqual(messages(await run(sqsTlsOnly, res(aws.sqs.Queue, { policy: doc({ ...tlsDeny, Effect: "Allow" }) }))), [
                `SQS queue must deny requests without TLS: its inline policy has no such statement, expected ${EXPECTED}.`,
            ]);
        });
        it("reports an unknown document, or a policy it cannot join, as unverifiable", async () => {
            const unknownDoc = await run(sqsTlsOnly, [queue, res(aws.sqs.QueuePolicy, { queueUrl: QUEUE_URL, policy: UNKNOWN })]);
            assert.deepStrictEqual(messages(unknownDoc), [unverifiable("the queue policy denies requests without TLS", "policy")]);
            const untraceable = await run(sqsTlsOnly, [queue, res(aws.sqs.QueuePolicy, { queueUrl: UNKNOWN, policy: doc(tlsDeny) })]);
            assert.deepStrictEqual(messages(untraceable), [unverifiable("an aws.sqs.QueuePolicy (whose queueUrl is unknown until apply) denies requests without TLS", "policy", "(unset)")]);
            allAdvisory([...unknownDoc, ...untraceable]);
        });
        it("recognises the deny only when it covers every principal, sending and receiving, and insecure transport", () => {
            assert.strictEqual(deniesWithoutTls(doc({ ...tlsDeny, Action: ["sqs:SendMessage", "sqs:ReceiveMessage"], Principal: { AWS: ["*"] } }), "sqs", ["SendMessage", "ReceiveMessage"]), true);
            assert.strictEqual(deniesWithoutTls(doc({ ...tlsDeny, Action: "*", Condition: { BoolIfExists: { "aws:securetransport": false } } }), "sqs", ["SendMessage"]), true);
            assert.strictEqual(deniesWithoutTls(doc({ ...tlsDeny, Action: "sqs:SendMessage" }), "sqs", ["SendMessage", "ReceiveMessage"]), false);
            assert.strictEqual(deniesWithoutTls(doc({ ...tlsDeny, Principal: { AWS: "arn:aws:iam::123456789012:root" } }), "sqs", ["SendMessage"]), false);
            assert.strictEqual(deniesWithoutTls(doc({ ...tlsDeny, Condition: { Bool: { "aws:SecureTransport": "true" } } }), "sqs", ["SendMessage"]), false);
            assert.strictEqual(deniesWithoutTls(doc({ ...tlsDeny, NotAction: "sqs:DeleteQueue", Action: undefined }), "sqs", ["SendMessage"]), false);
        });
        it("never throws on malformed documents", async () => {
            for (const policy of ["[]", "42", "null", "{", { Statement: [null, { Effect: "Deny", Principal: "*", Condition: null }, { Effect: "Deny", Principal: "*", Action: [1], Condition: { Bool: null } }] }]) {
                await run(sqsTlsOnly, [queue, res(aws.sqs.QueuePolicy, { queueUrl: QUEUE_URL, policy })]);
                await run(sqsTlsOnly, res(aws.sqs.Queue, { policy }));
            }
        });
    });

    describe("sqs-dead-letter-queue", () => {
        const dlq = res(aws.sqs.Queue, { name: "orders-dlq", sqsManagedSseEnabled: true }, { name: "orders-dlq" });
        const NO_DLQ = "SQS queue must have a dead-letter queue: redrivePolicy is (unset), no aws.sqs.RedrivePolicy is for it and nothing uses it as a dead-letter target, expected a redrivePolicy with deadLetterTargetArn.";
        it("passes a queue with a redrive policy, and its dead-letter queue, joined by dependency or by ARN", async () => {
            const main = res(aws.sqs.Queue, { name: "orders", redrivePolicy: UNKNOWN }, { name: "orders", propertyDependencies: { redrivePolicy: [dlq.urn] } });
            assert.deepStrictEqual(await run(sqsDeadLetterQueue, [main, dlq]), []);
            const literal = res(aws.sqs.Queue, { name: "orders", redrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:eu-west-1:123456789012:orders-dlq", maxReceiveCount: 5 }) }, { name: "orders" });
            assert.deepStrictEqual(await run(sqsDeadLetterQueue, [literal, dlq]), []);
        });
        it("passes queues given a DLQ by aws.sqs.RedrivePolicy, allowed as one, or used as a Lambda's dead-letter target", async () => {
            const main = res(aws.sqs.Queue, { name: "orders" }, { name: "orders" });
            const redrive = res(aws.sqs.RedrivePolicy, { queueUrl: QUEUE_URL, redrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:eu-west-1:123456789012:orders-dlq" }) });
            assert.deepStrictEqual(await run(sqsDeadLetterQueue, [main, dlq, redrive]), []);
            assert.deepStrictEqual(await run(sqsDeadLetterQueue, res(aws.sqs.Queue, { name: "x-dlq", redriveAllowPolicy: JSON.stringify({ redrivePermission: "allowAll" }) })), []);
            const fn = res(aws.lambda.Function, { deadLetterConfig: { targetArn: UNKNOWN } }, { name: "fn", propertyDependencies: { deadLetterConfig: [dlq.urn] } });
            assert.deepStrictEqual(await run(sqsDeadLetterQueue, [dlq, fn]), []);
        });
        it("reports a queue with no dead-letter queue, as advisory, on the queue", async () => {
            const diags = await run(sqsDeadLetterQueue, dlq);
            assert.deepStrictEqual(messages(diags), [NO_DLQ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.strictEqual(diags[0].urn, dlq.urn);
            // A redrive policy naming another queue does not make this one a dead-letter queue.
            const other = res(aws.sqs.Queue, { name: "billing", redrivePolicy: JSON.stringify({ deadLetterTargetArn: "arn:aws:sqs:eu-west-1:123456789012:billing-dlq" }) }, { name: "billing" });
            assert.deepStrictEqual(messages(await run(sqsDeadLetterQueue, [other, dlq])), [NO_DLQ]);
        });
        it("reports a queue as unverifiable when a redrive reference is unknown and untraceable", async () => {
            const fn = res(aws.lambda.Function, { deadLetterConfig: { targetArn: UNKNOWN } }, { name: "fn" });
            const diags = await run(sqsDeadLetterQueue, [dlq, fn]);
            assert.deepStrictEqual(messages(diags), [unverifiable("the queue has a dead-letter queue or is one (a redrive reference is unknown until apply)", "redrivePolicy", "(unset)")]);
            allAdvisory(diags);
        });
        it("never throws on malformed redrive policies", async () => {
            for (const redrivePolicy of ["[]", "42", "null", "{", JSON.stringify({ deadLetterTargetArn: 5 })]) {
                await run(sqsDeadLetterQueue, [dlq, res(aws.sqs.Queue, { name: "m", redrivePolicy }), res(aws.sns.TopicSubscription, { redrivePolicy }), res(aws.lambda.Function, { deadLetterConfig: null })]);
            }
        });
    });
});
