import * as aws from "@pulumi/aws";
import { ofType } from "../lib/by-type";
import { Policies } from "@pulumi/policy";
import { StackResource, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { isSet, isUnknown, list, show } from "../lib/props";
import { refersTo, unresolved } from "../lib/joins";
import { cloudfrontSecurityHeaders } from "./cloudfront-headers";

export { MANAGED_SECURITY_HEADERS_POLICIES, cloudfrontSecurityHeaders } from "./cloudfront-headers";

export const DISTRIBUTION = tokenOf(aws.cloudfront.Distribution);
const quoted = (values: string[]) => values.map((v) => JSON.stringify(v)).join(", ");

/** How messages name an origin: by its `originId`, else its position. */
const originName = (origin: any, i: number) => (isSet(origin?.originId) && !isUnknown(origin.originId) ? JSON.stringify(origin.originId) : `origins[${i}]`);

/** S3 REST endpoints (not website endpoints, which are custom origins and cannot use origin access control). */
const S3_REST_DOMAIN = /\.s3(?![.-]website)([.-][a-z0-9.-]+)?\.amazonaws\.com(\.cn)?$/;

/**
 * True for an origin CloudFront reaches as an S3 bucket: an `s3OriginConfig`, an S3 REST domain,
 * or (what CloudFront does with an origin that has no custom config) a domain unknown until apply,
 * typically `bucket.bucketRegionalDomainName`. A VPC origin (`vpcOriginConfig`) is a load balancer
 * or instance, never a bucket.
 */
export function isS3Origin(origin: any): boolean {
    const domain = origin?.domainName;
    if (isSet(origin?.s3OriginConfig)) return true;
    if (isSet(origin?.vpcOriginConfig)) return false;
    if (typeof domain === "string" && !isUnknown(domain)) return S3_REST_DOMAIN.test(domain.toLowerCase());
    return !isSet(origin?.customOriginConfig);
}

/** cf-01: a viewer on `allow-all` sends cookies and tokens in plain text. */
export const cloudfrontViewerHttps = resourcePolicy({
    name: "cloudfront-viewer-https",
    description: "Every CloudFront cache behavior must redirect viewers to HTTPS or require it.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `viewerProtocolPolicy: \"redirect-to-https\"` (or `https-only`) on `defaultCacheBehavior` and on every entry of `orderedCacheBehaviors`.",
    securityHub: ["CloudFront.3"],
    catalogue: ["cf-01"],
    types: [aws.cloudfront.Distribution],
    check: (dist, _ctx, report) => {
        const allowed = ["redirect-to-https", "https-only"];
        const behaviors: Array<[string, any]> = [["defaultCacheBehavior", dist.defaultCacheBehavior]];
        list(dist.orderedCacheBehaviors).forEach((b, i) => behaviors.push([`orderedCacheBehaviors[${i}]`, b]));
        if (isUnknown(dist.orderedCacheBehaviors)) report.unverifiable("orderedCacheBehaviors", dist.orderedCacheBehaviors, "every cache behavior requires HTTPS");
        for (const [path, behavior] of behaviors) {
            const value = isUnknown(behavior) ? behavior : behavior?.viewerProtocolPolicy;
            if (isUnknown(value)) report.unverifiable(`${path}.viewerProtocolPolicy`, value, "every cache behavior requires HTTPS");
            else if (!allowed.includes(value)) {
                report.violation(`CloudFront cache behavior must require HTTPS: ${path}.viewerProtocolPolicy is ${show(value)}, expected one of ${quoted(allowed)}.`);
            }
        }
    },
});

export interface ViewerTlsConfig {
    allowedMinimumProtocolVersions: string[];
}

/**
 * cf-02: the default *.cloudfront.net certificate pins the minimum protocol to TLSv1, and `vip`
 * (dedicated IPs) also allows only SSLv3/TLSv1 minimums.
 */
export const cloudfrontViewerTls = resourcePolicy<ViewerTlsConfig>({
    name: "cloudfront-viewer-tls",
    description: "CloudFront distributions must serve an ACM certificate over SNI with an allow-listed minimum TLS version.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `viewerCertificate: { acmCertificateArn: <us-east-1 ACM certificate>.arn, sslSupportMethod: \"sni-only\", minimumProtocolVersion: \"TLSv1.2_2021\" }` and drop `cloudfrontDefaultCertificate`.",
    securityHub: ["CloudFront.7", "CloudFront.8", "CloudFront.15"],
    catalogue: ["cf-02"],
    config: {
        allowedMinimumProtocolVersions: {
            type: "array", items: { type: "string", minLength: 1 }, minItems: 1,
            description: "CloudFront security policies (minimumProtocolVersion) a distribution may use.", default: ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"],
        },
    },
    types: [aws.cloudfront.Distribution],
    check: (dist, { config }, report) => {
        const cert = dist.viewerCertificate;
        const requirement = "the distribution serves an ACM certificate over SNI with a modern TLS minimum";
        if (isUnknown(cert)) return report.unverifiable("viewerCertificate", cert, requirement);
        if (isUnknown(cert?.cloudfrontDefaultCertificate)) report.unverifiable("viewerCertificate.cloudfrontDefaultCertificate", cert.cloudfrontDefaultCertificate, requirement);
        else if (cert?.cloudfrontDefaultCertificate === true) {
            return report.violation("CloudFront distribution must serve its own ACM certificate: viewerCertificate.cloudfrontDefaultCertificate is true (its minimum protocol is TLSv1), expected acmCertificateArn with sslSupportMethod \"sni-only\".");
        }
        const arn = cert?.acmCertificateArn;
        if (!isSet(arn)) {
            const found = isSet(cert?.iamCertificateId) ? `viewerCertificate.iamCertificateId is ${show(cert.iamCertificateId)}` : "viewerCertificate.acmCertificateArn is (unset)";
            report.violation(`CloudFront distribution must serve an ACM certificate: ${found}, expected an ACM certificate ARN in acmCertificateArn.`);
        } else if (!isUnknown(arn) && !/^arn:aws[a-z-]*:acm:/.test(String(arn))) {
            report.violation(`CloudFront distribution must serve an ACM certificate: viewerCertificate.acmCertificateArn is ${show(arn)}, expected an ACM certificate ARN (arn:aws:acm:us-east-1:...).`);
        }
        const method = cert?.sslSupportMethod;
        if (isUnknown(method)) report.unverifiable("viewerCertificate.sslSupportMethod", method, requirement);
        else if (method !== "sni-only") report.violation(`CloudFront distribution must serve HTTPS over SNI: viewerCertificate.sslSupportMethod is ${show(method)}, expected "sni-only".`);
        const version = cert?.minimumProtocolVersion ?? "TLSv1"; // the AWS default
        if (isUnknown(version)) report.unverifiable("viewerCertificate.minimumProtocolVersion", version, requirement);
        else if (!config.allowedMinimumProtocolVersions.includes(version)) {
            report.violation(`CloudFront distribution must require a modern TLS version: viewerCertificate.minimumProtocolVersion is ${show(version)}, expected one of ${quoted(config.allowedMinimumProtocolVersions)}.`);
        }
    },
});

/** cf-03: CloudFront re-encrypts to the origin only when told to; `match-viewer` still allows HTTP. */
export const cloudfrontOriginHttps = resourcePolicy<{ allowedOriginSslProtocols: string[] }>({
    name: "cloudfront-origin-https",
    description: "CloudFront custom and VPC origins must be reached over HTTPS with TLS 1.2 only.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `customOriginConfig.originProtocolPolicy: \"https-only\"` and `originSslProtocols: [\"TLSv1.2\"]` on every custom origin, and the same in `vpcOriginEndpointConfig` of every aws.cloudfront.VpcOrigin.",
    securityHub: ["CloudFront.9", "CloudFront.10"],
    catalogue: ["cf-03"],
    config: {
        allowedOriginSslProtocols: {
            type: "array", items: { type: "string", enum: ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"] }, minItems: 1,
            description: "Protocols CloudFront may use towards custom origins.", default: ["TLSv1.2"],
        },
    },
    // A VPC origin's protocol settings live on the aws.cloudfront.VpcOrigin; the distribution only names it.
    types: [aws.cloudfront.Distribution, aws.cloudfront.VpcOrigin],
    check: (props, { config, type, name }, report) => {
        const requirement = "custom origins are reached over HTTPS with TLS 1.2";
        /** One origin's protocol policy and TLS versions, at `base` (`<base>.originProtocolPolicy`), for messages naming it `rule`. */
        const checkOrigin = (base: string, policy: unknown, protocols: unknown, protocolsPath: string, rule: string) => {
            if (isUnknown(policy)) report.unverifiable(`${base}.originProtocolPolicy`, policy, requirement);
            else if (policy !== "https-only") report.violation(`${rule}: originProtocolPolicy is ${show(policy)}, expected "https-only".`);
            if (isUnknown(protocols) || list(protocols).some(isUnknown)) {
                report.unverifiable(protocolsPath, protocols, requirement);
            } else {
                const weak = list<string>(protocols).filter((p) => !config.allowedOriginSslProtocols.includes(p));
                if (weak.length > 0 || list(protocols).length === 0) {
                    report.violation(`${rule} with TLS 1.2: originSslProtocols is ${show(protocols)}, expected only ${quoted(config.allowedOriginSslProtocols)}.`);
                }
            }
        };
        if (type === tokenOf(aws.cloudfront.VpcOrigin)) {
            const endpoint = props.vpcOriginEndpointConfig;
            if (isUnknown(endpoint)) return report.unverifiable("vpcOriginEndpointConfig", endpoint, requirement);
            const label = isSet(endpoint?.name) && !isUnknown(endpoint.name) ? endpoint.name : name;
            const protocols = isUnknown(endpoint?.originSslProtocols) ? endpoint.originSslProtocols : endpoint?.originSslProtocols?.items;
            checkOrigin("vpcOriginEndpointConfig", endpoint?.originProtocolPolicy, protocols, "vpcOriginEndpointConfig.originSslProtocols.items", `CloudFront VPC origin ${show(label)} must be reached over HTTPS`);
            return;
        }
        if (isUnknown(props.origins)) return report.unverifiable("origins", props.origins, requirement);
        list(props.origins).forEach((origin, i) => {
            const custom = isUnknown(origin) ? origin : origin?.customOriginConfig;
            if (custom === undefined || custom === null) return;
            if (isUnknown(custom)) return report.unverifiable(`origins[${i}].customOriginConfig`, custom, requirement);
            const base = `origins[${i}].customOriginConfig`;
            checkOrigin(base, custom.originProtocolPolicy, custom.originSslProtocols, `${base}.originSslProtocols`, `CloudFront custom origin ${originName(origin, i)} must be reached over HTTPS`);
        });
    },
});

/** cf-04: without origin access control the bucket must be public (or use the legacy identity) for CloudFront to read it. */
export const cloudfrontS3OriginAccessControl = resourcePolicy({
    name: "cloudfront-s3-origin-access-control",
    description: "CloudFront S3 origins must use origin access control, not a public bucket or a legacy origin access identity.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Create an aws.cloudfront.OriginAccessControl (`originAccessControlOriginType: \"s3\"`, `signingBehavior: \"always\"`, `signingProtocol: \"sigv4\"`), set the origin's `originAccessControlId` to its id, drop `s3OriginConfig`, and let the bucket policy allow `cloudfront.amazonaws.com` with an `AWS:SourceArn` condition on the distribution.",
    securityHub: ["CloudFront.13"],
    catalogue: ["cf-04"],
    types: [aws.cloudfront.Distribution],
    check: (dist, _ctx, report) => {
        if (isUnknown(dist.origins)) return report.unverifiable("origins", dist.origins, "S3 origins use origin access control");
        list(dist.origins).forEach((origin, i) => {
            if (isUnknown(origin)) return report.unverifiable(`origins[${i}]`, origin, "S3 origins use origin access control");
            if (!isS3Origin(origin)) return;
            const name = originName(origin, i);
            const oai = origin.s3OriginConfig?.originAccessIdentity;
            if (isSet(oai)) {
                report.violation(`CloudFront S3 origin ${name} must use origin access control instead of a legacy origin access identity: s3OriginConfig.originAccessIdentity is ${show(oai)}, expected originAccessControlId and no identity.`);
            } else if (!isSet(origin.originAccessControlId)) {
                report.violation(`CloudFront S3 origin ${name} must use origin access control: originAccessControlId is (unset), so the bucket has to be public for CloudFront to read it, expected the id of an aws.cloudfront.OriginAccessControl.`);
            }
        });
    },
});

/** cf-05: the edge is the cheapest place to stop bad traffic. */
export const cloudfrontWaf = resourcePolicy({
    name: "cloudfront-waf",
    description: "CloudFront distributions must have a WAFv2 web ACL attached.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `webAclId` to the ARN of a WAFv2 web ACL with `scope: \"CLOUDFRONT\"` (created in us-east-1).",
    securityHub: ["CloudFront.6"],
    catalogue: ["cf-05"],
    types: [aws.cloudfront.Distribution],
    check: (dist, _ctx, report) => {
        const id = dist.webAclId;
        if (!isSet(id)) report.violation(`CloudFront distribution must have a WAF web ACL: webAclId is ${show(id)}, expected a WAFv2 web ACL ARN.`);
        // A WAF Classic id (no ARN): its rules are out of reach of waf-has-rules and waf-managed-rules.
        else if (!isUnknown(id) && !/^arn:aws[a-z-]*:wafv2:/.test(String(id))) {
            report.violation(`CloudFront distribution must have a WAF web ACL: webAclId is ${show(id)}, not a WAFv2 web ACL ARN, expected a WAFv2 web ACL ARN (arn:aws:wafv2:us-east-1:...:global/webacl/...).`);
        }
    },
});

/** "logged", "unlogged", or the log delivery source whose target is unknown until apply. */
function loggingOf(dist: StackResource, resources: StackResource[]): "logged" | "unlogged" | StackResource {
    if (isSet(dist.props.loggingConfig?.bucket) || isUnknown(dist.props.loggingConfig)) return "logged"; // v1 logging
    const sources = ofType(resources, tokenOf(aws.cloudwatch.LogDeliverySource)); // v2 logging
    if (sources.some((s) => refersTo(s, "resourceArn", dist))) return "logged";
    return sources.find((s) => unresolved(s, "resourceArn")) ?? "unlogged";
}

/** cf-06: access logs for forensics. Security headers are cloudfront-security-headers (cf-07), at their own level. */
export const cloudfrontAccessLogging = stackPolicy({
    name: "cloudfront-access-logging",
    description: "CloudFront distributions should log requests (standard logging to S3, or v2 log delivery).",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Set `loggingConfig.bucket`, or add an aws.cloudwatch.LogDeliverySource with `logType: \"ACCESS_LOGS\"` and `resourceArn: distribution.arn` (in us-east-1) with a delivery to S3 or CloudWatch Logs.",
    securityHub: ["CloudFront.5"],
    catalogue: ["cf-06"],
    types: [DISTRIBUTION],
    check: (resources, _ctx, report) => {
        for (const dist of ofType(resources, DISTRIBUTION)) {
            const logs = loggingOf(dist, resources);
            if (logs === "unlogged") {
                report.violation(dist, "CloudFront distribution should log requests: loggingConfig.bucket is (unset) and no aws.cloudwatch.LogDeliverySource takes its ARN, expected standard logging to S3 or CloudWatch.");
            } else if (logs !== "logged") report.unverifiable(logs, "resourceArn", `CloudFront distribution ${show(dist.name)} logs requests`);
        }
    },
});

export const cloudfrontPolicies: Policies = [
    cloudfrontViewerHttps, cloudfrontViewerTls, cloudfrontOriginHttps, cloudfrontS3OriginAccessControl, cloudfrontWaf, cloudfrontAccessLogging, cloudfrontSecurityHeaders,
];
