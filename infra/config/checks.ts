/**
 * Small pure checks used by the config loader. Each returns a problem sentence
 * ("<key> = <value> is not allowed: expected <what>") or undefined, so the loader can report
 * every bad key of a stack at once instead of stopping at the first.
 */

import { Environment } from "./types";

export type Problem = string | undefined;

/**
 * One setting's check: `key` is the full name to report (`baseline:database.backupRetentionDays`),
 * `section` the whole merged section, so a check can compare its value with a sibling's.
 */
export type Check = (key: string, value: unknown, env: Environment, section: Record<string, unknown>) => Problem;

/** Every setting of one config section, with its check: the single definition of its limits. */
export type SectionChecks = Readonly<Record<string, Check>>;

/** Problems of one section's values, each key reported as `<prefix>.<setting>`, in declaration order. */
export function sectionProblems(prefix: string, checks: SectionChecks, values: object, env: Environment): string[] {
    const section = values as Record<string, unknown>;
    return Object.entries(checks).flatMap(([key, check]) => check(`${prefix}.${key}`, section[key], env, section) ?? []);
}

/**
 * What a component runs on its arguments: the config loader's checks for its section, so a caller that
 * builds arguments by hand meets the same limits. Throws before the component registers anything.
 */
export function assertSection(component: string, prefix: string, checks: SectionChecks, values: object, env: Environment): void {
    const problems = sectionProblems(prefix, checks, values, env);
    if (problems.length > 0) throw new Error(`${component} has invalid arguments:\n  - ${problems.join("\n  - ")}`);
}

/** A YAML mapping (not a list, not null). */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** One problem per key of `value` that is not among `known` (a typo never falls back to a default). */
export function unknownKeys(key: string, value: Record<string, unknown>, known: readonly string[]): string[] {
    return Object.keys(value).filter((k) => !known.includes(k)).map((k) => `${key}.${k} is not a setting: allowed keys are ${known.join(", ")}`);
}

/** Render a value the way the user wrote it in YAML. */
export function show(value: unknown): string {
    return value === undefined ? "(unset)" : JSON.stringify(value);
}

export function problem(key: string, value: unknown, expected: string): string {
    return `${key} = ${show(value)} is not allowed: expected ${expected}`;
}

export function intIn(key: string, value: unknown, min: number, max: number): Problem {
    return Number.isInteger(value) && (value as number) >= min && (value as number) <= max
        ? undefined
        : problem(key, value, `an integer from ${min} to ${max}`);
}

export function oneOf<T>(key: string, value: unknown, allowed: readonly T[]): Problem {
    return allowed.includes(value as T) ? undefined : problem(key, value, `one of ${allowed.map((a) => show(a)).join(", ")}`);
}

export function matches(key: string, value: unknown, pattern: RegExp, expected: string): Problem {
    return typeof value === "string" && pattern.test(value) ? undefined : problem(key, value, expected);
}

export function isBoolean(key: string, value: unknown): Problem {
    return typeof value === "boolean" ? undefined : problem(key, value, "true or false");
}

/** `10.0.0.0/16` → [address as uint32, prefix], or undefined when malformed or not a network address. */
export function parseCidr(cidr: unknown): [number, number] | undefined {
    if (typeof cidr !== "string") return undefined;
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || prefix > 32) return undefined;
    const address = octets.reduce((acc, o) => acc * 256 + o, 0);
    const hostBits = 2 ** (32 - prefix);
    return address % hostBits === 0 ? [address, prefix] : undefined;
}

/** RFC 1918 ranges: a VPC on public address space would leak routes and confuse peering. */
export function isPrivateRange([address, prefix]: [number, number]): boolean {
    const inside = (base: number, basePrefix: number) =>
        prefix >= basePrefix && Math.floor(address / 2 ** (32 - basePrefix)) === Math.floor(base / 2 ** (32 - basePrefix));
    return inside(10 * 2 ** 24, 8) || inside((172 * 256 + 16) * 2 ** 16, 12) || inside((192 * 256 + 168) * 2 ** 16, 16);
}

