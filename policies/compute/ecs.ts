import * as aws from "@pulumi/aws";
import { Policies } from "@pulumi/policy";
import { ResourceReporter, resourcePolicy, stackPolicy, tokenOf } from "../lib/define";
import { at, isSet, isUnknown, list, parseJson, show } from "../lib/props";
import { sourcesOf, unresolved } from "../lib/joins";
import { PLAINTEXT_SECRETS_CONFIG, PlaintextSecretsConfig, findSecrets } from "../lib/secret-values";

/** ecs-01: cluster metrics and task-level telemetry for alarms and incident work. */
export const ecsClusterContainerInsights = resourcePolicy({
    name: "ecs-cluster-container-insights",
    description: "ECS clusters must have Container Insights enabled (or enhanced).",
    severity: "low",
    enforcementLevel: "advisory",
    remediationSteps: 'Add `settings: [{ name: "containerInsights", value: "enhanced" }]` (or "enabled") to the aws.ecs.Cluster.',
    securityHub: ["ECS.12"],
    catalogue: ["ecs-01"],
    types: [aws.ecs.Cluster],
    check: (cluster, _ctx, report) => {
        if (isUnknown(cluster.settings)) {
            report.unverifiable("settings", cluster.settings, "Container Insights is on");
            return;
        }
        const index = list(cluster.settings).findIndex((s) => s?.name === "containerInsights");
        const value = index < 0 ? undefined : cluster.settings[index].value;
        if (isUnknown(value)) report.unverifiable(`settings[${index}].value`, value, "Container Insights is on");
        else if (value !== "enabled" && value !== "enhanced") {
            report.violation(`ECS cluster must have Container Insights on: containerInsights is ${show(value)}, expected "enabled" or "enhanced".`);
        }
    },
});

/** ecs-02: tasks live in private subnets and reach out through NAT or VPC endpoints. */
export const ecsServiceNoPublicIp = resourcePolicy({
    name: "ecs-service-no-public-ip",
    description: "ECS services must not assign public IP addresses to their tasks.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `networkConfiguration.assignPublicIp: false` and place the tasks in private subnets; use NAT gateways or VPC endpoints for outbound traffic.",
    securityHub: ["ECS.2"],
    catalogue: ["ecs-02"],
    types: [aws.ecs.Service],
    check: (service, _ctx, report) => {
        const assign = at(service, "networkConfiguration.assignPublicIp");
        if (isUnknown(assign)) report.unverifiable("networkConfiguration.assignPublicIp", assign, "tasks get no public IP");
        else if (assign === true) {
            report.violation("ECS service must not give its tasks public IP addresses: networkConfiguration.assignPublicIp is true, expected false (private subnets with NAT or VPC endpoints).");
        }
    },
});

/** ecs-03: a deployment that never becomes healthy rolls back instead of looping forever. */
export const ecsServiceCircuitBreaker = resourcePolicy({
    name: "ecs-service-circuit-breaker",
    description: "ECS services deployed by ECS must enable the deployment circuit breaker with rollback.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: "Set `deploymentCircuitBreaker: { enable: true, rollback: true }` on the aws.ecs.Service.",
    catalogue: ["ecs-03"],
    types: [aws.ecs.Service],
    check: (service, _ctx, report) => {
        const controller = at(service, "deploymentController.type") ?? "ECS";
        // CodeDeploy and external controllers own rollback themselves; ECS ignores the breaker for them.
        if (controller === "CODE_DEPLOY" || controller === "EXTERNAL") return;
        const breaker = service.deploymentCircuitBreaker;
        const fields = { enable: at(breaker, "enable"), rollback: at(breaker, "rollback") };
        const wrong = breaker === undefined || Object.values(fields).some((v) => v !== true && !isUnknown(v));
        const unknown = Object.entries(fields).find(([, v]) => isUnknown(v));
        if (!wrong && unknown) {
            report.unverifiable(isUnknown(breaker) ? "deploymentCircuitBreaker" : `deploymentCircuitBreaker.${unknown[0]}`, unknown[1], "the deployment circuit breaker rolls back");
        } else if (wrong && isUnknown(controller)) {
            report.unverifiable("deploymentController.type", controller, "the service either uses another deployment controller or the circuit breaker with rollback");
        } else if (wrong) {
            const found = breaker === undefined ? "(unset)" : `{enable: ${show(fields.enable)}, rollback: ${show(fields.rollback)}}`;
            report.violation(`ECS service must use the deployment circuit breaker with rollback: deploymentCircuitBreaker is ${found}, expected {enable: true, rollback: true}.`);
        }
    },
});

