import { listWithReasons, stackPolicy } from "../lib/define";
import { isUnknown, show } from "../lib/props";
import { DEFAULT_REQUIRED_GROUPS, aclRules, acls } from "./waf-rules";

/** A rule that may allow requests before the managed groups see them, and why (e.g. a health checker's addresses). */
export interface AllowedAllowRule {
    rule: string;
    reason: string;
}

/**
 * waf-06: `allow` ends a web ACL's evaluation. A broad allow rule at a lower priority than the managed
 * groups lets the requests it matches past them all, while the ACL still looks complete to waf-04.
 */
export const wafNoAllowBeforeManaged = stackPolicy<{ requiredManagedRuleGroups: string[]; allowedAllowRules: AllowedAllowRule[] }>({
    name: "waf-no-allow-before-managed",
    description: "No WAFv2 rule may allow requests before the required AWS managed rule groups evaluate them (allow ends evaluation), unless the policy config names it with a reason.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Give the allow rule a higher priority number than every required managed group (so they see the request first), turn an allow-list into a block of what is not listed, or list `{ rule, reason }` in this policy's `allowedAllowRules`.",
    catalogue: ["waf-06"],
    config: {
        requiredManagedRuleGroups: {
            type: "array", items: { type: "string", minLength: 1 },
            description: "The AWS managed rule groups no allow rule may run before (keep equal to waf-managed-rules').",
            default: DEFAULT_REQUIRED_GROUPS,
        },
        allowedAllowRules: listWithReasons("Rules (by name) that may allow requests before the managed groups, each with why.", ["rule"]),
    },
    check: (resources, { config }, report) => {
        for (const acl of acls(resources)) {
            const { rules } = aclRules(acl, resources);
            const groups = rules.filter((r) => r.managedGroup?.vendor === "AWS" && config.requiredManagedRuleGroups.includes(String(r.managedGroup.name)));
            if (groups.length === 0) continue; // no required group to run before: waf-managed-rules' finding
            const undecidedGroup = groups.find((g) => isUnknown(g.priority));
            const requirement = `no rule of WAF web ACL ${show(acl.name)} allows requests before its managed groups`;
            for (const r of rules.filter((x) => !x.managedGroup && x.allowing !== false)) {
                if (config.allowedAllowRules.some((a) => a.rule === r.name)) continue;
                if (isUnknown(r.allowing)) {
                    report.unverifiable(r.owner, r.priorityPath.replace(/priority$/, "action"), requirement);
                    continue;
                }
                if (isUnknown(r.priority)) {
                    report.unverifiable(r.owner, r.priorityPath, requirement);
                    continue;
                }
                // Every group that runs after the allow rule never sees what it allows.
                const skipped = groups.filter((g) => typeof g.priority === "number" && typeof r.priority === "number" && r.priority < g.priority);
                if (skipped.length > 0) {
                    report.violation(r.owner, `WAF rule must not allow requests before the managed groups see them: ${r.label} allows at priority ${show(r.priority)}, before ${skipped.map((g) => `${g.label} (${g.priority})`).join(", ")}, expected a priority after every required group or the rule listed with a reason in allowedAllowRules.`);
                } else if (undecidedGroup) report.unverifiable(undecidedGroup.owner, undecidedGroup.priorityPath, requirement);
            }
        }
    },
});
