import * as assert from "assert";
import { Service } from "../infra/compute/service";
import { ServiceArgs } from "../infra/compute/service-args";
import { BUCKET, CLUSTER, GROUPS, KEYS, PRIVATE_SUBNETS, SECRETS, containerOf, parsed, serviceArgs, stagingArgs, webService, workerService } from "./compute-fixtures";
import { plainOccurrences, valueOf } from "./data-fixtures";
import { Run, runUnderMocks } from "./harness";

const SERVICE = "aws:ecs/service:Service";
const TASK = "aws:ecs/taskDefinition:TaskDefinition";
const REPO = "aws:ecr/repository:Repository";
const REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const TG_ARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-prod-web-a1b2c3d4/0123456789abcdef";

async function runService(args: ServiceArgs, stack = "prod") {
    let component: Service | undefined;
    const run = await runUnderMocks(() => {
        component = new Service(args.service.name, args);
    }, stack);
    return { run, component: component! };
}

describe("compute Service: a public web service in prod", () => {
    let run: Run;
    let component: Service;
    before(async () => {
        ({ run, component } = await runService(serviceArgs(webService())));
    });

    it("runs one hardened container: non-root, read-only root with a writable /tmp, unprivileged, every capability dropped", () => {
        const c = containerOf(run);
        assert.strictEqual(c.name, "web");
        assert.strictEqual(c.image, `${REGISTRY}/shop-prod/web:1.4.2`);
        assert.strictEqual(c.essential, true);
        assert.strictEqual(c.user, "1000:1000");
        assert.strictEqual(c.readonlyRootFilesystem, true);
        assert.strictEqual(c.privileged, false);
        assert.deepStrictEqual(c.linuxParameters, { capabilities: { drop: ["ALL"] }, initProcessEnabled: true });
        assert.deepStrictEqual(c.mountPoints, [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
        assert.deepStrictEqual(run.one(TASK).inputs.volumes, [{ name: "tmp" }]);
        assert.deepStrictEqual(c.portMappings, [{ containerPort: 8080, protocol: "tcp" }]);
        assert.strictEqual(c.command, undefined);
    });

    it("logs with awslogs to its own group, which exists (encrypted, kept a year) before the task definition", () => {
        assert.deepStrictEqual(containerOf(run).logConfiguration, {
            logDriver: "awslogs",
            options: { "awslogs-group": "/ecs/shop-prod/web", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "web" },
        });
        const group = run.one("aws:cloudwatch/logGroup:LogGroup");
        assert.deepStrictEqual(group.inputs, { name: "/ecs/shop-prod/web", retentionInDays: 365, kmsKeyId: KEYS.logs, tags: { Name: "/ecs/shop-prod/web" } });
        assert.strictEqual(group.retainOnDelete, true);
        assert.ok(run.one(TASK).dependencies.includes(group.urn));
    });

    it("checks its health over HTTP on the load balancer's path, with wget or curl", () => {
        assert.deepStrictEqual(containerOf(run).healthCheck, {
            command: ["CMD-SHELL", "wget -q -O /dev/null http://127.0.0.1:8080/health || curl -fsS -o /dev/null http://127.0.0.1:8080/health || exit 1"],
            interval: 30, timeout: 5, retries: 3, startPeriod: 60,
        });
    });

    it("takes secrets only through `secrets` (valueFrom ARNs, JSON keys of the RDS secret), and connection settings as plain variables", () => {
        const c = containerOf(run);
        assert.deepStrictEqual(c.secrets, [
            { name: "DATABASE_PASSWORD", valueFrom: `${SECRETS.postgres}:password::` },
            { name: "DATABASE_USER", valueFrom: `${SECRETS.postgres}:username::` },
            { name: "REDIS_AUTH", valueFrom: SECRETS.redis },
        ]);
        assert.deepStrictEqual(c.environment, [
            { name: "ASSETS_BUCKET", value: BUCKET.name },
            { name: "ASSETS_PREFIX", value: "uploads/" },
            { name: "DATABASE_HOST", value: "shop-prod-postgres.abcdefgh.eu-west-1.rds.amazonaws.com" },
            { name: "DATABASE_NAME", value: "shop" },
            { name: "DATABASE_PORT", value: "5432" },
            { name: "LOG_LEVEL", value: "info" },
            { name: "REDIS_HOST", value: "master.shop-prod-redis.abcdef.euw1.cache.amazonaws.com" },
            { name: "REDIS_PORT", value: "6379" },
            { name: "REDIS_TLS", value: "true" },
        ]);
        for (const arn of Object.values(SECRETS)) {
            const env = JSON.stringify(c.environment);
            assert.ok(!env.includes(arn), `a secret ARN is in environment: ${arn}`);
        }
    });

    it("is a Fargate task of the configured size and architecture, with separate execution and task roles", () => {
        const td = run.one(TASK);
        const { containerDefinitions, ...rest } = td.inputs;
        assert.ok(containerDefinitions);
        assert.deepStrictEqual(rest, {
            family: "shop-prod-web",
            requiresCompatibilities: ["FARGATE"],
            networkMode: "awsvpc",
            cpu: "512",
            memory: "1024",
            runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "ARM64" },
            executionRoleArn: "arn:aws:iam::123456789012:role/shop-prod-web-execution",
            taskRoleArn: "arn:aws:iam::123456789012:role/shop-prod-web-task",
            volumes: [{ name: "tmp" }],
            tags: { Name: "shop-prod-web" },
        });
    });

    it("runs in the private subnets with its own group and no public IP, behind the circuit breaker, 100%/200%, waiting for steady state", () => {
        const service = run.one(SERVICE);
        assert.deepStrictEqual(service.inputs, {
            name: "shop-prod-web",
            cluster: CLUSTER.arn,
            taskDefinition: "arn:aws:ecs:eu-west-1:123456789012:task-definition/shop-prod-web:1",
            desiredCount: 2,
            capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 100 }],
            forceNewDeployment: true,
            platformVersion: "LATEST",
            networkConfiguration: { subnets: PRIVATE_SUBNETS, securityGroups: ["web-sg-id"], assignPublicIp: false },
            deploymentCircuitBreaker: { enable: true, rollback: true },
            deploymentMinimumHealthyPercent: 100,
            deploymentMaximumPercent: 200,
            healthCheckGracePeriodSeconds: 60,
            loadBalancers: [{ targetGroupArn: TG_ARN, containerName: "web", containerPort: 8080 }],
            propagateTags: "SERVICE",
            enableEcsManagedTags: true,
            enableExecuteCommand: false,
            waitForSteadyState: true,
            tags: { Name: "shop-prod-web" },
        });
    });

    it("leaves the running count to autoscaling, and starts only once its listener rule and role policies exist", () => {
        const service = run.one(SERVICE);
        assert.deepStrictEqual(service.ignoreChanges, ["desiredCount"]);
        const needed = [run.one("aws:lb/listenerRule:ListenerRule"), ...run.ofType("aws:iam/rolePolicy:RolePolicy")];
        assert.strictEqual(needed.length, 4);
        for (const r of needed) assert.ok(service.dependencies.includes(r.urn), `service does not wait for ${r.name}`);
    });

    it("keeps its images in an encrypted, scanned, immutable repository that prod protects and never force-deletes", () => {
        const repo = run.one(REPO);
        assert.deepStrictEqual(repo.inputs, {
            name: "shop-prod/web",
            imageScanningConfiguration: { scanOnPush: true },
            imageTagMutability: "IMMUTABLE",
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: KEYS.storage }],
            forceDelete: false,
            tags: { Name: "shop-prod/web" },
        });
        assert.deepStrictEqual([repo.protect, repo.retainOnDelete], [true, true]);
    });

    it("expires untagged images after 7 days and keeps the newest 30 tagged ones", () => {
        const lifecycle = run.one("aws:ecr/lifecyclePolicy:LifecyclePolicy");
        assert.strictEqual(lifecycle.inputs.repository, "shop-prod/web");
        assert.deepStrictEqual(lifecycle.propertyDependencies.repository, [run.one(REPO).urn]);
        assert.deepStrictEqual(parsed(lifecycle, "policy"), {
            rules: [
                {
                    rulePriority: 1,
                    description: "Expire untagged images 7 days after push",
                    selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
                    action: { type: "expire" },
                },
                {
                    rulePriority: 2,
                    description: "Keep the 30 most recent tagged images",
                    selection: { tagStatus: "tagged", tagPatternList: ["*"], countType: "imageCountMoreThan", countNumber: 30 },
                    action: { type: "expire" },
                },
            ],
        });
    });

    it("outputs its name, repository URL, group, task role and log group; every child hangs under the component", async () => {
        assert.strictEqual(await valueOf(component.serviceName), "shop-prod-web");
        assert.strictEqual(await valueOf(component.repositoryUrl), `${REGISTRY}/shop-prod/web`);
        assert.strictEqual(await valueOf(component.securityGroupId), "web-sg-id");
        assert.strictEqual(await valueOf(component.taskRoleArn), "arn:aws:iam::123456789012:role/shop-prod-web-task");
        assert.strictEqual(await valueOf(component.logGroupName), "/ecs/shop-prod/web");
        const root = run.one("baseline:compute:Service", "web");
        for (const r of run.resources.filter((x) => x !== root)) {
            assert.strictEqual(r.parent, root.urn, `${r.type} ${r.name} is not a child of the service`);
            assert.ok(r.name.startsWith("web-"), `${r.name} does not start with the component's name`);
        }
    });

    it("puts no secret ARN anywhere but the secrets and the execution role's policy", () => {
        for (const r of run.resources) {
            for (const arn of Object.values(SECRETS)) {
                const where = plainOccurrences(r.inputs, arn).filter((path) => !(r.type === TASK && path === "containerDefinitions") && !(r.name === "web-read-secrets" && path === "policy"));
                assert.deepStrictEqual(where, [], `${r.name} holds ${arn}`);
            }
        }
    });
});

