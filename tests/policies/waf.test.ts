import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { aclRules, wafHasRules, wafLogging, wafManagedRules, wafMetrics, wafPolicies } from "../../policies/edge/waf";
import { StackResource, tokenOf } from "../../policies/lib/define";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, messages, res, run } from "./helpers";

const visibility = (metricName: string, on: unknown = true) => ({ cloudwatchMetricsEnabled: on, metricName, sampledRequestsEnabled: true });
const managed = (name: string, priority: number, override: Record<string, unknown> = { none: {} }) => ({
    name, priority, overrideAction: override, visibilityConfig: visibility(name),
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name } },
});
const rateRule = (action: Record<string, unknown> = { block: {} }) => ({
    name: "rate", priority: 0, action, visibilityConfig: visibility("rate"),
    statement: { rateBasedStatement: { limit: 1000, aggregateKeyType: "IP" } },
});
const goodRules = [rateRule(), managed("AWSManagedRulesCommonRuleSet", 1), managed("AWSManagedRulesKnownBadInputsRuleSet", 2), managed("AWSManagedRulesSQLiRuleSet", 3)];
const goodAcl = { scope: "REGIONAL", defaultAction: { allow: {} }, visibilityConfig: visibility("web"), rules: goodRules };

const aclUrn = `urn:pulumi:test::baseline::${tokenOf(aws.wafv2.WebAcl)}::web`;
const acl = (props: Record<string, any> = goodAcl) => res(aws.wafv2.WebAcl, props, { name: "web" });
const linked = { propertyDependencies: { webAclArn: [aclUrn] } };
const logging = (deps: string[] = [aclUrn]) =>
    res(aws.wafv2.WebAclLoggingConfiguration, { resourceArn: UNKNOWN, logDestinationConfigs: [UNKNOWN] }, { name: "web-logs", propertyDependencies: { resourceArn: deps } });

/** A plain stack resource for the join helpers. */
const plain = (name: string, props: Record<string, any>, propertyDependencies: Record<string, StackResource[]> = {}): StackResource => ({
    type: "t", name, urn: name, props, opts: {} as any, dependencies: [], propertyDependencies,
});

