import * as assert from "assert";
import { StackResource } from "../../policies/lib/define";
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
