import * as assert from "assert";
import { loadConfig } from "../infra/config/load";
import { DocumentDb, DocumentDbArgs } from "../infra/data/documentdb";
import { documentDbClusterArgs, documentDbInstanceArgs } from "../infra/data/documentdb-settings";
import { DATA_KEY, ISOLATED_SUBNETS, LOGS_KEY, STACKS, childrenOf, documentDbArgs, isKnown, valueOf } from "./data-fixtures";
import { Overrides, RecordedResource, Run, runUnderMocks } from "./harness";

const CLUSTER = "aws:docdb/cluster:Cluster";
const INSTANCE = "aws:docdb/clusterInstance:ClusterInstance";

const documentDb = (overrides: Partial<DocumentDbArgs> = {}) => new DocumentDb("documents", documentDbArgs(overrides));

async function runDocumentDb(stack: string, overrides: Overrides = {}, args: Partial<DocumentDbArgs> = {}) {
    let component: DocumentDb | undefined;
    const run = await runUnderMocks(() => {
        component = documentDb(args);
    }, stack, overrides);
    return { run, component: component! };
}

describe("DocumentDb", () => {
    for (const env of STACKS) {
        describe(env.stack, () => {
            let run: Run;
            let component: DocumentDb;
            let cluster: RecordedResource;
            const prefix = `pos-${env.stack}`;
            const instances = env.stack === "prod" ? 2 : 1;
            before(async () => {
                ({ run, component } = await runDocumentDb(env.stack));
                cluster = run.one(CLUSTER, "documents-cluster");
            });

            it("runs the configured engine in its own subnet group of the isolated subnets", () => {
                assert.deepStrictEqual([cluster.inputs.engine, cluster.inputs.engineVersion, cluster.inputs.clusterIdentifier], ["docdb", "5.0.0", `${prefix}-docdb`]);
                const subnets = run.one("aws:docdb/subnetGroup:SubnetGroup", "documents-subnets");
                assert.deepStrictEqual(subnets.inputs.subnetIds, ISOLATED_SUBNETS);
                assert.strictEqual(cluster.inputs.dbSubnetGroupName, subnets.inputs.name);
                assert.deepStrictEqual(cluster.inputs.vpcSecurityGroupIds, ["sg-documents"]);
            });

            it("encrypts storage with the data key", () => {
                assert.strictEqual(cluster.inputs.storageEncrypted, true);
                assert.strictEqual(cluster.inputs.kmsKeyId, DATA_KEY);
            });

            it("enforces TLS and turns on audit and profiler logs through a docdb5.0 cluster parameter group", () => {
                const params = run.one("aws:docdb/clusterParameterGroup:ClusterParameterGroup", "documents-params");
                assert.deepStrictEqual([params.inputs.family, params.inputs.name], ["docdb5.0", `${prefix}-docdb-docdb5-0`]);
                assert.deepStrictEqual(params.inputs.parameters, [
                    { name: "tls", value: "enabled" },
                    { name: "audit_logs", value: "enabled" },
                    { name: "profiler", value: "enabled" },
                    { name: "profiler_threshold_ms", value: "100" },
                ]);
                assert.strictEqual(cluster.inputs.dbClusterParameterGroupName, params.inputs.name);
                // Created before the old group is deleted: the cluster still uses the old one until it switches.
                assert.strictEqual(params.deleteBeforeReplace, false);
            });

            it(`keeps ${env.backupDays} days of backups and a final snapshot; deletion protection ${env.deletionProtection}`, () => {
                assert.strictEqual(cluster.inputs.backupRetentionPeriod, env.backupDays);
                assert.strictEqual(cluster.inputs.preferredBackupWindow, "03:00-04:00");
                assert.strictEqual(cluster.inputs.skipFinalSnapshot, false);
                assert.strictEqual(cluster.inputs.finalSnapshotIdentifier, `${prefix}-docdb-final-a1b2c3d4`);
                assert.strictEqual(cluster.inputs.deletionProtection, env.deletionProtection);
            });

            it(`exports audit and profiler logs to pre-created groups kept ${env.logRetention} days under the logs key`, () => {
                assert.deepStrictEqual(cluster.inputs.enabledCloudwatchLogsExports, ["audit", "profiler"]);
                const groups = run.ofType("aws:cloudwatch/logGroup:LogGroup");
                assert.deepStrictEqual(
                    groups.map((g) => [g.inputs.name, g.inputs.retentionInDays, g.inputs.kmsKeyId]),
                    [
                        [`/aws/docdb/${prefix}-docdb/audit`, env.logRetention, LOGS_KEY],
                        [`/aws/docdb/${prefix}-docdb/profiler`, env.logRetention, LOGS_KEY],
                    ],
                );
                for (const g of groups) assert.ok(cluster.dependencies.includes(g.urn), `cluster does not wait for ${g.name}`);
            });

            it("has no password anywhere: DocumentDB manages it in Secrets Manager", () => {
                assert.strictEqual(cluster.inputs.manageMasterUserPassword, true);
                assert.strictEqual(cluster.inputs.masterUsername, "docdbowner");
                for (const r of run.resources) {
                    for (const key of ["masterPassword", "masterPasswordWo", "password"]) assert.strictEqual(r.inputs[key], undefined, `${r.name}.${key}`);
                }
            });

            it(`runs ${instances} instance(s) in the cluster, each with its identifier, class and certificate authority`, () => {
                const members = run.ofType(INSTANCE);
                assert.deepStrictEqual(
                    members.map((m) => [m.name, m.inputs.identifier, m.inputs.clusterIdentifier, m.inputs.instanceClass, m.inputs.autoMinorVersionUpgrade, m.inputs.caCertIdentifier, m.inputs.applyImmediately]),
                    Array.from({ length: instances }, (_, i) => [
                        `documents-instance-${i + 1}`, `${prefix}-docdb-${i + 1}`, `${prefix}-docdb`,
                        env.stack === "prod" ? "db.r6g.large" : "db.t4g.medium", true, "rds-ca-rsa2048-g1", true,
                    ]),
                );
                // Through the cluster's output: a cluster replaced delete-first then deletes its instances first.
                for (const m of members) assert.deepStrictEqual(m.propertyDependencies.clusterIdentifier, [cluster.urn]);
            });

            it(`protect and retainOnDelete are ${env.protect} on the cluster; every child is parented`, () => {
                assert.strictEqual(cluster.protect, env.protect);
                assert.strictEqual(cluster.retainOnDelete, env.protect);
                assert.strictEqual(cluster.deleteBeforeReplace, env.protect ? undefined : true);
                const root = run.one("baseline:data:DocumentDb", "documents");
                for (const r of childrenOf(run, "documents")) assert.strictEqual(r.parent, root.urn, r.name);
                // Subnet group, parameter group, two log groups, snapshot suffix, cluster, password rotation, instances.
                assert.strictEqual(childrenOf(run, "documents").length, 7 + instances);
            });

            it("applies every change in this pulumi up, a major version upgrade included; instances are replaced delete-first", () => {
                assert.deepStrictEqual([cluster.inputs.applyImmediately, cluster.inputs.allowMajorVersionUpgrade], [true, true]);
                // Their identifiers are fixed and they hold no data, in every environment.
                assert.deepStrictEqual(run.ofType(INSTANCE).map((m) => [m.protect, m.deleteBeforeReplace]), Array(instances).fill([false, true]));
            });

            it("outputs the cluster's endpoints and port", async () => {
                assert.deepStrictEqual(
                    [await valueOf(component.endpoint), await valueOf(component.readerEndpoint), await valueOf(component.port)],
                    ["documents-cluster.cluster-abcdef.eu-west-1.docdb.amazonaws.com", "documents-cluster.cluster-ro-abcdef.eu-west-1.docdb.amazonaws.com", 27017],
                );
            });

            it("outputs the master user secret ARN that DocumentDB reports", async () => {
                assert.strictEqual(await valueOf(component.masterUserSecretArn), "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-documents-cluster-AbCdEf");
            });
        });
    }

    it("uses the docdb4.0 family for 4.0.0", async () => {
        const { run } = await runDocumentDb("staging", { "baseline:documentDb": { engineVersion: "4.0.0" } });
        const params = run.one("aws:docdb/clusterParameterGroup:ClusterParameterGroup");
        // The family is in the name, so a major upgrade creates the new group beside the old one.
        assert.deepStrictEqual([params.inputs.family, params.inputs.name], ["docdb4.0", "pos-staging-docdb-docdb4-0"]);
        assert.deepStrictEqual([run.one(CLUSTER).inputs.engineVersion, run.one(CLUSTER).inputs.dbClusterParameterGroupName], ["4.0.0", "pos-staging-docdb-docdb4-0"]);
    });

    it("applies a maintenance window and profiler threshold when given", async () => {
        const { run } = await runDocumentDb("prod", {}, { maintenanceWindow: "sun:06:00-sun:06:30", profilerThresholdMs: 250 });
        assert.strictEqual(run.one(CLUSTER).inputs.preferredMaintenanceWindow, "sun:06:00-sun:06:30");
        for (const m of run.ofType(INSTANCE)) assert.strictEqual(m.inputs.preferredMaintenanceWindow, "sun:06:00-sun:06:30");
        const params = run.one("aws:docdb/clusterParameterGroup:ClusterParameterGroup").inputs.parameters;
        assert.deepStrictEqual(params.find((p: { name: string }) => p.name === "profiler_threshold_ms"), { name: "profiler_threshold_ms", value: "250" });
    });

    it("survives a first preview, where DocumentDB has not reported its secret yet: the secret ARN output is unknown, not an error", async () => {
        let component: DocumentDb | undefined;
        const run = await runUnderMocks(() => (component = documentDb()), "prod", {}, { firstPreview: true });
        assert.strictEqual(await isKnown(component!.masterUserSecretArn), false);
        assert.strictEqual(run.one(CLUSTER).inputs.manageMasterUserPassword, true);
    });

    it("accepts the longest name prefix whose instance identifiers still fit 63 characters", async () => {
        const namePrefix = `p${"a".repeat(53)}`; // 60-character cluster id, instances up to `-16`
        const { run } = await runDocumentDb("prod", {}, { namePrefix });
        assert.deepStrictEqual(run.ofType(INSTANCE).map((m) => m.inputs.identifier.length), [62, 62]);
    });

    describe("validation, before anything is registered", () => {
        const rejects = async (stack: string, change: (a: DocumentDbArgs) => Partial<DocumentDbArgs>, message: string) => {
            const run = await runUnderMocks(() => {
                const base = { documentDb: loadConfig().documentDb } as DocumentDbArgs;
                assert.throws(() => documentDb(change(base)), { message });
            }, stack);
            assert.deepStrictEqual(run.resources, []);
        };

        const invalid = (problem: string) => `DocumentDb documents has invalid arguments:\n  - ${problem}`;

        it("refuses a single instance in prod, with the config loader's own check", () =>
            rejects("prod", (a) => ({ documentDb: { ...a.documentDb, instanceCount: 1 } }),
                invalid("documentDb.instanceCount = 1 is not allowed: expected an integer from 2 to 16")));
        it("refuses a single instance in prod even when handed a config that says disabled: the component is the enabled cluster", () =>
            rejects("prod", (a) => ({ documentDb: { ...a.documentDb, enabled: false, instanceCount: 1 } }),
                invalid("documentDb.instanceCount = 1 is not allowed: expected an integer from 2 to 16")));
        it("refuses no instances in staging", () =>
            rejects("staging", (a) => ({ documentDb: { ...a.documentDb, instanceCount: 0 } }), invalid("documentDb.instanceCount = 0 is not allowed: expected an integer from 1 to 16")));
        it("refuses backups off", () =>
            rejects("staging", (a) => ({ documentDb: { ...a.documentDb, backupRetentionDays: 0 } }), invalid("documentDb.backupRetentionDays = 0 is not allowed: expected an integer from 1 to 35")));
        it("refuses a well-known master user name", () =>
            rejects("prod", (a) => ({ documentDb: { ...a.documentDb, masterUsername: "Admin" } }),
                invalid('documentDb.masterUsername = "Admin" is not allowed: expected a name other than the reserved admin, administrator, root, master, serviceadmin, docdb, user')));
        it("refuses a certificate authority DocumentDB no longer signs with", () =>
            rejects("prod", () => ({ caCertIdentifier: "rds-ca-2019" }),
                'DocumentDb documents: caCertIdentifier is "rds-ca-2019", expected one of rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1.'));
        it("refuses a name prefix that leaves no room for the instance suffixes", () =>
            rejects("prod", () => ({ namePrefix: `p${"a".repeat(54)}` }),
                `DocumentDb documents: namePrefix "p${"a".repeat(54)}" gives the identifier "p${"a".repeat(54)}-docdb", expected lowercase letters, digits and single hyphens, starting with a letter, at most 60 characters.`));
        it("refuses a profiler threshold DocumentDB does not accept", () =>
            rejects("prod", () => ({ profilerThresholdMs: 49 }),
                "DocumentDb documents: profilerThresholdMs is 49, expected 50 to 2147483646 (the range DocumentDB accepts for profiler_threshold_ms)."));
        it("refuses an engine version without a parameter family", () =>
            rejects("prod", (a) => ({ documentDb: { ...a.documentDb, engineVersion: "3.6.0" } }), invalid('documentDb.engineVersion = "3.6.0" is not allowed: expected one of "4.0.0", "5.0.0"')));
    });
});

