/**
 * The deploy role's permissions for the edge (load balancer, certificates, DNS, web ACLs, CloudFront and its
 * log delivery) and for operations (log groups, alarms, dashboard, alert topic, budget, trail, backups).
 */
import { DeployPolicyContext, Statement, arn, everyRegion, stackLogGroups, stackTagIs, wafArns } from "./deploy-policies";

const loadBalancerArn = (c: DeployPolicyContext) => arn(c, "elasticloadbalancing", `loadbalancer/app/${c.namePrefix}-*/*`);

/** Load balancer, certificates, records. */
export function edgeStatements(c: DeployPolicyContext): Statement[] {
    const n = c.namePrefix;
    const elb = (r: string) => arn(c, "elasticloadbalancing", r);
    const loadBalancer = loadBalancerArn(c);
    const certificates = everyRegion(c, "edge", "acm", "certificate/*");
    return [
        {
            Sid: "ElbStackLoadBalancer", Effect: "Allow",
            Action: [
                "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyLoadBalancerAttributes",
                "elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets", "elasticloadbalancing:SetIpAddressType", "elasticloadbalancing:SetWebAcl",
                "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyListenerAttributes",
                "elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
                "elasticloadbalancing:CreateRule", "elasticloadbalancing:DeleteRule", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:SetRulePriorities",
                "elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags",
            ],
            Resource: [loadBalancer, elb(`targetgroup/${n}-*/*`), elb(`listener/app/${n}-*/*/*`), elb(`listener-rule/app/${n}-*/*/*/*`)],
        },
        { Sid: "ElbRead", Effect: "Allow", Action: "elasticloadbalancing:Describe*", Resource: "*" },
        // A certificate request has no ARN yet: the request must carry the stack's tag and only the stack's names.
        {
            Sid: "AcmRequestWithStackTag", Effect: "Allow", Action: "acm:RequestCertificate", Resource: "*",
            Condition: { ...stackTagIs(c, "RequestTag"), "ForAllValues:StringLike": { "acm:DomainNames": [c.domainName, `*.${c.domainName}`] } },
        },
        { Sid: "AcmTagOnCreate", Effect: "Allow", Action: "acm:AddTagsToCertificate", Resource: certificates, Condition: stackTagIs(c, "RequestTag") },
        {
            Sid: "AcmStackCertificates", Effect: "Allow",
            Action: ["acm:DescribeCertificate", "acm:DeleteCertificate", "acm:ListTagsForCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"],
            Resource: certificates, Condition: stackTagIs(c, "ResourceTag"),
        },
        // Records only at the domain and below it (validation CNAMEs, origin.<domain>), only in the stack's zone.
        {
            Sid: "Route53StackRecords", Effect: "Allow", Action: "route53:ChangeResourceRecordSets", Resource: arn(c, "route53", `hostedzone/${c.hostedZoneId}`, "", ""),
            Condition: { "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": [c.domainName, `*.${c.domainName}`] } },
        },
        {
            Sid: "Route53ReadZone", Effect: "Allow", Action: ["route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:ListTagsForResource"],
            Resource: arn(c, "route53", `hostedzone/${c.hostedZoneId}`, "", ""),
        },
        // A change's id is Route 53's: the provider polls it until the records are in sync.
        { Sid: "Route53Changes", Effect: "Allow", Action: "route53:GetChange", Resource: arn(c, "route53", "change/*", "", "") },
        { Sid: "Route53FindZone", Effect: "Allow", Action: ["route53:ListHostedZones", "route53:ListHostedZonesByName"], Resource: "*" },
    ];
}

