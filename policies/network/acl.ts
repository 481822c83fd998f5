import * as aws from "@pulumi/aws";
import { resourcePolicy } from "../lib/define";
import { isUnknown } from "../lib/props";
import {
    DEFAULT_NETWORK_ACL, NETWORK_ACL, NETWORK_ACL_RULE, cidrPeers, describePeers, describePorts, describeTraffic, isWorldCidr,
    networkAclIngress, portSpan, portsWithin, unknownTrafficField,
} from "./rules";

const LABELS: Record<string, string> = { [NETWORK_ACL]: "Network ACL", [DEFAULT_NETWORK_ACL]: "Default network ACL", [NETWORK_ACL_RULE]: "Network ACL rule" };

/** net-11: a second fence in front of remote administration, at the subnet edge. */
export const naclNoPublicAdminPorts = resourcePolicy<{ ports: number[] }>({
    name: "net-nacl-no-public-admin-ports",
    description: "Network ACLs must not allow ingress from 0.0.0.0/0 or ::/0 to remote administration ports (22, 3389).",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Narrow the entry's `cidrBlock` to internal ranges, exclude the port from its range, or add a lower-numbered deny entry and drop the allow.",
    securityHub: ["EC2.21"],
    catalogue: ["net-11"],
    config: {
        ports: {
            type: "array", items: { type: "integer", minimum: 0, maximum: 65535 }, uniqueItems: true, default: [22, 3389],
            description: "Ports no allow entry may open to the internet.",
        },
    },
    types: [aws.ec2.NetworkAcl, aws.ec2.DefaultNetworkAcl, aws.ec2.NetworkAclRule],
    check: (props, { type, config }, report) => {
        for (const entry of networkAclIngress(type, props)) {
            const requirement = `${entry.at} admits the internet to no port of ${config.ports.join(", ")}`;
            if (entry.unknown) {
                report.unverifiable(entry.unknown.path, entry.unknown.value, requirement);
                continue;
            }
            if (!isUnknown(entry.action) && String(entry.action).toLowerCase() !== "allow") continue;
            const world = cidrPeers(entry).filter((p) => isWorldCidr(p.value));
            const unknown = cidrPeers(entry).filter((p) => isUnknown(p.value));
            if (world.length === 0 && unknown.length === 0) continue;
            const span = portSpan(entry);
            const hit = portsWithin(span, config.ports);
            if (span !== "unknown" && hit.length === 0) continue;

            if (span === "unknown") {
                const f = unknownTrafficField(entry);
                report.unverifiable(f.path, f.value, requirement);
            }
            else if (world.length === 0) for (const p of unknown) report.unverifiable(p.path, p.value, requirement);
            else if (isUnknown(entry.action)) report.unverifiable(entry.paths.action, entry.action, requirement);
            else {
                report.violation(`${LABELS[type]} must not admit the internet to remote administration ports: ${entry.at} allows ${describeTraffic(entry)} from ${describePeers(world)}, which includes ${hit.length === 1 ? "port" : "ports"} ${describePorts(hit)}, expected those ports closed to 0.0.0.0/0 and ::/0.`);
            }
        }
    },
});
