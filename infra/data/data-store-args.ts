import * as pulumi from "@pulumi/pulumi";
import { Environment, LogsConfig } from "../config/types";

/**
 * What every data store (Postgres, Redis, DocumentDb) takes from the stack, the network and `Keys`.
 * Each store's args extend this with its own config section and options.
 */
export interface DataStoreArgs {
    /** `baseline:environment`: the store checks its config section with the limits of this environment. */
    environment: Environment;
    /** `baseline:logs`: retention of the store's pre-created log groups. */
    logs: LogsConfig;
    /** Stable prefix of AWS names, e.g. `pos-prod`; the store appends its suffix (`pos-prod-postgres`, `-redis`, `-docdb`). */
    namePrefix: string;
    /** Isolated (database-tier) subnets, in at least two AZs. */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The store's own data-tier security groups, which admit only the application's group on the store's port. */
    securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
    /** KMS key for data at rest and the store's secrets (`Keys.dataKeyArn`). */
    dataKeyArn: pulumi.Input<string>;
    /** KMS key for the store's log groups (`Keys.logsKeyArn`). */
    logsKeyArn: pulumi.Input<string>;
    /** Puts `protect` and `retainOnDelete` on the store's stateful resource (prod), so neither a destroy nor a replacement deletes data. */
    protect: boolean;
}

/** A store's subnet group: the isolated subnets only, under the store's identifier. */
export function isolatedSubnetGroupArgs(identifier: string, subnetIds: DataStoreArgs["subnetIds"]) {
    return { name: identifier, description: `${identifier}: isolated subnets only`, subnetIds };
}
