import * as aws from "@pulumi/aws";
import { ofType } from "../lib/by-type";
import { Policies } from "@pulumi/policy";
import { StackResource, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { at, isSet, isUnknown, show } from "../lib/props";
import { Finding, actionCovers, awsManagedPolicyName, conditionValues, isAllActions, parseDocument, serviceWideAction, statementName, values } from "../lib/iam-documents";
import { comesOnlyFrom, refersTo } from "../lib/joins";
import { iamGithubOidcTrust, iamTrustNotPublic } from "./iam-trust";

const ROLE = tokenOf(aws.iam.Role);
const POLICY = tokenOf(aws.iam.Policy);

export type { Finding };

/**
 * iam-01 over one permissions document: Allow statements must name their actions. `*` on `*` is
 * administrator access; `svc:*` grants the service's future actions too; Allow with NotAction grants
 * everything not listed. `path` locates the document in the resource's inputs, for unknown values.
 */
export function wildcardFindings(document: unknown, path: string, label: string, allowedServices: string[]): Finding[] {
    if (document === undefined) return [];
    const parsed = parseDocument(document);
    if (parsed.kind === "unknown") return [{ unknown: path, value: document }];
    if (parsed.kind === "invalid") return [{ violation: `${label} must be a JSON policy document: ${path} is ${show(document)}, expected an object with a Statement list.` }];
    const findings: Finding[] = parsed.statementsUnknown ? [{ unknown: `${path}.Statement`, value: at(document, "Statement") }] : [];
    const allowed = new Set(allowedServices.map((s) => s.toLowerCase()));
    parsed.statements.forEach((s, i) => {
        if (isUnknown(s.Effect)) findings.push({ unknown: `${path}.Statement[${i}].Effect`, value: s.Effect });
        if (s.Effect !== "Allow") return;
        const name = statementName(s, i);
        if (s.NotAction !== undefined) {
            findings.push({ violation: `${label} must not combine Allow with NotAction: ${name} allows every action except ${show(s.NotAction)}, expected an explicit Action list.` });
        }
        const actions = values(s.Action);
        if (actions.some(isUnknown)) findings.push({ unknown: `${path}.Statement[${i}].Action`, value: s.Action });
        const known = actions.filter((a): a is string => typeof a === "string" && !isUnknown(a));
        const everyResource = values(s.Resource).includes("*") || s.NotResource !== undefined;
        const everything = known.find(isAllActions);
        if (everyResource && everything !== undefined) {
            const on = s.NotResource !== undefined ? `every resource except ${show(s.NotResource)}` : '"*"';
            findings.push({ violation: `${label} must not allow every action on every resource: ${name} allows ${show(everything)} on ${on}, expected specific actions on specific resources.` });
        }
        const wide = known.filter((a) => (isAllActions(a) && !everyResource) || (!isAllActions(a) && serviceWideAction(a) !== undefined && !allowed.has(serviceWideAction(a)!)));
        if (wide.length > 0) {
            findings.push({ violation: `${label} must not allow service-wide actions: ${name} allows ${show(wide)}, expected the specific actions needed (or the service in allowedServiceWildcards).` });
        }
    });
    return findings;
}

const DOCUMENT_LABELS: Record<string, string> = {
    [POLICY]: "IAM policy",
    [tokenOf(aws.iam.RolePolicy)]: "IAM role policy",
    [tokenOf(aws.iam.UserPolicy)]: "IAM user policy",
    [tokenOf(aws.iam.GroupPolicy)]: "IAM group policy",
};

/**
 * The permissions documents of an IAM policy resource, or of a role's inline policies (unknown
 * entries go to `unknown`), with where they are and how messages call them.
 */
function permissionDocuments(props: Record<string, any>, type: string, unknown: (path: string, value: unknown) => void): { path: string; label: string; value: unknown }[] {
    if (type !== ROLE) return [{ path: "policy", label: DOCUMENT_LABELS[type], value: props.policy }];
    if (isUnknown(props.inlinePolicies)) {
        unknown("inlinePolicies", props.inlinePolicies);
        return [];
    }
    return (Array.isArray(props.inlinePolicies) ? props.inlinePolicies : []).map((p: any, i: number) => {
        if (isUnknown(p)) unknown(`inlinePolicies[${i}]`, p);
        const label = `IAM role inline policy ${typeof p?.name === "string" && !isUnknown(p.name) ? show(p.name) : i}`;
        return { path: `inlinePolicies[${i}].policy`, label, value: p?.policy };
    });
}

/** iam-01 */
export const iamNoWildcardActions = resourcePolicy<{ allowedServiceWildcards: string[] }>({
    name: "iam-no-wildcard-actions",
    description: 'IAM permissions must not allow "*" on "*", service-wide "svc:*" actions, or Allow with NotAction.',
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "List the specific actions the workload calls (e.g. `s3:GetObject`) on the specific resource ARNs it uses; build documents with aws.iam.getPolicyDocumentOutput or JSON.stringify.",
    securityHub: ["IAM.1", "IAM.21"],
    catalogue: ["iam-01"],
    config: {
        allowedServiceWildcards: {
            type: "array", items: { type: "string", pattern: "^[a-zA-Z0-9-]+$" }, default: [],
            description: 'Service prefixes whose "svc:*" action is allowed (e.g. "logs"). "*" itself is never allowed.',
        },
    },
    types: [aws.iam.Policy, aws.iam.RolePolicy, aws.iam.UserPolicy, aws.iam.GroupPolicy, aws.iam.Role],
    check: (props, { config, type }, report) => {
        const documents = permissionDocuments(props, type, (path, value) => report.unverifiable(path, value, "inline policies grant no wildcard actions"));
        for (const d of documents) {
            for (const f of wildcardFindings(d.value, d.path, d.label, config.allowedServiceWildcards)) {
                if ("violation" in f) report.violation(f.violation);
                else report.unverifiable(f.unknown, f.value, "the policy grants no wildcard actions");
            }
        }
    },
});

/**
 * Whether a Resource pattern covers roles of any name: `*`, `arn:aws:iam::123456789012:role/*`,
 * `arn:*:iam::*:*`. A name prefix (`role/shop-*`) or a named role does not. The ARN's resource part
 * (after the fifth colon) must match both a plain role name and a role under a path.
 */
export function coversEveryRole(resource: string): boolean {
    const parts = resource.split(":");
    const rest = parts.length >= 6 ? parts.slice(5).join(":") : undefined;
    if (rest === undefined) return /^[*?]*\*[*?]*$/.test(resource);
    return ["role/0", "role/x/Administrator"].every((name) => actionCovers(rest, name));
}

/**
 * Beyond the catalogue, over one permissions document: an Allow statement whose actions include
 * iam:PassRole (`iam:PassRole`, `iam:Pass*`, `iam:*`) on roles of any name lets the principal hand any
 * role of the account, administrator roles included, to a service it controls (a Lambda function, an
 * EC2 instance, an ECS task) and act with that role's permissions. IAM Access Analyzer warns about it
 * (policy check PASS_ROLE_WITH_STAR_IN_RESOURCE, docs.aws.amazon.com/IAM/latest/UserGuide/
 * access-analyzer-reference-policy-checks.html). An `iam:PassedToService` condition does NOT make it
 * pass: it limits the service, not the role, and passing an administrator role to Lambda is the
 * escalation itself; the roles must be named (or a name prefix the stack owns). Actions that are `*`
 * are left to iam-no-wildcard-actions, which always rejects them.
 */
export function passRoleFindings(document: unknown, path: string, label: string): Finding[] {
    if (document === undefined) return [];
    const parsed = parseDocument(document);
    if (parsed.kind === "unknown") return [{ unknown: path, value: document }];
    if (parsed.kind === "invalid") return []; // iam-no-wildcard-actions reports it; AWS rejects it
    const findings: Finding[] = parsed.statementsUnknown ? [{ unknown: `${path}.Statement`, value: at(document, "Statement") }] : [];
    parsed.statements.forEach((s, i) => {
        if (isUnknown(s.Effect)) return findings.push({ unknown: `${path}.Statement[${i}].Effect`, value: s.Effect });
        if (s.Effect !== "Allow" || s.NotAction !== undefined) return; // Allow + NotAction: iam-no-wildcard-actions
        const actions = values(s.Action);
        const passing = actions.filter((a): a is string => typeof a === "string" && !isUnknown(a) && !isAllActions(a) && actionCovers(a, "iam:PassRole"));
        if (passing.length === 0) {
            if (actions.some(isUnknown)) findings.push({ unknown: `${path}.Statement[${i}].Action`, value: s.Action });
            return;
        }
        if (isUnknown(s.Resource) || isUnknown(s.NotResource)) return findings.push({ unknown: `${path}.Statement[${i}].Resource`, value: s.Resource ?? s.NotResource });
        const resources = values(s.Resource);
        if (resources.some(isUnknown)) return findings.push({ unknown: `${path}.Statement[${i}].Resource`, value: s.Resource });
        const wide = s.NotResource !== undefined ? `every resource except ${show(s.NotResource)}` : (() => {
            const all = resources.filter((r): r is string => typeof r === "string" && coversEveryRole(r));
            return all.length === 0 ? undefined : show(all.length === 1 ? all[0] : all);
        })();
        if (wide === undefined) return;
        const passedTo = conditionValues(s.Condition, "StringEquals", "iam:PassedToService") ?? conditionValues(s.Condition, "StringLike", "iam:PassedToService");
        const limited = passedTo !== undefined && passedTo.length > 0 && !passedTo.some(isUnknown) ? ` (limiting the service with iam:PassedToService ${show(passedTo.length === 1 ? passedTo[0] : passedTo)} does not limit the role)` : "";
        findings.push({ violation: `${label} must not allow iam:PassRole on every role: ${statementName(s, i)} allows ${show(passing.length === 1 ? passing[0] : passing)} on ${wide}${limited}, expected the ARNs of the roles to pass (or a name prefix the stack owns).` });
    });
    return findings;
}

/** Beyond the catalogue: iam:PassRole names the roles it may pass. */
export const iamPassRoleScoped = resourcePolicy({
    name: "iam-passrole-scoped",
    description: "IAM permissions must not allow iam:PassRole on every role (\"*\" or role/*), even with an iam:PassedToService condition.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set the statement's Resource to the ARNs of the roles the principal passes (e.g. `arn:aws:iam::123456789012:role/shop-task`, or a prefix the stack owns such as `role/shop-*`), and add `Condition: { StringEquals: { \"iam:PassedToService\": \"ecs-tasks.amazonaws.com\" } }`.",
    catalogue: ["iam-06"],
    types: [aws.iam.Policy, aws.iam.RolePolicy, aws.iam.UserPolicy, aws.iam.GroupPolicy, aws.iam.Role],
    check: (props, { type }, report) => {
        const documents = permissionDocuments(props, type, (path, value) => report.unverifiable(path, value, "inline policies allow iam:PassRole only on named roles"));
        for (const d of documents) {
            for (const f of passRoleFindings(d.value, d.path, d.label)) {
                if ("violation" in f) report.violation(f.violation);
                else report.unverifiable(f.unknown, f.value, "the policy allows iam:PassRole only on named roles");
            }
        }
    },
});

/** Where managed policies get attached: the resource type, how messages call it, and the input holding the ARN(s). */
const ATTACHMENTS: Record<string, { label: string; prop: string }> = {
    [tokenOf(aws.iam.RolePolicyAttachment)]: { label: "IAM role policy attachment", prop: "policyArn" },
    [tokenOf(aws.iam.PolicyAttachment)]: { label: "IAM policy attachment", prop: "policyArn" },
    [tokenOf(aws.iam.UserPolicyAttachment)]: { label: "IAM user policy attachment", prop: "policyArn" },
    [tokenOf(aws.iam.GroupPolicyAttachment)]: { label: "IAM group policy attachment", prop: "policyArn" },
    [ROLE]: { label: "IAM role", prop: "managedPolicyArns" },
    [tokenOf(aws.iam.RolePolicyAttachmentsExclusive)]: { label: "IAM role policy attachments", prop: "policyArns" },
    [tokenOf(aws.iam.UserPolicyAttachmentsExclusive)]: { label: "IAM user policy attachments", prop: "policyArns" },
    [tokenOf(aws.iam.GroupPolicyAttachmentsExclusive)]: { label: "IAM group policy attachments", prop: "policyArns" },
};

/** A denied entry: an AWS-managed policy name (any partition, any path) or an exact ARN. */
export function deniedEntry(arn: string, denied: string[]): string | undefined {
    const managed = awsManagedPolicyName(arn);
    return denied.find((d) => (d.startsWith("arn:") ? d === arn : d === managed));
}

/**
 * AWS-managed policies denied by default: administrator and power-user access, full control of IAM or
 * the organization, and full access (or, for KMS, key administration) to services holding data, secrets,
 * compute or the network. Each is as broad as `svc:*` written inline, which iam-01 rejects. AWS's
 * service-role policies (service-role/AWSBackupServiceRolePolicyForBackup, AmazonRDSEnhancedMonitoringRole)
 * are scoped to their service and stay allowed.
 */
export const DEFAULT_DENIED_POLICIES = [
    "AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "AWSOrganizationsFullAccess",
    "AmazonS3FullAccess", "AmazonDynamoDBFullAccess", "AmazonRDSFullAccess", "SecretsManagerReadWrite", "AWSKeyManagementServicePowerUser",
    "AmazonEC2FullAccess", "AmazonVPCFullAccess", "AWSLambda_FullAccess", "AmazonECS_FullAccess", "AmazonSSMFullAccess", "AWSCloudTrail_FullAccess",
];

/**
 * iam-02. A stack policy: an ARN unknown during preview that comes only from aws.iam.Policy resources
 * of the stack is customer-managed (iam-01 checks its document); any other unknown ARN is unverifiable.
 */
export const iamNoAdminAttachments = stackPolicy<{ deniedPolicies: string[] }>({
    name: "iam-no-admin-attachments",
    description: "Roles, users and groups must not have AdministratorAccess, PowerUserAccess, IAMFullAccess or another broad AWS-managed policy (full access to a sensitive service) attached.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Replace the attachment with a customer-managed aws.iam.Policy (or an inline RolePolicy) that lists only the actions and resources the workload uses.",
    catalogue: ["iam-02"],
    config: {
        deniedPolicies: {
            type: "array", items: { type: "string", minLength: 1 }, minItems: 1, default: DEFAULT_DENIED_POLICIES,
            description: `AWS-managed policy names (matched in every partition and under any path) or exact policy ARNs that must not be attached. A configured list replaces the default: ${DEFAULT_DENIED_POLICIES.join(", ")}.`,
        },
    },
    check: (resources, { config }, report) => {
        for (const r of resources) {
            const where = ATTACHMENTS[r.type];
            if (!where) continue;
            const value = r.props[where.prop];
            const arns = isUnknown(value) || !Array.isArray(value) ? [value] : value;
            const fromPolicies = comesOnlyFrom(r, where.prop, POLICY);
            let unverified = false;
            arns.forEach((arn, i) => {
                const path = Array.isArray(value) ? `${where.prop}[${i}]` : where.prop;
                if (isUnknown(arn)) {
                    if (!fromPolicies && !unverified) report.unverifiable(r, path, "no denied managed policy is attached");
                    unverified = true;
                } else if (typeof arn === "string") {
                    const denied = deniedEntry(arn, config.deniedPolicies);
                    if (denied) {
                        report.violation(r, `${where.label} must not attach ${awsManagedPolicyName(arn) ?? denied}: ${path} is ${show(arn)}, expected a customer-managed policy with only the permissions needed.`);
                    }
                }
            });
        }
    },
});

const INLINE_MANAGERS: Record<string, string> = {
    [tokenOf(aws.iam.RolePolicy)]: "role",
    [tokenOf(aws.iam.RolePoliciesExclusive)]: "roleName",
};
const ATTACHMENT_MANAGERS: Record<string, string> = {
    [tokenOf(aws.iam.RolePolicyAttachment)]: "role",
    [tokenOf(aws.iam.PolicyAttachment)]: "roles",
    [tokenOf(aws.iam.RolePolicyAttachmentsExclusive)]: "roleName",
};

/**
 * iam-04: `inlinePolicies` and `managedPolicyArns` make the role the exclusive manager of that policy
 * type, so a standalone resource for the same role is undone on every update (the resources fight).
 */
export const iamRolePoliciesOneWay = stackPolicy({
    name: "iam-role-policies-one-way",
    description: "A role's inline policies and its managed-policy attachments must each be managed one way: on the role, or by standalone resources.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Either drop `inlinePolicies`/`managedPolicyArns` from the aws.iam.Role and keep the standalone RolePolicy/RolePolicyAttachment resources (recommended), or remove the standalone resources.",
    catalogue: ["iam-04"],
    types: [ROLE],
    check: (resources, _ctx, report) => {
        const managersOf = (role: StackResource, managers: Record<string, string>) =>
            resources.filter((r) => managers[r.type] !== undefined && refersTo(r, managers[r.type], role, { ids: ["name"] }));
        for (const role of ofType(resources, ROLE)) {
            const kinds = [
                { prop: "inlinePolicies", what: "inline policies", managers: INLINE_MANAGERS },
                { prop: "managedPolicyArns", what: "managed policy attachments", managers: ATTACHMENT_MANAGERS },
            ];
            for (const { prop, what, managers } of kinds) {
                if (!isSet(role.props[prop])) continue;
                const others = managersOf(role, managers);
                if (others.length === 0) continue;
                const list = others.map((o) => `${o.type.split(":").pop()} ${show(o.name)}`).join(", ");
                report.violation(role, `IAM role must have its ${what} managed one way: ${prop} is set on the role and ${list} also manage${others.length === 1 ? "s" : ""} them, expected either ${prop} or standalone resources.`);
            }
        }
    },
});

/** iam-05: people and machines get temporary credentials (IAM Identity Center, OIDC, roles), never stored keys. */
export const iamNoUsers = resourcePolicy({
    name: "iam-no-users",
    description: "The stack must not create IAM users, access keys, console login profiles or other long-lived user credentials.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Use IAM Identity Center for people and roles assumed through OIDC (GitHub) or service principals for machines. A break-glass user belongs in an exemption with its reason.",
    securityHub: ["IAM.2"],
    catalogue: ["iam-05"],
    // Besides users and access keys: the user credentials that work without one (Bedrock and CodeCommit
    // service-specific credentials, signing certificates, CodeCommit SSH keys), for a user made elsewhere.
    types: [aws.iam.User, aws.iam.AccessKey, aws.iam.UserLoginProfile, aws.iam.ServiceSpecificCredential, aws.iam.SigningCertificate, aws.iam.SshKey],
    check: (props, { type, name }, report) => {
        const temporary = "expected temporary credentials from an assumed role";
        if (type === tokenOf(aws.iam.User)) {
            report.violation(`IAM user must not be created by the stack: found user ${show(typeof props.name === "string" && !isUnknown(props.name) ? props.name : name)}, expected roles assumed through IAM Identity Center or OIDC federation.`);
        } else if (type === tokenOf(aws.iam.AccessKey)) {
            report.violation(`IAM access key must not be created by the stack: found a long-lived key for user ${show(props.user)}, ${temporary}.`);
        } else if (type === tokenOf(aws.iam.ServiceSpecificCredential)) {
            report.violation(`IAM service-specific credential must not be created by the stack: found a long-lived ${show(props.serviceName)} credential for user ${show(props.userName)}, ${temporary}.`);
        } else if (type === tokenOf(aws.iam.SigningCertificate)) {
            report.violation(`IAM signing certificate must not be created by the stack: found an X.509 signing certificate for user ${show(props.userName)}, ${temporary}.`);
        } else if (type === tokenOf(aws.iam.SshKey)) {
            report.violation(`IAM SSH public key must not be created by the stack: found an SSH key for user ${show(props.username)}, ${temporary}.`);
        } else {
            report.violation(`IAM login profile must not be created by the stack: found a console password for user ${show(props.user)}, expected console access through IAM Identity Center.`);
        }
    },
});

export const iamPolicies: Policies = [iamNoWildcardActions, iamPassRoleScoped, iamNoAdminAttachments, iamGithubOidcTrust, iamTrustNotPublic, iamRolePoliciesOneWay, iamNoUsers];
