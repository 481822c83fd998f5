import { StackReporter, StackResource, listWithReasons, stackPolicy } from "../lib/define";
import { isUnknown, show } from "../lib/props";
import { AclRules, DEFAULT_REQUIRED_GROUPS, RuleOverride, WafRule, aclRules, acls } from "./waf-rules";

/** A rule of a managed group that may only count, and why (policy config of waf-managed-rules). */
export interface AllowedCountedRule {
    group: string;
    rule: string;
    reason: string;
}

/** A required group that may run only on the requests its scope-down statement selects, and why. */
export interface AllowedScopeDown {
    group: string;
    reason: string;
}

export interface ManagedRulesConfig {
    requiredManagedRuleGroups: string[];
    requireRateBasedRule: boolean;
    allowedCountedRules: AllowedCountedRule[];
    allowedScopeDowns: AllowedScopeDown[];
}

/** waf-04: the AWS baseline groups cover OWASP-style attacks; a rate rule blunts floods and credential stuffing. */
export const wafManagedRules = stackPolicy<ManagedRulesConfig>({
    name: "waf-managed-rules",
    description: "WAFv2 web ACLs must enforce the required AWS managed rule groups and a rate-based rule, none of them in count mode and no rule of the groups overridden to count or allow unless the policy config allows it.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Add a rule per required group (`statement.managedRuleGroupStatement {vendorName: \"AWS\", name}` with `overrideAction: {none: {}}`) and a rule with `statement.rateBasedStatement` and `action: {block: {}}`. Drop `ruleActionOverrides` entries whose `actionToUse` is `count` or `allow`, or, for a rule that must only count (a false positive you are investigating), list `{ group, rule, reason }` in this policy's `allowedCountedRules`.",
    catalogue: ["waf-04"],
    config: {
        requiredManagedRuleGroups: {
            type: "array", items: { type: "string", minLength: 1 },
            description: "AWS managed rule groups (vendor AWS) every web ACL must enforce.",
            default: DEFAULT_REQUIRED_GROUPS,
        },
        requireRateBasedRule: { type: "boolean", description: "Require at least one blocking rate-based rule.", default: true },
        allowedCountedRules: listWithReasons("Rules of the required groups that ruleActionOverrides may set to count (never to allow): each the group, the rule's name in it, and why.", ["group", "rule"]),
        allowedScopeDowns: listWithReasons("Required groups that may carry a scopeDownStatement (inspecting only the requests it selects), each with why.", ["group"]),
    },
    check: (resources, { config }, report) => {
        for (const acl of acls(resources)) checkManagedRules(acl, aclRules(acl, resources), config, report);
    },
});

type Verdict = { ok: true } | { unknown: [StackResource, string] } | { problem: string };

/** Whether one rule of a required group enforces it: not in count mode, and no rule of the group counted (unless allowed) or allowed. */
function groupVerdict(group: string, r: WafRule, config: ManagedRulesConfig): Verdict {
    const allowed = config.allowedCountedRules;
    if (isUnknown(r.counting)) return { unknown: [r.owner, r.countingPath] };
    if (r.counting === true) return { problem: `${r.label} only counts matches (overrideAction count), expected overrideAction none.` };
    // A scope-down statement that selects little (or nothing) turns the group off for everything else.
    const scopeDown = r.managedGroup?.scopeDown;
    if (isUnknown(scopeDown)) return { unknown: [r.owner, r.managedGroup!.scopeDownPath!] };
    if (scopeDown !== undefined && scopeDown !== null && !config.allowedScopeDowns.some((a) => a.group === group)) {
        return { problem: `${r.label} inspects only the requests its scopeDownStatement selects, expected no scope-down statement, or the group listed with a reason in this policy's allowedScopeDowns.` };
    }
    if (!r.overrides) return { ok: true };
    const { entries, path } = r.overrides;
    if (isUnknown(entries)) return { unknown: [r.owner, path] };
    const counted: string[] = [];
    const allowing: string[] = [];
    for (const [i, o] of (entries as RuleOverride[]).entries()) {
        const at = path === "ruleJson" ? path : `${path}[${i}]`;
        if (isUnknown(o.action)) return { unknown: [r.owner, at === path ? at : `${at}.actionToUse`] };
        if (o.action !== "count" && o.action !== "allow") continue;
        if (isUnknown(o.name)) return { unknown: [r.owner, at === path ? at : `${at}.name`] };
        if (o.action === "allow") allowing.push(JSON.stringify(o.name));
        else if (!allowed.some((a) => a.group === group && a.rule === o.name)) counted.push(JSON.stringify(o.name));
    }
    if (counted.length === 0 && allowing.length === 0) return { ok: true };
    const found = [counted.length ? `${counted.join(", ")} to count` : "", allowing.length ? `${allowing.join(", ")} to allow` : ""].filter((s) => s).join(" and ");
    return { problem: `${r.label} sets ${found} in ruleActionOverrides, expected the group's own actions, or each counted rule listed with a reason in this policy's allowedCountedRules.` };
}

