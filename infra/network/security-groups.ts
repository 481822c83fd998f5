/**
 * The security-group topology as data: which groups the network owns and the rules it puts on them.
 * The component turns each entry into one standalone rule resource; tests read the table directly.
 *
 * The network owns no application group: every ECS service creates its own group and the rules
 * that join it to these (infra/compute/security-group.ts), each with its mirror on this side: egress
 * on the load balancer's group to the service's port, ingress on a store's group from the service's
 * group, ingress on the endpoints group on 443. So the network's own rules are only the load
 * balancer's ingress from the internet; the stores and the endpoints admit nothing until a service
 * that uses them exists.
 */

export type GroupKey = "loadBalancer" | "postgres" | "redis" | "documentDb" | "endpoints";

export interface GroupSpec {
    /** Stable suffix of the group's logical name and Name tag. */
    suffix: string;
    /** Replaces the group on change (an EC2 rule), so keep it stable. */
    description: string;
}

/**
 * Logical names and descriptions are those of the groups AWS already has: a changed description
 * replaces the group, under every database, cache and endpoint using it. "The application" in a
 * description now means the services' own groups, which add the rules themselves.
 */
export const GROUPS: Readonly<Record<GroupKey, GroupSpec>> = {
    // Services add their own egress rule on it (to their port); the network adds none. The description
    // predates CloudFront: with it, only CloudFront reaches the group (see securityGroupRules), but a new
    // description would replace the group under the load balancer.
    loadBalancer: { suffix: "lb-sg", description: "Application load balancer: HTTP and HTTPS from the internet" },
    // The store groups carry no rule of the network's own: each service using a store adds the ingress from its group.
    postgres: { suffix: "postgres-sg", description: "PostgreSQL: port 5432 from the application only" },
    redis: { suffix: "redis-sg", description: "Redis: port 6379 from the application only" },
    documentDb: { suffix: "docdb-sg", description: "DocumentDB: port 27017 from the application only" },
    // Each service adds its 443 ingress.
    endpoints: { suffix: "endpoints-sg", description: "Interface VPC endpoints: HTTPS from the application only" },
};

/** The data stores' groups: never a rule of the network's own, never egress, never a CIDR. */
export const STORE_GROUPS = ["postgres", "redis", "documentDb"] as const satisfies readonly GroupKey[];

export const ANY_IPV4 = "0.0.0.0/0";
export const ANY_IPV6 = "::/0";

/** Optional parts of the topology. */
export interface TopologyOptions {
    /** The interface endpoints' group. */
    interfaceEndpoints: boolean;
    /** The DocumentDB group. */
    documentDb: boolean;
}

/** The groups a topology has, in {@link GROUPS} order: no group for a part that is off. */
export function groupKeys(o: TopologyOptions): GroupKey[] {
    return (Object.keys(GROUPS) as GroupKey[]).filter((k) => (k !== "endpoints" || o.interfaceEndpoints) && (k !== "documentDb" || o.documentDb));
}

/** Who may reach the load balancer: only CloudFront (the default), or the whole internet. */
export type LoadBalancerIngress = "cloudfront" | "internet";
export const LOAD_BALANCER_INGRESS: readonly LoadBalancerIngress[] = ["cloudfront", "internet"];

/**
 * Where a rule's traffic comes from (ingress) or goes to (egress). `cloudFront` is the AWS-managed
 * prefix list of CloudFront's origin-facing addresses, whose id the component looks up by name.
 */
export type Peer = { group: GroupKey } | { cidrIpv4: string } | { cidrIpv6: string } | { cloudFront: true };

export interface RuleSpec {
    /** Stable suffix of the rule's logical name. */
    key: string;
    group: GroupKey;
    direction: "ingress" | "egress";
    /** TCP port (from = to). */
    port: number;
    peer: Peer;
    description: string;
}

/**
 * Every rule the network itself creates: the load balancer's ingress. Groups are created without
 * inline rules, and the provider removes AWS's default allow-all egress when it creates a group, so no
 * group here has egress of its own: the load balancer's egress and every other group's ingress come
 * from the services.
 *
 * `cloudfront`: HTTPS from CloudFront's origin-facing prefix list only. Nothing else reaches the load
 * balancer, so neither the WAF nor CloudFront can be bypassed, and port 80 is closed (CloudFront talks
 * HTTPS to the origin). A managed prefix list counts as its weight (55 for this one) against the
 * group's 60-rule quota, which leaves no room for a second port from it.
 * `internet`: HTTP (redirected) and HTTPS from anywhere, over IPv4 and IPv6.
 */
export function securityGroupRules(ingress: LoadBalancerIngress = "cloudfront"): RuleSpec[] {
    if (ingress === "cloudfront") {
        return [{ key: "lb-in-https-cloudfront", group: "loadBalancer", direction: "ingress", port: 443, peer: { cloudFront: true }, description: "HTTPS from the CloudFront origin-facing prefix list" }];
    }
    const rules: RuleSpec[] = [];
    for (const [port, proto] of [[80, "http"], [443, "https"]] as const) {
        const what = port === 80 ? "HTTP (redirected to HTTPS)" : "HTTPS";
        rules.push(
            { key: `lb-in-${proto}-ipv4`, group: "loadBalancer", direction: "ingress", port, peer: { cidrIpv4: ANY_IPV4 }, description: `${what} from the internet over IPv4` },
            { key: `lb-in-${proto}-ipv6`, group: "loadBalancer", direction: "ingress", port, peer: { cidrIpv6: ANY_IPV6 }, description: `${what} from the internet over IPv6` },
        );
    }
    return rules;
}
