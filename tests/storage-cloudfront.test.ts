import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { kmsPolicies } from "../policies/security/kms";
import { firstUnknown } from "../policies/lib/props";
import { storagePolicies } from "../policies/storage/buckets";
import { loadConfig } from "../infra/config/load";
import { CLOUDFRONT_ACCESS_LOG_PREFIX, cloudFrontDeliverySourceName } from "../infra/edge/settings";
import { Keys } from "../infra/security/keys";
import { allowCloudFrontOriginRead, allowVendedLogDelivery } from "../infra/storage/bucket-policy";
import { assetsBucketPolicyDocument } from "../infra/storage/bucket-settings";
import { Buckets, BucketsArgs } from "../infra/storage/buckets";
import { evaluate } from "../tools/offline/evaluate";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mock-outputs";
import { runProgram } from "../tools/offline/run-program";
import { toEvalResource } from "../tools/offline/stack-check";
import { Run, runUnderMocks, stackConfig } from "./harness";
import { UNKNOWN, messages } from "./policies/helpers";

const DISTRIBUTION_ARN = `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:distribution/E2EXAMPLE123`;
const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/storage-key-id";
const assetsName = (stack: string) => `pos-${stack}-assets-${MOCK_ACCOUNT_ID}`;
const logsName = (stack: string) => `pos-${stack}-logs-${MOCK_ACCOUNT_ID}`;

/** AWS's OAC bucket statement, for this stack's distribution and the public prefix only. */
const oacStatement = (bucket: string, distributionArn: string = DISTRIBUTION_ARN, prefix = "static/") => ({
    Sid: "AllowCloudFrontOacReadOfPublicPrefix",
    Effect: "Allow",
    Principal: { Service: "cloudfront.amazonaws.com" },
    Action: "s3:GetObject",
    Resource: `arn:aws:s3:::${bucket}/${prefix}*`,
    Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
});

/** CloudWatch Logs' V2 delivery statement, for this account's one delivery source in us-east-1. */
const logDeliveryStatement = (bucket: string, source: string, account = MOCK_ACCOUNT_ID) => ({
    Sid: "AllowCloudFrontStandardLogDelivery",
    Effect: "Allow",
    Principal: { Service: "delivery.logs.amazonaws.com" },
    Action: "s3:PutObject",
    Resource: `arn:aws:s3:::${bucket}/cloudfront-access/AWSLogs/${account}/*`,
    Condition: {
        StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": account },
        ArnLike: { "aws:SourceArn": `arn:aws:logs:us-east-1:${account}:delivery-source:${source}` },
    },
});

const tlsDeny = (bucket: string) => ({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
});

type Statement = { Effect: string; Principal: unknown; Action: string | string[]; Resource: string | string[] };
const glob = (pattern: string) => new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
/** Allow statements of `doc` that give `service` the action on the resource (IAM wildcards in Action and Resource). */
const allowing = (doc: { Statement: Statement[] }, service: string, action: string, resource: string) =>
    doc.Statement.filter((s) => s.Effect === "Allow" && JSON.stringify(s.Principal) === JSON.stringify({ Service: service }) &&
        [s.Action].flat().some((a) => glob(a).test(action)) && [s.Resource].flat().some((r) => glob(r).test(resource)));

/** The component as main.ts builds it with CloudFront in front. */
function withCloudFront(extra: Partial<BucketsArgs> = {}, distributionArn: pulumi.Input<string> = DISTRIBUTION_ARN): Buckets {
    const c = loadConfig();
    const namePrefix = `${c.app.name}-${c.environment}`;
    return new Buckets("storage", {
        storage: c.storage,
        storageKmsKeyArn: KEY_ARN,
        protect: c.protectStatefulResources,
        namePrefix,
        allowLoadBalancerLogs: { prefix: "alb-access" },
        cloudFront: { distributionArn, publicPrefix: "static/" },
        allowCloudFrontLogs: { prefix: CLOUDFRONT_ACCESS_LOG_PREFIX, deliverySourceName: cloudFrontDeliverySourceName(namePrefix) },
        ...extra,
    });
}
const policyOf = (run: Run, bucket: "assets" | "logs") => run.one("aws:s3/bucketPolicy:BucketPolicy", `storage-${bucket}-policy`).wireInputs.policy;
const parsed = (p: unknown) => (typeof p === "string" ? JSON.parse(p) : p);

