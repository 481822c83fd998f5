import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { ResourceReporter, StackReporter, StackResource, resourcePolicy, stackPolicy, tokenOf } from "./lib/define";
import { at, isSet, isUnknown, list, parseJson, show } from "./lib/props";
import { refersTo, unresolved } from "./lib/joins";

const ACL = tokenOf(aws.wafv2.WebAcl);
const STANDALONE_RULE = tokenOf(aws.wafv2.WebAclRule);
const RULE_GROUP_ASSOCIATION = tokenOf(aws.wafv2.WebAclRuleGroupAssociation);
const LOGGING = tokenOf(aws.wafv2.WebAclLoggingConfiguration);

/** One rule of a web ACL, wherever it is declared (inline, `ruleJson`, or a standalone resource). */
export interface WafRule {
    /** How messages name it: `rules[1] "rate"`, `ruleJson "rate"`, `WebAclRule "rate"`. */
    label: string;
    /** The resource that declares it. */
    owner: StackResource;
    /** A managed rule group statement's vendor and name, and where the name is in the owner's props. */
    managedGroup?: { vendor: unknown; name: unknown; namePath: string };
    rateBased: boolean;
    /** True when the rule only counts (override or action `count`); unknown until apply when its action is. */
    counting: unknown;
    /** Where the action deciding `counting` is in the owner's props. */
    countingPath: string;
}

export interface AclRules {
    rules: WafRule[];
    /** Where rules may hide until apply: `[resource, path]` of unknown lists and statements, and unresolvable standalone rules. */
    unknown: Array<[StackResource, string]>;
}

const countingOf = (action: unknown): unknown => (isUnknown(action) ? action : isSet((action as any)?.count));

/** A rule in the provider's shape (inline `rules[i]`, or a standalone WebAclRule's own props at prefix ""). */
function fromStatement(label: string, owner: StackResource, prefix: string, rule: any): WafRule {
    const statement = rule?.statement;
    const managed = statement?.managedRuleGroupStatement;
    const actionKey = managed ? "overrideAction" : "action";
    return {
        label, owner, rateBased: isSet(statement?.rateBasedStatement),
        managedGroup: managed ? { vendor: managed.vendorName, name: managed.name, namePath: `${prefix}statement.managedRuleGroupStatement.name` } : undefined,
        counting: countingOf(rule?.[actionKey]), countingPath: `${prefix}${actionKey}`,
    };
}

/** The API's PascalCase rules (`ruleJson`); a JSON string holds no unknowns. */
function fromJsonRule(owner: StackResource, rule: any): WafRule {
    const managed = rule?.Statement?.ManagedRuleGroupStatement;
    return {
        label: `ruleJson ${show(rule?.Name)}`, owner, rateBased: isSet(rule?.Statement?.RateBasedStatement),
        managedGroup: managed ? { vendor: managed.VendorName, name: managed.Name, namePath: "ruleJson" } : undefined,
        counting: isSet((managed ? rule?.OverrideAction : rule?.Action)?.Count), countingPath: "ruleJson",
    };
}

/** Every rule of `acl`: inline `rules`, `ruleJson`, and standalone rule and rule-group resources pointing at it. */
export function aclRules(acl: StackResource, resources: StackResource[]): AclRules {
    const out: AclRules = { rules: [], unknown: [] };
    if (isUnknown(acl.props.rules)) out.unknown.push([acl, "rules"]);
    list(acl.props.rules).forEach((rule, i) => {
        if (isUnknown(rule)) out.unknown.push([acl, `rules[${i}]`]);
        else out.rules.push(fromStatement(`rules[${i}] ${show(rule.name)}`, acl, `rules[${i}].`, rule));
        if (!isUnknown(rule) && isUnknown(rule?.statement)) out.unknown.push([acl, `rules[${i}].statement`]);
    });
    if (isUnknown(acl.props.ruleJson)) out.unknown.push([acl, "ruleJson"]);
    else list(parseJson(acl.props.ruleJson)).forEach((rule) => out.rules.push(fromJsonRule(acl, rule)));

    for (const r of resources.filter((x) => x.type === STANDALONE_RULE || x.type === RULE_GROUP_ASSOCIATION)) {
        if (unresolved(r, "webAclArn")) {
            out.unknown.push([r, "webAclArn"]);
            continue;
        }
        if (!refersTo(r, "webAclArn", acl)) continue;
        const label = `${r.type.split(":").pop()} ${show(r.name)}`;
        if (r.type === STANDALONE_RULE) {
            out.rules.push(fromStatement(label, r, "", r.props));
            if (isUnknown(r.props.statement)) out.unknown.push([r, "statement"]);
        }
        else {
            const managed = r.props.managedRuleGroup;
            const override = r.props.overrideAction ?? "none"; // the provider's default
            out.rules.push({
                label, owner: r, rateBased: false,
                managedGroup: managed ? { vendor: managed.vendorName, name: managed.name, namePath: "managedRuleGroup.name" } : undefined,
                counting: isUnknown(override) ? override : override === "count", countingPath: "overrideAction",
            });
        }
    }
    return out;
}

