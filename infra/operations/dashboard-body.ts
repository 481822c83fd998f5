import { METRICS, MetricRef, PERIOD_SECONDS } from "./alarm-specs";

/**
 * The body of the stack's CloudWatch dashboard (the JSON of `aws.cloudwatch.Dashboard.dashboardBody`),
 * built from resolved identifiers. Every series comes from `METRICS`, the constructors the alarms use,
 * so a graph and the alarm on it name the same namespace, metric and dimensions.
 */

export interface DashboardTargets {
    /** The stack's region (`aws:region`): every widget's but the CloudFront ACL's. */
    region: string;
    /** The load balancer's ARN suffix. */
    loadBalancer: string;
    services: { name: string; clusterName: string; serviceName: string; targetGroup?: string }[];
    postgres: string;
    /** Each Redis node's `CacheClusterId`. */
    redisNodes: string[];
    /** Each DocumentDB instance's identifier; absent without DocumentDB. */
    documentDbInstances?: string[];
    /** The web ACLs' metric names (their `WebACL` dimension): the regional one, and CloudFront's (us-east-1) when there is one. */
    waf: { regional: string; cloudFront?: string };
}

/** Where CloudFront-scope WAF metrics are published. */
export const CLOUDFRONT_METRICS_REGION = "us-east-1";

/** One graphed series: `[namespace, metricName, dimension, value, ..., options]`, as CloudWatch dashboards take it. */
export type DashboardMetric = (string | { stat: string; label: string })[];

export interface MetricWidget {
    type: "metric";
    x: number;
    y: number;
    width: number;
    height: number;
    properties: { title: string; region: string; view: "timeSeries"; stacked: false; period: number; metrics: DashboardMetric[] };
}

export interface DashboardBody {
    widgets: MetricWidget[];
}

const WIDTH = 8;
const HEIGHT = 6;
const PER_ROW = 24 / WIDTH;

const series = (m: MetricRef<string>, stat: string, label: string): DashboardMetric => [
    m.namespace, m.metricName, ...Object.entries(m.dimensions).flat(), { stat, label },
];

/** The namespace, metric and dimensions of a graphed series (the inverse of `series`), for tests and checks. */
export function metricOf(entry: DashboardMetric): MetricRef<string> {
    const [namespace, metricName, ...rest] = entry as [string, string, ...(string | object)[]];
    const pairs = rest.filter((v): v is string => typeof v === "string");
    const dimensions: Record<string, string> = {};
    for (let i = 0; i < pairs.length; i += 2) dimensions[pairs[i]] = pairs[i + 1];
    return { namespace, metricName, dimensions };
}

/** The dashboard: traffic and errors first, then each service, the database, the cache and the document store. */
export function dashboardBody(t: DashboardTargets): DashboardBody {
    const graphs: { title: string; region: string; metrics: DashboardMetric[] }[] = [];
    const graph = (title: string, metrics: DashboardMetric[], region = t.region) => {
        if (metrics.length > 0) graphs.push({ title, region, metrics });
    };
    const publicServices = t.services.filter((s): s is typeof s & { targetGroup: string } => s.targetGroup !== undefined);
    const target = (s: { targetGroup: string }, m: Parameters<typeof METRICS.target>[0]) => METRICS.target(m, t.loadBalancer, s.targetGroup);

    graph("Requests", [
        series(METRICS.loadBalancer("RequestCount", t.loadBalancer), "Sum", "load balancer"),
        ...publicServices.map((s) => series(target(s, "RequestCount"), "Sum", s.name)),
    ]);
    graph("Target response time p50 / p95 / p99 (s)", publicServices.flatMap((s) =>
        ["p50", "p95", "p99"].map((p) => series(target(s, "TargetResponseTime"), p, `${s.name} ${p}`))));
    graph("4xx and 5xx responses", [
        ...publicServices.flatMap((s) => [
            series(target(s, "HTTPCode_Target_4XX_Count"), "Sum", `${s.name} 4xx`),
            series(target(s, "HTTPCode_Target_5XX_Count"), "Sum", `${s.name} 5xx`),
        ]),
        series(METRICS.loadBalancer("HTTPCode_ELB_5XX_Count", t.loadBalancer), "Sum", "load balancer 5xx"),
    ]);
    graph("WAF blocked requests (load balancer)", [series(METRICS.wafBlocked(t.waf.regional, t.region), "Sum", t.waf.regional)]);
    if (t.waf.cloudFront !== undefined) {
        graph("WAF blocked requests (CloudFront)", [series(METRICS.wafBlocked(t.waf.cloudFront, undefined), "Sum", t.waf.cloudFront)], CLOUDFRONT_METRICS_REGION);
    }

    for (const s of t.services) {
        graph(`${s.name}: CPU (%)`, [series(METRICS.serviceCpu(s.clusterName, s.serviceName), "Average", "CPU")]);
        graph(`${s.name}: memory (%)`, [series(METRICS.serviceMemory(s.clusterName, s.serviceName), "Average", "memory")]);
        graph(`${s.name}: tasks`, [
            series(METRICS.runningTasks(s.clusterName, s.serviceName), "Maximum", "running"),
            ...(s.targetGroup !== undefined ? [series(METRICS.target("UnHealthyHostCount", t.loadBalancer, s.targetGroup), "Maximum", "unhealthy targets")] : []),
        ]);
    }

    const db = (m: Parameters<typeof METRICS.postgres>[0]) => METRICS.postgres(m, t.postgres);
    graph("Database: CPU (%)", [series(db("CPUUtilization"), "Average", "CPU")]);
    graph("Database: connections", [series(db("DatabaseConnections"), "Maximum", "connections")]);
    graph("Database: free storage and freeable memory (bytes)", [
        series(db("FreeStorageSpace"), "Minimum", "free storage"),
        series(db("FreeableMemory"), "Average", "freeable memory"),
    ]);
    graph("Database: read / write latency (s)", [series(db("ReadLatency"), "Average", "read"), series(db("WriteLatency"), "Average", "write")]);

    const node = (i: number) => `node ${i + 1}`;
    graph("Cache: hits and misses", t.redisNodes.flatMap((id, i) => [
        series(METRICS.cacheNode("CacheHits", id), "Sum", `${node(i)} hits`),
        series(METRICS.cacheNode("CacheMisses", id), "Sum", `${node(i)} misses`),
    ]));
    graph("Cache: engine CPU (%)", t.redisNodes.map((id, i) => series(METRICS.cacheNode("EngineCPUUtilization", id), "Average", node(i))));
    graph("Cache: memory used (%) and evictions", t.redisNodes.flatMap((id, i) => [
        series(METRICS.cacheNode("DatabaseMemoryUsagePercentage", id), "Maximum", `${node(i)} memory`),
        series(METRICS.cacheNode("Evictions", id), "Sum", `${node(i)} evictions`),
    ]));

    const instances = t.documentDbInstances ?? [];
    graph("DocumentDB: CPU (%)", instances.map((id, i) => series(METRICS.documentDb("CPUUtilization", id), "Average", `instance ${i + 1}`)));
    graph("DocumentDB: connections", instances.map((id, i) => series(METRICS.documentDb("DatabaseConnections", id), "Maximum", `instance ${i + 1}`)));

    return {
        widgets: graphs.map((g, i) => ({
            type: "metric",
            x: (i % PER_ROW) * WIDTH,
            y: Math.floor(i / PER_ROW) * HEIGHT,
            width: WIDTH,
            height: HEIGHT,
            properties: { title: g.title, region: g.region, view: "timeSeries", stacked: false, period: PERIOD_SECONDS, metrics: g.metrics },
        })),
    };
}
