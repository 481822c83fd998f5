import * as aws from "@pulumi/aws";
import { ofType } from "../lib/by-type";
import { StackResource, tokenOf } from "../lib/define";
import { isSet, isUnknown, list } from "../lib/props";
import { isKnownId, linked, sourcesOf, unresolved } from "../lib/joins";
import { groupKeys } from "../network/joins";
import { GROUP_TYPES, NetRule, STANDALONE_RULE_TYPES, securityGroupRules } from "../network/rules";

/**
 * Joins for the edge policies: which load balancers a CloudFront distribution of the stack fronts,
 * the ports their listeners answer on, and the ingress rules of their security groups. Each answers
 * "unknown" (a `[resource, path]` to report) when preview values leave the join open.
 */

export const DISTRIBUTION = tokenOf(aws.cloudfront.Distribution);
export const LB_TOKENS: ReadonlySet<string> = new Set([aws.lb.LoadBalancer, aws.alb.LoadBalancer].map(tokenOf));
export const LISTENER_TOKENS: ReadonlySet<string> = new Set([aws.lb.Listener, aws.alb.Listener].map(tokenOf));
export const RULE_TOKENS: ReadonlySet<string> = new Set([aws.lb.ListenerRule, aws.alb.ListenerRule].map(tokenOf));
const RECORD = tokenOf(aws.route53.Record);
const VPC_ORIGIN = tokenOf(aws.cloudfront.VpcOrigin);

export type Where = [StackResource, string];

/** DNS names compare without case, without the root's trailing dot and without the `dualstack.` an alias to a load balancer may carry. */
const dns = (name: string) => name.toLowerCase().replace(/\.$/, "").replace(/^dualstack\./, "");

/** True when a Route 53 record points at the load balancer: an alias (or CNAME value) from its outputs, or its DNS name spelt out. */
function recordTargets(record: StackResource, lb: StackResource): boolean {
    if (sourcesOf(record, "aliases").includes(lb) || sourcesOf(record, "records").includes(lb)) return true;
    const dnsName = lb.props.dnsName;
    if (!isKnownId(dnsName)) return false;
    const targets = [...list(record.props.aliases).map((a) => a?.name), ...list(record.props.records)].filter(isKnownId);
    return targets.some((t) => dns(t) === dns(dnsName));
}

/** The known origin domain names of a distribution. */
const originDomains = (dist: StackResource): string[] => list(dist.props.origins).map((o) => o?.domainName).filter(isKnownId).map(dns);

export interface Fronting {
    /** The distributions that front the load balancer (empty when none does). */
    by: StackResource[];
    /** Why "none" is not certain: an origin list or a record name unknown until apply. */
    open?: Where;
}

/**
 * Whether CloudFront distributions of the stack front `lb`: an origin's value came from the load
 * balancer (`domainName: lb.dnsName`), from a Route 53 record aliasing it (`record.fqdn`), or from a
 * VPC origin on it; or an origin's known domain is the load balancer's DNS name or such a record's name.
 */
export function frontingOf(lb: StackResource, resources: StackResource[]): Fronting {
    const dists = ofType(resources, DISTRIBUTION);
    const records = ofType(resources, RECORD).filter((r) => recordTargets(r, lb));
    const vpcOrigins = ofType(resources, VPC_ORIGIN).filter((r) => sourcesOf(r, "vpcOriginEndpointConfig").includes(lb) || (isKnownId(lb.props.arn) && r.props.vpcOriginEndpointConfig?.arn === lb.props.arn));
    const by = dists.filter((d) => {
        const sources = sourcesOf(d, "origins");
        if (sources.some((s) => s === lb || records.includes(s) || vpcOrigins.includes(s))) return true;
        const domains = originDomains(d);
        if (isKnownId(lb.props.dnsName) && domains.includes(dns(lb.props.dnsName))) return true;
        return records.some((r) => isKnownId(r.props.name) && domains.includes(dns(r.props.name)));
    });
    if (by.length > 0 || dists.length === 0) return { by };
    // An origin list (or a domain in it) unknown with no resource behind it may name anything, this load balancer too.
    const openDist = dists.find((d) => unresolved(d, "origins") || (list(d.props.origins).some((o) => isUnknown(o) || isUnknown(o?.domainName)) && sourcesOf(d, "origins").length === 0));
    if (openDist) return { by, open: [openDist, "origins"] };
    const unnamed = records.find((r) => isUnknown(r.props.name));
    return { by, open: unnamed ? [unnamed, "name"] : undefined };
}

