/**
 * Names of the edge: the load balancer's AWS name and the DNS names its certificate covers. Pure, so the
 * validator and the tests read them without registering anything.
 */

/** `<app>-<environment>` as the edge's names start: lowercase letters and digits in words joined by single hyphens. */
export const NAME_PREFIX = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** AWS caps load balancer names at 32 characters. */
export const MAX_LOAD_BALANCER_NAME = 32;

const LOAD_BALANCER_SUFFIX = "-alb";

/** Longest `namePrefix` whose load balancer name still fits. */
export const MAX_LOAD_BALANCER_NAME_PREFIX = MAX_LOAD_BALANCER_NAME - LOAD_BALANCER_SUFFIX.length;

/** `<namePrefix>-alb`, e.g. `pos-prod-alb`. Fixed once created: a new name replaces the load balancer and its DNS name. */
export const loadBalancerName = (namePrefix: string): string => `${namePrefix}${LOAD_BALANCER_SUFFIX}`;

/** True when `name` is `zoneName` itself or a name below it (`a.example.com` in `example.com`, not `aexample.com`). */
export function isInZone(name: string, zoneName: string): boolean {
    return name === zoneName || name.endsWith(`.${zoneName}`);
}

/**
 * The names ACM asks to see a validation record for: one per name on the certificate, a wildcard sharing
 * its base name's record (`*.example.com` and `example.com` validate through one CNAME), so each record
 * is created once.
 */
export function validationNames(domainName: string, subjectAlternativeNames: readonly string[]): string[] {
    return [...new Set([domainName, ...subjectAlternativeNames].map((n) => n.replace(/^\*\./, "")))];
}

/** `https://<domain>`: the address the stack serves. */
export const publicUrl = (domainName: string): string => `https://${domainName}`;
