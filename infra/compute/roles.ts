import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AssetsGrant, ExecGrant, IamContext, ecsTasksTrustPolicy, executionBasePolicy, executionSecretsPolicy, taskPolicy } from "./iam-documents";
import { logGroupArn, repositoryArn, roleName } from "./naming";
import { ResolvedSecret } from "./secret-refs";

/** The account, partition and region a component's documents are built from (known at preview: invokes). */
export function iamContext(region: string, parent: pulumi.Resource): pulumi.Output<IamContext> {
    const identity = aws.getCallerIdentityOutput({}, { parent });
    const partition = aws.getPartitionOutput({}, { parent });
    return pulumi.all([identity.accountId, partition.partition, partition.dnsSuffix]).apply(([accountId, p, dnsSuffix]) => ({ accountId, partition: p, region, dnsSuffix }));
}

export interface RoleInputs {
    namePrefix: string;
    service: string;
    ctx: pulumi.Output<IamContext>;
    repositoryName: string;
    logGroupName: string;
    /** Undefined when the service references no secret. */
    secrets?: pulumi.Output<ResolvedSecret[]>;
    dataKeyArn: pulumi.Input<string>;
    parameterKmsKeyArns: pulumi.Input<string>[];
    assets?: { bucketArn: pulumi.Input<string>; prefix: string; access: AssetsGrant["access"]; kmsKeyArn: pulumi.Input<string> };
    exec?: { logGroupName: string; kmsKeyArn: pulumi.Input<string> };
    /** The stack's workload permissions boundary (security/workload-boundary.ts), on every role created here. Default: none (infra/main.ts always sets it). */
    permissionsBoundaryArn?: pulumi.Input<string>;
}

export interface ServiceRoles {
    execution: aws.iam.Role;
    task: aws.iam.Role;
    /** Every policy of both roles: the service waits for them, so its first task can pull, log and read. */
    policies: aws.iam.RolePolicy[];
}

const json = (doc: unknown) => JSON.stringify(doc);

/**
 * One execution role (ECS's agent: pull, log, read the referenced secrets) and one task role (the code:
 * only its configured access), each with inline policies as standalone resources, no managed policy.
 */
export function createRoles(name: string, r: RoleInputs, parent: pulumi.Resource): ServiceRoles {
    const role = (kind: "execution" | "task", description: string) =>
        new aws.iam.Role(
            `${name}-${kind}-role`,
            { name: roleName(r.namePrefix, r.service, kind), description, permissionsBoundary: r.permissionsBoundaryArn, assumeRolePolicy: r.ctx.apply((c) => json(ecsTasksTrustPolicy(c.accountId))), tags: { Name: roleName(r.namePrefix, r.service, kind) } },
            { parent },
        );
    const execution = role("execution", `ECS agent for ${r.namePrefix}-${r.service}: pulls its image, writes its logs, reads its secrets`);
    const task = role("task", `Application code of ${r.namePrefix}-${r.service}`);
    const policy = (suffix: string, target: aws.iam.Role, document: pulumi.Input<string>) =>
        new aws.iam.RolePolicy(`${name}-${suffix}`, { role: target.id, name: suffix, policy: document }, { parent });

    // From names only, so it is known on a first preview; the secrets part waits for the stores' ARNs.
    const policies = [
        policy("pull-and-log", execution, r.ctx.apply((c) => json(executionBasePolicy(repositoryArn(c.partition, c.region, c.accountId, r.repositoryName), logGroupArn(c.partition, c.region, c.accountId, r.logGroupName))))),
    ];
    if (r.secrets) {
        const doc = pulumi.all([r.ctx, r.secrets, r.dataKeyArn, pulumi.all(r.parameterKmsKeyArns)]).apply(([c, secrets, dataKeyArn, parameterKeyArns]) =>
            json(executionSecretsPolicy(c, { secrets, dataKeyArn, parameterKeyArns })),
        );
        policies.push(policy("read-secrets", execution, doc));
    }
    const taskDocument = taskPolicyDocument(r);
    if (taskDocument) policies.push(policy("application", task, taskDocument));
    return { execution, task, policies };
}

/** The task role's document, or undefined when the service is configured to need nothing. */
function taskPolicyDocument(r: RoleInputs): pulumi.Output<string> | undefined {
    if (!r.assets && !r.exec) return undefined;
    const assets = r.assets;
    const exec = r.exec;
    return pulumi
        .all([r.ctx, assets?.bucketArn, assets?.kmsKeyArn, exec?.kmsKeyArn])
        .apply(([c, bucketArn, assetsKey, execKey]) => {
            const assetsGrant: AssetsGrant | undefined = assets ? { bucketArn: bucketArn!, prefix: assets.prefix, access: assets.access, kmsKeyArn: assetsKey! } : undefined;
            const execGrant: ExecGrant | undefined = exec ? { logGroupArn: logGroupArn(c.partition, c.region, c.accountId, exec.logGroupName), kmsKeyArn: execKey! } : undefined;
            return json(taskPolicy(c, { assets: assetsGrant, exec: execGrant }));
        });
}
