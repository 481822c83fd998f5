import * as aws from "@pulumi/aws";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { mockCall, mockResourceOutputs } from "../tools/offline/mock-outputs";
import { runProgram } from "../tools/offline/run-program";
import { stackConfig } from "./harness";

const UNKNOWN = "<unknown>";

/** An output's value, or UNKNOWN when the mocks left it unknown (first preview). */
async function valueOf(o: unknown): Promise<unknown> {
    const out: any = pulumi.output(o);
    return (await out.isKnown) ? out.promise() : UNKNOWN;
}

/** Run `program` on the prod stack (eu-west-1) under mocks; return what it returns, resolved, and the error it hit. */
async function outputsOf(program: () => Record<string, unknown>, firstPreview = false): Promise<{ values: Record<string, unknown>; error?: unknown }> {
    const result = await runProgram(program, { stack: "prod", config: stackConfig("prod"), firstPreview });
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(result.outputs ?? {})) values[k] = await valueOf(v);
    return { values, error: result.error };
}

const VIS = { cloudwatchMetricsEnabled: true, metricName: "m", sampledRequestsEnabled: true };
const webAcl = (name: string, scope: string, opts: pulumi.CustomResourceOptions = {}) =>
    new aws.wafv2.WebAcl(name, {
        name: `pos-prod-${name}`, scope, defaultAction: { allow: {} }, visibilityConfig: VIS,
        rules: [
            { name: "crs", priority: 1, overrideAction: { none: {} }, statement: { managedRuleGroupStatement: { name: "AWSManagedRulesCommonRuleSet", vendorName: "AWS" } }, visibilityConfig: VIS },
            { name: "rate", priority: 2, action: { block: {} }, statement: { rateBasedStatement: { limit: 1000, aggregateKeyType: "IP" } }, visibilityConfig: VIS },
        ],
    }, opts);
const distribution = (args: Partial<aws.cloudfront.DistributionArgs> = {}) =>
    new aws.cloudfront.Distribution("cdn", {
        enabled: true, origins: [], defaultCacheBehavior: {} as any, restrictions: { geoRestriction: { restrictionType: "none" } },
        viewerCertificate: { cloudfrontDefaultCertificate: true }, ...args,
    });

/** Where a resource or invoke acts, read back from what the mocks return for it. */
function regionProbe(name: string, opts: pulumi.CustomResourceOptions | pulumi.InvokeOptions) {
    const key = new aws.kms.Key(`${name}-key`, {}, opts as pulumi.CustomResourceOptions);
    const logs = new aws.cloudwatch.LogGroup(`${name}-logs`, { name: `/pos/${name}` }, opts as pulumi.CustomResourceOptions);
    const cert = new aws.acm.Certificate(`${name}-cert`, { domainName: "pos.example.com", validationMethod: "DNS" }, opts as pulumi.CustomResourceOptions);
    const secret = new aws.secretsmanager.Secret(`${name}-secret`, { name: `pos/${name}` }, opts as pulumi.CustomResourceOptions);
    const region = aws.getRegionOutput({}, opts as pulumi.InvokeOptions);
    return { key: key.arn, logs: logs.arn, cert: cert.arn, secret: secret.arn, keyRegion: key.region, region: region.region };
}
const probeIn = (region: string, name: string) => ({
    key: `arn:aws:kms:${region}:123456789012:key/${name}-key-key-id`,
    logs: `arn:aws:logs:${region}:123456789012:log-group:/pos/${name}`,
    cert: new RegExp(`^arn:aws:acm:${region}:123456789012:certificate/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`),
    secret: `arn:aws:secretsmanager:${region}:123456789012:secret:pos/${name}-AbCdEf`,
    keyRegion: region,
    region,
});
function assertProbe(values: Record<string, unknown>, prefix: string, region: string, name: string) {
    const want = probeIn(region, name);
    for (const [k, v] of Object.entries(want)) {
        const got = values[`${prefix}.${k}`];
        if (v instanceof RegExp) assert.match(String(got), v, `${prefix}.${k}`);
        else assert.strictEqual(got, v, `${prefix}.${k}`);
    }
}
const flat = (prefix: string, o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [`${prefix}.${k}`, v]));