/**
 * `obj` with the given field names spelt as listed, whatever case the JSON used. The provider decodes
 * container definitions with Go's encoding/json, which matches field names case-insensitively, so
 * CloudFormation's `Environment` / `Name` reach ECS as `environment` / `name`; of two spellings of one
 * field the later in the document wins, as there. Other keys are kept as they are.
 */
export function canonicalFields(obj: Record<string, any>, fields: readonly string[]): Record<string, any> {
    const out: Record<string, any> = {};
    for (const [key, value] of Object.entries(obj)) out[fields.find((f) => f.toLowerCase() === key.toLowerCase()) ?? key] = value;
    return out;
}

const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === "object" && !Array.isArray(v);

/** A container definition with the fields the checks read (and theirs) under their canonical names. */
function canonicalContainer(c: Record<string, any>): Record<string, any> {
    const out = canonicalFields(c, ["name", "environment", "logConfiguration", "privileged", "readonlyRootFilesystem", "user"]);
    if (Array.isArray(out.environment)) out.environment = out.environment.map((e: unknown) => (isObject(e) ? canonicalFields(e, ["name", "value"]) : e));
    if (isObject(out.logConfiguration)) out.logConfiguration = canonicalFields(out.logConfiguration, ["logDriver", "options"]);
    return out;
}

/**
 * `containerDefinitions` is one JSON string: unknown during preview as soon as any part of it (an image
 * URL, a log group name) is, so the whole check is then unverifiable rather than passed.
 */
export function containersOf(taskDefinition: Record<string, any>, report: ResourceReporter, requirement: string): Record<string, any>[] | undefined {
    const defs = taskDefinition.containerDefinitions;
    if (isUnknown(defs)) {
        report.unverifiable("containerDefinitions", defs, requirement);
        return undefined;
    }
    const parsed = parseJson(defs);
    if (!Array.isArray(parsed)) {
        report.violation(`ECS task definition must list its containers as a JSON array: containerDefinitions is ${show(defs)}, expected a JSON array of container definitions.`);
        return undefined;
    }
    return parsed.filter(isObject).map(canonicalContainer);
}

/** How messages name a container: its name, or its position. */
export function containerName(container: Record<string, any>, index: number): string {
    return `container ${typeof container.name === "string" ? show(container.name) : index}`;
}

/** ecs-04: without a log driver a container's output is lost. */
export const ecsTaskLogging = resourcePolicy({
    name: "ecs-task-logging",
    description: "Every container of an ECS task definition must have a logConfiguration with a log driver.",
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: 'Give each container `logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": ..., "awslogs-region": ..., "awslogs-stream-prefix": ... } }`.',
    securityHub: ["ECS.9"],
    catalogue: ["ecs-04"],
    types: [aws.ecs.TaskDefinition],
    check: (taskDefinition, _ctx, report) => {
        const containers = containersOf(taskDefinition, report, "every container has a log configuration") ?? [];
        containers.forEach((c, i) => {
            const driver = at(c, "logConfiguration.logDriver");
            if (typeof driver === "string" && driver !== "" && driver !== "none") return;
            const found = isSet(c.logConfiguration) ? `has logDriver ${show(driver)}` : "has no logConfiguration";
            report.violation(`ECS container must send its logs to a log driver: ${containerName(c, i)} ${found}, expected a logConfiguration with a logDriver such as "awslogs".`);
        });
    },
});

/** The shared detector's config (policies/lib/secret-values.ts): the same keys as lambda-no-plaintext-secrets. */
export type EcsPlaintextSecretsConfig = PlaintextSecretsConfig;

