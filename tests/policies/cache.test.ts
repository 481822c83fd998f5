import * as aws from "@pulumi/aws";
import * as assert from "assert";
import {
    cachePolicies, elasticacheBackupsAndUpgrades, elasticacheEncryptionAtRest, elasticacheMultiAzFailover, elasticacheSubnetGroup,
    elasticacheTransitEncryptionAndAuth,
} from "../../policies/data/cache";
import { evaluate, resolvePolicyConfig } from "../../tools/offline/evaluate";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, UNKNOWN_NUMBER, messages, res, run, secret } from "./helpers";

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/cache-key-id";
const goodGroup = {
    description: "shop cache",
    engine: "redis",
    engineVersion: "7.1",
    nodeType: "cache.m6g.large",
    numCacheClusters: 2,
    atRestEncryptionEnabled: true,
    kmsKeyId: KEY_ARN,
    transitEncryptionEnabled: true,
    authToken: secret("generated-token-0123456789abcdef"),
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    snapshotRetentionLimit: 7,
    autoMinorVersionUpgrade: true,
    subnetGroupName: "shop-cache-subnets",
};
const goodCluster = { engine: "redis", nodeType: "cache.t4g.small", numCacheNodes: 1, snapshotRetentionLimit: 1, autoMinorVersionUpgrade: "true", subnetGroupName: "shop-cache-subnets" };
const group = (props: Record<string, unknown>, name?: string) => res(aws.elasticache.ReplicationGroup, { ...goodGroup, ...props }, { name });
const cluster = (props: Record<string, unknown>) => res(aws.elasticache.Cluster, { ...goodCluster, ...props });

