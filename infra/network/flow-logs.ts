import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { flowLogPermissionsPolicy, flowLogTrustPolicy, logGroupArn } from "./flow-log-policies";
import { flowLogGroupName } from "./naming";

export interface FlowLogsArgs {
    vpcId: pulumi.Input<string>;
    namePrefix: string;
    region: string;
    retentionDays: number;
    /** Customer-managed key of the log group. */
    kmsKeyArn: pulumi.Input<string>;
    /** `protect` and `retainOnDelete` on the log group (audit evidence). */
    protect: boolean;
    tag: (suffix: string) => Record<string, string>;
    /** The stack's workload permissions boundary (security/workload-boundary.ts), on every role created here. Default: none (infra/main.ts always sets it). */
    permissionsBoundaryArn?: pulumi.Input<string>;
}

/**
 * All traffic of the VPC to an encrypted, retention-bound log group, through a role that can write
 * only there. Returns the group's name.
 */
export function createFlowLogs(component: string, parent: pulumi.Resource, args: FlowLogsArgs): pulumi.Output<string> {
    const child = { parent };
    const groupName = flowLogGroupName(args.namePrefix, component);
    const logGroup = new aws.cloudwatch.LogGroup(
        `${component}-flow-logs`,
        { name: groupName, retentionInDays: args.retentionDays, kmsKeyId: args.kmsKeyArn, tags: args.tag("vpc-flow-logs") },
        { parent, protect: args.protect, retainOnDelete: args.protect },
    );

    const identity = aws.getCallerIdentityOutput({}, child);
    const partition = aws.getPartitionOutput({}, child);
    const account = pulumi.all([identity.accountId, partition.partition]);
    const role = new aws.iam.Role(
        `${component}-flow-logs-role`,
        {
            // Named under the stack's prefix: the deploy role may manage only roles named `<namePrefix>-*`.
            name: `${args.namePrefix}-vpc-flow-logs`,
            description: "Lets VPC Flow Logs deliver this VPC's flow log to its log group",
            permissionsBoundary: args.permissionsBoundaryArn,
            assumeRolePolicy: account.apply(([id, part]) => JSON.stringify(flowLogTrustPolicy(id, part, args.region))),
            tags: args.tag("vpc-flow-logs-role"),
        },
        child,
    );
    const rolePolicy = new aws.iam.RolePolicy(
        `${component}-flow-logs-policy`,
        {
            role: role.id,
            // From the group's known name rather than `logGroup.arn`, so the document is known at preview.
            policy: account.apply(([id, part]) => JSON.stringify(flowLogPermissionsPolicy(logGroupArn(part, args.region, id, groupName)))),
        },
        child,
    );

    new aws.ec2.FlowLog(
        `${component}-flow-log`,
        {
            vpcId: args.vpcId,
            trafficType: "ALL",
            logDestinationType: "cloud-watch-logs",
            logDestination: logGroup.arn,
            iamRoleArn: role.arn,
            tags: args.tag("vpc-flow-log"),
        },
        // Without the policy in place the first deliveries fail with an access error. Every argument but the
        // tags replaces a flow log, and EC2 refuses a second one with the same configuration and destination:
        // the old one goes first (a few seconds unlogged, e.g. when its role is renamed).
        { parent, dependsOn: [rolePolicy], deleteBeforeReplace: true },
    );
    return logGroup.name;
}
