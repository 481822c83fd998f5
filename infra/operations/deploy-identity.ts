import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { iamContext } from "../compute/roles";
import { GITHUB_OIDC_PROVIDER_ARN, GITHUB_REPOSITORY } from "../config/sections/operations";
import { DeployConfig } from "../config/operations-types";
import { ServiceConfig } from "../config/service-types";
import { parseSecretReference } from "../compute/secret-refs";
import {
    DeployPolicyContext, Document, GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_URL, GithubSubject, IAM_LIMITS, githubProviderArn, githubSubject, githubTrustPolicy, policySize,
} from "./deploy-policies";
import { DEPLOY_POLICY_AREAS, deployPolicyDocuments } from "./deploy-policy-statements";
import { workloadBoundaryArn } from "../security/workload-boundary";

type DeployArea = (typeof DEPLOY_POLICY_AREAS)[number];
import { PREVIEW_POLICY_AREAS, previewPolicyDocuments } from "./preview-policy-statements";

export interface DeployIdentityArgs {
    /** `<app>-<environment>`: the roles are `<namePrefix>-deploy` and `<namePrefix>-preview`, their policies `<namePrefix>-<role>-<area>`. */
    namePrefix: string;
    /** `baseline:app.name` and `baseline:environment`: SSM parameters live under `/<app>/<environment>/`, application secrets under `<app>/<environment>/`. */
    app: string;
    environment: string;
    /** `aws:region`. */
    region: string;
    /** us-east-1 when the stack runs CloudFront (its certificate, web ACL, log group, key and log delivery live there). Default: none. */
    cloudFrontRegion?: string;
    /** `baseline:backup.copyRegion` (the copy vault and its key). Default: none. */
    backupCopyRegion?: string;
    /** `baseline:deploy`, with the repository set (the roles exist only then). */
    deploy: DeployConfig & { repository: string };
    /** The tag every resource of the stack carries (from `aws:defaultTags`): the scope where ARNs carry only ids. */
    stackTag: { key: string; value: string };
    /** `baseline:domain.name`: the stack writes DNS records at it and below it, and requests certificates for those names. */
    domainName: string;
    /** The public hosted zone the stack's records are in. */
    hostedZoneId: pulumi.Input<string>;
    /** The stack's VPC (its default security group is adopted). */
    vpcId: pulumi.Input<string>;
    /** The storage key (ECR's grants on it are retired when a repository is deleted). */
    storageKeyArn: pulumi.Input<string>;
    /** Secrets Manager names the services reference from outside the stack. Default: none. */
    externalSecretNames?: string[];
    /** Protect the OIDC provider the stack creates, and leave out the permissions only a staging destroy needs. Default: false. */
    protect?: boolean;
    /**
     * What exists and is administered by exact ARN only (never by tag): every KMS key of the stack, the distribution,
     * the certificates, the backup plan. Outputs: the documents that name them are unknown on a first preview
     * (which an administrator runs: the deploy role does not exist before it).
     */
    keyArns?: pulumi.Input<string>[];
    /** The data key: SSM SecureStrings and the stack's secrets are encrypted with it (used only through those services). */
    dataKeyArn?: pulumi.Input<string>;
    distributionArn?: pulumi.Input<string>;
    certificateArns?: pulumi.Input<string>[];
    backupPlanArn?: pulumi.Input<string>;
    /** The audit trail (when the stack runs one): its key's policy is denied to the deploy role. */
    trail?: { keyArn: pulumi.Input<string> };
}

/** IAM role names are at most 64 characters, managed policy names 128. */
const MAX_ROLE_NAME = 64;
const NAME_PREFIX = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Branch and environment names end up inside an exact StringEquals subject: no wildcard or separator may appear. */
const SUBJECT_PART = /^[A-Za-z0-9._\/-]+$/;