describe("offline mocks: the region of an explicit provider", () => {
    it("gives a resource or invoke created with { provider } that provider's region, and the rest the stack's", async () => {
        const { values } = await outputsOf(() => {
            const use1 = new aws.Provider("use1", { region: "us-east-1" });
            return { ...flat("use1", regionProbe("use1", { provider: use1 })), ...flat("stack", regionProbe("stack", {})) };
        });
        assertProbe(values, "use1", "us-east-1", "use1");
        assertProbe(values, "stack", "eu-west-1", "stack");
    });

    it("gives the children of a component created with { providers } (array or map) or { provider } the provider's region", async () => {
        const { values } = await outputsOf(() => {
            const use1 = new aws.Provider("use1", { region: "us-east-1" });
            const other = new aws.Provider("usw2", { region: "us-west-2" });
            const asArray = new pulumi.ComponentResource("test:edge:Cdn", "as-array", {}, { providers: [use1] });
            const asMap = new pulumi.ComponentResource("test:edge:Cdn", "as-map", {}, { providers: { aws: other } });
            const single = new pulumi.ComponentResource("test:edge:Cdn", "single", {}, { provider: use1 });
            // A component nested in one that was given providers inherits them too.
            const nested = new pulumi.ComponentResource("test:edge:Inner", "nested", {}, { parent: asArray });
            return {
                ...flat("array", regionProbe("array", { parent: asArray })), ...flat("map", regionProbe("map", { parent: asMap })),
                ...flat("single", regionProbe("single", { parent: single })), ...flat("nested", regionProbe("nested", { parent: nested })),
            };
        });
        assertProbe(values, "array", "us-east-1", "array");
        assertProbe(values, "map", "us-west-2", "map");
        assertProbe(values, "single", "us-east-1", "single");
        assertProbe(values, "nested", "us-east-1", "nested");
    });

    it("records the provider reference each child got: the provider's URN and its id", async () => {
        const result = await runProgram(() => {
            const use1 = new aws.Provider("use1", { region: "us-east-1" });
            const cdn = new pulumi.ComponentResource("test:edge:Cdn", "cdn", {}, { providers: [use1] });
            new aws.kms.Key("k", {}, { parent: cdn });
        }, { stack: "prod", config: stackConfig("prod") });
        assert.strictEqual(result.resources.find((r) => r.name === "k")?.provider, "urn:pulumi:prod::baseline::pulumi:providers:aws::use1::use1-id");
    });

    it("lets a resource's own region argument (aws v7) win over its provider's", async () => {
        const { values } = await outputsOf(() => {
            const use1 = new aws.Provider("use1", { region: "us-east-1" });
            const key = new aws.kms.Key("k", { region: "eu-central-1" }, { provider: use1 });
            return { key: key.arn, pl: aws.ec2.getManagedPrefixListOutput({ name: "com.amazonaws.global.cloudfront.origin-facing", region: "us-west-2" }, { provider: use1 }).id };
        });
        assert.deepStrictEqual(values, { key: "arn:aws:kms:eu-central-1:123456789012:key/k-key-id", pl: "pl-82a045eb" });
    });

    it("still resolves the provider at a first preview, when its id is unknown: invokes answer for its region, resources echo their inputs only", async () => {
        const { values } = await outputsOf(() => {
            const use1 = new aws.Provider("use1", { region: "us-east-1" });
            const acl = webAcl("edge", "CLOUDFRONT", { provider: use1 });
            return {
                region: aws.getRegionOutput({}, { provider: use1 }).region, stackRegion: aws.getRegionOutput({}).region,
                pl: aws.ec2.getManagedPrefixListOutput({ name: "com.amazonaws.global.cloudfront.origin-facing" }, { provider: use1 }).id,
                aclArn: acl.arn, aclId: acl.id, aclCapacity: acl.capacity, aclScope: acl.scope,
            };
        }, true);
        assert.deepStrictEqual(values, { region: "us-east-1", stackRegion: "eu-west-1", pl: "pl-3b927c52", aclArn: UNKNOWN, aclId: UNKNOWN, aclCapacity: UNKNOWN, aclScope: "CLOUDFRONT" });
    });
});

