import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** VPC endpoints: the S3 gateway on the private and isolated route tables, interface endpoints in the private subnets. */

/** Interface endpoints the private tier needs to pull images, ship logs and read secrets without NAT. */
export const INTERFACE_ENDPOINT_SERVICES = ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm"] as const;
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

/** `com.amazonaws.eu-west-1.ecr.api` */
export function endpointServiceName(region: string, service: string): string {
    return `com.amazonaws.${region}.${service}`;
}

/** Stable logical-name fragment: `ecr.api` → `ecr-api`. */
export function endpointSuffix(service: string): string {
    return service.replace(/\./g, "-");
}

export interface EndpointsArgs {
    vpcId: pulumi.Input<string>;
    region: string;
    /** The private and isolated subnets' route tables: S3 traffic from them skips NAT. Never a public one. */
    gatewayRouteTableIds: pulumi.Input<string>[];
    /** Subnets of the interface endpoints (the private tier). */
    privateSubnetIds: pulumi.Input<string[]>;
    /** Their security group; interface endpoints are created only when given. */
    securityGroupId?: pulumi.Input<string>;
    tag: (suffix: string) => Record<string, string>;
}

/** S3 gateway endpoint always; interface endpoints when a group is given, so private tasks need no NAT for AWS APIs. */
export function createEndpoints(component: string, parent: pulumi.Resource, args: EndpointsArgs): void {
    new aws.ec2.VpcEndpoint(
        `${component}-s3-endpoint`,
        {
            vpcId: args.vpcId,
            serviceName: endpointServiceName(args.region, "s3"),
            vpcEndpointType: "Gateway",
            routeTableIds: args.gatewayRouteTableIds,
            tags: args.tag("s3-endpoint"),
        },
        { parent },
    );
    if (args.securityGroupId === undefined) return;
    for (const service of INTERFACE_ENDPOINT_SERVICES) {
        new aws.ec2.VpcEndpoint(
            `${component}-${endpointSuffix(service)}-endpoint`,
            {
                vpcId: args.vpcId,
                serviceName: endpointServiceName(args.region, service),
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: args.privateSubnetIds,
                securityGroupIds: [args.securityGroupId],
                tags: args.tag(`${endpointSuffix(service)}-endpoint`),
            },
            { parent },
        );
    }
}
