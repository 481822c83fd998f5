import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { at, isUnknown, list, show } from "../lib/props";
import { refersTo, unresolved } from "../lib/joins";
import { openToAnyone } from "../lib/iam-documents";
import { remediationOnly } from "../lib/remediation";

const REPOSITORY = tokenOf(aws.ecr.Repository);
const REGISTRY_SCANNING = tokenOf(aws.ecr.RegistryScanningConfiguration);
const LIFECYCLE_POLICY = tokenOf(aws.ecr.LifecyclePolicy);

/** ECR `WILDCARD` filters: `*` matches any run of characters; a filter without one matches names that contain it. */
export function wildcardMatches(filter: string, value: string): boolean {
    if (!filter.includes("*")) return value.includes(filter);
    const re = filter.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
    return new RegExp(`^${re}$`).test(value);
}

/** Frequencies that scan every pushed image (continuous scanning includes the push). */
const SCANS_ON_PUSH = new Set(["SCAN_ON_PUSH", "CONTINUOUS_SCAN"]);

/**
 * How a registry scanning configuration covers a repository: "yes", "no", or "unknown" when a rule that
 * scans on push has a filter (or the repository a name) that is unknown until apply. A repository
 * without an explicit name can only be covered by a filter that matches anything (`*`).
 */
export function registryCoverage(config: Record<string, any>, repositoryName: unknown): "yes" | "no" | "unknown" {
    if (isUnknown(config.rules)) return "unknown";
    let unknown = false;
    for (const rule of list(config.rules)) {
        if (isUnknown(rule?.scanFrequency)) unknown = true;
        if (!SCANS_ON_PUSH.has(rule?.scanFrequency)) continue;
        const filters = rule.repositoryFilters;
        if (isUnknown(filters)) unknown = true;
        for (const f of list(filters)) {
            if (isUnknown(f?.filter)) unknown = true;
            else if (typeof f?.filter !== "string") continue;
            else if (/^\*+$/.test(f.filter)) return "yes";
            else if (isUnknown(repositoryName)) unknown = true;
            else if (typeof repositoryName === "string" && wildcardMatches(f.filter, repositoryName)) return "yes";
        }
    }
    return unknown ? "unknown" : "no";
}

/**
 * Whether a registry scanning configuration replaces the repositories' own scanOnPush: ENHANCED always
 * (unmatched repositories are not scanned), BASIC once it has rules (unmatched ones become manual).
 * A BASIC configuration without rules is the registry default, which leaves the repository setting in force.
 */
export function replacesRepositorySetting(config: Record<string, any>): boolean | "unknown" {
    if (isUnknown(config.scanType) || isUnknown(config.rules)) return "unknown";
    return config.scanType === "ENHANCED" || list(config.rules).length > 0;
}

/**
 * ecr-01: images are scanned for known vulnerabilities as they arrive. A registry-level scanning
 * configuration (aws.ecr.RegistryScanningConfiguration) overrides the repository setting, so a rule
 * of it that scans on push and matches the repository also satisfies this policy, and the repository
 * setting alone no longer does: hence a stack policy.
 */
