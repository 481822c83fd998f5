import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { wafManagedRules, wafRateLimit } from "../../policies/edge/waf";
import { tokenOf } from "../../policies/lib/define";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_NUMBER, messages, res, run } from "./helpers";

/** waf-managed-rules' per-rule overrides (ruleActionOverrides) and waf-rate-limit. */
const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
const overrides = (...entries: Array<[string, string]>) => entries.map(([name, action]) => ({ name, actionToUse: { [action]: {} } }));
const managed = (name: string, priority: number, ruleActionOverrides?: unknown) => ({
    name, priority, overrideAction: { none: {} }, visibilityConfig: visibility(name),
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name, ...(ruleActionOverrides === undefined ? {} : { ruleActionOverrides }) } },
});
const rateRule = (rateBasedStatement: Record<string, unknown> = { limit: 2000, aggregateKeyType: "IP" }, name = "rate", action: Record<string, unknown> = { block: {} }) => ({
    name, priority: 0, action, visibilityConfig: visibility(name), statement: { rateBasedStatement },
});
const COMMON = "AWSManagedRulesCommonRuleSet";
const rules = (common: unknown = managed(COMMON, 1)) => [rateRule(), common, managed("AWSManagedRulesKnownBadInputsRuleSet", 2), managed("AWSManagedRulesSQLiRuleSet", 3)];
const withoutCommon = rules().filter((_r, i) => i !== 1);
const acl = (props: Record<string, any>) => res(aws.wafv2.WebAcl, { scope: "REGIONAL", defaultAction: { allow: {} }, visibilityConfig: visibility("web"), rules: rules(), ...props }, { name: "web" });
const aclUrn = `urn:pulumi:test::baseline::${tokenOf(aws.wafv2.WebAcl)}::web`;
const attached = { propertyDependencies: { webAclArn: [aclUrn] } };
const cannot = (diags: { enforcementLevel: string; message: string }[]) => diags.map((d) => [d.enforcementLevel, d.message.replace(/ Re-run.*$/, "")]);

