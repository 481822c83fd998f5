import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { apigatewayDomainTls12 } from "../../policies/serverless/apigateway";
import { apigatewayMethodAuthorization, apigatewayRouteAuthorization } from "../../policies/serverless/apigateway-auth";
import { apigatewayExecutionLogging, apigatewayRestWaf } from "../../policies/serverless/apigateway-rest";
import {
    lambdaFailureDestination, lambdaFunctionUrlAuth, lambdaInVpc, lambdaNoPlaintextSecrets, lambdaPermissionNotPublic, lambdaSupportedRuntime,
} from "../../policies/serverless/lambda";
import { stepFunctionsLogging } from "../../policies/serverless/stepfunctions";
import { UNKNOWN, messages, res, run, secret } from "./helpers";

/** Ways around the serverless policies: other spellings, other resources, wrappers, conditions that do not narrow. */

const fn = (props: Record<string, any>, name = "fn") => res(aws.lambda.Function, { role: "arn:aws:iam::123456789012:role/fn", runtime: "nodejs22.x", ...props }, { name });
const env = (variables: Record<string, unknown>) => fn({ environment: { variables } });
const count = async (p: Parameters<typeof run>[0], r: Parameters<typeof run>[1], config: Record<string, unknown> = {}) => (await run(p, r, config)).length;

