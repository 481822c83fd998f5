import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { naclNoPublicAdminPorts } from "../../policies/network/acl";
import { UNKNOWN, messages, res, run } from "./helpers";

const entry = (props: Record<string, any>) => ({ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlock: "0.0.0.0/0", ...props });
const acl = (...ingress: object[]) => res(aws.ec2.NetworkAcl, { vpcId: UNKNOWN, ingress, egress: [entry({ protocol: "-1", fromPort: 0, toPort: 0 })] });
const expected = (who: string, at: string, traffic: string, from: string, ports: string) =>
    `${who} must not admit the internet to remote administration ports: ${at} allows ${traffic} from ${from}, which includes ${ports}, expected those ports closed to 0.0.0.0/0 and ::/0.`;

describe("policies: network ACLs", () => {
    describe("net-nacl-no-public-admin-ports", () => {
        it("passes HTTPS from anywhere, SSH from inside, and world-open egress", async () => {
            assert.deepStrictEqual(await run(naclNoPublicAdminPorts, acl(entry({}), entry({ ruleNo: 110, fromPort: 22, toPort: 22, cidrBlock: "10.0.0.0/8" }))), []);
        });
        it("rejects an allow-all entry, as advisory", async () => {
            const diags = await run(naclNoPublicAdminPorts, acl(entry({ protocol: "-1", fromPort: 0, toPort: 0 })));
            assert.deepStrictEqual(messages(diags), [expected("Network ACL", "ingress[0]", "all traffic", "0.0.0.0/0", "ports 22, 3389")]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("rejects a range holding 22 from ::/0 on the default ACL", async () => {
            const dacl = res(aws.ec2.DefaultNetworkAcl, { defaultNetworkAclId: UNKNOWN, ingress: [{ ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 1, toPort: 1024, ipv6CidrBlock: "::/0" }] });
            assert.deepStrictEqual(messages(await run(naclNoPublicAdminPorts, dacl)), [expected("Default network ACL", "ingress[0]", "tcp 1-1024", "::/0", "port 22")]);
        });
        it("rejects a NetworkAclRule resource and ignores deny and egress rules", async () => {
            const base = { networkAclId: UNKNOWN, ruleNumber: 100, protocol: "6", fromPort: 3389, toPort: 3389, cidrBlock: "0.0.0.0/0" };
            const diags = await run(naclNoPublicAdminPorts, [
                res(aws.ec2.NetworkAclRule, { ...base, ruleAction: "allow" }, { name: "rdp" }),
                res(aws.ec2.NetworkAclRule, { ...base, ruleAction: "deny" }, { name: "rdp-deny" }),
                res(aws.ec2.NetworkAclRule, { ...base, ruleAction: "allow", egress: true }, { name: "rdp-out" }),
            ]);
            assert.deepStrictEqual(messages(diags), [expected("Network ACL rule", "the rule", "tcp 3389", "0.0.0.0/0", "port 3389")]);
        });
        it("reports an unknown CIDR on an SSH entry as unverifiable", async () => {
            assert.deepStrictEqual(messages(await run(naclNoPublicAdminPorts, acl(entry({ fromPort: 22, toPort: 22, cidrBlock: UNKNOWN })))), [
                "Cannot verify during preview that ingress[0] admits the internet to no port of 22, 3389: ingress[0].cidrBlock is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
        });
        it("takes a configured port list", async () => {
            const diags = await run(naclNoPublicAdminPorts, acl(entry({ fromPort: 5432, toPort: 5432 })), { ports: [22, 3389, 5432] });
            assert.deepStrictEqual(messages(diags), [expected("Network ACL", "ingress[0]", "tcp 5432", "0.0.0.0/0", "port 5432")]);
        });
    });
});
