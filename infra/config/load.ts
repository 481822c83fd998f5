import * as pulumi from "@pulumi/pulumi";
import { REGION, isBoolean, isRecord, oneOf, problem, sectionProblems, show } from "./checks";
import { PROFILES } from "./profiles";
import { SECTION_CHECKS } from "./sections";
import { subnetCapacityProblems } from "./sections/network";
import { resolveServices } from "./sections/services";
import { resolveAppSettings } from "./sections/app-settings";
import { BaselineConfig, ENVIRONMENTS, Environment, REQUIRED_TAGS, SECTIONS, Section } from "./types";

/** Raised before any resource is registered; lists every bad key of the stack. */
export class ConfigError extends Error {
    constructor(readonly problems: string[]) {
        super(`Invalid stack configuration:\n  - ${problems.join("\n  - ")}`);
        this.name = "ConfigError";
    }
}

/** Configuration as read from the stack, before defaults: `baseline:*` keys plus the aws ones we rely on. */
export interface RawConfig {
    /** `baseline:<key>` values, parsed from JSON where the stack gave objects. */
    baseline: Record<string, unknown>;
    /** `aws:region` */
    region?: unknown;
    /** `aws:defaultTags` */
    defaultTags?: unknown;
    /** `baseline:` keys (without the namespace) whose values were set with `--secret`. */
    secretKeys?: string[];
}

const TOP_LEVEL_KEYS = ["environment", "protectStatefulResources", "services", "parameters", "appSecrets", ...SECTIONS];


/** Merge one section: profile values under the stack's, rejecting keys the section does not have. */
function mergeSection(section: Section, env: Environment, given: unknown, problems: string[]): Record<string, unknown> {
    const defaults: Record<string, unknown> = { ...((PROFILES[env] as Record<string, unknown>)[section] as object | undefined) };
    const known = Object.keys(SECTION_CHECKS[section]);
    if (given === undefined) return defaults;
    if (!isRecord(given)) {
        problems.push(problem(`baseline:${section}`, given, `an object with keys ${known.join(", ")}`));
        return defaults;
    }
    for (const key of Object.keys(given)) {
        if (!known.includes(key)) problems.push(`baseline:${section}.${key} is not a setting: allowed keys are ${known.join(", ")}`);
    }
    return { ...defaults, ...given };
}

/**
 * Merge the stack's values over its environment profile and validate everything.
 * Pure: tests call it with plain objects; {@link loadConfig} feeds it the real stack config.
 */
