import { Policies } from "@pulumi/policy";
import { apigatewayPolicies } from "./serverless/apigateway";
import { cachePolicies } from "./data/cache";
import { cacheServerlessPolicies } from "./data/cache-serverless";
import { cloudfrontPolicies } from "./edge/cloudfront";
import { databasePolicies } from "./data/database";
import { dynamodbPolicies } from "./data/dynamodb";
import { ec2ImagePolicies } from "./compute/ec2-images";
import { ec2InstancePolicies } from "./compute/ec2-instances";
import { ecrScanOnPushRemediation } from "./compute/ecr";
import { ecrPolicies } from "./compute/ecr";
import { ecsPolicies } from "./compute/ecs";
import { edgePolicies } from "./edge/fronting";
import { efsPolicies } from "./data/efs";
import { eksPolicies } from "./compute/eks";
import { elbClassicPolicies } from "./edge/elb-classic";
import { governancePolicies } from "./operations/governance";
import { iamPolicies } from "./security/iam";
import { kmsPolicies } from "./security/kms";
import { lambdaPolicies } from "./serverless/lambda";
import { loadBalancerPolicies } from "./edge/loadbalancer";
import { loggingPolicies } from "./operations/logging";
import { networkPolicies } from "./network";
import { opensearchPolicies } from "./data/opensearch";
import { redshiftPolicies } from "./data/redshift";
import { secretsPolicies } from "./security/secrets";
import { snsAccessPolicies } from "./messaging/sns-access";
import { sqsPolicies } from "./messaging/sqs";
import { stepFunctionsPolicies } from "./serverless/stepfunctions";
import { s3BlockPublicAccessRemediation } from "./storage/access";
import { storagePolicies } from "./storage/buckets";
import { streamPolicies } from "./messaging/streams";
import { wafPolicies } from "./edge/waf";

/** Every policy of the pack, by area. index.ts builds the pack from this; the offline check runs it. */
export const ALL_POLICIES: Policies = [
    ...networkPolicies,
    ...loadBalancerPolicies,
    ...wafPolicies,
    ...cloudfrontPolicies,
    ...edgePolicies,
    ...ecsPolicies,
    ...ecrPolicies,
    ...databasePolicies,
    ...cachePolicies,
    ...storagePolicies,
    ...secretsPolicies,
    ...kmsPolicies,
    ...loggingPolicies,
    ...iamPolicies,
    ...governancePolicies,
    // The services other teams' stacks use (this topology has none of them).
    ...lambdaPolicies,
    ...stepFunctionsPolicies,
    ...apigatewayPolicies,
    ...sqsPolicies,
    ...snsAccessPolicies,
    ...streamPolicies,
    ...dynamodbPolicies,
    ...ec2InstancePolicies,
    ...ec2ImagePolicies,
    ...elbClassicPolicies,
    ...eksPolicies,
    ...opensearchPolicies,
    ...redshiftPolicies,
    ...efsPolicies,
    ...cacheServerlessPolicies,
    // Remediation only: their rules are stack policies, which the SDK cannot remediate.
    s3BlockPublicAccessRemediation,
    ecrScanOnPushRemediation,
];
