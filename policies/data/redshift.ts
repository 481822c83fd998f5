import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { StackResource, StackReporter, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { isSet, isTrue, isUnknown, list, show } from "../lib/props";
import { ofType } from "../lib/by-type";
import { linked, unresolved } from "../lib/joins";

/**
 * Redshift provisioned clusters and Redshift Serverless workgroups and namespaces. Security Hub:
 * Redshift.1/2/4/10 (docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html) and
 * RedshiftServerless.2/3/6 (redshiftserverless-controls.html).
 */

const CLUSTER = tokenOf(aws.redshift.Cluster);
const WORKGROUP = tokenOf(aws.redshiftserverless.Workgroup);
const NAMESPACE = tokenOf(aws.redshiftserverless.Namespace);
const LOGGING = tokenOf(aws.redshift.Logging);
const PARAMETER_GROUP = tokenOf(aws.redshift.ParameterGroup);

/** `true`, or the provider's string spelling of it (v7 types `encrypted` as a string). */

const labelOf = (type: string) => (type === WORKGROUP ? "Redshift Serverless workgroup" : "Redshift cluster");

/**
 * rs-01: the warehouse has no public endpoint. Unset is private: AWS stopped making new provisioned
 * clusters public by default on 10 January 2025 (the provider dropped its `true` default, hashicorp/
 * terraform-provider-aws#41041), and a workgroup is private unless asked.
 */
export const redshiftNotPublic = resourcePolicy({
    name: "redshift-not-public",
    description: "Redshift clusters and Redshift Serverless workgroups must not be publicly accessible.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `publiclyAccessible: false` (or leave it unset) on the aws.redshift.Cluster or aws.redshiftserverless.Workgroup, and reach it through the VPC, a VPN or an AWS PrivateLink endpoint.",
    securityHub: ["Redshift.1", "RedshiftServerless.3"],
    catalogue: ["rs-01"],
    types: [aws.redshift.Cluster, aws.redshiftserverless.Workgroup],
    check: (warehouse, { type }, report) => {
        const value = warehouse.publiclyAccessible;
        if (isUnknown(value)) report.unverifiable("publiclyAccessible", value, "the warehouse is not publicly accessible");
        // "true" as a string reaches the provider as true too.
        else if (isTrue(value)) report.violation(`${labelOf(type)} must not be publicly accessible: publiclyAccessible is ${show(value)}, expected false or unset.`);
    },
});

/**
 * rs-02: data, backups and snapshots are encrypted at rest. AWS encrypts every new provisioned cluster
 * since 10 January 2025 and the provider now defaults `encrypted` to "true" (terraform-provider-aws#41040,
 * #42631), so unset passes; "false" keeps or asks for an unencrypted cluster.
 */
export const redshiftEncrypted = resourcePolicy<{ requireCustomerKey: boolean }>({
    name: "redshift-encrypted",
    description: "Redshift clusters must be encrypted at rest (with a customer-managed KMS key when configured).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: 'Leave `encrypted` unset or "true" on the aws.redshift.Cluster and set `kmsKeyId` to a customer-managed aws.kms.Key ARN. An unencrypted cluster is encrypted by modifying it (Redshift migrates the data), which takes it read-only for a while.',
    securityHub: ["Redshift.10"],
    catalogue: ["rs-02"],
    config: {
        requireCustomerKey: { type: "boolean", default: false, description: "Also require `kmsKeyId`: a customer-managed key rather than the AWS-owned or AWS-managed one." },
    },
    types: [aws.redshift.Cluster],
    check: (cluster, { config }, report) => {
        const encrypted = cluster.encrypted;
        if (isUnknown(encrypted)) report.unverifiable("encrypted", encrypted, "the cluster is encrypted at rest");
        else if (encrypted !== undefined && encrypted !== null && !isTrue(encrypted)) {
            report.violation(`Redshift cluster must be encrypted at rest: encrypted is ${show(encrypted)}, expected "true" or unset.`);
        }
        if (!config.requireCustomerKey) return;
        const key = cluster.kmsKeyId;
        if (!isSet(key)) report.violation("Redshift cluster must be encrypted with a customer-managed KMS key: kmsKeyId is (unset), expected a customer key ARN.");
        else if (typeof key === "string" && /(^|:)alias\/aws\//.test(key)) {
            report.violation(`Redshift cluster must be encrypted with a customer-managed KMS key: kmsKeyId is ${show(key)}, an AWS-managed key, expected a customer key ARN.`);
        }
    },
});

/**
 * A parameter's value in a list of `{<key>, <value>}` entries (names compared case-insensitively; listed
 * twice, the value that is not "true"), and
 * whether it cannot be known during preview: the list, the matching entry's value, or (no entry matching)
 * an entry's name is unknown.
 */
function parameterValue(parameters: unknown, name: string, keyField: string, valueField: string): { value: unknown; unknown: boolean } {
    if (isUnknown(parameters)) return { value: parameters, unknown: true };
    const entries = list(parameters).filter((p) => p !== null && typeof p === "object");
    const matches = entries.filter((p) => typeof p[keyField] === "string" && !isUnknown(p[keyField]) && p[keyField].toLowerCase() === name);
    // The same parameter listed twice: the weakest value is the one that may be applied.
    const match = matches.find((p) => isUnknown(p[valueField]) || !isTrue(p[valueField])) ?? matches[0];
    if (match) return { value: match[valueField], unknown: isUnknown(match[valueField]) };
    return { value: undefined, unknown: entries.some((p) => isUnknown(p[keyField])) };
}

/** rs-03: clients must connect over TLS (`require_ssl`), through a parameter group the stack controls. */
export const redshiftRequireSsl = stackPolicy({
    name: "redshift-require-ssl",
    description: "Redshift clusters must use a parameter group of this stack that sets require_ssl to true, and Redshift Serverless workgroups must set the require_ssl config parameter to true.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        'Create an aws.redshift.ParameterGroup with `parameters: [{ name: "require_ssl", value: "true" }]` and set `clusterParameterGroupName: group.name` on the aws.redshift.Cluster ' +
        '(default groups cannot be changed); on an aws.redshiftserverless.Workgroup add `configParameters: [{ parameterKey: "require_ssl", parameterValue: "true" }]`.',
    securityHub: ["Redshift.2", "RedshiftServerless.2"],
    catalogue: ["rs-03"],
    types: [CLUSTER, WORKGROUP],
    check: (resources, _ctx, report) => {
        const groups = ofType(resources, PARAMETER_GROUP);
        for (const cluster of ofType(resources, CLUSTER)) checkClusterSsl(cluster, groups, report);
        for (const workgroup of ofType(resources, WORKGROUP)) {
            const { value, unknown } = parameterValue(workgroup.props.configParameters, "require_ssl", "parameterKey", "parameterValue");
            if (unknown) report.unverifiable(workgroup, "configParameters", "connections must use SSL");
            else if (!isTrue(value)) {
                report.violation(workgroup, `Redshift Serverless workgroup must require SSL: configParameters sets require_ssl to ${show(value)}, expected "true".`);
            }
        }
    },
});

function checkClusterSsl(cluster: StackResource, groups: StackResource[], report: StackReporter): void {
    const name = cluster.props.clusterParameterGroupName;
    const group = linked(cluster, "clusterParameterGroupName", groups, { ids: ["name"] })[0];
    if (!group) {
        if (unresolved(cluster, "clusterParameterGroupName")) return report.unverifiable(cluster, "clusterParameterGroupName", "the cluster's parameter group requires SSL");
        if (typeof name === "string" && name !== "" && !/^default\./i.test(name)) {
            return report.unverifiable(cluster, "clusterParameterGroupName", "the parameter group, defined outside this stack, sets require_ssl to true");
        }
        const found = isSet(name) ? `${show(name)}, a default parameter group` : "(unset), so the cluster uses the default parameter group";
        return report.violation(cluster, `Redshift cluster must require SSL: clusterParameterGroupName is ${found}, which cannot be changed, expected an aws.redshift.ParameterGroup with require_ssl "true".`);
    }
    const { value, unknown } = parameterValue(group.props.parameters, "require_ssl", "name", "value");
    if (unknown) return report.unverifiable(group, "parameters", "connections must use SSL");
    if (!isTrue(value)) {
        report.violation(cluster, `Redshift cluster must require SSL: its parameter group ${show(group.name)} sets require_ssl to ${show(value)}, expected "true".`);
    }
}

const CLUSTER_LOG_EXPORTS = ["connectionlog", "userlog", "useractivitylog"];
/** What RedshiftServerless.6 requires a namespace to export to CloudWatch Logs. */
const NAMESPACE_LOG_EXPORTS = ["connectionlog", "userlog"];

/** Why an aws.redshift.Logging resource records nothing, or undefined when it sends logs somewhere (or may). */
function loggingGap(logging: StackResource): string | undefined {
    const { logDestinationType: destination, logExports, bucketName } = logging.props;
    if (isUnknown(destination)) return undefined;
    if (destination === "cloudwatch") {
        return isUnknown(logExports) || list(logExports).length > 0 ? undefined : `logDestinationType "cloudwatch" and logExports ${show(logExports ?? undefined)}`;
    }
    return isSet(bucketName) ? undefined : `logDestinationType ${show(destination ?? undefined)} and bucketName (unset)`;
}

/** rs-04: who connected and what they ran is recorded (costs vary with query volume, hence advisory). */
export const redshiftAuditLogging = stackPolicy({
    name: "redshift-audit-logging",
    description: "Redshift clusters should have audit logging (an aws.redshift.Logging resource), and Redshift Serverless namespaces should export connection and user logs.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps:
        'Add an aws.redshift.Logging with `clusterIdentifier: cluster.clusterIdentifier, logDestinationType: "cloudwatch", logExports: ["connectionlog", "userlog", "useractivitylog"]` ' +
        '(useractivitylog also needs enable_user_activity_logging in the parameter group); on an aws.redshiftserverless.Namespace set `logExports: ["connectionlog", "userlog"]`.',
    securityHub: ["Redshift.4", "RedshiftServerless.6"],
    catalogue: ["rs-04"],
    types: [CLUSTER, NAMESPACE],
    check: (resources, _ctx, report) => {
        const clusters = ofType(resources, CLUSTER);
        const loggings = ofType(resources, LOGGING);
        const untraceable = loggings.some((l) => unresolved(l, "clusterIdentifier", CLUSTER));
        for (const cluster of clusters) {
            const mine = loggings.filter((l) => linked(l, "clusterIdentifier", [cluster], { ids: ["clusterIdentifier"] }).length > 0);
            if (mine.some((l) => loggingGap(l) === undefined)) continue;
            if (mine.length > 0) {
                report.violation(cluster, `Redshift cluster must have audit logging: aws.redshift.Logging ${show(mine[0].name)} has ${loggingGap(mine[0])}, expected log exports to CloudWatch Logs (${CLUSTER_LOG_EXPORTS.join(", ")}) or an S3 bucketName.`);
            } else if (untraceable) report.unverifiable(cluster, "clusterIdentifier", "an aws.redshift.Logging resource enables audit logging for the cluster");
            else report.violation(cluster, `Redshift cluster must have audit logging: no aws.redshift.Logging refers to cluster ${show(cluster.props.clusterIdentifier)}, expected one with logExports to CloudWatch Logs or an S3 bucketName.`);
        }
        for (const namespace of ofType(resources, NAMESPACE)) {
            const exports = namespace.props.logExports;
            if (isUnknown(exports) || list(exports).some(isUnknown)) { report.unverifiable(namespace, "logExports", "the namespace exports connection and user logs"); continue; }
            const missing = NAMESPACE_LOG_EXPORTS.filter((t) => !list(exports).includes(t));
            if (missing.length > 0) {
                report.violation(namespace, `Redshift Serverless namespace must export its logs: logExports is ${show(exports ?? undefined)}, missing ${missing.map((t) => show(t)).join(", ")}, expected ${show(NAMESPACE_LOG_EXPORTS)} at least.`);
            }
        }
    },
});

export const redshiftPolicies: Policies = [redshiftNotPublic, redshiftEncrypted, redshiftRequireSsl, redshiftAuditLogging];
