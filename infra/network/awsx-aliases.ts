import { Tier } from "./topology";

/**
 * Where awsx v3's `awsx.ec2.Vpc` registered each child (pulumi-awsx awsx/ec2/vpc.ts, subnetNaming.ts),
 * so the raw resources that replace it carry aliases to those URNs and a stack first deployed with
 * awsx adopts its VPC, subnets, route tables, gateways and addresses in place instead of replacing
 * them (a replaced subnet takes the databases in it along).
 *
 * awsx's tree, for a component `<vpc>` (ours was `${component}-vpc`, parented on the Network):
 *
 *   awsx:ec2:Vpc <vpc>
 *     aws:ec2/vpc:Vpc <vpc>
 *       aws:ec2/internetGateway:InternetGateway <vpc>
 *       aws:ec2/subnet:Subnet <vpc>-<spec name>-<AZ number>           (spec names: public, private, isolated)
 *         aws:ec2/routeTable:RouteTable <same name>
 *           aws:ec2/routeTableAssociation:RouteTableAssociation <same name>
 *           aws:ec2/route:Route <same name>                         (public and private subnets only)
 *         aws:ec2/eip:Eip <vpc>-<AZ number>                         (public subnets of AZs with a NAT gateway)
 *         aws:ec2/natGateway:NatGateway <vpc>-<AZ number>
 *
 * A URN names its ancestors' types, not their names, so each alias is the Network's URN with that
 * chain of types and the child's own name.
 */

export const AWSX_TYPES = {
    component: "awsx:ec2:Vpc",
    vpc: "aws:ec2/vpc:Vpc",
    internetGateway: "aws:ec2/internetGateway:InternetGateway",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    route: "aws:ec2/route:Route",
    eip: "aws:ec2/eip:Eip",
    natGateway: "aws:ec2/natGateway:NatGateway",
} as const;

/** A resource's place under the Network component in awsx's tree: its ancestors' and its own type, and its name. */
export interface AwsxPath {
    types: string[];
    name: string;
}

const T = AWSX_TYPES;
const VPC = [T.component, T.vpc];

/** The awsx component's name for a Network named `component`. */
export const awsxVpcName = (component: string) => `${component}-vpc`;

const subnetName = (component: string, tier: Tier, azNumber: number) => `${awsxVpcName(component)}-${tier}-${azNumber}`;

export const awsxPaths = {
    vpc: (component: string): AwsxPath => ({ types: VPC, name: awsxVpcName(component) }),
    internetGateway: (component: string): AwsxPath => ({ types: [...VPC, T.internetGateway], name: awsxVpcName(component) }),
    subnet: (component: string, tier: Tier, azNumber: number): AwsxPath => ({ types: [...VPC, T.subnet], name: subnetName(component, tier, azNumber) }),
    routeTable: (component: string, tier: Tier, azNumber: number): AwsxPath => ({ types: [...VPC, T.subnet, T.routeTable], name: subnetName(component, tier, azNumber) }),
    association: (component: string, tier: Tier, azNumber: number): AwsxPath => ({
        types: [...VPC, T.subnet, T.routeTable, T.association],
        name: subnetName(component, tier, azNumber),
    }),
    route: (component: string, tier: Tier, azNumber: number): AwsxPath => ({ types: [...VPC, T.subnet, T.routeTable, T.route], name: subnetName(component, tier, azNumber) }),
    eip: (component: string, azNumber: number): AwsxPath => ({ types: [...VPC, T.subnet, T.eip], name: `${awsxVpcName(component)}-${azNumber}` }),
    natGateway: (component: string, azNumber: number): AwsxPath => ({ types: [...VPC, T.subnet, T.natGateway], name: `${awsxVpcName(component)}-${azNumber}` }),
};

/**
 * The URN of a resource registered along `path` below the resource whose URN is `parentUrn`:
 * `urn:pulumi:<stack>::<project>::<parent's type chain>$<types...>::<name>`.
 */
export function urnBelow(parentUrn: string, path: AwsxPath): string {
    const cut = parentUrn.lastIndexOf("::");
    if (!parentUrn.startsWith("urn:pulumi:") || cut < 0) throw new Error(`urnBelow: ${JSON.stringify(parentUrn)} is not a URN`);
    return `${parentUrn.slice(0, cut)}$${path.types.join("$")}::${path.name}`;
}
