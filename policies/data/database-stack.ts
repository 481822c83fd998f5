import * as aws from "@pulumi/aws";
import { ofType as resourcesOfType } from "../lib/by-type";
import { StackResource, stackPolicy, tokenOf } from "../lib/define";
import { isSet, isUnknown, list, show } from "../lib/props";
import { DATABASES, DOCDB_CLUSTER, RDS_CLUSTER, RDS_INSTANCE, labelOf } from "./database-types";
import { comesOnlyFrom, linked, refersTo, sourcesOf, unresolved } from "../lib/joins";

/** Policies that join a database to other resources of the stack: its subnet group, parameter group, backup plan. */

const EC2_SUBNET = tokenOf(aws.ec2.Subnet);
const BACKUP_SELECTION = tokenOf(aws.backup.Selection);
const DATABASE_TOKENS = DATABASES.map(tokenOf);

/** A resource type and the name a reader knows it by. */
interface Kind {
    token: string;
    display: string;
}
const kind = (cls: Function, display: string): Kind => ({ token: tokenOf(cls), display });

/** The group of `kind` that a database's `field` names, by its `name`. */
function linkedGroup(db: StackResource, field: string, of: Kind, ofType: (token: string) => StackResource[]): StackResource | undefined {
    return linked(db, field, ofType(of.token), { ids: ["name"] })[0];
}

/** Where a value could not be read during preview. */
interface Unknown {
    resource: StackResource;
    path: string;
}

/**
 * The public subnets of a DB subnet group. A subnet counts as public when the ids came from an
 * aws.ec2.Subnet of the stack with `mapPublicIpOnLaunch: true`, or when an id matches one of
 * `patterns`. Ids from an awsx:ec2:Vpc cannot be told apart by dependency (all its subnet lists are
 * outputs of one resource), so for those the id value is all there is: the patterns catch the
 * offline check's ids (`subnet-public-a`) and ids listed in the policy config; opaque AWS ids
 * (`subnet-0abc...`) that are not listed pass.
 */
export function publicSubnetsOf(group: StackResource, patterns: RegExp[]): { publicSubnets: string[]; unknown?: Unknown } {
    const publicSubnets: string[] = [];
    let unknown: Unknown | undefined;
    for (const s of sourcesOf(group, "subnetIds", EC2_SUBNET)) {
        const flag = s.props.mapPublicIpOnLaunch;
        if (flag === true) publicSubnets.push(`"${s.name}" (mapPublicIpOnLaunch)`);
        else if (isUnknown(flag)) unknown ??= { resource: s, path: "mapPublicIpOnLaunch" };
    }
    const ids = group.props.subnetIds;
    let unknownId: Unknown | undefined = isUnknown(ids) ? { resource: group, path: "subnetIds" } : undefined;
    list(ids).forEach((id, i) => {
        if (isUnknown(id)) unknownId ??= { resource: group, path: `subnetIds[${i}]` };
        else if (typeof id === "string" && patterns.some((p) => p.test(id))) publicSubnets.push(show(id));
    });
    // Unknown ids that all come from subnets of the stack are judged by those subnets.
    return { publicSubnets, unknown: unknown ?? (comesOnlyFrom(group, "subnetIds", EC2_SUBNET) ? undefined : unknownId) };
}

const SUBNET_GROUPS: Record<string, Kind> = {
    [RDS_INSTANCE]: kind(aws.rds.SubnetGroup, "aws.rds.SubnetGroup"),
    [RDS_CLUSTER]: kind(aws.rds.SubnetGroup, "aws.rds.SubnetGroup"),
    [DOCDB_CLUSTER]: kind(aws.docdb.SubnetGroup, "aws.docdb.SubnetGroup"),
};

