import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ServiceScaling } from "../config/service-types";

export type ScalingMetric = "ECSServiceAverageCPUUtilization" | "ECSServiceAverageMemoryUtilization" | "ALBRequestCountPerTarget";

/** One target-tracking policy per metric: ECS keeps each at its target, the largest count asked for wins. */
export function scalingTargets(scaling: ServiceScaling, isPublic: boolean): { key: string; metric: ScalingMetric; target: number }[] {
    return [
        { key: "cpu", metric: "ECSServiceAverageCPUUtilization", target: scaling.cpuTarget },
        { key: "memory", metric: "ECSServiceAverageMemoryUtilization", target: scaling.memoryTarget },
        ...(isPublic ? [{ key: "requests", metric: "ALBRequestCountPerTarget" as const, target: scaling.requestsPerTarget }] : []),
    ];
}

export interface ScalingArgs {
    /** Bounds of the task count: `{0, 0}` in bootstrap mode. */
    min: number;
    max: number;
    scaling: ServiceScaling;
    isPublic: boolean;
    /** `service/<cluster>/<service>`. */
    resourceId: pulumi.Input<string>;
    /** `<lb arn suffix>/<target group arn suffix>`, for public services. */
    requestsLabel?: pulumi.Input<string>;
    policyNamePrefix: string;
    scaleOutCooldownSeconds: number;
    scaleInCooldownSeconds: number;
    /** The ECS service: it must exist (with its target group attached) before it can be registered. */
    service: pulumi.Resource;
}

/**
 * The scalable target and its policies. Application Auto Scaling owns the running count from then on
 * (the service ignores `desiredCount` changes): raising `min` above the current count scales out to it
 * at once, which is how a bootstrap service (min 0) starts once its image is set.
 */
export function createScaling(name: string, args: ScalingArgs, parent: pulumi.Resource) {
    const target = new aws.appautoscaling.Target(
        `${name}-scaling`,
        { serviceNamespace: "ecs", scalableDimension: "ecs:service:DesiredCount", resourceId: args.resourceId, minCapacity: args.min, maxCapacity: args.max },
        { parent, dependsOn: [args.service] },
    );
    const policies = scalingTargets(args.scaling, args.isPublic).map(({ key, metric, target: value }) =>
        new aws.appautoscaling.Policy(
            `${name}-scale-${key}`,
            {
                name: `${args.policyNamePrefix}-${key}`,
                policyType: "TargetTrackingScaling",
                serviceNamespace: target.serviceNamespace,
                scalableDimension: target.scalableDimension,
                resourceId: target.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: {
                        predefinedMetricType: metric,
                        ...(metric === "ALBRequestCountPerTarget" ? { resourceLabel: args.requestsLabel } : {}),
                    },
                    targetValue: value,
                    // Add tasks quickly, remove them slowly: a brief dip should not shed capacity.
                    scaleOutCooldown: args.scaleOutCooldownSeconds,
                    scaleInCooldown: args.scaleInCooldownSeconds,
                },
            },
            { parent },
        ),
    );
    return { target, policies };
}

/**
 * Where tasks run: Fargate, and for a worker with a Spot share, Fargate Spot for that share of the tasks
 * (by weight; Spot tasks may be stopped with two minutes' notice, which a queue worker tolerates).
 */
export function capacityProviderStrategies(spotPercent: number): { capacityProvider: "FARGATE" | "FARGATE_SPOT"; weight: number }[] {
    return [
        { capacityProvider: "FARGATE" as const, weight: 100 - spotPercent },
        { capacityProvider: "FARGATE_SPOT" as const, weight: spotPercent },
    ].filter((s) => s.weight > 0);
}
