import * as aws from "@pulumi/aws";
import { ofType } from "../lib/by-type";
import { StackReporter, StackResource, stackPolicy, tokenOf } from "../lib/define";
import { isSet, isUnknown, list, show } from "../lib/props";
import { linked } from "../lib/joins";

const DISTRIBUTION = tokenOf(aws.cloudfront.Distribution);
const RESPONSE_HEADERS_POLICY = tokenOf(aws.cloudfront.ResponseHeadersPolicy);

/**
 * AWS managed response headers policies that send the security headers, by id, with what they send
 * (AWS's "Use managed response headers policies" page): HSTS `max-age=31536000`, `nosniff`, `SAMEORIGIN`.
 * The other managed policies (SimpleCORS, CORS-With-Preflight, CORS-and-... without security headers) send none.
 */
export const MANAGED_SECURITY_HEADERS_POLICIES: Readonly<Record<string, { name: string; hstsMaxAgeSec: number }>> = {
    "67f7725c-6f97-4210-82d7-5512b31e9d03": { name: "SecurityHeadersPolicy", hstsMaxAgeSec: 31536000 },
    "e61eb60c-9c35-4d20-a928-2b84e02af89c": { name: "CORS-and-SecurityHeadersPolicy", hstsMaxAgeSec: 31536000 },
    "eaab4381-ed33-4a86-88ca-d9558dc6cd63": { name: "CORS-with-preflight-and-SecurityHeadersPolicy", hstsMaxAgeSec: 31536000 },
};

export interface SecurityHeadersConfig {
    minimumHstsMaxAgeSeconds: number;
    requireContentTypeOptions: boolean;
    requireFrameOptions: boolean;
    trustedResponseHeadersPolicyIds: string[];
}

const FRAME_OPTIONS = ["DENY", "SAMEORIGIN"];
const EXPECTED_HEADERS = "a response headers policy with Strict-Transport-Security, X-Content-Type-Options and X-Frame-Options (or the managed SecurityHeadersPolicy)";

/** The behaviors of a distribution: `[path, top-level input, behavior]`; unknown lists reported. */
function behaviorsOf(dist: StackResource, report: StackReporter, requirement: string): Array<[string, string, any]> {
    const out: Array<[string, string, any]> = [["defaultCacheBehavior", "defaultCacheBehavior", dist.props.defaultCacheBehavior]];
    if (isUnknown(dist.props.orderedCacheBehaviors)) report.unverifiable(dist, "orderedCacheBehaviors", requirement);
    list(dist.props.orderedCacheBehaviors).forEach((b, i) => out.push([`orderedCacheBehaviors[${i}]`, "orderedCacheBehaviors", b]));
    return out;
}

/** A header the policy sends only counts if it replaces the origin's own (`override: true`): else a backend's weaker header wins. */
function requireOverride(policy: StackResource, path: string, header: any, name: string, report: StackReporter) {
    const override = header?.override;
    if (isUnknown(override)) report.unverifiable(policy, `${path}.override`, `the response headers policy's ${name} replaces the origin's`);
    else if (override !== true) {
        report.violation(policy, `CloudFront response headers policy must make its ${name} header win over the origin's: ${path}.override is ${show(override)}, expected true (otherwise a backend's own header, e.g. max-age=0, goes through).`);
    }
}

/** The headers a response headers policy of the stack sends, each against the config. */
function checkPolicy(policy: StackResource, config: SecurityHeadersConfig, report: StackReporter) {
    const headers = policy.props.securityHeadersConfig;
    const hstsRequirement = "the response headers policy sends a long-lived HSTS header";
    if (isUnknown(headers)) return report.unverifiable(policy, "securityHeadersConfig", `${hstsRequirement}, X-Content-Type-Options and X-Frame-Options`);
    const hsts = headers?.strictTransportSecurity;
    const maxAge = hsts?.accessControlMaxAgeSec;
    if (isUnknown(hsts)) report.unverifiable(policy, "securityHeadersConfig.strictTransportSecurity", hstsRequirement);
    else if (!isSet(hsts)) {
        report.violation(policy, "CloudFront response headers policy must send Strict-Transport-Security: securityHeadersConfig.strictTransportSecurity is (unset), expected it with override true.");
    } else if (isUnknown(maxAge)) report.unverifiable(policy, "securityHeadersConfig.strictTransportSecurity.accessControlMaxAgeSec", hstsRequirement);
    else if (typeof maxAge !== "number" || maxAge < config.minimumHstsMaxAgeSeconds) {
        report.violation(policy, `CloudFront response headers policy must send a long-lived Strict-Transport-Security header: accessControlMaxAgeSec is ${show(maxAge)}, expected at least ${config.minimumHstsMaxAgeSeconds}.`);
    }
    if (isSet(hsts) && !isUnknown(hsts)) requireOverride(policy, "securityHeadersConfig.strictTransportSecurity", hsts, "Strict-Transport-Security", report);
    const nosniff = headers?.contentTypeOptions;
    if (config.requireContentTypeOptions) {
        if (isUnknown(nosniff)) report.unverifiable(policy, "securityHeadersConfig.contentTypeOptions", "the response headers policy sends X-Content-Type-Options: nosniff");
        else if (!isSet(nosniff)) report.violation(policy, "CloudFront response headers policy must send X-Content-Type-Options: nosniff: securityHeadersConfig.contentTypeOptions is (unset), expected { override: true }.");
        else requireOverride(policy, "securityHeadersConfig.contentTypeOptions", nosniff, "X-Content-Type-Options", report);
    }
    const frame = headers?.frameOptions;
    const option = isUnknown(frame) ? frame : frame?.frameOption;
    if (!config.requireFrameOptions) return;
    if (isUnknown(option)) report.unverifiable(policy, isUnknown(frame) ? "securityHeadersConfig.frameOptions" : "securityHeadersConfig.frameOptions.frameOption", "the response headers policy sends X-Frame-Options DENY or SAMEORIGIN");
    else if (!isSet(frame)) report.violation(policy, 'CloudFront response headers policy must send X-Frame-Options: securityHeadersConfig.frameOptions is (unset), expected { frameOption: "DENY" (or "SAMEORIGIN"), override: true }.');
    else if (!FRAME_OPTIONS.includes(String(option).toUpperCase())) {
        report.violation(policy, `CloudFront response headers policy must send X-Frame-Options DENY or SAMEORIGIN: securityHeadersConfig.frameOptions.frameOption is ${show(option)}, expected "DENY" or "SAMEORIGIN".`);
    } else requireOverride(policy, "securityHeadersConfig.frameOptions", frame, "X-Frame-Options", report);
}

