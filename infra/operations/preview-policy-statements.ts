/**
 * The preview role's permissions: read-only, enough for `pulumi preview` of a pull request. A preview calls
 * the program's data sources (the caller's identity, the region's zones, CloudFront's prefix list, the
 * hosted zone, referenced secrets' metadata, CloudFront's managed policies); `--refresh` also reads each
 * resource, which the Describe/List/Get statements below allow on the stack's resources, scoped like the
 * deploy role's.
 *
 * Never a secret value: no secretsmanager:GetSecretValue, no ssm:GetParameter*, no kms:Decrypt, no
 * s3:GetObject, no log events. So `pulumi preview --refresh` cannot read back the stack's secret versions
 * and SSM parameters (the provider reads a parameter with decryption, and a secret version's value): run
 * pull-request previews without `--refresh`, and refresh in the deploy job (`pulumi up --refresh`), whose
 * role may read what the stack itself wrote. For the same reason it reads no SNS subscription (the webhook's
 * URL and token), no task definition (ECS answers for every task definition of the account, plain environment
 * included) and only the EC2 describes the stack's network needs: a refresh of those resources needs the deploy role.
 */
import { DeployPolicyContext, Document, EC2_READS, Statement, arn, doc, everyRegion, roleArn, stackLogGroups, stackTagIs, wafArns } from "./deploy-policies";

/** Action names a read-only role may hold: these verbs, and the few read actions named otherwise. */
export const READ_ONLY_VERBS = ["Describe", "List", "Get"] as const;
export const READ_ONLY_NAMED = ["budgets:ViewBudget"] as const;

/** Read actions that return secret values or data: the preview role holds none of them, by name or wildcard. */
export const SECRET_READING_ACTIONS = [
    "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath",
    "ssm:GetParameterHistory", "kms:Decrypt", "kms:GenerateDataKey", "s3:GetObject", "s3:GetObjectVersion", "logs:GetLogEvents", "logs:FilterLogEvents",
    "ecr:GetAuthorizationToken", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "rds:DownloadDBLogFilePortion",
    // These return CloudFront's origin token (the X-Origin-Verify value, kept as a secret): the distribution's
    // origin custom headers, and the listener rules' header conditions.
    "cloudfront:GetDistribution", "cloudfront:GetDistributionConfig", "elasticloadbalancing:DescribeRules",
    // A subscription's attributes carry its Endpoint: the chat webhook's URL, token included.
    "sns:ListSubscriptionsByTopic", "sns:GetSubscriptionAttributes",
    // Every task definition of the account with its containers' plain environment (ECS accepts it only on "*").
    "ecs:DescribeTaskDefinition",
    // User data and launch templates can hold secrets; the stack has no instances.
    "ec2:DescribeInstanceAttribute", "ec2:DescribeLaunchTemplateVersions",
] as const;

/** Elastic Load Balancing describes except DescribeRules (the rules' header conditions hold the origin token). */
export const ELB_READS = [
    "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeLoadBalancerAttributes", "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeListenerAttributes", "elasticloadbalancing:DescribeListenerCertificates", "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetGroupAttributes", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DescribeTags",
];

const read = (Sid: string, Action: string | string[], Resource: string | string[], Condition?: Statement["Condition"]): Statement =>
    Condition ? { Sid, Effect: "Allow", Action, Resource, Condition } : { Sid, Effect: "Allow", Action, Resource };

