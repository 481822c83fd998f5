/**
 * Offline policy check of one stack: `npm run check -- --stack prod [--first-preview] [--format text|json|sarif]
 * [--policy-config <file>] [--output <file>]`. Runs the program under Pulumi's mocks with the stack's
 * Pulumi.<stack>.yaml and the pack with stacks/<stack>.policy.json. Exit 0 pass, 1 blocking violations, 2 bad input.
 */
import * as fs from "fs";
import * as path from "path";
import { ALL_POLICIES } from "../policies/all";
import { ConfigError } from "../infra/config/load";
import { PolicyConfigError } from "./offline/evaluate";
import { StackConfigError, loadStackConfig } from "./offline/run-program";
import { jsonReport, sarifReport, textReport } from "./offline/report";
import { ROOT, checkStack, policyConfigPath, readPolicyConfig } from "./offline/stack-check";

const USAGE = "usage: npm run check -- --stack <name> [--first-preview] [--format text|json|sarif] [--policy-config <file>] [--output <file>]";
const FORMATS = ["text", "json", "sarif"] as const;

export interface CheckArgs {
    stack: string;
    firstPreview: boolean;
    format: (typeof FORMATS)[number];
    policyConfig?: string;
    output?: string;
}

export function parseArgs(argv: string[]): CheckArgs {
    const args: Partial<CheckArgs> = { firstPreview: false, format: "text" };
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
            return v;
        };
        if (flag === "--stack") args.stack = value();
        else if (flag === "--first-preview") args.firstPreview = true;
        else if (flag === "--format") {
            const f = value();
            if (!FORMATS.includes(f as CheckArgs["format"])) throw new UsageError(`--format ${JSON.stringify(f)} is not allowed: expected one of ${FORMATS.join(", ")}`);
            args.format = f as CheckArgs["format"];
        } else if (flag === "--policy-config") args.policyConfig = value();
        else if (flag === "--output") args.output = value();
        else throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
    }
    if (!args.stack) throw new UsageError("--stack is required");
    return args as CheckArgs;
}

class UsageError extends Error {}

async function run(argv: string[]): Promise<number> {
    const args = parseArgs(argv);
    const config = loadStackConfig(args.stack); // first: an unknown stack is the likelier mistake
    const configFile = args.policyConfig ? path.resolve(args.policyConfig) : policyConfigPath(args.stack);
    const check = await checkStack({ stack: args.stack, config, policies: ALL_POLICIES, policyConfig: readPolicyConfig(configFile), firstPreview: args.firstPreview });
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "package.json"), "utf8")).version;
    const out =
        args.format === "json" ? jsonReport(check, args.firstPreview) : args.format === "sarif" ? sarifReport(check, ALL_POLICIES, version) : textReport(check, args.firstPreview);
    if (args.output) {
        fs.writeFileSync(args.output, `${out}\n`);
        console.log(`${args.stack}: ${check.blocking.length === 0 ? "PASS" : `FAIL (${check.blocking.length} blocking)`}; report written to ${args.output}`);
    } else {
        console.log(out);
    }
    return check.blocking.length === 0 ? 0 : 1;
}

if (require.main === module) {
    run(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e) => {
            if (e instanceof UsageError) console.error(`${e.message}\n${USAGE}`);
            else if (e instanceof ConfigError || e instanceof PolicyConfigError || e instanceof StackConfigError) console.error(e.message);
            else console.error(e);
            process.exit(2);
        },
    );
}
