import * as assert from "assert";
import * as aws from "@pulumi/aws";
import { Cluster, ClusterArgs } from "../infra/compute/cluster";
import { KEYS, clusterArgs } from "./compute-fixtures";
import { valueOf } from "./data-fixtures";
import { Run, runUnderMocks } from "./harness";

const CLUSTER = "aws:ecs/cluster:Cluster";
const EXEC_KEY = "arn:aws:kms:eu-west-1:123456789012:key/exec-key-id";

async function runCluster(args: ClusterArgs) {
    let component: Cluster | undefined;
    const run = await runUnderMocks(() => {
        component = new Cluster("cluster", args);
    }, "prod");
    return { run, component: component! };
}

describe("compute Cluster", () => {
    describe("ECS Exec off (the default)", () => {
        let run: Run;
        let component: Cluster;
        before(async () => {
            ({ run, component } = await runCluster(clusterArgs()));
        });

        it("is named after the stack, with enhanced Container Insights and no execute-command configuration", () => {
            assert.deepStrictEqual(run.one(CLUSTER).inputs, {
                name: "shop-prod",
                settings: [{ name: "containerInsights", value: "enhanced" }],
                tags: { Name: "shop-prod" },
            });
            assert.deepStrictEqual(run.ofType("aws:cloudwatch/logGroup:LogGroup"), []);
            assert.strictEqual(component.executeCommand, undefined);
        });

        it("offers Fargate and Fargate Spot, Fargate by default", () => {
            const providers = run.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders");
            assert.deepStrictEqual(providers.inputs, {
                clusterName: "shop-prod",
                capacityProviders: ["FARGATE", "FARGATE_SPOT"],
                defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
            });
            assert.deepStrictEqual(providers.propertyDependencies.clusterName, [run.one(CLUSTER).urn]);
        });

        it("outputs the cluster's ARN and name only once the capacity providers are attached", async () => {
            assert.strictEqual(await valueOf(component.arn), "arn:aws:ecs:eu-west-1:123456789012:cluster/shop-prod");
            assert.strictEqual(await valueOf(component.name), "shop-prod");
            // A resource built from `arn` depends on the providers: a Spot service cannot start before they exist.
            const probed = await runUnderMocks(() => {
                const cluster = new Cluster("cluster", clusterArgs());
                new aws.ecs.Service("probe", { cluster: cluster.arn });
            }, "prod");
            const probe = probed.one("aws:ecs/service:Service", "probe");
            assert.ok(probe.dependencies.includes(probed.one("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders").urn));
        });

        it("can keep only cluster-level insights", async () => {
            const { run: basic } = await runCluster(clusterArgs({ containerInsights: "enabled" }));
            assert.deepStrictEqual(basic.one(CLUSTER).inputs.settings, [{ name: "containerInsights", value: "enabled" }]);
        });
    });

    describe("ECS Exec on", () => {
        let run: Run;
        let component: Cluster;
        before(async () => {
            ({ run, component } = await runCluster(clusterArgs({ enableExecuteCommand: true, execKmsKeyArn: EXEC_KEY })));
        });

        it("logs every session to its own encrypted group, and encrypts session data with the given key", () => {
            assert.deepStrictEqual(run.one(CLUSTER).inputs.configuration, {
                executeCommandConfiguration: {
                    kmsKeyId: EXEC_KEY,
                    logging: "OVERRIDE",
                    logConfiguration: { cloudWatchLogGroupName: "/ecs-exec/shop-prod", cloudWatchEncryptionEnabled: true },
                },
            });
            const group = run.one("aws:cloudwatch/logGroup:LogGroup");
            assert.deepStrictEqual(group.inputs, { name: "/ecs-exec/shop-prod", retentionInDays: 365, kmsKeyId: KEYS.logs, tags: { Name: "/ecs-exec/shop-prod" } });
            assert.strictEqual(group.retainOnDelete, true);
            assert.ok(run.one(CLUSTER).dependencies.includes(group.urn), "the cluster would point at a log group that does not exist yet");
            assert.deepStrictEqual(component.executeCommand, { logGroupName: "/ecs-exec/shop-prod", kmsKeyArn: EXEC_KEY });
        });

        it("staging does not keep the session log on destroy", async () => {
            const { run: staging } = await runCluster(clusterArgs({ namePrefix: "shop-staging", enableExecuteCommand: true, execKmsKeyArn: EXEC_KEY, protect: false, logRetentionDays: 30 }));
            const group = staging.one("aws:cloudwatch/logGroup:LogGroup");
            assert.deepStrictEqual([group.inputs.name, group.inputs.retentionInDays, group.retainOnDelete], ["/ecs-exec/shop-staging", 30, false]);
        });

        it("every child hangs under the component", () => {
            const root = run.one("baseline:compute:Cluster");
            for (const r of run.resources.filter((x) => x !== root)) assert.strictEqual(r.parent, root.urn, r.name);
        });
    });

    describe("validation, before anything is registered", () => {
        const rejects = async (args: ClusterArgs, message: string) => {
            const run = await runUnderMocks(() => assert.throws(() => new Cluster("cluster", args), { message: `Cluster "cluster" has invalid arguments:\n  - ${message}` }), "prod");
            assert.deepStrictEqual(run.resources, []);
        };

        it("ECS Exec without a session key", () => rejects(clusterArgs({ enableExecuteCommand: true }), "execKmsKeyArn: ECS Exec is on, so its sessions need a KMS key to encrypt them"));
        it("a name prefix AWS would refuse", () => rejects(clusterArgs({ namePrefix: "Shop_Prod" }), 'namePrefix "Shop_Prod": expected lowercase letters and digits in words joined by single hyphens, such as "pos-prod"'));
        it("an unknown Container Insights mode", () => rejects(clusterArgs({ containerInsights: "disabled" as any }), 'containerInsights "disabled": expected "enhanced" or "enabled"'));
    });
});
