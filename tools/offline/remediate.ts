import { EnforcementLevel, Policies, ResourceValidationPolicy, Secret, unknownCheckingProxy, UnknownValueError } from "@pulumi/policy";
// @internal in the SDK's typings; what its server uses to turn wire values into remediation props.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { deserializeProperties, serializeProperties } = require("@pulumi/policy/deserialize") as {
    deserializeProperties(struct: { toJavaScript(): unknown }, proxySecrets: boolean): Record<string, any>;
    serializeProperties(value: unknown): Promise<any>;
};
import { deepEqual, revealed as reveal, wireOf } from "../../policies/lib/remediation";
import { isUnknown } from "../../policies/lib/props";
import { AnyPolicy, EvalResource, ResolvedPolicyConfig, resolvePolicyConfig } from "./evaluate";

/**
 * The policy engine's Remediate call, offline (@pulumi/policy server.ts makeRemediateRpcFun): for each
 * resource, the remediations of the policies at level "remediate", in pack order, each given the
 * previous one's output; inputs deserialized with secrets kept as `Secret` and behind the unknown-checking
 * proxy. The engine then hands the final inputs to the provider and validates them at mandatory.
 * Nothing is applied here: the result says what would change, and the remediated resources can be
 * evaluated in place of the program's.
 */

/** One policy's change to one resource. */
export interface Remediation {
    urn: string;
    type: string;
    name: string;
    policyName: string;
    /** `- path: old` / `+ path: new` lines; secret values print as [secret]. */
    diff: string[];
}

export interface RemediationRun {
    remediations: Remediation[];
    /** The resources with every remediation applied (wire form), in the order given. */
    resources: EvalResource[];
    /** "can't run remediation ... during preview" notes: a remediation read an unknown value through the proxy. */
    cantRun: { urn: string; policyName: string; message: string }[];
}

export interface RemediateOptions {
    policies: Policies;
    config?: ResolvedPolicyConfig;
    stackTags?: Map<string, string>;
    /**
     * Run every remediation whose policy is not disabled, as if its level were "remediate" (what
     * `check --remediate` shows). Otherwise only those at "remediate", as the engine does.
     */
    asIfRemediate?: boolean;
}

/** The level the CLI resolves (the policy's entry, then `all`, then its default), "remediate" kept as such. */
export function configuredLevel(p: AnyPolicy, cfg: ResolvedPolicyConfig): EnforcementLevel {
    return cfg.levels.get(p.name) ?? cfg.all ?? p.enforcementLevel ?? "advisory";
}

class NotApplicable extends Error {}
const throwNotApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
};

const typeOf = (fn: unknown) => fn as { __pulumiType?: string; __pulumiTypes?: ReadonlySet<string> } | undefined;
const appliesTo = (fn: unknown, type: string) => {
    const { __pulumiType: one, __pulumiTypes: several } = typeOf(fn) ?? {};
    return !(one && one !== type) && !(several && !several.has(type));
};

export async function remediate(resources: EvalResource[], options: RemediateOptions): Promise<RemediationRun> {
    const cfg = options.config ?? resolvePolicyConfig(options.policies);
    const stackTags = options.stackTags ?? new Map<string, string>();
    const active = options.policies.filter((p): p is ResourceValidationPolicy => {
        const level = configuredLevel(p, cfg);
        return typeof (p as ResourceValidationPolicy).remediateResource === "function" && (options.asIfRemediate ? level !== "disabled" : level === "remediate");
    });
    const run: RemediationRun = { remediations: [], resources: [], cantRun: [] };
    for (const r of resources) {
        const applicable = active.filter((p) => appliesTo(p.remediateResource, r.type));
        if (applicable.length === 0) {
            run.resources.push(r);
            continue;
        }
        let props: Record<string, any> = unknownCheckingProxy(deserializeProperties({ toJavaScript: () => r.props }, true));
        for (const p of applicable) {
            const args = {
                urn: r.urn, name: r.name, type: r.type, opts: r.opts, props, stackTags,
                getConfig: () => ({ ...(cfg.properties.get(p.name) ?? {}) }),
                isType: (cls: any) => r.type === typeOf(cls)?.__pulumiType,
                asType: (cls: any) => (r.type === typeOf(cls)?.__pulumiType ? props : undefined),
                notApplicable: throwNotApplicable,
            };
            try {
                const result = await p.remediateResource!(args as any);
                if (!result) continue;
                const diff = diffLines(wireOf(props), wireOf(result));
                props = result;
                if (diff.length > 0) run.remediations.push({ urn: r.urn, type: r.type, name: r.name, policyName: p.name, diff });
            } catch (e) {
                if (e instanceof UnknownValueError) run.cantRun.push({ urn: r.urn, policyName: p.name, message: `can't run remediation '${p.name}' during preview: ${(e as Error).message}` });
                else if (!(e instanceof NotApplicable)) throw new Error(`Error remediating ${r.urn} with policy '${p.name}': ${(e as Error).stack ?? e}`);
            }
        }
        run.resources.push({ ...r, props: await toWire(r.props, wireOf(props)) });
    }
    return run;
}

