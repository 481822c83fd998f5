import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { daxEncryption, dynamodbCustomerManagedKey, dynamodbDeletionProtection, dynamodbPointInTimeRecovery } from "../../policies/data/dynamodb";
import { Diagnostic } from "../../tools/offline/evaluate";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, messages, res, run } from "./helpers";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const REPLICA_KEY_ARN = "arn:aws:kms:eu-central-1:123456789012:key/abcd1234-12ab-34cd-56ef-1234567890ab";
const GLOBAL_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/orders";
const unverifiable = (requirement: string, path: string) =>
    `Cannot verify during preview that ${requirement}: ${path} is (unknown until apply). Re-run the check after apply, or set the value from configuration.`;
const advisoryOnly = (diags: Diagnostic[]) => assert.ok(diags.length > 0 && diags.every((d) => d.enforcementLevel === "advisory" && !d.cantRunDuringPreview));

const base = { name: "orders", hashKey: "id", billingMode: "PAY_PER_REQUEST", attributes: [{ name: "id", type: "S" }] };
const good = {
    ...base, pointInTimeRecovery: { enabled: true }, deletionProtectionEnabled: true, serverSideEncryption: { enabled: true, kmsKeyArn: KEY_ARN },
    replicas: [{ regionName: "eu-central-1", pointInTimeRecovery: true, deletionProtectionEnabled: true, kmsKeyArn: REPLICA_KEY_ARN }],
};
const table = (props: Record<string, any>) => res(aws.dynamodb.Table, props, { name: "orders" });
const replica = (props: Record<string, any>) => res(aws.dynamodb.TableReplica, { globalTableArn: GLOBAL_ARN, ...props }, { name: "orders-eu-central-1" });
const cmk = { requireCustomerKey: true };

