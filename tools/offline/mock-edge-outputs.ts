import { MOCK_ACCOUNT_ID, mockCloudFrontId, mockHex, mockUuid } from "./mock-ids";

/**
 * What AWS hands back for the edge tier (load balancer, certificates, DNS, WAF, CloudFront, CloudWatch
 * Logs delivery), and which region each resource or invoke acts in when an explicit provider is used.
 */

/** Id of the public hosted zone `aws.route53.getZone` finds. */
export const MOCK_HOSTED_ZONE_ID = "Z0123456789MOCKZONE";

/** Canonical hosted zone of application load balancers per region (eu-west-1's is AWS's real one). */
const ALB_ZONE_IDS: Record<string, string> = { "eu-west-1": "Z32O12XQLNTSW2" };

/** The hosted zone every CloudFront distribution's alias records point at (AWS's fixed value). */
export const CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2";

/** CLOUDFRONT-scope WAF objects and CloudFront's viewer certificates exist only in this region. */
export const CLOUDFRONT_REGION = "us-east-1";

/**
 * Ids of the AWS-managed prefix list `com.amazonaws.global.cloudfront.origin-facing`: one list per region,
 * each with its own id. Other regions get a made-up `pl-` id.
 */
export const CLOUDFRONT_ORIGIN_FACING_LIST_IDS: Record<string, string> = {
    "ap-northeast-1": "pl-58a04531", "ap-northeast-2": "pl-22a6434b", "ap-south-1": "pl-9aa247f3", "ap-southeast-1": "pl-31a34658",
    "ap-southeast-2": "pl-b8a742d1", "ca-central-1": "pl-38a64351", "eu-central-1": "pl-a3a144ca", "eu-north-1": "pl-fab65393",
    "eu-west-1": "pl-4fa04526", "eu-west-2": "pl-93a247fa", "eu-west-3": "pl-75b1541c", "sa-east-1": "pl-5da64334",
    "us-east-1": "pl-3b927c52", "us-east-2": "pl-b6a144df", "us-west-1": "pl-4ea04527", "us-west-2": "pl-82a045eb",
};
export const CLOUDFRONT_ORIGIN_FACING_LIST_NAME = "com.amazonaws.global.cloudfront.origin-facing";

/** An error in the shape the provider reports AWS's refusal (`<code>: <message>`). */
const awsError = (code: string, message: string) => new Error(`${code}: ${message}`);

/** The value inside the SDK's secret wrapper, or the value itself. */
const plain = (v: any): any => (v && typeof v === "object" && "4dabf18193072939515e22adb298388d" in v ? v.value : v);

/**
 * The aws providers a program registers, by URN, with their regions. A resource or invoke reaches the
 * mock with `provider` = `<provider urn>::<provider id>` (children of a component given `providers` get
 * the component's); the id is unknown at a first preview, so the URN is the key.
 */
export class ProviderRegions {
    private readonly byUrn = new Map<string, string>();
    constructor(readonly stackRegion: string) {}

    /** Record a registration the engine has answered (only `pulumi:providers:aws` ones are kept). */
    record(urn: string, type: string, inputs: Record<string, any>): void {
        if (type !== "pulumi:providers:aws") return;
        // An explicit provider reads no stack config; the SDK fills `region` from AWS_REGION when not given.
        const region = plain(inputs.region);
        this.byUrn.set(urn, typeof region === "string" && region !== "" ? region : this.stackRegion);
    }

    /** The region of the provider a reference names, if it is an aws provider this run registered. */
    providerRegion(ref: string | undefined): string | undefined {
        if (!ref) return undefined;
        const cut = ref.lastIndexOf("::");
        return this.byUrn.get(cut > 0 ? ref.slice(0, cut) : ref);
    }

    /** Where a resource or invoke acts: its own `region` argument (aws v7), else its provider's, else the stack's. */
    regionFor(args: { provider?: string; inputs?: Record<string, any> }): string {
        const own = plain(args.inputs?.region);
        if (typeof own === "string" && own !== "") return own;
        return this.providerRegion(args.provider) ?? this.stackRegion;
    }
}

