import * as aws from "@pulumi/aws";
import { ResourceReporter, resourcePolicy } from "../lib/define";
import { isSet, isUnknown, show } from "../lib/props";
import {
    DEFAULT_SECURITY_GROUP, NetRule, Peer, SECURITY_GROUP, SECURITY_GROUP_RULE, VPC_EGRESS_RULE, VPC_INGRESS_RULE,
    cidrPeers, describePeers, describePorts, describeTraffic, isWorldCidr, portSpan, portsWithin, securityGroupRules, spanWithin, unknownTrafficField,
} from "./rules";

/** Security group checks that need only the resource itself: every rule shape, inline or standalone. */

const INGRESS_TYPES = [aws.ec2.SecurityGroup, aws.ec2.DefaultSecurityGroup, aws.ec2.SecurityGroupRule, aws.vpc.SecurityGroupIngressRule];

const LABELS: Record<string, string> = {
    [SECURITY_GROUP]: "Security group",
    [DEFAULT_SECURITY_GROUP]: "Default security group",
    [SECURITY_GROUP_RULE]: "Security group rule",
    [VPC_INGRESS_RULE]: "Security group ingress rule",
    [VPC_EGRESS_RULE]: "Security group egress rule",
};
export const labelOf = (type: string) => LABELS[type] ?? type;

/** EC2.19's high-risk ports, plus the database, cache and search ports this topology runs. */
export const DEFAULT_SENSITIVE_PORTS = [
    20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 1521, 2375, 2376, 3000, 3306, 3389, 4333,
    5000, 5432, 5500, 5601, 6379, 8080, 8088, 8888, 9200, 9300, 11211, 27017, 27018,
];

const PORT_LIST = { type: "array" as const, items: { type: "integer", minimum: 0, maximum: 65535 }, uniqueItems: true };

interface WorldExposure {
    world: Peer[];
    unknown: Peer[];
}

/** The rule's sources that are the whole internet, and those unknown until apply. */
function exposure(r: NetRule): WorldExposure {
    const sources = cidrPeers(r);
    return { world: sources.filter((p) => isWorldCidr(p.value)), unknown: sources.filter((p) => isUnknown(p.value)) };
}

/**
 * Shared walk of the ingress rules open to the internet: `offending` says what of a rule's traffic
 * breaks the rule (a list of problems, [] for none, "unknown" when protocol or ports are unknown).
 */
function checkWorldIngress(
    type: string, props: Record<string, any>, report: ResourceReporter, requirement: string,
    offending: (r: NetRule) => string | undefined | "unknown",
    message: (r: NetRule, world: Peer[], problem: string) => string,
): void {
    for (const r of securityGroupRules(type, props)) {
        if (r.direction !== "ingress") continue;
        if (r.unknown) {
            report.unverifiable(r.unknown.path, r.unknown.value, `${r.at} ${requirement}`);
            continue;
        }
        const { world, unknown } = exposure(r);
        if (world.length === 0 && unknown.length === 0) continue;
        const problem = offending(r);
        if (problem === undefined) continue;
        if (problem === "unknown") {
            const f = unknownTrafficField(r);
            report.unverifiable(f.path, f.value, `${r.at} from ${describePeers([...world, ...unknown])} ${requirement}`);
        } else if (world.length > 0) {
            report.violation(message(r, world, problem));
        } else {
            for (const p of unknown) report.unverifiable(p.path, p.value, `${r.at} (${describeTraffic(r)}) ${requirement}`);
        }
    }
}

/** net-05: SSH, RDP, database and cache ports are never reachable from the internet. */
export const sgNoPublicSensitivePorts = resourcePolicy<{ sensitivePorts: number[] }>({
    name: "sg-no-public-sensitive-ports",
    description: "Security groups must not admit 0.0.0.0/0 or ::/0 to SSH, RDP, database, cache or other high-risk ports.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Admit the port from a security group (`referencedSecurityGroupId` / `securityGroups`) or an internal CIDR; reach hosts through SSM Session Manager instead of SSH/RDP.",
    securityHub: ["EC2.19"],
    catalogue: ["net-05"],
    config: {
        sensitivePorts: { ...PORT_LIST, minItems: 1, default: DEFAULT_SENSITIVE_PORTS, description: "Ports never open to the internet (a rule whose range or protocol `all` contains one is rejected)." },
    },
    types: INGRESS_TYPES,
    check: (props, { type, config }, report) => {
        checkWorldIngress(type, props, report, "opens no sensitive port to the internet",
            (r) => {
                const span = portSpan(r);
                if (span === "unknown") return "unknown";
                const hit = portsWithin(span, config.sensitivePorts);
                return hit.length === 0 ? undefined : `${hit.length === 1 ? "port" : "ports"} ${describePorts(hit)}`;
            },
            (r, world, hit) => `${labelOf(type)} must not open sensitive ports to the internet: ${r.at} allows ${describeTraffic(r)} from ${describePeers(world)}, which includes ${hit}, expected these ports open only to security groups or internal ranges.`,
        );
    },
});

