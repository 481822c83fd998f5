import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { DEFAULT_DENIED_POLICIES, coversEveryRole, deniedEntry, iamNoAdminAttachments, iamNoUsers, iamNoWildcardActions, iamPassRoleScoped, iamRolePoliciesOneWay, passRoleFindings, wildcardFindings } from "../../policies/security/iam";
import { githubIssuer, githubTrustFindings, iamGithubOidcTrust, pinnedRepository } from "../../policies/security/iam-trust";
import { awsManagedPolicyName, conditionValues, parseDocument } from "../../policies/lib/iam-documents";
import { UNKNOWN, UNKNOWN_ARRAY, messages, res, run } from "./helpers";

const doc = (...Statement: Record<string, any>[]) => ({ Version: "2012-10-17", Statement });
const readBucket = { Sid: "Read", Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::shop-assets", "arn:aws:s3:::shop-assets/*"] };
const ecsTrust = JSON.stringify(doc({ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }));
const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

describe("policies: iam", () => {
    describe("iam-no-wildcard-actions", () => {
        it("passes scoped statements, as a JSON string or an object, and wildcards under Deny", async () => {
            const deny = { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } };
            assert.deepStrictEqual(await run(iamNoWildcardActions, res(aws.iam.Policy, { policy: JSON.stringify(doc(readBucket, deny)) })), []);
            assert.deepStrictEqual(await run(iamNoWildcardActions, res(aws.iam.RolePolicy, { role: "shop", policy: doc(readBucket) })), []);
        });
        it('rejects "*" on "*" whether Action is a string or a list, as mandatory', async () => {
            for (const Action of ["*", ["s3:GetObject", "*"]]) {
                const diags = await run(iamNoWildcardActions, res(aws.iam.Policy, { policy: JSON.stringify(doc({ Sid: "Admin", Effect: "Allow", Action, Resource: "*" })) }));
                assert.deepStrictEqual(messages(diags), ['IAM policy must not allow every action on every resource: statement "Admin" allows "*" on "*", expected specific actions on specific resources.']);
                assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            }
        });
        it("rejects service-wide actions, and \"*\" on specific resources, naming statements by Sid or index", async () => {
            const policy = doc(readBucket, { Effect: "Allow", Action: ["s3:*", "S3:GetObject", "dynamodb:*"], Resource: "arn:aws:s3:::shop-assets/*" }, { Effect: "Allow", Action: "*", Resource: "arn:aws:sqs:eu-west-1:123456789012:q" });
            assert.deepStrictEqual(messages(await run(iamNoWildcardActions, res(aws.iam.RolePolicy, { role: "shop", policy }))), [
                'IAM role policy must not allow service-wide actions: statement 1 allows ["s3:*","dynamodb:*"], expected the specific actions needed (or the service in allowedServiceWildcards).',
                'IAM role policy must not allow service-wide actions: statement 2 allows ["*"], expected the specific actions needed (or the service in allowedServiceWildcards).',
            ]);
        });
        it("allows configured service wildcards, but never \"*\"", async () => {
            const policy = JSON.stringify(doc({ Effect: "Allow", Action: ["logs:*", "S3:*"], Resource: "arn:aws:s3:::x" }, { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::x" }));
            assert.deepStrictEqual(messages(await run(iamNoWildcardActions, res(aws.iam.Policy, { policy }), { allowedServiceWildcards: ["logs", "s3"] })), [
                'IAM policy must not allow service-wide actions: statement 1 allows ["*"], expected the specific actions needed (or the service in allowedServiceWildcards).',
            ]);
        });
        it("rejects Allow with NotAction, and \"*\" with NotResource", async () => {
            const policy = doc({ Sid: "AllButIam", Effect: "Allow", NotAction: ["iam:*"], Resource: "*" }, { Sid: "Most", Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::audit/*" });
            assert.deepStrictEqual(messages(await run(iamNoWildcardActions, res(aws.iam.UserPolicy, { user: "ci", policy }))), [
                'IAM user policy must not combine Allow with NotAction: statement "AllButIam" allows every action except ["iam:*"], expected an explicit Action list.',
                'IAM user policy must not allow every action on every resource: statement "Most" allows "*" on every resource except "arn:aws:s3:::audit/*", expected specific actions on specific resources.',
            ]);
        });
        it("checks every inline policy of a role, and group policies", async () => {
            const role = res(aws.iam.Role, { assumeRolePolicy: ecsTrust, inlinePolicies: [{ name: "read", policy: JSON.stringify(doc(readBucket)) }, { name: "ops", policy: JSON.stringify(doc({ Effect: "Allow", Action: "ec2:*", Resource: "*" })) }, {}] });
            assert.deepStrictEqual(messages(await run(iamNoWildcardActions, role)), [
                'IAM role inline policy "ops" must not allow service-wide actions: statement 0 allows ["ec2:*"], expected the specific actions needed (or the service in allowedServiceWildcards).',
            ]);
            const group = res(aws.iam.GroupPolicy, { group: "ops", policy: JSON.stringify(doc({ Effect: "Allow", Action: "*", Resource: "*" })) });
            assert.deepStrictEqual(messages(await run(iamNoWildcardActions, group)), ['IAM group policy must not allow every action on every resource: statement 0 allows "*" on "*", expected specific actions on specific resources.']);
        });
        it("reports an unknown document, or an unknown Action inside one, as unverifiable", async () => {
            const whole = await run(iamNoWildcardActions, res(aws.iam.Policy, { policy: UNKNOWN }));
            assert.strictEqual(whole.length, 1);
            assert.match(whole[0].message, /^Cannot verify during preview that the policy grants no wildcard actions: policy is \(unknown until apply\)/);
            assert.strictEqual(whole[0].enforcementLevel, "advisory");
            const inline = await run(iamNoWildcardActions, res(aws.iam.Role, { assumeRolePolicy: ecsTrust, inlinePolicies: [{ name: "x", policy: doc({ Effect: "Allow", Action: UNKNOWN, Resource: "*" }) }] }));
            assert.strictEqual(inline.length, 1);
            assert.match(inline[0].message, /^Cannot verify during preview that the policy grants no wildcard actions: inlinePolicies\[0\]\.policy\.Statement\[0\]\.Action is \(unknown until apply\)/);
            const element = await run(iamNoWildcardActions, res(aws.iam.Role, { assumeRolePolicy: ecsTrust, inlinePolicies: [UNKNOWN] }));
            assert.strictEqual(element.length, 1);
            assert.match(element[0].message, /^Cannot verify during preview that inline policies grant no wildcard actions: inlinePolicies\[0\] is \(unknown until apply\)/);
        });
        it("rejects a document that is not JSON", async () => {
            assert.deepStrictEqual(messages(await run(iamNoWildcardActions, res(aws.iam.Policy, { policy: "Allow everything" }))), [
                'IAM policy must be a JSON policy document: policy is "Allow everything", expected an object with a Statement list.',
            ]);
        });
        it("reads documents with single values and unknown statements", () => {
            assert.deepStrictEqual(wildcardFindings({ Statement: { Effect: "Allow", Action: "kms:*", Resource: "*" } }, "policy", "P", []), [
                { violation: 'P must not allow service-wide actions: statement 0 allows ["kms:*"], expected the specific actions needed (or the service in allowedServiceWildcards).' },
            ]);
            assert.deepStrictEqual(wildcardFindings({ Statement: UNKNOWN_ARRAY }, "policy", "P", []), [{ unknown: "policy.Statement", value: UNKNOWN_ARRAY }]);
            assert.deepStrictEqual(parseDocument(UNKNOWN), { kind: "unknown" });
            assert.deepStrictEqual(conditionValues({ StringEquals: { "Token.Actions.GithubUserContent.com:AUD": "sts.amazonaws.com" } }, "StringEquals", "token.actions.githubusercontent.com:aud"), ["sts.amazonaws.com"]);
        });
    });

    describe("iam-passrole-scoped", () => {
        const PASS = (label: string, found: string) =>
            `${label} must not allow iam:PassRole on every role: ${found}, expected the ARNs of the roles to pass (or a name prefix the stack owns).`;
        const pass = (Resource: unknown, extra: Record<string, unknown> = {}) => ({ Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource, ...extra });
        it("passes PassRole on named roles or a name prefix, and wildcards under Deny", async () => {
            const policy = doc(pass(["arn:aws:iam::123456789012:role/shop-task", "arn:aws:iam::123456789012:role/shop-*"]), { Effect: "Deny", Action: "iam:PassRole", Resource: "*" }, readBucket);
            assert.deepStrictEqual(await run(iamPassRoleScoped, res(aws.iam.Policy, { policy: JSON.stringify(policy) })), []);
            assert.deepStrictEqual(await run(iamPassRoleScoped, res(aws.iam.Role, { assumeRolePolicy: ecsTrust })), []);
        });
        it('rejects iam:PassRole on "*" and on role/*, as mandatory', async () => {
            const diags = await run(iamPassRoleScoped, [
                res(aws.iam.Policy, { policy: JSON.stringify(doc(pass("*"))) }, { name: "a" }),
                res(aws.iam.RolePolicy, { role: "ci", policy: doc({ Effect: "Allow", Action: ["s3:GetObject", "iam:passrole"], Resource: ["arn:aws:s3:::x/*", "arn:aws:iam::123456789012:role/*"] }) }, { name: "b" }),
            ]);
            assert.deepStrictEqual(messages(diags), [
                PASS("IAM policy", 'statement "Pass" allows "iam:PassRole" on "*"'),
                PASS("IAM role policy", 'statement 0 allows "iam:passrole" on "arn:aws:iam::123456789012:role/*"'),
            ]);
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["mandatory", "mandatory"]);
        });
        it("rejects it with an iam:PassedToService condition too: the condition limits the service, not the role", async () => {
            const policy = doc(pass("arn:aws:iam::*:role/*", { Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } }));
            assert.deepStrictEqual(messages(await run(iamPassRoleScoped, res(aws.iam.UserPolicy, { user: "ci", policy: JSON.stringify(policy) }))), [
                PASS("IAM user policy", 'statement "Pass" allows "iam:PassRole" on "arn:aws:iam::*:role/*" (limiting the service with iam:PassedToService "lambda.amazonaws.com" does not limit the role)'),
            ]);
        });
        it("rejects iam:* and iam:Pass* on every role, NotResource, and role inline policies; leaves \"*\" to iam-no-wildcard-actions", async () => {
            const role = res(aws.iam.Role, {
                assumeRolePolicy: ecsTrust,
                inlinePolicies: [{ name: "deploy", policy: JSON.stringify(doc({ Effect: "Allow", Action: ["iam:Pass*", "iam:*"], Resource: "arn:*:iam::*:*" }, { Effect: "Allow", Action: "iam:PassRole", NotResource: "arn:aws:iam::123456789012:role/admin" }, { Effect: "Allow", Action: "*", Resource: "*" })) }],
            });
            assert.deepStrictEqual(messages(await run(iamPassRoleScoped, role)), [
                PASS('IAM role inline policy "deploy"', 'statement 0 allows ["iam:Pass*","iam:*"] on "arn:*:iam::*:*"'),
                PASS('IAM role inline policy "deploy"', 'statement 1 allows "iam:PassRole" on every resource except "arn:aws:iam::123456789012:role/admin"'),
            ]);
        });
        it("reports an unknown document, Resource or Action as unverifiable", async () => {
            const whole = await run(iamPassRoleScoped, res(aws.iam.Policy, { policy: UNKNOWN }));
            assert.strictEqual(whole.length, 1);
            assert.match(whole[0].message, /^Cannot verify during preview that the policy allows iam:PassRole only on named roles: policy is \(unknown until apply\)/);
            assert.strictEqual(whole[0].enforcementLevel, "advisory");
            const resource = await run(iamPassRoleScoped, res(aws.iam.RolePolicy, { role: "ci", policy: doc(pass(UNKNOWN)) }));
            assert.strictEqual(resource.length, 1);
            assert.match(resource[0].message, /^Cannot verify during preview that the policy allows iam:PassRole only on named roles: policy\.Statement\[0\]\.Resource is \(unknown until apply\)/);
            assert.deepStrictEqual(passRoleFindings(doc({ Effect: "Allow", Action: UNKNOWN, Resource: "*" }), "policy", "P"), [{ unknown: "policy.Statement[0].Action", value: UNKNOWN }]);
            assert.deepStrictEqual(passRoleFindings(doc(pass(["arn:aws:iam::123456789012:role/a", UNKNOWN])), "policy", "P"), [{ unknown: "policy.Statement[0].Resource", value: ["arn:aws:iam::123456789012:role/a", UNKNOWN] }]);
            const inline = await run(iamPassRoleScoped, res(aws.iam.Role, { assumeRolePolicy: ecsTrust, inlinePolicies: UNKNOWN_ARRAY }));
            assert.match(inline[0].message, /^Cannot verify during preview that inline policies allow iam:PassRole only on named roles: inlinePolicies is/);
        });
        it("does not throw on malformed documents and entries", async () => {
            for (const policy of ["not json", "[1,2]", "null", JSON.stringify({ Statement: [null, 1, "x", { Effect: "Allow" }, { Effect: "Allow", Action: "iam:PassRole" }, { Effect: "Allow", Action: "iam:PassRole", Resource: [null, 3] }] })]) {
                assert.deepStrictEqual(await run(iamPassRoleScoped, res(aws.iam.Policy, { policy })), []);
            }
            assert.deepStrictEqual(await run(iamPassRoleScoped, res(aws.iam.Role, { assumeRolePolicy: ecsTrust, inlinePolicies: [null, {}, { policy: 3 }] })), []);
        });
        it("counts a Resource as every role only when it matches any role name", () => {
            assert.deepStrictEqual(["*", "**", "arn:aws:iam::123456789012:role/*", "arn:aws:iam::123456789012:*", "arn:aws-cn:iam::*:role*"].filter((r) => !coversEveryRole(r)), []);
            assert.deepStrictEqual(["arn:aws:iam::123456789012:role/shop-*", "arn:aws:iam::*:role/deploy", "arn:aws:iam::123456789012:role/*/x", "arn:aws:s3:::*x", "role/*"].filter(coversEveryRole), []);
        });
    });

    describe("iam-no-admin-attachments", () => {
        const ADMIN_MESSAGE = (label: string, path: string, arn = ADMIN) =>
            `${label} must not attach AdministratorAccess: ${path} is "${arn}", expected a customer-managed policy with only the permissions needed.`;
        it("passes scoped AWS-managed and customer-managed policies", async () => {
            const attachments = [
                res(aws.iam.RolePolicyAttachment, { role: "shop", policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" }, { name: "exec" }),
                res(aws.iam.PolicyAttachment, { roles: ["shop"], policyArn: "arn:aws:iam::123456789012:policy/AdministratorAccess" }, { name: "own" }),
            ];
            assert.deepStrictEqual(await run(iamNoAdminAttachments, attachments), []);
        });
        it("rejects AdministratorAccess through both attachment tokens and managedPolicyArns, in any partition", async () => {
            const gov = "arn:aws-us-gov:iam::aws:policy/AdministratorAccess";
            const diags = await run(iamNoAdminAttachments, [
                res(aws.iam.RolePolicyAttachment, { role: "shop", policyArn: ADMIN }, { name: "a" }),
                res(aws.iam.PolicyAttachment, { roles: ["shop"], policyArn: gov }, { name: "b" }),
                res(aws.iam.Role, { assumeRolePolicy: ecsTrust, managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", ADMIN] }, { name: "c" }),
            ]);
            assert.deepStrictEqual(messages(diags), [
                ADMIN_MESSAGE("IAM role policy attachment", "policyArn"),
                ADMIN_MESSAGE("IAM policy attachment", "policyArn", gov),
                ADMIN_MESSAGE("IAM role", "managedPolicyArns[1]"),
            ]);
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["mandatory", "mandatory", "mandatory"]);
            assert.deepStrictEqual(diags.map((d) => d.urn?.split("::").pop()), ["a", "b", "c"]);
        });
        it("rejects AdministratorAccess in the exclusive attachment sets of roles, users and groups", async () => {
            const diags = await run(iamNoAdminAttachments, [
                res(aws.iam.RolePolicyAttachmentsExclusive, { roleName: "shop", policyArns: [ADMIN] }, { name: "r" }),
                res(aws.iam.UserPolicyAttachmentsExclusive, { userName: "ci", policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", ADMIN] }, { name: "u" }),
                res(aws.iam.GroupPolicyAttachmentsExclusive, { groupName: "ops", policyArns: [ADMIN] }, { name: "g" }),
            ]);
            assert.deepStrictEqual(messages(diags), [
                ADMIN_MESSAGE("IAM role policy attachments", "policyArns[0]"),
                ADMIN_MESSAGE("IAM user policy attachments", "policyArns[1]"),
                ADMIN_MESSAGE("IAM group policy attachments", "policyArns[0]"),
            ]);
        });
        it("denies PowerUserAccess and full access to sensitive services by default, through every attachment type", async () => {
            const aws_ = (name: string) => `arn:aws:iam::aws:policy/${name}`;
            const diags = await run(iamNoAdminAttachments, [
                res(aws.iam.RolePolicyAttachment, { role: "shop", policyArn: aws_("PowerUserAccess") }, { name: "a" }),
                res(aws.iam.PolicyAttachment, { roles: ["shop"], policyArn: aws_("AmazonS3FullAccess") }, { name: "b" }),
                res(aws.iam.Role, { assumeRolePolicy: ecsTrust, managedPolicyArns: [aws_("SecretsManagerReadWrite"), aws_("AWSLambda_FullAccess")] }, { name: "c" }),
                res(aws.iam.GroupPolicyAttachment, { group: "devs", policyArn: aws_("AmazonRDSFullAccess") }, { name: "d" }),
                res(aws.iam.UserPolicyAttachment, { user: "ci", policyArn: aws_("AWSKeyManagementServicePowerUser") }, { name: "e" }),
                res(aws.iam.RolePolicyAttachment, { role: "shop", policyArn: "arn:aws-us-gov:iam::aws:policy/AmazonEC2FullAccess" }, { name: "f" }),
            ]);
            const msg = (label: string, name: string, path: string, arn = aws_(name)) =>
                `${label} must not attach ${name}: ${path} is "${arn}", expected a customer-managed policy with only the permissions needed.`;
            assert.deepStrictEqual(messages(diags), [
                msg("IAM role policy attachment", "PowerUserAccess", "policyArn"),
                msg("IAM policy attachment", "AmazonS3FullAccess", "policyArn"),
                msg("IAM role", "SecretsManagerReadWrite", "managedPolicyArns[0]"),
                msg("IAM role", "AWSLambda_FullAccess", "managedPolicyArns[1]"),
                msg("IAM group policy attachment", "AmazonRDSFullAccess", "policyArn"),
                msg("IAM user policy attachment", "AWSKeyManagementServicePowerUser", "policyArn"),
                msg("IAM role policy attachment", "AmazonEC2FullAccess", "policyArn", "arn:aws-us-gov:iam::aws:policy/AmazonEC2FullAccess"),
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
            assert.ok(["AdministratorAccess", "IAMFullAccess", "AmazonDynamoDBFullAccess"].every((n) => DEFAULT_DENIED_POLICIES.includes(n)));
        });
        it("passes the AWS service-role policies the stack attaches, and read-only policies, by default", async () => {
            const attached = [
                "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup", "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
                "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup", "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore",
                "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
            ];
            assert.deepStrictEqual(await run(iamNoAdminAttachments, attached.map((policyArn, i) => res(aws.iam.RolePolicyAttachment, { role: "backup", policyArn }, { name: `p${i}` }))), []);
        });
        it("does not throw on malformed attachments", async () => {
            const diags = await run(iamNoAdminAttachments, [
                res(aws.iam.RolePolicyAttachment, { role: "shop", policyArn: 42 }, { name: "a" }),
                res(aws.iam.Role, { assumeRolePolicy: ecsTrust, managedPolicyArns: [null, {}, "not-an-arn"] }, { name: "b" }),
                res(aws.iam.RolePolicyAttachmentsExclusive, { roleName: "shop", policyArns: null }, { name: "c" }),
            ]);
            assert.deepStrictEqual(diags, []);
        });
        it("denies IAMFullAccess by default, and a configured list instead", async () => {
            const iamFull = res(aws.iam.UserPolicyAttachment, { user: "ci", policyArn: "arn:aws:iam::aws:policy/IAMFullAccess" });
            assert.deepStrictEqual(messages(await run(iamNoAdminAttachments, iamFull)), [
                'IAM user policy attachment must not attach IAMFullAccess: policyArn is "arn:aws:iam::aws:policy/IAMFullAccess", expected a customer-managed policy with only the permissions needed.',
            ]);
            const power = res(aws.iam.GroupPolicyAttachment, { group: "devs", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" });
            assert.deepStrictEqual(await run(iamNoAdminAttachments, [iamFull, power], { deniedPolicies: ["PowerUserAccess"] }).then(messages), [
                'IAM group policy attachment must not attach PowerUserAccess: policyArn is "arn:aws:iam::aws:policy/PowerUserAccess", expected a customer-managed policy with only the permissions needed.',
            ]);
        });
        it("trusts unknown ARNs of the stack's own policies, and reports other unknown ARNs as unverifiable", async () => {
            const own = res(aws.iam.Policy, { policy: JSON.stringify(doc(readBucket)) }, { name: "read-assets" });
            const ok = res(aws.iam.RolePolicyAttachment, { role: "shop", policyArn: UNKNOWN }, { name: "ok", propertyDependencies: { policyArn: [own.urn] } });
            assert.deepStrictEqual(await run(iamNoAdminAttachments, [own, ok]), []);
            const unknown = res(aws.iam.RolePolicyAttachment, { role: "shop", policyArn: UNKNOWN }, { name: "from-config" });
            const diags = await run(iamNoAdminAttachments, unknown);
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that no denied managed policy is attached: policyArn is \(unknown until apply\)/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("names denied policies by AWS-managed name or exact ARN", () => {
            assert.strictEqual(awsManagedPolicyName("arn:aws-cn:iam::aws:policy/job-function/ViewOnlyAccess"), "ViewOnlyAccess");
            assert.strictEqual(awsManagedPolicyName("arn:aws:iam::123456789012:policy/AdministratorAccess"), undefined);
            assert.strictEqual(deniedEntry("arn:aws:iam::123456789012:policy/legacy-admin", ["arn:aws:iam::123456789012:policy/legacy-admin"]), "arn:aws:iam::123456789012:policy/legacy-admin");
            assert.strictEqual(deniedEntry("arn:aws:iam::123456789012:policy/AdministratorAccess", ["AdministratorAccess"]), undefined);
        });
    });

    describe("iam-github-oidc-trust", () => {
        const trust = (Condition: unknown, extra: Record<string, any> = {}) =>
            JSON.stringify(doc({ Sid: "GitHub", Effect: "Allow", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity", Condition, ...extra }));
        const AUD = { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" };
        const SUB_MESSAGE = (found: string) =>
            `IAM role trusting GitHub OIDC must pin the subject to one repository: statement "GitHub" ${found}, expected StringEquals or StringLike "repo:<owner>/<repo>:<ref or environment>" without wildcards in owner or repo.`;
        it("passes aud plus a sub pinned to one repository, and roles that do not trust GitHub", async () => {
            const pinned = trust({ StringEquals: AUD, StringLike: { "token.actions.githubusercontent.com:sub": ["repo:acme/shop:ref:refs/heads/main", "repo:acme/shop:environment:*"] } });
            assert.deepStrictEqual(await run(iamGithubOidcTrust, res(aws.iam.Role, { assumeRolePolicy: pinned })), []);
            assert.deepStrictEqual(await run(iamGithubOidcTrust, res(aws.iam.Role, { assumeRolePolicy: ecsTrust })), []);
        });
        it("rejects a trust without conditions, as mandatory", async () => {
            const diags = await run(iamGithubOidcTrust, res(aws.iam.Role, { assumeRolePolicy: trust(undefined) }));
            assert.deepStrictEqual(messages(diags), [
                'IAM role trusting GitHub OIDC must require the sts.amazonaws.com audience: statement "GitHub" does not check token.actions.githubusercontent.com:aud, expected StringEquals "sts.amazonaws.com".',
                SUB_MESSAGE("does not check token.actions.githubusercontent.com:sub"),
            ]);
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["mandatory", "mandatory"]);
        });
        it("rejects wildcard owners or repositories, and subjects spanning repositories", async () => {
            const cases: [unknown, string][] = [
                ["repo:*", 'allows token.actions.githubusercontent.com:sub "repo:*"'],
                ["*", 'allows token.actions.githubusercontent.com:sub "*"'],
                ["repo:acme/*:ref:refs/heads/main", 'allows token.actions.githubusercontent.com:sub "repo:acme/*:ref:refs/heads/main"'],
                [["repo:acme/shop:*", "repo:acme/billing:*"], 'allows token.actions.githubusercontent.com:sub ["repo:acme/shop:*","repo:acme/billing:*"]'],
            ];
            for (const [sub, found] of cases) {
                const policy = trust({ StringEquals: AUD, StringLike: { "token.actions.githubusercontent.com:sub": sub } });
                assert.deepStrictEqual(messages(await run(iamGithubOidcTrust, res(aws.iam.Role, { assumeRolePolicy: policy }))), [SUB_MESSAGE(found)]);
            }
        });
        it("rejects a wrong audience", async () => {
            const policy = trust({ StringLike: { "token.actions.githubusercontent.com:aud": "*", "token.actions.githubusercontent.com:sub": "repo:acme/shop:*" } });
            assert.deepStrictEqual(messages(await run(iamGithubOidcTrust, res(aws.iam.Role, { assumeRolePolicy: policy }))), [
                'IAM role trusting GitHub OIDC must require the sts.amazonaws.com audience: statement "GitHub" checks token.actions.githubusercontent.com:aud "*", expected StringEquals "sts.amazonaws.com".',
            ]);
        });
        it("recognises GitHub by its condition keys when the provider ARN is unknown (object document)", async () => {
            const policy = doc({ Sid: "GitHub", Effect: "Allow", Principal: { Federated: UNKNOWN }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: AUD, StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } } });
            assert.deepStrictEqual(messages(await run(iamGithubOidcTrust, res(aws.iam.Role, { assumeRolePolicy: policy }))), [SUB_MESSAGE('allows token.actions.githubusercontent.com:sub "repo:*"')]);
        });
        it("reports an unknown trust document, or an unknown federated principal without GitHub keys, as unverifiable", async () => {
            const whole = await run(iamGithubOidcTrust, res(aws.iam.Role, { assumeRolePolicy: UNKNOWN }));
            assert.strictEqual(whole.length, 1);
            assert.match(whole[0].message, /^Cannot verify during preview that a GitHub OIDC trust requires the audience and pins the repository: assumeRolePolicy is \(unknown until apply\)/);
            const principal = doc({ Effect: "Allow", Principal: { Federated: UNKNOWN }, Action: "sts:AssumeRoleWithWebIdentity" });
            assert.deepStrictEqual(githubTrustFindings(principal), [{ unknown: "assumeRolePolicy.Statement[0].Principal", value: { Federated: UNKNOWN } }]);
            assert.deepStrictEqual(githubTrustFindings({ Version: "2012-10-17", Statement: UNKNOWN_ARRAY }), [{ unknown: "assumeRolePolicy.Statement", value: UNKNOWN_ARRAY }]);
        });
        it("treats an enterprise's unique issuer (token.actions.githubusercontent.com/<enterprise>) as GitHub, with its own condition keys", async () => {
            const ENT = "token.actions.githubusercontent.com/acme-corp";
            const entTrust = (Condition: unknown, Federated: unknown = `arn:aws:iam::123456789012:oidc-provider/${ENT}`) =>
                JSON.stringify(doc({ Sid: "GitHub", Effect: "Allow", Principal: { Federated }, Action: "sts:AssumeRoleWithWebIdentity", Condition }));
            const pinned = entTrust({ StringEquals: { [`${ENT}:aud`]: "sts.amazonaws.com", [`${ENT}:sub`]: "repo:acme-corp/shop:environment:prod" } });
            assert.deepStrictEqual(await run(iamGithubOidcTrust, res(aws.iam.Role, { assumeRolePolicy: pinned })), []);
            const wide = entTrust({ StringEquals: { [`${ENT}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${ENT}:sub`]: "repo:acme-corp/*" } });
            assert.deepStrictEqual(messages(await run(iamGithubOidcTrust, res(aws.iam.Role, { assumeRolePolicy: wide }))), [
                `IAM role trusting GitHub OIDC must pin the subject to one repository: statement "GitHub" allows ${ENT}:sub "repo:acme-corp/*", expected StringEquals or StringLike "repo:<owner>/<repo>:<ref or environment>" without wildcards in owner or repo.`,
            ]);
            // The github.com keys do not apply to the enterprise issuer's tokens: a sub pinned under the wrong key pins nothing.
            const wrongKeys = entTrust({ StringEquals: AUD, StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme-corp/shop:*" } });
            const diags = await run(iamGithubOidcTrust, res(aws.iam.Role, { assumeRolePolicy: wrongKeys }));
            assert.deepStrictEqual(messages(diags), [
                `IAM role trusting GitHub OIDC must require the sts.amazonaws.com audience: statement "GitHub" does not check ${ENT}:aud, expected StringEquals "sts.amazonaws.com".`,
                SUB_MESSAGE(`does not check ${ENT}:sub`),
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
            // Provider ARN unknown during preview: recognised by the enterprise keys.
            const byKeys = doc({ Sid: "GitHub", Effect: "Allow", Principal: { Federated: UNKNOWN }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [`${ENT}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${ENT}:sub`]: "*" } } });
            assert.deepStrictEqual(messages(await run(iamGithubOidcTrust, res(aws.iam.Role, { assumeRolePolicy: byKeys }))), [
                `IAM role trusting GitHub OIDC must pin the subject to one repository: statement "GitHub" allows ${ENT}:sub "*", expected StringEquals or StringLike "repo:<owner>/<repo>:<ref or environment>" without wildcards in owner or repo.`,
            ]);
            const Condition = { StringEquals: { [`${ENT}:aud`]: "sts.amazonaws.com", [`${ENT}:sub`]: UNKNOWN } };
            const unknownSub = doc({ Effect: "Allow", Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${ENT}` }, Action: "sts:AssumeRoleWithWebIdentity", Condition });
            assert.deepStrictEqual(githubTrustFindings(unknownSub), [{ unknown: "assumeRolePolicy.Statement[0].Condition", value: Condition }]);
        });
        it("names the issuer from the provider ARN or the condition keys, and ignores look-alikes", () => {
            assert.strictEqual(githubIssuer(["arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com"], undefined), "token.actions.githubusercontent.com");
            assert.strictEqual(githubIssuer(["arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com/Acme"], undefined), "token.actions.githubusercontent.com/Acme");
            assert.strictEqual(githubIssuer([UNKNOWN], { StringLike: { "Token.Actions.GithubUserContent.com/acme:sub": "x" } }), "Token.Actions.GithubUserContent.com/acme");
            const none = [
                githubIssuer(["arn:aws:iam::1:oidc-provider/evil.example/token.actions.githubusercontent.com"], undefined),
                githubIssuer(["arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com.evil.example"], undefined),
                githubIssuer([], { StringEquals: null, StringLike: "x", Bool: { "aws:SecureTransport": "true" } }),
                githubIssuer([null, 3], [1]),
            ];
            assert.deepStrictEqual(none, [undefined, undefined, undefined, undefined]);
        });
        it("does not throw on malformed trust documents", () => {
            for (const d of [null, 3, "[]", "{", { Statement: [null, "x", { Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity", Principal: null, Condition: null }] }, { Statement: { Effect: "Allow", Action: "sts:AssumeRoleWithWebIdentity", Principal: { Federated: "arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com/acme" }, Condition: { StringEquals: null } } }]) {
                assert.doesNotThrow(() => githubTrustFindings(d));
            }
        });
        it("pins a subject list only to a single repository", () => {
            assert.strictEqual(pinnedRepository(["repo:Acme/Shop:ref:refs/heads/main", "repo:acme/shop:pull_request"]), "acme/shop");
            assert.deepStrictEqual([[], ["repo:acme/shop"], ["repo:acme?/shop:x"], [UNKNOWN]].map(pinnedRepository), [undefined, undefined, undefined, undefined]);
        });
    });

    describe("iam-role-policies-one-way", () => {
        const role = (props: Record<string, any>) => res(aws.iam.Role, { assumeRolePolicy: ecsTrust, ...props }, { name: "shop-task" });
        const rolePolicy = (roleUrn: string, name = "extra") => res(aws.iam.RolePolicy, { role: UNKNOWN, policy: JSON.stringify(doc(readBucket)) }, { name, propertyDependencies: { role: [roleUrn] } });
        it("passes a role managed only by standalone resources, or only on the role", async () => {
            const bare = role({});
            const attachment = res(aws.iam.RolePolicyAttachment, { role: UNKNOWN, policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }, { name: "ro", propertyDependencies: { role: [bare.urn] } });
            assert.deepStrictEqual(await run(iamRolePoliciesOneWay, [bare, rolePolicy(bare.urn), attachment]), []);
            assert.deepStrictEqual(await run(iamRolePoliciesOneWay, [role({ inlinePolicies: [{ name: "read", policy: "{}" }], managedPolicyArns: [] })]), []);
        });
        it("rejects inline policies on the role plus a RolePolicy joined by dependency, as mandatory", async () => {
            const r = role({ inlinePolicies: [{ name: "read", policy: "{}" }] });
            const diags = await run(iamRolePoliciesOneWay, [r, rolePolicy(r.urn), rolePolicy(r.urn, "more")]);
            assert.deepStrictEqual(messages(diags), [
                'IAM role must have its inline policies managed one way: inlinePolicies is set on the role and RolePolicy "extra", RolePolicy "more" also manage them, expected either inlinePolicies or standalone resources.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.strictEqual(diags[0].urn, r.urn);
        });
        it("counts the exclusive resources (RolePoliciesExclusive, RolePolicyAttachmentsExclusive) as standalone managers", async () => {
            const r = role({ name: "shop-task", inlinePolicies: [{ name: "read", policy: "{}" }], managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] });
            const inline = res(aws.iam.RolePoliciesExclusive, { roleName: "shop-task", policyNames: ["read"] }, { name: "inline-set" });
            const attached = res(aws.iam.RolePolicyAttachmentsExclusive, { roleName: "shop-task", policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }, { name: "attached-set" });
            assert.deepStrictEqual(messages(await run(iamRolePoliciesOneWay, [r, inline, attached])), [
                'IAM role must have its inline policies managed one way: inlinePolicies is set on the role and RolePoliciesExclusive "inline-set" also manages them, expected either inlinePolicies or standalone resources.',
                'IAM role must have its managed policy attachments managed one way: managedPolicyArns is set on the role and RolePolicyAttachmentsExclusive "attached-set" also manages them, expected either managedPolicyArns or standalone resources.',
            ]);
        });
        it("rejects managedPolicyArns (even unknown) plus attachments joined by known name, through both attachment tokens", async () => {
            const r = role({ name: "shop-task", managedPolicyArns: UNKNOWN_ARRAY });
            const a = res(aws.iam.RolePolicyAttachment, { role: "shop-task", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }, { name: "ro" });
            const b = res(aws.iam.PolicyAttachment, { roles: ["other", "shop-task"], policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }, { name: "shared" });
            assert.deepStrictEqual(messages(await run(iamRolePoliciesOneWay, [r, a, b])), [
                'IAM role must have its managed policy attachments managed one way: managedPolicyArns is set on the role and RolePolicyAttachment "ro", PolicyAttachment "shared" also manage them, expected either managedPolicyArns or standalone resources.',
            ]);
        });
        it("does not join attachments of other roles", async () => {
            const r = role({ name: "shop-task", managedPolicyArns: [] });
            const other = res(aws.iam.RolePolicyAttachment, { role: "billing-task", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }, { name: "ro" });
            assert.deepStrictEqual(await run(iamRolePoliciesOneWay, [r, other]), []);
        });
    });

    describe("iam-no-users", () => {
        it("passes roles", async () => {
            assert.deepStrictEqual(await run(iamNoUsers, res(aws.iam.Role, { assumeRolePolicy: ecsTrust })), []);
        });
        it("rejects users, access keys and login profiles, as mandatory", async () => {
            const diags = await run(iamNoUsers, [
                res(aws.iam.User, {}, { name: "deployer" }),
                res(aws.iam.AccessKey, { user: "deployer" }, { name: "deployer-key" }),
                res(aws.iam.UserLoginProfile, { user: UNKNOWN }, { name: "deployer-console" }),
            ]);
            assert.deepStrictEqual(messages(diags), [
                'IAM user must not be created by the stack: found user "deployer", expected roles assumed through IAM Identity Center or OIDC federation.',
                'IAM access key must not be created by the stack: found a long-lived key for user "deployer", expected temporary credentials from an assumed role.',
                "IAM login profile must not be created by the stack: found a console password for user (unknown until apply), expected console access through IAM Identity Center.",
            ]);
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["mandatory", "mandatory", "mandatory"]);
        });
        it("downgrades an exempted break-glass user to advisory, with its reason", async () => {
            const diags = await run(iamNoUsers, [res(aws.iam.User, { name: "break-glass" }, { name: "break-glass" }), res(aws.iam.User, {}, { name: "ci" })], {
                exemptions: [{ resource: "urn:pulumi:*::aws:iam/user:User::break-glass", reason: "break-glass access, MFA enforced, alarmed on use" }],
            });
            assert.deepStrictEqual(messages(diags), [
                'Exempted (break-glass access, MFA enforced, alarmed on use): IAM user must not be created by the stack: found user "break-glass", expected roles assumed through IAM Identity Center or OIDC federation.',
                'IAM user must not be created by the stack: found user "ci", expected roles assumed through IAM Identity Center or OIDC federation.',
            ]);
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["advisory", "mandatory"]);
        });
    });
});
