import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { stepFunctionsLogging } from "../../policies/serverless/stepfunctions";
import { UNKNOWN, messages, res, run } from "./helpers";

const LOG_GROUP = "arn:aws:logs:eu-west-1:123456789012:log-group:/sfn/orders:*";
const machine = (loggingConfiguration: unknown) =>
    res(aws.sfn.StateMachine, { definition: "{}", roleArn: "arn:aws:iam::123456789012:role/sfn", loggingConfiguration });
const BELOW = (found: string) => `Step Functions state machine must log at ERROR or more: loggingConfiguration.level is ${found}, expected "ERROR" or "ALL" with a logDestination.`;

describe("policies: stepfunctions", () => {
    describe("stepfunctions-logging", () => {
        it("passes ERROR and ALL with a destination, known or not", async () => {
            assert.deepStrictEqual(await run(stepFunctionsLogging, machine({ level: "ERROR", logDestination: LOG_GROUP })), []);
            assert.deepStrictEqual(await run(stepFunctionsLogging, machine({ level: "ALL", logDestination: UNKNOWN })), []);
        });
        it("rejects no logging (OFF by default), OFF and FATAL, as mandatory", async () => {
            const diags = await run(stepFunctionsLogging, machine(undefined));
            assert.deepStrictEqual(messages(diags), [BELOW("(unset) (OFF)")]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(stepFunctionsLogging, machine({ level: "OFF" }))), [BELOW('"OFF"')]);
            assert.deepStrictEqual(messages(await run(stepFunctionsLogging, machine({ level: "FATAL", logDestination: LOG_GROUP }))), [BELOW('"FATAL"')]);
        });
        it("rejects a level without a destination", async () => {
            assert.deepStrictEqual(messages(await run(stepFunctionsLogging, machine({ level: "ALL" }))), [
                'Step Functions state machine must log to a destination: loggingConfiguration.logDestination is (unset), expected a CloudWatch Logs log group ARN ending in ":*".',
            ]);
        });
        it("applies the configured minimum level", async () => {
            assert.deepStrictEqual(await run(stepFunctionsLogging, machine({ level: "FATAL", logDestination: LOG_GROUP }), { minimumLevel: "FATAL" }), []);
            assert.deepStrictEqual(messages(await run(stepFunctionsLogging, machine({ level: "ERROR", logDestination: LOG_GROUP }), { minimumLevel: "ALL" })), [
                'Step Functions state machine must log at ALL or more: loggingConfiguration.level is "ERROR", expected "ALL" with a logDestination.',
            ]);
        });
        it("refuses a minimum level other than FATAL, ERROR or ALL", async () => {
            await assert.rejects(run(stepFunctionsLogging, machine(undefined), { minimumLevel: "OFF" }), /minimumLevel/);
        });
        it("reports unknown configuration or level as unverifiable", async () => {
            for (const [logging, path] of [[UNKNOWN, "loggingConfiguration"], [{ level: UNKNOWN, logDestination: LOG_GROUP }, "loggingConfiguration\\.level"]] as const) {
                const diags = await run(stepFunctionsLogging, machine(logging));
                assert.strictEqual(diags.length, 1);
                assert.match(messages(diags)[0], new RegExp(`^Cannot verify during preview that the state machine logs at ERROR or more: ${path} is \\(unknown until apply\\)`));
                assert.strictEqual(diags[0].enforcementLevel, "advisory");
                assert.ok(!diags[0].cantRunDuringPreview);
            }
        });
        it("never throws on malformed configurations", async () => {
            for (const logging of [null, "[]", 42, [], { level: null }, { level: 3 }, { level: "ALL", logDestination: null }, { level: "bogus" }]) {
                assert.strictEqual((await run(stepFunctionsLogging, machine(logging))).length, 1, JSON.stringify(logging));
            }
        });
    });
});
