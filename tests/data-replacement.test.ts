import * as assert from "assert";
import { DocumentDb } from "../infra/data/documentdb";
import { Postgres } from "../infra/data/postgres";
import { DATA_KEY, documentDbArgs, postgresArgs } from "./data-fixtures";
import { Overrides, RecordedResource, Run, runUnderMocks } from "./harness";

/**
 * What a `pulumi up` does when a stateful setting changes, read from the registrations the engine diffs:
 * a major version upgrade is an in-place update of the store with a parameter group of the new family
 * created beside the old one; a change AWS can only apply by replacement deletes the store first
 * (staging) and leaves a final snapshot of a name never used before.
 */

const RANDOM_ID = "random:index/randomId:RandomId";

/** Input names whose values differ between two registrations of the same resource. */
function changed(before: RecordedResource, after: RecordedResource): string[] {
    const keys = new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)]);
    return [...keys].filter((k) => JSON.stringify(before.inputs[k]) !== JSON.stringify(after.inputs[k])).sort();
}

const postgresRun = (stack: string, database: Overrides[string] = {}) =>
    runUnderMocks(() => new Postgres("postgres", postgresArgs()), stack, { "baseline:database": database });
const documentDbRun = (stack: string, documentDb: Overrides[string] = {}) =>
    runUnderMocks(() => new DocumentDb("documents", documentDbArgs()), stack, { "baseline:documentDb": documentDb });

describe("PostgreSQL major version upgrade, 15 to 16, in one pulumi up", () => {
    for (const stack of ["prod", "staging"]) {
        describe(stack, () => {
            let old: Run;
            let upgraded: Run;
            before(async () => {
                old = await postgresRun(stack, { engineVersion: "15" });
                upgraded = await postgresRun(stack, { engineVersion: "16" });
            });
            const instance = (run: Run) => run.one("aws:rds/instance:Instance", "postgres-instance");
            const group = (run: Run) => run.one("aws:rds/parameterGroup:ParameterGroup", "postgres-params");

            it("updates the instance in place: only its version and parameter group change, in the same modify call", () => {
                assert.deepStrictEqual(changed(instance(old), instance(upgraded)), ["engineVersion", "parameterGroupName"]);
                assert.strictEqual(instance(upgraded).urn, instance(old).urn);
                assert.deepStrictEqual([instance(upgraded).inputs.engineVersion, instance(upgraded).inputs.parameterGroupName], ["16", `pos-${stack}-postgres-postgres16`]);
            });

            it("with the upgrade allowed and applied now, not left pending for the maintenance window", () => {
                assert.deepStrictEqual([instance(upgraded).inputs.allowMajorVersionUpgrade, instance(upgraded).inputs.applyImmediately], [true, true]);
            });

            it("replaces the parameter group under a new name, created before the old one is deleted", () => {
                assert.deepStrictEqual(changed(group(old), group(upgraded)), ["family", "name"]);
                assert.deepStrictEqual([group(upgraded).inputs.family, group(upgraded).inputs.name], ["postgres16", `pos-${stack}-postgres-postgres16`]);
                assert.strictEqual(group(upgraded).urn, group(old).urn);
                assert.strictEqual(group(upgraded).deleteBeforeReplace, false);
                // The instance waits for the new group, so the engine creates it before the update.
                assert.deepStrictEqual(instance(upgraded).propertyDependencies.parameterGroupName, [group(upgraded).urn]);
            });

            it("keeps the final snapshot suffix: an upgrade is not a replacement", () => {
                assert.deepStrictEqual(upgraded.one(RANDOM_ID).inputs, old.one(RANDOM_ID).inputs);
            });
        });
    }
});

