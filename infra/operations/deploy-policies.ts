/**
 * IAM documents of the deploy identity (GitHub Actions through OIDC): the two trust policies, the shared
 * vocabulary of the permission documents (ARN builders, tag conditions), the list of actions AWS accepts
 * only on "*", and IAM's size limits. Pure: every document is built from known values, so the tests read
 * them without mocks. The statements themselves are in deploy-policy-statements.ts (the deploy role) and
 * preview-policy-statements.ts (the preview role).
 */

import { PolicyDocument, PolicyStatement } from "../compute/iam-documents";

/** GitHub's OIDC issuer, without the scheme: the prefix of the condition keys it puts in a role's request context. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_URL = `https://${GITHUB_OIDC_HOST}`;
/** The audience aws-actions/configure-aws-credentials asks GitHub for. */
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/** An identity policy's statement and document: the same shape as the service roles' (compute/iam-documents.ts). */
export type Statement = PolicyStatement;
export type Document = PolicyDocument;

export const doc = (statements: Statement[]): Document => ({ Version: "2012-10-17", Statement: statements });

/** Everything the permission documents are scoped by. All of it is known once the stack's first `pulumi up` has run. */
export interface DeployPolicyContext {
    partition: string;
    accountId: string;
    /** `aws:region`: where almost everything lives. */
    region: string;
    /** us-east-1 when the stack runs CloudFront: its certificate, web ACL, that ACL's log group and key, its log delivery. */
    cloudFrontRegion?: string;
    /** `baseline:backup.copyRegion`: the copy vault and its key. */
    backupCopyRegion?: string;
    /** `<app>-<environment>`: the start of every AWS name of the stack. */
    namePrefix: string;
    app: string;
    environment: string;
    /** The stack's own tag (`baseline:budget.costAllocationTag` and its value in `aws:defaultTags`), on every resource it creates. */
    stackTag: { key: string; value: string };
    /** The public hosted zone the stack writes its records into, and the domain those records are under. */
    hostedZoneId: string;
    domainName: string;
    /** The storage key: deleting an ECR repository retires ECR's grants on it as the deploying principal. Unknown before it exists. */
    storageKeyArn?: string;
    /** Secrets Manager names the services reference from outside the stack (looked up at preview). */
    externalSecretNames: string[];
    /** Stateful resources protected (prod): no permission to empty buckets, which only a staging destroy does. */
    protect: boolean;
    /** The stack's VPC, whose default security group (created by AWS, untagged) the stack adopts; unknown before it exists. */
    vpcId?: string;
    /** `<namePrefix>-workload-boundary`'s ARN (from names: known at preview): every role the deploy role writes must carry it. */
    boundaryArn: string;
    /**
     * Exact ARNs of what exists (unknown on a first preview, run by an administrator): every KMS key of the stack, the
     * data key (SSM and Secrets Manager encrypt with it), the distribution, the certificates, the backup plan, the trail's key.
     */
    keyArns?: string[];
    dataKeyArn?: string;
    distributionArn?: string;
    certificateArns?: string[];
    backupPlanArn?: string;
    trailKeyArn?: string;
}