export function resolveConfig(raw: RawConfig): BaselineConfig {
    const problems: string[] = [];
    const given = raw.baseline;

    for (const key of Object.keys(given)) {
        if (TOP_LEVEL_KEYS.includes(key)) continue;
        const [section, field] = key.split(".");
        problems.push(
            field !== undefined && (SECTIONS as readonly string[]).includes(section)
                ? `baseline:${key} is not a setting: set ${field} inside the baseline:${section} object (pulumi config set --path 'baseline:${section}.${field}' <value>)`
                : `baseline:${key} is not a setting: allowed keys are ${TOP_LEVEL_KEYS.join(", ")}`,
        );
    }

    const envProblem = oneOf("baseline:environment", given.environment, ENVIRONMENTS);
    if (envProblem) throw new ConfigError([envProblem, ...problems]);
    const env = given.environment as Environment;

    const region = raw.region;
    if (typeof region !== "string" || !REGION.test(region)) {
        problems.push(problem("aws:region", region, "an AWS region such as eu-west-1"));
    }

    const tagsObject = isRecord(raw.defaultTags) ? raw.defaultTags.tags : undefined;
    const tags = isRecord(tagsObject) ? tagsObject : {};
    for (const tag of REQUIRED_TAGS) {
        if (typeof tags[tag] !== "string" || (tags[tag] as string).trim() === "") {
            problems.push(problem(`aws:defaultTags.tags.${tag}`, tags[tag], "a non-empty string (every resource must carry it)"));
        }
    }
    if (typeof tags.Environment === "string" && tags.Environment !== env) {
        problems.push(problem("aws:defaultTags.tags.Environment", tags.Environment, `${show(env)}, the value of baseline:environment`));
    }

    // Only an absent key falls back to the profile: an explicit null (YAML `~`) is a mistake to report.
    const protect = given.protectStatefulResources === undefined ? PROFILES[env].protectStatefulResources : given.protectStatefulResources;
    const protectProblem = isBoolean("baseline:protectStatefulResources", protect);
    if (protectProblem) problems.push(protectProblem);
    else if (env === "prod" && protect === false) {
        problems.push(problem("baseline:protectStatefulResources", protect, "true in prod (databases, buckets and keys must survive a destroy)"));
    }

    const sections = {} as Record<Section, Record<string, unknown>>;
    for (const section of SECTIONS) {
        const merged = mergeSection(section, env, given[section], problems);
        problems.push(...sectionProblems(`baseline:${section}`, SECTION_CHECKS[section], merged, env));
        sections[section] = merged;
    }
    if (problems.length === 0) problems.push(...subnetCapacityProblems("baseline:network", sections.network));
    // First, so the services' references to the stack's own settings can be checked against the declared names.
    const appSettings = resolveAppSettings(given.parameters, given.appSecrets);
    const services = resolveServices(given.services, PROFILES[env].services, {
        env,
        domain: String(sections.domain.name),
        documentDbEnabled: sections.documentDb.enabled === true,
        executeCommand: sections.compute.enableExecuteCommand === true,
        cloudFront: sections.edge.cloudFront === true,
        ownSettings: { app: String(sections.app.name), parameters: Object.keys(appSettings.parameters), appSecrets: Object.keys(appSettings.appSecrets) },
    });
    problems.push(...services.problems);
    problems.push(...appSettings.problems, ...crossSectionProblems(sections, region, tags, raw.secretKeys ?? []));

    if (problems.length > 0) throw new ConfigError(problems);
    return {
        environment: env,
        region: region as string,
        protectStatefulResources: protect as boolean,
        tags: tags as Record<string, string>,
        ...(sections as unknown as Pick<BaselineConfig, Section>),
        services: services.services,
        parameters: appSettings.parameters,
        appSecrets: appSettings.appSecrets,
    };
}

/** Settings checked against another section or the `aws:` config. */
function crossSectionProblems(sections: Record<Section, Record<string, unknown>>, region: unknown, tags: Record<string, unknown>, secretKeys: string[]): string[] {
    const problems: string[] = [];
    const copyRegion = sections.backup.copyRegion;
    if (copyRegion !== undefined && copyRegion === region) {
        problems.push(problem("baseline:backup.copyRegion", copyRegion, `a region other than aws:region ${show(region)} (a copy in the same region does not survive its loss)`));
    }
    const tag = sections.budget.costAllocationTag;
    if (typeof tag === "string" && typeof tags[tag] !== "string") {
        problems.push(problem("baseline:budget.costAllocationTag", tag, `one of the keys of aws:defaultTags.tags (${Object.keys(tags).join(", ")}): the budget counts resources carrying the stack's value of it`));
    }
    if (sections.alerts.httpsEndpoint !== undefined && !secretKeys.includes("alerts")) {
        problems.push("baseline:alerts.httpsEndpoint is set in plain text (value not shown): a webhook URL carries its token; set it with pulumi config set --secret --path baseline:alerts.httpsEndpoint <url>");
    }
    return problems;
}

/** Read the current stack's configuration and validate it. Throws {@link ConfigError}. */
export function loadConfig(): BaselineConfig {
    const baseline: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
        if (!fullKey.startsWith("baseline:")) continue;
        const key = fullKey.slice("baseline:".length);
        baseline[key] = parseValue(value);
    }
    const aws = new pulumi.Config("aws");
    const secretKeys = Object.keys(baseline).filter((key) => isSecretKey(`baseline:${key}`));
    return resolveConfig({ baseline, region: aws.get("region"), defaultTags: aws.getObject("defaultTags"), secretKeys });
}

/**
 * Whether a key was set with `--secret`. The SDK exports this (it warns with it when a secret is read with
 * `get`) but leaves it out of its typings; without it, nothing counts as secret and a plain-text check fails closed.
 */
function isSecretKey(key: string): boolean {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
    return runtime.isConfigSecret?.(key) ?? false;
}

/** Pulumi hands every value over as a string; structured values are JSON text. */
function parseValue(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}
