import * as aws from "@pulumi/aws";
import { ResourceReporter, tokenOf } from "../lib/define";
import { isUnknown, show } from "../lib/props";

/**
 * The database resource types the rds-* policies cover, what messages call them, and the inputs
 * whose names differ between them (`username` on an instance, `masterUsername` on clusters).
 */

export const RDS_INSTANCE = tokenOf(aws.rds.Instance);
export const RDS_CLUSTER = tokenOf(aws.rds.Cluster);
export const RDS_CLUSTER_INSTANCE = tokenOf(aws.rds.ClusterInstance);
export const DOCDB_CLUSTER = tokenOf(aws.docdb.Cluster);

/** Every resource that holds data: instances, Aurora clusters and DocumentDB clusters. */
export const DATABASES = [aws.rds.Instance, aws.rds.Cluster, aws.docdb.Cluster];

const LABELS: Record<string, string> = {
    [RDS_INSTANCE]: "RDS instance",
    [RDS_CLUSTER]: "RDS cluster",
    [RDS_CLUSTER_INSTANCE]: "RDS cluster instance",
    [DOCDB_CLUSTER]: "DocumentDB cluster",
};

/** "RDS instance", "DocumentDB cluster": the subject of a violation message. */
export function labelOf(type: string): string {
    return LABELS[type] ?? type;
}

/** Master credential inputs: instances say `username`/`password`, both cluster types `masterUsername`/`masterPassword`. */
export function credentialFields(type: string): { username: string; password: string; passwordWo: string } {
    return type === RDS_INSTANCE
        ? { username: "username", password: "password", passwordWo: "passwordWo" }
        : { username: "masterUsername", password: "masterPassword", passwordWo: "masterPasswordWo" };
}

/** A boolean input with a required value. */
export interface FlagRule {
    field: string;
    expected: boolean;
    /** What AWS does when the input is unset. */
    awsDefault: boolean;
    /** The rule, as in "<Resource> must <must>". */
    must: string;
    /** The rule as a statement, for the unverifiable report: "storage is encrypted". */
    holds: string;
}

/**
 * Check one boolean input: unset means the AWS default, an unknown value is reported as unverifiable
 * (never passed silently). Returns true when the rule holds or cannot be decided yet.
 */
export function checkFlag(props: Record<string, any>, what: string, rule: FlagRule, report: ResourceReporter): boolean {
    const value = props[rule.field];
    if (isUnknown(value)) {
        report.unverifiable(rule.field, value, rule.holds);
        return true;
    }
    if ((value ?? rule.awsDefault) === rule.expected) return true;
    const unsetOk = rule.awsDefault === rule.expected ? " or unset" : "";
    report.violation(`${what} must ${rule.must}: ${rule.field} is ${show(value)}, expected ${rule.expected}${unsetOk}.`);
    return false;
}
