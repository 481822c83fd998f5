import * as aws from "@pulumi/aws";
import * as assert from "assert";
import {
    ecsClusterContainerInsights, ecsContainerHardening, ecsServiceCircuitBreaker, ecsServiceNoPublicIp, ecsTaskLogging,
    ecsTaskNoPlaintextSecrets, ecsTaskSeparateRoles, isRootUser,
} from "../../policies/compute/ecs";
import { UNKNOWN, UNKNOWN_BOOL, messages, res, run } from "./helpers";

const goodContainer = {
    name: "web",
    image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:abc",
    user: "1000:1000",
    readonlyRootFilesystem: true,
    logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/shop", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "web" } },
    environment: [{ name: "PORT", value: "8080" }, { name: "DB_SECRET_ARN", value: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db" }],
    secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db" }],
};
const EXEC = "arn:aws:iam::123456789012:role/shop-exec";
const TASK = "arn:aws:iam::123456789012:role/shop-task";
const taskDef = (containers: Record<string, any>[], extra: Record<string, any> = {}) => ({
    family: "shop", containerDefinitions: JSON.stringify(containers), executionRoleArn: EXEC, taskRoleArn: TASK, ...extra,
});
const UNKNOWN_DEFS_MESSAGE = /^Cannot verify during preview that .*: containerDefinitions is \(unknown until apply\)/;

describe("policies: ecs", () => {
    describe("ecs-cluster-container-insights", () => {
        it("passes enabled and enhanced", async () => {
            for (const value of ["enabled", "enhanced"]) {
                assert.deepStrictEqual(await run(ecsClusterContainerInsights, res(aws.ecs.Cluster, { settings: [{ name: "containerInsights", value }] })), []);
            }
        });
        it("rejects a cluster without the setting, as advisory", async () => {
            const diags = await run(ecsClusterContainerInsights, res(aws.ecs.Cluster, {}));
            assert.deepStrictEqual(messages(diags), ['ECS cluster must have Container Insights on: containerInsights is (unset), expected "enabled" or "enhanced".']);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("rejects disabled", async () => {
            const diags = await run(ecsClusterContainerInsights, res(aws.ecs.Cluster, { settings: [{ name: "containerInsights", value: "disabled" }] }));
            assert.deepStrictEqual(messages(diags), ['ECS cluster must have Container Insights on: containerInsights is "disabled", expected "enabled" or "enhanced".']);
        });
        it("reports an unknown value instead of passing", async () => {
            const diags = await run(ecsClusterContainerInsights, res(aws.ecs.Cluster, { settings: [{ name: "containerInsights", value: UNKNOWN }] }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that Container Insights is on: settings\[0\]\.value is \(unknown until apply\)/);
        });
    });

    describe("ecs-service-no-public-ip", () => {
        const network = { subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-1"] };
        it("passes private tasks, with assignPublicIp false or unset", async () => {
            assert.deepStrictEqual(await run(ecsServiceNoPublicIp, res(aws.ecs.Service, { networkConfiguration: { ...network, assignPublicIp: false } })), []);
            assert.deepStrictEqual(await run(ecsServiceNoPublicIp, res(aws.ecs.Service, { networkConfiguration: network })), []);
        });
        it("rejects public IPs, as mandatory", async () => {
            const diags = await run(ecsServiceNoPublicIp, res(aws.ecs.Service, { networkConfiguration: { ...network, assignPublicIp: true } }));
            assert.deepStrictEqual(messages(diags), ["ECS service must not give its tasks public IP addresses: networkConfiguration.assignPublicIp is true, expected false (private subnets with NAT or VPC endpoints)."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("reports an unknown assignPublicIp as unverifiable", async () => {
            const diags = await run(ecsServiceNoPublicIp, res(aws.ecs.Service, { networkConfiguration: { ...network, assignPublicIp: UNKNOWN_BOOL } }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that tasks get no public IP: networkConfiguration\.assignPublicIp is \(unknown until apply\)/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("ecs-service-circuit-breaker", () => {
        const BREAKER_UNSET = "ECS service must use the deployment circuit breaker with rollback: deploymentCircuitBreaker is (unset), expected {enable: true, rollback: true}.";
        it("passes a breaker with rollback", async () => {
            assert.deepStrictEqual(await run(ecsServiceCircuitBreaker, res(aws.ecs.Service, { deploymentCircuitBreaker: { enable: true, rollback: true } })), []);
        });
        it("rejects a missing breaker and one without rollback", async () => {
            assert.deepStrictEqual(messages(await run(ecsServiceCircuitBreaker, res(aws.ecs.Service, {}))), [
                BREAKER_UNSET,
            ]);
            assert.deepStrictEqual(messages(await run(ecsServiceCircuitBreaker, res(aws.ecs.Service, { deploymentCircuitBreaker: { enable: true, rollback: false } }))), [
                'ECS service must use the deployment circuit breaker with rollback: deploymentCircuitBreaker is {enable: true, rollback: false}, expected {enable: true, rollback: true}.',
            ]);
        });
        it("does not apply to CodeDeploy or external controllers, but does to an explicit ECS controller", async () => {
            for (const type of ["CODE_DEPLOY", "EXTERNAL"]) {
                assert.deepStrictEqual(await run(ecsServiceCircuitBreaker, res(aws.ecs.Service, { deploymentController: { type } })), []);
            }
            assert.deepStrictEqual(messages(await run(ecsServiceCircuitBreaker, res(aws.ecs.Service, { deploymentController: { type: "ECS" } }))), [BREAKER_UNSET]);
        });
        it("reports an unknown rollback as unverifiable, but a known false next to it as a violation", async () => {
            const unknown = await run(ecsServiceCircuitBreaker, res(aws.ecs.Service, { deploymentCircuitBreaker: { enable: true, rollback: UNKNOWN_BOOL } }));
            assert.strictEqual(unknown.length, 1);
            assert.match(unknown[0].message, /^Cannot verify during preview that the deployment circuit breaker rolls back: deploymentCircuitBreaker\.rollback is \(unknown until apply\)/);
            const wrong = await run(ecsServiceCircuitBreaker, res(aws.ecs.Service, { deploymentCircuitBreaker: { enable: false, rollback: UNKNOWN_BOOL } }));
            assert.deepStrictEqual(messages(wrong), [
                "ECS service must use the deployment circuit breaker with rollback: deploymentCircuitBreaker is {enable: false, rollback: (unknown until apply)}, expected {enable: true, rollback: true}.",
            ]);
            assert.strictEqual(wrong[0].enforcementLevel, "mandatory");
        });
    });

    describe("ecs-task-logging", () => {
        it("passes containers that all log", async () => {
            assert.deepStrictEqual(await run(ecsTaskLogging, res(aws.ecs.TaskDefinition, taskDef([goodContainer, { ...goodContainer, name: "sidecar" }]))), []);
        });
        it("rejects each container without a log driver, naming it", async () => {
            const { logConfiguration: _, ...silent } = goodContainer;
            const diags = await run(ecsTaskLogging, res(aws.ecs.TaskDefinition, taskDef([goodContainer, { ...silent, name: "sidecar" }, { ...goodContainer, name: "none", logConfiguration: { logDriver: "none" } }])));
            assert.deepStrictEqual(messages(diags), [
                'ECS container must send its logs to a log driver: container "sidecar" has no logConfiguration, expected a logConfiguration with a logDriver such as "awslogs".',
                'ECS container must send its logs to a log driver: container "none" has logDriver "none", expected a logConfiguration with a logDriver such as "awslogs".',
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
        });
        it("reports unknown container definitions as unverifiable, not as a pass", async () => {
            const diags = await run(ecsTaskLogging, res(aws.ecs.TaskDefinition, taskDef([], { containerDefinitions: UNKNOWN })));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that every container has a log configuration: containerDefinitions is \(unknown until apply\)/);
            assert.strictEqual(diags[0].cantRunDuringPreview, undefined);
        });
        it("rejects container definitions that are not a JSON array", async () => {
            assert.deepStrictEqual(messages(await run(ecsTaskLogging, res(aws.ecs.TaskDefinition, taskDef([], { containerDefinitions: "{oops" })))), [
                'ECS task definition must list its containers as a JSON array: containerDefinitions is "{oops", expected a JSON array of container definitions.',
            ]);
        });
    });

    describe("ecs-task-no-plaintext-secrets", () => {
        it("passes secrets through `secrets` and pointers such as *_SECRET_ARN in environment", async () => {
            assert.deepStrictEqual(await run(ecsTaskNoPlaintextSecrets, res(aws.ecs.TaskDefinition, taskDef([goodContainer]))), []);
        });
        it("rejects secret-looking names in environment, case-insensitively", async () => {
            const leaky = { ...goodContainer, environment: [...goodContainer.environment, { name: "db_password", value: "hunter2" }, { name: "STRIPE_API_KEY", value: "sk" }] };
            const diags = await run(ecsTaskNoPlaintextSecrets, res(aws.ecs.TaskDefinition, taskDef([leaky])));
            assert.deepStrictEqual(messages(diags), [
                'ECS container must take secrets from "secrets", not "environment": container "web" sets ["db_password","STRIPE_API_KEY"] in environment, expected secrets entries with valueFrom (Secrets Manager or SSM).',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("knows each default secret spelling: PASSWD, PASSPHRASE, SECRET, TOKEN, PRIVATE_KEY, ACCESS_KEY, SIGNING_KEY, CREDENTIAL", async () => {
            const names = ["DB_PASSWD", "GPG_PASSPHRASE", "CLIENT_SECRET", "GITHUB_TOKEN", "SSH_PRIVATE_KEY", "AWS_ACCESS_KEY_ID", "JWT_SIGNING_KEY", "GOOGLE_CREDENTIALS"];
            const leaky = { ...goodContainer, environment: names.map((name) => ({ name, value: "x" })) };
            assert.deepStrictEqual(messages(await run(ecsTaskNoPlaintextSecrets, res(aws.ecs.TaskDefinition, taskDef([leaky])))), [
                `ECS container must take secrets from "secrets", not "environment": container "web" sets ${JSON.stringify(names)} in environment, expected secrets entries with valueFrom (Secrets Manager or SSM).`,
            ]);
        });
        it("honours configured name patterns", async () => {
            const custom = { ...goodContainer, environment: [{ name: "SESSION_SALT", value: "x" }, { name: "GITHUB_TOKEN", value: "y" }] };
            const diags = await run(ecsTaskNoPlaintextSecrets, res(aws.ecs.TaskDefinition, taskDef([custom])), { secretNamePatterns: ["SALT"], allowedNamePatterns: [] });
            assert.deepStrictEqual(messages(diags), [
                'ECS container must take secrets from "secrets", not "environment": container "web" sets ["SESSION_SALT"] in environment, expected secrets entries with valueFrom (Secrets Manager or SSM).',
            ]);
        });
        it("reads a credential URL in a PascalCase Value (the provider's JSON decoding ignores case)", async () => {
            const pascal = { Name: "web", Image: goodContainer.image, Environment: [{ Name: "DATABASE_URL", Value: "postgres://app:s3cr3t@db.internal:5432/app" }] };
            assert.deepStrictEqual(messages(await run(ecsTaskNoPlaintextSecrets, res(aws.ecs.TaskDefinition, taskDef([pascal])))), [
                'ECS container must not put credentials in environment values: container "web" sets ["DATABASE_URL"] to a URL with a user name and password, expected the password in a secrets entry with valueFrom (Secrets Manager or SSM).',
            ]);
        });
        it("reports unknown container definitions as unverifiable", async () => {
            const diags = await run(ecsTaskNoPlaintextSecrets, res(aws.ecs.TaskDefinition, taskDef([], { containerDefinitions: UNKNOWN })));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, UNKNOWN_DEFS_MESSAGE);
        });

        const withEnv = (environment: unknown) => res(aws.ecs.TaskDefinition, taskDef([{ ...goodContainer, environment }]));
        const CONN_MESSAGE = (names: string[]) =>
            `ECS container must not put credentials in environment values: container "web" sets ${JSON.stringify(names)} to a connection string with a Password, Pwd, AccountKey or SharedAccessKey, expected the credential in a secrets entry with valueFrom (Secrets Manager or SSM).`;
        it("rejects a .NET connection string with a password, without printing it", async () => {
            const diags = await run(ecsTaskNoPlaintextSecrets, withEnv([{ name: "ConnectionStrings__Default", value: "Server=db;Database=app;User Id=sa;Password=hunter2;" }]));
            assert.deepStrictEqual(messages(diags), [CONN_MESSAGE(["ConnectionStrings__Default"])]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.ok(!diags[0].message.includes("hunter2"));
        });
        it("passes a connection string without a credential, or with an empty password", async () => {
            const env = [
                { name: "ConnectionStrings__Default", value: "Server=db;Database=app;Integrated Security=true;" },
                { name: "ConnectionStrings__Empty", value: "Server=db;User Id=guest;Password=;" },
                { name: "ConnectionStrings__Quoted", value: "Server=db;Password = \"\" ;" },
            ];
            assert.deepStrictEqual(await run(ecsTaskNoPlaintextSecrets, withEnv(env)), []);
        });
        it("passes secret-named settings whose value is plainly not a secret (numbers of seconds, flags, empty)", async () => {
            const env = [
                { name: "TOKEN_TTL_SECONDS", value: "3600" }, { name: "SECRET_ROTATION_DAYS", value: "30" }, { name: "PASSWORD_MIN_LENGTH", value: "12" },
                { name: "TOKEN_AUTH_ENABLED", value: "true" }, { name: "API_KEY_REQUIRED", value: "off" }, { name: "SESSION_TOKEN_TIMEOUT", value: "15m" },
                { name: "SECRET_CACHE", value: "" },
            ];
            assert.deepStrictEqual(await run(ecsTaskNoPlaintextSecrets, withEnv(env)), []);
        });
        it("still rejects secret-named variables whose value looks real, naming them only", async () => {
            const env = [
                { name: "TOKEN", value: "abc123def456" }, { name: "API_KEY", value: "sk_live_51HxYzAbCdEf" }, { name: "SESSION_SECRET", value: "q8Zr2LmV0pXw7TnK" },
                { name: "TOKEN_TTL_SECONDS", value: "3600" },
            ];
            const diags = await run(ecsTaskNoPlaintextSecrets, withEnv(env));
            assert.deepStrictEqual(messages(diags), [
                'ECS container must take secrets from "secrets", not "environment": container "web" sets ["TOKEN","API_KEY","SESSION_SECRET"] in environment, expected secrets entries with valueFrom (Secrets Manager or SSM).',
            ]);
            for (const { value } of env) assert.ok(!diags[0].message.includes(value));
        });
        it("reports a value unknown until apply as unverifiable, not passed", async () => {
            const diags = await run(ecsTaskNoPlaintextSecrets, withEnv([{ name: "ConnectionStrings__Default", value: UNKNOWN }, { name: "PORT", value: "8080" }]));
            assert.deepStrictEqual(messages(diags), [
                'Cannot verify during preview that no environment value carries a credential: container "web" environment "ConnectionStrings__Default" is (unknown until apply). Re-run the check after apply, or set the value from configuration.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("does not throw on malformed environment entries", async () => {
            for (const environment of [null, "x", 42, [null, 7, "s", { value: "Password=x;" }, { name: 5, value: "Pwd=x" }, { name: "TOKEN_TTL_SECONDS", value: { n: 1 } }, { name: "CS", value: ["Pwd=x"] }]]) {
                await run(ecsTaskNoPlaintextSecrets, withEnv(environment));
            }
            // A value of the wrong type under a secret name is not plainly a setting: reported by name.
            assert.deepStrictEqual(messages(await run(ecsTaskNoPlaintextSecrets, withEnv([{ name: "TOKEN_TTL_SECONDS", value: { n: 1 } }]))), [
                'ECS container must take secrets from "secrets", not "environment": container "web" sets ["TOKEN_TTL_SECONDS"] in environment, expected secrets entries with valueFrom (Secrets Manager or SSM).',
            ]);
        });
    });

    describe("ecs-container-hardening", () => {
        it("passes an unprivileged, read-only, non-root container", async () => {
            assert.deepStrictEqual(await run(ecsContainerHardening, res(aws.ecs.TaskDefinition, taskDef([goodContainer]))), []);
        });
        it("reports each weakness of each container, as advisory", async () => {
            const { user: _, ...noUser } = goodContainer;
            const diags = await run(ecsContainerHardening, res(aws.ecs.TaskDefinition, taskDef([
                { ...goodContainer, name: "agent", privileged: true, readonlyRootFilesystem: false, user: "0:0" },
                { ...noUser, name: "sidecar" },
            ])));
            assert.deepStrictEqual(messages(diags), [
                'ECS container must not run privileged: container "agent" has privileged true, expected false.',
                'ECS container must have a read-only root filesystem: container "agent" has readonlyRootFilesystem false, expected true.',
                'ECS container must run as a non-root user: container "agent" has user "0:0", expected a non-root user such as "1000:1000".',
                'ECS container must run as a non-root user: container "sidecar" has user (unset), expected a non-root user such as "1000:1000".',
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "advisory"));
        });
        it("reads PascalCase Privileged, ReadonlyRootFilesystem and User", async () => {
            const pascal = { Name: "agent", Image: goodContainer.image, Privileged: true, ReadonlyRootFilesystem: false, User: "root" };
            assert.deepStrictEqual(messages(await run(ecsContainerHardening, res(aws.ecs.TaskDefinition, taskDef([pascal])))), [
                'ECS container must not run privileged: container "agent" has privileged true, expected false.',
                'ECS container must have a read-only root filesystem: container "agent" has readonlyRootFilesystem false, expected true.',
                'ECS container must run as a non-root user: container "agent" has user "root", expected a non-root user such as "1000:1000".',
            ]);
            const hardened = { Name: "web", Image: goodContainer.image, ReadonlyRootFilesystem: true, User: "1000:1000" };
            assert.deepStrictEqual(await run(ecsContainerHardening, res(aws.ecs.TaskDefinition, taskDef([hardened]))), []);
        });
        it("can stop requiring a read-only root filesystem and a user through config, never privileged false", async () => {
            const c = { ...goodContainer, readonlyRootFilesystem: undefined, user: "root", privileged: true };
            const diags = await run(ecsContainerHardening, res(aws.ecs.TaskDefinition, taskDef([c])), { requireReadonlyRootFilesystem: false, requireNonRootUser: false });
            assert.deepStrictEqual(messages(diags), ['ECS container must not run privileged: container "web" has privileged true, expected false.']);
        });
        it("rejects a blank user, which runs as the image's default (often root)", async () => {
            assert.deepStrictEqual(messages(await run(ecsContainerHardening, res(aws.ecs.TaskDefinition, taskDef([{ ...goodContainer, user: "  " }])))), [
                'ECS container must run as a non-root user: container "web" has user "  ", expected a non-root user such as "1000:1000".',
            ]);
        });
        it("recognises root users", () => {
            assert.deepStrictEqual(["root", "0", "0:0", "root:wheel", " 0 ", "1000", "1000:0", "rooted", "nobody"].map(isRootUser), [true, true, true, true, true, false, false, false, false]);
        });
        it("rejects a task in the host's network, process or IPC namespace (EC2 launch type), and reports an unknown mode as unverifiable", async () => {
            const host = await run(ecsContainerHardening, res(aws.ecs.TaskDefinition, taskDef([goodContainer], { networkMode: "host", pidMode: "host", ipcMode: "host" })));
            assert.deepStrictEqual(messages(host), [
                'ECS task definition must not share the host\'s namespaces: networkMode is "host", expected "awsvpc".',
                'ECS task definition must not share the host\'s namespaces: pidMode is "host", expected task or unset.',
                'ECS task definition must not share the host\'s namespaces: ipcMode is "host", expected task or unset.',
            ]);
            assert.deepStrictEqual(await run(ecsContainerHardening, res(aws.ecs.TaskDefinition, taskDef([goodContainer], { networkMode: "bridge", pidMode: "task", ipcMode: "none" }))), []);
            const unknown = await run(ecsContainerHardening, res(aws.ecs.TaskDefinition, taskDef([goodContainer], { networkMode: UNKNOWN })));
            assert.strictEqual(unknown.length, 1);
            assert.match(unknown[0].message, /networkMode/);
            // Malformed values never throw and are not "host".
            assert.deepStrictEqual(await run(ecsContainerHardening, res(aws.ecs.TaskDefinition, taskDef([goodContainer], { networkMode: null, pidMode: {}, ipcMode: 7 }))), []);
        });
        it("reports unknown container definitions as unverifiable", async () => {
            const diags = await run(ecsContainerHardening, res(aws.ecs.TaskDefinition, taskDef([], { containerDefinitions: UNKNOWN })));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, UNKNOWN_DEFS_MESSAGE);
        });
    });

    describe("ecs-task-separate-roles", () => {
        const role = (name: string) => res(aws.iam.Role, { assumeRolePolicy: "{}" }, { name });
        const tdUrn = (deps: Record<string, string[]>, props: Record<string, any>) => res(aws.ecs.TaskDefinition, taskDef([goodContainer], props), { name: "shop-task", propertyDependencies: deps });
        it("passes two different known roles, and a task without a task role", async () => {
            assert.deepStrictEqual(await run(ecsTaskSeparateRoles, res(aws.ecs.TaskDefinition, taskDef([goodContainer]))), []);
            assert.deepStrictEqual(await run(ecsTaskSeparateRoles, res(aws.ecs.TaskDefinition, taskDef([goodContainer], { taskRoleArn: undefined }))), []);
        });
        it("rejects the same known ARN, as advisory", async () => {
            const diags = await run(ecsTaskSeparateRoles, res(aws.ecs.TaskDefinition, taskDef([goodContainer], { taskRoleArn: EXEC }), { name: "shop-task" }));
            assert.deepStrictEqual(messages(diags), [
                `ECS task definition must use different execution and task roles: executionRoleArn and taskRoleArn are both "${EXEC}", expected a task role of its own with only the application's permissions.`,
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.strictEqual(diags[0].urn, "urn:pulumi:test::baseline::aws:ecs/taskDefinition:TaskDefinition::shop-task");
        });
        it("rejects unknown ARNs that both come from the same role", async () => {
            const exec = role("shop-exec");
            const td = tdUrn({ executionRoleArn: [exec.urn], taskRoleArn: [exec.urn] }, { executionRoleArn: UNKNOWN, taskRoleArn: UNKNOWN });
            assert.deepStrictEqual(messages(await run(ecsTaskSeparateRoles, [exec, td])), [
                'ECS task definition must use different execution and task roles: both ARNs come from role "shop-exec", expected a task role of its own with only the application\'s permissions.',
            ]);
        });
        it("passes unknown ARNs from two different roles", async () => {
            const exec = role("shop-exec");
            const task = role("shop-task-role");
            const td = tdUrn({ executionRoleArn: [exec.urn], taskRoleArn: [task.urn] }, { executionRoleArn: UNKNOWN, taskRoleArn: UNKNOWN });
            assert.deepStrictEqual(await run(ecsTaskSeparateRoles, [exec, task, td]), []);
        });
        it("reports an exempted task definition as advisory with its reason", async () => {
            const td = res(aws.ecs.TaskDefinition, taskDef([goodContainer], { taskRoleArn: EXEC }), { name: "migrate" });
            const diags = await run(ecsTaskSeparateRoles, td, { exemptions: [{ resource: "migrate", reason: "one-off migration task" }] });
            assert.deepStrictEqual(messages(diags), [
                `Exempted (one-off migration task): ECS task definition must use different execution and task roles: executionRoleArn and taskRoleArn are both "${EXEC}", expected a task role of its own with only the application's permissions.`,
            ]);
        });
        it("reports an unknown ARN it cannot trace to a role as unverifiable, either one", async () => {
            const diags = await run(ecsTaskSeparateRoles, tdUrn({}, { taskRoleArn: UNKNOWN }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that the task role differs from the execution role: taskRoleArn is \(unknown until apply\)/);
            assert.deepStrictEqual(messages(await run(ecsTaskSeparateRoles, tdUrn({}, { executionRoleArn: UNKNOWN }))), [
                "Cannot verify during preview that the task role differs from the execution role: executionRoleArn is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
        });
        it("has nothing to compare when either role is unset, even if the other is unknown", async () => {
            assert.deepStrictEqual(await run(ecsTaskSeparateRoles, tdUrn({}, { executionRoleArn: UNKNOWN, taskRoleArn: undefined })), []);
            assert.deepStrictEqual(await run(ecsTaskSeparateRoles, tdUrn({}, { executionRoleArn: undefined, taskRoleArn: UNKNOWN })), []);
        });
    });
});
