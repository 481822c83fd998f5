import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { wafManagedRules } from "../../policies/edge/waf";
import { wafNoAllowBeforeManaged } from "../../policies/edge/waf-order";
import { UNKNOWN, UNKNOWN_NUMBER, messages, res, run } from "./helpers";

/**
 * Ways around the managed groups that no override shows: an allow rule ahead of them (allow ends the
 * ACL's evaluation) and a scope-down statement that selects little or nothing.
 */
const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
const managed = (name: string, priority: unknown, extra: Record<string, unknown> = {}) => ({
    name, priority, overrideAction: { none: {} }, visibilityConfig: visibility(name),
    statement: { managedRuleGroupStatement: { vendorName: "AWS", name, ...extra } },
});
const everything = { notStatement: { statement: { byteMatchStatement: { searchString: "/never", fieldToMatch: { uriPath: {} }, positionalConstraint: "EXACTLY", textTransformations: [{ priority: 0, type: "NONE" }] } } } };
const allowRule = (name: string, priority: unknown, action: unknown = { allow: {} }) => ({ name, priority, action, visibilityConfig: visibility(name), statement: everything });
const rate = { name: "rate", priority: 0, action: { block: {} }, visibilityConfig: visibility("rate"), statement: { rateBasedStatement: { limit: 2000, aggregateKeyType: "IP" } } };
const COMMON = "AWSManagedRulesCommonRuleSet";
const groups = () => [managed(COMMON, 10), managed("AWSManagedRulesKnownBadInputsRuleSet", 20), managed("AWSManagedRulesSQLiRuleSet", 30)];
const acl = (rules: unknown[]) => res(aws.wafv2.WebAcl, { scope: "REGIONAL", defaultAction: { allow: {} }, visibilityConfig: visibility("web"), rules }, { name: "web" });
const cannot = (diags: { enforcementLevel: string; message: string }[]) => diags.map((d) => [d.enforcementLevel, d.message.replace(/ Re-run.*$/, "")]);

describe("policies: waf-no-allow-before-managed", () => {
    it("passes the program's shape (blocks only) and an allow rule after every required group", async () => {
        assert.deepStrictEqual(await run(wafNoAllowBeforeManaged, acl([rate, ...groups()])), []);
        assert.deepStrictEqual(await run(wafNoAllowBeforeManaged, acl([rate, ...groups(), allowRule("trusted", 40)])), []);
        // A block rule ahead of the groups is fine: it only stops requests earlier.
        assert.deepStrictEqual(await run(wafNoAllowBeforeManaged, acl([allowRule("deny-first", 0, { block: {} }), ...groups()])), []);
    });

    it("rejects an allow rule before the groups, naming every group it skips, as mandatory", async () => {
        const diags = await run(wafNoAllowBeforeManaged, acl([allowRule("let-in", 0), ...groups()]));
        assert.deepStrictEqual(messages(diags), [
            'WAF rule must not allow requests before the managed groups see them: rules[0] "let-in" allows at priority 0, before rules[1] "AWSManagedRulesCommonRuleSet" (10), rules[2] "AWSManagedRulesKnownBadInputsRuleSet" (20), rules[3] "AWSManagedRulesSQLiRuleSet" (30), expected a priority after every required group or the rule listed with a reason in allowedAllowRules.',
        ]);
        assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["mandatory"]);
    });

    it("rejects an allow rule between groups: the later ones never see what it allows", async () => {
        const diags = await run(wafNoAllowBeforeManaged, acl([...groups(), allowRule("mid", 25)]));
        assert.match(messages(diags)[0], /allows at priority 25, before rules\[2\] "AWSManagedRulesSQLiRuleSet" \(30\), expected/);
    });

    it("accepts a rule the config names with a reason, and reads the API's ruleJson too", async () => {
        const config = { allowedAllowRules: [{ rule: "health-checker", reason: "the uptime probe's addresses, reviewed quarterly" }] };
        assert.deepStrictEqual(await run(wafNoAllowBeforeManaged, acl([allowRule("health-checker", 0), ...groups()]), config), []);
        const json = JSON.stringify([{ Name: "let-in", Priority: 1, Action: { Allow: {} }, Statement: {}, VisibilityConfig: {} }]);
        const diags = await run(wafNoAllowBeforeManaged, res(aws.wafv2.WebAcl, { scope: "REGIONAL", defaultAction: { allow: {} }, rules: groups(), ruleJson: json }, { name: "web" }));
        assert.match(messages(diags)[0], /^WAF rule must not allow requests before the managed groups see them: ruleJson "let-in" allows at priority 1/);
    });

    it("reports an unknown action or priority as unverifiable, never as a violation", async () => {
        const requirement = 'Cannot verify during preview that no rule of WAF web ACL "web" allows requests before its managed groups';
        assert.deepStrictEqual(cannot(await run(wafNoAllowBeforeManaged, acl([allowRule("x", 0, UNKNOWN), ...groups()]))), [["advisory", `${requirement}: rules[0].action is (unknown until apply).`]]);
        assert.deepStrictEqual(cannot(await run(wafNoAllowBeforeManaged, acl([allowRule("x", UNKNOWN_NUMBER), ...groups()]))), [["advisory", `${requirement}: rules[0].priority is (unknown until apply).`]]);
    });
});

describe("policies: waf-managed-rules, a scope-down statement on a required group", () => {
    const scoped = () => [rate, managed(COMMON, 10, { scopeDownStatement: everything.notStatement.statement }), ...groups().slice(1)];

    it("rejects it: the group then inspects only what the statement selects", async () => {
        assert.deepStrictEqual(messages(await run(wafManagedRules, acl(scoped()))), [
            'WAF web ACL must enforce AWSManagedRulesCommonRuleSet: rules[1] "AWSManagedRulesCommonRuleSet" inspects only the requests its scopeDownStatement selects, expected no scope-down statement, or the group listed with a reason in this policy\'s allowedScopeDowns.',
        ]);
    });

    it("accepts it for a group the config names with a reason, and reports an unknown one as unverifiable", async () => {
        assert.deepStrictEqual(await run(wafManagedRules, acl(scoped()), { allowedScopeDowns: [{ group: COMMON, reason: "uploads under /receipts are inspected by the receipts service" }] }), []);
        const pending = [rate, managed(COMMON, 10, { scopeDownStatement: UNKNOWN }), ...groups().slice(1)];
        assert.deepStrictEqual(cannot(await run(wafManagedRules, acl(pending))), [
            ["advisory", "Cannot verify during preview that AWSManagedRulesCommonRuleSet blocks rather than only counts: rules[1].statement.managedRuleGroupStatement.scopeDownStatement is (unknown until apply)."],
        ]);
    });
});
