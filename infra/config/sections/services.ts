import { Problem, intIn, isBoolean, isRecord, oneOf, problem, show, unknownKeys } from "../checks";
import {
    AssetsAccess, CPU_ARCHITECTURES, SERVICE_DEPENDENCIES, ServiceConfig, ServiceDefaults, ServiceProfile, ServiceScaling,
} from "../service-types";
import { Environment } from "../types";
import { APP_PORT } from "./app";
import { FARGATE_MEMORY, SECRET_REFERENCE, environmentProblems, secretNameProblem } from "./service-values";

/** Keys a service entry may have. */
export const SERVICE_KEYS = [
    "name", "image", "bootstrap", "command", "healthCheck", "public", "port", "routing", "cpu", "memory", "architecture", "scaling",
    "spotPercent", "environment", "secrets", "uses", "assets", "user", "readonlyRootFilesystem",
] as const;
const ROUTING_KEYS = ["hosts", "paths", "priority", "healthCheckPath"];
const SCALING_KEYS = ["min", "max", "cpuTarget", "memoryTarget", "requestsPerTarget"];

/** Service names: they end up in repository, role, log group and task family names (IAM roles allow 64 characters). */
export const SERVICE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export const SERVICE_NAME_MAX = 20;
/** Image tags ECR accepts, and digests. */
const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const IMAGE_DIGEST = /^sha256:[a-f0-9]{64}$/;
/** Listener rule priorities ALB accepts. */
export const RULE_PRIORITY = { min: 1, max: 50000 } as const;
/** ALB allows five condition values per rule, host and path values together. */
export const RULE_CONDITION_VALUES_MAX = 5;
/** The origin header's values in a rule: the current token and, during a rotation, the previous one. */
export const ORIGIN_HEADER_VALUES_MAX = 2;
const PATH_PATTERN = /^\/[A-Za-z0-9_\-.$/~"'@:+*?&=%]{0,127}$/;
const HEALTH_CHECK_PATH = /^\/[A-Za-z0-9_\-.$/~"'@:+&=%]{0,1023}$/;
const HOST_PATTERN = /^(\*\.)?[a-z0-9*?]([a-z0-9*?-]{0,61}[a-z0-9*?])?(\.[a-z0-9*?]([a-z0-9*?-]{0,61}[a-z0-9*?])?)+$/;
/** Percent targets: below 10 scales for noise, above 90 leaves no headroom while new tasks start. */
export const UTILISATION_TARGET = { min: 10, max: 90 } as const;
export const TASKS_MAX = 100;
/** S3 key prefixes without `*`, which would become an IAM wildcard in the task role's resources. */
const ASSETS_PREFIX = /^[A-Za-z0-9!_.'()-]+(\/[A-Za-z0-9!_.'()-]+)*\/$/;
/** `uid` or `uid:gid`, numeric, so the image's /etc/passwd does not matter; never 0. */
const USER = /^[0-9]+(:[0-9]+)?$/;

/** What the services of a stack may refer to beyond their own entries. */
export interface ServiceContext {
    env: Environment;
    /** `baseline:domain.name`: the default host of public services. */
    domain: string;
    /** `baseline:documentDb.enabled`: a service can use and read secrets of DocumentDB only when it exists. */
    documentDbEnabled: boolean;
    /** `baseline:compute.enableExecuteCommand`: the SSM agent ECS Exec starts cannot run on a read-only root filesystem. */
    executeCommand: boolean;
    /** `baseline:edge.cloudFront`: every listener rule then also matches CloudFront's origin header, two of its five values. Default false. */
    cloudFront?: boolean;
    /**
     * The stack's own application settings: a reference under `ssm:/<app>/<env>/` or `secretsmanager:<app>/<env>/`
     * must name one of them (the stack creates them; a typo would only fail when a task starts). Unset: not checked.
     */
    ownSettings?: OwnSettings;
}

/** `baseline:app.name` and the names declared in `baseline:parameters` and `baseline:appSecrets`. */
export interface OwnSettings {
    app: string;
    parameters: string[];
    appSecrets: string[];
}

const declared = (names: string[]) => (names.length > 0 ? names.join(", ") : "none declared");

/** A reference under the stack's own prefix that names no declared setting, or reads a JSON key of a plain secret. */
export function ownSettingProblem(key: string, reference: string, env: Environment, own: OwnSettings): Problem {
    const ssmPrefix = `ssm:/${own.app}/${env}/`;
    const secretPrefix = `secretsmanager:${own.app}/${env}/`;
    if (reference.startsWith(ssmPrefix)) {
        const name = reference.slice(ssmPrefix.length);
        return own.parameters.includes(name) ? undefined
            : problem(key, reference, `${ssmPrefix}<name> with a name declared in baseline:parameters (${declared(own.parameters)}): the stack creates the parameters under /${own.app}/${env}/`);
    }
    if (reference.startsWith(secretPrefix)) {
        const [name, jsonKey] = reference.slice(secretPrefix.length).split(":");
        if (!own.appSecrets.includes(name)) {
            return problem(key, reference, `${secretPrefix}<name> with a name declared in baseline:appSecrets (${declared(own.appSecrets)}): the stack creates the secrets under ${own.app}/${env}/`);
        }
        return jsonKey === undefined ? undefined : problem(key, reference, `${secretPrefix}${name} without a JSON key (an app secret holds a plain string)`);
    }
    return undefined;
}

const isStringList = (v: unknown, min = 0): v is string[] => Array.isArray(v) && v.length >= min && v.every((s) => typeof s === "string");

/** The service's image, or why not: a tag or digest, never `latest` in prod; unset only in explicit bootstrap mode. */
function imageProblem(key: string, s: Record<string, unknown>, env: Environment): Problem {
    if (s.bootstrap !== undefined && typeof s.bootstrap !== "boolean") return problem(`${key}.bootstrap`, s.bootstrap, "true or false");
    if (s.image === undefined) {
        return s.bootstrap === true ? undefined
            : problem(`${key}.image`, s.image, "an image tag such as 1.4.2 or a digest sha256:<64 hex>; for a new stack whose repository is still empty, leave it unset and set bootstrap: true");
    }
    if (s.bootstrap === true) return problem(`${key}.bootstrap`, true, "false or unset once an image is set (bootstrap runs no task)");
    if (typeof s.image !== "string" || !(IMAGE_TAG.test(s.image) || IMAGE_DIGEST.test(s.image))) {
        return problem(`${key}.image`, s.image, "an image tag such as 1.4.2 or a digest sha256:<64 hex> in the service's own repository");
    }
    if (env === "prod" && s.image.toLowerCase() === "latest") return problem(`${key}.image`, s.image, "a fixed tag or digest in prod: latest changes under a running service");
    return undefined;
}

function cpuMemoryProblem(key: string, cpu: unknown, memory: unknown): Problem {
    const allowed = FARGATE_MEMORY[cpu as number];
    if (allowed === undefined) return problem(`${key}.cpu`, cpu, `one of ${Object.keys(FARGATE_MEMORY).join(", ")} (Fargate CPU units)`);
    return allowed.includes(memory as number) ? undefined : problem(`${key}.memory`, memory, `one of ${allowed.join(", ")} MiB (what Fargate accepts with cpu ${cpu})`);
}

function scalingProblems(key: string, scaling: ServiceScaling, isPublic: boolean, env: Environment): string[] {
    const minTasks = env === "prod" && isPublic ? 2 : 1;
    const why = minTasks === 2 ? " (prod public services keep a task in a second AZ)" : "";
    return [
        intIn(`${key}.min`, scaling.min, minTasks, TASKS_MAX)?.concat(why),
        Number.isInteger(scaling.min) && Number.isInteger(scaling.max) && scaling.max < scaling.min
            ? problem(`${key}.max`, scaling.max, `at least min (${scaling.min})`)
            : intIn(`${key}.max`, scaling.max, 1, TASKS_MAX),
        intIn(`${key}.cpuTarget`, scaling.cpuTarget, UTILISATION_TARGET.min, UTILISATION_TARGET.max),
        intIn(`${key}.memoryTarget`, scaling.memoryTarget, UTILISATION_TARGET.min, UTILISATION_TARGET.max),
        intIn(`${key}.requestsPerTarget`, scaling.requestsPerTarget, 1, 1_000_000),
    ].filter((p): p is string => p !== undefined);
}

function routingProblems(key: string, r: Record<string, unknown>, cloudFront: boolean): string[] {
    const problems: Problem[] = [
        isStringList(r.hosts) && r.hosts.every((h) => HOST_PATTERN.test(h)) ? undefined : problem(`${key}.hosts`, r.hosts, "a list of host names such as shop.example.com (wildcards * and ? allowed)"),
        isStringList(r.paths) && r.paths.every((p) => PATH_PATTERN.test(p)) ? undefined : problem(`${key}.paths`, r.paths, 'a list of path patterns starting with "/", such as /api/* (up to 128 characters)'),
        intIn(`${key}.priority`, r.priority, RULE_PRIORITY.min, RULE_PRIORITY.max),
        typeof r.healthCheckPath === "string" && HEALTH_CHECK_PATH.test(r.healthCheckPath) ? undefined : problem(`${key}.healthCheckPath`, r.healthCheckPath, 'a path starting with "/", such as /health'),
    ];
    if (isStringList(r.hosts) && isStringList(r.paths)) {
        const values = r.hosts.length + r.paths.length;
        const max = RULE_CONDITION_VALUES_MAX - (cloudFront ? ORIGIN_HEADER_VALUES_MAX : 0);
        if (values === 0) problems.push(problem(key, r, "at least one host or path"));
        if (values > max) {
            const why = cloudFront ? `an ALB rule's limit of ${RULE_CONDITION_VALUES_MAX}, less the ${ORIGIN_HEADER_VALUES_MAX} values of the origin header while its token is rotated` : "an ALB rule's limit";
            problems.push(problem(key, r, `at most ${max} hosts and paths together (${why})`));
        }
    }
    return problems.filter((p): p is string => p !== undefined);
}

function dependencyProblems(key: string, s: Record<string, unknown>, ctx: ServiceContext): string[] {
    const problems: string[] = [];
    const allowed = SERVICE_DEPENDENCIES.filter((d) => d !== "documentDb" || ctx.documentDbEnabled);
    if (!isStringList(s.uses) || s.uses.some((u) => !(allowed as string[]).includes(u)) || new Set(s.uses).size !== s.uses.length) {
        problems.push(problem(`${key}.uses`, s.uses, `a list without repeats of ${allowed.map((a) => show(a)).join(", ")}${ctx.documentDbEnabled ? "" : " (documentDb only when baseline:documentDb.enabled)"}`));
    }
    if (!isRecord(s.secrets)) return [...problems, problem(`${key}.secrets`, s.secrets, "a map of variable names to secret references")];
    for (const [name, ref] of Object.entries(s.secrets)) {
        const nameProblem = secretNameProblem(`${key}.secrets.${name}`, name);
        if (nameProblem) problems.push(nameProblem);
        const store = typeof ref === "string" ? /^(postgres|redis|documentDb):/.exec(ref)?.[1] : undefined;
        if (typeof ref !== "string" || !SECRET_REFERENCE.test(ref)) {
            problems.push(problem(`${key}.secrets.${name}`, ref, "postgres:password, postgres:username, redis:authToken, documentDb:password, documentDb:username, secretsmanager:<name>[:<json key>] or ssm:/<parameter path>"));
        } else if (store === "documentDb" && !ctx.documentDbEnabled) {
            problems.push(problem(`${key}.secrets.${name}`, ref, "a secret that exists: baseline:documentDb.enabled is false"));
        } else if (ctx.ownSettings) {
            const own = ownSettingProblem(`${key}.secrets.${name}`, ref, ctx.env, ctx.ownSettings);
            if (own) problems.push(own);
        }
    }
    return problems;
}

function assetsProblem(key: string, assets: unknown): Problem {
    if (assets === undefined) return undefined;
    const a = assets as Partial<AssetsAccess>;
    return isRecord(assets) && typeof a.prefix === "string" && ASSETS_PREFIX.test(a.prefix) && (a.access === "read" || a.access === "read-write") && Object.keys(assets).length === 2
        ? undefined
        : problem(key, assets, '{ prefix: "<key prefix ending in />", access: "read" or "read-write" }');
}

/** Everything wrong with one merged service entry (the profile's defaults for its kind already applied). */
export function serviceProblems(key: string, s: Record<string, unknown>, ctx: ServiceContext): string[] {
    const isPublic = s.public === true;
    const problems: Problem[] = [
        typeof s.name === "string" && s.name.length <= SERVICE_NAME_MAX && SERVICE_NAME.test(s.name) ? undefined
            : problem(`${key}.name`, s.name, `up to ${SERVICE_NAME_MAX} lowercase letters and digits, starting with a letter, words joined by single hyphens`),
        imageProblem(key, s, ctx.env),
        s.command === undefined || isStringList(s.command, 1) ? undefined : problem(`${key}.command`, s.command, 'a non-empty list of strings, such as ["node", "dist/worker.js"]'),
        s.healthCheck === undefined || (isStringList(s.healthCheck, 2) && (s.healthCheck[0] === "CMD" || s.healthCheck[0] === "CMD-SHELL"))
            ? undefined
            : problem(`${key}.healthCheck`, s.healthCheck, 'ECS\'s form: ["CMD", "<program>", ...] or ["CMD-SHELL", "<shell command>"]'),
        isBoolean(`${key}.public`, s.public),
        isPublic ? intIn(`${key}.port`, s.port, APP_PORT.min, APP_PORT.max)
            : s.port === undefined ? undefined : problem(`${key}.port`, s.port, "unset for a worker (public: false): nothing may reach it"),
        !isPublic && s.routing !== undefined ? problem(`${key}.routing`, s.routing, "unset for a worker (public: false)") : undefined,
        cpuMemoryProblem(key, s.cpu, s.memory),
        oneOf(`${key}.architecture`, s.architecture, CPU_ARCHITECTURES),
        intIn(`${key}.spotPercent`, s.spotPercent, 0, 100),
        (s.spotPercent as number) > 0 && isPublic ? problem(`${key}.spotPercent`, s.spotPercent, "0 for a public service (Spot tasks can stop with two minutes' notice)") : undefined,
        (s.spotPercent as number) > 0 && s.architecture === "ARM64" ? problem(`${key}.spotPercent`, s.spotPercent, "0 on ARM64: Fargate Spot runs X86_64 tasks only") : undefined,
        assetsProblem(`${key}.assets`, s.assets),
        typeof s.user === "string" && USER.test(s.user) && !/^0(:|$)/.test(s.user) ? undefined : problem(`${key}.user`, s.user, 'a numeric non-root uid[:gid], such as "1000:1000"'),
        isBoolean(`${key}.readonlyRootFilesystem`, s.readonlyRootFilesystem),
        ctx.executeCommand && s.readonlyRootFilesystem === true
            ? problem(`${key}.readonlyRootFilesystem`, true, "false while baseline:compute.enableExecuteCommand is true (the SSM agent ECS Exec starts cannot run on a read-only root filesystem), or ECS Exec off")
            : undefined,
    ];
    return [
        ...problems.filter((p): p is string => p !== undefined),
        ...(isRecord(s.routing) ? routingProblems(`${key}.routing`, s.routing, ctx.cloudFront === true) : isPublic ? [problem(`${key}.routing`, s.routing, "an object")] : []),
        ...(isRecord(s.scaling) ? scalingProblems(`${key}.scaling`, s.scaling as unknown as ServiceScaling, isPublic, ctx.env) : [problem(`${key}.scaling`, s.scaling, "an object")]),
        ...(isRecord(s.environment) ? environmentProblems(`${key}.environment`, s.environment) : [problem(`${key}.environment`, s.environment, "a map of variable names to strings")]),
        ...dependencyProblems(key, s, ctx),
    ];
}

/** Defaults every service shares, whatever its kind. */
export const SERVICE_BASE_DEFAULTS = { public: false, environment: {}, secrets: {}, uses: [] } as const;

/** One entry with its kind's defaults under it; nested objects merge one level deep. */
export function mergeService(given: Record<string, unknown>, index: number, profile: ServiceProfile, ctx: ServiceContext): Record<string, unknown> {
    const defaults: ServiceDefaults = given.public === true ? profile.public : profile.worker;
    const merged: Record<string, unknown> = { ...SERVICE_BASE_DEFAULTS, ...defaults, ...given };
    merged.scaling = { ...defaults.scaling, ...(isRecord(given.scaling) ? given.scaling : {}) };
    if (given.public === true) {
        const routing = isRecord(given.routing) ? given.routing : {};
        merged.routing = { hosts: [ctx.domain], paths: ["/*"], priority: (index + 1) * 10, healthCheckPath: "/health", ...routing };
    }
    return merged;
}

/**
 * `baseline:services`: a list of service entries. Returns every problem (keys named
 * `baseline:services[<i>].<setting>`) and, when there are none, the services.
 */
export function resolveServices(given: unknown, profile: ServiceProfile, ctx: ServiceContext): { problems: string[]; services: ServiceConfig[] } {
    if (given === undefined) return { problems: [], services: [] };
    if (!Array.isArray(given)) return { problems: [problem("baseline:services", given, "a list of services, each with at least name and image")], services: [] };
    const problems: string[] = [];
    const merged = given.map((entry, i) => {
        const key = `baseline:services[${i}]`;
        if (!isRecord(entry)) {
            problems.push(problem(key, entry, "an object with at least name and image"));
            return undefined;
        }
        problems.push(...unknownKeys(key, entry, SERVICE_KEYS));
        if (isRecord(entry.routing)) problems.push(...unknownKeys(`${key}.routing`, entry.routing, ROUTING_KEYS));
        if (isRecord(entry.scaling)) problems.push(...unknownKeys(`${key}.scaling`, entry.scaling, SCALING_KEYS));
        const service = mergeService(entry, i, profile, ctx);
        problems.push(...serviceProblems(key, service, ctx));
        return service;
    });
    problems.push(...crossServiceProblems(merged));
    return { problems, services: problems.length === 0 ? (merged as unknown as ServiceConfig[]) : [] };
}

/** Names, priorities and routes must be unique across the stack's services. */
function crossServiceProblems(services: (Record<string, unknown> | undefined)[]): string[] {
    const problems: string[] = [];
    const seen = new Map<string, number>();
    services.forEach((s, i) => {
        if (!s) return;
        const r = s.routing as Record<string, unknown> | undefined;
        const keys = [["name", s.name], ...(r ? [["routing.priority", r.priority], ["routing", JSON.stringify([[...(r.hosts as string[] ?? [])].sort(), [...(r.paths as string[] ?? [])].sort()])]] : [])];
        for (const [what, value] of keys) {
            const id = `${what}=${JSON.stringify(value)}`;
            const first = seen.get(id);
            if (first !== undefined) problems.push(problem(`baseline:services[${i}].${what}`, what === "routing" ? r : value, `a ${what === "name" ? "name" : what === "routing" ? "route (hosts and paths)" : "priority"} not already taken by baseline:services[${first}]`));
            else seen.set(id, i);
        }
    });
    return problems;
}
