import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { resourcePolicy } from "../lib/define";
import { isSet, isUnknown, parseJson, show } from "../lib/props";

/** kms-01: keys rotate their material every year. */
export const kmsKeyRotation = resourcePolicy({
    name: "kms-key-rotation",
    description: "Customer-managed KMS keys must have automatic key rotation enabled.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `enableKeyRotation: true` on the aws.kms.Key (symmetric keys only).",
    securityHub: ["KMS.4"],
    catalogue: ["kms-01"],
    types: [aws.kms.Key],
    check: (key, _ctx, report) => {
        const spec = key.customerMasterKeySpec ?? key.keySpec ?? "SYMMETRIC_DEFAULT";
        if (spec !== "SYMMETRIC_DEFAULT" && !isUnknown(spec)) return; // AWS only rotates symmetric keys
        if (isSet(key.customKeyStoreId)) return; // nor keys in a custom key store (CloudHSM or external): their material lives outside KMS
        if (isUnknown(key.enableKeyRotation)) report.unverifiable("enableKeyRotation", key.enableKeyRotation, "key rotation is on");
        else if (key.enableKeyRotation !== true) {
            report.violation(`KMS key must rotate automatically: enableKeyRotation is ${show(key.enableKeyRotation)}, expected true.`);
        }
    },
    // Rotation keeps every earlier key version for decryption, so nothing encrypted becomes unreadable; the
    // provider updates `enable_key_rotation` in place (EnableKeyRotation, not ForceNew in terraform-provider-aws
    // internal/service/kms/key.go). Only symmetric encryption keys in KMS's own store: AWS rejects rotation for
    // asymmetric and HMAC keys and for custom key stores, so those (or a spec or store unknown until apply) are left alone.
    // A disabled key too (isEnabled false, or unknown): KMS refuses EnableKeyRotation on it (DisabledException), and the
    // provider only disables a key after its other updates because "we cannot modify disabled keys" (resourceKeyUpdate),
    // so rotation added to an existing disabled key would fail the update.
    remediate: (key) => {
        const spec = key.customerMasterKeySpec ?? key.keySpec ?? "SYMMETRIC_DEFAULT";
        if (spec !== "SYMMETRIC_DEFAULT" || isSet(key.customKeyStoreId) || key.enableKeyRotation === true || isUnknown(key.enableKeyRotation)) return undefined;
        if (key.isEnabled === false || isUnknown(key.isEnabled)) return undefined;
        return { ...key, enableKeyRotation: true };
    },
});

/** kms-02: an explicit key policy that names its principals, and a deletion window long enough to notice a mistake. */
export const kmsKeyPolicy = resourcePolicy<{ minimumDeletionWindowDays: number }>({
    name: "kms-key-policy",
    description: "KMS keys must carry an explicit key policy without a wildcard principal, and a deletion window of at least the configured days.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Pass `policy` with statements naming the account root and service principals, and set `deletionWindowInDays` (30 recommended).",
    securityHub: ["KMS.5"],
    catalogue: ["kms-02"],
    config: {
        minimumDeletionWindowDays: { type: "integer", minimum: 7, maximum: 30, default: 30, description: "Shortest deletion window allowed." },
    },
    types: [aws.kms.Key],
    check: (key, { config }, report) => {
        if (key.policy === undefined) {
            report.violation("KMS key must have an explicit key policy: policy is unset, so AWS applies its default policy.");
        } else if (!isUnknown(key.policy)) {
            const doc = parseJson(key.policy);
            const statements: any[] = doc ? [doc.Statement ?? []].flat() : [];
            const open = statements.findIndex((s) => s.Effect === "Allow" && !s.Condition && [s.Principal, s.Principal?.AWS].flat().includes("*"));
            if (!doc) report.violation(`KMS key policy must be a JSON document: got ${show(key.policy)}.`);
            else if (open >= 0) report.violation(`KMS key policy must not allow the "*" principal without a condition: statement ${show(statements[open].Sid ?? open)} does.`);
        } else {
            // Set, so not AWS's default; but who it admits is only known after apply (e.g. a distribution's ARN in it).
            report.unverifiable("policy", key.policy, "the key policy admits no \"*\" principal without a condition");
        }
        const window = key.deletionWindowInDays ?? 30; // AWS default
        if (!isUnknown(window) && window < config.minimumDeletionWindowDays) {
            report.violation(`KMS key deletion window must be at least ${config.minimumDeletionWindowDays} days: deletionWindowInDays is ${show(window)}.`);
        }
    },
});

export const kmsPolicies: Policies = [kmsKeyRotation, kmsKeyPolicy];
