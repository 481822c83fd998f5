import * as assert from "assert";
import { RecordedResource, Run, runStack } from "./harness";

/**
 * Pulumi identifies a resource by its URN: type, name and parent chain. A refactor that changes any
 * of them for a database, bucket or key makes Pulumi replace it (delete the data) unless it carries an
 * alias. So does a change of the AWS name the provider replaces on (an RDS identifier, a bucket name).
 * These tables are the contract: change them only together with `aliases` or a planned migration.
 */
const STATEFUL_TYPES = [
    "aws:kms/key:Key",
    "aws:rds/instance:Instance",
    "aws:docdb/cluster:Cluster",
    "aws:docdb/clusterInstance:ClusterInstance",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:s3/bucket:Bucket",
    "aws:ecr/repository:Repository",
    "aws:backup/vault:Vault",
];
/**
 * Kept like the data though of another type: the flow-log and trail log groups are audit evidence (the other
 * log groups are not), the generated secret and the SecureString hold values only AWS has.
 */
const KEPT_BY_NAME = ["network-flow-logs", "audit-trail-logs", "app-settings-secret-JWT_SIGNING_SECRET", "app-settings-param-PAYMENT_GATEWAY_API_KEY"];

const IDENTITIES = [
    "urn:pulumi:STACK::baseline::baseline:data:DocumentDb$aws:docdb/cluster:Cluster::documentdb-cluster",
    "urn:pulumi:STACK::baseline::baseline:data:DocumentDb$aws:docdb/clusterInstance:ClusterInstance::documentdb-instance-1",
    "urn:pulumi:STACK::baseline::baseline:data:Postgres$aws:rds/instance:Instance::postgres-instance",
    "urn:pulumi:STACK::baseline::baseline:data:Redis$aws:elasticache/replicationGroup:ReplicationGroup::redis-replication-group",
    "urn:pulumi:STACK::baseline::baseline:network:Network$aws:cloudwatch/logGroup:LogGroup::network-flow-logs",
    "urn:pulumi:STACK::baseline::baseline:security:Keys$aws:kms/key:Key::keys-data",
    "urn:pulumi:STACK::baseline::baseline:security:Keys$aws:kms/key:Key::keys-logs",
    "urn:pulumi:STACK::baseline::baseline:security:Keys$aws:kms/key:Key::keys-storage",
    // The CloudFront web ACL's log key, in us-east-1.
    "urn:pulumi:STACK::baseline::baseline:security:LogsKey$aws:kms/key:Key::edge-logs-key",
    "urn:pulumi:STACK::baseline::baseline:storage:Buckets$aws:s3/bucket:Bucket::storage-assets",
    "urn:pulumi:STACK::baseline::baseline:storage:Buckets$aws:s3/bucket:Bucket::storage-logs",
    // A service's logical name carries its configured name: renaming a service in config is a new service.
    "urn:pulumi:STACK::baseline::baseline:compute:Service$aws:ecr/repository:Repository::service-api-repo",
    "urn:pulumi:STACK::baseline::baseline:compute:Service$aws:ecr/repository:Repository::service-worker-repo",
    "urn:pulumi:STACK::baseline::baseline:operations:AlertTopic$aws:kms/key:Key::alerts-key",
    "urn:pulumi:STACK::baseline::baseline:operations:AuditTrail$aws:kms/key:Key::audit-trail-key",
    "urn:pulumi:STACK::baseline::baseline:operations:AuditTrail$aws:s3/bucket:Bucket::audit-trail-bucket",
    "urn:pulumi:STACK::baseline::baseline:operations:AuditTrail$aws:cloudwatch/logGroup:LogGroup::audit-trail-logs",
    "urn:pulumi:STACK::baseline::baseline:operations:BackupVault$aws:kms/key:Key::backup-vault-key",
    "urn:pulumi:STACK::baseline::baseline:operations:BackupVault$aws:backup/vault:Vault::backup-vault",
    "urn:pulumi:STACK::baseline::baseline:operations:AppSettings$aws:secretsmanager/secret:Secret::app-settings-secret-JWT_SIGNING_SECRET",
    "urn:pulumi:STACK::baseline::baseline:operations:AppSettings$aws:ssm/parameter:Parameter::app-settings-param-PAYMENT_GATEWAY_API_KEY",
];
/** Only prod copies its recovery points to a second region. */
const COPY_REGION_IDENTITIES = [
    "urn:pulumi:STACK::baseline::baseline:operations:BackupVault$aws:kms/key:Key::backup-copy-vault-key",
    "urn:pulumi:STACK::baseline::baseline:operations:BackupVault$aws:backup/vault:Vault::backup-copy-vault",
];

/** The input each stateful resource is replaced on when it changes; keys have none (their aliases can move). */
const PHYSICAL_NAME: Record<string, string> = {
    "aws:rds/instance:Instance": "identifier",
    "aws:docdb/cluster:Cluster": "clusterIdentifier",
    "aws:docdb/clusterInstance:ClusterInstance": "identifier",
    "aws:elasticache/replicationGroup:ReplicationGroup": "replicationGroupId",
    "aws:s3/bucket:Bucket": "bucket",
    "aws:cloudwatch/logGroup:LogGroup": "name",
    "aws:ecr/repository:Repository": "name",
    "aws:backup/vault:Vault": "name",
    "aws:secretsmanager/secret:Secret": "name",
    "aws:ssm/parameter:Parameter": "name",
};

