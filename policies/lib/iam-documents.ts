import { isUnknown, parseJson, show } from "./props";

/**
 * IAM policy documents as resource inputs carry them: a JSON string, or an object (the SDK's
 * PolicyDocument) whose parts may be unknown during preview. IAM allows a single value wherever
 * it allows a list (`Action`, `Resource`, `Statement`, condition values), so every read goes through
 * {@link values}.
 */

export type ParsedDocument =
    | { kind: "unknown" }
    | { kind: "invalid" }
    | { kind: "ok"; statements: Record<string, any>[]; statementsUnknown: boolean };

/** A document input, parsed; a fully unknown input (or `Statement`) says so instead of looking empty. */
export function parseDocument(value: unknown): ParsedDocument {
    if (isUnknown(value)) return { kind: "unknown" };
    const doc = parseJson(value);
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return { kind: "invalid" };
    if (isUnknown(doc.Statement)) return { kind: "ok", statements: [], statementsUnknown: true };
    const statements = values(doc.Statement).filter((s) => s !== null && typeof s === "object") as Record<string, any>[];
    return { kind: "ok", statements, statementsUnknown: values(doc.Statement).some(isUnknown) };
}

/** A single value or a list, as a list; absent is []. An unknown value stays in the list (check with isUnknown). */
export function values(value: unknown): unknown[] {
    if (value === undefined || value === null) return [];
    return Array.isArray(value) ? value : [value];
}

/** How messages name a statement: its Sid, or its index. */
export function statementName(statement: Record<string, any>, index: number): string {
    const sid = statement.Sid;
    return `statement ${typeof sid === "string" && sid !== "" && !isUnknown(sid) ? show(sid) : index}`;
}

/** Wildcards only, at least one `*`: matches any name (`*`, `**`, `*?`). */
const matchesAnything = (pattern: string) => /^[*?]*\*[*?]*$/.test(pattern);

/** Every action of every service: `*`, and spellings IAM matches the same way (`*:*`, `**`, `*:**`). */
export function isAllActions(action: string): boolean {
    const parts = action.split(":");
    return parts.every(matchesAnything) && parts.length <= 2;
}

/**
 * An action pattern wider than one service's named actions: every action of a service (`s3:*`,
 * `s3:**`), or any pattern whose service prefix has a wildcard (`s*:*`, `*:GetObject`). Returns the
 * service prefix, lowercased (IAM is case-insensitive here); a wildcard prefix can never be allowed.
 */
export function serviceWideAction(action: string): string | undefined {
    const m = /^([^:]+):(.+)$/.exec(action);
    if (!m) return undefined;
    return matchesAnything(m[2]) || /[*?]/.test(m[1]) ? m[1].toLowerCase() : undefined;
}

/** Whether an Action pattern (IAM wildcards `*` and `?`, case-insensitive) covers the action, e.g. `sts:AssumeRole*`. */
export function actionCovers(pattern: string, action: string): boolean {
    const re = pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
    return new RegExp(`^${re}$`, "i").test(action);
}

/** `arn:<partition>:iam::aws:policy/[path/]Name` → `Name`; undefined for customer-managed policies. */
export function awsManagedPolicyName(arn: string): string | undefined {
    const m = /^arn:aws(?:-[a-z]+)*:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(arn);
    return m ? m[1] : undefined;
}

/**
 * A condition key's values under one operator, e.g. `StringEquals` / `token.actions.githubusercontent.com:sub`.
 * Condition keys are case-insensitive, operators are not. Undefined when the operator does not test the key.
 */
export function conditionValues(condition: unknown, operator: string, key: string): unknown[] | undefined {
    if (condition === null || typeof condition !== "object") return undefined;
    const block = (condition as Record<string, unknown>)[operator];
    if (isUnknown(block)) return [block];
    if (block === null || typeof block !== "object") return undefined;
    const match = Object.keys(block).find((k) => k.toLowerCase() === key.toLowerCase());
    return match === undefined ? undefined : values((block as Record<string, unknown>)[match]);
}
