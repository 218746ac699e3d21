// `npm test`: every test suite, on every database, then one summary (docs/decisions/032-ci-in-parallel.md).
// All at the same time (ADR 032, addendum 2026-11-30), each captured run's output printed when it ends:
//   3. the build when it is missing or older than the source, then 0. lint and format check
//      (`npm run lint`, `npm run format:check`) when package.json has them
//   1. unit (no database) + integration (vitest) on the embedded PGlite
//   2. integration again on PostgreSQL when TEST_DATABASE_URL is set (unit tests touch no
//      database: running them twice would test nothing more); 1 and 2 share STAYWELL_TEST_SHARED_DIR,
//      so the attack suites' analysis of identical pages runs once (tests/helpers/shared-analysis.ts)
//   4. once the build is there: browser tests (playwright-core + Chromium) against the built
//      server, output streamed: all of them on fresh embedded databases (what a new user runs;
//      2 workers, each with its own server), and one journey per role on a fresh PostgreSQL
//      database when TEST_DATABASE_URL is set (docs/decisions/023-ci-budget.md)
// Prints per-run counts and CPU seconds and, as its LAST line, "N passed, N failed" (totals over all runs).
// Exits non-zero when anything failed, when a run found no tests, or (in CI) when Chromium is missing.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { DATABASE_INDEPENDENT_FILES } from "../tests/helpers/database-independent";
import { chromiumMissingMessage, chromiumPath, hasChromium } from "../tests/e2e/support/chromium";
import { removeSnapshot, snapshotApp } from "../tests/e2e/support/snapshot";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const vitestCli = path.join(root, "node_modules/vitest/vitest.mjs");
const remixCli = path.join(root, "node_modules/@remix-run/dev/dist/cli.js");
const work = mkdtempSync(path.join(tmpdir(), "staywell-test-run-"));
const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;
const ci = process.env.CI === "true" || process.env.CI === "1";
const startedAt = performance.now();

interface RunResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  seconds: number;
  /** CPU seconds (user + system) of the run's processes and everything they started (Linux). */
  cpuSeconds?: number;
  notes: string[];
}
const results: RunResult[] = [];
const warnings: string[] = [];

// Ctrl-C or a SIGTERM from CI: the running steps get the signal (run()/runCaptured() forward it)
// and no further step starts; the run then ends as failed.
let interrupted: NodeJS.Signals | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    interrupted ??= signal;
  });
}
function notRun(name: string): RunResult {
  return {
    name,
    passed: 0,
    failed: 1,
    skipped: 0,
    seconds: 0,
    notes: [`not run: the run was stopped (${interrupted})`],
  };
}

function banner(text: string) {
  const line = "=".repeat(Math.max(20, text.length + 8));
  console.log(`\n${line}\n=== ${text}\n${line}`);
}

function redact(url: string) {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "postgres";
  }
}

/**
 * CPU time of a process and all its descendants, from /proc (Linux; undefined elsewhere): each live
 * process's user + system time plus that of its children it has already reaped. Sampled every
 * second while a step runs (the last sample before it ends is kept), so each step reports its CPU
 * seconds even when steps run at the same time; the run's exact total is printed at the end.
 */
