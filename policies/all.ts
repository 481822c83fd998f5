import { Policies } from "@pulumi/policy";
import { apigatewayPolicies } from "./apigateway";
import { cachePolicies } from "./cache";
import { cacheServerlessPolicies } from "./cache-serverless";
import { cloudfrontPolicies } from "./cloudfront";
import { databasePolicies } from "./database";
import { dynamodbPolicies } from "./dynamodb";
import { ec2ImagePolicies } from "./ec2-images";
import { ec2InstancePolicies } from "./ec2-instances";
import { ecrScanOnPushRemediation } from "./ecr";
import { ecrPolicies } from "./ecr";
import { ecsPolicies } from "./ecs";
import { edgePolicies } from "./edge";
import { efsPolicies } from "./efs";
import { eksPolicies } from "./eks";
import { elbClassicPolicies } from "./elb-classic";
import { governancePolicies } from "./governance";
import { iamPolicies } from "./iam";
import { kmsPolicies } from "./kms";
import { lambdaPolicies } from "./lambda";
import { loadBalancerPolicies } from "./loadbalancer";
import { loggingPolicies } from "./logging";
import { networkPolicies } from "./network";
import { opensearchPolicies } from "./opensearch";
import { redshiftPolicies } from "./redshift";
import { secretsPolicies } from "./secrets";
import { snsAccessPolicies } from "./sns-access";
import { sqsPolicies } from "./sqs";
import { stepFunctionsPolicies } from "./stepfunctions";
import { s3BlockPublicAccessRemediation } from "./storage";
import { storagePolicies } from "./storage";
import { streamPolicies } from "./streams";
import { wafPolicies } from "./waf";

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
