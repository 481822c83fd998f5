import * as assert from "assert";
import { DeployIdentityArgs, checkPolicySize, externalSecretNames, validateDeployIdentityArgs } from "../infra/operations/deploy-identity";
import {
    DeployPolicyContext, Document, IAM_LIMITS, STAR_ONLY_ACTIONS, Statement, TYPE_SCOPED_STATEMENTS, githubSubject, githubTrustPolicy, policySize,
} from "../infra/operations/deploy-policies";
import { DEPLOY_POLICY_AREAS, deployPolicyDocuments } from "../infra/operations/deploy-policy-statements";
import { PREVIEW_POLICY_AREAS, READ_ONLY_NAMED, READ_ONLY_VERBS, SECRET_READING_ACTIONS, previewPolicyDocuments } from "../infra/operations/preview-policy-statements";
import { wildcardFindings } from "../policies/security/iam";
import { githubTrustFindings } from "../policies/security/iam-trust";
import { RecordedResource, Run, runStack } from "./harness";

const ACCOUNT = "123456789012";
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const OIDC = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";

const trust = (subject: string, provider = PROVIDER) => ({
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "GithubActionsOidc",
            Effect: "Allow",
            Principal: { Federated: provider },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": subject } },
        },
    ],
});

const resolve = (o: any): Promise<any> => new Promise((ok) => o.apply(ok));
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
/** IAM's matching of an action pattern (`*` and `?`, case-insensitive) against an action name. */
const covers = (pattern: string, action: string) =>
    new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i").test(action);

/** The policies attached to `<prefix>-<kind>`, by area, parsed. */
function attachedDocuments(run: Run, prefix: string, kind: "deploy" | "preview"): Record<string, Document> {
    const policies = run.ofType(POLICY).filter((p) => p.inputs.name.startsWith(`${prefix}-${kind}-`));
    const attached = run.ofType(ATTACHMENT).filter((a) => a.inputs.role === `${prefix}-${kind}`);
    assert.deepStrictEqual(attached.map((a) => a.inputs.policyArn).sort(), policies.map((p) => `arn:aws:iam::${ACCOUNT}:policy/${p.inputs.name}`).sort());
    return Object.fromEntries(policies.map((p) => [p.inputs.name.slice(`${prefix}-${kind}-`.length), JSON.parse(p.inputs.policy)]));
}

const allows = (docs: Record<string, Document>): Statement[] => Object.values(docs).flatMap((d) => d.Statement.filter((s) => s.Effect === "Allow"));

/** What names this stack in a statement: its prefix, its parameter and secret paths, its zone, its tag value, its VPC or key. */
function stackMarkers(c: Pick<DeployPolicyContext, "namePrefix" | "app" | "environment" | "hostedZoneId" | "stackTag" | "domainName">, extra: string[] = []) {
    return [`${c.namePrefix}`, `/${c.app}/${c.environment}/`, `${c.app}/${c.environment}/`, c.hostedZoneId, c.stackTag.value, c.domainName, ...extra];
}

/** Why a statement is allowed its resources, or undefined when it is not. */
function scopeOf(s: Statement, markers: string[]): string | undefined {
    const names = (text: string) => markers.some((m) => text.includes(m));
    const resources = list(s.Resource);
    if (resources.every((r) => r !== "*" && names(r))) return "named";
    if (s.Condition && names(JSON.stringify(s.Condition))) return "condition";
    if (resources.every((r) => r === "*") && list(s.Action).every((a) => Object.keys(STAR_ONLY_ACTIONS).some((p) => covers(p, a)))) return "star-only";
    if (TYPE_SCOPED_STATEMENTS[s.Sid] !== undefined && !resources.includes("*")) return "type";
    if (EXACT_ARN_STATEMENTS.includes(s.Sid) && resources.every((r) => /^arn:aws:[a-z]+:[a-z0-9-]*:\d{12}:[a-z-]+[/:][A-Za-z0-9-]+$/.test(r))) return "exact";
    return undefined;
}

/** Statements that administer existing keys, the distribution, certificates and the plan: by exact ARN, never by tag. */
const EXACT_ARN_STATEMENTS = ["KmsAdministerStackKeys", "KmsDataKeyThroughSsmAndSecrets", "AcmStackCertificates", "CloudFrontStackDistribution", "BackupStackPlan"];

