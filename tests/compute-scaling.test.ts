import * as assert from "assert";
import { capacityProviderStrategies } from "../infra/compute/scaling";
import { Service } from "../infra/compute/service";
import { ServiceArgs } from "../infra/compute/service-args";
import { LB_SUFFIX, serviceArgs, webService, workerService } from "./compute-fixtures";
import { Run, runUnderMocks } from "./harness";

const TARGET = "aws:appautoscaling/target:Target";
const POLICY = "aws:appautoscaling/policy:Policy";

async function run(args: ServiceArgs): Promise<Run> {
    return runUnderMocks(() => new Service(args.service.name, args), "prod");
}

/** A target-tracking policy as registered, for the expected service and metric. */
const tracking = (service: string, key: string, metric: string, target: number, resourceLabel?: string) => ({
    name: `shop-prod-${service}-${key}`,
    policyType: "TargetTrackingScaling",
    serviceNamespace: "ecs",
    scalableDimension: "ecs:service:DesiredCount",
    resourceId: `service/shop-prod/shop-prod-${service}`,
    targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: metric, ...(resourceLabel ? { resourceLabel } : {}) },
        targetValue: target,
        scaleOutCooldown: 60,
        scaleInCooldown: 300,
    },
});

describe("compute autoscaling", () => {
    let web: Run;
    before(async () => {
        web = await run(serviceArgs(webService()));
    });

    it("registers the service between its min and max tasks, once the service (and its target group) exists", () => {
        const target = web.one(TARGET);
        assert.deepStrictEqual(target.inputs, {
            serviceNamespace: "ecs",
            scalableDimension: "ecs:service:DesiredCount",
            resourceId: "service/shop-prod/shop-prod-web",
            minCapacity: 2,
            maxCapacity: 6,
        });
        assert.ok(target.dependencies.includes(web.one("aws:ecs/service:Service").urn));
    });

    it("a public service tracks CPU, memory and requests per target (labelled with the load balancer and target group), scaling in five times slower than out", () => {
        const label = `${LB_SUFFIX}/targetgroup/shop-prod-web-a1b2c3d4/0123456789abcdef`;
        assert.deepStrictEqual(web.ofType(POLICY).map((p) => p.inputs), [
            tracking("web", "cpu", "ECSServiceAverageCPUUtilization", 60),
            tracking("web", "memory", "ECSServiceAverageMemoryUtilization", 70),
            tracking("web", "requests", "ALBRequestCountPerTarget", 500, label),
        ]);
        for (const p of web.ofType(POLICY)) assert.ok(p.dependencies.includes(web.one(TARGET).urn), `${p.name} does not follow the target`);
    });

    it("a worker tracks CPU and memory only, within its own bounds", async () => {
        const worker = await run(serviceArgs(workerService()));
        assert.deepStrictEqual([worker.one(TARGET).inputs.minCapacity, worker.one(TARGET).inputs.maxCapacity], [1, 4]);
        assert.deepStrictEqual(worker.ofType(POLICY).map((p) => p.inputs), [
            tracking("worker", "cpu", "ECSServiceAverageCPUUtilization", 60),
            tracking("worker", "memory", "ECSServiceAverageMemoryUtilization", 70),
        ]);
    });

    it("cooldowns can be tuned per service", async () => {
        const tuned = await run(serviceArgs(workerService(), { scaleOutCooldownSeconds: 30, scaleInCooldownSeconds: 600 }));
        for (const p of tuned.ofType(POLICY)) {
            const c = p.inputs.targetTrackingScalingPolicyConfiguration;
            assert.deepStrictEqual([c.scaleOutCooldown, c.scaleInCooldown], [30, 600]);
        }
    });

    it("capacity: Fargate only, or Fargate and Fargate Spot by the Spot share", () => {
        assert.deepStrictEqual(capacityProviderStrategies(0), [{ capacityProvider: "FARGATE", weight: 100 }]);
        assert.deepStrictEqual(capacityProviderStrategies(30), [{ capacityProvider: "FARGATE", weight: 70 }, { capacityProvider: "FARGATE_SPOT", weight: 30 }]);
        assert.deepStrictEqual(capacityProviderStrategies(100), [{ capacityProvider: "FARGATE_SPOT", weight: 100 }]);
    });
});
