import * as aws from "@pulumi/aws";
import { EvalResource } from "../../tools/offline/evaluate";
import { res } from "./helpers";

/** Compliant databases for the rds-* tests: each test starts from one and changes one field. */

export const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/db-key-id";
export const MONITORING_ROLE_ARN = "arn:aws:iam::123456789012:role/db-monitoring";

export const goodInstance = {
    engine: "postgres",
    engineVersion: "16",
    instanceClass: "db.m6g.large",
    identifier: "shop-db",
    username: "shop_admin",
    manageMasterUserPassword: true,
    publiclyAccessible: false,
    storageEncrypted: true,
    kmsKeyId: KEY_ARN,
    backupRetentionPeriod: 30,
    multiAz: true,
    deletionProtection: true,
    iamDatabaseAuthenticationEnabled: true,
    monitoringInterval: 30,
    monitoringRoleArn: MONITORING_ROLE_ARN,
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    autoMinorVersionUpgrade: true,
    copyTagsToSnapshot: true,
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: KEY_ARN,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "shop-db-final",
    dbSubnetGroupName: "shop-db-subnets",
    parameterGroupName: "shop-db-params",
};

export const goodAuroraCluster = {
    engine: "aurora-postgresql",
    clusterIdentifier: "shop-aurora",
    masterUsername: "shop_admin",
    manageMasterUserPassword: true,
    storageEncrypted: true,
    kmsKeyId: KEY_ARN,
    backupRetentionPeriod: 30,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "shop-aurora-final",
    dbSubnetGroupName: "shop-db-subnets",
    dbClusterParameterGroupName: "shop-aurora-params",
};

export const goodDocdbCluster = {
    engine: "docdb",
    clusterIdentifier: "shop-docs",
    masterUsername: "shop_admin",
    manageMasterUserPassword: true,
    storageEncrypted: true,
    kmsKeyId: KEY_ARN,
    backupRetentionPeriod: 30,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "shop-docs-final",
    dbSubnetGroupName: "shop-docs-subnets",
};

/** The three database types, compliant, for tests that a policy serves each of them. */
export const goodDatabases: [string, Function, Record<string, any>][] = [
    ["RDS instance", aws.rds.Instance, goodInstance],
    ["RDS cluster", aws.rds.Cluster, goodAuroraCluster],
    ["DocumentDB cluster", aws.docdb.Cluster, goodDocdbCluster],
];

/** Subnet groups, parameter groups and a backup selection that the good databases name. */
export function supportingResources(): EvalResource[] {
    const isolated = ["subnet-isolated-a", "subnet-isolated-b"];
    const forceSsl = [{ name: "rds.force_ssl", value: "1" }];
    return [
        res(aws.rds.SubnetGroup, { name: "shop-db-subnets", subnetIds: isolated }, { name: "db-subnets" }),
        res(aws.docdb.SubnetGroup, { name: "shop-docs-subnets", subnetIds: isolated }, { name: "docs-subnets" }),
        res(aws.rds.ParameterGroup, { name: "shop-db-params", family: "postgres16", parameters: forceSsl }, { name: "db-params" }),
        res(aws.rds.ClusterParameterGroup, { name: "shop-aurora-params", family: "aurora-postgresql16", parameters: forceSsl }, { name: "aurora-params" }),
        res(aws.backup.Selection, { name: "databases", planId: "plan-id", iamRoleArn: "arn:aws:iam::123456789012:role/backup", resources: ["arn:aws:rds:*:*:db:*", "arn:aws:rds:*:*:cluster:*"] }, { name: "db-backup" }),
    ];
}
