import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { Policies } from "@pulumi/policy";
import { ALL_POLICIES } from "../../policies/all";
import { Diagnostic, EvalResource, evaluate, resolvePolicyConfig } from "../../tools/offline/evaluate";
import { toEvalResource } from "../../tools/offline/stack-check";
import { runStack } from "../harness";
import { UNKNOWN, UNKNOWN_BOOL, res } from "./helpers";

/**
 * The offline evaluator must report exactly what @pulumi/policy's own analyzer server reports.
 * These tests drive the SDK's server functions (makeAnalyzeRpcFun / makeAnalyzeStackRpcFun) with
 * requests shaped like the engine's, and compare. They also pin the SDK behaviour the framework
 * relies on: the object form of reportViolation and its per-violation enforcement level.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require("@pulumi/policy/server");
const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

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

const key = (d: { policyName: string; urn?: string; enforcementLevel: string; message: string }) => `${d.policyName} | ${d.urn ?? ""} | ${d.enforcementLevel} | ${d.message}`;

/** `analyzedUrn`: the engine attaches a resource analysis's diagnostics to the resource analyzed. */
function fromResponse(resp: any, analyzedUrn?: string): string[] {
    return resp.getDiagnosticsList().map((d: any) =>
        key({ policyName: d.getPolicyname(), urn: d.getUrn() || analyzedUrn, enforcementLevel: LEVELS[d.getEnforcementlevel()], message: d.getMessage() }),
    );
}

/** What the SDK's analyzer server reports for these resources (policy config defaults only). */
async function sdkDiagnostics(policies: Policies, resources: EvalResource[]): Promise<string[]> {
    const analyze = server.makeAnalyzeRpcFun("baseline-guardrails", "0.1.0", "advisory", policies);
    const analyzeStack = server.makeAnalyzeStackRpcFun("baseline-guardrails", "0.1.0", "advisory", policies);
    const call = (fn: any, req: unknown, urn?: string) =>
        new Promise<string[]>((resolve, reject) => fn({ request: req }, (err: unknown, resp: unknown) => (err ? reject(err) : resolve(fromResponse(resp, urn)))));
    const out: string[] = [];
    for (const r of resources) out.push(...(await call(analyze, request(r), r.urn)));
    out.push(...(await call(analyzeStack, { getResourcesList: () => resources.map(request) })));
    return out.sort();
}

async function ourDiagnostics(policies: Policies, resources: EvalResource[]): Promise<string[]> {
    const { diagnostics } = await evaluate(resources, { policies, config: resolvePolicyConfig(policies, {}) });
    return diagnostics.map((d: Diagnostic) => key(d)).sort();
}

describe("offline evaluator matches the SDK's analyzer server", () => {
    it("on hand-made violations, unknown values and exemption-free defaults", async () => {
        const resources = [
            res(aws.kms.Key, { enableKeyRotation: false, deletionWindowInDays: 7 }, { name: "bad-key" }),
            res(aws.kms.Key, { enableKeyRotation: UNKNOWN_BOOL, policy: UNKNOWN }, { name: "unknown-key" }),
            res(aws.s3.Bucket, {}, { name: "bare-bucket" }),
            res(aws.rds.Instance, { publiclyAccessible: true, storageEncrypted: false }, { name: "open-db" }),
        ];
        const sdk = await sdkDiagnostics(ALL_POLICIES, resources);
        assert.ok(sdk.length > 0, "the fixture must produce diagnostics");
        assert.deepStrictEqual(await ourDiagnostics(ALL_POLICIES, resources), sdk);
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
        assert.deepStrictEqual(sdk, [`probe | ${resources[0].urn} | advisory | downgraded`]);
        assert.deepStrictEqual(await ourDiagnostics(policies, resources), sdk);
    });

    for (const stack of ["prod", "staging"]) {
        for (const firstPreview of [false, true]) {
            it(`on the ${stack} stack${firstPreview ? " at first preview" : ""}`, async () => {
                const run = await runStack(stack, {}, { firstPreview });
                const resources = run.resources.map(toEvalResource);
                assert.deepStrictEqual(await ourDiagnostics(ALL_POLICIES, resources), await sdkDiagnostics(ALL_POLICIES, resources));
            });
        }
    }
});
