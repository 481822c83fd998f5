/**
 * AWS names of the compute tier. Each starts with the stack's `namePrefix` (`<app>-<env>`) and is fixed
 * by it and the service name, never by other config, so a config change does not rename (and replace)
 * a repository or a service.
 */

/** Lowercase words joined by single hyphens: valid in ECR, ECS, IAM and log group names alike. */
export const NAME_PART = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** IAM role names are at most 64 characters; the longest suffix we append is `-execution`. */
export const MAX_ROLE_NAME = 64;

export const clusterName = (namePrefix: string) => namePrefix;

/** `<prefix>/<service>`: one repository per service, grouped under the stack in the ECR console. */
export const repositoryName = (namePrefix: string, service: string) => `${namePrefix}/${service}`;

export const serviceLogGroupName = (namePrefix: string, service: string) => `/ecs/${namePrefix}/${service}`;

/** Outside `/ecs/<prefix>/`, so no service name can collide with it. */
export const execLogGroupName = (namePrefix: string) => `/ecs-exec/${namePrefix}`;

/** Task definition family and ECS service name. */
export const serviceName = (namePrefix: string, service: string) => `${namePrefix}-${service}`;

export const roleName = (namePrefix: string, service: string, role: "execution" | "task") => `${namePrefix}-${service}-${role}`;

/** `service/<cluster>/<service>`: how Application Auto Scaling names an ECS service. */
export const scalableResourceId = (cluster: string, service: string) => `service/${cluster}/${service}`;

/** Target group names: at most 32 characters, and 9 of them go to `-<8 hex>` (see routing.ts). */
export const TARGET_GROUP_BASE_LENGTH = 32 - 9;

/** `<prefix>-<service>` cut to fit a target group name, never ending in a hyphen. */
export function targetGroupBase(namePrefix: string, service: string): string {
    return `${namePrefix}-${service}`.slice(0, TARGET_GROUP_BASE_LENGTH).replace(/-+$/, "");
}

/** ARN of a log group from its parts, without the trailing `:*` (as @pulumi/aws v7 reports it). */
export function logGroupArn(partition: string, region: string, accountId: string, name: string): string {
    return `arn:${partition}:logs:${region}:${accountId}:log-group:${name}`;
}

export function repositoryArn(partition: string, region: string, accountId: string, name: string): string {
    return `arn:${partition}:ecr:${region}:${accountId}:repository/${name}`;
}

/** SSM parameter ARN from its name or path (`/app/key` → `parameter/app/key`). */
export function parameterArn(partition: string, region: string, accountId: string, path: string): string {
    return `arn:${partition}:ssm:${region}:${accountId}:parameter/${path.replace(/^\//, "")}`;
}
