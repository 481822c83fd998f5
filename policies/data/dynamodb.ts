import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { ResourceReporter, resourcePolicy, tokenOf } from "../lib/define";
import { at, isSet, isUnknown, list, show } from "../lib/props";

/**
 * DynamoDB tables, their replicas in other regions (inline `replicas` of aws.dynamodb.Table, or
 * aws.dynamodb.TableReplica resources: each replica has its own PITR, deletion protection and key,
 * so a global table is only as protected as its least protected replica), and DAX clusters.
 */

const TABLE = tokenOf(aws.dynamodb.Table);

/** A replica entry's name in messages: its region when known. */
function replicaLabel(replica: unknown, i: number): string {
    const region = at(replica, "regionName");
    return typeof region === "string" && !isUnknown(region) ? `replica in ${show(region)}` : `replica ${i}`;
}

/**
 * Check a boolean that must be true on the table (at `path`) and on each inline replica (at `replicaKey`),
 * or on a TableReplica resource (at `replicaKey`).
 */
function requireTrue(props: Record<string, any>, type: string, path: string, replicaKey: string, rule: string, requirement: string, report: ResourceReporter) {
    const what = type === TABLE ? "DynamoDB table" : "DynamoDB table replica";
    const own = type === TABLE ? path : replicaKey;
    const value = at(props, own);
    if (isUnknown(value)) report.unverifiable(own, value, requirement);
    else if (value !== true) report.violation(`${what} must ${rule}: ${own} is ${show(value ?? undefined)}, expected true.`);
    if (type !== TABLE) return;
    if (isUnknown(props.replicas)) return report.unverifiable("replicas", props.replicas, `every replica is set to ${rule}`);
    list(props.replicas).forEach((replica, i) => {
        const v = at(replica, replicaKey);
        if (isUnknown(v) || isUnknown(replica)) report.unverifiable(`replicas[${i}].${replicaKey}`, v, `the table's ${replicaLabel(replica, i)} is set to ${rule}`);
        else if (v !== true) report.violation(`DynamoDB table's ${replicaLabel(replica, i)} must ${rule}: replicas[${i}].${replicaKey} is ${show(v ?? undefined)}, expected true.`);
    });
}

/** ddb-01 (DynamoDB.2): restores to any second of the last 35 days after a bad write or delete. Replicas default to off. */
export const dynamodbPointInTimeRecovery = resourcePolicy({
    name: "dynamodb-point-in-time-recovery",
    description: "DynamoDB tables and every replica (inline replicas and aws.dynamodb.TableReplica) must have point-in-time recovery enabled.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `pointInTimeRecovery: { enabled: true }` on the aws.dynamodb.Table, `pointInTimeRecovery: true` on each entry of its `replicas`, and `pointInTimeRecovery: true` on each aws.dynamodb.TableReplica.",
    securityHub: ["DynamoDB.2"],
    catalogue: ["ddb-01"],
    types: [aws.dynamodb.Table, aws.dynamodb.TableReplica],
    check: (props, { type }, report) =>
        requireTrue(props, type, "pointInTimeRecovery.enabled", "pointInTimeRecovery", "have point-in-time recovery", "point-in-time recovery is enabled", report),
});

/**
 * ddb-02 (DynamoDB.6): a delete through the API (or a `pulumi destroy`, or a replacement) fails while it
 * is on. Advisory by default, since dev and test tables are meant to be thrown away; prod's policy config
 * makes it mandatory.
 */
export const dynamodbDeletionProtection = resourcePolicy({
    name: "dynamodb-deletion-protection",
    description: "DynamoDB tables and every replica must have deletion protection enabled.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Set `deletionProtectionEnabled: true` on the aws.dynamodb.Table, on each entry of its `replicas`, and on each aws.dynamodb.TableReplica.",
    securityHub: ["DynamoDB.6"],
    catalogue: ["ddb-02"],
    types: [aws.dynamodb.Table, aws.dynamodb.TableReplica],
    check: (props, { type }, report) =>
        requireTrue(props, type, "deletionProtectionEnabled", "deletionProtectionEnabled", "have deletion protection", "deletion protection is enabled", report),
});

/** The AWS-managed DynamoDB key, by alias or alias ARN: KMS, but not a key the account's policy governs. */
const AWS_MANAGED_DDB_KEY = /^(alias\/aws\/dynamodb|arn:aws[\w-]*:kms:[^:]*:[^:]*:alias\/aws\/dynamodb)$/i;

function keyProblem(key: unknown): string | undefined {
    if (isUnknown(key)) return undefined; // a key ARN from this stack
    if (!isSet(key)) return "(unset)";
    if (typeof key !== "string") return show(key);
    return AWS_MANAGED_DDB_KEY.test(key) ? `${show(key)}, the AWS-managed key` : undefined;
}

