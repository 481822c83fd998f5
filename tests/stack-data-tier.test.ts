import * as assert from "assert";
import { Run, SECRET_SIG, SIG_KEY, runStack, stackConfig } from "./harness";

/**
 * The whole program, per stack: every input of every data-tier resource, exactly. The component tests
 * hand each component fake keys, subnets and groups; only here does a miswiring in infra/main.ts show
 * (the logs key on a database, the private subnets under a store, one store's group on another), and
 * only a comparison of the whole input object catches a setting someone adds without a test.
 * Mock ids and ARNs carry the logical name of the resource they come from (tools/offline/mock-outputs.ts).
 */

const ACCOUNT = "123456789012";
const KEY = (purpose: "data" | "logs" | "storage") => `arn:aws:kms:eu-west-1:${ACCOUNT}:key/keys-${purpose}-key-id`;
/** What the mock's RandomPassword returns, as a secret reaches the provider. */
const SECRET_TOKEN = { [SIG_KEY]: SECRET_SIG, value: "mock-generated-password-0123456789abcdef" };

/** What differs between the stacks, written out (not read from the profiles the code reads). */
const STACKS = [
    {
        stack: "prod",
        isolated: ["subnet-isolated-a", "subnet-isolated-b", "subnet-isolated-c"],
        logRetention: 365,
        postgres: { instanceClass: "db.m6g.large", allocatedStorage: 100, maxAllocatedStorage: 1000, multiAz: true, backups: 30, deletionProtection: true, monitoring: 30, slowMs: "500" },
        redis: { nodeType: "cache.m6g.large", nodes: 2, failover: true, snapshots: 7 },
        docdb: { instanceClass: "db.r6g.large", instances: 2, backups: 30, deletionProtection: true },
    },
    {
        stack: "staging",
        isolated: ["subnet-isolated-a", "subnet-isolated-b"],
        logRetention: 30,
        postgres: { instanceClass: "db.t4g.medium", allocatedStorage: 20, maxAllocatedStorage: 100, multiAz: false, backups: 7, deletionProtection: false, monitoring: 60, slowMs: "1000" },
        redis: { nodeType: "cache.t4g.small", nodes: 1, failover: false, snapshots: 1 },
        docdb: { instanceClass: "db.t4g.medium", instances: 1, backups: 7, deletionProtection: false },
    },
] as const;

