/**
 * Issue 11: one example per application (examples/*.yaml), each a stack settings file in the
 * Pulumi.<stack>.yaml format, and `npm run check -- --stack <s> --config <file>` to try one before a
 * stack exists. All four examples are prod-shaped (`baseline:environment: prod`) and are checked against
 * the prod policy config (stacks/prod.policy.json), the strict one.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { ALL_POLICIES } from "../policies/all";
import { parseArgs } from "../tools/check";
import { RecordedResource, StackConfigError, loadStackConfig, loadStackConfigFile } from "../tools/offline/run-program";
import { StackCheck, checkStack, policyConfigPath, readPolicyConfig } from "../tools/offline/stack-check";

const ROOT = path.resolve(__dirname, "..");
const EXAMPLES = path.join(ROOT, "examples");
const example = (name: string) => path.join(EXAMPLES, `${name}.yaml`);

const SERVICE = "aws:ecs/service:Service";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const DOCDB = "aws:docdb/cluster:Cluster";
const RDS = "aws:rds/instance:Instance";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const BUDGET = "aws:budgets/budget:Budget";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const PARAMETER = "aws:ssm/parameter:Parameter";
const DISTRIBUTION = "aws:cloudfront/distribution:Distribution";

const ofType = (c: StackCheck, type: string) => c.resources.filter((r: RecordedResource) => r.type === type);
const names = (c: StackCheck, type: string) => ofType(c, type).map((r) => r.inputs.name as string).sort();

/** What each example must show beyond passing: the application's shape, read from the synthesized resources. */
const SHAPES: Record<string, { services: string[]; publicServices: string[]; documentDb: boolean; check(c: StackCheck): void }> = {
    "web-app": {
        services: ["shop-prod-web"],
        publicServices: ["web"],
        documentDb: false,
        check(c) {
            assert.strictEqual(ofType(c, RDS).length, 1, "PostgreSQL");
            assert.strictEqual(ofType(c, REDIS).length, 1, "Redis");
        },
    },
    "web-worker": {
        services: ["docs-portal-prod-web", "docs-portal-prod-worker"],
        publicServices: ["web"],
        documentDb: false,
        check(c) {
            // SSM settings: every declared parameter under /<app>/<env>/, the secret one as SecureString.
            const params = ofType(c, PARAMETER).map((r) => [r.inputs.name, r.inputs.type]).sort();
            assert.deepStrictEqual(params, [
                ["/docs-portal/prod/RENDER_CONCURRENCY", "String"],
                ["/docs-portal/prod/SEARCH_INDEX_URL", "String"],
                ["/docs-portal/prod/SMTP_PASSWORD", "SecureString"],
            ]);
            // HTTPS redirect: every CloudFront behaviour redirects HTTP to HTTPS.
            const [dist] = ofType(c, DISTRIBUTION);
            const behaviours = [dist.inputs.defaultCacheBehavior, ...(dist.inputs.orderedCacheBehaviors ?? [])];
            assert.ok(behaviours.every((b: any) => b.viewerProtocolPolicy === "redirect-to-https"), JSON.stringify(behaviours.map((b: any) => b.viewerProtocolPolicy)));
        },
    },
    "saas-api": {
        services: ["ledger-prod-api", "ledger-prod-worker"],
        publicServices: ["api"],
        documentDb: false,
        check(c) {
            const [budget] = ofType(c, BUDGET);
            assert.strictEqual(Number(budget.inputs.limitAmount), 2500);
            assert.ok(ofType(c, ALARM).length >= 10, `expected the alarms, got ${ofType(c, ALARM).length}`);
            // The tuned threshold reached an alarm: CPU of the database at 70%.
            assert.ok(ofType(c, ALARM).some((a) => a.inputs.metricName === "CPUUtilization" && a.inputs.namespace === "AWS/RDS" && a.inputs.threshold === 70));
        },
    },
    "point-of-sale": {
        services: ["pos-prod-api", "pos-prod-worker"],
        publicServices: ["api"],
        documentDb: true,
        check(c) {
            assert.strictEqual(ofType(c, RDS).length, 1, "PostgreSQL");
            assert.strictEqual(ofType(c, REDIS).length, 1, "Redis");
        },
    },
};

