import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { ofType } from "../lib/by-type";
import { StackResource, stackPolicy, tokenOf } from "../lib/define";
import { at, isUnknown, list, show } from "../lib/props";
import { isKnownId, linked, sourcesOf, unresolved } from "../lib/joins";

/** API Gateway stages joined to the resources that configure or protect them: method settings, the API, WAF associations. */

const REST_API = tokenOf(aws.apigateway.RestApi);
const REST_STAGE = tokenOf(aws.apigateway.Stage);
const METHOD_SETTINGS = tokenOf(aws.apigateway.MethodSettings);
const V2_API = tokenOf(aws.apigatewayv2.Api);
const V2_STAGE = tokenOf(aws.apigatewayv2.Stage);
const WAFV2_ASSOCIATION = tokenOf(aws.wafv2.WebAclAssociation);
const WAF_REGIONAL_ASSOCIATION = tokenOf(aws.wafregional.WebAclAssociation);

/** Whether two resources' `input`s name the same thing: the same resource of the stack, or equal known literals. */
function sameSource(a: StackResource, aInput: string, b: StackResource, bInput: string): boolean {
    const fromA = sourcesOf(a, aInput);
    if (fromA.length > 0 && sourcesOf(b, bInput).some((d) => fromA.includes(d))) return true;
    const [x, y] = [a.props[aInput], b.props[bInput]];
    return isKnownId(x) && x === y;
}

/** The method settings of a REST stage: same API, and a stage name that came from the stage or equals its name. */
export function settingsOfStage(stage: StackResource, settings: readonly StackResource[]): StackResource[] {
    return settings.filter((s) => sameSource(s, "restApi", stage, "restApi") &&
        (sourcesOf(s, "stageName").includes(stage) || (isKnownId(s.props.stageName) && s.props.stageName === stage.props.stageName)));
}

/** Method settings whose API or stage cannot be told during preview (they may belong to any stage). */
const unplacedSettings = (settings: readonly StackResource[]) => settings.find((s) => unresolved(s, "stageName") || unresolved(s, "restApi"));

const ALL_METHODS = "*/*";
const LOGGING_LEVELS = ["ERROR", "INFO"];

/**
 * apigw-02 (APIGateway.1): execution logs record authorizer, integration and mapping errors per
 * request. REST stages turn them on through aws.apigateway.MethodSettings (`*` / `*` for every method);
 * WebSocket stages through defaultRouteSettings.loggingLevel. HTTP APIs have no execution logs.
 * Advisory: INFO logs cost, and the account needs a CloudWatch role for API Gateway first.
 */
