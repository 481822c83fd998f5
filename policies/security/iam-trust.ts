import * as aws from "@pulumi/aws";
import { resourcePolicy } from "../lib/define";
import { at, isUnknown, show } from "../lib/props";
import { Finding, actionCovers, conditionValues, openToAnyone, parseDocument, statementName, values } from "../lib/iam-documents";

/** Who may assume a role: GitHub's OIDC trust pinned to one repository, and no trust open to every account. */

/**
 * GitHub's issuer as IAM names it (the provider URL without `https://`): `token.actions.githubusercontent.com`,
 * or an enterprise's unique issuer `token.actions.githubusercontent.com/<enterprise>` once the enterprise turns
 * on `include_enterprise_slug` (GitHub: "Switching to a unique token URL", docs.github.com/en/enterprise-cloud@latest/
 * actions/concepts/security/openid-connect; REST "Set the GitHub Actions OIDC custom issuer policy for an enterprise").
 * IAM names an OIDC provider's ARN and condition keys after that URL: `oidc-provider/<issuer>`, `<issuer>:aud`, `<issuer>:sub`.
 */
const GITHUB_PROVIDER_ARN = /:oidc-provider\/(token\.actions\.githubusercontent\.com(?:\/[^/:*?]+)?)$/i;
const GITHUB_KEY = /^(token\.actions\.githubusercontent\.com(?:\/[^/:*?]+)?):[\w.-]+$/i;

/** The GitHub issuer a trust statement names: from its provider ARN, else from its condition keys; undefined if none. */
export function githubIssuer(federated: unknown[], condition: unknown): string | undefined {
    for (const f of federated) {
        const m = typeof f === "string" ? GITHUB_PROVIDER_ARN.exec(f) : null;
        if (m) return m[1];
    }
    if (condition === null || typeof condition !== "object" || isUnknown(condition)) return undefined;
    for (const block of Object.values(condition as Record<string, unknown>)) {
        if (block === null || typeof block !== "object" || isUnknown(block)) continue;
        for (const key of Object.keys(block as Record<string, unknown>)) {
            const m = GITHUB_KEY.exec(key);
            if (m) return m[1];
        }
    }
    return undefined;
}

/** The one repository all subject patterns are confined to (`repo:<owner>/<repo>:…`, no wildcard before the ref), or undefined. */
export function pinnedRepository(subjects: unknown[]): string | undefined {
    const repos = subjects.map((s) => (typeof s === "string" ? /^repo:([^/:*?]+\/[^/:*?]+):./.exec(s)?.[1].toLowerCase() : undefined));
    return repos.length > 0 && repos.every((r) => r !== undefined && r === repos[0]) ? repos[0] : undefined;
}

/**
 * iam-03 over a trust document. Different condition operators are ANDed, so one operator block
 * that pins the key suffices. Statements whose federated principal is unknown count as GitHub's when
 * their conditions test GitHub's keys; otherwise they are unverifiable.
 */
