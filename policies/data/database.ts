import { Policies } from "@pulumi/policy";
import { rdsCustomMasterUsername, rdsIamAuthentication, rdsManagedMasterPassword, rdsNoPublicAccess } from "./database-access";
import { rdsEnhancedMonitoring, rdsLogExports, rdsMinorUpgradesAndSnapshotTags, rdsMultiAz, rdsPerformanceInsights } from "./database-operations";
import { rdsBackupRetention, rdsDeletionProtection, rdsFinalSnapshot, rdsStorageEncrypted } from "./database-protection";
import { rdsInBackupPlan, rdsPostgresForceSsl, rdsPrivateSubnetGroup } from "./database-stack";

/** RDS and DocumentDB policies (catalogue rds-01..rds-16), in catalogue order. */
export const databasePolicies: Policies = [
    rdsNoPublicAccess, // rds-01
    rdsStorageEncrypted, // rds-02
    rdsBackupRetention, // rds-03
    rdsMultiAz, // rds-04
    rdsDeletionProtection, // rds-05
    rdsIamAuthentication, // rds-06
    rdsEnhancedMonitoring, // rds-07
    rdsLogExports, // rds-08
    rdsMinorUpgradesAndSnapshotTags, // rds-09
    rdsCustomMasterUsername, // rds-10
    rdsPerformanceInsights, // rds-11
    rdsPrivateSubnetGroup, // rds-12
    rdsPostgresForceSsl, // rds-13
    rdsManagedMasterPassword, // rds-14
    rdsInBackupPlan, // rds-15
    rdsFinalSnapshot, // rds-16
];
