import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { edgeCloudFrontRequired, edgeNoCloudFrontBypass, edgeOriginHeader, edgePolicies } from "../../policies/edge/fronting";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_NUMBER, messages, res, run } from "./helpers";

/**
 * The edge as the program builds it behind CloudFront: the load balancer's group admits only CloudFront's
 * origin-facing prefix list on 443, the HTTPS listener answers 403 unless a rule sees the origin header,
 * and the distribution reaches the load balancer as origin.<domain>, a Route 53 alias to it.
 */
type Opts = Parameters<typeof res>[2];
const urn = (type: Function, name: string) => res(type as any, {}, { name }).urn;
const lbUrn = urn(aws.lb.LoadBalancer, "edge-alb");
const sgUrn = urn(aws.ec2.SecurityGroup, "lb-sg");
const listenerUrn = urn(aws.lb.Listener, "edge-https");
const onGroup: Opts = { propertyDependencies: { securityGroupId: [sgUrn] } };

const lb = (props: Record<string, unknown> = {}, o: Opts = {}) => res(aws.lb.LoadBalancer, {
    loadBalancerType: "application", internal: false, securityGroups: [UNKNOWN], dnsName: UNKNOWN, ...props,
}, { name: "edge-alb", propertyDependencies: { securityGroups: [sgUrn] }, ...o });
const group = (props: Record<string, unknown> = {}) => res(aws.ec2.SecurityGroup, { vpcId: UNKNOWN, description: "Application load balancer", ...props }, { name: "lb-sg" });
const ingress = (props: Record<string, unknown>, name = "lb-in-https-cloudfront") =>
    res(aws.vpc.SecurityGroupIngressRule, { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: "HTTPS", ...props }, { name, ...onGroup });
const fromCloudFront = ingress({ prefixListId: "pl-4fa04526" });
const FORBIDDEN = { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Forbidden", statusCode: "403" } };
const listener = (props: Record<string, unknown> = {}, name = "edge-https") => res(aws.lb.Listener, {
    loadBalancerArn: UNKNOWN, port: 443, protocol: "HTTPS", defaultActions: [FORBIDDEN], ...props,
}, { name, propertyDependencies: { loadBalancerArn: [lbUrn] } });
const header = { httpHeader: { httpHeaderName: "X-Origin-Verify", values: [UNKNOWN] } };
const listenerRule = (conditions: unknown = [{ pathPattern: { values: ["/*"] } }, header], actions: unknown = [{ type: "forward", targetGroupArn: UNKNOWN }]) =>
    res(aws.lb.ListenerRule, { listenerArn: UNKNOWN, priority: 10, actions, conditions }, { name: "api", propertyDependencies: { listenerArn: [listenerUrn] } });
const record = (props: Record<string, unknown> = {}, deps: Record<string, string[]> = { aliases: [lbUrn] }) => res(aws.route53.Record, {
    name: "origin.pos.example.com", type: "A", zoneId: UNKNOWN, aliases: [{ name: UNKNOWN, zoneId: UNKNOWN, evaluateTargetHealth: true }], ...props,
}, { name: "edge-origin", propertyDependencies: deps });
const appOrigin = { originId: "app", domainName: "origin.pos.example.com", customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] } };
const dist = (origins: unknown = [appOrigin], o: Opts = {}) => res(aws.cloudfront.Distribution, { enabled: true, origins }, { name: "cdn", ...o });
/** The program's edge behind CloudFront, with `extra` resources added. */
const edge = (...extra: ReturnType<typeof res>[]) => [lb(), group(), fromCloudFront, listener(), listenerRule(), record(), dist(), ...extra];
const cannot = (diags: { enforcementLevel: string; message: string }[]) => diags.map((d) => [d.enforcementLevel, d.message.replace(/ Re-run.*$/, "")]);
const bypass = (where: string, traffic: string, from: string, port = "443") =>
    `Load balancer behind CloudFront must admit only CloudFront: ${where} allows ${traffic} from ${from} to listener port ${port} of "edge-alb", which distribution "cdn" fronts, so requests can bypass CloudFront and its WAF, expected ingress only from CloudFront's origin-facing prefix list (com.amazonaws.global.cloudfront.origin-facing).`;

