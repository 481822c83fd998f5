import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { privateRoutesNoInternetGateway } from "../../policies/network/tiers";
import { EvalResource } from "../../tools/offline/evaluate";
import { UNKNOWN, messages, res, run } from "./helpers";

/**
 * vpc-private-routes-no-igw over what it enumerates: each default private tier name, both route
 * destinations of an aws.ec2.Route, each kind of internet exit named by its source resource, and the
 * gateway kinds an unknown gateway id may come from.
 */
const table = (tier: string, name = "rt") => res(aws.ec2.RouteTable, { vpcId: UNKNOWN, tags: { tier } }, { name });
const route = (rt: EvalResource, props: Record<string, any>, deps: Record<string, string[]> = {}, name = "default-route") =>
    res(aws.ec2.Route, { routeTableId: UNKNOWN, ...props }, { name, propertyDependencies: { routeTableId: [rt.urn], ...deps } });
const igw = res(aws.ec2.InternetGateway, { vpcId: UNKNOWN }, { name: "igw" });
const privateMessage = (rt: string, tier: string, dest: string) =>
    `Private route table must not route the internet to an internet gateway: "${rt}" serves a private tier (tier "${tier}" from tags.tier) and route "default-route" sends ${dest} to internet gateway "igw", expected a NAT gateway, or no default route.`;
const isolatedMessage = (dest: string, target: string) =>
    `Isolated route table must not route to the internet: "rt" serves an isolated tier (tier "isolated" from tags.tier) and route "default-route" sends ${dest} to ${target}, expected no route out of the VPC (an isolated tier reaches AWS services through VPC endpoints only).`;

describe("policies: vpc-private-routes-no-igw, every tier, destination and exit", () => {
    for (const tier of ["private", "isolated", "database", "data"]) {
        it(`treats the "${tier}" tier as private by default`, async () => {
            const rt = table(tier);
            const diags = await run(privateRoutesNoInternetGateway, [igw, rt, route(rt, { destinationCidrBlock: "0.0.0.0/0", gatewayId: UNKNOWN }, { gatewayId: [igw.urn] })]);
            assert.deepStrictEqual(messages(diags), [privateMessage("rt", tier, "0.0.0.0/0")]);
        });
    }

    it("reads a Route's IPv6 destination", async () => {
        const rt = table("private");
        const diags = await run(privateRoutesNoInternetGateway, [igw, rt, route(rt, { destinationIpv6CidrBlock: "::/0", gatewayId: UNKNOWN }, { gatewayId: [igw.urn] })]);
        assert.deepStrictEqual(messages(diags), [privateMessage("rt", "private", "::/0")]);
    });

    it("passes an unknown gateway id that comes from a VPN gateway (not the internet)", async () => {
        const rt = table("private");
        const vgw = res(aws.ec2.VpnGateway, { vpcId: UNKNOWN }, { name: "vgw" });
        assert.deepStrictEqual(await run(privateRoutesNoInternetGateway, [vgw, rt, route(rt, { destinationCidrBlock: "0.0.0.0/0", gatewayId: UNKNOWN }, { gatewayId: [vgw.urn] })]), []);
    });

    it("names the NAT, egress-only or carrier gateway of the stack an isolated table's route leaves through", async () => {
        const exits: [Function, string, string, string][] = [
            [aws.ec2.NatGateway, "natGatewayId", "nat", 'NAT gateway "nat"'],
            [aws.ec2.EgressOnlyInternetGateway, "egressOnlyGatewayId", "eigw", 'egress-only internet gateway "eigw"'],
            [aws.ec2.CarrierGateway, "carrierGatewayId", "cagw", 'carrier gateway "cagw"'],
        ];
        for (const [type, input, name, target] of exits) {
            const rt = table("isolated");
            const gateway = res(type, {}, { name });
            const diags = await run(privateRoutesNoInternetGateway, [gateway, rt, route(rt, { destinationCidrBlock: "0.0.0.0/0", [input]: UNKNOWN }, { [input]: [gateway.urn] })]);
            assert.deepStrictEqual(messages(diags), [isolatedMessage("0.0.0.0/0", target)], input);
        }
    });

    it("leaves a route to a private range alone even when its gateway is unknown", async () => {
        const rt = table("private");
        assert.deepStrictEqual(await run(privateRoutesNoInternetGateway, [rt, route(rt, { destinationCidrBlock: "10.0.0.0/8", gatewayId: UNKNOWN })]), []);
    });

    it("holds configured isolated tiers to the internet-gateway rule too", async () => {
        const rt = table("vault");
        const diags = await run(privateRoutesNoInternetGateway, [igw, rt, route(rt, { destinationCidrBlock: "0.0.0.0/0", gatewayId: UNKNOWN }, { gatewayId: [igw.urn] })], {
            isolatedTiers: ["vault"],
        });
        assert.deepStrictEqual(messages(diags), [privateMessage("rt", "vault", "0.0.0.0/0")]);
    });
});
