import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assertSection } from "../config/checks";
import { DATABASE_CHECKS } from "../config/sections/database";
import { DatabaseConfig } from "../config/types";
import { requireOneOf } from "./checks";
import { DataStoreArgs, isolatedSubnetGroupArgs } from "./data-store-args";
import { postgresFamily } from "./engine-families";
import { encryptedLogGroup, rdsLogGroupName } from "./log-groups";
import { masterUserSecretArn } from "./master-secret";
import { dataIdentifier, finalSnapshotName } from "./naming";
import {
    POSTGRES_LOG_EXPORTS,
    enhancedMonitoringPolicyArn,
    monitoringTrustPolicy,
    postgresInstanceArgs,
    postgresParameterGroupArgs,
    postgresReplacedOn,
} from "./postgres-settings";
import { CREATE_BEFORE_DELETE, fixedNameOptions } from "./replacement";
import { DEFAULT_SERVER_CA, SERVER_CAS } from "./server-certificates";

export { POSTGRES_LOG_EXPORTS } from "./postgres-settings";

export interface PostgresArgs extends DataStoreArgs {
    /** `baseline:database`: engine, size, backups, windows, user names and monitoring. */
    database: DatabaseConfig;
    /** Certificate authority of the server certificate. Default `rds-ca-rsa2048-g1`. */
    caCertIdentifier?: string;
    /** The stack's workload permissions boundary (security/workload-boundary.ts), on every role created here. Default: none (infra/main.ts always sets it). */
    permissionsBoundaryArn?: pulumi.Input<string>;
}

const MONITORING_ROLE_SUFFIX = "-monitoring";

/** What the constructor needs once the arguments are known to be valid. */
interface PostgresPlan {
    identifier: string;
    family: string;
    caCertIdentifier: string;
}

/** The config section with the loader's own checks, then what only the component takes. Throws before anything is registered. */
function plan(component: string, args: PostgresArgs): PostgresPlan {
    assertSection(component, "database", DATABASE_CHECKS, args.database, args.environment);
    const caCertIdentifier = args.caCertIdentifier ?? DEFAULT_SERVER_CA;
    requireOneOf(component, "caCertIdentifier", caCertIdentifier, SERVER_CAS);
    const identifier = dataIdentifier(component, args.namePrefix, "postgres", 63);
    // The monitoring role is `<identifier>-monitoring`; IAM role names are at most 64 characters.
    if (`${identifier}${MONITORING_ROLE_SUFFIX}`.length > 64) {
        throw new Error(`${component}: the monitoring role name ${JSON.stringify(`${identifier}${MONITORING_ROLE_SUFFIX}`)} is over IAM's 64 characters: shorten namePrefix.`);
    }
    return { identifier, family: postgresFamily(args.database.engineVersion), caCertIdentifier };
}

/**
 * PostgreSQL on RDS in the isolated subnets: encrypted with the data key, TLS only, no password in config
 * or state (RDS keeps it in Secrets Manager), backed up, monitored, and logging to encrypted log groups.
 */
export class Postgres extends pulumi.ComponentResource {
    readonly endpoint: pulumi.Output<string>;
    readonly address: pulumi.Output<string>;
    readonly port: pulumi.Output<number>;
    /** Secret (managed by RDS, encrypted with the data key) holding the master user's name and password. */
    readonly masterUserSecretArn: pulumi.Output<string>;
    /** `db-...` resource id, for `rds-db:connect` IAM policies (IAM database authentication). */
    readonly resourceId: pulumi.Output<string>;
    /** The instance's ARN (AWS Backup selects it by ARN). */
    readonly arn: pulumi.Output<string>;
    /** `DBInstanceIdentifier`: the dimension of its CloudWatch metrics. */
    readonly identifier: pulumi.Output<string>;

    constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
        const p = plan(`Postgres ${name}`, args);
        super("baseline:data:Postgres", name, {}, opts);

