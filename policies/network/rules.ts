import * as aws from "@pulumi/aws";
import { tokenOf } from "../lib/define";
import { isInternetWide } from "../lib/cidr";
import { isUnknown, show } from "../lib/props";

/**
 * Security group rules come in four shapes (inline on the group, `ec2.SecurityGroupRule`, and the
 * `vpc.SecurityGroupIngressRule` / `EgressRule` pair) and network ACL entries in two. Each is turned
 * into one {@link NetRule} here, so every check reads one shape and none misses a spelling.
 * Unknown values (preview) are kept as the SDK's sentinels; each check decides what they mean.
 */

export const SECURITY_GROUP = tokenOf(aws.ec2.SecurityGroup);
export const DEFAULT_SECURITY_GROUP = tokenOf(aws.ec2.DefaultSecurityGroup);
export const SECURITY_GROUP_RULE = tokenOf(aws.ec2.SecurityGroupRule);
export const VPC_INGRESS_RULE = tokenOf(aws.vpc.SecurityGroupIngressRule);
export const VPC_EGRESS_RULE = tokenOf(aws.vpc.SecurityGroupEgressRule);
export const NETWORK_ACL = tokenOf(aws.ec2.NetworkAcl);
export const DEFAULT_NETWORK_ACL = tokenOf(aws.ec2.DefaultNetworkAcl);
export const NETWORK_ACL_RULE = tokenOf(aws.ec2.NetworkAclRule);

/** Groups that carry rules inline. */
export const GROUP_TYPES: ReadonlySet<string> = new Set([SECURITY_GROUP, DEFAULT_SECURITY_GROUP]);
/** Rules that are resources of their own, attached to a group by `securityGroupId`. */
export const STANDALONE_RULE_TYPES: ReadonlySet<string> = new Set([SECURITY_GROUP_RULE, VPC_INGRESS_RULE, VPC_EGRESS_RULE]);

/** One source or destination of a rule, with the input path it was read from. */
export interface Peer {
    /** A CIDR, prefix list id or group id; `"self"`; or an unknown sentinel. */
    value: unknown;
    path: string;
}

export type Direction = "ingress" | "egress";

/** A rule in the one shape every network check reads. */
export interface NetRule {
    direction: Direction;
    /** Lowercase name: `all` (for -1 and "all"), `tcp`, `udp`, `icmp`, `icmpv6`, another number; or unknown. */
    protocol: unknown;
    fromPort: unknown;
    toPort: unknown;
    cidrs: Peer[];
    ipv6Cidrs: Peer[];
    prefixLists: Peer[];
    sourceGroups: Peer[];
    description: unknown;
    /** Where it is declared, for messages: `ingress[0]` inline, `the rule` for a rule resource. */
    at: string;
    /** Input paths of the scalar fields, for "cannot verify" reports. */
    paths: { protocol: string; fromPort: string; toPort: string; description: string; action: string };
    /** Network ACL entries only: `allow` or `deny` (or unknown). */
    action?: unknown;
    /** The whole rule (or the whole list) is unknown during preview; every other field is empty. */
    unknown?: Peer;
}

