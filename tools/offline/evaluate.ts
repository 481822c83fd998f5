import {
    EnforcementLevel, Policies, PolicyResource, PolicyResourceOptions, ReportViolation, ResourceValidationPolicy,
    Severity, StackValidationPolicy, unknownCheckingProxy, UnknownValueError,
} from "@pulumi/policy";
// @internal in the SDK's typings; the function its server uses to turn wire values into policy props.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { deserializeProperties } = require("@pulumi/policy/deserialize") as { deserializeProperties(struct: { toJavaScript(): unknown }, proxySecrets: boolean): Record<string, any> };
import Ajv from "ajv";

/**
 * The policy engine's side of `pulumi preview --policy-pack`, offline: the same argument shapes,
 * level resolution, type filtering, unknown-value proxy and "can't run during preview" downgrade as
 * @pulumi/policy's analyzer server (server.ts), without the CLI or gRPC.
 */

/** A resource as the engine hands it to analyzers. `props` is the wire form (unknown sentinels, secret wrappers). */
export interface EvalResource {
    urn: string;
    type: string;
    name: string;
    props: Record<string, any>;
    opts: PolicyResourceOptions;
    parent?: string;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
}

export interface Diagnostic {
    policyName: string;
    message: string;
    urn?: string;
    enforcementLevel: EnforcementLevel;
    severity?: Severity;
    description: string;
    remediationSteps?: string;
    url?: string;
    /** True when the SDK would report "can't run policy during preview" (an unknown value was read). */
    cantRunDuringPreview?: boolean;
}

/** `--policy-pack-config` file: a level for all, and per policy a level or an object with `enforcementLevel` and properties. */
export type PolicyPackConfig = Record<string, unknown>;

export type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;
const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export class PolicyConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid policy configuration:\n  - ${problems.join("\n  - ")}`);
        this.name = "PolicyConfigError";
    }
}

export interface ResolvedPolicyConfig {
    /** Pack-wide level from `all`, if any. */
    all?: EnforcementLevel;
    levels: Map<string, EnforcementLevel>;
    /** Per policy: properties with schema defaults filled in (what the CLI sends in Configure). */
    properties: Map<string, Record<string, unknown>>;
}

/**
 * Validate a policy pack config against the pack and fill in schema defaults, as the CLI does before a
 * preview. Deliberately stricter than the CLI, which only checks each policy's properties: a misspelt
 * policy name or setting would otherwise be ignored there without a word. Errors name the policy, the
 * key, the value and what is allowed.
 */
export function resolvePolicyConfig(policies: Policies, config: PolicyPackConfig = {}): ResolvedPolicyConfig {
    const problems: string[] = [];
    const byName = new Map(policies.map((p) => [p.name, p]));
    const levels = new Map<string, EnforcementLevel>();
    const properties = new Map<string, Record<string, unknown>>();
    const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, verbose: true });

    let all: EnforcementLevel | undefined;
    if (config.all !== undefined) {
        if (LEVELS.includes(config.all as EnforcementLevel)) all = config.all as EnforcementLevel;
        else problems.push(`all = ${JSON.stringify(config.all)} is not allowed: expected one of ${LEVELS.join(", ")}`);
    }
    for (const key of Object.keys(config)) {
        if (key !== "all" && key !== "$schema" && !byName.has(key)) {
            problems.push(`${key} is not a policy of this pack: known policies are ${[...byName.keys()].sort().join(", ")}`);
        }
    }
    for (const policy of policies) {
        const given = config[policy.name];
        let props: Record<string, unknown> = {};
        if (typeof given === "string") {
            if (LEVELS.includes(given as EnforcementLevel)) levels.set(policy.name, given as EnforcementLevel);
            else problems.push(`${policy.name} = ${JSON.stringify(given)} is not allowed: expected one of ${LEVELS.join(", ")}, or an object`);
        } else if (given !== undefined && (typeof given !== "object" || given === null || Array.isArray(given))) {
            problems.push(`${policy.name} = ${JSON.stringify(given)} is not allowed: expected an enforcement level or an object of settings`);
        } else if (given) {
            const { enforcementLevel, ...rest } = given as Record<string, unknown>;
            if (enforcementLevel !== undefined) {
                if (LEVELS.includes(enforcementLevel as EnforcementLevel)) levels.set(policy.name, enforcementLevel as EnforcementLevel);
                else problems.push(`${policy.name}.enforcementLevel = ${JSON.stringify(enforcementLevel)} is not allowed: expected one of ${LEVELS.join(", ")}`);
            }
            props = JSON.parse(JSON.stringify(rest));
        }
        if (policy.configSchema) {
            const validate = ajv.compile({ type: "object", ...policy.configSchema });
            if (!validate(props)) {
                for (const e of validate.errors ?? []) {
                    const where = `${policy.name}${e.instancePath.replace(/\//g, ".")}`;
                    const value = e.instancePath
                        ? e.instancePath.split("/").slice(1).reduce<any>((o, k) => (o === undefined ? o : o[k]), props)
                        : undefined;
                    const allowed = e.instancePath === "" ? ["enforcementLevel", ...Object.keys(policy.configSchema.properties)] : Object.keys((e.parentSchema as any)?.properties ?? {});
                    const detail = e.keyword === "additionalProperties"
                        ? `${where}.${(e.params as any).additionalProperty} is not a setting: allowed keys are ${allowed.join(", ")}`
                        : `${where} = ${JSON.stringify(value)} is not allowed: ${patternReason(e) ?? e.message}`;
                    problems.push(detail);
                }
            }
        } else if (Object.keys(props).length > 0) {
            problems.push(`${policy.name} takes no settings besides enforcementLevel; got ${Object.keys(props).join(", ")}`);
        }
        properties.set(policy.name, props);
    }
    if (problems.length > 0) throw new PolicyConfigError(problems);
    return { all, levels, properties };
}

