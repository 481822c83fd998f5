import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KmsConfig } from "../config/types";
import { deletionWindowProblem, keyPolicyContext } from "./key-context";
import { logsKeyPolicy } from "./key-policies";

export interface LogsKeyArgs {
    /** `baseline:kms`: the deletion window. */
    kms: KmsConfig;
    /** Stable prefix of the alias, e.g. `pos-prod`. */
    namePrefix: string;
    /** End of the alias, `alias/<namePrefix>-<suffix>`, e.g. `edge-logs`: unique per region. */
    suffix: string;
    /** Puts `protect` on the key (prod). It is kept on delete in every environment, like the other keys. */
    protect: boolean;
}

const ALIAS_PART = /^[a-zA-Z0-9/_-]{1,200}$/;

/**
 * One customer-managed key for CloudWatch Logs in the region its provider points at: a log group can only
 * use a key of its own region, so a group outside the stack's region (the CLOUDFRONT web ACL's, in
 * us-east-1) needs a key there. Same policy, rotation and retention as `Keys`' logs key.
 */
export class LogsKey extends pulumi.ComponentResource {
    readonly arn: pulumi.Output<string>;

    constructor(name: string, args: LogsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        const alias = `${args.namePrefix}-${args.suffix}`;
        // `alias/aws/` is reserved for AWS managed keys.
        if (!ALIAS_PART.test(args.namePrefix) || args.namePrefix.startsWith("aws/") || !ALIAS_PART.test(args.suffix) || alias.length > 250) {
            throw new Error(`LogsKey ${name}: alias ${JSON.stringify(`alias/${alias}`)} is not allowed: expected namePrefix and suffix of letters, digits, "/", "_" or "-" (namePrefix not starting with "aws/"), at most 256 characters in all.`);
        }
        const windowProblem = deletionWindowProblem(`LogsKey ${name}`, args.kms);
        if (windowProblem) throw new Error(windowProblem);
        const window = args.kms.deletionWindowDays;
        super("baseline:security:LogsKey", name, {}, opts);

        // Through this component's provider: the policy names the key's own region.
        const context = keyPolicyContext(this);

        const key = new aws.kms.Key(name, {
            description: `${args.namePrefix} CloudWatch Logs (${args.suffix})`,
            enableKeyRotation: true,
            deletionWindowInDays: window,
            policy: context.apply((ctx) => JSON.stringify(logsKeyPolicy(ctx))),
        }, { parent: this, protect: args.protect, retainOnDelete: true });
        new aws.kms.Alias(`${name}-alias`, { name: `alias/${alias}`, targetKeyId: key.keyId }, { parent: this });

        this.arn = key.arn;
        this.registerOutputs({ arn: this.arn });
    }
}
