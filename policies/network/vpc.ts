import * as aws from "@pulumi/aws";
import { ofType } from "../lib/by-type";
import { StackReporter, StackResource, stackPolicy, tokenOf } from "../lib/define";
import { isUnknown, show } from "../lib/props";
import { AWSX_VPC, VPC_TYPES, VpcAttribution, attributeToVpcs, describeResource, stackVpcs, vpcIdentity } from "./joins";
import { NAT_RANK, NatConfig, checkVpcTopology } from "./nat";

/**
 * VPC-wide checks, for a VPC built from aws.ec2 resources (as this project builds it) or an
 * awsx:ec2:Vpc component (other teams' stacks): awsx runs remotely, so under mocks it is one
 * registration with no children and every join accepts it as well as aws.ec2.Vpc / DefaultVpc.
 */

const AWS_VPC = tokenOf(aws.ec2.Vpc);
const FLOW_LOG = new Set([tokenOf(aws.ec2.FlowLog)]);
const DEFAULT_SG = new Set([tokenOf(aws.ec2.DefaultSecurityGroup)]);
const VPC_ENDPOINT = new Set([tokenOf(aws.ec2.VpcEndpoint)]);

/** For a VPC with nothing attributed: unverifiable when some candidates' VPC is unknown, else a violation. */
function missing(vpc: StackResource, found: VpcAttribution, report: StackReporter, requirement: string, message: string): void {
    if (found.unattributed.length > 0) for (const r of found.unattributed) report.unverifiable(r, "vpcId", `${describeResource(vpc)} ${requirement}`);
    else report.violation(vpc, message);
}

/** net-01: traffic to and from every VPC is recorded for investigation. */
export const vpcFlowLogs = stackPolicy<{ trafficTypes: string[] }>({
    name: "vpc-flow-logs",
    description: "Every VPC (aws.ec2.Vpc, DefaultVpc or awsx.ec2.Vpc) must have a flow log capturing rejected or all traffic.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Add an `aws.ec2.FlowLog` with `vpcId` set from the VPC (`vpc.vpcId` for awsx) and `trafficType: \"ALL\"`, delivering to a CloudWatch log group or S3.",
    securityHub: ["EC2.6"],
    catalogue: ["net-01"],
    config: {
        trafficTypes: {
            type: "array", items: { type: "string", enum: ["ALL", "REJECT", "ACCEPT"] }, minItems: 1, uniqueItems: true,
            default: ["ALL", "REJECT"], description: "Flow log traffic types that count (EC2.6 accepts REJECT or ALL).",
        },
    },
    check: (resources, { config }, report) => {
        const logs = attributeToVpcs(resources, FLOW_LOG);
        for (const vpc of stackVpcs(resources)) {
            const own = logs.byVpc.get(vpc) ?? [];
            const counted = own.filter((l) => config.trafficTypes.includes(l.props.trafficType));
            if (counted.length > 0) continue;
            const pending = own.filter((l) => isUnknown(l.props.trafficType));
            if (pending.length > 0) {
                for (const l of pending) report.unverifiable(l, "trafficType", `${describeResource(vpc)} logs ${config.trafficTypes.join(" or ")} traffic`);
                continue;
            }
            const found = own.length > 0
                ? `its flow logs capture ${own.map((l) => show(l.props.trafficType)).join(", ")} traffic`
                : "no aws.ec2.FlowLog has its vpcId";
            missing(vpc, { byVpc: logs.byVpc, unattributed: own.length > 0 ? [] : logs.unattributed }, report, "has a flow log",
                `VPC must have a flow log: ${describeResource(vpc)} has none that counts (${found}), expected a flow log with trafficType ${config.trafficTypes.join(" or ")}.`);
        }
    },
});

/** net-02 (second half): the default group only stays closed if the stack manages it. */
export const vpcDefaultSecurityGroupManaged = stackPolicy({
    name: "vpc-default-sg-managed",
    description: "Every VPC's default security group must be managed by the stack (aws.ec2.DefaultSecurityGroup), so its rules are removed and kept removed.",
    severity: "medium",
    // Advisory: awsx does not adopt the default group; a stack turns this on when it does.
    enforcementLevel: "advisory",
    remediationSteps: "Add `new aws.ec2.DefaultSecurityGroup(name, { vpcId: vpc.vpcId })` with no ingress or egress.",
    securityHub: ["EC2.2"],
    catalogue: ["net-02"],
    types: [...VPC_TYPES],
    check: (resources, _ctx, report) => {
        const groups = attributeToVpcs(resources, DEFAULT_SG);
        for (const vpc of stackVpcs(resources)) {
            if ((groups.byVpc.get(vpc) ?? []).length > 0) continue;
            missing(vpc, groups, report, "has its default security group managed",
                `VPC must have its default security group managed: no aws.ec2.DefaultSecurityGroup has the vpcId of ${describeResource(vpc)}, expected one with no rules.`);
        }
    },
});

