import * as assert from "assert";
import { BUDGET_THRESHOLDS, CostBudget, CostBudgetArgs, budgetNotifications, costAllocationTagFilter } from "../infra/operations/budget";
import { ALL_POLICIES } from "../policies/all";
import { evaluate, resolvePolicyConfig } from "../tools/offline/evaluate";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mock-outputs";
import { policyConfigPath, readPolicyConfig, toEvalResource } from "../tools/offline/stack-check";
import { Run, runStack, runStackExpectingError, runUnderMocks } from "./harness";

const TOPIC = (stack: string) => `arn:aws:sns:eu-west-1:${MOCK_ACCOUNT_ID}:pos-${stack}-alerts`;

/** Each notification to every address and to the alert topic. */
const notifications = (emails: string[], topic: string) => [
    { notificationType: "ACTUAL", comparisonOperator: "GREATER_THAN", threshold: 80, thresholdType: "PERCENTAGE", subscriberEmailAddresses: emails, subscriberSnsTopicArns: [topic] },
    { notificationType: "ACTUAL", comparisonOperator: "GREATER_THAN", threshold: 100, thresholdType: "PERCENTAGE", subscriberEmailAddresses: emails, subscriberSnsTopicArns: [topic] },
    { notificationType: "FORECASTED", comparisonOperator: "GREATER_THAN", threshold: 100, thresholdType: "PERCENTAGE", subscriberEmailAddresses: emails, subscriberSnsTopicArns: [topic] },
];

describe("cost budget helpers", () => {
    it("filters on a user cost-allocation tag as user:<key>$<value> (without user: the budget counts nothing)", () => {
        assert.deepStrictEqual(costAllocationTagFilter("Stack", "pos-prod"), { name: "TagKeyValue", values: ["user:Stack$pos-prod"] });
    });

    it("notifies at 80% and 100% of actual spend and 100% of forecast", () => {
        assert.deepStrictEqual(BUDGET_THRESHOLDS.map((t) => `${t.notificationType} ${t.threshold}`), ["ACTUAL 80", "ACTUAL 100", "FORECASTED 100"]);
        assert.deepStrictEqual(budgetNotifications(["a@example.com"], "arn:t"), notifications(["a@example.com"], "arn:t"));
    });
});

describe("CostBudget in the stacks", () => {
    for (const [stack, limit, emails] of [
        ["prod", "500", ["oncall@example.com", "platform-alerts@example.com"]],
        ["staging", "150", ["platform-alerts@example.com"]],
    ] as const) {
        describe(stack, () => {
            let run: Run;
            before(async () => {
                run = await runStack(stack);
            });

            it(`budgets ${limit} USD a month of what carries Stack=pos-${stack}, notifying the alert e-mails and the alert topic`, () => {
                const budget = run.one("aws:budgets/budget:Budget");
                assert.deepStrictEqual([budget.name, run.parentName(budget)], ["budget-monthly", "budget"]);
                assert.deepStrictEqual(budget.inputs, {
                    name: `pos-${stack}-monthly`,
                    budgetType: "COST",
                    timeUnit: "MONTHLY",
                    limitAmount: limit,
                    limitUnit: "USD",
                    costFilters: [{ name: "TagKeyValue", values: [`user:Stack$pos-${stack}`] }],
                    notifications: notifications([...emails], TOPIC(stack)),
                });
                // The topic's ARN comes from the alert topic itself, so the budget waits for it.
                // The topic and its policy: created before the policy, Budgets could not publish yet.
                assert.deepStrictEqual(budget.propertyDependencies.notifications.sort(), [run.one("aws:sns/topic:Topic", "alerts-topic").urn, run.one("aws:sns/topicPolicy:TopicPolicy", "alerts-topic-policy").urn].sort());
                assert.strictEqual(run.one("baseline:operations:CostBudget").name, "budget");
            });

            it("leaves the pack's budget-cost-alerts nothing to report", async () => {
                const config = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath(stack)));
                const { diagnostics } = await evaluate(run.resources.map(toEvalResource), { policies: ALL_POLICIES, config });
                assert.deepStrictEqual(diagnostics.filter((d) => d.policyName === "budget-cost-alerts" || d.urn?.includes("budget")), []);
            });
        });
    }

    it("follows baseline:budget: another amount and another tag of aws:defaultTags", async () => {
        const run = await runStack("staging", { "baseline:budget": { monthlyLimitUsd: 75, costAllocationTag: "CostCenter" } });
        const budget = run.one("aws:budgets/budget:Budget");
        assert.strictEqual(budget.inputs.limitAmount, "75");
        assert.deepStrictEqual(budget.inputs.costFilters, [{ name: "TagKeyValue", values: ["user:CostCenter$cc-4100"] }]);
    });

    it("refuses a cost-allocation tag the stack does not carry, before registering anything", async () => {
        const { error, result } = await runStackExpectingError("prod", { "baseline:budget": { costAllocationTag: "Team" } });
        assert.match(error.message, /baseline:budget\.costAllocationTag = "Team" is not allowed: expected one of the keys of aws:defaultTags\.tags/);
        assert.deepStrictEqual(result.resources, []);
    });
});

