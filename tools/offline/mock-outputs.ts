import * as pulumi from "@pulumi/pulumi";
import { edgeOutputs, MOCK_HOSTED_ZONE_ID, mockPrefixList } from "./mock-edge-outputs";
import { MOCK_ACCOUNT_ID, mockHex, mockUuid } from "./mock-ids";

export { MOCK_ACCOUNT_ID, mockHex, mockUuid } from "./mock-ids";
export {
    CLOUDFRONT_HOSTED_ZONE_ID, CLOUDFRONT_ORIGIN_FACING_LIST_IDS, MOCK_HOSTED_ZONE_ID, mockCertificateArn, mockLoadBalancerArnSuffix, mockValidationRecord,
    mockWafArn, ProviderRegions,
} from "./mock-edge-outputs";

/**
 * Realistic outputs for the mock provider: what AWS would hand back after a create, so code that
 * builds ARNs, policies and subnet lists from outputs is exercised the way it runs on AWS.
 */

/** aws:rds/instance:Instance → rds */
const service = (type: string) => type.split(":")[1]?.split("/")[0] ?? "unknown";

function arnFor(type: string, name: string, region: string): string {
    const svc = service(type);
    const kind = type.split(":").pop()!.replace(/^[A-Z]/, (c) => c.toLowerCase());
    if (svc === "s3") return `arn:aws:s3:::${name}`;
    if (svc === "iam") return `arn:aws:iam::${MOCK_ACCOUNT_ID}:${kind}/${name}`;
    if (svc === "cloudwatch" && kind === "logGroup") return `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:log-group:${name}`;
    return `arn:aws:${svc}:${region}:${MOCK_ACCOUNT_ID}:${kind}/${name}`;
}

const AZ_LETTERS = ["a", "b", "c", "d", "e", "f"];

/** Direction words of region names as AWS abbreviates them in zone ids (`eu-west-1` → `euw1`, `ap-southeast-2` → `apse2`). */
const DIRECTIONS: Record<string, string> = {
    north: "n", south: "s", east: "e", west: "w", central: "c", northeast: "ne", northwest: "nw", southeast: "se", southwest: "sw", gov: "g",
};

/** `eu-west-1` → `euw1`, `us-gov-west-1` → `usgw1`: the prefix of the region's zone ids. */
export function zoneIdPrefix(region: string): string {
    const [area, ...rest] = region.split("-");
    return area + rest.map((w) => (/^\d+$/.test(w) ? w : DIRECTIONS[w] ?? w[0])).join("");
}

/** The region's first three zones: names `eu-west-1a..c`, ids `euw1-az1..3`. (Which id a name maps to differs per account on AWS.) */
export function mockZones(region: string): { names: string[]; zoneIds: string[] } {
    return { names: AZ_LETTERS.slice(0, 3).map((l) => `${region}${l}`), zoneIds: [1, 2, 3].map((n) => `${zoneIdPrefix(region)}-az${n}`) };
}

const ec2Arn = (region: string, kind: string, id: string) => `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:${kind}/${id}`;

/**
 * A subnet's id names its tier and AZ (`subnet-isolated-a`), from its `SubnetType` tag and zone, so
 * every test that hands subnets on reads which ones it got; other EC2 ids are AWS's prefix and the
 * logical name (`rtb-network-private-1`, `nat-network-nat-1`).
 */
function subnetId(name: string, inputs: Record<string, any>): string {
    const tier = typeof inputs.tags?.SubnetType === "string" ? inputs.tags.SubnetType.toLowerCase() : undefined;
    const zone = typeof inputs.availabilityZone === "string" ? inputs.availabilityZone.slice(-1) : undefined;
    return tier && zone ? `subnet-${tier}-${zone}` : `subnet-${name}`;
}

