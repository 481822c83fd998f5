import * as assert from "assert";
import { ALL_POLICIES } from "../policies/all";
import { Diagnostic, evaluate, resolvePolicyConfig } from "../tools/offline/evaluate";
import { blockingOf, policyConfigPath, readPolicyConfig, toEvalResource } from "../tools/offline/stack-check";
import { RecordedResource, Run, isSecret, runStack } from "./harness";

/**
 * The edge as the whole program wires it, per stack: which web ACL sits where and in which region, what
 * reaches the load balancer, which header the services' rules require, where the domain points, and
 * who may read the assets and their key. The components' own inputs are pinned by their tests
 * (edge-firewall, edge-distribution, edge-load-balancer, edge-records); this is the wiring between them.
 */
const T = {
    provider: "pulumi:providers:aws",
    acl: "aws:wafv2/webAcl:WebAcl",
    association: "aws:wafv2/webAclAssociation:WebAclAssociation",
    logging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    distribution: "aws:cloudfront/distribution:Distribution",
    certificate: "aws:acm/certificate:Certificate",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    listener: "aws:lb/listener:Listener",
    rule: "aws:lb/listenerRule:ListenerRule",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    record: "aws:route53/record:Record",
    key: "aws:kms/key:Key",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    delivery: "aws:cloudwatch/logDelivery:LogDelivery",
    token: "random:index/randomPassword:RandomPassword",
};
const ACCOUNT = "123456789012";
const unwrap = (v: any) => (isSecret(v) ? v.value : v);
const from = (run: Run, r: RecordedResource, input: string) => (r.propertyDependencies[input] ?? []).map((u) => run.byUrn(u)?.name).sort();
const US_EAST_1 = (run: Run) => `${run.one(T.provider, "us-east-1").urn}::`;
const inUsEast1 = (run: Run, r: RecordedResource) => r.provider?.startsWith(US_EAST_1(run)) === true;

async function diagnostics(run: Run, stack: string): Promise<Diagnostic[]> {
    const config = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath(stack)));
    return (await evaluate(run.resources.map(toEvalResource), { policies: ALL_POLICIES, config })).diagnostics;
}

