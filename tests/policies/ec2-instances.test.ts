import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { ec2ImdsHopLimit, ec2Imdsv2Required, ec2NoPublicAdminPorts, ec2NoPublicIpInPrivateTier, imdsOf } from "../../policies/compute/ec2-instances";
import { Diagnostic } from "../../tools/offline/evaluate";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, UNKNOWN_NUMBER, messages, res, run } from "./helpers";

const REQUIRED = { httpTokens: "required" };
const instance = (props: Record<string, any>, o: { name?: string; propertyDependencies?: Record<string, string[]> } = {}) =>
    res(aws.ec2.Instance, { ami: "ami-1", instanceType: "t3.micro", ...props }, { name: o.name ?? "web", propertyDependencies: o.propertyDependencies });
const template = (props: Record<string, any>, o: { name?: string; propertyDependencies?: Record<string, string[]> } = {}) =>
    res(aws.ec2.LaunchTemplate, props, { name: o.name ?? "web-lt", propertyDependencies: o.propertyDependencies });
const launchConfig = (props: Record<string, any>) => res(aws.ec2.LaunchConfiguration, { imageId: "ami-1", instanceType: "t3.micro", ...props }, { name: "web-lc" });
const subnet = (tags: Record<string, string> | undefined, name = "app-subnet", extra: Record<string, any> = {}) => res(aws.ec2.Subnet, { vpcId: UNKNOWN, cidrBlock: "10.0.1.0/24", tags, ...extra }, { name });
const group = (props: Record<string, any>, name = "web-sg") => res(aws.ec2.SecurityGroup, { vpcId: UNKNOWN, description: "web", ...props }, { name });

const unverifiable = (diags: Diagnostic[]) => {
    assert.ok(diags.length > 0);
    assert.ok(diags.every((d) => d.enforcementLevel === "advisory" && d.cantRunDuringPreview === undefined), JSON.stringify(diags));
};