const CLOCK_TICKS = 100; // USER_HZ: 100 on every Linux architecture node runs on
type ProcessTable = { stats: Map<number, { ppid: number; ticks: number }>; children: Map<number, number[]> };
// Every running step samples each second: one scan of /proc (every process's stat file) serves all
// of them for 0.9 s. A scan per step per second was most of this runner's ~7 core-s in a CI run.
let lastScan: { at: number; table: ProcessTable | undefined } | undefined;
function processTable(): ProcessTable | undefined {
  const now = performance.now();
  if (lastScan && now - lastScan.at < 900) return lastScan.table;
  lastScan = { at: now, table: scanProcesses() };
  return lastScan.table;
}
function scanProcesses(): ProcessTable | undefined {
  const stats = new Map<number, { ppid: number; ticks: number }>();
  let names: string[];
  try {
    names = readdirSync("/proc");
  } catch {
    return undefined;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // fields[0] is the state (field 3): ppid is field 4, utime..cstime fields 14-17.
      const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      stats.set(Number(name), { ppid: Number(fields[1]), ticks });
    } catch {
      // the process ended meanwhile
    }
  }
  const children = new Map<number, number[]>();
  for (const [pid, { ppid }] of stats) {
    const siblings = children.get(ppid);
    if (siblings) siblings.push(pid);
    else children.set(ppid, [pid]);
  }
  return { stats, children };
}
function treeCpuSeconds(rootPid: number): number | undefined {
  const table = processTable();
  if (!table?.stats.has(rootPid)) return undefined;
  let ticks = 0;
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.pop()!;
    ticks += table.stats.get(pid)?.ticks ?? 0;
    queue.push(...(table.children.get(pid) ?? []));
  }
  return ticks / CLOCK_TICKS;
}
/** Samples a child's process tree; `cpu()` is the largest total seen. */
function trackCpu(pid: number | undefined) {
  let most: number | undefined;
  const sample = () => {
    if (pid === undefined) return;
    const now = treeCpuSeconds(pid);
    if (now !== undefined) most = Math.max(most ?? 0, now);
  };
  const timer = setInterval(sample, 1000);
  timer.unref();
  return {
    sample,
    stop() {
      clearInterval(timer);
      return most;
    },
  };
}
/** CPU seconds of this process's children that have ended (all of them, at the end of the run). */
function reapedChildrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output?: undefined; cpuSeconds?: number }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: "inherit" });
    const cpu = trackCpu(child.pid);
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("error", (err) => {
      console.error(`Could not run ${command}: ${err.message}`);
      resolve({ code: 1, cpuSeconds: cpu.stop() });
    });
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve({ code: code ?? (signal ? 128 : 1), cpuSeconds: cpu.stop() });
    });
  });
}

/** Like run(), but keeps the output (stdout and stderr interleaved) to print later in one piece. */
function runCaptured(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string; cpuSeconds?: number }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    const cpu = trackCpu(child.pid);
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => chunks.push(c));
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("error", (err) => {
      chunks.push(Buffer.from(`Could not run ${command}: ${err.message}\n`));
      resolve({ code: 1, output: Buffer.concat(chunks).toString("utf8"), cpuSeconds: cpu.stop() });
    });
    child.on("close", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve({
        code: code ?? (signal ? 128 : 1),
        output: Buffer.concat(chunks).toString("utf8"),
        cpuSeconds: cpu.stop(),
      });
    });
  });
}

/**
 * The browser journeys that run on PostgreSQL too, one per role (ADR 023): every browser test runs
 * on the embedded database; on PostgreSQL, where the integration tests already cover every query,
 * these check that the built server works end to end on that driver. Each file must pass at least
 * one test, so a renamed file or describe block fails the run instead of silently testing less.
 */
export const POSTGRES_JOURNEYS: { file: string; describe: string; role: string }[] = [
  { file: "tests/e2e/staff-journey.test.ts", describe: "staff journey with JavaScript on", role: "staff" },
  { file: "tests/e2e/hub-journey.test.ts", describe: "people hub journey with JavaScript on", role: "hub coordinator" },
  { file: "tests/e2e/insights-journey.test.ts", describe: "manager insights journey", role: "manager" },
  {
    file: "tests/e2e/admin-journey.test.ts",
    describe: "administration journey: a support offer from creation to retirement",
    role: "admin",
  },
];

function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Runs vitest with the JSON reporter next to the normal one; counts come from the JSON file.
 * `captured`: for a run going on at the same time as another whose output streams: its output is
 * kept and printed in one piece, under its own banner, when it ends.
 */
