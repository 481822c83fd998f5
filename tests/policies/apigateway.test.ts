import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { apigatewayAccessLogging, apigatewayDomainTls12, apigatewayPolicies } from "../../policies/serverless/apigateway";
import { apigatewayMethodAuthorization, apigatewayRouteAuthorization, resourcePath } from "../../policies/serverless/apigateway-auth";
import { apigatewayCacheEncrypted, apigatewayExecutionLogging, apigatewayRestWaf, isPrivateApi } from "../../policies/serverless/apigateway-rest";
import { Diagnostic } from "../../tools/offline/evaluate";
import { UNKNOWN, linked, messages, res, run } from "./helpers";

const LOGS = "arn:aws:logs:eu-west-1:123456789012:log-group:/apigw/access";
const api = (props: Record<string, any> = {}, name = "api") => res(aws.apigateway.RestApi, { name: "shop", ...props }, { name });
const stage = (props: Record<string, any>, restApi = api(), name = "prod") =>
    res(aws.apigateway.Stage, { restApi: UNKNOWN, deployment: UNKNOWN, stageName: "prod", accessLogSettings: { destinationArn: LOGS, format: "{}" }, ...props }, { name, propertyDependencies: { restApi: [restApi.urn] } });
const methodSettings = (settings: unknown, s: { urn: string }, a: { urn: string }, methodPath = "*/*", name = "prod-settings") =>
    res(aws.apigateway.MethodSettings, { restApi: UNKNOWN, stageName: UNKNOWN, methodPath, settings }, { name, propertyDependencies: { restApi: [a.urn], stageName: [s.urn] } });

function assertUnverifiable(diags: Diagnostic[], pattern: RegExp) {
    assert.strictEqual(diags.length, 1, JSON.stringify(messages(diags)));
    assert.match(messages(diags)[0], pattern);
    assert.strictEqual(diags[0].enforcementLevel, "advisory");
    assert.ok(!diags[0].cantRunDuringPreview);
}

