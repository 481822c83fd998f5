/**
 * What Pulumi's own AWS policy packs check, per service, read from their source (never from memory),
 * so the README's side-by-side comparison is sourced. Each check is listed by the name its source
 * registers, under the service of tools/coverage/fsbp-controls.ts SERVICES it inspects; checks of
 * services outside that list are counted under `other`.
 */

export interface OtherPack {
    /** How the README names it. */
    name: string;
    /** Where it was read: repository, commit, and the paths holding its checks. */
    source: { repo: string; commit: string; date: string; paths: string };
    /** Facts from that source the README states, each checkable there. */
    findings: string[];
    /** Service (a SERVICES name, or "other") → the checks registered for it. */
    checks: Readonly<Record<string, string[]>>;
}

/**
 * awsguard (`@pulumi/awsguard`): every `registerPolicy(...)` of src/*.ts. 28 at the newest commit; the
 * last release, 0.4.0 (2022-09-22, commit e21ef21), registered 26 (the two `*-management-conflicts`
 * checks came after). Issue 10 says 23: the source says otherwise.
 */
export const AWSGUARD: OtherPack = {
    name: "awsguard",
    source: { repo: "pulumi/pulumi-policy-aws", commit: "4355f3be903b4e13396fbcc3f735cabec89db92a", date: "2024-06-20", paths: "src/*.ts (registerPolicy calls)" },
    findings: [
        "28 policies registered at the newest commit (26 in the last release, 0.4.0), all advisory by default (src/enforcementLevel.ts); it depends on @pulumi/aws ^5.",
        "One S3 check, s3-bucket-logging-enabled: it reads `loggings` of aws.s3.Bucket, a v5 field that v7's Bucket does not have (v7 writes `logging`, deprecated for aws.s3.BucketLogging, which awsguard never reads): every v7 bucket is reported, logged or not, and no other v7 S3 resource is read.",
        "No check cites a Security Hub control id.",
    ],
    checks: {
        "S3": ["s3-bucket-logging-enabled"],
        "RDS": ["rds-instance-backup-enabled", "rds-instance-multi-az-enabled", "rds-instance-public-access", "rds-storage-encrypted"],
        "EC2 (VPC, security groups, EBS)": ["ec2-instance-detailed-monitoring-enabled", "ec2-instance-no-public-ip", "ec2-volume-inuse", "encrypted-volumes", "security-group-no-rule-management-conflicts"],
        "ELB (ALB, NLB, classic)": ["elb-logging-enabled", "alb-http-to-https-redirection", "elb-deletion-protection-enabled"],
        "KMS": ["cmk-backing-key-rotation-enabled"],
        "IAM": ["iam-role-no-policy-management-conflicts", "access-keys-rotated", "mfa-enabled-for-iam-console-access"],
        "API Gateway": ["apigateway-stage-cached", "apigateway-method-cached-and-encrypted", "apigateway-endpoint-type"],
        "DynamoDB": ["dynamodb-table-encryption-enabled"],
        "OpenSearch / Elasticsearch": ["elasticsearch-encrypted-at-rest", "elasticsearch-in-vpc-only"],
        "EFS": ["efs-encrypted"],
        "Redshift": ["redshift-cluster-configuration", "redshift-cluster-maintenance-settings", "redshift-cluster-public-access"],
        "other": ["acm-certificate-expiration"],
    },
};

/**
 * Pulumi's compliance-ready policies (`@pulumi/aws-compliance-policies`): one file per check under
 * vendor-aws/aws/<service>/<Resource>/, 97 in all; `ec2/LaunchConfiguration` is counted under EC2 Auto
 * Scaling, as Security Hub files launch configurations.
 */
