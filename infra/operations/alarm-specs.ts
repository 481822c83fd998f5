import { AlarmsConfig } from "../config/operations-types";
import { documentDbLimits, percentOf, percentOfGibInBytes, postgresLimits } from "./instance-limits";

/**
 * The alarms of one stack as plain data, from the thresholds in config and the identifiers of what they
 * watch. Generic in the identifier type: the component passes outputs, the tests pass strings. The
 * metrics (namespace, name and dimensions, as each service's CloudWatch documentation gives them) are
 * built by `METRICS`, which the dashboard uses too, so an alarm and its graph always watch the same series.
 */

/** One CloudWatch metric series: what an alarm evaluates and a dashboard graph draws. */
export interface MetricRef<Id> {
    namespace: string;
    metricName: string;
    /** Dimension name to value, in the order CloudWatch lists them. */
    dimensions: Record<string, Id>;
}

/**
 * The metrics this stack emits, with their documented dimensions:
 * - AWS/ECS CPUUtilization, MemoryUtilization: ClusterName + ServiceName (Amazon ECS Developer Guide, "Amazon ECS
 *   CloudWatch metrics"; sent only while the service has RUNNING tasks).
 * - ECS/ContainerInsights RunningTaskCount: ClusterName + ServiceName (Container Insights is on for the cluster).
 * - AWS/ApplicationELB per target group (LoadBalancer + TargetGroup, the ARN suffixes): HTTPCode_Target_5XX_Count,
 *   HTTPCode_Target_4XX_Count, TargetResponseTime (seconds), UnHealthyHostCount, RequestCount; per load balancer
 *   (LoadBalancer): HTTPCode_ELB_5XX_Count, RequestCount.
 * - AWS/RDS per instance (DBInstanceIdentifier): CPUUtilization, FreeStorageSpace (bytes), FreeableMemory (bytes),
 *   DatabaseConnections, ReadLatency and WriteLatency (seconds).
 * - AWS/ElastiCache per node (CacheClusterId of each member cluster, which holds one node when cluster mode is
 *   off): EngineCPUUtilization, DatabaseMemoryUsagePercentage, Evictions, CacheHits, CacheMisses. ElastiCache
 *   publishes them per node; the replication group has no such series.
 * - AWS/DocDB per instance (DBInstanceIdentifier): CPUUtilization, DatabaseConnections.
 * - AWS/WAFV2 BlockedRequests: WebACL (its metric name) + Rule ("ALL": the whole ACL) + Region for a REGIONAL
 *   ACL; a CLOUDFRONT ACL's have no Region and are published in us-east-1 (AWS WAF Developer Guide,
 *   "AWS WAF metrics and dimensions").
 */
export const METRICS = {
    serviceCpu: <Id>(cluster: Id, service: Id): MetricRef<Id> => ecs("AWS/ECS", "CPUUtilization", cluster, service),
    serviceMemory: <Id>(cluster: Id, service: Id): MetricRef<Id> => ecs("AWS/ECS", "MemoryUtilization", cluster, service),
    runningTasks: <Id>(cluster: Id, service: Id): MetricRef<Id> => ecs("ECS/ContainerInsights", "RunningTaskCount", cluster, service),
    target: <Id>(metricName: TargetMetric, loadBalancer: Id, targetGroup: Id): MetricRef<Id> => ({
        namespace: "AWS/ApplicationELB", metricName, dimensions: { LoadBalancer: loadBalancer, TargetGroup: targetGroup },
    }),
    loadBalancer: <Id>(metricName: "HTTPCode_ELB_5XX_Count" | "RequestCount", loadBalancer: Id): MetricRef<Id> => ({
        namespace: "AWS/ApplicationELB", metricName, dimensions: { LoadBalancer: loadBalancer },
    }),
    postgres: <Id>(metricName: PostgresMetric, identifier: Id): MetricRef<Id> => ({ namespace: "AWS/RDS", metricName, dimensions: { DBInstanceIdentifier: identifier } }),
    cacheNode: <Id>(metricName: CacheMetric, cacheClusterId: Id): MetricRef<Id> => ({ namespace: "AWS/ElastiCache", metricName, dimensions: { CacheClusterId: cacheClusterId } }),
    documentDb: <Id>(metricName: "CPUUtilization" | "DatabaseConnections", identifier: Id): MetricRef<Id> => ({
        namespace: "AWS/DocDB", metricName, dimensions: { DBInstanceIdentifier: identifier },
    }),
    wafBlocked: <Id>(webAcl: Id, region: Id | undefined): MetricRef<Id> => ({
        namespace: "AWS/WAFV2", metricName: "BlockedRequests", dimensions: region === undefined ? { WebACL: webAcl, Rule: "ALL" as Id } : { WebACL: webAcl, Rule: "ALL" as Id, Region: region },
    }),
};

