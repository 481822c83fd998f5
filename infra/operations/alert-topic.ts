import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EMAIL } from "../config/checks";
import { ALERT_EMAILS_MAX, HTTPS_URL } from "../config/sections/operations";
import { AlertsConfig, KmsConfig } from "../config/types";
import { deletionWindowProblem, keyPolicyContext } from "../security/key-context";
import { alertTopicArn, alertTopicPolicy, alertsKeyPolicy, emailSubscriptionSuffix } from "./alert-policies";

export interface AlertTopicArgs {
    /** `<app>-<environment>`: the topic is `<namePrefix>-alerts`, its key's alias `alias/<namePrefix>-alerts`. */
    namePrefix: string;
    /** `baseline:alerts`: one e-mail subscription per address, and the optional HTTPS endpoint (a secret). */
    alerts: AlertsConfig;
    /** `baseline:kms`: the key's deletion window. */
    kms: KmsConfig;
    /** Puts `protect` on the key (prod). It is kept on delete in every environment, like the other keys. */
    protect: boolean;
}

/** SNS topic names: letters, digits, `-` and `_`; with `-alerts`, at most 256 characters, and the alias too. */
const NAME_PREFIX = /^[A-Za-z0-9_-]{1,243}$/;

/** The args' problem, if any: each names the value (never the HTTPS endpoint's, which carries a token). */
export function alertTopicArgsProblem(who: string, args: AlertTopicArgs): string | undefined {
    if (typeof args.namePrefix !== "string" || !NAME_PREFIX.test(args.namePrefix)) {
        return `${who}: namePrefix ${JSON.stringify(args.namePrefix)} cannot name an SNS topic and a KMS alias: expected 1 to 243 letters, digits, "-" or "_".`;
    }
    const windowProblem = deletionWindowProblem(who, args.kms);
    if (windowProblem) return windowProblem;
    const emails = args.alerts.emails;
    if (!Array.isArray(emails) || emails.length === 0 || emails.length > ALERT_EMAILS_MAX) {
        return `${who}: alerts.emails is ${JSON.stringify(emails)}, expected 1 to ${ALERT_EMAILS_MAX} e-mail addresses (someone must hear the alerts).`;
    }
    const bad = emails.find((e) => typeof e !== "string" || !EMAIL.test(e));
    if (bad !== undefined) return `${who}: alerts.emails contains ${JSON.stringify(bad)}, expected an e-mail address such as ops@example.com.`;
    const seen = new Set<string>();
    for (const e of emails) {
        const key = e.trim().toLowerCase();
        if (seen.has(key)) return `${who}: alerts.emails lists ${JSON.stringify(e)} twice (addresses compare without case), expected each address once.`;
        seen.add(key);
    }
    const endpoint = args.alerts.httpsEndpoint;
    if (endpoint !== undefined && (typeof endpoint !== "string" || !HTTPS_URL.test(endpoint))) {
        return `${who}: alerts.httpsEndpoint (value not shown) is not an https:// URL with a host name, expected unset or a URL that accepts SNS notifications.`;
    }
    return undefined;
}

/**
 * The stack's alert topic: SNS topic `<namePrefix>-alerts` encrypted with its own customer-managed key, which
 * CloudWatch alarms and AWS Budgets of this account may use to publish (alias/aws/sns would not let alarms
 * publish). Its policy refuses publishing without TLS and lets CloudWatch publish only for alarms named
 * `<namePrefix>-*`: every alarm notifying this topic must carry the stack's prefix. One e-mail subscription
 * per address (each confirms once, from the message SNS sends), and an HTTPS subscription (a chat webhook)
 * when configured, whose URL stays secret in state and is never an output.
 */
export class AlertTopic extends pulumi.ComponentResource {
    /** The topic's ARN: alarm and OK actions, budget notifications. */
    readonly arn: pulumi.Output<string>;
    /** The topic's key. */
    readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        const problem = alertTopicArgsProblem(`AlertTopic ${name}`, args);
        if (problem) throw new Error(problem);
        super("baseline:operations:AlertTopic", name, {}, opts);

        const context = keyPolicyContext(this);
        const key = new aws.kms.Key(`${name}-key`, {
            description: `${args.namePrefix} SNS alert topic`,
            enableKeyRotation: true,
            deletionWindowInDays: args.kms.deletionWindowDays,
            policy: context.apply((ctx) => JSON.stringify(alertsKeyPolicy(ctx))),
        }, { parent: this, protect: args.protect, retainOnDelete: true });
        new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${args.namePrefix}-alerts`, targetKeyId: key.keyId }, { parent: this });

        const topicName = `${args.namePrefix}-alerts`;
        const topic = new aws.sns.Topic(`${name}-topic`, { name: topicName, kmsMasterKeyId: key.arn }, { parent: this });
        const policy = new aws.sns.TopicPolicy(`${name}-topic-policy`, {
            arn: topic.arn,
            // Built from the account, region and name, not the topic's output: readable on a first preview too.
            policy: context.apply((ctx) => JSON.stringify(alertTopicPolicy(ctx, alertTopicArn(ctx, topicName), args.namePrefix))),
        }, { parent: this });

        // Named after the address, so reordering the list, or adding and removing others, replaces none.
        for (const email of args.alerts.emails) {
            new aws.sns.TopicSubscription(`${name}-email-${emailSubscriptionSuffix(email)}`, {
                topic: topic.arn, protocol: "email", endpoint: email,
            }, { parent: this });
        }
        if (args.alerts.httpsEndpoint !== undefined) {
            // The URL carries the webhook's token: a secret input, and its `endpoint` output kept secret too.
            new aws.sns.TopicSubscription(`${name}-https`, {
                topic: topic.arn, protocol: "https", endpoint: pulumi.secret(args.alerts.httpsEndpoint),
            }, { parent: this, additionalSecretOutputs: ["endpoint"] });
        }

        // Handed on only with the policy in place: an alarm or a budget created earlier could not publish yet.
        this.arn = pulumi.all([topic.arn, policy.urn]).apply(([arn]) => arn);
        this.keyArn = key.arn;
        this.registerOutputs({ arn: this.arn, keyArn: this.keyArn });
    }
}
