import * as assert from "assert";
import { DocumentDb } from "../infra/data/documentdb";
import { Postgres } from "../infra/data/postgres";
import { documentDbArgs, postgresArgs } from "./data-fixtures";
import { Overrides, RecordedResource, Run, runUnderMocks } from "./harness";

/**
 * What a `pulumi up` does when a stateful setting changes, read from the registrations the engine diffs:
 * a major version upgrade is an in-place update of the store with a parameter group of the new family
 * created beside the old one.
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
