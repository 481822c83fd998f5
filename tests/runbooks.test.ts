import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Run, runStack } from "./harness";

/**
 * The runbooks (docs/runbooks) stay true to the program: every alarm prod creates has its own section in
 * the alarm runbook (and no section describes an alarm that no longer exists), every `pulumi stack output`
 * a runbook runs names a real output (and every jq path into `services` a real field), and every relative
 * link, anchors included, lands on a file and a heading.
 */

const ROOT = path.join(__dirname, "..");
const RUNBOOKS = path.join(ROOT, "docs", "runbooks");
const ALARM_RUNBOOK = path.join(RUNBOOKS, "alarms.md");
const ALARM_TYPE = "aws:cloudwatch/metricAlarm:MetricAlarm";

const read = (file: string) => fs.readFileSync(file, "utf8");
const runbookFiles = () => fs.readdirSync(RUNBOOKS).filter((f) => f.endsWith(".md")).map((f) => path.join(RUNBOOKS, f));
/** Every document whose commands operators run against a stack: the runbooks and the disaster-recovery drill. */
const commandDocs = () => [...runbookFiles(), path.join(ROOT, "docs", "disaster-recovery.md")];
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** One `### \`<app>-<env>-...\`` section of the alarm runbook: its heading pattern and its text. */
export interface AlarmSection {
    pattern: string;
    body: string;
}

/** The sections whose heading is a backticked alarm name pattern, with the text up to the next heading. */
export function alarmSections(markdown: string): AlarmSection[] {
    const lines = markdown.split("\n");
    const sections: AlarmSection[] = [];
    let inFence = false;
    let current: AlarmSection | undefined;
    for (const line of lines) {
        if (line.startsWith("```")) inFence = !inFence;
        const heading = !inFence && /^#{1,6} /.test(line);
        if (heading) {
            const m = /^#{2,4} `([^`]+)`\s*$/.exec(line);
            current = m ? { pattern: m[1], body: "" } : undefined;
            if (current) sections.push(current);
        } else if (current) {
            current.body += line + "\n";
        }
    }
    return sections;
}

/**
 * A heading pattern as a regular expression over full alarm names: `<app>-<env>` is the stack's prefix,
 * `<service>` one of its services' names, `<n>` a node or instance number; everything else is literal.
 */
export function headingRegex(pattern: string, namePrefix: string, serviceNames: string[]): RegExp {
    const parts = pattern.split(/(<app>-<env>|<service>|<n>)/);
    const source = parts
        .map((p) =>
            p === "<app>-<env>" ? escapeRegex(namePrefix)
            : p === "<service>" ? `(?:${serviceNames.map(escapeRegex).join("|")})`
            : p === "<n>" ? "[1-9][0-9]*"
            : escapeRegex(p))
        .join("");
    return new RegExp(`^${source}$`);
}

/** A `pulumi stack output` command's property name (undefined when it lists every output). */
export function outputNameOf(command: string): string | undefined {
    const tokens = command.trim().split(/\s+/).slice(3); // after `pulumi stack output`
    const takesValue = new Set(["--stack", "-s", "--cwd", "-C", "--color"]);
    for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i];
        if (/^[|;&)]/.test(t) || t.startsWith("#")) return undefined;
        if (takesValue.has(t)) { i++; continue; }
        if (t.startsWith("-")) continue;
        return t.replace(/^["']|["']$/g, "");
    }
    return undefined;
}

