import * as assert from "assert";
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { ALL_POLICIES } from "../policies/all";
import { parseArgs } from "../tools/check";
import { evaluate, resolvePolicyConfig } from "../tools/offline/evaluate";
import { runProgram } from "../tools/offline/run-program";
import { StackCheck, checkStack, policyConfigPath, readPolicyConfig, toEvalResource } from "../tools/offline/stack-check";
import { noncompliantProgram } from "./fixtures/noncompliant-program";
import { stackConfig } from "./harness";
import { UNKNOWN } from "./policies/helpers";

const check = (stack: string, opts: { firstPreview?: boolean; overrides?: Record<string, unknown> } = {}) =>
    checkStack({
        stack,
        policies: ALL_POLICIES,
        policyConfig: readPolicyConfig(policyConfigPath(stack)),
        firstPreview: opts.firstPreview,
        config: stackConfig(stack, opts.overrides ?? {}),
    });

const blockingPolicies = (c: StackCheck) => [...new Set(c.blocking.map((d) => d.policyName))].sort();

describe("offline check (issue 3 end to end)", () => {
    for (const stack of ["prod", "staging"]) {
        for (const firstPreview of [false, true]) {
            it(`${stack}${firstPreview ? " at first preview" : ""}: passes with no mandatory violation and no policy that could not run`, async () => {
                const c = await check(stack, { firstPreview });
                assert.deepStrictEqual(c.blocking, []);
                assert.deepStrictEqual(c.evaluation.diagnostics.filter((d) => d.cantRunDuringPreview), []);
                assert.ok(c.resources.length > 50, `expected the whole topology, got ${c.resources.length} resources`);
            });
        }
    }

    it("at first preview really sees unknown values (the mode is not a no-op)", async () => {
        const c = await check("prod", { firstPreview: true });
        const instance = c.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
        assert.strictEqual(instance.wireInputs.kmsKeyId, UNKNOWN);
    });

    it("rejects a prod configuration that drops availability and deletion protection, naming the policies", async () => {
        const c = await check("prod", { overrides: { "baseline:database": { multiAz: false, deletionProtection: false } } });
        assert.deepStrictEqual(blockingPolicies(c), ["rds-deletion-protection", "rds-multi-az"]);
    });

    it("rejects a non-compliant program: public database, unencrypted bucket, SSH open to the world, no backups", async () => {
        const run = await runProgram(noncompliantProgram, { stack: "prod", config: stackConfig("prod") });
        const config = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath("prod")));
        const { diagnostics } = await evaluate(run.resources.map(toEvalResource), { policies: ALL_POLICIES, config });
        const mandatory = new Set(diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policyName));
        for (const policy of [
            "rds-no-public-access",
            "rds-storage-encrypted",
            "rds-backup-retention",
            "rds-managed-master-password",
            "rds-final-snapshot",
            "s3-block-public-access",
            "s3-default-encryption",
            "s3-require-tls",
            "s3-versioning-lifecycle",
            "sg-no-public-sensitive-ports",
            "stateful-protect",
        ]) {
            assert.ok(mandatory.has(policy), `expected a mandatory ${policy} violation; got ${[...mandatory].sort().join(", ")}`);
        }
        const ssh = diagnostics.filter((d) => d.policyName === "sg-no-public-sensitive-ports").map((d) => d.message).join("\n");
        assert.match(ssh, /0\.0\.0\.0\/0/);
        assert.match(ssh, /::\/0/);
        assert.ok(!diagnostics.some((d) => d.message.includes("hunter2")), "a violation message must never print a secret");
    });

    describe("command line", () => {
        const root = path.resolve(__dirname, "..");
        const cli = (...args: string[]) =>
            promisify(execFile)(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "tools/check.ts", ...args], { cwd: root }).then(
                (r) => ({ code: 0, ...r }),
                (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
            );

        it("parses its arguments and rejects bad ones by name", () => {
            assert.deepStrictEqual(parseArgs(["--stack", "prod", "--first-preview", "--format", "sarif"]), { stack: "prod", firstPreview: true, format: "sarif" });
            assert.throws(() => parseArgs(["--stack", "prod", "--format", "xml"]), /--format "xml" is not allowed: expected one of text, json, sarif/);
            assert.throws(() => parseArgs([]), /--stack is required/);
            assert.throws(() => parseArgs(["--stack"]), /--stack needs a value/);
            assert.throws(() => parseArgs(["--stack", "prod", "--fast"]), /unknown argument "--fast"/);
        });

        it("writes SARIF 2.1.0 and exits 0 for a passing stack", async () => {
            const r = await cli("--stack", "staging", "--format", "sarif");
            assert.strictEqual(r.code, 0, r.stderr);
            const sarif = JSON.parse(r.stdout);
            assert.strictEqual(sarif.version, "2.1.0");
            assert.strictEqual(sarif.runs[0].tool.driver.name, "baseline-guardrails");
            assert.ok(sarif.runs[0].results.every((x: any) => x.level !== "error"));
            // Not vacuous: staging's deliberate downgrades are there, as warnings.
            const levels = (rule: string) => sarif.runs[0].results.filter((x: any) => x.ruleId === rule).map((x: any) => x.level);
            assert.deepStrictEqual([...new Set([...levels("rds-multi-az"), ...levels("rds-deletion-protection")])], ["warning"]);
            assert.ok(sarif.runs[0].results.every((x: any) => sarif.runs[0].tool.driver.rules.some((rule: any) => rule.id === x.ruleId)));
        });

        it("exits 1 when a mandatory violation remains, and 2 with a clear message on bad input", async () => {
            const failing = await cli("--stack", "staging", "--policy-config", path.join(root, "stacks", "prod.policy.json"), "--format", "json");
            assert.strictEqual(failing.code, 1);
            const report = JSON.parse(failing.stdout);
            assert.strictEqual(report.passed, false);
            assert.ok(report.diagnostics.some((d: any) => d.policyName === "rds-multi-az" && d.enforcementLevel === "mandatory"));

            const unknownStack = await cli("--stack", "qa");
            assert.strictEqual(unknownStack.code, 2);
            assert.match(unknownStack.stderr, /stack "qa" has no Pulumi\.qa\.yaml: known stacks are prod, staging/);
        });
    });
});
