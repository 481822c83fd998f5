import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { ebsSnapshotNotPublic, ec2AmiNotPublic, ec2BlockPublicSharing, ec2EbsEncrypted } from "../../policies/compute/ec2-images";
import { ec2ImdsHopLimit, ec2Imdsv2Required, ec2NoPublicAdminPorts, ec2NoPublicIpInPrivateTier } from "../../policies/compute/ec2-instances";
import { elbClassicAccessLogs, elbClassicDesyncMitigation, elbClassicTlsListeners, elbClassicTlsPolicy } from "../../policies/edge/elb-classic";
import { EvalResource } from "../../tools/offline/evaluate";
import { UNKNOWN, messages, res, run } from "./helpers";

/**
 * Ways around the compute checks: other spellings of the same setting, other resource shapes that
 * open the same door, and settings that look narrow but are not.
 */

const instance = (props: Record<string, any>, deps: Record<string, string[]> = {}, name = "web") =>
    res(aws.ec2.Instance, { ami: "ami-1", instanceType: "t3.micro", metadataOptions: { httpTokens: "required" }, ...props }, { name, propertyDependencies: deps });
const template = (props: Record<string, any>, deps: Record<string, string[]> = {}) => res(aws.ec2.LaunchTemplate, props, { name: "web-lt", propertyDependencies: deps });
const count = async (policy: Parameters<typeof run>[0], resources: EvalResource[]) => (await run(policy, resources)).filter((d) => d.enforcementLevel === "mandatory").length;

