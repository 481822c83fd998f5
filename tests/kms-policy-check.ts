import { PolicyDocument } from "../infra/security/key-policies";
import { KEY_USE_ACTIONS, KMS_ACTIONS, KmsAction, USE_GRANTING_ACTIONS, expandKmsActions } from "../infra/security/kms-actions";

/**
 * The README's promise, as a check: IAM may administer a key but never use it. Applied to every
 * statement that speaks to the account's IAM principals, with wildcards expanded against the full KMS
 * action list, so a `kms:Create*` (which holds kms:CreateGrant) or a `kms:Get*` (kms:GetPublicKey) is caught.
 */

export type Statement = Record<string, any>;

/**
 * The one deliberate exception: the ECS Exec session key's use statement lets the account's IAM principals
 * decrypt and generate data keys directly, since no AWS service stands between the Session Manager client
 * or the agent in the task and KMS (infra/security/key-policies.ts, execSessionKeyPolicy). It is what the
 * check reports for that key, exactly; its administrative statement, like every key's, reports nothing.
 */
export const EXEC_KEY_DIRECT_USE = ["AllowDirectEcsExecSessionUseThroughIam: kms:Decrypt", "AllowDirectEcsExecSessionUseThroughIam: kms:GenerateDataKey"];

/**
 * Statements that give the account's IAM principals direct use: its root, account id or principals, or a
 * "*", unless bounded by kms:ViaService (StringEquals, named endpoints): then the key is used through those
 * services only, as the services' statements intend (the data key's SSM statement names the account, so that
 * IAM decides who may use it through SSM, and is such a statement). Only `<service>.<region>...` endpoints
 * count: a wildcard in a StringEquals value is literal, and an absent key never matches.
 */
function isAdministrative(s: Statement, accountId: string): boolean {
    if (s.Effect !== "Allow") return false;
    const aws = s.Principal === "*" ? ["*"] : [s.Principal?.AWS ?? []].flat();
    const services = [s.Condition?.StringEquals?.["kms:ViaService"] ?? []].flat();
    const viaService = services.length > 0 && services.every((v: unknown) => typeof v === "string" && /^[a-z0-9-]+\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(v));
    return !viaService && aws.some((p: string) => p === accountId || p.includes(`:iam::${accountId}:`) || p === "*");
}

/** The KMS actions a statement allows, NotAction included. */
function allowedActions(s: Statement): KmsAction[] {
    if (s.NotAction !== undefined) {
        const excluded = new Set([s.NotAction].flat().flatMap((p: string) => expandKmsActions(p)));
        return KMS_ACTIONS.filter((a) => !excluded.has(a));
    }
    return [...new Set([s.Action].flat().flatMap((p: string) => expandKmsActions(p)))];
}

/** Grants only an AWS service may create for its principal's resources (RDS, EBS...), not one to oneself. */
const grantsOnlyForAwsResources = (s: Statement) => [s.Condition?.Bool?.["kms:GrantIsForAWSResource"]].flat().map(String).join() === "true";

/** Use, or a way to obtain it, that an administrative statement of `doc` allows, as "<Sid>: <action>". */
export function administrativeUse(doc: PolicyDocument | { Statement: Statement[] }, accountId: string): string[] {
    const forbidden = new Set<KmsAction>([...KEY_USE_ACTIONS, ...USE_GRANTING_ACTIONS]);
    return [doc.Statement].flat().flatMap((s: Statement) => {
        if (!isAdministrative(s, accountId)) return [];
        return allowedActions(s)
            .filter((a) => forbidden.has(a) && !(a === "kms:CreateGrant" && grantsOnlyForAwsResources(s)))
            .map((a) => `${s.Sid ?? "?"}: ${a}`);
    });
}