const acls = (resources: StackResource[]) => resources.filter((r) => r.type === ACL);

/** waf-01: an ACL without rules only applies its default action. */
export const wafHasRules = stackPolicy({
    name: "waf-has-rules",
    description: "WAFv2 web ACLs must have at least one rule or rule group.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Add rules to the aws.wafv2.WebAcl (`rules`), or attach aws.wafv2.WebAclRule / WebAclRuleGroupAssociation resources to it through `webAclArn: acl.arn`.",
    securityHub: ["WAF.10"],
    catalogue: ["waf-01"],
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
    check: (resources, _ctx, report) => {
        const configs = resources.filter((r) => r.type === LOGGING);
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

export interface ManagedRulesConfig {
    requiredManagedRuleGroups: string[];
    requireRateBasedRule: boolean;
}

/** waf-04: the AWS baseline groups cover OWASP-style attacks; a rate rule blunts floods and credential stuffing. */
export const wafManagedRules = stackPolicy<ManagedRulesConfig>({
    name: "waf-managed-rules",
    description: "WAFv2 web ACLs must enforce the required AWS managed rule groups and a rate-based rule, none of them in count mode.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Add a rule per required group (`statement.managedRuleGroupStatement {vendorName: \"AWS\", name}` with `overrideAction: {none: {}}`) and a rule with `statement.rateBasedStatement` and `action: {block: {}}`.",
    catalogue: ["waf-04"],
    config: {
        requiredManagedRuleGroups: {
            type: "array", items: { type: "string", minLength: 1 },
            description: "AWS managed rule groups (vendor AWS) every web ACL must enforce.",
            default: ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"],
        },
        requireRateBasedRule: { type: "boolean", description: "Require at least one blocking rate-based rule.", default: true },
    },
    check: (resources, { config }, report) => {
        for (const acl of acls(resources)) checkManagedRules(acl, aclRules(acl, resources), config, report);
    },
});

function checkManagedRules(acl: StackResource, { rules, unknown }: AclRules, config: ManagedRulesConfig, report: StackReporter) {
    // Where a required group may be hiding until apply: an unknown list or standalone rule, or an unknown group name.
    const unnamed = rules.find((r) => r.managedGroup && (isUnknown(r.managedGroup.vendor) || isUnknown(r.managedGroup.name)));
    const hiding: [StackResource, string] | undefined = unknown[0] ?? (unnamed ? [unnamed.owner, unnamed.managedGroup!.namePath] : undefined);
    const missing: string[] = [];
    for (const group of config.requiredManagedRuleGroups) {
        const found = rules.filter((r) => r.managedGroup?.vendor === "AWS" && r.managedGroup.name === group);
        const undecided = found.find((r) => isUnknown(r.counting));
        if (found.length === 0) missing.push(group);
        else if (found.some((r) => r.counting === false)) continue;
        else if (undecided) report.unverifiable(undecided.owner, undecided.countingPath, `${group} blocks rather than only counts`);
        else report.violation(found[0].owner, `WAF web ACL must enforce ${group}: ${found[0].label} only counts matches (overrideAction count), expected overrideAction none.`);
    }
    if (missing.length > 0) {
        const requirement = `WAF web ACL ${show(acl.name)} uses ${missing.join(", ")}`;
        if (hiding) report.unverifiable(hiding[0], hiding[1], requirement);
        else report.violation(acl, `WAF web ACL must use the required AWS managed rule groups: ${missing.map((m) => JSON.stringify(m)).join(", ")} missing, expected rules for ${config.requiredManagedRuleGroups.join(", ")}.`);
    }
    if (!config.requireRateBasedRule) return;
    const rate = rules.filter((r) => r.rateBased);
    const undecided = rate.find((r) => isUnknown(r.counting));
    if (rate.some((r) => r.counting === false)) return;
    if (undecided) report.unverifiable(undecided.owner, undecided.countingPath, "the rate-based rule blocks rather than only counts");
    else if (rate.length > 0) {
        report.violation(rate[0].owner, `WAF web ACL must have a blocking rate-based rule: ${rate[0].label} only counts matches (action count), expected block, captcha or challenge.`);
    } else if (unknown.length > 0) report.unverifiable(unknown[0][0], unknown[0][1], `WAF web ACL ${show(acl.name)} has a rate-based rule`);
    else report.violation(acl, `WAF web ACL must have a rate-based rule: none of its ${rules.length} rules has a rateBasedStatement, expected at least one that blocks.`);
}

export const wafPolicies: Policies = [wafHasRules, wafLogging, wafMetrics, wafManagedRules];