/** rds-12: a database in a public subnet is one security group mistake away from the internet. */
export const rdsPrivateSubnetGroup = stackPolicy<{ publicSubnetPatterns: string[] }>({
    name: "rds-private-subnet-group",
    description: "RDS instances and clusters and DocumentDB clusters must sit in a subnet group of this stack that holds only non-public subnets.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Create an aws.rds.SubnetGroup (aws.docdb.SubnetGroup for DocumentDB) from the VPC's isolated or private subnet ids and pass its name as `dbSubnetGroupName`. " +
        "On AWS, list the ids of public subnets created outside the stack in `publicSubnetPatterns`.",
    securityHub: ["RDS.18", "RDS.46"],
    catalogue: ["rds-12"],
    config: {
        publicSubnetPatterns: {
            type: "array",
            items: { type: "string" },
            default: ["public"],
            description: "Regular expressions (case-insensitive) that mark a subnet id as public. The default matches the mock ids of awsx public subnets.",
        },
    },
    check: (resources, { config }, report) => {
        const patterns = config.publicSubnetPatterns.map((p) => new RegExp(p, "i"));
        const ofType = (token: string) => resourcesOfType(resources, token);
        for (const db of resources.filter((r) => r.type in SUBNET_GROUPS)) {
            const what = labelOf(db.type);
            const groupKind = SUBNET_GROUPS[db.type];
            const name = db.props.dbSubnetGroupName;
            const requirement = `${what} "${db.name}" sits in non-public subnets only`;
            if (!isSet(name)) {
                // A same-region read replica always shares its source's subnet group.
                if (db.type === RDS_INSTANCE && isSet(db.props.replicateSourceDb)) continue;
                report.violation(db, `${what} must sit in a subnet group of non-public subnets: dbSubnetGroupName is (unset), so AWS uses the default VPC, expected an ${groupKind.display} of private subnets.`);
                continue;
            }
            const group = linkedGroup(db, "dbSubnetGroupName", groupKind, ofType);
            if (!group) {
                if (isUnknown(name)) report.unverifiable(db, "dbSubnetGroupName", requirement);
                else report.violation(db, `${what} must sit in a subnet group of this stack, so its subnets can be checked: dbSubnetGroupName is ${show(name)}, expected the name of an ${groupKind.display} of this stack.`);
                continue;
            }
            const { publicSubnets, unknown } = publicSubnetsOf(group, patterns);
            if (publicSubnets.length > 0) {
                report.violation(db, `${what} must sit in non-public subnets only: subnet group "${group.name}" holds public subnet ${publicSubnets.join(", ")}, expected only private or isolated subnets.`);
            } else if (unknown) {
                report.unverifiable(unknown.resource, unknown.path, requirement);
            }
        }
    },
});

/** How a parameter list sets `rds.force_ssl`; `path` locates the entry within the list. */
export function forceSslOf(parameters: unknown): { state: "on" | "off" | "absent" | "unknown"; path?: string; value?: unknown } {
    if (isUnknown(parameters)) return { state: "unknown", path: "parameters" };
    const params = list<{ name?: unknown; value?: unknown }>(parameters);
    const i = params.findIndex((p) => p?.name === "rds.force_ssl");
    if (i < 0) {
        const j = params.findIndex((p) => isUnknown(p) || isUnknown(p?.name));
        return j < 0 ? { state: "absent" } : { state: "unknown", path: `parameters[${j}]` };
    }
    const value = params[i].value;
    if (isUnknown(value)) return { state: "unknown", path: `parameters[${i}].value`, value };
    return { state: String(value) === "1" ? "on" : "off", value };
}

/**
 * The major version of an `engineVersion` ("15", "15.4", "16.2", "11.22-rds.20240418" and the number 16
 * alike); undefined when the value is not a version (`"abc"`, null, an object). Never throws.
 */
export function postgresMajorOf(version: unknown): number | undefined {
    if (typeof version === "number") version = String(version);
    if (typeof version !== "string") return undefined;
    const m = /^\s*(\d+)(?:[.-]|\s*$)/.exec(version);
    return m ? Number(m[1]) : undefined;
}

/**
 * RDS for PostgreSQL defaults rds.force_ssl to 1 from major version 15 and to 0 before: AWS, "Using SSL with
 * a PostgreSQL DB instance" (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html:
 * "The rds.force_ssl parameter default value is 1 (on) for RDS for PostgreSQL version 15 and later"), and
 * "Updating applications to connect to PostgreSQL DB instances using new SSL/TLS certificates"
 * (ssl-certificate-rotation-postgresql.html: 0 before version 15, 1 for 15 and higher major versions).
 * A Multi-AZ DB cluster runs the same RDS for PostgreSQL engine (family postgres15 and later), so the same
 * default is taken to apply. Aurora PostgreSQL is not covered: AWS's knowledge-center article on SSL for
 * Aurora PostgreSQL (https://repost.aws/knowledge-center/aurora-postgresql-ssl-certificates) says the
 * parameter is 0 by default, and no Aurora version is documented as defaulting to 1.
 */
const FORCE_SSL_DEFAULT_ON_FROM = 15;

