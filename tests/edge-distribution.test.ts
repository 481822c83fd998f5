import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { EdgeConfig } from "../infra/config/edge-types";
import { DistributionArgs, distributionProblems } from "../infra/edge/distribution";
import { DistributionLogs } from "../infra/edge/distribution-logs";
import { MANAGED_CACHE_POLICY, MANAGED_ORIGIN_REQUEST_POLICY, MAX_EDGE_NAME_PREFIX, assetsPathPattern } from "../infra/edge/distribution-settings";
import { ALL_POLICIES } from "../policies/all";
import { cloudfrontPolicies } from "../policies/edge/cloudfront";
import { evaluate, resolvePolicyConfig } from "../tools/offline/evaluate";
import { MOCK_ACCOUNT_ID, MOCK_HOSTED_ZONE_ID, mockValidationRecord } from "../tools/offline/mock-outputs";
import { runProgram } from "../tools/offline/run-program";
import { blockingOf, policyConfigPath, readPolicyConfig, toEvalResource } from "../tools/offline/stack-check";
import { Cdn, WEB_ACL_ARN, cdn } from "./edge-distribution-fixtures";
import { Invoke, recordInvokes } from "./edge-fixtures";
import { Run, isSecret, runUnderMocks, stackConfig } from "./harness";

const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((done) => o.apply(done));
const T = {
    dist: "aws:cloudfront/distribution:Distribution", headers: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    oac: "aws:cloudfront/originAccessControl:OriginAccessControl", cert: "aws:acm/certificate:Certificate",
    validation: "aws:acm/certificateValidation:CertificateValidation", record: "aws:route53/record:Record", token: "random:index/randomPassword:RandomPassword",
    source: "aws:cloudwatch/logDeliverySource:LogDeliverySource", destination: "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
    delivery: "aws:cloudwatch/logDelivery:LogDelivery",
};
const CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
/** Pinned through config, so the tests assert what they set whatever the profiles' defaults become. */
const STACKS = {
    prod: { domain: "pos.example.com", priceClass: "PriceClass_All", tls: "TLSv1.2_2021", prefix: "static/" },
    staging: { domain: "pos.staging.example.com", priceClass: "PriceClass_100", tls: "TLSv1.3_2025", prefix: "assets/" },
} as const;
const configFor = (stack: keyof typeof STACKS) => ({
    "baseline:domain": { name: STACKS[stack].domain, zoneName: "example.com" },
    "baseline:edge": { cloudFront: true, priceClass: STACKS[stack].priceClass, minimumProtocolVersion: STACKS[stack].tls, contentSecurityPolicy: CSP, publicAssetsPrefix: STACKS[stack].prefix },
});
const HEADERS_POLICY = {
    name: "", // set per stack
    comment: "Security headers on every response of the distribution",
    securityHeadersConfig: {
        strictTransportSecurity: { accessControlMaxAgeSec: 31536000, includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: "DENY", override: true },
        referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
        contentSecurityPolicy: { contentSecurityPolicy: CSP, override: true },
    },
    removeHeadersConfig: { items: [{ header: "Server" }, { header: "X-Powered-By" }] },
};
const mandatory = new Set(ALL_POLICIES.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name));

