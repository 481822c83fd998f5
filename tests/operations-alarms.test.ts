import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { AlarmsConfig } from "../infra/config/operations-types";
import { AlarmTargets, alarmSpecs } from "../infra/operations/alarm-specs";
import { Alarms, AlarmsArgs, alarmsProblems, memberAt } from "../infra/operations/alarms";
import {
    DOCUMENTDB_CLASS_LIMITS, POSTGRES_CLASS_MEMORY_GIB, approximateDbInstanceClassMemory, documentDbLimits, percentOf, percentOfGibInBytes, postgresDefaultMaxConnections, postgresLimits,
} from "../infra/operations/instance-limits";
import { Run, runStack, runStackExpectingError, stackConfig } from "./harness";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const GIB = 1024 ** 3;

/** The profiles' thresholds (stacks/profiles.json, the same in prod and staging). */
const DEFAULTS: AlarmsConfig = {
    serviceCpuPercent: 85, serviceMemoryPercent: 90, target5xxCount: 10, loadBalancer5xxCount: 10, targetResponseTimeP95Seconds: 2, unhealthyHosts: 0,
    databaseCpuPercent: 80, databaseFreeStoragePercent: 10, databaseFreeMemoryPercent: 10, databaseConnectionsPercent: 80, databaseLatencyMs: 20,
    cacheCpuPercent: 80, cacheMemoryPercent: 80, cacheEvictions: 0, documentDbCpuPercent: 80, documentDbConnectionsPercent: 80,
};

describe("instance limits (pure)", () => {
    it("knows each class's nominal memory: burstable, general purpose (4 GiB per vCPU) and memory optimised (8 GiB per vCPU)", () => {
        assert.deepStrictEqual(
            ["db.t4g.micro", "db.t4g.medium", "db.m6g.large", "db.m7g.16xlarge", "db.r6g.large", "db.r5.12xlarge"].map((c) => POSTGRES_CLASS_MEMORY_GIB[c]),
            [1, 4, 8, 256, 16, 384],
        );
        assert.deepStrictEqual(postgresLimits("db.m6g.large").memoryBytes, 8 * GIB);
    });

    it("approximates DBInstanceClassMemory below every measured default (LEAST(DBInstanceClassMemory/9531392, 5000))", () => {
        // 90% of 8 GiB, and nominal less 256 MiB on 1 GiB.
        assert.strictEqual(approximateDbInstanceClassMemory(8), 7730941132);
        assert.strictEqual(approximateDbInstanceClassMemory(1), 805306368);
        // `SHOW max_connections` on RDS for PostgreSQL: 198 on 2 GiB, 413 on 4 GiB, 856 on 8 GiB.
        for (const [gib, measured] of [[2, 198], [4, 413], [8, 856]]) assert.ok(postgresDefaultMaxConnections(gib) <= measured, `${gib} GiB`);
        assert.deepStrictEqual([1, 2, 4, 8, 16, 32, 64].map(postgresDefaultMaxConnections), [84, 197, 405, 811, 1622, 3244, 5000]);
        assert.strictEqual(postgresLimits("db.t4g.medium").maxConnections, 405);
        assert.strictEqual(postgresLimits("db.r6g.16xlarge").maxConnections, 5000);
    });

    it("takes DocumentDB's per-instance connection limits from AWS's instance limits table", () => {
        assert.deepStrictEqual(documentDbLimits("db.r6g.large"), { memoryBytes: 16 * GIB, maxConnections: 1700 });
        assert.deepStrictEqual(documentDbLimits("db.t4g.medium"), { memoryBytes: 4 * GIB, maxConnections: 500 });
        assert.strictEqual(DOCUMENTDB_CLASS_LIMITS["db.r5.16xlarge"].connections, 30000);
    });

    it("turns percentages into bytes and counts, rounding down", () => {
        assert.strictEqual(percentOfGibInBytes(10, 100), 10737418240);
        assert.strictEqual(percentOfGibInBytes(10, 20), 2147483648);
        assert.strictEqual(percentOf(10, 8 * GIB), 858993459);
        assert.strictEqual(percentOf(80, 811), 648);
    });

    it("refuses a class it does not know, naming it and the file to add it to", () => {
        assert.throws(() => postgresLimits("db.x9.huge"), /RDS for PostgreSQL instance class "db\.x9\.huge" is not in infra\/operations\/instance-limits\.ts.*use one of db\.t3\.micro/);
        assert.throws(() => documentDbLimits("db.m6g.large"), /DocumentDB instance class "db\.m6g\.large" is not in infra\/operations\/instance-limits\.ts/);
    });
});

