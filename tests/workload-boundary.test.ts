import * as assert from "assert";
import { WORKLOAD_CEILING, WORKLOAD_DENIED, WorkloadBoundary, workloadBoundaryArn, workloadBoundaryDocument } from "../infra/security/workload-boundary";
import { wildcardFindings } from "../policies/security/iam";
import { runUnderMocks } from "./harness";

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
const covers = (pattern: string, action: string) =>
    new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i").test(action);
const allowed = (action: string) => WORKLOAD_CEILING.some((s) => s.Action.some((p) => covers(p, action)));
const denied = (action: string) => WORKLOAD_DENIED.some((s) => s.Action.some((p) => covers(p, action)));

describe("workload boundary", () => {
    it("is named from the prefix, so its ARN is known before it exists", () => {
        assert.strictEqual(workloadBoundaryArn("aws", "123456789012", "pos-prod"), "arn:aws:iam::123456789012:policy/pos-prod-workload-boundary");
    });

    it("denies identity, role chaining, key takeover, switching the audit off and deleting recovery points", () => {
        for (const a of [
            "iam:PassRole", "iam:CreateRole", "iam:PutRolePolicy", "organizations:LeaveOrganization", "account:PutAlternateContact", "sts:AssumeRole",
            "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "cloudtrail:PutEventSelectors",
            "backup:DeleteRecoveryPoint", "backup:DeleteBackupVault", "backup:DeleteBackupVaultLockConfiguration", "backup:DeleteBackupVaultAccessPolicy",
        ]) assert.ok(denied(a), a);
        // Grants AWS Backup and RDS create for encrypted snapshot copies and restores stay possible.
        assert.ok(!denied("kms:CreateGrant") && allowed("kms:CreateGrant"));
    });

    it("allows what the stack's workload roles call (their own documents and the AWS managed policies they carry)", () => {
        for (const a of [
            // ECS execution and task roles
            "ecr:GetAuthorizationToken", "ecr:BatchGetImage", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams", "secretsmanager:GetSecretValue", "ssm:GetParameters",
            "kms:Decrypt", "kms:GenerateDataKey", "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket", "ssmmessages:OpenDataChannel",
            // RDS enhanced monitoring
            "logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:GetLogEvents",
            // AWS Backup: RDS, DocumentDB and S3 backups, copies and restores
            "rds:CreateDBSnapshot", "rds:CopyDBClusterSnapshot", "rds:RestoreDBInstanceFromDBSnapshot", "rds:RestoreDBClusterFromSnapshot", "backup:CopyIntoBackupVault",
            "s3:GetBucketTagging", "s3:PutInventoryConfiguration", "events:PutRule", "tag:GetResources", "cloudwatch:GetMetricData",
        ]) assert.ok(allowed(a) && !denied(a), a);
    });

    it("passes the pack's wildcard check (no * on *, no service-wide action): the ceiling names its actions", () => {
        assert.deepStrictEqual(wildcardFindings(workloadBoundaryDocument(), "policy", "IAM policy", []), []);
        for (const s of WORKLOAD_CEILING) for (const a of list(s.Action)) if (a.includes("*")) assert.match(a, /^[a-z0-9-]+:(Describe|List|Get|Restore)[A-Za-z]*\*$/, a);
    });

    it("creates one customer-managed policy named <namePrefix>-workload-boundary with that document", async () => {
        const run = await runUnderMocks(() => new WorkloadBoundary("b", { namePrefix: "pos-prod" }));
        const policy = run.one("aws:iam/policy:Policy", "b-policy");
        assert.strictEqual(policy.inputs.name, "pos-prod-workload-boundary");
        assert.deepStrictEqual(JSON.parse(policy.inputs.policy), workloadBoundaryDocument());
    });

    it("refuses a prefix IAM would refuse, naming it, before registering anything", () => {
        assert.throws(() => new WorkloadBoundary("b", { namePrefix: "pos prod" }), /WorkloadBoundary b: namePrefix "pos prod" is not allowed/);
    });
});
