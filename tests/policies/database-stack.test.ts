import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { arnSelects, forceSslOf, postgresMajorOf, rdsInBackupPlan, rdsPostgresForceSsl, rdsPrivateSubnetGroup } from "../../policies/data/database-stack";
import { tokenOf } from "../../policies/lib/define";
import { EvalResource } from "../../tools/offline/evaluate";
import { goodAuroraCluster, goodDocdbCluster, goodInstance, supportingResources } from "./database-fixtures";
import { UNKNOWN, UNKNOWN_ARRAY, linked, messages, res, run } from "./helpers";

const urnOf = (r: EvalResource) => r.urn;
const db = (props: Record<string, unknown> = {}, o: Parameters<typeof res>[2] = {}) => res(aws.rds.Instance, { ...goodInstance, ...props }, { name: "db", ...o });
const without = (r: EvalResource[], type: Function) => r.filter((x) => x.type !== tokenOf(type));
const goodStack = () => [...supportingResources(), db(), res(aws.rds.Cluster, goodAuroraCluster, { name: "aurora" }), res(aws.docdb.Cluster, goodDocdbCluster, { name: "docs" })];

describe("policies: database joins (stack)", () => {
    describe("rds-private-subnet-group", () => {
        it("passes databases in groups of isolated subnets, joined by name", async () => {
            assert.deepStrictEqual(await run(rdsPrivateSubnetGroup, goodStack()), []);
        });
        it("rejects a group holding an awsx public subnet id, joined by property dependency, as mandatory", async () => {
            const vpc = res("awsx:ec2:Vpc", {}, { name: "vpc" });
            const group = res(aws.rds.SubnetGroup, { subnetIds: ["subnet-isolated-a", "subnet-public-b"] }, { name: "db-subnets", propertyDependencies: { subnetIds: [vpc.urn] } });
            const diags = await run(rdsPrivateSubnetGroup, [vpc, group, db({ dbSubnetGroupName: UNKNOWN }, { propertyDependencies: { dbSubnetGroupName: [group.urn] } })]);
            assert.deepStrictEqual(messages(diags), [
                'RDS instance must sit in non-public subnets only: subnet group "db-subnets" holds public subnet "subnet-public-b", expected only private or isolated subnets.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.strictEqual(diags[0].urn, urnOf(db()));
        });
        it("rejects a subnet of the stack that maps public IPs on launch, even before its id is known", async () => {
            const pub = res(aws.ec2.Subnet, { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true }, { name: "public-a" });
            const priv = res(aws.ec2.Subnet, { vpcId: "vpc-1", cidrBlock: "10.0.1.0/24" }, { name: "isolated-a" });
            const group = res(aws.rds.SubnetGroup, { name: "shop-db-subnets", subnetIds: [UNKNOWN, UNKNOWN] }, { name: "db-subnets", propertyDependencies: { subnetIds: [pub.urn, priv.urn] } });
            assert.deepStrictEqual(messages(await run(rdsPrivateSubnetGroup, [pub, priv, group, db()])), [
                'RDS instance must sit in non-public subnets only: subnet group "db-subnets" holds public subnet "public-a" (mapPublicIpOnLaunch), expected only private or isolated subnets.',
            ]);
        });
        it("passes unknown ids that all come from private subnets of the stack", async () => {
            const priv = res(aws.ec2.Subnet, { vpcId: "vpc-1", cidrBlock: "10.0.1.0/24", mapPublicIpOnLaunch: false }, { name: "isolated-a" });
            const group = res(aws.rds.SubnetGroup, { name: "shop-db-subnets", subnetIds: [UNKNOWN] }, { name: "db-subnets", propertyDependencies: { subnetIds: [priv.urn] } });
            assert.deepStrictEqual(await run(rdsPrivateSubnetGroup, [priv, group, db()]), []);
        });
        it("reports awsx subnet ids unknown during preview as unverifiable, on the subnet group", async () => {
            const vpc = res("awsx:ec2:Vpc", {}, { name: "vpc" });
            const group = res(aws.rds.SubnetGroup, { name: "shop-db-subnets", subnetIds: UNKNOWN_ARRAY }, { name: "db-subnets", propertyDependencies: { subnetIds: [vpc.urn] } });
            const diags = await run(rdsPrivateSubnetGroup, [vpc, group, db()]);
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that RDS instance "db" sits in non-public subnets only: subnetIds is \(unknown until apply\)/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.strictEqual(diags[0].urn, group.urn);
        });
        it("rejects a database without a subnet group (the default VPC), but not a same-region replica", async () => {
            assert.deepStrictEqual(messages(await run(rdsPrivateSubnetGroup, [...supportingResources(), db({ dbSubnetGroupName: undefined })])), [
                "RDS instance must sit in a subnet group of non-public subnets: dbSubnetGroupName is (unset), so AWS uses the default VPC, expected an aws.rds.SubnetGroup of private subnets.",
            ]);
            const replica = res(aws.rds.Instance, { replicateSourceDb: "shop-db", instanceClass: "db.m6g.large" }, { name: "replica" });
            assert.deepStrictEqual(await run(rdsPrivateSubnetGroup, replica), []);
        });
        it("rejects a subnet group that is not in the stack, and one of the wrong service", async () => {
            assert.deepStrictEqual(messages(await run(rdsPrivateSubnetGroup, [...supportingResources(), db({ dbSubnetGroupName: "legacy-subnets" })])), [
                'RDS instance must sit in a subnet group of this stack, so its subnets can be checked: dbSubnetGroupName is "legacy-subnets", expected the name of an aws.rds.SubnetGroup of this stack.',
            ]);
            const docs = res(aws.docdb.Cluster, { ...goodDocdbCluster, dbSubnetGroupName: "shop-db-subnets" }, { name: "docs" });
            assert.deepStrictEqual(messages(await run(rdsPrivateSubnetGroup, [...supportingResources(), docs])), [
                'DocumentDB cluster must sit in a subnet group of this stack, so its subnets can be checked: dbSubnetGroupName is "shop-db-subnets", expected the name of an aws.docdb.SubnetGroup of this stack.',
            ]);
        });
        it("checks Aurora clusters too: no subnet group, or one of another service", async () => {
            const aurora = (dbSubnetGroupName?: string) => res(aws.rds.Cluster, { ...goodAuroraCluster, dbSubnetGroupName }, { name: "aurora" });
            assert.deepStrictEqual(messages(await run(rdsPrivateSubnetGroup, [...supportingResources(), aurora(), aurora("shop-docs-subnets")])), [
                "RDS cluster must sit in a subnet group of non-public subnets: dbSubnetGroupName is (unset), so AWS uses the default VPC, expected an aws.rds.SubnetGroup of private subnets.",
                'RDS cluster must sit in a subnet group of this stack, so its subnets can be checked: dbSubnetGroupName is "shop-docs-subnets", expected the name of an aws.rds.SubnetGroup of this stack.',
            ]);
        });
        it("reports an unknown group name that leads nowhere as unverifiable", async () => {
            const diags = await run(rdsPrivateSubnetGroup, [db({ dbSubnetGroupName: UNKNOWN })]);
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that RDS instance "db" sits in non-public subnets only: dbSubnetGroupName is \(unknown until apply\)/);
        });
        it("cannot tell opaque AWS subnet ids apart unless the policy config lists them", async () => {
            const group = res(aws.rds.SubnetGroup, { name: "shop-db-subnets", subnetIds: ["subnet-0a1b2c3d", "subnet-0e4f5a6b"] }, { name: "db-subnets" });
            assert.deepStrictEqual(await run(rdsPrivateSubnetGroup, [group, db()]), []);
            assert.deepStrictEqual(messages(await run(rdsPrivateSubnetGroup, [group, db()], { publicSubnetPatterns: ["^subnet-0e4f5a6b$"] })), [
                'RDS instance must sit in non-public subnets only: subnet group "db-subnets" holds public subnet "subnet-0e4f5a6b", expected only private or isolated subnets.',
            ]);
        });
        it("reports an exempted database as advisory with its reason", async () => {
            const diags = await run(rdsPrivateSubnetGroup, [db({ dbSubnetGroupName: undefined })], { exemptions: [{ resource: "db", reason: "migrating out of the default VPC, OPS-7" }] });
            assert.deepStrictEqual(messages(diags), [
                "Exempted (migrating out of the default VPC, OPS-7): RDS instance must sit in a subnet group of non-public subnets: dbSubnetGroupName is (unset), so AWS uses the default VPC, expected an aws.rds.SubnetGroup of private subnets.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("rds-postgres-force-ssl", () => {
        const params = (parameters: unknown, o: Parameters<typeof res>[2] = {}) => res(aws.rds.ParameterGroup, { name: "shop-db-params", family: "postgres16", parameters }, { name: "db-params", ...o });

        it("passes PostgreSQL instances and Aurora clusters whose groups set rds.force_ssl = 1", async () => {
            assert.deepStrictEqual(await run(rdsPostgresForceSsl, goodStack()), []);
        });
        it("rejects an instance before PostgreSQL 15 on the engine's default group, as mandatory", async () => {
            const diags = await run(rdsPostgresForceSsl, [db({ engineVersion: "14.9", parameterGroupName: undefined })]);
            assert.deepStrictEqual(messages(diags), [
                'RDS instance must use a parameter group that sets rds.force_ssl = 1: parameterGroupName is (unset), so the engine\'s default group applies, where rds.force_ssl defaults to 0 for engineVersion "14.9" (before PostgreSQL 15), expected an aws.rds.ParameterGroup of this stack with rds.force_ssl = 1.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("rejects an instance whose engineVersion is unset on the default group: the version RDS picks is not in the inputs", async () => {
            assert.deepStrictEqual(messages(await run(rdsPostgresForceSsl, [db({ engineVersion: undefined, parameterGroupName: undefined })])), [
                "RDS instance must use a parameter group that sets rds.force_ssl = 1: parameterGroupName is (unset), so the engine's default group applies, expected an aws.rds.ParameterGroup of this stack with rds.force_ssl = 1.",
            ]);
        });
        it("passes PostgreSQL 15 and later on the engine's default group, unset or named (AWS defaults rds.force_ssl to 1 from 15)", async () => {
            for (const engineVersion of ["15", "15.4", "16.2", "17", "15.10-rds.20250101", 16]) {
                assert.deepStrictEqual(await run(rdsPostgresForceSsl, [db({ engineVersion, parameterGroupName: undefined })]), [], String(engineVersion));
                assert.deepStrictEqual(await run(rdsPostgresForceSsl, [db({ engineVersion, parameterGroupName: "default.postgres16" })]), [], String(engineVersion));
            }
        });
        it("rejects a default group named for an instance before PostgreSQL 15, and a group named but not declared in the stack", async () => {
            assert.deepStrictEqual(messages(await run(rdsPostgresForceSsl, [db({ engineVersion: "14", parameterGroupName: "default.postgres14" })])), [
                'RDS instance must use a parameter group that sets rds.force_ssl = 1: parameterGroupName is "default.postgres14", a default group of the engine, where rds.force_ssl defaults to 0 for engineVersion "14" (before PostgreSQL 15), expected an aws.rds.ParameterGroup of this stack with rds.force_ssl = 1.',
            ]);
            assert.deepStrictEqual(messages(await run(rdsPostgresForceSsl, [db({ parameterGroupName: "legacy-params" })])), [
                'RDS instance must use a parameter group that sets rds.force_ssl = 1: parameterGroupName is "legacy-params", which is not a group of this stack, expected an aws.rds.ParameterGroup of this stack with rds.force_ssl = 1.',
            ]);
        });
        it("passes a group of the stack that leaves rds.force_ssl out on PostgreSQL 15+, rejects it before 15", async () => {
            const quiet = params([{ name: "log_min_duration_statement", value: "500" }]);
            assert.deepStrictEqual(await run(rdsPostgresForceSsl, [quiet, db({ engineVersion: "15.4" })]), []);
            assert.deepStrictEqual(messages(await run(rdsPostgresForceSsl, [quiet, db({ engineVersion: "13.12" })])), [
                'RDS instance must use a parameter group that sets rds.force_ssl = 1: parameter group "db-params" does not set rds.force_ssl, where rds.force_ssl defaults to 0 for engineVersion "13.12" (before PostgreSQL 15), expected an aws.rds.ParameterGroup of this stack with rds.force_ssl = 1.',
            ]);
        });
        it("rejects a group that sets rds.force_ssl to 0 on every version", async () => {
            for (const engineVersion of ["14.9", "16.2", "17", UNKNOWN, undefined]) {
                assert.deepStrictEqual(messages(await run(rdsPostgresForceSsl, [params([{ name: "rds.force_ssl", value: "0" }]), db({ engineVersion })])), [
                    'RDS instance must use a parameter group that sets rds.force_ssl = 1: parameter group "db-params" sets rds.force_ssl to "0", expected "1".',
                ]);
            }
        });
        it("reports an engineVersion unknown during preview as unverifiable when nothing sets rds.force_ssl", async () => {
            const quiet = params([{ name: "log_min_duration_statement", value: "500" }]);
            for (const stack of [[db({ engineVersion: UNKNOWN, parameterGroupName: undefined })], [db({ engineVersion: UNKNOWN, parameterGroupName: "default.postgres16" })], [quiet, db({ engineVersion: UNKNOWN })]]) {
                const diags = await run(rdsPostgresForceSsl, stack);
                assert.deepStrictEqual(messages(diags), [
                    'Cannot verify during preview that RDS instance "db" accepts only TLS connections (rds.force_ssl = 1): engineVersion is (unknown until apply). Re-run the check after apply, or set the value from configuration.',
                ]);
                assert.strictEqual(diags[0].enforcementLevel, "advisory");
                assert.strictEqual(diags[0].urn, db().urn);
            }
            // An explicit 1 does not depend on the version.
            assert.deepStrictEqual(await run(rdsPostgresForceSsl, [params([{ name: "rds.force_ssl", value: "1" }]), db({ engineVersion: UNKNOWN })]), []);
        });
        it("rejects, without throwing, an engineVersion that is not a version", async () => {
            assert.deepStrictEqual(messages(await run(rdsPostgresForceSsl, [db({ engineVersion: "abc", parameterGroupName: undefined })])), [
                'RDS instance must use a parameter group that sets rds.force_ssl = 1: parameterGroupName is (unset), so the engine\'s default group applies, and engineVersion "abc" is not a version that tells whether it defaults to 1 (PostgreSQL 15 or later), expected an aws.rds.ParameterGroup of this stack with rds.force_ssl = 1.',
            ]);
            // null reads as unset; an object or an array is not a version.
            assert.deepStrictEqual(messages(await run(rdsPostgresForceSsl, [db({ engineVersion: null, parameterGroupName: undefined })])), [
                "RDS instance must use a parameter group that sets rds.force_ssl = 1: parameterGroupName is (unset), so the engine's default group applies, expected an aws.rds.ParameterGroup of this stack with rds.force_ssl = 1.",
            ]);
            for (const engineVersion of [{ major: 16 }, ["16"], "v16", "", NaN]) {
                const diags = await run(rdsPostgresForceSsl, [db({ engineVersion, parameterGroupName: undefined })]);
                assert.strictEqual(diags.length, 1, String(engineVersion));
                assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            }
        });
        it("reads the major version robustly", () => {
            const majors = ["15", "15.4", "16.2", "17", " 17.1 ", "9.6.24", "11.22-rds.20240418", 16, 15.4].map(postgresMajorOf);
            assert.deepStrictEqual(majors, [15, 15, 16, 17, 17, 9, 11, 16, 15]);
            for (const bad of ["abc", "", "16abc", "v16", ".16", null, undefined, {}, [], NaN, Infinity, true]) assert.strictEqual(postgresMajorOf(bad), undefined, String(bad));
        });
        it("follows the property dependency to an auto-named group", async () => {
            const group = res(aws.rds.ParameterGroup, { family: "postgres16", parameters: [{ name: "rds.force_ssl", value: "0" }] }, { name: "db-params" });
            const diags = await run(rdsPostgresForceSsl, [group, db({ parameterGroupName: UNKNOWN }, { propertyDependencies: { parameterGroupName: [group.urn] } })]);
            assert.deepStrictEqual(messages(diags), ['RDS instance must use a parameter group that sets rds.force_ssl = 1: parameter group "db-params" sets rds.force_ssl to "0", expected "1".']);
        });
        it("reports a value unknown during preview as unverifiable, on the parameter group", async () => {
            const group = params([{ name: "rds.force_ssl", value: UNKNOWN }]);
            const diags = await run(rdsPostgresForceSsl, [group, db()]);
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that RDS instance "db" accepts only TLS connections \(rds.force_ssl = 1\): parameters\[0\]\.value is \(unknown until apply\)/);
            assert.strictEqual(diags[0].urn, group.urn);
        });
        it("checks Aurora PostgreSQL clusters' cluster parameter group", async () => {
            const cluster = res(aws.rds.Cluster, { ...goodAuroraCluster, dbClusterParameterGroupName: undefined }, { name: "aurora" });
            assert.deepStrictEqual(messages(await run(rdsPostgresForceSsl, [...supportingResources(), cluster])), [
                "RDS cluster must use a parameter group that sets rds.force_ssl = 1: dbClusterParameterGroupName is (unset), so the engine's default group applies, expected an aws.rds.ClusterParameterGroup of this stack with rds.force_ssl = 1.",
            ]);
        });
        it("keeps requiring an explicit rds.force_ssl = 1 for Aurora PostgreSQL, whatever its version", async () => {
            const cluster = (props: Record<string, unknown>) => res(aws.rds.Cluster, { ...goodAuroraCluster, engineVersion: "16.4", ...props }, { name: "aurora" });
            assert.deepStrictEqual(messages(await run(rdsPostgresForceSsl, [cluster({ dbClusterParameterGroupName: "default.aurora-postgresql16" })])), [
                'RDS cluster must use a parameter group that sets rds.force_ssl = 1: dbClusterParameterGroupName is "default.aurora-postgresql16", a default group of the engine, expected an aws.rds.ClusterParameterGroup of this stack with rds.force_ssl = 1.',
            ]);
            const quiet = res(aws.rds.ClusterParameterGroup, { name: "shop-aurora-params", family: "aurora-postgresql16", parameters: [] }, { name: "aurora-params" });
            assert.deepStrictEqual(messages(await run(rdsPostgresForceSsl, [quiet, cluster({ engineVersion: UNKNOWN })])), [
                'RDS cluster must use a parameter group that sets rds.force_ssl = 1: parameter group "aurora-params" does not set rds.force_ssl, expected an aws.rds.ClusterParameterGroup of this stack with rds.force_ssl = 1.',
            ]);
        });
        it("judges a Multi-AZ DB cluster (engine postgres) by its version like an instance", async () => {
            const cluster = (props: Record<string, unknown>) =>
                res(aws.rds.Cluster, { engine: "postgres", dbClusterInstanceClass: "db.m6gd.large", storageType: "io1", allocatedStorage: 100, iops: 1000, ...props }, { name: "madb" });
            assert.deepStrictEqual(await run(rdsPostgresForceSsl, [cluster({ engineVersion: "16.3" })]), []);
            assert.deepStrictEqual(messages(await run(rdsPostgresForceSsl, [cluster({ engineVersion: "14.12" })])), [
                'RDS cluster must use a parameter group that sets rds.force_ssl = 1: dbClusterParameterGroupName is (unset), so the engine\'s default group applies, where rds.force_ssl defaults to 0 for engineVersion "14.12" (before PostgreSQL 15), expected an aws.rds.ClusterParameterGroup of this stack with rds.force_ssl = 1.',
            ]);
            assert.deepStrictEqual(messages(await run(rdsPostgresForceSsl, [cluster({ engineVersion: UNKNOWN })])), [
                'Cannot verify during preview that RDS cluster "madb" accepts only TLS connections (rds.force_ssl = 1): engineVersion is (unknown until apply). Re-run the check after apply, or set the value from configuration.',
            ]);
        });
        it("ignores other engines", async () => {
            assert.deepStrictEqual(await run(rdsPostgresForceSsl, [db({ engine: "mysql", parameterGroupName: undefined }), res(aws.docdb.Cluster, goodDocdbCluster)]), []);
        });
        it("reads the setting from a parameter list", () => {
            assert.deepStrictEqual(forceSslOf([{ name: "rds.force_ssl", value: 1 }]), { state: "on", value: 1 });
            assert.deepStrictEqual(forceSslOf(undefined), { state: "absent" });
            assert.deepStrictEqual(forceSslOf(UNKNOWN_ARRAY), { state: "unknown", path: "parameters" });
            assert.deepStrictEqual(forceSslOf([{ name: "a", value: "1" }, UNKNOWN]), { state: "unknown", path: "parameters[1]" });
            assert.deepStrictEqual(forceSslOf([{ name: "a", value: "1" }, { name: UNKNOWN, value: "1" }]), { state: "unknown", path: "parameters[1]" });
        });
    });

    describe("rds-in-backup-plan", () => {
        const selection = (props: Record<string, unknown>, o: Parameters<typeof res>[2] = {}) =>
            res(aws.backup.Selection, { name: "databases", planId: "plan-id", iamRoleArn: "arn:aws:iam::123456789012:role/backup", ...props }, { name: "db-backup", ...o });

        it("passes every database selected by wildcard ARNs", async () => {
            assert.deepStrictEqual(await run(rdsInBackupPlan, goodStack()), []);
        });
        it("rejects every database when the stack has no backup selection, as advisory", async () => {
            const diags = await run(rdsInBackupPlan, without(goodStack(), aws.backup.Selection));
            assert.deepStrictEqual(messages(diags), [
                "RDS instance must be in an AWS Backup plan: the stack has no aws.backup.Selection, expected a selection whose resources include its ARN (or a matching wildcard).",
                "RDS cluster must be in an AWS Backup plan: the stack has no aws.backup.Selection, expected a selection whose resources include its ARN (or a matching wildcard).",
                "DocumentDB cluster must be in an AWS Backup plan: the stack has no aws.backup.Selection, expected a selection whose resources include its ARN (or a matching wildcard).",
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "advisory"));
        });
        it("joins a selection to a database through the ARN's property dependency", async () => {
            const instance = db();
            const other = res(aws.rds.Instance, { ...goodInstance, identifier: "reports-db" }, { name: "reports" });
            const diags = await run(rdsInBackupPlan, [instance, other, selection({ resources: [UNKNOWN] }, { propertyDependencies: { resources: [instance.urn] } })]);
            assert.deepStrictEqual(messages(diags), [
                "RDS instance must be in an AWS Backup plan: none of the 1 aws.backup.Selection resources selects it, expected a selection whose resources include its ARN (or a matching wildcard).",
            ]);
            assert.strictEqual(diags[0].urn, other.urn);
        });
        it("matches literal and wildcard ARNs against the identifier", async () => {
            const exact = selection({ resources: ["arn:aws:rds:us-east-1:123456789012:db:shop-db", "arn:aws:rds:*:*:cluster:shop-*"] });
            assert.deepStrictEqual(await run(rdsInBackupPlan, [exact, db(), res(aws.docdb.Cluster, goodDocdbCluster, { name: "docs" })]), []);
            const diags = await run(rdsInBackupPlan, [exact, db({ identifier: "other-db" })]);
            assert.strictEqual(diags.length, 1);
        });
        it("selects by an RDS ARN only: not another service's, nor a truncated one", () => {
            const [instance] = linked([db()]);
            assert.strictEqual(arnSelects("arn:aws:rds:eu-west-1:123456789012:db:shop-db", instance), true);
            assert.strictEqual(arnSelects("arn:aws:ec2:eu-west-1:123456789012:db:shop-db", instance), false);
            assert.strictEqual(arnSelects("arn:aws:rds:*:*", instance), false);
        });
        it("lets only a bare * match a database whose identifier is not given", async () => {
            const auto = db({ identifier: undefined });
            assert.strictEqual((await run(rdsInBackupPlan, [auto, selection({ resources: ["arn:aws:rds:*:*:db:shop-*"] })])).length, 1);
            assert.deepStrictEqual(await run(rdsInBackupPlan, [auto, selection({ resources: ["arn:aws:rds:*:*:db:*"] })]), []);
            assert.deepStrictEqual(await run(rdsInBackupPlan, [auto, selection({ resources: ["*"] })]), []);
        });
        it("honours notResources and tag selections", async () => {
            assert.strictEqual((await run(rdsInBackupPlan, [db(), selection({ resources: ["*"], notResources: ["arn:aws:rds:*:*:db:shop-db"] })])).length, 1);
            const tagged = db({ tags: { Backup: "daily" } });
            assert.deepStrictEqual(await run(rdsInBackupPlan, [tagged, selection({ selectionTags: [{ type: "STRINGEQUALS", key: "Backup", value: "daily" }] })]), []);
        });
        it("reports unknown resources it cannot trace as unverifiable, on the selection", async () => {
            const sel = selection({ resources: [UNKNOWN] });
            const diags = await run(rdsInBackupPlan, [db(), sel]);
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that RDS instance "db" is in a backup plan: resources is/);
            assert.strictEqual(diags[0].urn, sel.urn);
        });
    });
});