const TARGETS: AlarmTargets<string> = {
    alarms: DEFAULTS,
    loadBalancer: "app/lb/1",
    services: [
        { name: "api", clusterName: "c", serviceName: "c-api", minimumTasks: 2, targetGroup: "targetgroup/tg/1" },
        { name: "worker", clusterName: "c", serviceName: "c-worker", minimumTasks: 0 },
    ],
    postgres: { identifier: "db", instanceClass: "db.m6g.large", allocatedStorageGib: 100 },
    redisNodes: ["r-001"],
};

describe("alarm specs (pure)", () => {
    it("gives a public service six alarms, a worker in bootstrap (minimum 0) no running-tasks alarm, and no DocumentDB alarm without it", () => {
        assert.deepStrictEqual(alarmSpecs(TARGETS).map((s) => s.key), [
            "service-api-cpu", "service-api-memory", "service-api-running-tasks", "service-api-target-5xx", "service-api-response-time-p95", "service-api-unhealthy-hosts",
            "service-worker-cpu", "service-worker-memory",
            "load-balancer-5xx",
            "database-cpu", "database-free-storage", "database-freeable-memory", "database-connections", "database-read-latency", "database-write-latency",
            "cache-node-1-engine-cpu", "cache-node-1-memory", "cache-node-1-evictions",
        ]);
    });

    it("follows the thresholds in config: the latency in seconds, storage and memory in bytes, connections as a count", () => {
        const specs = alarmSpecs({ ...TARGETS, alarms: { ...DEFAULTS, databaseLatencyMs: 250, databaseFreeStoragePercent: 25, databaseConnectionsPercent: 50, targetResponseTimeP95Seconds: 0.5 } });
        const threshold = (key: string) => specs.find((s) => s.key === key)!.threshold;
        assert.deepStrictEqual(
            ["database-read-latency", "database-write-latency", "database-free-storage", "database-connections", "service-api-response-time-p95", "service-api-running-tasks"].map(threshold),
            [0.25, 0.25, 25 * GIB, 405, 0.5, 2],
        );
    });

    it("sets exactly one of statistic and extendedStatistic on every alarm", () => {
        for (const s of alarmSpecs(TARGETS)) assert.ok((s.statistic === undefined) !== (s.extendedStatistic === undefined), s.key);
    });
});

const args = (over: Partial<AlarmsArgs> = {}): AlarmsArgs => ({
    namePrefix: "pos-prod", alarms: DEFAULTS, topicArn: "arn:aws:sns:eu-west-1:123456789012:pos-prod-alerts", loadBalancer: { arnSuffix: "app/lb/1" },
    services: [{ name: "api", clusterName: "c", serviceName: "c-api", minimumTasks: 2, targetGroupArnSuffix: "targetgroup/tg/1" }],
    postgres: { identifier: "db", instanceClass: "db.m6g.large", allocatedStorageGib: 100 },
    redis: { memberClusters: pulumi.output(["r-001", "r-002"]), nodeCount: 2 },
    ...over,
});

describe("Alarms arguments", () => {
    it("accepts the stacks' own arguments", () => assert.deepStrictEqual(alarmsProblems(args()), []));

    it("names each bad argument, its value and what is allowed, before registering anything", () => {
        const bad = args({
            namePrefix: "Pos_Prod",
            alarms: { ...DEFAULTS, serviceCpuPercent: 0 },
            postgres: { identifier: "db", instanceClass: "db.x9.huge", allocatedStorageGib: 100 },
            documentDb: { instanceIdentifiers: pulumi.output([]), instanceCount: 0, instanceClass: "db.m6g.large" },
            services: [{ name: "api", clusterName: "c", serviceName: "s", minimumTasks: 1 }, { name: "api", clusterName: "c", serviceName: "s", minimumTasks: -1 }],
        });
        const problems = alarmsProblems(bad);
        for (const expected of [
            "alarms.serviceCpuPercent = 0 is not allowed: expected a number of percent from 1 to 100",
            'namePrefix = "Pos_Prod" is not allowed',
            'postgres.instanceClass = "db.x9.huge" is not allowed: expected a class of infra/operations/instance-limits.ts',
            'services[1].name = "api" is not allowed: expected a name no other service has',
            "services[1].minimumTasks = -1 is not allowed",
            "documentDb.instanceCount = 0 is not allowed",
            'documentDb.instanceClass = "db.m6g.large" is not allowed',
        ]) {
            assert.ok(problems.some((p) => p.startsWith(expected)), `${expected}\nin:\n${problems.join("\n")}`);
        }
        assert.throws(() => new Alarms("alarms", bad), /^Error: Alarms has invalid arguments:\n {2}- /);
    });

    it("fails the deployment with both counts when Redis has fewer members than baseline:cache.numCacheClusters", () => {
        assert.strictEqual(memberAt(["r-001", "r-002"], 1, "Redis member clusters", 2), "r-002");
        assert.throws(
            () => memberAt(["r-001"], 1, "Redis member clusters (baseline:cache.numCacheClusters)", 2),
            /^Error: Alarms: expected 2 Redis member clusters \(baseline:cache\.numCacheClusters\), found 1 \(\["r-001"\]\)$/,
        );
    });
});