/** The CNAME ACM asks for to validate `name` (a wildcard shares its base name's record). */
export function mockValidationRecord(name: string): { resourceRecordName: string; resourceRecordType: string; resourceRecordValue: string } {
    const base = name.replace(/^\*\./, "");
    return { resourceRecordName: `_${mockHex(base, 32)}.${base}.`, resourceRecordType: "CNAME", resourceRecordValue: `_${mockHex(`value:${base}`, 32)}.acm-validations.aws.` };
}

/** `app/<name>/<16 hex>`: the tail of a mock application load balancer's ARN. */
export const mockLoadBalancerArnSuffix = (lbName: string): string => `app/${lbName}/${mockHex(lbName, 16)}`;

/** ARN of the mock certificate registered as `name` in `region`. */
export const mockCertificateArn = (region: string, name: string): string => `arn:aws:acm:${region}:${MOCK_ACCOUNT_ID}:certificate/${mockUuid(name)}`;

/** `arn:aws:wafv2:<region>:<account>:global|regional/<kind>/<name>/<id>`: CLOUDFRONT scope is `global`. */
export function mockWafArn(region: string, scope: string | undefined, kind: "webacl" | "ipset", name: string, id: string): string {
    return `arn:aws:wafv2:${region}:${MOCK_ACCOUNT_ID}:${scope === "CLOUDFRONT" ? "global" : "regional"}/${kind}/${name}/${id}`;
}

/** WCUs AWS publishes for its managed rule groups; other statements are counted at their base cost or 1. */
const MANAGED_GROUP_WCUS: Record<string, number> = {
    AWSManagedRulesCommonRuleSet: 700, AWSManagedRulesKnownBadInputsRuleSet: 200, AWSManagedRulesSQLiRuleSet: 200, AWSManagedRulesLinuxRuleSet: 200,
    AWSManagedRulesAmazonIpReputationList: 25, AWSManagedRulesAnonymousIpList: 50, AWSManagedRulesAdminProtectionRuleSet: 100,
    AWSManagedRulesPHPRuleSet: 100, AWSManagedRulesWordPressRuleSet: 100, AWSManagedRulesBotControlRuleSet: 50,
};

/** An estimate of a statement's WCUs: managed groups as published, rate-based 2 plus its scope-down, the rest 1. */
function statementCapacity(s: any): number {
    if (!s || typeof s !== "object") return 1;
    if (s.managedRuleGroupStatement) return MANAGED_GROUP_WCUS[s.managedRuleGroupStatement.name] ?? 1;
    if (s.rateBasedStatement) return 2 + (s.rateBasedStatement.scopeDownStatement ? statementCapacity(s.rateBasedStatement.scopeDownStatement) : 0);
    for (const group of ["andStatement", "orStatement"]) if (s[group]) return (s[group].statements ?? []).reduce((n: number, x: any) => n + statementCapacity(x), 0);
    if (s.notStatement) return statementCapacity(s.notStatement.statement);
    return 1;
}

/** A made-up delivery id: 16 letters and digits, like CloudWatch Logs' (`jsoGVi4Zq8VlYp9n`). */
function deliveryId(text: string): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const hex = mockHex(text, 32);
    return Array.from({ length: 16 }, (_, i) => alphabet[parseInt(hex.slice(2 * i, 2 * i + 2), 16) % alphabet.length]).join("");
}

