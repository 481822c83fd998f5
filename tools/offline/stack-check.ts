import * as fs from "fs";
import * as path from "path";
import { Policies } from "@pulumi/policy";
import { main } from "../../infra/main";
import { remediate } from "./remediate";
import { Diagnostic, EvalResource, Evaluation, PolicyConfigError, evaluate, levelOf, resolvePolicyConfig } from "./evaluate";
import { RecordedResource, loadStackConfig, runProgram } from "./run-program";

export const ROOT = path.resolve(__dirname, "../..");

/** Engine view of a recorded registration: the fields `pulumi preview` sends to analyzers (no retainOnDelete). */
export function toEvalResource(r: RecordedResource): EvalResource {
    return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        props: r.wireInputs,
        opts: {
            protect: r.protect,
            ignoreChanges: r.ignoreChanges,
            aliases: r.aliases,
            customTimeouts: r.customTimeouts,
            additionalSecretOutputs: r.additionalSecretOutputs,
            ...(r.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: r.deleteBeforeReplace } : {}),
            ...(r.parent ? { parent: r.parent } : {}),
        },
        parent: r.parent,
        dependencies: r.dependencies,
        propertyDependencies: r.propertyDependencies,
    };
}

/** `stacks/<stack>.policy.json`, the file `pulumi preview --policy-pack-config` takes. */
export function policyConfigPath(stack: string): string {
    return path.join(ROOT, "stacks", `${stack}.policy.json`);
}

export function readPolicyConfig(file: string): Record<string, unknown> {
    if (!fs.existsSync(file)) throw new PolicyConfigError([`${path.relative(ROOT, file)} does not exist: pass --policy-config <file> or add it`]);
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new PolicyConfigError([`${path.relative(ROOT, file)} is not valid JSON: ${(e as Error).message}`]);
    }
}

export interface StackCheck {
    stack: string;
    resources: RecordedResource[];
    evaluation: Evaluation;
    /** Mandatory violations, and mandatory policies the SDK would have downgraded for reading an unknown value. */
    blocking: Diagnostic[];
    seconds: { program: number; policies: number };
}

/** Mandatory policies that read an unknown value stop blocking under the SDK: we count that as a failure. */
export function blockingOf(diagnostics: Diagnostic[], mandatoryPolicies: Set<string>): Diagnostic[] {
    return diagnostics.filter((d) => d.enforcementLevel === "mandatory" || (d.cantRunDuringPreview === true && mandatoryPolicies.has(d.policyName)));
}

/**
 * Run the program for `stack` under mocks, then the pack on what it registered, the way
 * `pulumi preview --policy-pack policies --policy-pack-config <file>` would.
 */
export async function checkStack(opts: {
    stack: string;
    policies: Policies;
    policyConfig: Record<string, unknown>;
    firstPreview?: boolean;
    config?: Record<string, string>;
    /** The program to run; the project's own by default. */
    program?: () => unknown;
}): Promise<StackCheck> {
    const resolved = resolvePolicyConfig(opts.policies, opts.policyConfig);
    const t0 = process.hrtime.bigint();
    const run = await runProgram(opts.program ?? main, { stack: opts.stack, config: opts.config ?? loadStackConfig(opts.stack), firstPreview: opts.firstPreview });
    if (run.error) throw run.error;
    const t1 = process.hrtime.bigint();
    const stackTags = new Map([["pulumi:project", "baseline"], ["pulumi:runtime", "nodejs"]]);
    // The engine applies the remediations of policies set to `remediate` before analysis, which then
    // judges the remediated inputs (the SDK runs those policies' validations at mandatory).
    const remediated = await remediate(run.resources.map(toEvalResource), { policies: opts.policies, config: resolved, stackTags });
    const evaluation = await evaluate(remediated.resources, { policies: opts.policies, config: resolved, stackTags });
    const t2 = process.hrtime.bigint();
    const mandatory = new Set(opts.policies.filter((p) => levelOf(p, resolved) === "mandatory").map((p) => p.name));
    return {
        stack: opts.stack,
        resources: run.resources,
        evaluation,
        blocking: blockingOf(evaluation.diagnostics, mandatory),
        seconds: { program: Number(t1 - t0) / 1e9, policies: Number(t2 - t1) / 1e9 },
    };
}
