import { Problem, problem } from "../checks";

/** Task memory (MiB) Fargate accepts for each CPU setting (Linux). */
export const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
    256: [512, 1024, 2048],
    512: range(1024, 4096, 1024),
    1024: range(2048, 8192, 1024),
    2048: range(4096, 16384, 1024),
    4096: range(8192, 30720, 1024),
    8192: range(16384, 61440, 4096),
    16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
    return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

/** Where a secret can come from: a data store's managed secret, Secrets Manager by name (and JSON key), or SSM. */
export const SECRET_REFERENCE =
    /^(postgres:(password|username)|redis:authToken|documentDb:(password|username)|secretsmanager:[A-Za-z0-9/_+=.@-]{1,512}(:[A-Za-z0-9_.-]{1,256})?|ssm:\/[A-Za-z0-9_.\-/]{1,1010})$/;

/** Container variable names (POSIX shell-safe). */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;

/**
 * Names that mark a variable as secret. The policy pack (a separate package) has its own list in
 * `ecs-task-no-plaintext-secrets`; this one refuses them at config load, before anything is registered.
 */
export const SECRET_NAME_PATTERNS = [/PASSWORD/i, /PASSWD/i, /PASSPHRASE/i, /(^|_)PASS($|_)/i, /(^|_)PWD($|_)/i, /SECRET/i, /TOKEN/i, /_KEY$/i, /API_?KEY/i, /PRIVATE_?KEY/i, /ACCESS_?KEY/i, /CREDENTIAL/i];
/** Names that only point at a secret (`DB_SECRET_ARN`) and are fine in plain text. */
export const POINTER_NAME = /_(ARN|NAME|PATH|FILE)$/i;
/** `scheme://user:password@host`: whatever the variable is called, the value carries a password. */
export const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

/** Variables the program sets from the data tier's outputs; a service's own variables may not shadow them. */
export const CONNECTION_VARIABLES = [
    "DATABASE_HOST", "DATABASE_PORT", "DATABASE_NAME", "REDIS_HOST", "REDIS_PORT", "REDIS_TLS",
    "DOCUMENTDB_HOST", "DOCUMENTDB_PORT", "ASSETS_BUCKET", "ASSETS_PREFIX",
] as const;

/** `key` ends in the variable's name, which is what is wrong here, not a value. */
export function secretNameProblem(key: string, name: string): Problem {
    if (!VARIABLE_NAME.test(name)) return `${key} is not allowed as a name: expected letters, digits and underscores, not starting with a digit`;
    return (CONNECTION_VARIABLES as readonly string[]).includes(name)
        ? `${key} is not allowed as a name: expected a name other than those the program sets (${CONNECTION_VARIABLES.join(", ")})`
        : undefined;
}

/** `Key=Value;` pairs naming a credential (.NET, ODBC, JDBC, Azure): the pack's ecs-task-no-plaintext-secrets reads them the same way. */
const CONNECTION_STRING_CREDENTIAL = /(?:^|;)\s*(?:password|pwd|accountkey|sharedaccesskey)\s*=\s*([^;]*)/gi;

/** `Server=db;User Id=app;Password=<something>;`; `Password=;` (or `""`, ODBC's `{}`) carries none. */
export function hasConnectionStringPassword(value: string): boolean {
    return [...value.matchAll(CONNECTION_STRING_CREDENTIAL)].some((m) => !/^(""|''|\{\})?$/.test(m[1].trim()));
}

/** Plain variables: valid names, nothing that looks secret by name or carries a password in a URL. Values are never printed. */
export function environmentProblems(key: string, environment: Record<string, unknown>): string[] {
    const problems: string[] = [];
    for (const [name, value] of Object.entries(environment)) {
        const nameProblem = secretNameProblem(`${key}.${name}`, name);
        if (nameProblem) problems.push(nameProblem);
        else if (SECRET_NAME_PATTERNS.some((p) => p.test(name)) && !POINTER_NAME.test(name)) {
            problems.push(`${key}.${name} looks secret by its name: move it to secrets (a Secrets Manager or SSM reference), or rename it if it only points at one (…_ARN, …_NAME, …_PATH, …_FILE)`);
        } else if (typeof value !== "string") {
            problems.push(problem(`${key}.${name}`, value, "a string (quote numbers and booleans in YAML)"));
        } else if (URL_WITH_PASSWORD.test(value)) {
            problems.push(`${key}.${name} holds a URL with a user name and password (value not shown): put the password in secrets and build the URL in the application`);
        } else if (hasConnectionStringPassword(value)) {
            problems.push(`${key}.${name} holds a connection string with a password (value not shown): put the password in secrets and build the string in the application`);
        }
    }
    return problems;
}
