import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { ebsEncryptionByDefault, ebsSnapshotNotPublic, ec2AmiNotPublic, ec2BlockPublicSharing, ec2EbsEncrypted } from "../../policies/compute/ec2-images";
import { Diagnostic } from "../../tools/offline/evaluate";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, messages, res, run } from "./helpers";

const volume = (props: Record<string, any>, name = "data") => res(aws.ebs.Volume, { availabilityZone: "eu-west-1a", size: 10, ...props }, { name });
const instance = (props: Record<string, any>) => res(aws.ec2.Instance, { ami: "ami-1", instanceType: "t3.micro", ...props }, { name: "web" });
const template = (props: Record<string, any>) => res(aws.ec2.LaunchTemplate, props, { name: "web-lt" });
const launchConfig = (props: Record<string, any>) => res(aws.ec2.LaunchConfiguration, { imageId: "ami-1", instanceType: "t3.micro", ...props }, { name: "web-lc" });
const byDefault = (enabled?: unknown) => res(aws.ebs.EncryptionByDefault, enabled === undefined ? {} : { enabled }, { name: "ebs-default" });

const unverifiable = (diags: Diagnostic[]) => {
    assert.ok(diags.length > 0);
    assert.ok(diags.every((d) => d.enforcementLevel === "advisory" && d.cantRunDuringPreview === undefined), JSON.stringify(diags));
};
const WHY = "Re-run the check after apply, or set the value from configuration.";

