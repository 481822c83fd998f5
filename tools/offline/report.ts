import { Policies } from "@pulumi/policy";
import { Diagnostic } from "./evaluate";
import { StackCheck } from "./stack-check";

/** Readable, JSON and SARIF renderings of one stack's check. */

const SEVERITY_ORDER = ["critical", "high", "medium", "low", undefined] as const;
const resourceOf = (urn?: string) => (urn ? urn.split("::").slice(-2).join("::").replace(/^.*\$/, "") : "(stack)");
const firstLine = (d: Diagnostic) => (d.message.startsWith(`${d.description}\n`) ? d.message.slice(d.description.length + 1) : d.message);

export function summary(check: StackCheck) {
    const ds = check.evaluation.diagnostics;
    return {
        resources: check.resources.length,
        mandatory: ds.filter((d) => d.enforcementLevel === "mandatory").length,
        advisory: ds.filter((d) => d.enforcementLevel === "advisory").length,
        exempted: ds.filter((d) => d.message.startsWith("Exempted (")).length,
        unverifiable: ds.filter((d) => d.message.startsWith("Cannot verify during preview")).length,
        cantRun: ds.filter((d) => d.cantRunDuringPreview).length,
        blocking: check.blocking.length,
    };
}

export function textReport(check: StackCheck, firstPreview: boolean): string {
    const lines: string[] = [];
    const s = summary(check);
    lines.push(`Offline policy check of stack "${check.stack}"${firstPreview ? " (first preview: every output of another resource unknown)" : ""}`);
    lines.push("", `Resources (${s.resources}) by type:`);
    const counts = new Map<string, number>();
    for (const r of check.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    for (const [type, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${String(n).padStart(4)}  ${type}`);

    const ds = check.evaluation.diagnostics;
    lines.push("", ds.length === 0 ? "No policy violations." : "Policy violations by severity:");
    for (const severity of SEVERITY_ORDER) {
        const group = ds.filter((d) => d.severity === severity).sort((a, b) => (a.enforcementLevel === b.enforcementLevel ? a.policyName.localeCompare(b.policyName) : a.enforcementLevel === "mandatory" ? -1 : 1));
        if (group.length === 0) continue;
        lines.push("", `  ${(severity ?? "unrated").toUpperCase()} (${group.length})`);
        for (const d of group) {
            lines.push(`  [${d.enforcementLevel}] ${d.policyName}  ${resourceOf(d.urn)}`);
            lines.push(`      ${firstLine(d)}`);
            if (d.remediationSteps) lines.push(`      fix: ${d.remediationSteps}`);
        }
    }
    lines.push(
        "",
        `Summary: ${s.mandatory} mandatory, ${s.advisory} advisory (${s.exempted} exempted, ${s.unverifiable} unverifiable during preview), ` +
            `${s.cantRun} policies that could not run; program ${check.seconds.program.toFixed(2)} s, policies ${check.seconds.policies.toFixed(2)} s.`,
        check.blocking.length === 0 ? "Result: PASS" : `Result: FAIL (${check.blocking.length} blocking)`,
    );
    return lines.join("\n");
}

export function jsonReport(check: StackCheck, firstPreview: boolean): string {
    return JSON.stringify(
        {
            stack: check.stack,
            firstPreview,
            passed: check.blocking.length === 0,
            summary: summary(check),
            resources: check.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name, protect: r.protect, retainOnDelete: r.retainOnDelete })),
            diagnostics: check.evaluation.diagnostics.map((d) => ({ ...d, message: firstLine(d) })),
            seconds: check.seconds,
        },
        null,
        2,
    );
}

const sarifLevel = (d: Diagnostic) => (d.enforcementLevel === "mandatory" ? "error" : d.cantRunDuringPreview || d.enforcementLevel === "advisory" ? "warning" : "note");

/** SARIF 2.1.0 for code-scanning upload; results point at the stack's config file, the resource as a logical location. */
export function sarifReport(check: StackCheck, policies: Policies, version: string): string {
    const used = new Set(check.evaluation.diagnostics.map((d) => d.policyName));
    const rules = policies.filter((p) => used.has(p.name)).map((p) => ({
        id: p.name,
        name: p.name,
        shortDescription: { text: p.description },
        fullDescription: { text: p.description },
        ...(p.url ? { helpUri: p.url } : {}),
        help: { text: p.remediationSteps ?? p.description },
        defaultConfiguration: { level: p.enforcementLevel === "mandatory" ? "error" : "warning" },
        properties: { tags: p.tags ?? [], severity: p.severity },
    }));
    const results = check.evaluation.diagnostics.map((d) => ({
        ruleId: d.policyName,
        level: sarifLevel(d),
        message: { text: firstLine(d) },
        locations: [
            {
                physicalLocation: { artifactLocation: { uri: `Pulumi.${check.stack}.yaml` }, region: { startLine: 1 } },
                logicalLocations: [{ fullyQualifiedName: d.urn ?? `stack:${check.stack}`, kind: "resource" }],
            },
        ],
    }));
    return JSON.stringify(
        {
            $schema: "https://json.schemastore.org/sarif-2.1.0.json",
            version: "2.1.0",
            runs: [{ tool: { driver: { name: "baseline-guardrails", version, informationUri: "https://www.pulumi.com/docs/using-pulumi/crossguard/", rules } }, results }],
        },
        null,
        2,
    );
}