describe("DocumentDB major version upgrade, 4.0 to 5.0, in one pulumi up", () => {
    let old: Run;
    let upgraded: Run;
    before(async () => {
        old = await documentDbRun("prod", { engineVersion: "4.0.0" });
        upgraded = await documentDbRun("prod", { engineVersion: "5.0.0" });
    });
    const cluster = (run: Run) => run.one("aws:docdb/cluster:Cluster", "documents-cluster");
    const group = (run: Run) => run.one("aws:docdb/clusterParameterGroup:ClusterParameterGroup", "documents-params");

    it("updates the cluster in place with a group of the new family in the same modify call, applied now", () => {
        assert.deepStrictEqual(changed(cluster(old), cluster(upgraded)), ["dbClusterParameterGroupName", "engineVersion"]);
        assert.deepStrictEqual(
            [cluster(upgraded).inputs.engineVersion, cluster(upgraded).inputs.dbClusterParameterGroupName, cluster(upgraded).inputs.allowMajorVersionUpgrade, cluster(upgraded).inputs.applyImmediately],
            ["5.0.0", "pos-prod-docdb-docdb5-0", true, true],
        );
    });

    it("leaves the instances alone: they take the cluster's engine version", () => {
        const instances = (run: Run) => run.ofType("aws:docdb/clusterInstance:ClusterInstance");
        assert.deepStrictEqual(instances(upgraded).map((m) => m.inputs), instances(old).map((m) => m.inputs));
    });

    it("replaces the parameter group under a new name, created before the old one is deleted", () => {
        assert.deepStrictEqual(changed(group(old), group(upgraded)), ["family", "name"]);
        assert.strictEqual(group(upgraded).deleteBeforeReplace, false);
        assert.deepStrictEqual(cluster(upgraded).propertyDependencies.dbClusterParameterGroupName, [group(upgraded).urn]);
    });
});

describe("a setting AWS applies only by replacement, in staging", () => {
    /** The keepers of the final snapshot suffix: when they change, the engine draws a new suffix. */
    const keepers = (run: Run) => run.one(RANDOM_ID).inputs.keepers;

    describe("PostgreSQL", () => {
        let base: Run;
        before(async () => {
            base = await postgresRun("staging");
        });
        const instance = (run: Run) => run.one("aws:rds/instance:Instance");

        it("deletes the instance before creating its successor under the same identifier", () => {
            assert.deepStrictEqual([instance(base).protect, instance(base).deleteBeforeReplace], [false, true]);
        });

        it("keys the final snapshot suffix to exactly the inputs that replace the instance, as the instance has them", () => {
            const k = keepers(base);
            assert.deepStrictEqual(k, {
                identifier: "pos-staging-postgres", engine: "postgres", dbName: "pos", username: "pos_admin", storageEncrypted: "true", kmsKeyId: DATA_KEY,
            });
            for (const [input, value] of Object.entries(k)) assert.strictEqual(String(instance(base).inputs[input]), value, input);
        });

        for (const [setting, value, input] of [["databaseName", "orders", "dbName"], ["masterUsername", "orders_admin", "username"]] as const) {
            it(`draws a new suffix when ${setting} changes, so the second deletion's snapshot does not collide with the first`, async () => {
                const replaced = await postgresRun("staging", { [setting]: value });
                assert.deepStrictEqual(changed(instance(base), instance(replaced)), [input]);
                assert.deepStrictEqual(keepers(replaced), { ...keepers(base), [input]: value });
            });
        }

        it("keeps the suffix through an in-place change (instance class)", async () => {
            const resized = await postgresRun("staging", { instanceClass: "db.t4g.large" });
            assert.deepStrictEqual(keepers(resized), keepers(base));
        });
    });

    describe("DocumentDB", () => {
        let base: Run;
        before(async () => {
            base = await documentDbRun("staging");
        });
        const cluster = (run: Run) => run.one("aws:docdb/cluster:Cluster");

        it("deletes the cluster (its instances first, through their dependency) before creating its successor", () => {
            const c = cluster(base);
            assert.deepStrictEqual([c.protect, c.deleteBeforeReplace], [false, true]);
            for (const m of base.ofType("aws:docdb/clusterInstance:ClusterInstance")) {
                assert.deepStrictEqual([m.deleteBeforeReplace, m.propertyDependencies.clusterIdentifier], [true, [c.urn]]);
            }
        });

        it("keys the final snapshot suffix to exactly the inputs that replace the cluster, as the cluster has them", () => {
            const k = keepers(base);
            assert.deepStrictEqual(k, {
                clusterIdentifier: "pos-staging-docdb", engine: "docdb", masterUsername: "docdbowner", port: "27017",
                dbSubnetGroupName: "pos-staging-docdb", storageEncrypted: "true", kmsKeyId: DATA_KEY,
            });
            for (const [input, value] of Object.entries(k)) assert.strictEqual(String(cluster(base).inputs[input]), value, input);
        });

        it("draws a new suffix when masterUsername changes", async () => {
            const replaced = await documentDbRun("staging", { masterUsername: "ordersowner" });
            assert.deepStrictEqual(changed(cluster(base), cluster(replaced)), ["masterUsername"]);
            assert.deepStrictEqual(keepers(replaced), { ...keepers(base), masterUsername: "ordersowner" });
        });
    });
});
