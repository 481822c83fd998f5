import * as aws from "@pulumi/aws";
import { ofType } from "../lib/by-type";
import { Policies } from "@pulumi/policy";
import { StackReporter, StackResource, stackPolicy, tokenOf } from "../lib/define";
import { isSet, isUnknown, list, show } from "../lib/props";
import { linked, refersTo, unresolved } from "../lib/joins";
import { isWorldCidr, cidrPeers, describePeers, describeTraffic, portSpan, portsWithin, unknownTrafficField } from "../network/rules";
import { LB_TOKENS, RULE_TOKENS, Where, frontingOf, groupRulesOf, listenersOf } from "./fronting-joins";
import { lbKind } from "./loadbalancer";

/**
 * The edge tier as a whole: CloudFront in front of a load balancer protects only when nothing reaches
 * the load balancer around it. Stack policies, since the distribution, the load balancer, its
 * listeners and its security group rules are separate resources (joined in fronting-joins.ts).
 */

const names = (rs: StackResource[]) => rs.map((r) => `"${r.name}"`).join(", ");

/** edge-01: a world-open origin makes CloudFront's WAF, geo restrictions and TLS settings optional for an attacker. */
export const edgeNoCloudFrontBypass = stackPolicy({
    name: "edge-no-cloudfront-bypass",
    description: "A load balancer that a CloudFront distribution of the stack fronts must not admit 0.0.0.0/0 or ::/0 on its listener ports, so neither CloudFront nor its WAF can be bypassed.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Replace the world-open ingress on the load balancer's security group with one aws.vpc.SecurityGroupIngressRule on the HTTPS port whose `prefixListId` is the id of the managed prefix list com.amazonaws.global.cloudfront.origin-facing (aws.ec2.getManagedPrefixListOutput), and drop port 80 (CloudFront reaches the origin over HTTPS).",
    catalogue: ["edge-01"],
    types: [...LB_TOKENS],
    check: (resources, _ctx, report) => {
        for (const lb of ofType(resources, ...LB_TOKENS)) {
            if (lb.props.internal === true) continue; // nothing outside the VPC reaches it
            const fronting = frontingOf(lb, resources);
            if (fronting.by.length === 0 && !fronting.open) continue; // the load balancer is the public entry: net-06 applies
            const requirement = `load balancer "${lb.name}", behind CloudFront, admits no internet traffic on its listener ports`;
            /** A would-be violation: reported as such only when the distribution certainly fronts the load balancer. */
            const flag = (owner: StackResource, message: string) => (fronting.by.length > 0 ? report.violation(owner, message) : report.unverifiable(...fronting.open!, `${requirement} (whether CloudFront fronts it)`));
            const groups = groupRulesOf(lb, resources);
            if (groups.open) {
                report.unverifiable(...groups.open, requirement);
                continue;
            }
            const { ports, open: portsOpen } = listenersOf(lb, resources);
            for (const { rule, owner, where, unplaced } of groups.rules) {
                if (rule.direction !== "ingress") continue;
                if (rule.unknown) {
                    report.unverifiable(owner, rule.unknown.path, requirement);
                    continue;
                }
                const world = cidrPeers(rule).filter((p) => isWorldCidr(p.value));
                const pending = cidrPeers(rule).filter((p) => isUnknown(p.value));
                if (world.length === 0 && pending.length === 0) continue;
                const span = portSpan(rule);
                if (span === "unknown") {
                    report.unverifiable(owner, unknownTrafficField(rule).path, requirement);
                    continue;
                }
                const hits = portsWithin(span, ports);
                if (hits.length === 0) {
                    if (portsOpen && span !== "none") report.unverifiable(...portsOpen, requirement);
                    continue;
                }
                if (world.length === 0) report.unverifiable(owner, pending[0].path, requirement);
                else if (unplaced) report.unverifiable(owner, "securityGroupId", requirement);
                else {
                    flag(owner, `Load balancer behind CloudFront must admit only CloudFront: ${where} allows ${describeTraffic(rule)} from ${describePeers(world)} to listener port ${hits.join(", ")} of "${lb.name}", which distribution ${names(fronting.by)} fronts, so requests can bypass CloudFront and its WAF, expected ingress only from CloudFront's origin-facing prefix list (com.amazonaws.global.cloudfront.origin-facing).`);
                }
            }
        }
    },
});

