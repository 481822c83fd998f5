import { StackResource } from "./define";
import { isSet, isUnknown, list } from "./props";
import { refersTo, unresolved } from "./joins";

/**
 * Whether an AWS Backup selection (aws.backup.Selection) selects a resource of the stack, for "is in a
 * backup plan" policies. AWS's rules (API_BackupSelection, CloudFormation BackupSelectionResourceType):
 * a resource is selected when its ARN matches `resources` (ARNs, `*` wildcards) or one of the
 * `selectionTags` (ListOfTags, STRINGEQUALS, joined with OR); it must then match EVERY `conditions`
 * entry (StringEquals, StringLike, StringNotEquals, StringNotLike on `aws:ResourceTag/<key>`, AND), and
 * no `notResources` entry. Only the resource's own `tags` input is read: provider default tags are not
 * among the inputs policies see.
 */

export type Verdict = "yes" | "no" | "unknown";

/** Stands in for a name the inputs do not give (ids assigned by AWS): only a `*` can match it. */
export const ANY_NAME = "\u0000";

const glob = (pattern: string, text: string) =>
    new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`).test(text);

/**
 * Whether a selection entry (`*`, or an ARN with `*` wildcards) matches `arn:<partition>:<service>:<region>:<account>:<resource>`.
 * Partition, region and account are the stack's own, so any value there matches; `resource` holds
 * {@link ANY_NAME} where the inputs do not give the name. A pattern cut short (`arn:aws:elasticfilesystem:*`)
 * selects nothing here, but excludes (`loose`, for notResources) whatever its `*` could reach: an exclusion
 * must not be missed because it is spelt unusually.
 */
export function arnPatternSelects(pattern: string, service: string, resource: string, loose = false): boolean {
    if (pattern === "*") return true;
    const parts = pattern.split(":");
    if (parts[0] !== "arn" || (parts.length < 6 && !loose)) return false;
    const anyWhere = (i: number) => (parts.length > i ? ["*"] : []);
    return glob([parts[0], "*", ...parts.slice(2, 3), ...anyWhere(3), ...anyWhere(4), ...parts.slice(5)].join(":"), `arn:aws:${service}:region:account:${resource}`);
}

/** The tag a condition key names (`aws:ResourceTag/backup` → `backup`); undefined for other keys. */
function tagKeyOf(key: unknown): string | undefined {
    if (typeof key !== "string") return undefined;
    const m = /^aws:ResourceTag\/(.+)$/i.exec(key);
    return m ? m[1] : undefined;
}

type Tags = Record<string, unknown> | "unknown";

function tagsOf(target: StackResource): Tags {
    const tags = target.props.tags;
    if (isUnknown(tags)) return "unknown";
    return tags !== null && typeof tags === "object" && !Array.isArray(tags) ? (tags as Record<string, unknown>) : {};
}

/** One condition entry against the tags: "unknown" when the tag's value (or the entry) is unknown until apply. */
function conditionHolds(operator: string, entry: any, tags: Tags): Verdict {
    if (isUnknown(entry) || isUnknown(entry?.key) || isUnknown(entry?.value)) return "unknown";
    const key = tagKeyOf(entry?.key);
    if (key === undefined || typeof entry?.value !== "string") return "no"; // AWS rejects it: nothing is selected
    if (tags === "unknown" || isUnknown(tags[key])) return "unknown";
    const value = tags[key];
    const present = typeof value === "string";
    switch (operator) {
        case "stringEquals": return present && value === entry.value ? "yes" : "no";
        case "stringLikes": return present && glob(entry.value, value as string) ? "yes" : "no";
        case "stringNotEquals": return present && value === entry.value ? "no" : "yes";
        case "stringNotLikes": return present && glob(entry.value, value as string) ? "no" : "yes";
        default: return "no";
    }
}

const OPERATORS = ["stringEquals", "stringLikes", "stringNotEquals", "stringNotLikes"];

/** Whether every `conditions` entry holds for the target (AND): "yes" when there are none. */
export function conditionsHold(conditions: unknown, target: StackResource): Verdict {
    if (isUnknown(conditions)) return "unknown";
    const tags = tagsOf(target);
    let verdict: Verdict = "yes";
    for (const block of list(conditions)) {
        if (isUnknown(block)) { verdict = "unknown"; continue; }
        if (block === null || typeof block !== "object") continue;
        for (const operator of OPERATORS) {
            const entries = (block as Record<string, unknown>)[operator];
            if (isUnknown(entries)) { verdict = "unknown"; continue; }
            for (const entry of list(entries)) {
                const holds = conditionHolds(operator, entry, tags);
                if (holds === "no") return "no";
                if (holds === "unknown") verdict = "unknown";
            }
        }
    }
    return verdict;
}

/** Whether one of the `selectionTags` (STRINGEQUALS, OR) matches the target's tags. */
function selectedByTag(selectionTags: unknown, target: StackResource): Verdict {
    if (isUnknown(selectionTags)) return "unknown";
    const tags = tagsOf(target);
    let verdict: Verdict = "no";
    for (const t of list(selectionTags)) {
        if (isUnknown(t) || isUnknown(t?.type) || isUnknown(t?.key) || isUnknown(t?.value)) { verdict = "unknown"; continue; }
        if (String(t?.type).toUpperCase() !== "STRINGEQUALS" || !isSet(t?.key) || typeof t.key !== "string") continue;
        if (tags === "unknown" || isUnknown(tags[t.key])) { verdict = "unknown"; continue; }
        if (tags[t.key] === t.value) return "yes";
    }
    return verdict;
}

/**
 * Whether `selection` selects `target`. `arnMatches` says whether a known literal (an ARN pattern) of
 * `resources`/`notResources` covers the target (`loose` for notResources, see {@link arnPatternSelects}); a value that came from the target itself (its `arn`
 * output) is joined by dependency. "unknown" when a value deciding it is unknown until apply.
 */
export function selectionSelects(selection: StackResource, target: StackResource, arnMatches: (pattern: string, loose: boolean) => boolean): Verdict {
    const p = selection.props;
    const matches = (field: "resources" | "notResources") => refersTo(selection, field, target, { matches: (literal) => arnMatches(literal, field === "notResources") });
    if (matches("notResources")) return "no";
    const excludedUnknown = unresolved(selection, "notResources");
    let included: Verdict = matches("resources") ? "yes" : selectedByTag(p.selectionTags, target);
    if (included === "no" && unresolved(selection, "resources")) included = "unknown";
    if (included === "no") return "no";
    const conditions = conditionsHold(p.conditions, target);
    if (conditions === "no") return "no";
    return included === "yes" && conditions === "yes" && !excludedUnknown ? "yes" : "unknown";
}

/** Which value left {@link selectionSelects} undecided, for an "unverifiable" report. */
export function whyUnknown(selection: StackResource, target: StackResource): { resource: StackResource; path: string } {
    const p = selection.props;
    if (unresolved(selection, "resources")) return { resource: selection, path: "resources" };
    if (unresolved(selection, "notResources")) return { resource: selection, path: "notResources" };
    if (isUnknown(target.props.tags)) return { resource: target, path: "tags" };
    const tags = target.props.tags;
    const tagKey = [...list(p.selectionTags), ...list(p.conditions).flatMap((b) => OPERATORS.flatMap((o) => list(b?.[o])))]
        .map((e) => (e?.key === undefined ? undefined : tagKeyOf(e.key) ?? e.key))
        .find((k) => typeof k === "string" && tags && typeof tags === "object" && isUnknown(tags[k]));
    if (tagKey !== undefined) return { resource: target, path: /^[\w-]+$/.test(tagKey) ? `tags.${tagKey}` : "tags" };
    return { resource: selection, path: isUnknown(p.selectionTags) || list(p.selectionTags).some((t) => isUnknown(t) || isUnknown(t?.key) || isUnknown(t?.value)) ? "selectionTags" : "conditions" };
}
