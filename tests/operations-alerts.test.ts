import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "../infra/config/load";
import { main } from "../infra/main";
import { alertTopicArn, alertTopicPolicy, alertsKeyPolicy, emailSubscriptionSuffix } from "../infra/operations/alert-policies";
import { AlertTopic, AlertTopicArgs } from "../infra/operations/alert-topic";
import { ALL_POLICIES } from "../policies/all";
import { evaluate, resolvePolicyConfig } from "../tools/offline/evaluate";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mock-outputs";
import { policyConfigPath, readPolicyConfig, toEvalResource } from "../tools/offline/stack-check";
import { Run, isSecret, runStack, runUnderMocks, stackConfig } from "./harness";
import { administrativeUse } from "./kms-policy-check";
import { UNKNOWN } from "./policies/helpers";
import { KEY_CTX, rootStatement } from "./key-policy-fixtures";

const ctx = KEY_CTX;
/** Every key's administrative statement: named actions, no use. */
const ROOT_STATEMENT = rootStatement();
const TOPIC = "arn:aws:sns:eu-west-1:111122223333:pos-prod-alerts";
const WEBHOOK = "https://hooks.example.com/services/T000/B000/token-that-must-stay-secret";

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

describe("alert topic documents", () => {
    it("key policy: IAM administers, and only CloudWatch and Budgets use it, to publish, for this account", () => {
        assert.deepStrictEqual(alertsKeyPolicy(ctx), {
            Version: "2012-10-17",
            Statement: [
                ROOT_STATEMENT,
                // A data key to encrypt the message, and decrypt to deliver it: nothing else (no Encrypt, no grants).
                // CloudWatch as AWS documents it (an account condition is reported to break alarm actions; the topic
                // policy names the alarms); Budgets bounded to the account.
                {
                    Sid: "AllowCloudWatchAlarmsToPublish",
                    Effect: "Allow",
                    Principal: { Service: ["cloudwatch.amazonaws.com"] },
                    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                    Resource: "*",
                },
                {
                    Sid: "AllowBudgetsInAccountToPublish",
                    Effect: "Allow",
                    Principal: { Service: ["budgets.amazonaws.com"] },
                    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
                },
            ],
        });
        // Wildcards expanded against every KMS action: IAM principals of the account get no use of it.
        assert.deepStrictEqual(administrativeUse(alertsKeyPolicy(ctx), "111122223333"), []);
    });

    it("topic policy: TLS or nothing; this stack's alarms, this account's budgets; the account manages it", () => {
        assert.deepStrictEqual(alertTopicPolicy(ctx, TOPIC, "pos-prod"), {
            Version: "2012-10-17",
            Id: "pos-prod-alerts-policy",
            Statement: [
                {
                    Sid: "DenyPublishWithoutTls",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "sns:Publish",
                    Resource: TOPIC,
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                },
                {
                    Sid: "AllowStackAlarmsToPublish",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: "sns:Publish",
                    Resource: TOPIC,
                    Condition: {
                        StringEquals: { "aws:SourceAccount": "111122223333" },
                        // Alarms of this stack in this region: not another stack's, not another account's.
                        ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:pos-prod-*" },
                    },
                },
                {
                    Sid: "AllowAccountBudgetsToPublish",
                    Effect: "Allow",
                    Principal: { Service: "budgets.amazonaws.com" },
                    Action: "sns:Publish",
                    Resource: TOPIC,
                    // AWS's documented form: budgets are global, so no region.
                    Condition: { StringEquals: { "aws:SourceAccount": "111122223333" }, ArnLike: { "aws:SourceArn": "arn:aws:budgets::111122223333:*" } },
                },
                {
                    Sid: "AllowAccountToManageTopic",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::111122223333:root" },
                    Action: [
                        "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission", "sns:RemovePermission", "sns:DeleteTopic",
                        "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish",
                    ],
                    Resource: TOPIC,
                },
            ],
        });
    });

    it("follows the partition: ARNs of the topic, the alarms, the budgets and the account", () => {
        const cn = { accountId: "111122223333", partition: "aws-cn", region: "cn-north-1", dnsSuffix: "amazonaws.com.cn" };
        const arn = alertTopicArn(cn, "pos-prod-alerts");
        assert.strictEqual(arn, "arn:aws-cn:sns:cn-north-1:111122223333:pos-prod-alerts");
        const doc = alertTopicPolicy(cn, arn, "pos-prod");
        assert.deepStrictEqual(doc.Statement.map((s) => s.Condition?.ArnLike?.["aws:SourceArn"]), [
            undefined, "arn:aws-cn:cloudwatch:cn-north-1:111122223333:alarm:pos-prod-*", "arn:aws-cn:budgets::111122223333:*", undefined,
        ]);
        assert.deepStrictEqual(doc.Statement[3].Principal, { AWS: "arn:aws-cn:iam::111122223333:root" });
        assert.deepStrictEqual(alertsKeyPolicy(cn).Statement[0].Principal, { AWS: "arn:aws-cn:iam::111122223333:root" });
    });

    it("names an e-mail subscription after its address alone: readable, case-blind, and distinct for addresses that read alike", () => {
        const suffix = emailSubscriptionSuffix("OnCall@Example.com");
        assert.match(suffix, /^oncall-at-example-com-[0-9a-f]{8}$/);
        assert.strictEqual(emailSubscriptionSuffix("oncall@example.com"), suffix);
        assert.notStrictEqual(emailSubscriptionSuffix("a.b@example.com"), emailSubscriptionSuffix("a-b@example.com"));
    });
});

