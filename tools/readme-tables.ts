/**
 * Prints the README's generated tables from the code that defines them: the configuration reference
 * (JSDoc of infra/config/types.ts, defaults of stacks/profiles.json), the policy list (the pack's own
 * metadata) and the Security Hub coverage (tools/coverage/, from the same metadata). tests/readme.test.ts fails when the README drifts from this output, so defaults and
 * levels cannot be documented one way and coded another.
 * Usage: npx ts-node --transpile-only tools/readme-tables.ts [--write]
 */
import * as fs from "fs";
import * as path from "path";
import { FIXED_SETTINGS } from "../infra/config/fixed-settings";
import { SERVICE_BASE_DEFAULTS } from "../infra/config/sections/services";
import { SECTIONS, Section } from "../infra/config/types";
import { ALL_POLICIES } from "../policies/all";
import { APP_SECRET_DEFAULTS } from "../infra/config/sections/app-settings";
import { PROFILES } from "../infra/config/profiles";
import { COVERAGE_END, COVERAGE_START, coverageSection } from "./coverage/generate";

/** Where the config interfaces and their JSDoc live. */
const TYPE_FILES = ["../infra/config/types.ts", "../infra/config/service-types.ts", "../infra/config/edge-types.ts", "../infra/config/operations-types.ts"].map((f) => path.resolve(__dirname, f));

/** `interface XConfig { /** doc *\/ key: type; }` → { "XConfig.key": "doc" } */
export function fieldDocs(source: string): Map<string, string> {
    const docs = new Map<string, string>();
    for (const [, iface, body] of source.matchAll(/export interface (\w+) \{([\s\S]*?)\n\}/g)) {
        for (const [, doc, key] of body.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(\w+)\??\s*:/g)) {
            docs.set(`${iface}.${key}`, doc.replace(/\n\s*\*/g, " ").replace(/\s+/g, " ").trim());
        }
    }
    return docs;
}

const INTERFACES: Readonly<Record<Section, string>> = {
    app: "AppConfig", network: "NetworkConfig", database: "DatabaseConfig", cache: "CacheConfig", documentDb: "DocumentDbConfig",
    storage: "StorageConfig", domain: "DomainConfig", alerts: "AlertsConfig", logs: "LogsConfig", kms: "KmsConfig",
    compute: "ComputeConfig", loadBalancer: "LoadBalancerConfig", edge: "EdgeConfig", waf: "WafConfig",
    alarms: "AlarmsConfig", budget: "BudgetConfig", audit: "AuditConfig", backup: "BackupConfig", deploy: "DeployConfig",
};

/** Settings AWS applies only by replacement: the guard stops a change, the table says so. */
const fixedNote = (key: string) => (key in FIXED_SETTINGS ? ` **Fixed once created**: a change would replace ${FIXED_SETTINGS[key]}.` : "");

interface Field {
    name: string;
    /** Declared with `?`: a stack may leave it unset, and unset has a meaning of its own (see its doc). */
    optional: boolean;
}

const cell = (v: unknown, optional = false) => (v !== undefined ? `\`${JSON.stringify(v)}\`` : optional ? "unset" : "required");

/** Fields of an interface in declaration order (from the source), so the table reads like the types. */
function fieldsOf(source: string, iface: string): Field[] {
    const body = new RegExp(`export interface ${iface} \\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1] ?? "";
    return [...body.matchAll(/^\s{4}(\w+)(\??)\s*:/gm)].map((m) => ({ name: m[1], optional: m[2] === "?" }));
}

/** A service field's profile default: one value, or `public …, worker …` where the kinds differ. */
function serviceDefault(env: "prod" | "staging", field: string): string {
    const { public: pub, worker } = PROFILES[env].services as unknown as Record<string, Record<string, unknown>>;
    const base = (SERVICE_BASE_DEFAULTS as Record<string, unknown>)[field];
    const [p, w] = [pub[field] ?? base, worker[field] ?? base];
    if (p === undefined && w === undefined) return "";
    return JSON.stringify(p) === JSON.stringify(w) ? cell(p) : `public ${cell(p)}, worker ${cell(w)}`;
}

/** `baseline:services[]`: one row per field of a service entry, with each kind's default. */
function serviceRows(source: string, docs: Map<string, string>): string[] {
    return fieldsOf(source, "ServiceConfig").map(({ name, optional }) => {
        const prod = serviceDefault("prod", name) || (optional ? "unset" : "required");
        const staging = serviceDefault("staging", name) || prod;
        return `| \`baseline:services[].${name}\` | ${prod} | ${staging} | ${docs.get(`ServiceConfig.${name}`) ?? ""} |`;
    });
}