/** Every `pulumi stack output ...` in the text (up to the end of its pipeline stage), and the jq path piped after it. */
export function stackOutputUses(text: string): { command: string; name: string | undefined; jqPath?: string }[] {
    const uses: { command: string; name: string | undefined; jqPath?: string }[] = [];
    const re = /pulumi stack output\b([^|\n`)]*)(?:\|\s*jq -r '([^']+)')?/g;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        uses.push({ command: `pulumi stack output${m[1]}`, name: outputNameOf(`pulumi stack output${m[1]}`), ...(m[2] ? { jqPath: m[2] } : {}) });
    }
    return uses;
}

/** The text of the fenced code blocks, the commands an operator runs. */
export function codeBlocks(markdown: string): string {
    const out: string[] = [];
    let inFence = false;
    for (const line of markdown.split("\n")) {
        if (line.startsWith("```")) { inFence = !inFence; continue; }
        if (inFence) out.push(line);
    }
    return out.join("\n");
}

/** GitHub's anchor for a heading: lowercase, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
    return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
}

/** The anchors of a Markdown file's headings (outside code fences). */
function anchorsOf(markdown: string): Set<string> {
    const anchors = new Set<string>();
    let inFence = false;
    for (const line of markdown.split("\n")) {
        if (line.startsWith("```")) inFence = !inFence;
        const m = !inFence && /^#{1,6} (.*)$/.exec(line);
        if (m) anchors.add(headingAnchor(m[1]));
    }
    return anchors;
}

/** Every relative link target in the text (no scheme, not a bare anchor), outside code fences. */
export function relativeLinks(markdown: string): string[] {
    const links: string[] = [];
    let inFence = false;
    for (const line of markdown.split("\n")) {
        if (line.startsWith("```")) { inFence = !inFence; continue; }
        if (inFence) continue;
        for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) {
            const target = m[1];
            if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
            links.push(target);
        }
    }
    return links;
}

describe("runbooks", function () {
    this.timeout(180_000);
    let prod: Run;
    let alarmNames: string[];
    let namePrefix: string;
    let serviceNames: string[];

    before(async () => {
        prod = await runStack("prod");
        alarmNames = prod.ofType(ALARM_TYPE).map((r) => String(r.inputs.name));
        namePrefix = String(prod.one("aws:ecs/cluster:Cluster").inputs.name);
        serviceNames = Object.keys(prod.outputs.services);
    });

    it("prod creates alarms of every kind the runbook covers (the check below is not vacuous)", () => {
        assert.ok(alarmNames.length >= 20, `only ${alarmNames.length} alarms`);
        assert.strictEqual(namePrefix, "pos-prod");
        assert.deepStrictEqual(serviceNames, ["api", "worker"]);
        for (const kind of ["service-api-", "service-worker-", "load-balancer-", "database-", "cache-node-1-", "documentdb-instance-1-"]) {
            assert.ok(alarmNames.some((n) => n.startsWith(`${namePrefix}-${kind}`)), `no ${kind} alarm in prod`);
        }
    });

    it("every alarm prod creates has its own section in docs/runbooks/alarms.md, and every section an alarm", () => {
        const sections = alarmSections(read(ALARM_RUNBOOK));
        assert.ok(sections.length > 0, "no alarm sections found");
        const regexes = sections.map((s) => ({ s, re: headingRegex(s.pattern, namePrefix, serviceNames) }));
        const missing = alarmNames.filter((name) => !regexes.some(({ re }) => re.test(name)));
        assert.deepStrictEqual(missing, [], `alarms without a section in docs/runbooks/alarms.md: ${missing.join(", ")}`);
        const twice = alarmNames.filter((name) => regexes.filter(({ re }) => re.test(name)).length > 1);
        assert.deepStrictEqual(twice, [], "alarms matched by more than one section");
        const stale = regexes.filter(({ re }) => !alarmNames.some((n) => re.test(n))).map(({ s }) => s.pattern);
        assert.deepStrictEqual(stale, [], "sections that describe no alarm the program creates");
    });

    it("every alarm section says what the alarm means, what to check first, and what to do", () => {
        for (const s of alarmSections(read(ALARM_RUNBOOK))) {
            for (const part of ["**Means**", "**First checks**", "**Then**"]) {
                assert.ok(s.body.includes(part), `${s.pattern}: no ${part}`);
            }
        }
    });

    it("every `pulumi stack output X` in the runbooks and the drill is a real output of prod, and every jq path into services a real field", () => {
        const outputs = prod.outputs as Record<string, unknown>;
        // Commands are what the code blocks hold; prose may name a placeholder or an output that does not exist yet.
        const uses = commandDocs().flatMap((file) => stackOutputUses(codeBlocks(read(file))).map((u) => ({ ...u, file: path.relative(ROOT, file) })));
        assert.ok(uses.filter((u) => u.name !== undefined).length >= 10, `only ${uses.length} uses found: the parser misses them`);
        for (const u of uses) {
            assert.ok(u.name !== undefined, `${u.file}: \`${u.command}\` names no output`);
            assert.ok(Object.prototype.hasOwnProperty.call(outputs, u.name!), `${u.file}: \`${u.command}\`: no output ${u.name} (outputs: ${Object.keys(outputs).join(", ")})`);
            assert.notStrictEqual(outputs[u.name!], undefined, `${u.file}: output ${u.name} is unset in prod`);
            if (u.jqPath !== undefined && u.name === "services") {
                const m = /^\.(\[\]|[a-z0-9-]+)\.([A-Za-z]+)$/.exec(u.jqPath);
                assert.ok(m, `${u.file}: jq path ${u.jqPath} into services is not .<service>.<field> or .[].<field>`);
                const entries = m![1] === "[]" ? Object.values(outputs.services as object) : [(outputs.services as Record<string, unknown>)[m![1]]];
                assert.ok(entries.length > 0 && entries.every((e) => e !== undefined && Object.prototype.hasOwnProperty.call(e, m![2])), `${u.file}: jq path ${u.jqPath} is not a field of the services output`);
            }
        }
    });

    it("every relative link in docs/runbooks resolves to a file, and its anchor to a heading there", () => {
        let count = 0;
        for (const file of runbookFiles()) {
            for (const link of relativeLinks(read(file))) {
                count++;
                const [target, anchor] = link.split("#");
                const resolved = target === "" ? file : path.resolve(path.dirname(file), target);
                assert.ok(fs.existsSync(resolved), `${path.relative(ROOT, file)}: link ${link} leads nowhere`);
                if (anchor !== undefined && resolved.endsWith(".md")) {
                    assert.ok(anchorsOf(read(resolved)).has(anchor), `${path.relative(ROOT, file)}: link ${link}: no heading #${anchor} in ${target || "this file"}`);
                }
            }
        }
        assert.ok(count >= 10, `only ${count} links found`);
    });

    it("the runbook index links every runbook, the existing secrets runbook and the disaster-recovery document", () => {
        const index = read(path.join(RUNBOOKS, "README.md"));
        const linked = new Set(relativeLinks(index).map((l) => path.resolve(RUNBOOKS, l.split("#")[0])));
        for (const file of [...runbookFiles().filter((f) => !f.endsWith("README.md")), path.join(ROOT, "docs", "disaster-recovery.md")]) {
            assert.ok(linked.has(file), `docs/runbooks/README.md does not link ${path.relative(ROOT, file)}`);
        }
    });
});

