import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { enhancedMonitoringPolicyArn } from "../infra/data/postgres-settings";
import { backupManagedPolicyArns } from "../infra/operations/backup-policies";
import { WORKLOAD_CEILING, WORKLOAD_DENIED } from "../infra/security/workload-boundary";

/**
 * A permissions boundary is a ceiling: an action an AWS managed policy grants that the boundary does not allow
 * is silently denied at run time (a backup, copy or restore job fails; the deployment does not). So every
 * action the managed policies of the boundary-limited roles allow, for a service the stack uses, is checked
 * here one by one against the boundary. The documents are fixtures (tests/fixtures/aws-managed-policies,
 * README there: source, versions, how to refresh).
 */

const DIR = path.resolve(__dirname, "fixtures/aws-managed-policies");

interface Statement { Sid?: string; Effect: "Allow" | "Deny"; Action?: string | string[]; NotAction?: string | string[]; Condition?: Record<string, Record<string, unknown>> }
interface Meta { policies: Record<string, { arn: string; versionId: string; createDate: string }> }

const meta: Meta = JSON.parse(fs.readFileSync(path.join(DIR, "_meta.json"), "utf8"));
const policies = Object.keys(meta.policies).map((name) => ({
    name,
    label: `${name} ${meta.policies[name].versionId} (${meta.policies[name].createDate.slice(0, 10)})`,
    statements: (JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), "utf8")) as { Statement: Statement[] }).Statement,
}));

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** IAM's matching, case-insensitive: `*` any run of characters, `?` one. */
const covers = (pattern: string, action: string) =>
    new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i").test(action);
/**
 * A pattern covers a granted action. If AWS ever grants a wildcard (none of the fixtures does today), only the
 * same pattern or a `prefix*` whose prefix starts the granted one's literal part covers every action it expands to.
 */
const patternCovers = (pattern: string, action: string) => {
    if (!/[*?]/.test(action)) return covers(pattern, action);
    const literal = action.split(/[*?]/)[0].toLowerCase();
    return pattern.toLowerCase() === action.toLowerCase() || (/^[^*?]*\*$/.test(pattern) && literal.startsWith(pattern.slice(0, -1).toLowerCase()));
};
const allowedBy = (action: string) => WORKLOAD_CEILING.find((s) => s.Action.some((p) => patternCovers(p, action)));
const deniedBy = (action: string) => WORKLOAD_DENIED.find((s) => s.Action.some((p) => covers(p, action) || covers(action, p)));

/**
 * The services the boundary-limited roles use for this stack: RDS (PostgreSQL and DocumentDB share the rds
 * API), S3, KMS, Backup, tag lookups, EventBridge (S3 backups), CloudWatch metrics, Logs, and EC2 reads.
 * EC2 writes (EBS, AMI, EC2 instance backups and restores), DynamoDB, EFS, FSx, Storage Gateway, Redshift,
 * Timestream, SSM/SAP and the like serve resource types the stack does not back up.
 */
const IN_SCOPE = new Set(["rds", "s3", "kms", "backup", "tag", "events", "cloudwatch", "logs"]);
const inScope = (action: string) => {
    const [service, name = ""] = action.toLowerCase().split(":");
    return IN_SCOPE.has(service) || (service === "ec2" && name.startsWith("describe"));
};

/** What is not checked, each with why: actions (`action`) or whole statements (`sid`) of one policy. */
const EXCLUDED: readonly { policy: string; sid: string; action?: string; reason: string }[] = [
    { policy: "AWSBackupServiceRolePolicyForRestores", sid: "RDSPermissions", action: "rds:CreateTenantDatabase", reason: "RDS for Oracle multitenant (tenant databases in a CDB): the stack runs PostgreSQL and DocumentDB" },
    { policy: "AWSBackupServiceRolePolicyForRestores", sid: "RDSPermissions", action: "rds:DeleteTenantDatabase", reason: "RDS for Oracle multitenant (tenant databases in a CDB): the stack runs PostgreSQL and DocumentDB" },
    { policy: "AWSBackupServiceRolePolicyForRestores", sid: "CreateClusterIAMPerms", reason: "iam:PassRole to EKS, EC2, EKS pods and Backup, for restores of EKS clusters: the stack backs up no EKS cluster (and the boundary denies iam:*)" },
    { policy: "AWSBackupServiceRolePolicyForBackup", sid: "GuardDutyMalwareScanIAMPassPermissions", reason: "iam:PassRole to GuardDuty malware protection, for scans of recovery points: not turned on (the boundary denies iam:*)" },
];
const excluded = (policy: string, sid: string | undefined, action: string) =>
    EXCLUDED.some((e) => e.policy === policy && e.sid === sid && (e.action === undefined || e.action.toLowerCase() === action.toLowerCase()));