/** `baseline:parameters.<name>` and `baseline:appSecrets.<name>`: maps without profile defaults but the generator's. */
function settingRows(source: string, docs: Map<string, string>, key: string, iface: string): string[] {
    const defaults = key === "appSecrets" ? (APP_SECRET_DEFAULTS as unknown as Record<string, unknown>) : { secure: false };
    return fieldsOf(source, iface).map(({ name, optional }) => {
        const value = cell(defaults[name], optional);
        return `| \`baseline:${key}.<name>.${name}\` | ${value} | ${value} | ${docs.get(`${iface}.${name}`) ?? ""} |`;
    });
}

export function configReference(): string {
    const source = TYPE_FILES.map((f) => fs.readFileSync(f, "utf8")).join("\n");
    const docs = fieldDocs(source);
    const rows = ["| key | prod | staging | meaning |", "|---|---|---|---|"];
    rows.push(`| \`baseline:environment\` | \`"prod"\` | \`"staging"\` | Selects the profile below. |`);
    rows.push(`| \`baseline:protectStatefulResources\` | ${cell(PROFILES.prod.protectStatefulResources)} | ${cell(PROFILES.staging.protectStatefulResources)} | ${docs.get("BaselineConfig.protectStatefulResources")?.replace(/^`[^`]+`: /, "")} |`);
    for (const section of SECTIONS) {
        const iface = INTERFACES[section];
        for (const { name, optional } of fieldsOf(source, iface)) {
            const prod = (PROFILES.prod as Record<string, any>)[section]?.[name];
            const staging = (PROFILES.staging as Record<string, any>)[section]?.[name];
            const key = `baseline:${section}.${name}`;
            rows.push(`| \`${key}\` | ${cell(prod, optional)} | ${cell(staging, optional)} | ${docs.get(`${iface}.${name}`) ?? ""}${fixedNote(key)} |`);
        }
    }
    rows.push(...serviceRows(source, docs));
    rows.push(...settingRows(source, docs, "parameters", "ParameterConfig"), ...settingRows(source, docs, "appSecrets", "AppSecretConfig"));
    rows.push(`| \`aws:region\` | required | required | AWS region of the stack.${fixedNote("aws:region")} |`);
    rows.push("| `aws:defaultTags.tags` | required | required | Must hold `Environment` (equal to `baseline:environment`), `Project`, `Owner` and `CostCenter`; the provider puts them on every resource. |");
    return rows.join("\n");
}

/** One row per policy: name, default level, severity, catalogue rows, Security Hub controls. */
export function policyTable(): string {
    const rows = ["| policy | default level | severity | catalogue | Security Hub |", "|---|---|---|---|---|"];
    const tagged = (tags: string[] | undefined, prefix: string) => (tags ?? []).filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length)).join(", ");
    for (const p of ALL_POLICIES) {
        rows.push(`| \`${p.name}\` | ${p.enforcementLevel} | ${p.severity ?? ""} | ${tagged(p.tags, "catalogue:")} | ${tagged(p.tags, "securityhub:")} |`);
    }
    return rows.join("\n");
}

/** The README with the generated tables replaced by the current ones (each table ends at a blank line), and the coverage block. */
export function refreshedReadme(readme: string): string {
    const replaceTable = (text: string, header: string, table: string) => {
        const start = text.indexOf(header);
        if (start < 0) throw new Error(`README has no table starting with ${JSON.stringify(header)}`);
        const end = text.indexOf("\n\n", start);
        return text.slice(0, start) + table + (end < 0 ? "\n" : text.slice(end));
    };
    return replaceCoverage(replaceTable(replaceTable(readme, "| key | prod | staging | meaning |", configReference()), "| policy | default level |", policyTable()));
}

/** The Security Hub coverage (tools/coverage/), between its markers: it holds blank lines, so no table end to look for. */
export function securityHubCoverage(): string {
    return coverageSection(ALL_POLICIES);
}

function replaceCoverage(readme: string): string {
    const start = readme.indexOf(COVERAGE_START);
    const end = readme.indexOf(COVERAGE_END);
    if (start < 0 || end < start) throw new Error("README has no Security Hub coverage block (its start and end markers)");
    return readme.slice(0, start) + securityHubCoverage() + readme.slice(end + COVERAGE_END.length);
}

// `--write` refreshes README.md in place; without it the tables are printed.
if (require.main === module) {
    if (process.argv.includes("--write")) {
        const file = path.resolve(__dirname, "../README.md");
        fs.writeFileSync(file, refreshedReadme(fs.readFileSync(file, "utf8")));
    } else {
        console.log(`${configReference()}\n\n${policyTable()}\n\n${securityHubCoverage()}`);
    }
}
