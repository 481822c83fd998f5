import * as aws from "@pulumi/aws";
import { ofType } from "../lib/by-type";
import { StackResource, tokenOf } from "../lib/define";
import { isSet, isUnknown, list, parseJson, show } from "../lib/props";
import { refersTo, unresolved } from "../lib/joins";

/**
 * The rules of a WAFv2 web ACL, wherever they are declared (inline `rules`, the API's PascalCase
 * `ruleJson`, standalone WebAclRule and WebAclRuleGroupAssociation resources), in one shape that
 * the WAF policies read. Unknown values (preview) are kept as the SDK's sentinels.
 */

export const ACL = tokenOf(aws.wafv2.WebAcl);

/** The AWS managed groups a web ACL must enforce when the policy config names none (OWASP-style attacks). */
export const DEFAULT_REQUIRED_GROUPS = ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"];
const STANDALONE_RULE = tokenOf(aws.wafv2.WebAclRule);
const RULE_GROUP_ASSOCIATION = tokenOf(aws.wafv2.WebAclRuleGroupAssociation);

/** A managed group's `ruleActionOverrides` entry: the rule's name and what it does instead (`count`, `allow`, other, or unknown). */
export interface RuleOverride {
    name: unknown;
    action: unknown;
}

/** A rate-based statement's limit and evaluation window (seconds; the AWS default 300 when unset). */
export interface RateLimit {
    limit: unknown;
    window: unknown;
    /** Where each is in the owner's props (the statement, when it is unknown as a whole; `ruleJson` there). */
    limitPath: string;
    windowPath: string;
}

/** One rule of a web ACL, wherever it is declared (inline, `ruleJson`, or a standalone resource). */
export interface WafRule {
    /** How messages name it: `rules[1] "rate"`, `ruleJson "rate"`, `WebAclRule "rate"`. */
    label: string;
    /** The resource that declares it. */
    owner: StackResource;
    /**
     * A managed rule group statement's vendor and name, and where the name is in the owner's props; its
     * scope-down statement (undefined when none, the unknown value until apply) and where that is.
     */
    managedGroup?: { vendor: unknown; name: unknown; namePath: string; scopeDown?: unknown; scopeDownPath?: string };
    /** The rule's own name (for config that names rules) and priority, as given; unknown until apply where they are. */
    name: unknown;
    priority: unknown;
    priorityPath: string;
    /** True when the rule's action is `allow` (which ends evaluation: no later rule sees the request). */
    allowing: unknown;
    /** A managed group's per-rule overrides (or the unknown list), and where they are in the owner's props. */
    overrides?: { entries: RuleOverride[] | unknown; path: string };
    rateBased: boolean;
    rateLimit?: RateLimit;
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

/** What an override's `actionToUse` does: `count`, `allow`, `other` (block, captcha, challenge), or the unknown value. */
function overrideAction(actionToUse: unknown, pascal: boolean): unknown {
    if (isUnknown(actionToUse)) return actionToUse;
    const a = (actionToUse ?? {}) as Record<string, unknown>;
    const [count, allow] = pascal ? [a.Count, a.Allow] : [a.count, a.allow];
    if (isUnknown(count)) return count;
    if (isSet(count)) return "count";
    if (isUnknown(allow)) return allow;
    return isSet(allow) ? "allow" : "other";
}

/** A `ruleActionOverrides` list in the provider's shape: its entries, or the unknown list. */
function overridesOf(value: unknown, path: string): WafRule["overrides"] {
    if (isUnknown(value)) return { entries: value, path };
    const entries = list(value).map((o): RuleOverride => (isUnknown(o) ? { name: o, action: o } : { name: o?.name, action: overrideAction(o?.actionToUse, false) }));
    return { entries, path };
}

/** A rate-based statement in the provider's shape; AWS counts over 300 s when `evaluationWindowSec` is unset. */
function rateLimitOf(rate: any, path: string): RateLimit {
    if (isUnknown(rate)) return { limit: rate, window: rate, limitPath: path, windowPath: path };
    return { limit: rate.limit, window: rate.evaluationWindowSec ?? 300, limitPath: `${path}.limit`, windowPath: `${path}.evaluationWindowSec` };
}

/** A rule in the provider's shape (inline `rules[i]`, or a standalone WebAclRule's own props at prefix ""). */
function fromStatement(label: string, owner: StackResource, prefix: string, rule: any): WafRule {
    const statement = rule?.statement;
    const managed = statement?.managedRuleGroupStatement;
    const rate = statement?.rateBasedStatement;
    const actionKey = managed ? "overrideAction" : "action";
    return {
        label, owner, rateBased: isSet(rate),
        rateLimit: isSet(rate) ? rateLimitOf(rate, `${prefix}statement.rateBasedStatement`) : undefined,
        managedGroup: managed ? {
            vendor: managed.vendorName, name: managed.name, namePath: `${prefix}statement.managedRuleGroupStatement.name`,
            scopeDown: isUnknown(managed) ? managed : managed.scopeDownStatement, scopeDownPath: `${prefix}statement.managedRuleGroupStatement.scopeDownStatement`,
        } : undefined,
        name: rule?.name, priority: rule?.priority, priorityPath: `${prefix}priority`,
        allowing: managed ? false : isUnknown(rule?.action) ? rule.action : isSet(rule?.action?.allow),
        overrides: managed && !isUnknown(managed)
            ? overridesOf(managed.ruleActionOverrides, `${prefix}statement.managedRuleGroupStatement.ruleActionOverrides`)
            : undefined,
        counting: countingOf(rule?.[actionKey]), countingPath: `${prefix}${actionKey}`,
    };
}

/** The API's PascalCase rules (`ruleJson`); a JSON string holds no unknowns. */
function fromJsonRule(owner: StackResource, rule: any): WafRule {
    const managed = rule?.Statement?.ManagedRuleGroupStatement;
    const rate = rule?.Statement?.RateBasedStatement;
    return {
        label: `ruleJson ${show(rule?.Name)}`, owner, rateBased: isSet(rate),
        rateLimit: isSet(rate) ? { limit: rate.Limit, window: rate.EvaluationWindowSec ?? 300, limitPath: "ruleJson", windowPath: "ruleJson" } : undefined,
        managedGroup: managed ? { vendor: managed.VendorName, name: managed.Name, namePath: "ruleJson", scopeDown: managed.ScopeDownStatement, scopeDownPath: "ruleJson" } : undefined,
        name: rule?.Name, priority: rule?.Priority, priorityPath: "ruleJson",
        allowing: managed ? false : isSet(rule?.Action?.Allow),
        overrides: managed
            ? { entries: list(managed.RuleActionOverrides).map((o) => ({ name: o?.Name, action: overrideAction(o?.ActionToUse, true) })), path: "ruleJson" }
            : undefined,
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
                name: r.props.name, priority: r.props.priority, priorityPath: "priority", allowing: false,
                overrides: managed && !isUnknown(managed) ? overridesOf(managed.ruleActionOverrides, "managedRuleGroup.ruleActionOverrides") : undefined,
                counting: isUnknown(override) ? override : override === "count", countingPath: "overrideAction",
            });
        }
    }
    return out;
}

export const acls = (resources: StackResource[]) => ofType(resources, ACL);
