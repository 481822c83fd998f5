import { KmsAction } from "./kms-actions";

/**
 * KMS key policy documents, as pure functions of the account, partition and region, so each key's
 * grants can be read and tested without AWS. Every key starts from the same root statement (IAM
 * policies in the account decide who administers it); each then names only the services that may use it.
 * The one exception is the ECS Exec session key, which no service stands between (see execSessionKeyPolicy).
 */

/** Where the key lives: what the ARNs and service endpoints in a policy are built from. */
export interface KeyPolicyContext {
    /** 12-digit account id. */
    accountId: string;
    /** `aws`, `aws-cn`, `aws-us-gov`. */
    partition: string;
    /** e.g. `eu-west-1`. */
    region: string;
    /** DNS suffix of service endpoints in this partition; `amazonaws.com` unless given. */
    dnsSuffix?: string;
}

export interface PolicyStatement {
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal: { AWS: string } | { Service: string };
    Action: string | string[];
    Resource: string;
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/** What a service needs to encrypt and decrypt on a caller's behalf (grants included, for RDS, ElastiCache and ECR). */
export const SERVICE_USE_ACTIONS = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:CreateGrant",
    "kms:ListGrants",
    "kms:DescribeKey",
];

/**
 * Administration of one key, each action by name: a wildcard would also grant actions AWS adds later,
 * and `kms:Create*` already included kms:CreateGrant, with which an administrator could grant itself
 * decrypt. Left out: every use action, kms:CreateGrant (the services' statement has it, through the
 * service), kms:ReplicateKey (a replica gets a new policy), import actions (keys with KMS-made material)
 * and account-level actions (kms:CreateKey, kms:ListKeys...), which a key policy cannot scope.
 */
export const KEY_ADMIN_ACTIONS: readonly KmsAction[] = [
    "kms:DescribeKey",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:GetKeyLastUsage",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:UpdateKeyDescription",
    "kms:CreateAlias",
    "kms:UpdateAlias",
    "kms:DeleteAlias",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:EnableKey",
    "kms:DisableKey",
    "kms:EnableKeyRotation",
    "kms:DisableKeyRotation",
    "kms:RotateKeyOnDemand",
    "kms:RevokeGrant",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
];

const root = (ctx: KeyPolicyContext) => `arn:${ctx.partition}:iam::${ctx.accountId}:root`;
const endpoint = (ctx: KeyPolicyContext, service: string) => `${service}.${ctx.region}.${ctx.dnsSuffix ?? "amazonaws.com"}`;

/**
 * Lets IAM policies of the account administer the key but not use it: encryption and decryption only
 * happen through the services named below. The one way round it is the policy itself: whoever holds
 * kms:PutKeyPolicy (someone must, or AWS refuses the policy as a lockout) can rewrite it to allow use,
 * and that call is recorded by CloudTrail like every KMS call.
 */
export function accountRootStatement(ctx: KeyPolicyContext): PolicyStatement {
    return { Sid: "EnableKeyAdministrationByIam", Effect: "Allow", Principal: { AWS: root(ctx) }, Action: [...KEY_ADMIN_ACTIONS], Resource: "*" };
}

/**
 * Use of the key by principals of this account, only when the request comes through one of `services`
 * (RDS and ECR create grants, hence kms:CreateGrant). The "*" principal is bounded by kms:CallerAccount, the
 * pattern AWS managed keys use: without it, the root statement would let any IAM policy grant direct use.
 */
export function viaServicesStatement(ctx: KeyPolicyContext, sid: string, services: string[]): PolicyStatement {
    return {
        Sid: sid,
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: SERVICE_USE_ACTIONS,
        Resource: "*",
        Condition: {
            StringEquals: {
                "kms:CallerAccount": ctx.accountId,
                "kms:ViaService": services.map((s) => endpoint(ctx, s)),
            },
        },
    };
}