/** `aws:ec2/getManagedPrefixList`: found by `name`, a `prefix-list-name` filter or `id`, in the caller's region. */
export function mockPrefixList(inputs: Record<string, any>, region: string): Record<string, any> {
    const byFilter = (inputs.filters ?? []).find((f: any) => f.name === "prefix-list-name")?.values?.[0];
    const name: string = inputs.name ?? byFilter ?? CLOUDFRONT_ORIGIN_FACING_LIST_NAME;
    const cloudFront = name === CLOUDFRONT_ORIGIN_FACING_LIST_NAME;
    const id: string = inputs.id ?? (cloudFront ? CLOUDFRONT_ORIGIN_FACING_LIST_IDS[region] : undefined) ?? `pl-${mockHex(`${region}:${name}`, 8)}`;
    return {
        ...inputs, id, name, region, arn: `arn:aws:ec2:${region}:aws:prefix-list/${id}`, ownerId: "AWS", addressFamily: "IPv4", version: 1, tags: {},
        // 55 is the weight AWS documents for the CloudFront list (what it counts for against a security group's rules).
        maxEntries: cloudFront ? 55 : 1,
        // Stand-ins (documentation ranges): AWS's list holds CloudFront's current origin-facing ranges.
        entries: [{ cidr: "192.0.2.0/24", description: "" }, { cidr: "198.51.100.0/24", description: "" }, { cidr: "203.0.113.0/24", description: "" }],
    };
}

type Outputs = { id: string; state: Record<string, any> };