/** NAT strategy awsx will use: as given, else one per AZ when the VPC has private and public subnets; unknown while either is. */
export function effectiveNatStrategy(vpc: Record<string, any>): unknown {
    if (isUnknown(vpc.natGateways)) return vpc.natGateways;
    const given = vpc.natGateways?.strategy;
    if (given !== undefined) return given;
    if (isUnknown(vpc.subnetSpecs)) return vpc.subnetSpecs;
    const types: unknown[] = Array.isArray(vpc.subnetSpecs) ? vpc.subnetSpecs.map((s: any) => s?.type) : ["Public", "Private"];
    return types.includes("Public") && types.includes("Private") ? "OnePerAz" : "None";
}

/** True unless subnet specs are given and none is private: a VPC without private subnets needs no NAT. */
export function hasPrivateSubnets(vpc: Record<string, any>): boolean {
    if (!Array.isArray(vpc.subnetSpecs)) return true;
    return vpc.subnetSpecs.some((s: any) => s?.type === "Private" || isUnknown(s?.type) || isUnknown(s));
}

/** net-12 for an awsx.ec2.Vpc, whose children exist only once awsx runs: read from the component's inputs. */
function checkAwsxVpc(vpc: StackResource, config: NatConfig, report: StackReporter): void {
    const p = vpc.props;
    // awsx takes the names when given, else the count, else the region's first 3 zones.
    const [azPath, azValue] = p.availabilityZoneNames !== undefined ? ["availabilityZoneNames", p.availabilityZoneNames] : ["numberOfAvailabilityZones", p.numberOfAvailabilityZones ?? 3];
    const azs = Array.isArray(azValue) ? azValue.length : azValue;
    if (isUnknown(azs)) report.unverifiable(vpc, azPath, `the VPC spans at least ${config.minimumAvailabilityZones} availability zones`);
    else if (typeof azs !== "number" || azs < config.minimumAvailabilityZones) {
        report.violation(vpc, `VPC must span at least ${config.minimumAvailabilityZones} availability zones: ${azPath} gives ${show(azs)}, expected ${config.minimumAvailabilityZones} or more.`);
    }

    if (!hasPrivateSubnets(p)) return;
    const strategy = effectiveNatStrategy(p);
    if (isUnknown(strategy)) {
        // Which input is unknown: the whole natGateways, its strategy, or (strategy unset) the subnet specs awsx's default reads.
        const path = isUnknown(p.natGateways) ? "natGateways" : p.natGateways?.strategy === undefined ? "subnetSpecs" : "natGateways.strategy";
        report.unverifiable(vpc, path, `private subnets have a ${config.natStrategy} NAT strategy`);
    } else if ((NAT_RANK[strategy as string] ?? -1) < NAT_RANK[config.natStrategy]) {
        const found = p.natGateways?.strategy === undefined ? `is unset, so awsx uses ${show(strategy)}` : `is ${show(strategy)}`;
        report.violation(vpc, `VPC must give private subnets ${config.natStrategy === "OnePerAz" ? "one NAT gateway per availability zone" : `NAT strategy ${config.natStrategy}`}: natGateways.strategy ${found}, expected ${show(config.natStrategy)}.`);
    }
}

/** net-12: an AZ outage takes down neither the subnets nor the private tier's way out. */
export const vpcMultiAzNat = stackPolicy<NatConfig>({
    name: "vpc-multi-az-nat",
    description:
        "VPCs must span at least 2 availability zones and give private subnets one NAT gateway per AZ: read from an awsx.ec2.Vpc's inputs, " +
        "or from an aws.ec2.Vpc's subnets, route tables and NAT gateways.",
    severity: "medium",
    // Meant for prod: staging's policy config makes it advisory (one NAT gateway is a cost decision there).
    enforcementLevel: "mandatory",
    remediationSteps:
        "awsx.ec2.Vpc: set `numberOfAvailabilityZones` (or `availabilityZoneNames`) to 2 or more and `natGateways: { strategy: \"OnePerAz\" }`. " +
        "aws.ec2 resources: put subnets in 2 or more zones, a NAT gateway in a public subnet of each zone, and route each private subnet's 0.0.0.0/0 to the NAT gateway of its own zone.",
    catalogue: ["net-12"],
    config: {
        minimumAvailabilityZones: { type: "integer", minimum: 1, maximum: 6, default: 2, description: "Fewest availability zones a VPC may span." },
        natStrategy: {
            type: "string", enum: ["OnePerAz", "Single", "None"], default: "OnePerAz",
            description: "Weakest NAT strategy accepted for VPCs with private subnets (OnePerAz > Single > None).",
        },
    },
    check: (resources, { config }, report) => {
        for (const vpc of ofType(resources, AWSX_VPC)) checkAwsxVpc(vpc, config, report);
        // awsx's own aws.ec2.Vpc child (present when awsx runs) is judged through its component above.
        for (const vpc of ofType(resources, AWS_VPC).filter((r) => vpcIdentity(r) === r)) checkVpcTopology(vpc, resources, config, report);
    },
});

