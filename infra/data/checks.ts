import { Environment } from "../config/types";

/**
 * Checks of a data store's own arguments, the ones that are not config (config is checked with
 * `assertSection` and the section's checks). They throw before a component registers anything, naming
 * the component, the argument, what was found and what is expected.
 */

/** `<component>: <key> is <value>, expected <min> to <max><detail>.` unless `value` is a whole number in range. */
export function requireWholeNumber(component: string, key: string, value: number, min: number, max: number, detail = ""): void {
    if (!Number.isInteger(value) || value < min || value > max) {
        throw new Error(`${component}: ${key} is ${value}, expected ${min} to ${max}${detail}.`);
    }
}

/** `<component>: <key> is "<value>", expected one of <allowed>.` unless `value` is one of `allowed`. */
export function requireOneOf(component: string, key: string, value: string, allowed: readonly string[]): void {
    if (!allowed.includes(value)) {
        throw new Error(`${component}: ${key} is ${JSON.stringify(value)}, expected one of ${allowed.join(", ")}.`);
    }
}

/** Fewest members (nodes, instances) of a replicated store: prod keeps a replica to fail over to. */
export const minimumMembers = (environment: Environment): number => (environment === "prod" ? 2 : 1);
