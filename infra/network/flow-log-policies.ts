/**
 * IAM documents for the VPC flow-log delivery role, built as plain JSON so they are readable in the
 * diff and testable without an AWS invoke.
 */
import { serviceTrustPolicy } from "../security/trust-policies";

export interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: Record<string, string | string[]>;
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/** Only the VPC Flow Logs service may assume the role, and only for flow logs of this account in this region. */
export function flowLogTrustPolicy(accountId: string, partition: string, region: string): PolicyDocument {
    return serviceTrustPolicy({
        sid: "VpcFlowLogsAssumeRole",
        service: "vpc-flow-logs.amazonaws.com",
        accountId,
        sourceArnLike: `arn:${partition}:ec2:${region}:${accountId}:vpc-flow-log/*`,
    });
}

/**
 * Write access to one log group and its streams. The group already exists (we create it, with our
 * KMS key and retention), so the role gets no logs:CreateLogGroup and no account-wide Describe.
 * `logGroupArn` is the group's ARN without the trailing `:*` (as @pulumi/aws v7 reports it).
 *
 * The grant is `<group arn>:*`, as AWS's examples write it: it covers the group's streams and its
 * legacy ARN (which ends in `:*`). The bare group ARN alone leaves the flow log in "Access error"
 * (terraform-aws-modules/terraform-aws-vpc#1262).
 */
export function flowLogPermissionsPolicy(logGroupArn: string): PolicyDocument {
    if (logGroupArn.endsWith(":*")) {
        throw new Error(`flowLogPermissionsPolicy: expected a log group ARN without a trailing ":*", got ${logGroupArn}`);
    }
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DeliverFlowLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [logGroupArn, `${logGroupArn}:*`],
            },
        ],
    };
}

/**
 * A log group's ARN from its parts, as @pulumi/aws v7 reports it (no trailing `:*`). Lets the
 * role's policy be built from known values, so policy checks can read it on a first preview.
 */
export function logGroupArn(partition: string, region: string, accountId: string, name: string): string {
    return `arn:${partition}:logs:${region}:${accountId}:log-group:${name}`;
}
