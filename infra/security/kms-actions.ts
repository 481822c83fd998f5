/**
 * Every KMS action, as listed by the Service Authorization Reference ("Actions, resources, and condition
 * keys for AWS Key Management Service", kms.json), so a key policy can be checked by expanding its
 * wildcards instead of trusting them. A new action AWS adds must be added here before a policy names it.
 */
export const KMS_ACTIONS = [
    "kms:CancelKeyDeletion",
    "kms:ConnectCustomKeyStore",
    "kms:CreateAlias",
    "kms:CreateCustomKeyStore",
    "kms:CreateGrant",
    "kms:CreateKey",
    "kms:Decrypt",
    "kms:DeleteAlias",
    "kms:DeleteCustomKeyStore",
    "kms:DeleteImportedKeyMaterial",
    "kms:DeriveSharedSecret",
    "kms:DescribeCustomKeyStores",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:DisconnectCustomKeyStore",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GenerateMac",
    "kms:GenerateRandom",
    "kms:GetKeyLastUsage",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:GetParametersForImport",
    "kms:GetPublicKey",
    "kms:ImportKeyMaterial",
    "kms:ListAliases",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListKeyRotations",
    "kms:ListKeys",
    "kms:ListResourceTags",
    "kms:ListRetirableGrants",
    "kms:PutKeyPolicy",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:ReplicateKey",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:Sign",
    "kms:SynchronizeMultiRegionKey",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateCustomKeyStore",
    "kms:UpdateKeyDescription",
    "kms:UpdatePrimaryRegion",
    "kms:Verify",
    "kms:VerifyMac",
] as const;

export type KmsAction = (typeof KMS_ACTIONS)[number];

/** Cryptographic use of a key, or of an asymmetric key's public half. */
export const KEY_USE_ACTIONS: readonly KmsAction[] = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:GenerateMac",
    "kms:VerifyMac",
    "kms:Sign",
    "kms:Verify",
    "kms:DeriveSharedSecret",
    "kms:GetPublicKey",
];

/**
 * Actions that hand out use without touching the key policy: a grant to oneself, and (multi-Region keys)
 * a replica created under a policy of one's choosing. kms:PutKeyPolicy is the other way, and cannot be
 * withheld from everyone (AWS refuses a policy that locks the key out).
 */
export const USE_GRANTING_ACTIONS: readonly KmsAction[] = ["kms:CreateGrant", "kms:ReplicateKey"];

/**
 * The KMS actions an IAM `Action` pattern matches: case-insensitive, `*` any run of characters, `?` one.
 * A pattern of another service matches none.
 */
export function expandKmsActions(pattern: string): KmsAction[] {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    const re = new RegExp(`^${source}$`, "i");
    return KMS_ACTIONS.filter((a) => re.test(a));
}
