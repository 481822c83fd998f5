import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "../infra/config/load";
import { Network, NetworkArgs } from "../infra/network/network";
import { Overrides, RecordedResource, Run, runUnderMocks } from "./harness";

/** What the network tests hand the component in place of the Keys output. */
export const KEY = "arn:aws:kms:eu-west-1:123456789012:key/logs";

/** The component as infra/main.ts builds it, with `change` applied to its arguments. */
export const networkProgram = (change: Partial<NetworkArgs> = {}) => () => {
    const c = loadConfig();
    return new Network("network", {
        config: c.network,
        namePrefix: `${c.app.name}-${c.environment}`,
        logsKmsKeyArn: KEY,
        region: c.region,
        documentDb: c.documentDb.enabled,
        protect: c.protectStatefulResources,
        loadBalancerIngress: c.edge.cloudFront ? "cloudfront" : "internet",
        ...change,
    });
};

export const runNetwork = (stack: string, overrides: Overrides = {}, opts: { firstPreview?: boolean } = {}) => runUnderMocks(networkProgram(), stack, overrides, opts);

export const T = {
    component: "baseline:network:Network",
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    routeTable: "aws:ec2/routeTable:RouteTable",
    association: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    route: "aws:ec2/route:Route",
    igw: "aws:ec2/internetGateway:InternetGateway",
    eip: "aws:ec2/eip:Eip",
    nat: "aws:ec2/natGateway:NatGateway",
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

export function valueOf<V>(output: pulumi.Output<V>): Promise<V> {
    return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** The resources an input of `r` came from (by property dependency), by name. */
export function sourcesOf(run: Run, r: RecordedResource, input: string): string[] {
    return (r.propertyDependencies[input] ?? []).map((u) => run.byUrn(u)?.name ?? `? ${u}`);
}

/** The one resource an input of `r` came from, by name (undefined when none). */
export function sourceOf(run: Run, r: RecordedResource, input: string): string | undefined {
    const names = sourcesOf(run, r, input);
    assert.ok(names.length <= 1, `${r.name}.${input} depends on ${names.length} resources`);
    return names[0];
}
