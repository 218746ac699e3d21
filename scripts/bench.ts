// npm run bench -- [--iterations N] [--small N] [--large N] [--keep]
// How /insights holds up as requests grow: times it against a bare page (/privacy: the same session
// lookup and Remix render, no data) on a scale-seeded PostgreSQL database, first at --small then
// at --large requests, through the BUILT server, and prints p50/p95 and the growth ratio.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { accessSync, closeSync, constants, existsSync, openSync, readSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { openDatabase, queryRows, sql, type DatabaseHandle } from "../db/client";
import { formatScaleProgress, seedScale } from "../db/scale";
import { seedDemoData } from "../db/seed";
import { DEMO_PASSWORD } from "../db/seed-data/accounts";
import { removeSnapshot, snapshotApp } from "../tests/e2e/support/snapshot";

const HELP = `Usage: npm run bench -- [options]

Times GET /insights against GET /privacy (the same stack with no data) through the built server
(built first if build/ is missing; the server runs from a private copy of it), on a PostgreSQL database it creates and drops:
staywell_bench_<pid> on BENCH_DATABASE_URL, else DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres.
The database is demo-seeded and scale-seeded (db/scale.ts) to --small requests, timed, scale-seeded
to --large requests, VACUUM ANALYZEd, and timed again with a freshly started server.

  --iterations N   timed requests per route and size (default 200), after --warmup N (default 20)
  --small N        requests in the database for the first run (default 10000)
  --large N        requests in the database for the second run (default 1000000)
  --staff N        generated staff, added before the first run (default 50000)
  --route PATH     the page under test (default /insights)
  --bare PATH      the bare page it is compared with (default /privacy)
  --no-explain     skip the EXPLAIN of the slowest query of one --route request at --large
                   (taken with auto_explain from the local PostgreSQL server's log)
  --keep           keep the database (and print how to drop it)
  --help           this text

Any timed response other than 200 stops the bench with its status and the start of its body.`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const MANAGER = "manager@icb.staywell.test";

class UsageError extends Error {}
/** An expected failure (a page not answering 200, a server that does not start): no stack trace. */
class BenchError extends Error {}

function parseArgs(argv: string[]) {
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h" || arg === "--keep" || arg === "--no-explain") {
      flags.add(arg);
      continue;
    }
    const m = /^--(iterations|warmup|small|large|staff|route|bare)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`Unknown argument: ${arg}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
    values[m[1]!] = value;
  }
  const num = (name: string, fallback: number, min: number) => {
    const text = values[name];
    if (text === undefined) return fallback;
    const n = Number(text.replace(/[_,]/g, ""));
    if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be a whole number ≥ ${min} (got ${text})`);
    return n;
  };
  const route = (name: string, fallback: string) => {
    const p = values[name] ?? fallback;
    if (!p.startsWith("/")) throw new UsageError(`--${name} must be a path starting with / (got ${p})`);
    return p;
  };
  const args = {
    help: flags.has("--help") || flags.has("-h"),
    keep: flags.has("--keep"),
    explain: !flags.has("--no-explain"),
    iterations: num("iterations", 200, 1),
    warmup: num("warmup", 20, 0),
    small: num("small", 10_000, 0),
    large: num("large", 1_000_000, 0),
    staff: num("staff", 50_000, 1),
    route: route("route", "/insights"),
    bare: route("bare", "/privacy"),
  };
  if (args.large < args.small) throw new UsageError("--large must be at least --small");
  return args;
}

// ---------------------------------------------------------------------------------------------
// Clean-up: the server, the connection, the database and the temp folder go on success, failure,
// Ctrl+C and SIGTERM alike.

const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        console.error(`Clean-up step failed: ${(err as Error).message}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping and cleaning up…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function redact(url: string) {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function ensureBuilt() {
  if (existsSync(path.join(root, "build/server/index.js"))) return;
  console.log("No build/ yet: building the app (remix vite:build)…");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new BenchError("The build failed: see the messages above.");
}

interface RunningServer {
  baseURL: string;
  stop(): Promise<void>;
}

/** The built server (NODE_ENV=production tsx server.ts) on a free port; resolves when /healthz answers 200. */
async function startServer(appDir: string, databaseUrl: string, dataDir: string): Promise<RunningServer> {
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    APP_URL: baseURL,
    SEED_DEMO_DATA: "false",
  };
  delete env.SMTP_URL;
  delete env.TEST_DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, [path.join(appDir, "node_modules/tsx/dist/cli.mjs"), "server.ts"], {
    cwd: appDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const stop = async () => {
    if (exited) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exit;
    clearTimeout(timer);
  };
  cleanups.push(stop);

  const started = performance.now();
  for (;;) {
    if (exited) throw new BenchError(`The server exited before answering /healthz.\n--- server output ---\n${output}`);
    if (performance.now() - started > 120_000) {
      await stop();
      throw new BenchError(`The server did not answer /healthz within 120 s.\n--- server output ---\n${output}`);
    }
    try {
      const res = await fetch(`${baseURL}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log(`Server up at ${baseURL} in ${seconds(performance.now() - started)}.`);
  return { baseURL, stop };
}

