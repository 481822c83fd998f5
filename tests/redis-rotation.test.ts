import * as assert from "assert";
import { authTokenUpdateStrategy, keptAuthTokenVersion } from "../infra/data/redis-settings";
import { RecordedResource, Run, SECRET_SIG, SIG_KEY } from "./harness";
import { GROUP, PASSWORD, SECRET_VALUE, runRedis } from "./redis-fixtures";

/**
 * The two-step AUTH token rotation, driven by `baseline:cache.authTokenVersion` and `retirePreviousAuthToken`.
 * The mock provider answers each RandomPassword with the token of the version its keepers name, so a test sees
 * which token reaches the replication group and the secret; `deployed` stands for the keepers in the stack's
 * state, which the engine keeps (ignoreChanges) while a token is being retired.
 */

const tokenOf = (version: number) => `token-of-version-${version}-0123456789abcdef`;
const secret = (value: string) => ({ [SIG_KEY]: SECRET_SIG, value });
const GENERATOR = { length: 64, special: true, overrideSpecial: "!&#$^<>-", minLower: 1, minUpper: 1, minNumeric: 1 };

/** `deployed`: the RandomPassword already in the stack's state, with its keepers (none for version 1). */
type Deployed = { keepers?: Record<string, string> };

async function step(cache: Record<string, unknown>, deployed?: Deployed): Promise<Run> {
    const { run } = await runRedis("prod", cache, (args, result) => {
        if (args.type !== PASSWORD) return result;
        const keepers = deployed ? deployed.keepers : args.inputs.keepers;
        return { ...result, state: { ...result.state, keepers, result: tokenOf(keptAuthTokenVersion(keepers)) } };
    });
    return run;
}

/** What each rotation step registers: the token's generator and options, and what the group and the secret get. */
function registered(run: Run) {
    const password = run.one(PASSWORD, "cache-auth-token");
    const group = run.one(GROUP, "cache-replication-group");
    const value = run.one(SECRET_VALUE, "cache-auth-secret-value");
    return {
        password: { inputs: password.inputs, ignoreChanges: password.ignoreChanges },
        group: { authToken: group.inputs.authToken, authTokenUpdateStrategy: group.inputs.authTokenUpdateStrategy },
        secretString: value.inputs.secretString,
    };
}

/** A step the program refuses: what was registered, and the distinct reasons the run failed with. */
async function refusedStep(cache: Record<string, unknown>, deployed: Deployed) {
    const reasons = new Set<string>();
    const onRejection = (e: unknown) => reasons.add((e instanceof Error ? e.message : String(e)).replace(/^(error serializing property "\w+": )+/, ""));
    process.on("unhandledRejection", onRejection);
    try {
        const run = await step(cache, deployed);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return { names: run.resources.map((r: RecordedResource) => r.name).sort(), reasons: [...reasons] };
    } finally {
        process.off("unhandledRejection", onRejection);
    }
}

describe("Redis AUTH token rotation", () => {
    it("step 0 (a new stack, version 1): the generated token, no keepers, so stacks deployed before versions keep theirs", async () => {
        assert.deepStrictEqual(registered(await step({})), {
            password: { inputs: GENERATOR, ignoreChanges: [] },
            group: { authToken: secret(tokenOf(1)), authTokenUpdateStrategy: "ROTATE" },
            secretString: secret(tokenOf(1)),
        });
    });

    it("step 1 (version 2): a new token, applied with ROTATE so the old one stays valid, and written to the secret", async () => {
        assert.deepStrictEqual(registered(await step({ authTokenVersion: 2 })), {
            password: { inputs: { ...GENERATOR, keepers: { authTokenVersion: "2" } }, ignoreChanges: [] },
            group: { authToken: secret(tokenOf(2)), authTokenUpdateStrategy: "ROTATE" },
            secretString: secret(tokenOf(2)),
        });
    });

    it("step 2 (retire): the same token with SET, the only one ElastiCache then accepts; the secret keeps it", async () => {
        const run = await step({ authTokenVersion: 2, retirePreviousAuthToken: true }, { keepers: { authTokenVersion: "2" } });
        assert.deepStrictEqual(registered(run), {
            password: { inputs: { ...GENERATOR, keepers: { authTokenVersion: "2" } }, ignoreChanges: ["keepers"] },
            group: { authToken: secret(tokenOf(2)), authTokenUpdateStrategy: "SET" },
            secretString: secret(tokenOf(2)),
        });
        // The strategy is read from the token the stack has deployed.
        assert.deepStrictEqual(run.one(GROUP).propertyDependencies.authTokenUpdateStrategy, [run.one(PASSWORD).urn]);
    });

    it("the next rotation starts from a retired token: version 3 with retire back to false draws a token and ROTATEs again", async () => {
        // Nothing ignored, so the engine replaces the version-2 password and reports the new one.
        assert.deepStrictEqual(registered(await step({ authTokenVersion: 3 })), {
            password: { inputs: { ...GENERATOR, keepers: { authTokenVersion: "3" } }, ignoreChanges: [] },
            group: { authToken: secret(tokenOf(3)), authTokenUpdateStrategy: "ROTATE" },
            secretString: secret(tokenOf(3)),
        });
    });

    it("writes the secret's value only once the group has the token", async () => {
        const run = await step({ authTokenVersion: 2 });
        assert.ok(run.one(SECRET_VALUE).dependencies.includes(run.one(GROUP).urn));
    });

    describe("refuses to raise the version while retiring, before the group or the secret changes", () => {
        const refusal = (configured: number, deployed: number) =>
            `Redis cache: cache.authTokenVersion is ${configured} but the deployed token is version ${deployed}, and cache.retirePreviousAuthToken is true: ` +
            `a new token is never drawn and made the only valid one in the same update, which would lock out every client still using version ${deployed}. ` +
            `Set retirePreviousAuthToken to false to add version ${configured} beside the old token (step 1), restart the services, then set it to true (step 2).`;

        it("a version raised with the step-2 setting left in place", async () => {
            assert.deepStrictEqual(await refusedStep({ authTokenVersion: 3, retirePreviousAuthToken: true }, { keepers: { authTokenVersion: "2" } }), {
                names: ["cache", "cache-auth-secret", "cache-auth-token", "cache-final-snapshot-suffix", "cache-params", "cache-slow-log", "cache-subnets"],
                reasons: [refusal(3, 2)],
            });
        });

        // From version 1 the deployed token has no keepers, and the SDK then reports the configured ones: only the
        // rule itself can be exercised. The token still cannot change while retiring (ignoreChanges above).
        it("steps 1 and 2 at once from the first token, by the rule the component applies", () => {
            assert.throws(() => authTokenUpdateStrategy("cache", { authTokenVersion: 2, retirePreviousAuthToken: true }, keptAuthTokenVersion(undefined)), { message: refusal(2, 1) });
            assert.strictEqual(authTokenUpdateStrategy("cache", { authTokenVersion: 2, retirePreviousAuthToken: true }, keptAuthTokenVersion({ authTokenVersion: "2" })), "SET");
        });
    });
});
