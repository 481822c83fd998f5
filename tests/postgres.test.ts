import * as assert from "assert";
import { loadConfig } from "../infra/config/load";
import { minimumStorageCeiling } from "../infra/config/sections/database";
import { Postgres, PostgresArgs } from "../infra/data/postgres";
import { postgresInstanceArgs, postgresParameters } from "../infra/data/postgres-settings";
import { DATA_KEY, ISOLATED_SUBNETS, LOGS_KEY, STACKS, childrenOf, isKnown, postgresArgs, valueOf } from "./data-fixtures";
import { Overrides, Run, runUnderMocks } from "./harness";

const INSTANCE = "aws:rds/instance:Instance";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

const postgres = (overrides: Partial<PostgresArgs> = {}) => new Postgres("postgres", postgresArgs(overrides));

/** Run Postgres under mocks and keep the component, to read its outputs. */
async function runPostgres(stack: string, overrides: Overrides = {}, opts: { firstPreview?: boolean } = {}) {
    let component: Postgres | undefined;
    const run = await runUnderMocks(() => {
        component = postgres();
    }, stack, overrides, opts);
    return { run, component: component! };
}

describe("Postgres", () => {
    for (const env of STACKS) {
        describe(env.stack, () => {
            let run: Run;
            let component: Postgres;
            let instance: Run["resources"][number];
            const prefix = `pos-${env.stack}`;
            before(async () => {
                ({ run, component } = await runPostgres(env.stack));
                instance = run.one(INSTANCE, "postgres-instance");
            });

            it("runs PostgreSQL of the configured major, never reachable from the internet", () => {
                assert.strictEqual(instance.inputs.engine, "postgres");
                assert.strictEqual(instance.inputs.engineVersion, "15");
                assert.strictEqual(instance.inputs.publiclyAccessible, false);
                assert.strictEqual(instance.inputs.identifier, `${prefix}-postgres`);
                assert.deepStrictEqual(instance.inputs.vpcSecurityGroupIds, ["sg-database"]);
                assert.strictEqual(instance.inputs.caCertIdentifier, "rds-ca-rsa2048-g1");
            });

            it("sits in its own subnet group of the isolated subnets", () => {
                const group = run.one("aws:rds/subnetGroup:SubnetGroup", "postgres-subnets");
                assert.deepStrictEqual(group.inputs.subnetIds, ISOLATED_SUBNETS);
                assert.strictEqual(instance.inputs.dbSubnetGroupName, group.inputs.name);
                assert.strictEqual(group.inputs.name, `${prefix}-postgres`);
            });

            it("encrypts storage and Performance Insights with the data key", () => {
                assert.strictEqual(instance.inputs.storageEncrypted, true);
                assert.strictEqual(instance.inputs.kmsKeyId, DATA_KEY);
                assert.strictEqual(instance.inputs.performanceInsightsEnabled, true);
                assert.strictEqual(instance.inputs.performanceInsightsKmsKeyId, DATA_KEY);
                assert.strictEqual(instance.inputs.performanceInsightsRetentionPeriod, 7);
            });

            it(`keeps ${env.backupDays} days of backups and a final snapshot`, () => {
                assert.strictEqual(instance.inputs.backupRetentionPeriod, env.backupDays);
                assert.strictEqual(instance.inputs.backupWindow, "03:00-04:00");
                assert.strictEqual(instance.inputs.maintenanceWindow, "sun:04:30-sun:05:30");
                assert.strictEqual(instance.inputs.skipFinalSnapshot, false);
                assert.strictEqual(instance.inputs.finalSnapshotIdentifier, `${prefix}-postgres-final-a1b2c3d4`);
                assert.strictEqual(instance.inputs.copyTagsToSnapshot, true);
                assert.strictEqual(instance.inputs.deleteAutomatedBackups, false);
            });

            it(`Multi-AZ ${env.multiAz}, deletion protection ${env.deletionProtection}`, () => {
                assert.strictEqual(instance.inputs.multiAz, env.multiAz);
                assert.strictEqual(instance.inputs.deletionProtection, env.deletionProtection);
            });

            it(`protect and retainOnDelete are ${env.protect} on the instance; ${env.protect ? "protect stops a replacement" : "a replacement deletes it first, its identifier being fixed"}`, () => {
                assert.deepStrictEqual(
                    [instance.protect, instance.retainOnDelete, instance.deleteBeforeReplace],
                    env.protect ? [true, true, undefined] : [false, false, true],
                );
            });

            it("applies every change in this pulumi up, a major version upgrade included", () => {
                assert.strictEqual(instance.inputs.applyImmediately, true);
                assert.strictEqual(instance.inputs.allowMajorVersionUpgrade, true);
            });

            it("has no password anywhere: RDS manages it in Secrets Manager under the data key", () => {
                assert.strictEqual(instance.inputs.manageMasterUserPassword, true);
                assert.strictEqual(instance.inputs.masterUserSecretKmsKeyId, DATA_KEY);
                for (const r of run.resources) {
                    for (const key of ["password", "passwordWo", "masterPassword"]) {
                        assert.strictEqual(r.inputs[key], undefined, `${r.name}.${key}`);
                    }
                }
                assert.strictEqual(instance.inputs.username, "pos_admin");
                assert.strictEqual(instance.inputs.dbName, "pos");
                assert.strictEqual(instance.inputs.iamDatabaseAuthenticationEnabled, true);
            });

            it("outputs the master user secret ARN that RDS reports", async () => {
                assert.strictEqual(await valueOf(component.masterUserSecretArn), "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-postgres-instance-AbCdEf");
                assert.strictEqual(await valueOf(component.address), "postgres-instance.abcdefgh.eu-west-1.rds.amazonaws.com");
                assert.strictEqual(await valueOf(component.port), 5432);
                assert.strictEqual(await valueOf(component.resourceId), "db-POSTGRES-INSTANCE");
            });

            it("uses gp3 storage that grows up to the configured ceiling", () => {
                assert.strictEqual(instance.inputs.storageType, "gp3");
                assert.strictEqual(instance.inputs.allocatedStorage, env.stack === "prod" ? 100 : 20);
                assert.strictEqual(instance.inputs.maxAllocatedStorage, env.stack === "prod" ? 1000 : 100);
            });

            it(`forces TLS 1.2+ and logs statements slower than ${env.stack === "prod" ? 500 : 1000} ms through a postgres15 parameter group`, () => {
                const group = run.one("aws:rds/parameterGroup:ParameterGroup", "postgres-params");
                assert.deepStrictEqual(group.inputs, {
                    name: `${prefix}-postgres-postgres15`,
                    family: "postgres15",
                    description: `${prefix}-postgres: TLS only, connection and slow-query logging`,
                    parameters: [
                        { name: "rds.force_ssl", value: "1" },
                        { name: "ssl_min_protocol_version", value: "TLSv1.2" },
                        { name: "password_encryption", value: "scram-sha-256" },
                        { name: "log_min_duration_statement", value: env.stack === "prod" ? "500" : "1000" },
                        { name: "log_connections", value: "1" },
                        { name: "log_disconnections", value: "1" },
                        { name: "log_lock_waits", value: "1" },
                        { name: "log_temp_files", value: "10240" },
                        { name: "log_autovacuum_min_duration", value: "10000" },
                    ],
                });
                assert.strictEqual(instance.inputs.parameterGroupName, group.inputs.name);
                assert.deepStrictEqual(instance.propertyDependencies.parameterGroupName, [group.urn]);
                // Created before the old group is deleted: the instance still uses the old one until it switches.
                assert.strictEqual(group.deleteBeforeReplace, false);
            });

            it(`exports postgresql and upgrade logs to pre-created groups kept ${env.logRetention} days under the logs key`, () => {
                assert.deepStrictEqual(instance.inputs.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
                const groups = run.ofType(LOG_GROUP);
                assert.deepStrictEqual(
                    groups.map((g) => [g.inputs.name, g.inputs.retentionInDays, g.inputs.kmsKeyId]),
                    [
                        [`/aws/rds/instance/${prefix}-postgres/postgresql`, env.logRetention, LOGS_KEY],
                        [`/aws/rds/instance/${prefix}-postgres/upgrade`, env.logRetention, LOGS_KEY],
                    ],
                );
                for (const g of groups) assert.ok(instance.dependencies.includes(g.urn), `instance does not wait for ${g.name}`);
            });

            it("sends enhanced monitoring through a role only RDS monitoring of this account can assume", () => {
                const role = run.one("aws:iam/role:Role", "postgres-monitoring-role");
                assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy), {
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "RdsEnhancedMonitoring",
                            Effect: "Allow",
                            Principal: { Service: "monitoring.rds.amazonaws.com" },
                            Action: "sts:AssumeRole",
                            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
                        },
                    ],
                });
                const attachment = run.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "postgres-monitoring-policy");
                assert.strictEqual(attachment.inputs.policyArn, "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
                assert.deepStrictEqual(attachment.propertyDependencies.role, [role.urn]);
                assert.strictEqual(instance.inputs.monitoringInterval, env.stack === "prod" ? 30 : 60);
                assert.deepStrictEqual(instance.propertyDependencies.monitoringRoleArn, [role.urn]);
                assert.ok(instance.dependencies.includes(attachment.urn), "instance starts monitoring before its role has the policy");
            });

            it("keeps upgrades automatic and parents every child to the component", () => {
                assert.strictEqual(instance.inputs.autoMinorVersionUpgrade, true);
                const root = run.one("baseline:data:Postgres", "postgres");
                for (const r of childrenOf(run, "postgres")) assert.strictEqual(r.parent, root.urn, r.name);
                assert.deepStrictEqual(
                    childrenOf(run, "postgres").map((r) => r.name).sort(),
                    ["postgres-final-snapshot-suffix", "postgres-instance", "postgres-log-postgresql", "postgres-log-upgrade", "postgres-monitoring-policy", "postgres-monitoring-role", "postgres-params", "postgres-password-rotation", "postgres-subnets"],
                );
            });
        });
    }

    it("follows a major version change with the matching parameter family", async () => {
        const { run } = await runPostgres("staging", { "baseline:database": { engineVersion: "17" } });
        assert.strictEqual(run.one(INSTANCE).inputs.engineVersion, "17");
        const group = run.one("aws:rds/parameterGroup:ParameterGroup");
        assert.deepStrictEqual([group.inputs.family, group.inputs.name], ["postgres17", "pos-staging-postgres-postgres17"]);
    });

    it("survives a first preview, where RDS has not reported its secret yet: the secret ARN output is unknown, not an error", async () => {
        const { run, component } = await runPostgres("prod", {}, { firstPreview: true });
        assert.strictEqual(await isKnown(component.masterUserSecretArn), false);
        assert.strictEqual(run.one(INSTANCE).inputs.manageMasterUserPassword, true);
    });

    describe("validation, before anything is registered", () => {
        const rejects = async (overrides: Partial<PostgresArgs>, message: string) => {
            const run = await runUnderMocks(() => assert.throws(() => postgres(overrides), { message }), "prod");
            assert.deepStrictEqual(run.resources, []);
        };
        const prodDb = () => {
            let db!: PostgresArgs["database"];
            return runUnderMocks(() => (db = loadConfig().database), "prod").then(() => db);
        };

        const invalid = (problem: string) => `Postgres postgres has invalid arguments:\n  - ${problem}`;

        it("refuses to turn automated backups off, with the config loader's own check", async () => {
            const database = { ...(await prodDb()), backupRetentionDays: 0 };
            await rejects({ database }, invalid("database.backupRetentionDays = 0 is not allowed: expected an integer from 1 to 35"));
        });
        it("refuses a storage ceiling below the initial size", async () => {
            const database = { ...(await prodDb()), maxAllocatedStorage: 50 };
            await rejects({ database }, invalid("database.maxAllocatedStorage = 50 is not allowed: expected an integer from 110 (10% above allocatedStorage 100) to 65536"));
        });
        it("refuses a storage ceiling less than 10% above the initial size, which RDS rejects", async () => {
            const database = { ...(await prodDb()), maxAllocatedStorage: 109 };
            await rejects({ database }, invalid("database.maxAllocatedStorage = 109 is not allowed: expected an integer from 110 (10% above allocatedStorage 100) to 65536"));
        });
        it("refuses a slow-query threshold of 0, which would log every statement with its passwords", async () => {
            const database = { ...(await prodDb()), slowQueryThresholdMs: 0 };
            await rejects({ database }, invalid("database.slowQueryThresholdMs = 0 is not allowed: expected an integer from 1 to 3600000"));
        });
        it("refuses enhanced monitoring off", async () => {
            const database = { ...(await prodDb()), monitoringIntervalSeconds: 0 };
            await rejects({ database }, invalid("database.monitoringIntervalSeconds = 0 is not allowed: expected one of 1, 5, 10, 15, 30, 60"));
        });
        it("reports every bad setting at once, like the config loader", async () => {
            const database = { ...(await prodDb()), masterUsername: "postgres", backupRetentionDays: 36 };
            await rejects({ database }, invalid([
                "database.backupRetentionDays = 36 is not allowed: expected an integer from 1 to 35",
                'database.masterUsername = "postgres" is not allowed: expected a name other than the well-known postgres, admin, administrator, root, rdsadmin, master, user, sa',
            ].join("\n  - ")));
        });
        it("refuses a certificate authority RDS no longer signs with", async () => {
            await rejects({ caCertIdentifier: "rds-ca-2019" },
                'Postgres postgres: caCertIdentifier is "rds-ca-2019", expected one of rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1.');
        });
        it("refuses a name prefix that is not an RDS identifier", async () => {
            await rejects(
                { namePrefix: "Pos_Prod" },
                'Postgres postgres: namePrefix "Pos_Prod" gives the identifier "Pos_Prod-postgres", expected lowercase letters, digits and single hyphens, starting with a letter, at most 63 characters.',
            );
        });
    });
});

