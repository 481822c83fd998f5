import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./config/load";
import { BaselineConfig } from "./config/types";

/**
 * Wire the components of one stack together. Only wiring lives here: each component owns one concern.
 * Logical names are fixed (never derived from config), so no config change renames a stateful resource.
 */
export function createBaseline(config: BaselineConfig) {
    return {
        environment: pulumi.output(config.environment),
    };
}

/** Load and validate the stack's configuration (throws before anything is registered), then build it. */
export function main() {
    return createBaseline(loadConfig());
}
