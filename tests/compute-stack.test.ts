import * as assert from "assert";
import * as random from "@pulumi/random";
import { ALL_POLICIES } from "../policies/all";
import { Cluster } from "../infra/compute/cluster";
import { Service } from "../infra/compute/service";
import { ServiceArgs } from "../infra/compute/service-args";
import { Diagnostic, evaluate, resolvePolicyConfig } from "../tools/offline/evaluate";
import { blockingOf, policyConfigPath, readPolicyConfig, toEvalResource } from "../tools/offline/stack-check";
import { BUCKET, CLUSTER, GROUPS, KEYS, LB_SUFFIX, LISTENER, SECRETS, clusterArgs, serviceArgs, stagingArgs, webService, workerService } from "./compute-fixtures";
import { Run, runUnderMocks } from "./harness";

/** Two public services on different ports and paths, and a worker: what the three-service stack runs. */
const SERVICES = [
    webService(),
    webService({ name: "api", port: 9000, routing: { hosts: ["shop.example.com"], paths: ["/api/*"], priority: 10, healthCheckPath: "/api/health" }, assets: undefined }),
    workerService(),
];

/**
 * The compute tier of a stack, wired the way infra/main.ts will: the cluster's outputs into each service,
 * and every other component's output as a value that (like the real ones) is unknown on a first preview.
 */
function computeTier(stack: "prod" | "staging") {
    return () => {
        const gate = new random.RandomId("peers", { byteLength: 4 });
        const later = <T>(value: T) => gate.hex.apply(() => value);
        const cluster = new Cluster("cluster", clusterArgs(stack === "prod" ? {} : { namePrefix: "shop-staging", protect: false, logRetentionDays: 30 }));
        const peers: Partial<ServiceArgs> = {
            cluster: { arn: cluster.arn, name: cluster.name, executeCommand: cluster.executeCommand },
            vpcId: later("vpc-network"),
            privateSubnetIds: later(["subnet-private-a", "subnet-private-b"]),
            endpointsSecurityGroupId: stack === "prod" ? later(GROUPS.endpoints) : undefined,
            loadBalancer: { listenerArn: later(LISTENER), arnSuffix: later(LB_SUFFIX), securityGroupId: later(GROUPS.loadBalancer), deregistrationDelaySeconds: 30 },
            postgres: { securityGroupId: later(GROUPS.postgres), host: later("db.example"), port: later(5432), databaseName: "shop", masterSecretArn: later(SECRETS.postgres) },
            redis: { securityGroupId: later(GROUPS.redis), host: later("cache.example"), port: later(6379), authTokenSecretArn: later(SECRETS.redis) },
            documentDb: undefined,
            assets: { name: later(BUCKET.name), arn: later(BUCKET.arn), kmsKeyArn: later(KEYS.storage) },
            dataKeyArn: later(KEYS.data),
            logsKeyArn: later(KEYS.logs),
            repositoryKmsKeyArn: later(KEYS.storage),
        };
        for (const s of SERVICES) new Service(s.name, stack === "prod" ? serviceArgs(s, peers) : stagingArgs(s, peers));
    };
}

async function packOn(run: Run, stack: string): Promise<Diagnostic[]> {
    const config = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath(stack)));
    const { diagnostics } = await evaluate(run.resources.map(toEvalResource), { policies: ALL_POLICIES, config });
    return diagnostics;
}

const mandatory = new Set(ALL_POLICIES.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name));
const summary = (d: Diagnostic) => `${d.policyName} ${d.urn?.split("::").pop() ?? "(stack)"}`;