describe("CostBudget arguments", () => {
    const base = (): CostBudgetArgs => ({
        namePrefix: "pos-prod", budget: { monthlyLimitUsd: 500, costAllocationTag: "Stack" }, tagValue: "pos-prod", emails: ["oncall@example.com"], topicArn: "arn:t",
    });
    const cases: [string, (a: CostBudgetArgs) => void, string][] = [
        ["an empty tag value", (a) => (a.tagValue = ""), 'CostBudget budget: the stack\'s value of tag Stack is "", expected a non-empty tag value (at most 256 characters) from aws:defaultTags.tags.Stack: without it the budget would count nothing.'],
        ["a missing tag value", (a) => (a.tagValue = undefined as unknown as string), "CostBudget budget: the stack's value of tag Stack is undefined, expected a non-empty tag value"],
        ["an AWS tag", (a) => (a.budget = { ...a.budget, costAllocationTag: "aws:createdBy" }), 'CostBudget budget: budget.costAllocationTag is "aws:createdBy", expected a user tag key (not "aws:...", no "$") such as Project.'],
        ["a zero limit", (a) => (a.budget = { ...a.budget, monthlyLimitUsd: 0 }), "CostBudget budget: budget.monthlyLimitUsd is 0, expected a whole number of USD from 1 to 10000000."],
        ["a fractional limit", (a) => (a.budget = { ...a.budget, monthlyLimitUsd: 99.5 }), "CostBudget budget: budget.monthlyLimitUsd is 99.5, expected a whole number of USD from 1 to 10000000."],
        ["no e-mail", (a) => (a.emails = []), "CostBudget budget: emails is [], expected 1 to 10 e-mail addresses (AWS Budgets' limit per notification)."],
        ["eleven e-mails", (a) => (a.emails = Array.from({ length: 11 }, (_, i) => `o${i}@example.com`)), "CostBudget budget: emails is ["],
        ["a bad address", (a) => (a.emails = ["ops"]), 'CostBudget budget: emails contains "ops", expected an e-mail address such as ops@example.com.'],
        ["a prefix that cannot name a budget", (a) => (a.namePrefix = "pos:prod"), 'CostBudget budget: namePrefix "pos:prod" cannot name a budget: expected 1 to 92 letters, digits, "-" or "_".'],
    ];
    for (const [what, change, message] of cases) {
        it(`rejects ${what} before registering anything`, async () => {
            const args = base();
            change(args);
            const run = await runUnderMocks(() => {
                assert.throws(() => new CostBudget("budget", args), (e: Error) => e.message.startsWith(message));
            });
            assert.deepStrictEqual(run.resources, []);
        });
    }

    it("accepts the base arguments (the cases above each change one)", async () => {
        const run = await runUnderMocks(() => new CostBudget("budget", base()));
        assert.strictEqual(run.one("aws:budgets/budget:Budget").inputs.limitAmount, "500");
    });
});
