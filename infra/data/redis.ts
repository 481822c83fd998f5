import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CacheConfig, Environment } from "../config/types";
import { minimumMembers, requireWholeNumber } from "./checks";
import { DataStoreArgs } from "./data-store-args";
import { redisFamily } from "./engine-families";
import { elasticacheLogGroupName, encryptedLogGroup } from "./log-groups";
import { dataIdentifier, finalSnapshotName } from "./naming";
import { transitEncryptionMode } from "./redis-settings";

export interface RedisArgs extends DataStoreArgs {
    /** `baseline:cache`: engine, node type and count, snapshots, windows and eviction policy. */
    cache: CacheConfig;
    /** `prod` requires at least 2 nodes (a replica to fail over to). */
    environment: Environment;
}

/** The only special characters Redis AUTH accepts (no space, `"`, `/` or `@`). */
export const AUTH_TOKEN_SPECIALS = "!&#$^<>-";
/** Redis AUTH accepts 16 to 128 characters. */
export const AUTH_TOKEN_LENGTH = 64;

/**
 * Redis OSS (ElastiCache, cluster mode off) in the isolated subnets: encrypted at rest with the data key
 * and in transit, clients authenticate with a generated token kept in Secrets Manager, with failover
 * across AZs when there are replicas, daily snapshots and the slow log in an encrypted log group.
 */
export class Redis extends pulumi.ComponentResource {
    readonly primaryEndpointAddress: pulumi.Output<string>;
    readonly readerEndpointAddress: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    /** Secrets Manager secret (data key) whose value is the AUTH token; the token itself is never an output. */
    readonly authTokenSecretArn: pulumi.Output<string>;

    constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
        const cache = args.cache;
        const groupId = dataIdentifier(`Redis ${name}`, args.namePrefix, "redis", 40);
        const family = redisFamily(cache.engineVersion);
        const minNodes = minimumMembers(args.environment);
        requireWholeNumber(
            `Redis ${name}`, "cache.numCacheClusters", cache.numCacheClusters, minNodes, 6,
            ` in ${args.environment}` + (minNodes === 2 ? " (a primary and at least one replica, so a node or AZ failure fails over)" : ""),
        );
        if (args.environment === "prod" && !(cache.snapshotRetentionDays >= 1)) {
            throw new Error(`Redis ${name}: cache.snapshotRetentionDays is ${cache.snapshotRetentionDays}, expected at least 1 in prod.`);
        }
        super("baseline:data:Redis", name, {}, opts);
        const replicated = cache.numCacheClusters >= 2;

        const token = new random.RandomPassword(
            `${name}-auth-token`,
            { length: AUTH_TOKEN_LENGTH, special: true, overrideSpecial: AUTH_TOKEN_SPECIALS, minLower: 1, minUpper: 1, minNumeric: 1 },
            { parent: this },
        );
        // `result` is secret already; saying so here keeps the token secret whatever generates it.
        const tokenValue = pulumi.secret(token.result);
        const secret = new aws.secretsmanager.Secret(
            `${name}-auth-secret`,
            {
                namePrefix: `${groupId}-auth-token-`,
                description: `AUTH token of the ${groupId} Redis replication group`,
                kmsKeyId: args.dataKeyArn,
                // No rotation Lambda: a new token comes from replacing the RandomPassword, which
                // ElastiCache applies with its ROTATE strategy (old and new both valid meanwhile).
                tags: { rotation: "manual" },
            },
            { parent: this },
        );
        new aws.secretsmanager.SecretVersion(`${name}-auth-secret-value`, { secretId: secret.id, secretString: tokenValue }, { parent: this });

        const subnetGroup = new aws.elasticache.SubnetGroup(
            `${name}-subnets`,
            { name: groupId, description: `${groupId}: isolated subnets only`, subnetIds: args.subnetIds },
            { parent: this },
        );
        const parameterGroup = new aws.elasticache.ParameterGroup(
            `${name}-params`,
            {
                name: `${groupId}-${family.replace(/\.x$/, "")}`,
                family,
                description: `${groupId}: eviction policy`,
                parameters: [{ name: "maxmemory-policy", value: cache.maxmemoryPolicy }],
            },
            { parent: this },
        );
        const slowLog = encryptedLogGroup(
            `${name}-slow-log`,
            { name: elasticacheLogGroupName(groupId, "slow-log"), retentionDays: args.logs.retentionDays, kmsKeyArn: args.logsKeyArn, retainOnDelete: args.protect },
            this,
        );

        const group = new aws.elasticache.ReplicationGroup(
            `${name}-replication-group`,
            {
                replicationGroupId: groupId,
                description: `${args.namePrefix} application cache`,
                engine: "redis",
                engineVersion: cache.engineVersion,
                nodeType: cache.nodeType,
                numCacheClusters: cache.numCacheClusters,
                port: 6379,
                parameterGroupName: parameterGroup.name,
                subnetGroupName: subnetGroup.name,
                securityGroupIds: args.securityGroupIds,

                atRestEncryptionEnabled: true,
                kmsKeyId: args.dataKeyArn,
                transitEncryptionEnabled: true,
                transitEncryptionMode: transitEncryptionMode(cache.engineVersion),
                authToken: tokenValue,
                // Explicit, as the provider dropped its default: a new token works beside the old one while clients move over.
                authTokenUpdateStrategy: "ROTATE",

                automaticFailoverEnabled: replicated,
                multiAzEnabled: replicated,

                snapshotRetentionLimit: cache.snapshotRetentionDays,
                snapshotWindow: cache.snapshotWindow,
                maintenanceWindow: cache.maintenanceWindow,
                autoMinorVersionUpgrade: true,
                finalSnapshotIdentifier: finalSnapshotName(name, groupId, this),

                logDeliveryConfigurations: [{ destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" }],
            },
            { parent: this, protect: args.protect, retainOnDelete: args.protect },
        );

        this.primaryEndpointAddress = group.primaryEndpointAddress;
        this.readerEndpointAddress = group.readerEndpointAddress;
        this.port = group.port.apply((p) => p ?? 6379);
        this.authTokenSecretArn = secret.arn;

        this.registerOutputs({
            primaryEndpointAddress: this.primaryEndpointAddress,
            readerEndpointAddress: this.readerEndpointAddress,
            port: this.port,
            authTokenSecretArn: this.authTokenSecretArn,
        });
    }
}