type Expected = [string, string, string, Record<string, string>, string, "GreaterThanThreshold" | "LessThanThreshold", number, number, string];

/** Every alarm of a stack: key, namespace, metric, dimensions, statistic, operator, threshold, evaluation periods (all periods 300 s), missing data. */
function expectedAlarms(stack: "prod" | "staging"): Expected[] {
    const p = `pos-${stack}`;
    const lb = stack === "prod" ? "app/pos-prod-alb/b85d27c7d4aea652" : "app/pos-staging-alb/01b83557be33cda4";
    const tg = { LoadBalancer: lb, TargetGroup: `targetgroup/${p}-api-a1b2c3d4/0123456789abcdef` };
    const ecs = (service: string) => ({ ClusterName: p, ServiceName: `${p}-${service}` });
    const db = { DBInstanceIdentifier: `${p}-postgres` };
    const gt = "GreaterThanThreshold" as const;
    const lt = "LessThanThreshold" as const;
    const [storage, memory, connections, minApi, docdbConnections] = stack === "prod" ? [10737418240, 858993459, 648, 2, 1360] : [2147483648, 429496729, 324, 1, 400];
    const service = (name: string, min: number): Expected[] => [
        [`service-${name}-cpu`, "AWS/ECS", "CPUUtilization", ecs(name), "Average", gt, 85, 2, "notBreaching"],
        [`service-${name}-memory`, "AWS/ECS", "MemoryUtilization", ecs(name), "Average", gt, 90, 2, "notBreaching"],
        [`service-${name}-running-tasks`, "ECS/ContainerInsights", "RunningTaskCount", ecs(name), "Maximum", lt, min, 1, "breaching"],
    ];
    const nodes = stack === "prod" ? ["001", "002"] : ["001"];
    const instances = stack === "prod" ? [1, 2] : [1];
    return [
        ...service("api", minApi),
        ["service-api-target-5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", tg, "Sum", gt, 10, 1, "notBreaching"],
        ["service-api-response-time-p95", "AWS/ApplicationELB", "TargetResponseTime", tg, "p95", gt, 2, 2, "notBreaching"],
        ["service-api-unhealthy-hosts", "AWS/ApplicationELB", "UnHealthyHostCount", tg, "Maximum", gt, 0, 2, "notBreaching"],
        ...service("worker", 1),
        ["load-balancer-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", { LoadBalancer: lb }, "Sum", gt, 10, 1, "notBreaching"],
        ["database-cpu", "AWS/RDS", "CPUUtilization", db, "Average", gt, 80, 2, "ignore"],
        ["database-free-storage", "AWS/RDS", "FreeStorageSpace", db, "Minimum", lt, storage, 1, "breaching"],
        ["database-freeable-memory", "AWS/RDS", "FreeableMemory", db, "Average", lt, memory, 2, "ignore"],
        ["database-connections", "AWS/RDS", "DatabaseConnections", db, "Maximum", gt, connections, 1, "ignore"],
        ["database-read-latency", "AWS/RDS", "ReadLatency", db, "Average", gt, 0.02, 2, "ignore"],
        ["database-write-latency", "AWS/RDS", "WriteLatency", db, "Average", gt, 0.02, 2, "ignore"],
        ...nodes.flatMap((n, i): Expected[] => [
            [`cache-node-${i + 1}-engine-cpu`, "AWS/ElastiCache", "EngineCPUUtilization", { CacheClusterId: `${p}-redis-${n}` }, "Average", gt, 80, 2, "ignore"],
            [`cache-node-${i + 1}-memory`, "AWS/ElastiCache", "DatabaseMemoryUsagePercentage", { CacheClusterId: `${p}-redis-${n}` }, "Maximum", gt, 80, 1, "breaching"],
            [`cache-node-${i + 1}-evictions`, "AWS/ElastiCache", "Evictions", { CacheClusterId: `${p}-redis-${n}` }, "Sum", gt, 0, 1, "notBreaching"],
        ]),
        ...instances.flatMap((n): Expected[] => [
            [`documentdb-instance-${n}-cpu`, "AWS/DocDB", "CPUUtilization", { DBInstanceIdentifier: `${p}-docdb-${n}` }, "Average", gt, 80, 2, "breaching"],
            [`documentdb-instance-${n}-connections`, "AWS/DocDB", "DatabaseConnections", { DBInstanceIdentifier: `${p}-docdb-${n}` }, "Maximum", gt, docdbConnections, 1, "ignore"],
        ]),
    ];
}

