import * as aws from "@pulumi/aws";
import { ofType } from "../lib/by-type";
import { ConfigProperty, StackReporter, StackResource, stackPolicy, tokenOf } from "../lib/define";
import { isUnknown } from "../lib/props";
import { sourcesOf } from "../lib/joins";
import { describeResource, groupKeys } from "./joins";
import {
    GROUP_TYPES, NetRule, Peer, STANDALONE_RULE_TYPES, cidrPeers, describePeers, describeTraffic, isWorldCidr, securityGroupRules,
} from "./rules";

/**
 * Security group checks that need the whole stack: which groups guard a data store, and which
 * rule resources belong to which group.
 */

/** Data stores and the input holding their security group ids (`path` inside the input `input`). */
export const DATA_STORES: Record<string, { input: string; path: string }> = Object.fromEntries([
    ...[aws.rds.Instance, aws.rds.Cluster, aws.rds.Proxy, aws.docdb.Cluster, aws.docdb.ElasticCluster]
        .map((t) => [tokenOf(t), { input: "vpcSecurityGroupIds", path: "vpcSecurityGroupIds" }]),
    ...[aws.elasticache.ReplicationGroup, aws.elasticache.Cluster, aws.elasticache.ServerlessCache, aws.memorydb.Cluster]
        .map((t) => [tokenOf(t), { input: "securityGroupIds", path: "securityGroupIds" }]),
    [tokenOf(aws.opensearch.Domain), { input: "vpcOptions", path: "vpcOptions.securityGroupIds" }],
]);

interface DataTierConfig {
    dataTierNamePattern: string;
}

const DATA_TIER_CONFIG: { [K in keyof DataTierConfig]: ConfigProperty } = {
    dataTierNamePattern: {
        type: "string",
        default: "",
        description: "Regular expression; groups whose logical name or Name tag matches are data-tier too. Empty (default): only groups a database, cache or document store in the stack uses.",
    },
};

/**
 * Data-tier groups, keyed by URN or literal id, with the reason each is one. Groups are recognised
 * by use (the stack join), which cannot be wrong about a group; the optional name pattern adds groups
 * whose store is outside the stack.
 */
export function dataTierGroups(resources: StackResource[], namePattern: RegExp | undefined): Map<string, string> {
    const tiers = new Map<string, string>();
    for (const r of resources) {
        const store = DATA_STORES[r.type];
        if (!store) continue;
        for (const key of groupKeys(r, store.input, store.path, GROUP_TYPES)) if (!tiers.has(key)) tiers.set(key, `used by ${describeResource(r)}`);
    }
    if (namePattern) {
        for (const g of ofType(resources, ...GROUP_TYPES).filter((r) => !tiers.has(r.urn))) {
            const nameTag = g.props.tags?.Name;
            const matched = [g.name, g.props.name, nameTag].find((n) => typeof n === "string" && !isUnknown(n) && namePattern.test(n));
            if (matched !== undefined) tiers.set(g.urn, `name "${matched}" matches /${namePattern.source}/`);
        }
    }
    return tiers;
}

/** A rule of a data-tier group, with the resource that declares it (where violations are reported). */
interface TierRule {
    rule: NetRule;
    owner: StackResource;
    /** `"db-sg" (used by aws.rds.Instance "db") ingress[0]` or `rule "x" on "db-sg" (...)`. */
    where: string;
}

function dataTierRules(resources: StackResource[], tiers: Map<string, string>): TierRule[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const display = (key: string) => `"${byUrn.get(key)?.name ?? key}" (${tiers.get(key)})`;
    const out: TierRule[] = [];
    for (const r of resources) {
        if (GROUP_TYPES.has(r.type) && tiers.has(r.urn)) {
            for (const rule of securityGroupRules(r.type, r.props)) out.push({ rule, owner: r, where: `${display(r.urn)} ${rule.at}` });
        } else if (STANDALONE_RULE_TYPES.has(r.type)) {
            const key = groupKeys(r, "securityGroupId", "securityGroupId", GROUP_TYPES).find((k) => tiers.has(k));
            if (key === undefined) continue;
            for (const rule of securityGroupRules(r.type, r.props)) out.push({ rule, owner: r, where: `rule "${r.name}" on ${display(key)}` });
        }
    }
    return out;
}

/** Compile the configured pattern, reporting (not throwing) a bad one. */
function compile(pattern: string, report: StackReporter): RegExp | undefined | null {
    if (pattern === "") return undefined;
    try {
        return new RegExp(pattern);
    } catch (e) {
        report.violation(undefined, `Policy config dataTierNamePattern must be a regular expression: ${JSON.stringify(pattern)} is not (${(e as Error).message}), expected e.g. "(^|-)(db|cache)-sg$".`);
        return null;
    }
}

