import { SectionChecks, intIn } from "../checks";

/** S3 moves objects to STANDARD_IA only after 30 days. */
export const NONCURRENT_TRANSITION_DAYS = { min: 30, max: 3650 } as const;

/** `baseline:storage` */
export const STORAGE_CHECKS: SectionChecks = {
    noncurrentVersionTransitionDays: (k, v) => intIn(k, v, NONCURRENT_TRANSITION_DAYS.min, NONCURRENT_TRANSITION_DAYS.max),
    // Versions must move before they expire.
    noncurrentVersionExpirationDays: (k, v, _e, s) =>
        intIn(k, v, Number.isInteger(s.noncurrentVersionTransitionDays) ? (s.noncurrentVersionTransitionDays as number) + 1 : NONCURRENT_TRANSITION_DAYS.min + 1, 3650),
    abortIncompleteUploadDays: (k, v) => intIn(k, v, 1, 365),
    logRetentionDays: (k, v) => intIn(k, v, 1, 3650),
};
