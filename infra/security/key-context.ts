import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KMS_DELETION_WINDOW_DAYS } from "../config/sections/operations";
import { KmsConfig } from "../config/types";
import { KeyPolicyContext } from "./key-policies";

/**
 * Where `parent`'s keys live: account, partition and region, read through `parent`'s provider (a
 * component created with a us-east-1 provider gets us-east-1), so a key policy names its own region.
 */
export function keyPolicyContext(parent: pulumi.Resource): pulumi.Output<KeyPolicyContext> {
    const identity = aws.getCallerIdentityOutput({}, { parent });
    const partition = aws.getPartitionOutput({}, { parent });
    const region = aws.getRegionOutput({}, { parent });
    return pulumi
        .all([identity.accountId, partition.partition, partition.dnsSuffix, region.region])
        .apply(([accountId, partitionName, dnsSuffix, regionName]) => ({ accountId, partition: partitionName, dnsSuffix, region: regionName }));
}

/** The deletion window's problem, if any, in the config's limits (`baseline:kms`), for a component named `who`. */
export function deletionWindowProblem(who: string, kms: KmsConfig): string | undefined {
    const window = kms.deletionWindowDays;
    const { min, max } = KMS_DELETION_WINDOW_DAYS;
    return Number.isInteger(window) && window >= min && window <= max ? undefined : `${who}: kms.deletionWindowDays is ${window}, expected a whole number of days from ${min} to ${max}.`;
}
