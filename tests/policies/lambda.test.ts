import * as aws from "@pulumi/aws";
import * as assert from "assert";
import {
    DEPRECATED_RUNTIMES, lambdaFailureDestination, lambdaFunctionUrlAuth, lambdaInVpc, lambdaNoPlaintextSecrets, lambdaPermissionNotPublic,
    lambdaSupportedRuntime, lambdaVpcMultiAz,
} from "../../policies/serverless/lambda";
import { Diagnostic } from "../../tools/offline/evaluate";
import { UNKNOWN, UNKNOWN_ARRAY, messages, res, run } from "./helpers";

const ROLE = "arn:aws:iam::123456789012:role/fn";
const fn = (props: Record<string, any>, name = "fn", propertyDependencies: Record<string, string[]> = {}) =>
    res(aws.lambda.Function, { role: ROLE, runtime: "nodejs22.x", handler: "index.handler", ...props }, { name, propertyDependencies });
const urnOf = (r: { urn: string }) => r.urn;

/** Every diagnostic is advisory, says it cannot verify, and is not the SDK's "can't run during preview". */
function assertUnverifiable(diags: Diagnostic[], pattern: RegExp) {
    assert.strictEqual(diags.length, 1, JSON.stringify(messages(diags)));
    assert.match(messages(diags)[0], pattern);
    assert.strictEqual(diags[0].enforcementLevel, "advisory");
    assert.ok(!diags[0].cantRunDuringPreview);
}