describe("policies: dynamodb", () => {
    describe("dynamodb-point-in-time-recovery", () => {
        it("passes a table and replicas with PITR", async () => {
            assert.deepStrictEqual(await run(dynamodbPointInTimeRecovery, [table(good), replica({ pointInTimeRecovery: true })]), []);
        });
        it("rejects a table without PITR, as mandatory, and each replica without it", async () => {
            const diags = await run(dynamodbPointInTimeRecovery, table(base));
            assert.deepStrictEqual(messages(diags), ["DynamoDB table must have point-in-time recovery: pointInTimeRecovery.enabled is (unset), expected true."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            const replicas = await run(dynamodbPointInTimeRecovery, table({ ...good, replicas: [{ regionName: "eu-central-1" }, { regionName: "us-east-1", pointInTimeRecovery: false }] }));
            assert.deepStrictEqual(messages(replicas), [
                'DynamoDB table\'s replica in "eu-central-1" must have point-in-time recovery: replicas[0].pointInTimeRecovery is (unset), expected true.',
                'DynamoDB table\'s replica in "us-east-1" must have point-in-time recovery: replicas[1].pointInTimeRecovery is false, expected true.',
            ]);
            assert.deepStrictEqual(messages(await run(dynamodbPointInTimeRecovery, replica({}))), ["DynamoDB table replica must have point-in-time recovery: pointInTimeRecovery is (unset), expected true."]);
        });
        it("reports unknown settings as unverifiable", async () => {
            const diags = await run(dynamodbPointInTimeRecovery, table({ ...good, pointInTimeRecovery: { enabled: UNKNOWN_BOOL }, replicas: UNKNOWN_ARRAY }));
            assert.deepStrictEqual(messages(diags), [
                unverifiable("point-in-time recovery is enabled", "pointInTimeRecovery.enabled"),
                unverifiable("every replica is set to have point-in-time recovery", "replicas"),
            ]);
            advisoryOnly(diags);
            const entry = await run(dynamodbPointInTimeRecovery, table({ ...good, replicas: [{ regionName: UNKNOWN, pointInTimeRecovery: UNKNOWN_BOOL }] }));
            assert.deepStrictEqual(messages(entry), [unverifiable("the table's replica 0 is set to have point-in-time recovery", "replicas[0].pointInTimeRecovery")]);
            advisoryOnly(entry);
        });
        it("never throws on malformed inputs", async () => {
            for (const props of [{ pointInTimeRecovery: null }, { pointInTimeRecovery: [] }, { replicas: [null, 3, "x", {}] }, { replicas: { regionName: "x" } }]) {
                await run(dynamodbPointInTimeRecovery, table({ ...base, ...props }));
            }
            await run(dynamodbPointInTimeRecovery, replica({ pointInTimeRecovery: "yes" }));
        });
    });

    describe("dynamodb-deletion-protection", () => {
        it("passes protected tables and replicas", async () => {
            assert.deepStrictEqual(await run(dynamodbDeletionProtection, [table(good), replica({ deletionProtectionEnabled: true })]), []);
        });
        it("reports unprotected tables and replicas, as advisory by default and mandatory where configured", async () => {
            const diags = await run(dynamodbDeletionProtection, table({ ...good, deletionProtectionEnabled: false, replicas: [{ regionName: "eu-central-1" }] }));
            assert.deepStrictEqual(messages(diags), [
                "DynamoDB table must have deletion protection: deletionProtectionEnabled is false, expected true.",
                'DynamoDB table\'s replica in "eu-central-1" must have deletion protection: replicas[0].deletionProtectionEnabled is (unset), expected true.',
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "advisory"));
            const prod = await run(dynamodbDeletionProtection, replica({}), { enforcementLevel: "mandatory" });
            assert.deepStrictEqual(messages(prod), ["DynamoDB table replica must have deletion protection: deletionProtectionEnabled is (unset), expected true."]);
            assert.strictEqual(prod[0].enforcementLevel, "mandatory");
        });
        it("reports an unknown setting as unverifiable", async () => {
            const diags = await run(dynamodbDeletionProtection, replica({ deletionProtectionEnabled: UNKNOWN_BOOL }));
            assert.deepStrictEqual(messages(diags), [unverifiable("deletion protection is enabled", "deletionProtectionEnabled")]);
            advisoryOnly(diags);
        });
    });

    describe("dynamodb-customer-managed-key", () => {
        it("requires nothing unless configured (DynamoDB always encrypts at rest)", async () => {
            assert.deepStrictEqual(await run(dynamodbCustomerManagedKey, [table(base), replica({})]), []);
        });
        it("passes customer keys on the table and every replica, and key ARNs unknown until apply", async () => {
            assert.deepStrictEqual(await run(dynamodbCustomerManagedKey, [table(good), replica({ kmsKeyArn: REPLICA_KEY_ARN })], cmk), []);
            assert.deepStrictEqual(await run(dynamodbCustomerManagedKey, table({ ...good, serverSideEncryption: { enabled: true, kmsKeyArn: UNKNOWN }, replicas: [{ regionName: "eu-central-1", kmsKeyArn: UNKNOWN }] }), cmk), []);
        });
        it("rejects the AWS-owned and AWS-managed keys where configured, as mandatory", async () => {
            const owned = await run(dynamodbCustomerManagedKey, table(base), cmk);
            assert.deepStrictEqual(messages(owned), ["DynamoDB table must be encrypted with a customer-managed KMS key: serverSideEncryption.enabled is (unset), which means the AWS-owned key, expected true with kmsKeyArn."]);
            assert.strictEqual(owned[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(dynamodbCustomerManagedKey, table({ ...good, serverSideEncryption: { enabled: true }, replicas: [{ regionName: "eu-central-1", kmsKeyArn: "alias/aws/dynamodb" }] }), cmk)), [
                "DynamoDB table must be encrypted with a customer-managed KMS key: serverSideEncryption.kmsKeyArn is (unset), expected a customer key ARN.",
                'DynamoDB table\'s replica in "eu-central-1" must be encrypted with a customer-managed KMS key: replicas[0].kmsKeyArn is "alias/aws/dynamodb", the AWS-managed key, expected a customer key ARN in the replica\'s region.',
            ]);
            assert.deepStrictEqual(messages(await run(dynamodbCustomerManagedKey, replica({}), cmk)), [
                "DynamoDB table replica must be encrypted with a customer-managed KMS key: kmsKeyArn is (unset), expected a customer key ARN in the replica's region.",
            ]);
        });
        it("reports unknown settings as unverifiable", async () => {
            const diags = await run(dynamodbCustomerManagedKey, table({ ...good, serverSideEncryption: UNKNOWN, replicas: UNKNOWN_ARRAY }), cmk);
            assert.deepStrictEqual(messages(diags), [
                unverifiable("the table is encrypted with a customer-managed KMS key", "serverSideEncryption.enabled"),
                unverifiable("every replica is encrypted with a customer-managed KMS key", "replicas"),
            ]);
            advisoryOnly(diags);
        });
        it("never throws on malformed inputs", async () => {
            for (const props of [{ serverSideEncryption: null }, { serverSideEncryption: { enabled: true, kmsKeyArn: 4 } }, { replicas: [null, { kmsKeyArn: [] }] }]) {
                await run(dynamodbCustomerManagedKey, table({ ...base, ...props }), cmk);
            }
        });
    });

    describe("dax-encryption", () => {
        const cluster = (props: Record<string, any>) => res(aws.dax.Cluster, { clusterName: "cache", iamRoleArn: "arn:aws:iam::123456789012:role/dax", nodeType: "dax.r5.large", replicationFactor: 3, ...props });
        it("passes a cluster encrypted at rest with a TLS endpoint", async () => {
            assert.deepStrictEqual(await run(daxEncryption, cluster({ serverSideEncryption: { enabled: true }, clusterEndpointEncryptionType: "TLS" })), []);
        });
        it("rejects a default cluster on both counts, as mandatory", async () => {
            const diags = await run(daxEncryption, cluster({}));
            assert.deepStrictEqual(messages(diags), [
                "DAX cluster must be encrypted at rest: serverSideEncryption.enabled is (unset), expected true.",
                'DAX cluster must encrypt in transit: clusterEndpointEncryptionType is (unset), expected "TLS".',
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
            assert.deepStrictEqual(messages(await run(daxEncryption, cluster({ serverSideEncryption: { enabled: false }, clusterEndpointEncryptionType: "NONE" }))), [
                "DAX cluster must be encrypted at rest: serverSideEncryption.enabled is false, expected true.",
                'DAX cluster must encrypt in transit: clusterEndpointEncryptionType is "NONE", expected "TLS".',
            ]);
        });
        it("reports unknown settings as unverifiable", async () => {
            const diags = await run(daxEncryption, cluster({ serverSideEncryption: { enabled: UNKNOWN_BOOL }, clusterEndpointEncryptionType: UNKNOWN }));
            assert.deepStrictEqual(messages(diags), [
                unverifiable("the DAX cluster is encrypted at rest", "serverSideEncryption.enabled"),
                unverifiable("the DAX cluster endpoint uses TLS", "clusterEndpointEncryptionType"),
            ]);
            advisoryOnly(diags);
        });
        it("never throws on malformed inputs", async () => {
            for (const props of [{ serverSideEncryption: null }, { serverSideEncryption: [] }, { clusterEndpointEncryptionType: 1 }]) await run(daxEncryption, cluster(props));
        });
    });
});
