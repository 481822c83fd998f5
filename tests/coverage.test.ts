import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Policies } from "@pulumi/policy";
import { ALL_POLICIES } from "../policies/all";
import { FSBP_CONTROLS, OTHER_CONTROLS, SERVICES, controlKey, serviceOf } from "../tools/coverage/fsbp-controls";
import { GAPS, UNDECIDABLE } from "../tools/coverage/classification";
import { AWSGUARD, COMPLIANCE_READY, OTHER_PACKS } from "../tools/coverage/other-packs";
import { citations, classify, coverageDetails, coverageProblems, coverageSummary } from "../tools/coverage/generate";
import { prunedSource } from "../tools/coverage/prune";
import { CDK_NAG_RULES, CHECKOV_CHECKS, NOT_ANCHORS } from "../tools/coverage/anchor-rules";

/**
 * The README's Security Hub coverage must stay true as policies are added: every control a policy
 * cites is one AWS documents (a typo'd id fails), and every FSBP control of the data is accounted for
 * exactly once: covered (a policy cites it), undecidable from a preview (with why), or a gap.
 */

/** A policy carrying only what the coverage reads: its name and its tags. */
const citing = (name: string, ...controls: string[]) => ({ name, tags: controls.map((c) => `securityhub:${c}`) }) as unknown as Policies[number];

