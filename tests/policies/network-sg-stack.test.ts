import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { dataTierGroups, sgDataTierEgressRestricted, sgDataTierIngressFromGroups, sgRulesNotMixed } from "../../policies/network/sg-stack";
import { EvalResource } from "../../tools/offline/evaluate";
import { UNKNOWN, UNKNOWN_ARRAY, linked, messages, res, run } from "./helpers";

const fromApp = { protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: [UNKNOWN], description: "PostgreSQL from the app" };
const dbSg = (props: Record<string, any> = {}, name = "db-sg") => res(aws.ec2.SecurityGroup, { description: "Database", vpcId: UNKNOWN, ingress: [fromApp], ...props }, { name });
const appSg = res(aws.ec2.SecurityGroup, { description: "App", vpcId: UNKNOWN, egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] }, { name: "app-sg" });
/** An RDS instance using `groups`, linked the way the engine records it. */
const db = (...groups: EvalResource[]) => res(aws.rds.Instance, { vpcSecurityGroupIds: groups.map(() => UNKNOWN) }, { name: "db", propertyDependencies: { vpcSecurityGroupIds: groups.map((g) => g.urn) } });
/** A standalone rule targeting `group` through its id output. */
const ruleOn = (type: Function, group: EvalResource, props: Record<string, any>, name: string) =>
    res(type, { securityGroupId: UNKNOWN, description: "rule", ...props }, { name, propertyDependencies: { securityGroupId: [group.urn] } });


const INGRESS_RULE = "Data-tier security group must admit only other security groups";