describe("AlertTopic in the stacks", () => {
    for (const [stack, protect, emails] of [
        ["prod", true, ["oncall@example.com", "platform-alerts@example.com"]],
        ["staging", false, ["platform-alerts@example.com"]],
    ] as const) {
        describe(stack, () => {
            const prefix = `pos-${stack}`;
            const mockCtx = { accountId: MOCK_ACCOUNT_ID, partition: "aws", region: "eu-west-1", dnsSuffix: "amazonaws.com" };
            const topicArn = `arn:aws:sns:eu-west-1:${MOCK_ACCOUNT_ID}:${prefix}-alerts`;
            const keyArn = `arn:aws:kms:eu-west-1:${MOCK_ACCOUNT_ID}:key/alerts-key-key-id`;
            let run: Run;
            before(async () => {
                run = await runStack(stack);
            });

            it(`creates the topic's own rotating key, ${protect ? "protected" : "not protected"} and kept on delete, with its alias`, () => {
                const key = run.one("aws:kms/key:Key", "alerts-key");
                assert.deepStrictEqual(
                    [run.parentName(key), key.protect, key.retainOnDelete, { ...key.inputs, policy: JSON.parse(key.inputs.policy) }],
                    ["alerts", protect, true, { description: `${prefix} SNS alert topic`, enableKeyRotation: true, deletionWindowInDays: 30, policy: alertsKeyPolicy(mockCtx) }],
                );
                const alias = run.one("aws:kms/alias:Alias", "alerts-key-alias");
                assert.deepStrictEqual([alias.inputs.name, alias.inputs.targetKeyId, run.parentName(alias)], [`alias/${prefix}-alerts`, "alerts-key-key-id", "alerts"]);
            });

            it("encrypts the topic with that key (not alias/aws/sns)", () => {
                const topic = run.one("aws:sns/topic:Topic", "alerts-topic");
                assert.deepStrictEqual(topic.inputs, { name: `${prefix}-alerts`, kmsMasterKeyId: keyArn });
                assert.strictEqual(run.parentName(topic), "alerts");
            });

            it("attaches the exact topic policy to the topic", () => {
                const policy = run.one("aws:sns/topicPolicy:TopicPolicy", "alerts-topic-policy");
                assert.strictEqual(policy.inputs.arn, topicArn);
                assert.deepStrictEqual(policy.propertyDependencies.arn, [run.one("aws:sns/topic:Topic").urn]);
                assert.deepStrictEqual(JSON.parse(policy.inputs.policy), alertTopicPolicy(mockCtx, topicArn, prefix));
            });

            it("subscribes each alert address by e-mail, and no HTTPS endpoint unless configured", () => {
                const subs = run.ofType("aws:sns/topicSubscription:TopicSubscription");
                assert.deepStrictEqual(
                    subs.map((s) => [s.name, s.inputs, run.parentName(s)]).sort(),
                    emails.map((e) => [`alerts-email-${emailSubscriptionSuffix(e)}`, { topic: topicArn, protocol: "email", endpoint: e }, "alerts"]).sort(),
                );
            });

            it("outputs the topic's ARN, and every alarm of the stack is named so the topic policy admits it", async () => {
                assert.strictEqual(await value((run.outputs as { alertTopicArn: pulumi.Output<string> }).alertTopicArn), topicArn);
                const alarms = [...run.ofType("aws:cloudwatch/metricAlarm:MetricAlarm"), ...run.ofType("aws:cloudwatch/compositeAlarm:CompositeAlarm")];
                // A metric alarm's AWS name is `name` in @pulumi/aws v7, a composite alarm's `alarmName`.
                const awsName = (a: { inputs: Record<string, any> }) => String(a.inputs.name ?? a.inputs.alarmName);
                const outside = alarms.filter((a) => !awsName(a).startsWith(`${prefix}-`)).map((a) => `${a.name}: ${awsName(a)}`);
                assert.deepStrictEqual(outside, [], "CloudWatch could not publish for these alarms (aws:SourceArn must match <namePrefix>-*)");
            });

            it(`passes the pack's SNS and KMS policies${protect ? "" : " (staging: only stateful-protect, advisory there, on the key like every key)"}`, async () => {
                const config = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath(stack)));
                const { diagnostics } = await evaluate(run.resources.map(toEvalResource), { policies: ALL_POLICIES, config });
                const ours = diagnostics.filter((d) => /::alerts(-|$)/.test(d.urn ?? "") || d.policyName.startsWith("sns-"));
                assert.deepStrictEqual(ours.map((d) => `${d.enforcementLevel} ${d.policyName} ${d.urn?.split("::").pop()}`), protect ? [] : ["advisory stateful-protect alerts-key"]);
            });
        });
    }

    it("reorders e-mail subscriptions without renaming one, and adds a new address as one new subscription", async () => {
        const names = async (emails: string[]) =>
            (await runUnderMocks(() => new AlertTopic("alerts", { namePrefix: "pos-staging", alerts: { emails }, kms: { deletionWindowDays: 30 }, protect: false }), "staging"))
                .ofType("aws:sns/topicSubscription:TopicSubscription").map((s) => s.name).sort();
        const two = await names(["a@example.com", "b@example.com"]);
        assert.deepStrictEqual(await names(["b@example.com", "a@example.com"]), two);
        const three = await names(["c@example.com", "b@example.com", "a@example.com"]);
        assert.deepStrictEqual(three.filter((n) => !two.includes(n)), [`alerts-email-${emailSubscriptionSuffix("c@example.com")}`]);
    });

    it("on a new stack's first preview, the key and topic policies are already readable (built from account, region and names)", async () => {
        const run = await runStack("prod", {}, { firstPreview: true });
        const mockCtx = { accountId: MOCK_ACCOUNT_ID, partition: "aws", region: "eu-west-1", dnsSuffix: "amazonaws.com" };
        const policy = run.one("aws:sns/topicPolicy:TopicPolicy", "alerts-topic-policy");
        assert.deepStrictEqual(JSON.parse(policy.wireInputs.policy), alertTopicPolicy(mockCtx, `arn:aws:sns:eu-west-1:${MOCK_ACCOUNT_ID}:pos-prod-alerts`, "pos-prod"));
        assert.strictEqual(policy.wireInputs.arn, UNKNOWN);
        assert.deepStrictEqual(JSON.parse(run.one("aws:kms/key:Key", "alerts-key").wireInputs.policy), alertsKeyPolicy(mockCtx));
        // So the pack verifies the TLS deny and the key's principals before anything exists.
        const config = resolvePolicyConfig(ALL_POLICIES, readPolicyConfig(policyConfigPath("prod")));
        const { diagnostics } = await evaluate(run.resources.map(toEvalResource), { policies: ALL_POLICIES, config });
        assert.deepStrictEqual(diagnostics.filter((d) => /::alerts(-|$)/.test(d.urn ?? "") || d.policyName.startsWith("sns-")), []);
    });
});

