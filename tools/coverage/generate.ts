/**
 * The README's Security Hub coverage, computed from the pack's own metadata: a control is covered
 * when a policy of ALL_POLICIES cites it (its `securityhub:<id>` tags), never because a list says so.
 * The rest of each service's FSBP controls come from tools/coverage/classification.ts (undecidable
 * from a preview, or a gap), and Pulumi's packs from tools/coverage/other-packs.ts.
 * tools/readme-tables.ts writes the output into the README; tests/coverage.test.ts checks the data.
 */
import { Policies } from "@pulumi/policy";
import { FSBP_CONTROLS, OTHER_CONTROLS, SERVICES, controlKey, serviceOf } from "./fsbp-controls";
import { GAPS, UNDECIDABLE } from "./classification";
import { OTHER_PACKS, OtherPack } from "./other-packs";

export type Status = "covered" | "undecidable" | "gap";

export interface ControlRow {
    id: string;
    title: string;
    service: string;
    /** In the FSBP standard; other rows are controls of other standards that a policy cites. */
    fsbp: boolean;
    status: Status;
    /** Policy names (covered), or the reason / note from classification.ts. */
    detail: string[];
}

/** Control key (lower case) → the names of the policies citing it, in pack order. */
export function citations(policies: Policies): Map<string, string[]> {
    const cited = new Map<string, string[]>();
    for (const p of policies) {
        for (const tag of p.tags ?? []) {
            if (!tag.startsWith("securityhub:")) continue;
            const key = controlKey(tag.slice("securityhub:".length));
            const names = cited.get(key) ?? [];
            if (!names.includes(p.name)) names.push(p.name);
            cited.set(key, names);
        }
    }
    return cited;
}

const byKey = (entries: Readonly<Record<string, string>>) => new Map(Object.entries(entries).map(([id, note]) => [controlKey(id), note]));

/** The two lists of tools/coverage/classification.ts (tests pass edited copies). */
export interface Lists {
    undecidable: Readonly<Record<string, string>>;
    gaps: Readonly<Record<string, string>>;
}
const LISTS: Lists = { undecidable: UNDECIDABLE, gaps: GAPS };

/** Every FSBP control of the data, then every cited control of other standards, each with its status. */
export function classify(policies: Policies, lists: Lists = LISTS): ControlRow[] {
    const cited = citations(policies);
    const undecidable = byKey(lists.undecidable);
    const gaps = byKey(lists.gaps);
    const rows: ControlRow[] = [];
    for (const [id, title] of FSBP_CONTROLS) {
        const key = controlKey(id);
        const service = serviceOf(id) ?? "";
        const names = cited.get(key);
        if (names) rows.push({ id, title, service, fsbp: true, status: "covered", detail: names });
        else if (undecidable.has(key)) rows.push({ id, title, service, fsbp: true, status: "undecidable", detail: [undecidable.get(key)!] });
        else if (gaps.has(key)) rows.push({ id, title, service, fsbp: true, status: "gap", detail: [gaps.get(key)!] });
        else rows.push({ id, title, service, fsbp: true, status: "gap", detail: ["unclassified: add it to tools/coverage/classification.ts"] });
    }
    for (const [id, title] of OTHER_CONTROLS) {
        const names = cited.get(controlKey(id));
        if (names) rows.push({ id, title, service: serviceOf(id) ?? "", fsbp: false, status: "covered", detail: names });
    }
    return rows;
}

/**
 * Everything that makes the data dishonest, one sentence each (empty when all is well): a cited id the
 * data does not know (a typo, or a control to add with its source), an FSBP control in neither list or
 * in both, a listed control that a policy now covers, or a list entry that names no FSBP control.
 */
export function coverageProblems(policies: Policies, lists: Lists = LISTS): string[] {
    const problems: string[] = [];
    const fsbp = new Set(FSBP_CONTROLS.map(([id]) => controlKey(id)));
    const known = new Set([...fsbp, ...OTHER_CONTROLS.map(([id]) => controlKey(id))]);
    const cited = citations(policies);
    for (const [key, names] of cited) {
        if (!known.has(key)) problems.push(`${names.join(", ")} cite${names.length > 1 ? "" : "s"} ${key}, which tools/coverage/fsbp-controls.ts does not hold: a typo, or a control to add from AWS's documentation.`);
    }
    const undecidable = byKey(lists.undecidable);
    const gaps = byKey(lists.gaps);
    for (const [list, entries] of [["UNDECIDABLE", undecidable], ["GAPS", gaps]] as const) {
        for (const key of entries.keys()) {
            if (!fsbp.has(key)) problems.push(`${list} names ${key}, which is not an FSBP control of tools/coverage/fsbp-controls.ts.`);
            else if (cited.has(key)) problems.push(`${list} names ${key}, which ${cited.get(key)!.join(", ")} now cover${cited.get(key)!.length > 1 ? "" : "s"}: remove it from ${list}.`);
        }
    }
    for (const [id] of FSBP_CONTROLS) {
        const key = controlKey(id);
        const places = [cited.has(key), undecidable.has(key), gaps.has(key)].filter(Boolean).length;
        if (places === 0) problems.push(`${id} is neither cited by a policy nor in UNDECIDABLE or GAPS (tools/coverage/classification.ts).`);
        if (undecidable.has(key) && gaps.has(key)) problems.push(`${id} is in both UNDECIDABLE and GAPS.`);
    }
    return problems;
}