/** A failed `pattern` says what it wants through the property's description: the regular expression itself reads badly. */
function patternReason(e: { keyword: string; parentSchema?: unknown }): string | undefined {
    const description = (e.parentSchema as { description?: unknown } | undefined)?.description;
    return e.keyword === "pattern" && typeof description === "string" ? description : undefined;
}

const isResourcePolicy = (p: AnyPolicy): p is ResourceValidationPolicy => "validateResource" in p;
const isStackPolicy = (p: AnyPolicy): p is StackValidationPolicy => "validateStack" in p;
/** What the SDK's analyze answers "Policy does not implement validateResource" for (a remediation without a validation). */
const isRemediationOnly = (p: AnyPolicy) => {
    const { validateResource, remediateResource } = p as Partial<ResourceValidationPolicy>;
    return !validateResource && !isStackPolicy(p) && typeof remediateResource === "function";
};

class NotApplicable extends Error {
    constructor(readonly reason?: string) {
        super(reason ?? "Policy does not apply");
    }
}
const throwNotApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
};

/** The CLI's order: the policy's own entry, then `all`, then the policy's default (the pack default is advisory). */
export function levelOf(p: AnyPolicy, cfg: ResolvedPolicyConfig): EnforcementLevel {
    const level = cfg.levels.get(p.name) ?? cfg.all ?? p.enforcementLevel ?? "advisory";
    return level === "remediate" ? "mandatory" : level;
}

/** `resourceUrn`: the engine attaches a resource policy's diagnostics to the resource it analyzed. */
function reporter(p: AnyPolicy, level: EnforcementLevel, out: Diagnostic[], resourceUrn?: string): ReportViolation {
    const base = { policyName: p.name, description: p.description, severity: p.severity, remediationSteps: p.remediationSteps, url: p.url };
    return (message: any, reportedUrn?: string) => {
        const urn = reportedUrn || resourceUrn;
        if (typeof message === "object" && message !== null) {
            // As makeReportViolationFun: the object names its own policy, description and URN (a second argument is ignored).
            out.push({
                ...base, policyName: message.name || p.name, description: message.description || p.description, message: message.message || message.description || p.description,
                urn: message.urn || resourceUrn, enforcementLevel: message.enforcementLevel || level, severity: message.severity || p.severity,
            });
        } else {
            out.push({ ...base, message: message ? `${p.description}\n${message}` : p.description, urn, enforcementLevel: level });
        }
    };
}

