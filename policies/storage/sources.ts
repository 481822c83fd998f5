import { ConfigProperty, StackResource } from "../lib/define";
import { at, isUnknown } from "../lib/props";
import { BucketView, label } from "./join";

/** Where a bucket setting is made, for the S3 policies' messages and unknown-value notes. */

/** One place a setting is made: a setting resource, or an inline argument of the bucket. */
export interface Source {
    resource: StackResource;
    /** Property path of the setting within `resource.props`. */
    path: string;
    /** How messages name it. */
    label: string;
}

export const inline = (b: BucketView, path: string): Source => ({ resource: b.resource, path, label: `the bucket's inline ${path.replace(/\[\d+\]$/, "")}` });
export const sourceOf = (r: StackResource, path: string): Source => ({ resource: r, path, label: label(r) });
export const value = (s: Source, sub?: string): unknown => at(s.resource.props, sub ? `${s.path}.${sub}` : s.path);
/** Elements of an array input, each as a source; an unknown array is one source holding the unknown. */
export function elements(r: StackResource, path: string, lbl: (p: string) => string): Source[] {
    const v = at(r.props, path);
    if (isUnknown(v)) return [{ resource: r, path, label: lbl(path) }];
    return Array.isArray(v) ? v.map((_, i) => ({ resource: r, path: `${path}[${i}]`, label: lbl(path) })) : [];
}

export const LOG_BUCKETS: ConfigProperty = {
    type: "array",
    items: { type: "string", minLength: 1 },
    default: [],
    description: "Buckets (logical or bucket names) that hold logs, besides those this stack already delivers logs to.",
};
