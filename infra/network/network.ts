import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { INTERFACE_ENDPOINT_SERVICES, endpointServiceName, endpointSuffix, privateRouteTableIds } from "./endpoints";
import { flowLogPermissionsPolicy, flowLogTrustPolicy, logGroupArn } from "./flow-log-policies";
import { flowLogGroupName, nameTag } from "./naming";
import { GROUPS, GroupKey, RuleSpec, TopologyOptions, groupKeys, securityGroupRules } from "./security-groups";
import { NetworkArgs } from "./args";
import { validateNetworkArgs } from "./validate";

export { NetworkArgs };


type Groups = Partial<Record<GroupKey, aws.ec2.SecurityGroup>>;

/** A group the topology has; a miss is a bug in the rule table (a rule naming a group that is off). */
function groupOf(groups: Groups, key: GroupKey): aws.ec2.SecurityGroup {
    const g = groups[key];
    if (!g) throw new Error(`Network: this topology has no ${key} security group`);
    return g;
}

export interface NetworkSecurityGroupIds {
    loadBalancer: pulumi.Output<string>;
    app: pulumi.Output<string>;
    postgres: pulumi.Output<string>;
    redis: pulumi.Output<string>;
    /** Only when `documentDb` is on. */
    documentDb?: pulumi.Output<string>;
    /** Only when `config.interfaceEndpoints` is on. */
    endpoints?: pulumi.Output<string>;
}

