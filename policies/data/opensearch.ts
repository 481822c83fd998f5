import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { ResourceReporter, StackResource, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { at, isUnknown, list, show } from "../lib/props";
import { ofType } from "../lib/by-type";
import { linked, unresolved } from "../lib/joins";
import { isInternetWide } from "../lib/cidr";
import { Finding, confinesCaller, openToAnyone, values } from "../lib/iam-documents";

/**
 * OpenSearch domains, and the legacy Elasticsearch domain type other teams still deploy: same checks,
 * the Opensearch.* and ES.* Security Hub controls (docs.aws.amazon.com/securityhub/latest/userguide/
 * opensearch-controls.html and es-controls.html).
 */

const OPENSEARCH_DOMAIN = tokenOf(aws.opensearch.Domain);
const DOMAIN_TYPES = [OPENSEARCH_DOMAIN, tokenOf(aws.elasticsearch.Domain)];
const DOMAIN_POLICY_TYPES = [tokenOf(aws.opensearch.DomainPolicy), tokenOf(aws.elasticsearch.DomainPolicy)];
const DOMAINS = [aws.opensearch.Domain, aws.elasticsearch.Domain];

const labelOf = (type: string) => (type === OPENSEARCH_DOMAIN ? "OpenSearch domain" : "Elasticsearch domain");

/**
 * TLS security policies that refuse TLS 1.0 and 1.1, from the DomainEndpointOptions API reference
 * (docs.aws.amazon.com/opensearch-service/latest/APIReference/API_DomainEndpointOptions.html): the only
 * other value, Policy-Min-TLS-1-0-2019-07, accepts TLS 1.0.
 */
export const TLS12_POLICIES = ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"];

/** A nested boolean that must be true; unset is AWS's default of off for every flag checked here. */
function requireTrue(domain: Record<string, any>, path: string, what: string, must: string, holds: string, report: ResourceReporter): void {
    const value = at(domain, path);
    if (isUnknown(value)) report.unverifiable(path, value, holds);
    else if (value !== true) report.violation(`${what} must ${must}: ${path} is ${show(value ?? undefined)}, expected true.`);
}

/** os-01: data, indices, logs and snapshots are encrypted on disk (off by default, and only settable at creation). */
export const opensearchEncryptionAtRest = resourcePolicy({
    name: "opensearch-encryption-at-rest",
    description: "OpenSearch and Elasticsearch domains must encrypt data at rest.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `encryptAtRest: { enabled: true, kmsKeyId: key.arn }` on the aws.opensearch.Domain (or aws.elasticsearch.Domain). Existing domains cannot be encrypted in place: create an encrypted domain and restore a snapshot into it.",
    securityHub: ["Opensearch.1", "ES.1"],
    catalogue: ["os-01"],
    types: DOMAINS,
    check: (domain, { type }, report) => {
        requireTrue(domain, "encryptAtRest.enabled", labelOf(type), "encrypt data at rest", "data is encrypted at rest", report);
    },
});

/** os-02: traffic between the domain's nodes is TLS, not plain text inside the VPC. */
export const opensearchNodeToNodeEncryption = resourcePolicy({
    name: "opensearch-node-to-node-encryption",
    description: "OpenSearch and Elasticsearch domains must encrypt traffic between nodes.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `nodeToNodeEncryption: { enabled: true }` on the aws.opensearch.Domain (or aws.elasticsearch.Domain).",
    securityHub: ["Opensearch.3", "ES.3"],
    catalogue: ["os-02"],
    types: DOMAINS,
    check: (domain, { type }, report) => {
        requireTrue(domain, "nodeToNodeEncryption.enabled", labelOf(type), "encrypt traffic between nodes", "node-to-node traffic is encrypted", report);
    },
});

/** os-03: clients reach the domain over HTTPS only, with TLS 1.2 or later. */
export const opensearchHttpsTls12 = resourcePolicy<{ allowedTlsPolicies: string[] }>({
    name: "opensearch-https-tls12",
    description: "OpenSearch and Elasticsearch domains must enforce HTTPS with a TLS security policy that requires TLS 1.2 or later.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set `domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" }` on the aws.opensearch.Domain (or aws.elasticsearch.Domain).',
    securityHub: ["Opensearch.8", "ES.8"],
    catalogue: ["os-03"],
    config: {
        allowedTlsPolicies: {
            type: "array", items: { type: "string", minLength: 1 }, minItems: 1, uniqueItems: true, default: TLS12_POLICIES,
            description: "TLS security policies accepted; narrow it to Policy-Min-TLS-1-2-PFS-2023-10 to require forward secrecy.",
        },
    },
    types: DOMAINS,
    check: (domain, { type, config }, report) => {
        const what = labelOf(type);
        const options = domain.domainEndpointOptions;
        // Inside a domainEndpointOptions block the provider defaults enforceHttps to true; without the block AWS leaves HTTP on.
        const blockSet = options !== null && typeof options === "object" && !Array.isArray(options);
        if (!(blockSet && (options.enforceHttps === undefined || options.enforceHttps === null))) {
            requireTrue(domain, "domainEndpointOptions.enforceHttps", what, "enforce HTTPS", "only HTTPS is accepted", report);
        }
        const policy = at(domain, "domainEndpointOptions.tlsSecurityPolicy");
        if (isUnknown(policy)) report.unverifiable("domainEndpointOptions.tlsSecurityPolicy", policy, "connections use TLS 1.2 or later");
        else if (!config.allowedTlsPolicies.includes(policy as string)) {
            const found = policy === undefined || policy === null ? "(unset), so the AWS default applies" : show(policy);
            report.violation(`${what} must require TLS 1.2 or later: domainEndpointOptions.tlsSecurityPolicy is ${found}, expected one of ${config.allowedTlsPolicies.map((p) => show(p)).join(", ")}.`);
        }
    },
});

/** os-04: the domain's endpoint lives in the VPC (security groups apply), not on the internet. */
export const opensearchInVpc = resourcePolicy({
    name: "opensearch-in-vpc",
    description: "OpenSearch and Elasticsearch domains should be placed in a VPC (vpcOptions with subnets) rather than on a public endpoint.",
    severity: "high",
    enforcementLevel: "advisory",
    remediationSteps: "Set `vpcOptions: { subnetIds: <private subnet ids>, securityGroupIds: [<group admitting only the clients>] }` on the aws.opensearch.Domain (or aws.elasticsearch.Domain). A public domain cannot be moved into a VPC: create a new one and restore a snapshot.",
    securityHub: ["Opensearch.2", "ES.2"],
    catalogue: ["os-04"],
    types: DOMAINS,
    check: (domain, { type }, report) => {
        const placement = vpcPlacement(domain);
        if (placement === "unknown") report.unverifiable("vpcOptions.subnetIds", at(domain, "vpcOptions.subnetIds"), "the domain is placed in a VPC");
        else if (placement === "public") {
            report.violation(`${labelOf(type)} must be in a VPC: vpcOptions.subnetIds is ${show(at(domain, "vpcOptions.subnetIds") ?? undefined)}, so the endpoint is public, expected private subnet ids.`);
        }
    },
});

/** os-05: users are authenticated and authorised per index by the domain (fine-grained access control), never anonymously. */
export const opensearchFineGrainedAccess = resourcePolicy({
    name: "opensearch-fine-grained-access",
    description: "OpenSearch and Elasticsearch domains must enable fine-grained access control, without anonymous access.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `advancedSecurityOptions: { enabled: true, internalUserDatabaseEnabled: false, masterUserOptions: { masterUserArn: role.arn } }` on the aws.opensearch.Domain (or aws.elasticsearch.Domain), and leave `anonymousAuthEnabled` unset or false.",
    securityHub: ["Opensearch.7"],
    catalogue: ["os-05"],
    types: DOMAINS,
    check: (domain, { type }, report) => {
        const what = labelOf(type);
        requireTrue(domain, "advancedSecurityOptions.enabled", what, "enable fine-grained access control", "fine-grained access control is enabled", report);
        const anonymous = at(domain, "advancedSecurityOptions.anonymousAuthEnabled");
        if (isUnknown(anonymous)) report.unverifiable("advancedSecurityOptions.anonymousAuthEnabled", anonymous, "anonymous requests are refused");
        else if (anonymous === true || anonymous === "true") {
            report.violation(`${what} must not accept anonymous requests: advancedSecurityOptions.anonymousAuthEnabled is ${show(anonymous)}, expected false or unset.`);
        }
    },
});

/** os-06: error and audit logs go to CloudWatch Logs (cost varies with traffic, hence advisory). */
export const opensearchLogging = resourcePolicy<{ requiredLogTypes: string[] }>({
    name: "opensearch-logging",
    description: "OpenSearch and Elasticsearch domains should publish the configured log types (error and audit logs) to CloudWatch Logs.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: 'Add `logPublishingOptions: [{ logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: group.arn }, { logType: "AUDIT_LOGS", cloudwatchLogGroupArn: group.arn }]` to the aws.opensearch.Domain (audit logs need fine-grained access control), with an aws.cloudwatch.LogResourcePolicy letting es.amazonaws.com write to the group.',
    securityHub: ["Opensearch.4", "Opensearch.5", "ES.4", "ES.5"],
    catalogue: ["os-06"],
    config: {
        requiredLogTypes: {
            type: "array", items: { type: "string", enum: ["ES_APPLICATION_LOGS", "AUDIT_LOGS", "INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS"] }, uniqueItems: true,
            default: ["ES_APPLICATION_LOGS", "AUDIT_LOGS"],
            description: "Log types every domain must publish: ES_APPLICATION_LOGS are the error logs (Opensearch.4/ES.4), AUDIT_LOGS the audit logs (Opensearch.5/ES.5).",
        },
    },
    types: DOMAINS,
    check: (domain, { type, config }, report) => {
        const options = domain.logPublishingOptions;
        if (isUnknown(options)) return report.unverifiable("logPublishingOptions", options, `the domain publishes ${config.requiredLogTypes.join(", ")}`);
        const entries = list(options).filter((o) => o !== null && typeof o === "object");
        for (const logType of config.requiredLogTypes) {
            // `enabled` defaults to true in the provider.
            if (entries.some((o) => o.logType === logType && o.enabled !== false && !isUnknown(o.enabled))) continue;
            if (entries.some((o) => isUnknown(o.logType) || (o.logType === logType && isUnknown(o.enabled)))) {
                report.unverifiable("logPublishingOptions", options, `the domain publishes ${logType}`);
            } else {
                report.violation(`${labelOf(type)} must publish ${logType} to CloudWatch Logs: logPublishingOptions has no enabled ${show(logType)} entry, expected one with a cloudwatchLogGroupArn.`);
            }
        }
    },
});

/** "vpc" with subnets (unknown ids count: they come from subnets of the stack), "public" without, "unknown" while the block is. */
export function vpcPlacement(domain: Record<string, any>): "vpc" | "public" | "unknown" {
    const subnets = at(domain, "vpcOptions.subnetIds");
    if (isUnknown(subnets)) return "unknown";
    return list(subnets).length > 0 ? "vpc" : "public";
}

/** Fine-grained access control on and anonymous access off: the domain authenticates every request itself. */
function authenticatesRequests(domain: Record<string, any>): boolean | "unknown" {
    const enabled = at(domain, "advancedSecurityOptions.enabled");
    const anonymous = at(domain, "advancedSecurityOptions.anonymousAuthEnabled");
    if (isUnknown(enabled) || (enabled === true && isUnknown(anonymous))) return "unknown";
    return enabled === true && anonymous !== true && anonymous !== "true";
}

/**
 * A condition that narrows a `*` principal: the caller confined to accounts or an organization, or the
 * source confined to IP ranges narrower than the internet (IpAddress aws:SourceIp), or to VPCs / VPC
 * endpoints (StringEquals aws:SourceVpc / aws:SourceVpce). No IfExists, no negation, no wildcards.
 */
export function narrowsCaller(condition: unknown): boolean {
    if (confinesCaller(condition)) return true;
    if (condition === null || typeof condition !== "object") return false;
    const pinned = (v: unknown, ok: (x: string) => boolean) => values(v).length > 0 && values(v).every((x) => typeof x === "string" && !isUnknown(x) && x !== "" && ok(x));
    return Object.entries(condition as Record<string, unknown>).some(([operator, block]) =>
        block !== null && typeof block === "object" && Object.entries(block as Record<string, unknown>).some(([key, v]) => {
            const k = key.toLowerCase();
            if (operator === "IpAddress" && k === "aws:sourceip") return pinned(v, (x) => !isInternetWide(x));
            return /^(StringEquals|ForAnyValue:StringEquals)$/.test(operator) && (k === "aws:sourcevpc" || k === "aws:sourcevpce") && pinned(v, (x) => !/[*?]/.test(x));
        }));
}

/** Allow statements open to anyone (a `*` principal, or NotPrincipal) without a narrowing condition; unknown parts as paths. */
export function openStatements(document: unknown, path: string): Finding[] {
    return openToAnyone(document, path, narrowsCaller);
}

/**
 * os-07: a domain access policy open to `*` is the classic leak on a public domain. It is the documented
 * pattern only for a VPC domain with fine-grained access control, where the domain authenticates every
 * request itself. Joins aws.opensearch/elasticsearch.DomainPolicy resources to their domain by name.
 */
export const opensearchAccessPolicyNotPublic = stackPolicy({
    name: "opensearch-access-policy-not-public",
    description: "OpenSearch and Elasticsearch domain access policies must not allow \"*\" without a condition narrowing the caller or source, unless the domain is in a VPC with fine-grained access control.",
    severity: "critical",
    enforcementLevel: "mandatory",
    remediationSteps:
        "In the domain's `accessPolicies` (or the aws.opensearch.DomainPolicy), name the IAM roles that use the domain, or add a condition such as " +
        '`IpAddress: { "aws:SourceIp": [<office/VPN ranges>] }` or `StringEquals: { "aws:PrincipalOrgID": "o-..." }`; an open policy is acceptable only on a VPC domain with `advancedSecurityOptions.enabled`.',
    catalogue: ["os-07"],
    types: [...DOMAIN_TYPES, ...DOMAIN_POLICY_TYPES],
    check: (resources, _ctx, report) => {
        const domains = ofType(resources, ...DOMAIN_TYPES);
        const judge = (owner: StackResource, document: unknown, path: string, what: string, domain: StackResource | undefined, untraceable: boolean) => {
            for (const f of openStatements(document, path)) {
                if ("unknown" in f) { report.unverifiable(owner, f.unknown, "the domain is not open to everyone"); continue; }
                const placement = domain ? vpcPlacement(domain.props) : undefined;
                const authenticates = domain ? authenticatesRequests(domain.props) : undefined;
                if (placement === "vpc" && authenticates === true) continue;
                const requirement = "an access policy open to \"*\" is attached only to a VPC domain with fine-grained access control";
                if (untraceable) { report.unverifiable(owner, "domainName", requirement); continue; }
                if (domain && placement === "unknown") { report.unverifiable(domain, "vpcOptions.subnetIds", requirement); continue; }
                if (domain && placement === "vpc" && authenticates === "unknown") { report.unverifiable(domain, "advancedSecurityOptions.enabled", requirement); continue; }
                const posture = !domain ? `no domain of this stack is named ${show(owner.props.domainName)}`
                    : placement === "public" ? "the domain is public (no vpcOptions.subnetIds)" : "the domain has no fine-grained access control";
                report.violation(owner, `${what} must not be open to everyone: ${path} ${f.violation} allows the "*" principal without a condition narrowing the caller or source IP, and ${posture}, expected named principals, an aws:SourceIp or aws:PrincipalOrgID condition, or a VPC domain with fine-grained access control.`);
            }
        };
        for (const d of domains) judge(d, d.props.accessPolicies, "accessPolicies", `${labelOf(d.type)} access policy`, d, false);
        for (const p of ofType(resources, ...DOMAIN_POLICY_TYPES)) {
            const domain = linked(p, "domainName", domains, { ids: ["domainName"] })[0];
            judge(p, p.props.accessPolicies, "accessPolicies", "OpenSearch domain policy", domain, !domain && unresolved(p, "domainName"));
        }
    },
});

export const opensearchPolicies: Policies = [
    opensearchEncryptionAtRest, opensearchNodeToNodeEncryption, opensearchHttpsTls12, opensearchInVpc,
    opensearchFineGrainedAccess, opensearchLogging, opensearchAccessPolicyNotPublic,
];
