import * as assert from "assert";
import { StackResource } from "../../policies/lib/define";
import { comesOnlyFrom, hasUnknown, knownIds, linked, refersTo, sourcesOf, unresolved } from "../../policies/lib/joins";
import { UNKNOWN, UNKNOWN_ARRAY } from "./helpers";

/** A stack resource as stack policies see it (plain inputs, links to other plain resources). */
function plain(type: string, name: string, props: Record<string, any> = {}, propertyDependencies: Record<string, StackResource[]> = {}): StackResource {
    return { type, name, urn: `urn:pulumi:test::baseline::${type}::${name}`, props, opts: {} as StackResource["opts"], dependencies: Object.values(propertyDependencies).flat(), propertyDependencies };
}

const LB = "aws:lb/loadBalancer:LoadBalancer";
const BUCKET = "aws:s3/bucket:Bucket";
const ROLE = "aws:iam/role:Role";
const names = (rs: StackResource[]) => rs.map((r) => r.name);

describe("policies: lib/joins", () => {
    const web = plain(LB, "web", { arn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1" });
    const api = plain(LB, "api", { arn: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/api/2" });

    describe("linked", () => {
        it("joins a known literal to the candidate whose arn (the default identifier) equals it", () => {
            const association = plain("aws:wafv2/webAclAssociation:WebAclAssociation", "assoc", { resourceArn: api.props.arn });
            assert.deepStrictEqual(names(linked(association, "resourceArn", [web, api])), ["api"]);
        });
        it("joins through the property dependency at a first preview, when the value is unknown", () => {
            const association = plain("aws:wafv2/webAclAssociation:WebAclAssociation", "assoc", { resourceArn: UNKNOWN }, { resourceArn: [web] });
            const unknownArns = [plain(LB, "web", { arn: UNKNOWN }), plain(LB, "api", { arn: UNKNOWN })];
            const first = plain("aws:wafv2/webAclAssociation:WebAclAssociation", "assoc", { resourceArn: UNKNOWN }, { resourceArn: [unknownArns[1]] });
            assert.deepStrictEqual(names(linked(association, "resourceArn", [web, api])), ["web"]);
            assert.deepStrictEqual(linked(first, "resourceArn", unknownArns), [unknownArns[1]]);
        });
        it("never joins an unknown value by equality, even to a candidate whose identifier is the same unknown", () => {
            const association = plain("aws:wafv2/webAclAssociation:WebAclAssociation", "assoc", { resourceArn: UNKNOWN });
            assert.deepStrictEqual(linked(association, "resourceArn", [plain(LB, "x", { arn: UNKNOWN })]), []);
        });
        it("prefers the property dependency over a literal naming another candidate", () => {
            const listener = plain("aws:lb/listener:Listener", "http", { loadBalancerArn: api.props.arn }, { loadBalancerArn: [web] });
            assert.deepStrictEqual(names(linked(listener, "loadBalancerArn", [web, api])), ["web"]);
        });
        it("falls back to the literal when the dependencies are not among the candidates, and keeps dependency order without repeats", () => {
            const other = plain(ROLE, "unrelated");
            const listener = plain("aws:lb/listener:Listener", "http", { loadBalancerArn: api.props.arn }, { loadBalancerArn: [other] });
            assert.deepStrictEqual(names(linked(listener, "loadBalancerArn", [web, api])), ["api"]);
            const twice = plain("aws:lb/listener:Listener", "x", { loadBalancerArn: UNKNOWN }, { loadBalancerArn: [api, web, api] });
            assert.deepStrictEqual(names(linked(twice, "loadBalancerArn", [web, api])), ["api", "web"]);
        });
        it("matches each known entry of a list of ids against the configured identifier fields", () => {
            const a = plain(ROLE, "a", { name: "role-a" });
            const b = plain(ROLE, "b", { name: "role-b" });
            const c = plain(ROLE, "c", { name: "role-c" });
            const attachment = plain("aws:iam/policyAttachment:PolicyAttachment", "att", { roles: ["role-c", UNKNOWN, "role-a", ""] });
            assert.deepStrictEqual(names(linked(attachment, "roles", [a, b, c], { ids: ["name"] })), ["a", "c"]);
            const bucket = plain(BUCKET, "logs", { bucket: "explicit-name" });
            const byId = plain(BUCKET, "assets", { id: "assets-0a1b" });
            const setting = (value: string) => plain("aws:s3/bucketVersioning:BucketVersioning", "v", { bucket: value });
            assert.deepStrictEqual(names(linked(setting("explicit-name"), "bucket", [bucket, byId], { ids: ["bucket", "id"] })), ["logs"]);
            assert.deepStrictEqual(names(linked(setting("assets-0a1b"), "bucket", [bucket, byId], { ids: ["bucket", "id"] })), ["assets"]);
        });
        it("finds nothing when no candidate matches, the value is absent or empty, or there are no candidates", () => {
            const association = (resourceArn: unknown) => plain("aws:wafv2/webAclAssociation:WebAclAssociation", "assoc", { resourceArn });
            assert.deepStrictEqual(linked(association("arn:aws:elasticloadbalancing:other"), "resourceArn", [web, api]), []);
            assert.deepStrictEqual(linked(association(undefined), "resourceArn", [web, api]), []);
            assert.deepStrictEqual(linked(association(""), "resourceArn", [plain(LB, "blank", { arn: "" })]), []);
            assert.deepStrictEqual(linked(association(web.props.arn), "resourceArn", []), []);
            assert.deepStrictEqual(linked(association(web.props.arn), "resourceArn", [web, api], { ids: ["name"] }), []);
        });
        it("takes a custom matcher for other spellings or patterns, and a literal from inside the input", () => {
            const topic = plain("aws:sns/topic:Topic", "alerts", { name: "alerts" });
            const policy = plain("aws:sns/topicPolicy:TopicPolicy", "p", { arn: "arn:aws:sns:eu-west-1:123456789012:alerts" });
            const endsWithName = (arn: string, t: StackResource) => arn.endsWith(`:${t.props.name}`);
            assert.deepStrictEqual(names(linked(policy, "arn", [topic], { matches: endsWithName })), ["alerts"]);
            const lb = plain(LB, "lb", { accessLogs: { bucket: "explicit-name", enabled: true } });
            const bucket = plain(BUCKET, "logs", { bucket: "explicit-name" });
            assert.deepStrictEqual(names(linked(lb, "accessLogs", [bucket], { ids: ["bucket"], value: lb.props.accessLogs.bucket })), ["logs"]);
            assert.deepStrictEqual(linked(lb, "accessLogs", [bucket], { ids: ["bucket"], value: undefined }), []);
        });
    });

    describe("refersTo", () => {
        it("is linked to one target", () => {
            const policy = plain("aws:ecr/lifecyclePolicy:LifecyclePolicy", "lp", { repository: "app" });
            assert.strictEqual(refersTo(policy, "repository", plain("aws:ecr/repository:Repository", "app", { name: "app" }), { ids: ["name"] }), true);
            assert.strictEqual(refersTo(policy, "repository", plain("aws:ecr/repository:Repository", "web", { name: "web" }), { ids: ["name"] }), false);
        });
    });

    describe("unresolved", () => {
        const role = plain(ROLE, "exec");
        const random = plain("random:index/randomString:RandomString", "suffix");
        const td = (value: unknown, deps: StackResource[] = []) => plain("aws:ecs/taskDefinition:TaskDefinition", "td", { executionRoleArn: value }, deps.length > 0 ? { executionRoleArn: deps } : {});
        it("is true for an unknown value without a property dependency", () => {
            assert.strictEqual(unresolved(td(UNKNOWN), "executionRoleArn"), true);
            assert.strictEqual(unresolved(td(UNKNOWN_ARRAY), "executionRoleArn"), true);
            assert.strictEqual(unresolved(td([UNKNOWN, "arn:aws:iam::123456789012:role/x"]), "executionRoleArn"), true);
        });
        it("is false once a dependency tells where the value came from, or the value is known", () => {
            assert.strictEqual(unresolved(td(UNKNOWN, [role]), "executionRoleArn"), false);
            assert.strictEqual(unresolved(td("arn:aws:iam::123456789012:role/x"), "executionRoleArn"), false);
            assert.strictEqual(unresolved(td(undefined), "executionRoleArn"), false);
        });
        it("counts only dependencies of the given types", () => {
            assert.strictEqual(unresolved(td(UNKNOWN, [random]), "executionRoleArn", ROLE), true);
            assert.strictEqual(unresolved(td(UNKNOWN, [random]), "executionRoleArn"), false);
            assert.strictEqual(unresolved(td(UNKNOWN, [random, role]), "executionRoleArn", new Set([ROLE])), false);
        });
    });

    describe("sources", () => {
        const subnet = plain("aws:ec2/subnet:Subnet", "a");
        const vpc = plain("awsx:ec2:Vpc", "vpc");
        const group = (deps: StackResource[]) => plain("aws:rds/subnetGroup:SubnetGroup", "g", { subnetIds: UNKNOWN }, { subnetIds: deps });
        it("sourcesOf filters the dependencies of one input by a token or a set of tokens", () => {
            assert.deepStrictEqual(sourcesOf(group([subnet, vpc]), "subnetIds"), [subnet, vpc]);
            assert.deepStrictEqual(sourcesOf(group([subnet, vpc]), "subnetIds", "aws:ec2/subnet:Subnet"), [subnet]);
            assert.deepStrictEqual(sourcesOf(group([subnet, vpc]), "subnetIds", new Set(["awsx:ec2:Vpc", ROLE])), [vpc]);
            assert.deepStrictEqual(sourcesOf(group([subnet]), "vpcId"), []);
        });
        it("comesOnlyFrom needs at least one source, all of the given types", () => {
            assert.strictEqual(comesOnlyFrom(group([subnet]), "subnetIds", "aws:ec2/subnet:Subnet"), true);
            assert.strictEqual(comesOnlyFrom(group([subnet, vpc]), "subnetIds", "aws:ec2/subnet:Subnet"), false);
            assert.strictEqual(comesOnlyFrom(group([]), "subnetIds", "aws:ec2/subnet:Subnet"), false);
        });
        it("knownIds and hasUnknown read a value or a list", () => {
            assert.deepStrictEqual(knownIds(["a", UNKNOWN, "", 3, "b"]), ["a", "b"]);
            assert.deepStrictEqual(knownIds("a"), ["a"]);
            assert.deepStrictEqual(knownIds(UNKNOWN), []);
            assert.strictEqual(hasUnknown(["a", UNKNOWN]), true);
            assert.strictEqual(hasUnknown(["a"]), false);
        });
    });
});
