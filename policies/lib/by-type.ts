import { StackResource } from "./define";

/**
 * The stack's resources grouped by type token, built once per resource list and shared by every stack
 * policy: a stack policy then costs what its own types hold, not the whole stack, so adding policies
 * for other services does not slow down the evaluation of a stack that has none of them.
 */
const groupsOf = new WeakMap<readonly StackResource[], Map<string, StackResource[]>>();

function groups(resources: readonly StackResource[]): Map<string, StackResource[]> {
    let byType = groupsOf.get(resources);
    if (!byType) {
        byType = new Map();
        for (const r of resources) {
            const group = byType.get(r.type);
            if (group) group.push(r);
            else byType.set(r.type, [r]);
        }
        // Shared by every stack policy: one that sorted or filtered a group in place would change what the others see.
        for (const group of byType.values()) Object.freeze(group);
        groupsOf.set(resources, byType);
    }
    return byType;
}

const EMPTY: readonly StackResource[] = Object.freeze([]);

/** Where each resource sits in its list, to merge several types back into stack order. */
const positionsOf = new WeakMap<readonly StackResource[], Map<StackResource, number>>();

function positions(resources: readonly StackResource[]): Map<StackResource, number> {
    let at = positionsOf.get(resources);
    if (!at) {
        at = new Map(resources.map((r, i) => [r, i]));
        positionsOf.set(resources, at);
    }
    return at;
}

/** The resources of one type token, or of any of several, in stack order (as `resources.filter` would give), each once. Read-only (frozen when shared). */
export function ofType(resources: readonly StackResource[], ...tokens: string[]): StackResource[] {
    const byType = groups(resources);
    const found = [...new Set(tokens)].map((t) => byType.get(t)).filter((g): g is StackResource[] => g !== undefined);
    if (found.length === 0) return EMPTY as StackResource[];
    if (found.length === 1) return found[0];
    const at = positions(resources);
    return found.flat().sort((a, b) => at.get(a)! - at.get(b)!);
}

/** Whether the stack holds any resource of these types (lets a stack policy return at once). */
export function hasType(resources: readonly StackResource[], ...tokens: string[]): boolean {
    const byType = groups(resources);
    return tokens.some((t) => byType.has(t));
}

/** Per resource list: for "type|input", each source resource → the resources of that type whose input came from it. */
const referrersIndex = new WeakMap<readonly StackResource[], Map<string, Map<StackResource, StackResource[]>>>();

/**
 * The resources of `type` whose `input` came from `target` (the engine's property dependency), e.g. the
 * route table associations of a subnet. Indexed once per list, type and input, so a join from each of N
 * subnets costs N lookups rather than N scans of the stack.
 */
export function referrersOf(resources: readonly StackResource[], target: StackResource, type: string, input: string): readonly StackResource[] {
    let perList = referrersIndex.get(resources);
    if (!perList) referrersIndex.set(resources, (perList = new Map()));
    const key = `${type}|${input}`;
    let index = perList.get(key);
    if (!index) {
        index = new Map();
        for (const r of ofType(resources, type)) {
            for (const source of new Set(r.propertyDependencies[input] ?? [])) {
                const list = index.get(source);
                if (list) list.push(r);
                else index.set(source, [r]);
            }
        }
        perList.set(key, index);
    }
    return index.get(target) ?? EMPTY;
}
