import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { loadConfig } from "../infra/config/load";
import { StorageConfig } from "../infra/config/types";
import {
    ELB_ACCOUNT_REGIONS, ELB_LOG_DELIVERY_SERVICE, allowAccessLogDelivery, allowLoadBalancerLogDelivery, bucketArn, denyInsecureTransport, isLoadBalancerLogPrefix, policyDocument,
} from "../infra/storage/bucket-policy";
import { ASSETS_ACCESS_LOG_PREFIX, Buckets } from "../infra/storage/buckets";
import { expiredDeleteMarkerRule, logExpiryRule, validateStorageConfig, versionHousekeepingRule } from "../infra/storage/lifecycle";
import { MAX_NAME_PREFIX_LENGTH, bucketName, validateNamePrefix } from "../infra/storage/naming";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mock-outputs";
import { runProgram } from "../tools/offline/run-program";
import { RecordedResource, Run, runUnderMocks, stackConfig } from "./harness";
import { UNKNOWN } from "./policies/helpers";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/storage-key-id";
const STORAGE: StorageConfig = { noncurrentVersionTransitionDays: 30, noncurrentVersionExpirationDays: 365, abortIncompleteUploadDays: 7, logRetentionDays: 90 };

/** The component as the program builds it, from the stack's validated config. */
function buckets(): Buckets {
    const c = loadConfig();
    return new Buckets("storage", {
        storage: c.storage,
        storageKmsKeyArn: KEY_ARN,
        protect: c.protectStatefulResources,
        namePrefix: `${c.app.name}-${c.environment}`,
    });
}

const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((done) => o.apply(done));

