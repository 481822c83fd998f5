import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { cloudtrailConfiguration } from "../../policies/operations/logging";
import { UNKNOWN, messages, res, run } from "./helpers";

/**
 * cloudtrail-configuration over the selector spellings it enumerates (each way an eventSource
 * selector narrows management events, a read/write type unknown until apply) and each half of the
 * CloudWatch Logs delivery. The basic cases are in logging.test.ts and bypass.test.ts.
 */
const trail = (props: Record<string, unknown>) => res(aws.cloudtrail.Trail, {
    s3BucketName: "trail-logs", isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k",
    cloudWatchLogsGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:trail:*", cloudWatchLogsRoleArn: "arn:aws:iam::123456789012:role/trail", ...props,
}, { name: "trail" });
const must = "CloudTrail trail must record read and write management events";

describe("policies: cloudtrail-configuration, every selector spelling", () => {
    for (const narrowing of ["equals", "startsWiths", "endsWiths"]) {
        it(`rejects management events narrowed to some sources by eventSource ${narrowing}`, async () => {
            const advancedEventSelectors = [{ fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }, { field: "eventSource", [narrowing]: ["s3.amazonaws.com"] }] }];
            assert.deepStrictEqual(messages(await run(cloudtrailConfiguration, trail({ advancedEventSelectors }))), [
                `${must}: no advancedEventSelectors entry selects eventCategory "Management" without narrowing it (readOnly, or an eventSource other than notEquals), expected one.`,
            ]);
        });
    }

    it("reports a read/write type unknown until apply as unverifiable, not as a violation", async () => {
        const diags = await run(cloudtrailConfiguration, trail({ eventSelectors: [{ includeManagementEvents: true, readWriteType: UNKNOWN }] }));
        assert.deepStrictEqual(messages(diags), [
            "Cannot verify during preview that the trail records read and write management events: eventSelectors[0].readWriteType is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
        ]);
    });

    it("rejects delivery with a role but no log group", async () => {
        assert.deepStrictEqual(messages(await run(cloudtrailConfiguration, trail({ cloudWatchLogsGroupArn: undefined }))), [
            'CloudTrail trail must deliver to CloudWatch Logs: cloudWatchLogsGroupArn is (unset) and cloudWatchLogsRoleArn is "arn:aws:iam::123456789012:role/trail", expected both set.',
        ]);
    });
});
