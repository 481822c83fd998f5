import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertSection } from "../config/checks";
import { DOCUMENT_DB_CHECKS } from "../config/sections/document-db";
import { DocumentDbConfig } from "../config/types";
import { requireOneOf, requireWholeNumber } from "./checks";
import { DataStoreArgs, isolatedSubnetGroupArgs } from "./data-store-args";
import {
    DOCDB_LOG_EXPORTS,
    DOCDB_PORT,
    documentDbClusterArgs,
    documentDbInstanceArgs,
    documentDbParameterGroupArgs,
    documentDbReplacedOn,
} from "./documentdb-settings";
import { docdbFamily } from "./engine-families";
import { docdbLogGroupName, encryptedLogGroup } from "./log-groups";
import { masterUserSecretArn } from "./master-secret";
import { dataIdentifier, finalSnapshotName } from "./naming";
import { CREATE_BEFORE_DELETE, fixedNameOptions } from "./replacement";
import { DEFAULT_SERVER_CA, SERVER_CAS } from "./server-certificates";

export { DOCDB_LOG_EXPORTS } from "./documentdb-settings";

export interface DocumentDbArgs extends DataStoreArgs {
    /** `baseline:documentDb`: engine, instances, backups, deletion protection and master user name (`enabled` is the caller's business). */
    documentDb: DocumentDbConfig;
    /** UTC `ddd:hh:mm-ddd:hh:mm` for the cluster and its instances. Default: unset, AWS picks a weekly window. */
    maintenanceWindow?: string;
    /** Operations slower than this go to the profiler log. Default 100 (ms). */
    profilerThresholdMs?: number;
    /** Certificate authority of the instances' server certificates. Default `rds-ca-rsa2048-g1`. */
    caCertIdentifier?: string;
}

/** What the constructor needs once the arguments are known to be valid. */
interface DocumentDbPlan {
    clusterId: string;
    family: string;
    profilerThresholdMs: number;
    caCertIdentifier: string;
}