/**
 * The ICMP path MTU discovery needs from any sender: IPv4 "fragmentation needed" (type 3 code 4) and
 * IPv6 "packet too big" (type 2). Security groups put the ICMP type in fromPort and the code in toPort.
 * Refusing it breaks large responses to some clients; it reaches no service.
 */
export function isPathMtuIcmp(r: Pick<NetRule, "protocol" | "fromPort" | "toPort">): boolean {
    if (r.protocol === "icmp") return r.fromPort === 3 && r.toPort === 4;
    return r.protocol === "icmpv6" && r.fromPort === 2 && (r.toPort === 0 || r.toPort === -1);
}

/** net-06: what the internet may reach is an explicit, short list (the load balancer's 80/443). */
export const sgPublicIngressAllowList = resourcePolicy<{ allowedPorts: number[] }>({
    name: "sg-public-ingress-allowlist",
    description: "Security groups may admit 0.0.0.0/0 or ::/0 only on allow-listed TCP/UDP ports (80 and 443 by default), and the ICMP that path MTU discovery needs.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Restrict the rule's source to a security group or internal CIDR, or narrow it to an allow-listed port; add a port to `allowedPorts` in the policy config only for a deliberate public service.",
    securityHub: ["EC2.18"],
    catalogue: ["net-06"],
    config: {
        allowedPorts: { ...PORT_LIST, default: [80, 443], description: "TCP/UDP ports that may be open to the whole internet." },
    },
    types: INGRESS_TYPES,
    check: (props, { type, config }, report) => {
        checkWorldIngress(type, props, report, "opens only allow-listed ports to the internet",
            (r) => {
                const span = portSpan(r);
                if (span === "unknown") return "unknown";
                if (span === "none") return isPathMtuIcmp(r) ? undefined : `protocol ${String(r.protocol)}`;
                return spanWithin(span, config.allowedPorts) ? undefined : "ports";
            },
            (r, world) => `${labelOf(type)} must open only allow-listed ports to the internet: ${r.at} allows ${describeTraffic(r)} from ${describePeers(world)}, expected world-open ingress only on TCP/UDP ${describePorts(config.allowedPorts, 20)}.`,
        );
    },
});

/** net-09: a reviewer (and the console) can tell why each group and rule exists. */
export const sgDescriptions = resourcePolicy({
    name: "sg-descriptions",
    description: "Every security group and security group rule must have a description.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Set `description` on the group and on every rule (inline or resource), saying what it admits and why.",
    catalogue: ["net-09"],
    types: [aws.ec2.SecurityGroup, aws.ec2.SecurityGroupRule, aws.vpc.SecurityGroupIngressRule, aws.vpc.SecurityGroupEgressRule],
    check: (props, { type }, report) => {
        if (type === SECURITY_GROUP && !isSet(props.description)) {
            report.violation(`Security group must have a description: description is ${show(props.description)}, expected text saying what the group is for (AWS would show "Managed by Pulumi").`);
        }
        for (const r of securityGroupRules(type, props)) {
            if (r.unknown || isSet(r.description)) continue; // an unknown rule or description will be something
            const must = r.at === "the rule" ? "must have a description" : "must describe every rule";
            report.violation(`${labelOf(type)} ${must}: ${r.paths.description} is ${show(r.description)}, expected text saying what ${r.at} admits and why.`);
        }
    },
});

/** net-02: the default group is closed, so nothing that falls back to it gets network access. */
export const sgDefaultClosed = resourcePolicy({
    name: "sg-default-closed",
    description: "A VPC's default security group must have no ingress or egress rules.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Manage the group with `aws.ec2.DefaultSecurityGroup` and no `ingress`/`egress`, which removes every rule; give resources dedicated groups instead.",
    securityHub: ["EC2.2"],
    catalogue: ["net-02"],
    types: [aws.ec2.DefaultSecurityGroup],
    check: (props, _ctx, report) => {
        for (const direction of ["ingress", "egress"] as const) {
            const rules = props[direction];
            if (isUnknown(rules)) report.unverifiable(direction, rules, "the default security group has no rules");
            else if (Array.isArray(rules) && rules.length > 0) {
                report.violation(`Default security group must have no rules: ${direction} has ${rules.length} rule${rules.length === 1 ? "" : "s"}, expected none (give resources their own groups).`);
            }
        }
    },
});

export const securityGroupPolicies = [sgNoPublicSensitivePorts, sgPublicIngressAllowList, sgDescriptions, sgDefaultClosed];
