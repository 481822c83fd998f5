import { Policies } from "@pulumi/policy";
import { StackReporter, StackResource, stackPolicy } from "../lib/define";
import { at, isSet, isUnknown, show } from "../lib/props";
import { BUCKET_TYPES, BucketView, S3Stack, SETTING_TYPES, label } from "./join";
import { LOG_BUCKETS, Source, elements, inline, sourceOf, value } from "./sources";
import { s3BlockPublicAccess, s3NoPublicGrants, s3RequireTls } from "./access";

/**
 * S3 guardrails (catalogue s3-01..s3-06). Every check is a stack policy: value checks run on each
 * setting resource (and on the legacy inline arguments of aws.s3.Bucket / BucketV2), presence checks
 * on each bucket. Violations are reported on the bucket the setting belongs to, so exempting a
 * bucket exempts all its findings; "cannot verify" notes name the setting and the unknown value.
 */

/** s3-04 */
interface EncryptionConfig {
    requireKmsForDataBuckets: boolean;
    requireCustomerKey: boolean;
    logBuckets: string[];
}

type BucketKind = "data" | "log" | "access-log";
const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

/** The encryption rules a source sets, each as a source of its own. */
function encryptionRules(s: Source): Source[] {
    if (s.path === "serverSideEncryptionConfiguration") return [{ ...s, path: `${s.path}.rule` }];
    if (s.path === "serverSideEncryptionConfigurations") {
        return elements(s.resource, s.path, () => s.label).flatMap((c) => (isUnknown(value(c)) ? [c] : elements(s.resource, `${c.path}.rules`, () => s.label)));
    }
    return elements(s.resource, s.path, () => s.label);
}

function checkEncryption(s: Source, kind: BucketKind, config: EncryptionConfig, owner: StackResource, report: StackReporter): void {
    const rules = encryptionRules(s);
    const known = rules.filter((r) => !isUnknown(value(r)));
    if (known.length < rules.length) return report.unverifiable(s.resource, rules.find((r) => isUnknown(value(r)))!.path, "the bucket is encrypted by default");
    const defaults = known.filter((r) => value(r, "applyServerSideEncryptionByDefault") !== undefined);
    if (defaults.length === 0) {
        return report.violation(owner, `S3 bucket must encrypt objects by default: ${s.label} has no applyServerSideEncryptionByDefault, expected one with sseAlgorithm ${kind === "data" && config.requireKmsForDataBuckets ? '"aws:kms"' : '"AES256" or "aws:kms"'}.`);
    }
    for (const rule of defaults) {
        const algorithmPath = `${rule.path}.applyServerSideEncryptionByDefault.sseAlgorithm`;
        const algorithm = value(rule, "applyServerSideEncryptionByDefault.sseAlgorithm");
        if (isUnknown(algorithm)) {
            report.unverifiable(s.resource, algorithmPath, "the bucket uses the required encryption algorithm");
            continue;
        }
        const kms = KMS_ALGORITHMS.includes(algorithm as string);
        if (!kms && algorithm !== "AES256") {
            report.violation(owner, `S3 bucket must encrypt objects by default: ${s.label} sets sseAlgorithm ${show(algorithm)}, expected "aws:kms" or "AES256".`);
        } else if (kind === "access-log" && kms) {
            report.violation(owner, `S3 access-log bucket must use SSE-S3: ${s.label} sets sseAlgorithm ${show(algorithm)}, expected "AES256" (S3 server access logging cannot deliver to SSE-KMS buckets).`);
        } else if (kind === "data" && config.requireKmsForDataBuckets) {
            if (!kms) {
                report.violation(owner, `S3 data bucket must use SSE-KMS: ${s.label} sets sseAlgorithm ${show(algorithm)}, expected "aws:kms" (only log buckets may use AES256).`);
                continue;
            }
            const key = value(rule, "applyServerSideEncryptionByDefault.kmsMasterKeyId");
            // The AWS managed key by alias or alias ARN (`arn:aws:kms:<region>:<account>:alias/aws/s3`).
            if (config.requireCustomerKey && (!isSet(key) || (typeof key === "string" && /(^|:)alias\/aws\/s3$/.test(key)))) {
                report.violation(owner, `S3 data bucket must use a customer-managed KMS key: ${s.label} has kmsMasterKeyId ${show(key)}, so S3 uses the AWS managed aws/s3 key, expected a customer-managed key ARN.`);
            }
            // DSSE-KMS does not support bucket keys.
            if (algorithm === "aws:kms") {
                const bucketKey = value(rule, "bucketKeyEnabled");
                if (isUnknown(bucketKey)) report.unverifiable(s.resource, `${rule.path}.bucketKeyEnabled`, "the S3 bucket key is enabled");
                else if (bucketKey !== true) {
                    report.violation(owner, `S3 data bucket must enable the S3 bucket key: ${s.label} has bucketKeyEnabled ${show(bucketKey)}, expected true.`);
                }
            }
        }
    }
}

