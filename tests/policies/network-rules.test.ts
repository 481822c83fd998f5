import * as assert from "assert";
import {
    DEFAULT_NETWORK_ACL, NETWORK_ACL_RULE, SECURITY_GROUP, SECURITY_GROUP_RULE, VPC_EGRESS_RULE, VPC_INGRESS_RULE,
    describePorts, describeTraffic, isWorldCidr, networkAclIngress, normaliseProtocol, portSpan, portsWithin, securityGroupRules, spanWithin,
} from "../../policies/network/rules";
import { UNKNOWN, UNKNOWN_NUMBER } from "./helpers";

/** The fields of a normalised rule most checks read, without the input paths. */
const brief = (rules: ReturnType<typeof securityGroupRules>) => rules.map((r) => ({
    direction: r.direction, protocol: r.protocol, fromPort: r.fromPort, toPort: r.toPort,
    cidrs: r.cidrs.map((p) => p.value), ipv6Cidrs: r.ipv6Cidrs.map((p) => p.value),
    prefixLists: r.prefixLists.map((p) => p.value), sourceGroups: r.sourceGroups.map((p) => p.value), description: r.description, at: r.at,
}));

describe("policies: network rule normaliser", () => {
    it("reads inline ingress and egress of a group, with input paths", () => {
        const rules = securityGroupRules(SECURITY_GROUP, {
            ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"], description: "https" }],
            egress: [{ protocol: "-1", fromPort: 0, toPort: 0, securityGroups: ["sg-1"], self: true, prefixListIds: ["pl-1"] }],
        });
        assert.deepStrictEqual(brief(rules), [
            { direction: "ingress", protocol: "tcp", fromPort: 443, toPort: 443, cidrs: ["0.0.0.0/0"], ipv6Cidrs: ["::/0"], prefixLists: [], sourceGroups: [], description: "https", at: "ingress[0]" },
            { direction: "egress", protocol: "all", fromPort: 0, toPort: 0, cidrs: [], ipv6Cidrs: [], prefixLists: ["pl-1"], sourceGroups: ["sg-1", "self"], description: undefined, at: "egress[0]" },
        ]);
        assert.deepStrictEqual(rules[0].ipv6Cidrs, [{ value: "::/0", path: "ingress[0].ipv6CidrBlocks[0]" }]);
        assert.deepStrictEqual(rules[1].paths, { protocol: "egress[0].protocol", fromPort: "egress[0].fromPort", toPort: "egress[0].toPort", description: "egress[0].description", action: "egress[0].action" });
    });

    it("reads an ec2 SecurityGroupRule of either type", () => {
        const ingress = securityGroupRules(SECURITY_GROUP_RULE, { type: "ingress", protocol: "all", fromPort: 0, toPort: 65535, sourceSecurityGroupId: "sg-app", securityGroupId: "sg-db" });
        const egress = securityGroupRules(SECURITY_GROUP_RULE, { type: "egress", protocol: "TCP", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"], securityGroupId: "sg-db" });
        assert.deepStrictEqual(brief([...ingress, ...egress]), [
            { direction: "ingress", protocol: "all", fromPort: 0, toPort: 65535, cidrs: [], ipv6Cidrs: [], prefixLists: [], sourceGroups: ["sg-app"], description: undefined, at: "the rule" },
            { direction: "egress", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrs: ["10.0.0.0/16"], ipv6Cidrs: [], prefixLists: [], sourceGroups: [], description: undefined, at: "the rule" },
        ]);
        assert.deepStrictEqual(ingress[0].sourceGroups, [{ value: "sg-app", path: "sourceSecurityGroupId" }]);
    });

    it("reads the vpc ingress and egress rule resources (single peer each)", () => {
        const rules = [
            ...securityGroupRules(VPC_INGRESS_RULE, { ipProtocol: "-1", cidrIpv6: "::/0", securityGroupId: "sg-1", description: "all v6" }),
            ...securityGroupRules(VPC_EGRESS_RULE, { ipProtocol: "6", fromPort: 443, toPort: 443, prefixListId: "pl-s3", securityGroupId: "sg-1" }),
            ...securityGroupRules(VPC_INGRESS_RULE, { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: "sg-app", securityGroupId: "sg-1" }),
        ];
        assert.deepStrictEqual(brief(rules), [
            { direction: "ingress", protocol: "all", fromPort: undefined, toPort: undefined, cidrs: [], ipv6Cidrs: ["::/0"], prefixLists: [], sourceGroups: [], description: "all v6", at: "the rule" },
            { direction: "egress", protocol: "tcp", fromPort: 443, toPort: 443, cidrs: [], ipv6Cidrs: [], prefixLists: ["pl-s3"], sourceGroups: [], description: undefined, at: "the rule" },
            { direction: "ingress", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrs: [], ipv6Cidrs: [], prefixLists: [], sourceGroups: ["sg-app"], description: undefined, at: "the rule" },
        ]);
        assert.deepStrictEqual(rules[0].ipv6Cidrs, [{ value: "::/0", path: "cidrIpv6" }]);
        assert.strictEqual(rules[0].paths.protocol, "ipProtocol");
    });

    it("keeps unknown values: an unknown list, element or CIDR", () => {
        const rules = securityGroupRules(SECURITY_GROUP, {
            ingress: [UNKNOWN, { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8", UNKNOWN] }],
            egress: UNKNOWN,
        });
        assert.deepStrictEqual(rules.map((r) => r.unknown), [{ value: UNKNOWN, path: "ingress[0]" }, undefined, { value: UNKNOWN, path: "egress" }]);
        assert.deepStrictEqual(rules[1].cidrs, [{ value: "10.0.0.0/8", path: "ingress[1].cidrBlocks[0]" }, { value: UNKNOWN, path: "ingress[1].cidrBlocks[1]" }]);
        const wholeList = securityGroupRules(SECURITY_GROUP_RULE, { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: UNKNOWN });
        assert.deepStrictEqual(wholeList[0].cidrs, [{ value: UNKNOWN, path: "cidrBlocks" }]);
    });

    it("returns no rules for a group without rules and for other types", () => {
        assert.deepStrictEqual(securityGroupRules(SECURITY_GROUP, { description: "empty" }), []);
        assert.deepStrictEqual(securityGroupRules("aws:ec2/vpc:Vpc", { ingress: [{}] }), []);
    });

    it("reads network ACL ingress entries and skips egress rules", () => {
        const inline = networkAclIngress(DEFAULT_NETWORK_ACL, {
            ingress: [{ action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0", ruleNo: 100 }],
            egress: [{ action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "0.0.0.0/0", ruleNo: 100 }],
        });
        assert.deepStrictEqual(inline.map((r) => [r.at, r.action, r.protocol, r.cidrs.map((p) => p.value), r.paths.action]), [["ingress[0]", "allow", "all", ["0.0.0.0/0"], "ingress[0].action"]]);
        const rule = networkAclIngress(NETWORK_ACL_RULE, { ruleAction: "deny", protocol: "6", fromPort: 22, toPort: 22, ipv6CidrBlock: "::/0", ruleNumber: 1, networkAclId: "acl-1" });
        assert.deepStrictEqual(rule.map((r) => [r.at, r.action, r.protocol, r.ipv6Cidrs, r.paths.action]), [["the rule", "deny", "tcp", [{ value: "::/0", path: "ipv6CidrBlock" }], "ruleAction"]]);
        assert.deepStrictEqual(networkAclIngress(NETWORK_ACL_RULE, { egress: true, ruleAction: "allow", protocol: "-1", cidrBlock: "0.0.0.0/0" }), []);
    });

    it("normalises protocols", () => {
        assert.deepStrictEqual(["-1", -1, "ALL", "6", "17", "1", "58", "Tcp", "50"].map(normaliseProtocol), ["all", "all", "all", "tcp", "udp", "icmp", "icmpv6", "tcp", "50"]);
        assert.deepStrictEqual([undefined, null].map(normaliseProtocol), [undefined, null]);
        assert.strictEqual(normaliseProtocol(UNKNOWN), UNKNOWN);
    });

    it("computes the ports a rule opens", () => {
        assert.deepStrictEqual(portSpan({ protocol: "all", fromPort: 0, toPort: 0 }), { from: 0, to: 65535 });
        assert.deepStrictEqual(portSpan({ protocol: "tcp", fromPort: 20, toPort: 30 }), { from: 20, to: 30 });
        assert.deepStrictEqual(portSpan({ protocol: "udp", fromPort: -1, toPort: -1 }), { from: 0, to: 65535 });
        assert.strictEqual(portSpan({ protocol: "icmp", fromPort: 8, toPort: 0 }), "none");
        assert.strictEqual(portSpan({ protocol: UNKNOWN, fromPort: 22, toPort: 22 }), "unknown");
        assert.strictEqual(portSpan({ protocol: "tcp", fromPort: 22, toPort: UNKNOWN_NUMBER }), "unknown");
        assert.deepStrictEqual(portsWithin({ from: 20, to: 30 }, [80, 22, 3389, 22, 25]), [22, 25]);
        assert.deepStrictEqual(portsWithin("none", [22]), []);
        assert.strictEqual(spanWithin({ from: 443, to: 443 }, [80, 443]), true);
        assert.strictEqual(spanWithin({ from: 80, to: 443 }, [80, 443]), false);
    });

    it("recognises the internet in IPv4 and IPv6, also as ranges that hold most of it (0.0.0.0/1)", () => {
        assert.deepStrictEqual(["0.0.0.0/0", "::/0", "::0/0", " 0.0.0.0/0", "10.0.0.0/10", "0.0.0.0/1", "10.0.0.0/8", UNKNOWN, undefined].map(isWorldCidr),
            [true, true, true, true, false, true, false, false, false]);
    });

    it("describes traffic and port lists for messages", () => {
        const [r] = securityGroupRules(SECURITY_GROUP_RULE, { type: "ingress", protocol: "tcp", fromPort: 20, toPort: 30 });
        assert.strictEqual(describeTraffic(r), "tcp 20-30");
        assert.strictEqual(describeTraffic({ ...r, protocol: "all" }), "all traffic");
        assert.strictEqual(describeTraffic({ ...r, fromPort: 22, toPort: 22 }), "tcp 22");
        assert.strictEqual(describeTraffic({ ...r, protocol: "icmp" }), "icmp");
        assert.strictEqual(describeTraffic({ ...r, toPort: UNKNOWN_NUMBER }), "tcp on ports unknown until apply");
        assert.strictEqual(describePorts([22]), "22");
        assert.strictEqual(describePorts([20, 21, 22, 23, 25, 110, 135]), "20, 21, 22, 23, 25 and 2 more");
    });
});
