/**
 * Benchmark (`npm run bench`): prints figures, asserts nothing.
 * 1. Wall time of the offline check per stack (program under mocks + pack), after compilation.
 * 2. The pack's evaluation rate over a synthetic stack of at least 10,000 resources of mixed types:
 *    the prod stack's real registrations, copied with renamed URNs, and units of the services other
 *    teams' stacks use (tools/bench-services.ts), about a third of the resources.
 */
import { ALL_POLICIES } from "../policies/all";
import { EvalResource, evaluate, resolvePolicyConfig } from "./offline/evaluate";
import { checkStack, policyConfigPath, readPolicyConfig, toEvalResource } from "./offline/stack-check";
import { SERVICE_UNIT_SIZE, serviceUnit } from "./bench-services";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SYNTHETIC = Number(process.env.BENCH_RESOURCES ?? 10_000);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (s: number) => `${(s * 1000).toFixed(0).padStart(6)} ms`;

/** Copy `resources` with every URN (and every reference to one) suffixed, so copies are distinct resources. */
function copyOf(resources: EvalResource[], n: number): EvalResource[] {
    const rename = (urn: string) => `${urn}-copy${n}`;
    return resources.map((r) => ({
        ...r,
        urn: rename(r.urn),
        name: `${r.name}-copy${n}`,
        parent: r.parent && rename(r.parent),
        opts: { ...r.opts, ...(r.opts.parent ? { parent: rename(r.opts.parent) } : {}) },
        dependencies: r.dependencies.map(rename),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map(rename)])),
    }));
}

async function main() {
    console.log(`baseline benchmark: node ${process.version}, ${ALL_POLICIES.length} policies, ${RUNS} runs each (median, min)`);
    console.log("\nOffline check per stack (program under mocks + pack):");
    let prodResources: EvalResource[] = [];
    for (const stack of ["prod", "staging"]) {
        for (const firstPreview of [false, true]) {
            const policyConfig = readPolicyConfig(policyConfigPath(stack));
            const walls: number[] = [];
            let last;
            for (let i = 0; i < RUNS + 1; i++) {
                const t = process.hrtime.bigint();
                last = await checkStack({ stack, policies: ALL_POLICIES, policyConfig, firstPreview });
                if (i > 0) walls.push(Number(process.hrtime.bigint() - t) / 1e9); // first run warms module caches
            }
            if (stack === "prod" && !firstPreview) prodResources = last!.resources.map(toEvalResource);
            console.log(
                `  ${stack.padEnd(8)}${firstPreview ? " first preview" : "              "}  ${String(last!.resources.length).padStart(4)} resources` +
                    `  wall ${fmt(median(walls))} (min ${fmt(Math.min(...walls))})  blocking ${last!.blocking.length}`,
            );
        }
    }

    // About two thirds copies of prod, one third other services, interleaved as a stack's registrations would be.
    const synthetic: EvalResource[] = [];
    for (let n = 0; synthetic.length < SYNTHETIC; n++) {
        synthetic.push(...copyOf(prodResources, n));
        for (let u = 0; u < Math.round((prodResources.length * 0.5) / SERVICE_UNIT_SIZE); u++) synthetic.push(...serviceUnit(n * 100 + u));
    }
    const config = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath("prod")));
    const types = new Set(synthetic.map((r) => r.type)).size;
    const others = synthetic.filter((r) => r.urn.startsWith("urn:pulumi:bench::others::")).length;
    const times: number[] = [];
    let diagnostics = 0;
    for (let i = 0; i < RUNS; i++) {
        const t = process.hrtime.bigint();
        const result = await evaluate(synthetic, { policies: ALL_POLICIES, config });
        times.push(Number(process.hrtime.bigint() - t) / 1e9);
        diagnostics = result.diagnostics.length;
    }
    const m = median(times);
    console.log(`\nPack over a synthetic stack of ${synthetic.length} resources of ${types} types (${synthetic.length - others} copies of prod, ${others} of other services):`);
    console.log(`  evaluate ${fmt(m)} (min ${fmt(Math.min(...times))})  ${Math.round(synthetic.length / m)} resources/s  ${diagnostics} diagnostics`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
