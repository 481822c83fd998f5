import * as assert from "assert";
import { MetricRef } from "../infra/operations/alarm-specs";
import { DashboardArgs, dashboardProblems } from "../infra/operations/dashboard";
import { CLOUDFRONT_METRICS_REGION, DashboardBody, DashboardTargets, dashboardBody, metricOf } from "../infra/operations/dashboard-body";
import { Run, runStack } from "./harness";

const T = {
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    cluster: "aws:ecs/cluster:Cluster",
    service: "aws:ecs/service:Service",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    rds: "aws:rds/instance:Instance",
    redis: "aws:elasticache/replicationGroup:ReplicationGroup",
    docdb: "aws:docdb/clusterInstance:ClusterInstance",
    acl: "aws:wafv2/webAcl:WebAcl",
};

const TARGETS: DashboardTargets = {
    region: "eu-west-1",
    loadBalancer: "app/lb/1",
    services: [{ name: "api", clusterName: "c", serviceName: "c-api", targetGroup: "targetgroup/tg/1" }, { name: "worker", clusterName: "c", serviceName: "c-worker" }],
    postgres: "db",
    redisNodes: ["r-001", "r-002"],
    waf: { regional: "acl-regional" },
};

const graphed = (body: DashboardBody) => body.widgets.flatMap((w) => w.properties.metrics.map((m) => ({ region: w.properties.region, metric: metricOf(m), stat: (m[m.length - 1] as { stat: string }).stat })));
const same = (a: MetricRef<string>, b: MetricRef<string>) => a.namespace === b.namespace && a.metricName === b.metricName && JSON.stringify(Object.entries(a.dimensions).sort()) === JSON.stringify(Object.entries(b.dimensions).sort());

describe("dashboard body (pure)", () => {
    it("lays the widgets out three to a row, 8 by 6, every graph over 5-minute periods", () => {
        const body = dashboardBody(TARGETS);
        assert.deepStrictEqual(body.widgets.slice(0, 4).map((w) => [w.x, w.y, w.width, w.height]), [[0, 0, 8, 6], [8, 0, 8, 6], [16, 0, 8, 6], [0, 6, 8, 6]]);
        for (const w of body.widgets) assert.deepStrictEqual([w.type, w.properties.view, w.properties.period, w.properties.stacked], ["metric", "timeSeries", 300, false]);
    });

    it("without CloudFront or DocumentDB, draws neither; a worker has no target metrics", () => {
        const titles = dashboardBody(TARGETS).widgets.map((w) => w.properties.title);
        assert.ok(!titles.some((t) => t.includes("CloudFront") || t.includes("DocumentDB")), titles.join(", "));
        const workerTasks = dashboardBody(TARGETS).widgets.find((w) => w.properties.title === "worker: tasks")!;
        assert.deepStrictEqual(workerTasks.properties.metrics, [["ECS/ContainerInsights", "RunningTaskCount", "ClusterName", "c", "ServiceName", "c-worker", { stat: "Maximum", label: "running" }]]);
    });

    it("draws p50, p95 and p99 of each public service's target response time", () => {
        const latency = dashboardBody(TARGETS).widgets.find((w) => w.properties.title.startsWith("Target response time"))!;
        assert.deepStrictEqual(latency.properties.metrics.map((m) => m[m.length - 1]), [
            { stat: "p50", label: "api p50" }, { stat: "p95", label: "api p95" }, { stat: "p99", label: "api p99" },
        ]);
    });

    it("reads the CloudFront ACL's blocked requests in us-east-1 without a Region dimension, the regional ACL's with one", () => {
        const body = dashboardBody({ ...TARGETS, waf: { regional: "acl-regional", cloudFront: "acl-cloudfront" } });
        const waf = graphed(body).filter((g) => g.metric.namespace === "AWS/WAFV2");
        assert.deepStrictEqual(waf, [
            { region: "eu-west-1", stat: "Sum", metric: { namespace: "AWS/WAFV2", metricName: "BlockedRequests", dimensions: { WebACL: "acl-regional", Rule: "ALL", Region: "eu-west-1" } } },
            { region: CLOUDFRONT_METRICS_REGION, stat: "Sum", metric: { namespace: "AWS/WAFV2", metricName: "BlockedRequests", dimensions: { WebACL: "acl-cloudfront", Rule: "ALL" } } },
        ]);
    });

    it("refuses a bad name prefix, region or duplicate service before registering anything", () => {
        const args: DashboardArgs = {
            namePrefix: "pos prod", region: "Ireland", loadBalancer: { arnSuffix: "a" }, postgres: { identifier: "d" }, redis: { memberClusters: [] }, waf: { regional: "w" },
            services: [{ name: "api", clusterName: "c", serviceName: "s" }, { name: "api", clusterName: "c", serviceName: "s" }],
        };
        assert.deepStrictEqual(dashboardProblems(args), [
            'namePrefix = "pos prod" is not allowed: expected lowercase letters and digits in words joined by single hyphens, at most 255 characters',
            'region = "Ireland" is not allowed: expected an AWS region such as eu-west-1',
            'services[1].name = "api" is not allowed: expected a name no other service has',
        ]);
    });
});

