import * as aws from "@pulumi/aws";
import * as assert from "assert";
import {
    albAccessLogs, albDeletionProtection, albDesyncMitigation, albDropInvalidHeaders, albHttpRedirectsToHttps,
    albListenerTls, albMultiSubnet, albWafAttached, lbKind, loadBalancerPolicies,
} from "../../policies/edge/loadbalancer";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, messages, res, run } from "./helpers";

const goodLb = {
    loadBalancerType: "application",
    internal: false,
    subnets: ["subnet-a", "subnet-b"],
    accessLogs: { enabled: true, bucket: "logs" },
    enableDeletionProtection: true,
    dropInvalidHeaderFields: true,
    desyncMitigationMode: "defensive",
};
const certArn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";
const httpsListener = { protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: certArn, loadBalancerArn: UNKNOWN, defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] };
const redirect = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } };
const httpListener = { protocol: "HTTP", port: 80, loadBalancerArn: UNKNOWN, defaultActions: [redirect] };

/** Both token families, so no policy here can silently miss one (awsguard missed aws.lb). */
const families = [
    { family: "aws.lb", LoadBalancer: aws.lb.LoadBalancer, Listener: aws.lb.Listener, ListenerRule: aws.lb.ListenerRule },
    { family: "aws.alb", LoadBalancer: aws.alb.LoadBalancer, Listener: aws.alb.Listener, ListenerRule: aws.alb.ListenerRule },
];

