import * as aws from "@pulumi/aws";
import { ofType } from "../lib/by-type";
import { StackResource, tokenOf } from "../lib/define";
import { at } from "../lib/props";
import { knownIds, sourcesOf, unresolved } from "../lib/joins";

/**
 * Joins for the network stack policies. Ids are outputs, unknown during preview and absent from the
 * inputs of the resource they name, so a link is read from the engine's property dependencies (which
 * resources an input's value came from); a literal id links only to another literal id.
 */

export const AWSX_VPC = "awsx:ec2:Vpc";
export const VPC_TYPES: ReadonlySet<string> = new Set([tokenOf(aws.ec2.Vpc), tokenOf(aws.ec2.DefaultVpc), AWSX_VPC]);

/** `aws:rds/instance:Instance` → `aws.rds.Instance`; `awsx:ec2:Vpc` → `awsx.ec2.Vpc`. */
export function shortType(type: string): string {
    const [pkg, mod, name] = type.split(":");
    return name ? `${pkg}.${mod.split("/")[0]}.${name}` : type;
}

/** `aws.rds.Instance "db"`, for messages. */
export const describeResource = (r: StackResource) => `${shortType(r.type)} "${r.name}"`;

/**
 * The network a VPC resource stands for. awsx's Vpc component creates an aws.ec2.Vpc child (visible
 * when the engine runs awsx, absent under mocks); outputs may name either, so both count as the component.
 */
export function vpcIdentity(r: StackResource): StackResource {
    for (let p = r.parent; p; p = p.parent) if (p.type === AWSX_VPC) return p;
    return r;
}

/** The stack's VPCs, one per network. */
export function stackVpcs(resources: StackResource[]): StackResource[] {
    return [...new Set(ofType(resources, ...VPC_TYPES).map(vpcIdentity))];
}

/** Resources of `types` grouped by the VPC their `input` (e.g. `vpcId`) came from. */
export interface VpcAttribution {
    byVpc: Map<StackResource, StackResource[]>;
    /** Unknown `input` and no VPC among its sources: could belong to any VPC of the stack. */
    unattributed: StackResource[];
}

export function attributeToVpcs(resources: StackResource[], types: ReadonlySet<string>, input = "vpcId"): VpcAttribution {
    const byVpc = new Map<StackResource, StackResource[]>();
    const unattributed: StackResource[] = [];
    for (const r of resources.filter((x) => types.has(x.type))) {
        const vpcs = new Set(sourcesOf(r, input, VPC_TYPES).map(vpcIdentity));
        if (unresolved(r, input, VPC_TYPES)) unattributed.push(r);
        for (const v of vpcs) byVpc.set(v, [...(byVpc.get(v) ?? []), r]);
    }
    return { byVpc, unattributed };
}

/**
 * What identifies a group for joins: its URN when the value came from a group of the stack, and
 * the literal id when one is known (a group outside the stack, or ids the mocks resolved).
 */
export function groupKeys(r: StackResource, input: string, path: string, groupTypes: ReadonlySet<string>): string[] {
    return [...sourcesOf(r, input, groupTypes).map((g) => g.urn), ...knownIds(at(r.props, path))];
}
