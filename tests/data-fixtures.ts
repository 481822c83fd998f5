import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "../infra/config/load";
import { DocumentDbArgs } from "../infra/data/documentdb";
import { PostgresArgs } from "../infra/data/postgres";
import { RecordedResource, Run, isSecret } from "./harness";

/** What the data-tier tests hand the components in place of the network and Keys outputs. */
export const DATA_KEY = "arn:aws:kms:eu-west-1:123456789012:key/data-key-id";
export const LOGS_KEY = "arn:aws:kms:eu-west-1:123456789012:key/logs-key-id";
export const ISOLATED_SUBNETS = ["subnet-isolated-a", "subnet-isolated-b", "subnet-isolated-c"];

/** The two stacks and what differs between them for the data tier. */
export const STACKS = [
    { stack: "prod", protect: true, backupDays: 30, multiAz: true, deletionProtection: true, logRetention: 365 },
    { stack: "staging", protect: false, backupDays: 7, multiAz: false, deletionProtection: false, logRetention: 30 },
] as const;

/** An output's value once the mocks have resolved it. */
export const valueOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

/** Whether an output's value is known (false on a preview for what only a deploy reports). The SDK keeps this field internal. */
export const isKnown = (o: pulumi.Output<unknown>) => (o as unknown as { isKnown: Promise<boolean> }).isKnown;

/** Every resource in the run other than `root` hangs (directly) under the component `root`. */
export function childrenOf(run: Run, root: string): RecordedResource[] {
    return run.resources.filter((r) => r.name !== root);
}

/** Paths of every input that holds `needle` without a secret wrapper around it. */
export function plainOccurrences(value: unknown, needle: string, path = ""): string[] {
    if (isSecret(value)) return [];
    if (typeof value === "string") return value.includes(needle) ? [path] : [];
    if (Array.isArray(value)) return value.flatMap((v, i) => plainOccurrences(v, needle, `${path}[${i}]`));
    if (typeof value === "object" && value !== null) {
        return Object.entries(value).flatMap(([k, v]) => plainOccurrences(v, needle, path ? `${path}.${k}` : k));
    }
    return [];
}

/** Postgres arguments as infra/main.ts builds them from the current stack's config, with fake keys and subnets. */
export function postgresArgs(overrides: Partial<PostgresArgs> = {}): PostgresArgs {
    const c = loadConfig();
    return {
        database: c.database,
        environment: c.environment,
        logs: c.logs,
        namePrefix: `${c.app.name}-${c.environment}`,
        subnetIds: ISOLATED_SUBNETS,
        securityGroupIds: ["sg-database"],
        dataKeyArn: DATA_KEY,
        logsKeyArn: LOGS_KEY,
        protect: c.protectStatefulResources,
        ...overrides,
    };
}

/** DocumentDb arguments as infra/main.ts builds them from the current stack's config, with fake keys and subnets. */
export function documentDbArgs(overrides: Partial<DocumentDbArgs> = {}): DocumentDbArgs {
    const c = loadConfig();
    return {
        documentDb: c.documentDb,
        environment: c.environment,
        logs: c.logs,
        namePrefix: `${c.app.name}-${c.environment}`,
        subnetIds: ISOLATED_SUBNETS,
        securityGroupIds: ["sg-documents"],
        dataKeyArn: DATA_KEY,
        logsKeyArn: LOGS_KEY,
        protect: c.protectStatefulResources,
        ...overrides,
    };
}
