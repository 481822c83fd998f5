/**
 * What the alarms need to know about an instance class and cannot read from AWS at preview: its memory,
 * and how many connections its engine accepts by default. Pure tables and arithmetic, unit-tested.
 *
 * A class missing here is refused with its name (see `postgresLimits` / `documentDbLimits`): add its row
 * (memory from the class's specification, connections from the sources below) rather than guess.
 */

const GIB = 1024 ** 3;

/** Nominal memory in GiB of the instance sizes the RDS and DocumentDB classes share (the EC2 sizes they run on). */
const BURSTABLE_GIB: Record<string, number> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, "2xlarge": 32 };
/** General purpose (m5, m6g, m6i, m7g): 4 GiB per vCPU. */
const GENERAL_GIB: Record<string, number> = { large: 8, xlarge: 16, "2xlarge": 32, "4xlarge": 64, "8xlarge": 128, "12xlarge": 192, "16xlarge": 256 };
/** Memory optimised (r5, r6g, r6i, r7g): 8 GiB per vCPU. */
const MEMORY_GIB: Record<string, number> = { large: 16, xlarge: 32, "2xlarge": 64, "4xlarge": 128, "8xlarge": 256, "12xlarge": 384, "16xlarge": 512 };

const family = (prefixes: readonly string[], sizes: Record<string, number>): Record<string, number> =>
    Object.fromEntries(prefixes.flatMap((p) => Object.entries(sizes).map(([size, gib]) => [`db.${p}.${size}`, gib])));

/** RDS for PostgreSQL classes this program knows, with their nominal memory in GiB. */
export const POSTGRES_CLASS_MEMORY_GIB: Readonly<Record<string, number>> = {
    ...family(["t3", "t4g"], BURSTABLE_GIB),
    ...family(["m5", "m6g", "m6i", "m7g"], GENERAL_GIB),
    ...family(["r5", "r6g", "r6i", "r7g"], MEMORY_GIB),
};

/**
 * DocumentDB (instance-based) classes: nominal memory in GiB and the per-instance connection limit of
 * AWS's "Amazon DocumentDB quotas and limits" page, section "Instance limits"
 * (docs.aws.amazon.com/documentdb/latest/developerguide/limits.html). The limit is a hard one
 * (30,000 at most per instance), not a parameter.
 */
export const DOCUMENTDB_CLASS_LIMITS: Readonly<Record<string, { memoryGib: number; connections: number }>> = {
    "db.t3.medium": { memoryGib: 4, connections: 500 },
    "db.t4g.medium": { memoryGib: 4, connections: 500 },
    ...Object.fromEntries(
        ["r5", "r6g"].flatMap((p) =>
            Object.entries({ large: 1700, xlarge: 3500, "2xlarge": 7000, "4xlarge": 14200, "8xlarge": 28400, "12xlarge": 30000, "16xlarge": 30000 }).map(
                ([size, connections]) => [`db.${p}.${size}`, { memoryGib: MEMORY_GIB[size], connections }],
            ),
        ),
    ),
};

/**
 * RDS for PostgreSQL's default `max_connections` is `LEAST({DBInstanceClassMemory/9531392}, 5000)`
 * (Amazon RDS User Guide, "Maximum number of database connections", CHAP_Limits.html#RDS_Limits.MaxConnections).
 */
export const POSTGRES_BYTES_PER_CONNECTION = 9531392;
export const POSTGRES_MAX_CONNECTIONS_CAP = 5000;

/**
 * `DBInstanceClassMemory` is the class's memory less what RDS keeps for the operating system and its own
 * processes; AWS does not publish it. Measured defaults (`SHOW max_connections`: 413 on 4 GiB, 856 on 8 GiB,
 * 1660 on 15.25 GiB) put it between 91% and 97% of the nominal memory, and about 250 MiB below it on the
 * smallest classes. This takes the lower of 90% and nominal less 256 MiB: never above the measured values,
 * so a connections alarm computed from it fires slightly early rather than late.
 */
export function approximateDbInstanceClassMemory(memoryGib: number): number {
    const bytes = memoryGib * GIB;
    return Math.floor(Math.min(bytes * 0.9, bytes - 256 * 1024 ** 2));
}

/** The default `max_connections` of RDS for PostgreSQL on a class with this much memory (approximated as above). */
export function postgresDefaultMaxConnections(memoryGib: number): number {
    return Math.min(Math.floor(approximateDbInstanceClassMemory(memoryGib) / POSTGRES_BYTES_PER_CONNECTION), POSTGRES_MAX_CONNECTIONS_CAP);
}

export interface InstanceLimits {
    /** Nominal memory in bytes (FreeableMemory is measured against it). */
    memoryBytes: number;
    /** Connections the engine accepts by default. */
    maxConnections: number;
}

function unknownClass(engine: string, instanceClass: string, known: readonly string[]): Error {
    return new Error(
        `${engine} instance class ${JSON.stringify(instanceClass)} is not in infra/operations/instance-limits.ts, so its memory and connection ` +
            `limit (which the alarms' thresholds are computed from) are unknown: use one of ${known.join(", ")}, or add the class's row there.`,
    );
}

/** Memory and default connection limit of an RDS for PostgreSQL class; throws, naming the class, when it is not in the table. */
export function postgresLimits(instanceClass: string): InstanceLimits {
    const gib = POSTGRES_CLASS_MEMORY_GIB[instanceClass];
    if (gib === undefined) throw unknownClass("RDS for PostgreSQL", instanceClass, Object.keys(POSTGRES_CLASS_MEMORY_GIB));
    return { memoryBytes: gib * GIB, maxConnections: postgresDefaultMaxConnections(gib) };
}

/** Memory and connection limit of a DocumentDB class; throws, naming the class, when it is not in the table. */
export function documentDbLimits(instanceClass: string): InstanceLimits {
    const row = DOCUMENTDB_CLASS_LIMITS[instanceClass];
    if (row === undefined) throw unknownClass("DocumentDB", instanceClass, Object.keys(DOCUMENTDB_CLASS_LIMITS));
    return { memoryBytes: row.memoryGib * GIB, maxConnections: row.connections };
}

/** `percent`% of `whole`, rounded down to a whole number (bytes, connections): a threshold never above the exact share. */
export const percentOf = (percent: number, whole: number): number => Math.floor((whole * percent) / 100);

/** `percent`% of `gib` GiB, in bytes (CloudWatch reports FreeStorageSpace and FreeableMemory in bytes). */
export const percentOfGibInBytes = (percent: number, gib: number): number => percentOf(percent, gib * GIB);
