import { BaselineConfig } from "./types";

/**
 * Settings AWS can apply only by replacing what they describe. With fixed physical names a replacement
 * cannot be created beside the original (`DBInstanceAlreadyExists`, overlapping subnets), and a VPC or
 * subnet cannot be replaced under a running database at all, so they are fixed once the stack is created.
 * Each maps to what a change would replace, for the message that stops it.
 */
export const FIXED_SETTINGS: Readonly<Record<string, string>> = {
    "aws:region": "every resource of the stack",
    "baseline:app.name": "every resource with an AWS name: databases, cache, buckets, key aliases",
    "baseline:network.cidrBlock": "the VPC, and with it every subnet and everything in them",
    "baseline:network.availabilityZoneCount": "every subnet, as each AZ's block changes size",
    "baseline:network.publicSubnetMask": "the subnets whose CIDRs move",
    "baseline:network.privateSubnetMask": "the subnets whose CIDRs move",
    "baseline:network.isolatedSubnetMask": "the isolated subnets the databases live in",
    "baseline:database.databaseName": "the PostgreSQL instance",
    "baseline:database.masterUsername": "the PostgreSQL instance",
    "baseline:documentDb.masterUsername": "the DocumentDB cluster",
};

/** The values of {@link FIXED_SETTINGS} this stack has, as strings; a setting of a part that is off is left out. */
export function fixedSettingValues(config: BaselineConfig): Record<string, string> {
    const values: Record<string, string> = {
        "aws:region": config.region,
        "baseline:app.name": config.app.name,
        "baseline:network.cidrBlock": config.network.cidrBlock,
        "baseline:network.availabilityZoneCount": String(config.network.availabilityZoneCount),
        "baseline:network.publicSubnetMask": String(config.network.publicSubnetMask),
        "baseline:network.privateSubnetMask": String(config.network.privateSubnetMask),
        "baseline:network.isolatedSubnetMask": String(config.network.isolatedSubnetMask),
        "baseline:database.databaseName": config.database.databaseName,
        "baseline:database.masterUsername": config.database.masterUsername,
    };
    if (config.documentDb.enabled) values["baseline:documentDb.masterUsername"] = config.documentDb.masterUsername;
    return values;
}

/**
 * Settings that move one step per update: a generation whose previous value stays valid for one step
 * (the origin token CloudFront sends: the load balancer accepts the current and the previous one).
 */
export function steppedSettingValues(config: BaselineConfig): Record<string, string> {
    return config.edge.cloudFront ? { "baseline:edge.originTokenVersion": String(config.edge.originTokenVersion) } : {};
}
