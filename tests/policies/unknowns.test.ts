import * as assert from "assert";
import { ALL_POLICIES } from "../../policies/all";
import { EvalResource, evaluate, resolvePolicyConfig } from "../../tools/offline/evaluate";
import { policyConfigPath, readPolicyConfig, toEvalResource } from "../../tools/offline/stack-check";
import { runStack } from "../harness";
import { UNKNOWN } from "./helpers";

/**
 * The SDK downgrades any policy that reads an unknown value to advisory ("can't run policy during
 * preview"), so a mandatory check silently stops blocking. Whatever input of whatever resource of our
 * stacks is unknown at preview, no policy of the pack may fall into that path or throw.
 */
describe("every policy survives an unknown value in any input", () => {
    for (const stack of ["prod", "staging"]) {
        it(`${stack}: each input of each resource made unknown in turn`, async () => {
            const resources = (await runStack(stack)).resources.map(toEvalResource);
            const config = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath(stack)));
            let variants = 0;
            for (let i = 0; i < resources.length; i++) {
                for (const key of Object.keys(resources[i].props)) {
                    const mutated: EvalResource[] = resources.map((r, j) => (j === i ? { ...r, props: { ...r.props, [key]: UNKNOWN } } : r));
                    const { diagnostics } = await evaluate(mutated, { policies: ALL_POLICIES, config });
                    const cantRun = diagnostics.filter((d) => d.cantRunDuringPreview);
                    assert.deepStrictEqual(cantRun.map((d) => d.message), [], `${resources[i].type}::${resources[i].name} with ${key} unknown`);
                    variants++;
                }
            }
            assert.ok(variants > 300, `expected hundreds of variants, ran ${variants}`);
        });
    }
});
