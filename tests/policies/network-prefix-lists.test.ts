import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { sgPrefixListNotPublic } from "../../policies/network/prefix-lists";
import { networkPolicies } from "../../policies/network";
import { UNKNOWN, messages, res, run } from "./helpers";

const list = (entries: unknown, name = "partners") => res(aws.ec2.ManagedPrefixList, { addressFamily: "IPv4", maxEntries: 5, entries }, { name });
const group = res(aws.ec2.SecurityGroup, { vpcId: "vpc-1", description: "app" }, { name: "app-sg" });
const rule = (pl: ReturnType<typeof list>, port: number, name = "in") =>
    res(aws.vpc.SecurityGroupIngressRule, { securityGroupId: UNKNOWN, prefixListId: UNKNOWN, ipProtocol: "tcp", fromPort: port, toPort: port, description: "d" },
        { name, propertyDependencies: { prefixListId: [pl.urn], securityGroupId: [group.urn] } });

describe("policies: sg-prefix-list-not-public (net-05/06 through prefix lists)", () => {
    it("is part of the network policies", () => {
        assert.ok(networkPolicies.includes(sgPrefixListNotPublic));
    });

    it("passes a list of internal ranges on any port, and a world list on an allowed port", async () => {
        const internal = list([{ cidr: "10.0.0.0/8" }, { cidr: "192.168.0.0/16" }]);
        assert.deepStrictEqual(await run(sgPrefixListNotPublic, [internal, group, rule(internal, 22)]), []);
        const world = list([{ cidr: "0.0.0.0/0" }]);
        assert.deepStrictEqual(await run(sgPrefixListNotPublic, [world, group, rule(world, 443)]), []);
    });

    it("rejects SSH admitted through a list that holds 0.0.0.0/0, as mandatory", async () => {
        const world = list([{ cidr: "203.0.113.0/24" }, { cidr: "0.0.0.0/0" }]);
        const diags = await run(sgPrefixListNotPublic, [world, group, rule(world, 22)]);
        assert.deepStrictEqual(messages(diags), [
            "Security group ingress rule must not open tcp 22 to the internet through a prefix list: the rule admits partners, which holds 0.0.0.0/0, expected only ports 80, 443 or no internet-wide entry.",
        ]);
        assert.strictEqual(diags[0].enforcementLevel, "mandatory");
    });

    it("sees world entries added as standalone aws.ec2.ManagedPrefixListEntry resources, and the two /1 halves", async () => {
        const pl = list([]);
        const entry = res(aws.ec2.ManagedPrefixListEntry, { prefixListId: UNKNOWN, cidr: "0.0.0.0/1" }, { name: "half", propertyDependencies: { prefixListId: [pl.urn] } });
        assert.deepStrictEqual(messages(await run(sgPrefixListNotPublic, [pl, entry, group, rule(pl, 5432)])), [
            "Security group ingress rule must not open tcp 5432 to the internet through a prefix list: the rule admits partners, which holds 0.0.0.0/1, expected only ports 80, 443 or no internet-wide entry.",
        ]);
    });

    it("checks inline rules of a group, and says so instead of guessing when the group admits several lists", async () => {
        const world = list([{ cidr: "::/0" }], "world");
        const inline = (deps: string[]) =>
            res(aws.ec2.SecurityGroup, { description: "x", ingress: [{ protocol: "tcp", fromPort: 3389, toPort: 3389, prefixListIds: [UNKNOWN], description: "d" }] }, { name: "legacy", propertyDependencies: { ingress: deps } });
        assert.deepStrictEqual(messages(await run(sgPrefixListNotPublic, [world, inline([world.urn])])), [
            "Security group must not open tcp 3389 to the internet through a prefix list: ingress[0] admits world, which holds ::/0, expected only ports 80, 443 or no internet-wide entry.",
        ]);
        const internal = list([{ cidr: "10.0.0.0/8" }], "internal");
        const diags = await run(sgPrefixListNotPublic, [world, internal, inline([world.urn, internal.urn])]);
        assert.strictEqual(diags.length, 1);
        assert.match(diags[0].message, /^Cannot verify during preview that ingress\[0\] does not open tcp 3389 to the internet through prefix list world/);
        assert.strictEqual(diags[0].enforcementLevel, "advisory");
    });

    it("reports a list whose entries are unknown until apply instead of passing", async () => {
        const pl = list(UNKNOWN);
        const diags = await run(sgPrefixListNotPublic, [pl, group, rule(pl, 22)]);
        assert.strictEqual(diags.length, 1);
        assert.match(diags[0].message, /^Cannot verify during preview that the rule does not open tcp 22 to the internet through prefix list partners/);
    });

    it("reports a list with one entry unknown until apply, and a rule whose ports are unknown, instead of passing", async () => {
        const pl = list([{ cidr: "10.0.0.0/8" }, { cidr: UNKNOWN }]);
        assert.deepStrictEqual(messages(await run(sgPrefixListNotPublic, [pl, group, rule(pl, 22)])), [
            "Cannot verify during preview that the rule does not open tcp 22 to the internet through prefix list partners: prefixListId is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
        ]);
        const world = list([{ cidr: "0.0.0.0/0" }]);
        const unknownPorts = res(aws.vpc.SecurityGroupIngressRule, { securityGroupId: UNKNOWN, prefixListId: UNKNOWN, ipProtocol: "tcp", fromPort: UNKNOWN, toPort: UNKNOWN, description: "d" },
            { name: "in", propertyDependencies: { prefixListId: [world.urn], securityGroupId: [group.urn] } });
        const diags = await run(sgPrefixListNotPublic, [world, group, unknownPorts]);
        assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["advisory"]);
        assert.match(messages(diags)[0], /^Cannot verify during preview that the rule does not open .* to the internet through prefix list partners/);
    });

    it("says what it cannot verify when a rule's protocol is unknown until apply", async () => {
        const world = list([{ cidr: "0.0.0.0/0" }]);
        const unknownProtocol = res(aws.vpc.SecurityGroupIngressRule, { securityGroupId: UNKNOWN, prefixListId: UNKNOWN, ipProtocol: UNKNOWN, fromPort: 22, toPort: 22, description: "d" },
            { name: "in", propertyDependencies: { prefixListId: [world.urn], securityGroupId: [group.urn] } });
        assert.deepStrictEqual(messages(await run(sgPrefixListNotPublic, [world, group, unknownProtocol])), [
            "Cannot verify during preview that the rule does not open traffic of a protocol unknown until apply to the internet through prefix list partners: ipProtocol is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
        ]);
    });

    it("leaves egress through a world list, and rules without a prefix list, to the other policies", async () => {
        const world = list([{ cidr: "0.0.0.0/0" }]);
        const egress = res(aws.vpc.SecurityGroupEgressRule, { securityGroupId: UNKNOWN, prefixListId: UNKNOWN, ipProtocol: "tcp", fromPort: 22, toPort: 22, description: "d" },
            { name: "out", propertyDependencies: { prefixListId: [world.urn], securityGroupId: [group.urn] } });
        const cidrRule = res(aws.vpc.SecurityGroupIngressRule, { securityGroupId: UNKNOWN, cidrIpv4: "10.0.0.0/8", ipProtocol: "tcp", fromPort: 22, toPort: 22, description: "d" }, { name: "ssh" });
        const inline = res(aws.ec2.SecurityGroup, { description: "x", egress: [{ protocol: "-1", fromPort: 0, toPort: 0, prefixListIds: [UNKNOWN] }] }, { name: "out-sg", propertyDependencies: { egress: [world.urn] } });
        assert.deepStrictEqual(await run(sgPrefixListNotPublic, [world, group, egress, cidrRule, inline]), []);
    });

    it("honours a configured allow-list", async () => {
        const world = list([{ cidr: "0.0.0.0/0" }]);
        assert.deepStrictEqual(await run(sgPrefixListNotPublic, [world, group, rule(world, 8443)], { allowedPorts: [443, 8443] }), []);
    });
});