function cantRun(p: AnyPolicy, e: UnknownValueError, urn?: string): Diagnostic {
    return {
        policyName: p.name, description: p.description, severity: p.severity, remediationSteps: p.remediationSteps, urn,
        message: `can't run policy '${p.name}' during preview: ${e.message}`, enforcementLevel: "advisory", cantRunDuringPreview: true,
    };
}

const pulumiTypeOf = (fn: unknown): string | undefined => (fn as { __pulumiType?: string } | undefined)?.__pulumiType;
/** Set by policies/lib/define.ts on functions that serve several tokens; lets us skip like the SDK does for one. */
const pulumiTypesOf = (fn: unknown): ReadonlySet<string> | undefined => (fn as { __pulumiTypes?: ReadonlySet<string> } | undefined)?.__pulumiTypes;

/** Deserialized once per resource (policies only read it), wrapped in a fresh proxy per call as the SDK does. */
const deserialized = new WeakMap<EvalResource, Record<string, any>>();
function propsOf(r: EvalResource): Record<string, any> {
    let plain = deserialized.get(r);
    if (!plain) {
        plain = deserializeProperties({ toJavaScript: () => r.props }, false);
        deserialized.set(r, plain);
    }
    return unknownCheckingProxy(plain);
}

export interface EvaluateOptions {
    policies: Policies;
    config?: ResolvedPolicyConfig;
    stackTags?: Map<string, string>;
}

export interface Evaluation {
    diagnostics: Diagnostic[];
    /** policy name → how many resources it was not applicable to. */
    notApplicable: Map<string, number>;
}

type ActivePolicy = { p: AnyPolicy; level: EnforcementLevel };
type ResourceEntry = ActivePolicy & { fns: Function[]; order: number };

/** The type tokens a resource policy is limited to (one validate function carrying them), or undefined for any type. */
function typesOf(p: ResourceValidationPolicy): ReadonlySet<string> | undefined {
    const fns = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
    if (fns.length !== 1) return undefined;
    const only = pulumiTypeOf(fns[0]);
    return only ? new Set([only]) : pulumiTypesOf(fns[0]);
}

function typedPolicies(active: ActivePolicy[]): { p: AnyPolicy; types: ReadonlySet<string> }[] {
    return active.flatMap(({ p }) => {
        const types = isResourcePolicy(p) && p.validateResource ? typesOf(p) : undefined;
        return types ? [{ p, types }] : [];
    });
}

/** Resource policies by the type tokens they apply to, in pack order; `untyped` apply to every resource. */
function resourcePoliciesByType(active: ActivePolicy[]): { byType: Map<string, ResourceEntry[]>; untyped: ResourceEntry[] } {
    const byType = new Map<string, ResourceEntry[]>();
    const untyped: ResourceEntry[] = [];
    for (const [order, { p, level }] of active.entries()) {
        if (!isResourcePolicy(p) || !p.validateResource) continue;
        const entry = { p, level, order, fns: Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource] };
        const types = typesOf(p);
        if (!types) untyped.push(entry);
        else for (const t of types) byType.set(t, [...(byType.get(t) ?? []), entry]);
    }
    return { byType, untyped };
}

