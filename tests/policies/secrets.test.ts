import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { scheduleIntervalDays, secretsKmsKey, secretsRotation, ssmSecureString } from "../../policies/security/secrets";
import { UNKNOWN, UNKNOWN_NUMBER, messages, res, run } from "./helpers";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

/** A secret and the rotation that targets it through `secretId: secret.id` (unknown in preview). */
function rotated(rules: Record<string, unknown>, secretProps: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    const secret = res(aws.secretsmanager.Secret, { kmsKeyId: KEY_ARN, ...secretProps }, { name: "db" });
    const rotation = res(aws.secretsmanager.SecretRotation, { secretId: UNKNOWN, rotationRules: rules, ...extra }, {
        name: "db-rotation", propertyDependencies: { secretId: [secret.urn] },
    });
    return [secret, rotation];
}

const NO_ROTATION = "Secrets Manager secret must rotate automatically: no aws.secretsmanager.SecretRotation targets it, expected one every 90 days or fewer (or the tag rotation: manual when it cannot rotate).";

describe("policies: secrets", () => {
    describe("secrets-kms-key", () => {
        it("passes a customer key, and an unknown key ARN as set", async () => {
            assert.deepStrictEqual(await run(secretsKmsKey, res(aws.secretsmanager.Secret, { kmsKeyId: KEY_ARN })), []);
            assert.deepStrictEqual(await run(secretsKmsKey, res(aws.secretsmanager.Secret, { kmsKeyId: UNKNOWN })), []);
        });
        it("rejects a secret without a key, as advisory", async () => {
            const diags = await run(secretsKmsKey, res(aws.secretsmanager.Secret, {}));
            assert.deepStrictEqual(messages(diags), [
                "Secrets Manager secret must be encrypted with a customer-managed KMS key: kmsKeyId is unset, so AWS uses aws/secretsmanager, expected a customer key.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("rejects the AWS-managed key named explicitly", async () => {
            assert.deepStrictEqual(messages(await run(secretsKmsKey, res(aws.secretsmanager.Secret, { kmsKeyId: "alias/aws/secretsmanager" }))), [
                'Secrets Manager secret must be encrypted with a customer-managed KMS key: kmsKeyId is "alias/aws/secretsmanager", the AWS-managed key, expected a customer key.',
            ]);
        });
    });

    describe("secrets-rotation", () => {
        it("passes a secret rotated every 30 days, joined by property dependency", async () => {
            assert.deepStrictEqual(await run(secretsRotation, rotated({ automaticallyAfterDays: 30 })), []);
        });
        it("joins a rotation to its secret by a known ARN", async () => {
            const secret = res(aws.secretsmanager.Secret, { name: "shop/db" }, { name: "db" });
            const rotation = res(aws.secretsmanager.SecretRotation, {
                secretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-a1B2c3", rotationRules: { automaticallyAfterDays: 30 },
            });
            assert.deepStrictEqual(await run(secretsRotation, [secret, rotation]), []);
            const byName = res(aws.secretsmanager.SecretRotation, { secretId: "shop/db", rotationRules: { automaticallyAfterDays: 30 } });
            assert.deepStrictEqual(await run(secretsRotation, [secret, byName]), []);
        });
        it("does not join a known ARN to a secret whose name is not given", async () => {
            const unnamed = res(aws.secretsmanager.Secret, { namePrefix: "shop/db" }, { name: "db" });
            const rotation = res(aws.secretsmanager.SecretRotation, {
                secretId: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/db-a1B2c3", rotationRules: { automaticallyAfterDays: 30 },
            });
            assert.deepStrictEqual(messages(await run(secretsRotation, [unnamed, rotation])), [NO_ROTATION]);
        });
        it("rejects a secret no rotation targets, on the secret", async () => {
            const secret = res(aws.secretsmanager.Secret, { name: "shop/db" }, { name: "db" });
            const other = res(aws.secretsmanager.SecretRotation, { secretId: "shop/other", rotationRules: { automaticallyAfterDays: 30 } });
            const diags = await run(secretsRotation, [secret, other]);
            assert.deepStrictEqual(messages(diags), [NO_ROTATION]);
            assert.strictEqual(diags[0].urn, secret.urn);
        });
        it("rejects rotation slower than the limit, and honours a configured limit", async () => {
            assert.deepStrictEqual(messages(await run(secretsRotation, rotated({ automaticallyAfterDays: 180 }))), [
                "Secrets Manager secret must rotate at least every 90 days: rotationRules.automaticallyAfterDays is 180, expected 90 or fewer.",
            ]);
            assert.deepStrictEqual(await run(secretsRotation, rotated({ automaticallyAfterDays: 180 }), { maximumRotationDays: 180 }), []);
        });
        it("rejects a disabled rotation", async () => {
            assert.deepStrictEqual(messages(await run(secretsRotation, rotated({ automaticallyAfterDays: 30 }, {}, { rotationEnabled: false }))), [
                "Secrets Manager secret must rotate automatically: its SecretRotation has rotationEnabled false, expected true or unset.",
            ]);
        });
        it("reads schedule expressions", async () => {
            assert.deepStrictEqual(await run(secretsRotation, rotated({ scheduleExpression: "rate(30 days)" })), []);
            assert.deepStrictEqual(messages(await run(secretsRotation, rotated({ scheduleExpression: "rate(120 days)" }))), [
                'Secrets Manager secret must rotate at least every 90 days: rotationRules.scheduleExpression "rate(120 days)" runs up to 120 days apart, expected 90 or fewer.',
            ]);
            assert.deepStrictEqual(messages(await run(secretsRotation, rotated({ scheduleExpression: "cron(0 4 1 1 ? *)" }))), [
                'Secrets Manager secret must rotate at least every 90 days: rotationRules.scheduleExpression "cron(0 4 1 1 ? *)" has no interval this check can bound, expected rate(N days) or automaticallyAfterDays.',
            ]);
        });
        it("says so instead of passing when the interval is unknown during preview", async () => {
            const diags = await run(secretsRotation, rotated({ automaticallyAfterDays: UNKNOWN_NUMBER }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that rotation runs at least every 90 days: rotationRules\.automaticallyAfterDays is \(unknown until apply\)/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.strictEqual(diags[0].urn, rotated({})[1].urn);
        });
        it("lets a secret that cannot rotate opt out with the tag rotation: manual, and only that value", async () => {
            assert.deepStrictEqual(await run(secretsRotation, res(aws.secretsmanager.Secret, { tags: { rotation: "manual" } })), []);
            assert.deepStrictEqual(messages(await run(secretsRotation, res(aws.secretsmanager.Secret, { tags: { rotation: "later" } }))), [NO_ROTATION]);
            assert.deepStrictEqual(await run(secretsRotation, res(aws.secretsmanager.Secret, { tags: { Rotation: "manual" } }), { manualRotationTag: "Rotation" }), []);
        });
        it("reports an exempted secret as advisory with its reason", async () => {
            const diags = await run(secretsRotation, res(aws.secretsmanager.Secret, {}, { name: "vendor-key" }), {
                exemptions: [{ resource: "vendor-key", reason: "issued by the payment provider" }],
            });
            assert.deepStrictEqual(messages(diags), [`Exempted (issued by the payment provider): ${NO_ROTATION}`]);
        });
    });

    describe("scheduleIntervalDays", () => {
        it("bounds rate and monthly, weekly and daily cron expressions", () => {
            assert.strictEqual(scheduleIntervalDays("rate(10 days)"), 10);
            assert.strictEqual(scheduleIntervalDays("rate(12 hours)"), 0.5);
            assert.strictEqual(scheduleIntervalDays("cron(0 16 1,15 * ? *)"), 31);
            assert.strictEqual(scheduleIntervalDays("cron(0 8 ? * MON *)"), 7);
            assert.strictEqual(scheduleIntervalDays("cron(0 8 ? * MON#1 *)"), 35);
            assert.strictEqual(scheduleIntervalDays("cron(0 8 * * ? *)"), 1);
            assert.strictEqual(scheduleIntervalDays("cron(0 8 ? * * *)"), 1);
        });
        it("gives up on schedules it cannot bound simply", () => {
            assert.strictEqual(scheduleIntervalDays("cron(0 8 31 * ? *)"), undefined); // skips short months
            assert.strictEqual(scheduleIntervalDays("cron(0 8 1 JAN,JUL ? *)"), undefined);
            assert.strictEqual(scheduleIntervalDays("every month"), undefined);
        });
    });

    describe("ssm-secure-string", () => {
        it("passes a secret-looking SecureString and a plain non-secret parameter", async () => {
            assert.deepStrictEqual(await run(ssmSecureString, res(aws.ssm.Parameter, { name: "/shop/db/password", type: "SecureString" })), []);
            assert.deepStrictEqual(await run(ssmSecureString, res(aws.ssm.Parameter, { name: "/shop/feature-flags", type: "String" })), []);
        });
        it("rejects a secret-looking String, as mandatory", async () => {
            const diags = await run(ssmSecureString, res(aws.ssm.Parameter, { name: "/shop/stripe/API_KEY", type: "String" }));
            assert.deepStrictEqual(messages(diags), [
                'SSM parameter must be a SecureString when its name looks secret: "/shop/stripe/API_KEY" matches "api[-_.]?key" and type is "String", expected "SecureString".',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("knows each default secret-looking name", async () => {
            const cases: [string, string][] = [
                ["/shop/db/password", "passw(or)?d"], ["/shop/oauth/client-secret", "secret"], ["/shop/github/token", "token"], ["/shop/maps/api-key", "api[-_.]?key"],
                ["/shop/ssh/private-key", "private[-_.]?key"], ["/shop/aws/access_key_id", "access[-_.]?key"], ["/shop/jwt/signing.key", "signing[-_.]?key"],
                ["/shop/gcp/credentials", "credential"], ["/shop/db/connection-string", "conn(ection)?[-_.]?str(ing)?"], ["/shop/sentry/dsn", "dsn"],
            ];
            const diags = await run(ssmSecureString, cases.map(([name], i) => res(aws.ssm.Parameter, { name, type: "String" }, { name: `p${i}` })));
            assert.deepStrictEqual(messages(diags), cases.map(([name, pattern]) =>
                `SSM parameter must be a SecureString when its name looks secret: "${name}" matches "${pattern}" and type is "String", expected "SecureString".`));
        });
        it("checks the logical name when the provider names the parameter", async () => {
            assert.deepStrictEqual(messages(await run(ssmSecureString, res(aws.ssm.Parameter, { type: "StringList" }, { name: "db-token" }))), [
                'SSM parameter must be a SecureString when its name looks secret: "db-token" matches "token" and type is "StringList", expected "SecureString".',
            ]);
        });
        it("says so instead of passing when the name or type is unknown during preview", async () => {
            const byName = await run(ssmSecureString, res(aws.ssm.Parameter, { name: UNKNOWN, type: "String" }));
            assert.strictEqual(byName.length, 1);
            assert.match(byName[0].message, /^Cannot verify during preview that a parameter with a secret-looking name is a SecureString: name is \(unknown until apply\)/);
            const byType = await run(ssmSecureString, res(aws.ssm.Parameter, { name: "/shop/db/password", type: UNKNOWN }));
            assert.match(byType[0].message, /^Cannot verify during preview that a parameter with a secret-looking name is a SecureString: type is \(unknown until apply\)/);
            assert.strictEqual(byType[0].enforcementLevel, "advisory");
        });
        it("uses configured patterns instead of the defaults", async () => {
            const param = res(aws.ssm.Parameter, { name: "/shop/pin", type: "String" });
            assert.deepStrictEqual(await run(ssmSecureString, param), []);
            assert.strictEqual((await run(ssmSecureString, param, { secretNamePatterns: ["pin$"] })).length, 1);
        });
    });
});
