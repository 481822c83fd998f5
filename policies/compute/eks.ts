import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { resourcePolicy } from "../lib/define";
import { at, isSet, isUnknown, list, show } from "../lib/props";
import { isInternetWide } from "../lib/cidr";

/**
 * EKS control planes (aws.eks.Cluster): who can reach the Kubernetes API, whether Secrets are
 * encrypted with a key the account controls, what the control plane logs, and how old it may be.
 * Security Hub: EKS.1, EKS.2, EKS.3, EKS.8 (docs.aws.amazon.com/securityhub/latest/userguide/eks-controls.html).
 */

/** Control-plane log types EKS accepts (case-sensitive in the API: `controllerManager`). */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** What EKS does when `vpcConfig.publicAccessCidrs` is not sent with a public endpoint. */
const EKS_DEFAULT_PUBLIC_CIDRS = ["0.0.0.0/0"];

/** eks-01: the API server is private, or public only to named networks (never the internet at large). */
export const eksEndpointRestricted = resourcePolicy<{ requirePrivateEndpoint: boolean }>({
    name: "eks-endpoint-restricted",
    description: "EKS clusters must not expose the Kubernetes API endpoint to the internet: private, or public only to listed CIDRs (private only when configured).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        "On the aws.eks.Cluster set `vpcConfig: { endpointPrivateAccess: true, endpointPublicAccess: false }`, or keep the public endpoint with " +
        "`publicAccessCidrs` listing only the operators' and CI runners' ranges (EKS opens it to 0.0.0.0/0 when the list is omitted).",
    securityHub: ["EKS.1"],
    catalogue: ["eks-01"],
    config: {
        requirePrivateEndpoint: { type: "boolean", default: false, description: "Refuse any public endpoint, even one restricted to listed CIDRs (what Security Hub EKS.1 checks)." },
    },
    types: [aws.eks.Cluster],
    check: (cluster, { config }, report) => {
        const publicAccess = at(cluster, "vpcConfig.endpointPublicAccess");
        if (isUnknown(publicAccess)) return report.unverifiable("vpcConfig.endpointPublicAccess", publicAccess, "the Kubernetes API endpoint is not open to the internet");
        // EKS makes the endpoint public when endpointPublicAccess is not sent.
        if (publicAccess === false) return;
        const found = publicAccess === undefined || publicAccess === null ? "(unset), so EKS makes it public" : show(publicAccess);
        if (config.requirePrivateEndpoint) {
            return report.violation(`EKS cluster must have a private API endpoint: vpcConfig.endpointPublicAccess is ${found}, expected false.`);
        }
        const cidrs = at(cluster, "vpcConfig.publicAccessCidrs");
        if (isUnknown(cidrs)) return report.unverifiable("vpcConfig.publicAccessCidrs", cidrs, "the public Kubernetes API endpoint is limited to listed networks");
        const given = list(cidrs);
        if (given.length === 0) {
            return report.violation(`EKS cluster must not open its API endpoint to the internet: vpcConfig.endpointPublicAccess is ${found} and publicAccessCidrs is ${show(cidrs ?? undefined)}, so EKS allows ${show(EKS_DEFAULT_PUBLIC_CIDRS)}, expected endpointPublicAccess false or publicAccessCidrs listing only known networks.`);
        }
        given.forEach((cidr, i) => {
            if (isUnknown(cidr)) report.unverifiable(`vpcConfig.publicAccessCidrs[${i}]`, cidr, "the public Kubernetes API endpoint is limited to listed networks");
            else if (isInternetWide(cidr)) {
                report.violation(`EKS cluster must not open its API endpoint to the internet: vpcConfig.publicAccessCidrs[${i}] is ${show(cidr)}, expected only the operators' and CI runners' ranges, or endpointPublicAccess false.`);
            }
        });
    },
});

/** eks-02: Kubernetes Secrets are envelope-encrypted with a KMS key whose policy the account controls. */
export const eksSecretsEncrypted = resourcePolicy({
    name: "eks-secrets-encrypted",
    description: "EKS clusters must encrypt Kubernetes Secrets with a KMS key (encryptionConfig with resources [\"secrets\"] and provider.keyArn).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set `encryptionConfig: { resources: ["secrets"], provider: { keyArn: key.arn } }` on the aws.eks.Cluster, with a customer-managed aws.kms.Key the cluster role may use.',
    securityHub: ["EKS.3"],
    catalogue: ["eks-02"],
    types: [aws.eks.Cluster],
    check: (cluster, _ctx, report) => {
        const config = cluster.encryptionConfig;
        if (isUnknown(config)) return report.unverifiable("encryptionConfig", config, "Kubernetes Secrets are encrypted with a KMS key");
        if (config === null || typeof config !== "object" || Array.isArray(config)) {
            return report.violation(`EKS cluster must encrypt Kubernetes Secrets with a KMS key: encryptionConfig is ${show(config ?? undefined)}, expected { resources: ["secrets"], provider: { keyArn: <KMS key ARN> } }.`);
        }
        const resources = config.resources;
        if (!list(resources).includes("secrets")) {
            if (isUnknown(resources) || list(resources).some(isUnknown)) report.unverifiable("encryptionConfig.resources", resources, "Kubernetes Secrets are encrypted with a KMS key");
            else report.violation(`EKS cluster must encrypt Kubernetes Secrets with a KMS key: encryptionConfig.resources is ${show(resources ?? undefined)}, expected it to include "secrets".`);
        }
        // A key created in the same stack is unknown during preview: it will be set.
        const keyArn = at(config, "provider.keyArn");
        if (!isSet(keyArn) || typeof keyArn !== "string") {
            report.violation(`EKS cluster must encrypt Kubernetes Secrets with a KMS key: encryptionConfig.provider.keyArn is ${show(keyArn ?? undefined)}, expected a KMS key ARN.`);
        }
    },
});

