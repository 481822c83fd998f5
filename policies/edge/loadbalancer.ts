import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { ResourceReporter, StackReporter, StackResource, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { isSet, isUnknown, list, show } from "../lib/props";
import { linked, refersTo, unresolved } from "../lib/joins";

/**
 * Load balancers and listeners exist under two tokens (`aws:lb/...` and `aws:alb/...`); every
 * policy here registers one check for both, which awsguard did not.
 */
const LOAD_BALANCERS = [aws.lb.LoadBalancer, aws.alb.LoadBalancer];
const LISTENERS = [aws.lb.Listener, aws.alb.Listener];
const LISTENER_RULES = [aws.lb.ListenerRule, aws.alb.ListenerRule];
const tokens = (types: Function[]) => new Set(types.map(tokenOf));
const LB_TOKENS = tokens(LOAD_BALANCERS);
const LISTENER_TOKENS = tokens(LISTENERS);
const RULE_TOKENS = tokens(LISTENER_RULES);

/** The load balancer's kind: AWS creates an application load balancer when `loadBalancerType` is unset. */
export function lbKind(lb: Record<string, any>): unknown {
    return lb.loadBalancerType ?? "application";
}

/**
 * The reporter for a check that only applies to some kinds of load balancer, or undefined to skip.
 * While the kind is unknown the rule may not apply, so a failure is reported as unverifiable.
 */
function forKinds(kinds: string[], lb: Record<string, any>, report: ResourceReporter, requirement: string): ResourceReporter | undefined {
    const kind = lbKind(lb);
    if (isUnknown(kind)) return { violation: () => report.unverifiable("loadBalancerType", kind, requirement), unverifiable: report.unverifiable };
    return kinds.includes(kind as string) ? report : undefined;
}

/** alb-03: access logs are the only record of who called what through the load balancer. */
export const albAccessLogs = resourcePolicy({
    name: "alb-access-logs",
    description: "Application and network load balancers must write access logs to S3.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `accessLogs: { enabled: true, bucket: <log bucket name> }` on the load balancer; the bucket policy must let the ELB log delivery service write.",
    securityHub: ["ELB.5"],
    catalogue: ["alb-03"],
    types: LOAD_BALANCERS,
    check: (lb, _ctx, report) => {
        const r = forKinds(["application", "network"], lb, report, "the load balancer writes access logs (gateway load balancers have none)");
        if (!r) return; // gateway load balancers have no access logs
        const logs = lb.accessLogs;
        const rule = "Load balancer must write access logs to S3";
        if (isUnknown(logs)) return r.unverifiable("accessLogs", logs, "access logs are enabled");
        if (!logs) return r.violation(`${rule}: accessLogs is (unset), expected { enabled: true, bucket: <log bucket> }.`);
        if (isUnknown(logs.enabled)) r.unverifiable("accessLogs.enabled", logs.enabled, "access logs are enabled");
        else if (logs.enabled !== true) r.violation(`${rule}: accessLogs.enabled is ${show(logs.enabled)}, expected true (AWS keeps logs off even when a bucket is set).`);
        if (!isSet(logs.bucket)) r.violation(`${rule}: accessLogs.bucket is ${show(logs.bucket)}, expected the log bucket's name.`);
    },
});

/** alb-04: a deleted load balancer takes its DNS name with it; DNS records elsewhere cannot follow. */
export const albDeletionProtection = resourcePolicy({
    name: "alb-deletion-protection",
    description: "Load balancers must have deletion protection enabled.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `enableDeletionProtection: true` on the load balancer (turn it off in a separate update before an intended deletion).",
    securityHub: ["ELB.6"],
    catalogue: ["alb-04"],
    types: LOAD_BALANCERS,
    check: (lb, _ctx, report) => {
        const value = lb.enableDeletionProtection;
        if (isUnknown(value)) report.unverifiable("enableDeletionProtection", value, "deletion protection is on");
        else if (value !== true) report.violation(`Load balancer must have deletion protection: enableDeletionProtection is ${show(value)}, expected true.`);
    },
});

/** alb-05: malformed headers are a request-smuggling vector to the targets. */
export const albDropInvalidHeaders = resourcePolicy({
    name: "alb-drop-invalid-headers",
    description: "Application load balancers must drop HTTP headers with invalid header fields.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `dropInvalidHeaderFields: true` on the application load balancer.",
    securityHub: ["ELB.4"],
    catalogue: ["alb-05"],
    types: LOAD_BALANCERS,
    check: (lb, _ctx, report) => {
        const r = forKinds(["application"], lb, report, "an application load balancer drops invalid header fields");
        if (!r) return;
        const value = lb.dropInvalidHeaderFields;
        if (isUnknown(value)) r.unverifiable("dropInvalidHeaderFields", value, "invalid header fields are dropped");
        else if (value !== true) r.violation(`Application load balancer must drop invalid header fields: dropInvalidHeaderFields is ${show(value)}, expected true.`);
    },
    // Application load balancers only (a kind unknown until apply is left alone): ModifyLoadBalancerAttributes
    // updates it in place (drop_invalid_header_fields is not ForceNew in terraform-provider-aws aws_lb). Requests
    // still reach the targets; only header fields whose names are not letters, digits and hyphens are removed.
    remediate: (lb) => {
        if (lbKind(lb) !== "application" || lb.dropInvalidHeaderFields === true || isUnknown(lb.dropInvalidHeaderFields)) return undefined;
        return { ...lb, dropInvalidHeaderFields: true };
    },
});

/** alb-06: `monitor` forwards ambiguous requests that enable HTTP desync (request smuggling). */
export const albDesyncMitigation = resourcePolicy<{ allowedModes: string[] }>({
    name: "alb-desync-mitigation",
    description: "Application load balancers must mitigate HTTP desync in defensive or strictest mode.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Leave `desyncMitigationMode` unset (AWS defaults to `defensive`) or set it to `defensive` or `strictest`.",
    securityHub: ["ELB.12"],
    catalogue: ["alb-06"],
    config: {
        allowedModes: {
            type: "array", items: { type: "string", enum: ["monitor", "defensive", "strictest"] }, minItems: 1,
            description: "Accepted desync mitigation modes.", default: ["defensive", "strictest"],
        },
    },
    types: LOAD_BALANCERS,
    check: (lb, { config }, report) => {
        const r = forKinds(["application"], lb, report, "an application load balancer mitigates HTTP desync");
        if (!r) return;
        const mode = lb.desyncMitigationMode ?? "defensive"; // the AWS default
        if (isUnknown(mode)) r.unverifiable("desyncMitigationMode", mode, "HTTP desync mitigation is defensive or strictest");
        else if (!config.allowedModes.includes(mode)) {
            r.violation(`Application load balancer must mitigate HTTP desync: desyncMitigationMode is ${show(mode)}, expected one of ${config.allowedModes.map((m) => JSON.stringify(m)).join(", ")}.`);
        }
    },
});

/**
 * alb-07: one subnet is one availability zone, which an outage takes down with the load balancer.
 * A `subnets` list unknown until apply (a VPC's output during the first preview) is reported as
 * unverifiable, not as a violation: the mandatory check must not block every first deployment.
 */
export const albMultiSubnet = resourcePolicy<{ minimumSubnets: number }>({
    name: "alb-multi-subnet",
    description: "Load balancers must span at least the configured number of subnets (availability zones).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Pass one public (or, for internal load balancers, private) subnet per availability zone in `subnets` or `subnetMappings`.",
    securityHub: ["ELB.13"],
    catalogue: ["alb-07"],
    config: {
        minimumSubnets: { type: "integer", minimum: 1, description: "Fewest subnets a load balancer may use.", default: 2 },
    },
    types: LOAD_BALANCERS,
    check: (lb, { config }, report) => {
        const known = new Set<string>();
        let pending = 0; // elements set from outputs: each is a subnet, its id is unknown
        for (const id of [...list(lb.subnets), ...list(lb.subnetMappings).map((m) => (isUnknown(m) ? m : m?.subnetId))]) {
            if (isUnknown(id)) pending++;
            else if (isSet(id)) known.add(id);
        }
        const count = known.size + pending;
        if (count >= config.minimumSubnets) return;
        const unknownList = (["subnets", "subnetMappings"] as const).find((k) => isUnknown(lb[k]));
        if (unknownList) return report.unverifiable(unknownList, lb[unknownList], `the load balancer spans at least ${config.minimumSubnets} subnets`);
        report.violation(`Load balancer must span at least ${config.minimumSubnets} subnets: it has ${count} (subnets ${show(lb.subnets)}, subnetMappings ${show(lb.subnetMappings)}), expected one per availability zone.`);
    },
});

/** alb-02: the default policy (ELBSecurityPolicy-2016-08) still accepts TLS 1.0 and 1.1. */
export const albListenerTls = resourcePolicy<{ allowedSslPolicies: string[] }>({
    name: "alb-listener-tls",
    description: "HTTPS and TLS listeners must use an allow-listed TLS 1.2/1.3 security policy and an ACM certificate.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `sslPolicy` to an allow-listed policy (e.g. `ELBSecurityPolicy-TLS13-1-2-2021-06`) and `certificateArn` to an aws.acm.Certificate's ARN (validated through aws.acm.CertificateValidation).",
    securityHub: ["ELB.17", "ELB.18"],
    catalogue: ["alb-02"],
    config: {
        allowedSslPolicies: {
            type: "array", items: { type: "string", minLength: 1 }, minItems: 1,
            description: "ELB security policies a listener may use.",
            // The TLS 1.2+/1.3 policies, their FIPS twins, and their post-quantum (PQ) successors, which AWS now recommends
            // (Res-PQ-2025-09 is the console's default); the Ext variants, which add older ciphers, are left out.
            default: [
                "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-FS-1-2-Res-2020-10",
                "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
                "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
                "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
            ],
        },
    },
    types: LISTENERS,
    check: (listener, { config }, report) => {
        const protocol = listener.protocol ?? "HTTP"; // the ALB default
        if (isUnknown(protocol)) return report.unverifiable("protocol", protocol, "an HTTPS listener uses an allow-listed TLS policy and an ACM certificate");
        const kind = String(protocol).toUpperCase();
        if (kind !== "HTTPS" && kind !== "TLS") return;
        const policy = listener.sslPolicy;
        if (isUnknown(policy)) report.unverifiable("sslPolicy", policy, "the listener's TLS policy is allow-listed");
        else if (!config.allowedSslPolicies.includes(policy)) {
            const found = policy === undefined ? "(unset) (the provider's default is ELBSecurityPolicy-2016-08, which accepts TLS 1.0)" : show(policy);
            report.violation(`${kind} listener must use an allow-listed TLS policy: sslPolicy is ${found}, expected one of ${config.allowedSslPolicies.join(", ")}.`);
        }
        const cert = listener.certificateArn;
        if (!isSet(cert) || (!isUnknown(cert) && !/^arn:aws[a-z-]*:acm:/.test(String(cert)))) {
            report.violation(`${kind} listener must use an ACM certificate: certificateArn is ${show(cert)}, expected an ACM certificate ARN (arn:aws:acm:...).`);
        }
    },
});

/** Listeners' and rules' actions: exactly one redirect to HTTPS, or the rule is broken. */
function requireHttpsRedirect(r: StackResource, key: "defaultActions" | "actions", what: string, report: StackReporter) {
    const rule = `${what} must only redirect to HTTPS`;
    const expected = 'expected a single redirect action with protocol "HTTPS"';
    const requirement = `${what} only redirects to HTTPS`;
    const actions = r.props[key];
    if (isUnknown(actions)) return report.unverifiable(r, key, requirement);
    const all = list(actions);
    if (all.length !== 1) {
        const found = all.length === 0 ? `${key} is empty` : `${key} has ${all.length} actions (${all.map((a) => show(a?.type)).join(", ")})`;
        return report.violation(r, `${rule}: ${found}, ${expected}.`);
    }
    const type = all[0]?.type;
    const protocol = all[0]?.redirect?.protocol;
    if (isUnknown(all[0]) || isUnknown(type)) report.unverifiable(r, `${key}[0].type`, requirement);
    else if (type !== "redirect") report.violation(r, `${rule}: ${key}[0].type is ${show(type)}, ${expected}.`);
    else if (isUnknown(all[0].redirect) || isUnknown(protocol)) report.unverifiable(r, `${key}[0].redirect.protocol`, requirement);
    else if (String(protocol).toUpperCase() !== "HTTPS") report.violation(r, `${rule}: ${key}[0].redirect.protocol is ${show(protocol)}, ${expected}.`);
}

/**
 * alb-01: plain HTTP only exists to send browsers to HTTPS. A stack policy, because a listener
 * rule that forwards on the HTTP listener bypasses the listener's redirect, and because a gateway
 * load balancer's listener (no protocol) is only recognisable through its load balancer.
 */
export const albHttpRedirectsToHttps = stackPolicy({
    name: "alb-http-redirects-to-https",
    description: "HTTP listeners, and the listener rules on them, must only redirect to HTTPS.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Give the HTTP listener a single default action `{ type: \"redirect\", redirect: { protocol: \"HTTPS\", port: \"443\", statusCode: \"HTTP_301\" } }` and attach forwarding rules to the HTTPS listener only.",
    securityHub: ["ELB.1"],
    catalogue: ["alb-01"],
    types: [...LISTENER_TOKENS],
    check: (resources, _ctx, report) => {
        const lbs = resources.filter((r) => LB_TOKENS.has(r.type));
        const httpListeners: StackResource[] = [];
        for (const listener of resources.filter((r) => LISTENER_TOKENS.has(r.type))) {
            if (linked(listener, "loadBalancerArn", lbs).some((lb) => lbKind(lb.props) === "gateway")) continue;
            const protocol = listener.props.protocol ?? "HTTP"; // the ALB default
            if (isUnknown(protocol)) {
                report.unverifiable(listener, "protocol", "an HTTP listener only redirects to HTTPS");
                continue;
            }
            if (String(protocol).toUpperCase() !== "HTTP") continue;
            httpListeners.push(listener);
            requireHttpsRedirect(listener, "defaultActions", "HTTP listener", report);
        }
        for (const rule of resources.filter((r) => RULE_TOKENS.has(r.type))) {
            const on = linked(rule, "listenerArn", httpListeners)[0];
            if (on) requireHttpsRedirect(rule, "actions", `Listener rule on HTTP listener ${show(on.name)}`, report);
        }
    },
});

/** alb-08: an internet-facing application load balancer without a WAF takes every request to the targets. */
export const albWafAttached = stackPolicy({
    name: "alb-waf-attached",
    description: "Internet-facing application load balancers must be associated with a WAFv2 web ACL.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Add an aws.wafv2.WebAclAssociation with `resourceArn: lb.arn` and `webAclArn: <REGIONAL web ACL>.arn`, or set `internal: true` if the load balancer must not face the internet.",
    securityHub: ["ELB.16"],
    catalogue: ["alb-08"],
    types: [...LB_TOKENS],
    check: (resources, _ctx, report) => {
        const associations = resources.filter((r) => r.type === tokenOf(aws.wafv2.WebAclAssociation));
        for (const lb of resources.filter((r) => LB_TOKENS.has(r.type))) {
            const kind = lbKind(lb.props);
            const internal = lb.props.internal;
            if ((!isUnknown(kind) && kind !== "application") || internal === true) continue; // WAF only attaches to ALBs
            if (associations.some((a) => refersTo(a, "resourceArn", lb))) continue;
            const requirement = `load balancer ${show(lb.name)} is internal or has a WAF web ACL`;
            const unplaced = associations.find((a) => unresolved(a, "resourceArn"));
            if (unplaced) report.unverifiable(unplaced, "resourceArn", requirement);
            else if (isUnknown(kind)) report.unverifiable(lb, "loadBalancerType", requirement);
            else if (isUnknown(internal)) report.unverifiable(lb, "internal", requirement);
            else {
                report.violation(lb, `Internet-facing application load balancer must be associated with a WAF web ACL: internal is ${show(internal)} and no aws.wafv2.WebAclAssociation takes its ARN as resourceArn, expected one.`);
            }
        }
    },
});

export const loadBalancerPolicies: Policies = [
    albHttpRedirectsToHttps, albListenerTls, albAccessLogs, albDeletionProtection, albDropInvalidHeaders,
    albDesyncMitigation, albMultiSubnet, albWafAttached,
];
