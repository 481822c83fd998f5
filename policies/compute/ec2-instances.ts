import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { StackReporter, StackResource, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { at, isTrue, isUnknown, list, show } from "../lib/props";
import { ofType } from "../lib/by-type";
import { knownIds, linked, sourcesOf, unresolved } from "../lib/joins";
import { SUBNET, TIER_CONFIG, TierConfig, tierOf } from "../network/tiers";
import {
    DEFAULT_SECURITY_GROUP, NetRule, SECURITY_GROUP, SECURITY_GROUP_RULE, VPC_INGRESS_RULE,
    cidrPeers, describePeers, describePorts, describeTraffic, isWorldCidr, portSpan, portsWithin, securityGroupRules, unknownTrafficField,
} from "../network/rules";

/**
 * EC2 instances and what launches them (launch templates, launch configurations): the instance
 * metadata service, public addresses, and security groups open on admin ports.
 */

export const INSTANCE = tokenOf(aws.ec2.Instance);
export const LAUNCH_TEMPLATE = tokenOf(aws.ec2.LaunchTemplate);
export const LAUNCH_CONFIGURATION = tokenOf(aws.ec2.LaunchConfiguration);
/** A spot instance request launches an instance from the same inputs as aws.ec2.Instance (metadataOptions, subnetId, groups, block devices). */
export const SPOT_INSTANCE_REQUEST = tokenOf(aws.ec2.SpotInstanceRequest);
export const LAUNCHERS = [INSTANCE, SPOT_INSTANCE_REQUEST, LAUNCH_TEMPLATE, LAUNCH_CONFIGURATION];
/** A spot fleet's inline launchSpecifications have no metadataOptions: only launchTemplateConfigs can require IMDSv2. */
export const SPOT_FLEET_REQUEST = tokenOf(aws.ec2.SpotFleetRequest);
/** Types whose inputs are an instance's own (not a template's or a launch configuration's). */
export const isInstanceLike = (type: string) => type === INSTANCE || type === SPOT_INSTANCE_REQUEST;

const KIND: Record<string, string> = {
    [INSTANCE]: "EC2 instance",
    [SPOT_INSTANCE_REQUEST]: "EC2 spot instance request",
    [LAUNCH_TEMPLATE]: "EC2 launch template",
    [LAUNCH_CONFIGURATION]: "Launch configuration",
};
export const kindOf = (type: string) => KIND[type] ?? type;


const lower = (value: unknown) => (typeof value === "string" && !isUnknown(value) ? value.trim().toLowerCase() : undefined);

export type Imds =
    | { state: "ok" }
    | { state: "unset" }
    | { state: "optional"; found: string }
    | { state: "unknown"; path: string };

/**
 * How `metadataOptions` sets IMDS: required tokens or a disabled endpoint pass; httpTokens left unset
 * is AWS's default ("optional" unless the AMI says otherwise, which a preview cannot see).
 */
export function imdsOf(props: Record<string, any>): Imds {
    const mo = props.metadataOptions;
    if (isUnknown(mo)) return { state: "unknown", path: "metadataOptions" };
    if (mo === null || typeof mo !== "object" || Array.isArray(mo)) return { state: "unset" };
    if (lower(mo.httpEndpoint) === "disabled") return { state: "ok" };
    if (isUnknown(mo.httpTokens)) return { state: "unknown", path: "metadataOptions.httpTokens" };
    if (lower(mo.httpTokens) === "required") return { state: "ok" };
    if (isUnknown(mo.httpEndpoint)) return { state: "unknown", path: "metadataOptions.httpEndpoint" };
    if (mo.httpTokens === undefined || mo.httpTokens === null || mo.httpTokens === "") return { state: "unset" };
    return { state: "optional", found: `metadataOptions.httpTokens is ${show(mo.httpTokens)}` };
}

const IMDS_EXPECTED = 'expected "required" (or httpEndpoint "disabled")';

/** The stack's launch template an instance's `launchTemplate` names: by dependency, else by a known name. */
export function templateOf(instance: StackResource, templates: StackResource[]): StackResource | undefined {
    const lt = instance.props.launchTemplate;
    const literal = lt && typeof lt === "object" ? (lt.name ?? lt.id) : undefined;
    return linked(instance, "launchTemplate", templates, { value: literal, ids: ["name"] })[0];
}

/** ec2-01: IMDSv1 lets any SSRF on the host read the instance role's credentials. */
export const ec2Imdsv2Required = stackPolicy({
    name: "ec2-imdsv2-required",
    description: "EC2 instances, launch templates and launch configurations must require IMDSv2 (httpTokens \"required\") or disable the metadata endpoint.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set `metadataOptions: { httpTokens: "required" }` on the aws.ec2.Instance (or aws.ec2.SpotInstanceRequest), aws.ec2.LaunchTemplate or aws.ec2.LaunchConfiguration (or `httpEndpoint: "disabled"` where nothing reads instance metadata); an instance launched from a template may instead inherit it from the template. An aws.ec2.SpotFleetRequest cannot set it in `launchSpecifications`: use `launchTemplateConfigs` with such a template.',
    securityHub: ["EC2.8", "EC2.170", "AutoScaling.3"],
    catalogue: ["ec2-01"],
    types: [...LAUNCHERS, SPOT_FLEET_REQUEST],
    check: (resources, _ctx, report) => {
        for (const fleet of ofType(resources, SPOT_FLEET_REQUEST)) {
            const specs = fleet.props.launchSpecifications;
            if (isUnknown(specs)) report.unverifiable(fleet, "launchSpecifications", "the spot fleet launches no instance without IMDSv2 (inline launch specifications cannot require it)");
            else if (list(specs).length > 0) {
                report.violation(fleet, `EC2 spot fleet request must require IMDSv2: launchSpecifications has ${list(specs).length} inline ${list(specs).length === 1 ? "entry, which cannot" : "entries, which cannot"} set metadataOptions, so its instances take AWS's default ("optional"), ${IMDS_EXPECTED.replace("expected ", "expected launchTemplateConfigs naming a launch template whose httpTokens is ")}.`);
            }
        }
        const templates = ofType(resources, LAUNCH_TEMPLATE);
        for (const r of ofType(resources, ...LAUNCHERS)) {
            let imds = imdsOf(r.props);
            let via = "";
            const lt = r.props.launchTemplate;
            if (isInstanceLike(r.type) && imds.state === "unset" && (isUnknown(lt) || (lt !== null && typeof lt === "object"))) {
                // metadataOptions left out of an instance come from its launch template.
                const template = templateOf(r, templates);
                if (!template) {
                    report.unverifiable(r, "launchTemplate", "the launch template the instance takes its metadata options from requires IMDSv2");
                    continue;
                }
                imds = imdsOf(template.props);
                via = ` (inherited from launch template "${template.name}")`;
                if (imds.state === "unknown") {
                    report.unverifiable(r, "launchTemplate", `launch template "${template.name}" requires IMDSv2 (its ${imds.path} is unknown until apply)`);
                    continue;
                }
            }
            const kind = kindOf(r.type);
            if (imds.state === "unknown") report.unverifiable(r, imds.path, "the instance metadata service requires IMDSv2 tokens");
            else if (imds.state === "unset") {
                report.violation(r, `${kind} must require IMDSv2: metadataOptions.httpTokens is (unset)${via}, which AWS reads as "optional", ${IMDS_EXPECTED}.`);
            } else if (imds.state === "optional") report.violation(r, `${kind} must require IMDSv2: ${imds.found}${via}, ${IMDS_EXPECTED}.`);
        }
    },
});

/** ec2-02: a hop limit above 1 lets the IMDSv2 token leave the host (containers, forwarding hosts). */
export const ec2ImdsHopLimit = resourcePolicy<{ maximumHopLimit: number }>({
    name: "ec2-imds-hop-limit",
    description: "EC2 instances, launch templates and launch configurations must not set the IMDS response hop limit above the configured maximum (1 by default).",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Set `metadataOptions.httpPutResponseHopLimit` to 1 (or leave it unset); raise `maximumHopLimit` to 2 in the policy config only for hosts whose containers must reach the instance role.",
    securityHub: ["AutoScaling.4"],
    catalogue: ["ec2-02"],
    config: {
        maximumHopLimit: { type: "integer", minimum: 1, maximum: 64, default: 1, description: "Highest IMDS response hop limit allowed (2 lets bridged containers read the instance role)." },
    },
    types: [aws.ec2.Instance, aws.ec2.SpotInstanceRequest, aws.ec2.LaunchTemplate, aws.ec2.LaunchConfiguration],
    check: (props, { type, config }, report) => {
        const hop = at(props, "metadataOptions.httpPutResponseHopLimit");
        if (isUnknown(hop)) report.unverifiable("metadataOptions.httpPutResponseHopLimit", hop, `the IMDS response hop limit is at most ${config.maximumHopLimit}`);
        else if (typeof hop === "number" && hop > config.maximumHopLimit) {
            report.violation(`${kindOf(type)} must keep the IMDS response hop limit at most ${config.maximumHopLimit}: metadataOptions.httpPutResponseHopLimit is ${hop}, expected ${config.maximumHopLimit} or less.`);
        }
    },
});

/** Where a launcher's public-address flag sits, with the subnet it launches into (when the stack tells). */
interface AddressFlag {
    path: string;
    value: unknown;
    subnet?: StackResource;
}

function addressFlags(r: StackResource): AddressFlag[] | "unknown" {
    if (r.type === LAUNCH_TEMPLATE) {
        const nis = r.props.networkInterfaces;
        if (isUnknown(nis)) return "unknown";
        // Dependencies are recorded per top-level input: one subnet among them is the interfaces' subnet.
        const subnets = sourcesOf(r, "networkInterfaces", SUBNET);
        return list(nis).map((ni, i) => ({
            path: `networkInterfaces[${i}].associatePublicIpAddress`,
            value: ni !== null && typeof ni === "object" ? ni.associatePublicIpAddress : ni,
            subnet: subnets.length === 1 ? subnets[0] : undefined,
        }));
    }
    const subnet = isInstanceLike(r.type) ? sourcesOf(r, "subnetId", SUBNET)[0] : undefined;
    return [{ path: "associatePublicIpAddress", value: r.props.associatePublicIpAddress, subnet }];
}

/**
 * An instance that names no subnet, network interface or launch template launches into a default subnet
 * of the region's default VPC, and default subnets map a public IPv4 address on launch (AWS, "Default
 * subnets"). A value unknown until apply counts as set.
 */
function launchesIntoDefaultSubnet(props: Record<string, any>): boolean {
    const unset = (v: unknown) => v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0);
    return ["subnetId", "networkInterfaces", "primaryNetworkInterface", "launchTemplate"].every((k) => unset(props[k]));
}

