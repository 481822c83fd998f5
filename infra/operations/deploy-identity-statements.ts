/**
 * The deploy role's permissions for the compute tier (ECS, ECR, Application Auto Scaling) and for IAM: the
 * stack's roles and policies, the roles it passes to services, and a guard that keeps the workflow from
 * changing the deploy identity itself.
 */
import { DeployPolicyContext, Statement, arn, roleArn, stackTagIs } from "./deploy-policies";

/** Services the stack hands its roles to (iam:PassedToService): tasks, RDS monitoring, flow logs, AWS Backup, CloudTrail's log delivery. */
export const PASSED_TO_SERVICES = ["ecs-tasks.amazonaws.com", "monitoring.rds.amazonaws.com", "vpc-flow-logs.amazonaws.com", "backup.amazonaws.com", "cloudtrail.amazonaws.com"];

/** AWS managed policies the stack attaches (RDS enhanced monitoring; AWS Backup's backup and restore roles). Nothing else may be attached. */
export const ATTACHABLE_AWS_POLICIES = [
    "service-role/AmazonRDSEnhancedMonitoringRole",
    "service-role/AWSBackupServiceRolePolicyForBackup",
    "service-role/AWSBackupServiceRolePolicyForRestores",
    "AWSBackupServiceRolePolicyForS3Backup",
    "AWSBackupServiceRolePolicyForS3Restore",
];

/** Service-linked roles a first deployment in an account may create (each service creates its own on first use). */
export const SERVICE_LINKED_ROLES = [
    "ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com", "rds.amazonaws.com", "elasticache.amazonaws.com",
    "ecs.application-autoscaling.amazonaws.com", "backup.amazonaws.com",
];

const ROLE_ACTIONS = [
    "iam:GetRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
    "iam:TagRole", "iam:UntagRole", "iam:ListRoleTags", "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy",
    "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole",
];

/** Cluster, services, task definitions, image repositories, autoscaling. */
export function computeStatements(c: DeployPolicyContext): Statement[] {
    const n = c.namePrefix;
    const ecs = (r: string) => arn(c, "ecs", r);
    const tagging = ["ecs:TagResource", "ecs:UntagResource", "ecs:ListTagsForResource"];
    return [
        {
            Sid: "EcsStackCluster", Effect: "Allow",
            Action: ["ecs:CreateCluster", "ecs:UpdateCluster", "ecs:UpdateClusterSettings", "ecs:DeleteCluster", "ecs:PutClusterCapacityProviders", "ecs:DescribeClusters", ...tagging],
            Resource: ecs(`cluster/${n}`),
        },
        // The cluster's capacity providers are AWS's own FARGATE and FARGATE_SPOT.
        { Sid: "EcsFargateCapacityProviders", Effect: "Allow", Action: "ecs:PutClusterCapacityProviders", Resource: [ecs("capacity-provider/FARGATE"), ecs("capacity-provider/FARGATE_SPOT")] },
        {
            Sid: "EcsStackServices", Effect: "Allow",
            Action: ["ecs:CreateService", "ecs:UpdateService", "ecs:DeleteService", "ecs:DescribeServices", ...tagging],
            Resource: [ecs(`service/${n}/${n}-*`), ecs(`task-definition/${n}-*:*`)],
        },
        { Sid: "EcsTaskDefinitions", Effect: "Allow", Action: ["ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition"], Resource: "*" },
        {
            Sid: "EcrStackRepositories", Effect: "Allow",
            Action: [
                "ecr:CreateRepository", "ecr:DeleteRepository", "ecr:DescribeRepositories", "ecr:PutLifecyclePolicy", "ecr:GetLifecyclePolicy",
                "ecr:DeleteLifecyclePolicy", "ecr:PutImageScanningConfiguration", "ecr:PutImageTagMutability", "ecr:GetRepositoryPolicy",
                "ecr:TagResource", "ecr:UntagResource", "ecr:ListTagsForResource",
            ],
            Resource: arn(c, "ecr", `repository/${n}/*`),
        },
        // Scalable targets and their policies are named by generated ids in their ARNs; the ECS service they
        // scale is the stack's (Application Auto Scaling checks ecs:DescribeServices/UpdateService above).
        {
            Sid: "AutoScalingTargets", Effect: "Allow",
            Action: [
                "application-autoscaling:RegisterScalableTarget", "application-autoscaling:DeregisterScalableTarget",
                "application-autoscaling:PutScalingPolicy", "application-autoscaling:DeleteScalingPolicy",
                "application-autoscaling:TagResource", "application-autoscaling:UntagResource", "application-autoscaling:ListTagsForResource",
            ],
            Resource: arn(c, "application-autoscaling", "scalable-target/*"),
        },
        { Sid: "AutoScalingRead", Effect: "Allow", Action: "application-autoscaling:Describe*", Resource: "*" },
    ];
}