export type TargetMetric = "HTTPCode_Target_5XX_Count" | "HTTPCode_Target_4XX_Count" | "TargetResponseTime" | "UnHealthyHostCount" | "RequestCount";
export type PostgresMetric = "CPUUtilization" | "FreeStorageSpace" | "FreeableMemory" | "DatabaseConnections" | "ReadLatency" | "WriteLatency";
export type CacheMetric = "EngineCPUUtilization" | "DatabaseMemoryUsagePercentage" | "Evictions" | "CacheHits" | "CacheMisses";

function ecs<Id>(namespace: string, metricName: string, cluster: Id, service: Id): MetricRef<Id> {
    return { namespace, metricName, dimensions: { ClusterName: cluster, ServiceName: service } };
}

/**
 * What CloudWatch does while a metric has no data points:
 * - "breaching": silence is itself the failure (a service that stops reporting tasks, a database or cache node
 *   that stops reporting at all);
 * - "notBreaching": no data means nothing happened (no requests: no errors, no latency; no tasks: no CPU, which
 *   the running-tasks alarm reports);
 * - "ignore": keep the current state (a gap in a utilisation metric changes nothing; the node's breaching
 *   alarm reports a silent node once).
 */
export type MissingData = "breaching" | "notBreaching" | "ignore";

export interface AlarmSpec<Id> {
    /** End of the alarm's AWS name (`<namePrefix>-<key>`) and logical name; stable (service names and node numbers only). */
    key: string;
    description: string;
    metric: MetricRef<Id>;
    /** Exactly one of `statistic` and `extendedStatistic`. */
    statistic?: "Average" | "Sum" | "Maximum" | "Minimum";
    extendedStatistic?: string;
    comparisonOperator: "GreaterThanThreshold" | "LessThanThreshold";
    threshold: number;
    /** Seconds. */
    period: number;
    evaluationPeriods: number;
    treatMissingData: MissingData;
}

/** Everything the alarms watch, by the identifiers their metrics carry. */
export interface AlarmTargets<Id> {
    alarms: AlarmsConfig;
    /** The load balancer's ARN suffix (`app/<name>/<id>`), its metrics' `LoadBalancer` dimension. */
    loadBalancer: Id;
    services: {
        /** The service's config name (`api`), in the alarm's name. */
        name: string;
        clusterName: Id;
        serviceName: Id;
        /** Tasks it keeps at least; 0 (bootstrap) skips the running-tasks alarm. */
        minimumTasks: number;
        /** Public services: the target group's ARN suffix (`targetgroup/<name>/<id>`). */
        targetGroup?: Id;
    }[];
    postgres: { identifier: Id; instanceClass: string; allocatedStorageGib: number };
    /** Each Redis node's `CacheClusterId`, in member order. */
    redisNodes: Id[];
    documentDb?: { instances: Id[]; instanceClass: string };
}

/** Five minutes: the period of every alarm (the windows are counted in 5-minute periods). */
export const PERIOD_SECONDS = 300;