/** The config section with the loader's own checks, then what only the component takes. Throws before anything is registered. */
function plan(component: string, args: DocumentDbArgs): DocumentDbPlan {
    // The component is the enabled cluster, so the enabled cluster's minimums apply (a replica in prod).
    assertSection(component, "documentDb", DOCUMENT_DB_CHECKS, { ...args.documentDb, enabled: true }, args.environment);
    const profilerThresholdMs = args.profilerThresholdMs ?? 100;
    requireWholeNumber(component, "profilerThresholdMs", profilerThresholdMs, 50, 2147483646, " (the range DocumentDB accepts for profiler_threshold_ms)");
    const caCertIdentifier = args.caCertIdentifier ?? DEFAULT_SERVER_CA;
    requireOneOf(component, "caCertIdentifier", caCertIdentifier, SERVER_CAS);
    // 60, not DocumentDB's 63: instance identifiers append `-1` to `-16` and share the 63-character limit.
    const clusterId = dataIdentifier(component, args.namePrefix, "docdb", 60);
    return { clusterId, family: docdbFamily(args.documentDb.engineVersion), profilerThresholdMs, caCertIdentifier };
}

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
    /** The cluster's ARN (`arn:aws:rds:...:cluster:<id>`; AWS Backup selects it by ARN). */
    readonly arn: pulumi.Output<string>;
    /** `DBClusterIdentifier`, a dimension of its CloudWatch metrics. */
    readonly clusterIdentifier: pulumi.Output<string>;
    /** `DBInstanceIdentifier` of each instance: CPU and connections are per instance. */
    readonly instanceIdentifiers: pulumi.Output<string[]>;

    constructor(name: string, args: DocumentDbArgs, opts?: pulumi.ComponentResourceOptions) {
        const p = plan(`DocumentDb ${name}`, args);
        super("baseline:data:DocumentDb", name, {}, opts);

        const subnetGroup = new aws.docdb.SubnetGroup(`${name}-subnets`, isolatedSubnetGroupArgs(p.clusterId, args.subnetIds), { parent: this });
        const parameterGroup = new aws.docdb.ClusterParameterGroup(
            `${name}-params`,
            documentDbParameterGroupArgs(p.clusterId, p.family, p.profilerThresholdMs),
            { parent: this, ...CREATE_BEFORE_DELETE },
        );
        const logGroups = DOCDB_LOG_EXPORTS.map((log) =>
            encryptedLogGroup(`${name}-log-${log}`, { name: docdbLogGroupName(p.clusterId, log), retentionDays: args.logs.retentionDays, kmsKeyArn: args.logsKeyArn, retainOnDelete: args.protect }, this),
        );

        const replacedOn = documentDbReplacedOn(p.clusterId, args.documentDb, args.dataKeyArn, subnetGroup.name);
        const cluster = new aws.docdb.Cluster(
            `${name}-cluster`,
            documentDbClusterArgs({
                clusterId: p.clusterId,
                documentDb: args.documentDb,
                dataKeyArn: args.dataKeyArn,
                securityGroupIds: args.securityGroupIds,
                subnetGroupName: subnetGroup.name,
                parameterGroupName: parameterGroup.name,
                maintenanceWindow: args.maintenanceWindow,
                finalSnapshotIdentifier: finalSnapshotName(name, p.clusterId, this, replacedOn),
            }),
            // The log groups must exist first, or DocumentDB creates them unencrypted and without retention.
            { parent: this, dependsOn: logGroups, ...fixedNameOptions(args.protect) },
        );
        const instances = this.instances(name, p, args, cluster);

        this.endpoint = cluster.endpoint;
        this.readerEndpoint = cluster.readerEndpoint;
        this.port = cluster.port.apply((port) => port ?? DOCDB_PORT);
        this.arn = cluster.arn;
        this.clusterIdentifier = cluster.clusterIdentifier;
        this.instanceIdentifiers = pulumi.all(instances.map((i) => i.identifier));
        this.masterUserSecretArn = cluster.masterUserSecrets.apply((secrets) => masterUserSecretArn(`DocumentDB cluster ${p.clusterId}`, secrets));
        // DocumentDB offers managed rotation of its master secret, like RDS (Secrets Manager User Guide, "Managed
        // rotation"): no Lambda, the schedule from config, not at once. Tasks read it at start (docs/runbooks/secrets.md).
        new aws.secretsmanager.SecretRotation(
            `${name}-password-rotation`,
            { secretId: this.masterUserSecretArn, rotationRules: { automaticallyAfterDays: args.documentDb.passwordRotationDays }, rotateImmediately: false },
            { parent: this },
        );
        this.registerOutputs({
            endpoint: this.endpoint,
            readerEndpoint: this.readerEndpoint,
            port: this.port,
            masterUserSecretArn: this.masterUserSecretArn,
            arn: this.arn,
            clusterIdentifier: this.clusterIdentifier,
            instanceIdentifiers: this.instanceIdentifiers,
        });
    }

    /**
     * The cluster's instances, numbered from 1. They hold no data (the cluster's storage outlives them) and
     * have fixed identifiers, so in every environment a replaced instance goes before its successor comes.
     */
    private instances(name: string, p: DocumentDbPlan, args: DocumentDbArgs, cluster: aws.docdb.Cluster): aws.docdb.ClusterInstance[] {
        return Array.from({ length: args.documentDb.instanceCount }, (_, i) =>
            new aws.docdb.ClusterInstance(
                `${name}-instance-${i + 1}`,
                documentDbInstanceArgs({
                    clusterId: p.clusterId,
                    index: i + 1,
                    clusterIdentifier: cluster.clusterIdentifier,
                    instanceClass: args.documentDb.instanceClass,
                    caCertIdentifier: p.caCertIdentifier,
                    maintenanceWindow: args.maintenanceWindow,
                }),
                { parent: this, deleteBeforeReplace: true },
            ),
        );
    }
}
