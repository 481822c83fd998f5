import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The service's own security group and every rule that joins it to its peers, as data first (tests read
 * the table), then one standalone rule resource per entry. A rule always has its mirror on the peer's
 * group (ingress here, egress there), since both sides filter.
 */

/** A group other than the service's own, by its role. */
export type Peer = "loadBalancer" | "postgres" | "redis" | "documentDb" | "endpoints";

export interface ServiceRule {
    /** Stable suffix of the rule's logical name. */
    key: string;
    /** Whose group the rule is on. */
    on: "service" | Peer;
    direction: "ingress" | "egress";
    port: pulumi.Input<number>;
    /** The other side: a group, or the IPv4 internet. */
    peer: "service" | Peer | "anyIpv4";
    description: string;
}

const STORE_LABELS = { postgres: "PostgreSQL", redis: "Redis", documentDb: "DocumentDB" } as const;

export interface RuleInputs {
    service: string;
    /** Container port, for a public service. */
    port?: number;
    /** Used stores and their ports. */
    stores: { store: keyof typeof STORE_LABELS; port: pulumi.Input<number> }[];
    endpoints: boolean;
}

/**
 * Public: the load balancer reaches the port. Worker: nothing reaches it. Both: HTTPS out (AWS APIs,
 * external services; through NAT or the interface endpoints), and each used store on its port.
 */
export function serviceRules(i: RuleInputs): ServiceRule[] {
    const rules: ServiceRule[] = [];
    if (i.port !== undefined) {
        rules.push(
            { key: "in-lb", on: "service", direction: "ingress", port: i.port, peer: "loadBalancer", description: `${i.service}: from the load balancer only` },
            { key: "lb-out", on: "loadBalancer", direction: "egress", port: i.port, peer: "service", description: `To ${i.service} tasks and their health checks` },
        );
    }
    rules.push({ key: "out-https", on: "service", direction: "egress", port: 443, peer: "anyIpv4", description: `${i.service}: HTTPS to AWS APIs and external services` });
    for (const { store, port } of i.stores) {
        const label = STORE_LABELS[store];
        rules.push(
            { key: `out-${store.toLowerCase()}`, on: "service", direction: "egress", port, peer: store, description: `${i.service}: to ${label}` },
            { key: `${store.toLowerCase()}-in`, on: store, direction: "ingress", port, peer: "service", description: `${label} from ${i.service}` },
        );
    }
    if (i.endpoints) {
        rules.push({ key: "endpoints-in", on: "endpoints", direction: "ingress", port: 443, peer: "service", description: `Interface endpoints: HTTPS from ${i.service}` });
    }
    return rules;
}

/** One standalone TCP rule per entry; `groups` maps each role to its group id. */
export function createRules(name: string, rules: ServiceRule[], groups: Record<"service" | Peer, pulumi.Input<string> | undefined>, parent: pulumi.Resource): void {
    const id = (role: "service" | Peer) => {
        const g = groups[role];
        if (g === undefined) throw new Error(`Service ${name}: rule needs the ${role} security group, which was not given`);
        return g;
    };
    for (const rule of rules) {
        const args = {
            securityGroupId: id(rule.on),
            ipProtocol: "tcp",
            fromPort: rule.port,
            toPort: rule.port,
            description: rule.description,
            ...(rule.peer === "anyIpv4" ? { cidrIpv4: "0.0.0.0/0" } : { referencedSecurityGroupId: id(rule.peer) }),
        };
        if (rule.direction === "ingress") new aws.vpc.SecurityGroupIngressRule(`${name}-${rule.key}`, args, { parent });
        else new aws.vpc.SecurityGroupEgressRule(`${name}-${rule.key}`, args, { parent });
    }
}
