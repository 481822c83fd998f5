import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "../infra/config/load";
import { Network } from "../infra/network/network";
import { Overrides, RecordedResource, Run, runStack, runUnderMocks, stackConfig } from "./harness";
import { runProgram } from "../tools/offline/run-program";

const KEY = "arn:aws:kms:eu-west-1:123456789012:key/logs";
/** As infra/main.ts builds it. */
const program = () => {
    const c = loadConfig();
    return new Network("network", {
        config: c.network,
        appPort: c.app.port,
        logsKmsKeyArn: KEY,
        region: c.region,
        documentDb: c.documentDb.enabled,
        protect: c.protectStatefulResources,
    });
};
const run = (stack: string, overrides: Overrides = {}) => runUnderMocks(program, stack, overrides);

const T = {
    component: "baseline:network:Network",
    vpc: "awsx:ec2:Vpc",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    flowLog: "aws:ec2/flowLog:FlowLog",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
};
const DATA_TIER = ["network-postgres-sg", "network-redis-sg", "network-docdb-sg"];

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** The resource an input of `r` came from (by property dependency), by name. */
function sourceOf(run: Run, r: RecordedResource, input: string): string | undefined {
    const urns = r.propertyDependencies[input] ?? [];
    assert.ok(urns.length <= 1, `${r.name}.${input} depends on ${urns.length} resources`);
    return urns.length ? run.byUrn(urns[0])?.name : undefined;
}

/** One line per standalone rule: group, direction, port and peer (a group by name, or a CIDR). */
function ruleTable(run: Run): string[] {
    return [...run.ofType(T.ingress), ...run.ofType(T.egress)]
        .map((r) => {
            const i = r.inputs;
            const peer = sourceOf(run, r, "referencedSecurityGroupId") ?? i.cidrIpv4 ?? i.cidrIpv6 ?? "?";
            const ports = i.fromPort === i.toPort ? `${i.fromPort}` : `${i.fromPort}-${i.toPort}`;
            return `${sourceOf(run, r, "securityGroupId")} ${r.type === T.ingress ? "in from" : "out to"} ${peer} ${i.ipProtocol}/${ports}`;
        })
        .sort();
}

