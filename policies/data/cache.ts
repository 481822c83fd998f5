import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { ResourceReporter, resourcePolicy, tokenOf } from "../lib/define";
import { isSet, isUnknown, list, show } from "../lib/props";
import { checkFlag } from "./database-types";

/** ElastiCache (Redis OSS / Valkey) policies, catalogue ec-01..ec-05. */

const REPLICATION_GROUP = tokenOf(aws.elasticache.ReplicationGroup);

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

const labelOf = (type: string) => (type === REPLICATION_GROUP ? "ElastiCache replication group" : "ElastiCache cluster");

/**
 * A single-node aws.elasticache.Cluster that the policies judge on its own: Redis or Valkey, and not
 * a member of a replication group (members take their settings from the group).
 */
function standaloneRedis(cluster: Record<string, any>): boolean {
    if (isSet(cluster.replicationGroupId)) return false;
    return cluster.engine !== "memcached";
}

/**
 * ec-01..03 on an aws.elasticache.Cluster: Redis and Valkey get encryption, AUTH and failover only in a
 * replication group, so a standalone Redis/Valkey cluster breaks the rule by being one. Returns true
 * when the resource is a cluster (handled here: reported, or not ours to judge), false for a group.
 */
function standaloneCluster(cache: Record<string, any>, type: string, report: ResourceReporter, holds: string, rule: string): boolean {
    if (type === REPLICATION_GROUP) return false;
    if (isSet(cache.replicationGroupId)) return true; // a member: judged on its group
    if (isUnknown(cache.engine)) report.unverifiable("engine", cache.engine, holds);
    else if (cache.engine !== "memcached") report.violation(`ElastiCache cluster must ${rule}.`);
    return true;
}
const OUTSIDE = "a Redis or Valkey aws.elasticache.Cluster outside a replication group";

/** ec-01: data on disk (snapshots, swap) is encrypted. */
export const elasticacheEncryptionAtRest = resourcePolicy<{ requireCustomerKey: boolean }>({
    name: "elasticache-encryption-at-rest",
    description: "ElastiCache replication groups must encrypt data at rest (with a customer-managed KMS key when configured); Redis and Valkey must not run as standalone clusters, which cannot.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `atRestEncryptionEnabled: true` and `kmsKeyId` (a customer-managed aws.kms.Key ARN) on the aws.elasticache.ReplicationGroup; it cannot change in place, so the group is replaced.",
    securityHub: ["ElastiCache.4"],
    catalogue: ["ec-01"],
    config: {
        requireCustomerKey: { type: "boolean", default: false, description: "Also require `kmsKeyId`: a customer-managed key rather than the service-managed one." },
    },
    types: [aws.elasticache.ReplicationGroup, aws.elasticache.Cluster],
    check: (group, { type, config }, report) => {
        if (standaloneCluster(group, type, report, "data is encrypted at rest", `encrypt data at rest: ${OUTSIDE} cannot, expected an aws.elasticache.ReplicationGroup with atRestEncryptionEnabled true`)) return;
        const what = labelOf(type);
        // Valkey groups are encrypted unless told otherwise; Redis OSS groups (the default engine) are not.
        const awsDefault = group.engine === "valkey";
        checkFlag(group, what, { field: "atRestEncryptionEnabled", expected: true, awsDefault, must: "encrypt data at rest", holds: "data is encrypted at rest" }, report);
        if (!config.requireCustomerKey) return;
        const key = group.kmsKeyId;
        if (!isSet(key)) {
            report.violation(`${what} must encrypt data at rest with a customer-managed KMS key: kmsKeyId is (unset), so a service-managed key is used, expected a customer key ARN.`);
        } else if (typeof key === "string" && /(^|:)alias\/aws\//.test(key)) {
            report.violation(`${what} must encrypt data at rest with a customer-managed KMS key: kmsKeyId is ${show(key)}, an AWS-managed key, expected a customer key ARN.`);
        }
    },
});

/** ec-02: TLS on every connection, and clients must authenticate (AUTH token or RBAC user group). */
export const elasticacheTransitEncryptionAndAuth = resourcePolicy({
    name: "elasticache-transit-encryption-and-auth",
    description: "ElastiCache replication groups must require encryption in transit and authenticate clients with an auth token or a user group; Redis and Valkey must not run as standalone clusters, which cannot.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set `transitEncryptionEnabled: true` (leave `transitEncryptionMode` unset or `required`) and either `authToken` from a generated secret or " +
        "`userGroupIds` with an aws.elasticache.UserGroup on the aws.elasticache.ReplicationGroup.",
    securityHub: ["ElastiCache.5", "ElastiCache.6"],
    catalogue: ["ec-02"],
    types: [aws.elasticache.ReplicationGroup, aws.elasticache.Cluster],
    check: (group, { type }, report) => {
        const rule = `encrypt data in transit and authenticate clients: ${OUTSIDE} supports neither, expected an aws.elasticache.ReplicationGroup with transitEncryptionEnabled true and an auth token or user group`;
        if (standaloneCluster(group, type, report, "data is encrypted in transit and clients authenticate", rule)) return;
        const what = labelOf(type);
        checkFlag(group, what, { field: "transitEncryptionEnabled", expected: true, awsDefault: false, must: "encrypt data in transit", holds: "data is encrypted in transit" }, report);
        const mode = group.transitEncryptionMode;
        if (isUnknown(mode)) report.unverifiable("transitEncryptionMode", mode, "plaintext connections are refused");
        else if (mode === "preferred") {
            report.violation(`${what} must refuse plaintext connections: transitEncryptionMode is "preferred", which still accepts them, expected "required" or unset.`);
        }
        // authToken arrives as a secret, unwrapped by the evaluator: test its presence, never print it.
        const userGroups = group.userGroupIds;
        const authenticated = isSet(group.authToken) || isSet(group.authTokenWo) || isUnknown(userGroups) || list(userGroups).length > 0;
        if (!authenticated) {
            report.violation(`${what} must authenticate clients: authToken, authTokenWo and userGroupIds are unset or empty, expected an auth token or a user group.`);
        }
    },
});