for (const stack of ["prod", "staging"] as const) {
    describe(`Distribution component (${stack})`, () => {
        const { domain, priceClass, tls, prefix } = STACKS[stack];
        const invokes: Invoke[] = [];
        let run: Run;
        let parts: Cdn;
        before(async () => {
            run = await runUnderMocks(() => {
                recordInvokes(invokes);
                parts = cdn();
            }, stack, configFor(stack));
        });
        const dist = () => run.one(T.dist, "cdn-distribution").wireInputs;
        /** The headers policy's id as the distribution received it (the mock's id format is not this test's concern). */
        const headersId = () => dist().defaultCacheBehavior.responseHeadersPolicyId;

        it("serves the domain over HTTP/2 and HTTP/3 and IPv6, at the configured price class, behind the CLOUDFRONT web ACL, with no country restriction or root object", () => {
            const d = dist();
            assert.deepStrictEqual(d.aliases, [domain]);
            assert.strictEqual(d.enabled, true);
            assert.strictEqual(d.httpVersion, "http2and3");
            assert.strictEqual(d.isIpv6Enabled, true);
            assert.strictEqual(d.priceClass, priceClass);
            assert.strictEqual(d.webAclId, WEB_ACL_ARN);
            assert.deepStrictEqual(d.restrictions, { geoRestriction: { restrictionType: "none" } });
            assert.strictEqual(d.defaultRootObject, undefined);
            assert.strictEqual(d.loggingConfig, undefined, "logging is v2 (DistributionLogs), not the legacy ACL-based one");
        });

        it("serves the validated us-east-1 certificate over SNI with the configured TLS minimum", async () => {
            const arn = await resolve(parts.cdn.certificateArn);
            assert.deepStrictEqual(dist().viewerCertificate, { acmCertificateArn: arn, sslSupportMethod: "sni-only", minimumProtocolVersion: tls });
            assert.match(arn, /^arn:aws:acm:us-east-1:/);
            // From the validation, not the certificate: the distribution waits until ACM has issued it.
            assert.deepStrictEqual(run.one(T.dist).propertyDependencies.viewerCertificate, [run.one(T.validation).urn]);
        });

        it("sends everything else to the load balancer over HTTPS, uncached, with every viewer header, cookie and query string, all methods", () => {
            assert.deepStrictEqual(dist().defaultCacheBehavior, {
                targetOriginId: "load-balancer", viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"], cachedMethods: ["GET", "HEAD"],
                cachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", originRequestPolicyId: "216adef6-5c7f-47e4-b989-5492eafa07d3",
                responseHeadersPolicyId: headersId(), compress: true,
            });
            assert.deepStrictEqual(run.one(T.dist).propertyDependencies.defaultCacheBehavior, [run.one(T.headers).urn]);
            assert.match(headersId(), /\S/);
        });

        it(`serves /${prefix}* from the assets bucket, read-only and cached, with the same security headers`, () => {
            assert.deepStrictEqual(dist().orderedCacheBehaviors, [{
                pathPattern: `/${prefix}*`, targetOriginId: "assets", viewerProtocolPolicy: "redirect-to-https",
                allowedMethods: ["GET", "HEAD", "OPTIONS"], cachedMethods: ["GET", "HEAD"],
                cachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6", responseHeadersPolicyId: headersId(), compress: true,
            }]);
            assert.deepStrictEqual(run.one(T.dist).propertyDependencies.orderedCacheBehaviors, [run.one(T.headers).urn]);
        });

        it("reaches the load balancer at origin.<domain> over HTTPS with TLS 1.2 only, adding the secret origin header", () => {
            const lb = dist().origins.find((o: any) => o.originId === "load-balancer");
            assert.deepStrictEqual(lb.customOriginConfig, {
                originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], httpPort: 80, httpsPort: 443, originReadTimeout: 60, originKeepaliveTimeout: 5,
            });
            assert.strictEqual(lb.domainName, `origin.${domain}`);
            assert.deepStrictEqual(lb.customHeaders.map((h: any) => h.name), ["X-Origin-Verify"]);
            assert.ok(isSecret(lb.customHeaders[0].value), JSON.stringify(lb.customHeaders[0].value));
            // Letters and digits only (ALB conditions read * and ? as wildcards), well under ALB's 128.
            assert.deepStrictEqual(run.one(T.token, "cdn-origin-token-odd").wireInputs, { length: 64, special: false, keepers: { version: "1" } });
        });

        it("reads the assets bucket by its regional name through origin access control that signs every request", () => {
            const assets = dist().origins.find((o: any) => o.originId === "assets");
            const oac = run.one(T.oac, "cdn-assets-oac");
            assert.deepStrictEqual(assets, { originId: "assets", domainName: `pos-${stack}-assets-${MOCK_ACCOUNT_ID}.s3.eu-west-1.amazonaws.com`, originAccessControlId: assets.originAccessControlId });
            assert.match(assets.originAccessControlId, /\S/);
            assert.ok(run.one(T.dist).propertyDependencies.origins.includes(oac.urn));
            assert.deepStrictEqual(oac.wireInputs, {
                name: `pos-${stack}-assets`, description: "CloudFront reads the public assets prefix of the assets bucket",
                originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4",
            });
            assert.strictEqual(dist().origins.length, 2);
        });

        it("adds HSTS (a year, subdomains, preload), nosniff, DENY framing, strict referrer and the configured CSP, overriding the origin, and strips Server and X-Powered-By", () => {
            assert.deepStrictEqual(run.one(T.headers, "cdn-security-headers").wireInputs, { ...HEADERS_POLICY, name: `pos-${stack}-security-headers` });
        });

        it("creates the certificate and everything else through the us-east-1 provider, validated by a CNAME kept on delete", () => {
            const provider = run.one("pulumi:providers:aws", "us-east-1");
            assert.deepStrictEqual(provider.wireInputs.region, "us-east-1");
            const aws = run.resources.filter((r) => r.type.startsWith("aws:") && !r.name.startsWith("storage"));
            assert.strictEqual(aws.length, 9);
            assert.deepStrictEqual(aws.filter((r) => !r.provider?.startsWith(`${provider.urn}::`)).map((r) => r.name), []);
            assert.deepStrictEqual(run.one(T.cert, "cdn-certificate").wireInputs, { domainName: domain, validationMethod: "DNS" });
            const expected = mockValidationRecord(domain);
            const record = run.one(T.record, `cdn-validation-${domain}`);
            assert.deepStrictEqual(record.wireInputs, {
                zoneId: MOCK_HOSTED_ZONE_ID, name: expected.resourceRecordName, type: "CNAME", records: [expected.resourceRecordValue], ttl: 60, allowOverwrite: true,
            });
            // The regional certificate renews with the same CNAME: turning CloudFront off must leave it.
            assert.strictEqual(record.retainOnDelete, true);
            assert.deepStrictEqual(run.one(T.validation).propertyDependencies.validationRecordFqdns, [record.urn]);
            assert.deepStrictEqual(invokes.filter((i) => i.token === "aws:route53/getZone:getZone").map((i) => i.inputs), [{ name: "example.com", privateZone: false }]);
        });

        it("outputs the ARN, id, domain name, CloudFront's hosted zone, the certificate and the origin header with its value secret", async () => {
            const c = parts.cdn;
            const [arn, id, domainName, zone] = await resolve(pulumi.all([c.arn, c.id, c.domainName, c.hostedZoneId]));
            assert.match(arn, new RegExp(`^arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:distribution/${id}$`));
            assert.match(domainName, /\.cloudfront\.net$/);
            assert.strictEqual(zone, "Z2FDTNDATAQYW2");
            assert.strictEqual(c.originHeader.name, "X-Origin-Verify");
            assert.strictEqual(await pulumi.isSecret(c.originHeader.value), true);
            // The value the distribution sends (the mock's password is fixed; the generator's settings are checked above).
            const header = run.one(T.dist).wireInputs.origins[0].customHeaders[0].value;
            assert.strictEqual(await resolve(c.originHeader.value), header.value);
        });

        it("delivers access logs (v2) from the distribution to the log bucket under cloudfront-access, once the bucket policy allows it", () => {
            const source = run.one(T.source, "cdn-logs-source");
            const destination = run.one(T.destination, "cdn-logs-destination");
            const delivery = run.one(T.delivery, "cdn-logs-delivery");
            assert.deepStrictEqual(source.wireInputs, { name: `pos-${stack}-cloudfront-access`, logType: "ACCESS_LOGS", resourceArn: source.wireInputs.resourceArn });
            assert.deepStrictEqual(source.propertyDependencies.resourceArn, [run.one(T.dist).urn]);
            assert.deepStrictEqual(destination.wireInputs, {
                name: `pos-${stack}-cloudfront-access-s3`, outputFormat: "w3c",
                deliveryDestinationConfiguration: { destinationResourceArn: `arn:aws:s3:::pos-${stack}-logs-${MOCK_ACCOUNT_ID}/cloudfront-access` },
            });
            assert.deepStrictEqual(delivery.propertyDependencies.deliverySourceName, [source.urn]);
            assert.deepStrictEqual(delivery.propertyDependencies.deliveryDestinationArn, [destination.urn]);
            assert.strictEqual(delivery.wireInputs.deliverySourceName, `pos-${stack}-cloudfront-access`);
            assert.ok(delivery.dependencies.includes(run.one("aws:s3/bucketPolicy:BucketPolicy", "storage-logs-policy").urn));
        });

        it("parents every resource on its component", () => {
            const children = (component: string) => run.resources.filter((r) => r.parent === run.one(component).urn).map((r) => r.name).sort();
            assert.deepStrictEqual(children("baseline:edge:Distribution"), [
                "cdn-assets-oac", "cdn-certificate", "cdn-certificate-validation", "cdn-distribution", "cdn-origin-token-odd", "cdn-security-headers", `cdn-validation-${domain}`,
            ]);
            assert.deepStrictEqual(children("baseline:edge:DistributionLogs"), ["cdn-logs-delivery", "cdn-logs-destination", "cdn-logs-source"]);
        });
    });
}