describe("policies: apigateway", () => {
    it("exports every API Gateway policy once", () => {
        assert.deepStrictEqual(apigatewayPolicies.map((p) => p.name), [
            "apigateway-access-logging", "apigateway-domain-tls12", "apigateway-execution-logging", "apigateway-rest-waf", "apigateway-cache-encrypted",
            "apigateway-method-authorization", "apigateway-route-authorization",
        ]);
    });

    describe("apigateway-access-logging", () => {
        const v2 = (props: Record<string, any>) => res(aws.apigatewayv2.Stage, { apiId: "a1", name: "$default", ...props });
        it("passes REST and HTTP stages with a destination, known or not", async () => {
            assert.deepStrictEqual(await run(apigatewayAccessLogging, stage({})), []);
            assert.deepStrictEqual(await run(apigatewayAccessLogging, v2({ accessLogSettings: { destinationArn: UNKNOWN, format: "{}" } })), []);
        });
        it("rejects stages without access logs, as mandatory", async () => {
            const diags = await run(apigatewayAccessLogging, stage({ accessLogSettings: undefined }));
            assert.deepStrictEqual(messages(diags), ["API Gateway REST stage must write access logs: accessLogSettings is unset, expected a CloudWatch Logs log group or Firehose stream ARN."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(apigatewayAccessLogging, v2({ accessLogSettings: { destinationArn: "", format: "{}" } }))), [
                'API Gateway HTTP/WebSocket stage must write access logs: accessLogSettings.destinationArn is "", expected a CloudWatch Logs log group or Firehose stream ARN.',
            ]);
        });
        it("reports unknown settings as unverifiable, and never throws on malformed ones", async () => {
            assertUnverifiable(await run(apigatewayAccessLogging, v2({ accessLogSettings: UNKNOWN })), /^Cannot verify during preview that the stage writes access logs: accessLogSettings is \(unknown until apply\)/);
            for (const accessLogSettings of [null, "[]", 42, [], { destinationArn: null }]) assert.strictEqual((await run(apigatewayAccessLogging, v2({ accessLogSettings }))).length, 1);
        });
    });

    describe("apigateway-domain-tls12", () => {
        const rest = (securityPolicy: unknown) => res(aws.apigateway.DomainName, { domainName: "api.example.com", regionalCertificateArn: "arn:cert", securityPolicy });
        const http = (domainNameConfiguration: unknown) => res(aws.apigatewayv2.DomainName, { domainName: "api.example.com", domainNameConfiguration });
        it("passes TLS_1_2 and enhanced TLS 1.2/1.3 policies", async () => {
            for (const p of ["TLS_1_2", "SecurityPolicy_TLS13_1_3_2025_09", "SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09", "SecurityPolicy_TLS12_PFS_2025_EDGE"]) {
                assert.deepStrictEqual(await run(apigatewayDomainTls12, rest(p)), [], p);
            }
            assert.deepStrictEqual(await run(apigatewayDomainTls12, http({ certificateArn: "arn:cert", endpointType: "REGIONAL", securityPolicy: "TLS_1_2" })), []);
        });
        it("rejects TLS_1_0 and the REST default, as mandatory", async () => {
            const diags = await run(apigatewayDomainTls12, rest(undefined));
            assert.deepStrictEqual(messages(diags), ['API Gateway REST domain name must refuse TLS 1.0 and 1.1: securityPolicy is (unset), which API Gateway takes as TLS_1_0, expected "TLS_1_2" or an enhanced SecurityPolicy_TLS12/TLS13 policy.']);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(apigatewayDomainTls12, rest("TLS_1_0"))), ['API Gateway REST domain name must refuse TLS 1.0 and 1.1: securityPolicy is "TLS_1_0", expected "TLS_1_2" or an enhanced SecurityPolicy_TLS12/TLS13 policy.']);
            assert.deepStrictEqual(messages(await run(apigatewayDomainTls12, http({ securityPolicy: "TLS_1_0" }))), ['API Gateway HTTP/WebSocket domain name must refuse TLS 1.0 and 1.1: domainNameConfiguration.securityPolicy is "TLS_1_0", expected "TLS_1_2" or an enhanced SecurityPolicy_TLS12/TLS13 policy.']);
        });
        it("reports unknown policies as unverifiable, and never throws on malformed ones", async () => {
            assertUnverifiable(await run(apigatewayDomainTls12, rest(UNKNOWN)), /^Cannot verify during preview that the domain name refuses TLS 1\.0 and 1\.1: securityPolicy is \(unknown until apply\)/);
            assertUnverifiable(await run(apigatewayDomainTls12, http(UNKNOWN)), /domainNameConfiguration\.securityPolicy is \(unknown until apply\)/);
            for (const c of [null, "[]", 42, [], { securityPolicy: null }, { securityPolicy: 12 }]) assert.strictEqual((await run(apigatewayDomainTls12, http(c))).length, 1);
        });
    });

    describe("apigateway-execution-logging", () => {
        it("passes a REST stage with */* at ERROR or INFO, and HTTP API stages", async () => {
            const a = api();
            const s = stage({}, a);
            assert.deepStrictEqual(await run(apigatewayExecutionLogging, [a, s, methodSettings({ loggingLevel: "ERROR" }, s, a)]), []);
            const literal = res(aws.apigateway.MethodSettings, { restApi: "abc123", stageName: "prod", methodPath: "*/*", settings: { loggingLevel: "INFO" } }, { name: "lit" });
            assert.deepStrictEqual(await run(apigatewayExecutionLogging, [res(aws.apigateway.Stage, { restApi: "abc123", stageName: "prod", deployment: "d" }), literal]), []);
            const http = res(aws.apigatewayv2.Api, { protocolType: "HTTP" }, { name: "http" });
            assert.deepStrictEqual(await run(apigatewayExecutionLogging, [http, res(aws.apigatewayv2.Stage, { apiId: UNKNOWN }, { name: "s", propertyDependencies: { apiId: [http.urn] } })]), []);
        });
        it("rejects a REST stage without */* settings, one at OFF, and a silent WebSocket stage, as advisory", async () => {
            const a = api();
            const s = stage({}, a);
            const diags = await run(apigatewayExecutionLogging, [a, s]);
            assert.deepStrictEqual(messages(diags), ['API Gateway REST stage must log execution for every method: no aws.apigateway.MethodSettings with methodPath "*/*" names it, expected loggingLevel "ERROR" or "INFO".']);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.deepStrictEqual(messages(await run(apigatewayExecutionLogging, [a, s, methodSettings({ loggingLevel: "ERROR" }, s, a), methodSettings({ loggingLevel: "OFF" }, s, a, "orders/GET", "quiet")])), [
                'API Gateway REST stage must log execution for every method: aws.apigateway.MethodSettings "quiet" sets loggingLevel "OFF" for "orders/GET", expected "ERROR" or "INFO".',
            ]);
            const ws = res(aws.apigatewayv2.Api, { protocolType: "WEBSOCKET" }, { name: "ws" });
            assert.deepStrictEqual(messages(await run(apigatewayExecutionLogging, [ws, res(aws.apigatewayv2.Stage, { apiId: UNKNOWN }, { name: "s", propertyDependencies: { apiId: [ws.urn] } })])), [
                'API Gateway WebSocket stage must log execution: defaultRouteSettings.loggingLevel is (unset), expected "ERROR" or "INFO".',
            ]);
        });
        it("reports unknown levels and unplaced settings as unverifiable", async () => {
            const a = api();
            const s = stage({}, a);
            assertUnverifiable(await run(apigatewayExecutionLogging, [a, s, methodSettings({ loggingLevel: UNKNOWN }, s, a)]), /^Cannot verify during preview that every method of the stage logs at ERROR or INFO: settings\.loggingLevel is \(unknown until apply\)/);
            const unplaced = res(aws.apigateway.MethodSettings, { restApi: UNKNOWN, stageName: UNKNOWN, methodPath: "*/*", settings: { loggingLevel: "ERROR" } }, { name: "elsewhere" });
            assertUnverifiable(await run(apigatewayExecutionLogging, [a, s, unplaced]), /stageName is \(unknown until apply\)/);
        });
        it("never throws on malformed settings", async () => {
            const a = api();
            const s = stage({}, a);
            for (const settings of [null, "[]", 42, [], { loggingLevel: null }]) await run(apigatewayExecutionLogging, [a, s, methodSettings(settings, s, a)]);
            await run(apigatewayExecutionLogging, [res(aws.apigatewayv2.Stage, { apiId: 42, defaultRouteSettings: "[]" })]);
        });
    });

    describe("apigateway-rest-waf", () => {
        const association = (s: { urn: string }, props: Record<string, any> = {}) =>
            res(aws.wafv2.WebAclAssociation, { resourceArn: UNKNOWN, webAclArn: UNKNOWN, ...props }, { name: "waf", propertyDependencies: { resourceArn: [s.urn] } });
        it("passes a public stage with a WAF association, and private APIs", async () => {
            const a = api();
            const s = stage({}, a);
            assert.deepStrictEqual(await run(apigatewayRestWaf, [a, s, association(s)]), []);
            const p = api({ endpointConfiguration: { types: "PRIVATE" } });
            assert.deepStrictEqual(await run(apigatewayRestWaf, [p, stage({}, p)]), []);
            const literal = res(aws.wafv2.WebAclAssociation, { resourceArn: "arn:aws:apigateway:eu-west-1::/restapis/abc123/stages/prod", webAclArn: "arn:waf" }, { name: "lit" });
            assert.deepStrictEqual(await run(apigatewayRestWaf, [a, res(aws.apigateway.Stage, { restApi: "abc123", stageName: "prod", deployment: "d" }, { propertyDependencies: { restApi: [a.urn] } }), literal]), []);
        });
        it("rejects a public stage without WAF, as mandatory", async () => {
            const a = api({ endpointConfiguration: { types: "REGIONAL" } });
            const diags = await run(apigatewayRestWaf, [a, stage({}, a)]);
            assert.deepStrictEqual(messages(diags), ['API Gateway REST stage of a public API must be associated with a WAF web ACL: the API\'s endpoint type is "REGIONAL" and no WAF association takes the stage\'s ARN as resourceArn, expected an aws.wafv2.WebAclAssociation.']);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            const edge = api();
            assert.match(messages(await run(apigatewayRestWaf, [edge, stage({}, edge)]))[0], /endpoint type is "EDGE \(default\)"/);
        });
        it("reports unknown endpoint types, APIs from elsewhere and unplaced associations as unverifiable", async () => {
            const a = api({ endpointConfiguration: { types: UNKNOWN } });
            assertUnverifiable(await run(apigatewayRestWaf, [a, stage({}, a)]), /^Cannot verify during preview that stage "prod" is private or has a WAF web ACL: endpointConfiguration is/);
            assertUnverifiable(await run(apigatewayRestWaf, [res(aws.apigateway.Stage, { restApi: "abc123", stageName: "prod", deployment: "d" })]), /restApi is "abc123"/);
            const b = api();
            const unplaced = res(aws.wafv2.WebAclAssociation, { resourceArn: UNKNOWN, webAclArn: UNKNOWN }, { name: "waf" });
            assertUnverifiable(await run(apigatewayRestWaf, [b, stage({}, b), unplaced]), /resourceArn is \(unknown until apply\)/);
        });
        it("never throws on malformed endpoint configurations", async () => {
            for (const endpointConfiguration of [null, "[]", 42, [], { types: null }, { types: [null, 3] }]) {
                const a = api({ endpointConfiguration });
                await run(apigatewayRestWaf, [a, stage({}, a)]);
            }
            assert.strictEqual(isPrivateApi({ endpointConfiguration: { types: ["PRIVATE"] } }), true);
        });
    });

    describe("apigateway-cache-encrypted", () => {
        it("passes encrypted caches, stages without a cache cluster, and */* with caching off", async () => {
            const a = api();
            const s = stage({ cacheClusterEnabled: true, cacheClusterSize: "0.5" }, a);
            assert.deepStrictEqual(await run(apigatewayCacheEncrypted, [a, s, methodSettings({ cachingEnabled: true, cacheDataEncrypted: true }, s, a)]), []);
            assert.deepStrictEqual(await run(apigatewayCacheEncrypted, [a, s, methodSettings({ cachingEnabled: false }, s, a)]), []);
            const plain = stage({}, a);
            assert.deepStrictEqual(await run(apigatewayCacheEncrypted, [a, plain, methodSettings({ cachingEnabled: true }, plain, a)]), []);
        });
        it("rejects a cache cluster without encryption, and a method that caches unencrypted, as mandatory", async () => {
            const a = api();
            const s = stage({ cacheClusterEnabled: true }, a);
            const diags = await run(apigatewayCacheEncrypted, [a, s]);
            assert.deepStrictEqual(messages(diags), ['API Gateway REST stage must encrypt its cache: cacheClusterEnabled is true and no "*/*" aws.apigateway.MethodSettings sets cacheDataEncrypted true, so GET responses are cached unencrypted, expected cacheDataEncrypted true.']);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(apigatewayCacheEncrypted, [a, s, methodSettings({ cachingEnabled: true, cacheDataEncrypted: true }, s, a), methodSettings({ cachingEnabled: true }, s, a, "orders/GET", "orders")])), [
                'API Gateway REST stage must encrypt its cache: aws.apigateway.MethodSettings "orders" caches "orders/GET" with cacheDataEncrypted (unset), expected true.',
            ]);
        });
        it("reports unknown cache settings as unverifiable", async () => {
            const a = api();
            const s = stage({ cacheClusterEnabled: UNKNOWN }, a);
            assertUnverifiable(await run(apigatewayCacheEncrypted, [a, s]), /^Cannot verify during preview that cached responses are encrypted: cacheClusterEnabled is \(unknown until apply\)/);
            const on = stage({ cacheClusterEnabled: true }, a);
            assertUnverifiable(await run(apigatewayCacheEncrypted, [a, on, methodSettings(UNKNOWN, on, a)]), /settings is \(unknown until apply\)/);
        });
        it("never throws on malformed settings", async () => {
            const a = api();
            const s = stage({ cacheClusterEnabled: true }, a);
            for (const settings of [null, "[]", 42, [], { cachingEnabled: "yes" }]) await run(apigatewayCacheEncrypted, [a, s, methodSettings(settings, s, a)]);
        });
    });

    describe("apigateway-method-authorization", () => {
        const restResource = (pathPart: unknown, parent: { urn: string }, name: string) =>
            res(aws.apigateway.Resource, { restApi: UNKNOWN, parentId: UNKNOWN, pathPart }, { name, propertyDependencies: { parentId: [parent.urn] } });
        const method = (authorization: unknown, on: { urn: string }, httpMethod = "GET", name = "m") =>
            res(aws.apigateway.Method, { restApi: UNKNOWN, resourceId: UNKNOWN, httpMethod, authorization }, { name, propertyDependencies: { resourceId: [on.urn] } });
        const a = api();
        const health = restResource("health", a, "health");
        const orders = restResource("orders", a, "orders");
        const order = restResource("{id}", orders, "order");
        it("passes authorized methods and open routes listed with a reason", async () => {
            for (const auth of ["AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"]) assert.deepStrictEqual(await run(apigatewayMethodAuthorization, [a, orders, method(auth, orders)]), []);
            const config = { openRoutes: [{ route: "get /health", reason: "load balancer health check" }] };
            assert.deepStrictEqual(await run(apigatewayMethodAuthorization, [a, health, method("NONE", health)], config), []);
        });
        it("rejects NONE with the method's path, as mandatory", async () => {
            const diags = await run(apigatewayMethodAuthorization, [a, orders, order, method("NONE", order, "DELETE")]);
            assert.deepStrictEqual(messages(diags), ['API Gateway REST method must require authorization: "DELETE /orders/{id}" has authorization "NONE", expected "AWS_IAM", "COGNITO_USER_POOLS" or "CUSTOM", or the route listed in openRoutes with a reason.']);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.match(messages(await run(apigatewayMethodAuthorization, [a, method("NONE", a, "POST")]))[0], /"POST \/" has authorization "NONE"/);
            const elsewhere = res(aws.apigateway.Method, { restApi: "abc", resourceId: "r1", httpMethod: "GET", authorization: "NONE" });
            assert.match(messages(await run(apigatewayMethodAuthorization, [elsewhere]))[0], /"GET" on a path this stack does not define has authorization "NONE"/);
        });
        it("reports unknown authorization as unverifiable", async () => {
            assertUnverifiable(await run(apigatewayMethodAuthorization, [a, orders, method(UNKNOWN, orders)]), /^Cannot verify during preview that the method requires authorization: authorization is \(unknown until apply\)/);
        });
        it("never throws on malformed methods and resources", async () => {
            for (const authorization of [null, 42, [], {}]) await run(apigatewayMethodAuthorization, [a, orders, method(authorization, orders)]);
            await run(apigatewayMethodAuthorization, [a, restResource(null, a, "x"), method("NONE", { urn: "urn:pulumi:test::baseline::aws:apigateway/resource:Resource::x" }, null as any)]);
            const stack = linked([a, orders, order]);
            assert.strictEqual(resourcePath(stack[2], stack), "/orders/{id}");
            assert.strictEqual(resourcePath(stack[2], [stack[0], stack[2]]), undefined); // a parent outside the stack: no path
        });
    });

    describe("apigateway-route-authorization", () => {
        const httpApi = res(aws.apigatewayv2.Api, { protocolType: "HTTP" }, { name: "http" });
        const wsApi = res(aws.apigatewayv2.Api, { protocolType: "WEBSOCKET", routeSelectionExpression: "$request.body.action" }, { name: "ws" });
        const route = (routeKey: unknown, authorizationType: unknown, on = httpApi, name = "r") =>
            res(aws.apigatewayv2.Route, { apiId: UNKNOWN, routeKey, authorizationType }, { name, propertyDependencies: { apiId: [on.urn] } });
        it("passes authorized routes, open routes listed with a reason, and WebSocket routes that cannot take an authorizer", async () => {
            for (const t of ["JWT", "AWS_IAM", "CUSTOM"]) assert.deepStrictEqual(await run(apigatewayRouteAuthorization, [httpApi, route("GET /orders", t)]), []);
            assert.deepStrictEqual(await run(apigatewayRouteAuthorization, [httpApi, route("GET /health", "NONE")], { openRoutes: [{ route: "GET /health", reason: "health check" }] }), []);
            for (const key of ["$default", "$disconnect", "sendmessage"]) assert.deepStrictEqual(await run(apigatewayRouteAuthorization, [wsApi, route(key, undefined, wsApi)]), [], key);
        });
        it("rejects routes without authorization (NONE is the default), the WebSocket $connect route and quick-create targets, as mandatory", async () => {
            const diags = await run(apigatewayRouteAuthorization, [httpApi, route("POST /orders", undefined)]);
            assert.deepStrictEqual(messages(diags), ['API Gateway route must require authorization: route "POST /orders" has authorizationType (unset) (NONE), expected "AWS_IAM", "JWT" or "CUSTOM", or the route key listed in openRoutes with a reason.']);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(apigatewayRouteAuthorization, [wsApi, route("$connect", "NONE", wsApi)])), [
                'API Gateway route must require authorization: route "$connect" has authorizationType "NONE", expected "AWS_IAM", "JWT" or "CUSTOM", or the route key listed in openRoutes with a reason.',
            ]);
            const quick = res(aws.apigatewayv2.Api, { protocolType: "HTTP", target: "arn:aws:lambda:eu-west-1:123456789012:function:orders" }, { name: "quick" });
            assert.deepStrictEqual(messages(await run(apigatewayRouteAuthorization, [quick])), [
                'API Gateway HTTP API must not quick-create an unauthorized route: target is set, which creates route "$default" without authorization, expected routes created as aws.apigatewayv2.Route with an authorizer, or the route listed in openRoutes with a reason.',
            ]);
        });
        it("reports unknown authorization types, route keys and undecidable protocols as unverifiable", async () => {
            assertUnverifiable(await run(apigatewayRouteAuthorization, [httpApi, route("GET /x", UNKNOWN)]), /^Cannot verify during preview that the route requires authorization: authorizationType is \(unknown until apply\)/);
            assertUnverifiable(await run(apigatewayRouteAuthorization, [httpApi, route(UNKNOWN, "NONE")]), /routeKey is \(unknown until apply\)/);
            const elsewhere = res(aws.apigatewayv2.Route, { apiId: "a1", routeKey: "$default" });
            assertUnverifiable(await run(apigatewayRouteAuthorization, [elsewhere]), /that the route is a WebSocket route other than \$connect, or requires authorization: apiId is "a1"/);
        });
        it("refuses an open route without a reason, and a minimum level that is not one, through the config schema", async () => {
            await assert.rejects(run(apigatewayRouteAuthorization, [httpApi], { openRoutes: [{ route: "GET /health" }] }), /openRoutes/);
            await assert.rejects(run(apigatewayMethodAuthorization, [], { openRoutes: [{ route: "", reason: "x" }] }), /openRoutes/);
        });
        it("never throws on malformed routes and APIs", async () => {
            for (const [key, t] of [[null, null], [42, "NONE"], [[], {}], ["GET /x", 3]] as const) await run(apigatewayRouteAuthorization, [httpApi, route(key, t)]);
            await run(apigatewayRouteAuthorization, [res(aws.apigatewayv2.Api, { protocolType: null, target: 42, routeKey: {} }, { name: "odd" })]);
        });
    });
});
