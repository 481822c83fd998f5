import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { cacheStoreCustomerKey, elasticacheUserGroupNoOpenUser, elasticacheServerlessSnapshots, elasticacheServerlessUserGroup, memorydbSnapshots, memorydbTlsAndAcl, memorydbUpgradesAndReplicas } from "../../policies/data/cache-serverless";
import { efsAccessPointConfined, efsEncryptedAtRest, efsInBackupPlan, efsMountTargetPrivateSubnet, efsPolicyNotPublic, efsPolicyRequiresTls } from "../../policies/data/efs";
import { UNKNOWN, messages, res, run } from "./helpers";

/** Ways around the file and cache store policies: other spellings, conditions that do not narrow, joins to the wrong resource. */

const urn = (cls: Function, name: string) => `urn:pulumi:test::baseline::${(cls as any).__pulumiType}::${name}`;
const fs = (name: string, props: Record<string, any> = {}) => res(aws.efs.FileSystem, { encrypted: true, ...props }, { name });
const fsPolicy = (policy: unknown, fsName = "shared", name = "shared-policy") =>
    res(aws.efs.FileSystemPolicy, { fileSystemId: UNKNOWN, policy: typeof policy === "string" ? policy : JSON.stringify(policy) }, { name, propertyDependencies: { fileSystemId: [urn(aws.efs.FileSystem, fsName)] } });
const doc = (...Statement: unknown[]) => ({ Version: "2012-10-17", Statement });
const allow = (extra: Record<string, unknown>) => ({ Sid: "S", Effect: "Allow", Action: "elasticfilesystem:Client*", ...extra });
const policyNames = (diags: { policyName: string }[]) => diags.map((d) => d.policyName);

