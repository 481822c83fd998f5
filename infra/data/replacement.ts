import * as pulumi from "@pulumi/pulumi";

/**
 * How the data tier's resources are replaced. A `pulumi up` is the change window: what AWS can change in
 * place is applied at once (`applyImmediately`); what it can only change by replacement is handled here.
 */

/**
 * A stateful resource whose AWS name (identifier) is fixed: a replacement cannot create the new one
 * beside the old (AWS refuses the second name, `DBInstanceAlreadyExists`). Unprotected (staging), the
 * old one is deleted first, leaving its final snapshot; protected (prod), `protect` stops the
 * replacement at preview and nothing is deleted.
 */
export function fixedNameOptions(protect: boolean): pulumi.CustomResourceOptions {
    return protect ? { protect: true, retainOnDelete: true } : { protect: false, retainOnDelete: false, deleteBeforeReplace: true };
}

/**
 * A parameter group, named after its engine family: a major upgrade replaces it under a new name, so the
 * new group must exist before the store switches to it and the old one can only go after. Explicit,
 * because the provider bridge picks delete-first for every resource given a name, and AWS refuses to
 * delete a group a store still uses.
 */
export const CREATE_BEFORE_DELETE: pulumi.CustomResourceOptions = { deleteBeforeReplace: false };