/** Every (policy, statement, action) an Allow statement grants. */
const granted = policies.flatMap((p) =>
    p.statements.filter((s) => s.Effect === "Allow").flatMap((s) => list(s.Action).map((action) => ({ policy: p, sid: s.Sid, action }))));

describe("workload boundary against the AWS managed policies the stack's roles carry", () => {
    it("has the documents of exactly the managed policies the Backup and enhanced-monitoring roles attach", () => {
        assert.deepStrictEqual(
            Object.values(meta.policies).map((p) => p.arn).sort(),
            [...backupManagedPolicyArns("aws"), enhancedMonitoringPolicyArn("aws")].sort(),
        );
        for (const p of policies) {
            // NotAction would grant by exclusion: the per-action check below could not see it.
            assert.ok(p.statements.every((s) => s.NotAction === undefined), `${p.label}: a NotAction statement needs a check of its own`);
            assert.ok(granted.some((g) => g.policy === p && inScope(g.action)), `${p.label}: no in-scope action read: is the fixture empty?`);
        }
    });

    it("allows, and does not deny, every in-scope action those policies grant", () => {
        const checked = granted.filter((g) => inScope(g.action) && !excluded(g.policy.name, g.sid, g.action));
        const problems = checked.flatMap((g) => {
            const where = `${g.action} (${g.policy.label}, statement ${g.sid ?? "without Sid"})`;
            const deny = deniedBy(g.action);
            return [
                ...(allowedBy(g.action) ? [] : [`${where} is not allowed by the boundary's ceiling`]),
                ...(deny ? [`${where} is denied by the boundary's ${deny.Sid}`] : []),
            ];
        });
        assert.deepStrictEqual(problems, [], `silently denied at run time:\n  ${problems.join("\n  ")}`);
        assert.ok(checked.length >= 100, `only ${checked.length} actions checked: did the filter or the fixtures change?`);
    });

    it("names a reason for every exclusion, and each one still matches a statement of its policy", () => {
        for (const e of EXCLUDED) {
            assert.ok(e.reason.length > 20, `${e.policy} ${e.sid} ${e.action ?? ""}: no reason`);
            assert.ok(granted.some((g) => g.policy.name === e.policy && g.sid === e.sid && (e.action === undefined || g.action.toLowerCase() === e.action.toLowerCase())),
                `exclusion ${e.policy} ${e.sid} ${e.action ?? "(statement)"} matches nothing in ${meta.policies[e.policy]?.versionId ?? "any fixture"}: drop it`);
        }
    });

    it("passes roles only to services the stack does not use (each such statement is an explicit exclusion)", () => {
        const passRoles = granted.filter((g) => covers(g.action, "iam:PassRole") || covers("iam:PassRole", g.action));
        assert.ok(passRoles.length > 0);
        for (const g of passRoles) {
            const statement = g.policy.statements.find((s) => s.Sid === g.sid);
            const to = Object.values(statement?.Condition ?? {}).flatMap((c) => list(c["iam:PassedToService"] as string | string[] | undefined));
            assert.ok(to.length > 0 && excluded(g.policy.name, g.sid, g.action),
                `${g.policy.label} statement ${g.sid} passes roles to ${to.join(", ") || "any service"}: the boundary denies iam:*; decide whether the stack needs it`);
        }
    });
});
