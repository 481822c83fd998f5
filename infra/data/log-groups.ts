import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Log groups a service would otherwise create on first export: unencrypted and kept forever. Creating
 * them first, under the names the service writes to, gives them our retention and key.
 */

/** Where RDS writes an exported log (`postgresql`, `upgrade`). */
export const rdsLogGroupName = (instanceIdentifier: string, log: string) => `/aws/rds/instance/${instanceIdentifier}/${log}`;

/** Where DocumentDB writes an exported log (`audit`, `profiler`). */
export const docdbLogGroupName = (clusterIdentifier: string, log: string) => `/aws/docdb/${clusterIdentifier}/${log}`;

/** Where ElastiCache delivers a replication group's log (`slow-log`, `engine-log`); any name works, this one is findable. */
export const elasticacheLogGroupName = (replicationGroupId: string, log: string) => `/aws/elasticache/${replicationGroupId}/${log}`;

export interface EncryptedLogGroupArgs {
    /** The physical log group name. */
    name: string;
    /** Retention in days (`baseline:logs.retentionDays`). */
    retentionDays: number;
    /** KMS key the log group is encrypted with (the logs key). */
    kmsKeyArn: pulumi.Input<string>;
    /**
     * Keep the group (and its audit trail, until retention expires it) when the stack is destroyed:
     * the data store's `protect` (prod), like the flow-log group.
     */
    retainOnDelete: boolean;
}

export function encryptedLogGroup(logicalName: string, args: EncryptedLogGroupArgs, parent: pulumi.Resource): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(
        logicalName,
        { name: args.name, retentionInDays: args.retentionDays, kmsKeyId: args.kmsKeyArn },
        { parent, retainOnDelete: args.retainOnDelete },
    );
}
