import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { resourcePolicy } from "../lib/define";
import { at, isSet, isUnknown, show } from "../lib/props";

/** Step Functions state machines. */

/** Log levels from least to most verbose: ALL logs every event, ERROR errors and fatal failures, FATAL only those, OFF nothing. */
export const SFN_LOG_LEVELS = ["OFF", "FATAL", "ERROR", "ALL"] as const;

const rank = (level: string) => SFN_LOG_LEVELS.indexOf(level.toUpperCase() as (typeof SFN_LOG_LEVELS)[number]);

/**
 * sfn-01 (StepFunctions.1): without logging, failed executions leave no trace once the execution
 * history expires (and Express workflows keep no history at all). The level defaults to OFF.
 * AWS Config's step-functions-state-machine-logging-enabled takes the same minimum level (ALL, ERROR, FATAL).
 */
export const stepFunctionsLogging = resourcePolicy<{ minimumLevel: string }>({
    name: "stepfunctions-logging",
    description: "Step Functions state machines must log to CloudWatch Logs at the configured level or a more verbose one (default ERROR).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        'Set `loggingConfiguration: { level: "ERROR" (or "ALL"), logDestination: `${logGroup.arn}:*`, includeExecutionData: false }` on the aws.sfn.StateMachine ' +
        "and let its role deliver logs (logs:CreateLogDelivery and related actions).",
    securityHub: ["StepFunctions.1"],
    catalogue: ["sfn-01"],
    config: {
        minimumLevel: { type: "string", enum: ["FATAL", "ERROR", "ALL"], default: "ERROR", description: "Least verbose level allowed: FATAL < ERROR < ALL." },
    },
    types: [aws.sfn.StateMachine],
    check: (machine, { config }, report) => {
        const min = config.minimumLevel;
        const requirement = `the state machine logs at ${min} or more`;
        const logging = machine.loggingConfiguration;
        if (isUnknown(logging)) return report.unverifiable("loggingConfiguration", logging, requirement);
        const level = at(logging, "level");
        if (isUnknown(level)) return report.unverifiable("loggingConfiguration.level", level, requirement);
        const expected = `expected ${SFN_LOG_LEVELS.slice(rank(min)).map((l) => `"${l}"`).join(" or ")} with a logDestination`;
        if (typeof level !== "string" || rank(level) < rank(min)) {
            report.violation(`Step Functions state machine must log at ${min} or more: loggingConfiguration.level is ${show(level ?? undefined)}${level === undefined || level === null ? " (OFF)" : ""}, ${expected}.`);
            return;
        }
        // An unknown destination (a log group of the stack) is a destination.
        if (!isSet(at(logging, "logDestination"))) {
            report.violation(`Step Functions state machine must log to a destination: loggingConfiguration.logDestination is ${show(at(logging, "logDestination") ?? undefined)}, expected a CloudWatch Logs log group ARN ending in ":*".`);
        }
    },
});

export const stepFunctionsPolicies: Policies = [stepFunctionsLogging];
