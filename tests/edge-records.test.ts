import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PublicRecords, PublicRecordsArgs, publicRecordsProblems } from "../infra/edge/records";
import { Run, runUnderMocks, stackConfig } from "./harness";
import { runProgram } from "../tools/offline/run-program";

const RECORD = "aws:route53/record:Record";
const ZONE = "Z0123456789MOCKZONE";
const DOMAIN = { name: "pos.example.com", zoneName: "example.com" };
const DISTRIBUTION = { kind: "distribution" as const, dnsName: "d111111abcdef8.cloudfront.net", zoneId: "Z2FDTNDATAQYW2" };
const ALB = { dnsName: "pos-prod-alb-123.eu-west-1.elb.amazonaws.com", zoneId: "Z32O12XQLNTSW2" };

const records = (run: Run) => run.ofType(RECORD).map((r) => [r.name, r.wireInputs]);

describe("PublicRecords", () => {
    it("behind CloudFront: the domain is an A and an AAAA alias of the distribution, and origin.<domain> an A alias of the load balancer", async () => {
        const run = await runUnderMocks(() => new PublicRecords("edge-dns", {
            domain: DOMAIN, hostedZoneId: ZONE, entry: DISTRIBUTION, origin: { name: "origin.pos.example.com", ...ALB },
        }), "prod");
        assert.deepStrictEqual(records(run), [
            // Route 53 cannot evaluate a distribution's health; the load balancer's it can.
            ["edge-dns-a", { zoneId: ZONE, name: "pos.example.com", type: "A", aliases: [{ name: DISTRIBUTION.dnsName, zoneId: DISTRIBUTION.zoneId, evaluateTargetHealth: false }] }],
            ["edge-dns-aaaa", { zoneId: ZONE, name: "pos.example.com", type: "AAAA", aliases: [{ name: DISTRIBUTION.dnsName, zoneId: DISTRIBUTION.zoneId, evaluateTargetHealth: false }] }],
            ["edge-dns-origin", { zoneId: ZONE, name: "origin.pos.example.com", type: "A", aliases: [{ name: ALB.dnsName, zoneId: ALB.zoneId, evaluateTargetHealth: true }] }],
        ]);
        const root = run.one("baseline:edge:PublicRecords");
        for (const r of run.ofType(RECORD)) assert.strictEqual(r.parent, root.urn, r.name);
    });

    it("without CloudFront: only an A alias of the load balancer (an ipv4 load balancer has no IPv6 address to answer with)", async () => {
        const run = await runUnderMocks(() => new PublicRecords("edge-dns", { domain: DOMAIN, hostedZoneId: ZONE, entry: { kind: "loadBalancer", ...ALB } }), "prod");
        assert.deepStrictEqual(records(run), [
            ["edge-dns-a", { zoneId: ZONE, name: "pos.example.com", type: "A", aliases: [{ name: ALB.dnsName, zoneId: ALB.zoneId, evaluateTargetHealth: true }] }],
        ]);
    });

    it("keeps the identity of the A record the load balancer created (an alias to `edge-alias` under it), so the name is never deleted and re-created", async () => {
        const run = await runUnderMocks(() => {
            const former = new pulumi.ComponentResource("baseline:edge:LoadBalancer", "edge");
            return new PublicRecords("edge-dns", { domain: DOMAIN, hostedZoneId: ZONE, entry: DISTRIBUTION, formerA: { name: "edge-alias", parent: former } });
        }, "prod");
        const a = run.one(RECORD, "edge-dns-a");
        assert.deepStrictEqual(a.aliases, [`urn:pulumi:prod::baseline::baseline:edge:LoadBalancer$aws:route53/record:Record::edge-alias`]);
        assert.deepStrictEqual(run.one(RECORD, "edge-dns-aaaa").aliases, []);
    });

    it("refuses an origin name outside the zone or equal to the domain, before anything is registered", async () => {
        const args = (name: string): PublicRecordsArgs => ({ domain: DOMAIN, hostedZoneId: ZONE, entry: DISTRIBUTION, origin: { name, ...ALB } });
        const expected = (name: string) => [`origin.name = ${JSON.stringify(name)} is not allowed: expected a DNS name inside "example.com" other than the domain "pos.example.com"`];
        assert.deepStrictEqual(publicRecordsProblems(args("origin.pos.example.org")), expected("origin.pos.example.org"));
        assert.deepStrictEqual(publicRecordsProblems(args("pos.example.com")), expected("pos.example.com"));
        assert.deepStrictEqual(publicRecordsProblems(args("origin.pos.example.com")), []);
        const result = await runProgram(() => new PublicRecords("edge-dns", args("origin.pos.example.org")), { stack: "prod", config: stackConfig("prod") });
        assert.strictEqual((result.error as Error).message, `PublicRecords has invalid arguments:\n  - ${expected("origin.pos.example.org")[0]}`);
        assert.deepStrictEqual(result.resources, []);
    });
});
