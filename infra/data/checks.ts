import { Environment } from "../config/types";

/**
 * Argument checks the data stores share. They throw before a component registers anything, naming the
 * component, the argument, what was found and what is expected.
 */

/** `<component>: <key> is <value>, expected <min> to <max><detail>.` unless `value` is a whole number in range. */
export function requireWholeNumber(component: string, key: string, value: number, min: number, max: number, detail = ""): void {
    if (!Number.isInteger(value) || value < min || value > max) {
        throw new Error(`${component}: ${key} is ${value}, expected ${min} to ${max}${detail}.`);
    }
}

/** Fewest members (nodes, instances) of a replicated store: prod keeps a replica to fail over to. */
export const minimumMembers = (environment: Environment): number => (environment === "prod" ? 2 : 1);
