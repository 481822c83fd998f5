import { Policies } from "@pulumi/policy";
import { kmsPolicies } from "./kms";

/** Every policy of the pack, by area. index.ts builds the pack from this; the offline check runs it. */
export const ALL_POLICIES: Policies = [
    ...kmsPolicies,
];
