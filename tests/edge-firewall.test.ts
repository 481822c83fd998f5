import * as assert from "assert";
import { WafConfig } from "../infra/config/edge-types";
import { WebFirewall, WebFirewallArgs, webFirewallProblems } from "../infra/edge/firewall";
import { WCU_BUDGET, capacityOf, firewallRules, ipSetSpecs } from "../infra/edge/firewall-rules";
import { LogsKey } from "../infra/security/logs-key";
import { ALL_POLICIES } from "../policies/all";
import { wafPolicies } from "../policies/edge/waf";
import { evaluate, resolvePolicyConfig } from "../tools/offline/evaluate";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mock-outputs";
import { runProgram } from "../tools/offline/run-program";
import { blockingOf, policyConfigPath, readPolicyConfig, toEvalResource } from "../tools/offline/stack-check";
import {
    ALB_ARN, ARNS, CLOUDFRONT_ARGS, EDGE_LOGS_KEY_ARN, FORWARDED_RULES, FULL_WAF, LOGS_KEY_ARN, PLAIN_WAF, PURE_ARN, ProviderInvoke, REGIONAL_ARGS,
    block, cloudFrontFirewall, managed, on, rate, recordArns, recordProviderInvokes, sourceRules, usEast1,
} from "./edge-firewall-fixtures";
import { edge } from "./edge-fixtures";
import { Run, runUnderMocks, stackConfig } from "./harness";

const ACL = "aws:wafv2/webAcl:WebAcl";
const IP_SET = "aws:wafv2/ipSet:IpSet";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const LOG_POLICY = "aws:cloudwatch/logResourcePolicy:LogResourcePolicy";
const LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";
const ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";
const plain = (waf: Partial<WafConfig>) => ({ ...PLAIN_WAF, ...waf });

describe("WebFirewall rules (pure)", () => {
    it("at the entry: IP block list, IP allow list, countries, IP reputation, rate limit, then the body-inspecting groups", () => {
        assert.deepStrictEqual(firewallRules(FULL_WAF, "source", ARNS), sourceRules(PURE_ARN));
    });

    it("behind CloudFront: the rate limit on the forwarded address and the four groups, no lists or countries", () => {
        assert.deepStrictEqual(firewallRules(FULL_WAF, "forwarded", {}), FORWARDED_RULES);
        assert.deepStrictEqual(ipSetSpecs(FULL_WAF, "forwarded"), []);
    });

    it("with the profile's defaults: the rate limit on every request and the four groups, none counting", () => {
        assert.deepStrictEqual(firewallRules(PLAIN_WAF, "source", {}), [
            managed("managed-ip-reputation", 10, "AWSManagedRulesAmazonIpReputationList"),
            rate(2000, { aggregateKeyType: "IP" }),
            managed("managed-common-rule-set", 30, "AWSManagedRulesCommonRuleSet"),
            managed("managed-known-bad-inputs", 40, "AWSManagedRulesKnownBadInputsRuleSet"),
            managed("managed-sqli", 50, "AWSManagedRulesSQLiRuleSet"),
        ]);
    });

    it("one IP set per address family and list, a single set referenced without an OR; blocked countries blocked", () => {
        assert.deepStrictEqual(ipSetSpecs(FULL_WAF, "source"), [
            { key: "ip-block-v4", kind: "block", family: "IPV4", addresses: ["192.0.2.0/24"] },
            { key: "ip-block-v6", kind: "block", family: "IPV6", addresses: ["2001:db8:bad::/48"] },
            { key: "ip-allow-v4", kind: "allow", family: "IPV4", addresses: ["203.0.113.0/24", "198.51.100.7/32"] },
            { key: "ip-allow-v6", kind: "allow", family: "IPV6", addresses: ["2001:db8:a::/48"] },
        ]);
        const rules = firewallRules(plain({ ipAllowList: ["2001:db8::/32"], blockedCountries: ["KP"] }), "source", { "ip-allow-v6": "arn:allow-v6" });
        assert.deepStrictEqual(rules.slice(0, 2), [
            { name: "ip-allow-list", priority: 1, action: block, visibilityConfig: on("ip-allow-list"), statement: { notStatement: { statement: { ipSetReferenceStatement: { arn: "arn:allow-v6" } } } } },
            { name: "geo-block-list", priority: 3, action: block, visibilityConfig: on("geo-block-list"), statement: { geoMatchStatement: { countryCodes: ["KP"] } } },
        ]);
    });

    it("stays within the 1,500 WCU of the base price with every option on (1,164)", () => {
        assert.strictEqual(capacityOf(FULL_WAF, "source"), 1164);
        assert.ok(capacityOf(FULL_WAF, "source") <= WCU_BUDGET);
        assert.strictEqual(capacityOf(PLAIN_WAF, "source"), 1127);
    });
});