describe("bypass: Lambda", () => {
    it("a Pulumi secret is still plain text in the function's configuration, and is reported without its value", async () => {
        const diags = await run(lambdaNoPlaintextSecrets, env({ DB_PASSWORD: secret("hunter2-value"), UPSTREAM: secret("https://svc:pa55@api.example.com") }));
        assert.strictEqual(diags.length, 2);
        assert.ok(messages(diags).every((m) => !/hunter2|pa55/.test(m)));
    });
    it("catches secret names in any case and style, and credentials under innocent names", async () => {
        for (const variables of [{ db_password: "x1y2z3" }, { dbPassword: "x1y2z3" }, { stripeApiKey: "sk_live" }, { PWD: "x1y2z3" }, { DB_PASSWORD: "123456" }]) {
            assert.strictEqual(await count(lambdaNoPlaintextSecrets, env(variables)), 1, JSON.stringify(variables));
        }
        for (const value of ["redis://:pa55@cache:6379", "Data Source=db;pwd=pa55", "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc==", "Endpoint=sb://ns/;SharedAccessKeyName=k;SharedAccessKey=abc="]) {
            assert.strictEqual(await count(lambdaNoPlaintextSecrets, env({ UPSTREAM: value })), 1, value);
        }
    });
    it("catches credentials in JDBC URLs, URL query parameters and URLs inside a larger value, never printing them", async () => {
        const urls = (names: string[]) => `Lambda function must not put credentials in environment values: environment.variables sets ${JSON.stringify(names)} to a URL with a user name and password, expected the secret in Secrets Manager or SSM with only its ARN or name in the environment.`;
        const strings = (names: string[]) => `Lambda function must not put credentials in environment values: environment.variables sets ${JSON.stringify(names)} to a connection string with a Password, Pwd, AccountKey or SharedAccessKey, expected the secret in Secrets Manager or SSM with only its ARN or name in the environment.`;
        const diags = await run(lambdaNoPlaintextSecrets, env({
            JDBC_URL: "jdbc:mysql://app:pa55@db:3306/shop",
            APP_CONFIG: '{"db":{"url":"postgres://app:pa55@db:5432/shop"}}',
            ARGS: "--db=mongodb+srv://app:pa55@cluster0.example.net/shop",
            PG_URL: "jdbc:postgresql://db:5432/shop?user=app&password=pa55",
            LIBPQ: "postgresql://db/shop?sslmode=require&PASSWORD=pa55&connect_timeout=5",
        }));
        assert.deepStrictEqual(messages(diags), [urls(["JDBC_URL", "APP_CONFIG", "ARGS"]), strings(["PG_URL", "LIBPQ"])]);
        assert.ok(messages(diags).every((m) => !/pa55/.test(m)));
        // Ports, users without passwords, empty passwords and keys that only contain the word are not credentials.
        assert.deepStrictEqual(await run(lambdaNoPlaintextSecrets, env({
            A: "https://api.example.com:8443/v1?page=2", B: "http://user@proxy:3128", C: "postgresql://db/shop?password=&sslmode=require",
            D: "https://login.example.com/?passwordless=true&pwdReset=1", E: "see https://docs.example.com:443/x for help",
        })), []);
    });
    it("weighs a URL under a secret-looking address name: the OAuth endpoints pass, a URL that can carry a credential does not", async () => {
        assert.deepStrictEqual(await run(lambdaNoPlaintextSecrets, env({
            TOKEN_ENDPOINT: "https://login.example.com/oauth2/token", OAUTH_TOKEN_URL: "https://auth.example.com/token", tokenIssuerUri: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc",
            SECRETS_MANAGER_ENDPOINT: "https://secretsmanager.eu-west-1.amazonaws.com",
        })), []);
        const diags = await run(lambdaNoPlaintextSecrets, env({
            TOKEN_URL: "https://api.example.com/v1?token=pa55", SAS_TOKEN_URL: "https://acct.blob.core.windows.net/c?sv=2024&sig=pa55", WEBHOOK_SECRET: "https://hooks.example.com/pa55",
            API_TOKEN_URL: "pa55", SECRET_ENDPOINT_ARG: "https://x.example.com", TOKEN_ENDPOINT: "ftp://files.example.com/pa55",
        }));
        assert.deepStrictEqual(messages(diags), [
            'Lambda function must not keep secrets in its environment: environment.variables sets ["TOKEN_URL","SAS_TOKEN_URL","WEBHOOK_SECRET","API_TOKEN_URL","SECRET_ENDPOINT_ARG","TOKEN_ENDPOINT"], expected the secret in Secrets Manager or SSM with only its ARN or name in the environment.',
        ]);
    });
    it("catches a secret-named key inside a JSON value, at any depth, and leaves JSON settings alone", async () => {
        const diags = await run(lambdaNoPlaintextSecrets, env({
            APP_CONFIG: '{"db":{"host":"db","password":"pa55"}}', CLIENTS: '[{"id":"web","clientSecret":"pa55"}]', FLAGS: '{"featureX":true,"tokenTtlSeconds":3600}',
            POINTERS: '{"dbSecretArn":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"}', NOT_JSON: "{not json",
        }));
        assert.deepStrictEqual(messages(diags), [
            'Lambda function must not keep secrets in its environment: environment.variables sets ["APP_CONFIG","CLIENTS"], expected the secret in Secrets Manager or SSM with only its ARN or name in the environment.',
        ]);
        assert.ok(!/pa55/.test(messages(diags)[0]));
    });
    it("refuses deprecated runtimes whatever their case or padding", async () => {
        for (const runtime of ["Python3.9", " nodejs18.x ", "NODEJS16.X"]) assert.strictEqual(await count(lambdaSupportedRuntime, fn({ runtime })), 1, runtime);
    });
    it("does not count empty subnet ids as a VPC", async () => {
        assert.strictEqual(await count(lambdaInVpc, fn({ vpcConfig: { subnetIds: ["", null], securityGroupIds: [] } })), 1);
    });
    it("joins an event invoke configuration by qualified ARN, but not another function's whose name only starts the same", async () => {
        const onFailure = { destinationConfig: { onFailure: { destination: "arn:aws:sqs:eu-west-1:123456789012:failed" } } };
        const f = fn({ name: "orders" });
        const config = (functionName: string) => res(aws.lambda.FunctionEventInvokeConfig, { functionName, ...onFailure }, { name: "cfg" });
        assert.strictEqual(await count(lambdaFailureDestination, [f, config("arn:aws:lambda:eu-west-1:123456789012:function:orders:live")]), 0);
        assert.strictEqual(await count(lambdaFailureDestination, [f, config("123456789012:function:orders")]), 0);
        assert.strictEqual(await count(lambdaFailureDestination, [f, config("arn:aws:lambda:eu-west-1:123456789012:function:orders-v2")]), 1);
        assert.strictEqual(await count(lambdaFailureDestination, [f, config("orders-v2")]), 1);
        // A qualifier is one field: more after it is not this function's ARN.
        assert.strictEqual(await count(lambdaFailureDestination, [f, config("arn:aws:lambda:eu-west-1:123456789012:function:orders:live:extra")]), 1);
    });
    it("refuses a function URL whose type is anything but AWS_IAM, in any spelling", async () => {
        for (const authorizationType of ["none", "None", "", "AWS_IAM "]) {
            assert.strictEqual(await count(lambdaFunctionUrlAuth, res(aws.lambda.FunctionUrl, { functionName: "f", authorizationType })), 1, authorizationType);
        }
    });
    it("does not take a wildcard account, a bare *, an S3 ARN or an empty organization as narrowing a * principal", async () => {
        const permission = (props: Record<string, any>) => res(aws.lambda.Permission, { action: "lambda:InvokeFunction", function: "f", principal: "*", ...props });
        for (const props of [
            { sourceArn: "arn:aws:execute-api:eu-west-1:*:abc123/*/GET/orders" },
            { sourceArn: "*" },
            { sourceArn: "arn:aws:s3:::uploads" },
            { principalOrgId: "", sourceAccount: "" },
            { action: "lambda:*", functionUrlAuthType: "NONE", principalOrgId: "o-abc" },
            { action: "*", functionUrlAuthType: "none", sourceAccount: "123456789012" },
        ]) assert.strictEqual(await count(lambdaPermissionNotPublic, permission(props)), 1, JSON.stringify(props));
    });
    it("requires sourceAccount for S3 in any case or partition, and a named account for other services", async () => {
        const permission = (principal: string, props: Record<string, any> = {}) => res(aws.lambda.Permission, { action: "lambda:InvokeFunction", function: "f", principal, ...props });
        assert.strictEqual(await count(lambdaPermissionNotPublic, permission("S3.AmazonAWS.com", { sourceArn: "arn:aws:s3:::uploads" })), 1);
        assert.strictEqual(await count(lambdaPermissionNotPublic, permission("s3.amazonaws.com.cn", { sourceArn: "arn:aws-cn:s3:::uploads" })), 1);
        assert.strictEqual(await count(lambdaPermissionNotPublic, permission("sns.amazonaws.com", { sourceArn: "arn:aws:sns:eu-west-1:*:alerts" })), 1);
    });
});

