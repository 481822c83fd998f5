/**
 * AWS-facing names. Pulumi logical names stay `${component}-<suffix>` (stable, never derived from
 * config); `Name` tags and the flow-log group name start with the stack's `<app>-<environment>`
 * prefix (infra/main.ts `namePrefix`), like every other AWS name of the stack.
 */

/** `Name` tag value, e.g. `shop-prod-lb-sg`. */
export function nameTag(namePrefix: string, suffix: string): string {
    return `${namePrefix}-${suffix}`;
}

/**
 * Flow-log group name, `/shop-prod/network/vpc-flow-logs`: under the stack's prefix, so a log
 * reader's IAM grant on `/<namePrefix>/*` covers it, with the component's name so two networks in
 * one stack cannot collide. (The data stores' groups follow names AWS fixes, `/aws/rds/...`;
 * flow logs have none.)
 */
export function flowLogGroupName(namePrefix: string, component: string): string {
    return `/${namePrefix}/${component}/vpc-flow-logs`;
}
