import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { HOSTNAME, Problem, intIn, problem, sectionProblems } from "../config/checks";
import { EdgeConfig } from "../config/edge-types";
import { EDGE_CHECKS } from "../config/sections/edge";
import { DOMAIN_CHECKS } from "../config/sections/operations";
import { DomainConfig } from "../config/types";
import {
    ASSETS_ORIGIN_ID, DEFAULT_ORIGIN_READ_TIMEOUT_SECONDS, LOAD_BALANCER_ORIGIN_ID, ORIGIN_READ_TIMEOUT_SECONDS, ORIGIN_TOKEN_LENGTH, OriginTokenSlot, originTokenSlots,
    assetsCacheBehavior, assetsOriginAccessControl, defaultCacheBehavior, edgeNamePrefixProblem, loadBalancerOriginConfig, securityHeadersPolicy,
} from "./distribution-settings";
import { isInZone } from "./naming";
import { dnsValidatedCertificate } from "./certificate";
import { ORIGIN_HEADER_NAME } from "./settings";

/** The header CloudFront adds to every request to the load balancer, and the values the load balancer accepts. */
export interface OriginHeader {
    /** `X-Origin-Verify` */
    name: string;
    /** The token CloudFront sends now (secret). */
    value: pulumi.Output<string>;
    /** The current token, and the previous one while a rotation is under way (secret): what the listener rules accept. */
    accepted: pulumi.Output<string>[];
}

export interface DistributionArgs {
    /** `baseline:edge`: price class, viewer TLS, CSP and the public assets prefix (checked again here). */
    edge: EdgeConfig;
    /** `baseline:domain`: the name served (alias and certificate) and the public Route 53 zone it is validated in. */
    domain: DomainConfig;
    /** Start of the policy and access control names, `<namePrefix>-...`, e.g. `pos-prod`. */
    namePrefix: string;
    /** Where CloudFront reaches the load balancer: originDomainName(domain.name), a name on the ALB's certificate. */
    originDomainName: string;
    /** Seconds CloudFront waits for the origin's response (1..60 without a quota raise); default 60. */
    originReadTimeoutSeconds?: number;
    /** The assets bucket's regional domain name (`<bucket>.s3.<region>.amazonaws.com`). */
    assetsBucketDomainName: pulumi.Input<string>;
    /** ARN of the CLOUDFRONT-scope WAFv2 web ACL. */
    webAclArn: pulumi.Input<string>;
}

const WAF_ARN = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+$/;
const S3_REGIONAL_DOMAIN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\.s3\.[a-z0-9-]+\.amazonaws\.com$/;

function originDomainProblem(origin: string, domain: DomainConfig): Problem {
    const key = "originDomainName";
    if (typeof origin !== "string" || !HOSTNAME.test(origin)) return problem(key, origin, "a lowercase DNS name such as origin.shop.example.com");
    if (!isInZone(origin, domain.zoneName)) return problem(key, origin, `a name inside zoneName ${JSON.stringify(domain.zoneName)}, on the load balancer's certificate`);
    // The alias resolves to CloudFront itself: every request would loop back into the distribution.
    if (origin === domain.name) return problem(key, origin, `a name other than the served domain ${JSON.stringify(domain.name)}, which points at CloudFront itself`);
    return undefined;
}

/** Only literal values are checked; outputs of other resources are known at apply. */
const literal = (key: string, value: pulumi.Input<string>, pattern: RegExp, expected: string): Problem =>
    typeof value === "string" && !pattern.test(value) ? problem(key, value, expected) : undefined;

/** Every problem with the arguments, each naming the argument, the value and what is allowed. */
export function distributionProblems(args: DistributionArgs): string[] {
    const problems: Problem[] = [
        // Neither section's limits depend on the environment.
        ...sectionProblems("edge", EDGE_CHECKS, args.edge, "prod"),
        args.edge.cloudFront === false ? problem("edge.cloudFront", false, "true: the distribution is only created when CloudFront is on") : undefined,
        ...sectionProblems("domain", DOMAIN_CHECKS, args.domain, "prod"),
        edgeNamePrefixProblem(args.namePrefix),
        originDomainProblem(args.originDomainName, args.domain),
        args.originReadTimeoutSeconds === undefined
            ? undefined
            : intIn("originReadTimeoutSeconds", args.originReadTimeoutSeconds, ORIGIN_READ_TIMEOUT_SECONDS.min, ORIGIN_READ_TIMEOUT_SECONDS.max),
        literal("assetsBucketDomainName", args.assetsBucketDomainName, S3_REGIONAL_DOMAIN, "the bucket's regional domain name, <bucket>.s3.<region>.amazonaws.com (not a website endpoint)"),
        literal("webAclArn", args.webAclArn, WAF_ARN, "the ARN of a CLOUDFRONT-scope WAFv2 web ACL, arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>"),
    ];
    return problems.filter((p): p is string => p !== undefined);
}

/** Throws before anything is registered, listing every problem at once. */
export function validateDistributionArgs(args: DistributionArgs): void {
    const problems = distributionProblems(args);
    if (problems.length > 0) throw new Error(`Distribution has invalid arguments:\n  - ${problems.join("\n  - ")}`);
}

