import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { vpcMultiAzNat } from "../../policies/network/vpc";
import { EvalResource } from "../../tools/offline/evaluate";
import { UNKNOWN, messages, res, run } from "./helpers";

/**
 * vpc-multi-az-nat on aws.ec2 resources, over what it enumerates: each tag that names a subnet's
 * tier, zones given by id, a NAT gateway it cannot place, and a configured Single strategy.
 * (The topology of this project is in network-vpc.test.ts.)
 */
const vpc = res(aws.ec2.Vpc, { cidrBlock: "10.0.0.0/16" }, { name: "vpc" });
const inVpc = (type: Function, props: Record<string, any>, name: string, deps: Record<string, string[]> = {}) =>
    res(type, { vpcId: UNKNOWN, ...props }, { name, propertyDependencies: { vpcId: [vpc.urn], ...deps } });
const associate = (subnet: EvalResource, table: EvalResource) =>
    res(aws.ec2.RouteTableAssociation, { routeTableId: UNKNOWN, subnetId: UNKNOWN }, { name: subnet.name, propertyDependencies: { routeTableId: [table.urn], subnetId: [subnet.urn] } });

/** A public subnet with a NAT gateway in zone `natZone`, and a private subnet in `privateZone` routed to it (or to `natGatewayId` when given). */
function topology(privateZone: Record<string, unknown>, natZone: Record<string, unknown>, o: { natGatewayId?: string; natSubnet?: boolean } = {}): EvalResource[] {
    const pub = inVpc(aws.ec2.Subnet, { ...natZone, tags: { tier: "public" } }, "public");
    const priv = inVpc(aws.ec2.Subnet, { ...privateZone, tags: { tier: "private" } }, "private");
    const nat = res(aws.ec2.NatGateway, { subnetId: UNKNOWN }, { name: "nat", propertyDependencies: o.natSubnet === false ? {} : { subnetId: [pub.urn] } });
    const table = inVpc(aws.ec2.RouteTable, {}, "private-rt");
    const route = res(aws.ec2.Route, { routeTableId: UNKNOWN, destinationCidrBlock: "0.0.0.0/0", natGatewayId: o.natGatewayId ?? UNKNOWN }, {
        name: "private-default", propertyDependencies: { routeTableId: [table.urn], ...(o.natGatewayId ? {} : { natGatewayId: [nat.urn] }) },
    });
    return [vpc, pub, priv, nat, table, route, associate(priv, table)];
}
const cannot = (diags: { message: string }[]) => diags.map((d) => d.message.replace(/ Re-run.*$/, ""));
const REQUIREMENT = 'Cannot verify during preview that aws.ec2.Subnet "private" routes through a NAT gateway in its own availability zone';

