import * as aws from "@pulumi/aws";
import * as assert from "assert";
import {
    effectiveNatStrategy, endpointService, hasPrivateSubnets, vpcDefaultSecurityGroupManaged, vpcEndpoints, vpcFlowLogs, vpcMultiAzNat,
} from "../../policies/network/vpc";
import { EvalResource } from "../../tools/offline/evaluate";
import { UNKNOWN, UNKNOWN_NUMBER, messages, res, run } from "./helpers";

const awsxVpc = (props: Record<string, any> = {}, name = "network-vpc") =>
    res("awsx:ec2:Vpc", { cidrBlock: "10.20.0.0/16", numberOfAvailabilityZones: 3, natGateways: { strategy: "OnePerAz" }, ...props }, { name });
/** A resource whose `vpcId` came from `vpc`'s output, as the engine records it. */
const inVpc = (type: Function, vpc: EvalResource, props: Record<string, any>, name: string) =>
    res(type, { vpcId: UNKNOWN, ...props }, { name, propertyDependencies: { vpcId: [vpc.urn] } });
const flowLog = (vpc: EvalResource, trafficType: unknown = "ALL", name = "network-flow-log") =>
    inVpc(aws.ec2.FlowLog, vpc, { trafficType, logDestination: UNKNOWN, iamRoleArn: UNKNOWN }, name);

