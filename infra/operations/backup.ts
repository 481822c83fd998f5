import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { BackupConfig } from "../config/operations-types";
import { KmsConfig } from "../config/types";
import { deletionWindowProblem, keyPolicyContext } from "../security/key-context";
import {
    RuleSpec, backupArgsProblem, backupManagedPolicyArns, backupTrustPolicy, planRules, ruleSpecs, vaultAccessPolicy, vaultKeyPolicy, vaultLockLimits,
} from "./backup-policies";

export interface BackupPlanArgs {
    /** `<app>-<environment>`, e.g. `pos-prod`: the vault, plan and selection are named after it, the keys' aliases start with it. */
    namePrefix: string;
    /** `baseline:backup`: daily and monthly retention (validated by the stack config; checked again here). */
    backup: BackupConfig;
    /** `baseline:kms`: the vault keys' deletion window. */
    kms: KmsConfig;
    /**
     * Puts `protect` on the vaults, their locks, access policies and keys (prod). Vaults, locks, access
     * policies, keys and the role are kept on delete in every environment (see BackupPlan).
     */
    protect: boolean;
    /** ARNs of the resources to back up (the database, the document store, the assets bucket): named, no wildcard, no tag. */
    resources: pulumi.Input<string>[];
    /**
     * Copy every recovery point into a vault in `region`, created through `provider` (an aws provider for that
     * region, e.g. from regionalProvider()). Unset: no copy.
     */
    copy?: { region: string; provider: pulumi.ProviderResource };
    /** The stack's workload permissions boundary (security/workload-boundary.ts), on every role created here. Default: none (infra/main.ts always sets it). */
    permissionsBoundaryArn?: pulumi.Input<string>;
}

interface VaultArgs {
    namePrefix: string;
    /** `<namePrefix>-<suffix drawn once per stack>`: the same in both regions. */
    vaultName: pulumi.Input<string>;
    /** End of the key's alias, `alias/<namePrefix>-<aliasSuffix>`: aliases are per region, the suffix tells the copy apart. */
    aliasSuffix: string;
    kms: KmsConfig;
    protect: boolean;
    rules: RuleSpec[];
    /** Let RDS use the key too (the copy region's vault: RDS copies snapshots into it and restores from it). */
    rdsUse: boolean;
    /** The region the vault must be in: checked against its provider's once known. */
    expectedRegion?: string;
}

/**
 * One AWS Backup vault under its own customer-managed key, in its provider's region, with a governance-mode
 * vault lock and an access policy that denies deleting recovery points. AWS refuses to delete a vault that
 * holds recovery points, so the vault is kept on delete (a destroy completes and leaves it), and with it the
 * lock and the policy that guard what it holds, and the key that decrypts it.
 */
export class BackupVault extends pulumi.ComponentResource {
    readonly name: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    readonly keyArn: pulumi.Output<string>;

