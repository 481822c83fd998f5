import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "../infra/config/load";
import { dataKeyPolicy, execSessionKeyPolicy, logsKeyPolicy, storageKeyPolicy } from "../infra/security/key-policies";
import { Keys, KeysArgs } from "../infra/security/keys";
import { Buckets } from "../infra/storage/buckets";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mock-outputs";
import { Run, runStack, runUnderMocks } from "./harness";
import { EXEC_KEY_DIRECT_USE, administrativeUse } from "./kms-policy-check";
import { UNKNOWN } from "./policies/helpers";
import { KEY_CTX, rootStatement } from "./key-policy-fixtures";

const ctx = KEY_CTX;
const ROOT_STATEMENT = rootStatement();
/** The distribution and the bucket the storage key's CloudFront statement names. */
const DISTRIBUTION_ARN = "arn:aws:cloudfront::111122223333:distribution/E2EXAMPLE123";
const CLOUDFRONT = { distributionArn: DISTRIBUTION_ARN, assetsBucketArn: "arn:aws:s3:::pos-prod-assets-111122223333" };
const USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:ListGrants", "kms:DescribeKey"];

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

/**
 * Statements that let every principal of the account (a "*" principal, however bounded) use a key through
 * SSM, or without any ViaService bound at all: with a "*" principal the key policy alone authorises each
 * principal of the account, so an IAM condition (kms:EncryptionContext:PARAMETER_ARN) would restrict nothing.
 */
function ssmUseByEveryone(doc: { Statement: Record<string, any>[] }): string[] {
    return doc.Statement.filter((s) => {
        const everyone = s.Principal === "*" || [s.Principal?.AWS ?? []].flat().includes("*");
        const services: string[] = [s.Condition?.StringEquals?.["kms:ViaService"] ?? []].flat();
        return s.Effect === "Allow" && everyone && (services.length === 0 || services.some((v) => v.startsWith("ssm.")));
    }).map((s) => s.Sid);
}

