import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { Policies, Secret } from "@pulumi/policy";
import { ALL_POLICIES } from "../../policies/all";
import { Diagnostic, EvalResource, evaluate, resolvePolicyConfig } from "../../tools/offline/evaluate";
import { remediate } from "../../tools/offline/remediate";
import { toEvalResource } from "../../tools/offline/stack-check";
import { serviceUnit } from "../../tools/bench-services";
import { runStack } from "../harness";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, UNKNOWN_NUMBER, res, secret } from "./helpers";

/**
 * The offline evaluator must report exactly what @pulumi/policy's own analyzer server reports.
 * These tests drive the SDK's server functions (makeAnalyzeRpcFun / makeAnalyzeStackRpcFun) with
 * requests shaped like the engine's, and compare. They also pin the SDK behaviour the framework
 * relies on: the object form of reportViolation and its per-violation enforcement level.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require("@pulumi/policy/server");
const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];
const SEVERITIES = ["", "low", "medium", "high", "critical"];

function options(r: EvalResource) {
    return {
        getProtect: () => r.opts.protect,
        getIgnorechangesList: () => r.opts.ignoreChanges,
        getAliasesList: () => r.opts.aliases,
        getCustomtimeouts: () => undefined,
        getAdditionalsecretoutputsList: () => r.opts.additionalSecretOutputs,
        getDeletebeforereplacedefined: () => false,
        getParent: () => r.opts.parent ?? "",
    };
}

function request(r: EvalResource) {
    return {
        getType: () => r.type,
        getName: () => r.name,
        getUrn: () => r.urn,
        getProperties: () => ({ toJavaScript: () => JSON.parse(JSON.stringify(r.props)) }),
        getOptions: () => options(r),
        getProvider: () => undefined,
        getParent: () => r.parent ?? "",
        getDependenciesList: () => r.dependencies,
        getPropertydependenciesMap: () => new Map(Object.entries(r.propertyDependencies).map(([k, urns]) => [k, { getUrnsList: () => urns }])),
    };
}

const key = (d: { policyName: string; urn?: string; enforcementLevel: string; severity?: string; message: string }) =>
    `${d.policyName} | ${d.urn ?? ""} | ${d.enforcementLevel} | ${d.severity ?? ""} | ${d.message}`;

/** `analyzedUrn`: the engine attaches a resource analysis's diagnostics to the resource analyzed. */
function fromResponse(resp: any, analyzedUrn?: string): string[] {
    return resp.getDiagnosticsList().map((d: any) =>
        key({ policyName: d.getPolicyname(), urn: d.getUrn() || analyzedUrn, enforcementLevel: LEVELS[d.getEnforcementlevel()], severity: SEVERITIES[d.getSeverity()], message: d.getMessage() }),
    );
}

interface Answer {
    /** In the order reported: per resource in stack order, each resource's policies in pack order, then the stack policies. */
    diagnostics: string[];
    /** policy name → how many times it answered "not applicable". */
    notApplicable: Record<string, number>;
}

const counted = (names: string[]) => names.reduce<Record<string, number>>((n, k) => ({ ...n, [k]: (n[k] ?? 0) + 1 }), {});

/** What the SDK's analyzer server reports for these resources (policy config defaults only). */
async function sdkAnswer(policies: Policies, resources: EvalResource[]): Promise<Answer> {
    const analyze = server.makeAnalyzeRpcFun("baseline-guardrails", "0.1.0", "advisory", policies);
    const analyzeStack = server.makeAnalyzeStackRpcFun("baseline-guardrails", "0.1.0", "advisory", policies);
    const notApplicable: string[] = [];
    const call = (fn: any, req: unknown, urn?: string) =>
        new Promise<string[]>((resolve, reject) =>
            fn({ request: req }, (err: unknown, resp: any) => {
                if (err) return reject(err);
                notApplicable.push(...resp.getNotApplicableList().map((n: any) => n.getPolicyName()));
                resolve(fromResponse(resp, urn));
            }),
        );
    const diagnostics: string[] = [];
    for (const r of resources) diagnostics.push(...(await call(analyze, request(r), r.urn)));
    diagnostics.push(...(await call(analyzeStack, { getResourcesList: () => resources.map(request) })));
    return { diagnostics, notApplicable: counted(notApplicable) };
}

async function ourAnswer(policies: Policies, resources: EvalResource[]): Promise<Answer> {
    const { diagnostics, notApplicable } = await evaluate(resources, { policies, config: resolvePolicyConfig(policies, {}) });
    return { diagnostics: diagnostics.map((d: Diagnostic) => key(d)), notApplicable: Object.fromEntries(notApplicable) };
}

async function sdkDiagnostics(policies: Policies, resources: EvalResource[]): Promise<string[]> {
    return (await sdkAnswer(policies, resources)).diagnostics;
}