const PROTOCOLS: Record<string, string> = { "-1": "all", all: "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

/** `-1`, `"all"` → `all`; protocol numbers 6/17/1/58 → their names; others lowercased. */
export function normaliseProtocol(protocol: unknown): unknown {
    if (protocol === undefined || protocol === null || isUnknown(protocol)) return protocol;
    const text = String(protocol).trim().toLowerCase();
    return PROTOCOLS[text] ?? text;
}

/** A list input (or a single value) as peers; an unknown list is one unknown peer. */
function peers(value: unknown, path: string): Peer[] {
    if (value === undefined || value === null || value === "") return [];
    if (Array.isArray(value)) {
        return value.map((v, i) => ({ value: v, path: `${path}[${i}]` })).filter((p) => p.value !== undefined && p.value !== null && p.value !== "");
    }
    return [{ value, path }];
}

const field = (at: string, name: string) => (at ? `${at}.${name}` : name);

function rule(direction: Direction, at: string, src: Record<string, any>, names: {
    protocol: string; fromPort: string; toPort: string; cidrs: string; ipv6Cidrs: string; prefixLists?: string; groups?: string; self?: string; action?: string;
}, label: string): NetRule {
    const sourceGroups = names.groups ? peers(src[names.groups], field(at, names.groups)) : [];
    if (names.self && (src[names.self] === true || isUnknown(src[names.self]))) sourceGroups.push({ value: "self", path: field(at, names.self) });
    return {
        direction,
        protocol: normaliseProtocol(src[names.protocol]),
        fromPort: src[names.fromPort],
        toPort: src[names.toPort],
        cidrs: peers(src[names.cidrs], field(at, names.cidrs)),
        ipv6Cidrs: peers(src[names.ipv6Cidrs], field(at, names.ipv6Cidrs)),
        prefixLists: names.prefixLists ? peers(src[names.prefixLists], field(at, names.prefixLists)) : [],
        sourceGroups,
        description: src.description,
        at: label,
        paths: {
            protocol: field(at, names.protocol), fromPort: field(at, names.fromPort), toPort: field(at, names.toPort),
            description: field(at, "description"), action: field(at, names.action ?? "action"),
        },
        ...(names.action ? { action: src[names.action] } : {}),
    };
}

function unknownRule(direction: Direction, value: unknown, path: string): NetRule {
    return {
        direction, protocol: undefined, fromPort: undefined, toPort: undefined, cidrs: [], ipv6Cidrs: [], prefixLists: [], sourceGroups: [],
        description: undefined, at: path, paths: { protocol: path, fromPort: path, toPort: path, description: path, action: path }, unknown: { value, path },
    };
}

/** Inline rule lists (`ingress`, `egress`): each element, or one unknown rule for an unknown list or element. */
function inline(value: unknown, direction: Direction, build: (src: Record<string, any>, at: string) => NetRule): NetRule[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) return [unknownRule(direction, value, direction)];
    return value.map((e, i) => {
        const at = `${direction}[${i}]`;
        return e !== null && typeof e === "object" ? build(e, at) : unknownRule(direction, e, at);
    });
}

const INLINE_SG = { protocol: "protocol", fromPort: "fromPort", toPort: "toPort", cidrs: "cidrBlocks", ipv6Cidrs: "ipv6CidrBlocks", prefixLists: "prefixListIds", groups: "securityGroups", self: "self" };
const VPC_RULE = { protocol: "ipProtocol", fromPort: "fromPort", toPort: "toPort", cidrs: "cidrIpv4", ipv6Cidrs: "cidrIpv6", prefixLists: "prefixListId", groups: "referencedSecurityGroupId" };

/** Every rule a security group or rule resource declares; [] for other types. */
export function securityGroupRules(type: string, props: Record<string, any>): NetRule[] {
    switch (type) {
        case SECURITY_GROUP:
        case DEFAULT_SECURITY_GROUP:
            return [
                ...inline(props.ingress, "ingress", (src, at) => rule("ingress", at, src, INLINE_SG, at)),
                ...inline(props.egress, "egress", (src, at) => rule("egress", at, src, INLINE_SG, at)),
            ];
        case SECURITY_GROUP_RULE:
            // An unknown `type` is read as ingress: the stricter reading.
            return [rule(props.type === "egress" ? "egress" : "ingress", "", props, { ...INLINE_SG, groups: "sourceSecurityGroupId" }, "the rule")];
        case VPC_INGRESS_RULE:
            return [rule("ingress", "", props, VPC_RULE, "the rule")];
        case VPC_EGRESS_RULE:
            return [rule("egress", "", props, VPC_RULE, "the rule")];
        default:
            return [];
    }
}

const NACL_ENTRY = { protocol: "protocol", fromPort: "fromPort", toPort: "toPort", cidrs: "cidrBlock", ipv6Cidrs: "ipv6CidrBlock", action: "action" };

