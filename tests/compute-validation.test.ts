import * as assert from "assert";
import { Service } from "../infra/compute/service";
import { ServiceArgs } from "../infra/compute/service-args";
import { validateServiceArgs } from "../infra/compute/validate";
import { parseSecretReference, valueFrom } from "../infra/compute/secret-refs";
import { connectionEnvironment } from "../infra/compute/container";
import { CONNECTION_VARIABLES } from "../infra/config/sections/service-values";
import { CLUSTER, serviceArgs, webService, workerService } from "./compute-fixtures";
import { runUnderMocks } from "./harness";

const EXEC_CLUSTER = { ...CLUSTER, executeCommand: { logGroupName: "/ecs-exec/shop-prod", kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/exec" } };

/** The one problem `args` has, exactly. */
const problemOf = (args: ServiceArgs) => {
    const problems = validateServiceArgs(args);
    assert.strictEqual(problems.length, 1, problems.join("\n"));
    return problems[0];
};

describe("compute Service validation", () => {
    it("the fixtures are valid", () => {
        assert.deepStrictEqual(validateServiceArgs(serviceArgs(webService())), []);
        assert.deepStrictEqual(validateServiceArgs(serviceArgs(workerService())), []);
    });

    it("throws before anything is registered, listing every problem", async () => {
        const args = serviceArgs(webService(), { loadBalancer: undefined, postgres: undefined });
        const run = await runUnderMocks(() =>
            assert.throws(() => new Service("web", args), {
                message:
                    'Service "web" has invalid arguments:\n' +
                    "  - postgres: the service uses or reads a secret of postgres, but no postgres connection was given\n" +
                    "  - loadBalancer: a public service (with routing) needs the HTTPS listener, the load balancer's ARN suffix and security group",
            }), "prod");
        assert.deepStrictEqual(run.resources, []);
    });

    it("a store read only through a secret still needs its connection", () => {
        const args = serviceArgs(workerService({ uses: [], secrets: { MONGO_PASSWORD: "documentDb:password" } }), { documentDb: undefined });
        assert.strictEqual(problemOf(args), "documentDb: the service uses or reads a secret of documentDb, but no documentDb connection was given");
    });

    it("assets access without the bucket", () => {
        assert.strictEqual(problemOf(serviceArgs(webService(), { assets: undefined })), "assets: the service has assets access, but no assets bucket was given");
    });

    it("an assets prefix with an IAM wildcard, which would widen the grant beyond the prefix", () => {
        assert.strictEqual(
            problemOf(serviceArgs(webService({ assets: { prefix: "*/", access: "read" } }))),
            'service.assets.prefix "*/": expected no "*" or "?" (IAM reads them as wildcards, granting more than the prefix)',
        );
    });

    it("a public service without its port", () => {
        assert.strictEqual(problemOf(serviceArgs(webService({ port: undefined }))), "service.port: a public service (with routing) needs its container port");
    });

    it("names that would make a role name longer than IAM's 64 characters", () => {
        assert.strictEqual(
            problemOf(serviceArgs(webService({ name: "customer-notifications-x" }), { namePrefix: "point-of-sale-platform-staging" })),
            'namePrefix and service.name give the role name "point-of-sale-platform-staging-customer-notifications-x-execution" (65 characters): IAM allows 64, shorten the service name',
        );
    });

    it("a variable set both as a secret and as plain text", () => {
        assert.strictEqual(
            problemOf(serviceArgs(webService({ environment: { REDIS_AUTH: "x" } }))),
            "service.secrets and service.environment both set REDIS_AUTH: a variable comes from one of them only",
        );
    });

    it("a reference the config would have refused", () => {
        assert.strictEqual(
            problemOf(serviceArgs(workerService({ secrets: { TOKEN_VALUE: "vault:token" } }))),
            "service.secrets.TOKEN_VALUE: not a secret reference (postgres:password, redis:authToken, secretsmanager:<name>[:<json key>], ssm:/<path>, ...)",
        );
    });

    it("ECS Exec with a read-only root filesystem, where the SSM agent cannot start", () => {
        assert.strictEqual(
            problemOf(serviceArgs(workerService(), { cluster: EXEC_CLUSTER })),
            "service.readonlyRootFilesystem is true on a cluster with ECS Exec on: the SSM agent cannot start in a read-only container, set it to false for this service or turn ECS Exec off",
        );
        assert.deepStrictEqual(validateServiceArgs(serviceArgs(workerService({ readonlyRootFilesystem: false }), { cluster: EXEC_CLUSTER })), []);
    });

    it("a health check ECS would refuse, and timings out of ECS's ranges", () => {
        assert.strictEqual(
            problemOf(serviceArgs(workerService(), { healthCheck: { command: ["curl", "-f", "http://localhost/"] } })),
            'healthCheck.command ["curl","-f","http://localhost/"]: expected ["CMD", <executable>, ...] or ["CMD-SHELL", <shell command>]',
        );
        assert.strictEqual(problemOf(serviceArgs(workerService(), { healthCheck: { command: ["CMD", "/bin/check"], intervalSeconds: 2 } })), "healthCheck.intervalSeconds is 2: expected a whole number from 5 to 300");
        assert.strictEqual(problemOf(serviceArgs(workerService(), { scaleInCooldownSeconds: -1 })), "scaleInCooldownSeconds is -1: expected a whole number from 0 to 3600");
    });
});

describe("compute secret references and connection variables (pure)", () => {
    it("parse each form the config accepts", () => {
        assert.deepStrictEqual(parseSecretReference("postgres:password"), { kind: "store", store: "postgres", jsonKey: "password" });
        assert.deepStrictEqual(parseSecretReference("redis:authToken"), { kind: "store", store: "redis" });
        assert.deepStrictEqual(parseSecretReference("secretsmanager:shop/stripe"), { kind: "secretsmanager", secretName: "shop/stripe" });
        assert.deepStrictEqual(parseSecretReference("secretsmanager:shop/stripe:apiKey"), { kind: "secretsmanager", secretName: "shop/stripe", jsonKey: "apiKey" });
        assert.deepStrictEqual(parseSecretReference("ssm:/shop/prod/seed"), { kind: "ssm", parameterPath: "/shop/prod/seed" });
        assert.strictEqual(parseSecretReference("postgres:host"), undefined);
    });

    it("valueFrom names a JSON key with empty version stage and id (the current version)", () => {
        assert.strictEqual(valueFrom("arn:aws:secretsmanager:eu-west-1:1:secret:a-AbCdEf", "password"), "arn:aws:secretsmanager:eu-west-1:1:secret:a-AbCdEf:password::");
        assert.strictEqual(valueFrom("arn:aws:ssm:eu-west-1:1:parameter/a"), "arn:aws:ssm:eu-west-1:1:parameter/a");
    });

    it("set only the variables the config reserves for the program, so a service's own variable can never clash", () => {
        const env = connectionEnvironment(["postgres", "redis", "documentDb"], {
            postgres: { host: "db", port: 5432, databaseName: "app" },
            redis: { host: "cache", port: 6379 },
            documentDb: { host: "docs", port: 27017 },
            assets: { bucketName: "b", prefix: "p/" },
        });
        assert.deepStrictEqual(Object.keys(env).sort(), [...CONNECTION_VARIABLES].sort());
    });
});
