import { StackReporter, StackResource } from "../lib/define";
import { referrersOf } from "../lib/by-type";
import { sourcesOf } from "../lib/joins";
import { isUnknown, show } from "../lib/props";
import { attributeToVpcs, describeResource } from "./joins";
import { isWorldCidr } from "./rules";
import { ASSOCIATION, ROUTE_TABLES, RouteEntry, SUBNET, TierConfig, routesOf, tierOf } from "./tiers";

/**
 * net-12 on a VPC built from aws.ec2 resources, as a preview sends them to the pack: the zones of
 * its subnets, and for each private subnet the NAT gateway its route table's default route goes
 * to and the zone of that gateway's subnet. (An awsx.ec2.Vpc is judged from its inputs instead.)
 */

export interface NatConfig {
    minimumAvailabilityZones: number;
    natStrategy: string;
}

export const NAT_RANK: Record<string, number> = { None: 0, Single: 1, OnePerAz: 2 };

/** A subnet is private when a tier tag (awsx's `SubnetType` among them) or a Name word says so. */
const PRIVATE_TIER: TierConfig = { tierTagKeys: ["tier", "Tier", "SubnetType"], publicTiers: ["public"], privateTiers: ["private"] };

interface Zone {
    value: unknown;
    path: "availabilityZone" | "availabilityZoneId";
}

/** Where a subnet is: its zone name, else its zone id; unset means EC2 picks one at create. */
function zoneOf(subnet: StackResource): Zone {
    return subnet.props.availabilityZone !== undefined || subnet.props.availabilityZoneId === undefined
        ? { value: subnet.props.availabilityZone, path: "availabilityZone" }
        : { value: subnet.props.availabilityZoneId, path: "availabilityZoneId" };
}

const isKnownZone = (z: Zone) => typeof z.value === "string" && z.value !== "" && !isUnknown(z.value);

/** The subnet's default (internet-wide) route to a NAT gateway, and that gateway when the route names one of the stack's. */
function natRouteOf(subnet: StackResource, resources: StackResource[]): { route: RouteEntry; path: string; nat?: StackResource } | undefined {
    const associations = SUBNET.has(subnet.type) ? referrersOf(resources, subnet, ASSOCIATION, "subnetId") : [];
    for (const table of associations.flatMap((a) => sourcesOf(a, "routeTableId", ROUTE_TABLES))) {
        for (const route of routesOf(table, resources)) {
            const exit = route.exits.find((e) => e.input === "natGatewayId");
            if (exit && route.destinations.some((d) => isWorldCidr(d.value))) return { route, path: exit.path, nat: exit.sources.length === 1 ? exit.sources[0] : undefined };
        }
    }
    return undefined;
}

/** At least the configured number of zones among the VPC's subnets. */
function checkZones(vpc: StackResource, subnets: StackResource[], config: NatConfig, report: StackReporter): void {
    const zones = subnets.map((s) => ({ subnet: s, zone: zoneOf(s) }));
    const known = new Set(zones.filter((z) => isKnownZone(z.zone)).map((z) => z.zone.value as string));
    if (known.size >= config.minimumAvailabilityZones) return;
    const pending = zones.filter((z) => !isKnownZone(z.zone));
    for (const z of pending) report.unverifiable(z.subnet, z.zone.path, `${describeResource(vpc)} spans at least ${config.minimumAvailabilityZones} availability zones`);
    if (pending.length > 0) return;
    report.violation(vpc, `VPC must span at least ${config.minimumAvailabilityZones} availability zones: ${describeResource(vpc)} has subnets in ${known.size} (${[...known].sort().join(", ")}), expected ${config.minimumAvailabilityZones} or more.`);
}

/** Every private subnet routes through a NAT gateway, in its own zone when the strategy is OnePerAz. */
function checkNat(vpc: StackResource, subnets: StackResource[], resources: StackResource[], config: NatConfig, report: StackReporter): void {
    if (NAT_RANK[config.natStrategy] === NAT_RANK.None) return;
    for (const subnet of subnets) {
        const found = natRouteOf(subnet, resources);
        const tier = tierOf(subnet.props.tags, PRIVATE_TIER);
        if (!found) {
            if (tier?.tier === "private") {
                report.violation(subnet, `Private subnet must reach the internet through a NAT gateway: ${describeResource(subnet)} (${tier.from} says "private") of ${describeResource(vpc)} has no default route to one, expected a route 0.0.0.0/0 to a NAT gateway${config.natStrategy === "OnePerAz" ? " in its availability zone" : ""}.`);
            }
            continue;
        }
        if (config.natStrategy === "OnePerAz") checkSameZone(vpc, subnet, found, report);
    }
}

function checkSameZone(vpc: StackResource, subnet: StackResource, found: { route: RouteEntry; path: string; nat?: StackResource }, report: StackReporter): void {
    const requirement = `${describeResource(subnet)} routes through a NAT gateway in its own availability zone`;
    const natSubnet = found.nat ? sourcesOf(found.nat, "subnetId", SUBNET)[0] : undefined;
    if (!found.nat || !natSubnet) return report.unverifiable(found.route.owner, found.path, requirement);
    const [own, theirs] = [zoneOf(subnet), zoneOf(natSubnet)];
    if (!isKnownZone(own)) return report.unverifiable(subnet, own.path, requirement);
    if (!isKnownZone(theirs) || theirs.path !== own.path) return report.unverifiable(natSubnet, theirs.path, requirement);
    if (own.value === theirs.value) return;
    report.violation(found.route.owner,
        `VPC must give private subnets one NAT gateway per availability zone: ${describeResource(subnet)} in ${show(own.value)} of ${describeResource(vpc)} sends its default route ` +
        `(${found.route.where}) to NAT gateway "${found.nat.name}" in ${show(theirs.value)}, expected a NAT gateway in ${show(own.value)}, so an outage of one zone does not cut another off.`);
}

/** net-12 for an aws.ec2.Vpc: nothing to judge when the stack holds none of its subnets. */
export function checkVpcTopology(vpc: StackResource, resources: StackResource[], config: NatConfig, report: StackReporter): void {
    const subnets = attributeToVpcs(resources, SUBNET).byVpc.get(vpc) ?? [];
    if (subnets.length === 0) return;
    checkZones(vpc, subnets, config, report);
    checkNat(vpc, subnets, resources, config, report);
}
