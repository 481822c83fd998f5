import * as assert from "assert";
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * scripts/with-node22.sh when several runs start at once on one machine: each gets its own copy of
 * the script in a scratch checkout, a fresh cache folder (XDG_CACHE_HOME) and a PATH whose `node`
 * and `npm` are fakes. The fake npm installs slowly and, like the real one (ENOTEMPTY), fails when
 * a second install works in the same folder at the same time, so runs that are not kept apart fail.
 */
const SCRIPT = path.resolve(__dirname, "../scripts/with-node22.sh");
const INSTALL_SECONDS = "0.4";

const fakeNode = (major: number) => `#!/bin/sh
case "$1" in
  -p) echo ${major} ;;
  --version) echo v${major}.99.0 ;;
  *) echo "fake node: unexpected $*" >&2; exit 1 ;;
esac
`;

const FAKE_NPM = `#!/bin/sh
set -e
case "$1" in
  install)
    prefix=; prev=
    for a in "$@"; do [ "$prev" = --prefix ] && prefix=$a; prev=$a; done
    echo "install $prefix" >>"$FAKE_NPM_LOG"
    mkdir -p "$prefix/node_modules"
    mkdir "$prefix/node_modules/.staging" 2>/dev/null || { echo "npm error code ENOTEMPTY ($prefix)" >&2; exit 1; }
    sleep ${INSTALL_SECONDS}
    [ -z "$FAKE_NPM_FAIL" ] || { echo "npm error network" >&2; exit 1; }
    mkdir -p "$prefix/node_modules/node/bin"
    cat >"$prefix/node_modules/node/bin/node" <<'EOF'
${fakeNode(22)}EOF
    chmod +x "$prefix/node_modules/node/bin/node"
    rmdir "$prefix/node_modules/.staging"
    ;;
  ci)
    echo "ci $(node --version)" >>"$FAKE_NPM_LOG"
    mkdir .npm-ci-running 2>/dev/null || { echo "npm error code ENOTEMPTY (node_modules)" >&2; exit 1; }
    rm -rf node_modules && mkdir node_modules
    sleep ${INSTALL_SECONDS}
    : >node_modules/.package-lock.json
    rmdir .npm-ci-running
    ;;
  *) echo "fake npm: unexpected $*" >&2; exit 1 ;;
esac
`;

interface Sandbox {
    root: string;
    repo: string;
    cache: string;
    log: string;
    env: NodeJS.ProcessEnv;
}