for (const firstPreview of [false, true]) {
    describe(`policy pack on the distribution${firstPreview ? " (first preview)" : ""}`, () => {
        let resources: ReturnType<typeof toEvalResource>[];
        before(async () => {
            resources = (await runUnderMocks(() => { cdn(); }, "prod", configFor("prod"), { firstPreview })).resources.map(toEvalResource);
        });

        it("passes every CloudFront policy, logging and headers included, and each can run", async () => {
            const { diagnostics } = await evaluate(resources, { policies: cloudfrontPolicies, config: resolvePolicyConfig(cloudfrontPolicies, {}) });
            assert.deepStrictEqual(diagnostics.map((d) => `${d.policyName}: ${d.message}`), []);
        });

        it("blocks on nothing in the whole pack under the stack's policy config", async () => {
            const config = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath("prod")));
            const { diagnostics } = await evaluate(resources, { policies: ALL_POLICIES, config });
            assert.deepStrictEqual(blockingOf(diagnostics, mandatory), []);
            assert.deepStrictEqual(diagnostics.filter((d) => d.cantRunDuringPreview), []);
        });
    });
}

describe("Distribution options and settings", () => {
    it("takes a shorter origin read timeout", async () => {
        const run = await runUnderMocks(() => { cdn({ originReadTimeoutSeconds: 30 }); }, "prod", configFor("prod"));
        assert.strictEqual(run.one(T.dist).wireInputs.origins[0].customOriginConfig.originReadTimeout, 30);
    });

    it("names the managed policies by their documented ids, and the assets path by the prefix", () => {
        assert.deepStrictEqual(MANAGED_CACHE_POLICY, { CachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", CachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6" });
        assert.deepStrictEqual(MANAGED_ORIGIN_REQUEST_POLICY, { AllViewer: "216adef6-5c7f-47e4-b989-5492eafa07d3" });
        assert.strictEqual(assetsPathPattern("static/"), "/static/*");
        assert.strictEqual(MAX_EDGE_NAME_PREFIX, 39);
    });
});

