import * as aws from "@pulumi/aws";
import * as assert from "assert";
import {
    cloudfrontAccessLogging, cloudfrontOriginHttps, cloudfrontPolicies, cloudfrontS3OriginAccessControl, cloudfrontViewerHttps,
    cloudfrontViewerTls, cloudfrontWaf, isS3Origin,
} from "../../policies/edge/cloudfront";
import { tokenOf } from "../../policies/lib/define";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, messages, res, run } from "./helpers";

const certArn = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
const behavior = { targetOriginId: "app", viewerProtocolPolicy: "redirect-to-https", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"], responseHeadersPolicyId: "67f7725c-6f97-4210-82d7-5512b31e9d03" };
const appOrigin = { originId: "app", domainName: "app.example.com", customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] } };
const assetsOrigin = { originId: "assets", domainName: UNKNOWN, originAccessControlId: UNKNOWN };
const goodDist = {
    enabled: true,
    origins: [appOrigin, assetsOrigin],
    defaultCacheBehavior: behavior,
    orderedCacheBehaviors: [{ ...behavior, pathPattern: "/assets/*", targetOriginId: "assets" }],
    viewerCertificate: { acmCertificateArn: certArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
    restrictions: { geoRestriction: { restrictionType: "none" } },
    webAclId: UNKNOWN,
    loggingConfig: { bucket: "logs.s3.amazonaws.com" },
};
const dist = (props: Record<string, any> = goodDist, o: Parameters<typeof res>[2] = {}) => res(aws.cloudfront.Distribution, props, { name: "cdn", ...o });
const distUrn = `urn:pulumi:test::baseline::${tokenOf(aws.cloudfront.Distribution)}::cdn`;

describe("policies: cloudfront", () => {
    it("exports every policy once", () => {
        assert.deepStrictEqual(cloudfrontPolicies.map((p) => p.name), [
            "cloudfront-viewer-https", "cloudfront-viewer-tls", "cloudfront-origin-https", "cloudfront-s3-origin-access-control", "cloudfront-waf", "cloudfront-access-logging",
            "cloudfront-security-headers",
        ]);
    });

    it("passes a hardened distribution under every policy", async () => {
        assert.deepStrictEqual(await run(cloudfrontPolicies, dist()), []);
    });

    describe("isS3Origin", () => {
        it("recognises S3 REST domains, s3OriginConfig and config-less origins with unknown domains", () => {
            assert.strictEqual(isS3Origin({ domainName: "b.s3.amazonaws.com" }), true);
            assert.strictEqual(isS3Origin({ domainName: "b.s3.eu-west-1.amazonaws.com" }), true);
            assert.strictEqual(isS3Origin({ domainName: "b.s3.dualstack.eu-west-1.amazonaws.com" }), true);
            assert.strictEqual(isS3Origin({ domainName: "b.s3-eu-west-1.amazonaws.com", customOriginConfig: {} }), true);
            assert.strictEqual(isS3Origin({ domainName: "app.example.com", s3OriginConfig: { originAccessIdentity: "" } }), true);
            assert.strictEqual(isS3Origin({ domainName: UNKNOWN }), true);
        });
        it("leaves website endpoints and custom domains to the custom-origin check", () => {
            assert.strictEqual(isS3Origin({ domainName: "b.s3-website-eu-west-1.amazonaws.com", customOriginConfig: {} }), false);
            assert.strictEqual(isS3Origin({ domainName: "b.s3-website.eu-west-1.amazonaws.com", customOriginConfig: {} }), false);
            assert.strictEqual(isS3Origin({ domainName: "app.example.com", customOriginConfig: {} }), false);
            assert.strictEqual(isS3Origin({ domainName: UNKNOWN, customOriginConfig: {} }), false);
        });
    });

    describe("cloudfront-viewer-https", () => {
        it("rejects allow-all on the default and on an ordered behavior, as mandatory", async () => {
            const diags = await run(cloudfrontViewerHttps, dist({
                ...goodDist, defaultCacheBehavior: { ...behavior, viewerProtocolPolicy: "allow-all" },
                orderedCacheBehaviors: [goodDist.orderedCacheBehaviors[0], { ...behavior, viewerProtocolPolicy: "allow-all" }],
            }));
            assert.deepStrictEqual(messages(diags), [
                'CloudFront cache behavior must require HTTPS: defaultCacheBehavior.viewerProtocolPolicy is "allow-all", expected one of "redirect-to-https", "https-only".',
                'CloudFront cache behavior must require HTTPS: orderedCacheBehaviors[1].viewerProtocolPolicy is "allow-all", expected one of "redirect-to-https", "https-only".',
            ]);
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["mandatory", "mandatory"]);
        });
        it("accepts https-only", async () => {
            assert.deepStrictEqual(await run(cloudfrontViewerHttps, dist({ ...goodDist, defaultCacheBehavior: { ...behavior, viewerProtocolPolicy: "https-only" } })), []);
        });
        it("reports unknown policies and behavior lists as unverifiable", async () => {
            const diags = await run(cloudfrontViewerHttps, dist({ ...goodDist, defaultCacheBehavior: { ...behavior, viewerProtocolPolicy: UNKNOWN }, orderedCacheBehaviors: UNKNOWN_ARRAY }));
            assert.deepStrictEqual(diags.map((d) => d.message.replace(/ Re-run.*$/, "")), [
                "Cannot verify during preview that every cache behavior requires HTTPS: orderedCacheBehaviors is (unknown until apply).",
                "Cannot verify during preview that every cache behavior requires HTTPS: defaultCacheBehavior.viewerProtocolPolicy is (unknown until apply).",
            ]);
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["advisory", "advisory"]);
        });
    });

    describe("cloudfront-viewer-tls", () => {
        it("rejects the default cloudfront.net certificate, and only that", async () => {
            const diags = await run(cloudfrontViewerTls, dist({ ...goodDist, viewerCertificate: { cloudfrontDefaultCertificate: true } }));
            assert.deepStrictEqual(messages(diags), [
                'CloudFront distribution must serve its own ACM certificate: viewerCertificate.cloudfrontDefaultCertificate is true (its minimum protocol is TLSv1), expected acmCertificateArn with sslSupportMethod "sni-only".',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("rejects an IAM certificate, vip and the TLSv1 default", async () => {
            const diags = await run(cloudfrontViewerTls, dist({ ...goodDist, viewerCertificate: { iamCertificateId: "ASCA123", sslSupportMethod: "vip" } }));
            assert.deepStrictEqual(messages(diags), [
                'CloudFront distribution must serve an ACM certificate: viewerCertificate.iamCertificateId is "ASCA123", expected an ACM certificate ARN in acmCertificateArn.',
                'CloudFront distribution must serve HTTPS over SNI: viewerCertificate.sslSupportMethod is "vip", expected "sni-only".',
                'CloudFront distribution must require a modern TLS version: viewerCertificate.minimumProtocolVersion is "TLSv1", expected one of "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025".',
            ]);
        });
        it("rejects a certificate field that is not an ACM ARN, and an old minimum", async () => {
            const viewerCertificate = { ...goodDist.viewerCertificate, acmCertificateArn: "abc", minimumProtocolVersion: "TLSv1.2_2019" };
            assert.deepStrictEqual(messages(await run(cloudfrontViewerTls, dist({ ...goodDist, viewerCertificate }))), [
                'CloudFront distribution must serve an ACM certificate: viewerCertificate.acmCertificateArn is "abc", expected an ACM certificate ARN (arn:aws:acm:us-east-1:...).',
                'CloudFront distribution must require a modern TLS version: viewerCertificate.minimumProtocolVersion is "TLSv1.2_2019", expected one of "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025".',
            ]);
        });
        it("counts an unknown certificate ARN as set and reports unknown TLS settings as unverifiable", async () => {
            const viewerCertificate = { acmCertificateArn: UNKNOWN, sslSupportMethod: "sni-only", minimumProtocolVersion: UNKNOWN, cloudfrontDefaultCertificate: UNKNOWN_BOOL };
            const diags = await run(cloudfrontViewerTls, dist({ ...goodDist, viewerCertificate }));
            assert.deepStrictEqual(diags.map((d) => [d.enforcementLevel, d.message.replace(/ Re-run.*$/, "")]), [
                ["advisory", "Cannot verify during preview that the distribution serves an ACM certificate over SNI with a modern TLS minimum: viewerCertificate.cloudfrontDefaultCertificate is (unknown until apply)."],
                ["advisory", "Cannot verify during preview that the distribution serves an ACM certificate over SNI with a modern TLS minimum: viewerCertificate.minimumProtocolVersion is (unknown until apply)."],
            ]);
        });
        it("honours a configured allow-list of minimum versions", async () => {
            const viewerCertificate = { ...goodDist.viewerCertificate, minimumProtocolVersion: "TLSv1.2_2019" };
            assert.deepStrictEqual(await run(cloudfrontViewerTls, dist({ ...goodDist, viewerCertificate }), { allowedMinimumProtocolVersions: ["TLSv1.2_2019", "TLSv1.2_2021"] }), []);
        });
    });

    describe("cloudfront-origin-https", () => {
        it("rejects http-only and match-viewer origins and old TLS versions, naming the origin", async () => {
            const origins = [
                { ...appOrigin, customOriginConfig: { ...appOrigin.customOriginConfig, originProtocolPolicy: "match-viewer", originSslProtocols: ["TLSv1.1", "TLSv1.2"] } },
                { originId: "site", domainName: "b.s3-website-eu-west-1.amazonaws.com", customOriginConfig: { ...appOrigin.customOriginConfig, originProtocolPolicy: "http-only" } },
            ];
            const diags = await run(cloudfrontOriginHttps, dist({ ...goodDist, origins }));
            assert.deepStrictEqual(messages(diags), [
                'CloudFront custom origin "app" must be reached over HTTPS: originProtocolPolicy is "match-viewer", expected "https-only".',
                'CloudFront custom origin "app" must be reached over HTTPS with TLS 1.2: originSslProtocols is ["TLSv1.1","TLSv1.2"], expected only "TLSv1.2".',
                'CloudFront custom origin "site" must be reached over HTTPS: originProtocolPolicy is "http-only", expected "https-only".',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("reports unknown origin settings as unverifiable", async () => {
            const origins = [{ ...appOrigin, customOriginConfig: { ...appOrigin.customOriginConfig, originProtocolPolicy: UNKNOWN } }];
            const diags = await run(cloudfrontOriginHttps, dist({ ...goodDist, origins }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that custom origins are reached over HTTPS with TLS 1.2: origins\[0\]\.customOriginConfig\.originProtocolPolicy is \(unknown until apply\)/);
        });
        it("rejects an empty protocol list, and reports a list or an element unknown until apply as unverifiable", async () => {
            const withProtocols = (originSslProtocols: unknown) => dist({ ...goodDist, origins: [{ ...appOrigin, customOriginConfig: { ...appOrigin.customOriginConfig, originSslProtocols } }] });
            assert.deepStrictEqual(messages(await run(cloudfrontOriginHttps, withProtocols([]))), [
                'CloudFront custom origin "app" must be reached over HTTPS with TLS 1.2: originSslProtocols is [], expected only "TLSv1.2".',
            ]);
            const cannot = "Cannot verify during preview that custom origins are reached over HTTPS with TLS 1.2: origins[0].customOriginConfig.originSslProtocols is (unknown until apply). Re-run the check after apply, or set the value from configuration.";
            assert.deepStrictEqual(messages(await run(cloudfrontOriginHttps, withProtocols(UNKNOWN_ARRAY))), [cannot]);
            // The list is printed as it is (the unknown element shows as the engine's placeholder): what matters is that it is not judged.
            const oneUnknown = await run(cloudfrontOriginHttps, withProtocols(["TLSv1.2", UNKNOWN]));
            assert.deepStrictEqual(oneUnknown.map((d) => d.enforcementLevel), ["advisory"]);
            assert.ok(messages(oneUnknown)[0].startsWith(cannot.slice(0, cannot.indexOf("(unknown"))), messages(oneUnknown)[0]);
        });
        it("honours a configured protocol list", async () => {
            const origins = [{ ...appOrigin, customOriginConfig: { ...appOrigin.customOriginConfig, originSslProtocols: ["TLSv1.1", "TLSv1.2"] } }];
            assert.deepStrictEqual(await run(cloudfrontOriginHttps, dist({ ...goodDist, origins }), { allowedOriginSslProtocols: ["TLSv1.1", "TLSv1.2"] }), []);
        });
    });

    describe("cloudfront-s3-origin-access-control", () => {
        it("rejects a legacy origin access identity with its own message", async () => {
            const origins = [{ originId: "assets", domainName: "b.s3.eu-west-1.amazonaws.com", s3OriginConfig: { originAccessIdentity: "origin-access-identity/cloudfront/E1" } }];
            assert.deepStrictEqual(messages(await run(cloudfrontS3OriginAccessControl, dist({ ...goodDist, origins }))), [
                'CloudFront S3 origin "assets" must use origin access control instead of a legacy origin access identity: s3OriginConfig.originAccessIdentity is "origin-access-identity/cloudfront/E1", expected originAccessControlId and no identity.',
            ]);
        });
        it("rejects an S3 origin without any access control, as mandatory", async () => {
            const diags = await run(cloudfrontS3OriginAccessControl, dist({ ...goodDist, origins: [appOrigin, { originId: "assets", domainName: UNKNOWN }] }));
            assert.deepStrictEqual(messages(diags), [
                'CloudFront S3 origin "assets" must use origin access control: originAccessControlId is (unset), so the bucket has to be public for CloudFront to read it, expected the id of an aws.cloudfront.OriginAccessControl.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("passes the program's v7 shape: originAccessControlId and the bucket's regional domain name, no s3OriginConfig", async () => {
            const assets = { originId: "assets", domainName: "pos-prod-assets.s3.eu-west-1.amazonaws.com", originAccessControlId: "E2QWRUHAPOMQZL" };
            assert.deepStrictEqual(await run(cloudfrontS3OriginAccessControl, dist({ ...goodDist, origins: [appOrigin, assets] })), []);
            // During preview both come from outputs (bucket.bucketRegionalDomainName, oac.id).
            const preview = dist({ ...goodDist, origins: [appOrigin, { ...assets, domainName: UNKNOWN, originAccessControlId: UNKNOWN }] });
            assert.deepStrictEqual(await run(cloudfrontS3OriginAccessControl, preview), []);
        });
        it("rejects the same origin without originAccessControlId", async () => {
            const assets = { originId: "assets", domainName: "pos-prod-assets.s3.eu-west-1.amazonaws.com" };
            const diags = await run(cloudfrontS3OriginAccessControl, dist({ ...goodDist, origins: [appOrigin, assets] }));
            assert.deepStrictEqual(messages(diags), [
                'CloudFront S3 origin "assets" must use origin access control: originAccessControlId is (unset), so the bucket has to be public for CloudFront to read it, expected the id of an aws.cloudfront.OriginAccessControl.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("counts an unknown access control id as set, and reports an unknown origin list as unverifiable", async () => {
            assert.deepStrictEqual(await run(cloudfrontS3OriginAccessControl, dist()), []);
            const diags = await run(cloudfrontS3OriginAccessControl, dist({ ...goodDist, origins: UNKNOWN_ARRAY }));
            assert.match(diags[0].message, /^Cannot verify during preview that S3 origins use origin access control: origins is \(unknown until apply\)/);
        });
        it("reports an exempted distribution as advisory with its reason", async () => {
            const diags = await run(cloudfrontS3OriginAccessControl, dist({ ...goodDist, origins: [{ originId: "assets", domainName: "b.s3.amazonaws.com" }] }, { name: "public-site" }), {
                exemptions: [{ resource: "public-site", reason: "public open-data bucket" }],
            });
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Exempted \(public open-data bucket\): CloudFront S3 origin "assets" must use origin access control/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("cloudfront-waf", () => {
        it("rejects a distribution without a web ACL, as mandatory", async () => {
            const diags = await run(cloudfrontWaf, dist({ ...goodDist, webAclId: undefined }));
            assert.deepStrictEqual(messages(diags), ["CloudFront distribution must have a WAF web ACL: webAclId is (unset), expected a WAFv2 web ACL ARN."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("counts an unknown web ACL id as set", async () => {
            assert.deepStrictEqual(await run(cloudfrontWaf, dist({ ...goodDist, webAclId: UNKNOWN })), []);
        });
    });

    describe("cloudfront-access-logging", () => {
        it("passes v1 logging, and v2 log delivery joined through its resourceArn", async () => {
            assert.deepStrictEqual(await run(cloudfrontAccessLogging, dist()), []);
            const delivery = res(aws.cloudwatch.LogDeliverySource, { logType: "ACCESS_LOGS", resourceArn: UNKNOWN }, { name: "cdn-logs", propertyDependencies: { resourceArn: [distUrn] } });
            assert.deepStrictEqual(await run(cloudfrontAccessLogging, [dist({ ...goodDist, loggingConfig: undefined }), delivery]), []);
        });
        it("flags a distribution without logging, as advisory", async () => {
            const diags = await run(cloudfrontAccessLogging, dist({ ...goodDist, loggingConfig: undefined }));
            assert.deepStrictEqual(messages(diags), [
                "CloudFront distribution should log requests: loggingConfig.bucket is (unset) and no aws.cloudwatch.LogDeliverySource takes its ARN, expected standard logging to S3 or CloudWatch.",
            ]);
            assert.deepStrictEqual(diags.map((d) => [d.enforcementLevel, d.urn]), [["advisory", distUrn]]);
        });
        it("counts logging config unknown during preview as logging, and reports an unplaceable log delivery source as unverifiable", async () => {
            assert.deepStrictEqual(await run(cloudfrontAccessLogging, dist({ ...goodDist, loggingConfig: UNKNOWN })), []);
            const delivery = res(aws.cloudwatch.LogDeliverySource, { logType: "ACCESS_LOGS", resourceArn: UNKNOWN }, { name: "cdn-logs" });
            const diags = await run(cloudfrontAccessLogging, [dist({ ...goodDist, loggingConfig: undefined }), delivery]);
            assert.deepStrictEqual(diags.map((d) => [d.enforcementLevel, d.message.replace(/ Re-run.*$/, "")]), [
                ["advisory", 'Cannot verify during preview that CloudFront distribution "cdn" logs requests: resourceArn is (unknown until apply).'],
            ]);
        });
    });
});
