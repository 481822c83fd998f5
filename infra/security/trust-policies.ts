/**
 * Trust policies for roles that an AWS service assumes on this account's behalf. The service principal
 * alone would let the service act for any account that names this role (the confused deputy), so the
 * caller is pinned with aws:SourceAccount and, where the service reports it, aws:SourceArn.
 */
export interface ServiceTrust {
    /** Statement id, for readers of the role. */
    sid: string;
    /** Service principal, e.g. `monitoring.rds.amazonaws.com`. */
    service: string;
    accountId: string;
    /** ARN pattern of the service resources allowed to use the role, when the service sends one. */
    sourceArnLike?: string;
}

export function serviceTrustPolicy(trust: ServiceTrust) {
    return {
        Version: "2012-10-17" as const,
        Statement: [
            {
                Sid: trust.sid,
                Effect: "Allow" as const,
                Principal: { Service: trust.service },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": trust.accountId },
                    ...(trust.sourceArnLike ? { ArnLike: { "aws:SourceArn": trust.sourceArnLike } } : {}),
                },
            },
        ],
    };
}
