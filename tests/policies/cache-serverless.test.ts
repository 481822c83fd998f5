import * as aws from "@pulumi/aws";
import * as assert from "assert";
import {
    accessOn, cacheServerlessPolicies, cacheStoreCustomerKey, elasticacheUserGroupNoOpenUser, cacheStoreNetworkPlacement, elasticacheServerlessSnapshots, elasticacheServerlessUserGroup,
    memorydbSnapshots, memorydbTlsAndAcl, memorydbUpgradesAndReplicas,
} from "../../policies/data/cache-serverless";
import { UNKNOWN, UNKNOWN_BOOL, UNKNOWN_NUMBER, messages, res, run } from "./helpers";

const goodServerless = {
    name: "sessions", engine: "valkey", majorEngineVersion: "8", snapshotRetentionLimit: 7, dailySnapshotTime: "03:00",
    userGroupId: "sessions-users", securityGroupIds: ["sg-cache"], subnetIds: ["subnet-private-a", "subnet-private-b"],
};
const goodMemorydb = {
    name: "ledger", nodeType: "db.t4g.small", aclName: "ledger-acl", snapshotRetentionLimit: 7, securityGroupIds: ["sg-db"], subnetGroupName: "ledger-subnets",
};
const serverless = (props: Record<string, any> = {}) => res(aws.elasticache.ServerlessCache, { ...goodServerless, ...props }, { name: "sessions" });
const memorydb = (props: Record<string, any> = {}) => res(aws.memorydb.Cluster, { ...goodMemorydb, ...props }, { name: "ledger" });
const noRerun = (diags: { message: string }[]) => messages(diags as any).map((m) => m.replace(/ Re-run .*$/, ""));