describe("bypass: Step Functions", () => {
    it("refuses OFF in any case, and an unknown level is never taken as logging", async () => {
        assert.strictEqual(await count(stepFunctionsLogging, res(aws.sfn.StateMachine, { definition: "{}", roleArn: "r", loggingConfiguration: { level: "off", logDestination: "arn:x:*" } })), 1);
        const diags = await run(stepFunctionsLogging, res(aws.sfn.StateMachine, { definition: "{}", roleArn: "r", loggingConfiguration: { level: UNKNOWN } }));
        assert.strictEqual(diags[0].enforcementLevel, "advisory");
    });
});

describe("bypass: API Gateway", () => {
    const api = (props: Record<string, any> = {}, name = "api") => res(aws.apigateway.RestApi, { name: "shop", ...props }, { name });
    const stage = (a: { urn: string }, name = "prod", stageName = "prod") =>
        res(aws.apigateway.Stage, { restApi: UNKNOWN, deployment: UNKNOWN, stageName }, { name, propertyDependencies: { restApi: [a.urn] } });

    it("refuses lower-case and made-up TLS policy names", async () => {
        for (const securityPolicy of ["tls_1_2", "TLS_1_1", "SecurityPolicy_TLS10_2025", "SecurityPolicy_TLS11_X", " TLS_1_2"]) {
            assert.strictEqual(await count(apigatewayDomainTls12, res(aws.apigateway.DomainName, { domainName: "d", securityPolicy })), 1, securityPolicy);
        }
    });
    it("reads a list of endpoint types (older programs, the wire), and only PRIVATE exempts from WAF", async () => {
        const regional = api({ endpointConfiguration: { types: ["REGIONAL"] } });
        assert.strictEqual(await count(apigatewayRestWaf, [regional, stage(regional)]), 1);
        const priv = api({ endpointConfiguration: { types: ["PRIVATE"] } });
        assert.strictEqual(await count(apigatewayRestWaf, [priv, stage(priv)]), 0);
    });
    it("does not count a WAF association of another stage, and counts WAF Classic regional", async () => {
        const a = api();
        const [prod, dev] = [stage(a, "prod"), stage(a, "dev", "dev")];
        const other = res(aws.wafv2.WebAclAssociation, { resourceArn: UNKNOWN, webAclArn: "w" }, { name: "waf", propertyDependencies: { resourceArn: [dev.urn] } });
        assert.deepStrictEqual((await run(apigatewayRestWaf, [a, prod, dev, other])).map((d) => d.urn), [prod.urn]);
        const classic = res(aws.wafregional.WebAclAssociation, { resourceArn: UNKNOWN, webAclId: "w" }, { name: "classic", propertyDependencies: { resourceArn: [prod.urn] } });
        assert.strictEqual(await count(apigatewayRestWaf, [a, prod, classic]), 0);
    });
    it("does not count another stage's or one method's settings as a stage's execution logging", async () => {
        const a = api();
        const [prod, dev] = [stage(a, "prod"), stage(a, "dev", "dev")];
        const settings = (s: { urn: string }, methodPath: string) => res(aws.apigateway.MethodSettings, { restApi: UNKNOWN, stageName: UNKNOWN, methodPath, settings: { loggingLevel: "INFO" } }, { name: `${methodPath}-settings`, propertyDependencies: { restApi: [a.urn], stageName: [s.urn] } });
        assert.deepStrictEqual((await run(apigatewayExecutionLogging, [a, prod, dev, settings(dev, "*/*")])).map((d) => d.urn), [prod.urn]);
        assert.strictEqual(await count(apigatewayExecutionLogging, [a, prod, settings(prod, "orders/GET")]), 1);
    });
    it("refuses NONE in any case and an empty authorization on REST methods", async () => {
        const a = api();
        for (const authorization of ["none", "", " NONE "]) {
            const m = res(aws.apigateway.Method, { restApi: UNKNOWN, resourceId: UNKNOWN, httpMethod: "GET", authorization }, { name: "m", propertyDependencies: { resourceId: [a.urn] } });
            assert.strictEqual(await count(apigatewayMethodAuthorization, [a, m]), 1, JSON.stringify(authorization));
        }
    });
    it("allows exactly the listed route: not another method, a longer path or a trailing slash", async () => {
        const http = res(aws.apigatewayv2.Api, { protocolType: "HTTP" }, { name: "http" });
        const route = (routeKey: string, authorizationType: unknown = "NONE") => res(aws.apigatewayv2.Route, { apiId: UNKNOWN, routeKey, authorizationType }, { name: "r", propertyDependencies: { apiId: [http.urn] } });
        const config = { openRoutes: [{ route: "GET /health", reason: "health check" }] };
        assert.strictEqual(await count(apigatewayRouteAuthorization, [http, route("get /health")], config), 0);
        for (const key of ["POST /health", "GET /healthz", "GET /health/", "ANY /{proxy+}", "$default"]) {
            assert.strictEqual(await count(apigatewayRouteAuthorization, [http, route(key)], config), 1, key);
        }
        assert.strictEqual(await count(apigatewayRouteAuthorization, [http, route("GET /x", "none")]), 1);
    });
    describe("methods and routes defined in an OpenAPI body instead of Method and Route resources", () => {
        const LAMBDA = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:orders/invocations";
        const integration = { type: "aws_proxy", httpMethod: "POST", uri: LAMBDA };
        const authorizer = { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "cognito_user_pools", "x-amazon-apigateway-authorizer": { type: "cognito_user_pools", providerARNs: ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_abc"] } };
        const spec = (paths: Record<string, unknown>, extra: Record<string, unknown> = {}) => JSON.stringify({
            openapi: "3.0.1", info: { title: "shop", version: "1" }, paths,
            components: { securitySchemes: { cognito: authorizer, apiKey: { type: "apiKey", name: "x-api-key", in: "header" } } }, ...extra,
        });
        const op = (extra: Record<string, unknown> = {}) => ({ "x-amazon-apigateway-integration": integration, ...extra });
        const rest = (body: unknown) => res(aws.apigateway.RestApi, { name: "shop", body }, { name: "api" });
        const http = (body: unknown) => res(aws.apigatewayv2.Api, { protocolType: "HTTP", body }, { name: "http" });

        it("refuses operations without authorization, or with only an API key or an optional {} requirement, naming them", async () => {
            const body = spec({
                "/orders": { get: op(), post: op({ security: [{ apiKey: [] }] }) },
                "/orders/{id}": { "x-amazon-apigateway-any-method": op({ security: [{ cognito: [] }, {}] }), delete: op({ security: [{ cognito: [] }] }) },
            });
            const diags = await run(apigatewayMethodAuthorization, [rest(body)]);
            assert.deepStrictEqual(messages(diags), [
                'API Gateway REST API must require authorization on every operation of its OpenAPI body: ["GET /orders","POST /orders","ANY /orders/{id}"] have no security requirement naming an authorizer, IAM (x-amazon-apigateway-auth) or OAuth scheme, expected one on each, or the route listed in openRoutes with a reason.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.strictEqual(await count(apigatewayRouteAuthorization, [http(body)]), 1);
        });
        it("passes document-wide security, IAM through x-amazon-apigateway-auth, JWT, and open routes listed with a reason", async () => {
            assert.deepStrictEqual(await run(apigatewayMethodAuthorization, [rest(spec({ "/orders": { get: op() } }, { security: [{ cognito: [] }] }))]), []);
            assert.deepStrictEqual(await run(apigatewayMethodAuthorization, [rest(spec({ "/orders": { get: op({ "x-amazon-apigateway-auth": { type: "AWS_IAM" } }) } }))]), []);
            const jwt = JSON.stringify({ openapi: "3.0.1", paths: { "/orders": { get: op({ security: [{ jwt: [] }] }) } }, components: { securitySchemes: { jwt: { type: "oauth2", flows: {}, "x-amazon-apigateway-authorizer": { type: "jwt" } } } } });
            assert.deepStrictEqual(await run(apigatewayRouteAuthorization, [http(jwt)]), []);
            const config = { openRoutes: [{ route: "GET /health", reason: "load balancer health check" }] };
            assert.deepStrictEqual(await run(apigatewayMethodAuthorization, [rest(spec({ "/health": { get: op() } }))], config), []);
            // A document-wide requirement that an operation clears with security: [] is no authorization.
            assert.strictEqual(await count(apigatewayMethodAuthorization, [rest(spec({ "/orders": { get: op({ security: [] }) } }, { security: [{ cognito: [] }] }))]), 1);
        });
        it("reports a body unknown until apply as unverifiable, and never throws on malformed bodies", async () => {
            const diags = await run(apigatewayMethodAuthorization, [rest(UNKNOWN)]);
            assert.strictEqual(diags.length, 1);
            assert.match(messages(diags)[0], /^Cannot verify during preview that the OpenAPI operations of the body require authorization: body is \(unknown until apply\)/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            for (const body of ["[]", "null", "{", '{"paths":null}', '{"paths":{"/x":null,"/y":{"get":null,"post":42}}}', '{"paths":{"/x":{"get":{"security":{}}}},"components":null}']) {
                await run(apigatewayMethodAuthorization, [rest(body)]);
                await run(apigatewayRouteAuthorization, [http(body)]);
            }
        });
    });
    describe("CORS preflight methods (OPTIONS answered by a MOCK integration) need no authorization", () => {
        const a = res(aws.apigateway.RestApi, { name: "shop" }, { name: "api" });
        const orders = res(aws.apigateway.Resource, { restApi: UNKNOWN, parentId: UNKNOWN, pathPart: "orders" }, { name: "orders", propertyDependencies: { parentId: [a.urn] } });
        const method = (httpMethod: string, name = "options") => res(aws.apigateway.Method, { restApi: UNKNOWN, resourceId: UNKNOWN, httpMethod, authorization: "NONE" }, { name, propertyDependencies: { resourceId: [orders.urn] } });
        const integration = (type: string, m: { urn: string } | undefined, httpMethod = UNKNOWN, name = "integration") =>
            res(aws.apigateway.Integration, { restApi: UNKNOWN, resourceId: UNKNOWN, httpMethod, type }, { name, propertyDependencies: { resourceId: [orders.urn], ...(m ? { httpMethod: [m.urn] } : {}) } });
        it("passes OPTIONS with a MOCK integration, joined by its method or by resource and verb", async () => {
            const options = method("OPTIONS");
            assert.deepStrictEqual(await run(apigatewayMethodAuthorization, [a, orders, options, integration("MOCK", options)]), []);
            assert.deepStrictEqual(await run(apigatewayMethodAuthorization, [a, orders, options, integration("mock", undefined, "OPTIONS")]), []);
        });
        it("refuses OPTIONS that reaches a backend or has no integration in the stack, and other verbs with a MOCK integration", async () => {
            const options = method("OPTIONS");
            assert.strictEqual(await count(apigatewayMethodAuthorization, [a, orders, options, integration("AWS_PROXY", options)]), 1);
            assert.strictEqual(await count(apigatewayMethodAuthorization, [a, orders, options]), 1);
            const get = method("GET", "get");
            assert.strictEqual(await count(apigatewayMethodAuthorization, [a, orders, get, integration("MOCK", get)]), 1);
            // A MOCK integration on the resource for OPTIONS does not cover GET, nor a second OPTIONS integration that proxies.
            assert.strictEqual(await count(apigatewayMethodAuthorization, [a, orders, get, integration("MOCK", undefined, "OPTIONS")]), 1);
            assert.strictEqual(await count(apigatewayMethodAuthorization, [a, orders, options, integration("MOCK", options), integration("HTTP_PROXY", undefined, "OPTIONS", "other")]), 1);
        });
        it("passes an OpenAPI options operation with a mock integration, not one that proxies", async () => {
            const body = (type: string) => JSON.stringify({ openapi: "3.0.1", paths: { "/orders": { options: { "x-amazon-apigateway-integration": { type } } } } });
            assert.deepStrictEqual(await run(apigatewayMethodAuthorization, [res(aws.apigateway.RestApi, { name: "shop", body: body("mock") }, { name: "api" })]), []);
            assert.strictEqual(await count(apigatewayMethodAuthorization, [res(aws.apigateway.RestApi, { name: "shop", body: body("aws_proxy") }, { name: "api" })]), 1);
        });
    });
    it("refuses a quick-created HTTP API whatever route key it names", async () => {
        const quick = res(aws.apigatewayv2.Api, { protocolType: "HTTP", target: "arn:aws:lambda:eu-west-1:123456789012:function:f", routeKey: "ANY /{proxy+}" }, { name: "quick" });
        assert.match(messages(await run(apigatewayRouteAuthorization, [quick]))[0], /creates route "ANY \/\{proxy\+\}" without authorization/);
    });
});
