import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NAME_PART, clusterName, execLogGroupName } from "./naming";

export type ContainerInsights = "enhanced" | "enabled";

export interface ClusterArgs {
    /** `<app>-<env>`: the cluster's name. */
    namePrefix: string;
    /** Encrypts the ECS Exec session log group. */
    logsKmsKeyArn: pulumi.Input<string>;
    /** Retention of the ECS Exec session log group, in days (`baseline:logs.retentionDays`). */
    logRetentionDays: number;
    /** ECS Exec (`baseline:compute.enableExecuteCommand`). Off unless a stack turns it on. */
    enableExecuteCommand: boolean;
    /**
     * KMS key that encrypts ECS Exec session data between the client and the container; required with
     * ECS Exec. Its key policy must let the task roles decrypt and the operators generate data keys directly.
     */
    execKmsKeyArn?: pulumi.Input<string>;
    /**
     * Default `enhanced`: task- and container-level metrics, so a task at its memory limit or a
     * restarting container shows by name; `enabled` keeps only cluster and service metrics (cheaper).
     */
    containerInsights?: ContainerInsights;
    /** prod: the ECS Exec session log group (an audit trail) is kept on delete. */
    protect: boolean;
}

/** Everything wrong with the arguments the config does not check (the config checks the rest). */
export function validateClusterArgs(args: ClusterArgs): string[] {
    const problems: string[] = [];
    if (!NAME_PART.test(args.namePrefix) || args.namePrefix.length > 255) problems.push(`namePrefix ${JSON.stringify(args.namePrefix)}: expected lowercase letters and digits in words joined by single hyphens, such as "pos-prod"`);
    if (args.enableExecuteCommand && args.execKmsKeyArn === undefined) problems.push("execKmsKeyArn: ECS Exec is on, so its sessions need a KMS key to encrypt them");
    if (args.containerInsights !== undefined && !["enhanced", "enabled"].includes(args.containerInsights)) {
        problems.push(`containerInsights ${JSON.stringify(args.containerInsights)}: expected "enhanced" or "enabled"`);
    }
    return problems;
}

/** ECS Exec's session logging: every session's commands and output go to an encrypted log group. */
export function execConfiguration(logGroupName: string, kmsKeyArn: pulumi.Input<string>) {
    return {
        executeCommandConfiguration: {
            kmsKeyId: kmsKeyArn,
            logging: "OVERRIDE",
            logConfiguration: { cloudWatchLogGroupName: logGroupName, cloudWatchEncryptionEnabled: true },
        },
    };
}

/**
 * The ECS cluster every service runs in: Container Insights on, Fargate and Fargate Spot as capacity
 * providers, ECS Exec off unless turned on, and then logged to its own encrypted log group.
 */
export class Cluster extends pulumi.ComponentResource {
    /** Known once the capacity providers are attached, so services created with it can use them. */
    readonly arn: pulumi.Output<string>;
    readonly name: pulumi.Output<string>;
    /** Present with ECS Exec on: what each service's task role needs to log sessions. */
    readonly executeCommand?: { logGroupName: string; kmsKeyArn: pulumi.Input<string> };

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        const problems = validateClusterArgs(args);
        if (problems.length > 0) throw new Error(`Cluster ${JSON.stringify(name)} has invalid arguments:\n  - ${problems.join("\n  - ")}`);
        super("baseline:compute:Cluster", name, {}, opts);

        const exec = args.enableExecuteCommand ? this.execLogGroup(name, args) : undefined;
        const cluster = new aws.ecs.Cluster(
            `${name}-cluster`,
            {
                name: clusterName(args.namePrefix),
                settings: [{ name: "containerInsights", value: args.containerInsights ?? "enhanced" }],
                ...(exec ? { configuration: execConfiguration(exec.logGroupName, exec.kmsKeyArn) } : {}),
                tags: { Name: clusterName(args.namePrefix) },
            },
            { parent: this, dependsOn: exec ? [exec.logGroup] : [] },
        );
        const providers = new aws.ecs.ClusterCapacityProviders(
            `${name}-capacity-providers`,
            {
                clusterName: cluster.name,
                capacityProviders: ["FARGATE", "FARGATE_SPOT"],
                // Services name their own strategy; this is what a bare `run-task` gets.
                defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
            },
            { parent: this },
        );

        this.arn = pulumi.all([cluster.arn, providers.id]).apply(([arn]) => arn);
        this.name = pulumi.all([cluster.name, providers.id]).apply(([clusterName]) => clusterName);
        this.executeCommand = exec ? { logGroupName: exec.logGroupName, kmsKeyArn: exec.kmsKeyArn } : undefined;
        this.registerOutputs({ arn: this.arn, name: this.name, execLogGroupName: exec?.logGroupName });
    }

    private execLogGroup(name: string, args: ClusterArgs) {
        const logGroupName = execLogGroupName(args.namePrefix);
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-exec-logs`,
            { name: logGroupName, retentionInDays: args.logRetentionDays, kmsKeyId: args.logsKmsKeyArn, tags: { Name: logGroupName } },
            { parent: this, retainOnDelete: args.protect },
        );
        return { logGroup, logGroupName, kmsKeyArn: args.execKmsKeyArn! };
    }
}