/** PostgreSQL databases and the input that names their parameter group; `defaultOnFrom` when the engine's default is 1 from that major version. */
const CLUSTER_GROUP = kind(aws.rds.ClusterParameterGroup, "aws.rds.ClusterParameterGroup");
const POSTGRES_TARGETS: { type: string; engine: string; field: string; group: Kind; defaultOnFrom?: number }[] = [
    { type: RDS_INSTANCE, engine: "postgres", field: "parameterGroupName", group: kind(aws.rds.ParameterGroup, "aws.rds.ParameterGroup"), defaultOnFrom: FORCE_SSL_DEFAULT_ON_FROM },
    { type: RDS_CLUSTER, engine: "aurora-postgresql", field: "dbClusterParameterGroupName", group: CLUSTER_GROUP },
    // A Multi-AZ DB cluster: aws.rds.Cluster with the RDS engine, configured through a cluster parameter group too.
    { type: RDS_CLUSTER, engine: "postgres", field: "dbClusterParameterGroupName", group: CLUSTER_GROUP, defaultOnFrom: FORCE_SSL_DEFAULT_ON_FROM },
];

/** An AWS default parameter group ("default.postgres16"): it cannot be changed, so it holds the engine's defaults. */
const isDefaultGroupName = (name: unknown) => typeof name === "string" && /^default\./i.test(name);

/**
 * How the engine's default for rds.force_ssl judges a database that leaves it unset: "on" (passes),
 * "unknown" (engineVersion unknown until apply), or a clause for the violation message ("" when
 * engineVersion is unset, or for Aurora, whose default is not 1).
 */
function defaultForceSsl(db: StackResource, target: { defaultOnFrom?: number }): { state: "on" | "unknown" } | { state: "off"; why: string } {
    if (target.defaultOnFrom === undefined) return { state: "off", why: "" };
    const version = db.props.engineVersion;
    if (isUnknown(version)) return { state: "unknown" };
    // Unset: RDS picks its current default version, which the inputs do not tell; the setting must be explicit.
    if (!isSet(version)) return { state: "off", why: "" };
    const major = postgresMajorOf(version);
    if (major === undefined) return { state: "off", why: `, and engineVersion ${show(version)} is not a version that tells whether it defaults to 1 (PostgreSQL ${target.defaultOnFrom} or later)` };
    if (major >= target.defaultOnFrom) return { state: "on" };
    return { state: "off", why: `, where rds.force_ssl defaults to 0 for engineVersion ${show(version)} (before PostgreSQL ${target.defaultOnFrom})` };
}

/**
 * rds-13: the server refuses unencrypted connections. RDS for PostgreSQL 15 and later (instances and
 * Multi-AZ DB clusters) default rds.force_ssl to 1, so a default group, or a group of the stack that
 * leaves the parameter out, passes there; earlier versions, an unset or malformed engineVersion, and
 * Aurora PostgreSQL need a group of the stack that sets it to 1. An explicit 0 always fails.
 */
export const rdsPostgresForceSsl = stackPolicy({
    name: "rds-postgres-force-ssl",
    description:
        "PostgreSQL RDS instances and clusters (Aurora PostgreSQL or Multi-AZ) must accept only TLS connections: rds.force_ssl = 1 in a parameter group of this stack, " +
        "or, for RDS for PostgreSQL with engineVersion 15 or later, left at the engine's default of 1; a group that sets it to 0 fails.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Create an aws.rds.ParameterGroup (aws.rds.ClusterParameterGroup for an aws.rds.Cluster) with the parameter `rds.force_ssl` = `1` and pass its name as " +
        "`parameterGroupName` (`dbClusterParameterGroupName`); required for Aurora PostgreSQL and for RDS for PostgreSQL before 15. " +
        "For RDS for PostgreSQL 15 or later, setting `engineVersion` is enough, as long as no group sets `rds.force_ssl` to `0`.",
    catalogue: ["rds-13"],
    types: [RDS_INSTANCE, RDS_CLUSTER],
    check: (resources, _ctx, report) => {
        const ofType = (token: string) => resourcesOfType(resources, token);
        for (const db of resources) {
            if (!POSTGRES_TARGETS.some((t) => t.type === db.type)) continue;
            const what = labelOf(db.type);
            const requirement = `${what} "${db.name}" accepts only TLS connections (rds.force_ssl = 1)`;
            const engine = db.props.engine;
            if (isUnknown(engine)) {
                report.unverifiable(db, "engine", requirement);
                continue;
            }
            // The provider lowercases the engine before RDS sees it: "Postgres" is postgres.
            const target = POSTGRES_TARGETS.find((t) => t.type === db.type && typeof engine === "string" && engine.toLowerCase() === t.engine);
            if (!target) continue;
            const must = `${what} must use a parameter group that sets rds.force_ssl = 1`;
            const expected = `expected an ${target.group.display} of this stack with rds.force_ssl = 1`;
            const name = db.props[target.field];
            /** The database leaves rds.force_ssl to the engine's default: `problem` says how, for the violation. */
            const leftToDefault = (problem: string) => {
                const byDefault = defaultForceSsl(db, target);
                if (byDefault.state === "unknown") report.unverifiable(db, "engineVersion", requirement);
                else if (byDefault.state === "off") report.violation(db, `${must}: ${problem}${byDefault.why}, ${expected}.`);
            };
            if (!isSet(name)) {
                leftToDefault(`${target.field} is (unset), so the engine's default group applies`);
                continue;
            }
            const group = linkedGroup(db, target.field, target.group, ofType);
            if (!group) {
                if (isUnknown(name)) report.unverifiable(db, target.field, requirement);
                else if (isDefaultGroupName(name) && isSet(db.props.engineVersion)) leftToDefault(`${target.field} is ${show(name)}, a default group of the engine`);
                else report.violation(db, `${must}: ${target.field} is ${show(name)}, which is not a group of this stack, ${expected}.`);
                continue;
            }
            const ssl = forceSslOf(group.props.parameters);
            if (ssl.state === "unknown") report.unverifiable(group, ssl.path!, requirement);
            else if (ssl.state === "absent") leftToDefault(`parameter group "${group.name}" does not set rds.force_ssl`);
            else if (ssl.state === "off") report.violation(db, `${must}: parameter group "${group.name}" sets rds.force_ssl to ${show(ssl.value)}, expected "1".`);
        }
    },
});

