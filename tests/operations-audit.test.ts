import * as assert from "assert";
import { AuditConfig } from "../infra/config/operations-types";
import { AuditTrail, AuditTrailArgs, auditTrailProblems } from "../infra/operations/audit-trail";
import {
    TRAIL_ACCESS_LOG_PREFIX, deliveryRolePolicy, deliveryRoleTrustPolicy, logGroupArn, trailArn, trailBucketName, trailBucketPolicy, trailKeyAlias, trailKeyPolicy,
    trailLifecycleRules, trailLogGroupName, trailName,
} from "../infra/operations/trail-policies";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mock-outputs";
import { valueOf } from "./data-fixtures";
import { runProgram } from "../tools/offline/run-program";
import { RecordedResource, Run, runStack, stackConfig } from "./harness";
import { rootStatement } from "./key-policy-fixtures";

const ACCOUNT = "111122223333";
const CTX = { accountId: ACCOUNT, partition: "aws", region: "eu-west-1", dnsSuffix: "amazonaws.com" };
const TRAIL = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/pos-prod-trail";
const AUDIT: AuditConfig = { cloudTrail: true, glacierAfterDays: 90, expireAfterDays: 2557 };

const parse = (policy: unknown) => (typeof policy === "string" ? JSON.parse(policy) : policy);

/** The account-root administration statement every key of the stack starts with. */
const adminStatement = rootStatement;

