import * as aws from "@pulumi/aws";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { LoadBalancer } from "../infra/edge/load-balancer";
import { MOCK_ACCOUNT_ID, MOCK_HOSTED_ZONE_ID, mockCertificateArn, mockLoadBalancerArnSuffix, mockValidationRecord } from "../tools/offline/mock-outputs";
import { Edge, Invoke, LB_SECURITY_GROUP, PUBLIC_SUBNETS, edge, recordInvokes } from "./edge-fixtures";
import { Run, isSecret, runUnderMocks } from "./harness";
import { UNKNOWN } from "./policies/helpers";

const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((done) => o.apply(done));

const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const CERTIFICATE = "aws:acm/certificate:Certificate";
const VALIDATION = "aws:acm/certificateValidation:CertificateValidation";
const RECORD = "aws:route53/record:Record";
/** eu-west-1's canonical hosted zone for application load balancers. */
const ALB_ZONE_ID = "Z32O12XQLNTSW2";

const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";
/** Set through config, so the tests pin what they assert whatever the profiles' defaults become. */
const STACKS = {
    prod: { domain: "pos.example.com", idleTimeoutSeconds: 120, deletionProtection: true },
    staging: { domain: "pos.staging.example.com", idleTimeoutSeconds: 60, deletionProtection: false },
} as const;
const configFor = (stack: keyof typeof STACKS) => ({
    "baseline:loadBalancer": { sslPolicy: TLS_POLICY, idleTimeoutSeconds: STACKS[stack].idleTimeoutSeconds },
    "baseline:domain": { name: STACKS[stack].domain, zoneName: "example.com" },
});
const CERTIFICATE_ARN = mockCertificateArn("eu-west-1", "edge-certificate");
const albArn = (stack: string) => `arn:aws:elasticloadbalancing:eu-west-1:${MOCK_ACCOUNT_ID}:loadbalancer/${mockLoadBalancerArnSuffix(`pos-${stack}-alb`)}`;

