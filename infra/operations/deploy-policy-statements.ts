/**
 * The deploy role's permissions: what `pulumi up` of this stack calls, on this stack's resources. Where a
 * service's ARNs carry names, by the stack's names (`<namePrefix>-*`, `/<app>/<environment>/*`); where they
 * carry only generated ids, by the stack's tag (`aws:RequestTag` on create, `aws:ResourceTag` after) where
 * the service authorizes by tag (EC2, KMS, ACM, CloudFront, IAM roles, AWS Backup plans); "*" only for the
 * actions in STAR_ONLY_ACTIONS; and, for the few id-only resources without tag conditions, their type in
 * this account (TYPE_SCOPED_STATEMENTS). Split into documents of one concern each, each under IAM's
 * 6,144-character limit for a managed policy.
 *
 * Not here, because AWS never sees them: Pulumi's state backend and secrets provider. The workflow adds
 * them itself (a Pulumi Cloud access token from a GitHub secret, or, for an S3 backend and a KMS secrets
 * provider, a separate grant on that bucket and key given to this role outside the stack).
 */
import { DeployPolicyContext, Document, EC2_READS, Statement, arn, doc, everyRegion, stackTagIs } from "./deploy-policies";
import { cdnStatements, edgeStatements, operationsStatements } from "./deploy-edge-statements";
import { computeStatements, identityStatements } from "./deploy-identity-statements";

/** EC2 create calls and the resource type each creates (the one that must carry the stack's tag). */
const EC2_CREATES: Record<string, string[]> = {
    "ec2:CreateVpc": ["vpc"],
    "ec2:CreateSubnet": ["subnet"],
    "ec2:CreateRouteTable": ["route-table"],
    "ec2:CreateInternetGateway": ["internet-gateway"],
    "ec2:CreateNatGateway": ["natgateway"],
    "ec2:AllocateAddress": ["elastic-ip"],
    "ec2:CreateSecurityGroup": ["security-group"],
    "ec2:AuthorizeSecurityGroupIngress": ["security-group-rule"],
    "ec2:AuthorizeSecurityGroupEgress": ["security-group-rule"],
    "ec2:CreateVpcEndpoint": ["vpc-endpoint"],
    "ec2:CreateFlowLogs": ["vpc-flow-log"],
    "ec2:CreateNetworkAcl": ["network-acl"],
};

/** Changes to resources that already carry the stack's tag (and the create calls' references to them: a subnet's VPC, a route's table). */
const EC2_CHANGES = [
    "ec2:DeleteVpc", "ec2:ModifyVpcAttribute", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute",
    "ec2:DeleteRouteTable", "ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute", "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable",
    "ec2:AttachInternetGateway", "ec2:DetachInternetGateway", "ec2:DeleteInternetGateway", "ec2:DeleteNatGateway",
    "ec2:ReleaseAddress", "ec2:DisassociateAddress", "ec2:DeleteSecurityGroup", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
    "ec2:ModifySecurityGroupRules", "ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
    "ec2:DeleteVpcEndpoints", "ec2:ModifyVpcEndpoint", "ec2:DeleteFlowLogs",
    "ec2:DeleteNetworkAcl", "ec2:CreateNetworkAclEntry", "ec2:ReplaceNetworkAclEntry", "ec2:DeleteNetworkAclEntry", "ec2:ReplaceNetworkAclAssociation",
    "ec2:CreateTags", "ec2:DeleteTags",
];

