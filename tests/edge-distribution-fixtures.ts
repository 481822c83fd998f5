import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "../infra/config/load";
import { Distribution, DistributionArgs } from "../infra/edge/distribution";
import { DistributionLogs } from "../infra/edge/distribution-logs";
import { originDomainName } from "../infra/edge/settings";
import { Buckets } from "../infra/storage/buckets";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mock-outputs";
import { stackBuckets } from "./edge-fixtures";

export const WEB_ACL_ARN = `arn:aws:wafv2:us-east-1:${MOCK_ACCOUNT_ID}:global/webacl/pos-cloudfront/0a1b2c3d-1111-2222-3333-444455556666`;

export interface Cdn {
    storage: Buckets;
    useEast1: aws.Provider;
    cdn: Distribution;
    logs: DistributionLogs;
}

/**
 * The CloudFront part of the edge as main.ts wires it, from the stack's validated config: the buckets in the
 * stack's region, then a us-east-1 provider for the distribution (reading the assets bucket) and its access
 * logs (into the log bucket, once its policy is in place).
 */
export function cdn(overrides: Partial<DistributionArgs> = {}): Cdn {
    const c = loadConfig();
    const namePrefix = `${c.app.name}-${c.environment}`;
    const storage = stackBuckets();
    const useEast1 = new aws.Provider("us-east-1", { region: "us-east-1" });
    const cdn = new Distribution("cdn", {
        edge: c.edge,
        domain: c.domain,
        namePrefix,
        originDomainName: originDomainName(c.domain.name),
        assetsBucketDomainName: pulumi.interpolate`${storage.assetsBucketName}.s3.eu-west-1.amazonaws.com`,
        webAclArn: WEB_ACL_ARN,
        ...overrides,
    }, { providers: [useEast1] });
    const logs = new DistributionLogs("cdn-logs", {
        namePrefix,
        distributionArn: cdn.arn,
        logBucketArn: storage.logBucketArn,
        logBucketPolicy: storage.logBucketPolicy,
    }, { providers: [useEast1] });
    return { storage, useEast1, cdn, logs };
}
