import * as assert from "assert";
import { runStack } from "./harness";

describe("harness", () => {
    it("runs the prod stack under mocks", async () => {
        const run = await runStack("prod");
        assert.ok(Array.isArray(run.resources));
    });
});
