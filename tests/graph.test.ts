import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "../tools/check";
import { Graph, stackGraph, toDot, toMermaid } from "../tools/offline/graph";
import { runStack } from "./harness";

/** `from -> to: label` lines of the security-group paths, by resource name. */
function paths(g: Graph): string[] {
    const name = (u: string) => g.nodes.find((n) => n.urn === u)?.name ?? u;
    return g.edges.filter((e) => e.kind !== "in").map((e) => `${name(e.from)} -> ${name(e.to)}: ${e.label}`);
}

describe("topology graph (check --graph)", () => {
    let prod: Graph;
    before(async () => {
        prod = stackGraph((await runStack("prod")).resources);
    });

    it("draws the network paths the security groups allow, and nothing else reaches a data store", () => {
        assert.deepStrictEqual(paths(prod).sort(), [
            "CloudFront (prefix list) -> network-lb-sg: tcp 443",
            "edge-cdn-distribution -> edge-alb: origin, HTTPS",
            "network-lb-sg -> service-api-sg: tcp 8080",
            "service-api-sg -> network-docdb-sg: tcp 27017",
            "service-api-sg -> network-endpoints-sg: tcp 443",
            "service-api-sg -> network-postgres-sg: tcp 5432",
            "service-api-sg -> network-redis-sg: tcp 6379",
            "service-worker-sg -> network-endpoints-sg: tcp 443",
            "service-worker-sg -> network-postgres-sg: tcp 5432",
            "service-worker-sg -> network-redis-sg: tcp 6379",
        ]);
    });

    it("puts each entry point, service and store in its component and its security group", () => {
        const name = (u: string) => prod.nodes.find((n) => n.urn === u)?.name;
        const groupOf = (n: string) => prod.edges.filter((e) => e.kind === "in" && name(e.from) === n).map((e) => name(e.to));
        assert.deepStrictEqual(["edge-alb", "service-api-service", "postgres-instance", "redis-replication-group", "documentdb-cluster"].map(groupOf),
            [["network-lb-sg"], ["service-api-sg"], ["network-postgres-sg"], ["network-redis-sg"], ["network-docdb-sg"]]);
        const component = (n: string) => prod.components.find((c) => c.nodes.some((u) => name(u) === n))?.name;
        assert.deepStrictEqual(["edge-alb", "edge-cdn-distribution", "service-worker-service", "postgres-instance"].map(component), ["edge", "edge-cdn", "service-worker", "postgres"]);
    });

    it("writes Mermaid and dot with every node and path", () => {
        const mermaid = toMermaid(prod);
        const dot = toDot(prod);
        assert.match(mermaid, /^flowchart LR\n/);
        assert.match(dot, /^digraph stack \{/);
        for (const n of prod.nodes) {
            assert.ok(mermaid.includes(`: ${n.name}"`), `${n.name} missing from the Mermaid graph`);
            assert.ok(dot.includes(`: ${n.name}"`), `${n.name} missing from the dot graph`);
        }
        assert.strictEqual((mermaid.match(/-->\|/g) ?? []).length, paths(prod).length);
        assert.strictEqual((dot.match(/ \[label="(tcp|origin|all)/g) ?? []).length, paths(prod).length);
    });

    it("the README's architecture diagram is the prod stack's graph (regenerate: npm run check -- --stack prod --graph mermaid)", () => {
        const readme = fs.readFileSync(path.resolve(__dirname, "../README.md"), "utf8");
        assert.ok(readme.includes("```mermaid\n" + toMermaid(prod) + "\n```"), "README's architecture diagram is stale: regenerate it with `npm run check -- --stack prod --graph mermaid`");
    });

    it("check takes --graph mermaid or dot, and nothing else, nor with --remediate", () => {
        assert.strictEqual(parseArgs(["--stack", "prod", "--graph", "dot"]).graph, "dot");
        assert.strictEqual(parseArgs(["--stack", "prod"]).graph, undefined);
        assert.throws(() => parseArgs(["--stack", "prod", "--graph", "svg"]), /--graph "svg" is not allowed: expected one of mermaid, dot/);
        assert.throws(() => parseArgs(["--stack", "prod", "--graph", "mermaid", "--remediate"]), /--graph replaces the report: it is not allowed with --remediate/);
    });
});
