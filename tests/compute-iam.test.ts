import * as assert from "assert";
import { executionSecretsPolicy, taskPolicy } from "../infra/compute/iam-documents";
import { resolveSecret } from "../infra/compute/secret-refs";
import { Service } from "../infra/compute/service";
import { ServiceArgs } from "../infra/compute/service-args";
import { BUCKET, KEYS, SECRETS, parsed, serviceArgs, webService, workerService } from "./compute-fixtures";
import { Run, runUnderMocks } from "./harness";

const POLICY = "aws:iam/rolePolicy:RolePolicy";
const CTX = { partition: "aws", region: "eu-west-1", accountId: "123456789012", dnsSuffix: "amazonaws.com" };
const EXEC_KEY = "arn:aws:kms:eu-west-1:123456789012:key/exec-key-id";

async function run(args: ServiceArgs): Promise<Run> {
    return runUnderMocks(() => new Service(args.service.name, args), "prod");
}

const policyOf = (r: Run, name: string) => parsed(r.one(POLICY, name), "policy");

const trust = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "EcsTasksAssumeRole",
            Effect: "Allow",
            Principal: { Service: "ecs-tasks.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
    ],
};

/** What every execution role holds: its own repository and log group, and the registry login. */
const pullAndLog = (service: string) => ({
    Version: "2012-10-17",
    Statement: [
        { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        {
            Sid: "PullOwnImage",
            Effect: "Allow",
            Action: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            Resource: `arn:aws:ecr:eu-west-1:123456789012:repository/shop-prod/${service}`,
        },
        {
            Sid: "WriteOwnLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: [`arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/shop-prod/${service}`, `arn:aws:logs:eu-west-1:123456789012:log-group:/ecs/shop-prod/${service}:*`],
        },
    ],
});

const viaSecretsManager = { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } };

describe("compute IAM: a public service with database, Redis and assets access", () => {
    let r: Run;
    before(async () => {
        r = await run(serviceArgs(webService()));
    });

    it("has two roles, named after the service, that only ECS tasks of this account can assume, and no managed policy", () => {
        const roles = r.ofType("aws:iam/role:Role");
        assert.deepStrictEqual(roles.map((x) => x.inputs.name), ["shop-prod-web-execution", "shop-prod-web-task"]);
        for (const role of roles) {
            assert.deepStrictEqual(JSON.parse(role.inputs.assumeRolePolicy), trust);
            assert.strictEqual(role.inputs.managedPolicyArns, undefined);
            assert.strictEqual(role.inputs.inlinePolicies, undefined);
        }
        assert.deepStrictEqual(r.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), []);
    });

    it("execution role: pulls only its own image and writes only its own log group", () => {
        assert.deepStrictEqual(policyOf(r, "web-pull-and-log"), pullAndLog("web"));
        assert.deepStrictEqual(r.one(POLICY, "web-pull-and-log").propertyDependencies.role, [r.one("aws:iam/role:Role", "web-execution-role").urn]);
    });

    it("execution role: reads exactly the two referenced secrets and decrypts only the data key, only through Secrets Manager", () => {
        assert.deepStrictEqual(policyOf(r, "web-read-secrets"), {
            Version: "2012-10-17",
            Statement: [
                { Sid: "ReadReferencedSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [SECRETS.postgres, SECRETS.redis] },
                { Sid: "DecryptSecretsThroughSecretsManager", Effect: "Allow", Action: "kms:Decrypt", Resource: KEYS.data, Condition: viaSecretsManager },
            ],
        });
    });

    it("task role: read-write under its prefix of the assets bucket, list only that prefix, the storage key only through S3", () => {
        assert.deepStrictEqual(policyOf(r, "web-application"), {
            Version: "2012-10-17",
            Statement: [
                { Sid: "ReadWriteAssetsPrefix", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: `${BUCKET.arn}/uploads/*` },
                { Sid: "ListAssetsPrefix", Effect: "Allow", Action: "s3:ListBucket", Resource: BUCKET.arn, Condition: { StringLike: { "s3:prefix": "uploads/*" } } },
                { Sid: "UseStorageKeyThroughS3", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: KEYS.storage, Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } } },
            ],
        });
        assert.deepStrictEqual(r.one(POLICY, "web-application").propertyDependencies.role, [r.one("aws:iam/role:Role", "web-task-role").urn]);
    });

    it("no statement allows a wildcard action, and only the registry login uses the * resource", () => {
        for (const p of r.ofType(POLICY)) {
            for (const s of JSON.parse(p.inputs.policy).Statement) {
                for (const a of [s.Action].flat()) assert.ok(!a.includes("*"), `${p.name} ${s.Sid} allows ${a}`);
                if ([s.Resource].flat().includes("*")) assert.strictEqual(s.Sid, "EcrLogin", `${p.name} ${s.Sid} on *`);
            }
        }
    });
});

