import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { sgDefaultClosed, sgDescriptions, sgNoPublicSensitivePorts, sgPublicIngressAllowList } from "../../policies/network/sg";
import { UNKNOWN, UNKNOWN_NUMBER, messages, res, run } from "./helpers";

const https = { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"], description: "HTTPS from the internet" };
const fromApp = { protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-app"], description: "PostgreSQL from the app" };
const goodGroup = { description: "Load balancer", vpcId: "vpc-1", ingress: [https], egress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: ["sg-app"], description: "to the app" }] };
const group = (ingress: object[]) => res(aws.ec2.SecurityGroup, { ...goodGroup, ingress });

describe("policies: network security groups", () => {
    describe("sg-no-public-sensitive-ports", () => {
        const msg = (who: string, at: string, traffic: string, from: string, ports: string) =>
            `${who} must not open sensitive ports to the internet: ${at} allows ${traffic} from ${from}, which includes ${ports}, expected these ports open only to security groups or internal ranges.`;

        it("passes world-open HTTPS and group-sourced database access", async () => {
            assert.deepStrictEqual(await run(sgNoPublicSensitivePorts, group([https, fromApp])), []);
        });
        it("rejects SSH from 0.0.0.0/0 inline, as mandatory", async () => {
            const diags = await run(sgNoPublicSensitivePorts, group([https, { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }]));
            assert.deepStrictEqual(messages(diags), [msg("Security group", "ingress[1]", "tcp 22", "0.0.0.0/0", "port 22")]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("rejects IPv6 ::/0 alone", async () => {
            assert.deepStrictEqual(messages(await run(sgNoPublicSensitivePorts, group([{ protocol: "tcp", fromPort: 3389, toPort: 3389, ipv6CidrBlocks: ["::/0"] }]))), [
                msg("Security group", "ingress[0]", "tcp 3389", "::/0", "port 3389"),
            ]);
        });
        it("rejects protocol -1 (all ports) and lists the ports it exposes", async () => {
            assert.deepStrictEqual(messages(await run(sgNoPublicSensitivePorts, group([{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }]))), [
                msg("Security group", "ingress[0]", "all traffic", "0.0.0.0/0", "ports 20, 21, 22, 23, 25 and 26 more"),
            ]);
        });
        it("rejects a port range that contains a sensitive port (20-30 holds 22)", async () => {
            assert.deepStrictEqual(messages(await run(sgNoPublicSensitivePorts, group([{ protocol: "tcp", fromPort: 20, toPort: 30, cidrBlocks: ["0.0.0.0/0"] }]))), [
                msg("Security group", "ingress[0]", "tcp 20-30", "0.0.0.0/0", "ports 20, 21, 22, 23, 25"),
            ]);
        });
        it("rejects the standalone ec2 SecurityGroupRule, protocol all", async () => {
            const rule = res(aws.ec2.SecurityGroupRule, { type: "ingress", protocol: "all", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" });
            assert.deepStrictEqual(messages(await run(sgNoPublicSensitivePorts, rule)), [msg("Security group rule", "the rule", "all traffic", "0.0.0.0/0", "ports 20, 21, 22, 23, 25 and 26 more")]);
        });
        it("rejects the standalone vpc SecurityGroupIngressRule on a database port from ::/0", async () => {
            const rule = res(aws.vpc.SecurityGroupIngressRule, { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv6: "::/0", securityGroupId: "sg-1" });
            assert.deepStrictEqual(messages(await run(sgNoPublicSensitivePorts, rule)), [msg("Security group ingress rule", "the rule", "tcp 6379", "::/0", "port 6379")]);
        });
        it("ignores egress rules of either resource type", async () => {
            const egress = res(aws.ec2.SecurityGroupRule, { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" });
            const vpcEgress = res(aws.vpc.SecurityGroupEgressRule, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", securityGroupId: "sg-1" });
            assert.deepStrictEqual(await run(sgNoPublicSensitivePorts, [egress, vpcEgress]), []);
        });
        it("also checks the default security group", async () => {
            const dsg = res(aws.ec2.DefaultSecurityGroup, { vpcId: "vpc-1", ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] });
            assert.deepStrictEqual(messages(await run(sgNoPublicSensitivePorts, dsg)), [msg("Default security group", "ingress[0]", "tcp 22", "0.0.0.0/0", "port 22")]);
        });
        it("reports an unknown CIDR on a sensitive port as unverifiable, not as passing", async () => {
            const diags = await run(sgNoPublicSensitivePorts, group([{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8", UNKNOWN] }]));
            assert.deepStrictEqual(messages(diags), [
                "Cannot verify during preview that ingress[0] (tcp 22) opens no sensitive port to the internet: ingress[0].cidrBlocks[1] is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.strictEqual(diags[0].cantRunDuringPreview, undefined);
        });
        it("reports unknown ports on a world-open rule as unverifiable", async () => {
            const rule = res(aws.vpc.SecurityGroupIngressRule, { ipProtocol: "tcp", fromPort: UNKNOWN_NUMBER, toPort: UNKNOWN_NUMBER, cidrIpv4: "0.0.0.0/0", securityGroupId: "sg-1" });
            assert.deepStrictEqual(messages(await run(sgNoPublicSensitivePorts, rule)), [
                "Cannot verify during preview that the rule from 0.0.0.0/0 opens no sensitive port to the internet: fromPort is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
        });
        it("names an unknown source when both the source and the ports are unknown", async () => {
            const rule = res(aws.vpc.SecurityGroupIngressRule, { ipProtocol: "tcp", fromPort: UNKNOWN_NUMBER, toPort: UNKNOWN_NUMBER, cidrIpv4: UNKNOWN, securityGroupId: "sg-1" });
            assert.deepStrictEqual(messages(await run(sgNoPublicSensitivePorts, rule)), [
                "Cannot verify during preview that the rule from (unknown until apply) opens no sensitive port to the internet: fromPort is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
        });
        it("reports a whole unknown ingress list as unverifiable", async () => {
            assert.deepStrictEqual(messages(await run(sgNoPublicSensitivePorts, res(aws.ec2.SecurityGroup, { ...goodGroup, ingress: UNKNOWN }))), [
                "Cannot verify during preview that ingress opens no sensitive port to the internet: ingress is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
        });
        it("accepts an unknown referenced security group (a group reference is never the internet)", async () => {
            const rule = res(aws.vpc.SecurityGroupIngressRule, { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: UNKNOWN, securityGroupId: UNKNOWN });
            assert.deepStrictEqual(await run(sgNoPublicSensitivePorts, rule), []);
        });
        it("passes a sensitive port open to an internal range, and ICMP from anywhere", async () => {
            assert.deepStrictEqual(await run(sgNoPublicSensitivePorts, group([
                { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] },
                { protocol: "icmp", fromPort: 8, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
            ])), []);
        });
        it("takes a configured sensitive-port list", async () => {
            const diags = await run(sgNoPublicSensitivePorts, group([{ protocol: "tcp", fromPort: 8443, toPort: 8443, cidrBlocks: ["0.0.0.0/0"] }]), { sensitivePorts: [8443] });
            assert.deepStrictEqual(messages(diags), [msg("Security group", "ingress[0]", "tcp 8443", "0.0.0.0/0", "port 8443")]);
        });
        it("reports an exempted group as advisory with its reason", async () => {
            const bastion = res(aws.ec2.SecurityGroup, { ...goodGroup, ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] }, { name: "bastion" });
            const diags = await run(sgNoPublicSensitivePorts, bastion, { exemptions: [{ resource: "bastion", reason: "break-glass bastion, removed after the incident" }] });
            assert.deepStrictEqual(messages(diags), [`Exempted (break-glass bastion, removed after the incident): ${msg("Security group", "ingress[0]", "tcp 22", "0.0.0.0/0", "port 22")}`]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("sg-public-ingress-allowlist", () => {
        const msg = (who: string, at: string, traffic: string, from: string, ports = "80, 443") =>
            `${who} must open only allow-listed ports to the internet: ${at} allows ${traffic} from ${from}, expected world-open ingress only on TCP/UDP ${ports}.`;

        it("passes 80 and 443 from anywhere, and any port from a private range", async () => {
            const http = { ...https, fromPort: 80, toPort: 80 };
            assert.deepStrictEqual(await run(sgPublicIngressAllowList, group([http, https, { protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["10.0.0.0/16"] }])), []);
        });
        it("rejects another port from ::/0 and a range spanning 80-443", async () => {
            const diags = await run(sgPublicIngressAllowList, group([
                { protocol: "tcp", fromPort: 8080, toPort: 8080, ipv6CidrBlocks: ["::/0"] },
                { protocol: "tcp", fromPort: 80, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
            ]));
            assert.deepStrictEqual(messages(diags), [msg("Security group", "ingress[0]", "tcp 8080", "::/0"), msg("Security group", "ingress[1]", "tcp 80-443", "0.0.0.0/0")]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("rejects protocol -1 and ICMP from the internet", async () => {
            const diags = await run(sgPublicIngressAllowList, [
                res(aws.vpc.SecurityGroupIngressRule, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", securityGroupId: "sg-1" }),
                res(aws.ec2.SecurityGroupRule, { type: "ingress", protocol: "icmp", fromPort: 8, toPort: 0, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" }),
            ]);
            assert.deepStrictEqual(messages(diags), [msg("Security group ingress rule", "the rule", "all traffic", "0.0.0.0/0"), msg("Security group rule", "the rule", "icmp", "0.0.0.0/0")]);
        });
        it("accepts the ICMP path MTU discovery needs: IPv4 type 3 code 4, IPv6 type 2 code 0 or -1 (every code), on each rule type", async () => {
            assert.deepStrictEqual(await run(sgPublicIngressAllowList, [
                group([{ protocol: "icmp", fromPort: 3, toPort: 4, cidrBlocks: ["0.0.0.0/0"] }, { protocol: "icmpv6", fromPort: 2, toPort: -1, ipv6CidrBlocks: ["::/0"] }]),
                res(aws.ec2.SecurityGroupRule, { type: "ingress", protocol: "icmpv6", fromPort: 2, toPort: -1, ipv6CidrBlocks: ["::/0"], securityGroupId: "sg-1" }),
                res(aws.vpc.SecurityGroupIngressRule, { ipProtocol: "icmpv6", fromPort: 2, toPort: 0, cidrIpv6: "::/0", securityGroupId: "sg-1" }),
                res(aws.vpc.SecurityGroupIngressRule, { ipProtocol: "icmpv6", fromPort: 2, toPort: -1, cidrIpv6: "::/0", securityGroupId: "sg-1" }),
            ]), []);
        });
        it("rejects other ICMP from the internet: every code of IPv4 type 3, IPv6 type 2 code 1, IPv6 type 3", async () => {
            const diags = await run(sgPublicIngressAllowList, group([
                { protocol: "icmp", fromPort: 3, toPort: -1, cidrBlocks: ["0.0.0.0/0"] },
                { protocol: "icmpv6", fromPort: 2, toPort: 1, ipv6CidrBlocks: ["::/0"] },
                { protocol: "icmpv6", fromPort: 3, toPort: -1, ipv6CidrBlocks: ["::/0"] },
            ]));
            assert.deepStrictEqual(messages(diags), [
                msg("Security group", "ingress[0]", "icmp", "0.0.0.0/0"), msg("Security group", "ingress[1]", "icmpv6", "::/0"), msg("Security group", "ingress[2]", "icmpv6", "::/0"),
            ]);
        });
        it("reports a world-open rule whose ports or protocol are unknown until apply as unverifiable", async () => {
            const rule = (props: Record<string, unknown>) => res(aws.vpc.SecurityGroupIngressRule, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", securityGroupId: "sg-1", ...props });
            const cannot = (field: string) =>
                `Cannot verify during preview that the rule from 0.0.0.0/0 opens only allow-listed ports to the internet: ${field} is (unknown until apply). Re-run the check after apply, or set the value from configuration.`;
            assert.deepStrictEqual(messages(await run(sgPublicIngressAllowList, rule({ toPort: UNKNOWN_NUMBER }))), [cannot("toPort")]);
            assert.deepStrictEqual(messages(await run(sgPublicIngressAllowList, rule({ ipProtocol: UNKNOWN }))), [cannot("ipProtocol")]);
        });
        it("honours a configured allow-list (8443)", async () => {
            const rule = res(aws.vpc.SecurityGroupIngressRule, { ipProtocol: "tcp", fromPort: 8443, toPort: 8443, cidrIpv4: "0.0.0.0/0", securityGroupId: "sg-1" });
            assert.deepStrictEqual(await run(sgPublicIngressAllowList, rule, { allowedPorts: [443, 8443] }), []);
            assert.deepStrictEqual(messages(await run(sgPublicIngressAllowList, rule)), [msg("Security group ingress rule", "the rule", "tcp 8443", "0.0.0.0/0")]);
            const narrowed = await run(sgPublicIngressAllowList, res(aws.vpc.SecurityGroupIngressRule, { ipProtocol: "tcp", fromPort: 80, toPort: 80, cidrIpv4: "0.0.0.0/0", securityGroupId: "sg-1" }), { allowedPorts: [443] });
            assert.deepStrictEqual(messages(narrowed), [msg("Security group ingress rule", "the rule", "tcp 80", "0.0.0.0/0", "443")]);
        });
        it("reports an unknown CIDR on a port outside the allow-list as unverifiable, and lets it pass on 443", async () => {
            const diags = await run(sgPublicIngressAllowList, group([{ ...https, cidrBlocks: [UNKNOWN], ipv6CidrBlocks: [] }, { protocol: "tcp", fromPort: 9000, toPort: 9000, cidrBlocks: [UNKNOWN] }]));
            assert.deepStrictEqual(messages(diags), [
                "Cannot verify during preview that ingress[1] (tcp 9000) opens only allow-listed ports to the internet: ingress[1].cidrBlocks[0] is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
        });
    });

    describe("sg-descriptions", () => {
        it("passes a described group and rules", async () => {
            const rule = res(aws.vpc.SecurityGroupIngressRule, { ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: "sg-lb", securityGroupId: "sg-1", description: "from the LB" });
            assert.deepStrictEqual(await run(sgDescriptions, [res(aws.ec2.SecurityGroup, goodGroup), rule]), []);
        });
        it("rejects a group and an inline rule without descriptions, as advisory", async () => {
            const diags = await run(sgDescriptions, res(aws.ec2.SecurityGroup, { vpcId: "vpc-1", ingress: [https, { ...fromApp, description: "" }] }));
            assert.deepStrictEqual(messages(diags), [
                'Security group must have a description: description is (unset), expected text saying what the group is for (AWS would show "Managed by Pulumi").',
                'Security group must describe every rule: ingress[1].description is "", expected text saying what ingress[1] admits and why.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("rejects each standalone rule type without a description", async () => {
            const diags = await run(sgDescriptions, [
                res(aws.ec2.SecurityGroupRule, { type: "egress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"], securityGroupId: "sg-1" }),
                res(aws.vpc.SecurityGroupIngressRule, { ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: "sg-lb", securityGroupId: "sg-1" }),
                res(aws.vpc.SecurityGroupEgressRule, { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: "sg-db", securityGroupId: "sg-1" }),
            ]);
            assert.deepStrictEqual(messages(diags), [
                "Security group rule must have a description: description is (unset), expected text saying what the rule admits and why.",
                "Security group ingress rule must have a description: description is (unset), expected text saying what the rule admits and why.",
                "Security group egress rule must have a description: description is (unset), expected text saying what the rule admits and why.",
            ]);
        });
        it("treats an unknown description as set, and leaves a rule unknown until apply alone", async () => {
            assert.deepStrictEqual(await run(sgDescriptions, res(aws.ec2.SecurityGroup, { ...goodGroup, description: UNKNOWN, ingress: [{ ...https, description: UNKNOWN }] })), []);
            assert.deepStrictEqual(await run(sgDescriptions, res(aws.ec2.SecurityGroup, { ...goodGroup, ingress: [UNKNOWN] })), []);
        });
    });

    describe("sg-default-closed", () => {
        it("passes a managed default group without rules", async () => {
            assert.deepStrictEqual(await run(sgDefaultClosed, res(aws.ec2.DefaultSecurityGroup, { vpcId: "vpc-1" })), []);
            assert.deepStrictEqual(await run(sgDefaultClosed, res(aws.ec2.DefaultSecurityGroup, { vpcId: "vpc-1", ingress: [], egress: [] })), []);
        });
        it("rejects rules in either direction, as mandatory", async () => {
            const diags = await run(sgDefaultClosed, res(aws.ec2.DefaultSecurityGroup, {
                vpcId: "vpc-1", ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }],
                egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }, { protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }],
            }));
            assert.deepStrictEqual(messages(diags), [
                "Default security group must have no rules: ingress has 1 rule, expected none (give resources their own groups).",
                "Default security group must have no rules: egress has 2 rules, expected none (give resources their own groups).",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("reports unknown rules as unverifiable", async () => {
            assert.deepStrictEqual(messages(await run(sgDefaultClosed, res(aws.ec2.DefaultSecurityGroup, { vpcId: "vpc-1", egress: UNKNOWN }))), [
                "Cannot verify during preview that the default security group has no rules: egress is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
        });
    });
});
