import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DocumentDbConfig, Environment } from "../config/types";
import { minimumMembers, requireWholeNumber } from "./checks";
import { DataStoreArgs } from "./data-store-args";
import { docdbFamily } from "./engine-families";
import { docdbLogGroupName, encryptedLogGroup } from "./log-groups";
import { masterUserSecretArn } from "./master-secret";
import { dataIdentifier, finalSnapshotName } from "./naming";

export interface DocumentDbArgs extends DataStoreArgs {
    /** `baseline:documentDb`: engine, instances, backups and deletion protection (`enabled` is the caller's business). */
    documentDb: DocumentDbConfig;
    /** `prod` requires at least 2 instances (a replica to fail over to). */
    environment: Environment;
    /** Master user name: a letter, then letters, digits or `_`; well-known defaults such as `admin` are rejected. */
    masterUsername: string;
    /** UTC `ddd:hh:mm-ddd:hh:mm` for the cluster and its instances. Default: unset, AWS picks a weekly window. */
    maintenanceWindow?: string;
    /** Operations slower than this go to the profiler log. Default 100 (ms). */
    profilerThresholdMs?: number;
    /** Certificate authority of the instances' server certificates. Default `rds-ca-rsa2048-g1`. */
    caCertIdentifier?: string;
}

/** Logs DocumentDB exports; each gets a pre-created, encrypted log group. */
export const DOCDB_LOG_EXPORTS = ["audit", "profiler"] as const;
const RESERVED_USERS = ["admin", "administrator", "root", "master", "serviceadmin", "docdb", "user"];

/**
 * A DocumentDB cluster in the isolated subnets: encrypted with the data key, TLS only, audited, no password
 * in config or state (DocumentDB keeps it in Secrets Manager), backed up and kept through a final snapshot.
 */
export class DocumentDb extends pulumi.ComponentResource {
    readonly endpoint: pulumi.Output<string>;
    readonly readerEndpoint: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    /**
     * Secret (managed by DocumentDB) with the master user's name and password. The provider cannot
     * choose its key (no `masterUserSecretKmsKeyId` on aws.docdb.Cluster): it uses `aws/secretsmanager`.
     */
    readonly masterUserSecretArn: pulumi.Output<string>;

