import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { ofType, referrersOf } from "../lib/by-type";
import { StackReporter, StackResource, listWithReasons, stackPolicy, tokenOf } from "../lib/define";
import { isUnknown, parseJson, show } from "../lib/props";
import { linked, sourcesOf } from "../lib/joins";

/**
 * Authorization on API Gateway methods (REST) and routes (HTTP, WebSocket). Mandatory: a method
 * without authorization on a public API is public exposure, which the pack blocks by default; routes
 * meant to be open (a health check, a public webhook) are named in `openRoutes` with the reason, so
 * the rule costs nothing where openness is intended and blocks it everywhere else.
 */

const REST_API = tokenOf(aws.apigateway.RestApi);
const REST_RESOURCE = tokenOf(aws.apigateway.Resource);
const METHOD = tokenOf(aws.apigateway.Method);
const V2_API = tokenOf(aws.apigatewayv2.Api);
const V2_ROUTE = tokenOf(aws.apigatewayv2.Route);
const INTEGRATION = tokenOf(aws.apigateway.Integration);

interface OpenRoutesConfig {
    openRoutes: { route: string; reason: string }[];
}

const OPEN_ROUTES = listWithReasons(
    'Routes that may be called without authorization, each with the reason: "<METHOD> <path>" for REST methods (e.g. "GET /health"), the route key for HTTP and WebSocket routes (e.g. "GET /health", "$default"). Methods compare case-insensitively, paths exactly.',
    ["route"],
);

/** Whether `key` ("GET /health") is allowed open by the config. */
function isOpenRoute(key: string | undefined, config: OpenRoutesConfig): boolean {
    if (key === undefined) return false;
    const norm = (k: string) => {
        const m = /^(\S+)\s+(.*)$/.exec(k.trim());
        return m ? `${m[1].toUpperCase()} ${m[2]}` : k.trim();
    };
    return config.openRoutes.some((r) => norm(r.route) === norm(key));
}

/**
 * The path of a REST resource: its pathPart under its parent's path, walking parentId to the API's root
 * (the API's rootResourceId). Undefined when a step cannot be followed (unknown part, resource from elsewhere).
 */
export function resourcePath(resource: StackResource, resources: readonly StackResource[], depth = 0): string | undefined {
    if (depth > 30) return undefined;
    const part = resource.props.pathPart;
    if (typeof part !== "string" || isUnknown(part)) return undefined;
    const parents = sourcesOf(resource, "parentId");
    const parent = parents.find((p) => p.type === REST_RESOURCE && resources.includes(p));
    if (parent) {
        const base = resourcePath(parent, resources, depth + 1);
        return base === undefined ? undefined : `${base === "/" ? "" : base}/${part}`;
    }
    return parents.some((p) => p.type === REST_API) ? `/${part}` : undefined;
}

/** The path a REST method sits on: the API root, or a resource of the stack; undefined when it cannot be told. */
function methodPath(method: StackResource, resources: readonly StackResource[]): string | undefined {
    const sources = sourcesOf(method, "resourceId");
    const resource = sources.find((s) => s.type === REST_RESOURCE);
    if (resource) return resourcePath(resource, resources);
    return sources.some((s) => s.type === REST_API) ? "/" : undefined;
}

const OPENAPI_METHODS: Record<string, string> = {
    get: "GET", put: "PUT", post: "POST", delete: "DELETE", options: "OPTIONS", head: "HEAD", patch: "PATCH", "x-amazon-apigateway-any-method": "ANY",
};

const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === "object" && !Array.isArray(v);
const isMock = (type: unknown) => typeof type === "string" && type.trim().toUpperCase() === "MOCK";

/**
 * A CORS preflight method: OPTIONS answered by a MOCK integration, which runs no code and reaches no backend.
 * Browsers send preflight requests without credentials, so such a method cannot require authorization and
 * CORS needs it open. Its integration is the aws.apigateway.Integration whose httpMethod came from the method,
 * or one on the same resource (by dependency) with httpMethod "OPTIONS".
 */
function isCorsPreflight(method: StackResource, resources: readonly StackResource[]): boolean {
    if (typeof method.props.httpMethod !== "string" || method.props.httpMethod.toUpperCase() !== "OPTIONS") return false;
    const integrations = new Set(referrersOf(resources, method, INTEGRATION, "httpMethod"));
    for (const resource of sourcesOf(method, "resourceId")) {
        for (const i of referrersOf(resources, resource, INTEGRATION, "resourceId")) {
            if (typeof i.props.httpMethod === "string" && i.props.httpMethod.toUpperCase() === "OPTIONS") integrations.add(i);
        }
    }
    return integrations.size > 0 && [...integrations].every((i) => isMock(i.props.type));
}

/**
 * A security scheme that is authorization: an API Gateway authorizer (`x-amazon-apigateway-authorizer`: Lambda,
 * Cognito or JWT), an API Gateway auth type (`x-amazon-apigateway-authtype`: awsSigv4, cognito_user_pools,
 * custom), or OAuth 2 / OpenID Connect. A plain `apiKey` scheme is an API key requirement, not authorization.
 */