const CONTEXT: DeployPolicyContext = {
    partition: "aws", accountId: ACCOUNT, region: "eu-west-1", cloudFrontRegion: "us-east-1", backupCopyRegion: "eu-central-1", namePrefix: "pos-prod", app: "pos", environment: "prod",
    stackTag: { key: "Stack", value: "pos-prod" }, hostedZoneId: "Z0123456789MOCKZONE", domainName: "pos.example.com", vpcId: "vpc-1", storageKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k`,
    externalSecretNames: ["shared/api-key"], protect: true, boundaryArn: `arn:aws:iam::${ACCOUNT}:policy/pos-prod-workload-boundary`,
    keyArns: [`arn:aws:kms:eu-west-1:${ACCOUNT}:key/k`, `arn:aws:kms:us-east-1:${ACCOUNT}:key/e`], dataKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/d`,
    distributionArn: `arn:aws:cloudfront::${ACCOUNT}:distribution/E1`, certificateArns: [`arn:aws:acm:eu-west-1:${ACCOUNT}:certificate/c`],
    backupPlanArn: `arn:aws:backup:eu-west-1:${ACCOUNT}:backup-plan:p`, trailKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/t`,
};

describe("deploy identity: documents", () => {
    it("subjects are exact: environment, branch, pull requests", () => {
        assert.strictEqual(githubSubject("acme/pos-api", { environment: "production" }), "repo:acme/pos-api:environment:production");
        assert.strictEqual(githubSubject("acme/pos-api", { branch: "main" }), "repo:acme/pos-api:ref:refs/heads/main");
        assert.strictEqual(githubSubject("acme/pos-api", "pull_request"), "repo:acme/pos-api:pull_request");
        assert.deepStrictEqual(githubTrustPolicy(PROVIDER, "repo:acme/pos-api:pull_request"), trust("repo:acme/pos-api:pull_request"));
    });

    it("every action on * is one AWS accepts only on *, each listed with its reason, and the list has no unused entry", () => {
        const statements = [...allows(deployPolicyDocuments(CONTEXT)), ...allows(previewPolicyDocuments(CONTEXT))];
        for (const [action, reason] of Object.entries(STAR_ONLY_ACTIONS)) {
            assert.ok(reason.length > 10, `${action} has no reason`);
            assert.ok(statements.some((s) => list(s.Resource).includes("*") && list(s.Action).some((a) => covers(action, a))), `${action} is listed but unused`);
        }
        for (const [sid, reason] of Object.entries(TYPE_SCOPED_STATEMENTS)) {
            assert.ok(reason.length > 10, `${sid} has no reason`);
            assert.ok(statements.some((s) => s.Sid === sid), `${sid} is listed but no statement has it`);
        }
        // Wildcards in the list are read-only prefixes.
        for (const action of Object.keys(STAR_ONLY_ACTIONS).filter((a) => a.includes("*"))) assert.match(action, /^[a-z0-9-]+:(Describe|List|Get)[A-Za-z]*\*$/);
    });

    it("validates the repository, the subject's parts and the provider ARN before anything is registered", () => {
        const args: DeployIdentityArgs = {
            namePrefix: "pos-prod", app: "pos", environment: "prod", region: "eu-west-1", deploy: { repository: "acme/pos-api", branch: "main" },
            stackTag: { key: "Stack", value: "pos-prod" }, domainName: "pos.example.com", hostedZoneId: "Z", vpcId: "vpc-1", storageKeyArn: "k",
        };
        validateDeployIdentityArgs(args);
        const fails = (change: Partial<DeployIdentityArgs>, message: string) => assert.throws(() => validateDeployIdentityArgs({ ...args, ...change }), { message });
        fails({ deploy: { repository: "acme/*", branch: "main" } }, 'DeployIdentity: deploy.repository is "acme/*", expected owner/repository, such as acme/pos-api, without wildcards.');
        fails({ deploy: { repository: "acme/pos-api", branch: "release-*" } }, 'DeployIdentity: deploy.branch is "release-*", expected a branch name without wildcards, colons or spaces.');
        fails({ deploy: { repository: "acme/pos-api", branch: "main", environment: "prod:x" } }, 'DeployIdentity: deploy.environment is "prod:x", expected a GitHub environment name without wildcards, colons or spaces.');
        fails(
            { deploy: { repository: "acme/pos-api", branch: "main", oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/gitlab.com" } },
            'DeployIdentity: deploy.oidcProviderArn is "arn:aws:iam::123456789012:oidc-provider/gitlab.com", expected arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com.',
        );
        fails({ stackTag: { key: "Stack", value: "" } }, 'DeployIdentity: stackTag is {"key":"Stack","value":""}, expected the stack\'s cost-allocation tag key and its value from aws:defaultTags, both non-empty.');
    });

    it("a document over IAM's 6,144 characters is refused with its name and size", () => {
        const big: Document = { Version: "2012-10-17", Statement: [{ Sid: "Big", Effect: "Allow", Action: "s3:ListBucket", Resource: Array.from({ length: 200 }, (_, i) => `arn:aws:s3:::pos-prod-bucket-${i}`) }] };
        assert.throws(() => checkPolicySize("pos-prod-deploy-x", big), { message: `DeployIdentity: policy pos-prod-deploy-x is ${policySize(big)} characters, IAM allows 6144 for a managed policy: split it.` });
        for (const d of [...Object.values(deployPolicyDocuments(CONTEXT)), ...Object.values(previewPolicyDocuments(CONTEXT))]) checkPolicySize("any", d);
    });

    it("external secrets are the services' secretsmanager references, once each", () => {
        const service = (secrets: Record<string, string>) => ({ secrets }) as never;
        assert.deepStrictEqual(externalSecretNames([service({ A: "secretsmanager:shared/key:token", B: "postgres:password" }), service({ C: "secretsmanager:shared/key", D: "ssm:/x/y" })]), ["shared/key"]);
    });
});

for (const stack of ["prod", "staging"] as const) {
    describe(`deploy identity: ${stack}`, function () {
        this.timeout(120_000);
        let run: Run;
        let vpcId: string;
        const prefix = `pos-${stack}`;
        const domainName = stack === "prod" ? "pos.example.com" : "pos.staging.example.com";
        /** The storage key as the offline mocks name it. */
        const storageKey = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/keys-storage-key-id`;
        const markers = () => stackMarkers({ namePrefix: prefix, app: "pos", environment: stack, hostedZoneId: "Z0123456789MOCKZONE", stackTag: { key: "Stack", value: prefix }, domainName }, [vpcId, storageKey]);
        before(async () => {
            run = await runStack(stack);
            vpcId = await resolve(run.outputs.vpcId);
            assert.ok(vpcId);
        });

        it("creates the account's GitHub provider (audience sts.amazonaws.com, no thumbprint), kept on destroy", () => {
            const provider = run.one(OIDC);
            assert.deepStrictEqual({ url: provider.inputs.url, clientIdLists: provider.inputs.clientIdLists, thumbprintLists: provider.inputs.thumbprintLists }, {
                url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"], thumbprintLists: undefined,
            });
            assert.strictEqual(provider.retainOnDelete, true);
            assert.strictEqual(provider.protect, stack === "prod");
        });

        it("trusts exactly the audience and the configured subject: deploy on its environment or branch, preview on pull requests", () => {
            const deploy = run.one(ROLE, "deploy-identity-deploy-role");
            const preview = run.one(ROLE, "deploy-identity-preview-role");
            const subject = stack === "prod" ? "repo:acme/pos-api:environment:production" : "repo:acme/pos-api:ref:refs/heads/main";
            assert.deepStrictEqual(JSON.parse(deploy.inputs.assumeRolePolicy), trust(subject));
            assert.deepStrictEqual(JSON.parse(preview.inputs.assumeRolePolicy), trust("repo:acme/pos-api:pull_request"));
            for (const [role, kind] of [[deploy, "deploy"], [preview, "preview"]] as const) {
                assert.strictEqual(role.inputs.name, `${prefix}-${kind}`);
                assert.strictEqual(role.inputs.maxSessionDuration, 3600);
                assert.strictEqual(role.inputs.inlinePolicies, undefined);
                assert.strictEqual(role.inputs.managedPolicyArns, undefined);
                assert.ok(policySize(JSON.parse(role.inputs.assumeRolePolicy)) <= IAM_LIMITS.trustPolicyChars);
                assert.deepStrictEqual(githubTrustFindings(JSON.parse(role.inputs.assumeRolePolicy)), []);
            }
        });

        it("has one policy per concern, each under IAM's managed-policy size, at most 10 per role, with no wildcard action the pack rejects", () => {
            for (const [kind, areas] of [["deploy", DEPLOY_POLICY_AREAS], ["preview", PREVIEW_POLICY_AREAS]] as const) {
                const docs = attachedDocuments(run, prefix, kind);
                assert.deepStrictEqual(Object.keys(docs).sort(), [...areas].sort());
                assert.ok(Object.keys(docs).length <= IAM_LIMITS.managedPoliciesPerRole);
                for (const [area, d] of Object.entries(docs)) {
                    const size = policySize(d);
                    assert.ok(size <= IAM_LIMITS.managedPolicyChars, `${kind}-${area} is ${size} characters`);
                    assert.deepStrictEqual(wildcardFindings(d, "policy", "IAM policy", []), [], `${kind}-${area}`);
                    for (const s of d.Statement) {
                        for (const a of list(s.Action)) {
                            assert.ok(a !== "*" && !/:\*$/.test(a), `${kind}-${area} ${s.Sid} allows ${a}`);
                            if (a.includes("*")) assert.match(a, /^[a-z0-9-]+:(Describe|List|Get)[A-Za-z]*\*$/, `${kind}-${area} ${s.Sid}: a wildcard outside a read-only prefix`);
                        }
                    }
                }
            }
        });

        it("scopes every statement to the stack (names, tag, zone, VPC), to a listed resource type, or to * only for actions AWS accepts only there", () => {
            for (const kind of ["deploy", "preview"] as const) {
                for (const s of allows(attachedDocuments(run, prefix, kind))) {
                    assert.ok(scopeOf(s, markers()) !== undefined, `${kind} ${s.Sid}: ${JSON.stringify(s.Resource)} names nothing of the stack`);
                }
            }
        });

        it("the preview role is read-only and reads no secret value", () => {
            for (const s of allows(attachedDocuments(run, prefix, "preview"))) {
                for (const a of list(s.Action)) {
                    const verb = a.split(":")[1];
                    assert.ok(READ_ONLY_VERBS.some((v) => verb.startsWith(v)) || (READ_ONLY_NAMED as readonly string[]).includes(a), `${s.Sid}: ${a} is not a read`);
                    const secret = SECRET_READING_ACTIONS.find((x) => covers(a, x));
                    assert.strictEqual(secret, undefined, `${s.Sid}: ${a} covers ${secret}`);
                }
            }
        });

        it("passes roles only to their services, attaches only known AWS policies, and cannot change the deploy identity", () => {
            const docs = attachedDocuments(run, prefix, "deploy");
            const statements = Object.values(docs).flatMap((d) => d.Statement);
            const passRole = statements.filter((s) => list(s.Action).some((a) => covers(a, "iam:PassRole")));
            assert.deepStrictEqual(passRole.map((s) => s.Sid), ["IamPassStackRolesToTheirServices"]);
            assert.deepStrictEqual(passRole[0].Resource, `arn:aws:iam::${ACCOUNT}:role/${prefix}-*`);
            for (const s of passRole) {
                assert.deepStrictEqual(s.Condition!.StringEquals["iam:PassedToService"], [
                    "ecs-tasks.amazonaws.com", "monitoring.rds.amazonaws.com", "vpc-flow-logs.amazonaws.com", "backup.amazonaws.com", "cloudtrail.amazonaws.com",
                ]);
            }
            const attach = statements.filter((s) => s.Effect === "Allow" && list(s.Action).includes("iam:AttachRolePolicy"));
            assert.strictEqual(attach.length, 1);
            assert.ok((attach[0].Condition!.ArnEquals["iam:PolicyARN"] as string[]).every((p) => p.startsWith("arn:aws:iam::aws:policy/")));
            const deny = statements.find((s) => s.Sid === "DenyChangingTheDeployIdentity")!;
            assert.deepStrictEqual(deny.Resource, [
                `arn:aws:iam::${ACCOUNT}:role/${prefix}-deploy`, `arn:aws:iam::${ACCOUNT}:role/${prefix}-preview`,
                `arn:aws:iam::${ACCOUNT}:policy/${prefix}-deploy-*`, `arn:aws:iam::${ACCOUNT}:policy/${prefix}-preview-*`,
            ]);
            for (const a of ["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:CreatePolicyVersion"]) assert.ok(list(deny.Action).includes(a), a);
            // The workflow never reads RDS-managed secrets' values, never stops the trail, never lifts the vault lock.
            const allowed = allows(docs);
            for (const a of ["cloudtrail:StopLogging", "backup:DeleteBackupVaultLockConfiguration", "backup:DeleteBackupVaultAccessPolicy", "kms:ScheduleKeyDeletion"]) {
                assert.ok(!allowed.some((s) => list(s.Action).some((x) => covers(x, a))), a);
            }
            // Decrypt only on the data key, only through SSM and Secrets Manager (SecureStrings and the stack's secrets).
            assert.deepStrictEqual(allowed.filter((s) => list(s.Action).some((x) => covers(x, "kms:Decrypt"))).map((s) => s.Sid), ["KmsDataKeyThroughSsmAndSecrets"]);
            const readsValues = allowed.filter((s) => list(s.Action).includes("secretsmanager:GetSecretValue"));
            assert.deepStrictEqual(readsValues.map((s) => s.Resource), [[`arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:${prefix}-*`, `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:pos/${stack}/*`]]);
        });

        it("empties buckets and deletes the trail and the vault only where resources are not protected", () => {
            const actions = allows(attachedDocuments(run, prefix, "deploy")).flatMap((s) => list(s.Action));
            for (const a of ["s3:DeleteObject", "s3:DeleteObjectVersion", "backup:DeleteBackupVault"]) assert.strictEqual(actions.includes(a), stack === "staging", a);
            // The trail is deleted (or changed) only by an administrator, in every stack.
            for (const a of ["cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:StopLogging"]) assert.ok(!actions.includes(a), a);
            // ECR's grants on the storage key are retired on a repository's deletion, on that key only.
            const retire = allows(attachedDocuments(run, prefix, "deploy")).filter((s) => list(s.Action).includes("kms:RetireGrant"));
            assert.deepStrictEqual(retire, [{ Sid: "KmsRetireEcrGrants", Effect: "Allow", Action: "kms:RetireGrant", Resource: storageKey }]);
        });

        it("acts on IAM roles only by the stack's names, never by tag, and writes permissions only to roles under the workload boundary", () => {
            const statements = Object.values(attachedDocuments(run, prefix, "deploy")).flatMap((d) => d.Statement);
            const boundary = `arn:aws:iam::${ACCOUNT}:policy/${prefix}-workload-boundary`;
            const roleStatements = statements.filter((s) => s.Effect === "Allow" && list(s.Action).some((a) => /^iam:.*Role/.test(a) && a !== "iam:CreateServiceLinkedRole"));
            assert.ok(roleStatements.length >= 4);
            for (const s of roleStatements) {
                assert.deepStrictEqual(list(s.Resource), [`arn:aws:iam::${ACCOUNT}:role/${prefix}-*`], s.Sid);
                assert.ok(!JSON.stringify(s.Condition ?? {}).includes("aws:ResourceTag") && !JSON.stringify(s.Condition ?? {}).includes("aws:RequestTag"), `${s.Sid} is tag-conditioned`);
            }
            // No Allow anywhere is conditioned on a role's tag, or on tagging a role.
            for (const s of statements.filter((x) => x.Effect === "Allow")) assert.ok(!list(s.Action).some((a) => covers(a, "iam:TagRole")) || list(s.Resource).every((r) => r.endsWith(`role/${prefix}-*`)), s.Sid);
            // Each action that creates a role or changes its permissions carries the boundary condition (IAM documents the key for these).
            for (const action of ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary", "iam:AttachRolePolicy", "iam:DetachRolePolicy"]) {
                const granting = statements.filter((s) => s.Effect === "Allow" && list(s.Action).some((a) => covers(a, action)));
                assert.ok(granting.length > 0, action);
                for (const s of granting) assert.deepStrictEqual(s.Condition?.StringEquals?.["iam:PermissionsBoundary"], boundary, `${s.Sid} grants ${action} without the boundary`);
            }
            const denies = Object.fromEntries(statements.filter((s) => s.Effect === "Deny").map((s) => [s.Sid, s]));
            assert.deepStrictEqual(denies.DenyRemovingBoundaries, { Sid: "DenyRemovingBoundaries", Effect: "Deny", Action: "iam:DeleteRolePermissionsBoundary", Resource: `arn:aws:iam::${ACCOUNT}:role/*` });
            assert.deepStrictEqual(denies.DenyChangingTheBoundary, {
                Sid: "DenyChangingTheBoundary", Effect: "Deny", Action: ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion"], Resource: boundary,
            });
            assert.deepStrictEqual(denies.DenyAssumingRoles, { Sid: "DenyAssumingRoles", Effect: "Deny", Action: ["sts:AssumeRole", "sts:TagSession"], Resource: "*" });
        });

        it("every workload role of the stack has the workload boundary; the boundary policy exists before them", () => {
            const boundary = `arn:aws:iam::${ACCOUNT}:policy/${prefix}-workload-boundary`;
            const policy = run.one(POLICY, "workload-boundary-policy");
            assert.strictEqual(policy.inputs.name, `${prefix}-workload-boundary`);
            const workloads = run.ofType(ROLE).filter((r) => !/^deploy-identity-/.test(r.name));
            // Services' execution and task roles, RDS monitoring, flow logs, the trail's delivery, AWS Backup.
            assert.ok(workloads.length >= 6, workloads.map((r) => r.name).join());
            for (const r of workloads) {
                assert.strictEqual(r.inputs.permissionsBoundary, boundary, r.name);
                const name = r.inputs.name ?? r.inputs.namePrefix;
                assert.ok(typeof name === "string" && name.startsWith(`${prefix}-`), `${r.name} is named ${name}, outside ${prefix}-*`);
            }
            for (const kind of ["deploy", "preview"]) assert.strictEqual(run.one(ROLE, `deploy-identity-${kind}-role`).inputs.permissionsBoundary, undefined);
        });

        it("creates keys, the distribution, certificates and plans with the stack's tag, and administers existing ones only by exact ARN", () => {
            const statements = allows(attachedDocuments(run, prefix, "deploy"));
            for (const s of statements.filter((x) => JSON.stringify(x.Condition ?? {}).includes("aws:ResourceTag"))) {
                assert.ok(!list(s.Action).some((a) => /^(kms|cloudfront|acm|backup|iam):/.test(a)), `${s.Sid} grants ${JSON.stringify(s.Action)} by tag`);
            }
            for (const s of statements.filter((x) => JSON.stringify(x.Condition ?? {}).includes("aws:RequestTag"))) {
                for (const a of list(s.Action)) {
                    assert.ok(["kms:CreateKey", "kms:TagResource", "cloudfront:CreateDistribution", "cloudfront:TagResource", "acm:RequestCertificate", "acm:AddTagsToCertificate",
                        "backup:CreateBackupPlan", "backup:TagResource"].includes(a) || a.startsWith("ec2:"), `${s.Sid}: ${a} on a request tag`);
                }
            }
            const sid = (id: string) => statements.find((s) => s.Sid === id)!;
            const kmsKeys = run.ofType("aws:kms/key:Key").map((k) => k.name);
            assert.deepStrictEqual((list(sid("KmsAdministerStackKeys").Resource)).map((r) => r.replace(/^.*:key\/(.*)-key-id$/, "$1")).sort(), kmsKeys.sort());
            assert.ok(list(sid("KmsAdministerStackKeys").Action).includes("kms:PutKeyPolicy"));
            const putKeyPolicy = statements.filter((s) => list(s.Action).some((a) => covers(a, "kms:PutKeyPolicy")));
            assert.deepStrictEqual(putKeyPolicy.map((s) => s.Sid), ["KmsAdministerStackKeys"]);
            assert.deepStrictEqual(sid("KmsDataKeyThroughSsmAndSecrets"), {
                Sid: "KmsDataKeyThroughSsmAndSecrets", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"], Resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/keys-data-key-id`,
                Condition: { StringEquals: { "kms:ViaService": ["ssm.eu-west-1.amazonaws.com", "secretsmanager.eu-west-1.amazonaws.com"] } },
            });
            assert.strictEqual(list(sid("CloudFrontStackDistribution").Resource).length, 1);
            assert.strictEqual(list(sid("AcmStackCertificates").Resource).length, 2);
            assert.strictEqual(list(sid("BackupStackPlan").Resource).length, 1);
            for (const id of EXACT_ARN_STATEMENTS) for (const r of list(sid(id).Resource)) assert.ok(!r.includes("*"), `${id}: ${r}`);
        });

        it("cannot alter the audit trail, its bucket, its log group or its key's policy", () => {
            const denies = Object.fromEntries(Object.values(attachedDocuments(run, prefix, "deploy")).flatMap((d) => d.Statement).filter((s) => s.Effect === "Deny").map((s) => [s.Sid, s]));
            assert.deepStrictEqual(denies.DenyAlteringTheTrail.Resource, `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/${prefix}-trail`);
            assert.deepStrictEqual(denies.DenyAlteringTheTrail.Action, ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors", "cloudtrail:PutInsightSelectors"]);
            assert.deepStrictEqual(denies.DenyAlteringTheTrailBucket.Resource, `arn:aws:s3:::${prefix}-trail-${ACCOUNT}`);
            for (const a of ["s3:PutBucketPolicy", "s3:DeleteBucketPolicy", "s3:PutLifecycleConfiguration", "s3:PutBucketVersioning", "s3:PutBucketObjectLockConfiguration", "s3:DeleteBucket"]) {
                assert.ok(list(denies.DenyAlteringTheTrailBucket.Action).includes(a), a);
            }
            assert.deepStrictEqual(denies.DenyAlteringTheTrailLogGroup.Resource, [
                `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/cloudtrail/${prefix}`, `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/cloudtrail/${prefix}:*`,
            ]);
            assert.deepStrictEqual(denies.DenyTrailKeyPolicy, { Sid: "DenyTrailKeyPolicy", Effect: "Deny", Action: "kms:PutKeyPolicy", Resource: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/audit-trail-key-key-id` });
        });

        it("reads no webhook subscription, no task definition and only the EC2 describes the network needs", () => {
            for (const kind of ["preview", "deploy"] as const) {
                const actions = allows(attachedDocuments(run, prefix, kind)).flatMap((s) => list(s.Action));
                for (const a of ["ec2:DescribeInstanceAttribute", "ec2:DescribeLaunchTemplateVersions", "ec2:DescribeInstances"]) assert.ok(!actions.some((x) => covers(x, a)), `${kind}: ${a}`);
                assert.ok(!actions.includes("ec2:Describe*"), kind);
                for (const a of ["ec2:DescribeVpcs", "ec2:DescribeSecurityGroupRules", "ec2:DescribeVpcAttribute", "ec2:DescribeManagedPrefixLists"]) assert.ok(actions.includes(a), `${kind}: ${a}`);
            }
            const preview = allows(attachedDocuments(run, prefix, "preview")).flatMap((s) => list(s.Action));
            for (const a of ["sns:ListSubscriptionsByTopic", "sns:GetSubscriptionAttributes", "ecs:DescribeTaskDefinition"]) assert.ok(!preview.some((x) => covers(x, a)), a);
        });

        it("outputs both roles' ARNs", async () => {
            assert.strictEqual(await resolve(run.outputs.deployRoleArn), `arn:aws:iam::${ACCOUNT}:role/${prefix}-deploy`);
            assert.strictEqual(await resolve(run.outputs.previewRoleArn), `arn:aws:iam::${ACCOUNT}:role/${prefix}-preview`);
        });
    });
}

describe("deploy identity: config", function () {
    this.timeout(120_000);
    it("an existing provider's ARN is trusted and no provider is created", async () => {
        const existing = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        const run = await runStack("staging", { "baseline:deploy": { oidcProviderArn: existing } });
        assert.strictEqual(run.ofType(OIDC).length, 0);
        assert.deepStrictEqual(JSON.parse(run.one(ROLE, "deploy-identity-deploy-role").inputs.assumeRolePolicy), trust("repo:acme/pos-api:ref:refs/heads/main", existing));
    });

    it("without a repository (allowed outside prod) there are no roles", async () => {
        const run = await runStack("staging", { "baseline:deploy": null });
        assert.strictEqual(run.ofType(OIDC).length, 0);
        assert.deepStrictEqual(run.ofType(ROLE).filter((r: RecordedResource) => /-(deploy|preview)$/.test(String(r.inputs.name))), []);
        assert.strictEqual(run.outputs.deployRoleArn, undefined);
    });
});
