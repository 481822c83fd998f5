import { DAILY_WINDOW, SectionChecks, intIn, isBoolean, maintenanceWindowCheck, matches, oneOf, problem, windowOf } from "../checks";
import { POSTGRES_MAJORS } from "../types";
import { POSTGRES_CLASS_MEMORY_GIB } from "../../operations/instance-limits";

/** Master user names every scanner tries first, and the ones RDS reserves. */
export const RESERVED_DB_USERS = ["postgres", "admin", "administrator", "root", "rdsadmin", "master", "user", "sa"] as const;
/** Enhanced monitoring intervals RDS accepts, in seconds. */
export const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60] as const;
/** Performance Insights retention: 7 (free tier), 731, or a multiple of 31 days up to 713. */
export const PI_RETENTION_DAYS = [7, 731, ...Array.from({ length: 23 }, (_, i) => 31 * (i + 1))];
/** Automated backups: RDS keeps 1 to 35 days (0 would turn them off). */
export const BACKUP_RETENTION_DAYS = { min: 1, max: 35 } as const;
/** gp3 storage in GiB: RDS's 20 GiB minimum, and at most 65536/1.1 so the autoscaling ceiling still fits. */
export const ALLOCATED_STORAGE_GIB = { min: 20, max: 59578 } as const;
export const MAX_STORAGE_GIB = 65536;
/** `log_min_duration_statement` in ms: 0 would log every statement's text, `ALTER ROLE ... PASSWORD` included. */
export const SLOW_QUERY_MS = { min: 1, max: 3_600_000 } as const;
/** PostgreSQL identifiers (user and database names) as RDS accepts them. */
const PG_IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * Days between rotations of an RDS- or DocumentDB-managed master password (Secrets Manager accepts 1..1000;
 * prod rotates at least quarterly).
 */
export const PASSWORD_ROTATION_DAYS = { prod: { min: 1, max: 90 }, staging: { min: 1, max: 365 } } as const;

/** The smallest storage autoscaling ceiling RDS accepts: 10% above the allocated storage, rounded up. */
export const minimumStorageCeiling = (allocatedStorage: number): number => Math.ceil((allocatedStorage * 11) / 10);

/** `baseline:database` */
export const DATABASE_CHECKS: SectionChecks = {
    engineVersion: (k, v) => oneOf(k, v, POSTGRES_MAJORS),
    // The alarms derive memory and connection thresholds from the class (infra/operations/instance-limits.ts).
    instanceClass: (k, v) =>
        typeof v === "string" && Object.hasOwn(POSTGRES_CLASS_MEMORY_GIB, v)
            ? undefined
            : problem(k, v, `an RDS for PostgreSQL instance class such as db.m6g.large, one of those whose memory and connection limit infra/operations/instance-limits.ts lists`),
    allocatedStorage: (k, v) => intIn(k, v, ALLOCATED_STORAGE_GIB.min, ALLOCATED_STORAGE_GIB.max),
    // RDS rejects a storage-autoscaling ceiling less than 10% above the allocated storage.
    maxAllocatedStorage: (k, v, _e, s) => {
        if (!Number.isInteger(s.allocatedStorage)) return intIn(k, v, minimumStorageCeiling(ALLOCATED_STORAGE_GIB.min), MAX_STORAGE_GIB);
        const min = minimumStorageCeiling(s.allocatedStorage as number);
        return Number.isInteger(v) && (v as number) >= min && (v as number) <= MAX_STORAGE_GIB
            ? undefined
            : problem(k, v, `an integer from ${min} (10% above allocatedStorage ${s.allocatedStorage}) to ${MAX_STORAGE_GIB}`);
    },
    multiAz: (k, v) => isBoolean(k, v),
    backupRetentionDays: (k, v) => intIn(k, v, BACKUP_RETENTION_DAYS.min, BACKUP_RETENTION_DAYS.max),
    backupWindow: (k, v) => windowOf(k, v, DAILY_WINDOW, "03:00-04:00", 30),
    maintenanceWindow: maintenanceWindowCheck("backupWindow", "sun:04:30-sun:05:30", 30),
    deletionProtection: (k, v) => isBoolean(k, v),
    masterUsername: (k, v) =>
        matches(k, v, PG_IDENTIFIER, "a lowercase identifier of up to 63 characters") ??
        ((RESERVED_DB_USERS as readonly string[]).includes(v as string) ? problem(k, v, `a name other than the well-known ${RESERVED_DB_USERS.join(", ")}`) : undefined),
    databaseName: (k, v) => matches(k, v, PG_IDENTIFIER, "a lowercase identifier of up to 63 characters"),
    monitoringIntervalSeconds: (k, v) => oneOf(k, v, MONITORING_INTERVALS),
    performanceInsightsRetentionDays: (k, v) => oneOf(k, v, PI_RETENTION_DAYS),
    slowQueryThresholdMs: (k, v) => intIn(k, v, SLOW_QUERY_MS.min, SLOW_QUERY_MS.max),
    passwordRotationDays: (k, v, env) => intIn(k, v, PASSWORD_ROTATION_DAYS[env].min, PASSWORD_ROTATION_DAYS[env].max),
};
