import { createHash } from "crypto";
import { KeyPolicyContext, accountRootStatement } from "../security/key-policies";

/**
 * The alert topic's key policy and topic policy, as pure functions of where they live, so each grant can be
 * read and tested without AWS. Who may publish: CloudWatch alarms and AWS Budgets of this account, over TLS.
 */

/** One statement of a key or topic policy (a topic's TLS deny names every principal, as `"*"`). */
export interface AlertPolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal: "*" | { AWS: string } | { Service: string | string[] };
    Action: string | string[];
    Resource: string;
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface AlertPolicyDocument {
    Version: "2012-10-17";
    /** SNS asks every topic policy for an Id; KMS takes none. */
    Id?: string;
    Statement: AlertPolicyStatement[];
}

/** The services that publish to the alert topic: CloudWatch alarm actions and AWS Budgets notifications. */
const CLOUDWATCH = "cloudwatch.amazonaws.com";
const BUDGETS = "budgets.amazonaws.com";
export const ALERT_PUBLISHERS = [CLOUDWATCH, BUDGETS];

/**
 * What a publishing service does with the topic's key: SNS encrypts each message under a data key generated
 * for the publisher and decrypts it to deliver. The AWS-managed `alias/aws/sns` key grants neither to
 * CloudWatch, and its policy cannot be edited, so alarms cannot publish through it (re:Post, "How do I
 * configure a CloudWatch alarm with an encrypted SNS topic": a customer key granting cloudwatch.amazonaws.com
 * kms:Decrypt and kms:GenerateDataKey*).
 */
export const PUBLISHER_KEY_ACTIONS = ["kms:GenerateDataKey*", "kms:Decrypt"];

/** Actions of the default topic policy's owner statement, by name. */
export const TOPIC_OWNER_ACTIONS = [
    "sns:GetTopicAttributes",
    "sns:SetTopicAttributes",
    "sns:AddPermission",
    "sns:RemovePermission",
    "sns:DeleteTopic",
    "sns:Subscribe",
    "sns:ListSubscriptionsByTopic",
    "sns:Publish",
];

/**
 * The alert topic's key: administered through IAM like every key of the stack (the same root statement, no
 * use), and used only by the two publishing services. No one reads messages with it: SNS decrypts them to
 * deliver. AWS Budgets is bounded to this account (aws:SourceAccount, as the Cost Management guide shows for
 * its topic policy). CloudWatch gets AWS's documented statement without a condition (re:Post, "configure a
 * CloudWatch alarm with an encrypted SNS topic"): alarm actions are reported to fail when the key statement
 * carries an account condition, and which alarms may publish at all is the topic policy's `aws:SourceArn`.
 */
export function alertsKeyPolicy(ctx: KeyPolicyContext): AlertPolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            accountRootStatement(ctx),
            {
                Sid: "AllowCloudWatchAlarmsToPublish",
                Effect: "Allow",
                Principal: { Service: [CLOUDWATCH] },
                Action: [...PUBLISHER_KEY_ACTIONS],
                Resource: "*",
            },
            {
                Sid: "AllowBudgetsInAccountToPublish",
                Effect: "Allow",
                Principal: { Service: [BUDGETS] },
                Action: [...PUBLISHER_KEY_ACTIONS],
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId } },
            },
        ],
    };
}

/**
 * Alarms that may publish: `<namePrefix>-*` in this account and region. CloudWatch publishes as the alarm
 * (its ARN, `arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>`, is the request's aws:SourceArn; re:Post,
 * "Why didn't I receive an SNS notification for my CloudWatch alarm trigger?", ArnLike on aws:SourceArn),
 * so every alarm notifying this topic must be named with the stack's prefix.
 */
export function alarmSourceArnPattern(ctx: KeyPolicyContext, namePrefix: string): string {
    return `arn:${ctx.partition}:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${namePrefix}-*`;
}

/**
 * Budgets of this account: AWS documents `arn:<partition>:budgets::<account>:*` with aws:SourceAccount
 * (AWS Cost Management User Guide, "Creating an Amazon SNS topic for budget notifications").
 */
export function budgetSourceArnPattern(ctx: KeyPolicyContext): string {
    return `arn:${ctx.partition}:budgets::${ctx.accountId}:*`;
}

/**
 * The topic's ARN in AWS's format (`arn:<partition>:sns:<region>:<account>:<name>`), from where it lives and
 * its name only: the topic policy is then known on a new stack's first preview, where the topic's own `arn`
 * output is not, and the pack can read its TLS deny. AWS refuses a policy whose Resource is not the topic's.
 */
export function alertTopicArn(ctx: KeyPolicyContext, topicName: string): string {
    return `arn:${ctx.partition}:sns:${ctx.region}:${ctx.accountId}:${topicName}`;
}

/**
 * The alert topic's policy (SNS: one topic per policy, its ARN as every statement's Resource, a unique Sid each):
 * - publishing without TLS is refused to everyone (the pack's sns-tls-only);
 * - CloudWatch may publish for this stack's alarms, AWS Budgets for this account's budgets, each only for
 *   this account;
 * - the account administers the topic through IAM, as SNS's default policy allows (the root as principal
 *   instead of "*" with AWS:SourceOwner).
 */
export function alertTopicPolicy(ctx: KeyPolicyContext, topicArn: string, namePrefix: string): AlertPolicyDocument {
    const inAccount = { "aws:SourceAccount": ctx.accountId };
    return {
        Version: "2012-10-17",
        Id: `${namePrefix}-alerts-policy`,
        Statement: [
            {
                Sid: "DenyPublishWithoutTls",
                Effect: "Deny",
                Principal: "*",
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            {
                Sid: "AllowStackAlarmsToPublish",
                Effect: "Allow",
                Principal: { Service: "cloudwatch.amazonaws.com" },
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: { StringEquals: inAccount, ArnLike: { "aws:SourceArn": alarmSourceArnPattern(ctx, namePrefix) } },
            },
            {
                Sid: "AllowAccountBudgetsToPublish",
                Effect: "Allow",
                Principal: { Service: "budgets.amazonaws.com" },
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: { StringEquals: inAccount, ArnLike: { "aws:SourceArn": budgetSourceArnPattern(ctx) } },
            },
            {
                Sid: "AllowAccountToManageTopic",
                Effect: "Allow",
                Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` },
                Action: [...TOPIC_OWNER_ACTIONS],
                Resource: topicArn,
            },
        ],
    };
}

/** Characters of a logical-name slug: what a URN and the reader both handle. */
const SLUG_UNSAFE = /[^a-z0-9]+/g;

/**
 * Stable logical-name suffix of an e-mail subscription: the address, lowercased and reduced to letters,
 * digits and dashes (`oncall-at-example-com`), plus 8 hex digits of its SHA-256 so two addresses that reduce
 * alike (`a.b@x` and `a-b@x`) still differ. Depends on the address only, never on its place in the list.
 */
export function emailSubscriptionSuffix(email: string): string {
    const address = email.trim().toLowerCase();
    const slug = address.replace("@", "-at-").replace(SLUG_UNSAFE, "-").replace(/^-+|-+$/g, "");
    return `${slug}-${createHash("sha256").update(address).digest("hex").slice(0, 8)}`;
}