/** Throws, naming the value, when the args would build a role that trusts more than one repository or a name IAM refuses. */
export function validateDeployIdentityArgs(args: DeployIdentityArgs): void {
    const fail = (what: string, value: unknown, expected: string) => {
        throw new Error(`DeployIdentity: ${what} is ${JSON.stringify(value)}, expected ${expected}.`);
    };
    if (!NAME_PREFIX.test(args.namePrefix)) fail("namePrefix", args.namePrefix, "lowercase letters and digits in words joined by single hyphens, e.g. pos-prod");
    if (`${args.namePrefix}-preview`.length > MAX_ROLE_NAME) fail("namePrefix", args.namePrefix, `at most ${MAX_ROLE_NAME - "-preview".length} characters (IAM role names are at most ${MAX_ROLE_NAME})`);
    if (!GITHUB_REPOSITORY.test(args.deploy.repository)) fail("deploy.repository", args.deploy.repository, "owner/repository, such as acme/pos-api, without wildcards");
    if (args.deploy.environment !== undefined && !SUBJECT_PART.test(args.deploy.environment)) fail("deploy.environment", args.deploy.environment, "a GitHub environment name without wildcards, colons or spaces");
    if (args.deploy.environment === undefined && !SUBJECT_PART.test(args.deploy.branch)) fail("deploy.branch", args.deploy.branch, "a branch name without wildcards, colons or spaces");
    if (args.deploy.oidcProviderArn !== undefined && !GITHUB_OIDC_PROVIDER_ARN.test(args.deploy.oidcProviderArn)) {
        fail("deploy.oidcProviderArn", args.deploy.oidcProviderArn, "arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com");
    }
    if (!args.stackTag.key || !args.stackTag.value) fail("stackTag", args.stackTag, "the stack's cost-allocation tag key and its value from aws:defaultTags, both non-empty");
    if (!args.domainName || args.domainName.includes("*")) fail("domainName", args.domainName, "the stack's domain name, without wildcards");
}

/** Names of the Secrets Manager secrets the services reference from outside the stack (`secretsmanager:<name>[:<key>]`). */
export function externalSecretNames(services: readonly ServiceConfig[]): string[] {
    const names = services.flatMap((s) => Object.values(s.secrets ?? {}).map(parseSecretReference)).flatMap((ref) => (ref?.kind === "secretsmanager" ? [ref.secretName] : []));
    return [...new Set(names)].sort();
}

/** Throws when a document is over IAM's limit for a managed policy (counted as IAM counts: minified). */
export function checkPolicySize(name: string, d: Document): void {
    const size = policySize(d);
    if (size > IAM_LIMITS.managedPolicyChars) {
        throw new Error(`DeployIdentity: policy ${name} is ${size} characters, IAM allows ${IAM_LIMITS.managedPolicyChars} for a managed policy: split it.`);
    }
}

/**
 * The roles GitHub Actions assumes through OIDC, without long-lived keys: `<namePrefix>-deploy` (the
 * configured environment or branch: `pulumi up`, on this stack's resources only) and `<namePrefix>-preview`
 * (pull requests of the repository: read-only, for `pulumi preview`). Each has customer-managed policies,
 * one per concern, attached by standalone resources (no inline or managed policy on the role itself).
 */
export class DeployIdentity extends pulumi.ComponentResource {
    readonly oidcProviderArn: pulumi.Output<string>;
    readonly deployRoleArn: pulumi.Output<string>;
    readonly previewRoleArn: pulumi.Output<string>;

