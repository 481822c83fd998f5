import * as assert from "assert";
import { Run, runStack } from "./harness";

/**
 * What `pulumi destroy` does to keys and buckets, per stack, as the whole program registers them.
 * Prod deletes nothing (protect refuses the destroy). Staging's destroy must complete, yet leave its
 * keys: the final snapshots and retained backups it keeps are encrypted with them.
 */
const row = (run: Run, type: string) =>
    run.ofType(type).map((r) => [r.name, r.protect, r.retainOnDelete, r.inputs.forceDestroy]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe("destroy behaviour of keys and buckets", () => {
    for (const stack of ["prod", "staging"] as const) {
        const prod = stack === "prod";

        describe(stack, () => {
            let run: Run;
            before(async () => {
                run = await runStack(stack);
            });

            it(`keeps every key (retainOnDelete), ${prod ? "protected" : "unprotected so the destroy completes"}`, () => {
                assert.deepStrictEqual(row(run, "aws:kms/key:Key"), [
                    // The alert topic's, the trail's and the backup vaults' keys (the copy vault's only where there is a copy region: prod).
                    ["alerts-key", prod, true, undefined],
                    ["audit-trail-key", prod, true, undefined],
                    ...(prod ? [["backup-copy-vault-key", true, true, undefined]] : []),
                    ["backup-vault-key", prod, true, undefined],
                    // us-east-1's key of the CloudFront web ACL's logs.
                    ["edge-logs-key", prod, true, undefined],
                    ["keys-data", prod, true, undefined],
                    ["keys-logs", prod, true, undefined],
                    ["keys-storage", prod, true, undefined],
                ]);
            });

            it("deletes the aliases, so a re-created stack can take their names", () => {
                assert.deepStrictEqual(row(run, "aws:kms/alias:Alias").map(([name, protect, retain]) => [name, protect, retain]), [
                    ["alerts-key-alias", false, false],
                    ["audit-trail-key-alias", false, false],
                    ...(prod ? [["backup-copy-vault-key-alias", false, false]] : []),
                    ["backup-vault-key-alias", false, false],
                    ["edge-logs-key-alias", false, false],
                    ["keys-data-alias", false, false],
                    ["keys-logs-alias", false, false],
                    ["keys-storage-alias", false, false],
                ]);
            });

            it(`keeps the WAF log groups ${prod ? "(audit evidence)" : "only in prod: staging's go"}, and deletes the edge itself, but for CloudFront's certificate validation record`, () => {
                const waf = run.ofType("aws:cloudwatch/logGroup:LogGroup").filter((g) => String(g.inputs.name).startsWith("aws-waf-logs-"));
                assert.deepStrictEqual(waf.map((g) => [g.inputs.name, g.protect, g.retainOnDelete]).sort(), [
                    [`aws-waf-logs-pos-${stack}-cloudfront`, false, prod],
                    [`aws-waf-logs-pos-${stack}-regional`, false, prod],
                ]);
                const kept = run.resources.filter((r) => r.retainOnDelete && /^edge-(cdn|waf|dns|origin)/.test(r.name)).map((r) => r.name);
                // The CNAME ACM renews the regional certificate with too: turning CloudFront off must not remove it.
                assert.deepStrictEqual(kept.filter((n) => !n.startsWith("edge-cdn-waf-log") && !n.startsWith("edge-waf-log")), [`edge-cdn-validation-${stack === "prod" ? "pos.example.com" : "pos.staging.example.com"}`]);
            });

            it(`keeps the backup vaults in every environment (AWS refuses to delete a vault holding recovery points), ${prod ? "protected" : "unprotected"}`, () => {
                assert.deepStrictEqual(row(run, "aws:backup/vault:Vault"), [
                    ...(prod ? [["backup-copy-vault", true, true, undefined]] : []),
                    ["backup-vault", prod, true, undefined],
                ]);
            });

            it(prod ? "keeps the audit trail's log group and the application's secrets" : "deletes the audit trail's log group and the application's secrets at once, so the stack can be re-created", () => {
                const kept = (type: string) => run.ofType(type).map((r) => [r.name, r.protect, r.retainOnDelete]).sort();
                assert.deepStrictEqual(kept("aws:cloudwatch/logGroup:LogGroup").filter(([n]) => n === "audit-trail-logs"), [["audit-trail-logs", prod, prod]]);
                assert.deepStrictEqual(
                    run.ofType("aws:secretsmanager/secret:Secret").filter((r) => r.name.startsWith("app-settings")).map((r) => [r.name, r.protect, r.retainOnDelete, r.inputs.recoveryWindowInDays]),
                    [["app-settings-secret-JWT_SIGNING_SECRET", prod, prod, prod ? 30 : 0]],
                );
            });

            it(prod ? "protects and keeps every bucket, never force-destroyed" : "empties and deletes every bucket (forceDestroy)", () => {
                assert.deepStrictEqual(row(run, "aws:s3/bucket:Bucket"), [
                    ["audit-trail-bucket", prod, prod, !prod],
                    ["storage-assets", prod, prod, !prod],
                    ["storage-logs", prod, prod, !prod],
                ]);
            });
        });
    }
});