for (const s of STACKS) {
    describe(`${s.stack} stack: data tier inputs, exactly`, () => {
        const prefix = `pos-${s.stack}`;
        let run: Run;
        before(async () => {
            run = await runStack(s.stack);
        });

        const subnetGroup = (service: "rds" | "elasticache" | "docdb", name: string, id: string) => {
            assert.deepStrictEqual(run.one(`aws:${service}/subnetGroup:SubnetGroup`, name).inputs, {
                name: id,
                description: `${id}: isolated subnets only`,
                subnetIds: s.isolated,
            });
        };

        it(`PostgreSQL: private, encrypted with the data key, ${s.postgres.backups}-day backups, Multi-AZ ${s.postgres.multiAz}, deletion protection ${s.postgres.deletionProtection}`, () => {
            assert.deepStrictEqual(run.one("aws:rds/instance:Instance", "postgres-instance").inputs, {
                identifier: `${prefix}-postgres`,
                engine: "postgres",
                engineVersion: "15",
                allowMajorVersionUpgrade: true,
                autoMinorVersionUpgrade: true,
                applyImmediately: true,
                instanceClass: s.postgres.instanceClass,
                dbName: "pos",
                username: "pos_admin",
                manageMasterUserPassword: true,
                masterUserSecretKmsKeyId: KEY("data"),
                iamDatabaseAuthenticationEnabled: true,
                port: 5432,
                dbSubnetGroupName: `${prefix}-postgres`,
                vpcSecurityGroupIds: ["network-postgres-sg-id"],
                publiclyAccessible: false,
                multiAz: s.postgres.multiAz,
                caCertIdentifier: "rds-ca-rsa2048-g1",
                parameterGroupName: `${prefix}-postgres-postgres15`,
                storageType: "gp3",
                allocatedStorage: s.postgres.allocatedStorage,
                maxAllocatedStorage: s.postgres.maxAllocatedStorage,
                storageEncrypted: true,
                kmsKeyId: KEY("data"),
                backupRetentionPeriod: s.postgres.backups,
                backupWindow: "03:00-04:00",
                maintenanceWindow: "sun:04:30-sun:05:30",
                copyTagsToSnapshot: true,
                deleteAutomatedBackups: false,
                deletionProtection: s.postgres.deletionProtection,
                skipFinalSnapshot: false,
                finalSnapshotIdentifier: `${prefix}-postgres-final-a1b2c3d4`,
                performanceInsightsEnabled: true,
                performanceInsightsKmsKeyId: KEY("data"),
                performanceInsightsRetentionPeriod: 7,
                monitoringInterval: s.postgres.monitoring,
                monitoringRoleArn: `arn:aws:iam::${ACCOUNT}:role/${prefix}-postgres-monitoring`,
                enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
            });
            subnetGroup("rds", "postgres-subnets", `${prefix}-postgres`);
        });

        it(`PostgreSQL parameters: TLS 1.2+ forced, SCRAM, statements slower than ${s.postgres.slowMs} ms logged`, () => {
            assert.deepStrictEqual(run.one("aws:rds/parameterGroup:ParameterGroup", "postgres-params").inputs, {
                name: `${prefix}-postgres-postgres15`,
                family: "postgres15",
                description: `${prefix}-postgres: TLS only, connection and slow-query logging`,
                parameters: [
                    { name: "rds.force_ssl", value: "1" },
                    { name: "ssl_min_protocol_version", value: "TLSv1.2" },
                    { name: "password_encryption", value: "scram-sha-256" },
                    { name: "log_min_duration_statement", value: s.postgres.slowMs },
                    { name: "log_connections", value: "1" },
                    { name: "log_disconnections", value: "1" },
                    { name: "log_lock_waits", value: "1" },
                    { name: "log_temp_files", value: "10240" },
                    { name: "log_autovacuum_min_duration", value: "10000" },
                ],
            });
        });

        it(`Redis: encrypted at rest with the data key and in transit, secret AUTH token, ${s.redis.nodes} node(s), failover ${s.redis.failover}, ${s.redis.snapshots}-day snapshots`, () => {
            assert.deepStrictEqual(run.one("aws:elasticache/replicationGroup:ReplicationGroup", "redis-replication-group").inputs, {
                replicationGroupId: `${prefix}-redis`,
                description: `${prefix} application cache`,
                engine: "redis",
                engineVersion: "7.1",
                nodeType: s.redis.nodeType,
                numCacheClusters: s.redis.nodes,
                port: 6379,
                applyImmediately: true,
                parameterGroupName: `${prefix}-redis-redis7`,
                subnetGroupName: `${prefix}-redis`,
                securityGroupIds: ["network-redis-sg-id"],
                atRestEncryptionEnabled: true,
                kmsKeyId: KEY("data"),
                transitEncryptionEnabled: true,
                transitEncryptionMode: "required",
                authToken: SECRET_TOKEN,
                authTokenUpdateStrategy: "ROTATE",
                automaticFailoverEnabled: s.redis.failover,
                multiAzEnabled: s.redis.failover,
                snapshotRetentionLimit: s.redis.snapshots,
                snapshotWindow: "02:00-03:00",
                maintenanceWindow: "sun:05:30-sun:06:30",
                autoMinorVersionUpgrade: true,
                finalSnapshotIdentifier: `${prefix}-redis-final-a1b2c3d4`,
                logDeliveryConfigurations: [{ destination: `/aws/elasticache/${prefix}-redis/slow-log`, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" }],
            });
            subnetGroup("elasticache", "redis-subnets", `${prefix}-redis`);
            // Both stacks hold BullMQ queues beside the cache: an evicting policy would drop jobs.
            assert.deepStrictEqual(run.one("aws:elasticache/parameterGroup:ParameterGroup", "redis-params").inputs, {
                name: `${prefix}-redis-redis7`,
                family: "redis7",
                description: `${prefix}-redis: eviction policy`,
                parameters: [{ name: "maxmemory-policy", value: "noeviction" }],
            });
        });

        it("Redis AUTH token: generated, and kept only in a Secrets Manager secret under the data key", () => {
            assert.deepStrictEqual(run.one("random:index/randomPassword:RandomPassword", "redis-auth-token").inputs, {
                length: 64,
                special: true,
                overrideSpecial: "!&#$^<>-",
                minLower: 1,
                minUpper: 1,
                minNumeric: 1,
            });
            assert.deepStrictEqual(run.one("aws:secretsmanager/secret:Secret", "redis-auth-secret").inputs, {
                namePrefix: `${prefix}-redis-auth-token-`,
                description: `AUTH token of the ${prefix}-redis Redis replication group`,
                kmsKeyId: KEY("data"),
                tags: { rotation: "manual" },
            });
            const value = run.one("aws:secretsmanager/secretVersion:SecretVersion", "redis-auth-secret-value");
            assert.deepStrictEqual(value.inputs, { secretId: "redis-auth-secret-id", secretString: SECRET_TOKEN });
            assert.ok(value.dependencies.includes(run.one("aws:elasticache/replicationGroup:ReplicationGroup", "redis-replication-group").urn));
        });

        it(`DocumentDB: encrypted with the data key, TLS and audit through its parameter group, ${s.docdb.backups}-day backups, deletion protection ${s.docdb.deletionProtection}`, () => {
            assert.deepStrictEqual(run.one("aws:docdb/cluster:Cluster", "documentdb-cluster").inputs, {
                clusterIdentifier: `${prefix}-docdb`,
                engine: "docdb",
                engineVersion: "5.0.0",
                allowMajorVersionUpgrade: true,
                applyImmediately: true,
                masterUsername: "docdbowner",
                manageMasterUserPassword: true,
                port: 27017,
                dbSubnetGroupName: `${prefix}-docdb`,
                vpcSecurityGroupIds: ["network-docdb-sg-id"],
                dbClusterParameterGroupName: `${prefix}-docdb-docdb5-0`,
                storageEncrypted: true,
                kmsKeyId: KEY("data"),
                backupRetentionPeriod: s.docdb.backups,
                preferredBackupWindow: "03:00-04:00",
                deletionProtection: s.docdb.deletionProtection,
                skipFinalSnapshot: false,
                finalSnapshotIdentifier: `${prefix}-docdb-final-a1b2c3d4`,
                enabledCloudwatchLogsExports: ["audit", "profiler"],
            });
            subnetGroup("docdb", "documentdb-subnets", `${prefix}-docdb`);
            assert.deepStrictEqual(run.one("aws:docdb/clusterParameterGroup:ClusterParameterGroup", "documentdb-params").inputs, {
                name: `${prefix}-docdb-docdb5-0`,
                family: "docdb5.0",
                description: `${prefix}-docdb: TLS only, audit and profiler logs`,
                parameters: [
                    { name: "tls", value: "enabled" },
                    { name: "audit_logs", value: "enabled" },
                    { name: "profiler", value: "enabled" },
                    { name: "profiler_threshold_ms", value: "100" },
                ],
            });
        });

        it(`DocumentDB: ${s.docdb.instances} instance(s) of ${s.docdb.instanceClass} in the cluster`, () => {
            assert.deepStrictEqual(
                run.ofType("aws:docdb/clusterInstance:ClusterInstance").map((i) => [i.name, i.inputs]),
                Array.from({ length: s.docdb.instances }, (_, n) => [
                    `documentdb-instance-${n + 1}`,
                    {
                        identifier: `${prefix}-docdb-${n + 1}`,
                        clusterIdentifier: `${prefix}-docdb`,
                        engine: "docdb",
                        instanceClass: s.docdb.instanceClass,
                        applyImmediately: true,
                        autoMinorVersionUpgrade: true,
                        caCertIdentifier: "rds-ca-rsa2048-g1",
                        copyTagsToSnapshot: true,
                    },
                ]),
            );
        });

        it(`every log group: encrypted with the logs key, kept ${s.logRetention} days`, () => {
            const groups = run.ofType("aws:cloudwatch/logGroup:LogGroup").map((g) => [g.name, g.inputs]).sort(([a], [b]) => String(a).localeCompare(String(b)));
            const group = (name: string) => ({ name, retentionInDays: s.logRetention, kmsKeyId: KEY("logs") });
            assert.deepStrictEqual(groups, [
                // The audit trail's copy of every management event (the trail itself writes to its own bucket).
                ["audit-trail-logs", group(`/aws/cloudtrail/${prefix}`)],
                ["documentdb-log-audit", group(`/aws/docdb/${prefix}-docdb/audit`)],
                ["documentdb-log-profiler", group(`/aws/docdb/${prefix}-docdb/profiler`)],
                // The CloudFront web ACL's logs live in us-east-1, under a key there.
                ["edge-cdn-waf-log-group", { ...group(`aws-waf-logs-${prefix}-cloudfront`), kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/edge-logs-key-key-id` }],
                ["edge-waf-log-group", group(`aws-waf-logs-${prefix}-regional`)],
                ["network-flow-logs", { ...group(`/${prefix}/network/vpc-flow-logs`), tags: { Name: `${prefix}-vpc-flow-logs` } }],
                ["postgres-log-postgresql", group(`/aws/rds/instance/${prefix}-postgres/postgresql`)],
                ["postgres-log-upgrade", group(`/aws/rds/instance/${prefix}-postgres/upgrade`)],
                ["redis-slow-log", group(`/aws/elasticache/${prefix}-redis/slow-log`)],
                ["service-api-logs", { ...group(`/ecs/${prefix}/api`), tags: { Name: `/ecs/${prefix}/api` } }],
                ["service-worker-logs", { ...group(`/ecs/${prefix}/worker`), tags: { Name: `/ecs/${prefix}/worker` } }],
            ]);
        });

        const retained = s.stack === "prod";
        it(`every log group ${retained ? "is kept" : "goes"} when the stack is destroyed (audit evidence in prod)`, () => {
            const groups = run.ofType("aws:cloudwatch/logGroup:LogGroup");
            assert.ok(groups.length >= 6);
            assert.deepStrictEqual(groups.map((g) => [g.name, g.retainOnDelete]), groups.map((g) => [g.name, retained]));
        });

        describe("security groups: the network's own, and what the services add to the data tier", () => {
            const SG = "aws:ec2/securityGroup:SecurityGroup";
            const RULES = ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"];
            const STORES = [["network-postgres-sg", 5432, "postgres"], ["network-redis-sg", 6379, "redis"], ["network-docdb-sg", 27017, "documentDb"]] as const;
            /** Services of the stack file that use a store: each adds exactly one ingress on the store's group. */
            const users = (store: string) => {
                const services = stackConfig(s.stack)["baseline:services"];
                return services === undefined ? 0 : (JSON.parse(services) as { uses?: string[] }[]).filter((x) => x.uses?.includes(store)).length;
            };
            const rules = () => RULES.flatMap((t) => run.ofType(t));
            const from = (r: { propertyDependencies: Record<string, string[]> }, input: string) => (r.propertyDependencies[input] ?? []).map((u) => run.byUrn(u)?.name);

            it("the network registers the load balancer's, the stores' and (prod) the endpoints' groups, no application group", () => {
                const network = run.ofType(SG).filter((g) => run.parentName(g) === "network").map((g) => [g.name, g.inputs.description]);
                assert.deepStrictEqual(network, [
                    ["network-lb-sg", "Application load balancer: HTTP and HTTPS from the internet"],
                    ["network-postgres-sg", "PostgreSQL: port 5432 from the application only"],
                    ["network-redis-sg", "Redis: port 6379 from the application only"],
                    ["network-docdb-sg", "DocumentDB: port 27017 from the application only"],
                    ...(s.stack === "prod" ? [["network-endpoints-sg", "Interface VPC endpoints: HTTPS from the application only"]] : []),
                ]);
                assert.deepStrictEqual(run.resources.filter((r) => r.name.startsWith("network-app")).map((r) => r.name), []);
            });

            it("the network's own rule is the load balancer's HTTPS from CloudFront's prefix list, nothing else", () => {
                const own = rules().filter((r) => run.parentName(r) === "network");
                assert.deepStrictEqual(
                    own.map((r) => [r.name, from(r, "securityGroupId"), r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6 ?? r.inputs.prefixListId]),
                    [["network-lb-in-https-cloudfront", ["network-lb-sg"], 443, 443, "pl-4fa04526"]],
                );
            });

            it("every rule is on a registered group and references only registered groups (none that no longer exists)", () => {
                const groups = new Set(run.ofType(SG).map((g) => g.urn));
                for (const r of rules()) {
                    for (const input of ["securityGroupId", "referencedSecurityGroupId"]) {
                        for (const u of r.propertyDependencies[input] ?? []) assert.ok(groups.has(u), `${r.name}.${input} comes from ${u}, not a registered group`);
                    }
                    assert.strictEqual((r.propertyDependencies.securityGroupId ?? []).length, 1, r.name);
                }
            });

            it("a store's group admits only a service's own group, on the store's port, with the mirror egress on that group; no CIDR, no egress", () => {
                for (const [store, port, key] of STORES) {
                    const onStore = rules().filter((r) => from(r, "securityGroupId")[0] === store);
                    assert.strictEqual(onStore.length, users(key), `${store}: one ingress per service using ${key}`);
                    for (const r of onStore) {
                        assert.ok(r.type.endsWith("IngressRule"), `${r.name}: egress on ${store}`);
                        assert.notStrictEqual(run.parentName(r), "network", `${r.name}: a rule of the network's own on ${store}`);
                        assert.deepStrictEqual([r.inputs.cidrIpv4, r.inputs.cidrIpv6, r.inputs.prefixListId, r.inputs.fromPort, r.inputs.toPort], [undefined, undefined, undefined, port, port], r.name);
                        const [peer] = from(r, "referencedSecurityGroupId");
                        const peerGroup = run.ofType(SG).find((g) => g.name === peer);
                        assert.ok(peerGroup && run.parentName(peerGroup) !== "network" && run.parentName(peerGroup) === run.parentName(r), `${r.name}: from ${peer}, not the group of the service declaring it`);
                        const mirror = rules().filter((m) => m.type.endsWith("EgressRule") && from(m, "securityGroupId")[0] === peer && from(m, "referencedSecurityGroupId")[0] === store && m.inputs.fromPort === port);
                        assert.strictEqual(mirror.length, 1, `${r.name}: no egress from ${peer} to ${store}`);
                    }
                }
            });
        });

        it("S3: the assets bucket under the storage key with a bucket key, the log bucket under SSE-S3", () => {
            const encryption = (bucket: string) =>
                run.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", `storage-${bucket}-encryption`).inputs;
            assert.deepStrictEqual(encryption("assets"), {
                bucket: `${prefix}-assets-${ACCOUNT}`,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY("storage") }, bucketKeyEnabled: true }],
            });
            assert.deepStrictEqual(encryption("logs"), {
                bucket: `${prefix}-logs-${ACCOUNT}`,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
            });
        });
    });
}