export interface ListenerPorts {
    listeners: StackResource[];
    ports: number[];
    /** A listener whose port (or load balancer) is unknown until apply. */
    open?: Where;
}

/** The listeners of `lb` in the stack and the ports they answer on (unset: 443 for HTTPS and TLS, else 80). */
export function listenersOf(lb: StackResource, resources: StackResource[]): ListenerPorts {
    const out: ListenerPorts = { listeners: [], ports: [] };
    for (const l of ofType(resources, ...LISTENER_TOKENS)) {
        if (linked(l, "loadBalancerArn", [lb]).length > 0) out.listeners.push(l);
        else if (unresolved(l, "loadBalancerArn")) out.open ??= [l, "loadBalancerArn"];
    }
    for (const l of out.listeners) {
        const { port, protocol } = l.props;
        if (isUnknown(port)) out.open ??= [l, "port"];
        else if (typeof port === "number") out.ports.push(port);
        else if (isUnknown(protocol)) out.open ??= [l, "protocol"];
        else out.ports.push(["HTTPS", "TLS"].includes(String(protocol ?? "").toUpperCase()) ? 443 : 80);
    }
    return out;
}

/** An ingress or egress rule of a load balancer's group, with the resource declaring it and how messages name it. */
export interface GroupRule {
    rule: NetRule;
    owner: StackResource;
    where: string;
    /** A rule resource whose group is unknown until apply: it may be on this load balancer's group. */
    unplaced?: boolean;
}

interface RuleIndex {
    keysOf: Map<StackResource, string[]>;
    byGroupKey: Map<string, StackResource[]>;
    /** Rule resources whose group is unknown until apply. */
    unplaced: Set<StackResource>;
}
const ruleIndexes = new WeakMap<readonly StackResource[], RuleIndex>();

/** The standalone rules by the group keys they name, once per stack: each load balancer then looks up its own. */
function standaloneRuleIndex(resources: readonly StackResource[]): RuleIndex {
    let index = ruleIndexes.get(resources);
    if (index) return index;
    index = { keysOf: new Map(), byGroupKey: new Map(), unplaced: new Set() };
    for (const r of ofType(resources, ...STANDALONE_RULE_TYPES)) {
        const keys = groupKeys(r, "securityGroupId", "securityGroupId", GROUP_TYPES);
        index.keysOf.set(r, keys);
        for (const k of keys) index.byGroupKey.set(k, [...(index.byGroupKey.get(k) ?? []), r]);
        if (unresolved(r, "securityGroupId", GROUP_TYPES)) index.unplaced.add(r);
    }
    ruleIndexes.set(resources, index);
    return index;
}

/** Every rule on the load balancer's security groups (inline, `ec2.SecurityGroupRule`, `vpc.SecurityGroupIngressRule`), or where the groups are unknown. */
export function groupRulesOf(lb: StackResource, resources: StackResource[]): { rules: GroupRule[]; open?: Where } {
    const keys = new Set(groupKeys(lb, "securityGroups", "securityGroups", GROUP_TYPES));
    const open: Where | undefined = unresolved(lb, "securityGroups", GROUP_TYPES) ? [lb, "securityGroups"] : undefined;
    const rules: GroupRule[] = [];
    const groups = ofType(resources, ...GROUP_TYPES).filter((g) => keys.has(g.urn) || (isSet(g.props.id) && keys.has(g.props.id)));
    for (const g of groups) for (const rule of securityGroupRules(g.type, g.props)) rules.push({ rule, owner: g, where: `"${g.name}" ${rule.at}` });
    const groupKeysAll = new Set([...keys, ...groups.map((g) => g.urn)]);
    const index = standaloneRuleIndex(resources);
    const candidates = new Set([...groupKeysAll].flatMap((k) => index.byGroupKey.get(k) ?? []));
    for (const r of ofType(resources, ...STANDALONE_RULE_TYPES)) {
        const on = candidates.has(r) ? index.keysOf.get(r)!.find((k) => groupKeysAll.has(k)) : undefined;
        if (on === undefined) {
            if (index.unplaced.has(r)) for (const rule of securityGroupRules(r.type, r.props)) rules.push({ rule, owner: r, where: `rule "${r.name}"`, unplaced: true });
            continue;
        }
        const group = groups.find((g) => g.urn === on || g.props.id === on);
        for (const rule of securityGroupRules(r.type, r.props)) rules.push({ rule, owner: r, where: `rule "${r.name}" on "${group?.name ?? on}"` });
    }
    return { rules, open };
}