/** Whether a subnet is of a public tier, and how messages say where the launcher sits. */
function placement(subnet: StackResource | undefined, config: TierConfig): { isPublic: boolean; where: string } {
    const tier = subnet ? tierOf(subnet.props.tags, config) : undefined;
    const isPublic = tier !== undefined && config.publicTiers.some((t) => t.toLowerCase() === tier.tier);
    const where = subnet
        ? tier ? `subnet "${subnet.name}" is tier "${tier.tier}" (${tier.from})` : `the tier of subnet "${subnet.name}" cannot be told`
        : "its subnet's tier cannot be told";
    return { isPublic, where };
}

/** Where an Elastic IP names what it attaches to: the instance, or its network interface (`instance.primaryNetworkInterfaceId`). */
const ELASTIC_IPS = [
    { type: tokenOf(aws.ec2.Eip), input: "instance" }, { type: tokenOf(aws.ec2.Eip), input: "networkInterface" },
    { type: tokenOf(aws.ec2.EipAssociation), input: "instanceId" }, { type: tokenOf(aws.ec2.EipAssociation), input: "networkInterfaceId" },
];
const INSTANCE_TYPES = new Set([INSTANCE, SPOT_INSTANCE_REQUEST]);

/** An Elastic IP attached to an instance of the stack is a public address too, whatever associatePublicIpAddress says. */
function checkElasticIps(resources: StackResource[], config: TierConfig, report: StackReporter): void {
    for (const { type, input } of ELASTIC_IPS) {
        for (const eip of ofType(resources, type)) {
            const target = sourcesOf(eip, input, INSTANCE_TYPES)[0];
            if (!target) {
                if (unresolved(eip, input)) report.unverifiable(eip, input, "the Elastic IP is attached to no instance outside the public tier");
                continue;
            }
            const { isPublic, where } = placement(sourcesOf(target, "subnetId", SUBNET)[0], config);
            if (!isPublic) {
                report.violation(eip, `Elastic IP must not give an instance a public address outside the public tier: ${input} is instance "${target.name}" and ${where}, expected no Elastic IP on it (or the instance in a public-tier subnet).`);
            }
        }
    }
}