async function vitestRun(
  name: string,
  extraArgs: string[],
  env: NodeJS.ProcessEnv,
  options: { eachFilePasses?: string[]; captured?: boolean } = {},
): Promise<RunResult> {
  if (interrupted) return notRun(name);
  if (options.captured) console.log(`\n${name}: started; its output follows when it ends.`);
  else banner(name);
  const slug = name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
  const jsonFile = path.join(work, `${slug}.json`);
  const timings = path.join(work, `${slug}.timings.jsonl`);
  const started = performance.now();
  const { code, output, cpuSeconds } = await (options.captured ? runCaptured : run)(
    process.execPath,
    [vitestCli, "run", ...extraArgs, "--reporter=default", "--reporter=json", `--outputFile.json=${jsonFile}`],
    { ...env, STAYWELL_TEST_TIMINGS: timings, FORCE_COLOR: env.FORCE_COLOR ?? (process.stdout.isTTY ? "1" : "0") },
  );
  const result: RunResult = {
    name,
    passed: 0,
    failed: 0,
    skipped: 0,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds,
    notes: [],
  };
  if (options.captured) {
    banner(`${name} (ended after ${result.seconds.toFixed(1)} s)`);
    process.stdout.write(output ?? "");
  }
  if (!existsSync(jsonFile)) {
    result.failed = 1;
    result.notes.push(`vitest produced no report (exit code ${code}): counted as 1 failure`);
    return result;
  }
  const report = JSON.parse(readFileSync(jsonFile, "utf8")) as {
    numTotalTests: number;
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
    testResults: {
      status: string;
      name: string;
      assertionResults: { status: string; fullName?: string; title?: string; failureMessages?: string[] }[];
      message?: string;
    }[];
  };
  result.passed = report.numPassedTests;
  result.failed = report.numFailedTests;
  result.skipped = report.numPendingTests + report.numTodoTests;
  // A file that failed to load or whose hooks threw has failed tests vitest may not count.
  const brokenFiles = report.testResults.filter(
    (f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed"),
  );
  // Name each failure in the summary too: CI logs are often read from their last lines only.
  for (const file of report.testResults) {
    const where = path.relative(root, file.name);
    for (const a of file.assertionResults.filter((x) => x.status === "failed")) {
      const first = (a.failureMessages?.[0] ?? "").split("\n").find((l) => l.trim()) ?? "";
      result.notes.push(`failed: ${where} > ${a.fullName ?? a.title}: ${first.slice(0, 300)}`);
    }
    if (file.status === "failed" && !file.assertionResults.some((a) => a.status === "failed")) {
      result.notes.push(`failed: ${where}: ${(file.message ?? "").split("\n")[0]!.slice(0, 300)}`);
    }
  }
  if (brokenFiles.length) {
    result.failed += brokenFiles.length;
    result.notes.push(
      `${brokenFiles.length} file(s) failed outside any test (load error or hook): counted as failures`,
    );
  }
  for (const wanted of options.eachFilePasses ?? []) {
    const file = report.testResults.find((f) => path.relative(root, f.name) === wanted);
    if (!file || !file.assertionResults.some((a) => a.status === "passed")) {
      result.failed += 1;
      result.notes.push(
        `failed: ${wanted} was selected but passed no test (renamed file or describe block?): counted as a failure`,
      );
    }
  }
  if (report.numTotalTests === 0 || result.passed === 0) {
    result.failed = Math.max(result.failed, 1);
    result.notes.push("no test passed (zero tests found or all skipped): counted as a failure");
  }
  if (code !== 0 && result.failed === 0) {
    result.failed = 1;
    result.notes.push(
      `vitest exited with code ${code} (e.g. an unhandled error or a global setup failure): counted as 1 failure`,
    );
  }
  if (existsSync(timings)) {
    const ms = readFileSync(timings, "utf8")
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { ms: number }).ms);
    if (ms.length) {
      result.notes.push(
        `per-file database setup: median ${median(ms)} ms, min ${Math.min(...ms)} ms, max ${Math.max(...ms)} ms over ${ms.length} files`,
      );
    }
  }
  return result;
}

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target, { withFileTypes: true })) {
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

function buildIsStale() {
  const builtServer = path.join(root, "build/server/index.js");
  const builtClient = path.join(root, "build/client");
  if (!existsSync(builtServer) || !existsSync(builtClient)) return "no build yet";
  const built = statSync(builtServer).mtimeMs;
  const inputs = [
    "app",
    "public",
    "db",
    "vite.config.ts",
    "scripts/precompress-assets.ts",
    "package-lock.json",
    "tsconfig.json",
  ];
  const newer = inputs.filter((p) => newestMtime(path.join(root, p)) > built);
  return newer.length ? `changed since the last build: ${newer.join(", ")}` : undefined;
}

/**
 * Builds when the build is stale. Runs alongside the integration runs (which never read build/), so
 * its output is kept and returned to print when it ends.
 */
async function build(): Promise<{ ok: boolean; output: string }> {
  if (interrupted) return { ok: false, output: `Build not started: the run was stopped (${interrupted}).\n` };
  const stale = buildIsStale();
  if (!stale) {
    return { ok: true, output: "The build is up to date (build/ is newer than app/, db/, public/ and the configs).\n" };
  }
  const started = performance.now();
  const { code, output, cpuSeconds } = await runCaptured(process.execPath, [remixCli, "vite:build"], {
    ...process.env,
    NODE_ENV: "production",
  });
  const took = `${((performance.now() - started) / 1000).toFixed(1)} s${cpuSeconds === undefined ? "" : `, ${cpuSeconds.toFixed(1)} s CPU`}`;
  return {
    ok: code === 0,
    output: `Build (${stale})\n${output}Build ${code === 0 ? "finished" : "FAILED"} (${took})\n`,
  };
}

async function withAdmin<T>(url: string, fn: (sql: postgres.Sql) => Promise<T>) {
  const admin = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await fn(admin);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

function databaseUrlFor(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.TEST_DATABASE_URL;
  delete env.E2E_DATABASE_URL;
  delete env.DATABASE_URL;
  return env;
}

/**
 * Step 0: `npm run lint` and `npm run format:check`, each only when package.json defines it. One
 * summary line: 1 passed when all that exist succeed, 1 failed otherwise. They run after the build,
 * alongside the tests; their output is kept and printed in one piece when they end.
 */
async function lintRun(): Promise<{ result: RunResult; output: string } | undefined> {
  const scripts =
    (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts?: Record<string, string> })
      .scripts ?? {};
  const steps = ["lint", "format:check"].filter((name) => scripts[name]);
  if (!steps.length) {
    console.log("\npackage.json has no lint or format:check script: nothing to lint.");
    return undefined;
  }
  const name = steps.map((s) => `npm run ${s}`).join(" + ");
  console.log(`\n${name}: started alongside the tests; its output follows when it ends.`);
  const started = performance.now();
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const failedSteps: string[] = [];
  let output = "";
  let cpu = 0;
  for (const step of steps) {
    const {
      code,
      output: stepOutput,
      cpuSeconds,
    } = await runCaptured(npm, ["run", "--silent", step], {
      ...process.env,
      FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? "1" : "0"),
    });
    output += `$ npm run ${step}\n${stepOutput}${stepOutput.endsWith("\n") || !stepOutput ? "" : "\n"}exit code ${code}\n`;
    if (code !== 0) failedSteps.push(`${step} (exit code ${code}; its output is above)`);
    cpu += cpuSeconds ?? 0;
  }
  return {
    output,
    result: {
      name,
      passed: failedSteps.length ? 0 : 1,
      failed: failedSteps.length ? 1 : 0,
      skipped: 0,
      seconds: (performance.now() - started) / 1000,
      cpuSeconds: cpu || undefined,
      notes: failedSteps.map((f) => `failed: npm run ${f}`),
    },
  };
}

