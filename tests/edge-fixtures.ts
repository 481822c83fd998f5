import * as settings from "@pulumi/pulumi/runtime/settings";
import { loadConfig } from "../infra/config/load";
import { LoadBalancer, LoadBalancerArgs } from "../infra/edge/load-balancer";
import { ALB_ACCESS_LOG_PREFIX } from "../infra/edge/settings";
import { Buckets } from "../infra/storage/buckets";

export const PUBLIC_SUBNETS = ["subnet-public-a", "subnet-public-b", "subnet-public-c"];
export const LB_SECURITY_GROUP = "sg-load-balancer";
const STORAGE_KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/storage-key-id";

export interface Edge {
    storage: Buckets;
    lb: LoadBalancer;
}

/**
 * The edge as the program wires it, from the stack's validated config: the buckets with ELB log delivery
 * allowed under the prefix, then the load balancer logging there and waiting for that policy.
 */
/** The stack's buckets as main.ts creates them, with ELB log delivery allowed under the prefix. */
export function stackBuckets(): Buckets {
    const c = loadConfig();
    return new Buckets("storage", {
        storage: c.storage,
        storageKmsKeyArn: STORAGE_KEY_ARN,
        protect: c.protectStatefulResources,
        namePrefix: `${c.app.name}-${c.environment}`,
        allowLoadBalancerLogs: { prefix: ALB_ACCESS_LOG_PREFIX },
    });
}

export function edge(overrides: Partial<LoadBalancerArgs> = {}): Edge {
    const c = loadConfig();
    const namePrefix = `${c.app.name}-${c.environment}`;
    const storage = stackBuckets();
    const lb = new LoadBalancer("edge", {
        loadBalancer: c.loadBalancer,
        domain: c.domain,
        namePrefix,
        subnetIds: PUBLIC_SUBNETS,
        securityGroupIds: [LB_SECURITY_GROUP],
        accessLogs: { bucketName: storage.logBucketName, prefix: ALB_ACCESS_LOG_PREFIX, bucketPolicy: storage.logBucketPolicy },
        deletionProtection: c.environment === "prod",
        ...overrides,
    });
    return { storage, lb };
}

export interface Invoke {
    token: string;
    inputs: Record<string, unknown>;
}

/** Records every data-source call the program makes from here on (call inside the program, under mocks). */
export function recordInvokes(into: Invoke[]): void {
    const mocks = (settings.getMonitor() as any).mocks;
    const call = mocks.call.bind(mocks);
    mocks.call = (args: { token: string; inputs: Record<string, unknown> }) => {
        into.push({ token: args.token, inputs: args.inputs });
        return call(args);
    };
}
