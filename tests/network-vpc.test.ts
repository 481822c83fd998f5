import * as assert from "assert";
import { Network } from "../infra/network/network";
import { mockZones, zoneIdPrefix } from "../tools/offline/mock-outputs";
import { Run } from "./harness";
import { T, runNetwork, sourceOf, sourcesOf, valueOf } from "./network-fixtures";

/**
 * The VPC as raw @pulumi/aws resources: every subnet, route table, route, gateway and address with
 * its exact inputs, and the alias that lets a stack deployed with awsx adopt each one in place.
 */

type TierName = "public" | "private" | "isolated";
const SUBNET_TYPE = { public: "Public", private: "Private", isolated: "Isolated" } as const;

/** What the config implies, written out: [tier, AZ number, zone, CIDR] per subnet. */
const PROD_SUBNETS: [TierName, number, string, string][] = [
    ["public", 1, "eu-west-1a", "10.20.0.0/24"], ["private", 1, "eu-west-1a", "10.20.16.0/20"], ["isolated", 1, "eu-west-1a", "10.20.32.0/24"],
    ["public", 2, "eu-west-1b", "10.20.64.0/24"], ["private", 2, "eu-west-1b", "10.20.80.0/20"], ["isolated", 2, "eu-west-1b", "10.20.96.0/24"],
    ["public", 3, "eu-west-1c", "10.20.128.0/24"], ["private", 3, "eu-west-1c", "10.20.144.0/20"], ["isolated", 3, "eu-west-1c", "10.20.160.0/24"],
];
const STAGING_SUBNETS: [TierName, number, string, string][] = [
    ["public", 1, "eu-west-1a", "10.21.0.0/24"], ["private", 1, "eu-west-1a", "10.21.16.0/20"], ["isolated", 1, "eu-west-1a", "10.21.32.0/24"],
    ["public", 2, "eu-west-1b", "10.21.128.0/24"], ["private", 2, "eu-west-1b", "10.21.144.0/20"], ["isolated", 2, "eu-west-1b", "10.21.160.0/24"],
];

const subnetInputs = (stack: string, [tier, n, zone, cidr]: [TierName, number, string, string]) => ({
    name: `network-${tier}-${n}`,
    inputs: {
        vpcId: "vpc-network-vpc",
        availabilityZone: zone,
        cidrBlock: cidr,
        mapPublicIpOnLaunch: tier === "public",
        assignIpv6AddressOnCreation: false,
        tags: { Name: `pos-${stack}-${tier}-${n}`, SubnetType: SUBNET_TYPE[tier] },
    },
});

/** One line per route: `<table> <destination> -> <target resource>`. */
const routeTable = (r: Run) =>
    r.ofType(T.route).map((route) => {
        const target = route.inputs.natGatewayId !== undefined ? sourceOf(r, route, "natGatewayId") : sourceOf(r, route, "gatewayId");
        return `${sourceOf(r, route, "routeTableId")} ${route.inputs.destinationCidrBlock} -> ${target}`;
    }).sort();

