import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { ecrRepositoryNotPublic } from "../../policies/compute/ecr";
import { iamTrustNotPublic } from "../../policies/security/iam-trust";
import { UNKNOWN, messages, res, run } from "./helpers";

const trust = (statement: Record<string, unknown>) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", ...statement }] });
const TRUST_MESSAGE = (where: string) =>
    `IAM role must not be assumable by any AWS account: assumeRolePolicy ${where} allows the "*" principal without a condition confining the caller, expected named principals or an aws:PrincipalOrgID/aws:PrincipalAccount condition.`;

describe("policies: public principals (beyond the catalogue)", () => {
    describe("iam-trust-not-public", () => {
        it("passes a service principal and a named account", async () => {
            assert.deepStrictEqual(await run(iamTrustNotPublic, res(aws.iam.Role, { assumeRolePolicy: trust({ Principal: { Service: "ecs-tasks.amazonaws.com" } }) })), []);
            assert.deepStrictEqual(await run(iamTrustNotPublic, res(aws.iam.Role, { assumeRolePolicy: trust({ Principal: { AWS: "arn:aws:iam::111122223333:root" } }) })), []);
        });
        for (const [what, principal] of [["\"*\"", "*"], ["{AWS: \"*\"}", { AWS: "*" }], ["\"*\" among AWS principals", { AWS: ["arn:aws:iam::111122223333:root", "*"] }]] as const) {
            it(`rejects ${what} without a condition`, async () => {
                assert.deepStrictEqual(messages(await run(iamTrustNotPublic, res(aws.iam.Role, { assumeRolePolicy: trust({ Principal: principal }) }))), [TRUST_MESSAGE("statement 0")]);
            });
        }
        it("rejects NotPrincipal, and an ExternalId alone (it does not confine the account)", async () => {
            assert.deepStrictEqual(messages(await run(iamTrustNotPublic, res(aws.iam.Role, { assumeRolePolicy: trust({ Sid: "Not", NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" } }) }))), [TRUST_MESSAGE('statement "Not"')]);
            const externalId = trust({ Principal: { AWS: "*" }, Condition: { StringEquals: { "sts:ExternalId": "abc" } } });
            assert.deepStrictEqual(messages(await run(iamTrustNotPublic, res(aws.iam.Role, { assumeRolePolicy: externalId }))), [TRUST_MESSAGE("statement 0")]);
        });
        it("passes \"*\" confined to the organization, but not to a wildcard organization", async () => {
            const org = (v: string) => trust({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": v } } });
            assert.deepStrictEqual(await run(iamTrustNotPublic, res(aws.iam.Role, { assumeRolePolicy: org("o-abc123") })), []);
            assert.deepStrictEqual(messages(await run(iamTrustNotPublic, res(aws.iam.Role, { assumeRolePolicy: org("o-*") }))), [TRUST_MESSAGE("statement 0")]);
        });
        it("does not take ForAllValues for confining: it holds when the request has no such key, so any account passes", async () => {
            const anyAccount = trust({ Principal: "*", Condition: { "ForAllValues:StringEquals": { "aws:PrincipalOrgID": ["o-abc123"] } } });
            assert.deepStrictEqual(messages(await run(iamTrustNotPublic, res(aws.iam.Role, { assumeRolePolicy: anyAccount }))), [TRUST_MESSAGE("statement 0")]);
            const orgOrNone = trust({ Principal: "*", Condition: { "ForAnyValue:StringEquals": { "aws:PrincipalOrgID": ["o-abc123"] } } });
            assert.deepStrictEqual(await run(iamTrustNotPublic, res(aws.iam.Role, { assumeRolePolicy: orgOrNone })), []);
        });
        for (const key of ["aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID"]) {
            it(`passes "*" confined by ${key} pinned to exact values`, async () => {
                const confined = trust({ Principal: "*", Condition: { StringEquals: { [key]: ["111122223333"] } } });
                assert.deepStrictEqual(await run(iamTrustNotPublic, res(aws.iam.Role, { assumeRolePolicy: confined })), []);
            });
        }
        it("takes a confining value unknown during preview as exact (another resource's id), but not an unknown value under a key that cannot confine", async () => {
            const doc = (condition: unknown) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: "*", Condition: condition }] });
            assert.deepStrictEqual(await run(iamTrustNotPublic, res(aws.iam.Role, { assumeRolePolicy: doc({ StringEquals: { "aws:PrincipalOrgID": UNKNOWN } }) })), []);
            const open = await run(iamTrustNotPublic, res(aws.iam.Role, { assumeRolePolicy: doc({ StringEquals: { "aws:UserAgent": UNKNOWN } }) }));
            assert.deepStrictEqual(open.map((d) => [d.enforcementLevel, messages([d])[0]]), [["mandatory", TRUST_MESSAGE("statement 0")]]);
        });
        it("reports a principal unknown during preview as unverifiable", async () => {
            for (const principal of [UNKNOWN, { AWS: UNKNOWN }]) {
                const diags = await run(iamTrustNotPublic, res(aws.iam.Role, { assumeRolePolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: principal }] } }));
                assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["advisory"]);
                assert.match(messages(diags)[0], /^Cannot verify during preview that the role cannot be assumed by any AWS account: assumeRolePolicy\.Statement\[0\]\.Principal is /);
            }
        });
        it("reports a statement list unknown during preview as unverifiable", async () => {
            const diags = await run(iamTrustNotPublic, res(aws.iam.Role, { assumeRolePolicy: { Version: "2012-10-17", Statement: UNKNOWN } }));
            // (The message shows the value as "(unset)": openToAnyone does not pass the unknown value on.)
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["advisory"]);
            assert.match(messages(diags)[0], /^Cannot verify during preview that the role cannot be assumed by any AWS account: assumeRolePolicy\.Statement is /);
        });
        it("says so instead of passing when the trust policy is unknown during preview", async () => {
            const diags = await run(iamTrustNotPublic, res(aws.iam.Role, { assumeRolePolicy: UNKNOWN }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that the role cannot be assumed by any AWS account: assumeRolePolicy is \(unknown until apply\)/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("ecr-repository-not-public", () => {
        const policy = (principal: unknown, condition?: unknown) =>
            JSON.stringify({ Statement: [{ Sid: "Pull", Effect: "Allow", Principal: principal, Action: ["ecr:BatchGetImage"], ...(condition ? { Condition: condition } : {}) }] });
        it("passes named accounts and an organization condition", async () => {
            assert.deepStrictEqual(await run(ecrRepositoryNotPublic, res(aws.ecr.RepositoryPolicy, { repository: "app", policy: policy({ AWS: "arn:aws:iam::111122223333:root" }) })), []);
            assert.deepStrictEqual(await run(ecrRepositoryNotPublic, res(aws.ecr.RepositoryPolicy, { repository: "app", policy: policy("*", { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } }) })), []);
        });
        it("rejects a repository open to every account, as mandatory", async () => {
            const diags = await run(ecrRepositoryNotPublic, res(aws.ecr.RepositoryPolicy, { repository: "app", policy: policy({ AWS: "*" }) }));
            assert.deepStrictEqual(messages(diags), [
                'ECR repository policy must not be open to every AWS account: policy statement "Pull" allows the "*" principal without a condition confining the caller, expected named principals or an aws:PrincipalOrgID/aws:PrincipalAccount condition.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
    });
});
