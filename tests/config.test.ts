import * as assert from "assert";
import { ConfigError, RawConfig, resolveConfig } from "../infra/config/load";
import { problemsOf } from "./config-helpers";
import { windowsOverlap } from "../infra/config/checks";
import { maxmemoryPolicyOf } from "../infra/config/sections/cache";
import { runStackExpectingError, stackConfig } from "./harness";

const TAGS = { tags: { Environment: "prod", Project: "baseline", Owner: "platform", CostCenter: "cc-1" } };

/** A minimal valid prod stack: what a stack file must set, the rest comes from the profile. A given `cache` object keeps `holds`. */
function raw(baseline: Record<string, unknown> = {}, extra: Partial<RawConfig> = {}): RawConfig {
    const cache = baseline.cache;
    return {
        baseline: {
            environment: "prod",
            app: { name: "shop" },
            domain: { name: "shop.example.com", zoneName: "example.com" },
            alerts: { emails: ["ops@example.com"] },
            ...(baseline.environment === undefined || baseline.environment === "prod" ? { backup: { copyRegion: "eu-central-1" }, deploy: { repository: "acme/shop" } } : {}),
            ...baseline,
            cache: typeof cache === "object" && cache !== null && !Array.isArray(cache) ? { holds: "cache", ...cache } : cache ?? { holds: "cache" },
        },
        region: "eu-west-1",
        defaultTags: TAGS,
        ...extra,
    };
}


/** The default Content-Security-Policy: same-origin everything, no plugins, no framing, forms only to the site. */
const CSP_EXPECTED = 'one header value of at most 1783 printable ASCII characters: directives such as default-src \'self\' separated by ";", no line breaks or commas';
/** The requirements' thresholds, the same in both profiles. */
const ALARM_DEFAULTS = {
    serviceCpuPercent: 85, serviceMemoryPercent: 90, target5xxCount: 10, loadBalancer5xxCount: 10, targetResponseTimeP95Seconds: 2, unhealthyHosts: 0,
    databaseCpuPercent: 80, databaseFreeStoragePercent: 10, databaseFreeMemoryPercent: 10, databaseConnectionsPercent: 80, databaseLatencyMs: 20,
    cacheCpuPercent: 80, cacheMemoryPercent: 80, cacheEvictions: 0, documentDbCpuPercent: 80, documentDbConnectionsPercent: 80,
};
const DEFAULT_CSP = "default-src 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; upgrade-insecure-requests";

