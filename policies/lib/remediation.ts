import { ResourceValidationPolicy, Secret } from "@pulumi/policy";
import { isUnknown } from "./props";

// Marked @internal in the SDK's typings, but exported at run time; the keys its proxies answer to.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getSpecialProxyTarget, isSpecialProxy } = require("@pulumi/policy/proxy") as { getSpecialProxyTarget: string; isSpecialProxy: string };

/**
 * The plumbing under `remediate` in define.ts. The SDK hands a remediation its inputs wrapped twice
 * (server.ts makeRemediateRpcFun: an unknown-checking proxy over a secrets-preserving proxy over values
 * in which secrets are `Secret` objects), and sends whatever comes back to the engine, which gives it
 * to the provider instead of the program's inputs (pulumi/pulumi#14080, "Policy remediations feature").
 * A remediation that spread the plain view into a new object would hand secrets back in plaintext,
 * and one that replaced an unknown value would overwrite what the program computes at apply. So a
 * remediation here works on a plain deep copy, and its result is merged back onto the wire values:
 * every part it left equal keeps its wire form (secrets stay secrets), a changed secret stays secret,
 * and a value unknown until apply is never replaced or removed.
 */

/** The values under the SDK's proxies (secrets still wrapped in `Secret`). */
export function wireOf(props: unknown): any {
    let cur: any = props;
    while (cur !== null && typeof cur === "object" && cur[isSpecialProxy] === true) cur = cur[getSpecialProxyTarget];
    return cur;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** A deep copy without `Secret` wrappers, for a remediation to read and change freely. */
export function revealed(value: unknown): any {
    const v = wireOf(value);
    if (v instanceof Secret) return revealed(v.value);
    if (Array.isArray(v)) return v.map(revealed);
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revealed(x)]));
    return v; // scalars, assets and archives
}

export function deepEqual(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
    if (isPlainObject(a) && isPlainObject(b)) {
        const ka = Object.keys(a).filter((k) => a[k] !== undefined);
        const kb = Object.keys(b).filter((k) => b[k] !== undefined);
        return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
    }
    return false;
}

/** True when `value` holds a value unknown until apply anywhere inside it. */
function holdsUnknown(value: unknown): boolean {
    if (isUnknown(value)) return true;
    if (Array.isArray(value)) return value.some(holdsUnknown);
    if (isPlainObject(value)) return Object.values(value).some(holdsUnknown);
    return false;
}

/**
 * `after` (a remediation's output over the plain `before`) written back onto `wire`: unchanged parts
 * keep their wire form, a changed secret stays secret, and any part holding an unknown value is kept
 * as it was (a remediation never decides what the program computes at apply).
 */
export function mergeOnto(wire: unknown, before: unknown, after: unknown): unknown {
    const w = wireOf(wire);
    if (deepEqual(before, after)) return w;
    if (holdsUnknown(before) && !(isPlainObject(before) && isPlainObject(after))) return w;
    const secret = w instanceof Secret;
    const inner = secret ? wireOf((w as Secret).value) : w;
    let merged: unknown = after;
    if (isPlainObject(before) && isPlainObject(after)) {
        const out: Record<string, unknown> = {};
        const wireObj = (isPlainObject(inner) ? inner : {}) as Record<string, unknown>;
        for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
            if (after[k] === undefined && !holdsUnknown(before[k])) continue; // removed by the remediation
            const v = after[k] === undefined ? wireObj[k] : mergeOnto(wireObj[k], before[k], after[k]);
            if (v !== undefined) out[k] = v;
        }
        merged = out;
    }
    return secret ? new Secret(merged) : merged;
}

/**
 * Run `fix` on a plain copy of the SDK's props and return the new wire props, or undefined when it
 * changes nothing (after unknown values are put back).
 */
export function remediateWire(props: unknown, fix: (plain: Record<string, any>) => Record<string, any> | undefined): Record<string, any> | undefined {
    const wire = wireOf(props) ?? {};
    const before = revealed(wire) ?? {};
    const after = fix(revealed(wire) ?? {});
    if (after === undefined || after === null) return undefined;
    const merged = mergeOnto(wire, before, after) as Record<string, any>;
    return deepEqual(revealed(merged), before) ? undefined : merged;
}

/**
 * A policy that only remediates: the SDK skips it in analysis ("Policy does not implement
 * validateResource", server.ts makeAnalyzeRpcFun) and runs its remediateResource at level "remediate".
 * For rules that are stack policies (the SDK cannot remediate those): the stack policy stays the one
 * check and sees the remediated inputs, so a finding is never reported twice.
 */
export function remediationOnly(policy: ResourceValidationPolicy): ResourceValidationPolicy {
    if (!policy.remediateResource) throw new Error(`${policy.name} has no remediation`);
    const { validateResource: _validation, ...rest } = policy;
    return rest;
}