describe("key policies", () => {
    // RDS (also DocumentDB and Performance Insights), Secrets Manager and ElastiCache for the account: RDS-managed secrets and their rotation rely on it.
    const DATA_SERVICES = {
        Sid: "AllowDataServicesInAccount",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: USE_ACTIONS,
        Resource: "*",
        Condition: {
            StringEquals: {
                "kms:CallerAccount": "111122223333",
                "kms:ViaService": ["rds.eu-west-1.amazonaws.com", "secretsmanager.eu-west-1.amazonaws.com", "elasticache.eu-west-1.amazonaws.com"],
            },
        },
    };
    // SecureStrings: the account (IAM delegates: a principal needs its own kms: grant), through SSM only, what SSM calls only.
    const ssmStatement = (parameterArns?: string) => ({
        Sid: "AllowSsmParametersThroughIam",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::111122223333:root" },
        // Encrypt (standard tier), GenerateDataKey (advanced tier), Decrypt; no grant, no ReEncrypt, no wildcard.
        Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
        Resource: "*",
        Condition: {
            StringEquals: { "kms:CallerAccount": "111122223333", "kms:ViaService": "ssm.eu-west-1.amazonaws.com" },
            ...(parameterArns ? { StringLike: { "kms:EncryptionContext:PARAMETER_ARN": parameterArns } } : {}),
        },
    });

    it("data key: RDS, Secrets Manager and ElastiCache for the account; SSM only as IAM allows, for the stack's parameter path", () => {
        assert.deepStrictEqual(dataKeyPolicy(ctx, "/pos/prod/"), {
            Version: "2012-10-17",
            Statement: [ROOT_STATEMENT, DATA_SERVICES, ssmStatement("arn:aws:ssm:eu-west-1:111122223333:parameter/pos/prod/*")],
        });
        // Without a path: the same statement, any parameter of the account and region.
        assert.deepStrictEqual(dataKeyPolicy(ctx), { Version: "2012-10-17", Statement: [ROOT_STATEMENT, DATA_SERVICES, ssmStatement()] });
    });

    it("data key: no statement lets every principal of the account use it through SSM", () => {
        for (const doc of [dataKeyPolicy(ctx), dataKeyPolicy(ctx, "/pos/prod/")]) {
            assert.deepStrictEqual(ssmUseByEveryone(doc), []);
            // The one statement through SSM names the account, so IAM decides.
            const throughSsm = doc.Statement.filter((s) => [s.Condition?.StringEquals?.["kms:ViaService"] ?? []].flat().some((v) => v.startsWith("ssm.")));
            assert.deepStrictEqual(throughSsm.map((s) => [s.Sid, s.Principal]), [["AllowSsmParametersThroughIam", { AWS: "arn:aws:iam::111122223333:root" }]]);
        }
        // The check itself: the old policy's statement is caught, as is a "*" without a ViaService bound.
        const old = { ...DATA_SERVICES, Condition: { StringEquals: { ...DATA_SERVICES.Condition.StringEquals, "kms:ViaService": [...DATA_SERVICES.Condition.StringEquals["kms:ViaService"], "ssm.eu-west-1.amazonaws.com"] } } };
        assert.deepStrictEqual(ssmUseByEveryone({ Statement: [old] }), ["AllowDataServicesInAccount"]);
        assert.deepStrictEqual(ssmUseByEveryone({ Statement: [{ ...DATA_SERVICES, Sid: "Open", Condition: { StringEquals: { "kms:CallerAccount": "111122223333" } } }] }), ["Open"]);
        assert.deepStrictEqual(ssmUseByEveryone({ Statement: [{ ...ssmStatement(), Sid: "Star", Principal: "*" }] }), ["Star"]);
    });

    it("data key: the SSM statement is use through SSM only; the admin check still catches it without its ViaService bound", () => {
        const ssm = ssmStatement("arn:aws:ssm:eu-west-1:111122223333:parameter/pos/prod/*");
        assert.deepStrictEqual(administrativeUse({ Statement: [ssm] }, "111122223333"), []);
        const unbound = { ...ssm, Condition: { StringEquals: { "kms:CallerAccount": "111122223333" }, StringLike: ssm.Condition.StringLike } };
        const direct = ["AllowSsmParametersThroughIam: kms:Encrypt", "AllowSsmParametersThroughIam: kms:GenerateDataKey", "AllowSsmParametersThroughIam: kms:Decrypt"];
        assert.deepStrictEqual(administrativeUse({ Statement: [unbound] }, "111122223333").sort(), [...direct].sort());
        // A ViaService value that is not a service endpoint bounds nothing.
        const bogus = { ...ssm, Condition: { StringEquals: { "kms:CallerAccount": "111122223333", "kms:ViaService": "*" } } };
        assert.deepStrictEqual(administrativeUse({ Statement: [bogus] }, "111122223333").sort(), [...direct].sort());
    });

    it("data key: refuses a parameter path an IAM wildcard or a stray character could widen", () => {
        for (const bad of ["/pos/prod", "pos/prod/", "/pos/*/", "/pos/prod?/", "/", "//", "/pos prod/"]) {
            assert.throws(() => dataKeyPolicy(ctx, bad), { message: `parameterPath ${JSON.stringify(bad)} is not a Parameter Store path: expected "/<segment>/.../" of letters, digits, "_", "." or "-".` });
        }
        assert.doesNotThrow(() => dataKeyPolicy(ctx, "/my-app_1.x/staging/"));
    });

    it("logs key: the regional CloudWatch Logs principal, limited to this account's log groups", () => {
        assert.deepStrictEqual(logsKeyPolicy(ctx), {
            Version: "2012-10-17",
            Statement: [
                ROOT_STATEMENT,
                {
                    Sid: "AllowCloudWatchLogsForAccountLogGroups",
                    Effect: "Allow",
                    Principal: { Service: "logs.eu-west-1.amazonaws.com" },
                    // The actions CloudWatch Logs documents for encrypting log groups with a customer key.
                    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    Resource: "*",
                    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:111122223333:log-group:*" } },
                },
            ],
        });
    });

    it("storage key: S3 and ECR (its repository grants), and CloudFront only when asked, for one distribution and the assets bucket", () => {
        const s3 = {
            Sid: "AllowS3AndEcrInAccount",
            Effect: "Allow",
            Principal: { AWS: "*" },
            // ECR calls DescribeKey and CreateGrant through its endpoint when a repository is created.
            Action: USE_ACTIONS,
            Resource: "*",
            Condition: { StringEquals: { "kms:CallerAccount": "111122223333", "kms:ViaService": ["s3.eu-west-1.amazonaws.com", "ecr.eu-west-1.amazonaws.com"] } },
        };
        assert.deepStrictEqual(storageKeyPolicy(ctx), { Version: "2012-10-17", Statement: [ROOT_STATEMENT, s3] });
        const withCloudFront = storageKeyPolicy(ctx, CLOUDFRONT);
        assert.deepStrictEqual(withCloudFront.Statement.slice(0, 2), [ROOT_STATEMENT, s3]);
        assert.deepStrictEqual(withCloudFront.Statement.slice(2), [{
            Sid: "AllowCloudFrontDistributionDecryptOfAssets",
            Effect: "Allow",
            Principal: { Service: "cloudfront.amazonaws.com" },
            // Read only: AWS's OAC statement adds kms:Encrypt and kms:GenerateDataKey* for uploads through CloudFront.
            Action: "kms:Decrypt",
            Resource: "*",
            Condition: {
                // This distribution, exactly: not another of the account, not any of another account.
                StringEquals: { "AWS:SourceArn": DISTRIBUTION_ARN },
                // The assets bucket (its bucket key's context), or one of its objects: no other bucket's data.
                StringLike: { "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::pos-prod-assets-111122223333", "arn:aws:s3:::pos-prod-assets-111122223333/*"] },
            },
        }]);
    });

    it("exec session key: the account's IAM principals, for exactly Decrypt and GenerateDataKey, as their IAM policies allow", () => {
        assert.deepStrictEqual(execSessionKeyPolicy(ctx), {
            Version: "2012-10-17",
            Statement: [
                ROOT_STATEMENT,
                {
                    Sid: "AllowDirectEcsExecSessionUseThroughIam",
                    Effect: "Allow",
                    // The account, not "*": a principal needs its own IAM grant on the key (task roles: Decrypt; operators: GenerateDataKey).
                    Principal: { AWS: "arn:aws:iam::111122223333:root" },
                    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                    Resource: "*",
                    Condition: { StringEquals: { "kms:CallerAccount": "111122223333" } },
                },
            ],
        });
    });

    it("follows the partition and its DNS suffix", () => {
        const cn = { accountId: "111122223333", partition: "aws-cn", region: "cn-north-1", dnsSuffix: "amazonaws.com.cn" };
        assert.deepStrictEqual(logsKeyPolicy(cn).Statement[1].Principal, { Service: "logs.cn-north-1.amazonaws.com.cn" });
        assert.deepStrictEqual(dataKeyPolicy(cn).Statement[0].Principal, { AWS: "arn:aws-cn:iam::111122223333:root" });
        assert.deepStrictEqual(dataKeyPolicy(cn, "/pos/prod/").Statement[2].Condition, {
            StringEquals: { "kms:CallerAccount": "111122223333", "kms:ViaService": "ssm.cn-north-1.amazonaws.com.cn" },
            StringLike: { "kms:EncryptionContext:PARAMETER_ARN": "arn:aws-cn:ssm:cn-north-1:111122223333:parameter/pos/prod/*" },
        });
        assert.deepStrictEqual(storageKeyPolicy(cn).Statement[1].Condition?.StringEquals["kms:ViaService"], ["s3.cn-north-1.amazonaws.com.cn", "ecr.cn-north-1.amazonaws.com.cn"]);
        assert.deepStrictEqual(execSessionKeyPolicy(cn).Statement.map((s) => s.Principal), [{ AWS: "arn:aws-cn:iam::111122223333:root" }, { AWS: "arn:aws-cn:iam::111122223333:root" }]);
    });

    it("never lets the account root use a key directly, and bounds every * principal to this account and named services", () => {
        for (const doc of [dataKeyPolicy(ctx), logsKeyPolicy(ctx), storageKeyPolicy(ctx, CLOUDFRONT)]) {
            // Wildcards expanded against every KMS action (tests/key-admin.test.ts has the full matrix).
            assert.deepStrictEqual(administrativeUse(doc, "111122223333"), []);
            for (const s of doc.Statement) {
                if (Object.values(s.Principal).includes("*")) {
                    assert.strictEqual(s.Condition?.StringEquals?.["kms:CallerAccount"], "111122223333", `${s.Sid} must be bounded to the account`);
                    assert.ok(s.Condition?.StringEquals?.["kms:ViaService"], `${s.Sid} must be bounded to named services`);
                }
            }
        }
    });

    it("exec session key: the documented direct use is all the account's IAM principals get, and its administration holds none", () => {
        const doc = execSessionKeyPolicy(ctx);
        assert.deepStrictEqual(administrativeUse(doc, "111122223333"), EXEC_KEY_DIRECT_USE);
        assert.deepStrictEqual(administrativeUse({ Statement: doc.Statement.filter((s) => s.Sid === "EnableKeyAdministrationByIam") }, "111122223333"), []);
        assert.ok(doc.Statement.every((s) => JSON.stringify(s.Principal) !== JSON.stringify({ AWS: "*" })), "no statement of the exec key may name every principal");
    });

});

