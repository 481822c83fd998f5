/**
 * What the CloudFront distribution is set to, as plain values, so the settings read (and are tested)
 * apart from the resources that carry them. `Distribution` only wires these onto resources.
 */
import { Problem, problem } from "../config/checks";
import { EdgeConfig } from "../config/edge-types";
import { NAME_PREFIX } from "./naming";
import { HTTPS_PORT, HTTP_PORT, cloudFrontDeliverySourceName } from "./settings";

/** AWS managed cache policies (CloudFront Developer Guide, "Use managed cache policies"). */
export const MANAGED_CACHE_POLICY = {
    /** Managed-CachingDisabled: TTLs 0, nothing in the cache key. */
    CachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    /** Managed-CachingOptimized: no cookies or query strings in the key, gzip and brotli. */
    CachingOptimized: "658327ea-f89d-4fab-a63d-7e88639e58f6",
} as const;

/** AWS managed origin request policies (CloudFront Developer Guide, "Use managed origin request policies"). */
export const MANAGED_ORIGIN_REQUEST_POLICY = {
    /** Managed-AllViewer: every viewer header (Host included), cookie and query string. */
    AllViewer: "216adef6-5c7f-47e4-b989-5492eafa07d3",
} as const;

/** Origin ids inside the distribution. */
export const LOAD_BALANCER_ORIGIN_ID = "load-balancer";
export const ASSETS_ORIGIN_ID = "assets";

/** CloudFront's default and its ceiling without a quota raise (Developer Guide, "Response timeout"). */
export const DEFAULT_ORIGIN_READ_TIMEOUT_SECONDS = 60;
export const ORIGIN_READ_TIMEOUT_SECONDS = { min: 1, max: 60 } as const;

/**
 * CloudFront's default. It must stay below the load balancer's idle timeout (at least 1 s here, 60 s by
 * default), or CloudFront may reuse a connection the load balancer is closing and answer 502.
 */
export const ORIGIN_KEEPALIVE_TIMEOUT_SECONDS = 5;

/**
 * The origin token: letters and digits only (ALB header conditions read `*` and `?` as wildcards) and far
 * below ALB's 128-character limit on a condition value.
 */
export const ORIGIN_TOKEN_LENGTH = 64;

/** One generation of the origin token and the slot that holds it (`odd` or `even`, from its version). */
export interface OriginTokenSlot {
    slot: "odd" | "even";
    version: number;
}

/**
 * The tokens the load balancer accepts at `version`: the current one, and the previous one (none at 1).
 * Two slots alternate: raising the version redraws the slot that held the one before the previous,
 * so the previous token stays as it was while CloudFront deploys the new one.
 */
export function originTokenSlots(version: number): { current: OriginTokenSlot; previous?: OriginTokenSlot } {
    const slotOf = (v: number): OriginTokenSlot => ({ slot: v % 2 === 1 ? "odd" : "even", version: v });
    return { current: slotOf(version), ...(version > 1 ? { previous: slotOf(version - 1) } : {}) };
}

/** One year: what the HSTS preload list asks for. */
export const HSTS_MAX_AGE_SECONDS = 31_536_000;

/** Headers that tell an attacker what runs behind CloudFront. Neither is on CloudFront's list of headers it refuses to remove. */
export const REMOVED_RESPONSE_HEADERS = ["Server", "X-Powered-By"] as const;

const ALL_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];
const READ_METHODS = ["GET", "HEAD", "OPTIONS"];
const CACHED_METHODS = ["GET", "HEAD"];

/** `<namePrefix>-cloudfront-access-s3`: the access logs' delivery destination (its source is cloudFrontDeliverySourceName). */
export const cloudFrontDeliveryDestinationName = (namePrefix: string): string => `${namePrefix}-cloudfront-access-s3`;

/** CloudWatch Logs caps delivery source and destination names at 60 characters (`[\w-]`). */
export const MAX_DELIVERY_NAME = 60;
export const MAX_EDGE_NAME_PREFIX = MAX_DELIVERY_NAME - cloudFrontDeliveryDestinationName("").length;