/** Arguments that pass; each test changes one thing. */
const EDGE: EdgeConfig = { cloudFront: true, loadBalancerOnlyFromCloudFront: true, priceClass: "PriceClass_100", minimumProtocolVersion: "TLSv1.2_2021", contentSecurityPolicy: CSP, publicAssetsPrefix: "static/", originTokenVersion: 1 };
const ARGS: DistributionArgs = {
    edge: EDGE, domain: { name: "pos.example.com", zoneName: "example.com" }, namePrefix: "pos-prod", originDomainName: "origin.pos.example.com",
    assetsBucketDomainName: "pos-prod-assets-123456789012.s3.eu-west-1.amazonaws.com", webAclArn: WEB_ACL_ARN,
};
const problems = (change: Partial<DistributionArgs>) => distributionProblems({ ...ARGS, ...change });

describe("Distribution argument checks", () => {
    it("accepts the arguments main.ts builds, with outputs left to apply", () => {
        assert.deepStrictEqual(problems({}), []);
        assert.deepStrictEqual(problems({ webAclArn: pulumi.output(WEB_ACL_ARN), assetsBucketDomainName: pulumi.output("x") }), []);
    });

    it("names the argument, the value and what is allowed", () => {
        const cases: Array<[Partial<DistributionArgs>, string]> = [
            [{ edge: { ...EDGE, minimumProtocolVersion: "TLSv1" as any } }, 'edge.minimumProtocolVersion = "TLSv1" is not allowed: expected one of "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"'],
            [{ edge: { ...EDGE, cloudFront: false } }, "edge.cloudFront = false is not allowed: expected true"],
            [{ domain: { name: "shop.other.org", zoneName: "example.com" } }, 'domain.name = "shop.other.org" is not allowed: expected a name inside zoneName "example.com"'],
            [{ namePrefix: "Pos_Prod" }, 'namePrefix = "Pos_Prod" is not allowed: expected lowercase letters and digits'],
            [{ namePrefix: "a".repeat(40) }, `at most ${MAX_EDGE_NAME_PREFIX} characters`],
            [{ originDomainName: "origin.pos.other.org" }, 'originDomainName = "origin.pos.other.org" is not allowed: expected a name inside zoneName "example.com"'],
            [{ originDomainName: "pos.example.com" }, 'originDomainName = "pos.example.com" is not allowed: expected a name other than the served domain'],
            [{ originDomainName: "Origin Host" }, 'originDomainName = "Origin Host" is not allowed: expected a lowercase DNS name'],
            [{ originReadTimeoutSeconds: 61 }, "originReadTimeoutSeconds = 61 is not allowed: expected an integer from 1 to 60"],
            [{ originReadTimeoutSeconds: 0 }, "originReadTimeoutSeconds = 0 is not allowed: expected an integer from 1 to 60"],
            [{ assetsBucketDomainName: "pos-assets.s3-website-eu-west-1.amazonaws.com" }, "assetsBucketDomainName = \"pos-assets.s3-website-eu-west-1.amazonaws.com\" is not allowed: expected the bucket's regional domain name"],
            [{ webAclArn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/1" }, 'webAclArn = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/1" is not allowed: expected the ARN of a CLOUDFRONT-scope WAFv2 web ACL'],
        ];
        for (const [change, message] of cases) {
            const found = problems(change);
            assert.strictEqual(found.length, 1, `${JSON.stringify(change)} → ${JSON.stringify(found)}`);
            assert.ok(found[0].includes(message), `${found[0]}\n  should contain: ${message}`);
        }
    });

    it("fails before anything is registered, listing every problem", async () => {
        const result = await runProgram(() => cdn({ originReadTimeoutSeconds: 90, originDomainName: "pos.example.com" }), { stack: "prod", config: stackConfig("prod", configFor("prod")) });
        const message = String((result.error as Error)?.message);
        assert.match(message, /^Distribution has invalid arguments:\n {2}- originDomainName = .*\n {2}- originReadTimeoutSeconds = 90/);
        assert.deepStrictEqual(result.resources.filter((r) => r.name.startsWith("cdn")), []);
    });

    it("DistributionLogs refuses a prefix its delivery names cannot carry, and a missing bucket policy", () => {
        const logs = (namePrefix: string, logBucketPolicy: any) => () =>
            new DistributionLogs("logs", { namePrefix, distributionArn: "arn", logBucketArn: "arn:aws:s3:::logs", logBucketPolicy });
        assert.throws(logs("x".repeat(40), {}), (e: Error) =>
            e.message.startsWith("DistributionLogs has invalid arguments:\n  - namePrefix = ") && e.message.includes("logBucketPolicy = \"(not a resource)\" is not allowed"));
    });
});
