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
                    // us-east-1's key of the CloudFront web ACL's logs.
                    ["edge-logs-key", prod, true, undefined],
                    ["keys-data", prod, true, undefined],
                    ["keys-logs", prod, true, undefined],
                    ["keys-storage", prod, true, undefined],
                ]);
            });

            it("deletes the aliases, so a re-created stack can take their names", () => {
                assert.deepStrictEqual(row(run, "aws:kms/alias:Alias").map(([name, protect, retain]) => [name, protect, retain]), [
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

            it(prod ? "protects and keeps both buckets, never force-destroyed" : "empties and deletes both buckets (forceDestroy)", () => {
                assert.deepStrictEqual(row(run, "aws:s3/bucket:Bucket"), [
                    ["storage-assets", prod, prod, !prod],
                    ["storage-logs", prod, prod, !prod],
                ]);
            });
        });
    }
});