/** `com.amazonaws.eu-west-1.ecr.api` → `ecr.api`; other names are kept whole. */
export function endpointService(serviceName: string): string {
    const m = /^(?:[a-z0-9-]+\.)*com\.amazonaws\.[a-z]{2}(?:-[a-z]+)+-\d+\.(.+)$/.exec(serviceName);
    return m ? m[1] : serviceName;
}

interface EndpointSpec {
    serviceName: unknown;
    vpcEndpointType: unknown;
}

/** net-13: the private tier reaches AWS APIs without the internet (and without NAT data charges). */
export const vpcEndpoints = stackPolicy<{ interfaceServices: string[]; gatewayServices: string[] }>({
    name: "vpc-endpoints",
    description: "Every VPC must have interface endpoints for ECR (api, dkr), CloudWatch Logs, Secrets Manager and SSM, and a gateway endpoint for S3.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Add `aws.ec2.VpcEndpoint`s (or awsx `vpcEndpointSpecs`) with `vpcEndpointType: \"Interface\"` and private DNS for each interface service, and a Gateway endpoint for S3 on the private route tables.",
    securityHub: ["EC2.55", "EC2.56", "EC2.57"],
    catalogue: ["net-13"],
    config: {
        interfaceServices: {
            type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true, default: ["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm"],
            description: "Services (the part after com.amazonaws.<region>.) that need an Interface endpoint.",
        },
        gatewayServices: {
            type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true, default: ["s3"],
            description: "Services that need a Gateway endpoint.",
        },
    },
    check: (resources, { config }, report) => {
        const found = attributeToVpcs(resources, VPC_ENDPOINT);
        for (const vpc of stackVpcs(resources)) {
            const specs: EndpointSpec[] = [
                ...(found.byVpc.get(vpc) ?? []).map((e) => e.props as EndpointSpec),
                ...(vpc.type === AWSX_VPC && Array.isArray(vpc.props.vpcEndpointSpecs) ? (vpc.props.vpcEndpointSpecs as EndpointSpec[]) : []),
            ];
            // AWS creates a Gateway endpoint when no type is given; an unknown type could be either.
            const has = (service: string, type: string) => specs.some((s) =>
                typeof s.serviceName === "string" && !isUnknown(s.serviceName) && endpointService(s.serviceName) === service &&
                (isUnknown(s.vpcEndpointType) || String(s.vpcEndpointType ?? "Gateway").toLowerCase() === type.toLowerCase()));
            const lacking = [
                ...config.interfaceServices.filter((s) => !has(s, "Interface")).map((s) => `${s} (Interface)`),
                ...config.gatewayServices.filter((s) => !has(s, "Gateway")).map((s) => `${s} (Gateway)`),
            ];
            if (lacking.length === 0) continue;
            const unknownNames = (found.byVpc.get(vpc) ?? []).filter((e) => isUnknown(e.props.serviceName));
            if (unknownNames.length > 0) {
                for (const e of unknownNames) report.unverifiable(e, "serviceName", `${describeResource(vpc)} has endpoints for ${lacking.join(", ")}`);
                continue;
            }
            missing(vpc, found, report, `has endpoints for ${lacking.join(", ")}`,
                `VPC must have endpoints for the AWS services its private tier uses: ${describeResource(vpc)} lacks ${lacking.join(", ")}, expected Interface endpoints for ${config.interfaceServices.join(", ")} and Gateway endpoints for ${config.gatewayServices.join(", ")}.`);
        }
    },
});

export const vpcPolicies = [vpcFlowLogs, vpcDefaultSecurityGroupManaged, vpcMultiAzNat, vpcEndpoints];
