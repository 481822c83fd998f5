import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { MANAGED_SECURITY_HEADERS_POLICIES, cloudfrontSecurityHeaders } from "../../policies/edge/cloudfront";
import { tokenOf } from "../../policies/lib/define";
import { UNKNOWN, UNKNOWN_ARRAY, messages, res, run } from "./helpers";

/** cloudfront-security-headers: every behavior, the stack's policies, the managed ones, and ids the pack cannot read. */
const policyUrn = `urn:pulumi:test::baseline::${tokenOf(aws.cloudfront.ResponseHeadersPolicy)}::headers`;
const distUrn = `urn:pulumi:test::baseline::${tokenOf(aws.cloudfront.Distribution)}::cdn`;
const hsts = { accessControlMaxAgeSec: 63072000, includeSubdomains: true, override: true };
const goodHeaders = { strictTransportSecurity: hsts, contentTypeOptions: { override: true }, frameOptions: { frameOption: "DENY", override: true } };
const headers = (securityHeadersConfig: unknown = goodHeaders, name = "headers") => res(aws.cloudfront.ResponseHeadersPolicy, { securityHeadersConfig }, { name });
/** `null`: no responseHeadersPolicyId at all. */
const behavior = (responseHeadersPolicyId: unknown = UNKNOWN, extra: Record<string, unknown> = {}) => ({
    targetOriginId: "app", viewerProtocolPolicy: "redirect-to-https", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"],
    ...(responseHeadersPolicyId === null ? {} : { responseHeadersPolicyId }), ...extra,
});
const assets = (id: unknown = UNKNOWN) => behavior(id, { pathPattern: "/static/*", targetOriginId: "assets" });
/** A distribution whose behaviors took their ids from the policy `headers` (the program's shape during preview). */
const dist = (defaultCacheBehavior: unknown = behavior(), orderedCacheBehaviors: unknown = [assets()], deps: string[] = [policyUrn]) =>
    res(aws.cloudfront.Distribution, { enabled: true, defaultCacheBehavior, orderedCacheBehaviors }, {
        name: "cdn", propertyDependencies: { defaultCacheBehavior: deps, orderedCacheBehaviors: deps },
    });
const cannot = (diags: { enforcementLevel: string; message: string }[]) => diags.map((d) => [d.enforcementLevel, d.message.replace(/ Re-run.*$/, "")]);

