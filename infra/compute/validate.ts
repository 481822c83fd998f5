import { MAX_ROLE_NAME, NAME_PART, roleName } from "./naming";
import { StoreName, parseSecretReference } from "./secret-refs";
import { ServiceArgs, isPublic } from "./service-args";

/**
 * What the Service component needs beyond what the config loader checks (infra/config/sections/services.ts):
 * that the wiring hands it every peer the service's config names, names that fit AWS's limits, and the
 * arguments that are not config. Every problem names the argument, what it is and what is expected.
 */
export function validateServiceArgs(args: ServiceArgs): string[] {
    return [...nameProblems(args), ...peerProblems(args), ...secretProblems(args), ...execProblems(args), ...tuningProblems(args)];
}

function nameProblems(args: ServiceArgs): string[] {
    const problems: string[] = [];
    if (!NAME_PART.test(args.namePrefix)) problems.push(`namePrefix ${JSON.stringify(args.namePrefix)}: expected lowercase letters and digits in words joined by single hyphens, such as "pos-prod"`);
    if (!NAME_PART.test(args.service.name)) problems.push(`service.name ${JSON.stringify(args.service.name)}: expected lowercase letters and digits in words joined by single hyphens`);
    const longest = roleName(args.namePrefix, args.service.name, "execution");
    if (longest.length > MAX_ROLE_NAME) {
        problems.push(`namePrefix and service.name give the role name ${JSON.stringify(longest)} (${longest.length} characters): IAM allows ${MAX_ROLE_NAME}, shorten the service name`);
    }
    return problems;
}

const STORES: StoreName[] = ["postgres", "redis", "documentDb"];

/** Stores the service connects to or reads a secret of. */
export function storesNeeded(args: ServiceArgs): StoreName[] {
    const referenced = Object.values(args.service.secrets).map(parseSecretReference).flatMap((s) => (s?.kind === "store" ? [s.store] : []));
    return STORES.filter((store) => args.service.uses.includes(store) || referenced.includes(store));
}

function peerProblems(args: ServiceArgs): string[] {
    const s = args.service;
    const problems = storesNeeded(args)
        .filter((store) => args[store] === undefined)
        .map((store) => `${store}: the service uses or reads a secret of ${store}, but no ${store} connection was given`);
    if (isPublic(s) && s.port === undefined) problems.push("service.port: a public service (with routing) needs its container port");
    if (isPublic(s) && args.loadBalancer === undefined) problems.push("loadBalancer: a public service (with routing) needs the HTTPS listener, the load balancer's ARN suffix and security group");
    if (s.assets && args.assets === undefined) problems.push("assets: the service has assets access, but no assets bucket was given");
    // The prefix becomes an IAM resource (`<bucket>/<prefix>*`): a wildcard in it would widen the grant.
    if (s.assets && /[*?]/.test(s.assets.prefix)) problems.push(`service.assets.prefix ${JSON.stringify(s.assets.prefix)}: expected no "*" or "?" (IAM reads them as wildcards, granting more than the prefix)`);
    return problems;
}

function secretProblems(args: ServiceArgs): string[] {
    const s = args.service;
    const problems = Object.entries(s.secrets)
        .filter(([, ref]) => parseSecretReference(ref) === undefined)
        .map(([name]) => `service.secrets.${name}: not a secret reference (postgres:password, redis:authToken, secretsmanager:<name>[:<json key>], ssm:/<path>, ...)`);
    const both = Object.keys(s.secrets).filter((name) => name in s.environment);
    if (both.length > 0) problems.push(`service.secrets and service.environment both set ${both.join(", ")}: a variable comes from one of them only`);
    return problems;
}

/** ECS Exec runs the SSM agent inside the container, which writes to the root filesystem (aws/containers-roadmap#1359). */
function execProblems(args: ServiceArgs): string[] {
    return args.cluster.executeCommand && args.service.readonlyRootFilesystem
        ? ["service.readonlyRootFilesystem is true on a cluster with ECS Exec on: the SSM agent cannot start in a read-only container, set it to false for this service or turn ECS Exec off"]
        : [];
}

const wholeIn = (key: string, value: number | undefined, min: number, max: number) =>
    value === undefined || (Number.isInteger(value) && value >= min && value <= max) ? [] : [`${key} is ${value}: expected a whole number from ${min} to ${max}`];

function tuningProblems(args: ServiceArgs): string[] {
    const h = args.healthCheck;
    return [
        ...(h && !(["CMD", "CMD-SHELL"].includes(h.command[0]) && h.command.length > 1) ? [`healthCheck.command ${JSON.stringify(h.command)}: expected ["CMD", <executable>, ...] or ["CMD-SHELL", <shell command>]`] : []),
        // ECS's limits for container health checks.
        ...wholeIn("healthCheck.intervalSeconds", h?.intervalSeconds, 5, 300),
        ...wholeIn("healthCheck.timeoutSeconds", h?.timeoutSeconds, 2, 60),
        ...wholeIn("healthCheck.retries", h?.retries, 1, 10),
        ...wholeIn("healthCheck.startPeriodSeconds", h?.startPeriodSeconds, 0, 300),
        ...wholeIn("healthCheckGracePeriodSeconds", args.healthCheckGracePeriodSeconds, 0, 2147483647),
        ...wholeIn("scaleOutCooldownSeconds", args.scaleOutCooldownSeconds, 0, 3600),
        ...wholeIn("scaleInCooldownSeconds", args.scaleInCooldownSeconds, 0, 3600),
        ...wholeIn("imagesToKeep", args.imagesToKeep, 1, 1000),
    ];
}
