import { EdgeConfig, WafConfig } from "./edge-types";
import { AlarmsConfig, AppSecretConfig, AuditConfig, BackupConfig, BudgetConfig, DeployConfig, ParameterConfig } from "./operations-types";
import { ComputeConfig, LoadBalancerConfig, ServiceConfig, ServiceProfile } from "./service-types";

/**
 * The program's public API: every stack setting, after the environment profile (stacks/profiles.json)
 * has been merged under the stack's own `Pulumi.<stack>.yaml` values and validated.
 * Defaults per environment live in the profiles, not here, so one table (README) documents them.
 */

export type Environment = "prod" | "staging";
export const ENVIRONMENTS: readonly Environment[] = ["prod", "staging"];

export type NatStrategy = "OnePerAz" | "Single";
export const NAT_STRATEGIES: readonly NatStrategy[] = ["OnePerAz", "Single"];

/** `baseline:network` */
export interface NetworkConfig {
    /** VPC IPv4 range, e.g. `10.20.0.0/16`. Prefix /16 to /24. */
    cidrBlock: string;
    /** Availability zones to spread subnets over: 2 or 3 (database subnet groups need two). */
    availabilityZoneCount: number;
    /** `OnePerAz` (prod) survives an AZ outage; `Single` (staging) is cheaper. */
    natGateways: NatStrategy;
    /** CIDR prefix length of each public subnet (load balancer, NAT). */
    publicSubnetMask: number;
    /** CIDR prefix length of each private (application) subnet. */
    privateSubnetMask: number;
    /** CIDR prefix length of each isolated (database) subnet. */
    isolatedSubnetMask: number;
    /** Interface endpoints for ECR, Logs, Secrets Manager and SSM (the S3 gateway endpoint is always on). */
    interfaceEndpoints: boolean;
    /** Flow log retention in days (a CloudWatch Logs retention value). */
    flowLogRetentionDays: number;
}

/** `baseline:app`: the application as a whole (each service's port is in `baseline:services`). */
export interface AppConfig {
    /** Short lowercase name that starts every AWS name, e.g. `shop` (words joined by single hyphens). */
    name: string;
}

export type PostgresMajor = "15" | "16" | "17";
export const POSTGRES_MAJORS: readonly PostgresMajor[] = ["15", "16", "17"];

/** `baseline:database`: the PostgreSQL (RDS) instance. */
export interface DatabaseConfig {
    /** Major version; RDS applies minor versions automatically. */
    engineVersion: PostgresMajor;
    /** RDS instance class, e.g. `db.m6g.large`. */
    instanceClass: string;
    /** Initial gp3 storage in GiB (20..59578, so the ceiling can be 10% above). */
    allocatedStorage: number;
    /** Storage autoscaling ceiling in GiB; at least 10% above `allocatedStorage` (RDS rule). */
    maxAllocatedStorage: number;
    /** Standby in a second AZ with automatic failover. */
    multiAz: boolean;
    /** Automated backup retention in days (1..35). */
    backupRetentionDays: number;
    /** UTC `hh:mm-hh:mm`, at least 30 minutes. */
    backupWindow: string;
    /** UTC `ddd:hh:mm-ddd:hh:mm`, at least 30 minutes, not overlapping `backupWindow`. */
    maintenanceWindow: string;
    /** The instance cannot be deleted until this is turned off. */
    deletionProtection: boolean;
    /** Master user name; `postgres`, `admin`, `root` and other defaults are rejected. */
    masterUsername: string;
    /** Name of the application database. */
    databaseName: string;
    /** Enhanced monitoring interval in seconds: 1, 5, 10, 15, 30 or 60. */
    monitoringIntervalSeconds: number;
    /** Performance Insights retention: 7, 731 or a multiple of 31 up to 713. */
    performanceInsightsRetentionDays: number;
    /** Statements slower than this are logged (`log_min_duration_statement`); at least 1 (0 would log every statement). */
    slowQueryThresholdMs: number;
    /** Days between rotations of the RDS-managed master password (prod: 90 or fewer). Services read it when a task starts. */
    passwordRotationDays: number;
}

/** What a stack's Redis holds: job queues (BullMQ, RQ, Sidekiq) must never have keys evicted. */
export type CacheHolds = "cache" | "queues" | "both";
export const CACHE_HOLDS: readonly CacheHolds[] = ["cache", "queues", "both"];

/** `baseline:cache`: the Redis (ElastiCache) replication group. */
export interface CacheConfig {
    /** Redis OSS engine version: 6.2, 7.0 or 7.1. */
    engineVersion: string;
    /** ElastiCache node type, e.g. `cache.m6g.large`. */
    nodeType: string;
    /** Primary plus replicas; prod needs at least 2 for automatic failover. */
    numCacheClusters: number;
    /** Daily snapshots kept (0..35; prod at least 1). */
    snapshotRetentionDays: number;
    /** UTC `hh:mm-hh:mm`, at least 60 minutes. */
    snapshotWindow: string;
    /** UTC `ddd:hh:mm-ddd:hh:mm`, at least 60 minutes, not overlapping `snapshotWindow`. */
    maintenanceWindow: string;
    /** What the Redis holds: `cache`, `queues` (BullMQ, RQ, Sidekiq jobs) or `both`. No default: every stack says. */
    holds: CacheHolds;
    /** Eviction policy. Unset, it follows `holds`: `allkeys-lru` for `cache`, `noeviction` for `queues` and `both`, which refuse any evicting policy. */
    maxmemoryPolicy?: string;
    /** AUTH token generation (from 1). Raising it draws a new token that ElastiCache accepts beside the old one (step 1 of a rotation). */
    authTokenVersion: number;
    /** Step 2 of a rotation: make the current token the only one ElastiCache accepts. Needs `authTokenVersion` 2 or more. */
    retirePreviousAuthToken: boolean;
}

