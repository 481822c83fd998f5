/**
 * A service's `secrets` (variable name → reference) as what ECS and IAM need: the ARN the execution role
 * may read, the `valueFrom` ECS resolves at task start, and which key decrypts it. Pure: ARNs come in.
 */

export type StoreName = "postgres" | "redis" | "documentDb";

/** Where one secret variable comes from. */
export type SecretSource =
    | { kind: "store"; store: StoreName; jsonKey?: string }
    | { kind: "secretsmanager"; secretName: string; jsonKey?: string }
    | { kind: "ssm"; parameterPath: string };

/** Which JSON key (if any) of each store's managed secret a reference reads. */
const STORE_REFERENCES: Record<string, { store: StoreName; jsonKey?: string }> = {
    "postgres:password": { store: "postgres", jsonKey: "password" },
    "postgres:username": { store: "postgres", jsonKey: "username" },
    // The auth-token secret holds the token itself, not JSON.
    "redis:authToken": { store: "redis" },
    "documentDb:password": { store: "documentDb", jsonKey: "password" },
    "documentDb:username": { store: "documentDb", jsonKey: "username" },
};

/** `secretsmanager:<name>[:<json key>]` (names have no colon) and `ssm:/<path>`, as the config accepts them. */
const SECRETS_MANAGER = /^secretsmanager:([A-Za-z0-9/_+=.@-]{1,512})(?::([A-Za-z0-9_.-]{1,256}))?$/;
const SSM = /^ssm:(\/[A-Za-z0-9_.\-/]{1,1010})$/;

/** The source of a reference, or undefined for one the config would have refused. */
export function parseSecretReference(reference: string): SecretSource | undefined {
    const store = STORE_REFERENCES[reference];
    if (store) return { kind: "store", ...store };
    const sm = SECRETS_MANAGER.exec(reference);
    if (sm) return { kind: "secretsmanager", secretName: sm[1], ...(sm[2] ? { jsonKey: sm[2] } : {}) };
    const ssm = SSM.exec(reference);
    return ssm ? { kind: "ssm", parameterPath: ssm[1] } : undefined;
}

/**
 * What ECS reads a secret from: the secret's full ARN, with `:<json key>::` for one key of a JSON secret
 * (`arn:...:secret:name-AbCdEf:password::`, the empty version stage and id meaning the current version),
 * or the parameter's ARN. ECS needs the full ARN (with Secrets Manager's 6-character suffix).
 */
export function valueFrom(arn: string, jsonKey?: string): string {
    return jsonKey === undefined ? arn : `${arn}:${jsonKey}::`;
}

/** One variable, resolved: its ECS entry and what the execution role must be allowed. */
export interface ResolvedSecret {
    name: string;
    valueFrom: string;
    /** The secret or parameter ARN the execution role reads. */
    arn: string;
    kind: "secret" | "parameter";
    /**
     * How its value is decrypted: `data` (the stack's data key, through Secrets Manager), `awsManaged`
     * (an AWS managed key, whose key policy already admits the account's principals through the service),
     * `parameter` (a parameter the stack does not create: `aws/ssm` unless customer keys are configured),
     * `dataViaSsm` (a SecureString the stack creates under the data key, decrypted through SSM for this
     * parameter only), `none` (a `String` parameter the stack creates: nothing to decrypt).
     */
    key: "data" | "awsManaged" | "parameter" | "dataViaSsm" | "none";
}

/**
 * The key each source uses. The PostgreSQL and Redis secrets use the data key (infra/data); DocumentDB's
 * uses `aws/secretsmanager` (the provider cannot choose its key); application secrets in Secrets Manager
 * are expected to use the data key (or `aws/secretsmanager`, for which the data-key grant is harmless).
 */
export function keyOf(source: SecretSource): ResolvedSecret["key"] {
    if (source.kind === "ssm") return "parameter";
    if (source.kind === "store" && source.store === "documentDb") return "awsManaged";
    return "data";
}

/** `key` overrides {@link keyOf} where the caller knows more (a parameter or secret the stack creates). */
export function resolveSecret(name: string, source: SecretSource, arn: string, key: ResolvedSecret["key"] = keyOf(source)): ResolvedSecret {
    const jsonKey = source.kind === "ssm" ? undefined : source.jsonKey;
    return { name, valueFrom: valueFrom(arn, jsonKey), arn, kind: source.kind === "ssm" ? "parameter" : "secret", key };
}

/** Distinct values, in first-seen order. */
export const distinct = <T>(values: T[]): T[] => [...new Set(values)];