export function githubTrustFindings(document: unknown): Finding[] {
    const parsed = parseDocument(document);
    if (parsed.kind === "unknown") return [{ unknown: "assumeRolePolicy", value: document }];
    if (parsed.kind === "invalid") return []; // AWS rejects it; nothing is trusted
    const findings: Finding[] = parsed.statementsUnknown ? [{ unknown: "assumeRolePolicy.Statement", value: at(document, "Statement") }] : [];
    parsed.statements.forEach((s, i) => {
        const base = `assumeRolePolicy.Statement[${i}]`;
        if (s.Effect !== "Allow") return;
        const actions = values(s.Action);
        const webIdentity = actions.some((a) => isUnknown(a) || (typeof a === "string" && actionCovers(a, "sts:AssumeRoleWithWebIdentity")));
        if (!webIdentity) return;
        const federated = isUnknown(s.Principal) ? [s.Principal] : values(at(s, "Principal.Federated"));
        const issuer = githubIssuer(federated, s.Condition);
        if (issuer === undefined) {
            if (federated.some(isUnknown)) findings.push({ unknown: `${base}.Principal`, value: s.Principal });
            return;
        }
        if (isUnknown(s.Condition)) {
            findings.push({ unknown: `${base}.Condition`, value: s.Condition });
            return;
        }
        const name = statementName(s, i);
        const blocks = (key: string) => ["StringEquals", "StringLike"].map((op) => conditionValues(s.Condition, op, `${issuer}:${key}`)).filter((v): v is unknown[] => v !== undefined);
        const found = (verb: string, key: string, vals: unknown[][]) =>
            vals.length === 0 ? `does not check ${issuer}:${key}` : `${verb} ${issuer}:${key} ${show(vals.flat().length === 1 ? vals.flat()[0] : vals.flat())}`;

        const aud = blocks("aud");
        if (!aud.some((v) => v.length > 0 && v.every((x) => x === "sts.amazonaws.com"))) {
            if (aud.flat().some(isUnknown)) findings.push({ unknown: `${base}.Condition`, value: s.Condition });
            else findings.push({ violation: `IAM role trusting GitHub OIDC must require the sts.amazonaws.com audience: ${name} ${found("checks", "aud", aud)}, expected StringEquals "sts.amazonaws.com".` });
        }
        const sub = blocks("sub");
        if (!sub.some((v) => pinnedRepository(v) !== undefined)) {
            if (sub.flat().some(isUnknown)) findings.push({ unknown: `${base}.Condition`, value: s.Condition });
            else findings.push({ violation: `IAM role trusting GitHub OIDC must pin the subject to one repository: ${name} ${found("allows", "sub", sub)}, expected StringEquals or StringLike "repo:<owner>/<repo>:<ref or environment>" without wildcards in owner or repo.` });
        }
    });
    return findings;
}

/** iam-03: without aud and a pinned sub, any GitHub repository's workflow can assume the role. */
export const iamGithubOidcTrust = resourcePolicy({
    name: "iam-github-oidc-trust",
    description: "Roles trusting GitHub's OIDC provider (token.actions.githubusercontent.com, or an enterprise's token.actions.githubusercontent.com/<enterprise>) must require the sts.amazonaws.com audience and a subject pinned to one repository.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: 'In the trust policy add `Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": "repo:<owner>/<repo>:environment:prod" } }` (with an enterprise issuer, the keys are `token.actions.githubusercontent.com/<enterprise>:aud` and `:sub`).',
    catalogue: ["iam-03"],
    types: [aws.iam.Role],
    check: (role, _ctx, report) => {
        for (const f of githubTrustFindings(role.assumeRolePolicy)) {
            if ("violation" in f) report.violation(f.violation);
            else report.unverifiable(f.unknown, f.value, "a GitHub OIDC trust requires the audience and pins the repository");
        }
    },
});

/**
 * Beyond the catalogue: a trust policy with a `*` principal lets any AWS account assume the role
 * unless a condition confines the caller to known accounts or the organization.
 */
export const iamTrustNotPublic = resourcePolicy({
    name: "iam-trust-not-public",
    description: "Role trust policies must not let any AWS account assume the role: a \"*\" principal needs a condition pinning aws:PrincipalOrgID, aws:PrincipalAccount or the source.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Name the trusted principals in `assumeRolePolicy` (an account root, a role ARN, a service) instead of \"*\", or add `Condition: { StringEquals: { \"aws:PrincipalOrgID\": \"o-...\" } }`.",
    catalogue: [],
    types: [aws.iam.Role],
    check: (role, _ctx, report) => {
        for (const f of openToAnyone(role.assumeRolePolicy, "assumeRolePolicy")) {
            if ("violation" in f) report.violation(`IAM role must not be assumable by any AWS account: assumeRolePolicy ${f.violation} allows the "*" principal without a condition confining the caller, expected named principals or an aws:PrincipalOrgID/aws:PrincipalAccount condition.`);
            else report.unverifiable(f.unknown, f.value, "the role cannot be assumed by any AWS account");
        }
    },
});
