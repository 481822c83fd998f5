import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { mockCall, mockResourceOutputs, ProviderRegions } from "./mock-outputs";

/** One registration as the engine would see it: inputs, options and dependencies. */
export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    /** false for component resources (ours and awsx's remote ones). */
    custom: boolean;
    remote: boolean;
    /** Inputs as `Mocks.newResource` receives them (secrets wrapped, unknowns dropped). */
    inputs: Record<string, any>;
    /** Inputs as serialized on the wire: unknowns are the SDK's sentinel strings, secrets are wrapped. */
    wireInputs: Record<string, any>;
    /** URN of the parent, if any. */
    parent?: string;
    protect: boolean;
    retainOnDelete: boolean;
    ignoreChanges: string[];
    aliases: string[];
    deleteBeforeReplace?: boolean;
    additionalSecretOutputs: string[];
    customTimeouts: { createSeconds: number; updateSeconds: number; deleteSeconds: number };
    /** URNs from `dependsOn` and from every input. */
    dependencies: string[];
    /** Input name → URNs of the resources its value came from. */
    propertyDependencies: Record<string, string[]>;
    provider?: string;
}

export interface RunOptions {
    project?: string;
    stack: string;
    /** Full config keys (`baseline:database`, `aws:region`) to string values, as Pulumi hands them over. */
    config: Record<string, string>;
    /** Every output of another resource is unknown, as on a new stack's first preview. */
    firstPreview?: boolean;
}

export interface RunResult<T> {
    resources: RecordedResource[];
    outputs: T | undefined;
    error?: unknown;
}

const DURATION_UNITS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, "µs": 1e-6, ns: 1e-9 };

/** Go duration strings ("5m", "1h30m", "500ms") as seconds, the way the engine reports custom timeouts. */
export function durationSeconds(text: string): number {
    let total = 0;
    for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/g)) total += Number(n) * DURATION_UNITS[unit];
    return total;
}

/**
 * An alias as the URN it stands for: given as a URN, or as a spec (`{ name, parent }`), whose URN the
 * engine builds from the old parent's type chain, the resource's type and the old name.
 */
function aliasUrn(alias: any, req: any): string {
    if (typeof alias === "string") return alias;
    if (alias.getUrn?.()) return alias.getUrn();
    const spec = alias.getSpec?.();
    if (!spec) return "";
    const name = spec.getName?.() || req.getName();
    const parentUrn: string = spec.getParenturn?.() || req.getParent() || "";
    if (!parentUrn || spec.getNoparent?.()) return name;
    // urn:pulumi:<stack>::<project>::<parent type chain>::<parent name>
    const [head, project, parentTypes] = parentUrn.split("::");
    const stack = spec.getStack?.() || head.slice("urn:pulumi:".length);
    return `urn:pulumi:${stack}::${spec.getProject?.() || project}::${parentTypes}$${req.getType()}::${name}`;
}

function record(req: any, urn: string, inputs: Record<string, any>): RecordedResource {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((v: any, k: string) => {
        propertyDependencies[k] = v.getUrnsList();
    });
    const timeouts = req.getCustomtimeouts();
    const aliasSpecs: any[] = req.getAliasesList?.() ?? [];
    return {
        urn,
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        remote: req.getRemote(),
        inputs,
        wireInputs: req.getObject()?.toJavaScript() ?? {},
        parent: req.getParent() || undefined,
        protect: req.getProtect() === true,
        retainOnDelete: req.getRetainondelete() === true,
        ignoreChanges: req.getIgnorechangesList(),
        aliases: aliasSpecs.map((a) => aliasUrn(a, req)).filter((a) => a),
        deleteBeforeReplace: req.getDeletebeforereplacedefined() ? req.getDeletebeforereplace() : undefined,
        additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        customTimeouts: {
            createSeconds: timeouts ? durationSeconds(timeouts.getCreate()) : 0,
            updateSeconds: timeouts ? durationSeconds(timeouts.getUpdate()) : 0,
            deleteSeconds: timeouts ? durationSeconds(timeouts.getDelete()) : 0,
        },
        dependencies: req.getDependenciesList(),
        propertyDependencies,
        provider: req.getProvider() || undefined,
    };
}

