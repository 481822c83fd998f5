/**
 * `baseline:services`: the containers a stack runs, any number of them, each an ECS Fargate service
 * with its own image repository, roles, log group and scaling. A public service is routed by the load
 * balancer; a private one (a worker) has no load balancer and admits no traffic. Defaults per
 * environment and kind (public or worker) come from `services` in stacks/profiles.json.
 */

export type CpuArchitecture = "ARM64" | "X86_64";
export const CPU_ARCHITECTURES: readonly CpuArchitecture[] = ["ARM64", "X86_64"];

/** Data stores and buckets a service may reach; each one opens exactly that path (security group, IAM). */
export type ServiceDependency = "postgres" | "redis" | "documentDb";
export const SERVICE_DEPENDENCIES: readonly ServiceDependency[] = ["postgres", "redis", "documentDb"];

/** How a public service is reached through the load balancer. */
export interface ServiceRouting {
    /** Host headers routed to the service; default: the stack's `baseline:domain.name`. */
    hosts: string[];
    /** Path patterns routed to the service (`/api/*`); default `["/*"]`. */
    paths: string[];
    /** Listener rule priority, 1..50000, unique across services; lower wins. */
    priority: number;
    /** Path the load balancer's health check requests; default `/health`. */
    healthCheckPath: string;
}

/** Target tracking bounds and targets. */
export interface ServiceScaling {
    /** Fewest running tasks (prod public services: at least 2). */
    min: number;
    /** Most running tasks. */
    max: number;
    /** Average CPU utilisation to hold, in percent. */
    cpuTarget: number;
    /** Average memory utilisation to hold, in percent. */
    memoryTarget: number;
    /** Requests per target per minute to hold (public services only). */
    requestsPerTarget: number;
}

/** Read or write access to the assets bucket under a key prefix. */
export interface AssetsAccess {
    /** Key prefix, ending in `/`, e.g. `uploads/`. */
    prefix: string;
    /** `read` or `read-write`. */
    access: "read" | "read-write";
}

/** One service, after the profile's defaults for its kind are applied. */
export interface ServiceConfig {
    /** Lowercase name, unique in the stack: names its repository, roles, log group and service. */
    name: string;
    /** Routed by the load balancer (needs `port`); false: a worker, which admits no traffic at all. */
    public: boolean;
    /**
     * Image tag (`1.4.2`) or digest (`sha256:<64 hex>`) in the service's own repository. Unset: bootstrap
     * mode, everything is created and no task runs, for a new stack whose repositories are still empty.
     */
    image?: string;
    /** Explicit bootstrap mode (`image` unset): the service runs no task. Never left on once an image is set. */
    bootstrap?: boolean;
    /** Container command, overriding the image's (e.g. `["node", "dist/worker.js"]`). */
    command?: string[];
    /**
     * Container health check in ECS's form (`["CMD", "/app/healthcheck"]` or `["CMD-SHELL", "..."]`). Unset: a
     * public service is probed with wget or curl on its health-check path (the image needs `/bin/sh` and one of
     * them); a worker must touch `/tmp/healthy` at least once a minute.
     */
    healthCheck?: string[];
    /** Container port; required for a public service. */
    port?: number;
    /** Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. */
    cpu: number;
    /** Task memory in MiB, a combination Fargate accepts for the CPU. */
    memory: number;
    /** `ARM64` (Graviton, cheaper) or `X86_64`. */
    architecture: CpuArchitecture;
    /** Present for a service the load balancer routes to; absent for a worker. */
    routing?: ServiceRouting;
    /** Tasks `min`..`max`, target tracking on `cpuTarget`% CPU, `memoryTarget`% memory and `requestsPerTarget` (public); scale-in waits longer than scale-out. */
    scaling: ServiceScaling;
    /** Percentage of tasks on Fargate Spot (workers only; Fargate Spot runs X86_64 only). */
    spotPercent: number;
    /** Plain variables; nothing secret (names and values that look secret are refused). */
    environment: Record<string, string>;
    /**
     * Variable name → secret reference: `postgres:password`, `postgres:username`, `redis:authToken`,
     * `documentDb:password`, `documentDb:username`, `secretsmanager:<name>[:<json key>]`, `ssm:<parameter path>`.
     */
    secrets: Record<string, string>;
    /** Data stores the service connects to: opens the security group path and sets their host and port variables. */
    uses: ServiceDependency[];
    /** Access to the assets bucket, if any. */
    assets?: AssetsAccess;
    /** User the container runs as, `uid[:gid]`; never root. */
    user: string;
    /** Root filesystem read-only (a writable `/tmp` volume is mounted). */
    readonlyRootFilesystem: boolean;
}

/** What the profile supplies for each kind of service. */
export interface ServiceDefaults {
    cpu: number;
    memory: number;
    architecture: CpuArchitecture;
    scaling: ServiceScaling;
    user: string;
    readonlyRootFilesystem: boolean;
    spotPercent: number;
}

export interface ServiceProfile {
    /** Services with `routing` (or a `port`). */
    public: ServiceDefaults;
    /** Services without: workers. */
    worker: ServiceDefaults;
}

/** `baseline:compute`: the ECS cluster and the image repositories. */
export interface ComputeConfig {
    /** ECS Exec (a shell in running tasks); sessions are logged to an encrypted log group. */
    enableExecuteCommand: boolean;
    /** Tagged images each repository keeps (older ones expire; untagged ones after a few days). */
    imagesToKeep: number;
}

/** `baseline:loadBalancer`: the internet-facing application load balancer. */
export interface LoadBalancerConfig {
    /** TLS security policy of the HTTPS listener (TLS 1.2 or newer only). */
    sslPolicy: string;
    /** Seconds a deregistering target keeps serving in-flight requests (0..3600). */
    deregistrationDelaySeconds: number;
    /** Idle connection timeout in seconds (1..4000). */
    idleTimeoutSeconds: number;
}