/** The pack as a stack whose policy config lists FULL_WAF's counted rules, as it must for them to pass. */
const PACK_CONFIG = { "waf-managed-rules": { allowedCountedRules: FULL_WAF.countedRules } };
const wafDiagnostics = async (run: Run) =>
    (await evaluate(run.resources.map(toEvalResource), { policies: wafPolicies, config: resolvePolicyConfig(wafPolicies, PACK_CONFIG) })).diagnostics.map((d) => `${d.policyName}: ${d.message}`);

async function runFirewall(args: Partial<WebFirewallArgs>, arns: Map<string, string>, withProvider = false): Promise<Run> {
    return runUnderMocks(() => {
        recordArns(arns);
        return withProvider ? cloudFrontFirewall(args) : new WebFirewall("edge-waf", { ...REGIONAL_ARGS, ...args });
    }, "prod");
}

describe("WebFirewall component (REGIONAL, at the entry)", () => {
    let run: Run;
    const arns = new Map<string, string>();
    const aclArn = () => arns.get("edge-waf-acl");
    before(async () => {
        run = await runFirewall({}, arns);
    });

    it("registers the ACL with default allow, metrics and samples, and exactly the rules above", () => {
        const acl = run.one(ACL, "edge-waf-acl");
        assert.deepStrictEqual(acl.wireInputs, {
            name: "pos-prod-regional",
            description: "pos-prod-regional: AWS managed rules, rate limit, IP and country lists",
            scope: "REGIONAL",
            defaultAction: { allow: {} },
            rules: sourceRules((key) => arns.get(`edge-waf-${key}`)!),
            visibilityConfig: on("pos-prod-regional"),
        });
        assert.strictEqual(run.parentName(acl), "edge-waf");
        assert.strictEqual(run.byUrn(acl.parent)?.type, "baseline:edge:WebFirewall");
    });

    it("registers one IP set per list and family, REGIONAL, named after the ACL", () => {
        assert.deepStrictEqual(run.ofType(IP_SET).map((s) => [s.name, s.wireInputs.name, s.wireInputs.scope, s.wireInputs.ipAddressVersion, s.wireInputs.addresses]).sort(), [
            ["edge-waf-ip-block-v4", "pos-prod-regional-ip-block-v4", "REGIONAL", "IPV4", ["192.0.2.0/24"]],
            ["edge-waf-ip-block-v6", "pos-prod-regional-ip-block-v6", "REGIONAL", "IPV6", ["2001:db8:bad::/48"]],
            ["edge-waf-ip-allow-v4", "pos-prod-regional-ip-allow-v4", "REGIONAL", "IPV4", ["203.0.113.0/24", "198.51.100.7/32"]],
            ["edge-waf-ip-allow-v6", "pos-prod-regional-ip-allow-v6", "REGIONAL", "IPV6", ["2001:db8:a::/48"]],
        ].sort());
    });

    it("logs to an aws-waf-logs- group encrypted with the logs key, kept for the retention given and on destroy", () => {
        const group = run.one(LOG_GROUP, "edge-waf-log-group");
        assert.deepStrictEqual(group.wireInputs, { name: "aws-waf-logs-pos-prod-regional", kmsKeyId: LOGS_KEY_ARN, retentionInDays: 365 });
        assert.strictEqual(group.retainOnDelete, true);
    });

    it("logs through the group's ARN without :*, with the authorization, cookie and origin-token headers redacted, once delivery may write", () => {
        const logging = run.one(LOGGING, "edge-waf-logging");
        const groupArn = `arn:aws:logs:eu-west-1:${MOCK_ACCOUNT_ID}:log-group:aws-waf-logs-pos-prod-regional`;
        assert.deepStrictEqual(logging.wireInputs, {
            resourceArn: aclArn(),
            logDestinationConfigs: [groupArn],
            redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }, { singleHeader: { name: "x-origin-verify" } }],
        });
        assert.ok(logging.dependencies.includes(run.one(LOG_POLICY).urn));
        const policy = run.one(LOG_POLICY, "edge-waf-log-delivery-policy");
        assert.strictEqual(policy.wireInputs.resourceArn, groupArn);
        assert.deepStrictEqual(JSON.parse(policy.wireInputs.policyDocument), {
            Version: "2012-10-17",
            Statement: [{
                Sid: "AllowWafLogDelivery", Effect: "Allow", Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${groupArn}:log-stream:*`,
                Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID }, ArnLike: { "aws:SourceArn": `arn:aws:logs:eu-west-1:${MOCK_ACCOUNT_ID}:*` } },
            }],
        });
    });

    it("associates the ACL with the load balancer", () => {
        assert.deepStrictEqual(run.one(ASSOCIATION, "edge-waf-association").wireInputs, { resourceArn: ALB_ARN, webAclArn: aclArn() });
    });

    it("passes the pack's WAF policies (rules, logging, metrics, managed groups and rate rule)", async () => {
        assert.deepStrictEqual(await wafDiagnostics(run), []);
    });
});

describe("WebFirewall component (REGIONAL, behind CloudFront)", () => {
    it("registers no IP set, keys the rate limit on X-Forwarded-For and passes the WAF policies", async () => {
        const run = await runFirewall({ clientAddress: "forwarded" }, new Map());
        assert.deepStrictEqual(run.ofType(IP_SET), []);
        assert.deepStrictEqual(run.one(ACL).wireInputs.rules, FORWARDED_RULES);
        assert.strictEqual(run.one(ACL).wireInputs.description, "pos-prod-regional: AWS managed rules, rate limit on X-Forwarded-For");
        assert.deepStrictEqual(await wafDiagnostics(run), []);
    });
});

describe("WebFirewall component (CLOUDFRONT)", () => {
    let run: Run;
    before(async () => {
        run = await runFirewall({}, new Map(), true);
    });

    it("puts the ACL, IP sets, log group, its policy and the logging in us-east-1 through the provider given, with no association", () => {
        const provider = run.one("pulumi:providers:aws", "us-east-1");
        const children = [ACL, IP_SET, LOG_GROUP, LOG_POLICY, LOGGING].flatMap((t) => run.ofType(t));
        assert.strictEqual(children.length, 8);
        for (const r of children) assert.ok(r.provider?.startsWith(`${provider.urn}::`), `${r.name}: ${r.provider}`);
        assert.deepStrictEqual(run.ofType(ASSOCIATION), []);
        assert.strictEqual(run.one(ACL).wireInputs.scope, "CLOUDFRONT");
        assert.strictEqual(run.one(ACL).wireInputs.name, "pos-prod-cloudfront");
        assert.deepStrictEqual(run.ofType(IP_SET).map((s) => s.wireInputs.scope), ["CLOUDFRONT", "CLOUDFRONT", "CLOUDFRONT", "CLOUDFRONT"]);
        assert.deepStrictEqual(run.one(LOG_GROUP).wireInputs, { name: "aws-waf-logs-pos-prod-cloudfront", kmsKeyId: EDGE_LOGS_KEY_ARN, retentionInDays: 365 });
        assert.strictEqual(run.one(LOG_GROUP).retainOnDelete, false);
    });
});

describe("LogsKey", () => {
    it("creates one rotating logs key in its provider's region, kept on delete, protected as asked, with its alias", async () => {
        const invokes: ProviderInvoke[] = [];
        const run = await runUnderMocks(() => {
            recordProviderInvokes(invokes);
            new LogsKey("edge-logs-key", { kms: { deletionWindowDays: 30 }, namePrefix: "pos-prod", suffix: "edge-logs", protect: true }, { providers: [usEast1()] });
        }, "prod");
        const provider = run.one("pulumi:providers:aws", "us-east-1").urn;
        assert.deepStrictEqual(invokes.map((i) => [i.token, i.provider?.startsWith(`${provider}::`)]).sort(), [
            ["aws:index/getCallerIdentity:getCallerIdentity", true], ["aws:index/getPartition:getPartition", true], ["aws:index/getRegion:getRegion", true],
        ]);
        const key = run.one("aws:kms/key:Key", "edge-logs-key");
        assert.strictEqual(run.byUrn(key.parent)?.type, "baseline:security:LogsKey");
        assert.deepStrictEqual([key.protect, key.retainOnDelete, key.wireInputs.enableKeyRotation, key.wireInputs.deletionWindowInDays], [true, true, true, 30]);
        const logs = JSON.parse(key.wireInputs.policy).Statement[1];
        assert.deepStrictEqual([logs.Principal, logs.Condition], [
            { Service: "logs.us-east-1.amazonaws.com" },
            { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-east-1:${MOCK_ACCOUNT_ID}:log-group:*` } },
        ]);
        assert.strictEqual(run.one("aws:kms/alias:Alias", "edge-logs-key-alias").wireInputs.name, "alias/pos-prod-edge-logs");
    });

    it("refuses a reserved alias or a deletion window AWS refuses", () => {
        assert.throws(() => new LogsKey("k", { kms: { deletionWindowDays: 30 }, namePrefix: "aws/x", suffix: "edge-logs", protect: false }), {
            message: 'LogsKey k: alias "alias/aws/x-edge-logs" is not allowed: expected namePrefix and suffix of letters, digits, "/", "_" or "-" (namePrefix not starting with "aws/"), at most 256 characters in all.',
        });
        assert.throws(() => new LogsKey("k", { kms: { deletionWindowDays: 5 }, namePrefix: "pos-prod", suffix: "edge-logs", protect: false }), {
            message: "LogsKey k: kms.deletionWindowDays is 5, expected a whole number of days from 7 to 30.",
        });
    });
});

