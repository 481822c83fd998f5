import * as aws from "@pulumi/aws";
import { resourcePolicy } from "../lib/define";
import { isSet, isUnknown, show } from "../lib/props";
import { DATABASES, RDS_INSTANCE, checkFlag, credentialFields, labelOf } from "./database-types";

/** Policies on who can reach a database and how they sign in. */

/** rds-01: no public endpoint. Aurora instances are aws.rds.ClusterInstance: the cluster has no such input. */
export const rdsNoPublicAccess = resourcePolicy({
    name: "rds-no-public-access",
    description: "RDS instances, including Aurora cluster instances, must not be publicly accessible.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: "Remove `publiclyAccessible` (or set it to false) on the aws.rds.Instance or aws.rds.ClusterInstance; reach the database from inside the VPC.",
    securityHub: ["RDS.2"],
    catalogue: ["rds-01"],
    types: [aws.rds.Instance, aws.rds.ClusterInstance],
    check: (db, { type }, report) => {
        checkFlag(db, labelOf(type), { field: "publiclyAccessible", expected: false, awsDefault: false, must: "not be publicly accessible", holds: "the database is not publicly accessible" }, report);
    },
});

/** Engines with IAM database authentication (RDS for MySQL, MariaDB and PostgreSQL). */
const IAM_AUTH_ENGINES = ["postgres", "mysql", "mariadb"];

/** rds-06: short-lived IAM tokens instead of long-lived database passwords for applications. */
export const rdsIamAuthentication = resourcePolicy({
    name: "rds-iam-authentication",
    description: "RDS instances of engines that support it must enable IAM database authentication.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Set `iamDatabaseAuthenticationEnabled: true` on the aws.rds.Instance and grant `rds-db:connect` to the roles that connect.",
    securityHub: ["RDS.10"],
    catalogue: ["rds-06"],
    types: [aws.rds.Instance],
    check: (db, { type }, report) => {
        const engine = db.engine;
        if (typeof engine === "string" && !isUnknown(engine) && !IAM_AUTH_ENGINES.includes(engine)) return;
        checkFlag(db, labelOf(type), { field: "iamDatabaseAuthenticationEnabled", expected: true, awsDefault: false, must: "enable IAM database authentication", holds: "IAM database authentication is on" }, report);
    },
});

/** Master user names an attacker tries first (engine defaults and habits). */
export const DEFAULT_MASTER_USERNAMES = ["postgres", "admin", "root", "administrator", "master", "sa", "rdsadmin"];

/** rds-10: a guessable master user name halves the work of a password attack. */
export const rdsCustomMasterUsername = resourcePolicy<{ forbiddenUsernames: string[] }>({
    name: "rds-custom-master-username",
    description: "RDS instances and clusters and DocumentDB clusters must not use a well-known master user name.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Set `username` (instances) or `masterUsername` (clusters) to a name of your own. It cannot change in place: a new name replaces the database.",
    securityHub: ["RDS.25", "RDS.24"],
    catalogue: ["rds-10"],
    config: {
        forbiddenUsernames: { type: "array", items: { type: "string" }, default: DEFAULT_MASTER_USERNAMES, description: "Master user names rejected (compared case-insensitively)." },
    },
    types: DATABASES,
    check: (db, { type, config }, report) => {
        const field = credentialFields(type).username;
        const value = db[field];
        if (isUnknown(value)) {
            report.unverifiable(field, value, "the master user name is not a well-known default");
            return;
        }
        if (typeof value !== "string") return; // replicas and snapshot restores inherit theirs
        const forbidden = config.forbiddenUsernames.map((n) => n.toLowerCase());
        if (forbidden.includes(value.toLowerCase())) {
            report.violation(`${labelOf(type)} must not use a well-known master user name: ${field} is ${show(value)}, expected a name other than ${config.forbiddenUsernames.join(", ")}.`);
        }
    },
});

/** rds-14: RDS keeps the master password in Secrets Manager, so it is never in code, config or state. */
export const rdsManagedMasterPassword = resourcePolicy({
    name: "rds-managed-master-password",
    description: "RDS instances and clusters and DocumentDB clusters must let the service manage the master password (manageMasterUserPassword) instead of taking a literal one.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Remove `password`/`passwordWo` (instances) or `masterPassword`/`masterPasswordWo` (clusters) and set `manageMasterUserPassword: true`; " +
        "applications read the secret named by the `masterUserSecrets` output.",
    catalogue: ["rds-14"],
    types: DATABASES,
    check: (db, { type }, report) => {
        const what = labelOf(type);
        const fields = credentialFields(type);
        // Never print the value: it is the password (the evaluator has already unwrapped the secret).
        for (const field of [fields.password, fields.passwordWo]) {
            if (isSet(db[field])) {
                report.violation(`${what} must not take a literal master password: ${field} is set, expected no password and manageMasterUserPassword: true.`);
            }
        }
        // A read replica has no master password of its own to manage.
        if (type === RDS_INSTANCE && isSet(db.replicateSourceDb)) return;
        checkFlag(db, what, { field: "manageMasterUserPassword", expected: true, awsDefault: false, must: "let AWS manage its master password", holds: "AWS manages the master password" }, report);
    },
});