describe("policies: lambda", () => {
    describe("lambda-no-plaintext-secrets", () => {
        const env = (variables: unknown) => fn({ environment: { variables } });
        it("passes settings, pointers to secrets and plainly-not-secret values under secret names", async () => {
            const variables = { PORT: "8080", DB_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db", TOKEN_TTL_SECONDS: "3600", API_KEY_ENABLED: "true", SECRET_ROTATION: "30d" };
            assert.deepStrictEqual(await run(lambdaNoPlaintextSecrets, env(variables)), []);
            assert.deepStrictEqual(await run(lambdaNoPlaintextSecrets, fn({})), []);
        });
        it("rejects secret names, URLs with passwords and connection strings, as mandatory, never printing values", async () => {
            const diags = await run(lambdaNoPlaintextSecrets, env({
                DB_PASSWORD: "hunter2-value", STRIPE_API_KEY: "sk_live_abc", DATABASE_URL: "postgres://app:pa55@db:5432/shop",
                ConnectionStrings__Default: "Server=db;User Id=sa;Password=pa55;",
            }));
            assert.deepStrictEqual(messages(diags), [
                'Lambda function must not keep secrets in its environment: environment.variables sets ["DB_PASSWORD","STRIPE_API_KEY"], expected the secret in Secrets Manager or SSM with only its ARN or name in the environment.',
                'Lambda function must not put credentials in environment values: environment.variables sets ["DATABASE_URL"] to a URL with a user name and password, expected the secret in Secrets Manager or SSM with only its ARN or name in the environment.',
                'Lambda function must not put credentials in environment values: environment.variables sets ["ConnectionStrings__Default"] to a connection string with a Password, Pwd, AccountKey or SharedAccessKey, expected the secret in Secrets Manager or SSM with only its ARN or name in the environment.',
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
            assert.ok(messages(diags).every((m) => !/hunter2|sk_live|pa55/.test(m)));
        });
        it("takes the same config keys as ecs-task-no-plaintext-secrets", async () => {
            const diags = await run(lambdaNoPlaintextSecrets, env({ STRIPE_SK: "abc", GITHUB_TOKEN_ARN: "x" }), { secretNamePatterns: ["_SK$"], allowedNamePatterns: ["_ARN$"] });
            assert.deepStrictEqual(messages(diags), ['Lambda function must not keep secrets in its environment: environment.variables sets ["STRIPE_SK"], expected the secret in Secrets Manager or SSM with only its ARN or name in the environment.']);
        });
        it("reports unknown environment, variables or values as unverifiable", async () => {
            assertUnverifiable(await run(lambdaNoPlaintextSecrets, fn({ environment: UNKNOWN })), /^Cannot verify during preview that no environment variable carries a secret: environment is \(unknown until apply\)/);
            assertUnverifiable(await run(lambdaNoPlaintextSecrets, env(UNKNOWN)), /^Cannot verify during preview that no environment variable carries a secret: environment\.variables is \(unknown until apply\)/);
            assertUnverifiable(await run(lambdaNoPlaintextSecrets, env({ DATABASE_URL: UNKNOWN, UPSTREAM: UNKNOWN, TABLE_NAME: UNKNOWN, QUEUE_ARN: UNKNOWN, PORT: "80" })),
                /^Cannot verify during preview that no environment value carries a credential: environment\.variables \["DATABASE_URL","UPSTREAM"\] is \(unknown until apply\)/);
            assert.deepStrictEqual(await run(lambdaNoPlaintextSecrets, env({ TABLE_NAME: UNKNOWN, QUEUE_ARN: UNKNOWN })), []);
            // An unknown value under a secret name is a secret whatever it turns out to be: reported once, by name.
            assert.deepStrictEqual(messages(await run(lambdaNoPlaintextSecrets, env({ DB_PASSWORD: UNKNOWN }))), [
                'Lambda function must not keep secrets in its environment: environment.variables sets ["DB_PASSWORD"], expected the secret in Secrets Manager or SSM with only its ARN or name in the environment.',
            ]);
        });
        it("never throws on malformed environments", async () => {
            for (const environment of [null, "[]", 42, [], { variables: null }, { variables: [] }, { variables: "x" }, { variables: { A: null, B: 3, C: { x: 1 } } }]) {
                await run(lambdaNoPlaintextSecrets, fn({ environment }));
            }
        });
    });

    describe("lambda-supported-runtime", () => {
        it("passes supported runtimes and container images", async () => {
            for (const runtime of ["nodejs22.x", "python3.13", "java21", "provided.al2023"]) assert.deepStrictEqual(await run(lambdaSupportedRuntime, fn({ runtime })), []);
            // Still supported in 2026-11 (AWS's table): the Amazon Linux 2 runtimes java8.al2, java11, java17 and python3.11
            // are patched past AL2's end of life until 2027-06-30, so a pack refusing them blocks compliant functions.
            for (const runtime of ["java8.al2", "java11", "java17", "python3.11", "ruby3.3", "nodejs24.x", "python3.14", "java25", "dotnet10"]) {
                assert.deepStrictEqual(await run(lambdaSupportedRuntime, fn({ runtime })), [], runtime);
            }
            assert.deepStrictEqual(await run(lambdaSupportedRuntime, fn({ runtime: undefined, packageType: "Image", imageUri: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fn:1" })), []);
        });
        it("rejects deprecated runtimes, as mandatory", async () => {
            const diags = await run(lambdaSupportedRuntime, fn({ runtime: "python3.9" }));
            assert.deepStrictEqual(messages(diags), ['Lambda function must use a supported runtime: runtime is "python3.9", which AWS has deprecated, expected a supported runtime such as nodejs22.x, python3.13 or java21.']);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            for (const runtime of ["nodejs18.x", "nodejs20.x", "python3.10", "provided.al2", "dotnet8", "ruby3.2", "go1.x", "java8", "dotnet6", "provided"]) assert.strictEqual((await run(lambdaSupportedRuntime, fn({ runtime }))).length, 1, runtime);
            assert.ok(DEPRECATED_RUNTIMES.includes("nodejs20.x") && !DEPRECATED_RUNTIMES.includes("nodejs22.x"));
        });
        it("rejects a .zip function without a runtime", async () => {
            assert.deepStrictEqual(messages(await run(lambdaSupportedRuntime, fn({ runtime: undefined }))), [
                "Lambda function must use a supported runtime: runtime is (unset) for a .zip package, expected a supported runtime identifier.",
            ]);
        });
        it("applies the configured lists", async () => {
            assert.deepStrictEqual(await run(lambdaSupportedRuntime, fn({ runtime: "python3.9" }), { deprecatedRuntimes: ["python2.7"] }), []);
            assert.deepStrictEqual(messages(await run(lambdaSupportedRuntime, fn({ runtime: "nodejs22.x" }), { supportedRuntimes: ["python3.13"] })), [
                'Lambda function must use an approved runtime: runtime is "nodejs22.x", expected one of ["python3.13"].',
            ]);
        });
        it("reports an unknown runtime or package type as unverifiable", async () => {
            assertUnverifiable(await run(lambdaSupportedRuntime, fn({ runtime: UNKNOWN })), /^Cannot verify during preview that the function uses a supported runtime: runtime is \(unknown until apply\)/);
            assertUnverifiable(await run(lambdaSupportedRuntime, fn({ packageType: UNKNOWN })), /^Cannot verify during preview that the function uses a supported runtime: packageType is \(unknown until apply\)/);
        });
        it("never throws on malformed runtimes", async () => {
            for (const runtime of [null, 42, [], {}, ""]) await run(lambdaSupportedRuntime, fn({ runtime }));
        });
    });

    describe("lambda-in-vpc", () => {
        it("passes a function with subnets, known or not", async () => {
            assert.deepStrictEqual(await run(lambdaInVpc, fn({ vpcConfig: { subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-1"] } })), []);
            assert.deepStrictEqual(await run(lambdaInVpc, fn({ vpcConfig: { subnetIds: [UNKNOWN], securityGroupIds: [UNKNOWN] } })), []);
        });
        it("rejects a function outside a VPC, as advisory, and a stack can make it mandatory", async () => {
            const diags = await run(lambdaInVpc, fn({}));
            assert.deepStrictEqual(messages(diags), ["Lambda function should run in a VPC: vpcConfig.subnetIds is (unset), expected private subnets and security groups."]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.deepStrictEqual(messages(await run(lambdaInVpc, fn({ vpcConfig: { subnetIds: [], securityGroupIds: [] } }))), [
                "Lambda function should run in a VPC: vpcConfig.subnetIds is [], expected private subnets and security groups.",
            ]);
            const mandatory = await run(lambdaInVpc, fn({}), { enforcementLevel: "mandatory" });
            assert.strictEqual(mandatory[0].enforcementLevel, "mandatory");
        });
        it("reports unknown vpcConfig or subnet lists as unverifiable", async () => {
            assertUnverifiable(await run(lambdaInVpc, fn({ vpcConfig: UNKNOWN })), /^Cannot verify during preview that the function runs in a VPC: vpcConfig is \(unknown until apply\)/);
            assertUnverifiable(await run(lambdaInVpc, fn({ vpcConfig: { subnetIds: UNKNOWN_ARRAY, securityGroupIds: [] } })), /vpcConfig\.subnetIds is \(unknown until apply\)/);
        });
        it("never throws on malformed vpcConfig", async () => {
            for (const vpcConfig of [null, "[]", 42, [], { subnetIds: null }, { subnetIds: "subnet-a" }, { subnetIds: [null, 3] }]) await run(lambdaInVpc, fn({ vpcConfig }));
        });
    });

    describe("lambda-vpc-multi-az", () => {
        const subnet = (name: string, az: unknown) => res(aws.ec2.Subnet, { vpcId: "vpc-1", cidrBlock: "10.0.0.0/24", availabilityZone: az }, { name });
        const inSubnets = (subnets: { urn: string }[], ids: unknown[] = subnets.map(() => UNKNOWN)) =>
            fn({ vpcConfig: { subnetIds: ids, securityGroupIds: ["sg-1"] } }, "fn", { vpcConfig: subnets.map(urnOf) });
        it("passes subnets of the stack in two zones, and functions outside a VPC", async () => {
            const [a, b] = [subnet("a", "eu-west-1a"), subnet("b", "eu-west-1b")];
            assert.deepStrictEqual(await run(lambdaVpcMultiAz, [a, b, inSubnets([a, b])]), []);
            assert.deepStrictEqual(await run(lambdaVpcMultiAz, [fn({})]), []);
        });
        it("rejects one subnet, or subnets all in one zone, as advisory", async () => {
            const diags = await run(lambdaVpcMultiAz, [fn({ vpcConfig: { subnetIds: ["subnet-a"], securityGroupIds: [] } })]);
            assert.deepStrictEqual(messages(diags), ["Lambda function in a VPC should span two Availability Zones: vpcConfig.subnetIds holds one subnet, expected subnets in two or more zones."]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            const [a, b] = [subnet("a", "eu-west-1a"), subnet("b", "eu-west-1a")];
            assert.deepStrictEqual(messages(await run(lambdaVpcMultiAz, [a, b, inSubnets([a, b])])), [
                'Lambda function in a VPC should span two Availability Zones: its subnets ["a","b"] are all in "eu-west-1a", expected subnets in two or more zones.',
            ]);
        });
        it("reports subnets from elsewhere or with unknown zones as unverifiable", async () => {
            assertUnverifiable(await run(lambdaVpcMultiAz, [fn({ vpcConfig: { subnetIds: ["subnet-0abc", "subnet-0def"], securityGroupIds: [] } })]), /^Cannot verify during preview that the function's subnets span two or more Availability Zones: vpcConfig\.subnetIds is \["subnet-0abc","subnet-0def"\]/);
            const [a, b] = [subnet("a", UNKNOWN), subnet("b", "eu-west-1a")];
            assertUnverifiable(await run(lambdaVpcMultiAz, [a, b, inSubnets([a, b])]), /span two or more Availability Zones/);
        });
        it("never throws on malformed vpcConfig or subnets", async () => {
            for (const vpcConfig of [null, "[]", 42, { subnetIds: null }, { subnetIds: [null, 3, {}] }]) await run(lambdaVpcMultiAz, [fn({ vpcConfig })]);
            await run(lambdaVpcMultiAz, [res(aws.ec2.Subnet, { availabilityZone: null }, { name: "s" }), inSubnets([{ urn: "urn:pulumi:test::baseline::aws:ec2/subnet:Subnet::s" }, { urn: "x" }])]);
        });
    });

    describe("lambda-failure-destination", () => {
        const invokeConfig = (props: Record<string, any>, deps: string[] = [], name = "fn-async") =>
            res(aws.lambda.FunctionEventInvokeConfig, props, { name, propertyDependencies: deps.length ? { functionName: deps } : {} });
        const onFailure = { destinationConfig: { onFailure: { destination: "arn:aws:sqs:eu-west-1:123456789012:failed" } } };
        const NONE = 'Lambda function should keep failed asynchronous events: deadLetterConfig is unset and no aws.lambda.FunctionEventInvokeConfig names it, expected a dead-letter queue or an on-failure destination.';
        it("passes a dead-letter queue, or an on-failure destination joined by dependency or by name", async () => {
            assert.deepStrictEqual(await run(lambdaFailureDestination, [fn({ deadLetterConfig: { targetArn: "arn:aws:sqs:eu-west-1:123456789012:dlq" } })]), []);
            const f = fn({});
            assert.deepStrictEqual(await run(lambdaFailureDestination, [f, invokeConfig({ functionName: UNKNOWN, ...onFailure }, [f.urn])]), []);
            const named = fn({ name: "orders" });
            assert.deepStrictEqual(await run(lambdaFailureDestination, [named, invokeConfig({ functionName: "orders", ...onFailure })]), []);
            assert.deepStrictEqual(await run(lambdaFailureDestination, [named, invokeConfig({ functionName: "arn:aws:lambda:eu-west-1:123456789012:function:orders", ...onFailure })]), []);
        });
        it("rejects a function with neither, as advisory, and a config without onFailure", async () => {
            const diags = await run(lambdaFailureDestination, [fn({})]);
            assert.deepStrictEqual(messages(diags), [NONE]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            const f = fn({ name: "orders" });
            const onlySuccess = invokeConfig({ functionName: "orders", destinationConfig: { onSuccess: { destination: "arn:aws:sqs:eu-west-1:123456789012:ok" } } });
            assert.deepStrictEqual(messages(await run(lambdaFailureDestination, [f, onlySuccess])), [
                "Lambda function should keep failed asynchronous events: deadLetterConfig is unset and its aws.lambda.FunctionEventInvokeConfig has no destinationConfig.onFailure, expected a dead-letter queue or an on-failure destination.",
            ]);
            // Another function's configuration does not count.
            assert.deepStrictEqual(messages(await run(lambdaFailureDestination, [f, invokeConfig({ functionName: "billing", ...onFailure })])), [NONE]);
        });
        it("reports unknown configurations as unverifiable, and an unknown destination ARN counts as set", async () => {
            assertUnverifiable(await run(lambdaFailureDestination, [fn({ deadLetterConfig: UNKNOWN })]), /^Cannot verify during preview that failed asynchronous events go to a dead-letter queue or an on-failure destination: deadLetterConfig is \(unknown until apply\)/);
            const f = fn({});
            assertUnverifiable(await run(lambdaFailureDestination, [f, invokeConfig({ functionName: UNKNOWN, ...onFailure })]), /functionName is \(unknown until apply\)/);
            assertUnverifiable(await run(lambdaFailureDestination, [f, invokeConfig({ functionName: UNKNOWN, destinationConfig: UNKNOWN }, [f.urn])]), /destinationConfig is \(unknown until apply\)/);
            assert.deepStrictEqual(await run(lambdaFailureDestination, [f, invokeConfig({ functionName: UNKNOWN, destinationConfig: { onFailure: { destination: UNKNOWN } } }, [f.urn])]), []);
        });
        it("never throws on malformed inputs", async () => {
            for (const deadLetterConfig of [null, "[]", 42, { targetArn: null }]) await run(lambdaFailureDestination, [fn({ deadLetterConfig })]);
            const f = fn({ name: "orders" });
            for (const destinationConfig of [null, "[]", 42, { onFailure: null }, { onFailure: { destination: 3 } }]) {
                await run(lambdaFailureDestination, [f, invokeConfig({ functionName: "orders", destinationConfig })]);
            }
            await run(lambdaFailureDestination, [f, invokeConfig({ functionName: 42 })]);
        });
    });

    describe("lambda-function-url-auth", () => {
        const url = (authorizationType: unknown) => res(aws.lambda.FunctionUrl, { functionName: "orders", authorizationType });
        it("passes AWS_IAM", async () => {
            assert.deepStrictEqual(await run(lambdaFunctionUrlAuth, url("AWS_IAM")), []);
        });
        it("rejects NONE, as mandatory", async () => {
            const diags = await run(lambdaFunctionUrlAuth, url("NONE"));
            assert.deepStrictEqual(messages(diags), ['Lambda function URL must require IAM authorization: authorizationType is "NONE", expected "AWS_IAM".']);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("reports an unknown type as unverifiable, and never throws on malformed ones", async () => {
            assertUnverifiable(await run(lambdaFunctionUrlAuth, url(UNKNOWN)), /^Cannot verify during preview that the function URL requires IAM authorization: authorizationType is \(unknown until apply\)/);
            for (const t of [null, 42, [], {}]) assert.strictEqual((await run(lambdaFunctionUrlAuth, url(t))).length, 1);
        });
    });

    describe("lambda-permission-not-public", () => {
        const permission = (props: Record<string, any>) => res(aws.lambda.Permission, { action: "lambda:InvokeFunction", function: "orders", ...props });
        it("passes named principals, and * or services narrowed to an account or organization", async () => {
            for (const props of [
                { principal: "123456789012" },
                { principal: "arn:aws:iam::123456789012:role/caller" },
                { principal: "*", principalOrgId: "o-abc123" },
                { principal: "*", sourceAccount: "123456789012" },
                { principal: "events.amazonaws.com", sourceArn: "arn:aws:events:eu-west-1:123456789012:rule/nightly" },
                { principal: "apigateway.amazonaws.com", sourceArn: UNKNOWN },
                { principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::uploads", sourceAccount: "123456789012" },
                { principal: "lambda.amazonaws.com", sourceAccount: UNKNOWN },
            ]) assert.deepStrictEqual(await run(lambdaPermissionNotPublic, permission(props)), [], JSON.stringify(props));
        });
        it("rejects * without narrowing, as mandatory", async () => {
            const diags = await run(lambdaPermissionNotPublic, permission({ principal: "*" }));
            assert.deepStrictEqual(messages(diags), ['Lambda permission must not let anyone invoke the function: principal is "*" with sourceArn (unset), no sourceAccount and no principalOrgId, expected a named principal, or sourceAccount, principalOrgId or the sourceArn of a named account.']);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("rejects service principals any account can use, and S3 without sourceAccount", async () => {
            assert.deepStrictEqual(messages(await run(lambdaPermissionNotPublic, permission({ principal: "sns.amazonaws.com" }))), [
                "Lambda permission must not let any account's sns.amazonaws.com invoke the function: sourceArn is (unset) and sourceAccount is unset, expected sourceArn (of a named account) or sourceAccount.",
            ]);
            assert.deepStrictEqual(messages(await run(lambdaPermissionNotPublic, permission({ principal: "s3.amazonaws.com", sourceArn: "arn:aws:s3:::uploads" }))), [
                `Lambda permission must not let any account's s3.amazonaws.com invoke the function: sourceArn is "arn:aws:s3:::uploads" and sourceAccount is unset, expected sourceAccount set to the bucket owner's account (with sourceArn the bucket).`,
            ]);
            // Even a bucket of the stack (ARN unknown until apply): the bucket name alone does not pin the owner.
            assert.deepStrictEqual(messages(await run(lambdaPermissionNotPublic, permission({ principal: "s3.amazonaws.com", sourceArn: UNKNOWN }))), [
                "Lambda permission must not let any account's s3.amazonaws.com invoke the function: sourceArn is (unknown until apply) and sourceAccount is unset, expected sourceAccount set to the bucket owner's account (with sourceArn the bucket).",
            ]);
        });
        it("rejects the public function URL grant", async () => {
            assert.deepStrictEqual(messages(await run(lambdaPermissionNotPublic, permission({ principal: "*", action: "lambda:InvokeFunctionUrl", functionUrlAuthType: "NONE", sourceAccount: "123456789012" }))), [
                'Lambda permission must not make the function URL public: principal is "*" with action "lambda:InvokeFunctionUrl" and functionUrlAuthType "NONE", expected functionUrlAuthType "AWS_IAM" and a named principal.',
            ]);
            assert.deepStrictEqual(await run(lambdaPermissionNotPublic, permission({ principal: "*", action: "lambda:InvokeFunctionUrl", functionUrlAuthType: "AWS_IAM", principalOrgId: "o-abc123" })), []);
        });
        it("reports an unknown principal or URL auth type as unverifiable", async () => {
            assertUnverifiable(await run(lambdaPermissionNotPublic, permission({ principal: UNKNOWN })), /^Cannot verify during preview that the permission does not let anyone invoke the function: principal is \(unknown until apply\)/);
            assertUnverifiable(await run(lambdaPermissionNotPublic, permission({ principal: "*", action: "lambda:InvokeFunctionUrl", functionUrlAuthType: UNKNOWN, sourceAccount: "123456789012" })), /functionUrlAuthType is \(unknown until apply\)/);
            assertUnverifiable(await run(lambdaPermissionNotPublic, permission({ principal: "*", action: UNKNOWN, functionUrlAuthType: "NONE", principalOrgId: "o-abc123" })), /action is \(unknown until apply\)/);
        });
        it("does not let an unknown URL auth type hide a * grant of lambda:InvokeFunction that nothing narrows", async () => {
            for (const action of ["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"]) {
                const diags = await run(lambdaPermissionNotPublic, permission({ principal: "*", action, functionUrlAuthType: UNKNOWN }));
                assert.deepStrictEqual(messages(diags), ['Lambda permission must not let anyone invoke the function: principal is "*" with sourceArn (unset), no sourceAccount and no principalOrgId, expected a named principal, or sourceAccount, principalOrgId or the sourceArn of a named account.'], action);
                assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            }
        });
        it("rejects an Alexa principal without the skill's eventSourceToken (any skill could invoke)", async () => {
            assert.deepStrictEqual(messages(await run(lambdaPermissionNotPublic, permission({ principal: "alexa-appkit.amazon.com" }))), [
                'Lambda permission must not let any Alexa skill invoke the function: principal is "alexa-appkit.amazon.com" and eventSourceToken is unset, expected eventSourceToken set to the skill\'s ID.',
            ]);
            assert.strictEqual((await run(lambdaPermissionNotPublic, permission({ principal: "Alexa-ConnectedHome.amazon.com", eventSourceToken: "" }))).length, 1);
            assert.deepStrictEqual(await run(lambdaPermissionNotPublic, permission({ principal: "alexa-appkit.amazon.com", eventSourceToken: "amzn1.ask.skill.0123" })), []);
        });
        it("never throws on malformed inputs", async () => {
            for (const props of [{ principal: null }, { principal: 42 }, { principal: ["*"] }, { principal: "*", action: null, sourceArn: 42 }, { principal: "*", sourceArn: {} }]) {
                await run(lambdaPermissionNotPublic, permission(props));
            }
        });
    });
});
