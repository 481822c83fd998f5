import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { StackResource, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { at, firstUnknown, isSet, isUnknown, list, parseJson, show } from "../lib/props";
import { refersTo } from "../lib/joins";

/** The retention values CloudWatch Logs accepts besides 0 (@pulumi/aws 7 cloudwatch/logGroup.d.ts, `retentionInDays`). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** log-01: log groups expire within known bounds, never "forever" (0 or unset). */
export const logsRetention = resourcePolicy<{ minimumRetentionDays: number; maximumRetentionDays: number }>({
    name: "logs-retention",
    description: "CloudWatch log groups must set a retention period (never \"forever\") within the configured bounds.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `retentionInDays` on the aws.cloudwatch.LogGroup to a CloudWatch Logs retention value within the bounds (the program takes it from `baseline:logs.retentionDays`).",
    securityHub: ["CloudWatch.16"],
    catalogue: ["log-01"],
    config: {
        minimumRetentionDays: { type: "integer", minimum: 1, default: 7, description: "Shortest retention allowed (incident investigations need the logs)." },
        maximumRetentionDays: { type: "integer", minimum: 1, default: 3653, description: "Longest retention allowed (cost, data minimisation)." },
    },
    types: [aws.cloudwatch.LogGroup],
    check: (group, { config }, report) => {
        const days = group.retentionInDays;
        const { minimumRetentionDays: min, maximumRetentionDays: max } = config;
        if (isUnknown(days)) report.unverifiable("retentionInDays", days, `logs expire after ${min} to ${max} days`);
        else if (days === undefined || days === null || days === 0) {
            report.violation(`CloudWatch log group must expire its logs: retentionInDays is ${show(days ?? undefined)}, which keeps them forever, expected ${min} to ${max} days.`);
        } else if (days < min || days > max) {
            report.violation(`CloudWatch log group retention must be within ${min} to ${max} days: retentionInDays is ${show(days)}.`);
        }
    },
    // Only raises a retention below the minimum, to the shortest value CloudWatch Logs accepts at or above it:
    // logs are kept longer, never deleted sooner. Unset or 0 (kept forever) and a retention above the maximum
    // would need a shorter retention, which deletes logs: those are left to the program. PutRetentionPolicy
    // updates in place (retention_in_days is not ForceNew in terraform-provider-aws aws_cloudwatch_log_group).
    // DELIVERY-class groups are skipped: AWS forces their retention to 2 days and ignores the input.
    remediate: (group, { config }) => {
        const days = group.retentionInDays;
        if (typeof days !== "number" || days <= 0 || days >= config.minimumRetentionDays) return undefined;
        if (group.logGroupClass === "DELIVERY" || isUnknown(group.logGroupClass)) return undefined;
        const raised = LOG_RETENTION_DAYS.find((d) => d >= config.minimumRetentionDays);
        if (raised === undefined || raised > config.maximumRetentionDays) return undefined;
        return { ...group, retentionInDays: raised };
    },
});

/** log-01: log groups hold application and audit data; encrypt them with a key the account controls. */
export const logsEncryption = resourcePolicy({
    name: "logs-encryption",
    description: "CloudWatch log groups must be encrypted with a customer-managed KMS key.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `kmsKeyId` on the aws.cloudwatch.LogGroup to a KMS key ARN whose policy lets `logs.<region>.amazonaws.com` use it.",
    catalogue: ["log-01"],
    types: [aws.cloudwatch.LogGroup],
    check: (group, _ctx, report) => {
        if (!isSet(group.kmsKeyId)) {
            report.violation("CloudWatch log group must be encrypted with a customer-managed KMS key: kmsKeyId is unset, expected a key ARN.");
        }
    },
});

/** log-02: an alarm nobody hears is not monitoring. */
export const alarmActions = resourcePolicy({
    name: "alarm-actions",
    description: "CloudWatch alarms must have alarm actions, and actions must be enabled.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `alarmActions` to the alerts topic ARN and leave `actionsEnabled` unset or true on the aws.cloudwatch.MetricAlarm / CompositeAlarm.",
    securityHub: ["CloudWatch.15"],
    catalogue: ["log-02"],
    types: [aws.cloudwatch.MetricAlarm, aws.cloudwatch.CompositeAlarm],
    check: (alarm, { type }, report) => {
        const what = type === tokenOf(aws.cloudwatch.CompositeAlarm) ? "CloudWatch composite alarm" : "CloudWatch alarm";
        const actions = alarm.alarmActions;
        // An unknown list (ARNs of topics created in this stack) is set.
        if (!isUnknown(actions) && (!Array.isArray(actions) || actions.length === 0)) {
            report.violation(`${what} must notify someone: alarmActions is ${show(actions)}, expected at least one action ARN.`);
        }
        if (isUnknown(alarm.actionsEnabled)) report.unverifiable("actionsEnabled", alarm.actionsEnabled, "alarm actions are enabled");
        else if (alarm.actionsEnabled === false) {
            report.violation(`${what} must have its actions enabled: actionsEnabled is false, expected true or unset.`);
        }
    },
});

/** sns-01: topics carry alert contents; `alias/aws/sns` also blocks CloudWatch alarms from publishing. */
export const snsEncryption = resourcePolicy({
    name: "sns-encryption",
    description: "SNS topics must be encrypted with a customer-managed KMS key.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Set `kmsMasterKeyId` on the aws.sns.Topic to a customer-managed key whose policy lets the publishing services (cloudwatch.amazonaws.com) use it.",
    securityHub: ["SNS.1"],
    catalogue: ["sns-01"],
    types: [aws.sns.Topic],
    check: (topic, _ctx, report) => {
        const key = topic.kmsMasterKeyId;
        if (!isSet(key)) {
            report.violation("SNS topic must be encrypted with a customer-managed KMS key: kmsMasterKeyId is unset, expected a key ARN or alias.");
        } else if (key === "alias/aws/sns") {
            report.violation('SNS topic must be encrypted with a customer-managed KMS key: kmsMasterKeyId is "alias/aws/sns", which CloudWatch alarms cannot publish through, expected a customer key.');
        }
    },
});

const TLS_DENY = "a Deny statement for every principal on sns:Publish with condition Bool aws:SecureTransport false";

/** True when a policy document denies publishing over plain HTTP to every principal. */
export function deniesPublishWithoutTls(document: unknown): boolean {
    const doc = parseJson(document);
    const statements: any[] = doc ? [doc.Statement ?? []].flat() : [];
    return statements.some((s) => {
        const actions = [s?.Action ?? []].flat();
        const principals = [s?.Principal, s?.Principal?.AWS].flat();
        const secure = [s?.Condition?.Bool?.["aws:SecureTransport"] ?? []].flat().map(String);
        return s?.Effect === "Deny" && principals.includes("*") && secure.includes("false")
            && actions.some((a) => a === "*" || a === "sns:*" || a === "sns:Publish");
    });
}

/** Whether a topic ARN (`arn:aws:sns:<region>:<account>:<name>`) names `topic`. */
function namesTopic(arn: string, topic: StackResource): boolean {
    const name = topic.props.name;
    return typeof name === "string" && !isUnknown(name) && arn.endsWith(`:${name}`);
}

/** sns-01: publishers must use TLS; only a policy can require it. */
export const snsTlsOnly = stackPolicy({
    name: "sns-tls-only",
    description: "SNS topics must have a policy (inline or aws.sns.TopicPolicy) that denies publishing without TLS.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps:
        "Give the topic an aws.sns.TopicPolicy (or inline `policy`) with a statement " +
        '`{ Effect: "Deny", Principal: "*", Action: "sns:Publish", Resource: <topic ARN>, Condition: { Bool: { "aws:SecureTransport": "false" } } }`.',
    catalogue: ["sns-01"],
    types: [aws.sns.Topic, aws.sns.TopicPolicy],
    check: (resources, _ctx, report) => {
        const topicPolicies = resources.filter((r) => r.type === tokenOf(aws.sns.TopicPolicy));
        const requirement = "the topic policy denies publishing without TLS";
        for (const policy of topicPolicies) {
            if (isUnknown(policy.props.policy)) report.unverifiable(policy, "policy", requirement);
            else if (!deniesPublishWithoutTls(policy.props.policy)) {
                report.violation(policy, `SNS topic policy must deny publishing without TLS: the document has no such statement, expected ${TLS_DENY}.`);
            }
        }
        for (const topic of resources.filter((r) => r.type === tokenOf(aws.sns.Topic))) {
            const inline = topic.props.policy;
            if (isUnknown(inline)) report.unverifiable(topic, "policy", requirement);
            else if (inline !== undefined && !deniesPublishWithoutTls(inline)) {
                report.violation(topic, `SNS topic must deny publishing without TLS: its inline policy has no such statement, expected ${TLS_DENY}.`);
            } else if (inline === undefined && !topicPolicies.some((p) => refersTo(p, "arn", topic, { matches: namesTopic }))) {
                report.violation(topic, `SNS topic must deny publishing without TLS: it has no policy (inline or aws.sns.TopicPolicy), expected one with ${TLS_DENY}.`);
            }
        }
    },
});

type Verdict = { holds: true } | { holds: false; found: string; expected: string } | { holds: "unknown"; path: string };

/** Does an advanced selector record every management event (no readOnly filter, sources only excluded)? Or the path of an unknown. */
function advancedSelectsManagement(selector: unknown, path: string): boolean | string {
    const unknown = firstUnknown(selector, path);
    const fields = list(isUnknown(selector) ? [] : (selector as any)?.fieldSelectors);
    const management = fields.some((f) => f?.field === "eventCategory" && list(f.equals).includes("Management"));
    const narrowed = fields.some((f) => f?.field !== "eventCategory" &&
        !(f?.field === "eventSource" && ["equals", "startsWiths", "endsWiths"].every((k) => f[k] === undefined)));
    if (management && !narrowed) return true;
    return unknown ?? false;
}

/**
 * Whether the trail records read and write management events (CloudTrail.1), the API calls that
 * change or read the account. Without selectors CloudTrail records them all; selectors can leave
 * them out (`includeManagementEvents: false`, `readWriteType: "WriteOnly"`, data-only advanced selectors).
 */
export function recordsManagementEvents(trail: Record<string, any>): Verdict {
    const advanced = trail.advancedEventSelectors;
    if (isUnknown(advanced)) return { holds: "unknown", path: "advancedEventSelectors" };
    if (list(advanced).length > 0) {
        const verdicts = list(advanced).map((sel, i) => advancedSelectsManagement(sel, `advancedEventSelectors[${i}]`));
        if (verdicts.includes(true)) return { holds: true };
        const unknown = verdicts.find((v): v is string => typeof v === "string");
        if (unknown) return { holds: "unknown", path: unknown };
        return { holds: false, found: 'no advancedEventSelectors entry selects eventCategory "Management" without narrowing it (readOnly, or an eventSource other than notEquals)', expected: "expected one" };
    }
    const basic = trail.eventSelectors;
    if (isUnknown(basic)) return { holds: "unknown", path: "eventSelectors" };
    if (list(basic).length === 0) return { holds: true };
    let unknown: string | undefined;
    for (const [i, sel] of list(basic).entries()) {
        if (isUnknown(sel)) {
            unknown ??= `eventSelectors[${i}]`;
            continue;
        }
        const include = sel?.includeManagementEvents ?? true;
        const readWrite = sel?.readWriteType ?? "All";
        if (include === true && readWrite === "All") return { holds: true };
        if ((include === true || isUnknown(include)) && (readWrite === "All" || isUnknown(readWrite))) {
            unknown ??= isUnknown(include) ? `eventSelectors[${i}].includeManagementEvents` : `eventSelectors[${i}].readWriteType`;
        }
    }
    if (unknown) return { holds: "unknown", path: unknown };
    return { holds: false, found: `eventSelectors is ${show(basic)}`, expected: 'expected a selector with includeManagementEvents true (or unset) and readWriteType "All" (or unset)' };
}

/** ct-01: an audit trail that covers every region, cannot be silently edited, and feeds alarms. */
export const cloudtrailConfiguration = resourcePolicy({
    name: "cloudtrail-configuration",
    description: "CloudTrail trails must log every region's read and write management events, validate log files, encrypt with KMS and deliver to CloudWatch Logs.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "On the aws.cloudtrail.Trail set `isMultiRegionTrail: true`, `enableLogFileValidation: true`, `kmsKeyId` (a customer key ARN), " +
        "no event selector that drops management events (or one with `includeManagementEvents: true` and `readWriteType: \"All\"`), " +
        "`cloudWatchLogsGroupArn` (`${logGroup.arn}:*`) and `cloudWatchLogsRoleArn` (a role CloudTrail can assume to write there).",
    securityHub: ["CloudTrail.1", "CloudTrail.2", "CloudTrail.4", "CloudTrail.5"],
    catalogue: ["ct-01"],
    types: [aws.cloudtrail.Trail],
    check: (trail, _ctx, report) => {
        if (isUnknown(trail.enableLogging)) report.unverifiable("enableLogging", trail.enableLogging, "the trail is logging");
        else if (trail.enableLogging === false) report.violation("CloudTrail trail must be logging: enableLogging is false, expected true or unset.");
        const flags: [string, string][] = [["isMultiRegionTrail", "cover every region"], ["enableLogFileValidation", "validate its log files"]];
        for (const [flag, rule] of flags) {
            if (isUnknown(trail[flag])) report.unverifiable(flag, trail[flag], `the trail is set to ${rule}`);
            else if (trail[flag] !== true) report.violation(`CloudTrail trail must ${rule}: ${flag} is ${show(trail[flag])}, expected true.`);
        }
        const events = recordsManagementEvents(trail);
        if (events.holds === "unknown") report.unverifiable(events.path, at(trail, events.path), "the trail records read and write management events");
        else if (!events.holds) report.violation(`CloudTrail trail must record read and write management events: ${events.found}, ${events.expected}.`);
        if (!isSet(trail.kmsKeyId)) report.violation("CloudTrail trail must encrypt its logs with a customer-managed KMS key: kmsKeyId is unset, expected a key ARN.");
        if (!isSet(trail.cloudWatchLogsGroupArn) || !isSet(trail.cloudWatchLogsRoleArn)) {
            report.violation(
                `CloudTrail trail must deliver to CloudWatch Logs: cloudWatchLogsGroupArn is ${show(trail.cloudWatchLogsGroupArn)} and cloudWatchLogsRoleArn is ${show(trail.cloudWatchLogsRoleArn)}, expected both set.`,
            );
        }
    },
});

export const loggingPolicies: Policies = [logsRetention, logsEncryption, alarmActions, snsEncryption, snsTlsOnly, cloudtrailConfiguration];
