/**
 * When new policies are wired into ALL_POLICIES, the controls they cite must leave UNDECIDABLE and GAPS
 * (tests/coverage.test.ts fails until they do). This removes those entries from
 * tools/coverage/classification.ts and prints each, so the reviewer sees what changed status.
 * Usage: npx ts-node --transpile-only tools/coverage/prune.ts [--write]
 */
import * as fs from "fs";
import * as path from "path";
import { ALL_POLICIES } from "../../policies/all";
import { controlKey } from "./fsbp-controls";
import { citations } from "./generate";

/** One entry per line, `    "Id": ...,` (classification.ts is written that way): drop the lines of covered ids. */
export function prunedSource(source: string, covered: ReadonlySet<string>): { source: string; removed: string[] } {
    const removed: string[] = [];
    const kept = source.split("\n").filter((line) => {
        const id = /^ {4}"([A-Za-z][A-Za-z0-9]*\.\d+)": /.exec(line)?.[1];
        if (id && covered.has(controlKey(id))) {
            removed.push(id);
            return false;
        }
        return true;
    });
    return { source: kept.join("\n"), removed };
}

if (require.main === module) {
    const file = path.resolve(__dirname, "classification.ts");
    const { source, removed } = prunedSource(fs.readFileSync(file, "utf8"), new Set(citations(ALL_POLICIES).keys()));
    for (const id of removed) console.log(`${id}: now cited by ${citations(ALL_POLICIES).get(controlKey(id))!.join(", ")}`);
    if (process.argv.includes("--write")) fs.writeFileSync(file, source);
    else if (removed.length) console.log("(dry run: --write removes them)");
}
