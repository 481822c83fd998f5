import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { privateRoutesNoInternetGateway, subnetNoPublicIp, tierOf } from "../../policies/network/tiers";
import { EvalResource } from "../../tools/offline/evaluate";
import { UNKNOWN, UNKNOWN_BOOL, messages, res, run } from "./helpers";

const TIERS = { tierTagKeys: ["tier", "Tier", "SubnetType"], publicTiers: ["public"], privateTiers: ["private", "isolated", "database", "data"] };
const igw = res(aws.ec2.InternetGateway, { vpcId: UNKNOWN }, { name: "igw" });
const table = (tags: Record<string, string> | undefined, props: Record<string, any> = {}, name = "rt") =>
    res(aws.ec2.RouteTable, { vpcId: UNKNOWN, ...(tags ? { tags } : {}), ...props }, { name });
const route = (rt: EvalResource, props: Record<string, any>, name = "default-route", deps: Record<string, string[]> = {}) =>
    res(aws.ec2.Route, { routeTableId: UNKNOWN, ...props }, { name, propertyDependencies: { routeTableId: [rt.urn], ...deps } });
const viaIgw = (rt: EvalResource, dest: Record<string, string> = { destinationCidrBlock: "0.0.0.0/0" }, name?: string) => route(rt, { ...dest, gatewayId: UNKNOWN }, name, { gatewayId: [igw.urn] });