describe("AlertTopic HTTPS endpoint", () => {
    it("subscribes the webhook (set with --secret) as a secret input and secret output, never a stack output", async () => {
        const config = stackConfig("prod", { "baseline:alerts": { httpsEndpoint: WEBHOOK } });
        const run = await runUnderMocks(() => {
            // As `pulumi config set --secret --path baseline:alerts.httpsEndpoint` marks it.
            pulumi.runtime.setAllConfig(config, ["baseline:alerts"]);
            return main();
        }, "prod", { "baseline:alerts": { httpsEndpoint: WEBHOOK } });
        const https = run.one("aws:sns/topicSubscription:TopicSubscription", "alerts-https");
        assert.strictEqual(https.inputs.protocol, "https");
        assert.strictEqual(https.inputs.topic, `arn:aws:sns:eu-west-1:${MOCK_ACCOUNT_ID}:pos-prod-alerts`);
        assert.ok(isSecret(https.inputs.endpoint), "the endpoint must reach the engine as a secret");
        assert.strictEqual(https.inputs.endpoint.value, WEBHOOK);
        assert.deepStrictEqual(https.additionalSecretOutputs, ["endpoint"]);
        // The e-mail subscriptions stay as they were.
        assert.strictEqual(run.ofType("aws:sns/topicSubscription:TopicSubscription").filter((s) => s.inputs.protocol === "email").length, 2);
        // No output, resolved, carries the URL; nor does any other resource's input.
        const outputs = run.outputs as Record<string, unknown>;
        const plain: unknown[] = [];
        for (const v of Object.values(outputs)) if (pulumi.Output.isInstance(v)) plain.push(await value(v as pulumi.Output<unknown>));
        assert.ok(!JSON.stringify(plain).includes("token-that-must-stay-secret"));
        const leaking = run.resources.filter((r) => r.name !== "alerts-https" && JSON.stringify(r.inputs).includes("token-that-must-stay-secret"));
        assert.deepStrictEqual(leaking.map((r) => r.name), []);
    });

    it("is refused in plain text config, naming the key but not the value", async () => {
        const run = await runUnderMocks(() => {
            assert.throws(() => loadConfig(), (e: Error) => e.message.includes("baseline:alerts.httpsEndpoint is set in plain text (value not shown)") && !e.message.includes("token-that"));
        }, "prod", { "baseline:alerts": { httpsEndpoint: WEBHOOK } });
        assert.deepStrictEqual(run.resources, []);
    });
});