/** The stack's roles and policies; passing them only to the services that use them; the deploy identity guarded. */
export function identityStatements(c: DeployPolicyContext): Statement[] {
    const n = c.namePrefix;
    const iam = (r: string) => arn(c, "iam", r, "");
    const anyRole = roleArn(c, "*");
    const ownPolicies = iam(`policy/${n}-*`);
    const deployIdentity = [roleArn(c, `${n}-deploy`), roleArn(c, `${n}-preview`), iam(`policy/${n}-deploy-*`), iam(`policy/${n}-preview-*`)];
    return [
        { Sid: "IamStackRolesByName", Effect: "Allow", Action: ["iam:CreateRole", ...ROLE_ACTIONS], Resource: roleArn(c, `${n}-*`) },
        // Roles the components leave Pulumi to name (the flow-log and RDS monitoring roles) carry the stack's tag.
        { Sid: "IamCreateRolesWithStackTag", Effect: "Allow", Action: ["iam:CreateRole", "iam:TagRole"], Resource: anyRole, Condition: stackTagIs(c, "RequestTag") },
        { Sid: "IamStackRolesByTag", Effect: "Allow", Action: ROLE_ACTIONS, Resource: anyRole, Condition: stackTagIs(c, "ResourceTag") },
        {
            Sid: "IamAttachOnlyKnownPolicies", Effect: "Allow", Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"], Resource: anyRole,
            Condition: {
                ...stackTagIs(c, "ResourceTag"),
                ArnEquals: { "iam:PolicyARN": [...ATTACHABLE_AWS_POLICIES.map((p) => `arn:${c.partition}:iam::aws:policy/${p}`)] },
            },
        },
        {
            Sid: "IamStackPolicies", Effect: "Allow",
            Action: [
                "iam:CreatePolicy", "iam:DeletePolicy", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions",
                "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:TagPolicy", "iam:UntagPolicy", "iam:ListPolicyTags",
            ],
            Resource: ownPolicies,
        },
        {
            Sid: "IamPassStackRolesToTheirServices", Effect: "Allow", Action: "iam:PassRole", Resource: roleArn(c, `${n}-*`),
            Condition: { StringEquals: { "iam:PassedToService": PASSED_TO_SERVICES } },
        },
        {
            Sid: "IamPassTaggedRolesToTheirServices", Effect: "Allow", Action: "iam:PassRole", Resource: anyRole,
            Condition: { StringEquals: { [`aws:ResourceTag/${c.stackTag.key}`]: c.stackTag.value, "iam:PassedToService": PASSED_TO_SERVICES } },
        },
        // The account's GitHub provider: read only (an administrator creates or changes it).
        { Sid: "IamReadGithubProvider", Effect: "Allow", Action: ["iam:GetOpenIDConnectProvider", "iam:ListOpenIDConnectProviderTags"], Resource: iam("oidc-provider/token.actions.githubusercontent.com") },
        {
            Sid: "IamServiceLinkedRoles", Effect: "Allow", Action: "iam:CreateServiceLinkedRole", Resource: iam("role/aws-service-role/*"),
            Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED_ROLES } },
        },
        // The workflow cannot widen its own rights: changes to the deploy and preview roles and their policies
        // are applied by an administrator's `pulumi up` (the Allow statements above would otherwise cover them).
        {
            Sid: "DenyChangingTheDeployIdentity", Effect: "Deny",
            Action: [
                "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy",
                "iam:DeleteRole", "iam:UpdateRole", "iam:TagRole", "iam:UntagRole", "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
                "iam:CreatePolicyVersion", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy",
            ],
            Resource: deployIdentity,
        },
    ];
}