export const apigatewayExecutionLogging = stackPolicy({
    name: "apigateway-execution-logging",
    description: "API Gateway REST and WebSocket stages should have execution logging at ERROR or INFO for every method (a `*/*` aws.apigateway.MethodSettings, or defaultRouteSettings.loggingLevel), and no method turned OFF.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps:
        'Add an aws.apigateway.MethodSettings with `restApi`, `stageName: stage.stageName`, `methodPath: "*/*"` and `settings: { loggingLevel: "ERROR", metricsEnabled: true }`; ' +
        'for a WebSocket stage set `defaultRouteSettings: { loggingLevel: "ERROR" }`.',
    securityHub: ["APIGateway.1"],
    catalogue: ["apigw-02"],
    types: [REST_STAGE, V2_STAGE],
    check: (resources, _ctx, report) => {
        const stages = ofType(resources, REST_STAGE);
        const v2Stages = ofType(resources, V2_STAGE);
        if (stages.length === 0 && v2Stages.length === 0) return;
        const allSettings = ofType(resources, METHOD_SETTINGS);
        const unplaced = unplacedSettings(allSettings);
        const requirement = "every method of the stage logs at ERROR or INFO";
        for (const stage of stages) {
            const mine = settingsOfStage(stage, allSettings);
            const off = mine.find((s) => at(s.props, "settings.loggingLevel") === "OFF");
            if (off) {
                report.violation(stage, `API Gateway REST stage must log execution for every method: aws.apigateway.MethodSettings ${show(off.name)} sets loggingLevel "OFF" for ${show(off.props.methodPath)}, expected "ERROR" or "INFO".`);
                continue;
            }
            const wildcard = mine.filter((s) => s.props.methodPath === ALL_METHODS);
            const levels = wildcard.map((s) => (isUnknown(s.props.settings) ? s.props.settings : at(s.props, "settings.loggingLevel")));
            if (levels.some((l) => typeof l === "string" && LOGGING_LEVELS.includes(l))) continue;
            const unknownIn = wildcard.find((s, i) => isUnknown(levels[i])) ?? mine.find((s) => isUnknown(s.props.methodPath));
            if (unknownIn) report.unverifiable(unknownIn, isUnknown(unknownIn.props.methodPath) ? "methodPath" : "settings.loggingLevel", requirement);
            else if (unplaced) report.unverifiable(unplaced, unresolved(unplaced, "stageName") ? "stageName" : "restApi", requirement);
            else {
                const found = wildcard.length > 0 ? `its "*/*" method settings have loggingLevel ${show(levels[0] ?? undefined)}` : 'no aws.apigateway.MethodSettings with methodPath "*/*" names it';
                report.violation(stage, `API Gateway REST stage must log execution for every method: ${found}, expected loggingLevel "ERROR" or "INFO".`);
            }
        }
        if (v2Stages.length === 0) return;
        const apis = ofType(resources, V2_API);
        for (const stage of v2Stages) {
            const api = linked(stage, "apiId", apis)[0];
            const protocol = api?.props.protocolType;
            if (api && !isUnknown(protocol) && protocol !== "WEBSOCKET") continue; // HTTP APIs have no execution logs
            const route = stage.props.defaultRouteSettings;
            const level = isUnknown(route) ? route : at(route, "loggingLevel");
            if (typeof level === "string" && LOGGING_LEVELS.includes(level)) continue;
            if (isUnknown(level)) report.unverifiable(stage, isUnknown(route) ? "defaultRouteSettings" : "defaultRouteSettings.loggingLevel", requirement);
            else if (!api) report.unverifiable(stage, "apiId", "the stage is an HTTP API's, or its WebSocket routes log at ERROR or INFO");
            else if (isUnknown(protocol)) report.unverifiable(api, "protocolType", "the stage is an HTTP API's, or its WebSocket routes log at ERROR or INFO");
            else report.violation(stage, `API Gateway WebSocket stage must log execution: defaultRouteSettings.loggingLevel is ${show(level ?? undefined)}, expected "ERROR" or "INFO".`);
        }
    },
});

/** True when a REST API's endpoint type is PRIVATE (reachable only through interface VPC endpoints); unknown while it is. */
export function isPrivateApi(api: Record<string, any>): boolean | "unknown" {
    const config = api.endpointConfiguration;
    const types = isUnknown(config) ? config : at(config, "types");
    if (isUnknown(types) || list(types).some(isUnknown)) return "unknown";
    // v7 takes one type; older programs and the wire may hold a list.
    return (Array.isArray(types) ? types : [types]).some((t) => typeof t === "string" && t.toUpperCase() === "PRIVATE");
}

/** A stage ARN literal (`arn:aws:apigateway:<region>::/restapis/<id>/stages/<name>`) names the stage when its API id and name are known and match. */
function namesStage(literal: string, stage: StackResource): boolean {
    const { restApi, stageName } = stage.props;
    return isKnownId(restApi) && isKnownId(stageName) && literal.endsWith(`/restapis/${restApi}/stages/${stageName}`);
}

/**
 * apigw-04 (APIGateway.4): a public REST API takes requests from the internet; WAF blocks common
 * exploits and floods before they reach authorizers and integrations. A PRIVATE API is reachable only
 * through interface VPC endpoints and needs none. HTTP APIs cannot be associated with WAF.
 */
export const apigatewayRestWaf = stackPolicy({
    name: "apigateway-rest-waf",
    description: "Stages of public (EDGE or REGIONAL) API Gateway REST APIs must be associated with a WAF web ACL (aws.wafv2.WebAclAssociation or WAF Classic regional).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Add an aws.wafv2.WebAclAssociation with `resourceArn: stage.arn` and `webAclArn: <REGIONAL web ACL>.arn`, or make the API private (`endpointConfiguration: { types: \"PRIVATE\" }` with a resource policy) if it must not face the internet.",
    securityHub: ["APIGateway.4"],
    catalogue: ["apigw-04"],
    types: [REST_STAGE],
    check: (resources, _ctx, report) => {
        const stages = ofType(resources, REST_STAGE);
        if (stages.length === 0) return;
        const associations = ofType(resources, WAFV2_ASSOCIATION, WAF_REGIONAL_ASSOCIATION);
        const apis = ofType(resources, REST_API);
        for (const stage of stages) {
            if (associations.some((a) => linked(a, "resourceArn", [stage], { matches: namesStage }).length > 0)) continue;
            const api = linked(stage, "restApi", apis)[0];
            const isPrivate = api ? isPrivateApi(api.props) : "unknown";
            if (isPrivate === true) continue;
            const requirement = `stage ${show(stage.name)} is private or has a WAF web ACL`;
            const unplaced = associations.find((a) => unresolved(a, "resourceArn"));
            if (unplaced) report.unverifiable(unplaced, "resourceArn", requirement);
            else if (isPrivate === "unknown") report.unverifiable(api ?? stage, api ? "endpointConfiguration" : "restApi", requirement);
            else {
                report.violation(stage, `API Gateway REST stage of a public API must be associated with a WAF web ACL: the API's endpoint type is ${show(at(api!.props, "endpointConfiguration.types") ?? "EDGE (default)")} and no WAF association takes the stage's ARN as resourceArn, expected an aws.wafv2.WebAclAssociation.`);
            }
        }
    },
});