describe("storage helpers", () => {
    it("denies plain-HTTP requests on the bucket and its objects", () => {
        assert.deepStrictEqual(denyInsecureTransport("arn:aws:s3:::b"), {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
    });

    it("lets the S3 logging service write one prefix, for one source bucket and account", () => {
        assert.deepStrictEqual(
            allowAccessLogDelivery({ logBucketArn: "arn:aws:s3:::logs", prefix: "s3-access/assets/", sourceBucketArn: "arn:aws:s3:::assets", sourceAccountId: "111122223333" }),
            {
                Sid: "AllowS3ServerAccessLogDelivery",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: "arn:aws:s3:::logs/s3-access/assets/*",
                Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::assets" }, StringEquals: { "aws:SourceAccount": "111122223333" } },
            },
        );
    });

    it("rejects a log prefix that would also match sibling prefixes", () => {
        assert.throws(
            () => allowAccessLogDelivery({ logBucketArn: "arn:aws:s3:::logs", prefix: "assets", sourceBucketArn: "arn:aws:s3:::a", sourceAccountId: "1" }),
            { message: 'allowAccessLogDelivery: prefix must end with "/", got "assets"' },
        );
    });

    it("builds ARNs in the given partition and wraps statements in a versioned document", () => {
        assert.strictEqual(bucketArn("aws-cn", "b"), "arn:aws-cn:s3:::b");
        const statements = [denyInsecureTransport("arn:aws:s3:::a"), denyInsecureTransport("arn:aws:s3:::b")];
        assert.deepStrictEqual(policyDocument(statements), { Version: "2012-10-17", Statement: statements });
    });

    it("moves noncurrent versions to STANDARD_IA, expires them and aborts stale uploads", () => {
        assert.deepStrictEqual(versionHousekeepingRule(STORAGE), {
            id: "noncurrent-versions-and-incomplete-uploads",
            status: "Enabled",
            filter: {},
            noncurrentVersionTransitions: [{ noncurrentDays: 30, storageClass: "STANDARD_IA" }],
            noncurrentVersionExpiration: { noncurrentDays: 365 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        });
        assert.deepStrictEqual(logExpiryRule(STORAGE), { id: "expire-logs", status: "Enabled", filter: {}, expiration: { days: 90 } });
    });

    it("removes delete markers left alone, in a rule of their own (S3 refuses them beside expiration days)", () => {
        assert.deepStrictEqual(expiredDeleteMarkerRule(), { id: "expired-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } });
    });

    it("rejects lifecycle settings S3 would refuse or that make no sense", () => {
        assert.throws(() => validateStorageConfig({ ...STORAGE, noncurrentVersionTransitionDays: 10, noncurrentVersionExpirationDays: 5 }), {
            message:
                "Buckets: invalid storage settings: noncurrentVersionTransitionDays must be at least 30 (S3's minimum for STANDARD_IA), got 10; " +
                "noncurrentVersionExpirationDays (5) must be greater than noncurrentVersionTransitionDays (10), or versions expire before they move.",
        });
        assert.throws(() => validateStorageConfig({ ...STORAGE, abortIncompleteUploadDays: 0 }), {
            message: "Buckets: invalid storage settings: abortIncompleteUploadDays must be a whole number of days >= 1, got 0.",
        });
        assert.doesNotThrow(() => validateStorageConfig(STORAGE));
    });

    it("names buckets <prefix>-<role>-<account> and rejects prefixes S3 would refuse", () => {
        assert.strictEqual(bucketName("pos-prod", "assets", "123456789012"), "pos-prod-assets-123456789012");
        assert.throws(() => validateNamePrefix("Pos_Prod"), { message: /^Buckets: namePrefix "Pos_Prod" is not allowed: use lowercase letters/ });
        assert.throws(() => validateNamePrefix("pos--prod"), { message: /^Buckets: namePrefix "pos--prod" is not allowed/ });
        assert.throws(() => validateNamePrefix("sthree-x"), { message: 'Buckets: namePrefix "sthree-x" starts with a prefix S3 reserves: choose another.' });
        const long = "a".repeat(MAX_NAME_PREFIX_LENGTH + 1);
        assert.throws(() => validateNamePrefix(long), { message: `Buckets: namePrefix "${long}" is 44 characters: at most 43, so that bucket names stay within S3's 63.` });
        assert.strictEqual(bucketName("a".repeat(MAX_NAME_PREFIX_LENGTH), "assets", "123456789012").length, 63);
    });
});

const EXPECTED_LIFECYCLE: Record<string, { transition: number; expiration: number; abort: number; logRetention: number }> = {
    prod: { transition: 30, expiration: 365, abort: 7, logRetention: 365 },
    staging: { transition: 30, expiration: 90, abort: 7, logRetention: 90 },
};

for (const stack of ["prod", "staging"] as const) {
    describe(`Buckets component (${stack})`, () => {
        let run: Run;
        let component: Buckets;
        const assetsName = `pos-${stack}-assets-${MOCK_ACCOUNT_ID}`;
        const logsName = `pos-${stack}-logs-${MOCK_ACCOUNT_ID}`;
        const prod = stack === "prod";

        before(async () => {
            run = await runUnderMocks(() => (component = buckets()), stack);
        });

        const assets = () => run.one("aws:s3/bucket:Bucket", "storage-assets");
        const logs = () => run.one("aws:s3/bucket:Bucket", "storage-logs");
        const setting = (type: string, name: string) => run.one(`aws:s3/${type}`, name);
        /** Each setting of one bucket: the resource and the bucket it must point at. */
        const settingsOf = (): [RecordedResource, RecordedResource][] => [
            ["bucketPublicAccessBlock:BucketPublicAccessBlock", "public-access-block"],
            ["bucketOwnershipControls:BucketOwnershipControls", "ownership"],
            ["bucketVersioning:BucketVersioning", "versioning"],
            ["bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lifecycle"],
            ["bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "encryption"],
            ["bucketPolicy:BucketPolicy", "policy"],
        ].flatMap(([type, suffix]) => [
            [setting(type, `storage-assets-${suffix}`), assets()] as [RecordedResource, RecordedResource],
            [setting(type, `storage-logs-${suffix}`), logs()] as [RecordedResource, RecordedResource],
        ]);

        it(`creates two named buckets, ${prod ? "never force-destroyed" : "emptied on destroy (forceDestroy) so the destroy completes"}`, () => {
            assert.deepStrictEqual(assets().wireInputs, { bucket: assetsName, forceDestroy: !prod });
            assert.deepStrictEqual(logs().wireInputs, { bucket: logsName, forceDestroy: !prod });
            assert.deepStrictEqual(run.ofType("aws:s3/bucket:Bucket").map((b) => b.name).sort(), ["storage-assets", "storage-logs"]);
        });

        it("points every setting at its own bucket, by the bucket id and by dependency", () => {
            for (const [r, bucket] of settingsOf()) {
                assert.strictEqual(r.wireInputs.bucket, bucket.wireInputs.bucket, `${r.name}.bucket`);
                assert.deepStrictEqual(r.propertyDependencies.bucket, [bucket.urn], `${r.name} depends on ${bucket.name}`);
            }
            assert.strictEqual(run.resources.filter((r) => r.type.startsWith("aws:s3/") && r.type !== "aws:s3/bucket:Bucket").length, 13);
        });

        it("blocks all public access and disables ACLs on both buckets", () => {
            for (const b of ["assets", "logs"]) {
                const pab = setting("bucketPublicAccessBlock:BucketPublicAccessBlock", `storage-${b}-public-access-block`);
                const { bucket: _bucket, ...flags } = pab.wireInputs;
                assert.deepStrictEqual(flags, { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
                assert.deepStrictEqual(setting("bucketOwnershipControls:BucketOwnershipControls", `storage-${b}-ownership`).wireInputs.rule, { objectOwnership: "BucketOwnerEnforced" });
            }
        });

        it("encrypts assets with the storage key and a bucket key, and logs with SSE-S3", () => {
            assert.deepStrictEqual(setting("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "storage-assets-encryption").wireInputs.rules, [
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN }, bucketKeyEnabled: true },
            ]);
            assert.deepStrictEqual(setting("bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "storage-logs-encryption").wireInputs.rules, [
                { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
            ]);
        });

        it("enables versioning on both buckets", () => {
            for (const b of ["assets", "logs"]) {
                assert.deepStrictEqual(setting("bucketVersioning:BucketVersioning", `storage-${b}-versioning`).wireInputs.versioningConfiguration, { status: "Enabled" });
            }
        });

        it(`applies the ${stack} lifecycle: noncurrent versions, stale uploads, log expiry on the log bucket, delete-marker cleanup on assets`, () => {
            const e = EXPECTED_LIFECYCLE[stack];
            const housekeeping = {
                id: "noncurrent-versions-and-incomplete-uploads",
                status: "Enabled",
                filter: {},
                noncurrentVersionTransitions: [{ noncurrentDays: e.transition, storageClass: "STANDARD_IA" }],
                noncurrentVersionExpiration: { noncurrentDays: e.expiration },
                abortIncompleteMultipartUpload: { daysAfterInitiation: e.abort },
            };
            const lifecycle = (b: string) => setting("bucketLifecycleConfiguration:BucketLifecycleConfiguration", `storage-${b}-lifecycle`);
            // Expiring current objects (the log bucket) makes S3 remove lone delete markers itself; assets need the rule.
            assert.deepStrictEqual(lifecycle("assets").wireInputs.rules, [
                housekeeping,
                { id: "expired-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } },
            ]);
            assert.deepStrictEqual(lifecycle("logs").wireInputs.rules, [housekeeping, { id: "expire-logs", status: "Enabled", filter: {}, expiration: { days: e.logRetention } }]);
            // Noncurrent-version rules are applied after versioning is on.
            assert.ok(lifecycle("assets").dependencies.includes(setting("bucketVersioning:BucketVersioning", "storage-assets-versioning").urn));
        });

        it("denies plain HTTP on each bucket and its objects; only S3 logging may write to the log bucket", () => {
            const policy = (b: string) => JSON.parse(setting("bucketPolicy:BucketPolicy", `storage-${b}-policy`).wireInputs.policy);
            const tlsDeny = (name: string) => ({
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            });
            assert.deepStrictEqual(policy("assets"), { Version: "2012-10-17", Statement: [tlsDeny(assetsName)] });
            assert.deepStrictEqual(policy("logs"), {
                Version: "2012-10-17",
                Statement: [
                    tlsDeny(logsName),
                    {
                        Sid: "AllowS3ServerAccessLogDelivery",
                        Effect: "Allow",
                        Principal: { Service: "logging.s3.amazonaws.com" },
                        Action: "s3:PutObject",
                        Resource: `arn:aws:s3:::${logsName}/s3-access/assets/*`,
                        Condition: { ArnLike: { "aws:SourceArn": `arn:aws:s3:::${assetsName}` }, StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
                    },
                ],
            });
            // S3 rejects a policy change racing the public access block change on the same bucket.
            for (const b of ["assets", "logs"]) {
                const pab = setting("bucketPublicAccessBlock:BucketPublicAccessBlock", `storage-${b}-public-access-block`);
                assert.ok(setting("bucketPolicy:BucketPolicy", `storage-${b}-policy`).dependencies.includes(pab.urn), b);
            }
        });

        it("logs assets requests into the log bucket under a prefix, and the log bucket nowhere", () => {
            const logging = run.ofType("aws:s3/bucketLogging:BucketLogging");
            assert.deepStrictEqual(logging.map((l) => l.name), ["storage-assets-access-logging"]);
            assert.deepStrictEqual(logging[0].wireInputs, { bucket: assetsName, targetBucket: logsName, targetPrefix: ASSETS_ACCESS_LOG_PREFIX });
            assert.deepStrictEqual(logging[0].propertyDependencies.bucket, [assets().urn]);
            assert.deepStrictEqual(logging[0].propertyDependencies.targetBucket, [logs().urn]);
            // Delivery only starts once the log bucket's policy lets the logging service in.
            assert.ok(logging[0].dependencies.includes(setting("bucketPolicy:BucketPolicy", "storage-logs-policy").urn));
        });

        it(`${prod ? "protects and retains" : "neither protects nor retains"} the buckets, and ${prod ? "retains" : "does not retain"} their settings`, () => {
            for (const b of [assets(), logs()]) assert.deepStrictEqual([b.name, b.protect, b.retainOnDelete], [b.name, prod, prod]);
            for (const [r] of settingsOf()) assert.deepStrictEqual([r.name, r.protect, r.retainOnDelete], [r.name, false, prod]);
        });

        it("parents every resource on the component", () => {
            const root = run.one("baseline:storage:Buckets", "storage");
            const children = run.resources.filter((r) => r !== root);
            assert.strictEqual(children.length, 15);
            for (const r of children) assert.strictEqual(r.parent, root.urn, r.name);
        });

        it("outputs the bucket names and ARNs", async () => {
            assert.deepStrictEqual(
                await resolve(pulumi.all([component.assetsBucketName, component.assetsBucketArn, component.logBucketName, component.logBucketArn])),
                [assetsName, `arn:aws:s3:::${assetsName}`, logsName, `arn:aws:s3:::${logsName}`],
            );
        });
    });
}

describe("Buckets component on a new stack's first preview", () => {
    it("still joins every setting to its bucket by dependency while bucket ids are unknown", async () => {
        const run = await runUnderMocks(buckets, "prod", {}, { firstPreview: true });
        const s3Settings = run.resources.filter((r) => r.type.startsWith("aws:s3/") && r.type !== "aws:s3/bucket:Bucket");
        assert.strictEqual(s3Settings.length, 13);
        for (const r of s3Settings) {
            assert.strictEqual(r.wireInputs.bucket, UNKNOWN, r.name);
            const target = r.name.startsWith("storage-assets-") ? "storage-assets" : "storage-logs";
            assert.deepStrictEqual(r.propertyDependencies.bucket, [run.one("aws:s3/bucket:Bucket", target).urn], r.name);
        }
        // Built from names, not outputs, so the policy pack can read the TLS rule before the first apply.
        const policy = JSON.parse(run.one("aws:s3/bucketPolicy:BucketPolicy", "storage-assets-policy").wireInputs.policy);
        assert.deepStrictEqual(policy.Statement[0].Resource, [`arn:aws:s3:::pos-prod-assets-${MOCK_ACCOUNT_ID}`, `arn:aws:s3:::pos-prod-assets-${MOCK_ACCOUNT_ID}/*`]);
    });
});

describe("Buckets component validation", () => {
    it("fails on a bad prefix before registering anything", async () => {
        const result = await runProgram(() => {
            const c = loadConfig();
            return new Buckets("storage", { storage: c.storage, storageKmsKeyArn: KEY_ARN, protect: true, namePrefix: "POS" });
        }, { stack: "prod", config: stackConfig("prod") });
        assert.match(String(result.error), /Buckets: namePrefix "POS" is not allowed/);
        assert.deepStrictEqual(result.resources, []);
    });
});

describe("Buckets: load balancer access-log delivery", () => {
    const LOGS_ARN = "arn:aws:s3:::pos-prod-logs-111122223333";
    const elbStatement = (principal: object, logsName: string, account = MOCK_ACCOUNT_ID) => ({
        Sid: "AllowElbAccessLogDelivery",
        Effect: "Allow",
        Principal: principal,
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${logsName}/alb-access/AWSLogs/${account}/*`,
    });
    /** The component as main.ts builds it when a load balancer logs into the bucket. */
    const withElbLogs = (prefix = "alb-access") => () => {
        const c = loadConfig();
        return new Buckets("storage", { storage: c.storage, storageKmsKeyArn: KEY_ARN, protect: c.protectStatefulResources, namePrefix: `${c.app.name}-${c.environment}`, allowLoadBalancerLogs: { prefix } });
    };
    const logPolicy = (run: Run) => JSON.parse(run.one("aws:s3/bucketPolicy:BucketPolicy", "storage-logs-policy").wireInputs.policy);

    it("lets the given principal put objects under <prefix>/AWSLogs/<account>/ only", () => {
        assert.deepStrictEqual(
            allowLoadBalancerLogDelivery({ logBucketArn: LOGS_ARN, prefix: "alb-access", accountId: "111122223333", principal: { AWS: "arn:aws:iam::156460612806:root" } }),
            elbStatement({ AWS: "arn:aws:iam::156460612806:root" }, "pos-prod-logs-111122223333", "111122223333"),
        );
        assert.deepStrictEqual(
            allowLoadBalancerLogDelivery({ logBucketArn: LOGS_ARN, prefix: "alb-access", accountId: "111122223333", principal: { Service: ELB_LOG_DELIVERY_SERVICE } }).Principal,
            { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
        );
    });

    it("rejects a prefix ELB would write under an empty or reserved segment", () => {
        for (const prefix of ["", "/alb", "alb/", "alb//access", "AWSLogs"]) {
            assert.throws(() => allowLoadBalancerLogDelivery({ logBucketArn: LOGS_ARN, prefix, accountId: "1", principal: { Service: ELB_LOG_DELIVERY_SERVICE } }), {
                message: `allowLoadBalancerLogDelivery: prefix ${JSON.stringify(prefix)} is not allowed: expected lowercase letters, digits and hyphens, in segments joined by "/" with none at either end, such as alb-access.`,
            });
        }
        assert.strictEqual(isLoadBalancerLogPrefix("alb-access/pos-prod"), true);
    });

    it("knows the Regions opened before August 2022 take an ELB account, and newer ones the service", () => {
        assert.strictEqual(ELB_ACCOUNT_REGIONS.length, 26);
        for (const region of ["eu-west-1", "us-east-1", "ap-southeast-3"]) assert.ok(ELB_ACCOUNT_REGIONS.includes(region), region);
        for (const region of ["eu-central-2", "eu-south-2", "ap-south-2", "ap-southeast-4", "il-central-1", "me-central-1", "ca-west-1"]) assert.ok(!ELB_ACCOUNT_REGIONS.includes(region), region);
    });

    it("in eu-west-1 grants the Region's ELB account (aws.elb.getServiceAccount), after the TLS deny and the S3 logging grant", async () => {
        const run = await runUnderMocks(withElbLogs(), "prod");
        const logsName = `pos-prod-logs-${MOCK_ACCOUNT_ID}`;
        const statements = logPolicy(run).Statement;
        assert.deepStrictEqual(statements.map((s: { Sid: string }) => s.Sid), ["DenyInsecureTransport", "AllowS3ServerAccessLogDelivery", "AllowElbAccessLogDelivery"]);
        assert.deepStrictEqual(statements[2], elbStatement({ AWS: "arn:aws:iam::156460612806:root" }, logsName));
    });

    it("in a Region opened since August 2022 grants the log delivery service, and never asks for an ELB account", async () => {
        const calls: string[] = [];
        const run = await runUnderMocks(() => {
            const mocks = (settings.getMonitor() as any).mocks;
            const call = mocks.call.bind(mocks);
            mocks.call = (args: { token: string }) => (calls.push(args.token), call(args));
            return withElbLogs()();
        }, "prod", { "aws:region": "eu-central-2" });
        assert.deepStrictEqual(logPolicy(run).Statement[2], elbStatement({ Service: "logdelivery.elasticloadbalancing.amazonaws.com" }, `pos-prod-logs-${MOCK_ACCOUNT_ID}`));
        assert.ok(!calls.includes("aws:elb/getServiceAccount:getServiceAccount"), calls.join(", "));
    });

    it("exposes the log bucket's policy, for the load balancer to wait on", async () => {
        let component: Buckets | undefined;
        const run = await runUnderMocks(() => (component = withElbLogs()()), "prod");
        assert.strictEqual(await resolve(component!.logBucketPolicy.urn), run.one("aws:s3/bucketPolicy:BucketPolicy", "storage-logs-policy").urn);
    });

    it("fails on a bad prefix before registering anything", async () => {
        const result = await runProgram(withElbLogs("alb/"), { stack: "prod", config: stackConfig("prod") });
        assert.strictEqual(
            String(result.error),
            'Error: Buckets: allowLoadBalancerLogs.prefix "alb/" is not allowed: expected lowercase letters, digits and hyphens, in segments joined by "/" with none at either end, such as alb-access.',
        );
        assert.deepStrictEqual(result.resources, []);
    });
});

describe("Buckets: other buckets' server access logs (the audit trail's)", () => {
    const trailBucket = `pos-prod-trail-${MOCK_ACCOUNT_ID}`;
    const withSources = (sources: { sid: string; bucketName: string; prefix: string }[]) => () => {
        const c = loadConfig();
        return new Buckets("storage", { storage: c.storage, storageKmsKeyArn: KEY_ARN, protect: true, namePrefix: "pos-prod", accessLogSources: sources });
    };
    const logPolicy = (run: Run) => JSON.parse(run.one("aws:s3/bucketPolicy:BucketPolicy", "storage-logs-policy").wireInputs.policy);

    it("admits each source's logs under its own prefix, only for that bucket, after the statements the log bucket already had", async () => {
        const run = await runUnderMocks(withSources([{ sid: "AllowS3ServerAccessLogDeliveryFromTrail", bucketName: trailBucket, prefix: "s3-access/trail/" }]), "prod");
        const statements = logPolicy(run).Statement;
        assert.deepStrictEqual(statements.map((s: { Sid: string }) => s.Sid), ["DenyInsecureTransport", "AllowS3ServerAccessLogDelivery", "AllowS3ServerAccessLogDeliveryFromTrail"]);
        assert.deepStrictEqual(statements[2], {
            Sid: "AllowS3ServerAccessLogDeliveryFromTrail",
            Effect: "Allow",
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `arn:aws:s3:::pos-prod-logs-${MOCK_ACCOUNT_ID}/s3-access/trail/*`,
            Condition: { ArnLike: { "aws:SourceArn": `arn:aws:s3:::${trailBucket}` }, StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
        });
    });

    it("without sources, the log bucket's policy is as before", async () => {
        const run = await runUnderMocks(withSources([]), "prod");
        assert.deepStrictEqual(logPolicy(run).Statement.map((s: { Sid: string }) => s.Sid), ["DenyInsecureTransport", "AllowS3ServerAccessLogDelivery"]);
    });

    it("refuses a statement id or prefix that would collide with the assets bucket's, before registering anything", async () => {
        for (const [source, message] of [
            [{ sid: "AllowS3ServerAccessLogDelivery", bucketName: trailBucket, prefix: "s3-access/trail/" },
                'Error: Buckets: accessLogSources sid "AllowS3ServerAccessLogDelivery" is not allowed: expected letters and digits, other than AllowS3ServerAccessLogDelivery (the assets bucket\'s).'],
            [{ sid: "FromTrail", bucketName: trailBucket, prefix: ASSETS_ACCESS_LOG_PREFIX },
                'Error: Buckets: accessLogSources prefix "s3-access/assets/" is not allowed: expected lowercase segments ending in "/", other than the assets bucket\'s s3-access/assets/.'],
            [{ sid: "FromTrail", bucketName: trailBucket, prefix: "s3-access/trail" },
                'Error: Buckets: accessLogSources prefix "s3-access/trail" is not allowed: expected lowercase segments ending in "/", other than the assets bucket\'s s3-access/assets/.'],
        ] as const) {
            const result = await runProgram(withSources([source]), { stack: "prod", config: stackConfig("prod") });
            assert.strictEqual(String(result.error), message);
            assert.deepStrictEqual(result.resources, []);
        }
    });
});