describe("compute tier: three services (two public, one worker)", () => {
    let run: Run;
    before(async () => {
        run = await runUnderMocks(computeTier("prod"), "prod");
    });

    it("creates three of everything a service has, and a target group and rule per public service", () => {
        const count = (type: string) => run.ofType(type).length;
        for (const type of [
            "baseline:compute:Service", "aws:ecr/repository:Repository", "aws:ecr/lifecyclePolicy:LifecyclePolicy", "aws:ecs/taskDefinition:TaskDefinition",
            "aws:ecs/service:Service", "aws:ec2/securityGroup:SecurityGroup", "aws:appautoscaling/target:Target",
        ]) {
            assert.strictEqual(count(type), 3, type);
        }
        assert.strictEqual(count("aws:iam/role:Role"), 6);
        assert.strictEqual(count("aws:cloudwatch/logGroup:LogGroup"), 3);
        assert.strictEqual(count("aws:lb/targetGroup:TargetGroup"), 2);
        assert.strictEqual(count("aws:lb/listenerRule:ListenerRule"), 2);
        assert.strictEqual(count("aws:appautoscaling/policy:Policy"), 3 + 3 + 2);
        assert.strictEqual(count("aws:ecs/cluster:Cluster"), 1);
    });

    it("the load balancer reaches each public service on its own port only, and nothing reaches the worker", () => {
        const fromLb = run.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.referencedSecurityGroupId === GROUPS.loadBalancer);
        assert.deepStrictEqual(fromLb.map((r) => [r.name, r.inputs.securityGroupId, r.inputs.fromPort]), [["web-in-lb", "web-sg-id", 8080], ["api-in-lb", "api-sg-id", 9000]]);
        const lbOut = run.ofType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.inputs.securityGroupId === GROUPS.loadBalancer);
        assert.deepStrictEqual(lbOut.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort]), [["web-sg-id", 8080], ["api-sg-id", 9000]]);
        assert.deepStrictEqual(run.ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === "worker-sg-id"), []);
    });

    it("routes each public service by its own path and priority to its own target group", () => {
        const rules = run.ofType("aws:lb/listenerRule:ListenerRule").map((r) => [r.inputs.priority, r.inputs.conditions, r.inputs.actions[0].targetGroupArn.split("/")[1]]);
        assert.deepStrictEqual(rules, [
            [100, [{ hostHeader: { values: ["shop.example.com"] } }, { pathPattern: { values: ["/*"] } }], "shop-prod-web-a1b2c3d4"],
            [10, [{ hostHeader: { values: ["shop.example.com"] } }, { pathPattern: { values: ["/api/*"] } }], "shop-prod-api-a1b2c3d4"],
        ]);
        assert.deepStrictEqual(run.ofType("aws:lb/targetGroup:TargetGroup").map((t) => [t.inputs.port, t.inputs.healthCheck.path]), [[8080, "/health"], [9000, "/api/health"]]);
    });

    it("each service runs in the cluster, and only once its capacity providers are attached", () => {
        const providers = run.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders");
        for (const s of run.ofType("aws:ecs/service:Service")) {
            assert.strictEqual(s.inputs.cluster, CLUSTER.arn);
            assert.ok(s.dependencies.includes(providers.urn), `${s.name} may start before FARGATE_SPOT is attached`);
        }
    });

    for (const stack of ["prod", "staging"] as const) {
        for (const firstPreview of [false, true]) {
            it(`${stack}${firstPreview ? " at first preview" : ""}: the policy pack finds no mandatory violation and can run every policy`, async () => {
                const r = await runUnderMocks(computeTier(stack), stack, {}, { firstPreview });
                const diagnostics = await packOn(r, stack);
                assert.deepStrictEqual(blockingOf(diagnostics, mandatory).map(summary), []);
                assert.deepStrictEqual(diagnostics.filter((d) => d.cantRunDuringPreview).map(summary), []);
                // What cannot be known before the stores exist is reported as such, never passed silently.
                const unverifiable = diagnostics.filter((d) => d.message.startsWith("Cannot verify")).map(summary).sort();
                assert.deepStrictEqual(unverifiable, firstPreview ? FIRST_PREVIEW_UNVERIFIABLE : []);
            });
        }
    }
});

/**
 * On a new stack's first preview the stores' hosts and secret ARNs are unknown: the task definitions
 * that carry them and the execution-role policies that name them cannot be read yet. The worker's
 * definition only holds the Redis endpoint and secret, so it is unknown too; the base policies are known.
 */
const FIRST_PREVIEW_UNVERIFIABLE = [
    ...["api-task", "web-task", "worker-task"].flatMap((t) => [`ecs-container-hardening ${t}`, `ecs-task-logging ${t}`, `ecs-task-no-plaintext-secrets ${t}`]),
    ...["api-read-secrets", "web-application", "web-read-secrets", "worker-read-secrets"].flatMap((p) => [`iam-no-wildcard-actions ${p}`, `iam-passrole-scoped ${p}`]),
].sort();