describe("policies: waf", () => {
    it("exports every policy once", () => {
        assert.deepStrictEqual(wafPolicies.map((p) => p.name), ["waf-has-rules", "waf-logging", "waf-metrics", "waf-managed-rules", "waf-rate-limit", "waf-no-allow-before-managed"]);
    });

    describe("rule collection", () => {
        it("collect rules from the inline list, ruleJson and standalone resources", () => {
            const web = plain("web", { arn: "arn:acl", rules: [rateRule()], ruleJson: JSON.stringify([{ Name: "json", Statement: { ManagedRuleGroupStatement: { VendorName: "AWS", Name: "X" } }, OverrideAction: { Count: {} } }]) });
            const standalone = { ...plain("extra", { webAclArn: "arn:acl", overrideAction: "count", managedRuleGroup: { vendorName: "AWS", name: "Y" } }), type: tokenOf(aws.wafv2.WebAclRuleGroupAssociation) };
            const found = aclRules(web, [web, standalone]);
            assert.deepStrictEqual(found.rules.map((r) => [r.label, r.rateBased, r.managedGroup?.name, r.counting]), [
                ['rules[0] "rate"', true, undefined, false],
                ['ruleJson "json"', false, "X", true],
                ['WebAclRuleGroupAssociation "extra"', false, "Y", true],
            ]);
            assert.deepStrictEqual(found.unknown, []);
        });
        it("lists where rules are unknown until apply: a rule, its statement, ruleJson, a standalone rule's statement", () => {
            const web = plain("web", { arn: "arn:acl", rules: [UNKNOWN, { ...rateRule(), statement: UNKNOWN }], ruleJson: UNKNOWN });
            const standalone = { ...plain("extra", { webAclArn: "arn:acl", name: "extra", priority: 9, statement: UNKNOWN }), type: tokenOf(aws.wafv2.WebAclRule) };
            assert.deepStrictEqual(aclRules(web, [web, standalone]).unknown.map(([r, path]) => [r.name, path]), [
                ["web", "rules[0]"], ["web", "rules[1].statement"], ["web", "ruleJson"], ["extra", "statement"],
            ]);
        });
    });

    describe("waf-has-rules", () => {
        it("passes an ACL with inline rules, or with a standalone rule attached", async () => {
            assert.deepStrictEqual(await run(wafHasRules, acl()), []);
            const rule = res(aws.wafv2.WebAclRule, { webAclArn: UNKNOWN, priority: 1, statement: rateRule().statement, action: { block: {} } }, { name: "rate", ...linked });
            assert.deepStrictEqual(await run(wafHasRules, [acl({ ...goodAcl, rules: undefined }), rule]), []);
        });
        it("rejects an ACL without rules, as mandatory", async () => {
            const diags = await run(wafHasRules, acl({ ...goodAcl, rules: [] }));
            assert.deepStrictEqual(messages(diags), ["WAF web ACL must have at least one rule: it has none (rules, ruleJson, or standalone WebAclRule/WebAclRuleGroupAssociation), expected at least one rule or rule group."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("counts an unknown rules list as set", async () => {
            assert.deepStrictEqual(await run(wafHasRules, acl({ ...goodAcl, rules: UNKNOWN_ARRAY })), []);
        });
        it("reports a rule it cannot place as unverifiable instead of failing", async () => {
            const rule = res(aws.wafv2.WebAclRule, { webAclArn: UNKNOWN, priority: 1 }, { name: "orphan" });
            const diags = await run(wafHasRules, [acl({ ...goodAcl, rules: [] }), rule]);
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that WAF web ACL "web" has at least one rule: webAclArn is \(unknown until apply\)/);
            assert.strictEqual(diags[0].urn, rule.urn);
        });
    });

    describe("waf-logging", () => {
        it("passes an ACL with a logging configuration that takes its ARN", async () => {
            assert.deepStrictEqual(await run(wafLogging, [acl(), logging()]), []);
        });
        it("joins by a known ARN after apply", async () => {
            const arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/web/1";
            const config = res(aws.wafv2.WebAclLoggingConfiguration, { resourceArn: arn, logDestinationConfigs: ["arn:log"] }, { name: "web-logs" });
            assert.deepStrictEqual(await run(wafLogging, [acl({ ...goodAcl, arn }), config]), []);
        });
        it("rejects an ACL without logging, and does not accept another ACL's configuration", async () => {
            const other = res(aws.wafv2.WebAcl, goodAcl, { name: "other" });
            const diags = await run(wafLogging, [acl(), other, logging([other.urn])]);
            assert.deepStrictEqual(messages(diags), ["WAF web ACL must log requests: no aws.wafv2.WebAclLoggingConfiguration takes its ARN as resourceArn, expected one."]);
            assert.strictEqual(diags[0].urn, aclUrn);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("reports a configuration it cannot place as unverifiable", async () => {
            const diags = await run(wafLogging, [acl(), logging([])]);
            assert.match(diags[0].message, /^Cannot verify during preview that WAF web ACL "web" has a logging configuration: resourceArn is \(unknown until apply\)/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("reports an exempted ACL as advisory with its reason", async () => {
            const diags = await run(wafLogging, acl(), { exemptions: [{ resource: "web", reason: "logged by Firewall Manager" }] });
            assert.deepStrictEqual(messages(diags), ["Exempted (logged by Firewall Manager): WAF web ACL must log requests: no aws.wafv2.WebAclLoggingConfiguration takes its ARN as resourceArn, expected one."]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("waf-metrics", () => {
        it("passes an ACL whose rules all publish metrics", async () => {
            assert.deepStrictEqual(await run(wafMetrics, acl()), []);
        });
        it("rejects the ACL and each rule without metrics, as advisory", async () => {
            const rules = [rateRule(), { ...managed("AWSManagedRulesSQLiRuleSet", 1), visibilityConfig: visibility("sqli", false) }];
            const diags = await run(wafMetrics, acl({ ...goodAcl, visibilityConfig: visibility("web", false), rules }));
            assert.deepStrictEqual(messages(diags), [
                "WAF web ACL must publish CloudWatch metrics: visibilityConfig.cloudwatchMetricsEnabled is false, expected true.",
                "WAF rule must publish CloudWatch metrics: rules[1].visibilityConfig.cloudwatchMetricsEnabled is false, expected true.",
            ]);
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["advisory", "advisory"]);
        });
        it("checks ruleJson rules and standalone rule resources", async () => {
            const ruleJson = JSON.stringify([{ Name: "json", VisibilityConfig: { CloudWatchMetricsEnabled: false } }]);
            assert.deepStrictEqual(messages(await run(wafMetrics, acl({ ...goodAcl, rules: undefined, ruleJson }))), [
                'WAF rule must publish CloudWatch metrics: ruleJson rule "json" has VisibilityConfig.CloudWatchMetricsEnabled false, expected true.',
            ]);
            const association = res(aws.wafv2.WebAclRuleGroupAssociation, { webAclArn: UNKNOWN, ruleName: "x", priority: 1 });
            assert.deepStrictEqual(messages(await run(wafMetrics, association)), [
                "WAF rule must publish CloudWatch metrics: visibilityConfig.cloudwatchMetricsEnabled is (unset), expected true.",
            ]);
        });
        it("reports unknown flags as unverifiable", async () => {
            const diags = await run(wafMetrics, acl({ ...goodAcl, visibilityConfig: visibility("web", UNKNOWN_BOOL) }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that WAF web ACL publishes CloudWatch metrics: visibilityConfig.cloudwatchMetricsEnabled is \(unknown until apply\)/);
        });
    });

    describe("waf-managed-rules", () => {
        it("passes the baseline groups plus a blocking rate rule", async () => {
            assert.deepStrictEqual(await run(wafManagedRules, acl()), []);
        });
        it("rejects missing groups and a missing rate rule, as mandatory", async () => {
            const diags = await run(wafManagedRules, acl({ ...goodAcl, rules: [managed("AWSManagedRulesCommonRuleSet", 1)] }));
            assert.deepStrictEqual(messages(diags), [
                'WAF web ACL must use the required AWS managed rule groups: "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet" missing, expected rules for AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesSQLiRuleSet.',
                "WAF web ACL must have a rate-based rule: none of its 1 rules has a rateBasedStatement, expected at least one that blocks.",
            ]);
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["mandatory", "mandatory"]);
        });
        it("rejects a group of the right name from another vendor", async () => {
            const fake = { ...managed("AWSManagedRulesSQLiRuleSet", 3), statement: { managedRuleGroupStatement: { vendorName: "Acme", name: "AWSManagedRulesSQLiRuleSet" } } };
            const diags = await run(wafManagedRules, acl({ ...goodAcl, rules: [...goodRules.slice(0, 3), fake] }));
            assert.match(messages(diags)[0], /^WAF web ACL must use the required AWS managed rule groups: "AWSManagedRulesSQLiRuleSet" missing/);
        });
        it("rejects groups and rate rules that only count", async () => {
            const rules = [rateRule({ count: {} }), ...goodRules.slice(1, 3), managed("AWSManagedRulesSQLiRuleSet", 3, { count: {} })];
            assert.deepStrictEqual(messages(await run(wafManagedRules, acl({ ...goodAcl, rules }))), [
                'WAF web ACL must enforce AWSManagedRulesSQLiRuleSet: rules[3] "AWSManagedRulesSQLiRuleSet" only counts matches (overrideAction count), expected overrideAction none.',
                'WAF web ACL must have a blocking rate-based rule: rules[0] "rate" only counts matches (action count), expected block, captcha or challenge.',
            ]);
        });
        it("finds groups in standalone rule-group associations joined through webAclArn", async () => {
            const association = res(aws.wafv2.WebAclRuleGroupAssociation, {
                webAclArn: UNKNOWN, ruleName: "sqli", priority: 3, managedRuleGroup: { vendorName: "AWS", name: "AWSManagedRulesSQLiRuleSet" },
            }, { name: "sqli", ...linked });
            assert.deepStrictEqual(await run(wafManagedRules, [acl({ ...goodAcl, rules: goodRules.slice(0, 3) }), association]), []);
            const counting = res(aws.wafv2.WebAclRuleGroupAssociation, { ...association.props, overrideAction: "count" }, { name: "sqli", ...linked });
            const diags = await run(wafManagedRules, [acl({ ...goodAcl, rules: goodRules.slice(0, 3) }), counting]);
            assert.deepStrictEqual(messages(diags), ['WAF web ACL must enforce AWSManagedRulesSQLiRuleSet: WebAclRuleGroupAssociation "sqli" only counts matches (overrideAction count), expected overrideAction none.']);
            assert.strictEqual(diags[0].urn, counting.urn);
        });
        it("reports unknown rules, group names and actions as unverifiable rather than failing", async () => {
            const unknownList = await run(wafManagedRules, acl({ ...goodAcl, rules: UNKNOWN_ARRAY }));
            assert.deepStrictEqual(unknownList.map((d) => d.enforcementLevel), ["advisory", "advisory"]);
            assert.match(unknownList[0].message, /^Cannot verify during preview that WAF web ACL "web" uses AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesSQLiRuleSet: rules is \(unknown until apply\)/);
            const unnamed = { ...managed("x", 3), statement: { managedRuleGroupStatement: { vendorName: "AWS", name: UNKNOWN } } };
            const diags = await run(wafManagedRules, acl({ ...goodAcl, rules: [...goodRules.slice(0, 3), unnamed] }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that WAF web ACL "web" uses AWSManagedRulesSQLiRuleSet: rules\[3\]\.statement\.managedRuleGroupStatement\.name is \(unknown until apply\)/);
            const statement = await run(wafManagedRules, acl({ ...goodAcl, rules: [...goodRules.slice(1, 3), { ...rateRule(), statement: UNKNOWN }] }));
            assert.deepStrictEqual(statement.map((d) => d.message.replace(/ Re-run.*$/, "")), [
                'Cannot verify during preview that WAF web ACL "web" uses AWSManagedRulesSQLiRuleSet: rules[2].statement is (unknown until apply).',
                'Cannot verify during preview that WAF web ACL "web" has a rate-based rule: rules[2].statement is (unknown until apply).',
            ]);
            const action = await run(wafManagedRules, acl({ ...goodAcl, rules: [{ ...rateRule(), action: UNKNOWN }, ...goodRules.slice(1)] }));
            assert.match(action[0].message, /^Cannot verify during preview that the rate-based rule blocks rather than only counts: rules\[0\]\.action is \(unknown until apply\)/);
        });
        it("honours a configured group list and an opt-out of the rate rule", async () => {
            const config = { requiredManagedRuleGroups: ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesAmazonIpReputationList"], requireRateBasedRule: false };
            const diags = await run(wafManagedRules, acl({ ...goodAcl, rules: goodRules.slice(1) }), config);
            assert.deepStrictEqual(messages(diags), [
                'WAF web ACL must use the required AWS managed rule groups: "AWSManagedRulesAmazonIpReputationList" missing, expected rules for AWSManagedRulesCommonRuleSet, AWSManagedRulesAmazonIpReputationList.',
            ]);
        });
    });
});
