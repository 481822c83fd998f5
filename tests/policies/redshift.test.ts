import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { redshiftAuditLogging, redshiftEncrypted, redshiftNotPublic, redshiftPolicies, redshiftRequireSsl } from "../../policies/data/redshift";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, messages, res, run } from "./helpers";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const goodCluster = { clusterIdentifier: "warehouse", nodeType: "ra3.xlplus", clusterParameterGroupName: "warehouse-params", kmsKeyId: KEY_ARN };
const cluster = (props: Record<string, any> = {}, o: { dependencies?: Record<string, string[]> } = {}) =>
    res(aws.redshift.Cluster, { ...goodCluster, ...props }, { name: "warehouse", propertyDependencies: o.dependencies });
const params = (parameters: unknown, name = "warehouse-params") => res(aws.redshift.ParameterGroup, { name, family: "redshift-2.0", parameters }, { name: "warehouse-params" });
const sslOn = () => params([{ name: "enable_user_activity_logging", value: "true" }, { name: "require_ssl", value: "true" }]);
const logging = (props: Record<string, any>) => res(aws.redshift.Logging, { clusterIdentifier: "warehouse", logDestinationType: "cloudwatch", logExports: ["connectionlog", "userlog", "useractivitylog"], ...props }, { name: "warehouse-logging" });
const workgroup = (props: Record<string, any> = {}) =>
    res(aws.redshiftserverless.Workgroup, { namespaceName: "analytics", workgroupName: "analytics", configParameters: [{ parameterKey: "require_ssl", parameterValue: "true" }], ...props }, { name: "analytics-wg" });
const namespace = (props: Record<string, any> = {}) => res(aws.redshiftserverless.Namespace, { namespaceName: "analytics", logExports: ["connectionlog", "userlog", "useractivitylog"], ...props }, { name: "analytics-ns" });
const cantRun = (diags: { cantRunDuringPreview?: boolean }[]) => assert.ok(diags.every((d) => !d.cantRunDuringPreview));