describe("policies: cache-serverless", () => {
    it("exports its eight policies, and all pass compliant stores", async () => {
        assert.strictEqual(cacheServerlessPolicies.length, 8);
        assert.deepStrictEqual(await run(cacheServerlessPolicies, [serverless(), memorydb()]), []);
    });

    describe("elasticache-serverless-snapshots", () => {
        it("rejects no or too few snapshot days, as mandatory", async () => {
            const diags = await run(elasticacheServerlessSnapshots, serverless({ snapshotRetentionLimit: undefined }));
            assert.deepStrictEqual(messages(diags), ["ElastiCache serverless cache must keep automatic snapshots for at least 1 day: snapshotRetentionLimit is (unset), so no automatic snapshots are kept, expected at least 1."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(elasticacheServerlessSnapshots, serverless({ snapshotRetentionLimit: 0 }))), [
                "ElastiCache serverless cache must keep automatic snapshots for at least 1 day: snapshotRetentionLimit is 0, so automatic snapshots are off, expected at least 1.",
            ]);
            assert.deepStrictEqual(messages(await run(elasticacheServerlessSnapshots, serverless(), { minimumSnapshotDays: 14 })), [
                "ElastiCache serverless cache must keep automatic snapshots for at least 14 days: snapshotRetentionLimit is 7, expected at least 14.",
            ]);
        });
        it("leaves Memcached alone, and reports unknown engine or days as unverifiable", async () => {
            assert.deepStrictEqual(await run(elasticacheServerlessSnapshots, serverless({ engine: "memcached", snapshotRetentionLimit: undefined })), []);
            const diags = [
                ...(await run(elasticacheServerlessSnapshots, serverless({ engine: UNKNOWN }))),
                ...(await run(elasticacheServerlessSnapshots, serverless({ snapshotRetentionLimit: UNKNOWN_NUMBER }))),
            ];
            assert.deepStrictEqual(noRerun(diags), [
                "Cannot verify during preview that automatic snapshots are kept: engine is (unknown until apply).",
                "Cannot verify during preview that snapshots are kept for at least 1 day: snapshotRetentionLimit is (unknown until apply).",
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "advisory" && !d.cantRunDuringPreview));
        });
        it("never throws on malformed values", async () => {
            for (const props of [{ engine: null, snapshotRetentionLimit: null }, { engine: 5, snapshotRetentionLimit: "7" }, { snapshotRetentionLimit: {} }]) {
                assert.strictEqual((await run(elasticacheServerlessSnapshots, serverless(props))).length, 1);
            }
        });
    });

    describe("elasticache-serverless-user-group", () => {
        it("rejects a Valkey or Redis cache without a user group, as mandatory", async () => {
            for (const engine of ["valkey", "redis"]) {
                const diags = await run(elasticacheServerlessUserGroup, serverless({ engine, userGroupId: undefined }));
                assert.deepStrictEqual(messages(diags), [
                    "ElastiCache serverless cache must authenticate clients through a user group: userGroupId is (unset), so any client that reaches it is the default user without a password, expected the id of an aws.elasticache.UserGroup.",
                ]);
                assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            }
        });
        it("accepts a user group known only at apply, and leaves Memcached alone", async () => {
            assert.deepStrictEqual(await run(elasticacheServerlessUserGroup, serverless({ userGroupId: UNKNOWN })), []);
            assert.deepStrictEqual(await run(elasticacheServerlessUserGroup, serverless({ engine: "memcached", userGroupId: undefined })), []);
        });
        it("reports an unknown engine as unverifiable and never throws on malformed ids", async () => {
            const diags = await run(elasticacheServerlessUserGroup, serverless({ engine: UNKNOWN, userGroupId: undefined }));
            assert.deepStrictEqual(noRerun(diags), ["Cannot verify during preview that clients authenticate through a user group: engine is (unknown until apply)."]);
            assert.ok(!diags[0].cantRunDuringPreview);
            assert.deepStrictEqual(messages(await run(elasticacheServerlessUserGroup, serverless({ userGroupId: "" }))), [
                'ElastiCache serverless cache must authenticate clients through a user group: userGroupId is "", so any client that reaches it is the default user without a password, expected the id of an aws.elasticache.UserGroup.',
            ]);
            await run(elasticacheServerlessUserGroup, serverless({ userGroupId: null }));
        });
    });

    describe("elasticache-user-group-no-open-user", () => {
        const urn = (cls: Function, name: string) => `urn:pulumi:test::baseline::${(cls as any).__pulumiType}::${name}`;
        const user = (name: string, props: Record<string, any>) =>
            res(aws.elasticache.User, { userId: name, userName: name, engine: "valkey", accessString: "on ~* +@all", authenticationMode: { type: "password", passwords: ["x".repeat(16)] }, ...props }, { name });
        const group = (userIds: unknown, deps: string[] = []) =>
            res(aws.elasticache.UserGroup, { userGroupId: "app-users", engine: "valkey", userIds }, { name: "app-users", propertyDependencies: deps.length ? { userIds: deps } : {} });
        const GROUP_DEFAULT = 'ElastiCache user group must not admit clients without a password: it holds "default", the built-in default user with no password and access "on ~* +@all", expected an aws.elasticache.User named "default" with a password or an access string that is off.';
        const OPEN = (name: string, access: string) =>
            `ElastiCache user group must not admit clients without a password: aws.elasticache.User "${name}" needs no password and has access string ${JSON.stringify(access)}, expected a password or IAM authentication, or an access string that is off.`;
        it("passes users with passwords, IAM, or a replacement default user that is off", async () => {
            const app = user("app", {});
            const iam = user("worker", { authenticationMode: { type: "iam" } });
            const off = user("app-default", { userName: "default", noPasswordRequired: true, authenticationMode: undefined, accessString: "off -@all" });
            assert.deepStrictEqual(await run(elasticacheUserGroupNoOpenUser, [app, iam, off, group([UNKNOWN, UNKNOWN, UNKNOWN], ["app", "worker", "app-default"].map((n) => urn(aws.elasticache.User, n)))]), []);
            assert.deepStrictEqual(await run(elasticacheUserGroupNoOpenUser, [app, group(["app"])]), []);
        });
        it("rejects the built-in default user and a user without a password, as mandatory, on the group", async () => {
            const diags = await run(elasticacheUserGroupNoOpenUser, [user("guest", { noPasswordRequired: true, authenticationMode: undefined, accessString: "on ~cache:* +get" }), group(["default", "guest"])]);
            assert.deepStrictEqual(messages(diags), [GROUP_DEFAULT, OPEN("guest", "on ~cache:* +get")]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory" && d.urn === urn(aws.elasticache.UserGroup, "app-users")));
        });
        it("reports unknown authentication or untraceable members as unverifiable", async () => {
            const diags = await run(elasticacheUserGroupNoOpenUser, [user("app", { authenticationMode: { type: UNKNOWN } }), group([UNKNOWN], [urn(aws.elasticache.User, "app")])]);
            assert.deepStrictEqual(noRerun(diags), ['Cannot verify during preview that no member of user group "app-users" connects without a password: authenticationMode.type is (unknown until apply).']);
            const untraced = await run(elasticacheUserGroupNoOpenUser, group(UNKNOWN));
            assert.deepStrictEqual(noRerun(untraced), ['Cannot verify during preview that no member of user group "app-users" connects without a password: userIds is (unknown until apply).']);
            assert.ok([...diags, ...untraced].every((d) => d.enforcementLevel === "advisory" && !d.cantRunDuringPreview));
        });
        it("reads access strings as ElastiCache does, and never throws on malformed users and groups", async () => {
            assert.deepStrictEqual(["on ~* +@all", "off ~* +@all", "~* +@all", "on off", "off on", " ON  ~*"].map(accessOn), [true, false, false, false, true, true]);
            await run(elasticacheUserGroupNoOpenUser, [user("bad", { noPasswordRequired: true, accessString: null, authenticationMode: null }), group([null, 3, "bad"])]);
            await run(elasticacheUserGroupNoOpenUser, [group(null), res(aws.elasticache.UserGroupAssociation, { userGroupId: null, userId: null })]);
        });
    });

    describe("cache-store-network-placement", () => {
        it("rejects default security groups and subnets, as advisory", async () => {
            const diags = await run(cacheStoreNetworkPlacement, [
                serverless({ securityGroupIds: undefined, subnetIds: [] }),
                memorydb({ securityGroupIds: [""], subnetGroupName: undefined }),
            ]);
            assert.deepStrictEqual(messages(diags), [
                "ElastiCache serverless cache must name its security groups: securityGroupIds is (unset), so the VPC's default security group applies, expected the ids of security groups that admit only its clients.",
                "ElastiCache serverless cache must name its subnets: subnetIds is [], so AWS uses the default VPC's subnets, expected the ids of private subnets.",
                'MemoryDB cluster must name its security groups: securityGroupIds is [""], so the VPC\'s default security group applies, expected the ids of security groups that admit only its clients.',
                "MemoryDB cluster must use a subnet group of its own: subnetGroupName is (unset), so the default VPC's subnets are used, expected an aws.memorydb.SubnetGroup of private subnets.",
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "advisory"));
            assert.deepStrictEqual(messages(await run(cacheStoreNetworkPlacement, memorydb({ subnetGroupName: "default" }))), [
                'MemoryDB cluster must use a subnet group of its own: subnetGroupName is "default", expected an aws.memorydb.SubnetGroup of private subnets.',
            ]);
        });
        it("accepts values known only at apply (they name something), and never throws on malformed lists", async () => {
            assert.deepStrictEqual(await run(cacheStoreNetworkPlacement, [serverless({ securityGroupIds: UNKNOWN, subnetIds: [UNKNOWN] }), memorydb({ securityGroupIds: [UNKNOWN], subnetGroupName: UNKNOWN })]), []);
            await run(cacheStoreNetworkPlacement, [serverless({ securityGroupIds: null, subnetIds: "subnet-a" }), memorydb({ securityGroupIds: [null, 4], subnetGroupName: null })]);
        });
    });

    describe("cache-store-customer-key", () => {
        const config = { requireCustomerKey: true };
        it("reports nothing unless configured", async () => {
            assert.deepStrictEqual(await run(cacheStoreCustomerKey, [serverless(), memorydb()]), []);
        });
        it("requires a customer key when configured, as mandatory", async () => {
            const diags = await run(cacheStoreCustomerKey, [serverless(), memorydb({ kmsKeyArn: "alias/aws/memorydb" })], config);
            assert.deepStrictEqual(messages(diags), [
                "ElastiCache serverless cache must encrypt data at rest with a customer-managed KMS key: kmsKeyId is (unset), so a key owned by AWS is used, expected a customer key ARN.",
                'MemoryDB cluster must encrypt data at rest with a customer-managed KMS key: kmsKeyArn is "alias/aws/memorydb", an AWS-managed key, expected a customer key ARN.',
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
            const key = "arn:aws:kms:eu-west-1:123456789012:key/abc";
            assert.deepStrictEqual(await run(cacheStoreCustomerKey, [serverless({ kmsKeyId: key }), memorydb({ kmsKeyArn: UNKNOWN })], config), []);
            await run(cacheStoreCustomerKey, [serverless({ kmsKeyId: null }), memorydb({ kmsKeyArn: 42 })], config);
        });
    });

    describe("memorydb-tls-and-acl", () => {
        it("rejects TLS off and the open-access ACL, as mandatory", async () => {
            const diags = await run(memorydbTlsAndAcl, memorydb({ tlsEnabled: false, aclName: "open-access" }));
            assert.deepStrictEqual(messages(diags), [
                "MemoryDB cluster must encrypt data in transit: tlsEnabled is false, expected true or unset.",
                'MemoryDB cluster must authenticate clients through an access control list: aclName is "open-access", which lets any client in as the default user without a password, expected the name of an aws.memorydb.Acl of users with passwords or IAM authentication.',
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
        });
        it("passes TLS unset (the default) or true", async () => {
            assert.deepStrictEqual(await run(memorydbTlsAndAcl, memorydb({ tlsEnabled: true })), []);
        });
        it("reports unknown TLS and ACL as unverifiable", async () => {
            const diags = await run(memorydbTlsAndAcl, memorydb({ tlsEnabled: UNKNOWN_BOOL, aclName: UNKNOWN }));
            assert.deepStrictEqual(noRerun(diags), [
                "Cannot verify during preview that the cluster encrypts data in transit: tlsEnabled is (unknown until apply).",
                "Cannot verify during preview that clients authenticate through an ACL other than open-access: aclName is (unknown until apply).",
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "advisory" && !d.cantRunDuringPreview));
        });
        it("never throws on malformed values", async () => {
            assert.strictEqual((await run(memorydbTlsAndAcl, memorydb({ tlsEnabled: null, aclName: null }))).length, 1);
            await run(memorydbTlsAndAcl, memorydb({ tlsEnabled: "yes", aclName: 7 }));
        });
    });

    describe("memorydb-snapshots", () => {
        it("rejects the default of no snapshots, as mandatory", async () => {
            const diags = await run(memorydbSnapshots, memorydb({ snapshotRetentionLimit: undefined }));
            assert.deepStrictEqual(messages(diags), ["MemoryDB cluster must keep automatic snapshots for at least 1 day: snapshotRetentionLimit is (unset), so no automatic snapshots are kept, expected at least 1."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("reports unknown days as unverifiable and never throws on malformed values", async () => {
            const diags = await run(memorydbSnapshots, memorydb({ snapshotRetentionLimit: UNKNOWN_NUMBER }));
            assert.deepStrictEqual(noRerun(diags), ["Cannot verify during preview that snapshots are kept for at least 1 day: snapshotRetentionLimit is (unknown until apply)."]);
            assert.ok(!diags[0].cantRunDuringPreview);
            await run(memorydbSnapshots, memorydb({ snapshotRetentionLimit: null }));
        });
    });

    describe("memorydb-upgrades-and-replicas", () => {
        it("passes the defaults and explicit replicas", async () => {
            assert.deepStrictEqual(await run(memorydbUpgradesAndReplicas, memorydb({ numReplicasPerShard: 2, autoMinorVersionUpgrade: true })), []);
        });
        it("rejects upgrades off and shards without a replica, as advisory", async () => {
            const diags = await run(memorydbUpgradesAndReplicas, memorydb({ autoMinorVersionUpgrade: false, numReplicasPerShard: 0 }));
            assert.deepStrictEqual(messages(diags), [
                "MemoryDB cluster must apply minor engine upgrades automatically: autoMinorVersionUpgrade is false, expected true or unset.",
                "MemoryDB cluster must keep a replica of every shard in another availability zone: numReplicasPerShard is 0, expected 1 or more (the default is 1).",
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "advisory"));
        });
        it("reports unknowns as unverifiable and never throws on malformed values", async () => {
            const diags = await run(memorydbUpgradesAndReplicas, memorydb({ autoMinorVersionUpgrade: UNKNOWN_BOOL, numReplicasPerShard: UNKNOWN_NUMBER }));
            assert.deepStrictEqual(noRerun(diags), [
                "Cannot verify during preview that minor upgrades are automatic: autoMinorVersionUpgrade is (unknown until apply).",
                "Cannot verify during preview that every shard has a replica in another availability zone: numReplicasPerShard is (unknown until apply).",
            ]);
            assert.ok(diags.every((d) => !d.cantRunDuringPreview));
            assert.deepStrictEqual(await run(memorydbUpgradesAndReplicas, memorydb({ numReplicasPerShard: null, autoMinorVersionUpgrade: null })), []);
            assert.strictEqual((await run(memorydbUpgradesAndReplicas, memorydb({ numReplicasPerShard: "abc" }))).length, 1);
        });
    });
});
describe("memorydb-tls-and-acl: multi-Region clusters", () => {
    it("refuses TLS off on an aws.memorydb.MultiRegionCluster (its regional clusters inherit it) and passes it on or unset", async () => {
        const multi = (props: Record<string, any>) => res(aws.memorydb.MultiRegionCluster, { multiRegionClusterNameSuffix: "ledger", nodeType: "db.r7g.xlarge", ...props }, { name: "ledger-global" });
        assert.deepStrictEqual(messages(await run(memorydbTlsAndAcl, multi({ tlsEnabled: false }))), [
            "MemoryDB multi-Region cluster must encrypt data in transit: tlsEnabled is false, expected true or unset.",
        ]);
        assert.deepStrictEqual(await run(memorydbTlsAndAcl, multi({})), []);
        assert.deepStrictEqual(await run(memorydbTlsAndAcl, multi({ tlsEnabled: true })), []);
    });
});

