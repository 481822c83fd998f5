import * as aws from "@pulumi/aws";
import { StackReporter, StackResource, resourcePolicy, stackPolicy } from "../lib/define";
import { remediationOnly } from "../lib/remediation";
import { at, isUnknown, parseJson, show } from "../lib/props";
import { deniesInsecureTransport, publicGrants, publicStatements, statementId, unknownPublicPaths, unknownTlsDenyPath, PUBLIC_CANNED_ACLS } from "./documents";
import { BUCKET_TYPES, S3Stack, SETTING_TYPES, label } from "./join";
import { Source, inline, sourceOf, value } from "./sources";

/** S3 public access (catalogue s3-01..s3-03): block public access, no public grants, TLS only. */

/** s3-01 */
const PAB_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const s3BlockPublicAccess = stackPolicy({
    name: "s3-block-public-access",
    description: "Every S3 bucket must have a public access block with all four flags on.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Add an aws.s3.BucketPublicAccessBlock for the bucket (`bucket: bucket.id`) with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets all true.",
    securityHub: ["S3.8"],
    catalogue: ["s3-01"],
    types: [...BUCKET_TYPES, ...SETTING_TYPES.publicAccessBlock],
    check: (resources, _ctx, report) => {
        const s3 = new S3Stack(resources);
        for (const pab of s3.settings.publicAccessBlock) {
            for (const flag of PAB_FLAGS.filter((f) => isUnknown(pab.props[f]))) report.unverifiable(pab, flag, `the public access block sets ${flag}`);
            const off = PAB_FLAGS.filter((f) => !isUnknown(pab.props[f]) && pab.props[f] !== true);
            if (off.length > 0) {
                report.violation(s3.ownerOf(pab), `S3 bucket must block all public access: ${label(pab)} has ${off.map((f) => `${f} ${show(pab.props[f])}`).join(", ")}, expected all four flags true.`);
            }
        }
        for (const b of s3.buckets.filter((b) => b.settings.publicAccessBlock.length === 0)) {
            report.violation(b.resource, "S3 bucket must block all public access: no BucketPublicAccessBlock targets it, expected one with all four flags true.");
        }
    },
});

/**
 * s3-01, the fix: the SDK cannot remediate a stack policy (server.ts treats "remediate" as mandatory for
 * them), so this resource policy over the public access block carries it, and s3-block-public-access
 * stays the one check (it sees the remediated block). It turns the four flags on; a flag unknown until
 * apply is left alone (the stack policy reports it). PutPublicAccessBlock updates in place: only `bucket`
 * is ForceNew in terraform-provider-aws internal/service/s3/bucket_public_access_block.go. Only flags the
 * program left unset are turned on: a block that sets any flag to false opens the bucket on purpose (a
 * website, a public dataset), usually with an exemption in s3-block-public-access, which names the bucket
 * and which this policy cannot read; turning its flags on (even the others: ignorePublicAcls cuts public
 * object ACLs) would cut that access. Such a block is left to the program, and the stack policy still
 * refuses it at mandatory unless the bucket is exempted there.
 */
export const s3BlockPublicAccessRemediation = remediationOnly(
    resourcePolicy({
        name: "s3-block-public-access-remediation",
        description: "At the remediate level, turns on the flags an S3 public access block leaves unset, unless it turns one off on purpose (checked by s3-block-public-access).",
        severity: "high",
        enforcementLevel: "advisory",
        remediationSteps: "Set this policy to `remediate` in the stack's policy config; flags the program left unset are turned on, a block that sets a flag to false is left to the program.",
        securityHub: ["S3.8"],
        catalogue: ["s3-01"],
        types: [aws.s3.BucketPublicAccessBlock],
        check: () => undefined, // removed by remediationOnly: s3-block-public-access is the check
        remediate: (pab) => {
            // A flag set to anything but true (false, or "false" from stack config) opens the block on purpose:
            // left to the program and its exemption. Only flags left unset are turned on.
            const unset = (v: unknown) => v === undefined || v === null;
            if (PAB_FLAGS.some((f) => !unset(pab[f]) && pab[f] !== true && !isUnknown(pab[f]))) return undefined;
            const off = PAB_FLAGS.filter((f) => unset(pab[f]));
            return off.length === 0 ? undefined : { ...pab, ...Object.fromEntries(off.map((f) => [f, true])) };
        },
    }),
);

/** s3-02: policy statements, ACLs and object ownership. */
function checkPolicyIsPrivate(s: Source, owner: StackResource, report: StackReporter): void {
    const policy = value(s);
    if (isUnknown(policy)) return report.unverifiable(s.resource, s.path, "the bucket policy grants nothing to everyone");
    const doc = parseJson(policy);
    if (doc === undefined) return report.violation(owner, `S3 bucket policy must be a JSON document: ${s.label} has ${show(policy)}, expected a policy document.`);
    for (const path of unknownPublicPaths(doc)) report.unverifiable(s.resource, `${s.path}.${path}`, "the bucket policy grants nothing to everyone");
    for (const st of publicStatements(doc)) {
        const who = st.NotPrincipal !== undefined ? `everyone but NotPrincipal ${show(st.NotPrincipal)}` : `principal ${show(st.Principal)}`;
        report.violation(owner, `S3 bucket policy must not allow everyone: ${s.label} statement ${statementId(doc, st)} allows ${who} without a restricting condition, expected named principals or a condition on aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID or similar.`);
    }
}