/** Web ACLs, the distribution and its policies, CloudFront's log delivery (v2, in us-east-1). */
export function cdnStatements(c: DeployPolicyContext): Statement[] {
    const n = c.namePrefix;
    const cloudFront = (r: string) => arn(c, "cloudfront", r, "");
    const statements: Statement[] = [
        {
            Sid: "WafStackAcls", Effect: "Allow",
            Action: [
                "wafv2:CreateWebACL", "wafv2:UpdateWebACL", "wafv2:DeleteWebACL", "wafv2:GetWebACL", "wafv2:CreateIPSet", "wafv2:UpdateIPSet", "wafv2:DeleteIPSet",
                "wafv2:GetIPSet", "wafv2:PutLoggingConfiguration", "wafv2:DeleteLoggingConfiguration", "wafv2:GetLoggingConfiguration",
                "wafv2:AssociateWebACL", "wafv2:DisassociateWebACL", "wafv2:GetWebACLForResource", "wafv2:TagResource", "wafv2:UntagResource", "wafv2:ListTagsForResource",
            ],
            Resource: [...wafArns(c, (kind) => `${kind}/${n}-*/*`, ["webacl", "ipset"]), loadBalancerArn(c)],
        },
        // The AWS managed rule groups the ACLs reference (AWS's, named by AWS).
        { Sid: "WafManagedRuleGroups", Effect: "Allow", Action: ["wafv2:CreateWebACL", "wafv2:UpdateWebACL"], Resource: wafArns(c, () => "managedruleset/*/*", ["managedruleset"], "*") },
        { Sid: "CloudFrontCreateWithStackTag", Effect: "Allow", Action: ["cloudfront:CreateDistribution", "cloudfront:TagResource"], Resource: cloudFront("distribution/*"), Condition: stackTagIs(c, "RequestTag") },
        {
            Sid: "CloudFrontStackDistribution", Effect: "Allow",
            Action: [
                "cloudfront:GetDistribution", "cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution", "cloudfront:DeleteDistribution",
                "cloudfront:TagResource", "cloudfront:UntagResource", "cloudfront:ListTagsForResource", "cloudfront:AllowVendedLogDeliveryForResource",
            ],
            Resource: cloudFront("distribution/*"), Condition: stackTagIs(c, "ResourceTag"),
        },
        // Origin access controls and response headers policies take no tags and carry ids only; the managed cache and
        // origin-request policies are AWS's.
        {
            Sid: "CloudFrontPolicies", Effect: "Allow",
            Action: [
                "cloudfront:CreateOriginAccessControl", "cloudfront:GetOriginAccessControl", "cloudfront:UpdateOriginAccessControl", "cloudfront:DeleteOriginAccessControl",
                "cloudfront:CreateResponseHeadersPolicy", "cloudfront:GetResponseHeadersPolicy", "cloudfront:UpdateResponseHeadersPolicy", "cloudfront:DeleteResponseHeadersPolicy",
                "cloudfront:GetCachePolicy", "cloudfront:GetOriginRequestPolicy",
            ],
            Resource: ["origin-access-control/*", "response-headers-policy/*", "cache-policy/*", "origin-request-policy/*"].map(cloudFront),
        },
    ];
    const region = c.cloudFrontRegion;
    if (region !== undefined) {
        statements.push(
            {
                Sid: "LogsStackDeliveryEnds", Effect: "Allow",
                Action: [
                    "logs:PutDeliverySource", "logs:GetDeliverySource", "logs:DeleteDeliverySource", "logs:PutDeliveryDestination", "logs:GetDeliveryDestination",
                    "logs:DeleteDeliveryDestination", "logs:CreateDelivery", "logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource",
                ],
                Resource: [arn(c, "logs", `delivery-source:${n}-*`, region), arn(c, "logs", `delivery-destination:${n}-*`, region)],
            },
            // A delivery between them is named by a generated id.
            {
                Sid: "LogsDeliveries", Effect: "Allow",
                Action: ["logs:CreateDelivery", "logs:GetDelivery", "logs:DeleteDelivery", "logs:UpdateDeliveryConfiguration", "logs:TagResource", "logs:ListTagsForResource"],
                Resource: arn(c, "logs", "delivery:*", region),
            },
        );
    }
    return statements;
}