/** eks-03: the control plane records who did what (audit) and who authenticated; more types when configured. */
export const eksControlPlaneLogging = resourcePolicy<{ requiredLogTypes: string[] }>({
    name: "eks-control-plane-logging",
    description: "EKS clusters must send the configured control-plane log types (at least audit) to CloudWatch Logs.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: 'Set `enabledClusterLogTypes: ["audit", "authenticator"]` (plus any other required types) on the aws.eks.Cluster, and create the /aws/eks/<name>/cluster log group with a retention first so it is not kept forever.',
    securityHub: ["EKS.8"],
    catalogue: ["eks-03"],
    config: {
        requiredLogTypes: {
            type: "array", items: { type: "string", enum: EKS_LOG_TYPES }, minItems: 1, uniqueItems: true,
            default: ["audit", "authenticator"],
            description: "Control-plane log types every cluster must enable (api, audit, authenticator, controllerManager, scheduler). Audit is what Security Hub EKS.8 requires; api is the most voluminous.",
        },
    },
    types: [aws.eks.Cluster],
    check: (cluster, { config }, report) => {
        const enabled = cluster.enabledClusterLogTypes;
        const requirement = `the control plane logs ${config.requiredLogTypes.join(", ")}`;
        if (isUnknown(enabled)) return report.unverifiable("enabledClusterLogTypes", enabled, requirement);
        const given = list(enabled);
        const missing = config.requiredLogTypes.filter((t) => !given.includes(t));
        if (missing.length === 0) return;
        if (given.some(isUnknown)) return report.unverifiable("enabledClusterLogTypes", enabled, requirement);
        report.violation(`EKS cluster must enable control-plane logging: enabledClusterLogTypes is ${show(enabled ?? undefined)}, missing ${missing.map((t) => show(t)).join(", ")}, expected ${show(config.requiredLogTypes)}.`);
    },
});

/** `1.29` → [1, 29]; anything else (a platform version, a typo) → undefined. */
export function kubernetesVersion(value: string): [number, number] | undefined {
    const m = /^(\d+)\.(\d+)$/.exec(value.trim());
    return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * eks-04: a control plane on a Kubernetes version still in EKS standard support. The floor moves with
 * AWS's release calendar (docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html), so it is
 * configuration, not code: raise `oldestSupportedVersion` as versions leave standard support.
 */
export const eksSupportedVersion = resourcePolicy<{ oldestSupportedVersion: string }>({
    name: "eks-supported-version",
    description: "EKS clusters must run a Kubernetes version no older than the configured oldest version in EKS standard support.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Raise `version` on the aws.eks.Cluster one minor version at a time (upgrade add-ons and node groups with it), or leave it unset on new clusters to get EKS's current default.",
    securityHub: ["EKS.2"],
    catalogue: ["eks-04"],
    config: {
        oldestSupportedVersion: {
            type: "string", pattern: "^\\d+\\.\\d+$", default: "1.33",
            description: "Oldest Kubernetes minor version accepted. The default is the standard-support floor when this pack was written; keep it at the oldest version in EKS standard support (versions in extended support fail Security Hub EKS.2).",
        },
    },
    types: [aws.eks.Cluster],
    check: (cluster, { config }, report) => {
        const version = cluster.version;
        // Unset: EKS creates the cluster on its current default version, which is in standard support.
        if (version === undefined || version === null) return;
        if (isUnknown(version)) return report.unverifiable("version", version, `the Kubernetes version is ${config.oldestSupportedVersion} or newer`);
        const floor = kubernetesVersion(config.oldestSupportedVersion);
        const parsed = typeof version === "string" ? kubernetesVersion(version) : undefined;
        if (!floor) return;
        if (parsed && (parsed[0] > floor[0] || (parsed[0] === floor[0] && parsed[1] >= floor[1]))) return;
        report.violation(`EKS cluster must run a supported Kubernetes version: version is ${show(version)}, expected ${show(config.oldestSupportedVersion)} or newer.`);
    },
});

export const eksPolicies: Policies = [eksEndpointRestricted, eksSecretsEncrypted, eksControlPlaneLogging, eksSupportedVersion];
