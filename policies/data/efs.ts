import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { StackResource, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { at, firstUnknown, isSet, isUnknown, list, parseJson, show } from "../lib/props";
import { actionCovers, conditionValues, confinesCaller, isAnyonePrincipal, parseDocument, statementName, values } from "../lib/iam-documents";
import { ofType } from "../lib/by-type";
import { refersTo, sourcesOf, unresolved } from "../lib/joins";
import { ANY_NAME, arnPatternSelects, selectionSelects, whyUnknown } from "../lib/backup-selections";

/**
 * Amazon EFS (catalogue efs-01..efs-06). Security Hub controls checked against "Security Hub controls
 * for Amazon EFS" (docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html): EFS.1 and EFS.8
 * (encrypted at rest), EFS.2 (in backup plans), EFS.3 (access point root directory), EFS.4 (access point
 * user identity), EFS.6 (mount targets not in subnets that assign public IPs), EFS.7 (automatic backups).
 */

const FILE_SYSTEM = tokenOf(aws.efs.FileSystem);
const BACKUP_POLICY = tokenOf(aws.efs.BackupPolicy);
const BACKUP_SELECTION = tokenOf(aws.backup.Selection);
const MOUNT_TARGET = tokenOf(aws.efs.MountTarget);
const EC2_SUBNET = tokenOf(aws.ec2.Subnet);
const FILE_SYSTEM_POLICY = tokenOf(aws.efs.FileSystemPolicy);

/** `alias/aws/...` (or its ARN): an AWS-managed key, not one the account controls. */
export const isAwsManagedKey = (key: unknown) => typeof key === "string" && /(^|:)alias\/aws\//.test(key);

/** efs-01: CreateFileSystem encrypts only when `Encrypted` is true (API_CreateFileSystem); the provider's default is false. */
export const efsEncryptedAtRest = resourcePolicy<{ requireCustomerKey: boolean }>({
    name: "efs-encrypted-at-rest",
    description: "EFS file systems must be encrypted at rest (with a customer-managed KMS key when configured).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `encrypted: true` (and `kmsKeyId` to a customer-managed aws.kms.Key ARN) on the aws.efs.FileSystem; encryption cannot change in place, so the file system is replaced: copy the data first (AWS DataSync).",
    securityHub: ["EFS.1", "EFS.8"],
    catalogue: ["efs-01"],
    config: {
        requireCustomerKey: { type: "boolean", default: false, description: "Also require `kmsKeyId`: a customer-managed key rather than aws/elasticfilesystem." },
    },
    types: [aws.efs.FileSystem],
    check: (fs, { config }, report) => {
        const encrypted = fs.encrypted;
        if (isUnknown(encrypted)) report.unverifiable("encrypted", encrypted, "the file system is encrypted at rest");
        else if (encrypted !== true && encrypted !== "true") {
            const found = encrypted === undefined ? "(unset), so AWS creates it unencrypted" : show(encrypted);
            report.violation(`EFS file system must be encrypted at rest: encrypted is ${found}, expected true.`);
            return;
        }
        if (!config.requireCustomerKey) return;
        const key = fs.kmsKeyId;
        if (!isSet(key)) report.violation("EFS file system must be encrypted with a customer-managed KMS key: kmsKeyId is (unset), so aws/elasticfilesystem is used, expected a customer key ARN.");
        else if (isAwsManagedKey(key)) report.violation(`EFS file system must be encrypted with a customer-managed KMS key: kmsKeyId is ${show(key)}, an AWS-managed key, expected a customer key ARN.`);
    },
});

/** How an EFS backup policy of the stack covers a file system. */
function backupPolicyVerdict(policy: StackResource, fs: StackResource): { verdict: "yes" | "no" | "unknown" | "other"; path?: string } {
    if (!refersTo(policy, "fileSystemId", fs, { ids: [] })) return { verdict: unresolved(policy, "fileSystemId", FILE_SYSTEM) ? "unknown" : "other", path: "fileSystemId" };
    const status = at(policy.props, "backupPolicy.status");
    if (isUnknown(status) || isUnknown(policy.props.backupPolicy)) return { verdict: "unknown", path: "backupPolicy.status" };
    return { verdict: typeof status === "string" && status.toUpperCase() === "ENABLED" ? "yes" : "no" };
}

/** Selection entries that match an EFS file system's ARN, `arn:aws:elasticfilesystem:<region>:<account>:file-system/fs-...` (the id is AWS's). */
export const efsArnSelects = (pattern: string, loose = false) => arnPatternSelects(pattern, "elasticfilesystem", `file-system/${ANY_NAME}`, loose);

/**
 * efs-02: daily backups outside the file system. Either EFS's own automatic backups (an aws.efs.BackupPolicy
 * with status ENABLED, EFS.7) or an AWS Backup selection that covers the file system (EFS.2).
 */
export const efsInBackupPlan = stackPolicy({
    name: "efs-in-backup-plan",
    description: "EFS file systems must be backed up: an aws.efs.BackupPolicy with status ENABLED, or an aws.backup.Selection of this stack that selects them.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps:
        'Add an aws.efs.BackupPolicy with `fileSystemId: fs.id` and `backupPolicy: { status: "ENABLED" }`, or add the file system\'s `arn` to the `resources` ' +
        "of an aws.backup.Selection (or select it by a tag it carries) of a plan with a vault.",
    securityHub: ["EFS.2", "EFS.7"],
    catalogue: ["efs-02"],
    types: [FILE_SYSTEM],
    check: (resources, _ctx, report) => {
        const fileSystems = ofType(resources, FILE_SYSTEM);
        if (fileSystems.length === 0) return;
        const policies = ofType(resources, BACKUP_POLICY);
        const selections = ofType(resources, BACKUP_SELECTION);
        for (const fs of fileSystems) {
            const requirement = `EFS file system "${fs.name}" is backed up`;
            const byPolicy = policies.map((p) => ({ p, ...backupPolicyVerdict(p, fs) }));
            if (byPolicy.some((v) => v.verdict === "yes")) continue;
            const bySelection = selections.map((s) => ({ s, verdict: selectionSelects(s, fs, efsArnSelects) }));
            if (bySelection.some((v) => v.verdict === "yes")) continue;
            const unsurePolicy = byPolicy.find((v) => v.verdict === "unknown");
            const unsureSelection = bySelection.find((v) => v.verdict === "unknown");
            if (unsurePolicy) report.unverifiable(unsurePolicy.p, unsurePolicy.path!, requirement);
            else if (unsureSelection) {
                const why = whyUnknown(unsureSelection.s, fs);
                report.unverifiable(why.resource, why.path, requirement);
            } else {
                const disabled = byPolicy.find((v) => v.verdict === "no");
                const policyPart = disabled
                    ? `aws.efs.BackupPolicy "${disabled.p.name}" has status ${show(at(disabled.p.props, "backupPolicy.status"))}`
                    : "no aws.efs.BackupPolicy refers to it";
                const selectionPart = selections.length === 0 ? "the stack has no aws.backup.Selection" : `none of the ${selections.length} aws.backup.Selection resources selects it`;
                report.violation(fs, `EFS file system must be backed up: ${policyPart} and ${selectionPart}, expected a backup policy with status "ENABLED" or a selection whose resources include its arn (or a matching wildcard).`);
            }
        }
    },
});

/** The path below an access point's root, "" for the file system's root ("/", "//", "/.", "/a/.."). */
export function normalizedPath(path: string): string {
    const parts: string[] = [];
    for (const part of path.split("/")) {
        if (part === "" || part === ".") continue;
        if (part === "..") parts.pop();
        else parts.push(part);
    }
    return parts.join("/");
}

/** efs-03: an access point confines its clients to one directory, as one non-root POSIX user. */
export const efsAccessPointConfined = resourcePolicy({
    name: "efs-access-point-confined",
    description: "EFS access points must enforce a root directory below the file system's root and a non-root POSIX user.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: 'Set `rootDirectory: { path: "/<app>", creationInfo: { ownerUid, ownerGid, permissions: "750" } }` and `posixUser: { uid, gid }` (not 0) on the aws.efs.AccessPoint.',
    securityHub: ["EFS.3", "EFS.4"],
    catalogue: ["efs-03"],
    types: [aws.efs.AccessPoint],
    check: (ap, _ctx, report) => {
        const root = ap.rootDirectory;
        const path = at(ap, "rootDirectory.path");
        if (isUnknown(root) || isUnknown(path)) report.unverifiable("rootDirectory.path", path, "the access point enforces a root directory");
        else if (typeof path !== "string" || normalizedPath(path) === "") {
            const found = path === undefined ? '(unset), so clients see the file system\'s root "/"' : show(path);
            report.violation(`EFS access point must enforce a root directory below the file system's root: rootDirectory.path is ${found}, expected a subdirectory such as "/app".`);
        }
        const user = ap.posixUser;
        const uid = at(ap, "posixUser.uid");
        if (isUnknown(user) || isUnknown(uid)) report.unverifiable("posixUser.uid", uid, "the access point enforces a POSIX user");
        else if (user === undefined || user === null || typeof user !== "object") {
            report.violation(`EFS access point must enforce a POSIX user: posixUser is ${show(user ?? undefined)}, so clients act as whatever user they claim, expected a uid and gid.`);
        } else if (uid === 0 || uid === "0") {
            report.violation(`EFS access point must enforce a non-root POSIX user: posixUser.uid is ${show(uid)}, expected the application's own uid.`);
        } else if (typeof uid !== "number" && typeof uid !== "string") {
            report.violation(`EFS access point must enforce a POSIX user: posixUser.uid is ${show(uid)}, expected a uid.`);
        }
    },
});

/** Where a mount target's subnet is public, or could not be read: a message part, or an unknown to report. */
function publicSubnetOf(mt: StackResource, patterns: RegExp[]): { found?: string; unknown?: { resource: StackResource; path: string } } {
    const subnets = sourcesOf(mt, "subnetId", EC2_SUBNET);
    for (const s of subnets) {
        const flag = s.props.mapPublicIpOnLaunch;
        if (flag === true) return { found: `subnetId comes from aws.ec2.Subnet "${s.name}", which has mapPublicIpOnLaunch true` };
        if (isUnknown(flag)) return { unknown: { resource: s, path: "mapPublicIpOnLaunch" } };
    }
    const id = mt.props.subnetId;
    if (typeof id === "string" && !isUnknown(id) && patterns.some((p) => p.test(id))) return { found: `subnetId is ${show(id)}, a public subnet` };
    if (isUnknown(id) && subnets.length === 0) return { unknown: { resource: mt, path: "subnetId" } };
    return {};
}

/** efs-04: a mount target in a subnet that assigns public IPs gets a public address on its interface (EFS.6). */
export const efsMountTargetPrivateSubnet = stackPolicy<{ publicSubnetPatterns: string[] }>({
    name: "efs-mount-target-private-subnet",
    description: "EFS mount targets must sit in subnets that do not assign public IP addresses on launch.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Create the aws.efs.MountTarget in the VPC's private or isolated subnets (`subnetId: vpc.privateSubnetIds[i]`). On AWS, list the ids of public subnets created outside the stack in `publicSubnetPatterns`.",
    securityHub: ["EFS.6"],
    catalogue: ["efs-04"],
    config: {
        publicSubnetPatterns: {
            type: "array", items: { type: "string" }, default: ["public"],
            description: "Regular expressions (case-insensitive) that mark a subnet id as public. The default matches the mock ids of awsx public subnets.",
        },
    },
    check: (resources, { config }, report) => {
        const mountTargets = ofType(resources, MOUNT_TARGET);
        if (mountTargets.length === 0) return;
        const patterns = config.publicSubnetPatterns.map((p) => new RegExp(p, "i"));
        for (const mt of mountTargets) {
            const { found, unknown } = publicSubnetOf(mt, patterns);
            if (found) report.violation(mt, `EFS mount target must sit in a subnet that assigns no public IPs: ${found}, expected a private or isolated subnet.`);
            else if (unknown) report.unverifiable(unknown.resource, unknown.path, `EFS mount target "${mt.name}" sits in a subnet that assigns no public IPs`);
        }
    },
});

/** A condition that limits the statement to NFS clients coming through a mount target: the access EFS grants with no policy at all. */
function throughMountTargetOnly(condition: unknown): boolean {
    const held = conditionValues(condition, "Bool", "elasticfilesystem:AccessedViaMountTarget");
    return held !== undefined && held.length > 0 && held.every((v) => v === true || (typeof v === "string" && v.toLowerCase() === "true"));
}

/** efs-05: a file system policy must not let any AWS account mount, write or manage the file system. */
export const efsPolicyNotPublic = resourcePolicy({
    name: "efs-policy-not-public",
    description: 'EFS file system policies must not allow the "*" principal unless a condition confines the caller to known accounts or the organization, or to clients coming through a mount target.',
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Name the roles that mount the file system in the aws.efs.FileSystemPolicy's `policy`, or add `Condition: { StringEquals: { \"aws:PrincipalOrgID\": \"o-...\" } }` " +
        '(or `Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" }` for NFS clients in the VPC).',
    catalogue: ["efs-05"],
    types: [aws.efs.FileSystemPolicy],
    check: (p, _ctx, report) => {
        const parsed = parseDocument(p.policy);
        const requirement = "the file system policy is not open to every AWS account";
        if (parsed.kind === "unknown") return report.unverifiable("policy", p.policy, requirement);
        if (parsed.kind !== "ok") return;
        if (parsed.statementsUnknown) {
            const statements = parseJson(p.policy)?.Statement;
            report.unverifiable(firstUnknown(statements, "policy.Statement") ?? "policy.Statement", isUnknown(statements) ? statements : list(statements).find(isUnknown), requirement);
        }
        parsed.statements.forEach((s, i) => {
            const where = `policy.Statement[${i}]`;
            if (isUnknown(s.Effect)) return report.unverifiable(`${where}.Effect`, s.Effect, requirement);
            if (s.Effect !== "Allow") return;
            const principal = s.NotPrincipal !== undefined ? "*" : s.Principal;
            if (isUnknown(principal) || isUnknown((principal as any)?.AWS)) return report.unverifiable(`${where}.Principal`, principal, requirement);
            if (!isAnyonePrincipal(principal)) return;
            if (confinesCaller(s.Condition) || throughMountTargetOnly(s.Condition)) return;
            const unknownCondition = firstUnknown(s.Condition, `${where}.Condition`);
            if (unknownCondition) return report.unverifiable(unknownCondition, at(s.Condition, unknownCondition.slice(`${where}.Condition`.length).replace(/^\./, "")), requirement);
            report.violation(
                `EFS file system policy must not be open to every AWS account: policy ${statementName(s, i)} allows the "*" principal without a condition confining the caller, ` +
                    "expected named principals, an aws:PrincipalOrgID/aws:PrincipalAccount condition or elasticfilesystem:AccessedViaMountTarget true.",
            );
        });
    },
});

/** A statement denying everyone elasticfilesystem:ClientMount over connections without TLS (aws:SecureTransport false). */
export function deniesInsecureTransport(document: unknown): "yes" | "no" | "unknown" {
    const parsed = parseDocument(document);
    if (parsed.kind === "unknown") return "unknown";
    if (parsed.kind !== "ok") return "no";
    const denies = parsed.statements.some((s) =>
        s.Effect === "Deny" && s.NotAction === undefined && s.NotPrincipal === undefined && isAnyonePrincipal(s.Principal) &&
        values(s.Action).some((a) => typeof a === "string" && actionCovers(a, "elasticfilesystem:ClientMount")) &&
        ["Bool", "BoolIfExists"].some((op) => {
            const held = conditionValues(s.Condition, op, "aws:SecureTransport");
            return held !== undefined && held.length > 0 && held.every((v) => v === false || (typeof v === "string" && v.toLowerCase() === "false"));
        }));
    if (denies) return "yes";
    return parsed.statementsUnknown || firstUnknown(parseJson(document), "") !== undefined ? "unknown" : "no";
}

/** efs-06: NFS clients that mount without TLS (no `-o tls`) read and write in clear text. */
export const efsPolicyRequiresTls = stackPolicy({
    name: "efs-policy-requires-tls",
    description: "EFS file systems must have an aws.efs.FileSystemPolicy that denies mounting over connections without TLS (aws:SecureTransport false).",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps:
        'Add an aws.efs.FileSystemPolicy with `fileSystemId: fs.id` and a statement `{ Effect: "Deny", Principal: { AWS: "*" }, Action: "*", ' +
        'Condition: { Bool: { "aws:SecureTransport": "false" } } }`, and mount with the EFS mount helper\'s `-o tls`.',
    catalogue: ["efs-06"],
    types: [FILE_SYSTEM],
    check: (resources, _ctx, report) => {
        const fileSystems = ofType(resources, FILE_SYSTEM);
        if (fileSystems.length === 0) return;
        const policies = ofType(resources, FILE_SYSTEM_POLICY);
        const untraceable = policies.find((p) => unresolved(p, "fileSystemId", FILE_SYSTEM));
        for (const fs of fileSystems) {
            const requirement = `EFS file system "${fs.name}" refuses connections without TLS`;
            const own = policies.filter((p) => refersTo(p, "fileSystemId", fs, { ids: [] }));
            const verdicts = own.map((p) => deniesInsecureTransport(p.props.policy));
            if (verdicts.includes("yes")) continue;
            const unsure = own.find((_p, i) => verdicts[i] === "unknown");
            if (unsure) report.unverifiable(unsure, "policy", requirement);
            else if (own.length > 0) report.violation(fs, `EFS file system must refuse connections without TLS: aws.efs.FileSystemPolicy "${own[0].name}" does not deny elasticfilesystem:ClientMount when aws:SecureTransport is false, expected a Deny statement for every principal with that condition.`);
            else if (untraceable) report.unverifiable(untraceable, "fileSystemId", requirement);
            else report.violation(fs, "EFS file system must refuse connections without TLS: no aws.efs.FileSystemPolicy refers to it, so clients may mount without TLS, expected a policy whose Deny statement has aws:SecureTransport false.");
        }
    },
});

export const efsPolicies: Policies = [
    efsEncryptedAtRest, // efs-01
    efsInBackupPlan, // efs-02
    efsAccessPointConfined, // efs-03
    efsMountTargetPrivateSubnet, // efs-04
    efsPolicyNotPublic, // efs-05
    efsPolicyRequiresTls, // efs-06
];