describe("AlertTopic arguments", () => {
    const base = (): AlertTopicArgs => ({ namePrefix: "pos-prod", alerts: { emails: ["oncall@example.com"] }, kms: { deletionWindowDays: 30 }, protect: true });
    const cases: [string, (a: AlertTopicArgs) => void, string][] = [
        ["no e-mail", (a) => (a.alerts.emails = []), 'AlertTopic alerts: alerts.emails is [], expected 1 to 10 e-mail addresses (someone must hear the alerts).'],
        ["eleven e-mails", (a) => (a.alerts.emails = Array.from({ length: 11 }, (_, i) => `o${i}@example.com`)), "AlertTopic alerts: alerts.emails is"],
        ["a bad address", (a) => (a.alerts.emails = ["oncall"]), 'AlertTopic alerts: alerts.emails contains "oncall", expected an e-mail address such as ops@example.com.'],
        ["the same address twice", (a) => (a.alerts.emails = ["oncall@example.com", "OnCall@example.com"]), 'AlertTopic alerts: alerts.emails lists "OnCall@example.com" twice (addresses compare without case), expected each address once.'],
        ["a plain-http webhook", (a) => (a.alerts.httpsEndpoint = "http://hooks.example.com/token-that-must-stay-secret"), "AlertTopic alerts: alerts.httpsEndpoint (value not shown) is not an https:// URL with a host name, expected unset or a URL that accepts SNS notifications."],
        ["a prefix that cannot name a topic", (a) => (a.namePrefix = "pos prod"), 'AlertTopic alerts: namePrefix "pos prod" cannot name an SNS topic and a KMS alias: expected 1 to 243 letters, digits, "-" or "_".'],
        ["a short deletion window", (a) => (a.kms = { deletionWindowDays: 5 }), "AlertTopic alerts: kms.deletionWindowDays is 5, expected a whole number of days from 7 to 30."],
    ];
    for (const [what, change, message] of cases) {
        it(`rejects ${what} before registering anything`, async () => {
            const args = base();
            change(args);
            const run = await runUnderMocks(() => {
                assert.throws(() => new AlertTopic("alerts", args), (e: Error) => e.message.startsWith(message) && !e.message.includes("token-that"));
            });
            assert.deepStrictEqual(run.resources, []);
        });
    }
});