describe("Security Hub coverage data", () => {
    const allIds = [...FSBP_CONTROLS, ...OTHER_CONTROLS].map(([id]) => id);

    it("holds each control once, as Service.N, titled, under a service of the tables", () => {
        const keys = allIds.map(controlKey);
        assert.deepStrictEqual(keys.filter((k, i) => keys.indexOf(k) !== i), [], "a control listed twice");
        assert.deepStrictEqual(allIds.filter((id) => !/^[A-Za-z][A-Za-z0-9]*\.[1-9]\d*$/.test(id)), []);
        assert.deepStrictEqual([...FSBP_CONTROLS, ...OTHER_CONTROLS].filter(([, title]) => title.trim().length < 10).map(([id]) => id), []);
        assert.deepStrictEqual(allIds.filter((id) => serviceOf(id) === undefined), []);
    });

    it("has a one-line reason for every undecidable control and a note for every gap", () => {
        for (const [list, entries] of [["UNDECIDABLE", UNDECIDABLE], ["GAPS", GAPS]] as const) {
            for (const [id, note] of Object.entries(entries)) {
                assert.ok(note.trim().length > 15 && !note.includes("\n"), `${list} ${id}: ${JSON.stringify(note)}`);
            }
        }
    });

    it("knows every Security Hub control a policy of the pack cites", () => {
        const known = new Set(allIds.map(controlKey));
        const unknown = [...citations(ALL_POLICIES)].filter(([key]) => !known.has(key)).map(([key, names]) => `${key} (${names.join(", ")})`);
        assert.deepStrictEqual(unknown, [], "cited controls missing from tools/coverage/fsbp-controls.ts");
    });

    it("classifies every FSBP control exactly once: covered by a policy, undecidable, or a gap", () => {
        assert.deepStrictEqual(coverageProblems(ALL_POLICIES), []);
        const rows = classify(ALL_POLICIES).filter((r) => r.fsbp);
        assert.deepStrictEqual(rows.map((r) => r.id), FSBP_CONTROLS.map(([id]) => id));
        assert.ok(rows.every((r) => !r.detail.some((d) => d.startsWith("unclassified"))));
    });

    it("reports a typo'd id, and a control cited by a policy while listed as undecidable or a gap", () => {
        const undecidable = Object.keys(UNDECIDABLE)[0];
        const gap = Object.keys(GAPS)[0];
        const problems = coverageProblems([...ALL_POLICIES, citing("typo-policy", "S3.99"), citing("new-policy", undecidable, gap)]);
        assert.deepStrictEqual(problems, [
            "typo-policy cites s3.99, which tools/coverage/fsbp-controls.ts does not hold: a typo, or a control to add from AWS's documentation.",
            `UNDECIDABLE names ${controlKey(undecidable)}, which new-policy now covers: remove it from UNDECIDABLE.`,
            `GAPS names ${controlKey(gap)}, which new-policy now covers: remove it from GAPS.`,
        ]);
    });

    it("reports a control in neither list nor cited, a control in both lists, and list entries that are not FSBP controls", () => {
        const [gapId, note] = Object.entries(GAPS)[0];
        const { [gapId]: _dropped, ...withoutGap } = GAPS;
        const undecidableId = Object.keys(UNDECIDABLE)[0];
        const problems = coverageProblems(ALL_POLICIES, {
            undecidable: { ...UNDECIDABLE, [gapId]: note, "S3.4": "retired, not in FSBP any more" },
            gaps: { ...withoutGap, [undecidableId]: "listed twice", "Lambda.3": "another standard's control" },
        });
        assert.deepStrictEqual(problems, [
            "UNDECIDABLE names s3.4, which is not an FSBP control of tools/coverage/fsbp-controls.ts.",
            "GAPS names lambda.3, which is not an FSBP control of tools/coverage/fsbp-controls.ts.",
            `${undecidableId} is in both UNDECIDABLE and GAPS.`,
        ]);
        const missing = coverageProblems(ALL_POLICIES, { undecidable: UNDECIDABLE, gaps: withoutGap });
        assert.deepStrictEqual(missing, [`${gapId} is neither cited by a policy nor in UNDECIDABLE or GAPS (tools/coverage/classification.ts).`]);
        const uncited = coverageProblems(ALL_POLICIES.filter((p) => !(p.tags ?? []).includes(`securityhub:${coveredId()}`)));
        assert.ok(uncited.includes(`${coveredId()} is neither cited by a policy nor in UNDECIDABLE or GAPS (tools/coverage/classification.ts).`), uncited.join("\n"));
        assert.deepStrictEqual(classify(ALL_POLICIES, { undecidable: UNDECIDABLE, gaps: withoutGap }).find((r) => r.id === gapId)?.detail, ["unclassified: add it to tools/coverage/classification.ts"]);
    });

    it("matches control ids without case (AWS writes Autoscaling.5 beside AutoScaling.3), and nothing looser", () => {
        const rows = classify([citing("asg-public-ip", "AutoScaling.5")]);
        assert.deepStrictEqual(rows.find((r) => r.id === "Autoscaling.5")?.detail, ["asg-public-ip"]);
        assert.deepStrictEqual(coverageProblems([citing("spaced", "S3 .1"), citing("prefixed", "AWS.S3.1")]).filter((p) => /spaced|prefixed/.test(p)).length, 2);
    });

    it("counts a cited control of another standard as covered, outside the FSBP counts", () => {
        const [otherId] = OTHER_CONTROLS[0];
        const rows = classify([citing("other-standard", otherId)]);
        assert.deepStrictEqual(rows.filter((r) => !r.fsbp).map((r) => [r.id, r.status, r.detail]), [[otherId, "covered", ["other-standard"]]]);
        assert.strictEqual(rows.filter((r) => r.fsbp).length, FSBP_CONTROLS.length);
    });
});

