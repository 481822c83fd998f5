import { LOG_RETENTION_DAYS, SectionChecks, intIn, isBoolean, isPrivateRange, oneOf, parseCidr, problem, sectionProblems } from "../checks";
import { subnetLayoutOverflow } from "../subnet-layout";
import { NAT_STRATEGIES } from "../types";

/** VPC range prefix lengths: a /16 is the largest VPC AWS allows; below /24 the three tiers do not fit. */
export const VPC_PREFIX = { min: 16, max: 24 } as const;
/** RDS, DocumentDB and ElastiCache subnet groups need subnets in at least two AZs, in every environment. */
export const AZ_COUNT = { min: 2, max: 3 } as const;
/** Subnet prefix lengths: /28 is the smallest subnet AWS allows; /17 the largest that fits a /16 VPC beside the others. */
export const SUBNET_MASK = { min: 17, max: 28 } as const;

const TIERS = ["public", "private", "isolated"] as const;

/** `baseline:network` */
export const NETWORK_CHECKS: SectionChecks = {
    cidrBlock: (k, v) => {
        const parsed = parseCidr(v);
        if (!parsed) return problem(k, v, "an IPv4 network in CIDR notation such as 10.0.0.0/16");
        if (parsed[1] < VPC_PREFIX.min || parsed[1] > VPC_PREFIX.max) return problem(k, v, `a prefix length from /${VPC_PREFIX.min} to /${VPC_PREFIX.max}`);
        return isPrivateRange(parsed) ? undefined : problem(k, v, "a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16");
    },
    availabilityZoneCount: (k, v) => intIn(k, v, AZ_COUNT.min, AZ_COUNT.max),
    natGateways: (k, v) => oneOf(k, v, NAT_STRATEGIES),
    publicSubnetMask: (k, v) => intIn(k, v, SUBNET_MASK.min, SUBNET_MASK.max),
    privateSubnetMask: (k, v) => intIn(k, v, SUBNET_MASK.min, SUBNET_MASK.max),
    isolatedSubnetMask: (k, v) => intIn(k, v, SUBNET_MASK.min, SUBNET_MASK.max),
    interfaceEndpoints: (k, v) => isBoolean(k, v),
    flowLogRetentionDays: (k, v) => oneOf(k, v, LOG_RETENTION_DAYS),
};

/**
 * The three tiers in every AZ must fit inside the VPC range, as awsx's "Auto" layout places them.
 * Run after {@link NETWORK_CHECKS} passed (it assumes well-formed values).
 */
export function subnetCapacityProblems(prefix: string, network: Record<string, unknown>): string[] {
    const [, vpcPrefix] = parseCidr(network.cidrBlock)!;
    const azs = network.availabilityZoneCount as number;
    const masks = [network.publicSubnetMask, network.privateSubnetMask, network.isolatedSubnetMask] as number[];
    const needed = masks.reduce((sum, mask) => sum + azs * 2 ** (32 - mask), 0);
    const available = 2 ** (32 - vpcPrefix);
    const key = `${prefix}.cidrBlock`;
    if (needed > available) {
        return [
            problem(key, network.cidrBlock,
                `a range with room for ${azs} AZs of /${masks.join(", /")} subnets (${needed} addresses; it has ${available}): widen it or narrow the subnet masks`),
        ];
    }
    // Enough addresses in total is not enough: each AZ gets an equal block and subnets align to their size.
    const overflow = subnetLayoutOverflow(network.cidrBlock as string, azs, TIERS.map((tier, i) => ({ tier, mask: masks[i] })));
    return overflow
        ? [
              problem(key, network.cidrBlock,
                  `a range where awsx can place /${masks.join(", /")} subnets in each of ${azs} AZs: each AZ gets ${overflow.azBlock.replace(/^[\d.]+/, "a ")} block and subnets align to their size, so the ${overflow.tier} subnet would be ${overflow.subnet}, outside the first AZ's ${overflow.azBlock}; narrow the subnet masks or widen the range`),
          ]
        : [];
}

/**
 * Every problem of a network section, each naming `<prefix>.<setting>`: the settings' checks, then
 * (when they all pass) the subnet layout. Pure; the Network component runs it on its arguments, so a
 * caller that builds them by hand meets the loader's limits, defined once above. No network limit
 * depends on the environment: the checks are given "prod" only to satisfy their signature.
 */
export function networkConfigProblems(prefix: string, network: object): string[] {
    const problems = sectionProblems(prefix, NETWORK_CHECKS, network, "prod");
    return problems.length > 0 ? problems : subnetCapacityProblems(prefix, network as Record<string, unknown>);
}
