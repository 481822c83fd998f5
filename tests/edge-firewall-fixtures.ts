import * as aws from "@pulumi/aws";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { WafConfig } from "../infra/config/edge-types";
import { WebFirewall, WebFirewallArgs } from "../infra/edge/firewall";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mock-outputs";

/** What the profiles give: the rate limit and nothing else. */
export const PLAIN_WAF: WafConfig = { rateLimit: 2000, ipAllowList: [], ipBlockList: [], allowedCountries: [], blockedCountries: [], countedRules: [] };

/** Every option on, both address families in both lists. */
export const FULL_WAF: WafConfig = {
    rateLimit: 500,
    rateLimitPathPrefix: "/Login",
    ipAllowList: ["203.0.113.0/24", "2001:db8:a::/48", "198.51.100.7/32"],
    ipBlockList: ["192.0.2.0/24", "2001:db8:bad::/48"],
    allowedCountries: ["GB", "IE"],
    blockedCountries: [],
    countedRules: [
        { group: "AWSManagedRulesCommonRuleSet", rule: "SizeRestrictions_BODY", reason: "uploads of receipts exceed 8 KB" },
        { group: "AWSManagedRulesCommonRuleSet", rule: "CrossSiteScripting_BODY", reason: "rich-text notes are sanitised server-side" },
        { group: "AWSManagedRulesSQLiRuleSet", rule: "SQLi_QUERYARGUMENTS", reason: "search syntax trips it; parameterised queries only" },
    ],
};

export const LOGS_KEY_ARN = `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/logs-key-id`;
export const EDGE_LOGS_KEY_ARN = `arn:aws:kms:us-east-1:${MOCK_ACCOUNT_ID}:key/edge-logs-key-id`;
export const ALB_ARN = `arn:aws:elasticloadbalancing:eu-west-1:${MOCK_ACCOUNT_ID}:loadbalancer/app/pos-prod-alb/0123456789abcdef`;

/** The load balancer's ACL as the program would build it; each test changes what it needs. */
export const REGIONAL_ARGS: WebFirewallArgs = {
    scope: "REGIONAL",
    waf: FULL_WAF,
    namePrefix: "pos-prod",
    clientAddress: "source",
    logs: { kmsKeyArn: LOGS_KEY_ARN, retentionDays: 365, retainOnDelete: true },
    associateWith: ALB_ARN,
};

/** The distribution's ACL, with the us-east-1 provider it must be given. */
export const CLOUDFRONT_ARGS: WebFirewallArgs = {
    scope: "CLOUDFRONT",
    waf: FULL_WAF,
    namePrefix: "pos-prod",
    clientAddress: "source",
    logs: { kmsKeyArn: EDGE_LOGS_KEY_ARN, retentionDays: 365 },
};

export const usEast1 = () => new aws.Provider("us-east-1", { region: "us-east-1" });

export function cloudFrontFirewall(args: Partial<WebFirewallArgs> = {}): WebFirewall {
    return new WebFirewall("edge-waf", { ...CLOUDFRONT_ARGS, ...args }, { providers: [usEast1()] });
}

export interface ProviderInvoke {
    token: string;
    provider: string | undefined;
}

/**
 * Records each data-source call with the provider it went through, and answers getRegion with
 * us-east-1 for calls through the us-east-1 provider (the shared mocks answer the stack's region).
 */
export function recordProviderInvokes(into: ProviderInvoke[]): void {
    const mocks = (settings.getMonitor() as any).mocks;
    const call = mocks.call.bind(mocks);
    mocks.call = (args: { token: string; provider?: string }) => {
        into.push({ token: args.token, provider: args.provider });
        const result = call(args);
        const viaUsEast1 = args.provider?.includes("::us-east-1::") === true;
        return args.token === "aws:index/getRegion:getRegion" && viaUsEast1 ? { ...result, name: "us-east-1", region: "us-east-1", id: "us-east-1" } : result;
    };
}