/** ecs-05: environment values are readable by anyone who can describe the task definition. */
export const ecsTaskNoPlaintextSecrets = resourcePolicy<EcsPlaintextSecretsConfig>({
    name: "ecs-task-no-plaintext-secrets",
    description: "ECS containers must not carry secret-looking variables (unless the value is plainly a setting: a number of seconds, a flag), URLs with a password or connection strings with a Password/Pwd/AccountKey in `environment`; secrets come through `secrets` (valueFrom).",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps: "Move the variable from `environment` to `secrets: [{ name, valueFrom: <Secrets Manager or SSM parameter ARN> }]` and grant the execution role read access to that secret only.",
    securityHub: ["ECS.8"],
    catalogue: ["ecs-05"],
    config: PLAINTEXT_SECRETS_CONFIG,
    types: [aws.ecs.TaskDefinition],
    check: (taskDefinition, { config }, report) => {
        const containers = containersOf(taskDefinition, report, "no container carries a secret in its environment") ?? [];
        containers.forEach((c, i) => {
            // Task definition environment is readable by every principal allowed ecs:DescribeTaskDefinition
            // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/taskdef-envfiles.html). Never print a value.
            const entries = list(c.environment).filter((e) => typeof e?.name === "string") as { name: string; value?: unknown }[];
            const { named: leaked, inUrls, inConnectionStrings, unknown } = findSecrets(entries, config);
            if (leaked.length > 0) {
                report.violation(`ECS container must take secrets from "secrets", not "environment": ${containerName(c, i)} sets ${show(leaked)} in environment, expected secrets entries with valueFrom (Secrets Manager or SSM).`);
            }
            if (inUrls.length > 0) {
                report.violation(`ECS container must not put credentials in environment values: ${containerName(c, i)} sets ${show(inUrls)} to a URL with a user name and password, expected the password in a secrets entry with valueFrom (Secrets Manager or SSM).`);
            }
            if (inConnectionStrings.length > 0) {
                report.violation(`ECS container must not put credentials in environment values: ${containerName(c, i)} sets ${show(inConnectionStrings)} to a connection string with a Password, Pwd, AccountKey or SharedAccessKey, expected the credential in a secrets entry with valueFrom (Secrets Manager or SSM).`);
            }
            // containerDefinitions is one JSON string, so a single unknown value makes all of it unknown (handled
            // above); a value still unknown here cannot be read for a URL or connection string with a credential.
            for (const e of unknown) {
                report.unverifiable(`${containerName(c, i)} environment ${show(e.name)}`, e.value, "no environment value carries a credential");
            }
        });
    },
});

export interface EcsContainerHardeningConfig {
    requireReadonlyRootFilesystem: boolean;
    requireNonRootUser: boolean;
}

/** `root`, `0`, `root:<group>`, `0:<gid>`. */
export function isRootUser(user: string): boolean {
    return /^(root|0)(:.*)?$/.test(user.trim());
}

/** Task definition settings that put a task in the host's namespaces with the value "host". */
export const HOST_NAMESPACE_MODES = ["networkMode", "pidMode", "ipcMode"] as const;

