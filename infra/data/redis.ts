import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CacheConfig, Environment } from "../config/types";
import { DataStoreArgs } from "./data-store-args";
import { elasticacheLogGroupName, encryptedLogGroup } from "./log-groups";
import { finalSnapshotName } from "./naming";
import { authTokenSecret, authTokenSecretValue, redisAuthToken } from "./redis-auth";
import { REDIS_PORT, parameterGroupSettings, redisReplacedOn, replicationGroupSettings, validateRedisArgs } from "./redis-settings";
import { CREATE_BEFORE_DELETE, fixedNameOptions } from "./replacement";

export { AUTH_TOKEN_LENGTH, AUTH_TOKEN_SPECIALS } from "./redis-settings";

export interface RedisArgs extends DataStoreArgs {
    /** `baseline:cache`: engine, nodes, snapshots, windows, what it holds (its eviction policy) and the AUTH token's rotation. */
    cache: CacheConfig;
    /** Selects the `baseline:cache` limits: prod requires a replica and snapshots. */
    environment: Environment;
}

/**
 * Redis OSS (ElastiCache, cluster mode off) in the isolated subnets: encrypted at rest with the data key
 * and in transit, clients authenticate with a generated token kept in Secrets Manager, with failover
 * across AZs when there are replicas, daily snapshots, an eviction policy that never drops queued jobs,
 * and the slow log in an encrypted log group.
 */
export class Redis extends pulumi.ComponentResource {
    readonly primaryEndpointAddress: pulumi.Output<string>;
    readonly readerEndpointAddress: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    /** Secrets Manager secret (data key) whose value is the AUTH token; the token itself is never an output. */
    readonly authTokenSecretArn: pulumi.Output<string>;
    /** Ids of the group's member clusters (one node each): Redis metrics are per `CacheClusterId`. */
    readonly memberClusters: pulumi.Output<string[]>;

    constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
        const identity = validateRedisArgs(name, args);
        super("baseline:data:Redis", name, {}, opts);
        const { groupId } = identity;

        const token = redisAuthToken(name, args.cache, this);
        const secret = authTokenSecret(name, { groupId, dataKeyArn: args.dataKeyArn }, this);

        const subnetGroup = new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            { name: groupId, description: `${groupId}: isolated subnets only`, subnetIds: args.subnetIds },
            // Unprotected (staging), a replacement must delete first: the new one would take the same name.
            { parent: this, ...(args.protect ? {} : { deleteBeforeReplace: true }) },
        );
        const parameterGroup = new aws.elasticache.ParameterGroup(`${name}-params`, parameterGroupSettings(identity, args.cache), { parent: this, ...CREATE_BEFORE_DELETE });
        const slowLog = encryptedLogGroup(
            `${name}-slow-log`,
            { name: elasticacheLogGroupName(groupId, "slow-log"), retentionDays: args.logs.retentionDays, kmsKeyArn: args.logsKeyArn, retainOnDelete: args.protect },
            this,
        );

        const replacedOn = redisReplacedOn(identity, args.dataKeyArn, subnetGroup.name);
        const group = new aws.elasticache.ReplicationGroup(
            `${name}-replication-group`,
            {
                ...replacedOn,
                ...replicationGroupSettings(args),
                parameterGroupName: parameterGroup.name,
                securityGroupIds: args.securityGroupIds,
                authToken: token.value,
                authTokenUpdateStrategy: token.updateStrategy,
                finalSnapshotIdentifier: finalSnapshotName(name, groupId, this, replacedOn),
                logDeliveryConfigurations: [{ destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" }],
            },
            {
                parent: this,
                ...fixedNameOptions(args.protect),
                // Set at create only. TLS is on from the start, so the mode never needs migrating; and a 6.x group
                // upgraded to 7.x must not get it in the same request as the upgrade (6.x has no modes).
                ignoreChanges: ["transitEncryptionMode"],
            },
        );
        authTokenSecretValue(name, secret, token, group, this);

        this.primaryEndpointAddress = group.primaryEndpointAddress;
        this.readerEndpointAddress = group.readerEndpointAddress;
        this.port = group.port.apply((p) => p ?? REDIS_PORT);
        this.authTokenSecretArn = secret.arn;
        this.memberClusters = group.memberClusters.apply((members) => [...(members ?? [])].sort());

        this.registerOutputs({
            primaryEndpointAddress: this.primaryEndpointAddress,
            readerEndpointAddress: this.readerEndpointAddress,
            port: this.port,
            authTokenSecretArn: this.authTokenSecretArn,
            memberClusters: this.memberClusters,
        });
    }
}