/** ec2-03: instances are reached through load balancers and Session Manager, never by a public address in a private tier. */
export const ec2NoPublicIpInPrivateTier = stackPolicy<TierConfig>({
    name: "ec2-no-public-ip-private-tier",
    description: "EC2 instances, launch templates and launch configurations must not assign public IPv4 addresses (nor Elastic IPs be attached to instances), except in subnets of a public tier.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `associatePublicIpAddress: false` (on a launch template, in each `networkInterfaces` entry), attach no aws.ec2.Eip / EipAssociation, and launch into a private subnet; reach the host through a load balancer or SSM Session Manager. A host that must face the internet goes in a subnet tagged `tier: public`.",
    securityHub: ["EC2.9", "EC2.25", "AutoScaling.5"],
    catalogue: ["ec2-03"],
    config: TIER_CONFIG,
    types: [...LAUNCHERS],
    check: (resources, { config }, report) => {
        checkElasticIps(resources, config, report);
        for (const r of ofType(resources, ...LAUNCHERS)) {
            const flags = addressFlags(r);
            if (flags === "unknown") {
                report.unverifiable(r, "networkInterfaces", "the launch template assigns no public IP outside the public tier");
                continue;
            }
            for (const f of flags) {
                const { isPublic, where } = placement(f.subnet, config);
                if (isPublic) continue;
                const kind = kindOf(r.type);
                if (isUnknown(f.value)) report.unverifiable(r, f.path, `no public IP is assigned outside the public tier (${where})`);
                else if (isTrue(f.value)) {
                    report.violation(r, `${kind} must not have a public IP outside the public tier: ${f.path} is ${show(f.value)} and ${where}, expected false (reach it through a load balancer or SSM Session Manager).`);
                } else if ((f.value === undefined || f.value === null) && f.subnet) {
                    // Left unset, an instance takes its subnet's mapPublicIpOnLaunch.
                    const map = f.subnet.props.mapPublicIpOnLaunch;
                    if (isUnknown(map)) report.unverifiable(r, f.path, `subnet "${f.subnet.name}" assigns no public IP on launch (${where})`);
                    else if (map === true) {
                        report.violation(r, `${kind} must not have a public IP outside the public tier: ${f.path} is (unset), so it takes mapPublicIpOnLaunch true from subnet "${f.subnet.name}", and ${where}, expected false.`);
                    }
                } else if ((f.value === undefined || f.value === null) && isInstanceLike(r.type) && launchesIntoDefaultSubnet(r.props)) {
                    report.violation(r, `${kind} must not have a public IP outside the public tier: ${f.path} and subnetId are (unset), so it launches into a default subnet of the default VPC, which assigns a public IP on launch, expected subnetId of a private subnet (or associatePublicIpAddress false).`);
                }
            }
        }
    },
});