/**
 * The VPC (public, private and isolated tiers), its flow log, a closed default security group,
 * VPC endpoints, and the security groups every other component attaches to.
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly isolatedSubnetIds: pulumi.Output<string[]>;
    readonly securityGroupIds: NetworkSecurityGroupIds;
    readonly flowLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = validateNetworkArgs(args);
        if (problems.length > 0) throw new Error(`Network ${JSON.stringify(name)} has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        super("baseline:network:Network", name, {}, opts);

        const { config, appPort } = args;
        const protect = args.protect ?? true;
        const topology: TopologyOptions = { interfaceEndpoints: config.interfaceEndpoints, documentDb: args.documentDb ?? false };
        const project = pulumi.getProject();
        const stack = pulumi.getStack();
        const tag = (suffix: string) => ({ Name: nameTag(project, stack, suffix) });
        const child = { parent: this };

        const vpc = new awsx.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: config.cidrBlock,
                numberOfAvailabilityZones: config.availabilityZoneCount,
                subnetStrategy: "Auto",
                // Spec names feed awsx's subnet logical names: never rename them.
                subnetSpecs: [
                    { type: "Public", name: "public", cidrMask: config.publicSubnetMask },
                    { type: "Private", name: "private", cidrMask: config.privateSubnetMask },
                    { type: "Isolated", name: "isolated", cidrMask: config.isolatedSubnetMask },
                ],
                natGateways: { strategy: config.natGateways },
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: tag("vpc"),
            },
            child,
        );
        this.vpcId = vpc.vpcId;
        this.publicSubnetIds = vpc.publicSubnetIds;
        this.privateSubnetIds = vpc.privateSubnetIds;
        this.isolatedSubnetIds = vpc.isolatedSubnetIds;

        // Adopting the default group strips every rule from it, so nothing can use it by accident.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.vpcId, ingress: [], egress: [], tags: tag("default-sg-closed") }, child);

        this.flowLogGroupName = this.flowLogs(name, vpc.vpcId, args, protect, tag);

        const groups: Groups = {};
        for (const key of groupKeys(topology)) {
            // No inline ingress/egress: rules are standalone resources below. On create the provider
            // removes AWS's default allow-all egress, so a group without egress rules has no egress.
            groups[key] = new aws.ec2.SecurityGroup(
                `${name}-${GROUPS[key].suffix}`,
                { vpcId: vpc.vpcId, description: GROUPS[key].description, tags: tag(GROUPS[key].suffix) },
                child,
            );
        }
        for (const rule of securityGroupRules(appPort, topology)) this.rule(name, rule, groups);

        this.endpoints(name, vpc, args, groups.endpoints, tag);

        this.securityGroupIds = {
            loadBalancer: groupOf(groups, "loadBalancer").id,
            app: groupOf(groups, "app").id,
            postgres: groupOf(groups, "postgres").id,
            redis: groupOf(groups, "redis").id,
            ...(groups.documentDb ? { documentDb: groups.documentDb.id } : {}),
            ...(groups.endpoints ? { endpoints: groups.endpoints.id } : {}),
        };

        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            isolatedSubnetIds: this.isolatedSubnetIds,
            securityGroupIds: this.securityGroupIds,
            flowLogGroupName: this.flowLogGroupName,
        });
    }

    /** All traffic of the VPC to an encrypted, retention-bound log group, through a role that can write only there. */
    private flowLogs(name: string, vpcId: pulumi.Output<string>, args: NetworkArgs, protect: boolean, tag: (s: string) => Record<string, string>): pulumi.Output<string> {
        const child = { parent: this };
        const groupName = flowLogGroupName(pulumi.getProject(), pulumi.getStack(), name);
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-flow-logs`,
            {
                name: groupName,
                retentionInDays: args.config.flowLogRetentionDays,
                kmsKeyId: args.logsKmsKeyArn,
                tags: tag("vpc-flow-logs"),
            },
            { parent: this, protect, retainOnDelete: protect },
        );

        const identity = aws.getCallerIdentityOutput({}, child);
        const partition = aws.getPartitionOutput({}, child);
        const role = new aws.iam.Role(
            `${name}-flow-logs-role`,
            {
                description: "Lets VPC Flow Logs deliver this VPC's flow log to its log group",
                assumeRolePolicy: pulumi
                    .all([identity.accountId, partition.partition])
                    .apply(([account, part]) => JSON.stringify(flowLogTrustPolicy(account, part, args.region))),
                tags: tag("vpc-flow-logs-role"),
            },
            child,
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-flow-logs-policy`,
            {
                role: role.id,
                // From the group's known name rather than `logGroup.arn`, so the document is known at preview.
                policy: pulumi
                    .all([identity.accountId, partition.partition])
                    .apply(([account, part]) => JSON.stringify(flowLogPermissionsPolicy(logGroupArn(part, args.region, account, groupName)))),
            },
            child,
        );

        new aws.ec2.FlowLog(
            `${name}-flow-log`,
            {
                vpcId,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                tags: tag("vpc-flow-log"),
            },
            // Without the policy in place the first deliveries fail with an access error.
            { parent: this, dependsOn: [rolePolicy] },
        );
        return logGroup.name;
    }

    /** One standalone rule; TCP, one port. */
    private rule(name: string, rule: RuleSpec, groups: Groups): void {
        const common = {
            securityGroupId: groupOf(groups, rule.group).id,
            ipProtocol: "tcp",
            fromPort: rule.port,
            toPort: rule.port,
            description: rule.description,
            ...("group" in rule.peer ? { referencedSecurityGroupId: groupOf(groups, rule.peer.group).id } : rule.peer),
        };
        if (rule.direction === "ingress") new aws.vpc.SecurityGroupIngressRule(`${name}-${rule.key}`, common, { parent: this });
        else new aws.vpc.SecurityGroupEgressRule(`${name}-${rule.key}`, common, { parent: this });
    }

    /** S3 gateway endpoint always; interface endpoints when configured, so private tasks need no NAT for AWS APIs. */
    private endpoints(
        name: string,
        vpc: awsx.ec2.Vpc,
        args: NetworkArgs,
        endpointsGroup: aws.ec2.SecurityGroup | undefined,
        tag: (s: string) => Record<string, string>,
    ): void {
        const child = { parent: this };
        new aws.ec2.VpcEndpoint(
            `${name}-s3-endpoint`,
            {
                vpcId: vpc.vpcId,
                serviceName: endpointServiceName(args.region, "s3"),
                vpcEndpointType: "Gateway",
                routeTableIds: privateRouteTableIds(vpc),
                tags: tag("s3-endpoint"),
            },
            child,
        );
        if (!args.config.interfaceEndpoints || !endpointsGroup) return;
        for (const service of INTERFACE_ENDPOINT_SERVICES) {
            new aws.ec2.VpcEndpoint(
                `${name}-${endpointSuffix(service)}-endpoint`,
                {
                    vpcId: vpc.vpcId,
                    serviceName: endpointServiceName(args.region, service),
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: vpc.privateSubnetIds,
                    securityGroupIds: [endpointsGroup.id],
                    tags: tag(`${endpointSuffix(service)}-endpoint`),
                },
                child,
            );
        }
    }
}