/**
 * ddb-03: where the organization requires it (`requireCustomerKey`), tables are encrypted with a
 * key whose policy the account controls. DynamoDB always encrypts at rest (an AWS-owned key when
 * `serverSideEncryption` is off, the AWS-managed alias/aws/dynamodb when on without a key), so without the
 * flag there is nothing to refuse. A replica in another region needs its own key (replicas[].kmsKeyArn).
 */
export const dynamodbCustomerManagedKey = resourcePolicy<{ requireCustomerKey: boolean }>({
    name: "dynamodb-customer-managed-key",
    description: "Where configured, DynamoDB tables and their replicas must be encrypted with a customer-managed KMS key.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `serverSideEncryption: { enabled: true, kmsKeyArn: key.arn }` on the aws.dynamodb.Table, `kmsKeyArn` (a key in the replica's region) on each entry of `replicas` and on each aws.dynamodb.TableReplica.",
    catalogue: ["ddb-03"],
    config: {
        requireCustomerKey: { type: "boolean", default: false, description: "Require a customer-managed KMS key on every table and replica (DynamoDB otherwise encrypts with an AWS-owned or AWS-managed key)." },
    },
    types: [aws.dynamodb.Table, aws.dynamodb.TableReplica],
    check: (props, { type, config }, report) => {
        if (!config.requireCustomerKey) return;
        const rule = "be encrypted with a customer-managed KMS key";
        if (type !== TABLE) {
            const problem = keyProblem(props.kmsKeyArn);
            if (problem) report.violation(`DynamoDB table replica must ${rule}: kmsKeyArn is ${problem}, expected a customer key ARN in the replica's region.`);
            return;
        }
        const sse = props.serverSideEncryption;
        const enabled = at(sse, "enabled");
        if (isUnknown(sse) || isUnknown(enabled)) report.unverifiable("serverSideEncryption.enabled", enabled, "the table is encrypted with a customer-managed KMS key");
        else if (enabled !== true) report.violation(`DynamoDB table must ${rule}: serverSideEncryption.enabled is ${show(enabled ?? undefined)}, which means the AWS-owned key, expected true with kmsKeyArn.`);
        else {
            const problem = keyProblem(at(sse, "kmsKeyArn"));
            if (problem) report.violation(`DynamoDB table must ${rule}: serverSideEncryption.kmsKeyArn is ${problem}, expected a customer key ARN.`);
        }
        if (isUnknown(props.replicas)) return report.unverifiable("replicas", props.replicas, "every replica is encrypted with a customer-managed KMS key");
        list(props.replicas).forEach((replica, i) => {
            const problem = isUnknown(replica) ? undefined : keyProblem(at(replica, "kmsKeyArn"));
            if (problem) report.violation(`DynamoDB table's ${replicaLabel(replica, i)} must ${rule}: replicas[${i}].kmsKeyArn is ${problem}, expected a customer key ARN in the replica's region.`);
        });
    },
});

/**
 * ddb-04 (DynamoDB.3, DynamoDB.7): DAX caches table items in memory and on its nodes; both settings can
 * only be chosen when the cluster is created (changing them replaces it).
 */
export const daxEncryption = resourcePolicy({
    name: "dax-encryption",
    description: "DAX clusters must be encrypted at rest and in transit (TLS endpoint).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: 'On the aws.dax.Cluster set `serverSideEncryption: { enabled: true }` and `clusterEndpointEncryptionType: "TLS"` (both replace an existing cluster: create the new one, move clients to its TLS endpoint, then delete the old).',
    securityHub: ["DynamoDB.3", "DynamoDB.7"],
    catalogue: ["ddb-04"],
    types: [aws.dax.Cluster],
    check: (cluster, _ctx, report) => {
        const sse = cluster.serverSideEncryption;
        const enabled = at(sse, "enabled");
        if (isUnknown(sse) || isUnknown(enabled)) report.unverifiable("serverSideEncryption.enabled", enabled, "the DAX cluster is encrypted at rest");
        else if (enabled !== true) report.violation(`DAX cluster must be encrypted at rest: serverSideEncryption.enabled is ${show(enabled ?? undefined)}, expected true.`);
        const tls = cluster.clusterEndpointEncryptionType;
        if (isUnknown(tls)) report.unverifiable("clusterEndpointEncryptionType", tls, "the DAX cluster endpoint uses TLS");
        else if (typeof tls !== "string" || tls.toUpperCase() !== "TLS") {
            report.violation(`DAX cluster must encrypt in transit: clusterEndpointEncryptionType is ${show(tls ?? undefined)}, expected "TLS".`);
        }
    },
});

export const dynamodbPolicies: Policies = [dynamodbPointInTimeRecovery, dynamodbDeletionProtection, dynamodbCustomerManagedKey, daxEncryption];