/** Run each resource policy on the resources of its types (every resource when it declares none), then every stack policy on the whole list. */
export async function evaluate(resources: EvalResource[], options: EvaluateOptions): Promise<Evaluation> {
    const cfg = options.config ?? resolvePolicyConfig(options.policies);
    const stackTags = options.stackTags ?? new Map<string, string>();
    const diagnostics: Diagnostic[] = [];
    const notApplicable = new Map<string, number>();
    const skip = (p: AnyPolicy) => notApplicable.set(p.name, (notApplicable.get(p.name) ?? 0) + 1);
    const getConfigFor = (p: AnyPolicy) => () => ({ ...(cfg.properties.get(p.name) ?? {}) });

    const active = options.policies.map((p) => ({ p, level: levelOf(p, cfg) })).filter(({ level }) => level !== "disabled");
    const { byType, untyped } = resourcePoliciesByType(active);

    for (const r of resources) {
        // Only the policies for this resource's type (and those that declare none), in pack order: the SDK
        // calls every policy and lets it answer notApplicable, which comes to the same diagnostics.
        const typed = byType.get(r.type) ?? [];
        const applicable = untyped.length === 0 ? typed : [...typed, ...untyped].sort((a, b) => a.order - b.order);
        for (const { p, level, fns } of applicable) {
            const report = reporter(p, level, diagnostics, r.urn);
            for (const fn of fns) {
                const props = propsOf(r);
                try {
                    await fn(
                        {
                            type: r.type, props, urn: r.urn, name: r.name, opts: r.opts, stackTags,
                            isType: (cls: any) => r.type === pulumiTypeOf(cls),
                            asType: (cls: any) => (r.type === pulumiTypeOf(cls) ? props : undefined),
                            getConfig: getConfigFor(p),
                            notApplicable: throwNotApplicable,
                        } as any,
                        report,
                    );
                } catch (e) {
                    if (e instanceof UnknownValueError) diagnostics.push(cantRun(p, e, r.urn));
                    else if (e instanceof NotApplicable) skip(p);
                    else throw new Error(`Error validating ${r.urn} with policy '${p.name}': ${(e as Error).stack ?? e}`);
                }
            }
        }
    }
    // Typed policies were not called for other types: count those resources as not applicable, as the SDK would.
    const perType = new Map<string, number>();
    for (const r of resources) perType.set(r.type, (perType.get(r.type) ?? 0) + 1);
    for (const { p, types } of typedPolicies(active)) {
        let applicable = 0;
        for (const t of types) applicable += perType.get(t) ?? 0;
        if (resources.length > applicable) notApplicable.set(p.name, (notApplicable.get(p.name) ?? 0) + resources.length - applicable);
    }
    // A remediation-only policy (policies/lib/remediation.ts remediationOnly) is a resource policy to the SDK,
    // which answers "Policy does not implement validateResource" for every resource it analyzes.
    for (const { p } of active) {
        if (!isRemediationOnly(p) || resources.length === 0) continue;
        notApplicable.set(p.name, (notApplicable.get(p.name) ?? 0) + resources.length);
    }

    const stackPolicies = active.filter(({ p }) => isStackPolicy(p));
    if (stackPolicies.length > 0) {
        // The SDK builds this list afresh for each stack policy; policies only read it, so one list
        // serves all of them here (10,000 resources × 30 policies would otherwise dominate the run).
        let shared: PolicyResource[] | undefined;
        for (const { p, level } of stackPolicies) {
            const sp = p as StackValidationPolicy;
            const only = pulumiTypeOf(sp.validateStack);
            if (only && !resources.some((r) => r.type === only)) {
                skip(p);
                continue;
            }
            try {
                shared ??= policyResources(resources);
                await sp.validateStack({ resources: shared, getConfig: getConfigFor(p), stackTags, notApplicable: throwNotApplicable } as any, reporter(p, level, diagnostics));
            } catch (e) {
                if (e instanceof UnknownValueError) diagnostics.push(cantRun(p, e));
                else if (e instanceof NotApplicable) skip(p);
                else throw new Error(`Error validating the stack with policy '${p.name}': ${(e as Error).stack ?? e}`);
            }
        }
    }
    return { diagnostics, notApplicable };
}

/** The SDK builds fresh proxied resources, linked by parent and dependencies, for each stack policy. */
function policyResources(resources: EvalResource[]): PolicyResource[] {
    const byUrn = new Map<string, PolicyResource>();
    const out = resources.map((r) => {
        const props = propsOf(r);
        const pr: PolicyResource = {
            type: r.type, props, urn: r.urn, name: r.name, opts: r.opts, dependencies: [], propertyDependencies: {},
            isType: (cls: any) => r.type === pulumiTypeOf(cls),
            asType: (cls: any) => (r.type === pulumiTypeOf(cls) ? props : undefined),
        } as PolicyResource;
        byUrn.set(r.urn, pr);
        return pr;
    });
    resources.forEach((r, i) => {
        const pr = out[i];
        if (r.parent && byUrn.has(r.parent)) (pr as any).parent = byUrn.get(r.parent);
        pr.dependencies = r.dependencies.map((d) => byUrn.get(d)!).filter((d) => d);
        for (const [k, urns] of Object.entries(r.propertyDependencies)) pr.propertyDependencies[k] = urns.map((d) => byUrn.get(d)!).filter((d) => d);
    });
    return out;
}
