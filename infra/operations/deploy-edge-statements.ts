/**
 * The deploy role's permissions for the edge (load balancer, certificates, DNS, web ACLs, CloudFront and its
 * log delivery) and for operations (log groups, alarms, dashboard, alert topic, budget, trail, backups).
 */
import { DeployPolicyContext, Statement, arn, everyRegion, stackLogGroups, stackTagIs, wafArns } from "./deploy-policies";
import { trailBucketName, trailLogGroupName, trailName } from "./trail-policies";

/** An Allow on exact ARNs, or nothing while they are unknown (a first preview, which an administrator runs). */
const onExact = (s: Omit<Statement, "Resource">, arns: (string | undefined)[] | undefined): Statement[] => {
    const known = [...new Set((arns ?? []).filter((a): a is string => typeof a === "string" && a.length > 0))];
    return known.length > 0 ? [{ ...s, Resource: known }] : [];
};

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
        // Tagging at the request (no condition tells it from tagging another certificate; no permission depends on the tag).
        { Sid: "AcmTagOnCreate", Effect: "Allow", Action: "acm:AddTagsToCertificate", Resource: certificates, Condition: stackTagIs(c, "RequestTag") },
        // The stack's certificates by exact ARN: a tag would let this role adopt (and delete) any certificate it can tag.
        ...onExact({
            Sid: "AcmStackCertificates", Effect: "Allow",
            Action: ["acm:DescribeCertificate", "acm:DeleteCertificate", "acm:ListTagsForCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"],
        }, c.certificateArns),
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
        // The stack's distribution by exact ARN (a tag would let this role adopt any distribution it can tag).
        ...onExact({
            Sid: "CloudFrontStackDistribution", Effect: "Allow",
            Action: [
                "cloudfront:GetDistribution", "cloudfront:GetDistributionConfig", "cloudfront:UpdateDistribution", "cloudfront:DeleteDistribution",
                "cloudfront:TagResource", "cloudfront:UntagResource", "cloudfront:ListTagsForResource", "cloudfront:AllowVendedLogDeliveryForResource",
            ],
        }, [c.distributionArn]),
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
    // The vaults are named `<namePrefix>-<suffix drawn once per stack>` (operations/backup.ts), in the stack's region and the copy region.
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
        // The trail audits this role: it may create it and read it, never switch it off or change what it records
        // (see the denies below). Changing or deleting the trail, its bucket's protections, its log group's retention or
        // its key's policy is an administrator's `pulumi up` (or destroy).
        {
            Sid: "CloudTrailStackTrail", Effect: "Allow",
            Action: [
                "cloudtrail:CreateTrail", "cloudtrail:StartLogging", "cloudtrail:GetTrail", "cloudtrail:GetTrailStatus",
                "cloudtrail:GetEventSelectors", "cloudtrail:GetInsightSelectors", "cloudtrail:AddTags", "cloudtrail:RemoveTags", "cloudtrail:ListTags",
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
        // The stack's plan by exact ARN (a tag would let this role adopt any plan it can tag and repoint its selections).
        ...onExact({
            Sid: "BackupStackPlan", Effect: "Allow",
            Action: [
                "backup:UpdateBackupPlan", "backup:DeleteBackupPlan", "backup:GetBackupPlan", "backup:CreateBackupSelection", "backup:DeleteBackupSelection",
                "backup:GetBackupSelection", "backup:TagResource", "backup:UntagResource", "backup:ListTags",
            ],
        }, [c.backupPlanArn]),
        { Sid: "BackupStorage", Effect: "Allow", Action: "backup-storage:MountCapsule", Resource: "*" },
        ...auditTrailDenies(c),
    ];
}

/**
 * The audit trail is not alterable by the role it audits, whatever the Allow statements say (the stack's bucket, log
 * group and trail patterns cover the trail's): no stopping, deleting or narrowing the trail, no loosening its bucket,
 * no shortening its log group's retention, no new policy on its key. Built from names (known at preview); the key's
 * deny once its ARN is known. With no trail in the stack they name nothing.
 */
export function auditTrailDenies(c: DeployPolicyContext): Statement[] {
    const group = trailLogGroupName(c.namePrefix);
    const statements: Statement[] = [
        {
            Sid: "DenyAlteringTheTrail", Effect: "Deny",
            Action: ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors"],
            Resource: arn(c, "cloudtrail", `trail/${trailName(c.namePrefix)}`),
        },
        {
            Sid: "DenyAlteringTheTrailBucket", Effect: "Deny",
            Action: ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning", "s3:PutBucketObjectLockConfiguration", "s3:DeleteBucket"],
            Resource: `arn:${c.partition}:s3:::${trailBucketName(c.namePrefix, c.accountId)}`,
        },
        {
            Sid: "DenyAlteringTheTrailLogGroup", Effect: "Deny", Action: ["logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy"],
            Resource: [arn(c, "logs", `log-group:${group}`), arn(c, "logs", `log-group:${group}:*`)],
        },
    ];
    if (c.trailKeyArn) statements.push({ Sid: "DenyTrailKeyPolicy", Effect: "Deny", Action: "kms:PutKeyPolicy", Resource: c.trailKeyArn });
    return statements;
}