export const s3DefaultEncryption = stackPolicy<EncryptionConfig>({
    name: "s3-default-encryption",
    description: "Every S3 bucket must set default encryption: SSE-KMS with a customer-managed key and the bucket key for data buckets; log buckets may use SSE-S3, and S3 access-log targets must.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket: data buckets `{applyServerSideEncryptionByDefault: {sseAlgorithm: \"aws:kms\", kmsMasterKeyId: key.arn}, bucketKeyEnabled: true}`; buckets that receive S3 server access logs `{sseAlgorithm: \"AES256\"}`.",
    catalogue: ["s3-04"],
    config: {
        requireKmsForDataBuckets: { type: "boolean", default: true, description: "Data (non-log) buckets must use SSE-KMS with the bucket key; false accepts SSE-S3 everywhere." },
        requireCustomerKey: { type: "boolean", default: true, description: "SSE-KMS data buckets must name a customer-managed key (kmsMasterKeyId), not the AWS managed aws/s3 key." },
        logBuckets: LOG_BUCKETS,
    },
    check: (resources, { config }, report) => {
        const s3 = new S3Stack(resources);
        const kindOf = (b: BucketView): BucketKind => (s3.receivesServerAccessLogs(b) ? "access-log" : s3.isLogBucket(b, config.logBuckets) ? "log" : "data");
        for (const e of s3.settings.encryption) {
            const buckets = s3.targets(e, "bucket", e.props.bucket);
            const kind: BucketKind = buckets.length > 0 ? kindOf(buckets[0]) : s3.isConfiguredLogBucketName(e, config.logBuckets) ? "log" : "data";
            checkEncryption(sourceOf(e, "rules"), kind, config, s3.ownerOf(e), report);
        }
        for (const b of s3.buckets) {
            const props = b.resource.props;
            const inlineSources = [
                ...(props.serverSideEncryptionConfiguration !== undefined ? [inline(b, "serverSideEncryptionConfiguration")] : []),
                ...(props.serverSideEncryptionConfigurations !== undefined ? [inline(b, "serverSideEncryptionConfigurations")] : []),
            ];
            for (const s of inlineSources) checkEncryption(s, kindOf(b), config, b.resource, report);
            if (b.settings.encryption.length === 0 && inlineSources.length === 0) {
                const expected = kindOf(b) === "data" && config.requireKmsForDataBuckets ? 'sseAlgorithm "aws:kms" and bucketKeyEnabled true' : 'sseAlgorithm "AES256"';
                report.violation(b.resource, `S3 bucket must encrypt objects by default: no BucketServerSideEncryptionConfiguration targets it, expected one with ${expected}.`);
            }
        }
    },
});

/** s3-05 */
export const s3AccessLogging = stackPolicy<{ logBuckets: string[] }>({
    name: "s3-access-logging",
    description: "Every S3 bucket except log buckets must deliver server access logs to another bucket.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Add an aws.s3.BucketLogging with `bucket: bucket.id`, `targetBucket: logBucket.id` and a `targetPrefix`. Buckets that receive logs are exempt (they would log forever); list others in `logBuckets`.",
    securityHub: ["S3.9"],
    catalogue: ["s3-05"],
    config: { logBuckets: LOG_BUCKETS },
    check: (resources, { config }, report) => {
        const s3 = new S3Stack(resources);
        const checkTarget = (s: Source, target: unknown, targets: BucketView[], own: BucketView | undefined, owner: StackResource) => {
            if (!isSet(target)) report.violation(owner, `S3 bucket must log access requests: ${s.label} has targetBucket ${show(target)}, expected a log bucket.`);
            else if (own !== undefined && targets.includes(own)) {
                report.violation(owner, `S3 bucket must not log to itself: ${s.label} targets its own bucket, expected a separate log bucket (each delivery would log another request).`);
            }
        };
        for (const l of s3.settings.logging) {
            const own = s3.targets(l, "bucket", l.props.bucket)[0];
            const selfByName = own === undefined && isSet(l.props.bucket) && !isUnknown(l.props.bucket) && l.props.bucket === l.props.targetBucket;
            if (selfByName) report.violation(l, `S3 bucket must not log to itself: ${label(l)} targets its own bucket, expected a separate log bucket (each delivery would log another request).`);
            else checkTarget(sourceOf(l, "targetBucket"), l.props.targetBucket, s3.targets(l, "targetBucket", l.props.targetBucket), own, s3.ownerOf(l));
        }
        for (const b of s3.buckets) {
            const props = b.resource.props;
            const inlineSources = [
                ...(props.logging !== undefined ? [{ source: inline(b, "logging"), input: "logging", target: at(props, "logging.targetBucket") }] : []),
                ...elements(b.resource, "loggings", () => "the bucket's inline loggings").map((s) => ({ source: s, input: "loggings", target: value(s, "targetBucket") })),
            ];
            for (const { source, input, target } of inlineSources) {
                if (isUnknown(value(source))) continue; // set, though unknown: counts as logging
                checkTarget(source, target, s3.targets(b.resource, input, target), b, b.resource);
            }
            if (b.settings.logging.length === 0 && inlineSources.length === 0 && !s3.isLogBucket(b, config.logBuckets)) {
                report.violation(b.resource, "S3 bucket must log access requests: no BucketLogging targets it, expected one that delivers to a log bucket.");
            }
        }
    },
});

