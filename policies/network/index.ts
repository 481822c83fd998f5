import { Policies } from "@pulumi/policy";
import { naclNoPublicAdminPorts } from "./acl";
import { sgPrefixListNotPublic } from "./prefix-lists";
import { securityGroupPolicies } from "./sg";
import { securityGroupStackPolicies } from "./sg-stack";
import { tierPolicies } from "./tiers";
import { vpcPolicies } from "./vpc";

/**
 * Network policies (catalogue net-01..net-13), by what they read: security groups alone, security
 * groups joined to the stack, subnet tiers and routes, network ACLs, and VPC-wide settings.
 * Rules of every shape go through one normaliser (network/rules.ts).
 */
export const networkPolicies: Policies = [
    ...securityGroupPolicies,
    ...securityGroupStackPolicies,
    sgPrefixListNotPublic,
    ...tierPolicies,
    naclNoPublicAdminPorts,
    ...vpcPolicies,
];
