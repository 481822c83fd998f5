import { Problem, REGION, matches, oneOf, problem } from "../config/checks";
import { networkConfigProblems } from "../config/sections/network";
import { NetworkArgs } from "./args";
import { LOAD_BALANCER_INGRESS } from "./security-groups";

/** Regions whose AWS endpoint services are all named `com.amazonaws.<region>.<service>` (aws and aws-us-gov partitions). */
const STANDARD_ENDPOINT_NAMES = /^(?!cn-)[a-z]{2}(-gov)?-[a-z]+-\d$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
/** `<app>-<environment>`, as infra/main.ts builds it: lowercase words joined by single hyphens. */
const NAME_PREFIX = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Problems with the component's arguments, each naming the argument, what was given and what is
 * expected. The limits are the config loader's own (infra/config/sections): the network section's
 * checks and layout, the region pattern; only what concerns this component alone (the key ARN,
 * endpoint names per partition, the name prefix) is defined here.
 */
export function validateNetworkArgs(args: NetworkArgs): string[] {
    const problems: Problem[] = [
        matches("namePrefix", args.namePrefix, NAME_PREFIX, "lowercase words joined by single hyphens, such as shop-prod"),
        matches("region", args.region, REGION, "an AWS region such as eu-west-1"),
        typeof args.logsKmsKeyArn === "string" && !KMS_KEY_ARN.test(args.logsKmsKeyArn)
            ? problem("logsKmsKeyArn", args.logsKmsKeyArn, "a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); CloudWatch Logs rejects aliases")
            : undefined,
        ...networkConfigProblems("config", args.config),
        endpointNamesProblem(args),
        args.loadBalancerIngress === undefined ? undefined : oneOf("loadBalancerIngress", args.loadBalancerIngress, LOAD_BALANCER_INGRESS),
    ];
    return problems.filter((p): p is string => p !== undefined);
}

/** China names some services cn.com.amazonaws.<region>.<service>, others not; the ISO partitions differ again. */
function endpointNamesProblem(args: NetworkArgs): Problem {
    if (args.config?.interfaceEndpoints !== true || typeof args.region !== "string" || !REGION.test(args.region) || STANDARD_ENDPOINT_NAMES.test(args.region)) return undefined;
    return problem("config.interfaceEndpoints", true, `false in ${args.region}: endpoint service names there do not all follow com.amazonaws.<region>.<service>; interface endpoints need a region of the aws or aws-us-gov partition`);
}
