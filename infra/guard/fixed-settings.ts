import * as pulumi from "@pulumi/pulumi";
import { FIXED_SETTINGS } from "../config/fixed-settings";

export interface FixedSettingsArgs {
    /** Setting name → value, from `fixedSettingValues`. */
    values: Record<string, string>;
    /** Setting name → what a change would replace, for the message. Default {@link FIXED_SETTINGS}. */
    replaces?: Record<string, string>;
    /** Settings that may only stay or rise by one per update (name → value as a whole number), from `steppedSettingValues`. */
    steps?: Record<string, string>;
}

/**
 * A dynamic provider that holds nothing in AWS: it records the fixed settings in the stack's state and,
 * in `check` (which runs during preview, before any step), refuses a value that differs from the
 * recorded one, naming the setting, both values and the way forward. A setting that disappears (a part
 * turned off) is forgotten; one that appears is recorded. Delete is a no-op, so `pulumi destroy` completes.
 * Self-contained on purpose: Pulumi serializes the provider's code into the state.
 */
export const fixedSettingsProvider: pulumi.dynamic.ResourceProvider = {
    async check(olds: any, news: any) {
        const before: Record<string, string> = olds?.values ?? {};
        const after: Record<string, string> = news?.values ?? {};
        const replaces: Record<string, string> = news?.replaces ?? {};
        const failures = Object.keys(after)
            .filter((key) => key in before && before[key] !== after[key])
            .map((key) => ({
                property: "values",
                reason:
                    `${key} is fixed once the stack is created: it was ${JSON.stringify(before[key])} and is now ${JSON.stringify(after[key])}. ` +
                    `AWS can apply it only by replacing ${replaces[key] ?? "the resources it describes"}. Set it back; ` +
                    "to really change it, move the data to a new stack created with the new value, then destroy this one.",
            }));
        const stepsBefore: Record<string, string> = olds?.steps ?? {};
        const stepsAfter: Record<string, string> = news?.steps ?? {};
        for (const key of Object.keys(stepsAfter).filter((k) => k in stepsBefore)) {
            const was = Number(stepsBefore[key]);
            const now = Number(stepsAfter[key]);
            if (now === was || now === was + 1) continue;
            failures.push({
                property: "steps",
                reason:
                    `${key} moves one step per update: it was ${was} and is now ${now}. Raise it by one, run \`pulumi up\`, and raise it again ` +
                    `in a later update if needed: each step keeps the value in use valid while the new one is rolled out, a jump or a step back does not.`,
            });
        }
        return { inputs: news, failures };
    },
    async create(inputs: any) {
        return { id: "fixed-settings", outs: inputs };
    },
    async update(_id: string, _olds: any, news: any) {
        return { outs: news };
    },
    async delete() {
        // Nothing exists outside the state.
    },
};

/**
 * Stops a `pulumi preview`/`up` that changes a setting AWS can apply only by replacement (see
 * `FIXED_SETTINGS`), with a message naming it, in every environment: in prod `protect` would stop the
 * replacement too, but only after naming a resource, not the setting; in staging the replacement would
 * fail half-way on a fixed name or on subnets still in use.
 */
export class FixedSettings extends pulumi.dynamic.Resource {
    constructor(name: string, args: FixedSettingsArgs, opts?: pulumi.CustomResourceOptions) {
        const replaces = Object.fromEntries(Object.keys(args.values).map((k) => [k, (args.replaces ?? FIXED_SETTINGS)[k] ?? "the resources it describes"]));
        super(fixedSettingsProvider, name, { values: args.values, replaces, ...(args.steps ? { steps: args.steps } : {}) }, opts, "baseline", "FixedSettings");
    }
}