/** Where the stack has resources of a kind: "edge" (the stack's region and CloudFront's), "backup" (and the copy's), "keys" (all). */
export function regionsOf(c: DeployPolicyContext, kind: "edge" | "backup" | "keys"): string[] {
    const extra = kind === "edge" ? [c.cloudFrontRegion] : kind === "backup" ? [c.backupCopyRegion] : [c.cloudFrontRegion, c.backupCopyRegion];
    return [...new Set([c.region, ...extra.filter((r): r is string => r !== undefined)])];
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` (region and account may be "" for global services). */
export const arn = (c: DeployPolicyContext, service: string, resource: string, region: string = c.region, account: string = c.accountId) =>
    `arn:${c.partition}:${service}:${region}:${account}:${resource}`;

/** The same resource pattern in each region where the stack has resources of that kind. */
export const everyRegion = (c: DeployPolicyContext, kind: "edge" | "backup" | "keys", service: string, resource: string) => regionsOf(c, kind).map((r) => arn(c, service, resource, r));

/** The web ACLs' (and IP sets') ARNs: REGIONAL scope in the stack's region, CLOUDFRONT ("global") scope in us-east-1. */
export function wafArns(c: DeployPolicyContext, resource: (kind: string) => string, kinds: string[], account: string = c.accountId): string[] {
    const scopes: [string, string | undefined][] = [["regional", c.region], ["global", c.cloudFrontRegion]];
    return scopes.flatMap(([scope, region]) => (region === undefined ? [] : kinds.map((k) => arn(c, "wafv2", `${scope}/${resource(k)}`, region, account))));
}

/** A condition on the stack's tag: on the resource acted on, or in the request creating it. */
export const stackTagIs = (c: DeployPolicyContext, on: "ResourceTag" | "RequestTag") => ({ StringEquals: { [`aws:${on}/${c.stackTag.key}`]: c.stackTag.value } });

/**
 * The stack's log groups, as name patterns: its own prefix, the services', ECS Exec's, the data stores' (under the
 * names AWS fixes), the web ACLs' (`aws-waf-logs-` is required by WAF) and the trail's.
 */
export const stackLogGroups = (n: string) => [
    `/${n}/*`, `/ecs/${n}/*`, `/ecs-exec/${n}`, `/ecs-exec/${n}:*`, `/aws/rds/instance/${n}-*`, `/aws/docdb/${n}-*`, `/aws/elasticache/${n}-*`, `aws-waf-logs-${n}-*`, `/aws/cloudtrail/${n}*`,
];

/** The ARN IAM gives the account's GitHub provider (one per issuer URL): known before the provider exists. */
export const githubProviderArn = (partition: string, accountId: string) => `arn:${partition}:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;

/** A role's ARN: by exact name or name pattern. */
export const roleArn = (c: DeployPolicyContext, name: string) => arn(c, "iam", `role/${name}`, "");

/**
 * Actions AWS accepts only with `"Resource": "*"` (the Service Authorization Reference lists no resource type
 * for them), each with what it does here. A statement on "*" may hold only these; the tests check it. Read
 * actions are listed by prefix (`ec2:Describe*`): every action under those prefixes is read-only.
 */
export const STAR_ONLY_ACTIONS: Readonly<Record<string, string>> = {
    ...Object.fromEntries(
        ["Vpcs", "VpcAttribute", "Subnets", "SecurityGroups", "SecurityGroupRules", "RouteTables", "InternetGateways", "NatGateways", "Addresses", "VpcEndpoints",
            "VpcEndpointServices", "FlowLogs", "NetworkAcls", "AvailabilityZones", "ManagedPrefixLists", "PrefixLists", "NetworkInterfaces"]
            .map((what) => [`ec2:Describe${what}`, "EC2 describe calls accept only *: the provider reads the stack's network through this one"]),
    ),
    "rds:DescribeDBEngineVersions": "engine versions are not resources (RDS and DocumentDB parameter-group families)",
    "rds:DescribeOrderableDBInstanceOptions": "instance-class offerings are not resources",
    "elasticache:DescribeCacheEngineVersions": "engine versions are not resources",
    "elasticache:DescribeServiceUpdates": "read by the provider for the replication group; not a resource",
    "elasticloadbalancing:Describe*": "Elastic Load Balancing describe calls accept only *",
    "kms:CreateKey": "a key does not exist before CreateKey; the statement requires the stack's tag in the request instead",
    "kms:ListAliases": "list calls accept only *",
    "ssm:DescribeParameters": "parameter metadata (never values); accepts only *",
    "logs:DescribeLogGroups": "a list call that accepts only *; returns names and settings, no log events",
    "logs:PutResourcePolicy": "CloudWatch Logs resource policies are account-level: the WAF log-delivery policies (and no event data)",
    "logs:DeleteResourcePolicy": "as logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies": "as logs:PutResourcePolicy",
    "logs:CreateLogDelivery": "vended-log delivery (WAF and ElastiCache logs into their groups) has no resource-level permissions",
    "logs:GetLogDelivery": "as logs:CreateLogDelivery",
    "logs:UpdateLogDelivery": "as logs:CreateLogDelivery",
    "logs:DeleteLogDelivery": "as logs:CreateLogDelivery",
    "logs:ListLogDeliveries": "as logs:CreateLogDelivery",
    "logs:DescribeDeliveries": "list call of CloudWatch Logs delivery (v2); accepts only *",
    "logs:DescribeDeliverySources": "as logs:DescribeDeliveries",
    "logs:DescribeDeliveryDestinations": "as logs:DescribeDeliveries",
    "route53:ListHostedZones": "the zone lookup by name (aws.route53.getZone) lists zones; accepts only *",
    "route53:ListHostedZonesByName": "as route53:ListHostedZones",
    "acm:ListCertificates": "list calls accept only *",
    "ecs:RegisterTaskDefinition": "the Service Authorization Reference lists no resource type for it; the task roles it names are limited by iam:PassRole",
    "ecs:DeregisterTaskDefinition": "as ecs:RegisterTaskDefinition",
    "ecs:DescribeTaskDefinition": "as ecs:RegisterTaskDefinition; the deploy role only (it returns every task definition's plain environment)",
    "application-autoscaling:Describe*": "Application Auto Scaling describe calls accept only *",
    "cloudtrail:DescribeTrails": "list call of trails; accepts only *",
    "backup-storage:MountCapsule": "AWS Backup requires it of whoever creates a vault; it has no resource type",
};

/** The EC2 describe calls a preview, refresh or update of this stack makes (no DescribeInstanceAttribute, no launch templates: user data). */
export const EC2_READS = Object.keys(STAR_ONLY_ACTIONS).filter((a) => a.startsWith("ec2:Describe"));

/**
 * Statements whose resources are scoped only to a resource type in this account (or AWS's own), by Sid, each
 * with why nothing narrower is possible: the ARNs carry generated ids (or belong to AWS), and the service
 * offers no tag condition on them. The tests require every other statement to name the stack.
 */
export const TYPE_SCOPED_STATEMENTS: Readonly<Record<string, string>> = {
    Ec2AwsOwnedReferences: "AWS's prefix lists and endpoint services, which rules and endpoints only refer to",
    Ec2PrefixLists: "AWS's prefix lists (CloudFront's origin-facing list, looked up by name)",
    RdsDefaultOptionGroups: "AWS's default option groups, which every new instance is placed in",
    RdsManagedSecretsThroughRds: "RDS names the managed master secret itself (rds!db-<uuid>); only a call through RDS (aws:CalledVia) may create one",
    EcsFargateCapacityProviders: "AWS's FARGATE and FARGATE_SPOT capacity providers",
    AutoScalingTargets: "scalable targets are named by generated ids; the ECS services they scale are the stack's (checked by ECS)",
    IamServiceLinkedRoles: "service-linked roles have AWS's names; limited to the services the stack uses (iam:AWSServiceName)",
    Route53Changes: "a change is named by Route 53's id; reading its status only",
    WafManagedRuleGroups: "the AWS managed rule groups the web ACLs reference",
    CloudFrontPolicies: "origin access controls and response headers policies carry ids and take no tags; cache and origin-request policies are AWS's",
    LogsDeliveries: "a CloudWatch Logs delivery is named by a generated id; its source and destination are the stack's",
    IamReadGithubProvider: "the account's one GitHub provider (IAM names it by the issuer), read only",
    IamGithubProvider: "as IamReadGithubProvider",
};

/**
 * IAM's limits on a document's size, counted without whitespace (IAM User Guide, "IAM and AWS STS quotas"):
 * a managed policy 6,144 characters; all inline policies of one role together 10,240; a role's trust
 * policy 2,048 by default. And 10 managed policies attached to one role by default (20 at most).
 */
export const IAM_LIMITS = { managedPolicyChars: 6144, inlineRolePolicyChars: 10240, trustPolicyChars: 2048, managedPoliciesPerRole: 10 } as const;

/** The size IAM counts: the minified JSON. */
export const policySize = (d: Document | TrustDocument) => JSON.stringify(d).length;

/** The `sub` claim a GitHub job carries: `repo:<owner>/<repo>:environment:<name>`, `...:ref:refs/heads/<branch>` or `...:pull_request`. */
export type GithubSubject = { environment: string } | { branch: string } | "pull_request";

export function githubSubject(repository: string, on: GithubSubject): string {
    if (on === "pull_request") return `repo:${repository}:pull_request`;
    return "environment" in on ? `repo:${repository}:environment:${on.environment}` : `repo:${repository}:ref:refs/heads/${on.branch}`;
}

export interface TrustDocument {
    Version: "2012-10-17";
    Statement: {
        Sid: string;
        Effect: "Allow";
        Principal: { Federated: string };
        Action: "sts:AssumeRoleWithWebIdentity";
        Condition: { StringEquals: Record<string, string> };
    }[];
}

/**
 * A role GitHub Actions assumes through the account's OIDC provider: the audience the official action
 * requests and one exact subject, both StringEquals (no StringLike, so no wildcard can widen either).
 * GitHub's "Configuring OpenID Connect in Amazon Web Services" and the IAM guide both ask for the two.
 */
export function githubTrustPolicy(providerArn: string, subject: string): TrustDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "GithubActionsOidc",
                Effect: "Allow",
                Principal: { Federated: providerArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: { StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: subject } },
            },
        ],
    };
}
