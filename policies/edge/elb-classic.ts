import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { StackReporter, StackResource, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { isSet, isUnknown, list, show } from "../lib/props";
import { ofType } from "../lib/by-type";
import { linked, refersTo, sourcesOf } from "../lib/joins";

/**
 * Classic Load Balancers (aws.elb.LoadBalancer): TLS on every listener with a strong predefined
 * policy and an ACM certificate, access logs, the resilience settings Security Hub checks, and a
 * standing recommendation to move to an Application or Network Load Balancer.
 */

const CLB = tokenOf(aws.elb.LoadBalancer);
const LISTENER_POLICY = tokenOf(aws.elb.ListenerPolicy);
const LB_POLICY = tokenOf(aws.elb.LoadBalancerPolicy);
const SSL_NEGOTIATION = tokenOf(aws.elb.SslNegotiationPolicy);
const ACM_CERTIFICATE = new Set([tokenOf(aws.acm.Certificate), tokenOf(aws.acm.CertificateValidation)]);
const KIND = "Classic load balancer";

const lower = (value: unknown) => (typeof value === "string" && !isUnknown(value) ? value.trim().toLowerCase() : undefined);
const TLS_PROTOCOLS = ["https", "ssl"];
const isTlsListener = (l: any) => l !== null && typeof l === "object" && TLS_PROTOCOLS.includes(lower(l.lbProtocol) ?? "");

/**
 * The TLS listeners of a load balancer, for the checks that judge TLS listeners only. The list, an entry
 * or an entry's protocol unknown until apply may hide one: reported as unverifiable instead of skipped.
 */
function tlsListeners(lb: StackResource, requirement: string, report: StackReporter): { listener: any; index: number }[] {
    const listeners = lb.props.listeners;
    if (isUnknown(listeners)) {
        report.unverifiable(lb, "listeners", requirement);
        return [];
    }
    const found: { listener: any; index: number }[] = [];
    list(listeners).forEach((l, i) => {
        if (isUnknown(l)) report.unverifiable(lb, `listeners[${i}]`, requirement);
        else if (l !== null && typeof l === "object" && isUnknown(l.lbProtocol)) report.unverifiable(lb, `listeners[${i}].lbProtocol`, requirement);
        else if (isTlsListener(l)) found.push({ listener: l, index: i });
    });
    return found;
}

/** elb-01: clients reach a classic load balancer over TLS only. */
export const elbClassicTlsListeners = resourcePolicy({
    name: "elb-classic-tls-listeners",
    description: "Every listener of a Classic Load Balancer must use HTTPS or SSL (TLS) on the front end.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set `lbProtocol: "https"` (or "ssl" for TCP) with `sslCertificateId` set to an ACM certificate ARN on every entry of the aws.elb.LoadBalancer\'s `listeners`, and drop plain HTTP/TCP listeners.',
    securityHub: ["ELB.3"],
    catalogue: ["elb-01"],
    types: [aws.elb.LoadBalancer],
    check: (lb, _ctx, report) => {
        if (isUnknown(lb.listeners)) {
            report.unverifiable("listeners", lb.listeners, "every listener uses HTTPS or SSL");
            return;
        }
        list(lb.listeners).forEach((l, i) => {
            const protocol = l !== null && typeof l === "object" ? l.lbProtocol : l;
            if (isUnknown(protocol)) report.unverifiable(`listeners[${i}].lbProtocol`, protocol, "every listener uses HTTPS or SSL");
            else if (!isTlsListener(l)) {
                const port = l !== null && typeof l === "object" && typeof l.lbPort === "number" ? ` (port ${l.lbPort})` : "";
                report.violation(`${KIND} must terminate TLS on every listener: listeners[${i}].lbProtocol is ${show(protocol)}${port}, expected "https" or "ssl".`);
            }
        });
    },
});

/** elb-02: an ACM certificate renews itself; an uploaded IAM server certificate expires unnoticed. */
export const elbClassicAcmCertificate = stackPolicy({
    name: "elb-classic-acm-certificate",
    description: "HTTPS/SSL listeners of a Classic Load Balancer must use a certificate from AWS Certificate Manager.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Issue or import the certificate with aws.acm.Certificate and set the listener's `sslCertificateId` to its ARN instead of an IAM server certificate.",
    securityHub: ["ELB.2"],
    catalogue: ["elb-02"],
    types: [CLB],
    check: (resources, _ctx, report) => {
        for (const lb of ofType(resources, CLB)) {
            tlsListeners(lb, "every HTTPS/SSL listener's certificate comes from ACM", report).forEach(({ listener: l, index: i }) => {
                const cert = l.sslCertificateId;
                if (typeof cert === "string" && !isUnknown(cert) && /^arn:[^:]+:acm:/.test(cert)) return;
                if (isUnknown(cert)) {
                    // Listener entries share one dependency list: an ACM certificate among it is the certificate.
                    if (sourcesOf(lb, "listeners", ACM_CERTIFICATE).length > 0) return;
                    report.unverifiable(lb, `listeners[${i}].sslCertificateId`, "the listener's certificate comes from ACM");
                } else {
                    report.violation(lb, `${KIND} must use ACM certificates: listeners[${i}].sslCertificateId is ${show(cert)}, expected an ACM certificate ARN (arn:aws:acm:...).`);
                }
            });
        }
    },
});

/** elb-03: who called what through the load balancer can be told after an incident. */
export const elbClassicAccessLogs = resourcePolicy({
    name: "elb-classic-access-logs",
    description: "Classic Load Balancers must deliver access logs to S3.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `accessLogs: { bucket: <log bucket>, enabled: true }` on the aws.elb.LoadBalancer (the bucket policy must let the region's ELB account write).",
    securityHub: ["ELB.5"],
    catalogue: ["elb-03"],
    types: [aws.elb.LoadBalancer],
    check: (lb, _ctx, report) => {
        const logs = lb.accessLogs;
        if (isUnknown(logs)) report.unverifiable("accessLogs", logs, "access logs are delivered");
        else if (logs === null || typeof logs !== "object" || Array.isArray(logs)) {
            report.violation(`${KIND} must deliver access logs: accessLogs is ${show(logs ?? undefined)}, expected { bucket, enabled: true }.`);
        } else if (isUnknown(logs.enabled)) report.unverifiable("accessLogs.enabled", logs.enabled, "access logs are delivered");
        else if (logs.enabled === false) report.violation(`${KIND} must deliver access logs: accessLogs.enabled is false, expected true.`);
        else if (!isSet(logs.bucket)) report.violation(`${KIND} must deliver access logs: accessLogs.bucket is ${show(logs.bucket ?? undefined)}, expected a log bucket name.`);
    },
});

/** A boolean setting that must be true, unset meaning the provider's default. */
function booleanSetting(meta: { name: string; input: string; default: boolean; rule: string; requirement: string; catalogue: string; control: string; remediation: string; description: string }) {
    return resourcePolicy({
        name: meta.name,
        description: meta.description,
        severity: "medium",
        enforcementLevel: "advisory",
        remediationSteps: meta.remediation,
        securityHub: [meta.control],
        catalogue: [meta.catalogue],
        types: [aws.elb.LoadBalancer],
        check: (lb, _ctx, report) => {
            const value = lb[meta.input];
            if (isUnknown(value)) report.unverifiable(meta.input, value, meta.requirement);
            else if ((value ?? meta.default) !== true) {
                const found = value === undefined || value === null ? `(unset, default ${meta.default})` : show(value);
                report.violation(`${KIND} must ${meta.rule}: ${meta.input} is ${found}, expected true.`);
            }
        },
    });
}

/** elb-04: instances leaving the load balancer finish their requests. */
export const elbClassicConnectionDraining = booleanSetting({
    name: "elb-classic-connection-draining", input: "connectionDraining", default: false, control: "ELB.7", catalogue: "elb-04",
    description: "Classic Load Balancers must have connection draining enabled.",
    rule: "drain connections", requirement: "connection draining is enabled",
    remediation: "Set `connectionDraining: true` (and `connectionDrainingTimeout`, 300 s by default) on the aws.elb.LoadBalancer.",
});

/** elb-05: every node spreads requests over all healthy instances, whatever zone they are in. */
export const elbClassicCrossZone = booleanSetting({
    name: "elb-classic-cross-zone", input: "crossZoneLoadBalancing", default: true, control: "ELB.9", catalogue: "elb-05",
    description: "Classic Load Balancers must have cross-zone load balancing enabled.",
    rule: "balance across zones", requirement: "cross-zone load balancing is enabled",
    remediation: "Leave `crossZoneLoadBalancing` unset (true) or set it to true on the aws.elb.LoadBalancer.",
});

/** elb-06: one zone's outage does not take the load balancer down. */
export const elbClassicMultiAz = resourcePolicy({
    name: "elb-classic-multi-az",
    description: "Classic Load Balancers must span at least two Availability Zones (subnets or availabilityZones).",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "List subnets in at least two Availability Zones in `subnets` (or two zones in `availabilityZones`) on the aws.elb.LoadBalancer.",
    securityHub: ["ELB.10"],
    catalogue: ["elb-06"],
    types: [aws.elb.LoadBalancer],
    check: (lb, _ctx, report) => {
        const input = lb.subnets !== undefined && lb.subnets !== null ? "subnets" : "availabilityZones";
        const value = lb[input];
        if (isUnknown(value)) report.unverifiable(input, value, "the load balancer spans at least two Availability Zones");
        // Distinct known entries, and every unknown one (ids of subnets created in the stack) on its own.
        else if (new Set(list(value).filter(isSet).map((v, i) => (isUnknown(v) ? `unknown ${i}` : v))).size < 2) {
            report.violation(`${KIND} must span at least two Availability Zones: ${input} is ${show(value ?? undefined)}, expected two or more.`);
        }
    },
});

/** elb-07: requests that could be smuggled past the load balancer are refused. */
export const elbClassicDesyncMitigation = resourcePolicy({
    name: "elb-classic-desync-mitigation",
    description: "Classic Load Balancers must use the defensive or strictest desync mitigation mode.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: 'Leave `desyncMitigationMode` unset ("defensive") or set "strictest" on the aws.elb.LoadBalancer.',
    securityHub: ["ELB.14"],
    catalogue: ["elb-07"],
    types: [aws.elb.LoadBalancer],
    check: (lb, _ctx, report) => {
        const mode = lb.desyncMitigationMode;
        if (isUnknown(mode)) report.unverifiable("desyncMitigationMode", mode, "desync mitigation is defensive or strictest");
        else if (mode !== undefined && mode !== null && !["defensive", "strictest"].includes(lower(mode) ?? "")) {
            report.violation(`${KIND} must mitigate HTTP desync: desyncMitigationMode is ${show(mode)}, expected "defensive" or "strictest".`);
        }
    },
});

const REFERENCE = "Reference-Security-Policy";

/** What an SSL negotiation policy's attributes make it: a predefined policy by name, or a custom one. */
function negotiation(attributes: unknown, allowed: string[]): { ok: true } | { ok: false; found: string } | { unknown: true } {
    if (isUnknown(attributes)) return { unknown: true };
    const attrs = list(attributes).filter((a) => a !== null && typeof a === "object");
    if (attrs.some((a) => isUnknown(a.name) || isUnknown(a.value))) return { unknown: true };
    const reference = attrs.find((a) => a.name === REFERENCE);
    const custom = attrs.filter((a) => a.name !== REFERENCE);
    if (custom.length > 0) return { ok: false, found: `custom attributes ${custom.map((a) => show(a.name)).join(", ")}` };
    if (!reference) return { ok: false, found: `no ${REFERENCE}` };
    return allowed.includes(reference.value) ? { ok: true } : { ok: false, found: `${REFERENCE} ${show(reference.value)}` };
}

function checkListenerTls(lb: StackResource, index: number, port: unknown, resources: StackResource[], allowed: string[], report: StackReporter): void {
    const where = `listeners[${index}] (port ${show(port)})`;
    const requirement = `${where} uses a predefined TLS 1.2 security policy`;
    const expected = `expected an aws.elb.LoadBalancerPolicy of type SSLNegotiationPolicyType whose only attribute is ${REFERENCE} ${allowed.map((a) => `"${a}"`).join(" or ")}, attached by an aws.elb.ListenerPolicy`;
    const onLb = (r: StackResource, input: string) => refersTo(r, input, lb, { ids: ["name"] });
    const samePort = (value: unknown) => value === port || isUnknown(value) || isUnknown(port);
    const policies = ofType(resources, LB_POLICY);
    const findings: ({ ok: true } | { ok: false; found: string } | { unknown: true })[] = [];
    for (const lp of ofType(resources, LISTENER_POLICY).filter((x) => onLb(x, "loadBalancerName") && samePort(x.props.loadBalancerPort))) {
        const names = lp.props.policyNames;
        const attached = linked(lp, "policyNames", policies, { ids: ["policyName"] });
        if (list(names).some((n) => typeof n === "string" && allowed.includes(n))) findings.push({ ok: true });
        const ssl = attached.filter((p) => p.props.policyTypeName === "SSLNegotiationPolicyType" || isUnknown(p.props.policyTypeName));
        for (const p of ssl) findings.push(negotiation(p.props.policyAttributes, allowed));
        if (ssl.length === 0 && (isUnknown(names) || list(names).some(isUnknown))) findings.push({ unknown: true });
    }
    for (const sp of ofType(resources, SSL_NEGOTIATION).filter((x) => onLb(x, "loadBalancer") && samePort(x.props.lbPort))) {
        findings.push(negotiation(sp.props.attributes, allowed));
    }
    if (findings.some((f) => "ok" in f && f.ok)) return;
    const bad = findings.find((f): f is { ok: false; found: string } => "ok" in f && !f.ok);
    if (bad) report.violation(lb, `${KIND} must use a strong predefined TLS policy: ${where} negotiates with ${bad.found}, ${expected}.`);
    else if (findings.length > 0) report.unverifiable(lb, "listeners", requirement);
    else report.violation(lb, `${KIND} must use a strong predefined TLS policy: ${where} has no SSL negotiation policy, so AWS applies ELBSecurityPolicy-2016-08 (TLS 1.0 and 1.1 allowed), ${expected}.`);
}

/**
 * elb-08 (ELB.8): a Classic Load Balancer's HTTPS/SSL listener without a policy gets
 * ELBSecurityPolicy-2016-08 (AWS, "Update the SSL negotiation configuration of your Classic Load
 * Balancer"); Security Hub expects the predefined ELBSecurityPolicy-TLS-1-2-2017-01.
 */
export const elbClassicTlsPolicy = stackPolicy<{ allowedPolicies: string[] }>({
    name: "elb-classic-tls-policy",
    description: "HTTPS/SSL listeners of a Classic Load Balancer must negotiate with an allowed predefined security policy (ELBSecurityPolicy-TLS-1-2-2017-01 by default), not the default or a custom cipher list.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: 'Create an aws.elb.LoadBalancerPolicy with `policyTypeName: "SSLNegotiationPolicyType"` and the single attribute `{ name: "Reference-Security-Policy", value: "ELBSecurityPolicy-TLS-1-2-2017-01" }`, and attach it to each HTTPS/SSL port with an aws.elb.ListenerPolicy.',
    securityHub: ["ELB.8"],
    catalogue: ["elb-08"],
    config: {
        allowedPolicies: {
            type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true, minItems: 1,
            default: ["ELBSecurityPolicy-TLS-1-2-2017-01"], description: "Predefined Classic Load Balancer security policies a listener may reference.",
        },
    },
    types: [CLB],
    check: (resources, { config }, report) => {
        for (const lb of ofType(resources, CLB)) {
            for (const { listener, index } of tlsListeners(lb, "every HTTPS/SSL listener uses a predefined TLS 1.2 security policy", report)) {
                checkListenerTls(lb, index, listener.lbPort, resources, config.allowedPolicies, report);
            }
        }
    },
});

/** elb-09: the previous generation gets no new features; ALB and NLB are where the guardrails are. */
export const elbClassicMigrate = resourcePolicy({
    name: "elb-classic-migrate",
    description: "Classic Load Balancers should be replaced by Application or Network Load Balancers.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Replace the aws.elb.LoadBalancer with an aws.lb.LoadBalancer (loadBalancerType \"application\" for HTTP/HTTPS, \"network\" for TCP/TLS), its listeners and target groups; AWS's migration wizard can copy the configuration.",
    catalogue: ["elb-09"],
    types: [aws.elb.LoadBalancer],
    check: (_lb, _ctx, report) => {
        report.violation(`${KIND} must be migrated to the current generation: it is an aws.elb.LoadBalancer (previous generation), expected an aws.lb.LoadBalancer (Application or Network Load Balancer).`);
    },
});

export const elbClassicPolicies: Policies = [
    elbClassicTlsListeners, elbClassicAcmCertificate, elbClassicAccessLogs, elbClassicConnectionDraining, elbClassicCrossZone,
    elbClassicMultiAz, elbClassicDesyncMitigation, elbClassicTlsPolicy, elbClassicMigrate,
];
