import { SectionChecks, problem } from "../checks";

/** Container ports the load balancer may forward to (a public service's `port`): unprivileged, so tasks need no root. */
export const APP_PORT = { min: 1024, max: 65535 } as const;

/** Application name: it starts every AWS name, so it obeys the strictest of their rules. */
export const APP_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const APP_NAME_LENGTH = { min: 2, max: 20 } as const;

/** `baseline:app` */
export const APP_CHECKS: SectionChecks = {
    // No trailing or doubled hyphen, which RDS and ElastiCache identifiers refuse.
    name: (k, v) =>
        typeof v === "string" && v.length >= APP_NAME_LENGTH.min && v.length <= APP_NAME_LENGTH.max && APP_NAME.test(v)
            ? undefined
            : problem(k, v, `${APP_NAME_LENGTH.min}-${APP_NAME_LENGTH.max} lowercase letters and digits, starting with a letter, words joined by single hyphens`),
};
