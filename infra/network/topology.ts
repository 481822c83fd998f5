import { autoSubnetLayout } from "../config/subnet-layout";
import { NatStrategy, NetworkConfig } from "../config/types";
import { nameTag } from "./naming";

/**
 * The VPC's plan, pure: which subnets exist (tier, AZ, CIDR, names), which AZs get a NAT gateway and
 * which NAT gateway each private subnet routes through. The layout is awsx v3's `subnetStrategy:
 * "Auto"` (infra/config/subnet-layout.ts reproduces it), so a VPC first built with awsx keeps its ranges.
 */

export const TIERS = ["public", "private", "isolated"] as const;
export type Tier = (typeof TIERS)[number];

/** awsx's subnet types, written in a `SubnetType` tag on each subnet and route table (as awsx did). */
export const SUBNET_TYPE: Readonly<Record<Tier, "Public" | "Private" | "Isolated">> = { public: "Public", private: "Private", isolated: "Isolated" };

const MASK: Readonly<Record<Tier, "publicSubnetMask" | "privateSubnetMask" | "isolatedSubnetMask">> = {
    public: "publicSubnetMask",
    private: "privateSubnetMask",
    isolated: "isolatedSubnetMask",
};

export interface SubnetPlan {
    /** Logical name of the subnet and of its route table, association and route: `<component>-<tier>-<AZ number>`. */
    name: string;
    tier: Tier;
    /** Index of its AZ among the VPC's (0-based); its AZ number in names is `az + 1`. */
    az: number;
    cidrBlock: string;
    /** `Name` tag of the subnet and its route table. */
    nameTag: string;
}

/** Every subnet, AZ by AZ and in tier order within an AZ. Throws on a malformed CIDR (validate first). */
export function subnetPlan(component: string, namePrefix: string, config: NetworkConfig): SubnetPlan[] {
    const layout = autoSubnetLayout(config.cidrBlock, config.availabilityZoneCount, TIERS.map((tier) => ({ tier, mask: config[MASK[tier]] })));
    return layout.flatMap((block, az) =>
        TIERS.map((tier, t) => ({ name: `${component}-${tier}-${az + 1}`, tier, az, cidrBlock: block.subnets[t], nameTag: nameTag(namePrefix, `${tier}-${az + 1}`) })),
    );
}

/** The AZs (0-based) whose public subnet holds a NAT gateway: every AZ, or only the first. */
export function natAzs(strategy: NatStrategy, azCount: number): number[] {
    return strategy === "OnePerAz" ? Array.from({ length: azCount }, (_, az) => az) : [0];
}

/** The AZ of the NAT gateway a private subnet of `az` sends its default route to: its own, or the single one. */
export function natAzFor(strategy: NatStrategy, az: number): number {
    return strategy === "OnePerAz" ? az : 0;
}

/**
 * The first `count` zone names, as awsx takes them. Fails loudly when the region has fewer: a
 * shorter list would silently build a VPC over fewer AZs than configured.
 */
export function firstZones(names: readonly string[] | undefined, count: number, region: string): string[] {
    const found = names ?? [];
    if (found.length < count) {
        throw new Error(
            `Region ${region} has ${found.length} available availability zone(s) (${found.join(", ") || "none"}); config.availabilityZoneCount is ${count}: lower it or choose another region.`,
        );
    }
    return found.slice(0, count);
}