function forDataTierRules(resources: StackResource[], config: DataTierConfig, report: StackReporter, fn: (t: TierRule) => void): void {
    const pattern = compile(config.dataTierNamePattern, report);
    if (pattern === null) return;
    dataTierRules(resources, dataTierGroups(resources, pattern)).forEach(fn);
}

/** net-07: a database, cache or document store is reached only by the groups of its clients. */
export const sgDataTierIngressFromGroups = stackPolicy<DataTierConfig>({
    name: "sg-data-tier-ingress-from-groups",
    description: "Security groups of databases, caches and document stores must admit only other security groups, never CIDR ranges or prefix lists.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Replace CIDR sources on the data store's group with the client's group (`referencedSecurityGroupId` / `securityGroups` / `sourceSecurityGroupId`).",
    catalogue: ["net-07"],
    config: DATA_TIER_CONFIG,
    check: (resources, { config }, report) => {
        forDataTierRules(resources, config, report, ({ rule, owner, where }) => {
            if (rule.direction !== "ingress") return;
            if (rule.unknown) {
                report.unverifiable(owner, rule.unknown.path, `${where} admits only security groups`);
                return;
            }
            // Presence check: a CIDR that is unknown until apply is still a CIDR.
            const cidrs: Peer[] = [...cidrPeers(rule), ...rule.prefixLists];
            if (cidrs.length > 0) {
                report.violation(owner, `Data-tier security group must admit only other security groups: ${where} allows ${describeTraffic(rule)} from ${describePeers(cidrs)}, expected a source security group, never a CIDR or prefix list.`);
            }
        });
    },
});

/** net-08: a compromised database host cannot reach the internet. */
export const sgDataTierEgressRestricted = stackPolicy<DataTierConfig>({
    name: "sg-data-tier-egress-restricted",
    description: "Security groups of databases, caches and document stores must not allow egress to 0.0.0.0/0 or ::/0.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Drop the world-open egress rule from the data store's group (managed data stores need none), or limit it to security groups or VPC ranges.",
    catalogue: ["net-08"],
    config: DATA_TIER_CONFIG,
    check: (resources, { config }, report) => {
        forDataTierRules(resources, config, report, ({ rule, owner, where }) => {
            if (rule.direction !== "egress") return;
            if (rule.unknown) {
                report.unverifiable(owner, rule.unknown.path, `${where} has no egress to the internet`);
                return;
            }
            const world = cidrPeers(rule).filter((p) => isWorldCidr(p.value));
            if (world.length > 0) {
                report.violation(owner, `Data-tier security group must not allow egress to the internet: ${where} allows ${describeTraffic(rule)} to ${describePeers(world)}, expected no egress, or egress to security groups or VPC ranges only.`);
            } else {
                for (const p of cidrPeers(rule).filter((x) => isUnknown(x.value))) report.unverifiable(owner, p.path, `${where} has no egress to the internet`);
            }
        });
    },
});

/** net-10: inline rules and rule resources on one group overwrite each other on every update. */
export const sgRulesNotMixed = stackPolicy({
    name: "sg-rules-not-mixed",
    description: "A security group's rules must be managed either inline (ingress/egress) or as rule resources, not both.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Move every rule of the group into rule resources (`aws.vpc.SecurityGroupIngressRule` / `EgressRule`, preferred) and drop `ingress`/`egress` from the group, or the reverse.",
    catalogue: ["net-10"],
    types: [...GROUP_TYPES],
    check: (resources, _ctx, report) => {
        const standalone = ofType(resources, ...STANDALONE_RULE_TYPES);
        for (const g of ofType(resources, ...GROUP_TYPES)) {
            // Setting `ingress` or `egress` at all (even to []) makes the provider own the group's rules.
            const inline = (["ingress", "egress"] as const).filter((k) => g.props[k] !== undefined && g.props[k] !== null);
            if (inline.length === 0) continue;
            const rules = standalone.filter((r) => sourcesOf(r, "securityGroupId", GROUP_TYPES).includes(g));
            if (rules.length === 0) continue;
            report.violation(g, `Security group must not mix inline rules with rule resources: "${g.name}" sets ${inline.join(" and ")} inline and ${rules.map(describeResource).join(", ")} ${rules.length === 1 ? "targets" : "target"} it, expected all its rules inline or all as rule resources.`);
        }
    },
});

export const securityGroupStackPolicies = [sgDataTierIngressFromGroups, sgDataTierEgressRestricted, sgRulesNotMixed];