describe("minimumStorageCeiling (config/sections/database)", () => {
    it("is 10% above the allocated storage, rounded up to a whole GiB", () => {
        assert.deepStrictEqual([20, 25, 100, 1000].map(minimumStorageCeiling), [22, 28, 110, 1100]);
    });
    it("accepts exactly that ceiling", async () => {
        const run = await runUnderMocks(() => postgres({ database: { ...loadConfig().database, maxAllocatedStorage: 110 } }), "prod");
        assert.strictEqual(run.one(INSTANCE).inputs.maxAllocatedStorage, 110);
    });
});

describe("postgresParameters", () => {
    it("forces TLS 1.2+, SCRAM passwords and the given slow-query threshold, logs connections and waits, and never logs statements wholesale", () => {
        // No log_statement: with `ddl` or `all` it would log passwords set with ALTER ROLE.
        assert.deepStrictEqual(postgresParameters(250), [
            { name: "rds.force_ssl", value: "1" },
            { name: "ssl_min_protocol_version", value: "TLSv1.2" },
            { name: "password_encryption", value: "scram-sha-256" },
            { name: "log_min_duration_statement", value: "250" },
            { name: "log_connections", value: "1" },
            { name: "log_disconnections", value: "1" },
            { name: "log_lock_waits", value: "1" },
            { name: "log_temp_files", value: "10240" },
            { name: "log_autovacuum_min_duration", value: "10000" },
        ]);
    });
});

