import { DAILY_WINDOW, SectionChecks, intIn, isBoolean, maintenanceWindowCheck, matches, oneOf, problem, show, windowOf } from "../checks";
import { CACHE_HOLDS, CacheConfig, CacheHolds } from "../types";

/** Redis OSS versions ElastiCache offers that this program supports. */
export const REDIS_VERSIONS = ["6.2", "7.0", "7.1"] as const;
export const MAXMEMORY_POLICIES = ["volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-random", "allkeys-random", "volatile-ttl", "noeviction"] as const;
/** Nodes of a replication group (cluster mode off): a primary and up to 5 replicas; prod needs a replica. */
export const CACHE_NODES = { prod: { min: 2, max: 6 }, staging: { min: 1, max: 6 } } as const;
/** Daily snapshots ElastiCache keeps: 0 (off) to 35; prod keeps at least one. */
export const SNAPSHOT_RETENTION_DAYS = { prod: { min: 1, max: 35 }, staging: { min: 0, max: 35 } } as const;
/** Generations of the AUTH token; 1 is the token the group was created with. */
export const AUTH_TOKEN_VERSION = { min: 1, max: 9999 } as const;

/**
 * The eviction policy when a stack sets none. BullMQ, RQ and Sidekiq keep jobs (and locks, which carry a
 * TTL) as ordinary keys: any evicting policy, `volatile-*` included, can drop them without an error.
 */
export const DEFAULT_MAXMEMORY_POLICY: Readonly<Record<CacheHolds, string>> = { cache: "allkeys-lru", queues: "noeviction", both: "noeviction" };

/** The one rule for the policy a group runs: the stack's own, else the default for what it holds. */
export function maxmemoryPolicyOf(cache: Pick<CacheConfig, "holds" | "maxmemoryPolicy">): string {
    return cache.maxmemoryPolicy ?? DEFAULT_MAXMEMORY_POLICY[cache.holds];
}

const holdsQueues = (holds: unknown) => holds === "queues" || holds === "both";

/** `baseline:cache` */
export const CACHE_CHECKS: SectionChecks = {
    engineVersion: (k, v) => oneOf(k, v, REDIS_VERSIONS),
    nodeType: (k, v) => matches(k, v, /^cache\.[a-z0-9]+\.[a-z0-9]+$/, "an ElastiCache node type such as cache.m6g.large"),
    numCacheClusters: (k, v, env) => {
        const { min, max } = CACHE_NODES[env];
        const why = env === "prod" ? " in prod (a primary and at least one replica, so a node or AZ failure fails over)" : "";
        return intIn(k, v, min, max) && problem(k, v, `an integer from ${min} to ${max}${why}`);
    },
    snapshotRetentionDays: (k, v, env) => intIn(k, v, SNAPSHOT_RETENTION_DAYS[env].min, SNAPSHOT_RETENTION_DAYS[env].max),
    // ElastiCache wants at least an hour for both windows.
    snapshotWindow: (k, v) => windowOf(k, v, DAILY_WINDOW, "02:00-03:00", 60),
    maintenanceWindow: maintenanceWindowCheck("snapshotWindow", "sun:05:30-sun:06:30", 60),
    // No profile default: only the stack knows whether its jobs live in this Redis.
    holds: (k, v) =>
        (CACHE_HOLDS as readonly unknown[]).includes(v)
            ? undefined
            : problem(k, v, `one of ${CACHE_HOLDS.map((h) => show(h)).join(", ")}: what this Redis holds (job queues need noeviction), which every stack must set`),
    maxmemoryPolicy: (k, v, _e, s) => {
        if (v === undefined) return undefined;
        const unknown = oneOf(k, v, MAXMEMORY_POLICIES);
        if (unknown || !holdsQueues(s.holds) || v === "noeviction") return unknown;
        return problem(k, v,
            `"noeviction" or unset, because holds is ${show(s.holds)}: an evicting policy deletes queued jobs without an error when memory fills (BullMQ, RQ and Sidekiq require noeviction)`);
    },
    authTokenVersion: (k, v) => intIn(k, v, AUTH_TOKEN_VERSION.min, AUTH_TOKEN_VERSION.max),
    // ElastiCache accepts SET only after a ROTATE: the first token has nothing to retire.
    retirePreviousAuthToken: (k, v, _e, s) =>
        isBoolean(k, v) ??
        (v === true && s.authTokenVersion === AUTH_TOKEN_VERSION.min
            ? problem(k, v, "false while authTokenVersion is 1: the token the group was created with has no predecessor to retire; raise authTokenVersion first (step 1)")
            : undefined),
};