function checkAclIsPrivate(s: Source, cannedPath: string, grantsPath: string, owner: StackResource, report: StackReporter): void {
    const canned = at(s.resource.props, cannedPath);
    if (isUnknown(canned)) report.unverifiable(s.resource, cannedPath, "the ACL grants nothing to everyone");
    else if (typeof canned === "string" && PUBLIC_CANNED_ACLS.includes(canned)) {
        report.violation(owner, `S3 bucket ACL must not grant access to everyone: ${s.label} sets acl ${show(canned)}, expected no ACL (ownership BucketOwnerEnforced) or "private".`);
    }
    const grants = at(s.resource.props, grantsPath);
    if (isUnknown(grants)) report.unverifiable(s.resource, grantsPath, "the ACL grants nothing to everyone");
    for (const g of publicGrants(isUnknown(grants) ? [] : grants)) {
        report.violation(owner, `S3 bucket ACL must not grant access to everyone: ${s.label} grants ${g}, expected no AllUsers or AuthenticatedUsers grantee.`);
    }
}

export const s3NoPublicGrants = stackPolicy({
    name: "s3-no-public-grants",
    description: "S3 bucket policies and ACLs must not grant access to everyone, and every bucket must disable ACLs (object ownership BucketOwnerEnforced).",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Name principals (or pin `*` with an aws:SourceArn / aws:SourceAccount / aws:PrincipalOrgID condition) in bucket policies, remove public ACLs and grants, and add an aws.s3.BucketOwnershipControls with `rule: { objectOwnership: \"BucketOwnerEnforced\" }`.",
    securityHub: ["S3.2", "S3.3", "S3.12"],
    catalogue: ["s3-02"],
    types: [...BUCKET_TYPES, ...SETTING_TYPES.policy, ...SETTING_TYPES.acl, ...SETTING_TYPES.ownership],
    check: (resources, _ctx, report) => {
        const s3 = new S3Stack(resources);
        for (const p of s3.settings.policy) checkPolicyIsPrivate(sourceOf(p, "policy"), s3.ownerOf(p), report);
        for (const acl of s3.settings.acl) checkAclIsPrivate(sourceOf(acl, "acl"), "acl", "accessControlPolicy.grants", s3.ownerOf(acl), report);
        for (const b of s3.buckets) {
            if (b.resource.props.policy !== undefined) checkPolicyIsPrivate(inline(b, "policy"), b.resource, report);
            checkAclIsPrivate(inline(b, "acl"), "acl", "grants", b.resource, report);
        }
        for (const o of s3.settings.ownership) {
            const ownership = at(o.props, "rule.objectOwnership");
            if (isUnknown(ownership)) report.unverifiable(o, "rule.objectOwnership", "ACLs are disabled (BucketOwnerEnforced)");
            else if (ownership !== "BucketOwnerEnforced") {
                report.violation(s3.ownerOf(o), `S3 bucket must disable ACLs: ${label(o)} sets objectOwnership ${show(ownership)}, expected "BucketOwnerEnforced".`);
            }
        }
        for (const b of s3.buckets.filter((b) => b.settings.ownership.length === 0)) {
            report.violation(b.resource, 'S3 bucket must disable ACLs: no BucketOwnershipControls targets it, expected one with objectOwnership "BucketOwnerEnforced".');
        }
    },
});

/** s3-03 */
const TLS_EXPECTED = 'a Deny of "s3:*" to "*" on the bucket and its objects when aws:SecureTransport is "false"';

export const s3RequireTls = stackPolicy({
    name: "s3-require-tls",
    description: "Every S3 bucket's policy must deny requests that do not use TLS (aws:SecureTransport false), on the bucket and its objects.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Give the bucket one aws.s3.BucketPolicy with a statement `{Effect: \"Deny\", Principal: \"*\", Action: \"s3:*\", Resource: [arn, `${arn}/*`], Condition: {Bool: {\"aws:SecureTransport\": \"false\"}}}`.",
    securityHub: ["S3.5"],
    catalogue: ["s3-03"],
    types: [...BUCKET_TYPES, ...SETTING_TYPES.policy],
    check: (resources, _ctx, report) => {
        const s3 = new S3Stack(resources);
        const check = (s: Source, owner: StackResource, bucketName: string | undefined) => {
            const policy = value(s);
            if (isUnknown(policy)) return report.unverifiable(s.resource, s.path, "the bucket policy denies requests without TLS");
            const doc = parseJson(policy);
            if (deniesInsecureTransport(doc, bucketName)) return;
            const unknown = unknownTlsDenyPath(doc, bucketName);
            if (unknown) report.unverifiable(s.resource, `${s.path}.${unknown}`, "the bucket policy denies requests without TLS");
            else {
                report.violation(owner, `S3 bucket policy must deny requests without TLS: ${s.label} has no such statement, expected ${TLS_EXPECTED}.`);
            }
        };
        for (const p of s3.settings.policy) check(sourceOf(p, "policy"), s3.ownerOf(p), s3.bucketNameOf(p));
        for (const b of s3.buckets) {
            const sources = [...b.settings.policy.map((p) => sourceOf(p, "policy")), ...(b.resource.props.policy !== undefined ? [inline(b, "policy")] : [])];
            if (b.resource.props.policy !== undefined) check(inline(b, "policy"), b.resource, b.name);
            if (sources.length === 0) {
                report.violation(b.resource, `S3 bucket must deny requests without TLS: no bucket policy targets it, expected a BucketPolicy with ${TLS_EXPECTED}.`);
            } else if (sources.length > 1) {
                // S3 holds one policy per bucket: each of these overwrites the others on every update.
                report.violation(b.resource, `S3 bucket must have a single bucket policy: ${sources.map((s) => s.label).join(" and ")} each set it, expected one.`);
            }
        }
    },
});
