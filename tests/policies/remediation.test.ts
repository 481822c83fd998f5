import * as aws from "@pulumi/aws";
import { Policies, ResourceValidationPolicy, Secret, unknownCheckingProxy } from "@pulumi/policy";
import * as assert from "assert";
import { rdsMinorUpgradesAndSnapshotTags } from "../../policies/data/database-operations";
import { ecrScanOnPush, ecrScanOnPushRemediation } from "../../policies/compute/ecr";
import { kmsKeyRotation } from "../../policies/security/kms";
import { resourcePolicy } from "../../policies/lib/define";
import { remediationOnly } from "../../policies/lib/remediation";
import { albDropInvalidHeaders } from "../../policies/edge/loadbalancer";
import { logsRetention } from "../../policies/operations/logging";
import { s3BlockPublicAccess, s3BlockPublicAccessRemediation } from "../../policies/storage/access";
import { EvalResource, resolvePolicyConfig } from "../../tools/offline/evaluate";
import { diffLines, remediate } from "../../tools/offline/remediate";
import { goodInstance } from "./database-fixtures";
import { UNKNOWN, UNKNOWN_BOOL, UNKNOWN_NUMBER, res, run, secret } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { deserializeProperties } = require("@pulumi/policy/deserialize");

type Policy = ResourceValidationPolicy;

/** The policy at level remediate, through the offline Remediate call: the remediated resource and the diff. */
async function fix(policy: Policy, r: EvalResource, config: Record<string, unknown> = {}) {
    const cfg = resolvePolicyConfig([policy], { [policy.name]: { enforcementLevel: "remediate", ...config } });
    const out = await remediate([r], { policies: [policy], config: cfg });
    return { after: out.resources[0], diff: out.remediations.map((x) => x.diff).flat(), out };
}

/** remediateResource called exactly as the SDK's server does (secrets as Secret, unknown-checking proxy). */
function direct(policy: Policy, r: EvalResource, config: Record<string, unknown> = {}) {
    const props = unknownCheckingProxy(deserializeProperties({ toJavaScript: () => r.props }, true));
    return policy.remediateResource!({ type: r.type, name: r.name, urn: r.urn, props, opts: r.opts, stackTags: new Map(), getConfig: () => config } as any);
}

/** Left alone: remediateResource answers undefined and the offline run reports no change. */
async function unchanged(policy: Policy, r: EvalResource, config: Record<string, unknown> = {}) {
    assert.strictEqual(direct(policy, r, config), undefined);
    const { after, out } = await fix(policy, r, config);
    assert.deepStrictEqual(out.remediations, []);
    assert.deepStrictEqual(after.props, r.props);
}

const exempt = (name: string) => ({ exemptions: [{ resource: name, reason: "owned by another team" }] });
const key = (props: Record<string, any>) => res(aws.kms.Key, props, { name: "key" });
const group = (props: Record<string, any>) => res(aws.cloudwatch.LogGroup, props, { name: "logs" });
const instance = (props: Record<string, any>) => res(aws.rds.Instance, { ...goodInstance, ...props }, { name: "db" });
const goodLb = { loadBalancerType: "application", internal: false, subnets: ["subnet-a", "subnet-b"], accessLogs: { enabled: true, bucket: "logs" }, enableDeletionProtection: true, dropInvalidHeaderFields: true };
const bucket = res(aws.s3.Bucket, { bucket: "assets-bkt" }, { name: "assets" });
const pab = (props: Record<string, any>) => res(aws.s3.BucketPublicAccessBlock, { bucket: "assets-bkt", ...props }, { name: "assets-pab", propertyDependencies: { bucket: [bucket.urn] } });
const PAB_ON = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
const repo = (props: Record<string, any>) => res(aws.ecr.Repository, { name: "shop", ...props }, { name: "shop-repo" });