describe("runbook checks themselves", () => {
    it("a heading pattern matches only its own alarms", () => {
        const re = headingRegex("<app>-<env>-service-<service>-cpu", "pos-prod", ["api", "worker"]);
        assert.ok(re.test("pos-prod-service-api-cpu"));
        assert.ok(!re.test("pos-prod-service-api-memory"));
        assert.ok(!re.test("pos-prod-service-other-cpu"));
        assert.ok(!re.test("pos-staging-service-api-cpu"));
        assert.ok(headingRegex("<app>-<env>-cache-node-<n>-memory", "pos-prod", []).test("pos-prod-cache-node-12-memory"));
    });

    it("the output name is found past flags, and a bare listing names none", () => {
        assert.strictEqual(outputNameOf("pulumi stack output --stack prod backupVaultArn"), "backupVaultArn");
        assert.strictEqual(outputNameOf('pulumi stack output services --json --stack "$STACK"'), "services");
        assert.strictEqual(outputNameOf("pulumi stack output -s prod --json"), undefined);
        const uses = stackOutputUses(`X=$(pulumi stack output services --json --stack "$STACK" | jq -r '.api.serviceName')`);
        assert.deepStrictEqual(uses.map((u) => [u.name, u.jqPath]), [["services", ".api.serviceName"]]);
        assert.strictEqual(codeBlocks("`pulumi stack output x` is not exported\n```sh\npulumi stack output url\n```\n"), "pulumi stack output url");
    });

    it("anchors follow GitHub's rule", () => {
        assert.strictEqual(headingAnchor("Restore drill (PostgreSQL, quarterly)"), "restore-drill-postgresql-quarterly");
    });
});
