/**
 * What every customer-managed key of the stack starts its policy with, written out (not read from
 * infra/security/key-policies.ts), so a change to the administrative actions fails every key's test.
 */

/** The account, partition and region the pure key-policy tests build documents for. */
export const KEY_CTX = { accountId: "111122223333", partition: "aws", region: "eu-west-1", dnsSuffix: "amazonaws.com" };

/** Administration through IAM, never direct use: no encrypt, decrypt or grant action for the account root. */
export const rootStatement = (account: string = KEY_CTX.accountId) => ({
    Sid: "EnableKeyAdministrationByIam",
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    // By name: no kms:CreateGrant (a grant to oneself), no use action, no wildcard.
    Action: [
        "kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:GetKeyLastUsage", "kms:ListGrants", "kms:ListKeyPolicies",
        "kms:ListKeyRotations", "kms:ListResourceTags", "kms:PutKeyPolicy", "kms:UpdateKeyDescription", "kms:CreateAlias", "kms:UpdateAlias",
        "kms:DeleteAlias", "kms:TagResource", "kms:UntagResource", "kms:EnableKey", "kms:DisableKey", "kms:EnableKeyRotation",
        "kms:DisableKeyRotation", "kms:RotateKeyOnDemand", "kms:RevokeGrant", "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion",
    ],
    Resource: "*",
});
