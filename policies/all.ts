import { Policies } from "@pulumi/policy";
import { cachePolicies } from "./cache";
import { cloudfrontPolicies } from "./cloudfront";
import { databasePolicies } from "./database";
import { ecrPolicies } from "./ecr";
import { edgePolicies } from "./edge";
import { ecsPolicies } from "./ecs";
import { governancePolicies } from "./governance";
import { iamPolicies } from "./iam";
import { kmsPolicies } from "./kms";
import { loadBalancerPolicies } from "./loadbalancer";
import { loggingPolicies } from "./logging";
import { networkPolicies } from "./network";
import { secretsPolicies } from "./secrets";
import { storagePolicies } from "./storage";
import { wafPolicies } from "./waf";

/** Every policy of the pack, by area. index.ts builds the pack from this; the offline check runs it. */
export const ALL_POLICIES: Policies = [
    ...networkPolicies,
    ...loadBalancerPolicies,
    ...wafPolicies,
    ...cloudfrontPolicies,
    ...edgePolicies,
    ...ecsPolicies,
    ...ecrPolicies,
    ...databasePolicies,
    ...cachePolicies,
    ...storagePolicies,
    ...secretsPolicies,
    ...kmsPolicies,
    ...loggingPolicies,
    ...iamPolicies,
    ...governancePolicies,
];
