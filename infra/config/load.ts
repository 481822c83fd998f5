import * as pulumi from "@pulumi/pulumi";
import { PROFILES } from "../../stacks/profiles";
import {
    DAILY_WINDOW, EMAIL, HOSTNAME, LOG_RETENTION_DAYS, Problem, WEEKLY_WINDOW,
    intIn, isBoolean, isPrivateRange, matches, oneOf, parseCidr, problem, show, windowOf, windowsOverlap,
} from "./checks";
import { subnetLayoutOverflow } from "./subnet-layout";
import {
    BaselineConfig, ENVIRONMENTS, Environment, NAT_STRATEGIES, POSTGRES_MAJORS, REQUIRED_TAGS, SECTIONS, Section,
} from "./types";

/** Raised before any resource is registered; lists every bad key of the stack. */
export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid stack configuration:\n  - ${problems.join("\n  - ")}`);
        this.name = "ConfigError";
    }
}

/** Configuration as read from the stack, before defaults: `baseline:*` keys plus the aws ones we rely on. */
export interface RawConfig {
    /** `baseline:<key>` values, parsed from JSON where the stack gave objects. */
    baseline: Record<string, unknown>;
    /** `aws:region` */
    region?: unknown;
    /** `aws:defaultTags` */
    defaultTags?: unknown;
}

const TOP_LEVEL_KEYS = ["environment", "protectStatefulResources", ...SECTIONS];
const RESERVED_DB_USERS = ["postgres", "admin", "administrator", "root", "rdsadmin", "master", "user", "sa"];
const RESERVED_DOCDB_USERS = ["admin", "administrator", "root", "master", "serviceadmin", "docdb", "user"];
const MAXMEMORY_POLICIES = ["volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-random", "allkeys-random", "volatile-ttl", "noeviction"];
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const PI_RETENTION = [7, 731, ...Array.from({ length: 23 }, (_, i) => 31 * (i + 1))];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Merge one section: profile values under the stack's, rejecting keys the section does not have. */
function mergeSection(section: Section, env: Environment, given: unknown, problems: string[]): Record<string, unknown> {
    const defaults: Record<string, unknown> = { ...((PROFILES[env] as Record<string, unknown>)[section] as object | undefined) };
    const known = Object.keys(KNOWN_KEYS[section]);
    if (given === undefined) return defaults;
    if (!isRecord(given)) {
        problems.push(problem(`baseline:${section}`, given, `an object with keys ${known.join(", ")}`));
        return defaults;
    }
    for (const key of Object.keys(given)) {
        if (!known.includes(key)) problems.push(`baseline:${section}.${key} is not a setting: allowed keys are ${known.join(", ")}`);
    }
    return { ...defaults, ...given };
}

/** Every key of every section, with its check. `env` lets a check be stricter in prod. */
type Check = (key: string, value: unknown, env: Environment, section: Record<string, unknown>) => Problem;
const KNOWN_KEYS: Record<Section, Record<string, Check>> = {
    app: {
        // It starts every AWS name: no trailing or doubled hyphen, which RDS and ElastiCache identifiers refuse.
        name: (k, v) =>
            typeof v === "string" && v.length >= 2 && v.length <= 20 && /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(v)
                ? undefined
                : problem(k, v, "2-20 lowercase letters and digits, starting with a letter, words joined by single hyphens"),
        port: (k, v) => intIn(k, v, 1024, 65535),
    },
    network: {
        cidrBlock: (k, v) => {
            const parsed = parseCidr(v);
            if (!parsed) return problem(k, v, "an IPv4 network in CIDR notation such as 10.0.0.0/16");
            if (parsed[1] < 16 || parsed[1] > 24) return problem(k, v, "a prefix length from /16 to /24");
            return isPrivateRange(parsed) ? undefined : problem(k, v, "a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16");
        },
        // RDS, DocumentDB and ElastiCache subnet groups need subnets in at least two AZs, in every environment.
        availabilityZoneCount: (k, v) => intIn(k, v, 2, 3),
        natGateways: (k, v) => oneOf(k, v, NAT_STRATEGIES),
        publicSubnetMask: (k, v) => intIn(k, v, 17, 28),
        privateSubnetMask: (k, v) => intIn(k, v, 17, 28),
        isolatedSubnetMask: (k, v) => intIn(k, v, 17, 28),
        interfaceEndpoints: (k, v) => isBoolean(k, v),
        flowLogRetentionDays: (k, v) => oneOf(k, v, LOG_RETENTION_DAYS),
    },
    database: {
        engineVersion: (k, v) => oneOf(k, v, POSTGRES_MAJORS),
        instanceClass: (k, v) => matches(k, v, /^db\.[a-z0-9]+\.[a-z0-9]+$/, "an RDS instance class such as db.m6g.large"),
        // At most 65536/1.1, so the autoscaling ceiling (10% above) still fits under RDS's 65536 GiB.
        allocatedStorage: (k, v) => intIn(k, v, 20, 59578),
        // RDS rejects a storage-autoscaling ceiling less than 10% above the allocated storage.
        maxAllocatedStorage: (k, v, _e, s) => {
            if (!Number.isInteger(s.allocatedStorage)) return intIn(k, v, 22, 65536);
            const min = Math.ceil(((s.allocatedStorage as number) * 11) / 10);
            return Number.isInteger(v) && (v as number) >= min && (v as number) <= 65536
                ? undefined
                : problem(k, v, `an integer from ${min} (10% above allocatedStorage ${s.allocatedStorage}) to 65536`);
        },
        multiAz: (k, v) => isBoolean(k, v),
        backupRetentionDays: (k, v) => intIn(k, v, 1, 35),
        backupWindow: (k, v) => windowOf(k, v, DAILY_WINDOW, "03:00-04:00", 30),
        maintenanceWindow: (k, v, _e, s) =>
            windowOf(k, v, WEEKLY_WINDOW, "sun:04:30-sun:05:30", 30) ??
            (typeof s.backupWindow === "string" && DAILY_WINDOW.test(s.backupWindow) && windowsOverlap(s.backupWindow, v as string)
                ? problem(k, v, `a window that does not overlap backupWindow ${show(s.backupWindow)}`)
                : undefined),
        deletionProtection: (k, v) => isBoolean(k, v),
        masterUsername: (k, v) =>
            matches(k, v, /^[a-z][a-z0-9_]{0,62}$/, "a lowercase identifier of up to 63 characters") ??
            (RESERVED_DB_USERS.includes(v as string) ? problem(k, v, `a name other than the well-known ${RESERVED_DB_USERS.join(", ")}`) : undefined),
        databaseName: (k, v) => matches(k, v, /^[a-z][a-z0-9_]{0,62}$/, "a lowercase identifier of up to 63 characters"),
        monitoringIntervalSeconds: (k, v) => oneOf(k, v, [1, 5, 10, 15, 30, 60]),
        performanceInsightsRetentionDays: (k, v) => oneOf(k, v, PI_RETENTION),
        // 0 would log every statement's text, ALTER ROLE ... PASSWORD included.
        slowQueryThresholdMs: (k, v) => intIn(k, v, 1, 3_600_000),
    },
    cache: {
        engineVersion: (k, v) => oneOf(k, v, ["6.2", "7.0", "7.1"]),
        nodeType: (k, v) => matches(k, v, /^cache\.[a-z0-9]+\.[a-z0-9]+$/, "an ElastiCache node type such as cache.m6g.large"),
        numCacheClusters: (k, v, env) => (env === "prod" ? intIn(k, v, 2, 6) : intIn(k, v, 1, 6)),
        snapshotRetentionDays: (k, v, env) => (env === "prod" ? intIn(k, v, 1, 35) : intIn(k, v, 0, 35)),
        // ElastiCache wants at least an hour for both windows.
        snapshotWindow: (k, v) => windowOf(k, v, DAILY_WINDOW, "02:00-03:00", 60),
        maintenanceWindow: (k, v, _e, s) =>
            windowOf(k, v, WEEKLY_WINDOW, "sun:05:30-sun:06:30", 60) ??
            (typeof s.snapshotWindow === "string" && DAILY_WINDOW.test(s.snapshotWindow) && windowsOverlap(s.snapshotWindow, v as string)
                ? problem(k, v, `a window that does not overlap snapshotWindow ${show(s.snapshotWindow)}`)
                : undefined),
        maxmemoryPolicy: (k, v) => oneOf(k, v, MAXMEMORY_POLICIES),
    },
    documentDb: {
        enabled: (k, v) => isBoolean(k, v),
        engineVersion: (k, v) => oneOf(k, v, ["4.0.0", "5.0.0"]),
        instanceClass: (k, v) => matches(k, v, /^db\.[a-z0-9]+\.[a-z0-9]+$/, "a DocumentDB instance class such as db.r6g.large"),
        instanceCount: (k, v, env, s) => (env === "prod" && s.enabled === true ? intIn(k, v, 2, 16) : intIn(k, v, 1, 16)),
        backupRetentionDays: (k, v) => intIn(k, v, 1, 35),
        backupWindow: (k, v) => windowOf(k, v, DAILY_WINDOW, "03:00-04:00", 30),
        deletionProtection: (k, v) => isBoolean(k, v),
        // DocumentDB allows letters and digits only (no underscore, unlike PostgreSQL).
        masterUsername: (k, v) =>
            matches(k, v, /^[a-zA-Z][a-zA-Z0-9]{0,62}$/, "a letter, then up to 62 letters or digits (DocumentDB allows no underscore)") ??
            (RESERVED_DOCDB_USERS.includes((v as string).toLowerCase()) ? problem(k, v, `a name other than the reserved ${RESERVED_DOCDB_USERS.join(", ")}`) : undefined),
    },
    storage: {
        noncurrentVersionTransitionDays: (k, v) => intIn(k, v, 30, 3650),
        noncurrentVersionExpirationDays: (k, v, _e, s) =>
            intIn(k, v, Number.isInteger(s.noncurrentVersionTransitionDays) ? (s.noncurrentVersionTransitionDays as number) + 1 : 31, 3650),
        abortIncompleteUploadDays: (k, v) => intIn(k, v, 1, 365),
        logRetentionDays: (k, v) => intIn(k, v, 1, 3650),
    },
    domain: {
        name: (k, v) => matches(k, v, HOSTNAME, "a lowercase DNS name such as shop.example.com"),
    },
    alerts: {
        emails: (k, v) =>
            Array.isArray(v) && v.length > 0
                ? v.map((e, i) => matches(`${k}[${i}]`, e, EMAIL, "an e-mail address such as ops@example.com")).find((p) => p)
                : problem(k, v, "a non-empty list of e-mail addresses"),
    },
    logs: {
        retentionDays: (k, v) => oneOf(k, v, LOG_RETENTION_DAYS),
    },
    kms: {
        deletionWindowDays: (k, v) => intIn(k, v, 7, 30),
    },
};

/**
 * Merge the stack's values over its environment profile and validate everything.
 * Pure: tests call it with plain objects; {@link loadConfig} feeds it the real stack config.
 */
export function resolveConfig(raw: RawConfig): BaselineConfig {
    const problems: string[] = [];
    const given = raw.baseline;

    for (const key of Object.keys(given)) {
        if (TOP_LEVEL_KEYS.includes(key)) continue;
        const [section, field] = key.split(".");
        problems.push(
            field !== undefined && (SECTIONS as readonly string[]).includes(section)
                ? `baseline:${key} is not a setting: set ${field} inside the baseline:${section} object (pulumi config set --path 'baseline:${section}.${field}' <value>)`
                : `baseline:${key} is not a setting: allowed keys are ${TOP_LEVEL_KEYS.join(", ")}`,
        );
    }

    const envProblem = oneOf("baseline:environment", given.environment, ENVIRONMENTS);
    if (envProblem) throw new ConfigError([envProblem, ...problems]);
    const env = given.environment as Environment;

    const region = raw.region;
    if (typeof region !== "string" || !REGION.test(region)) {
        problems.push(problem("aws:region", region, "an AWS region such as eu-west-1"));
    }

    const tagsObject = isRecord(raw.defaultTags) ? raw.defaultTags.tags : undefined;
    const tags = isRecord(tagsObject) ? tagsObject : {};
    for (const tag of REQUIRED_TAGS) {
        if (typeof tags[tag] !== "string" || (tags[tag] as string).trim() === "") {
            problems.push(problem(`aws:defaultTags.tags.${tag}`, tags[tag], "a non-empty string (every resource must carry it)"));
        }
    }
    if (typeof tags.Environment === "string" && tags.Environment !== env) {
        problems.push(problem("aws:defaultTags.tags.Environment", tags.Environment, `${show(env)}, the value of baseline:environment`));
    }

    // Only an absent key falls back to the profile: an explicit null (YAML `~`) is a mistake to report.
    const protect = given.protectStatefulResources === undefined ? PROFILES[env].protectStatefulResources : given.protectStatefulResources;
    const protectProblem = isBoolean("baseline:protectStatefulResources", protect);
    if (protectProblem) problems.push(protectProblem);
    else if (env === "prod" && protect === false) {
        problems.push(problem("baseline:protectStatefulResources", protect, "true in prod (databases, buckets and keys must survive a destroy)"));
    }

    const sections = {} as Record<Section, Record<string, unknown>>;
    for (const section of SECTIONS) {
        const merged = mergeSection(section, env, given[section], problems);
        for (const [key, check] of Object.entries(KNOWN_KEYS[section])) {
            const p = check(`baseline:${section}.${key}`, merged[key], env, merged);
            if (p) problems.push(p);
        }
        sections[section] = merged;
    }
    if (problems.length === 0) problems.push(...subnetCapacityProblems(sections.network));

    if (problems.length > 0) throw new ConfigError(problems);
    return {
        environment: env,
        region: region as string,
        protectStatefulResources: protect as boolean,
        tags: tags as Record<string, string>,
        ...(sections as unknown as Pick<BaselineConfig, Section>),
    };
}

/** The three tiers in every AZ must fit inside the VPC range. */
function subnetCapacityProblems(network: Record<string, unknown>): string[] {
    const [, prefix] = parseCidr(network.cidrBlock)!;
    const azs = network.availabilityZoneCount as number;
    const masks = [network.publicSubnetMask, network.privateSubnetMask, network.isolatedSubnetMask] as number[];
    const needed = masks.reduce((sum, mask) => sum + azs * 2 ** (32 - mask), 0);
    const available = 2 ** (32 - prefix);
    if (needed > available) {
        return [
            problem("baseline:network.cidrBlock", network.cidrBlock,
                `a range with room for ${azs} AZs of /${masks.join(", /")} subnets (${needed} addresses; it has ${available}): widen it or narrow the subnet masks`),
        ];
    }
    // Enough addresses in total is not enough: awsx gives each AZ an equal block and aligns each subnet to its size.
    const overflow = subnetLayoutOverflow(network.cidrBlock as string, azs, ["public", "private", "isolated"].map((tier, i) => ({ tier, mask: masks[i] })));
    return overflow
        ? [
              problem("baseline:network.cidrBlock", network.cidrBlock,
                  `a range where awsx can place /${masks.join(", /")} subnets in each of ${azs} AZs: each AZ gets ${overflow.azBlock.replace(/^[\d.]+/, "a ")} block and subnets align to their size, so the ${overflow.tier} subnet would be ${overflow.subnet}, outside the first AZ's ${overflow.azBlock}; narrow the subnet masks or widen the range`),
          ]
        : [];
}

/** Read the current stack's configuration and validate it. Throws {@link ConfigError}. */
export function loadConfig(): BaselineConfig {
    const baseline: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (!fullKey.startsWith("baseline:")) continue;
        const key = fullKey.slice("baseline:".length);
        baseline[key] = parseValue(value);
    }
    const aws = new pulumi.Config("aws");
    return resolveConfig({ baseline, region: aws.get("region"), defaultTags: aws.getObject("defaultTags") });
}

/** Pulumi hands every value over as a string; structured values are JSON text. */
function parseValue(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}
