import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NetworkArgs } from "./args";
import { createEndpoints } from "./endpoints";
import { createFlowLogs } from "./flow-logs";
import { nameTag } from "./naming";
import { GROUPS, GroupKey, RuleSpec, TopologyOptions, groupKeys, securityGroupRules } from "./security-groups";
import { validateNetworkArgs } from "./validate";
import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST } from "../edge/settings";
import { VpcResources, createVpc } from "./vpc";

export { NetworkArgs };

type Groups = Partial<Record<GroupKey, aws.ec2.SecurityGroup>>;

/** A group the topology has; a miss is a bug in the rule table (a rule naming a group that is off). */
function groupOf(groups: Groups, key: GroupKey): aws.ec2.SecurityGroup {
    const g = groups[key];
    if (!g) throw new Error(`Network: this topology has no ${key} security group`);
    return g;
}

/**
 * The groups the network owns. There is no application group: each service has its own, and adds the
 * rules that join it to these (egress on `loadBalancer`, ingress on a store's group and on `endpoints`).
 */
export interface NetworkSecurityGroupIds {
    /** HTTPS from CloudFront (or HTTP and HTTPS from the internet, see `loadBalancerIngress`); no egress until a service adds its own. */
    loadBalancer: pulumi.Output<string>;
    /** No rule until a service that uses PostgreSQL adds its ingress. */
    postgres: pulumi.Output<string>;
    /** No rule until a service that uses Redis adds its ingress. */
    redis: pulumi.Output<string>;
    /** Only when `documentDb` is on; no rule until a service that uses DocumentDB adds its ingress. */
    documentDb?: pulumi.Output<string>;
    /** Only when `config.interfaceEndpoints` is on; each service adds its 443 ingress. */
    endpoints?: pulumi.Output<string>;
}

/**
 * The VPC (public, private and isolated tiers, built from @pulumi/aws resources: ./vpc.ts), its flow
 * log, a closed default security group, VPC endpoints, and the security groups every other
 * component attaches to (the load balancer's, the data stores', the endpoints'; each service brings
 * its own).
 */
export class Network extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly publicSubnetIds: pulumi.Output<string[]>;
    readonly privateSubnetIds: pulumi.Output<string[]>;
    readonly isolatedSubnetIds: pulumi.Output<string[]>;
    /** The VPC's internet gateway (created attached to the VPC). */
    readonly internetGatewayId: pulumi.Output<string>;
    /**
     * The gateway itself, for `dependsOn`: AWS refuses an internet-facing load balancer in a VPC
     * without an attached internet gateway, and nothing in its inputs waits for it.
     */
    readonly internetGateway: aws.ec2.InternetGateway;
    readonly securityGroupIds: NetworkSecurityGroupIds;
    readonly flowLogGroupName: pulumi.Output<string>;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = validateNetworkArgs(args);
        if (problems.length > 0) throw new Error(`Network ${JSON.stringify(name)} has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        super("baseline:network:Network", name, {}, opts);

        const tag = (suffix: string) => ({ Name: nameTag(args.namePrefix, suffix) });
        const vpc = createVpc(name, this, { config: args.config, namePrefix: args.namePrefix, region: args.region });
        this.vpcId = vpc.vpc.id;
        this.publicSubnetIds = pulumi.all(vpc.subnetIds.public);
        this.privateSubnetIds = pulumi.all(vpc.subnetIds.private);
        this.isolatedSubnetIds = pulumi.all(vpc.subnetIds.isolated);
        this.internetGateway = vpc.internetGateway;
        this.internetGatewayId = vpc.internetGateway.id;

        // Adopting the default group strips every rule from it, so nothing can use it by accident.
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: this.vpcId, ingress: [], egress: [], tags: tag("default-sg-closed") }, { parent: this });

        const protect = args.protect ?? true;
        this.flowLogGroupName = createFlowLogs(name, this, {
            vpcId: this.vpcId, namePrefix: args.namePrefix, region: args.region, retentionDays: args.config.flowLogRetentionDays, kmsKeyArn: args.logsKmsKeyArn, protect, tag, permissionsBoundaryArn: args.permissionsBoundaryArn,
        });

        const groups = this.securityGroups(name, args, tag);
        this.endpoints(name, args, vpc, groups, tag);
        this.securityGroupIds = {
            loadBalancer: groupOf(groups, "loadBalancer").id,
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
            internetGatewayId: this.internetGatewayId,
            securityGroupIds: this.securityGroupIds,
            flowLogGroupName: this.flowLogGroupName,
        });
    }

    /** One group per role the topology has; the network's own rules (the rule table) are the load balancer's ingress only. */
    private securityGroups(name: string, args: NetworkArgs, tag: (s: string) => Record<string, string>): Groups {
        const topology: TopologyOptions = { interfaceEndpoints: args.config.interfaceEndpoints, documentDb: args.documentDb ?? false };
        const groups: Groups = {};
        for (const key of groupKeys(topology)) {
            // No inline ingress/egress: rules are standalone resources. On create the provider
            // removes AWS's default allow-all egress, so a group without egress rules has no egress.
            groups[key] = new aws.ec2.SecurityGroup(
                `${name}-${GROUPS[key].suffix}`,
                { vpcId: this.vpcId, description: GROUPS[key].description, tags: tag(GROUPS[key].suffix) },
                { parent: this },
            );
        }
        for (const rule of securityGroupRules(args.loadBalancerIngress ?? "cloudfront")) this.rule(name, rule, groups);
        return groups;
    }

    /** One standalone rule; TCP, one port. */
    private rule(name: string, rule: RuleSpec, groups: Groups): void {
        const common = {
            securityGroupId: groupOf(groups, rule.group).id,
            ipProtocol: "tcp",
            fromPort: rule.port,
            toPort: rule.port,
            description: rule.description,
            ...this.peerOf(rule, groups),
        };
        if (rule.direction === "ingress") new aws.vpc.SecurityGroupIngressRule(`${name}-${rule.key}`, common, { parent: this });
        else new aws.vpc.SecurityGroupEgressRule(`${name}-${rule.key}`, common, { parent: this });
    }

    /** The rule's other side as the rule resource takes it: a group, a CIDR, or CloudFront's prefix list (looked up by name). */
    private peerOf(rule: RuleSpec, groups: Groups) {
        const peer = rule.peer;
        if ("group" in peer) return { referencedSecurityGroupId: groupOf(groups, peer.group).id };
        if ("cloudFront" in peer) return { prefixListId: aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST }, { parent: this }).id };
        return peer;
    }

    /** The S3 gateway on the private and isolated tables (never a public one); interface endpoints when configured. */
    private endpoints(name: string, args: NetworkArgs, vpc: VpcResources, groups: Groups, tag: (s: string) => Record<string, string>): void {
        createEndpoints(name, this, {
            vpcId: this.vpcId,
            region: args.region,
            gatewayRouteTableIds: [...vpc.routeTableIds.private, ...vpc.routeTableIds.isolated],
            privateSubnetIds: this.privateSubnetIds,
            securityGroupId: args.config.interfaceEndpoints ? groupOf(groups, "endpoints").id : undefined,
            tag,
        });
    }
}
