import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { StackResource, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { at, isFalse, isSet, isUnknown, parseJson } from "../lib/props";
import { ofType } from "../lib/by-type";
import { linked, unresolved } from "../lib/joins";
import { Finding, actionCovers, isAnyonePrincipal, openToAnyone, parseDocument, values } from "../lib/iam-documents";

const QUEUE = tokenOf(aws.sqs.Queue);
const QUEUE_POLICY = tokenOf(aws.sqs.QueuePolicy);
const REDRIVE_POLICY = tokenOf(aws.sqs.RedrivePolicy);
const REDRIVE_ALLOW_POLICY = tokenOf(aws.sqs.RedriveAllowPolicy);

/**
 * Keys that, pinned to exact values, confine a `*` principal of a queue or topic policy: the caller's
 * account, ARN or organization, the resource that sends on its behalf (aws:SourceArn/SourceAccount, and
 * aws:SourceOwner, which SNS's own default topic policy uses), or the VPC (endpoint) the request comes
 * through. The same set AWS Config's sqs-queue-no-public-access / sns-topic-no-public-access treat as
 * "fixed values" (checked: docs.aws.amazon.com/config/latest/developerguide/sqs-queue-no-public-access.html),
 * minus aws:SourceIp, which we do not count: an address range is not an identity.
 */
const CONFINING_KEYS = new Set([
    "aws:principalaccount", "aws:principalarn", "aws:principalorgid", "aws:principalorgpaths",
    "aws:sourceaccount", "aws:sourcearn", "aws:sourceowner", "aws:sourceorgid", "aws:sourcevpce", "aws:sourcevpc",
]);

/**
 * Operators that test equality; the `Like` ones only when the value has no wildcard. IfExists never confines
 * (an absent key passes), and neither does ForAllValues: it is true when the request has no such key
 * ("returns true if there are no context keys in the request", IAM User Guide, multivalued context keys), so a
 * direct call from any account, which carries no aws:SourceArn or aws:SourceAccount, passes it.
 */
const EQUALITY = /^(ForAnyValue:)?(StringEquals|StringEqualsIgnoreCase|ArnEquals|StringLike|ArnLike)$/;

/** A fixed value: a non-empty string without wildcards or policy variables (an unknown value, an ARN or id from an output, is fixed). */
const isFixed = (v: unknown) => typeof v === "string" && v !== "" && !/[*?]|\$\{/.test(v);

/** True when a condition pins the caller (or the sending resource) to exact values. */
export function confinesCallerOrSource(condition: unknown): boolean {
    if (condition === null || typeof condition !== "object" || Array.isArray(condition)) return false;
    return Object.entries(condition as Record<string, unknown>).some(([operator, block]) =>
        EQUALITY.test(operator) && block !== null && typeof block === "object" && !Array.isArray(block) &&
        Object.entries(block as Record<string, unknown>).some(([key, v]) =>
            CONFINING_KEYS.has(key.toLowerCase()) && values(v).length > 0 && values(v).every(isFixed)));
}

/** Allow statements of a queue or topic policy that anyone may use, where its sources (SourceArn, SourceOwner, a VPC endpoint...) confine it too. */
export function publicStatements(document: unknown, path: string): Finding[] {
    return openToAnyone(document, path, confinesCallerOrSource);
}

const CONFINE_HINT = "expected named principals or a condition pinning aws:SourceArn, aws:SourceAccount, aws:SourceOwner, aws:PrincipalOrgID or aws:PrincipalAccount to exact values";

/**
 * The safe fix for both encryption policies: SSE-SQS on, only when no KMS key is set (the provider refuses
 * both) and the setting is not unknown. It never replaces the queue and needs no key policy; the one caveat
 * is that an encrypted queue answers only HTTPS/SigV4 requests, which every current AWS SDK sends.
 */
export function enableManagedSse(queue: Record<string, any>): Record<string, any> | undefined {
    if (isSet(queue.kmsMasterKeyId) || isUnknown(queue.sqsManagedSseEnabled) || queue.sqsManagedSseEnabled === true) return undefined;
    // An empty or null key is no key, but written next to sqsManagedSseEnabled it may still trip the provider's
    // conflict between the two: the fix leaves it out.
    const { kmsMasterKeyId: _none, ...rest } = queue;
    return { ...rest, sqsManagedSseEnabled: true };
}

/** sqs-01 (SQS.1): a queue that says it is not encrypted (sqsManagedSseEnabled false and no KMS key) stores messages in the clear. */
export const sqsEncryption = resourcePolicy({
    name: "sqs-encryption",
    description: "SQS queues must be encrypted at rest, with SQS-managed keys (SSE-SQS) or a KMS key (SSE-KMS); sqsManagedSseEnabled false without a key is refused.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "On the aws.sqs.Queue set `sqsManagedSseEnabled: true`, or `kmsMasterKeyId` to a KMS key whose policy lets the queue's producers (and publishing services) use it.",
    securityHub: ["SQS.1"],
    catalogue: ["sqs-01"],
    types: [aws.sqs.Queue],
    check: (queue, _ctx, report) => {
        if (isSet(queue.kmsMasterKeyId)) return; // SSE-KMS (an unknown key ARN from this stack is a key)
        const sse = queue.sqsManagedSseEnabled;
        if (isUnknown(sse)) report.unverifiable("sqsManagedSseEnabled", sse, "the queue is encrypted at rest");
        // The provider reads the string "false" (a value from stack config) as false.
        else if (isFalse(sse)) {
            report.violation("SQS queue must be encrypted at rest: sqsManagedSseEnabled is false and kmsMasterKeyId is unset, which turns off the encryption AWS gives new queues, expected sqsManagedSseEnabled true or a KMS key.");
        }
    },
    remediate: enableManagedSse,
});

/**
 * sqs-02 (SQS.1): a queue that says nothing about encryption. AWS encrypts new queues with SSE-SQS by
 * default since October 2022 (aws.amazon.com/blogs/compute "Announcing server-side encryption with Amazon
 * SQS-managed encryption keys (SSE-SQS) by default"; only for queues created over HTTPS/SigV4, and not for
 * queues created before), and the provider leaves the attribute computed when unset
 * (hashicorp/terraform-provider-aws#26843, #27335): the program then neither states nor keeps the setting, so
 * turning encryption off outside the program is not seen as drift. Advisory: SQS.1 itself would pass such a queue.
 */
export const sqsEncryptionExplicit = resourcePolicy({
    name: "sqs-encryption-explicit",
    description: "SQS queues should state their encryption at rest (sqsManagedSseEnabled true or a KMS key) instead of relying on the AWS default for new queues.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "On the aws.sqs.Queue set `sqsManagedSseEnabled: true` (no key to manage), or `kmsMasterKeyId` to a KMS key.",
    securityHub: ["SQS.1"],
    catalogue: ["sqs-02"],
    types: [aws.sqs.Queue],
    check: (queue, _ctx, report) => {
        if (isSet(queue.kmsMasterKeyId)) return;
        if (queue.sqsManagedSseEnabled === undefined || queue.sqsManagedSseEnabled === null) {
            report.violation("SQS queue must state its encryption at rest: neither sqsManagedSseEnabled nor kmsMasterKeyId is set, which leaves it to the AWS default for new queues and hides a later change, expected sqsManagedSseEnabled true or a KMS key.");
        }
    },
    remediate: enableManagedSse,
});

/** sqs-03 (SQS.3): a queue policy open to "*" lets any AWS account (or anyone) send, read or purge messages. */
export const sqsQueueNotPublic = resourcePolicy({
    name: "sqs-queue-not-public",
    description: "SQS queue policies (aws.sqs.QueuePolicy or the queue's inline policy) must not allow the \"*\" principal without a condition confining the caller to exact accounts, resources or the organization.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "In the queue policy name the principals (account roles, or `Service: \"sns.amazonaws.com\"`), or keep `\"*\"` with " +
        '`Condition: { ArnEquals: { "aws:SourceArn": topic.arn } }` (or aws:SourceAccount / aws:PrincipalOrgID) pinned to exact values.',
    securityHub: ["SQS.3"],
    catalogue: ["sqs-03"],
    types: [aws.sqs.Queue, aws.sqs.QueuePolicy],
    check: (p, { type }, report) => {
        if (type === QUEUE && (p.policy === undefined || p.policy === null || p.policy === "")) return;
        const what = type === QUEUE ? "SQS queue's inline policy" : "SQS queue policy";
        for (const f of publicStatements(p.policy, "policy")) {
            if ("violation" in f) report.violation(`${what} must not be open to everyone: policy ${f.violation} allows the "*" principal without a condition confining the caller, ${CONFINE_HINT}.`);
            else report.unverifiable(f.unknown, f.value, "the queue policy is not open to everyone");
        }
    },
});

/** A Deny for every principal, on every queue action (or at least sending and receiving), when the request is not over TLS. */
export function deniesWithoutTls(document: unknown, service: "sqs" | "sns", actionsNeeded: string[]): boolean {
    const parsed = parseDocument(document);
    if (parsed.kind !== "ok") return false;
    return parsed.statements.some((s) => {
        if (typeof s.Effect !== "string" || s.Effect.toLowerCase() !== "deny" || s.NotAction !== undefined) return false;
        if (!isAnyonePrincipal(s.Principal)) return false;
        const actions = values(s.Action).filter((a): a is string => typeof a === "string");
        if (!actionsNeeded.every((needed) => actions.some((a) => actionCovers(a, `${service}:${needed}`)))) return false;
        const condition = s.Condition;
        if (condition === null || typeof condition !== "object") return false;
        return ["Bool", "BoolIfExists"].some((op) => {
            const block = (condition as Record<string, unknown>)[op];
            if (block === null || typeof block !== "object") return false;
            return Object.entries(block as Record<string, unknown>).some(([k, v]) =>
                k.toLowerCase() === "aws:securetransport" && values(v).some((x) => String(x).toLowerCase() === "false"));
        });
    });
}

const SQS_TLS_DENY = 'a Deny statement for every principal on sqs:* with condition Bool aws:SecureTransport "false"';
const queueNeeds = ["SendMessage", "ReceiveMessage"];

/** A queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`) or ARN names the queue when it ends with its name. */
function namesQueue(literal: string, queue: StackResource): boolean {
    const name = queue.props.name;
    return typeof name === "string" && !isUnknown(name) && name !== "" && (literal.endsWith(`/${name}`) || literal.endsWith(`:${name}`));
}

/** sqs-04: only a queue policy can refuse plain-HTTP requests (SQS accepts them on its non-TLS endpoint). */
export const sqsTlsOnly = stackPolicy({
    name: "sqs-tls-only",
    description: "SQS queues should have a policy (inline or aws.sqs.QueuePolicy) that denies requests made without TLS.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps:
        "Give the queue an aws.sqs.QueuePolicy (or inline `policy`) with a statement " +
        '`{ Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: queue.arn, Condition: { Bool: { "aws:SecureTransport": "false" } } }`.',
    catalogue: ["sqs-04"],
    types: [QUEUE, QUEUE_POLICY],
    check: (resources, _ctx, report) => {
        const queues = ofType(resources, QUEUE);
        const policies = ofType(resources, QUEUE_POLICY);
        if (queues.length === 0 && policies.length === 0) return;
        const requirement = "the queue policy denies requests without TLS";
        for (const policy of policies) {
            if (isUnknown(policy.props.policy)) report.unverifiable(policy, "policy", requirement);
            else if (!deniesWithoutTls(policy.props.policy, "sqs", queueNeeds)) {
                report.violation(policy, `SQS queue policy must deny requests without TLS: the document has no such statement, expected ${SQS_TLS_DENY}.`);
            }
        }
        const untraceable = policies.some((p) => unresolved(p, "queueUrl", QUEUE));
        for (const queue of queues) {
            const inline = queue.props.policy;
            if (isUnknown(inline)) report.unverifiable(queue, "policy", requirement);
            else if (isSet(inline)) {
                if (!deniesWithoutTls(inline, "sqs", queueNeeds)) report.violation(queue, `SQS queue must deny requests without TLS: its inline policy has no such statement, expected ${SQS_TLS_DENY}.`);
            } else if (policies.some((p) => linked(p, "queueUrl", [queue], { matches: namesQueue }).length > 0)) continue;
            else if (untraceable) report.unverifiable(queue, "policy", "an aws.sqs.QueuePolicy (whose queueUrl is unknown until apply) denies requests without TLS");
            else report.violation(queue, `SQS queue must deny requests without TLS: it has no policy (inline or aws.sqs.QueuePolicy), expected one with ${SQS_TLS_DENY}.`);
        }
    },
});

const deadLetterTarget = (p: Record<string, any>) => parseJson(p.redrivePolicy)?.deadLetterTargetArn;

/**
 * Where resources name a dead-letter target: the type, the top-level input (dependencies are recorded per
 * input) and the ARN inside it. A queue any of them names is a dead-letter queue and needs none of its own.
 */
const DLQ_REFERENCES: [string, string, (p: Record<string, any>) => unknown][] = [
    [QUEUE, "redrivePolicy", deadLetterTarget],
    [REDRIVE_POLICY, "redrivePolicy", deadLetterTarget],
    [tokenOf(aws.sns.TopicSubscription), "redrivePolicy", deadLetterTarget],
    [tokenOf(aws.lambda.Function), "deadLetterConfig", (p) => at(p, "deadLetterConfig.targetArn")],
    [tokenOf(aws.lambda.FunctionEventInvokeConfig), "destinationConfig", (p) => at(p, "destinationConfig.onFailure.destination")],
    [tokenOf(aws.cloudwatch.EventTarget), "deadLetterConfig", (p) => at(p, "deadLetterConfig.arn")],
];

/**
 * sqs-05: a message that keeps failing is retried until it expires, and then lost without a trace; a
 * dead-letter queue keeps it for inspection and redrive. Advisory: some queues (best-effort events) do
 * not want one.
 */
export const sqsDeadLetterQueue = stackPolicy({
    name: "sqs-dead-letter-queue",
    description: "SQS queues should send repeatedly failing messages to a dead-letter queue (redrivePolicy), unless they are one.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps:
        "Create a second aws.sqs.Queue for failed messages and set `redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 })` " +
        "on the aws.sqs.Queue (or an aws.sqs.RedrivePolicy for it); give the dead-letter queue a longer messageRetentionSeconds.",
    catalogue: ["sqs-05"],
    types: [QUEUE],
    check: (resources, _ctx, report) => {
        const queues = ofType(resources, QUEUE);
        if (queues.length === 0) return;
        const redrives = ofType(resources, REDRIVE_POLICY);
        const allows = ofType(resources, REDRIVE_ALLOW_POLICY);
        const deadLetterQueues = new Set<StackResource>();
        let untraceable = [...redrives, ...allows].some((p) => unresolved(p, "queueUrl", QUEUE));
        for (const [type, input, target] of DLQ_REFERENCES) {
            for (const r of ofType(resources, type)) {
                const arn = target(r.props);
                const found = linked(r, input, queues, { value: arn, matches: namesQueue });
                found.forEach((q) => deadLetterQueues.add(q));
                if (found.length === 0 && (isUnknown(r.props[input]) || isUnknown(arn))) untraceable = true;
            }
        }
        for (const a of allows) linked(a, "queueUrl", queues, { matches: namesQueue }).forEach((q) => deadLetterQueues.add(q));
        for (const queue of queues) {
            if (isSet(queue.props.redrivePolicy) || isSet(queue.props.redriveAllowPolicy) || deadLetterQueues.has(queue)) continue;
            if (redrives.some((p) => linked(p, "queueUrl", [queue], { matches: namesQueue }).length > 0)) continue;
            if (untraceable) report.unverifiable(queue, "redrivePolicy", "the queue has a dead-letter queue or is one (a redrive reference is unknown until apply)");
            else report.violation(queue, "SQS queue must have a dead-letter queue: redrivePolicy is (unset), no aws.sqs.RedrivePolicy is for it and nothing uses it as a dead-letter target, expected a redrivePolicy with deadLetterTargetArn.");
        }
    },
});

export const sqsPolicies: Policies = [sqsEncryption, sqsEncryptionExplicit, sqsQueueNotPublic, sqsTlsOnly, sqsDeadLetterQueue];