describe("bypass: file and cache stores", () => {
    describe("EFS file system policies", () => {
        it('treat every spelling of the "*" principal as anyone', async () => {
            for (const principal of [{ Principal: "*" }, { Principal: { AWS: "*" } }, { Principal: { AWS: ["arn:aws:iam::123456789012:root", "*"] } }, { NotPrincipal: { AWS: "arn:aws:iam::123456789012:root" } }]) {
                assert.strictEqual((await run(efsPolicyNotPublic, fsPolicy(doc(allow(principal))))).length, 1, JSON.stringify(principal));
            }
        });
        it("take a policy given as an object, or a single statement that is not in a list", async () => {
            const object = res(aws.efs.FileSystemPolicy, { fileSystemId: "fs-1", policy: doc(allow({ Principal: "*" })) });
            assert.strictEqual((await run(efsPolicyNotPublic, object)).length, 1);
            assert.strictEqual((await run(efsPolicyNotPublic, fsPolicy({ Version: "2012-10-17", Statement: allow({ Principal: "*" }) }))).length, 1);
        });
        it("do not count conditions that do not narrow the caller", async () => {
            for (const Condition of [
                { StringLike: { "aws:PrincipalOrgID": "*" } },
                { StringEquals: { "aws:PrincipalOrgID": "o-*" } },
                { StringNotEquals: { "aws:PrincipalAccount": "111111111111" } },
                { StringEqualsIfExists: { "aws:PrincipalAccount": "123456789012" } },
                { BoolIfExists: { "elasticfilesystem:AccessedViaMountTarget": "true" } },
                { Bool: { "elasticfilesystem:AccessedViaMountTarget": "false" } },
                { Bool: { "aws:SecureTransport": "true" } },
                { StringEquals: { "aws:PrincipalOrgID": [] } },
            ]) {
                assert.strictEqual((await run(efsPolicyNotPublic, fsPolicy(doc(allow({ Principal: { AWS: "*" }, Condition }))))).length, 1, JSON.stringify(Condition));
            }
        });
        it("accept condition keys in any case, as IAM does", async () => {
            assert.deepStrictEqual(await run(efsPolicyNotPublic, fsPolicy(doc(allow({ Principal: "*", Condition: { StringEquals: { "aws:principalorgid": "o-abc123" } } })))), []);
            assert.deepStrictEqual(await run(efsPolicyNotPublic, fsPolicy(doc(allow({ Principal: "*", Condition: { Bool: { "ElasticFileSystem:accessedViaMountTarget": true } } })))), []);
        });
        it("do not take a TLS deny that misses mounting, names one principal, tests the wrong value or uses NotAction", async () => {
            const deny = { Effect: "Deny", Principal: { AWS: "*" }, Action: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } };
            for (const bad of [
                { ...deny, Action: "elasticfilesystem:ClientWrite" },
                { ...deny, Principal: { AWS: "arn:aws:iam::123456789012:role/app" } },
                { ...deny, Condition: { Bool: { "aws:SecureTransport": "true" } } },
                { ...deny, Condition: { Bool: { "aws:SecureTransport": ["false", "true"] } } },
                { ...deny, Action: undefined, NotAction: "elasticfilesystem:DeleteFileSystem" },
                { ...deny, Effect: "Allow" },
            ]) {
                assert.strictEqual((await run(efsPolicyRequiresTls, [fs("shared"), fsPolicy(doc(bad))])).length, 1, JSON.stringify(bad));
            }
            for (const good of [{ ...deny, Action: "*:*" }, { ...deny, Action: "ELASTICFILESYSTEM:CLIENTMOUNT" }, { ...deny, Principal: "*" }]) {
                assert.deepStrictEqual(await run(efsPolicyRequiresTls, [fs("shared"), fsPolicy(doc(good))]), [], JSON.stringify(good));
            }
        });
        it("do not let another file system's TLS policy cover this one", async () => {
            const deny = doc({ Effect: "Deny", Principal: "*", Action: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
            const diags = await run(efsPolicyRequiresTls, [fs("shared"), fs("other"), fsPolicy(deny, "other", "other-policy")]);
            assert.deepStrictEqual(diags.map((d) => d.urn), [urn(aws.efs.FileSystem, "shared")]);
        });
    });

    describe("EFS backups", () => {
        const enabledFor = (fsName: string) =>
            res(aws.efs.BackupPolicy, { fileSystemId: UNKNOWN, backupPolicy: { status: "ENABLED" } }, { name: `${fsName}-backup`, propertyDependencies: { fileSystemId: [urn(aws.efs.FileSystem, fsName)] } });
        const selection = (props: Record<string, any>, deps: Record<string, string[]> = {}) =>
            res(aws.backup.Selection, { iamRoleArn: "arn:aws:iam::123456789012:role/backup", planId: "plan", ...props }, { name: "sel", propertyDependencies: deps });
        it("do not count a backup policy or a selection of another file system", async () => {
            const other = urn(aws.efs.FileSystem, "other");
            for (const extra of [enabledFor("other"), selection({ resources: [UNKNOWN] }, { resources: [other] })]) {
                const diags = await run(efsInBackupPlan, [fs("shared"), fs("other"), extra]);
                assert.deepStrictEqual(diags.map((d) => d.urn), [urn(aws.efs.FileSystem, "shared")], extra.type);
            }
        });
        it("do not count wildcards over other EFS resources or services, tag keys in another case, or a selection that excludes it", async () => {
            for (const props of [
                { resources: ["arn:aws:elasticfilesystem:*:*:access-point/*"] },
                { resources: ["arn:aws:dynamodb:*:*:table/*"] },
                { selectionTags: [{ type: "STRINGEQUALS", key: "Backup", value: "daily" }] },
                { resources: ["*"], notResources: ["arn:aws:elasticfilesystem:*"] },
                { resources: ["*"], conditions: [{ stringNotLikes: [{ key: "aws:ResourceTag/backup", value: "da*" }] }] },
                { resources: ["*"], conditions: [{ stringEquals: [{ key: "backup", value: "daily" }] }] },
            ]) {
                assert.strictEqual((await run(efsInBackupPlan, [fs("shared", { tags: { backup: "daily" } }), selection(props)])).length, 1, JSON.stringify(props));
            }
        });
    });

    describe("EFS settings", () => {
        it("refuse encrypted written as a string false", async () => {
            assert.strictEqual((await run(efsEncryptedAtRest, fs("shared", { encrypted: "false" }))).length, 1);
        });
        it("refuse root paths with dot segments and a root uid given as a string", async () => {
            for (const path of ["/./", "/app/../", "/a/b/../../"]) {
                assert.strictEqual((await run(efsAccessPointConfined, res(aws.efs.AccessPoint, { fileSystemId: "fs-1", rootDirectory: { path }, posixUser: { uid: 1000, gid: 1000 } }))).length, 1, path);
            }
            assert.strictEqual((await run(efsAccessPointConfined, res(aws.efs.AccessPoint, { fileSystemId: "fs-1", rootDirectory: { path: "/app" }, posixUser: { uid: "0", gid: 0 } }))).length, 1);
        });
        it("judge a mount target by its subnet even when the id looks private, and match public ids in any case", async () => {
            const subnet = res(aws.ec2.Subnet, { vpcId: "vpc-1", mapPublicIpOnLaunch: true }, { name: "edge-a" });
            const mt = res(aws.efs.MountTarget, { fileSystemId: "fs-1", subnetId: "subnet-private-a" }, { name: "mt", propertyDependencies: { subnetId: [urn(aws.ec2.Subnet, "edge-a")] } });
            assert.strictEqual((await run(efsMountTargetPrivateSubnet, [subnet, mt])).length, 1);
            assert.strictEqual((await run(efsMountTargetPrivateSubnet, res(aws.efs.MountTarget, { fileSystemId: "fs-1", subnetId: "subnet-PUBLIC-a" }))).length, 1);
        });
    });

    describe("ElastiCache Serverless and MemoryDB", () => {
        const serverless = (props: Record<string, any>) => res(aws.elasticache.ServerlessCache, { engine: "valkey", snapshotRetentionLimit: 7, userGroupId: "users", ...props });
        const memorydb = (props: Record<string, any>) => res(aws.memorydb.Cluster, { nodeType: "db.t4g.small", aclName: "app-acl", snapshotRetentionLimit: 7, ...props });
        it("check every casing of the Redis-like engines", async () => {
            for (const engine of ["Valkey", "REDIS", "redis"]) {
                assert.deepStrictEqual(policyNames(await run([elasticacheServerlessSnapshots, elasticacheServerlessUserGroup], serverless({ engine, snapshotRetentionLimit: 0, userGroupId: undefined }))), [
                    "elasticache-serverless-snapshots", "elasticache-serverless-user-group",
                ], engine);
            }
        });
        it("find open users added through an association, or spelt another way", async () => {
            const group = res(aws.elasticache.UserGroup, { userGroupId: "app-users", engine: "valkey", userIds: ["app"] }, { name: "app-users" });
            const association = (userId: unknown, deps: Record<string, string[]> = {}) => res(aws.elasticache.UserGroupAssociation, { userGroupId: "app-users", userId }, { name: "assoc", propertyDependencies: deps });
            assert.strictEqual((await run(elasticacheUserGroupNoOpenUser, [group, association("default")])).length, 1);
            for (const props of [
                { authenticationMode: { type: "No-Password-Required" } },
                { noPasswordRequired: "true", authenticationMode: undefined },
                { noPasswordRequired: true, authenticationMode: undefined, accessString: "off on ~* +@all" },
            ]) {
                const guest = res(aws.elasticache.User, { userId: "guest", userName: "guest", engine: "valkey", accessString: "on ~* +@all", ...props }, { name: "guest" });
                assert.strictEqual((await run(elasticacheUserGroupNoOpenUser, [group, guest, association(UNKNOWN, { userId: [urn(aws.elasticache.User, "guest")] })])).length, 1, JSON.stringify(props));
            }
        });
        it("refuse open-access in any case or padding, and TLS off written as a string", async () => {
            for (const aclName of ["OPEN-ACCESS", " open-access ", "Open-Access"]) {
                assert.strictEqual((await run(memorydbTlsAndAcl, memorydb({ aclName }))).length, 1, aclName);
            }
            assert.deepStrictEqual(messages(await run(memorydbTlsAndAcl, memorydb({ tlsEnabled: "false" }))), ['MemoryDB cluster must encrypt data in transit: tlsEnabled is "false", expected true or unset.']);
        });
        it("refuse AWS-managed keys by alias or alias ARN", async () => {
            for (const kmsKeyId of ["alias/aws/elasticache", "arn:aws:kms:eu-west-1:123456789012:alias/aws/elasticache"]) {
                assert.strictEqual((await run(cacheStoreCustomerKey, serverless({ kmsKeyId }), { requireCustomerKey: true })).length, 1, kmsKeyId);
            }
        });
        it("refuse negative, fractional-below-minimum and string counts", async () => {
            for (const snapshotRetentionLimit of [-1, 0.5, "0"]) {
                assert.strictEqual((await run(memorydbSnapshots, memorydb({ snapshotRetentionLimit }))).length, 1, String(snapshotRetentionLimit));
            }
            for (const numReplicasPerShard of ["0", -1, 0.5, ""]) {
                assert.strictEqual((await run(memorydbUpgradesAndReplicas, memorydb({ numReplicasPerShard }))).length, 1, String(numReplicasPerShard));
            }
            assert.deepStrictEqual(await run(memorydbUpgradesAndReplicas, memorydb({ numReplicasPerShard: "2" })), []);
        });
    });
});
