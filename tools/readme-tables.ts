/**
 * Prints the README's generated tables from the code that defines them: the configuration reference
 * (JSDoc of infra/config/types.ts, defaults of stacks/profiles.json) and the policy list (the pack's own
 * metadata). tests/readme.test.ts fails when the README drifts from this output, so defaults and
 * levels cannot be documented one way and coded another.
 * Usage: npx ts-node --transpile-only tools/readme-tables.ts [--write]
 */
import * as fs from "fs";
import * as path from "path";
import { FIXED_SETTINGS } from "../infra/config/fixed-settings";
import { SECTIONS } from "../infra/config/types";
import { ALL_POLICIES } from "../policies/all";
import { PROFILES } from "../infra/config/profiles";

const TYPES_FILE = path.resolve(__dirname, "../infra/config/types.ts");

/** `interface XConfig { /** doc *\/ key: type; }` → { "XConfig.key": "doc" } */
export function fieldDocs(source: string): Map<string, string> {
    const docs = new Map<string, string>();
    for (const [, iface, body] of source.matchAll(/export interface (\w+) \{([\s\S]*?)\n\}/g)) {
        for (const [, doc, key] of body.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(\w+)\s*:/g)) {
            docs.set(`${iface}.${key}`, doc.replace(/\n\s*\*/g, " ").replace(/\s+/g, " ").trim());
        }
    }
    return docs;
}

const INTERFACES: Record<string, string> = {
    app: "AppConfig", network: "NetworkConfig", database: "DatabaseConfig", cache: "CacheConfig", documentDb: "DocumentDbConfig",
    storage: "StorageConfig", domain: "DomainConfig", alerts: "AlertsConfig", logs: "LogsConfig", kms: "KmsConfig",
};

/** Settings AWS applies only by replacement: the guard stops a change, the table says so. */
const fixedNote = (key: string) => (key in FIXED_SETTINGS ? ` **Fixed once created**: a change would replace ${FIXED_SETTINGS[key]}.` : "");

const cell = (v: unknown) => (v === undefined ? "required" : `\`${JSON.stringify(v)}\``);

/** Fields of a section in declaration order (from the source), so the table reads like the types. */
function fieldsOf(source: string, iface: string): string[] {
    const body = new RegExp(`export interface ${iface} \\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1] ?? "";
    return [...body.matchAll(/^\s{4}(\w+)\s*:/gm)].map((m) => m[1]);
}

export function configReference(): string {
    const source = fs.readFileSync(TYPES_FILE, "utf8");
    const docs = fieldDocs(source);
    const rows = ["| key | prod | staging | meaning |", "|---|---|---|---|"];
    rows.push(`| \`baseline:environment\` | \`"prod"\` | \`"staging"\` | Selects the profile below. |`);
    rows.push(`| \`baseline:protectStatefulResources\` | ${cell(PROFILES.prod.protectStatefulResources)} | ${cell(PROFILES.staging.protectStatefulResources)} | ${docs.get("BaselineConfig.protectStatefulResources")?.replace(/^`[^`]+`: /, "")} |`);
    for (const section of SECTIONS) {
        const iface = INTERFACES[section];
        for (const field of fieldsOf(source, iface)) {
            const prod = (PROFILES.prod as Record<string, any>)[section]?.[field];
            const staging = (PROFILES.staging as Record<string, any>)[section]?.[field];
            const key = `baseline:${section}.${field}`;
            rows.push(`| \`${key}\` | ${cell(prod)} | ${cell(staging)} | ${docs.get(`${iface}.${field}`) ?? ""}${fixedNote(key)} |`);
        }
    }
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

/** The README with both generated tables replaced by the current ones (each table ends at a blank line). */
export function refreshedReadme(readme: string): string {
    const replaceTable = (text: string, header: string, table: string) => {
        const start = text.indexOf(header);
        if (start < 0) throw new Error(`README has no table starting with ${JSON.stringify(header)}`);
        const end = text.indexOf("\n\n", start);
        return text.slice(0, start) + table + (end < 0 ? "\n" : text.slice(end));
    };
    return replaceTable(replaceTable(readme, "| key | prod | staging | meaning |", configReference()), "| policy | default level |", policyTable());
}

// `--write` refreshes README.md in place; without it the tables are printed.
if (require.main === module) {
    if (process.argv.includes("--write")) {
        const file = path.resolve(__dirname, "../README.md");
        fs.writeFileSync(file, refreshedReadme(fs.readFileSync(file, "utf8")));
    } else {
        console.log(`${configReference()}\n\n${policyTable()}`);
    }
}
