import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { isFalse, isTrue, isUnknown, list, show } from "../lib/props";
import { ofType } from "../lib/by-type";
import { INSTANCE, LAUNCH_CONFIGURATION, LAUNCH_TEMPLATE, SPOT_INSTANCE_REQUEST, isInstanceLike, kindOf, templateOf } from "./ec2-instances";

/**
 * EBS and machine images: volumes and the block devices instances launch with are encrypted, the
 * account default is not switched off, and neither images nor snapshots are shared with everyone.
 */

const VOLUME = tokenOf(aws.ebs.Volume);
const ENCRYPTION_BY_DEFAULT = tokenOf(aws.ebs.EncryptionByDefault);
const STORAGE_TYPES = [VOLUME, INSTANCE, SPOT_INSTANCE_REQUEST, LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION];

/** One EBS volume a resource declares: where its `encrypted` flag sits and what it holds. */
export interface VolumeFlag {
    path: string;
    value: unknown;
}

/** A block device entry's flag; a list or entry unknown until apply is one unknown flag. */
function entries(value: unknown, path: string, flag: (entry: any) => unknown): VolumeFlag[] {
    if (isUnknown(value)) return [{ path, value }];
    return list(value).map((e, i) => (isUnknown(e) ? { path: `${path}[${i}]`, value: e } : { path: `${path}[${i}].encrypted`, value: flag(e) }));
}

/**
 * The EBS volumes a resource creates. An instance (or launch configuration) without `rootBlockDevice`
 * still gets a root volume, encrypted only as the AMI's snapshot is; so does a launch template
 * that maps no EBS volume.
 */
export function volumeFlags(type: string, props: Record<string, any>): VolumeFlag[] {
    if (type === VOLUME) return [{ path: "encrypted", value: props.encrypted }];
    if (type === LAUNCH_TEMPLATE) {
        const mappings = props.blockDeviceMappings;
        if (isUnknown(mappings)) return [{ path: "blockDeviceMappings", value: mappings }];
        const flags: VolumeFlag[] = [];
        list(mappings).forEach((m, i) => {
            if (isUnknown(m)) flags.push({ path: `blockDeviceMappings[${i}]`, value: m });
            else if (m !== null && typeof m === "object" && isUnknown(m.ebs)) flags.push({ path: `blockDeviceMappings[${i}].ebs`, value: m.ebs });
            else if (m !== null && typeof m === "object" && m.ebs !== null && typeof m.ebs === "object") flags.push({ path: `blockDeviceMappings[${i}].ebs.encrypted`, value: m.ebs.encrypted });
        });
        return flags.length > 0 ? flags : [{ path: "blockDeviceMappings", value: undefined }];
    }
    const root = props.rootBlockDevice;
    const rootFlag: VolumeFlag = isUnknown(root) ? { path: "rootBlockDevice", value: root } : { path: "rootBlockDevice.encrypted", value: root !== null && typeof root === "object" ? root.encrypted : undefined };
    return [rootFlag, ...entries(props.ebsBlockDevices, "ebsBlockDevices", (e) => (e !== null && typeof e === "object" ? e.encrypted : undefined))];
}


/** ec2-04: data at rest on EBS (volumes, roots, template mappings) is encrypted. */
export const ec2EbsEncrypted = stackPolicy<{ accountEncryptionByDefault: boolean }>({
    name: "ec2-ebs-encrypted",
    description: "EBS volumes, and the volumes instances, launch templates and launch configurations create, must be encrypted.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `encrypted: true` on the aws.ebs.Volume, on `rootBlockDevice` and every `ebsBlockDevices` entry of the instance or launch configuration, and `ebs: { encrypted: \"true\" }` in every launch template block device mapping (with `kmsKeyId` for a customer key); or enable EBS encryption by default (aws.ebs.EncryptionByDefault) for the account and region.",
    securityHub: ["EC2.3", "EC2.181"],
    catalogue: ["ec2-04"],
    config: {
        accountEncryptionByDefault: {
            type: "boolean", default: false,
            description: "The account enables EBS encryption by default outside this stack: volumes that leave `encrypted` unset then pass (an explicit false still fails).",
        },
    },
    types: [...STORAGE_TYPES],
    check: (resources, { config }, report) => {
        const defaults = ofType(resources, ENCRYPTION_BY_DEFAULT);
        // An aws.ebs.EncryptionByDefault in the stack whose `enabled` is unset (its default is true) or true.
        const byDefault = config.accountEncryptionByDefault || defaults.some((d) => d.props.enabled === undefined || d.props.enabled === null || d.props.enabled === true);
        const byDefaultUnknown = !byDefault && defaults.some((d) => isUnknown(d.props.enabled));
        const templates = ofType(resources, LAUNCH_TEMPLATE);
        for (const r of ofType(resources, ...STORAGE_TYPES)) {
            const kind = r.type === VOLUME ? "EBS volume" : kindOf(r.type);
            const lt = isInstanceLike(r.type) ? r.props.launchTemplate : undefined;
            const fromTemplate = isUnknown(lt) || (lt !== null && typeof lt === "object" && !Array.isArray(lt));
            for (const f of volumeFlags(r.type, r.props)) {
                if (isTrue(f.value)) continue;
                if (isUnknown(f.value)) report.unverifiable(r, f.path, "the EBS volume is encrypted");
                else if (isFalse(f.value)) report.violation(r, `${kind} must encrypt its EBS volumes: ${f.path} is ${show(f.value)}, expected true.`);
                else if (byDefault) continue;
                else if (fromTemplate && f.path === "rootBlockDevice.encrypted") {
                    // Left out of the instance, the root volume is the launch template's mapping: the template is judged on its own.
                    if (!templateOf(r, templates)) report.unverifiable(r, "launchTemplate", "the launch template the instance takes its root volume from encrypts it");
                }
                else if (byDefaultUnknown) report.unverifiable(r, f.path, "EBS encryption by default (enabled unknown until apply) encrypts the volume");
                else {
                    const found = f.path === "blockDeviceMappings" ? "blockDeviceMappings maps no EBS volume (the root volume is encrypted only if the AMI's snapshot is)" : `${f.path} is ${show(f.value ?? undefined)}`;
                    report.violation(r, `${kind} must encrypt its EBS volumes: ${found}, expected true (or EBS encryption by default enabled for the account).`);
                }
            }
        }
    },
});

