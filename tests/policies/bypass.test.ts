import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { elasticacheEncryptionAtRest, elasticacheMultiAzFailover, elasticacheTransitEncryptionAndAuth } from "../../policies/data/cache";
import { cloudfrontOriginHttps, cloudfrontS3OriginAccessControl, cloudfrontViewerTls, cloudfrontWaf } from "../../policies/edge/cloudfront";
import { rdsPostgresForceSsl } from "../../policies/data/database-stack";
import { canonicalFields, ecsTaskLogging, ecsTaskNoPlaintextSecrets } from "../../policies/compute/ecs";
import { ecrScanOnPush, wildcardMatches } from "../../policies/compute/ecr";
import { iamNoAdminAttachments, iamNoUsers, iamNoWildcardActions, iamPassRoleScoped } from "../../policies/security/iam";
import { iamGithubOidcTrust } from "../../policies/security/iam-trust";
import { isInternetWide } from "../../policies/lib/cidr";
import { cloudtrailConfiguration } from "../../policies/operations/logging";
import { wafLogging } from "../../policies/edge/waf";
import { firstUnknown } from "../../policies/lib/props";
import { privateRoutesNoInternetGateway } from "../../policies/network/tiers";
import { vpcMultiAzNat } from "../../policies/network/vpc";
import { sgNoPublicSensitivePorts, sgPublicIngressAllowList } from "../../policies/network/sg";
import { s3DefaultEncryption } from "../../policies/storage/buckets";
import { s3BlockPublicAccess, s3NoPublicGrants, s3RequireTls } from "../../policies/storage/access";
import { bucketNameIn } from "../../policies/storage/join";
import { ALL_POLICIES } from "../../policies/all";
import { statefulProtect } from "../../policies/operations/governance";
import { ssmSecureString } from "../../policies/security/secrets";
import { albHttpRedirectsToHttps, albListenerTls } from "../../policies/edge/loadbalancer";
import { kmsKeyRotation } from "../../policies/security/kms";
import { EvalResource, PolicyConfigError, resolvePolicyConfig } from "../../tools/offline/evaluate";
import { UNKNOWN, UNKNOWN_ARRAY, UNKNOWN_BOOL, messages, res, run, secret } from "./helpers";

/**
 * Red-team cases: programs that break a rule but once passed the pack at the mandatory level (or
 * passed silently during preview), and compliant programs the pack once rejected. Each test names
 * the hole; the fix lives in the policy (or library) that owns the rule.
 */

const sensitive = (at: string, traffic: string, from: string, ports: string, who = "Security group") =>
    `${who} must not open sensitive ports to the internet: ${at} allows ${traffic} from ${from}, which includes ${ports}, expected these ports open only to security groups or internal ranges.`;
const group = (ingress: object[]) => res(aws.ec2.SecurityGroup, { description: "g", vpcId: "vpc-1", ingress });
const ssh = (extra: Record<string, unknown>) => ({ protocol: "tcp", fromPort: 22, toPort: 22, description: "ssh", ...extra });

describe("bypass: network", () => {
    describe("CIDR spellings", () => {
        it("rejects SSH from the two /1 halves that together are the whole IPv4 internet", async () => {
            const diags = await run(sgNoPublicSensitivePorts, group([ssh({ cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] })]));
            assert.deepStrictEqual(messages(diags), [sensitive("ingress[0]", "tcp 22", "0.0.0.0/1, 128.0.0.0/1", "port 22")]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("rejects RDP from 2000::/3, every global IPv6 unicast address", async () => {
            const rule = res(aws.vpc.SecurityGroupIngressRule, { ipProtocol: "tcp", fromPort: 3389, toPort: 3389, cidrIpv6: "2000::/3", securityGroupId: "sg-1" });
            assert.deepStrictEqual(messages(await run(sgNoPublicSensitivePorts, rule)), [sensitive("the rule", "tcp 3389", "2000::/3", "port 3389", "Security group ingress rule")]);
        });
        it("keeps private and narrow ranges out of it (10/8, 172.16/12, fc00::/7, a /8 of public space)", async () => {
            const diags = await run(sgNoPublicSensitivePorts, group([ssh({ cidrBlocks: ["10.0.0.0/8", "172.16.0.0/12", "3.0.0.0/8"], ipv6CidrBlocks: ["fc00::/7", "2001:db8::/32"] })]));
            assert.deepStrictEqual(diags, []);
        });
        it("isInternetWide: zero-length prefixes however spelt, and prefixes shorter than /8 outside fc00::/7", () => {
            const wide = ["0.0.0.0/0", "::/0", "1.2.3.4/00", "0.0.0.0/1", "128.0.0.0/1", "64.0.0.0/2", "2000::/3", "8000::/1"];
            const narrow = ["10.0.0.0/8", "3.0.0.0/8", "fc00::/7", "fd00::/8", "2001:db8::/32", "::ffff:0:0/96", "0.0.0.0", "sg-123", UNKNOWN, undefined];
            assert.deepStrictEqual(wide.filter((c) => !isInternetWide(c)), []);
            assert.deepStrictEqual(narrow.filter(isInternetWide), []);
        });
        it("pins every spelling of the world and of 'all protocols' as rejected", async () => {
            const worlds = ["0.0.0.0/0", "0.0.0.0/00", " 0.0.0.0/0 ", "10.1.2.3/0"];
            const worlds6 = ["::/0", "0::/0", "::0/0"];
            const protocols: unknown[] = ["-1", -1, "all", "ALL", "tcp", "TCP", "6", 6];
            for (const protocol of protocols) {
                for (const cidr of worlds) {
                    const diags = await run(sgNoPublicSensitivePorts, group([{ protocol, fromPort: 22, toPort: 22, cidrBlocks: [cidr] }]));
                    assert.strictEqual(diags.length, 1, `protocol ${JSON.stringify(protocol)} from ${JSON.stringify(cidr)}`);
                }
                for (const cidr of worlds6) {
                    const diags = await run(sgNoPublicSensitivePorts, group([{ protocol, fromPort: 22, toPort: 22, ipv6CidrBlocks: [cidr] }]));
                    assert.strictEqual(diags.length, 1, `protocol ${JSON.stringify(protocol)} from ${JSON.stringify(cidr)}`);
                }
            }
        });
        it("pins a world CIDR that arrives as a secret as rejected (the evaluator unwraps it)", async () => {
            const diags = await run(sgNoPublicSensitivePorts, group([ssh({ cidrBlocks: secret(["0.0.0.0/0"]) })]));
            assert.deepStrictEqual(messages(diags), [sensitive("ingress[0]", "tcp 22", "0.0.0.0/0", "port 22")]);
        });
    });

    describe("sg-public-ingress-allowlist", () => {
        it("accepts the ICMP that path MTU discovery needs from anywhere (fragmentation needed, IPv6 packet too big), and nothing more of ICMP", async () => {
            const pmtu = group([
                { protocol: "icmp", fromPort: 3, toPort: 4, cidrBlocks: ["0.0.0.0/0"], description: "fragmentation needed" },
                { protocol: "58", fromPort: 2, toPort: 0, ipv6CidrBlocks: ["::/0"], description: "packet too big" },
            ]);
            assert.deepStrictEqual(await run(sgPublicIngressAllowList, pmtu), []);
            const ping = res(aws.vpc.SecurityGroupIngressRule, { ipProtocol: "icmpv6", fromPort: 128, toPort: 0, cidrIpv6: "::/0", securityGroupId: "sg-1" });
            assert.deepStrictEqual(messages(await run(sgPublicIngressAllowList, ping)), [
                "Security group ingress rule must open only allow-listed ports to the internet: the rule allows icmpv6 from ::/0, expected world-open ingress only on TCP/UDP 80, 443.",
            ]);
        });
    });

    describe("vpc-multi-az-nat", () => {
        const vpc = (props: Record<string, unknown>) => res("awsx:ec2:Vpc", { cidrBlock: "10.0.0.0/16", numberOfAvailabilityZones: 3, ...props }, { name: "vpc" });
        const cannot = (path: string) =>
            `Cannot verify during preview that private subnets have a OnePerAz NAT strategy: ${path} is (unknown until apply). Re-run the check after apply, or set the value from configuration.`;
        it("reports a natGateways object, or subnet specs deciding awsx's default, unknown until apply instead of assuming one NAT gateway per AZ", async () => {
            assert.deepStrictEqual(messages(await run(vpcMultiAzNat, vpc({ natGateways: UNKNOWN }))), [cannot("natGateways")]);
            assert.deepStrictEqual(messages(await run(vpcMultiAzNat, vpc({ subnetSpecs: UNKNOWN_ARRAY }))), [cannot("subnetSpecs")]);
        });
    });

    describe("vpc-private-routes-no-igw", () => {
        const privateTable = (routes: unknown) => res(aws.ec2.RouteTable, { vpcId: UNKNOWN, tags: { tier: "private" }, routes }, { name: "rt" });
        it("rejects the internet routed to an internet gateway as two /1 halves", async () => {
            const routes = [{ cidrBlock: "0.0.0.0/1", gatewayId: "igw-1" }, { cidrBlock: "128.0.0.0/1", gatewayId: "igw-1" }];
            const message = (i: number, cidr: string) =>
                `Private route table must not route the internet to an internet gateway: "rt" serves a private tier (tier "private" from tags.tier) and routes[${i}] sends ${cidr} to "igw-1", expected a NAT gateway, or no default route.`;
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, privateTable(routes))), [message(0, "0.0.0.0/1"), message(1, "128.0.0.0/1")]);
        });
        it("reports an inline route list, or a route of it, unknown until apply instead of passing silently", async () => {
            const cannot = (path: string) =>
                `Cannot verify during preview that ${path} of private route table "rt" sends no internet traffic to an internet gateway: ${path} is (unknown until apply). Re-run the check after apply, or set the value from configuration.`;
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, privateTable(UNKNOWN_ARRAY))), [cannot("routes")]);
            const known = { cidrBlock: "10.1.0.0/16", gatewayId: "pcx-1" };
            assert.deepStrictEqual(messages(await run(privateRoutesNoInternetGateway, privateTable([known, UNKNOWN]))), [cannot("routes[1]")]);
        });
    });
});

