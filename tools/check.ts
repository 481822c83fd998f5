/**
 * Offline policy check of one stack: `npm run check -- --stack prod [--first-preview] [--format text|json|sarif]
 * [--policy-config <file>] [--output <file>] [--remediate] [--config <file>]`. Runs the program under Pulumi's mocks with
 * the stack's Pulumi.<stack>.yaml (or, with `--config`, the `config:` of that file in the same format, such as an
 * example under examples/) and the pack with stacks/<stack>.policy.json. Exit 0 pass, 1 blocking violations, 2 bad input.
 * `--remediate` also shows, as a diff per resource, what every remediation of the pack that is not
 * disabled would change (as if its level were "remediate"), without applying anything. `--graph mermaid|dot`
 * writes the stack's topology (components, entry points, stores, allowed network paths) instead of the report.
 */
import * as fs from "fs";
import * as path from "path";
import { ALL_POLICIES } from "../policies/all";
import { ConfigError } from "../infra/config/load";
import { PolicyConfigError, resolvePolicyConfig } from "./offline/evaluate";
import { remediate, remediationReport } from "./offline/remediate";
import { StackConfigError, loadStackConfig, loadStackConfigFile } from "./offline/run-program";
import { jsonReport, sarifReport, textReport } from "./offline/report";
import { stackGraph, toDot, toMermaid } from "./offline/graph";
import { ROOT, checkStack, policyConfigPath, readPolicyConfig, toEvalResource } from "./offline/stack-check";

const USAGE = "usage: npm run check -- --stack <name> [--first-preview] [--format text|json|sarif] [--policy-config <file>] [--output <file>] [--remediate] [--config <file>] [--graph mermaid|dot]";
const FORMATS = ["text", "json", "sarif"] as const;
const GRAPHS = ["mermaid", "dot"] as const;

export interface CheckArgs {
    stack: string;
    firstPreview: boolean;
    format: (typeof FORMATS)[number];
    policyConfig?: string;
    output?: string;
    /** A stack settings file in the Pulumi.<stack>.yaml format used instead of Pulumi.<stack>.yaml. Set only when given. */
    config?: string;
    /** Show what the pack's remediations would change (text and json formats). Set only when given. */
    remediate?: true;
    /** Write the stack's topology in this notation instead of the report. Set only when given. */
    graph?: (typeof GRAPHS)[number];
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
        else if (flag === "--config") args.config = value();
        else if (flag === "--remediate") args.remediate = true;
        else if (flag === "--graph") {
            const g = value();
            if (!GRAPHS.includes(g as (typeof GRAPHS)[number])) throw new UsageError(`--graph ${JSON.stringify(g)} is not allowed: expected one of ${GRAPHS.join(", ")}`);
            args.graph = g as (typeof GRAPHS)[number];
        }
        else throw new UsageError(`unknown argument ${JSON.stringify(flag)}`);
    }
    if (!args.stack) throw new UsageError("--stack is required");
    if (args.graph && args.remediate) throw new UsageError("--graph replaces the report: it is not allowed with --remediate");
    if (args.remediate && args.format === "sarif") throw new UsageError("--remediate is not allowed with --format sarif: expected --format text or json");
    return args as CheckArgs;
}

class UsageError extends Error {}

/** The stack tags checkStack passes to the policies. */
const STACK_TAGS = new Map([["pulumi:project", "baseline"], ["pulumi:runtime", "nodejs"]]);

async function run(argv: string[]): Promise<number> {
    const args = parseArgs(argv);
    // First: an unknown stack or a missing config file is the likelier mistake.
    const config = args.config ? loadStackConfigFile(args.config) : loadStackConfig(args.stack);
    const configFile = args.policyConfig ? path.resolve(args.policyConfig) : policyConfigPath(args.stack);
    const policyConfig = readPolicyConfig(configFile);
    const check = await checkStack({ stack: args.stack, config, policies: ALL_POLICIES, policyConfig, firstPreview: args.firstPreview });
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, "policies", "package.json"), "utf8")).version;
    let out =
        args.format === "json" ? jsonReport(check, args.firstPreview) : args.format === "sarif" ? sarifReport(check, ALL_POLICIES, version) : textReport(check, args.firstPreview);
    if (args.remediate) {
        const run = await remediate(check.resources.map(toEvalResource), {
            policies: ALL_POLICIES, config: resolvePolicyConfig(ALL_POLICIES, policyConfig), stackTags: STACK_TAGS, asIfRemediate: true,
        });
        if (args.format === "json") out = JSON.stringify({ ...JSON.parse(out), remediations: run.remediations, remediationsCantRun: run.cantRun }, null, 2);
        else out = `${out}\n\n${remediationReport(run)}`;
    }
    if (args.graph) out = (args.graph === "dot" ? toDot : toMermaid)(stackGraph(check.resources));
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
