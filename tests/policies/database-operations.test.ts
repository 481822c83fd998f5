import * as aws from "@pulumi/aws";
import * as assert from "assert";
import {
    rdsEnhancedMonitoring, rdsLogExports, rdsMinorUpgradesAndSnapshotTags, rdsMultiAz, rdsPerformanceInsights,
} from "../../policies/data/database-operations";
import { goodInstance } from "./database-fixtures";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, UNKNOWN_NUMBER, messages, res, run } from "./helpers";

const instance = (props: Record<string, unknown>, name?: string) => res(aws.rds.Instance, { ...goodInstance, ...props }, { name });

describe("policies: database operations", () => {
    describe("rds-multi-az", () => {
        it("passes a Multi-AZ instance", async () => {
            assert.deepStrictEqual(await run(rdsMultiAz, instance({})), []);
        });
        it("rejects a single-AZ instance, as mandatory by default", async () => {
            const diags = await run(rdsMultiAz, instance({ multiAz: false }));
            assert.deepStrictEqual(messages(diags), ["RDS instance must be Multi-AZ: multiAz is false, expected true."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("is advisory where the policy config says so (staging)", async () => {
            const diags = await run(rdsMultiAz, instance({ multiAz: false }), { enforcementLevel: "advisory" });
            assert.strictEqual(diags.length, 1);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("reports an unknown flag as unverifiable", async () => {
            const diags = await run(rdsMultiAz, instance({ multiAz: UNKNOWN_BOOL }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that the instance is Multi-AZ: multiAz is \(unknown until apply\)/);
        });
        it("reports an exempted instance as advisory with its reason", async () => {
            const diags = await run(rdsMultiAz, instance({ multiAz: false }, "reporting-replica"), {
                exemptions: [{ resource: "reporting-replica", reason: "read replica, rebuilt from the primary" }],
            });
            assert.deepStrictEqual(messages(diags), ["Exempted (read replica, rebuilt from the primary): RDS instance must be Multi-AZ: multiAz is false, expected true."]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("rds-enhanced-monitoring", () => {
        it("passes an interval with a role", async () => {
            assert.deepStrictEqual(await run(rdsEnhancedMonitoring, instance({})), []);
        });
        it("rejects monitoring left off (0 or unset)", async () => {
            assert.deepStrictEqual(messages(await run(rdsEnhancedMonitoring, instance({ monitoringInterval: 0 }))), [
                "RDS instance must have enhanced monitoring: monitoringInterval is 0, expected 1, 5, 10, 15, 30 or 60.",
            ]);
            const { monitoringInterval: _, ...unset } = goodInstance;
            assert.deepStrictEqual(messages(await run(rdsEnhancedMonitoring, res(aws.rds.Instance, unset))), [
                "RDS instance must have enhanced monitoring: monitoringInterval is (unset), expected 1, 5, 10, 15, 30 or 60.",
            ]);
        });
        it("rejects an interval without a monitoring role", async () => {
            const { monitoringRoleArn: _, ...noRole } = goodInstance;
            assert.deepStrictEqual(messages(await run(rdsEnhancedMonitoring, res(aws.rds.Instance, noRole))), [
                "RDS instance must name the role enhanced monitoring publishes with: monitoringRoleArn is (unset), expected an IAM role ARN.",
            ]);
        });
        it("counts a role ARN unknown during preview as set, and reports an unknown interval", async () => {
            assert.deepStrictEqual(await run(rdsEnhancedMonitoring, instance({ monitoringRoleArn: UNKNOWN })), []);
            const diags = await run(rdsEnhancedMonitoring, instance({ monitoringInterval: UNKNOWN_NUMBER }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that enhanced monitoring is on/);
        });
    });

    describe("rds-log-exports", () => {
        it("passes a PostgreSQL instance exporting postgresql and upgrade logs", async () => {
            assert.deepStrictEqual(await run(rdsLogExports, instance({})), []);
        });
        it("names the missing PostgreSQL log types, as advisory", async () => {
            const diags = await run(rdsLogExports, instance({ enabledCloudwatchLogsExports: ["postgresql"] }));
            assert.deepStrictEqual(messages(diags), [
                'RDS instance must export its postgres logs to CloudWatch Logs: enabledCloudwatchLogsExports is ["postgresql"], expected it to include "upgrade".',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            const { enabledCloudwatchLogsExports: _, ...none } = goodInstance;
            assert.deepStrictEqual(messages(await run(rdsLogExports, res(aws.rds.Instance, none))), [
                'RDS instance must export its postgres logs to CloudWatch Logs: enabledCloudwatchLogsExports is (unset), expected it to include "postgresql", "upgrade".',
            ]);
        });
        it("checks MySQL against its own log types", async () => {
            assert.deepStrictEqual(messages(await run(rdsLogExports, instance({ engine: "mysql", enabledCloudwatchLogsExports: ["error"] }))), [
                'RDS instance must export its mysql logs to CloudWatch Logs: enabledCloudwatchLogsExports is ["error"], expected it to include "general", "slowquery".',
            ]);
        });
        for (const engine of ["mysql", "mariadb"]) {
            it(`requires each of ${engine}'s log types: error, general, slowquery`, async () => {
                assert.deepStrictEqual(await run(rdsLogExports, instance({ engine, enabledCloudwatchLogsExports: ["error", "general", "slowquery"] })), []);
                assert.deepStrictEqual(messages(await run(rdsLogExports, instance({ engine, enabledCloudwatchLogsExports: [] }))), [
                    `RDS instance must export its ${engine} logs to CloudWatch Logs: enabledCloudwatchLogsExports is [], expected it to include "error", "general", "slowquery".`,
                ]);
            });
        }
        it("takes the per-engine list from the policy config, and skips engines it does not list", async () => {
            const config = { requiredLogExports: { postgres: ["postgresql"] } };
            assert.deepStrictEqual(await run(rdsLogExports, instance({ enabledCloudwatchLogsExports: ["postgresql"] }), config), []);
            assert.deepStrictEqual(await run(rdsLogExports, instance({ engine: "mysql", enabledCloudwatchLogsExports: [] }), config), []);
        });
        it("reports an unknown export list as unverifiable", async () => {
            const diags = await run(rdsLogExports, instance({ enabledCloudwatchLogsExports: UNKNOWN_ARRAY }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that postgres logs postgresql, upgrade are exported: enabledCloudwatchLogsExports is \(unknown until apply\)/);
        });
        it("reports a list with an element unknown until apply as unverifiable, not as missing the log type", async () => {
            const diags = await run(rdsLogExports, instance({ enabledCloudwatchLogsExports: ["postgresql", UNKNOWN] }));
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["advisory"]);
            assert.match(messages(diags)[0], /^Cannot verify during preview that postgres logs postgresql, upgrade are exported: enabledCloudwatchLogsExports is \["postgresql",/);
        });
    });

    describe("rds-minor-upgrades-and-snapshot-tags", () => {
        it("passes automatic minor upgrades (also when unset) with tags copied to snapshots", async () => {
            const { autoMinorVersionUpgrade: _, ...unset } = goodInstance;
            assert.deepStrictEqual(await run(rdsMinorUpgradesAndSnapshotTags, [instance({}), res(aws.rds.Instance, unset)]), []);
        });
        it("rejects disabled minor upgrades and tags not copied to snapshots", async () => {
            const diags = await run(rdsMinorUpgradesAndSnapshotTags, instance({ autoMinorVersionUpgrade: false, copyTagsToSnapshot: false }));
            assert.deepStrictEqual(messages(diags), [
                "RDS instance must apply minor engine upgrades automatically: autoMinorVersionUpgrade is false, expected true or unset.",
                "RDS instance must copy its tags to snapshots: copyTagsToSnapshot is false, expected true.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("rds-performance-insights", () => {
        it("passes Performance Insights with a customer key", async () => {
            assert.deepStrictEqual(await run(rdsPerformanceInsights, instance({})), []);
        });
        it("rejects Performance Insights off and without a customer key", async () => {
            const { performanceInsightsEnabled: _a, performanceInsightsKmsKeyId: _b, ...off } = goodInstance;
            assert.deepStrictEqual(messages(await run(rdsPerformanceInsights, res(aws.rds.Instance, off))), [
                "RDS instance must have Performance Insights enabled: performanceInsightsEnabled is (unset), expected true.",
                "RDS instance must encrypt Performance Insights with a customer-managed KMS key: performanceInsightsKmsKeyId is (unset), so AWS uses aws/rds, expected a customer key ARN.",
            ]);
        });
        it("counts a key unknown during preview as set", async () => {
            assert.deepStrictEqual(await run(rdsPerformanceInsights, instance({ performanceInsightsKmsKeyId: UNKNOWN })), []);
        });
    });
});