describe("Network component", function () {
    let prod: Run;
    let staging: Run;
    before(async () => {
        prod = await run("prod");
        staging = await run("staging");
    });

    describe("VPC (awsx, remote)", () => {
        it("passes exactly these inputs in prod: three AZs, one NAT gateway per AZ, three tiers", () => {
            assert.deepStrictEqual(prod.one(T.vpc, "network-vpc").inputs, {
                cidrBlock: "10.20.0.0/16",
                numberOfAvailabilityZones: 3,
                subnetStrategy: "Auto",
                subnetSpecs: [
                    { type: "Public", name: "public", cidrMask: 24 },
                    { type: "Private", name: "private", cidrMask: 20 },
                    { type: "Isolated", name: "isolated", cidrMask: 24 },
                ],
                natGateways: { strategy: "OnePerAz" },
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: { Name: "baseline-prod-vpc" },
            });
        });

        it("passes exactly these inputs in staging: two AZs and a single NAT gateway", () => {
            assert.deepStrictEqual(staging.one(T.vpc, "network-vpc").inputs, {
                cidrBlock: "10.21.0.0/16",
                numberOfAvailabilityZones: 2,
                subnetStrategy: "Auto",
                subnetSpecs: [
                    { type: "Public", name: "public", cidrMask: 24 },
                    { type: "Private", name: "private", cidrMask: 20 },
                    { type: "Isolated", name: "isolated", cidrMask: 24 },
                ],
                natGateways: { strategy: "Single" },
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: { Name: "baseline-staging-vpc" },
            });
        });

        it("follows the stack's NAT strategy and subnet masks", async () => {
            const r = await run("staging", { "baseline:network": { natGateways: "OnePerAz", privateSubnetMask: 21 } });
            const inputs = r.one(T.vpc).inputs;
            assert.deepStrictEqual(inputs.natGateways, { strategy: "OnePerAz" });
            assert.deepStrictEqual(inputs.subnetSpecs[1], { type: "Private", name: "private", cidrMask: 21 });
        });

        it("exposes the VPC's ids as outputs", async () => {
            const net = prod.outputs as Network;
            assert.strictEqual(await valueOf(net.vpcId), "vpc-network-vpc");
            assert.deepStrictEqual(await valueOf(net.publicSubnetIds), ["subnet-public-a", "subnet-public-b", "subnet-public-c"]);
            assert.deepStrictEqual(await valueOf(net.privateSubnetIds), ["subnet-private-a", "subnet-private-b", "subnet-private-c"]);
            assert.deepStrictEqual(await valueOf(net.isolatedSubnetIds), ["subnet-isolated-a", "subnet-isolated-b", "subnet-isolated-c"]);
            assert.strictEqual(await valueOf(net.flowLogGroupName), "/baseline/prod/network/vpc-flow-logs");
        });
    });

    describe("flow logs", () => {
        it("capture ALL traffic of the VPC into the flow-log group through the flow-log role", () => {
            for (const [r, stack] of [[prod, "prod"], [staging, "staging"]] as const) {
                const flowLog = r.one(T.flowLog, "network-flow-log");
                assert.deepStrictEqual(flowLog.inputs, {
                    vpcId: "vpc-network-vpc",
                    trafficType: "ALL",
                    logDestinationType: "cloud-watch-logs",
                    logDestination: `arn:aws:logs:eu-west-1:123456789012:log-group:/baseline/${stack}/network/vpc-flow-logs`,
                    iamRoleArn: "arn:aws:iam::123456789012:role/network-flow-logs-role",
                    tags: { Name: `baseline-${stack}-vpc-flow-log` },
                });
                assert.strictEqual(sourceOf(r, flowLog, "vpcId"), "network-vpc");
                assert.strictEqual(sourceOf(r, flowLog, "logDestination"), "network-flow-logs");
                assert.strictEqual(sourceOf(r, flowLog, "iamRoleArn"), "network-flow-logs-role");
            }
        });

        it("is created only after the role's policy exists", () => {
            for (const r of [prod, staging]) {
                const policy = r.one(T.rolePolicy, "network-flow-logs-policy");
                assert.ok(r.one(T.flowLog).dependencies.includes(policy.urn));
            }
        });

        it("go to a group with the stack's retention and the customer-managed key", () => {
            assert.deepStrictEqual(prod.one(T.logGroup, "network-flow-logs").inputs, {
                name: "/baseline/prod/network/vpc-flow-logs",
                retentionInDays: 365,
                kmsKeyId: KEY,
                tags: { Name: "baseline-prod-vpc-flow-logs" },
            });
            assert.deepStrictEqual(staging.one(T.logGroup, "network-flow-logs").inputs, {
                name: "/baseline/staging/network/vpc-flow-logs",
                retentionInDays: 30,
                kmsKeyId: KEY,
                tags: { Name: "baseline-staging-vpc-flow-logs" },
            });
        });

        it("keep their group (audit evidence) through destroy and replacement in prod only", () => {
            const group = (r: Run) => r.one(T.logGroup, "network-flow-logs");
            assert.deepStrictEqual([group(prod).protect, group(prod).retainOnDelete], [true, true]);
            assert.deepStrictEqual([group(staging).protect, group(staging).retainOnDelete], [false, false]);
            // Nothing else in the network is stateful.
            for (const r of [prod, staging]) {
                const others = r.resources.filter((x) => x.name !== "network-flow-logs" && (x.protect || x.retainOnDelete)).map((x) => x.name);
                assert.deepStrictEqual(others, []);
            }
        });

        it("keep their group by default when the caller does not say", async () => {
            const r = await runUnderMocks(() => {
                const c = loadConfig();
                return new Network("network", { config: c.network, appPort: c.app.port, logsKmsKeyArn: KEY, region: c.region });
            }, "staging");
            const group = r.one(T.logGroup, "network-flow-logs");
            assert.deepStrictEqual([group.protect, group.retainOnDelete], [true, true]);
        });

        it("use a role only the VPC Flow Logs service of this account and region can assume", () => {
            for (const [r, stack] of [[prod, "prod"], [staging, "staging"]] as const) {
                const role = r.one(T.role, "network-flow-logs-role");
                assert.deepStrictEqual({ ...role.inputs, assumeRolePolicy: JSON.parse(role.inputs.assumeRolePolicy) }, {
                    description: "Lets VPC Flow Logs deliver this VPC's flow log to its log group",
                    assumeRolePolicy: {
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "VpcFlowLogsAssumeRole",
                                Effect: "Allow",
                                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                                Action: "sts:AssumeRole",
                                Condition: {
                                    StringEquals: { "aws:SourceAccount": "123456789012" },
                                    ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*" },
                                },
                            },
                        ],
                    },
                    // No managed or inline policies: its one grant is the RolePolicy below.
                    tags: { Name: `baseline-${stack}-vpc-flow-logs-role` },
                });
            }
        });

        it("use a role whose only policy writes to that one log group", () => {
            for (const [r, stack] of [[prod, "prod"], [staging, "staging"]] as const) {
                const policy = r.one(T.rolePolicy, "network-flow-logs-policy");
                const group = `arn:aws:logs:eu-west-1:123456789012:log-group:/baseline/${stack}/network/vpc-flow-logs`;
                assert.deepStrictEqual({ ...policy.inputs, policy: JSON.parse(policy.inputs.policy) }, {
                    role: "network-flow-logs-role-id",
                    policy: {
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "DeliverFlowLogs",
                                Effect: "Allow",
                                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                                Resource: [group, `${group}:*`],
                            },
                        ],
                    },
                });
                // Built from the group's name: it must be the ARN the log group reports (the flow log's destination).
                assert.strictEqual(group, r.one(T.flowLog).inputs.logDestination);
                assert.strictEqual(sourceOf(r, policy, "role"), "network-flow-logs-role");
                assert.strictEqual(r.ofType(T.rolePolicy).length, 1);
                assert.deepStrictEqual(r.ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment"), []);
            }
        });

        it("have IAM documents that are known on a first preview, so policy checks can read them", async () => {
            const preview = await runUnderMocks(program, "prod", {}, { firstPreview: true });
            const policy = JSON.parse(preview.one(T.rolePolicy).wireInputs.policy);
            assert.deepStrictEqual(policy.Statement[0].Resource, [
                "arn:aws:logs:eu-west-1:123456789012:log-group:/baseline/prod/network/vpc-flow-logs",
                "arn:aws:logs:eu-west-1:123456789012:log-group:/baseline/prod/network/vpc-flow-logs:*",
            ]);
            assert.strictEqual(JSON.parse(preview.one(T.role).wireInputs.assumeRolePolicy).Statement[0].Principal.Service, "vpc-flow-logs.amazonaws.com");
        });
    });

    it("closes the VPC's default security group: no ingress, no egress", () => {
        for (const [r, stack] of [[prod, "prod"], [staging, "staging"]] as const) {
            const sg = r.one(T.defaultSg, "network-default-sg");
            assert.deepStrictEqual(sg.inputs, { vpcId: "vpc-network-vpc", ingress: [], egress: [], tags: { Name: `baseline-${stack}-default-sg-closed` } });
        }
    });

    describe("VPC endpoints", () => {
        // By name: the order of registration depends on when each endpoint's inputs resolve.
        const endpointTable = (r: Run) =>
            [...r.ofType(T.endpoint)].sort((a, b) => a.name.localeCompare(b.name)).map((e) => ({
                name: e.name,
                serviceName: e.inputs.serviceName,
                type: e.inputs.vpcEndpointType,
                privateDns: e.inputs.privateDnsEnabled,
                subnetIds: e.inputs.subnetIds,
                securityGroups: e.inputs.securityGroupIds === undefined ? undefined : (e.propertyDependencies.securityGroupIds ?? []).map((u) => r.byUrn(u)?.name),
                routeTableIds: e.inputs.routeTableIds,
                vpc: sourceOf(r, e, "vpcId"),
            }));
        const iface = (service: string) => ({
            name: `network-${service.replace(".", "-")}-endpoint`,
            serviceName: `com.amazonaws.eu-west-1.${service}`,
            type: "Interface",
            privateDns: true,
            subnetIds: ["subnet-private-a", "subnet-private-b", "subnet-private-c"],
            securityGroups: ["network-endpoints-sg"],
            routeTableIds: undefined,
            vpc: "network-vpc",
        });
        // The mock's awsx VPC gives every subnet its own route table (as awsx does): the gateway must
        // be in the private and isolated ones, never the public ones.
        const s3 = (azs: string[]) => ({
            name: "network-s3-endpoint", serviceName: "com.amazonaws.eu-west-1.s3", type: "Gateway", privateDns: undefined, subnetIds: undefined, securityGroups: undefined,
            routeTableIds: [...azs.map((az) => `rtb-private-${az}`), ...azs.map((az) => `rtb-isolated-${az}`)], vpc: "network-vpc",
        });

        it("prod: the S3 gateway plus interface endpoints for ECR (api, dkr), Logs, Secrets Manager and SSM in the private subnets", () => {
            assert.deepStrictEqual(endpointTable(prod), [...["ecr.api", "ecr.dkr", "logs"].map(iface), s3(["a", "b", "c"]), ...["secretsmanager", "ssm"].map(iface)]);
        });

        it("staging: only the S3 gateway endpoint, and no endpoints security group", () => {
            assert.deepStrictEqual(endpointTable(staging), [s3(["a", "b"])]);
            assert.deepStrictEqual(staging.ofType(T.sg).filter((g) => g.name === "network-endpoints-sg"), []);
            assert.strictEqual((staging.outputs as Network).securityGroupIds.endpoints, undefined);
        });

        it("the gateway's route tables come from the VPC (resolved at deploy, unknown on a first preview)", async () => {
            const preview = await runUnderMocks(program, "prod", {}, { firstPreview: true });
            const s3Endpoint = preview.one(T.endpoint, "network-s3-endpoint");
            assert.strictEqual(s3Endpoint.wireInputs.routeTableIds, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
            assert.deepStrictEqual(s3Endpoint.propertyDependencies.routeTableIds, [preview.one(T.vpc).urn]);
        });
    });

    describe("security groups", () => {
        const groupTable = (r: Run) => r.ofType(T.sg).map((g) => [g.name, g.inputs.description, g.inputs.tags?.Name]);
        const prodGroups = [
            ["network-lb-sg", "Application load balancer: HTTP and HTTPS from the internet", "baseline-prod-lb-sg"],
            ["network-app-sg", "Application tasks: traffic from the load balancer only", "baseline-prod-app-sg"],
            ["network-postgres-sg", "PostgreSQL: port 5432 from the application only", "baseline-prod-postgres-sg"],
            ["network-redis-sg", "Redis: port 6379 from the application only", "baseline-prod-redis-sg"],
            ["network-docdb-sg", "DocumentDB: port 27017 from the application only", "baseline-prod-docdb-sg"],
            ["network-endpoints-sg", "Interface VPC endpoints: HTTPS from the application only", "baseline-prod-endpoints-sg"],
        ];

        it("one group per role, each described and named, all in the VPC", () => {
            assert.deepStrictEqual(groupTable(prod), prodGroups);
            assert.deepStrictEqual(
                groupTable(staging),
                prodGroups.filter(([n]) => n !== "network-endpoints-sg").map(([n, d, t]) => [n, d, t.replace("-prod-", "-staging-")]),
            );
            for (const r of [prod, staging]) {
                for (const g of r.ofType(T.sg)) assert.strictEqual(sourceOf(r, g, "vpcId"), "network-vpc", g.name);
            }
        });

        it("no group has inline rules (they would fight the standalone rules)", () => {
            for (const g of [...prod.ofType(T.sg), ...staging.ofType(T.sg)]) {
                assert.deepStrictEqual([g.inputs.ingress, g.inputs.egress], [undefined, undefined], g.name);
            }
        });

        it("prod: every rule, its source or destination and port, exactly", () => {
            assert.deepStrictEqual(ruleTable(prod), [
                "network-app-sg in from network-lb-sg tcp/8080",
                "network-app-sg out to 0.0.0.0/0 tcp/443",
                "network-app-sg out to network-docdb-sg tcp/27017",
                "network-app-sg out to network-postgres-sg tcp/5432",
                "network-app-sg out to network-redis-sg tcp/6379",
                "network-docdb-sg in from network-app-sg tcp/27017",
                "network-endpoints-sg in from network-app-sg tcp/443",
                "network-lb-sg in from 0.0.0.0/0 tcp/443",
                "network-lb-sg in from 0.0.0.0/0 tcp/80",
                "network-lb-sg in from ::/0 tcp/443",
                "network-lb-sg in from ::/0 tcp/80",
                "network-lb-sg out to network-app-sg tcp/8080",
                "network-postgres-sg in from network-app-sg tcp/5432",
                "network-redis-sg in from network-app-sg tcp/6379",
            ]);
        });

        it("staging: the same rules without the endpoints group", () => {
            assert.deepStrictEqual(
                ruleTable(staging),
                ruleTable(prod).filter((line) => !line.startsWith("network-endpoints-sg")),
            );
            assert.strictEqual(ruleTable(staging).length, 13);
        });

        it("without DocumentDB (the default): no DocumentDB group, no rule to or from it, no id", async () => {
            const r = await runUnderMocks(() => {
                const c = loadConfig();
                return new Network("network", { config: c.network, appPort: c.app.port, logsKmsKeyArn: KEY, region: c.region });
            }, "prod");
            assert.deepStrictEqual(groupTable(r), prodGroups.filter(([n]) => n !== "network-docdb-sg"));
            assert.deepStrictEqual(ruleTable(r), ruleTable(prod).filter((line) => !line.includes("network-docdb-sg")));
            assert.strictEqual(ruleTable(r).length, 12);
            assert.ok(!("documentDb" in (r.outputs as Network).securityGroupIds));
        });

        it("the stack creates the DocumentDB group only when DocumentDB is enabled, and the cluster uses it", async () => {
            const off = await runStack("prod", { "baseline:documentDb": { enabled: false } });
            assert.deepStrictEqual(off.ofType(T.sg).filter((g) => g.name === "network-docdb-sg"), []);
            const on = await runStack("prod");
            const docdb = on.one("aws:docdb/cluster:Cluster");
            assert.deepStrictEqual(docdb.propertyDependencies.vpcSecurityGroupIds.map((u) => on.byUrn(u)?.name), ["network-docdb-sg"]);
        });

        it("the load balancer to app hop follows the configured app port", async () => {
            const r = await run("prod", { "baseline:app": { port: 9000 } });
            const hop = ruleTable(r).filter((l) => l.includes("network-lb-sg out") || l.includes("network-app-sg in"));
            assert.deepStrictEqual(hop, ["network-app-sg in from network-lb-sg tcp/9000", "network-lb-sg out to network-app-sg tcp/9000"]);
        });

        it("no data-tier rule names a CIDR, and the data tier has no egress rule", () => {
            for (const r of [prod, staging]) {
                const dataRules = [...r.ofType(T.ingress), ...r.ofType(T.egress)].filter((rule) => DATA_TIER.includes(sourceOf(r, rule, "securityGroupId")!));
                assert.strictEqual(dataRules.length, 3);
                for (const rule of dataRules) {
                    assert.strictEqual(rule.type, T.ingress, rule.name);
                    assert.deepStrictEqual([rule.inputs.cidrIpv4, rule.inputs.cidrIpv6, rule.inputs.prefixListId], [undefined, undefined, undefined], rule.name);
                    assert.strictEqual(sourceOf(r, rule, "referencedSecurityGroupId"), "network-app-sg", rule.name);
                }
            }
        });

        it("every group and rule has a description AWS accepts", () => {
            // EC2's allowed characters for group and rule descriptions.
            const allowed = /^[a-zA-Z0-9. _\-:/()#,@[\]+=;{}!$*]{1,255}$/;
            const all = [...prod.ofType(T.sg), ...prod.ofType(T.ingress), ...prod.ofType(T.egress)];
            assert.strictEqual(all.length, 6 + 14);
            for (const r of all) assert.match(r.inputs.description ?? "", allowed, r.name);
        });

        it("exposes every group's id", async () => {
            const ids = (prod.outputs as Network).securityGroupIds;
            const resolved = Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([k, v]) => [k, await valueOf(v!)])));
            assert.deepStrictEqual(resolved, {
                loadBalancer: "network-lb-sg-id",
                app: "network-app-sg-id",
                postgres: "network-postgres-sg-id",
                redis: "network-redis-sg-id",
                documentDb: "network-docdb-sg-id",
                endpoints: "network-endpoints-sg-id",
            });
        });
    });

    it("parents every child on the component, whose type token is baseline:network:Network", () => {
        for (const r of [prod, staging]) {
            const component = r.one(T.component, "network");
            assert.strictEqual(component.parent, undefined);
            const children = r.resources.filter((c) => c !== component);
            assert.ok(children.length >= 20);
            for (const c of children) assert.strictEqual(c.parent, component.urn, `${c.type} ${c.name}`);
            for (const c of children) assert.ok(c.name.startsWith("network-"), c.name);
        }
    });

    it("tags every taggable child with a Name", () => {
        const untagged = prod.resources
            .filter((r) => r.type !== T.component && r.type !== T.rolePolicy && r.type !== T.ingress && r.type !== T.egress)
            .filter((r) => typeof r.inputs.tags?.Name !== "string")
            .map((r) => r.name);
        assert.deepStrictEqual(untagged, []);
    });

    it("rejects bad arguments before registering anything", async () => {
        const result = await runProgram(
            () => new Network("network", { config: loadConfig().network, appPort: 70000, logsKmsKeyArn: "alias/logs", region: "eu-west-1" }),
            { stack: "prod", config: stackConfig("prod") },
        );
        assert.strictEqual((result.error as Error).message, [
            'Network "network" has invalid arguments:',
            "  - appPort is 70000: expected an integer from 1 to 65535",
            '  - logsKmsKeyArn is "alias/logs": expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); CloudWatch Logs rejects aliases',
        ].join("\n"));
        assert.deepStrictEqual(result.resources, []);
    });
});