/** ecs-06: a compromised container gets as little of the host and of itself as possible. */
export const ecsContainerHardening = resourcePolicy<EcsContainerHardeningConfig>({
    name: "ecs-container-hardening",
    description: "ECS containers must not be privileged or share the host's network, process or IPC namespaces, should have a read-only root filesystem and run as a non-root user.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: 'Use `networkMode: "awsvpc"` and leave `pidMode` and `ipcMode` unset (or `task`); in each container definition set `privileged: false` (or leave it unset), `readonlyRootFilesystem: true` (mount a volume for scratch space) and `user: "<uid>:<gid>"` other than root/0.',
    securityHub: ["ECS.4", "ECS.5", "ECS.1", "ECS.3"],
    catalogue: ["ecs-06"],
    config: {
        requireReadonlyRootFilesystem: { type: "boolean", default: true, description: "Require readonlyRootFilesystem: true on every container." },
        requireNonRootUser: { type: "boolean", default: true, description: "Require an explicit non-root `user` on every container." },
    },
    types: [aws.ecs.TaskDefinition],
    check: (taskDefinition, { config }, report) => {
        // The host's namespaces: a task in them sees the host's interfaces, processes or shared memory
        // (Security Hub ECS.1 for networkMode host; pidMode and ipcMode host share the same).
        for (const mode of HOST_NAMESPACE_MODES) {
            const value = taskDefinition[mode];
            if (isUnknown(value)) report.unverifiable(mode, value, "the task does not share the host's namespaces");
            else if (value === "host") report.violation(`ECS task definition must not share the host's namespaces: ${mode} is "host", expected ${mode === "networkMode" ? '"awsvpc"' : "task or unset"}.`);
        }
        const containers = containersOf(taskDefinition, report, "containers are unprivileged, read-only and non-root") ?? [];
        containers.forEach((c, i) => {
            const who = containerName(c, i);
            if (c.privileged === true) report.violation(`ECS container must not run privileged: ${who} has privileged true, expected false.`);
            if (config.requireReadonlyRootFilesystem && c.readonlyRootFilesystem !== true) {
                report.violation(`ECS container must have a read-only root filesystem: ${who} has readonlyRootFilesystem ${show(c.readonlyRootFilesystem)}, expected true.`);
            }
            if (config.requireNonRootUser && (typeof c.user !== "string" || c.user.trim() === "" || isRootUser(c.user))) {
                report.violation(`ECS container must run as a non-root user: ${who} has user ${show(c.user)}, expected a non-root user such as "1000:1000".`);
            }
        });
    },
});

const TASK_DEFINITION = tokenOf(aws.ecs.TaskDefinition);
const ROLE = tokenOf(aws.iam.Role);

/**
 * ecs-07: the execution role pulls images and reads secrets for ECS; the task role is what the
 * application code gets. One role for both hands the code the secrets of every task. A stack policy,
 * because when the ARNs are unknown only the property dependencies show which role produced them.
 */
export const ecsTaskSeparateRoles = stackPolicy({
    name: "ecs-task-separate-roles",
    description: "ECS task definitions must use a task role different from their execution role.",
    severity: "medium",
    enforcementLevel: "advisory",
    remediationSteps: "Create a second aws.iam.Role for the application (taskRoleArn) holding only what the code calls; keep image pulls, logs and secret reads on the execution role.",
    catalogue: ["ecs-07"],
    types: [TASK_DEFINITION],
    check: (resources, _ctx, report) => {
        for (const td of resources.filter((r) => r.type === TASK_DEFINITION)) {
            const exec = td.props.executionRoleArn;
            const task = td.props.taskRoleArn;
            if (!isSet(exec) || !isSet(task)) continue;
            const execRoles = sourcesOf(td, "executionRoleArn", ROLE);
            const shared = sourcesOf(td, "taskRoleArn", ROLE).find((r) => execRoles.includes(r));
            const expected = "expected a task role of its own with only the application's permissions";
            if (shared) {
                report.violation(td, `ECS task definition must use different execution and task roles: both ARNs come from role ${show(shared.name)}, ${expected}.`);
            } else if (!isUnknown(exec) && !isUnknown(task)) {
                if (exec === task) report.violation(td, `ECS task definition must use different execution and task roles: executionRoleArn and taskRoleArn are both ${show(exec)}, ${expected}.`);
            } else {
                // Unknown ARNs are told apart only by coming from different roles of the stack.
                const untraced = ["executionRoleArn", "taskRoleArn"].find((p) => unresolved(td, p, ROLE));
                if (untraced) report.unverifiable(td, untraced, "the task role differs from the execution role");
            }
        }
    },
});

export const ecsPolicies: Policies = [
    ecsClusterContainerInsights, ecsServiceNoPublicIp, ecsServiceCircuitBreaker,
    ecsTaskLogging, ecsTaskNoPlaintextSecrets, ecsContainerHardening, ecsTaskSeparateRoles,
];
