import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { ALL_POLICIES } from "../policies/all";
import { ecrScanOnPushRemediation } from "../policies/compute/ecr";
import { s3BlockPublicAccessRemediation } from "../policies/storage/access";
import { parseArgs } from "../tools/check";
import { evaluate, resolvePolicyConfig } from "../tools/offline/evaluate";
import { remediate, remediationReport } from "../tools/offline/remediate";
import { runProgram } from "../tools/offline/run-program";
import { policyConfigPath, readPolicyConfig, toEvalResource } from "../tools/offline/stack-check";
import { stackConfig } from "./harness";

/** The pack with the two remediation-only companions, whether or not policies/all.ts lists them yet. */
const COMPANIONS = [s3BlockPublicAccessRemediation, ecrScanOnPushRemediation];
const PACK = [...ALL_POLICIES, ...COMPANIONS.filter((c) => !ALL_POLICIES.some((p) => p.name === c.name))];

/** One resource of each kind the pack remediates, each out of line, beside others it must leave alone. */
function fixableProgram() {
    new aws.kms.Key("app-key", { enableKeyRotation: false, description: "application data" });
    new aws.kms.Key("signing-key", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" });
    new aws.cloudwatch.LogGroup("app-logs", { retentionInDays: 30 });
    new aws.cloudwatch.LogGroup("audit-logs", {});
    new aws.ecr.Repository("shop", { name: "shop", imageScanningConfiguration: { scanOnPush: false } });
    const bucket = new aws.s3.Bucket("assets", { bucket: "assets-bkt" });
    new aws.s3.BucketPublicAccessBlock("assets-pab", { bucket: bucket.id, blockPublicAcls: true, ignorePublicAcls: true });
    // A website's block, opened on purpose: the remediation leaves it to the program (s3-block-public-access still refuses it).
    const site = new aws.s3.Bucket("site", { bucket: "site-bkt" });
    new aws.s3.BucketPublicAccessBlock("site-pab", { bucket: site.id, blockPublicPolicy: false, restrictPublicBuckets: false });
    new aws.lb.LoadBalancer("web", { loadBalancerType: "application", subnets: ["subnet-a", "subnet-b"], dropInvalidHeaderFields: false });
    new aws.lb.LoadBalancer("nlb", { loadBalancerType: "network", subnets: ["subnet-a", "subnet-b"] });
    new aws.rds.Instance("db", {
        engine: "postgres", instanceClass: "db.t4g.micro", allocatedStorage: 20, username: "app",
        password: pulumi.secret("hunter2hunter2"), copyTagsToSnapshot: false, storageEncrypted: true,
    });
    return {};
}

const urn = (type: string, name: string) => `urn:pulumi:prod::baseline::${type}::${name}`;

describe("check --remediate", () => {
    let resources: ReturnType<typeof toEvalResource>[];
    const config = () => resolvePolicyConfig(PACK, readPolicyConfig(policyConfigPath("prod")));
    before(async () => {
        const run = await runProgram(fixableProgram, { stack: "prod", config: stackConfig("prod") });
        if (run.error) throw run.error;
        resources = run.resources.map(toEvalResource);
    });

    it("shows every remediation the pack would make on a noncompliant stack, as a diff, with prod's retention minimum", async () => {
        const run = await remediate(resources, { policies: PACK, config: config(), asIfRemediate: true });
        assert.strictEqual(remediationReport(run), [
            "Remediations the pack would make (6; nothing applied):",
            "", `  ${urn("aws:cloudwatch/logGroup:LogGroup", "app-logs")}`, "    logs-retention", "      - retentionInDays: 30", "      + retentionInDays: 365",
            "", `  ${urn("aws:ecr/repository:Repository", "shop")}`, "    ecr-scan-on-push-remediation", "      - imageScanningConfiguration.scanOnPush: false", "      + imageScanningConfiguration.scanOnPush: true",
            "", `  ${urn("aws:kms/key:Key", "app-key")}`, "    kms-key-rotation", "      - enableKeyRotation: false", "      + enableKeyRotation: true",
            "", `  ${urn("aws:lb/loadBalancer:LoadBalancer", "web")}`, "    alb-drop-invalid-headers", "      - dropInvalidHeaderFields: false", "      + dropInvalidHeaderFields: true",
            "", `  ${urn("aws:rds/instance:Instance", "db")}`, "    rds-minor-upgrades-and-snapshot-tags", "      - copyTagsToSnapshot: false", "      + copyTagsToSnapshot: true",
            "", `  ${urn("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "assets-pab")}`, "    s3-block-public-access-remediation",
            "      + blockPublicPolicy: true", "      + restrictPublicBuckets: true",
        ].join("\n"));
        assert.ok(!remediationReport(run).includes("hunter2"), "a diff must never print a secret");
    });

    it("changes nothing at the stack's own levels (no policy is at remediate), and applies nothing to the resources", async () => {
        const before = JSON.stringify(resources);
        const run = await remediate(resources, { policies: PACK, config: config() });
        assert.deepStrictEqual(run.remediations, []);
        assert.strictEqual(JSON.stringify(resources), before);
    });

    it("the remediated stack passes the validations the remediations answer, but for the retention never lowered and the block opened on purpose; the secret stays a secret", async () => {
        const VALIDATIONS = ["alb-drop-invalid-headers", "ecr-scan-on-push", "kms-key-rotation", "logs-retention", "rds-minor-upgrades-and-snapshot-tags", "s3-block-public-access"];
        const findings = async (rs: typeof resources) =>
            (await evaluate(rs, { policies: PACK, config: config() })).diagnostics.filter((d) => VALIDATIONS.includes(d.policyName)).map((d) => `${d.policyName} ${d.urn?.split("::").pop()}`);
        assert.deepStrictEqual([...new Set(await findings(resources))].sort(), [
            "alb-drop-invalid-headers web", "ecr-scan-on-push shop", "kms-key-rotation app-key", "logs-retention app-logs", "logs-retention audit-logs",
            "rds-minor-upgrades-and-snapshot-tags db", "s3-block-public-access assets", "s3-block-public-access site",
        ]);
        const fixed = await remediate(resources, { policies: PACK, config: config(), asIfRemediate: true });
        assert.deepStrictEqual([...new Set(await findings(fixed.resources))].sort(), ["logs-retention audit-logs", "s3-block-public-access site"]);
        const db = fixed.resources.find((r) => r.name === "db")!;
        assert.deepStrictEqual(db.props.password, resources.find((r) => r.name === "db")!.props.password);
        assert.strictEqual(db.props.password["4dabf18193072939515e22adb298388d"], "1b47061264138c4ac30d75fd1eb44270");
    });

    it("parses --remediate, and refuses it with SARIF", () => {
        assert.deepStrictEqual(parseArgs(["--stack", "prod", "--remediate"]), { stack: "prod", firstPreview: false, format: "text", remediate: true });
        assert.deepStrictEqual(parseArgs(["--stack", "prod", "--format", "json", "--remediate"]).remediate, true);
        assert.strictEqual(parseArgs(["--stack", "prod"]).remediate, undefined);
        assert.throws(() => parseArgs(["--stack", "prod", "--format", "sarif", "--remediate"]), /--remediate is not allowed with --format sarif: expected --format text or json/);
        assert.throws(() => parseArgs(["--stack", "prod", "--remediate", "yes"]), /unknown argument "yes"/);
    });

    it("keeps the exit code: 1 while a mandatory violation remains, with the remediations in the JSON report", async () => {
        const root = path.resolve(__dirname, "..");
        const args = ["--stack", "staging", "--policy-config", path.join(root, "stacks", "prod.policy.json"), "--format", "json", "--remediate"];
        const r = await promisify(execFile)(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "tools/check.ts", ...args], { cwd: root }).then(
            (x) => ({ code: 0, stdout: x.stdout }),
            (e) => ({ code: e.code as number, stdout: e.stdout as string }),
        );
        assert.strictEqual(r.code, 1);
        const report = JSON.parse(r.stdout);
        assert.strictEqual(report.passed, false);
        assert.deepStrictEqual([Array.isArray(report.remediations), Array.isArray(report.remediationsCantRun)], [true, true]);
        // Staging's 30-day log groups under prod's 365-day minimum: what every enabled remediation would change, not only those at remediate.
        const raised = report.remediations.filter((r: any) => r.policyName === "logs-retention");
        assert.ok(raised.length > 0, "--remediate shows the remediations of policies not at the remediate level");
        assert.ok(raised.every((r: any) => r.diff.join(" | ") === "- retentionInDays: 30 | + retentionInDays: 365"), JSON.stringify(raised));
    });
});