describe("offline mocks: edge outputs in AWS's formats", () => {
    it("WAF: a CLOUDFRONT web ACL in us-east-1 is global/, a regional IP set regional/; the id is the UUID at the end of the ARN", async () => {
        const { values } = await outputsOf(() => {
            const use1 = new aws.Provider("use1", { region: "us-east-1" });
            const acl = webAcl("edge", "CLOUDFRONT", { provider: use1 });
            const regional = webAcl("alb", "REGIONAL");
            const ipset = new aws.wafv2.IpSet("blocked", { name: "pos-prod-blocked", scope: "REGIONAL", ipAddressVersion: "IPV4", addresses: [] });
            return { id: acl.id, arn: acl.arn, capacity: acl.capacity, regionalArn: regional.arn, ipsetId: ipset.id, ipsetArn: ipset.arn };
        });
        assert.deepStrictEqual(values, {
            id: "5e63f3d9-7541-95bc-1063-fd53106e072e",
            arn: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/pos-prod-edge/5e63f3d9-7541-95bc-1063-fd53106e072e",
            capacity: 702, // AWSManagedRulesCommonRuleSet (700) + a rate-based rule (2)
            regionalArn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/pos-prod-alb/17bca6c1-34bb-f886-6c32-764f90b750b4",
            ipsetId: "ea4f2a49-c4aa-3550-8d2f-de8735894fd6",
            ipsetArn: "arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/pos-prod-blocked/ea4f2a49-c4aa-3550-8d2f-de8735894fd6",
        });
    });

    it("WAF: refuses the CLOUDFRONT scope outside us-east-1, as WAF does", () => {
        const args = { type: "aws:wafv2/webAcl:WebAcl", name: "edge", inputs: { name: "pos-prod-edge", scope: "CLOUDFRONT" }, provider: "", custom: true } as pulumi.runtime.MockResourceArgs;
        assert.throws(() => mockResourceOutputs(args, "eu-west-1", false), /WAFInvalidParameterException: .*SCOPE_VALUE/);
        assert.doesNotThrow(() => mockResourceOutputs(args, "us-east-1", false));
    });

    it("CloudFront: distribution, origin access control and response headers policy ids and ARNs; alias records (A and AAAA) to the distribution", async () => {
        const { values } = await outputsOf(() => {
            const dist = distribution();
            const oac = new aws.cloudfront.OriginAccessControl("oac", { name: "oac", originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" });
            const rhp = new aws.cloudfront.ResponseHeadersPolicy("headers", { name: "h" });
            const alias = (type: string) => new aws.route53.Record(type, { zoneId: "Z0123456789MOCKZONE", name: "pos.example.com", type, aliases: [{ name: dist.domainName, zoneId: dist.hostedZoneId, evaluateTargetHealth: false }] });
            const [a, aaaa] = [alias("A"), alias("AAAA")];
            return {
                id: dist.id, arn: dist.arn, domainName: dist.domainName, hostedZoneId: dist.hostedZoneId, status: dist.status,
                oac: oac.id, oacArn: oac.arn, rhp: rhp.id, rhpArn: rhp.arn, a: a.id, aaaa: aaaa.id, aaaaFqdn: aaaa.fqdn, aaaaAlias: aaaa.aliases,
            };
        });
        assert.deepStrictEqual(values, {
            id: "E849CD630AB20B", arn: "arn:aws:cloudfront::123456789012:distribution/E849CD630AB20B", domainName: "d7612936efa4ba.cloudfront.net",
            hostedZoneId: "Z2FDTNDATAQYW2", status: "Deployed",
            oac: "E3938F11F1C72B", oacArn: "arn:aws:cloudfront::123456789012:origin-access-control/E3938F11F1C72B",
            rhp: "1aae24d7-69f8-283c-4be1-58d96e92d3e6", rhpArn: "arn:aws:cloudfront::123456789012:response-headers-policy/1aae24d7-69f8-283c-4be1-58d96e92d3e6",
            a: "Z0123456789MOCKZONE_pos.example.com_A", aaaa: "Z0123456789MOCKZONE_pos.example.com_AAAA", aaaaFqdn: "pos.example.com",
            aaaaAlias: [{ name: "d7612936efa4ba.cloudfront.net", zoneId: "Z2FDTNDATAQYW2", evaluateTargetHealth: false }],
        });
    });

    it("CloudFront: refuses a viewer certificate outside us-east-1 and a regional web ACL, as CloudFront does", () => {
        const dist = (inputs: Record<string, unknown>) => () =>
            mockResourceOutputs({ type: "aws:cloudfront/distribution:Distribution", name: "cdn", inputs, provider: "", custom: true } as pulumi.runtime.MockResourceArgs, "eu-west-1", false);
        assert.throws(dist({ viewerCertificate: { acmCertificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x" } }), /^Error: InvalidViewerCertificate: /);
        assert.throws(dist({ webAclId: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/a/b" }), /^Error: InvalidWebACLId: /);
        assert.doesNotThrow(dist({ viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/x" }, webAclId: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/a/b" }));
    });

    it("CloudWatch Logs delivery: source, destination and delivery ARNs in the provider's region", async () => {
        const { values } = await outputsOf(() => {
            const use1 = new aws.Provider("use1", { region: "us-east-1" });
            const dist = distribution();
            const src = new aws.cloudwatch.LogDeliverySource("cf-src", { name: "pos-prod-cloudfront", logType: "ACCESS_LOGS", resourceArn: dist.arn }, { provider: use1 });
            const dst = new aws.cloudwatch.LogDeliveryDestination("cf-dst", { name: "pos-prod-cloudfront-s3", deliveryDestinationConfiguration: { destinationResourceArn: "arn:aws:s3:::logs/cloudfront-access" } }, { provider: use1 });
            const del = new aws.cloudwatch.LogDelivery("cf-del", { deliverySourceName: src.name, deliveryDestinationArn: dst.arn }, { provider: use1 });
            return { src: src.arn, srcId: src.id, service: src.service, dst: dst.arn, type: dst.deliveryDestinationType, id: del.id, arn: del.arn };
        });
        assert.deepStrictEqual(values, {
            src: "arn:aws:logs:us-east-1:123456789012:delivery-source:pos-prod-cloudfront", srcId: "pos-prod-cloudfront", service: "cloudfront",
            dst: "arn:aws:logs:us-east-1:123456789012:delivery-destination:pos-prod-cloudfront-s3", type: "S3",
            id: "CBx6qpwDS4Y86T6x", arn: "arn:aws:logs:us-east-1:123456789012:delivery:CBx6qpwDS4Y86T6x",
        });
    });

    it("getManagedPrefixList: the CloudFront origin-facing list has AWS's id for the region it is looked up in", () => {
        const call = (region: string) => mockCall({ token: "aws:ec2/getManagedPrefixList:getManagedPrefixList", inputs: { name: "com.amazonaws.global.cloudfront.origin-facing" }, provider: "" }, region);
        const { entries, ...rest } = call("eu-west-1");
        assert.deepStrictEqual(rest, {
            id: "pl-4fa04526", name: "com.amazonaws.global.cloudfront.origin-facing", region: "eu-west-1", arn: "arn:aws:ec2:eu-west-1:aws:prefix-list/pl-4fa04526",
            ownerId: "AWS", addressFamily: "IPv4", version: 1, tags: {}, maxEntries: 55,
        });
        assert.ok(entries.length > 0 && entries.every((e: { cidr: string }) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(e.cidr)));
        assert.strictEqual(call("us-east-1").id, "pl-3b927c52");
    });
});
