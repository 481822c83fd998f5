import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { configReference } from "../tools/config-reference";

describe("README", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "../README.md"), "utf8");

    it("documents every config key with the defaults the profiles really have", () => {
        assert.ok(
            readme.includes(configReference()),
            "README's configuration reference is stale: regenerate it with `npx ts-node --transpile-only tools/config-reference.ts`",
        );
    });
});