let exitRequested = false;
async function main() {
  // Everything starts at once (ADR 032, addendum 2026-11-30); the browser tests are the longest
  // chain, so they start as soon as the build is there and nothing waits for the PGlite run.
  // 3 then 0: the build first (when build/ is stale: the browser tests need it), then lint and format.
  console.log("\nThe build (when build/ is stale) starts now, then lint; each one's output follows when it ends.");
  const building = build()
    .catch((err: Error) => ({ ok: false, output: `The build failed: ${err.stack ?? err.message}\n` }))
    .then((built) => {
      banner("build");
      process.stdout.write(built.output);
      return built;
    });
  const linting = building
    .then(() => lintRun())
    .catch((err: Error) => ({
      output: `${err.stack ?? err.message}\n`,
      result: { name: "lint", passed: 0, failed: 1, skipped: 0, seconds: 0, notes: [`failed: ${err.message}`] },
    }))
    .then((lint) => {
      if (lint) {
        banner(`${lint.result.name} (ran alongside the tests, ${lint.result.seconds.toFixed(1)} s)`);
        process.stdout.write(lint.output);
      }
      return lint;
    });
  // Both integration runs share one folder for the attack suites' analyses (tests/helpers/shared-analysis.ts,
  // ADR 036 addendum 2026-11-30): pages are fetched from each database, and when both runs fetched
  // the same pages the minutes of pure-CPU analysis of them are done once, by whichever run gets there first.
  const sharedAnalysisDir = path.join(work, "shared-analysis");
  mkdirSync(sharedAnalysisDir, { recursive: true });
  // 1: unit + integration on PGlite (CPU-bound: one worker), output printed when it ends.
  const pglite = vitestRun(
    "unit + integration on PGlite (in-memory; one restored dump per worker, emptied between files)",
    [],
    { ...baseEnv(), STAYWELL_TEST_SHARED_DIR: sharedAnalysisDir },
    { captured: true },
  );
  // 2: integration on PostgreSQL, from the start too: most of its time is spent waiting for the
  // PostgreSQL server (measured: 27 % of a core for the test process), output printed when it ends.
  const postgresIntegration = testDatabaseUrl
    ? vitestRun(
        `integration on PostgreSQL (${redact(testDatabaseUrl)}: one copy of a migrated template per worker, emptied between files)`,
        // Files that never use the test database ran in the PGlite run already (same code, same result).
        ["--project", "integration", ...DATABASE_INDEPENDENT_FILES.flatMap((file) => ["--exclude", file])],
        { ...baseEnv(), TEST_DATABASE_URL: testDatabaseUrl, STAYWELL_TEST_SHARED_DIR: sharedAnalysisDir },
        { captured: true },
      )
    : undefined;
  if (!postgresIntegration) {
    console.log("\nTEST_DATABASE_URL is not set: the unit and integration tests run on PGlite only.");
  }
  // 4: the browser tests (output streamed) once the build is there.
  const browserResults = building.then((built) =>
    built.ok
      ? browserSide()
      : [
          {
            name: "build",
            passed: 0,
            failed: 1,
            skipped: 0,
            seconds: 0,
            notes: ["the build failed: browser tests not run"],
          },
        ],
  );
  const [lint, pgliteResult, integrationResult, browserResultList] = await Promise.all([
    linting,
    pglite,
    postgresIntegration,
    browserResults,
  ]);
  if (lint) results.push(lint.result);
  results.push(pgliteResult);
  if (integrationResult) results.push(integrationResult);
  results.push(...browserResultList);
}