    constructor(name: string, args: DocumentDbArgs, opts?: pulumi.ComponentResourceOptions) {
        const doc = args.documentDb;
        // 60, not DocumentDB's 63: instance identifiers append `-1` to `-16` and share the 63-character limit.
        const clusterId = dataIdentifier(`DocumentDb ${name}`, args.namePrefix, "docdb", 60);
        const family = docdbFamily(doc.engineVersion);
        const minInstances = minimumMembers(args.environment);
        requireWholeNumber(
            `DocumentDb ${name}`, "documentDb.instanceCount", doc.instanceCount, minInstances, 16,
            ` in ${args.environment}` + (minInstances === 2 ? " (a primary and at least one replica to fail over to)" : ""),
        );
        requireWholeNumber(`DocumentDb ${name}`, "documentDb.backupRetentionDays", doc.backupRetentionDays, 1, 35);
        // CreateDBCluster: 1 to 63 letters or digits, a letter first (no underscore, unlike RDS PostgreSQL).
        if (!/^[a-zA-Z][a-zA-Z0-9]{0,62}$/.test(args.masterUsername) || RESERVED_USERS.includes(args.masterUsername.toLowerCase())) {
            throw new Error(
                `DocumentDb ${name}: masterUsername ${JSON.stringify(args.masterUsername)} is not allowed, expected a letter then up to 62 letters or digits, ` +
                    `other than ${RESERVED_USERS.join(", ")}.`,
            );
        }
        const profilerThresholdMs = args.profilerThresholdMs ?? 100;
        const caCertIdentifier = args.caCertIdentifier ?? "rds-ca-rsa2048-g1";
        requireWholeNumber(`DocumentDb ${name}`, "profilerThresholdMs", profilerThresholdMs, 50, 2147483646, " (the range DocumentDB accepts for profiler_threshold_ms)");
        super("baseline:data:DocumentDb", name, {}, opts);

        const subnetGroup = new aws.docdb.SubnetGroup(
            `${name}-subnets`,
            { name: clusterId, description: `${clusterId}: isolated subnets only`, subnetIds: args.subnetIds },
            { parent: this },
        );
        // The family is part of the name, so a major upgrade creates the new group before dropping the old one.
        const parameterGroup = new aws.docdb.ClusterParameterGroup(
            `${name}-params`,
            {
                name: `${clusterId}-${family.replace(".", "-")}`,
                family,
                description: `${clusterId}: TLS only, audit and profiler logs`,
                parameters: [
                    { name: "tls", value: "enabled" },
                    { name: "audit_logs", value: "enabled" },
                    { name: "profiler", value: "enabled" },
                    { name: "profiler_threshold_ms", value: String(profilerThresholdMs) },
                ],
            },
            { parent: this },
        );
        const logGroups = DOCDB_LOG_EXPORTS.map((log) =>
            encryptedLogGroup(`${name}-log-${log}`, { name: docdbLogGroupName(clusterId, log), retentionDays: args.logs.retentionDays, kmsKeyArn: args.logsKeyArn, retainOnDelete: args.protect }, this),
        );

        const cluster = new aws.docdb.Cluster(
            `${name}-cluster`,
            {
                clusterIdentifier: clusterId,
                engine: "docdb",
                engineVersion: doc.engineVersion,
                // A major version change in config is deliberate; without this DocumentDB refuses it.
                allowMajorVersionUpgrade: true,
                masterUsername: args.masterUsername,
                manageMasterUserPassword: true,
                port: 27017,

                dbSubnetGroupName: subnetGroup.name,
                vpcSecurityGroupIds: args.securityGroupIds,
                dbClusterParameterGroupName: parameterGroup.name,

                storageEncrypted: true,
                kmsKeyId: args.dataKeyArn,

                backupRetentionPeriod: doc.backupRetentionDays,
                preferredBackupWindow: doc.backupWindow,
                preferredMaintenanceWindow: args.maintenanceWindow,
                deletionProtection: doc.deletionProtection,
                skipFinalSnapshot: false,
                finalSnapshotIdentifier: finalSnapshotName(name, clusterId, this),

                enabledCloudwatchLogsExports: [...DOCDB_LOG_EXPORTS],
            },
            // The log groups must exist first, or DocumentDB creates them unencrypted and without retention.
            { parent: this, dependsOn: logGroups, protect: args.protect, retainOnDelete: args.protect },
        );

        // Numbered from 1 so adding an instance never renames the existing ones.
        for (let i = 1; i <= doc.instanceCount; i++) {
            new aws.docdb.ClusterInstance(
                `${name}-instance-${i}`,
                {
                    identifier: `${clusterId}-${i}`,
                    clusterIdentifier: cluster.clusterIdentifier,
                    engine: "docdb",
                    instanceClass: doc.instanceClass,
                    // Ignored by DocumentDB, which never upgrades minor versions by itself: patches come in maintenance windows.
                    autoMinorVersionUpgrade: true,
                    caCertIdentifier,
                    copyTagsToSnapshot: true,
                    preferredMaintenanceWindow: args.maintenanceWindow,
                },
                { parent: this },
            );
        }

        this.endpoint = cluster.endpoint;
        this.readerEndpoint = cluster.readerEndpoint;
        this.port = cluster.port.apply((p) => p ?? 27017);
        this.masterUserSecretArn = cluster.masterUserSecrets.apply((secrets) => masterUserSecretArn(`DocumentDB cluster ${clusterId}`, secrets));

        this.registerOutputs({
            endpoint: this.endpoint,
            readerEndpoint: this.readerEndpoint,
            port: this.port,
            masterUserSecretArn: this.masterUserSecretArn,
        });
    }
}