describe("policies: ec2 images and EBS", () => {
    describe("ec2-ebs-encrypted", () => {
        it("passes encrypted volumes, block devices and template mappings", async () => {
            assert.deepStrictEqual(await run(ec2EbsEncrypted, [
                volume({ encrypted: true, kmsKeyId: UNKNOWN }),
                instance({ rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }] }),
                template({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }, { deviceName: "/dev/sdb", virtualName: "ephemeral0" }] }),
                launchConfig({ rootBlockDevice: { encrypted: true } }),
            ]), []);
        });
        it("rejects unencrypted and unset volumes on every type, as mandatory", async () => {
            const diags = await run(ec2EbsEncrypted, [
                volume({}), instance({ ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: false }] }),
                template({}), launchConfig({ rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdf" }] }),
            ]);
            assert.deepStrictEqual(messages(diags), [
                "EBS volume must encrypt its EBS volumes: encrypted is (unset), expected true (or EBS encryption by default enabled for the account).",
                "EC2 instance must encrypt its EBS volumes: rootBlockDevice.encrypted is (unset), expected true (or EBS encryption by default enabled for the account).",
                "EC2 instance must encrypt its EBS volumes: ebsBlockDevices[0].encrypted is false, expected true.",
                "EC2 launch template must encrypt its EBS volumes: blockDeviceMappings maps no EBS volume (the root volume is encrypted only if the AMI's snapshot is), expected true (or EBS encryption by default enabled for the account).",
                "Launch configuration must encrypt its EBS volumes: ebsBlockDevices[0].encrypted is (unset), expected true (or EBS encryption by default enabled for the account).",
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
        });
        it("lets encryption by default (in the stack or declared in config) cover unset flags, never an explicit false", async () => {
            assert.deepStrictEqual(await run(ec2EbsEncrypted, [byDefault(), volume({}), template({})]), []);
            assert.deepStrictEqual(await run(ec2EbsEncrypted, [volume({}), instance({})], { accountEncryptionByDefault: true }), []);
            assert.deepStrictEqual(messages(await run(ec2EbsEncrypted, [byDefault(true), volume({ encrypted: false })])), ["EBS volume must encrypt its EBS volumes: encrypted is false, expected true."]);
            assert.strictEqual((await run(ec2EbsEncrypted, [byDefault(false), volume({})])).length, 1);
            // A launch template's flag is a string: "false" (any case) is the same explicit refusal, default encryption or not.
            assert.deepStrictEqual(messages(await run(ec2EbsEncrypted, [byDefault(true), template({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: " FALSE " } }] })])), [
                'EC2 launch template must encrypt its EBS volumes: blockDeviceMappings[0].ebs.encrypted is " FALSE ", expected true.',
            ]);
        });
        it("reports unknown flags, lists and defaults as unverifiable", async () => {
            const diags = await run(ec2EbsEncrypted, [volume({ encrypted: UNKNOWN_BOOL }), template({ blockDeviceMappings: UNKNOWN_ARRAY }), instance({ rootBlockDevice: { encrypted: true }, ebsBlockDevices: [UNKNOWN] })]);
            assert.deepStrictEqual(messages(diags), [
                `Cannot verify during preview that the EBS volume is encrypted: encrypted is (unknown until apply). ${WHY}`,
                `Cannot verify during preview that the EBS volume is encrypted: blockDeviceMappings is (unknown until apply). ${WHY}`,
                `Cannot verify during preview that the EBS volume is encrypted: ebsBlockDevices[0] is (unknown until apply). ${WHY}`,
            ]);
            unverifiable(diags);
            const viaDefault = await run(ec2EbsEncrypted, [byDefault(UNKNOWN_BOOL), volume({})]);
            assert.deepStrictEqual(messages(viaDefault), [`Cannot verify during preview that EBS encryption by default (enabled unknown until apply) encrypts the volume: encrypted is (unset). ${WHY}`]);
            unverifiable(viaDefault);
        });
        it("never throws on malformed inputs", async () => {
            for (const bad of [null, 42, "x", [null], [42], [{}], [{ ebs: null }], [{ ebs: UNKNOWN }], {}]) {
                await run(ec2EbsEncrypted, [template({ blockDeviceMappings: bad }), instance({ rootBlockDevice: bad, ebsBlockDevices: bad }), launchConfig({ ebsBlockDevices: bad })]);
            }
        });
    });

    describe("ec2-ebs-encrypted: instances launched from a template", () => {
        const encryptedTemplate = () => template({ name: "web-lt", blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }] });
        it("leaves an instance without rootBlockDevice to its launch template, which is judged on its own", async () => {
            const lt = encryptedTemplate();
            const byDependency = res(aws.ec2.Instance, { launchTemplate: { id: UNKNOWN } }, { name: "web", propertyDependencies: { launchTemplate: [lt.urn] } });
            assert.deepStrictEqual(await run(ec2EbsEncrypted, [lt, byDependency]), []);
            assert.deepStrictEqual(await run(ec2EbsEncrypted, [lt, instance({ launchTemplate: { name: "web-lt" } })]), []);
            const bare = template({ name: "web-lt" });
            assert.deepStrictEqual(messages(await run(ec2EbsEncrypted, [bare, instance({ launchTemplate: { name: "web-lt" } })])), [
                "EC2 launch template must encrypt its EBS volumes: blockDeviceMappings maps no EBS volume (the root volume is encrypted only if the AMI's snapshot is), expected true (or EBS encryption by default enabled for the account).",
            ]);
        });
        it("reports a template outside the stack as unverifiable, and still refuses an explicit false or an unencrypted extra volume", async () => {
            const diags = await run(ec2EbsEncrypted, [instance({ launchTemplate: { id: "lt-0abc" } })]);
            unverifiable(diags);
            assert.match(diags[0].message, /^Cannot verify during preview that the launch template the instance takes its root volume from encrypts it: launchTemplate is/);
            const lt = encryptedTemplate();
            assert.strictEqual((await run(ec2EbsEncrypted, [lt, instance({ launchTemplate: { name: "web-lt" }, rootBlockDevice: { encrypted: false } })])).length, 1);
            assert.strictEqual((await run(ec2EbsEncrypted, [lt, instance({ launchTemplate: { name: "web-lt" }, ebsBlockDevices: [{ deviceName: "/dev/sdf" }] })])).length, 1);
        });
    });

    describe("ebs-encryption-by-default", () => {
        it("passes enabled or unset, rejects false as mandatory, reports unknown", async () => {
            assert.deepStrictEqual(await run(ebsEncryptionByDefault, [byDefault(), byDefault(true)]), []);
            const diags = await run(ebsEncryptionByDefault, byDefault(false));
            assert.deepStrictEqual(messages(diags), ["EBS encryption by default must stay enabled: enabled is false, expected true (or unset)."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            const unknown = await run(ebsEncryptionByDefault, byDefault(UNKNOWN_BOOL));
            assert.deepStrictEqual(messages(unknown), [`Cannot verify during preview that EBS encryption by default stays enabled: enabled is (unknown until apply). ${WHY}`]);
            unverifiable(unknown);
            await run(ebsEncryptionByDefault, byDefault("false"));
        });
    });

    describe("ec2-ami-not-public", () => {
        const permission = (props: Record<string, any>) => res(aws.ec2.AmiLaunchPermission, { imageId: "ami-1", ...props }, { name: "share" });
        it("passes sharing with an account or organization, rejects group all as mandatory", async () => {
            assert.deepStrictEqual(await run(ec2AmiNotPublic, [permission({ accountId: "123456789012" }), permission({ organizationArn: UNKNOWN })]), []);
            const diags = await run(ec2AmiNotPublic, permission({ group: "all" }));
            assert.deepStrictEqual(messages(diags), ['AMI launch permission must not make the image public: group is "all", expected a named account, organization or organizational unit.']);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("reports an unknown group as unverifiable and survives odd values", async () => {
            const diags = await run(ec2AmiNotPublic, permission({ group: UNKNOWN }));
            assert.deepStrictEqual(messages(diags), [`Cannot verify during preview that the AMI is not shared with every AWS account: group is (unknown until apply). ${WHY}`]);
            unverifiable(diags);
            for (const group of [null, 42, [], {}]) await run(ec2AmiNotPublic, permission({ group }));
        });
    });

    describe("ebs-snapshot-not-public", () => {
        const permission = (props: Record<string, any>) => res(aws.ec2.SnapshotCreateVolumePermission, { snapshotId: UNKNOWN, ...props }, { name: "share" });
        it("passes a named account, rejects all as mandatory", async () => {
            assert.deepStrictEqual(await run(ebsSnapshotNotPublic, permission({ accountId: "123456789012" })), []);
            const diags = await run(ebsSnapshotNotPublic, permission({ accountId: "all" }));
            assert.deepStrictEqual(messages(diags), ['EBS snapshot permission must not make the snapshot public: accountId is "all", expected a named AWS account id.']);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("reports an unknown account as unverifiable and survives odd values", async () => {
            const diags = await run(ebsSnapshotNotPublic, permission({ accountId: UNKNOWN }));
            assert.deepStrictEqual(messages(diags), [`Cannot verify during preview that the snapshot is shared with a named account, not every AWS account: accountId is (unknown until apply). ${WHY}`]);
            unverifiable(diags);
            for (const accountId of [null, 42, [], {}]) await run(ebsSnapshotNotPublic, permission({ accountId }));
        });
    });

    describe("ec2-block-public-sharing", () => {
        const snapshots = (state: unknown) => res(aws.ebs.SnapshotBlockPublicAccess, { state }, { name: "snapshots" });
        const images = (state: unknown) => res(aws.ec2.ImageBlockPublicAccess, { state }, { name: "images" });
        it("passes blocking states, rejects unblocked as mandatory", async () => {
            assert.deepStrictEqual(await run(ec2BlockPublicSharing, [snapshots("block-all-sharing"), snapshots("block-new-sharing"), images("block-new-sharing")]), []);
            const diags = await run(ec2BlockPublicSharing, [snapshots("unblocked"), images("unblocked")]);
            assert.deepStrictEqual(messages(diags), [
                'EBS snapshot block public access must block public sharing: state is "unblocked", expected "block-all-sharing" or "block-new-sharing".',
                'AMI block public access must block public sharing: state is "unblocked", expected "block-new-sharing".',
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
        });
        it("reports an unknown state as unverifiable and survives odd values", async () => {
            const diags = await run(ec2BlockPublicSharing, images(UNKNOWN));
            assert.deepStrictEqual(messages(diags), [`Cannot verify during preview that AMI block public access blocks public sharing: state is (unknown until apply). ${WHY}`]);
            unverifiable(diags);
            for (const state of [null, 42, [], {}]) assert.strictEqual((await run(ec2BlockPublicSharing, snapshots(state))).length, 1);
        });
    });
});
