import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EMAIL } from "../config/checks";
import { BudgetConfig } from "../config/operations-types";
import { BUDGET_USD } from "../config/sections/operations";

export interface CostBudgetArgs {
    /** `<app>-<environment>`: the budget is `<namePrefix>-monthly`. */
    namePrefix: string;
    /** `baseline:budget`: the monthly limit in USD and the cost-allocation tag that selects this stack's costs. */
    budget: BudgetConfig;
    /** The stack's value of `budget.costAllocationTag` (from `aws:defaultTags`). */
    tagValue: string;
    /** Addresses each notification e-mails (1 to 10: AWS Budgets' limit per notification). */
    emails: string[];
    /** The alert topic each notification also publishes to (its policy must let budgets.amazonaws.com publish). */
    topicArn: pulumi.Input<string>;
}

/** AWS Budgets: up to 10 e-mail subscribers and one SNS subscriber per notification. */
export const BUDGET_EMAILS_MAX = 10;

/** One threshold of the budget: the kind of spend, and the percentage of the limit it is compared with. */
export interface BudgetThreshold {
    notificationType: "ACTUAL" | "FORECASTED";
    threshold: number;
}

/** Actual spend passing 80% and 100% of the limit, and the month's forecast passing 100%. */
export const BUDGET_THRESHOLDS: readonly BudgetThreshold[] = [
    { notificationType: "ACTUAL", threshold: 80 },
    { notificationType: "ACTUAL", threshold: 100 },
    { notificationType: "FORECASTED", threshold: 100 },
];

/**
 * The cost filter on a user-defined cost-allocation tag: `user:<key>$<value>` (AWS-generated tags are
 * `aws:<key>$<value>`). Without the `user:` prefix the budget matches nothing and shows no spend
 * (hashicorp/terraform-provider-aws#40987, #39850; @pulumi/aws budgets/budget.d.ts example).
 */
export function costAllocationTagFilter(tagKey: string, tagValue: string): { name: string; values: string[] } {
    return { name: "TagKeyValue", values: [`user:${tagKey}$${tagValue}`] };
}

/** The notifications of the budget, each to the e-mails and the topic. */
export function budgetNotifications<T>(emails: string[], topicArn: T) {
    return BUDGET_THRESHOLDS.map((t) => ({
        notificationType: t.notificationType,
        comparisonOperator: "GREATER_THAN",
        threshold: t.threshold,
        thresholdType: "PERCENTAGE",
        subscriberEmailAddresses: [...emails],
        subscriberSnsTopicArns: [topicArn],
    }));
}

/** Budget names: 1 to 100 characters without `:` or `\`; ours are letters, digits, `-` and `_`. */
const NAME_PREFIX = /^[A-Za-z0-9_-]{1,92}$/;

/** The args' problem, if any, naming the value. */
export function costBudgetArgsProblem(who: string, args: CostBudgetArgs): string | undefined {
    if (typeof args.namePrefix !== "string" || !NAME_PREFIX.test(args.namePrefix)) {
        return `${who}: namePrefix ${JSON.stringify(args.namePrefix)} cannot name a budget: expected 1 to 92 letters, digits, "-" or "_".`;
    }
    const limit = args.budget.monthlyLimitUsd;
    if (typeof limit !== "number" || !Number.isInteger(limit) || limit < BUDGET_USD.min || limit > BUDGET_USD.max) {
        return `${who}: budget.monthlyLimitUsd is ${JSON.stringify(limit)}, expected a whole number of USD from ${BUDGET_USD.min} to ${BUDGET_USD.max}.`;
    }
    const tag = args.budget.costAllocationTag;
    if (typeof tag !== "string" || tag.trim() === "" || tag.includes("$") || tag.startsWith("aws:")) {
        return `${who}: budget.costAllocationTag is ${JSON.stringify(tag)}, expected a user tag key (not "aws:...", no "$") such as Project.`;
    }
    const value = args.tagValue;
    if (typeof value !== "string" || value.trim() === "" || value.length > 256) {
        return `${who}: the stack's value of tag ${tag} is ${JSON.stringify(value)}, expected a non-empty tag value (at most 256 characters) from aws:defaultTags.tags.${tag}: without it the budget would count nothing.`;
    }
    const emails = args.emails;
    if (!Array.isArray(emails) || emails.length === 0 || emails.length > BUDGET_EMAILS_MAX) {
        return `${who}: emails is ${JSON.stringify(emails)}, expected 1 to ${BUDGET_EMAILS_MAX} e-mail addresses (AWS Budgets' limit per notification).`;
    }
    const bad = emails.find((e) => typeof e !== "string" || !EMAIL.test(e));
    if (bad !== undefined) return `${who}: emails contains ${JSON.stringify(bad)}, expected an e-mail address such as ops@example.com.`;
    return undefined;
}

/**
 * The stack's monthly AWS Budgets cost budget `<namePrefix>-monthly`: the limit in USD, counting only costs
 * carrying the stack's cost-allocation tag (the tag must be activated in the billing console, or the budget
 * counts nothing), notifying the e-mails and the alert topic at 80% and 100% of actual spend and 100% of forecast.
 */
export class CostBudget extends pulumi.ComponentResource {
    /** The budget's name. */
    readonly budgetName: pulumi.Output<string>;

    constructor(name: string, args: CostBudgetArgs, opts?: pulumi.ComponentResourceOptions) {
        const problem = costBudgetArgsProblem(`CostBudget ${name}`, args);
        if (problem) throw new Error(problem);
        super("baseline:operations:CostBudget", name, {}, opts);

        const budget = new aws.budgets.Budget(`${name}-monthly`, {
            name: `${args.namePrefix}-monthly`,
            budgetType: "COST",
            timeUnit: "MONTHLY",
            // AWS reports "500.0"; the provider compares amounts as numbers.
            limitAmount: String(args.budget.monthlyLimitUsd),
            limitUnit: "USD",
            costFilters: [costAllocationTagFilter(args.budget.costAllocationTag, args.tagValue)],
            notifications: budgetNotifications(args.emails, args.topicArn),
        }, { parent: this });

        this.budgetName = budget.name;
        this.registerOutputs({ budgetName: this.budgetName });
    }
}
