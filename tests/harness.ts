import { main } from "../infra/main";
import { RecordedResource, RunOptions, RunResult, loadStackConfig, runProgram } from "../tools/offline/run-program";

export { RecordedResource };

/** The wrapper the SDK puts around secret values on the wire and in mock inputs. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const SIG_KEY = "4dabf18193072939515e22adb298388d";

export function isSecret(value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/** A finished run, with lookups that fail loudly when a resource is missing or ambiguous. */
export class Run {
    constructor(readonly resources: RecordedResource[], readonly outputs: any) {}

    ofType(type: string): RecordedResource[] {
        return this.resources.filter((r) => r.type === type);
    }

    /** The one resource of `type` (named `name` if given). */
    one(type: string, name?: string): RecordedResource {
        const found = this.ofType(type).filter((r) => name === undefined || r.name === name);
        if (found.length !== 1) {
            const names = this.ofType(type).map((r) => r.name).join(", ") || "none";
            throw new Error(`expected exactly one ${type}${name ? ` named ${name}` : ""}, found ${found.length} (registered: ${names})`);
        }
        return found[0];
    }

    byUrn(urn: string | undefined): RecordedResource | undefined {
        return this.resources.find((r) => r.urn === urn);
    }

    /** The parent resource's name, for identity assertions. */
    parentName(r: RecordedResource): string | undefined {
        return this.byUrn(r.parent)?.name;
    }
}

/**
 * Config overrides by full key (`baseline:database`). Object values are merged one level deep over
 * the stack file's value, so a test changes one setting and keeps the rest; `null` removes the key.
 */
export type Overrides = Record<string, unknown>;

export function stackConfig(stack: string, overrides: Overrides = {}): Record<string, string> {
    const config = loadStackConfig(stack);
    for (const [key, value] of Object.entries(overrides)) {
        if (value === null) {
            delete config[key];
            continue;
        }
        const base = config[key] !== undefined ? safeParse(config[key]) : undefined;
        const merged =
            isPlainObject(value) && isPlainObject(base) ? { ...(base as object), ...(value as object) } : value;
        config[key] = typeof merged === "string" ? merged : JSON.stringify(merged);
    }
    return config;
}

/** Run the whole program for a stack of this repository (with overrides) under mocks. */
export async function runStack(stack: string, overrides: Overrides = {}, opts: Partial<RunOptions> = {}): Promise<Run> {
    const result = await runProgram(main, { stack, config: stackConfig(stack, overrides), ...opts });
    if (result.error) throw result.error;
    return new Run(result.resources, result.outputs);
}

/** Run the program and return the error it raised (for config validation tests). */
export async function runStackExpectingError(stack: string, overrides: Overrides): Promise<{ error: Error; result: RunResult<unknown> }> {
    const result = await runProgram(main, { stack, config: stackConfig(stack, overrides) });
    if (!result.error) throw new Error("expected the program to fail, but it succeeded");
    return { error: result.error as Error, result };
}

/** Run any piece of program (one component) under mocks with a stack's config. */
export async function runUnderMocks<T>(fn: () => T, stack = "prod", overrides: Overrides = {}, opts: Partial<RunOptions> = {}): Promise<Run> {
    const result = await runProgram(fn, { stack, config: stackConfig(stack, overrides), ...opts });
    if (result.error) throw result.error;
    return new Run(result.resources, result.outputs);
}

function safeParse(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return text;
    }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}
