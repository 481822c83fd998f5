import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { WAF_MANAGED_GROUPS, WafConfig, WafManagedGroup } from "../config/edge-types";

/**
 * The rules of a web ACL as pure functions of `baseline:waf`, so tests read them without registering anything.
 *
 * Priorities are fixed per rule (an optional rule switched on or off never renumbers the others), and run
 * cheap and decisive first: the address lists and countries (1 WCU per IP set or geo statement, decided
 * from the address alone), then Amazon's IP reputation list (25), then the rate limit, so a flood is
 * stopped before the body-inspecting groups; requests those groups block later still count towards it.
 * Then the core rule set (700), known bad inputs (200) and SQL injection (200).
 * Capacity: 1,125 for the groups + 34 for the rate rule with its scoped-down path (2 + byte match 2 +
 * three transformations at 10) + at most 5 for the lists and countries = 1,164 WCU at most, within the
 * 1,500 a web ACL gets at the base price (see `capacityOf`).
 */

export type Rule = aws.types.input.wafv2.WebAclRule;
type Statement = aws.types.input.wafv2.WebAclRuleStatement;
export type ClientAddress = "source" | "forwarded";
export type IpFamily = "IPV4" | "IPV6";
export type IpListKind = "block" | "allow";

/** Rule names and priorities: stable, never derived from config. */
export const RULES = {
    ipBlockList: { name: "ip-block-list", priority: 0 },
    ipAllowList: { name: "ip-allow-list", priority: 1 },
    geoAllowList: { name: "geo-allow-list", priority: 2 },
    geoBlockList: { name: "geo-block-list", priority: 3 },
    rateLimit: { name: "rate-limit", priority: 20 },
} as const;

/** Each managed group's rule name (AWS asks that our rule names do not start with "AWS"), priority and capacity. */
export const MANAGED_RULES: Readonly<Record<WafManagedGroup, { name: string; priority: number; wcu: number }>> = {
    AWSManagedRulesAmazonIpReputationList: { name: "managed-ip-reputation", priority: 10, wcu: 25 },
    AWSManagedRulesCommonRuleSet: { name: "managed-common-rule-set", priority: 30, wcu: 700 },
    AWSManagedRulesKnownBadInputsRuleSet: { name: "managed-known-bad-inputs", priority: 40, wcu: 200 },
    AWSManagedRulesSQLiRuleSet: { name: "managed-sqli", priority: 50, wcu: 200 },
};

/** AWS's default web ACL capacity (more costs extra). */
export const WCU_BUDGET = 1500;

/** The rate limit's window: `rateLimit` is requests per 5 minutes. */
export const RATE_LIMIT_WINDOW_SECONDS = 300;

/**
 * Behind CloudFront the connection comes from CloudFront; the viewer's address is the first in
 * X-Forwarded-For (WAF reads only the first). MATCH: a request whose first entry is no valid address
 * gets the rule's action, block, instead of escaping the limit (CloudFront always sends the header; WAF
 * skips the rule when it is absent). A client can still put any valid address first, so this limit is
 * defence in depth: the binding one is the entry ACL's, on the connection's address.
 */
export const FORWARDED_IP = { headerName: "X-Forwarded-For", fallbackBehavior: "MATCH" } as const;

/**
 * For the rate limit's path scope: decode `%2F`-style escapes, collapse `//`, `/./` and `/../`, then
 * lowercase, so `/%4Cogin`, `//login` or `/LOGIN` still count as `/login`. Counting too much is the safe
 * side for a rate limit; the prefix is compared lowercased (see `pathPrefixSearchString`).
 */
export const PATH_TRANSFORMATIONS = [
    { priority: 0, type: "URL_DECODE" },
    { priority: 1, type: "NORMALIZE_PATH" },
    { priority: 2, type: "LOWERCASE" },
] as const;

export const pathPrefixSearchString = (prefix: string): string => prefix.toLowerCase();

/** CloudWatch metrics and sampled requests, always on (the metric is the rule's own, dimensioned by ACL). */
export const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

export const ipFamily = (cidr: string): IpFamily => (cidr.includes(":") ? "IPV6" : "IPV4");

/** One IP set: a set holds a single address family, so each list has up to one set per family. */
export interface IpSetSpec {
    /** Stable key, also the logical name's and the AWS name's suffix: `ip-block-v4`. */
    key: string;
    kind: IpListKind;
    family: IpFamily;
    addresses: string[];
}

/** The IP sets the rules reference; none when the ACL only sees CloudFront's addresses ("forwarded"). */
export function ipSetSpecs(waf: WafConfig, clientAddress: ClientAddress): IpSetSpec[] {
    if (clientAddress === "forwarded") return [];
    const lists: [IpListKind, string[]][] = [["block", waf.ipBlockList], ["allow", waf.ipAllowList]];
    return lists.flatMap(([kind, list]) =>
        (["IPV4", "IPV6"] as const)
            .map((family) => ({ key: `ip-${kind}-${family === "IPV4" ? "v4" : "v6"}`, kind, family, addresses: list.filter((c) => ipFamily(c) === family) }))
            .filter((s) => s.addresses.length > 0),
    );
}

