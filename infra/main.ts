import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { fixedSettingValues, steppedSettingValues } from "./config/fixed-settings";
import { loadConfig } from "./config/load";
import { BaselineConfig } from "./config/types";
import { DocumentDb } from "./data/documentdb";
import { Postgres } from "./data/postgres";
import { Redis } from "./data/redis";
import { FixedSettings } from "./guard/fixed-settings";
import { Network } from "./network/network";
import { Keys } from "./security/keys";
import { Buckets } from "./storage/buckets";
import { Cluster } from "./compute/cluster";
import { Service } from "./compute/service";
import { AppSettings } from "./operations/app-settings";
import { ServiceConfig } from "./config/service-types";
import { LoadBalancer } from "./edge/load-balancer";
import { ALB_ACCESS_LOG_PREFIX, CLOUDFRONT_ACCESS_LOG_PREFIX, ORIGIN_HEADER_NAME, cloudFrontDeliverySourceName, originDomainName } from "./edge/settings";
import { Distribution } from "./edge/distribution";
import { DistributionLogs } from "./edge/distribution-logs";
import { WebFirewall } from "./edge/firewall";
import { PublicRecords } from "./edge/records";
import { LogsKey } from "./security/logs-key";
import { bucketName } from "./storage/naming";
import { trailAccessLogSource } from "./operations/audit-trail";
import { createOperations } from "./operations/wiring";
import { regionalProvider } from "./operations/regional-provider";
import { WorkloadBoundary } from "./security/workload-boundary";

/**
 * CloudFront and what lives with it in us-east-1 (its certificate, its web ACL, that ACL's log group and
 * key), created first: the storage key's and the assets bucket's policies name the distribution. The
 * distribution needs only names from the rest of the stack (the assets bucket's, the load balancer's).
 */
function cloudFrontEntry(config: BaselineConfig, namePrefix: string, protect: boolean) {
    // Configured like the stack's own provider (its tags and profile); the logical name is kept: resources record it.
    const usEast1 = regionalProvider("us-east-1", "us-east-1", config.tags);
    const inUsEast1 = { providers: [usEast1] };
    const logsKey = new LogsKey("edge-logs-key", { kms: config.kms, namePrefix, suffix: "edge-logs", protect }, inUsEast1);
    const firewall = new WebFirewall("edge-cdn-waf", {
        scope: "CLOUDFRONT", waf: config.waf, namePrefix, clientAddress: "source",
        logs: { kmsKeyArn: logsKey.arn, retentionDays: config.logs.retentionDays, retainOnDelete: protect },
    }, inUsEast1);
    const accountId = aws.getCallerIdentityOutput().accountId;
    const distribution = new Distribution("edge-cdn", {
        edge: config.edge,
        domain: config.domain,
        namePrefix,
        originDomainName: originDomainName(config.domain.name),
        // CloudFront waits for the load balancer no longer than the load balancer keeps an idle connection.
        originReadTimeoutSeconds: Math.min(60, config.loadBalancer.idleTimeoutSeconds),
        assetsBucketDomainName: accountId.apply((id) => `${bucketName(namePrefix, "assets", id)}.s3.${config.region}.amazonaws.com`),
        webAclArn: firewall.arn,
    }, inUsEast1);
    return { usEast1, distribution, firewall, logsKey };
}

/**
 * Wire the components of one stack together. Only wiring lives here: each component owns one concern.
 * Logical names are fixed (never derived from config, except a service's, which its stack sets once), so
 * no config change renames a stateful resource; AWS names start with `<app>-<environment>`.
 */
