import * as assert from "assert";
import { RawConfig, resolveConfig } from "../infra/config/load";
import { ALARMS_CHECKS } from "../infra/config/sections/alarms";
import { problemsOf } from "./config-helpers";

/**
 * The operations config (infra/config/sections/{alarms,operations,app-settings}.ts) and the loader's cross
 * checks against aws:region, aws:defaultTags and the keys set with --secret (load.ts): exact messages.
 */

const TAGS = (env: string) => ({ tags: { Environment: env, Project: "baseline", Owner: "platform", CostCenter: "cc-1" } });
const WEBHOOK = "https://hooks.example.com/services/T0/B0/s3cr3tT0ken";

function raw(baseline: Record<string, unknown>, env = "prod", extra: Partial<RawConfig> = {}): RawConfig {
    return {
        baseline: {
            environment: env,
            app: { name: "pos" },
            domain: { name: "pos.example.com", zoneName: "example.com" },
            alerts: { emails: ["ops@example.com"] },
            cache: { holds: "both" },
            ...(env === "prod" ? { backup: { copyRegion: "eu-central-1" }, deploy: { repository: "acme/pos-api" } } : {}),
            ...baseline,
        },
        region: "eu-west-1",
        defaultTags: TAGS(env),
        ...extra,
    };
}