async function ourDiagnostics(policies: Policies, resources: EvalResource[]): Promise<string[]> {
    return (await ourAnswer(policies, resources)).diagnostics;
}

/** Same diagnostics in the same order, and the same policies not applicable as often. */
async function assertConforms(policies: Policies, resources: EvalResource[]): Promise<Answer> {
    const sdk = await sdkAnswer(policies, resources);
    const ours = await ourAnswer(policies, resources);
    assert.deepStrictEqual(ours.diagnostics, sdk.diagnostics);
    const sorted = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
    assert.deepStrictEqual(sorted(ours.notApplicable), sorted(sdk.notApplicable));
    return sdk;
}

/** The SDK's Remediate call (makeRemediateRpcFun) on one resource: each remediation's policy and properties, in order. */
async function sdkRemediations(policies: Policies, r: EvalResource): Promise<{ policyName: string; properties?: unknown; diagnostic: string }[]> {
    const fn = server.makeRemediateRpcFun("baseline-guardrails", "0.1.0", "advisory", policies);
    const resp: any = await new Promise((resolve, reject) => fn({ request: request(r) }, (err: unknown, x: unknown) => (err ? reject(err) : resolve(x))));
    return resp.getRemediationsList().map((x: any) => ({ policyName: x.getPolicyname(), properties: x.getProperties()?.toJavaScript(), diagnostic: x.getDiagnostic() }));
}

/**
 * Resources of the services the pack covers beyond this topology: the benchmark's unit (compliant and
 * careless variants, linked), every input unknown, and malformed inputs, so each new module's types are
 * compared with the SDK, including the policies that read a value the SDK's proxy refuses.
 */
