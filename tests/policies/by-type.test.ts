import * as assert from "assert";
import { StackResource, stackPolicy } from "../../policies/lib/define";
import { hasType, ofType, referrersOf } from "../../policies/lib/by-type";

const r = (type: string, name: string): StackResource => ({ type, name, urn: `urn:pulumi:t::p::${type}::${name}`, props: {}, opts: {} as any, dependencies: [], propertyDependencies: {} });

describe("lib/by-type", () => {
    const a1 = r("a", "a1"), b1 = r("b", "b1"), a2 = r("a", "a2"), c1 = r("c", "c1"), b2 = r("b", "b2");
    const stack = [a1, b1, a2, c1, b2];

    it("ofType gives each type's resources in stack order, several types merged in stack order, each resource once", () => {
        assert.deepStrictEqual(ofType(stack, "a"), [a1, a2]);
        assert.deepStrictEqual(ofType(stack, "b", "a"), [a1, b1, a2, b2]);
        assert.deepStrictEqual(ofType(stack, "a", "a"), [a1, a2]);
        assert.deepStrictEqual(ofType(stack, "a", "b", "a"), [a1, b1, a2, b2]);
        assert.deepStrictEqual(ofType(stack, "z"), []);
        assert.deepStrictEqual([hasType(stack, "z"), hasType(stack, "z", "c")], [false, true]);
    });

    it("a group shared by every stack policy cannot be changed in place by one of them", () => {
        const list = [r("a", "x"), r("a", "y")];
        assert.throws(() => (ofType(list, "a") as StackResource[]).sort((p, q) => (p.name < q.name ? 1 : -1)));
        assert.throws(() => (ofType(list, "a") as StackResource[]).push(r("a", "z")));
        assert.deepStrictEqual(ofType(list, "a").map((x) => x.name), ["x", "y"]);
    });

    it("referrersOf finds the resources of a type whose input came from the target, once each, per list", () => {
        const subnet = r("subnet", "s");
        const other = r("subnet", "o");
        const assoc = { ...r("assoc", "x"), propertyDependencies: { subnetId: [subnet, subnet] } };
        const elsewhere = { ...r("assoc", "y"), propertyDependencies: { routeTableId: [subnet], subnetId: [other] } };
        const list = [subnet, other, assoc, elsewhere];
        assert.deepStrictEqual(referrersOf(list, subnet, "assoc", "subnetId"), [assoc]);
        assert.deepStrictEqual(referrersOf(list, other, "assoc", "subnetId"), [elsewhere]);
        assert.deepStrictEqual(referrersOf(list, subnet, "assoc", "routeTableId"), [elsewhere]);
        assert.deepStrictEqual(referrersOf(list, subnet, "other", "subnetId"), []);
        assert.deepStrictEqual(referrersOf([subnet], subnet, "assoc", "subnetId"), []); // another list, another index
    });
});

describe("stackPolicy types", () => {
    const stackArgs = (types: string[]) => ({
        resources: types.map((t, i) => ({ type: t, name: `r${i}`, urn: `urn:pulumi:t::p::${t}::r${i}`, props: {}, opts: {}, dependencies: [], propertyDependencies: {} })),
        getConfig: () => ({}), stackTags: new Map(), notApplicable: () => undefined,
    }) as any;
    const counting = (types: string[]) => {
        const seen: number[] = [];
        const policy = stackPolicy({
            name: "t", description: "t", severity: "low", enforcementLevel: "advisory", remediationSteps: "t", catalogue: [], types,
            check: (resources) => void seen.push(resources.length),
        });
        return { policy, seen };
    };

    it("with one type, tells the SDK to skip stacks without it, and skips them itself", () => {
        const { policy, seen } = counting(["aws:efs/fileSystem:FileSystem"]);
        assert.strictEqual((policy.validateStack as any).__pulumiType, "aws:efs/fileSystem:FileSystem");
        policy.validateStack(stackArgs(["aws:s3/bucket:Bucket"]), () => undefined);
        policy.validateStack(stackArgs(["aws:s3/bucket:Bucket", "aws:efs/fileSystem:FileSystem"]), () => undefined);
        assert.deepStrictEqual(seen, [2]);
    });

    it("with several, skips a stack holding none of them before copying its resources", () => {
        const { policy, seen } = counting(["aws:redshift/cluster:Cluster", "aws:redshiftserverless/workgroup:Workgroup"]);
        assert.strictEqual((policy.validateStack as any).__pulumiType, undefined);
        policy.validateStack(stackArgs(["aws:s3/bucket:Bucket"]), () => undefined);
        policy.validateStack(stackArgs(["aws:redshiftserverless/workgroup:Workgroup"]), () => undefined);
        assert.deepStrictEqual(seen, [1]);
    });
});