describe("operations configuration", () => {
    it("gives prod the requirements' defaults: thresholds, a 500 USD budget on the Project tag, a trail, 35/365-day backups", () => {
        const c = resolveConfig(raw({}));
        assert.deepStrictEqual([c.alarms.serviceCpuPercent, c.alarms.serviceMemoryPercent, c.alarms.target5xxCount, c.alarms.targetResponseTimeP95Seconds, c.alarms.unhealthyHosts], [85, 90, 10, 2, 0]);
        assert.deepStrictEqual(c.budget, { monthlyLimitUsd: 500, costAllocationTag: "Project" });
        assert.deepStrictEqual(c.audit, { cloudTrail: true, glacierAfterDays: 90, expireAfterDays: 2557 });
        assert.deepStrictEqual(c.backup, { dailyRetentionDays: 35, monthlyRetentionDays: 365, copyRegion: "eu-central-1" });
        assert.deepStrictEqual([c.database.passwordRotationDays, c.documentDb.passwordRotationDays], [30, 30]);
        assert.deepStrictEqual([c.parameters, c.appSecrets], [{}, {}]);
    });

    it("lets staging go without a copy region and a deploy repository", () => {
        const c = resolveConfig(raw({}, "staging"));
        assert.deepStrictEqual([c.backup.copyRegion, c.deploy.repository], [undefined, undefined]);
    });

    it("accepts a webhook set with --secret", () => {
        const c = resolveConfig(raw({ alerts: { emails: ["ops@example.com"], httpsEndpoint: WEBHOOK } }, "prod", { secretKeys: ["alerts"] }));
        assert.strictEqual(c.alerts.httpsEndpoint, WEBHOOK);
    });

    const cases: [string, RawConfig, string[]][] = [
        // The alarms' memory and connection thresholds come from the class: one they do not know stops the config.
        ["a database class the alarms do not know", raw({ database: { instanceClass: "db.x2g.large" } }), [
            'baseline:database.instanceClass = "db.x2g.large" is not allowed: expected an RDS for PostgreSQL instance class such as db.m6g.large, one of those whose memory and connection limit infra/operations/instance-limits.ts lists',
        ]],
        ["a DocumentDB class the alarms do not know", raw({ documentDb: { enabled: true, instanceClass: "db.r4.large" } }), [
            'baseline:documentDb.instanceClass = "db.r4.large" is not allowed: expected a DocumentDB instance class such as db.r6g.large, one of those whose memory and connection limit infra/operations/instance-limits.ts lists',
        ]],
        ["no e-mail", raw({ alerts: { emails: [] } }), [
            "baseline:alerts.emails = [] is not allowed: expected a list of 1 to 10 e-mail addresses (a budget notification takes at most 10)",
        ]],
        ["an unknown threshold", raw({ alarms: { cpuPercent: 90 } }), [
            `baseline:alarms.cpuPercent is not a setting: allowed keys are ${Object.keys(ALARMS_CHECKS).join(", ")}`,
        ]],
        ["a threshold given as a top-level key", raw({ "alarms.serviceCpuPercent": 90 }), [
            "baseline:alarms.serviceCpuPercent is not a setting: set serviceCpuPercent inside the baseline:alarms object (pulumi config set --path 'baseline:alarms.serviceCpuPercent' <value>)",
        ]],
        ["a copy region equal to aws:region", raw({ backup: { copyRegion: "eu-west-1" } }), [
            'baseline:backup.copyRegion = "eu-west-1" is not allowed: expected a region other than aws:region "eu-west-1" (a copy in the same region does not survive its loss)',
        ]],
        ["a cost-allocation tag the stack does not set", raw({ budget: { costAllocationTag: "Stack" } }), [
            'baseline:budget.costAllocationTag = "Stack" is not allowed: expected one of the keys of aws:defaultTags.tags (Environment, Project, Owner, CostCenter): the budget counts resources carrying the stack\'s value of it',
        ]],
        ["a webhook in plain text", raw({ alerts: { emails: ["ops@example.com"], httpsEndpoint: WEBHOOK } }), [
            "baseline:alerts.httpsEndpoint is set in plain text (value not shown): a webhook URL carries its token; set it with pulumi config set --secret --path baseline:alerts.httpsEndpoint <url>",
        ]],
        ["prod without a copy region or a deploy repository", raw({ backup: {}, deploy: {} }), [
            "baseline:backup.copyRegion = (unset) is not allowed: expected a second AWS region such as eu-central-1 in prod (recovery points must survive the loss of a region)",
            "baseline:deploy.repository = (unset) is not allowed: expected the owner/repository that deploys prod (prod deploys only through the OIDC roles)",
        ]],
        ["master passwords rotated less often than every 90 days in prod", raw({ database: { passwordRotationDays: 91 }, documentDb: { enabled: true, passwordRotationDays: 365 } }), [
            "baseline:database.passwordRotationDays = 91 is not allowed: expected an integer from 1 to 90",
            "baseline:documentDb.passwordRotationDays = 365 is not allowed: expected an integer from 1 to 90",
        ]],
        ["trail logs expiring less than 90 days after they move to Glacier", raw({ audit: { glacierAfterDays: 100, expireAfterDays: 150 } }), [
            "baseline:audit.expireAfterDays = 150 is not allowed: expected an integer from 190 to 3653",
        ]],
        ["a percent threshold of 0", raw({ alarms: { databaseCpuPercent: 0 } }), [
            "baseline:alarms.databaseCpuPercent = 0 is not allowed: expected a number of percent from 1 to 100",
        ]],
        ["a wildcard in the deploy repository", raw({ deploy: { repository: "acme/*" } }), [
            'baseline:deploy.repository = "acme/*" is not allowed: expected owner/repository, such as acme/pos-api, without wildcards',
        ]],
        ["a secure parameter with a value", raw({ parameters: { GATEWAY_KEY: { secure: true, value: "sk_live_123" } } }), [
            "baseline:parameters.GATEWAY_KEY.value is not allowed with secure: true (value not shown): a secure parameter's value is never in config; set it with aws ssm put-parameter --overwrite (see the README)",
        ]],
        ["a plain parameter whose name looks secret", raw({ parameters: { SESSION_SECRET: { value: "abc" } } }), [
            "baseline:parameters.SESSION_SECRET looks secret by its name: set secure: true (a SecureString whose value is set outside config), or use baseline:appSecrets",
        ]],
        ["an unknown key of an app secret", raw({ appSecrets: { JWT: { bytes: 32 } } }), [
            "baseline:appSecrets.JWT.bytes is not a setting: allowed keys are length, version",
        ]],
    ];
    for (const [what, config, expected] of cases) {
        it(`refuses ${what}`, () => {
            const problems = problemsOf(config);
            assert.deepStrictEqual(problems, expected);
            for (const secret of ["s3cr3tT0ken", "sk_live_123"]) assert.ok(!problems.join("\n").includes(secret), "no secret value is printed");
        });
    }
});