/** Log groups, alarms, dashboard, alert topic, budget, trail, backups. */
export function operationsStatements(c: DeployPolicyContext): Statement[] {
    const n = c.namePrefix;
    const groups = stackLogGroups(n);
    // The vault is named `<namePrefix>` itself (operations/backup.ts), in the stack's region and the copy region.
    const vaults = [...everyRegion(c, "backup", "backup", `backup-vault:${n}`), ...everyRegion(c, "backup", "backup", `backup-vault:${n}-*`)];
    const plans = arn(c, "backup", "backup-plan:*");
    return [
        {
            Sid: "LogsStackGroups", Effect: "Allow",
            Action: [
                "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy", "logs:AssociateKmsKey", "logs:DisassociateKmsKey",
                "logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource", "logs:TagLogGroup", "logs:UntagLogGroup", "logs:ListTagsLogGroup",
            ],
            Resource: groups.flatMap((g) => everyRegion(c, "edge", "logs", `log-group:${g}`)),
        },
        {
            Sid: "LogsAccountLevel", Effect: "Allow",
            Action: [
                "logs:DescribeLogGroups", "logs:PutResourcePolicy", "logs:DeleteResourcePolicy", "logs:DescribeResourcePolicies",
                "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery", "logs:ListLogDeliveries",
                "logs:DescribeDeliveries", "logs:DescribeDeliverySources", "logs:DescribeDeliveryDestinations",
            ],
            Resource: "*",
        },
        {
            Sid: "CloudWatchStackAlarmsAndDashboard", Effect: "Allow",
            Action: [
                "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource",
                "cloudwatch:ListTagsForResource", "cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:DeleteDashboards",
            ],
            Resource: [arn(c, "cloudwatch", `alarm:${n}-*`), arn(c, "cloudwatch", `dashboard/${n}*`, "")],
        },
        {
            // Subscriptions' ARNs are `<topic ARN>:<id>`, so the pattern covers them too.
            Sid: "SnsStackTopic", Effect: "Allow",
            Action: [
                "sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Unsubscribe",
                "sns:ListSubscriptionsByTopic", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:TagResource", "sns:UntagResource", "sns:ListTagsForResource",
            ],
            Resource: arn(c, "sns", `${n}-*`),
        },
        { Sid: "BudgetsStackBudget", Effect: "Allow", Action: ["budgets:ModifyBudget", "budgets:ViewBudget", "budgets:TagResource", "budgets:UntagResource", "budgets:ListTagsForResource"], Resource: arn(c, "budgets", `budget/${n}*`, "") },
        // No cloudtrail:StopLogging: the workflow can never switch the audit trail off; no DeleteTrail where resources are protected.
        {
            Sid: "CloudTrailStackTrail", Effect: "Allow",
            Action: [
                "cloudtrail:CreateTrail", "cloudtrail:UpdateTrail", "cloudtrail:StartLogging", "cloudtrail:GetTrail", "cloudtrail:GetTrailStatus",
                "cloudtrail:GetEventSelectors", "cloudtrail:PutEventSelectors", "cloudtrail:GetInsightSelectors", "cloudtrail:AddTags", "cloudtrail:RemoveTags", "cloudtrail:ListTags",
                ...(c.protect ? [] : ["cloudtrail:DeleteTrail"]),
            ],
            Resource: arn(c, "cloudtrail", `trail/${n}-*`),
        },
        { Sid: "CloudTrailList", Effect: "Allow", Action: "cloudtrail:DescribeTrails", Resource: "*" },
        // No DeleteBackupVaultLockConfiguration or DeleteBackupVaultAccessPolicy: only an administrator lifts the vault's protections.
        {
            Sid: "BackupStackVaults", Effect: "Allow",
            Action: [
                "backup:CreateBackupVault", "backup:DescribeBackupVault", "backup:PutBackupVaultLockConfiguration", "backup:PutBackupVaultAccessPolicy",
                "backup:GetBackupVaultAccessPolicy", "backup:TagResource", "backup:UntagResource", "backup:ListTags",
                ...(c.protect ? [] : ["backup:DeleteBackupVault"]),
            ],
            Resource: vaults,
        },
        { Sid: "BackupCreatePlanWithStackTag", Effect: "Allow", Action: ["backup:CreateBackupPlan", "backup:TagResource"], Resource: plans, Condition: stackTagIs(c, "RequestTag") },
        {
            Sid: "BackupStackPlan", Effect: "Allow",
            Action: [
                "backup:UpdateBackupPlan", "backup:DeleteBackupPlan", "backup:GetBackupPlan", "backup:CreateBackupSelection", "backup:DeleteBackupSelection",
                "backup:GetBackupSelection", "backup:TagResource", "backup:UntagResource", "backup:ListTags",
            ],
            Resource: plans, Condition: stackTagIs(c, "ResourceTag"),
        },
        { Sid: "BackupStorage", Effect: "Allow", Action: "backup-storage:MountCapsule", Resource: "*" },
    ];
}