describe("Security Hub coverage tables", () => {
    const rows = classify(ALL_POLICIES);
    const summary = coverageSummary(rows);
    const details = coverageDetails(rows);

    it("sum, in the last row, the rows of every service", () => {
        const lines = summary.split("\n").slice(2).map((l) => l.split("|").slice(2, -1).map((c) => Number(c.replace(/\*/g, ""))));
        const total = lines.pop()!;
        const sums = total.map((_, i) => lines.reduce((s, l) => s + l[i], 0));
        assert.deepStrictEqual(total, sums);
        assert.strictEqual(total[0], FSBP_CONTROLS.length);
        assert.strictEqual(total[1] + total[2] + total[3], total[0], "covered + undecidable + gaps = FSBP controls");
    });

    it("give every FSBP control one row in its service's details, saying which policies cover it", () => {
        const ids = details.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| control |")).map((l) => l.split(" | ")[0].slice(2));
        assert.deepStrictEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], "a control with two rows");
        assert.deepStrictEqual(FSBP_CONTROLS.map(([id]) => id).filter((id) => !ids.includes(id)), [], "FSBP controls without a row");
        const covered = rows.find((r) => r.status === "covered" && r.fsbp)!;
        assert.ok(details.includes(`| ${covered.id} | `) && details.includes(`covered by ${covered.detail.map((n) => `\`${n}\``).join(", ")}`));
        const [undecidableId, reason] = Object.entries(UNDECIDABLE)[0];
        assert.ok(details.split("\n").some((l) => l.startsWith(`| ${undecidableId} |`) && l.includes(`cannot be decided from a preview: ${reason.replace(/\*/g, "\\*")}`)));
    });

    it("keep each service's per-control detail collapsed, one block per service", () => {
        assert.strictEqual((details.match(/<details><summary>/g) ?? []).length, SERVICES.length);
        assert.match(details, /<details><summary>MemoryDB: no Security Hub control in the stored AWS documentation<\/summary>/);
        assert.match(details, /<details><summary>CloudWatch: no FSBP control, \d+ of other standards covered<\/summary>/);
        assert.match(details, /\| DocumentDB\.1 \| .* \| covered by `rds-storage-encrypted` \|/);
    });
});

describe("Pruning the lists when policies cover their controls", () => {
    it("drops exactly the entries of covered controls, whatever their case, and keeps every other line", () => {
        const source = [
            "export const GAPS = {",
            '    // "S3.6": a comment, not an entry',
            '    "S3.6": "a note.",',
            '    "Autoscaling.5": "a note.",',
            '    "EC2.1": "a note with "S3.6": inside.",',
            "};",
        ].join("\n");
        const { source: pruned, removed } = prunedSource(source, new Set(["s3.6", "autoscaling.5"]));
        assert.deepStrictEqual(removed, ["S3.6", "Autoscaling.5"]);
        assert.strictEqual(pruned, ["export const GAPS = {", '    // "S3.6": a comment, not an entry', '    "EC2.1": "a note with "S3.6": inside.",', "};"].join("\n"));
    });

    it("leaves the real lists as they are while the pack covers none of their controls", () => {
        const file = fs.readFileSync(path.resolve(__dirname, "../tools/coverage/classification.ts"), "utf8");
        const { source, removed } = prunedSource(file, new Set(citations(ALL_POLICIES).keys()));
        assert.deepStrictEqual(removed, []);
        assert.strictEqual(source, file);
    });
});

describe("Pulumi's packs, as read from their source", () => {
    it("counts 28 awsguard policies and 97 compliance-ready policies, each once, under services of the tables", () => {
        assert.strictEqual(Object.values(AWSGUARD.checks).flat().length, 28);
        assert.strictEqual(Object.values(COMPLIANCE_READY.checks).flat().length, 97);
        const names = new Set(SERVICES.map((s) => s.name));
        for (const pack of OTHER_PACKS) {
            assert.deepStrictEqual(Object.keys(pack.checks).filter((s) => s !== "other" && !names.has(s)), [], pack.name);
            for (const [service, checks] of Object.entries(pack.checks)) {
                assert.deepStrictEqual(checks.filter((c, i) => checks.indexOf(c) !== i), [], `${pack.name} ${service}`);
            }
            assert.match(pack.source.commit, /^[0-9a-f]{40}$/);
        }
    });
});

/** A control exactly one policy cites, so dropping that policy leaves it unaccounted for. */
function coveredId(): string {
    const single = [...citations(ALL_POLICIES)].find(([key, names]) => names.length === 1 && FSBP_CONTROLS.some(([id]) => controlKey(id) === key))!;
    return FSBP_CONTROLS.find(([id]) => controlKey(id) === single[0])![0];
}

/**
 * The catalogue's CN (cdk-nag) and CK (Checkov) columns name rules of other tools; tools/coverage/anchor-rules.ts
 * holds those rules as their sources define them. A cited id must be there (an id written from memory, or
 * mistyped, is not), and a row must not cite a rule recorded as checking something else than the row.
 */
describe("The catalogue's cdk-nag and Checkov anchors", () => {
    const CATALOGUE = path.resolve(__dirname, "../docs/policy-catalogue.md");

    /** Row id → the ids its CN and CK cells cite, abbreviations expanded ("AS-AEC3/AEC6", "CKV_AWS_43/185", "N:CloudTrail*"). */
    function anchors(text: string): Map<string, { cn: string[]; ck: string[] }> {
        const rows = new Map<string, { cn: string[]; ck: string[] }>();
        for (const line of text.split("\n")) {
            const cells = line.split("|").map((c) => c.trim());
            if (cells.length !== 10 || !/^[a-z][a-z0-9]*-\d+$/.test(cells[1])) continue;
            const expand = (cell: string, prefixOf: (first: string) => string) =>
                cell === "—" ? [] : cell.split(/,\s*/).flatMap((group) => {
                    const [first, ...rest] = group.split("/");
                    return [first, ...rest.map((r) => prefixOf(first) + r)];
                });
            rows.set(cells[1], {
                cn: expand(cells[6], (first) => (first.startsWith("AS-") ? "AS-" : "N:")),
                ck: expand(cells[8], (first) => first.replace(/\d+$/, "")),
            });
        }
        return rows;
    }

    const knownCn = (id: string) => (id.endsWith("*") ? Object.keys(CDK_NAG_RULES).some((k) => k.startsWith(id.slice(0, -1))) : id in CDK_NAG_RULES);

    it("cites only rules their sources define, and the data holds no rule the catalogue does not cite", () => {
        const rows = anchors(fs.readFileSync(CATALOGUE, "utf8"));
        assert.ok(rows.size > 100);
        const unknown = [...rows].flatMap(([id, { cn, ck }]) => [...cn.filter((a) => !knownCn(a)), ...ck.filter((a) => !(a in CHECKOV_CHECKS))].map((a) => `${id}: ${a}`));
        assert.deepStrictEqual(unknown, []);
        const cited = [...rows.values()].flatMap(({ cn, ck }) => [...cn, ...ck]);
        const citedBy = (k: string) => cited.some((a) => a === k || (a.endsWith("*") && k.startsWith(a.slice(0, -1))));
        assert.deepStrictEqual([...Object.keys(CDK_NAG_RULES), ...Object.keys(CHECKOV_CHECKS)].filter((k) => !citedBy(k)), []);
    });

    it("never cites, for a row, a rule recorded as checking something else", () => {
        const rows = anchors(fs.readFileSync(CATALOGUE, "utf8"));
        const misread = Object.entries(NOT_ANCHORS).flatMap(([row, rules]) => {
            assert.ok(rows.has(row), `NOT_ANCHORS names ${row}, which is not a catalogue row`);
            const { cn, ck } = rows.get(row)!;
            return Object.keys(rules).filter((r) => cn.includes(r) || ck.includes(r)).map((r) => `${row} cites ${r}: ${rules[r]}`);
        });
        assert.deepStrictEqual(misread, []);
    });

    it("expands the abbreviations the catalogue uses", () => {
        const rows = anchors("| x-01 | t | c | M | — | AS-AEC3/AEC6, N:CloudTrail* | — | CKV_AWS_43/185, CKV2_AWS_4 |");
        assert.deepStrictEqual(rows.get("x-01"), { cn: ["AS-AEC3", "AS-AEC6", "N:CloudTrail*"], ck: ["CKV_AWS_43", "CKV_AWS_185", "CKV2_AWS_4"] });
    });
});
