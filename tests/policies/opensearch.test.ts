import * as aws from "@pulumi/aws";
import * as assert from "assert";
import {
    narrowsCaller, opensearchAccessPolicyNotPublic, opensearchEncryptionAtRest, opensearchFineGrainedAccess, opensearchHttpsTls12,
    opensearchInVpc, opensearchLogging, opensearchNodeToNodeEncryption, opensearchPolicies,
} from "../../policies/data/opensearch";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, messages, res, run } from "./helpers";

const GROUP_ARN = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/opensearch/search";
const ROLE_ARN = "arn:aws:iam::123456789012:role/search-writer";
const doc = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const allowAll = (extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Principal: { AWS: "*" }, Action: "es:*", Resource: "*", ...extra });

const goodDomain = {
    domainName: "search",
    engineVersion: "OpenSearch_2.19",
    encryptAtRest: { enabled: true },
    nodeToNodeEncryption: { enabled: true },
    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
    vpcOptions: { subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-1"] },
    advancedSecurityOptions: { enabled: true, internalUserDatabaseEnabled: false, masterUserOptions: { masterUserArn: ROLE_ARN } },
    logPublishingOptions: [{ logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: GROUP_ARN }, { logType: "AUDIT_LOGS", cloudwatchLogGroupArn: GROUP_ARN }],
    accessPolicies: doc({ Effect: "Allow", Principal: { AWS: ROLE_ARN }, Action: "es:ESHttp*", Resource: "*" }),
};
const domain = (props: Record<string, any>, name = "search") => res(aws.opensearch.Domain, { ...goodDomain, ...props }, { name });
const legacy = (props: Record<string, any>) => res(aws.elasticsearch.Domain, { ...goodDomain, engineVersion: undefined, elasticsearchVersion: "7.10", ...props }, { name: "legacy-search" });
const cantRun = (diags: { cantRunDuringPreview?: boolean }[]) => assert.ok(diags.every((d) => !d.cantRunDuringPreview));

describe("policies: opensearch", () => {
    it("passes a compliant OpenSearch domain and Elasticsearch domain under every policy", async () => {
        assert.deepStrictEqual(await run(opensearchPolicies, [domain({}), legacy({})]), []);
    });

    describe("opensearch-encryption-at-rest", () => {
        it("rejects a domain without encryption at rest (the AWS default), as mandatory, for both types", async () => {
            const diags = await run(opensearchEncryptionAtRest, [domain({ encryptAtRest: undefined }), legacy({ encryptAtRest: { enabled: false } })]);
            assert.deepStrictEqual(messages(diags), [
                "OpenSearch domain must encrypt data at rest: encryptAtRest.enabled is (unset), expected true.",
                "Elasticsearch domain must encrypt data at rest: encryptAtRest.enabled is false, expected true.",
            ]);
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["mandatory", "mandatory"]);
        });
        it("reports an unknown flag or block as unverifiable", async () => {
            for (const encryptAtRest of [{ enabled: UNKNOWN_BOOL }, UNKNOWN]) {
                const diags = await run(opensearchEncryptionAtRest, domain({ encryptAtRest }));
                assert.strictEqual(diags.length, 1);
                assert.match(diags[0].message, /^Cannot verify during preview that data is encrypted at rest: encryptAtRest\.enabled is \(unknown until apply\)/);
                assert.strictEqual(diags[0].enforcementLevel, "advisory");
                cantRun(diags);
            }
        });
    });

    describe("opensearch-node-to-node-encryption", () => {
        it("rejects plain node-to-node traffic", async () => {
            const diags = await run(opensearchNodeToNodeEncryption, domain({ nodeToNodeEncryption: { enabled: false } }));
            assert.deepStrictEqual(messages(diags), ["OpenSearch domain must encrypt traffic between nodes: nodeToNodeEncryption.enabled is false, expected true."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("reports an unknown flag as unverifiable", async () => {
            const diags = await run(opensearchNodeToNodeEncryption, legacy({ nodeToNodeEncryption: { enabled: UNKNOWN_BOOL } }));
            assert.match(diags[0].message, /^Cannot verify during preview that node-to-node traffic is encrypted: nodeToNodeEncryption\.enabled is \(unknown until apply\)/);
        });
    });

    describe("opensearch-https-tls12", () => {
        it("passes both TLS 1.2 policies", async () => {
            assert.deepStrictEqual(await run(opensearchHttpsTls12, domain({ domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" } })), []);
        });
        it("rejects HTTP allowed and TLS 1.0, as mandatory", async () => {
            const diags = await run(opensearchHttpsTls12, domain({ domainEndpointOptions: { enforceHttps: false, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" } }));
            assert.deepStrictEqual(messages(diags), [
                "OpenSearch domain must enforce HTTPS: domainEndpointOptions.enforceHttps is false, expected true.",
                'OpenSearch domain must require TLS 1.2 or later: domainEndpointOptions.tlsSecurityPolicy is "Policy-Min-TLS-1-0-2019-07", expected one of "Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10".',
            ]);
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["mandatory", "mandatory"]);
        });
        it("rejects endpoint options left to AWS's defaults", async () => {
            assert.deepStrictEqual(messages(await run(opensearchHttpsTls12, legacy({ domainEndpointOptions: undefined }))), [
                "Elasticsearch domain must enforce HTTPS: domainEndpointOptions.enforceHttps is (unset), expected true.",
                'Elasticsearch domain must require TLS 1.2 or later: domainEndpointOptions.tlsSecurityPolicy is (unset), so the AWS default applies, expected one of "Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10".',
            ]);
        });
        it("passes enforceHttps left unset inside a domainEndpointOptions block (the provider defaults it to true there), not a block left out", async () => {
            assert.deepStrictEqual(await run(opensearchHttpsTls12, domain({ domainEndpointOptions: { tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" } })), []);
            assert.deepStrictEqual(await run(opensearchHttpsTls12, legacy({ domainEndpointOptions: { enforceHttps: null, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" } })), []);
            assert.deepStrictEqual(messages(await run(opensearchHttpsTls12, domain({ domainEndpointOptions: { enforceHttps: "false", tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" } }))), [
                'OpenSearch domain must enforce HTTPS: domainEndpointOptions.enforceHttps is "false", expected true.',
            ]);
        });
        it("takes the accepted policies from config", async () => {
            const diags = await run(opensearchHttpsTls12, domain({ domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" } }), { allowedTlsPolicies: ["Policy-Min-TLS-1-2-PFS-2023-10"] });
            assert.deepStrictEqual(messages(diags), [
                'OpenSearch domain must require TLS 1.2 or later: domainEndpointOptions.tlsSecurityPolicy is "Policy-Min-TLS-1-2-2019-07", expected one of "Policy-Min-TLS-1-2-PFS-2023-10".',
            ]);
        });
        it("reports unknown options as unverifiable", async () => {
            const diags = await run(opensearchHttpsTls12, domain({ domainEndpointOptions: UNKNOWN }));
            assert.strictEqual(diags.length, 2);
            assert.ok(diags.every((d) => d.enforcementLevel === "advisory" && d.message.startsWith("Cannot verify during preview that ")));
            cantRun(diags);
        });
    });

    describe("opensearch-in-vpc", () => {
        it("passes subnets given as unknown ids (subnets of the stack)", async () => {
            assert.deepStrictEqual(await run(opensearchInVpc, domain({ vpcOptions: { subnetIds: [UNKNOWN] } })), []);
        });
        it("rejects a public domain, as advisory", async () => {
            const diags = await run(opensearchInVpc, domain({ vpcOptions: undefined }));
            assert.deepStrictEqual(messages(diags), ["OpenSearch domain must be in a VPC: vpcOptions.subnetIds is (unset), so the endpoint is public, expected private subnet ids."]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.deepStrictEqual(messages(await run(opensearchInVpc, legacy({ vpcOptions: { subnetIds: [] } }))), [
                "Elasticsearch domain must be in a VPC: vpcOptions.subnetIds is [], so the endpoint is public, expected private subnet ids.",
            ]);
        });
        it("reports an unknown subnet list as unverifiable", async () => {
            const diags = await run(opensearchInVpc, domain({ vpcOptions: { subnetIds: UNKNOWN_ARRAY } }));
            assert.match(diags[0].message, /^Cannot verify during preview that the domain is placed in a VPC: vpcOptions\.subnetIds is \(unknown until apply\)/);
        });
    });

    describe("opensearch-fine-grained-access", () => {
        it("rejects a domain without fine-grained access control, as mandatory", async () => {
            const diags = await run(opensearchFineGrainedAccess, domain({ advancedSecurityOptions: undefined }));
            assert.deepStrictEqual(messages(diags), ["OpenSearch domain must enable fine-grained access control: advancedSecurityOptions.enabled is (unset), expected true."]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("rejects anonymous access under fine-grained access control", async () => {
            const diags = await run(opensearchFineGrainedAccess, domain({ advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: true } }));
            assert.deepStrictEqual(messages(diags), ["OpenSearch domain must not accept anonymous requests: advancedSecurityOptions.anonymousAuthEnabled is true, expected false or unset."]);
        });
        it("reports unknown flags as unverifiable", async () => {
            const diags = await run(opensearchFineGrainedAccess, domain({ advancedSecurityOptions: { enabled: UNKNOWN_BOOL, anonymousAuthEnabled: UNKNOWN_BOOL } }));
            assert.deepStrictEqual(diags.map((d) => d.message.split(":")[0]), [
                "Cannot verify during preview that fine-grained access control is enabled",
                "Cannot verify during preview that anonymous requests are refused",
            ]);
        });
    });

    describe("opensearch-logging", () => {
        it("rejects a domain publishing no logs, or with the audit entry disabled, as advisory", async () => {
            const diags = await run(opensearchLogging, domain({ logPublishingOptions: undefined }));
            assert.deepStrictEqual(messages(diags), [
                'OpenSearch domain must publish ES_APPLICATION_LOGS to CloudWatch Logs: logPublishingOptions has no enabled "ES_APPLICATION_LOGS" entry, expected one with a cloudwatchLogGroupArn.',
                'OpenSearch domain must publish AUDIT_LOGS to CloudWatch Logs: logPublishingOptions has no enabled "AUDIT_LOGS" entry, expected one with a cloudwatchLogGroupArn.',
            ]);
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["advisory", "advisory"]);
            const disabled = [{ logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: GROUP_ARN }, { logType: "AUDIT_LOGS", cloudwatchLogGroupArn: GROUP_ARN, enabled: false }];
            assert.strictEqual((await run(opensearchLogging, legacy({ logPublishingOptions: disabled }))).length, 1);
        });
        it("takes the required types from config", async () => {
            assert.deepStrictEqual(await run(opensearchLogging, domain({ logPublishingOptions: [{ logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: GROUP_ARN }] }), { requiredLogTypes: ["ES_APPLICATION_LOGS"] }), []);
        });
        it("reports an unknown list, log type or flag as unverifiable", async () => {
            for (const logPublishingOptions of [UNKNOWN_ARRAY, [{ logType: UNKNOWN, cloudwatchLogGroupArn: GROUP_ARN }], [{ logType: "ES_APPLICATION_LOGS", enabled: UNKNOWN_BOOL }, { logType: "AUDIT_LOGS", enabled: UNKNOWN_BOOL }]]) {
                const diags = await run(opensearchLogging, domain({ logPublishingOptions }));
                assert.ok(diags.length > 0 && diags.every((d) => d.enforcementLevel === "advisory" && d.message.startsWith("Cannot verify during preview that the domain publishes")), JSON.stringify(diags));
            }
        });
    });

    describe("opensearch-access-policy-not-public", () => {
        const OPEN = (what: string, sid: string, posture: string) =>
            `${what} must not be open to everyone: accessPolicies ${sid} allows the "*" principal without a condition narrowing the caller or source IP, and ${posture}, expected named principals, an aws:SourceIp or aws:PrincipalOrgID condition, or a VPC domain with fine-grained access control.`;
        it("passes named principals, a narrowing condition, and an open policy on a VPC domain with fine-grained access control", async () => {
            assert.deepStrictEqual(await run(opensearchAccessPolicyNotPublic, domain({})), []);
            const ip = doc(allowAll({ Condition: { IpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } } }));
            assert.deepStrictEqual(await run(opensearchAccessPolicyNotPublic, domain({ vpcOptions: undefined, accessPolicies: ip })), []);
            assert.deepStrictEqual(await run(opensearchAccessPolicyNotPublic, domain({ accessPolicies: doc(allowAll()) })), []);
        });
        it("rejects an open policy on a public domain, as mandatory, on the domain", async () => {
            const diags = await run(opensearchAccessPolicyNotPublic, domain({ vpcOptions: undefined, accessPolicies: doc(allowAll({ Sid: "Everyone" })) }));
            assert.deepStrictEqual(messages(diags), [OPEN("OpenSearch domain access policy", 'statement "Everyone"', "the domain is public (no vpcOptions.subnetIds)")]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.strictEqual(diags[0].urn, "urn:pulumi:test::baseline::aws:opensearch/domain:Domain::search");
        });
        it("rejects an open policy on a VPC domain without fine-grained access control", async () => {
            const diags = await run(opensearchAccessPolicyNotPublic, legacy({ advancedSecurityOptions: { enabled: false }, accessPolicies: doc(allowAll()) }));
            assert.deepStrictEqual(messages(diags), [OPEN("Elasticsearch domain access policy", "statement 0", "the domain has no fine-grained access control")]);
        });
        it("joins a DomainPolicy to its domain by dependency or name, and judges it by that domain", async () => {
            const open = doc(allowAll());
            const pub = domain({ vpcOptions: undefined, accessPolicies: undefined });
            const byDependency = res(aws.opensearch.DomainPolicy, { domainName: UNKNOWN, accessPolicies: open }, { name: "search-policy", propertyDependencies: { domainName: [pub.urn] } });
            const diags = await run(opensearchAccessPolicyNotPublic, [pub, byDependency]);
            assert.deepStrictEqual(messages(diags), [OPEN("OpenSearch domain policy", "statement 0", "the domain is public (no vpcOptions.subnetIds)")]);
            assert.strictEqual(diags[0].urn, "urn:pulumi:test::baseline::aws:opensearch/domainPolicy:DomainPolicy::search-policy");
            const vpcFgac = domain({ accessPolicies: undefined });
            assert.deepStrictEqual(await run(opensearchAccessPolicyNotPublic, [vpcFgac, res(aws.opensearch.DomainPolicy, { domainName: "search", accessPolicies: open })]), []);
        });
        it("rejects an open DomainPolicy for a domain outside the stack", async () => {
            const diags = await run(opensearchAccessPolicyNotPublic, res(aws.elasticsearch.DomainPolicy, { domainName: "elsewhere", accessPolicies: doc(allowAll()) }));
            assert.deepStrictEqual(messages(diags), [OPEN("OpenSearch domain policy", "statement 0", 'no domain of this stack is named "elsewhere"')]);
        });
        it("reports an unknown document, domain, placement or access control as unverifiable", async () => {
            const unknownDoc = await run(opensearchAccessPolicyNotPublic, domain({ accessPolicies: UNKNOWN }));
            assert.strictEqual(unknownDoc.length, 1);
            assert.match(unknownDoc[0].message, /^Cannot verify during preview that the domain is not open to everyone: accessPolicies is \(unknown until apply\)/);
            const open = doc(allowAll());
            const untraceable = await run(opensearchAccessPolicyNotPublic, res(aws.opensearch.DomainPolicy, { domainName: UNKNOWN, accessPolicies: open }));
            assert.match(untraceable[0].message, /^Cannot verify during preview that an access policy open to "\*" is attached only to a VPC domain with fine-grained access control: domainName is \(unknown until apply\)/);
            const placement = await run(opensearchAccessPolicyNotPublic, domain({ vpcOptions: { subnetIds: UNKNOWN_ARRAY }, accessPolicies: open }));
            assert.match(placement[0].message, /: vpcOptions\.subnetIds is \(unknown until apply\)/);
            const fgac = await run(opensearchAccessPolicyNotPublic, domain({ advancedSecurityOptions: { enabled: UNKNOWN_BOOL }, accessPolicies: open }));
            assert.match(fgac[0].message, /: advancedSecurityOptions\.enabled is \(unknown until apply\)/);
            for (const d of [unknownDoc, untraceable, placement, fgac]) {
                assert.deepStrictEqual(d.map((x) => x.enforcementLevel), ["advisory"]);
                cantRun(d);
            }
        });
        it("reports a narrowing condition whose value is unknown until apply as unverifiable, not as open", async () => {
            const policy = { Version: "2012-10-17", Statement: [allowAll({ Condition: { IpAddress: { "aws:SourceIp": [UNKNOWN] } } })] };
            const diags = await run(opensearchAccessPolicyNotPublic, domain({ vpcOptions: undefined, accessPolicies: policy }));
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["advisory"]);
            assert.match(diags[0].message, /^Cannot verify during preview that the domain is not open to everyone: accessPolicies\.Statement\[0\]\.Condition\.IpAddress\.aws:SourceIp\[0\] is \(unknown until apply\)/);
            const known = { Version: "2012-10-17", Statement: [allowAll({ Condition: { IpAddress: { "aws:SourceIp": ["0.0.0.0/0"] } } })] };
            assert.deepStrictEqual((await run(opensearchAccessPolicyNotPublic, domain({ vpcOptions: undefined, accessPolicies: known }))).map((d) => d.enforcementLevel), ["mandatory"]);
        });
        it("narrowsCaller: source IPs narrower than the internet, VPCs, endpoints or known accounts; not IfExists or negations", () => {
            assert.deepStrictEqual([
                { IpAddress: { "aws:SourceIp": "198.51.100.7/32" } },
                { StringEquals: { "aws:SourceVpce": "vpce-1234" } },
                { StringEquals: { "aws:PrincipalOrgID": "o-abc" } },
                { IpAddress: { "aws:SourceIp": ["203.0.113.0/24", "0.0.0.0/0"] } },
                { IpAddressIfExists: { "aws:SourceIp": "203.0.113.0/24" } },
                { NotIpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
                { StringLike: { "aws:SourceVpc": "vpc-*" } },
                { IpAddress: { "aws:SourceIp": [] } },
            ].map(narrowsCaller), [true, true, true, false, false, false, false, false]);
        });
    });

    it("never throws on malformed inputs", async () => {
        const shapes: Record<string, any>[] = [
            { encryptAtRest: null, nodeToNodeEncryption: [], domainEndpointOptions: null, vpcOptions: null, advancedSecurityOptions: null, logPublishingOptions: null },
            { vpcOptions: { subnetIds: "subnet-a" }, logPublishingOptions: [null, 42, { enabled: true }], advancedSecurityOptions: [] },
            { domainEndpointOptions: { tlsSecurityPolicy: 12 } },
            ...["[]", "42", "null", "\"*\"", "{", "{\"Statement\":null}", "{\"Statement\":[null,1,{\"Effect\":\"Allow\"}]}", "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":null}}"].map((accessPolicies) => ({ accessPolicies, vpcOptions: undefined })),
            { accessPolicies: { Statement: [{ Effect: "Allow", Principal: { AWS: ["*"] }, Condition: null }] }, vpcOptions: undefined },
        ];
        for (const props of shapes) {
            await run(opensearchPolicies, [domain(props), legacy(props), res(aws.opensearch.DomainPolicy, { domainName: "search", accessPolicies: props.accessPolicies ?? null })]);
        }
    });
});