/**
 * Run `program` under Pulumi's runtime mocks with a stack's configuration and record every
 * registration. Needs neither the CLI nor provider plugins. Runs are sequential: the runtime is global.
 * A program that throws (bad config) is reported in `error` with whatever had been registered by then.
 */
export async function runProgram<T>(program: () => T | Promise<T>, opts: RunOptions): Promise<RunResult<T>> {
    const region = opts.config["aws:region"] ?? "us-east-1";
    pulumi.runtime.setAllConfig(opts.config);

    const resources: RecordedResource[] = [];
    // Resources and invokes made through an explicit aws provider act in that provider's region.
    const regions = new ProviderRegions(region);
    await pulumi.runtime.setMocks(
        {
            newResource: (args) => mockResourceOutputs(args, regions.regionFor(args), opts.firstPreview === true),
            call: (args) => mockCall(args, regions.regionFor(args)),
        },
        opts.project ?? "baseline",
        opts.stack,
        opts.firstPreview === true,
    );

    const monitor: any = settings.getMonitor();
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) =>
        original(req, (err: any, resp: any) => {
            // The same deserialization the mock monitor applies before calling newResource.
            if (!err && resp) {
                const inputs = rpc.deserializeProperties(req.getObject());
                // Before the SDK learns the URN, so no resource can name this provider before it is known.
                regions.record(resp.getUrn(), req.getType(), inputs);
                resources.push(record(req, resp.getUrn(), inputs));
            }
            callback(err, resp);
        });

    let outputs: T | undefined;
    let error: unknown;
    // The SDK takes a stack trace for every promise it makes (debuggable.ts) and every resource's source
    // position; ts-node's source-map-support maps each of them, which was half the run. V8 formats a
    // stack when it is first read, so the error we report is still mapped once the hook is back.
    const mapStackTrace = Error.prepareStackTrace;
    delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    try {
        try {
            outputs = await program();
        } catch (e) {
            error = e;
        }
        // Registrations made inside apply callbacks finish later: drain the queue before reporting.
        await (settings as any).waitForRPCs();
    } finally {
        if (mapStackTrace) Error.prepareStackTrace = mapStackTrace;
    }
    return { resources, outputs, error };
}

/** The stack file is missing or holds what the offline check cannot use. */
export class StackConfigError extends Error {
    override name = "StackConfigError";
}

/** Read `Pulumi.<stack>.yaml` from the project root and return its config in the runtime's string form. */
export function loadStackConfig(stack: string, root: string = path.resolve(__dirname, "../..")): Record<string, string> {
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) {
        const stacks = fs.readdirSync(root).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f)).map((f) => f.split(".")[1]);
        throw new StackConfigError(`stack ${JSON.stringify(stack)} has no ${path.basename(file)}: known stacks are ${stacks.join(", ")}`);
    }
    const doc = yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | undefined;
    return stackConfigToRuntime(doc?.config ?? {});
}

/**
 * Read a stack settings file in the `Pulumi.<stack>.yaml` format from any path (an example under
 * `examples/`) and return its `config:` in the runtime's string form. A file that is missing, unreadable,
 * not YAML or without a `config:` map is a StackConfigError naming the file.
 */
export function loadStackConfigFile(file: string): Record<string, string> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : String((e as Error).message);
        throw new StackConfigError(`config file ${file} cannot be read: ${why}`);
    }
    let doc: unknown;
    try {
        doc = yaml.load(text);
    } catch (e) {
        throw new StackConfigError(`config file ${file} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
    const config = (doc as { config?: unknown } | null | undefined)?.config;
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
        throw new StackConfigError(`config file ${file} has no config: map (expected the Pulumi.<stack>.yaml format: a top-level config: of keys such as baseline:environment)`);
    }
    try {
        return stackConfigToRuntime(config as Record<string, unknown>);
    } catch (e) {
        if (e instanceof StackConfigError) throw new StackConfigError(`config file ${file}: ${e.message}`);
        throw e;
    }
}

/** Parse a `Pulumi.<stack>.yaml` `config:` map into the string form the runtime expects. */
export function stackConfigToRuntime(config: Record<string, unknown>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(config ?? {})) {
        if (value !== null && typeof value === "object" && "secure" in (value as object)) {
            throw new StackConfigError(`${key} is a secret; the offline check cannot decrypt it. Keep secrets out of stack config (the program generates them).`);
        }
        out[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return out;
}
