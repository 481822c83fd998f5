import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { StackReporter, StackResource, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { at, isSet, isUnknown, show } from "../lib/props";
import { ofType } from "../lib/by-type";
import { hasUnknown, linked } from "../lib/joins";

const STREAM = tokenOf(aws.kinesis.Stream);
const FIREHOSE = tokenOf(aws.kinesis.FirehoseDeliveryStream);

/** AWS-managed keys: encryption, but under a key policy the account does not control. */
const AWS_MANAGED_KINESIS_KEY = /^(alias\/aws\/kinesis|arn:aws[\w-]*:kms:[^:]*:[^:]*:alias\/aws\/kinesis)$/i;

const requireCustomerKey = {
    type: "boolean" as const, default: false,
    description: "Also require a customer-managed KMS key (not the AWS-managed alias/aws/kinesis or the AWS-owned key), so the key policy and its audit trail are the account's.",
};

/** kin-01 (Kinesis.1): stream records sit on disk for the retention period (24 hours to a year). */
export const kinesisStreamEncryption = resourcePolicy<{ requireCustomerKey: boolean }>({
    name: "kinesis-stream-encryption",
    description: "Kinesis data streams must be encrypted at rest with KMS (encryptionType \"KMS\"), with a customer-managed key where configured.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: 'On the aws.kinesis.Stream set `encryptionType: "KMS"` and `kmsKeyId` (a customer key ARN, or "alias/aws/kinesis" unless the config requires a customer key).',
    securityHub: ["Kinesis.1"],
    catalogue: ["kin-01"],
    config: { requireCustomerKey },
    types: [aws.kinesis.Stream],
    check: (stream, { config }, report) => {
        const type = stream.encryptionType;
        if (isUnknown(type)) return report.unverifiable("encryptionType", type, "the stream is encrypted with KMS");
        // The API's values are NONE and KMS; compare without case so no spelling of KMS is refused (none turns it off).
        if (typeof type !== "string" || type.toUpperCase() !== "KMS") {
            return report.violation(`Kinesis stream must be encrypted at rest: encryptionType is ${show(type ?? undefined)}, expected "KMS".`);
        }
        if (!config.requireCustomerKey) return;
        const key = stream.kmsKeyId;
        if (!isSet(key)) report.violation('Kinesis stream must be encrypted with a customer-managed KMS key: kmsKeyId is (unset), expected a customer key ARN.');
        else if (typeof key === "string" && AWS_MANAGED_KINESIS_KEY.test(key)) {
            report.violation(`Kinesis stream must be encrypted with a customer-managed KMS key: kmsKeyId is ${show(key)}, the AWS-managed key, expected a customer key ARN.`);
        }
    },
});

const isPresent = (v: unknown) => v !== undefined && v !== null;

/** A stream ARN (`arn:aws:kinesis:<region>:<account>:stream/<name>`) names a stream of the stack by its arn input or its name. */
function namesStream(arn: string, stream: StackResource): boolean {
    const name = stream.props.name;
    return arn === stream.props.arn || (typeof name === "string" && name !== "" && !isUnknown(name) && arn.endsWith(`:stream/${name}`));
}

/** Direct PUT (or CloudWatch Logs, IoT, EventBridge) streams: Firehose's own server-side encryption applies. */
function checkDirectPut(fh: StackResource, requireCmk: boolean, report: StackReporter) {
    const sse = fh.props.serverSideEncryption;
    const enabled = at(sse, "enabled");
    if (isUnknown(sse) || isUnknown(enabled)) return report.unverifiable(fh, "serverSideEncryption.enabled", "the Firehose stream is encrypted at rest");
    if (enabled !== true) {
        return report.violation(fh, `Firehose delivery stream must be encrypted at rest: serverSideEncryption.enabled is ${show(enabled ?? undefined)}, expected true (it receives records directly, so its own server-side encryption is what protects them).`);
    }
    if (!requireCmk) return;
    const keyType = at(sse, "keyType");
    if (isUnknown(keyType)) report.unverifiable(fh, "serverSideEncryption.keyType", "the Firehose stream uses a customer-managed key");
    else if (keyType !== "CUSTOMER_MANAGED_CMK") {
        report.violation(fh, `Firehose delivery stream must be encrypted with a customer-managed KMS key: serverSideEncryption.keyType is ${show(keyType ?? undefined)}, which means the AWS-owned key, expected "CUSTOMER_MANAGED_CMK" with keyArn.`);
    }
}

/**
 * kin-02 (DataFirehose.1). Firehose's server-side encryption exists only for direct-put streams: the API
 * enables it "only for a delivery stream that uses DirectPut as its source" (StartDeliveryStreamEncryption).
 * A stream reading from Kinesis inherits the source's encryption: "Kinesis Data Streams encrypts your data
 * ... Firehose buffers the data in memory ... without storing the unencrypted data at rest" (Amazon Data
 * Firehose Developer Guide, "Data protection in Amazon Data Firehose"). So a Kinesis-sourced Firehose stream
 * is checked through its source stream when the stack declares it; one reading a stream declared elsewhere is
 * left to that stack's kinesis-stream-encryption. MSK sources are out of this check (MSK's own encryption).
 */
export const firehoseEncryption = stackPolicy<{ requireCustomerKey: boolean }>({
    name: "firehose-encryption",
    description: "Firehose delivery streams must be encrypted at rest: direct-put streams with server-side encryption, Kinesis-sourced streams through an encrypted source stream.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "On a direct-put aws.kinesis.FirehoseDeliveryStream set `serverSideEncryption: { enabled: true, keyType: \"CUSTOMER_MANAGED_CMK\", keyArn }` (or the AWS-owned key unless the config requires a customer key); " +
        'for one with `kinesisSourceConfiguration`, set `encryptionType: "KMS"` on the source aws.kinesis.Stream.',
    securityHub: ["DataFirehose.1"],
    catalogue: ["kin-02"],
    config: { requireCustomerKey: { ...requireCustomerKey, description: "Also require direct-put streams to use a customer-managed KMS key (keyType CUSTOMER_MANAGED_CMK)." } },
    check: (resources, { config }, report) => {
        const hoses = ofType(resources, FIREHOSE);
        if (hoses.length === 0) return;
        const streams = ofType(resources, STREAM);
        for (const fh of hoses) {
            const kinesisSource = fh.props.kinesisSourceConfiguration;
            if (isPresent(fh.props.mskSourceConfiguration)) continue;
            if (!isPresent(kinesisSource)) {
                checkDirectPut(fh, config.requireCustomerKey, report);
                continue;
            }
            const arn = at(kinesisSource, "kinesisStreamArn");
            const sources = linked(fh, "kinesisSourceConfiguration", streams, { value: arn, matches: namesStream });
            if (sources.length === 0) {
                // Unknown and from no stream of this stack: it may be any stream, encrypted or not.
                if (isUnknown(kinesisSource) || hasUnknown(arn)) {
                    report.unverifiable(fh, "kinesisSourceConfiguration.kinesisStreamArn", "the source Kinesis stream is encrypted at rest");
                }
                continue;
            }
            for (const source of sources) {
                const type = source.props.encryptionType;
                if (isUnknown(type)) report.unverifiable(fh, "kinesisSourceConfiguration.kinesisStreamArn", `the source Kinesis stream ${show(source.name)} is encrypted at rest`);
                else if (typeof type !== "string" || type.toUpperCase() !== "KMS") {
                    report.violation(fh, `Firehose delivery stream must read from an encrypted stream: its source Kinesis stream ${show(source.name)} has encryptionType ${show(type ?? undefined)}, expected "KMS" (a Kinesis-sourced Firehose stream cannot enable its own server-side encryption).`);
                }
            }
        }
    },
});

/**
 * kin-03 (Kinesis.3, "Kinesis streams should have an adequate data retention period": Security Hub's
 * default minimum is 168 hours): consumers that fall behind, or a bug found late, can still replay the
 * records. The provider's default is 24 hours. Advisory: longer retention costs money.
 */
export const kinesisStreamRetention = resourcePolicy<{ minimumRetentionHours: number }>({
    name: "kinesis-stream-retention",
    description: "Kinesis data streams should keep records for at least the configured number of hours (Security Hub's default: 168).",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Set `retentionPeriod` (hours, 24 to 8760) on the aws.kinesis.Stream to at least the configured minimum.",
    securityHub: ["Kinesis.3"],
    catalogue: ["kin-03"],
    config: { minimumRetentionHours: { type: "integer", minimum: 24, maximum: 8760, default: 168, description: "Shortest retention allowed, in hours." } },
    types: [aws.kinesis.Stream],
    check: (stream, { config }, report) => {
        const hours = stream.retentionPeriod;
        const min = config.minimumRetentionHours;
        if (isUnknown(hours)) report.unverifiable("retentionPeriod", hours, `records are kept for at least ${min} hours`);
        // Unset is the provider's (and AWS's) default of 24 hours.
        else if (typeof (hours ?? 24) !== "number" || (hours ?? 24) < min) {
            report.violation(`Kinesis stream must keep records for at least ${min} hours: retentionPeriod is ${show(hours ?? undefined)}${hours === undefined || hours === null ? " (24 hours)" : ""}, expected ${min} or more.`);
        }
    },
});

export const streamPolicies: Policies = [kinesisStreamEncryption, kinesisStreamRetention, firehoseEncryption];
