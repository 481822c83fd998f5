import * as assert from "assert";
import { deniesInsecureTransport, publicStatements, unknownPublicPaths, unknownTlsDenyPath } from "../../policies/storage/documents";
import { UNKNOWN } from "./helpers";

/**
 * The pure document reads behind the s3-* policies, over what they enumerate: each condition key
 * that keeps a `*` principal from being public (the keys S3 itself accepts; a key the pack forgot
 * would turn a restricted grant into a reported public one, a mandatory false positive), which
 * unknown values decide publicity, and each part of a TLS deny. Keys the pack must not trust are
 * checked in storage.test.ts and bypass.test.ts.
 */
const RESTRICTING: [string, string][] = [
    ["aws:SourceArn", "arn:aws:cloudfront::123456789012:distribution/E1"], ["aws:SourceAccount", "123456789012"], ["aws:SourceOwner", "123456789012"],
    ["aws:SourceOrgID", "o-abc123"], ["aws:SourceVpc", "vpc-0123"], ["aws:SourceVpce", "vpce-0123"], ["aws:SourceIp", "203.0.113.0/24"],
    ["aws:PrincipalAccount", "123456789012"], ["aws:PrincipalArn", "arn:aws:iam::123456789012:role/reader"], ["aws:PrincipalOrgID", "o-abc123"],
    ["aws:PrincipalOrgPaths", "o-abc123/r-ab12/ou-ab12-11111111/"], ["aws:userid", "AROAEXAMPLE:reader"],
    ["s3:DataAccessPointArn", "arn:aws:s3:eu-west-1:123456789012:accesspoint/reader"], ["s3:DataAccessPointAccount", "123456789012"],
];

const statement = (condition?: Record<string, unknown>) => ({
    Sid: "Read", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::assets/*", ...(condition ? { Condition: condition } : {}),
});

describe("policies: bucket policy documents (storage/documents)", () => {
    it("counts a \"*\" principal without a condition as public", () => {
        assert.deepStrictEqual(publicStatements({ Statement: [statement()] }).map((s) => s.Sid), ["Read"]);
    });

    for (const [key, value] of RESTRICTING) {
        it(`does not count "*" restricted by ${key} as public`, () => {
            assert.deepStrictEqual(publicStatements({ Statement: [statement({ StringEquals: { [key]: value } })] }), []);
        });
    }

    it("finds the values unknown until apply that decide whether a statement is public, and only those", () => {
        assert.deepStrictEqual(unknownPublicPaths({ Statement: UNKNOWN }), ["Statement"]);
        assert.deepStrictEqual(unknownPublicPaths({ Statement: [{ Effect: "Allow", Principal: UNKNOWN }] }), ["Statement[0].Principal"]);
        assert.deepStrictEqual(unknownPublicPaths({ Statement: [{ Effect: "Allow", Principal: "*", Condition: UNKNOWN }] }), ["Statement[0].Condition"]);
        assert.deepStrictEqual(unknownPublicPaths({ Statement: [{ Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::123456789012:root" }, Condition: UNKNOWN }] }), ["Statement[0].Condition"]);
        // A Deny, or an Allow already restricted to one account, cannot make the bucket public whatever the unknown value.
        assert.deepStrictEqual(unknownPublicPaths({ Statement: [{ Effect: "Deny", Principal: UNKNOWN }] }), []);
        assert.deepStrictEqual(unknownPublicPaths({ Statement: [{ Effect: "Allow", Principal: UNKNOWN, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }] }), []);
    });

    describe("the TLS deny", () => {
        const tlsDeny = { Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } }, Resource: ["arn:aws:s3:::assets", "arn:aws:s3:::assets/*"] };

        it("accepts Action \"*\" as well as s3:*", () => {
            assert.strictEqual(deniesInsecureTransport({ Statement: [{ ...tlsDeny, Action: "*" }] }, "assets"), true);
        });
        it("waits for an unknown Resource only on a statement that is otherwise a TLS deny", () => {
            assert.strictEqual(unknownTlsDenyPath({ Statement: [{ ...tlsDeny, Resource: UNKNOWN }] }, "assets"), "Statement[0].Resource");
            assert.strictEqual(unknownTlsDenyPath({ Statement: [{ ...tlsDeny, Action: "*", Resource: UNKNOWN }] }, "assets"), "Statement[0].Resource");
            assert.strictEqual(unknownTlsDenyPath({ Statement: [{ ...tlsDeny, Condition: UNKNOWN }] }, "assets"), "Statement[0].Condition");
            assert.strictEqual(unknownTlsDenyPath({ Statement: [{ ...tlsDeny, Resource: "arn:aws:s3:::other/*", Condition: UNKNOWN }] }, "assets"), undefined, "another bucket");
            assert.strictEqual(unknownTlsDenyPath({ Statement: [{ ...tlsDeny, Condition: { Bool: { "aws:SecureTransport": "true" } }, Resource: UNKNOWN }] }, "assets"), undefined, "TLS allowed");
            for (const [what, change] of [["an Allow", { Effect: "Allow" }], ["one account", { Principal: { AWS: "arn:aws:iam::123456789012:root" } }], ["one action", { Action: "s3:GetObject" }]] as const) {
                assert.strictEqual(unknownTlsDenyPath({ Statement: [{ ...tlsDeny, ...change, Resource: UNKNOWN }] }, "assets"), undefined, what);
            }
        });
    });
});
