import { ConfigProperty } from "./define";
import { isUnknown } from "./props";

/**
 * The plaintext-secret detector shared by every policy that reads environment variables (ECS
 * container definitions, Lambda functions): secret-looking names whose value is not plainly a
 * setting, URLs that carry a password and `Key=Value;` connection strings that carry a credential.
 * One detector, one set of config keys, so a name or value one service rejects the other rejects too.
 */

/**
 * `scheme://user:password@host...`: a URL that carries a password. The user may be empty: Redis AUTH
 * URLs are written `redis://:password@host:6379` (found by the serverless bypass tests). The URL need not
 * start the value: JDBC URLs put `jdbc:` before the scheme (`jdbc:mysql://app:<password>@db/shop`), and a
 * JSON or command-line value holds the URL inside (`{"db":"postgres://app:<password>@db"}`).
 */
export function hasUrlPassword(value: unknown): boolean {
    return typeof value === "string" && /(?:^|[^a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i.test(value);
}

/**
 * Keys of `Key=Value;...` connection strings whose value is a credential: ADO.NET / ODBC `Password` and
 * `Pwd`, Azure Storage `AccountKey`, Azure Service Bus / Event Hubs `SharedAccessKey`. .NET reads
 * `ConnectionStrings__<name>` from the environment (`__` stands for `:`), so these strings do end up in
 * task definitions. Matched case-insensitively, with spaces around the key and `=` allowed. The same keys as
 * URL query parameters too: JDBC and libpq URLs take the password there
 * (`jdbc:postgresql://db/shop?user=app&password=<password>`), where `&` ends the value.
 */
const CONNECTION_STRING_SECRET = /(?:^|[;?&])\s*(?:password|pwd|accountkey|sharedaccesskey)\s*=\s*([^;&]*)/gi;

/** `Server=db;User Id=sa;Password=<something>;`: a connection string that carries a credential. `Password=;`, `Password="";` or ODBC's `Pwd={};` carries none. */
export function hasConnectionStringSecret(value: unknown): boolean {
    if (typeof value !== "string") return false;
    for (const m of value.matchAll(CONNECTION_STRING_SECRET)) {
        if (!/^(""|''|\{\})?$/.test(m[1].trim())) return true;
    }
    return false;
}

/** Words in a name that say a number counts or measures something (a setting about a secret, not the secret). */
export const QUANTITY_WORDS: ReadonlySet<string> = new Set([
    "TTL", "MS", "MILLIS", "MILLISECONDS", "SEC", "SECS", "SECOND", "SECONDS", "MIN", "MINS", "MINUTE", "MINUTES", "HOUR", "HOURS",
    "DAY", "DAYS", "WEEK", "WEEKS",
    "AGE", "TIMEOUT", "INTERVAL", "EXPIRY", "EXPIRES", "EXPIRATION", "LIFETIME", "DURATION", "PERIOD", "DELAY", "WINDOW",
    "LENGTH", "LEN", "SIZE", "BYTES", "BITS", "COUNT", "MAX", "LIMIT", "RETRIES", "ATTEMPTS", "ROUNDS", "ITERATIONS", "COST",
    "THRESHOLD", "CAPACITY", "PORT", "VERSION", "ENABLED", "DISABLED", "ENABLE", "DISABLE", "REQUIRED",
]);

/** Last words of a name that say its value is an address, not a credential. */
const ADDRESS_WORDS: ReadonlySet<string> = new Set(["URL", "URI", "ENDPOINT", "ISSUER"]);

/**
 * True when a variable's value plainly holds no secret, whatever its name says. Exactly:
 * - no value, or an empty or blank string;
 * - a boolean word: true, false, yes, no, on, off (any case);
 * - a duration: digits with a unit, possibly repeated (`30s`, `15m`, `1h30m`, `500ms`, `7d`, `2w`);
 * - an integer (optionally negative), but only when the name says what it measures, with a whole word
 *   such as TTL, SECONDS, DAYS, LENGTH, MIN, MAX, COUNT or ENABLED (`TOKEN_TTL_SECONDS=3600`,
 *   `PASSWORD_MIN_LENGTH=12`): `DB_PASSWORD=123456` is a (weak) password and is still reported;
 * - an http(s) URL with no user information, query or fragment, when the name's last word says it is an
 *   address (URL, URI, ENDPOINT, ISSUER): `TOKEN_ENDPOINT=https://login.example.com/oauth2/token`, the
 *   OAuth settings of every authorizer. A query (`?token=...`, `?sig=...`) may carry a credential.
 * Anything else under a secret-looking name (`abc123`, `sk_live_...`, a random string, a value of the
 * wrong type) counts as a secret. A value unknown until apply is not plainly anything.
 */
export function isPlainlyNotSecret(name: string, value: unknown): boolean {
    if (value === undefined || value === null) return true;
    if (typeof value === "boolean") return true;
    if (typeof value !== "string" && typeof value !== "number") return false;
    if (isUnknown(value)) return false;
    const v = String(value).trim();
    if (v === "" || /^(true|false|yes|no|on|off)$/i.test(v) || /^(\d+(ms|s|m|h|d|w))+$/i.test(v)) return true;
    const words = name.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter((w) => w !== "").map((w) => w.toUpperCase());
    if (/^https?:\/\/[^\s@?#]+$/i.test(v)) return ADDRESS_WORDS.has(words[words.length - 1]);
    if (!/^-?\d+$/.test(v)) return false;
    return words.some((w) => QUANTITY_WORDS.has(w));
}

/** Names that mark a variable as a secret, by default. */
export const DEFAULT_SECRET_NAME_PATTERNS: readonly string[] = [
    "PASSWORD", "PASSWD", "PASSPHRASE", "(^|_)PASS($|_)", "(^|_)PWD($|_)", "SECRET", "TOKEN", "API_?KEY", "PRIVATE_?KEY", "ACCESS_?KEY", "SIGNING_?KEY", "CREDENTIAL",
];

/** Names that only point at a secret (DB_SECRET_ARN), allowed by default. */
export const DEFAULT_ALLOWED_NAME_PATTERNS: readonly string[] = ["_(ARN|NAME|PATH|FILE)$"];

export interface PlaintextSecretsConfig {
    secretNamePatterns: string[];
    allowedNamePatterns: string[];
}

/** The config keys every plaintext-secret policy takes, with the same schema and defaults. */
export const PLAINTEXT_SECRETS_CONFIG: { [K in keyof PlaintextSecretsConfig]: ConfigProperty } = {
    secretNamePatterns: {
        type: "array", items: { type: "string", minLength: 1 }, minItems: 1,
        default: [...DEFAULT_SECRET_NAME_PATTERNS],
        description: "Regular expressions (case-insensitive) that mark an environment variable name as a secret (unless its value is plainly not one: empty, true/false/yes/no/on/off, a duration such as 30s, an integer under a name that says what it measures such as TOKEN_TTL_SECONDS, or an http(s) URL without credentials or query under a name ending in URL, URI, ENDPOINT or ISSUER such as TOKEN_ENDPOINT).",
    },
    allowedNamePatterns: {
        // An empty pattern matches every name, which would allow every secret.
        type: "array", items: { type: "string", minLength: 1 }, default: [...DEFAULT_ALLOWED_NAME_PATTERNS],
        description: "Regular expressions (case-insensitive) for names that only point at a secret (e.g. DB_SECRET_ARN) and are allowed.",
    },
};

/** What the detector found in a list of variables: names only, never values. */
export interface SecretFindings {
    /** Secret-looking names (not allowed) whose value is not plainly a setting, and names whose JSON value holds such a key. */
    named: string[];
    /** Names whose value is a URL with a user name and password. */
    inUrls: string[];
    /** Names whose value is a connection string with a credential. */
    inConnectionStrings: string[];
    /** Entries whose value is unknown until apply and whose name was not already reported. */
    unknown: { name: string; value?: unknown }[];
}

/** `dbSecretArn` → `db_Secret_Arn`: JSON keys are mostly camelCase, the name patterns are written for variable names. */
const snakeCase = (key: string) => key.replace(/(?<=[a-z0-9])(?=[A-Z])/g, "_");

/**
 * A value that is a JSON document (`APP_CONFIG={"db":{"password":"..."}}`) holding, at any depth, a key the
 * name patterns mark as secret (and do not allow), read in snake case, whose value is not plainly a setting:
 * the same rule as for the variables themselves, one level down. Not JSON, or JSON without such a key: false.
 */
function hasJsonSecret(value: unknown, isSecretName: (name: string) => boolean): boolean {
    if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return false;
    let doc: unknown;
    try {
        doc = JSON.parse(value);
    } catch {
        return false;
    }
    const walk = (node: unknown, depth: number): boolean => {
        if (depth > 20 || node === null || typeof node !== "object") return false;
        if (Array.isArray(node)) return node.some((n) => walk(n, depth + 1));
        return Object.entries(node as Record<string, unknown>).some(([k, v]) =>
            v !== null && typeof v === "object" ? walk(v, depth + 1) : isSecretName(snakeCase(k)) && !isPlainlyNotSecret(k, v));
    };
    return walk(doc, 0);
}

/** Run the detector over `name`/`value` pairs with a policy's config. */
export function findSecrets(entries: readonly { name: string; value?: unknown }[], config: PlaintextSecretsConfig): SecretFindings {
    const secret = config.secretNamePatterns.map((p) => new RegExp(p, "i"));
    const allowed = config.allowedNamePatterns.map((p) => new RegExp(p, "i"));
    const isSecretName = (name: string) => secret.some((re) => re.test(name)) && !allowed.some((re) => re.test(name));
    // A variable is named as a secret by its own name, or by a secret-named key inside its JSON value.
    const named = entries
        .filter((e) => (isSecretName(e.name) && !isPlainlyNotSecret(e.name, e.value)) || hasJsonSecret(e.value, isSecretName))
        .map((e) => e.name);
    return {
        named,
        // Whatever the name: DATABASE_URL=postgres://app:<password>@db carries the password.
        inUrls: entries.filter((e) => hasUrlPassword(e.value)).map((e) => e.name),
        // Whatever the name: ConnectionStrings__Default=Server=db;User Id=sa;Password=<password>;
        inConnectionStrings: entries.filter((e) => hasConnectionStringSecret(e.value)).map((e) => e.name),
        unknown: entries.filter((e) => isUnknown(e.value) && !named.includes(e.name)),
    };
}
