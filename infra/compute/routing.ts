import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ServiceRouting } from "../config/service-types";
import { targetGroupBase } from "./naming";

/** The load balancer's health check of each task; `traffic-port` is the container port. */
export function targetGroupHealthCheck(path: string) {
    return {
        enabled: true,
        protocol: "HTTP",
        port: "traffic-port",
        path,
        matcher: "200-399",
        interval: 30,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
    };
}

/** A header every forwarded request must carry (CloudFront's origin header), with one of these values (secret). */
export interface RequiredHeader {
    name: string;
    /** One value, or two while the origin token is rotated; each takes one of the rule's five condition values. */
    values: pulumi.Input<string>[];
}

/**
 * Host-header and path-pattern conditions, and the required header when given; a rule matches when all
 * given conditions do. ALB reads `*` and `?` in a header value as wildcards: the value must have none.
 */
export function ruleConditions(routing: ServiceRouting, requiredHeader?: RequiredHeader) {
    return [
        ...(routing.hosts.length > 0 ? [{ hostHeader: { values: routing.hosts } }] : []),
        ...(routing.paths.length > 0 ? [{ pathPattern: { values: routing.paths } }] : []),
        ...(requiredHeader ? [{ httpHeader: { httpHeaderName: requiredHeader.name, values: requiredHeader.values } }] : []),
    ];
}

export interface RoutingArgs {
    namePrefix: string;
    service: string;
    port: number;
    routing: ServiceRouting;
    vpcId: pulumi.Input<string>;
    listenerArn: pulumi.Input<string>;
    deregistrationDelaySeconds: number;
    /** Forward only requests carrying this header (CloudFront's origin header); others fall to the listener's 403. */
    requiredHeader?: RequiredHeader;
}

/**
 * A target group of the service's tasks (by IP, as awsvpc tasks register) and the HTTPS listener rule
 * that forwards the service's hosts and paths to it.
 *
 * Target group names have 32 characters and are unique per account and region, and a group still
 * attached to a listener cannot be deleted, so a replacement must create the new group first. The name
 * is therefore `<prefix>-<service>` (shortened) and a suffix drawn again whenever an input that
 * replaces the group changes: the new group gets a new name and takes over before the old one goes.
 */
export function createRouting(name: string, args: RoutingArgs, parent: pulumi.Resource) {
    const suffix = new random.RandomId(
        `${name}-tg-suffix`,
        { byteLength: 4, keepers: { port: String(args.port), vpcId: args.vpcId, protocol: "HTTP", targetType: "ip" } },
        { parent },
    );
    const base = targetGroupBase(args.namePrefix, args.service);
    const targetGroup = new aws.lb.TargetGroup(
        `${name}-tg`,
        {
            name: pulumi.interpolate`${base}-${suffix.hex}`,
            targetType: "ip",
            protocol: "HTTP",
            port: args.port,
            vpcId: args.vpcId,
            deregistrationDelay: args.deregistrationDelaySeconds,
            healthCheck: targetGroupHealthCheck(args.routing.healthCheckPath),
            tags: { Name: `${args.namePrefix}-${args.service}` },
        },
        // Explicit: the provider bridge deletes first whenever a resource is given a name.
        { parent, deleteBeforeReplace: false },
    );
    const rule = new aws.lb.ListenerRule(
        `${name}-rule`,
        {
            listenerArn: args.listenerArn,
            priority: args.routing.priority,
            conditions: ruleConditions(args.routing, args.requiredHeader),
            actions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
            tags: { Name: `${args.namePrefix}-${args.service}` },
        },
        { parent },
    );
    return { targetGroup, rule };
}
