import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { TLS_POLICIES } from "../infra/config/sections/compute";
import { LoadBalancerArgs } from "../infra/edge/args";
import { LoadBalancer } from "../infra/edge/load-balancer";
import { MAX_LOAD_BALANCER_NAME, MAX_LOAD_BALANCER_NAME_PREFIX, isInZone, loadBalancerName, publicUrl, validationNames } from "../infra/edge/naming";
import { NOT_FOUND, REDIRECT_TO_HTTPS } from "../infra/edge/settings";
import { loadBalancerProblems, validateLoadBalancerArgs } from "../infra/edge/validate";
import { albListenerTls } from "../policies/edge/loadbalancer";
import { runProgram } from "../tools/offline/run-program";
import { stackConfig } from "./harness";

/** Arguments that pass; each test changes one thing. */
const ARGS: LoadBalancerArgs = {
    loadBalancer: { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", deregistrationDelaySeconds: 30, idleTimeoutSeconds: 60 },
    domain: { name: "pos.example.com", zoneName: "example.com" },
    namePrefix: "pos-prod",
    subnetIds: ["subnet-public-a", "subnet-public-b"],
    securityGroupIds: ["sg-load-balancer"],
    accessLogs: { bucketName: "pos-prod-logs-123456789012", prefix: "alb-access", bucketPolicy: {} as pulumi.Resource },
};
const problems = (change: Partial<LoadBalancerArgs>) => loadBalancerProblems({ ...ARGS, ...change });
const PREFIX_RULE = 'lowercase letters, digits and hyphens, in segments joined by "/" with none at either end, such as alb-access';

describe("edge helpers", () => {
    it("names the load balancer <prefix>-alb, at most AWS's 32 characters", () => {
        assert.strictEqual(loadBalancerName("pos-prod"), "pos-prod-alb");
        assert.strictEqual(MAX_LOAD_BALANCER_NAME, 32);
        assert.strictEqual(loadBalancerName("a".repeat(MAX_LOAD_BALANCER_NAME_PREFIX)).length, 32);
    });

    it("places names in a zone by whole labels", () => {
        assert.strictEqual(isInZone("example.com", "example.com"), true);
        assert.strictEqual(isInZone("pos.example.com", "example.com"), true);
        assert.strictEqual(isInZone("posexample.com", "example.com"), false);
        assert.strictEqual(isInZone("example.com.evil.io", "example.com"), false);
    });

    it("validates each name once, a wildcard through its base name's record", () => {
        assert.deepStrictEqual(validationNames("pos.example.com", []), ["pos.example.com"]);
        assert.deepStrictEqual(validationNames("pos.example.com", ["*.pos.example.com", "www.example.com"]), ["pos.example.com", "www.example.com"]);
        assert.strictEqual(publicUrl("pos.example.com"), "https://pos.example.com");
    });

    it("redirects HTTP permanently to HTTPS 443, and answers unmatched HTTPS requests with a plain 404", () => {
        assert.deepStrictEqual(REDIRECT_TO_HTTPS, { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } });
        assert.deepStrictEqual(NOT_FOUND, { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Not found", statusCode: "404" } });
    });

    it("accepts only TLS 1.2+ policies the pack's alb-listener-tls allows by default", () => {
        const packDefault = albListenerTls.configSchema!.properties!.allowedSslPolicies.default as string[];
        assert.deepStrictEqual(TLS_POLICIES.filter((p) => !packDefault.includes(p)), []);
        // No TLS 1.0/1.1 policy (2016-08, TLS-1-0, TLS-1-1) and none of the Ext ones with older ciphers.
        assert.deepStrictEqual(TLS_POLICIES.filter((p) => /2016-08|2015-|TLS-1-[01]|Ext/.test(p)), []);
        assert.ok(TLS_POLICIES.includes("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"), "the policy AWS recommends");
    });
});

describe("LoadBalancer argument validation", () => {
    it("accepts the arguments main.ts builds", () => {
        assert.deepStrictEqual(problems({}), []);
        assert.deepStrictEqual(problems({ domain: { name: "example.com", zoneName: "example.com" }, subjectAlternativeNames: ["*.example.com"] }), []);
    });

    it("refuses a TLS policy that still accepts TLS 1.0, naming the allowed ones", () => {
        assert.deepStrictEqual(problems({ loadBalancer: { ...ARGS.loadBalancer, sslPolicy: "ELBSecurityPolicy-2016-08" } }), [
            `loadBalancer.sslPolicy = "ELBSecurityPolicy-2016-08" is not allowed: expected one of ${TLS_POLICIES.map((p) => JSON.stringify(p)).join(", ")}`,
        ]);
    });

    it("refuses idle timeouts and deregistration delays outside AWS's ranges", () => {
        assert.deepStrictEqual(problems({ loadBalancer: { ...ARGS.loadBalancer, idleTimeoutSeconds: 0, deregistrationDelaySeconds: 3601 } }), [
            "loadBalancer.deregistrationDelaySeconds = 3601 is not allowed: expected an integer from 0 to 3600",
            "loadBalancer.idleTimeoutSeconds = 0 is not allowed: expected an integer from 1 to 4000",
        ]);
        assert.deepStrictEqual(problems({ loadBalancer: { ...ARGS.loadBalancer, idleTimeoutSeconds: 4000, deregistrationDelaySeconds: 0 } }), []);
    });

    it("refuses a domain outside the hosted zone, and a zone-suffix lookalike", () => {
        for (const name of ["pos.example.org", "posexample.com"]) {
            assert.deepStrictEqual(problems({ domain: { name, zoneName: "example.com" } }), [
                `domain.name = "${name}" is not allowed: expected a name inside zoneName "example.com" (the certificate is validated and the alias created in that zone)`,
            ]);
        }
    });

    it("refuses further certificate names outside the zone, malformed or repeated", () => {
        assert.deepStrictEqual(problems({ subjectAlternativeNames: ["www.example.org", "Bad_Name", "pos.example.com", "*.pos.example.com", "*.pos.example.com"] }), [
            'subjectAlternativeNames[0] = "www.example.org" is not allowed: expected a name inside zoneName "example.com", where its validation record goes',
            'subjectAlternativeNames[1] = "Bad_Name" is not allowed: expected a lowercase DNS name, optionally starting with *., such as www.example.com',
            'subjectAlternativeNames[2] = "pos.example.com" is not allowed: expected a name not already on the certificate',
            'subjectAlternativeNames[4] = "*.pos.example.com" is not allowed: expected a name not already on the certificate',
        ]);
    });

    it("refuses a name prefix that would make an invalid or over-long load balancer name", () => {
        const long = "a".repeat(MAX_LOAD_BALANCER_NAME_PREFIX + 1);
        assert.deepStrictEqual(problems({ namePrefix: long }), [
            `namePrefix = "${long}" is not allowed: expected at most 28 characters, so that the load balancer's name "${long}-alb" stays within AWS's 32`,
        ]);
        assert.deepStrictEqual(problems({ namePrefix: "Pos_prod" }), [
            'namePrefix = "Pos_prod" is not allowed: expected lowercase letters and digits in words joined by single hyphens, such as pos-prod',
        ]);
        assert.deepStrictEqual(problems({ namePrefix: "internal-tools" }), [
            'namePrefix = "internal-tools" is not allowed: expected a prefix other than "internal", which AWS reserves for load balancer names',
        ]);
    });

    it("refuses a log prefix ELB cannot write under, no security group, one subnet and a desync mode below defensive", () => {
        assert.deepStrictEqual(
            problems({
                accessLogs: { ...ARGS.accessLogs, prefix: "/alb/" },
                securityGroupIds: [],
                subnetIds: ["subnet-public-a"],
                desyncMitigationMode: "monitor" as never,
            }),
            [
                "securityGroupIds = [] is not allowed: expected the load balancer's security group",
                'subnetIds = ["subnet-public-a"] is not allowed: expected public subnets in at least two availability zones',
                `accessLogs.prefix = "/alb/" is not allowed: expected ${PREFIX_RULE}`,
                'desyncMitigationMode = "monitor" is not allowed: expected one of "defensive", "strictest"',
            ],
        );
    });

    it("throws every problem at once", () => {
        assert.throws(() => validateLoadBalancerArgs({ ...ARGS, namePrefix: "Pos", loadBalancer: { ...ARGS.loadBalancer, idleTimeoutSeconds: 0 } }), {
            message:
                "LoadBalancer has invalid arguments:\n" +
                "  - loadBalancer.idleTimeoutSeconds = 0 is not allowed: expected an integer from 1 to 4000\n" +
                '  - namePrefix = "Pos" is not allowed: expected lowercase letters and digits in words joined by single hyphens, such as pos-prod',
        });
    });

    it("fails before registering anything", async () => {
        const result = await runProgram(() => new LoadBalancer("edge", { ...ARGS, loadBalancer: { ...ARGS.loadBalancer, sslPolicy: "ELBSecurityPolicy-TLS-1-1-2017-01" } }), {
            stack: "prod",
            config: stackConfig("prod"),
        });
        assert.match(String(result.error), /^Error: LoadBalancer has invalid arguments:\n {2}- loadBalancer\.sslPolicy = "ELBSecurityPolicy-TLS-1-1-2017-01" is not allowed/);
        assert.deepStrictEqual(result.resources, []);
    });
});