describe("policies: ec2 instances", () => {
    describe("ec2-imdsv2-required", () => {
        it("passes required tokens, a disabled endpoint, and an instance inheriting a compliant template", async () => {
            const lt = template({ name: "web", metadataOptions: REQUIRED });
            const inherits = instance({ launchTemplate: { id: UNKNOWN, version: "$Latest" } }, { propertyDependencies: { launchTemplate: [lt.urn] } });
            const byName = instance({ launchTemplate: { name: "web" } }, { name: "by-name" });
            assert.deepStrictEqual(await run(ec2Imdsv2Required, [
                instance({ metadataOptions: REQUIRED }, { name: "a" }), instance({ metadataOptions: { httpEndpoint: "disabled" } }, { name: "b" }),
                lt, inherits, byName, launchConfig({ metadataOptions: REQUIRED }),
            ]), []);
        });
        it("rejects the default and optional tokens on every launcher, as mandatory", async () => {
            const diags = await run(ec2Imdsv2Required, [instance({}), template({ metadataOptions: { httpTokens: "optional" } }), launchConfig({ metadataOptions: { httpEndpoint: "enabled" } })]);
            assert.deepStrictEqual(messages(diags), [
                'EC2 instance must require IMDSv2: metadataOptions.httpTokens is (unset), which AWS reads as "optional", expected "required" (or httpEndpoint "disabled").',
                'EC2 launch template must require IMDSv2: metadataOptions.httpTokens is "optional", expected "required" (or httpEndpoint "disabled").',
                'Launch configuration must require IMDSv2: metadataOptions.httpTokens is (unset), which AWS reads as "optional", expected "required" (or httpEndpoint "disabled").',
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
            assert.strictEqual(diags[0].urn, "urn:pulumi:test::baseline::aws:ec2/instance:Instance::web");
        });
        it("rejects an instance that inherits optional tokens from its template", async () => {
            const lt = template({ metadataOptions: { httpTokens: "optional" } });
            const diags = await run(ec2Imdsv2Required, [lt, instance({ launchTemplate: { id: UNKNOWN } }, { propertyDependencies: { launchTemplate: [lt.urn] } })]);
            assert.deepStrictEqual(messages(diags), [
                'EC2 launch template must require IMDSv2: metadataOptions.httpTokens is "optional", expected "required" (or httpEndpoint "disabled").',
                'EC2 instance must require IMDSv2: metadataOptions.httpTokens is "optional" (inherited from launch template "web-lt"), expected "required" (or httpEndpoint "disabled").',
            ]);
        });
        it("reports unknown tokens, and a template outside the stack, as unverifiable", async () => {
            const diags = await run(ec2Imdsv2Required, [instance({ metadataOptions: { httpTokens: UNKNOWN } }), instance({ launchTemplate: { id: "lt-0abc" } }, { name: "external" })]);
            assert.deepStrictEqual(messages(diags), [
                "Cannot verify during preview that the instance metadata service requires IMDSv2 tokens: metadataOptions.httpTokens is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
                'Cannot verify during preview that the launch template the instance takes its metadata options from requires IMDSv2: launchTemplate is {"id":"lt-0abc"}. Re-run the check after apply, or set the value from configuration.',
            ]);
            unverifiable(diags);
            const unknownOptions = await run(ec2Imdsv2Required, template({ metadataOptions: UNKNOWN }));
            unverifiable(unknownOptions);
            assert.match(unknownOptions[0].message, /metadataOptions is \(unknown until apply\)/);
        });
        it("reports optional or unset tokens with an endpoint unknown until apply as unverifiable (a disabled endpoint would pass)", async () => {
            for (const metadataOptions of [{ httpTokens: "optional", httpEndpoint: UNKNOWN }, { httpEndpoint: UNKNOWN }]) {
                const diags = await run(ec2Imdsv2Required, launchConfig({ metadataOptions }));
                unverifiable(diags);
                assert.deepStrictEqual(messages(diags), [
                    "Cannot verify during preview that the instance metadata service requires IMDSv2 tokens: metadataOptions.httpEndpoint is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
                ]);
            }
            assert.deepStrictEqual(await run(ec2Imdsv2Required, launchConfig({ metadataOptions: { httpTokens: "required", httpEndpoint: UNKNOWN } })), []);
        });
        it("never throws on malformed inputs", async () => {
            for (const metadataOptions of [null, [], 42, "required", { httpTokens: null }, { httpTokens: 42 }]) {
                await run(ec2Imdsv2Required, [instance({ metadataOptions, launchTemplate: null }), template({ metadataOptions }), instance({ launchTemplate: "lt" }, { name: "odd" })]);
            }
            assert.deepStrictEqual(imdsOf({ metadataOptions: { httpTokens: 42 } }), { state: "optional", found: "metadataOptions.httpTokens is 42" });
        });
    });

    describe("ec2-imds-hop-limit", () => {
        it("passes 1 or unset, rejects more as advisory, and follows config", async () => {
            assert.deepStrictEqual(await run(ec2ImdsHopLimit, [instance({ metadataOptions: { httpPutResponseHopLimit: 1 } }), template({})]), []);
            const diags = await run(ec2ImdsHopLimit, template({ metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } }));
            assert.deepStrictEqual(messages(diags), ["EC2 launch template must keep the IMDS response hop limit at most 1: metadataOptions.httpPutResponseHopLimit is 2, expected 1 or less."]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.deepStrictEqual(await run(ec2ImdsHopLimit, template({ metadataOptions: { httpPutResponseHopLimit: 2 } }), { maximumHopLimit: 2 }), []);
        });
        it("reports an unknown hop limit as unverifiable and survives malformed options", async () => {
            const diags = await run(ec2ImdsHopLimit, launchConfig({ metadataOptions: { httpPutResponseHopLimit: UNKNOWN_NUMBER } }));
            assert.deepStrictEqual(messages(diags), ["Cannot verify during preview that the IMDS response hop limit is at most 1: metadataOptions.httpPutResponseHopLimit is (unknown until apply). Re-run the check after apply, or set the value from configuration."]);
            unverifiable(diags);
            for (const metadataOptions of [null, [], "x", { httpPutResponseHopLimit: "64" }]) await run(ec2ImdsHopLimit, instance({ metadataOptions }));
        });
    });

    describe("ec2-no-public-ip-private-tier", () => {
        it("passes a public IP in a public-tier subnet and none elsewhere", async () => {
            const pub = subnet({ tier: "public" }, "public-a");
            const priv = subnet({ Name: "vpc-private-1" }, "private-a");
            assert.deepStrictEqual(await run(ec2NoPublicIpInPrivateTier, [
                pub, priv,
                instance({ associatePublicIpAddress: true, subnetId: UNKNOWN }, { name: "bastion", propertyDependencies: { subnetId: [pub.urn] } }),
                instance({ associatePublicIpAddress: false, subnetId: UNKNOWN }, { propertyDependencies: { subnetId: [priv.urn] } }),
                template({ networkInterfaces: [{ associatePublicIpAddress: "false" }] }), launchConfig({}),
            ]), []);
        });
        it("rejects a public IP in a private tier, or with no tier to tell, as mandatory", async () => {
            const priv = subnet({ tier: "private" }, "private-a");
            const diags = await run(ec2NoPublicIpInPrivateTier, [
                priv,
                instance({ associatePublicIpAddress: true, subnetId: UNKNOWN }, { propertyDependencies: { subnetId: [priv.urn] } }),
                template({ networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true" }] }),
                launchConfig({ associatePublicIpAddress: true }),
            ]);
            assert.deepStrictEqual(messages(diags), [
                'EC2 instance must not have a public IP outside the public tier: associatePublicIpAddress is true and subnet "private-a" is tier "private" (tags.tier), expected false (reach it through a load balancer or SSM Session Manager).',
                'EC2 launch template must not have a public IP outside the public tier: networkInterfaces[0].associatePublicIpAddress is "true" and its subnet\'s tier cannot be told, expected false (reach it through a load balancer or SSM Session Manager).',
                "Launch configuration must not have a public IP outside the public tier: associatePublicIpAddress is true and its subnet's tier cannot be told, expected false (reach it through a load balancer or SSM Session Manager).",
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
        });
        it("rejects an unset flag in a private subnet that maps public IPs on launch", async () => {
            const priv = subnet({ tier: "private" }, "private-a", { mapPublicIpOnLaunch: true });
            const diags = await run(ec2NoPublicIpInPrivateTier, [priv, instance({ subnetId: UNKNOWN }, { propertyDependencies: { subnetId: [priv.urn] } })]);
            assert.deepStrictEqual(messages(diags), [
                'EC2 instance must not have a public IP outside the public tier: associatePublicIpAddress is (unset), so it takes mapPublicIpOnLaunch true from subnet "private-a", and subnet "private-a" is tier "private" (tags.tier), expected false.',
            ]);
        });
        it("reports unknown flags and interface lists as unverifiable", async () => {
            const diags = await run(ec2NoPublicIpInPrivateTier, [instance({ associatePublicIpAddress: UNKNOWN_BOOL }), template({ networkInterfaces: UNKNOWN_ARRAY })]);
            assert.deepStrictEqual(messages(diags), [
                "Cannot verify during preview that no public IP is assigned outside the public tier (its subnet's tier cannot be told): associatePublicIpAddress is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
                "Cannot verify during preview that the launch template assigns no public IP outside the public tier: networkInterfaces is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
            unverifiable(diags);
        });
        it("rejects an Elastic IP on an instance outside the public tier, passes one in it, and reports an untraceable one", async () => {
            const priv = subnet({ tier: "private" }, "private-a");
            const pub = subnet({ tier: "public" }, "public-a");
            const app = instance({ associatePublicIpAddress: false, subnetId: UNKNOWN }, { name: "app", propertyDependencies: { subnetId: [priv.urn] } });
            const bastion = instance({ subnetId: UNKNOWN }, { name: "bastion", propertyDependencies: { subnetId: [pub.urn] } });
            const eip = res(aws.ec2.Eip, { domain: "vpc", instance: UNKNOWN }, { name: "app-eip", propertyDependencies: { instance: [app.urn] } });
            const ok = res(aws.ec2.EipAssociation, { instanceId: UNKNOWN, allocationId: "eipalloc-1" }, { name: "bastion-eip", propertyDependencies: { instanceId: [bastion.urn] } });
            const nat = res(aws.ec2.Eip, { domain: "vpc" }, { name: "nat-eip" });
            const diags = await run(ec2NoPublicIpInPrivateTier, [priv, pub, app, bastion, eip, ok, nat]);
            assert.deepStrictEqual(messages(diags), [
                'Elastic IP must not give an instance a public address outside the public tier: instance is instance "app" and subnet "private-a" is tier "private" (tags.tier), expected no Elastic IP on it (or the instance in a public-tier subnet).',
            ]);
            assert.strictEqual(diags[0].urn, "urn:pulumi:test::baseline::aws:ec2/eip:Eip::app-eip");
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            const untraceable = await run(ec2NoPublicIpInPrivateTier, [app, res(aws.ec2.EipAssociation, { instanceId: UNKNOWN }, { name: "assoc" })]);
            assert.deepStrictEqual(messages(untraceable), [
                "Cannot verify during preview that the Elastic IP is attached to no instance outside the public tier: instanceId is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
            unverifiable(untraceable);
        });
        it("never throws on malformed inputs", async () => {
            for (const networkInterfaces of [null, [null], [42], [{}], "x", {}]) await run(ec2NoPublicIpInPrivateTier, [template({ networkInterfaces }), subnet(null as any)]);
            await run(ec2NoPublicIpInPrivateTier, [instance({ associatePublicIpAddress: null, subnetId: 42 })]);
        });
    });

    describe("ec2-no-public-admin-ports", () => {
        const sshWorld = { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"], description: "ssh" };
        it("passes an instance whose groups admit admin ports only internally, and web ports from anywhere", async () => {
            const sg = group({ ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }, { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] });
            assert.deepStrictEqual(await run(ec2NoPublicAdminPorts, [sg, instance({ vpcSecurityGroupIds: [UNKNOWN] }, { propertyDependencies: { vpcSecurityGroupIds: [sg.urn] } })]), []);
        });
        it("rejects an instance whose group opens SSH to the world inline, as mandatory", async () => {
            const sg = group({ ingress: [sshWorld] });
            const diags = await run(ec2NoPublicAdminPorts, [sg, instance({ vpcSecurityGroupIds: [UNKNOWN] }, { propertyDependencies: { vpcSecurityGroupIds: [sg.urn] } })]);
            assert.deepStrictEqual(messages(diags), [
                'EC2 instance must not be reachable from the internet on admin ports: security group "web-sg" ingress[0] allows tcp 22 from 0.0.0.0/0, which includes port 22, expected admin ports open only to security groups or internal ranges (or closed, with SSM Session Manager).',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.strictEqual(diags[0].urn, "urn:pulumi:test::baseline::aws:ec2/instance:Instance::web");
        });
        it("follows standalone rules, launch template interfaces and launch configurations", async () => {
            const sg = group({}, "admin-sg");
            const rule = res(aws.vpc.SecurityGroupIngressRule, { securityGroupId: UNKNOWN, ipProtocol: "-1", cidrIpv6: "::/0" }, { name: "all-v6", propertyDependencies: { securityGroupId: [sg.urn] } });
            const lt = template({ networkInterfaces: [{ securityGroups: [UNKNOWN] }] }, { propertyDependencies: { networkInterfaces: [sg.urn] } });
            const lc = res(aws.ec2.LaunchConfiguration, { imageId: "ami-1", instanceType: "t3.micro", securityGroups: ["sg-0123"] }, { name: "web-lc" });
            const literal = res(aws.ec2.SecurityGroupRule, { type: "ingress", securityGroupId: "sg-0123", protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlocks: ["0.0.0.0/0"] }, { name: "rdp" });
            const diags = await run(ec2NoPublicAdminPorts, [sg, rule, lt, lc, literal], { adminPorts: [22, 3389] });
            assert.deepStrictEqual(messages(diags), [
                'EC2 launch template must not be reachable from the internet on admin ports: rule "all-v6" on security group "admin-sg" allows all traffic from ::/0, which includes ports 22, 3389, expected admin ports open only to security groups or internal ranges (or closed, with SSM Session Manager).',
                'Launch configuration must not be reachable from the internet on admin ports: rule "rdp" on security group "sg-0123" allows tcp 3389 from 0.0.0.0/0, which includes port 3389, expected admin ports open only to security groups or internal ranges (or closed, with SSM Session Manager).',
            ]);
        });
        it("reports unknown group ids, ports and sources as unverifiable", async () => {
            const unresolvedIds = await run(ec2NoPublicAdminPorts, [instance({ vpcSecurityGroupIds: UNKNOWN_ARRAY })]);
            assert.deepStrictEqual(messages(unresolvedIds), [
                "Cannot verify during preview that no security group of it opens an admin port to the internet: vpcSecurityGroupIds is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
            unverifiable(unresolvedIds);
            const sg = group({ ingress: [{ protocol: "tcp", fromPort: UNKNOWN_NUMBER, toPort: UNKNOWN_NUMBER, cidrBlocks: ["0.0.0.0/0"] }, { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [UNKNOWN] }] });
            const diags = await run(ec2NoPublicAdminPorts, [sg, instance({ vpcSecurityGroupIds: [UNKNOWN] }, { propertyDependencies: { vpcSecurityGroupIds: [sg.urn] } })]);
            assert.deepStrictEqual(messages(diags), [
                'Cannot verify during preview that security group "web-sg" ingress[0] opens no admin port to the internet (its ingress[0].fromPort is unknown until apply): vpcSecurityGroupIds is ["04da6b54-80e4-46f7-96ec-b56ff0331ba9"]. Re-run the check after apply, or set the value from configuration.',
                'Cannot verify during preview that security group "web-sg" ingress[1] opens no admin port to the internet: vpcSecurityGroupIds is ["04da6b54-80e4-46f7-96ec-b56ff0331ba9"]. Re-run the check after apply, or set the value from configuration.',
            ]);
            unverifiable(diags);
        });
        it("returns early without launchers and never throws on malformed groups", async () => {
            assert.deepStrictEqual(await run(ec2NoPublicAdminPorts, [group({ ingress: [sshWorld] })]), []);
            for (const ingress of [null, [null], [42], [{}], UNKNOWN, [{ protocol: null, cidrBlocks: [null] }]]) {
                const sg = group({ ingress });
                await run(ec2NoPublicAdminPorts, [sg, instance({ vpcSecurityGroupIds: [UNKNOWN], securityGroups: 42 }, { propertyDependencies: { vpcSecurityGroupIds: [sg.urn] } }), template({ networkInterfaces: [null, { securityGroups: "x" }] })]);
            }
        });
    });
});
