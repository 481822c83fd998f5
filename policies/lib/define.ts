import {
    EnforcementLevel, PolicyResource, PolicyResourceOptions, ReportViolation, ResourceValidationArgs,
    ResourceValidationPolicy, Severity, StackValidationArgs, StackValidationPolicy,
} from "@pulumi/policy";
import { at, show, unwrap } from "./props";
import { remediateWire } from "./remediation";

/**
 * One way to write every policy of the pack: metadata that a reader can act on, a config schema
 * whose defaults are also the typed defaults, exemptions with reasons, and checks that read plain
 * inputs (never the SDK's throwing proxy) so an unknown value cannot silently downgrade a policy.
 */

/** A JSON-schema property with the default the CLI (and the offline check) fills in. */
export interface ConfigProperty {
    type: "integer" | "number" | "string" | "boolean" | "array" | "object";
    description: string;
    default: unknown;
    [keyword: string]: unknown;
}

/**
 * A config list whose entries each name `fields` (non-empty strings) and say why (`reason`), nothing
 * else: how a policy lets a stack name what it accepts despite the rule.
 */
export function listWithReasons(description: string, fields: string[]): ConfigProperty {
    const string = { type: "string", minLength: 1 };
    return {
        type: "array", description, default: [],
        items: {
            type: "object",
            properties: Object.fromEntries([...fields, "reason"].map((f) => [f, string])),
            required: [...fields, "reason"],
            additionalProperties: false,
        },
    };
}

/** A resource that must be exempt from one policy, and why. */
export interface Exemption {
    /** A resource's logical name, or a URN pattern in which `*` matches any run of characters. */
    resource: string;
    reason: string;
}

export interface CommonConfig {
    exemptions: Exemption[];
}

const EXEMPTIONS_SCHEMA: ConfigProperty = {
    type: "array",
    description: "Resources exempt from this policy: a logical name or a URN pattern (* wildcards), each with the reason. Their violations are reported as advisory, marked exempted.",
    default: [],
    items: {
        type: "object",
        properties: {
            // A pattern must name the resource: `urn:*` (or a name of only `*`) would exempt the whole stack.
            // RE2 syntax (no lookaround): the Pulumi CLI validates policy config with Go's regexp.
            resource: {
                type: "string", minLength: 1, pattern: "^([^*:]+|urn:.*::[^:]*[^*:][^:]*)$",
                description: 'expected a logical name (no wildcard), or a URN pattern whose resource name (after the last "::") is more than wildcards',
            },
            reason: { type: "string", minLength: 1 },
        },
        required: ["resource", "reason"],
        additionalProperties: false,
    },
};

export interface PolicyMeta<C> {
    /** kebab-case, unique in the pack. */
    name: string;
    /** What the policy requires, in one sentence. */
    description: string;
    severity: Severity;
    /** Default level; stacks can change it through policy config. */
    enforcementLevel: Extract<EnforcementLevel, "mandatory" | "advisory">;
    /** How to fix a violation, in the program's terms. */
    remediationSteps: string;
    /** Security Hub FSBP control ids (e.g. `RDS.2`), where one corresponds. */
    securityHub?: string[];
    /** Row ids of docs/policy-catalogue.md this policy implements. */
    catalogue: string[];
    /** Policy-specific thresholds; `exemptions` is added to every policy. */
    config?: { [K in keyof C]: ConfigProperty };
}

/** Passed to every check. */
export interface CheckContext<C> {
    config: C & CommonConfig;
    stackTags: ReadonlyMap<string, string>;
}

export interface ResourceContext<C> extends CheckContext<C> {
    type: string;
    name: string;
    urn: string;
    opts: PolicyResourceOptions;
}

/** Stack resources with plain (unproxied) inputs; links point at the same plain objects. */
export interface StackResource {
    type: string;
    name: string;
    urn: string;
    props: Record<string, any>;
    opts: PolicyResourceOptions;
    parent?: StackResource;
    dependencies: StackResource[];
    propertyDependencies: Record<string, StackResource[]>;
}

export interface ResourceReporter {
    /** The resource breaks the rule. Message: "<Resource> must <rule>: <found>, <expected>." */
    violation(message: string): void;
    /**
     * A security value this check needs is unknown until apply. Reported (advisory, saying what could
     * not be verified) instead of passing silently; the rest of the check still runs at its level.
     */
    unverifiable(path: string, value: unknown, requirement: string): void;
}

export interface StackReporter {
    violation(resource: StackResource | undefined, message: string): void;
    unverifiable(resource: StackResource, path: string, requirement: string): void;
}

