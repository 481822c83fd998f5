import * as aws from "@pulumi/aws";
import * as assert from "assert";
import {
    elbClassicAccessLogs, elbClassicAcmCertificate, elbClassicConnectionDraining, elbClassicCrossZone, elbClassicDesyncMitigation,
    elbClassicMigrate, elbClassicMultiAz, elbClassicTlsListeners, elbClassicTlsPolicy,
} from "../../policies/edge/elb-classic";
import { Diagnostic } from "../../tools/offline/evaluate";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, messages, res, run } from "./helpers";

const ACM = "arn:aws:acm:eu-west-1:123456789012:certificate/abc";
const HTTPS = { lbPort: 443, lbProtocol: "https", instancePort: 8080, instanceProtocol: "http", sslCertificateId: ACM };
const GOOD = {
    name: "web", listeners: [HTTPS], accessLogs: { bucket: "logs", enabled: true }, connectionDraining: true,
    subnets: ["subnet-a", "subnet-b"],
};
const clb = (props: Record<string, any>, o: { name?: string; propertyDependencies?: Record<string, string[]> } = {}) =>
    res(aws.elb.LoadBalancer, props, { name: o.name ?? "web-clb", propertyDependencies: o.propertyDependencies });
const tlsPolicy = (value: unknown, extra: { name: string; value: string }[] = []) => res(aws.elb.LoadBalancerPolicy, {
    loadBalancerName: "web", policyName: "tls12", policyTypeName: "SSLNegotiationPolicyType",
    policyAttributes: [{ name: "Reference-Security-Policy", value }, ...extra],
}, { name: "tls12" });
const listenerPolicy = (props: Record<string, any> = {}, deps: Record<string, string[]> = {}) =>
    res(aws.elb.ListenerPolicy, { loadBalancerName: "web", loadBalancerPort: 443, policyNames: ["tls12"], ...props }, { name: "tls12-443", propertyDependencies: deps });

const unverifiable = (diags: Diagnostic[]) => {
    assert.ok(diags.length > 0);
    assert.ok(diags.every((d) => d.enforcementLevel === "advisory" && d.cantRunDuringPreview === undefined), JSON.stringify(diags));
};
const WHY = "Re-run the check after apply, or set the value from configuration.";
const MALFORMED = [null, 42, "x", [null], [42], [{}], [{ lbProtocol: null }], {}];

