import { specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { RecordedResource } from "./run-program";

/** A recorded input without its secret wrapper (the origins hold the origin token). */
const reveal = (v: any): any => (v !== null && typeof v === "object" && specialSigKey in v ? v.value : v);

/**
 * The stack's topology as a picture, from what the program registered: its components as groups, the
 * entry points, services and data stores in them, which security group each sits in, and the network
 * paths the security group rules allow between groups (who may reach whom on which port). Written as
 * Mermaid (the README's architecture diagram) or Graphviz dot.
 */

/** What a resource is in the picture, by type; other resources are left out. */
const ROLES: Record<string, { role: "entry" | "service" | "store"; label: string; groupInputs: string[] }> = {
    "aws:cloudfront/distribution:Distribution": { role: "entry", label: "CloudFront", groupInputs: [] },
    "aws:lb/loadBalancer:LoadBalancer": { role: "entry", label: "load balancer", groupInputs: ["securityGroups"] },
    "aws:alb/loadBalancer:LoadBalancer": { role: "entry", label: "load balancer", groupInputs: ["securityGroups"] },
    "aws:ecs/service:Service": { role: "service", label: "ECS service", groupInputs: ["networkConfiguration"] },
    "aws:rds/instance:Instance": { role: "store", label: "PostgreSQL", groupInputs: ["vpcSecurityGroupIds"] },
    "aws:rds/cluster:Cluster": { role: "store", label: "RDS cluster", groupInputs: ["vpcSecurityGroupIds"] },
    "aws:docdb/cluster:Cluster": { role: "store", label: "DocumentDB", groupInputs: ["vpcSecurityGroupIds"] },
    "aws:elasticache/replicationGroup:ReplicationGroup": { role: "store", label: "Redis", groupInputs: ["securityGroupIds"] },
    "aws:s3/bucket:Bucket": { role: "store", label: "S3 bucket", groupInputs: [] },
    "aws:s3/bucketV2:BucketV2": { role: "store", label: "S3 bucket", groupInputs: [] },
};
const GROUP = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

export interface Graph {
    /** Component URN → its display name and the nodes directly or indirectly under it. */
    components: { urn: string; name: string; nodes: string[] }[];
    nodes: { urn: string; name: string; role: "entry" | "service" | "store" | "group"; label: string }[];
    /** `from` may reach `to` (security groups), or `from` sits in group `to` (`kind: "in"`). */
    edges: { from: string; to: string; label: string; kind: "allows" | "in" | "internet" }[];
}

/** The nearest component (a non-provider resource that is not custom) above a resource. */
function componentOf(r: RecordedResource, byUrn: Map<string, RecordedResource>): RecordedResource | undefined {
    for (let p = r.parent && byUrn.get(r.parent); p; p = p.parent ? byUrn.get(p.parent) : undefined) {
        if (!p.custom && p.type !== "pulumi:pulumi:Stack") return p;
    }
    return undefined;
}

const ports = (inputs: Record<string, any>): string => {
    const proto = String(inputs.ipProtocol ?? "tcp");
    if (proto === "-1") return "all traffic";
    return inputs.fromPort === inputs.toPort ? `${proto} ${inputs.fromPort}` : `${proto} ${inputs.fromPort}-${inputs.toPort}`;
};

/** The graph of a recorded stack. Deterministic: nodes and edges in registration order. */
export function stackGraph(resources: RecordedResource[]): Graph {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const nodes: Graph["nodes"] = [];
    const edges: Graph["edges"] = [];
    for (const r of resources) {
        const role = ROLES[r.type];
        if (role) nodes.push({ urn: r.urn, name: r.name, role: role.role, label: role.label });
        else if (r.type === GROUP) nodes.push({ urn: r.urn, name: r.name, role: "group", label: "security group" });
    }
    const isNode = new Set(nodes.map((n) => n.urn));
    for (const r of resources) {
        const role = ROLES[r.type];
        for (const input of role?.groupInputs ?? []) {
            for (const g of r.propertyDependencies[input] ?? []) if (byUrn.get(g)?.type === GROUP) edges.push({ from: r.urn, to: g, label: "in", kind: "in" });
        }
        // CloudFront's origins: a resource of the picture its origins came from (the assets bucket), or
        // the load balancer a DNS record of the origin's name aliases.
        if (r.type === "aws:cloudfront/distribution:Distribution") {
            const targets = new Set((r.propertyDependencies.origins ?? []).filter((u) => isNode.has(u)));
            for (const o of Array.isArray(reveal(r.inputs.origins)) ? reveal(r.inputs.origins) : []) {
                const record = resources.find((x) => x.type === "aws:route53/record:Record" && typeof o?.domainName === "string" && x.inputs.name === o.domainName);
                for (const u of record?.propertyDependencies.aliases ?? []) if (isNode.has(u)) targets.add(u);
            }
            for (const t of targets) edges.push({ from: r.urn, to: t, label: "origin, HTTPS", kind: "allows" });
        }
        if (r.type !== INGRESS) continue;
        const to = (r.propertyDependencies.securityGroupId ?? []).find((u) => isNode.has(u));
        if (!to) continue;
        const from = (r.propertyDependencies.referencedSecurityGroupId ?? []).find((u) => isNode.has(u));
        if (from) edges.push({ from, to, label: ports(r.inputs), kind: "allows" });
        else if (r.inputs.cidrIpv4 || r.inputs.cidrIpv6 || r.inputs.prefixListId) {
            const source = r.inputs.prefixListId ? "CloudFront (prefix list)" : String(r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6);
            edges.push({ from: source, to, label: ports(r.inputs), kind: "internet" });
        }
    }
    const components = new Map<string, Graph["components"][number]>();
    for (const n of nodes) {
        const c = componentOf(byUrn.get(n.urn)!, byUrn);
        if (!c) continue;
        if (!components.has(c.urn)) components.set(c.urn, { urn: c.urn, name: c.name, nodes: [] });
        components.get(c.urn)!.nodes.push(n.urn);
    }
    return { components: [...components.values()], nodes, edges };
}

const SHAPES = { entry: ["([", "])"], service: ["[", "]"], store: ["[(", ")]"], group: ["{{", "}}"] } as const;

/** Mermaid flowchart: one subgraph per component, ids n0, n1... in node order. */
export function toMermaid(g: Graph): string {
    const id = new Map(g.nodes.map((n, i) => [n.urn, `n${i}`]));
    const external = new Map<string, string>();
    const ext = (name: string) => external.get(name) ?? (external.set(name, `x${external.size}`), external.get(name)!);
    const label = (s: string) => s.replace(/"/g, "'");
    const lines = ["flowchart LR"];
    const placed = new Set<string>();
    g.components.forEach((c, i) => {
        lines.push(`  subgraph c${i}["${label(c.name)}"]`);
        for (const u of c.nodes) {
            const n = g.nodes.find((x) => x.urn === u)!;
            const [open, close] = SHAPES[n.role];
            lines.push(`    ${id.get(u)}${open}"${label(`${n.label}: ${n.name}`)}"${close}`);
            placed.add(u);
        }
        lines.push("  end");
    });
    for (const n of g.nodes.filter((x) => !placed.has(x.urn))) {
        const [open, close] = SHAPES[n.role];
        lines.push(`  ${id.get(n.urn)}${open}"${label(`${n.label}: ${n.name}`)}"${close}`);
    }
    for (const e of g.edges) {
        const from = e.kind === "internet" ? ext(e.from) : id.get(e.from)!;
        if (e.kind === "internet" && !lines.includes(`  ${from}(("${label(e.from)}"))`)) lines.push(`  ${from}(("${label(e.from)}"))`);
        lines.push(e.kind === "in" ? `  ${from} -.- ${id.get(e.to)}` : `  ${from} -->|"${label(e.label)}"| ${id.get(e.to)}`);
    }
    return lines.join("\n");
}

/** Graphviz dot: one cluster per component. */
export function toDot(g: Graph): string {
    const id = new Map(g.nodes.map((n, i) => [n.urn, `n${i}`]));
    const q = (s: string) => JSON.stringify(s);
    const shape = { entry: "oval", service: "box", store: "cylinder", group: "hexagon" } as const;
    const lines = ["digraph stack {", "  rankdir=LR;"];
    const placed = new Set<string>();
    g.components.forEach((c, i) => {
        lines.push(`  subgraph cluster_${i} {`, `    label=${q(c.name)};`);
        for (const u of c.nodes) {
            const n = g.nodes.find((x) => x.urn === u)!;
            lines.push(`    ${id.get(u)} [label=${q(`${n.label}: ${n.name}`)}, shape=${shape[n.role]}];`);
            placed.add(u);
        }
        lines.push("  }");
    });
    for (const n of g.nodes.filter((x) => !placed.has(x.urn))) lines.push(`  ${id.get(n.urn)} [label=${q(`${n.label}: ${n.name}`)}, shape=${shape[n.role]}];`);
    for (const e of g.edges) {
        const from = e.kind === "internet" ? q(e.from) : id.get(e.from)!;
        lines.push(e.kind === "in" ? `  ${from} -> ${id.get(e.to)} [style=dotted, arrowhead=none];` : `  ${from} -> ${id.get(e.to)} [label=${q(e.label)}];`);
    }
    lines.push("}");
    return lines.join("\n");
}
