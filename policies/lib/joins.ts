import { StackResource } from "./define";
import { isUnknown } from "./props";

/**
 * Joins between the resources of a stack, for stack policies: a resource that configures or points
 * at another (a bucket setting, a rule, an association, a lifecycle policy, a backup selection) to
 * the resource one of its inputs refers to. Two kinds of evidence, in this order:
 *
 * 1. The property dependency: the engine records which resources an input's value came from
 *    (`bucket: bucket.id`). At a first preview ids and names are unknown, so it is the only link.
 * 2. A known literal: the input's value (a string, or a list of strings) equals an identifier of the
 *    candidate. This covers names set explicitly, resources created elsewhere and outputs after apply.
 *
 * An unknown value with no property dependency cannot be joined during preview ({@link unresolved}):
 * callers then report the check as unverifiable rather than passing or failing it.
 */

/** Type tokens: one, or a set of them. */
export type Types = string | ReadonlySet<string>;

const isOf = (r: StackResource, types: Types | undefined) => types === undefined || (typeof types === "string" ? r.type === types : types.has(r.type));

/** The resources `from.props[input]`'s value came from (its property dependencies), only those of `types` when given. */
export function sourcesOf(from: StackResource, input: string, types?: Types): StackResource[] {
    return (from.propertyDependencies[input] ?? []).filter((d) => isOf(d, types));
}

/** True when `input`'s value came from resources of the stack and every one of them is of `types`. */
export function comesOnlyFrom(from: StackResource, input: string, types: Types): boolean {
    const sources = sourcesOf(from, input);
    return sources.length > 0 && sources.every((d) => isOf(d, types));
}

/** A known, non-empty string: a value that can identify a resource. */
export function isKnownId(value: unknown): value is string {
    return typeof value === "string" && value !== "" && !isUnknown(value);
}

/** The known identifiers in a value: the value itself, or the entries of a list; unknown and empty ones are left out. */
export function knownIds(value: unknown): string[] {
    return (Array.isArray(value) ? value : [value]).filter(isKnownId);
}

/** True when a value is unknown until apply, or is a list holding such a value. */
export function hasUnknown(value: unknown): boolean {
    return isUnknown(value) || (Array.isArray(value) && value.some(isUnknown));
}

export interface LinkOptions {
    /** The candidate's inputs that identify it: a literal equal to one of them refers to it. Default `["arn"]`. */
    ids?: readonly string[];
    /**
     * Instead of `ids`: whether a known literal refers to the candidate, for identifiers spelt another
     * way (a name inside an ARN or a domain) or patterns (an ARN with `*` wildcards).
     */
    matches?: (literal: string, candidate: StackResource) => boolean;
    /**
     * The literal to compare, when it is not the whole input but sits inside it (`accessLogs.bucket`):
     * dependencies are recorded per top-level input. Set, even to undefined, it replaces `from.props[input]`.
     */
    value?: unknown;
}

/**
 * The candidates `from.props[input]` refers to: those among its property dependencies (in dependency
 * order), else those a known literal in the value identifies (in candidate order, see {@link LinkOptions}).
 */
export function linked(from: StackResource, input: string, candidates: readonly StackResource[], opts: LinkOptions = {}): StackResource[] {
    const byDependency = [...new Set(sourcesOf(from, input).filter((d) => candidates.includes(d)))];
    if (byDependency.length > 0) return byDependency;
    const literals = knownIds("value" in opts ? opts.value : from.props[input]);
    if (literals.length === 0) return [];
    const ids = opts.ids ?? ["arn"];
    const matches = opts.matches ?? ((literal: string, c: StackResource) => ids.some((id) => c.props[id] === literal));
    return candidates.filter((c) => literals.some((literal) => matches(literal, c)));
}

/** True when `from.props[input]` refers to `target` (see {@link linked}). */
export function refersTo(from: StackResource, input: string, target: StackResource, opts: LinkOptions = {}): boolean {
    return linked(from, input, [target], opts).length > 0;
}

/**
 * True when the join cannot be decided during preview: `from.props[input]` is unknown (or a list
 * holding an unknown) and came from no resource (of `types`, when given), so it may refer to anything.
 */
export function unresolved(from: StackResource, input: string, types?: Types): boolean {
    return hasUnknown(from.props[input]) && sourcesOf(from, input, types).length === 0;
}