describe("policies: load balancers", () => {
    it("registers every policy once, with unique kebab-case names", () => {
        const names = loadBalancerPolicies.map((p) => p.name);
        assert.deepStrictEqual(names, [
            "alb-http-redirects-to-https", "alb-listener-tls", "alb-access-logs", "alb-deletion-protection",
            "alb-drop-invalid-headers", "alb-desync-mitigation", "alb-multi-subnet", "alb-waf-attached",
        ]);
    });

    it("treats an unset loadBalancerType as application (the AWS default)", () => {
        assert.strictEqual(lbKind({}), "application");
        assert.strictEqual(lbKind({ loadBalancerType: "network" }), "network");
    });

    for (const { family, LoadBalancer, Listener, ListenerRule } of families) {
        describe(family, () => {
            it("passes a hardened application load balancer under every resource policy", async () => {
                const policies = [albAccessLogs, albDeletionProtection, albDropInvalidHeaders, albDesyncMitigation, albMultiSubnet];
                assert.deepStrictEqual(await run(policies, res(LoadBalancer, goodLb)), []);
            });

            describe("alb-access-logs", () => {
                it("rejects a load balancer without access logs, as mandatory", async () => {
                    const diags = await run(albAccessLogs, res(LoadBalancer, { ...goodLb, accessLogs: undefined }));
                    assert.deepStrictEqual(messages(diags), ["Load balancer must write access logs to S3: accessLogs is (unset), expected { enabled: true, bucket: <log bucket> }."]);
                    assert.strictEqual(diags[0].enforcementLevel, "mandatory");
                });
                it("rejects a bucket without enabled: true (AWS default false)", async () => {
                    assert.deepStrictEqual(messages(await run(albAccessLogs, res(LoadBalancer, { ...goodLb, accessLogs: { bucket: "logs" } }))), [
                        "Load balancer must write access logs to S3: accessLogs.enabled is (unset), expected true (AWS keeps logs off even when a bucket is set).",
                    ]);
                });
                it("rejects enabled logs without a bucket", async () => {
                    assert.deepStrictEqual(messages(await run(albAccessLogs, res(LoadBalancer, { ...goodLb, accessLogs: { enabled: true, bucket: "" } }))), [
                        "Load balancer must write access logs to S3: accessLogs.bucket is \"\", expected the log bucket's name.",
                    ]);
                });
                it("counts an unknown bucket name as set, and reports an unknown enabled flag as unverifiable", async () => {
                    assert.deepStrictEqual(await run(albAccessLogs, res(LoadBalancer, { ...goodLb, accessLogs: { enabled: true, bucket: UNKNOWN } })), []);
                    const diags = await run(albAccessLogs, res(LoadBalancer, { ...goodLb, accessLogs: { enabled: UNKNOWN_BOOL, bucket: "logs" } }));
                    assert.strictEqual(diags.length, 1);
                    assert.match(diags[0].message, /^Cannot verify during preview that access logs are enabled: accessLogs.enabled is \(unknown until apply\)/);
                    assert.strictEqual(diags[0].enforcementLevel, "advisory");
                });
                it("applies to network load balancers but not gateway load balancers", async () => {
                    assert.strictEqual((await run(albAccessLogs, res(LoadBalancer, { loadBalancerType: "network" }))).length, 1);
                    assert.deepStrictEqual(await run(albAccessLogs, res(LoadBalancer, { loadBalancerType: "gateway" })), []);
                });
            });

            describe("alb-deletion-protection", () => {
                it("rejects a load balancer without deletion protection, whatever its kind", async () => {
                    for (const loadBalancerType of ["application", "network", "gateway"]) {
                        const diags = await run(albDeletionProtection, res(LoadBalancer, { ...goodLb, loadBalancerType, enableDeletionProtection: false }));
                        assert.deepStrictEqual(messages(diags), ["Load balancer must have deletion protection: enableDeletionProtection is false, expected true."]);
                    }
                });
                it("reports an unknown flag as unverifiable, not as a pass", async () => {
                    const diags = await run(albDeletionProtection, res(LoadBalancer, { ...goodLb, enableDeletionProtection: UNKNOWN_BOOL }));
                    assert.match(diags[0].message, /^Cannot verify during preview that deletion protection is on/);
                    assert.strictEqual(diags[0].cantRunDuringPreview, undefined);
                });
                it("reports an exempted load balancer as advisory with its reason", async () => {
                    const diags = await run(albDeletionProtection, res(LoadBalancer, { ...goodLb, enableDeletionProtection: false }, { name: "scratch" }), {
                        exemptions: [{ resource: "scratch", reason: "ephemeral test load balancer" }],
                    });
                    assert.deepStrictEqual(messages(diags), ["Exempted (ephemeral test load balancer): Load balancer must have deletion protection: enableDeletionProtection is false, expected true."]);
                    assert.strictEqual(diags[0].enforcementLevel, "advisory");
                });
            });

            describe("alb-drop-invalid-headers", () => {
                it("rejects an application load balancer that forwards invalid headers, also when loadBalancerType is unset", async () => {
                    const { loadBalancerType: _t, ...implicit } = goodLb;
                    const diags = await run(albDropInvalidHeaders, res(LoadBalancer, { ...implicit, dropInvalidHeaderFields: undefined }));
                    assert.deepStrictEqual(messages(diags), ["Application load balancer must drop invalid header fields: dropInvalidHeaderFields is (unset), expected true."]);
                });
                it("skips network and gateway load balancers, which have no such setting", async () => {
                    for (const loadBalancerType of ["network", "gateway"]) {
                        assert.deepStrictEqual(await run(albDropInvalidHeaders, res(LoadBalancer, { loadBalancerType })), []);
                    }
                });
                it("reports an unknown kind as unverifiable when the setting is missing", async () => {
                    const diags = await run(albDropInvalidHeaders, res(LoadBalancer, { loadBalancerType: UNKNOWN }));
                    assert.strictEqual(diags.length, 1);
                    assert.match(diags[0].message, /^Cannot verify during preview that an application load balancer drops invalid header fields: loadBalancerType is \(unknown until apply\)/);
                    assert.strictEqual(diags[0].enforcementLevel, "advisory");
                });
            });

            describe("alb-desync-mitigation", () => {
                it("accepts the AWS default (unset means defensive) and strictest", async () => {
                    assert.deepStrictEqual(await run(albDesyncMitigation, res(LoadBalancer, { ...goodLb, desyncMitigationMode: undefined })), []);
                    assert.deepStrictEqual(await run(albDesyncMitigation, res(LoadBalancer, { ...goodLb, desyncMitigationMode: "strictest" })), []);
                });
                it("rejects monitor mode, as advisory", async () => {
                    const diags = await run(albDesyncMitigation, res(LoadBalancer, { ...goodLb, desyncMitigationMode: "monitor" }));
                    assert.deepStrictEqual(messages(diags), ['Application load balancer must mitigate HTTP desync: desyncMitigationMode is "monitor", expected one of "defensive", "strictest".']);
                    assert.strictEqual(diags[0].enforcementLevel, "advisory");
                });
                it("honours a configured allow-list", async () => {
                    assert.deepStrictEqual(messages(await run(albDesyncMitigation, res(LoadBalancer, goodLb), { allowedModes: ["strictest"] })), [
                        'Application load balancer must mitigate HTTP desync: desyncMitigationMode is "defensive", expected one of "strictest".',
                    ]);
                });
            });

            describe("alb-multi-subnet", () => {
                it("rejects a single subnet", async () => {
                    assert.deepStrictEqual(messages(await run(albMultiSubnet, res(LoadBalancer, { ...goodLb, subnets: ["subnet-a"] }))), [
                        'Load balancer must span at least 2 subnets: it has 1 (subnets ["subnet-a"], subnetMappings (unset)), expected one per availability zone.',
                    ]);
                });
                it("counts subnet mappings and ignores duplicate ids", async () => {
                    const mappings = { ...goodLb, subnets: undefined, subnetMappings: [{ subnetId: "subnet-a" }, { subnetId: "subnet-b" }] };
                    assert.deepStrictEqual(await run(albMultiSubnet, res(LoadBalancer, mappings)), []);
                    assert.strictEqual((await run(albMultiSubnet, res(LoadBalancer, { ...goodLb, subnets: ["subnet-a", "subnet-a"] }))).length, 1);
                });
                it("counts elements whose ids are unknown until apply", async () => {
                    assert.deepStrictEqual(await run(albMultiSubnet, res(LoadBalancer, { ...goodLb, subnets: [UNKNOWN, UNKNOWN] })), []);
                });
                it("reports a whole list unknown during the first preview as unverifiable, so it does not block", async () => {
                    const diags = await run(albMultiSubnet, res(LoadBalancer, { ...goodLb, subnets: UNKNOWN_ARRAY }));
                    assert.strictEqual(diags.length, 1);
                    assert.match(diags[0].message, /^Cannot verify during preview that the load balancer spans at least 2 subnets: subnets is \(unknown until apply\)/);
                    assert.strictEqual(diags[0].enforcementLevel, "advisory");
                });
                it("honours a configured minimum", async () => {
                    const diags = await run(albMultiSubnet, res(LoadBalancer, goodLb), { minimumSubnets: 3 });
                    assert.deepStrictEqual(messages(diags), [
                        'Load balancer must span at least 3 subnets: it has 2 (subnets ["subnet-a","subnet-b"], subnetMappings (unset)), expected one per availability zone.',
                    ]);
                });
            });

            describe("alb-listener-tls", () => {
                it("passes an HTTPS listener with an allow-listed policy and an ACM certificate", async () => {
                    assert.deepStrictEqual(await run(albListenerTls, res(Listener, httpsListener)), []);
                });
                it("ignores HTTP listeners, including the default protocol", async () => {
                    assert.deepStrictEqual(await run(albListenerTls, res(Listener, { defaultActions: [redirect] })), []);
                });
                it("rejects an unset policy (AWS falls back to ELBSecurityPolicy-2016-08) and an IAM certificate", async () => {
                    const iamCert = "arn:aws:iam::123456789012:server-certificate/legacy";
                    const diags = await run(albListenerTls, res(Listener, { ...httpsListener, sslPolicy: undefined, certificateArn: iamCert }));
                    assert.deepStrictEqual(messages(diags), [
                        "HTTPS listener must use an allow-listed TLS policy: sslPolicy is (unset) (the provider's default is ELBSecurityPolicy-2016-08, which accepts TLS 1.0), expected one of ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS13-1-3-2021-06, ELBSecurityPolicy-TLS13-1-2-Res-2021-06, ELBSecurityPolicy-FS-1-2-Res-2020-10, ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04, ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04, ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04, ELBSecurityPolicy-TLS13-1-2-PQ-2025-09, ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09, ELBSecurityPolicy-TLS13-1-3-PQ-2025-09, ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09, ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09, ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09.",
                        `HTTPS listener must use an ACM certificate: certificateArn is "${iamCert}", expected an ACM certificate ARN (arn:aws:acm:...).`,
                    ]);
                    assert.strictEqual(diags[0].enforcementLevel, "mandatory");
                });
                it("rejects an old policy on a TLS (network) listener and a missing certificate", async () => {
                    const diags = await run(albListenerTls, res(Listener, { protocol: "TLS", sslPolicy: "ELBSecurityPolicy-2016-08", defaultActions: [] }));
                    assert.deepStrictEqual(messages(diags), [
                        'TLS listener must use an allow-listed TLS policy: sslPolicy is "ELBSecurityPolicy-2016-08", expected one of ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS13-1-3-2021-06, ELBSecurityPolicy-TLS13-1-2-Res-2021-06, ELBSecurityPolicy-FS-1-2-Res-2020-10, ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04, ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04, ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04, ELBSecurityPolicy-TLS13-1-2-PQ-2025-09, ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09, ELBSecurityPolicy-TLS13-1-3-PQ-2025-09, ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09, ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09, ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09.',
                        "TLS listener must use an ACM certificate: certificateArn is (unset), expected an ACM certificate ARN (arn:aws:acm:...).",
                    ]);
                });
                it("counts an unknown certificate ARN as set, and reports an unknown policy as unverifiable", async () => {
                    assert.deepStrictEqual(await run(albListenerTls, res(Listener, { ...httpsListener, certificateArn: UNKNOWN })), []);
                    const diags = await run(albListenerTls, res(Listener, { ...httpsListener, sslPolicy: UNKNOWN }));
                    assert.strictEqual(diags.length, 1);
                    assert.match(diags[0].message, /^Cannot verify during preview that the listener's TLS policy is allow-listed: sslPolicy is \(unknown until apply\)/);
                });
                it("honours a configured allow-list", async () => {
                    const diags = await run(albListenerTls, res(Listener, httpsListener), { allowedSslPolicies: ["ELBSecurityPolicy-TLS13-1-3-2021-06"] });
                    assert.deepStrictEqual(messages(diags), [
                        'HTTPS listener must use an allow-listed TLS policy: sslPolicy is "ELBSecurityPolicy-TLS13-1-2-2021-06", expected one of ELBSecurityPolicy-TLS13-1-3-2021-06.',
                    ]);
                });
            });

            describe("alb-http-redirects-to-https", () => {
                const lbUrn = `urn:pulumi:test::baseline::${(LoadBalancer as any).__pulumiType}::web`;
                const httpUrn = `urn:pulumi:test::baseline::${(Listener as any).__pulumiType}::web-http`;
                const lb = res(LoadBalancer, goodLb, { name: "web" });
                const http = (props: Record<string, any>) => res(Listener, props, { name: "web-http", propertyDependencies: { loadBalancerArn: [lbUrn] } });

                it("passes an HTTP listener that only redirects to HTTPS", async () => {
                    assert.deepStrictEqual(await run(albHttpRedirectsToHttps, [lb, http(httpListener), res(Listener, httpsListener, { name: "web-https" })]), []);
                });
                it("rejects an HTTP listener that forwards, as mandatory, on the listener", async () => {
                    const diags = await run(albHttpRedirectsToHttps, [lb, http({ ...httpListener, defaultActions: [{ type: "forward", targetGroupArn: UNKNOWN }] })]);
                    assert.deepStrictEqual(messages(diags), ['HTTP listener must only redirect to HTTPS: defaultActions[0].type is "forward", expected a single redirect action with protocol "HTTPS".']);
                    assert.strictEqual(diags[0].enforcementLevel, "mandatory");
                    assert.strictEqual(diags[0].urn, httpUrn);
                });
                it("treats a listener without protocol as HTTP (the ALB default)", async () => {
                    const diags = await run(albHttpRedirectsToHttps, [res(Listener, { defaultActions: [{ type: "fixed-response" }] })]);
                    assert.deepStrictEqual(messages(diags), ['HTTP listener must only redirect to HTTPS: defaultActions[0].type is "fixed-response", expected a single redirect action with protocol "HTTPS".']);
                });
                it("rejects a redirect that keeps the request's protocol", async () => {
                    const keep = { type: "redirect", redirect: { port: "8080", statusCode: "HTTP_302" } };
                    assert.deepStrictEqual(messages(await run(albHttpRedirectsToHttps, [lb, http({ ...httpListener, defaultActions: [keep] })])), [
                        'HTTP listener must only redirect to HTTPS: defaultActions[0].redirect.protocol is (unset), expected a single redirect action with protocol "HTTPS".',
                    ]);
                });
                it("rejects several default actions", async () => {
                    const actions = [{ type: "authenticate-oidc", order: 1 }, { type: "forward", order: 2 }];
                    assert.deepStrictEqual(messages(await run(albHttpRedirectsToHttps, [lb, http({ ...httpListener, defaultActions: actions })])), [
                        'HTTP listener must only redirect to HTTPS: defaultActions has 2 actions ("authenticate-oidc", "forward"), expected a single redirect action with protocol "HTTPS".',
                    ]);
                });
                it("rejects a listener rule that forwards on the HTTP listener (joined through listenerArn)", async () => {
                    const rule = res(ListenerRule, { listenerArn: UNKNOWN, priority: 10, actions: [{ type: "forward", targetGroupArn: UNKNOWN }], conditions: [] }, {
                        name: "api", propertyDependencies: { listenerArn: [httpUrn] },
                    });
                    const diags = await run(albHttpRedirectsToHttps, [lb, http(httpListener), rule]);
                    assert.deepStrictEqual(messages(diags), ['Listener rule on HTTP listener "web-http" must only redirect to HTTPS: actions[0].type is "forward", expected a single redirect action with protocol "HTTPS".']);
                    assert.strictEqual(diags[0].urn, rule.urn);
                });
                it("accepts forwarding rules on the HTTPS listener", async () => {
                    const httpsUrn = `urn:pulumi:test::baseline::${(Listener as any).__pulumiType}::web-https`;
                    const rule = res(ListenerRule, { listenerArn: UNKNOWN, actions: [{ type: "forward" }], conditions: [] }, { name: "api", propertyDependencies: { listenerArn: [httpsUrn] } });
                    assert.deepStrictEqual(await run(albHttpRedirectsToHttps, [lb, http(httpListener), res(Listener, httpsListener, { name: "web-https" }), rule]), []);
                });
                it("joins a rule by a known listener ARN after apply", async () => {
                    const arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/1/2";
                    const rule = res(ListenerRule, { listenerArn: arn, actions: [{ type: "forward" }], conditions: [] }, { name: "api" });
                    assert.strictEqual((await run(albHttpRedirectsToHttps, [http({ ...httpListener, arn }), rule])).length, 1);
                });
                it("skips gateway load balancer listeners, which have no protocol", async () => {
                    const gwlb = res(LoadBalancer, { loadBalancerType: "gateway" }, { name: "web" });
                    assert.deepStrictEqual(await run(albHttpRedirectsToHttps, [gwlb, http({ loadBalancerArn: UNKNOWN, defaultActions: [{ type: "forward" }] })]), []);
                });
                it("reports unknown protocol and actions as unverifiable", async () => {
                    const diags = await run(albHttpRedirectsToHttps, [
                        res(Listener, { ...httpListener, protocol: UNKNOWN }, { name: "a" }),
                        res(Listener, { ...httpListener, defaultActions: UNKNOWN_ARRAY }, { name: "b" }),
                        res(Listener, { ...httpListener, defaultActions: [{ type: "redirect", redirect: { protocol: UNKNOWN } }] }, { name: "c" }),
                    ]);
                    assert.deepStrictEqual(diags.map((d) => [d.urn?.split("::").pop(), d.enforcementLevel, d.message.replace(/ Re-run.*$/, "")]), [
                        ["a", "advisory", "Cannot verify during preview that an HTTP listener only redirects to HTTPS: protocol is (unknown until apply)."],
                        ["b", "advisory", "Cannot verify during preview that HTTP listener only redirects to HTTPS: defaultActions is (unknown until apply)."],
                        ["c", "advisory", "Cannot verify during preview that HTTP listener only redirects to HTTPS: defaultActions[0].redirect.protocol is (unknown until apply)."],
                    ]);
                });
                it("reports an exempted listener as advisory", async () => {
                    const diags = await run(albHttpRedirectsToHttps, [http({ ...httpListener, defaultActions: [{ type: "forward" }] })], {
                        exemptions: [{ resource: "urn:pulumi:test::baseline::*::web-http", reason: "health checks from a legacy monitor" }],
                    });
                    assert.strictEqual(diags.length, 1);
                    assert.match(diags[0].message, /^Exempted \(health checks from a legacy monitor\): HTTP listener must only redirect to HTTPS/);
                    assert.strictEqual(diags[0].enforcementLevel, "advisory");
                });
            });

            describe("alb-waf-attached", () => {
                const lbUrn = `urn:pulumi:test::baseline::${(LoadBalancer as any).__pulumiType}::web`;
                const lb = res(LoadBalancer, goodLb, { name: "web" });
                const association = (o: { deps?: string[]; resourceArn?: string } = {}) =>
                    res(aws.wafv2.WebAclAssociation, { resourceArn: o.resourceArn ?? UNKNOWN, webAclArn: UNKNOWN }, { name: "web-waf", propertyDependencies: { resourceArn: o.deps ?? [lbUrn] } });

                it("passes an internet-facing ALB with a web ACL association that takes its ARN", async () => {
                    assert.deepStrictEqual(await run(albWafAttached, [lb, association()]), []);
                });
                it("rejects an internet-facing ALB without one, as mandatory", async () => {
                    const diags = await run(albWafAttached, [lb]);
                    assert.deepStrictEqual(messages(diags), ["Internet-facing application load balancer must be associated with a WAF web ACL: internal is false and no aws.wafv2.WebAclAssociation takes its ARN as resourceArn, expected one."]);
                    assert.strictEqual(diags[0].enforcementLevel, "mandatory");
                    assert.strictEqual(diags[0].urn, lbUrn);
                });
                it("does not accept an association for another resource", async () => {
                    const other = "urn:pulumi:test::baseline::aws:apigateway/stage:Stage::api";
                    assert.strictEqual((await run(albWafAttached, [lb, res(aws.apigateway.Stage, {}, { name: "api" }), association({ deps: [other] })])).length, 1);
                });
                it("joins by a known ARN after apply", async () => {
                    const arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1";
                    assert.deepStrictEqual(await run(albWafAttached, [res(LoadBalancer, { ...goodLb, arn }, { name: "web" }), association({ deps: [], resourceArn: arn })]), []);
                });
                it("skips internal and network load balancers", async () => {
                    assert.deepStrictEqual(await run(albWafAttached, [res(LoadBalancer, { ...goodLb, internal: true })]), []);
                    assert.deepStrictEqual(await run(albWafAttached, [res(LoadBalancer, { ...goodLb, loadBalancerType: "network" })]), []);
                });
                it("treats an unset internal flag as internet-facing (the AWS default)", async () => {
                    assert.strictEqual((await run(albWafAttached, [res(LoadBalancer, { ...goodLb, internal: undefined })])).length, 1);
                });
                it("reports unknown internal flags and unplaceable associations as unverifiable", async () => {
                    const unknownInternal = await run(albWafAttached, [res(LoadBalancer, { ...goodLb, internal: UNKNOWN_BOOL }, { name: "web" })]);
                    assert.match(unknownInternal[0].message, /^Cannot verify during preview that load balancer "web" is internal or has a WAF web ACL: internal is \(unknown until apply\)/);
                    const unplaced = await run(albWafAttached, [lb, association({ deps: [] })]);
                    assert.strictEqual(unplaced.length, 1);
                    assert.match(unplaced[0].message, /^Cannot verify during preview that load balancer "web" is internal or has a WAF web ACL: resourceArn is \(unknown until apply\)/);
                    assert.strictEqual(unplaced[0].enforcementLevel, "advisory");
                });
            });
        });
    }
});
