import { isInternetWide } from "../lib/cidr";
import { firstUnknown, isUnknown } from "../lib/props";

/**
 * Pure reads of bucket policy documents and ACLs: who they open the bucket to, and whether they
 * refuse plain HTTP. Inputs are parsed JSON (see `parseJson`). A document given as an object may
 * hold values unknown until apply: those are returned as paths for "cannot verify" reports.
 */

export const statementsOf = (doc: any): any[] => (doc && typeof doc === "object" ? [doc.Statement ?? []].flat() : []);
const values = (v: unknown): unknown[] => (v === undefined ? [] : [v].flat());

/** Principal `"*"`, or `"*"` among the AWS or CanonicalUser principals. */
export function isPublicPrincipal(principal: unknown): boolean {
    if (principal === "*") return true;
    if (principal === null || typeof principal !== "object") return false;
    const p = principal as Record<string, unknown>;
    return [...values(p.AWS), ...values(p.CanonicalUser)].includes("*");
}

/**
 * Condition keys that, fixed to exact values, keep a statement with a `*` principal from being public
 * (the keys S3 itself accepts when it decides whether a policy is public).
 */
export const RESTRICTING_KEYS = [
    "aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourceorgid", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip",
    "aws:principalaccount", "aws:principalarn", "aws:principalorgid", "aws:principalorgpaths", "aws:userid",
    "s3:dataaccesspointarn", "s3:dataaccesspointaccount",
];
const POSITIVE_OPERATOR = /^(forallvalues:|foranyvalue:)?(stringequals|stringequalsignorecase|stringlike|arnequals|arnlike|ipaddress)$/;

/** One condition entry that pins the caller to specific values (no wildcard, no IfExists, no negation). */
export function isRestrictingCondition(condition: unknown): boolean {
    if (condition === null || typeof condition !== "object") return false;
    return Object.entries(condition as Record<string, unknown>).some(([operator, entries]) => {
        if (!POSITIVE_OPERATOR.test(operator.toLowerCase()) || entries === null || typeof entries !== "object") return false;
        return Object.entries(entries as Record<string, unknown>).some(([key, v]) => {
            const vs = values(v);
            return RESTRICTING_KEYS.includes(key.toLowerCase()) && vs.length > 0 &&
                vs.every((x) => typeof x === "string" && x !== "" && !/[*?]/.test(x) && !isInternetWide(x));
        });
    });
}

/** Allow statements that reach anyone: a public principal (or NotPrincipal) without a restricting condition. */
export function publicStatements(doc: any): any[] {
    return statementsOf(doc).filter((s) => s?.Effect === "Allow" && (s.NotPrincipal !== undefined || isPublicPrincipal(s.Principal)) &&
        !isRestrictingCondition(s.Condition) && firstUnknown(s.Condition, "Condition") === undefined);
}

/** `Statement[i]`, or `Statement` when the document holds a single statement object. */
const statementPath = (doc: any, i: number) => (Array.isArray(doc.Statement) ? `Statement[${i}]` : "Statement");

/**
 * Where values unknown until apply keep us from telling whether the document grants to everyone:
 * an unknown statement or effect, the principal of an Allow, or the condition of a public one.
 */
export function unknownPublicPaths(doc: any): string[] {
    if (doc === null || typeof doc !== "object") return [];
    if (isUnknown(doc.Statement)) return ["Statement"];
    const out: string[] = [];
    statementsOf(doc).forEach((s, i) => {
        const at = statementPath(doc, i);
        if (isUnknown(s)) out.push(at);
        else if (s === null || typeof s !== "object") return;
        else if (isUnknown(s.Effect)) out.push(`${at}.Effect`);
        else if (s.Effect !== "Allow" || isRestrictingCondition(s.Condition)) return;
        else if (s.NotPrincipal !== undefined || isPublicPrincipal(s.Principal)) {
            const condition = firstUnknown(s.Condition, `${at}.Condition`);
            if (condition) out.push(condition);
        } else {
            const principal = firstUnknown(s.Principal, `${at}.Principal`);
            if (principal) out.push(principal);
        }
    });
    return out;
}

/** `"Sid"`, or the statement's position when it has none. */
export function statementId(doc: any, s: any): string {
    return s.Sid !== undefined ? JSON.stringify(s.Sid) : `#${statementsOf(doc).indexOf(s)}`;
}

const glob = (pattern: string) => new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);

