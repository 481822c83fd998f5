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

/**
 * `<identifier>-final-<8 hex>`: the snapshot a deletion leaves behind. The suffix is drawn once per
 * life of the data store (a RandomId replaced with it), so destroying a re-created store never collides
 * with the snapshot of the previous one, and the name stays stable while the store lives.
 */
export function finalSnapshotName(logicalName: string, identifier: string, parent: pulumi.Resource): pulumi.Output<string> {
    const suffix = new random.RandomId(`${logicalName}-final-snapshot-suffix`, { byteLength: 4, keepers: { identifier } }, { parent });
    return pulumi.interpolate`${identifier}-final-${suffix.hex}`;
}
