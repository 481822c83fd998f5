import * as aws from "@pulumi/aws";
import { ofType } from "../lib/by-type";
import { Policies } from "@pulumi/policy";
import { StackResource, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { isSet, isUnknown, show } from "../lib/props";
import { refersTo } from "../lib/joins";

const SECRET = tokenOf(aws.secretsmanager.Secret);
const ROTATION = tokenOf(aws.secretsmanager.SecretRotation);

/** sec-01: secrets are encrypted with a key whose policy the account controls, not the AWS-managed one. */
export const secretsKmsKey = resourcePolicy({
    name: "secrets-kms-key",
    description: "Secrets Manager secrets must be encrypted with a customer-managed KMS key.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Set `kmsKeyId` on the aws.secretsmanager.Secret to a customer-managed aws.kms.Key (its ARN or alias), not `alias/aws/secretsmanager`.",
    catalogue: ["sec-01"],
    types: [aws.secretsmanager.Secret],
    check: (secret, _ctx, report) => {
        const key = secret.kmsKeyId;
        if (!isSet(key)) {
            report.violation("Secrets Manager secret must be encrypted with a customer-managed KMS key: kmsKeyId is unset, so AWS uses aws/secretsmanager, expected a customer key.");
        } else if (key === "alias/aws/secretsmanager") {
            report.violation(`Secrets Manager secret must be encrypted with a customer-managed KMS key: kmsKeyId is ${show(key)}, the AWS-managed key, expected a customer key.`);
        }
    },
});

/**
 * Longest interval, in days, between two runs of a Secrets Manager rotation schedule: `rate(N days)`,
 * `rate(N hours)` or a monthly/weekly/daily `cron(...)`. Undefined when it cannot be bounded simply
 * (e.g. a cron limited to some months); callers then ask for an explicit interval.
 */
export function scheduleIntervalDays(expression: string): number | undefined {
    const rate = /^rate\(\s*(\d+)\s+(day|days|hour|hours)\s*\)$/.exec(expression.trim());
    if (rate) return rate[2].startsWith("day") ? Number(rate[1]) : Number(rate[1]) / 24;
    const cron = /^cron\((.*)\)$/.exec(expression.trim());
    if (!cron) return undefined;
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6) return undefined;
    const [, , dayOfMonth, month, dayOfWeek] = fields;
    if (month !== "*") return undefined;
    if (dayOfMonth !== "?") {
        if (dayOfMonth === "*") return 1;
        if (dayOfMonth === "L") return 31;
        // Days 1..28 exist in every month, so the job runs at least monthly.
        const days = dayOfMonth.match(/\d+/g) ?? [];
        return /^[\d,\-/*]+$/.test(dayOfMonth) && days.every((d) => Number(d) <= 28) ? 31 : undefined;
    }
    if (dayOfWeek === "*" || dayOfWeek === "?") return 1;
    // `MON#1` (first Monday) and `FRIL` (last Friday) run monthly: at most five weeks apart.
    return /[#L]/.test(dayOfWeek) ? 35 : 7;
}

/** Tag value that marks a secret which cannot rotate automatically (see `manualRotationTag`). */
export const MANUAL_ROTATION = "manual";

/** Whether a `secretId` (its name, or its ARN, which ends in `:secret:<name>-<6 random characters>`) names `secret`. */
function namesSecret(id: string, secret: StackResource): boolean {
    const name = secret.props.name;
    if (typeof name !== "string" || isUnknown(name)) return false;
    return id === name || new RegExp(`:secret:${name.replace(/[.+?^${}()|[\]\\]/g, "\\$&")}-[A-Za-z0-9]{6}$`).test(id);
}

interface RotationConfig {
    maximumRotationDays: number;
    manualRotationTag: string;
}

/** sec-02: every secret that can rotate does, at least every N days. */
export const secretsRotation = stackPolicy<RotationConfig>({
    name: "secrets-rotation",
    description: "Secrets Manager secrets must rotate automatically at least every configured number of days, unless tagged as rotated manually.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps:
        "Add an aws.secretsmanager.SecretRotation with `secretId: secret.id` and `rotationRules.automaticallyAfterDays` within the limit. " +
        "A secret that cannot rotate automatically (a vendor-issued API key) carries the tag `rotation: manual` instead. " +
        "RDS-managed master passwords (`manageMasterUserPassword`) are rotated by RDS and are not Secret resources.",
    securityHub: ["SecretsManager.1", "SecretsManager.4"],
    catalogue: ["sec-02"],
    config: {
        maximumRotationDays: { type: "integer", minimum: 1, maximum: 1000, default: 90, description: "Longest interval allowed between rotations." },
        manualRotationTag: {
            type: "string", minLength: 1, default: "rotation",
            description: `Tag key that, with the value "${MANUAL_ROTATION}", marks a secret that cannot rotate automatically; such secrets are not checked.`,
        },
    },
    check: (resources, { config }, report) => {
        const rotations = ofType(resources, ROTATION);
        const max = config.maximumRotationDays;
        for (const secret of ofType(resources, SECRET)) {
            const found = rotations.filter((r) => refersTo(r, "secretId", secret, { matches: namesSecret }));
            const tags = secret.props.tags;
            if (found.length === 0) {
                if (isUnknown(tags)) report.unverifiable(secret, "tags", `the secret is tagged ${config.manualRotationTag}: ${MANUAL_ROTATION} or rotates`);
                else if (tags?.[config.manualRotationTag] !== MANUAL_ROTATION) {
                    report.violation(secret, `Secrets Manager secret must rotate automatically: no aws.secretsmanager.SecretRotation targets it, expected one every ${max} days or fewer (or the tag ${config.manualRotationTag}: ${MANUAL_ROTATION} when it cannot rotate).`);
                }
                continue;
            }
            for (const rotation of found) {
                const p = rotation.props;
                if (isUnknown(p.rotationEnabled)) report.unverifiable(rotation, "rotationEnabled", "rotation is enabled");
                else if (p.rotationEnabled === false) {
                    report.violation(secret, "Secrets Manager secret must rotate automatically: its SecretRotation has rotationEnabled false, expected true or unset.");
                }
                const days = p.rotationRules?.automaticallyAfterDays;
                const schedule = p.rotationRules?.scheduleExpression;
                if (isUnknown(p.rotationRules)) report.unverifiable(rotation, "rotationRules", `rotation runs at least every ${max} days`);
                else if (isUnknown(days)) report.unverifiable(rotation, "rotationRules.automaticallyAfterDays", `rotation runs at least every ${max} days`);
                else if (typeof days === "number") {
                    if (days > max) report.violation(secret, `Secrets Manager secret must rotate at least every ${max} days: rotationRules.automaticallyAfterDays is ${days}, expected ${max} or fewer.`);
                } else if (isUnknown(schedule)) report.unverifiable(rotation, "rotationRules.scheduleExpression", `rotation runs at least every ${max} days`);
                else if (typeof schedule === "string") {
                    const interval = scheduleIntervalDays(schedule);
                    if (interval === undefined) {
                        report.violation(secret, `Secrets Manager secret must rotate at least every ${max} days: rotationRules.scheduleExpression ${show(schedule)} has no interval this check can bound, expected rate(N days) or automaticallyAfterDays.`);
                    } else if (interval > max) {
                        report.violation(secret, `Secrets Manager secret must rotate at least every ${max} days: rotationRules.scheduleExpression ${show(schedule)} runs up to ${interval} days apart, expected ${max} or fewer.`);
                    }
                } else {
                    report.violation(secret, "Secrets Manager secret must rotate on a schedule: its SecretRotation has no rotationRules.automaticallyAfterDays or scheduleExpression, expected one.");
                }
            }
        }
    },
});

/** Names that usually hold credentials; matched case-insensitively anywhere in the parameter name. */
export const SECRET_NAME_PATTERNS = [
    "passw(or)?d", "(^|[-_./])pass($|[-_./])", "(^|[-_./])pwd($|[-_./])", "secret", "token", "api[-_.]?key", "private[-_.]?key", "access[-_.]?key", "signing[-_.]?key",
    "credential", "conn(ection)?[-_.]?str(ing)?", "dsn",
];

/** ssm-01: a parameter that looks like a credential is stored encrypted. */
export const ssmSecureString = resourcePolicy<{ secretNamePatterns: string[] }>({
    name: "ssm-secure-string",
    description: "SSM parameters whose names look like secrets must be of type SecureString.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `type: \"SecureString\"` (with `keyId` for a customer key) on the aws.ssm.Parameter, or keep credentials in Secrets Manager.",
    catalogue: ["ssm-01"],
    config: {
        secretNamePatterns: {
            type: "array", items: { type: "string", minLength: 1 }, minItems: 1, default: SECRET_NAME_PATTERNS,
            description: "Regular expressions (case-insensitive, matched anywhere) for parameter names that hold secrets.",
        },
    },
    types: [aws.ssm.Parameter],
    check: (param, { config, name }, report) => {
        if (param.type === "SecureString") return;
        // Without a name the provider names the parameter after the logical name.
        const paramName = param.name ?? name;
        const rule = "a parameter with a secret-looking name is a SecureString";
        if (isUnknown(paramName)) {
            report.unverifiable("name", paramName, rule);
            return;
        }
        const pattern = config.secretNamePatterns.find((p) => new RegExp(p, "i").test(paramName));
        if (pattern === undefined) return;
        if (isUnknown(param.type)) report.unverifiable("type", param.type, rule);
        else {
            report.violation(`SSM parameter must be a SecureString when its name looks secret: ${show(paramName)} matches ${show(pattern)} and type is ${show(param.type)}, expected "SecureString".`);
        }
    },
});

export const secretsPolicies: Policies = [secretsKmsKey, secretsRotation, ssmSecureString];
