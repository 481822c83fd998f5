/**
 * What runs the stack day to day: alarm thresholds, the budget, the audit trail, backups, the deploy
 * identity, and the application's own settings and secrets. Defaults per environment come from
 * stacks/profiles.json; the limits are in config/sections/alarms.ts and config/sections/operations.ts.
 */

/** `baseline:alarms`: thresholds of the CloudWatch alarms (each alarm notifies the alert topic). */
export interface AlarmsConfig {
    /** A service's average CPU, in percent of its task CPU, above which it alarms (two 5-minute periods). */
    serviceCpuPercent: number;
    /** A service's average memory, in percent of its task memory, above which it alarms (two 5-minute periods). */
    serviceMemoryPercent: number;
    /** 5xx responses of one service's targets in 5 minutes above which it alarms. */
    target5xxCount: number;
    /** 5xx responses the load balancer itself returns in 5 minutes (no healthy target, timeouts) above which it alarms. */
    loadBalancer5xxCount: number;
    /** p95 target response time, in seconds, above which a service alarms (two 5-minute periods). */
    targetResponseTimeP95Seconds: number;
    /** Unhealthy targets of one service above which it alarms (0: any unhealthy target). */
    unhealthyHosts: number;
    /** Database CPU, in percent, above which it alarms. */
    databaseCpuPercent: number;
    /** Free database storage, in percent of `baseline:database.allocatedStorage`, below which it alarms. */
    databaseFreeStoragePercent: number;
    /** Freeable database memory, in percent of the instance class's memory, below which it alarms. */
    databaseFreeMemoryPercent: number;
    /** Database connections, in percent of the class's default `max_connections`, above which it alarms. */
    databaseConnectionsPercent: number;
    /** Average database read or write latency, in milliseconds, above which it alarms. */
    databaseLatencyMs: number;
    /** Redis engine CPU (`EngineCPUUtilization`) of any node, in percent, above which it alarms. */
    cacheCpuPercent: number;
    /** Redis memory used (`DatabaseMemoryUsagePercentage`) of any node, in percent, above which it alarms. */
    cacheMemoryPercent: number;
    /** Keys evicted by any Redis node in 5 minutes above which it alarms (0: any eviction). */
    cacheEvictions: number;
    /** DocumentDB CPU of any instance, in percent, above which it alarms (only with `baseline:documentDb.enabled`). */
    documentDbCpuPercent: number;
    /** DocumentDB connections of any instance, in percent of the class's limit, above which it alarms. */
    documentDbConnectionsPercent: number;
}

/** `baseline:budget`: the monthly AWS Budgets cost budget of the stack. */
export interface BudgetConfig {
    /** Monthly cost limit in USD. Notifications at 80% and 100% of actual spend and 100% of forecast. */
    monthlyLimitUsd: number;
    /**
     * Tag key whose value (from `aws:defaultTags`) identifies this stack's costs, e.g. `Project`. It must be
     * activated as a cost allocation tag in the billing console, and its value should be unique to the stack.
     */
    costAllocationTag: string;
}

/** `baseline:audit`: the CloudTrail trail. */
export interface AuditConfig {
    /** A multi-region trail of this account. `false` only where the organisation already runs an organisation trail. */
    cloudTrail: boolean;
    /** Trail log files move to S3 Glacier Flexible Retrieval after this many days. */
    glacierAfterDays: number;
    /** Trail log files are deleted after this many days (at least 90 after `glacierAfterDays`). */
    expireAfterDays: number;
}

/** `baseline:backup`: the AWS Backup plan of the database, the document store and the assets bucket. */
export interface BackupConfig {
    /** Daily recovery points are kept this many days. */
    dailyRetentionDays: number;
    /** Monthly recovery points (the 1st of each month) are kept this many days. */
    monthlyRetentionDays: number;
    /** Region every recovery point is copied to, other than `aws:region`. Required in prod; unset: no copy. */
    copyRegion?: string;
}

/** `baseline:deploy`: the roles GitHub Actions assumes through OIDC, without long-lived keys. */
export interface DeployConfig {
    /** `owner/repository` whose workflows may assume the roles (no wildcards). Required in prod; unset: no roles. */
    repository?: string;
    /** Branch whose pushes may deploy (subject `repo:<repository>:ref:refs/heads/<branch>`). */
    branch: string;
    /** GitHub environment whose jobs may deploy instead of the branch (subject `repo:<repository>:environment:<name>`). */
    environment?: string;
    /** ARN of the account's existing GitHub OIDC provider (there is one per account). Unset: the stack creates it. */
    oidcProviderArn?: string;
}

/** One application setting in SSM Parameter Store, at `/<app>/<environment>/<name>`. */
export interface ParameterConfig {
    /** A plain `String` value. Absent with `secure`. */
    value?: string;
    /**
     * A `SecureString` under the stack's data key. Its value is never in config: the program writes a random
     * one, and the team sets the real one with `aws ssm put-parameter --overwrite`, which the program leaves alone.
     */
    secure: boolean;
    /** What the setting is for (shown in the console). A secure parameter's is set when it is created, never updated. */
    description?: string;
}

/** One application secret in Secrets Manager, at `<app>/<environment>/<name>`, generated by the program. */
export interface AppSecretConfig {
    /** Characters of the random value (letters and digits). */
    length: number;
    /** Generation, from 1. Raising it draws a new value (see the runbook: services restart to read it). */
    version: number;
}
