import * as assert from "assert";
import { RawConfig, resolveConfig } from "../infra/config/load";
import { problemsOf } from "./config-helpers";

/**
 * `baseline:services`, `baseline:compute` and `baseline:loadBalancer`: the profile defaults of each kind
 * of service, written out here (not read from stacks/profiles.json), and every error with its message.
 */

const TAGS = (env: string) => ({ tags: { Environment: env, Project: "baseline", Owner: "platform", CostCenter: "cc-1" } });
const DIGEST = `sha256:${"ab".repeat(32)}`;

function raw(services: unknown, env = "prod", baseline: Record<string, unknown> = {}): RawConfig {
    return {
        baseline: {
            environment: env,
            app: { name: "shop" },
            domain: { name: "shop.example.com", zoneName: "example.com" },
            alerts: { emails: ["ops@example.com"] },
            cache: { holds: "both" },
            // What prod must set besides: a second region for backups and the repository that deploys.
            ...(env === "prod" ? { backup: { copyRegion: "eu-central-1" }, deploy: { repository: "acme/shop" } } : {}),
            services,
            ...baseline,
        },
        region: "eu-west-1",
        defaultTags: TAGS(env),
    };
}


const WEB = { name: "web", image: "1.4.2", public: true, port: 8080 };
const WORKER = { name: "worker", image: DIGEST, command: ["node", "dist/worker.js"] };

