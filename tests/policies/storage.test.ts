import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { loadConfig } from "../../infra/config/load";
import { Buckets } from "../../infra/storage/buckets";
import { s3AccessLogging, s3DefaultEncryption, s3VersioningLifecycle, storagePolicies } from "../../policies/storage/buckets";
import { s3BlockPublicAccess, s3NoPublicGrants, s3RequireTls } from "../../policies/storage/access";
import { coversBucketAndObjects, deniesInsecureTransport, isRestrictingCondition, publicGrants, publicStatements } from "../../policies/storage/documents";
import { bucketNameIn } from "../../policies/storage/join";
import { EvalResource, evaluate } from "../../tools/offline/evaluate";
import { toEvalResource } from "../../tools/offline/stack-check";
import { runUnderMocks } from "../harness";
import { UNKNOWN, UNKNOWN_BOOL, messages, res, run } from "./helpers";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/storage";
const arn = (name: string) => `arn:aws:s3:::${name}`;
const tlsDeny = (name: string) => ({
    Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
    Resource: [arn(name), `${arn(name)}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } },
});
const doc = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

type Join = "dependency" | "name";
interface StackOptions {
    /** How settings reach their bucket: by propertyDependencies (ids unknown at first preview) or by a known name only. */
    join?: Join;
    /** Bucket ids unknown, as on a first preview. */
    unknownIds?: boolean;
}

/** The `bucket` input and its dependency, the way a program wires `bucket: b.id`. */
function target(b: EvalResource, o: StackOptions, input = "bucket"): { value: string; deps: Record<string, string[]> } {
    if ((o.join ?? "dependency") === "name") return { value: b.props.bucket, deps: {} };
    return { value: o.unknownIds ? UNKNOWN : b.props.bucket, deps: { [input]: [b.urn] } };
}

function setting(type: Function, name: string, b: EvalResource, props: Record<string, any>, o: StackOptions = {}): EvalResource {
    const t = target(b, o);
    return res(type, { bucket: t.value, ...props }, { name, propertyDependencies: t.deps });
}

/** Everything one bucket needs, with `sse` as its default encryption rule. */
function settingsFor(b: EvalResource, sse: object, policy: string, o: StackOptions = {}): EvalResource[] {
    return [
        setting(aws.s3.BucketPublicAccessBlock, `${b.name}-pab`, b, { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, o),
        setting(aws.s3.BucketOwnershipControls, `${b.name}-ownership`, b, { rule: { objectOwnership: "BucketOwnerEnforced" } }, o),
        setting(aws.s3.BucketVersioning, `${b.name}-versioning`, b, { versioningConfiguration: { status: "Enabled" } }, o),
        setting(aws.s3.BucketLifecycleConfiguration, `${b.name}-lifecycle`, b, { rules: [{ id: "noncurrent", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 90 } }] }, o),
        setting(aws.s3.BucketServerSideEncryptionConfiguration, `${b.name}-sse`, b, { rules: [sse] }, o),
        setting(aws.s3.BucketPolicy, `${b.name}-policy`, b, { policy }, o),
    ];
}

const KMS_RULE = { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true };
const AES_RULE = { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };
const LOG_DELIVERY = {
    Sid: "AllowS3ServerAccessLogDelivery", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject",
    Resource: `${arn("logs-bkt")}/assets/*`, Condition: { ArnLike: { "aws:SourceArn": arn("assets-bkt") }, StringEquals: { "aws:SourceAccount": "123456789012" } },
};

/** A compliant stack shaped like the Buckets component: a data bucket logging into a log bucket. */
function goodStack(o: StackOptions = {}): EvalResource[] {
    const assets = res(aws.s3.Bucket, { bucket: "assets-bkt" }, { name: "assets" });
    const logs = res(aws.s3.Bucket, { bucket: "logs-bkt" }, { name: "logs" });
    const src = target(assets, o);
    const dst = target(logs, o, "targetBucket");
    return [
        assets, logs,
        ...settingsFor(assets, KMS_RULE, doc(tlsDeny("assets-bkt")), o),
        ...settingsFor(logs, AES_RULE, doc(tlsDeny("logs-bkt"), LOG_DELIVERY), o),
        res(aws.s3.BucketLogging, { bucket: src.value, targetBucket: dst.value, targetPrefix: "assets/" }, { name: "assets-logging", propertyDependencies: { ...src.deps, ...dst.deps } }),
    ];
}

const named = (rs: EvalResource[], name: string) => rs.find((r) => r.name === name)!;
/** The stack with one resource's inputs changed (`undefined` removes a key). */
function patch(rs: EvalResource[], name: string, props: Record<string, any>): EvalResource[] {
    assert.ok(rs.some((r) => r.name === name), `no resource ${name}`);
    return rs.map((r) => (r.name === name ? { ...r, props: Object.fromEntries(Object.entries({ ...r.props, ...props }).filter(([, v]) => v !== undefined)) } : r));
}
const without = (rs: EvalResource[], ...names: string[]) => rs.filter((r) => !names.includes(r.name));
/** Replace a resource by one of another type with the same inputs and links (a V2 twin). */
function retype(rs: EvalResource[], name: string, type: Function): EvalResource[] {
    return rs.map((r) => (r.name === name ? { ...res(type, r.props, { name, propertyDependencies: r.propertyDependencies }) } : r));
}
const urnOf = (rs: EvalResource[], name: string) => named(rs, name).urn;

describe("policies: storage", () => {
    describe("bucket policy documents", () => {
        it("finds public Allow statements, unless pinned by a restricting condition", () => {
            const open = { Sid: "Open", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::1:root", "*"] }, Action: "s3:GetObject", Resource: "*" };
            const pinned = { ...open, Sid: "Pinned", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc" } } };
            const negated = { ...open, Sid: "Negated", Condition: { StringNotEquals: { "aws:SourceAccount": "1" } } };
            const ifExists = { ...open, Sid: "IfExists", Condition: { StringEqualsIfExists: { "aws:SourceAccount": "1" } } };
            const wildcard = { ...open, Sid: "Wildcard", Condition: { StringLike: { "aws:SourceArn": "arn:aws:s3:::*" } } };
            const anyIp = { ...open, Sid: "AnyIp", Condition: { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } } };
            const notPrincipal = { Sid: "NotPrincipal", Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:*", Resource: "*" };
            const deny = { ...open, Sid: "Deny", Effect: "Deny" };
            const d = { Statement: [open, pinned, negated, ifExists, wildcard, anyIp, notPrincipal, deny, LOG_DELIVERY] };
            assert.deepStrictEqual(publicStatements(d).map((s) => s.Sid), ["Open", "Negated", "IfExists", "Wildcard", "AnyIp", "NotPrincipal"]);
            assert.strictEqual(isRestrictingCondition({ IpAddress: { "aws:SourceIp": ["10.0.0.0/8"] } }), true);
        });
        it("checks that a TLS deny covers this bucket and its objects", () => {
            assert.strictEqual(coversBucketAndObjects([arn("b"), `${arn("b")}/*`], "b"), true);
            assert.strictEqual(coversBucketAndObjects(`${arn("b")}/*`, "b"), false);
            assert.strictEqual(coversBucketAndObjects([arn("other"), `${arn("other")}/*`], "b"), false);
            assert.strictEqual(coversBucketAndObjects([arn("b*"), arn("b*/*")], "b-1"), true);
            assert.strictEqual(coversBucketAndObjects("*", "b"), true);
            assert.strictEqual(coversBucketAndObjects([arn("x"), `${arn("x")}/*`], undefined), true);
        });
        it("recognises the TLS deny only with its exact effect, principal, action and condition", () => {
            const base = tlsDeny("b");
            const variants: [string, object, boolean][] = [
                ["as written", base, true],
                ["with BoolIfExists and {AWS: \"*\"}", { ...base, Principal: { AWS: "*" }, Condition: { BoolIfExists: { "aws:SecureTransport": false } } }, true],
                ["denying TLS instead", { ...base, Condition: { Bool: { "aws:SecureTransport": "true" } } }, false],
                ["without a condition", { ...base, Condition: undefined }, false],
                ["on some actions only", { ...base, Action: ["s3:GetObject"] }, false],
                ["for one principal", { ...base, Principal: { AWS: "arn:aws:iam::1:root" } }, false],
                ["as an Allow", { ...base, Effect: "Allow" }, false],
            ];
            for (const [title, statement, expected] of variants) assert.strictEqual(deniesInsecureTransport({ Statement: [statement] }, "b"), expected, title);
        });
        it("finds grants to AllUsers and AuthenticatedUsers in both ACL shapes", () => {
            assert.deepStrictEqual(
                publicGrants([
                    { grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" }, permission: "READ" },
                    { grantee: { type: "CanonicalUser", id: "abc" }, permission: "FULL_CONTROL" },
                    { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers", permissions: ["READ", "WRITE"] },
                ]),
                ["READ to http://acs.amazonaws.com/groups/global/AllUsers", "READ+WRITE to http://acs.amazonaws.com/groups/global/AuthenticatedUsers"],
            );
        });
        it("reads the bucket name out of names, ARNs and domains", () => {
            assert.deepStrictEqual(
                ["b", arn("b"), `${arn("b")}/flow/`, "b.s3.amazonaws.com", "b.s3-eu-west-1.amazonaws.com", UNKNOWN, ""].map(bucketNameIn),
                ["b", "b", "b", "b", "b", undefined, undefined],
            );
        });
    });

    describe("the compliant stack", () => {
        for (const [title, o] of [
            ["joined by dependency", { join: "dependency" }],
            ["joined by dependency while bucket ids are unknown (first preview)", { join: "dependency", unknownIds: true }],
            ["joined by bucket name only", { join: "name" }],
        ] as [string, StackOptions][]) {
            it(`passes every S3 policy, ${title}`, async () => {
                assert.deepStrictEqual(await run(storagePolicies, goodStack(o)), []);
            });
        }
        it("passes when the buckets' own names are unknown too (auto-named buckets on a first preview)", async () => {
            const rs = goodStack({ unknownIds: true }).map((r) => (r.type === "aws:s3/bucket:Bucket" ? { ...r, props: { bucketPrefix: r.name } } : r));
            assert.deepStrictEqual(await run(storagePolicies, rs), []);
        });
    });

    it("reports every missing setting of a bare bucket, on the bucket", async () => {
        const bare = res(aws.s3.Bucket, { bucket: "bare" }, { name: "bare" });
        const diags = await run(storagePolicies, [bare]);
        assert.deepStrictEqual(messages(diags), [
            "S3 bucket must block all public access: no BucketPublicAccessBlock targets it, expected one with all four flags true.",
            'S3 bucket must disable ACLs: no BucketOwnershipControls targets it, expected one with objectOwnership "BucketOwnerEnforced".',
            'S3 bucket must deny requests without TLS: no bucket policy targets it, expected a BucketPolicy with a Deny of "s3:*" to "*" on the bucket and its objects when aws:SecureTransport is "false".',
            'S3 bucket must encrypt objects by default: no BucketServerSideEncryptionConfiguration targets it, expected one with sseAlgorithm "aws:kms" and bucketKeyEnabled true.',
            "S3 bucket must log access requests: no BucketLogging targets it, expected one that delivers to a log bucket.",
            'S3 bucket must keep object versions: no BucketVersioning targets it, expected one with status "Enabled".',
            "S3 bucket must have lifecycle rules: no BucketLifecycleConfiguration targets it, expected one with at least one enabled rule.",
        ]);
        assert.deepStrictEqual(diags.map((d) => [d.urn, d.enforcementLevel]), [
            ...Array(4).fill([bare.urn, "mandatory"]), [bare.urn, "advisory"], [bare.urn, "mandatory"], [bare.urn, "mandatory"],
        ]);
    });

    it("does not let a setting of another bucket count for this one", async () => {
        const rs = goodStack();
        const other = res(aws.s3.BucketVersioning, { bucket: "elsewhere", versioningConfiguration: { status: "Enabled" } }, { name: "other-versioning" });
        assert.deepStrictEqual(messages(await run(s3VersioningLifecycle, [...without(rs, "assets-versioning"), other])), [
            'S3 bucket must keep object versions: no BucketVersioning targets it, expected one with status "Enabled".',
        ]);
    });

    describe("s3-block-public-access", () => {
        it("rejects flags left off, on the bucket, as mandatory", async () => {
            const rs = patch(goodStack(), "assets-pab", { blockPublicPolicy: false, restrictPublicBuckets: undefined });
            const diags = await run(s3BlockPublicAccess, rs);
            assert.deepStrictEqual(messages(diags), [
                'S3 bucket must block all public access: BucketPublicAccessBlock "assets-pab" has blockPublicPolicy false, restrictPublicBuckets (unset), expected all four flags true.',
            ]);
            assert.deepStrictEqual([diags[0].urn, diags[0].enforcementLevel], [urnOf(rs, "assets"), "mandatory"]);
        });
        it("says so instead of passing when a flag is unknown during preview", async () => {
            const diags = await run(s3BlockPublicAccess, patch(goodStack(), "logs-pab", { ignorePublicAcls: UNKNOWN_BOOL }));
            assert.deepStrictEqual(messages(diags), [
                "Cannot verify during preview that the public access block sets ignorePublicAcls: ignorePublicAcls is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
            assert.deepStrictEqual([diags[0].enforcementLevel, diags[0].cantRunDuringPreview], ["advisory", undefined]);
        });
        it("reports an exempted bucket as advisory with its reason", async () => {
            const diags = await run(s3BlockPublicAccess, without(goodStack(), "assets-pab"), { exemptions: [{ resource: "assets", reason: "public website, CloudFront in front" }] });
            assert.deepStrictEqual(messages(diags), [
                "Exempted (public website, CloudFront in front): S3 bucket must block all public access: no BucketPublicAccessBlock targets it, expected one with all four flags true.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("s3-no-public-grants", () => {
        it("rejects a policy statement that allows everyone", async () => {
            const open = { Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${arn("assets-bkt")}/*` };
            const rs = patch(goodStack(), "assets-policy", { policy: doc(tlsDeny("assets-bkt"), open) });
            const diags = await run(s3NoPublicGrants, rs);
            assert.deepStrictEqual(messages(diags), [
                'S3 bucket policy must not allow everyone: BucketPolicy "assets-policy" statement "PublicRead" allows principal "*" without a restricting condition, expected named principals or a condition on aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID or similar.',
            ]);
            assert.deepStrictEqual([diags[0].urn, diags[0].enforcementLevel, diags[0].severity], [urnOf(rs, "assets"), "mandatory", "critical"]);
        });
        it("accepts {AWS: \"*\"} pinned to the organization, and rejects it when the pin is negated", async () => {
            const pinned = { Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-123" } } };
            assert.deepStrictEqual(await run(s3NoPublicGrants, patch(goodStack(), "assets-policy", { policy: doc(tlsDeny("assets-bkt"), pinned) })), []);
            const negated = { ...pinned, Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-123" } } };
            assert.deepStrictEqual(messages(await run(s3NoPublicGrants, patch(goodStack(), "assets-policy", { policy: doc(tlsDeny("assets-bkt"), negated) }))), [
                'S3 bucket policy must not allow everyone: BucketPolicy "assets-policy" statement #1 allows principal {"AWS":"*"} without a restricting condition, expected named principals or a condition on aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID or similar.',
            ]);
        });
        it("rejects public canned ACLs and grants, in every ACL resource and the legacy inline arguments", async () => {
            const rs = goodStack();
            const assets = named(rs, "assets");
            const aclV2 = setting(aws.s3.BucketAclV2, "assets-acl", assets, { acl: "public-read" });
            const acl = setting(aws.s3.BucketAcl, "assets-acl-grants", assets, {
                accessControlPolicy: { owner: { id: "abc" }, grants: [{ grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AllUsers" }, permission: "READ" }] },
            });
            const stack = [...patch(rs, "logs", { acl: "public-read-write", grants: [{ type: "Group", uri: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers", permissions: ["WRITE"] }] }), aclV2, acl];
            assert.deepStrictEqual(messages(await run(s3NoPublicGrants, stack)), [
                'S3 bucket ACL must not grant access to everyone: BucketAclV2 "assets-acl" sets acl "public-read", expected no ACL (ownership BucketOwnerEnforced) or "private".',
                'S3 bucket ACL must not grant access to everyone: BucketAcl "assets-acl-grants" grants READ to http://acs.amazonaws.com/groups/global/AllUsers, expected no AllUsers or AuthenticatedUsers grantee.',
                `S3 bucket ACL must not grant access to everyone: the bucket's inline acl sets acl "public-read-write", expected no ACL (ownership BucketOwnerEnforced) or "private".`,
                "S3 bucket ACL must not grant access to everyone: the bucket's inline acl grants WRITE to http://acs.amazonaws.com/groups/global/AuthenticatedUsers, expected no AllUsers or AuthenticatedUsers grantee.",
            ]);
        });
        it("rejects ownership controls that keep ACLs, and a bucket without any", async () => {
            const rs = without(patch(goodStack(), "assets-ownership", { rule: { objectOwnership: "ObjectWriter" } }), "logs-ownership");
            assert.deepStrictEqual(messages(await run(s3NoPublicGrants, rs)), [
                'S3 bucket must disable ACLs: BucketOwnershipControls "assets-ownership" sets objectOwnership "ObjectWriter", expected "BucketOwnerEnforced".',
                'S3 bucket must disable ACLs: no BucketOwnershipControls targets it, expected one with objectOwnership "BucketOwnerEnforced".',
            ]);
        });
        it("says so, without failing, when the policy document is unknown during preview", async () => {
            const diags = await run(s3NoPublicGrants, patch(goodStack({ unknownIds: true }), "assets-policy", { policy: UNKNOWN }));
            assert.deepStrictEqual(messages(diags), [
                "Cannot verify during preview that the bucket policy grants nothing to everyone: policy is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
            assert.deepStrictEqual([diags[0].enforcementLevel, diags[0].cantRunDuringPreview, diags[0].urn], ["advisory", undefined, urnOf(goodStack(), "assets-policy")]);
        });
    });

    describe("s3-require-tls", () => {
        it("rejects a policy without the TLS deny, and a bucket without a policy", async () => {
            const rs = without(patch(goodStack(), "logs-policy", { policy: doc(LOG_DELIVERY) }), "assets-policy");
            const diags = await run(s3RequireTls, rs);
            assert.deepStrictEqual(messages(diags), [
                'S3 bucket policy must deny requests without TLS: BucketPolicy "logs-policy" has no such statement, expected a Deny of "s3:*" to "*" on the bucket and its objects when aws:SecureTransport is "false".',
                'S3 bucket must deny requests without TLS: no bucket policy targets it, expected a BucketPolicy with a Deny of "s3:*" to "*" on the bucket and its objects when aws:SecureTransport is "false".',
            ]);
            assert.deepStrictEqual(diags.map((d) => d.urn), [urnOf(rs, "logs"), urnOf(rs, "assets")]);
        });
        it("rejects a TLS deny that names another bucket, or leaves out the objects", async () => {
            const objectsMissing = { ...tlsDeny("logs-bkt"), Resource: arn("logs-bkt") };
            const rs = patch(patch(goodStack(), "assets-policy", { policy: doc(tlsDeny("logs-bkt")) }), "logs-policy", { policy: doc(objectsMissing, LOG_DELIVERY) });
            const expected = 'has no such statement, expected a Deny of "s3:*" to "*" on the bucket and its objects when aws:SecureTransport is "false".';
            assert.deepStrictEqual(messages(await run(s3RequireTls, rs)), [
                `S3 bucket policy must deny requests without TLS: BucketPolicy "assets-policy" ${expected}`,
                `S3 bucket policy must deny requests without TLS: BucketPolicy "logs-policy" ${expected}`,
            ]);
        });
        it("accepts the TLS deny in a legacy inline policy, and rejects a second policy on one bucket", async () => {
            const inlineOnly = patch(without(goodStack(), "assets-policy"), "assets", { policy: doc(tlsDeny("assets-bkt")) });
            assert.deepStrictEqual(await run(s3RequireTls, inlineOnly), []);
            assert.deepStrictEqual(messages(await run(s3RequireTls, patch(inlineOnly, "assets", { policy: doc(LOG_DELIVERY) }))), [
                `S3 bucket policy must deny requests without TLS: the bucket's inline policy has no such statement, expected a Deny of "s3:*" to "*" on the bucket and its objects when aws:SecureTransport is "false".`,
            ]);
            const twice = patch(goodStack(), "assets", { policy: doc(tlsDeny("assets-bkt")) });
            assert.deepStrictEqual(messages(await run(s3RequireTls, twice)), [
                `S3 bucket must have a single bucket policy: BucketPolicy "assets-policy" and the bucket's inline policy each set it, expected one.`,
            ]);
        });
        it("verifies the TLS deny on a first preview when the document is known, and says so when it is not", async () => {
            assert.deepStrictEqual(await run(s3RequireTls, goodStack({ unknownIds: true })), []);
            const diags = await run(s3RequireTls, patch(goodStack({ unknownIds: true }), "logs-policy", { policy: UNKNOWN }));
            assert.deepStrictEqual(messages(diags), [
                "Cannot verify during preview that the bucket policy denies requests without TLS: policy is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("s3-default-encryption", () => {
        it("rejects SSE-S3 on a data bucket", async () => {
            const diags = await run(s3DefaultEncryption, patch(goodStack(), "assets-sse", { rules: [AES_RULE] }));
            assert.deepStrictEqual(messages(diags), [
                'S3 data bucket must use SSE-KMS: BucketServerSideEncryptionConfiguration "assets-sse" sets sseAlgorithm "AES256", expected "aws:kms" (only log buckets may use AES256).',
            ]);
            assert.deepStrictEqual([diags[0].urn, diags[0].enforcementLevel], [urnOf(goodStack(), "assets"), "mandatory"]);
        });
        it("rejects SSE-KMS without the bucket key or a customer-managed key", async () => {
            const rule = { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: false };
            assert.deepStrictEqual(messages(await run(s3DefaultEncryption, patch(goodStack(), "assets-sse", { rules: [rule] }))), [
                'S3 data bucket must use a customer-managed KMS key: BucketServerSideEncryptionConfiguration "assets-sse" has kmsMasterKeyId (unset), so S3 uses the AWS managed aws/s3 key, expected a customer-managed key ARN.',
                'S3 data bucket must enable the S3 bucket key: BucketServerSideEncryptionConfiguration "assets-sse" has bucketKeyEnabled false, expected true.',
            ]);
            assert.deepStrictEqual(
                messages(await run(s3DefaultEncryption, patch(goodStack(), "assets-sse", { rules: [{ ...rule, bucketKeyEnabled: true }] }), { requireCustomerKey: false })),
                [],
            );
        });
        it("accepts a key that is unknown until apply, and says so when the algorithm is", async () => {
            const unknownKey = { ...KMS_RULE, applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN } };
            assert.deepStrictEqual(await run(s3DefaultEncryption, patch(goodStack({ unknownIds: true }), "assets-sse", { rules: [unknownKey] })), []);
            const unknownAlgorithm = { applyServerSideEncryptionByDefault: { sseAlgorithm: UNKNOWN } };
            const diags = await run(s3DefaultEncryption, patch(goodStack(), "assets-sse", { rules: [unknownAlgorithm] }));
            assert.deepStrictEqual(messages(diags), [
                "Cannot verify during preview that the bucket uses the required encryption algorithm: rules[0].applyServerSideEncryptionByDefault.sseAlgorithm is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("requires SSE-S3 on a bucket that receives S3 server access logs", async () => {
            assert.deepStrictEqual(messages(await run(s3DefaultEncryption, patch(goodStack({ unknownIds: true }), "logs-sse", { rules: [KMS_RULE] }))), [
                'S3 access-log bucket must use SSE-S3: BucketServerSideEncryptionConfiguration "logs-sse" sets sseAlgorithm "aws:kms", expected "AES256" (S3 server access logging cannot deliver to SSE-KMS buckets).',
            ]);
        });
        it("lets configured log buckets and load balancer log targets use SSE-S3", async () => {
            const rs = patch(goodStack(), "assets-sse", { rules: [AES_RULE] });
            assert.deepStrictEqual(await run(s3DefaultEncryption, rs, { logBuckets: ["assets-bkt"] }), []);
            const alb = res(aws.lb.LoadBalancer, { accessLogs: { bucket: UNKNOWN, enabled: true } }, { name: "alb", propertyDependencies: { accessLogs: [urnOf(rs, "assets")] } });
            assert.deepStrictEqual(await run(s3DefaultEncryption, [...rs, alb]), []);
            assert.deepStrictEqual(await run(s3DefaultEncryption, rs, { requireKmsForDataBuckets: false }), []);
        });
        it("reads the V2 token and the legacy inline arguments of Bucket and BucketV2", async () => {
            const v2 = retype(patch(goodStack(), "assets-sse", { rules: [AES_RULE] }), "assets-sse", aws.s3.BucketServerSideEncryptionConfigurationV2);
            assert.deepStrictEqual(messages(await run(s3DefaultEncryption, v2)), [
                'S3 data bucket must use SSE-KMS: BucketServerSideEncryptionConfigurationV2 "assets-sse" sets sseAlgorithm "AES256", expected "aws:kms" (only log buckets may use AES256).',
            ]);
            const legacy = res(aws.s3.Bucket, { bucket: "legacy", serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } } }, { name: "legacy" });
            const legacyV2 = res(aws.s3.BucketV2, { bucket: "legacy-v2", serverSideEncryptionConfigurations: [{ rules: [KMS_RULE] }] }, { name: "legacy-v2" });
            assert.deepStrictEqual(messages(await run(s3DefaultEncryption, [legacy, legacyV2])), [
                `S3 data bucket must use SSE-KMS: the bucket's inline serverSideEncryptionConfiguration sets sseAlgorithm "AES256", expected "aws:kms" (only log buckets may use AES256).`,
            ]);
        });
    });

    describe("s3-access-logging", () => {
        it("asks a data bucket to log, as advisory, and leaves the log bucket alone", async () => {
            const rs = without(goodStack(), "assets-logging");
            const diags = await run(s3AccessLogging, rs, { logBuckets: ["logs"] });
            assert.deepStrictEqual(messages(diags), ["S3 bucket must log access requests: no BucketLogging targets it, expected one that delivers to a log bucket."]);
            assert.deepStrictEqual([diags[0].urn, diags[0].enforcementLevel, diags[0].severity], [urnOf(rs, "assets"), "advisory", "medium"]);
        });
        it("treats a bucket that receives access logs as a log bucket, under either logging token", async () => {
            assert.deepStrictEqual(await run(s3AccessLogging, retype(goodStack({ unknownIds: true }), "assets-logging", aws.s3.BucketLoggingV2)), []);
        });
        it("rejects a bucket that logs to itself", async () => {
            const rs = goodStack();
            const self = res(aws.s3.BucketLogging, { bucket: UNKNOWN, targetBucket: UNKNOWN, targetPrefix: "self/" }, {
                name: "logs-self-logging", propertyDependencies: { bucket: [urnOf(rs, "logs")], targetBucket: [urnOf(rs, "logs")] },
            });
            const diags = await run(s3AccessLogging, [...rs, self]);
            assert.deepStrictEqual(messages(diags), [
                'S3 bucket must not log to itself: BucketLogging "logs-self-logging" targets its own bucket, expected a separate log bucket (each delivery would log another request).',
            ]);
            assert.strictEqual(diags[0].urn, urnOf(rs, "logs"));
        });
        it("reads the legacy inline logging argument", async () => {
            const legacy = res(aws.s3.Bucket, { bucket: "legacy", logging: { targetBucket: "legacy" } }, { name: "legacy" });
            assert.deepStrictEqual(messages(await run(s3AccessLogging, [legacy])), [
                `S3 bucket must not log to itself: the bucket's inline logging targets its own bucket, expected a separate log bucket (each delivery would log another request).`,
            ]);
        });
    });

    describe("s3-versioning-lifecycle", () => {
        it("rejects suspended versioning and a lifecycle without an enabled rule", async () => {
            const rs = patch(patch(goodStack(), "assets-versioning", { versioningConfiguration: { status: "Suspended" } }), "logs-lifecycle", {
                rules: [{ id: "off", status: "Disabled", filter: {}, expiration: { days: 1 } }],
            });
            const diags = await run(s3VersioningLifecycle, rs);
            assert.deepStrictEqual(messages(diags), [
                'S3 bucket must keep object versions: BucketVersioning "assets-versioning" sets status "Suspended", expected "Enabled".',
                'S3 bucket must have lifecycle rules: BucketLifecycleConfiguration "logs-lifecycle" has no enabled rule, expected at least one.',
            ]);
            assert.deepStrictEqual(diags.map((d) => [d.urn, d.enforcementLevel]), [[urnOf(rs, "assets"), "mandatory"], [urnOf(rs, "logs"), "mandatory"]]);
        });
        it("accepts the V2 tokens", async () => {
            const rs = retype(retype(goodStack({ unknownIds: true }), "assets-versioning", aws.s3.BucketVersioningV2), "assets-lifecycle", aws.s3.BucketLifecycleConfigurationV2);
            assert.deepStrictEqual(await run(s3VersioningLifecycle, rs), []);
            const suspended = patch(rs, "assets-versioning", { versioningConfiguration: { status: "Suspended" } });
            assert.deepStrictEqual(messages(await run(s3VersioningLifecycle, suspended)), [
                'S3 bucket must keep object versions: BucketVersioningV2 "assets-versioning" sets status "Suspended", expected "Enabled".',
            ]);
        });
        it("reads the legacy inline versioning and lifecycle rules", async () => {
            const good = res(aws.s3.Bucket, { bucket: "a", versioning: { enabled: true }, lifecycleRules: [{ enabled: true, abortIncompleteMultipartUploadDays: 7 }] }, { name: "a" });
            const bad = res(aws.s3.BucketV2, { bucket: "b", versionings: [{ enabled: false }], lifecycleRules: [{ enabled: false }] }, { name: "b" });
            assert.deepStrictEqual(messages(await run(s3VersioningLifecycle, [good, bad])), [
                "S3 bucket must keep object versions: the bucket's inline versionings sets enabled false, expected true.",
                "S3 bucket must have lifecycle rules: the bucket's inline lifecycleRules has no enabled rule, expected at least one.",
            ]);
        });
        it("says so when the versioning status is unknown during preview", async () => {
            const diags = await run(s3VersioningLifecycle, patch(goodStack(), "logs-versioning", { versioningConfiguration: { status: UNKNOWN } }));
            assert.deepStrictEqual(messages(diags), [
                "Cannot verify during preview that versioning is enabled: versioningConfiguration.status is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("the Buckets component", () => {
        const recorded = async (stack: string, firstPreview: boolean) => {
            const r = await runUnderMocks(() => {
                const c = loadConfig();
                return new Buckets("storage", { storage: c.storage, storageKmsKeyArn: KEY_ARN, protect: c.protectStatefulResources, namePrefix: `${c.app.name}-${c.environment}` });
            }, stack, {}, { firstPreview });
            return r.resources.map(toEvalResource);
        };
        for (const stack of ["prod", "staging"]) {
            for (const firstPreview of [false, true]) {
                it(`passes every S3 policy on ${stack}${firstPreview ? " at its first preview" : ""}`, async () => {
                    const resources = await recorded(stack, firstPreview);
                    const { diagnostics } = await evaluate(resources, { policies: storagePolicies });
                    assert.deepStrictEqual(diagnostics.filter((d) => d.enforcementLevel === "mandatory" || d.cantRunDuringPreview), []);
                    assert.deepStrictEqual(messages(diagnostics), []);
                    // The same evaluation does catch a missing setting on these resources.
                    const broken = resources.filter((r) => r.name !== "storage-assets-public-access-block");
                    assert.deepStrictEqual(messages((await evaluate(broken, { policies: [s3BlockPublicAccess] })).diagnostics), [
                        "S3 bucket must block all public access: no BucketPublicAccessBlock targets it, expected one with all four flags true.",
                    ]);
                });
            }
        }
    });
});
