/** Pure pieces of the Redis replication group that depend on the engine version. */

/**
 * `required` where the engine has transit encryption modes: Redis OSS 7.0.5 and later (`7.0` and `7.1`
 * resolve to such patches). Redis 6.x rejects the setting at create ("Transit encryption mode is not
 * supported for engine version 6.2.6"), and there `transitEncryptionEnabled` alone already refuses plaintext.
 */
export function transitEncryptionMode(engineVersion: string): "required" | undefined {
    return Number(engineVersion.split(".")[0]) >= 7 ? "required" : undefined;
}