/** Action types that reach the targets (forward, and authenticate-* before a forward). */
const reachesTargets = (type: unknown) => type !== "redirect" && type !== "fixed-response";

/** Report actions of `r[key]` that reach the targets; true when one does, "unknown" when one's type is. */
function forwarding(r: StackResource, key: "defaultActions" | "actions", report: StackReporter, requirement: string): boolean | "unknown" {
    const actions = r.props[key];
    if (isUnknown(actions)) {
        report.unverifiable(r, key, requirement);
        return "unknown";
    }
    for (const [i, a] of list(actions).entries()) {
        const type = isUnknown(a) ? a : a?.type;
        if (isUnknown(type)) {
            report.unverifiable(r, `${key}[${i}]${isUnknown(a) ? "" : ".type"}`, requirement);
            return "unknown";
        }
        if (reachesTargets(type)) return true;
    }
    return false;
}

/** edge-02: the prefix list admits every CloudFront distribution, anyone's; a secret header proves it is ours. */
export const edgeOriginHeader = stackPolicy<{ originHeaderName: string; minimumValueLength: number }>({
    name: "edge-origin-header",
    description: "Listeners of a load balancer behind CloudFront should forward only requests carrying the secret origin header that the distribution adds.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Give the listener a fixed-response default (403), and add a `conditions: [{ httpHeader: { httpHeaderName: \"X-Origin-Verify\", values: [<secret>] } }]` to every listener rule that forwards; set the same header in the distribution origin's `customHeaders`.",
    catalogue: ["edge-02"],
    config: {
        originHeaderName: { type: "string", description: "The header listener rules must match (case-insensitive); empty: any http-header condition.", default: "" },
        minimumValueLength: { type: "integer", minimum: 1, description: "Shortest origin-header value accepted: a short value can be guessed.", default: 32 },
    },
    check: (resources, { config }, report) => {
        const wanted = config.originHeaderName.toLowerCase();
        const rules = ofType(resources, ...RULE_TOKENS);
        for (const lb of ofType(resources, ...LB_TOKENS)) {
            if (lb.props.internal === true || frontingOf(lb, resources).by.length === 0) continue;
            const requirement = `listeners of load balancer "${lb.name}", behind CloudFront, forward only requests with the origin header`;
            for (const listener of listenersOf(lb, resources).listeners) {
                if (forwarding(listener, "defaultActions", report, requirement) === true) {
                    report.violation(listener, `Listener of a load balancer behind CloudFront should forward only requests carrying the origin header: its default action reaches the targets without a condition, expected a fixed-response default (403) and forwarding rules with an http-header condition${wanted ? ` on ${config.originHeaderName}` : ""}.`);
                }
                for (const rule of rules.filter((r) => linked(r, "listenerArn", [listener]).length > 0)) {
                    if (forwarding(rule, "actions", report, requirement) !== true) continue;
                    const conditions = rule.props.conditions;
                    if (isUnknown(conditions)) {
                        report.unverifiable(rule, "conditions", requirement);
                        continue;
                    }
                    const headers = list(conditions).map((c) => (isUnknown(c) ? c : c?.httpHeader)).filter(isSet);
                    const named = headers.map((h) => (isUnknown(h) ? h : h.httpHeaderName));
                    const matching = headers.filter((h) => !isUnknown(h) && !isUnknown(h.httpHeaderName) && (!wanted || String(h.httpHeaderName).toLowerCase() === wanted));
                    if (matching.length > 0) {
                        const weakness = guessable(matching, config.minimumValueLength);
                        // The values are the secret: the message names the weakness, never a value.
                        if (weakness) report.violation(rule, `Listener rule of a load balancer behind CloudFront should require a secret origin header: ${weakness}, expected generated values of at least ${config.minimumValueLength} characters without * or ? (ALB reads them as wildcards).`);
                        continue;
                    }
                    if (named.some(isUnknown)) report.unverifiable(rule, "conditions", requirement);
                    else {
                        report.violation(rule, `Listener rule of a load balancer behind CloudFront should require the origin header: conditions has ${named.length ? `http-header conditions on ${named.map((n) => show(n)).join(", ")}` : "no http-header condition"}, expected one${wanted ? ` on ${config.originHeaderName}` : ""} matching the secret value CloudFront sends.`);
                    }
                }
            }
        }
    },
});

