import { PASSWORD_ROTATION_DAYS } from "./database";
import { DOCUMENTDB_CLASS_LIMITS } from "../../operations/instance-limits";
import { DAILY_WINDOW, SectionChecks, intIn, isBoolean, matches, oneOf, problem, windowOf } from "../checks";

export const DOCDB_VERSIONS = ["4.0.0", "5.0.0"] as const;
/** Names DocumentDB reserves or every scanner tries first. */
export const RESERVED_DOCDB_USERS = ["admin", "administrator", "root", "master", "serviceadmin", "docdb", "user"] as const;
/** Instances of a cluster: up to 16; prod keeps a replica to fail over to. */
export const DOCDB_INSTANCES = { prod: { min: 2, max: 16 }, staging: { min: 1, max: 16 } } as const;
export const DOCDB_BACKUP_RETENTION_DAYS = { min: 1, max: 35 } as const;

/** `baseline:documentDb`. Instance minimums apply only when the cluster is enabled. */
export const DOCUMENT_DB_CHECKS: SectionChecks = {
    enabled: (k, v) => isBoolean(k, v),
    engineVersion: (k, v) => oneOf(k, v, DOCDB_VERSIONS),
    // The alarms derive the connection threshold from the class (infra/operations/instance-limits.ts).
    instanceClass: (k, v) =>
        typeof v === "string" && Object.hasOwn(DOCUMENTDB_CLASS_LIMITS, v)
            ? undefined
            : problem(k, v, `a DocumentDB instance class such as db.r6g.large, one of those whose memory and connection limit infra/operations/instance-limits.ts lists`),
    instanceCount: (k, v, env, s) => {
        const range = s.enabled === true ? DOCDB_INSTANCES[env] : DOCDB_INSTANCES.staging;
        return intIn(k, v, range.min, range.max);
    },
    backupRetentionDays: (k, v) => intIn(k, v, DOCDB_BACKUP_RETENTION_DAYS.min, DOCDB_BACKUP_RETENTION_DAYS.max),
    backupWindow: (k, v) => windowOf(k, v, DAILY_WINDOW, "03:00-04:00", 30),
    deletionProtection: (k, v) => isBoolean(k, v),
    // CreateDBCluster: a letter, then letters or digits (no underscore, unlike PostgreSQL).
    masterUsername: (k, v) =>
        matches(k, v, /^[a-zA-Z][a-zA-Z0-9]{0,62}$/, "a letter, then up to 62 letters or digits (DocumentDB allows no underscore)") ??
        ((RESERVED_DOCDB_USERS as readonly string[]).includes((v as string).toLowerCase())
            ? problem(k, v, `a name other than the reserved ${RESERVED_DOCDB_USERS.join(", ")}`)
            : undefined),
    passwordRotationDays: (k, v, env) => intIn(k, v, PASSWORD_ROTATION_DAYS[env].min, PASSWORD_ROTATION_DAYS[env].max),
};
