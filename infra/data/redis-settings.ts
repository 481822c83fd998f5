import * as pulumi from "@pulumi/pulumi";
import { assertSection } from "../config/checks";
import { CACHE_CHECKS, maxmemoryPolicyOf } from "../config/sections/cache";
import { CacheConfig } from "../config/types";
import { redisFamily } from "./engine-families";
import { dataIdentifier } from "./naming";
import type { RedisArgs } from "./redis";

/** Pure pieces of the Redis replication group: validation, names and the settings that need no other resource. */

/** The only special characters Redis AUTH accepts (no space, `"`, `/` or `@`). */
export const AUTH_TOKEN_SPECIALS = "!&#$^<>-";
/** Redis AUTH accepts 16 to 128 characters. */
export const AUTH_TOKEN_LENGTH = 64;
export const REDIS_PORT = 6379;

/** What the component needs once its arguments are known to be valid. */
export interface RedisIdentity {
    /** `<namePrefix>-redis`: replication group, subnet group and, with the family, parameter group names. */
    groupId: string;
    /** Parameter group family of the engine version (`redis7`, `redis6.x`). */
    family: string;
}

/**
 * The loader's `baseline:cache` checks on the component's own arguments (a caller building them by hand
 * meets the same limits), then the names. Throws before anything is registered.
 */
export function validateRedisArgs(name: string, args: RedisArgs): RedisIdentity {
    const component = `Redis ${name}`;
    assertSection(component, "cache", CACHE_CHECKS, args.cache, args.environment);
    return { groupId: dataIdentifier(component, args.namePrefix, "redis", 40), family: redisFamily(args.cache.engineVersion) };
}

/**
 * `required` where the engine has transit encryption modes: Redis OSS 7.0.5 and later (`7.0` and `7.1`
 * resolve to such patches). Redis 6.x rejects the setting at create ("Transit encryption mode is not
 * supported for engine version 6.2.6"), and there `transitEncryptionEnabled` alone already refuses plaintext.
 */
export function transitEncryptionMode(engineVersion: string): "required" | undefined {
    return Number(engineVersion.split(".")[0]) >= 7 ? "required" : undefined;
}

/**
 * The parameter group. Its name carries the family, so a major upgrade creates the new group beside the
 * old one (create-before-delete) and the old one is deleted once the replication group has moved off it.
 * The description stays fixed: ElastiCache replaces a group whose description changes, under the same name.
 */
export function parameterGroupSettings(identity: RedisIdentity, cache: Pick<CacheConfig, "holds" | "maxmemoryPolicy">) {
    return {
        name: `${identity.groupId}-${identity.family.replace(/\.x$/, "")}`,
        family: identity.family,
        description: `${identity.groupId}: eviction policy`,
        parameters: [{ name: "maxmemory-policy", value: maxmemoryPolicyOf(cache) }],
    };
}

/**
 * Keepers of the token's RandomPassword: a new version draws a new token. Version 1 has none, so a stack
 * deployed before versions existed keeps the token it has.
 */
export function authTokenKeepers(version: number): { authTokenVersion: string } | undefined {
    return version === 1 ? undefined : { authTokenVersion: String(version) };
}

/** The token version a RandomPassword was drawn for, from its keepers. */
export const keptAuthTokenVersion = (keepers: Record<string, string> | undefined): number => Number(keepers?.authTokenVersion ?? 1);

/**
 * `SET` (only the current token is valid) once the stack retires the previous one, else `ROTATE` (a new
 * token works beside the old one). While retiring, the token cannot change (its keepers' changes are
 * ignored), so SET only ever applies a token the services already have; a version raised meanwhile would
 * silently not be drawn, so it is refused, naming the steps.
 */
export function authTokenUpdateStrategy(name: string, cache: Pick<CacheConfig, "authTokenVersion" | "retirePreviousAuthToken">, deployedVersion: number): "SET" | "ROTATE" {
    if (!cache.retirePreviousAuthToken) return "ROTATE";
    if (deployedVersion !== cache.authTokenVersion) {
        throw new Error(
            `Redis ${name}: cache.authTokenVersion is ${cache.authTokenVersion} but the deployed token is version ${deployedVersion}, and cache.retirePreviousAuthToken is true: ` +
                `a new token is never drawn and made the only valid one in the same update, which would lock out every client still using version ${deployedVersion}. ` +
                `Set retirePreviousAuthToken to false to add version ${cache.authTokenVersion} beside the old token (step 1), restart the services, then set it to true (step 2).`,
        );
    }
    return "SET";
}

/**
 * The inputs the provider can change only by replacing the group (ForceNew in replication_group.go), as
 * one object spread into the group and into its final snapshot suffix's keepers: each replacement draws a
 * new suffix, so a staging group deleted twice under the same id never collides with its first snapshot.
 */
export function redisReplacedOn(identity: RedisIdentity, dataKeyArn: pulumi.Input<string>, subnetGroupName: pulumi.Input<string>) {
    return { replicationGroupId: identity.groupId, port: REDIS_PORT, atRestEncryptionEnabled: true, kmsKeyId: dataKeyArn, subnetGroupName };
}

/** Replication group inputs that come from config alone (the component adds the ones wired to its other resources). */
export function replicationGroupSettings(args: RedisArgs) {
    const cache = args.cache;
    const replicated = cache.numCacheClusters >= 2;
    return {
        description: `${args.namePrefix} application cache`,
        engine: "redis",
        engineVersion: cache.engineVersion,
        nodeType: cache.nodeType,
        numCacheClusters: cache.numCacheClusters,
        // A `pulumi up` is the change window: a major upgrade swaps the parameter group now, so the old
        // group is free to delete in the same run (it would stay in use until the maintenance window).
        applyImmediately: true,

        transitEncryptionEnabled: true,
        transitEncryptionMode: transitEncryptionMode(cache.engineVersion),

        automaticFailoverEnabled: replicated,
        multiAzEnabled: replicated,

        snapshotRetentionLimit: cache.snapshotRetentionDays,
        snapshotWindow: cache.snapshotWindow,
        maintenanceWindow: cache.maintenanceWindow,
        autoMinorVersionUpgrade: true,
    };
}
