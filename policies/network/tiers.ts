import * as aws from "@pulumi/aws";
import { ConfigProperty, StackReporter, StackResource, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { isUnknown, show } from "../lib/props";
import { ofType, referrersOf } from "../lib/by-type";
import { sourcesOf } from "../lib/joins";
import { isWorldCidr } from "./rules";

/**
 * Subnet tiers (public, private, isolated) and what each may do. A tier is read from tags, first
 * from a tier tag (`tier`, `Tier`, or awsx's `SubnetType`), else from a tier word in the `Name` tag
 * (awsx names subnets and their route tables `<vpc>-private-1`); a route table also takes the tier
 * of the subnets associated with it, so a private subnet on a public table is caught. Private tiers
 * reach the internet only through NAT; isolated tiers not at all.
 */

export const SUBNET = new Set([tokenOf(aws.ec2.Subnet)]);
export const ROUTE_TABLES = new Set([tokenOf(aws.ec2.RouteTable), tokenOf(aws.ec2.DefaultRouteTable)]);
export const ASSOCIATION = tokenOf(aws.ec2.RouteTableAssociation);
const ROUTE = tokenOf(aws.ec2.Route);
const INTERNET_GATEWAY = tokenOf(aws.ec2.InternetGateway);
const GATEWAYS = new Set([INTERNET_GATEWAY, tokenOf(aws.ec2.VpnGateway)]);

/**
 * Route targets other than `gatewayId` that carry traffic to the internet. The input names the kind
 * (a `natGatewayId` only ever holds a NAT gateway), so an id unknown until apply is judged all the same.
 */
const INTERNET_EXITS = [
    { input: "natGatewayId", label: "NAT gateway", type: tokenOf(aws.ec2.NatGateway) },
    { input: "egressOnlyGatewayId", label: "egress-only internet gateway", type: tokenOf(aws.ec2.EgressOnlyInternetGateway) },
    { input: "carrierGatewayId", label: "carrier gateway", type: tokenOf(aws.ec2.CarrierGateway) },
] as const;

export interface TierConfig {
    tierTagKeys: string[];
    publicTiers: string[];
    privateTiers: string[];
}

const WORDS = { type: "array" as const, items: { type: "string", minLength: 1 }, uniqueItems: true };
export const TIER_CONFIG: { [K in keyof TierConfig]: ConfigProperty } = {
    tierTagKeys: { ...WORDS, default: ["tier", "Tier", "SubnetType"], description: "Tags that name a subnet's or route table's tier, first match wins; the Name tag is read after them." },
    publicTiers: { ...WORDS, default: ["public"], description: "Tier names (case-insensitive) that face the internet." },
    privateTiers: { ...WORDS, minItems: 1, default: ["private", "isolated", "database", "data"], description: "Tier names (case-insensitive) that must not route to an internet gateway." },
};

export interface Tier {
    /** Lowercase tier name. */
    tier: string;
    /** Where it was read, e.g. `tags.tier`. */
    from: string;
}

/** The tier tags give, or undefined when none of them (nor a word of the Name tag) names one. */
export function tierOf(tags: unknown, config: TierConfig): Tier | undefined {
    if (tags === null || typeof tags !== "object") return undefined;
    const t = tags as Record<string, unknown>;
    for (const key of config.tierTagKeys) {
        const v = t[key];
        if (typeof v === "string" && v !== "" && !isUnknown(v)) return { tier: v.toLowerCase(), from: `tags.${key}` };
    }
    const words = [...config.publicTiers, ...config.privateTiers].map((w) => w.toLowerCase());
    if (typeof t.Name === "string" && !isUnknown(t.Name)) {
        const word = t.Name.toLowerCase().split(/[^a-z0-9]+/).find((w) => words.includes(w));
        if (word) return { tier: word, from: "tags.Name" };
    }
    return undefined;
}

const isIn = (tier: Tier | undefined, names: string[]) => tier !== undefined && names.some((n) => n.toLowerCase() === tier.tier);

export interface RouteTierConfig extends TierConfig {
    isolatedTiers: string[];
}

const ROUTE_TIER_CONFIG: { [K in keyof RouteTierConfig]: ConfigProperty } = {
    ...TIER_CONFIG,
    isolatedTiers: {
        ...WORDS, default: ["isolated"],
        description: "Tier names (case-insensitive) with no route to the internet at all: neither to an internet gateway nor through a NAT, egress-only or carrier gateway.",
    },
};

/** net-03: only load balancer / NAT subnets hand out public addresses. */
export const subnetNoPublicIp = resourcePolicy<TierConfig>({
    name: "vpc-subnet-no-public-ip",
    description: "Subnets must not assign public IPv4 addresses on launch, except subnets of a public tier.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Set `mapPublicIpOnLaunch: false` (the default), or tag a subnet that really faces the internet `tier: public`.",
    securityHub: ["EC2.15"],
    catalogue: ["net-03"],
    config: TIER_CONFIG,
    types: [aws.ec2.Subnet],
    check: (subnet, { config }, report) => {
        const tier = tierOf(subnet.tags, config);
        if (isIn(tier, config.publicTiers)) return;
        const where = tier ? `${tier.from} says "${tier.tier}"` : `no tier is recognisable (tags ${config.tierTagKeys.join(", ")} or a Name word)`;
        if (isUnknown(subnet.mapPublicIpOnLaunch)) report.unverifiable("mapPublicIpOnLaunch", subnet.mapPublicIpOnLaunch, `a subnet outside the public tier assigns no public IPs (${where})`);
        else if (subnet.mapPublicIpOnLaunch === true) {
            report.violation(`Subnet must not assign public IPs on launch outside the public tier: mapPublicIpOnLaunch is true and ${where}, expected false (or a ${config.publicTiers.join("/")} tier tag).`);
        }
    },
});

/** Why a route table belongs to one of `tiers` (by its own tags, else an associated subnet's), or undefined. */
export function tierReason(table: StackResource, resources: StackResource[], config: TierConfig, tiers: string[]): string | undefined {
    const own = tierOf(table.props.tags, config);
    if (isIn(own, tiers)) return `tier "${own!.tier}" from ${own!.from}`;
    for (const a of ROUTE_TABLES.has(table.type) ? referrersOf(resources, table, ASSOCIATION, "routeTableId") : []) {
        for (const subnet of sourcesOf(a, "subnetId", SUBNET)) {
            const t = tierOf(subnet.props.tags, config);
            if (isIn(t, tiers)) return `associated subnet "${subnet.name}" is tier "${t!.tier}" from ${t!.from}`;
        }
    }
    return undefined;
}

/** Why a route table belongs to a private tier, or undefined. */
export function privateReason(table: StackResource, resources: StackResource[], config: TierConfig): string | undefined {
    return tierReason(table, resources, config, config.privateTiers);
}

export interface RouteEntry {
    owner: StackResource;
    /** `routes[0]` or `route "name"`. */
    where: string;
    destinations: { value: unknown; path: string }[];
    gateway: { value: unknown; path: string };
    /** Gateways among the sources of the gateway input. */
    gatewaySources: StackResource[];
    /** Targets other than `gatewayId` that lead to the internet (a NAT gateway...), when set. */
    exits: { input: (typeof INTERNET_EXITS)[number]["input"]; label: string; path: string; value: unknown; sources: StackResource[] }[];
}

/** The internet exits a route sets, from its inputs (`route` is a Route's props or an inline entry). */
function exitsOf(route: any, pathPrefix: string, sources: (input: string, type: string) => StackResource[]): RouteEntry["exits"] {
    return INTERNET_EXITS.filter((e) => route?.[e.input] !== undefined && route?.[e.input] !== null && route?.[e.input] !== "")
        .map((e) => ({ input: e.input, label: e.label, path: `${pathPrefix}${e.input}`, value: route[e.input], sources: sources(e.input, e.type) }));
}

/** Every route of a table: its inline `routes` and the aws.ec2.Route resources whose routeTableId came from it. */
export function routesOf(table: StackResource, resources: StackResource[]): RouteEntry[] {
    const out: RouteEntry[] = [];
    const inline = table.props.routes;
    // A list or route unknown until apply may hold anything: one entry whose destination and gateway are that unknown.
    const unknownRoute = (value: unknown, where: string): RouteEntry => ({
        owner: table, where, destinations: [{ value, path: where }], gateway: { value, path: where }, gatewaySources: [], exits: [],
    });
    if (isUnknown(inline)) out.push(unknownRoute(inline, "routes"));
    if (Array.isArray(inline)) {
        // Inline routes share one dependency list: it names the gateway only when there is one kind.
        const sources = sourcesOf(table, "routes", GATEWAYS);
        inline.forEach((r: any, i: number) => out.push(isUnknown(r) ? unknownRoute(r, `routes[${i}]`) : {
            owner: table, where: `routes[${i}]`,
            destinations: [{ value: r?.cidrBlock, path: `routes[${i}].cidrBlock` }, { value: r?.ipv6CidrBlock, path: `routes[${i}].ipv6CidrBlock` }],
            gateway: { value: r?.gatewayId, path: `routes[${i}].gatewayId` }, gatewaySources: sources,
            exits: exitsOf(r, `routes[${i}].`, (_input, type) => sourcesOf(table, "routes", type)),
        }));
    }
    for (const r of ROUTE_TABLES.has(table.type) ? referrersOf(resources, table, ROUTE, "routeTableId") : []) {
        out.push({
            owner: r, where: `route "${r.name}"`,
            destinations: [{ value: r.props.destinationCidrBlock, path: "destinationCidrBlock" }, { value: r.props.destinationIpv6CidrBlock, path: "destinationIpv6CidrBlock" }],
            gateway: { value: r.props.gatewayId, path: "gatewayId" }, gatewaySources: sourcesOf(r, "gatewayId", GATEWAYS),
            exits: exitsOf(r.props, "", (input, type) => sourcesOf(r, input, type)),
        });
    }
    return out;
}

/** true / false / "unknown": does the route target an internet gateway. */
function toInternetGateway(route: RouteEntry): boolean | "unknown" {
    const g = route.gateway.value;
    if (g === undefined || g === null || g === "") return false;
    if (!isUnknown(g)) return String(g).startsWith("igw-");
    const kinds = new Set(route.gatewaySources.map((s) => s.type));
    if (kinds.size === 1) return kinds.has(INTERNET_GATEWAY);
    return "unknown";
}

/** A private (or isolated) table's route to an internet gateway: a violation, or unverifiable while the target or destination is unknown. */
function checkInternetGateway(table: StackResource, reason: string, route: RouteEntry, report: StackReporter): void {
    const igw = toInternetGateway(route);
    const world = route.destinations.filter((d) => isWorldCidr(d.value));
    const unknownDest = route.destinations.filter((d) => isUnknown(d.value));
    if (igw === false || (world.length === 0 && unknownDest.length === 0)) return;
    const requirement = `${route.where} of private route table "${table.name}" sends no internet traffic to an internet gateway`;
    if (igw === true && world.length > 0) {
        const target = isUnknown(route.gateway.value) ? `internet gateway "${route.gatewaySources[0].name}"` : show(route.gateway.value);
        report.violation(route.owner, `Private route table must not route the internet to an internet gateway: "${table.name}" serves a private tier (${reason}) and ${route.where} sends ${world.map((d) => d.value).join(", ")} to ${target}, expected a NAT gateway, or no default route.`);
    } else if (igw === "unknown") report.unverifiable(route.owner, route.gateway.path, requirement);
    else for (const d of unknownDest) report.unverifiable(route.owner, d.path, requirement);
}

/** An isolated table's route through a NAT, egress-only or carrier gateway: the internet by another door. */
function checkIsolatedExit(table: StackResource, reason: string, route: RouteEntry, report: StackReporter): void {
    const exit = route.exits[0];
    if (exit === undefined) return;
    const world = route.destinations.filter((d) => isWorldCidr(d.value));
    if (world.length > 0) {
        const target = exit.sources.length > 0 ? `${exit.label} "${exit.sources[0].name}"` : isUnknown(exit.value) ? `a ${exit.label}` : `${exit.label} ${show(exit.value)}`;
        report.violation(route.owner, `Isolated route table must not route to the internet: "${table.name}" serves an isolated tier (${reason}) and ${route.where} sends ${world.map((d) => d.value).join(", ")} to ${target}, expected no route out of the VPC (an isolated tier reaches AWS services through VPC endpoints only).`);
        return;
    }
    for (const d of route.destinations.filter((x) => isUnknown(x.value))) {
        report.unverifiable(route.owner, d.path, `${route.where} of isolated route table "${table.name}" sends no internet traffic to a ${exit.label}`);
    }
}

/** net-04: private and database tiers reach the internet only through NAT, never directly; isolated tiers not at all. */
export const privateRoutesNoInternetGateway = stackPolicy<RouteTierConfig>({
    name: "vpc-private-routes-no-igw",
    description:
        "Route tables of private, isolated and database tiers must not route 0.0.0.0/0 or ::/0 to an internet gateway; " +
        "those of isolated tiers must not route them through a NAT, egress-only or carrier gateway either.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Route the private tier's default route to a NAT gateway (`natGatewayId`), and give isolated tiers no default route at all; associate private subnets only with private route tables.",
    catalogue: ["net-04"],
    config: ROUTE_TIER_CONFIG,
    check: (resources, { config }, report) => {
        // Isolated tiers are private too: the internet-gateway rule covers them as well.
        const tiers: TierConfig = { ...config, privateTiers: [...config.privateTiers, ...config.isolatedTiers] };
        for (const table of ofType(resources, ...ROUTE_TABLES)) {
            const reason = privateReason(table, resources, tiers);
            if (!reason) continue;
            const isolated = tierReason(table, resources, tiers, config.isolatedTiers);
            for (const route of routesOf(table, resources)) {
                checkInternetGateway(table, reason, route, report);
                if (isolated) checkIsolatedExit(table, isolated, route, report);
            }
        }
    },
});

export const tierPolicies = [subnetNoPublicIp, privateRoutesNoInternetGateway];