/** VPC, subnets, routing, NAT, security groups, endpoints, flow logs: EC2 ARNs carry ids only, so by the stack's tag. */
export function networkStatements(c: DeployPolicyContext): Statement[] {
    const ec2 = (resource: string, account = c.accountId) => arn(c, "ec2", resource, c.region, account);
    const creates = Object.keys(EC2_CREATES);
    const newTypes = [...new Set(Object.values(EC2_CREATES).flat())];
    const statements: Statement[] = [
        { Sid: "Ec2Read", Effect: "Allow", Action: EC2_READS, Resource: "*" },
        { Sid: "Ec2CreateWithStackTag", Effect: "Allow", Action: creates, Resource: newTypes.map((t) => ec2(`${t}/*`)), Condition: stackTagIs(c, "RequestTag") },
        // Tagging is authorized separately from the create call that carries the tags (EC2 "tag on create").
        {
            Sid: "Ec2TagOnCreate", Effect: "Allow", Action: "ec2:CreateTags", Resource: newTypes.map((t) => ec2(`${t}/*`)),
            Condition: { StringEquals: { "ec2:CreateAction": creates.map((a) => a.slice("ec2:".length)), [`aws:RequestTag/${c.stackTag.key}`]: c.stackTag.value } },
        },
        { Sid: "Ec2ChangeStackResources", Effect: "Allow", Action: [...creates, ...EC2_CHANGES], Resource: ec2("*"), Condition: stackTagIs(c, "ResourceTag") },
        // AWS-owned resources the stack's rules and endpoints refer to (CloudFront's origin-facing prefix list, the
        // endpoint services): referring to them changes nothing of theirs, and they carry no tag of ours.
        {
            Sid: "Ec2AwsOwnedReferences", Effect: "Allow",
            Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress", "ec2:CreateVpcEndpoint", "ec2:ModifyVpcEndpoint", "ec2:GetManagedPrefixListEntries"],
            Resource: [ec2("prefix-list/*", "*"), ec2("vpc-endpoint-service/*", "*")],
        },
    ];
    // The VPC's default security group is created by AWS without our tag: the stack adopts it (tags it, removes its rules).
    if (c.vpcId) {
        statements.push({
            Sid: "Ec2AdoptDefaultSecurityGroup", Effect: "Allow",
            Action: ["ec2:CreateTags", "ec2:DeleteTags", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"],
            Resource: ec2("security-group/*"),
            Condition: { ArnEquals: { "ec2:Vpc": ec2(`vpc/${c.vpcId}`) } },
        });
    }
    return statements;
}

/** PostgreSQL (RDS), DocumentDB (RDS API) and Redis (ElastiCache): their ARNs carry the stack's identifiers. */
export function dataStatements(c: DeployPolicyContext): Statement[] {
    const n = c.namePrefix;
    const rds = (r: string) => arn(c, "rds", r);
    const cache = (r: string) => arn(c, "elasticache", r);
    const rdsSecret = arn(c, "secretsmanager", "secret:rds!*");
    return [
        {
            Sid: "RdsStackDatabases", Effect: "Allow",
            Action: [
                "rds:CreateDBInstance", "rds:ModifyDBInstance", "rds:DeleteDBInstance", "rds:RebootDBInstance",
                "rds:CreateDBCluster", "rds:ModifyDBCluster", "rds:DeleteDBCluster",
                "rds:CreateDBSubnetGroup", "rds:ModifyDBSubnetGroup", "rds:DeleteDBSubnetGroup",
                "rds:CreateDBParameterGroup", "rds:ModifyDBParameterGroup", "rds:DeleteDBParameterGroup",
                "rds:CreateDBClusterParameterGroup", "rds:ModifyDBClusterParameterGroup", "rds:DeleteDBClusterParameterGroup",
                // A deletion's final snapshot is created as the deleting principal.
                "rds:CreateDBSnapshot", "rds:CreateDBClusterSnapshot",
                "rds:AddTagsToResource", "rds:RemoveTagsFromResource", "rds:ListTagsForResource",
                "rds:DescribeDBInstances", "rds:DescribeDBClusters", "rds:DescribeDBSubnetGroups", "rds:DescribeDBParameterGroups", "rds:DescribeDBParameters",
                "rds:DescribeDBClusterParameterGroups", "rds:DescribeDBClusterParameters", "rds:DescribeDBSnapshots", "rds:DescribeDBClusterSnapshots",
            ],
            Resource: ["db", "cluster", "subgrp", "pg", "cluster-pg", "snapshot", "cluster-snapshot"].map((t) => rds(`${t}:${n}-*`)),
        },
        // A new instance is placed in its engine's default option group, which AWS owns and names.
        { Sid: "RdsDefaultOptionGroups", Effect: "Allow", Action: ["rds:CreateDBInstance", "rds:ModifyDBInstance"], Resource: rds("og:default:*") },
        { Sid: "RdsEngineVersions", Effect: "Allow", Action: ["rds:DescribeDBEngineVersions", "rds:DescribeOrderableDBInstanceOptions"], Resource: "*" },
        // RDS creates the managed master password's secret (`rds!db-<uuid>`, `rds!cluster-<uuid>`) as the caller, through
        // its own endpoint; the name is RDS's, so the scope is that prefix and the call coming through RDS.
        {
            Sid: "RdsManagedSecretsThroughRds", Effect: "Allow", Action: ["secretsmanager:CreateSecret", "secretsmanager:TagResource"], Resource: rdsSecret,
            Condition: { "ForAnyValue:StringEquals": { "aws:CalledVia": ["rds.amazonaws.com"] } },
        },
        // Their metadata and rotation schedule, never their value: RDS tags each with the database it belongs to.
        ...(["Instance", "Cluster"] as const).map((kind): Statement => ({
            Sid: `RdsManagedSecretsOf${kind}`, Effect: "Allow",
            Action: ["secretsmanager:DescribeSecret", "secretsmanager:RotateSecret", "secretsmanager:CancelRotateSecret"], Resource: rdsSecret,
            Condition: { StringLike: { [`aws:ResourceTag/aws:rds:primaryDB${kind}Arn`]: rds(`${kind === "Instance" ? "db" : "cluster"}:${n}-*`) } },
        })),
        {
            Sid: "ElastiCacheStackRedis", Effect: "Allow",
            Action: [
                "elasticache:CreateReplicationGroup", "elasticache:ModifyReplicationGroup", "elasticache:DeleteReplicationGroup",
                "elasticache:IncreaseReplicaCount", "elasticache:DecreaseReplicaCount",
                "elasticache:CreateCacheSubnetGroup", "elasticache:ModifyCacheSubnetGroup", "elasticache:DeleteCacheSubnetGroup",
                "elasticache:CreateCacheParameterGroup", "elasticache:ModifyCacheParameterGroup", "elasticache:DeleteCacheParameterGroup",
                "elasticache:CreateSnapshot", "elasticache:AddTagsToResource", "elasticache:RemoveTagsFromResource", "elasticache:ListTagsForResource",
                "elasticache:DescribeReplicationGroups", "elasticache:DescribeCacheClusters", "elasticache:DescribeCacheSubnetGroups",
                "elasticache:DescribeCacheParameterGroups", "elasticache:DescribeCacheParameters", "elasticache:DescribeSnapshots",
            ],
            // Member clusters are `<replication group>-00N`.
            Resource: ["replicationgroup", "cluster", "parametergroup", "subnetgroup", "snapshot"].map((t) => cache(`${t}:${n}-*`)),
        },
        { Sid: "ElastiCacheVersions", Effect: "Allow", Action: ["elasticache:DescribeCacheEngineVersions", "elasticache:DescribeServiceUpdates"], Resource: "*" },
    ];
}

/** Buckets, keys, the stack's own secrets and parameters. */
export function storageStatements(c: DeployPolicyContext): Statement[] {
    const n = c.namePrefix;
    // Bucket names are `<namePrefix>-<role>-<account>`. Bucket-level actions only: `*` in an S3 ARN also matches
    // object keys, so no object action is granted on this pattern (objects only to empty a staging bucket below).
    const buckets = `arn:${c.partition}:s3:::${n}-*`;
    const keys = everyRegion(c, "keys", "kms", "key/*");
    const secrets = [arn(c, "secretsmanager", `secret:${n}-*`), arn(c, "secretsmanager", `secret:${c.app}/${c.environment}/*`)];
    const statements: Statement[] = [
        {
            Sid: "S3StackBuckets", Effect: "Allow",
            Action: [
                "s3:CreateBucket", "s3:DeleteBucket", "s3:ListBucket", "s3:GetBucket*",
                "s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutBucketPublicAccessBlock", "s3:PutBucketVersioning", "s3:PutBucketLogging",
                "s3:PutBucketOwnershipControls", "s3:PutBucketTagging", "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration",
                "s3:GetLifecycleConfiguration", "s3:PutLifecycleConfiguration", "s3:GetAccelerateConfiguration", "s3:GetReplicationConfiguration",
            ],
            Resource: buckets,
        },
        { Sid: "KmsCreateWithStackTag", Effect: "Allow", Action: "kms:CreateKey", Resource: "*", Condition: stackTagIs(c, "RequestTag") },
        // CreateKey with tags also needs kms:TagResource. KMS has no condition telling tag-on-create from tagging an existing
        // key, so this also lets the role put the stack's tag on another key: harmless, since nothing of this role (or of the
        // preview role's writes) is granted by that tag any more; existing keys are administered by exact ARN below.
        { Sid: "KmsTagOnCreate", Effect: "Allow", Action: "kms:TagResource", Resource: keys, Condition: stackTagIs(c, "RequestTag") },
        { Sid: "KmsStackAliases", Effect: "Allow", Action: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"], Resource: everyRegion(c, "keys", "kms", `alias/${n}-*`) },
        { Sid: "KmsListAliases", Effect: "Allow", Action: "kms:ListAliases", Resource: "*" },
        // The provider reads a secret version back after writing it (its value is already in the state, encrypted).
        {
            Sid: "SecretsStackOwn", Effect: "Allow",
            Action: [
                "secretsmanager:CreateSecret", "secretsmanager:DeleteSecret", "secretsmanager:DescribeSecret", "secretsmanager:UpdateSecret",
                "secretsmanager:PutSecretValue", "secretsmanager:GetSecretValue", "secretsmanager:GetResourcePolicy",
                "secretsmanager:TagResource", "secretsmanager:UntagResource",
            ],
            Resource: secrets,
        },
        {
            Sid: "SsmStackParameters", Effect: "Allow",
            Action: ["ssm:PutParameter", "ssm:DeleteParameter", "ssm:GetParameter", "ssm:GetParameters", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource", "ssm:ListTagsForResource"],
            Resource: arn(c, "ssm", `parameter/${c.app}/${c.environment}/*`),
        },
        { Sid: "SsmDescribeParameters", Effect: "Allow", Action: "ssm:DescribeParameters", Resource: "*" },
    ];
    if (c.keyArns && c.keyArns.length > 0) {
        // Administration only (the keys' policies let IAM administer, never use), of the stack's own keys by exact ARN: a tag
        // would let this role adopt any key it can tag. No ScheduleKeyDeletion: keys are kept on destroy.
        statements.push({
            Sid: "KmsAdministerStackKeys", Effect: "Allow",
            Action: [
                "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation",
                "kms:ListResourceTags", "kms:TagResource", "kms:UntagResource", "kms:UpdateKeyDescription", "kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias",
            ],
            Resource: [...new Set(c.keyArns)],
        });
    }
    if (c.dataKeyArn) {
        // SecureString parameters and the stack's secrets are encrypted with the data key, whose policy leaves their use to
        // IAM grants: only through SSM and Secrets Manager in the stack's region (the provider writes and reads back values).
        statements.push({
            Sid: "KmsDataKeyThroughSsmAndSecrets", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], Resource: c.dataKeyArn,
            Condition: { StringEquals: { "kms:ViaService": [`ssm.${c.region}.amazonaws.com`, `secretsmanager.${c.region}.amazonaws.com`] } },
        });
    }
    if (c.storageKeyArn) {
        // Deleting an image repository retires ECR's grants on the storage key as the deleting principal (key-policies.ts).
        statements.push({ Sid: "KmsRetireEcrGrants", Effect: "Allow", Action: "kms:RetireGrant", Resource: c.storageKeyArn });
    }
    if (c.externalSecretNames.length > 0) {
        // Secrets the services reference by name: looked up (metadata only) to get their full ARN.
        statements.push({
            Sid: "SecretsReferencedMetadata", Effect: "Allow", Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"],
            Resource: c.externalSecretNames.map((name) => arn(c, "secretsmanager", `secret:${name}-??????`)),
        });
    }
    if (!c.protect) {
        // A staging destroy empties its buckets (forceDestroy); prod's are protected and never emptied by the workflow.
        statements.push({ Sid: "S3EmptyStackBucketsOnDestroy", Effect: "Allow", Action: ["s3:ListBucketVersions", "s3:DeleteObject", "s3:DeleteObjectVersion"], Resource: [buckets, `${buckets}/*`] });
    }
    return statements;
}

/** The deploy role's documents, one per concern: each becomes the customer-managed policy `<namePrefix>-deploy-<area>`. */
export const DEPLOY_POLICY_AREAS = ["network", "data", "storage", "compute", "identity", "edge", "cdn", "operations"] as const;

export function deployPolicyDocuments(c: DeployPolicyContext): Record<(typeof DEPLOY_POLICY_AREAS)[number], Document> {
    return {
        network: doc(networkStatements(c)),
        data: doc(dataStatements(c)),
        storage: doc(storageStatements(c)),
        compute: doc(computeStatements(c)),
        identity: doc(identityStatements(c)),
        edge: doc(edgeStatements(c)),
        cdn: doc(cdnStatements(c)),
        operations: doc(operationsStatements(c)),
    };
}
