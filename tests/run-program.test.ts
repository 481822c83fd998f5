import * as aws from "@pulumi/aws";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { durationSeconds, runProgram } from "../tools/offline/run-program";
import { runUnderMocks } from "./harness";

describe("offline recorder", () => {
    it("reads custom timeouts as Go durations, as the engine reports them", () => {
        assert.deepStrictEqual(["1h30m", "90s", "500ms", "2m0.5s", ""].map(durationSeconds), [5400, 90, 0.5, 120.5, 0]);
    });

    it("records options and inputs per resource, even when two share a name under different parents", async () => {
        const run = await runUnderMocks(() => {
            const a = new pulumi.ComponentResource("test:x:A", "a");
            const b = new pulumi.ComponentResource("test:x:B", "b");
            new aws.kms.Key("key", { description: "under a" }, { parent: a, protect: true, customTimeouts: { create: "500ms", delete: "1h" } });
            new aws.kms.Key("key", { description: "under b" }, { parent: b, retainOnDelete: true, ignoreChanges: ["description"] });
        });
        const keys = run.ofType("aws:kms/key:Key").map((k) => ({
            parent: run.parentName(k), description: k.inputs.description, protect: k.protect, retain: k.retainOnDelete, ignore: k.ignoreChanges, timeouts: k.customTimeouts,
        }));
        assert.deepStrictEqual(keys.sort((x, y) => String(x.parent).localeCompare(String(y.parent))), [
            { parent: "a", description: "under a", protect: true, retain: false, ignore: [], timeouts: { createSeconds: 0.5, updateSeconds: 0, deleteSeconds: 3600 } },
            { parent: "b", description: "under b", protect: false, retain: true, ignore: ["description"], timeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 } },
        ]);
    });

    it("formats stacks without the source-map hook during the run, and reports the program's error through it afterwards", async () => {
        const original = Error.prepareStackTrace;
        const hook = (e: Error) => `mapped: ${e.message}`;
        Error.prepareStackTrace = hook;
        try {
            let during: string | undefined;
            const run = await runProgram(() => {
                during = new Error("inside").stack; // what the SDK's promise and source-position stacks cost
                throw new Error("bad config");
            }, { stack: "test", config: {} });
            assert.notStrictEqual(during, "mapped: inside");
            assert.strictEqual((run.error as Error).stack, "mapped: bad config"); // formatted when first read, with the hook back
            assert.strictEqual(Error.prepareStackTrace, hook);
        } finally {
            Error.prepareStackTrace = original;
        }
    });
});
