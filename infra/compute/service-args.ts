import * as pulumi from "@pulumi/pulumi";
import { RequiredHeader } from "./routing";
import { ServiceConfig } from "../config/service-types";
import { Environment } from "../config/types";

/** What every data store hands a service: where it listens and the group that admits clients. */
export interface StoreConnection {
    /** The store's security group: the service's group gets an ingress rule on it for `port`. */
    securityGroupId: pulumi.Input<string>;
    /** Host name the service connects to (RDS address, Redis primary endpoint, DocumentDB endpoint). */
    host: pulumi.Input<string>;
    port: pulumi.Input<number>;
}

export interface PostgresConnection extends StoreConnection {
    databaseName: pulumi.Input<string>;
    /** The RDS-managed master secret (JSON `username`/`password`), encrypted with the data key. */
    masterSecretArn: pulumi.Input<string>;
}

export interface RedisConnection extends StoreConnection {
    /** The auth-token secret (a plain string), encrypted with the data key. */
    authTokenSecretArn: pulumi.Input<string>;
}

export interface DocumentDbConnection extends StoreConnection {
    /**
     * The DocumentDB-managed master secret (JSON `username`/`password`). DocumentDB encrypts it with the
     * AWS managed `aws/secretsmanager` key (infra/data/documentdb.ts), whose key policy already lets every
     * principal of the account decrypt through Secrets Manager: the execution role needs no KMS grant for it.
     */
    masterSecretArn: pulumi.Input<string>;
}

/**
 * The application settings and secrets the stack creates (`AppSettings.references`), keyed by the path a
 * reference names. A reference to one of them resolves to the resource's ARN, with no lookup by name (which
 * would fail on a first preview, before the secret exists).
 */
export interface AppSettingReferences {
    /** `/<app>/<env>/<name>` → the parameter's ARN, and whether it is a SecureString under the data key. */
    parameters: Record<string, { arn: pulumi.Input<string>; secure: boolean }>;
    /** `<app>/<env>/<name>` → the secret's ARN (a plain string under the data key). */
    secrets: Record<string, pulumi.Input<string>>;
}

/** The assets bucket, for services with `assets` access. */
export interface AssetsBucket {
    name: pulumi.Input<string>;
    arn: pulumi.Input<string>;
    /** The storage key the bucket encrypts objects with (SSE-KMS). */
    kmsKeyArn: pulumi.Input<string>;
}

/** The HTTPS load balancer, for public services. */
export interface ServiceLoadBalancer {
    /** The HTTPS (443) listener the service's rule is added to. */
    listenerArn: pulumi.Input<string>;
    /** `app/<name>/<id>`: the first half of the ALBRequestCountPerTarget resource label. */
    arnSuffix: pulumi.Input<string>;
    /** The load balancer's group: admitted on the service's port, and given the matching egress rule. */
    securityGroupId: pulumi.Input<string>;
    /** Seconds a deregistering task keeps serving in-flight requests (`baseline:loadBalancer.deregistrationDelaySeconds`). */
    deregistrationDelaySeconds: number;
    /**
     * With CloudFront in front: the origin header (`X-Origin-Verify`) and its secret value. The service's
     * listener rule then forwards only requests that carry it; any other falls to the listener's 403.
     */
    originHeader?: RequiredHeader;
}

/** The cluster, as `Cluster` outputs it. */
export interface ServiceCluster {
    arn: pulumi.Input<string>;
    name: pulumi.Input<string>;
    /** Present when the cluster has ECS Exec on: the service then turns it on and its task role may log sessions. */
    executeCommand?: { logGroupName: string; kmsKeyArn: pulumi.Input<string> };
}

/** A container health check, as ECS takes it (`command` starts with `CMD` or `CMD-SHELL`). */
export interface ContainerHealthCheck {
    command: string[];
    /** Default 30. */
    intervalSeconds?: number;
    /** Default 5. */
    timeoutSeconds?: number;
    /** Default 3. */
    retries?: number;
    /** Failures inside it do not count. Default 60. */
    startPeriodSeconds?: number;
}

export interface ServiceArgs {
    /** `baseline:services[i]`, with the profile's defaults applied. */
    service: ServiceConfig;
    /** `<app>-<env>`: every AWS name starts with it. */
    namePrefix: string;
    /** prod waits for steady state on `pulumi up`; staging does not. */
    environment: Environment;
    /** The stack's region (awslogs, KMS `kms:ViaService` endpoints). */
    region: string;
    cluster: ServiceCluster;
    vpcId: pulumi.Input<string>;
    /** The private (application) subnets the tasks run in. */
    privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** Interface endpoints' group, when the network has them: admits the service on 443. */
    endpointsSecurityGroupId?: pulumi.Input<string>;
    /** Required for a public service (one with `routing`), ignored for a worker. */
    loadBalancer?: ServiceLoadBalancer;
    /** Required when the service uses or references PostgreSQL. */
    postgres?: PostgresConnection;
    /** Required when the service uses or references Redis. */
    redis?: RedisConnection;
    /** Required when the service uses or references DocumentDB. */
    documentDb?: DocumentDbConnection;
    /** Required when the service has `assets` access. */
    assets?: AssetsBucket;
    /** Encrypts the PostgreSQL and Redis secrets; application secrets in Secrets Manager must use it too (or `aws/secretsmanager`). */
    dataKeyArn: pulumi.Input<string>;
    /** Encrypts the service's log group. */
    logsKeyArn: pulumi.Input<string>;
    /** Encrypts the image repository (the storage key). Fixed once the repository exists: ECR replaces it on change. */
    repositoryKmsKeyArn: pulumi.Input<string>;
    /** The stack's own parameters and app secrets. Default none: every `ssm:` and `secretsmanager:` reference names one made elsewhere. */
    appSettings?: AppSettingReferences;
    /** Customer keys of referenced SSM SecureString parameters made elsewhere. Default none: they use `aws/ssm`, which needs no grant. */
    parameterKmsKeyArns?: pulumi.Input<string>[];
    /** Log retention in days (`baseline:logs.retentionDays`). */
    logRetentionDays: number;
    /** Tagged images the repository keeps (`baseline:compute.imagesToKeep`). */
    imagesToKeep: number;
    /** prod: the repository and log group get `protect`/`retainOnDelete`, and the repository is never force-deleted. */
    protect: boolean;
    /** The stack's workload permissions boundary (security/workload-boundary.ts), on every role created here. Default: none (infra/main.ts always sets it). */
    permissionsBoundaryArn?: pulumi.Input<string>;
    /**
     * Container health check. Default for a public service: an HTTP GET of the health-check path on
     * localhost with `wget` or `curl` (the image needs one of them and `/bin/sh`); for a worker: the file
     * `/tmp/healthy` touched within the last 2 minutes (the worker's heartbeat).
     */
    healthCheck?: ContainerHealthCheck;
    /** Seconds the load balancer's failed health checks are ignored after a task starts (public services). Default 60. */
    healthCheckGracePeriodSeconds?: number;
    /** Default 60. */
    scaleOutCooldownSeconds?: number;
    /** Default 300: scale-in is slower than scale-out. */
    scaleInCooldownSeconds?: number;
}

/** A bootstrap service has no image yet: everything exists, nothing runs. */
export const isBootstrap = (service: ServiceConfig) => service.image === undefined;

export const isPublic = (service: ServiceConfig) => service.routing !== undefined;