/**
 * The CloudFront distribution in front of the load balancer and the assets bucket: the domain's own
 * us-east-1 certificate, the CLOUDFRONT web ACL, HTTPS only towards viewers and the origin, security
 * headers on every response, and a generated secret header that tells the load balancer a request came
 * through CloudFront. Construct it with `providers: [<us-east-1 aws.Provider>]`: the viewer certificate
 * must be in us-east-1, and every child inherits that provider.
 */
export class Distribution extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;
    readonly id: pulumi.Output<string>;
    /** `dxxxxxxxxxxxxx.cloudfront.net`: the target of the domain's alias records. */
    readonly domainName: pulumi.Output<string>;
    /** CloudFront's hosted zone, for alias records. */
    readonly hostedZoneId: pulumi.Output<string>;
    /** The viewer certificate (us-east-1), known once issued. */
    readonly certificateArn: pulumi.Output<string>;
    /** The header CloudFront adds to every request to the load balancer; the value is secret. */
    readonly originHeader: OriginHeader;

    constructor(name: string, args: DistributionArgs, opts?: pulumi.ComponentResourceOptions) {
        // Before super: bad arguments fail with nothing registered.
        validateDistributionArgs(args);
        super("baseline:edge:Distribution", name, {}, opts);
        const { edge, domain, namePrefix } = args;

        const tokens = this.originTokens(name, edge.originTokenVersion);
        const tokenValue = tokens.current;

        // The same CNAME validates the load balancer's regional certificate for the name, and renews it:
        // turning CloudFront off must not delete it, so the record is kept on delete.
        const zoneId = aws.route53.getZoneOutput({ name: domain.zoneName, privateZone: false }, { parent: this }).zoneId;
        const certificateArn = dnsValidatedCertificate(name, { domainName: domain.name, zoneId, keepRecords: true, owner: "Distribution" }, this);
        const headers = new aws.cloudfront.ResponseHeadersPolicy(`${name}-security-headers`, securityHeadersPolicy(namePrefix, edge), { parent: this });
        const accessControl = new aws.cloudfront.OriginAccessControl(`${name}-assets-oac`, assetsOriginAccessControl(namePrefix), { parent: this });

        const distribution = new aws.cloudfront.Distribution(`${name}-distribution`, {
            comment: `${namePrefix}: ${domain.name}`,
            aliases: [domain.name],
            enabled: true,
            isIpv6Enabled: true,
            httpVersion: "http2and3",
            priceClass: edge.priceClass,
            webAclId: args.webAclArn,
            viewerCertificate: { acmCertificateArn: certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: edge.minimumProtocolVersion },
            // Countries are allowed or blocked by the web ACL, with the rest of the request rules.
            restrictions: { geoRestriction: { restrictionType: "none" } },
            origins: [
                {
                    originId: LOAD_BALANCER_ORIGIN_ID,
                    domainName: args.originDomainName,
                    customOriginConfig: loadBalancerOriginConfig(args.originReadTimeoutSeconds ?? DEFAULT_ORIGIN_READ_TIMEOUT_SECONDS),
                    customHeaders: [{ name: ORIGIN_HEADER_NAME, value: tokenValue }],
                },
                {
                    // Origin access control alone, no s3OriginConfig: that block is for legacy origin access identities.
                    originId: ASSETS_ORIGIN_ID,
                    domainName: args.assetsBucketDomainName,
                    originAccessControlId: accessControl.id,
                },
            ],
            defaultCacheBehavior: defaultCacheBehavior(headers.id),
            orderedCacheBehaviors: [assetsCacheBehavior(edge, headers.id)],
        }, { parent: this });

        this.arn = distribution.arn;
        this.id = distribution.id;
        this.domainName = distribution.domainName;
        this.hostedZoneId = distribution.hostedZoneId;
        this.certificateArn = certificateArn;
        this.originHeader = { name: ORIGIN_HEADER_NAME, value: tokenValue, accepted: tokens.accepted };
        this.registerOutputs({
            arn: this.arn,
            id: this.id,
            domainName: this.domainName,
            hostedZoneId: this.hostedZoneId,
            certificateArn: this.certificateArn,
            originHeader: this.originHeader,
        });
    }

    /**
     * The current origin token and those the load balancer accepts (current and previous), each slot a
     * generator kept on its version. Letters and digits only: ALB header conditions read `*` and `?` as wildcards.
     */
    private originTokens(name: string, version: number): { current: pulumi.Output<string>; accepted: pulumi.Output<string>[] } {
        const { current, previous } = originTokenSlots(version);
        const token = (s: OriginTokenSlot) => pulumi.secret(new random.RandomPassword(`${name}-origin-token-${s.slot}`, {
            length: ORIGIN_TOKEN_LENGTH, special: false, keepers: { version: String(s.version) },
        }, { parent: this }).result);
        const now = token(current);
        return { current: now, accepted: previous ? [now, token(previous)] : [now] };
    }
}