describe("policies: classic ELB", () => {
    describe("elb-classic-tls-listeners", () => {
        it("passes HTTPS and SSL listeners, rejects HTTP and TCP as mandatory", async () => {
            assert.deepStrictEqual(await run(elbClassicTlsListeners, clb({ listeners: [HTTPS, { ...HTTPS, lbPort: 8443, lbProtocol: "SSL" }] })), []);
            const diags = await run(elbClassicTlsListeners, clb({ listeners: [{ lbPort: 80, lbProtocol: "http", instancePort: 80, instanceProtocol: "http" }, { lbPort: 25, lbProtocol: "tcp" }] }));
            assert.deepStrictEqual(messages(diags), [
                'Classic load balancer must terminate TLS on every listener: listeners[0].lbProtocol is "http" (port 80), expected "https" or "ssl".',
                'Classic load balancer must terminate TLS on every listener: listeners[1].lbProtocol is "tcp" (port 25), expected "https" or "ssl".',
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
        });
        it("reports unknown listeners and protocols as unverifiable; malformed lists never throw", async () => {
            const diags = await run(elbClassicTlsListeners, [clb({ listeners: UNKNOWN_ARRAY }, { name: "a" }), clb({ listeners: [{ lbPort: 443, lbProtocol: UNKNOWN }] }, { name: "b" })]);
            assert.deepStrictEqual(messages(diags), [
                `Cannot verify during preview that every listener uses HTTPS or SSL: listeners is (unknown until apply). ${WHY}`,
                `Cannot verify during preview that every listener uses HTTPS or SSL: listeners[0].lbProtocol is (unknown until apply). ${WHY}`,
            ]);
            unverifiable(diags);
            for (const listeners of MALFORMED) await run(elbClassicTlsListeners, clb({ listeners }));
        });
    });

    describe("elb-classic-acm-certificate", () => {
        it("passes ACM ARNs and certificates created in the stack, rejects IAM server certificates as advisory", async () => {
            const cert = res(aws.acm.Certificate, { domainName: "shop.example.com" }, { name: "cert" });
            assert.deepStrictEqual(await run(elbClassicAcmCertificate, [clb({ listeners: [HTTPS] }, { name: "a" }), cert,
                clb({ listeners: [{ ...HTTPS, sslCertificateId: UNKNOWN }] }, { name: "b", propertyDependencies: { listeners: [cert.urn] } })]), []);
            const diags = await run(elbClassicAcmCertificate, clb({ listeners: [{ ...HTTPS, sslCertificateId: "arn:aws:iam::123456789012:server-certificate/shop" }] }));
            assert.deepStrictEqual(messages(diags), ['Classic load balancer must use ACM certificates: listeners[0].sslCertificateId is "arn:aws:iam::123456789012:server-certificate/shop", expected an ACM certificate ARN (arn:aws:acm:...).']);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("reports an unknown certificate from outside the stack as unverifiable", async () => {
            const diags = await run(elbClassicAcmCertificate, clb({ listeners: [{ ...HTTPS, sslCertificateId: UNKNOWN }] }));
            assert.deepStrictEqual(messages(diags), [`Cannot verify during preview that the listener's certificate comes from ACM: listeners[0].sslCertificateId is (unknown until apply). ${WHY}`]);
            unverifiable(diags);
            for (const listeners of MALFORMED) await run(elbClassicAcmCertificate, clb({ listeners }));
        });
    });

    describe("elb-classic-access-logs", () => {
        it("passes enabled logs, rejects none, disabled or bucketless as mandatory", async () => {
            assert.deepStrictEqual(await run(elbClassicAccessLogs, [clb(GOOD), clb({ accessLogs: { bucket: UNKNOWN } }, { name: "b" })]), []);
            const diags = await run(elbClassicAccessLogs, [clb({}, { name: "a" }), clb({ accessLogs: { bucket: "logs", enabled: false } }, { name: "b" }), clb({ accessLogs: { bucket: "" } }, { name: "c" })]);
            assert.deepStrictEqual(messages(diags), [
                "Classic load balancer must deliver access logs: accessLogs is (unset), expected { bucket, enabled: true }.",
                "Classic load balancer must deliver access logs: accessLogs.enabled is false, expected true.",
                'Classic load balancer must deliver access logs: accessLogs.bucket is "", expected a log bucket name.',
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
        });
        it("reports unknown settings as unverifiable; malformed values never throw", async () => {
            const diags = await run(elbClassicAccessLogs, [clb({ accessLogs: UNKNOWN }, { name: "a" }), clb({ accessLogs: { bucket: "logs", enabled: UNKNOWN_BOOL } }, { name: "b" })]);
            assert.deepStrictEqual(messages(diags), [
                `Cannot verify during preview that access logs are delivered: accessLogs is (unknown until apply). ${WHY}`,
                `Cannot verify during preview that access logs are delivered: accessLogs.enabled is (unknown until apply). ${WHY}`,
            ]);
            unverifiable(diags);
            for (const accessLogs of [null, 42, [], "x", { enabled: null }]) await run(elbClassicAccessLogs, clb({ accessLogs }));
        });
    });

    describe("resilience settings", () => {
        it("connection draining: required (default off), advisory, unknown unverifiable", async () => {
            assert.deepStrictEqual(await run(elbClassicConnectionDraining, clb(GOOD)), []);
            const diags = await run(elbClassicConnectionDraining, clb({}));
            assert.deepStrictEqual(messages(diags), ["Classic load balancer must drain connections: connectionDraining is (unset, default false), expected true."]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            unverifiable(await run(elbClassicConnectionDraining, clb({ connectionDraining: UNKNOWN_BOOL })));
            await run(elbClassicConnectionDraining, clb({ connectionDraining: "yes" }));
        });
        it("cross-zone: the default passes, false fails, unknown unverifiable", async () => {
            assert.deepStrictEqual(await run(elbClassicCrossZone, clb({})), []);
            assert.deepStrictEqual(messages(await run(elbClassicCrossZone, clb({ crossZoneLoadBalancing: false }))), ["Classic load balancer must balance across zones: crossZoneLoadBalancing is false, expected true."]);
            const unknown = await run(elbClassicCrossZone, clb({ crossZoneLoadBalancing: UNKNOWN_BOOL }));
            assert.deepStrictEqual(messages(unknown), [`Cannot verify during preview that cross-zone load balancing is enabled: crossZoneLoadBalancing is (unknown until apply). ${WHY}`]);
            unverifiable(unknown);
        });
        it("multi-AZ: two subnets or zones pass, one fails, unknown unverifiable", async () => {
            assert.deepStrictEqual(await run(elbClassicMultiAz, [clb(GOOD), clb({ availabilityZones: ["eu-west-1a", "eu-west-1b"] }, { name: "b" }), clb({ subnets: [UNKNOWN, UNKNOWN] }, { name: "c" })]), []);
            const diags = await run(elbClassicMultiAz, [clb({ subnets: ["subnet-a"] }, { name: "a" }), clb({}, { name: "b" })]);
            assert.deepStrictEqual(messages(diags), [
                'Classic load balancer must span at least two Availability Zones: subnets is ["subnet-a"], expected two or more.',
                "Classic load balancer must span at least two Availability Zones: availabilityZones is (unset), expected two or more.",
            ]);
            unverifiable(await run(elbClassicMultiAz, clb({ subnets: UNKNOWN_ARRAY })));
            for (const subnets of [null, 42, "x", [null, null]]) await run(elbClassicMultiAz, clb({ subnets }));
        });
        it("desync mitigation: unset, defensive, strictest pass; monitor fails; unknown unverifiable", async () => {
            assert.deepStrictEqual(await run(elbClassicDesyncMitigation, [clb({}), clb({ desyncMitigationMode: "strictest" }, { name: "b" })]), []);
            const diags = await run(elbClassicDesyncMitigation, clb({ desyncMitigationMode: "monitor" }));
            assert.deepStrictEqual(messages(diags), ['Classic load balancer must mitigate HTTP desync: desyncMitigationMode is "monitor", expected "defensive" or "strictest".']);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            unverifiable(await run(elbClassicDesyncMitigation, clb({ desyncMitigationMode: UNKNOWN })));
            await run(elbClassicDesyncMitigation, clb({ desyncMitigationMode: 42 }));
        });
    });

    describe("elb-classic-tls-policy", () => {
        it("passes a listener with the predefined TLS 1.2 policy attached, by name or by dependency", async () => {
            assert.deepStrictEqual(await run(elbClassicTlsPolicy, [clb(GOOD), tlsPolicy("ELBSecurityPolicy-TLS-1-2-2017-01"), listenerPolicy()]), []);
            const lb = clb({ ...GOOD, name: undefined });
            const policy = res(aws.elb.LoadBalancerPolicy, { loadBalancerName: UNKNOWN, policyName: "tls12", policyTypeName: "SSLNegotiationPolicyType", policyAttributes: [{ name: "Reference-Security-Policy", value: "ELBSecurityPolicy-TLS-1-2-2017-01" }] }, { name: "tls12" });
            const attach = listenerPolicy({ loadBalancerName: UNKNOWN, policyNames: [UNKNOWN] }, { loadBalancerName: [lb.urn], policyNames: [policy.urn] });
            assert.deepStrictEqual(await run(elbClassicTlsPolicy, [lb, policy, attach]), []);
            assert.deepStrictEqual(await run(elbClassicTlsPolicy, clb({ listeners: [{ lbPort: 80, lbProtocol: "http" }] })), []);
        });
        it("rejects the default policy, a weak predefined one and custom ciphers, as mandatory", async () => {
            const expected = 'expected an aws.elb.LoadBalancerPolicy of type SSLNegotiationPolicyType whose only attribute is Reference-Security-Policy "ELBSecurityPolicy-TLS-1-2-2017-01", attached by an aws.elb.ListenerPolicy';
            const none = await run(elbClassicTlsPolicy, clb(GOOD));
            assert.deepStrictEqual(messages(none), [`Classic load balancer must use a strong predefined TLS policy: listeners[0] (port 443) has no SSL negotiation policy, so AWS applies ELBSecurityPolicy-2016-08 (TLS 1.0 and 1.1 allowed), ${expected}.`]);
            assert.strictEqual(none[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(elbClassicTlsPolicy, [clb(GOOD), tlsPolicy("ELBSecurityPolicy-2016-08"), listenerPolicy()])), [
                `Classic load balancer must use a strong predefined TLS policy: listeners[0] (port 443) negotiates with Reference-Security-Policy "ELBSecurityPolicy-2016-08", ${expected}.`,
            ]);
            const custom = res(aws.elb.SslNegotiationPolicy, { loadBalancer: "web", lbPort: 443, attributes: [{ name: "Protocol-TLSv1", value: "true" }] }, { name: "custom" });
            assert.deepStrictEqual(messages(await run(elbClassicTlsPolicy, [clb(GOOD), custom])), [
                `Classic load balancer must use a strong predefined TLS policy: listeners[0] (port 443) negotiates with custom attributes "Protocol-TLSv1", ${expected}.`,
            ]);
        });
        it("accepts a configured policy list", async () => {
            assert.deepStrictEqual(await run(elbClassicTlsPolicy, [clb(GOOD), tlsPolicy("ELBSecurityPolicy-TLS-1-1-2017-01"), listenerPolicy()], { allowedPolicies: ["ELBSecurityPolicy-TLS-1-1-2017-01"] }), []);
        });
        it("reports unknown policy values or names as unverifiable; malformed inputs never throw", async () => {
            const diags = await run(elbClassicTlsPolicy, [clb(GOOD), tlsPolicy(UNKNOWN), listenerPolicy()]);
            assert.deepStrictEqual(messages(diags), [`Cannot verify during preview that listeners[0] (port 443) uses a predefined TLS 1.2 security policy: listeners is ${JSON.stringify([HTTPS])}. ${WHY}`]);
            unverifiable(diags);
            unverifiable(await run(elbClassicTlsPolicy, [clb(GOOD), listenerPolicy({ policyNames: [UNKNOWN] })]));
            for (const bad of MALFORMED) {
                await run(elbClassicTlsPolicy, [clb({ ...GOOD, listeners: bad }), res(aws.elb.LoadBalancerPolicy, { loadBalancerName: "web", policyName: "tls12", policyTypeName: "SSLNegotiationPolicyType", policyAttributes: bad }, { name: "p" }), listenerPolicy({ policyNames: bad })]);
            }
        });
    });

    describe("TLS listener checks with listeners unknown until apply", () => {
        it("the ACM and TLS-policy checks report an unknown listener list, entry or protocol as unverifiable instead of skipping it", async () => {
            for (const policy of [elbClassicAcmCertificate, elbClassicTlsPolicy]) {
                for (const [listeners, path] of [[UNKNOWN_ARRAY, "listeners"], [[UNKNOWN], "listeners[0]"], [[{ ...HTTPS, lbProtocol: UNKNOWN }], "listeners[0].lbProtocol"]] as const) {
                    const diags = await run(policy, clb({ ...GOOD, listeners }));
                    unverifiable(diags);
                    assert.strictEqual(diags.length, 1, `${policy.name} ${path}`);
                    assert.ok(diags[0].message.includes(`: ${path} is `), diags[0].message);
                }
                // A plain HTTP listener is elb-classic-tls-listeners' to refuse: these checks have nothing to judge.
                assert.deepStrictEqual(await run(policy, clb({ ...GOOD, listeners: [{ ...HTTPS, lbProtocol: "http", sslCertificateId: undefined }] })), []);
            }
        });
    });

    describe("elb-classic-migrate", () => {
        it("recommends an ALB or NLB for every classic load balancer, as advisory", async () => {
            const diags = await run(elbClassicMigrate, clb(GOOD));
            assert.deepStrictEqual(messages(diags), ["Classic load balancer must be migrated to the current generation: it is an aws.elb.LoadBalancer (previous generation), expected an aws.lb.LoadBalancer (Application or Network Load Balancer)."]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.deepStrictEqual(await run(elbClassicMigrate, res(aws.lb.LoadBalancer, { loadBalancerType: "application" })), []);
        });
    });
});