/** What makes a required header's values guessable (known values only), or undefined. */
function guessable(headers: any[], minimumLength: number): string | undefined {
    const values = headers.flatMap((h) => (isUnknown(h.values) ? [] : list(h.values))).filter((v) => !isUnknown(v));
    const at = (i: number) => `value ${i + 1} of ${values.length}`;
    const wildcard = values.findIndex((v) => typeof v === "string" && /[*?]/.test(v));
    if (wildcard >= 0) return `${at(wildcard)} holds * or ?, which ALB reads as wildcards, so the condition matches guessed values`;
    const short = values.findIndex((v) => typeof v !== "string" || v.length < minimumLength);
    return short >= 0 ? `${at(short)} has ${typeof values[short] === "string" ? values[short].length : 0} characters` : undefined;
}

/** edge-03: an organisation's rule, off by default: internet-facing applications sit behind CloudFront (or at least a WAF). */
export const edgeCloudFrontRequired = stackPolicy<{ requireCloudFront: boolean }>({
    name: "edge-cloudfront-required",
    description: "Internet-facing application load balancers should be fronted by a CloudFront distribution of the stack (requireCloudFront), or at least by CloudFront or a WAF web ACL.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Put an aws.cloudfront.Distribution in front of the load balancer (an origin whose domainName is the load balancer's DNS name or a Route 53 alias to it), with a CLOUDFRONT-scope web ACL, and admit only CloudFront to the load balancer; or, where the policy config allows it, associate a REGIONAL web ACL through aws.wafv2.WebAclAssociation.",
    catalogue: ["edge-03"],
    config: {
        requireCloudFront: { type: "boolean", description: "true: every internet-facing ALB needs a distribution in front of it. false (default): a WAF association without CloudFront also passes.", default: false },
    },
    check: (resources, { config }, report) => {
        const associations = ofType(resources, tokenOf(aws.wafv2.WebAclAssociation));
        for (const lb of ofType(resources, ...LB_TOKENS)) {
            const kind = lbKind(lb.props);
            const internal = lb.props.internal;
            if ((!isUnknown(kind) && kind !== "application") || internal === true) continue;
            const fronting = frontingOf(lb, resources);
            if (fronting.by.length > 0) continue;
            const requirement = `load balancer "${lb.name}" is internal or behind CloudFront${config.requireCloudFront ? "" : " or a WAF"}`;
            if (!config.requireCloudFront && associations.some((a) => refersTo(a, "resourceArn", lb))) continue;
            const unplaced = config.requireCloudFront ? undefined : associations.find((a) => unresolved(a, "resourceArn"));
            const open: Where | undefined = fronting.open ?? (unplaced ? [unplaced, "resourceArn"] : undefined)
                ?? (isUnknown(kind) ? [lb, "loadBalancerType"] : isUnknown(internal) ? [lb, "internal"] : undefined);
            if (open) report.unverifiable(...open, requirement);
            else if (config.requireCloudFront) {
                report.violation(lb, "Internet-facing application load balancer must be behind CloudFront: no CloudFront distribution of the stack has it (its DNS name, or a Route 53 record aliasing it) as an origin, expected a distribution in front of it (this stack's policy config requires CloudFront).");
            } else {
                report.violation(lb, "Internet-facing application load balancer must be behind CloudFront or a WAF: no CloudFront distribution of the stack has it as an origin and no aws.wafv2.WebAclAssociation takes its ARN, expected either.");
            }
        }
    },
});

export const edgePolicies: Policies = [edgeNoCloudFrontBypass, edgeOriginHeader, edgeCloudFrontRequired];