/** s3-06 */
export const s3VersioningLifecycle = stackPolicy({
    name: "s3-versioning-lifecycle",
    description: "Every S3 bucket must have versioning Enabled and at least one enabled lifecycle rule.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Add an aws.s3.BucketVersioning with `versioningConfiguration: { status: \"Enabled\" }` and an aws.s3.BucketLifecycleConfiguration with at least one rule of status \"Enabled\" (e.g. expire noncurrent versions, abort incomplete uploads).",
    securityHub: ["S3.10", "S3.13"],
    catalogue: ["s3-06"],
    types: [...BUCKET_TYPES, ...SETTING_TYPES.versioning, ...SETTING_TYPES.lifecycle],
    check: (resources, _ctx, report) => {
        const s3 = new S3Stack(resources);
        const checkVersioning = (s: Source, enabledPath: string, expected: unknown, owner: StackResource) => {
            const v = at(s.resource.props, enabledPath);
            if (isUnknown(v)) report.unverifiable(s.resource, enabledPath, "versioning is enabled");
            else if (v !== expected) {
                report.violation(owner, `S3 bucket must keep object versions: ${s.label} sets ${enabledPath.split(".").pop()} ${show(v)}, expected ${show(expected)}.`);
            }
        };
        const checkLifecycle = (s: Source, rulesPath: string, isEnabled: (rule: any) => boolean, owner: StackResource) => {
            const rules = at(s.resource.props, rulesPath);
            if (isUnknown(rules)) return; // set, though unknown: counts as present
            if (!(Array.isArray(rules) ? rules : []).some((r) => isUnknown(r) || isEnabled(r))) {
                report.violation(owner, `S3 bucket must have lifecycle rules: ${s.label} has no enabled rule, expected at least one.`);
            }
        };
        const enabledStatus = (r: any) => r?.status === "Enabled" || isUnknown(r?.status);
        const enabledFlag = (r: any) => r?.enabled === true || isUnknown(r?.enabled);

        for (const v of s3.settings.versioning) checkVersioning(sourceOf(v, "versioningConfiguration"), "versioningConfiguration.status", "Enabled", s3.ownerOf(v));
        for (const l of s3.settings.lifecycle) checkLifecycle(sourceOf(l, "rules"), "rules", enabledStatus, s3.ownerOf(l));
        for (const b of s3.buckets) {
            const props = b.resource.props;
            const inlineVersioning = [
                ...(props.versioning !== undefined ? [{ s: inline(b, "versioning"), path: "versioning.enabled" }] : []),
                ...elements(b.resource, "versionings", () => "the bucket's inline versionings").map((s) => ({ s, path: `${s.path}.enabled` })),
            ];
            for (const { s, path } of inlineVersioning) if (!isUnknown(value(s))) checkVersioning(s, path, true, b.resource);
            const inlineLifecycle = props.lifecycleRules !== undefined ? [inline(b, "lifecycleRules")] : [];
            for (const s of inlineLifecycle) checkLifecycle(s, "lifecycleRules", enabledFlag, b.resource);

            if (b.settings.versioning.length === 0 && inlineVersioning.length === 0) {
                report.violation(b.resource, 'S3 bucket must keep object versions: no BucketVersioning targets it, expected one with status "Enabled".');
            }
            if (b.settings.lifecycle.length === 0 && inlineLifecycle.length === 0) {
                report.violation(b.resource, "S3 bucket must have lifecycle rules: no BucketLifecycleConfiguration targets it, expected one with at least one enabled rule.");
            }
        }
    },
});

export const storagePolicies: Policies = [s3BlockPublicAccess, s3NoPublicGrants, s3RequireTls, s3DefaultEncryption, s3AccessLogging, s3VersioningLifecycle];
