import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { statefulProtect, tagsRequired } from "../../policies/operations/governance";
import { TypeRef, tokenOf } from "../../policies/lib/define";
import { messages, res, run } from "./helpers";

/**
 * The resource types tags-required and stateful-protect enumerate, each exercised: an untagged or
 * unprotected resource of every type is reported. The lists here are the requirement (every
 * taggable resource of this topology, every token of a data store), written independently of the
 * pack's, so a type dropped from the pack fails here.
 */

const TAGGABLE: TypeRef[] = [
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
    // Services of other teams' stacks.
    aws.lambda.Function, aws.sfn.StateMachine, aws.apigateway.RestApi, aws.apigateway.Stage, aws.apigatewayv2.Api, aws.apigatewayv2.Stage,
    aws.sqs.Queue, aws.dynamodb.Table, aws.kinesis.Stream, aws.kinesis.FirehoseDeliveryStream,
    aws.ec2.Instance, aws.ec2.SpotInstanceRequest, aws.ec2.LaunchTemplate, aws.ebs.Volume, aws.elb.LoadBalancer, aws.eks.Cluster,
    aws.opensearch.Domain, aws.efs.FileSystem, aws.elasticache.ServerlessCache, aws.memorydb.Cluster, aws.redshift.Cluster,
];

const STATEFUL: TypeRef[] = [
    aws.rds.Instance, aws.rds.Cluster, aws.docdb.Cluster, aws.docdb.ElasticCluster,
    aws.elasticache.ReplicationGroup, aws.elasticache.ServerlessCache, aws.memorydb.Cluster, aws.opensearch.Domain,
    aws.s3.Bucket, aws.s3.BucketV2, aws.s3.DirectoryBucket,
    aws.kms.Key, aws.kms.ExternalKey, aws.kms.ReplicaKey, aws.kms.ReplicaExternalKey,
    aws.dynamodb.Table, aws.dynamodb.TableReplica, aws.efs.FileSystem, aws.elasticsearch.Domain, aws.ecr.Repository,
    aws.redshift.Cluster, aws.redshiftserverless.Namespace, aws.ebs.Volume, aws.ebs.Snapshot, aws.sqs.Queue, aws.kinesis.Stream,
];

describe("policies: governance, every type enumerated", () => {
    it("tags-required checks each taggable type of the topology (both load balancer tokens, both bucket tokens)", async () => {
        const untagged = TAGGABLE.map((t, i) => res(t, {}, { name: `r${i}` }));
        assert.deepStrictEqual(messages(await run(tagsRequired, untagged, { requiredTags: ["Owner"] })), TAGGABLE.map((t) =>
            `Resource ${tokenOf(t)} must carry the required tags: Owner missing, expected Owner (on the resource or in providerDefaultTags).`));
    });

    it("stateful-protect requires protect on each data store type and token", async () => {
        const unprotected = STATEFUL.map((t, i) => res(t, {}, { name: `data-${i}` }));
        assert.deepStrictEqual(messages(await run(statefulProtect, unprotected)), STATEFUL.map((t) =>
            `Stateful resource ${tokenOf(t)} must be protected from deletion: protect is false, expected true.`));
    });
});
