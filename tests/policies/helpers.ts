import { Policies, PolicyResourceOptions } from "@pulumi/policy";
import { Diagnostic, EvalResource, evaluate, resolvePolicyConfig } from "../../tools/offline/evaluate";
import { StackResource, TypeRef, tokenOf } from "../../policies/lib/define";

/**
 * Build validation arguments the way the engine does and run policies through the offline
 * evaluator, which mirrors @pulumi/policy's server: type filtering, the unknown-checking proxy,
 * the advisory downgrade on unknown reads, config defaults and enforcement levels.
 */

/** What an input holds during preview when it comes from another resource's output. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
export const UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";
export const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";

/** A secret input on the wire. */
export const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

export interface ResourceOptions {
    name?: string;
    parent?: string;
    protect?: boolean;
    retainOnDelete?: boolean;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
}

/** A resource from its class's type token (`aws.rds.Instance`) and inputs. */
export function res(type: TypeRef, props: Record<string, any>, o: ResourceOptions = {}): EvalResource {
    const token = tokenOf(type);
    const name = o.name ?? "example";
    const opts = {
        protect: o.protect ?? false, retainOnDelete: o.retainOnDelete ?? false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, parent: o.parent,
    } as PolicyResourceOptions & { retainOnDelete: boolean };
    return {
        // The wire never carries undefined: drop such keys, as serialization would (the SDK's deserializer rejects them).
        urn: `urn:pulumi:test::baseline::${token}::${name}`, type: token, name, props: JSON.parse(JSON.stringify(props)), opts, parent: o.parent,
        dependencies: o.dependencies ?? [], propertyDependencies: o.propertyDependencies ?? {},
    };
}

/** Run policies (only these) over resources with the given per-policy config. */
export async function run(policies: Policies | Policies[number], resources: EvalResource | EvalResource[], config: Record<string, unknown> = {}): Promise<Diagnostic[]> {
    const list = Array.isArray(policies) ? policies : [policies];
    const packConfig: Record<string, unknown> = {};
    if (Object.keys(config).length > 0) {
        if (list.length !== 1) throw new Error("config is per policy: run one policy at a time with config");
        packConfig[list[0].name] = config;
    }
    const { diagnostics } = await evaluate(Array.isArray(resources) ? resources : [resources], {
        policies: list, config: resolvePolicyConfig(list, packConfig),
    });
    return diagnostics;
}

/** Violation messages without the description prefix the SDK adds to string reports. */
export function messages(diags: Diagnostic[]): string[] {
    return diags.map((d) => (d.message.startsWith(`${d.description}\n`) ? d.message.slice(d.description.length + 1) : d.message));
}

/** Stack resources as stack policies see them, linked by URN. */
export function linked(resources: EvalResource[]): StackResource[] {
    const out = resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.props, opts: r.opts, dependencies: [], propertyDependencies: {} } as StackResource));
    const byUrn = new Map(out.map((r) => [r.urn, r]));
    resources.forEach((r, i) => {
        for (const [k, urns] of Object.entries(r.propertyDependencies)) out[i].propertyDependencies[k] = urns.map((u) => byUrn.get(u)!).filter((x) => x);
    });
    return out;
}