for (const stack of ["prod", "staging"] as const) {
    const domain = stack === "prod" ? "pos.example.com" : "pos.staging.example.com";
    describe(`the edge of the ${stack} stack`, () => {
        let run: Run;
        before(async () => {
            run = await runStack(stack);
        });

        it("creates CloudFront's certificate, web ACL and their logs through a us-east-1 provider that carries the stack's tags", () => {
            const provider = run.one(T.provider, "us-east-1");
            assert.deepStrictEqual([provider.name, provider.inputs.region, JSON.parse(provider.wireInputs.defaultTags).tags.Environment], ["us-east-1", "us-east-1", stack]);
            assert.ok(inUsEast1(run, run.one(T.certificate, "edge-cdn-certificate")));
            assert.ok(inUsEast1(run, run.one(T.acl, "edge-cdn-waf-acl")));
            assert.ok(inUsEast1(run, run.one(T.logGroup, "edge-cdn-waf-log-group")));
            assert.ok(inUsEast1(run, run.one(T.key, "edge-logs-key")));
            assert.ok(inUsEast1(run, run.one(T.delivery)));
            assert.strictEqual(provider.inputs.profile, undefined);
            // The load balancer's side stays in the stack's region.
            for (const r of [run.one(T.acl, "edge-waf-acl"), run.one(T.certificate, "edge-certificate"), run.one(T.lb)]) assert.ok(!inUsEast1(run, r), r.name);
        });

        it("puts the CLOUDFRONT web ACL on the distribution and the REGIONAL one on the load balancer, each logging with headers redacted", () => {
            const cdnAcl = run.one(T.acl, "edge-cdn-waf-acl");
            const albAcl = run.one(T.acl, "edge-waf-acl");
            assert.deepStrictEqual([cdnAcl.inputs.scope, cdnAcl.inputs.name, albAcl.inputs.scope, albAcl.inputs.name], ["CLOUDFRONT", `pos-${stack}-cloudfront`, "REGIONAL", `pos-${stack}-regional`]);
            const dist = run.one(T.distribution);
            assert.deepStrictEqual(from(run, dist, "webAclId"), ["edge-cdn-waf-acl"]);
            assert.match(dist.inputs.webAclId, new RegExp(`^arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/pos-${stack}-cloudfront/`));
            const association = run.one(T.association);
            assert.deepStrictEqual([from(run, association, "resourceArn"), from(run, association, "webAclArn")], [["edge-alb"], ["edge-waf-acl"]]);
            for (const logging of run.ofType(T.logging)) {
                // The regional ACL sees CloudFront's origin token on every request: it never reaches the logs.
                assert.deepStrictEqual(logging.inputs.redactedFields, [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }, { singleHeader: { name: "x-origin-verify" } }], logging.name);
            }
            assert.deepStrictEqual(run.ofType(T.logging).map((l) => from(run, l, "resourceArn")).sort(), [["edge-cdn-waf-acl"], ["edge-waf-acl"]]);
        });

        it("limits the rate on the client's address at CloudFront, and on the forwarded address behind it", () => {
            const rate = (acl: string) => run.one(T.acl, acl).inputs.rules.find((r: any) => r.statement.rateBasedStatement).statement.rateBasedStatement;
            assert.deepStrictEqual([rate("edge-cdn-waf-acl").aggregateKeyType, rate("edge-cdn-waf-acl").limit], ["IP", 2000]);
            assert.deepStrictEqual([rate("edge-waf-acl").aggregateKeyType, rate("edge-waf-acl").forwardedIpConfig], ["FORWARDED_IP", { headerName: "X-Forwarded-For", fallbackBehavior: "MATCH" }]);
        });

        it("sends CloudFront to the load balancer's own name, on the load balancer's certificate, with the token the services' rules require", () => {
            const dist = run.one(T.distribution);
            const origin = unwrap(dist.inputs.origins).find((o: any) => o.customOriginConfig);
            assert.strictEqual(origin.domainName, `origin.${domain}`);
            assert.deepStrictEqual(run.one(T.certificate, "edge-certificate").inputs.subjectAlternativeNames, [`origin.${domain}`]);
            const token = origin.customHeaders.find((h: any) => h.name === "X-Origin-Verify").value;
            assert.ok(isSecret(dist.inputs.origins), "the distribution's origins hold the token as a secret");
            const rule = run.one(T.rule, "service-api-rule");
            assert.ok(isSecret(rule.inputs.conditions), "the listener rule holds the token as a secret");
            assert.deepStrictEqual(unwrap(rule.inputs.conditions).find((c: any) => c.httpHeader).httpHeader, { httpHeaderName: "X-Origin-Verify", values: [token] });
            // Version 1: one token, in the odd slot; no previous one is accepted.
            assert.deepStrictEqual(from(run, rule, "conditions"), ["edge-cdn-origin-token-odd"]);
            assert.deepStrictEqual(run.ofType(T.token).filter((t) => t.name.startsWith("edge-cdn")).map((t) => [t.name, t.inputs.special, t.inputs.keepers]), [["edge-cdn-origin-token-odd", false, { version: "1" }]]);
        });

        it("lets only CloudFront reach the load balancer: HTTPS from its prefix list, no port 80 listener, 403 without the header", () => {
            const own = run.ofType(T.ingress).filter((r) => from(run, r, "securityGroupId")[0] === "network-lb-sg");
            assert.deepStrictEqual(own.map((r) => [r.name, r.inputs.fromPort, r.inputs.prefixListId, r.inputs.cidrIpv4, r.inputs.cidrIpv6]), [["network-lb-in-https-cloudfront", 443, "pl-4fa04526", undefined, undefined]]);
            assert.deepStrictEqual(run.ofType(T.listener).map((l) => [l.name, l.inputs.port, l.inputs.defaultActions[0].fixedResponse?.statusCode]), [["edge-https", 443, "403"]]);
        });

        it("points the domain at the distribution (A and AAAA) and origin.<domain> at the load balancer", () => {
            const records = run.ofType(T.record).filter((r) => !r.name.includes("validation"));
            assert.deepStrictEqual(records.map((r) => [r.name, r.inputs.name, r.inputs.type, from(run, r, "aliases")]).sort(), [
                ["edge-dns-a", domain, "A", ["edge-cdn-distribution"]],
                ["edge-dns-aaaa", domain, "AAAA", ["edge-cdn-distribution"]],
                ["edge-dns-origin", `origin.${domain}`, "A", ["edge-alb"]],
            ]);
            assert.deepStrictEqual(run.one(T.record, "edge-dns-a").aliases, [`urn:pulumi:${stack}::baseline::baseline:edge:LoadBalancer$${T.record}::edge-alias`]);
        });

        it("lets this distribution alone read the public assets and decrypt them, and write its logs", () => {
            const dist = run.one(T.distribution).urn;
            for (const [type, name] of [[T.key, "keys-storage"], [T.bucketPolicy, "storage-assets-policy"]]) {
                const r = run.one(type, name);
                assert.ok(r.dependencies.includes(dist), `${name} takes the distribution's ARN`);
            }
            assert.ok(run.one(T.delivery).dependencies.includes(run.one(T.bucketPolicy, "storage-logs-policy").urn), "the delivery waits for the log bucket's policy");
        });

        it("passes the pack with the stack's policy config: nothing blocks, no edge finding at all", async () => {
            const ds = await diagnostics(run, stack);
            const mandatory = new Set(ALL_POLICIES.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name));
            assert.deepStrictEqual(blockingOf(ds, mandatory), []);
            const edge = /^(waf-|alb-|cloudfront-|edge-)/;
            assert.deepStrictEqual(ds.filter((d) => edge.test(d.policyName) && d.policyName !== "alb-deletion-protection").map((d) => `${d.policyName}: ${d.message}`), []);
        });

        it("keeps the pack's allowed counted rules equal to the stack's counted rules", () => {
            const config = readPolicyConfig(policyConfigPath(stack)) as Record<string, any>;
            assert.deepStrictEqual(config["waf-managed-rules"].allowedCountedRules, []);
        });
    });
}