for (const stack of ["prod", "staging"] as const) {
    describe(`LoadBalancer component (${stack})`, () => {
        const { domain, idleTimeoutSeconds, deletionProtection } = STACKS[stack];
        const logBucket = `pos-${stack}-logs-${MOCK_ACCOUNT_ID}`;
        const invokes: Invoke[] = [];
        let run: Run;
        let parts: Edge;

        before(async () => {
            run = await runUnderMocks(() => {
                recordInvokes(invokes);
                parts = edge();
            }, stack, configFor(stack));
        });

        const alb = () => run.one(LB, "edge-alb");
        const listener = (name: "edge-https" | "edge-http") => run.one(LISTENER, name);
        const certificate = () => run.one(CERTIFICATE, "edge-certificate");
        const validation = () => run.one(VALIDATION, "edge-certificate-validation");
        const validationRecord = () => run.one(RECORD, `edge-validation-${domain}`);

        it(`registers an internet-facing ALB in the public subnets, hardened, logging to the log bucket, ${deletionProtection ? "with" : "without"} deletion protection`, () => {
            assert.deepStrictEqual(alb().wireInputs, {
                name: `pos-${stack}-alb`,
                loadBalancerType: "application",
                internal: false,
                ipAddressType: "ipv4",
                subnets: PUBLIC_SUBNETS,
                securityGroups: [LB_SECURITY_GROUP],
                dropInvalidHeaderFields: true,
                desyncMitigationMode: "defensive",
                enableHttp2: true,
                preserveHostHeader: true,
                xffHeaderProcessingMode: "append",
                enableWafFailOpen: false,
                idleTimeout: idleTimeoutSeconds,
                enableDeletionProtection: deletionProtection,
                accessLogs: { bucket: logBucket, prefix: "alb-access", enabled: true },
            });
        });

        it("creates the ALB only once the log bucket's policy lets ELB write (AWS checks when logging is turned on)", () => {
            const policy = run.one("aws:s3/bucketPolicy:BucketPolicy", "storage-logs-policy");
            assert.ok(alb().dependencies.includes(policy.urn), `dependencies: ${alb().dependencies.join(", ")}`);
            assert.deepStrictEqual(alb().propertyDependencies.accessLogs, [run.one("aws:s3/bucket:Bucket", "storage-logs").urn]);
        });

        it("lets ELB log delivery (eu-west-1: the Region's ELB account) put objects under the prefix, for this account only", () => {
            const policy = JSON.parse(run.one("aws:s3/bucketPolicy:BucketPolicy", "storage-logs-policy").wireInputs.policy);
            assert.deepStrictEqual(policy.Statement.find((s: any) => s.Sid === "AllowElbAccessLogDelivery"), {
                Sid: "AllowElbAccessLogDelivery",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::156460612806:root" },
                Action: "s3:PutObject",
                Resource: `arn:aws:s3:::${logBucket}/alb-access/AWSLogs/${MOCK_ACCOUNT_ID}/*`,
            });
        });

        it("serves HTTPS on 443 with the stack's TLS policy, the certificate as validated, and a 404 for unmatched requests", () => {
            const https = listener("edge-https");
            assert.deepStrictEqual(https.wireInputs, {
                loadBalancerArn: albArn(stack),
                port: 443,
                protocol: "HTTPS",
                sslPolicy: TLS_POLICY,
                certificateArn: CERTIFICATE_ARN,
                defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Not found", statusCode: "404" } }],
            });
            assert.deepStrictEqual(https.propertyDependencies.loadBalancerArn, [alb().urn]);
            // From the validation, not the certificate: the listener waits until ACM has issued it.
            assert.deepStrictEqual(https.propertyDependencies.certificateArn, [validation().urn]);
        });

        it("answers port 80 only with a permanent redirect to HTTPS 443", () => {
            const http = listener("edge-http");
            assert.deepStrictEqual(http.wireInputs, {
                loadBalancerArn: albArn(stack),
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            });
            assert.deepStrictEqual(http.propertyDependencies.loadBalancerArn, [alb().urn]);
            assert.deepStrictEqual(run.ofType(LISTENER).map((l) => l.name).sort(), ["edge-http", "edge-https"]);
        });

        it("requests a DNS-validated certificate for the domain only, and validates it through a CNAME in the public zone", () => {
            assert.deepStrictEqual(certificate().wireInputs, { domainName: domain, validationMethod: "DNS" });
            const expected = mockValidationRecord(domain);
            assert.deepStrictEqual(validationRecord().wireInputs, {
                zoneId: MOCK_HOSTED_ZONE_ID,
                name: expected.resourceRecordName,
                type: "CNAME",
                records: [expected.resourceRecordValue],
                ttl: 60,
                allowOverwrite: true,
            });
            assert.deepStrictEqual(validationRecord().propertyDependencies.name, [certificate().urn]);
            assert.deepStrictEqual(
                invokes.filter((i) => i.token === "aws:route53/getZone:getZone").map((i) => i.inputs),
                [{ name: "example.com", privateZone: false }],
            );
        });

        it("waits for issuance on the certificate's ARN and the validation record's name", () => {
            assert.deepStrictEqual(validation().wireInputs, {
                certificateArn: CERTIFICATE_ARN,
                validationRecordFqdns: [mockValidationRecord(domain).resourceRecordName.replace(/\.$/, "")],
            });
            assert.deepStrictEqual(validation().propertyDependencies.certificateArn, [certificate().urn]);
            assert.deepStrictEqual(validation().propertyDependencies.validationRecordFqdns, [validationRecord().urn]);
        });

        it("creates no DNS record but its certificate's validation (the domain's records are PublicRecords')", () => {
            assert.deepStrictEqual(run.ofType(RECORD).map((r) => r.name).sort(), [`edge-validation-${domain}`]);
        });

        it("parents every resource on the component", () => {
            const root = run.one("baseline:edge:LoadBalancer", "edge");
            const children = run.resources.filter((r) => r.parent === root.urn);
            assert.deepStrictEqual(children.map((r) => r.name).sort(), [
                "edge-alb", "edge-certificate", "edge-certificate-validation", "edge-http", "edge-https", `edge-validation-${domain}`,
            ]);
            const ours = run.resources.filter((r) => r.name.startsWith("edge"));
            assert.deepStrictEqual(ours.filter((r) => r !== root && r.parent !== root.urn), []);
        });

        it("outputs the ARN, its suffix, DNS name, zone, HTTPS listener, certificate and public URL", async () => {
            const lb: LoadBalancer = parts.lb;
            const [arn, arnSuffix, dnsName, zoneId, listenerArn, certificateArn, url] = await resolve(
                pulumi.all([lb.arn, lb.arnSuffix, lb.dnsName, lb.zoneId, lb.httpsListenerArn, lb.certificateArn, lb.url]),
            );
            assert.strictEqual(arn, albArn(stack));
            assert.strictEqual(arnSuffix, mockLoadBalancerArnSuffix(`pos-${stack}-alb`));
            assert.match(dnsName, /\.elb\.amazonaws\.com$/);
            assert.strictEqual(zoneId, ALB_ZONE_ID);
            assert.match(listenerArn, new RegExp(`^arn:aws:elasticloadbalancing:eu-west-1:${MOCK_ACCOUNT_ID}:listener/${arnSuffix}/[0-9a-f]{16}$`));
            assert.strictEqual(certificateArn, CERTIFICATE_ARN);
            assert.strictEqual(url, `https://${domain}`);
        });
    });
}

