import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { PROFILES } from "../infra/config/profiles";
import { endpointServiceName, endpointSuffix } from "../infra/network/endpoints";
import { flowLogPermissionsPolicy, flowLogTrustPolicy, logGroupArn } from "../infra/network/flow-log-policies";
import { flowLogGroupName, nameTag } from "../infra/network/naming";
import { GROUPS, STORE_GROUPS, TopologyOptions, groupKeys, securityGroupRules } from "../infra/network/security-groups";
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
            assert.strictEqual(nameTag("shop-prod", "lb-sg"), "shop-prod-lb-sg");
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
        const TOPOLOGIES = [ALL, NONE, { interfaceEndpoints: true, documentDb: false }, { interfaceEndpoints: false, documentDb: true }];

        it("by default is the load balancer's HTTPS ingress from CloudFront's prefix list, and nothing else: no port 80, no CIDR", () => {
            const expected = [["lb-in-https-cloudfront", "loadBalancer", "ingress", 443, { cloudFront: true }, "HTTPS from the CloudFront origin-facing prefix list"]];
            assert.deepStrictEqual(securityGroupRules().map((r) => [r.key, r.group, r.direction, r.port, r.peer, r.description]), expected);
            assert.deepStrictEqual(securityGroupRules("cloudfront").map((r) => [r.key, r.group, r.direction, r.port, r.peer, r.description]), expected);
        });

        it("for a load balancer that is the public entry, is HTTP and HTTPS from the internet over IPv4 and IPv6, and nothing else", () => {
            assert.deepStrictEqual(
                securityGroupRules("internet").map((r) => [r.key, r.group, r.direction, r.port, r.peer, r.description]),
                [
                    ["lb-in-http-ipv4", "loadBalancer", "ingress", 80, { cidrIpv4: "0.0.0.0/0" }, "HTTP (redirected to HTTPS) from the internet over IPv4"],
                    ["lb-in-http-ipv6", "loadBalancer", "ingress", 80, { cidrIpv6: "::/0" }, "HTTP (redirected to HTTPS) from the internet over IPv6"],
                    ["lb-in-https-ipv4", "loadBalancer", "ingress", 443, { cidrIpv4: "0.0.0.0/0" }, "HTTPS from the internet over IPv4"],
                    ["lb-in-https-ipv6", "loadBalancer", "ingress", 443, { cidrIpv6: "::/0" }, "HTTPS from the internet over IPv6"],
                ],
            );
        });

        it("has a unique key per rule, and every rule's group and peer group exist in every topology", () => {
            const rules = [...securityGroupRules("cloudfront"), ...securityGroupRules("internet")];
            assert.strictEqual(new Set(rules.map((r) => r.key)).size, rules.length);
            for (const o of TOPOLOGIES) {
                const groups: string[] = groupKeys(o);
                for (const r of rules) {
                    assert.ok(groups.includes(r.group), `${r.key} is on ${r.group}, which ${JSON.stringify(o)} does not have`);
                    if ("group" in r.peer) assert.ok(groups.includes(r.peer.group), `${r.key} references ${r.peer.group}, which ${JSON.stringify(o)} does not have`);
                }
            }
        });

        it("has no application group: each service brings its own", () => {
            assert.ok(!("app" in GROUPS));
            for (const ingress of ["cloudfront", "internet"] as const) {
                assert.deepStrictEqual(securityGroupRules(ingress).filter((r) => r.group !== "loadBalancer" || "group" in r.peer), []);
            }
        });

        it("gives the store and endpoints groups no rule of the network's own (services add their ingress), and no group any egress", () => {
            const rules = [...securityGroupRules("cloudfront"), ...securityGroupRules("internet")];
            for (const g of [...STORE_GROUPS, "endpoints"]) assert.deepStrictEqual(rules.filter((r) => r.group === g), [], g);
            assert.deepStrictEqual(rules.filter((r) => r.direction === "egress"), []);
        });

        it("has the DocumentDB and endpoints groups only when they are on", () => {
            assert.deepStrictEqual(groupKeys(ALL), ["loadBalancer", "postgres", "redis", "documentDb", "endpoints"]);
            assert.deepStrictEqual(groupKeys(NONE), ["loadBalancer", "postgres", "redis"]);
            assert.deepStrictEqual(groupKeys({ interfaceEndpoints: true, documentDb: false }), ["loadBalancer", "postgres", "redis", "endpoints"]);
            assert.deepStrictEqual(groupKeys({ interfaceEndpoints: false, documentDb: true }), ["loadBalancer", "postgres", "redis", "documentDb"]);
        });

        it("keeps every group's logical-name suffix and description (a changed description replaces the group)", () => {
            assert.deepStrictEqual(GROUPS, {
                loadBalancer: { suffix: "lb-sg", description: "Application load balancer: HTTP and HTTPS from the internet" },
                postgres: { suffix: "postgres-sg", description: "PostgreSQL: port 5432 from the application only" },
                redis: { suffix: "redis-sg", description: "Redis: port 6379 from the application only" },
                documentDb: { suffix: "docdb-sg", description: "DocumentDB: port 27017 from the application only" },
                endpoints: { suffix: "endpoints-sg", description: "Interface VPC endpoints: HTTPS from the application only" },
            });
        });
    });

    describe("validateNetworkArgs", () => {
        const valid: NetworkArgs = {
            config: { ...PROFILES.prod.network },
            namePrefix: "shop-prod",
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

        it("applies the config loader's limits, not looser ones of its own: AZs 2..3, masks /17../28, private /16../24 ranges", () => {
            // Each value sits just outside the loader's limit and inside what the component used to accept (AZs 1..6, masks 16..28).
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
            assert.deepStrictEqual(problemsWith({ namePrefix: "", region: "", network: { publicSubnetMask: 8 } }), [
                'namePrefix = "" is not allowed: expected lowercase words joined by single hyphens, such as shop-prod',
                'region = "" is not allowed: expected an AWS region such as eu-west-1',
                "config.publicSubnetMask = 8 is not allowed: expected an integer from 17 to 28",
            ]);
        });
    });
});
