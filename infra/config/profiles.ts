import profiles from "../../stacks/profiles.json";
import { Environment, Profile } from "./types";

/**
 * Per-environment defaults, kept as data in `stacks/profiles.json` beside the stack files: a stack's
 * `Pulumi.<stack>.yaml` overrides any key of any section, and whatever it leaves out comes from there.
 * The loader validates every merged value with the same checks as the stack's own, so a bad profile
 * value fails like a bad stack value; the README's configuration reference is generated from it.
 */
export const PROFILES: Readonly<Record<Environment, Profile>> = profiles as unknown as Record<Environment, Profile>;