/** A resource class (`aws.rds.Instance`, whose static `__pulumiType` is the token) or a plain token. */
export type TypeRef = string | Function;
export function tokenOf(t: TypeRef): string {
    const token = typeof t === "string" ? t : (t as unknown as { __pulumiType?: string }).__pulumiType;
    if (!token) throw new Error(`${String(t)} has no Pulumi type token`);
    return token;
}

function defaultsOf<C>(meta: PolicyMeta<C>): C & CommonConfig {
    const defaults: Record<string, unknown> = { exemptions: [] };
    for (const [key, prop] of Object.entries<ConfigProperty>((meta.config ?? {}) as Record<string, ConfigProperty>)) defaults[key] = prop.default;
    return defaults as C & CommonConfig;
}

/** Config as given, over the schema defaults (the CLI fills them in; unit tests and old CLIs may not). */
function configOf<C>(meta: PolicyMeta<C>, given: Record<string, unknown>): C & CommonConfig {
    const merged: Record<string, unknown> = { ...(defaultsOf(meta) as Record<string, unknown>) };
    for (const [k, v] of Object.entries(given ?? {})) if (v !== undefined) merged[k] = v;
    return merged as C & CommonConfig;
}

/** `*` in a URN pattern matches anything; a pattern without `urn:` is an exact logical name. */
export function exemptionFor(exemptions: Exemption[], name: string, urn: string): Exemption | undefined {
    return exemptions.find((e) => {
        if (!e.resource.startsWith("urn:")) return e.resource === name;
        const re = new RegExp(`^${e.resource.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
        return re.test(urn);
    });
}

function securityHubUrl(control: string): string {
    const [svc, n] = control.toLowerCase().split(".");
    return `https://docs.aws.amazon.com/securityhub/latest/userguide/${svc}-controls.html#${svc}-${n}`;
}

function metadata<C>(meta: PolicyMeta<C>) {
    const control = meta.securityHub?.[0];
    return {
        name: meta.name,
        description: meta.description,
        enforcementLevel: meta.enforcementLevel,
        severity: meta.severity,
        remediationSteps: meta.remediationSteps,
        tags: [...meta.catalogue.map((c) => `catalogue:${c}`), ...(meta.securityHub ?? []).map((c) => `securityhub:${c}`)],
        configSchema: {
            properties: { ...(meta.config ?? {}), exemptions: EXEMPTIONS_SCHEMA } as Record<string, any>,
            additionalProperties: false,
        },
        ...(control
            ? {
                  url: securityHubUrl(control),
                  framework: {
                      name: "AWS Foundational Security Best Practices",
                      version: "1.0.0",
                      reference: meta.securityHub!.join(", "),
                      specification: meta.description,
                  },
              }
            : {}),
    };
}

/**
 * The SDK's reportViolation also takes `{message, urn, enforcementLevel}` (server.ts
 * makeReportViolationFun), though its type only declares the string form: that is how one violation
 * is reported below the policy's level. tests/policies/sdk-conformance.test.ts pins this against the SDK.
 */
type LeveledReport = (violation: { message: string; urn?: string; enforcementLevel: "advisory" }) => void;

/** Report through the SDK, downgrading an exempted resource's violations to advisory with the reason. */
function reportFor(report: ReportViolation, exemption: Exemption | undefined, urn: string | undefined) {
    const leveled = report as unknown as LeveledReport;
    return (message: string, level?: "advisory") => {
        if (exemption) leveled({ message: `Exempted (${exemption.reason}): ${message}`, urn, enforcementLevel: "advisory" });
        else if (level) leveled({ message, urn, enforcementLevel: level });
        else report(message, urn);
    };
}

function unverifiableMessage(path: string, value: unknown, requirement: string): string {
    return `Cannot verify during preview that ${requirement}: ${path} is ${show(value)}. Re-run the check after apply, or set the value from configuration.`;
}

/**
 * A fix the `remediate` enforcement level applies before the provider sees the inputs: given a plain
 * copy of the inputs, return the whole new inputs, or undefined for no change. Only for fixes that
 * cannot replace the resource, change its network reachability, cut access or lose data. Never called
 * for a resource exempted from the policy; a value unknown until apply is never replaced (see
 * lib/remediation.ts), so leave it to the check, which reports it as unverifiable.
 */
export type Remediation<C> = (props: Record<string, any>, ctx: ResourceContext<C>) => Record<string, any> | undefined;

/** A policy over single resources of the given types (one function serves every token, e.g. `lb` and `alb`). */
export function resourcePolicy<C = {}>(
    meta: PolicyMeta<C> & {
        types: TypeRef[];
        check: (props: Record<string, any>, ctx: ResourceContext<C>, report: ResourceReporter) => void;
        remediate?: Remediation<C>;
    },
): ResourceValidationPolicy {
    const tokens = new Set(meta.types.map(tokenOf));
    const validate = (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
        if (!tokens.has(args.type)) {
            args.notApplicable(`Policy only applies to ${[...tokens].join(", ")}`);
            return;
        }
        const config = configOf(meta, args.getConfig());
        const exemption = exemptionFor(config.exemptions, args.name, args.urn);
        const report = reportFor(reportViolation, exemption, undefined);
        meta.check(unwrap(args.props), { config, stackTags: args.stackTags, type: args.type, name: args.name, urn: args.urn, opts: args.opts }, {
            violation: (message) => report(message),
            unverifiable: (path, value, requirement) => report(unverifiableMessage(path, value, requirement), "advisory"),
        });
    };
    // A single type lets the SDK skip other resources without calling us (validateResourceOfType does the same).
    if (tokens.size === 1) (validate as any).__pulumiType = [...tokens][0];
    // Not read by the SDK (it calls us and we answer notApplicable); the offline check uses it to skip early.
    else (validate as any).__pulumiTypes = tokens;
    if (!meta.remediate) return { ...metadata(meta), validateResource: validate };
    const fix = meta.remediate;
    // The SDK runs this only at level "remediate" (server.ts makeRemediateRpcFun), then validates the result at mandatory.
    const remediateResource = (args: ResourceValidationArgs) => {
        if (!tokens.has(args.type)) return undefined;
        const config = configOf(meta, args.getConfig());
        if (exemptionFor(config.exemptions, args.name, args.urn)) return undefined; // the exemption wins
        const ctx = { config, stackTags: args.stackTags, type: args.type, name: args.name, urn: args.urn, opts: args.opts };
        return remediateWire(args.props, (plain) => fix(plain, ctx));
    };
    if (tokens.size === 1) (remediateResource as any).__pulumiType = [...tokens][0];
    else (remediateResource as any).__pulumiTypes = tokens;
    return { ...metadata(meta), validateResource: validate, remediateResource };
}

/** Keyed by the list the engine passed: one conversion when a runner shares the list across policies. */
const plainCache = new WeakMap<PolicyResource[], StackResource[]>();

/** Plain copies of the stack's resources, linked to each other like the SDK's. */
export function plainResources(resources: PolicyResource[]): StackResource[] {
    const cached = plainCache.get(resources);
    if (cached) return cached;
    const map = new Map<PolicyResource, StackResource>();
    for (const r of resources) {
        map.set(r, { type: r.type, name: r.name, urn: r.urn, props: unwrap(r.props), opts: r.opts, dependencies: [], propertyDependencies: {} });
    }
    for (const [r, plain] of map) {
        plain.parent = r.parent ? map.get(r.parent) : undefined;
        plain.dependencies = r.dependencies.map((d) => map.get(d)!).filter((d) => d);
        for (const [k, deps] of Object.entries(r.propertyDependencies)) plain.propertyDependencies[k] = deps.map((d) => map.get(d)!).filter((d) => d);
    }
    const plain = [...map.values()];
    plainCache.set(resources, plain);
    return plain;
}

/** A policy over the whole stack: joins resources (a bucket and its separate configuration resources). */
export function stackPolicy<C = {}>(
    meta: PolicyMeta<C> & {
        /**
         * Set when the policy reports nothing on a stack without a resource of one of these types. It then
         * returns before copying the stack's resources (the engine hands each stack policy its own list,
         * so the copy is per policy), and with one type the SDK skips it before even deserializing them.
         */
        types?: TypeRef[];
        check: (resources: StackResource[], ctx: CheckContext<C>, report: StackReporter) => void;
    },
): StackValidationPolicy {
    const tokens = meta.types && new Set(meta.types.map(tokenOf));
    const validate = (args: StackValidationArgs, reportViolation: ReportViolation) => {
        if (tokens && !args.resources.some((r) => tokens.has(r.type))) return;
        const config = configOf(meta, args.getConfig());
        const reportOn = (r: StackResource | undefined) => reportFor(reportViolation, r ? exemptionFor(config.exemptions, r.name, r.urn) : undefined, r?.urn);
        meta.check(plainResources(args.resources), { config, stackTags: args.stackTags }, {
            violation: (r, message) => reportOn(r)(message),
            unverifiable: (r, path, requirement) => reportOn(r)(unverifiableMessage(path, at(r.props, path), requirement), "advisory"),
        });
    };
    // Read by the SDK's analyzer (and the offline check): a stack without this type is not analyzed at all.
    if (tokens?.size === 1) (validate as any).__pulumiType = [...tokens][0];
    return { ...metadata(meta), validateStack: validate };
}
