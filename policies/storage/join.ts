import * as aws from "@pulumi/aws";
import { ofType } from "../lib/by-type";
import { StackResource, TypeRef, tokenOf } from "../lib/define";
import { isUnknown } from "../lib/props";
import { linked } from "../lib/joins";

/**
 * With @pulumi/aws v7 a bucket's settings are separate resources. This joins each setting to its
 * bucket: first through `propertyDependencies` (the resource that produced the `bucket` input, the
 * only join that works while names are unknown on a first preview), else by a known bucket name.
 */

const tokens = (...types: TypeRef[]): ReadonlySet<string> => new Set(types.map(tokenOf));

/** `aws.s3.Bucket` registers as `aws:s3/bucket:Bucket`; older programs use `BucketV2`. */
export const BUCKET_TYPES = tokens(aws.s3.Bucket, aws.s3.BucketV2);

/** Every token of each kind of setting resource (the V2 twins are deprecated aliases, still accepted by v7). */
export const SETTING_TYPES = {
    publicAccessBlock: tokens(aws.s3.BucketPublicAccessBlock),
    ownership: tokens(aws.s3.BucketOwnershipControls),
    acl: tokens(aws.s3.BucketAcl, aws.s3.BucketAclV2),
    policy: tokens(aws.s3.BucketPolicy),
    encryption: tokens(aws.s3.BucketServerSideEncryptionConfiguration, aws.s3.BucketServerSideEncryptionConfigurationV2),
    versioning: tokens(aws.s3.BucketVersioning, aws.s3.BucketVersioningV2),
    lifecycle: tokens(aws.s3.BucketLifecycleConfiguration, aws.s3.BucketLifecycleConfigurationV2),
    logging: tokens(aws.s3.BucketLogging, aws.s3.BucketLoggingV2),
};
export type SettingKind = keyof typeof SETTING_TYPES;
const KINDS = Object.keys(SETTING_TYPES) as SettingKind[];

export interface BucketView {
    resource: StackResource;
    /** The `bucket` input when the program names the bucket and the name is known. */
    name?: string;
    /** Setting resources that target this bucket. */
    settings: Record<SettingKind, StackResource[]>;
}

/** `BucketVersioning "storage-assets-versioning"`, for messages. */
export function label(r: StackResource): string {
    return `${r.type.split(":").pop()} ${JSON.stringify(r.name)}`;
}

/** The bucket name in a name, an ARN (`arn:aws:s3:::name/prefix`) or a domain (`name.s3.amazonaws.com`). */
export function bucketNameIn(value: unknown): string | undefined {
    if (typeof value !== "string" || value === "" || isUnknown(value)) return undefined;
    const arn = /^arn:[^:]+:s3:::([^/]+)/.exec(value);
    if (arn) return arn[1];
    // Only an S3 endpoint is a domain: bucket names may themselves contain ".s3-" or ".s3.".
    const domain = /^(.+)\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$/.exec(value);
    return domain ? domain[1] : value;
}

/** A service that delivers logs into a bucket: the input that names the bucket, and where its value sits. */
interface LogDelivery {
    types: ReadonlySet<string>;
    input: string;
    name: (props: Record<string, any>) => unknown;
    /** False when the resource does not deliver (logging switched off, or not to S3). */
    active?: (props: Record<string, any>) => boolean;
    /** S3 server access logging: its target cannot use SSE-KMS. */
    serverAccessLogs?: boolean;
}

const LOG_DELIVERIES: LogDelivery[] = [
    { types: SETTING_TYPES.logging, input: "targetBucket", name: (p) => p.targetBucket, serverAccessLogs: true },
    { types: tokens(aws.s3.Bucket), input: "logging", name: (p) => p.logging?.targetBucket, active: (p) => p.logging !== undefined, serverAccessLogs: true },
    { types: tokens(aws.s3.BucketV2), input: "loggings", name: (p) => (Array.isArray(p.loggings) ? p.loggings[0]?.targetBucket : undefined), active: (p) => p.loggings !== undefined && (!Array.isArray(p.loggings) || p.loggings.length > 0), serverAccessLogs: true },
    { types: tokens(aws.lb.LoadBalancer, aws.alb.LoadBalancer), input: "accessLogs", name: (p) => p.accessLogs?.bucket, active: (p) => p.accessLogs !== undefined && p.accessLogs?.enabled !== false },
    { types: tokens(aws.cloudtrail.Trail), input: "s3BucketName", name: (p) => p.s3BucketName },
    { types: tokens(aws.ec2.FlowLog), input: "logDestination", name: (p) => p.logDestination, active: (p) => p.logDestinationType === "s3" },
    { types: tokens(aws.cloudfront.Distribution), input: "loggingConfig", name: (p) => p.loggingConfig?.bucket, active: (p) => p.loggingConfig !== undefined },
];