/** ARNs of the IP sets by `IpSetSpec.key`. */
export type IpSetArns = Readonly<Record<string, pulumi.Input<string>>>;

/** One statement, or an OR of several (AWS wants at least two statements in an OR). */
const anyOf = (statements: Statement[]): Statement => (statements.length === 1 ? statements[0] : { orStatement: { statements } });

const block = { block: {} };

function listRule(rule: { name: string; priority: number }, statement: Statement): Rule {
    return { name: rule.name, priority: rule.priority, action: block, statement, visibilityConfig: visibility(rule.name) };
}

/** Managed group in block mode; only the rules of `countedRules` in that group are set to count. */
export function managedGroupRule(group: WafManagedGroup, waf: WafConfig): Rule {
    const { name, priority } = MANAGED_RULES[group];
    const counted = waf.countedRules.filter((c) => c.group === group).map((c) => c.rule);
    return {
        name,
        priority,
        overrideAction: { none: {} },
        statement: {
            managedRuleGroupStatement: {
                vendorName: "AWS",
                name: group,
                ...(counted.length > 0 ? { ruleActionOverrides: counted.map((rule) => ({ name: rule, actionToUse: { count: {} } })) } : {}),
            },
        },
        visibilityConfig: visibility(name),
    };
}

/** Blocks a client address past `rateLimit` requests in 5 minutes, counting only under the path prefix when set. */
export function rateLimitRule(waf: WafConfig, clientAddress: ClientAddress): Rule {
    const prefix = waf.rateLimitPathPrefix;
    return listRule(RULES.rateLimit, {
        rateBasedStatement: {
            limit: waf.rateLimit,
            evaluationWindowSec: RATE_LIMIT_WINDOW_SECONDS,
            aggregateKeyType: clientAddress === "forwarded" ? "FORWARDED_IP" : "IP",
            ...(clientAddress === "forwarded" ? { forwardedIpConfig: { ...FORWARDED_IP } } : {}),
            ...(prefix !== undefined
                ? {
                    scopeDownStatement: {
                        byteMatchStatement: {
                            fieldToMatch: { uriPath: {} },
                            positionalConstraint: "STARTS_WITH",
                            searchString: pathPrefixSearchString(prefix),
                            textTransformations: PATH_TRANSFORMATIONS.map((t) => ({ ...t })),
                        },
                    },
                }
                : {}),
        },
    });
}

/**
 * Every rule of the ACL, by priority. "source": the address lists and countries apply to the connection's
 * address. "forwarded": only the rate limit (on X-Forwarded-For) and the managed groups; lists and
 * countries belong to the entry ACL, which sees the viewer's own address.
 */
export function firewallRules(waf: WafConfig, clientAddress: ClientAddress, ipSetArns: IpSetArns): Rule[] {
    const rules: Rule[] = [];
    if (clientAddress === "source") {
        const refs = (kind: IpListKind): Statement[] =>
            ipSetSpecs(waf, clientAddress).filter((s) => s.kind === kind).map((s) => {
                const arn = ipSetArns[s.key];
                if (arn === undefined) throw new Error(`firewallRules: no ARN for IP set ${s.key}`);
                return { ipSetReferenceStatement: { arn } };
            });
        const blocked = refs("block");
        const allowed = refs("allow");
        if (blocked.length > 0) rules.push(listRule(RULES.ipBlockList, anyOf(blocked)));
        // Blocks what is not allowed; allowed addresses still meet the rate limit and the managed groups.
        if (allowed.length > 0) rules.push(listRule(RULES.ipAllowList, { notStatement: { statement: anyOf(allowed) } }));
        if (waf.allowedCountries.length > 0) {
            rules.push(listRule(RULES.geoAllowList, { notStatement: { statement: { geoMatchStatement: { countryCodes: [...waf.allowedCountries] } } } }));
        }
        if (waf.blockedCountries.length > 0) rules.push(listRule(RULES.geoBlockList, { geoMatchStatement: { countryCodes: [...waf.blockedCountries] } }));
    }
    rules.push(rateLimitRule(waf, clientAddress), ...WAF_MANAGED_GROUPS.map((g) => managedGroupRule(g, waf)));
    return rules.sort((a, b) => (a.priority as number) - (b.priority as number));
}

/** The ACL's capacity in WCU, from AWS's published costs (see the header comment). */
export function capacityOf(waf: WafConfig, clientAddress: ClientAddress): number {
    const sets = ipSetSpecs(waf, clientAddress).length;
    const countries = clientAddress === "source" ? Number(waf.allowedCountries.length > 0) + Number(waf.blockedCountries.length > 0) : 0;
    const rate = 2 + (waf.rateLimitPathPrefix !== undefined ? 2 + 10 * PATH_TRANSFORMATIONS.length : 0);
    return Object.values(MANAGED_RULES).reduce((sum, g) => sum + g.wcu, 0) + rate + sets + countries;
}