/** A scratch checkout (the script and an old lock file), a cache folder and a PATH with `node` at `systemNodeMajor`. */
function sandbox(systemNodeMajor: number, extraEnv: NodeJS.ProcessEnv = {}): Sandbox {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "setup-script-"));
    const repo = path.join(root, "repo");
    const bin = path.join(root, "bin");
    fs.mkdirSync(path.join(repo, "scripts"), { recursive: true });
    fs.copyFileSync(SCRIPT, path.join(repo, "scripts/with-node22.sh"));
    const lock = path.join(repo, "package-lock.json");
    fs.writeFileSync(lock, "{}\n");
    const anHourAgo = new Date(Date.now() - 3600_000);
    fs.utimesSync(lock, anHourAgo, anHourAgo);
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "node"), fakeNode(systemNodeMajor), { mode: 0o755 });
    fs.writeFileSync(path.join(bin, "npm"), FAKE_NPM, { mode: 0o755 });
    const cache = path.join(root, "cache");
    const log = path.join(root, "npm.log");
    fs.writeFileSync(log, "");
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}`, XDG_CACHE_HOME: cache, FAKE_NPM_LOG: log, FAKE_NPM_FAIL: "", BASELINE_SETUP_LOCK: "", ...extraEnv };
    return { root, repo, cache, log, env };
}

interface Outcome {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** Runs still going after this long are stuck (a lock never released): they are killed and fail. */
const RUN_DEADLINE_MS = 8_000;

/** Start `count` runs of the script at once, each printing the version of the node it puts on PATH. */
function runTogether(box: Sandbox, count: number): Promise<Outcome[]> {
    return Promise.all(Array.from({ length: count }, () => new Promise<Outcome>((resolve, reject) => {
        const child = spawn("bash", [path.join(box.repo, "scripts/with-node22.sh"), "node", "--version"], { cwd: box.root, env: box.env });
        let stdout = "";
        let stderr = "";
        const timer = setTimeout(() => {
            stderr += `\n(killed after ${RUN_DEADLINE_MS} ms)`;
            child.kill("SIGKILL");
        }, RUN_DEADLINE_MS);
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (status) => {
            clearTimeout(timer);
            resolve({ status, stdout, stderr });
        });
    })));
}

const npmCalls = (box: Sandbox) => fs.readFileSync(box.log, "utf8").split("\n").filter(Boolean);
const cacheEntries = (box: Sandbox) => fs.readdirSync(box.cache).sort();
const installedNode = (box: Sandbox) => path.join(box.cache, "baseline-node22/node_modules/node/bin/node");

function assertSucceeded(outcomes: Outcome[]) {
    for (const o of outcomes) assert.deepStrictEqual({ status: o.status, stdout: o.stdout }, { status: 0, stdout: "v22.99.0\n" }, o.stderr);
}

/** One complete node@22 install in the cache, and nothing left of the others. */
function assertOneCompleteInstall(box: Sandbox) {
    assert.deepStrictEqual(cacheEntries(box), ["baseline-node22", "baseline-setup-locks"]);
    assert.ok(fs.statSync(installedNode(box)).mode & 0o100, "node@22 is not executable");
    assert.deepStrictEqual(fs.readdirSync(path.join(box.cache, "baseline-node22/node_modules")), ["node"]);
}

describe("scripts/with-node22.sh run concurrently", function () {
    this.timeout(20_000);
    const boxes: Sandbox[] = [];
    const make = (major: number, env: NodeJS.ProcessEnv = {}) => {
        const box = sandbox(major, env);
        boxes.push(box);
        return box;
    };
    after(() => boxes.forEach((b) => fs.rmSync(b.root, { recursive: true, force: true })));

    it("two runs that both must install node@22 both succeed, and the cache holds exactly one install", async () => {
        const box = make(20);
        const outcomes = await runTogether(box, 2);
        assertSucceeded(outcomes);
        assert.strictEqual(npmCalls(box).filter((c) => c.startsWith("install ")).length, 2, "both runs should have installed");
        assertOneCompleteInstall(box);
        assert.strictEqual(outcomes.filter((o) => o.stderr.includes("another run installed node@22 first")).length, 1);
        // npm ci ran once, under node@22: the second run waited for the lock and found node_modules current.
        assert.deepStrictEqual(npmCalls(box).filter((c) => c.startsWith("ci ")), ["ci v22.99.0"]);
        assert.ok(fs.existsSync(path.join(box.repo, "node_modules/.package-lock.json")));
    });

    for (const lock of ["flock", "mkdir"]) {
        it(`three runs in one checkout run npm ci once (${lock} lock)`, async () => {
            const box = make(22, { BASELINE_SETUP_LOCK: lock === "mkdir" ? "mkdir" : "" });
            assertSucceeded(await runTogether(box, 3));
            assert.deepStrictEqual(npmCalls(box), ["ci v22.99.0"]);
            assert.ok(fs.existsSync(path.join(box.repo, "node_modules/.package-lock.json")));
        });
    }

    it("takes over a mkdir lock whose holder is gone", async () => {
        const box = make(22, { BASELINE_SETUP_LOCK: "mkdir" });
        const key = execFileSync("sh", ["-c", "pwd -P | cksum | cut -d' ' -f1"], { cwd: box.repo, encoding: "utf8" }).trim();
        const lockDir = path.join(box.cache, "baseline-setup-locks", `${key}.lock.d`);
        fs.mkdirSync(lockDir, { recursive: true });
        fs.writeFileSync(path.join(lockDir, "pid"), `${spawnSync("true").pid}\n`);
        const [outcome] = await runTogether(box, 1);
        assertSucceeded([outcome]);
        assert.match(outcome.stderr, /removed stale lock/);
        assert.ok(!fs.existsSync(lockDir), "the lock is released");
    });

    it("a failed install leaves no folder behind, and the next run installs", async () => {
        const box = make(20, { FAKE_NPM_FAIL: "1" });
        const [failed] = await runTogether(box, 1);
        assert.notStrictEqual(failed.status, 0);
        assert.deepStrictEqual(cacheEntries(box), []);
        box.env.FAKE_NPM_FAIL = "";
        assertSucceeded(await runTogether(box, 1));
        assertOneCompleteInstall(box);
    });

    it("replaces an incomplete cache folder left by an in-place install", async () => {
        const box = make(20);
        fs.mkdirSync(path.join(box.cache, "baseline-node22/node_modules/.staging"), { recursive: true });
        assertSucceeded(await runTogether(box, 1));
        assertOneCompleteInstall(box);
    });
});
