import * as aws from "@pulumi/aws";
import { ofType } from "../lib/by-type";
import { StackResource, stackPolicy, tokenOf } from "../lib/define";
import { isUnknown, list } from "../lib/props";
import { isInternetWide } from "../lib/cidr";
import { sourcesOf } from "../lib/joins";
import { GROUP_TYPES, STANDALONE_RULE_TYPES, describeTraffic, portSpan, securityGroupRules, spanWithin } from "./rules";
import { labelOf } from "./sg";

/**
 * A security group rule can admit a managed prefix list instead of a CIDR. A list that holds
 * 0.0.0.0/0 (or another internet-wide range) opens the rule to the internet just the same, but the
 * rule alone cannot show it: net-05/net-06 are resource policies, so this stack policy joins each
 * rule to the lists it admits and applies the same world-open port allow-list.
 */

const PREFIX_LIST = tokenOf(aws.ec2.ManagedPrefixList);
const PREFIX_LIST_ENTRY = tokenOf(aws.ec2.ManagedPrefixListEntry);

interface ListContents {
    /** Internet-wide CIDRs among its entries. */
    world: string[];
    /** An entry (or the whole list) is unknown until apply. */
    unknown: boolean;
}

/** What each list of the stack holds: its inline entries plus standalone entry resources. */
function listContents(resources: StackResource[]): Map<StackResource, ListContents> {
    const contents = new Map<StackResource, ListContents>();
    for (const l of ofType(resources, PREFIX_LIST)) {
        const cidrs = list<{ cidr?: unknown }>(l.props.entries).map((e) => (isUnknown(e) ? e : e?.cidr));
        contents.set(l, { world: cidrs.filter(isInternetWide) as string[], unknown: isUnknown(l.props.entries) || cidrs.some(isUnknown) });
    }
    for (const entry of ofType(resources, PREFIX_LIST_ENTRY)) {
        for (const l of sourcesOf(entry, "prefixListId").filter((s) => contents.has(s))) {
            const c = contents.get(l)!;
            if (isInternetWide(entry.props.cidr)) c.world.push(entry.props.cidr);
            if (isUnknown(entry.props.cidr)) c.unknown = true;
        }
    }
    return contents;
}

export const sgPrefixListNotPublic = stackPolicy<{ allowedPorts: number[] }>({
    name: "sg-prefix-list-not-public",
    description: "Security group rules must not admit a managed prefix list that holds 0.0.0.0/0 or ::/0 to ports outside the world-open allow-list.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove the internet-wide entry from the aws.ec2.ManagedPrefixList, or admit the port from a security group or an internal range instead.",
    securityHub: ["EC2.18", "EC2.19"],
    catalogue: ["net-05", "net-06"],
    config: {
        allowedPorts: {
            type: "array", items: { type: "integer", minimum: 0, maximum: 65535 }, uniqueItems: true, default: [80, 443],
            description: "Ports a rule may open to the internet through a prefix list (as sg-public-ingress-allowlist).",
        },
    },
    check: (resources, { config }, report) => {
        const contents = listContents(resources);
        if ([...contents.values()].every((c) => c.world.length === 0 && !c.unknown)) return;
        for (const r of resources.filter((x) => GROUP_TYPES.has(x.type) || STANDALONE_RULE_TYPES.has(x.type))) {
            for (const rule of securityGroupRules(r.type, r.props)) {
                if (rule.direction !== "ingress" || rule.prefixLists.length === 0) continue;
                // The input a prefix list came through (`prefixListId`, `prefixListIds`, `ingress`): its dependencies name the lists.
                const input = rule.prefixLists[0].path.split(/[.[]/)[0];
                const linked = sourcesOf(r, input).filter((s) => contents.has(s));
                const open = linked.filter((l) => contents.get(l)!.world.length > 0);
                const unsure = linked.filter((l) => contents.get(l)!.unknown && contents.get(l)!.world.length === 0);
                if (open.length === 0 && unsure.length === 0) continue;
                const span = portSpan(rule);
                if (span !== "unknown" && span !== "none" && spanWithin(span, config.allowedPorts)) continue;
                const traffic = describeTraffic(rule);
                if (span === "unknown" || open.length === 0) {
                    const what = open[0] ?? unsure[0];
                    report.unverifiable(r, span === "unknown" ? rule.paths.protocol : input, `${rule.at} does not open ${traffic} to the internet through prefix list ${what.name}`);
                    continue;
                }
                // Inline rules share one `ingress` input: when its lists are not all internet-wide, this rule may admit another one.
                if (input === "ingress" && open.length < linked.length) {
                    report.unverifiable(r, "ingress", `${rule.at} does not open ${traffic} to the internet through prefix list ${open[0].name}`);
                    continue;
                }
                report.violation(
                    r,
                    `${labelOf(r.type)} must not open ${traffic} to the internet through a prefix list: ${rule.at} admits ${open.map((l) => l.name).join(", ")}, ` +
                        `which holds ${contents.get(open[0])!.world.join(", ")}, expected only ports ${config.allowedPorts.join(", ")} or no internet-wide entry.`,
                );
            }
        }
    },
});

