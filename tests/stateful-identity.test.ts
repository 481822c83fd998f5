import * as assert from "assert";
import { Run, runStack } from "./harness";

/**
 * Pulumi identifies a resource by its URN: type, name and parent chain. A refactor that changes any
 * of them for a database, bucket or key makes Pulumi replace it (delete the data) unless it carries an
 * alias. This table is the contract: change it only together with `aliases` on the moved resource.
 */
const STATEFUL_TYPES = [
    "aws:kms/key:Key",
    "aws:rds/instance:Instance",
    "aws:docdb/cluster:Cluster",
    "aws:docdb/clusterInstance:ClusterInstance",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:s3/bucket:Bucket",
];

const IDENTITIES = [
    "urn:pulumi:STACK::baseline::baseline:data:DocumentDb$aws:docdb/cluster:Cluster::documentdb-cluster",
    "urn:pulumi:STACK::baseline::baseline:data:DocumentDb$aws:docdb/clusterInstance:ClusterInstance::documentdb-instance-1",
    "urn:pulumi:STACK::baseline::baseline:data:Postgres$aws:rds/instance:Instance::postgres-instance",
    "urn:pulumi:STACK::baseline::baseline:data:Redis$aws:elasticache/replicationGroup:ReplicationGroup::redis-replication-group",
    "urn:pulumi:STACK::baseline::baseline:security:Keys$aws:kms/key:Key::keys-data",
    "urn:pulumi:STACK::baseline::baseline:security:Keys$aws:kms/key:Key::keys-logs",
    "urn:pulumi:STACK::baseline::baseline:security:Keys$aws:kms/key:Key::keys-storage",
    "urn:pulumi:STACK::baseline::baseline:storage:Buckets$aws:s3/bucket:Bucket::storage-assets",
    "urn:pulumi:STACK::baseline::baseline:storage:Buckets$aws:s3/bucket:Bucket::storage-logs",
];

const stateful = (run: Run) => run.resources.filter((r) => STATEFUL_TYPES.includes(r.type));

describe("stateful resource identity", () => {
    for (const [stack, protect, extraInstances] of [["prod", true, ["documentdb-instance-2"]], ["staging", false, []]] as const) {
        describe(stack, () => {
            let run: Run;
            before(async () => {
                run = await runStack(stack);
            });

            it("keeps the URN (type, name, parent) of every database, cache, bucket and key", () => {
                const expected = [
                    ...IDENTITIES,
                    ...extraInstances.map((n) => `urn:pulumi:STACK::baseline::baseline:data:DocumentDb$aws:docdb/clusterInstance:ClusterInstance::${n}`),
                ].map((u) => u.replace("STACK", stack));
                assert.deepStrictEqual(stateful(run).map((r) => r.urn).sort(), expected.sort());
            });

            it(`${protect ? "protects" : "does not protect"} them, and ${protect ? "retains" : "does not retain"} them on delete`, () => {
                const primary = stateful(run).filter((r) => r.type !== "aws:docdb/clusterInstance:ClusterInstance");
                assert.deepStrictEqual(
                    primary.map((r) => [r.name, r.protect, r.retainOnDelete]),
                    primary.map((r) => [r.name, protect, protect]),
                );
            });

            it("gives every AWS resource a component parent", () => {
                const orphans = run.resources.filter((r) => r.custom && !r.parent).map((r) => r.name);
                assert.deepStrictEqual(orphans, []);
            });
        });
    }
});
