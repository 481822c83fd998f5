import { serviceTrustPolicy } from "../security/trust-policies";

/** Pure pieces of the PostgreSQL instance: its parameters and its monitoring role's trust. */

export interface DbParameter {
    name: string;
    value: string;
}

/**
 * Parameters on top of the family defaults. All are dynamic, so they apply without a reboot.
 * `log_statement` stays off: with `ddl` it would write `ALTER ROLE ... PASSWORD '...'` to the logs.
 */
export function postgresParameters(slowQueryThresholdMs: number): DbParameter[] {
    return [
        // Refuse unencrypted connections, and old TLS.
        { name: "rds.force_ssl", value: "1" },
        { name: "ssl_min_protocol_version", value: "TLSv1.2" },
        { name: "password_encryption", value: "scram-sha-256" },
        // Enough to investigate an incident: who connected, what was slow, what waited on locks.
        { name: "log_min_duration_statement", value: String(slowQueryThresholdMs) },
        { name: "log_connections", value: "1" },
        { name: "log_disconnections", value: "1" },
        { name: "log_lock_waits", value: "1" },
        { name: "log_temp_files", value: "10240" }, // kB: sorts and hashes spilling more than 10 MB to disk
        { name: "log_autovacuum_min_duration", value: "10000" },
    ];
}

/**
 * The smallest storage autoscaling ceiling RDS accepts: 10% above the allocated storage, rounded up
 * (RDS refuses a smaller `maxAllocatedStorage` with "Invalid max storage size").
 */
export const minimumStorageCeiling = (allocatedStorage: number): number => Math.ceil((allocatedStorage * 11) / 10);

/** AWS managed policy that lets RDS publish enhanced-monitoring metrics to CloudWatch Logs. */
export const enhancedMonitoringPolicyArn = (partition: string) => `arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`;

/** Only RDS enhanced monitoring, acting for this account (no confused deputy), may assume the role. */
export function monitoringTrustPolicy(accountId: string) {
    return serviceTrustPolicy({ sid: "RdsEnhancedMonitoring", service: "monitoring.rds.amazonaws.com", accountId });
}