/** What EC2 returns for the VPC's resources: ids with AWS's prefixes, ARNs, and the defaults AWS fills in. */
function ec2Outputs(type: string, name: string, inputs: Record<string, any>, region: string): { id: string; state: Record<string, any> } {
    const echo = (id: string, kind: string | undefined, extra: Record<string, any> = {}) => ({
        id,
        state: { ...inputs, id, ...(kind ? { arn: ec2Arn(region, kind, id) } : {}), ...extra },
    });
    switch (type) {
        case "aws:ec2/vpc:Vpc": {
            const id = `vpc-${name}`;
            // AWS creates a main route table, a default security group and a default network ACL with every VPC.
            return echo(id, "vpc", {
                ownerId: MOCK_ACCOUNT_ID, instanceTenancy: inputs.instanceTenancy ?? "default",
                enableDnsSupport: inputs.enableDnsSupport ?? true, enableDnsHostnames: inputs.enableDnsHostnames ?? false,
                mainRouteTableId: `rtb-${name}-main`, defaultRouteTableId: `rtb-${name}-main`, defaultSecurityGroupId: `sg-${name}-default`,
                defaultNetworkAclId: `acl-${name}-default`, dhcpOptionsId: "dopt-0a1b2c3d", ipv6CidrBlock: "", ipv6AssociationId: "",
            });
        }
        case "aws:ec2/subnet:Subnet": {
            const zones = mockZones(region);
            const zoneIndex = zones.names.indexOf(inputs.availabilityZone);
            return echo(subnetId(name, inputs), "subnet", {
                ownerId: MOCK_ACCOUNT_ID, availabilityZoneId: zoneIndex >= 0 ? zones.zoneIds[zoneIndex] : undefined,
                mapPublicIpOnLaunch: inputs.mapPublicIpOnLaunch ?? false, assignIpv6AddressOnCreation: inputs.assignIpv6AddressOnCreation ?? false, ipv6CidrBlock: "",
            });
        }
        case "aws:ec2/routeTable:RouteTable":
            return echo(`rtb-${name}`, "route-table", { ownerId: MOCK_ACCOUNT_ID, propagatingVgws: [] });
        case "aws:ec2/routeTableAssociation:RouteTableAssociation":
            return echo(`rtbassoc-${name}`, undefined);
        case "aws:ec2/route:Route":
            // The provider's id: "r-", the table's id and a hash of the destination (1080289494 for 0.0.0.0/0).
            return echo(`r-${inputs.routeTableId ?? name}1080289494`, undefined, { origin: "CreateRoute", state: "active" });
        case "aws:ec2/internetGateway:InternetGateway":
            return echo(`igw-${name}`, "internet-gateway", { ownerId: MOCK_ACCOUNT_ID });
        case "aws:ec2/eip:Eip": {
            const id = `eipalloc-${name}`;
            return echo(id, "elastic-ip", { allocationId: id, domain: inputs.domain ?? "vpc", publicIp: "203.0.113.10", publicDns: `ec2-203-0-113-10.${region}.compute.amazonaws.com` });
        }
        default: // aws:ec2/natGateway:NatGateway
            return echo(`nat-${name}`, "natgateway", {
                connectivityType: inputs.connectivityType ?? "public", networkInterfaceId: `eni-${name}`, privateIp: "10.0.0.10", publicIp: "203.0.113.10",
            });
    }
}

/**
 * Outputs for one resource: the inputs echoed back (as the engine does), plus computed ids,
 * ARNs and endpoints. `firstPreview` returns only the inputs: every computed output stays
 * unknown, as on the first `pulumi preview` of a new stack.
 */
export function mockResourceOutputs(args: pulumi.runtime.MockResourceArgs, region: string, firstPreview: boolean): { id: string | undefined; state: Record<string, any> } {
    const inputs = args.inputs ?? {};
    if (firstPreview) return { id: undefined, state: { ...inputs } };
    const out = createdOutputs(args, inputs, region);
    // aws v7 reports the region a regional resource lives in (its own `region` argument, else its provider's).
    if (args.type.startsWith("aws:") && !GLOBAL_SERVICES.has(service(args.type))) out.state = { region, ...out.state };
    return out;
}

/** Services without regions: their resources have no `region` output. */
const GLOBAL_SERVICES = new Set(["iam", "cloudfront", "route53"]);