/**
 * What Parameter Store asks of KMS for a SecureString, as the caller: kms:Encrypt to write a standard
 * parameter, kms:GenerateDataKey to write an advanced one (envelope encryption through the AWS Encryption
 * SDK), kms:Decrypt to read either; no grant (AWS KMS Developer Guide, "How AWS Systems Manager Parameter
 * Store uses AWS KMS", "Setting permissions to encrypt and decrypt parameter values").
 */
export const SSM_PARAMETER_USE_ACTIONS: readonly KmsAction[] = ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"];

/** A Parameter Store path such as `/pos/prod/`: SSM name characters only, so no IAM wildcard. */
export const PARAMETER_PATH = /^\/(?:[a-zA-Z0-9_.-]+\/)+$/;

/**
 * SecureString parameters under the data key, as IAM decides. The principal is the account, not "*": in
 * a key policy the account principal grants no IAM user or role anything by itself, it lets the account's
 * IAM policies delegate the statement's permissions (AWS KMS Developer Guide, "Default key policy", "Allows
 * access to the AWS account and enables IAM policies"). So a principal reads a SecureString only with
 * ssm:GetParameter* on it AND kms:Decrypt on this key in its own IAM policy (the execution roles: for their
 * own parameters' ARNs), where a "*" principal bounded by kms:CallerAccount would let every principal of the
 * account through with ssm:GetParameter alone. Only through SSM, and with `parameterPath`, only for the
 * stack's parameters: SSM sends `PARAMETER_ARN` = the parameter's ARN as encryption context on each of
 * these calls (same guide, "Parameter Store encryption context").
 */
export function ssmParametersThroughIamStatement(ctx: KeyPolicyContext, parameterPath?: string): PolicyStatement {
    if (parameterPath !== undefined && !PARAMETER_PATH.test(parameterPath)) {
        throw new Error(`parameterPath ${JSON.stringify(parameterPath)} is not a Parameter Store path: expected "/<segment>/.../" of letters, digits, "_", "." or "-".`);
    }
    return {
        Sid: "AllowSsmParametersThroughIam",
        Effect: "Allow",
        Principal: { AWS: root(ctx) },
        Action: [...SSM_PARAMETER_USE_ACTIONS],
        Resource: "*",
        Condition: {
            StringEquals: { "kms:CallerAccount": ctx.accountId, "kms:ViaService": endpoint(ctx, "ssm") },
            ...(parameterPath === undefined
                ? {}
                : { StringLike: { "kms:EncryptionContext:PARAMETER_ARN": `arn:${ctx.partition}:ssm:${ctx.region}:${ctx.accountId}:parameter${parameterPath}*` } }),
        },
    };
}

/**
 * The data key: RDS storage, Performance Insights and DocumentDB (all through the RDS endpoint),
 * Secrets Manager secrets (the managed master password, the Redis auth token, app secrets) and
 * ElastiCache for principals of the account (RDS-managed secrets and their rotation rely on it); and the
 * application's SecureString parameters under `parameterPath` (e.g. `/pos/prod/`), through SSM, only for
 * principals whose own IAM policy allows it (ssmParametersThroughIamStatement).
 */
export function dataKeyPolicy(ctx: KeyPolicyContext, parameterPath?: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            accountRootStatement(ctx),
            viaServicesStatement(ctx, "AllowDataServicesInAccount", ["rds", "secretsmanager", "elasticache"]),
            ssmParametersThroughIamStatement(ctx, parameterPath),
        ],
    };
}

/**
 * The logs key: CloudWatch Logs encrypts log groups itself, so its regional service principal gets the
 * key, but only for log groups of this account and region (the encryption context names the group).
 */