/** The ARN a database will have, as far as the inputs tell: `db:<identifier>` or `cluster:<clusterIdentifier>`. */
function arnKindAndName(db: StackResource): { kind: string; name: unknown } {
    return db.type === RDS_INSTANCE ? { kind: "db", name: db.props.identifier } : { kind: "cluster", name: db.props.clusterIdentifier };
}

const glob = (pattern: string, text: string) =>
    new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(text);

/** Stands in for a name the inputs do not give: only a `*` can match it. */
const ANY_NAME = "\u0000";

/**
 * Whether an AWS Backup selection entry (`*`, or an ARN with `*` wildcards) selects the database.
 * Partition, region and account are taken to be the stack's own; DocumentDB ARNs are `arn:aws:rds:`.
 */
export function arnSelects(pattern: string, db: StackResource): boolean {
    if (pattern === "*") return true;
    const parts = pattern.split(":");
    if (parts[0] !== "arn" || parts.length < 6) return false;
    const { kind: arnKind, name } = arnKindAndName(db);
    const known = typeof name === "string" && !isUnknown(name) ? name : ANY_NAME;
    return glob([parts[0], "*", parts[2], "*", "*", ...parts.slice(5)].join(":"), `arn:aws:rds:region:account:${arnKind}:${known}`);
}

/** "yes", "no", or "unknown" when the selection's resources are unknown and not traced to any resource. */
export function selectionCovers(selection: StackResource, db: StackResource): "yes" | "no" | "unknown" {
    const p = selection.props;
    const matches = (field: "resources" | "notResources") => refersTo(selection, field, db, { matches: arnSelects });
    if (matches("notResources")) return "no";
    if (matches("resources")) return "yes";
    // Only the database's own `tags` input: provider default tags are not among the inputs policies see.
    const tags = db.props.tags ?? {};
    const byTag = list(p.selectionTags).some((t) => String(t?.type).toUpperCase() === "STRINGEQUALS" && isSet(t?.key) && tags[t.key] === t.value);
    if (byTag) return "yes";
    return unresolved(selection, "resources") ? "unknown" : "no";
}

/** rds-15: every database is in a backup plan (point-in-time backups live only as long as the instance). */
export const rdsInBackupPlan = stackPolicy({
    name: "rds-in-backup-plan",
    description: "RDS instances and clusters and DocumentDB clusters must be selected by an AWS Backup plan of this stack.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Add the database's `arn` to the `resources` of an aws.backup.Selection (or select it by a tag it carries) of a plan with a vault.",
    catalogue: ["rds-15"],
    types: DATABASE_TOKENS,
    check: (resources, _ctx, report) => {
        const selections = resourcesOfType(resources, BACKUP_SELECTION);
        for (const db of resources.filter((r) => DATABASE_TOKENS.includes(r.type))) {
            const verdicts = selections.map((s) => selectionCovers(s, db));
            if (verdicts.includes("yes")) continue;
            const what = labelOf(db.type);
            const unsure = selections.find((_s, i) => verdicts[i] === "unknown");
            if (unsure) {
                report.unverifiable(unsure, "resources", `${what} "${db.name}" is in a backup plan`);
                continue;
            }
            const found = selections.length === 0 ? "the stack has no aws.backup.Selection" : `none of the ${selections.length} aws.backup.Selection resources selects it`;
            report.violation(db, `${what} must be in an AWS Backup plan: ${found}, expected a selection whose resources include its ARN (or a matching wildcard).`);
        }
    },
});