export const ecrScanOnPush = stackPolicy({
    name: "ecr-scan-on-push",
    description: "ECR repositories must scan images on push, through the repository setting or a registry scanning rule that covers them.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `imageScanningConfiguration: { scanOnPush: true }` on the aws.ecr.Repository, or add an aws.ecr.RegistryScanningConfiguration rule with scanFrequency SCAN_ON_PUSH or CONTINUOUS_SCAN whose filter matches the repository.",
    securityHub: ["ECR.1"],
    catalogue: ["ecr-01"],
    types: [REPOSITORY],
    check: (resources, _ctx, report) => {
        const registryConfigs = resources.filter((r) => r.type === REGISTRY_SCANNING);
        const replacing = registryConfigs.filter((c) => replacesRepositorySetting(c.props) === true);
        const undecided = registryConfigs.find((c) => replacesRepositorySetting(c.props) === "unknown");
        for (const repo of resources.filter((r) => r.type === REPOSITORY)) {
            const scanOnPush = at(repo.props, "imageScanningConfiguration.scanOnPush");
            if (scanOnPush === true && replacing.length === 0 && !undecided) continue;
            const coverage = registryConfigs.map((c) => registryCoverage(c.props, repo.props.name));
            if (coverage.includes("yes")) continue;
            if (scanOnPush === true) {
                const c = replacing[0];
                if (coverage.includes("unknown")) report.unverifiable(repo, "imageScanningConfiguration.scanOnPush", "a registry scanning rule (with values unknown until apply) scans the repository on push");
                else if (!c) report.unverifiable(undecided!, "rules", `the registry scanning configuration leaves repository ${show(repo.name)}'s own scanOnPush in force`);
                else {
                    const what = c.props.scanType === "ENHANCED" ? "ENHANCED" : "BASIC with rules";
                    report.violation(repo, `ECR repository must scan images on push: the registry scanning configuration ${show(c.name)} (${what}) replaces its scanOnPush true and no rule of it scans the repository on push, expected a SCAN_ON_PUSH or CONTINUOUS_SCAN rule whose filter matches it.`);
                }
            } else if (isUnknown(scanOnPush)) report.unverifiable(repo, "imageScanningConfiguration.scanOnPush", "images are scanned on push");
            else if (coverage.includes("unknown")) report.unverifiable(repo, "imageScanningConfiguration.scanOnPush", "a registry scanning rule (with values unknown until apply) scans the repository on push");
            else {
                report.violation(repo, `ECR repository must scan images on push: imageScanningConfiguration.scanOnPush is ${show(scanOnPush)} and no registry scanning rule covers it, expected scanOnPush true or a SCAN_ON_PUSH/CONTINUOUS_SCAN registry rule matching the repository.`);
            }
        }
    },
});

/**
 * ecr-01, the fix: ecr-scan-on-push is a stack policy, which the SDK cannot remediate, so this resource
 * policy over the repository carries it and the stack policy stays the one check. It sets the
 * repository's own scanOnPush (unknown until apply: left alone). PutImageScanningConfiguration updates in
 * place (image_scanning_configuration is not ForceNew in terraform-provider-aws aws_ecr_repository);
 * pushes and pulls are unaffected. It cannot see a registry scanning configuration: where one already
 * covers the repository, AWS uses the registry's rules and the repository flag it sets has no effect.
 */
export const ecrScanOnPushRemediation = remediationOnly(
    resourcePolicy({
        name: "ecr-scan-on-push-remediation",
        description: "At the remediate level, sets scanOnPush on every ECR repository that does not (checked by ecr-scan-on-push).",
        severity: "high",
        enforcementLevel: "advisory",
        remediationSteps: "Set this policy to `remediate` in the stack's policy config; the repositories then get `imageScanningConfiguration: { scanOnPush: true }`.",
        securityHub: ["ECR.1"],
        catalogue: ["ecr-01"],
        types: [aws.ecr.Repository],
        check: () => undefined, // removed by remediationOnly: ecr-scan-on-push is the check
        remediate: (repo) => {
            const scanning = repo.imageScanningConfiguration;
            if (isUnknown(scanning) || scanning?.scanOnPush === true || isUnknown(scanning?.scanOnPush)) return undefined;
            const rest = scanning !== null && typeof scanning === "object" && !Array.isArray(scanning) ? scanning : {};
            return { ...repo, imageScanningConfiguration: { ...rest, scanOnPush: true } };
        },
    }),
);

