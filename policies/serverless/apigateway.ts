import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { resourcePolicy, tokenOf } from "../lib/define";
import { at, isSet, isUnknown, show } from "../lib/props";
import { apigatewayAuthPolicies } from "./apigateway-auth";
import { apigatewayRestPolicies } from "./apigateway-rest";

/** API Gateway, REST (aws.apigateway) and HTTP/WebSocket (aws.apigatewayv2): settings of one resource. The joins are in apigateway-rest.ts and apigateway-auth.ts. */

const REST_STAGE = tokenOf(aws.apigateway.Stage);
const REST_DOMAIN = tokenOf(aws.apigateway.DomainName);

/**
 * apigw-01 (APIGateway.9 for HTTP and WebSocket stages; the same rule for REST stages): who called
 * what, from where, with which result. Execution logs (apigw-02) do not record every request.
 */
export const apigatewayAccessLogging = resourcePolicy({
    name: "apigateway-access-logging",
    description: "API Gateway stages (REST, HTTP and WebSocket) must send access logs to a destination (accessLogSettings.destinationArn).",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Set `accessLogSettings: { destinationArn: logGroup.arn, format: JSON.stringify({ requestId: \"$context.requestId\", ip: \"$context.identity.sourceIp\", ... }) }` " +
        "on the aws.apigateway.Stage or aws.apigatewayv2.Stage (REST APIs also need an aws.apigateway.Account with a CloudWatch role in the region).",
    securityHub: ["APIGateway.9"],
    catalogue: ["apigw-01"],
    types: [aws.apigateway.Stage, aws.apigatewayv2.Stage],
    check: (stage, { type }, report) => {
        const what = type === REST_STAGE ? "API Gateway REST stage" : "API Gateway HTTP/WebSocket stage";
        const settings = stage.accessLogSettings;
        if (isUnknown(settings)) return report.unverifiable("accessLogSettings", settings, "the stage writes access logs");
        // An unknown destination (a log group or Firehose stream of the stack) is a destination.
        const destination = at(settings, "destinationArn");
        if (!isSet(destination)) {
            const found = isSet(settings) ? `accessLogSettings.destinationArn is ${show(destination ?? undefined)}` : "accessLogSettings is unset";
            report.violation(`${what} must write access logs: ${found}, expected a CloudWatch Logs log group or Firehose stream ARN.`);
        }
    },
});

/**
 * Security policies with TLS 1.2 as their oldest version. REST custom domains default to TLS_1_0
 * (which also accepts TLS 1.1); HTTP and WebSocket domains only take TLS_1_2. Enhanced policies
 * (`SecurityPolicy_TLS13_1_3_2025_09`, `SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09`,
 * `SecurityPolicy_TLS12_PFS_2025_EDGE`, ...) name their oldest version TLS 1.2 or 1.3
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html).
 */
export function isTls12Policy(policy: string): boolean {
    return policy === "TLS_1_2" || /^SecurityPolicy_TLS1[23]_/.test(policy);
}

/** apigw-03: TLS 1.0 and 1.1 are deprecated (RFC 8996) and refused by PCI DSS. */
export const apigatewayDomainTls12 = resourcePolicy({
    name: "apigateway-domain-tls12",
    description: "API Gateway custom domain names must use a security policy whose oldest TLS version is 1.2 (REST domains default to TLS_1_0).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        'Set `securityPolicy: "TLS_1_2"` (or an enhanced policy such as "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09" with `endpointAccessMode`) on the aws.apigateway.DomainName, ' +
        'or `domainNameConfiguration.securityPolicy: "TLS_1_2"` on the aws.apigatewayv2.DomainName.',
    catalogue: ["apigw-03"],
    types: [aws.apigateway.DomainName, aws.apigatewayv2.DomainName],
    check: (domain, { type }, report) => {
        const rest = type === REST_DOMAIN;
        const path = rest ? "securityPolicy" : "domainNameConfiguration.securityPolicy";
        const policy = rest ? domain.securityPolicy : isUnknown(domain.domainNameConfiguration) ? domain.domainNameConfiguration : at(domain, path);
        if (isUnknown(policy)) return report.unverifiable(path, policy, "the domain name refuses TLS 1.0 and 1.1");
        if (typeof policy === "string" && isTls12Policy(policy)) return;
        const found = rest && (policy === undefined || policy === null) ? "(unset), which API Gateway takes as TLS_1_0" : show(policy ?? undefined);
        report.violation(`API Gateway ${rest ? "REST" : "HTTP/WebSocket"} domain name must refuse TLS 1.0 and 1.1: ${path} is ${found}, expected "TLS_1_2" or an enhanced SecurityPolicy_TLS12/TLS13 policy.`);
    },
});

export const apigatewayPolicies: Policies = [
    apigatewayAccessLogging, apigatewayDomainTls12, ...apigatewayRestPolicies, ...apigatewayAuthPolicies,
];
