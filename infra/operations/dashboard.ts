import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Problem, problem } from "../config/checks";
import { NAME_PREFIX } from "../edge/naming";
import { dashboardBody } from "./dashboard-body";

export interface DashboardArgs {
    /** `<app>-<environment>`, e.g. `pos-prod`: the dashboard's name. */
    namePrefix: string;
    /** `aws:region`: where the stack's metrics are. */
    region: string;
    /** `LoadBalancer.arnSuffix`. */
    loadBalancer: { arnSuffix: pulumi.Input<string> };
    /** Each service, in config order; public ones with their target group's ARN suffix. */
    services: { name: string; clusterName: pulumi.Input<string>; serviceName: pulumi.Input<string>; targetGroupArnSuffix?: pulumi.Input<string> }[];
    /** `Postgres.identifier`. */
    postgres: { identifier: pulumi.Input<string> };
    /** `Redis.memberClusters`: one graph line per node. */
    redis: { memberClusters: pulumi.Input<string[]> };
    /** `DocumentDb.instanceIdentifiers`, only with DocumentDB. */
    documentDb?: { instanceIdentifiers: pulumi.Input<string[]> };
    /** `WebFirewall.metricName` of the regional ACL and, behind CloudFront, of the CLOUDFRONT one. */
    waf: { regional: pulumi.Input<string>; cloudFront?: pulumi.Input<string> };
}

/** CloudWatch dashboard names: up to 255 of letters, digits, "-" and "_". */
const MAX_DASHBOARD_NAME = 255;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Every problem with the arguments, each naming the argument, the value and what is allowed. */
export function dashboardProblems(args: DashboardArgs): string[] {
    const names = args.services.map((s) => s.name);
    const problems: Problem[] = [
        typeof args.namePrefix === "string" && NAME_PREFIX.test(args.namePrefix) && args.namePrefix.length <= MAX_DASHBOARD_NAME
            ? undefined
            : problem("namePrefix", args.namePrefix, `lowercase letters and digits in words joined by single hyphens, at most ${MAX_DASHBOARD_NAME} characters`),
        typeof args.region === "string" && REGION.test(args.region) ? undefined : problem("region", args.region, "an AWS region such as eu-west-1"),
        ...names.map((n, i) => (names.indexOf(n) !== i ? problem(`services[${i}].name`, n, "a name no other service has") : undefined)),
    ];
    return problems.filter((p): p is string => p !== undefined);
}

/**
 * One CloudWatch dashboard per stack, `<namePrefix>`: requests, latency percentiles, 4xx/5xx, WAF blocks,
 * then CPU, memory and tasks per service, the database, each Redis node and each DocumentDB instance. The
 * body is built by `dashboardBody` once the identifiers are known.
 */
export class Dashboard extends pulumi.ComponentResource {
    readonly dashboardName: pulumi.Output<string>;
    readonly dashboardArn: pulumi.Output<string>;

    constructor(name: string, args: DashboardArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = dashboardProblems(args);
        if (problems.length > 0) throw new Error(`Dashboard has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        super("baseline:operations:Dashboard", name, {}, opts);

        const services = pulumi.all(args.services.map((s) =>
            pulumi.all([s.clusterName, s.serviceName, s.targetGroupArnSuffix]).apply(([clusterName, serviceName, targetGroup]) => ({
                name: s.name, clusterName, serviceName, ...(targetGroup !== undefined ? { targetGroup } : {}),
            }))));
        const body = pulumi
            .all([args.loadBalancer.arnSuffix, services, args.postgres.identifier, args.redis.memberClusters, args.documentDb?.instanceIdentifiers, args.waf.regional, args.waf.cloudFront])
            .apply(([loadBalancer, resolved, postgres, redisNodes, documentDbInstances, regional, cloudFront]) =>
                JSON.stringify(dashboardBody({
                    region: args.region,
                    loadBalancer,
                    services: resolved,
                    postgres,
                    redisNodes,
                    ...(documentDbInstances !== undefined ? { documentDbInstances } : {}),
                    waf: { regional, ...(cloudFront !== undefined ? { cloudFront } : {}) },
                })),
            );

        const dashboard = new aws.cloudwatch.Dashboard(name, { dashboardName: args.namePrefix, dashboardBody: body }, { parent: this });
        this.dashboardName = dashboard.dashboardName;
        this.dashboardArn = dashboard.dashboardArn;
        this.registerOutputs({ dashboardName: this.dashboardName, dashboardArn: this.dashboardArn });
    }
}