describe("LoadBalancer component options", () => {
    it("puts further names on the certificate with one validation record per name (a wildcard shares its base's)", async () => {
        const sans = ["*.pos.example.com", "www.pos.example.com"];
        const run = await runUnderMocks(() => edge({ subjectAlternativeNames: sans }), "prod", configFor("prod"));
        assert.deepStrictEqual(run.one(CERTIFICATE).wireInputs, { domainName: "pos.example.com", validationMethod: "DNS", subjectAlternativeNames: sans });
        const records = run.ofType(RECORD).filter((r) => r.name.startsWith("edge-validation-"));
        assert.deepStrictEqual(records.map((r) => [r.name, r.wireInputs.name]), [
            ["edge-validation-pos.example.com", mockValidationRecord("pos.example.com").resourceRecordName],
            ["edge-validation-www.pos.example.com", mockValidationRecord("www.pos.example.com").resourceRecordName],
        ]);
        assert.strictEqual(run.one(VALIDATION).wireInputs.validationRecordFqdns.length, 2);
    });

    it("takes strictest desync mitigation when asked", async () => {
        const run = await runUnderMocks(() => edge({ desyncMitigationMode: "strictest" }), "prod", configFor("prod"));
        assert.strictEqual(run.one(LB).wireInputs.desyncMitigationMode, "strictest");
    });

    it("keeps deletion protection on when the argument is left out", async () => {
        const run = await runUnderMocks(() => edge({ deletionProtection: undefined }), "staging", configFor("staging"));
        assert.strictEqual(run.one(LB).wireInputs.enableDeletionProtection, true);
    });

    it("waits for the internet gateway it is given", async () => {
        const run = await runUnderMocks(() => edge({ internetGateway: new aws.ec2.InternetGateway("network-igw", { vpcId: "vpc-network" }) }), "prod", configFor("prod"));
        assert.ok(run.one(LB).dependencies.includes(run.one("aws:ec2/internetGateway:InternetGateway", "network-igw").urn));
    });

    it("on a new stack's first preview, still wires the listener to the validation and the ALB to the bucket policy", async () => {
        const run = await runUnderMocks(() => edge(), "prod", configFor("prod"), { firstPreview: true });
        const https = run.one(LISTENER, "edge-https");
        assert.strictEqual(https.wireInputs.certificateArn, UNKNOWN);
        assert.deepStrictEqual(https.propertyDependencies.certificateArn, [run.one(VALIDATION).urn]);
        assert.ok(run.one(LB).dependencies.includes(run.one("aws:s3/bucketPolicy:BucketPolicy", "storage-logs-policy").urn));
        // Known at preview, so the policy pack can read them before the first apply.
        assert.strictEqual(https.wireInputs.sslPolicy, TLS_POLICY);
        assert.deepStrictEqual(run.one(LISTENER, "edge-http").wireInputs.defaultActions, [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]);
    });
});


describe("LoadBalancer component behind CloudFront", () => {
    const ORIGIN = { headerName: "X-Origin-Verify", value: pulumi.secret("token0123456789abcdefABCDEF"), kmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/data-key-id" };
    let run: Run;
    let parts: Edge;
    before(async () => {
        run = await runUnderMocks(() => {
            parts = edge({ originVerification: ORIGIN, subjectAlternativeNames: ["origin.pos.example.com"] });
        }, "prod", configFor("prod"));
    });

    it("answers 403 to whatever no service's rule (each requiring the origin header) forwards", () => {
        assert.deepStrictEqual(run.one(LISTENER, "edge-https").wireInputs.defaultActions, [
            { type: "fixed-response", fixedResponse: { contentType: "text/plain", messageBody: "Forbidden", statusCode: "403" } },
        ]);
    });

    it("has no port 80 listener: only CloudFront reaches it, over HTTPS", () => {
        assert.deepStrictEqual(run.ofType(LISTENER).map((l) => [l.name, l.wireInputs.port, l.wireInputs.protocol]), [["edge-https", 443, "HTTPS"]]);
    });

    it("carries its own name, origin.<domain>, on the certificate beside the domain CloudFront forwards as Host", () => {
        assert.deepStrictEqual(run.one(CERTIFICATE).wireInputs, { domainName: "pos.example.com", validationMethod: "DNS", subjectAlternativeNames: ["origin.pos.example.com"] });
    });

    it("keeps the header's value in a secret encrypted with the given key, the value secret in state, only the ARN out", async () => {
        const secret = run.one("aws:secretsmanager/secret:Secret", "edge-origin-secret");
        assert.deepStrictEqual(
            [secret.wireInputs.namePrefix, secret.wireInputs.kmsKeyId, secret.wireInputs.tags],
            ["pos-prod-origin-verify-", ORIGIN.kmsKeyArn, { rotation: "manual" }],
        );
        const version = run.one("aws:secretsmanager/secretVersion:SecretVersion", "edge-origin-secret-value");
        assert.ok(isSecret(version.wireInputs.secretString), "the value is secret on the wire and in state");
        assert.deepStrictEqual(version.propertyDependencies.secretId, [secret.urn]);
        assert.match(await resolve(parts.lb.originSecretArn!), /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:/);
    });
});

describe("LoadBalancer component as the public entry", () => {
    it("has no origin secret and no such output", async () => {
        let lb: LoadBalancer | undefined;
        const run = await runUnderMocks(() => {
            lb = edge().lb;
        }, "prod", configFor("prod"));
        assert.deepStrictEqual(run.ofType("aws:secretsmanager/secret:Secret"), []);
        assert.strictEqual(lb!.originSecretArn, undefined);
    });
});
