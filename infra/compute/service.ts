import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { IamContext } from "./iam-documents";
import { Connections, TMP_VOLUME, connectionEnvironment, containerDefinition, defaultHealthCheck, imageReference, repositoryUrl } from "./container";
import { createRepository } from "./ecr";
import { parameterArn, repositoryName, scalableResourceId, serviceLogGroupName, serviceName } from "./naming";
import { iamContext, createRoles, ServiceRoles } from "./roles";
import { createRouting } from "./routing";
import { capacityProviderStrategies, createScaling } from "./scaling";
import { ResolvedSecret, SecretSource, parseSecretReference, resolveSecret } from "./secret-refs";
import { ServiceArgs, isBootstrap, isPublic } from "./service-args";
import { createRules, serviceRules } from "./security-group";
import { validateServiceArgs } from "./validate";

export { ServiceArgs };

/** What the constructor works from once the arguments are known to be valid: names and defaults applied. */
interface ServicePlan {
    serviceName: string;
    repositoryName: string;
    logGroupName: string;
    isPublic: boolean;
    bootstrap: boolean;
    /** Task count bounds: both 0 while bootstrapping. */
    min: number;
    max: number;
    gracePeriodSeconds: number;
    scaleOutCooldownSeconds: number;
    scaleInCooldownSeconds: number;
}

function plan(args: ServiceArgs): ServicePlan {
    const s = args.service;
    const bootstrap = isBootstrap(s);
    return {
        serviceName: serviceName(args.namePrefix, s.name),
        repositoryName: repositoryName(args.namePrefix, s.name),
        logGroupName: serviceLogGroupName(args.namePrefix, s.name),
        isPublic: isPublic(s),
        bootstrap,
        min: bootstrap ? 0 : s.scaling.min,
        max: bootstrap ? 0 : s.scaling.max,
        gracePeriodSeconds: args.healthCheckGracePeriodSeconds ?? 60,
        scaleOutCooldownSeconds: args.scaleOutCooldownSeconds ?? 60,
        scaleInCooldownSeconds: args.scaleInCooldownSeconds ?? 300,
    };
}

/**
 * One configured service on ECS Fargate: its image repository, log group, execution and task roles,
 * security group and rules, task definition, service, autoscaling, and for a public service its target
 * group and listener rule. With no image set (bootstrap mode) everything exists and no task runs.
 */
export class Service extends pulumi.ComponentResource {
    readonly serviceName: pulumi.Output<string>;
    readonly repositoryUrl: pulumi.Output<string>;
    readonly securityGroupId: pulumi.Output<string>;
    readonly taskRoleArn: pulumi.Output<string>;
    readonly logGroupName: pulumi.Output<string>;
    /** The target group's ARN suffix (`targetgroup/<name>/<id>`), the `TargetGroup` dimension of its metrics; public services only. */
    readonly targetGroupArnSuffix?: pulumi.Output<string>;
    /** Tasks the service keeps at least (its scaling minimum; 0 in bootstrap mode). */
    readonly minimumTasks: number;

    constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = validateServiceArgs(args);
        if (problems.length > 0) throw new Error(`Service ${JSON.stringify(name)} has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        super("baseline:compute:Service", name, {}, opts);
        const s = args.service;
        const p = plan(args);
        const ctx = iamContext(args.region, this);

        const { repository } = createRepository(`${name}-repo`, { name: p.repositoryName, kmsKeyArn: args.repositoryKmsKeyArn, imagesToKeep: args.imagesToKeep, protect: args.protect }, this);
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { name: p.logGroupName, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKeyArn, tags: { Name: p.logGroupName } },
            { parent: this, retainOnDelete: args.protect },
        );
        const secrets = Object.keys(s.secrets).length > 0 ? this.resolveSecrets(args, ctx) : undefined;
        const roles = createRoles(name, {
            namePrefix: args.namePrefix, service: s.name, ctx, repositoryName: p.repositoryName, logGroupName: p.logGroupName, secrets,
            dataKeyArn: args.dataKeyArn, parameterKmsKeyArns: args.parameterKmsKeyArns ?? [],
            assets: s.assets && args.assets ? { bucketArn: args.assets.arn, prefix: s.assets.prefix, access: s.assets.access, kmsKeyArn: args.assets.kmsKeyArn } : undefined,
            exec: args.cluster.executeCommand, permissionsBoundaryArn: args.permissionsBoundaryArn,
        }, this);
        const group = this.securityGroup(name, args, p);
        const taskDefinition = this.taskDefinition(name, args, p, { ctx, repository, logGroup, roles, secrets });
        const routing = p.isPublic
            ? createRouting(name, {
                  namePrefix: args.namePrefix, service: s.name, port: s.port!, routing: s.routing!, vpcId: args.vpcId,
                  listenerArn: args.loadBalancer!.listenerArn, deregistrationDelaySeconds: args.loadBalancer!.deregistrationDelaySeconds,
                  requiredHeader: args.loadBalancer!.originHeader,
              }, this)
            : undefined;
        const service = this.ecsService(name, args, p, { taskDefinition, group, roles, routing });
        createScaling(name, {
            min: p.min, max: p.max, scaling: s.scaling, isPublic: p.isPublic,
            resourceId: pulumi.output(args.cluster.name).apply((cluster) => scalableResourceId(cluster, p.serviceName)),
            requestsLabel: routing ? pulumi.interpolate`${args.loadBalancer!.arnSuffix}/${routing.targetGroup.arnSuffix}` : undefined,
            policyNamePrefix: p.serviceName, scaleOutCooldownSeconds: p.scaleOutCooldownSeconds, scaleInCooldownSeconds: p.scaleInCooldownSeconds, service,
        }, this);

        this.serviceName = service.name;
        this.repositoryUrl = repository.repositoryUrl;
        this.securityGroupId = group.id;
        this.taskRoleArn = roles.task.arn;
        this.logGroupName = logGroup.name;
        this.targetGroupArnSuffix = routing?.targetGroup.arnSuffix;
        this.minimumTasks = p.min;
        this.registerOutputs({
            serviceName: this.serviceName, repositoryUrl: this.repositoryUrl, securityGroupId: this.securityGroupId, taskRoleArn: this.taskRoleArn, logGroupName: this.logGroupName,
        });
    }

    /**
     * Each referenced secret's ARN: stores' outputs, the stack's own parameters and app secrets (their
     * resources' ARNs, known once they exist, so a first preview needs no lookup), a Secrets Manager lookup
     * by name, or the ARN of a parameter made elsewhere.
     */
    private resolveSecrets(args: ServiceArgs, ctx: pulumi.Output<IamContext>): pulumi.Output<ResolvedSecret[]> {
        const lookups = new Map<string, pulumi.Output<string>>();
        const own = args.appSettings;
        const arnOf = (source: SecretSource): { arn: pulumi.Input<string>; key?: ResolvedSecret["key"] } => {
            switch (source.kind) {
                case "store":
                    return { arn: source.store === "postgres" ? args.postgres!.masterSecretArn : source.store === "redis" ? args.redis!.authTokenSecretArn : args.documentDb!.masterSecretArn };
                case "ssm": {
                    const setting = own?.parameters[source.parameterPath];
                    if (setting) return { arn: setting.arn, key: setting.secure ? "dataViaSsm" : "none" };
                    return { arn: ctx.apply((c) => parameterArn(c.partition, c.region, c.accountId, source.parameterPath)) };
                }
                case "secretsmanager": {
                    const secret = own?.secrets[source.secretName];
                    if (secret !== undefined) return { arn: secret, key: "data" };
                    // ECS needs the full ARN (with its random suffix); the lookup also fails the preview if the secret does not exist.
                    const found = lookups.get(source.secretName) ?? aws.secretsmanager.getSecretOutput({ name: source.secretName }, { parent: this }).arn;
                    lookups.set(source.secretName, found);
                    return { arn: found };
                }
            }
        };
        return pulumi.all(
            Object.entries(args.service.secrets).map(([variable, reference]) => {
                const source = parseSecretReference(reference)!;
                const { arn, key } = arnOf(source);
                return pulumi.output(arn).apply((resolved) => resolveSecret(variable, source, resolved, key));
            }),
        );
    }

    /** The service's own group, no inline rules: every rule is a standalone resource, mirrored on its peer. */
    private securityGroup(name: string, args: ServiceArgs, p: ServicePlan): aws.ec2.SecurityGroup {
        const group = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            { vpcId: args.vpcId, description: `Tasks of ECS service ${p.serviceName}`, tags: { Name: `${p.serviceName}-tasks` } },
            { parent: this },
        );
        const rules = serviceRules({
            service: p.serviceName,
            port: p.isPublic ? args.service.port : undefined,
            stores: args.service.uses.map((store) => ({ store, port: args[store]!.port })),
            endpoints: args.endpointsSecurityGroupId !== undefined,
        });
        createRules(name, rules, {
            service: group.id, loadBalancer: args.loadBalancer?.securityGroupId, postgres: args.postgres?.securityGroupId,
            redis: args.redis?.securityGroupId, documentDb: args.documentDb?.securityGroupId, endpoints: args.endpointsSecurityGroupId,
        }, this);
        return group;
    }

    private taskDefinition(
        name: string, args: ServiceArgs, p: ServicePlan,
        r: { ctx: pulumi.Output<IamContext>; repository: aws.ecr.Repository; logGroup: aws.cloudwatch.LogGroup; roles: ServiceRoles; secrets?: pulumi.Output<ResolvedSecret[]> },
    ): aws.ecs.TaskDefinition {
        const s = args.service;
        const connections: pulumi.Output<Connections> = pulumi.output({
            postgres: args.postgres ? { host: args.postgres.host, port: args.postgres.port, databaseName: args.postgres.databaseName } : undefined,
            redis: args.redis ? { host: args.redis.host, port: args.redis.port } : undefined,
            documentDb: args.documentDb ? { host: args.documentDb.host, port: args.documentDb.port } : undefined,
            assets: s.assets && args.assets ? { bucketName: args.assets.name, prefix: s.assets.prefix } : undefined,
        }) as pulumi.Output<Connections>;
        // Names and the repository URL are built from known parts: on a first preview the definition only waits for the stores.
        const url = r.ctx.apply((c) => repositoryUrl(c.accountId, c.region, c.dnsSuffix, p.repositoryName));
        const containerDefinitions = pulumi.all([url, connections, r.secrets ?? []]).apply(([repoUrl, c, secrets]) =>
            JSON.stringify([
                containerDefinition({
                    service: s,
                    image: imageReference(repoUrl, s.image),
                    environment: { ...s.environment, ...connectionEnvironment(s.uses, c) },
                    secrets: secrets.map(({ name: variable, valueFrom }) => ({ name: variable, valueFrom })),
                    logGroupName: p.logGroupName,
                    region: args.region,
                    healthCheck: args.healthCheck ?? defaultHealthCheck(s),
                }),
            ]),
        );
        return new aws.ecs.TaskDefinition(
            `${name}-task`,
            {
                family: p.serviceName,
                requiresCompatibilities: ["FARGATE"],
                networkMode: "awsvpc",
                cpu: String(s.cpu),
                memory: String(s.memory),
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: s.architecture },
                executionRoleArn: r.roles.execution.arn,
                taskRoleArn: r.roles.task.arn,
                volumes: [{ name: TMP_VOLUME }],
                containerDefinitions,
                tags: { Name: p.serviceName },
            },
            // The log group exists before any task writes to it, so ECS never creates an unencrypted one.
            { parent: this, dependsOn: [r.logGroup, r.repository] },
        );
    }

    private ecsService(
        name: string, args: ServiceArgs, p: ServicePlan,
        r: { taskDefinition: aws.ecs.TaskDefinition; group: aws.ec2.SecurityGroup; roles: ServiceRoles; routing?: ReturnType<typeof createRouting> },
    ): aws.ecs.Service {
        const s = args.service;
        return new aws.ecs.Service(
            `${name}-service`,
            {
                name: p.serviceName,
                cluster: args.cluster.arn,
                taskDefinition: r.taskDefinition.arn,
                desiredCount: p.min,
                capacityProviderStrategies: capacityProviderStrategies(s.spotPercent),
                // Changing the strategy (the Spot share) needs a new deployment; ECS refuses it otherwise.
                forceNewDeployment: true,
                platformVersion: "LATEST",
                networkConfiguration: { subnets: args.privateSubnetIds, securityGroups: [r.group.id], assignPublicIp: false },
                deploymentCircuitBreaker: { enable: true, rollback: true },
                deploymentMinimumHealthyPercent: 100,
                deploymentMaximumPercent: 200,
                ...(r.routing
                    ? {
                          healthCheckGracePeriodSeconds: p.gracePeriodSeconds,
                          loadBalancers: [{ targetGroupArn: r.routing.targetGroup.arn, containerName: s.name, containerPort: s.port! }],
                      }
                    : {}),
                propagateTags: "SERVICE",
                enableEcsManagedTags: true,
                enableExecuteCommand: args.cluster.executeCommand !== undefined,
                // prod: a task that never becomes healthy fails `pulumi up` (after the circuit breaker rolls back).
                waitForSteadyState: args.environment === "prod" && !p.bootstrap,
                tags: { Name: p.serviceName },
            },
            {
                parent: this,
                // Autoscaling owns the count once the service exists; `pulumi up` must not reset it.
                ignoreChanges: ["desiredCount"],
                // The target group must be on the listener before ECS registers tasks in it.
                dependsOn: [...(r.routing ? [r.routing.rule] : []), ...r.roles.policies],
            },
        );
    }
}
