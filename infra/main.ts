import * as pulumi from "@pulumi/pulumi";
import { fixedSettingValues } from "./config/fixed-settings";
import { loadConfig } from "./config/load";
import { BaselineConfig } from "./config/types";
import { DocumentDb } from "./data/documentdb";
import { Postgres } from "./data/postgres";
import { Redis } from "./data/redis";
import { FixedSettings } from "./guard/fixed-settings";
import { Network } from "./network/network";
import { Keys } from "./security/keys";
import { Buckets } from "./storage/buckets";

/**
 * Wire the components of one stack together. Only wiring lives here: each component owns one concern.
 * Logical names are fixed (never derived from config), so no config change renames a stateful resource;
 * AWS names start with `<app>-<environment>`, which a stack sets once.
 */
export function createBaseline(config: BaselineConfig) {
    const namePrefix = `${config.app.name}-${config.environment}`;
    const protect = config.protectStatefulResources;

    // First, so a change AWS could only apply by replacement stops the preview with the setting's name.
    new FixedSettings("fixed-settings", { values: fixedSettingValues(config) });

    const keys = new Keys("keys", { kms: config.kms, namePrefix, protect });

    const network = new Network("network", {
        config: config.network,
        namePrefix,
        logsKmsKeyArn: keys.logsKeyArn,
        region: config.region,
        documentDb: config.documentDb.enabled,
        protect,
    });
    const isolated = { subnetIds: network.isolatedSubnetIds, dataKeyArn: keys.dataKeyArn, logsKeyArn: keys.logsKeyArn, logs: config.logs, namePrefix, protect };

    const postgres = new Postgres("postgres", {
        ...isolated,
        database: config.database,
        environment: config.environment,
        securityGroupIds: [network.securityGroupIds.postgres],
    });

    const redis = new Redis("redis", {
        ...isolated,
        cache: config.cache,
        environment: config.environment,
        securityGroupIds: [network.securityGroupIds.redis],
    });

    const documentDb = config.documentDb.enabled
        ? new DocumentDb("documentdb", {
              ...isolated,
              documentDb: config.documentDb,
              environment: config.environment,
              securityGroupIds: [network.securityGroupIds.documentDb!],
          })
        : undefined;

    const storage = new Buckets("storage", { storage: config.storage, storageKmsKeyArn: keys.storageKeyArn, namePrefix, protect });

    // Endpoints and secret ARNs only: no secret value leaves the stack.
    return {
        environment: pulumi.output(config.environment),
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        postgresEndpoint: postgres.endpoint,
        postgresMasterSecretArn: postgres.masterUserSecretArn,
        redisPrimaryEndpoint: redis.primaryEndpointAddress,
        redisAuthTokenSecretArn: redis.authTokenSecretArn,
        documentDbEndpoint: documentDb?.endpoint,
        documentDbMasterSecretArn: documentDb?.masterUserSecretArn,
        assetsBucketName: storage.assetsBucketName,
        logBucketName: storage.logBucketName,
    };
}

/** Load and validate the stack's configuration (throws before anything is registered), then build it. */
export function main() {
    return createBaseline(loadConfig());
}