function checkManagedRules(acl: StackResource, { rules, unknown }: AclRules, config: ManagedRulesConfig, report: StackReporter) {
    // Where a required group may be hiding until apply: an unknown list or standalone rule, or an unknown group name.
    const unnamed = rules.find((r) => r.managedGroup && (isUnknown(r.managedGroup.vendor) || isUnknown(r.managedGroup.name)));
    const hiding: [StackResource, string] | undefined = unknown[0] ?? (unnamed ? [unnamed.owner, unnamed.managedGroup!.namePath] : undefined);
    const missing: string[] = [];
    for (const group of config.requiredManagedRuleGroups) {
        const found = rules.filter((r) => r.managedGroup?.vendor === "AWS" && r.managedGroup.name === group);
        if (found.length === 0) {
            missing.push(group);
            continue;
        }
        const verdicts = found.map((r) => [r, groupVerdict(group, r, config)] as const);
        if (verdicts.some(([, v]) => "ok" in v)) continue;
        const undecided = verdicts.find(([, v]) => "unknown" in v);
        if (undecided) {
            const [owner, path] = (undecided[1] as { unknown: [StackResource, string] }).unknown;
            report.unverifiable(owner, path, `${group} blocks rather than only counts`);
            continue;
        }
        const [rule, verdict] = verdicts[0];
        report.violation(rule.owner, `WAF web ACL must enforce ${group}: ${(verdict as { problem: string }).problem}`);
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

/** A rate-based rule's limit per 5 minutes, `[owner, path]` of the value unknown until apply, or a malformed value. */
function perFiveMinutes(r: WafRule): number | [StackResource, string] | "malformed" {
    const { limit, window, limitPath, windowPath } = r.rateLimit!;
    if (isUnknown(limit)) return [r.owner, limitPath];
    if (isUnknown(window)) return [r.owner, windowPath];
    if (typeof limit !== "number" || typeof window !== "number" || window <= 0) return "malformed";
    return (limit * 300) / window;
}

const describeLimit = (r: WafRule): string => {
    const { limit, window } = r.rateLimit!;
    const per5 = perFiveMinutes(r);
    const normalised = typeof per5 === "number" && window !== 300 ? ` (${Math.round(per5 * 100) / 100} per 5 minutes)` : "";
    return `${r.label} has limit ${show(limit)} per ${show(window)} s${normalised}`;
};

/**
 * waf-05: a rate rule whose limit no client reaches is no rate rule. AWS counts per evaluation window
 * (60, 120, 300 or 600 s); the policy compares the average rate, `limit × 300 / evaluationWindowSec`,
 * with the maximum per 5 minutes, so 5,000 per minute (25,000 per 5 minutes) is as weak as it reads.
 */
export const wafRateLimit = stackPolicy<{ maximumRateLimit: number }>({
    name: "waf-rate-limit",
    description: "A WAFv2 web ACL's blocking rate-based rule must trigger at or below the configured number of requests per 5 minutes.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Lower `statement.rateBasedStatement.limit` (requests per `evaluationWindowSec`, 300 s by default) so that limit × 300 / evaluationWindowSec is at most the policy's `maximumRateLimit` (10,000 by default; the program's default is 2,000 per 5 minutes).",
    catalogue: ["waf-05"],
    config: {
        maximumRateLimit: {
            type: "integer", minimum: 10,
            description: "Highest accepted rate limit, in requests per 5 minutes per aggregation key (a limit over another window is compared as limit × 300 / evaluationWindowSec). The default, 10,000, is 33 requests a second from one client for five minutes: more than any person or terminal sends.",
            default: 10000,
        },
    },
    check: (resources, { config }, report) => {
        for (const acl of acls(resources)) {
            const { rules, unknown } = aclRules(acl, resources);
            // Only blocking rules count here; a missing or counting rate rule is waf-managed-rules' finding.
            const blocking = rules.filter((r) => r.rateBased && r.counting === false);
            if (blocking.length === 0) continue;
            const limits = blocking.map((r) => [r, perFiveMinutes(r)] as const);
            if (limits.some(([, l]) => typeof l === "number" && l <= config.maximumRateLimit)) continue;
            const requirement = `WAF web ACL ${show(acl.name)} has a blocking rate-based rule of at most ${config.maximumRateLimit} requests per 5 minutes`;
            const undecided = limits.find(([, l]) => Array.isArray(l));
            if (undecided) report.unverifiable((undecided[1] as [StackResource, string])[0], (undecided[1] as [StackResource, string])[1], requirement);
            else if (unknown.length > 0) report.unverifiable(unknown[0][0], unknown[0][1], requirement);
            else {
                report.violation(blocking[0].owner, `WAF web ACL must rate-limit at or below ${config.maximumRateLimit} requests per 5 minutes: ${blocking.map(describeLimit).join("; ")}, expected a blocking rate-based rule whose limit × 300 / evaluationWindowSec is at most ${config.maximumRateLimit}.`);
            }
        }
    },
});
