import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { REGION } from "../config/checks";

/**
 * An explicit aws provider for another region, configured like the stack's default one. An explicit
 * provider reads no `aws:` config of its own: the default tags, and the profile where a stack names one,
 * are passed on here (credentials from the environment need nothing). Serves CloudFront's us-east-1 and
 * the backups' copy region.
 *
 * `name` is the provider's logical name: keep it stable, since every resource created through the provider
 * records it, and renaming it replaces them.
 */
export function regionalProvider(name: string, region: string, tags: Record<string, string>, opts?: pulumi.CustomResourceOptions): aws.Provider {
    if (!REGION.test(region)) {
        throw new Error(`regionalProvider ${name}: region ${JSON.stringify(region)} is not an AWS region name such as eu-central-1.`);
    }
    const profile = new pulumi.Config("aws").get("profile");
    return new aws.Provider(name, { region, defaultTags: { tags }, ...(profile ? { profile } : {}) }, opts);
}
