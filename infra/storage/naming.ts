/**
 * Bucket names are global across all AWS accounts, so the account id is part of every name:
 * `<prefix>-<role>-<account id>`, e.g. `pos-prod-assets-123456789012`.
 */

export type BucketRole = "assets" | "logs";

/** 63 (S3 limit) - "-assets-" - 12-digit account id. */
export const MAX_NAME_PREFIX_LENGTH = 63 - "-assets-".length - 12;

/** Throws unless every bucket name built from `prefix` is a valid S3 bucket name. */
export function validateNamePrefix(prefix: string): void {
    if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(prefix) || prefix.includes("--")) {
        throw new Error(`Buckets: namePrefix ${JSON.stringify(prefix)} is not allowed: use lowercase letters, digits and single hyphens, starting and ending with a letter or digit, e.g. "pos-prod".`);
    }
    if (prefix.length > MAX_NAME_PREFIX_LENGTH) {
        throw new Error(`Buckets: namePrefix ${JSON.stringify(prefix)} is ${prefix.length} characters: at most ${MAX_NAME_PREFIX_LENGTH}, so that bucket names stay within S3's 63.`);
    }
    if (prefix.startsWith("sthree-") || prefix.startsWith("amzn-s3-demo-")) {
        throw new Error(`Buckets: namePrefix ${JSON.stringify(prefix)} starts with a prefix S3 reserves: choose another.`);
    }
}

export function bucketName(prefix: string, role: BucketRole, accountId: string): string {
    return `${prefix}-${role}-${accountId}`;
}