export function logsKeyPolicy(ctx: KeyPolicyContext): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            accountRootStatement(ctx),
            {
                Sid: "AllowCloudWatchLogsForAccountLogGroups",
                Effect: "Allow",
                Principal: { Service: endpoint(ctx, "logs") },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                Resource: "*",
                Condition: {
                    ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:*` },
                },
            },
        ],
    };
}

/** The one distribution that may decrypt through origin access control, and the bucket it reads. */
export interface CloudFrontDecrypt {
    /** `arn:aws:cloudfront::<account>:distribution/<id>`. */
    distributionArn: string;
    /** The assets bucket's ARN: S3 names it in the encryption context of every object it serves from there. */
    assetsBucketArn: string;
}

/**
 * The storage key: S3 SSE-KMS and ECR repositories, for principals of this account. When a repository is
 * created, ECR calls DescribeKey and CreateGrant (two grants, the repository as grantee) through its
 * endpoint on behalf of the principal creating it, so `ecr` is one of the services. Pushes and pulls use
 * those grants: the ECR guide asks no KMS permission of whoever pushes or pulls (an ECS execution role included).
 * Deleting a repository retires its grants as the deleting principal: that principal needs
 * kms:RetireGrant in its own IAM policy, which a key policy cannot give (AWS ignores it there).
 * With `cloudFront`, CloudFront (origin access control) can serve objects encrypted with it, for that one
 * distribution only and only objects of the assets bucket (see cloudFrontDecryptStatement).
 */
export function storageKeyPolicy(ctx: KeyPolicyContext, cloudFront?: CloudFrontDecrypt): PolicyDocument {
    const statements = [accountRootStatement(ctx), viaServicesStatement(ctx, "AllowS3AndEcrInAccount", ["s3", "ecr"])];
    if (cloudFront) statements.push(cloudFrontDecryptStatement(cloudFront));
    return { Version: "2012-10-17", Statement: statements };
}

/**
 * AWS's key policy statement for origin access control with SSE-KMS (CloudFront Developer Guide, "Restrict
 * access to an Amazon S3 origin": principal cloudfront.amazonaws.com, StringEquals AWS:SourceArn = the
 * distribution), reduced to kms:Decrypt: CloudFront only reads, and kms:Encrypt / kms:GenerateDataKey* there
 * serve uploads through CloudFront. Narrowed further to the assets bucket by the encryption context S3
 * sends: with an S3 Bucket Key (the assets bucket's default) it is the bucket's ARN, per object otherwise
 * (an object written with the bucket key turned off), so both forms of that one bucket, no other bucket.
 */
function cloudFrontDecryptStatement(cf: CloudFrontDecrypt): PolicyStatement {
    return {
        Sid: "AllowCloudFrontDistributionDecryptOfAssets",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: {
            StringEquals: { "AWS:SourceArn": cf.distributionArn },
            StringLike: { "kms:EncryptionContext:aws:s3:arn": [cf.assetsBucketArn, `${cf.assetsBucketArn}/*`] },
        },
    };
}

/** ECS Exec's use of its session key: the agent in the task decrypts, the operator's client generates the data key. */
export const EXEC_SESSION_ACTIONS: readonly KmsAction[] = ["kms:Decrypt", "kms:GenerateDataKey"];

/**
 * The ECS Exec session key: encrypts the data channel between the operator's Session Manager client and
 * the SSM agent in the container. No AWS service makes these calls: the client calls GenerateDataKey with
 * the operator's credentials and the agent calls Decrypt with the task role's, so a `kms:ViaService`
 * statement cannot serve, and this is the one key whose policy lets principals of the account use it
 * directly. Only those two actions, and only as IAM decides: the principal is the account, so a
 * principal may use the key only where its own IAM policy allows the action on this key's ARN (the task
 * roles hold kms:Decrypt on it; operators need kms:GenerateDataKey on it), never every principal of the
 * account as a "*" principal would. kms:CallerAccount bounds it to the account all the same, should the
 * principal ever be widened. The administrative statement is every key's, and holds no use.
 */
export function execSessionKeyPolicy(ctx: KeyPolicyContext): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            accountRootStatement(ctx),
            {
                Sid: "AllowDirectEcsExecSessionUseThroughIam",
                Effect: "Allow",
                Principal: { AWS: root(ctx) },
                Action: [...EXEC_SESSION_ACTIONS],
                Resource: "*",
                Condition: { StringEquals: { "kms:CallerAccount": ctx.accountId } },
            },
        ],
    };
}
