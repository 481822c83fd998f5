import { BaselineConfig } from "../config/types";
import { Cluster } from "../compute/cluster";
import { Service } from "../compute/service";
import { DocumentDb } from "../data/documentdb";
import { Postgres } from "../data/postgres";
import { Redis } from "../data/redis";
import { Distribution } from "../edge/distribution";
import { WebFirewall } from "../edge/firewall";
import { LoadBalancer } from "../edge/load-balancer";
import { Network } from "../network/network";
import { Keys } from "../security/keys";
import { LogsKey } from "../security/logs-key";
import { WorkloadBoundary } from "../security/workload-boundary";
import { Buckets } from "../storage/buckets";
import { AlertTopic } from "./alert-topic";
import { Alarms } from "./alarms";
import { AuditTrail, TRAIL_ACCESS_LOG_PREFIX } from "./audit-trail";
import { BackupPlan } from "./backup";
import { CostBudget } from "./budget";
import { Dashboard } from "./dashboard";
import { DeployIdentity, externalSecretNames } from "./deploy-identity";
import { regionalProvider } from "./regional-provider";

/** What the operations components watch, back up and deploy: the rest of the stack, as infra/main.ts built it. */
export interface StackParts {
    namePrefix: string;
    protect: boolean;
    boundary: WorkloadBoundary;
    keys: Keys;
    network: Network;
    postgres: Postgres;
    redis: Redis;
    documentDb?: DocumentDb;
    storage: Buckets;
    edge: LoadBalancer;
    regionalFirewall: WebFirewall;
    /** CloudFront's part in us-east-1, when the stack has it. */
    cdn?: { distribution: Distribution; firewall: WebFirewall; logsKey: LogsKey };
    cluster: Cluster;
    services: (readonly [string, Service])[];
}

/**
 * The operations of one stack, wired after everything they watch: the alert topic and the budget, the alarms
 * and the dashboard, the audit trail, the backups and the deploy identity (the application's settings come
 * before the services, in infra/main.ts, since the services read them).
 */
export function createOperations(config: BaselineConfig, parts: StackParts) {
    const { namePrefix, protect, boundary, keys, network, postgres, redis, documentDb, storage, edge, regionalFirewall, cdn, cluster, services } = parts;
    // The topic every alarm and the budget notify (alarms named `<namePrefix>-*`: its policy admits no other).
    const alerts = new AlertTopic("alerts", { namePrefix, alerts: config.alerts, kms: config.kms, protect });
    new CostBudget("budget", {
        namePrefix,
        budget: config.budget,
        tagValue: config.tags[config.budget.costAllocationTag],
        emails: config.alerts.emails,
        topicArn: alerts.arn,
    });
    // Every alarm notifies the alert topic when it fires and when it recovers; the dashboard draws the same series.
    const watched = services.map(([name, s]) => ({
        name, clusterName: cluster.name, serviceName: s.serviceName, minimumTasks: s.minimumTasks, targetGroupArnSuffix: s.targetGroupArnSuffix,
    }));
    new Alarms("alarms", {
        namePrefix,
        alarms: config.alarms,
        topicArn: alerts.arn,
        loadBalancer: { arnSuffix: edge.arnSuffix },
        services: watched,
        postgres: { identifier: postgres.identifier, instanceClass: config.database.instanceClass, allocatedStorageGib: config.database.allocatedStorage },
        redis: { memberClusters: redis.memberClusters, nodeCount: config.cache.numCacheClusters },
        documentDb: documentDb && { instanceIdentifiers: documentDb.instanceIdentifiers, instanceCount: config.documentDb.instanceCount, instanceClass: config.documentDb.instanceClass },
    });
    new Dashboard("dashboard", {
        namePrefix,
        region: config.region,
        loadBalancer: { arnSuffix: edge.arnSuffix },
        services: watched,
        postgres: { identifier: postgres.identifier },
        redis: { memberClusters: redis.memberClusters },
        documentDb: documentDb && { instanceIdentifiers: documentDb.instanceIdentifiers },
        waf: { regional: regionalFirewall.metricName, cloudFront: cdn?.firewall.metricName },
    });
    // Skipped (baseline:audit.cloudTrail false) where the organisation's trail already records this account.
    const auditTrail = config.audit.cloudTrail
        ? new AuditTrail("audit-trail", {
              namePrefix,
              audit: config.audit,
              kms: config.kms,
              logs: config.logs,
              logsKmsKeyArn: keys.logsKeyArn,
              accessLogs: { bucketName: storage.logBucketName, prefix: TRAIL_ACCESS_LOG_PREFIX, bucketPolicy: storage.logBucketPolicy },
              protect,
              permissionsBoundaryArn: boundary.arn,
          })
        : undefined;
    // Daily and monthly recovery points of the data stores, each copied to a vault in baseline:backup.copyRegion when set.
    const backupCopyRegion = config.backup.copyRegion;
    const backups = new BackupPlan("backup", {
        namePrefix,
        backup: config.backup,
        kms: config.kms,
        protect,
        resources: [postgres.arn, ...(documentDb ? [documentDb.arn] : []), storage.assetsBucketArn],
        permissionsBoundaryArn: boundary.arn,
        ...(backupCopyRegion ? { copy: { region: backupCopyRegion, provider: regionalProvider("backup-copy-region", backupCopyRegion, config.tags) } } : {}),
    });
    // GitHub Actions deploys (the configured environment or branch) and previews (pull requests) through OIDC, no stored keys.
    const deployRepository = config.deploy.repository;
    const deployIdentity = deployRepository
        ? new DeployIdentity("deploy-identity", {
              namePrefix,
              app: config.app.name,
              environment: config.environment,
              region: config.region,
              cloudFrontRegion: cdn ? "us-east-1" : undefined,
              backupCopyRegion: config.backup.copyRegion,
              deploy: { ...config.deploy, repository: deployRepository },
              stackTag: { key: config.budget.costAllocationTag, value: config.tags[config.budget.costAllocationTag] },
              domainName: config.domain.name,
              hostedZoneId: edge.hostedZoneId,
              vpcId: network.vpcId,
              storageKeyArn: keys.storageKeyArn,
              externalSecretNames: externalSecretNames(config.services),
              protect,
              // Existing keys, the distribution, certificates and the backup plan are administered by exact ARN only.
              keyArns: [
                  keys.dataKeyArn, keys.logsKeyArn, keys.storageKeyArn, ...(keys.execKeyArn ? [keys.execKeyArn] : []), ...(cdn ? [cdn.logsKey.arn] : []),
                  alerts.keyArn, ...backups.keyArns, ...(auditTrail ? [auditTrail.keyArn] : []),
              ],
              dataKeyArn: keys.dataKeyArn,
              distributionArn: cdn?.distribution.arn,
              certificateArns: [edge.certificateArn, ...(cdn ? [cdn.distribution.certificateArn] : [])],
              backupPlanArn: backups.planArn,
              trail: auditTrail && { keyArn: auditTrail.keyArn },
          })
        : undefined;
    return { alerts, auditTrail, backups, deployIdentity };
}