describe("WebFirewall validation", () => {
    const problems = (change: Partial<WebFirewallArgs>) => webFirewallProblems({ ...REGIONAL_ARGS, ...change });

    it("accepts the ACLs the program builds", () => {
        assert.deepStrictEqual(problems({}), []);
        assert.deepStrictEqual(webFirewallProblems(CLOUDFRONT_ARGS), []);
    });

    it("names the argument, the value and what is allowed", () => {
        assert.deepStrictEqual(problems({ associateWith: undefined }), ['associateWith = (unset) is not allowed: expected the ARN of the load balancer the REGIONAL ACL protects (unassociated, it protects nothing)']);
        assert.deepStrictEqual(webFirewallProblems({ ...CLOUDFRONT_ARGS, associateWith: ALB_ARN, clientAddress: "forwarded" }), [
            `associateWith = ${JSON.stringify(ALB_ARN)} is not allowed: expected unset for scope CLOUDFRONT: the distribution names its ACL in its own webAclId`,
            `clientAddress = "forwarded" is not allowed: expected "source" for scope CLOUDFRONT: CloudFront is the entry and sees the viewer's own address`,
        ]);
        assert.deepStrictEqual(webFirewallProblems({ ...CLOUDFRONT_ARGS, logs: { kmsKeyArn: LOGS_KEY_ARN, retentionDays: 365 } }), [
            `logs.kmsKeyArn = ${JSON.stringify(LOGS_KEY_ARN)} is not allowed: expected a key in us-east-1, where the CLOUDFRONT ACL's log group is (a log group can only use a key of its own region)`,
        ]);
        assert.deepStrictEqual(problems({ scope: "GLOBAL" as never, clientAddress: "proxy" as never, logs: { kmsKeyArn: "alias/logs", retentionDays: 0 } }), [
            'scope = "GLOBAL" is not allowed: expected one of "REGIONAL", "CLOUDFRONT"',
            'clientAddress = "proxy" is not allowed: expected one of "source", "forwarded"',
            "logs.retentionDays = 0 is not allowed: expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
        ]);
        assert.deepStrictEqual(problems({ logs: { kmsKeyArn: "alias/logs", retentionDays: 30 } }), ['logs.kmsKeyArn = "alias/logs" is not allowed: expected a KMS key ARN, such as arn:aws:kms:us-east-1:123456789012:key/<id>']);
    });

    it("refuses a name prefix that makes a name AWS refuses", () => {
        assert.deepStrictEqual(problems({ namePrefix: "Pos_Prod" }), ['namePrefix = "Pos_Prod" is not allowed: expected lowercase letters and digits in words joined by single hyphens, such as pos-prod']);
        const long = "a".repeat(106);
        assert.deepStrictEqual(problems({ namePrefix: `${long}bc` }), [
            `namePrefix = "${long}bc" is not allowed: expected at most 107 characters, so that the IP set name "${long}bc-regional-ip-allow-v6" stays within AWS's 128`,
        ]);
        assert.deepStrictEqual(problems({ namePrefix: `${long}b` }), []);
        assert.deepStrictEqual(webFirewallProblems({ ...CLOUDFRONT_ARGS, namePrefix: long }), [
            `namePrefix = "${long}" is not allowed: expected at most 105 characters, so that the IP set name "${long}-cloudfront-ip-allow-v6" stays within AWS's 128`,
        ]);
    });

    it("runs the baseline:waf checks and refuses an encoded path prefix", () => {
        assert.deepStrictEqual(problems({ waf: plain({ rateLimit: 5, countedRules: [{ group: "AWSManagedRulesBotControlRuleSet", rule: "X", reason: "because reasons" }] }) }), [
            "waf.rateLimit = 5 is not allowed: expected an integer from 10 to 2000000000",
            'waf.countedRules[0].group = "AWSManagedRulesBotControlRuleSet" is not allowed: expected one of "AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"',
        ]);
        assert.deepStrictEqual(problems({ waf: plain({ rateLimitPathPrefix: "/%6Cogin" }) }), ['waf.rateLimitPathPrefix = "/%6Cogin" is not allowed: expected a prefix without "%": requests are compared after URL decoding, so write the path decoded']);
    });

    it("throws every problem at once before anything is registered", async () => {
        const result = await runProgram(() => new WebFirewall("edge-waf", { ...REGIONAL_ARGS, associateWith: undefined, waf: plain({ rateLimit: 5 }) }), { stack: "prod", config: stackConfig("prod") });
        assert.strictEqual((result.error as Error).message, [
            "WebFirewall has invalid arguments:",
            "  - waf.rateLimit = 5 is not allowed: expected an integer from 10 to 2000000000",
            "  - associateWith = (unset) is not allowed: expected the ARN of the load balancer the REGIONAL ACL protects (unassociated, it protects nothing)",
        ].join("\n"));
        assert.deepStrictEqual(result.resources, []);
    });
});