function createdOutputs(args: pulumi.runtime.MockResourceArgs, inputs: Record<string, any>, region: string): { id: string; state: Record<string, any> } {
    const name = args.name;
    const id = `${name}-id`;
    const state: Record<string, any> = { ...inputs, arn: arnFor(args.type, name, region) };
    const compute = computeOutputs(args.type, name, inputs, region);
    if (compute) return { id: compute.id ?? id, state: { ...state, ...compute.state } };
    const edge = edgeOutputs(args.type, name, inputs, region);
    if (edge) return edge;

    switch (args.type) {
        case "aws:ec2/vpc:Vpc":
        case "aws:ec2/subnet:Subnet":
        case "aws:ec2/routeTable:RouteTable":
        case "aws:ec2/routeTableAssociation:RouteTableAssociation":
        case "aws:ec2/route:Route":
        case "aws:ec2/internetGateway:InternetGateway":
        case "aws:ec2/eip:Eip":
        case "aws:ec2/natGateway:NatGateway":
            return ec2Outputs(args.type, name, inputs, region);
        case "aws:s3/bucket:Bucket": {
            const bucket = inputs.bucket ?? `${inputs.bucketPrefix ?? name}-0a1b2c3d`;
            Object.assign(state, { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com` });
            return { id: bucket, state };
        }
        case "aws:kms/key:Key":
            Object.assign(state, { keyId: `${name}-key-id`, arn: `arn:aws:kms:${region}:${MOCK_ACCOUNT_ID}:key/${name}-key-id` });
            break;
        case "aws:rds/instance:Instance":
            Object.assign(state, {
                address: `${name}.abcdefgh.${region}.rds.amazonaws.com`,
                endpoint: `${name}.abcdefgh.${region}.rds.amazonaws.com:5432`,
                port: inputs.port ?? 5432,
                // RDS creates the secret only when it manages the password.
                masterUserSecrets: inputs.manageMasterUserPassword === true
                    ? [{ secretArn: `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:rds!db-${name}-AbCdEf`, kmsKeyId: inputs.masterUserSecretKmsKeyId, secretStatus: "active" }]
                    : [],
                resourceId: `db-${name.toUpperCase()}`,
                arn: `arn:aws:rds:${region}:${MOCK_ACCOUNT_ID}:db:${inputs.identifier ?? name}`,
            });
            break;
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            Object.assign(state, {
                primaryEndpointAddress: `master.${name}.abcdef.${region}.cache.amazonaws.com`,
                readerEndpointAddress: `replica.${name}.abcdef.${region}.cache.amazonaws.com`,
                // ElastiCache names each member cluster (one node) after the group: <group>-001, -002...
                memberClusters: Array.from({ length: inputs.numCacheClusters ?? 1 }, (_, i) => `${inputs.replicationGroupId ?? name}-${String(i + 1).padStart(3, "0")}`),
                arn: `arn:aws:elasticache:${region}:${MOCK_ACCOUNT_ID}:replicationgroup:${inputs.replicationGroupId ?? name}`,
            });
            break;
        case "aws:docdb/cluster:Cluster":
            Object.assign(state, {
                endpoint: `${name}.cluster-abcdef.${region}.docdb.amazonaws.com`,
                readerEndpoint: `${name}.cluster-ro-abcdef.${region}.docdb.amazonaws.com`,
                port: inputs.port ?? 27017,
                masterUserSecrets: inputs.manageMasterUserPassword === true
                    ? [{ secretArn: `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:rds!cluster-${name}-AbCdEf`, secretStatus: "active" }]
                    : [],
                arn: `arn:aws:rds:${region}:${MOCK_ACCOUNT_ID}:cluster:${inputs.clusterIdentifier ?? name}`,
            });
            break;
        case "aws:sns/topic:Topic": {
            // SNS topic ARNs end with the topic's name after a colon; the provider's id is the ARN.
            const arn = `arn:aws:sns:${region}:${MOCK_ACCOUNT_ID}:${inputs.name ?? name}`;
            return { id: arn, state: { ...state, arn, name: inputs.name ?? name, owner: MOCK_ACCOUNT_ID } };
        }
        case "aws:docdb/clusterInstance:ClusterInstance":
            state.arn = `arn:aws:rds:${region}:${MOCK_ACCOUNT_ID}:db:${inputs.identifier ?? name}`;
            break;
        case "aws:secretsmanager/secret:Secret":
            // Secrets Manager appends a dash and six random characters to the name.
            state.arn = `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:${inputs.name ?? name}-AbCdEf`;
            break;
        case "aws:cloudwatch/logGroup:LogGroup":
            state.arn = `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:log-group:${inputs.name ?? name}`;
            break;
        case "aws:cloudwatch/metricAlarm:MetricAlarm":
            // CloudWatch: `...:alarm:<name>` (what an alert topic's policy matches with aws:SourceArn); the id is the name.
            state.arn = `arn:aws:cloudwatch:${region}:${MOCK_ACCOUNT_ID}:alarm:${inputs.name ?? name}`;
            return { id: inputs.name ?? name, state };
        case "aws:cloudwatch/dashboard:Dashboard":
            // Dashboards are global: `arn:aws:cloudwatch::<account>:dashboard/<name>`; the id is the name.
            Object.assign(state, { dashboardArn: `arn:aws:cloudwatch::${MOCK_ACCOUNT_ID}:dashboard/${inputs.dashboardName ?? name}` });
            delete state.arn;
            return { id: inputs.dashboardName ?? name, state };
        case "aws:ssm/parameter:Parameter":
            // A parameter's ARN drops the name's leading slash: /pos/prod/KEY → parameter/pos/prod/KEY.
            state.arn = `arn:aws:ssm:${region}:${MOCK_ACCOUNT_ID}:parameter/${String(inputs.name ?? name).replace(/^\//, "")}`;
            break;
        case "aws:cloudtrail/trail:Trail":
            // CloudTrail names a trail by its name (its id is the ARN); its home region is the provider's.
            Object.assign(state, { arn: `arn:aws:cloudtrail:${region}:${MOCK_ACCOUNT_ID}:trail/${inputs.name ?? name}`, homeRegion: region });
            return { id: state.arn, state };
        case "aws:backup/vault:Vault":
            // AWS Backup: the vault's id is its name, its ARN `...:backup-vault:<name>` in its own region.
            Object.assign(state, { arn: `arn:aws:backup:${region}:${MOCK_ACCOUNT_ID}:backup-vault:${inputs.name ?? name}`, name: inputs.name ?? name, recoveryPoints: 0 });
            return { id: inputs.name ?? name, state };
        case "aws:backup/plan:Plan": {
            // A plan's id is a UUID; its ARN ends `:backup-plan:<id>`.
            const planId = mockUuid(`backup-plan:${name}`);
            Object.assign(state, { arn: `arn:aws:backup:${region}:${MOCK_ACCOUNT_ID}:backup-plan:${planId}`, version: mockHex(`version:${name}`, 32) });
            return { id: planId, state };
        }
        case "random:index/randomId:RandomId":
            Object.assign(state, { hex: "a1b2c3d4", b64Std: "obLD1A==", dec: "2712847316" });
            break;
        case "random:index/randomPassword:RandomPassword":
            state.result = "mock-generated-password-0123456789abcdef";
            break;
    }
    return { id, state };
}

/** Data sources the program calls. */
export function mockCall(args: pulumi.runtime.MockCallArgs, region: string): Record<string, any> {
    switch (args.token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/ci`, userId: "AIDAMOCK" };
        case "aws:index/getRegion:getRegion":
            return { name: region, region, id: region, description: region, endpoint: `ec2.${region}.amazonaws.com` };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            // The inputs (state, filters) come back with the zones, as the provider echoes its arguments.
            return { ...args.inputs, ...mockZones(region), groupNames: [region], id: region };
        case "aws:route53/getZone:getZone":
            // The public hosted zone asked for by name, as Route 53 holds it.
            return {
                ...args.inputs, id: MOCK_HOSTED_ZONE_ID, zoneId: MOCK_HOSTED_ZONE_ID, arn: `arn:aws:route53:::hostedzone/${MOCK_HOSTED_ZONE_ID}`,
                name: args.inputs.name, privateZone: false, comment: "", callerReference: "mock", resourceRecordSetCount: 4,
                nameServers: ["ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk", "ns-3.awsdns-03.com", "ns-4.awsdns-04.net"],
            };
        case "aws:ec2/getManagedPrefixList:getManagedPrefixList":
            return mockPrefixList(args.inputs, region);
        case "aws:elb/getServiceAccount:getServiceAccount":
            return { arn: "arn:aws:iam::156460612806:root", id: "156460612806" };
        case "aws:secretsmanager/getSecret:getSecret": {
            // Secrets Manager appends a dash and six random characters to the name.
            const secretName = args.inputs.name ?? "secret";
            return { ...args.inputs, name: secretName, arn: `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:${secretName}-AbCdEf`, id: secretName };
        }
        default:
            return args.inputs;
    }
}

const ecsArn = (region: string, kind: string, name: string) => `arn:aws:ecs:${region}:${MOCK_ACCOUNT_ID}:${kind}/${name}`;

/**
 * What ECR, ECS, Application Auto Scaling, IAM and target groups report for the compute tier: names
 * as given, ARNs in AWS's formats, the repository URL and the ARN suffix load balancer metrics use.
 */
function computeOutputs(type: string, name: string, inputs: Record<string, any>, region: string): { id?: string; state: Record<string, any> } | undefined {
    switch (type) {
        case "aws:ecr/repository:Repository": {
            const repo = inputs.name ?? name;
            return {
                id: repo,
                state: { arn: `arn:aws:ecr:${region}:${MOCK_ACCOUNT_ID}:repository/${repo}`, registryId: MOCK_ACCOUNT_ID, repositoryUrl: `${MOCK_ACCOUNT_ID}.dkr.ecr.${region}.amazonaws.com/${repo}` },
            };
        }
        case "aws:ecs/cluster:Cluster": {
            const arn = ecsArn(region, "cluster", inputs.name ?? name);
            return { id: arn, state: { arn, name: inputs.name ?? name } };
        }
        case "aws:ecs/taskDefinition:TaskDefinition": {
            const family = inputs.family ?? name;
            const arn = ecsArn(region, "task-definition", `${family}:1`);
            return { id: family, state: { arn, arnWithoutRevision: ecsArn(region, "task-definition", family), family, revision: 1 } };
        }
        case "aws:ecs/service:Service": {
            const cluster = typeof inputs.cluster === "string" ? inputs.cluster.split("/").pop() : "default";
            const arn = ecsArn(region, "service", `${cluster}/${inputs.name ?? name}`);
            return { id: arn, state: { arn, name: inputs.name ?? name } };
        }
        case "aws:appautoscaling/target:Target":
            return { id: inputs.resourceId, state: { arn: `arn:aws:application-autoscaling:${region}:${MOCK_ACCOUNT_ID}:scalable-target/${name}` } };
        case "aws:iam/role:Role": {
            // IAM reports a role's name as its id; with `namePrefix` the provider appends a 26-digit unique suffix.
            // Roles with neither keep the generic mock id.
            const roleName = inputs.name ?? (inputs.namePrefix ? `${inputs.namePrefix}${mockHex(`role:${name}`, 26)}` : undefined);
            return roleName ? { id: roleName, state: { name: roleName, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${roleName}` } } : undefined;
        }
        case "aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
            // IAM names a provider by its issuer's host and path: `oidc-provider/token.actions.githubusercontent.com`.
            const arn = `arn:aws:iam::${MOCK_ACCOUNT_ID}:oidc-provider/${String(inputs.url ?? name).replace(/^https:\/\//, "")}`;
            return { id: arn, state: { arn } };
        }
        case "aws:iam/policy:Policy": {
            const arn = `arn:aws:iam::${MOCK_ACCOUNT_ID}:policy/${inputs.name ?? name}`;
            return { id: arn, state: { arn, name: inputs.name ?? name } };
        }
        case "aws:lb/targetGroup:TargetGroup": {
            const suffix = `targetgroup/${inputs.name ?? name}/0123456789abcdef`;
            const arn = `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT_ID}:${suffix}`;
            return { id: arn, state: { arn, arnSuffix: suffix, name: inputs.name ?? name } };
        }
        default:
            return undefined;
    }
}