describe("services configuration", () => {
    it("gives a prod web service and worker the profile's defaults: 2-6 and 1-4 tasks, ARM64, non-root, read-only root", () => {
        const { services, compute, loadBalancer } = resolveConfig(raw([WEB, WORKER]));
        const common = { cpu: 512, memory: 1024, architecture: "ARM64", user: "1000:1000", readonlyRootFilesystem: true, spotPercent: 0, environment: {}, secrets: {}, uses: [] };
        assert.deepStrictEqual(services, [
            {
                ...common, ...WEB,
                routing: { hosts: ["shop.example.com"], paths: ["/*"], priority: 10, healthCheckPath: "/health" },
                scaling: { min: 2, max: 6, cpuTarget: 60, memoryTarget: 75, requestsPerTarget: 1000 },
            },
            { ...common, ...WORKER, public: false, scaling: { min: 1, max: 4, cpuTarget: 60, memoryTarget: 75, requestsPerTarget: 1000 } },
        ]);
        assert.deepStrictEqual(compute, { enableExecuteCommand: false, imagesToKeep: 30 });
        assert.deepStrictEqual(loadBalancer, { sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", deregistrationDelaySeconds: 30, idleTimeoutSeconds: 60 });
    });

    it("scales staging's web service 1-2 and its worker 1-1, and keeps fewer images", () => {
        const { services, compute } = resolveConfig(raw([WEB, WORKER], "staging"));
        assert.deepStrictEqual(services.map((s) => [s.scaling.min, s.scaling.max]), [[1, 2], [1, 1]]);
        assert.strictEqual(compute.imagesToKeep, 10);
    });

    it("accepts a connection string that carries no password (integrated security, an empty Password=)", () => {
        const environment = { ConnectionStrings__Default: "Server=db;Database=pos;Integrated Security=true;Password=;" };
        assert.deepStrictEqual(resolveConfig(raw([{ ...WEB, environment }])).services[0].environment, environment);
    });

    it("has no services when the stack lists none", () => {
        assert.deepStrictEqual(resolveConfig(raw(undefined)).services, []);
    });

    it("merges a service's own routing and scaling over the defaults key by key", () => {
        const [web] = resolveConfig(raw([{ ...WEB, routing: { paths: ["/api/*"], priority: 5 }, scaling: { max: 10 } }])).services;
        assert.deepStrictEqual(web.routing, { hosts: ["shop.example.com"], paths: ["/api/*"], priority: 5, healthCheckPath: "/health" });
        assert.deepStrictEqual(web.scaling, { min: 2, max: 10, cpuTarget: 60, memoryTarget: 75, requestsPerTarget: 1000 });
    });

    it("accepts the bootstrap mode of a new stack: no image, bootstrap true", () => {
        const [web] = resolveConfig(raw([{ name: "web", public: true, port: 8080, bootstrap: true }])).services;
        assert.strictEqual(web.image, undefined);
    });

    const cases: [string, unknown, string, string?][] = [
        ["a cpu/memory pair Fargate refuses", [{ ...WEB, cpu: 256, memory: 4096 }], "baseline:services[0].memory = 4096 is not allowed: expected one of 512, 1024, 2048 MiB (what Fargate accepts with cpu 256)"],
        ["a cpu Fargate does not have", [{ ...WEB, cpu: 300 }], "baseline:services[0].cpu = 300 is not allowed: expected one of 256, 512, 1024, 2048, 4096, 8192, 16384 (Fargate CPU units)"],
        ["min above max", [{ ...WORKER, scaling: { min: 3, max: 2 } }], "baseline:services[0].scaling.max = 2 is not allowed: expected at least min (3)"],
        ["a prod web service below 2 tasks", [{ ...WEB, scaling: { min: 1 } }], "baseline:services[0].scaling.min = 1 is not allowed: expected an integer from 2 to 100 (prod public services keep a task in a second AZ)"],
        ["latest in prod", [{ ...WEB, image: "latest" }], 'baseline:services[0].image = "latest" is not allowed: expected a fixed tag or digest in prod: latest changes under a running service'],
        ["no image and no bootstrap", [{ name: "web", public: true, port: 8080 }], "baseline:services[0].image = (unset) is not allowed: expected an image tag such as 1.4.2 or a digest sha256:<64 hex>; for a new stack whose repository is still empty, leave it unset and set bootstrap: true"],
        ["an image that is a repository reference", [{ ...WEB, image: "nginx:1.27" }], 'baseline:services[0].image = "nginx:1.27" is not allowed: expected an image tag such as 1.4.2 or a digest sha256:<64 hex> in the service\'s own repository'],
        ["bootstrap with an image", [{ ...WEB, bootstrap: true }], "baseline:services[0].bootstrap = true is not allowed: expected false or unset once an image is set (bootstrap runs no task)"],
        ["a health-check path that is not a path", [{ ...WEB, routing: { healthCheckPath: "health" } }], 'baseline:services[0].routing.healthCheckPath = "health" is not allowed: expected a path starting with "/", such as /health'],
        ["a secret-looking variable name", [{ ...WEB, environment: { DB_PASSWORD: "x" } }], "baseline:services[0].environment.DB_PASSWORD looks secret by its name: move it to secrets (a Secrets Manager or SSM reference), or rename it if it only points at one (…_ARN, …_NAME, …_PATH, …_FILE)"],
        ["a *_KEY variable", [{ ...WEB, environment: { STRIPE_KEY: "x" } }], "baseline:services[0].environment.STRIPE_KEY looks secret by its name: move it to secrets (a Secrets Manager or SSM reference), or rename it if it only points at one (…_ARN, …_NAME, …_PATH, …_FILE)"],
        ["a token variable", [{ ...WEB, environment: { GITHUB_TOKEN: "x" } }], "baseline:services[0].environment.GITHUB_TOKEN looks secret by its name: move it to secrets (a Secrets Manager or SSM reference), or rename it if it only points at one (…_ARN, …_NAME, …_PATH, …_FILE)"],
        ["a connection string with credentials", [{ ...WEB, environment: { MONGO_URL: "mongodb://app:hunter2@db:27017/pos" } }], "baseline:services[0].environment.MONGO_URL holds a URL with a user name and password (value not shown): put the password in secrets and build the URL in the application"],
        ["a Key=Value connection string with a password", [{ ...WEB, environment: { ConnectionStrings__Default: "Server=db;Database=pos;User Id=app; Pwd = hunter2;" } }], "baseline:services[0].environment.ConnectionStrings__Default holds a connection string with a password (value not shown): put the password in secrets and build the string in the application"],
        ["a duplicate service name", [WEB, { ...WORKER, name: "web" }], 'baseline:services[1].name = "web" is not allowed: expected a name not already taken by baseline:services[0]'],
        ["a duplicate route", [WEB, { ...WEB, name: "api", routing: { priority: 20 } }], 'baseline:services[1].routing = {"hosts":["shop.example.com"],"paths":["/*"],"priority":20,"healthCheckPath":"/health"} is not allowed: expected a route (hosts and paths) not already taken by baseline:services[0]'],
        ["a duplicate priority", [WEB, { ...WEB, name: "api", routing: { paths: ["/api/*"], priority: 10 } }], "baseline:services[1].routing.priority = 10 is not allowed: expected a priority not already taken by baseline:services[0]"],
        ["a port the load balancer cannot reach", [{ ...WEB, port: 80 }], "baseline:services[0].port = 80 is not allowed: expected an integer from 1024 to 65535"],
        ["a public service without a port", [{ name: "web", image: "1.0", public: true }], "baseline:services[0].port = (unset) is not allowed: expected an integer from 1024 to 65535"],
        ["a worker with a port", [{ ...WORKER, port: 9000 }], "baseline:services[0].port = 9000 is not allowed: expected unset for a worker (public: false): nothing may reach it"],
        ["Spot on ARM64", [{ ...WORKER, spotPercent: 50 }], "baseline:services[0].spotPercent = 50 is not allowed: expected 0 on ARM64: Fargate Spot runs X86_64 tasks only"],
        ["Spot on a public service", [{ ...WEB, architecture: "X86_64", spotPercent: 50 }], "baseline:services[0].spotPercent = 50 is not allowed: expected 0 for a public service (Spot tasks can stop with two minutes' notice)"],
        ["a root user", [{ ...WORKER, user: "0:0" }], 'baseline:services[0].user = "0:0" is not allowed: expected a numeric non-root uid[:gid], such as "1000:1000"'],
        ["a secret reference of an unknown kind", [{ ...WEB, secrets: { DB_PASSWORD: "vault:db" } }], 'baseline:services[0].secrets.DB_PASSWORD = "vault:db" is not allowed: expected postgres:password, postgres:username, redis:authToken, documentDb:password, documentDb:username, secretsmanager:<name>[:<json key>] or ssm:/<parameter path>'],
        ["a DocumentDB secret without DocumentDB", [{ ...WEB, secrets: { MONGO_PASSWORD: "documentDb:password" } }], 'baseline:services[0].secrets.MONGO_PASSWORD = "documentDb:password" is not allowed: expected a secret that exists: baseline:documentDb.enabled is false'],
        ["a store that does not exist", [{ ...WEB, uses: ["postgres", "documentDb"] }], 'baseline:services[0].uses = ["postgres","documentDb"] is not allowed: expected a list without repeats of "postgres", "redis" (documentDb only when baseline:documentDb.enabled)'],
        ["a variable that shadows a connection setting", [{ ...WEB, environment: { DATABASE_HOST: "db" } }], 'baseline:services[0].environment.DATABASE_HOST is not allowed as a name: expected a name other than those the program sets (DATABASE_HOST, DATABASE_PORT, DATABASE_NAME, REDIS_HOST, REDIS_PORT, REDIS_TLS, DOCUMENTDB_HOST, DOCUMENTDB_PORT, ASSETS_BUCKET, ASSETS_PREFIX)'],
        ["a misspelt key", [{ ...WEB, imag: "1.0" }], "baseline:services[0].imag is not a setting: allowed keys are name, image, bootstrap, command, healthCheck, public, port, routing, cpu, memory, architecture, scaling, spotPercent, environment, secrets, uses, assets, user, readonlyRootFilesystem"],
        ["too many route values", [{ ...WEB, routing: { hosts: ["a.example.com", "b.example.com", "c.example.com"], paths: ["/a", "/b", "/c"] } }], 'baseline:services[0].routing = {"hosts":["a.example.com","b.example.com","c.example.com"],"paths":["/a","/b","/c"],"priority":10,"healthCheckPath":"/health"} is not allowed: expected at most 3 hosts and paths together (an ALB rule\'s limit of 5, less the 2 values of the origin header while its token is rotated)'],
        ["assets without a trailing slash", [{ ...WEB, assets: { prefix: "uploads", access: "read" } }], 'baseline:services[0].assets = {"prefix":"uploads","access":"read"} is not allowed: expected { prefix: "<key prefix ending in />", access: "read" or "read-write" }'],
        ["a health check not in ECS's form", [{ ...WEB, healthCheck: ["curl", "-f", "http://localhost:8080/health"] }], 'baseline:services[0].healthCheck = ["curl","-f","http://localhost:8080/health"] is not allowed: expected ECS\'s form: ["CMD", "<program>", ...] or ["CMD-SHELL", "<shell command>"]'],
        ["an assets prefix with a wildcard", [{ ...WEB, assets: { prefix: "*/", access: "read" } }], 'baseline:services[0].assets = {"prefix":"*/","access":"read"} is not allowed: expected { prefix: "<key prefix ending in />", access: "read" or "read-write" }'],
        ["services that are not a list", { web: WEB }, 'baseline:services = {"web":{"name":"web","image":"1.4.2","public":true,"port":8080}} is not allowed: expected a list of services, each with at least name and image'],
    ];
    for (const [what, services, message] of cases) {
        it(`refuses ${what}`, () => {
            assert.deepStrictEqual(problemsOf(raw(services)), [message]);
        });
    }

    it("refuses ECS Exec beside a read-only root filesystem, and allows it once the service opts out", () => {
        assert.deepStrictEqual(problemsOf(raw([WEB], "prod", { compute: { enableExecuteCommand: true } })), [
            "baseline:services[0].readonlyRootFilesystem = true is not allowed: expected false while baseline:compute.enableExecuteCommand is true (the SSM agent ECS Exec starts cannot run on a read-only root filesystem), or ECS Exec off",
        ]);
        const [web] = resolveConfig(raw([{ ...WEB, readonlyRootFilesystem: false }], "prod", { compute: { enableExecuteCommand: true } })).services;
        assert.strictEqual(web.readonlyRootFilesystem, false);
    });

    it("leaves a route five values without CloudFront, three with it (the origin header's current and previous token take two)", () => {
        const five = [{ ...WEB, routing: { hosts: ["a.example.com", "b.example.com"], paths: ["/a", "/b", "/c"] } }];
        assert.strictEqual(resolveConfig(raw(five, "prod", { edge: { cloudFront: false } })).services[0].routing?.paths.length, 3);
        const four = [{ ...WEB, routing: { hosts: ["a.example.com"], paths: ["/a", "/b", "/c"] } }];
        assert.deepStrictEqual(problemsOf(raw(four)), [
            'baseline:services[0].routing = {"hosts":["a.example.com"],"paths":["/a","/b","/c"],"priority":10,"healthCheckPath":"/health"} is not allowed: expected at most 3 hosts and paths together (an ALB rule\'s limit of 5, less the 2 values of the origin header while its token is rotated)',
        ]);
        const three = [{ ...WEB, routing: { hosts: ["a.example.com"], paths: ["/a", "/b"] } }];
        assert.deepStrictEqual(resolveConfig(raw(three)).services[0].routing?.hosts, ["a.example.com"]);
    });

    it("allows a worker on Fargate Spot when it runs X86_64", () => {
        const [worker] = resolveConfig(raw([{ ...WORKER, architecture: "X86_64", spotPercent: 50 }])).services;
        assert.strictEqual(worker.spotPercent, 50);
    });

    it("allows variables that only point at a secret, and URLs without a password", () => {
        const [web] = resolveConfig(raw([{ ...WEB, environment: { STRIPE_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:1:secret:x", API_URL: "https://api.example.com/v1" } }])).services;
        assert.deepStrictEqual(web.environment, { STRIPE_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:1:secret:x", API_URL: "https://api.example.com/v1" });
    });

    it("refuses a TLS policy that admits TLS 1.0 and a domain outside its zone", () => {
        assert.deepStrictEqual(problemsOf(raw([], "prod", { loadBalancer: { sslPolicy: "ELBSecurityPolicy-2016-08" }, domain: { name: "shop.example.org", zoneName: "example.com" } })), [
            'baseline:domain.name = "shop.example.org" is not allowed: expected a name inside zoneName "example.com" (the certificate is validated and the alias created in that zone)',
            'baseline:loadBalancer.sslPolicy = "ELBSecurityPolicy-2016-08" is not allowed: expected one of "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09"',
        ]);
    });
});