describe("policies: redshift", () => {
    it("passes a compliant cluster (private, encrypted, SSL, logged) and serverless workgroup under every policy", async () => {
        assert.deepStrictEqual(await run(redshiftPolicies, [cluster(), sslOn(), logging({}), workgroup(), namespace()]), []);
    });

    describe("redshift-not-public", () => {
        it("passes unset (private by default) and false", async () => {
            assert.deepStrictEqual(await run(redshiftNotPublic, [cluster({ publiclyAccessible: false }), workgroup()]), []);
        });
        it("rejects a public cluster and a public workgroup, as mandatory", async () => {
            const diags = await run(redshiftNotPublic, [cluster({ publiclyAccessible: true }), workgroup({ publiclyAccessible: true })]);
            assert.deepStrictEqual(messages(diags), [
                "Redshift cluster must not be publicly accessible: publiclyAccessible is true, expected false or unset.",
                "Redshift Serverless workgroup must not be publicly accessible: publiclyAccessible is true, expected false or unset.",
            ]);
            assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["mandatory", "mandatory"]);
        });
        it("reports an unknown flag as unverifiable", async () => {
            const diags = await run(redshiftNotPublic, workgroup({ publiclyAccessible: UNKNOWN_BOOL }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that the warehouse is not publicly accessible: publiclyAccessible is \(unknown until apply\)/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            cantRun(diags);
        });
    });

    describe("redshift-encrypted", () => {
        it("passes unset (AWS and the provider default to encrypted) and \"true\"", async () => {
            assert.deepStrictEqual(await run(redshiftEncrypted, [cluster(), cluster({ encrypted: "true" })]), []);
        });
        it("rejects \"false\", as mandatory", async () => {
            const diags = await run(redshiftEncrypted, cluster({ encrypted: "false" }));
            assert.deepStrictEqual(messages(diags), ['Redshift cluster must be encrypted at rest: encrypted is "false", expected "true" or unset.']);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("requires a customer-managed key when configured", async () => {
            assert.deepStrictEqual(await run(redshiftEncrypted, cluster(), { requireCustomerKey: true }), []);
            assert.deepStrictEqual(messages(await run(redshiftEncrypted, cluster({ kmsKeyId: undefined }), { requireCustomerKey: true })), [
                "Redshift cluster must be encrypted with a customer-managed KMS key: kmsKeyId is (unset), expected a customer key ARN.",
            ]);
            assert.deepStrictEqual(messages(await run(redshiftEncrypted, cluster({ kmsKeyId: "alias/aws/redshift" }), { requireCustomerKey: true })), [
                'Redshift cluster must be encrypted with a customer-managed KMS key: kmsKeyId is "alias/aws/redshift", an AWS-managed key, expected a customer key ARN.',
            ]);
        });
        it("reports an unknown flag as unverifiable", async () => {
            const diags = await run(redshiftEncrypted, cluster({ encrypted: UNKNOWN }));
            assert.match(diags[0].message, /^Cannot verify during preview that the cluster is encrypted at rest: encrypted is \(unknown until apply\)/);
        });
    });

    describe("redshift-require-ssl", () => {
        const DEFAULT_GROUP = (found: string) =>
            `Redshift cluster must require SSL: clusterParameterGroupName is ${found}, which cannot be changed, expected an aws.redshift.ParameterGroup with require_ssl "true".`;
        it("passes a cluster joined to its group by name or by dependency (name unknown)", async () => {
            assert.deepStrictEqual(await run(redshiftRequireSsl, [cluster(), sslOn()]), []);
            const group = params([{ name: "REQUIRE_SSL", value: "TRUE" }], UNKNOWN);
            assert.deepStrictEqual(await run(redshiftRequireSsl, [cluster({ clusterParameterGroupName: UNKNOWN }, { dependencies: { clusterParameterGroupName: [group.urn] } }), group]), []);
        });
        it("rejects the default parameter group, unset or named, as mandatory", async () => {
            const diags = await run(redshiftRequireSsl, cluster({ clusterParameterGroupName: undefined }));
            assert.deepStrictEqual(messages(diags), [DEFAULT_GROUP("(unset), so the cluster uses the default parameter group")]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(redshiftRequireSsl, cluster({ clusterParameterGroupName: "default.redshift-2.0" }))), [
                DEFAULT_GROUP('"default.redshift-2.0", a default parameter group'),
            ]);
        });
        it("rejects a group that leaves require_ssl unset or false", async () => {
            assert.deepStrictEqual(messages(await run(redshiftRequireSsl, [cluster(), params([{ name: "require_ssl", value: "false" }])])), [
                'Redshift cluster must require SSL: its parameter group "warehouse-params" sets require_ssl to "false", expected "true".',
            ]);
            assert.deepStrictEqual(messages(await run(redshiftRequireSsl, [cluster(), params(undefined)])), [
                'Redshift cluster must require SSL: its parameter group "warehouse-params" sets require_ssl to (unset), expected "true".',
            ]);
        });
        it("rejects a workgroup without require_ssl true", async () => {
            const diags = await run(redshiftRequireSsl, [workgroup({ configParameters: undefined }), workgroup({ configParameters: [{ parameterKey: "require_ssl", parameterValue: "false" }] })]);
            assert.deepStrictEqual(messages(diags), [
                'Redshift Serverless workgroup must require SSL: configParameters sets require_ssl to (unset), expected "true".',
                'Redshift Serverless workgroup must require SSL: configParameters sets require_ssl to "false", expected "true".',
            ]);
        });
        it("reports an untraceable group, a group outside the stack and unknown parameters as unverifiable", async () => {
            const untraceable = await run(redshiftRequireSsl, cluster({ clusterParameterGroupName: UNKNOWN }));
            assert.match(untraceable[0].message, /^Cannot verify during preview that the cluster's parameter group requires SSL: clusterParameterGroupName is \(unknown until apply\)/);
            const elsewhere = await run(redshiftRequireSsl, cluster({ clusterParameterGroupName: "shared-params" }));
            assert.match(elsewhere[0].message, /^Cannot verify during preview that the parameter group, defined outside this stack, sets require_ssl to true: clusterParameterGroupName is "shared-params"/);
            const parameters = await run(redshiftRequireSsl, [cluster(), params(UNKNOWN_ARRAY)]);
            assert.match(parameters[0].message, /^Cannot verify during preview that connections must use SSL: parameters is \(unknown until apply\)/);
            const value = await run(redshiftRequireSsl, workgroup({ configParameters: [{ parameterKey: "require_ssl", parameterValue: UNKNOWN }] }));
            assert.match(value[0].message, /^Cannot verify during preview that connections must use SSL: configParameters is /);
            for (const d of [untraceable, elsewhere, parameters, value]) {
                assert.deepStrictEqual(d.map((x) => x.enforcementLevel), ["advisory"]);
                cantRun(d);
            }
        });
    });

    describe("redshift-audit-logging", () => {
        it("passes CloudWatch exports, an S3 bucket, and a Logging joined by dependency", async () => {
            assert.deepStrictEqual(await run(redshiftAuditLogging, [cluster(), logging({ logDestinationType: "s3", logExports: undefined, bucketName: "audit-logs" })]), []);
            const c = cluster({ clusterIdentifier: UNKNOWN });
            const l = res(aws.redshift.Logging, { clusterIdentifier: UNKNOWN, logDestinationType: "cloudwatch", logExports: ["userlog"] }, { propertyDependencies: { clusterIdentifier: [c.urn] } });
            assert.deepStrictEqual(await run(redshiftAuditLogging, [c, l]), []);
        });
        it("rejects a cluster without Logging, or with a Logging that sends nothing, as advisory", async () => {
            const diags = await run(redshiftAuditLogging, cluster());
            assert.deepStrictEqual(messages(diags), ['Redshift cluster must have audit logging: no aws.redshift.Logging refers to cluster "warehouse", expected one with logExports to CloudWatch Logs or an S3 bucketName.']);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.deepStrictEqual(messages(await run(redshiftAuditLogging, [cluster(), logging({ logExports: [] })])), [
                'Redshift cluster must have audit logging: aws.redshift.Logging "warehouse-logging" has logDestinationType "cloudwatch" and logExports [], expected log exports to CloudWatch Logs (connectionlog, userlog, useractivitylog) or an S3 bucketName.',
            ]);
            assert.deepStrictEqual(messages(await run(redshiftAuditLogging, [cluster(), logging({ logDestinationType: undefined, logExports: undefined })])), [
                'Redshift cluster must have audit logging: aws.redshift.Logging "warehouse-logging" has logDestinationType (unset) and bucketName (unset), expected log exports to CloudWatch Logs (connectionlog, userlog, useractivitylog) or an S3 bucketName.',
            ]);
        });
        it("rejects a namespace that does not export connection and user logs", async () => {
            assert.deepStrictEqual(messages(await run(redshiftAuditLogging, namespace({ logExports: ["useractivitylog"] }))), [
                'Redshift Serverless namespace must export its logs: logExports is ["useractivitylog"], missing "connectionlog", "userlog", expected ["connectionlog","userlog"] at least.',
            ]);
        });
        it("reports an untraceable Logging and unknown exports as unverifiable", async () => {
            const diags = await run(redshiftAuditLogging, [cluster(), logging({ clusterIdentifier: UNKNOWN })]);
            assert.match(diags[0].message, /^Cannot verify during preview that an aws\.redshift\.Logging resource enables audit logging for the cluster: clusterIdentifier is "warehouse"/);
            const ns = await run(redshiftAuditLogging, namespace({ logExports: UNKNOWN_ARRAY }));
            assert.match(ns[0].message, /^Cannot verify during preview that the namespace exports connection and user logs: logExports is \(unknown until apply\)/);
            // An unknown destination or exports list may send logs: it passes rather than being reported.
            assert.deepStrictEqual(await run(redshiftAuditLogging, [cluster(), logging({ logExports: UNKNOWN_ARRAY })]), []);
            cantRun([...diags, ...ns]);
        });
    });

    it("never throws on malformed inputs", async () => {
        const clusters = [{ encrypted: 42 }, { encrypted: null, kmsKeyId: 7 }, { clusterParameterGroupName: null }, { clusterParameterGroupName: ["x"] }, { publiclyAccessible: "true" }];
        const groups = [null, 42, "require_ssl=true", [null, 1, { name: 5 }, { value: "true" }], [{ name: "require_ssl" }]];
        for (const [i, props] of clusters.entries()) {
            await run(redshiftPolicies, [cluster(props), params(groups[i]), logging({ logExports: groups[i] }), workgroup({ configParameters: groups[i] }), namespace({ logExports: groups[i] })]);
        }
        // A number is not "true": reported, not passed.
        assert.strictEqual((await run(redshiftEncrypted, cluster({ encrypted: 42 }))).length, 1);
    });
});