/**
 * apigw-05 (APIGateway.5): responses cached by a stage hold whatever the backend returned. When a
 * stage's cache cluster is on, GET methods cache by default, unencrypted unless method settings say
 * cacheDataEncrypted; every method setting that turns caching on must encrypt too.
 */
export const apigatewayCacheEncrypted = stackPolicy({
    name: "apigateway-cache-encrypted",
    description: "API Gateway REST stages with a cache cluster must encrypt cached data: a `*/*` aws.apigateway.MethodSettings with cacheDataEncrypted true (or caching off), and every method setting that caches encrypts.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: 'Add (or extend) the aws.apigateway.MethodSettings with `methodPath: "*/*"` and `settings: { cachingEnabled: true, cacheDataEncrypted: true }`, and set cacheDataEncrypted: true wherever cachingEnabled is true.',
    securityHub: ["APIGateway.5"],
    catalogue: ["apigw-05"],
    types: [REST_STAGE],
    check: (resources, _ctx, report) => {
        const stages = ofType(resources, REST_STAGE);
        if (stages.length === 0) return;
        const allSettings = ofType(resources, METHOD_SETTINGS);
        const requirement = "cached responses are encrypted";
        for (const stage of stages) {
            const cluster = stage.props.cacheClusterEnabled;
            if (cluster !== true && !isUnknown(cluster)) continue;
            const mine = settingsOfStage(stage, allSettings);
            const unencrypted = mine.find((s) => at(s.props, "settings.cachingEnabled") === true && at(s.props, "settings.cacheDataEncrypted") !== true && !isUnknown(at(s.props, "settings.cacheDataEncrypted")));
            const wildcard = mine.filter((s) => s.props.methodPath === ALL_METHODS);
            const covered = wildcard.some((s) => at(s.props, "settings.cacheDataEncrypted") === true || at(s.props, "settings.cachingEnabled") === false);
            const unknownIn = mine.find((s) => isUnknown(s.props.settings) || isUnknown(s.props.methodPath) || isUnknown(at(s.props, "settings.cacheDataEncrypted")) || isUnknown(at(s.props, "settings.cachingEnabled")));
            if (!unencrypted && covered && !unknownIn) continue;
            if (isUnknown(cluster)) report.unverifiable(stage, "cacheClusterEnabled", requirement);
            else if (unencrypted) {
                report.violation(stage, `API Gateway REST stage must encrypt its cache: aws.apigateway.MethodSettings ${show(unencrypted.name)} caches ${show(unencrypted.props.methodPath)} with cacheDataEncrypted ${show(at(unencrypted.props, "settings.cacheDataEncrypted"))}, expected true.`);
            } else if (unknownIn) {
                report.unverifiable(unknownIn, isUnknown(unknownIn.props.methodPath) ? "methodPath" : "settings", requirement);
            } else {
                const unplaced = unplacedSettings(allSettings);
                if (unplaced) report.unverifiable(unplaced, unresolved(unplaced, "stageName") ? "stageName" : "restApi", requirement);
                else report.violation(stage, `API Gateway REST stage must encrypt its cache: cacheClusterEnabled is true and no "*/*" aws.apigateway.MethodSettings sets cacheDataEncrypted true, so GET responses are cached unencrypted, expected cacheDataEncrypted true.`);
            }
        }
    },
});

export const apigatewayRestPolicies: Policies = [apigatewayExecutionLogging, apigatewayRestWaf, apigatewayCacheEncrypted];
