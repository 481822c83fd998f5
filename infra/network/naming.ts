/**
 * AWS-facing names. Pulumi logical names stay `${component}-<suffix>` (stable, never derived from
 * config); the `Name` tags and the log group name carry project and stack so the console reads well.
 */

/** `Name` tag value, e.g. `baseline-prod-app-sg`. */
export function nameTag(project: string, stack: string, suffix: string): string {
    return `${project}-${stack}-${suffix}`;
}

/** Flow-log group name, unique per component instance: `/baseline/prod/network/vpc-flow-logs`. */
export function flowLogGroupName(project: string, stack: string, component: string): string {
    return `/${project}/${stack}/${component}/vpc-flow-logs`;
}
