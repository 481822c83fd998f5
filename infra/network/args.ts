import * as pulumi from "@pulumi/pulumi";
import { NetworkConfig } from "../config/types";
import { LoadBalancerIngress } from "./security-groups";

/** Arguments of the Network component (its own module, so the validator can use them without importing the component). */
export interface NetworkArgs {
    /** Validated `baseline:network` settings. */
    config: NetworkConfig;
    /** `<app>-<environment>` (infra/main.ts): starts every `Name` tag and the flow-log group name. */
    namePrefix: string;
    /** KMS key (customer-managed) for the flow-log group. Its key policy must admit `logs.<region>.amazonaws.com`. */
    logsKmsKeyArn: pulumi.Input<string>;
    /** Region, for interface endpoint service names. */
    region: string;
    /**
     * Create the DocumentDB security group. Default false: only the groups a stack uses exist, so no
     * service can be given access to a store that is not there.
     */
    documentDb?: boolean;
    /**
     * Who may reach the load balancer. `cloudfront` (the default): HTTPS only, from CloudFront's
     * origin-facing addresses (the AWS-managed prefix list); `internet`: HTTP and HTTPS from anywhere,
     * for a stack whose load balancer is the public entry (`baseline:edge.cloudFront: false`).
     */
    loadBalancerIngress?: LoadBalancerIngress;
    /**
     * `protect` and `retainOnDelete` on the flow-log group, which is audit evidence: neither
     * `pulumi destroy` nor a replacement deletes it. Default true; a stack without protected
     * resources (staging) opts out.
     */
    protect?: boolean;
    /** The stack's workload permissions boundary (security/workload-boundary.ts), on every role created here. Default: none (infra/main.ts always sets it). */
    permissionsBoundaryArn?: pulumi.Input<string>;
}