describe("Keys component", () => {
    const build = (overrides: Partial<KeysArgs> = {}) => () => {
        const c = loadConfig();
        const keys = new Keys("keys", {
            kms: c.kms, namePrefix: `${c.app.name}-${c.environment}`, protect: c.protectStatefulResources, parameterPath: `/${c.app.name}/${c.environment}/`, ...overrides,
        });
        return { keys, arns: { data: keys.dataKeyArn, logs: keys.logsKeyArn, storage: keys.storageKeyArn } };
    };
    const mockCtx = { accountId: MOCK_ACCOUNT_ID, partition: "aws", region: "eu-west-1", dnsSuffix: "amazonaws.com" };

    for (const [stack, protect] of [["prod", true], ["staging", false]] as const) {
        for (const execSessions of [false, true]) {
            describe(`${stack}, ECS Exec session key ${execSessions ? "asked for" : "not asked for"}`, () => {
                let run: Run;
                before(async () => {
                    run = await runUnderMocks(build({ execSessions }), stack);
                });

                it(`creates ${execSessions ? "four" : "three"} rotating keys with a 30-day deletion window and the policy of their purpose, ${protect ? "protected" : "not protected"} and retained on delete`, () => {
                    const keys = run.ofType("aws:kms/key:Key").sort((a, b) => a.name.localeCompare(b.name));
                    assert.deepStrictEqual(
                        keys.map((k) => [k.name, run.parentName(k), k.protect, k.retainOnDelete, { ...k.inputs, policy: JSON.parse(k.inputs.policy) }]),
                        ([
                            ["keys-data", "databases, cache and secrets", dataKeyPolicy(mockCtx, `/pos/${stack}/`)],
                            ...(execSessions ? [["keys-exec", "ECS Exec sessions", execSessionKeyPolicy(mockCtx)] as const] : []),
                            ["keys-logs", "CloudWatch Logs", logsKeyPolicy(mockCtx)],
                            ["keys-storage", "S3 objects and ECR images", storageKeyPolicy(mockCtx)],
                        ] as const).map(([name, purpose, policy]) => [
                            // Retained in staging too: its final snapshots outlive a destroy, and need their key.
                            name, "keys", protect, true,
                            { description: `pos-${stack} ${purpose}`, enableKeyRotation: true, deletionWindowInDays: 30, policy },
                        ]),
                    );
                });

                it(`data key: SecureStrings only through SSM, only under /pos/${stack}/, only as IAM allows; no "*" use through SSM`, () => {
                    const doc = JSON.parse(run.one("aws:kms/key:Key", "keys-data").inputs.policy);
                    assert.deepStrictEqual(doc.Statement[2], {
                        Sid: "AllowSsmParametersThroughIam",
                        Effect: "Allow",
                        Principal: { AWS: `arn:aws:iam::${MOCK_ACCOUNT_ID}:root` },
                        Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
                        Resource: "*",
                        Condition: {
                            StringEquals: { "kms:CallerAccount": MOCK_ACCOUNT_ID, "kms:ViaService": "ssm.eu-west-1.amazonaws.com" },
                            StringLike: { "kms:EncryptionContext:PARAMETER_ARN": `arn:aws:ssm:eu-west-1:${MOCK_ACCOUNT_ID}:parameter/pos/${stack}/*` },
                        },
                    });
                    assert.deepStrictEqual(ssmUseByEveryone(doc), []);
                });

                it("names an alias for each key after the stack, deleted on destroy so a re-created stack can take it", () => {
                    const aliases = run.ofType("aws:kms/alias:Alias").map((a) => [a.name, a.inputs.name, a.inputs.targetKeyId, run.parentName(a), a.protect, a.retainOnDelete]);
                    assert.deepStrictEqual(aliases.sort(), [
                        ["keys-data-alias", `alias/pos-${stack}-data`, "keys-data-key-id", "keys", false, false],
                        ...(execSessions ? [["keys-exec-alias", `alias/pos-${stack}-exec`, "keys-exec-key-id", "keys", false, false]] : []),
                        ["keys-logs-alias", `alias/pos-${stack}-logs`, "keys-logs-key-id", "keys", false, false],
                        ["keys-storage-alias", `alias/pos-${stack}-storage`, "keys-storage-key-id", "keys", false, false],
                    ]);
                });

                it("registers the component under its type token", () => {
                    assert.strictEqual(run.one("baseline:security:Keys").name, "keys");
                });
            });
        }
    }

    it("creates no exec session key unless asked: no key, no alias, no ARN", async () => {
        let keys: Keys | undefined;
        const run = await runUnderMocks(() => {
            keys = build()().keys;
        }, "prod");
        assert.deepStrictEqual(run.ofType("aws:kms/key:Key").map((k) => k.name).sort(), ["keys-data", "keys-logs", "keys-storage"]);
        assert.deepStrictEqual(run.ofType("aws:kms/alias:Alias").map((a) => a.inputs.name).sort(), ["alias/pos-prod-data", "alias/pos-prod-logs", "alias/pos-prod-storage"]);
        assert.strictEqual(keys!.execKeyArn, undefined);
    });

    it("outputs each key's ARN", async () => {
        let arns: Record<string, pulumi.Output<string>> = {};
        await runUnderMocks(() => {
            const { keys, arns: three } = build({ execSessions: true })();
            arns = { ...three, exec: keys.execKeyArn! };
        }, "prod");
        assert.deepStrictEqual(
            { data: await value(arns.data), logs: await value(arns.logs), storage: await value(arns.storage), exec: await value(arns.exec) },
            {
                data: `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/keys-data-key-id`,
                logs: `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/keys-logs-key-id`,
                storage: `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/keys-storage-key-id`,
                exec: `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/keys-exec-key-id`,
            },
        );
    });

    it("adds the CloudFront statement to the storage key only when given a distribution, naming it and the assets bucket Buckets creates", async () => {
        const distributionArn = `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:distribution/E2EXAMPLE123`;
        let assetsArn: pulumi.Output<string> | undefined;
        const run = await runUnderMocks(() => {
            build({ cloudFrontDistributionArn: distributionArn })();
            const c = loadConfig();
            // The bucket the statement must name is the one the storage component builds from the same prefix.
            assetsArn = new Buckets("storage", { storage: c.storage, storageKmsKeyArn: "k", protect: c.protectStatefulResources, namePrefix: `${c.app.name}-${c.environment}` }).assetsBucketArn;
        }, "prod");
        const policy = (name: string) => JSON.parse(run.one("aws:kms/key:Key", name).inputs.policy);
        const bucket = await value(assetsArn!);
        assert.deepStrictEqual(policy("keys-storage"), storageKeyPolicy(mockCtx, { distributionArn, assetsBucketArn: bucket }));
        assert.deepStrictEqual(policy("keys-storage").Statement.map((s: { Sid: string }) => s.Sid), ["EnableKeyAdministrationByIam", "AllowS3AndEcrInAccount", "AllowCloudFrontDistributionDecryptOfAssets"]);
        assert.deepStrictEqual(policy("keys-storage").Statement[2].Condition.StringLike["kms:EncryptionContext:aws:s3:arn"], [bucket, `${bucket}/*`]);
        // The other keys are untouched, and no key or alias is renamed.
        assert.deepStrictEqual(policy("keys-data"), dataKeyPolicy(mockCtx, "/pos/prod/"));
        assert.deepStrictEqual(policy("keys-logs"), logsKeyPolicy(mockCtx));
        assert.deepStrictEqual(run.ofType("aws:kms/key:Key").map((k) => [k.name, k.retainOnDelete]).sort(), [["keys-data", true], ["keys-logs", true], ["keys-storage", true]]);
    });

    it("on the distribution's first preview, only the storage key's policy waits for its ARN", async () => {
        const run = await runUnderMocks(() => {
            // Any resource's output is unknown on a first preview: the distribution's ARN is one.
            const topic = new aws.sns.Topic("stand-in-for-the-distribution");
            build({ cloudFrontDistributionArn: topic.arn })();
        }, "prod", {}, { firstPreview: true });
        const key = (name: string) => run.one("aws:kms/key:Key", name);
        assert.strictEqual(key("keys-storage").wireInputs.policy, UNKNOWN);
        assert.deepStrictEqual(JSON.parse(key("keys-data").wireInputs.policy), dataKeyPolicy(mockCtx, "/pos/prod/"));
        assert.deepStrictEqual(key("keys-storage").propertyDependencies.policy, [run.one("aws:sns/topic:Topic").urn]);
    });

    it("rejects a deletion window outside 7..30 days before registering anything", async () => {
        const run = await runUnderMocks(() => {
            assert.throws(() => build({ kms: { deletionWindowDays: 5 } })(), {
                message: "Keys keys: kms.deletionWindowDays is 5, expected a whole number of days from 7 to 30.",
            });
        }, "prod");
        assert.deepStrictEqual(run.resources, []);
    });

    it("without a parameter path, the data key's SSM statement admits any parameter, still only through SSM and as IAM allows", async () => {
        const run = await runUnderMocks(build({ parameterPath: undefined }), "staging");
        const doc = JSON.parse(run.one("aws:kms/key:Key", "keys-data").inputs.policy);
        assert.deepStrictEqual(doc, dataKeyPolicy(mockCtx));
        assert.deepStrictEqual(doc.Statement[2].Condition, { StringEquals: { "kms:CallerAccount": MOCK_ACCOUNT_ID, "kms:ViaService": "ssm.eu-west-1.amazonaws.com" } });
    });

    it("rejects a parameter path that is not a plain Parameter Store path before registering anything", async () => {
        const run = await runUnderMocks(() => {
            assert.throws(() => build({ parameterPath: "/pos/*/" })(), {
                message: 'Keys keys: parameterPath "/pos/*/" is not a Parameter Store path: expected "/<segment>/.../" of letters, digits, "_", "." or "-" (no wildcard).',
            });
            assert.throws(() => build({ parameterPath: "/pos/prod" })(), /parameterPath "\/pos\/prod" is not a Parameter Store path/);
        }, "prod");
        assert.deepStrictEqual(run.resources, []);
    });

    it("rejects a name prefix that cannot form an alias", async () => {
        const run = await runUnderMocks(() => {
            assert.throws(() => build({ namePrefix: "aws/prod" })(), {
                message: 'Keys keys: namePrefix "aws/prod" cannot start a KMS alias: use letters, digits, "/", "_" or "-", not starting with "aws/".',
            });
            assert.throws(() => build({ namePrefix: "pos prod" })(), /namePrefix "pos prod" cannot start a KMS alias/);
        }, "prod");
        assert.deepStrictEqual(run.resources, []);
    });
});