const stateful = (run: Run) => run.resources.filter((r) => STATEFUL_TYPES.includes(r.type) || KEPT_BY_NAME.includes(r.name));
const byName = (a: RecordedResource, b: RecordedResource) => a.name.localeCompare(b.name);

describe("stateful resource identity", () => {
    for (const [stack, protect, extraInstances] of [["prod", true, ["documentdb-instance-2"]], ["staging", false, []]] as const) {
        describe(stack, () => {
            let run: Run;
            before(async () => {
                run = await runStack(stack);
            });

            it("keeps the URN (type, name, parent) of every database, cache, bucket, key and the flow-log group", () => {
                const expected = [
                    ...IDENTITIES,
                    ...(stack === "prod" ? COPY_REGION_IDENTITIES : []),
                    ...extraInstances.map((n) => `urn:pulumi:STACK::baseline::baseline:data:DocumentDb$aws:docdb/clusterInstance:ClusterInstance::${n}`),
                ].map((u) => u.replace("STACK", stack));
                assert.deepStrictEqual(stateful(run).map((r) => r.urn).sort(), expected.sort());
            });

            it("keeps the AWS name each of them is replaced on", () => {
                const names = stateful(run)
                    .filter((r) => PHYSICAL_NAME[r.type])
                    .sort(byName)
                    .map((r) => [r.name, r.inputs[PHYSICAL_NAME[r.type]]]);
                assert.deepStrictEqual(names, [
                    ["app-settings-param-PAYMENT_GATEWAY_API_KEY", `/pos/${stack}/PAYMENT_GATEWAY_API_KEY`],
                    ["app-settings-secret-JWT_SIGNING_SECRET", `pos/${stack}/JWT_SIGNING_SECRET`],
                    ["audit-trail-bucket", `pos-${stack}-trail-123456789012`],
                    ["audit-trail-logs", `/aws/cloudtrail/pos-${stack}`],
                    // The suffix is drawn once per stack and kept in state (the mock's RandomId hex here).
                    ...(stack === "prod" ? [["backup-copy-vault", "pos-prod-a1b2c3d4"]] : []),
                    ["backup-vault", `pos-${stack}-a1b2c3d4`],
                    ["documentdb-cluster", `pos-${stack}-docdb`],
                    ["documentdb-instance-1", `pos-${stack}-docdb-1`],
                    ...(stack === "prod" ? [["documentdb-instance-2", "pos-prod-docdb-2"]] : []),
                    ["network-flow-logs", `/pos-${stack}/network/vpc-flow-logs`],
                    ["postgres-instance", `pos-${stack}-postgres`],
                    ["redis-replication-group", `pos-${stack}-redis`],
                    ["service-api-repo", `pos-${stack}/api`],
                    ["service-worker-repo", `pos-${stack}/worker`],
                    ["storage-assets", `pos-${stack}-assets-123456789012`],
                    ["storage-logs", `pos-${stack}-logs-123456789012`],
                ]);
            });

            it(`${protect ? "protects them and retains them on delete" : "neither protects them nor retains them on delete, but keeps the keys"}`, () => {
                // DocumentDB instances hold no data of their own: the cluster's storage outlives them.
                const primary = stateful(run).filter((r) => r.type !== "aws:docdb/clusterInstance:ClusterInstance").sort(byName);
                // Keys outlive a destroy everywhere: the snapshots and backups it leaves are encrypted with them. So do
                // the backup vaults: AWS refuses to delete one that holds recovery points, and they are the backups.
                const retained = (name: string) => name.endsWith("-key") || name.startsWith("keys-") || name.endsWith("-vault") || protect;
                assert.deepStrictEqual(
                    primary.map((r) => [r.name, r.protect, r.retainOnDelete]),
                    [
                        "alerts-key", "app-settings-param-PAYMENT_GATEWAY_API_KEY", "app-settings-secret-JWT_SIGNING_SECRET", "audit-trail-bucket", "audit-trail-key",
                        "audit-trail-logs", ...(protect ? ["backup-copy-vault", "backup-copy-vault-key"] : []), "backup-vault", "backup-vault-key",
                        "documentdb-cluster", "edge-logs-key", "keys-data", "keys-logs", "keys-storage", "network-flow-logs",
                        "postgres-instance", "redis-replication-group", "service-api-repo", "service-worker-repo", "storage-assets", "storage-logs",
                    ].map((name) => [name, protect, retained(name)]),
                );
            });

            it("gives every AWS resource a component parent", () => {
                // The fixed-settings guard belongs to the stack as a whole, and holds nothing in AWS; so does the us-east-1 provider.
                const orphans = run.resources.filter((r) => r.custom && !r.parent && r.name !== "fixed-settings" && r.type !== "pulumi:providers:aws").map((r) => r.name);
                assert.deepStrictEqual(orphans, []);
            });
        });
    }
});
