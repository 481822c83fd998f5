import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { configReference, policyTable, securityHubCoverage } from "../tools/readme-tables";

describe("README", () => {
    const readme = fs.readFileSync(path.resolve(__dirname, "../README.md"), "utf8");

    it("documents every config key with the defaults the profiles really have", () => {
        assert.ok(
            readme.includes(configReference()),
            "README's configuration reference is stale: regenerate it with `npx ts-node --transpile-only tools/readme-tables.ts --write`",
        );
    });

    it("lists every policy with its default level, catalogue rows and Security Hub controls", () => {
        assert.ok(readme.includes(policyTable()), "README's policy table is stale: regenerate it with `npx ts-node --transpile-only tools/readme-tables.ts --write`");
    });

    it("shows the Security Hub coverage the pack's metadata gives today, with Pulumi's packs beside it", () => {
        const section = securityHubCoverage();
        assert.ok(readme.includes(section), "README's Security Hub coverage is stale: regenerate it with `npx ts-node --transpile-only tools/readme-tables.ts --write`");
        assert.strictEqual(readme.split(section).length, 2, "the coverage block appears once");
        assert.match(readme, /\n## Security Hub coverage\n\n[^\n]+[\s\S]*?\n\n<!-- security-hub-coverage:start/);
    });

    it("holds exactly two set-up commands: the offline check of a stack, and the tests", () => {
        const commands = [...readme.matchAll(/^\$ (.+)$/gm)].map((m) => m[1]);
        assert.deepStrictEqual(commands, ["bash scripts/with-node22.sh npm run check -- --stack prod", "bash scripts/with-node22.sh npm test"]);
        assert.match(fs.readFileSync(path.resolve(__dirname, "../.ci/run"), "utf8"), /^bash scripts\/with-node22\.sh npm test\b/m);
    });
});