/** Outputs of the edge resources in AWS's formats, or undefined for other types. */
export function edgeOutputs(type: string, name: string, inputs: Record<string, any>, region: string): Outputs | undefined {
    const elbArn = (kind: string, path: string) => `arn:aws:elasticloadbalancing:${region}:${MOCK_ACCOUNT_ID}:${kind}/${path}`;
    const cloudFrontArn = (kind: string, id: string) => `arn:aws:cloudfront::${MOCK_ACCOUNT_ID}:${kind}/${id}`;
    const tagsAll = inputs.tags ?? {};
    switch (type) {
        case "aws:lb/loadBalancer:LoadBalancer": {
            const lbName = inputs.name ?? name;
            const arnSuffix = mockLoadBalancerArnSuffix(lbName);
            const arn = elbArn("loadbalancer", arnSuffix);
            return {
                id: arn,
                state: { ...inputs, arn, arnSuffix, dnsName: `${lbName}-${parseInt(mockHex(lbName, 8), 16)}.${region}.elb.amazonaws.com`, zoneId: ALB_ZONE_IDS[region] ?? "Z0MOCKALBZONE", vpcId: "vpc-mock" },
            };
        }
        case "aws:lb/listener:Listener": {
            const lb = typeof inputs.loadBalancerArn === "string" ? inputs.loadBalancerArn.split(":loadbalancer/")[1] : `app/unknown/${mockHex(name, 16)}`;
            const arn = elbArn("listener", `${lb}/${mockHex(name, 16)}`);
            return { id: arn, state: { ...inputs, arn } };
        }
        case "aws:acm/certificate:Certificate": {
            const arn = mockCertificateArn(region, name);
            const names: string[] = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])];
            return { id: arn, state: { ...inputs, arn, status: "PENDING_VALIDATION", domainValidationOptions: names.map((n) => ({ domainName: n, ...mockValidationRecord(n) })) } };
        }
        case "aws:route53/record:Record": { // A, AAAA, CNAME alike; the provider reports the name without its final dot
            const fqdn = String(inputs.name ?? name).replace(/\.$/, "");
            return { id: `${inputs.zoneId}_${fqdn}_${inputs.type}`, state: { ...inputs, fqdn } };
        }
        case "aws:wafv2/webAcl:WebAcl":
        case "aws:wafv2/ipSet:IpSet": {
            if (inputs.scope === "CLOUDFRONT" && region !== CLOUDFRONT_REGION) {
                // WAF refuses the CLOUDFRONT scope outside us-east-1.
                throw awsError("WAFInvalidParameterException", `Error reason: The scope is not valid., field: SCOPE_VALUE, parameter: CLOUDFRONT (${type} ${name} in ${region}; CLOUDFRONT scope needs ${CLOUDFRONT_REGION})`);
            }
            const kind = type === "aws:wafv2/webAcl:WebAcl" ? "webacl" : "ipset";
            const wafName: string = inputs.name ?? (inputs.namePrefix ? `${inputs.namePrefix}${mockHex(name, 26)}` : `${name}-${mockHex(name, 7)}`);
            const id = mockUuid(`${kind}:${wafName}`);
            const state: Record<string, any> = { ...inputs, name: wafName, arn: mockWafArn(region, inputs.scope, kind, wafName, id), lockToken: mockUuid(`lock:${id}`), tagsAll };
            if (kind === "webacl") state.capacity = (inputs.rules ?? []).reduce((n: number, r: any) => n + statementCapacity(r.statement), 0);
            return { id, state };
        }
        case "aws:wafv2/webAclAssociation:WebAclAssociation":
            return { id: `${inputs.webAclArn},${inputs.resourceArn}`, state: { ...inputs } };
        case "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration":
            return { id: inputs.resourceArn, state: { ...inputs } };
        case "aws:cloudfront/distribution:Distribution": {
            const cert = inputs.viewerCertificate?.acmCertificateArn;
            if (typeof cert === "string" && cert.split(":")[3] !== CLOUDFRONT_REGION) {
                throw awsError("InvalidViewerCertificate", `The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain. (${cert})`);
            }
            const acl = inputs.webAclId;
            if (typeof acl === "string" && acl.startsWith("arn:") && !acl.startsWith(`arn:aws:wafv2:${CLOUDFRONT_REGION}:${MOCK_ACCOUNT_ID}:global/webacl/`)) {
                throw awsError("InvalidWebACLId", `A web ACL ID specified is not valid. To specify a web ACL created using the latest version of WAF, use the ACL ARN, for example arn:aws:wafv2:us-east-1:123456789012:global/webacl/ExampleWebACL/473e64fd-f30b-4765-81a0-62ad96dd167a. (${acl})`);
            }
            const id = mockCloudFrontId(`distribution:${name}`);
            return {
                id,
                state: {
                    ...inputs, arn: cloudFrontArn("distribution", id), domainName: `d${mockHex(`domain:${name}`, 13)}.cloudfront.net`, hostedZoneId: CLOUDFRONT_HOSTED_ZONE_ID,
                    status: inputs.waitForDeployment === false ? "InProgress" : "Deployed", etag: mockCloudFrontId(`etag:${name}`), callerReference: `terraform-${parseInt(mockHex(name, 8), 16)}`,
                    lastModifiedTime: "2025-01-01 00:00:00 +0000 UTC", inProgressValidationBatches: 0, tagsAll,
                    trustedKeyGroups: [{ enabled: false, items: [] }], trustedSigners: [{ enabled: false, items: [] }],
                },
            };
        }
        case "aws:cloudfront/originAccessControl:OriginAccessControl": {
            const id = mockCloudFrontId(`oac:${name}`);
            return { id, state: { ...inputs, arn: cloudFrontArn("origin-access-control", id), etag: mockCloudFrontId(`etag:${id}`) } };
        }
        case "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy": {
            const id = mockUuid(`rhp:${name}`);
            return { id, state: { ...inputs, arn: cloudFrontArn("response-headers-policy", id), etag: mockCloudFrontId(`etag:${id}`) } };
        }
        case "aws:cloudwatch/logDeliverySource:LogDeliverySource": {
            const n = inputs.name ?? name;
            const service = typeof inputs.resourceArn === "string" ? inputs.resourceArn.split(":")[2] : undefined;
            return { id: n, state: { ...inputs, name: n, arn: `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:delivery-source:${n}`, service, tagsAll } };
        }
        case "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": {
            const n = inputs.name ?? name;
            const target = inputs.deliveryDestinationConfiguration?.destinationResourceArn;
            const service = typeof target === "string" ? target.split(":")[2] : undefined;
            const kind = ({ s3: "S3", logs: "CWL", firehose: "FH" } as Record<string, string>)[service ?? ""];
            return { id: n, state: { ...inputs, name: n, arn: `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:delivery-destination:${n}`, deliveryDestinationType: inputs.deliveryDestinationType ?? kind, tagsAll } };
        }
        case "aws:cloudwatch/logDelivery:LogDelivery": {
            const id = deliveryId(name);
            return { id, state: { ...inputs, arn: `arn:aws:logs:${region}:${MOCK_ACCOUNT_ID}:delivery:${id}`, tagsAll } };
        }
        default:
            return undefined;
    }
}
