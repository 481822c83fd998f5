/**
 * The security-group topology as data: which groups exist and every rule between them. The
 * component turns each entry into one standalone rule resource; tests read the table directly.
 */

export type GroupKey = "loadBalancer" | "app" | "postgres" | "redis" | "documentDb" | "endpoints";

export interface GroupSpec {
    /** Stable suffix of the group's logical name and Name tag. */
    suffix: string;
    /** Replaces the group on change (an EC2 rule), so keep it stable. */
    description: string;
}

export const GROUPS: Readonly<Record<GroupKey, GroupSpec>> = {
    loadBalancer: { suffix: "lb-sg", description: "Application load balancer: HTTP and HTTPS from the internet" },
    app: { suffix: "app-sg", description: "Application tasks: traffic from the load balancer only" },
    postgres: { suffix: "postgres-sg", description: "PostgreSQL: port 5432 from the application only" },
    redis: { suffix: "redis-sg", description: "Redis: port 6379 from the application only" },
    documentDb: { suffix: "docdb-sg", description: "DocumentDB: port 27017 from the application only" },
    endpoints: { suffix: "endpoints-sg", description: "Interface VPC endpoints: HTTPS from the application only" },
};

/** Data stores the application reaches, each behind its own group. */
export const DATA_STORES = [
    { group: "postgres", port: 5432, label: "PostgreSQL", key: "postgres" },
    { group: "redis", port: 6379, label: "Redis", key: "redis" },
    { group: "documentDb", port: 27017, label: "DocumentDB", key: "docdb" },
] as const satisfies readonly { group: GroupKey; port: number; label: string; key: string }[];

export const ANY_IPV4 = "0.0.0.0/0";
export const ANY_IPV6 = "::/0";

/** Optional parts of the topology. */
export interface TopologyOptions {
    /** The interface endpoints' group and the app's access to it. */
    interfaceEndpoints: boolean;
    /** The DocumentDB group and the app's access to it. */
    documentDb: boolean;
}

/** The groups a topology has, in {@link GROUPS} order: no group (and no rule) for a part that is off. */
export function groupKeys(o: TopologyOptions): GroupKey[] {
    return (Object.keys(GROUPS) as GroupKey[]).filter((k) => (k !== "endpoints" || o.interfaceEndpoints) && (k !== "documentDb" || o.documentDb));
}

/** Where a rule's traffic comes from (ingress) or goes to (egress). */
export type Peer = { group: GroupKey } | { cidrIpv4: string } | { cidrIpv6: string };

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
 * Every rule of the topology. Groups are created without inline rules, and the provider removes
 * AWS's default allow-all egress when it creates a group, so a group's egress is exactly what is
 * listed here: the data tier has none.
 */
export function securityGroupRules(appPort: number, o: TopologyOptions): RuleSpec[] {
    const rules: RuleSpec[] = [];
    for (const [port, proto] of [[80, "http"], [443, "https"]] as const) {
        const what = port === 80 ? "HTTP (redirected to HTTPS)" : "HTTPS";
        rules.push(
            { key: `lb-in-${proto}-ipv4`, group: "loadBalancer", direction: "ingress", port, peer: { cidrIpv4: ANY_IPV4 }, description: `${what} from the internet over IPv4` },
            { key: `lb-in-${proto}-ipv6`, group: "loadBalancer", direction: "ingress", port, peer: { cidrIpv6: ANY_IPV6 }, description: `${what} from the internet over IPv6` },
        );
    }
    rules.push(
        { key: "lb-out-app", group: "loadBalancer", direction: "egress", port: appPort, peer: { group: "app" }, description: "To the application tasks and their health checks" },
        { key: "app-in-lb", group: "app", direction: "ingress", port: appPort, peer: { group: "loadBalancer" }, description: "From the load balancer only" },
        { key: "app-out-https", group: "app", direction: "egress", port: 443, peer: { cidrIpv4: ANY_IPV4 }, description: "HTTPS to AWS APIs and external services" },
    );
    for (const store of DATA_STORES.filter((st) => st.group !== "documentDb" || o.documentDb)) {
        rules.push(
            { key: `app-out-${store.key}`, group: "app", direction: "egress", port: store.port, peer: { group: store.group }, description: `To ${store.label}` },
            { key: `${store.key}-in-app`, group: store.group, direction: "ingress", port: store.port, peer: { group: "app" }, description: `${store.label} from the application only` },
        );
    }
    if (o.interfaceEndpoints) {
        rules.push({ key: "endpoints-in-app", group: "endpoints", direction: "ingress", port: 443, peer: { group: "app" }, description: "HTTPS from the application only" });
    }
    return rules;
}