describe("policies: edge", () => {
    it("exports every policy once", () => {
        assert.deepStrictEqual(edgePolicies.map((p) => p.name), ["edge-no-cloudfront-bypass", "edge-origin-header", "edge-cloudfront-required"]);
    });

    it("passes the program's shape: prefix-list ingress only, a 403 default, rules on the origin header", async () => {
        assert.deepStrictEqual(await run(edgePolicies, edge()), []);
        // Egress is not ingress: the load balancer reaching out to anywhere admits no one.
        const egress = res(aws.vpc.SecurityGroupEgressRule, { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, { name: "lb-out", ...onGroup });
        assert.deepStrictEqual(await run(edgePolicies, edge(egress)), []);
        assert.deepStrictEqual(await run(edgeCloudFrontRequired, edge(), { requireCloudFront: true }), []);
    });

    describe("edge-no-cloudfront-bypass", () => {
        it("rejects world-open ingress on the listener port in every rule shape, reported on the rule, as mandatory", async () => {
            const world4 = ingress({ cidrIpv4: "0.0.0.0/0" }, "lb-in-https-v4");
            const world6 = res(aws.ec2.SecurityGroupRule, { type: "ingress", securityGroupId: UNKNOWN, protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }, { name: "lb-all-v6", ...onGroup });
            const inline = group({ ingress: [{ protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"] }] });
            const resources = [lb(), inline, fromCloudFront, world4, world6, listener(), listenerRule(), record(), dist()];
            const diags = await run(edgeNoCloudFrontBypass, resources);
            assert.deepStrictEqual(messages(diags), [
                bypass('"lb-sg" ingress[0]', "tcp 0-65535", "0.0.0.0/0"),
                bypass('rule "lb-in-https-v4" on "lb-sg"', "tcp 443", "0.0.0.0/0"),
                bypass('rule "lb-all-v6" on "lb-sg"', "all traffic", "::/0"),
            ]);
            assert.deepStrictEqual(diags.map((d) => [d.enforcementLevel, d.urn]), [["mandatory", inline.urn], ["mandatory", world4.urn], ["mandatory", world6.urn]]);
        });
        it("joins the distribution to the load balancer every way: its DNS name by dependency or literal, a record by dependency or name", async () => {
            const world = ingress({ cidrIpv4: "0.0.0.0/0" }, "world");
            const base = [lb({ dnsName: "edge-alb-1.eu-west-1.elb.amazonaws.com" }), group(), world, listener()];
            const ways = [
                [dist([{ ...appOrigin, domainName: UNKNOWN }], { propertyDependencies: { origins: [lbUrn] } })],
                [dist([{ ...appOrigin, domainName: "EDGE-ALB-1.eu-west-1.elb.amazonaws.com." }])],
                [record(), dist([{ ...appOrigin, domainName: UNKNOWN }], { propertyDependencies: { origins: [record().urn] } })],
                [record(), dist()],
                [record({ aliases: [{ name: "dualstack.EDGE-ALB-1.eu-west-1.elb.amazonaws.com.", zoneId: "Z32O12XQLNTSW2", evaluateTargetHealth: true }] }, {}), dist()],
            ];
            for (const way of ways) assert.deepStrictEqual(messages(await run(edgeNoCloudFrontBypass, [...base, ...way])), [bypass('rule "world" on "lb-sg"', "tcp 443", "0.0.0.0/0")]);
        });
        it("passes a load balancer no distribution fronts, an internal one, and world-open ports no listener answers on", async () => {
            const world = ingress({ cidrIpv4: "0.0.0.0/0" }, "world");
            assert.deepStrictEqual(await run(edgeNoCloudFrontBypass, [lb(), group(), world, listener(), dist([{ ...appOrigin, domainName: "elsewhere.example.com" }])]), []);
            assert.deepStrictEqual(await run(edgeNoCloudFrontBypass, [lb({ internal: true }), group(), world, listener(), record(), dist()]), []);
            const port80 = ingress({ cidrIpv4: "0.0.0.0/0", fromPort: 80, toPort: 80 }, "http");
            assert.deepStrictEqual(await run(edgeNoCloudFrontBypass, [...edge(port80)]), []);
            // A listener on another port is judged on that port.
            const alt = ingress({ cidrIpv4: "0.0.0.0/0", fromPort: 8443, toPort: 8443 }, "alt");
            assert.deepStrictEqual(messages(await run(edgeNoCloudFrontBypass, edge(alt, listener({ port: 8443 }, "edge-alt")))), [bypass('rule "alt" on "lb-sg"', "tcp 8443", "0.0.0.0/0", "8443")]);
            // The same rule with a port 80 listener is a bypass.
            assert.deepStrictEqual(messages(await run(edgeNoCloudFrontBypass, edge(port80, listener({ port: 80, protocol: "HTTP" }, "edge-http")))), [
                bypass('rule "http" on "lb-sg"', "tcp 80", "0.0.0.0/0", "80"),
            ]);
        });
        it("reports what preview leaves open as unverifiable: groups, a source, a port, a rule's group, the distribution's origins", async () => {
            const requirement = 'Cannot verify during preview that load balancer "edge-alb", behind CloudFront, admits no internet traffic on its listener ports';
            assert.deepStrictEqual(cannot(await run(edgeNoCloudFrontBypass, [lb({ securityGroups: UNKNOWN_ARRAY }, { propertyDependencies: {} }), group(), fromCloudFront, listener(), record(), dist()])), [
                ["advisory", `${requirement}: securityGroups is (unknown until apply).`],
            ]);
            assert.deepStrictEqual(cannot(await run(edgeNoCloudFrontBypass, edge(ingress({ cidrIpv4: UNKNOWN }, "pending")))), [
                ["advisory", `${requirement}: cidrIpv4 is (unknown until apply).`],
            ]);
            assert.deepStrictEqual(cannot(await run(edgeNoCloudFrontBypass, edge(ingress({ cidrIpv4: "0.0.0.0/0", toPort: UNKNOWN_NUMBER }, "ports")))), [
                ["advisory", `${requirement}: toPort is (unknown until apply).`],
            ]);
            const unplaced = res(aws.vpc.SecurityGroupIngressRule, { securityGroupId: UNKNOWN, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }, { name: "somewhere" });
            assert.deepStrictEqual(cannot(await run(edgeNoCloudFrontBypass, edge(unplaced))), [["advisory", `${requirement}: securityGroupId is (unknown until apply).`]]);
            const world = ingress({ cidrIpv4: "0.0.0.0/0" }, "world");
            assert.deepStrictEqual(cannot(await run(edgeNoCloudFrontBypass, [lb(), group(), world, listener(), dist(UNKNOWN_ARRAY)])), [
                ["advisory", `${requirement} (whether CloudFront fronts it): origins is (unknown until apply).`],
            ]);
        });
    });

    describe("edge-origin-header", () => {
        it("flags a listener that forwards by default and a forwarding rule without the header, as advisory", async () => {
            const forwarding = listener({ defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] });
            const diags = await run(edgeOriginHeader, [lb(), group(), fromCloudFront, forwarding, listenerRule([{ pathPattern: { values: ["/*"] } }]), record(), dist()]);
            assert.deepStrictEqual(messages(diags), [
                "Listener of a load balancer behind CloudFront should forward only requests carrying the origin header: its default action reaches the targets without a condition, expected a fixed-response default (403) and forwarding rules with an http-header condition.",
                "Listener rule of a load balancer behind CloudFront should require the origin header: conditions has no http-header condition, expected one matching the secret value CloudFront sends.",
            ]);
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["advisory", "advisory"]);
        });
        it("ignores rules that do not forward and load balancers not behind CloudFront; honours a configured header name", async () => {
            assert.deepStrictEqual(await run(edgeOriginHeader, edge(listenerRule([], [FORBIDDEN]))), []);
            assert.deepStrictEqual(await run(edgeOriginHeader, [lb(), listener({ defaultActions: [{ type: "forward" }] }), listenerRule([])]), []);
            assert.deepStrictEqual(messages(await run(edgeOriginHeader, edge(), { originHeaderName: "X-Edge-Secret" })), [
                'Listener rule of a load balancer behind CloudFront should require the origin header: conditions has http-header conditions on "X-Origin-Verify", expected one on X-Edge-Secret matching the secret value CloudFront sends.',
            ]);
        });
        it("flags a header condition whose values can be guessed (a wildcard, or short), without printing a value; passes a generated one", async () => {
            const withValues = (...values: string[]) => edge(listenerRule([{ pathPattern: { values: ["/*"] } }, { httpHeader: { httpHeaderName: "X-Origin-Verify", values } }]));
            const expected = (weakness: string) => [`Listener rule of a load balancer behind CloudFront should require a secret origin header: ${weakness}, expected generated values of at least 32 characters without * or ? (ALB reads them as wildcards).`];
            assert.deepStrictEqual(messages(await run(edgeOriginHeader, withValues("*"))), expected("value 1 of 1 holds * or ?, which ALB reads as wildcards, so the condition matches guessed values"));
            assert.deepStrictEqual(messages(await run(edgeOriginHeader, withValues("a".repeat(64), "abc?".repeat(10)))), expected("value 2 of 2 holds * or ?, which ALB reads as wildcards, so the condition matches guessed values"));
            assert.deepStrictEqual(messages(await run(edgeOriginHeader, withValues("letmein"))), expected("value 1 of 1 has 7 characters"));
            assert.deepStrictEqual(messages(await run(edgeOriginHeader, withValues("x".repeat(31)))), expected("value 1 of 1 has 31 characters"));
            assert.deepStrictEqual(await run(edgeOriginHeader, withValues("A1b2".repeat(8))), []);
            assert.deepStrictEqual(await run(edgeOriginHeader, withValues("A1b2".repeat(16), "Z9y8".repeat(16))), []);
            assert.deepStrictEqual(messages(await run(edgeOriginHeader, withValues("A1b2".repeat(4)), { minimumValueLength: 8 })), []);
        });

        it("reports conditions and action types unknown until apply as unverifiable", async () => {
            const requirement = 'Cannot verify during preview that listeners of load balancer "edge-alb", behind CloudFront, forward only requests with the origin header';
            assert.deepStrictEqual(cannot(await run(edgeOriginHeader, [lb(), group(), fromCloudFront, listener(), listenerRule(UNKNOWN_ARRAY), record(), dist()])), [
                ["advisory", `${requirement}: conditions is (unknown until apply).`],
            ]);
            assert.deepStrictEqual(cannot(await run(edgeOriginHeader, [lb(), listener({ defaultActions: [{ type: UNKNOWN }] }), record(), dist()])), [
                ["advisory", `${requirement}: defaultActions[0].type is (unknown until apply).`],
            ]);
        });
    });

    describe("edge-cloudfront-required", () => {
        const association = res(aws.wafv2.WebAclAssociation, { resourceArn: UNKNOWN, webAclArn: UNKNOWN }, { name: "edge-waf", propertyDependencies: { resourceArn: [lbUrn] } });
        const noCloudFront = "Internet-facing application load balancer must be behind CloudFront: no CloudFront distribution of the stack has it (its DNS name, or a Route 53 record aliasing it) as an origin, expected a distribution in front of it (this stack's policy config requires CloudFront).";
        it("by default, flags only an internet-facing ALB with neither CloudFront nor a WAF, as advisory", async () => {
            const diags = await run(edgeCloudFrontRequired, [lb(), listener()]);
            assert.deepStrictEqual(messages(diags), [
                "Internet-facing application load balancer must be behind CloudFront or a WAF: no CloudFront distribution of the stack has it as an origin and no aws.wafv2.WebAclAssociation takes its ARN, expected either.",
            ]);
            assert.deepStrictEqual(diags.map((d) => [d.enforcementLevel, d.urn]), [["advisory", lbUrn]]);
            assert.deepStrictEqual(await run(edgeCloudFrontRequired, [lb(), association]), []);
            assert.deepStrictEqual(await run(edgeCloudFrontRequired, [lb({ internal: true })]), []);
            assert.deepStrictEqual(await run(edgeCloudFrontRequired, [lb({ loadBalancerType: "network" })]), []);
        });
        it("with requireCloudFront, a WAF alone is not enough; a distribution elsewhere does not count", async () => {
            assert.deepStrictEqual(messages(await run(edgeCloudFrontRequired, [lb(), association], { requireCloudFront: true })), [noCloudFront]);
            assert.deepStrictEqual(messages(await run(edgeCloudFrontRequired, [lb(), dist([{ ...appOrigin, domainName: "elsewhere.example.com" }])], { requireCloudFront: true })), [noCloudFront]);
        });
        it("reports an undecidable join as unverifiable", async () => {
            const diags = await run(edgeCloudFrontRequired, [lb(), dist(UNKNOWN_ARRAY)], { requireCloudFront: true });
            assert.deepStrictEqual(cannot(diags), [["advisory", 'Cannot verify during preview that load balancer "edge-alb" is internal or behind CloudFront: origins is (unknown until apply).']]);
            const unplaced = res(aws.wafv2.WebAclAssociation, { resourceArn: UNKNOWN, webAclArn: UNKNOWN }, { name: "edge-waf" });
            assert.deepStrictEqual(cannot(await run(edgeCloudFrontRequired, [lb(), unplaced])), [
                ["advisory", 'Cannot verify during preview that load balancer "edge-alb" is internal or behind CloudFront or a WAF: resourceArn is (unknown until apply).'],
            ]);
        });
    });
});
