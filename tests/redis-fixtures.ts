import * as settings from "@pulumi/pulumi/runtime/settings";
import { loadConfig } from "../infra/config/load";
import { Redis, RedisArgs } from "../infra/data/redis";
import { DATA_KEY, ISOLATED_SUBNETS, LOGS_KEY } from "./data-fixtures";
import { Overrides, Run, runUnderMocks } from "./harness";

export const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
export const PARAMS = "aws:elasticache/parameterGroup:ParameterGroup";
export const PASSWORD = "random:index/randomPassword:RandomPassword";
export const SECRET_VALUE = "aws:secretsmanager/secretVersion:SecretVersion";

/** Redis arguments as infra/main.ts builds them from the current stack's config, with fake keys, subnets and group. */
export function redisArgs(overrides: Partial<RedisArgs> = {}): RedisArgs {
    const c = loadConfig();
    return {
        cache: c.cache,
        logs: c.logs,
        environment: c.environment,
        namePrefix: `${c.app.name}-${c.environment}`,
        subnetIds: ISOLATED_SUBNETS,
        securityGroupIds: ["sg-cache"],
        dataKeyArn: DATA_KEY,
        logsKeyArn: LOGS_KEY,
        protect: c.protectStatefulResources,
        ...overrides,
    };
}

type MockArgs = { type: string; name: string; inputs: Record<string, any> };
type MockResult = { id: string | undefined; state: Record<string, any> };

/**
 * The Redis component named `cache` under mocks with a stack's config (`baseline:cache` overrides merged in).
 * `answer` may change what the mock provider returns for a resource, as AWS or the engine would after
 * earlier deployments.
 */
export async function runRedis(stack: string, cache: Record<string, unknown> = {}, answer?: (args: MockArgs, result: MockResult) => MockResult): Promise<{ run: Run; component: Redis }> {
    let component: Redis | undefined;
    const overrides: Overrides = Object.keys(cache).length > 0 ? { "baseline:cache": cache } : {};
    const run = await runUnderMocks(() => {
        if (answer) {
            const mocks = (settings.getMonitor() as any).mocks;
            const newResource = mocks.newResource.bind(mocks);
            mocks.newResource = (args: MockArgs) => answer(args, newResource(args));
        }
        component = new Redis("cache", redisArgs());
    }, stack, overrides);
    return { run, component: component! };
}
