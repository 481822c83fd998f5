import { EMAIL, HOSTNAME, LOG_RETENTION_DAYS, REGION, SectionChecks, intIn, isBoolean, matches, oneOf, problem } from "../checks";

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

/** AWS Budgets sends one notification to at most 10 e-mail addresses. */
export const ALERT_EMAILS_MAX = 10;

/** `baseline:alerts` */
export const ALERTS_CHECKS: SectionChecks = {
    emails: (k, v) =>
        Array.isArray(v) && v.length > 0 && v.length <= ALERT_EMAILS_MAX
            ? v.map((e, i) => matches(`${k}[${i}]`, e, EMAIL, "an e-mail address such as ops@example.com")).find((p) => p)
            : problem(k, v, `a list of 1 to ${ALERT_EMAILS_MAX} e-mail addresses (a budget notification takes at most ${ALERT_EMAILS_MAX})`),
    // A chat webhook's URL carries its token: the loader also requires the key to be set with --secret.
    httpsEndpoint: (k, v) =>
        v === undefined ? undefined : matches(k, v, HTTPS_URL, "unset, or an https:// URL that accepts SNS notifications (such as a chat webhook)"),
};

/** `baseline:logs` */
export const LOGS_CHECKS: SectionChecks = {
    retentionDays: (k, v) => oneOf(k, v, LOG_RETENTION_DAYS),
};

/** `baseline:kms` */
export const KMS_CHECKS: SectionChecks = {
    deletionWindowDays: (k, v) => intIn(k, v, KMS_DELETION_WINDOW_DAYS.min, KMS_DELETION_WINDOW_DAYS.max),
};

/** An https URL with a host name; SNS refuses a subscription to anything else as an `https` endpoint. */
export const HTTPS_URL = /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[^\s]*)?$/;

/** Monthly budget limits in USD. */
export const BUDGET_USD = { min: 1, max: 10_000_000 } as const;
/** AWS tag keys (user tags cannot start with `aws:`). */
const TAG_KEY = /^(?!aws:)[\p{L}\p{N}\s_.:/=+@-]{1,128}$/u;

/** `baseline:budget`. The loader checks that the tag is one of `aws:defaultTags`. */
export const BUDGET_CHECKS: SectionChecks = {
    monthlyLimitUsd: (k, v) => intIn(k, v, BUDGET_USD.min, BUDGET_USD.max),
    costAllocationTag: (k, v) => matches(k, v, TAG_KEY, "a tag key of aws:defaultTags.tags, such as Project"),
};

/** Trail logs: S3 Glacier Flexible Retrieval bills at least 90 days, so they expire no sooner after moving there. */
export const GLACIER_MINIMUM_DAYS = 90;
export const TRAIL_LOG_DAYS = { min: 1, max: 3653 } as const;

/** `baseline:audit` */
export const AUDIT_CHECKS: SectionChecks = {
    cloudTrail: (k, v) => isBoolean(k, v),
    glacierAfterDays: (k, v) => intIn(k, v, TRAIL_LOG_DAYS.min, TRAIL_LOG_DAYS.max - GLACIER_MINIMUM_DAYS),
    expireAfterDays: (k, v, _e, s) =>
        Number.isInteger(s.glacierAfterDays)
            ? intIn(k, v, (s.glacierAfterDays as number) + GLACIER_MINIMUM_DAYS, TRAIL_LOG_DAYS.max)
            : intIn(k, v, TRAIL_LOG_DAYS.min + GLACIER_MINIMUM_DAYS, TRAIL_LOG_DAYS.max),
};

/**
 * AWS Backup retention in days. Prod keeps daily points 35 days (the longest automated backups RDS keeps),
 * so a mistake found a month late is still recoverable.
 */
export const DAILY_RETENTION_DAYS = { prod: { min: 35, max: 3650 }, staging: { min: 1, max: 3650 } } as const;
export const MONTHLY_RETENTION_DAYS = { min: 28, max: 36500 } as const;

/** `baseline:backup`. The loader checks `copyRegion` against `aws:region`. */
export const BACKUP_CHECKS: SectionChecks = {
    dailyRetentionDays: (k, v, env) => intIn(k, v, DAILY_RETENTION_DAYS[env].min, DAILY_RETENTION_DAYS[env].max),
    monthlyRetentionDays: (k, v, _e, s) =>
        intIn(k, v, Math.max(MONTHLY_RETENTION_DAYS.min, Number.isInteger(s.dailyRetentionDays) ? (s.dailyRetentionDays as number) : 0), MONTHLY_RETENTION_DAYS.max),
    copyRegion: (k, v, env) =>
        v === undefined
            ? env === "prod" ? problem(k, v, "a second AWS region such as eu-central-1 in prod (recovery points must survive the loss of a region)") : undefined
            : matches(k, v, REGION, "an AWS region such as eu-central-1, other than aws:region"),
};

/** GitHub owner and repository names: no wildcard can widen the OIDC subject. */
export const GITHUB_REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
/** Branch and environment names as they appear in the subject claim: no `*`, `?`, `:` or spaces. */
const GIT_REF_NAME = /^(?!.*\.\.)(?!\/)[A-Za-z0-9._\/-]{1,200}(?<![./])$/;
const GITHUB_ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;
/** The account's GitHub OIDC provider (github.com's issuer). */
export const GITHUB_OIDC_PROVIDER_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/** `baseline:deploy` */
export const DEPLOY_CHECKS: SectionChecks = {
    repository: (k, v, env) =>
        v === undefined
            ? env === "prod" ? problem(k, v, "the owner/repository that deploys prod (prod deploys only through the OIDC roles)") : undefined
            : matches(k, v, GITHUB_REPOSITORY, "owner/repository, such as acme/pos-api, without wildcards"),
    branch: (k, v) => matches(k, v, GIT_REF_NAME, "a branch name such as main, without wildcards"),
    environment: (k, v) => (v === undefined ? undefined : matches(k, v, GITHUB_ENVIRONMENT, "unset, or a GitHub environment name such as production")),
    oidcProviderArn: (k, v) =>
        v === undefined ? undefined : matches(k, v, GITHUB_OIDC_PROVIDER_ARN, "unset (the stack creates it), or arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com"),
};