    constructor(name: string, args: DeployIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("baseline:operations:DeployIdentity", name, {}, opts);
        validateDeployIdentityArgs(args);
        const n = args.namePrefix;
        const protect = args.protect ?? false;

        const ctx = iamContext(args.region, this);
        // IAM holds one provider per issuer URL in an account: a second stack of the account that created it here
        // would fail with EntityAlreadyExists, so that stack sets baseline:deploy.oidcProviderArn to this one's ARN.
        // No thumbprint: for GitHub's issuer AWS validates the certificate against its own library of trusted
        // root CAs and ignores thumbprints (IAM API reference, UpdateOpenIDConnectProviderThumbprint), and
        // @pulumi/aws v7 makes thumbprintLists optional. Kept on destroy: other stacks of the account may trust it.
        const provider = args.deploy.oidcProviderArn !== undefined
            ? undefined
            : new aws.iam.OpenIdConnectProvider(`${name}-github-oidc`, {
                  url: GITHUB_OIDC_URL,
                  clientIdLists: [GITHUB_OIDC_AUDIENCE],
                  tags: { Name: `${n}-github-actions` },
              }, { parent: this, protect, retainOnDelete: true });
        // The provider's ARN is fixed by the account and the issuer, so the trust policies are known (and checked) at preview.
        this.oidcProviderArn = args.deploy.oidcProviderArn !== undefined ? pulumi.output(args.deploy.oidcProviderArn) : ctx.apply((c) => githubProviderArn(c.partition, c.accountId));

        const deployOn: GithubSubject = args.deploy.environment !== undefined ? { environment: args.deploy.environment } : { branch: args.deploy.branch };
        const role = (kind: "deploy" | "preview", subject: string, description: string) =>
            new aws.iam.Role(`${name}-${kind}-role`, {
                name: `${n}-${kind}`,
                description,
                assumeRolePolicy: this.oidcProviderArn.apply((provider) => JSON.stringify(githubTrustPolicy(provider, subject))),
                // One hour: long enough for a `pulumi up` of the stack (CloudFront and the databases included), and the STS default.
                maxSessionDuration: 3600,
                tags: { Name: `${n}-${kind}` },
            }, { parent: this, dependsOn: provider ? [provider] : [] });
        const deployRole = role("deploy", githubSubject(args.deploy.repository, deployOn), `GitHub Actions (${args.deploy.repository}) runs pulumi up of ${n}`);
        const previewRole = role("preview", githubSubject(args.deploy.repository, "pull_request"), `GitHub Actions (${args.deploy.repository} pull requests) runs pulumi preview of ${n}`);

        // Most documents need only names known at preview; the network's waits for the VPC, storage's for the storage key.
        const base = pulumi.all([ctx, args.hostedZoneId]).apply(([c, hostedZoneId]): DeployPolicyContext => ({
            partition: c.partition, accountId: c.accountId, region: args.region, cloudFrontRegion: args.cloudFrontRegion, backupCopyRegion: args.backupCopyRegion,
            namePrefix: n, app: args.app, environment: args.environment, stackTag: args.stackTag,
            hostedZoneId, domainName: args.domainName, externalSecretNames: args.externalSecretNames ?? [], protect,
            boundaryArn: workloadBoundaryArn(c.partition, c.accountId, n),
        }));
        const exact = pulumi.all([
            args.vpcId, args.storageKeyArn, pulumi.all(args.keyArns ?? []), args.dataKeyArn, args.distributionArn, pulumi.all(args.certificateArns ?? []), args.backupPlanArn, args.trail?.keyArn,
        ]);
        const full = pulumi.all([base, exact]).apply(([c, [vpcId, storageKeyArn, keyArns, dataKeyArn, distributionArn, certificateArns, backupPlanArn, trailKeyArn]]): DeployPolicyContext => ({
            ...c, vpcId, storageKeyArn, keyArns, dataKeyArn, distributionArn, certificateArns, backupPlanArn, trailKeyArn,
        }));
        // The IAM, data and compute documents need names only (known at preview); the others name existing resources by ARN.
        const fromNames: DeployArea[] = ["identity", "data", "compute"];
        const deployDocument = (area: DeployArea) => (fromNames.includes(area) ? base : full).apply((c) => deployPolicyDocuments(c)[area]);
        this.attach(name, n, "deploy", deployRole, DEPLOY_POLICY_AREAS, deployDocument);
        this.attach(name, n, "preview", previewRole, PREVIEW_POLICY_AREAS, (area) => base.apply((c) => previewPolicyDocuments(c)[area]));

        this.deployRoleArn = deployRole.arn;
        this.previewRoleArn = previewRole.arn;
        this.registerOutputs({ oidcProviderArn: this.oidcProviderArn, deployRoleArn: this.deployRoleArn, previewRoleArn: this.previewRoleArn });
    }

    /** One customer-managed policy per document, each attached to the role by a standalone attachment. */
    private attach<A extends string>(name: string, namePrefix: string, kind: "deploy" | "preview", role: aws.iam.Role, areas: readonly A[], document: (area: A) => pulumi.Output<Document>): void {
        if (areas.length > IAM_LIMITS.managedPoliciesPerRole) {
            throw new Error(`DeployIdentity: the ${kind} role would have ${areas.length} managed policies, IAM allows ${IAM_LIMITS.managedPoliciesPerRole} by default.`);
        }
        for (const area of areas) {
            const policy = new aws.iam.Policy(`${name}-${kind}-${area}`, {
                name: `${namePrefix}-${kind}-${area}`,
                description: `${kind === "deploy" ? "pulumi up" : "pulumi preview"} of ${namePrefix}: ${area}`,
                policy: document(area).apply((d) => {
                    checkPolicySize(`${namePrefix}-${kind}-${area}`, d);
                    return JSON.stringify(d);
                }),
                tags: { Name: `${namePrefix}-${kind}-${area}` },
            }, { parent: this });
            new aws.iam.RolePolicyAttachment(`${name}-${kind}-${area}`, { role: role.name, policyArn: policy.arn }, { parent: this });
        }
    }
}