/** The trail key's exact policy for a trail of `account` in `region`. */
function expectedKeyPolicy(account: string, thisTrail: string) {
    return {
        Version: "2012-10-17",
        Statement: [
            adminStatement(account),
            {
                Sid: "AllowCloudTrailEncryptLogsOfThisTrail",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "kms:GenerateDataKey*",
                Resource: "*",
                Condition: {
                    StringEquals: { "aws:SourceArn": thisTrail },
                    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${account}:trail/*` },
                },
            },
            {
                Sid: "AllowCloudTrailDescribeKey",
                Effect: "Allow",
                Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: "kms:DescribeKey",
                Resource: "*",
                Condition: { StringEquals: { "aws:SourceArn": thisTrail } },
            },
            {
                Sid: "AllowAccountDecryptTrailLogsThroughIam",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${account}:root` },
                Action: "kms:Decrypt",
                Resource: "*",
                Condition: {
                    StringEquals: { "kms:CallerAccount": account },
                    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${account}:trail/*` },
                },
            },
        ],
    };
}

/** The trail bucket's exact policy. */
function expectedBucketPolicy(bucket: string, account: string, thisTrail: string) {
    const arn = `arn:aws:s3:::${bucket}`;
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
            {
                Sid: "AWSCloudTrailAclCheck", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: arn,
                Condition: { StringEquals: { "aws:SourceArn": thisTrail } },
            },
            {
                Sid: "AWSCloudTrailWrite", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:PutObject", Resource: `${arn}/AWSLogs/${account}/*`,
                Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": thisTrail } },
            },
        ],
    };
}

describe("audit trail documents", () => {
    it("names the trail, its bucket, log group and alias from the prefix (and the account for the bucket)", () => {
        assert.strictEqual(trailName("pos-prod"), "pos-prod-trail");
        assert.strictEqual(trailBucketName("pos-prod", ACCOUNT), "pos-prod-trail-111122223333");
        assert.strictEqual(trailLogGroupName("pos-prod"), "/aws/cloudtrail/pos-prod");
        assert.strictEqual(trailKeyAlias("pos-prod"), "alias/pos-prod-trail");
        assert.strictEqual(trailArn(CTX, "pos-prod-trail"), TRAIL);
        assert.strictEqual(trailArn({ ...CTX, partition: "aws-cn", region: "cn-north-1" }, "t"), "arn:aws-cn:cloudtrail:cn-north-1:111122223333:trail/t");
        assert.strictEqual(logGroupArn(CTX, "/aws/cloudtrail/pos-prod"), "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/cloudtrail/pos-prod");
    });

    it("key policy: IAM administers; CloudTrail encrypts and describes for this trail only; the account decrypts trail files through IAM", () => {
        assert.deepStrictEqual(trailKeyPolicy(CTX, TRAIL), expectedKeyPolicy(ACCOUNT, TRAIL));
    });

    it("key policy grants no use to a \"*\" principal and no action beyond GenerateDataKey*, DescribeKey and Decrypt", () => {
        const statements = trailKeyPolicy(CTX, TRAIL).Statement.slice(1);
        for (const s of statements) assert.notDeepStrictEqual(s.Principal, { AWS: "*" });
        assert.deepStrictEqual(statements.map((s) => s.Action), ["kms:GenerateDataKey*", "kms:DescribeKey", "kms:Decrypt"]);
    });

    it("bucket policy: TLS only; CloudTrail reads the ACL and writes AWSLogs/<account>/ with bucket-owner-full-control, for this trail only", () => {
        assert.deepStrictEqual(trailBucketPolicy("arn:aws:s3:::pos-prod-trail-111122223333", ACCOUNT, TRAIL), expectedBucketPolicy("pos-prod-trail-111122223333", ACCOUNT, TRAIL));
    });

    it("delivery role: trusted by CloudTrail alone (AWS supports no source conditions there); writes only this group's CloudTrail streams", () => {
        assert.deepStrictEqual(deliveryRoleTrustPolicy(), {
            Version: "2012-10-17",
            Statement: [{ Sid: "CloudTrailAssumeRole", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
        const group = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/cloudtrail/pos-prod";
        const streams = `${group}:log-stream:111122223333_CloudTrail_*`;
        assert.deepStrictEqual(deliveryRolePolicy(group, ACCOUNT), {
            Version: "2012-10-17",
            Statement: [
                { Sid: "CreateTrailLogStreams", Effect: "Allow", Action: "logs:CreateLogStream", Resource: streams },
                { Sid: "PutTrailLogEvents", Effect: "Allow", Action: "logs:PutLogEvents", Resource: streams },
            ],
        });
        assert.throws(() => deliveryRolePolicy(`${group}:*`, ACCOUNT), { message: `deliveryRolePolicy: expected a log group ARN without a trailing ":*", got ${group}:*` });
    });

    it("lifecycle: Glacier after glacierAfterDays, expiry after expireAfterDays, noncurrent versions after 30 days, stale uploads after 7", () => {
        assert.deepStrictEqual(trailLifecycleRules({ cloudTrail: true, glacierAfterDays: 120, expireAfterDays: 400 }), [
            { id: "archive-then-expire-trail-logs", status: "Enabled", filter: {}, transitions: [{ days: 120, storageClass: "GLACIER" }], expiration: { days: 400 } },
            { id: "noncurrent-versions-and-incomplete-uploads", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        ]);
    });
});

const ARGS: AuditTrailArgs = {
    namePrefix: "pos-prod", audit: AUDIT, kms: { deletionWindowDays: 30 }, logs: { retentionDays: 365 }, logsKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/logs", protect: true,
};

describe("AuditTrail arguments", () => {
    it("accepts the stacks' arguments", () => assert.deepStrictEqual(auditTrailProblems(ARGS), []));

    it("names each bad argument, with what is expected", () => {
        assert.deepStrictEqual(auditTrailProblems({ ...ARGS, namePrefix: "Pos_Prod", audit: { ...AUDIT, cloudTrail: false }, kms: { deletionWindowDays: 3 }, accessLogs: { bucketName: "b", prefix: "trail" } }), [
            'namePrefix "Pos_Prod" is not allowed: expected lowercase letters, digits and single hyphens, starting and ending with a letter or digit, at most 44 characters (the bucket is <namePrefix>-trail-<account id>, at most 63), such as "pos-prod"',
            "audit.cloudTrail is false: create an AuditTrail only where the stack runs its own trail (true)",
            'accessLogs.prefix "trail" is not allowed: expected lowercase segments ending in "/", such as "s3-access/trail/"',
            "kms.deletionWindowDays is 3, expected a whole number of days from 7 to 30.",
        ]);
        assert.strictEqual(auditTrailProblems({ ...ARGS, namePrefix: "a".repeat(45) }).length, 1);
        assert.deepStrictEqual(auditTrailProblems({ ...ARGS, namePrefix: "a".repeat(44) }), []);
    });

    it("throws before registering anything: the config's own lifecycle check, then this component's", async () => {
        const attempt = async (args: AuditTrailArgs) => {
            const result = await runProgram(() => new AuditTrail("audit-trail", args), { stack: "prod", config: stackConfig("prod") });
            return { message: (result.error as Error | undefined)?.message, registered: result.resources.map((r) => r.type) };
        };
        assert.deepStrictEqual(await attempt({ ...ARGS, audit: { ...AUDIT, expireAfterDays: 100 } }), {
            message: "AuditTrail audit-trail has invalid arguments:\n  - audit.expireAfterDays = 100 is not allowed: expected an integer from 180 to 3653",
            registered: [],
        });
        assert.deepStrictEqual(await attempt({ ...ARGS, namePrefix: "x--y" }), {
            message: 'AuditTrail audit-trail has invalid arguments:\n  - namePrefix "x--y" is not allowed: expected lowercase letters, digits and single hyphens, starting and ending with a letter or digit, at most 44 characters (the bucket is <namePrefix>-trail-<account id>, at most 63), such as "pos-prod"',
            registered: [],
        });
    });
});

for (const stack of ["prod", "staging"] as const) {
    const prod = stack === "prod";
    const prefix = `pos-${stack}`;
    const region = "eu-west-1";
    const bucket = `${prefix}-trail-${MOCK_ACCOUNT_ID}`;
    const thisTrail = `arn:aws:cloudtrail:${region}:${MOCK_ACCOUNT_ID}:trail/${prefix}-trail`;
    const group = `/aws/cloudtrail/${prefix}`;
    const retention = prod ? 365 : 30;

    describe(`audit trail (${stack})`, function () {
        this.timeout(120_000);
        let run: Run;
        const one = (type: string, name: string) => run.one(type, name);
        const urn = (type: string, name: string) => one(type, name).urn;
        before(async () => {
            run = await runStack(stack);
        });

        it("a multi-region trail of read and write management events, validated, under its own key, to its bucket and log group", async () => {
            const trail = one("aws:cloudtrail/trail:Trail", "audit-trail");
            assert.deepStrictEqual(trail.inputs, {
                name: `${prefix}-trail`,
                s3BucketName: bucket,
                kmsKeyId: `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/audit-trail-key-key-id`,
                isMultiRegionTrail: true,
                includeGlobalServiceEvents: true,
                enableLogFileValidation: true,
                enableLogging: true,
                eventSelectors: [{ readWriteType: "All", includeManagementEvents: true }],
                cloudWatchLogsGroupArn: `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:log-group:${group}:*`,
                cloudWatchLogsRoleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/pos-${stack}-trail-logs`,
            });
            assert.strictEqual(trail.protect, prod);
            assert.strictEqual(run.parentName(trail), "audit-trail");
            // CloudTrail checks the bucket policy and the role's rights when it creates the trail.
            for (const [type, name] of [["aws:s3/bucketPolicy:BucketPolicy", "audit-trail-bucket-policy"], ["aws:iam/rolePolicy:RolePolicy", "audit-trail-logs-policy"]]) {
                assert.ok(trail.dependencies.includes(urn(type, name)), `trail depends on ${name}`);
            }
            assert.strictEqual(await valueOf(run.outputs.auditTrailArn), thisTrail);
            assert.strictEqual(await valueOf(run.outputs.auditBucketName), bucket);
        });

        it(`the key: rotated, ${30}-day window, alias, AWS's CloudTrail statements scoped to this trail; kept on delete${prod ? ", protected" : ""}`, () => {
            const key = one("aws:kms/key:Key", "audit-trail-key");
            assert.strictEqual(key.inputs.enableKeyRotation, true);
            assert.strictEqual(key.inputs.deletionWindowInDays, 30);
            assert.deepStrictEqual(parse(key.inputs.policy), expectedKeyPolicy(MOCK_ACCOUNT_ID, thisTrail));
            assert.strictEqual(key.retainOnDelete, true);
            assert.strictEqual(key.protect, prod);
            assert.deepStrictEqual(one("aws:kms/alias:Alias", "audit-trail-key-alias").inputs, { name: `alias/${prefix}-trail`, targetKeyId: "audit-trail-key-key-id" });
        });

        it(`the bucket: ${prod ? "protected and kept" : "emptied and deleted on destroy"}, private, versioned, SSE-KMS under the trail key, lifecycled`, () => {
            const b = one("aws:s3/bucket:Bucket", "audit-trail-bucket");
            assert.deepStrictEqual(b.inputs, { bucket, forceDestroy: !prod });
            assert.strictEqual(b.protect, prod);
            assert.strictEqual(b.retainOnDelete, prod);
            assert.deepStrictEqual(one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "audit-trail-bucket-public-access-block").inputs, {
                bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
            });
            assert.deepStrictEqual(one("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "audit-trail-bucket-ownership").inputs, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
            assert.deepStrictEqual(one("aws:s3/bucketVersioning:BucketVersioning", "audit-trail-bucket-versioning").inputs, { bucket, versioningConfiguration: { status: "Enabled" } });
            assert.deepStrictEqual(one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "audit-trail-bucket-encryption").inputs, {
                bucket,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/audit-trail-key-key-id` }, bucketKeyEnabled: false }],
            });
            const expire = prod ? 2557 : 365;
            assert.deepStrictEqual(one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "audit-trail-bucket-lifecycle").inputs, {
                bucket,
                rules: [
                    { id: "archive-then-expire-trail-logs", status: "Enabled", filter: {}, transitions: [{ days: 90, storageClass: "GLACIER" }], expiration: { days: expire } },
                    { id: "noncurrent-versions-and-incomplete-uploads", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
                ],
            });
        });

        it("the bucket policy: TLS deny, and CloudTrail's two statements scoped by aws:SourceArn to this trail", () => {
            const policy = one("aws:s3/bucketPolicy:BucketPolicy", "audit-trail-bucket-policy");
            assert.strictEqual(policy.inputs.bucket, bucket);
            assert.deepStrictEqual(parse(policy.inputs.policy), expectedBucketPolicy(bucket, MOCK_ACCOUNT_ID, thisTrail));
            // S3 refuses concurrent changes to a bucket's public access block and policy.
            assert.ok(policy.dependencies.includes(urn("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "audit-trail-bucket-public-access-block")));
        });

        it("its access logs go to the stack's log bucket, whose policy admits them from this bucket only, under their own prefix", () => {
            const logging = one("aws:s3/bucketLogging:BucketLogging", "audit-trail-bucket-access-logging");
            const logBucket = `${prefix}-logs-${MOCK_ACCOUNT_ID}`;
            assert.deepStrictEqual(logging.inputs, { bucket, targetBucket: logBucket, targetPrefix: TRAIL_ACCESS_LOG_PREFIX });
            assert.ok(logging.dependencies.includes(urn("aws:s3/bucketPolicy:BucketPolicy", "storage-logs-policy")));
            const statements = parse(one("aws:s3/bucketPolicy:BucketPolicy", "storage-logs-policy").inputs.policy).Statement;
            assert.deepStrictEqual(statements.find((s: any) => s.Sid === "AllowS3ServerAccessLogDeliveryFromTrail"), {
                Sid: "AllowS3ServerAccessLogDeliveryFromTrail",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `arn:aws:s3:::${logBucket}/s3-access/trail/*`,
                Condition: { ArnLike: { "aws:SourceArn": `arn:aws:s3:::${bucket}` }, StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
            });
        });

        it(`the log group: under the logs key, kept ${retention} days${prod ? ", protected and kept on delete" : ""}; the role writes only its CloudTrail streams`, () => {
            const logs = one("aws:cloudwatch/logGroup:LogGroup", "audit-trail-logs");
            assert.deepStrictEqual(logs.inputs, { name: group, retentionInDays: retention, kmsKeyId: `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/keys-logs-key-id` });
            assert.strictEqual(logs.protect, prod);
            assert.strictEqual(logs.retainOnDelete, prod);
            const role = one("aws:iam/role:Role", "audit-trail-logs-role");
            assert.deepStrictEqual(parse(role.inputs.assumeRolePolicy), deliveryRoleTrustPolicy());
            const policy = one("aws:iam/rolePolicy:RolePolicy", "audit-trail-logs-policy");
            assert.strictEqual(policy.inputs.role, `pos-${stack}-trail-logs`);
            assert.strictEqual(role.inputs.name, `pos-${stack}-trail-logs`);
            assert.deepStrictEqual(parse(policy.inputs.policy), deliveryRolePolicy(`arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:log-group:${group}`, MOCK_ACCOUNT_ID));
        });
    });
}

describe("audit trail off (baseline:audit.cloudTrail false: an organisation trail records the account)", function () {
    this.timeout(120_000);
    for (const stack of ["prod", "staging"]) {
        it(`${stack}: creates nothing of the trail, admits no trail access logs, and outputs no trail`, async () => {
            const run = await runStack(stack, { "baseline:audit": { cloudTrail: false } });
            const trailParts = run.resources.filter((r: RecordedResource) => r.type.startsWith("aws:cloudtrail/") || r.type === "baseline:operations:AuditTrail" || r.name.startsWith("audit-trail"));
            assert.deepStrictEqual(trailParts.map((r) => r.name), []);
            const statements = parse(run.one("aws:s3/bucketPolicy:BucketPolicy", "storage-logs-policy").inputs.policy).Statement;
            assert.deepStrictEqual(statements.filter((s: any) => s.Sid === "AllowS3ServerAccessLogDeliveryFromTrail"), []);
            assert.strictEqual(run.outputs.auditTrailArn, undefined);
            assert.strictEqual(run.outputs.auditBucketName, undefined);
        });
    }
});
