import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { ecrImmutableTags, ecrLifecyclePolicy, ecrScanOnPush, registryCoverage, replacesRepositorySetting, wildcardMatches } from "../../policies/compute/ecr";
import { UNKNOWN, UNKNOWN_BOOL, messages, res, run } from "./helpers";

const goodRepo = { name: "shop", imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: "IMMUTABLE" };
const repo = (props: Record<string, any>, name = "shop-repo") => res(aws.ecr.Repository, props, { name });
const lifecycle = (props: Record<string, any>, deps: string[] = [], name = "shop-lifecycle") =>
    res(aws.ecr.LifecyclePolicy, { policy: '{"rules":[]}', ...props }, { name, propertyDependencies: deps.length ? { repository: deps } : {} });
const registryScanning = (rules: unknown) => res(aws.ecr.RegistryScanningConfiguration, { scanType: "ENHANCED", rules }, { name: "registry-scanning" });
const NO_SCAN = (found: string) =>
    `ECR repository must scan images on push: imageScanningConfiguration.scanOnPush is ${found} and no registry scanning rule covers it, expected scanOnPush true or a SCAN_ON_PUSH/CONTINUOUS_SCAN registry rule matching the repository.`;

describe("policies: ecr", () => {
    describe("ecr-scan-on-push", () => {
        it("passes a repository that scans on push", async () => {
            assert.deepStrictEqual(await run(ecrScanOnPush, repo(goodRepo)), []);
        });
        it("rejects a repository without scanning, as mandatory, on that repository", async () => {
            const diags = await run(ecrScanOnPush, repo({ name: "shop" }));
            assert.deepStrictEqual(messages(diags), [NO_SCAN("(unset)")]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.strictEqual(diags[0].urn, "urn:pulumi:test::baseline::aws:ecr/repository:Repository::shop-repo");
        });
        it("accepts a registry rule that scans every repository, or this one by name", async () => {
            const noScan = repo({ name: "shop", imageScanningConfiguration: { scanOnPush: false } });
            const everything = registryScanning([{ scanFrequency: "CONTINUOUS_SCAN", repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }] }]);
            assert.deepStrictEqual(await run(ecrScanOnPush, [noScan, everything]), []);
            const byName = registryScanning([{ scanFrequency: "SCAN_ON_PUSH", repositoryFilters: [{ filter: "sh*", filterType: "WILDCARD" }] }]);
            assert.deepStrictEqual(await run(ecrScanOnPush, [noScan, byName]), []);
        });
        it("rejects when the registry rules are manual or match other repositories", async () => {
            const noScan = repo({ name: "shop", imageScanningConfiguration: { scanOnPush: false } });
            const config = registryScanning([
                { scanFrequency: "MANUAL", repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }] },
                { scanFrequency: "SCAN_ON_PUSH", repositoryFilters: [{ filter: "billing-*", filterType: "WILDCARD" }] },
            ]);
            assert.deepStrictEqual(messages(await run(ecrScanOnPush, [noScan, config])), [NO_SCAN("false")]);
        });
        it("reports unknown scanOnPush, or a registry rule it cannot match, as unverifiable", async () => {
            const unknown = await run(ecrScanOnPush, repo({ name: "shop", imageScanningConfiguration: { scanOnPush: UNKNOWN_BOOL } }));
            assert.strictEqual(unknown.length, 1);
            assert.match(unknown[0].message, /^Cannot verify during preview that images are scanned on push: imageScanningConfiguration\.scanOnPush is \(unknown until apply\)/);
            const unnamed = repo({ name: UNKNOWN });
            const prefixRule = registryScanning([{ scanFrequency: "SCAN_ON_PUSH", repositoryFilters: [{ filter: "shop*", filterType: "WILDCARD" }] }]);
            const diags = await run(ecrScanOnPush, [unnamed, prefixRule]);
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that a registry scanning rule \(with values unknown until apply\) scans the repository on push: imageScanningConfiguration\.scanOnPush is \(unset\)/);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("lets a registry configuration replace the repository setting when ENHANCED, or BASIC with rules, and says unknown while either is", () => {
            assert.deepStrictEqual(
                [{ scanType: "ENHANCED", rules: [] }, { scanType: "BASIC", rules: [{ scanFrequency: "SCAN_ON_PUSH" }] }, { scanType: "BASIC", rules: [] }, { scanType: "BASIC" }].map(replacesRepositorySetting),
                [true, true, false, false],
            );
            assert.strictEqual(replacesRepositorySetting({ scanType: UNKNOWN, rules: [] }), "unknown");
            assert.strictEqual(replacesRepositorySetting({ scanType: "BASIC", rules: UNKNOWN }), "unknown");
        });
        it("matches registry filters as ECR wildcards", () => {
            assert.deepStrictEqual(
                [["*", "a"], ["shop*", "shop-api"], ["shop*", "my-shop"], ["*-prod", "api-prod"], ["a.b", "axb"], ["shop", "shop"]].map(([f, v]) => wildcardMatches(f, v)),
                [true, true, false, true, false, true],
            );
            assert.strictEqual(registryCoverage({ rules: UNKNOWN }, "shop"), "unknown");
            assert.strictEqual(registryCoverage({ rules: [] }, "shop"), "no");
        });
    });

    describe("ecr-immutable-tags", () => {
        it("passes IMMUTABLE and IMMUTABLE_WITH_EXCLUSION with a narrow filter", async () => {
            assert.deepStrictEqual(await run(ecrImmutableTags, repo(goodRepo)), []);
            const withExclusion = { ...goodRepo, imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "latest", filterType: "WILDCARD" }] };
            assert.deepStrictEqual(await run(ecrImmutableTags, repo(withExclusion)), []);
        });
        it("rejects mutable tags (the default), as advisory", async () => {
            const diags = await run(ecrImmutableTags, repo({ name: "shop" }));
            assert.deepStrictEqual(messages(diags), ['ECR repository must have immutable tags: imageTagMutability is (unset), expected "IMMUTABLE" or "IMMUTABLE_WITH_EXCLUSION".']);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.deepStrictEqual(messages(await run(ecrImmutableTags, repo({ imageTagMutability: "MUTABLE" }))), [
                'ECR repository must have immutable tags: imageTagMutability is "MUTABLE", expected "IMMUTABLE" or "IMMUTABLE_WITH_EXCLUSION".',
            ]);
        });
        it("rejects an exclusion filter that matches every tag", async () => {
            const all = { imageTagMutability: "IMMUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "latest", filterType: "WILDCARD" }, { filter: "*", filterType: "WILDCARD" }] };
            assert.deepStrictEqual(messages(await run(ecrImmutableTags, repo(all))), [
                'ECR repository must have immutable tags: imageTagMutabilityExclusionFilters excludes "*", which makes every tag mutable, expected filters for specific tags such as "latest".',
            ]);
        });
        it("can be made mandatory through config", async () => {
            const diags = await run(ecrImmutableTags, repo({ imageTagMutability: "MUTABLE" }), { enforcementLevel: "mandatory" });
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
    });

    describe("ecr-lifecycle-policy", () => {
        it("passes a repository joined to its lifecycle policy by dependency (name unknown) or by name", async () => {
            const unnamed = repo({});
            assert.deepStrictEqual(await run(ecrLifecyclePolicy, [unnamed, lifecycle({ repository: UNKNOWN }, [unnamed.urn])]), []);
            assert.deepStrictEqual(await run(ecrLifecyclePolicy, [repo(goodRepo), lifecycle({ repository: "shop" })]), []);
        });
        it("rejects a repository without one, as advisory", async () => {
            const other = repo({ name: "billing" }, "billing-repo");
            const diags = await run(ecrLifecyclePolicy, [repo(goodRepo), other, lifecycle({ repository: "billing" })]);
            assert.deepStrictEqual(messages(diags), ['ECR repository must have a lifecycle policy: no aws.ecr.LifecyclePolicy refers to repository "shop-repo", expected one that expires old images.']);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
            assert.strictEqual(diags[0].urn, "urn:pulumi:test::baseline::aws:ecr/repository:Repository::shop-repo");
        });
        it("says it cannot tell when a lifecycle policy's repository is unknown and untraceable", async () => {
            const diags = await run(ecrLifecyclePolicy, [repo(goodRepo), lifecycle({ repository: UNKNOWN })]);
            assert.strictEqual(diags.length, 1);
            assert.match(diags[0].message, /^Cannot verify during preview that a lifecycle policy manages the repository: name is "shop"/);
        });
        it("reports an exempted repository with its reason", async () => {
            const diags = await run(ecrLifecyclePolicy, repo(goodRepo), { exemptions: [{ resource: "shop-repo", reason: "images are pruned by the release pipeline" }] });
            assert.deepStrictEqual(messages(diags), [
                'Exempted (images are pruned by the release pipeline): ECR repository must have a lifecycle policy: no aws.ecr.LifecyclePolicy refers to repository "shop-repo", expected one that expires old images.',
            ]);
        });
    });
});