    constructor(name: string, args: VaultArgs, opts?: pulumi.ComponentResourceOptions) {
        super("baseline:operations:BackupVault", name, {}, opts);
        const kept = { parent: this, protect: args.protect, retainOnDelete: true };

        // Through this component's provider: the key policy names the vault's own region.
        const context = keyPolicyContext(this).apply((ctx) => {
            if (args.expectedRegion !== undefined && ctx.region !== args.expectedRegion) {
                throw new Error(`BackupVault ${name}: its provider is in ${ctx.region}, expected copy.region ${args.expectedRegion}.`);
            }
            return ctx;
        });
        const key = new aws.kms.Key(`${name}-key`, {
            description: `${args.namePrefix} AWS Backup vault (${args.aliasSuffix})`,
            enableKeyRotation: true,
            deletionWindowInDays: args.kms.deletionWindowDays,
            policy: context.apply((ctx) => JSON.stringify(vaultKeyPolicy(ctx, args.rdsUse))),
        }, kept);
        new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${args.namePrefix}-${args.aliasSuffix}`, targetKeyId: key.keyId }, { parent: this });

        // forceDestroy stays off: a vault is never emptied by Pulumi.
        const vault = new aws.backup.Vault(name, { name: args.vaultName, kmsKeyArn: key.arn }, kept);
        new aws.backup.VaultLockConfiguration(`${name}-lock`, { backupVaultName: vault.name, ...vaultLockLimits(args.rules) }, kept);
        new aws.backup.VaultPolicy(`${name}-policy`, { backupVaultName: vault.name, policy: JSON.stringify(vaultAccessPolicy()) }, kept);

        this.name = vault.name;
        this.arn = vault.arn;
        this.keyArn = key.arn;
        this.registerOutputs({ name: this.name, arn: this.arn, keyArn: this.keyArn });
    }
}

/**
 * AWS Backup for the stack's data: a vault (and, with `copy`, a second one in another region), a plan with a
 * daily and a monthly rule that copy each recovery point to the second vault, the role AWS Backup assumes,
 * and a selection naming the resources by ARN.
 *
 * What a destroy leaves: the vaults (AWS refuses to delete one holding recovery points), their locks, access
 * policies and keys, and the role: AWS Backup manages the lifecycle of existing recovery points with the
 * role that created them, and without it may leave expired points behind (AWS Backup Developer Guide,
 * "Identity and access management"). The role is auto-named and the vaults' names end in a suffix drawn once
 * per stack, so a stack re-created after a destroy creates its own beside the kept ones, no import needed.
 */
export class BackupPlan extends pulumi.ComponentResource {
    readonly vaultArn: pulumi.Output<string>;
    readonly copyVaultArn: pulumi.Output<string> | undefined;
    readonly planId: pulumi.Output<string>;
    /** The plan's ARN (the deploy role administers it by this ARN only). */
    readonly planArn: pulumi.Output<string>;
    /** The vaults' keys (the stack region's, then the copy region's when set). */
    readonly keyArns: pulumi.Output<string>[];
    readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: BackupPlanArgs, opts?: pulumi.ComponentResourceOptions) {
        const problem =
            backupArgsProblem(`BackupPlan ${name}`, { namePrefix: args.namePrefix, backup: args.backup, resourceCount: args.resources.length, copyRegion: args.copy?.region }) ??
            deletionWindowProblem(`BackupPlan ${name}`, args.kms);
        if (problem) throw new Error(problem);
        super("baseline:operations:BackupPlan", name, {}, opts);

        const rules = ruleSpecs(args.namePrefix, args.backup);
        // Drawn when the stack is created and kept in its state: a stack re-created after a destroy gets new names.
        const suffix = new random.RandomId(`${name}-vault-suffix`, { byteLength: 4 }, { parent: this });
        const vaultName = pulumi.interpolate`${args.namePrefix}-${suffix.hex}`;
        const vaultArgs = { namePrefix: args.namePrefix, vaultName, kms: args.kms, protect: args.protect, rules };
        const vault = new BackupVault(`${name}-vault`, { ...vaultArgs, aliasSuffix: "backup", rdsUse: false }, { parent: this });
        const copyVault = args.copy
            ? new BackupVault(`${name}-copy-vault`, { ...vaultArgs, aliasSuffix: "backup-copy", rdsUse: true, expectedRegion: args.copy.region }, {
                  parent: this,
                  providers: [args.copy.provider],
              })
            : undefined;

        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const role = new aws.iam.Role(`${name}-role`, {
            namePrefix: `${args.namePrefix}-backup-`,
            permissionsBoundary: args.permissionsBoundaryArn,
            description: `Assumed by AWS Backup to back up and restore ${args.namePrefix}'s database, document store and assets bucket`,
            assumeRolePolicy: JSON.stringify(backupTrustPolicy()),
        }, { parent: this, retainOnDelete: true });
        // One attachment per policy, named for it: a change to the list touches only the policy that changed.
        ["backup", "restores", "s3-backup", "s3-restore"].forEach((suffix, i) => {
            new aws.iam.RolePolicyAttachment(`${name}-role-${suffix}`, { role: role.name, policyArn: partition.apply((p) => backupManagedPolicyArns(p)[i]) }, {
                parent: this,
                retainOnDelete: true,
            });
        });

        const plan = new aws.backup.Plan(`${name}-plan`, { name: args.namePrefix, rules: planRules(rules, vault.name, copyVault?.arn) }, { parent: this });
        new aws.backup.Selection(`${name}-selection`, { name: args.namePrefix, planId: plan.id, iamRoleArn: role.arn, resources: args.resources }, { parent: this });

        this.vaultArn = vault.arn;
        this.copyVaultArn = copyVault?.arn;
        this.planId = plan.id;
        this.planArn = plan.arn;
        this.keyArns = [vault.keyArn, ...(copyVault ? [copyVault.keyArn] : [])];
        this.roleArn = role.arn;
        this.registerOutputs({ vaultArn: this.vaultArn, copyVaultArn: this.copyVaultArn, planId: this.planId, planArn: this.planArn, roleArn: this.roleArn });
    }
}
