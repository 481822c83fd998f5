import * as aws from "@pulumi/aws";
import * as assert from "assert";
import {
    deniesInsecureTransport, efsAccessPointConfined, efsArnSelects, efsEncryptedAtRest, efsInBackupPlan, efsMountTargetPrivateSubnet,
    efsPolicies, efsPolicyNotPublic, efsPolicyRequiresTls, normalizedPath,
} from "../../policies/data/efs";
import { UNKNOWN, UNKNOWN_BOOL, UNKNOWN_NUMBER, messages, res, run } from "./helpers";

const urn = (cls: Function, name: string) => `urn:pulumi:test::baseline::${(cls as any).__pulumiType}::${name}`;
const FS_URN = urn(aws.efs.FileSystem, "shared");
const fs = (props: Record<string, any> = {}) => res(aws.efs.FileSystem, { encrypted: true, ...props }, { name: "shared" });
const backupPolicy = (status: unknown, deps = [FS_URN], fileSystemId: unknown = UNKNOWN) =>
    res(aws.efs.BackupPolicy, { fileSystemId, backupPolicy: { status } }, { name: "shared-backup", propertyDependencies: deps.length ? { fileSystemId: deps } : {} });
const selection = (props: Record<string, any>, deps: Record<string, string[]> = {}, name = "nightly") =>
    res(aws.backup.Selection, { iamRoleArn: "arn:aws:iam::123456789012:role/backup", planId: "plan", ...props }, { name, propertyDependencies: deps });
const fsPolicy = (policy: unknown, deps = [FS_URN], name = "shared-policy") =>
    res(aws.efs.FileSystemPolicy, { fileSystemId: UNKNOWN, policy: typeof policy === "string" || policy === UNKNOWN ? policy : JSON.stringify(policy) }, { name, propertyDependencies: deps.length ? { fileSystemId: deps } : {} });
const TLS_DENY = { Sid: "TlsOnly", Effect: "Deny", Principal: { AWS: "*" }, Action: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } };
const doc = (...Statement: unknown[]) => ({ Version: "2012-10-17", Statement });

const NOT_BACKED_UP = (policyPart: string, selectionPart: string) =>
    `EFS file system must be backed up: ${policyPart} and ${selectionPart}, expected a backup policy with status "ENABLED" or a selection whose resources include its arn (or a matching wildcard).`;
const OPEN = (statement: string) =>
    `EFS file system policy must not be open to every AWS account: policy ${statement} allows the "*" principal without a condition confining the caller, expected named principals, an aws:PrincipalOrgID/aws:PrincipalAccount condition or elasticfilesystem:AccessedViaMountTarget true.`;
const NO_TLS_POLICY = "EFS file system must refuse connections without TLS: no aws.efs.FileSystemPolicy refers to it, so clients may mount without TLS, expected a policy whose Deny statement has aws:SecureTransport false.";
const TLS_NOT_DENIED = (name: string) =>
    `EFS file system must refuse connections without TLS: aws.efs.FileSystemPolicy "${name}" does not deny elasticfilesystem:ClientMount when aws:SecureTransport is false, expected a Deny statement for every principal with that condition.`;