/** Words of lowercase letters and digits joined by single hyphens, short enough for every name built from it. */
export function edgeNamePrefixProblem(prefix: string): Problem {
    const expected = `lowercase letters and digits in words joined by single hyphens, such as pos-prod, at most ${MAX_EDGE_NAME_PREFIX} characters (so that ${cloudFrontDeliveryDestinationName("<prefix>")} and ${cloudFrontDeliverySourceName("<prefix>")} fit CloudWatch Logs' ${MAX_DELIVERY_NAME})`;
    return typeof prefix === "string" && NAME_PREFIX.test(prefix) && prefix.length <= MAX_EDGE_NAME_PREFIX ? undefined : problem("namePrefix", prefix, expected);
}

/** `<namePrefix>-security-headers`: the response headers policy (names are unique per account). */
export const responseHeadersPolicyName = (namePrefix: string): string => `${namePrefix}-security-headers`;
/** `<namePrefix>-assets`: the origin access control of the assets bucket. */
export const originAccessControlName = (namePrefix: string): string => `${namePrefix}-assets`;

/** The response headers policy's arguments: security headers, each overriding what the origin sent. */
export function securityHeadersPolicy(namePrefix: string, edge: EdgeConfig) {
    return {
        name: responseHeadersPolicyName(namePrefix),
        comment: "Security headers on every response of the distribution",
        securityHeadersConfig: {
            strictTransportSecurity: { accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS, includeSubdomains: true, preload: true, override: true },
            contentTypeOptions: { override: true },
            frameOptions: { frameOption: "DENY", override: true },
            referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
            contentSecurityPolicy: { contentSecurityPolicy: edge.contentSecurityPolicy, override: true },
        },
        removeHeadersConfig: { items: REMOVED_RESPONSE_HEADERS.map((header) => ({ header })) },
    };
}

/** The origin access control's arguments: CloudFront signs every request to the bucket. */
export function assetsOriginAccessControl(namePrefix: string) {
    return {
        name: originAccessControlName(namePrefix),
        description: "CloudFront reads the public assets prefix of the assets bucket",
        originAccessControlOriginType: "s3",
        signingBehavior: "always",
        signingProtocol: "sigv4",
    };
}

/** How CloudFront connects to the load balancer: HTTPS with TLS 1.2 only. */
export function loadBalancerOriginConfig(readTimeoutSeconds: number) {
    return {
        originProtocolPolicy: "https-only",
        originSslProtocols: ["TLSv1.2"],
        httpPort: HTTP_PORT,
        httpsPort: HTTPS_PORT,
        originReadTimeout: readTimeoutSeconds,
        originKeepaliveTimeout: ORIGIN_KEEPALIVE_TIMEOUT_SECONDS,
    };
}

/** `/static/*` for `static/`: the path the assets prefix is served at. */
export const assetsPathPattern = (publicAssetsPrefix: string): string => `/${publicAssetsPrefix}*`;

/**
 * Everything else goes to the load balancer, uncached, with every viewer header: the load balancer routes
 * on Host and serves a certificate for the viewer's name, which CloudFront checks against the Host it
 * forwards.
 */
export function defaultCacheBehavior<Id>(responseHeadersPolicyId: Id) {
    return {
        targetOriginId: LOAD_BALANCER_ORIGIN_ID,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ALL_METHODS,
        cachedMethods: CACHED_METHODS,
        cachePolicyId: MANAGED_CACHE_POLICY.CachingDisabled,
        originRequestPolicyId: MANAGED_ORIGIN_REQUEST_POLICY.AllViewer,
        responseHeadersPolicyId,
        compress: true,
    };
}

/** The public assets, read-only and cached; no origin request policy, so S3 sees no viewer headers or cookies. */
export function assetsCacheBehavior<Id>(edge: EdgeConfig, responseHeadersPolicyId: Id) {
    return {
        pathPattern: assetsPathPattern(edge.publicAssetsPrefix),
        targetOriginId: ASSETS_ORIGIN_ID,
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: READ_METHODS,
        cachedMethods: CACHED_METHODS,
        cachePolicyId: MANAGED_CACHE_POLICY.CachingOptimized,
        responseHeadersPolicyId,
        compress: true,
    };
}