/** The alarms of a stack, in a stable order. Throws (naming the class) for an instance class the tables lack. */
export function alarmSpecs<Id>(t: AlarmTargets<Id>): AlarmSpec<Id>[] {
    const a = t.alarms;
    const specs: AlarmSpec<Id>[] = [];
    const add = (key: string, description: string, metric: MetricRef<Id>, rest: Omit<AlarmSpec<Id>, "key" | "description" | "metric" | "period">) =>
        specs.push({ key, description, metric, period: PERIOD_SECONDS, ...rest });
    const above = { comparisonOperator: "GreaterThanThreshold" } as const;
    const below = { comparisonOperator: "LessThanThreshold" } as const;

    for (const s of t.services) {
        const svc = `service-${s.name}`;
        add(`${svc}-cpu`, `Service ${s.name}: average CPU above ${a.serviceCpuPercent}% of its tasks' CPU for 10 minutes.`, METRICS.serviceCpu(s.clusterName, s.serviceName),
            { ...above, statistic: "Average", threshold: a.serviceCpuPercent, evaluationPeriods: 2, treatMissingData: "notBreaching" });
        add(`${svc}-memory`, `Service ${s.name}: average memory above ${a.serviceMemoryPercent}% of its tasks' memory for 10 minutes.`, METRICS.serviceMemory(s.clusterName, s.serviceName),
            { ...above, statistic: "Average", threshold: a.serviceMemoryPercent, evaluationPeriods: 2, treatMissingData: "notBreaching" });
        // A service in bootstrap mode runs nothing on purpose.
        if (s.minimumTasks > 0) {
            add(`${svc}-running-tasks`, `Service ${s.name}: fewer than ${s.minimumTasks} running task(s) throughout 5 minutes, or no report at all.`,
                METRICS.runningTasks(s.clusterName, s.serviceName),
                { ...below, statistic: "Maximum", threshold: s.minimumTasks, evaluationPeriods: 1, treatMissingData: "breaching" });
        }
        if (s.targetGroup !== undefined) {
            const tg = s.targetGroup;
            add(`${svc}-target-5xx`, `Service ${s.name}: more than ${a.target5xxCount} 5xx responses from its targets in 5 minutes.`,
                METRICS.target("HTTPCode_Target_5XX_Count", t.loadBalancer, tg),
                { ...above, statistic: "Sum", threshold: a.target5xxCount, evaluationPeriods: 1, treatMissingData: "notBreaching" });
            add(`${svc}-response-time-p95`, `Service ${s.name}: p95 target response time above ${a.targetResponseTimeP95Seconds} s for 10 minutes.`,
                METRICS.target("TargetResponseTime", t.loadBalancer, tg),
                { ...above, extendedStatistic: "p95", threshold: a.targetResponseTimeP95Seconds, evaluationPeriods: 2, treatMissingData: "notBreaching" });
            add(`${svc}-unhealthy-hosts`, `Service ${s.name}: more than ${a.unhealthyHosts} unhealthy target(s) for 10 minutes.`,
                METRICS.target("UnHealthyHostCount", t.loadBalancer, tg),
                { ...above, statistic: "Maximum", threshold: a.unhealthyHosts, evaluationPeriods: 2, treatMissingData: "notBreaching" });
        }
    }

    add("load-balancer-5xx", `Load balancer: more than ${a.loadBalancer5xxCount} 5xx responses of its own (no healthy target, timeouts) in 5 minutes.`,
        METRICS.loadBalancer("HTTPCode_ELB_5XX_Count", t.loadBalancer),
        { ...above, statistic: "Sum", threshold: a.loadBalancer5xxCount, evaluationPeriods: 1, treatMissingData: "notBreaching" });

    const pg = postgresLimits(t.postgres.instanceClass);
    const db = (m: PostgresMetric) => METRICS.postgres(m, t.postgres.identifier);
    const cls = t.postgres.instanceClass;
    add("database-cpu", `Database: average CPU above ${a.databaseCpuPercent}% for 10 minutes.`, db("CPUUtilization"),
        { ...above, statistic: "Average", threshold: a.databaseCpuPercent, evaluationPeriods: 2, treatMissingData: "ignore" });
    add("database-free-storage", `Database: free storage below ${a.databaseFreeStoragePercent}% of the ${t.postgres.allocatedStorageGib} GiB allocated, or no report at all.`,
        db("FreeStorageSpace"),
        { ...below, statistic: "Minimum", threshold: percentOfGibInBytes(a.databaseFreeStoragePercent, t.postgres.allocatedStorageGib), evaluationPeriods: 1, treatMissingData: "breaching" });
    add("database-freeable-memory", `Database: freeable memory below ${a.databaseFreeMemoryPercent}% of ${cls}'s memory for 10 minutes.`, db("FreeableMemory"),
        { ...below, statistic: "Average", threshold: percentOf(a.databaseFreeMemoryPercent, pg.memoryBytes), evaluationPeriods: 2, treatMissingData: "ignore" });
    add("database-connections", `Database: more than ${a.databaseConnectionsPercent}% of ${cls}'s default max_connections (about ${pg.maxConnections}) in use.`,
        db("DatabaseConnections"),
        { ...above, statistic: "Maximum", threshold: percentOf(a.databaseConnectionsPercent, pg.maxConnections), evaluationPeriods: 1, treatMissingData: "ignore" });
    for (const [key, metric] of [["read", "ReadLatency"], ["write", "WriteLatency"]] as const) {
        add(`database-${key}-latency`, `Database: average ${key} latency above ${a.databaseLatencyMs} ms for 10 minutes.`, db(metric),
            { ...above, statistic: "Average", threshold: a.databaseLatencyMs / 1000, evaluationPeriods: 2, treatMissingData: "ignore" });
    }

    t.redisNodes.forEach((node, i) => {
        const n = `cache-node-${i + 1}`;
        add(`${n}-engine-cpu`, `Redis node ${i + 1}: average engine CPU above ${a.cacheCpuPercent}% for 10 minutes.`, METRICS.cacheNode("EngineCPUUtilization", node),
            { ...above, statistic: "Average", threshold: a.cacheCpuPercent, evaluationPeriods: 2, treatMissingData: "ignore" });
        add(`${n}-memory`, `Redis node ${i + 1}: memory used above ${a.cacheMemoryPercent}% of what Redis may use, or no report at all.`,
            METRICS.cacheNode("DatabaseMemoryUsagePercentage", node),
            { ...above, statistic: "Maximum", threshold: a.cacheMemoryPercent, evaluationPeriods: 1, treatMissingData: "breaching" });
        add(`${n}-evictions`, `Redis node ${i + 1}: more than ${a.cacheEvictions} key(s) evicted in 5 minutes.`, METRICS.cacheNode("Evictions", node),
            { ...above, statistic: "Sum", threshold: a.cacheEvictions, evaluationPeriods: 1, treatMissingData: "notBreaching" });
    });

    if (t.documentDb) {
        const dd = documentDbLimits(t.documentDb.instanceClass);
        t.documentDb.instances.forEach((instance, i) => {
            const n = `documentdb-instance-${i + 1}`;
            add(`${n}-cpu`, `DocumentDB instance ${i + 1}: average CPU above ${a.documentDbCpuPercent}% for 10 minutes, or no report at all.`,
                METRICS.documentDb("CPUUtilization", instance),
                { ...above, statistic: "Average", threshold: a.documentDbCpuPercent, evaluationPeriods: 2, treatMissingData: "breaching" });
            add(`${n}-connections`, `DocumentDB instance ${i + 1}: more than ${a.documentDbConnectionsPercent}% of ${t.documentDb!.instanceClass}'s ${dd.maxConnections} connections in use.`,
                METRICS.documentDb("DatabaseConnections", instance),
                { ...above, statistic: "Maximum", threshold: percentOf(a.documentDbConnectionsPercent, dd.maxConnections), evaluationPeriods: 1, treatMissingData: "ignore" });
        });
    }
    return specs;
}
