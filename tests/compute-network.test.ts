import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { targetGroupBase } from "../infra/compute/naming";
import { Service } from "../infra/compute/service";
import { ServiceArgs } from "../infra/compute/service-args";
import { GROUPS, LISTENER, serviceArgs, webService, workerService } from "./compute-fixtures";
import { RecordedResource, Run, isSecret, runUnderMocks } from "./harness";

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

async function run(args: ServiceArgs): Promise<Run> {
    return runUnderMocks(() => new Service(args.service.name, args), "prod");
}

/** Every rule as `<group> <in|out> <port> <peer>`, sorted. */
function rules(r: Run): string[] {
    const line = (x: RecordedResource, dir: string) => `${x.inputs.securityGroupId} ${dir} ${x.inputs.fromPort}-${x.inputs.toPort}/${x.inputs.ipProtocol} ${x.inputs.referencedSecurityGroupId ?? x.inputs.cidrIpv4}`;
    return [...r.ofType(INGRESS).map((x) => line(x, "in")), ...r.ofType(EGRESS).map((x) => line(x, "out"))].sort();
}

describe("compute network: security groups", () => {
    it("a public service: its port from the load balancer only (and the load balancer's matching egress), HTTPS out, each used store both ways, the endpoints", async () => {
        const r = await run(serviceArgs(webService()));
        const group = r.one("aws:ec2/securityGroup:SecurityGroup");
        // No inline ingress or egress: every rule is a standalone resource.
        assert.deepStrictEqual(group.inputs, { vpcId: "vpc-network", description: "Tasks of ECS service shop-prod-web", tags: { Name: "shop-prod-web-tasks" } });
        assert.deepStrictEqual(rules(r), [
            `${GROUPS.endpoints} in 443-443/tcp web-sg-id`,
            `${GROUPS.loadBalancer} out 8080-8080/tcp web-sg-id`,
            `${GROUPS.postgres} in 5432-5432/tcp web-sg-id`,
            `${GROUPS.redis} in 6379-6379/tcp web-sg-id`,
            "web-sg-id in 8080-8080/tcp sg-lb",
            "web-sg-id out 443-443/tcp 0.0.0.0/0",
            `web-sg-id out 5432-5432/tcp ${GROUPS.postgres}`,
            `web-sg-id out 6379-6379/tcp ${GROUPS.redis}`,
        ]);
        for (const rule of [...r.ofType(INGRESS), ...r.ofType(EGRESS)]) assert.ok(rule.inputs.description, `${rule.name} has no description`);
    });

    it("a worker admits nothing: no ingress on its group, and the load balancer gets no rule for it", async () => {
        const r = await run(serviceArgs(workerService()));
        assert.deepStrictEqual(rules(r), [
            `${GROUPS.endpoints} in 443-443/tcp worker-sg-id`,
            `${GROUPS.redis} in 6379-6379/tcp worker-sg-id`,
            "worker-sg-id out 443-443/tcp 0.0.0.0/0",
            `worker-sg-id out 6379-6379/tcp ${GROUPS.redis}`,
        ]);
        assert.deepStrictEqual(r.ofType(INGRESS).filter((x) => x.inputs.securityGroupId === "worker-sg-id"), []);
    });

    it("a store the service does not use gets no rule, even when its connection is at hand", async () => {
        const r = await run(serviceArgs(workerService({ uses: [], secrets: {} })));
        assert.deepStrictEqual(rules(r), [`${GROUPS.endpoints} in 443-443/tcp worker-sg-id`, "worker-sg-id out 443-443/tcp 0.0.0.0/0"]);
    });
});

describe("compute network: the load balancer's target group and rule", () => {
    let r: Run;
    before(async () => {
        r = await run(serviceArgs(webService({ routing: { hosts: ["shop.example.com"], paths: ["/api/*", "/v2/*"], priority: 20, healthCheckPath: "/healthz" } })));
    });

    it("registers tasks by IP on the container port and checks them every 30 s on the service's path (2 up, 3 down, 5 s, 200-399)", () => {
        const tg = r.one("aws:lb/targetGroup:TargetGroup");
        assert.deepStrictEqual(tg.inputs, {
            name: "shop-prod-web-a1b2c3d4",
            targetType: "ip",
            protocol: "HTTP",
            port: 8080,
            vpcId: "vpc-network",
            deregistrationDelay: 30,
            healthCheck: { enabled: true, protocol: "HTTP", port: "traffic-port", path: "/healthz", matcher: "200-399", interval: 30, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
            tags: { Name: "shop-prod-web" },
        });
        // A replacement creates the new group (a new name) before the listener lets go of the old one.
        assert.strictEqual(tg.deleteBeforeReplace, false);
        const suffix = r.one("random:index/randomId:RandomId");
        assert.deepStrictEqual(suffix.inputs, { byteLength: 4, keepers: { port: "8080", vpcId: "vpc-network", protocol: "HTTP", targetType: "ip" } });
    });

    it("forwards the service's hosts and paths on the HTTPS listener at its priority", () => {
        const rule = r.one("aws:lb/listenerRule:ListenerRule");
        assert.deepStrictEqual(rule.inputs, {
            listenerArn: LISTENER,
            priority: 20,
            conditions: [{ hostHeader: { values: ["shop.example.com"] } }, { pathPattern: { values: ["/api/*", "/v2/*"] } }],
            actions: [{ type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-prod-web-a1b2c3d4/0123456789abcdef" }],
            tags: { Name: "shop-prod-web" },
        });
    });

    it("behind CloudFront, forwards only requests that carry the origin header, its value secret", async () => {
        const args = serviceArgs(webService());
        const header = { name: "X-Origin-Verify", values: [pulumi.secret("tokenABC123"), pulumi.secret("tokenOLD456")] };
        const behind = await run({ ...args, loadBalancer: { ...args.loadBalancer!, originHeader: header } });
        const rule = behind.one("aws:lb/listenerRule:ListenerRule");
        // A secret anywhere in the list makes the whole list secret, in state and in the engine's diff.
        assert.ok(isSecret(rule.inputs.conditions), "the conditions, holding the value, are secret");
        assert.deepStrictEqual(rule.inputs.conditions.value, [
            { hostHeader: { values: ["shop.example.com"] } },
            { pathPattern: { values: ["/*"] } },
            { httpHeader: { httpHeaderName: "X-Origin-Verify", values: ["tokenABC123", "tokenOLD456"] } },
        ]);
    });

    it("a rule with paths only has only a path condition", async () => {
        const only = await run(serviceArgs(webService({ routing: { hosts: [], paths: ["/admin/*"], priority: 5, healthCheckPath: "/health" } })));
        assert.deepStrictEqual(only.one("aws:lb/listenerRule:ListenerRule").inputs.conditions, [{ pathPattern: { values: ["/admin/*"] } }]);
    });

    it("target group names fit AWS's 32 characters, with the prefix cut and no trailing hyphen", () => {
        assert.strictEqual(targetGroupBase("shop-prod", "web"), "shop-prod-web");
        assert.strictEqual(targetGroupBase("point-of-sale-prod", "payments-api"), "point-of-sale-prod-paym");
        assert.strictEqual(targetGroupBase("point-of-sale-staging", "api"), "point-of-sale-staging-a");
        assert.strictEqual(targetGroupBase("point-of-sale-stagingx", "api"), "point-of-sale-stagingx");
        for (const base of ["point-of-sale-prod-paym", "point-of-sale-staging-a"]) assert.ok(`${base}-a1b2c3d4`.length <= 32);
    });
});