/** ec-03: a replica in another availability zone is promoted when the primary fails. */
export const elasticacheMultiAzFailover = resourcePolicy({
    name: "elasticache-multi-az-failover",
    description: "ElastiCache replication groups must have automatic failover and Multi-AZ enabled; Redis and Valkey must not run as standalone single-node clusters.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `automaticFailoverEnabled: true` and `multiAzEnabled: true` with `numCacheClusters` of at least 2 on the aws.elasticache.ReplicationGroup (staging's policy config may make this advisory).",
    securityHub: ["ElastiCache.3"],
    catalogue: ["ec-03"],
    types: [aws.elasticache.ReplicationGroup, aws.elasticache.Cluster],
    check: (group, { type }, report) => {
        const rule = `fail over automatically to another availability zone: ${OUTSIDE} is a single node, expected an aws.elasticache.ReplicationGroup with automaticFailoverEnabled and multiAzEnabled true`;
        if (standaloneCluster(group, type, report, "the cache fails over automatically", rule)) return;
        const what = labelOf(type);
        checkFlag(group, what, { field: "automaticFailoverEnabled", expected: true, awsDefault: false, must: "fail over automatically", holds: "automatic failover is on" }, report);
        checkFlag(group, what, { field: "multiAzEnabled", expected: true, awsDefault: false, must: "be Multi-AZ", holds: "Multi-AZ is on" }, report);
    },
});

/** ec-04: daily snapshots to restore from, and minor versions (security fixes) applied automatically. */
export const elasticacheBackupsAndUpgrades = resourcePolicy<{ minimumSnapshotDays: number }>({
    name: "elasticache-backups-and-upgrades",
    description: "ElastiCache replication groups and Redis clusters must keep automatic snapshots for at least the configured days and apply minor engine upgrades automatically.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `snapshotRetentionLimit` to at least the configured minimum and leave `autoMinorVersionUpgrade` unset or true on the aws.elasticache.ReplicationGroup or aws.elasticache.Cluster.",
    securityHub: ["ElastiCache.1", "ElastiCache.2"],
    catalogue: ["ec-04"],
    config: {
        minimumSnapshotDays: { type: "integer", minimum: 1, maximum: 35, default: 1, description: "Fewest days of automatic snapshots allowed." },
    },
    types: [aws.elasticache.ReplicationGroup, aws.elasticache.Cluster],
    check: (cache, { type, config }, report) => {
        if (type !== REPLICATION_GROUP && !standaloneRedis(cache)) return;
        const what = labelOf(type);
        const minimum = config.minimumSnapshotDays;
        const days = cache.snapshotRetentionLimit;
        const effective = days ?? 0; // unset: no snapshots
        if (isUnknown(days)) report.unverifiable("snapshotRetentionLimit", days, `snapshots are kept for at least ${plural(minimum, "day")}`);
        else if (typeof effective !== "number" || effective < minimum) {
            const found = days === undefined || days === 0 ? `${show(days)}, so backups are off` : show(days);
            report.violation(`${what} must keep automatic snapshots for at least ${plural(minimum, "day")}: snapshotRetentionLimit is ${found}, expected at least ${minimum}.`);
        }
        // A string ("true"/"false") on aws.elasticache.Cluster, a boolean on the replication group.
        const upgrade = cache.autoMinorVersionUpgrade;
        if (isUnknown(upgrade)) report.unverifiable("autoMinorVersionUpgrade", upgrade, "minor upgrades are automatic");
        else if (upgrade === false || upgrade === "false") {
            report.violation(`${what} must apply minor engine upgrades automatically: autoMinorVersionUpgrade is ${show(upgrade)}, expected true or unset.`);
        }
    },
});

/** ec-05: the default subnet group spans the default VPC's subnets, which are public. */
export const elasticacheSubnetGroup = resourcePolicy({
    name: "elasticache-subnet-group",
    description: "ElastiCache replication groups and clusters must use a subnet group of their own, not the default one.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Create an aws.elasticache.SubnetGroup from the VPC's private or isolated subnets and pass its name as `subnetGroupName`.",
    securityHub: ["ElastiCache.7"],
    catalogue: ["ec-05"],
    types: [aws.elasticache.ReplicationGroup, aws.elasticache.Cluster],
    check: (cache, { type }, report) => {
        if (type !== REPLICATION_GROUP && isSet(cache.replicationGroupId)) return; // members use the group's
        const name = cache.subnetGroupName;
        if (!isSet(name) || name === "default") {
            const found = name === undefined ? "(unset), so ElastiCache uses the default subnet group" : show(name);
            report.violation(`${labelOf(type)} must use a subnet group of its own: subnetGroupName is ${found}, expected an aws.elasticache.SubnetGroup of private subnets.`);
        }
    },
});

export const cachePolicies: Policies = [
    elasticacheEncryptionAtRest, // ec-01
    elasticacheTransitEncryptionAndAuth, // ec-02
    elasticacheMultiAzFailover, // ec-03
    elasticacheBackupsAndUpgrades, // ec-04
    elasticacheSubnetGroup, // ec-05
];
