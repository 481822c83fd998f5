import * as assert from "assert";
import { loadConfig } from "../infra/config/load";
import { Network } from "../infra/network/network";
import { Run, runStack, runUnderMocks, stackConfig } from "./harness";
import { KEY, T, networkProgram, runNetwork as run, sourceOf, valueOf } from "./network-fixtures";
import { runProgram } from "../tools/offline/run-program";
import { mockCall } from "../tools/offline/mock-outputs";
import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST } from "../infra/edge/settings";

const program = networkProgram();

/** What EC2 answers for the AWS-managed list asked for by name: the rule must carry this id, not a hard-coded one. */
const CLOUDFRONT_LIST_ID = mockCall({ token: "aws:ec2/getManagedPrefixList:getManagedPrefixList", inputs: { name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST }, provider: "", }, "eu-west-1").id;
const DATA_TIER = ["network-postgres-sg", "network-redis-sg", "network-docdb-sg"];

/** One line per standalone rule: group, direction, port and peer (a group by name, or a CIDR). */
function ruleTable(run: Run): string[] {
    return [...run.ofType(T.ingress), ...run.ofType(T.egress)]
        .map((r) => {
            const i = r.inputs;
            const peer = sourceOf(run, r, "referencedSecurityGroupId") ?? i.cidrIpv4 ?? i.cidrIpv6 ?? (i.prefixListId === CLOUDFRONT_LIST_ID ? "cloudfront-origin-facing" : i.prefixListId) ?? "?";
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

    it("names its flow-log group after the stack's prefix and the component", async () => {
        assert.strictEqual(await valueOf((prod.outputs as Network).flowLogGroupName), "/pos-prod/network/vpc-flow-logs");
    });

    describe("flow logs", () => {
        it("capture ALL traffic of the VPC into the flow-log group through the flow-log role", () => {
            for (const [r, stack] of [[prod, "prod"], [staging, "staging"]] as const) {
                const flowLog = r.one(T.flowLog, "network-flow-log");
                assert.deepStrictEqual(flowLog.inputs, {
                    vpcId: "vpc-network-vpc",
                    trafficType: "ALL",
                    logDestinationType: "cloud-watch-logs",
                    logDestination: `arn:aws:logs:eu-west-1:123456789012:log-group:/pos-${stack}/network/vpc-flow-logs`,
                    iamRoleArn: `arn:aws:iam::123456789012:role/pos-${stack}-vpc-flow-logs`,
                    tags: { Name: `pos-${stack}-vpc-flow-log` },
                });
                assert.strictEqual(sourceOf(r, flowLog, "vpcId"), "network-vpc");
                assert.strictEqual(sourceOf(r, flowLog, "logDestination"), "network-flow-logs");
                assert.strictEqual(sourceOf(r, flowLog, "iamRoleArn"), "network-flow-logs-role");
                // A replaced flow log (a renamed role replaces it) goes first: EC2 refuses a duplicate configuration.
                assert.strictEqual(flowLog.deleteBeforeReplace, true);
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
                name: "/pos-prod/network/vpc-flow-logs",
                retentionInDays: 365,
                kmsKeyId: KEY,
                tags: { Name: "pos-prod-vpc-flow-logs" },
            });
            assert.deepStrictEqual(staging.one(T.logGroup, "network-flow-logs").inputs, {
                name: "/pos-staging/network/vpc-flow-logs",
                retentionInDays: 30,
                kmsKeyId: KEY,
                tags: { Name: "pos-staging-vpc-flow-logs" },
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
                return new Network("network", { config: c.network, namePrefix: "pos-staging", logsKmsKeyArn: KEY, region: c.region });
            }, "staging");
            const group = r.one(T.logGroup, "network-flow-logs");
            assert.deepStrictEqual([group.protect, group.retainOnDelete], [true, true]);
        });

        it("use a role only the VPC Flow Logs service of this account and region can assume", () => {
            for (const [r, stack] of [[prod, "prod"], [staging, "staging"]] as const) {
                const role = r.one(T.role, "network-flow-logs-role");
                assert.deepStrictEqual({ ...role.inputs, assumeRolePolicy: JSON.parse(role.inputs.assumeRolePolicy) }, {
                    // Named under the stack's prefix, where the deploy role may manage it.
                    name: `pos-${stack}-vpc-flow-logs`,
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
                    tags: { Name: `pos-${stack}-vpc-flow-logs-role` },
                });
            }
        });

        it("use a role whose only policy writes to that one log group", () => {
            for (const [r, stack] of [[prod, "prod"], [staging, "staging"]] as const) {
                const policy = r.one(T.rolePolicy, "network-flow-logs-policy");
                const group = `arn:aws:logs:eu-west-1:123456789012:log-group:/pos-${stack}/network/vpc-flow-logs`;
                assert.deepStrictEqual({ ...policy.inputs, policy: JSON.parse(policy.inputs.policy) }, {
                    role: `pos-${stack}-vpc-flow-logs`,
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
                "arn:aws:logs:eu-west-1:123456789012:log-group:/pos-prod/network/vpc-flow-logs",
                "arn:aws:logs:eu-west-1:123456789012:log-group:/pos-prod/network/vpc-flow-logs:*",
            ]);
            assert.strictEqual(JSON.parse(preview.one(T.role).wireInputs.assumeRolePolicy).Statement[0].Principal.Service, "vpc-flow-logs.amazonaws.com");
        });
    });

    it("closes the VPC's default security group: no ingress, no egress", () => {
        for (const [r, stack] of [[prod, "prod"], [staging, "staging"]] as const) {
            const sg = r.one(T.defaultSg, "network-default-sg");
            assert.deepStrictEqual(sg.inputs, { vpcId: "vpc-network-vpc", ingress: [], egress: [], tags: { Name: `pos-${stack}-default-sg-closed` } });
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
        // Every subnet has its own route table: the gateway must be in the private and isolated ones, never a public one.
        const s3 = (azCount: number) => ({
            name: "network-s3-endpoint", serviceName: "com.amazonaws.eu-west-1.s3", type: "Gateway", privateDns: undefined, subnetIds: undefined, securityGroups: undefined,
            routeTableIds: ["private", "isolated"].flatMap((tier) => Array.from({ length: azCount }, (_, i) => `rtb-network-${tier}-${i + 1}`)), vpc: "network-vpc",
        });

        it("prod: the S3 gateway plus interface endpoints for ECR (api, dkr), Logs, Secrets Manager and SSM in the private subnets", () => {
            assert.deepStrictEqual(endpointTable(prod), [...["ecr.api", "ecr.dkr", "logs"].map(iface), s3(3), ...["secretsmanager", "ssm"].map(iface)]);
        });

        it("staging: only the S3 gateway endpoint, and no endpoints security group", () => {
            assert.deepStrictEqual(endpointTable(staging), [s3(2)]);
            assert.deepStrictEqual(staging.ofType(T.sg).filter((g) => g.name === "network-endpoints-sg"), []);
            assert.strictEqual((staging.outputs as Network).securityGroupIds.endpoints, undefined);
        });

        it("the gateway takes the private and isolated route tables themselves: known links on a first preview, no lookup", async () => {
            const preview = await runUnderMocks(program, "prod", {}, { firstPreview: true });
            const s3Endpoint = preview.one(T.endpoint, "network-s3-endpoint");
            assert.deepStrictEqual(s3Endpoint.wireInputs.routeTableIds, Array(6).fill("04da6b54-80e4-46f7-96ec-b56ff0331ba9"));
            assert.deepStrictEqual(
                s3Endpoint.propertyDependencies.routeTableIds.map((u) => `${preview.byUrn(u)?.type} ${preview.byUrn(u)?.name}`),
                ["private", "isolated"].flatMap((tier) => [1, 2, 3].map((n) => `${T.routeTable} network-${tier}-${n}`)),
            );
        });
    });

    describe("security groups", () => {
        const groupTable = (r: Run) => r.ofType(T.sg).map((g) => [g.name, g.inputs.description, g.inputs.tags?.Name]);
        // Logical names and descriptions as AWS has them: a changed description replaces the group.
        const prodGroups = [
            ["network-lb-sg", "Application load balancer: HTTP and HTTPS from the internet", "pos-prod-lb-sg"],
            ["network-postgres-sg", "PostgreSQL: port 5432 from the application only", "pos-prod-postgres-sg"],
            ["network-redis-sg", "Redis: port 6379 from the application only", "pos-prod-redis-sg"],
            ["network-docdb-sg", "DocumentDB: port 27017 from the application only", "pos-prod-docdb-sg"],
            ["network-endpoints-sg", "Interface VPC endpoints: HTTPS from the application only", "pos-prod-endpoints-sg"],
        ];
        /** The network's own rules: the load balancer's ingress from the internet, nothing else (services add the rest). */
        // CloudFront is on in both stacks: HTTPS from its origin-facing prefix list is all the network admits.
        const NETWORK_RULES = ["network-lb-sg in from cloudfront-origin-facing tcp/443"];
        const INTERNET_RULES = [
            "network-lb-sg in from 0.0.0.0/0 tcp/443",
            "network-lb-sg in from 0.0.0.0/0 tcp/80",
            "network-lb-sg in from ::/0 tcp/443",
            "network-lb-sg in from ::/0 tcp/80",
        ];

        it("one group per role, each described and named, all in the VPC; no application group", () => {
            assert.deepStrictEqual(groupTable(prod), prodGroups);
            assert.deepStrictEqual(
                groupTable(staging),
                prodGroups.filter(([n]) => n !== "network-endpoints-sg").map(([n, d, t]) => [n, d, t.replace("-prod-", "-staging-")]),
            );
            for (const r of [prod, staging]) {
                for (const g of r.ofType(T.sg)) assert.strictEqual(sourceOf(r, g, "vpcId"), "network-vpc", g.name);
                assert.deepStrictEqual(r.resources.filter((x) => x.name.startsWith("network-app")).map((x) => x.name), []);
            }
        });

        it("no group has inline rules (they would fight the standalone rules, the services' included)", () => {
            for (const g of [...prod.ofType(T.sg), ...staging.ofType(T.sg)]) {
                assert.deepStrictEqual([g.inputs.ingress, g.inputs.egress], [undefined, undefined], g.name);
            }
        });

        it("prod: every rule, its source or destination and port, exactly: HTTPS into the load balancer from CloudFront's prefix list only", () => {
            assert.ok(CLOUDFRONT_LIST_ID?.startsWith("pl-"), `the mock finds the list by its name: ${CLOUDFRONT_LIST_ID}`);
            assert.deepStrictEqual(ruleTable(prod), NETWORK_RULES);
            assert.deepStrictEqual(
                [...prod.ofType(T.ingress), ...prod.ofType(T.egress)].map((r) => [r.name, r.inputs.description]).sort(),
                [["network-lb-in-https-cloudfront", "HTTPS from the CloudFront origin-facing prefix list"]],
            );
        });

        it("a stack without CloudFront: HTTP and HTTPS into the load balancer from the internet over IPv4 and IPv6", async () => {
            const r = await run("prod", { "baseline:edge": { cloudFront: false } });
            assert.deepStrictEqual(ruleTable(r), INTERNET_RULES);
            assert.deepStrictEqual(
                [...r.ofType(T.ingress), ...r.ofType(T.egress)].map((x) => [x.name, x.inputs.description]).sort(),
                [
                    ["network-lb-in-http-ipv4", "HTTP (redirected to HTTPS) from the internet over IPv4"],
                    ["network-lb-in-http-ipv6", "HTTP (redirected to HTTPS) from the internet over IPv6"],
                    ["network-lb-in-https-ipv4", "HTTPS from the internet over IPv4"],
                    ["network-lb-in-https-ipv6", "HTTPS from the internet over IPv6"],
                ],
            );
        });

        it("a caller that does not say who reaches the load balancer gets CloudFront only", async () => {
            const r = await runUnderMocks(networkProgram({ loadBalancerIngress: undefined }), "prod", { "baseline:edge": { cloudFront: false } });
            assert.deepStrictEqual(ruleTable(r), NETWORK_RULES);
        });

        it("staging: the same rules (the endpoints group, absent, had none)", () => {
            assert.deepStrictEqual(ruleTable(staging), NETWORK_RULES);
        });

        it("no egress at all: the load balancer's comes from each service, the other groups need none", () => {
            for (const r of [prod, staging]) assert.deepStrictEqual(r.ofType(T.egress), []);
        });

        it("no rule references a group the network does not have, and the store and endpoints groups carry no rule of the network's own", () => {
            for (const r of [prod, staging]) {
                const groups = new Set(r.ofType(T.sg).map((g) => g.name));
                for (const rule of [...r.ofType(T.ingress), ...r.ofType(T.egress)]) {
                    assert.ok(groups.has(sourceOf(r, rule, "securityGroupId")!), rule.name);
                    const peer = sourceOf(r, rule, "referencedSecurityGroupId");
                    if (peer !== undefined) assert.ok(groups.has(peer), `${rule.name} references ${peer}`);
                }
                const onGroup = (name: string) => [...r.ofType(T.ingress), ...r.ofType(T.egress)].filter((rule) => sourceOf(r, rule, "securityGroupId") === name);
                for (const g of [...DATA_TIER, "network-endpoints-sg"]) assert.deepStrictEqual(onGroup(g).map((x) => x.name), [], g);
            }
        });

        it("without DocumentDB (the default): no DocumentDB group, no id, the same rules", async () => {
            const r = await runUnderMocks(() => {
                const c = loadConfig();
                return new Network("network", { config: c.network, namePrefix: "pos-prod", logsKmsKeyArn: KEY, region: c.region });
            }, "prod");
            assert.deepStrictEqual(groupTable(r), prodGroups.filter(([n]) => n !== "network-docdb-sg"));
            assert.deepStrictEqual(ruleTable(r), NETWORK_RULES);
            assert.ok(!("documentDb" in (r.outputs as Network).securityGroupIds));
        });

        it("the stack creates the DocumentDB group only when DocumentDB is enabled, and the cluster uses it", async () => {
            // Without the services too: the stack's API uses DocumentDB, which the loader refuses once it is off.
            const off = await runStack("prod", { "baseline:documentDb": { enabled: false }, "baseline:services": [] });
            assert.deepStrictEqual(off.ofType(T.sg).filter((g) => g.name === "network-docdb-sg"), []);
            const on = await runStack("prod");
            const docdb = on.one("aws:docdb/cluster:Cluster");
            assert.deepStrictEqual(docdb.propertyDependencies.vpcSecurityGroupIds.map((u) => on.byUrn(u)?.name), ["network-docdb-sg"]);
        });

        it("no data-tier rule of the network's own, hence no CIDR on and no egress from the data tier", () => {
            for (const r of [prod, staging]) {
                const dataRules = [...r.ofType(T.ingress), ...r.ofType(T.egress)].filter((rule) => DATA_TIER.includes(sourceOf(r, rule, "securityGroupId")!));
                assert.deepStrictEqual(dataRules.map((x) => x.name), []);
            }
        });

        it("every group and rule has a description AWS accepts", () => {
            // EC2's allowed characters for group and rule descriptions.
            const allowed = /^[a-zA-Z0-9. _\-:/()#,@[\]+=;{}!$*]{1,255}$/;
            const all = [...prod.ofType(T.sg), ...prod.ofType(T.ingress), ...prod.ofType(T.egress)];
            assert.strictEqual(all.length, 5 + 1);
            for (const r of all) assert.match(r.inputs.description ?? "", allowed, r.name);
        });

        it("exposes every group's id, and no application group", async () => {
            const ids = (prod.outputs as Network).securityGroupIds;
            const resolved = Object.fromEntries(await Promise.all(Object.entries(ids).map(async ([k, v]) => [k, await valueOf(v!)])));
            assert.deepStrictEqual(resolved, {
                loadBalancer: "network-lb-sg-id",
                postgres: "network-postgres-sg-id",
                redis: "network-redis-sg-id",
                documentDb: "network-docdb-sg-id",
                endpoints: "network-endpoints-sg-id",
            });
        });
    });

    it("exposes the internet gateway (its id, and the resource for dependsOn)", async () => {
        for (const r of [prod, staging]) {
            const network = r.outputs as Network;
            const igw = r.one(T.igw, "network-igw");
            assert.strictEqual(await valueOf(network.internetGateway.urn), igw.urn);
            assert.strictEqual(await valueOf(network.internetGatewayId), "igw-network-igw");
        }
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

    it("tags every taggable child with a Name that starts with the stack's prefix", () => {
        const untaggable = new Set([T.component, T.rolePolicy, T.ingress, T.egress, T.association, T.route]);
        for (const [r, stack] of [[prod, "prod"], [staging, "staging"]] as const) {
            const badlyTagged = r.resources.filter((x) => !untaggable.has(x.type)).filter((x) => !String(x.inputs.tags?.Name).startsWith(`pos-${stack}-`)).map((x) => x.name);
            assert.deepStrictEqual(badlyTagged, []);
        }
    });

    it("rejects bad arguments before registering anything, with the config loader's limits", async () => {
        const result = await runProgram(
            () => new Network("network", {
                config: { ...loadConfig().network, availabilityZoneCount: 1, privateSubnetMask: 16 }, namePrefix: "Pos_prod", logsKmsKeyArn: "alias/logs", region: "eu-west-1",
            }),
            { stack: "prod", config: stackConfig("prod") },
        );
        assert.strictEqual((result.error as Error).message, [
            'Network "network" has invalid arguments:',
            '  - namePrefix = "Pos_prod" is not allowed: expected lowercase words joined by single hyphens, such as shop-prod',
            '  - logsKmsKeyArn = "alias/logs" is not allowed: expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); CloudWatch Logs rejects aliases',
            "  - config.availabilityZoneCount = 1 is not allowed: expected an integer from 2 to 3",
            "  - config.privateSubnetMask = 16 is not allowed: expected an integer from 17 to 28",
        ].join("\n"));
        assert.deepStrictEqual(result.resources, []);
    });
});