describe("policies: network security groups across the stack", () => {
    describe("data-tier recognition", () => {
        it("finds groups by use (URN join and literal ids) and by an optional name pattern", () => {
            const cacheSg = res(aws.ec2.SecurityGroup, { description: "Cache" }, { name: "cache-sg" });
            const docsSg = res(aws.ec2.SecurityGroup, { description: "Docs", tags: { Name: "baseline-prod-docs-db" } }, { name: "docs" });
            const cache = res(aws.elasticache.ReplicationGroup, { securityGroupIds: [UNKNOWN, "sg-0123"] }, { name: "cache", propertyDependencies: { securityGroupIds: [cacheSg.urn] } });
            const search = res(aws.opensearch.Domain, { vpcOptions: { securityGroupIds: ["sg-search"] } }, { name: "search" });
            const resources = linked([dbSg(), cacheSg, docsSg, appSg, db(dbSg()), cache, search]);
            assert.deepStrictEqual([...dataTierGroups(resources, undefined)], [
                [dbSg().urn, 'used by aws.rds.Instance "db"'],
                [cacheSg.urn, 'used by aws.elasticache.ReplicationGroup "cache"'],
                ["sg-0123", 'used by aws.elasticache.ReplicationGroup "cache"'],
                ["sg-search", 'used by aws.opensearch.Domain "search"'],
            ]);
            assert.deepStrictEqual(dataTierGroups(resources, /-db$/).get(docsSg.urn), 'name "baseline-prod-docs-db" matches /-db$/');
            const named = res(aws.ec2.SecurityGroup, { name: "reporting-db", description: "Reports" }, { name: "reports-sg" });
            assert.deepStrictEqual(dataTierGroups(linked([named]), /-db$/).get(named.urn), 'name "reporting-db" matches /-db$/');
        });
        it("recognises every kind of data store by the input that holds its groups", () => {
            const stores: [Function, string, Record<string, unknown>][] = [
                [aws.rds.Instance, "aws.rds.Instance", { vpcSecurityGroupIds: ["sg-1"] }], [aws.rds.Cluster, "aws.rds.Cluster", { vpcSecurityGroupIds: ["sg-2"] }],
                [aws.rds.Proxy, "aws.rds.Proxy", { vpcSecurityGroupIds: ["sg-3"] }], [aws.docdb.Cluster, "aws.docdb.Cluster", { vpcSecurityGroupIds: ["sg-4"] }],
                [aws.docdb.ElasticCluster, "aws.docdb.ElasticCluster", { vpcSecurityGroupIds: ["sg-5"] }],
                [aws.elasticache.ReplicationGroup, "aws.elasticache.ReplicationGroup", { securityGroupIds: ["sg-6"] }],
                [aws.elasticache.Cluster, "aws.elasticache.Cluster", { securityGroupIds: ["sg-7"] }],
                [aws.elasticache.ServerlessCache, "aws.elasticache.ServerlessCache", { securityGroupIds: ["sg-8"] }],
                [aws.memorydb.Cluster, "aws.memorydb.Cluster", { securityGroupIds: ["sg-9"] }],
                [aws.opensearch.Domain, "aws.opensearch.Domain", { vpcOptions: { securityGroupIds: ["sg-10"] } }],
            ];
            const resources = linked(stores.map(([type, , props], i) => res(type, props, { name: `store-${i + 1}` })));
            assert.deepStrictEqual([...dataTierGroups(resources, undefined)], stores.map(([, label], i) => [`sg-${i + 1}`, `used by ${label} "store-${i + 1}"`]));
        });
    });

    describe("sg-data-tier-ingress-from-groups", () => {
        it("passes a database group that admits only the app's group", async () => {
            const sg = dbSg();
            const rule = ruleOn(aws.vpc.SecurityGroupIngressRule, sg, { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: UNKNOWN }, "db-from-app");
            assert.deepStrictEqual(await run(sgDataTierIngressFromGroups, [sg, appSg, db(sg), rule]), []);
        });
        it("rejects a CIDR inline on the database group, as mandatory", async () => {
            const sg = dbSg({ ingress: [fromApp, { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/16"], ipv6CidrBlocks: ["fd00::/8"] }] });
            const diags = await run(sgDataTierIngressFromGroups, [sg, db(sg)]);
            assert.deepStrictEqual(messages(diags), [
                `${INGRESS_RULE}: "db-sg" (used by aws.rds.Instance "db") ingress[1] allows tcp 5432 from 10.0.0.0/16, fd00::/8, expected a source security group, never a CIDR or prefix list.`,
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.strictEqual(diags[0].urn, sg.urn);
        });
        it("rejects CIDRs and prefix lists on standalone rules of both resource types, reported on the rule", async () => {
            const sg = dbSg({ ingress: undefined });
            const vpcRule = ruleOn(aws.vpc.SecurityGroupIngressRule, sg, { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, prefixListId: "pl-123" }, "db-from-pl");
            const ec2Rule = ruleOn(aws.ec2.SecurityGroupRule, sg, { type: "ingress", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: UNKNOWN_ARRAY }, "db-from-cidr");
            const diags = await run(sgDataTierIngressFromGroups, [sg, db(sg), vpcRule, ec2Rule]);
            assert.deepStrictEqual(messages(diags), [
                `${INGRESS_RULE}: rule "db-from-pl" on "db-sg" (used by aws.rds.Instance "db") allows tcp 5432 from pl-123, expected a source security group, never a CIDR or prefix list.`,
                // A CIDR unknown until apply is still a CIDR: this is a presence check.
                `${INGRESS_RULE}: rule "db-from-cidr" on "db-sg" (used by aws.rds.Instance "db") allows tcp 5432 from (unknown until apply), expected a source security group, never a CIDR or prefix list.`,
            ]);
            assert.deepStrictEqual(diags.map((d) => d.urn), [vpcRule.urn, ec2Rule.urn]);
        });
        it("joins a store and rules through a literal group id", async () => {
            const cache = res(aws.elasticache.ReplicationGroup, { securityGroupIds: ["sg-0123"] }, { name: "cache" });
            const rule = res(aws.vpc.SecurityGroupIngressRule, { securityGroupId: "sg-0123", ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "10.0.1.0/24" }, { name: "cache-from-subnet" });
            assert.deepStrictEqual(messages(await run(sgDataTierIngressFromGroups, [cache, rule])), [
                `${INGRESS_RULE}: rule "cache-from-subnet" on "sg-0123" (used by aws.elasticache.ReplicationGroup "cache") allows tcp 6379 from 10.0.1.0/24, expected a source security group, never a CIDR or prefix list.`,
            ]);
        });
        it("covers document stores", async () => {
            const sg = dbSg({ ingress: [{ protocol: "tcp", fromPort: 27017, toPort: 27017, cidrBlocks: ["0.0.0.0/0"] }] }, "docdb-sg");
            const docdb = res(aws.docdb.Cluster, { vpcSecurityGroupIds: [UNKNOWN] }, { name: "docs", propertyDependencies: { vpcSecurityGroupIds: [sg.urn] } });
            assert.deepStrictEqual(messages(await run(sgDataTierIngressFromGroups, [sg, docdb])), [
                `${INGRESS_RULE}: "docdb-sg" (used by aws.docdb.Cluster "docs") ingress[0] allows tcp 27017 from 0.0.0.0/0, expected a source security group, never a CIDR or prefix list.`,
            ]);
        });
        it("leaves groups no data store uses alone", async () => {
            const lb = res(aws.ec2.SecurityGroup, { description: "LB", ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] }, { name: "lb-sg" });
            assert.deepStrictEqual(await run(sgDataTierIngressFromGroups, [lb, appSg]), []);
        });
        it("adds groups by a configured name pattern", async () => {
            const sg = dbSg({ ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.0.0.0/8"] }] }, "reporting-db-sg");
            assert.deepStrictEqual(await run(sgDataTierIngressFromGroups, sg), []);
            assert.deepStrictEqual(messages(await run(sgDataTierIngressFromGroups, sg, { dataTierNamePattern: "-db-sg$" })), [
                `${INGRESS_RULE}: "reporting-db-sg" (name "reporting-db-sg" matches /-db-sg$/) ingress[0] allows tcp 5432 from 10.0.0.0/8, expected a source security group, never a CIDR or prefix list.`,
            ]);
        });
        it("says so when the configured pattern is not a regular expression", async () => {
            const diags = await run(sgDataTierIngressFromGroups, dbSg(), { dataTierNamePattern: "(db" });
            assert.deepStrictEqual(messages(diags), [
                'Policy config dataTierNamePattern must be a regular expression: "(db" is not (Invalid regular expression: /(db/: Unterminated group), expected e.g. "(^|-)(db|cache)-sg$".',
            ]);
        });
        it("reports an unknown inline rule as unverifiable", async () => {
            const sg = dbSg({ ingress: [UNKNOWN] });
            assert.deepStrictEqual(messages(await run(sgDataTierIngressFromGroups, [sg, db(sg)])), [
                'Cannot verify during preview that "db-sg" (used by aws.rds.Instance "db") ingress[0] admits only security groups: ingress[0] is (unknown until apply). Re-run the check after apply, or set the value from configuration.',
            ]);
        });
        it("reports an exempted rule as advisory with its reason", async () => {
            const sg = dbSg({ ingress: undefined });
            const rule = ruleOn(aws.vpc.SecurityGroupIngressRule, sg, { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "10.9.0.0/24" }, "db-from-vpn");
            const diags = await run(sgDataTierIngressFromGroups, [sg, db(sg), rule], { exemptions: [{ resource: "db-from-vpn", reason: "VPN analysts, ticket SEC-42" }] });
            assert.deepStrictEqual(messages(diags), [
                `Exempted (VPN analysts, ticket SEC-42): ${INGRESS_RULE}: rule "db-from-vpn" on "db-sg" (used by aws.rds.Instance "db") allows tcp 5432 from 10.9.0.0/24, expected a source security group, never a CIDR or prefix list.`,
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
    });

    describe("sg-data-tier-egress-restricted", () => {
        it("passes a database group without egress or with egress to groups", async () => {
            const sg = dbSg({ egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, securityGroups: [UNKNOWN] }] });
            assert.deepStrictEqual(await run(sgDataTierEgressRestricted, [sg, appSg, db(sg)]), []);
        });
        it("rejects world-open egress inline and as a rule resource, as advisory", async () => {
            const sg = dbSg({ egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] });
            const rule = ruleOn(aws.vpc.SecurityGroupEgressRule, sg, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" }, "db-out-v6");
            const diags = await run(sgDataTierEgressRestricted, [sg, db(sg), rule, appSg]);
            assert.deepStrictEqual(messages(diags), [
                'Data-tier security group must not allow egress to the internet: "db-sg" (used by aws.rds.Instance "db") egress[0] allows all traffic to 0.0.0.0/0, expected no egress, or egress to security groups or VPC ranges only.',
                'Data-tier security group must not allow egress to the internet: rule "db-out-v6" on "db-sg" (used by aws.rds.Instance "db") allows tcp 443 to ::/0, expected no egress, or egress to security groups or VPC ranges only.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "advisory");
        });
        it("reports an unknown egress CIDR as unverifiable", async () => {
            const sg = dbSg({ ingress: undefined });
            const rule = ruleOn(aws.ec2.SecurityGroupRule, sg, { type: "egress", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: [UNKNOWN] }, "db-out");
            assert.deepStrictEqual(messages(await run(sgDataTierEgressRestricted, [sg, db(sg), rule])), [
                'Cannot verify during preview that rule "db-out" on "db-sg" (used by aws.rds.Instance "db") has no egress to the internet: cidrBlocks[0] is (unknown until apply). Re-run the check after apply, or set the value from configuration.',
            ]);
        });
    });

    describe("sg-rules-not-mixed", () => {
        it("passes groups whose rules live in one place", async () => {
            const inlineOnly = dbSg();
            const resourcesOnly = res(aws.ec2.SecurityGroup, { description: "LB" }, { name: "lb-sg" });
            const rule = ruleOn(aws.vpc.SecurityGroupIngressRule, resourcesOnly, { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, "lb-https");
            assert.deepStrictEqual(await run(sgRulesNotMixed, [inlineOnly, resourcesOnly, rule]), []);
        });
        it("rejects inline rules plus a rule resource on the same group, as mandatory", async () => {
            const sg = dbSg();
            const rule = ruleOn(aws.vpc.SecurityGroupIngressRule, sg, { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: UNKNOWN }, "db-from-jobs");
            const diags = await run(sgRulesNotMixed, [sg, rule]);
            assert.deepStrictEqual(messages(diags), [
                'Security group must not mix inline rules with rule resources: "db-sg" sets ingress inline and aws.vpc.SecurityGroupIngressRule "db-from-jobs" targets it, expected all its rules inline or all as rule resources.',
            ]);
            assert.strictEqual(diags[0].enforcementLevel, "mandatory");
            assert.strictEqual(diags[0].urn, sg.urn);
        });
        it("counts an empty inline list (it removes every other rule) and lists every rule resource", async () => {
            const sg = res(aws.ec2.SecurityGroup, { description: "App", ingress: [], egress: [] }, { name: "app-sg" });
            const a = ruleOn(aws.ec2.SecurityGroupRule, sg, { type: "egress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }, "app-out");
            const b = ruleOn(aws.vpc.SecurityGroupEgressRule, sg, { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: UNKNOWN }, "app-to-db");
            assert.deepStrictEqual(messages(await run(sgRulesNotMixed, [sg, a, b])), [
                'Security group must not mix inline rules with rule resources: "app-sg" sets ingress and egress inline and aws.ec2.SecurityGroupRule "app-out", aws.vpc.SecurityGroupEgressRule "app-to-db" target it, expected all its rules inline or all as rule resources.',
            ]);
        });
        it("does not confuse a rule's source group with its target group", async () => {
            const sg = dbSg();
            const other = res(aws.ec2.SecurityGroup, { description: "Jobs" }, { name: "jobs-sg" });
            const rule = res(aws.vpc.SecurityGroupIngressRule, { securityGroupId: UNKNOWN, referencedSecurityGroupId: UNKNOWN, ipProtocol: "tcp", fromPort: 5432, toPort: 5432 }, {
                name: "jobs-in", propertyDependencies: { securityGroupId: [other.urn], referencedSecurityGroupId: [sg.urn] },
            });
            assert.deepStrictEqual(await run(sgRulesNotMixed, [sg, other, rule]), []);
        });
    });
});