describe("policies: efs", () => {
    it("exports its six policies", () => {
        assert.deepStrictEqual(efsPolicies.map((p) => p.name), [
            "efs-encrypted-at-rest", "efs-in-backup-plan", "efs-access-point-confined", "efs-mount-target-private-subnet", "efs-policy-not-public", "efs-policy-requires-tls",
        ]);
    });

    describe("efs-encrypted-at-rest", () => {
        it("passes an encrypted file system", async () => {
            assert.deepStrictEqual(await run(efsEncryptedAtRest, fs()), []);
        });
        it("rejects an unset or false encrypted, as mandatory", async () => {
            const diags = await run(efsEncryptedAtRest, res(aws.efs.FileSystem, {}));
            assert.deepStrictEqual(messages(diags), ["EFS file system must be encrypted at rest: encrypted is (unset), so AWS creates it unencrypted, expected true."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(efsEncryptedAtRest, fs({ encrypted: false }))), ["EFS file system must be encrypted at rest: encrypted is false, expected true."]);
        });
        it("requires a customer key when configured, and refuses the AWS-managed alias", async () => {
            const config = { requireCustomerKey: true };
            assert.deepStrictEqual(await run(efsEncryptedAtRest, fs({ kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/abc" }), config), []);
            assert.deepStrictEqual(await run(efsEncryptedAtRest, fs({ kmsKeyId: UNKNOWN }), config), []);
            assert.deepStrictEqual(messages(await run(efsEncryptedAtRest, fs(), config)), [
                "EFS file system must be encrypted with a customer-managed KMS key: kmsKeyId is (unset), so aws/elasticfilesystem is used, expected a customer key ARN.",
            ]);
            assert.deepStrictEqual(messages(await run(efsEncryptedAtRest, fs({ kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:alias/aws/elasticfilesystem" }), config)), [
                'EFS file system must be encrypted with a customer-managed KMS key: kmsKeyId is "arn:aws:kms:eu-west-1:123456789012:alias/aws/elasticfilesystem", an AWS-managed key, expected a customer key ARN.',
            ]);
        });
        it("reports an unknown encrypted as unverifiable, never as can't-run", async () => {
            const diags = await run(efsEncryptedAtRest, fs({ encrypted: UNKNOWN_BOOL }));
            assert.deepStrictEqual(messages(diags), [
                "Cannot verify during preview that the file system is encrypted at rest: encrypted is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.ok(!diags[0].cantRunDuringPreview);
        });
    });

    describe("efs-in-backup-plan", () => {
        it("passes with an ENABLED backup policy joined by dependency", async () => {
            assert.deepStrictEqual(await run(efsInBackupPlan, [fs(), backupPolicy("ENABLED")]), []);
        });
        it("passes with a selection holding its arn, a wildcard, a tag or a condition that holds", async () => {
            const tagged = fs({ tags: { backup: "daily" } });
            for (const [sel, target] of [
                [selection({ resources: [UNKNOWN] }, { resources: [FS_URN] }), fs()],
                [selection({ resources: ["arn:aws:elasticfilesystem:*:*:file-system/*"] }), fs()],
                [selection({ resources: ["*"] }), fs()],
                [selection({ selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] }), tagged],
                [selection({ resources: ["*"], conditions: [{ stringEquals: [{ key: "aws:ResourceTag/backup", value: "daily" }] }] }), tagged],
                [selection({ resources: ["*"], conditions: [{ stringLikes: [{ key: "aws:ResourceTag/backup", value: "da*" }] }] }), tagged],
            ] as const) {
                assert.deepStrictEqual(await run(efsInBackupPlan, [target, sel]), []);
            }
        });
        it("rejects a file system nothing backs up, as advisory, on the file system", async () => {
            const diags = await run(efsInBackupPlan, [fs()]);
            assert.deepStrictEqual(messages(diags), [NOT_BACKED_UP("no aws.efs.BackupPolicy refers to it", "the stack has no aws.backup.Selection")]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.strictEqual(diags[0].urn, FS_URN);
        });
        it("rejects a DISABLED policy, and selections of other resources, excluded by notResources or failing a condition", async () => {
            assert.deepStrictEqual(messages(await run(efsInBackupPlan, [fs(), backupPolicy("DISABLED")])), [
                NOT_BACKED_UP('aws.efs.BackupPolicy "shared-backup" has status "DISABLED"', "the stack has no aws.backup.Selection"),
            ]);
            for (const status of [null, "", "ENABLING", "disabled"]) {
                assert.deepStrictEqual(messages(await run(efsInBackupPlan, [fs(), backupPolicy(status)])), [
                    NOT_BACKED_UP(`aws.efs.BackupPolicy "shared-backup" has status ${JSON.stringify(status)}`, "the stack has no aws.backup.Selection"),
                ], String(status));
            }
            const tagged = fs({ tags: { backup: "weekly" } });
            const selections = [
                selection({ resources: ["arn:aws:rds:*:*:db:*"] }, {}, "rds"),
                selection({ resources: ["*"], notResources: ["arn:aws:elasticfilesystem:*:*:file-system/*"] }, {}, "not-efs"),
                selection({ resources: ["*"], conditions: [{ stringEquals: [{ key: "aws:ResourceTag/backup", value: "daily" }] }] }, {}, "daily"),
                selection({ resources: ["*"], conditions: [{ stringNotEquals: [{ key: "aws:ResourceTag/backup", value: "weekly" }] }] }, {}, "not-weekly"),
                selection({ selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] }, {}, "tag-daily"),
            ];
            assert.deepStrictEqual(messages(await run(efsInBackupPlan, [tagged, ...selections])), [
                NOT_BACKED_UP("no aws.efs.BackupPolicy refers to it", "none of the 5 aws.backup.Selection resources selects it"),
            ]);
        });
        it("reports unknown joins, statuses and tags as unverifiable", async () => {
            const cases: [unknown[], string][] = [
                [[fs(), backupPolicy(UNKNOWN)], 'Cannot verify during preview that EFS file system "shared" is backed up: backupPolicy.status is (unknown until apply).'],
                [[fs(), backupPolicy("ENABLED", [])], 'Cannot verify during preview that EFS file system "shared" is backed up: fileSystemId is (unknown until apply).'],
                [[fs(), selection({ resources: [UNKNOWN] })], 'Cannot verify during preview that EFS file system "shared" is backed up: resources is ["04da6b54-80e4-46f7-96ec-b56ff0331ba9"].'],
                [[fs({ tags: UNKNOWN }), selection({ selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: "daily" }] })], 'Cannot verify during preview that EFS file system "shared" is backed up: tags is (unknown until apply).'],
                [[fs({ tags: { backup: UNKNOWN } }), selection({ resources: ["*"], conditions: [{ stringEquals: [{ key: "aws:ResourceTag/backup", value: "daily" }] }] })], 'Cannot verify during preview that EFS file system "shared" is backed up: tags.backup is (unknown until apply).'],
                // Selected by its arn, but an exclusion unknown until apply may name it.
                [[fs(), selection({ resources: [UNKNOWN], notResources: [UNKNOWN] }, { resources: [FS_URN] })], 'Cannot verify during preview that EFS file system "shared" is backed up: notResources is ["04da6b54-80e4-46f7-96ec-b56ff0331ba9"].'],
            ];
            for (const [resources, message] of cases) {
                const diags = await run(efsInBackupPlan, resources as any);
                assert.deepStrictEqual(messages(diags).map((m) => m.replace(/ Re-run .*$/, "")), [message]);
                assert.strictEqual(diags[0].enforcementLevel, "advisory");
                assert.ok(!diags[0].cantRunDuringPreview);
            }
        });
        it("matches only EFS file system ARNs", () => {
            assert.deepStrictEqual(
                ["*", "arn:aws:elasticfilesystem:eu-west-1:123456789012:file-system/*", "arn:aws:elasticfilesystem:*:*:*", "arn:aws:elasticfilesystem:*:*:file-system/fs-0abc", "arn:aws:s3:::*", "not-an-arn"].map((p) => efsArnSelects(p)),
                [true, true, true, false, false, false],
            );
            // Cut short: selects nothing, but excludes what its wildcard reaches.
            assert.deepStrictEqual([efsArnSelects("arn:aws:elasticfilesystem:*"), efsArnSelects("arn:aws:elasticfilesystem:*", true), efsArnSelects("arn:aws:s3:*", true)], [false, true, false]);
        });
        it("never throws on malformed selections, policies and tags", async () => {
            const malformed = [
                backupPolicy(null), res(aws.efs.BackupPolicy, { fileSystemId: "fs-1", backupPolicy: null }, { name: "null-policy" }),
                selection({ resources: null, notResources: [null, 42], selectionTags: [null, {}, { type: 5, key: null }], conditions: [null, { stringEquals: [null, { key: 3 }] }, { stringLikes: "x" }] }, {}, "bad"),
                selection({ resources: "*" }, {}, "not-a-list"),
            ];
            await run(efsInBackupPlan, [fs({ tags: null }), ...malformed]);
            await run(efsInBackupPlan, [fs({ tags: ["a"] }), ...malformed]);
        });
    });

    describe("efs-access-point-confined", () => {
        const ap = (props: Record<string, any>) => res(aws.efs.AccessPoint, { fileSystemId: "fs-1", ...props });
        const good = { rootDirectory: { path: "/app", creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: "750" } }, posixUser: { uid: 1000, gid: 1000 } };
        it("passes a subdirectory and a non-root user", async () => {
            assert.deepStrictEqual(await run(efsAccessPointConfined, ap(good)), []);
        });
        it("rejects no root directory and no user, as advisory", async () => {
            const diags = await run(efsAccessPointConfined, ap({}));
            assert.deepStrictEqual(messages(diags), [
                'EFS access point must enforce a root directory below the file system\'s root: rootDirectory.path is (unset), so clients see the file system\'s root "/", expected a subdirectory such as "/app".',
                "EFS access point must enforce a POSIX user: posixUser is (unset), so clients act as whatever user they claim, expected a uid and gid.",
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "advisory"));
        });
        it("rejects the root path however it is spelt, and uid 0", async () => {
            for (const path of ["/", "//", "/.", "/app/..", ""]) {
                assert.deepStrictEqual(messages(await run(efsAccessPointConfined, ap({ ...good, rootDirectory: { path } }))), [
                    `EFS access point must enforce a root directory below the file system's root: rootDirectory.path is ${JSON.stringify(path)}, expected a subdirectory such as "/app".`,
                ]);
            }
            assert.deepStrictEqual(messages(await run(efsAccessPointConfined, ap({ ...good, posixUser: { uid: 0, gid: 0 } }))), [
                "EFS access point must enforce a non-root POSIX user: posixUser.uid is 0, expected the application's own uid.",
            ]);
        });
        it("reports unknown path and uid as unverifiable", async () => {
            const diags = await run(efsAccessPointConfined, ap({ rootDirectory: { path: UNKNOWN }, posixUser: { uid: UNKNOWN_NUMBER, gid: 1 } }));
            assert.deepStrictEqual(messages(diags).map((m) => m.replace(/ Re-run .*$/, "")), [
                "Cannot verify during preview that the access point enforces a root directory: rootDirectory.path is (unknown until apply).",
                "Cannot verify during preview that the access point enforces a POSIX user: posixUser.uid is (unknown until apply).",
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "advisory" && !d.cantRunDuringPreview));
        });
        it("normalizes paths and never throws on malformed blocks", async () => {
            assert.deepStrictEqual(["/", "/a", "/a/./b/", "/a/../..", "a//b"].map(normalizedPath), ["", "a", "a/b", "", "a/b"]);
            for (const props of [{ rootDirectory: null, posixUser: null }, { rootDirectory: { path: 5 }, posixUser: { uid: null } }, { rootDirectory: "x", posixUser: "y" }]) {
                assert.ok((await run(efsAccessPointConfined, ap(props))).length > 0);
            }
        });
    });

    describe("efs-mount-target-private-subnet", () => {
        const SUBNET_URN = urn(aws.ec2.Subnet, "app-a");
        const subnet = (mapPublicIpOnLaunch: unknown) => res(aws.ec2.Subnet, { vpcId: "vpc-1", cidrBlock: "10.0.1.0/24", mapPublicIpOnLaunch }, { name: "app-a" });
        const mt = (subnetId: unknown, deps: string[] = []) => res(aws.efs.MountTarget, { fileSystemId: "fs-1", subnetId }, { name: "shared-a", propertyDependencies: deps.length ? { subnetId: deps } : {} });
        it("passes private subnets of the stack and opaque ids", async () => {
            assert.deepStrictEqual(await run(efsMountTargetPrivateSubnet, [subnet(false), mt(UNKNOWN, [SUBNET_URN])]), []);
            assert.deepStrictEqual(await run(efsMountTargetPrivateSubnet, mt("subnet-private-a")), []);
        });
        it("rejects a subnet that maps public IPs, or a public id, as mandatory", async () => {
            const diags = await run(efsMountTargetPrivateSubnet, [subnet(true), mt(UNKNOWN, [SUBNET_URN])]);
            assert.deepStrictEqual(messages(diags), [
                'EFS mount target must sit in a subnet that assigns no public IPs: subnetId comes from aws.ec2.Subnet "app-a", which has mapPublicIpOnLaunch true, expected a private or isolated subnet.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(efsMountTargetPrivateSubnet, mt("subnet-public-b"))), [
                'EFS mount target must sit in a subnet that assigns no public IPs: subnetId is "subnet-public-b", a public subnet, expected a private or isolated subnet.',
            ]);
            assert.deepStrictEqual(messages(await run(efsMountTargetPrivateSubnet, mt("subnet-0abc"), { publicSubnetPatterns: ["^subnet-0abc$"] })), [
                'EFS mount target must sit in a subnet that assigns no public IPs: subnetId is "subnet-0abc", a public subnet, expected a private or isolated subnet.',
            ]);
        });
        it("reports an untraceable subnet id or an unknown flag as unverifiable", async () => {
            for (const resources of [[mt(UNKNOWN)], [subnet(UNKNOWN_BOOL), mt(UNKNOWN, [SUBNET_URN])]]) {
                const diags = await run(efsMountTargetPrivateSubnet, resources);
                assert.strictEqual(diags.length, 1);
                assert.match(diags[0].message, /^Cannot verify during preview that EFS mount target "shared-a" sits in a subnet that assigns no public IPs: (subnetId|mapPublicIpOnLaunch) is \(unknown until apply\)/);
                assert.strictEqual(diags[0].enforcementLevel, "advisory");
            }
        });
        it("never throws on malformed ids", async () => {
            for (const id of [null, 42, ["subnet-public-a"], {}]) await run(efsMountTargetPrivateSubnet, mt(id));
        });
    });

    describe("efs-policy-not-public", () => {
        const p = (policy: unknown) => fsPolicy(policy);
        it("passes named principals, an org condition and mount-target-only access", async () => {
            const named = doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/app" }, Action: "elasticfilesystem:ClientMount" });
            const org = doc({ Effect: "Allow", Principal: "*", Action: "elasticfilesystem:ClientMount", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } });
            const mount = doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"], Condition: { Bool: { "elasticfilesystem:AccessedViaMountTarget": "true" } } });
            for (const d of [named, org, mount, doc(TLS_DENY)]) assert.deepStrictEqual(await run(efsPolicyNotPublic, p(d)), []);
        });
        it("rejects * without a narrowing condition, as mandatory", async () => {
            const diags = await run(efsPolicyNotPublic, p(doc({ Sid: "Open", Effect: "Allow", Principal: "*", Action: "elasticfilesystem:*" })));
            assert.deepStrictEqual(messages(diags), [OPEN('statement "Open"')]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("reports an unknown document or condition as unverifiable", async () => {
            const whole = await run(efsPolicyNotPublic, p(UNKNOWN));
            assert.deepStrictEqual(messages(whole).map((m) => m.replace(/ Re-run .*$/, "")), ["Cannot verify during preview that the file system policy is not open to every AWS account: policy is (unknown until apply)."]);
            const cond = await run(efsPolicyNotPublic, res(aws.efs.FileSystemPolicy, { fileSystemId: "fs-1", policy: doc({ Effect: "Allow", Principal: "*", Action: "*", Condition: { StringEquals: UNKNOWN } }) }));
            assert.deepStrictEqual(messages(cond).map((m) => m.replace(/ Re-run .*$/, "")), [
                "Cannot verify during preview that the file system policy is not open to every AWS account: policy.Statement[0].Condition.StringEquals is (unknown until apply).",
            ]);
            const statement = await run(efsPolicyNotPublic, res(aws.efs.FileSystemPolicy, { fileSystemId: "fs-1", policy: { Version: "2012-10-17", Statement: [TLS_DENY, UNKNOWN] } }));
            assert.deepStrictEqual(messages(statement).map((m) => m.replace(/ Re-run .*$/, "")), [
                "Cannot verify during preview that the file system policy is not open to every AWS account: policy.Statement[1] is (unknown until apply).",
            ]);
            assert.ok([...whole, ...cond, ...statement].every((d) => d.enforcementLevel === "advisory" && !d.cantRunDuringPreview));
        });
        it("never throws on documents that are not objects or statements missing fields", async () => {
            for (const d of ["[]", "42", "null", "not json", JSON.stringify({ Statement: [null, 1, {}, { Effect: "Allow" }, { Effect: "Allow", Principal: null, Condition: null }] })]) {
                assert.deepStrictEqual(await run(efsPolicyNotPublic, p(d)), []);
            }
        });
    });

    describe("efs-policy-requires-tls", () => {
        it("passes a policy that denies insecure transport", async () => {
            assert.deepStrictEqual(await run(efsPolicyRequiresTls, [fs(), fsPolicy(doc(TLS_DENY))]), []);
        });
        it("rejects no policy, or one without the deny, as advisory", async () => {
            const none = await run(efsPolicyRequiresTls, [fs()]);
            assert.deepStrictEqual(messages(none), [NO_TLS_POLICY]);
            assert.strictEqual(none[0].enforcementLevel, "advisory");
            const allowOnly = doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/app" }, Action: "elasticfilesystem:ClientMount" });
            assert.deepStrictEqual(messages(await run(efsPolicyRequiresTls, [fs(), fsPolicy(allowOnly)])), [TLS_NOT_DENIED("shared-policy")]);
        });
        it("reports an unknown document or an untraceable policy as unverifiable", async () => {
            for (const resources of [[fs(), fsPolicy(UNKNOWN)], [fs(), fsPolicy(doc(TLS_DENY), [])]]) {
                const diags = await run(efsPolicyRequiresTls, resources);
                assert.strictEqual(diags.length, 1);
                assert.match(diags[0].message, /^Cannot verify during preview that EFS file system "shared" refuses connections without TLS: (policy|fileSystemId) is/);
                assert.ok(!diags[0].cantRunDuringPreview);
            }
        });
        it("decides the deny statement and never throws on malformed documents", async () => {
            assert.strictEqual(deniesInsecureTransport(JSON.stringify(doc(TLS_DENY))), "yes");
            assert.strictEqual(deniesInsecureTransport(JSON.stringify(doc({ ...TLS_DENY, Condition: { BoolIfExists: { "aws:securetransport": false } } }))), "yes");
            assert.strictEqual(deniesInsecureTransport(JSON.stringify(doc({ ...TLS_DENY, Action: "elasticfilesystem:Client*" }))), "yes");
            for (const d of ["[]", "42", "null", "{}", JSON.stringify({ Statement: [null, { Effect: "Deny" }, { Effect: "Deny", Principal: "*", Action: [null], Condition: null }] })]) {
                assert.strictEqual(deniesInsecureTransport(d), "no");
                await run(efsPolicyRequiresTls, [fs(), fsPolicy(d)]);
            }
        });
    });
});