describe("policies: cache", () => {
    it("implements ec-01..ec-05 once each, mandatory but ec-05, with elasticache- names", () => {
        const rows = cachePolicies.map((p) => [(p.tags ?? []).find((t) => t.startsWith("catalogue:")), p.enforcementLevel]);
        assert.deepStrictEqual(rows, [
            ["catalogue:ec-01", "mandatory"], ["catalogue:ec-02", "mandatory"], ["catalogue:ec-03", "mandatory"], ["catalogue:ec-04", "mandatory"], ["catalogue:ec-05", "advisory"],
        ]);
        assert.ok(cachePolicies.every((p) => /^elasticache-[a-z0-9-]+$/.test(p.name)));
    });

    it("passes a compliant replication group and a member cluster under every policy (a standalone Redis cluster cannot comply: bypass.test.ts)", async () => {
        const { diagnostics } = await evaluate([group({}), cluster({ replicationGroupId: "shop-cache" })], { policies: cachePolicies, config: resolvePolicyConfig(cachePolicies, { "elasticache-encryption-at-rest": { requireCustomerKey: true } }) });
        assert.deepStrictEqual(diagnostics, []);
    });

    describe("elasticache-encryption-at-rest", () => {
        it("rejects a Redis group without encryption at rest, as mandatory (Redis defaults to off)", async () => {
            const { atRestEncryptionEnabled: _, ...unset } = goodGroup;
            const diags = await run(elasticacheEncryptionAtRest, res(aws.elasticache.ReplicationGroup, unset));
            assert.deepStrictEqual(messages(diags), ["ElastiCache replication group must encrypt data at rest: atRestEncryptionEnabled is (unset), expected true."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("accepts it unset on Valkey, which encrypts by default, but not turned off", async () => {
            const { atRestEncryptionEnabled: _, ...unset } = goodGroup;
            assert.deepStrictEqual(await run(elasticacheEncryptionAtRest, res(aws.elasticache.ReplicationGroup, { ...unset, engine: "valkey" })), []);
            assert.deepStrictEqual(messages(await run(elasticacheEncryptionAtRest, group({ engine: "valkey", atRestEncryptionEnabled: false }))), [
                "ElastiCache replication group must encrypt data at rest: atRestEncryptionEnabled is false, expected true or unset.",
            ]);
        });
        it("with requireCustomerKey, rejects a missing key and counts an unknown one as set", async () => {
            const { kmsKeyId: _, ...noKey } = goodGroup;
            assert.deepStrictEqual(messages(await run(elasticacheEncryptionAtRest, res(aws.elasticache.ReplicationGroup, noKey), { requireCustomerKey: true })), [
                "ElastiCache replication group must encrypt data at rest with a customer-managed KMS key: kmsKeyId is (unset), so a service-managed key is used, expected a customer key ARN.",
            ]);
            assert.deepStrictEqual(await run(elasticacheEncryptionAtRest, group({ kmsKeyId: UNKNOWN }), { requireCustomerKey: true }), []);
        });
        it("reports an unknown flag as unverifiable", async () => {
            const diags = await run(elasticacheEncryptionAtRest, group({ atRestEncryptionEnabled: UNKNOWN_BOOL }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that data is encrypted at rest: atRestEncryptionEnabled is \(unknown until apply\)/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("reports an exempted group as advisory with its reason", async () => {
            const diags = await run(elasticacheEncryptionAtRest, group({ atRestEncryptionEnabled: false }, "session-cache"), {
                exemptions: [{ resource: "session-cache", reason: "ephemeral sessions only, replaced in OPS-31" }],
            });
            assert.deepStrictEqual(messages(diags), [
                "Exempted (ephemeral sessions only, replaced in OPS-31): ElastiCache replication group must encrypt data at rest: atRestEncryptionEnabled is false, expected true.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("elasticache-transit-encryption-and-auth", () => {
        it("passes TLS with an auth token, a write-only auth token, or a user group", async () => {
            const { authToken: _, ...noToken } = goodGroup;
            assert.deepStrictEqual(await run(elasticacheTransitEncryptionAndAuth, [
                group({}), res(aws.elasticache.ReplicationGroup, { ...noToken, authTokenWo: secret("generated-token-0123456789abcdef"), authTokenWoVersion: 1 }),
                res(aws.elasticache.ReplicationGroup, { ...noToken, userGroupIds: ["shop-users"] }),
            ]), []);
        });
        it("rejects a group without TLS or authentication, and never prints the token", async () => {
            const diags = await run(elasticacheTransitEncryptionAndAuth, group({ transitEncryptionEnabled: false }));
            assert.deepStrictEqual(messages(diags), ["ElastiCache replication group must encrypt data in transit: transitEncryptionEnabled is false, expected true."]);
            assert.ok(!diags[0].message.includes("generated-token"));
            const { authToken: _, transitEncryptionEnabled: _t, ...bare } = goodGroup;
            assert.deepStrictEqual(messages(await run(elasticacheTransitEncryptionAndAuth, res(aws.elasticache.ReplicationGroup, { ...bare, userGroupIds: [] }))), [
                "ElastiCache replication group must encrypt data in transit: transitEncryptionEnabled is (unset), expected true.",
                "ElastiCache replication group must authenticate clients: authToken, authTokenWo and userGroupIds are unset or empty, expected an auth token or a user group.",
            ]);
        });
        it("rejects the preferred mode, which still accepts plaintext", async () => {
            assert.deepStrictEqual(messages(await run(elasticacheTransitEncryptionAndAuth, group({ transitEncryptionMode: "preferred" }))), [
                'ElastiCache replication group must refuse plaintext connections: transitEncryptionMode is "preferred", which still accepts them, expected "required" or unset.',
            ]);
        });
        it("counts a token or user groups unknown during preview as set, and reports an unknown TLS flag", async () => {
            const { authToken: _, ...noToken } = goodGroup;
            assert.deepStrictEqual(await run(elasticacheTransitEncryptionAndAuth, [group({ authToken: UNKNOWN }), res(aws.elasticache.ReplicationGroup, { ...noToken, userGroupIds: UNKNOWN_ARRAY })]), []);
            const diags = await run(elasticacheTransitEncryptionAndAuth, group({ transitEncryptionEnabled: UNKNOWN_BOOL }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that data is encrypted in transit/);
        });
    });

    describe("elasticache-multi-az-failover", () => {
        it("rejects a group without failover and Multi-AZ, as mandatory by default", async () => {
            const diags = await run(elasticacheMultiAzFailover, group({ automaticFailoverEnabled: false, multiAzEnabled: undefined }));
            assert.deepStrictEqual(messages(diags), [
                "ElastiCache replication group must fail over automatically: automaticFailoverEnabled is false, expected true.",
                "ElastiCache replication group must be Multi-AZ: multiAzEnabled is (unset), expected true.",
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
        });
        it("is advisory where the policy config says so (staging)", async () => {
            const diags = await run(elasticacheMultiAzFailover, group({ multiAzEnabled: false }), { enforcementLevel: "advisory" });
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["advisory"]);
        });
    });

    describe("elasticache-backups-and-upgrades", () => {
        it("rejects a group without snapshots or automatic minor upgrades", async () => {
            const { snapshotRetentionLimit: _, ...unset } = goodGroup;
            const diags = await run(elasticacheBackupsAndUpgrades, res(aws.elasticache.ReplicationGroup, { ...unset, autoMinorVersionUpgrade: false }));
            assert.deepStrictEqual(messages(diags), [
                "ElastiCache replication group must keep automatic snapshots for at least 1 day: snapshotRetentionLimit is (unset), so backups are off, expected at least 1.",
                "ElastiCache replication group must apply minor engine upgrades automatically: autoMinorVersionUpgrade is false, expected true or unset.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("reads the Redis cluster's string-typed autoMinorVersionUpgrade", async () => {
            assert.deepStrictEqual(messages(await run(elasticacheBackupsAndUpgrades, cluster({ snapshotRetentionLimit: 0, autoMinorVersionUpgrade: "false" }))), [
                "ElastiCache cluster must keep automatic snapshots for at least 1 day: snapshotRetentionLimit is 0, so backups are off, expected at least 1.",
                'ElastiCache cluster must apply minor engine upgrades automatically: autoMinorVersionUpgrade is "false", expected true or unset.',
            ]);
        });
        it("honours a configured minimum", async () => {
            assert.deepStrictEqual(messages(await run(elasticacheBackupsAndUpgrades, group({}), { minimumSnapshotDays: 14 })), [
                "ElastiCache replication group must keep automatic snapshots for at least 14 days: snapshotRetentionLimit is 7, expected at least 14.",
            ]);
        });
        it("skips Memcached clusters and replication group members", async () => {
            assert.deepStrictEqual(await run(elasticacheBackupsAndUpgrades, [cluster({ engine: "memcached", snapshotRetentionLimit: undefined }), res(aws.elasticache.Cluster, { replicationGroupId: "shop-cache" })]), []);
        });
        it("reports an unknown retention as unverifiable", async () => {
            const diags = await run(elasticacheBackupsAndUpgrades, group({ snapshotRetentionLimit: UNKNOWN_NUMBER }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that snapshots are kept for at least 1 day: snapshotRetentionLimit is \(unknown until apply\)/);
        });
    });

    describe("elasticache-subnet-group", () => {
        it("rejects the default subnet group, unset or by name, as advisory", async () => {
            const diags = await run(elasticacheSubnetGroup, group({ subnetGroupName: undefined }));
            assert.deepStrictEqual(messages(diags), [
                "ElastiCache replication group must use a subnet group of its own: subnetGroupName is (unset), so ElastiCache uses the default subnet group, expected an aws.elasticache.SubnetGroup of private subnets.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.deepStrictEqual(messages(await run(elasticacheSubnetGroup, cluster({ subnetGroupName: "default" }))), [
                'ElastiCache cluster must use a subnet group of its own: subnetGroupName is "default", expected an aws.elasticache.SubnetGroup of private subnets.',
            ]);
        });
        it("counts a name unknown during preview as set, and skips replication group members", async () => {
            assert.deepStrictEqual(await run(elasticacheSubnetGroup, [group({ subnetGroupName: UNKNOWN }), res(aws.elasticache.Cluster, { replicationGroupId: "shop-cache" })]), []);
        });
    });
});