describe("WebFirewall with the load balancer, under the whole pack", () => {
    for (const firstPreview of [false, true]) {
        it(`meets every mandatory policy but prod's CloudFront requirement (no distribution here), and the ALB counts as protected${firstPreview ? " (first preview)" : ""}`, async () => {
            const run = await runUnderMocks(() => {
                const { lb } = edge();
                new WebFirewall("edge-waf", { ...REGIONAL_ARGS, associateWith: lb.arn });
            }, "prod", {}, { firstPreview });
            const { "alb-waf-attached": _exemption, ...config } = readPolicyConfig(policyConfigPath("prod"));
            const { diagnostics } = await evaluate(run.resources.map(toEvalResource), { policies: ALL_POLICIES, config: resolvePolicyConfig(ALL_POLICIES, { ...config, ...PACK_CONFIG }) });
            const mandatory = new Set(ALL_POLICIES.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name));
            // The load balancer alone, with its WAF: prod's policy config still wants CloudFront in front of it.
            assert.deepStrictEqual(blockingOf(diagnostics, mandatory).map((d) => [d.policyName, d.urn?.split("::").pop()]), [["edge-cloudfront-required", "edge-alb"]]);
            assert.deepStrictEqual(diagnostics.filter((d) => d.policyName.startsWith("waf-") || d.policyName === "alb-waf-attached" || d.policyName.startsWith("logs-")).map((d) => `${d.policyName}: ${d.message}`), []);
        });
    }
});