describe("bypass: compute", () => {
    describe("spot instance requests launch instances too", () => {
        const spot = (props: Record<string, any>, deps: Record<string, string[]> = {}) =>
            res(aws.ec2.SpotInstanceRequest, { ami: "ami-1", instanceType: "t3.micro", spotPrice: "0.01", ...props }, { name: "spot", propertyDependencies: deps });
        it("IMDSv1, a public IP, an unencrypted root and a world-open SSH group on an aws.ec2.SpotInstanceRequest are caught as on an instance", async () => {
            assert.deepStrictEqual(messages(await run(ec2Imdsv2Required, [spot({})])), [
                'EC2 spot instance request must require IMDSv2: metadataOptions.httpTokens is (unset), which AWS reads as "optional", expected "required" (or httpEndpoint "disabled").',
            ]);
            assert.deepStrictEqual(messages(await run(ec2ImdsHopLimit, [spot({ metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 3 } })])), [
                "EC2 spot instance request must keep the IMDS response hop limit at most 1: metadataOptions.httpPutResponseHopLimit is 3, expected 1 or less.",
            ]);
            assert.strictEqual(await count(ec2NoPublicIpInPrivateTier, [spot({ metadataOptions: { httpTokens: "required" }, associatePublicIpAddress: true })]), 1);
            assert.strictEqual(await count(ec2EbsEncrypted, [spot({ rootBlockDevice: { encrypted: false } })]), 1);
            const sg = res(aws.ec2.SecurityGroup, { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] }, { name: "ssh" });
            assert.strictEqual(await count(ec2NoPublicAdminPorts, [sg, spot({ vpcSecurityGroupIds: [UNKNOWN] }, { vpcSecurityGroupIds: [sg.urn] })]), 1);
        });
        it("a spot fleet's inline launchSpecifications cannot require IMDSv2: refused, while launchTemplateConfigs are left to the template", async () => {
            const fleet = (props: Record<string, any>) => res(aws.ec2.SpotFleetRequest, { iamFleetRole: "arn:aws:iam::123456789012:role/fleet", targetCapacity: 2, ...props }, { name: "fleet" });
            assert.deepStrictEqual(messages(await run(ec2Imdsv2Required, [fleet({ launchSpecifications: [{ ami: "ami-1", instanceType: "t3.micro" }] })])), [
                'EC2 spot fleet request must require IMDSv2: launchSpecifications has 1 inline entry, which cannot set metadataOptions, so its instances take AWS\'s default ("optional"), expected launchTemplateConfigs naming a launch template whose httpTokens is "required" (or httpEndpoint "disabled").',
            ]);
            const lt = template({ metadataOptions: { httpTokens: "required" } });
            assert.deepStrictEqual(await run(ec2Imdsv2Required, [lt, fleet({ launchTemplateConfigs: [{ launchTemplateSpecification: { id: UNKNOWN, version: "$Latest" } }] })]), []);
            const unknown = await run(ec2Imdsv2Required, [fleet({ launchSpecifications: UNKNOWN })]);
            assert.deepStrictEqual(unknown.map((d) => d.enforcementLevel), ["advisory"]);
        });
        it("a compliant spot instance request passes", async () => {
            const ok = spot({ metadataOptions: { httpTokens: "required" }, associatePublicIpAddress: false, rootBlockDevice: { encrypted: true } });
            for (const policy of [ec2Imdsv2Required, ec2ImdsHopLimit, ec2NoPublicIpInPrivateTier, ec2EbsEncrypted, ec2NoPublicAdminPorts]) assert.deepStrictEqual(await run(policy, [ok]), []);
        });
    });

    describe("IMDSv2", () => {
        it("an instance overriding a compliant template with optional tokens is still caught", async () => {
            const lt = template({ metadataOptions: { httpTokens: "required" } });
            const inst = instance({ launchTemplate: { id: UNKNOWN }, metadataOptions: { httpTokens: "optional" } }, { launchTemplate: [lt.urn] });
            assert.strictEqual(await count(ec2Imdsv2Required, [lt, inst]), 1);
        });
        it("options that set only the hop limit, or tokens with stray case and spaces, are not read as required", async () => {
            assert.strictEqual(await count(ec2Imdsv2Required, [instance({ metadataOptions: { httpPutResponseHopLimit: 1 } })]), 1);
            assert.strictEqual(await count(ec2Imdsv2Required, [instance({ metadataOptions: { httpTokens: " Optional " } })]), 1);
            assert.strictEqual(await count(ec2Imdsv2Required, [instance({ metadataOptions: { httpTokens: "optional", httpEndpoint: "enabled" } })]), 1);
        });
        it("an empty launchTemplate block with no template in the stack is not a pass", async () => {
            const diags = await run(ec2Imdsv2Required, [instance({ metadataOptions: undefined, launchTemplate: {} })]);
            assert.strictEqual(diags.length, 1);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("public IPs", () => {
        it("a second interface, a boolean or an upper-case string flag on a template is caught", async () => {
            const diags = await run(ec2NoPublicIpInPrivateTier, [template({ networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false" }, { deviceIndex: 1, associatePublicIpAddress: " TRUE " }, { deviceIndex: 2, associatePublicIpAddress: true }] })]);
            assert.deepStrictEqual(messages(diags).map((m) => m.split(" and ")[0]), [
                'EC2 launch template must not have a public IP outside the public tier: networkInterfaces[1].associatePublicIpAddress is " TRUE "',
                "EC2 launch template must not have a public IP outside the public tier: networkInterfaces[2].associatePublicIpAddress is true",
            ]);
        });
        it("a subnet whose Name only contains 'public' inside another word is not a public tier", async () => {
            const subnet = res(aws.ec2.Subnet, { vpcId: UNKNOWN, cidrBlock: "10.0.1.0/24", tags: { Name: "republican-db-1" } }, { name: "db" });
            const inst = instance({ associatePublicIpAddress: true, subnetId: UNKNOWN }, { subnetId: [subnet.urn] });
            assert.strictEqual(await count(ec2NoPublicIpInPrivateTier, [subnet, inst]), 1);
        });
        it("an Elastic IP association gives a public address whatever associatePublicIpAddress says", async () => {
            const inst = instance({ associatePublicIpAddress: false });
            const assoc = res(aws.ec2.EipAssociation, { instanceId: UNKNOWN, allocationId: "eipalloc-1" }, { name: "assoc", propertyDependencies: { instanceId: [inst.urn] } });
            assert.strictEqual(await count(ec2NoPublicIpInPrivateTier, [inst, assoc]), 1);
        });
        it("an instance naming no subnet launches into a default subnet, which maps a public IP: caught unless the flag says false or a subnet, interface or template decides", async () => {
            assert.deepStrictEqual(messages(await run(ec2NoPublicIpInPrivateTier, [instance({})])), [
                "EC2 instance must not have a public IP outside the public tier: associatePublicIpAddress and subnetId are (unset), so it launches into a default subnet of the default VPC, which assigns a public IP on launch, expected subnetId of a private subnet (or associatePublicIpAddress false).",
            ]);
            assert.strictEqual(await count(ec2NoPublicIpInPrivateTier, [instance({ associatePublicIpAddress: false })]), 0);
            assert.strictEqual(await count(ec2NoPublicIpInPrivateTier, [instance({ subnetId: "subnet-0abc" })]), 0);
            assert.strictEqual(await count(ec2NoPublicIpInPrivateTier, [instance({ subnetId: UNKNOWN })]), 0);
            assert.strictEqual(await count(ec2NoPublicIpInPrivateTier, [instance({ primaryNetworkInterface: { networkInterfaceId: UNKNOWN } })]), 0);
            assert.strictEqual(await count(ec2NoPublicIpInPrivateTier, [instance({ launchTemplate: { name: "web-lt" } })]), 0);
        });
        it("an Elastic IP attached through the instance's network interface, or to a spot request, is a public address too", async () => {
            const inst = instance({ associatePublicIpAddress: false });
            const eip = res(aws.ec2.Eip, { domain: "vpc", networkInterface: UNKNOWN }, { name: "eip", propertyDependencies: { networkInterface: [inst.urn] } });
            const assoc = res(aws.ec2.EipAssociation, { networkInterfaceId: UNKNOWN, allocationId: "eipalloc-1" }, { name: "assoc", propertyDependencies: { networkInterfaceId: [inst.urn] } });
            assert.deepStrictEqual(messages(await run(ec2NoPublicIpInPrivateTier, [inst, eip, assoc])).map((m) => m.split(" and ")[0]), [
                'Elastic IP must not give an instance a public address outside the public tier: networkInterface is instance "web"',
                'Elastic IP must not give an instance a public address outside the public tier: networkInterfaceId is instance "web"',
            ]);
            const spot = res(aws.ec2.SpotInstanceRequest, { ami: "ami-1", instanceType: "t3.micro", associatePublicIpAddress: false }, { name: "spot" });
            const onSpot = res(aws.ec2.Eip, { domain: "vpc", instance: UNKNOWN }, { name: "eip", propertyDependencies: { instance: [spot.urn] } });
            assert.strictEqual(await count(ec2NoPublicIpInPrivateTier, [spot, onSpot]), 1);
            const natEip = res(aws.ec2.Eip, { domain: "vpc" }, { name: "nat-eip" });
            assert.deepStrictEqual(await run(ec2NoPublicIpInPrivateTier, [inst, natEip]), []);
        });
        it("an upper-case public tier tag is still the public tier", async () => {
            const subnet = res(aws.ec2.Subnet, { vpcId: UNKNOWN, cidrBlock: "10.0.1.0/24", tags: { Tier: "PUBLIC" } }, { name: "pub" });
            assert.strictEqual(await count(ec2NoPublicIpInPrivateTier, [subnet, instance({ associatePublicIpAddress: true, subnetId: UNKNOWN }, { subnetId: [subnet.urn] })]), 0);
        });
    });

    describe("admin ports", () => {
        const attached = (group: EvalResource, props: Record<string, any> = { vpcSecurityGroupIds: [UNKNOWN] }) => instance(props, { vpcSecurityGroupIds: [group.urn] });
        const sg = (ingress: unknown, type: any = aws.ec2.SecurityGroup) => res(type, { vpcId: UNKNOWN, ingress }, { name: "sg" });
        for (const [label, rule] of [
            ["protocol -1", { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
            ["protocol number 6 over a range", { protocol: "6", fromPort: 0, toPort: 65535, cidrBlocks: ["0.0.0.0/0"] }],
            ["IPv6 ::/0", { protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["::/0"] }],
            ["IPv6 spelt 0::/0", { protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["0::/0"] }],
            ["the two IPv4 halves", { protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }],
            ["upper-case protocol", { protocol: "TCP", fromPort: 20, toPort: 30, cidrBlocks: ["0.0.0.0/0"] }],
            ["missing ports (all of them)", { protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
        ] as const) {
            it(`a world-open inline rule with ${label} is caught`, async () => {
                const group = sg([rule]);
                assert.strictEqual(await count(ec2NoPublicAdminPorts, [group, attached(group)]), 1);
            });
        }
        it("the default security group and a group named (not id'd) in securityGroups are followed", async () => {
            const def = sg([{ protocol: "all", cidrBlocks: ["0.0.0.0/0"] }], aws.ec2.DefaultSecurityGroup);
            assert.strictEqual(await count(ec2NoPublicAdminPorts, [def, attached(def)]), 1);
            const named = res(aws.ec2.SecurityGroup, { name: "legacy", ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] }, { name: "legacy-sg" });
            assert.strictEqual(await count(ec2NoPublicAdminPorts, [named, instance({ securityGroups: ["legacy"] })]), 1);
        });
        it("a standalone ec2.SecurityGroupRule on the instance's group is followed; an egress rule is not ingress", async () => {
            const group = sg(undefined);
            const ingress = res(aws.ec2.SecurityGroupRule, { type: "ingress", securityGroupId: UNKNOWN, protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }, { name: "ssh", propertyDependencies: { securityGroupId: [group.urn] } });
            const egress = res(aws.vpc.SecurityGroupEgressRule, { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" }, { name: "out", propertyDependencies: { securityGroupId: [group.urn] } });
            assert.strictEqual(await count(ec2NoPublicAdminPorts, [group, ingress, attached(group)]), 1);
            assert.strictEqual(await count(ec2NoPublicAdminPorts, [group, egress, attached(group)]), 0);
        });
        it("a world-open rule on a group unknown until apply is reported for every instance, not passed", async () => {
            const floating = res(aws.vpc.SecurityGroupIngressRule, { securityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0" }, { name: "ssh" });
            const diags = await run(ec2NoPublicAdminPorts, [floating, instance({ vpcSecurityGroupIds: ["sg-known"] })]);
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /rule "ssh" \(on a security group unknown until apply\) opens no admin port/);
        });
    });

    describe("EBS and images", () => {
        it("string flags in any case on launch templates: FALSE fails, True passes, yes is not encryption", async () => {
            const mapping = (encrypted: string) => template({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted } }] });
            assert.strictEqual(await count(ec2EbsEncrypted, [mapping("FALSE")]), 1);
            assert.strictEqual(await count(ec2EbsEncrypted, [mapping("True")]), 0);
            assert.deepStrictEqual(messages(await run(ec2EbsEncrypted, [mapping("yes")])), [
                'EC2 launch template must encrypt its EBS volumes: blockDeviceMappings[0].ebs.encrypted is "yes", expected true (or EBS encryption by default enabled for the account).',
            ]);
        });
        it("encryption by default switched off in the stack does not cover unset flags; a second data volume is checked too", async () => {
            const off = res(aws.ebs.EncryptionByDefault, { enabled: false }, { name: "off" });
            const vol = res(aws.ebs.Volume, { availabilityZone: "a", size: 1, snapshotId: "snap-1" }, { name: "restored" });
            assert.strictEqual(await count(ec2EbsEncrypted, [off, vol]), 1);
            const inst = instance({ rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }, { deviceName: "/dev/sdg" }] });
            assert.strictEqual(await count(ec2EbsEncrypted, [inst]), 1);
        });
        it("public sharing in other spellings: ALL, padded all, accountId all, a group input on snapshots, UNBLOCKED", async () => {
            const ami = (props: Record<string, any>) => res(aws.ec2.AmiLaunchPermission, { imageId: "ami-1", ...props });
            assert.strictEqual(await count(ec2AmiNotPublic, [ami({ group: "ALL" })]), 1);
            assert.strictEqual(await count(ec2AmiNotPublic, [ami({ group: " all " })]), 1);
            assert.strictEqual(await count(ec2AmiNotPublic, [ami({ accountId: "all" })]), 1);
            const snap = (props: Record<string, any>) => res(aws.ec2.SnapshotCreateVolumePermission, { snapshotId: "snap-1", ...props });
            assert.strictEqual(await count(ebsSnapshotNotPublic, [snap({ accountId: "All" })]), 1);
            assert.strictEqual(await count(ebsSnapshotNotPublic, [snap({ accountId: "123456789012", group: "all" })]), 1);
            assert.strictEqual(await count(ec2BlockPublicSharing, [res(aws.ebs.SnapshotBlockPublicAccess, { state: "UNBLOCKED" })]), 1);
            assert.strictEqual(await count(ec2BlockPublicSharing, [res(aws.ec2.ImageBlockPublicAccess, { state: "block-all-sharing" })]), 1);
        });
    });

    describe("classic ELB", () => {
        const lb = (props: Record<string, any>) => res(aws.elb.LoadBalancer, { name: "web", ...props }, { name: "web-clb" });
        const https = { lbPort: 443, lbProtocol: "HTTPS", instancePort: 80, instanceProtocol: "http", sslCertificateId: "arn:aws:acm:eu-west-1:1:certificate/x" };
        it("upper-case HTTP and a TCP listener beside an HTTPS one are caught", async () => {
            assert.strictEqual(await count(elbClassicTlsListeners, [lb({ listeners: [https, { lbPort: 80, lbProtocol: "HTTP", instancePort: 80, instanceProtocol: "HTTP" }] })]), 1);
            assert.strictEqual(await count(elbClassicTlsListeners, [lb({ listeners: [https, { lbPort: 5000, lbProtocol: "tcp" }] })]), 1);
        });
        it("a strong policy attached to another port or another load balancer does not count", async () => {
            const policy = res(aws.elb.LoadBalancerPolicy, { loadBalancerName: "web", policyName: "tls12", policyTypeName: "SSLNegotiationPolicyType", policyAttributes: [{ name: "Reference-Security-Policy", value: "ELBSecurityPolicy-TLS-1-2-2017-01" }] }, { name: "p" });
            const otherPort = res(aws.elb.ListenerPolicy, { loadBalancerName: "web", loadBalancerPort: 8443, policyNames: ["tls12"] }, { name: "lp1" });
            const otherLb = res(aws.elb.ListenerPolicy, { loadBalancerName: "billing", loadBalancerPort: 443, policyNames: ["tls12"] }, { name: "lp2" });
            assert.strictEqual(await count(elbClassicTlsPolicy, [lb({ listeners: [https] }), policy, otherPort, otherLb]), 1);
        });
        it("the predefined reference plus an extra custom protocol attribute is a custom policy", async () => {
            const policy = res(aws.elb.LoadBalancerPolicy, { loadBalancerName: "web", policyName: "tls12", policyTypeName: "SSLNegotiationPolicyType", policyAttributes: [{ name: "Reference-Security-Policy", value: "ELBSecurityPolicy-TLS-1-2-2017-01" }, { name: "Protocol-TLSv1", value: "true" }] }, { name: "p" });
            const attach = res(aws.elb.ListenerPolicy, { loadBalancerName: "web", loadBalancerPort: 443, policyNames: ["tls12"] }, { name: "lp" });
            assert.strictEqual(await count(elbClassicTlsPolicy, [lb({ listeners: [https] }), policy, attach]), 1);
        });
        it("a backend-auth policy on the listener is not an SSL negotiation policy", async () => {
            const policy = res(aws.elb.LoadBalancerPolicy, { loadBalancerName: "web", policyName: "backend", policyTypeName: "BackendServerAuthenticationPolicyType", policyAttributes: [] }, { name: "p" });
            const attach = res(aws.elb.ListenerPolicy, { loadBalancerName: "web", loadBalancerPort: 443, policyNames: ["backend"] }, { name: "lp" });
            assert.strictEqual(await count(elbClassicTlsPolicy, [lb({ listeners: [https] }), policy, attach]), 1);
        });
        it("logs with enabled false, and desync mode Monitor in capitals, are caught", async () => {
            assert.strictEqual(await count(elbClassicAccessLogs, [lb({ accessLogs: { bucket: "logs", enabled: false, interval: 5 } })]), 1);
            const diags = await run(elbClassicDesyncMitigation, [lb({ desyncMitigationMode: "Monitor" })]);
            assert.strictEqual(diags.length, 1);
        });
    });
});
