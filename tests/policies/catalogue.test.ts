import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ALL_POLICIES } from "../../policies/all";

/**
 * The pack must cover every row of the project's guardrail catalogue (docs/policy-catalogue.md, its
 * requirements document): each row by at least one policy at the row's default level, tagged with
 * the row's Security Hub controls; and every catalogue id a policy cites must be a row of it. A row
 * added to the catalogue fails here until it is built.
 */
interface Row {
    id: string;
    level: "mandatory" | "advisory";
    securityHub: string[];
}

interface PolicyMeta {
    name: string;
    enforcementLevel?: string;
    tags?: string[];
}

const CATALOGUE = path.resolve(__dirname, "../../docs/policy-catalogue.md");
const catalogueText = () => fs.readFileSync(CATALOGUE, "utf8");

/** The table's body lines (all but its header and separator), whether or not the parser understands them. */
const idLines = (text: string) => text.split("\n").filter((l) => l.startsWith("|") && !l.startsWith("| id |") && !/^\|[-| ]+\|$/.test(l));

function catalogueRows(text: string): Row[] {
    const rows: Row[] = [];
    for (const line of text.split("\n")) {
        // "| id | resource type(s) | check | level | AG | CN | SH | CK |": eight columns between the outer bars.
        const cells = line.split("|").map((c) => c.trim());
        if (cells.length !== 10 || !/^[a-z][a-z0-9]*-\d+$/.test(cells[1])) continue;
        const [, id, , , level, , , sh] = cells;
        if (level !== "M" && level !== "A") continue;
        const securityHub = sh === "—" ? [] : sh.split("/").map((c, i, all) => {
            // "EC2.55/56/57" and "RDS.13/17" abbreviate the service after the first id.
            const clean = c.replace("*", "").trim();
            return /^\d+$/.test(clean) ? `${all[0].split(".")[0]}.${clean}` : clean;
        });
        rows.push({ id, level: level === "M" ? "mandatory" : "advisory", securityHub });
    }
    return rows;
}

const tagsOf = (prefix: string, tags: string[] | undefined) => (tags ?? []).filter((t) => t.startsWith(prefix)).map((t) => t.slice(prefix.length));

/** Why a row is not covered by the policies (empty when it is). */
function rowProblems(row: Row, policies: readonly PolicyMeta[]): string[] {
    const implementing = policies.filter((p) => tagsOf("catalogue:", p.tags).includes(row.id));
    if (implementing.length === 0) return [`no policy implements ${row.id}`];
    const problems: string[] = [];
    if (!implementing.some((p) => p.enforcementLevel === row.level)) {
        problems.push(`${row.id} is ${row.level} in the catalogue; its policies are ${implementing.map((p) => `${p.name} (${p.enforcementLevel})`).join(", ")}`);
    }
    const controls = new Set(implementing.flatMap((p) => tagsOf("securityhub:", p.tags)));
    for (const control of row.securityHub) {
        if (!controls.has(control)) problems.push(`${row.id} should carry Security Hub control ${control}; has ${[...controls].join(", ") || "none"}`);
    }
    return problems;
}

/** Catalogue ids cited by policies that the catalogue does not have (a deleted or misspelt row). */
function unknownCitations(rows: readonly Row[], policies: readonly PolicyMeta[]): string[] {
    const ids = new Set(rows.map((r) => r.id));
    return policies.flatMap((p) => tagsOf("catalogue:", p.tags).filter((id) => !ids.has(id)).map((id) => `${p.name} cites ${id}, which is not a catalogue row`));
}

/** Security Hub controls a policy cites that none of its catalogue rows lists (the catalogue fell behind the pack). */
function uncatalogued(rows: readonly Row[], policies: readonly PolicyMeta[]): string[] {
    const byId = new Map(rows.map((r) => [r.id, r]));
    return policies.flatMap((p) => {
        const cited = tagsOf("catalogue:", p.tags).map((id) => byId.get(id)).filter((r): r is Row => r !== undefined);
        if (cited.length === 0) return [];
        const listed = new Set(cited.flatMap((r) => r.securityHub));
        return tagsOf("securityhub:", p.tags).filter((c) => !listed.has(c)).map((c) => `${p.name} cites ${c}, which none of its rows (${cited.map((r) => r.id).join(", ")}) lists`);
    });
}

