import * as assert from "assert";
import { originTokenSlots } from "../infra/edge/distribution-settings";
import { Run, isSecret, runStack } from "./harness";

/**
 * Rotating the token CloudFront sends in X-Origin-Verify. CloudFront takes minutes to deploy a change
 * while the load balancer's rules change at once: if the rules accepted only the new token, every request
 * CloudFront still sent with the old one would get a 403. So the rules accept the current and the
 * previous token, and raising the version by one never redraws the token CloudFront is sending.
 */
const TOKEN = "random:index/randomPassword:RandomPassword";
const unwrap = (v: any) => (isSecret(v) ? v.value : v);
const byUrn = (run: Run, urns: string[]) => urns.map((u) => run.byUrn(u)?.name).sort();

/** Which token resources the api's rule and CloudFront's origin header take their values from. */
function wiring(run: Run) {
    const rule = run.one("aws:lb/listenerRule:ListenerRule", "service-api-rule");
    const dist = run.one("aws:cloudfront/distribution:Distribution");
    const secret = run.one("aws:secretsmanager/secretVersion:SecretVersion", "edge-origin-secret-value");
    return {
        tokens: run.ofType(TOKEN).filter((t) => t.name.startsWith("edge-cdn-origin-token")).map((t) => [t.name, t.inputs.keepers.version]).sort(),
        accepted: unwrap(rule.inputs.conditions).find((c: any) => c.httpHeader).httpHeader.values.length,
        ruleFrom: byUrn(run, rule.propertyDependencies.conditions),
        sentFrom: byUrn(run, dist.propertyDependencies.origins).filter((n) => n?.startsWith("edge-cdn-origin-token")),
        keptFrom: byUrn(run, secret.propertyDependencies.secretString),
    };
}

describe("origin token rotation", () => {
    it("alternates two slots: the current token and the previous one, none before the first", () => {
        assert.deepStrictEqual(originTokenSlots(1), { current: { slot: "odd", version: 1 } });
        assert.deepStrictEqual(originTokenSlots(2), { current: { slot: "even", version: 2 }, previous: { slot: "odd", version: 1 } });
        assert.deepStrictEqual(originTokenSlots(3), { current: { slot: "odd", version: 3 }, previous: { slot: "even", version: 2 } });
    });

    it("at version 1: one token, sent by CloudFront, required by the rule and kept in the secret", async () => {
        assert.deepStrictEqual(wiring(await runStack("staging")), {
            tokens: [["edge-cdn-origin-token-odd", "1"]],
            accepted: 1,
            ruleFrom: ["edge-cdn-origin-token-odd"],
            sentFrom: ["edge-cdn-origin-token-odd"],
            keptFrom: ["edge-cdn-origin-token-odd"],
        });
    });

    it("raised to 2: a new token is drawn and sent; the one CloudFront was sending keeps its value and stays accepted", async () => {
        assert.deepStrictEqual(wiring(await runStack("staging", { "baseline:edge": { originTokenVersion: 2 } })), {
            // The odd slot's keepers are those of version 1: its value does not change.
            tokens: [["edge-cdn-origin-token-even", "2"], ["edge-cdn-origin-token-odd", "1"]],
            accepted: 2,
            ruleFrom: ["edge-cdn-origin-token-even", "edge-cdn-origin-token-odd"],
            sentFrom: ["edge-cdn-origin-token-even"],
            keptFrom: ["edge-cdn-origin-token-even"],
        });
    });

    it("raised to 3: the token of version 1 is redrawn (retired), version 2's stays accepted while CloudFront moves to 3", async () => {
        assert.deepStrictEqual(wiring(await runStack("staging", { "baseline:edge": { originTokenVersion: 3 } })), {
            tokens: [["edge-cdn-origin-token-even", "2"], ["edge-cdn-origin-token-odd", "3"]],
            accepted: 2,
            ruleFrom: ["edge-cdn-origin-token-even", "edge-cdn-origin-token-odd"],
            sentFrom: ["edge-cdn-origin-token-odd"],
            keptFrom: ["edge-cdn-origin-token-odd"],
        });
    });
});
