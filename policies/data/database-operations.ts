import * as aws from "@pulumi/aws";
import { resourcePolicy } from "../lib/define";
import { isSet, isUnknown, list, show } from "../lib/props";
import { checkFlag, labelOf } from "./database-types";

/** Policies on running an RDS instance: availability, monitoring, logs, upgrades. */

/** rds-04: a standby in a second availability zone takes over in a minute or two. */
export const rdsMultiAz = resourcePolicy({
    name: "rds-multi-az",
    description: "RDS instances must be Multi-AZ.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `multiAz: true` on the aws.rds.Instance (staging's policy config may make this advisory).",
    securityHub: ["RDS.5"],
    catalogue: ["rds-04"],
    types: [aws.rds.Instance],
    check: (db, { type }, report) => {
        checkFlag(db, labelOf(type), { field: "multiAz", expected: true, awsDefault: false, must: "be Multi-AZ", holds: "the instance is Multi-AZ" }, report);
    },
});

/** rds-07: OS-level metrics (enhanced monitoring) need an interval and a role to publish with. */
export const rdsEnhancedMonitoring = resourcePolicy({
    name: "rds-enhanced-monitoring",
    description: "RDS instances must have enhanced monitoring enabled, with a monitoring role.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Set `monitoringInterval` (1, 5, 10, 15, 30 or 60 seconds) and `monitoringRoleArn` (a role trusted by monitoring.rds.amazonaws.com with AmazonRDSEnhancedMonitoringRole) on the aws.rds.Instance.",
    securityHub: ["RDS.6"],
    catalogue: ["rds-07"],
    types: [aws.rds.Instance],
    check: (db, { type }, report) => {
        const what = labelOf(type);
        const interval = db.monitoringInterval;
        if (isUnknown(interval)) {
            report.unverifiable("monitoringInterval", interval, "enhanced monitoring is on");
        } else if (!(typeof interval === "number" && interval > 0)) {
            report.violation(`${what} must have enhanced monitoring: monitoringInterval is ${show(interval)}, expected 1, 5, 10, 15, 30 or 60.`);
            return;
        }
        if (!isSet(db.monitoringRoleArn)) {
            report.violation(`${what} must name the role enhanced monitoring publishes with: monitoringRoleArn is (unset), expected an IAM role ARN.`);
        }
    },
});

/** Log types each engine must export; engines not listed are not checked. */
export const DEFAULT_LOG_EXPORTS: Record<string, string[]> = {
    postgres: ["postgresql", "upgrade"],
    mysql: ["error", "general", "slowquery"],
    mariadb: ["error", "general", "slowquery"],
};

/** rds-08: database logs outlive the instance and can be searched and alarmed on. */
export const rdsLogExports = resourcePolicy<{ requiredLogExports: Record<string, string[]> }>({
    name: "rds-log-exports",
    description: "RDS instances must export their engine's logs (PostgreSQL: postgresql and upgrade) to CloudWatch Logs.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Add the missing log types to `enabledCloudwatchLogsExports` on the aws.rds.Instance, and create the /aws/rds/instance/<id>/<type> log groups with a retention.",
    securityHub: ["RDS.9", "RDS.36"],
    catalogue: ["rds-08"],
    config: {
        requiredLogExports: {
            type: "object",
            additionalProperties: { type: "array", items: { type: "string" } },
            default: DEFAULT_LOG_EXPORTS,
            description: "Engine (`postgres`, `mysql`, ...) to the log types it must export. Replaces the whole default map when set.",
        },
    },
    types: [aws.rds.Instance],
    check: (db, { type, config }, report) => {
        const engine = db.engine;
        if (isUnknown(engine)) {
            report.unverifiable("engine", engine, "the engine's logs are exported");
            return;
        }
        const required = typeof engine === "string" ? config.requiredLogExports[engine] ?? [] : [];
        if (required.length === 0) return;
        const exports = db.enabledCloudwatchLogsExports;
        const missing = required.filter((t) => !list(exports).includes(t));
        if (missing.length === 0) return;
        if (isUnknown(exports) || list(exports).some(isUnknown)) {
            report.unverifiable("enabledCloudwatchLogsExports", exports, `${engine} logs ${required.join(", ")} are exported`);
            return;
        }
        report.violation(
            `${labelOf(type)} must export its ${engine} logs to CloudWatch Logs: enabledCloudwatchLogsExports is ${show(exports)}, expected it to include ${missing.map((t) => show(t)).join(", ")}.`,
        );
    },
});

/** rds-09: security fixes arrive as minor versions; snapshots keep the tags that say whose data they hold. */
export const rdsMinorUpgradesAndSnapshotTags = resourcePolicy({
    name: "rds-minor-upgrades-and-snapshot-tags",
    description: "RDS instances must apply minor engine upgrades automatically and copy their tags to snapshots.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Leave `autoMinorVersionUpgrade` unset or true and set `copyTagsToSnapshot: true` on the aws.rds.Instance.",
    securityHub: ["RDS.13", "RDS.17"],
    catalogue: ["rds-09"],
    types: [aws.rds.Instance],
    check: (db, { type }, report) => {
        const what = labelOf(type);
        checkFlag(db, what, { field: "autoMinorVersionUpgrade", expected: true, awsDefault: true, must: "apply minor engine upgrades automatically", holds: "minor upgrades are automatic" }, report);
        checkFlag(db, what, { field: "copyTagsToSnapshot", expected: true, awsDefault: false, must: "copy its tags to snapshots", holds: "tags are copied to snapshots" }, report);
    },
    // Only copyTagsToSnapshot: it changes what future snapshots carry, nothing of the instance, and ModifyDBInstance
    // applies it without a reboot (copy_tags_to_snapshot is not ForceNew in terraform-provider-aws aws_db_instance).
    // autoMinorVersionUpgrade is not remediated: an engine upgrade restarts the database in the maintenance window.
    remediate: (db) => (db.copyTagsToSnapshot === true || isUnknown(db.copyTagsToSnapshot) ? undefined : { ...db, copyTagsToSnapshot: true }),
});

/** rds-11: query-level diagnostics, encrypted with a key the account controls (they contain SQL text). */
export const rdsPerformanceInsights = resourcePolicy({
    name: "rds-performance-insights",
    description: "RDS instances must have Performance Insights enabled and encrypted with a customer-managed KMS key.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Set `performanceInsightsEnabled: true` and `performanceInsightsKmsKeyId` (a customer-managed aws.kms.Key ARN) on the aws.rds.Instance.",
    catalogue: ["rds-11"],
    types: [aws.rds.Instance],
    check: (db, { type }, report) => {
        const what = labelOf(type);
        checkFlag(db, what, { field: "performanceInsightsEnabled", expected: true, awsDefault: false, must: "have Performance Insights enabled", holds: "Performance Insights is on" }, report);
        if (!isSet(db.performanceInsightsKmsKeyId)) {
            report.violation(`${what} must encrypt Performance Insights with a customer-managed KMS key: performanceInsightsKmsKeyId is (unset), so AWS uses aws/rds, expected a customer key ARN.`);
        }
    },
});
