import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { rdsCustomMasterUsername, rdsIamAuthentication, rdsManagedMasterPassword, rdsNoPublicAccess } from "../../policies/data/database-access";
import { goodDatabases, goodDocdbCluster, goodInstance } from "./database-fixtures";
import { UNKNOWN, UNKNOWN_BOOL, messages, res, run, secret } from "./helpers";

const auroraInstance = { clusterIdentifier: "shop-aurora", engine: "aurora-postgresql", instanceClass: "db.r6g.large" };

describe("policies: database access", () => {
    describe("rds-no-public-access", () => {
        it("passes private instances and Aurora cluster instances (unset is private)", async () => {
            assert.deepStrictEqual(await run(rdsNoPublicAccess, [res(aws.rds.Instance, goodInstance), res(aws.rds.ClusterInstance, auroraInstance)]), []);
        });
        it("rejects a public instance, as mandatory", async () => {
            const diags = await run(rdsNoPublicAccess, res(aws.rds.Instance, { ...goodInstance, publiclyAccessible: true }));
            assert.deepStrictEqual(messages(diags), ["RDS instance must not be publicly accessible: publiclyAccessible is true, expected false or unset."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("rejects a public Aurora cluster instance (the cluster itself has no such input)", async () => {
            assert.deepStrictEqual(messages(await run(rdsNoPublicAccess, res(aws.rds.ClusterInstance, { ...auroraInstance, publiclyAccessible: true }))), [
                "RDS cluster instance must not be publicly accessible: publiclyAccessible is true, expected false or unset.",
            ]);
        });
        it("says so instead of passing when publiclyAccessible is unknown during preview", async () => {
            const diags = await run(rdsNoPublicAccess, res(aws.rds.Instance, { ...goodInstance, publiclyAccessible: UNKNOWN_BOOL }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that the database is not publicly accessible: publiclyAccessible is \(unknown until apply\)/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("reports an exempted instance by URN pattern as advisory with its reason", async () => {
            const diags = await run(rdsNoPublicAccess, res(aws.rds.Instance, { ...goodInstance, publiclyAccessible: true }, { name: "sandbox-db" }), {
                exemptions: [{ resource: "urn:pulumi:test::baseline::aws:rds/instance:Instance::sandbox-*", reason: "throwaway sandbox, no data" }],
            });
            assert.deepStrictEqual(messages(diags), ["Exempted (throwaway sandbox, no data): RDS instance must not be publicly accessible: publiclyAccessible is true, expected false or unset."]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("rds-iam-authentication", () => {
        it("passes an instance with IAM authentication", async () => {
            assert.deepStrictEqual(await run(rdsIamAuthentication, res(aws.rds.Instance, goodInstance)), []);
        });
        it("rejects an instance without it, as advisory", async () => {
            const { iamDatabaseAuthenticationEnabled: _, ...unset } = goodInstance;
            const diags = await run(rdsIamAuthentication, res(aws.rds.Instance, unset));
            assert.deepStrictEqual(messages(diags), ["RDS instance must enable IAM database authentication: iamDatabaseAuthenticationEnabled is (unset), expected true."]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        for (const engine of ["postgres", "mysql", "mariadb"]) {
            it(`rejects a ${engine} instance without it (an engine with IAM authentication)`, async () => {
                const diags = await run(rdsIamAuthentication, res(aws.rds.Instance, { ...goodInstance, engine, iamDatabaseAuthenticationEnabled: false }));
                assert.deepStrictEqual(messages(diags), ["RDS instance must enable IAM database authentication: iamDatabaseAuthenticationEnabled is false, expected true."]);
            });
        }
        it("checks an instance whose engine is unknown during preview", async () => {
            const { iamDatabaseAuthenticationEnabled: _, ...unset } = goodInstance;
            assert.deepStrictEqual(messages(await run(rdsIamAuthentication, res(aws.rds.Instance, { ...unset, engine: UNKNOWN }))), [
                "RDS instance must enable IAM database authentication: iamDatabaseAuthenticationEnabled is (unset), expected true.",
            ]);
        });
        it("skips engines without IAM authentication (Oracle, SQL Server)", async () => {
            assert.deepStrictEqual(await run(rdsIamAuthentication, res(aws.rds.Instance, { engine: "sqlserver-se", instanceClass: "db.m6i.large" })), []);
        });
        it("reports an unknown flag as unverifiable", async () => {
            const diags = await run(rdsIamAuthentication, res(aws.rds.Instance, { ...goodInstance, iamDatabaseAuthenticationEnabled: UNKNOWN_BOOL }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that IAM database authentication is on/);
        });
    });

    describe("rds-custom-master-username", () => {
        for (const [label, type, good] of goodDatabases) {
            it(`passes a custom name and rejects "admin" on the ${label}`, async () => {
                assert.deepStrictEqual(await run(rdsCustomMasterUsername, res(type, good)), []);
                const field = type === aws.rds.Instance ? "username" : "masterUsername";
                assert.deepStrictEqual(messages(await run(rdsCustomMasterUsername, res(type, { ...good, [field]: "admin" }))), [
                    `${label} must not use a well-known master user name: ${field} is "admin", expected a name other than postgres, admin, root, administrator, master, sa, rdsadmin.`,
                ]);
            });
        }
        it("compares case-insensitively", async () => {
            assert.deepStrictEqual(messages(await run(rdsCustomMasterUsername, res(aws.rds.Instance, { ...goodInstance, username: "Postgres" }))), [
                'RDS instance must not use a well-known master user name: username is "Postgres", expected a name other than postgres, admin, root, administrator, master, sa, rdsadmin.',
            ]);
        });
        it("honours a configured list", async () => {
            const diags = await run(rdsCustomMasterUsername, res(aws.rds.Instance, { ...goodInstance, username: "shop_admin" }), { forbiddenUsernames: ["shop_admin"] });
            assert.deepStrictEqual(messages(diags), ['RDS instance must not use a well-known master user name: username is "shop_admin", expected a name other than shop_admin.']);
        });
        it("skips a replica without a user name, and reports an unknown one as unverifiable", async () => {
            assert.deepStrictEqual(await run(rdsCustomMasterUsername, res(aws.rds.Instance, { replicateSourceDb: "shop-db", instanceClass: "db.m6g.large" })), []);
            const diags = await run(rdsCustomMasterUsername, res(aws.rds.Instance, { ...goodInstance, username: UNKNOWN }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that the master user name is not a well-known default: username is \(unknown until apply\)/);
        });
    });

    describe("rds-managed-master-password", () => {
        for (const [label, type, good] of goodDatabases) {
            it(`passes the ${label} whose password RDS manages`, async () => {
                assert.deepStrictEqual(await run(rdsManagedMasterPassword, res(type, good)), []);
            });
        }
        it("rejects a literal password on an instance without printing it, as mandatory", async () => {
            const { manageMasterUserPassword: _, ...rest } = goodInstance;
            const diags = await run(rdsManagedMasterPassword, res(aws.rds.Instance, { ...rest, password: secret("hunter2-very-secret") }));
            assert.deepStrictEqual(messages(diags), [
                "RDS instance must not take a literal master password: password is set, expected no password and manageMasterUserPassword: true.",
                "RDS instance must let AWS manage its master password: manageMasterUserPassword is (unset), expected true.",
            ]);
            assert.ok(diags.every((d) => !d.message.includes("hunter2")));
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("rejects a write-only password too", async () => {
            assert.deepStrictEqual(messages(await run(rdsManagedMasterPassword, res(aws.rds.Instance, { ...goodInstance, passwordWo: secret("pw"), passwordWoVersion: 1 }))), [
                "RDS instance must not take a literal master password: passwordWo is set, expected no password and manageMasterUserPassword: true.",
            ]);
        });
        it("reads masterPassword on clusters", async () => {
            const { manageMasterUserPassword: _, ...rest } = goodDocdbCluster;
            assert.deepStrictEqual(messages(await run(rdsManagedMasterPassword, res(aws.docdb.Cluster, { ...rest, masterPassword: secret("pw"), masterPasswordWo: "pw2" }))), [
                "DocumentDB cluster must not take a literal master password: masterPassword is set, expected no password and manageMasterUserPassword: true.",
                "DocumentDB cluster must not take a literal master password: masterPasswordWo is set, expected no password and manageMasterUserPassword: true.",
                "DocumentDB cluster must let AWS manage its master password: manageMasterUserPassword is (unset), expected true.",
            ]);
        });
        it("counts a password unknown during preview (a generated one) as set", async () => {
            assert.deepStrictEqual(messages(await run(rdsManagedMasterPassword, res(aws.rds.Instance, { ...goodInstance, password: UNKNOWN }))), [
                "RDS instance must not take a literal master password: password is set, expected no password and manageMasterUserPassword: true.",
            ]);
        });
        it("does not ask a read replica to manage a password it does not have", async () => {
            assert.deepStrictEqual(await run(rdsManagedMasterPassword, res(aws.rds.Instance, { replicateSourceDb: "shop-db", instanceClass: "db.m6g.large" })), []);
        });
    });
});