/** ecr-02: a deployed tag always names the image that was scanned and tested. */
export const ecrImmutableTags = resourcePolicy({
    name: "ecr-immutable-tags",
    description: "ECR repositories must have immutable image tags (exclusions allowed, but not for every tag).",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: 'Set `imageTagMutability: "IMMUTABLE"` on the aws.ecr.Repository (or "IMMUTABLE_WITH_EXCLUSION" with narrow exclusion filters) and deploy by unique tag or digest.',
    securityHub: ["ECR.2"],
    catalogue: ["ecr-02"],
    types: [aws.ecr.Repository],
    check: (repo, _ctx, report) => {
        const mutability = repo.imageTagMutability;
        if (isUnknown(mutability)) report.unverifiable("imageTagMutability", mutability, "image tags are immutable");
        else if (mutability !== "IMMUTABLE" && mutability !== "IMMUTABLE_WITH_EXCLUSION") {
            report.violation(`ECR repository must have immutable tags: imageTagMutability is ${show(mutability)}, expected "IMMUTABLE" or "IMMUTABLE_WITH_EXCLUSION".`);
        } else if (mutability === "IMMUTABLE_WITH_EXCLUSION") {
            const all = list(repo.imageTagMutabilityExclusionFilters).find((f) => typeof f?.filter === "string" && /^\*+$/.test(f.filter));
            if (all) {
                report.violation(`ECR repository must have immutable tags: imageTagMutabilityExclusionFilters excludes ${show(all.filter)}, which makes every tag mutable, expected filters for specific tags such as "latest".`);
            }
        }
    },
});

/** ecr-03: old images expire instead of accumulating cost and stale vulnerable layers. */
export const ecrLifecyclePolicy = stackPolicy({
    name: "ecr-lifecycle-policy",
    description: "Every ECR repository must have an aws.ecr.LifecyclePolicy.",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: "Add an aws.ecr.LifecyclePolicy with `repository: repo.name` that expires untagged images and keeps a bounded number of tagged ones.",
    securityHub: ["ECR.3"],
    catalogue: ["ecr-03"],
    types: [REPOSITORY],
    check: (resources, _ctx, report) => {
        const policies = resources.filter((r) => r.type === LIFECYCLE_POLICY);
        // A policy whose repository is unknown and not traceable to a repository of the stack may be for any of them.
        const untraceable = policies.some((p) => unresolved(p, "repository", REPOSITORY));
        for (const repo of resources.filter((r) => r.type === REPOSITORY)) {
            if (policies.some((p) => refersTo(p, "repository", repo, { ids: ["name"] }))) continue;
            if (untraceable) report.unverifiable(repo, "name", "a lifecycle policy manages the repository");
            else report.violation(repo, `ECR repository must have a lifecycle policy: no aws.ecr.LifecyclePolicy refers to repository ${show(repo.name)}, expected one that expires old images.`);
        }
    },
});

/** Beyond the catalogue: a repository policy open to "*" lets any AWS account pull (or push) images. */
export const ecrRepositoryNotPublic = resourcePolicy({
    name: "ecr-repository-not-public",
    description: "ECR repository policies must not grant the \"*\" principal without a condition confining the caller to known accounts or the organization.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Name the accounts or roles that pull in the aws.ecr.RepositoryPolicy's `policy`, or add `Condition: { StringEquals: { \"aws:PrincipalOrgID\": \"o-...\" } }`.",
    catalogue: [],
    types: [aws.ecr.RepositoryPolicy],
    check: (p, _ctx, report) => {
        for (const f of openToAnyone(p.policy, "policy")) {
            if ("violation" in f) report.violation(`ECR repository policy must not be open to every AWS account: policy ${f.violation} allows the "*" principal without a condition confining the caller, expected named principals or an aws:PrincipalOrgID/aws:PrincipalAccount condition.`);
            else report.unverifiable(f.unknown, f.value, "the repository is not open to every AWS account");
        }
    },
});

export const ecrPolicies: Policies = [ecrScanOnPush, ecrImmutableTags, ecrLifecyclePolicy, ecrRepositoryNotPublic];