/** Network, data tier, storage, compute and IAM. */
function platformReads(c: DeployPolicyContext): Statement[] {
    const n = c.namePrefix;
    const rdsSecret = arn(c, "secretsmanager", "secret:rds!*");
    const ownSecrets = [arn(c, "secretsmanager", `secret:${n}-*`), arn(c, "secretsmanager", `secret:${c.app}/${c.environment}/*`)];
    const external = c.externalSecretNames.map((name) => arn(c, "secretsmanager", `secret:${name}-??????`));
    return [
        read("Ec2Read", EC2_READS, "*"),
        read("Ec2PrefixLists", "ec2:GetManagedPrefixListEntries", arn(c, "ec2", "prefix-list/*", c.region, "*")),
        read("RdsRead", ["rds:Describe*", "rds:ListTagsForResource"], ["db", "cluster", "subgrp", "pg", "cluster-pg"].map((t) => arn(c, "rds", `${t}:${n}-*`))),
        read("RdsEngineVersions", ["rds:DescribeDBEngineVersions", "rds:DescribeOrderableDBInstanceOptions"], "*"),
        read("ElastiCacheRead", ["elasticache:Describe*", "elasticache:ListTagsForResource"], ["replicationgroup", "cluster", "parametergroup", "subnetgroup"].map((t) => arn(c, "elasticache", `${t}:${n}-*`))),
        read("ElastiCacheVersions", ["elasticache:DescribeCacheEngineVersions", "elasticache:DescribeServiceUpdates"], "*"),
        // Bucket settings only: `s3:GetBucket*` names no object action.
        read("S3BucketSettings", ["s3:ListBucket", "s3:GetBucket*", "s3:GetEncryptionConfiguration", "s3:GetLifecycleConfiguration", "s3:GetAccelerateConfiguration", "s3:GetReplicationConfiguration"], `arn:${c.partition}:s3:::${n}-*`),
        read("KmsKeySettings", ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"], everyRegion(c, "keys", "kms", "key/*"), stackTagIs(c, "ResourceTag")),
        read("KmsListAliases", "kms:ListAliases", "*"),
        read("SecretsMetadata", ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"], [...ownSecrets, ...external]),
        ...(["Instance", "Cluster"] as const).map((kind) =>
            read(`RdsManagedSecretsOf${kind}`, "secretsmanager:DescribeSecret", rdsSecret, { StringLike: { [`aws:ResourceTag/aws:rds:primaryDB${kind}Arn`]: arn(c, "rds", `${kind === "Instance" ? "db" : "cluster"}:${n}-*`) } }),
        ),
        read("SsmParameterMetadata", "ssm:DescribeParameters", "*"),
        read("SsmParameterTags", "ssm:ListTagsForResource", arn(c, "ssm", `parameter/${c.app}/${c.environment}/*`)),
        read("EcsRead", ["ecs:DescribeClusters", "ecs:DescribeServices", "ecs:ListTagsForResource"], [arn(c, "ecs", `cluster/${n}`), arn(c, "ecs", `service/${n}/${n}-*`), arn(c, "ecs", `task-definition/${n}-*:*`)]),
        read("EcrRead", ["ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:GetRepositoryPolicy", "ecr:ListTagsForResource"], arn(c, "ecr", `repository/${n}/*`)),
        read("AutoScalingRead", "application-autoscaling:Describe*", "*"),
        read("IamStackRoles", ["iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListRoleTags"], roleArn(c, `${n}-*`)),
        read("IamStackPolicies", ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions"], arn(c, "iam", `policy/${n}-*`, "")),
        read("IamGithubProvider", "iam:GetOpenIDConnectProvider", arn(c, "iam", "oidc-provider/token.actions.githubusercontent.com", "")),
    ];
}

/** Load balancer, certificates, DNS, web ACLs, CloudFront. */
function edgeReads(c: DeployPolicyContext): Statement[] {
    const n = c.namePrefix;
    const zone = arn(c, "route53", `hostedzone/${c.hostedZoneId}`, "", "");
    const cloudFront = (r: string) => arn(c, "cloudfront", r, "");
    const waf = wafArns(c, (kind) => `${kind}/${n}-*/*`, ["webacl", "ipset"]);
    return [
        // Each describe by name: DescribeRules is left out, a rule's header condition holds CloudFront's origin token.
        read("ElbRead", ELB_READS, "*"),
        read("AcmStackCertificates", ["acm:DescribeCertificate", "acm:ListTagsForCertificate"], everyRegion(c, "edge", "acm", "certificate/*"), stackTagIs(c, "ResourceTag")),
        read("AcmList", "acm:ListCertificates", "*"),
        read("Route53Zone", ["route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:ListTagsForResource"], zone),
        read("Route53FindZone", ["route53:ListHostedZones", "route53:ListHostedZonesByName"], "*"),
        read("WafRead", ["wafv2:GetWebACL", "wafv2:GetIPSet", "wafv2:GetLoggingConfiguration", "wafv2:GetWebACLForResource", "wafv2:ListTagsForResource"], [...waf, arn(c, "elasticloadbalancing", `loadbalancer/app/${n}-*/*`)]),
        // GetDistribution and GetDistributionConfig are left out: the distribution's config carries the origin token.
        read("CloudFrontDistributionTags", "cloudfront:ListTagsForResource", cloudFront("distribution/*"), stackTagIs(c, "ResourceTag")),
        read("CloudFrontPolicies", ["cloudfront:GetOriginAccessControl", "cloudfront:GetResponseHeadersPolicy", "cloudfront:GetCachePolicy", "cloudfront:GetOriginRequestPolicy"],
            ["origin-access-control/*", "response-headers-policy/*", "cache-policy/*", "origin-request-policy/*"].map(cloudFront)),
    ];
}

/** Log groups and deliveries, alarms, dashboard, topic, budget, trail, backups. */
function operationsReads(c: DeployPolicyContext): Statement[] {
    const n = c.namePrefix;
    const groups = stackLogGroups(n);
    return [
        read("LogsGroups", ["logs:ListTagsForResource", "logs:ListTagsLogGroup"], groups.flatMap((g) => everyRegion(c, "edge", "logs", `log-group:${g}`))),
        ...(c.cloudFrontRegion === undefined ? [] : [
            read("LogsDeliveryEnds", ["logs:GetDeliverySource", "logs:GetDeliveryDestination", "logs:ListTagsForResource"],
                [arn(c, "logs", `delivery-source:${n}-*`, c.cloudFrontRegion), arn(c, "logs", `delivery-destination:${n}-*`, c.cloudFrontRegion)]),
            read("LogsDeliveries", "logs:GetDelivery", arn(c, "logs", "delivery:*", c.cloudFrontRegion)),
        ]),
        read("LogsAccountLevel", ["logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:GetLogDelivery", "logs:ListLogDeliveries", "logs:DescribeDeliveries"], "*"),
        read("CloudWatchRead", ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource", "cloudwatch:GetDashboard"], [arn(c, "cloudwatch", `alarm:${n}-*`), arn(c, "cloudwatch", `dashboard/${n}*`, "")]),
        // No subscription reads: a subscription's Endpoint is the webhook URL with its token.
        read("SnsRead", ["sns:GetTopicAttributes", "sns:ListTagsForResource"], arn(c, "sns", `${n}-*`)),
        read("BudgetsRead", ["budgets:ViewBudget", "budgets:ListTagsForResource"], arn(c, "budgets", `budget/${n}*`, "")),
        read("CloudTrailRead", ["cloudtrail:GetTrail", "cloudtrail:GetTrailStatus", "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors", "cloudtrail:ListTags"], arn(c, "cloudtrail", `trail/${n}-*`)),
        read("CloudTrailList", "cloudtrail:DescribeTrails", "*"),
        read("BackupVaults", ["backup:DescribeBackupVault", "backup:GetBackupVaultAccessPolicy", "backup:ListTags"], [...everyRegion(c, "backup", "backup", `backup-vault:${n}`), ...everyRegion(c, "backup", "backup", `backup-vault:${n}-*`)]),
        read("BackupPlans", ["backup:GetBackupPlan", "backup:GetBackupSelection", "backup:ListTags"], arn(c, "backup", "backup-plan:*"), stackTagIs(c, "ResourceTag")),
    ];
}

/** The preview role's documents: each becomes the customer-managed policy `<namePrefix>-preview-<area>`. */
export const PREVIEW_POLICY_AREAS = ["platform", "edge", "operations"] as const;

export function previewPolicyDocuments(c: DeployPolicyContext): Record<(typeof PREVIEW_POLICY_AREAS)[number], Document> {
    return { platform: doc(platformReads(c)), edge: doc(edgeReads(c)), operations: doc(operationsReads(c)) };
}