describe("policy catalogue coverage", () => {
    const text = catalogueText();
    const rows = catalogueRows(text);

    it("reads every row of the catalogue", () => {
        assert.ok(idLines(text).length > 0, `${CATALOGUE} has no rows`);
        assert.strictEqual(rows.length, idLines(text).length);
        assert.deepStrictEqual(rows.map((r) => r.id).filter((id, i, all) => all.indexOf(id) !== i), [], "duplicate row ids");
    });

    for (const row of rows) {
        it(`${row.id}: implemented at ${row.level}${row.securityHub.length ? `, tagged ${row.securityHub.join(", ")}` : ""}`, () => {
            assert.deepStrictEqual(rowProblems(row, ALL_POLICIES), []);
        });
    }

    it("cites only rows the catalogue has", () => {
        assert.deepStrictEqual(unknownCitations(rows, ALL_POLICIES), []);
    });

    it("lists in its rows every Security Hub control their policies cite", () => {
        assert.deepStrictEqual(uncatalogued(rows, ALL_POLICIES), []);
    });

    it("names every policy uniquely, in kebab-case, with remediation steps", () => {
        const names = ALL_POLICIES.map((p) => p.name);
        assert.deepStrictEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
        for (const p of ALL_POLICIES) {
            assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.ok((p.remediationSteps ?? "").length > 20, `${p.name} needs remediation steps`);
            assert.ok(p.severity, `${p.name} needs a severity`);
        }
    });
});

/** The checks above on a pack or catalogue with one defect planted, so they are known to fail. */
describe("policy catalogue coverage: the checks catch", () => {
    const text = catalogueText();
    const rows = catalogueRows(text);
    const row = (id: string) => rows.find((r) => r.id === id)!;
    /** The pack with one policy's metadata replaced. */
    const withPolicy = (name: string, change: (p: PolicyMeta) => PolicyMeta): PolicyMeta[] =>
        ALL_POLICIES.map((p) => (p.name === name ? change({ name: p.name, enforcementLevel: p.enforcementLevel, tags: [...(p.tags ?? [])] }) : p));

    it("a row no policy implements", () => {
        const pack = withPolicy("rds-postgres-force-ssl", (p) => ({ ...p, tags: p.tags!.filter((t) => t !== "catalogue:rds-13") }));
        assert.deepStrictEqual(rowProblems(row("rds-13"), pack), ["no policy implements rds-13"]);
    });

    it("a row implemented at the wrong level", () => {
        const pack = withPolicy("rds-no-public-access", (p) => ({ ...p, enforcementLevel: "advisory" }));
        assert.deepStrictEqual(rowProblems(row("rds-01"), pack), ["rds-01 is mandatory in the catalogue; its policies are rds-no-public-access (advisory)"]);
    });

    it("a row whose Security Hub control no policy carries, also the abbreviated ids (RDS.13/17)", () => {
        assert.deepStrictEqual(row("rds-09").securityHub, ["RDS.13", "RDS.17"]);
        const pack = withPolicy("rds-minor-upgrades-and-snapshot-tags", (p) => ({ ...p, tags: p.tags!.filter((t) => t !== "securityhub:RDS.17") }));
        assert.deepStrictEqual(rowProblems(row("rds-09"), pack), ["rds-09 should carry Security Hub control RDS.17; has RDS.13"]);
    });

    it("a control a policy cites that its rows do not list", () => {
        const pack = withPolicy("rds-final-snapshot", (p) => ({ ...p, tags: [...p.tags!, "securityhub:RDS.99"] }));
        assert.deepStrictEqual(uncatalogued(rows, pack), ["rds-final-snapshot cites RDS.99, which none of its rows (rds-16) lists"]);
    });

    it("a row deleted from the catalogue that a policy still cites", () => {
        const shorter = catalogueRows(text.split("\n").filter((l) => !l.startsWith("| rds-16 |")).join("\n"));
        assert.strictEqual(shorter.length, rows.length - 1);
        assert.deepStrictEqual(unknownCitations(shorter, ALL_POLICIES), ["rds-final-snapshot cites rds-16, which is not a catalogue row"]);
    });

    it("a row the parser cannot read (a missing column, an unknown level)", () => {
        for (const broken of [text.replace(/^(\| rds-16 \|.*\|) — \|$/m, "$1"), text.replace(/^(\| rds-16 \|[^|]*\|[^|]*\|) M \|/m, "$1 mandatory |")]) {
            assert.notStrictEqual(broken, text);
            assert.strictEqual(catalogueRows(broken).length, idLines(broken).length - 1);
        }
    });
});