describe("policies: waf rule overrides and rate limits", () => {
    describe("waf-managed-rules: ruleActionOverrides", () => {
        it("passes overrides to block, captcha or challenge", async () => {
            const common = managed(COMMON, 1, overrides(["SizeRestrictions_BODY", "block"], ["NoUserAgent_HEADER", "challenge"]));
            assert.deepStrictEqual(await run(wafManagedRules, acl({ rules: rules(common) })), []);
        });
        it("rejects a required group whose rules are set to count or allow, naming the group and the rules, as mandatory", async () => {
            const common = managed(COMMON, 1, overrides(["SizeRestrictions_BODY", "count"], ["NoUserAgent_HEADER", "count"], ["GenericLFI_BODY", "allow"], ["EC2MetaDataSSRF_BODY", "block"]));
            const diags = await run(wafManagedRules, acl({ rules: rules(common) }));
            assert.deepStrictEqual(messages(diags), [
                'WAF web ACL must enforce AWSManagedRulesCommonRuleSet: rules[1] "AWSManagedRulesCommonRuleSet" sets "SizeRestrictions_BODY", "NoUserAgent_HEADER" to count and "GenericLFI_BODY" to allow in ruleActionOverrides, expected the group\'s own actions, or each counted rule listed with a reason in this policy\'s allowedCountedRules.',
            ]);
            assert.deepStrictEqual(diags.map((d) => [d.enforcementLevel, d.urn]), [["mandatory", aclUrn]]);
        });
        it("accepts exactly the { group, rule } pairs the config allows to count, never an allow override", async () => {
            const common = managed(COMMON, 1, overrides(["SizeRestrictions_BODY", "count"], ["NoUserAgent_HEADER", "count"]));
            const allowedCountedRules = [
                { group: COMMON, rule: "SizeRestrictions_BODY", reason: "receipt uploads exceed 8 KB" },
                { group: "AWSManagedRulesSQLiRuleSet", rule: "NoUserAgent_HEADER", reason: "another group's rule of the same name" },
            ];
            assert.deepStrictEqual(messages(await run(wafManagedRules, acl({ rules: rules(common) }), { allowedCountedRules })), [
                'WAF web ACL must enforce AWSManagedRulesCommonRuleSet: rules[1] "AWSManagedRulesCommonRuleSet" sets "NoUserAgent_HEADER" to count in ruleActionOverrides, expected the group\'s own actions, or each counted rule listed with a reason in this policy\'s allowedCountedRules.',
            ]);
            const both = [...allowedCountedRules, { group: COMMON, rule: "NoUserAgent_HEADER", reason: "terminals send no user agent" }];
            assert.deepStrictEqual(await run(wafManagedRules, acl({ rules: rules(common) }), { allowedCountedRules: both }), []);
            const allowing = managed(COMMON, 1, overrides(["SizeRestrictions_BODY", "allow"]));
            assert.strictEqual((await run(wafManagedRules, acl({ rules: rules(allowing) }), { allowedCountedRules })).length, 1);
        });
        it("reads ruleJson's PascalCase RuleActionOverrides", async () => {
            const ruleJson = JSON.stringify([{
                Name: "common", Priority: 1, OverrideAction: { None: {} },
                Statement: { ManagedRuleGroupStatement: { VendorName: "AWS", Name: COMMON, RuleActionOverrides: [{ Name: "SizeRestrictions_BODY", ActionToUse: { Count: {} } }, { Name: "X", ActionToUse: { Block: {} } }] } },
            }]);
            assert.deepStrictEqual(messages(await run(wafManagedRules, acl({ rules: [rules()[0], ...rules().slice(2)], ruleJson }))), [
                'WAF web ACL must enforce AWSManagedRulesCommonRuleSet: ruleJson "common" sets "SizeRestrictions_BODY" to count in ruleActionOverrides, expected the group\'s own actions, or each counted rule listed with a reason in this policy\'s allowedCountedRules.',
            ]);
        });
        it("reads standalone WebAclRule and WebAclRuleGroupAssociation overrides, reporting on the resource", async () => {
            const standalone = res(aws.wafv2.WebAclRule, { webAclArn: UNKNOWN, ...managed(COMMON, 1, overrides(["SizeRestrictions_BODY", "count"])) }, { name: "common", ...attached });
            const diags = await run(wafManagedRules, [acl({ rules: withoutCommon }), standalone]);
            assert.deepStrictEqual(messages(diags), [
                'WAF web ACL must enforce AWSManagedRulesCommonRuleSet: WebAclRule "common" sets "SizeRestrictions_BODY" to count in ruleActionOverrides, expected the group\'s own actions, or each counted rule listed with a reason in this policy\'s allowedCountedRules.',
            ]);
            assert.strictEqual(diags[0].urn, standalone.urn);
            const association = res(aws.wafv2.WebAclRuleGroupAssociation, {
                webAclArn: UNKNOWN, ruleName: "common", priority: 1,
                managedRuleGroup: { vendorName: "AWS", name: COMMON, ruleActionOverrides: overrides(["NoUserAgent_HEADER", "count"]) },
            }, { name: "common", ...attached });
            assert.deepStrictEqual(messages(await run(wafManagedRules, [acl({ rules: withoutCommon }), association])), [
                'WAF web ACL must enforce AWSManagedRulesCommonRuleSet: WebAclRuleGroupAssociation "common" sets "NoUserAgent_HEADER" to count in ruleActionOverrides, expected the group\'s own actions, or each counted rule listed with a reason in this policy\'s allowedCountedRules.',
            ]);
        });
        it("passes when another rule enforces the same group in full", async () => {
            const counted = { ...managed(COMMON, 4, overrides(["SizeRestrictions_BODY", "count"])), name: "common-copy" };
            assert.deepStrictEqual(await run(wafManagedRules, acl({ rules: [...rules(), counted] })), []);
        });
        it("reports overrides unknown until apply as unverifiable: the list, an action, a rule name", async () => {
            const cases: Array<[unknown, string]> = [
                [UNKNOWN_ARRAY, "rules[1].statement.managedRuleGroupStatement.ruleActionOverrides"],
                [[{ name: "SizeRestrictions_BODY", actionToUse: UNKNOWN }], "rules[1].statement.managedRuleGroupStatement.ruleActionOverrides[0].actionToUse"],
                [[{ name: UNKNOWN, actionToUse: { count: {} } }], "rules[1].statement.managedRuleGroupStatement.ruleActionOverrides[0].name"],
            ];
            for (const [value, path] of cases) {
                assert.deepStrictEqual(cannot(await run(wafManagedRules, acl({ rules: rules(managed(COMMON, 1, value)) }))), [
                    ["advisory", `Cannot verify during preview that AWSManagedRulesCommonRuleSet blocks rather than only counts: ${path} is (unknown until apply).`],
                ], path);
            }
        });
    });

    describe("waf-rate-limit", () => {
        it("passes the program's 2,000 per 5 minutes, and a limit at the maximum", async () => {
            assert.deepStrictEqual(await run(wafRateLimit, acl({})), []);
            assert.deepStrictEqual(await run(wafRateLimit, acl({ rules: [rateRule({ limit: 10000, aggregateKeyType: "IP" })] })), []);
        });
        it("rejects a limit that never triggers, as mandatory", async () => {
            const diags = await run(wafRateLimit, acl({ rules: [rateRule({ limit: 100000, aggregateKeyType: "IP" })] }));
            assert.deepStrictEqual(messages(diags), [
                'WAF web ACL must rate-limit at or below 10000 requests per 5 minutes: rules[0] "rate" has limit 100000 per 300 s, expected a blocking rate-based rule whose limit × 300 / evaluationWindowSec is at most 10000.',
            ]);
            assert.deepStrictEqual(diags.map((d) => [d.enforcementLevel, d.urn]), [["mandatory", aclUrn]]);
        });
        it("compares limits per 5 minutes: a short window multiplies, a long one divides", async () => {
            const perMinute = rateRule({ limit: 5000, evaluationWindowSec: 60, aggregateKeyType: "IP" });
            assert.deepStrictEqual(messages(await run(wafRateLimit, acl({ rules: [perMinute] }))), [
                'WAF web ACL must rate-limit at or below 10000 requests per 5 minutes: rules[0] "rate" has limit 5000 per 60 s (25000 per 5 minutes), expected a blocking rate-based rule whose limit × 300 / evaluationWindowSec is at most 10000.',
            ]);
            assert.deepStrictEqual(await run(wafRateLimit, acl({ rules: [rateRule({ limit: 20000, evaluationWindowSec: 600, aggregateKeyType: "IP" })] })), []);
            assert.strictEqual((await run(wafRateLimit, acl({ rules: [rateRule({ limit: 20001, evaluationWindowSec: 600, aggregateKeyType: "IP" })] }))).length, 1);
        });
        it("passes when one blocking rule is tight enough; a counting rule does not count", async () => {
            const loose = rateRule({ limit: 100000, aggregateKeyType: "IP" }, "ceiling");
            assert.deepStrictEqual(await run(wafRateLimit, acl({ rules: [loose, rateRule()] })), []);
            const counting = rateRule({ limit: 100, aggregateKeyType: "IP" }, "login", { count: {} });
            assert.strictEqual((await run(wafRateLimit, acl({ rules: [loose, counting] }))).length, 1);
        });
        it("reads ruleJson and standalone rules, and honours a configured maximum", async () => {
            const ruleJson = JSON.stringify([{ Name: "rate", Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 50000, EvaluationWindowSec: 120, AggregateKeyType: "IP" } } }]);
            assert.deepStrictEqual(messages(await run(wafRateLimit, acl({ rules: undefined, ruleJson }))), [
                'WAF web ACL must rate-limit at or below 10000 requests per 5 minutes: ruleJson "rate" has limit 50000 per 120 s (125000 per 5 minutes), expected a blocking rate-based rule whose limit × 300 / evaluationWindowSec is at most 10000.',
            ]);
            const standalone = res(aws.wafv2.WebAclRule, { webAclArn: UNKNOWN, ...rateRule({ limit: 3000, aggregateKeyType: "IP" }) }, { name: "rate", ...attached });
            assert.deepStrictEqual(await run(wafRateLimit, [acl({ rules: [] }), standalone]), []);
            assert.deepStrictEqual(messages(await run(wafRateLimit, [acl({ rules: [] }), standalone], { maximumRateLimit: 1000 })), [
                'WAF web ACL must rate-limit at or below 1000 requests per 5 minutes: WebAclRule "rate" has limit 3000 per 300 s, expected a blocking rate-based rule whose limit × 300 / evaluationWindowSec is at most 1000.',
            ]);
        });
        it("reports a limit or window unknown until apply, or a rule hiding in an unknown list, as unverifiable", async () => {
            const requirement = 'Cannot verify during preview that WAF web ACL "web" has a blocking rate-based rule of at most 10000 requests per 5 minutes';
            assert.deepStrictEqual(cannot(await run(wafRateLimit, acl({ rules: [rateRule({ limit: UNKNOWN_NUMBER, aggregateKeyType: "IP" })] }))), [
                ["advisory", `${requirement}: rules[0].statement.rateBasedStatement.limit is (unknown until apply).`],
            ]);
            assert.deepStrictEqual(cannot(await run(wafRateLimit, acl({ rules: [rateRule({ limit: 100000, evaluationWindowSec: UNKNOWN_NUMBER, aggregateKeyType: "IP" })] }))), [
                ["advisory", `${requirement}: rules[0].statement.rateBasedStatement.evaluationWindowSec is (unknown until apply).`],
            ]);
            assert.deepStrictEqual(cannot(await run(wafRateLimit, acl({ rules: [rateRule({ limit: 100000, aggregateKeyType: "IP" }), UNKNOWN] }))), [
                ["advisory", `${requirement}: rules[1] is (unknown until apply).`],
            ]);
        });
    });
});
