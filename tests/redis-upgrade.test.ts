import * as assert from "assert";
import { RecordedResource, Run } from "./harness";
import { GROUP, PARAMS, runRedis } from "./redis-fixtures";

/**
 * A Redis major upgrade (6.2 → 7.1) must go through in one `pulumi up`: compare what the program registers
 * before and after the change of `baseline:cache.engineVersion`, the way the engine diffs them.
 */

/**
 * Replication group inputs the provider replaces the group on (`ForceNew` in terraform-provider-aws's
 * internal/service/elasticache/replication_group.go); `transitEncryptionEnabled` only below 7.0.5.
 */
const REPLACES_GROUP = ["replicationGroupId", "port", "subnetGroupName", "kmsKeyId", "atRestEncryptionEnabled", "transitEncryptionEnabled", "dataTieringEnabled", "networkType", "globalReplicationGroupId"];

const changed = (before: RecordedResource, after: RecordedResource) =>
    [...new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)])].filter((k) => JSON.stringify(before.inputs[k]) !== JSON.stringify(after.inputs[k])).sort();

for (const stack of ["prod", "staging"]) {
    describe(`${stack}: Redis 6.2 → 7.1 in one pulumi up`, () => {
        let redis6: Run;
        let redis7: Run;
        before(async () => {
            redis6 = (await runRedis(stack, { engineVersion: "6.2" })).run;
            redis7 = (await runRedis(stack, { engineVersion: "7.1" })).run;
        });

        it("modifies the replication group in place: engine version and parameter group (the transit mode is ignored after create)", () => {
            const [old, upgraded] = [redis6.one(GROUP), redis7.one(GROUP)];
            assert.deepStrictEqual(changed(old, upgraded), ["engineVersion", "parameterGroupName", "transitEncryptionMode"]);
            assert.deepStrictEqual([old.inputs.engineVersion, upgraded.inputs.engineVersion], ["6.2", "7.1"]);
            assert.deepStrictEqual([old.inputs.transitEncryptionMode, upgraded.inputs.transitEncryptionMode], [undefined, "required"]);
            // An upgraded 6.x group never gets a mode in the same request as its upgrade (6.x has none; TLS is on from creation).
            assert.deepStrictEqual(upgraded.ignoreChanges, ["transitEncryptionMode"]);
            assert.deepStrictEqual(REPLACES_GROUP.filter((k) => changed(old, upgraded).includes(k)), []);
            // The final snapshot suffix is kept by exactly those inputs, so an upgrade keeps it.
            const suffix = (run: Run) => run.one("random:index/randomId:RandomId");
            assert.deepStrictEqual(Object.keys(suffix(redis7).inputs.keepers).filter((k) => !REPLACES_GROUP.includes(k)), []);
            assert.deepStrictEqual(changed(suffix(redis6), suffix(redis7)), []);
        });

        it("applies it during the pulumi up, so the group leaves the old parameter group before the engine deletes it", () => {
            assert.deepStrictEqual([redis6.one(GROUP).inputs.applyImmediately, redis7.one(GROUP).inputs.applyImmediately], [true, true]);
        });

        it("creates the redis7 parameter group beside the redis6 one (new name, create-before-delete), same policy", () => {
            const [old, upgraded] = [redis6.one(PARAMS), redis7.one(PARAMS)];
            assert.deepStrictEqual(changed(old, upgraded), ["family", "name"]);
            assert.deepStrictEqual([old.inputs.name, upgraded.inputs.name], [`pos-${stack}-redis-redis6`, `pos-${stack}-redis-redis7`]);
            assert.deepStrictEqual([old.inputs.family, upgraded.inputs.family], ["redis6.x", "redis7"]);
            // Explicit: the provider asks for delete-first when a resource is given its name, and the old group is in use.
            assert.deepStrictEqual([old.deleteBeforeReplace, upgraded.deleteBeforeReplace], [false, false]);
            // The group takes the name from the new parameter group, so it is updated after that group exists.
            assert.deepStrictEqual(redis7.one(GROUP).propertyDependencies.parameterGroupName, [upgraded.urn]);
        });
    });
}
