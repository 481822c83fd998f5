import * as aws from "@pulumi/aws";
import { ofType } from "../lib/by-type";
import { Policies } from "@pulumi/policy";
import { ResourceReporter, StackResource, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { at, isUnknown, list, parseJson, show } from "../lib/props";
import { refersTo, unresolved } from "../lib/joins";
import { ACL, aclRules, acls } from "./waf-rules";
import { wafManagedRules, wafRateLimit } from "./waf-managed";
import { wafNoAllowBeforeManaged } from "./waf-order";

const LOGGING = tokenOf(aws.wafv2.WebAclLoggingConfiguration);

export type { AclRules, RateLimit, RuleOverride, WafRule } from "./waf-rules";
export { aclRules } from "./waf-rules";
export { wafManagedRules, wafRateLimit } from "./waf-managed";

/** waf-01: an ACL without rules only applies its default action. */
export const wafHasRules = stackPolicy({
    name: "waf-has-rules",
    description: "WAFv2 web ACLs must have at least one rule or rule group.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Add rules to the aws.wafv2.WebAcl (`rules`), or attach aws.wafv2.WebAclRule / WebAclRuleGroupAssociation resources to it through `webAclArn: acl.arn`.",
    securityHub: ["WAF.10"],
    catalogue: ["waf-01"],
    types: [ACL],
    check: (resources, _ctx, report) => {
        for (const acl of acls(resources)) {
            const { rules, unknown } = aclRules(acl, resources);
            if (rules.length > 0) continue;
            // Presence: an unknown inline list counts as set; a standalone rule we cannot place might be this ACL's.
            if (unknown.some(([r]) => r === acl)) continue;
            if (unknown.length > 0) {
                report.unverifiable(unknown[0][0], unknown[0][1], `WAF web ACL ${show(acl.name)} has at least one rule`);
                continue;
            }
            report.violation(acl, "WAF web ACL must have at least one rule: it has none (rules, ruleJson, or standalone WebAclRule/WebAclRuleGroupAssociation), expected at least one rule or rule group.");
        }
    },
});

/**
 * Whether a logging filter lets any request through to the logs: no filter, a KEEP default, or a KEEP
 * filter; "unknown" while the filter (or the part deciding it) is unknown until apply.
 */
export function keepsRequests(filter: unknown): boolean | "unknown" {
    if (filter === undefined || filter === null) return true;
    if (isUnknown(filter)) return "unknown";
    const f = filter as Record<string, any>;
    if (isUnknown(f.defaultBehavior)) return "unknown";
    if (f.defaultBehavior !== "DROP") return true;
    if (isUnknown(f.filters)) return "unknown";
    const behaviors = list(f.filters).map((x) => (isUnknown(x) ? x : x?.behavior));
    if (behaviors.includes("KEEP")) return true;
    return behaviors.some(isUnknown) ? "unknown" : false;
}

const label = (r: StackResource) => `${r.type.split(":").pop()} ${show(r.name)}`;

/** waf-02: without logs there is no record of what the ACL blocked or let through. */
export const wafLogging = stackPolicy({
    name: "waf-logging",
    description: "WAFv2 web ACLs must have a logging configuration.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Add an aws.wafv2.WebAclLoggingConfiguration with `resourceArn: acl.arn` and a CloudWatch Logs group (name starting `aws-waf-logs-`), S3 bucket or Firehose stream.",
    securityHub: ["WAF.11"],
    catalogue: ["waf-02"],
    types: [ACL],
    check: (resources, _ctx, report) => {
        const configs = ofType(resources, LOGGING);
        for (const acl of acls(resources)) {
            const verdicts = configs.filter((c) => refersTo(c, "resourceArn", acl)).map((c) => ({ c, keeps: keepsRequests(c.props.loggingFilter) }));
            if (verdicts.some((v) => v.keeps === true)) continue;
            const undecided = verdicts.find((v) => v.keeps === "unknown");
            const dropsAll = verdicts.find((v) => v.keeps === false);
            const unplaced = configs.find((c) => unresolved(c, "resourceArn"));
            if (undecided) report.unverifiable(undecided.c, "loggingFilter", `WAF web ACL ${show(acl.name)} logs requests`);
            else if (unplaced) report.unverifiable(unplaced, "resourceArn", `WAF web ACL ${show(acl.name)} has a logging configuration`);
            else if (dropsAll) {
                report.violation(acl, `WAF web ACL must log requests: ${label(dropsAll.c)} drops every request (loggingFilter.defaultBehavior "DROP" and no KEEP filter), expected no filter, or one that keeps at least the blocked requests.`);
            } else report.violation(acl, "WAF web ACL must log requests: no aws.wafv2.WebAclLoggingConfiguration takes its ARN as resourceArn, expected one.");
        }
    },
});

/** Report `path` (a cloudwatchMetricsEnabled flag) unless it is true. */
function requireMetrics(props: Record<string, any>, path: string, what: string, report: ResourceReporter) {
    const value = at(props, path);
    if (isUnknown(value)) report.unverifiable(path, value, `${what} publishes CloudWatch metrics`);
    else if (value !== true) report.violation(`${what} must publish CloudWatch metrics: ${path} is ${show(value)}, expected true.`);
}

/** waf-03: metrics are how an alarm notices a spike in blocked requests, per rule. */
export const wafMetrics = resourcePolicy({
    name: "waf-metrics",
    description: "WAFv2 web ACLs and every one of their rules must publish CloudWatch metrics.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Set `visibilityConfig.cloudwatchMetricsEnabled: true` on the web ACL, on each entry of `rules`, and on standalone WebAclRule / WebAclRuleGroupAssociation resources.",
    securityHub: ["WAF.12"],
    catalogue: ["waf-03"],
    types: [aws.wafv2.WebAcl, aws.wafv2.WebAclRule, aws.wafv2.WebAclRuleGroupAssociation],
    check: (props, { type }, report) => {
        if (type !== ACL) {
            requireMetrics(props, "visibilityConfig.cloudwatchMetricsEnabled", "WAF rule", report);
            return;
        }
        requireMetrics(props, "visibilityConfig.cloudwatchMetricsEnabled", "WAF web ACL", report);
        if (isUnknown(props.rules)) report.unverifiable("rules", props.rules, "every WAF rule publishes CloudWatch metrics");
        list(props.rules).forEach((_rule, i) => requireMetrics(props, `rules[${i}].visibilityConfig.cloudwatchMetricsEnabled`, "WAF rule", report));
        list(parseJson(props.ruleJson)).forEach((rule) => {
            const on = rule?.VisibilityConfig?.CloudWatchMetricsEnabled;
            if (on !== true) report.violation(`WAF rule must publish CloudWatch metrics: ruleJson rule ${show(rule?.Name)} has VisibilityConfig.CloudWatchMetricsEnabled ${show(on)}, expected true.`);
        });
        if (isUnknown(props.ruleJson)) report.unverifiable("ruleJson", props.ruleJson, "every WAF rule publishes CloudWatch metrics");
    },
});

export const wafPolicies: Policies = [wafHasRules, wafLogging, wafMetrics, wafManagedRules, wafRateLimit, wafNoAllowBeforeManaged];
