/**
 * IAM documents of a service's two roles, as plain JSON built from known values, so each grant can be
 * read in the diff and tested exactly. Nothing here names an AWS managed policy, and no statement allows
 * `*` as an action; `*` as a resource appears only where AWS accepts nothing narrower (said beside it).
 */
import { serviceTrustPolicy } from "../security/trust-policies";
import { ResolvedSecret, distinct } from "./secret-refs";

export interface PolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/** Where the service lives: what ARNs and `kms:ViaService` endpoints are built from. */
export interface IamContext {
    partition: string;
    region: string;
    accountId: string;
    /** `amazonaws.com` in the commercial partition. */
    dnsSuffix: string;
}

const viaService = (ctx: IamContext, service: string) => ({ StringEquals: { "kms:ViaService": `${service}.${ctx.region}.${ctx.dnsSuffix}` } });

/** Only ECS tasks of this account may assume the roles (the confused deputy: see trust-policies.ts). */
export function ecsTasksTrustPolicy(accountId: string) {
    return serviceTrustPolicy({ sid: "EcsTasksAssumeRole", service: "ecs-tasks.amazonaws.com", accountId });
}

/** A log group and its streams: `<arn>:*` is the form CloudWatch Logs authorizes stream writes against. */
const groupAndStreams = (groupArn: string) => [groupArn, `${groupArn}:*`];

/**
 * The execution role's fixed part: pull the service's own image, write its own log group. Built from
 * names only, so it is known on a stack's first preview.
 */
export function executionBasePolicy(repositoryArn: string, logGroupArn: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            // ecr:GetAuthorizationToken has no resource-level permissions: AWS accepts only "*". It returns a
            // registry login, which by itself reads nothing; the pulls below are limited to one repository.
            { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            {
                Sid: "PullOwnImage",
                Effect: "Allow",
                Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                Resource: repositoryArn,
            },
            { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: groupAndStreams(logGroupArn) },
        ],
    };
}

export interface SecretGrants {
    secrets: ResolvedSecret[];
    /** The stack's data key (PostgreSQL, Redis, application secrets and the stack's SecureString parameters). */
    dataKeyArn: string;
    /** Customer keys of SecureString parameters; none means `aws/ssm`, which needs no grant. */
    parameterKeyArns: string[];
}

/**
 * Exactly the secrets and parameters the task definition references, and decryption of them only
 * through the service that holds them. Undefined when the service references none.
 */
export function executionSecretsPolicy(ctx: IamContext, grants: SecretGrants): PolicyDocument | undefined {
    const secrets = grants.secrets.filter((s) => s.kind === "secret");
    const parameters = grants.secrets.filter((s) => s.kind === "parameter");
    const statements: PolicyStatement[] = [];
    if (secrets.length > 0) {
        statements.push({ Sid: "ReadReferencedSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: distinct(secrets.map((s) => s.arn)) });
    }
    if (parameters.length > 0) {
        statements.push({ Sid: "ReadReferencedParameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: distinct(parameters.map((s) => s.arn)) });
    }
    // DocumentDB's secret uses aws/secretsmanager: that key's own policy admits the account through Secrets Manager.
    if (secrets.some((s) => s.key === "data")) {
        statements.push({ Sid: "DecryptSecretsThroughSecretsManager", Effect: "Allow", Action: "kms:Decrypt", Resource: grants.dataKeyArn, Condition: viaService(ctx, "secretsmanager") });
    }
    if (parameters.some((p) => p.key === "parameter") && grants.parameterKeyArns.length > 0) {
        statements.push({ Sid: "DecryptParametersThroughSsm", Effect: "Allow", Action: "kms:Decrypt", Resource: distinct(grants.parameterKeyArns), Condition: viaService(ctx, "ssm") });
    }
    // The stack's own SecureStrings: SSM decrypts a parameter with the encryption context PARAMETER_ARN = its ARN
    // (AWS KMS Developer Guide, "How AWS Systems Manager Parameter Store uses AWS KMS"), so the grant names exactly them.
    const settings = parameters.filter((p) => p.key === "dataViaSsm");
    if (settings.length > 0) {
        statements.push({
            Sid: "DecryptSettingsThroughSsm",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: grants.dataKeyArn,
            Condition: { StringEquals: { ...viaService(ctx, "ssm").StringEquals, "kms:EncryptionContext:PARAMETER_ARN": distinct(settings.map((p) => p.arn)) } },
        });
    }
    return statements.length > 0 ? { Version: "2012-10-17", Statement: statements } : undefined;
}

export interface AssetsGrant {
    bucketArn: string;
    /** Key prefix ending in `/`, without IAM wildcards (checked by validateServiceArgs). */
    prefix: string;
    access: "read" | "read-write";
    /** The storage key the bucket encrypts with. */
    kmsKeyArn: string;
}

export interface ExecGrant {
    logGroupArn: string;
    kmsKeyArn: string;
}

/** What the application code may do: only what its config names. Undefined when that is nothing. */
export function taskPolicy(ctx: IamContext, grants: { assets?: AssetsGrant; exec?: ExecGrant }): PolicyDocument | undefined {
    const statements = [...(grants.assets ? assetsStatements(ctx, grants.assets) : []), ...(grants.exec ? execStatements(grants.exec) : [])];
    return statements.length > 0 ? { Version: "2012-10-17", Statement: statements } : undefined;
}

function assetsStatements(ctx: IamContext, a: AssetsGrant): PolicyStatement[] {
    const write = a.access === "read-write";
    return [
        {
            Sid: write ? "ReadWriteAssetsPrefix" : "ReadAssetsPrefix",
            Effect: "Allow",
            Action: write ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] : "s3:GetObject",
            Resource: `${a.bucketArn}/${a.prefix}*`,
        },
        { Sid: "ListAssetsPrefix", Effect: "Allow", Action: "s3:ListBucket", Resource: a.bucketArn, Condition: { StringLike: { "s3:prefix": `${a.prefix}*` } } },
        // Reading SSE-KMS objects needs Decrypt; writing needs GenerateDataKey (and Decrypt, for multipart uploads).
        { Sid: "UseStorageKeyThroughS3", Effect: "Allow", Action: write ? ["kms:Decrypt", "kms:GenerateDataKey"] : "kms:Decrypt", Resource: a.kmsKeyArn, Condition: viaService(ctx, "s3") },
    ];
}

/** ECS Exec: the SSM agent in the task opens the session channels and logs the session. */
function execStatements(e: ExecGrant): PolicyStatement[] {
    return [
        // Session Manager's channel actions have no resource-level permissions: AWS accepts only "*".
        {
            Sid: "EcsExecChannels",
            Effect: "Allow",
            Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
            Resource: "*",
        },
        // The agent checks the log group's encryption first; DescribeLogGroups is a list action that accepts only "*".
        { Sid: "EcsExecFindLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
        { Sid: "EcsExecSessionLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], Resource: groupAndStreams(e.logGroupArn) },
        // The agent decrypts the session's data key itself, not through another service.
        { Sid: "EcsExecSessionKey", Effect: "Allow", Action: "kms:Decrypt", Resource: e.kmsKeyArn },
    ];
}