function authorizes(scheme: unknown): boolean {
    if (!isObject(scheme)) return false;
    if (isObject(scheme["x-amazon-apigateway-authorizer"])) return true;
    const authType = scheme["x-amazon-apigateway-authtype"];
    if (typeof authType === "string" && authType.trim() !== "" && authType.trim().toLowerCase() !== "none") return true;
    return typeof scheme.type === "string" && ["oauth2", "openidconnect"].includes(scheme.type.toLowerCase());
}

/**
 * The operations (`GET /orders`) of an OpenAPI (3) or Swagger (2) document, as an API's `body` defines them
 * instead of aws.apigateway.Method or aws.apigatewayv2.Route resources, that anyone may call: no
 * `x-amazon-apigateway-auth` type other than NONE, and an effective `security` (the operation's, else the
 * document's) that is empty or has a requirement (`{}` is "no authentication") naming no authorizing scheme.
 * Undefined when the body is not a JSON object.
 */
export function openOperations(body: unknown): string[] | undefined {
    const doc = parseJson(body);
    if (!isObject(doc)) return undefined;
    const schemes = { ...(isObject(doc.securityDefinitions) ? doc.securityDefinitions : {}), ...(isObject(doc.components?.securitySchemes) ? doc.components.securitySchemes : {}) };
    const open: string[] = [];
    for (const [path, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
        if (!isObject(item)) continue;
        for (const [method, op] of Object.entries(item)) {
            const verb = OPENAPI_METHODS[method.toLowerCase()];
            if (!verb || !isObject(op)) continue;
            if (verb === "OPTIONS" && isMock(op["x-amazon-apigateway-integration"]?.type)) continue; // CORS preflight
            const auth = op["x-amazon-apigateway-auth"] ?? doc["x-amazon-apigateway-auth"];
            if (isObject(auth) && typeof auth.type === "string" && auth.type.trim() !== "" && auth.type.trim().toUpperCase() !== "NONE") continue;
            const security = op.security !== undefined ? op.security : doc.security;
            const requirements = Array.isArray(security) ? security : [];
            const authorized = requirements.length > 0 && requirements.every((r) => isObject(r) && Object.keys(r).some((name) => authorizes(schemes[name])));
            if (!authorized) open.push(`${verb} ${path}`);
        }
    }
    return open;
}

/**
 * The body of an API: operations anyone may call that the config does not list, reported on the API; an unknown
 * body is unverifiable. A body that is not JSON (YAML) is not read here.
 */
function checkBody(api: StackResource, kind: string, config: OpenRoutesConfig, report: StackReporter) {
    const body = api.props.body;
    if (body === undefined || body === null || body === "") return;
    if (isUnknown(body)) return report.unverifiable(api, "body", "the OpenAPI operations of the body require authorization");
    const open = openOperations(body)?.filter((key) => !isOpenRoute(key, config));
    if (open && open.length > 0) {
        report.violation(api, `${kind} must require authorization on every operation of its OpenAPI body: ${show(open)} have no security requirement naming an authorizer, IAM (x-amazon-apigateway-auth) or OAuth scheme, expected one on each, or the route listed in openRoutes with a reason.`);
    }
}

/** apigw-06: REST methods with authorization NONE answer anyone who can reach the API. */
export const apigatewayMethodAuthorization = stackPolicy<OpenRoutesConfig>({
    name: "apigateway-method-authorization",
    description: 'API Gateway REST methods (aws.apigateway.Method, or operations of the API\'s OpenAPI body) must require authorization (IAM, a Cognito user pool or a Lambda authorizer), except CORS preflight methods (OPTIONS with a MOCK integration) and routes the config lists in openRoutes with a reason.',
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        'Set `authorization: "AWS_IAM"`, or `"COGNITO_USER_POOLS"` / `"CUSTOM"` with `authorizerId` (an aws.apigateway.Authorizer), on the aws.apigateway.Method; ' +
        'if the route must be public, list it in this policy\'s config: `openRoutes: [{ route: "GET /health", reason: "load balancer health check" }]`. API keys are not authorization.',
    catalogue: ["apigw-06"],
    config: { openRoutes: OPEN_ROUTES },
    check: (resources, { config }, report) => {
        // Methods come from aws.apigateway.Method resources, or from the OpenAPI body of the API.
        for (const api of ofType(resources, REST_API)) checkBody(api, "API Gateway REST API", config, report);
        const methods = ofType(resources, METHOD);
        if (methods.length === 0) return;
        const restResources = ofType(resources, REST_RESOURCE);
        for (const method of methods) {
            const { authorization, httpMethod } = method.props;
            if (isUnknown(authorization)) {
                report.unverifiable(method, "authorization", "the method requires authorization");
                continue;
            }
            if (typeof authorization === "string" && authorization.trim().toUpperCase() !== "NONE" && authorization.trim() !== "") continue;
            if (isCorsPreflight(method, resources)) continue;
            const path = methodPath(method, restResources);
            const verb = typeof httpMethod === "string" && !isUnknown(httpMethod) ? httpMethod.toUpperCase() : undefined;
            const key = verb !== undefined && path !== undefined ? `${verb} ${path}` : undefined;
            if (isOpenRoute(key, config)) continue;
            const where = key ? show(key) : `${show(httpMethod)} on a path this stack does not define`;
            report.violation(method, `API Gateway REST method must require authorization: ${where} has authorization ${show(authorization)}, expected "AWS_IAM", "COGNITO_USER_POOLS" or "CUSTOM", or the route listed in openRoutes with a reason.`);
        }
    },
});

/** WebSocket APIs authorize on $connect only: other routes cannot take an authorizer. */
const websocketOnlyKey = (key: string) => key.startsWith("$") ? key !== "$connect" && key !== "$default" : !/\s/.test(key);

/**
 * apigw-07 (APIGateway.8): HTTP routes and the WebSocket $connect route must name an authorization
 * type. A route without one (the default, NONE) is public. A quick-created HTTP API (`target` on the
 * aws.apigatewayv2.Api) gets a `$default` (or `routeKey`) route without authorization.
 */
export const apigatewayRouteAuthorization = stackPolicy<OpenRoutesConfig>({
    name: "apigateway-route-authorization",
    description: "API Gateway HTTP routes (aws.apigatewayv2.Route, or operations of the API's OpenAPI body) and WebSocket $connect routes must have an authorization type (AWS_IAM, JWT or CUSTOM), except route keys the config lists in openRoutes with a reason.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        'Set `authorizationType: "JWT"` (with an aws.apigatewayv2.Authorizer), "CUSTOM" or "AWS_IAM" on the aws.apigatewayv2.Route; instead of `target` on the aws.apigatewayv2.Api create the route yourself with an authorizer; ' +
        'if the route must be public, list it in this policy\'s config: `openRoutes: [{ route: "GET /health", reason: "..." }]`.',
    securityHub: ["APIGateway.8"],
    catalogue: ["apigw-07"],
    config: { openRoutes: OPEN_ROUTES },
    check: (resources, { config }, report) => {
        const routes = ofType(resources, V2_ROUTE);
        const apis = ofType(resources, V2_API);
        if (routes.length === 0 && apis.length === 0) return;
        for (const api of apis) {
            if (api.props.protocolType !== "WEBSOCKET") checkBody(api, "API Gateway HTTP API", config, report);
            const { target, routeKey, protocolType } = api.props;
            if (target === undefined || target === null || target === "" || protocolType === "WEBSOCKET") continue;
            const key = typeof routeKey === "string" && !isUnknown(routeKey) ? routeKey : "$default";
            if (isUnknown(routeKey) && !isOpenRoute("$default", config)) report.unverifiable(api, "routeKey", "the quick-create route is meant to be open");
            else if (!isOpenRoute(key, config)) {
                report.violation(api, `API Gateway HTTP API must not quick-create an unauthorized route: target is set, which creates route ${show(key)} without authorization, expected routes created as aws.apigatewayv2.Route with an authorizer, or the route listed in openRoutes with a reason.`);
            }
        }
        for (const route of routes) {
            const { authorizationType, routeKey } = route.props;
            if (isUnknown(authorizationType)) {
                report.unverifiable(route, "authorizationType", "the route requires authorization");
                continue;
            }
            if (typeof authorizationType === "string" && authorizationType.trim() !== "" && authorizationType.trim().toUpperCase() !== "NONE") continue;
            if (isUnknown(routeKey)) {
                report.unverifiable(route, "routeKey", "the route requires authorization or is listed in openRoutes");
                continue;
            }
            const key = typeof routeKey === "string" ? routeKey.trim() : undefined;
            if (isOpenRoute(key, config)) continue;
            const api = linked(route, "apiId", apis)[0];
            const protocol = api?.props.protocolType;
            if (protocol === "WEBSOCKET" ? key !== "$connect" : protocol === undefined && key !== undefined && websocketOnlyKey(key)) continue;
            if (isUnknown(protocol) || (protocol === undefined && key === "$default")) {
                report.unverifiable(route, "apiId", "the route is a WebSocket route other than $connect, or requires authorization");
                continue;
            }
            report.violation(route, `API Gateway route must require authorization: route ${show(routeKey)} has authorizationType ${show(authorizationType ?? undefined)}${authorizationType === undefined ? " (NONE)" : ""}, expected "AWS_IAM", "JWT" or "CUSTOM", or the route key listed in openRoutes with a reason.`);
        }
    },
});

export const apigatewayAuthPolicies: Policies = [apigatewayMethodAuthorization, apigatewayRouteAuthorization];
