import { Problem, SectionChecks, problem } from "../checks";

/** A share of something, in percent: above 0 (an alarm at 0% would always fire) and at most 100. */
export const PERCENT = { min: 1, max: 100 } as const;
/** Counts per 5-minute period: 0 (any) up to a million. */
export const COUNT_PER_PERIOD = { min: 0, max: 1_000_000 } as const;
/** Response time in seconds: the load balancer's idle timeout is at most 4000 s. */
export const RESPONSE_SECONDS = { min: 0.05, max: 4000 } as const;
/** Database I/O latency in milliseconds. */
export const LATENCY_MS = { min: 1, max: 60_000 } as const;

/** A number (not necessarily whole) from `min` to `max`. */
export function numberIn(key: string, value: unknown, min: number, max: number, unit: string): Problem {
    return typeof value === "number" && Number.isFinite(value) && value >= min && value <= max ? undefined : problem(key, value, `a number of ${unit} from ${min} to ${max}`);
}

const percent: SectionChecks[string] = (k, v) => numberIn(k, v, PERCENT.min, PERCENT.max, "percent");
const count: SectionChecks[string] = (k, v) =>
    Number.isInteger(v) && (v as number) >= COUNT_PER_PERIOD.min && (v as number) <= COUNT_PER_PERIOD.max
        ? undefined
        : problem(k, v, `a whole count from ${COUNT_PER_PERIOD.min} to ${COUNT_PER_PERIOD.max}`);

/** `baseline:alarms`: an unknown key is refused by the loader with the list of these. */
export const ALARMS_CHECKS: SectionChecks = {
    serviceCpuPercent: percent,
    serviceMemoryPercent: percent,
    target5xxCount: count,
    loadBalancer5xxCount: count,
    targetResponseTimeP95Seconds: (k, v) => numberIn(k, v, RESPONSE_SECONDS.min, RESPONSE_SECONDS.max, "seconds"),
    unhealthyHosts: count,
    databaseCpuPercent: percent,
    databaseFreeStoragePercent: percent,
    databaseFreeMemoryPercent: percent,
    databaseConnectionsPercent: percent,
    databaseLatencyMs: (k, v) => numberIn(k, v, LATENCY_MS.min, LATENCY_MS.max, "milliseconds"),
    cacheCpuPercent: percent,
    cacheMemoryPercent: percent,
    cacheEvictions: count,
    documentDbCpuPercent: percent,
    documentDbConnectionsPercent: percent,
};
