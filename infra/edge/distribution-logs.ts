import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { problem } from "../config/checks";
import { cloudFrontDeliveryDestinationName, edgeNamePrefixProblem } from "./distribution-settings";
import { CLOUDFRONT_ACCESS_LOG_PREFIX, cloudFrontDeliverySourceName } from "./settings";

export interface DistributionLogsArgs {
    /** Start of the delivery names, e.g. `pos-prod`: `<namePrefix>-cloudfront-access` (source) and `-cloudfront-access-s3` (destination). */
    namePrefix: string;
    /** The distribution whose access logs are delivered. */
    distributionArn: pulumi.Input<string>;
    /** The log bucket (SSE-S3): objects land under `<CLOUDFRONT_ACCESS_LOG_PREFIX>/AWSLogs/<account id>/CloudFront/`. */
    logBucketArn: pulumi.Input<string>;
    /**
     * The log bucket's policy, which must already let `delivery.logs.amazonaws.com` put objects there for
     * this delivery source. The delivery waits for it: without that statement, CloudWatch Logs tries to
     * rewrite the bucket policy itself (and fails, or fights this program over it).
     */
    logBucketPolicy: pulumi.Resource;
}

/**
 * The format of the delivered files: W3C, the tab-separated fields of CloudFront's legacy standard logs,
 * which existing parsers and Athena's CloudFront table read; Parquet would cost a conversion charge.
 */
export const CLOUDFRONT_LOG_FORMAT = "w3c";

/** Throws before anything is registered, listing every problem at once. */
export function validateDistributionLogsArgs(args: DistributionLogsArgs): void {
    const problems = [
        edgeNamePrefixProblem(args.namePrefix),
        args.logBucketPolicy instanceof pulumi.Resource ? undefined : problem("logBucketPolicy", "(not a resource)", "the log bucket's aws.s3.BucketPolicy, which the delivery waits for"),
    ].filter((p): p is string => p !== undefined);
    if (problems.length > 0) throw new Error(`DistributionLogs has invalid arguments:\n  - ${problems.join("\n  - ")}`);
}

/**
 * CloudFront standard logging (v2): the distribution's access logs delivered by CloudWatch Logs to the log
 * bucket under `CLOUDFRONT_ACCESS_LOG_PREFIX`. Construct it with the same us-east-1 provider as the
 * distribution: CloudFront's delivery source lives there.
 */
export class DistributionLogs extends pulumi.ComponentResource {
    readonly deliverySourceName: pulumi.Output<string>;
    readonly deliveryDestinationArn: pulumi.Output<string>;
    readonly deliveryId: pulumi.Output<string>;

    constructor(name: string, args: DistributionLogsArgs, opts?: pulumi.ComponentResourceOptions) {
        validateDistributionLogsArgs(args);
        super("baseline:edge:DistributionLogs", name, {}, opts);

        const source = new aws.cloudwatch.LogDeliverySource(`${name}-source`, {
            name: cloudFrontDeliverySourceName(args.namePrefix),
            logType: "ACCESS_LOGS",
            resourceArn: args.distributionArn,
        }, { parent: this });
        const destination = new aws.cloudwatch.LogDeliveryDestination(`${name}-destination`, {
            name: cloudFrontDeliveryDestinationName(args.namePrefix),
            outputFormat: CLOUDFRONT_LOG_FORMAT,
            // A path in the bucket ARN is the key prefix; AWS adds AWSLogs/<account id>/CloudFront/ below it.
            deliveryDestinationConfiguration: { destinationResourceArn: pulumi.interpolate`${args.logBucketArn}/${CLOUDFRONT_ACCESS_LOG_PREFIX}` },
        }, { parent: this });
        const delivery = new aws.cloudwatch.LogDelivery(`${name}-delivery`, {
            deliverySourceName: source.name,
            deliveryDestinationArn: destination.arn,
        }, { parent: this, dependsOn: [args.logBucketPolicy] });

        this.deliverySourceName = source.name;
        this.deliveryDestinationArn = destination.arn;
        this.deliveryId = delivery.id;
        this.registerOutputs({ deliverySourceName: this.deliverySourceName, deliveryDestinationArn: this.deliveryDestinationArn, deliveryId: this.deliveryId });
    }
}
