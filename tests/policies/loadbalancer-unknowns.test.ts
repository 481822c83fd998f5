import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { albAccessLogs, albDesyncMitigation, albDropInvalidHeaders, albHttpRedirectsToHttps, albListenerTls, albMultiSubnet, albWafAttached } from "../../policies/edge/loadbalancer";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, res, run } from "./helpers";

/**
 * Load balancer inputs unknown during preview at each level a check reads (a whole action, its
 * type, its redirect block, the subnet mappings): reported as unverifiable, never as a violation
 * and never passed. Both token families, as in loadbalancer.test.ts.
 */
const families = [
    { family: "aws.lb", LoadBalancer: aws.lb.LoadBalancer, Listener: aws.lb.Listener },
    { family: "aws.alb", LoadBalancer: aws.alb.LoadBalancer, Listener: aws.alb.Listener },
];

const cannot = (diags: { enforcementLevel: string; message: string }[]) => diags.map((d) => [d.enforcementLevel, d.message.replace(/ Re-run.*$/, "")]);

describe("policies: load balancers, values unknown during preview", () => {
    for (const { family, LoadBalancer, Listener } of families) {
        describe(family, () => {
            it("alb-access-logs, alb-drop-invalid-headers, alb-desync-mitigation: the setting unknown until apply", async () => {
                const lb = (props: Record<string, unknown>) => res(LoadBalancer, { loadBalancerType: "application", ...props });
                assert.deepStrictEqual(cannot(await run(albAccessLogs, lb({ accessLogs: UNKNOWN }))), [
                    ["advisory", "Cannot verify during preview that access logs are enabled: accessLogs is (unknown until apply)."],
                ]);
                assert.deepStrictEqual(cannot(await run(albDropInvalidHeaders, lb({ dropInvalidHeaderFields: UNKNOWN_BOOL }))), [
                    ["advisory", "Cannot verify during preview that invalid header fields are dropped: dropInvalidHeaderFields is (unknown until apply)."],
                ]);
                assert.deepStrictEqual(cannot(await run(albDesyncMitigation, lb({ desyncMitigationMode: UNKNOWN }))), [
                    ["advisory", "Cannot verify during preview that HTTP desync mitigation is defensive or strictest: desyncMitigationMode is (unknown until apply)."],
                ]);
            });

            it("alb-listener-tls: a listener protocol unknown until apply", async () => {
                assert.deepStrictEqual(cannot(await run(albListenerTls, res(Listener, { protocol: UNKNOWN, port: 443, defaultActions: [] }))), [
                    ["advisory", "Cannot verify during preview that an HTTPS listener uses an allow-listed TLS policy and an ACM certificate: protocol is (unknown until apply)."],
                ]);
            });

            it("alb-waf-attached: a load balancer type unknown until apply", async () => {
                assert.deepStrictEqual(cannot(await run(albWafAttached, res(LoadBalancer, { loadBalancerType: UNKNOWN, internal: false }, { name: "web" }))), [
                    ["advisory", 'Cannot verify during preview that load balancer "web" is internal or has a WAF web ACL: loadBalancerType is (unknown until apply).'],
                ]);
            });

            it("alb-multi-subnet: subnet mappings unknown until apply (no subnets list)", async () => {
                const lb = res(LoadBalancer, { loadBalancerType: "application", subnetMappings: UNKNOWN_ARRAY });
                assert.deepStrictEqual(cannot(await run(albMultiSubnet, lb)), [
                    ["advisory", "Cannot verify during preview that the load balancer spans at least 2 subnets: subnetMappings is (unknown until apply)."],
                ]);
            });

            it("alb-http-redirects-to-https: a whole action, its type or its redirect block unknown until apply", async () => {
                const listener = (name: string, action: unknown) => res(Listener, { protocol: "HTTP", port: 80, defaultActions: [action] }, { name });
                const diags = await run(albHttpRedirectsToHttps, [
                    listener("a", UNKNOWN),
                    listener("b", { type: UNKNOWN, redirect: { protocol: "HTTPS" } }),
                    listener("c", { type: "redirect", redirect: UNKNOWN }),
                ]);
                assert.deepStrictEqual(cannot(diags), [
                    ["advisory", "Cannot verify during preview that HTTP listener only redirects to HTTPS: defaultActions[0].type is (unknown until apply)."],
                    ["advisory", "Cannot verify during preview that HTTP listener only redirects to HTTPS: defaultActions[0].type is (unknown until apply)."],
                    ["advisory", "Cannot verify during preview that HTTP listener only redirects to HTTPS: defaultActions[0].redirect.protocol is (unknown until apply)."],
                ]);
            });
        });
    }
});
