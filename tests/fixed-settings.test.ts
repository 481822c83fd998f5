import * as assert from "assert";
import { FIXED_SETTINGS } from "../infra/config/fixed-settings";
import { fixedSettingsProvider } from "../infra/guard/fixed-settings";
import { runStack } from "./harness";

/**
 * Settings AWS can apply only by replacement are recorded by a guard resource whose `check` (run during
 * preview) refuses a changed value with a message naming the setting. Here: the provider's `check` on
 * recorded and new values, and what each stack registers.
 */

const check = (olds: Record<string, string> | undefined, news: Record<string, string>) =>
    fixedSettingsProvider.check!(olds === undefined ? {} : { values: olds, replaces: FIXED_SETTINGS }, { values: news, replaces: FIXED_SETTINGS });

describe("fixed settings guard", () => {
    const created = { "baseline:network.cidrBlock": "10.21.0.0/16", "baseline:database.databaseName": "pos" };

    it("accepts the first deploy and an unchanged value", async () => {
        assert.deepStrictEqual((await check(undefined, created)).failures, []);
        assert.deepStrictEqual((await check(created, { ...created })).failures, []);
    });

    it("refuses a changed value, naming the setting, both values, what it would replace and the way forward", async () => {
        const { failures } = await check(created, { ...created, "baseline:network.cidrBlock": "10.22.0.0/16" });
        assert.deepStrictEqual(failures, [
            {
                property: "values",
                reason:
                    'baseline:network.cidrBlock is fixed once the stack is created: it was "10.21.0.0/16" and is now "10.22.0.0/16". ' +
                    "AWS can apply it only by replacing the VPC, and with it every subnet and everything in them. Set it back; " +
                    "to really change it, move the data to a new stack created with the new value, then destroy this one.",
            },
        ]);
    });

    it("reports every changed setting at once", async () => {
        const { failures } = await check(created, { "baseline:network.cidrBlock": "10.22.0.0/16", "baseline:database.databaseName": "shop" });
        assert.deepStrictEqual(failures!.map((f) => f.reason.split(" ")[0]), ["baseline:network.cidrBlock", "baseline:database.databaseName"]);
    });

    it("records a setting that appears (a part turned on) and forgets one that disappears", async () => {
        const docdb = { ...created, "baseline:documentDb.masterUsername": "docdbowner" };
        assert.deepStrictEqual((await check(created, docdb)).failures, []);
        assert.deepStrictEqual((await check(docdb, created)).failures, []);
    });

    it("passes the new values on as the inputs to record", async () => {
        const news = { values: created, replaces: FIXED_SETTINGS };
        assert.strictEqual((await fixedSettingsProvider.check!({}, news)).inputs, news);
        assert.deepStrictEqual((await fixedSettingsProvider.update!("fixed-settings", {}, news)).outs, news);
    });

    describe("stepped settings (the origin token's version)", () => {
        const KEY = "baseline:edge.originTokenVersion";
        const step = (was: string | undefined, now: string | undefined) =>
            fixedSettingsProvider.check!(
                { values: created, replaces: FIXED_SETTINGS, ...(was === undefined ? {} : { steps: { [KEY]: was } }) },
                { values: created, replaces: FIXED_SETTINGS, ...(now === undefined ? {} : { steps: { [KEY]: now } }) },
            );

        it("accepts the same version, a raise by one, the first record and a part turned on or off", async () => {
            for (const [was, now] of [["2", "2"], ["2", "3"], [undefined, "5"], ["4", undefined]] as const) {
                assert.deepStrictEqual((await step(was, now)).failures, [], `${was} -> ${now}`);
            }
        });

        it("refuses a jump or a step back, naming the setting, both values and the way forward", async () => {
            const reason = (was: number, now: number) =>
                `${KEY} moves one step per update: it was ${was} and is now ${now}. Raise it by one, run \`pulumi up\`, and raise it again ` +
                "in a later update if needed: each step keeps the value in use valid while the new one is rolled out, a jump or a step back does not.";
            assert.deepStrictEqual((await step("1", "3")).failures, [{ property: "steps", reason: reason(1, 3) }]);
            assert.deepStrictEqual((await step("3", "2")).failures, [{ property: "steps", reason: reason(3, 2) }]);
        });

        it("is recorded for a stack with CloudFront, and not without", async () => {
            const guard = (await runStack("staging")).one("pulumi-nodejs:dynamic/baseline:FixedSettings", "fixed-settings");
            assert.deepStrictEqual(guard.inputs.steps, { [KEY]: "1" });
            const off = (await runStack("staging", { "baseline:edge": { cloudFront: false } })).one("pulumi-nodejs:dynamic/baseline:FixedSettings", "fixed-settings");
            assert.deepStrictEqual(off.inputs.steps, {});
        });
    });

    for (const [stack, cidr, docdb] of [["prod", "10.20.0.0/16", "3"], ["staging", "10.21.0.0/16", "2"]] as const) {
        it(`${stack}: records every fixed setting of the stack, unprotected so that a destroy completes`, async () => {
            const run = await runStack(stack);
            const guard = run.one("pulumi-nodejs:dynamic/baseline:FixedSettings", "fixed-settings");
            assert.deepStrictEqual(guard.inputs.values, {
                "aws:region": "eu-west-1",
                "baseline:app.name": "pos",
                "baseline:network.cidrBlock": cidr,
                "baseline:network.availabilityZoneCount": docdb,
                "baseline:network.publicSubnetMask": "24",
                "baseline:network.privateSubnetMask": "20",
                "baseline:network.isolatedSubnetMask": "24",
                "baseline:database.databaseName": "pos",
                "baseline:database.masterUsername": "pos_admin",
                "baseline:documentDb.masterUsername": "docdbowner",
            });
            assert.strictEqual(guard.inputs.replaces["baseline:database.masterUsername"], "the PostgreSQL instance");
            assert.strictEqual(guard.protect, false);
            assert.strictEqual(typeof guard.inputs.__provider, "string");
        });
    }

    it("leaves out the DocumentDB user when DocumentDB is off", async () => {
        const run = await runStack("staging", { "baseline:documentDb": { enabled: false }, "baseline:services": [] });
        const guard = run.one("pulumi-nodejs:dynamic/baseline:FixedSettings", "fixed-settings");
        assert.ok(!("baseline:documentDb.masterUsername" in guard.inputs.values));
    });
});
