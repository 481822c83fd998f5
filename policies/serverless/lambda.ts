import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { ofType } from "../lib/by-type";
import { StackResource, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { at, isSet, isUnknown, list, show } from "../lib/props";
import { linked, unresolved } from "../lib/joins";
import { PLAINTEXT_SECRETS_CONFIG, PlaintextSecretsConfig, findSecrets } from "../lib/secret-values";

/** Lambda functions: what a preview can decide from a function's own inputs, and from the stack's other resources. */

const FUNCTION = tokenOf(aws.lambda.Function);
const EVENT_INVOKE_CONFIG = tokenOf(aws.lambda.FunctionEventInvokeConfig);
const SUBNET = tokenOf(aws.ec2.Subnet);

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * lambda-01: a function's environment is returned in plain text by lambda:GetFunctionConfiguration
 * (and shown in the console) to anyone allowed to read the function; KMS encryption at rest does not
 * change that. The same detector and config keys as ecs-task-no-plaintext-secrets. Never print a value:
 * a Pulumi secret (`pulumi.secret(...)`) is still a plain variable in Lambda.
 */
export const lambdaNoPlaintextSecrets = resourcePolicy<PlaintextSecretsConfig>({
    name: "lambda-no-plaintext-secrets",
    description: "Lambda functions must not carry secret-looking environment variables (unless the value is plainly a setting: a number of seconds, a flag), URLs with a password or connection strings with a Password/Pwd/AccountKey; the code reads secrets from Secrets Manager or SSM at run time.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "Store the value in Secrets Manager (or an SSM SecureString), put only its ARN or name in `environment.variables` (e.g. DB_SECRET_ARN), " +
        "grant the function's role secretsmanager:GetSecretValue on that secret, and read it at start-up (or through the Parameters and Secrets Lambda extension).",
    catalogue: ["lambda-01"],
    config: PLAINTEXT_SECRETS_CONFIG,
    types: [aws.lambda.Function],
    check: (fn, { config }, report) => {
        const requirement = "no environment variable carries a secret";
        const environment = fn.environment;
        if (isUnknown(environment)) return report.unverifiable("environment", environment, requirement);
        const variables = at(environment, "variables");
        if (isUnknown(variables)) return report.unverifiable("environment.variables", variables, requirement);
        if (!isRecord(variables)) return;
        const entries = Object.entries(variables).map(([name, value]) => ({ name, value }));
        const { named, inUrls, inConnectionStrings, unknown } = findSecrets(entries, config);
        const expected = "expected the secret in Secrets Manager or SSM with only its ARN or name in the environment";
        if (named.length > 0) {
            report.violation(`Lambda function must not keep secrets in its environment: environment.variables sets ${show(named)}, ${expected}.`);
        }
        if (inUrls.length > 0) {
            report.violation(`Lambda function must not put credentials in environment values: environment.variables sets ${show(inUrls)} to a URL with a user name and password, ${expected}.`);
        }
        if (inConnectionStrings.length > 0) {
            report.violation(`Lambda function must not put credentials in environment values: environment.variables sets ${show(inConnectionStrings)} to a connection string with a Password, Pwd, AccountKey or SharedAccessKey, ${expected}.`);
        }
        // Values from other resources' outputs (pulumi.interpolate`postgres://app:${password}@...`) are unknown during
        // preview. One report per function, naming them; names that only point at something (TABLE_NAME, QUEUE_ARN:
        // allowedNamePatterns) are left out, or every function that passes a table name would be reported.
        const allowed = config.allowedNamePatterns.map((p) => new RegExp(p, "i"));
        const unread = unknown.filter((e) => !allowed.some((re) => re.test(e.name)));
        if (unread.length > 0) report.unverifiable(`environment.variables ${show(unread.map((e) => e.name))}`, unread[0].value, "no environment value carries a credential");
    },
});

/**
 * Runtimes AWS has deprecated (no more security patches) by the pack's release, from the deprecation
 * tables of https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html ("Lambda runtimes",
 * checked 2026-11, dates as generated from that page into tflint-ruleset-aws
 * rules/lambda_deprecated_runtime/deprecated_runtimes.json, updated 2026-07-31): dotnet8 2026-11-10;
 * python3.10 2026-10-31; provided.al2 2026-07-31; nodejs20.x 2026-04-30; ruby3.2 2026-03-31;
 * python3.9 2025-12-15; nodejs18.x 2025-09-01; the rest earlier. Not listed, because still supported:
 * java8.al2, java11, java17 and python3.11 run on Amazon Linux 2 but AWS keeps patching them after its
 * end of life (2026-06-30) until their deprecation on 2027-06-30; ruby3.3 (2027-03-31) and nodejs22.x
 * (2027-04-30). Stacks replace the list through config as AWS publishes dates.
 */
export const DEPRECATED_RUNTIMES = [
    "nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "nodejs18.x", "nodejs20.x",
    "python2.7", "python3.6", "python3.7", "python3.8", "python3.9", "python3.10",
    "java8",
    "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0", "dotnet6", "dotnet7", "dotnet8",
    "ruby2.5", "ruby2.7", "ruby3.2", "go1.x", "provided", "provided.al2",
];

/** lambda-02 (Lambda.2): a deprecated runtime gets no security patches, and AWS eventually blocks updates to it. */
export const lambdaSupportedRuntime = resourcePolicy<{ deprecatedRuntimes: string[]; supportedRuntimes: string[] }>({
    name: "lambda-supported-runtime",
    description: "Lambda functions packaged as .zip archives must use a runtime AWS still supports (a container image brings its own runtime).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `runtime` on the aws.lambda.Function to a supported identifier (e.g. nodejs22.x, python3.13, java21, dotnet10, ruby3.4, provided.al2023) and test the code on it; see the Lambda runtimes page for deprecation dates.",
    securityHub: ["Lambda.2"],
    catalogue: ["lambda-02"],
    config: {
        deprecatedRuntimes: {
            type: "array", items: { type: "string", minLength: 1 }, default: DEPRECATED_RUNTIMES,
            description: "Runtime identifiers that are refused (AWS's deprecated runtimes at the pack's release).",
        },
        supportedRuntimes: {
            type: "array", items: { type: "string", minLength: 1 }, default: [],
            description: "When not empty, the only runtime identifiers allowed (an organisation's approved list); deprecatedRuntimes still applies.",
        },
    },
    types: [aws.lambda.Function],
    check: (fn, { config }, report) => {
        const packageType = fn.packageType;
        if (isUnknown(packageType)) return report.unverifiable("packageType", packageType, "the function uses a supported runtime");
        // A container image function has no runtime setting: the image's base decides (ECR scanning covers it).
        if (packageType === "Image") return;
        const runtime = fn.runtime;
        if (isUnknown(runtime)) return report.unverifiable("runtime", runtime, "the function uses a supported runtime");
        const deprecated = config.deprecatedRuntimes.map((r) => r.toLowerCase());
        const supported = config.supportedRuntimes.map((r) => r.toLowerCase());
        const value = typeof runtime === "string" ? runtime.trim().toLowerCase() : undefined;
        if (value === undefined || value === "") {
            report.violation(`Lambda function must use a supported runtime: runtime is ${show(runtime)} for a .zip package, expected a supported runtime identifier.`);
        } else if (deprecated.includes(value)) {
            report.violation(`Lambda function must use a supported runtime: runtime is ${show(runtime)}, which AWS has deprecated, expected a supported runtime such as nodejs22.x, python3.13 or java21.`);
        } else if (supported.length > 0 && !supported.includes(value)) {
            report.violation(`Lambda function must use an approved runtime: runtime is ${show(runtime)}, expected one of ${show(config.supportedRuntimes)}.`);
        }
    },
});

/** lambda-03 (Lambda.3): a function in a VPC reaches private resources without the internet, behind security groups. */
export const lambdaInVpc = resourcePolicy({
    name: "lambda-in-vpc",
    description: "Lambda functions should run in a VPC (vpcConfig with subnets and security groups); a stack's policy config can make this mandatory.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Set `vpcConfig: { subnetIds: <private subnets in two or more AZs>, securityGroupIds: [<group>] }` on the aws.lambda.Function; give the role AWSLambdaVPCAccessExecutionRole and reach AWS services through VPC endpoints or NAT.",
    securityHub: ["Lambda.3"],
    catalogue: ["lambda-03"],
    types: [aws.lambda.Function],
    check: (fn, _ctx, report) => {
        const requirement = "the function runs in a VPC";
        const vpcConfig = fn.vpcConfig;
        if (isUnknown(vpcConfig)) return report.unverifiable("vpcConfig", vpcConfig, requirement);
        const subnets = at(vpcConfig, "subnetIds");
        if (isUnknown(subnets)) return report.unverifiable("vpcConfig.subnetIds", subnets, requirement);
        // An unknown id (a subnet of the stack) is a subnet.
        if (list(subnets).filter((s) => isSet(s)).length === 0) {
            report.violation(`Lambda function should run in a VPC: vpcConfig.subnetIds is ${show(isRecord(vpcConfig) ? subnets : undefined)}, expected private subnets and security groups.`);
        }
    },
});

/** The Availability Zone a subnet of the stack names: its zone, or its zone id; unknown or unset otherwise. */
const zoneOf = (subnet: StackResource): unknown => subnet.props.availabilityZone ?? subnet.props.availabilityZoneId;

/**
 * lambda-04 (Lambda.5): a function in one zone's subnets stops when that zone does. Decidable when the
 * function has fewer than two subnets, or when its subnets are aws.ec2.Subnet resources of the stack
 * with known zones; subnets created elsewhere (literal ids) only say their zone at run time.
 */
export const lambdaVpcMultiAz = stackPolicy({
    name: "lambda-vpc-multi-az",
    description: "Lambda functions in a VPC should have subnets in at least two Availability Zones.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "List private subnets of two or more Availability Zones in `vpcConfig.subnetIds` of the aws.lambda.Function.",
    securityHub: ["Lambda.5"],
    catalogue: ["lambda-04"],
    types: [FUNCTION],
    check: (resources, _ctx, report) => {
        const functions = ofType(resources, FUNCTION);
        if (functions.length === 0) return;
        const subnets = ofType(resources, SUBNET);
        const requirement = "the function's subnets span two or more Availability Zones";
        for (const fn of functions) {
            const vpcConfig = fn.props.vpcConfig;
            const ids = at(vpcConfig, "subnetIds");
            if (isUnknown(vpcConfig) || isUnknown(ids)) continue; // lambda-in-vpc reports it
            const entries = list(ids).filter((s) => isSet(s));
            if (entries.length === 0) continue; // not in a VPC: lambda-in-vpc
            if (entries.length === 1) {
                report.violation(fn, `Lambda function in a VPC should span two Availability Zones: vpcConfig.subnetIds holds one subnet, expected subnets in two or more zones.`);
                continue;
            }
            // Dependencies are recorded per top-level input: vpcConfig's are its subnets and security groups.
            const joined = linked(fn, "vpcConfig", subnets, { value: entries, ids: ["id"] });
            const zones = new Set(joined.map(zoneOf).filter((z) => typeof z === "string" && !isUnknown(z)));
            if (zones.size >= 2) continue;
            // Every subnet must be one of the stack's with a known zone (one dependency per listed subnet).
            const undecided = joined.some((s) => !isSet(zoneOf(s)) || isUnknown(zoneOf(s))) || joined.length < entries.length;
            if (undecided) report.unverifiable(fn, "vpcConfig.subnetIds", requirement);
            else report.violation(fn, `Lambda function in a VPC should span two Availability Zones: its subnets ${show(joined.map((s) => s.name))} are all in ${show([...zones][0])}, expected subnets in two or more zones.`);
        }
    },
});

/** How a function name input refers to a function of the stack: its name, its ARN, or a (partial, possibly qualified) ARN naming it. */
function namesFunction(literal: string, fn: StackResource): boolean {
    const { name, arn } = fn.props;
    if (typeof arn === "string" && !isUnknown(arn) && literal === arn) return true;
    if (typeof name !== "string" || isUnknown(name)) return false;
    // `arn:aws:lambda:<region>:<account>:function:<name>[:<alias or version>]`, or the partial `<account>:function:<name>`.
    const parts = literal.split(":");
    const i = parts.lastIndexOf("function");
    return literal === name || (i >= 0 && parts[i + 1] === name && parts.length <= i + 3);
}

/**
 * lambda-05: an asynchronous invocation that fails every retry is dropped unless the function has a
 * dead-letter queue or an on-failure destination. Advisory: a function only invoked synchronously
 * (API Gateway, a function URL) needs neither, and a preview cannot tell how a function is invoked.
 */
export const lambdaFailureDestination = stackPolicy({
    name: "lambda-failure-destination",
    description: "Lambda functions should keep failed asynchronous events: a dead-letter queue (deadLetterConfig.targetArn) or an aws.lambda.FunctionEventInvokeConfig with an on-failure destination.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps:
        "Add an aws.lambda.FunctionEventInvokeConfig with `functionName: fn.name` and `destinationConfig: { onFailure: { destination: <SQS queue, SNS topic, EventBridge bus or function ARN> } }`, " +
        "or set `deadLetterConfig: { targetArn: <SQS queue or SNS topic ARN> }` on the aws.lambda.Function (and let its role send there).",
    catalogue: ["lambda-05"],
    types: [FUNCTION],
    check: (resources, _ctx, report) => {
        const functions = ofType(resources, FUNCTION);
        if (functions.length === 0) return;
        const configs = ofType(resources, EVENT_INVOKE_CONFIG);
        const requirement = "failed asynchronous events go to a dead-letter queue or an on-failure destination";
        for (const fn of functions) {
            if (isUnknown(fn.props.deadLetterConfig)) {
                report.unverifiable(fn, "deadLetterConfig", requirement);
                continue;
            }
            if (isSet(at(fn.props, "deadLetterConfig.targetArn"))) continue;
            const mine = configs.filter((c) => linked(c, "functionName", [fn], { matches: namesFunction }).length > 0);
            const onFailure = mine.map((c) => c.props.destinationConfig).map((d) => (isUnknown(d) ? d : at(d, "onFailure.destination")));
            if (onFailure.some((d) => isSet(d) && !isUnknown(d))) continue;
            const unknownConfig = mine.find((c) => isUnknown(c.props.destinationConfig) || isUnknown(at(c.props, "destinationConfig.onFailure")) || isUnknown(at(c.props, "destinationConfig.onFailure.destination")));
            const unplaced = configs.find((c) => !mine.includes(c) && unresolved(c, "functionName"));
            if (unknownConfig && mine.length > 0) {
                // An unknown destination ARN (a queue of the stack) is a destination; an unknown block may hold none.
                const d = unknownConfig.props.destinationConfig;
                if (!isUnknown(d) && !isUnknown(at(d, "onFailure")) && isUnknown(at(d, "onFailure.destination"))) continue;
                report.unverifiable(unknownConfig, "destinationConfig", requirement);
            } else if (unplaced) {
                report.unverifiable(unplaced, "functionName", requirement);
            } else {
                const found = mine.length > 0 ? "its aws.lambda.FunctionEventInvokeConfig has no destinationConfig.onFailure" : "no aws.lambda.FunctionEventInvokeConfig names it";
                report.violation(fn, `Lambda function should keep failed asynchronous events: deadLetterConfig is unset and ${found}, expected a dead-letter queue or an on-failure destination.`);
            }
        }
    },
});

/**
 * lambda-06: a function URL with authorization type NONE answers anyone on the internet; AWS_IAM
 * requires SigV4-signed requests from principals the function's policy allows.
 */
export const lambdaFunctionUrlAuth = resourcePolicy({
    name: "lambda-function-url-auth",
    description: "Lambda function URLs must use AWS_IAM authorization, never NONE.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set `authorizationType: "AWS_IAM"` on the aws.lambda.FunctionUrl and grant lambda:InvokeFunctionUrl to the callers; put a public endpoint behind API Gateway or CloudFront (with origin access control) and WAF instead.',
    catalogue: ["lambda-06"],
    types: [aws.lambda.FunctionUrl],
    check: (url, _ctx, report) => {
        const type = url.authorizationType;
        if (isUnknown(type)) report.unverifiable("authorizationType", type, "the function URL requires IAM authorization");
        else if (type !== "AWS_IAM") {
            report.violation(`Lambda function URL must require IAM authorization: authorizationType is ${show(type)}, expected "AWS_IAM".`);
        }
    },
});

/** A service principal (`s3.amazonaws.com`, `events.amazonaws.com`): any account's resources of that service. */
const isServicePrincipal = (p: string) => /\.amazonaws\.com(\.cn)?$/i.test(p.trim());

/**
 * Whether a sourceArn confines callers to known resources: unknown (an ARN of the stack) counts as set;
 * a known ARN must name an account (12 digits in its fifth field, no wildcard). S3 ARNs name no
 * account, so a bucket ARN alone does not stop another account that takes the bucket name.
 */
function arnNarrows(arn: unknown): boolean {
    if (isUnknown(arn)) return true;
    if (typeof arn !== "string") return false;
    return /^\d{12}$/.test(arn.split(":")[4] ?? "");
}

/**
 * lambda-07 (Lambda.1): a permission for `*`, or for a service principal without a source condition,
 * lets other accounts invoke the function (for S3, any account's bucket: AWS asks for SourceAccount).
 * A `*` grant of lambda:InvokeFunctionUrl with functionUrlAuthType NONE is the public function URL itself.
 */
export const lambdaPermissionNotPublic = resourcePolicy({
    name: "lambda-permission-not-public",
    description: "Lambda permissions must not let anyone invoke the function: principal * needs sourceAccount, sourceArn (of a named account) or principalOrgId; a service principal needs sourceAccount or such a sourceArn (S3: sourceAccount); an Alexa principal needs eventSourceToken; no public function URL grant.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "On the aws.lambda.Permission name the caller: an account or role ARN as `principal`, or a service principal with `sourceArn` (the rule, API, topic or bucket ARN) " +
        'and `sourceAccount` (always for s3.amazonaws.com); with `principal: "*"` set `principalOrgId` to the organization. Use functionUrlAuthType "AWS_IAM" for function URLs.',
    securityHub: ["Lambda.1"],
    catalogue: ["lambda-07"],
    types: [aws.lambda.Permission],
    check: (permission, _ctx, report) => {
        const { principal, sourceAccount, sourceArn, principalOrgId, action, functionUrlAuthType, eventSourceToken } = permission;
        const requirement = "the permission does not let anyone invoke the function";
        if (isUnknown(principal)) return report.unverifiable("principal", principal, requirement);
        if (typeof principal !== "string") return;
        const p = principal.trim();
        if (p === "*") {
            // functionUrlAuthType only applies to lambda:InvokeFunctionUrl (or a wildcard action): an unknown type must
            // not hide a `*` grant of lambda:InvokeFunction that nothing narrows.
            const urlAction = isUnknown(action) || (typeof action === "string" && /^(lambda:)?(invokefunctionurl|\*)$/i.test(action.trim()));
            if (urlAction && !isUnknown(action) && typeof functionUrlAuthType === "string" && !isUnknown(functionUrlAuthType) && functionUrlAuthType.toUpperCase() === "NONE") {
                report.violation(`Lambda permission must not make the function URL public: principal is "*" with action ${show(action)} and functionUrlAuthType "NONE", expected functionUrlAuthType "AWS_IAM" and a named principal.`);
                return;
            }
            if (!isSet(sourceAccount) && !isSet(principalOrgId) && !arnNarrows(sourceArn)) {
                report.violation(`Lambda permission must not let anyone invoke the function: principal is "*" with sourceArn ${show(sourceArn)}, no sourceAccount and no principalOrgId, expected a named principal, or sourceAccount, principalOrgId or the sourceArn of a named account.`);
                return;
            }
            if (urlAction && isUnknown(functionUrlAuthType)) return report.unverifiable("functionUrlAuthType", functionUrlAuthType, requirement);
            if (isUnknown(action) && typeof functionUrlAuthType === "string" && functionUrlAuthType.toUpperCase() === "NONE") return report.unverifiable("action", action, requirement);
        } else if (isServicePrincipal(p)) {
            const s3 = /^s3\.amazonaws\.com(\.cn)?$/i.test(p);
            if (isSet(sourceAccount) || (!s3 && arnNarrows(sourceArn))) return;
            const expected = s3 ? "expected sourceAccount set to the bucket owner's account (with sourceArn the bucket)" : "expected sourceArn (of a named account) or sourceAccount";
            report.violation(`Lambda permission must not let any account's ${p} invoke the function: sourceArn is ${show(sourceArn)} and sourceAccount is unset, ${expected}.`);
        } else if (/^alexa-(appkit|connectedhome)\.amazon\.com$/i.test(p)) {
            // Alexa's principals are not *.amazonaws.com: without the skill's ID as eventSourceToken, any Alexa skill may invoke the function.
            if (isSet(eventSourceToken)) return;
            report.violation(`Lambda permission must not let any Alexa skill invoke the function: principal is ${show(p)} and eventSourceToken is unset, expected eventSourceToken set to the skill's ID.`);
        }
    },
});

export const lambdaPolicies: Policies = [
    lambdaNoPlaintextSecrets, lambdaSupportedRuntime, lambdaInVpc, lambdaVpcMultiAz, lambdaFailureDestination,
    lambdaFunctionUrlAuth, lambdaPermissionNotPublic,
];