/** The S3 part of a stack: buckets, their settings, and which buckets hold logs. */
export class S3Stack {
    readonly buckets: BucketView[] = [];
    /** Every setting resource of each kind, whether or not it targets a bucket of this stack. */
    readonly settings = Object.fromEntries(KINDS.map((k) => [k, [] as StackResource[]])) as Record<SettingKind, StackResource[]>;
    private readonly byResource = new Map<StackResource, BucketView>();
    private readonly bucketResources: StackResource[] = [];
    /** Bucket names are global: one bucket per name (the last declared, should a broken stack repeat one). */
    private readonly byName = new Map<string, BucketView>();
    private readonly logTargets = new Set<BucketView>();
    private readonly accessLogTargets = new Set<BucketView>();

    constructor(resources: StackResource[]) {
        for (const r of ofType(resources, ...BUCKET_TYPES)) {
            const name = bucketNameIn(r.props.bucket);
            const view: BucketView = { resource: r, name, settings: Object.fromEntries(KINDS.map((k) => [k, []])) as unknown as Record<SettingKind, StackResource[]> };
            this.buckets.push(view);
            this.byResource.set(r, view);
            this.bucketResources.push(r);
            if (name) this.byName.set(name, view);
        }
        for (const r of resources) {
            const kind = KINDS.find((k) => SETTING_TYPES[k].has(r.type));
            if (kind) {
                this.settings[kind].push(r);
                for (const b of this.targets(r, "bucket", r.props.bucket)) b.settings[kind].push(r);
            }
            for (const d of LOG_DELIVERIES.filter((d) => d.types.has(r.type) && (d.active?.(r.props) ?? true))) {
                for (const b of this.targets(r, d.input, d.name(r.props))) {
                    this.logTargets.add(b);
                    if (d.serverAccessLogs) this.accessLogTargets.add(b);
                }
            }
        }
    }

    /** Buckets of this stack that `input` of `r` refers to: by dependency, else by the bucket name in `value` (a name, ARN or domain). */
    targets(r: StackResource, input: string, value: unknown): BucketView[] {
        const sameName = (literal: string, bucket: StackResource) => this.byName.get(bucketNameIn(literal)!) === this.byResource.get(bucket);
        return linked(r, input, this.bucketResources, { value, matches: sameName }).map((b) => this.byResource.get(b)!);
    }

    /** The bucket a violation found on a setting belongs to (so a bucket's exemption covers it), else the setting. */
    ownerOf(setting: StackResource): StackResource {
        return this.targets(setting, "bucket", setting.props.bucket)[0]?.resource ?? setting;
    }

    /** The name of the bucket a setting targets, when known. */
    bucketNameOf(setting: StackResource): string | undefined {
        return this.targets(setting, "bucket", setting.props.bucket)[0]?.name ?? bucketNameIn(setting.props.bucket);
    }

    /**
     * A log bucket receives logs: it is the target of S3 server access logging, load balancer access
     * logs, a CloudTrail trail, an S3 flow log or CloudFront logging in this stack, or it is listed in
     * `configured` by logical or bucket name. Log buckets need not log themselves and may use SSE-S3.
     */
    isLogBucket(b: BucketView, configured: readonly string[]): boolean {
        return this.logTargets.has(b) || configured.includes(b.resource.name) || (b.name !== undefined && configured.includes(b.name));
    }

    /** S3 server access logging delivers here: such a bucket cannot use SSE-KMS. */
    receivesServerAccessLogs(b: BucketView): boolean {
        return this.accessLogTargets.has(b);
    }

    /** For a setting that targets no bucket of this stack: is the bucket it names a configured log bucket? */
    isConfiguredLogBucketName(setting: StackResource, configured: readonly string[]): boolean {
        const name = bucketNameIn(setting.props.bucket);
        return name !== undefined && configured.includes(name);
    }
}
