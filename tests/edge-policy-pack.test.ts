import * as assert from "assert";
import { ALL_POLICIES } from "../policies/all";
import { Diagnostic, evaluate, resolvePolicyConfig } from "../tools/offline/evaluate";
import { blockingOf, policyConfigPath, readPolicyConfig, toEvalResource } from "../tools/offline/stack-check";
import { edge } from "./edge-fixtures";
import { runUnderMocks } from "./harness";

/** The pack on what the edge registers (the buckets and the load balancer), as `pulumi preview` would run it. */
async function diagnosticsFor(stack: string, firstPreview: boolean, policyConfig = readPolicyConfig(policyConfigPath(stack))): Promise<Diagnostic[]> {
    const run = await runUnderMocks(() => edge(), stack, {}, { firstPreview });
    const config = resolvePolicyConfig(ALL_POLICIES, policyConfig);
    return (await evaluate(run.resources.map(toEvalResource), { policies: ALL_POLICIES, config })).diagnostics;
}

const mandatory = new Set(ALL_POLICIES.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name));
const summary = (ds: Diagnostic[]) => ds.map((d) => `${d.enforcementLevel} ${d.policyName} ${d.urn?.split("::").pop() ?? "(stack)"}`).sort();
const WAF_MESSAGE =
    "Internet-facing application load balancer must be associated with a WAF web ACL: internal is false and no aws.wafv2.WebAclAssociation takes its ARN as resourceArn, expected one.";

const CLOUDFRONT_MESSAGE =
    "Internet-facing application load balancer must be behind CloudFront: no CloudFront distribution of the stack has it (its DNS name, or a Route 53 record aliasing it) as an origin, expected a distribution in front of it (this stack's policy config requires CloudFront).";

for (const stack of ["prod", "staging"]) {
    for (const firstPreview of [false, true]) {
        describe(`policy pack on the load balancer alone (${stack}${firstPreview ? ", first preview" : ""})`, () => {
            let diagnostics: Diagnostic[];
            before(async () => {
                diagnostics = await diagnosticsFor(stack, firstPreview);
            });

            it("blocks on the missing WAF (and, in prod, on the missing CloudFront) and on nothing else: the stack's policy config exempts no load balancer", () => {
                const expected = [["alb-waf-attached", "edge-alb", WAF_MESSAGE]];
                if (stack === "prod") expected.push(["edge-cloudfront-required", "edge-alb", CLOUDFRONT_MESSAGE]);
                assert.deepStrictEqual(blockingOf(diagnostics, mandatory).map((d) => [d.policyName, d.urn?.split("::").pop(), d.message.split("\n").pop()]), expected);
                assert.strictEqual(readPolicyConfig(policyConfigPath(stack))["alb-waf-attached"], undefined);
                assert.deepStrictEqual(diagnostics.filter((d) => d.cantRunDuringPreview), []);
            });

            it("passes the listener, TLS, logging, header, desync and subnet policies and the bucket policies", () => {
                // Alone, the load balancer is the public entry: the stacks' policy config wants CloudFront in front (advisory in staging, mandatory in prod).
                const expected = ["advisory budget-cost-alerts (stack)", "mandatory alb-waf-attached edge-alb", `${stack === "prod" ? "mandatory" : "advisory"} edge-cloudfront-required edge-alb`];
                if (stack === "staging") {
                    // Staging's policy config makes availability advisory; its buckets are not protected.
                    expected.push("advisory alb-deletion-protection edge-alb", "advisory stateful-protect storage-assets", "advisory stateful-protect storage-logs");
                }
                assert.deepStrictEqual(summary(diagnostics), expected.sort());
            });
        });
    }
}