/** Where a launcher names its security groups: the input (dependencies are per input) and its values. */
function groupRefs(r: StackResource): { input: string; values: unknown[]; unknownPath?: string }[] {
    const refs = (input: string) => ({ input, values: Array.isArray(r.props[input]) ? r.props[input] : [r.props[input]] });
    if (isInstanceLike(r.type)) return [refs("vpcSecurityGroupIds"), refs("securityGroups")];
    if (r.type === LAUNCH_CONFIGURATION) return [refs("securityGroups")];
    const nis = r.props.networkInterfaces;
    const fromInterfaces = isUnknown(nis) ? [nis] : list(nis).flatMap((ni) => (ni !== null && typeof ni === "object" ? (Array.isArray(ni.securityGroups) ? ni.securityGroups : [ni.securityGroups]) : []));
    return [refs("vpcSecurityGroupIds"), refs("securityGroupNames"), { input: "networkInterfaces", values: fromInterfaces }];
}

interface GroupRule {
    rule: NetRule;
    /** `security group "web" ingress[0]` or `rule "ssh" on security group "web"`. */
    where: string;
}

/** The ingress rules of the stack's groups, by every key a launcher may name them with (URN, known id or name). */
function rulesByGroupKey(resources: StackResource[]): { byKey: Map<string, GroupRule[]>; floating: GroupRule[] } {
    const byKey = new Map<string, GroupRule[]>();
    const add = (key: string, rules: GroupRule[]) => byKey.set(key, [...(byKey.get(key) ?? []), ...rules]);
    const groupTypes = new Set([SECURITY_GROUP, DEFAULT_SECURITY_GROUP]);
    for (const g of ofType(resources, SECURITY_GROUP, DEFAULT_SECURITY_GROUP)) {
        const rules = securityGroupRules(g.type, g.props).filter((x) => x.direction === "ingress").map((rule) => ({ rule, where: `security group "${g.name}" ${rule.at}` }));
        add(g.urn, rules);
        for (const key of knownIds(g.props.name)) if (key !== g.urn) add(key, rules);
    }
    const floating: GroupRule[] = [];
    for (const r of ofType(resources, SECURITY_GROUP_RULE, VPC_INGRESS_RULE)) {
        const groups = sourcesOf(r, "securityGroupId", groupTypes);
        const keys = [...groups.map((g) => g.urn), ...knownIds(r.props.securityGroupId)];
        const target = groups[0] ? `security group "${groups[0].name}"` : `security group ${show(r.props.securityGroupId)}`;
        const rules = securityGroupRules(r.type, r.props).filter((x) => x.direction === "ingress").map((rule) => ({ rule, where: `rule "${r.name}" on ${target}` }));
        if (unresolved(r, "securityGroupId", groupTypes)) floating.push(...rules.map((g) => ({ ...g, where: `rule "${r.name}" (on a security group unknown until apply)` })));
        for (const key of keys) add(key, rules);
    }
    return { byKey, floating };
}