/** Ingress entries of a network ACL (inline) or ACL rule resource; [] for egress rules and other types. */
export function networkAclIngress(type: string, props: Record<string, any>): NetRule[] {
    switch (type) {
        case NETWORK_ACL:
        case DEFAULT_NETWORK_ACL:
            return inline(props.ingress, "ingress", (src, at) => rule("ingress", at, src, NACL_ENTRY, at));
        case NETWORK_ACL_RULE:
            if (props.egress === true) return [];
            return [rule("ingress", "", props, { ...NACL_ENTRY, action: "ruleAction" }, "the rule")];
        default:
            return [];
    }
}

/** TCP/UDP ports a rule opens: all of them for protocol `all`, none for ICMP and other protocols. */
export type PortSpan = { from: number; to: number } | "none" | "unknown";

export function portSpan(r: Pick<NetRule, "protocol" | "fromPort" | "toPort">): PortSpan {
    if (isUnknown(r.protocol) || r.protocol === undefined) return "unknown";
    if (r.protocol === "all") return { from: 0, to: 65535 };
    if (r.protocol !== "tcp" && r.protocol !== "udp") return "none";
    if (isUnknown(r.fromPort) || isUnknown(r.toPort)) return "unknown";
    // Missing or negative ports mean every port to AWS; read them so.
    const from = typeof r.fromPort === "number" && r.fromPort >= 0 ? r.fromPort : 0;
    const to = typeof r.toPort === "number" && r.toPort >= 0 ? r.toPort : 65535;
    return { from, to };
}

/** The first of protocol / fromPort / toPort that is unknown (or the missing protocol), for "cannot verify" reports. */
export function unknownTrafficField(r: NetRule): Peer {
    if (isUnknown(r.protocol) || r.protocol === undefined) return { value: r.protocol, path: r.paths.protocol };
    if (isUnknown(r.fromPort)) return { value: r.fromPort, path: r.paths.fromPort };
    return { value: r.toPort, path: r.paths.toPort };
}

/** The listed ports that fall inside the span, in list order without duplicates. */
export function portsWithin(span: PortSpan, ports: number[]): number[] {
    if (typeof span === "string") return [];
    return [...new Set(ports)].filter((p) => p >= span.from && p <= span.to);
}

/** True when every port of the span is in `allowed`. */
export function spanWithin(span: { from: number; to: number }, allowed: number[]): boolean {
    return portsWithin(span, allowed).length === span.to - span.from + 1;
}

/** `0.0.0.0/0`, `::/0`, and ranges that hold most of it (`0.0.0.0/1`, `2000::/3`): see {@link isInternetWide}. */
export function isWorldCidr(value: unknown): boolean {
    return isInternetWide(value);
}

/** Every CIDR-style peer of a rule: IPv4, IPv6 (prefix lists are sets of CIDRs, listed separately). */
export function cidrPeers(r: NetRule): Peer[] {
    return [...r.cidrs, ...r.ipv6Cidrs];
}

/** `tcp 22`, `tcp 20-30`, `all traffic`, `icmp`, ... */
export function describeTraffic(r: NetRule): string {
    if (isUnknown(r.protocol) || r.protocol === undefined) return "traffic of a protocol unknown until apply";
    if (r.protocol === "all") return "all traffic";
    const span = portSpan(r);
    if (span === "none") return String(r.protocol);
    if (span === "unknown") return `${r.protocol} on ports unknown until apply`;
    return span.from === span.to ? `${r.protocol} ${span.from}` : `${r.protocol} ${span.from}-${span.to}`;
}

/** Peers for a message: values, unknown ones spelled out. */
export function describePeers(list: Peer[]): string {
    return list.map((p) => (isUnknown(p.value) ? show(p.value) : String(p.value))).join(", ");
}

/** `22`, `22, 3389` or `20, 21, 22, 23, 25 and 26 more`. */
export function describePorts(ports: number[], max = 5): string {
    const shown = ports.slice(0, max).join(", ");
    return ports.length > max ? `${shown} and ${ports.length - max} more` : shown;
}