describe("the us-east-1 provider of a stack that names an AWS profile", () => {
    it("uses the stack's profile too (an explicit provider reads no aws: config of its own)", async () => {
        const run = await runStack("prod", { "aws:profile": "pos-prod" });
        assert.deepStrictEqual([run.one(T.provider, "us-east-1").inputs.region, run.one(T.provider, "us-east-1").inputs.profile], ["us-east-1", "pos-prod"]);
    });
});

describe("a stack with CloudFront turned off", () => {
    let run: Run;
    before(async () => {
        run = await runStack("staging", { "baseline:edge": { cloudFront: false } });
    });

    it("has no distribution, no us-east-1 provider and no CLOUDFRONT web ACL, and keeps the regional one, on the client's own address", () => {
        for (const type of [T.distribution, T.provider, T.delivery]) assert.deepStrictEqual(run.ofType(type), [], type);
        assert.deepStrictEqual(run.ofType(T.acl).map((a) => [a.name, a.inputs.scope]), [["edge-waf-acl", "REGIONAL"]]);
        const rate = run.one(T.acl).inputs.rules.find((r: any) => r.statement.rateBasedStatement).statement.rateBasedStatement;
        assert.strictEqual(rate.aggregateKeyType, "IP");
        assert.deepStrictEqual(from(run, run.one(T.association), "resourceArn"), ["edge-alb"]);
    });

    it("makes the load balancer the public entry again: HTTP and HTTPS from the internet, port 80 redirecting, 404 for unmatched requests, no origin header", () => {
        const own = run.ofType(T.ingress).filter((r) => from(run, r, "securityGroupId")[0] === "network-lb-sg");
        assert.deepStrictEqual(own.map((r) => r.name).sort(), ["network-lb-in-http-ipv4", "network-lb-in-http-ipv6", "network-lb-in-https-ipv4", "network-lb-in-https-ipv6"]);
        assert.deepStrictEqual(run.ofType(T.listener).map((l) => [l.name, l.inputs.defaultActions[0].type, l.inputs.defaultActions[0].fixedResponse?.statusCode]).sort(), [
            ["edge-http", "redirect", undefined],
            ["edge-https", "fixed-response", "404"],
        ]);
        assert.ok(!JSON.stringify(unwrap(run.one(T.rule, "service-api-rule").inputs.conditions)).includes("httpHeader"));
        assert.strictEqual(run.one(T.certificate).inputs.subjectAlternativeNames, undefined);
        assert.deepStrictEqual(run.ofType(T.record).filter((r) => !r.name.includes("validation")).map((r) => [r.name, r.inputs.type, from(run, r, "aliases")]), [["edge-dns-a", "A", ["edge-alb"]]]);
    });

    it("passes the staging policy config, which reports the missing CloudFront as advisory", async () => {
        const ds = await diagnostics(run, "staging");
        const mandatory = new Set(ALL_POLICIES.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name));
        assert.deepStrictEqual(blockingOf(ds, mandatory), []);
        assert.deepStrictEqual(ds.filter((d) => d.policyName === "edge-cloudfront-required").map((d) => [d.enforcementLevel, d.urn?.split("::").pop()]), [["advisory", "edge-alb"]]);
    });

    it("is blocked by the prod policy config, which requires CloudFront in front", async () => {
        const prod = await runStack("prod", { "baseline:edge": { cloudFront: false } });
        const ds = await diagnostics(prod, "prod");
        const mandatory = new Set(ALL_POLICIES.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name));
        assert.deepStrictEqual(blockingOf(ds, mandatory).map((d) => [d.policyName, d.urn?.split("::").pop()]), [["edge-cloudfront-required", "edge-alb"]]);
    });
});