function checkAdminRule(r: StackResource, g: GroupRule, ports: number[], report: StackReporter, maybe: boolean): void {
    const requirement = `${g.where} opens no admin port to the internet`;
    const path = r.type === LAUNCH_CONFIGURATION ? "securityGroups" : "vpcSecurityGroupIds";
    if (g.rule.unknown) {
        report.unverifiable(r, path, requirement);
        return;
    }
    const peers = cidrPeers(g.rule);
    const world = peers.filter((p) => isWorldCidr(p.value));
    const unknown = peers.filter((p) => isUnknown(p.value));
    if (world.length === 0 && unknown.length === 0) return;
    const span = portSpan(g.rule);
    const hits = portsWithin(span, ports);
    if (span === "unknown") report.unverifiable(r, path, `${requirement} (its ${unknownTrafficField(g.rule).path} is unknown until apply)`);
    else if (hits.length === 0) return;
    else if (world.length > 0 && !maybe) {
        report.violation(r, `${kindOf(r.type)} must not be reachable from the internet on admin ports: ${g.where} allows ${describeTraffic(g.rule)} from ${describePeers(world)}, which includes ${hits.length === 1 ? "port" : "ports"} ${describePorts(hits)}, expected admin ports open only to security groups or internal ranges (or closed, with SSM Session Manager).`);
    } else report.unverifiable(r, path, requirement);
}

/** ec2-06: no host of the stack takes SSH or RDP from anywhere, whichever rule shape opens it. */
export const ec2NoPublicAdminPorts = stackPolicy<{ adminPorts: number[] }>({
    name: "ec2-no-public-admin-ports",
    description: "EC2 instances, launch templates and launch configurations must not use a security group that admits 0.0.0.0/0 or ::/0 to an admin port (22, 3389 by default).",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove the world-open rule on the admin port from the instance's security group (inline `ingress`, aws.ec2.SecurityGroupRule or aws.vpc.SecurityGroupIngressRule) and reach the host through SSM Session Manager, or admit the port from a bastion's security group.",
    catalogue: ["ec2-06"],
    config: {
        adminPorts: {
            type: "array", items: { type: "integer", minimum: 0, maximum: 65535 }, uniqueItems: true, minItems: 1,
            default: [22, 3389], description: "Remote administration ports that no instance may take from the internet.",
        },
    },
    types: [...LAUNCHERS],
    check: (resources, { config }, report) => {
        const { byKey, floating } = rulesByGroupKey(resources);
        const groupTypes = new Set([SECURITY_GROUP, DEFAULT_SECURITY_GROUP]);
        for (const r of ofType(resources, ...LAUNCHERS)) {
            const seen = new Set<GroupRule>();
            for (const ref of groupRefs(r)) {
                const keys = [...sourcesOf(r, ref.input, groupTypes).map((g) => g.urn), ...knownIds(ref.values)];
                if (ref.values.some(isUnknown) && sourcesOf(r, ref.input, groupTypes).length === 0) {
                    report.unverifiable(r, ref.input, "no security group of it opens an admin port to the internet");
                }
                for (const key of keys) for (const g of byKey.get(key) ?? []) seen.add(g);
            }
            for (const g of seen) checkAdminRule(r, g, config.adminPorts, report, false);
            for (const g of floating) if (!seen.has(g)) checkAdminRule(r, g, config.adminPorts, report, true);
        }
    },
});

export const ec2InstancePolicies: Policies = [ec2Imdsv2Required, ec2ImdsHopLimit, ec2NoPublicIpInPrivateTier, ec2NoPublicAdminPorts];