const from = (run: Run, r: { propertyDependencies: Record<string, string[]> }, input: string) => (r.propertyDependencies[input] ?? []).map((u) => run.byUrn(u)?.name).sort();

for (const stack of ["prod", "staging"] as const) {
    describe(`the alarms of the ${stack} stack`, () => {
        let run: Run;
        before(async () => {
            run = await runStack(stack);
        });

        it("has exactly the expected alarms, each with its metric, dimensions, statistic, threshold, periods and missing-data treatment", () => {
            const actual = run.ofType(ALARM).map((a): Expected => {
                const i = a.inputs;
                assert.strictEqual(i.period, 300, a.name);
                return [i.name.replace(`pos-${stack}-`, ""), i.namespace, i.metricName, i.dimensions, i.statistic ?? i.extendedStatistic, i.comparisonOperator, i.threshold, i.evaluationPeriods, i.treatMissingData];
            });
            const byKey = (rows: Expected[]) => [...rows].sort((x, y) => x[0].localeCompare(y[0]));
            assert.deepStrictEqual(byKey(actual), byKey(expectedAlarms(stack)));
        });

        it("notifies the alert topic when an alarm fires and when it recovers, with actions enabled", () => {
            const topic = [`arn:aws:sns:eu-west-1:123456789012:pos-${stack}-alerts`];
            for (const a of run.ofType(ALARM)) {
                assert.deepStrictEqual([a.inputs.alarmActions, a.inputs.okActions, a.inputs.actionsEnabled], [topic, topic, true], a.name);
                assert.deepStrictEqual([from(run, a, "alarmActions"), from(run, a, "okActions")], [["alerts-topic", "alerts-topic-policy"], ["alerts-topic", "alerts-topic-policy"]], a.name);
                assert.strictEqual(a.inputs.insufficientDataActions, undefined, a.name);
            }
        });

        it("names every alarm <app>-<env>-<what>, describes it, and parents it under the Alarms component", () => {
            for (const a of run.ofType(ALARM)) {
                assert.match(a.inputs.name, new RegExp(`^pos-${stack}-[a-z0-9-]+$`));
                assert.strictEqual(a.name, `alarms-${a.inputs.name.replace(`pos-${stack}-`, "")}`);
                assert.ok(typeof a.inputs.alarmDescription === "string" && a.inputs.alarmDescription.length > 20, a.name);
                assert.strictEqual(run.parentName(a), "alarms");
            }
            assert.strictEqual(run.one("baseline:operations:Alarms").parent, run.resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn);
        });
    });
}

describe("the alarms under other configurations", () => {
    it("skip the running-tasks alarm of a service in bootstrap mode (minimum 0 tasks)", async () => {
        const services = JSON.parse(stackConfig("staging")["baseline:services"]).map((s: any) => {
            const { image: _image, ...rest } = s;
            return s.name === "worker" ? { ...rest, bootstrap: true } : s;
        });
        const run = await runStack("staging", { "baseline:services": services });
        const names = run.ofType(ALARM).map((a) => a.inputs.name);
        assert.ok(!names.includes("pos-staging-service-worker-running-tasks"));
        assert.ok(names.includes("pos-staging-service-worker-cpu") && names.includes("pos-staging-service-api-running-tasks"));
    });

    it("take their thresholds from baseline:alarms", async () => {
        const run = await runStack("staging", { "baseline:alarms": { databaseLatencyMs: 50, cacheEvictions: 100, serviceCpuPercent: 70 } });
        const threshold = (name: string) => run.ofType(ALARM).find((a) => a.inputs.name === `pos-staging-${name}`)!.inputs.threshold;
        assert.deepStrictEqual(["database-read-latency", "cache-node-1-evictions", "service-api-cpu"].map(threshold), [0.05, 100, 70]);
    });

    it("refuse a database class whose limits are unknown, naming it, before anything is created", async () => {
        // The config refuses it first (the alarms' own check stays for a caller building arguments by hand).
        const { error, result } = await runStackExpectingError("staging", { "baseline:database": { instanceClass: "db.x9.huge" } });
        assert.match(error.message, /baseline:database\.instanceClass = "db\.x9\.huge" is not allowed: expected an RDS for PostgreSQL instance class such as db\.m6g\.large, one of those whose memory and connection limit infra\/operations\/instance-limits\.ts lists/);
        assert.strictEqual(result.resources.filter((r) => r.type === ALARM).length, 0);
    });
});
