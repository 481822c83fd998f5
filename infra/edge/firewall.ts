import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LOG_RETENTION_DAYS, Problem, oneOf, problem, sectionProblems } from "../config/checks";
import { WafConfig } from "../config/edge-types";
import { WAF_CHECKS } from "../config/sections/edge";
import { ClientAddress, firewallRules, ipSetSpecs, visibility } from "./firewall-rules";
import { NAME_PREFIX } from "./naming";
import { ORIGIN_HEADER_NAME } from "./settings";

export type FirewallScope = "REGIONAL" | "CLOUDFRONT";

export interface WebFirewallArgs {
    /** REGIONAL (the load balancer) or CLOUDFRONT (the distribution; the caller passes a us-east-1 provider in opts.providers). */
    scope: FirewallScope;
    /** `baseline:waf` (validated by the stack config; checked again here). */
    waf: WafConfig;
    /** e.g. pos-prod: ACL `<namePrefix>-regional` / `<namePrefix>-cloudfront`, log group `aws-waf-logs-<namePrefix>-<regional|cloudfront>`. */
    namePrefix: string;
    /**
     * "source": the ACL is the public entry; the rate limit, IP lists and countries apply to the connection's address.
     * "forwarded": behind CloudFront (the ACL sees CloudFront's addresses): the rate-based rule aggregates on the forwarded
     * client address (FORWARDED_IP from X-Forwarded-For, fallback MATCH); IP lists and countries are left to the entry ACL.
     */
    clientAddress: ClientAddress;
    logs: {
        /** Customer-managed key of the log group's region (us-east-1 for CLOUDFRONT: see `LogsKey`). */
        kmsKeyArn: pulumi.Input<string>;
        retentionDays: number;
        /** Keep the log group on destroy (prod: the logs are evidence). Default false. */
        retainOnDelete?: boolean;
    };
    /** REGIONAL only, and required there: ARN of the load balancer to associate (aws.wafv2.WebAclAssociation). */
    associateWith?: pulumi.Input<string>;
}

const SCOPES: readonly FirewallScope[] = ["REGIONAL", "CLOUDFRONT"];
const CLIENT_ADDRESSES: readonly ClientAddress[] = ["source", "forwarded"];
/** AWS caps web ACL and IP set names at 128 characters of letters, digits, "-" and "_". */
export const MAX_WAF_NAME = 128;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:key\/[A-Za-z0-9-]+$/;

/** `<namePrefix>-regional` or `<namePrefix>-cloudfront`. Fixed once created: a new name replaces the ACL. */
export const webAclName = (namePrefix: string, scope: FirewallScope): string => `${namePrefix}-${scope.toLowerCase()}`;
/** WAF only logs to groups whose name starts `aws-waf-logs-`. */
export const wafLogGroupName = (namePrefix: string, scope: FirewallScope): string => `aws-waf-logs-${webAclName(namePrefix, scope)}`;
export const ipSetName = (namePrefix: string, scope: FirewallScope, key: string): string => `${webAclName(namePrefix, scope)}-${key}`;

/**
 * Headers never written to the logs: credentials, session cookies, and CloudFront's origin token (the
 * regional ACL sees it on every request; logged, it would let any reader of the logs past the load
 * balancer's 403). WAF wants the names in lowercase.
 */
export const REDACTED_HEADERS = ["authorization", "cookie", ORIGIN_HEADER_NAME.toLowerCase()] as const;

function namePrefixProblem(prefix: unknown, scope: FirewallScope): Problem {
    if (typeof prefix !== "string" || !NAME_PREFIX.test(prefix)) return problem("namePrefix", prefix, "lowercase letters and digits in words joined by single hyphens, such as pos-prod");
    const longest = ipSetName(prefix, scope, "ip-allow-v6");
    return longest.length > MAX_WAF_NAME
        ? problem("namePrefix", prefix, `at most ${prefix.length - (longest.length - MAX_WAF_NAME)} characters, so that the IP set name ${JSON.stringify(longest)} stays within AWS's ${MAX_WAF_NAME}`)
        : undefined;
}

function kmsKeyProblem(arn: pulumi.Input<string>, scope: FirewallScope): Problem {
    if (typeof arn !== "string") return undefined; // an output: AWS checks it
    const region = KMS_KEY_ARN.exec(arn)?.[1];
    if (region === undefined) return problem("logs.kmsKeyArn", arn, "a KMS key ARN, such as arn:aws:kms:us-east-1:123456789012:key/<id>");
    return scope === "CLOUDFRONT" && region !== "us-east-1"
        ? problem("logs.kmsKeyArn", arn, "a key in us-east-1, where the CLOUDFRONT ACL's log group is (a log group can only use a key of its own region)")
        : undefined;
}