describe("Network component: the VPC", function () {
    let prod: Run;
    let staging: Run;
    before(async () => {
        prod = await runNetwork("prod");
        staging = await runNetwork("staging");
    });

    it("one VPC with DNS support and hostnames (interface endpoints need both) and one internet gateway in it", () => {
        for (const [r, stack, cidr] of [[prod, "prod", "10.20.0.0/16"], [staging, "staging", "10.21.0.0/16"]] as const) {
            assert.deepStrictEqual(r.one(T.vpc, "network-vpc").inputs, { cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: `pos-${stack}-vpc` } });
            const igw = r.one(T.igw, "network-igw");
            assert.deepStrictEqual(igw.inputs, { vpcId: "vpc-network-vpc", tags: { Name: `pos-${stack}-igw` } });
            assert.strictEqual(sourceOf(r, igw, "vpcId"), "network-vpc");
        }
    });

    it("prod: a public, a private and an isolated subnet in each of the region's first three zones, at awsx's Auto CIDRs", () => {
        const subnets = prod.ofType(T.subnet).map((s) => ({ name: s.name, inputs: s.inputs }));
        assert.deepStrictEqual(subnets, PROD_SUBNETS.map((s) => subnetInputs("prod", s)));
        for (const s of prod.ofType(T.subnet)) assert.strictEqual(sourceOf(prod, s, "vpcId"), "network-vpc", s.name);
    });

    it("staging: the same tiers over two zones", () => {
        assert.deepStrictEqual(staging.ofType(T.subnet).map((s) => ({ name: s.name, inputs: s.inputs })), STAGING_SUBNETS.map((s) => subnetInputs("staging", s)));
    });

    it("follows the configured masks and zone count", async () => {
        const r = await runNetwork("staging", { "baseline:network": { availabilityZoneCount: 3, privateSubnetMask: 21 } });
        assert.deepStrictEqual(r.ofType(T.subnet).filter((s) => s.name.includes("private")).map((s) => [s.inputs.availabilityZone, s.inputs.cidrBlock]), [
            ["eu-west-1a", "10.21.8.0/21"], ["eu-west-1b", "10.21.72.0/21"], ["eu-west-1c", "10.21.136.0/21"],
        ]);
    });

    it("gives every subnet its own route table, tagged with its name and tier, and associates the two", () => {
        for (const [r, stack] of [[prod, "prod"], [staging, "staging"]] as const) {
            const subnets = r.ofType(T.subnet);
            assert.deepStrictEqual(r.ofType(T.routeTable).map((t) => [t.name, t.inputs]), subnets.map((s) => [s.name, { vpcId: "vpc-network-vpc", tags: s.inputs.tags }]));
            assert.deepStrictEqual(
                r.ofType(T.association).map((a) => [a.name, sourceOf(r, a, "routeTableId"), sourceOf(r, a, "subnetId"), a.inputs.routeTableId]),
                subnets.map((s) => [s.name, s.name, s.name, `rtb-${s.name}`]),
            );
            assert.ok(r.ofType(T.routeTable).every((t) => t.inputs.tags.Name.startsWith(`pos-${stack}-`)));
        }
    });

    it("prod routes: public tables to the internet gateway, each private table to its own AZ's NAT gateway, isolated tables nowhere", () => {
        assert.deepStrictEqual(routeTable(prod), [
            "network-private-1 0.0.0.0/0 -> network-nat-1",
            "network-private-2 0.0.0.0/0 -> network-nat-2",
            "network-private-3 0.0.0.0/0 -> network-nat-3",
            "network-public-1 0.0.0.0/0 -> network-igw",
            "network-public-2 0.0.0.0/0 -> network-igw",
            "network-public-3 0.0.0.0/0 -> network-igw",
        ]);
        // IPv4 only: no ::/0 route, as the VPC has no IPv6 range.
        for (const route of prod.ofType(T.route)) assert.deepStrictEqual(Object.keys(route.inputs).sort(), ["destinationCidrBlock", route.inputs.natGatewayId ? "natGatewayId" : "gatewayId", "routeTableId"].sort());
    });

    it("staging routes: both private tables through the single NAT gateway", () => {
        assert.deepStrictEqual(routeTable(staging), [
            "network-private-1 0.0.0.0/0 -> network-nat-1",
            "network-private-2 0.0.0.0/0 -> network-nat-1",
            "network-public-1 0.0.0.0/0 -> network-igw",
            "network-public-2 0.0.0.0/0 -> network-igw",
        ]);
    });

    it("NAT gateways: one per AZ in prod, one in staging, each in a public subnet with its own Elastic IP, after the internet gateway", () => {
        const nats = (r: Run) => r.ofType(T.nat).map((n) => [n.name, sourceOf(r, n, "subnetId"), sourceOf(r, n, "allocationId"), n.inputs.tags.Name, r.byUrn(n.dependencies.find((d) => r.byUrn(d)?.type === T.igw))?.name]);
        assert.deepStrictEqual(nats(prod), [1, 2, 3].map((n) => [`network-nat-${n}`, `network-public-${n}`, `network-nat-${n}`, `pos-prod-nat-${n}`, "network-igw"]));
        assert.deepStrictEqual(nats(staging), [["network-nat-1", "network-public-1", "network-nat-1", "pos-staging-nat-1", "network-igw"]]);
        assert.deepStrictEqual(prod.ofType(T.eip).map((e) => [e.name, e.inputs]), [1, 2, 3].map((n) => [`network-nat-${n}`, { tags: { Name: `pos-prod-nat-${n}` } }]));
        assert.deepStrictEqual(prod.one(T.nat, "network-nat-2").inputs, { subnetId: "subnet-public-b", allocationId: "eipalloc-network-nat-2", tags: { Name: "pos-prod-nat-2" } });
    });

    it("follows the NAT strategy: OnePerAz in staging gives each private table its own gateway", async () => {
        const r = await runNetwork("staging", { "baseline:network": { natGateways: "OnePerAz" } });
        assert.deepStrictEqual(routeTable(r).filter((l) => l.startsWith("network-private")), [
            "network-private-1 0.0.0.0/0 -> network-nat-1",
            "network-private-2 0.0.0.0/0 -> network-nat-2",
        ]);
    });

    it("exposes the VPC's and subnets' ids in AZ order", async () => {
        const net = prod.outputs as Network;
        assert.strictEqual(await valueOf(net.vpcId), "vpc-network-vpc");
        assert.deepStrictEqual(await valueOf(net.publicSubnetIds), ["subnet-public-a", "subnet-public-b", "subnet-public-c"]);
        assert.deepStrictEqual(await valueOf(net.privateSubnetIds), ["subnet-private-a", "subnet-private-b", "subnet-private-c"]);
        assert.deepStrictEqual(await valueOf(net.isolatedSubnetIds), ["subnet-isolated-a", "subnet-isolated-b", "subnet-isolated-c"]);
    });

    it("on a first preview the zones are known (an invoke) and every id is unknown, but each link is a property dependency", async () => {
        const preview = await runNetwork("prod", {}, { firstPreview: true });
        const subnet = preview.one(T.subnet, "network-isolated-2");
        assert.strictEqual(subnet.wireInputs.availabilityZone, "eu-west-1b");
        assert.strictEqual(subnet.wireInputs.vpcId, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
        assert.deepStrictEqual(sourcesOf(preview, preview.one(T.route, "network-private-3"), "natGatewayId"), ["network-nat-3"]);
    });

    it("the mocks answer as AWS does: the region's zones with its zone ids, and subnet ids naming tier and zone", () => {
        assert.deepStrictEqual(mockZones("eu-west-1"), { names: ["eu-west-1a", "eu-west-1b", "eu-west-1c"], zoneIds: ["euw1-az1", "euw1-az2", "euw1-az3"] });
        assert.deepStrictEqual(["us-east-1", "ap-southeast-2", "ca-central-1", "us-gov-west-1", "ap-northeast-3"].map(zoneIdPrefix), ["use1", "apse2", "cac1", "usgw1", "apne3"]);
    });

    describe("aliases to the URNs awsx gave these resources, so an awsx-built stack adopts them in place", () => {
        const NET = "urn:pulumi:staging::baseline::baseline:network:Network";
        const VPC = `${NET}$awsx:ec2:Vpc$aws:ec2/vpc:Vpc`;
        const SUBNET = `${VPC}$aws:ec2/subnet:Subnet`;
        const TABLE = `${SUBNET}$aws:ec2/routeTable:RouteTable`;

        it("staging: every VPC resource, exactly", () => {
            const aliased = staging.resources.filter((r) => r.aliases.length > 0).map((r) => `${r.type} ${r.name} <- ${r.aliases.join(" ")}`);
            const perSubnet = (tier: TierName, n: number, routed: boolean) => [
                `${T.subnet} network-${tier}-${n} <- ${SUBNET}::network-vpc-${tier}-${n}`,
                `${T.routeTable} network-${tier}-${n} <- ${TABLE}::network-vpc-${tier}-${n}`,
                `${T.association} network-${tier}-${n} <- ${TABLE}$aws:ec2/routeTableAssociation:RouteTableAssociation::network-vpc-${tier}-${n}`,
                ...(routed ? [`${T.route} network-${tier}-${n} <- ${TABLE}$aws:ec2/route:Route::network-vpc-${tier}-${n}`] : []),
            ];
            assert.deepStrictEqual(aliased.sort(), [
                `${T.vpc} network-vpc <- ${NET}$awsx:ec2:Vpc$aws:ec2/vpc:Vpc::network-vpc`,
                `${T.igw} network-igw <- ${VPC}$aws:ec2/internetGateway:InternetGateway::network-vpc`,
                `${T.eip} network-nat-1 <- ${SUBNET}$aws:ec2/eip:Eip::network-vpc-1`,
                `${T.nat} network-nat-1 <- ${SUBNET}$aws:ec2/natGateway:NatGateway::network-vpc-1`,
                ...[1, 2].flatMap((n) => [...perSubnet("public", n, true), ...perSubnet("private", n, true), ...perSubnet("isolated", n, false)]),
            ].sort());
        });

        it("prod: one alias per VPC resource, none shared, and the third AZ's NAT gateway under the third public subnet", () => {
            const vpcTypes = new Set([T.vpc, T.subnet, T.routeTable, T.association, T.route, T.igw, T.eip, T.nat]);
            for (const r of prod.resources) assert.strictEqual(r.aliases.length, vpcTypes.has(r.type) ? 1 : 0, `${r.type} ${r.name}`);
            const all = prod.resources.flatMap((r) => r.aliases);
            assert.strictEqual(new Set(all).size, all.length);
            assert.deepStrictEqual(prod.one(T.nat, "network-nat-3").aliases, [
                "urn:pulumi:prod::baseline::baseline:network:Network$awsx:ec2:Vpc$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet$aws:ec2/natGateway:NatGateway::network-vpc-3",
            ]);
        });
    });
});
