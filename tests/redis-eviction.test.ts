import * as assert from "assert";
import { loadConfig } from "../infra/config/load";
import { Redis } from "../infra/data/redis";
import { runUnderMocks } from "./harness";
import { PARAMS, redisArgs, runRedis } from "./redis-fixtures";

/**
 * What the Redis holds decides its eviction policy. BullMQ ("configure the maxmemory-policy setting to
 * noeviction. This is the only setting that guarantees the correct behavior of the queues",
 * https://docs.bullmq.io/guide/going-to-production), Sidekiq and RQ keep jobs as ordinary keys that an
 * evicting policy deletes without an error.
 */
describe("Redis eviction policy, from what it holds", () => {
    const cases: [Record<string, unknown>, string][] = [
        [{ holds: "cache" }, "allkeys-lru"],
        [{ holds: "queues" }, "noeviction"],
        [{ holds: "both" }, "noeviction"],
        [{ holds: "cache", maxmemoryPolicy: "allkeys-lfu" }, "allkeys-lfu"],
        [{ holds: "both", maxmemoryPolicy: "noeviction" }, "noeviction"],
    ];
    for (const [cache, policy] of cases) {
        it(`${JSON.stringify(cache)} registers maxmemory-policy ${policy}`, async () => {
            const { run } = await runRedis("staging", cache);
            assert.deepStrictEqual(run.one(PARAMS).inputs.parameters, [{ name: "maxmemory-policy", value: policy }]);
        });
    }

    describe("the component refuses, with the config's own check, before anything is registered", () => {
        const refuses = async (cache: Record<string, unknown>, problem: string) => {
            const run = await runUnderMocks(() => {
                const given = { ...loadConfig().cache, ...cache };
                assert.throws(() => new Redis("cache", redisArgs({ cache: given })), { message: `Redis cache has invalid arguments:\n  - ${problem}` });
            }, "prod");
            assert.deepStrictEqual(run.resources, []);
        };

        it("an evicting policy for a Redis that holds queues", () =>
            refuses({ holds: "queues", maxmemoryPolicy: "volatile-lru" },
                'cache.maxmemoryPolicy = "volatile-lru" is not allowed: expected "noeviction" or unset, because holds is "queues": an evicting policy deletes queued jobs without an error when memory fills (BullMQ, RQ and Sidekiq require noeviction)'));
        it("arguments that do not say what the Redis holds", () =>
            refuses({ holds: undefined },
                'cache.holds = (unset) is not allowed: expected one of "cache", "queues", "both": what this Redis holds (job queues need noeviction), which every stack must set'));
    });
});
