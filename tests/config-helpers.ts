import * as assert from "assert";
import { ConfigError, RawConfig, resolveConfig } from "../infra/config/load";

/** The problems a config raises, or a failure if it is accepted. */
export function problemsOf(config: RawConfig): string[] {
    try {
        resolveConfig(config);
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
        return e.problems;
    }
    assert.fail("expected the configuration to be rejected");
}
