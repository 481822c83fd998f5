import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { eksControlPlaneLogging, eksEndpointRestricted, eksPolicies, eksSecretsEncrypted, eksSupportedVersion } from "../../policies/compute/eks";
import { opensearchAccessPolicyNotPublic, opensearchFineGrainedAccess, opensearchHttpsTls12, opensearchInVpc, opensearchPolicies } from "../../policies/data/opensearch";
import { redshiftAuditLogging, redshiftEncrypted, redshiftNotPublic, redshiftPolicies, redshiftRequireSsl } from "../../policies/data/redshift";
import { UNKNOWN, messages, res, run } from "./helpers";

/**
 * Ways around the platform policies (EKS, OpenSearch/Elasticsearch, Redshift): other spellings of the
 * internet and of `*`, other type tokens of the same service, conditions that do not narrow, values
 * listed twice, case games. Each must still be reported.
 */

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const eks = (props: Record<string, any>) =>
    res(aws.eks.Cluster, { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-a"], endpointPublicAccess: false }, ...props }, { name: "platform" });

const ROLE_ARN = "arn:aws:iam::123456789012:role/search-writer";
const publicDomain = (accessPolicies: unknown, type: Function = aws.opensearch.Domain) =>
    res(type, {
        domainName: "search", encryptAtRest: { enabled: true }, nodeToNodeEncryption: { enabled: true },
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" },
        advancedSecurityOptions: { enabled: true }, accessPolicies,
    }, { name: "search" });
const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const stmt = (extra: Record<string, unknown>) => ({ Effect: "Allow", Action: "es:*", Resource: "*", Principal: "*", ...extra });

describe("bypass: platforms", () => {
    describe("eks-endpoint-restricted", () => {
        it("rejects the internet however spelt: two /1 halves, ::/0, a zero-length prefix with padding", async () => {
            for (const cidrs of [["0.0.0.0/1", "128.0.0.0/1"], ["::/0"], ["0.0.0.0/00"], [" 0.0.0.0/0 "], ["2000::/3"]]) {
                const diags = await run(eksEndpointRestricted, eks({ vpcConfig: { subnetIds: ["subnet-a"], endpointPublicAccess: true, publicAccessCidrs: cidrs } }));
                assert.ok(diags.length >= 1 && diags.every((d) => d.enforcementLevel === "mandatory"), JSON.stringify(cidrs));
            }
        });
        it("treats a public flag left out but private access on as public (EKS defaults public access to true)", async () => {
            const diags = await run(eksEndpointRestricted, eks({ vpcConfig: { subnetIds: ["subnet-a"], endpointPrivateAccess: true } }));
            assert.strictEqual(diags.length, 1);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
    });

    describe("eks-secrets-encrypted, eks-control-plane-logging, eks-supported-version", () => {
        it("does not count other spellings of the names EKS accepts exactly (Secrets, AUDIT)", async () => {
            assert.strictEqual((await run(eksSecretsEncrypted, eks({ encryptionConfig: { resources: ["Secrets"], provider: { keyArn: KEY_ARN } } }))).length, 1);
            assert.strictEqual((await run(eksControlPlaneLogging, eks({ enabledClusterLogTypes: ["AUDIT", "Authenticator"] }))).length, 1);
        });
        it("does not read a version with a prefix or patch level as current", async () => {
            for (const version of ["v1.34", "1.34.1", "1.3"]) assert.strictEqual((await run(eksSupportedVersion, eks({ version }))).length, 1, version);
        });
    });

    describe("opensearch-access-policy-not-public", () => {
        it("rejects every spelling of the * principal on a public domain: \"*\", {AWS:\"*\"}, {AWS:[\"*\"]}, NotPrincipal", async () => {
            for (const extra of [{ Principal: "*" }, { Principal: { AWS: "*" } }, { Principal: { AWS: [ROLE_ARN, "*"] } }, { Principal: undefined, NotPrincipal: { AWS: ROLE_ARN } }]) {
                const diags = await run(opensearchAccessPolicyNotPublic, publicDomain(doc(stmt(extra))));
                assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["mandatory"], JSON.stringify(extra));
            }
        });
        it("rejects conditions that do not narrow: the internet as a source IP, IfExists, negation, wildcards, unrelated keys", async () => {
            const conditions = [
                { IpAddress: { "aws:SourceIp": ["0.0.0.0/0"] } },
                { IpAddress: { "aws:SourceIp": ["203.0.113.0/24", "::/0"] } },
                { IpAddressIfExists: { "aws:SourceIp": "203.0.113.0/24" } },
                { NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
                { StringLike: { "aws:SourceVpc": "vpc-*" } },
                { StringEquals: { "aws:SourceVpce": "vpce-*" } },
                { StringEquals: { "aws:UserAgent": "my-app" } },
                { StringNotEquals: { "aws:PrincipalOrgID": "o-abc" } },
            ];
            for (const Condition of conditions) {
                assert.strictEqual((await run(opensearchAccessPolicyNotPublic, publicDomain(doc(stmt({ Condition }))))).length, 1, JSON.stringify(Condition));
            }
        });
        it("accepts a narrowing key in any case (IAM condition keys are case-insensitive)", async () => {
            assert.deepStrictEqual(await run(opensearchAccessPolicyNotPublic, publicDomain(doc(stmt({ Condition: { IpAddress: { "AWS:SOURCEIP": "203.0.113.0/24" } } })))), []);
        });
        it("reads a single statement object, and a policy document given as an object (Elasticsearch's PolicyDocument)", async () => {
            const single = JSON.stringify({ Version: "2012-10-17", Statement: stmt({}) });
            assert.strictEqual((await run(opensearchAccessPolicyNotPublic, publicDomain(single))).length, 1);
            const asObject = { Version: "2012-10-17", Statement: [stmt({ Principal: { AWS: ["*"] } })] };
            assert.strictEqual((await run(opensearchAccessPolicyNotPublic, publicDomain(asObject, aws.elasticsearch.Domain))).length, 1);
        });
        it("joins a DomainPolicy of the other type token (elasticsearch) to an OpenSearch domain by name", async () => {
            const policy = res(aws.elasticsearch.DomainPolicy, { domainName: "search", accessPolicies: doc(stmt({})) }, { name: "legacy-policy" });
            const diags = await run(opensearchAccessPolicyNotPublic, [publicDomain(undefined), policy]);
            assert.deepStrictEqual(messages(diags).map((m) => m.split(":")[0]), ["OpenSearch domain policy must not be open to everyone"]);
            assert.match(diags[0].message, /the domain is public/);
        });
        it("does not accept an open policy on a VPC domain whose fine-grained access control lets anonymous users in", async () => {
            const d = res(aws.opensearch.Domain, { domainName: "search", vpcOptions: { subnetIds: ["subnet-a"] }, advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: true }, accessPolicies: doc(stmt({})) });
            assert.strictEqual((await run(opensearchAccessPolicyNotPublic, d)).length, 1);
        });
    });

    describe("opensearch domain settings", () => {
        it("does not take a subnet-less vpcOptions (security groups only) as a VPC domain", async () => {
            assert.strictEqual((await run(opensearchInVpc, publicDomain(undefined))).length, 1);
            assert.strictEqual((await run(opensearchInVpc, res(aws.elasticsearch.Domain, { vpcOptions: { securityGroupIds: ["sg-1"], subnetIds: [] } }))).length, 1);
        });
        it("rejects anonymous access spelt as a string, and a TLS policy name in other case", async () => {
            const anon = res(aws.opensearch.Domain, { advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: "true" } });
            assert.strictEqual((await run(opensearchFineGrainedAccess, anon)).length, 1);
            const tls = res(aws.elasticsearch.Domain, { domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "policy-min-tls-1-2-2019-07" } });
            assert.strictEqual((await run(opensearchHttpsTls12, tls)).length, 1);
        });
    });

    describe("redshift", () => {
        const cluster = (props: Record<string, any>) => res(aws.redshift.Cluster, { clusterIdentifier: "warehouse", nodeType: "ra3.xlplus", ...props }, { name: "warehouse" });
        it("rejects public access and no encryption however spelt", async () => {
            assert.strictEqual((await run(redshiftNotPublic, cluster({ publiclyAccessible: "true" }))).length, 1);
            for (const encrypted of [false, "False", "FALSE", "0", "no"]) {
                assert.strictEqual((await run(redshiftEncrypted, cluster({ encrypted }))).length, 1, String(encrypted));
            }
        });
        it("takes the weaker value when require_ssl is listed twice, and accepts only \"true\"", async () => {
            const twice = res(aws.redshift.ParameterGroup, { name: "p", family: "redshift-2.0", parameters: [{ name: "require_ssl", value: "true" }, { name: "require_ssl", value: "false" }] });
            assert.strictEqual((await run(redshiftRequireSsl, [cluster({ clusterParameterGroupName: "p" }), twice])).length, 1);
            const yes = res(aws.redshift.ParameterGroup, { name: "p", family: "redshift-2.0", parameters: [{ name: "require_ssl", value: "yes" }] });
            assert.strictEqual((await run(redshiftRequireSsl, [cluster({ clusterParameterGroupName: "p" }), yes])).length, 1);
            const wg = res(aws.redshiftserverless.Workgroup, { namespaceName: "a", workgroupName: "a", configParameters: [{ parameterKey: "require_ssl", parameterValue: "true" }, { parameterKey: "REQUIRE_SSL", parameterValue: "false" }] });
            assert.strictEqual((await run(redshiftRequireSsl, wg)).length, 1);
        });
        it("does not count a default group named with another case, or a Logging of another cluster", async () => {
            assert.deepStrictEqual((await run(redshiftRequireSsl, cluster({ clusterParameterGroupName: "Default.Redshift-2.0" }))).map((d) => d.enforcementLevel), ["mandatory"]);
            const other = res(aws.redshift.Logging, { clusterIdentifier: "another", logDestinationType: "cloudwatch", logExports: ["userlog"] });
            assert.strictEqual((await run(redshiftAuditLogging, [cluster({}), other])).length, 1);
        });
    });

    it("never falls back to \"can't run during preview\" when every input of every platform resource is unknown, and never passes such a stack silently", async () => {
        const inputs = ["vpcConfig", "encryptionConfig", "enabledClusterLogTypes", "version", "encryptAtRest", "nodeToNodeEncryption", "domainEndpointOptions", "vpcOptions",
            "advancedSecurityOptions", "logPublishingOptions", "accessPolicies", "domainName", "publiclyAccessible", "encrypted", "clusterParameterGroupName", "clusterIdentifier",
            "parameters", "configParameters", "logExports", "logDestinationType", "bucketName", "name"];
        const unknown = Object.fromEntries(inputs.map((k) => [k, UNKNOWN]));
        const types = [aws.eks.Cluster, aws.opensearch.Domain, aws.elasticsearch.Domain, aws.opensearch.DomainPolicy, aws.elasticsearch.DomainPolicy, aws.redshift.Cluster,
            aws.redshift.ParameterGroup, aws.redshift.Logging, aws.redshiftserverless.Workgroup, aws.redshiftserverless.Namespace];
        const policies = [...eksPolicies, ...opensearchPolicies, ...redshiftPolicies];
        const diags = await run(policies, types.map((t, i) => res(t, unknown, { name: `r${i}` })));
        // Every policy says what it could not verify.
        assert.deepStrictEqual([...new Set(diags.map((d) => d.policyName))].sort(), policies.map((p) => p.name).sort());
        assert.deepStrictEqual(diags.filter((d) => d.cantRunDuringPreview).map((d) => d.policyName), []);
        assert.deepStrictEqual(diags.filter((d) => d.enforcementLevel !== "advisory").map((d) => d.message), []);
    });
});