describe("policies: network subnet tiers", () => {
    describe("tierOf", () => {
        it("reads a tier tag first, then a word of the Name tag", () => {
            assert.deepStrictEqual(tierOf({ tier: "Isolated", Name: "x-public-1" }, TIERS), { tier: "isolated", from: "tags.tier" });
            assert.deepStrictEqual(tierOf({ SubnetType: "Private" }, TIERS), { tier: "private", from: "tags.SubnetType" });
            assert.deepStrictEqual(tierOf({ Name: "baseline-prod-vpc-private-2" }, TIERS), { tier: "private", from: "tags.Name" });
            assert.strictEqual(tierOf({ Name: "publication" }, TIERS), undefined);
            assert.strictEqual(tierOf({ tier: UNKNOWN }, TIERS), undefined);
            assert.strictEqual(tierOf(undefined, TIERS), undefined);
        });
    });

    describe("vpc-subnet-no-public-ip", () => {
        it("passes a public-tier subnet that maps public IPs and a private one that does not", async () => {
            assert.deepStrictEqual(await run(subnetNoPublicIp, [
                res(aws.ec2.Subnet, { vpcId: UNKNOWN, mapPublicIpOnLaunch: true, tags: { Name: "vpc-public-1" } }, { name: "public-a" }),
                res(aws.ec2.Subnet, { vpcId: UNKNOWN, tags: { tier: "private" } }, { name: "private-a" }),
            ]), []);
        });
        it("rejects public IPs on a private subnet, as advisory", async () => {
            const diags = await run(subnetNoPublicIp, res(aws.ec2.Subnet, { vpcId: UNKNOWN, mapPublicIpOnLaunch: true, tags: { tier: "private" } }));
            assert.deepStrictEqual(messages(diags), [
                'Subnet must not assign public IPs on launch outside the public tier: mapPublicIpOnLaunch is true and tags.tier says "private", expected false (or a public tier tag).',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("rejects public IPs on a subnet with no recognisable tier", async () => {
            assert.deepStrictEqual(messages(await run(subnetNoPublicIp, res(aws.ec2.Subnet, { vpcId: UNKNOWN, mapPublicIpOnLaunch: true }))), [
                "Subnet must not assign public IPs on launch outside the public tier: mapPublicIpOnLaunch is true and no tier is recognisable (tags tier, Tier, SubnetType or a Name word), expected false (or a public tier tag).",
            ]);
        });
        it("takes configured tier tags and names", async () => {
            const subnet = res(aws.ec2.Subnet, { vpcId: UNKNOWN, mapPublicIpOnLaunch: true, tags: { zone: "dmz" } });
            assert.deepStrictEqual(await run(subnetNoPublicIp, subnet, { tierTagKeys: ["zone"], publicTiers: ["dmz"] }), []);
        });
        it("reports an unknown setting outside the public tier as unverifiable", async () => {
            assert.deepStrictEqual(messages(await run(subnetNoPublicIp, res(aws.ec2.Subnet, { vpcId: UNKNOWN, mapPublicIpOnLaunch: UNKNOWN_BOOL, tags: { tier: "isolated" } }))), [
                'Cannot verify during preview that a subnet outside the public tier assigns no public IPs (tags.tier says "isolated"): mapPublicIpOnLaunch is (unknown until apply). Re-run the check after apply, or set the value from configuration.',
            ]);
        });
    });

    describe("vpc-private-routes-no-igw", () => {
        const expected = (rt: string, reason: string, where: string, dest: string, target: string) =>
            `Private route table must not route the internet to an internet gateway: "${rt}" serves a private tier (${reason}) and ${where} sends ${dest} to ${target}, expected a NAT gateway, or no default route.`;

        it("passes a public table to the internet gateway and a private table to NAT", async () => {
            const pub = table({ Name: "vpc-public-1" }, {}, "public-rt");
            const priv = table({ tier: "private" }, {}, "private-rt");
            const nat = route(priv, { destinationCidrBlock: "0.0.0.0/0", natGatewayId: "nat-1" }, "private-default");
            assert.deepStrictEqual(await run(privateRoutesNoInternetGateway, [igw, pub, viaIgw(pub), priv, nat]), []);
        });
        it("rejects a Route resource from a private table to the internet gateway, on the route, as mandatory", async () => {
            const priv = table({ tier: "private" }, {}, "private-rt");
            const bad = viaIgw(priv, undefined, "private-default");
            const diags = await run(privateRoutesNoInternetGateway, [igw, priv, bad]);
            assert.deepStrictEqual(messages(diags), [expected("private-rt", 'tier "private" from tags.tier', 'route "private-default"', "0.0.0.0/0", 'internet gateway "igw"')]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.strictEqual(diags[0].urn, bad.urn);
        });
        it("rejects an inline ::/0 route to a literal igw- id on an isolated table", async () => {
            const rt = table({ Name: "vpc-isolated-1" }, { routes: [{ cidrBlock: "10.1.0.0/16", vpcPeeringConnectionId: "pcx-1" }, { ipv6CidrBlock: "::/0", gatewayId: "igw-0abc" }] }, "db-rt");
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, rt)), [expected("db-rt", 'tier "isolated" from tags.Name', "routes[1]", "::/0", '"igw-0abc"')]);
        });
        it("takes the tier from a private subnet associated with the table, even one tagged public", async () => {
            const rt = table({ tier: "public" }, {}, "shared-rt");
            const subnet = res(aws.ec2.Subnet, { vpcId: UNKNOWN, tags: { SubnetType: "Private" } }, { name: "app-a" });
            const assoc = res(aws.ec2.RouteTableAssociation, { routeTableId: UNKNOWN, subnetId: UNKNOWN }, { name: "app-a-assoc", propertyDependencies: { routeTableId: [rt.urn], subnetId: [subnet.urn] } });
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, [igw, rt, subnet, assoc, viaIgw(rt)])), [
                expected("shared-rt", 'associated subnet "app-a" is tier "private" from tags.SubnetType', 'route "default-route"', "0.0.0.0/0", 'internet gateway "igw"'),
            ]);
        });
        it("reads an unknown inline gateway id from the table's dependencies", async () => {
            const rt = res(aws.ec2.RouteTable, { vpcId: UNKNOWN, tags: { tier: "database" }, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: UNKNOWN }] }, { name: "data-rt", propertyDependencies: { routes: [igw.urn] } });
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, [igw, rt])), [expected("data-rt", 'tier "database" from tags.tier', "routes[0]", "0.0.0.0/0", 'internet gateway "igw"')]);
        });
        it("covers the default route table", async () => {
            const rt = res(aws.ec2.DefaultRouteTable, { defaultRouteTableId: UNKNOWN, tags: { tier: "private" }, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }] }, { name: "main-rt" });
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, rt)), [expected("main-rt", 'tier "private" from tags.tier', "routes[0]", "0.0.0.0/0", '"igw-1"')]);
        });
        it("reports an unknown gateway of unknown kind as unverifiable", async () => {
            const priv = table({ tier: "private" }, {}, "private-rt");
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, [priv, route(priv, { destinationCidrBlock: "0.0.0.0/0", gatewayId: UNKNOWN })])), [
                'Cannot verify during preview that route "default-route" of private route table "private-rt" sends no internet traffic to an internet gateway: gatewayId is (unknown until apply). Re-run the check after apply, or set the value from configuration.',
            ]);
        });
        it("reports an unknown destination to the internet gateway as unverifiable", async () => {
            const priv = table({ tier: "private" }, {}, "private-rt");
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, [igw, priv, viaIgw(priv, { destinationCidrBlock: UNKNOWN })])), [
                'Cannot verify during preview that route "default-route" of private route table "private-rt" sends no internet traffic to an internet gateway: destinationCidrBlock is (unknown until apply). Re-run the check after apply, or set the value from configuration.',
            ]);
        });
        it("takes configured private tier names", async () => {
            const rt = table({ tier: "app" }, { routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: "igw-1" }] }, "app-rt");
            assert.deepStrictEqual(await run(privateRoutesNoInternetGateway, rt), []);
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, rt, { privateTiers: ["app"] })), [expected("app-rt", 'tier "app" from tags.tier', "routes[0]", "0.0.0.0/0", '"igw-1"')]);
        });
    });
    describe("vpc-private-routes-no-igw: isolated tiers have no way out at all", () => {
        const nat = res(aws.ec2.NatGateway, { subnetId: UNKNOWN, allocationId: UNKNOWN }, { name: "nat-1" });
        const viaNat = (rt: EvalResource, dest: Record<string, string> = { destinationCidrBlock: "0.0.0.0/0" }, name = "to-nat") =>
            route(rt, { ...dest, natGatewayId: UNKNOWN }, name, { natGatewayId: [nat.urn] });
        const isolatedMessage = (rt: string, reason: string, where: string, dest: string, target: string) =>
            `Isolated route table must not route to the internet: "${rt}" serves an isolated tier (${reason}) and ${where} sends ${dest} to ${target}, expected no route out of the VPC (an isolated tier reaches AWS services through VPC endpoints only).`;

        it("rejects a default route from an isolated table (awsx's SubnetType tag) to a NAT gateway, on the route, as mandatory", async () => {
            const rt = table({ Name: "pos-prod-isolated-1", SubnetType: "Isolated" }, {}, "network-isolated-1");
            const bad = viaNat(rt);
            const diags = await run(privateRoutesNoInternetGateway, [nat, rt, bad]);
            assert.deepStrictEqual(messages(diags), [isolatedMessage("network-isolated-1", 'tier "isolated" from tags.SubnetType', 'route "to-nat"', "0.0.0.0/0", 'NAT gateway "nat-1"')]);
            assert.deepStrictEqual([diags[0].enforcementLevel, diags[0].urn], ["mandatory", bad.urn]);
        });
        it("passes the same route on a private table: that is what NAT is for", async () => {
            const rt = table({ SubnetType: "Private" }, {}, "network-private-1");
            assert.deepStrictEqual(await run(privateRoutesNoInternetGateway, [nat, rt, viaNat(rt)]), []);
        });
        it("takes the tier from an isolated subnet associated with an untagged table", async () => {
            const rt = table(undefined, {}, "rt");
            const subnet = res(aws.ec2.Subnet, { vpcId: UNKNOWN, tags: { SubnetType: "Isolated" } }, { name: "db-a" });
            const assoc = res(aws.ec2.RouteTableAssociation, { routeTableId: UNKNOWN, subnetId: UNKNOWN }, { name: "db-a", propertyDependencies: { routeTableId: [rt.urn], subnetId: [subnet.urn] } });
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, [nat, rt, subnet, assoc, viaNat(rt)])), [
                isolatedMessage("rt", 'associated subnet "db-a" is tier "isolated" from tags.SubnetType', 'route "to-nat"', "0.0.0.0/0", 'NAT gateway "nat-1"'),
            ]);
        });
        it("rejects inline routes to a literal NAT, an egress-only gateway (::/0) or a carrier gateway, and the internet spelt as two halves", async () => {
            const rt = table({ tier: "isolated" }, {
                routes: [
                    { cidrBlock: "0.0.0.0/0", natGatewayId: "nat-0abc" },
                    { ipv6CidrBlock: "::/0", egressOnlyGatewayId: "eigw-0abc" },
                    { cidrBlock: "0.0.0.0/1", carrierGatewayId: "cagw-0abc" },
                ],
            }, "db-rt");
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, rt)), [
                isolatedMessage("db-rt", 'tier "isolated" from tags.tier', "routes[0]", "0.0.0.0/0", 'NAT gateway "nat-0abc"'),
                isolatedMessage("db-rt", 'tier "isolated" from tags.tier', "routes[1]", "::/0", 'egress-only internet gateway "eigw-0abc"'),
                isolatedMessage("db-rt", 'tier "isolated" from tags.tier', "routes[2]", "0.0.0.0/1", 'carrier gateway "cagw-0abc"'),
            ]);
        });
        it("passes an isolated table's route to a private network through a NAT gateway (a private NAT for overlapping ranges)", async () => {
            const rt = table({ tier: "isolated" }, {}, "db-rt");
            assert.deepStrictEqual(await run(privateRoutesNoInternetGateway, [nat, rt, viaNat(rt, { destinationCidrBlock: "10.50.0.0/16" })]), []);
        });
        it("reports a NAT route whose destination is unknown until apply as unverifiable", async () => {
            const rt = table({ tier: "isolated" }, {}, "db-rt");
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, [nat, rt, viaNat(rt, { destinationCidrBlock: UNKNOWN })])), [
                'Cannot verify during preview that route "to-nat" of isolated route table "db-rt" sends no internet traffic to a NAT gateway: destinationCidrBlock is (unknown until apply). Re-run the check after apply, or set the value from configuration.',
            ]);
        });
        it("takes configured isolated tier names; by default only \"isolated\" (a database tier may use NAT)", async () => {
            const rt = table({ tier: "database" }, {}, "data-rt");
            const routes = [nat, rt, viaNat(rt)];
            assert.deepStrictEqual(await run(privateRoutesNoInternetGateway, routes), []);
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, routes, { isolatedTiers: ["database"] })), [
                isolatedMessage("data-rt", 'tier "database" from tags.tier', 'route "to-nat"', "0.0.0.0/0", 'NAT gateway "nat-1"'),
            ]);
        });
    });
});