describe("examples (issue 11: one per application)", () => {
    it("holds exactly the four applications' examples", () => {
        assert.deepStrictEqual(fs.readdirSync(EXAMPLES).filter((f) => f.endsWith(".yaml")).sort(), Object.keys(SHAPES).map((n) => `${n}.yaml`).sort());
    });

    it("point-of-sale is what Pulumi.prod.yaml is today (the same config, key for key)", () => {
        assert.deepStrictEqual(loadStackConfigFile(example("point-of-sale")), loadStackConfig("prod"));
    });

    for (const [name, shape] of Object.entries(SHAPES)) {
        describe(name, () => {
            let c: StackCheck;
            before(async function () {
                this.timeout(120_000);
                // checkStack throws if the program does (its own config validation included).
                c = await checkStack({ stack: "prod", config: loadStackConfigFile(example(name)), policies: ALL_POLICIES, policyConfig: readPolicyConfig(policyConfigPath("prod")) });
            });

            it("is a prod stack with no Pulumi secret in it (no secure: ciphertext at any depth)", () => {
                const config = loadStackConfigFile(example(name));
                assert.strictEqual(config["baseline:environment"], "prod");
                // A Pulumi secret is `secure: <ciphertext>` at any depth (`--secret --path` nests it); a
                // parameter's `secure: true` (SecureString, value set out of band) is the only `secure` allowed.
                const ciphertexts: string[] = [];
                const walk = (v: unknown, at: string): void => {
                    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}[${i}]`));
                    else if (v && typeof v === "object")
                        for (const [k, x] of Object.entries(v)) (k === "secure" && typeof x === "string" ? ciphertexts.push(at) : walk(x, `${at}.${k}`));
                };
                walk(yaml.load(fs.readFileSync(example(name), "utf8")), "");
                assert.deepStrictEqual(ciphertexts, []);
            });

            it("synthesizes under mocks and passes the offline check with the prod policy config", () => {
                assert.deepStrictEqual(c.blocking, []);
                assert.deepStrictEqual(c.evaluation.diagnostics.filter((d) => d.enforcementLevel === "mandatory"), []);
                assert.ok(c.resources.length > 50, `expected the whole topology, got ${c.resources.length} resources`);
            });

            it("has the application's shape: its services, which are public, and its data stores", () => {
                assert.deepStrictEqual(names(c, SERVICE), shape.services);
                assert.strictEqual(ofType(c, TARGET_GROUP).length, shape.publicServices.length, "one target group per public service, none for a worker");
                assert.strictEqual(ofType(c, DOCDB).length, shape.documentDb ? 1 : 0, "DocumentDB cluster");
                shape.check(c);
            });
        });
    }

    describe("npm run check -- --config <file>", () => {
        const cli = (...args: string[]) =>
            promisify(execFile)(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "tools/check.ts", ...args], { cwd: ROOT }).then(
                (r) => ({ code: 0, ...r }),
                (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
            );
        let tmp: string;
        before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "baseline-config-"))));
        after(() => fs.rmSync(tmp, { recursive: true, force: true }));

        it("parses --config and requires its value; --stack is still required", () => {
            assert.deepStrictEqual(parseArgs(["--stack", "prod", "--config", "examples/web-worker.yaml"]), {
                stack: "prod", firstPreview: false, format: "text", config: "examples/web-worker.yaml",
            });
            assert.ok(!("config" in parseArgs(["--stack", "prod"])), "config is set only when given");
            assert.throws(() => parseArgs(["--stack", "prod", "--config"]), /--config needs a value/);
            assert.throws(() => parseArgs(["--stack", "prod", "--config", "--first-preview"]), /--config needs a value/);
            assert.throws(() => parseArgs(["--config", "examples/web-worker.yaml"]), /--stack is required/);
        });

        it("reads a missing, unreadable, non-YAML, config-less or secret-holding file as a clear error naming it", () => {
            const write = (file: string, text: string) => (fs.writeFileSync(path.join(tmp, file), text), path.join(tmp, file));
            const missing = path.join(tmp, "absent.yaml");
            assert.throws(() => loadStackConfigFile(missing), (e: Error) => e instanceof StackConfigError && e.message === `config file ${missing} cannot be read: no such file`);
            assert.throws(() => loadStackConfigFile(tmp), (e: Error) => e instanceof StackConfigError && e.message === `config file ${tmp} cannot be read: it is a directory`);
            const bad = write("bad.yaml", "config:\n  a: [1,\n");
            assert.throws(() => loadStackConfigFile(bad), (e: Error) => e instanceof StackConfigError && e.message.startsWith(`config file ${bad} is not valid YAML`));
            for (const text of ["", "baseline:environment: prod\n", "config: [1, 2]\n", "config:\n"]) {
                const f = write("noconfig.yaml", text);
                assert.throws(() => loadStackConfigFile(f), (e: Error) => e instanceof StackConfigError && e.message.startsWith(`config file ${f} has no config: map`), JSON.stringify(text));
            }
            const secret = write("secret.yaml", "config:\n  baseline:token:\n    secure: AAABAxyz\n");
            assert.throws(() => loadStackConfigFile(secret), (e: Error) => e instanceof StackConfigError && e.message.includes(secret) && /baseline:token is a secret/.test(e.message));
        });

        it("checks an example by path and exits 0, using the file's config instead of Pulumi.<stack>.yaml", async () => {
            const r = await cli("--stack", "prod", "--config", "examples/web-worker.yaml", "--format", "json");
            assert.strictEqual(r.code, 0, r.stderr);
            const report = JSON.parse(r.stdout);
            assert.strictEqual(report.passed, true);
            // The example's application, not the prod stack's (pos).
            const urns: string[] = report.resources.map((x: any) => x.urn);
            assert.ok(urns.some((u) => u.endsWith("::app-settings-param-SEARCH_INDEX_URL")), "the example's SSM setting");
            assert.ok(!urns.some((u) => u.endsWith("::app-settings-param-PAYMENT_GATEWAY_API_KEY")), "not Pulumi.prod.yaml's");
        });

        it("exits 2 naming the file when it is missing, and 2 with the program's message when the config is invalid", async () => {
            const missing = await cli("--stack", "prod", "--config", "examples/nope.yaml");
            assert.strictEqual(missing.code, 2);
            assert.strictEqual(missing.stderr.trim(), "config file examples/nope.yaml cannot be read: no such file");

            const invalid = path.join(tmp, "invalid.yaml");
            fs.writeFileSync(invalid, fs.readFileSync(example("web-app"), "utf8").replace("cidrBlock: 10.30.0.0/16", "cidrBlock: 10.30.0.0/8"));
            const r = await cli("--stack", "prod", "--config", invalid);
            assert.strictEqual(r.code, 2);
            assert.match(r.stderr, /baseline:network\.cidrBlock = "10\.30\.0\.0\/8" is not allowed/);
        });

        it("with --stack staging judges the file by stacks/staging.policy.json (the policy config still follows --stack)", async () => {
            // A staging-shaped file passes with staging's policy config and fails prod's (Multi-AZ, deletion protection).
            const staging = path.join(tmp, "staging.yaml");
            fs.copyFileSync(path.join(ROOT, "Pulumi.staging.yaml"), staging);
            assert.strictEqual((await cli("--stack", "staging", "--config", staging)).code, 0);
            const prod = await cli("--stack", "prod", "--config", staging, "--format", "json");
            assert.strictEqual(prod.code, 1);
            assert.ok(JSON.parse(prod.stdout).diagnostics.some((d: any) => d.policyName === "rds-multi-az" && d.enforcementLevel === "mandatory"));
        });
    });
});
