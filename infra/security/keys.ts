import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KmsConfig } from "../config/types";
import { deletionWindowProblem, keyPolicyContext } from "./key-context";
import { bucketArn } from "../storage/bucket-policy";
import { bucketName } from "../storage/naming";
import { KeyPolicyContext, PARAMETER_PATH, PolicyDocument, dataKeyPolicy, execSessionKeyPolicy, logsKeyPolicy, storageKeyPolicy } from "./key-policies";

export interface KeysArgs {
    /** `baseline:kms`: the deletion window applied to every key. */
    kms: KmsConfig;
    /** Stable prefix for alias names, e.g. `pos-prod` → `alias/pos-prod-data`. */
    namePrefix: string;
    /**
     * Puts `protect` on the keys (prod). Keys are kept on delete in every environment: what a destroy
     * leaves behind (final snapshots, retained backups) is only readable while its key exists.
     */
    protect: boolean;
    /**
     * Lets this one CloudFront distribution decrypt, through origin access control, objects of the assets
     * bucket (`Buckets` with the same `namePrefix`) encrypted with the storage key. Unset: no distribution may.
     * The storage key's policy waits for the ARN: on the distribution's first preview that policy is unknown
     * (the other keys' are not). Adding or changing it updates the key's policy in place.
     */
    cloudFrontDistributionArn?: pulumi.Input<string>;
    /**
     * Adds a fourth key, `<name>-exec`, for ECS Exec sessions (`baseline:compute.enableExecuteCommand`):
     * the one key principals of the account use directly, as their IAM policies allow. Default false.
     */
    execSessions?: boolean;
    /**
     * The Parameter Store path of the stack's SecureString parameters, `/<app>/<environment>/` (AppSettings'
     * path). The data key's SSM statement then admits only parameters under it (the encryption context SSM
     * sends names the parameter). Unset: any parameter of the account and region, still only through SSM and
     * only for principals whose own IAM policy allows it.
     */
    parameterPath?: string;
}

const ALIAS_PREFIX = /^[a-zA-Z0-9/_-]{1,200}$/;

/**
 * Customer-managed keys that rotate yearly, each with an explicit policy naming only the services that use
 * it; with `execSessions`, also the ECS Exec session key, used directly through IAM (see execSessionKeyPolicy).
 */
export class Keys extends pulumi.ComponentResource {
    /** RDS, Performance Insights, DocumentDB, ElastiCache, Secrets Manager and SSM SecureString parameters. */
    readonly dataKeyArn: pulumi.Output<string>;
    /** CloudWatch Logs log groups. */
    readonly logsKeyArn: pulumi.Output<string>;
    /** S3 SSE-KMS and ECR repositories. */
    readonly storageKeyArn: pulumi.Output<string>;
    /** ECS Exec session data; only with `execSessions`. */
    readonly execKeyArn?: pulumi.Output<string>;

    constructor(name: string, args: KeysArgs, opts?: pulumi.ComponentResourceOptions) {
        // `alias/aws/` is reserved for AWS managed keys.
        if (!ALIAS_PREFIX.test(args.namePrefix) || args.namePrefix.startsWith("aws/")) {
            throw new Error(`Keys ${name}: namePrefix ${JSON.stringify(args.namePrefix)} cannot start a KMS alias: use letters, digits, "/", "_" or "-", not starting with "aws/".`);
        }
        if (args.parameterPath !== undefined && !PARAMETER_PATH.test(args.parameterPath)) {
            throw new Error(`Keys ${name}: parameterPath ${JSON.stringify(args.parameterPath)} is not a Parameter Store path: expected "/<segment>/.../" of letters, digits, "_", "." or "-" (no wildcard).`);
        }
        const windowProblem = deletionWindowProblem(`Keys ${name}`, args.kms);
        if (windowProblem) throw new Error(windowProblem);
        const window = args.kms.deletionWindowDays;
        super("baseline:security:Keys", name, {}, opts);

        const context = keyPolicyContext(this);

        const key = (suffix: string, description: string, policy: (ctx: KeyPolicyContext) => PolicyDocument | pulumi.Output<PolicyDocument>) => {
            const k = new aws.kms.Key(
                `${name}-${suffix}`,
                {
                    description: `${args.namePrefix} ${description}`,
                    enableKeyRotation: true,
                    deletionWindowInDays: window,
                    policy: context.apply((ctx) => pulumi.output(policy(ctx)).apply((doc) => JSON.stringify(doc))),
                },
                // Kept even where not protected, so a staging destroy completes yet its final snapshots stay restorable.
                { parent: this, protect: args.protect, retainOnDelete: true },
            );
            // Not kept: a re-created stack takes the name again; a kept key is found by its description.
            new aws.kms.Alias(`${name}-${suffix}-alias`, { name: `alias/${args.namePrefix}-${suffix}`, targetKeyId: k.keyId }, { parent: this });
            return k;
        };

        this.dataKeyArn = key("data", "databases, cache and secrets", (ctx) => dataKeyPolicy(ctx, args.parameterPath)).arn;
        this.logsKeyArn = key("logs", "CloudWatch Logs", logsKeyPolicy).arn;
        const distributionArn = args.cloudFrontDistributionArn;
        // The assets bucket's name is the storage component's (`Buckets`, same namePrefix), built the same way.
        const assetsBucketArn = (ctx: KeyPolicyContext) => bucketArn(ctx.partition, bucketName(args.namePrefix, "assets", ctx.accountId));
        this.storageKeyArn = key("storage", "S3 objects and ECR images", (ctx) =>
            distributionArn === undefined
                ? storageKeyPolicy(ctx)
                : pulumi.output(distributionArn).apply((arn) => storageKeyPolicy(ctx, { distributionArn: arn, assetsBucketArn: assetsBucketArn(ctx) }))).arn;
        if (args.execSessions ?? false) this.execKeyArn = key("exec", "ECS Exec sessions", execSessionKeyPolicy).arn;

        this.registerOutputs({
            dataKeyArn: this.dataKeyArn,
            logsKeyArn: this.logsKeyArn,
            storageKeyArn: this.storageKeyArn,
            ...(this.execKeyArn ? { execKeyArn: this.execKeyArn } : {}),
        });
    }
}
