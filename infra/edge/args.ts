import * as pulumi from "@pulumi/pulumi";
import { DomainConfig } from "../config/types";
import { LoadBalancerConfig } from "../config/service-types";
import { DesyncMitigationMode } from "./settings";

/** Where the load balancer writes its access logs. */
export interface AccessLogsArgs {
    /** Name of the log bucket (SSE-S3: ALB access logging cannot write to SSE-KMS buckets). */
    bucketName: pulumi.Input<string>;
    /** Key prefix, e.g. `alb-access`: logs land under `<prefix>/AWSLogs/<account id>/`. The bucket policy must allow the same prefix. */
    prefix: string;
    /**
     * The bucket policy that lets ELB log delivery write there (`Buckets.logBucketPolicy`, built with
     * `allowLoadBalancerLogs: { prefix }`). The load balancer waits for it: AWS refuses to turn logging on
     * ("Access Denied for bucket") until it can write.
     */
    bucketPolicy: pulumi.Resource;
}

export interface LoadBalancerArgs {
    /** `baseline:loadBalancer`: TLS policy and idle timeout (validated by the stack config; checked again here). */
    loadBalancer: LoadBalancerConfig;
    /** `baseline:domain`: the name served (`name`) and the public Route 53 hosted zone it is in (`zoneName`). */
    domain: DomainConfig;
    /**
     * Start of the load balancer's AWS name, `<namePrefix>-alb` (at most 32 characters), e.g. `pos-prod`.
     * Fixed once created: a new name replaces the load balancer, and with it its DNS name.
     */
    namePrefix: string;
    /** Public subnets, one per availability zone (at least two: an ALB needs two zones). */
    subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * The VPC's internet gateway, when it is created in the same update: AWS refuses an internet-facing
     * load balancer in a VPC without one ("InvalidSubnet: VPC ... has no internet gateway"), and subnet
     * ids alone do not make the load balancer wait for it.
     */
    internetGateway?: pulumi.Resource;
    /** The load balancer's security group(s): HTTPS in from CloudFront (or HTTP and HTTPS from the internet), out to the services only. */
    securityGroupIds: pulumi.Input<string>[];
    accessLogs: AccessLogsArgs;
    /** AWS refuses to delete the load balancer (and with it the DNS name clients resolve). Default `true`; staging opts out. */
    deletionProtection?: boolean;
    /** Further names on the certificate, each inside `domain.zoneName` (`*.` allowed). Default: none. */
    subjectAlternativeNames?: string[];
    /** HTTP desync mitigation (see settings.ts for the choice). Default `defensive`. */
    desyncMitigationMode?: DesyncMitigationMode;
    /**
     * With CloudFront in front: the header CloudFront adds to every request and its generated value. The
     * HTTPS listener then answers 403 to whatever no service's rule matches (each rule requires the header),
     * there is no port 80 listener (only CloudFront reaches the load balancer, over HTTPS), and the value is
     * kept in a Secrets Manager secret encrypted with `kmsKeyArn`. Unset: the load balancer is the public
     * entry (404 for unmatched requests, port 80 redirecting to HTTPS).
     */
    originVerification?: OriginVerificationArgs;
}

export interface OriginVerificationArgs {
    /** `X-Origin-Verify` (infra/edge/settings.ts). */
    headerName: string;
    /** The value CloudFront sends: secret, and without `*` or `?`, which ALB header conditions read as wildcards. */
    value: pulumi.Input<string>;
    /** Customer-managed key of the secret that keeps the value (the data key). */
    kmsKeyArn: pulumi.Input<string>;
}