describe("policies: vpc-multi-az-nat on aws.ec2 resources, every spelling", () => {
    for (const key of ["tier", "Tier", "SubnetType"]) {
        it(`reads a private subnet from tags.${key} and requires its NAT route`, async () => {
            const a = inVpc(aws.ec2.Subnet, { availabilityZone: "eu-west-1a", tags: { [key]: "public" } }, "public");
            const b = inVpc(aws.ec2.Subnet, { availabilityZone: "eu-west-1b", tags: { [key]: "Private" } }, "private");
            assert.deepStrictEqual(messages(await run(vpcMultiAzNat, [vpc, a, b])), [
                `Private subnet must reach the internet through a NAT gateway: aws.ec2.Subnet "private" (tags.${key} says "private") of aws.ec2.Vpc "vpc" has no default route to one, expected a route 0.0.0.0/0 to a NAT gateway in its availability zone.`,
            ]);
        });
    }

    it("reads a private subnet from a word of its Name tag", async () => {
        const a = inVpc(aws.ec2.Subnet, { availabilityZone: "eu-west-1a", tags: { Name: "shop-public-1" } }, "public");
        const b = inVpc(aws.ec2.Subnet, { availabilityZone: "eu-west-1b", tags: { Name: "shop-private-2" } }, "private");
        assert.deepStrictEqual(messages(await run(vpcMultiAzNat, [vpc, a, b])), [
            'Private subnet must reach the internet through a NAT gateway: aws.ec2.Subnet "private" (tags.Name says "private") of aws.ec2.Vpc "vpc" has no default route to one, expected a route 0.0.0.0/0 to a NAT gateway in its availability zone.',
        ]);
    });

    it("reports a subnet whose zone EC2 will pick (neither name nor id) as unverifiable, by its zone name", async () => {
        const a = inVpc(aws.ec2.Subnet, { availabilityZone: "eu-west-1a", tags: { tier: "public" } }, "public");
        const b = inVpc(aws.ec2.Subnet, { tags: { tier: "public" } }, "anywhere");
        assert.deepStrictEqual(cannot(await run(vpcMultiAzNat, [vpc, a, b])), [
            'Cannot verify during preview that aws.ec2.Vpc "vpc" spans at least 2 availability zones: availabilityZone is (unset).',
        ]);
    });

    it("reads zones given by id, and compares them", async () => {
        assert.deepStrictEqual(await run(vpcMultiAzNat, topology({ availabilityZoneId: "euw1-az1" }, { availabilityZoneId: "euw1-az1" }).concat(
            inVpc(aws.ec2.Subnet, { availabilityZoneId: "euw1-az2", tags: { tier: "public" } }, "public-b"))), []);
        const diags = await run(vpcMultiAzNat, topology({ availabilityZoneId: "euw1-az2" }, { availabilityZoneId: "euw1-az1" }));
        assert.deepStrictEqual(messages(diags), [
            'VPC must give private subnets one NAT gateway per availability zone: aws.ec2.Subnet "private" in "euw1-az2" of aws.ec2.Vpc "vpc" sends its default route (route "private-default") to NAT gateway "nat" in "euw1-az1", expected a NAT gateway in "euw1-az2", so an outage of one zone does not cut another off.',
        ]);
    });

    it("reports a NAT gateway it cannot place (outside the stack, without a subnet, in an unknown zone) as unverifiable", async () => {
        const zoneA = { availabilityZone: "eu-west-1a" };
        const zoneB = { availabilityZone: "eu-west-1b" };
        assert.deepStrictEqual(cannot(await run(vpcMultiAzNat, topology(zoneB, zoneA, { natGatewayId: "nat-0123" }))), [`${REQUIREMENT}: natGatewayId is "nat-0123".`]);
        assert.deepStrictEqual(cannot(await run(vpcMultiAzNat, topology(zoneB, zoneA, { natSubnet: false }))), [`${REQUIREMENT}: natGatewayId is (unknown until apply).`]);
        const unknownZone = await run(vpcMultiAzNat, topology(zoneA, { availabilityZone: UNKNOWN }).concat(inVpc(aws.ec2.Subnet, { ...zoneB, tags: { tier: "public" } }, "public-b")));
        assert.deepStrictEqual(cannot(unknownZone), [`${REQUIREMENT}: availabilityZone is (unknown until apply).`]);
        const mixed = await run(vpcMultiAzNat, topology(zoneA, { availabilityZoneId: "euw1-az1" }).concat(inVpc(aws.ec2.Subnet, { ...zoneB, tags: { tier: "public" } }, "public-b")));
        assert.deepStrictEqual(cannot(mixed), [`${REQUIREMENT}: availabilityZoneId is "euw1-az1".`]);
    });

    it("holds an awsx VPC to a configured Single strategy", async () => {
        const awsx = res("awsx:ec2:Vpc", { cidrBlock: "10.0.0.0/16", numberOfAvailabilityZones: 2, natGateways: { strategy: "None" } }, { name: "awsx-vpc" });
        assert.deepStrictEqual(messages(await run(vpcMultiAzNat, awsx, { natStrategy: "Single" })), [
            'VPC must give private subnets NAT strategy Single: natGateways.strategy is "None", expected "Single".',
        ]);
    });
});
