import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DocumentDbConfig } from "../config/types";

/** Pure pieces of the DocumentDB cluster: its inputs, its instances' inputs and its parameters. */

/** Logs DocumentDB exports; each gets a pre-created, encrypted log group. */
export const DOCDB_LOG_EXPORTS = ["audit", "profiler"] as const;
export const DOCDB_PORT = 27017;

/**
 * The cluster parameter group: TLS and audit enforced, slow operations profiled. Its name carries the
 * family (`<id>-docdb5-0`), so a major upgrade creates the new group beside the old one; the
 * description must not change (DocumentDB replaces a group on it).
 */
export function documentDbParameterGroupArgs(clusterId: string, family: string, profilerThresholdMs: number): aws.docdb.ClusterParameterGroupArgs {
    return {
        name: `${clusterId}-${family.replace(".", "-")}`,
        family,
        description: `${clusterId}: TLS only, audit and profiler logs`,
        parameters: [
            { name: "tls", value: "enabled" },
            { name: "audit_logs", value: "enabled" },
            { name: "profiler", value: "enabled" },
            { name: "profiler_threshold_ms", value: String(profilerThresholdMs) },
        ],
    };
}

/**
 * The cluster inputs DocumentDB can only change by replacing the cluster (ForceNew in the provider): the
 * final snapshot suffix is drawn again when one changes.
 */
export function documentDbReplacedOn(clusterId: string, doc: DocumentDbConfig, dataKeyArn: pulumi.Input<string>, subnetGroupName: pulumi.Input<string>) {
    return {
        clusterIdentifier: clusterId,
        engine: "docdb",
        masterUsername: doc.masterUsername,
        port: DOCDB_PORT,
        dbSubnetGroupName: subnetGroupName,
        storageEncrypted: true,
        kmsKeyId: dataKeyArn,
    };
}

export interface DocumentDbClusterInputs {
    clusterId: string;
    documentDb: DocumentDbConfig;
    dataKeyArn: pulumi.Input<string>;
    securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
    subnetGroupName: pulumi.Input<string>;
    parameterGroupName: pulumi.Input<string>;
    maintenanceWindow?: string;
    finalSnapshotIdentifier: pulumi.Input<string>;
}

/** Every input of the cluster. */
export function documentDbClusterArgs(i: DocumentDbClusterInputs): aws.docdb.ClusterArgs {
    const doc = i.documentDb;
    return {
        ...documentDbReplacedOn(i.clusterId, doc, i.dataKeyArn, i.subnetGroupName),
        engineVersion: doc.engineVersion,
        // A major version change in config is deliberate (in place, 4.0 to 5.0); without this DocumentDB refuses it.
        allowMajorVersionUpgrade: true,
        // `pulumi up` is the change window: an upgrade left for the maintenance window would keep the old
        // parameter group in use, so its deletion would fail.
        applyImmediately: true,
        manageMasterUserPassword: true,
        vpcSecurityGroupIds: i.securityGroupIds,
        // In the same modify call as a new engineVersion: the upgrade needs a group of the new family.
        dbClusterParameterGroupName: i.parameterGroupName,
        backupRetentionPeriod: doc.backupRetentionDays,
        preferredBackupWindow: doc.backupWindow,
        preferredMaintenanceWindow: i.maintenanceWindow,
        deletionProtection: doc.deletionProtection,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: i.finalSnapshotIdentifier,
        enabledCloudwatchLogsExports: [...DOCDB_LOG_EXPORTS],
    };
}

export interface DocumentDbInstanceInputs {
    clusterId: string;
    /** 1-based, so adding an instance never renames the existing ones. */
    index: number;
    /** The cluster's output, not the plain id: a replaced cluster then replaces (deletes first) its instances. */
    clusterIdentifier: pulumi.Input<string>;
    instanceClass: string;
    caCertIdentifier: string;
    maintenanceWindow?: string;
}

/** Every input of one instance of the cluster; the engine version comes from the cluster. */
export function documentDbInstanceArgs(i: DocumentDbInstanceInputs): aws.docdb.ClusterInstanceArgs {
    return {
        identifier: `${i.clusterId}-${i.index}`,
        clusterIdentifier: i.clusterIdentifier,
        engine: "docdb",
        instanceClass: i.instanceClass,
        // An instance class change applies in this `pulumi up`, not in a later maintenance window.
        applyImmediately: true,
        // Ignored by DocumentDB, which never upgrades minor versions by itself: patches come in maintenance windows.
        autoMinorVersionUpgrade: true,
        caCertIdentifier: i.caCertIdentifier,
        copyTagsToSnapshot: true,
        preferredMaintenanceWindow: i.maintenanceWindow,
    };
}