function otherServices(): EvalResource[] {
    const policy = (principal: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "*", Resource: "*" }] });
    // Types of the new modules the benchmark's unit leaves out.
    const more = [
        res(aws.apigateway.DomainName, { domainName: "api.example.com", securityPolicy: "TLS_1_0" }, { name: "rest-domain" }),
        res(aws.apigatewayv2.DomainName, { domainName: "http.example.com", domainNameConfiguration: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1", endpointType: "REGIONAL", securityPolicy: "TLS_1_2" } }, { name: "http-domain" }),
        res(aws.dax.Cluster, { clusterName: "dax", nodeType: "dax.r4.large", replicationFactor: 1, iamRoleArn: "arn:aws:iam::123456789012:role/dax" }, { name: "dax" }),
        res(aws.dynamodb.TableReplica, { globalTableArn: "arn:aws:dynamodb:eu-west-1:123456789012:table/t", pointInTimeRecovery: false }, { name: "replica" }),
        res(aws.ebs.EncryptionByDefault, { enabled: false }, { name: "ebs-default" }),
        res(aws.ebs.SnapshotBlockPublicAccess, { state: "unblocked" }, { name: "snapshot-bpa" }),
        res(aws.ec2.ImageBlockPublicAccess, { state: "unblocked" }, { name: "image-bpa" }),
        res(aws.ec2.AmiLaunchPermission, { imageId: "ami-1", group: "all" }, { name: "ami-public" }),
        res(aws.ec2.SnapshotCreateVolumePermission, { snapshotId: "snap-1", accountId: "all" }, { name: "snapshot-public" }),
        res(aws.ec2.LaunchConfiguration, { imageId: "ami-1", instanceType: "t3.micro", associatePublicIpAddress: true }, { name: "launch-config" }),
        res(aws.ec2.SpotInstanceRequest, { ami: "ami-1", instanceType: "t3.micro", metadataOptions: { httpTokens: "optional" } }, { name: "spot" }),
        res(aws.efs.AccessPoint, { fileSystemId: "fs-1", posixUser: { uid: 0, gid: 0 } }, { name: "access-point" }),
        res(aws.efs.FileSystemPolicy, { fileSystemId: "fs-1", policy: policy("*") }, { name: "fs-policy" }),
        res(aws.elasticsearch.Domain, { domainName: "legacy", encryptAtRest: { enabled: false } }, { name: "legacy-search" }),
        res(aws.memorydb.MultiRegionCluster, { multiRegionClusterNameSuffix: "m", nodeType: "db.r7g.xlarge", tlsEnabled: false }, { name: "multi-region" }),
        res(aws.redshiftserverless.Workgroup, { workgroupName: "wg", namespaceName: "ns", publiclyAccessible: true }, { name: "workgroup" }),
        res(aws.elasticache.UserGroup, { userGroupId: "g", engine: "redis", userIds: ["default"] }, { name: "user-group" }),
    ];
    const unit = [...serviceUnit(0), ...more];
    const unknowns = unit.map((r) => ({
        ...r, urn: `${r.urn}-unknown`, name: `${r.name}-unknown`,
        props: Object.fromEntries(Object.keys(r.props).map((k) => [k, typeof r.props[k] === "boolean" ? UNKNOWN_BOOL : typeof r.props[k] === "number" ? UNKNOWN_NUMBER : Array.isArray(r.props[k]) ? UNKNOWN_ARRAY : UNKNOWN])),
        dependencies: [], propertyDependencies: {},
    }));
    const malformed = unit.map((r) => ({
        ...r, urn: `${r.urn}-malformed`, name: `${r.name}-malformed`,
        props: Object.fromEntries(Object.keys(r.props).map((k, i) => [k, [null, "[]", 7, { x: null }, [null]][i % 5]])),
        dependencies: [], propertyDependencies: {},
    }));
    const bare = unit.map((r) => ({ ...r, urn: `${r.urn}-bare`, name: `${r.name}-bare`, props: {}, dependencies: [], propertyDependencies: {} }));
    return [...unit, ...unknowns, ...malformed, ...bare];
}

describe("offline evaluator matches the SDK's analyzer server", () => {
    it("on hand-made violations, unknown values and exemption-free defaults, in the SDK's order", async () => {
        const resources = [
            res(aws.kms.Key, { enableKeyRotation: false, deletionWindowInDays: 7 }, { name: "bad-key" }),
            res(aws.kms.Key, { enableKeyRotation: UNKNOWN_BOOL, policy: UNKNOWN }, { name: "unknown-key" }),
            res(aws.s3.Bucket, {}, { name: "bare-bucket" }),
            res(aws.rds.Instance, { publiclyAccessible: true, storageEncrypted: false }, { name: "open-db" }),
        ];
        const sdk = await assertConforms(ALL_POLICIES, resources);
        assert.ok(sdk.diagnostics.length > 0, "the fixture must produce diagnostics");
    });

    it("on the services other teams use (every new module's types): compliant, careless, unknown, malformed and bare inputs", async () => {
        const resources = otherServices();
        const sdk = await assertConforms(ALL_POLICIES, resources);
        // Every type of the unit is judged by some policy: the fixture exercises the new modules, not only the type filter.
        const judged = new Set(sdk.diagnostics.map((d) => d.split(" | ")[1].split("::")[2]));
        const untouched = [...new Set(resources.map((r) => r.type))].filter((t) => !judged.has(t));
        assert.deepStrictEqual(untouched, []);
    });

    it("reports a remediation-only policy not applicable to every resource, and runs no validation for it", async () => {
        const remediationOnly = ALL_POLICIES.filter((p) => !("validateResource" in p) && "remediateResource" in p);
        assert.deepStrictEqual(remediationOnly.map((p) => p.name).sort(), ["ecr-scan-on-push-remediation", "s3-block-public-access-remediation"]);
        const resources = [
            res(aws.ecr.Repository, { name: "shop", imageScanningConfiguration: { scanOnPush: false } }, { name: "shop" }),
            res(aws.s3.BucketPublicAccessBlock, { bucket: "b", blockPublicAcls: false }, { name: "pab" }),
            res(aws.kms.Key, { enableKeyRotation: true }, { name: "key" }),
        ];
        const sdk = await assertConforms(ALL_POLICIES, resources);
        assert.strictEqual(sdk.notApplicable["ecr-scan-on-push-remediation"], resources.length);
    });

    it("honours a per-violation advisory level reported through the object form", async () => {
        const policies: Policies = [
            {
                name: "probe",
                description: "probe",
                enforcementLevel: "mandatory",
                validateResource: (_args, report) => (report as any)({ message: "downgraded", enforcementLevel: "advisory" }),
            },
        ];
        const resources = [res(aws.kms.Key, {}, { name: "k" })];
        const sdk = await sdkDiagnostics(policies, resources);
        assert.deepStrictEqual(sdk, [`probe | ${resources[0].urn} | advisory |  | downgraded`]);
        assert.deepStrictEqual(await ourDiagnostics(policies, resources), sdk);
    });

    it("reads the object form as the SDK does: its own name and severity, its URN only (a second argument is ignored), the description as message", async () => {
        const policies: Policies = [
            {
                name: "probe", description: "probe", enforcementLevel: "mandatory", severity: "low",
                validateResource: (_args, report) => {
                    (report as any)({ name: "renamed", message: "m", severity: "high" }, "urn:pulumi:test::baseline::other::x");
                    (report as any)({ description: "only a description", urn: "urn:pulumi:test::baseline::other::y" });
                },
            },
        ];
        const resources = [res(aws.kms.Key, {}, { name: "k" })];
        const sdk = await sdkDiagnostics(policies, resources);
        assert.deepStrictEqual(sdk, [`renamed | ${resources[0].urn} | mandatory | high | m`, "probe | urn:pulumi:test::baseline::other::y | mandatory | low | only a description"]);
        assert.deepStrictEqual(await ourDiagnostics(policies, resources), sdk);
    });

    for (const stack of ["prod", "staging"]) {
        for (const firstPreview of [false, true]) {
            it(`on the ${stack} stack${firstPreview ? " at first preview" : ""}`, async () => {
                const run = await runStack(stack, {}, { firstPreview });
                await assertConforms(ALL_POLICIES, run.resources.map(toEvalResource));
            });
        }
    }
});

describe("offline Remediate call matches the SDK's (makeRemediateRpcFun)", () => {
    /** Every policy with a remediation, at level remediate, in pack order. */
    const AT_REMEDIATE: Policies = ALL_POLICIES.map((p) => ("remediateResource" in p && p.remediateResource ? { ...p, enforcementLevel: "remediate" as const } : p));
    const fixable = [
        res(aws.kms.Key, { enableKeyRotation: false, description: secret("payroll"), tags: { owner: secret("ops") } }, { name: "key" }),
        res(aws.kms.Key, { enableKeyRotation: false, policy: UNKNOWN }, { name: "key-unknown-policy" }),
        res(aws.kms.Key, { enableKeyRotation: UNKNOWN_BOOL }, { name: "key-unknown" }),
        res(aws.cloudwatch.LogGroup, { retentionInDays: 3, kmsKeyId: UNKNOWN }, { name: "logs" }),
        res(aws.rds.Instance, { copyTagsToSnapshot: false, password: secret("hunter2hunter2"), engine: "postgres" }, { name: "db" }),
        res(aws.lb.LoadBalancer, { loadBalancerType: "application", dropInvalidHeaderFields: false, subnets: [UNKNOWN, "subnet-b"] }, { name: "web" }),
        res(aws.alb.LoadBalancer, { dropInvalidHeaderFields: null }, { name: "web-alb" }),
        res(aws.s3.BucketPublicAccessBlock, { bucket: UNKNOWN, blockPublicPolicy: true, ignorePublicAcls: UNKNOWN_BOOL }, { name: "pab" }),
        res(aws.s3.BucketPublicAccessBlock, { bucket: "site", blockPublicPolicy: false }, { name: "site-pab" }),
        res(aws.ecr.Repository, { name: "shop", imageScanningConfiguration: null }, { name: "shop" }),
        res(aws.sqs.Queue, { sqsManagedSseEnabled: false, policy: secret("{}") }, { name: "queue" }),
        res(aws.sqs.Queue, {}, { name: "bare-queue" }),
        res(aws.kms.Key, { description: "d", enableKeyRotation: true }, { name: "shapes" }),
        ...serviceUnit(0),
    ];
    it("the same remediations in the same order, the same can't-run notes, and the same final inputs on the wire", async () => {
        // Plain SDK remediations after the pack's: one reads an unknown value through the proxy, one answers notApplicable.
        const probes: Policies = [
            { name: "probe-unknown", description: "probe", enforcementLevel: "remediate", remediateResource: (args) => (args.props.policy === "x" ? undefined : undefined) },
            { name: "probe-not-applicable", description: "probe", enforcementLevel: "remediate", remediateResource: (args) => args.notApplicable("no") },
            // Shapes only the serializer decides: an empty secret, a hole in a list.
            {
                name: "probe-shapes", description: "probe", enforcementLevel: "remediate",
                remediateResource: (args) => (args.name === "shapes" ? { ...args.props, description: new Secret(undefined), tags: { list: [1, undefined] } } : undefined),
            },
        ];
        const pack = [...AT_REMEDIATE, ...probes];
        const config = resolvePolicyConfig(pack, {});
        for (const r of fixable) {
            const sdk = await sdkRemediations(pack, r);
            const ours = await remediate([r], { policies: pack, config });
            const what = `${r.type} ${r.name}`;
            assert.deepStrictEqual(ours.remediations.map((x) => x.policyName), sdk.filter((x) => x.properties).map((x) => x.policyName), what);
            assert.deepStrictEqual(ours.cantRun.map((x) => x.message), sdk.filter((x) => x.diagnostic).map((x) => x.diagnostic.replace(" from policy pack 'baseline-guardrails@v0.1.0'", "")), what);
            const last = sdk.filter((x) => x.properties).at(-1)?.properties ?? JSON.parse(JSON.stringify(r.props));
            assert.deepStrictEqual(JSON.parse(JSON.stringify(ours.resources[0].props)), last, what);
        }
    });
    it("the fixture gives every remediation something to change, each policy alone at remediate", async () => {
        const unused = [];
        for (const p of AT_REMEDIATE.filter((x) => "remediateResource" in x && x.remediateResource)) {
            const run = await remediate(fixable, { policies: [p], config: resolvePolicyConfig([p], {}) });
            if (run.remediations.length === 0) unused.push(p.name);
        }
        assert.deepStrictEqual(unused, []);
    });
});