/**
 * cf-07: HSTS keeps browsers on HTTPS, nosniff and frame options stop MIME confusion and clickjacking;
 * on every behavior, since a request matching `/assets/*` never sees the default behavior's policy.
 * A policy of the stack is read; a managed one is known; any other id cannot be read here and must be
 * listed as trusted, or a literal id would pass unseen.
 */
export const cloudfrontSecurityHeaders = stackPolicy<SecurityHeadersConfig>({
    name: "cloudfront-security-headers",
    description: "Every CloudFront cache behavior must attach a response headers policy that sends HSTS (with a long max-age), X-Content-Type-Options and X-Frame-Options.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `responseHeadersPolicyId` on `defaultCacheBehavior` and on every entry of `orderedCacheBehaviors` to an aws.cloudfront.ResponseHeadersPolicy whose `securityHeadersConfig` has `strictTransportSecurity { accessControlMaxAgeSec: 31536000 or more, includeSubdomains: true, override: true }`, `contentTypeOptions { override: true }` and `frameOptions { frameOption: \"DENY\", override: true }` (or to the managed SecurityHeadersPolicy, 67f7725c-6f97-4210-82d7-5512b31e9d03).",
    catalogue: ["cf-07"],
    config: {
        minimumHstsMaxAgeSeconds: { type: "integer", minimum: 0, description: "Shortest HSTS max-age accepted (seconds); the managed policies send 31536000.", default: 31536000 },
        requireContentTypeOptions: { type: "boolean", description: "Require X-Content-Type-Options: nosniff.", default: true },
        requireFrameOptions: { type: "boolean", description: "Require X-Frame-Options DENY or SAMEORIGIN.", default: true },
        trustedResponseHeadersPolicyIds: {
            type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true,
            description: "Ids of response headers policies outside the stack (shared by another stack) whose headers were reviewed; any other id the pack cannot read is rejected.",
            default: [],
        },
    },
    check: (resources, { config }, report) => {
        const policies = ofType(resources, RESPONSE_HEADERS_POLICY);
        const used = new Set<StackResource>();
        for (const dist of ofType(resources, DISTRIBUTION)) {
            const requirement = `every cache behavior of CloudFront distribution ${show(dist.name)} sends security headers`;
            for (const [path, input, behavior] of behaviorsOf(dist, report, requirement)) {
                const id = isUnknown(behavior) ? behavior : behavior?.responseHeadersPolicyId;
                if (isUnknown(behavior)) {
                    report.unverifiable(dist, path, requirement);
                    continue;
                }
                if (!isSet(id)) {
                    report.violation(dist, `CloudFront cache behavior must send security headers: ${path}.responseHeadersPolicyId is (unset), expected ${EXPECTED_HEADERS}.`);
                    continue;
                }
                const managed = MANAGED_SECURITY_HEADERS_POLICIES[id];
                if (managed) {
                    if (managed.hstsMaxAgeSec < config.minimumHstsMaxAgeSeconds) {
                        report.violation(dist, `CloudFront cache behavior must send a long-lived Strict-Transport-Security header: ${path}.responseHeadersPolicyId is the managed ${managed.name}, whose max-age is ${managed.hstsMaxAgeSec}, expected at least ${config.minimumHstsMaxAgeSeconds} (a response headers policy of your own).`);
                    }
                    continue;
                }
                if (config.trustedResponseHeadersPolicyIds.includes(id)) continue;
                // The distribution depends on its policies; a literal id matches a policy's `id` output after apply.
                const found = linked(dist, input, policies, { ids: ["id"], value: id });
                found.forEach((p) => used.add(p));
                if (found.length > 0) continue;
                if (isUnknown(id)) report.unverifiable(dist, `${path}.responseHeadersPolicyId`, requirement);
                else {
                    report.violation(dist, `CloudFront cache behavior must use a response headers policy the pack can read: ${path}.responseHeadersPolicyId is ${show(id)}, neither a policy of this stack nor a managed security headers policy, expected one of those, or the id listed in this policy's trustedResponseHeadersPolicyIds.`);
                }
            }
        }
        for (const policy of used) checkPolicy(policy, config, report);
    },
});
