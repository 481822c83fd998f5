import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PROFILES } from "../infra/config/profiles";
import { endpointServiceName, endpointSuffix } from "../infra/network/endpoints";
import { flowLogPermissionsPolicy, flowLogTrustPolicy, logGroupArn } from "../infra/network/flow-log-policies";
import { flowLogGroupName, nameTag } from "../infra/network/naming";
import { DATA_STORES, GROUPS, TopologyOptions, groupKeys, securityGroupRules } from "../infra/network/security-groups";
import { NetworkArgs } from "../infra/network/args";
import { validateNetworkArgs } from "../infra/network/validate";
import { sectionProblems } from "../infra/config/checks";
import { NETWORK_CHECKS } from "../infra/config/sections/network";

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
        it("builds Name tags from the stack's <app>-<environment> prefix and a suffix", () => {
            assert.strictEqual(nameTag("shop-prod", "app-sg"), "shop-prod-app-sg");
        });
        it("puts the prefix and the component name in the flow-log group name, so two networks cannot collide", () => {
            assert.strictEqual(flowLogGroupName("shop-staging", "edge"), "/shop-staging/edge/vpc-flow-logs");
        });
    });

    describe("endpoints", () => {
        it("names regional services", () => {
            assert.strictEqual(endpointServiceName("eu-west-1", "ecr.dkr"), "com.amazonaws.eu-west-1.ecr.dkr");
            assert.strictEqual(endpointSuffix("ecr.api"), "ecr-api");
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

    describe("validateNetworkArgs", () => {
        const valid: NetworkArgs = {
            config: { ...PROFILES.prod.network },
            namePrefix: "shop-prod",
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
            assert.deepStrictEqual(problemsWith({ namePrefix: "shop--prod" }), ['namePrefix = "shop--prod" is not allowed: expected lowercase words joined by single hyphens, such as shop-prod']);
            assert.deepStrictEqual(problemsWith({ region: "Europe" }), ['region = "Europe" is not allowed: expected an AWS region such as eu-west-1']);
            assert.deepStrictEqual(problemsWith({ logsKmsKeyArn: "alias/logs" }), [
                'logsKmsKeyArn = "alias/logs" is not allowed: expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>); CloudWatch Logs rejects aliases',
            ]);
            assert.deepStrictEqual(problemsWith({ network: { cidrBlock: "10.0.0.0" } }), ['config.cidrBlock = "10.0.0.0" is not allowed: expected an IPv4 network in CIDR notation such as 10.0.0.0/16']);
            assert.deepStrictEqual(problemsWith({ network: { natGateways: "None" as any } }), ['config.natGateways = "None" is not allowed: expected one of "OnePerAz", "Single"']);
        });

        it("applies the config loader's limits, not looser ones of its own: AZs 2..3, masks /17../28, unprivileged app ports, private /16../24 ranges", () => {
            // Each value sits just outside the loader's limit and inside what the component used to accept (AZs 1..6, masks 16..28, ports 1..65535).
            assert.deepStrictEqual(problemsWith({ appPort: 80 }), ["appPort = 80 is not allowed: expected an integer from 1024 to 65535"]);
            assert.deepStrictEqual(problemsWith({ network: { availabilityZoneCount: 1 } }), ["config.availabilityZoneCount = 1 is not allowed: expected an integer from 2 to 3"]);
            assert.deepStrictEqual(problemsWith({ network: { availabilityZoneCount: 4 } }), ["config.availabilityZoneCount = 4 is not allowed: expected an integer from 2 to 3"]);
            assert.deepStrictEqual(problemsWith({ network: { publicSubnetMask: 16 } }), ["config.publicSubnetMask = 16 is not allowed: expected an integer from 17 to 28"]);
            assert.deepStrictEqual(problemsWith({ network: { cidrBlock: "100.64.0.0/16" } }), [
                'config.cidrBlock = "100.64.0.0/16" is not allowed: expected a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16',
            ]);
            // The same limits as the loader's section checks, by construction: the loader reports the same sentence under its key.
            const loader = sectionProblems("config", NETWORK_CHECKS, { ...valid.config, availabilityZoneCount: 1 }, "staging");
            assert.deepStrictEqual(problemsWith({ network: { availabilityZoneCount: 1 } }), loader);
        });

        it("rejects a subnet layout that leaves its AZ's block", () => {
            assert.deepStrictEqual(problemsWith({ network: { cidrBlock: "10.0.0.0/16", privateSubnetMask: 19 } }), [
                'config.cidrBlock = "10.0.0.0/16" is not allowed: expected a range where awsx can place /24, /19, /24 subnets in each of 3 AZs: each AZ gets a /18 block ' +
                    "and subnets align to their size, so the isolated subnet would be 10.0.64.0/24, outside the first AZ's 10.0.0.0/18; narrow the subnet masks or widen the range",
            ]);
        });

        it("rejects interface endpoints where service names are not com.amazonaws.<region>.<service>", () => {
            const message = (region: string) =>
                `config.interfaceEndpoints = true is not allowed: expected false in ${region}: endpoint service names there do not all follow com.amazonaws.<region>.<service>; interface endpoints need a region of the aws or aws-us-gov partition`;
            assert.deepStrictEqual(problemsWith({ region: "cn-north-1" }), [message("cn-north-1")]);
            assert.deepStrictEqual(problemsWith({ region: "us-iso-east-1" }), [message("us-iso-east-1")]);
            assert.deepStrictEqual(problemsWith({ region: "cn-north-1", network: { interfaceEndpoints: false } }), []);
            assert.deepStrictEqual(problemsWith({ region: "us-gov-west-1" }), []);
        });

        it("reports every problem at once", () => {
            assert.deepStrictEqual(problemsWith({ appPort: -1, region: "", network: { publicSubnetMask: 8 } }), [
                "appPort = -1 is not allowed: expected an integer from 1024 to 65535",
                'region = "" is not allowed: expected an AWS region such as eu-west-1',
                "config.publicSubnetMask = 8 is not allowed: expected an integer from 17 to 28",
            ]);
        });
    });
});
