import * as assert from "assert";
import { autoSubnetLayout, azBits, subnetLayoutOverflow, subnetLayoutProblem } from "../infra/config/subnet-layout";
import { PROFILES } from "../infra/config/profiles";
import { awsxPaths, urnBelow } from "../infra/network/awsx-aliases";
import { firstZones, natAzFor, natAzs, subnetPlan } from "../infra/network/topology";
import { ZONE_QUERY } from "../infra/network/vpc";

/**
 * The subnet allocator the VPC is built from must give the CIDRs awsx v3's `subnetStrategy: "Auto"`
 * gives (pulumi-awsx awsx/ec2/subnetDistributorNew.ts), or a VPC first deployed with awsx would see
 * its subnets replaced. The cases below are awsx's own (subnetDistributorNew.test.ts) where they
 * give explicit masks, plus our stacks' layouts.
 */

const tiers = (...masks: number[]) => masks.map((mask, i) => ({ tier: `t${i}`, mask }));

const ip = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join(".");
const parse = (cidr: string) => {
    const [a, m] = cidr.split("/");
    return { start: a.split(".").reduce((acc, o) => acc * 256 + Number(o), 0), size: 2 ** (32 - Number(m)) };
};

describe("network layout", () => {
    describe("the subnet allocator, against awsx's Auto cases", () => {
        it("numbers AZ blocks like awsx's newBits: enough bits for the AZ count", () => {
            assert.deepStrictEqual([1, 2, 3, 4, 5, 6].map(azBits), [0, 1, 2, 2, 3, 3]);
        });

        it("nextNetmask: a /17 after a /16 starts at the next /16's base; a /16 after a /17 skips to the next /16 (awsx: 10.1.0.0/17, 10.1.0.0/16)", () => {
            assert.deepStrictEqual(autoSubnetLayout("10.0.0.0/8", 1, tiers(16, 17))[0].subnets, ["10.0.0.0/16", "10.1.0.0/17"]);
            assert.deepStrictEqual(autoSubnetLayout("10.0.0.0/8", 1, tiers(17, 16))[0].subnets, ["10.0.0.0/17", "10.1.0.0/16"]);
        });

        it("two AZs of a /16, private /18 and public /19 (awsx's AutoMerge default case): 10.0.0.0/18, 10.0.64.0/19 | 10.0.128.0/18, 10.0.192.0/19", () => {
            assert.deepStrictEqual(autoSubnetLayout("10.0.0.0/16", 2, tiers(18, 19)), [
                { block: "10.0.0.0/17", subnets: ["10.0.0.0/18", "10.0.64.0/19"] },
                { block: "10.0.128.0/17", subnets: ["10.0.128.0/18", "10.0.192.0/19"] },
            ]);
        });

        it("two AZs of a /16, private /18 and public /20 (awsx's size-override case)", () => {
            assert.deepStrictEqual(autoSubnetLayout("10.0.0.0/16", 2, tiers(18, 20)).map((az) => az.subnets), [["10.0.0.0/18", "10.0.64.0/20"], ["10.0.128.0/18", "10.0.192.0/20"]]);
        });

        it("one AZ, three subnets of a quarter each, for every VPC size from /16 to /24 (awsx: 'evenly distributes space')", () => {
            for (let prefix = 16; prefix <= 24; prefix++) {
                const quarter = 2 ** (32 - prefix - 2);
                const base = parse("10.0.0.0/8").start;
                assert.deepStrictEqual(autoSubnetLayout(`10.0.0.0/${prefix}`, 1, tiers(prefix + 2, prefix + 2, prefix + 2))[0].subnets,
                    [0, 1, 2].map((i) => `${ip(base + i * quarter)}/${prefix + 2}`), `/${prefix}`);
            }
            // awsx's "gaps at end of VPC" case: the third /18 of a /16 ends at 10.0.191.255.
            assert.strictEqual(autoSubnetLayout("10.0.0.0/16", 1, tiers(18, 18, 18))[0].subnets[2], "10.0.128.0/18");
        });

        it("one subnet as large as a small VPC takes the whole of it (awsx: 'should use whole space')", () => {
            for (const prefix of [24, 25, 26, 27]) assert.deepStrictEqual(autoSubnetLayout(`10.0.0.0/${prefix}`, 1, tiers(prefix))[0].subnets, [`10.0.0.0/${prefix}`]);
        });

        it("our stacks: prod in /18 blocks over 3 AZs, staging in /17 blocks over 2, each subnet aligned to its size", () => {
            assert.deepStrictEqual(autoSubnetLayout("10.20.0.0/16", 3, tiers(24, 20, 24)), [
                { block: "10.20.0.0/18", subnets: ["10.20.0.0/24", "10.20.16.0/20", "10.20.32.0/24"] },
                { block: "10.20.64.0/18", subnets: ["10.20.64.0/24", "10.20.80.0/20", "10.20.96.0/24"] },
                { block: "10.20.128.0/18", subnets: ["10.20.128.0/24", "10.20.144.0/20", "10.20.160.0/24"] },
            ]);
            assert.deepStrictEqual(autoSubnetLayout("10.21.0.0/16", 2, tiers(24, 20, 24)).map((az) => az.block), ["10.21.0.0/17", "10.21.128.0/17"]);
        });

        it("catches an alignment gap that pushes a subnet into the next AZ although the sizes add up", () => {
            // 256 + 8192 + 256 addresses fit a /18, but the /19 starts at 10.0.32.0, so the last /24 lands at 10.0.64.0.
            assert.deepStrictEqual(autoSubnetLayout("10.0.0.0/16", 3, tiers(24, 19, 24))[0].subnets, ["10.0.0.0/24", "10.0.32.0/19", "10.0.64.0/24"]);
            assert.deepStrictEqual(subnetLayoutOverflow("10.0.0.0/16", 3, tiers(24, 19, 24)), { azBlock: "10.0.0.0/18", tier: "t2", subnet: "10.0.64.0/24" });
            assert.match(subnetLayoutProblem("10.0.0.0/20", 3, tiers(24, 20, 24)) ?? "", /each AZ gets a \/22 .* so the t1 subnet would be 10\.0\.16\.0\/20, outside it/);
        });

        it("whenever it reports no overflow, every subnet lies in the VPC and none overlaps another (awsx's overlap check), over every config the loader accepts", () => {
            let layouts = 0;
            for (let prefix = 16; prefix <= 24; prefix++) {
                for (const azs of [2, 3]) {
                    for (let a = 17; a <= 28; a++) for (let b = 17; b <= 28; b++) for (let c = 17; c <= 28; c++) {
                        const vpc = `10.0.0.0/${prefix}`;
                        if (subnetLayoutOverflow(vpc, azs, tiers(a, b, c))) continue;
                        layouts++;
                        const ranges = autoSubnetLayout(vpc, azs, tiers(a, b, c)).flatMap((az) => az.subnets.map(parse)).sort((x, y) => x.start - y.start);
                        const end = parse(vpc).start + parse(vpc).size;
                        ranges.forEach((r, i) => {
                            assert.ok(r.start % r.size === 0 && r.start + r.size <= end, `${vpc} ${azs} /${a} /${b} /${c}`);
                            if (i > 0) assert.ok(ranges[i - 1].start + ranges[i - 1].size <= r.start, `${vpc} ${azs} /${a} /${b} /${c} overlap`);
                        });
                    }
                }
            }
            assert.ok(layouts > 1000, `only ${layouts} layouts checked`);
        });
    });

    describe("the VPC plan", () => {
        const prod = { ...PROFILES.prod.network, cidrBlock: "10.20.0.0/16", availabilityZoneCount: 3 };

        it("names each subnet <component>-<tier>-<AZ number> and tags it <prefix>-<tier>-<AZ number>, AZ by AZ", () => {
            assert.deepStrictEqual(subnetPlan("network", "pos-prod", prod).map((s) => `${s.name} ${s.tier} az${s.az} ${s.cidrBlock} ${s.nameTag}`), [
                "network-public-1 public az0 10.20.0.0/24 pos-prod-public-1",
                "network-private-1 private az0 10.20.16.0/20 pos-prod-private-1",
                "network-isolated-1 isolated az0 10.20.32.0/24 pos-prod-isolated-1",
                "network-public-2 public az1 10.20.64.0/24 pos-prod-public-2",
                "network-private-2 private az1 10.20.80.0/20 pos-prod-private-2",
                "network-isolated-2 isolated az1 10.20.96.0/24 pos-prod-isolated-2",
                "network-public-3 public az2 10.20.128.0/24 pos-prod-public-3",
                "network-private-3 private az2 10.20.144.0/20 pos-prod-private-3",
                "network-isolated-3 isolated az2 10.20.160.0/24 pos-prod-isolated-3",
            ]);
        });

        it("puts a NAT gateway in every AZ for OnePerAz and routes each private subnet to its own; Single: one, in the first AZ, for all", () => {
            assert.deepStrictEqual(natAzs("OnePerAz", 3), [0, 1, 2]);
            assert.deepStrictEqual([0, 1, 2].map((az) => natAzFor("OnePerAz", az)), [0, 1, 2]);
            assert.deepStrictEqual(natAzs("Single", 3), [0]);
            assert.deepStrictEqual([0, 1, 2].map((az) => natAzFor("Single", az)), [0, 0, 0]);
        });

        it("asks for the region's standard zones whatever their state, so an impaired zone does not shift (and replace) the subnets after it", () => {
            assert.deepStrictEqual(ZONE_QUERY, { filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] });
        });

        it("takes the first zones, and fails loudly when the region has too few", () => {
            assert.deepStrictEqual(firstZones(["eu-west-1a", "eu-west-1b", "eu-west-1c"], 2, "eu-west-1"), ["eu-west-1a", "eu-west-1b"]);
            assert.throws(() => firstZones(["us-west-1a", "us-west-1c"], 3, "us-west-1"), {
                message: "Region us-west-1 has 2 available availability zone(s) (us-west-1a, us-west-1c); config.availabilityZoneCount is 3: lower it or choose another region.",
            });
            assert.throws(() => firstZones(undefined, 2, "eu-west-1"), /has 0 available availability zone\(s\) \(none\)/);
        });
    });

    describe("awsx's URNs", () => {
        const network = "urn:pulumi:prod::baseline::baseline:network:Network::network";

        it("puts awsx's children under its component's type chain, named as awsx names them", () => {
            assert.strictEqual(urnBelow(network, awsxPaths.vpc("network")), "urn:pulumi:prod::baseline::baseline:network:Network$awsx:ec2:Vpc$aws:ec2/vpc:Vpc::network-vpc");
            assert.strictEqual(
                urnBelow(network, awsxPaths.route("network", "private", 2)),
                "urn:pulumi:prod::baseline::baseline:network:Network$awsx:ec2:Vpc$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet$aws:ec2/routeTable:RouteTable$aws:ec2/route:Route::network-vpc-private-2",
            );
            assert.strictEqual(urnBelow(network, awsxPaths.eip("network", 3)), "urn:pulumi:prod::baseline::baseline:network:Network$awsx:ec2:Vpc$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet$aws:ec2/eip:Eip::network-vpc-3");
        });

        it("keeps the Network's own parents in the chain", () => {
            const nested = "urn:pulumi:prod::baseline::acme:app:Platform$baseline:network:Network::edge";
            assert.strictEqual(urnBelow(nested, awsxPaths.internetGateway("edge")), "urn:pulumi:prod::baseline::acme:app:Platform$baseline:network:Network$awsx:ec2:Vpc$aws:ec2/vpc:Vpc$aws:ec2/internetGateway:InternetGateway::edge-vpc");
            assert.throws(() => urnBelow("network", awsxPaths.vpc("network")), /is not a URN/);
        });
    });
});
