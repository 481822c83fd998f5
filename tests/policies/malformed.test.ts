import * as assert from "assert";
import { ALL_POLICIES } from "../../policies/all";
import { serviceUnit } from "../../tools/bench-services";
import { evaluate, resolvePolicyConfig } from "../../tools/offline/evaluate";
import { UNKNOWN } from "./helpers";

/**
 * Resources of every service the pack judges for other teams (tools/bench-services.ts: Lambda, queues,
 * topics, tables, streams, instances, clusters, domains...), each input in turn replaced by what a
 * careless program or an odd provider version may send: no policy may throw, and an unknown value
 * must never push a policy into the SDK's "can't run policy during preview" downgrade.
 */
const MALFORMED: unknown[] = [null, "", "[]", "42", "null", "{", 42, true, [], [null], [42, "x"], {}, { a: null }];

describe("every policy survives malformed and unknown inputs on the services other teams use", () => {
    const unit = serviceUnit(0);
    const config = resolvePolicyConfig(ALL_POLICIES, {});

    it("each input of each resource malformed in turn: nothing throws", async () => {
        let runs = 0;
        for (let i = 0; i < unit.length; i++) {
            for (const key of Object.keys(unit[i].props)) {
                for (const value of MALFORMED) {
                    const resources = unit.map((x, j) => (j === i ? { ...x, props: { ...x.props, [key]: value } } : x));
                    await evaluate(resources, { policies: ALL_POLICIES, config }); // throws on a policy error
                    runs++;
                }
            }
        }
        assert.ok(runs > 500, `expected hundreds of variants, ran ${runs}`);
    });

    it("each nested field and list entry malformed in turn (null blocks, entries missing fields or of the wrong type): nothing throws", async () => {
        const NESTED: unknown[] = [null, "x", 42, [], {}, [null], [{}]];
        /** Every way to replace one value below the top level of `value`, as [path, new top-level value]. */
        const variants = (value: unknown): unknown[] => {
            if (Array.isArray(value)) return [[], [null], [{}], [42], ...value.flatMap((v, i) => [...NESTED, ...variants(v)].map((n) => value.map((x, j) => (j === i ? n : x))))];
            if (value !== null && typeof value === "object") {
                return Object.entries(value).flatMap(([k, v]) => [...NESTED, ...variants(v)].map((n) => ({ ...value, [k]: n })));
            }
            return [];
        };
        let runs = 0;
        for (let i = 0; i < unit.length; i++) {
            for (const [key, value] of Object.entries(unit[i].props)) {
                for (const nested of variants(value)) {
                    const resources = unit.map((x, j) => (j === i ? { ...x, props: { ...x.props, [key]: nested } } : x));
                    await evaluate(resources, { policies: ALL_POLICIES, config }); // throws on a policy error
                    runs++;
                }
            }
        }
        assert.ok(runs > 300, `expected hundreds of nested variants, ran ${runs}`);
    });

    it("each input of each resource unknown in turn: no policy falls back to can't-run-during-preview", async () => {
        for (let i = 0; i < unit.length; i++) {
            for (const key of Object.keys(unit[i].props)) {
                const resources = unit.map((x, j) => (j === i ? { ...x, props: { ...x.props, [key]: UNKNOWN } } : x));
                const { diagnostics } = await evaluate(resources, { policies: ALL_POLICIES, config });
                assert.deepStrictEqual(diagnostics.filter((d) => d.cantRunDuringPreview).map((d) => d.message), [], `${unit[i].name} with ${key} unknown`);
            }
        }
    });
});