describe("DocumentDB settings", () => {
    const documentDb = {
        enabled: true, engineVersion: "5.0.0", instanceClass: "db.r6g.large", instanceCount: 2,
        backupRetentionDays: 30, backupWindow: "03:00-04:00", deletionProtection: true, masterUsername: "appowner", passwordRotationDays: 30,
    };

    it("documentDbClusterArgs builds every cluster input, without mocks", () => {
        const args = documentDbClusterArgs({
            clusterId: "app-prod-docdb", documentDb, dataKeyArn: DATA_KEY, securityGroupIds: ["sg-1"], subnetGroupName: "app-prod-docdb",
            parameterGroupName: "app-prod-docdb-docdb5-0", maintenanceWindow: "sun:06:00-sun:06:30", finalSnapshotIdentifier: "app-prod-docdb-final-0a0b0c0d",
        });
        assert.deepStrictEqual(args, {
            clusterIdentifier: "app-prod-docdb", engine: "docdb", masterUsername: "appowner", port: 27017, dbSubnetGroupName: "app-prod-docdb",
            storageEncrypted: true, kmsKeyId: DATA_KEY,
            engineVersion: "5.0.0", allowMajorVersionUpgrade: true, applyImmediately: true, manageMasterUserPassword: true,
            vpcSecurityGroupIds: ["sg-1"], dbClusterParameterGroupName: "app-prod-docdb-docdb5-0",
            backupRetentionPeriod: 30, preferredBackupWindow: "03:00-04:00", preferredMaintenanceWindow: "sun:06:00-sun:06:30",
            deletionProtection: true, skipFinalSnapshot: false, finalSnapshotIdentifier: "app-prod-docdb-final-0a0b0c0d",
            enabledCloudwatchLogsExports: ["audit", "profiler"],
        });
    });

    it("documentDbInstanceArgs numbers the instance after the cluster and applies a class change at once", () => {
        assert.deepStrictEqual(
            documentDbInstanceArgs({ clusterId: "app-prod-docdb", index: 3, clusterIdentifier: "app-prod-docdb", instanceClass: "db.r6g.large", caCertIdentifier: "rds-ca-ecc384-g1" }),
            {
                identifier: "app-prod-docdb-3", clusterIdentifier: "app-prod-docdb", engine: "docdb", instanceClass: "db.r6g.large", applyImmediately: true,
                autoMinorVersionUpgrade: true, caCertIdentifier: "rds-ca-ecc384-g1", copyTagsToSnapshot: true, preferredMaintenanceWindow: undefined,
            },
        );
    });
});
