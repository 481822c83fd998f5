import * as aws from "@pulumi/aws";
import * as assert from "assert";
import { execFile } from "child_process";
import * as path from "path";
import { promisify } from "util";
import { ALL_POLICIES } from "../policies/all";
import { parseArgs } from "../tools/check";
import { evaluate, resolvePolicyConfig } from "../tools/offline/evaluate";
import { runProgram } from "../tools/offline/run-program";
import { RecordedResource } from "../tools/offline/run-program";
import { StackCheck, checkStack, policyConfigPath, readPolicyConfig, toEvalResource } from "../tools/offline/stack-check";
import { noncompliantProgram } from "./fixtures/noncompliant-program";
import { stackConfig } from "./harness";
import { UNKNOWN } from "./policies/helpers";

const check = (stack: string, opts: { firstPreview?: boolean; overrides?: Record<string, unknown> } = {}) =>
    checkStack({
        stack,
        policies: ALL_POLICIES,
        policyConfig: readPolicyConfig(policyConfigPath(stack)),
        firstPreview: opts.firstPreview,
        config: stackConfig(stack, opts.overrides ?? {}),
    });

const blockingPolicies = (c: StackCheck) => [...new Set(c.blocking.map((d) => d.policyName))].sort();

describe("offline check (issue 3 end to end)", () => {
    for (const stack of ["prod", "staging"]) {
        for (const firstPreview of [false, true]) {
            it(`${stack}${firstPreview ? " at first preview" : ""}: passes with no mandatory violation and no policy that could not run`, async () => {
                const c = await check(stack, { firstPreview });
                assert.deepStrictEqual(c.blocking, []);
                assert.deepStrictEqual(c.evaluation.diagnostics.filter((d) => d.cantRunDuringPreview), []);
                assert.ok(c.resources.length > 50, `expected the whole topology, got ${c.resources.length} resources`);
            });
        }
    }

    it("at first preview really sees unknown values (the mode is not a no-op)", async () => {
        const c = await check("prod", { firstPreview: true });
        const instance = c.resources.find((r) => r.type === "aws:rds/instance:Instance")!;
        assert.strictEqual(instance.wireInputs.kmsKeyId, UNKNOWN);
    });

    it("rejects a prod configuration that drops availability and deletion protection, naming the policies", async () => {
        const c = await check("prod", { overrides: { "baseline:database": { multiAz: false, deletionProtection: false } } });
        assert.deepStrictEqual(blockingPolicies(c), ["rds-deletion-protection", "rds-multi-az"]);
    });

    it("rejects a non-compliant program: public database, unencrypted bucket, SSH open to the world, no backups", async () => {
        const run = await runProgram(noncompliantProgram, { stack: "prod", config: stackConfig("prod") });
        const config = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath("prod")));
        const { diagnostics } = await evaluate(run.resources.map(toEvalResource), { policies: ALL_POLICIES, config });
        const mandatory = new Set(diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policyName));
        for (const policy of [
            "rds-no-public-access",
            "rds-storage-encrypted",
            "rds-backup-retention",
            "rds-managed-master-password",
            "rds-final-snapshot",
            "s3-block-public-access",
            "s3-default-encryption",
            "s3-require-tls",
            "s3-versioning-lifecycle",
            "sg-no-public-sensitive-ports",
            "stateful-protect",
        ]) {
            assert.ok(mandatory.has(policy), `expected a mandatory ${policy} violation; got ${[...mandatory].sort().join(", ")}`);
        }
        const ssh = diagnostics.filter((d) => d.policyName === "sg-no-public-sensitive-ports").map((d) => d.message).join("\n");
        assert.match(ssh, /0\.0\.0\.0\/0/);
        assert.match(ssh, /::\/0/);
        assert.ok(!diagnostics.some((d) => d.message.includes("hunter2")), "a violation message must never print a secret");
    });

    describe("command line", () => {
        const root = path.resolve(__dirname, "..");
        const cli = (...args: string[]) =>
            promisify(execFile)(process.execPath, [require.resolve("ts-node/dist/bin"), "--transpile-only", "tools/check.ts", ...args], { cwd: root }).then(
                (r) => ({ code: 0, ...r }),
                (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
            );

        it("parses its arguments and rejects bad ones by name", () => {
            assert.deepStrictEqual(parseArgs(["--stack", "prod", "--first-preview", "--format", "sarif"]), { stack: "prod", firstPreview: true, format: "sarif" });
            assert.throws(() => parseArgs(["--stack", "prod", "--format", "xml"]), /--format "xml" is not allowed: expected one of text, json, sarif/);
            assert.throws(() => parseArgs([]), /--stack is required/);
            assert.throws(() => parseArgs(["--stack"]), /--stack needs a value/);
            assert.throws(() => parseArgs(["--stack", "prod", "--fast"]), /unknown argument "--fast"/);
        });

        it("writes SARIF 2.1.0 and exits 0 for a passing stack", async () => {
            const r = await cli("--stack", "staging", "--format", "sarif");
            assert.strictEqual(r.code, 0, r.stderr);
            const sarif = JSON.parse(r.stdout);
            assert.strictEqual(sarif.version, "2.1.0");
            assert.strictEqual(sarif.runs[0].tool.driver.name, "baseline-guardrails");
            assert.ok(sarif.runs[0].results.every((x: any) => x.level !== "error"));
            // Not vacuous: staging's deliberate downgrades are there, as warnings.
            const levels = (rule: string) => sarif.runs[0].results.filter((x: any) => x.ruleId === rule).map((x: any) => x.level);
            assert.deepStrictEqual([...new Set([...levels("rds-multi-az"), ...levels("rds-deletion-protection")])], ["warning"]);
            assert.ok(sarif.runs[0].results.every((x: any) => sarif.runs[0].tool.driver.rules.some((rule: any) => rule.id === x.ruleId)));
        });

        it("exits 1 when a mandatory violation remains, and 2 with a clear message on bad input", async () => {
            const failing = await cli("--stack", "staging", "--policy-config", path.join(root, "stacks", "prod.policy.json"), "--format", "json");
            assert.strictEqual(failing.code, 1);
            const report = JSON.parse(failing.stdout);
            assert.strictEqual(report.passed, false);
            assert.ok(report.diagnostics.some((d: any) => d.policyName === "rds-multi-az" && d.enforcementLevel === "mandatory"));

            const unknownStack = await cli("--stack", "qa");
            assert.strictEqual(unknownStack.code, 2);
            assert.match(unknownStack.stderr, /stack "qa" has no Pulumi\.qa\.yaml: known stacks are prod, staging/);
        });
    });

    describe("security groups as the pack receives them: no application group, the stores guarded by the services' groups", () => {
        const SG = "aws:ec2/securityGroup:SecurityGroup";
        const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
        const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
        const SG_STACK_POLICIES = ["sg-data-tier-ingress-from-groups", "sg-data-tier-egress-restricted", "sg-rules-not-mixed"];
        const STORES = [["network-postgres-sg", 5432], ["network-redis-sg", 6379], ["network-docdb-sg", 27017]] as const;
        const judge = async (stack: string, resources: RecordedResource[]) => {
            const config = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath(stack)));
            return (await evaluate(resources.map(toEvalResource), { policies: ALL_POLICIES, config })).diagnostics;
        };
        const runs = new Map<string, Promise<StackCheck>>();
        const stackCheck = (stack: string, firstPreview: boolean) => {
            const key = `${stack}/${firstPreview}`;
            if (!runs.has(key)) runs.set(key, check(stack, { firstPreview }));
            return runs.get(key)!;
        };
        const named = (c: StackCheck, type: string, name: string) => c.resources.find((r) => r.type === type && r.name === name)!;
        /** A copy of the network's HTTPS rule from CloudFront, opened to the world and moved onto `group` (as if the program registered it there). */
        const worldRuleOn = (c: StackCheck, group: RecordedResource, name: string, direction: "ingress" | "egress", port: number): RecordedResource => {
            const rule = named(c, INGRESS, "network-lb-in-https-cloudfront");
            const type = direction === "ingress" ? INGRESS : EGRESS;
            const groupId = group.wireInputs.vpcId === UNKNOWN ? UNKNOWN : `${group.name}-id`;
            const change = { securityGroupId: groupId, fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0" };
            const { prefixListId: _wire, ...wireInputs } = rule.wireInputs;
            const { prefixListId: _input, ...inputs } = rule.inputs;
            return {
                ...rule, type, name, urn: rule.urn.replace(INGRESS, type).replace(/::[^:]+$/, `::${name}`),
                wireInputs: { ...wireInputs, ...change }, inputs: { ...inputs, ...change },
                propertyDependencies: { ...rule.propertyDependencies, securityGroupId: [group.urn] },
                dependencies: [...rule.dependencies.filter((d) => !rule.propertyDependencies.securityGroupId.includes(d)), group.urn],
            };
        };

        for (const stack of ["prod", "staging"]) {
            for (const firstPreview of [false, true]) {
                const when = firstPreview ? " at first preview" : "";

                it(`${stack}${when}: the network's groups and its own rules, exactly; every rule on and to a registered group; no security-group stack policy reports anything`, async () => {
                    const c = await stackCheck(stack, firstPreview);
                    const network = c.resources.find((r) => r.type === "baseline:network:Network")!;
                    const own = (type: string) => c.resources.filter((r) => r.type === type && r.parent === network.urn).map((r) => r.name);
                    assert.deepStrictEqual(own(SG), ["network-lb-sg", "network-postgres-sg", "network-redis-sg", "network-docdb-sg", ...(stack === "prod" ? ["network-endpoints-sg"] : [])]);
                    // Only CloudFront reaches the load balancer (both stacks put CloudFront in front).
                    assert.deepStrictEqual(own(INGRESS), ["network-lb-in-https-cloudfront"]);
                    assert.deepStrictEqual(own(EGRESS), []);
                    assert.deepStrictEqual(c.resources.filter((r) => r.name.startsWith("network-app")).map((r) => r.name), []);
                    const groups = new Set(c.resources.filter((r) => r.type === SG).map((g) => g.urn));
                    for (const rule of c.resources.filter((r) => r.type === INGRESS || r.type === EGRESS)) {
                        for (const input of ["securityGroupId", "referencedSecurityGroupId"]) {
                            for (const u of rule.propertyDependencies[input] ?? []) assert.ok(groups.has(u), `${rule.name}.${input} comes from ${u}, not a registered group`);
                        }
                    }
                    assert.deepStrictEqual(c.evaluation.diagnostics.filter((d) => SG_STACK_POLICIES.includes(d.policyName)).map((d) => [d.policyName, d.message]), []);
                });

                it(`${stack}${when}: the stores' groups are still data tier to the pack: a CIDR ingress on each is rejected, a world egress reported`, async () => {
                    const c = await stackCheck(stack, firstPreview);
                    const added = STORES.map(([store, port]) => worldRuleOn(c, named(c, SG, store), `${store}-in-world`, "ingress", port));
                    const egress = worldRuleOn(c, named(c, SG, "network-postgres-sg"), "network-postgres-sg-out-world", "egress", 443);
                    const diags = (await judge(stack, [...c.resources, ...added, egress])).filter((d) => SG_STACK_POLICIES.includes(d.policyName));
                    assert.deepStrictEqual(diags.map((d) => [d.policyName, d.enforcementLevel, c.resources.concat(added, egress).find((r) => r.urn === d.urn)?.name]), [
                        ...added.map((r) => ["sg-data-tier-ingress-from-groups", "mandatory", r.name]),
                        ["sg-data-tier-egress-restricted", "advisory", egress.name],
                    ]);
                });
            }
        }
    });

    describe("the network tier as a real preview sends it (issue 6)", () => {
        const ROUTE = "aws:ec2/route:Route";
        const TABLE = "aws:ec2/routeTable:RouteTable";
        /** The pack's diagnostics over recorded resources (altered by a test), with the stack's policy config. */
        const judge = async (stack: string, resources: RecordedResource[]) => {
            const config = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath(stack)));
            const { diagnostics } = await evaluate(resources.map(toEvalResource), { policies: ALL_POLICIES, config });
            return diagnostics;
        };
        /** One run per mode, shared by the tests below (each test changes a copy of the resources, never the run). */
        const runs = new Map<boolean, Promise<StackCheck>>();
        const prodCheck = (firstPreview: boolean) => runs.get(firstPreview) ?? (runs.set(firstPreview, check("prod", { firstPreview })), runs.get(firstPreview)!);
        const byName = (c: StackCheck, type: string, name: string) => c.resources.find((r) => r.type === type && r.name === name)!;
        /** A copy of `route` on `table` (a new resource, as if the program registered it): inputs and property dependencies point at the table. */
        const routeOn = (route: RecordedResource, table: RecordedResource, name: string, change: Record<string, any> = {}): RecordedResource => {
            const urn = route.urn.replace(/::[^:]+$/, `::${name}`);
            const tableId = table.wireInputs.vpcId === UNKNOWN ? UNKNOWN : `rtb-${table.name}`;
            return {
                ...route, urn, name,
                wireInputs: { ...route.wireInputs, routeTableId: tableId, ...change },
                inputs: { ...route.inputs, routeTableId: tableId, ...change },
                propertyDependencies: { ...route.propertyDependencies, routeTableId: [table.urn] },
                dependencies: [...route.dependencies.filter((d) => !route.propertyDependencies.routeTableId.includes(d)), table.urn],
            };
        };

        for (const firstPreview of [false, true]) {
            const when = firstPreview ? " (first preview: every id unknown)" : "";

            it(`prod${when}: the pack receives every subnet, route table, route, gateway and address, and the route rules read them`, async () => {
                const c = await prodCheck(firstPreview);
                const count = (type: string) => c.resources.filter((r) => r.type === type).length;
                assert.deepStrictEqual(
                    ["vpc", "subnet", "routeTable", "routeTableAssociation", "route", "internetGateway", "natGateway", "eip"].map((t) => count(`aws:ec2/${t}:${t[0].toUpperCase()}${t.slice(1)}`)),
                    [1, 9, 9, 9, 6, 1, 3, 3],
                );
                // The rules are not blind to them: a private table routed to the internet gateway is caught on the real tables.
                const igwRoute = routeOn(byName(c, ROUTE, "network-public-2"), byName(c, TABLE, "network-private-2"), "network-private-2-to-igw");
                const diags = (await judge("prod", [...c.resources, igwRoute])).filter((d) => d.enforcementLevel === "mandatory");
                assert.deepStrictEqual(diags.map((d) => [d.policyName, d.urn]), [["vpc-private-routes-no-igw", igwRoute.urn]]);
            });

            it(`prod${when}: an isolated route table given a default route to a NAT gateway is rejected, by policy name and message`, async () => {
                const c = await prodCheck(firstPreview);
                const natRoute = routeOn(byName(c, ROUTE, "network-private-1"), byName(c, TABLE, "network-isolated-1"), "network-isolated-1-to-nat");
                const blocking = (await judge("prod", [...c.resources, natRoute])).filter((d) => d.enforcementLevel === "mandatory");
                assert.deepStrictEqual(blocking.map((d) => [d.policyName, d.urn, d.message.split("\n").pop()]), [[
                    "vpc-private-routes-no-igw", natRoute.urn,
                    'Isolated route table must not route to the internet: "network-isolated-1" serves an isolated tier (tier "isolated" from tags.SubnetType) and ' +
                        'route "network-isolated-1-to-nat" sends 0.0.0.0/0 to NAT gateway "network-nat-1", expected no route out of the VPC (an isolated tier reaches AWS services through VPC endpoints only).',
                ]]);
            });

            it(`prod${when}: a private subnet sent to another zone's NAT gateway (one NAT gateway dropped) is rejected by vpc-multi-az-nat`, async () => {
                const c = await prodCheck(firstPreview);
                const nat1 = byName(c, "aws:ec2/natGateway:NatGateway", "network-nat-1");
                const resources = c.resources.map((r) => r.type === ROUTE && r.name === "network-private-2"
                    ? { ...r, wireInputs: { ...r.wireInputs, natGatewayId: firstPreview ? UNKNOWN : "nat-network-nat-1" }, propertyDependencies: { ...r.propertyDependencies, natGatewayId: [nat1.urn] } }
                    : r);
                const blocking = (await judge("prod", resources)).filter((d) => d.enforcementLevel === "mandatory");
                assert.deepStrictEqual(blocking.map((d) => [d.policyName, d.message.split("\n").pop()]), [[
                    "vpc-multi-az-nat",
                    'VPC must give private subnets one NAT gateway per availability zone: aws.ec2.Subnet "network-private-2" in "eu-west-1b" of aws.ec2.Vpc "network-vpc" sends its default route ' +
                        '(route "network-private-2") to NAT gateway "network-nat-1" in "eu-west-1a", expected a NAT gateway in "eu-west-1b", so an outage of one zone does not cut another off.',
                ]]);
            });
        }

        it("staging: its single NAT gateway is reported, as advisory, on each private route of the other zone", async () => {
            const c = await check("staging");
            const nat = c.evaluation.diagnostics.filter((d) => d.policyName === "vpc-multi-az-nat");
            assert.deepStrictEqual(nat.map((d) => [d.enforcementLevel, c.resources.find((r) => r.urn === d.urn)?.name]), [["advisory", "network-private-2"]]);
        });
    });
});

describe("offline check with a policy at the remediate level", () => {
    /** A load balancer that keeps invalid headers: alb-drop-invalid-headers (mandatory) blocks it unless remediated. */
    const program = () => {
        new aws.lb.LoadBalancer("web", { loadBalancerType: "application", subnets: ["subnet-a", "subnet-b"], dropInvalidHeaderFields: false });
        return {};
    };
    const blockingOn = async (level: string) => {
        const policyConfig = { ...readPolicyConfig(policyConfigPath("prod")), "alb-drop-invalid-headers": level };
        const c = await checkStack({ stack: "prod", policies: ALL_POLICIES, policyConfig, config: stackConfig("prod"), program });
        return c.blocking.filter((d) => d.policyName === "alb-drop-invalid-headers").map((d) => d.urn?.split("::").pop());
    };

    it("judges the remediated inputs, as the engine does: the fix is applied first and nothing blocks", async () => {
        assert.deepStrictEqual(await blockingOn("remediate"), []);
    });

    it("blocks the same resource at mandatory, where nothing is remediated", async () => {
        assert.deepStrictEqual(await blockingOn("mandatory"), ["web"]);
    });
});
