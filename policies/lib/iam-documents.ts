import { at, firstUnknown, isUnknown, parseJson, show } from "./props";

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
    let re = actionPatterns.get(pattern);
    if (!re) {
        const source = pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
        re = new RegExp(`^${source}$`, "i");
        if (actionPatterns.size >= 4096) actionPatterns.clear();
        actionPatterns.set(pattern, re);
    }
    return re.test(action);
}

/** Compiled action patterns: a stack's documents repeat a few hundred actions, each tested against many. */
const actionPatterns = new Map<string, RegExp>();

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

/** Principal `"*"`, or `"*"` among the AWS principals: anyone in any AWS account (or anonymous). */
export function isAnyonePrincipal(principal: unknown): boolean {
    if (principal === "*") return true;
    if (principal === null || typeof principal !== "object") return false;
    return values((principal as Record<string, unknown>).AWS).includes("*");
}

/** Keys that, pinned to exact values, confine a `*` principal to known accounts or an organization. */
const CALLER_KEYS = ["aws:principalaccount", "aws:principalarn", "aws:principalorgid", "aws:principalorgpaths", "aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid"];

/**
 * A condition that pins the caller to exact accounts, ARNs or an organization (no wildcard, no negation,
 * no IfExists). A value unknown until apply counts as exact: it is another resource's ARN or id
 * (`aws:SourceArn: topic.arn`, the usual way to admit a topic), never a pattern. Not `ForAllValues:`: it holds when the request carries no such key at all, so a caller
 * from any account that sends none passes it.
 */
export function confinesCaller(condition: unknown): boolean {
    if (condition === null || typeof condition !== "object") return false;
    return Object.entries(condition as Record<string, unknown>).some(([operator, block]) =>
        /^(StringEquals|StringEqualsIgnoreCase|ArnEquals|ForAnyValue:StringEquals)$/.test(operator) &&
        block !== null && typeof block === "object" &&
        Object.entries(block as Record<string, unknown>).some(([key, v]) =>
            CALLER_KEYS.includes(key.toLowerCase()) && values(v).length > 0 && values(v).every((x) => typeof x === "string" && x !== "" && !/[*?]/.test(x))));
}

/**
 * Allow statements of a resource or trust policy that anyone may use: a `*` principal in any spelling
 * (`"*"`, `{"AWS":"*"}`, `{"AWS":["*"]}`, or a NotPrincipal) without a condition that `narrows` (by
 * default {@link confinesCaller}; queue, topic and domain policies accept their sources too). Effect is
 * compared case-insensitively: a stricter reading never lets a spelling through. Unknown parts come back
 * as paths, for "cannot verify" reports.
 */
export function openToAnyone(document: unknown, path: string, narrows: (condition: unknown) => boolean = confinesCaller): Finding[] {
    const parsed = parseDocument(document);
    if (parsed.kind === "unknown") return [{ unknown: path, value: document }];
    if (parsed.kind !== "ok") return [];
    const findings: Finding[] = parsed.statementsUnknown ? [{ unknown: `${path}.Statement`, value: undefined }] : [];
    parsed.statements.forEach((s, i) => {
        const where = `${path}.Statement[${i}]`;
        if (isUnknown(s.Effect)) return findings.push({ unknown: `${where}.Effect`, value: s.Effect });
        if (typeof s.Effect !== "string" || s.Effect.toLowerCase() !== "allow") return;
        const principal = s.NotPrincipal !== undefined ? "*" : s.Principal;
        if (isUnknown(principal) || (principal !== null && typeof principal === "object" && values((principal as any).AWS).some(isUnknown))) {
            return findings.push({ unknown: `${where}.Principal`, value: principal });
        }
        if (!isAnyonePrincipal(principal)) return;
        if (isUnknown(s.Condition)) return findings.push({ unknown: `${where}.Condition`, value: s.Condition });
        if (narrows(s.Condition)) return;
        // A value unknown until apply (an account, an organization, a source) under a key that narrows may
        // well narrow it: unverifiable. Under any other key it cannot, and the statement stays open.
        const unknownCondition = firstUnknown(s.Condition, `${where}.Condition`);
        const couldNarrow = unknownCondition !== undefined && narrows(withKnownValues(s.Condition));
        findings.push(couldNarrow ? { unknown: unknownCondition, value: at(s, unknownCondition.slice(where.length + 1)) } : { violation: statementName(s, i) });
    });
    return findings;
}

/** A condition with every unknown value replaced by an exact, narrow one (a host address is also a fixed string). */
function withKnownValues(value: unknown): unknown {
    if (isUnknown(value)) return "10.0.0.1/32";
    if (Array.isArray(value)) return value.map(withKnownValues);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withKnownValues(v)]));
    return value;
}

/** What a document check found: a rule broken (its message or the statement's name), or an unknown value. */
export type Finding = { violation: string } | { unknown: string; value: unknown };
