import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { resourcePolicy, tokenOf } from "../lib/define";
import { isUnknown, show } from "../lib/props";
import { publicStatements } from "./sqs";

/**
 * Who may use a topic, and how its messages leave it. Encryption (`sns-encryption`) and TLS-only
 * publishing (`sns-tls-only`) live in logging.ts with the alert topic they were written for.
 */

const TOPIC = tokenOf(aws.sns.Topic);

/**
 * sns-02 (SNS.4, "SNS topic access policies should not allow public access"): a topic open to "*" lets
 * anyone publish into the systems that subscribe, or subscribe an endpoint of theirs and read every message.
 * SNS's own default policy is `{"AWS":"*"}` with `StringEquals AWS:SourceOwner <account>`, which passes.
 */
export const snsTopicNotPublic = resourcePolicy({
    name: "sns-topic-not-public",
    description: "SNS topic policies (aws.sns.TopicPolicy or the topic's inline policy) must not allow the \"*\" principal without a condition confining the caller to exact accounts, resources or the organization.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        'In the topic policy name the principals (`Service: "cloudwatch.amazonaws.com"`, account roles), or keep `"*"` with ' +
        '`Condition: { StringEquals: { "AWS:SourceOwner": <account id> } }` (or aws:SourceArn / aws:PrincipalOrgID) pinned to exact values.',
    securityHub: ["SNS.4"],
    catalogue: ["sns-02"],
    types: [aws.sns.Topic, aws.sns.TopicPolicy],
    check: (p, { type }, report) => {
        if (type === TOPIC && (p.policy === undefined || p.policy === null || p.policy === "")) return;
        const what = type === TOPIC ? "SNS topic's inline policy" : "SNS topic policy";
        for (const f of publicStatements(p.policy, "policy")) {
            if ("violation" in f) {
                report.violation(`${what} must not be open to everyone: policy ${f.violation} allows the "*" principal without a condition confining the caller, expected named principals or a condition pinning aws:SourceOwner, aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID or aws:PrincipalAccount to exact values.`);
            } else report.unverifiable(f.unknown, f.value, "the topic policy is not open to everyone");
        }
    },
});

/** Protocols that carry the message over the network without TLS. */
const PLAINTEXT = new Set(["http"]);

/**
 * sns-03: an `http` subscription posts every message, in the clear, across the internet. (`https`,
 * `sqs`, `lambda`, `firehose` and the rest are delivered over TLS or inside AWS.)
 */
export const snsSubscriptionTls = resourcePolicy({
    name: "sns-subscription-tls",
    description: "SNS subscriptions must not deliver messages over plain HTTP.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set `protocol: "https"` and an `https://` endpoint on the aws.sns.TopicSubscription (the endpoint must present a certificate from a trusted authority).',
    catalogue: ["sns-03"],
    types: [aws.sns.TopicSubscription],
    check: (sub, _ctx, report) => {
        const protocol = sub.protocol;
        if (isUnknown(protocol)) report.unverifiable("protocol", protocol, "messages are delivered over TLS");
        else if (typeof protocol === "string" && PLAINTEXT.has(protocol.toLowerCase())) {
            report.violation(`SNS subscription must deliver over TLS: protocol is ${show(protocol)}, expected "https" (or a protocol delivered inside AWS).`);
        } else if (typeof protocol === "string" && protocol.toLowerCase() === "https" && typeof sub.endpoint === "string" && /^http:\/\//i.test(sub.endpoint)) {
            // The endpoint is not printed: it may carry basic-auth credentials.
            report.violation("SNS subscription must deliver over TLS: protocol is \"https\" but endpoint is an http:// URL, expected an https:// URL.");
        }
    },
});

export const snsAccessPolicies: Policies = [snsTopicNotPublic, snsSubscriptionTls];
