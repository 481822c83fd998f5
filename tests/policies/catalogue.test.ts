import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ALL_POLICIES } from "../../policies/all";

/**
 * The pack must cover every row of the shared guardrail catalogue (../shared/policy-catalogue.md,
 * beside the repository in CI): each row by at least one policy at the row's default level, tagged
 * with the row's Security Hub controls. A row added to the catalogue fails here until it is built.
 */
interface Row {
    id: string;
    level: "mandatory" | "advisory";
    securityHub: string[];
}

const CATALOGUE = path.resolve(__dirname, "../../../shared/policy-catalogue.md");

function catalogueRows(): Row[] {
    const rows: Row[] = [];
    for (const line of fs.readFileSync(CATALOGUE, "utf8").split("\n")) {
        const cells = line.split("|").map((c) => c.trim());
        if (cells.length < 9 || !/^[a-z]+-\d+$/.test(cells[1])) continue;
        const [, id, , , level, , , sh] = cells;
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

describe("policy catalogue coverage", () => {
    const rows = catalogueRows();

    it("reads every row of the catalogue", () => {
        const idLines = fs.readFileSync(CATALOGUE, "utf8").split("\n").filter((l) => /^\| [a-z]+-\d+ \|/.test(l));
        assert.ok(idLines.length > 0);
        assert.strictEqual(rows.length, idLines.length);
    });

    for (const row of rows) {
        it(`${row.id}: implemented at ${row.level}${row.securityHub.length ? `, tagged ${row.securityHub.join(", ")}` : ""}`, () => {
            const policies = ALL_POLICIES.filter((p) => tagsOf("catalogue:", p.tags).includes(row.id));
            assert.ok(policies.length > 0, `no policy implements ${row.id}`);
            assert.ok(
                policies.some((p) => p.enforcementLevel === row.level),
                `${row.id} is ${row.level} in the catalogue; its policies are ${policies.map((p) => `${p.name} (${p.enforcementLevel})`).join(", ")}`,
            );
            const controls = new Set(policies.flatMap((p) => tagsOf("securityhub:", p.tags)));
            for (const control of row.securityHub) assert.ok(controls.has(control), `${row.id} should carry Security Hub control ${control}; has ${[...controls].join(", ") || "none"}`);
        });
    }

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
