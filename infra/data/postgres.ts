import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseConfig } from "../config/types";
import { requireWholeNumber } from "./checks";
import { DataStoreArgs } from "./data-store-args";
import { postgresFamily } from "./engine-families";
import { encryptedLogGroup, rdsLogGroupName } from "./log-groups";
import { masterUserSecretArn } from "./master-secret";
import { dataIdentifier, finalSnapshotName } from "./naming";
import { enhancedMonitoringPolicyArn, minimumStorageCeiling, monitoringTrustPolicy, postgresParameters } from "./postgres-settings";

export interface PostgresArgs extends DataStoreArgs {
    /** `baseline:database`: engine, size, backups, windows, user names and monitoring. */
    database: DatabaseConfig;
    /** Certificate authority of the server certificate. Default `rds-ca-rsa2048-g1`. */
    caCertIdentifier?: string;
}

/** Logs RDS exports for PostgreSQL; each gets a pre-created, encrypted log group. */
export const POSTGRES_LOG_EXPORTS = ["postgresql", "upgrade"] as const;
const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];

/**
 * PostgreSQL on RDS in the isolated subnets: encrypted with the data key, TLS only, no password in config
 * or state (RDS keeps it in Secrets Manager), backed up, monitored, and logging to encrypted log groups.
 */
export class Postgres extends pulumi.ComponentResource {
    readonly endpoint: pulumi.Output<string>;
    readonly address: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    /** Secret (managed by RDS, encrypted with the data key) holding the master user's name and password. */
    readonly masterUserSecretArn: pulumi.Output<string>;
    /** `db-...` resource id, for `rds-db:connect` IAM policies (IAM database authentication). */
    readonly resourceId: pulumi.Output<string>;

    constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        const db = args.database;
        const identifier = dataIdentifier(`Postgres ${name}`, args.namePrefix, "postgres", 63);
        const family = postgresFamily(db.engineVersion);
        requireWholeNumber(`Postgres ${name}`, "database.backupRetentionDays", db.backupRetentionDays, 1, 35, " (0 turns automated backups off)");
        const ceiling = minimumStorageCeiling(db.allocatedStorage);
        if (db.maxAllocatedStorage < ceiling) {
            throw new Error(
                `Postgres ${name}: database.maxAllocatedStorage is ${db.maxAllocatedStorage}, expected at least ${ceiling} (10% above allocatedStorage ${db.allocatedStorage}, the smallest ceiling RDS accepts).`,
            );
        }
        // 0 would log every statement's text, passwords set with ALTER ROLE included.
        requireWholeNumber(`Postgres ${name}`, "database.slowQueryThresholdMs", db.slowQueryThresholdMs, 1, 3_600_000, " (0 logs every statement, passwords included)");
        if (!MONITORING_INTERVALS.includes(db.monitoringIntervalSeconds)) {
            throw new Error(`Postgres ${name}: database.monitoringIntervalSeconds is ${db.monitoringIntervalSeconds}, expected one of ${MONITORING_INTERVALS.join(", ")}.`);
        }
        super("baseline:data:Postgres", name, {}, opts);
        const caCertIdentifier = args.caCertIdentifier ?? "rds-ca-rsa2048-g1";

        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this });

        const subnetGroup = new aws.rds.SubnetGroup(
            `${name}-subnets`,
            { name: identifier, description: `${identifier}: isolated subnets only`, subnetIds: args.subnetIds },
            { parent: this },
        );

        // The family is part of the name, so a major upgrade creates the new group before dropping the old one.
        const parameterGroup = new aws.rds.ParameterGroup(
            `${name}-params`,
            { name: `${identifier}-${family}`, family, description: `${identifier}: TLS only, connection and slow-query logging`, parameters: postgresParameters(db.slowQueryThresholdMs) },
            { parent: this },
        );

        const monitoringRole = new aws.iam.Role(
            `${name}-monitoring-role`,
            { description: `${identifier}: RDS enhanced monitoring`, assumeRolePolicy: identity.accountId.apply((id) => JSON.stringify(monitoringTrustPolicy(id))) },
            { parent: this },
        );
        const monitoringPolicy = new aws.iam.RolePolicyAttachment(
            `${name}-monitoring-policy`,
            // `id` is the role name; unlike the generated `name` output it is always set, offline too.
            { role: monitoringRole.id, policyArn: partition.partition.apply(enhancedMonitoringPolicyArn) },
            { parent: this },
        );

        const logGroups = POSTGRES_LOG_EXPORTS.map((log) =>
            encryptedLogGroup(`${name}-log-${log}`, { name: rdsLogGroupName(identifier, log), retentionDays: args.logs.retentionDays, kmsKeyArn: args.logsKeyArn, retainOnDelete: args.protect }, this),
        );

        const instance = new aws.rds.Instance(
            `${name}-instance`,
            {
                identifier,
                engine: "postgres",
                engineVersion: db.engineVersion,
                // A major version change in config is deliberate; without this RDS refuses it.
                allowMajorVersionUpgrade: true,
                autoMinorVersionUpgrade: true,
                instanceClass: db.instanceClass,
                dbName: db.databaseName,
                username: db.masterUsername,
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: args.dataKeyArn,
                iamDatabaseAuthenticationEnabled: true,
                port: 5432,

                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: args.securityGroupIds,
                publiclyAccessible: false,
                multiAz: db.multiAz,
                caCertIdentifier,
                parameterGroupName: parameterGroup.name,

                storageType: "gp3",
                allocatedStorage: db.allocatedStorage,
                maxAllocatedStorage: db.maxAllocatedStorage,
                storageEncrypted: true,
                kmsKeyId: args.dataKeyArn,

                backupRetentionPeriod: db.backupRetentionDays,
                backupWindow: db.backupWindow,
                maintenanceWindow: db.maintenanceWindow,
                copyTagsToSnapshot: true,
                deleteAutomatedBackups: false,
                deletionProtection: db.deletionProtection,
                skipFinalSnapshot: false,
                finalSnapshotIdentifier: finalSnapshotName(name, identifier, this),

                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: args.dataKeyArn,
                performanceInsightsRetentionPeriod: db.performanceInsightsRetentionDays,
                monitoringInterval: db.monitoringIntervalSeconds,
                monitoringRoleArn: monitoringRole.arn,
                enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
            },
            // The log groups must exist first, or RDS creates them unencrypted and without retention.
            { parent: this, dependsOn: [...logGroups, monitoringPolicy], protect: args.protect, retainOnDelete: args.protect },
        );

        this.endpoint = instance.endpoint;
        this.address = instance.address;
        this.port = instance.port;
        this.resourceId = instance.resourceId;
        this.masterUserSecretArn = instance.masterUserSecrets.apply((secrets) => masterUserSecretArn(`RDS instance ${identifier}`, secrets));

        this.registerOutputs({
            endpoint: this.endpoint,
            address: this.address,
            port: this.port,
            resourceId: this.resourceId,
            masterUserSecretArn: this.masterUserSecretArn,
        });
    }
}