describe("data key in the whole program", () => {
    for (const stack of ["prod", "staging"]) {
        it(`${stack}: the data key's policy is the component's, scoped to /pos/${stack}/, with no "*" use through SSM`, async () => {
            const run = await runStack(stack);
            const doc = JSON.parse(run.one("aws:kms/key:Key", "keys-data").inputs.policy);
            const mockCtx = { accountId: MOCK_ACCOUNT_ID, partition: "aws", region: "eu-west-1", dnsSuffix: "amazonaws.com" };
            assert.strictEqual(doc.Statement[2].Condition.StringLike["kms:EncryptionContext:PARAMETER_ARN"], `arn:aws:ssm:eu-west-1:${MOCK_ACCOUNT_ID}:parameter/pos/${stack}/*`);
            assert.deepStrictEqual(doc, dataKeyPolicy(mockCtx, `/pos/${stack}/`));
            assert.deepStrictEqual(ssmUseByEveryone(doc), []);
            // The SecureStrings the program creates are under that path, so the statement covers them.
            for (const p of run.ofType("aws:ssm/parameter:Parameter").filter((r) => r.inputs.type === "SecureString")) {
                assert.ok(String(p.inputs.name).startsWith(`/pos/${stack}/`), p.inputs.name);
            }
        });
    }
});
