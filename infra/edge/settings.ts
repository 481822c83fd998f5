/**
 * What the load balancer and its listeners are set to, as plain values, so the settings read (and are
 * tested) apart from the resources that carry them. `LoadBalancer` only wires these onto resources.
 */

/**
 * Where the load balancer's access logs go in the log bucket (`<prefix>/AWSLogs/<account>/...`): main.ts
 * gives it to both `Buckets` (`allowLoadBalancerLogs`) and `LoadBalancer` (`accessLogs.prefix`).
 */
export const ALB_ACCESS_LOG_PREFIX = "alb-access";

export const HTTP_PORT = 80;
export const HTTPS_PORT = 443;

/**
 * HTTP desync (request smuggling) mitigation. `defensive`, the default here and AWS's, blocks what AWS
 * classifies as severe and mitigates ambiguous requests while keeping the application available;
 * `strictest` refuses every request that is not RFC 7230 compliant, which can shut out clients with
 * sloppy HTTP stacks (card terminals, embedded devices). AWS's ELB best practices advise strictest once
 * the `DesyncMitigationMode_NonCompliant_Request_Count` metric (or the access logs' `classification`
 * field) shows no such client: a new stack has no traffic to tell, so it starts defensive.
 */
export type DesyncMitigationMode = "defensive" | "strictest";
export const DESYNC_MITIGATION_MODES: readonly DesyncMitigationMode[] = ["defensive", "strictest"];

/** Internet-facing settings that do not depend on the stack. */
export const LOAD_BALANCER_HARDENING = {
    loadBalancerType: "application",
    internal: false,
    // IPv4 only: an AAAA alias and IPv6 security-group rules would come with dualstack.
    ipAddressType: "ipv4",
    // Header fields whose names hold anything but letters, digits and hyphens are removed, not passed on
    // to the targets (a request-smuggling vector).
    dropInvalidHeaderFields: true,
    enableHttp2: true,
    // Targets get the Host header the client sent (ALB otherwise may append the listener port), so the
    // services' allowed-host checks and absolute URLs see the public name.
    preserveHostHeader: true,
    // The load balancer adds the caller's address to X-Forwarded-For, so the last entry is the one targets
    // can trust. `preserve` would pass a client-written header on as is, `remove` would lose the address.
    xffHeaderProcessingMode: "append",
    // Once a WAF is attached, a request it cannot inspect is refused rather than let through.
    enableWafFailOpen: false,
} as const;

/** Every plain-HTTP request is sent, permanently, to the same host, path and query over HTTPS. */
export const REDIRECT_TO_HTTPS = { type: "redirect", redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), statusCode: "HTTP_301" } };

/** What the HTTPS listener answers when no service's rule matches: a plain 404, nothing forwarded. */
export const NOT_FOUND = { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Not found", statusCode: "404" } };

/** Validation CNAMEs: short TTL, so a re-issued certificate's record is seen quickly. */
export const VALIDATION_RECORD_TTL = 60;

/**
 * With CloudFront in front, the load balancer's own name is `origin.<domain>`: CloudFront connects there,
 * and the load balancer's certificate carries it beside the domain (CloudFront forwards the viewer's Host
 * header, and checks the origin's certificate against it).
 */
export const ORIGIN_SUBDOMAIN = "origin";
export const originDomainName = (domainName: string): string => `${ORIGIN_SUBDOMAIN}.${domainName}`;

/**
 * The header CloudFront adds to every request it sends the load balancer, with a generated value; the
 * load balancer's listener rules forward only requests that carry it, and answer the rest 403.
 */
export const ORIGIN_HEADER_NAME = "X-Origin-Verify";

/** AWS-managed prefix list of CloudFront's origin-facing addresses, looked up by this name in the stack's region. */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";

/** What the HTTPS listener answers a request that did not come through CloudFront (no origin header). */
export const FORBIDDEN = { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Forbidden", statusCode: "403" } };

/**
 * Where CloudFront's standard logs (v2, through CloudWatch Logs delivery) land in the log bucket:
 * `<prefix>/AWSLogs/<account id>/CloudFront/...`. Both the delivery and the log bucket's policy use it.
 */
export const CLOUDFRONT_ACCESS_LOG_PREFIX = "cloudfront-access";

/** The CloudWatch Logs delivery source of the distribution's access logs (in us-east-1); the log bucket's policy names it in `aws:SourceArn`. */
export const cloudFrontDeliverySourceName = (namePrefix: string): string => `${namePrefix}-cloudfront-access`;