/** Signs in by POSTing the /login form, as a browser without JavaScript does; returns the Cookie header. */
async function signIn(baseURL: string): Promise<string> {
  const res = await fetch(`${baseURL}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: baseURL },
    body: new URLSearchParams({ email: MANAGER, password: DEMO_PASSWORD, redirectTo: "/" }).toString(),
  });
  const cookies = res.headers.getSetCookie().map((c) => c.split(";")[0]!);
  if (res.status !== 302 && res.status !== 303) {
    throw new BenchError(`Signing in as ${MANAGER} gave ${res.status}, not a redirect:\n${(await res.text()).slice(0, 300)}`);
  }
  if (cookies.length === 0) throw new BenchError(`Signing in as ${MANAGER} set no cookie.`);
  return cookies.join("; ");
}

/** One GET; fails loudly on anything but 200. Returns the time to the end of the body, in ms. */
async function timedGet(baseURL: string, route: string, cookie: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${baseURL}${route}`, { redirect: "manual", headers: { Cookie: cookie } });
  const body = await res.text();
  const ms = performance.now() - started;
  if (res.status !== 200) {
    const location = res.headers.get("location");
    throw new BenchError(
      `GET ${route} answered ${res.status}${location ? ` (Location: ${location})` : ""}, not 200. Body starts:\n` +
        `${body.slice(0, 300)}`,
    );
  }
  return ms;
}

interface Timing {
  route: string;
  requests: number;
  p50: number;
  p95: number;
  times: number[];
}

function percentile(sorted: number[], q: number) {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

/** Warm-up, then `iterations` of each route, interleaved (alternating which goes first). */
async function timeRoutes(
  baseURL: string,
  cookie: string,
  routes: [string, string],
  o: { iterations: number; warmup: number; requests: number },
): Promise<[Timing, Timing]> {
  for (let i = 0; i < o.warmup; i++) for (const r of routes) await timedGet(baseURL, r, cookie);
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < o.iterations; i++) {
    const order = i % 2 === 0 ? [0, 1] : [1, 0];
    for (const k of order) times[k]!.push(await timedGet(baseURL, routes[k]!, cookie));
  }
  return routes.map((route, k) => {
    const sorted = [...times[k]!].sort((a, b) => a - b);
    return { route, requests: o.requests, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), times: times[k]! };
  }) as [Timing, Timing];
}

