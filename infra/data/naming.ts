import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * AWS identifiers of the data tier. They are fixed by `namePrefix` and a suffix, never by config
 * values, so a config change cannot rename (and so replace) a database.
 */

const IDENTIFIER = /^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;

/**
 * `${namePrefix}-${suffix}`, checked against the rules RDS, DocumentDB and ElastiCache share: a lowercase
 * letter first, then letters, digits and single hyphens, no trailing hyphen, at most `maxLength` characters.
 */
export function dataIdentifier(component: string, namePrefix: string, suffix: string, maxLength: number): string {
    const id = `${namePrefix}-${suffix}`;
    if (!IDENTIFIER.test(id) || id.length > maxLength) {
        throw new Error(
            `${component}: namePrefix ${JSON.stringify(namePrefix)} gives the identifier ${JSON.stringify(id)}, ` +
                `expected lowercase letters, digits and single hyphens, starting with a letter, at most ${maxLength} characters.`,
        );
    }
    return id;
}

/** Inputs of a store that AWS can only change by replacing it, by input name. */
export type ReplacementInputs = Record<string, pulumi.Input<string | number | boolean>>;

/** RandomId keepers are strings. */
function keeper(value: pulumi.Input<string | number | boolean>): pulumi.Input<string> {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    return pulumi.output(value).apply(String);
}

/**
 * `<identifier>-final-<8 hex>`: the snapshot a deletion leaves behind. The suffix is drawn again whenever
 * the store is replaced (a RandomId whose keepers are `replacedOn`, the inputs that force the store's
 * replacement), so each deletion of a store under the same identifier leaves a snapshot of its own
 * name, and the name stays stable while the store lives. Without `replacedOn` the keeper is the
 * identifier alone (a store that is only ever replaced under a new identifier).
 */
export function finalSnapshotName(logicalName: string, identifier: string, parent: pulumi.Resource, replacedOn?: ReplacementInputs): pulumi.Output<string> {
    const keepers = replacedOn ? Object.fromEntries(Object.entries(replacedOn).map(([k, v]) => [k, keeper(v)])) : { identifier };
    const suffix = new random.RandomId(`${logicalName}-final-snapshot-suffix`, { byteLength: 4, keepers }, { parent });
    return pulumi.interpolate`${identifier}-final-${suffix.hex}`;
}