/** ec2-05: the account default is the safety net for every volume created outside this program. */
export const ebsEncryptionByDefault = resourcePolicy({
    name: "ebs-encryption-by-default",
    description: "aws.ebs.EncryptionByDefault must not switch EBS encryption by default off.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `enabled: true` (or leave it unset) on the aws.ebs.EncryptionByDefault.",
    securityHub: ["EC2.7"],
    catalogue: ["ec2-05"],
    types: [aws.ebs.EncryptionByDefault],
    check: (props, _ctx, report) => {
        if (isUnknown(props.enabled)) report.unverifiable("enabled", props.enabled, "EBS encryption by default stays enabled");
        else if (props.enabled === false) report.violation("EBS encryption by default must stay enabled: enabled is false, expected true (or unset).");
    },
});

const isAll = (value: unknown) => typeof value === "string" && !isUnknown(value) && value.trim().toLowerCase() === "all";

/** ec2-07: an AMI shared with "all" can be launched, and its disks read, by every AWS account. */
export const ec2AmiNotPublic = resourcePolicy({
    name: "ec2-ami-not-public",
    description: "AMI launch permissions must not share an image with every AWS account (group \"all\").",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Share the AMI with named accounts (`accountId`) or the organization (`organizationArn` / `organizationalUnitArn`) on the aws.ec2.AmiLaunchPermission, never `group: \"all\"`.",
    catalogue: ["ec2-07"],
    types: [aws.ec2.AmiLaunchPermission],
    check: (props, _ctx, report) => {
        for (const input of ["group", "accountId"]) {
            const value = props[input];
            if (isUnknown(value) && input === "group") report.unverifiable(input, value, "the AMI is not shared with every AWS account");
            else if (isAll(value)) report.violation(`AMI launch permission must not make the image public: ${input} is ${show(value)}, expected a named account, organization or organizational unit.`);
        }
    },
});

/**
 * ec2-08: a snapshot anyone can restore leaks the volume's data. v7's SnapshotCreateVolumePermission
 * has only `accountId` (the provider sends it as the permission's UserId); `group` is read too, for
 * providers that add it, and "all" in either is the public grant.
 */
export const ebsSnapshotNotPublic = resourcePolicy({
    name: "ebs-snapshot-not-public",
    description: "EBS snapshot create-volume permissions must not share a snapshot with every AWS account.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Grant `accountId` a named AWS account on the aws.ec2.SnapshotCreateVolumePermission, never \"all\"; share data across the organization through AWS Backup or encrypted copies instead.",
    securityHub: ["EC2.1"],
    catalogue: ["ec2-08"],
    types: [aws.ec2.SnapshotCreateVolumePermission],
    check: (props, _ctx, report) => {
        for (const input of ["accountId", "group"]) {
            const value = props[input];
            if (isUnknown(value)) report.unverifiable(input, value, "the snapshot is shared with a named account, not every AWS account");
            else if (isAll(value)) report.violation(`EBS snapshot permission must not make the snapshot public: ${input} is ${show(value)}, expected a named AWS account id.`);
        }
    },
});

const BLOCKING: Record<string, { label: string; states: string[] }> = {
    [tokenOf(aws.ebs.SnapshotBlockPublicAccess)]: { label: "EBS snapshot block public access", states: ["block-all-sharing", "block-new-sharing"] },
    [tokenOf(aws.ec2.ImageBlockPublicAccess)]: { label: "AMI block public access", states: ["block-new-sharing"] },
};

/** ec2-09: the region-wide switches that stop snapshots and AMIs being made public are not turned off. */
export const ec2BlockPublicSharing = resourcePolicy({
    name: "ec2-block-public-sharing",
    description: "EBS snapshot and AMI block public access settings must block public sharing, never be \"unblocked\".",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set `state: "block-all-sharing"` on the aws.ebs.SnapshotBlockPublicAccess and `state: "block-new-sharing"` on the aws.ec2.ImageBlockPublicAccess.',
    catalogue: ["ec2-09"],
    types: [aws.ebs.SnapshotBlockPublicAccess, aws.ec2.ImageBlockPublicAccess],
    check: (props, { type }, report) => {
        const { label, states } = BLOCKING[type];
        const state = props.state;
        if (isUnknown(state)) report.unverifiable("state", state, `${label} blocks public sharing`);
        else if (!(typeof state === "string" && states.includes(state.trim().toLowerCase()))) {
            report.violation(`${label} must block public sharing: state is ${show(state)}, expected ${states.map((s) => `"${s}"`).join(" or ")}.`);
        }
    },
});

export const ec2ImagePolicies: Policies = [ec2EbsEncrypted, ebsEncryptionByDefault, ec2AmiNotPublic, ebsSnapshotNotPublic, ec2BlockPublicSharing];
