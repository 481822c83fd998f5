import { ServiceConfig } from "../infra/config/service-types";
import { ClusterArgs } from "../infra/compute/cluster";
import { ServiceArgs } from "../infra/compute/service-args";
import { RecordedResource, Run } from "./harness";

/** Hand-built stand-ins for what infra/main.ts hands the compute components (other components' outputs). */
export const REGION = "eu-west-1";
export const ACCOUNT = "123456789012";
export const KEYS = {
    data: "arn:aws:kms:eu-west-1:123456789012:key/data-key-id",
    logs: "arn:aws:kms:eu-west-1:123456789012:key/logs-key-id",
    storage: "arn:aws:kms:eu-west-1:123456789012:key/storage-key-id",
};
export const PRIVATE_SUBNETS = ["subnet-private-a", "subnet-private-b"];
export const GROUPS = { loadBalancer: "sg-lb", postgres: "sg-postgres", redis: "sg-redis", documentDb: "sg-docdb", endpoints: "sg-endpoints" };
export const SECRETS = {
    postgres: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234-AbCdEf",
    redis: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop-prod-redis-auth-token-AbCdEf",
    documentDb: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-5678-AbCdEf",
};
export const LISTENER = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop-prod/50dc6c495c0c9188/f2f7dc8efc522ab2";
export const LB_SUFFIX = "app/shop-prod/50dc6c495c0c9188";
export const BUCKET = { name: "shop-prod-assets-123456789012", arn: "arn:aws:s3:::shop-prod-assets-123456789012", kmsKeyArn: KEYS.storage };
export const CLUSTER = { arn: "arn:aws:ecs:eu-west-1:123456789012:cluster/shop-prod", name: "shop-prod" };

const scaling = { min: 2, max: 6, cpuTarget: 60, memoryTarget: 70, requestsPerTarget: 500 };

/** A public web service as the config loader would hand it over (defaults applied). */
export function webService(overrides: Partial<ServiceConfig> = {}): ServiceConfig {
    return {
        name: "web",
        public: true,
        image: "1.4.2",
        port: 8080,
        cpu: 512,
        memory: 1024,
        architecture: "ARM64",
        routing: { hosts: ["shop.example.com"], paths: ["/*"], priority: 100, healthCheckPath: "/health" },
        scaling,
        spotPercent: 0,
        environment: { LOG_LEVEL: "info" },
        secrets: { DATABASE_PASSWORD: "postgres:password", DATABASE_USER: "postgres:username", REDIS_AUTH: "redis:authToken" },
        uses: ["postgres", "redis"],
        assets: { prefix: "uploads/", access: "read-write" },
        user: "1000:1000",
        readonlyRootFilesystem: true,
        ...overrides,
    };
}

/** A queue worker: no routing, no port, a Spot share. */
export function workerService(overrides: Partial<ServiceConfig> = {}): ServiceConfig {
    return {
        name: "worker",
        public: false,
        image: "sha256:" + "a".repeat(64),
        command: ["node", "dist/worker.js"],
        cpu: 256,
        memory: 512,
        architecture: "X86_64",
        scaling: { ...scaling, min: 1, max: 4 },
        spotPercent: 50,
        environment: {},
        secrets: { REDIS_AUTH: "redis:authToken", STRIPE_KEY: "secretsmanager:shop/stripe:apiKey", SIGNING_SEED: "ssm:/shop/prod/signing-seed" },
        uses: ["redis"],
        user: "1000",
        readonlyRootFilesystem: true,
        ...overrides,
    };
}

/** Arguments as infra/main.ts would build them for `service`, with every peer present. */
export function serviceArgs(service: ServiceConfig, overrides: Partial<ServiceArgs> = {}): ServiceArgs {
    return {
        service,
        namePrefix: "shop-prod",
        environment: "prod",
        region: REGION,
        cluster: CLUSTER,
        vpcId: "vpc-network",
        privateSubnetIds: PRIVATE_SUBNETS,
        endpointsSecurityGroupId: GROUPS.endpoints,
        loadBalancer: { listenerArn: LISTENER, arnSuffix: LB_SUFFIX, securityGroupId: GROUPS.loadBalancer, deregistrationDelaySeconds: 30 },
        postgres: { securityGroupId: GROUPS.postgres, host: "shop-prod-postgres.abcdefgh.eu-west-1.rds.amazonaws.com", port: 5432, databaseName: "shop", masterSecretArn: SECRETS.postgres },
        redis: { securityGroupId: GROUPS.redis, host: "master.shop-prod-redis.abcdef.euw1.cache.amazonaws.com", port: 6379, authTokenSecretArn: SECRETS.redis },
        documentDb: { securityGroupId: GROUPS.documentDb, host: "shop-prod-docdb.cluster-abcdef.eu-west-1.docdb.amazonaws.com", port: 27017, masterSecretArn: SECRETS.documentDb },
        assets: BUCKET,
        dataKeyArn: KEYS.data,
        logsKeyArn: KEYS.logs,
        repositoryKmsKeyArn: KEYS.storage,
        logRetentionDays: 365,
        imagesToKeep: 30,
        protect: true,
        ...overrides,
    };
}

/** Staging: a different prefix and environment, nothing protected. */
export function stagingArgs(service: ServiceConfig, overrides: Partial<ServiceArgs> = {}): ServiceArgs {
    return serviceArgs(service, { namePrefix: "shop-staging", environment: "staging", protect: false, logRetentionDays: 30, ...overrides });
}

export function clusterArgs(overrides: Partial<ClusterArgs> = {}): ClusterArgs {
    return { namePrefix: "shop-prod", logsKmsKeyArn: KEYS.logs, logRetentionDays: 365, enableExecuteCommand: false, protect: true, ...overrides };
}

/** The parsed JSON of an input (policy documents, container definitions, lifecycle policies). */
export const parsed = (r: RecordedResource, input: string) => JSON.parse(r.inputs[input]);

/** The one container definition of the run's one task definition (or the one named). */
export function containerOf(run: Run, name?: string) {
    const defs = parsed(run.one("aws:ecs/taskDefinition:TaskDefinition", name), "containerDefinitions");
    if (defs.length !== 1) throw new Error(`expected one container, found ${defs.length}`);
    return defs[0];
}
