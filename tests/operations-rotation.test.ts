import * as assert from "assert";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mock-outputs";
import { problemsOf } from "./config-helpers";
import { Run, runStack } from "./harness";

/**
 * Master-password rotation: RDS and DocumentDB manage their master secrets and rotate them themselves
 * (managed rotation, no Lambda); the program sets the schedule from `passwordRotationDays`.
 */

const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const secretArn = (name: string) => `arn:aws:secretsmanager:eu-west-1:${MOCK_ACCOUNT_ID}:secret:${name}-AbCdEf`;

for (const stack of ["prod", "staging"]) {
    describe(`master-password rotation: ${stack} stack`, () => {
        let run: Run;
        before(async () => {
            run = await runStack(stack);
        });

        it("rotates exactly the two managed master secrets, nothing else", () => {
            assert.deepStrictEqual(run.ofType(ROTATION).map((r) => r.name).sort(), ["documentdb-password-rotation", "postgres-password-rotation"]);
        });

        for (const [store, resource, type, secret] of [
            ["postgres", "postgres-instance", "aws:rds/instance:Instance", "rds!db-postgres-instance"],
            ["documentdb", "documentdb-cluster", "aws:docdb/cluster:Cluster", "rds!cluster-documentdb-cluster"],
        ]) {
            it(`${store}: every 30 days (the profile's default), managed (no Lambda), not at once, on the secret the store reports`, () => {
                const rotation = run.one(ROTATION, `${store}-password-rotation`);
                assert.deepStrictEqual(rotation.inputs, { secretId: secretArn(secret), rotationRules: { automaticallyAfterDays: 30 }, rotateImmediately: false });
                assert.deepStrictEqual(rotation.propertyDependencies.secretId, [run.one(type, resource).urn]);
                assert.strictEqual(run.byUrn(rotation.parent)?.type, store === "postgres" ? "baseline:data:Postgres" : "baseline:data:DocumentDb");
            });
        }
    });
}

describe("master-password rotation: schedule from config", () => {
    it("takes database.passwordRotationDays and documentDb.passwordRotationDays", async () => {
        const run = await runStack("staging", { "baseline:database": { passwordRotationDays: 14 }, "baseline:documentDb": { passwordRotationDays: 60 } });
        assert.deepStrictEqual(run.one(ROTATION, "postgres-password-rotation").inputs.rotationRules, { automaticallyAfterDays: 14 });
        assert.deepStrictEqual(run.one(ROTATION, "documentdb-password-rotation").inputs.rotationRules, { automaticallyAfterDays: 60 });
    });

    it("creates no DocumentDB rotation when the stack has no DocumentDB", async () => {
        const run = await runStack("staging", { "baseline:documentDb": { enabled: false }, "baseline:services": [] });
        assert.deepStrictEqual(run.ofType(ROTATION).map((r) => r.name), ["postgres-password-rotation"]);
    });

    const base = {
        environment: "prod", app: { name: "pos" }, domain: { name: "pos.example.com", zoneName: "example.com" }, alerts: { emails: ["ops@example.com"] },
        cache: { holds: "both" }, backup: { copyRegion: "eu-central-1" }, deploy: { repository: "acme/pos-api" },
    };
    const tags = { tags: { Environment: "prod", Project: "baseline", Owner: "platform", CostCenter: "cc-1" } };

    it("refuses more than 90 days in prod, for either store", () => {
        assert.deepStrictEqual(problemsOf({ baseline: { ...base, database: { passwordRotationDays: 91 }, documentDb: { enabled: true, passwordRotationDays: 120 } }, region: "eu-west-1", defaultTags: tags }), [
            "baseline:database.passwordRotationDays = 91 is not allowed: expected an integer from 1 to 90",
            "baseline:documentDb.passwordRotationDays = 120 is not allowed: expected an integer from 1 to 90",
        ]);
    });
});
