import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "../infra/config/load";
import { Redis, RedisArgs } from "../infra/data/redis";
import { DATA_KEY, ISOLATED_SUBNETS, LOGS_KEY, STACKS, childrenOf, plainOccurrences, valueOf } from "./data-fixtures";
import { RecordedResource, Run, isSecret, runUnderMocks } from "./harness";
import { GROUP, redisArgs, runRedis } from "./redis-fixtures";

/** What the mock's RandomPassword returns as `result`. */
const MOCK_TOKEN = "mock-generated-password-0123456789abcdef";

const redis = (overrides: Partial<RedisArgs> = {}) => new Redis("cache", redisArgs(overrides));

describe("Redis", () => {
    for (const env of STACKS) {
        describe(env.stack, () => {
            let run: Run;
            let component: Redis;
            let group: RecordedResource;
            const prefix = `pos-${env.stack}`;
            const replicated = env.stack === "prod"; // prod has 2 nodes, staging 1
            before(async () => {
                ({ run, component } = await runRedis(env.stack));
                group = run.one(GROUP, "cache-replication-group");
            });

            it("runs the configured Redis OSS version and node type", () => {
                assert.deepStrictEqual(
                    [group.inputs.engine, group.inputs.engineVersion, group.inputs.nodeType, group.inputs.numCacheClusters, group.inputs.replicationGroupId],
                    ["redis", "7.1", env.stack === "prod" ? "cache.m6g.large" : "cache.t4g.small", env.stack === "prod" ? 2 : 1, `${prefix}-redis`],
                );
            });

            it("encrypts at rest with the data key and requires TLS", () => {
                assert.strictEqual(group.inputs.atRestEncryptionEnabled, true);
                assert.strictEqual(group.inputs.kmsKeyId, DATA_KEY);
                assert.strictEqual(group.inputs.transitEncryptionEnabled, true);
                assert.strictEqual(group.inputs.transitEncryptionMode, "required");
            });

            it("requires AUTH with the generated token, passed as a secret", () => {
                assert.ok(isSecret(group.inputs.authToken), "authToken reaches the provider in plain text");
                assert.strictEqual(group.inputs.authToken.value, MOCK_TOKEN);
                assert.ok(isSecret(group.wireInputs.authToken), "authToken is not marked secret on the wire");
                const password = run.one("random:index/randomPassword:RandomPassword", "cache-auth-token");
                assert.deepStrictEqual(group.propertyDependencies.authToken, [password.urn]);
                // Version 1, not retiring: a token change would keep the old one valid (tests/redis-rotation.test.ts).
                assert.strictEqual(group.inputs.authTokenUpdateStrategy, "ROTATE");
            });

            it("applies changes in the `pulumi up` that makes them, and sets the transit mode at create only", () => {
                assert.strictEqual(group.inputs.applyImmediately, true);
                assert.deepStrictEqual(group.ignoreChanges, ["transitEncryptionMode"]);
            });

            it("generates a 64-character token from characters Redis AUTH accepts", () => {
                // Redis AUTH refuses space, '"', '/' and '@'; every class is required so the token never degenerates.
                assert.deepStrictEqual(run.one("random:index/randomPassword:RandomPassword", "cache-auth-token").inputs, {
                    length: 64,
                    special: true,
                    overrideSpecial: "!&#$^<>-",
                    minLower: 1,
                    minUpper: 1,
                    minNumeric: 1,
                });
            });

            it("keeps the token in a Secrets Manager secret under the data key", () => {
                const secret = run.one("aws:secretsmanager/secret:Secret", "cache-auth-secret");
                // The secrets-rotation policy needs the manual-rotation tag.
                assert.deepStrictEqual(secret.inputs, {
                    namePrefix: `${prefix}-redis-auth-token-`,
                    description: `AUTH token of the ${prefix}-redis Redis replication group`,
                    kmsKeyId: DATA_KEY,
                    tags: { rotation: "manual" },
                });
                const version = run.one("aws:secretsmanager/secretVersion:SecretVersion", "cache-auth-secret-value");
                assert.ok(isSecret(version.inputs.secretString), "secretString reaches the provider in plain text");
                assert.strictEqual(version.inputs.secretString.value, MOCK_TOKEN);
                assert.deepStrictEqual(version.propertyDependencies.secretId, [secret.urn]);
                // Written once the group accepts the token, so no service reads a token ElastiCache refuses.
                assert.ok(version.dependencies.includes(group.urn), "the secret value is written before the group has the token");
            });

            it("never passes the token in plain text, and outputs only the secret's ARN", async () => {
                for (const r of run.resources) assert.deepStrictEqual(plainOccurrences(r.inputs, MOCK_TOKEN), [], r.name);
                const outputs: Record<string, unknown> = {};
                for (const [key, v] of Object.entries(component)) {
                    if (pulumi.Output.isInstance(v) && key !== "urn") outputs[key] = await valueOf(v);
                }
                assert.deepStrictEqual(outputs, {
                    primaryEndpointAddress: "master.cache-replication-group.abcdef.eu-west-1.cache.amazonaws.com",
                    readerEndpointAddress: "replica.cache-replication-group.abcdef.eu-west-1.cache.amazonaws.com",
                    port: 6379,
                    authTokenSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cache-auth-secret-AbCdEf",
                    // One member cluster per node, as ElastiCache names them (the alarms watch each).
                    memberClusters: Array.from({ length: group.inputs.numCacheClusters }, (_, i) => `${group.inputs.replicationGroupId}-00${i + 1}`),
                });
            });

            it(`automatic failover and Multi-AZ ${replicated}`, () => {
                assert.strictEqual(group.inputs.automaticFailoverEnabled, replicated);
                assert.strictEqual(group.inputs.multiAzEnabled, replicated);
            });

            it("takes daily snapshots, maintains in its window and upgrades minor versions", () => {
                assert.strictEqual(group.inputs.snapshotRetentionLimit, env.stack === "prod" ? 7 : 1);
                assert.strictEqual(group.inputs.snapshotWindow, "02:00-03:00");
                assert.strictEqual(group.inputs.maintenanceWindow, "sun:05:30-sun:06:30");
                assert.strictEqual(group.inputs.autoMinorVersionUpgrade, true);
                assert.strictEqual(group.inputs.finalSnapshotIdentifier, `${prefix}-redis-final-a1b2c3d4`);
            });

            it("draws a new final snapshot suffix whenever the group is replaced: the suffix keeps the group's replacement inputs", () => {
                const suffix = run.one("random:index/randomId:RandomId", "cache-final-snapshot-suffix");
                assert.deepStrictEqual(suffix.inputs.keepers, {
                    replicationGroupId: `${prefix}-redis`, port: "6379", atRestEncryptionEnabled: "true", kmsKeyId: DATA_KEY, subnetGroupName: `${prefix}-redis`,
                });
                for (const [input, kept] of Object.entries(suffix.inputs.keepers)) assert.strictEqual(String(group.inputs[input]), kept, input);
            });

            it("sits in its own subnet group of the isolated subnets, behind the given security group", () => {
                const subnets = run.one("aws:elasticache/subnetGroup:SubnetGroup", "cache-subnets");
                assert.deepStrictEqual(subnets.inputs.subnetIds, ISOLATED_SUBNETS);
                assert.strictEqual(group.inputs.subnetGroupName, subnets.inputs.name);
                assert.deepStrictEqual(group.inputs.securityGroupIds, ["sg-cache"]);
            });

            it("never evicts (the stack holds cache and job queues), through a redis7 parameter group", () => {
                const params = run.one("aws:elasticache/parameterGroup:ParameterGroup", "cache-params");
                assert.deepStrictEqual([params.inputs.family, params.inputs.name], ["redis7", `${prefix}-redis-redis7`]);
                assert.deepStrictEqual(params.inputs.parameters, [{ name: "maxmemory-policy", value: "noeviction" }]);
                assert.strictEqual(group.inputs.parameterGroupName, params.inputs.name);
                assert.deepStrictEqual(group.propertyDependencies.parameterGroupName, [params.urn]);
            });

            it(`delivers the slow log to a log group kept ${env.logRetention} days under the logs key`, () => {
                const log = run.one("aws:cloudwatch/logGroup:LogGroup", "cache-slow-log");
                assert.deepStrictEqual([log.inputs.name, log.inputs.retentionInDays, log.inputs.kmsKeyId], [`/aws/elasticache/${prefix}-redis/slow-log`, env.logRetention, LOGS_KEY]);
                assert.deepStrictEqual(group.inputs.logDeliveryConfigurations, [
                    { destination: `/aws/elasticache/${prefix}-redis/slow-log`, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
                ]);
                assert.deepStrictEqual(group.propertyDependencies.logDeliveryConfigurations, [log.urn]);
            });

            it(`protect and retainOnDelete are ${env.protect} on the replication group; every child is parented`, () => {
                assert.strictEqual(group.protect, env.protect);
                assert.strictEqual(group.retainOnDelete, env.protect);
                // Unprotected, a replacement deletes first: the new group and subnet group reuse fixed names.
                const subnets = run.one("aws:elasticache/subnetGroup:SubnetGroup", "cache-subnets");
                const params = run.one("aws:elasticache/parameterGroup:ParameterGroup", "cache-params");
                const deleteFirst = env.protect ? undefined : true;
                assert.deepStrictEqual([group.deleteBeforeReplace, subnets.deleteBeforeReplace, params.deleteBeforeReplace], [deleteFirst, deleteFirst, false]);
                const root = run.one("baseline:data:Redis", "cache");
                for (const r of childrenOf(run, "cache")) assert.strictEqual(r.parent, root.urn, r.name);
                assert.strictEqual(childrenOf(run, "cache").length, 8);
            });
        });
    }

    it("uses the redis6.x family for 6.2", async () => {
        const { run } = await runRedis("staging", { engineVersion: "6.2" });
        const params = run.one("aws:elasticache/parameterGroup:ParameterGroup");
        assert.deepStrictEqual([params.inputs.family, params.inputs.name], ["redis6.x", "pos-staging-redis-redis6"]);
    });

    it("on 6.2, which rejects transitEncryptionMode, leaves it unset and still requires TLS and AUTH", async () => {
        const { run } = await runRedis("prod", { engineVersion: "6.2" });
        const group = run.one(GROUP);
        assert.ok(!("transitEncryptionMode" in group.inputs), "transitEncryptionMode is sent to a 6.2 group");
        assert.strictEqual(group.inputs.transitEncryptionEnabled, true);
        assert.ok(isSecret(group.inputs.authToken), "authToken is missing or plain");
    });

    it("turns failover on in staging too once there is a replica", async () => {
        const { run } = await runRedis("staging", { numCacheClusters: 2 });
        assert.deepStrictEqual([run.one(GROUP).inputs.automaticFailoverEnabled, run.one(GROUP).inputs.multiAzEnabled], [true, true]);
    });

    describe("validation with the config's own checks, before anything is registered", () => {
        const rejects = async (stack: string, change: (a: RedisArgs) => Partial<RedisArgs>, ...problems: string[]) => {
            const run = await runUnderMocks(() => {
                const c = loadConfig();
                const base = { cache: c.cache, environment: c.environment } as RedisArgs;
                assert.throws(() => redis(change(base)), { message: `Redis cache has invalid arguments:\n  - ${problems.join("\n  - ")}` });
            }, stack);
            assert.deepStrictEqual(run.resources, []);
        };

        it("refuses a single node in prod", () =>
            rejects("prod", (a) => ({ cache: { ...a.cache, numCacheClusters: 1 } }),
                "cache.numCacheClusters = 1 is not allowed: expected an integer from 2 to 6 in prod (a primary and at least one replica, so a node or AZ failure fails over)"));
        it("refuses no nodes in staging", () =>
            rejects("staging", (a) => ({ cache: { ...a.cache, numCacheClusters: 0 } }), "cache.numCacheClusters = 0 is not allowed: expected an integer from 1 to 6"));
        it("refuses prod without snapshots, and reports every bad argument at once", () =>
            rejects("prod", (a) => ({ cache: { ...a.cache, snapshotRetentionDays: 0, numCacheClusters: 7 } }),
                "cache.numCacheClusters = 7 is not allowed: expected an integer from 2 to 6 in prod (a primary and at least one replica, so a node or AZ failure fails over)",
                "cache.snapshotRetentionDays = 0 is not allowed: expected an integer from 1 to 35"));
        it("refuses an engine version it has no parameter family for", () =>
            rejects("prod", (a) => ({ cache: { ...a.cache, engineVersion: "5.0" } }), 'cache.engineVersion = "5.0" is not allowed: expected one of "6.2", "7.0", "7.1"'));
        it("refuses a replication group id over 40 characters", async () => {
            const run = await runUnderMocks(() => {
                assert.throws(() => redis({ namePrefix: "point-of-sale-production-eu-west-1a" }), {
                    message: 'Redis cache: namePrefix "point-of-sale-production-eu-west-1a" gives the identifier "point-of-sale-production-eu-west-1a-redis", expected lowercase letters, digits and single hyphens, starting with a letter, at most 40 characters.',
                });
            }, "prod");
            assert.deepStrictEqual(run.resources, []);
        });
    });
});
