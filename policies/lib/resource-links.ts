import { StackResource } from "./define";
import { isUnknown } from "./props";

/**
 * Joins between resources of a stack: a standalone resource (a lifecycle policy, an attachment) to
 * the resource it configures. During preview the reference is usually an unknown name, so the
 * property dependency is the reliable link; a known name is the fallback (resources created
 * elsewhere, or names set explicitly).
 */

/** True when `from.props[prop]` (a value or a list) refers to `target`, by dependency or by `target.props[nameProp]`. */
export function refersTo(from: StackResource, prop: string, target: StackResource, nameProp = "name"): boolean {
    if ((from.propertyDependencies[prop] ?? []).includes(target)) return true;
    const name = target.props[nameProp];
    if (typeof name !== "string" || name === "" || isUnknown(name)) return false;
    const value = from.props[prop];
    return (Array.isArray(value) ? value : [value]).includes(name);
}

/** True when `from.props[prop]` may refer to something we cannot identify: unknown, and not produced by any resource of the given type. */
export function unresolvedReference(from: StackResource, prop: string, targetType: string): boolean {
    const value = from.props[prop];
    const unknown = isUnknown(value) || (Array.isArray(value) && value.some(isUnknown));
    return unknown && !(from.propertyDependencies[prop] ?? []).some((d) => d.type === targetType);
}

/** Resources that the value of `from.props[prop]` came from, limited to one type. */
export function sourcesOf(from: StackResource, prop: string, type: string): StackResource[] {
    return (from.propertyDependencies[prop] ?? []).filter((d) => d.type === type);
}