        const subnetGroup = new aws.rds.SubnetGroup(`${name}-subnets`, isolatedSubnetGroupArgs(p.identifier, args.subnetIds), { parent: this });
        const parameterGroup = new aws.rds.ParameterGroup(
            `${name}-params`,
            postgresParameterGroupArgs(p.identifier, p.family, args.database.slowQueryThresholdMs),
            { parent: this, ...CREATE_BEFORE_DELETE },
        );
        const monitoring = this.monitoringRole(name, p.identifier, args.permissionsBoundaryArn);
        const logGroups = POSTGRES_LOG_EXPORTS.map((log) =>
            encryptedLogGroup(`${name}-log-${log}`, { name: rdsLogGroupName(p.identifier, log), retentionDays: args.logs.retentionDays, kmsKeyArn: args.logsKeyArn, retainOnDelete: args.protect }, this),
        );

        const instance = new aws.rds.Instance(
            `${name}-instance`,
            postgresInstanceArgs({
                identifier: p.identifier,
                database: args.database,
                caCertIdentifier: p.caCertIdentifier,
                dataKeyArn: args.dataKeyArn,
                securityGroupIds: args.securityGroupIds,
                subnetGroupName: subnetGroup.name,
                parameterGroupName: parameterGroup.name,
                monitoringRoleArn: monitoring.role.arn,
                finalSnapshotIdentifier: finalSnapshotName(name, p.identifier, this, postgresReplacedOn(p.identifier, args.database, args.dataKeyArn)),
            }),
            // The log groups must exist first, or RDS creates them unencrypted and without retention.
            { parent: this, dependsOn: [...logGroups, monitoring.attachment], ...fixedNameOptions(args.protect) },
        );

        this.endpoint = instance.endpoint;
        this.address = instance.address;
        this.port = instance.port;
        this.resourceId = instance.resourceId;
        this.arn = instance.arn;
        this.identifier = instance.identifier;
        this.masterUserSecretArn = instance.masterUserSecrets.apply((secrets) => masterUserSecretArn(`RDS instance ${p.identifier}`, secrets));
        // RDS rotates its managed secret itself (managed rotation, no Lambda), every 7 days unless told otherwise:
        // this sets the schedule from config. Not at once (rotateImmediately false): a new schedule is not a
        // reason to change the password under running services. Tasks read it at start (docs/runbooks/secrets.md).
        new aws.secretsmanager.SecretRotation(
            `${name}-password-rotation`,
            { secretId: this.masterUserSecretArn, rotationRules: { automaticallyAfterDays: args.database.passwordRotationDays }, rotateImmediately: false },
            { parent: this },
        );
        this.registerOutputs({
            endpoint: this.endpoint,
            address: this.address,
            port: this.port,
            resourceId: this.resourceId,
            arn: this.arn,
            identifier: this.identifier,
            masterUserSecretArn: this.masterUserSecretArn,
        });
    }

    /** The role RDS enhanced monitoring assumes, with the AWS managed policy attached. */
    private monitoringRole(name: string, identifier: string, permissionsBoundary?: pulumi.Input<string>) {
        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this });
        const role = new aws.iam.Role(
            `${name}-monitoring-role`,
            // Named under the stack's prefix (`<identifier>` starts with it): the deploy role manages only roles named `<namePrefix>-*`.
            { name: `${identifier}${MONITORING_ROLE_SUFFIX}`, description: `${identifier}: RDS enhanced monitoring`, permissionsBoundary, assumeRolePolicy: identity.accountId.apply((id) => JSON.stringify(monitoringTrustPolicy(id))) },
            { parent: this },
        );
        const attachment = new aws.iam.RolePolicyAttachment(
            `${name}-monitoring-policy`,
            // `id` is the role name; unlike the generated `name` output it is always set, offline too.
            { role: role.id, policyArn: partition.partition.apply(enhancedMonitoringPolicyArn) },
            { parent: this },
        );
        return { role, attachment };
    }
}
