import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { eksControlPlaneLogging, eksEndpointRestricted, eksPolicies, eksSecretsEncrypted, eksSupportedVersion, kubernetesVersion } from "../../policies/compute/eks";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, messages, res, run } from "./helpers";

const KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const good = {
    roleArn: "arn:aws:iam::123456789012:role/eks",
    version: "1.34",
    vpcConfig: { subnetIds: ["subnet-a", "subnet-b"], endpointPrivateAccess: true, endpointPublicAccess: false },
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: KEY_ARN } },
    enabledClusterLogTypes: ["api", "audit", "authenticator"],
};
const cluster = (props: Record<string, any>) => res(aws.eks.Cluster, props, { name: "platform" });
const withVpc = (vpc: Record<string, any>) => cluster({ ...good, vpcConfig: { subnetIds: ["subnet-a"], ...vpc } });

const OPEN_DEFAULT = (found: string, cidrs: string) =>
    `EKS cluster must not open its API endpoint to the internet: vpcConfig.endpointPublicAccess is ${found} and publicAccessCidrs is ${cidrs}, so EKS allows ["0.0.0.0/0"], expected endpointPublicAccess false or publicAccessCidrs listing only known networks.`;
const OPEN_CIDR = (i: number, cidr: string) =>
    `EKS cluster must not open its API endpoint to the internet: vpcConfig.publicAccessCidrs[${i}] is "${cidr}", expected only the operators' and CI runners' ranges, or endpointPublicAccess false.`;