export const COMPLIANCE_READY: OtherPack = {
    name: "compliance-ready",
    source: { repo: "pulumi/compliance-policies", commit: "712a901751b66642c0824c0a445197a3c64e10e3", date: "2025-05-23", paths: "vendor-aws/aws/**/*.ts (one policy per file), vendor-aws/package.json" },
    findings: [
        "97 policies (93 advisory by default; mandatory: the two IAM password-policy checks and the two onlyPermissionsViaGroups checks), built against @pulumi/aws 6.68.0; they are tagged with PCI DSS, HITRUST, ISO 27001 and CIS, never with a Security Hub control id.",
        "Every S3 check reads inline fields of aws.s3.Bucket (`serverSideEncryptionConfiguration`, `acl`, `replicationConfiguration`), which v7 deprecates for separate resources (BucketServerSideEncryptionConfiguration, BucketAcl, BucketReplicationConfig) that no check reads: a v7 bucket encrypted the v7 way is reported as unencrypted.",
        "No check reads a load balancer's `internal` flag; aws-ec2-securitygroup-disallow-public-internet-ingress reports any security group with 0.0.0.0/0 or ::/0 ingress on any port, so the security group of every internet-facing load balancer is reported (and aws-ec2-securitygroup-disallow-inbound-http-traffic reports port 80, which an HTTP-to-HTTPS redirect needs).",
    ],
    checks: {
        "S3": ["configureReplicationConfiguration", "configureServerSideEncryptionCustomerManagedKey", "configureServerSideEncryptionKms", "disallowPublicRead", "enableReplicationConfiguration", "enableServerSideEncryption", "enableServerSideEncryptionBucketKey"],
        "RDS": [
            "Cluster/configureBackupRetention", "Cluster/configureCustomerManagedKey", "Cluster/disallowSingleAvailabilityZone", "Cluster/disallowUnencryptedStorage", "Cluster/enableBackupRetention",
            "ClusterInstance/disallowPublicAccess", "ClusterInstance/disallowUnencryptedPerformanceInsights", "ClusterInstance/enablePerformanceInsights",
            "Instance/configureBackupRetention", "Instance/configureCustomerManagedKey", "Instance/disallowPublicAccess", "Instance/disallowUnencryptedPerformanceInsights",
            "Instance/disallowUnencryptedStorage", "Instance/enableBackupRetention", "Instance/enablePerformanceInsights",
        ],
        "ECR": ["configureCustomerManagedKey", "configureImageScan", "disallowMutableImage", "disallowUnencryptedRepository", "enableImageScan"],
        "EC2 (VPC, security groups, EBS)": [
            "ebs/Volume/configureCustomerManagedKey", "ebs/Volume/disallowUnencryptedVolume",
            "Instance/disallowPublicIp", "Instance/disallowUnencryptedBlockDevice", "Instance/disallowUnencryptedRootBlockDevice",
            "LaunchTemplate/configureCustomerManagedKey", "LaunchTemplate/disallowPublicIp", "LaunchTemplate/disallowUnencryptedBlockDevice",
            "SecurityGroup/disallowInboundHttpTraffic", "SecurityGroup/disallowPublicInternetIngress", "SecurityGroup/missingDescription",
            "SecurityGroup/missingEgressRuleDescription", "SecurityGroup/missingIngressRuleDescription",
        ],
        "EC2 Auto Scaling": ["LaunchConfiguration/disallowPublicIp", "LaunchConfiguration/disallowUnencryptedBlockDevice", "LaunchConfiguration/disallowUnencryptedRootBlockDevice"],
        "ELB (ALB, NLB, classic)": [
            "alb/Listener/configureSecureTls", "alb/Listener/disallowUnencryptedTraffic", "alb/LoadBalancer/configureAccessLogging", "alb/LoadBalancer/enableAccessLogging",
            "lb/Listener/configureSecureTls", "lb/Listener/disallowUnencryptedTraffic", "lb/LoadBalancer/configureAccessLogging", "lb/LoadBalancer/enableAccessLogging",
            "elb/LoadBalancer/configureAccessLogging", "elb/LoadBalancer/configureMultiAvailabilityZone", "elb/LoadBalancer/disallowUnencryptedTraffic", "elb/LoadBalancer/enableHealthCheck",
        ],
        "CloudFront": ["configureAccessLogging", "configureSecureTls", "configureSecureTlsToOrigin", "configureWaf", "disallowUnencryptedTraffic", "enableAccessLogging", "enableTlsToOrigin"],
        "KMS": ["disallowBypassPolicyLockoutSafetyCheck", "enableKeyRotation", "missingDescription"],
        "IAM": ["AccountPasswordPolicy/minimumPasswordLength", "AccountPasswordPolicy/passwordReusePrevention", "PolicyAttachment/onlyPermissionsViaGroups", "UserPolicyAttachment/onlyPermissionsViaGroups"],
        "Secrets Manager": ["configureCustomerManagedKey", "missingDescription"],
        "Lambda": ["Function/configureTracingConfig", "Function/enableTracingConfig", "Function/missingDescription", "Permission/configureSourceArn"],
        "API Gateway": [
            "apigateway/DomainName/configureSecurityPolicy", "apigatewayv2/DomainName/configureDomainNameSecurityPolicy", "apigatewayv2/DomainName/enableDomainNameConfiguration",
            "apigatewayv2/Stage/configureAccessLogging", "apigatewayv2/Stage/enableAccessLogging",
        ],
        "EKS": ["disallowApiEndpointPublicAccess", "enableClusterEncryptionConfig"],
        "EFS": ["configureCustomerManagedKey", "disallowSingleAvailabilityZone", "disallowUnencryptedFileSystem"],
        "other": [
            "appflow/ConnectorProfile/configureCustomerManagedKey", "appflow/Flow/configureCustomerManagedKey", "appflow/Flow/missingDescription",
            "athena/DataCatalog/missingDescription", "athena/Database/configureCustomerManagedKey", "athena/Database/disallowUnencryptedDatabase", "athena/Database/missingDescription",
            "athena/NamedQuery/missingDescription", "athena/Workgroup/configureCustomerManagedKey", "athena/Workgroup/disallowUnencryptedWorkgroup", "athena/Workgroup/enforceConfiguration",
            "athena/Workgroup/missingDescription",
        ],
    },
};

export const OTHER_PACKS: readonly OtherPack[] = [AWSGUARD, COMPLIANCE_READY];
