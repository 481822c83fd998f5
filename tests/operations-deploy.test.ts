import * as assert from "assert";
import { DeployIdentityArgs, checkPolicySize, externalSecretNames, validateDeployIdentityArgs } from "../infra/operations/deploy-identity";
import {
    DeployPolicyContext, Document, IAM_LIMITS, STAR_ONLY_ACTIONS, Statement, TYPE_SCOPED_STATEMENTS, githubSubject, githubTrustPolicy, policySize,
} from "../infra/operations/deploy-policies";
import { DEPLOY_POLICY_AREAS, deployPolicyDocuments } from "../infra/operations/deploy-policy-statements";
import { PREVIEW_POLICY_AREAS, READ_ONLY_NAMED, READ_ONLY_VERBS, SECRET_READING_ACTIONS, previewPolicyDocuments } from "../infra/operations/preview-policy-statements";
import { githubTrustFindings, wildcardFindings } from "../policies/iam";
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
    return undefined;
}

const CONTEXT: DeployPolicyContext = {
    partition: "aws", accountId: ACCOUNT, region: "eu-west-1", cloudFrontRegion: "us-east-1", backupCopyRegion: "eu-central-1", namePrefix: "pos-prod", app: "pos", environment: "prod",
    stackTag: { key: "Stack", value: "pos-prod" }, hostedZoneId: "Z0123456789MOCKZONE", domainName: "pos.example.com", vpcId: "vpc-1", storageKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k`,
    externalSecretNames: ["shared/api-key"], protect: true,
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
            assert.deepStrictEqual(passRole.map((s) => s.Sid), ["IamPassStackRolesToTheirServices", "IamPassTaggedRolesToTheirServices"]);
            for (const s of passRole) {
                assert.deepStrictEqual(s.Condition!.StringEquals["iam:PassedToService"], [
                    "ecs-tasks.amazonaws.com", "monitoring.rds.amazonaws.com", "vpc-flow-logs.amazonaws.com", "backup.amazonaws.com", "cloudtrail.amazonaws.com",
                ]);
            }
            const attach = statements.filter((s) => s.Effect === "Allow" && list(s.Action).includes("iam:AttachRolePolicy"));
            assert.strictEqual(attach.length, 1);
            assert.ok((attach[0].Condition!.ArnEquals["iam:PolicyARN"] as string[]).every((p) => p.startsWith("arn:aws:iam::aws:policy/")));
            const deny = statements.find((s) => s.Effect === "Deny")!;
            assert.deepStrictEqual(deny.Resource, [
                `arn:aws:iam::${ACCOUNT}:role/${prefix}-deploy`, `arn:aws:iam::${ACCOUNT}:role/${prefix}-preview`,
                `arn:aws:iam::${ACCOUNT}:policy/${prefix}-deploy-*`, `arn:aws:iam::${ACCOUNT}:policy/${prefix}-preview-*`,
            ]);
            for (const a of ["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy", "iam:CreatePolicyVersion"]) assert.ok(list(deny.Action).includes(a), a);
            // The workflow never reads RDS-managed secrets' values, never stops the trail, never lifts the vault lock.
            const allowed = allows(docs);
            for (const a of ["cloudtrail:StopLogging", "backup:DeleteBackupVaultLockConfiguration", "backup:DeleteBackupVaultAccessPolicy", "kms:ScheduleKeyDeletion", "kms:Decrypt"]) {
                assert.ok(!allowed.some((s) => list(s.Action).some((x) => covers(x, a))), a);
            }
            const readsValues = allowed.filter((s) => list(s.Action).includes("secretsmanager:GetSecretValue"));
            assert.deepStrictEqual(readsValues.map((s) => s.Resource), [[`arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:${prefix}-*`, `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:pos/${stack}/*`]]);
        });

        it("empties buckets and deletes the trail and the vault only where resources are not protected", () => {
            const actions = allows(attachedDocuments(run, prefix, "deploy")).flatMap((s) => list(s.Action));
            for (const a of ["s3:DeleteObject", "s3:DeleteObjectVersion", "cloudtrail:DeleteTrail", "backup:DeleteBackupVault"]) assert.strictEqual(actions.includes(a), stack === "staging", a);
            // ECR's grants on the storage key are retired on a repository's deletion, on that key only.
            const retire = allows(attachedDocuments(run, prefix, "deploy")).filter((s) => list(s.Action).includes("kms:RetireGrant"));
            assert.deepStrictEqual(retire, [{ Sid: "KmsRetireEcrGrants", Effect: "Allow", Action: "kms:RetireGrant", Resource: storageKey }]);
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
