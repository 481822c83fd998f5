import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Problem, intIn, problem, sectionProblems } from "../config/checks";
import { AlarmsConfig } from "../config/operations-types";
import { ALARMS_CHECKS } from "../config/sections/alarms";
import { NAME_PREFIX } from "../edge/naming";
import { AlarmSpec, AlarmTargets, alarmSpecs } from "./alarm-specs";
import { DOCUMENTDB_CLASS_LIMITS, POSTGRES_CLASS_MEMORY_GIB } from "./instance-limits";

export interface AlarmsArgs {
    /** `<app>-<environment>`, e.g. `pos-prod`: every alarm is named `<namePrefix>-<what>`. */
    namePrefix: string;
    /** `baseline:alarms` (validated by the stack config; checked again here). */
    alarms: AlarmsConfig;
    /** The alert topic: every alarm notifies it when it fires (alarmActions) and when it recovers (okActions). */
    topicArn: pulumi.Input<string>;
    /** `LoadBalancer.arnSuffix`: the `LoadBalancer` dimension of the ALB's metrics. */
    loadBalancer: { arnSuffix: pulumi.Input<string> };
    services: {
        /** The service's config name (`api`): the alarms are `<namePrefix>-service-<name>-<what>`. */
        name: string;
        clusterName: pulumi.Input<string>;
        serviceName: pulumi.Input<string>;
        /** `Service.minimumTasks`; 0 (bootstrap mode) has no running-tasks alarm. */
        minimumTasks: number;
        /** `Service.targetGroupArnSuffix`, public services only: adds the target 5xx, p95 latency and unhealthy-host alarms. */
        targetGroupArnSuffix?: pulumi.Input<string>;
    }[];
    postgres: {
        /** `Postgres.identifier`. */
        identifier: pulumi.Input<string>;
        /** `baseline:database.instanceClass`: its memory and default max_connections set two thresholds. */
        instanceClass: string;
        /** `baseline:database.allocatedStorage` in GiB: the free-storage threshold is a share of it. */
        allocatedStorageGib: number;
    };
    redis: {
        /** `Redis.memberClusters`: one `CacheClusterId` per node. */
        memberClusters: pulumi.Output<string[]>;
        /** `baseline:cache.numCacheClusters`: how many nodes, known before the group exists (alarms are never created inside an apply). */
        nodeCount: number;
    };
    /** Only with `baseline:documentDb.enabled`. */
    documentDb?: {
        /** `DocumentDb.instanceIdentifiers`. */
        instanceIdentifiers: pulumi.Output<string[]>;
        /** `baseline:documentDb.instanceCount`. */
        instanceCount: number;
        /** `baseline:documentDb.instanceClass`: its connection limit sets the connections threshold. */
        instanceClass: string;
    };
}

/** CloudWatch caps alarm names at 255 characters. */
export const MAX_ALARM_NAME = 255;
const SERVICE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** Every problem with the arguments, each naming the argument, the value and what is allowed. */
export function alarmsProblems(args: AlarmsArgs): string[] {
    const problems: Problem[] = [
        ...sectionProblems("alarms", ALARMS_CHECKS, args.alarms, "prod"),
        typeof args.namePrefix === "string" && NAME_PREFIX.test(args.namePrefix)
            ? undefined
            : problem("namePrefix", args.namePrefix, "lowercase letters and digits in words joined by single hyphens, such as pos-prod"),
        POSTGRES_CLASS_MEMORY_GIB[args.postgres.instanceClass] === undefined
            ? problem("postgres.instanceClass", args.postgres.instanceClass, `a class of infra/operations/instance-limits.ts (${Object.keys(POSTGRES_CLASS_MEMORY_GIB).join(", ")}), or add its row there`)
            : undefined,
        intIn("postgres.allocatedStorageGib", args.postgres.allocatedStorageGib, 20, 65536),
        intIn("redis.nodeCount", args.redis.nodeCount, 1, 6),
    ];
    const names = new Set<string>();
    args.services.forEach((s, i) => {
        if (typeof s.name !== "string" || !SERVICE_NAME.test(s.name)) problems.push(problem(`services[${i}].name`, s.name, "lowercase letters and digits in words joined by single hyphens"));
        else if (names.has(s.name)) problems.push(problem(`services[${i}].name`, s.name, "a name no other service has (alarm names would collide)"));
        names.add(s.name);
        problems.push(intIn(`services[${i}].minimumTasks`, s.minimumTasks, 0, 1000));
    });
    if (args.documentDb) {
        problems.push(intIn("documentDb.instanceCount", args.documentDb.instanceCount, 1, 16));
        if (DOCUMENTDB_CLASS_LIMITS[args.documentDb.instanceClass] === undefined) {
            problems.push(problem("documentDb.instanceClass", args.documentDb.instanceClass, `a class of infra/operations/instance-limits.ts (${Object.keys(DOCUMENTDB_CLASS_LIMITS).join(", ")}), or add its row there`));
        }
    }
    const present = problems.filter((p): p is string => p !== undefined);
    if (present.length === 0) {
        // Only once the rest is valid: the specs need known classes. Names from the longest key.
        for (const spec of alarmSpecs(targetsOf<string>(args, () => "", () => ""))) {
            const name = alarmName(args.namePrefix, spec.key);
            if (name.length > MAX_ALARM_NAME) present.push(problem("namePrefix", args.namePrefix, `a prefix short enough for the alarm name ${JSON.stringify(name)} to stay within CloudWatch's ${MAX_ALARM_NAME} characters`));
        }
    }
    return present;
}

