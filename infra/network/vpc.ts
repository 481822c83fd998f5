import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NetworkConfig } from "../config/types";
import { AwsxPath, awsxPaths, urnBelow } from "./awsx-aliases";
import { nameTag } from "./naming";
import { SUBNET_TYPE, SubnetPlan, Tier, firstZones, natAzFor, natAzs, subnetPlan } from "./topology";

/**
 * The VPC from plain @pulumi/aws resources, as awsx v3's `awsx.ec2.Vpc` ("Auto" subnets) built it:
 * per AZ a public, a private and an isolated subnet, each with its own route table; one internet
 * gateway; NAT gateways (with their Elastic IPs) in the public subnets; public tables route 0.0.0.0/0
 * to the internet gateway, private ones to their AZ's NAT gateway (or the single one), isolated ones
 * nowhere. Each resource has a stable logical name and an alias to the URN awsx gave it.
 */

export interface VpcArgs {
    config: NetworkConfig;
    namePrefix: string;
    /** For the message when the region has too few zones. */
    region: string;
}

export type ByTier<T> = Record<Tier, T[]>;

export interface VpcResources {
    vpc: aws.ec2.Vpc;
    /** Attached to the VPC on create (its `vpcId`); the public tables route to it. */
    internetGateway: aws.ec2.InternetGateway;
    /** Subnet ids per tier, in AZ order. */
    subnetIds: ByTier<pulumi.Output<string>>;
    /** Route table ids per tier, in AZ order: every subnet has its own table. */
    routeTableIds: ByTier<pulumi.Output<string>>;
}

const byTier = <T>(): ByTier<T> => ({ public: [], private: [], isolated: [] });

/** Options of a child of the Network: parented on it, aliased to where awsx had put it. */
function childOf(parent: pulumi.Resource, path: AwsxPath, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
    return { parent, aliases: [parent.urn.apply((urn) => urnBelow(urn, path))], ...extra };
}

/**
 * What the VPC asks for its zones: the region's standard zones, whatever their state. awsx asks with no
 * filter at all. Not filtering on `state: available` is deliberate: a zone impaired on the day of a
 * `pulumi up` would drop out of the list, shift every later AZ and move (replace) their subnets and the
 * databases in them. Opted-in Local Zones, which the API lists with the standard zones by default, are
 * left out (the provider's documented `opt-in-status` filter): their names can sort first
 * (`us-west-2-lax-1a` < `us-west-2a`) and they lack services the tiers need.
 */
export const ZONE_QUERY = { filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] };

/** The first `count` of those zones, in name order, as awsx picks them. */
function availabilityZones(parent: pulumi.Resource, count: number, region: string): pulumi.Output<string[]> {
    return aws.getAvailabilityZonesOutput(ZONE_QUERY, { parent }).names.apply((names) => firstZones(names, count, region));
}

export function createVpc(component: string, parent: pulumi.Resource, args: VpcArgs): VpcResources {
    const { config, namePrefix } = args;
    const vpc = new aws.ec2.Vpc(
        `${component}-vpc`,
        // DNS support and hostnames: interface endpoints' private DNS names need both.
        { cidrBlock: config.cidrBlock, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: nameTag(namePrefix, "vpc") } },
        childOf(parent, awsxPaths.vpc(component)),
    );
    const igw = new aws.ec2.InternetGateway(`${component}-igw`, { vpcId: vpc.id, tags: { Name: nameTag(namePrefix, "igw") } }, childOf(parent, awsxPaths.internetGateway(component)));

    const zones = availabilityZones(parent, config.availabilityZoneCount, args.region);
    const plan = subnetPlan(component, namePrefix, config);
    const subnets = plan.map((p) => createSubnet(component, parent, vpc, zones, p));
    const publicSubnet = (az: number) => subnets[plan.findIndex((p) => p.tier === "public" && p.az === az)];
    const nats = new Map(natAzs(config.natGateways, config.availabilityZoneCount).map((az) => [az, createNatGateway(component, parent, namePrefix, az, publicSubnet(az), igw)]));

    const out: VpcResources = { vpc, internetGateway: igw, subnetIds: byTier(), routeTableIds: byTier() };
    plan.forEach((p, i) => {
        const table = createRouteTable(component, parent, vpc, subnets[i], p);
        const target = p.tier === "public" ? { gatewayId: igw.id } : p.tier === "private" ? { natGatewayId: nats.get(natAzFor(config.natGateways, p.az))!.id } : undefined;
        // Isolated tables keep only the VPC's local route: no way to or from the internet.
        if (target) new aws.ec2.Route(p.name, { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", ...target }, childOf(parent, awsxPaths.route(component, p.tier, p.az + 1)));
        out.subnetIds[p.tier].push(subnets[i].id);
        out.routeTableIds[p.tier].push(table.id);
    });
    return out;
}

function createSubnet(component: string, parent: pulumi.Resource, vpc: aws.ec2.Vpc, zones: pulumi.Output<string[]>, p: SubnetPlan): aws.ec2.Subnet {
    return new aws.ec2.Subnet(
        p.name,
        {
            vpcId: vpc.id,
            availabilityZone: zones.apply((z) => z[p.az]),
            cidrBlock: p.cidrBlock,
            // Only the public tier (load balancer, NAT gateways) hands out public addresses.
            mapPublicIpOnLaunch: p.tier === "public",
            assignIpv6AddressOnCreation: false,
            tags: { Name: p.nameTag, SubnetType: SUBNET_TYPE[p.tier] },
        },
        childOf(parent, awsxPaths.subnet(component, p.tier, p.az + 1)),
    );
}

/** The subnet's own route table and its association; routes are added by the caller. */
function createRouteTable(component: string, parent: pulumi.Resource, vpc: aws.ec2.Vpc, subnet: aws.ec2.Subnet, p: SubnetPlan): aws.ec2.RouteTable {
    const table = new aws.ec2.RouteTable(
        p.name,
        { vpcId: vpc.id, tags: { Name: p.nameTag, SubnetType: SUBNET_TYPE[p.tier] } },
        childOf(parent, awsxPaths.routeTable(component, p.tier, p.az + 1)),
    );
    new aws.ec2.RouteTableAssociation(p.name, { routeTableId: table.id, subnetId: subnet.id }, childOf(parent, awsxPaths.association(component, p.tier, p.az + 1)));
    return table;
}

/** An Elastic IP and a NAT gateway in the public subnet of `az`. */
function createNatGateway(component: string, parent: pulumi.Resource, namePrefix: string, az: number, subnet: aws.ec2.Subnet, igw: aws.ec2.InternetGateway): aws.ec2.NatGateway {
    const name = `${component}-nat-${az + 1}`;
    const tags = { Name: nameTag(namePrefix, `nat-${az + 1}`) };
    const eip = new aws.ec2.Eip(name, { tags }, childOf(parent, awsxPaths.eip(component, az + 1)));
    return new aws.ec2.NatGateway(
        name,
        { subnetId: subnet.id, allocationId: eip.allocationId, tags },
        // A public NAT gateway needs the VPC's internet gateway attached before it can pass traffic.
        childOf(parent, awsxPaths.natGateway(component, az + 1), { dependsOn: [igw] }),
    );
}
