import * as aws from "@pulumi/aws";
import { ofType } from "../lib/by-type";
import { Policies } from "@pulumi/policy";
import { resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { isSet, isUnknown, list, show } from "../lib/props";

/** bk-01: recovery points are encrypted with a key the account controls. */
export const backupVaultEncryption = resourcePolicy({
    name: "backup-vault-encryption",
    description: "AWS Backup vaults must be encrypted with a customer-managed KMS key.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Set `kmsKeyArn` on the aws.backup.Vault to a customer-managed aws.kms.Key ARN.",
    securityHub: ["Backup.1"],
    catalogue: ["bk-01"],
    types: [aws.backup.Vault],
    check: (vault, _ctx, report) => {
        if (!isSet(vault.kmsKeyArn)) {
            report.violation("AWS Backup vault must be encrypted with a customer-managed KMS key: kmsKeyArn is unset, so AWS uses aws/backup, expected a customer key ARN.");
        }
    },
});

interface PlanConfig {
    minimumRetentionDays: number;
    requireCrossRegionCopy: boolean;
}

/** bk-01: backups live long enough to recover from a late-noticed mistake, and (prod) survive a region. */
export const backupPlanRetention = resourcePolicy<PlanConfig>({
    name: "backup-plan-retention",
    description: "AWS Backup plan rules must keep recovery points (and their copies) at least the configured days, and copy them to another region when required.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps:
        "On every rule of the aws.backup.Plan set `lifecycle.deleteAfter` to at least the minimum (or leave it unset to keep recovery points), " +
        "and when cross-region copies are required add a `copyActions` entry whose `destinationVaultArn` is a vault in another region.",
    catalogue: ["bk-01"],
    config: {
        minimumRetentionDays: { type: "integer", minimum: 1, default: 30, description: "Shortest retention allowed for recovery points and their copies." },
        requireCrossRegionCopy: { type: "boolean", default: false, description: "Every rule must copy to another region's vault (set true for prod)." },
    },
    types: [aws.backup.Plan],
    check: (plan, { config }, report) => {
        const min = config.minimumRetentionDays;
        const keeps = `recovery points are kept at least ${min} days`;
        if (isUnknown(plan.rules)) {
            report.unverifiable("rules", plan.rules, keeps);
            return;
        }
        list(plan.rules).forEach((rule: any, i: number) => {
            const label = `AWS Backup plan rule ${show(rule.ruleName)}`;
            const retention = (path: string, lifecycle: unknown, what: string) => {
                const days = isUnknown(lifecycle) ? lifecycle : (lifecycle as any)?.deleteAfter;
                if (isUnknown(days)) report.unverifiable(path, days, keeps);
                else if (typeof days === "number" && days < min) {
                    report.violation(`${label} must keep ${what} at least ${min} days: ${path} is ${days}.`);
                }
            };
            retention(`rules[${i}].lifecycle.deleteAfter`, rule.lifecycle, "recovery points");
            const copies = rule.copyActions;
            if (isUnknown(copies)) return; // set: checked again after apply
            if (config.requireCrossRegionCopy && list(copies).length === 0) {
                report.violation(`${label} must copy recovery points to another region: copyActions is ${show(copies)}, expected at least one copy action.`);
            }
            list(copies).forEach((copy: any, j: number) => retention(`rules[${i}].copyActions[${j}].lifecycle.deleteAfter`, copy?.lifecycle, "copies"));
        });
    },
});

/** bud-01: someone hears about spend before the invoice does. */
export const budgetCostAlerts = stackPolicy({
    name: "budget-cost-alerts",
    description: "The stack must have at least one cost budget that notifies an email address or SNS topic.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps:
        "Add an aws.budgets.Budget with `budgetType: \"COST\"` and a `notifications` entry with `subscriberEmailAddresses` or `subscriberSnsTopicArns`. " +
        "Where budgets are managed centrally for the account, disable this policy in the stack's policy config.",
    catalogue: ["bud-01"],
    check: (resources, _ctx, report) => {
        const budgets = ofType(resources, tokenOf(aws.budgets.Budget));
        // An unknown list (a topic ARN from this stack) counts as a subscriber.
        const filled = (v: unknown) => isUnknown(v) || list(v).length > 0;
        const notifies = (b: (typeof budgets)[number]) =>
            isUnknown(b.props.notifications) || list(b.props.notifications).some((n: any) => filled(n?.subscriberEmailAddresses) || filled(n?.subscriberSnsTopicArns));
        const cost = budgets.filter((b) => b.props.budgetType === "COST");
        if (cost.some(notifies)) return;
        const unknownType = budgets.find((b) => isUnknown(b.props.budgetType));
        if (unknownType) report.unverifiable(unknownType, "budgetType", "the stack has a cost budget with a subscriber");
        else if (cost.length === 0) {
            report.violation(undefined, `Stack must have a cost budget: found ${budgets.length} aws.budgets.Budget and none with budgetType "COST", expected one that notifies a subscriber.`);
        } else {
            for (const b of cost) {
                report.violation(b, "Cost budget must notify a subscriber: no notification has subscriberEmailAddresses or subscriberSnsTopicArns, expected at least one.");
            }
        }
    },
});

/** Tags this project requires (infra/config/types.ts REQUIRED_TAGS; the pack is deployed without the program). */
export const REQUIRED_TAGS = ["Environment", "Project", "Owner", "CostCenter"];

/**
 * Resource types of this topology whose arguments accept `tags` (tests/policies/governance.test.ts checks
 * each against @pulumi/aws). A static list, because an absent `tags` input cannot tell a taggable resource
 * from one that is not; stacks add types through config.
 */
export const TAGGABLE_TYPES: string[] = [
    aws.ec2.Vpc, aws.ec2.Subnet, aws.ec2.RouteTable, aws.ec2.InternetGateway, aws.ec2.NatGateway, aws.ec2.Eip,
    aws.ec2.SecurityGroup, aws.ec2.VpcEndpoint, aws.ec2.FlowLog, aws.ec2.NetworkAcl,
    aws.vpc.SecurityGroupIngressRule, aws.vpc.SecurityGroupEgressRule,
    aws.lb.LoadBalancer, aws.lb.TargetGroup, aws.lb.Listener, aws.alb.LoadBalancer, aws.alb.TargetGroup, aws.alb.Listener,
    aws.ecs.Cluster, aws.ecs.Service, aws.ecs.TaskDefinition, aws.ecr.Repository,
    aws.rds.Instance, aws.rds.Cluster, aws.rds.SubnetGroup, aws.rds.ParameterGroup, aws.rds.ClusterParameterGroup,
    aws.docdb.Cluster, aws.docdb.ClusterInstance, aws.docdb.SubnetGroup, aws.docdb.ClusterParameterGroup,
    aws.elasticache.ReplicationGroup, aws.elasticache.SubnetGroup, aws.elasticache.ParameterGroup,
    aws.s3.Bucket, aws.s3.BucketV2, aws.kms.Key, aws.secretsmanager.Secret, aws.ssm.Parameter,
    aws.cloudwatch.LogGroup, aws.cloudwatch.MetricAlarm, aws.cloudwatch.CompositeAlarm, aws.sns.Topic, aws.cloudtrail.Trail,
    aws.backup.Vault, aws.backup.Plan, aws.budgets.Budget, aws.iam.Role, aws.iam.Policy,
    aws.wafv2.WebAcl, aws.cloudfront.Distribution, aws.acm.Certificate, aws.route53.Zone,
    // The services other teams' stacks use.
    aws.lambda.Function, aws.sfn.StateMachine, aws.apigateway.RestApi, aws.apigateway.Stage, aws.apigatewayv2.Api, aws.apigatewayv2.Stage,
    aws.sqs.Queue, aws.dynamodb.Table, aws.kinesis.Stream, aws.kinesis.FirehoseDeliveryStream,
    aws.ec2.Instance, aws.ec2.SpotInstanceRequest, aws.ec2.LaunchTemplate, aws.ebs.Volume, aws.elb.LoadBalancer, aws.eks.Cluster,
    aws.opensearch.Domain, aws.efs.FileSystem, aws.elasticache.ServerlessCache, aws.memorydb.Cluster, aws.redshift.Cluster,
].map(tokenOf);

const TOKEN_SCHEMA = { type: "string", pattern: "^[^:]+:[^:]+:[^:]+$" };

interface TagsConfig {
    requiredTags: string[];
    providerDefaultTags: string[];
    taggableTypes: string[];
}

/** tag-01: cost and ownership are attributable, whether tags come from the resource or the provider. */
export const tagsRequired = stackPolicy<TagsConfig>({
    name: "tags-required",
    description: "Taggable resources must carry the required tags, on the resource or through the provider's default tags.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps:
        "Set the tags in the stack's `aws:defaultTags` (this program's way) and list their keys in this policy's `providerDefaultTags` config, " +
        "since provider default tags do not appear in resource inputs; or set them in the resource's `tags`.",
    catalogue: ["tag-01"],
    config: {
        requiredTags: { type: "array", items: { type: "string", minLength: 1 }, default: REQUIRED_TAGS, description: "Tag keys every taggable resource must carry." },
        providerDefaultTags: {
            type: "array", items: { type: "string", minLength: 1 }, default: [],
            description: "Tag keys the stack's AWS provider applies through `aws:defaultTags`; resources need not repeat them.",
        },
        taggableTypes: { type: "array", items: TOKEN_SCHEMA, default: TAGGABLE_TYPES, description: "Type tokens of the resources checked." },
    },
    check: (resources, { config }, report) => {
        const types = new Set(config.taggableTypes);
        const fromProvider = new Set(config.providerDefaultTags);
        const needed = config.requiredTags.filter((k) => !fromProvider.has(k));
        if (needed.length === 0) return;
        const expected = `expected ${config.requiredTags.join(", ")} (on the resource or in providerDefaultTags)`;
        for (const r of resources.filter((x) => types.has(x.type))) {
            const tags = r.props.tags;
            if (isUnknown(tags)) {
                report.unverifiable(r, "tags", `the resource carries the tags ${needed.join(", ")}`);
                continue;
            }
            // A tag whose value is unknown is still present.
            const missing = needed.filter((k) => !(tags !== null && typeof tags === "object" && k in tags));
            if (missing.length > 0) {
                report.violation(r, `Resource ${r.type} must carry the required tags: ${missing.join(", ")} missing, ${expected}.`);
            }
        }
    },
});

/** Resources that hold data: deleting or replacing one loses it. Every token of a kind: a key imported or replicated is still a key. */
export const STATEFUL_TYPES: string[] = [
    aws.rds.Instance, aws.rds.Cluster, aws.docdb.Cluster, aws.docdb.ElasticCluster,
    aws.elasticache.ReplicationGroup, aws.elasticache.ServerlessCache, aws.memorydb.Cluster, aws.opensearch.Domain,
    aws.s3.Bucket, aws.s3.BucketV2, aws.s3.DirectoryBucket,
    aws.kms.Key, aws.kms.ExternalKey, aws.kms.ReplicaKey, aws.kms.ReplicaExternalKey,
    aws.dynamodb.Table, aws.dynamodb.TableReplica, aws.efs.FileSystem, aws.elasticsearch.Domain,
    aws.redshift.Cluster, aws.redshiftserverless.Namespace, aws.ebs.Volume, aws.ebs.Snapshot,
    // Messages and records not yet consumed are lost with the queue or stream.
    aws.sqs.Queue, aws.kinesis.Stream,
    // The images a service runs: with immutable tags, a deleted repository cannot be rebuilt tag for tag.
    aws.ecr.Repository,
].map(tokenOf);

/** prot-01: neither `pulumi destroy` nor a replacing change can delete data in prod. */
export const statefulProtect = stackPolicy<{ statefulTypes: string[] }>({
    name: "stateful-protect",
    description: "Stateful resources (databases, caches, buckets, keys, image repositories, tables, file systems) must be protected from deletion (`protect`).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Create the resource with `{ protect: true, retainOnDelete: true }` (this program sets both from `baseline:protectStatefulResources`). " +
        "The engine sends only `protect` to policy packs, so `retainOnDelete` alone cannot be verified here. " +
        "Non-production stacks set this policy to advisory or disabled in their policy config.",
    catalogue: ["prot-01"],
    config: {
        statefulTypes: { type: "array", items: TOKEN_SCHEMA, minItems: 1, default: STATEFUL_TYPES, description: "Type tokens of the resources that must be protected." },
    },
    check: (resources, { config }, report) => {
        const types = new Set(config.statefulTypes);
        for (const r of resources.filter((x) => types.has(x.type))) {
            if (r.opts.protect !== true) {
                report.violation(r, `Stateful resource ${r.type} must be protected from deletion: protect is ${show(r.opts.protect ?? false)}, expected true.`);
            }
        }
    },
});

export const governancePolicies: Policies = [backupVaultEncryption, backupPlanRetention, budgetCostAlerts, tagsRequired, statefulProtect];