const md = (text: string) => text.replace(/\|/g, "\\|").replace(/\*/g, "\\*");
const code = (names: string[]) => names.map((n) => `\`${n}\``).join(", ");

interface Counts { fsbp: number; covered: number; undecidable: number; gaps: number; other: number }

function countsOf(rows: ControlRow[]): Counts {
    const fsbp = rows.filter((r) => r.fsbp);
    return {
        fsbp: fsbp.length,
        covered: fsbp.filter((r) => r.status === "covered").length,
        undecidable: fsbp.filter((r) => r.status === "undecidable").length,
        gaps: fsbp.filter((r) => r.status === "gap").length,
        other: rows.filter((r) => !r.fsbp).length,
    };
}

const checksOf = (pack: OtherPack, service: string) => (pack.checks[service] ?? []).length;

/** One row per service: FSBP controls covered / undecidable / gaps, and the checks of Pulumi's packs. */
export function coverageSummary(rows: ControlRow[]): string {
    const head = ["service", "FSBP controls", "covered", "cannot be decided from a preview", "gaps", "other standards covered", ...OTHER_PACKS.map((p) => `${p.name} checks`)];
    const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`];
    const cells = (name: string, c: Counts, packs: number[]) => `| ${name} | ${c.fsbp} | ${c.covered} | ${c.undecidable} | ${c.gaps} | ${c.other} | ${packs.join(" | ")} |`;
    for (const { name } of SERVICES) {
        lines.push(cells(name, countsOf(rows.filter((r) => r.service === name)), OTHER_PACKS.map((p) => checksOf(p, name))));
    }
    lines.push(cells("other services", { fsbp: 0, covered: 0, undecidable: 0, gaps: 0, other: 0 }, OTHER_PACKS.map((p) => checksOf(p, "other"))));
    const all = countsOf(rows);
    lines.push(`| **all** | **${all.fsbp}** | **${all.covered}** | **${all.undecidable}** | **${all.gaps}** | **${all.other}** | ${OTHER_PACKS.map((p) => `**${Object.values(p.checks).flat().length}**`).join(" | ")} |`);
    return lines.join("\n");
}

function detailCell(r: ControlRow): string {
    if (r.status === "covered") return `covered by ${code(r.detail)}${r.fsbp ? "" : " (not in FSBP)"}`;
    if (r.status === "undecidable") return `cannot be decided from a preview: ${md(r.detail[0])}`;
    const uncited = /^Uncited: (.*)$/.exec(r.detail[0]);
    return uncited ? `gap, checked but not cited: ${md(uncited[1])}` : `gap: ${md(r.detail[0])}`;
}

/** Per service, a collapsed table of its controls and what the pack does about each. */
export function coverageDetails(rows: ControlRow[]): string {
    const blocks: string[] = [];
    for (const { name } of SERVICES) {
        const mine = rows.filter((r) => r.service === name);
        const c = countsOf(mine);
        const others = c.other ? `, ${c.other} of other standards covered` : "";
        const summary = c.fsbp === 0 && c.other === 0
            ? `${name}: no Security Hub control in the stored AWS documentation`
            : c.fsbp === 0
              ? `${name}: no FSBP control${others}`
              : `${name}: ${c.covered} of ${c.fsbp} FSBP controls covered, ${c.undecidable} undecidable, ${c.gaps} gaps${others}`;
        if (mine.length === 0) {
            blocks.push(`<details><summary>${summary}</summary>\n\nNo control to list.\n\n</details>`);
            continue;
        }
        const table = ["| control | title | this pack |", "|---|---|---|", ...mine.map((r) => `| ${r.id} | ${md(r.title)} | ${detailCell(r)} |`)];
        blocks.push(`<details><summary>${summary}</summary>\n\n${table.join("\n")}\n\n</details>`);
    }
    return blocks.join("\n\n");
}

/** What each of Pulumi's packs is, where it was read, and what its source shows. */
export function otherPackNotes(): string {
    return OTHER_PACKS.map((p) =>
        `- ${p.name} (${p.source.repo} at ${p.source.commit.slice(0, 7)}, ${p.source.date}; ${p.source.paths}): ${p.findings.join(" ")}`,
    ).join("\n");
}

export const COVERAGE_START = "<!-- security-hub-coverage:start (generated by tools/readme-tables.ts) -->";
export const COVERAGE_END = "<!-- security-hub-coverage:end -->";

/** The generated block of the README's coverage section, markers included. */
export function coverageSection(policies: Policies): string {
    const rows = classify(policies);
    return [COVERAGE_START, coverageSummary(rows), otherPackNotes(), coverageDetails(rows), COVERAGE_END].join("\n\n");
}
