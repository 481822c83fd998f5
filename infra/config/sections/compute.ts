import { SectionChecks, intIn, isBoolean, oneOf } from "../checks";

/** ECR lifecycle: how many tagged images a repository keeps (1000 is ECR's count limit per rule, far above need). */
export const IMAGES_TO_KEEP = { min: 5, max: 1000 } as const;

/**
 * TLS security policies of the HTTPS listener: TLS 1.2 or newer with forward secrecy, the FIPS and
 * post-quantum variants included; the `Ext` policies (older CBC ciphers) and anything with TLS 1.0/1.1 are out.
 * The profiles' default, `ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09`, is what AWS now recommends (and the
 * console's default): hybrid post-quantum key exchange, TLS 1.3, and TLS 1.2 with AEAD ciphers only.
 */
export const TLS_POLICIES = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
] as const;
/** Seconds ALB lets a deregistering target finish in-flight requests. */
export const DEREGISTRATION_DELAY_SECONDS = { min: 0, max: 3600 } as const;
export const IDLE_TIMEOUT_SECONDS = { min: 1, max: 4000 } as const;

/** `baseline:compute` */
export const COMPUTE_CHECKS: SectionChecks = {
    enableExecuteCommand: (k, v) => isBoolean(k, v),
    imagesToKeep: (k, v) => intIn(k, v, IMAGES_TO_KEEP.min, IMAGES_TO_KEEP.max),
};

/** `baseline:loadBalancer` */
export const LOAD_BALANCER_CHECKS: SectionChecks = {
    sslPolicy: (k, v) => oneOf(k, v, TLS_POLICIES),
    deregistrationDelaySeconds: (k, v) => intIn(k, v, DEREGISTRATION_DELAY_SECONDS.min, DEREGISTRATION_DELAY_SECONDS.max),
    idleTimeoutSeconds: (k, v) => intIn(k, v, IDLE_TIMEOUT_SECONDS.min, IDLE_TIMEOUT_SECONDS.max),
};