const HHMM = "([01]\\d|2[0-3]):[0-5]\\d";
const DAY = "(mon|tue|wed|thu|fri|sat|sun)";
export const DAILY_WINDOW = new RegExp(`^${HHMM}-${HHMM}$`);
export const WEEKLY_WINDOW = new RegExp(`^${DAY}:${HHMM}-${DAY}:${HHMM}$`);

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes-of-week intervals a window covers; a daily window repeats on every day. */
export function windowIntervals(window: string): [number, number][] {
    const week = 7 * 24 * 60;
    const spans: [number, number][] = [];
    const push = (start: number, end: number) => {
        if (end <= start) end += week;
        spans.push([start, end], [start + week, end + week]);
    };
    if (DAILY_WINDOW.test(window)) {
        const [from, to] = window.split("-");
        for (let d = 0; d < 7; d++) {
            const start = d * 1440 + minutes(from);
            push(start, d * 1440 + minutes(to) + (minutes(to) <= minutes(from) ? 1440 : 0));
        }
    } else if (WEEKLY_WINDOW.test(window)) {
        const [from, to] = window.split("-");
        push(DAYS.indexOf(from.slice(0, 3)) * 1440 + minutes(from.slice(4)), DAYS.indexOf(to.slice(0, 3)) * 1440 + minutes(to.slice(4)));
    }
    return spans;
}

/** Length of a window in minutes (a window that ends where it starts is 0, which AWS rejects). */
export function windowMinutes(window: string): number {
    const [from, to] = window.split("-");
    if (DAILY_WINDOW.test(window)) return (minutes(to) - minutes(from) + 1440) % 1440;
    if (!WEEKLY_WINDOW.test(window)) return 0;
    const at = (t: string) => DAYS.indexOf(t.slice(0, 3)) * 1440 + minutes(t.slice(4));
    return (at(to) - at(from) + 7 * 1440) % (7 * 1440);
}

/** A daily (`hh:mm-hh:mm`) or weekly (`ddd:hh:mm-ddd:hh:mm`) window at least `min` minutes long. */
export function windowOf(key: string, value: unknown, pattern: RegExp, example: string, min: number): Problem {
    const shape = pattern === DAILY_WINDOW ? "hh:mm-hh:mm" : "ddd:hh:mm-ddd:hh:mm";
    const expected = `a UTC window ${shape} of at least ${min} minutes, such as ${example}`;
    return typeof value === "string" && pattern.test(value) && windowMinutes(value) >= min ? undefined : problem(key, value, expected);
}

/**
 * A weekly maintenance window of at least `min` minutes that does not overlap the section's daily
 * `sibling` window (backup or snapshot): AWS rejects overlapping windows.
 */
export function maintenanceWindowCheck(sibling: string, example: string, min: number): Check {
    return (k, v, _e, s) =>
        windowOf(k, v, WEEKLY_WINDOW, example, min) ??
        (typeof s[sibling] === "string" && DAILY_WINDOW.test(s[sibling] as string) && windowsOverlap(s[sibling] as string, v as string)
            ? problem(k, v, `a window that does not overlap ${sibling} ${show(s[sibling])}`)
            : undefined);
}

/** AWS rejects a backup window that overlaps the maintenance window. */
export function windowsOverlap(a: string, b: string): boolean {
    return windowIntervals(a).some(([s1, e1]) => windowIntervals(b).some(([s2, e2]) => s1 < e2 && s2 < e1));
}

/** Retention values CloudWatch Logs accepts (there is no "never expire" here on purpose). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** AWS region names: `eu-west-1`, `us-gov-west-1`, `cn-north-1`, `us-isob-east-1`. */
export const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

export const HOSTNAME = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const EMAIL = /^[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$/;