/** Both stacks run CloudFront and DocumentDB, two services (api public, worker). */
const TITLES = [
    "Requests", "Target response time p50 / p95 / p99 (s)", "4xx and 5xx responses", "WAF blocked requests (load balancer)", "WAF blocked requests (CloudFront)",
    "api: CPU (%)", "api: memory (%)", "api: tasks", "worker: CPU (%)", "worker: memory (%)", "worker: tasks",
    "Database: CPU (%)", "Database: connections", "Database: free storage and freeable memory (bytes)", "Database: read / write latency (s)",
    "Cache: hits and misses", "Cache: engine CPU (%)", "Cache: memory used (%) and evictions",
    "DocumentDB: CPU (%)", "DocumentDB: connections",
];

for (const stack of ["prod", "staging"] as const) {
    describe(`the dashboard of the ${stack} stack`, () => {
        let run: Run;
        let body: DashboardBody;
        before(async () => {
            run = await runStack(stack);
            body = JSON.parse(run.one(T.dashboard).inputs.dashboardBody);
        });

        it("is one dashboard named after the stack, under the Dashboard component, with the issue's widgets", () => {
            const dashboard = run.one(T.dashboard);
            assert.strictEqual(dashboard.inputs.dashboardName, `pos-${stack}`);
            assert.strictEqual(run.parentName(dashboard), "dashboard");
            assert.deepStrictEqual(body.widgets.map((w) => w.properties.title), TITLES);
        });

        it("draws every alarm's metric with the same namespace, name and dimensions", () => {
            const metrics = graphed(body).map((g) => g.metric);
            for (const a of run.ofType(T.alarm)) {
                const alarmMetric = { namespace: a.inputs.namespace, metricName: a.inputs.metricName, dimensions: a.inputs.dimensions };
                assert.ok(metrics.some((m) => same(m, alarmMetric)), `${a.inputs.name}: ${JSON.stringify(alarmMetric)} is not on the dashboard`);
            }
        });

        it("names only identifiers of this stack in its dimensions, each in the region its metric lives in", () => {
            const p = `pos-${stack}`;
            const hex = "[0-9a-f]{16}";
            const names = (type: string, input: string) => run.ofType(type).map((r) => r.inputs[input] as string);
            const [lbName] = names(T.lb, "name");
            const redisNodes = names(T.redis, "replicationGroupId").flatMap((g) => (stack === "prod" ? [`${g}-001`, `${g}-002`] : [`${g}-001`]));
            const allowed: Record<string, (v: string) => boolean> = {
                LoadBalancer: (v) => new RegExp(`^app/${lbName}/${hex}$`).test(v),
                TargetGroup: (v) => names(T.targetGroup, "name").some((tg) => new RegExp(`^targetgroup/${tg}/${hex}$`).test(v)),
                ClusterName: (v) => names(T.cluster, "name").includes(v),
                ServiceName: (v) => names(T.service, "name").includes(v),
                DBInstanceIdentifier: (v) => [...names(T.rds, "identifier"), ...names(T.docdb, "identifier")].includes(v),
                CacheClusterId: (v) => redisNodes.includes(v),
                WebACL: (v) => run.ofType(T.acl).some((acl) => acl.inputs.visibilityConfig.metricName === v),
                Rule: (v) => v === "ALL",
                Region: (v) => v === "eu-west-1",
            };
            assert.deepStrictEqual([lbName, names(T.cluster, "name"), names(T.rds, "identifier")], [`${p}-alb`, [p], [`${p}-postgres`]]);
            const seen = new Set<string>();
            for (const g of graphed(body)) {
                for (const [dimension, value] of Object.entries(g.metric.dimensions)) {
                    assert.ok(allowed[dimension]?.(value), `${g.metric.metricName}: ${dimension}=${value} is not an identifier of ${stack}`);
                    seen.add(`${dimension}=${value}`);
                }
                const cloudFront = g.metric.namespace === "AWS/WAFV2" && g.metric.dimensions.WebACL === `${p}-cloudfront`;
                assert.strictEqual(g.region, cloudFront ? "us-east-1" : "eu-west-1", `${g.metric.metricName} ${JSON.stringify(g.metric.dimensions)}`);
            }
            // Every node, instance and service is on it.
            for (const v of [...redisNodes, ...names(T.docdb, "identifier"), ...names(T.service, "name"), `${p}-regional`, `${p}-cloudfront`]) {
                assert.ok([...seen].some((s) => s.endsWith(`=${v}`)), `${v} is not on the dashboard`);
            }
        });
    });
}