const bucketArn = (name: string) => `arn:aws:s3:::${name}`;
const tlsDeny = (name: string, extra: Record<string, unknown> = {}) => ({
    Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn(name), `${bucketArn(name)}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } }, ...extra,
});
const doc = (...statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const bucket = (name = "data-bkt", resource = "data") => res(aws.s3.Bucket, { bucket: name }, { name: resource });
/** A setting resource wired to its bucket as `bucket: b.id` is. */
const settingOf = (type: Function, b: EvalResource, props: Record<string, unknown>, name = `${b.name}-${(type as any).__pulumiType.split(":").pop()}`) =>
    res(type, { bucket: b.props.bucket, ...props }, { name, propertyDependencies: { bucket: [b.urn] } });
const ownership = (b: EvalResource) => settingOf(aws.s3.BucketOwnershipControls, b, { rule: { objectOwnership: "BucketOwnerEnforced" } });
const notPublic = (p: string) =>
    `S3 bucket policy must not allow everyone: BucketPolicy "data-BucketPolicy" statement ${p} without a restricting condition, expected named principals or a condition on aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID or similar.`;

describe("bypass: S3", () => {
    describe("s3-require-tls", () => {
        const noTls = 'S3 bucket policy must deny requests without TLS: BucketPolicy "data-BucketPolicy" has no such statement, expected a Deny of "s3:*" to "*" on the bucket and its objects when aws:SecureTransport is "false".';
        it("does not count a TLS deny narrowed by another condition (it denies plain HTTP only from one VPC endpoint)", async () => {
            const narrowed = tlsDeny("data-bkt", { Condition: { Bool: { "aws:SecureTransport": "false" }, StringEquals: { "aws:SourceVpce": "vpce-1" } } });
            const b = bucket();
            const diags = await run(s3RequireTls, [b, settingOf(aws.s3.BucketPolicy, b, { policy: doc(narrowed) })]);
            assert.deepStrictEqual(messages(diags), [noTls]);
            assert.strictEqual(diags[0].urn, b.urn);
        });
        it("does not count a second key under Bool either", async () => {
            const narrowed = tlsDeny("data-bkt", { Condition: { Bool: { "aws:SecureTransport": "false", "aws:ViaAWSService": "false" } } });
            const b = bucket();
            assert.deepStrictEqual(messages(await run(s3RequireTls, [b, settingOf(aws.s3.BucketPolicy, b, { policy: doc(narrowed) })])), [noTls]);
        });
        it("accepts the action spelt \"S3:*\" (IAM action names are case-insensitive)", async () => {
            const b = bucket();
            assert.deepStrictEqual(await run(s3RequireTls, [b, settingOf(aws.s3.BucketPolicy, b, { policy: doc(tlsDeny("data-bkt", { Action: ["S3:*"] })) })]), []);
        });
        it("reports a TLS deny whose bucket ARNs are unknown until apply as unverifiable, not as missing", async () => {
            // `Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`]` in an object document, on a first preview.
            const b = res(aws.s3.Bucket, {}, { name: "data" });
            const policy = { Version: "2012-10-17", Statement: [{ ...tlsDeny("x"), Resource: [UNKNOWN, UNKNOWN] }] };
            const diags = await run(s3RequireTls, [b, res(aws.s3.BucketPolicy, { bucket: UNKNOWN, policy }, { name: "data-policy", propertyDependencies: { bucket: [b.urn] } })]);
            assert.deepStrictEqual(messages(diags), [
                "Cannot verify during preview that the bucket policy denies requests without TLS: policy.Statement[0].Resource[0] is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("accepts the TLS deny split in two statements, one for the bucket and one for its objects", async () => {
            const b = bucket();
            const policy = doc(tlsDeny("data-bkt", { Sid: "Bucket", Resource: bucketArn("data-bkt") }), tlsDeny("data-bkt", { Sid: "Objects", Resource: `${bucketArn("data-bkt")}/*` }));
            assert.deepStrictEqual(await run(s3RequireTls, [b, settingOf(aws.s3.BucketPolicy, b, { policy })]), []);
            const objectsOnly = doc(tlsDeny("data-bkt", { Resource: `${bucketArn("data-bkt")}/*` }));
            assert.strictEqual((await run(s3RequireTls, [b, settingOf(aws.s3.BucketPolicy, b, { policy: objectsOnly })])).length, 1);
        });
        it("pins a deny of plain HTTP on s3:GetObject only as rejected", async () => {
            const b = bucket();
            assert.deepStrictEqual(messages(await run(s3RequireTls, [b, settingOf(aws.s3.BucketPolicy, b, { policy: doc(tlsDeny("data-bkt", { Action: "s3:GetObject" })) })])), [noTls]);
        });
    });

    describe("s3-no-public-grants", () => {
        it("treats aws:SourceIp 0.0.0.0/1 + 128.0.0.0/1 as no restriction at all", async () => {
            const open = { Sid: "Ip", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${bucketArn("data-bkt")}/*`, Condition: { IpAddress: { "aws:SourceIp": ["0.0.0.0/1", "128.0.0.0/1"] } } };
            const b = bucket();
            const diags = await run(s3NoPublicGrants, [b, ownership(b), settingOf(aws.s3.BucketPolicy, b, { policy: doc(tlsDeny("data-bkt"), open) })]);
            assert.deepStrictEqual(messages(diags), [notPublic('"Ip" allows principal "*"')]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("pins every spelling of the public principal as rejected: \"*\", {AWS: \"*\"}, {AWS: [..., \"*\"]}, {CanonicalUser: \"*\"}, NotPrincipal", async () => {
            const b = bucket();
            const read = { Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn("data-bkt")}/*` };
            const spellings = [{ Principal: "*" }, { Principal: { AWS: "*" } }, { Principal: { AWS: ["arn:aws:iam::123456789012:root", "*"] } }, { Principal: { CanonicalUser: "*" } }, { NotPrincipal: { AWS: "arn:aws:iam::123456789012:root" } }];
            for (const who of spellings) {
                const policy = doc(tlsDeny("data-bkt"), { ...read, ...who });
                const diags = await run(s3NoPublicGrants, [b, ownership(b), settingOf(aws.s3.BucketPolicy, b, { policy: secret(policy) })]);
                assert.deepStrictEqual(diags.map((d) => d.enforcementLevel), ["mandatory"], JSON.stringify(who));
            }
        });
        it("firstUnknown finds the first unknown value inside lists and objects, by path", () => {
            assert.strictEqual(firstUnknown({ a: [1, { b: UNKNOWN }], c: UNKNOWN }, "doc"), "doc.a[1].b");
            assert.strictEqual(firstUnknown(UNKNOWN, "doc"), "doc");
            assert.strictEqual(firstUnknown({ a: ["x"], b: null }, "doc"), undefined);
        });
        it("reports statements, effects and principals unknown until apply instead of passing silently", async () => {
            const b = bucket();
            const policy = { Version: "2012-10-17", Statement: [
                tlsDeny("data-bkt"),
                UNKNOWN,
                { Effect: UNKNOWN, Principal: "*", Action: "s3:GetObject", Resource: "*" },
                { Effect: "Allow", Principal: { AWS: UNKNOWN }, Action: "s3:GetObject", Resource: "*" },
                { Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/reader" }, Action: "s3:GetObject", Resource: "*" },
            ] };
            const cannot = (path: string) => `Cannot verify during preview that the bucket policy grants nothing to everyone: ${path} is (unknown until apply). Re-run the check after apply, or set the value from configuration.`;
            const diags = await run(s3NoPublicGrants, [b, ownership(b), settingOf(aws.s3.BucketPolicy, b, { policy })]);
            assert.deepStrictEqual(messages(diags), [cannot("policy.Statement[1]"), cannot("policy.Statement[2].Effect"), cannot("policy.Statement[3].Principal.AWS")]);
            assert.ok(diags.every((d) => d.enforcementLevel === "advisory" && !d.cantRunDuringPreview));
        });
    });

    describe("s3-default-encryption", () => {
        it("rejects the AWS managed aws/s3 key named by its alias ARN", async () => {
            const b = bucket();
            const kmsMasterKeyId = "arn:aws:kms:eu-west-1:123456789012:alias/aws/s3";
            const sse = settingOf(aws.s3.BucketServerSideEncryptionConfiguration, b, { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId }, bucketKeyEnabled: true }] });
            assert.deepStrictEqual(messages(await run(s3DefaultEncryption, [b, sse])), [
                `S3 data bucket must use a customer-managed KMS key: BucketServerSideEncryptionConfiguration "data-BucketServerSideEncryptionConfiguration" has kmsMasterKeyId "${kmsMasterKeyId}", so S3 uses the AWS managed aws/s3 key, expected a customer-managed key ARN.`,
            ]);
        });
    });

    describe("joins", () => {
        it("bucketNameIn reads a domain only from S3 endpoints", () => {
            const names = ["acme.s3-logs", "acme.s3.data", "acme.s3-logs.s3.amazonaws.com", "b.s3.dualstack.eu-west-1.amazonaws.com", "b.s3.cn-north-1.amazonaws.com.cn"];
            assert.deepStrictEqual(names.map(bucketNameIn), ["acme.s3-logs", "acme.s3.data", "acme.s3-logs", "b", "b"]);
        });
        it("joins a setting named by a literal bucket name to that bucket, even when names contain \".s3-\"", async () => {
            const logs = bucket("acme.s3-logs", "logs");
            const data = bucket("acme.s3-data", "data");
            const flags = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
            const pab = res(aws.s3.BucketPublicAccessBlock, { bucket: "acme.s3-logs", ...flags }, { name: "logs-pab" });
            const diags = await run(s3BlockPublicAccess, [logs, data, pab]);
            assert.deepStrictEqual(messages(diags), ["S3 bucket must block all public access: no BucketPublicAccessBlock targets it, expected one with all four flags true."]);
            assert.strictEqual(diags[0].urn, data.urn);
        });
    });
});

const iamDoc = (...Statement: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describe("bypass: IAM", () => {
    describe("iam-github-oidc-trust", () => {
        it("checks a GitHub trust whose action is a wildcard matching AssumeRoleWithWebIdentity (sts:AssumeRole*)", async () => {
            const trust = iamDoc({ Effect: "Allow", Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRole*" });
            const diags = await run(iamGithubOidcTrust, res(aws.iam.Role, { assumeRolePolicy: trust }));
            assert.deepStrictEqual(messages(diags), [
                'IAM role trusting GitHub OIDC must require the sts.amazonaws.com audience: statement 0 does not check token.actions.githubusercontent.com:aud, expected StringEquals "sts.amazonaws.com".',
                'IAM role trusting GitHub OIDC must pin the subject to one repository: statement 0 does not check token.actions.githubusercontent.com:sub, expected StringEquals or StringLike "repo:<owner>/<repo>:<ref or environment>" without wildcards in owner or repo.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("checks a trust on a GitHub Enterprise unique issuer (token.actions.githubusercontent.com/<enterprise>): repo:org/* and a missing sub fail", async () => {
            const ENT = "token.actions.githubusercontent.com/acme";
            const trust = (Condition: unknown) => iamDoc({ Effect: "Allow", Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${ENT}` }, Action: "sts:AssumeRoleWithWebIdentity", Condition });
            const sub = (found: string) => `IAM role trusting GitHub OIDC must pin the subject to one repository: statement 0 ${found}, expected StringEquals or StringLike "repo:<owner>/<repo>:<ref or environment>" without wildcards in owner or repo.`;
            const org = await run(iamGithubOidcTrust, res(aws.iam.Role, { assumeRolePolicy: trust({ StringEquals: { [`${ENT}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${ENT}:sub`]: "repo:acme/*" } }) }));
            assert.deepStrictEqual(messages(org), [sub(`allows ${ENT}:sub "repo:acme/*"`)]);
            assert.strictEqual(org[0].enforcementLevel, "mandatory");
            const missing = await run(iamGithubOidcTrust, res(aws.iam.Role, { assumeRolePolicy: trust({ StringEquals: { [`${ENT}:aud`]: "sts.amazonaws.com" } }) }));
            assert.deepStrictEqual(messages(missing), [sub(`does not check ${ENT}:sub`)]);
        });
    });

    describe("iam-passrole-scoped", () => {
        it("rejects iam:PassRole on \"*\", which iam-no-wildcard-actions lets through as a named action", async () => {
            const policy = res(aws.iam.Policy, { policy: iamDoc({ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }) });
            assert.deepStrictEqual(await run(iamNoWildcardActions, policy), []);
            const diags = await run(iamPassRoleScoped, policy);
            assert.deepStrictEqual(messages(diags), ['IAM policy must not allow iam:PassRole on every role: statement 0 allows "iam:PassRole" on "*", expected the ARNs of the roles to pass (or a name prefix the stack owns).']);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
    });

    describe("iam-no-admin-attachments", () => {
        it("rejects broad AWS-managed policies (PowerUserAccess, *FullAccess on sensitive services) that once passed while the same rights inline were caught", async () => {
            const diags = await run(iamNoAdminAttachments, [
                res(aws.iam.RolePolicyAttachment, { role: "ci", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" }, { name: "power" }),
                res(aws.iam.Role, { assumeRolePolicy: "{}", managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"] }, { name: "s3" }),
            ]);
            assert.deepStrictEqual(messages(diags), [
                'IAM role policy attachment must not attach PowerUserAccess: policyArn is "arn:aws:iam::aws:policy/PowerUserAccess", expected a customer-managed policy with only the permissions needed.',
                'IAM role must not attach AmazonS3FullAccess: managedPolicyArns[0] is "arn:aws:iam::aws:policy/AmazonS3FullAccess", expected a customer-managed policy with only the permissions needed.',
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
        });
    });

    describe("iam-no-users", () => {
        it("rejects the other long-lived credentials of a user created elsewhere: service-specific credentials, signing certificates, SSH keys", async () => {
            const diags = await run(iamNoUsers, [
                res(aws.iam.ServiceSpecificCredential, { serviceName: "bedrock.amazonaws.com", userName: "ci" }, { name: "ci-bedrock" }),
                res(aws.iam.SigningCertificate, { certificateBody: "-----BEGIN CERTIFICATE-----", userName: "ci" }, { name: "ci-cert" }),
                res(aws.iam.SshKey, { encoding: "SSH", publicKey: "ssh-ed25519 AAAA", username: UNKNOWN }, { name: "ci-ssh" }),
            ]);
            assert.deepStrictEqual(messages(diags), [
                'IAM service-specific credential must not be created by the stack: found a long-lived "bedrock.amazonaws.com" credential for user "ci", expected temporary credentials from an assumed role.',
                'IAM signing certificate must not be created by the stack: found an X.509 signing certificate for user "ci", expected temporary credentials from an assumed role.',
                "IAM SSH public key must not be created by the stack: found an SSH key for user (unknown until apply), expected temporary credentials from an assumed role.",
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
        });
    });

    describe("iam-no-wildcard-actions", () => {
        it("rejects every spelling of \"every action\": \"**\", \"*?\", \"*:**\"", async () => {
            for (const action of ["**", "*?", "*:**"]) {
                const diags = await run(iamNoWildcardActions, res(aws.iam.Policy, { policy: iamDoc({ Effect: "Allow", Action: action, Resource: "*" }) }));
                assert.deepStrictEqual(messages(diags), [`IAM policy must not allow every action on every resource: statement 0 allows ${JSON.stringify(action)} on "*", expected specific actions on specific resources.`]);
                assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            }
        });
        it("rejects service-wide actions spelt with extra wildcards or a wildcard service, and keeps prefixes like s3:Get*", async () => {
            const policy = iamDoc({ Effect: "Allow", Action: ["s3:Get*", "s3:**", "S3:*?", "s*:*", "*:GetObject"], Resource: "arn:aws:s3:::x/*" });
            assert.deepStrictEqual(messages(await run(iamNoWildcardActions, res(aws.iam.Policy, { policy }))), [
                'IAM policy must not allow service-wide actions: statement 0 allows ["s3:**","S3:*?","s*:*","*:GetObject"], expected the specific actions needed (or the service in allowedServiceWildcards).',
            ]);
        });
    });
});

describe("bypass: databases", () => {
    describe("rds-postgres-force-ssl", () => {
        it("checks a Multi-AZ DB cluster (aws.rds.Cluster with engine postgres), not only Aurora PostgreSQL", async () => {
            const cluster = res(aws.rds.Cluster, { engine: "postgres", dbClusterInstanceClass: "db.m6gd.large", storageType: "io1", allocatedStorage: 100, iops: 1000 }, { name: "db" });
            assert.deepStrictEqual(messages(await run(rdsPostgresForceSsl, cluster)), [
                "RDS cluster must use a parameter group that sets rds.force_ssl = 1: dbClusterParameterGroupName is (unset), so the engine's default group applies, expected an aws.rds.ClusterParameterGroup of this stack with rds.force_ssl = 1.",
            ]);
        });
        it("checks a PostgreSQL instance whose engine is spelt \"Postgres\" (the provider lowercases it)", async () => {
            const diags = await run(rdsPostgresForceSsl, res(aws.rds.Instance, { engine: "Postgres", instanceClass: "db.t4g.small" }, { name: "db" }));
            assert.deepStrictEqual(messages(diags), [
                "RDS instance must use a parameter group that sets rds.force_ssl = 1: parameterGroupName is (unset), so the engine's default group applies, expected an aws.rds.ParameterGroup of this stack with rds.force_ssl = 1.",
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
    });
});

describe("bypass: CloudFront", () => {
    /** A private ALB behind CloudFront through a VPC origin, ids and DNS name unknown on a first preview. */
    const vpcOrigin = { originId: "app", domainName: UNKNOWN, vpcOriginConfig: { vpcOriginId: UNKNOWN } };
    const distribution = (origins: object[]) => res(aws.cloudfront.Distribution, { enabled: true, origins }, { name: "cdn" });

    describe("cloudfront-viewer-tls", () => {
        it("accepts the 2025 security policies, stricter than TLSv1.2_2021, by default", async () => {
            for (const minimumProtocolVersion of ["TLSv1.2_2025", "TLSv1.3_2025"]) {
                const viewerCertificate = { acmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/1", sslSupportMethod: "sni-only", minimumProtocolVersion };
                assert.deepStrictEqual(await run(cloudfrontViewerTls, res(aws.cloudfront.Distribution, { viewerCertificate })), [], minimumProtocolVersion);
            }
        });
    });

    describe("cloudfront-waf", () => {
        it("rejects a WAF Classic web ACL id, whose rules no WAF policy of the pack can read (WAF Classic is past its end of support)", async () => {
            const webAclId = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
            const diags = await run(cloudfrontWaf, res(aws.cloudfront.Distribution, { webAclId }));
            assert.deepStrictEqual(messages(diags), [
                `CloudFront distribution must have a WAF web ACL: webAclId is "${webAclId}", not a WAFv2 web ACL ARN, expected a WAFv2 web ACL ARN (arn:aws:wafv2:us-east-1:...:global/webacl/...).`,
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("passes a WAFv2 ARN, known or unknown until apply", async () => {
            for (const webAclId of ["arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1234", UNKNOWN]) {
                assert.deepStrictEqual(await run(cloudfrontWaf, res(aws.cloudfront.Distribution, { webAclId })), []);
            }
        });
    });

    describe("cloudfront-origin-https", () => {
        const endpoint = { arn: UNKNOWN, name: "app-alb", httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: { items: ["TLSv1.2"], quantity: 1 } };
        const origin = (config: Record<string, unknown>) => res(aws.cloudfront.VpcOrigin, { vpcOriginEndpointConfig: { ...endpoint, ...config } }, { name: "app-origin" });
        it("passes a VPC origin reached over HTTPS with TLS 1.2", async () => {
            assert.deepStrictEqual(await run(cloudfrontOriginHttps, origin({})), []);
        });
        it("rejects a VPC origin (aws.cloudfront.VpcOrigin) reached over plain HTTP or old TLS: the distribution's origin only names it", async () => {
            const diags = await run(cloudfrontOriginHttps, origin({ originProtocolPolicy: "http-only", originSslProtocols: { items: ["TLSv1", "TLSv1.2"], quantity: 2 } }));
            assert.deepStrictEqual(messages(diags), [
                'CloudFront VPC origin "app-alb" must be reached over HTTPS: originProtocolPolicy is "http-only", expected "https-only".',
                'CloudFront VPC origin "app-alb" must be reached over HTTPS with TLS 1.2: originSslProtocols is ["TLSv1","TLSv1.2"], expected only "TLSv1.2".',
            ]);
            assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
        });
        it("reports a VPC origin endpoint config unknown until apply", async () => {
            const diags = await run(cloudfrontOriginHttps, res(aws.cloudfront.VpcOrigin, { vpcOriginEndpointConfig: UNKNOWN }, { name: "app-origin" }));
            assert.deepStrictEqual(messages(diags), [
                "Cannot verify during preview that custom origins are reached over HTTPS with TLS 1.2: vpcOriginEndpointConfig is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
        });
    });

    describe("cloudfront-s3-origin-access-control", () => {
        it("does not take a VPC origin whose domain is unknown until apply for an S3 bucket", async () => {
            assert.deepStrictEqual(await run(cloudfrontS3OriginAccessControl, distribution([vpcOrigin])), []);
        });
        it("pins an S3 origin with an unknown domain and no access control as rejected", async () => {
            const diags = await run(cloudfrontS3OriginAccessControl, distribution([{ originId: "assets", domainName: UNKNOWN }]));
            assert.strictEqual(diags.length, 1);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
    });
});

describe("bypass: ECS", () => {
    const task = (containers: object[]) => res(aws.ecs.TaskDefinition, { family: "app", containerDefinitions: JSON.stringify(containers) }, { name: "app" });
    const awslogs = { logDriver: "awslogs", options: { "awslogs-group": "/app" } };

    describe("container definitions in CloudFormation's PascalCase (the provider's JSON decoding ignores case)", () => {
        it("canonicalFields renames listed fields whatever their case, the later spelling winning, and keeps other keys", () => {
            assert.deepStrictEqual(canonicalFields({ Name: "a", USER: "0", user: "1000", Image: "x" }, ["name", "user"]), { name: "a", user: "1000", Image: "x" });
        });
        it("ecs-task-no-plaintext-secrets reads Environment / Name", async () => {
            const diags = await run(ecsTaskNoPlaintextSecrets, task([{ Name: "app", Image: "app:1", LogConfiguration: awslogs, Environment: [{ Name: "DB_PASSWORD", Value: "hunter2" }] }]));
            assert.deepStrictEqual(messages(diags), [
                'ECS container must take secrets from "secrets", not "environment": container "app" sets ["DB_PASSWORD"] in environment, expected secrets entries with valueFrom (Secrets Manager or SSM).',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("reads the spelling the provider keeps when a key is repeated in two cases (the last one)", async () => {
            const diags = await run(ecsTaskNoPlaintextSecrets, task([{ name: "app", environment: [], ENVIRONMENT: [{ name: "API_TOKEN", value: "x" }] }]));
            assert.strictEqual(diags.length, 1);
        });
        it("ecs-task-logging accepts LogConfiguration / LogDriver (no false positive)", async () => {
            assert.deepStrictEqual(await run(ecsTaskLogging, task([{ Name: "app", Image: "app:1", LogConfiguration: { LogDriver: "awslogs", Options: { "awslogs-group": "/app" } } }])), []);
        });
    });

    describe("ecs-task-no-plaintext-secrets: values and short names", () => {
        const env = (environment: object[]) => res(aws.ecs.TaskDefinition, { family: "app", containerDefinitions: JSON.stringify([{ name: "app", environment }]) }, { name: "app" });
        it("ecs-task-no-plaintext-secrets rejects a password inside a URL value (DATABASE_URL=postgres://app:pw@db), without printing it", async () => {
            const diags = await run(ecsTaskNoPlaintextSecrets, env([
                { name: "DATABASE_URL", value: "postgres://app:s3cr3t@db.internal:5432/app" },
                { name: "REDIS_URL", value: "rediss://cache.internal:6379" },
                { name: "PROXY", value: "http://user@proxy:3128" },
            ]));
            assert.deepStrictEqual(messages(diags), [
                'ECS container must not put credentials in environment values: container "app" sets ["DATABASE_URL"] to a URL with a user name and password, expected the password in a secrets entry with valueFrom (Secrets Manager or SSM).',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.ok(!diags[0].message.includes("s3cr3t"));
        });
        it("ecs-task-no-plaintext-secrets rejects the common short spellings DB_PASS and SMTP_PWD, not words that merely contain them", async () => {
            const diags = await run(ecsTaskNoPlaintextSecrets, env([{ name: "DB_PASS", value: "x" }, { name: "SMTP_PWD", value: "x" }, { name: "BYPASS_CACHE", value: "1" }, { name: "PASSENGER_APP_ENV", value: "prod" }]));
            assert.deepStrictEqual(messages(diags), [
                'ECS container must take secrets from "secrets", not "environment": container "app" sets ["DB_PASS","SMTP_PWD"] in environment, expected secrets entries with valueFrom (Secrets Manager or SSM).',
            ]);
        });
        const connection = (names: string[]) =>
            `ECS container must not put credentials in environment values: container "app" sets ${JSON.stringify(names)} to a connection string with a Password, Pwd, AccountKey or SharedAccessKey, expected the credential in a secrets entry with valueFrom (Secrets Manager or SSM).`;
        it("ecs-task-no-plaintext-secrets rejects Key=Value;Password=... connection strings in every spelling, under names that do not look secret", async () => {
            const values: Record<string, string> = {
                ConnectionStrings__Default: "Server=db;Database=app;User Id=sa;Password=hunter2;",
                ODBC: "Driver={MySQL};Server=db;Uid=app;Pwd=hunter2",
                SQLCMD: "Server=db; User ID=sa; PWD = hunter2 ;",
                LOWER: "server=db;password=hunter2",
                FIRST: "Password=hunter2;Server=db",
                QUOTED: "Server=db;Password=\"a;b\";",
                JDBC_URL: "jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=hunter2",
                AZURE_STORAGE: "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=bXlrZXk=;EndpointSuffix=core.windows.net",
                SERVICE_BUS: "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=c2VjcmV0",
            };
            const diags = await run(ecsTaskNoPlaintextSecrets, env(Object.entries(values).map(([name, value]) => ({ name, value }))));
            assert.deepStrictEqual(messages(diags), [connection(Object.keys(values))]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.ok(!/hunter2|bXlrZXk|c2VjcmV0/.test(diags[0].message));
        });
        it("ecs-task-no-plaintext-secrets does not take an empty password, or keys that only contain the word, for a credential", async () => {
            const diags = await run(ecsTaskNoPlaintextSecrets, env([
                { name: "A", value: "Server=db;Password=;" }, { name: "B", value: "Server=db;Pwd={};" }, { name: "C", value: "Server=db;PasswordPolicy=strict;MyPwd=x" },
                { name: "D", value: "Endpoint=sb://ns/;SharedAccessKeyName=send" },
            ]));
            assert.deepStrictEqual(diags, []);
        });
        it("ecs-task-no-plaintext-secrets weighs the value only for plain settings: a numeric password, a short token and a JSON number are still secrets", async () => {
            const diags = await run(ecsTaskNoPlaintextSecrets, env([
                { name: "DB_PASSWORD", value: "123456" }, { name: "ADMIN_PIN_TOKEN", value: "0042" }, { name: "API_KEY", value: 987654321 },
                { name: "TOKEN", value: "3600x" }, { name: "SECRET_ROTATION", value: "30" }, { name: "DB_PASSWORD_ENABLED", value: "maybe" },
                { name: "TOKEN_TTL_SECONDS", value: 3600 }, { name: "SECRET_ROTATION_DAYS", value: " 30 " }, { name: "PASSWORD_RESET_ENABLED", value: "FALSE" },
                { name: "CSRF_TOKEN_EXPIRY", value: "1h30m" }, { name: "VAULT_TOKEN", value: "   " }, { name: "REDIS_PASSWORD" },
                { name: "TOKENS_PER_MINUTE", value: "1000" }, { name: "PASSWORD_MAX_AGE_DAY", value: 90 },
            ]));
            assert.deepStrictEqual(messages(diags), [
                'ECS container must take secrets from "secrets", not "environment": container "app" sets ["DB_PASSWORD","ADMIN_PIN_TOKEN","API_KEY","TOKEN","SECRET_ROTATION","DB_PASSWORD_ENABLED"] in environment, expected secrets entries with valueFrom (Secrets Manager or SSM).',
            ]);
        });
    });
});

describe("bypass: CloudTrail", () => {
    const KEY = "arn:aws:kms:eu-west-1:123456789012:key/trail";
    const trail = (props: Record<string, unknown>) => res(aws.cloudtrail.Trail, {
        s3BucketName: "trail-logs", isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: KEY,
        cloudWatchLogsGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:trail:*", cloudWatchLogsRoleArn: "arn:aws:iam::123456789012:role/trail", ...props,
    }, { name: "trail" });
    const s3Data = { type: "AWS::S3::Object", values: ["arn:aws:s3"] };
    const must = "CloudTrail trail must record read and write management events";

    it("rejects event selectors that leave management events out, or keep only writes", async () => {
        const off = [{ includeManagementEvents: false, readWriteType: "All", dataResources: [s3Data] }];
        const writes = [{ readWriteType: "WriteOnly" }];
        for (const eventSelectors of [off, writes]) {
            const diags = await run(cloudtrailConfiguration, trail({ eventSelectors }));
            assert.deepStrictEqual(messages(diags), [`${must}: eventSelectors is ${JSON.stringify(eventSelectors)}, expected a selector with includeManagementEvents true (or unset) and readWriteType "All" (or unset).`]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        }
    });
    it("rejects advanced event selectors that select only data events, or only management writes", async () => {
        const dataOnly = [{ name: "objects", fieldSelectors: [{ field: "eventCategory", equals: ["Data"] }, { field: "resources.type", equals: ["AWS::S3::Object"] }] }];
        const writesOnly = [{ fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }, { field: "readOnly", equals: ["false"] }] }];
        for (const advancedEventSelectors of [dataOnly, writesOnly]) {
            assert.deepStrictEqual(messages(await run(cloudtrailConfiguration, trail({ advancedEventSelectors }))), [
                `${must}: no advancedEventSelectors entry selects eventCategory "Management" without narrowing it (readOnly, or an eventSource other than notEquals), expected one.`,
            ]);
        }
    });
    it("passes the default (no selectors), management plus data events, and management events minus KMS", async () => {
        const withData = [{ includeManagementEvents: true, readWriteType: "All", dataResources: [s3Data] }];
        const minusKms = [{ fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }, { field: "eventSource", notEquals: ["kms.amazonaws.com"] }] }];
        assert.deepStrictEqual(await run(cloudtrailConfiguration, [trail({}), trail({ eventSelectors: withData }), trail({ advancedEventSelectors: minusKms })]), []);
    });
    it("reports a selector unknown until apply instead of passing", async () => {
        assert.deepStrictEqual(messages(await run(cloudtrailConfiguration, trail({ eventSelectors: [{ includeManagementEvents: UNKNOWN_BOOL }] }))), [
            "Cannot verify during preview that the trail records read and write management events: eventSelectors[0].includeManagementEvents is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
        ]);
    });
});

describe("bypass: WAF", () => {
    describe("waf-logging", () => {
        const acl = res(aws.wafv2.WebAcl, { scope: "REGIONAL", defaultAction: { allow: {} } }, { name: "web" });
        const logging = (loggingFilter: unknown) => res(aws.wafv2.WebAclLoggingConfiguration, { resourceArn: UNKNOWN, logDestinationConfigs: [UNKNOWN], loggingFilter }, { name: "web-logs", propertyDependencies: { resourceArn: [acl.urn] } });
        const onBlock = { behavior: "KEEP", requirement: "MEETS_ANY", conditions: [{ actionCondition: { action: "BLOCK" } }] };
        it("does not count a logging configuration whose filter drops every request", async () => {
            const diags = await run(wafLogging, [acl, logging({ defaultBehavior: "DROP", filters: [{ ...onBlock, behavior: "DROP" }] })]);
            assert.deepStrictEqual(messages(diags), [
                'WAF web ACL must log requests: WebAclLoggingConfiguration "web-logs" drops every request (loggingFilter.defaultBehavior "DROP" and no KEEP filter), expected no filter, or one that keeps at least the blocked requests.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.strictEqual(diags[0].urn, acl.urn);
        });
        it("passes a filter that keeps only blocked requests (a common cost saving)", async () => {
            assert.deepStrictEqual(await run(wafLogging, [acl, logging({ defaultBehavior: "DROP", filters: [onBlock] })]), []);
        });
        it("reports a filter unknown until apply", async () => {
            assert.deepStrictEqual(messages(await run(wafLogging, [acl, logging(UNKNOWN)])), [
                'Cannot verify during preview that WAF web ACL "web" logs requests: loggingFilter is (unknown until apply). Re-run the check after apply, or set the value from configuration.',
            ]);
        });
    });
});

/** The problems the pack's config validation (as the CLI's) finds in `config`, [] when it accepts it. */
function configProblems(config: Record<string, unknown>): string[] {
    try {
        resolvePolicyConfig(ALL_POLICIES, config);
        return [];
    } catch (e) {
        if (e instanceof PolicyConfigError) return e.problems;
        throw e;
    }
}

describe("bypass: policy configuration", () => {
    describe("exemptions", () => {
        const exempt = (resource: string) => ({ "kms-key-rotation": { exemptions: [{ resource, reason: "legacy" }] } });
        const refused = (resource: string) =>
            `kms-key-rotation.exemptions.0.resource = ${JSON.stringify(resource)} is not allowed: expected a logical name (no wildcard), or a URN pattern whose resource name (after the last "::") is more than wildcards`;
        it("refuses a URN pattern that matches every resource (urn:*, or a name of only *), and a wildcard in a logical name (names match exactly)", () => {
            for (const resource of ["urn:*", "urn:pulumi:*", "urn:pulumi:prod::baseline::aws:kms/key:Key::*", "urn:pulumi:*::*::*::**", "*", "legacy-*"]) {
                assert.deepStrictEqual(configProblems(exempt(resource)), [refused(resource)]);
            }
        });
        it("accepts a logical name, and a URN pattern that names the resource (wildcards elsewhere, or a name prefix)", () => {
            for (const resource of ["legacy", "urn:pulumi:*::*::aws:kms/key:Key::legacy", "urn:pulumi:prod::baseline::*::legacy-*"]) {
                assert.deepStrictEqual(configProblems(exempt(resource)), [], resource);
            }
        });
        it("pins that an accepted wildcard pattern exempts only what it names, and still reports it, as advisory", async () => {
            const keys = [res(aws.kms.Key, { enableKeyRotation: false }, { name: "legacy-hsm" }), res(aws.kms.Key, { enableKeyRotation: false }, { name: "data" })];
            const diags = await run(kmsKeyRotation, keys, { exemptions: [{ resource: "urn:pulumi:*::legacy-*", reason: "HSM-backed" }] });
            assert.deepStrictEqual(diags.map((d) => [d.urn, d.enforcementLevel]), [[keys[0].urn, "advisory"], [keys[1].urn, "mandatory"]]);
        });
    });

    describe("settings that would switch a mandatory check off without saying so", () => {
        const cases: [string, Record<string, unknown>, string][] = [
            ["no sensitive ports", { "sg-no-public-sensitive-ports": { sensitivePorts: [] } }, "sg-no-public-sensitive-ports.sensitivePorts = [] is not allowed: must NOT have fewer than 1 items"],
            ["no private tier names", { "vpc-private-routes-no-igw": { privateTiers: [] } }, "vpc-private-routes-no-igw.privateTiers = [] is not allowed: must NOT have fewer than 1 items"],
            ["no secret name patterns (ECS)", { "ecs-task-no-plaintext-secrets": { secretNamePatterns: [] } }, "ecs-task-no-plaintext-secrets.secretNamePatterns = [] is not allowed: must NOT have fewer than 1 items"],
            ["an empty allowed-name pattern, which matches every name", { "ecs-task-no-plaintext-secrets": { allowedNamePatterns: [""] } }, 'ecs-task-no-plaintext-secrets.allowedNamePatterns.0 = "" is not allowed: must NOT have fewer than 1 characters'],
            ["no secret name patterns (SSM)", { "ssm-secure-string": { secretNamePatterns: [] } }, "ssm-secure-string.secretNamePatterns = [] is not allowed: must NOT have fewer than 1 items"],
            ["no stateful types", { "stateful-protect": { statefulTypes: [] } }, "stateful-protect.statefulTypes = [] is not allowed: must NOT have fewer than 1 items"],
            ["no denied managed policies", { "iam-no-admin-attachments": { deniedPolicies: [] } }, "iam-no-admin-attachments.deniedPolicies = [] is not allowed: must NOT have fewer than 1 items"],
        ];
        for (const [what, config, problem] of cases) {
            it(`refuses ${what}: disable the policy instead, which says so`, () => {
                assert.deepStrictEqual(configProblems(config), [problem]);
            });
        }
    });
});

describe("bypass: ElastiCache", () => {
    const redis = (props: Record<string, unknown> = {}) => res(aws.elasticache.Cluster, { engine: "redis", nodeType: "cache.t4g.small", numCacheNodes: 1, ...props }, { name: "cache" });
    const outside = "a Redis or Valkey aws.elasticache.Cluster outside a replication group";
    it("rejects Redis run as a standalone aws.elasticache.Cluster, which can neither encrypt, authenticate nor fail over", async () => {
        assert.deepStrictEqual(messages(await run([elasticacheEncryptionAtRest, elasticacheTransitEncryptionAndAuth, elasticacheMultiAzFailover], redis())), [
            `ElastiCache cluster must encrypt data at rest: ${outside} cannot, expected an aws.elasticache.ReplicationGroup with atRestEncryptionEnabled true.`,
            `ElastiCache cluster must encrypt data in transit and authenticate clients: ${outside} supports neither, expected an aws.elasticache.ReplicationGroup with transitEncryptionEnabled true and an auth token or user group.`,
            `ElastiCache cluster must fail over automatically to another availability zone: ${outside} is a single node, expected an aws.elasticache.ReplicationGroup with automaticFailoverEnabled and multiAzEnabled true.`,
        ]);
    });
    it("leaves members of a replication group (checked on the group) and Memcached alone, and reports an unknown engine", async () => {
        const policies = [elasticacheEncryptionAtRest, elasticacheTransitEncryptionAndAuth, elasticacheMultiAzFailover];
        assert.deepStrictEqual(await run(policies, [redis({ replicationGroupId: UNKNOWN, engine: undefined }), redis({ engine: "memcached" })]), []);
        const diags = await run(elasticacheEncryptionAtRest, redis({ engine: UNKNOWN }));
        assert.deepStrictEqual(messages(diags), [
            "Cannot verify during preview that data is encrypted at rest: engine is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
        ]);
    });
});

describe("bypass: stateful-protect", () => {
    it("protects keys, databases, caches and buckets under their other tokens (imported and replica keys, elastic DocumentDB, directory buckets, MemoryDB, OpenSearch, serverless caches)", async () => {
        const types = [
            aws.kms.ExternalKey, aws.kms.ReplicaKey, aws.kms.ReplicaExternalKey, aws.docdb.ElasticCluster, aws.s3.DirectoryBucket,
            aws.memorydb.Cluster, aws.opensearch.Domain, aws.elasticache.ServerlessCache,
        ];
        const resources = types.map((t, i) => res(t, {}, { name: `data-${i}` }));
        const diags = await run(statefulProtect, resources);
        assert.deepStrictEqual(messages(diags), resources.map((r) => `Stateful resource ${r.type} must be protected from deletion: protect is false, expected true.`));
        assert.ok(diags.every((d) => d.enforcementLevel === "mandatory"));
    });
});

describe("bypass: SSM parameters", () => {
    it("ssm-secure-string rejects the short spellings pass and pwd as a name segment, not words that contain them", async () => {
        const params = ["/prod/db/pass", "/prod/smtp_pwd", "/prod/bypass-cache", "/prod/passenger/count"].map((name, i) => res(aws.ssm.Parameter, { name, type: "String" }, { name: `p${i}` }));
        assert.deepStrictEqual(messages(await run(ssmSecureString, params)), [
            'SSM parameter must be a SecureString when its name looks secret: "/prod/db/pass" matches "(^|[-_./])pass($|[-_./])" and type is "String", expected "SecureString".',
            'SSM parameter must be a SecureString when its name looks secret: "/prod/smtp_pwd" matches "(^|[-_./])pwd($|[-_./])" and type is "String", expected "SecureString".',
        ]);
    });
});

describe("bypass: load balancers", () => {
    it("alb-listener-tls accepts the post-quantum and FIPS successors of the allowed policies, which AWS recommends (Res-PQ-2025-09 is the console default)", async () => {
        for (const sslPolicy of ["ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04"]) {
            const listener = res(aws.lb.Listener, { loadBalancerArn: "arn:lb", port: 443, protocol: "HTTPS", sslPolicy, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/1" });
            assert.deepStrictEqual(await run(albListenerTls, listener), [], sslPolicy);
        }
    });

    it("alb-http-redirects-to-https rejects a redirect to HTTP, or to the request's own protocol", async () => {
        for (const protocol of ["HTTP", "#{protocol}"]) {
            const listener = res(aws.lb.Listener, { loadBalancerArn: "arn:lb", port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol, port: "443", statusCode: "HTTP_301" } }] }, { name: "http" });
            assert.deepStrictEqual(messages(await run(albHttpRedirectsToHttps, listener)), [
                `HTTP listener must only redirect to HTTPS: defaultActions[0].redirect.protocol is ${JSON.stringify(protocol)}, expected a single redirect action with protocol "HTTPS".`,
            ]);
        }
    });
});

describe("bypass: KMS", () => {
    it("kms-key-rotation does not demand rotation of a key in a custom key store (CloudHSM or external), which AWS cannot rotate", async () => {
        assert.deepStrictEqual(await run(kmsKeyRotation, res(aws.kms.Key, { customKeyStoreId: "cks-1234567890abcdef0", enableKeyRotation: false })), []);
        assert.deepStrictEqual(await run(kmsKeyRotation, res(aws.kms.Key, { customKeyStoreId: UNKNOWN, enableKeyRotation: false })), []);
    });
    it("pins a symmetric key in the default key store without rotation as rejected", async () => {
        const diags = await run(kmsKeyRotation, res(aws.kms.Key, { customKeyStoreId: "", enableKeyRotation: false }));
        assert.deepStrictEqual(messages(diags), ["KMS key must rotate automatically: enableKeyRotation is false, expected true."]);
    });
});

describe("bypass: ECR", () => {
    const repo = (name: string, scanOnPush: boolean) => res(aws.ecr.Repository, { name, imageScanningConfiguration: { scanOnPush } }, { name: `${name}-repo` });
    const registry = (scanType: string, rules: object[]) => res(aws.ecr.RegistryScanningConfiguration, { scanType, rules }, { name: "registry-scanning" });
    const billingOnly = [{ scanFrequency: "SCAN_ON_PUSH", repositoryFilters: [{ filter: "billing-*", filterType: "WILDCARD" }] }];
    it("does not count a repository's own scanOnPush once a registry configuration with rules replaces it (ENHANCED, or BASIC with rules) and leaves the repository out", async () => {
        for (const [scanType, what] of [["ENHANCED", "ENHANCED"], ["BASIC", "BASIC with rules"]]) {
            const diags = await run(ecrScanOnPush, [repo("shop", true), registry(scanType, billingOnly)]);
            assert.deepStrictEqual(messages(diags), [
                `ECR repository must scan images on push: the registry scanning configuration "registry-scanning" (${what}) replaces its scanOnPush true and no rule of it scans the repository on push, expected a SCAN_ON_PUSH or CONTINUOUS_SCAN rule whose filter matches it.`,
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        }
    });
    it("still counts the repository setting under a BASIC configuration without rules (the registry default)", async () => {
        assert.deepStrictEqual(await run(ecrScanOnPush, [repo("shop", true), registry("BASIC", [])]), []);
    });
    it("matches a filter without a wildcard anywhere in the name, as ECR does (\"shop\" covers \"my-shop-api\")", async () => {
        assert.strictEqual(wildcardMatches("shop", "my-shop-api"), true);
        const rule = [{ scanFrequency: "SCAN_ON_PUSH", repositoryFilters: [{ filter: "shop", filterType: "WILDCARD" }] }];
        assert.deepStrictEqual(await run(ecrScanOnPush, [repo("my-shop-api", false), registry("ENHANCED", rule)]), []);
    });
});
