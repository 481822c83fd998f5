import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { privateRoutesNoInternetGateway, subnetNoPublicIp, tierOf } from "../../policies/network-tiers";
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
});