/** Records the `arn` the mocks give each resource, by logical name (whatever format the mocks use). */
export function recordArns(into: Map<string, string>): void {
    const mocks = (settings.getMonitor() as any).mocks;
    const create = mocks.newResource.bind(mocks);
    mocks.newResource = (args: { name: string }) => {
        const result = create(args);
        const keep = (r: { state?: Record<string, any> }) => {
            if (typeof r?.state?.arn === "string") into.set(args.name, r.state.arn);
            return r;
        };
        return result instanceof Promise ? result.then(keep) : keep(result);
    };
}

/** What the rules must be, written out (not computed from the code under test). */
export const on = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
export const block = { block: {} };
export type ArnOf = (ipSetKey: string) => string;
export const PURE_ARN: ArnOf = (key) => `arn:${key}`;
export const ARNS = Object.fromEntries(["ip-block-v4", "ip-block-v6", "ip-allow-v4", "ip-allow-v6"].map((k) => [k, PURE_ARN(k)]));

export const managed = (name: string, priority: number, group: string, counted: string[] = []) => ({
    name, priority, overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group, ...(counted.length ? { ruleActionOverrides: counted.map((r) => ({ name: r, actionToUse: { count: {} } })) } : {}) } },
    visibilityConfig: on(name),
});
/** The four groups in block mode, with FULL_WAF's counted rules (only those). */
export const MANAGED_FULL = [
    managed("managed-ip-reputation", 10, "AWSManagedRulesAmazonIpReputationList"),
    managed("managed-common-rule-set", 30, "AWSManagedRulesCommonRuleSet", ["SizeRestrictions_BODY", "CrossSiteScripting_BODY"]),
    managed("managed-known-bad-inputs", 40, "AWSManagedRulesKnownBadInputsRuleSet"),
    managed("managed-sqli", 50, "AWSManagedRulesSQLiRuleSet", ["SQLi_QUERYARGUMENTS"]),
];
export const LOGIN_SCOPE = {
    byteMatchStatement: {
        fieldToMatch: { uriPath: {} }, positionalConstraint: "STARTS_WITH", searchString: "/login",
        textTransformations: [{ priority: 0, type: "URL_DECODE" }, { priority: 1, type: "NORMALIZE_PATH" }, { priority: 2, type: "LOWERCASE" }],
    },
};
export const rate = (limit: number, extra: object) => ({
    name: "rate-limit", priority: 20, action: block, visibilityConfig: on("rate-limit"),
    statement: { rateBasedStatement: { limit, evaluationWindowSec: 300, ...extra } },
});
/** FULL_WAF at the entry: every rule, in priority order, the IP sets' ARNs from `arn`. */
export const sourceRules = (arn: ArnOf) => {
    const ipRef = (key: string) => ({ ipSetReferenceStatement: { arn: arn(key) } });
    return [
        { name: "ip-block-list", priority: 0, action: block, visibilityConfig: on("ip-block-list"), statement: { orStatement: { statements: [ipRef("ip-block-v4"), ipRef("ip-block-v6")] } } },
        { name: "ip-allow-list", priority: 1, action: block, visibilityConfig: on("ip-allow-list"), statement: { notStatement: { statement: { orStatement: { statements: [ipRef("ip-allow-v4"), ipRef("ip-allow-v6")] } } } } },
        { name: "geo-allow-list", priority: 2, action: block, visibilityConfig: on("geo-allow-list"), statement: { notStatement: { statement: { geoMatchStatement: { countryCodes: ["GB", "IE"] } } } } },
        MANAGED_FULL[0],
        rate(500, { aggregateKeyType: "IP", scopeDownStatement: LOGIN_SCOPE }),
        ...MANAGED_FULL.slice(1),
    ];
};
/** FULL_WAF behind CloudFront: no lists or countries; the rate limit keyed on X-Forwarded-For. */
export const FORWARDED_RULES = [
    MANAGED_FULL[0],
    rate(500, { aggregateKeyType: "FORWARDED_IP", forwardedIpConfig: { headerName: "X-Forwarded-For", fallbackBehavior: "MATCH" }, scopeDownStatement: LOGIN_SCOPE }),
    ...MANAGED_FULL.slice(1),
];