describe("policies: network VPCs", () => {
    describe("vpc-flow-logs", () => {
        it("passes an awsx VPC whose flow log takes its vpcId (the offline shape: no aws.ec2.Vpc)", async () => {
            const vpc = awsxVpc();
            assert.deepStrictEqual(await run(vpcFlowLogs, [vpc, flowLog(vpc)]), []);
        });
        it("passes a plain aws.ec2.Vpc with a REJECT flow log", async () => {
            const vpc = res(aws.ec2.Vpc, { cidrBlock: "10.0.0.0/16" }, { name: "legacy" });
            assert.deepStrictEqual(await run(vpcFlowLogs, [vpc, flowLog(vpc, "REJECT")]), []);
        });
        it("counts a flow log on awsx's child VPC for the component (both appear when awsx runs)", async () => {
            const vpc = awsxVpc();
            const child = res(aws.ec2.Vpc, { cidrBlock: "10.20.0.0/16" }, { name: "network-vpc", parent: vpc.urn });
            assert.deepStrictEqual(await run(vpcFlowLogs, [vpc, child, flowLog(child)]), []);
            assert.deepStrictEqual(await run(vpcFlowLogs, [vpc, child, flowLog(vpc)]), []);
        });
        it("rejects a VPC without a flow log, on the VPC, as mandatory", async () => {
            const vpc = awsxVpc();
            const other = awsxVpc({}, "other-vpc");
            const diags = await run(vpcFlowLogs, [vpc, other, flowLog(other)]);
            assert.deepStrictEqual(messages(diags), [
                'VPC must have a flow log: awsx.ec2.Vpc "network-vpc" has none that counts (no aws.ec2.FlowLog has its vpcId), expected a flow log with trafficType ALL or REJECT.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.strictEqual(diags[0].urn, vpc.urn);
        });
        it("rejects a flow log that captures only accepted traffic, unless configured", async () => {
            const vpc = res(aws.ec2.DefaultVpc, {}, { name: "default" });
            assert.deepStrictEqual(messages(await run(vpcFlowLogs, [vpc, flowLog(vpc, "ACCEPT")])), [
                'VPC must have a flow log: aws.ec2.DefaultVpc "default" has none that counts (its flow logs capture "ACCEPT" traffic), expected a flow log with trafficType ALL or REJECT.',
            ]);
            assert.deepStrictEqual(await run(vpcFlowLogs, [vpc, flowLog(vpc, "ACCEPT")], { trafficTypes: ["ACCEPT"] }), []);
        });
        it("ignores subnet flow logs and logs of VPCs outside the stack", async () => {
            const vpc = awsxVpc();
            const subnetLog = res(aws.ec2.FlowLog, { subnetId: "subnet-1", trafficType: "ALL" }, { name: "subnet-log" });
            const external = res(aws.ec2.FlowLog, { vpcId: "vpc-0abc", trafficType: "ALL" }, { name: "external-log" });
            assert.deepStrictEqual(messages(await run(vpcFlowLogs, [vpc, subnetLog, external])), [
                'VPC must have a flow log: awsx.ec2.Vpc "network-vpc" has none that counts (no aws.ec2.FlowLog has its vpcId), expected a flow log with trafficType ALL or REJECT.',
            ]);
        });
        it("reports unverifiable when a flow log's VPC cannot be told during preview", async () => {
            const vpc = awsxVpc();
            const orphan = res(aws.ec2.FlowLog, { vpcId: UNKNOWN, trafficType: "ALL" }, { name: "vpc-log" });
            assert.deepStrictEqual(messages(await run(vpcFlowLogs, [vpc, orphan])), [
                'Cannot verify during preview that awsx.ec2.Vpc "network-vpc" has a flow log: vpcId is (unknown until apply). Re-run the check after apply, or set the value from configuration.',
            ]);
        });
        it("reports an unknown traffic type as unverifiable", async () => {
            const vpc = awsxVpc();
            assert.deepStrictEqual(messages(await run(vpcFlowLogs, [vpc, flowLog(vpc, UNKNOWN)])), [
                'Cannot verify during preview that awsx.ec2.Vpc "network-vpc" logs ALL or REJECT traffic: trafficType is (unknown until apply). Re-run the check after apply, or set the value from configuration.',
            ]);
        });
        it("reports an exempted VPC as advisory", async () => {
            const diags = await run(vpcFlowLogs, awsxVpc(), { exemptions: [{ resource: "urn:*::awsx:ec2:Vpc::network-vpc", reason: "sandbox, torn down nightly" }] });
            assert.match(messages(diags)[0], /^Exempted \(sandbox, torn down nightly\): VPC must have a flow log: /);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("vpc-default-sg-managed", () => {
        it("passes a VPC whose default group the stack manages", async () => {
            const vpc = awsxVpc();
            assert.deepStrictEqual(await run(vpcDefaultSecurityGroupManaged, [vpc, inVpc(aws.ec2.DefaultSecurityGroup, vpc, {}, "network-default-sg")]), []);
        });
        it("flags a VPC whose default group is not managed, as advisory by default", async () => {
            const diags = await run(vpcDefaultSecurityGroupManaged, awsxVpc());
            assert.deepStrictEqual(messages(diags), [
                'VPC must have its default security group managed: no aws.ec2.DefaultSecurityGroup has the vpcId of awsx.ec2.Vpc "network-vpc", expected one with no rules.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("vpc-multi-az-nat", () => {
        it("passes three AZs with one NAT gateway each, and the awsx defaults", async () => {
            assert.deepStrictEqual(await run(vpcMultiAzNat, awsxVpc()), []);
            assert.deepStrictEqual(await run(vpcMultiAzNat, res("awsx:ec2:Vpc", { cidrBlock: "10.0.0.0/16" })), []);
        });
        it("rejects one AZ and a single NAT gateway, as mandatory", async () => {
            const diags = await run(vpcMultiAzNat, awsxVpc({ numberOfAvailabilityZones: 1, natGateways: { strategy: "Single" } }));
            assert.deepStrictEqual(messages(diags), [
                "VPC must span at least 2 availability zones: numberOfAvailabilityZones gives 1, expected 2 or more.",
                'VPC must give private subnets one NAT gateway per availability zone: natGateways.strategy is "Single", expected "OnePerAz".',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
        });
        it("reads availabilityZoneNames before the count", async () => {
            assert.deepStrictEqual(messages(await run(vpcMultiAzNat, awsxVpc({ availabilityZoneNames: ["eu-west-1a"], numberOfAvailabilityZones: 3 }))), [
                "VPC must span at least 2 availability zones: availabilityZoneNames gives 1, expected 2 or more.",
            ]);
        });
        it("rejects private subnets left without NAT by the awsx default", async () => {
            const specs = [{ type: "Private" }, { type: "Isolated" }];
            assert.deepStrictEqual(messages(await run(vpcMultiAzNat, awsxVpc({ natGateways: undefined, subnetSpecs: specs }))), [
                'VPC must give private subnets one NAT gateway per availability zone: natGateways.strategy is unset, so awsx uses "None", expected "OnePerAz".',
            ]);
        });
        it("needs no NAT when no subnet is private", async () => {
            assert.deepStrictEqual(await run(vpcMultiAzNat, awsxVpc({ natGateways: { strategy: "None" }, subnetSpecs: [{ type: "Public" }, { type: "Isolated" }] })), []);
        });
        it("takes the configured minimum and strategy (staging: Single, 2 AZs)", async () => {
            const vpc = awsxVpc({ numberOfAvailabilityZones: 2, natGateways: { strategy: "Single" } });
            assert.deepStrictEqual(await run(vpcMultiAzNat, vpc, { natStrategy: "Single" }), []);
            assert.deepStrictEqual(messages(await run(vpcMultiAzNat, vpc, { minimumAvailabilityZones: 3, natStrategy: "Single" })), [
                "VPC must span at least 3 availability zones: numberOfAvailabilityZones gives 2, expected 3 or more.",
            ]);
        });
        it("reports an unknown AZ count as unverifiable", async () => {
            assert.deepStrictEqual(messages(await run(vpcMultiAzNat, awsxVpc({ numberOfAvailabilityZones: UNKNOWN_NUMBER }))), [
                "Cannot verify during preview that the VPC spans at least 2 availability zones: numberOfAvailabilityZones is (unknown until apply). Re-run the check after apply, or set the value from configuration.",
            ]);
        });
        it("works out awsx's NAT default", () => {
            assert.strictEqual(effectiveNatStrategy({}), "OnePerAz");
            assert.strictEqual(effectiveNatStrategy({ subnetSpecs: [{ type: "Public" }, { type: "Private" }] }), "OnePerAz");
            assert.strictEqual(effectiveNatStrategy({ subnetSpecs: [{ type: "Private" }] }), "None");
            assert.strictEqual(effectiveNatStrategy({ natGateways: { strategy: "Single" } }), "Single");
            assert.strictEqual(hasPrivateSubnets({ subnetSpecs: [{ type: "Isolated" }] }), false);
            assert.strictEqual(hasPrivateSubnets({ subnetSpecs: [{ type: "Public" }, UNKNOWN] }), true);
            assert.strictEqual(hasPrivateSubnets({ subnetSpecs: [{ type: "Public" }, { type: UNKNOWN }] }), true);
        });
    });

    describe("vpc-multi-az-nat on a VPC of aws.ec2 resources (as a preview sends this project's network)", () => {
        /** A VPC over `zones`, as infra/network/vpc.ts builds it: per zone a public, private and isolated subnet with its own table; NAT gateways in `natZones`' public subnets. */
        function rawVpc(zones: unknown[], natZones: number[], natFor: (zone: number) => number = (z) => z) {
            const vpc = res(aws.ec2.Vpc, { cidrBlock: "10.20.0.0/16" }, { name: "network-vpc" });
            const out: EvalResource[] = [vpc];
            const subnets = new Map<string, EvalResource>();
            zones.forEach((zone, i) => {
                for (const type of ["Public", "Private", "Isolated"]) {
                    const name = `network-${type.toLowerCase()}-${i + 1}`;
                    const subnet = inVpc(aws.ec2.Subnet, vpc, { availabilityZone: zone, cidrBlock: UNKNOWN, tags: { SubnetType: type } }, name);
                    const table = inVpc(aws.ec2.RouteTable, vpc, { tags: { SubnetType: type } }, name);
                    const assoc = res(aws.ec2.RouteTableAssociation, { routeTableId: UNKNOWN, subnetId: UNKNOWN }, { name, propertyDependencies: { routeTableId: [table.urn], subnetId: [subnet.urn] } });
                    subnets.set(name, subnet);
                    out.push(subnet, table, assoc);
                }
            });
            const nats = new Map(natZones.map((z) => [z, res(aws.ec2.NatGateway, { subnetId: UNKNOWN, allocationId: UNKNOWN }, { name: `network-nat-${z + 1}`, propertyDependencies: { subnetId: [subnets.get(`network-public-${z + 1}`)!.urn] } })]));
            out.push(...nats.values());
            zones.forEach((_zone, i) => {
                const table = out.find((r) => r.type === "aws:ec2/routeTable:RouteTable" && r.name === `network-private-${i + 1}`)!;
                const nat = nats.get(natFor(i));
                if (nat) out.push(res(aws.ec2.Route, { routeTableId: UNKNOWN, destinationCidrBlock: "0.0.0.0/0", natGatewayId: UNKNOWN }, { name: `network-private-${i + 1}`, propertyDependencies: { routeTableId: [table.urn], natGatewayId: [nat.urn] } }));
            });
            return out;
        }
        const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
        const crossZone = (subnet: number, subnetZone: string, nat: number, natZone: string) =>
            `VPC must give private subnets one NAT gateway per availability zone: aws.ec2.Subnet "network-private-${subnet}" in "${subnetZone}" of aws.ec2.Vpc "network-vpc" sends its default route ` +
            `(route "network-private-${subnet}") to NAT gateway "network-nat-${nat}" in "${natZone}", expected a NAT gateway in "${subnetZone}", so an outage of one zone does not cut another off.`;

        it("passes three zones whose private subnets each route through their own zone's NAT gateway", async () => {
            assert.deepStrictEqual(await run(vpcMultiAzNat, rawVpc(ZONES, [0, 1, 2])), []);
        });
        it("rejects private subnets sent to another zone's NAT gateway (one gateway for all), on each such route, as mandatory", async () => {
            const diags = await run(vpcMultiAzNat, rawVpc(ZONES, [0], () => 0));
            assert.deepStrictEqual(messages(diags), [crossZone(2, "eu-west-1b", 1, "eu-west-1a"), crossZone(3, "eu-west-1c", 1, "eu-west-1a")]);
            assert.deepStrictEqual(diags.map((d) => [d.enforcementLevel, d.urn?.split("::").pop()]), [["mandatory", "network-private-2"], ["mandatory", "network-private-3"]]);
        });
        it("accepts one gateway for all when configured Single (staging), but not a private subnet without any", async () => {
            assert.deepStrictEqual(await run(vpcMultiAzNat, rawVpc(ZONES.slice(0, 2), [0], () => 0), { natStrategy: "Single" }), []);
            assert.deepStrictEqual(messages(await run(vpcMultiAzNat, rawVpc(ZONES.slice(0, 2), [0], (z) => (z === 0 ? 0 : 9)), { natStrategy: "Single" })), [
                'Private subnet must reach the internet through a NAT gateway: aws.ec2.Subnet "network-private-2" (tags.SubnetType says "private") of aws.ec2.Vpc "network-vpc" has no default route to one, expected a route 0.0.0.0/0 to a NAT gateway.',
            ]);
        });
        it("rejects a VPC whose subnets sit in one zone", async () => {
            assert.deepStrictEqual(messages(await run(vpcMultiAzNat, rawVpc(["eu-west-1a"], [0]))), [
                'VPC must span at least 2 availability zones: aws.ec2.Vpc "network-vpc" has subnets in 1 (eu-west-1a), expected 2 or more.',
            ]);
        });
        it("reports zones unknown until apply as unverifiable instead of counting them", async () => {
            const diags = messages(await run(vpcMultiAzNat, rawVpc([UNKNOWN, UNKNOWN], [0, 1])));
            assert.ok(diags.length > 0 && diags.every((m) => m.startsWith("Cannot verify during preview that")), diags.join("\n"));
            assert.ok(diags.includes('Cannot verify during preview that aws.ec2.Vpc "network-vpc" spans at least 2 availability zones: availabilityZone is (unknown until apply). Re-run the check after apply, or set the value from configuration.'));
        });
        it("judges awsx's child VPC through its component only: one report, not two", async () => {
            const component = awsxVpc({ natGateways: { strategy: "Single" } });
            const child = res(aws.ec2.Vpc, { cidrBlock: "10.20.0.0/16" }, { name: "network-vpc", parent: component.urn });
            assert.deepStrictEqual(messages(await run(vpcMultiAzNat, [component, child])), [
                'VPC must give private subnets one NAT gateway per availability zone: natGateways.strategy is "Single", expected "OnePerAz".',
            ]);
        });
        it("has nothing to judge in a VPC whose subnets the stack does not hold", async () => {
            assert.deepStrictEqual(await run(vpcMultiAzNat, res(aws.ec2.Vpc, { cidrBlock: "10.0.0.0/16" }, { name: "shared" })), []);
        });
    });

    describe("vpc-endpoints", () => {
        const endpoint = (vpc: EvalResource, service: string, type?: string) =>
            inVpc(aws.ec2.VpcEndpoint, vpc, { serviceName: `com.amazonaws.eu-west-1.${service}`, ...(type ? { vpcEndpointType: type } : {}) }, `ep-${service}`);
        const all = (vpc: EvalResource) => [
            ...["ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm"].map((s) => endpoint(vpc, s, "Interface")), endpoint(vpc, "s3", "Gateway"),
        ];

        it("passes a VPC with every interface endpoint and the S3 gateway", async () => {
            const vpc = awsxVpc();
            assert.deepStrictEqual(await run(vpcEndpoints, [vpc, ...all(vpc)]), []);
        });
        it("counts awsx vpcEndpointSpecs, with AWS's Gateway default type", async () => {
            const vpc = awsxVpc({ vpcEndpointSpecs: [{ serviceName: "com.amazonaws.eu-west-1.s3" }] });
            assert.deepStrictEqual(await run(vpcEndpoints, [vpc, ...all(vpc).slice(0, 5)]), []);
        });
        it("names the missing services and the wrong type, as advisory", async () => {
            const vpc = awsxVpc();
            const diags = await run(vpcEndpoints, [vpc, endpoint(vpc, "ecr.api", "Interface"), endpoint(vpc, "ecr.dkr", "Interface"), endpoint(vpc, "s3", "Interface")]);
            assert.deepStrictEqual(messages(diags), [
                'VPC must have endpoints for the AWS services its private tier uses: awsx.ec2.Vpc "network-vpc" lacks logs (Interface), secretsmanager (Interface), ssm (Interface), s3 (Gateway), expected Interface endpoints for ecr.api, ecr.dkr, logs, secretsmanager, ssm and Gateway endpoints for s3.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("counts an endpoint whose type is unknown until apply as either type", async () => {
            const vpc = awsxVpc();
            const pendingType = inVpc(aws.ec2.VpcEndpoint, vpc, { serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: UNKNOWN }, "ep-s3");
            assert.deepStrictEqual(await run(vpcEndpoints, [vpc, ...all(vpc).slice(0, 5), pendingType]), []);
        });
        it("takes the configured service lists", async () => {
            const vpc = awsxVpc();
            assert.deepStrictEqual(await run(vpcEndpoints, [vpc, endpoint(vpc, "s3")], { interfaceServices: [], gatewayServices: ["s3"] }), []);
        });
        it("reports an unknown service name as unverifiable", async () => {
            const vpc = awsxVpc();
            const pending = inVpc(aws.ec2.VpcEndpoint, vpc, { serviceName: UNKNOWN, vpcEndpointType: "Interface" }, "ep-pending");
            assert.deepStrictEqual(messages(await run(vpcEndpoints, [vpc, ...all(vpc).slice(1), pending])), [
                'Cannot verify during preview that awsx.ec2.Vpc "network-vpc" has endpoints for ecr.api (Interface): serviceName is (unknown until apply). Re-run the check after apply, or set the value from configuration.',
            ]);
        });
        it("reads the service from a full endpoint service name", () => {
            assert.deepStrictEqual(
                ["com.amazonaws.eu-west-1.ecr.api", "com.amazonaws.us-gov-west-1.s3", "cn.com.amazonaws.cn-north-1.logs", "com.amazonaws.vpce.eu-west-1.vpce-svc-0123"].map(endpointService),
                ["ecr.api", "s3", "logs", "com.amazonaws.vpce.eu-west-1.vpce-svc-0123"],
            );
        });
    });
});
