import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { ResourceReporter, StackResource, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { at, isSet, isUnknown, list, show } from "../lib/props";
import { ofType } from "../lib/by-type";
import { hasUnknown, knownIds, refersTo, sourcesOf, unresolved } from "../lib/joins";

/**
 * ElastiCache Serverless and user groups (catalogue ecsv-01..05) and MemoryDB (mdb-01..04). No Security Hub control
 * applies: ElastiCache.1..7 evaluate AWS::ElastiCache::CacheCluster and ReplicationGroup only
 * (docs.aws.amazon.com/securityhub/latest/userguide/elasticache-controls.html), and the FSBP control
 * list has no MemoryDB control. What a preview cannot decide, because AWS does it whatever the inputs say:
 * serverless caches always encrypt in transit and at rest ("All serverless caches have in-transit
 * encryption enabled", ElastiCache in-transit-encryption.html), as MemoryDB encrypts at rest; so the only
 * encryption input is the key, checked when `requireCustomerKey` is set.
 */

const SERVERLESS = tokenOf(aws.elasticache.ServerlessCache);
const MEMORYDB = tokenOf(aws.memorydb.Cluster);
const USER = tokenOf(aws.elasticache.User);
const USER_GROUP = tokenOf(aws.elasticache.UserGroup);
const USER_GROUP_ASSOCIATION = tokenOf(aws.elasticache.UserGroupAssociation);

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
const labelOf = (type: string) => (type === SERVERLESS ? "ElastiCache serverless cache" : "MemoryDB cluster");

/**
 * Whether a serverless cache runs Valkey or Redis OSS (snapshots and user groups exist only for those):
 * true, false (Memcached), or undefined when the engine is unknown until apply (reported here).
 */
function redisLike(cache: Record<string, any>, report: ResourceReporter, holds: string): boolean | undefined {
    const engine = cache.engine;
    if (isUnknown(engine)) {
        report.unverifiable("engine", engine, holds);
        return undefined;
    }
    return typeof engine !== "string" || engine.toLowerCase() !== "memcached";
}

/** Snapshot retention of at least `minimum` days; unset keeps none (MemoryDB defaults to 0; CreateServerlessCache documents no default). */
function checkRetention(props: Record<string, any>, what: string, minimum: number, report: ResourceReporter): void {
    const days = props.snapshotRetentionLimit;
    if (isUnknown(days)) report.unverifiable("snapshotRetentionLimit", days, `snapshots are kept for at least ${plural(minimum, "day")}`);
    else if (typeof days !== "number" || days < minimum) {
        const found = days === undefined ? "(unset), so no automatic snapshots are kept" : days === 0 ? "0, so automatic snapshots are off" : show(days);
        report.violation(`${what} must keep automatic snapshots for at least ${plural(minimum, "day")}: snapshotRetentionLimit is ${found}, expected at least ${minimum}.`);
    }
}

const MINIMUM_SNAPSHOT_DAYS = {
    minimumSnapshotDays: { type: "integer" as const, minimum: 1, maximum: 35, default: 1, description: "Fewest days of automatic snapshots allowed." },
};

/** ecsv-01: a serverless Valkey/Redis cache keeps daily snapshots to restore from. */
export const elasticacheServerlessSnapshots = resourcePolicy<{ minimumSnapshotDays: number }>({
    name: "elasticache-serverless-snapshots",
    description: "Valkey and Redis OSS ElastiCache serverless caches must keep automatic daily snapshots for at least the configured days.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set `snapshotRetentionLimit` to at least the configured minimum (and `dailySnapshotTime`, e.g. "03:00", outside peak hours) on the aws.elasticache.ServerlessCache.',
    catalogue: ["ecsv-01"],
    config: MINIMUM_SNAPSHOT_DAYS,
    types: [aws.elasticache.ServerlessCache],
    check: (cache, { config }, report) => {
        if (redisLike(cache, report, "automatic snapshots are kept") !== true) return;
        checkRetention(cache, labelOf(SERVERLESS), config.minimumSnapshotDays, report);
    },
});

/**
 * ecsv-02: role-based access control is the only way to control access to a serverless cache (ElastiCache
 * "Role-Based Access Control (RBAC)", Clusters.RBAC.html); without a user group every client that reaches
 * the endpoint is the default user, with no password.
 */
export const elasticacheServerlessUserGroup = resourcePolicy({
    name: "elasticache-serverless-user-group",
    description: "Valkey and Redis OSS ElastiCache serverless caches must authenticate clients through a user group.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Create aws.elasticache.User resources (passwords from a generated secret, or IAM authentication) and an aws.elasticache.UserGroup holding them " +
        "(and a disabled `default` user), and pass its id as `userGroupId` on the aws.elasticache.ServerlessCache.",
    catalogue: ["ecsv-02"],
    types: [aws.elasticache.ServerlessCache],
    check: (cache, _ctx, report) => {
        if (redisLike(cache, report, "clients authenticate through a user group") !== true) return;
        if (!isSet(cache.userGroupId)) {
            report.violation(`ElastiCache serverless cache must authenticate clients through a user group: userGroupId is ${show(cache.userGroupId ?? undefined)}, so any client that reaches it is the default user without a password, expected the id of an aws.elasticache.UserGroup.`);
        }
    },
});

/** Whether an access string lets the user in: the last of `on`/`off` wins, and neither means off (ElastiCache RBAC). */
export function accessOn(accessString: string): boolean {
    const switches = accessString.trim().split(/\s+/).filter((t) => /^(on|off)$/i.test(t));
    return switches.length > 0 && switches[switches.length - 1].toLowerCase() === "on";
}

/** Why a user of the stack admits clients without a password ("" when it does not), or the path of an unknown value. */
function openUser(user: StackResource): { why?: string; unknown?: string } {
    const p = user.props;
    const type = at(p, "authenticationMode.type");
    if (isUnknown(p.noPasswordRequired) || isUnknown(type)) return { unknown: isUnknown(type) ? "authenticationMode.type" : "noPasswordRequired" };
    const nopass = p.noPasswordRequired === true || p.noPasswordRequired === "true" || (typeof type === "string" && type.toLowerCase() === "no-password-required");
    if (!nopass) return {};
    if (isUnknown(p.accessString)) return { unknown: "accessString" };
    if (typeof p.accessString === "string" && !accessOn(p.accessString)) return {};
    return { why: `aws.elasticache.User "${user.name}" needs no password and has access string ${show(p.accessString)}` };
}

/**
 * ecsv-05: a user group is only as strong as its weakest member. The built-in `default` user (userId
 * "default") has no password and access "on ~* +@all"; a user with noPasswordRequired and an access
 * string that is on is the same. Applies to the groups of serverless caches and replication groups alike.
 */
export const elasticacheUserGroupNoOpenUser = stackPolicy({
    name: "elasticache-user-group-no-open-user",
    description: "ElastiCache user groups must not hold a user that connects without a password: the built-in default user, or a user with noPasswordRequired whose access string is on.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        'Replace "default" in the aws.elasticache.UserGroup\'s `userIds` with an aws.elasticache.User named "default" (`userName: "default"`, its own `userId`) whose ' +
        '`accessString` is "off -@all" or which has a password; give every other user `authenticationMode: { type: "password", passwords: [...] }` or `{ type: "iam" }`.',
    catalogue: ["ecsv-05"],
    types: [USER_GROUP],
    check: (resources, _ctx, report) => {
        const groups = ofType(resources, USER_GROUP);
        if (groups.length === 0) return;
        const users = ofType(resources, USER);
        const associations = ofType(resources, USER_GROUP_ASSOCIATION);
        for (const group of groups) {
            const requirement = `no member of user group "${group.name}" connects without a password`;
            const mine = associations.filter((a) => refersTo(a, "userGroupId", group, { ids: ["userGroupId"] }));
            const members = new Set<StackResource>([
                ...sourcesOf(group, "userIds", USER),
                ...users.filter((u) => knownIds(group.props.userIds).includes(u.props.userId)),
                ...mine.flatMap((a) => [...sourcesOf(a, "userId", USER), ...users.filter((u) => knownIds(a.props.userId).includes(u.props.userId))]),
            ]);
            const literals = [...knownIds(group.props.userIds), ...mine.flatMap((a) => knownIds(a.props.userId))];
            if (literals.includes("default") && ![...members].some((u) => u.props.userId === "default")) {
                report.violation(group, 'ElastiCache user group must not admit clients without a password: it holds "default", the built-in default user with no password and access "on ~* +@all", expected an aws.elasticache.User named "default" with a password or an access string that is off.');
            }
            for (const user of members) {
                const { why, unknown } = openUser(user);
                if (why) report.violation(group, `ElastiCache user group must not admit clients without a password: ${why}, expected a password or IAM authentication, or an access string that is off.`);
                else if (unknown) report.unverifiable(user, unknown, requirement);
            }
            const untraced = hasUnknown(group.props.userIds) && sourcesOf(group, "userIds", USER).length === 0 ? { r: group, path: "userIds" }
                : mine.filter((a) => unresolved(a, "userId", USER)).map((a) => ({ r: a, path: "userId" }))[0];
            if (untraced) report.unverifiable(untraced.r, untraced.path, requirement);
        }
    },
});

/** Unset, empty, or a list with no entry: the input names no security group. */
const noneNamed = (value: unknown) => !isUnknown(value) && list(value).filter((v) => isSet(v)).length === 0;

/** ecsv-03 / mdb-03: the store's endpoint sits in subnets and behind security groups that the stack chose. */
export const cacheStoreNetworkPlacement = resourcePolicy({
    name: "cache-store-network-placement",
    description: "ElastiCache serverless caches and MemoryDB clusters must name their security groups and their subnets (a subnet group of their own), not fall back on the VPC's default security group or the default VPC.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps:
        "On the aws.elasticache.ServerlessCache set `securityGroupIds` and `subnetIds` (private subnets); on the aws.memorydb.Cluster set `securityGroupIds` and " +
        "`subnetGroupName` (an aws.memorydb.SubnetGroup of private subnets). Admit only the application's security group on the port.",
    catalogue: ["ecsv-03", "mdb-03"],
    types: [aws.elasticache.ServerlessCache, aws.memorydb.Cluster],
    check: (store, { type }, report) => {
        const what = labelOf(type);
        if (noneNamed(store.securityGroupIds)) {
            report.violation(`${what} must name its security groups: securityGroupIds is ${show(store.securityGroupIds ?? undefined)}, so the VPC's default security group applies, expected the ids of security groups that admit only its clients.`);
        }
        if (type === SERVERLESS && noneNamed(store.subnetIds)) {
            report.violation(`${what} must name its subnets: subnetIds is ${show(store.subnetIds ?? undefined)}, so AWS uses the default VPC's subnets, expected the ids of private subnets.`);
        }
        if (type === MEMORYDB && (!isSet(store.subnetGroupName) || store.subnetGroupName === "default")) {
            const found = isSet(store.subnetGroupName) ? show(store.subnetGroupName) : "(unset), so the default VPC's subnets are used";
            report.violation(`${what} must use a subnet group of its own: subnetGroupName is ${found}, expected an aws.memorydb.SubnetGroup of private subnets.`);
        }
    },
});

/** ecsv-04 / mdb-04: data at rest under a key the account controls (its policy, its rotation, its audit trail). */
export const cacheStoreCustomerKey = resourcePolicy<{ requireCustomerKey: boolean }>({
    name: "cache-store-customer-key",
    description: "When configured, ElastiCache serverless caches and MemoryDB clusters must encrypt data at rest with a customer-managed KMS key (AWS always encrypts them, by default with a key it owns).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `kmsKeyId` (aws.elasticache.ServerlessCache) or `kmsKeyArn` (aws.memorydb.Cluster) to the ARN of a customer-managed aws.kms.Key; the store is replaced, so restore from a snapshot.",
    catalogue: ["ecsv-04", "mdb-04"],
    config: {
        requireCustomerKey: { type: "boolean", default: false, description: "Require a customer-managed key; off by default, as the AWS-owned key already encrypts at rest." },
    },
    types: [aws.elasticache.ServerlessCache, aws.memorydb.Cluster],
    check: (store, { type, config }, report) => {
        if (!config.requireCustomerKey) return;
        const field = type === SERVERLESS ? "kmsKeyId" : "kmsKeyArn";
        const key = store[field];
        const must = `${labelOf(type)} must encrypt data at rest with a customer-managed KMS key`;
        if (!isSet(key)) report.violation(`${must}: ${field} is (unset), so a key owned by AWS is used, expected a customer key ARN.`);
        else if (typeof key === "string" && /(^|:)alias\/aws\//.test(key)) report.violation(`${must}: ${field} is ${show(key)}, an AWS-managed key, expected a customer key ARN.`);
    },
});

/**
 * mdb-01: TLS on every connection and an access control list with real users. `open-access` is MemoryDB's
 * built-in ACL that lets any client in as the default user with no password; it is also the only ACL a
 * cluster without TLS accepts (provider: "When set to false, the aclName must be open-access").
 */
export const memorydbTlsAndAcl = resourcePolicy({
    name: "memorydb-tls-and-acl",
    description: "MemoryDB clusters (and multi-Region clusters) must encrypt data in transit (tlsEnabled not false) and authenticate clients through an ACL other than open-access.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Leave `tlsEnabled` unset or true and set `aclName` to an aws.memorydb.Acl whose aws.memorydb.User entries authenticate with a password or IAM; " +
        "changing TLS replaces the cluster, so restore from a snapshot.",
    catalogue: ["mdb-01"],
    // A multi-Region cluster sets TLS for its regional clusters (each an aws.memorydb.Cluster, which names the ACL).
    types: [aws.memorydb.Cluster, aws.memorydb.MultiRegionCluster],
    check: (cluster, { type }, report) => {
        const what = type === MEMORYDB ? "MemoryDB cluster" : "MemoryDB multi-Region cluster";
        const tls = cluster.tlsEnabled;
        if (isUnknown(tls)) report.unverifiable("tlsEnabled", tls, "the cluster encrypts data in transit");
        else if (tls === false || tls === "false") report.violation(`${what} must encrypt data in transit: tlsEnabled is ${show(tls)}, expected true or unset.`);
        if (type !== MEMORYDB) return;
        const acl = cluster.aclName;
        if (isUnknown(acl)) report.unverifiable("aclName", acl, "clients authenticate through an ACL other than open-access");
        else if (!isSet(acl) || (typeof acl === "string" && acl.trim().toLowerCase() === "open-access")) {
            const found = isSet(acl) ? `${show(acl)}, which lets any client in as the default user without a password` : "(unset)";
            report.violation(`MemoryDB cluster must authenticate clients through an access control list: aclName is ${found}, expected the name of an aws.memorydb.Acl of users with passwords or IAM authentication.`);
        }
    },
});

/** mdb-02: MemoryDB keeps no automatic snapshots unless asked (provider: snapshotRetentionLimit "Defaults to 0"). */
export const memorydbSnapshots = resourcePolicy<{ minimumSnapshotDays: number }>({
    name: "memorydb-snapshots",
    description: "MemoryDB clusters must keep automatic snapshots for at least the configured days.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `snapshotRetentionLimit` to at least the configured minimum (and `snapshotWindow` outside peak hours) on the aws.memorydb.Cluster.",
    catalogue: ["mdb-02"],
    config: MINIMUM_SNAPSHOT_DAYS,
    types: [aws.memorydb.Cluster],
    check: (cluster, { config }, report) => checkRetention(cluster, labelOf(MEMORYDB), config.minimumSnapshotDays, report),
});

/** A replica count from the inputs (the provider also takes a numeric string); NaN for anything else. */
const replicaCount = (v: unknown) => (typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN);

/** mdb-05: security fixes arrive as minor versions; a shard without a replica loses availability (and writes in flight) with its node. */
export const memorydbUpgradesAndReplicas = resourcePolicy({
    name: "memorydb-upgrades-and-replicas",
    description: "MemoryDB clusters should apply minor engine upgrades automatically and keep at least one replica per shard (Multi-AZ).",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Leave `autoMinorVersionUpgrade` and `numReplicasPerShard` unset (true and 1) or set `numReplicasPerShard` to 1 or more on the aws.memorydb.Cluster.",
    catalogue: ["mdb-05"],
    types: [aws.memorydb.Cluster],
    check: (cluster, _ctx, report) => {
        const upgrade = cluster.autoMinorVersionUpgrade;
        if (isUnknown(upgrade)) report.unverifiable("autoMinorVersionUpgrade", upgrade, "minor upgrades are automatic");
        else if (upgrade === false || upgrade === "false") report.violation(`MemoryDB cluster must apply minor engine upgrades automatically: autoMinorVersionUpgrade is ${show(upgrade)}, expected true or unset.`);
        const replicas = cluster.numReplicasPerShard;
        if (isUnknown(replicas)) report.unverifiable("numReplicasPerShard", replicas, "every shard has a replica in another availability zone");
        else if (replicas !== undefined && replicas !== null && !(replicaCount(replicas) >= 1)) {
            report.violation(`MemoryDB cluster must keep a replica of every shard in another availability zone: numReplicasPerShard is ${show(replicas)}, expected 1 or more (the default is 1).`);
        }
    },
});

export const cacheServerlessPolicies: Policies = [
    elasticacheServerlessSnapshots, // ecsv-01
    elasticacheServerlessUserGroup, // ecsv-02
    elasticacheUserGroupNoOpenUser, // ecsv-05
    cacheStoreNetworkPlacement, // ecsv-03, mdb-03
    cacheStoreCustomerKey, // ecsv-04, mdb-04
    memorydbTlsAndAcl, // mdb-01
    memorydbSnapshots, // mdb-02
    memorydbUpgradesAndReplicas, // mdb-05
];
