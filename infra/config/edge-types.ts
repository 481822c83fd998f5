/**
 * `baseline:edge` and `baseline:waf`: what stands in front of the load balancer. Defaults per
 * environment come from stacks/profiles.json; the limits are in config/sections/edge.ts.
 */

export type PriceClass = "PriceClass_100" | "PriceClass_200" | "PriceClass_All";
export const PRICE_CLASSES: readonly PriceClass[] = ["PriceClass_100", "PriceClass_200", "PriceClass_All"];

/** CloudFront security policies for viewers: TLS 1.2 or newer, none with the CBC ciphers of `TLSv1.2_2019` and older. */
export const VIEWER_TLS_POLICIES = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"] as const;
export type ViewerTlsPolicy = (typeof VIEWER_TLS_POLICIES)[number];

/** `baseline:edge`: the CloudFront distribution in front of the load balancer and the assets bucket. */
export interface EdgeConfig {
    /**
     * A CloudFront distribution is the public entry, and the load balancer only answers CloudFront.
     * `false`: the load balancer is the public entry, with the regional WAF.
     */
    cloudFront: boolean;
    /**
     * With CloudFront: the load balancer admits only CloudFront (its prefix list, HTTPS) and only requests
     * carrying the origin header. `false` only while moving a live stack behind CloudFront: the load balancer
     * stays open as before until clients resolve the domain to CloudFront, then a second `pulumi up` with
     * `true` closes it (see the README). The pack reports a fronted load balancer left open.
     */
    loadBalancerOnlyFromCloudFront: boolean;
    /** Edge locations served from: `PriceClass_100` (North America, Europe, Israel), `PriceClass_200`, `PriceClass_All`. */
    priceClass: PriceClass;
    /** Oldest TLS viewers may use: `TLSv1.2_2021` (the most compatible secure policy), `TLSv1.2_2025` or `TLSv1.3_2025`. */
    minimumProtocolVersion: ViewerTlsPolicy;
    /** The `Content-Security-Policy` header every response carries: one header value, directives separated by `;`. */
    contentSecurityPolicy: string;
    /**
     * Key prefix of the assets bucket served, cached, at `/<prefix>*` (e.g. `static/` at `/static/*`); every
     * object under it is public. One segment of lowercase letters, digits, `.`, `_` or `-`, ending in `/`.
     */
    publicAssetsPrefix: string;
    /**
     * Generation of the token CloudFront sends the load balancer in `X-Origin-Verify` (from 1). Raising it by
     * one draws a new token: CloudFront sends the new one, and the load balancer accepts the new and the
     * previous one, so no request is refused while CloudFront deploys. Raising it again retires the old one.
     */
    originTokenVersion: number;
}

/** A rule of an AWS managed group set to count instead of block, with the reason it must not block. */
export interface CountedRule {
    /** The managed group, e.g. `AWSManagedRulesCommonRuleSet`. */
    group: string;
    /** The rule's name in that group, e.g. `SizeRestrictions_BODY`. */
    rule: string;
    /** Why it only counts (kept beside the override in the stack file). */
    reason: string;
}

/** `baseline:waf`: the web ACLs (CloudFront's and the load balancer's). */
export interface WafConfig {
    /** Requests one client address may make in 5 minutes before it is blocked (AWS's minimum is 10). */
    rateLimit: number;
    /** Count only requests whose path starts with this (e.g. `/login`); unset: every request. */
    rateLimitPathPrefix?: string;
    /** When not empty, only these CIDR ranges (IPv4 or IPv6) are admitted; everything else is blocked. */
    ipAllowList: string[];
    /** CIDR ranges (IPv4 or IPv6) always blocked. */
    ipBlockList: string[];
    /** When not empty, only requests from these countries (ISO 3166 alpha-2, e.g. `GB`) are admitted. */
    allowedCountries: string[];
    /** Requests from these countries (ISO 3166 alpha-2) are blocked. Not with `allowedCountries`. */
    blockedCountries: string[];
    /** Rules of the managed groups that only count, each with the group, the rule and a reason. Default none. */
    countedRules: CountedRule[];
}

/** The AWS managed rule groups every web ACL enforces, in priority order. */
export const WAF_MANAGED_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;
export type WafManagedGroup = (typeof WAF_MANAGED_GROUPS)[number];