describe("a live stack moving behind CloudFront (loadBalancerOnlyFromCloudFront: false, for one update)", () => {
    let run: Run;
    const overrides = { "baseline:edge": { loadBalancerOnlyFromCloudFront: false } };
    before(async () => {
        run = await runStack("prod", overrides);
    });

    it("points the domain at CloudFront yet leaves the load balancer as it was: open to the internet, port 80 redirecting, no header required", () => {
        const records = run.ofType(T.record).filter((r) => !r.name.includes("validation"));
        assert.deepStrictEqual(records.map((r) => [r.name, from(run, r, "aliases")]).sort(), [
            ["edge-dns-a", ["edge-cdn-distribution"]], ["edge-dns-aaaa", ["edge-cdn-distribution"]], ["edge-dns-origin", ["edge-alb"]],
        ]);
        const own = run.ofType(T.ingress).filter((r) => from(run, r, "securityGroupId")[0] === "network-lb-sg");
        assert.deepStrictEqual(own.map((r) => r.name).sort(), ["network-lb-in-http-ipv4", "network-lb-in-http-ipv6", "network-lb-in-https-ipv4", "network-lb-in-https-ipv6"]);
        assert.deepStrictEqual(run.ofType(T.listener).map((l) => l.name).sort(), ["edge-http", "edge-https"]);
        assert.ok(!JSON.stringify(unwrap(run.one(T.rule, "service-api-rule").inputs.conditions)).includes("httpHeader"));
        assert.deepStrictEqual(run.one(T.certificate, "edge-certificate").inputs.subjectAlternativeNames, ["origin.pos.example.com"]);
    });

    it("keeps the regional ACL on the forwarded address: most requests already come through CloudFront, whose edge addresses it must not limit or filter", async () => {
        const rate = run.one(T.acl, "edge-waf-acl").inputs.rules.find((r: any) => r.statement.rateBasedStatement).statement.rateBasedStatement;
        assert.strictEqual(rate.aggregateKeyType, "FORWARDED_IP");
        // With an allow-list, the list sits on CloudFront's ACL only: on the regional one it would refuse every edge address.
        const listed = await runStack("prod", { "baseline:edge": { loadBalancerOnlyFromCloudFront: false }, "baseline:waf": { ipAllowList: ["203.0.113.0/24"] } });
        assert.deepStrictEqual(listed.ofType("aws:wafv2/ipSet:IpSet").map((s) => [s.name, inUsEast1(listed, s)]), [["edge-cdn-waf-ip-allow-v4", true]]);
    });

    it("is blocked by the prod pack as a bypass of CloudFront until it is closed (an exemption with a reason lets the one update through)", async () => {
        const ds = await diagnostics(run, "prod");
        const mandatory = new Set(ALL_POLICIES.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name));
        assert.deepStrictEqual(blockingOf(ds, mandatory).map((d) => [d.policyName, d.urn?.split("::").pop()]).sort(), [
            ["edge-no-cloudfront-bypass", "network-lb-in-http-ipv4"], ["edge-no-cloudfront-bypass", "network-lb-in-http-ipv6"],
            ["edge-no-cloudfront-bypass", "network-lb-in-https-ipv4"], ["edge-no-cloudfront-bypass", "network-lb-in-https-ipv6"],
            ["edge-origin-header", "service-api-rule"],
        ]);
    });
});
