import { parseCidr } from "./checks";

/**
 * Where awsx v3 puts our subnets with `subnetStrategy: "Auto"` (awsx/ec2/subnetDistributorNew.ts),
 * so a layout AWS would refuse is caught before anything is registered: awsx runs remotely, so under
 * mocks its allocation never happens.
 *
 * awsx splits the VPC into 2^ceil(log2(AZs)) equal blocks, one per AZ, and lays the specs out in
 * order inside each block, each aligned to its own size (a /20 after a /24 starts at the next /20).
 * Its size check only adds the sizes up; alignment gaps can push the last subnet past its AZ block,
 * where it overlaps the next AZ's first subnet (awsx's overlap check fails the preview) or leaves the
 * VPC (EC2 rejects the subnet mid-deploy). Neither happens under mocks.
 */

export interface TierMask {
    /** `public`, `private`, `isolated`: for messages. */
    tier: string;
    /** CIDR prefix length of the tier's subnet in every AZ. */
    mask: number;
}

export interface AzLayout {
    /** The AZ's share of the VPC, e.g. `10.0.64.0/18`. */
    block: string;
    /** One CIDR per tier, in spec order. */
    subnets: string[];
}

const size = (mask: number) => 2 ** (32 - mask);

function ip(n: number): string {
    return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

const cidr = (start: number, mask: number) => `${ip(start)}/${mask}`;

/** awsx's `newBits`: bits needed to number `count` blocks. */
export function azBits(count: number): number {
    return count <= 1 ? 0 : Math.ceil(Math.log2(count));
}

interface Placed {
    tier: string;
    start: number;
    mask: number;
}

function place(azStart: number, tiers: TierMask[]): Placed[] {
    const placed: Placed[] = [];
    for (const t of tiers) {
        const prev = placed[placed.length - 1];
        // First subnet: the AZ's base, aligned down to the subnet's size. Later ones: the block of this
        // size holding the previous subnet's last address, then the block after it (awsx `nextNetmask`).
        const start = prev === undefined
            ? Math.floor(azStart / size(t.mask)) * size(t.mask)
            : (Math.floor((prev.start + size(prev.mask) - 1) / size(t.mask)) + 1) * size(t.mask);
        placed.push({ tier: t.tier, start, mask: t.mask });
    }
    return placed;
}

/** The layout awsx "Auto" produces. Throws on a malformed CIDR (validate it first). */
export function autoSubnetLayout(vpcCidr: string, azCount: number, tiers: TierMask[]): AzLayout[] {
    const parsed = parseCidr(vpcCidr);
    if (!parsed) throw new Error(`autoSubnetLayout: ${JSON.stringify(vpcCidr)} is not an IPv4 CIDR block`);
    const [base, prefix] = parsed;
    const azMask = prefix + azBits(azCount);
    return Array.from({ length: azCount }, (_, i) => {
        const azStart = base + i * size(azMask);
        return { block: cidr(azStart, azMask), subnets: place(azStart, tiers).map((p) => cidr(p.start, p.mask)) };
    });
}

/**
 * Why the tiers do not fit awsx's per-AZ block, or undefined when they do. Every AZ block has the
 * same shape, so checking the first one is enough.
 */
/** The first subnet awsx would place outside its AZ's block, or undefined when the layout fits. */
export function subnetLayoutOverflow(vpcCidr: string, azCount: number, tiers: TierMask[]): { azBlock: string; tier: string; subnet: string } | undefined {
    const parsed = parseCidr(vpcCidr);
    if (!parsed) return undefined;
    const [base, prefix] = parsed;
    const azMask = prefix + azBits(azCount);
    const azEnd = base + size(azMask);
    const outside = place(base, tiers).find((p) => p.start < base || p.start + size(p.mask) > azEnd);
    return outside ? { azBlock: cidr(base, azMask), tier: outside.tier, subnet: cidr(outside.start, outside.mask) } : undefined;
}

/** Why awsx could not lay these subnets out, in words, or undefined when it can. */
export function subnetLayoutProblem(vpcCidr: string, azCount: number, tiers: TierMask[]): string | undefined {
    const overflow = subnetLayoutOverflow(vpcCidr, azCount, tiers);
    if (!overflow) return undefined;
    const masks = tiers.map((t) => `/${t.mask} ${t.tier}`).join(", ");
    const azMask = overflow.azBlock.split("/")[1];
    return (
        `config.cidrBlock ${vpcCidr} with ${azCount} AZ(s) has no room for ${masks} subnets as awsx lays them out: ` +
        `each AZ gets a /${azMask} (the first ${overflow.azBlock}) and each subnet is aligned to its size, ` +
        `so the ${overflow.tier} subnet would be ${overflow.subnet}, outside it; expected narrower subnet masks or a wider cidrBlock`
    );
}
