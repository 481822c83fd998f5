// The pack itself. Constructing PolicyPack starts the policy server, so this file does nothing else:
// policies live in their area modules (see all.ts), where tests and the offline check import them.
import { PolicyPack } from "@pulumi/policy";
import { ALL_POLICIES } from "./all";

new PolicyPack("baseline-guardrails", {
    policies: ALL_POLICIES,
});
