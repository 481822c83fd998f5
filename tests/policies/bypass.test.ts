import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { isInternetWide } from "../../policies/lib/cidr";
import { privateRoutesNoInternetGateway } from "../../policies/network-tiers";
import { sgNoPublicSensitivePorts } from "../../policies/network-sg";
import { UNKNOWN, UNKNOWN_ARRAY, messages, res, run, secret } from "./helpers";

/**
 * Red-team cases: programs that break a rule but once passed the pack at the mandatory level (or
 * passed silently during preview), and compliant programs the pack once rejected. Each test names
 * the hole; the fix lives in the policy (or library) that owns the rule.
 */

const sensitive = (at: string, traffic: string, from: string, ports: string, who = "Security group") =>
    `${who} must not open sensitive ports to the internet: ${at} allows ${traffic} from ${from}, which includes ${ports}, expected these ports open only to security groups or internal ranges.`;
const group = (ingress: object[]) => res(aws.ec2.SecurityGroup, { description: "g", vpcId: "vpc-1", ingress });
const ssh = (extra: Record<string, unknown>) => ({ protocol: "tcp", fromPort: 22, toPort: 22, description: "ssh", ...extra });

describe("bypass: network", () => {
    describe("CIDR spellings", () => {
        it("rejects SSH from the two /1 halves that together are the whole IPv4 internet", async () => {
            const diags = await run(sgNoPublicSensitivePorts, group([ssh({ cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] })]));
            assert.deepStrictEqual(messages(diags), [sensitive("ingress[0]", "tcp 22", "0.0.0.0/1, 128.0.0.0/1", "port 22")]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("rejects RDP from 2000::/3, every global IPv6 unicast address", async () => {
            const rule = res(aws.vpc.SecurityGroupIngressRule, { ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv6: "2000::/3", securityGroupId: "sg-1" });
            assert.deepStrictEqual(messages(await run(sgNoPublicSensitivePorts, rule)), [sensitive("the rule", "tcp 3389", "2000::/3", "port 3389", "Security group ingress rule")]);
        });
        it("keeps private and narrow ranges out of it (10/8, 172.16/12, fc00::/7, a /8 of public space)", async () => {
            const diags = await run(sgNoPublicSensitivePorts, group([ssh({ cidrBlocks: ["10.0.0.0/8", "172.16.0.0/12", "3.0.0.0/8"], ipv6CidrBlocks: ["fc00::/7", "2001:db8::/32"] })]));
            assert.deepStrictEqual(diags, []);
        });
        it("isInternetWide: zero-length prefixes however spelt, and prefixes shorter than /8 outside fc00::/7", () => {
            const wide = ["0.0.0.0/0", "::/0", "1.2.3.4/00", "0.0.0.0/1", "128.0.0.0/1", "64.0.0.0/2", "2000::/3", "8000::/1"];
            const narrow = ["10.0.0.0/8", "3.0.0.0/8", "fc00::/7", "fd00::/8", "2001:db8::/32", "::ffff:0:0/96", "0.0.0.0", "sg-123", UNKNOWN, undefined];
            assert.deepStrictEqual(wide.filter((c) => !isInternetWide(c)), []);
            assert.deepStrictEqual(narrow.filter(isInternetWide), []);
        });
        it("pins every spelling of the world and of 'all protocols' as rejected", async () => {
            const worlds = ["0.0.0.0/0", "0.0.0.0/00", " 0.0.0.0/0 ", "10.1.2.3/0"];
            const worlds6 = ["::/0", "0::/0", "::0/0"];
            const protocols: unknown[] = ["-1", -1, "all", "ALL", "tcp", "TCP", "6", 6];
            for (const protocol of protocols) {
                for (const cidr of worlds) {
                    const diags = await run(sgNoPublicSensitivePorts, group([{ protocol, fromPort: 22, toPort: 22, cidrBlocks: [cidr] }]));
                    assert.strictEqual(diags.length, 1, `protocol ${JSON.stringify(protocol)} from ${JSON.stringify(cidr)}`);
                }
                for (const cidr of worlds6) {
                    const diags = await run(sgNoPublicSensitivePorts, group([{ protocol, fromPort: 22, toPort: 22, ipv6CidrBlocks: [cidr] }]));
                    assert.strictEqual(diags.length, 1, `protocol ${JSON.stringify(protocol)} from ${JSON.stringify(cidr)}`);
                }
            }
        });
        it("pins a world CIDR that arrives as a secret as rejected (the evaluator unwraps it)", async () => {
            const diags = await run(sgNoPublicSensitivePorts, group([ssh({ cidrBlocks: secret(["0.0.0.0/0"]) })]));
            assert.deepStrictEqual(messages(diags), [sensitive("ingress[0]", "tcp 22", "0.0.0.0/0", "port 22")]);
        });
    });

    describe("vpc-private-routes-no-igw", () => {
        const privateTable = (routes: unknown) => res(aws.ec2.RouteTable, { vpcId: UNKNOWN, tags: { tier: "private" }, routes }, { name: "rt" });
        it("rejects the internet routed to an internet gateway as two /1 halves", async () => {
            const routes = [{ cidrBlock: "0.0.0.0/1", gatewayId: "igw-1" }, { cidrBlock: "128.0.0.0/1", gatewayId: "igw-1" }];
            const message = (i: number, cidr: string) =>
                `Private route table must not route the internet to an internet gateway: "rt" serves a private tier (tier "private" from tags.tier) and routes[${i}] sends ${cidr} to "igw-1", expected a NAT gateway, or no default route.`;
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, privateTable(routes))), [message(0, "0.0.0.0/1"), message(1, "128.0.0.0/1")]);
        });
        it("reports an inline route list, or a route of it, unknown until apply instead of passing silently", async () => {
            const cannot = (path: string) =>
                `Cannot verify during preview that ${path} of private route table "rt" sends no internet traffic to an internet gateway: ${path} is (unknown until apply). Re-run the check after apply, or set the value from configuration.`;
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, privateTable(UNKNOWN_ARRAY))), [cannot("routes")]);
            const known = { cidrBlock: "10.1.0.0/16", gatewayId: "pcx-1" };
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, privateTable([known, UNKNOWN]))), [cannot("routes[1]")]);
        });
    });
});