/** Every problem with the arguments, each naming the argument, the value and what is allowed. */
export function webFirewallProblems(args: WebFirewallArgs): string[] {
    const scopeProblem = oneOf("scope", args.scope, SCOPES);
    const problems: Problem[] = [
        // The limits do not depend on the environment.
        ...sectionProblems("waf", WAF_CHECKS, args.waf, "prod"),
        scopeProblem,
        oneOf("clientAddress", args.clientAddress, CLIENT_ADDRESSES),
        oneOf("logs.retentionDays", args.logs.retentionDays, LOG_RETENTION_DAYS),
    ];
    if (!scopeProblem) {
        const regional = args.scope === "REGIONAL";
        problems.push(
            namePrefixProblem(args.namePrefix, args.scope),
            kmsKeyProblem(args.logs.kmsKeyArn, args.scope),
            regional && args.associateWith === undefined ? problem("associateWith", args.associateWith, "the ARN of the load balancer the REGIONAL ACL protects (unassociated, it protects nothing)") : undefined,
            !regional && args.associateWith !== undefined ? problem("associateWith", args.associateWith, "unset for scope CLOUDFRONT: the distribution names its ACL in its own webAclId") : undefined,
            !regional && args.clientAddress === "forwarded" ? problem("clientAddress", args.clientAddress, '"source" for scope CLOUDFRONT: CloudFront is the entry and sees the viewer\'s own address') : undefined,
        );
    }
    // The path is decoded before it is compared, so an encoded prefix would never match.
    if (typeof args.waf.rateLimitPathPrefix === "string" && args.waf.rateLimitPathPrefix.includes("%")) {
        problems.push(problem("waf.rateLimitPathPrefix", args.waf.rateLimitPathPrefix, 'a prefix without "%": requests are compared after URL decoding, so write the path decoded'));
    }
    return problems.filter((p): p is string => p !== undefined);
}

/**
 * A WAFv2 web ACL: the four AWS managed groups in block mode (only the configured rules counting), a
 * per-client rate limit and, at the entry, the IP lists and countries; default allow. Every rule
 * publishes metrics and samples. Logs go to a KMS-encrypted `aws-waf-logs-` group, without the
 * authorization and cookie headers. A REGIONAL ACL is associated with the load balancer here; a
 * distribution takes the CLOUDFRONT ACL's `arn` as its `webAclId`.
 */
export class WebFirewall extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;
    readonly name: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    readonly logGroupArn: pulumi.Output<string>;
    /** Dimension `WebACL` of the ACL's CloudWatch metrics (its metric name), for alarms. */
    readonly metricName: string;

    constructor(name: string, args: WebFirewallArgs, opts?: pulumi.ComponentResourceOptions) {
        // Before super: bad arguments fail with nothing registered.
        const problems = webFirewallProblems(args);
        if (problems.length > 0) throw new Error(`WebFirewall has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        super("baseline:edge:WebFirewall", name, {}, opts);
        const { scope, namePrefix } = args;
        const aclName = webAclName(namePrefix, scope);

        const ipSetArns: Record<string, pulumi.Output<string>> = {};
        for (const spec of ipSetSpecs(args.waf, args.clientAddress)) {
            ipSetArns[spec.key] = new aws.wafv2.IpSet(`${name}-${spec.key}`, {
                name: ipSetName(namePrefix, scope, spec.key),
                description: `${aclName}: ${spec.kind === "block" ? "always blocked" : "only admitted"} (${spec.family})`,
                scope,
                ipAddressVersion: spec.family,
                addresses: spec.addresses,
            }, { parent: this }).arn;
        }

        const acl = new aws.wafv2.WebAcl(`${name}-acl`, {
            name: aclName,
            description: `${aclName}: AWS managed rules, rate limit${args.clientAddress === "source" ? ", IP and country lists" : " on X-Forwarded-For"}`,
            scope,
            defaultAction: { allow: {} },
            rules: firewallRules(args.waf, args.clientAddress, ipSetArns),
            visibilityConfig: visibility(aclName),
        }, { parent: this });

        const logGroup = new aws.cloudwatch.LogGroup(`${name}-log-group`, {
            name: wafLogGroupName(namePrefix, scope),
            kmsKeyId: args.logs.kmsKeyArn,
            retentionInDays: args.logs.retentionDays,
        }, { parent: this, retainOnDelete: args.logs.retainOnDelete ?? false });

        // WAF writes through CloudWatch Logs' delivery service, which needs a resource policy. Unmanaged, WAF
        // creates one when logging starts (if the deployer may) and, in accounts that still get the shared
        // account-level `AWSWAF-LOGS` policy, that one grows with every ACL and may exceed its size, while
        // account-level policies are capped at 10 per region. This one is scoped to the group (`resourceArn`:
        // no account slot), covers only its streams and only this account's deliveries, and is deleted with it.
        const sourceArn = logGroup.arn.apply((arn) => `${arn.split(":").slice(0, 5).join(":")}:*`);
        const accountId = logGroup.arn.apply((arn) => arn.split(":")[4]);
        const deliveryPolicy = new aws.cloudwatch.LogResourcePolicy(`${name}-log-delivery-policy`, {
            resourceArn: logGroup.arn,
            policyDocument: pulumi.jsonStringify({
                Version: "2012-10-17",
                Statement: [{
                    Sid: "AllowWafLogDelivery",
                    Effect: "Allow",
                    Principal: { Service: "delivery.logs.amazonaws.com" },
                    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*`,
                    Condition: { StringEquals: { "aws:SourceAccount": accountId }, ArnLike: { "aws:SourceArn": sourceArn } },
                }],
            }),
        }, { parent: this });

        // The provider's log group `arn` has no `:*` suffix, which is what WAF accepts as a destination.
        new aws.wafv2.WebAclLoggingConfiguration(`${name}-logging`, {
            resourceArn: acl.arn,
            logDestinationConfigs: [logGroup.arn],
            redactedFields: REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
        }, { parent: this, dependsOn: [deliveryPolicy] });

        if (args.associateWith !== undefined) {
            new aws.wafv2.WebAclAssociation(`${name}-association`, { resourceArn: args.associateWith, webAclArn: acl.arn }, { parent: this });
        }

        this.arn = acl.arn;
        this.name = acl.name;
        this.logGroupName = logGroup.name;
        this.logGroupArn = logGroup.arn;
        this.metricName = aclName;
        this.registerOutputs({ arn: this.arn, name: this.name, logGroupName: this.logGroupName, logGroupArn: this.logGroupArn, metricName: this.metricName });
    }
}
