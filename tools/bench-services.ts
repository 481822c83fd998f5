/**
 * Resources of the services other teams' stacks use and this topology does not (Lambda, queues,
 * tables, instances, clusters, search domains...), for the benchmark's mixed stack: one "service
 * unit" of about two dozen resources, half of them compliant and half not, linked to each other the
 * way a program links them (property dependencies), so stack policies join across them.
 */
import * as aws from "@pulumi/aws";
import { tokenOf } from "../policies/lib/define";
import { EvalResource } from "./offline/evaluate";

const OPTS = { protect: false, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [] };

interface Spec {
    cls: Function;
    name: string;
    props: Record<string, unknown>;
    /** input → names of the unit's resources its value came from. */
    from?: Record<string, string[]>;
}

const QUEUE_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-1:123456789012:orders" } } }],
});

/** One unit: every new service, a compliant and a careless variant of the common ones. */
const UNIT: Spec[] = [
    { cls: aws.kms.Key, name: "key", props: { enableKeyRotation: true, description: "unit key" } },
    { cls: aws.sqs.Queue, name: "dlq", props: { sqsManagedSseEnabled: true } },
    { cls: aws.sqs.Queue, name: "queue", props: { kmsMasterKeyId: "alias/unit", policy: QUEUE_POLICY }, from: { kmsMasterKeyId: ["key"] } },
    { cls: aws.sqs.Queue, name: "careless-queue", props: { sqsManagedSseEnabled: false } },
    { cls: aws.sqs.QueuePolicy, name: "queue-policy", props: { queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/queue", policy: QUEUE_POLICY }, from: { queueUrl: ["queue"] } },
    { cls: aws.sns.Topic, name: "topic", props: { kmsMasterKeyId: "alias/unit" }, from: { kmsMasterKeyId: ["key"] } },
    { cls: aws.sns.TopicPolicy, name: "topic-policy", props: { arn: "arn:aws:sns:eu-west-1:123456789012:topic", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sns:Publish", Resource: "*" }] }) }, from: { arn: ["topic"] } },
    {
        cls: aws.lambda.Function, name: "fn",
        props: { runtime: "nodejs22.x", handler: "index.handler", role: "arn:aws:iam::123456789012:role/fn", environment: { variables: { LOG_LEVEL: "info", DB_PASSWORD: "hunter2" } }, deadLetterConfig: { targetArn: "arn:aws:sqs:eu-west-1:123456789012:dlq" }, vpcConfig: { subnetIds: ["subnet-1", "subnet-2"], securityGroupIds: ["sg-1"] } },
        from: { deadLetterConfig: ["dlq"] },
    },
    { cls: aws.lambda.Function, name: "old-fn", props: { runtime: "nodejs16.x", handler: "index.handler", role: "arn:aws:iam::123456789012:role/fn" } },
    { cls: aws.lambda.FunctionUrl, name: "fn-url", props: { functionName: "fn", authorizationType: "NONE" }, from: { functionName: ["fn"] } },
    { cls: aws.lambda.Permission, name: "fn-permission", props: { action: "lambda:InvokeFunction", function: "fn", principal: "sns.amazonaws.com", sourceArn: "arn:aws:sns:eu-west-1:123456789012:topic" }, from: { function: ["fn"], sourceArn: ["topic"] } },
    { cls: aws.sfn.StateMachine, name: "flow", props: { roleArn: "arn:aws:iam::123456789012:role/flow", definition: "{}", loggingConfiguration: { level: "ERROR", includeExecutionData: false, logDestination: "arn:aws:logs:eu-west-1:123456789012:log-group:flow:*" } } },
    { cls: aws.dynamodb.Table, name: "table", props: { hashKey: "id", attributes: [{ name: "id", type: "S" }], billingMode: "PAY_PER_REQUEST", pointInTimeRecovery: { enabled: true }, deletionProtectionEnabled: true, serverSideEncryption: { enabled: true } } },
    { cls: aws.dynamodb.Table, name: "careless-table", props: { hashKey: "id", attributes: [{ name: "id", type: "S" }], billingMode: "PAY_PER_REQUEST" } },
    { cls: aws.kinesis.Stream, name: "stream", props: { encryptionType: "KMS", kmsKeyId: "alias/aws/kinesis", shardCount: 1 } },
    { cls: aws.kinesis.FirehoseDeliveryStream, name: "firehose", props: { destination: "extended_s3", serverSideEncryption: { enabled: true, keyType: "AWS_OWNED_CMK" } } },
    { cls: aws.ec2.LaunchTemplate, name: "template", props: { imageId: "ami-123", metadataOptions: { httpTokens: "required" }, blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }] } },
    { cls: aws.ec2.Instance, name: "instance", props: { ami: "ami-123", instanceType: "t3.micro", metadataOptions: { httpTokens: "optional" }, rootBlockDevice: { encrypted: false }, associatePublicIpAddress: true } },
    { cls: aws.ebs.Volume, name: "volume", props: { availabilityZone: "eu-west-1a", size: 10, encrypted: true } },
    { cls: aws.efs.FileSystem, name: "files", props: { encrypted: true } },
    { cls: aws.eks.Cluster, name: "eks", props: { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-1"], endpointPublicAccess: false, endpointPrivateAccess: true }, enabledClusterLogTypes: ["api", "audit", "authenticator"], encryptionConfig: { resources: ["secrets"], provider: { keyArn: "arn:aws:kms:eu-west-1:123456789012:key/1" } } } },
    { cls: aws.opensearch.Domain, name: "search", props: { encryptAtRest: { enabled: true }, nodeToNodeEncryption: { enabled: true }, domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" } } },
    { cls: aws.apigateway.Stage, name: "rest-stage", props: { restApi: "api", deployment: "d1", stageName: "prod" } },
    { cls: aws.apigatewayv2.Stage, name: "http-stage", props: { apiId: "api", name: "$default", accessLogSettings: { destinationArn: "arn:aws:logs:eu-west-1:123456789012:log-group:api", format: "$context.requestId" } } },
    { cls: aws.apigatewayv2.Route, name: "route", props: { apiId: "api", routeKey: "POST /orders", authorizationType: "NONE" } },
    { cls: aws.elb.LoadBalancer, name: "classic", props: { listeners: [{ instancePort: 80, instanceProtocol: "http", lbPort: 80, lbProtocol: "http" }] } },
    { cls: aws.elasticache.ServerlessCache, name: "serverless-cache", props: { engine: "valkey", snapshotRetentionLimit: 7 } },
    { cls: aws.memorydb.Cluster, name: "memorydb", props: { aclName: "open-access", nodeType: "db.t4g.small", tlsEnabled: true } },
    { cls: aws.redshift.Cluster, name: "warehouse", props: { clusterIdentifier: "warehouse", nodeType: "ra3.xlplus", publiclyAccessible: false } },
];

/** Copy `n` of the unit, with URNs, names and dependencies suffixed so copies stay distinct. */
export function serviceUnit(n: number): EvalResource[] {
    const urnOf = (name: string) => {
        const spec = UNIT.find((s) => s.name === name)!;
        return `urn:pulumi:bench::others::${tokenOf(spec.cls)}::${name}-${n}`;
    };
    return UNIT.map((s) => {
        const from = s.from ?? {};
        return {
            urn: urnOf(s.name), type: tokenOf(s.cls), name: `${s.name}-${n}`, props: s.props, opts: { ...OPTS },
            dependencies: [...new Set(Object.values(from).flat().map(urnOf))],
            propertyDependencies: Object.fromEntries(Object.entries(from).map(([input, names]) => [input, names.map(urnOf)])),
        };
    });
}

export const SERVICE_UNIT_SIZE = UNIT.length;