/** `baseline:documentDb`: the MongoDB-compatible cluster, off unless a stack turns it on. */
export interface DocumentDbConfig {
    /** Create the cluster (off by default; the point-of-sale app turns it on). */
    enabled: boolean;
    /** Engine version: 4.0.0 or 5.0.0. */
    engineVersion: string;
    /** DocumentDB instance class, e.g. `db.r6g.large`. */
    instanceClass: string;
    /** Instances in the cluster (1..16; prod at least 2). */
    instanceCount: number;
    /** Backup retention in days (1..35). */
    backupRetentionDays: number;
    /** UTC `hh:mm-hh:mm`, at least 30 minutes. */
    backupWindow: string;
    /** The cluster cannot be deleted until this is turned off. */
    deletionProtection: boolean;
    /** Master user name: letters and digits only; `admin` and other reserved names are rejected. */
    masterUsername: string;
    /** Days between rotations of the DocumentDB-managed master password (prod: 90 or fewer). */
    passwordRotationDays: number;
}

/** `baseline:storage`: the assets and log buckets. */
export interface StorageConfig {
    /** Noncurrent object versions move to STANDARD_IA after this many days (at least 30). */
    noncurrentVersionTransitionDays: number;
    /** Noncurrent object versions are deleted after this many days (after the transition). */
    noncurrentVersionExpirationDays: number;
    /** Incomplete multipart uploads are aborted after this many days. */
    abortIncompleteUploadDays: number;
    /** Objects in the log bucket expire after this many days. */
    logRetentionDays: number;
}

/** `baseline:domain` */
export interface DomainConfig {
    /**
     * Public host name of the application, e.g. `shop.example.com`: on CloudFront's certificate and alias
     * records (the load balancer's without CloudFront), with `origin.<name>` as the load balancer's own name.
     */
    name: string;
    /** Public Route 53 hosted zone that holds `name`, e.g. `example.com`: certificate validation and the alias record go there. */
    zoneName: string;
}

/** `baseline:alerts` */
export interface AlertsConfig {
    /** Addresses (1 to 10) the alert topic and the budget notify; each confirms its SNS subscription once. */
    emails: string[];
    /**
     * An HTTPS endpoint subscribed to the alert topic (a chat webhook). Its URL usually carries a token, so it
     * must be set with `pulumi config set --secret --path baseline:alerts.httpsEndpoint <url>`.
     */
    httpsEndpoint?: string;
}

/** `baseline:logs`: CloudWatch log groups the program creates (database, cache and audit logs). */
export interface LogsConfig {
    /** Retention in days (a CloudWatch Logs retention value; never "forever"). */
    retentionDays: number;
}

/** `baseline:kms` */
export interface KmsConfig {
    /** Waiting period before a scheduled key deletion completes (7..30 days). */
    deletionWindowDays: number;
}

/** The validated configuration of one stack. */
export interface BaselineConfig {
    /** `baseline:environment`: selects the profile. */
    environment: Environment;
    /** `aws:region` */
    region: string;
    /**
     * `baseline:protectStatefulResources`: databases, buckets and keys get `protect` and
     * `retainOnDelete`, so neither `pulumi destroy` nor a replacing change can delete data.
     */
    protectStatefulResources: boolean;
    /** `aws:defaultTags.tags`: applied by the provider to every resource. */
    tags: Record<string, string>;
    app: AppConfig;
    network: NetworkConfig;
    database: DatabaseConfig;
    cache: CacheConfig;
    documentDb: DocumentDbConfig;
    storage: StorageConfig;
    domain: DomainConfig;
    alerts: AlertsConfig;
    logs: LogsConfig;
    kms: KmsConfig;
    compute: ComputeConfig;
    loadBalancer: LoadBalancerConfig;
    edge: EdgeConfig;
    waf: WafConfig;
    alarms: AlarmsConfig;
    budget: BudgetConfig;
    audit: AuditConfig;
    backup: BackupConfig;
    deploy: DeployConfig;
    /** `baseline:services`: what the stack runs (empty: nothing yet). */
    services: ServiceConfig[];
    /** `baseline:parameters`: application settings in SSM Parameter Store, by name. */
    parameters: Record<string, ParameterConfig>;
    /** `baseline:appSecrets`: generated application secrets in Secrets Manager, by name. */
    appSecrets: Record<string, AppSecretConfig>;
}

/** Sections a stack may set, each merged key by key over its profile. */
export const SECTIONS = ["app", "network", "database", "cache", "documentDb", "storage", "domain", "alerts", "logs", "kms", "compute", "loadBalancer", "edge", "waf",
    "alarms", "budget", "audit", "backup", "deploy"] as const;
export type Section = (typeof SECTIONS)[number];

/** What a profile supplies: every section in full, minus what only a stack can know. */
export type Profile = {
    protectStatefulResources: boolean;
    /** Defaults of each kind of service. */
    services: ServiceProfile;
} & { [S in Exclude<Section, "domain" | "alerts" | "app" | "cache" | "backup" | "deploy">]: BaselineConfig[S] } & {
    /** What the Redis holds is each stack's decision, and the eviction policy follows from it. */
    cache: Omit<CacheConfig, "holds" | "maxmemoryPolicy">;
    /** The copy region depends on the stack's own region. */
    backup: Omit<BackupConfig, "copyRegion">;
    /** The repository is each stack's. */
    deploy: Pick<DeployConfig, "branch">;
};

/** Tags every resource must carry through `aws:defaultTags`. */
export const REQUIRED_TAGS = ["Environment", "Project", "Owner", "CostCenter"] as const;