describe("compute IAM: what else a service can be configured to need", () => {
    it("read-only assets access: GetObject only, Decrypt only", async () => {
        const r = await run(serviceArgs(webService({ assets: { prefix: "public/", access: "read" }, secrets: {} })));
        assert.deepStrictEqual(policyOf(r, "web-application").Statement, [
            { Sid: "ReadAssetsPrefix", Effect: "Allow", Action: "s3:GetObject", Resource: `${BUCKET.arn}/public/*` },
            { Sid: "ListAssetsPrefix", Effect: "Allow", Action: "s3:ListBucket", Resource: BUCKET.arn, Condition: { StringLike: { "s3:prefix": "public/*" } } },
            { Sid: "UseStorageKeyThroughS3", Effect: "Allow", Action: "kms:Decrypt", Resource: KEYS.storage, Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } } },
        ]);
        // No secret referenced: no secrets policy at all.
        assert.deepStrictEqual(r.ofType(POLICY).map((p) => p.name), ["web-pull-and-log", "web-application"]);
    });

    it("a worker with no assets: the task role holds nothing; its secrets policy names the application secret and the parameter", async () => {
        const r = await run(serviceArgs(workerService()));
        assert.deepStrictEqual(r.ofType(POLICY).map((p) => p.name), ["worker-pull-and-log", "worker-read-secrets"]);
        assert.deepStrictEqual(policyOf(r, "worker-pull-and-log"), pullAndLog("worker"));
        assert.deepStrictEqual(policyOf(r, "worker-read-secrets").Statement, [
            {
                Sid: "ReadReferencedSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue",
                Resource: [SECRETS.redis, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shop/stripe-AbCdEf"],
            },
            { Sid: "ReadReferencedParameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: ["arn:aws:ssm:eu-west-1:123456789012:parameter/shop/prod/signing-seed"] },
            { Sid: "DecryptSecretsThroughSecretsManager", Effect: "Allow", Action: "kms:Decrypt", Resource: KEYS.data, Condition: viaSecretsManager },
        ]);
    });

    it("customer keys of SSM parameters are decrypted only through SSM", async () => {
        const key = "arn:aws:kms:eu-west-1:123456789012:key/params-key-id";
        const r = await run(serviceArgs(workerService({ secrets: { SIGNING_SEED: "ssm:/shop/prod/signing-seed" } }), { parameterKmsKeyArns: [key] }));
        assert.deepStrictEqual(policyOf(r, "worker-read-secrets").Statement, [
            { Sid: "ReadReferencedParameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: ["arn:aws:ssm:eu-west-1:123456789012:parameter/shop/prod/signing-seed"] },
            { Sid: "DecryptParametersThroughSsm", Effect: "Allow", Action: "kms:Decrypt", Resource: [key], Condition: { StringEquals: { "kms:ViaService": "ssm.eu-west-1.amazonaws.com" } } },
        ]);
    });

    it("the DocumentDB secret (aws/secretsmanager) gets no KMS grant: that key's policy admits the account through Secrets Manager", async () => {
        const r = await run(serviceArgs(workerService({ uses: ["documentDb"], secrets: { MONGO_PASSWORD: "documentDb:password", MONGO_USER: "documentDb:username" } })));
        assert.deepStrictEqual(policyOf(r, "worker-read-secrets").Statement, [
            { Sid: "ReadReferencedSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [SECRETS.documentDb] },
        ]);
    });

    it("with ECS Exec on, the task role opens session channels (only * exists), logs to the session group and decrypts the session key", async () => {
        const cluster = { arn: "arn:aws:ecs:eu-west-1:123456789012:cluster/shop-prod", name: "shop-prod", executeCommand: { logGroupName: "/ecs-exec/shop-prod", kmsKeyArn: EXEC_KEY } };
        const r = await run(serviceArgs(workerService({ readonlyRootFilesystem: false }), { cluster }));
        const group = "arn:aws:logs:eu-west-1:123456789012:log-group:/ecs-exec/shop-prod";
        assert.deepStrictEqual(policyOf(r, "worker-application"), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "EcsExecChannels", Effect: "Allow",
                    Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
                    Resource: "*",
                },
                { Sid: "EcsExecFindLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
                { Sid: "EcsExecSessionLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], Resource: [group, `${group}:*`] },
                { Sid: "EcsExecSessionKey", Effect: "Allow", Action: "kms:Decrypt", Resource: EXEC_KEY },
            ],
        });
        assert.strictEqual(r.one("aws:ecs/service:Service").inputs.enableExecuteCommand, true);
    });
});

describe("compute IAM documents (pure)", () => {
    it("list each secret once, however many variables read it", () => {
        const secrets = [
            resolveSecret("A", { kind: "store", store: "postgres", jsonKey: "password" }, SECRETS.postgres),
            resolveSecret("B", { kind: "store", store: "postgres", jsonKey: "username" }, SECRETS.postgres),
        ];
        assert.deepStrictEqual(executionSecretsPolicy(CTX, { secrets, dataKeyArn: KEYS.data, parameterKeyArns: [] })!.Statement[0].Resource, [SECRETS.postgres]);
    });

    it("grant nothing when nothing is configured", () => {
        assert.strictEqual(executionSecretsPolicy(CTX, { secrets: [], dataKeyArn: KEYS.data, parameterKeyArns: [] }), undefined);
        assert.strictEqual(taskPolicy(CTX, {}), undefined);
    });
});