describe("remediation", () => {
    describe("the hook (policies/lib/define.ts)", () => {
        it("becomes remediateResource, type-filtered like the validation; policies without it have none", () => {
            assert.strictEqual((kmsKeyRotation.remediateResource as any).__pulumiType, "aws:kms/key:Key");
            assert.deepStrictEqual([...(albDropInvalidHeaders.remediateResource as any).__pulumiTypes].sort(), ["aws:alb/loadBalancer:LoadBalancer", "aws:lb/loadBalancer:LoadBalancer"]);
            assert.strictEqual(direct(kmsKeyRotation, res(aws.s3.Bucket, { enableKeyRotation: false })), undefined);
            const plain = resourcePolicy({ name: "p", description: "d", severity: "low", enforcementLevel: "advisory", remediationSteps: "r", catalogue: [], types: [aws.kms.Key], check: () => undefined });
            assert.strictEqual(plain.remediateResource, undefined);
        });
        it("keeps secrets secret, in the SDK's result and on the wire, and prints them as [secret] in a diff", async () => {
            const r = key({ enableKeyRotation: false, description: secret("payroll"), tags: { owner: secret("ops") } });
            const result = direct(kmsKeyRotation, r) as Record<string, any>;
            assert.ok(result.description instanceof Secret && result.tags.owner instanceof Secret);
            const { after } = await fix(kmsKeyRotation, r);
            assert.deepStrictEqual(after.props, { ...r.props, enableKeyRotation: true });
            assert.deepStrictEqual(diffLines({ a: new Secret("x"), b: 1 }, { a: new Secret("y"), b: 2 }), ["- a: [secret]", "+ a: [secret]", "- b: 1", "+ b: 2"]);
            // A remediation written against the SDK directly may hand a secret back in plaintext: the diff still hides it.
            assert.deepStrictEqual(diffLines({ a: new Secret("hunter2") }, { a: "hunter2!" }), ["- a: [secret]", "+ a: [secret]"]);
            assert.deepStrictEqual(diffLines({ a: new Secret({ p: "hunter2" }) }, { a: { p: "hunter2!" } }), ["- a.p: [secret]", "+ a.p: [secret]"]);
        });
        it("keeps a secret secret when a remediation changes it, at the top level and inside a secret object", async () => {
            const rewriting = resourcePolicy({
                name: "rewriting", description: "d", severity: "low", enforcementLevel: "advisory", remediationSteps: "r", catalogue: [], types: [aws.kms.Key], check: () => undefined,
                remediate: (props) => ({ ...props, description: `${props.description}!`, tags: { ...props.tags, owner: "platform" } }),
            });
            const r = key({ description: secret("payroll"), tags: secret({ owner: "ops", team: "pay" }) });
            const result = direct(rewriting, r) as Record<string, any>;
            assert.ok(result.description instanceof Secret && result.description.value === "payroll!");
            assert.ok(result.tags instanceof Secret);
            assert.deepStrictEqual(result.tags.value, { owner: "platform", team: "pay" });
            const { after, diff } = await fix(rewriting, r);
            assert.deepStrictEqual(after.props, { description: secret("payroll!"), tags: secret({ owner: "platform", team: "pay" }) });
            assert.ok(diff.every((l) => l.endsWith("[secret]")), diff.join("\n"));
        });
        it("never replaces or removes a value unknown until apply, whatever a remediation returns", () => {
            const greedy = resourcePolicy({
                name: "greedy", description: "d", severity: "low", enforcementLevel: "advisory", remediationSteps: "r", catalogue: [], types: [aws.kms.Key], check: () => undefined,
                remediate: ({ policy: _dropped, ...props }) => ({ ...props, description: "fixed", enableKeyRotation: true, tags: { a: "b" } }),
            });
            const result = direct(greedy, key({ policy: UNKNOWN, description: UNKNOWN, enableKeyRotation: false, tags: { a: UNKNOWN } }));
            assert.deepStrictEqual(result, { policy: UNKNOWN, description: UNKNOWN, enableKeyRotation: true, tags: { a: UNKNOWN } });
        });
        it("a remediation-only policy has no validation, and needs a remediation", () => {
            for (const p of [s3BlockPublicAccessRemediation, ecrScanOnPushRemediation]) assert.deepStrictEqual(["validateResource" in p, typeof p.remediateResource], [false, "function"]);
            assert.throws(() => remediationOnly(logsRetention.remediateResource ? { ...logsRetention, remediateResource: undefined } : logsRetention), /logs-retention has no remediation/);
        });
    });

    describe("the offline Remediate call", () => {
        const noRotation = key({ enableKeyRotation: false });
        it("runs only policies at remediate, unless asked to treat every enabled one so; never a disabled one", async () => {
            const pack = [kmsKeyRotation];
            const at = (config: Record<string, unknown>, asIfRemediate = false) => remediate([noRotation], { policies: pack, config: resolvePolicyConfig(pack, config), asIfRemediate });
            assert.deepStrictEqual((await at({})).remediations, []);
            assert.strictEqual((await at({}, true)).remediations.length, 1);
            assert.strictEqual((await at({ all: "remediate" })).remediations.length, 1);
            assert.deepStrictEqual((await at({ "kms-key-rotation": "disabled" }, true)).remediations, []);
        });
        it("applies policies in pack order, each seeing the previous one's output", async () => {
            const seen: unknown[] = [];
            const spy = resourcePolicy({
                name: "spy", description: "d", severity: "low", enforcementLevel: "advisory", remediationSteps: "r", catalogue: [], types: [aws.kms.Key], check: () => undefined,
                remediate: (props) => void seen.push(props.enableKeyRotation),
            });
            const pack: Policies = [kmsKeyRotation, spy];
            await remediate([noRotation], { policies: pack, config: resolvePolicyConfig(pack, {}), asIfRemediate: true });
            assert.deepStrictEqual(seen, [true]);
        });
    });

    describe("kms-key-rotation", () => {
        it("turns rotation on for a symmetric key, which the validation then accepts", async () => {
            for (const props of [{ enableKeyRotation: false }, {}, { keySpec: "SYMMETRIC_DEFAULT", enableKeyRotation: null }]) {
                const { after, diff } = await fix(kmsKeyRotation, key(props));
                assert.strictEqual(after.props.enableKeyRotation, true);
                assert.strictEqual(diff.at(-1), "+ enableKeyRotation: true");
                assert.deepStrictEqual(await run(kmsKeyRotation, after), []);
            }
        });
        it("leaves alone a rotating key, an exempted one, unknown values, asymmetric and HMAC keys, and custom key stores", async () => {
            await unchanged(kmsKeyRotation, key({ enableKeyRotation: true }));
            await unchanged(kmsKeyRotation, key({ enableKeyRotation: false }), exempt("key"));
            await unchanged(kmsKeyRotation, key({ enableKeyRotation: UNKNOWN_BOOL }));
            for (const spec of [{ customerMasterKeySpec: "RSA_2048" }, { keySpec: "HMAC_256" }, { keySpec: "ECC_NIST_P256" }, { keySpec: UNKNOWN }]) {
                await unchanged(kmsKeyRotation, key({ ...spec, enableKeyRotation: false }));
            }
            await unchanged(kmsKeyRotation, key({ customKeyStoreId: "cks-1", enableKeyRotation: false }));
            await unchanged(kmsKeyRotation, key({ customKeyStoreId: UNKNOWN, enableKeyRotation: false }));
        });
        it("leaves alone a disabled key, or one whose state is unknown until apply: KMS refuses EnableKeyRotation on a disabled key", async () => {
            await unchanged(kmsKeyRotation, key({ isEnabled: false, enableKeyRotation: false }));
            await unchanged(kmsKeyRotation, key({ isEnabled: UNKNOWN_BOOL }));
            const { after } = await fix(kmsKeyRotation, key({ isEnabled: true, enableKeyRotation: false }));
            assert.strictEqual(after.props.enableKeyRotation, true);
        });
    });

    describe("logs-retention", () => {
        it("raises a short retention to the minimum, or the next value CloudWatch accepts, which the validation then accepts", async () => {
            const { after, diff } = await fix(logsRetention, group({ retentionInDays: 3 }));
            assert.deepStrictEqual(diff, ["- retentionInDays: 3", "+ retentionInDays: 7"]);
            assert.deepStrictEqual(await run(logsRetention, after), []);
            const ten = { minimumRetentionDays: 10 };
            const raised = await fix(logsRetention, group({ retentionInDays: 5 }), ten);
            assert.strictEqual(raised.after.props.retentionInDays, 14);
            assert.deepStrictEqual(await run(logsRetention, raised.after, ten), []);
        });
        it("never lowers: forever (unset or 0) and above the maximum stay; nor when no accepted value fits the bounds", async () => {
            await unchanged(logsRetention, group({}));
            await unchanged(logsRetention, group({ retentionInDays: 0 }));
            await unchanged(logsRetention, group({ retentionInDays: 400 }), { maximumRetentionDays: 365 });
            await unchanged(logsRetention, group({ retentionInDays: 3 }), { minimumRetentionDays: 3000, maximumRetentionDays: 3100 });
        });
        it("leaves alone a compliant, exempted, unknown, DELIVERY-class or malformed group", async () => {
            await unchanged(logsRetention, group({ retentionInDays: 30 }));
            await unchanged(logsRetention, group({ retentionInDays: 3 }), exempt("logs"));
            await unchanged(logsRetention, group({ retentionInDays: UNKNOWN_NUMBER }));
            await unchanged(logsRetention, group({ retentionInDays: 3, logGroupClass: "DELIVERY" }));
            await unchanged(logsRetention, group({ retentionInDays: 3, logGroupClass: UNKNOWN }));
            for (const bad of [null, "3", [3], { days: 3 }]) await unchanged(logsRetention, group({ retentionInDays: bad }));
        });
    });

    describe("rds-minor-upgrades-and-snapshot-tags", () => {
        it("copies tags to snapshots, which the validation then accepts; never turns on engine upgrades", async () => {
            const { after, diff } = await fix(rdsMinorUpgradesAndSnapshotTags, instance({ copyTagsToSnapshot: false }));
            assert.deepStrictEqual(diff, ["- copyTagsToSnapshot: false", "+ copyTagsToSnapshot: true"]);
            assert.deepStrictEqual(await run(rdsMinorUpgradesAndSnapshotTags, after), []);
            const upgrades = await fix(rdsMinorUpgradesAndSnapshotTags, instance({ copyTagsToSnapshot: undefined, autoMinorVersionUpgrade: false }));
            assert.deepStrictEqual([upgrades.after.props.copyTagsToSnapshot, upgrades.after.props.autoMinorVersionUpgrade], [true, false]);
        });
        it("leaves alone a compliant, exempted or unknown instance, and clusters (not this policy's type)", async () => {
            await unchanged(rdsMinorUpgradesAndSnapshotTags, instance({}));
            await unchanged(rdsMinorUpgradesAndSnapshotTags, instance({ copyTagsToSnapshot: false }), exempt("db"));
            await unchanged(rdsMinorUpgradesAndSnapshotTags, instance({ copyTagsToSnapshot: UNKNOWN_BOOL }));
            await unchanged(rdsMinorUpgradesAndSnapshotTags, res(aws.rds.Cluster, { copyTagsToSnapshot: false }));
        });
    });

    describe("alb-drop-invalid-headers", () => {
        for (const LoadBalancer of [aws.lb.LoadBalancer, aws.alb.LoadBalancer]) {
            const lb = (props: Record<string, any>) => res(LoadBalancer, { ...goodLb, ...props }, { name: "web" });
            it(`${tokenName(LoadBalancer)}: drops invalid headers on an application load balancer, which the validation then accepts`, async () => {
                for (const props of [{ dropInvalidHeaderFields: false }, { dropInvalidHeaderFields: undefined, loadBalancerType: undefined }, { dropInvalidHeaderFields: null, loadBalancerType: null }]) {
                    const { after } = await fix(albDropInvalidHeaders, lb(props));
                    assert.strictEqual(after.props.dropInvalidHeaderFields, true);
                    assert.deepStrictEqual(await run(albDropInvalidHeaders, after), []);
                }
            });
            it(`${tokenName(LoadBalancer)}: leaves alone compliant, exempted, unknown, network, gateway or unknown-kind load balancers`, async () => {
                await unchanged(albDropInvalidHeaders, lb({}));
                await unchanged(albDropInvalidHeaders, lb({ dropInvalidHeaderFields: false }), exempt("web"));
                await unchanged(albDropInvalidHeaders, lb({ dropInvalidHeaderFields: UNKNOWN_BOOL }));
                for (const kind of ["network", "gateway", UNKNOWN, 42]) await unchanged(albDropInvalidHeaders, lb({ loadBalancerType: kind, dropInvalidHeaderFields: false }));
            });
        }
    });

    describe("s3-block-public-access-remediation", () => {
        it("turns on every flag left unset, which s3-block-public-access then accepts", async () => {
            for (const props of [{ blockPublicPolicy: true }, { blockPublicPolicy: true, blockPublicAcls: null }]) {
                const { after, diff } = await fix(s3BlockPublicAccessRemediation, pab(props));
                assert.deepStrictEqual(diff.filter((l) => l.startsWith("+")), ["+ blockPublicAcls: true", "+ ignorePublicAcls: true", "+ restrictPublicBuckets: true"]);
                assert.deepStrictEqual(await run(s3BlockPublicAccess, [bucket, after]), []);
            }
        });
        it("leaves alone a block that turns a flag off on purpose (a public website's), whose bucket s3-block-public-access may exempt: no flag is turned on", async () => {
            await unchanged(s3BlockPublicAccessRemediation, pab({ blockPublicAcls: false, blockPublicPolicy: true }));
            await unchanged(s3BlockPublicAccessRemediation, pab({ blockPublicPolicy: false, restrictPublicBuckets: false }));
            // Spelt as stack config gives it: the string "false" opens the block just the same.
            await unchanged(s3BlockPublicAccessRemediation, pab({ blockPublicPolicy: "false", restrictPublicBuckets: " FALSE " }));
            // The stack policy still refuses it where the bucket is not exempted.
            assert.strictEqual((await run(s3BlockPublicAccess, [bucket, pab({ blockPublicPolicy: false })])).length, 1);
        });
        it("leaves an unknown flag to the stack policy while turning on the others", async () => {
            const { after } = await fix(s3BlockPublicAccessRemediation, pab({ blockPublicPolicy: true, restrictPublicBuckets: true, ignorePublicAcls: UNKNOWN_BOOL }));
            assert.deepStrictEqual(after.props, { bucket: "assets-bkt", ...PAB_ON, ignorePublicAcls: UNKNOWN_BOOL });
        });
        it("leaves alone a compliant or exempted block, and buckets", async () => {
            await unchanged(s3BlockPublicAccessRemediation, pab(PAB_ON));
            await unchanged(s3BlockPublicAccessRemediation, pab({}), exempt("assets-pab"));
            await unchanged(s3BlockPublicAccessRemediation, bucket);
        });
    });

    describe("ecr-scan-on-push-remediation", () => {
        it("sets scanOnPush, which ecr-scan-on-push then accepts", async () => {
            for (const props of [{}, { imageScanningConfiguration: { scanOnPush: false } }, { imageScanningConfiguration: null }, { imageScanningConfiguration: [] }]) {
                const { after } = await fix(ecrScanOnPushRemediation, repo(props));
                assert.deepStrictEqual(after.props.imageScanningConfiguration, { scanOnPush: true });
                assert.deepStrictEqual(await run(ecrScanOnPush, after), []);
            }
        });
        it("leaves alone a scanning, exempted or unknown repository, and other ECR types", async () => {
            await unchanged(ecrScanOnPushRemediation, repo({ imageScanningConfiguration: { scanOnPush: true } }));
            await unchanged(ecrScanOnPushRemediation, repo({}), exempt("shop-repo"));
            await unchanged(ecrScanOnPushRemediation, repo({ imageScanningConfiguration: UNKNOWN }));
            await unchanged(ecrScanOnPushRemediation, repo({ imageScanningConfiguration: { scanOnPush: UNKNOWN_BOOL } }));
            await unchanged(ecrScanOnPushRemediation, res(aws.ecr.RegistryScanningConfiguration, { scanType: "BASIC", rules: [] }));
        });
    });
});

function tokenName(cls: unknown): string {
    return (cls as { __pulumiType: string }).__pulumiType;
}
