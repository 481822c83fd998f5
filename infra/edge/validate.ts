import { HOSTNAME, Problem, oneOf, problem, sectionProblems } from "../config/checks";
import { LOAD_BALANCER_CHECKS } from "../config/sections/compute";
import { DOMAIN_CHECKS } from "../config/sections/operations";
import { LOAD_BALANCER_LOG_PREFIX_RULE, isLoadBalancerLogPrefix } from "../storage/bucket-policy";
import { LoadBalancerArgs } from "./args";
import { MAX_LOAD_BALANCER_NAME, MAX_LOAD_BALANCER_NAME_PREFIX, NAME_PREFIX, isInZone, loadBalancerName } from "./naming";
import { DESYNC_MITIGATION_MODES } from "./settings";


function namePrefixProblem(prefix: string): Problem {
    if (!NAME_PREFIX.test(prefix)) return problem("namePrefix", prefix, "lowercase letters and digits in words joined by single hyphens, such as pos-prod");
    if (prefix.length > MAX_LOAD_BALANCER_NAME_PREFIX) {
        return problem("namePrefix", prefix, `at most ${MAX_LOAD_BALANCER_NAME_PREFIX} characters, so that the load balancer's name ${JSON.stringify(loadBalancerName(prefix))} stays within AWS's ${MAX_LOAD_BALANCER_NAME}`);
    }
    // AWS reserves names starting "internal-" (an internal load balancer's DNS name starts with it).
    if (loadBalancerName(prefix).startsWith("internal-")) return problem("namePrefix", prefix, 'a prefix other than "internal", which AWS reserves for load balancer names');
    return undefined;
}

function alternativeNameProblems(names: readonly string[], domainName: string, zoneName: string): Problem[] {
    return names.map((name, i) => {
        const key = `subjectAlternativeNames[${i}]`;
        if (typeof name !== "string" || !HOSTNAME.test(name.replace(/^\*\./, ""))) return problem(key, name, "a lowercase DNS name, optionally starting with *., such as www.example.com");
        if (!isInZone(name.replace(/^\*\./, ""), zoneName)) return problem(key, name, `a name inside zoneName ${JSON.stringify(zoneName)}, where its validation record goes`);
        if (name === domainName || names.indexOf(name) !== i) return problem(key, name, "a name not already on the certificate");
        return undefined;
    });
}

/** Every problem with the arguments, each naming the argument, the value and what is allowed. */
export function loadBalancerProblems(args: LoadBalancerArgs): string[] {
    const sans = args.subjectAlternativeNames ?? [];
    const problems: Problem[] = [
        // Neither section's limits depend on the environment.
        ...sectionProblems("loadBalancer", LOAD_BALANCER_CHECKS, args.loadBalancer, "prod"),
        ...sectionProblems("domain", DOMAIN_CHECKS, args.domain, "prod"),
        ...alternativeNameProblems(sans, args.domain.name, args.domain.zoneName),
        namePrefixProblem(args.namePrefix),
        args.securityGroupIds.length === 0 ? problem("securityGroupIds", args.securityGroupIds, "the load balancer's security group") : undefined,
        Array.isArray(args.subnetIds) && args.subnetIds.length < 2 ? problem("subnetIds", args.subnetIds, "public subnets in at least two availability zones") : undefined,
        isLoadBalancerLogPrefix(args.accessLogs.prefix) ? undefined : problem("accessLogs.prefix", args.accessLogs.prefix, LOAD_BALANCER_LOG_PREFIX_RULE),
        args.desyncMitigationMode === undefined ? undefined : oneOf("desyncMitigationMode", args.desyncMitigationMode, DESYNC_MITIGATION_MODES),
    ];
    return problems.filter((p): p is string => p !== undefined);
}

/** Throws before anything is registered, listing every problem at once. */
export function validateLoadBalancerArgs(args: LoadBalancerArgs): void {
    const problems = loadBalancerProblems(args);
    if (problems.length > 0) throw new Error(`LoadBalancer has invalid arguments:\n  - ${problems.join("\n  - ")}`);
}
