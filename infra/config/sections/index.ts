import { SectionChecks } from "../checks";
import { Section } from "../types";
import { APP_CHECKS } from "./app";
import { CACHE_CHECKS } from "./cache";
import { COMPUTE_CHECKS, LOAD_BALANCER_CHECKS } from "./compute";
import { DATABASE_CHECKS } from "./database";
import { DOCUMENT_DB_CHECKS } from "./document-db";
import { EDGE_CHECKS, WAF_CHECKS } from "./edge";
import { NETWORK_CHECKS } from "./network";
import { ALARMS_CHECKS } from "./alarms";
import { ALERTS_CHECKS, AUDIT_CHECKS, BACKUP_CHECKS, BUDGET_CHECKS, DEPLOY_CHECKS, DOMAIN_CHECKS, KMS_CHECKS, LOGS_CHECKS } from "./operations";
import { STORAGE_CHECKS } from "./storage";

/**
 * Every setting of every section with its check. The config loader runs these on the merged stack
 * values; each component runs its section's on its arguments, so every limit is defined once.
 */
export const SECTION_CHECKS: Readonly<Record<Section, SectionChecks>> = {
    app: APP_CHECKS,
    network: NETWORK_CHECKS,
    database: DATABASE_CHECKS,
    cache: CACHE_CHECKS,
    documentDb: DOCUMENT_DB_CHECKS,
    storage: STORAGE_CHECKS,
    domain: DOMAIN_CHECKS,
    alerts: ALERTS_CHECKS,
    logs: LOGS_CHECKS,
    kms: KMS_CHECKS,
    compute: COMPUTE_CHECKS,
    loadBalancer: LOAD_BALANCER_CHECKS,
    edge: EDGE_CHECKS,
    waf: WAF_CHECKS,
    alarms: ALARMS_CHECKS,
    budget: BUDGET_CHECKS,
    audit: AUDIT_CHECKS,
    backup: BACKUP_CHECKS,
    deploy: DEPLOY_CHECKS,
};
