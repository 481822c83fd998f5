import { Check, Problem, SectionChecks, intIn, isBoolean, oneOf, problem, show } from "../checks";
import { PRICE_CLASSES, VIEWER_TLS_POLICIES, WAF_MANAGED_GROUPS } from "../edge-types";

/** AWS WAF's bounds on a rate-based rule's limit, per 5-minute window. */
export const RATE_LIMIT = { min: 10, max: 2_000_000_000 } as const;

/** CloudFront's limit on the Content-Security-Policy value of a response headers policy. */
export const CSP_MAX_LENGTH = 1783;

/** Addresses an IP set may hold per list (WAF's quota is 10,000 per set; more belongs in a managed list). */
export const IP_LIST_MAX = 1000;

/** One header value: printable ASCII without line breaks, directives `name value...` separated by `;`. */
const CSP_DIRECTIVE = /^[a-z][a-z0-9-]*( [\x21-\x2b\x2d-\x3a\x3c-\x7e]+)*$/;

function contentSecurityPolicyProblem(key: string, value: unknown): Problem {
    const expected = `one header value of at most ${CSP_MAX_LENGTH} printable ASCII characters: directives such as default-src 'self' separated by ";", no line breaks or commas`;
    if (typeof value !== "string" || value.length === 0 || value.length > CSP_MAX_LENGTH) return problem(key, value, expected);
    const directives = value.split(";").map((d) => d.trim()).filter((d) => d !== "");
    return directives.length > 0 && directives.every((d) => CSP_DIRECTIVE.test(d)) ? undefined : problem(key, value, expected);
}

const PUBLIC_PREFIX = /^[a-z0-9][a-z0-9._-]{0,62}\/$/;

/** Generations of the origin token (any whole number from 1: each raise draws a new token). */
export const ORIGIN_TOKEN_VERSION = { min: 1, max: 1_000_000 } as const;

/** `baseline:edge` */
export const EDGE_CHECKS: SectionChecks = {
    cloudFront: (k, v) => isBoolean(k, v),
    loadBalancerOnlyFromCloudFront: (k, v, _e, s) =>
        isBoolean(k, v) ??
        (v === false && s.cloudFront === false ? problem(k, v, "true while cloudFront is false: without CloudFront the load balancer is the public entry") : undefined),
    priceClass: (k, v) => oneOf(k, v, PRICE_CLASSES),
    minimumProtocolVersion: (k, v) => oneOf(k, v, VIEWER_TLS_POLICIES),
    contentSecurityPolicy: contentSecurityPolicyProblem,
    publicAssetsPrefix: (k, v) =>
        typeof v === "string" && PUBLIC_PREFIX.test(v) ? undefined : problem(k, v, 'one key prefix segment ending in "/", such as static/ (lowercase letters, digits, ".", "_" or "-")'),
    originTokenVersion: (k, v) => intIn(k, v, ORIGIN_TOKEN_VERSION.min, ORIGIN_TOKEN_VERSION.max),
};

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/([0-9]|[12]\d|3[0-2])$/;
const IPV6_CIDR = /^[0-9a-f:]*:[0-9a-f:]*\/([0-9]|[1-9]\d|1[01]\d|12[0-8])$/;
const COUNTRY = /^[A-Z]{2}$/;
const RULE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

function listOf(key: string, value: unknown, valid: (item: string) => boolean, expected: string, max: number): Problem {
    if (!Array.isArray(value) || value.length > max) return problem(key, value, `a list of at most ${max} ${expected}`);
    const bad = value.findIndex((item) => typeof item !== "string" || !valid(item));
    if (bad >= 0) return problem(`${key}[${bad}]`, value[bad], expected);
    const repeated = value.findIndex((item, i) => value.indexOf(item) !== i);
    return repeated >= 0 ? problem(`${key}[${repeated}]`, value[repeated], "a value not already in the list") : undefined;
}

const cidrList = (k: string, v: unknown) => listOf(k, v, (c) => IPV4_CIDR.test(c) || IPV6_CIDR.test(c.toLowerCase()), "CIDR ranges such as 203.0.113.0/24 or 2001:db8::/32", IP_LIST_MAX);

/** Allowed and blocked countries: each an ISO 3166 alpha-2 code, and never both lists at once. */
const countries = (other: string): Check => (k, v, _e, s) =>
    listOf(k, v, (c) => COUNTRY.test(c), "ISO 3166 alpha-2 country codes such as GB", 250) ??
    (Array.isArray(v) && v.length > 0 && Array.isArray(s[other]) && (s[other] as unknown[]).length > 0
        ? problem(k, v, `an empty list while ${other} is set (${show(s[other])}): allow some countries or block some, not both`)
        : undefined);

function countedRulesProblem(key: string, value: unknown): Problem {
    if (!Array.isArray(value)) return problem(key, value, "a list of { group, rule, reason }");
    for (const [i, entry] of value.entries()) {
        const at = `${key}[${i}]`;
        const e = entry as Record<string, unknown>;
        if (typeof entry !== "object" || entry === null || Object.keys(entry).sort().join() !== "group,reason,rule") return problem(at, entry, "{ group, rule, reason }, nothing else");
        const groupProblem = oneOf(`${at}.group`, e.group, WAF_MANAGED_GROUPS);
        if (groupProblem) return groupProblem;
        if (typeof e.rule !== "string" || !RULE_NAME.test(e.rule)) return problem(`${at}.rule`, e.rule, "the name of a rule in that group, such as SizeRestrictions_BODY");
        if (typeof e.reason !== "string" || e.reason.trim().length < 10) return problem(`${at}.reason`, e.reason, "why the rule may only count (at least 10 characters)");
        if (value.findIndex((o) => o?.group === e.group && o?.rule === e.rule) !== i) return problem(at, entry, "a rule not already listed");
    }
    return undefined;
}

/** `baseline:waf` */
export const WAF_CHECKS: SectionChecks = {
    rateLimit: (k, v) => intIn(k, v, RATE_LIMIT.min, RATE_LIMIT.max),
    rateLimitPathPrefix: (k, v) =>
        v === undefined || (typeof v === "string" && /^\/[\x21-\x7e]{0,199}$/.test(v)) ? undefined : problem(k, v, 'unset, or a path prefix starting with "/", such as /login (at most 200 characters, no spaces)'),
    ipAllowList: cidrList,
    ipBlockList: cidrList,
    allowedCountries: countries("blockedCountries"),
    blockedCountries: countries("allowedCountries"),
    countedRules: countedRulesProblem,
};
