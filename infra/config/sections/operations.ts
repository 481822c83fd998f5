import { EMAIL, HOSTNAME, LOG_RETENTION_DAYS, SectionChecks, intIn, matches, oneOf, problem } from "../checks";

/** KMS waits 7 to 30 days before a scheduled key deletion completes. */
export const KMS_DELETION_WINDOW_DAYS = { min: 7, max: 30 } as const;

/** `baseline:domain` */
export const DOMAIN_CHECKS: SectionChecks = {
    name: (k, v, _e, s) =>
        matches(k, v, HOSTNAME, "a lowercase DNS name such as shop.example.com") ??
        (typeof s.zoneName === "string" && v !== s.zoneName && !(v as string).endsWith(`.${s.zoneName}`)
            ? problem(k, v, `a name inside zoneName ${JSON.stringify(s.zoneName)} (the certificate is validated and the alias created in that zone)`)
            : undefined),
    zoneName: (k, v) => matches(k, v, HOSTNAME, "the public Route 53 hosted zone the domain is in, such as example.com"),
};

/** `baseline:alerts` */
export const ALERTS_CHECKS: SectionChecks = {
    emails: (k, v) =>
        Array.isArray(v) && v.length > 0
            ? v.map((e, i) => matches(`${k}[${i}]`, e, EMAIL, "an e-mail address such as ops@example.com")).find((p) => p)
            : problem(k, v, "a non-empty list of e-mail addresses"),
};

/** `baseline:logs` */
export const LOGS_CHECKS: SectionChecks = {
    retentionDays: (k, v) => oneOf(k, v, LOG_RETENTION_DAYS),
};

/** `baseline:kms` */
export const KMS_CHECKS: SectionChecks = {
    deletionWindowDays: (k, v) => intIn(k, v, KMS_DELETION_WINDOW_DAYS.min, KMS_DELETION_WINDOW_DAYS.max),
};