describe("CloudFront statements", () => {
    it("lets the CloudFront service get objects under one prefix, for one distribution (AWS's OAC statement)", () => {
        assert.deepStrictEqual(
            allowCloudFrontOriginRead({ bucketArn: "arn:aws:s3:::pos-prod-assets-111122223333", publicPrefix: "static/", distributionArn: "arn:aws:cloudfront::111122223333:distribution/E1" }),
            oacStatement("pos-prod-assets-111122223333", "arn:aws:cloudfront::111122223333:distribution/E1"),
        );
    });

    it("lets CloudWatch Logs delivery put objects under <prefix>/AWSLogs/<account>/, from one delivery source, with the bucket owning them", () => {
        assert.deepStrictEqual(
            allowVendedLogDelivery({
                logBucketArn: "arn:aws:s3:::pos-prod-logs-111122223333", prefix: "cloudfront-access", accountId: "111122223333", partition: "aws",
                region: "us-east-1", deliverySourceName: "pos-prod-cloudfront-access",
            }),
            logDeliveryStatement("pos-prod-logs-111122223333", "pos-prod-cloudfront-access", "111122223333"),
        );
    });

    it("refuses a delivery source name that would widen aws:SourceArn, and a prefix with an empty segment", () => {
        const d = { logBucketArn: "arn:aws:s3:::l", prefix: "cloudfront-access", accountId: "1", partition: "aws", region: "us-east-1", deliverySourceName: "pos-*" };
        assert.throws(() => allowVendedLogDelivery(d), {
            message: 'allowVendedLogDelivery: deliverySourceName "pos-*" is not allowed: expected 1 to 60 letters, digits, underscores or hyphens.',
        });
        assert.throws(() => allowVendedLogDelivery({ ...d, deliverySourceName: "x", prefix: "cloudfront/" }), /^Error: allowVendedLogDelivery: prefix "cloudfront\/" is not allowed/);
    });

    it("opens nothing else of the assets bucket: receipts, uploads, look-alike prefixes and listing stay private", () => {
        const doc = assetsBucketPolicyDocument("arn:aws:s3:::a", { distributionArn: DISTRIBUTION_ARN, publicPrefix: "static/" });
        assert.strictEqual(allowing(doc, "cloudfront.amazonaws.com", "s3:GetObject", "arn:aws:s3:::a/static/app.js").length, 1);
        for (const key of ["receipts/2024/r-1.pdf", "uploads/u.png", "staticx/a.js", "Static/a.js", "a.js", "x/static/a.js"]) {
            assert.deepStrictEqual(allowing(doc, "cloudfront.amazonaws.com", "s3:GetObject", `arn:aws:s3:::a/${key}`), [], key);
        }
        for (const action of ["s3:ListBucket", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectAcl"]) {
            assert.deepStrictEqual(allowing(doc, "cloudfront.amazonaws.com", action, "arn:aws:s3:::a/static/app.js"), [], action);
            assert.deepStrictEqual(allowing(doc, "cloudfront.amazonaws.com", action, "arn:aws:s3:::a"), [], action);
        }
        // Without CloudFront the bucket grants nothing at all.
        assert.deepStrictEqual(assetsBucketPolicyDocument("arn:aws:s3:::a").Statement.filter((s) => s.Effect === "Allow"), []);
    });
});

for (const stack of ["prod", "staging"] as const) {
    describe(`Buckets with CloudFront in front (${stack})`, () => {
        let run: Run;
        before(async () => {
            run = await runUnderMocks(() => withCloudFront(), stack);
        });

        it("adds the OAC statement to the assets bucket, after the TLS deny, and nothing else", () => {
            assert.deepStrictEqual(parsed(policyOf(run, "assets")), { Version: "2012-10-17", Statement: [tlsDeny(assetsName(stack)), oacStatement(assetsName(stack))] });
        });

        it("adds CloudFront's log delivery to the log bucket, after the TLS deny, S3 logging and the load balancer's", () => {
            const doc = parsed(policyOf(run, "logs"));
            assert.deepStrictEqual(doc.Statement.map((s: { Sid: string }) => s.Sid), [
                "DenyInsecureTransport", "AllowS3ServerAccessLogDelivery", "AllowElbAccessLogDelivery", "AllowCloudFrontStandardLogDelivery",
            ]);
            assert.deepStrictEqual(doc.Statement[3], logDeliveryStatement(logsName(stack), `pos-${stack}-cloudfront-access`));
            // The delivery may write its own prefix only: not the load balancer's, not the S3 access logs'.
            for (const key of [`alb-access/AWSLogs/${MOCK_ACCOUNT_ID}/x.gz`, "s3-access/assets/x", `cloudfront-access/AWSLogs/111122223333/x`]) {
                assert.deepStrictEqual(allowing(doc, "delivery.logs.amazonaws.com", "s3:PutObject", `arn:aws:s3:::${logsName(stack)}/${key}`), [], key);
            }
            assert.strictEqual(allowing(doc, "delivery.logs.amazonaws.com", "s3:PutObject", `arn:aws:s3:::${logsName(stack)}/cloudfront-access/AWSLogs/${MOCK_ACCOUNT_ID}/CloudFront/E2EXAMPLE123/x.gz`).length, 1);
        });

        it("keeps every resource, logical name and bucket input: the policies change in place", () => {
            assert.deepStrictEqual(run.resources.map((r) => r.name).sort(), [
                "storage", "storage-assets", "storage-assets-access-logging", "storage-assets-encryption", "storage-assets-lifecycle", "storage-assets-ownership",
                "storage-assets-policy", "storage-assets-public-access-block", "storage-assets-versioning", "storage-logs", "storage-logs-encryption",
                "storage-logs-lifecycle", "storage-logs-ownership", "storage-logs-policy", "storage-logs-public-access-block", "storage-logs-versioning",
            ]);
            assert.deepStrictEqual(run.one("aws:s3/bucket:Bucket", "storage-assets").wireInputs, { bucket: assetsName(stack), forceDestroy: stack !== "prod" });
        });

        it("passes every S3 policy of the pack", async () => {
            const { diagnostics } = await evaluate(run.resources.map(toEvalResource), { policies: storagePolicies });
            assert.deepStrictEqual(messages(diagnostics), []);
        });
    });
}

describe("Buckets without CloudFront", () => {
    it("grants CloudFront and vended log delivery nothing", async () => {
        const run = await runUnderMocks(() => withCloudFront({ cloudFront: undefined, allowCloudFrontLogs: undefined }), "prod");
        const texts = [policyOf(run, "assets"), policyOf(run, "logs")];
        for (const t of texts) assert.strictEqual(typeof t, "string");
        assert.doesNotMatch(texts.join(), /cloudfront\.amazonaws\.com|delivery\.logs\.amazonaws\.com|AWS:SourceArn/);
        assert.deepStrictEqual(JSON.parse(texts[0]).Statement, [tlsDeny(assetsName("prod"))]);
    });
});

describe("Buckets and Keys on the distribution's first preview", () => {
    let run: Run;
    before(async () => {
        run = await runUnderMocks(() => {
            // On a first preview every other resource's output is unknown: the distribution's ARN among them.
            const distribution = new aws.sns.Topic("stand-in-for-the-distribution");
            const c = loadConfig();
            new Keys("keys", { kms: c.kms, namePrefix: "pos-prod", protect: true, cloudFrontDistributionArn: distribution.arn });
            withCloudFront({}, distribution.arn);
        }, "prod", {}, { firstPreview: true });
    });

    it("leaves only aws:SourceArn unknown in the assets policy: the TLS deny, principal, action and resource stay readable", () => {
        const policy = policyOf(run, "assets");
        assert.strictEqual(firstUnknown(policy, "policy"), "policy.Statement[1].Condition.StringEquals.AWS:SourceArn");
        assert.deepStrictEqual(policy, { Version: "2012-10-17", Statement: [tlsDeny(assetsName("prod")), oacStatement(assetsName("prod"), UNKNOWN)] });
        // The policy waits for the distribution.
        assert.deepStrictEqual(run.one("aws:s3/bucketPolicy:BucketPolicy", "storage-assets-policy").propertyDependencies.policy, [run.one("aws:sns/topic:Topic").urn]);
        // The log bucket's policy needs no output of the distribution: fully known.
        assert.deepStrictEqual(parsed(policyOf(run, "logs")).Statement[3], logDeliveryStatement(logsName("prod"), "pos-prod-cloudfront-access"));
    });

    it("passes the pack's S3 and KMS policies; only the storage key's policy (a JSON string naming the distribution) waits for apply", async () => {
        const { diagnostics } = await evaluate(run.resources.map(toEvalResource), { policies: [...storagePolicies, ...kmsPolicies] });
        assert.deepStrictEqual(diagnostics.map((d) => [d.policyName, d.urn?.split("::").pop(), d.enforcementLevel]), [["kms-key-policy", "keys-storage", "advisory"]]);
        assert.deepStrictEqual(messages(diagnostics), [
            'Cannot verify during preview that the key policy admits no "*" principal without a condition: policy is (unknown until apply). Re-run the check after apply, or set the value from configuration.',
        ]);
        assert.deepStrictEqual(diagnostics.filter((d) => d.cantRunDuringPreview), []);
    });
});

describe("Buckets and Keys with a known distribution", () => {
    it("pass the pack's S3 and KMS policies", async () => {
        const run = await runUnderMocks(() => {
            const c = loadConfig();
            new Keys("keys", { kms: c.kms, namePrefix: "pos-prod", protect: true, cloudFrontDistributionArn: DISTRIBUTION_ARN });
            withCloudFront();
        }, "prod");
        const storageKey = JSON.parse(run.one("aws:kms/key:Key", "keys-storage").wireInputs.policy);
        assert.strictEqual(storageKey.Statement[2].Condition.StringEquals["AWS:SourceArn"], DISTRIBUTION_ARN);
        const { diagnostics } = await evaluate(run.resources.map(toEvalResource), { policies: [...storagePolicies, ...kmsPolicies] });
        assert.deepStrictEqual(messages(diagnostics), []);
    });
});

describe("Buckets: CloudFront argument validation", () => {
    const fails = async (extra: Partial<BucketsArgs>, message: string) => {
        const result = await runProgram(() => withCloudFront(extra), { stack: "prod", config: stackConfig("prod") });
        assert.strictEqual(String(result.error), `Error: ${message}`);
        assert.deepStrictEqual(result.resources, []);
    };

    it("checks the public prefix with the edge config's own rule, before registering anything", async () => {
        for (const prefix of ["static", "/static/", "Static/", "static/js/", "", "*/"]) {
            await fails(
                { cloudFront: { distributionArn: DISTRIBUTION_ARN, publicPrefix: prefix } },
                `Buckets: cloudFront.publicPrefix = ${JSON.stringify(prefix)} is not allowed: expected one key prefix segment ending in "/", such as static/ (lowercase letters, digits, ".", "_" or "-").`,
            );
        }
    });

    it("checks the log prefix and the delivery source name, and keeps CloudFront's logs apart from the load balancer's", async () => {
        const source = "pos-prod-cloudfront-access";
        await fails({ allowCloudFrontLogs: { prefix: "cf/", deliverySourceName: source } },
            'Buckets: allowCloudFrontLogs.prefix "cf/" is not allowed: expected lowercase letters, digits and hyphens, in segments joined by "/" with none at either end, such as alb-access.');
        await fails({ allowCloudFrontLogs: { prefix: "alb-access", deliverySourceName: source } },
            'Buckets: allowCloudFrontLogs.prefix "alb-access" is the load balancer\'s too: expected a prefix of its own, such as cloudfront-access.');
        await fails({ allowCloudFrontLogs: { prefix: "cloudfront-access", deliverySourceName: "pos-prod-*" } },
            'Buckets: allowCloudFrontLogs.deliverySourceName "pos-prod-*" is not allowed: expected 1 to 60 letters, digits, underscores or hyphens.');
        await fails({ allowCloudFrontLogs: { prefix: "cloudfront-access", deliverySourceName: "a".repeat(61) } },
            `Buckets: allowCloudFrontLogs.deliverySourceName "${"a".repeat(61)}" is not allowed: expected 1 to 60 letters, digits, underscores or hyphens.`);
    });
});
