/**
 * The deploy role's permissions for the compute tier (ECS, ECR, Application Auto Scaling) and for IAM: the
 * stack's roles and policies, the roles it passes to services, and a guard that keeps the workflow from
 * changing the deploy identity itself.
 */
import { DeployPolicyContext, Statement, arn, roleArn } from "./deploy-policies";

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

/** Role actions that change no permission of the role (reads, tags, description, trust, deletion): on the stack's role names. */
const ROLE_ACTIONS = [
    "iam:GetRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
    "iam:TagRole", "iam:UntagRole", "iam:ListRoleTags", "iam:GetRolePolicy",
    "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole",
];

/**
 * Role actions that create a role or change its permissions: allowed only where the role carries (or, for
 * CreateRole and PutRolePermissionsBoundary, is given) the workload boundary. These are the role actions for which
 * the Service Authorization Reference lists the iam:PermissionsBoundary condition key; AttachRolePolicy and
 * DetachRolePolicy are in IamAttachOnlyKnownPolicies with the same condition.
 */
export const BOUNDED_ROLE_ACTIONS = ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary"];

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
    const ownRoles = roleArn(c, `${n}-*`);
    const withBoundary = { "iam:PermissionsBoundary": c.boundaryArn };
    return [
        // Every role action by the stack's role names only (no tag: tagging any role with the stack's tag would adopt it).
        { Sid: "IamStackRolesByName", Effect: "Allow", Action: ROLE_ACTIONS, Resource: ownRoles },
        { Sid: "IamStackRolesWithBoundary", Effect: "Allow", Action: BOUNDED_ROLE_ACTIONS, Resource: ownRoles, Condition: { StringEquals: withBoundary } },
        {
            Sid: "IamAttachOnlyKnownPolicies", Effect: "Allow", Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"], Resource: ownRoles,
            Condition: {
                StringEquals: withBoundary,
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
            Sid: "IamPassStackRolesToTheirServices", Effect: "Allow", Action: "iam:PassRole", Resource: ownRoles,
            Condition: { StringEquals: { "iam:PassedToService": PASSED_TO_SERVICES } },
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
        // No role loses its boundary, whatever the Allow statements above say.
        { Sid: "DenyRemovingBoundaries", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: anyRole },
        // Only an administrator changes the boundary itself.
        {
            Sid: "DenyChangingTheBoundary", Effect: "Deny",
            Action: ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion"], Resource: c.boundaryArn,
        },
        // The workflow never acts as another role: after rewriting a stack role's trust (UpdateAssumeRolePolicy, allowed
        // by name) to name itself, a same-account trust policy alone would let it assume that role; this explicit deny wins.
        { Sid: "DenyAssumingRoles", Effect: "Deny", Action: ["sts:AssumeRole", "sts:TagSession"], Resource: "*" },
    ];
}