describe("policies: cloudfront-security-headers", () => {
    it("passes every behavior on the stack's policy with HSTS, nosniff and DENY", async () => {
        assert.deepStrictEqual(await run(cloudfrontSecurityHeaders, [headers(), dist()]), []);
    });

    it("rejects an ordered behavior without a headers policy, not only the default one, as mandatory", async () => {
        const diags = await run(cloudfrontSecurityHeaders, [headers(), dist(behavior(), [assets(), assets(null)])]);
        assert.deepStrictEqual(messages(diags), [
            "CloudFront cache behavior must send security headers: orderedCacheBehaviors[1].responseHeadersPolicyId is (unset), expected a response headers policy with Strict-Transport-Security, X-Content-Type-Options and X-Frame-Options (or the managed SecurityHeadersPolicy).",
        ]);
        assert.deepStrictEqual(diags.map((d) => [d.enforcementLevel, d.urn]), [["mandatory", distUrn]]);
        assert.deepStrictEqual(messages(await run(cloudfrontSecurityHeaders, [headers(), dist(behavior(null))])), [
            "CloudFront cache behavior must send security headers: defaultCacheBehavior.responseHeadersPolicyId is (unset), expected a response headers policy with Strict-Transport-Security, X-Content-Type-Options and X-Frame-Options (or the managed SecurityHeadersPolicy).",
        ]);
    });

    it("rejects a header the origin's own would override (override not true), and reports an unknown override as unverifiable", async () => {
        const weak = { strictTransportSecurity: { ...hsts, override: false }, contentTypeOptions: {}, frameOptions: { frameOption: "DENY", override: true } };
        assert.deepStrictEqual(messages(await run(cloudfrontSecurityHeaders, [headers(weak), dist()])), [
            "CloudFront response headers policy must make its Strict-Transport-Security header win over the origin's: securityHeadersConfig.strictTransportSecurity.override is false, expected true (otherwise a backend's own header, e.g. max-age=0, goes through).",
            "CloudFront response headers policy must make its X-Content-Type-Options header win over the origin's: securityHeadersConfig.contentTypeOptions.override is (unset), expected true (otherwise a backend's own header, e.g. max-age=0, goes through).",
        ]);
        const pending = { ...goodHeaders, frameOptions: { frameOption: "DENY", override: UNKNOWN } };
        assert.deepStrictEqual(cannot(await run(cloudfrontSecurityHeaders, [headers(pending), dist()])), [
            ["advisory", "Cannot verify during preview that the response headers policy's X-Frame-Options replaces the origin's: securityHeadersConfig.frameOptions.override is (unknown until apply)."],
        ]);
    });

    it("rejects the stack's policy without HSTS, nosniff or frame options, once, on the policy", async () => {
        const diags = await run(cloudfrontSecurityHeaders, [headers({}), dist()]);
        assert.deepStrictEqual(messages(diags), [
            "CloudFront response headers policy must send Strict-Transport-Security: securityHeadersConfig.strictTransportSecurity is (unset), expected it with override true.",
            "CloudFront response headers policy must send X-Content-Type-Options: nosniff: securityHeadersConfig.contentTypeOptions is (unset), expected { override: true }.",
            'CloudFront response headers policy must send X-Frame-Options: securityHeadersConfig.frameOptions is (unset), expected { frameOption: "DENY" (or "SAMEORIGIN"), override: true }.',
        ]);
        assert.deepStrictEqual([...new Set(diags.map((d) => [d.enforcementLevel, d.urn].join(" ")))], [`mandatory ${policyUrn}`]);
    });

    it("rejects a short HSTS max-age and a frame option other than DENY or SAMEORIGIN; honours the configured minimum and switches", async () => {
        const weak = { ...goodHeaders, strictTransportSecurity: { ...hsts, accessControlMaxAgeSec: 300 }, frameOptions: { frameOption: "ALLOW-FROM", override: true } };
        assert.deepStrictEqual(messages(await run(cloudfrontSecurityHeaders, [headers(weak), dist()])), [
            "CloudFront response headers policy must send a long-lived Strict-Transport-Security header: accessControlMaxAgeSec is 300, expected at least 31536000.",
            'CloudFront response headers policy must send X-Frame-Options DENY or SAMEORIGIN: securityHeadersConfig.frameOptions.frameOption is "ALLOW-FROM", expected "DENY" or "SAMEORIGIN".',
        ]);
        const hstsOnly = { strictTransportSecurity: { ...hsts, accessControlMaxAgeSec: 300 } };
        const config = { minimumHstsMaxAgeSeconds: 300, requireContentTypeOptions: false, requireFrameOptions: false };
        assert.deepStrictEqual(await run(cloudfrontSecurityHeaders, [headers(hstsOnly), dist()], config), []);
        assert.deepStrictEqual(await run(cloudfrontSecurityHeaders, [headers({ ...goodHeaders, frameOptions: { frameOption: "SAMEORIGIN", override: true } }), dist()]), []);
    });

    it("checks each of the stack's policies the behaviors use: one per behavior", async () => {
        const other = headers({ ...goodHeaders, contentTypeOptions: undefined }, "assets-headers");
        const d = res(aws.cloudfront.Distribution, { enabled: true, defaultCacheBehavior: behavior(), orderedCacheBehaviors: [assets()] }, {
            name: "cdn", propertyDependencies: { defaultCacheBehavior: [policyUrn], orderedCacheBehaviors: [other.urn] },
        });
        const diags = await run(cloudfrontSecurityHeaders, [headers(), other, d]);
        assert.deepStrictEqual(diags.map((x) => x.urn), [other.urn]);
    });

    it("accepts each managed security headers policy by id, and knows their max-age", async () => {
        const ids = Object.keys(MANAGED_SECURITY_HEADERS_POLICIES);
        assert.deepStrictEqual(ids, ["67f7725c-6f97-4210-82d7-5512b31e9d03", "e61eb60c-9c35-4d20-a928-2b84e02af89c", "eaab4381-ed33-4a86-88ca-d9558dc6cd63"]);
        for (const id of ids) assert.deepStrictEqual(await run(cloudfrontSecurityHeaders, dist(behavior(id), [assets(id)], [])), [], id);
        assert.deepStrictEqual(messages(await run(cloudfrontSecurityHeaders, dist(behavior(ids[0]), [], []), { minimumHstsMaxAgeSeconds: 63072000 })), [
            "CloudFront cache behavior must send a long-lived Strict-Transport-Security header: defaultCacheBehavior.responseHeadersPolicyId is the managed SecurityHeadersPolicy, whose max-age is 31536000, expected at least 63072000 (a response headers policy of your own).",
        ]);
    });

    it("rejects a literal id it cannot read (a managed policy without security headers, another stack's), unless trusted", async () => {
        const simpleCors = "60669652-455b-4ae9-85a4-c4c02393f86c";
        const diags = await run(cloudfrontSecurityHeaders, dist(behavior("67f7725c-6f97-4210-82d7-5512b31e9d03"), [assets(simpleCors)], []));
        assert.deepStrictEqual(messages(diags), [
            `CloudFront cache behavior must use a response headers policy the pack can read: orderedCacheBehaviors[0].responseHeadersPolicyId is "${simpleCors}", neither a policy of this stack nor a managed security headers policy, expected one of those, or the id listed in this policy's trustedResponseHeadersPolicyIds.`,
        ]);
        assert.deepStrictEqual(await run(cloudfrontSecurityHeaders, dist(behavior(simpleCors), [], []), { trustedResponseHeadersPolicyIds: [simpleCors] }), []);
    });

    it("finds the stack's policy by a literal id after apply", async () => {
        const byId = res(aws.cloudfront.ResponseHeadersPolicy, { id: "rhp-1", securityHeadersConfig: { ...goodHeaders, contentTypeOptions: undefined } }, { name: "headers" });
        assert.deepStrictEqual(messages(await run(cloudfrontSecurityHeaders, [byId, dist(behavior("rhp-1"), [], [])])), [
            "CloudFront response headers policy must send X-Content-Type-Options: nosniff: securityHeadersConfig.contentTypeOptions is (unset), expected { override: true }.",
        ]);
    });

    it("reports what is unknown until apply as unverifiable, never as a violation", async () => {
        const requirement = 'Cannot verify during preview that every cache behavior of CloudFront distribution "cdn" sends security headers';
        assert.deepStrictEqual(cannot(await run(cloudfrontSecurityHeaders, [headers(), dist(behavior(), UNKNOWN_ARRAY)])), [
            ["advisory", `${requirement}: orderedCacheBehaviors is (unknown until apply).`],
        ]);
        // An id from outside the stack's policies (a data source lookup): nothing to read.
        assert.deepStrictEqual(cannot(await run(cloudfrontSecurityHeaders, dist(behavior(), [], []))), [
            ["advisory", `${requirement}: defaultCacheBehavior.responseHeadersPolicyId is (unknown until apply).`],
        ]);
        assert.deepStrictEqual(cannot(await run(cloudfrontSecurityHeaders, [headers(UNKNOWN), dist()])), [
            ["advisory", "Cannot verify during preview that the response headers policy sends a long-lived HSTS header, X-Content-Type-Options and X-Frame-Options: securityHeadersConfig is (unknown until apply)."],
        ]);
        const partly = { strictTransportSecurity: { ...hsts, accessControlMaxAgeSec: UNKNOWN }, contentTypeOptions: UNKNOWN, frameOptions: { frameOption: UNKNOWN, override: true } };
        assert.deepStrictEqual(cannot(await run(cloudfrontSecurityHeaders, [headers(partly), dist()])), [
            ["advisory", "Cannot verify during preview that the response headers policy sends a long-lived HSTS header: securityHeadersConfig.strictTransportSecurity.accessControlMaxAgeSec is (unknown until apply)."],
            ["advisory", "Cannot verify during preview that the response headers policy sends X-Content-Type-Options: nosniff: securityHeadersConfig.contentTypeOptions is (unknown until apply)."],
            ["advisory", "Cannot verify during preview that the response headers policy sends X-Frame-Options DENY or SAMEORIGIN: securityHeadersConfig.frameOptions.frameOption is (unknown until apply)."],
        ]);
    });
});
