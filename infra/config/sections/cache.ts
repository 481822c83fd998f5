import { DAILY_WINDOW, SectionChecks, WEEKLY_WINDOW, intIn, matches, oneOf, problem, show, windowOf, windowsOverlap } from "../checks";

/** Redis OSS versions ElastiCache offers that this program supports. */
export const REDIS_VERSIONS = ["6.2", "7.0", "7.1"] as const;
export const MAXMEMORY_POLICIES = ["volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-random", "allkeys-random", "volatile-ttl", "noeviction"] as const;
/** Nodes of a replication group (cluster mode off): a primary and up to 5 replicas; prod needs a replica. */
export const CACHE_NODES = { prod: { min: 2, max: 6 }, staging: { min: 1, max: 6 } } as const;
/** Daily snapshots ElastiCache keeps: 0 (off) to 35; prod keeps at least one. */
export const SNAPSHOT_RETENTION_DAYS = { prod: { min: 1, max: 35 }, staging: { min: 0, max: 35 } } as const;

/** `baseline:cache` */
export const CACHE_CHECKS: SectionChecks = {
    engineVersion: (k, v) => oneOf(k, v, REDIS_VERSIONS),
    nodeType: (k, v) => matches(k, v, /^cache\.[a-z0-9]+\.[a-z0-9]+$/, "an ElastiCache node type such as cache.m6g.large"),
    numCacheClusters: (k, v, env) => intIn(k, v, CACHE_NODES[env].min, CACHE_NODES[env].max),
    snapshotRetentionDays: (k, v, env) => intIn(k, v, SNAPSHOT_RETENTION_DAYS[env].min, SNAPSHOT_RETENTION_DAYS[env].max),
    // ElastiCache wants at least an hour for both windows.
    snapshotWindow: (k, v) => windowOf(k, v, DAILY_WINDOW, "02:00-03:00", 60),
    maintenanceWindow: (k, v, _e, s) =>
        windowOf(k, v, WEEKLY_WINDOW, "sun:05:30-sun:06:30", 60) ??
        (typeof s.snapshotWindow === "string" && DAILY_WINDOW.test(s.snapshotWindow) && windowsOverlap(s.snapshotWindow, v as string)
            ? problem(k, v, `a window that does not overlap snapshotWindow ${show(s.snapshotWindow)}`)
            : undefined),
    maxmemoryPolicy: (k, v) => oneOf(k, v, MAXMEMORY_POLICIES),
};