async function countRequests(handle: DatabaseHandle): Promise<number> {
  const [row] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from support_requests`);
  return Number(row?.n ?? 0);
}

/** Adds requests (and, the first time, staff) until the database holds `target` requests. */
async function growTo(handle: DatabaseHandle, target: number, staff: number) {
  const have = await countRequests(handle);
  const add = Math.max(0, target - have);
  console.log(`\nScale seed: ${fmt(have)} requests in the database, adding ${fmt(add)}${staff ? ` and ${fmt(staff)} staff` : ""}…`);
  const result = await seedScale(handle.db, {
    staff,
    requests: add,
    onProgress: (p) => console.log(formatScaleProgress(p)),
    log: (line) => console.log(line),
  });
  if (result.requestsAdded > 0) {
    console.log(
      `Scale seed done in ${seconds(result.totalMs)} (requests ${fmt(result.requestsAdded / Math.max(result.requestsMs / 1000, 1e-3))} rows/s).`,
    );
  }
  return countRequests(handle);
}

async function measure(
  label: string,
  appDir: string,
  databaseUrl: string,
  dataDir: string,
  args: ReturnType<typeof parseArgs>,
  requests: number,
): Promise<[Timing, Timing]> {
  console.log(`\n== ${label}: ${fmt(requests)} requests in the database`);
  const server = await startServer(appDir, databaseUrl, dataDir);
  try {
    const cookie = await signIn(server.baseURL);
    const started = performance.now();
    const result = await timeRoutes(server.baseURL, cookie, [args.route, args.bare], {
      iterations: args.iterations,
      warmup: args.warmup,
      requests,
    });
    console.log(
      `Timed ${args.warmup} + ${args.iterations} GETs of ${args.route} and ${args.bare} in ${seconds(performance.now() - started)}: ` +
        result.map((t) => `${t.route} p50 ${t.p50.toFixed(1)} ms, p95 ${t.p95.toFixed(1)} ms`).join("; "),
    );
    return result;
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// The EXPLAIN of the slowest statement of one request, from auto_explain in the server's log.

function postgresLogFile(current: string | null): string | undefined {
  if (current && existsSync(current)) return current;
  const dir = "/var/log/postgresql";
  if (!existsSync(dir)) return undefined;
  const logs = readdirSync(dir)
    .filter((f) => f.endsWith(".log"))
    .map((f) => path.join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return logs[0];
}

function readFrom(file: string, offset: number): string {
  const fd = openSync(file, "r");
  try {
    const size = statSync(file).size;
    const buf = Buffer.alloc(Math.max(0, size - offset));
    readSync(fd, buf, 0, buf.length, offset);
    return buf.toString("utf8");
  } finally {
    closeSync(fd);
  }
}

async function explainSlowest(
  admin: postgres.Sql,
  dbName: string,
  appDir: string,
  databaseUrl: string,
  dataDir: string,
  route: string,
): Promise<void> {
  console.log(`\n== EXPLAIN (ANALYZE, BUFFERS) of the slowest statement of one GET ${route} (auto_explain)`);
  const serverHost = new URL(databaseUrl).hostname;
  if (!["127.0.0.1", "localhost", "::1"].includes(serverHost)) {
    console.log(`(skipped: the PostgreSQL log of ${serverHost} cannot be read from here)`);
    return;
  }
  const [{ logfile }] = (await admin`select pg_current_logfile() as logfile`) as unknown as [{ logfile: string | null }];
  const file = postgresLogFile(logfile);
  if (!file) {
    console.log("(skipped: cannot find the PostgreSQL server log)");
    return;
  }
  try {
    accessSync(file, constants.R_OK);
  } catch (err) {
    console.log(`(skipped: cannot read ${file}: ${(err as Error).message})`);
    return;
  }
  const db = `"${dbName}"`;
  let server: RunningServer | undefined;
  try {
    for (const setting of [
      `session_preload_libraries = 'auto_explain'`,
      `auto_explain.log_min_duration = 0`,
      `auto_explain.log_analyze = on`,
      `auto_explain.log_buffers = on`,
      `auto_explain.log_nested_statements = on`,
    ]) {
      await admin.unsafe(`alter database ${db} set ${setting}`);
    }
    server = await startServer(appDir, databaseUrl, dataDir);
    const cookie = await signIn(server.baseURL);
    for (let i = 0; i < 3; i++) await timedGet(server.baseURL, route, cookie); // warm, with the plans logged
    await new Promise((r) => setTimeout(r, 300));
    const offset = statSync(file).size;
    const ms = await timedGet(server.baseURL, route, cookie);
    await new Promise((r) => setTimeout(r, 500)); // let the log catch up
    const entries: { duration: number; text: string }[] = [];
    let current: { duration: number; lines: string[] } | undefined;
    const marker = `@${dbName} LOG:  duration: `;
    for (const line of readFrom(file, offset).split("\n")) {
      const at = line.indexOf(marker);
      if (at >= 0 && line.includes(" plan:")) {
        if (current) entries.push({ duration: current.duration, text: current.lines.join("\n") });
        current = { duration: Number.parseFloat(line.slice(at + marker.length)), lines: [] };
      } else if (current && line.startsWith("\t")) {
        current.lines.push(line.slice(1));
      } else if (current) {
        entries.push({ duration: current.duration, text: current.lines.join("\n") });
        current = undefined;
      }
    }
    if (current) entries.push({ duration: current.duration, text: current.lines.join("\n") });
    if (entries.length === 0) {
      console.log(`(no plans found in ${file} for ${dbName}: is auto_explain available on the server?)`);
      return;
    }
    entries.sort((a, b) => b.duration - a.duration);
    const total = entries.reduce((s, e) => s + e.duration, 0);
    console.log(
      `GET ${route} took ${ms.toFixed(1)} ms with auto_explain on; ${entries.length} statements, ${total.toFixed(1)} ms in the database. ` +
        `Slowest (${entries[0]!.duration.toFixed(1)} ms; log ${file}):\n`,
    );
    console.log(entries[0]!.text);
    if (entries.length > 1) {
      console.log(`\nNext slowest: ${entries.slice(1, 6).map((e) => `${e.duration.toFixed(1)} ms`).join(", ")}`);
    }
  } finally {
    await server?.stop();
    await admin.unsafe(`alter database ${db} reset all`);
  }
}

// ---------------------------------------------------------------------------------------------

function printTable(rows: Timing[], bareByRequests: Map<number, Timing>) {
  const header = ["route", "requests in database", "p50 ms", "p95 ms", "p50 / bare", "p95 / bare"];
  const body = rows.map((t) => {
    const bare = bareByRequests.get(t.requests)!;
    return [t.route, fmt(t.requests), t.p50.toFixed(1), t.p95.toFixed(1), (t.p50 / bare.p50).toFixed(2), (t.p95 / bare.p95).toFixed(2)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of body) console.log(line(r));
}

async function main() {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${HELP}`);
      process.exit(2);
    }
    throw err;
  }
  if (args.help) {
    console.log(HELP);
    return;
  }
  const serverUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  if (!/^postgres(ql)?:\/\//.test(serverUrl)) {
    throw new Error(`The bench runs on PostgreSQL only: ${redact(serverUrl)} is not a postgres:// URL.`);
  }
  const started = performance.now();
  ensureBuilt();
  // A private copy of the build and the server's sources (as the browser tests use), so a rebuild
  // going on in the tree cannot change the app half-way: both sizes run the same build.
  const appDir = await snapshotApp(root);
  cleanups.push(() => removeSnapshot(appDir));

  const dbName = `staywell_bench_${process.pid}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  cleanups.push(() => admin.end({ timeout: 5 }));
  await admin.unsafe(`create database "${dbName}"`);
  cleanups.push(async () => {
    if (args.keep) {
      console.log(`\nKept the database ${dbName} (--keep): drop it with  drop database "${dbName}" with (force);`);
    } else {
      await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
      console.log(`\nDatabase ${dbName} dropped.`);
    }
  });
  const databaseUrl = withDatabase(serverUrl, dbName);
  console.log(`Bench database ${redact(databaseUrl)} created.`);
  const dataDir = await mkdtemp(path.join(tmpdir(), "staywell-bench-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

  const handle = await openDatabase({ url: databaseUrl, max: 2 });
  cleanups.push(() => handle.close());
  await handle.migrate();
  await seedDemoData(handle.db, { log: (line) => console.log(`[seed] ${line}`) });

  const smallCount = await growTo(handle, args.small, args.staff);
  const [smallRoute, smallBare] = await measure("Small", appDir, databaseUrl, dataDir, args, smallCount);

  const largeCount = await growTo(handle, args.large, 0);
  const [largeRoute, largeBare] = await measure("Large", appDir, databaseUrl, dataDir, args, largeCount);

  console.log(`\n== Results (${args.iterations} timed GETs per row, after ${args.warmup} warm-up; times to the end of the body)\n`);
  printTable(
    [smallBare, smallRoute, largeBare, largeRoute],
    new Map([
      [smallCount, smallBare],
      [largeCount, largeBare],
    ]),
  );
  const p50Ratio = largeRoute.p50 / smallRoute.p50;
  const p95Ratio = largeRoute.p95 / smallRoute.p95;
  const verdict = (r: number) => (r <= 2 ? "within the goal of 2×" : "OVER the goal of 2×");
  console.log(
    `\n${args.route} at ${fmt(largeCount)} vs ${fmt(smallCount)} requests: ` +
      `p50 ×${p50Ratio.toFixed(2)} (${verdict(p50Ratio)}), p95 ×${p95Ratio.toFixed(2)} (${verdict(p95Ratio)}).`,
  );

  if (args.explain) {
    try {
      await explainSlowest(admin, dbName, appDir, databaseUrl, dataDir, args.route);
    } catch (err) {
      console.log(`(EXPLAIN skipped: ${(err as Error).message})`);
    }
  }
  console.log(`\nBench done in ${seconds(performance.now() - started)}.`);
}

main()
  .then(() => cleanUp())
  .catch(async (err) => {
    console.error(`\nBENCH FAILED: ${err instanceof Error ? err.message : String(err)}`);
    if (!(err instanceof BenchError) && err instanceof Error && err.stack) console.error(err.stack);
    await cleanUp();
    process.exit(1);
  });