/** Does the Resource element cover the bucket itself and every object in it? */
export function coversBucketAndObjects(resource: unknown, bucketName: string | undefined): boolean {
    const rs = values(resource).filter((r): r is string => typeof r === "string");
    if (rs.includes("*")) return true;
    const paths = rs.map((r) => /^arn:[^:]+:s3:::(.+)$/.exec(r)?.[1]).filter((p): p is string => p !== undefined);
    if (bucketName === undefined) {
        // Name not known: accept any bucket ARN and any bucket-wide object ARN.
        return paths.some((p) => !p.includes("/")) && paths.some((p) => p.endsWith("/*"));
    }
    return paths.some((p) => glob(p).test(bucketName)) && paths.some((p) => glob(p).test(`${bucketName}/any/key`));
}

/**
 * True when a statement's condition is only "`aws:SecureTransport` is false". Condition entries are
 * ANDed, so any other key (`aws:SourceVpce`, a second Bool key) narrows the deny to some requests.
 */
export function onlyInsecureTransport(condition: unknown): boolean {
    if (condition === null || typeof condition !== "object") return false;
    const pairs = Object.entries(condition as Record<string, unknown>).flatMap(([operator, entries]) =>
        entries !== null && typeof entries === "object" ? Object.entries(entries).map(([key, v]) => ({ operator, key, v })) : [{ operator, key: "", v: entries }]);
    return pairs.length > 0 && pairs.every(({ operator, key, v }) =>
        /^bool(ifexists)?$/i.test(operator) && key.toLowerCase() === "aws:securetransport" && values(v).length > 0 && values(v).every((x) => String(x).toLowerCase() === "false"));
}

/** A Deny of every S3 action to everyone when, and whenever, `aws:SecureTransport` is false (on whatever resources). */
function isTlsDeny(s: any): boolean {
    if (s?.Effect !== "Deny" || !isPublicPrincipal(s.Principal)) return false;
    // IAM action names are case-insensitive: "S3:*" denies as much as "s3:*".
    if (!values(s.Action).some((a) => typeof a === "string" && ["s3:*", "*"].includes(a.toLowerCase()))) return false;
    return onlyInsecureTransport(s.Condition);
}

/** The document denies plain HTTP on the bucket and its objects, in one statement or split across several. */
export function deniesInsecureTransport(doc: any, bucketName: string | undefined): boolean {
    const denies = statementsOf(doc).filter(isTlsDeny);
    return coversBucketAndObjects(denies.flatMap((s) => values(s.Resource)), bucketName);
}

/**
 * For a document without a TLS deny: the first unknown value of a statement that would be one if
 * its unknown parts turn out right (an unknown statement, or e.g. `Resource: [bucket.arn, ...]`).
 */
export function unknownTlsDenyPath(doc: any, bucketName: string | undefined): string | undefined {
    if (doc === null || typeof doc !== "object") return undefined;
    if (isUnknown(doc.Statement)) return "Statement";
    const statements = statementsOf(doc);
    for (let i = 0; i < statements.length; i++) {
        const s = statements[i];
        const at = statementPath(doc, i);
        if (isUnknown(s)) return at;
        if (s === null || typeof s !== "object") continue;
        // Each part: holds as given, or holds with a value unknown until apply, or fails.
        const parts: [string, boolean][] = [
            ["Effect", s.Effect === "Deny"],
            ["Principal", isPublicPrincipal(s.Principal)],
            ["Action", values(s.Action).some((a) => typeof a === "string" && ["s3:*", "*"].includes(a.toLowerCase()))],
            ["Condition", onlyInsecureTransport(s.Condition)],
            ["Resource", coversBucketAndObjects(s.Resource, bucketName)],
        ];
        const unknowns = parts.map(([key, holds]) => (holds ? undefined : firstUnknown(s[key], `${at}.${key}`)));
        if (parts.every(([, holds], j) => holds || unknowns[j] !== undefined)) return unknowns.find((u) => u !== undefined);
    }
    return undefined;
}

/** Canned ACLs that grant to everyone or to every AWS account. */
export const PUBLIC_CANNED_ACLS = ["public-read", "public-read-write", "authenticated-read"];
export const PUBLIC_GRANTEES = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];

/** `READ to http://acs.amazonaws.com/groups/global/AllUsers` for each public grant (grantee `uri` in any ACL shape). */
export function publicGrants(grants: unknown): string[] {
    return values(grants)
        .flat()
        .filter((g: any) => g && PUBLIC_GRANTEES.includes(g.grantee?.uri ?? g.uri))
        .map((g: any) => `${values(g.permission ?? g.permissions).join("+")} to ${g.grantee?.uri ?? g.uri}`);
}