/** 4: both browser runs at the same time, on one copy of the build. */
async function browserSide(): Promise<RunResult[]> {
  const browser = chromiumPath();
  if (!hasChromium(browser)) {
    const message = chromiumMissingMessage(browser);
    console.error(`\n${message}`);
    if (ci) {
      return [
        {
          name: "browser tests",
          passed: 0,
          failed: 1,
          skipped: 0,
          seconds: 0,
          notes: [message, "CI=true: counted as a failure"],
        },
      ];
    }
    warnings.push(`WARNING: the browser tests were NOT run. ${message}`);
    return [];
  }
  // One copy of the app as just built, for both browser runs: edits in the tree meanwhile
  // (a rebuild, a new migration) cannot change what is tested half-way.
  const appDir = await snapshotApp(root);
  try {
    return await browserRuns({ ...baseEnv(), E2E_APP_DIR: appDir });
  } finally {
    await removeSnapshot(appDir);
  }
}

/**
 * One note from the browser files' statistics (tests/e2e/support/stats.ts appends a line per file
 * to E2E_STATS_FILE): how many axe runs, page states skipped as already checked, and sign-ins.
 */
function browserStatsNote(statsFile: string): string | undefined {
  if (!existsSync(statsFile)) return undefined;
  const lines = readFileSync(statsFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map(
      (l) =>
        JSON.parse(l) as {
          axeRuns: number;
          axeSeconds: number;
          axeSkipped: number;
          signIns: number;
          signInsReused: number;
          documents: number;
        },
    );
  const sum = (k: keyof (typeof lines)[number]) => lines.reduce((n, l) => n + l[k], 0);
  return (
    `${lines.length} files: axe ${sum("axeRuns")} runs (${sum("axeSeconds").toFixed(1)} s), ${sum("axeSkipped")} page states already checked; ` +
    `${sum("signIns")} sign-ins through the form, ${sum("signInsReused")} sessions reused; ${sum("documents")} document loads`
  );
}

/**
 * Browser workers (each with its own server and database) for the embedded run: E2E_WORKERS, else 2.
 * (One stop ran on 1: the seed-once server exited 143 on SIGTERM in CI. The cause was tsx's CLI,
 * which under load SIGKILLs a child that does not acknowledge a relayed signal within 30 ms; the
 * servers now run as `node --import tsx`. ADR 032.)
 */
const EMBEDDED_BROWSER_WORKERS = Math.max(1, Number(process.env.E2E_WORKERS) || 2);

/**
 * The browser tests on PGlite (every file, EMBEDDED_BROWSER_WORKERS workers, output streamed) and,
 * at the same time, the journeys on PostgreSQL (one worker, output kept and printed when they end).
 * Both share one folder of page states axe has checked (E2E_AXE_DIR): a state is checked once.
 */
async function browserRuns(env: NodeJS.ProcessEnv): Promise<RunResult[]> {
  const e2eArgs = ["--config", "vitest.e2e.config.ts"];
  const statsFile = path.join(work, "e2e-stats.jsonl");
  const axeDir = path.join(work, "e2e-axe-checked");
  mkdirSync(axeDir, { recursive: true });
  const embeddedRun = async () => {
    const embedded = await vitestRun(
      `browser tests on the built app, embedded PGlite: ${EMBEDDED_BROWSER_WORKERS} worker(s), each with its own server and database (seeded once, copied)`,
      e2eArgs,
      {
        ...env,
        E2E_STATS_FILE: statsFile,
        E2E_AXE_DIR: axeDir,
        E2E_WORKERS: String(EMBEDDED_BROWSER_WORKERS),
      },
    );
    const note = browserStatsNote(statsFile);
    if (note) embedded.notes.push(note);
    return embedded;
  };
  const [embedded, journeys] = await Promise.all([
    embeddedRun(),
    testDatabaseUrl ? postgresJourneys(testDatabaseUrl, e2eArgs, { ...env, E2E_AXE_DIR: axeDir }) : undefined,
  ]);
  return journeys ? [embedded, journeys] : [embedded];
}

async function postgresJourneys(serverUrl: string, e2eArgs: string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  const name = `staywell_e2e_${process.pid}_${Math.random().toString(16).slice(2, 8)}`;
  try {
    await withAdmin(serverUrl, (sql) => sql.unsafe(`create database "${name}"`));
  } catch (err) {
    return {
      name: "browser tests on PostgreSQL",
      passed: 0,
      failed: 1,
      skipped: 0,
      seconds: 0,
      notes: [`could not create database ${name} on ${redact(serverUrl)}: ${(err as Error).message}`],
    };
  }
  try {
    const missing = POSTGRES_JOURNEYS.filter((j) => !existsSync(path.join(root, j.file)));
    if (missing.length) {
      return {
        name: "browser journeys on PostgreSQL",
        passed: 0,
        failed: 1,
        skipped: 0,
        seconds: 0,
        notes: [`POSTGRES_JOURNEYS names files that do not exist: ${missing.map((j) => j.file).join(", ")}`],
      };
    }
    const pattern = POSTGRES_JOURNEYS.map((j) => escapeRegExp(j.describe)).join("|");
    const journeys = await vitestRun(
      `browser journeys on the built app, one per role (${POSTGRES_JOURNEYS.map((j) => j.role).join(", ")}), PostgreSQL database ${name} (fresh)`,
      [...e2eArgs, ...POSTGRES_JOURNEYS.map((j) => j.file), "--testNamePattern", pattern],
      { ...env, E2E_DATABASE_URL: databaseUrlFor(serverUrl, name), E2E_WORKERS: "1" },
      { eachFilePasses: POSTGRES_JOURNEYS.map((j) => j.file), captured: true },
    );
    if (journeys.skipped) {
      journeys.notes.push(
        `the ${journeys.skipped} skipped are these files' other tests (JavaScript-off variants and the like): they ran on PGlite`,
      );
    }
    return journeys;
  } finally {
    await withAdmin(serverUrl, (sql) => sql.unsafe(`drop database if exists "${name}" with (force)`)).catch((err) =>
      console.error(`Could not drop ${name}: ${(err as Error).message}`),
    );
  }
}

try {
  await main();
} catch (err) {
  console.error(err);
  results.push({
    name: "test runner",
    passed: 0,
    failed: 1,
    skipped: 0,
    seconds: 0,
    notes: [String((err as Error).message)],
  });
  exitRequested = true;
} finally {
  rmSync(work, { recursive: true, force: true });
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
banner("Summary");
for (const r of results) {
  console.log(
    `${r.failed ? "FAIL" : "ok  "}  ${r.name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ""} (${r.seconds.toFixed(1)} s${r.cpuSeconds === undefined ? "" : `, ${r.cpuSeconds.toFixed(0)} s CPU`})`,
  );
  for (const note of r.notes) console.log(`        ${note}`);
}
{
  // Everything this run started has ended and been reaped: their CPU time is exact here.
  const children = reapedChildrenCpuSeconds();
  const own = process.cpuUsage();
  const cpu = children === undefined ? "" : `, ${(children + (own.user + own.system) / 1e6).toFixed(0)} s CPU in all`;
  console.log(`Total time ${((performance.now() - startedAt) / 1000).toFixed(1)} s${cpu}`);
}
for (const w of warnings) console.log(w);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || exitRequested ? 1 : 0);
