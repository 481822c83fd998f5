import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseConfig } from "../config/types";
import { serviceTrustPolicy } from "../security/trust-policies";

/** Pure pieces of the PostgreSQL instance: its inputs, its parameters and its monitoring role's trust. */

/** Logs RDS exports for PostgreSQL; each gets a pre-created, encrypted log group. */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

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
 * The parameter group. Its name carries the family (`<id>-postgres16`), so a major upgrade creates the
 * new group beside the old one; the description must not change (RDS replaces a group on it).
 */
export function postgresParameterGroupArgs(identifier: string, family: string, slowQueryThresholdMs: number): aws.rds.ParameterGroupArgs {
    return {
        name: `${identifier}-${family}`,
        family,
        description: `${identifier}: TLS only, connection and slow-query logging`,
        parameters: postgresParameters(slowQueryThresholdMs),
    };
}

/**
 * The instance inputs RDS can only change by replacing the instance (ForceNew in the provider), plus the
 * identifier that names its snapshots: the final snapshot suffix is drawn again when one changes.
 */
export function postgresReplacedOn(identifier: string, db: DatabaseConfig, dataKeyArn: pulumi.Input<string>) {
    return { identifier, engine: "postgres", dbName: db.databaseName, username: db.masterUsername, storageEncrypted: true, kmsKeyId: dataKeyArn };
}

export interface PostgresInstanceInputs {
    identifier: string;
    database: DatabaseConfig;
    caCertIdentifier: string;
    /** Storage, Performance Insights and the master user secret are encrypted with it. */
    dataKeyArn: pulumi.Input<string>;
    securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
    subnetGroupName: pulumi.Input<string>;
    parameterGroupName: pulumi.Input<string>;
    monitoringRoleArn: pulumi.Input<string>;
    finalSnapshotIdentifier: pulumi.Input<string>;
}

/** Every input of the RDS instance. */
export function postgresInstanceArgs(i: PostgresInstanceInputs): aws.rds.InstanceArgs {
    const db = i.database;
    return {
        ...postgresReplacedOn(i.identifier, db, i.dataKeyArn),
        // The major only: RDS picks the default minor and applies newer minors itself; the provider keeps
        // "15" in state while RDS reports 15.x, so the next preview shows no change.
        engineVersion: db.engineVersion,
        // A major version change in config is deliberate; without this RDS refuses it.
        allowMajorVersionUpgrade: true,
        autoMinorVersionUpgrade: true,
        // `pulumi up` is the change window: a change left pending for the maintenance window would leave
        // state and AWS disagreeing, and the old parameter group in use, so its deletion would fail.
        applyImmediately: true,
        instanceClass: db.instanceClass,
        manageMasterUserPassword: true,
        masterUserSecretKmsKeyId: i.dataKeyArn,
        iamDatabaseAuthenticationEnabled: true,
        port: 5432,

        dbSubnetGroupName: i.subnetGroupName,
        vpcSecurityGroupIds: i.securityGroupIds,
        publiclyAccessible: false,
        multiAz: db.multiAz,
        caCertIdentifier: i.caCertIdentifier,
        // In the same modify call as a new engineVersion, which RDS requires for a custom group.
        parameterGroupName: i.parameterGroupName,

        storageType: "gp3",
        allocatedStorage: db.allocatedStorage,
        maxAllocatedStorage: db.maxAllocatedStorage,

        backupRetentionPeriod: db.backupRetentionDays,
        backupWindow: db.backupWindow,
        maintenanceWindow: db.maintenanceWindow,
        copyTagsToSnapshot: true,
        deleteAutomatedBackups: false,
        deletionProtection: db.deletionProtection,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: i.finalSnapshotIdentifier,

        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: i.dataKeyArn,
        performanceInsightsRetentionPeriod: db.performanceInsightsRetentionDays,
        monitoringInterval: db.monitoringIntervalSeconds,
        monitoringRoleArn: i.monitoringRoleArn,
        enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
    };
}

/** AWS managed policy that lets RDS publish enhanced-monitoring metrics to CloudWatch Logs. */
export const enhancedMonitoringPolicyArn = (partition: string) => `arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`;

/** Only RDS enhanced monitoring, acting for this account (no confused deputy), may assume the role. */
export function monitoringTrustPolicy(accountId: string) {
    return serviceTrustPolicy({ sid: "RdsEnhancedMonitoring", service: "monitoring.rds.amazonaws.com", accountId });
}
