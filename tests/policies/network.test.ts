import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { networkPolicies } from "../../policies/network";
import { PolicyConfigError, resolvePolicyConfig } from "../../tools/offline/evaluate";
import { UNKNOWN, res, run } from "./helpers";

/** Level column of docs/policy-catalogue.md for the network rows. */
const CATALOGUE_LEVELS: Record<string, "mandatory" | "advisory"> = {
    "net-01": "mandatory", "net-02": "mandatory", "net-03": "advisory", "net-04": "mandatory", "net-05": "mandatory", "net-06": "mandatory",
    "net-07": "mandatory", "net-08": "advisory", "net-09": "advisory", "net-10": "mandatory", "net-11": "advisory", "net-12": "mandatory", "net-13": "advisory",
};
/** The optional half of net-02 (the stack manages the default group) starts advisory: awsx does not adopt it. */
const ADVISORY_BY_DESIGN = new Set(["vpc-default-sg-managed"]);

const rows = (p: (typeof networkPolicies)[number]) => (p.tags ?? []).filter((t) => t.startsWith("catalogue:")).map((t) => t.slice("catalogue:".length));

describe("policies: network pack", () => {
    it("implements every network row of the catalogue", () => {
        assert.deepStrictEqual([...new Set(networkPolicies.flatMap(rows))].sort(), Object.keys(CATALOGUE_LEVELS));
    });

    it("uses unique kebab-case names with a net-/sg-/vpc- prefix and actionable metadata", () => {
        const names = networkPolicies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, names.length);
        for (const p of networkPolicies) {
            assert.match(p.name, /^(net|sg|vpc)-[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.ok(p.description && p.remediationSteps && p.severity, `${p.name} lacks description, remediation or severity`);
        }
    });

    it("defaults each policy to its catalogue level", () => {
        for (const p of networkPolicies) {
            const expected = ADVISORY_BY_DESIGN.has(p.name) ? "advisory" : CATALOGUE_LEVELS[rows(p)[0]];
            assert.strictEqual(p.enforcementLevel, expected, p.name);
        }
    });

    it("cites the catalogue's Security Hub controls", () => {
        const controls = Object.fromEntries(networkPolicies.map((p) => [p.name, (p.tags ?? []).filter((t) => t.startsWith("securityhub:")).map((t) => t.slice(12))]));
        assert.deepStrictEqual(controls, {
            "sg-no-public-sensitive-ports": ["EC2.19"], "sg-public-ingress-allowlist": ["EC2.18"], "sg-descriptions": [], "sg-default-closed": ["EC2.2"],
            "sg-data-tier-ingress-from-groups": [], "sg-data-tier-egress-restricted": [], "sg-rules-not-mixed": [], "sg-prefix-list-not-public": ["EC2.18", "EC2.19"],
            "vpc-subnet-no-public-ip": ["EC2.15"], "vpc-private-routes-no-igw": [], "net-nacl-no-public-admin-ports": ["EC2.21"],
            "vpc-flow-logs": ["EC2.6"], "vpc-default-sg-managed": ["EC2.2"], "vpc-multi-az-nat": [], "vpc-endpoints": ["EC2.55", "EC2.56", "EC2.57"],
        });
    });

    it("accepts a staging-style config and rejects a bad setting by name", () => {
        const resolved = resolvePolicyConfig(networkPolicies, { "vpc-multi-az-nat": { enforcementLevel: "advisory", natStrategy: "Single" } });
        assert.strictEqual(resolved.levels.get("vpc-multi-az-nat"), "advisory");
        assert.throws(() => resolvePolicyConfig(networkPolicies, { "vpc-multi-az-nat": { natStrategy: "Two" } }), (e: PolicyConfigError) =>
            e.problems.length === 1 && e.problems[0].startsWith('vpc-multi-az-nat.natStrategy = "Two" is not allowed'));
        assert.throws(() => resolvePolicyConfig(networkPolicies, { "sg-public-ingress-allowlist": { allowedPorts: [70000] } }), PolicyConfigError);
    });

    it("passes a compliant network built the way the baseline builds it (awsx VPC, flow log, endpoints, tiered groups)", async () => {
        const vpc = res("awsx:ec2:Vpc", { cidrBlock: "10.20.0.0/16", numberOfAvailabilityZones: 3, natGateways: { strategy: "OnePerAz" } }, { name: "network-vpc" });
        const inVpc = { propertyDependencies: { vpcId: [vpc.urn] } };
        const flowLog = res(aws.ec2.FlowLog, { vpcId: UNKNOWN, trafficType: "ALL", logDestination: UNKNOWN }, { name: "network-flow-log", ...inVpc });
        const endpoints = [["ecr.api", "Interface"], ["ecr.dkr", "Interface"], ["logs", "Interface"], ["secretsmanager", "Interface"], ["ssm", "Interface"], ["s3", "Gateway"]]
            .map(([svc, type]) => res(aws.ec2.VpcEndpoint, { vpcId: UNKNOWN, serviceName: `com.amazonaws.eu-west-1.${svc}`, vpcEndpointType: type }, { name: `network-${svc}`, ...inVpc }));
        const defaultSg = res(aws.ec2.DefaultSecurityGroup, { vpcId: UNKNOWN }, { name: "network-default-sg", ...inVpc });
        const group = (name: string, description: string) => res(aws.ec2.SecurityGroup, { vpcId: UNKNOWN, description }, { name, ...inVpc });
        const [lbSg, appSg, dbSg] = [group("lb-sg", "Load balancer"), group("app-sg", "Application tasks"), group("db-sg", "PostgreSQL")];
        const rule = (type: Function, sg: typeof lbSg, name: string, props: Record<string, any>, peer?: typeof lbSg) => res(type, { securityGroupId: UNKNOWN, ...props }, {
            name, propertyDependencies: { securityGroupId: [sg.urn], ...(peer ? { referencedSecurityGroupId: [peer.urn] } : {}) },
        });
        const rules = [
            rule(aws.vpc.SecurityGroupIngressRule, lbSg, "lb-https", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS" }),
            rule(aws.vpc.SecurityGroupIngressRule, lbSg, "lb-https-v6", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0", description: "HTTPS over IPv6" }),
            rule(aws.vpc.SecurityGroupEgressRule, lbSg, "lb-to-app", { ipProtocol: "tcp", fromPort: 8080, toPort: 8080, referencedSecurityGroupId: UNKNOWN, description: "to the app" }, appSg),
            rule(aws.vpc.SecurityGroupIngressRule, appSg, "app-from-lb", { ipProtocol: "tcp", fromPort: 8080, toPort: 8080, referencedSecurityGroupId: UNKNOWN, description: "from the LB" }, lbSg),
            rule(aws.vpc.SecurityGroupEgressRule, appSg, "app-https-out", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "AWS APIs and third parties" }),
            rule(aws.vpc.SecurityGroupIngressRule, dbSg, "db-from-app", { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: UNKNOWN, description: "PostgreSQL from the app" }, appSg),
        ];
        const db = res(aws.rds.Instance, { vpcSecurityGroupIds: [UNKNOWN] }, { name: "database", propertyDependencies: { vpcSecurityGroupIds: [dbSg.urn] } });
        assert.deepStrictEqual(await run(networkPolicies, [vpc, flowLog, ...endpoints, defaultSg, lbSg, appSg, dbSg, ...rules, db]), []);
    });
});