describe("stack configuration", () => {
    // The per-environment defaults are part of the program's contract (issue 2): written out here, not
    // read from stacks/profiles.json, so an edit of a profile that weakens prod fails a test.
    it("fills every unset key from the prod profile: NAT per AZ, Multi-AZ, 30 days of backups, deletion protection, protected resources", () => {
        const { region, tags, ...c } = resolveConfig(raw());
        assert.deepStrictEqual([region, tags], ["eu-west-1", TAGS.tags]);
        assert.deepStrictEqual(c, {
            environment: "prod",
            protectStatefulResources: true,
            app: { name: "shop" },
            network: {
                cidrBlock: "10.0.0.0/16", availabilityZoneCount: 3, natGateways: "OnePerAz",
                publicSubnetMask: 24, privateSubnetMask: 20, isolatedSubnetMask: 24, interfaceEndpoints: true, flowLogRetentionDays: 365,
            },
            database: {
                engineVersion: "15", instanceClass: "db.m6g.large", allocatedStorage: 100, maxAllocatedStorage: 500, multiAz: true,
                backupRetentionDays: 30, backupWindow: "03:00-04:00", maintenanceWindow: "sun:04:30-sun:05:30", deletionProtection: true,
                masterUsername: "baseline_admin", databaseName: "app", monitoringIntervalSeconds: 30, performanceInsightsRetentionDays: 7, slowQueryThresholdMs: 500, passwordRotationDays: 30,
            },
            // No maxmemoryPolicy: it follows `holds` (allkeys-lru for a cache; queues never evict).
            cache: {
                engineVersion: "7.1", nodeType: "cache.m6g.large", numCacheClusters: 2, snapshotRetentionDays: 7,
                snapshotWindow: "02:00-03:00", maintenanceWindow: "sun:05:30-sun:06:30", holds: "cache", authTokenVersion: 1, retirePreviousAuthToken: false,
            },
            documentDb: {
                enabled: false, engineVersion: "5.0.0", instanceClass: "db.r6g.large", instanceCount: 2,
                backupRetentionDays: 30, backupWindow: "03:00-04:00", deletionProtection: true, masterUsername: "docdbowner", passwordRotationDays: 30,
            },
            storage: { noncurrentVersionTransitionDays: 30, noncurrentVersionExpirationDays: 365, abortIncompleteUploadDays: 7, logRetentionDays: 365 },
            domain: { name: "shop.example.com", zoneName: "example.com" },
            alerts: { emails: ["ops@example.com"] },
            logs: { retentionDays: 365 },
            kms: { deletionWindowDays: 30 },
            compute: { enableExecuteCommand: false, imagesToKeep: 30 },
            loadBalancer: { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", deregistrationDelaySeconds: 30, idleTimeoutSeconds: 60 },
            edge: { cloudFront: true, loadBalancerOnlyFromCloudFront: true, priceClass: "PriceClass_All", minimumProtocolVersion: "TLSv1.2_2021", contentSecurityPolicy: DEFAULT_CSP, publicAssetsPrefix: "static/", originTokenVersion: 1 },
            waf: { rateLimit: 2000, ipAllowList: [], ipBlockList: [], allowedCountries: [], blockedCountries: [], countedRules: [] },
            alarms: ALARM_DEFAULTS,
            budget: { monthlyLimitUsd: 500, costAllocationTag: "Project" },
            audit: { cloudTrail: true, glacierAfterDays: 90, expireAfterDays: 2557 },
            backup: { dailyRetentionDays: 35, monthlyRetentionDays: 365, copyRegion: "eu-central-1" },
            deploy: { branch: "main", repository: "acme/shop" },
            services: [],
            parameters: {},
            appSecrets: {},
        });
    });

    it("uses the staging profile's cheaper defaults: one NAT, single AZ, 7 days of backups, no deletion protection, nothing protected", () => {
        const { region, tags, ...c } = resolveConfig(raw({ environment: "staging" }, { defaultTags: { tags: { ...TAGS.tags, Environment: "staging" } } }));
        assert.deepStrictEqual([region, tags], ["eu-west-1", { ...TAGS.tags, Environment: "staging" }]);
        assert.deepStrictEqual(c, {
            environment: "staging",
            protectStatefulResources: false,
            app: { name: "shop" },
            network: {
                cidrBlock: "10.1.0.0/16", availabilityZoneCount: 2, natGateways: "Single",
                publicSubnetMask: 24, privateSubnetMask: 20, isolatedSubnetMask: 24, interfaceEndpoints: false, flowLogRetentionDays: 30,
            },
            database: {
                engineVersion: "15", instanceClass: "db.t4g.medium", allocatedStorage: 20, maxAllocatedStorage: 100, multiAz: false,
                backupRetentionDays: 7, backupWindow: "03:00-04:00", maintenanceWindow: "sun:04:30-sun:05:30", deletionProtection: false,
                masterUsername: "baseline_admin", databaseName: "app", monitoringIntervalSeconds: 60, performanceInsightsRetentionDays: 7, slowQueryThresholdMs: 1000, passwordRotationDays: 30,
            },
            cache: {
                engineVersion: "7.1", nodeType: "cache.t4g.small", numCacheClusters: 1, snapshotRetentionDays: 1,
                snapshotWindow: "02:00-03:00", maintenanceWindow: "sun:05:30-sun:06:30", holds: "cache", authTokenVersion: 1, retirePreviousAuthToken: false,
            },
            documentDb: {
                enabled: false, engineVersion: "5.0.0", instanceClass: "db.t4g.medium", instanceCount: 1,
                backupRetentionDays: 7, backupWindow: "03:00-04:00", deletionProtection: false, masterUsername: "docdbowner", passwordRotationDays: 30,
            },
            storage: { noncurrentVersionTransitionDays: 30, noncurrentVersionExpirationDays: 90, abortIncompleteUploadDays: 7, logRetentionDays: 90 },
            domain: { name: "shop.example.com", zoneName: "example.com" },
            alerts: { emails: ["ops@example.com"] },
            logs: { retentionDays: 30 },
            kms: { deletionWindowDays: 30 },
            compute: { enableExecuteCommand: false, imagesToKeep: 10 },
            loadBalancer: { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", deregistrationDelaySeconds: 30, idleTimeoutSeconds: 60 },
            edge: { cloudFront: true, loadBalancerOnlyFromCloudFront: true, priceClass: "PriceClass_100", minimumProtocolVersion: "TLSv1.2_2021", contentSecurityPolicy: DEFAULT_CSP, publicAssetsPrefix: "static/", originTokenVersion: 1 },
            waf: { rateLimit: 2000, ipAllowList: [], ipBlockList: [], allowedCountries: [], blockedCountries: [], countedRules: [] },
            alarms: ALARM_DEFAULTS,
            budget: { monthlyLimitUsd: 150, costAllocationTag: "Project" },
            audit: { cloudTrail: true, glacierAfterDays: 90, expireAfterDays: 365 },
            backup: { dailyRetentionDays: 7, monthlyRetentionDays: 90 },
            deploy: { branch: "main" },
            services: [],
            parameters: {},
            appSecrets: {},
        });
    });

    it("lets a stack override one key of a section and keep the rest", () => {
        const c = resolveConfig(raw({ database: { backupRetentionDays: 35 } }));
        assert.deepStrictEqual(c.database, { ...resolveConfig(raw()).database, backupRetentionDays: 35 });
    });

    it("loads both stack files of the repository, with what each stack sets over its profile", () => {
        const load = (stack: string) => {
            const config = stackConfig(stack);
            const baseline: Record<string, unknown> = {};
            for (const [k, v] of Object.entries(config)) if (k.startsWith("baseline:")) baseline[k.slice(9)] = v.startsWith("{") || v.startsWith("[") ? JSON.parse(v) : v;
            return resolveConfig({ baseline, region: config["aws:region"], defaultTags: JSON.parse(config["aws:defaultTags"]) });
        };
        const picked = (c: ReturnType<typeof load>) => ({
            environment: c.environment, region: c.region, protect: c.protectStatefulResources, tags: c.tags, app: c.app, domain: c.domain.name, emails: c.alerts.emails,
            cidr: c.network.cidrBlock, azs: c.network.availabilityZoneCount, nat: c.network.natGateways,
            db: [c.database.databaseName, c.database.masterUsername, c.database.allocatedStorage, c.database.maxAllocatedStorage, c.database.multiAz, c.database.deletionProtection],
            cache: [c.cache.numCacheClusters, c.cache.holds, c.cache.maxmemoryPolicy], documentDb: [c.documentDb.enabled, c.documentDb.instanceCount],
        });
        assert.deepStrictEqual(picked(load("prod")), {
            environment: "prod", region: "eu-west-1", protect: true,
            tags: { Environment: "prod", Project: "baseline", Owner: "platform-team", CostCenter: "cc-4100", Stack: "pos-prod" },
            app: { name: "pos" }, domain: "pos.example.com", emails: ["oncall@example.com", "platform-alerts@example.com"],
            cidr: "10.20.0.0/16", azs: 3, nat: "OnePerAz",
            db: ["pos", "pos_admin", 100, 1000, true, true],
            cache: [2, "both", undefined], documentDb: [true, 2],
        });
        assert.deepStrictEqual(picked(load("staging")), {
            environment: "staging", region: "eu-west-1", protect: false,
            tags: { Environment: "staging", Project: "baseline", Owner: "platform-team", CostCenter: "cc-4100", Stack: "pos-staging" },
            app: { name: "pos" }, domain: "pos.staging.example.com", emails: ["platform-alerts@example.com"],
            cidr: "10.21.0.0/16", azs: 2, nat: "Single",
            db: ["pos", "pos_admin", 20, 100, false, false],
            cache: [1, "both", undefined], documentDb: [true, 1],
        });
    });

    describe("rejects bad input with the key, the value and what is allowed", () => {
        const cases: [string, RawConfig, ...string[]][] = [
            ["unknown environment", raw({ environment: "production" }), 'baseline:environment = "production" is not allowed: expected one of "prod", "staging"'],
            ["malformed CIDR", raw({ network: { cidrBlock: "10.0.0.0/33" } }), 'baseline:network.cidrBlock = "10.0.0.0/33" is not allowed: expected an IPv4 network in CIDR notation such as 10.0.0.0/16'],
            ["CIDR with host bits", raw({ network: { cidrBlock: "10.0.0.1/16" } }), 'baseline:network.cidrBlock = "10.0.0.1/16" is not allowed: expected an IPv4 network in CIDR notation such as 10.0.0.0/16'],
            ["public CIDR", raw({ network: { cidrBlock: "8.8.0.0/16" } }), 'baseline:network.cidrBlock = "8.8.0.0/16" is not allowed: expected a private (RFC 1918) range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16'],
            ["too few AZs for prod", raw({ network: { availabilityZoneCount: 1 } }), "baseline:network.availabilityZoneCount = 1 is not allowed: expected an integer from 2 to 3"],
            ["unknown NAT strategy", raw({ network: { natGateways: "None" } }), 'baseline:network.natGateways = "None" is not allowed: expected one of "OnePerAz", "Single"'],
            ["backup retention above 35", raw({ database: { backupRetentionDays: 40 } }), "baseline:database.backupRetentionDays = 40 is not allowed: expected an integer from 1 to 35"],
            ["backup retention of 0", raw({ database: { backupRetentionDays: 0 } }), "baseline:database.backupRetentionDays = 0 is not allowed: expected an integer from 1 to 35"],
            ["non-positive storage", raw({ database: { allocatedStorage: -5 } }), "baseline:database.allocatedStorage = -5 is not allowed: expected an integer from 20 to 59578"],
            ["max storage below allocated", raw({ database: { allocatedStorage: 200, maxAllocatedStorage: 100 } }), "baseline:database.maxAllocatedStorage = 100 is not allowed: expected an integer from 220 (10% above allocatedStorage 200) to 65536"],
            ["max storage less than 10% above allocated", raw({ database: { allocatedStorage: 200, maxAllocatedStorage: 210 } }), "baseline:database.maxAllocatedStorage = 210 is not allowed: expected an integer from 220 (10% above allocatedStorage 200) to 65536"],
            ["slow-query logging of every statement", raw({ database: { slowQueryThresholdMs: 0 } }), "baseline:database.slowQueryThresholdMs = 0 is not allowed: expected an integer from 1 to 3600000"],
            ["unknown engine version", raw({ database: { engineVersion: "14" } }), 'baseline:database.engineVersion = "14" is not allowed: expected one of "15", "16", "17"'],
            ["default master user", raw({ database: { masterUsername: "postgres" } }), 'baseline:database.masterUsername = "postgres" is not allowed: expected a name other than the well-known postgres, admin, administrator, root, rdsadmin, master, user, sa'],
            ["overlapping windows", raw({ database: { backupWindow: "04:00-05:00", maintenanceWindow: "sun:04:30-sun:05:30" } }), 'baseline:database.maintenanceWindow = "sun:04:30-sun:05:30" is not allowed: expected a window that does not overlap backupWindow "04:00-05:00"'],
            ["a cache maintenance window over its snapshot window", raw({ cache: { snapshotWindow: "05:00-06:00", maintenanceWindow: "sun:05:30-sun:06:30" } }), 'baseline:cache.maintenanceWindow = "sun:05:30-sun:06:30" is not allowed: expected a window that does not overlap snapshotWindow "05:00-06:00"'],
            ["malformed window", raw({ database: { backupWindow: "3am-4am" } }), 'baseline:database.backupWindow = "3am-4am" is not allowed: expected a UTC window hh:mm-hh:mm of at least 30 minutes, such as 03:00-04:00'],
            ["a ten-minute backup window", raw({ database: { backupWindow: "03:00-03:10" } }), 'baseline:database.backupWindow = "03:00-03:10" is not allowed: expected a UTC window hh:mm-hh:mm of at least 30 minutes, such as 03:00-04:00'],
            ["an empty window (start equals end)", raw({ documentDb: { backupWindow: "10:00-10:00" } }), 'baseline:documentDb.backupWindow = "10:00-10:00" is not allowed: expected a UTC window hh:mm-hh:mm of at least 30 minutes, such as 03:00-04:00'],
            ["a cache maintenance window under an hour", raw({ cache: { maintenanceWindow: "mon:01:00-mon:01:30" } }), 'baseline:cache.maintenanceWindow = "mon:01:00-mon:01:30" is not allowed: expected a UTC window ddd:hh:mm-ddd:hh:mm of at least 60 minutes, such as sun:05:30-sun:06:30'],
            ["one availability zone, even in staging", raw({ environment: "staging", network: { availabilityZoneCount: 1 } }, { defaultTags: { tags: { ...TAGS.tags, Environment: "staging" } } }), "baseline:network.availabilityZoneCount = 1 is not allowed: expected an integer from 2 to 3"],
            // The port is each service's own (baseline:services[].port): the stack-wide key is gone, and a stack still setting it is told so.
            ["the removed app port", raw({ app: { name: "shop", port: 8080 } }), "baseline:app.port is not a setting: allowed keys are name"],
            ["an app name that would end an AWS name in a hyphen", raw({ app: { name: "shop-" } }), 'baseline:app.name = "shop-" is not allowed: expected 2-20 lowercase letters and digits, starting with a letter, words joined by single hyphens'],
            ["a DocumentDB user name with an underscore", raw({ documentDb: { masterUsername: "pos_admin" } }), 'baseline:documentDb.masterUsername = "pos_admin" is not allowed: expected a letter, then up to 62 letters or digits (DocumentDB allows no underscore)'],
            ["a reserved DocumentDB user name", raw({ documentDb: { masterUsername: "Admin" } }), 'baseline:documentDb.masterUsername = "Admin" is not allowed: expected a name other than the reserved admin, administrator, root, master, serviceadmin, docdb, user'],
            ["a section key set without --path", raw({ "database.instanceClass": "db.m6g.large" }), "baseline:database.instanceClass is not a setting: set instanceClass inside the baseline:database object (pulumi config set --path 'baseline:database.instanceClass' <value>)"],
            ["protection set to null", raw({ protectStatefulResources: null }), "baseline:protectStatefulResources = null is not allowed: expected true or false"],
            ["monitoring off", raw({ database: { monitoringIntervalSeconds: 0 } }), "baseline:database.monitoringIntervalSeconds = 0 is not allowed: expected one of 1, 5, 10, 15, 30, 60"],
            ["malformed e-mail", raw({ alerts: { emails: ["ops@example.com", "not-an-email"] } }), 'baseline:alerts.emails[1] = "not-an-email" is not allowed: expected an e-mail address such as ops@example.com'],
            ["no alert e-mail", raw({ alerts: { emails: [] } }), "baseline:alerts.emails = [] is not allowed: expected a list of 1 to 10 e-mail addresses (a budget notification takes at most 10)"],
            ["single-node cache in prod", raw({ cache: { numCacheClusters: 1 } }), "baseline:cache.numCacheClusters = 1 is not allowed: expected an integer from 2 to 6 in prod (a primary and at least one replica, so a node or AZ failure fails over)"],
            ["no cache snapshots in prod", raw({ cache: { snapshotRetentionDays: 0 } }), "baseline:cache.snapshotRetentionDays = 0 is not allowed: expected an integer from 1 to 35"],
            ["single-instance DocumentDB in prod", raw({ documentDb: { enabled: true, instanceCount: 1 } }), "baseline:documentDb.instanceCount = 1 is not allowed: expected an integer from 2 to 16"],
            ["log retention forever", raw({ logs: { retentionDays: 0 } }), "baseline:logs.retentionDays = 0 is not allowed: expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"],
            ["short KMS deletion window", raw({ kms: { deletionWindowDays: 3 } }), "baseline:kms.deletionWindowDays = 3 is not allowed: expected an integer from 7 to 30"],
            ["bad domain", raw({ domain: { name: "Shop_Example", zoneName: "example.com" } }), 'baseline:domain.name = "Shop_Example" is not allowed: expected a lowercase DNS name such as shop.example.com'],
            ["unprotected prod", raw({ protectStatefulResources: false }), "baseline:protectStatefulResources = false is not allowed: expected true in prod (databases, buckets and keys must survive a destroy)"],
            ["typo in a section key", raw({ database: { backupRetention: 30 } }), "baseline:database.backupRetention is not a setting: allowed keys are engineVersion, instanceClass, allocatedStorage, maxAllocatedStorage, multiAz, backupRetentionDays, backupWindow, maintenanceWindow, deletionProtection, masterUsername, databaseName, monitoringIntervalSeconds, performanceInsightsRetentionDays, slowQueryThresholdMs, passwordRotationDays"],
            ["unknown top-level key", raw({ databse: {} }), "baseline:databse is not a setting: allowed keys are environment, protectStatefulResources, services, parameters, appSecrets, app, network, database, cache, documentDb, storage, domain, alerts, logs, kms, compute, loadBalancer, edge, waf, alarms, budget, audit, backup, deploy"],
            ["section that is not an object", raw({ documentDb: "big" }), 'baseline:documentDb = "big" is not allowed: expected an object with keys enabled, engineVersion, instanceClass, instanceCount, backupRetentionDays, backupWindow, deletionProtection, masterUsername, passwordRotationDays'],
            ["missing region", raw({}, { region: undefined }), "aws:region = (unset) is not allowed: expected an AWS region such as eu-west-1"],
            ["missing cost tag", raw({}, { defaultTags: { tags: { Environment: "prod", Project: "p", Owner: "o" } } }), "aws:defaultTags.tags.CostCenter = (unset) is not allowed: expected a non-empty string (every resource must carry it)"],
            ["Environment tag disagrees", raw({}, { defaultTags: { tags: { ...TAGS.tags, Environment: "staging" } } }), 'aws:defaultTags.tags.Environment = "staging" is not allowed: expected "prod", the value of baseline:environment'],
            ["subnets awsx cannot align", raw({ network: { cidrBlock: "10.0.0.0/16", publicSubnetMask: 24, privateSubnetMask: 19, isolatedSubnetMask: 24 } }), 'baseline:network.cidrBlock = "10.0.0.0/16" is not allowed: expected a range where awsx can place /24, /19, /24 subnets in each of 3 AZs: each AZ gets a /18 block and subnets align to their size, so the isolated subnet would be 10.0.64.0/24, outside the first AZ\'s 10.0.0.0/18; narrow the subnet masks or widen the range'],
            ["subnets do not fit", raw({ network: { cidrBlock: "10.0.0.0/22", publicSubnetMask: 24, privateSubnetMask: 24, isolatedSubnetMask: 24 } }), 'baseline:network.cidrBlock = "10.0.0.0/22" is not allowed: expected a range with room for 3 AZs of /24, /24, /24 subnets (2304 addresses; it has 1024): widen it or narrow the subnet masks'],
            ["rate limit below WAF's minimum", raw({ waf: { rateLimit: 5 } }), "baseline:waf.rateLimit = 5 is not allowed: expected an integer from 10 to 2000000000"],
            ["a CSP of two header lines", raw({ edge: { contentSecurityPolicy: "default-src 'self'\r\nX-Injected: 1" } }), `baseline:edge.contentSecurityPolicy = "default-src 'self'\\r\\nX-Injected: 1" is not allowed: expected ${CSP_EXPECTED}`],
            ["a CSP of two policies (comma)", raw({ edge: { contentSecurityPolicy: "default-src 'self', script-src 'none'" } }), `baseline:edge.contentSecurityPolicy = "default-src 'self', script-src 'none'" is not allowed: expected ${CSP_EXPECTED}`],
            ["an empty CSP", raw({ edge: { contentSecurityPolicy: " ; " } }), `baseline:edge.contentSecurityPolicy = " ; " is not allowed: expected ${CSP_EXPECTED}`],
            ["a load balancer left open without CloudFront to close it for", raw({ edge: { cloudFront: false, loadBalancerOnlyFromCloudFront: false } }), "baseline:edge.loadBalancerOnlyFromCloudFront = false is not allowed: expected true while cloudFront is false: without CloudFront the load balancer is the public entry"],
            ["unknown price class", raw({ edge: { priceClass: "PriceClass_300" } }), 'baseline:edge.priceClass = "PriceClass_300" is not allowed: expected one of "PriceClass_100", "PriceClass_200", "PriceClass_All"'],
            ["a viewer TLS policy that admits TLS 1.0", raw({ edge: { minimumProtocolVersion: "TLSv1" } }), 'baseline:edge.minimumProtocolVersion = "TLSv1" is not allowed: expected one of "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"'],
            ["public assets at the bucket's root", raw({ edge: { publicAssetsPrefix: "/" } }), 'baseline:edge.publicAssetsPrefix = "/" is not allowed: expected one key prefix segment ending in "/", such as static/ (lowercase letters, digits, ".", "_" or "-")'],
            ["a malformed CIDR in the allow-list", raw({ waf: { ipAllowList: ["203.0.113.0/24", "203.0.113.300/32"] } }), 'baseline:waf.ipAllowList[1] = "203.0.113.300/32" is not allowed: expected CIDR ranges such as 203.0.113.0/24 or 2001:db8::/32'],
            ["both allowed and blocked countries", raw({ waf: { allowedCountries: ["GB"], blockedCountries: ["KP"] } }), 'baseline:waf.allowedCountries = ["GB"] is not allowed: expected an empty list while blockedCountries is set (["KP"]): allow some countries or block some, not both', 'baseline:waf.blockedCountries = ["KP"] is not allowed: expected an empty list while allowedCountries is set (["GB"]): allow some countries or block some, not both'],
            ["a lowercase country code", raw({ waf: { blockedCountries: ["kp"] } }), 'baseline:waf.blockedCountries[0] = "kp" is not allowed: expected ISO 3166 alpha-2 country codes such as GB'],
            ["a counted rule without a reason", raw({ waf: { countedRules: [{ group: "AWSManagedRulesCommonRuleSet", rule: "SizeRestrictions_BODY", reason: "" }] } }), 'baseline:waf.countedRules[0].reason = "" is not allowed: expected why the rule may only count (at least 10 characters)'],
            ["a counted rule of a group the ACL does not use", raw({ waf: { countedRules: [{ group: "AWSManagedRulesBotControlRuleSet", rule: "CategoryHttpLibrary", reason: "our own monitoring agents" }] } }), 'baseline:waf.countedRules[0].group = "AWSManagedRulesBotControlRuleSet" is not allowed: expected one of "AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"'],
            ["a rate limit scoped to a path without a slash", raw({ waf: { rateLimitPathPrefix: "login" } }), 'baseline:waf.rateLimitPathPrefix = "login" is not allowed: expected unset, or a path prefix starting with "/", such as /login (at most 200 characters, no spaces)'],
        ];
        for (const [what, config, ...messages] of cases) {
            it(what, () => assert.deepStrictEqual(problemsOf(config), messages));
        }

        it("reports every problem at once", () => {
            assert.deepStrictEqual(problemsOf(raw({ database: { backupRetentionDays: 99, engineVersion: "9" }, kms: { deletionWindowDays: 1 } })), [
                'baseline:database.engineVersion = "9" is not allowed: expected one of "15", "16", "17"',
                "baseline:database.backupRetentionDays = 99 is not allowed: expected an integer from 1 to 35",
                "baseline:kms.deletionWindowDays = 1 is not allowed: expected an integer from 7 to 30",
            ]);
        });

        it("requires the settings only a stack can know", () => {
            const config = raw();
            delete config.baseline.domain;
            assert.deepStrictEqual(problemsOf(config), [
                "baseline:domain.name = (unset) is not allowed: expected a lowercase DNS name such as shop.example.com",
                "baseline:domain.zoneName = (unset) is not allowed: expected the public Route 53 hosted zone the domain is in, such as example.com",
            ]);
        });
    });

    describe("baseline:cache: what the Redis holds decides its eviction policy; the AUTH token rotates in two steps", () => {
        const HOLDS = 'expected one of "cache", "queues", "both": what this Redis holds (job queues need noeviction), which every stack must set';
        const evicting = (holds: string, policy: string) =>
            `baseline:cache.maxmemoryPolicy = "${policy}" is not allowed: expected "noeviction" or unset, because holds is "${holds}": an evicting policy deletes queued jobs without an error when memory fills (BullMQ, RQ and Sidekiq require noeviction)`;
        const withoutHolds = (cache: Record<string, unknown> = {}) => {
            const config = raw({ cache });
            delete (config.baseline.cache as Record<string, unknown>).holds;
            return config;
        };
        const cases: [string, RawConfig, string[]][] = [
            ["a stack that does not say what its Redis holds", withoutHolds(), [`baseline:cache.holds = (unset) is not allowed: ${HOLDS}`]],
            ["an unknown holds", raw({ cache: { holds: "jobs" } }), [`baseline:cache.holds = "jobs" is not allowed: ${HOLDS}`]],
            ["queues with allkeys-lru", raw({ cache: { holds: "queues", maxmemoryPolicy: "allkeys-lru" } }), [evicting("queues", "allkeys-lru")]],
            ["queues and cache with allkeys-lru", raw({ cache: { holds: "both", maxmemoryPolicy: "allkeys-lru" } }), [evicting("both", "allkeys-lru")]],
            // BullMQ's job locks carry a TTL: volatile policies evict them.
            ["queues with volatile-lru", raw({ cache: { holds: "queues", maxmemoryPolicy: "volatile-lru" } }), [evicting("queues", "volatile-lru")]],
            ["queues and cache with volatile-ttl", raw({ cache: { holds: "both", maxmemoryPolicy: "volatile-ttl" } }), [evicting("both", "volatile-ttl")]],
            ["an unknown policy", raw({ cache: { maxmemoryPolicy: "lru" } }),
                ['baseline:cache.maxmemoryPolicy = "lru" is not allowed: expected one of "volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu", "volatile-random", "allkeys-random", "volatile-ttl", "noeviction"']],
            ["a section that is not an object: the profile cannot say what it holds", raw({ cache: "big" }), [
                'baseline:cache = "big" is not allowed: expected an object with keys engineVersion, nodeType, numCacheClusters, snapshotRetentionDays, snapshotWindow, maintenanceWindow, holds, maxmemoryPolicy, authTokenVersion, retirePreviousAuthToken',
                `baseline:cache.holds = (unset) is not allowed: ${HOLDS}`,
            ]],
            ["retiring the token the group was created with", raw({ cache: { retirePreviousAuthToken: true } }),
                ["baseline:cache.retirePreviousAuthToken = true is not allowed: expected false while authTokenVersion is 1: the token the group was created with has no predecessor to retire; raise authTokenVersion first (step 1)"]],
            ["token version 0", raw({ cache: { authTokenVersion: 0 } }), ["baseline:cache.authTokenVersion = 0 is not allowed: expected an integer from 1 to 9999"]],
            ["a fractional token version", raw({ cache: { authTokenVersion: 2.5, retirePreviousAuthToken: "yes" } }), [
                "baseline:cache.authTokenVersion = 2.5 is not allowed: expected an integer from 1 to 9999",
                'baseline:cache.retirePreviousAuthToken = "yes" is not allowed: expected true or false',
            ]],
        ];
        for (const [what, config, problems] of cases) {
            it(`rejects ${what}`, () => assert.deepStrictEqual(problemsOf(config), problems));
        }

        it("accepts noeviction for queues, any policy for a cache, and retiring from version 2", () => {
            const cache = (given: Record<string, unknown>) => resolveConfig(raw({ cache: given })).cache;
            assert.deepStrictEqual(
                [cache({ holds: "both", maxmemoryPolicy: "noeviction" }), cache({ holds: "cache", maxmemoryPolicy: "allkeys-lfu" }), cache({ holds: "queues", authTokenVersion: 2, retirePreviousAuthToken: true })]
                    .map((c) => [c.holds, c.maxmemoryPolicy, c.authTokenVersion, c.retirePreviousAuthToken]),
                [["both", "noeviction", 1, false], ["cache", "allkeys-lfu", 1, false], ["queues", undefined, 2, true]],
            );
        });

        it("runs the stack's policy, else allkeys-lru for a cache and noeviction when it holds queues", () => {
            const policy = (given: Record<string, unknown>) => maxmemoryPolicyOf(resolveConfig(raw({ cache: given })).cache);
            assert.deepStrictEqual(
                [policy({ holds: "cache" }), policy({ holds: "queues" }), policy({ holds: "both" }), policy({ holds: "cache", maxmemoryPolicy: "volatile-lfu" })],
                ["allkeys-lru", "noeviction", "noeviction", "volatile-lfu"],
            );
        });
    });

    describe("maintenance windows", () => {
        it("detects a daily window that overlaps a weekly one, across midnight too", () => {
            assert.strictEqual(windowsOverlap("03:00-04:00", "sun:03:30-sun:04:30"), true);
            assert.strictEqual(windowsOverlap("03:00-04:00", "sun:04:30-sun:05:30"), false);
            assert.strictEqual(windowsOverlap("23:30-00:30", "mon:00:00-mon:01:00"), true);
            assert.strictEqual(windowsOverlap("23:30-00:15", "sat:23:45-sun:00:30"), true);
        });
    });

    it("fails the program before any resource is registered", async () => {
        const { error, result } = await runStackExpectingError("prod", { "baseline:database": { backupRetentionDays: 40 } });
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /baseline:database\.backupRetentionDays = 40 is not allowed/);
        assert.deepStrictEqual(result.resources, []);
    });
});
