import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { minimumMembers, requireOneOf, requireWholeNumber } from "../infra/data/checks";
import { docdbFamily, postgresFamily, redisFamily } from "../infra/data/engine-families";
import { docdbLogGroupName, elasticacheLogGroupName, rdsLogGroupName } from "../infra/data/log-groups";
import { masterUserSecretArn } from "../infra/data/master-secret";
import { dataIdentifier, finalSnapshotName } from "../infra/data/naming";
import { transitEncryptionMode } from "../infra/data/redis-settings";
import { valueOf } from "./data-fixtures";
import { runUnderMocks } from "./harness";

describe("data tier helpers", () => {
    describe("parameter group families", () => {
        it("maps each PostgreSQL major to its family", () => {
            assert.deepStrictEqual(["15", "16", "17"].map(postgresFamily), ["postgres15", "postgres16", "postgres17"]);
        });
        it("rejects a PostgreSQL version that is not a supported major", () => {
            assert.throws(() => postgresFamily("15.4"), {
                message: 'PostgreSQL engineVersion "15.4" has no known parameter group family: expected one of 15, 16, 17.',
            });
        });
        it("maps Redis 6.x to redis6.x and 7.x to redis7", () => {
            assert.deepStrictEqual(["6.2", "7.0", "7.1"].map(redisFamily), ["redis6.x", "redis7", "redis7"]);
        });
        it("rejects a Redis version without a family", () => {
            assert.throws(() => redisFamily("5.0.6"), {
                message: 'Redis engineVersion "5.0.6" has no known parameter group family: expected 6.x or 7.x, such as 7.1.',
            });
        });
        it("maps DocumentDB versions to docdb<major>.<minor>", () => {
            assert.deepStrictEqual(["4.0.0", "5.0.0"].map(docdbFamily), ["docdb4.0", "docdb5.0"]);
        });
        it("rejects a DocumentDB version without a family", () => {
            assert.throws(() => docdbFamily("3.6.0"), {
                message: 'DocumentDB engineVersion "3.6.0" has no known parameter group family: expected 4.0.0 or 5.0.0.',
            });
        });
    });

    describe("transitEncryptionMode", () => {
        it("requires TLS explicitly on Redis 7, and leaves the setting out on 6.x, which rejects it", () => {
            assert.deepStrictEqual(["6.2", "7.0", "7.1"].map(transitEncryptionMode), [undefined, "required", "required"]);
        });
    });

    describe("dataIdentifier", () => {
        it("joins prefix and suffix", () => {
            assert.strictEqual(dataIdentifier("Redis cache", "pos-prod", "redis", 40), "pos-prod-redis");
        });
        for (const bad of ["Pos-prod", "1pos", "pos--prod", "pos_prod", "pos-", ""]) {
            it(`rejects the prefix ${JSON.stringify(bad)}`, () => {
                assert.throws(() => dataIdentifier("Redis cache", bad, "redis", 40), {
                    message: `Redis cache: namePrefix ${JSON.stringify(bad)} gives the identifier ${JSON.stringify(`${bad}-redis`)}, expected lowercase letters, digits and single hyphens, starting with a letter, at most 40 characters.`,
                });
            });
        }
        it("rejects an identifier longer than the service allows", () => {
            const prefix = "a".repeat(34);
            assert.strictEqual(dataIdentifier("x", prefix, "redis", 40).length, 40);
            assert.throws(() => dataIdentifier("x", `${prefix}b`, "redis", 40), /at most 40 characters\.$/);
        });
    });

    describe("log group names", () => {
        it("are where each service writes", () => {
            assert.strictEqual(rdsLogGroupName("pos-prod-postgres", "postgresql"), "/aws/rds/instance/pos-prod-postgres/postgresql");
            assert.strictEqual(docdbLogGroupName("pos-prod-docdb", "audit"), "/aws/docdb/pos-prod-docdb/audit");
            assert.strictEqual(elasticacheLogGroupName("pos-prod-redis", "slow-log"), "/aws/elasticache/pos-prod-redis/slow-log");
        });
    });

    describe("masterUserSecretArn", () => {
        it("returns the ARN of the first managed secret", () => {
            assert.strictEqual(masterUserSecretArn("RDS instance db", [{ secretArn: "arn:aws:secretsmanager:eu-west-1:1:secret:rds!db" }]), "arn:aws:secretsmanager:eu-west-1:1:secret:rds!db");
        });
        it("fails loudly when the service manages no secret", () => {
            for (const secrets of [undefined, []]) {
                assert.throws(() => masterUserSecretArn("RDS instance db", secrets), {
                    message: "RDS instance db reported no master user secret: manageMasterUserPassword must be on, so the password lives only in Secrets Manager.",
                });
            }
        });
    });

    describe("shared argument checks", () => {
        it("accepts a whole number at either end of the range", () => {
            assert.doesNotThrow(() => requireWholeNumber("Redis cache", "cache.numCacheClusters", 1, 1, 6));
            assert.doesNotThrow(() => requireWholeNumber("Redis cache", "cache.numCacheClusters", 6, 1, 6));
        });
        it("names the component, the argument, the value and the range, with the detail appended", () => {
            assert.throws(() => requireWholeNumber("Postgres db", "database.backupRetentionDays", 36, 1, 35, " (at most 35)"), {
                message: "Postgres db: database.backupRetentionDays is 36, expected 1 to 35 (at most 35).",
            });
            assert.throws(() => requireWholeNumber("Postgres db", "database.backupRetentionDays", 2.5, 1, 35), {
                message: "Postgres db: database.backupRetentionDays is 2.5, expected 1 to 35.",
            });
        });
        it("names the component, the argument, the value and what is allowed for a value outside a list", () => {
            assert.doesNotThrow(() => requireOneOf("Postgres db", "caCertIdentifier", "rds-ca-rsa4096-g1", ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1"]));
            assert.throws(() => requireOneOf("Postgres db", "caCertIdentifier", "rds-ca-2019", ["rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1"]), {
                message: 'Postgres db: caCertIdentifier is "rds-ca-2019", expected one of rds-ca-rsa2048-g1, rds-ca-rsa4096-g1.',
            });
        });
        it("keeps a replica in prod only", () => {
            assert.deepStrictEqual([minimumMembers("prod"), minimumMembers("staging")], [2, 1]);
        });
    });
});

describe("final snapshot names", () => {
    const parent = () => new pulumi.ComponentResource("test:x:Parent", "parent");

    it("are <identifier>-final-<suffix>, the suffix kept by the identifier alone when nothing else replaces the store", async () => {
        const run = await runUnderMocks(() => ({ name: finalSnapshotName("db", "pos-prod-redis", parent()) }), "prod");
        const suffix = run.one("random:index/randomId:RandomId", "db-final-snapshot-suffix");
        assert.deepStrictEqual(suffix.inputs, { byteLength: 4, keepers: { identifier: "pos-prod-redis" } });
        assert.strictEqual(run.parentName(suffix), "parent");
        assert.strictEqual(await valueOf(run.outputs.name), "pos-prod-redis-final-a1b2c3d4");
    });

    it("draw the suffix again when any input that replaces the store changes: its keepers are those inputs, as strings", async () => {
        const run = await runUnderMocks(() => {
            const kmsKeyId = pulumi.output("arn:aws:kms:eu-west-1:1:key/k");
            return { name: finalSnapshotName("db", "pos-prod-postgres", parent(), { identifier: "pos-prod-postgres", dbName: "pos", port: 5432, storageEncrypted: true, kmsKeyId }) };
        }, "prod");
        assert.deepStrictEqual(run.one("random:index/randomId:RandomId", "db-final-snapshot-suffix").inputs.keepers, {
            identifier: "pos-prod-postgres", dbName: "pos", port: "5432", storageEncrypted: "true", kmsKeyId: "arn:aws:kms:eu-west-1:1:key/k",
        });
        assert.strictEqual(await valueOf(run.outputs.name), "pos-prod-postgres-final-a1b2c3d4");
    });
});