/** `<namePrefix>-<key>`, e.g. `pos-prod-service-api-cpu`. */
export const alarmName = (namePrefix: string, key: string): string => `${namePrefix}-${key}`;

/** Element `i` of a list output (a Redis node's or DocumentDB instance's id). */
type NodeAt<Id> = (list: pulumi.Output<string[]>, i: number, what: string, count: number) => Id;

/**
 * The identifiers the specs need, one per node or instance counted from config (node `i`'s id is
 * `nodeAt(memberClusters, i)`); `id` maps each other identifier. Validation passes placeholders.
 */
function targetsOf<Id>(args: AlarmsArgs, id: (v: pulumi.Input<string>) => Id, nodeAt: NodeAt<Id>): AlarmTargets<Id> {
    const nodes = (list: pulumi.Output<string[]>, count: number, what: string) => Array.from({ length: count }, (_, i) => nodeAt(list, i, what, count));
    return {
        alarms: args.alarms,
        loadBalancer: id(args.loadBalancer.arnSuffix),
        services: args.services.map((s) => ({
            name: s.name, clusterName: id(s.clusterName), serviceName: id(s.serviceName), minimumTasks: s.minimumTasks,
            ...(s.targetGroupArnSuffix !== undefined ? { targetGroup: id(s.targetGroupArnSuffix) } : {}),
        })),
        postgres: { identifier: id(args.postgres.identifier), instanceClass: args.postgres.instanceClass, allocatedStorageGib: args.postgres.allocatedStorageGib },
        redisNodes: nodes(args.redis.memberClusters, args.redis.nodeCount, "Redis member clusters (baseline:cache.numCacheClusters)"),
        ...(args.documentDb
            ? { documentDb: { instanceClass: args.documentDb.instanceClass, instances: nodes(args.documentDb.instanceIdentifiers, args.documentDb.instanceCount, "DocumentDB instances (baseline:documentDb.instanceCount)") } }
            : {}),
    };
}

/**
 * A group with fewer members than config says fails the deployment with both numbers, rather than an
 * alarm watching a node that does not exist.
 */
export function memberAt(items: readonly string[], i: number, what: string, count: number): string {
    if (items[i] === undefined) throw new Error(`Alarms: expected ${count} ${what}, found ${items.length} (${JSON.stringify(items)})`);
    return items[i];
}

const nth: NodeAt<pulumi.Input<string>> = (list, i, what, count) => list.apply((items) => memberAt(items, i, what, count));

/**
 * CloudWatch alarms on the services, the load balancer, the database, each Redis node and each DocumentDB
 * instance, with thresholds from `baseline:alarms`; every alarm notifies the alert topic when it fires and
 * when it recovers. The specs are in `alarm-specs.ts`; the count of alarms never waits for an output.
 */
export class Alarms extends pulumi.ComponentResource {
    /** Alarm key (`service-api-cpu`) to its ARN. */
    readonly alarmArns: Record<string, pulumi.Output<string>>;
    /** The specs the alarms were created from (identifiers as outputs), for the dashboard and the tests. */
    readonly specs: AlarmSpec<pulumi.Input<string>>[];

    constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Before super: bad arguments fail with nothing registered.
        const problems = alarmsProblems(args);
        if (problems.length > 0) throw new Error(`Alarms has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        super("baseline:operations:Alarms", name, {}, opts);

        this.specs = alarmSpecs<pulumi.Input<string>>(targetsOf<pulumi.Input<string>>(args, (v) => v, nth));
        this.alarmArns = {};
        for (const spec of this.specs) {
            const alarm = new aws.cloudwatch.MetricAlarm(`${name}-${spec.key}`, {
                name: alarmName(args.namePrefix, spec.key),
                alarmDescription: spec.description,
                namespace: spec.metric.namespace,
                metricName: spec.metric.metricName,
                dimensions: spec.metric.dimensions,
                ...(spec.statistic !== undefined ? { statistic: spec.statistic } : { extendedStatistic: spec.extendedStatistic }),
                comparisonOperator: spec.comparisonOperator,
                threshold: spec.threshold,
                period: spec.period,
                evaluationPeriods: spec.evaluationPeriods,
                treatMissingData: spec.treatMissingData,
                actionsEnabled: true,
                alarmActions: [args.topicArn],
                okActions: [args.topicArn],
            }, { parent: this });
            this.alarmArns[spec.key] = alarm.arn;
        }
        this.registerOutputs({ alarmArns: this.alarmArns });
    }
}
