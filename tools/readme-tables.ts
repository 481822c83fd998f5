/**
 * Prints the README's generated tables from the code that defines them: the configuration reference
 * (JSDoc of infra/config/types.ts, defaults of stacks/profiles.json) and the policy list (the pack's own
 * metadata). tests/readme.test.ts fails when the README drifts from this output, so defaults and
 * levels cannot be documented one way and coded another.
 * Usage: npx ts-node --transpile-only tools/readme-tables.ts
 */
import * as fs from "fs";
import * as path from "path";
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
            rows.push(`| \`baseline:${section}.${field}\` | ${cell(prod)} | ${cell(staging)} | ${docs.get(`${iface}.${field}`) ?? ""} |`);
        }
    }
    rows.push("| `aws:region` | required | required | AWS region of the stack. |");
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

if (require.main === module) console.log(`${configReference()}\n\n${policyTable()}`);