/**
 * The remediated inputs in wire form: keys the remediations left alone keep the program's wire value, and
 * changed ones are serialized by the SDK's own serializeProperties, as makeRemediateRpcFun sends them
 * (secrets signed, undefined array elements as null, assets as signatures).
 */
async function toWire(original: Record<string, any>, remediated: Record<string, any>): Promise<Record<string, any>> {
    const before = deserializeProperties({ toJavaScript: () => original }, true);
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(remediated)) {
        const wire = k in before && deepEqual(reveal(before[k]), reveal(v)) && sameSecrecy(before[k], v) ? original[k] : await serializeProperties(v);
        if (wire !== undefined) out[k] = wire;
    }
    return out;
}

const sameSecrecy = (a: unknown, b: unknown) => wireOf(a) instanceof Secret === wireOf(b) instanceof Secret;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

function render(value: unknown, secret: boolean): string {
    if (value === undefined) return "(unset)";
    if (secret) return "[secret]";
    if (isUnknown(value)) return "(unknown until apply)";
    return JSON.stringify(reveal(value));
}

/**
 * `- path: old` / `+ path: new` for every leaf that differs (arrays of a different length as a whole).
 * A value under a secret prints as [secret]: the diff shows that it changed, never what it holds.
 */
export function diffLines(before: unknown, after: unknown, path = "", secret = false): string[] {
    const b = wireOf(before);
    const a = wireOf(after);
    const bs = secret || b instanceof Secret;
    const as = secret || a instanceof Secret;
    const bv = b instanceof Secret ? wireOf(b.value) : b;
    const av = a instanceof Secret ? wireOf(a.value) : a;
    if (deepEqual(reveal(bv), reveal(av)) && bs === as) return [];
    const at = (k: string | number) => (typeof k === "number" ? `${path}[${k}]` : path ? `${path}.${k}` : k);
    if (isRecord(bv) && isRecord(av)) {
        const keys = [...new Set([...Object.keys(bv), ...Object.keys(av)])].sort();
        return keys.flatMap((k) => diffLines(bv[k], av[k], at(k), secret || bs || as));
    }
    if (Array.isArray(bv) && Array.isArray(av) && bv.length === av.length) return bv.flatMap((x, i) => diffLines(x, av[i], at(i), secret || bs || as));
    // A value that was secret stays hidden on both sides, even where a remediation dropped the secrecy.
    const lines: string[] = [];
    if (bv !== undefined) lines.push(`- ${path}: ${render(bv, bs)}`);
    if (av !== undefined) lines.push(`+ ${path}: ${render(av, as || bs)}`);
    return lines;
}

/** The remediations as text: per resource URN (sorted, so the output is stable), the policy and its diff. */
export function remediationReport(run: RemediationRun): string {
    const lines = [run.remediations.length === 0 ? "No remediations: the pack would change nothing." : `Remediations the pack would make (${run.remediations.length}; nothing applied):`];
    for (const r of [...run.remediations].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0))) {
        lines.push("", `  ${r.urn}`, `    ${r.policyName}`, ...r.diff.map((l) => `      ${l}`));
    }
    for (const c of run.cantRun) lines.push("", `  ${c.urn}`, `    ${c.message}`);
    return lines.join("\n");
}
