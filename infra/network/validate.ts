import { LOG_RETENTION_DAYS, parseCidr } from "../config/checks";
import { NAT_STRATEGIES } from "../config/types";
import { NetworkArgs } from "./args";
import { subnetLayoutProblem } from "../config/subnet-layout";

const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
/** Regions whose AWS endpoint services are all named `com.amazonaws.<region>.<service>` (aws and aws-us-gov partitions). */
const STANDARD_ENDPOINT_NAMES = /^(?!cn-)[a-z]{2}(-gov)?-[a-z]+-\d$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/**
 * Problems with the component's arguments, each naming the argument, what was given and what is
 * expected. The config loader validates the stack already; this guards callers that build args by hand.
 */
export function validateNetworkArgs(args: NetworkArgs): string[] {
    const problems: string[] = [];
    const c = args.config;
    const show = (v: unknown) => JSON.stringify(v) ?? String(v);
    const int = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

    if (!int(args.appPort, 1, 65535)) problems.push(`appPort is ${show(args.appPort)}: expected an integer from 1 to 65535`);
    if (typeof args.region !== "string" || !REGION.test(args.region)) problems.push(`region is ${show(args.region)}: expected an AWS region such as eu-west-1`);
    if (typeof args.logsKmsKeyArn === "string" && !KMS_KEY_ARN.test(args.logsKmsKeyArn)) {
        problems.push(`logsKmsKeyArn is ${show(args.logsKmsKeyArn)}: expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); CloudWatch Logs rejects aliases`);
    }
    if (!parseCidr(c.cidrBlock)) problems.push(`config.cidrBlock is ${show(c.cidrBlock)}: expected an IPv4 network in CIDR notation such as 10.0.0.0/16`);
    if (!int(c.availabilityZoneCount, 1, 6)) problems.push(`config.availabilityZoneCount is ${show(c.availabilityZoneCount)}: expected an integer from 1 to 6`);
    const badMasks = (["publicSubnetMask", "privateSubnetMask", "isolatedSubnetMask"] as const).filter((key) => !int(c[key], 16, 28));
    for (const key of badMasks) problems.push(`config.${key} is ${show(c[key])}: expected an integer from 16 to 28 (AWS subnet sizes)`);
    // awsx lays the subnets out at deploy time, remotely: check its layout here, where a test can see it.
    if (parseCidr(c.cidrBlock) && int(c.availabilityZoneCount, 1, 6) && badMasks.length === 0) {
        const layout = subnetLayoutProblem(c.cidrBlock, c.availabilityZoneCount, [
            { tier: "public", mask: c.publicSubnetMask },
            { tier: "private", mask: c.privateSubnetMask },
            { tier: "isolated", mask: c.isolatedSubnetMask },
        ]);
        if (layout) problems.push(layout);
    }
    if (c.interfaceEndpoints && typeof args.region === "string" && REGION.test(args.region) && !STANDARD_ENDPOINT_NAMES.test(args.region)) {
        // China names some services cn.com.amazonaws.<region>.<service>, others not; the ISO partitions differ again.
        problems.push(
            `config.interfaceEndpoints is true in ${args.region}: endpoint service names there do not all follow com.amazonaws.<region>.<service>; expected false, or a region of the aws or aws-us-gov partition`,
        );
    }
    if (!NAT_STRATEGIES.includes(c.natGateways)) problems.push(`config.natGateways is ${show(c.natGateways)}: expected one of ${NAT_STRATEGIES.join(", ")}`);
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(c.flowLogRetentionDays)) {
        problems.push(`config.flowLogRetentionDays is ${show(c.flowLogRetentionDays)}: expected a CloudWatch Logs retention value (${LOG_RETENTION_DAYS.join(", ")})`);
    }
    return problems;
}
