import * as pulumi from "@pulumi/pulumi";

/** VPC endpoint naming and the route tables the S3 gateway endpoint joins. */

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

export interface RouteTableAssociationIds {
    subnetId: string;
    routeTableId: string;
}

/**
 * The route tables of `subnetIds`, in subnet order, each once. awsx gives every subnet its own
 * table and association, so a subnet without one means the VPC is not what we think: fail loudly
 * rather than leave a tier routing S3 traffic through NAT.
 */
export function routeTableIdsForSubnets(associations: RouteTableAssociationIds[], subnetIds: string[]): string[] {
    const bySubnet = new Map(associations.map((a) => [a.subnetId, a.routeTableId]));
    const missing = subnetIds.filter((s) => !bySubnet.has(s));
    if (missing.length > 0) {
        throw new Error(`No route table association found for subnet(s) ${missing.join(", ")}: cannot attach the S3 gateway endpoint to them.`);
    }
    return [...new Set(subnetIds.map((s) => bySubnet.get(s)!))];
}

/** What {@link privateRouteTableIds} reads from the VPC; awsx's `Vpc` satisfies it. */
export interface VpcRouting {
    /** Absent when a mock does not return it; see {@link privateRouteTableIds}. */
    routeTableAssociations: pulumi.Input<{ subnetId: pulumi.Input<string | undefined>; routeTableId: pulumi.Input<string> }[]>;
    privateSubnetIds: pulumi.Output<string[]>;
    isolatedSubnetIds: pulumi.Output<string[]>;
}

/**
 * The SDK turns awsx's resource references into resources only when a compatible @pulumi/aws module
 * is registered; otherwise it hands back the bare id or URN. Say so, rather than "no association found".
 */
export function assertRehydrated(associations: readonly unknown[]): void {
    const bare = associations.find((a) => typeof a === "string");
    if (bare !== undefined) {
        throw new Error(
            `awsx returned route table associations as bare references (${String(bare)}), not resources: ` +
                "the program's @pulumi/aws must be one the awsx plugin's references resolve to (same major version, not older).",
        );
    }
}

/**
 * Route tables of the private and isolated subnets, for the S3 gateway endpoint.
 *
 * On AWS, awsx (a remote component) returns `routeTableAssociations` as resource references that
 * the SDK rehydrates; each subnet has its own table. Under mocks a remote component has no children;
 * the project's mock (tools/offline/mock-outputs.ts) returns plain associations, and a mock that
 * returns none leaves the endpoint with no route tables (harmless offline, and the
 * helper throws on AWS if a subnet has no association instead of silently routing S3 through NAT).
 */
export function privateRouteTableIds(vpc: VpcRouting): pulumi.Output<string[]> {
    return pulumi.all([vpc.routeTableAssociations, vpc.privateSubnetIds, vpc.isolatedSubnetIds]).apply(([associations, privateIds, isolatedIds]) => {
        if (associations === undefined) return pulumi.output<string[]>([]);
        assertRehydrated(associations);
        return pulumi.all(associations.map((a) => pulumi.all([a.subnetId, a.routeTableId]))).apply((pairs) =>
            routeTableIdsForSubnets(
                // Gateway (edge) associations have no subnet.
                pairs.flatMap(([subnetId, routeTableId]) => (subnetId ? [{ subnetId, routeTableId }] : [])),
                [...privateIds, ...isolatedIds],
            ),
        );
    });
}