describe("postgresInstanceArgs", () => {
    it("builds every instance input from the config and the wiring, without mocks", () => {
        const database = {
            engineVersion: "16", instanceClass: "db.m6g.large", allocatedStorage: 100, maxAllocatedStorage: 500, multiAz: true,
            backupRetentionDays: 30, backupWindow: "03:00-04:00", maintenanceWindow: "sun:04:30-sun:05:30", deletionProtection: true,
            masterUsername: "app_admin", databaseName: "app", monitoringIntervalSeconds: 30, performanceInsightsRetentionDays: 7, slowQueryThresholdMs: 500, passwordRotationDays: 30,
        } as const;
        const args = postgresInstanceArgs({
            identifier: "app-prod-postgres", database, caCertIdentifier: "rds-ca-rsa4096-g1", dataKeyArn: DATA_KEY, securityGroupIds: ["sg-1"],
            subnetGroupName: "app-prod-postgres", parameterGroupName: "app-prod-postgres-postgres16", monitoringRoleArn: "arn:aws:iam::1:role/mon",
            finalSnapshotIdentifier: "app-prod-postgres-final-0a0b0c0d",
        });
        assert.deepStrictEqual(args, {
            identifier: "app-prod-postgres", engine: "postgres", dbName: "app", username: "app_admin", storageEncrypted: true, kmsKeyId: DATA_KEY,
            engineVersion: "16", allowMajorVersionUpgrade: true, autoMinorVersionUpgrade: true, applyImmediately: true,
            instanceClass: "db.m6g.large", manageMasterUserPassword: true, masterUserSecretKmsKeyId: DATA_KEY, iamDatabaseAuthenticationEnabled: true, port: 5432,
            dbSubnetGroupName: "app-prod-postgres", vpcSecurityGroupIds: ["sg-1"], publiclyAccessible: false, multiAz: true,
            caCertIdentifier: "rds-ca-rsa4096-g1", parameterGroupName: "app-prod-postgres-postgres16",
            storageType: "gp3", allocatedStorage: 100, maxAllocatedStorage: 500,
            backupRetentionPeriod: 30, backupWindow: "03:00-04:00", maintenanceWindow: "sun:04:30-sun:05:30", copyTagsToSnapshot: true,
            deleteAutomatedBackups: false, deletionProtection: true, skipFinalSnapshot: false, finalSnapshotIdentifier: "app-prod-postgres-final-0a0b0c0d",
            performanceInsightsEnabled: true, performanceInsightsKmsKeyId: DATA_KEY, performanceInsightsRetentionPeriod: 7,
            monitoringInterval: 30, monitoringRoleArn: "arn:aws:iam::1:role/mon", enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        });
    });
});
