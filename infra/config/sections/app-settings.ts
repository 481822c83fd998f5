import { Problem, isRecord, problem, unknownKeys } from "../checks";
import { AppSecretConfig, ParameterConfig } from "../operations-types";
import { SECRET_NAME_PATTERNS, URL_WITH_PASSWORD } from "./service-values";

/** The last segment of a parameter or secret path: `/<app>/<environment>/<name>`. */
export const SETTING_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
/** A Standard-tier parameter holds at most 4 KB. */
export const PARAMETER_VALUE_MAX = 4096;
/** Characters of a generated application secret: 32 (about 190 bits) up to Secrets Manager's 4096. */
export const APP_SECRET_LENGTH = { min: 32, max: 4096 } as const;
export const APP_SECRET_VERSION = { min: 1, max: 1_000_000 } as const;
export const APP_SECRET_DEFAULTS: AppSecretConfig = { length: 64, version: 1 };


function parameterProblems(key: string, p: Record<string, unknown>): string[] {
    const problems = unknownKeys(key, p, ["value", "secure", "description"]);
    const name = key.slice(key.lastIndexOf(".") + 1);
    if (p.secure !== undefined && typeof p.secure !== "boolean") problems.push(problem(`${key}.secure`, p.secure, "true or false"));
    if (p.description !== undefined && (typeof p.description !== "string" || p.description.length > 1024)) {
        problems.push(problem(`${key}.description`, p.description, "a text of at most 1024 characters"));
    }
    if (p.secure === true) {
        // The value would sit in the stack file and the state: it is set out of band instead.
        if (p.value !== undefined) problems.push(`${key}.value is not allowed with secure: true (value not shown): a secure parameter's value is never in config; set it with aws ssm put-parameter --overwrite (see the README)`);
        return problems;
    }
    if (SECRET_NAME_PATTERNS.some((pattern) => pattern.test(name))) {
        problems.push(`${key} looks secret by its name: set secure: true (a SecureString whose value is set outside config), or use baseline:appSecrets`);
    } else if (typeof p.value !== "string" || p.value.length === 0 || p.value.length > PARAMETER_VALUE_MAX) {
        problems.push(problem(`${key}.value`, p.value, `a non-empty string of at most ${PARAMETER_VALUE_MAX} characters (or secure: true)`));
    } else if (URL_WITH_PASSWORD.test(p.value)) {
        problems.push(`${key}.value holds a URL with a user name and password (value not shown): make the parameter secure: true`);
    }
    return problems;
}

function appSecretProblems(key: string, s: Record<string, unknown>): string[] {
    const merged = { ...APP_SECRET_DEFAULTS, ...s };
    const problems = unknownKeys(key, s, Object.keys(APP_SECRET_DEFAULTS));
    const whole = (k: keyof AppSecretConfig, range: { min: number; max: number }): Problem =>
        Number.isInteger(merged[k]) && merged[k] >= range.min && merged[k] <= range.max ? undefined : problem(`${key}.${k}`, merged[k], `an integer from ${range.min} to ${range.max}`);
    return [...problems, ...[whole("length", APP_SECRET_LENGTH), whole("version", APP_SECRET_VERSION)].filter((p): p is string => p !== undefined)];
}

/** A map of named settings: every name valid, every entry an object. */
function namedEntries(key: string, value: unknown, problems: string[]): [string, Record<string, unknown>][] {
    if (value === undefined) return [];
    if (!isRecord(value)) {
        problems.push(problem(key, value, "a map of names to settings"));
        return [];
    }
    return Object.entries(value).flatMap(([name, entry]) => {
        if (!SETTING_NAME.test(name)) problems.push(`${key}.${name} is not allowed as a name: expected 1 to 128 letters, digits, "_", "." or "-"`);
        else if (!isRecord(entry)) problems.push(problem(`${key}.${name}`, entry, "an object"));
        else return [[name, entry] as [string, Record<string, unknown>]];
        return [];
    });
}

/** `baseline:parameters` and `baseline:appSecrets`, validated; a name may not be both (the paths would read alike). */
export function resolveAppSettings(parameters: unknown, appSecrets: unknown): { parameters: Record<string, ParameterConfig>; appSecrets: Record<string, AppSecretConfig>; problems: string[] } {
    const problems: string[] = [];
    const params = namedEntries("baseline:parameters", parameters, problems);
    const secrets = namedEntries("baseline:appSecrets", appSecrets, problems);
    for (const [name, p] of params) problems.push(...parameterProblems(`baseline:parameters.${name}`, p));
    for (const [name, s] of secrets) problems.push(...appSecretProblems(`baseline:appSecrets.${name}`, s));
    for (const [name] of secrets) {
        if (params.some(([p]) => p === name)) problems.push(`baseline:appSecrets.${name} is not allowed: baseline:parameters has a setting of the same name`);
    }
    return {
        parameters: Object.fromEntries(params.map(([name, p]) => [name, { secure: p.secure === true, ...(p.value !== undefined ? { value: p.value as string } : {}), ...(p.description !== undefined ? { description: p.description as string } : {}) }])),
        appSecrets: Object.fromEntries(secrets.map(([name, s]) => [name, { ...APP_SECRET_DEFAULTS, ...s } as AppSecretConfig])),
        problems,
    };
}