export function createBaseline(config: BaselineConfig) {
    const namePrefix = `${config.app.name}-${config.environment}`;
    const protect = config.protectStatefulResources;
    /** The load balancer's own name behind CloudFront, where CloudFront connects. */
    const originName = originDomainName(config.domain.name);

    // First, so a change AWS could only apply by replacement stops the preview with the setting's name.
    new FixedSettings("fixed-settings", { values: fixedSettingValues(config), steps: steppedSettingValues(config) });

    // The permissions boundary of every workload role (each component below takes its ARN, so each role waits for it).
    const boundary = new WorkloadBoundary("workload-boundary", { namePrefix });

    const cdn = config.edge.cloudFront ? cloudFrontEntry(config, namePrefix, protect) : undefined;
    // Only CloudFront reaches the load balancer, with the origin header (unless a live stack is moving behind it).
    const lockedToCloudFront = cdn !== undefined && config.edge.loadBalancerOnlyFromCloudFront;

    const keys = new Keys("keys", {
        kms: config.kms, namePrefix, protect, execSessions: config.compute.enableExecuteCommand, cloudFrontDistributionArn: cdn?.distribution.arn,
        // AppSettings' SecureStrings live under /<app>/<env>/: the data key's SSM statement admits only those.
        parameterPath: `/${config.app.name}/${config.environment}/`,
    });

    const network = new Network("network", {
        config: config.network,
        namePrefix,
        logsKmsKeyArn: keys.logsKeyArn,
        region: config.region,
        documentDb: config.documentDb.enabled,
        protect,
        loadBalancerIngress: lockedToCloudFront ? "cloudfront" : "internet",
        permissionsBoundaryArn: boundary.arn,
    });
    const isolated = { subnetIds: network.isolatedSubnetIds, dataKeyArn: keys.dataKeyArn, logsKeyArn: keys.logsKeyArn, logs: config.logs, namePrefix, protect };

    const postgres = new Postgres("postgres", {
        ...isolated,
        database: config.database,
        environment: config.environment,
        securityGroupIds: [network.securityGroupIds.postgres],
        permissionsBoundaryArn: boundary.arn,
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

    const storage = new Buckets("storage", {
        storage: config.storage,
        storageKmsKeyArn: keys.storageKeyArn,
        namePrefix,
        protect,
        allowLoadBalancerLogs: { prefix: ALB_ACCESS_LOG_PREFIX },
        // The audit trail's bucket (named from the account, before it exists) logs its requests here too.
        ...(config.audit.cloudTrail ? { accessLogSources: [trailAccessLogSource(namePrefix)] } : {}),
        ...(cdn
            ? {
                  cloudFront: { distributionArn: cdn.distribution.arn, publicPrefix: config.edge.publicAssetsPrefix },
                  allowCloudFrontLogs: { prefix: CLOUDFRONT_ACCESS_LOG_PREFIX, deliverySourceName: cloudFrontDeliverySourceName(namePrefix) },
              }
            : {}),
    });
    if (cdn) {
        new DistributionLogs("edge-cdn-logs", {
            namePrefix, distributionArn: cdn.distribution.arn, logBucketArn: storage.logBucketArn, logBucketPolicy: storage.logBucketPolicy,
        }, { providers: [cdn.usEast1] });
    }

    const edge = new LoadBalancer("edge", {
        loadBalancer: config.loadBalancer,
        domain: config.domain,
        namePrefix,
        subnetIds: network.publicSubnetIds,
        internetGateway: network.internetGateway,
        securityGroupIds: [network.securityGroupIds.loadBalancer],
        accessLogs: { bucketName: storage.logBucketName, prefix: ALB_ACCESS_LOG_PREFIX, bucketPolicy: storage.logBucketPolicy },
        deletionProtection: protect,
        // CloudFront connects to origin.<domain> and forwards the viewer's Host: the certificate carries both.
        ...(cdn ? { subjectAlternativeNames: [originName] } : {}),
        ...(lockedToCloudFront
            ? { originVerification: { headerName: ORIGIN_HEADER_NAME, value: cdn.distribution.originHeader.value, kmsKeyArn: keys.dataKeyArn } }
            : {}),
    });
    // Behind CloudFront (even while a stack moves behind it, when most requests already come through it), the
    // regional ACL sees CloudFront's addresses: it counts the forwarded client address, and leaves the IP and
    // country lists to CloudFront's ACL.
    const regionalFirewall = new WebFirewall("edge-waf", {
        scope: "REGIONAL", waf: config.waf, namePrefix, clientAddress: cdn ? "forwarded" : "source",
        logs: { kmsKeyArn: keys.logsKeyArn, retentionDays: config.logs.retentionDays, retainOnDelete: protect }, associateWith: edge.arn,
    });
    new PublicRecords("edge-dns", {
        domain: config.domain,
        hostedZoneId: edge.hostedZoneId,
        entry: cdn
            ? { kind: "distribution", dnsName: cdn.distribution.domainName, zoneId: cdn.distribution.hostedZoneId }
            : { kind: "loadBalancer", dnsName: edge.dnsName, zoneId: edge.zoneId },
        origin: cdn ? { name: originName, dnsName: edge.dnsName, zoneId: edge.zoneId } : undefined,
        formerA: { name: "edge-alias", parent: edge },
    });

    // operations: application settings and secrets (before the services, which read them)
    // Parameters under /<app>/<env>/ and generated secrets under <app>/<env>/; services' references to them resolve to these resources.
    const appSettings = new AppSettings("app-settings", {
        app: config.app.name, environment: config.environment, parameters: config.parameters, appSecrets: config.appSecrets, dataKeyArn: keys.dataKeyArn, protect,
    });
    const cluster = new Cluster("cluster", {
        namePrefix,
        logsKmsKeyArn: keys.logsKeyArn,
        logRetentionDays: config.logs.retentionDays,
        enableExecuteCommand: config.compute.enableExecuteCommand,
        execKmsKeyArn: keys.execKeyArn,
        protect,
    });

    // The logical name carries the service's name, which a stack sets once (a rename is a new service).
    const serviceOf = (service: ServiceConfig) =>
        new Service(`service-${service.name}`, {
            service,
            namePrefix,
            environment: config.environment,
            region: config.region,
            cluster: { arn: cluster.arn, name: cluster.name, executeCommand: cluster.executeCommand },
            vpcId: network.vpcId,
            privateSubnetIds: network.privateSubnetIds,
            endpointsSecurityGroupId: network.securityGroupIds.endpoints,
            loadBalancer: service.routing && {
                listenerArn: edge.httpsListenerArn,
                arnSuffix: edge.arnSuffix,
                securityGroupId: network.securityGroupIds.loadBalancer,
                deregistrationDelaySeconds: config.loadBalancer.deregistrationDelaySeconds,
                originHeader: lockedToCloudFront ? { name: ORIGIN_HEADER_NAME, values: cdn.distribution.originHeader.accepted } : undefined,
            },
            postgres: {
                securityGroupId: network.securityGroupIds.postgres,
                host: postgres.address,
                port: postgres.port,
                databaseName: config.database.databaseName,
                masterSecretArn: postgres.masterUserSecretArn,
            },
            redis: { securityGroupId: network.securityGroupIds.redis, host: redis.primaryEndpointAddress, port: redis.port, authTokenSecretArn: redis.authTokenSecretArn },
            documentDb: documentDb && {
                securityGroupId: network.securityGroupIds.documentDb!,
                host: documentDb.endpoint,
                port: documentDb.port,
                masterSecretArn: documentDb.masterUserSecretArn,
            },
            assets: { name: storage.assetsBucketName, arn: storage.assetsBucketArn, kmsKeyArn: keys.storageKeyArn },
            appSettings: appSettings.references,
            dataKeyArn: keys.dataKeyArn,
            logsKeyArn: keys.logsKeyArn,
            repositoryKmsKeyArn: keys.storageKeyArn,
            logRetentionDays: config.logs.retentionDays,
            imagesToKeep: config.compute.imagesToKeep,
            protect,
            healthCheck: service.healthCheck && { command: service.healthCheck },
            permissionsBoundaryArn: boundary.arn,
        });
    const services = config.services.map((service) => [service.name, serviceOf(service)] as const);

    const { alerts, auditTrail, backups, deployIdentity } = createOperations(config, {
        namePrefix, protect, boundary, keys, network, postgres, redis, documentDb, storage, edge, regionalFirewall, cdn, cluster, services,
    });

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
        url: edge.url,
        loadBalancerDnsName: edge.dnsName,
        cloudFrontDistributionId: cdn?.distribution.id,
        cloudFrontDomainName: cdn?.distribution.domainName,
        originSecretArn: edge.originSecretArn,
        deployRoleArn: deployIdentity?.deployRoleArn,
        previewRoleArn: deployIdentity?.previewRoleArn,
        auditTrailArn: auditTrail?.trailArn,
        auditBucketName: auditTrail?.bucketName,
        alertTopicArn: alerts.arn,
        backupVaultArn: backups.vaultArn,
        backupPlanId: backups.planId,
        services: Object.fromEntries(services.map(([name, s]) => [name, { serviceName: s.serviceName, repositoryUrl: s.repositoryUrl }])),
    };
}

/** Load and validate the stack's configuration (throws before anything is registered), then build it. */
export function main() {
    return createBaseline(loadConfig());
}
