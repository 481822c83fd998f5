import { POSTGRES_MAJORS } from "../config/types";

/**
 * Parameter group families, derived from the configured engine version so a version change picks the
 * matching family (a group of the wrong family is rejected by AWS at deploy time, too late).
 */

/** `15` → `postgres15`. */
export function postgresFamily(major: string): string {
    if (!(POSTGRES_MAJORS as readonly string[]).includes(major)) {
        throw new Error(`PostgreSQL engineVersion ${JSON.stringify(major)} has no known parameter group family: expected one of ${POSTGRES_MAJORS.join(", ")}.`);
    }
    return `postgres${major}`;
}

/** Redis OSS `6.2` → `redis6.x`, `7.0`/`7.1` → `redis7` (AWS's naming changed with 7). */
export function redisFamily(version: string): string {
    const major = /^(6|7)\.\d+$/.exec(version)?.[1];
    if (major === undefined) {
        throw new Error(`Redis engineVersion ${JSON.stringify(version)} has no known parameter group family: expected 6.x or 7.x, such as 7.1.`);
    }
    return major === "6" ? "redis6.x" : "redis7";
}

/** DocumentDB `5.0.0` → `docdb5.0`, `4.0.0` → `docdb4.0`. */
export function docdbFamily(version: string): string {
    const minor = /^(4\.0|5\.0)\.\d+$/.exec(version)?.[1];
    if (minor === undefined) {
        throw new Error(`DocumentDB engineVersion ${JSON.stringify(version)} has no known parameter group family: expected 4.0.0 or 5.0.0.`);
    }
    return `docdb${minor}`;
}
