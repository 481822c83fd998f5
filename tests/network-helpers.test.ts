import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PROFILES } from "../infra/config/profiles";
import { assertRehydrated, endpointServiceName, endpointSuffix, privateRouteTableIds, routeTableIdsForSubnets } from "../infra/network/endpoints";
import { flowLogPermissionsPolicy, flowLogTrustPolicy, logGroupArn } from "../infra/network/flow-log-policies";
import { flowLogGroupName, nameTag } from "../infra/network/naming";
import { DATA_STORES, GROUPS, TopologyOptions, groupKeys, securityGroupRules } from "../infra/network/security-groups";
import { autoSubnetLayout, azBits, subnetLayoutProblem } from "../infra/config/subnet-layout";
import { NetworkArgs } from "../infra/network/args";
import { validateNetworkArgs } from "../infra/network/validate";

/** The value of a known output (outside a Pulumi run, outputs resolve like promises). */
function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}

describe("network helpers", () => {
    describe("flow-log IAM documents", () => {
        it("trusts only vpc-flow-logs.amazonaws.com, for this account's flow logs in this region", () => {
            assert.deepStrictEqual(flowLogTrustPolicy("111122223333", "aws-us-gov", "us-gov-west-1"), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "VpcFlowLogsAssumeRole",
                        Effect: "Allow",
                        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                        Action: "sts:AssumeRole",
                        Condition: {
                            StringEquals: { "aws:SourceAccount": "111122223333" },
                            ArnLike: { "aws:SourceArn": "arn:aws-us-gov:ec2:us-gov-west-1:111122223333:vpc-flow-log/*" },
                        },
                    },
                ],
            });
        });

        it("grants the three delivery actions on one log group and what lies under it (<arn>:*) only", () => {
            const arn = "arn:aws:logs:eu-west-1:111122223333:log-group:/x/flow";
            assert.deepStrictEqual(flowLogPermissionsPolicy(arn), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DeliverFlowLogs",
                        Effect: "Allow",
                        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                        Resource: [arn, `${arn}:*`],
                    },
                ],
            });
        });

        it("builds a log group ARN without the trailing :*", () => {
            assert.strictEqual(logGroupArn("aws-cn", "cn-north-1", "111122223333", "/a/b"), "arn:aws-cn:logs:cn-north-1:111122223333:log-group:/a/b");
        });

        it("rejects a log group ARN that already ends in :* (the stream resource would be wrong)", () => {
            assert.throws(
                () => flowLogPermissionsPolicy("arn:aws:logs:eu-west-1:111122223333:log-group:/x/flow:*"),
                { message: 'flowLogPermissionsPolicy: expected a log group ARN without a trailing ":*", got arn:aws:logs:eu-west-1:111122223333:log-group:/x/flow:*' },
            );
        });
    });

    describe("naming", () => {
        it("builds Name tags from project, stack and suffix", () => {
            assert.strictEqual(nameTag("baseline", "prod", "app-sg"), "baseline-prod-app-sg");
        });
        it("puts the component name in the flow-log group name so two networks cannot collide", () => {
            assert.strictEqual(flowLogGroupName("baseline", "staging", "edge"), "/baseline/staging/edge/vpc-flow-logs");
        });
    });

    describe("endpoints", () => {
        it("names regional services", () => {
            assert.strictEqual(endpointServiceName("eu-west-1", "ecr.dkr"), "com.amazonaws.eu-west-1.ecr.dkr");
            assert.strictEqual(endpointSuffix("ecr.api"), "ecr-api");
        });

        const associations = [
            { subnetId: "subnet-public-a", routeTableId: "rtb-public-a" },
            { subnetId: "subnet-private-b", routeTableId: "rtb-private-b" },
            { subnetId: "subnet-private-a", routeTableId: "rtb-private-a" },
            { subnetId: "subnet-isolated-a", routeTableId: "rtb-isolated-a" },
            { subnetId: "subnet-isolated-b", routeTableId: "rtb-isolated-a" },
        ];

        it("returns the route tables of the given subnets in subnet order, each once, never a public one", () => {
            assert.deepStrictEqual(
                routeTableIdsForSubnets(associations, ["subnet-private-a", "subnet-private-b", "subnet-isolated-a", "subnet-isolated-b"]),
                ["rtb-private-a", "rtb-private-b", "rtb-isolated-a"],
            );
        });

        it("fails when a subnet has no route table association", () => {
            assert.throws(() => routeTableIdsForSubnets(associations, ["subnet-private-a", "subnet-private-c", "subnet-isolated-c"]), {
                message: "No route table association found for subnet(s) subnet-private-c, subnet-isolated-c: cannot attach the S3 gateway endpoint to them.",
            });
        });

        it("reads private and isolated route tables from awsx-shaped outputs, skipping gateway associations", async () => {
            const ids = privateRouteTableIds({
                routeTableAssociations: pulumi.output([
                    { subnetId: pulumi.output("subnet-public-a"), routeTableId: pulumi.output("rtb-public-a") },
                    { subnetId: pulumi.output("subnet-private-a"), routeTableId: pulumi.output("rtb-private-a") },
                    { subnetId: pulumi.output("subnet-isolated-a"), routeTableId: pulumi.output("rtb-isolated-a") },
                    { subnetId: pulumi.output<string | undefined>(undefined), routeTableId: pulumi.output("rtb-edge") },
                ]),
                privateSubnetIds: pulumi.output(["subnet-private-a"]),
                isolatedSubnetIds: pulumi.output(["subnet-isolated-a"]),
            });
            assert.deepStrictEqual(await valueOf(ids), ["rtb-private-a", "rtb-isolated-a"]);
        });

        it("names the cause when awsx's associations come back as bare references, not resources", () => {
            assert.throws(() => assertRehydrated([{ subnetId: "s", routeTableId: "r" }, "rtbassoc-0abc"]), {
                message:
                    "awsx returned route table associations as bare references (rtbassoc-0abc), not resources: " +
                    "the program's @pulumi/aws must be one the awsx plugin's references resolve to (same major version, not older).",
            });
            assert.doesNotThrow(() => assertRehydrated([{ subnetId: "s", routeTableId: "r" }]));
        });

        it("gives no route tables when the VPC reports no associations (a remote component under mocks)", async () => {
            const ids = privateRouteTableIds({
                routeTableAssociations: pulumi.output(undefined as any),
                privateSubnetIds: pulumi.output(["subnet-private-a"]),
                isolatedSubnetIds: pulumi.output(["subnet-isolated-a"]),
            });
            assert.deepStrictEqual(await valueOf(ids), []);
        });
    });

    describe("security group rules table", () => {
        const ALL: TopologyOptions = { interfaceEndpoints: true, documentDb: true };
        const NONE: TopologyOptions = { interfaceEndpoints: false, documentDb: false };

        it("has a unique key per rule and a group for every rule and peer", () => {
            const rules = securityGroupRules(8080, ALL);
            assert.strictEqual(new Set(rules.map((r) => r.key)).size, rules.length);
            for (const r of rules) {
                assert.ok(r.group in GROUPS, r.key);
                if ("group" in r.peer) assert.ok(r.peer.group in GROUPS, r.key);
            }
        });

        it("uses the app port for the load balancer to app hop", () => {
            const hop = securityGroupRules(9443, NONE).filter((r) => r.key === "lb-out-app" || r.key === "app-in-lb");
            assert.deepStrictEqual(hop.map((r) => [r.key, r.port]), [["lb-out-app", 9443], ["app-in-lb", 9443]]);
        });

        it("admits the endpoints group only when interface endpoints are on", () => {
            assert.deepStrictEqual(securityGroupRules(8080, ALL).filter((r) => r.group === "endpoints").map((r) => r.key), ["endpoints-in-app"]);
            assert.deepStrictEqual(securityGroupRules(8080, { ...ALL, interfaceEndpoints: false }).filter((r) => r.group === "endpoints" || ("group" in r.peer && r.peer.group === "endpoints")), []);
        });

        it("has the DocumentDB group and its two rules only when DocumentDB is on", () => {
            const touchesDocDb = (o: TopologyOptions) =>
                securityGroupRules(8080, o).filter((r) => r.group === "documentDb" || ("group" in r.peer && r.peer.group === "documentDb")).map((r) => r.key);
            assert.deepStrictEqual(touchesDocDb(ALL), ["app-out-docdb", "docdb-in-app"]);
            assert.deepStrictEqual(touchesDocDb({ ...ALL, documentDb: false }), []);
        });

        it("creates exactly the groups the rules need", () => {
            assert.deepStrictEqual(groupKeys(ALL), ["loadBalancer", "app", "postgres", "redis", "documentDb", "endpoints"]);
            assert.deepStrictEqual(groupKeys(NONE), ["loadBalancer", "app", "postgres", "redis"]);
            for (const o of [ALL, NONE, { interfaceEndpoints: true, documentDb: false }, { interfaceEndpoints: false, documentDb: true }]) {
                const used = new Set(securityGroupRules(8080, o).flatMap((r) => ("group" in r.peer ? [r.group, r.peer.group] : [r.group])));
                assert.deepStrictEqual([...used].sort(), [...groupKeys(o)].sort(), JSON.stringify(o));
            }
        });

        it("gives the data tier only ingress from the app group", () => {
            const dataGroups: string[] = DATA_STORES.map((s) => s.group);
            const dataRules = securityGroupRules(8080, ALL).filter((r) => dataGroups.includes(r.group));
            assert.deepStrictEqual(
                dataRules.map((r) => [r.group, r.direction, r.port, r.peer]),
                [["postgres", "ingress", 5432, { group: "app" }], ["redis", "ingress", 6379, { group: "app" }], ["documentDb", "ingress", 27017, { group: "app" }]],
            );
        });
    });

    describe("awsx Auto subnet layout", () => {
        const tiers = (pub: number, priv: number, iso: number) => [
            { tier: "public", mask: pub },
            { tier: "private", mask: priv },
            { tier: "isolated", mask: iso },
        ];

        it("numbers AZ blocks like awsx: enough bits for the AZ count", () => {
            assert.deepStrictEqual([1, 2, 3, 4, 5, 6].map(azBits), [0, 1, 2, 2, 3, 3]);
        });

        it("lays the prod profile out in a /18 per AZ, each subnet aligned to its size", () => {
            assert.deepStrictEqual(autoSubnetLayout("10.20.0.0/16", 3, tiers(24, 20, 24)), [
                { block: "10.20.0.0/18", subnets: ["10.20.0.0/24", "10.20.16.0/20", "10.20.32.0/24"] },
                { block: "10.20.64.0/18", subnets: ["10.20.64.0/24", "10.20.80.0/20", "10.20.96.0/24"] },
                { block: "10.20.128.0/18", subnets: ["10.20.128.0/24", "10.20.144.0/20", "10.20.160.0/24"] },
            ]);
            assert.strictEqual(subnetLayoutProblem("10.20.0.0/16", 3, tiers(24, 20, 24)), undefined);
            assert.strictEqual(subnetLayoutProblem("10.21.0.0/16", 2, tiers(24, 20, 24)), undefined);
        });

        it("catches an alignment gap that pushes a subnet into the next AZ although the sizes add up", () => {
            // 256 + 8192 + 256 addresses fit a /18, but the /19 starts at 10.0.32.0, so the last /24 lands at 10.0.64.0.
            assert.deepStrictEqual(autoSubnetLayout("10.0.0.0/16", 3, tiers(24, 19, 24))[0].subnets, ["10.0.0.0/24", "10.0.32.0/19", "10.0.64.0/24"]);
            assert.strictEqual(
                subnetLayoutProblem("10.0.0.0/16", 3, tiers(24, 19, 24)),
                "config.cidrBlock 10.0.0.0/16 with 3 AZ(s) has no room for /24 public, /19 private, /24 isolated subnets as awsx lays them out: " +
                    "each AZ gets a /18 (the first 10.0.0.0/18) and each subnet is aligned to its size, so the isolated subnet would be 10.0.64.0/24, " +
                    "outside it; expected narrower subnet masks or a wider cidrBlock",
            );
        });

        it("catches a subnet larger than its AZ's block", () => {
            assert.match(subnetLayoutProblem("10.0.0.0/20", 3, tiers(24, 20, 24)) ?? "", /each AZ gets a \/22 .* so the private subnet would be 10\.0\.16\.0\/20, outside it/);
        });
    });

    describe("validateNetworkArgs", () => {
        const valid: NetworkArgs = {
            config: { ...PROFILES.prod.network },
            appPort: 8080,
            logsKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            region: "eu-west-1",
        };
        const problemsWith = (change: Partial<NetworkArgs> & { network?: Partial<NetworkArgs["config"]> }) =>
            validateNetworkArgs({ ...valid, ...change, config: { ...valid.config, ...change.network } });

        it("accepts both profiles and an unknown (output) key ARN", () => {
            assert.deepStrictEqual(validateNetworkArgs(valid), []);
            assert.deepStrictEqual(problemsWith({ network: PROFILES.staging.network }), []);
            assert.deepStrictEqual(problemsWith({ logsKmsKeyArn: pulumi.output("arn:aws:kms:eu-west-1:123456789012:key/x") }), []);
        });

        it("names each bad argument, what it was and what is expected", () => {
            assert.deepStrictEqual(problemsWith({ appPort: 0 }), ["appPort is 0: expected an integer from 1 to 65535"]);
            assert.deepStrictEqual(problemsWith({ appPort: 80.5 }), ["appPort is 80.5: expected an integer from 1 to 65535"]);
            assert.deepStrictEqual(problemsWith({ region: "Europe" }), ['region is "Europe": expected an AWS region such as eu-west-1']);
            assert.deepStrictEqual(problemsWith({ logsKmsKeyArn: "alias/logs" }), [
                'logsKmsKeyArn is "alias/logs": expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); CloudWatch Logs rejects aliases',
            ]);
            assert.deepStrictEqual(problemsWith({ network: { cidrBlock: "10.0.0.0" } }), ['config.cidrBlock is "10.0.0.0": expected an IPv4 network in CIDR notation such as 10.0.0.0/16']);
            assert.deepStrictEqual(problemsWith({ network: { availabilityZoneCount: 0 } }), ["config.availabilityZoneCount is 0: expected an integer from 1 to 6"]);
            assert.deepStrictEqual(problemsWith({ network: { privateSubnetMask: 29 } }), ["config.privateSubnetMask is 29: expected an integer from 16 to 28 (AWS subnet sizes)"]);
            assert.deepStrictEqual(problemsWith({ network: { natGateways: "None" as any } }), ['config.natGateways is "None": expected one of OnePerAz, Single']);
            assert.deepStrictEqual(problemsWith({ network: { flowLogRetentionDays: 0 } }), [
                "config.flowLogRetentionDays is 0: expected a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
            ]);
        });

        it("rejects a subnet layout awsx would place outside its AZ's block", () => {
            assert.deepStrictEqual(problemsWith({ network: { cidrBlock: "10.0.0.0/16", privateSubnetMask: 19 } }), [
                "config.cidrBlock 10.0.0.0/16 with 3 AZ(s) has no room for /24 public, /19 private, /24 isolated subnets as awsx lays them out: " +
                    "each AZ gets a /18 (the first 10.0.0.0/18) and each subnet is aligned to its size, so the isolated subnet would be 10.0.64.0/24, " +
                    "outside it; expected narrower subnet masks or a wider cidrBlock",
            ]);
        });

        it("rejects interface endpoints where service names are not com.amazonaws.<region>.<service>", () => {
            const message = (region: string) =>
                `config.interfaceEndpoints is true in ${region}: endpoint service names there do not all follow com.amazonaws.<region>.<service>; expected false, or a region of the aws or aws-us-gov partition`;
            assert.deepStrictEqual(problemsWith({ region: "cn-north-1" }), [message("cn-north-1")]);
            assert.deepStrictEqual(problemsWith({ region: "us-iso-east-1" }), [message("us-iso-east-1")]);
            assert.deepStrictEqual(problemsWith({ region: "cn-north-1", network: { interfaceEndpoints: false } }), []);
            assert.deepStrictEqual(problemsWith({ region: "us-gov-west-1" }), []);
        });

        it("reports every problem at once", () => {
            assert.deepStrictEqual(problemsWith({ appPort: -1, region: "", network: { publicSubnetMask: 8 } }), [
                "appPort is -1: expected an integer from 1 to 65535",
                'region is "": expected an AWS region such as eu-west-1',
                "config.publicSubnetMask is 8: expected an integer from 16 to 28 (AWS subnet sizes)",
            ]);
        });
    });
});
