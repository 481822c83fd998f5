import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { databasePolicies } from "../../policies/data/database";
import { evaluate, resolvePolicyConfig } from "../../tools/offline/evaluate";
import { goodAuroraCluster, goodDocdbCluster, goodInstance, supportingResources } from "./database-fixtures";
import { res } from "./helpers";

/** Level column of docs/policy-catalogue.md for rds-01..rds-16. */
const CATALOGUE_LEVELS: Record<string, "mandatory" | "advisory"> = {
    "rds-01": "mandatory", "rds-02": "mandatory", "rds-03": "mandatory", "rds-04": "mandatory", "rds-05": "mandatory",
    "rds-06": "advisory", "rds-07": "advisory", "rds-08": "advisory", "rds-09": "advisory", "rds-10": "advisory",
    "rds-11": "advisory", "rds-12": "mandatory", "rds-13": "mandatory", "rds-14": "mandatory", "rds-15": "advisory", "rds-16": "mandatory",
};

/** Prod's thresholds: 30 days of backups, customer-managed keys. */
const PROD_CONFIG = { "rds-backup-retention": { minimumRetentionDays: 30 }, "rds-storage-encrypted": { requireCustomerKey: true } };

async function evaluatePack(resources: ReturnType<typeof res>[], config: Record<string, unknown> = {}) {
    return (await evaluate(resources, { policies: databasePolicies, config: resolvePolicyConfig(databasePolicies, config) })).diagnostics;
}

describe("policies: database pack", () => {
    it("implements each catalogue row rds-01..rds-16 once, at the catalogue's level", () => {
        const byRow = new Map<string, string>();
        for (const p of databasePolicies) {
            for (const tag of (p.tags ?? []).filter((t) => t.startsWith("catalogue:"))) {
                const row = tag.slice("catalogue:".length);
                assert.ok(!byRow.has(row), `${row} is implemented by both ${byRow.get(row)} and ${p.name}`);
                byRow.set(row, p.name);
                assert.strictEqual(p.enforcementLevel, CATALOGUE_LEVELS[row], `${p.name} (${row})`);
            }
        }
        assert.deepStrictEqual([...byRow.keys()].sort(), Object.keys(CATALOGUE_LEVELS).sort());
    });

    it("names every policy in kebab-case with the rds- prefix, once, with remediation steps", () => {
        const names = databasePolicies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, names.length);
        for (const p of databasePolicies) {
            assert.match(p.name, /^rds-[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.ok((p.remediationSteps ?? "").length > 20, `${p.name} has remediation steps`);
        }
    });

    it("passes compliant databases and their subnet groups, parameter groups and backup selection under prod's thresholds", async () => {
        const resources = [
            ...supportingResources(),
            res(aws.rds.Instance, goodInstance, { name: "db" }),
            res(aws.rds.Cluster, goodAuroraCluster, { name: "aurora" }),
            res(aws.rds.ClusterInstance, { clusterIdentifier: "shop-aurora", engine: "aurora-postgresql", instanceClass: "db.r6g.large" }, { name: "aurora-1" }),
            res(aws.docdb.Cluster, goodDocdbCluster, { name: "docs" }),
        ];
        assert.deepStrictEqual(await evaluatePack(resources, PROD_CONFIG), []);
    });

    it("prod's 30-day minimum rejects the 14 days that the default minimum of 7 accepts", async () => {
        const resources = [...supportingResources(), res(aws.rds.Instance, { ...goodInstance, backupRetentionPeriod: 14 }, { name: "db" })];
        assert.deepStrictEqual(await evaluatePack(resources), []);
        const diags = await evaluatePack(resources, PROD_CONFIG);
        assert.deepStrictEqual(diags.map((d) => [d.policyName, d.enforcementLevel]), [["rds-backup-retention", "mandatory"]]);
        assert.match(diags[0].message, /backupRetentionPeriod is 14, expected at least 30\.$/);
    });

    it("flags an instance left at AWS defaults under every policy but rds-01 (private by default)", async () => {
        const bare = res(aws.rds.Instance, { engine: "postgres", instanceClass: "db.t4g.micro", username: "postgres", password: "not-a-real-password" }, { name: "bare" });
        const fired = new Set((await evaluatePack([bare])).map((d) => d.policyName));
        const expected = databasePolicies.map((p) => p.name).filter((n) => n !== "rds-no-public-access");
        assert.deepStrictEqual([...fired].sort(), expected.sort());
    });
});
