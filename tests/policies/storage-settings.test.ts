import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { s3AccessLogging, s3DefaultEncryption, s3VersioningLifecycle } from "../../policies/storage/buckets";
import { s3BlockPublicAccess, s3NoPublicGrants } from "../../policies/storage/access";
import { UNKNOWN, messages, res, run } from "./helpers";

/**
 * s3-* settings over what the pack enumerates: each public-access-block flag, each KMS algorithm,
 * inline access logging of a BucketV2, and lifecycle rules unknown until apply. Each case changes
 * one setting of a single bucket; the full compliant stack is in storage.test.ts.
 */
const bucket = res(aws.s3.Bucket, { bucket: "data-bkt" }, { name: "data" });
const FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"];

describe("policies: S3 settings, every flag and spelling", () => {
    for (const flag of FLAGS) {
        it(`s3-block-public-access requires ${flag}`, async () => {
            const pab = res(aws.s3.BucketPublicAccessBlock, { bucket: "data-bkt", ...Object.fromEntries(FLAGS.map((f) => [f, f !== flag])) }, { name: "data-pab" });
            assert.deepStrictEqual(messages(await run(s3BlockPublicAccess, [bucket, pab])), [
                `S3 bucket must block all public access: BucketPublicAccessBlock "data-pab" has ${flag} false, expected all four flags true.`,
            ]);
        });
    }

    it("s3-no-public-grants rejects each public canned ACL, authenticated-read too (every AWS account)", async () => {
        for (const acl of ["public-read", "public-read-write", "authenticated-read"]) {
            const aclV2 = res(aws.s3.BucketAclV2, { bucket: "data-bkt", acl }, { name: "data-acl" });
            assert.deepStrictEqual(messages(await run(s3NoPublicGrants, [bucket, aclV2])).filter((m) => m.startsWith("S3 bucket ACL must not grant")), [
                `S3 bucket ACL must not grant access to everyone: BucketAclV2 "data-acl" sets acl "${acl}", expected no ACL (ownership BucketOwnerEnforced) or "private".`,
            ]);
        }
    });

    it("s3-default-encryption accepts DSSE-KMS on a data bucket", async () => {
        const sse = res(aws.s3.BucketServerSideEncryptionConfiguration, {
            bucket: "data-bkt", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms:dsse", kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k" } }],
        }, { name: "data-sse" });
        assert.deepStrictEqual(messages(await run(s3DefaultEncryption, [bucket, sse])).filter((m) => m.includes("sseAlgorithm")), []);
    });

    it("s3-access-logging counts a BucketV2's inline loggings", async () => {
        const v2 = res(aws.s3.BucketV2, { bucket: "data-bkt", loggings: [{ targetBucket: "logs-bkt", targetPrefix: "data/" }] }, { name: "data" });
        const logs = res(aws.s3.BucketV2, { bucket: "logs-bkt" }, { name: "logs" });
        assert.deepStrictEqual(messages(await run(s3AccessLogging, [v2, logs])).filter((m) => m.includes("must log access requests")), []);
    });

    it("s3-versioning-lifecycle counts lifecycle rules unknown until apply as present", async () => {
        const versioning = res(aws.s3.BucketVersioning, { bucket: "data-bkt", versioningConfiguration: { status: "Enabled" } }, { name: "data-versioning" });
        for (const rules of [[UNKNOWN], [{ id: "expire", status: UNKNOWN }]]) {
            const lifecycle = res(aws.s3.BucketLifecycleConfiguration, { bucket: "data-bkt", rules }, { name: "data-lifecycle" });
            assert.deepStrictEqual(await run(s3VersioningLifecycle, [bucket, versioning, lifecycle]), []);
        }
    });
});
