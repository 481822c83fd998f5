import * as assert from "assert";
import { RawConfig, resolveConfig } from "../infra/config/load";
import {
    AppSettingsArgs, appSecretArgs, appSecretName, appSecretValueArgs, appSettingsProblems, parameterPath, stringParameterArgs,
} from "../infra/operations/app-settings";
import { AppSettings } from "../infra/operations/app-settings";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mock-outputs";
import { problemsOf } from "./config-helpers";
import { Run, isSecret, runStack, runUnderMocks } from "./harness";

/**
 * `AppSettings` (baseline:parameters, baseline:appSecrets) on both stacks, what the services' execution
 * roles may read of it, and the config's checks of the references. Stack files: the api references
 * LOG_FORMAT and PAYMENT_GATEWAY_API_KEY (SSM) and JWT_SIGNING_SECRET (Secrets Manager); the worker none.
 */

const PARAM = "aws:ssm/parameter:Parameter";
const SECRET = "aws:secretsmanager/secret:Secret";
const VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
const PASSWORD = "random:index/randomPassword:RandomPassword";
const POLICY = "aws:iam/rolePolicy:RolePolicy";
const REGION = "eu-west-1";
const DATA_KEY = `arn:aws:kms:${REGION}:${MOCK_ACCOUNT_ID}:key/keys-data-key-id`;
/** What the mock draws for every RandomPassword: it must appear in no output. */
const MOCK_PASSWORD = "mock-generated-password-0123456789abcdef";

const paramArn = (path: string) => `arn:aws:ssm:${REGION}:${MOCK_ACCOUNT_ID}:parameter${path}`;
const secretArn = (name: string) => `arn:aws:secretsmanager:${REGION}:${MOCK_ACCOUNT_ID}:secret:${name}-AbCdEf`;
const viaService = (service: string) => `${service}.${REGION}.amazonaws.com`;

