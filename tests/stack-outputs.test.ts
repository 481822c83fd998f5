import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { runStack } from "./harness";

/** What a stack hands its operators and other stacks: where things are, never a secret value. */
const resolve = <T>(o: pulumi.Output<T> | undefined) => new Promise<T | undefined>((ok) => (o === undefined ? ok(undefined) : o.apply((v) => ok(v))));

describe("stack outputs", () => {
    for (const stack of ["prod", "staging"] as const) {
        it(`${stack}: the public URL, the load balancer's DNS name, each service's name and repository, and secrets only by ARN`, async () => {
            const { outputs } = await runStack(stack);
            const plain: Record<string, unknown> = {};
            for (const [key, value] of Object.entries(outputs as Record<string, pulumi.Output<unknown>>)) {
                plain[key] = key === "services" ? Object.fromEntries(await Promise.all(Object.entries(value as unknown as Record<string, Record<string, pulumi.Output<string>>>).map(async ([n, s]) => [n, { serviceName: await resolve(s.serviceName), repositoryUrl: await resolve(s.repositoryUrl) }]))) : await resolve(value);
            }
            const host = stack === "prod" ? "pos.example.com" : "pos.staging.example.com";
            assert.strictEqual(plain.url, `https://${host}`);
            assert.match(String(plain.loadBalancerDnsName), /elb\.amazonaws\.com$/);
            assert.deepStrictEqual(Object.keys(plain.services as object), ["api", "worker"]);
            for (const name of ["api", "worker"]) {
                const s = (plain.services as Record<string, { serviceName: string; repositoryUrl: string }>)[name];
                assert.strictEqual(s.repositoryUrl, `123456789012.dkr.ecr.eu-west-1.amazonaws.com/pos-${stack}/${name}`);
                assert.ok(s.serviceName.includes(name), s.serviceName);
            }
            // Secrets leave the stack only as ARNs; no output carries the mock's generated token.
            assert.match(String(plain.redisAuthTokenSecretArn), /^arn:aws:secretsmanager:/);
            assert.match(String(plain.postgresMasterSecretArn), /^arn:aws:secretsmanager:/);
            // The origin header's value too: CloudFront's token leaves the stack as its secret's ARN.
            assert.match(String(plain.originSecretArn), /^arn:aws:secretsmanager:eu-west-1:123456789012:secret:/);
            assert.ok(!JSON.stringify(plain).includes("mock-generated-password"), "an output carries a generated token");
            // Where the public entry is: the distribution (its id, for invalidations) in front of the load balancer.
            assert.match(String(plain.cloudFrontDistributionId), /^E[A-Z0-9]{13}$/);
            assert.match(String(plain.cloudFrontDomainName), /^d[a-z0-9]{13}\.cloudfront\.net$/);
            // What operations hand on: the topic to subscribe more receivers to, the trail and its bucket, the vault and plan
            // the restore drill starts from, and the roles a workflow assumes.
            assert.strictEqual(plain.alertTopicArn, `arn:aws:sns:eu-west-1:123456789012:pos-${stack}-alerts`);
            assert.strictEqual(plain.auditTrailArn, `arn:aws:cloudtrail:eu-west-1:123456789012:trail/pos-${stack}-trail`);
            assert.strictEqual(plain.auditBucketName, `pos-${stack}-trail-123456789012`);
            assert.strictEqual(plain.backupVaultArn, `arn:aws:backup:eu-west-1:123456789012:backup-vault:pos-${stack}-a1b2c3d4`);
            assert.strictEqual(typeof plain.backupPlanId, "string");
            assert.deepStrictEqual([plain.deployRoleArn, plain.previewRoleArn], [`arn:aws:iam::123456789012:role/pos-${stack}-deploy`, `arn:aws:iam::123456789012:role/pos-${stack}-preview`]);
            assert.deepStrictEqual(Object.keys(plain).sort(), [
                "alertTopicArn", "assetsBucketName", "auditBucketName", "auditTrailArn", "backupPlanId", "backupVaultArn", "cloudFrontDistributionId",
                "cloudFrontDomainName", "deployRoleArn", "documentDbEndpoint", "documentDbMasterSecretArn", "environment",
                "loadBalancerDnsName", "logBucketName", "originSecretArn", "postgresEndpoint", "postgresMasterSecretArn", "previewRoleArn", "privateSubnetIds",
                "redisAuthTokenSecretArn", "redisPrimaryEndpoint", "services", "url", "vpcId",
            ]);
        });
    }
});
