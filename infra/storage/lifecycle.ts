import { StorageConfig } from "../config/types";

/** A rule in the shape `aws.s3.BucketLifecycleConfiguration` takes. */
export interface LifecycleRule {
    id: string;
    status: "Enabled";
    /** Empty: the rule applies to every object. */
    filter: Record<string, never>;
    /** Days for current objects, or the cleanup of delete markers left alone (S3 allows one per rule). */
    expiration?: { days: number } | { expiredObjectDeleteMarker: true };
    noncurrentVersionTransitions?: { noncurrentDays: number; storageClass: "STANDARD_IA" }[];
    noncurrentVersionExpiration?: { noncurrentDays: number };
    abortIncompleteMultipartUpload?: { daysAfterInitiation: number };
}

/**
 * Versioning keeps every overwrite and delete, so old versions move to cheaper storage and then go;
 * abandoned multipart uploads are billed until aborted.
 */
export function versionHousekeepingRule(storage: StorageConfig): LifecycleRule {
    return {
        id: "noncurrent-versions-and-incomplete-uploads",
        status: "Enabled",
        filter: {},
        noncurrentVersionTransitions: [{ noncurrentDays: storage.noncurrentVersionTransitionDays, storageClass: "STANDARD_IA" }],
        noncurrentVersionExpiration: { noncurrentDays: storage.noncurrentVersionExpirationDays },
        abortIncompleteMultipartUpload: { daysAfterInitiation: storage.abortIncompleteUploadDays },
    };
}

/**
 * In a versioned bucket a delete leaves a delete marker; once its noncurrent versions expire the
 * marker is all that is left, and stays forever unless a rule removes it. S3 does this by itself only
 * in buckets whose current objects expire by age (the log bucket), so the assets bucket needs this rule.
 */
export function expiredDeleteMarkerRule(): LifecycleRule {
    return { id: "expired-delete-markers", status: "Enabled", filter: {}, expiration: { expiredObjectDeleteMarker: true } };
}

/** Access logs are kept for the configured retention, then expire (and become noncurrent versions). */
export function logExpiryRule(storage: StorageConfig): LifecycleRule {
    return { id: "expire-logs", status: "Enabled", filter: {}, expiration: { days: storage.logRetentionDays } };
}

/** The settings' own constraints (S3 rejects STANDARD_IA transitions before 30 days). */
export function validateStorageConfig(storage: StorageConfig): void {
    const problems: string[] = [];
    const positive = (key: keyof StorageConfig) => {
        if (!Number.isInteger(storage[key]) || storage[key] < 1) problems.push(`${key} must be a whole number of days >= 1, got ${storage[key]}`);
    };
    (["noncurrentVersionTransitionDays", "noncurrentVersionExpirationDays", "abortIncompleteUploadDays", "logRetentionDays"] as const).forEach(positive);
    if (storage.noncurrentVersionTransitionDays < 30) {
        problems.push(`noncurrentVersionTransitionDays must be at least 30 (S3's minimum for STANDARD_IA), got ${storage.noncurrentVersionTransitionDays}`);
    }
    if (storage.noncurrentVersionExpirationDays <= storage.noncurrentVersionTransitionDays) {
        problems.push(
            `noncurrentVersionExpirationDays (${storage.noncurrentVersionExpirationDays}) must be greater than noncurrentVersionTransitionDays (${storage.noncurrentVersionTransitionDays}), or versions expire before they move`,
        );
    }
    if (problems.length > 0) throw new Error(`Buckets: invalid storage settings: ${problems.join("; ")}.`);
}