describe("policies: eks", () => {
    it("passes a private, encrypted, logging, current cluster under every policy", async () => {
        assert.deepStrictEqual(await run(eksPolicies, cluster(good)), []);
    });

    describe("eks-endpoint-restricted", () => {
        it("passes a private endpoint, and a public one limited to named ranges", async () => {
            assert.deepStrictEqual(await run(eksEndpointRestricted, withVpc({ endpointPublicAccess: false })), []);
            assert.deepStrictEqual(await run(eksEndpointRestricted, withVpc({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "198.51.100.7/32"] })), []);
        });
        it("rejects the EKS default (public, open to 0.0.0.0/0), as mandatory", async () => {
            const diags = await run(eksEndpointRestricted, withVpc({}));
            assert.deepStrictEqual(messages(diags), [OPEN_DEFAULT("(unset), so EKS makes it public", "(unset)")]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(eksEndpointRestricted, withVpc({ endpointPublicAccess: true, publicAccessCidrs: [] }))), [OPEN_DEFAULT("true", "[]")]);
        });
        it("rejects a public endpoint listing the internet, in IPv4 or IPv6", async () => {
            const diags = await run(eksEndpointRestricted, withVpc({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0", "::/0"] }));
            assert.deepStrictEqual(messages(diags), [OPEN_CIDR(1, "0.0.0.0/0"), OPEN_CIDR(2, "::/0")]);
        });
        it("refuses any public endpoint when requirePrivateEndpoint is set", async () => {
            const diags = await run(eksEndpointRestricted, withVpc({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] }), { requirePrivateEndpoint: true });
            assert.deepStrictEqual(messages(diags), ["EKS cluster must have a private API endpoint: vpcConfig.endpointPublicAccess is true, expected false."]);
            assert.deepStrictEqual(messages(await run(eksEndpointRestricted, withVpc({}), { requirePrivateEndpoint: true })), [
                "EKS cluster must have a private API endpoint: vpcConfig.endpointPublicAccess is (unset), so EKS makes it public, expected false.",
            ]);
        });
        it("reports an unknown public-access flag, CIDR list or CIDR as unverifiable, never as passing", async () => {
            for (const vpc of [{ endpointPublicAccess: UNKNOWN_BOOL }, { endpointPublicAccess: true, publicAccessCidrs: UNKNOWN_ARRAY }, { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24", UNKNOWN] }]) {
                const diags = await run(eksEndpointRestricted, withVpc(vpc));
                assert.strictEqual(diags.length, 1, JSON.stringify(vpc));
                assert.strictEqual(diags[0].enforcementLevel, "advisory");
                assert.ok(!diags[0].cantRunDuringPreview);
            }
            const diags = await run(eksEndpointRestricted, withVpc({ endpointPublicAccess: UNKNOWN_BOOL }));
            assert.match(diags[0].message, /^Cannot verify during preview that the Kubernetes API endpoint is not open to the internet: vpcConfig\.endpointPublicAccess is \(unknown until apply\)/);
            const unknownVpc = await run(eksEndpointRestricted, cluster({ ...good, vpcConfig: UNKNOWN }));
            assert.match(unknownVpc[0].message, /^Cannot verify during preview that the Kubernetes API endpoint is not open to the internet: vpcConfig\.endpointPublicAccess is \(unknown until apply\)/);
        });
    });

    describe("eks-secrets-encrypted", () => {
        it("passes secrets encrypted with a key, and a key created in the stack (unknown ARN)", async () => {
            assert.deepStrictEqual(await run(eksSecretsEncrypted, cluster(good)), []);
            assert.deepStrictEqual(await run(eksSecretsEncrypted, cluster({ ...good, encryptionConfig: { resources: ["secrets"], provider: { keyArn: UNKNOWN } } })), []);
        });
        it("rejects a cluster without encryptionConfig, as mandatory", async () => {
            const diags = await run(eksSecretsEncrypted, cluster({ ...good, encryptionConfig: undefined }));
            assert.deepStrictEqual(messages(diags), [
                'EKS cluster must encrypt Kubernetes Secrets with a KMS key: encryptionConfig is (unset), expected { resources: ["secrets"], provider: { keyArn: <KMS key ARN> } }.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("rejects a config that leaves out secrets, or has no key", async () => {
            const diags = await run(eksSecretsEncrypted, cluster({ ...good, encryptionConfig: { resources: ["configmaps"], provider: { keyArn: "" } } }));
            assert.deepStrictEqual(messages(diags), [
                'EKS cluster must encrypt Kubernetes Secrets with a KMS key: encryptionConfig.resources is ["configmaps"], expected it to include "secrets".',
                'EKS cluster must encrypt Kubernetes Secrets with a KMS key: encryptionConfig.provider.keyArn is "", expected a KMS key ARN.',
            ]);
        });
        it("reports unknown encryptionConfig or resources as unverifiable", async () => {
            const whole = await run(eksSecretsEncrypted, cluster({ ...good, encryptionConfig: UNKNOWN }));
            assert.strictEqual(whole.length, 1);
            assert.match(whole[0].message, /^Cannot verify during preview that Kubernetes Secrets are encrypted with a KMS key: encryptionConfig is \(unknown until apply\)/);
            assert.strictEqual(whole[0].enforcementLevel, "advisory");
            const resources = await run(eksSecretsEncrypted, cluster({ ...good, encryptionConfig: { resources: [UNKNOWN], provider: { keyArn: KEY_ARN } } }));
            assert.strictEqual(resources.length, 1);
            assert.match(resources[0].message, /^Cannot verify during preview that Kubernetes Secrets are encrypted with a KMS key: encryptionConfig\.resources is \[/);
        });
    });

    describe("eks-control-plane-logging", () => {
        it("passes audit and authenticator logs (the default requirement)", async () => {
            assert.deepStrictEqual(await run(eksControlPlaneLogging, cluster({ ...good, enabledClusterLogTypes: ["authenticator", "audit"] })), []);
        });
        it("rejects a cluster without control-plane logs, or without audit, as mandatory", async () => {
            const diags = await run(eksControlPlaneLogging, cluster({ ...good, enabledClusterLogTypes: undefined }));
            assert.deepStrictEqual(messages(diags), [
                'EKS cluster must enable control-plane logging: enabledClusterLogTypes is (unset), missing "audit", "authenticator", expected ["audit","authenticator"].',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.deepStrictEqual(messages(await run(eksControlPlaneLogging, cluster({ ...good, enabledClusterLogTypes: ["api", "authenticator"] }))), [
                'EKS cluster must enable control-plane logging: enabledClusterLogTypes is ["api","authenticator"], missing "audit", expected ["audit","authenticator"].',
            ]);
        });
        it("takes the required types from config", async () => {
            const diags = await run(eksControlPlaneLogging, cluster(good), { requiredLogTypes: ["audit", "controllerManager", "scheduler"] });
            assert.deepStrictEqual(messages(diags), [
                'EKS cluster must enable control-plane logging: enabledClusterLogTypes is ["api","audit","authenticator"], missing "controllerManager", "scheduler", expected ["audit","controllerManager","scheduler"].',
            ]);
        });
        it("reports an unknown list, or a list with an unknown entry that might be the missing one, as unverifiable", async () => {
            const whole = await run(eksControlPlaneLogging, cluster({ ...good, enabledClusterLogTypes: UNKNOWN_ARRAY }));
            assert.strictEqual(whole.length, 1);
            assert.match(whole[0].message, /^Cannot verify during preview that the control plane logs audit, authenticator: enabledClusterLogTypes is \(unknown until apply\)/);
            const entry = await run(eksControlPlaneLogging, cluster({ ...good, enabledClusterLogTypes: ["audit", UNKNOWN] }));
            assert.strictEqual(entry.length, 1);
            assert.strictEqual(entry[0].enforcementLevel, "advisory");
        });
    });

    describe("eks-supported-version", () => {
        it("passes the floor, newer versions, and an unset version (EKS's current default)", async () => {
            for (const version of ["1.33", "1.34", "1.40", "2.0", undefined]) {
                assert.deepStrictEqual(await run(eksSupportedVersion, cluster({ ...good, version })), [], String(version));
            }
        });
        it("rejects an older version, as advisory, and anything that is not a minor version", async () => {
            const diags = await run(eksSupportedVersion, cluster({ ...good, version: "1.29" }));
            assert.deepStrictEqual(messages(diags), ['EKS cluster must run a supported Kubernetes version: version is "1.29", expected "1.33" or newer.']);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.deepStrictEqual(messages(await run(eksSupportedVersion, cluster({ ...good, version: "latest" }))), [
                'EKS cluster must run a supported Kubernetes version: version is "latest", expected "1.33" or newer.',
            ]);
        });
        it("compares minor versions as numbers (1.9 is older than 1.33), with the floor from config", async () => {
            assert.strictEqual((await run(eksSupportedVersion, cluster({ ...good, version: "1.9" }))).length, 1);
            assert.deepStrictEqual(await run(eksSupportedVersion, cluster({ ...good, version: "1.31" }), { oldestSupportedVersion: "1.31" }), []);
            assert.deepStrictEqual(kubernetesVersion(" 1.30 "), [1, 30]);
            assert.strictEqual(kubernetesVersion("1.30.2"), undefined);
        });
        it("reports an unknown version as unverifiable", async () => {
            const diags = await run(eksSupportedVersion, cluster({ ...good, version: UNKNOWN }));
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that the Kubernetes version is 1\.33 or newer: version is \(unknown until apply\)/);
        });
    });

    it("never throws on malformed inputs", async () => {
        const shapes: Record<string, any>[] = [
            {}, { vpcConfig: null }, { vpcConfig: [] }, { vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: [null, 42, {}] } },
            { encryptionConfig: null }, { encryptionConfig: [] }, { encryptionConfig: { resources: "secrets", provider: null } },
            { encryptionConfig: { resources: [null], provider: { keyArn: 42 } } }, { enabledClusterLogTypes: "audit" }, { enabledClusterLogTypes: [null, 1] },
            { version: 1.3 }, { version: null }, { version: "" },
        ];
        for (const props of shapes) await run(eksPolicies, cluster(props));
        // A malformed encryptionConfig is a violation, not a pass.
        assert.strictEqual((await run(eksSecretsEncrypted, cluster({ encryptionConfig: { resources: "secrets", provider: null } }))).length, 2);
    });
});