describe("compute Service: what differs in staging", () => {
    let run: Run;
    before(async () => {
        ({ run } = await runService(stagingArgs(webService({ scaling: { min: 1, max: 2, cpuTarget: 60, memoryTarget: 70, requestsPerTarget: 500 } })), "staging"));
    });

    it("does not wait for steady state", () => {
        assert.strictEqual(run.one(SERVICE).inputs.waitForSteadyState, false);
        assert.strictEqual(run.one(SERVICE).inputs.desiredCount, 1);
    });

    it("lets a destroy remove the repository with its images and the log group", () => {
        const repo = run.one(REPO);
        assert.strictEqual(repo.inputs.forceDelete, true);
        assert.deepStrictEqual([repo.protect, repo.retainOnDelete], [false, false]);
        assert.strictEqual(run.one("aws:cloudwatch/logGroup:LogGroup").retainOnDelete, false);
        assert.strictEqual(run.one("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays, 30);
    });

    it("names everything after the staging prefix", () => {
        assert.strictEqual(run.one(REPO).inputs.name, "shop-staging/web");
        assert.strictEqual(run.one(TASK).inputs.family, "shop-staging-web");
        assert.strictEqual(run.one(SERVICE).inputs.name, "shop-staging-web");
    });
});

describe("compute Service: a worker", () => {
    let run: Run;
    before(async () => {
        ({ run } = await runService(serviceArgs(workerService())));
    });

    it("publishes no port, has no target group, rule or grace period, and splits tasks with Fargate Spot", () => {
        const c = containerOf(run);
        assert.deepStrictEqual(c.portMappings, []);
        assert.deepStrictEqual(c.command, ["node", "dist/worker.js"]);
        assert.deepStrictEqual(run.ofType("aws:lb/targetGroup:TargetGroup"), []);
        assert.deepStrictEqual(run.ofType("aws:lb/listenerRule:ListenerRule"), []);
        const service = run.one(SERVICE).inputs;
        assert.strictEqual(service.healthCheckGracePeriodSeconds, undefined);
        assert.strictEqual(service.loadBalancers, undefined);
        assert.deepStrictEqual(service.capacityProviderStrategies, [{ capacityProvider: "FARGATE", weight: 50 }, { capacityProvider: "FARGATE_SPOT", weight: 50 }]);
        assert.deepStrictEqual(service.networkConfiguration, { subnets: PRIVATE_SUBNETS, securityGroups: ["worker-sg-id"], assignPublicIp: false });
    });

    it("runs the image by digest and checks its heartbeat file", () => {
        const c = containerOf(run);
        assert.strictEqual(c.image, `${REGISTRY}/shop-prod/worker@sha256:${"a".repeat(64)}`);
        assert.deepStrictEqual(c.healthCheck.command, ["CMD-SHELL", 'test -n "$(find /tmp/healthy -mmin -2 2>/dev/null)" || exit 1']);
    });

    it("reads an application secret by its full ARN (looked up by name) with a JSON key, and an SSM parameter by ARN", () => {
        assert.deepStrictEqual(containerOf(run).secrets, [
            { name: "REDIS_AUTH", valueFrom: SECRETS.redis },
            { name: "SIGNING_SEED", valueFrom: "arn:aws:ssm:eu-west-1:123456789012:parameter/shop/prod/signing-seed" },
            { name: "STRIPE_KEY", valueFrom: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/stripe-AbCdEf:apiKey::" },
        ]);
        assert.deepStrictEqual(containerOf(run).environment, [
            { name: "REDIS_HOST", value: "master.shop-prod-redis.abcdef.euw1.cache.amazonaws.com" },
            { name: "REDIS_PORT", value: "6379" },
            { name: "REDIS_TLS", value: "true" },
        ]);
    });

    it("uses the configured user and a writable root when the config says so, still with /tmp", async () => {
        const { run: rw } = await runService(serviceArgs(workerService({ readonlyRootFilesystem: false, user: "65534:65534" })));
        const c = containerOf(rw);
        assert.strictEqual(c.readonlyRootFilesystem, false);
        assert.strictEqual(c.user, "65534:65534");
        assert.deepStrictEqual(c.mountPoints, [{ sourceVolume: "tmp", containerPath: "/tmp", readOnly: false }]);
    });
});

describe("compute Service: bootstrap mode (no image yet)", () => {
    let run: Run;
    before(async () => {
        ({ run } = await runService(serviceArgs(webService({ image: undefined }))));
    });

    it("creates everything but runs no task: desired 0, scaling 0..0, no wait for steady state", () => {
        const service = run.one(SERVICE).inputs;
        assert.strictEqual(service.desiredCount, 0);
        assert.strictEqual(service.waitForSteadyState, false);
        const target = run.one("aws:appautoscaling/target:Target").inputs;
        assert.deepStrictEqual([target.minCapacity, target.maxCapacity], [0, 0]);
        for (const type of [REPO, TASK, "aws:lb/targetGroup:TargetGroup", "aws:lb/listenerRule:ListenerRule", "aws:iam/role:Role"]) {
            assert.ok(run.ofType(type).length > 0, `no ${type} in bootstrap mode`);
        }
    });

    it("points the task definition at the never-pulled bootstrap tag of its own repository", () => {
        assert.strictEqual(containerOf(run).image, `${REGISTRY}/shop-prod/web:bootstrap`);
    });

    it("setting the image later changes only the image, the bounds and the wait (desiredCount is left to autoscaling)", async () => {
        const { run: later } = await runService(serviceArgs(webService()));
        const before = run.one(SERVICE);
        const after = later.one(SERVICE);
        assert.deepStrictEqual(after.ignoreChanges, ["desiredCount"]);
        const changed = Object.keys(after.inputs).filter((k) => JSON.stringify(after.inputs[k]) !== JSON.stringify(before.inputs[k]));
        assert.deepStrictEqual(changed.sort(), ["desiredCount", "waitForSteadyState"]);
        const target = later.one("aws:appautoscaling/target:Target").inputs;
        assert.deepStrictEqual([target.minCapacity, target.maxCapacity], [2, 6]);
        const image = (r: Run) => containerOf(r).image;
        assert.notStrictEqual(image(later), image(run));
    });
});

describe("compute Service: peers it is not given", () => {
    it("admits the service to the interface endpoints only when the network has them", async () => {
        const { run } = await runService(serviceArgs(workerService(), { endpointsSecurityGroupId: undefined }));
        assert.deepStrictEqual(run.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs.securityGroupId), [GROUPS.redis]);
    });
});
