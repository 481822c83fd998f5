// Marked @internal in the SDK's typings, but exported at run time; the keys its proxy answers to.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getSpecialProxyTarget, isSpecialProxy } = require("@pulumi/policy/proxy") as { getSpecialProxyTarget: string; isSpecialProxy: string };

/**
 * Reading a value that is unknown during preview through the SDK's proxy throws, and the SDK then
 * reports the whole policy as advisory "can't run during preview". Our checks read the unwrapped
 * inputs instead and decide per value: see {@link isUnknown}.
 */

/** The SDK's sentinels for values not known until apply (identical to @pulumi/pulumi's wire values). */
export const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** True when `value` will only be known at apply time. */
export function isUnknown(value: unknown): boolean {
    return typeof value === "string" && UNKNOWN_SENTINELS.has(value);
}

/** True when the value is set: unknown counts as set (it will be something at apply). */
export function isSet(value: unknown): boolean {
    return value !== undefined && value !== null && value !== "";
}

/** Inputs without the SDK's unknown-checking proxy; reading them never throws. */
export function unwrap<T = Record<string, any>>(props: unknown): T {
    if (props !== null && typeof props === "object" && (props as any)[isSpecialProxy] === true) {
        return (props as any)[getSpecialProxyTarget] as T;
    }
    return props as T;
}

/** `a.b[0].c` style getter over plain data; undefined when any step is missing. */
export function at(obj: unknown, path: string): unknown {
    let cur: any = obj;
    for (const step of path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== "")) {
        if (cur === undefined || cur === null || isUnknown(cur)) return cur;
        cur = cur[step];
    }
    return cur;
}

/** The path of the first value unknown until apply inside `value` (depth first), e.g. `policy.Statement[0].Resource[1]`. */
export function firstUnknown(value: unknown, path: string): string | undefined {
    if (isUnknown(value)) return path;
    if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
            const found = firstUnknown(value[i], `${path}[${i}]`);
            if (found) return found;
        }
    } else if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
            const found = firstUnknown(v, `${path}.${k}`);
            if (found) return found;
        }
    }
    return undefined;
}

/** Lists from the wire: unknown or absent become [] (callers decide separately what unknown means). */
export function list<T = any>(value: unknown): T[] {
    return Array.isArray(value) ? (value as T[]) : [];
}

/**
 * Documents parsed recently, by their text: several policies read the same policy document or container
 * definitions, and a stack repeats them. Bounded, so a pack run over a huge stack does not hold them all.
 * Callers only read what they get (a parsed document is shared between policies).
 */
const parsed = new Map<string, unknown>();
const PARSED_LIMIT = 2048;

/** Parse a JSON document input (policies, container definitions); unknown or malformed → undefined. */
export function parseJson(value: unknown): any {
    if (typeof value !== "string") return typeof value === "object" ? value : undefined;
    if (isUnknown(value)) return undefined;
    if (parsed.has(value)) return parsed.get(value);
    let doc: unknown;
    try {
        doc = JSON.parse(value);
    } catch {
        doc = undefined;
    }
    if (parsed.size >= PARSED_LIMIT) parsed.clear();
    parsed.set(value, doc);
    return doc;
}

/** Render a value for a violation message. */
export function show(value: unknown): string {
    if (isUnknown(value)) return "(unknown until apply)";
    return value === undefined ? "(unset)" : JSON.stringify(value);
}

/** `true`, or the string "true" in any case and padding (a flag written from stack config). */
export function isTrue(value: unknown): boolean {
    return value === true || (typeof value === "string" && !isUnknown(value) && value.trim().toLowerCase() === "true");
}

/** `false`, or the string "false" in any case and padding (a flag written from stack config). */
export function isFalse(value: unknown): boolean {
    return value === false || (typeof value === "string" && !isUnknown(value) && value.trim().toLowerCase() === "false");
}
