/**
 * The service's one container definition, as a pure function of resolved values, so the whole JSON
 * ECS receives is asserted in tests. Secrets only ever appear as `valueFrom` ARNs.
 */
import { ServiceConfig } from "../config/service-types";
import { ContainerHealthCheck } from "./service-args";

/** The tag a bootstrap service points at: never pulled, since a bootstrap service runs no task. */
export const BOOTSTRAP_TAG = "bootstrap";

/** The writable scratch volume every task gets (task `volumes` and the container's mount point). */
export const TMP_VOLUME = "tmp";

/** A private repository's URL from its parts (as ECR reports it), so it is known before the repository exists. */
export function repositoryUrl(accountId: string, region: string, dnsSuffix: string, name: string): string {
    return `${accountId}.dkr.ecr.${region}.${dnsSuffix}/${name}`;
}

/** `<repo url>:<tag>`, `<repo url>@sha256:<digest>`, or the bootstrap tag while `image` is unset. */
export function imageReference(repositoryUrl: string, image: string | undefined): string {
    if (image === undefined) return `${repositoryUrl}:${BOOTSTRAP_TAG}`;
    return image.startsWith("sha256:") ? `${repositoryUrl}@${image}` : `${repositoryUrl}:${image}`;
}

/** Connection settings of what the service uses, resolved. */
export interface Connections {
    postgres?: { host: string; port: number; databaseName: string };
    redis?: { host: string; port: number };
    documentDb?: { host: string; port: number };
    assets?: { bucketName: string; prefix: string };
}

/**
 * The variables the program sets (infra/config/sections/service-values.ts CONNECTION_VARIABLES), from
 * the stores in `uses` and the assets access. Host names and ports only: credentials come as secrets.
 */
export function connectionEnvironment(uses: ServiceConfig["uses"], c: Connections): Record<string, string> {
    const env: Record<string, string> = {};
    if (uses.includes("postgres") && c.postgres) {
        Object.assign(env, { DATABASE_HOST: c.postgres.host, DATABASE_PORT: String(c.postgres.port), DATABASE_NAME: c.postgres.databaseName });
    }
    // ElastiCache has encryption in transit on: clients must speak TLS.
    if (uses.includes("redis") && c.redis) Object.assign(env, { REDIS_HOST: c.redis.host, REDIS_PORT: String(c.redis.port), REDIS_TLS: "true" });
    if (uses.includes("documentDb") && c.documentDb) Object.assign(env, { DOCUMENTDB_HOST: c.documentDb.host, DOCUMENTDB_PORT: String(c.documentDb.port) });
    if (c.assets) Object.assign(env, { ASSETS_BUCKET: c.assets.bucketName, ASSETS_PREFIX: c.assets.prefix });
    return env;
}

/** Heartbeat file a worker touches (on the writable /tmp volume); older than 2 minutes means stuck. */
export const WORKER_HEARTBEAT = "/tmp/healthy";

/**
 * The default container health check. Public: GET the load balancer's health-check path on localhost
 * with whichever of wget and curl the image has (it needs /bin/sh and one of them; set `healthCheck`
 * otherwise). Worker: the heartbeat file is recent. `exit 1` is what ECS reads as unhealthy.
 */
export function defaultHealthCheck(service: ServiceConfig): ContainerHealthCheck {
    if (service.routing && service.port !== undefined) {
        const url = `http://127.0.0.1:${service.port}${service.routing.healthCheckPath}`;
        return { command: ["CMD-SHELL", `wget -q -O /dev/null ${url} || curl -fsS -o /dev/null ${url} || exit 1`] };
    }
    return { command: ["CMD-SHELL", `test -n "$(find ${WORKER_HEARTBEAT} -mmin -2 2>/dev/null)" || exit 1`] };
}

/** ECS's health check object, with this project's timings filled in. */
export function healthCheckDefinition(h: ContainerHealthCheck) {
    return { command: h.command, interval: h.intervalSeconds ?? 30, timeout: h.timeoutSeconds ?? 5, retries: h.retries ?? 3, startPeriod: h.startPeriodSeconds ?? 60 };
}

export interface ContainerInputs {
    service: ServiceConfig;
    image: string;
    /** Plain variables: the service's own and the connection settings. */
    environment: Record<string, string>;
    secrets: { name: string; valueFrom: string }[];
    logGroupName: string;
    region: string;
    healthCheck: ContainerHealthCheck;
}

/** By name, in code-point order (not the locale's), so the JSON is the same on every machine. */
const byName = <T extends { name: string }>(list: T[]) => [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/**
 * One essential container: never privileged, every Linux capability dropped, an init process to reap
 * zombies and forward signals, the configured non-root user, a read-only root (by default) with a
 * writable /tmp, logs to its own group. Lists are sorted, so the JSON only changes when a value does.
 */
export function containerDefinition(c: ContainerInputs) {
    const s = c.service;
    return {
        name: s.name,
        image: c.image,
        essential: true,
        ...(s.command ? { command: s.command } : {}),
        user: s.user,
        readonlyRootFilesystem: s.readonlyRootFilesystem,
        privileged: false,
        linuxParameters: { capabilities: { drop: ["ALL"] }, initProcessEnabled: true },
        // A worker admits nothing, so it publishes no port.
        portMappings: s.routing && s.port !== undefined ? [{ containerPort: s.port, protocol: "tcp" }] : [],
        environment: byName(Object.entries(c.environment).map(([name, value]) => ({ name, value }))),
        secrets: byName(c.secrets),
        mountPoints: [{ sourceVolume: TMP_VOLUME, containerPath: "/tmp", readOnly: false }],
        logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": c.logGroupName, "awslogs-region": c.region, "awslogs-stream-prefix": s.name },
        },
        healthCheck: healthCheckDefinition(c.healthCheck),
    };
}
