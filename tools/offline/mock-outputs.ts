import * as pulumi from "@pulumi/pulumi";

/**
 * Realistic outputs for the mock provider: what AWS would hand back after a create, so code that
 * builds ARNs, policies and subnet lists from outputs is exercised the way it runs on AWS.
 */

export const MOCK_ACCOUNT_ID = "123456789012";

/** aws:rds/instance:Instance → rds; awsx:ec2:Vpc → ec2 */
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

/**
 * Outputs for one resource: the inputs echoed back (as the engine does), plus computed ids,
 * ARNs and endpoints. `firstPreview` returns only the inputs: every computed output stays
 * unknown, as on the first `pulumi preview` of a new stack.
 */
export function mockResourceOutputs(args: pulumi.runtime.MockResourceArgs, region: string, firstPreview: boolean): { id: string | undefined; state: Record<string, any> } {
    const inputs = args.inputs ?? {};
    if (firstPreview) return { id: undefined, state: { ...inputs } };

    const name = args.name;
    const id = `${name}-id`;
    const state: Record<string, any> = { ...inputs, arn: arnFor(args.type, name, region) };

    switch (args.type) {
        case "awsx:ec2:Vpc": {
            const azs = (inputs.numberOfAvailabilityZones as number | undefined) ?? (inputs.availabilityZoneNames as string[] | undefined)?.length ?? 3;
            const ids = (tier: string) => AZ_LETTERS.slice(0, azs).map((az) => `subnet-${tier}-${az}`);
            const tiers = ["public", "private", "isolated"];
            Object.assign(state, {
                vpcId: `vpc-${name}`,
                publicSubnetIds: ids("public"),
                privateSubnetIds: ids("private"),
                isolatedSubnetIds: ids("isolated"),
                // awsx gives every subnet its own route table; on AWS these come back as resource references.
                routeTableAssociations: tiers.flatMap((tier) => ids(tier).map((subnetId) => ({ subnetId, routeTableId: subnetId.replace("subnet-", "rtb-") }))),
            });
            break;
        }
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
            });
            break;
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            Object.assign(state, {
                primaryEndpointAddress: `master.${name}.abcdef.${region}.cache.amazonaws.com`,
                readerEndpointAddress: `replica.${name}.abcdef.${region}.cache.amazonaws.com`,
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
            });
            break;
        case "aws:secretsmanager/secret:Secret":
            // Secrets Manager appends a dash and six random characters to the name.
            state.arn = `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:${inputs.name ?? name}-AbCdEf`;
            break;
        case "aws:cloudwatch/logGroup:LogGroup":
            state.arn = `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:log-group:${inputs.name ?? name}`;
            break;
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
            return { names: AZ_LETTERS.slice(0, 3).map((l) => `${region}${l}`), zoneIds: ["use1-az1", "use1-az2", "use1-az3"], id: region };
        case "aws:elb/getServiceAccount:getServiceAccount":
            return { arn: "arn:aws:iam::156460612806:root", id: "156460612806" };
        default:
            return args.inputs;
    }
}