for (const env of [{ stack: "prod", protect: true, recovery: 30 }, { stack: "staging", protect: false, recovery: 0 }]) {
    describe(`application settings and secrets: ${env.stack} stack`, () => {
        let run: Run;
        const prefix = `/pos/${env.stack}`;
        before(async () => {
            run = await runStack(env.stack);
        });

        it(`creates the plain setting LOG_FORMAT as a String at ${prefix}/LOG_FORMAT, its value readable in the diff, no key`, () => {
            const p = run.one(PARAM, "app-settings-param-LOG_FORMAT");
            assert.deepStrictEqual(p.inputs, {
                name: `${prefix}/LOG_FORMAT`, type: "String", insecureValue: "json", tier: "Standard",
                description: `Application setting ${prefix}/LOG_FORMAT`, tags: { Name: `${prefix}/LOG_FORMAT` },
            });
            assert.deepStrictEqual([p.protect, p.retainOnDelete, p.ignoreChanges], [false, false, []]);
        });

        it("creates the secure setting as a SecureString under the data key, with a random placeholder the program never writes back", () => {
            const p = run.one(PARAM, "app-settings-param-PAYMENT_GATEWAY_API_KEY");
            const { value, ...rest } = p.inputs;
            assert.deepStrictEqual(rest, {
                name: `${prefix}/PAYMENT_GATEWAY_API_KEY`, type: "SecureString", keyId: DATA_KEY, tier: "Standard",
                description: `API key the payment gateway issued for pos-${env.stack} (set out of band, see docs/runbooks/secrets.md)`,
                tags: { Name: `${prefix}/PAYMENT_GATEWAY_API_KEY` },
            });
            assert.ok(isSecret(value), "the placeholder is a secret in state and on the wire");
            assert.strictEqual(p.inputs.overwrite, undefined, "overwrite unset: the provider refuses to create over an existing parameter");
            // Any update is a PutParameter carrying the placeholder held in state: nothing it writes may change after create.
            assert.deepStrictEqual(p.ignoreChanges, ["value", "description", "keyId", "tier", "allowedPattern", "dataType"]);
            assert.deepStrictEqual(p.propertyDependencies.keyId, [run.one("aws:kms/key:Key", "keys-data").urn]);
            const placeholder = run.one(PASSWORD, "app-settings-param-PAYMENT_GATEWAY_API_KEY-placeholder");
            assert.deepStrictEqual(p.propertyDependencies.value, [placeholder.urn]);
            assert.deepStrictEqual(placeholder.inputs, { length: 32, special: false });
            assert.deepStrictEqual([p.protect, p.retainOnDelete], [env.protect, env.protect]);
        });

        it(`creates the app secret pos/${env.stack}/JWT_SIGNING_SECRET under the data key, tagged rotation: manual, recovery window ${env.recovery} days`, () => {
            const s = run.one(SECRET, "app-settings-secret-JWT_SIGNING_SECRET");
            assert.deepStrictEqual(s.inputs, {
                name: `pos/${env.stack}/JWT_SIGNING_SECRET`,
                description: `Generated application secret pos/${env.stack}/JWT_SIGNING_SECRET: raise its version in baseline:appSecrets to draw a new value (docs/runbooks/secrets.md)`,
                kmsKeyId: DATA_KEY,
                recoveryWindowInDays: env.recovery,
                tags: { Name: `pos/${env.stack}/JWT_SIGNING_SECRET`, rotation: "manual" },
            });
            assert.deepStrictEqual([s.protect, s.retainOnDelete, s.deleteBeforeReplace ?? false], [env.protect, env.protect, !env.protect]);
        });

        it("draws the app secret's value (64 letters and digits, keyed on its version) into a secret version, as a secret", () => {
            const value = run.one(PASSWORD, "app-settings-secret-JWT_SIGNING_SECRET-value");
            assert.deepStrictEqual(value.inputs, {
                length: 64, special: false, upper: true, lower: true, numeric: true, minUpper: 1, minLower: 1, minNumeric: 1, keepers: { version: "1" },
            });
            const version = run.one(VERSION, "app-settings-secret-JWT_SIGNING_SECRET-version");
            assert.ok(isSecret(version.inputs.secretString));
            assert.deepStrictEqual(version.propertyDependencies.secretString, [value.urn]);
            assert.deepStrictEqual(version.propertyDependencies.secretId, [run.one(SECRET, "app-settings-secret-JWT_SIGNING_SECRET").urn]);
        });

        it("outputs no secret value: neither the stack nor the component", () => {
            assert.ok(!JSON.stringify(run.outputs ?? {}).includes(MOCK_PASSWORD));
            const component = run.one("baseline:operations:AppSettings", "app-settings");
            assert.ok(run.ofType(PARAM).concat(run.ofType(SECRET), run.ofType(VERSION), run.ofType(PASSWORD).filter((r) => r.name.startsWith("app-settings")))
                .filter((r) => r.name.startsWith("app-settings"))
                .every((r) => r.parent === component.urn));
        });

        it("lets the api's execution role read exactly its referenced settings and secrets, decrypting the SecureString only through SSM and only for that parameter", () => {
            const doc = JSON.parse(run.one(POLICY, "service-api-read-secrets").inputs.policy);
            const stores = [`rds!db-postgres-instance`, "redis-auth-secret", "rds!cluster-documentdb-cluster"];
            assert.deepStrictEqual(doc, {
                Version: "2012-10-17",
                Statement: [
                    { Sid: "ReadReferencedSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [...stores.map(secretArn), secretArn(`pos/${env.stack}/JWT_SIGNING_SECRET`)] },
                    { Sid: "ReadReferencedParameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: [paramArn(`${prefix}/LOG_FORMAT`), paramArn(`${prefix}/PAYMENT_GATEWAY_API_KEY`)] },
                    { Sid: "DecryptSecretsThroughSecretsManager", Effect: "Allow", Action: "kms:Decrypt", Resource: DATA_KEY, Condition: { StringEquals: { "kms:ViaService": viaService("secretsmanager") } } },
                    {
                        Sid: "DecryptSettingsThroughSsm", Effect: "Allow", Action: "kms:Decrypt", Resource: DATA_KEY,
                        Condition: { StringEquals: { "kms:ViaService": viaService("ssm"), "kms:EncryptionContext:PARAMETER_ARN": [paramArn(`${prefix}/PAYMENT_GATEWAY_API_KEY`)] } },
                    },
                ],
            });
        });

        it("resolves the api's references to the resources themselves, not a lookup by name (which fails on a first preview)", () => {
            const policy = run.one(POLICY, "service-api-read-secrets");
            const from = policy.propertyDependencies.policy ?? [];
            for (const r of [run.one(SECRET, "app-settings-secret-JWT_SIGNING_SECRET"), run.one(PARAM, "app-settings-param-LOG_FORMAT"), run.one(PARAM, "app-settings-param-PAYMENT_GATEWAY_API_KEY")]) {
                assert.ok(from.includes(r.urn), `${r.name} feeds the policy`);
            }
            const container = JSON.parse(run.one("aws:ecs/taskDefinition:TaskDefinition", "service-api-task").inputs.containerDefinitions)[0];
            const own = container.secrets.filter((s: { name: string }) => ["LOG_FORMAT", "PAYMENT_GATEWAY_API_KEY", "JWT_SECRET"].includes(s.name));
            assert.deepStrictEqual(own, [
                { name: "JWT_SECRET", valueFrom: secretArn(`pos/${env.stack}/JWT_SIGNING_SECRET`) },
                { name: "LOG_FORMAT", valueFrom: paramArn(`${prefix}/LOG_FORMAT`) },
                { name: "PAYMENT_GATEWAY_API_KEY", valueFrom: paramArn(`${prefix}/PAYMENT_GATEWAY_API_KEY`) },
            ]);
            assert.ok(!container.environment.some((e: { name: string }) => ["JWT_SECRET", "PAYMENT_GATEWAY_API_KEY"].includes(e.name)));
        });

        it("gives the worker, which references none of them, no right to any of them and no SSM decryption", () => {
            const text = run.one(POLICY, "service-worker-read-secrets").inputs.policy as string;
            assert.ok(!text.includes(`pos/${env.stack}/`), text);
            assert.ok(!text.includes("ssm"), text);
            // The task roles (the application code) read nothing: ECS injects the values with the execution role.
            for (const service of ["api", "worker"]) {
                const task = run.ofType(POLICY).find((r) => r.name === `service-${service}-application`);
                assert.ok(!task || !/secretsmanager:|ssm:GetParam/.test(task.inputs.policy), service);
            }
        });
    });
}

describe("application settings: first preview of a new stack", () => {
    it("registers every setting and secret on a new stack's first preview, when no ARN is known yet", async () => {
        const run = await runStack("prod", {}, { firstPreview: true });
        assert.deepStrictEqual(run.ofType(PARAM).map((r) => r.inputs.name).sort(), ["/pos/prod/LOG_FORMAT", "/pos/prod/PAYMENT_GATEWAY_API_KEY"]);
        assert.deepStrictEqual(run.ofType(SECRET).filter((r) => r.name.startsWith("app-settings")).map((r) => r.inputs.name), ["pos/prod/JWT_SIGNING_SECRET"]);
    });
});

describe("AppSettings arguments", () => {
    const args = (over: Partial<AppSettingsArgs> = {}): AppSettingsArgs => ({
        app: "pos", environment: "prod", parameters: { LOG_FORMAT: { value: "json", secure: false } }, appSecrets: { JWT: { length: 64, version: 1 } }, dataKeyArn: DATA_KEY, protect: true, ...over,
    });

    it("names parameters /<app>/<env>/<name> and secrets <app>/<env>/<name>", () => {
        assert.strictEqual(parameterPath("pos", "prod", "A"), "/pos/prod/A");
        assert.strictEqual(appSecretName("pos", "staging", "B"), "pos/staging/B");
    });

    it("accepts valid arguments", () => assert.deepStrictEqual(appSettingsProblems(args()), []));

    const cases: [string, Partial<AppSettingsArgs>, string[]][] = [
        ["an app name that is not a path segment", { app: "POS/x" }, ['app "POS/x": expected lowercase letters, digits and hyphens, starting with a letter (up to 32)']],
        ["a secure parameter with a value", { parameters: { KEY: { secure: true, value: "hunter2" } } }, ["parameters.KEY: a secure parameter takes no value (value not shown); its value is set with aws ssm put-parameter --overwrite"]],
        ["a plain parameter without a value", { parameters: { MODE: { secure: false } } }, ["parameters.MODE.value: expected a non-empty string of at most 4096 characters (or secure: true)"]],
        ["a secret shorter than 32", { appSecrets: { JWT: { length: 16, version: 1 } } }, ["appSecrets.JWT.length 16: expected an integer from 32 to 4096"]],
        ["a secret version of 0", { appSecrets: { JWT: { length: 64, version: 0 } } }, ["appSecrets.JWT.version 0: expected an integer from 1 to 1000000"]],
        ["a name shared by a parameter and a secret", { appSecrets: { LOG_FORMAT: { length: 64, version: 1 } } }, ["appSecrets.LOG_FORMAT: parameters has a setting of the same name"]],
        ["a name with a slash", { parameters: { "a/b": { value: "x", secure: false } } }, ['parameters.a/b: the name is not allowed, expected 1 to 128 letters, digits, "_", "." or "-"']],
    ];
    for (const [what, over, expected] of cases) {
        it(`refuses ${what}, never printing a value`, () => assert.deepStrictEqual(appSettingsProblems(args(over)), expected));
    }

    it("throws before registering anything", async () => {
        await assert.rejects(
            runUnderMocks(() => new AppSettings("s", args({ parameters: { KEY: { secure: true, value: "hunter2" } } }))),
            (e: Error) => e.message.startsWith('AppSettings "s" has invalid arguments:') && !e.message.includes("hunter2"),
        );
    });

    it("keeps a deleted secret 30 days when protected, deletes it at once otherwise (so the name is free for a new stack)", () => {
        assert.strictEqual(appSecretArgs("pos/prod/X", DATA_KEY, true).recoveryWindowInDays, 30);
        assert.strictEqual(appSecretArgs("pos/staging/X", DATA_KEY, false).recoveryWindowInDays, 0);
    });

    it("draws a new value when the version is raised (the version is the keeper)", () => {
        assert.deepStrictEqual(appSecretValueArgs({ length: 40, version: 3 }).keepers, { version: "3" });
        assert.strictEqual(stringParameterArgs("/pos/prod/A", { value: "x", secure: false }).insecureValue, "x");
    });
});

/** The config's checks of the references and of the settings themselves (infra/config/sections/{services,app-settings}.ts). */
describe("application settings configuration", () => {
    const TAGS = { tags: { Environment: "prod", Project: "baseline", Owner: "platform", CostCenter: "cc-1" } };
    const API = { name: "api", image: "1.4.2", public: true, port: 8080 };
    const raw = (baseline: Record<string, unknown>): RawConfig => ({
        baseline: {
            environment: "prod",
            app: { name: "pos" },
            domain: { name: "pos.example.com", zoneName: "example.com" },
            alerts: { emails: ["ops@example.com"] },
            cache: { holds: "both" },
            backup: { copyRegion: "eu-central-1" },
            deploy: { repository: "acme/pos-api" },
            parameters: { LOG_FORMAT: { value: "json" }, GATEWAY_KEY: { secure: true } },
            appSecrets: { JWT_SIGNING_SECRET: {} },
            ...baseline,
        },
        region: REGION,
        defaultTags: TAGS,
    });
    const withSecrets = (secrets: Record<string, string>) => raw({ services: [{ ...API, secrets }] });

    it("accepts references to declared settings and to names outside the stack's own prefix", () => {
        const config = resolveConfig(withSecrets({
            A: "ssm:/pos/prod/LOG_FORMAT", B: "ssm:/pos/prod/GATEWAY_KEY", C: "secretsmanager:pos/prod/JWT_SIGNING_SECRET", D: "secretsmanager:vendor/stripe:apiKey", E: "ssm:/shared/flag",
        }));
        assert.deepStrictEqual(config.parameters, { LOG_FORMAT: { secure: false, value: "json" }, GATEWAY_KEY: { secure: true } });
        assert.deepStrictEqual(config.appSecrets, { JWT_SIGNING_SECRET: { length: 64, version: 1 } });
    });

    const cases: [string, RawConfig, string[]][] = [
        ["a reference to an undeclared parameter", withSecrets({ KEY: "ssm:/pos/prod/GATEWAY_KY" }), [
            'baseline:services[0].secrets.KEY = "ssm:/pos/prod/GATEWAY_KY" is not allowed: expected ssm:/pos/prod/<name> with a name declared in baseline:parameters (LOG_FORMAT, GATEWAY_KEY): the stack creates the parameters under /pos/prod/',
        ]],
        ["a reference to an undeclared app secret", withSecrets({ JWT: "secretsmanager:pos/prod/JWT" }), [
            'baseline:services[0].secrets.JWT = "secretsmanager:pos/prod/JWT" is not allowed: expected secretsmanager:pos/prod/<name> with a name declared in baseline:appSecrets (JWT_SIGNING_SECRET): the stack creates the secrets under pos/prod/',
        ]],
        ["a JSON key of an app secret (a plain string)", withSecrets({ JWT: "secretsmanager:pos/prod/JWT_SIGNING_SECRET:key" }), [
            'baseline:services[0].secrets.JWT = "secretsmanager:pos/prod/JWT_SIGNING_SECRET:key" is not allowed: expected secretsmanager:pos/prod/JWT_SIGNING_SECRET without a JSON key (an app secret holds a plain string)',
        ]],
        ["a reference under the prefix when nothing is declared", raw({ parameters: undefined, services: [{ ...API, secrets: { A: "ssm:/pos/prod/A" } }] }), [
            'baseline:services[0].secrets.A = "ssm:/pos/prod/A" is not allowed: expected ssm:/pos/prod/<name> with a name declared in baseline:parameters (none declared): the stack creates the parameters under /pos/prod/',
        ]],
        ["a secure parameter with a value", raw({ parameters: { GATEWAY_KEY: { secure: true, value: "sk_live_123" } } }), [
            "baseline:parameters.GATEWAY_KEY.value is not allowed with secure: true (value not shown): a secure parameter's value is never in config; set it with aws ssm put-parameter --overwrite (see the README)",
        ]],
        ["a plain parameter whose name looks secret", raw({ parameters: { API_TOKEN: { value: "abc" } } }), [
            "baseline:parameters.API_TOKEN looks secret by its name: set secure: true (a SecureString whose value is set outside config), or use baseline:appSecrets",
        ]],
        ["a plain parameter holding a URL with a password", raw({ parameters: { UPSTREAM: { value: "https://u:p@example.com" } } }), [
            "baseline:parameters.UPSTREAM.value holds a URL with a user name and password (value not shown): make the parameter secure: true",
        ]],
        ["an app secret of 16 characters", raw({ appSecrets: { JWT_SIGNING_SECRET: { length: 16 } } }), [
            "baseline:appSecrets.JWT_SIGNING_SECRET.length = 16 is not allowed: expected an integer from 32 to 4096",
        ]],
    ];
    for (const [what, config, expected] of cases) {
        it(`refuses ${what}`, () => {
            const problems = problemsOf(config);
            assert.deepStrictEqual(problems, expected);
            assert.ok(!problems.join("\n").includes("sk_live_123") && !problems.join("\n").includes("u:p@"), "no value is printed");
        });
    }
});
