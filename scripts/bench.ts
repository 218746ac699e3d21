// npm run bench -- [--only embedded|pg10k|pg1m] [--connections N] [--duration S | --requests N] [--keep] …
// The one place performance is read (issue 11): every main page against a bare route, on the
// embedded default and on PostgreSQL at 10k and 1M requests, through the BUILT server, with the
// goals and PASS/FAIL. Modules: scripts/bench/ (databases, server, load, first-load, explain).
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEMO_PASSWORD } from "../db/seed-data/accounts";
import { removeSnapshot, snapshotApp } from "../tests/e2e/support/snapshot";
import { ensureBenchDatabase, NotOursError, probeServer, redact, type ServerProbe } from "./bench/databases";
import { explainSlowest } from "./bench/explain";
import { firstLoad, type FirstLoad } from "./bench/first-load";
import { alone, BenchError, Client, interleave, percentile, reqPerSec, type Measured } from "./bench/load";
import { ensureBuilt, startServer } from "./bench/server";

const PARTS = ["embedded", "pg10k", "pg1m"] as const;
type Part = (typeof PARTS)[number];
const STAFF = 50_000;
/** BENCH_DB_PREFIX names the PostgreSQL bench databases (<prefix>_10k, <prefix>_1m), e.g. per branch on a shared server. */
const DB_PREFIX = process.env.BENCH_DB_PREFIX || "staywell_bench";
if (!/^[a-z_][a-z0-9_]{0,50}$/.test(DB_PREFIX))
  throw new Error(`BENCH_DB_PREFIX must be lower-case letters, digits and _ (got ${DB_PREFIX})`);
const PG_SIZES: Record<Exclude<Part, "embedded">, { name: string; requests: number }> = {
  pg10k: { name: `${DB_PREFIX}_10k`, requests: 10_000 },
  pg1m: { name: `${DB_PREFIX}_1m`, requests: 1_000_000 },
};

const HELP = `Usage: npm run bench -- [options]

Measures every main page against a bare route (/privacy: the root layout and the same session
lookup, no data) through the BUILT server (built first when build/ is missing or older than the
sources; run from a private copy of it), on each database in turn:

  embedded  the embedded default (no DATABASE_URL) in a fresh DATA_DIR, demo data seeded at start
  pg10k     PostgreSQL, database ${PG_SIZES.pg10k.name}: demo data + ${STAFF.toLocaleString("en-GB")} staff + 10,000 requests
  pg1m      PostgreSQL, database ${PG_SIZES.pg1m.name}: demo data + ${STAFF.toLocaleString("en-GB")} staff + 1,000,000 requests

BENCH_DB_PREFIX changes the databases' names (default staywell_bench: staywell_bench_10k and
staywell_bench_1m), e.g. BENCH_DB_PREFIX=h_perf on a server shared with others.
The PostgreSQL server is BENCH_DATABASE_URL, else DATABASE_URL, else
postgres://postgres@127.0.0.1:5432/postgres (that URL's own database is only used to create the
bench databases). When no server answers, the PostgreSQL parts are skipped with a message.
The bench databases are kept and reused on the next run when complete (a marker table records
that the bench created and finished seeding them; migrations are applied on reuse); seeding 1M
took 21 minutes on the shared two-core box (2026-11-30). A database of that name without the marker is never written to.

For each page: a single-connection pass ("alone": up to --alone N requests, at most 10 s, after 2
warm-ups), then the page and the bare route interleaved in --slices alternating slices with
--connections keep-alive connections (same session for both). A page whose alone p50 is over
--slow-ms is not loaded concurrently (it would take minutes) and fails its ratio goal.
Then first-load JavaScript and CSS per page (gzip -9 of the files its HTML loads), and, on
PostgreSQL, the EXPLAIN of the slowest statement of one /insights request (auto_explain).

Goals (issue 11): ratio = page req/s ÷ bare req/s, /support ≥ 0.8×, every other page ≥ 0.5×;
at 1M also alone p95 ≤ 250 ms; /insights alone p50 at 1M ≤ 2× its p50 at 10k; first-load
JavaScript ≤ 100 KB gzipped on /support and /support/<slug>, ≤ 150 KB on any page.

  --only PARTS       comma-separated parts to run (default embedded,pg10k,pg1m)
  --connections N    concurrent connections in the load pass (default 20)
  --duration S       seconds of load per route and page (default 6), split into the slices
  --requests N       instead of --duration: N requests per route and page
  --slices N         alternating page/bare slices (default 4)
  --alone N          requests per page in the single-connection pass (default 20)
  --slow-ms N        alone p50 above which the load pass is skipped (default 1000)
  --page TEXT        only the pages whose name contains TEXT (repeatable)
  --out FILE         also write the report as Markdown to FILE (e.g. docs/performance/bench.md),
                     keeping any text above the line ${"<!-- npm run bench -- --out writes below this line -->"}
  --build            rebuild the app even if build/ looks current
  --keep             keep the embedded database's DATA_DIR (its path is printed)
  --drop             drop the PostgreSQL bench databases at the end (default: kept for reuse)
  --no-explain       skip the EXPLAIN
  --no-weight        skip the first-load JavaScript/CSS table
  --help             this text

Any timed response other than 200 stops the bench with its status and the start of its body.
The machine is shared: figures are noisy; compare ratios from the same run, not across runs.`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

class UsageError extends Error {}

function parseArgs(argv: string[]) {
  const values: Record<string, string[]> = {};
  const flags = new Set<string>();
  const FLAGS = ["--help", "-h", "--keep", "--drop", "--build", "--no-explain", "--no-weight"];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (FLAGS.includes(arg)) {
      flags.add(arg);
      continue;
    }
    const m = /^--(only|connections|duration|requests|slices|alone|slow-ms|page|out)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`Unknown argument: ${arg}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
    (values[m[1]!] ??= []).push(value);
  }
  const num = (name: string, fallback: number, min: number) => {
    const text = values[name]?.at(-1);
    if (text === undefined) return fallback;
    const n = Number(text.replace(/[_,]/g, ""));
    if (!Number.isFinite(n) || n < min) throw new UsageError(`--${name} must be a number ≥ ${min} (got ${text})`);
    return n;
  };
  const only = (values.only ?? [])
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
  for (const p of only)
    if (!PARTS.includes(p as Part)) throw new UsageError(`--only takes ${PARTS.join(", ")} (got ${p})`);
  if (values.duration && values.requests) throw new UsageError("Give --duration or --requests, not both");
  return {
    help: flags.has("--help") || flags.has("-h"),
    keep: flags.has("--keep"),
    drop: flags.has("--drop"),
    build: flags.has("--build"),
    explain: !flags.has("--no-explain"),
    weight: !flags.has("--no-weight"),
    parts: only.length ? PARTS.filter((p) => only.includes(p)) : [...PARTS],
    connections: Math.floor(num("connections", 20, 1)),
    duration: num("duration", 6, 0.1),
    requests: values.requests ? Math.floor(num("requests", 0, 1)) : undefined,
    slices: Math.floor(num("slices", 4, 1)),
    alone: Math.floor(num("alone", 20, 1)),
    slowMs: num("slow-ms", 1000, 1),
    pages: values.page ?? [],
    out: values.out?.at(-1),
  };
}
type Args = ReturnType<typeof parseArgs>;

// ---------------------------------------------------------------------------------------------
// Clean-up: servers, connections, temp folders go on success, failure, Ctrl+C and SIGTERM alike.

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
// Who signs in, and the pages.

const ROLES = {
  staff: "staff@uhnm.staywell.test",
  coordinator: "coordinator@icb.staywell.test",
  psych: "psych.coordinator@icb.staywell.test",
  manager: "manager@icb.staywell.test",
  admin: "admin@icb.staywell.test",
} as const;
type Role = keyof typeof ROLES;
const ROLE_LABELS: Record<Role, string> = {
  staff: "staff (UHNM)",
  coordinator: "demo coordinator (most teams)",
  psych: "psychological hub coordinator (one team)",
  manager: "ICS manager",
  admin: "admin",
};

interface Page {
  name: string;
  path: string;
  role: Role;
  /** Lowest acceptable req/s ratio to the bare route. */
  minRatio: number;
  /** Counts for the first-load goal: ≤ 100 KB (catalogue, offer) or ≤ 150 KB. */
  jsBudgetKB: number;
}

/** Signs in by POSTing the /login form, as a browser without JavaScript does; returns the Cookie header. */
async function signIn(client: Client, email: string): Promise<string> {
  const body = new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: "/" }).toString();
  const res = await client.request("/login", {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: client.baseURL },
  });
  const setCookie = res.headers["set-cookie"] ?? [];
  const cookies = setCookie.map((c) => c.split(";")[0]!);
  if (res.status !== 302 && res.status !== 303)
    throw new BenchError(`Signing in as ${email} gave ${res.status}, not a redirect.`);
  if (cookies.length === 0) throw new BenchError(`Signing in as ${email} set no cookie.`);
  return cookies.join("; ");
}

async function html(client: Client, pathname: string, cookie: string) {
  const res = await client.request(pathname, { cookie, headers: { "Accept-Encoding": "identity" } });
  if (res.status !== 200) throw new BenchError(`GET ${pathname} answered ${res.status} while looking for links`);
  return res.body.toString("utf8");
}

function firstLink(page: string, pattern: RegExp, what: string): string {
  const m = pattern.exec(page);
  if (!m) throw new BenchError(`Could not find ${what} on the page to benchmark it`);
  return m[1]!.replace(/&amp;/g, "&");
}

/** The pages, with the slugs and references read from the demo data through the app itself. */
async function discoverPages(client: Client, cookies: Record<Role, string>): Promise<Page[]> {
  const slug = firstLink(
    await html(client, "/support", cookies.staff),
    /href="(\/support\/[a-z0-9-]+)"/,
    "an offer link on /support",
  );
  const myRequest = firstLink(
    await html(client, "/my/requests", cookies.staff),
    /href="(\/my\/requests\/SW-[0-9]+-[0-9]+)"/,
    "a request on the staff member's /my/requests",
  );
  const hubRequest = firstLink(
    await html(client, "/hub", cookies.coordinator),
    /href="(\/hub\/requests\/SW-[0-9]+-[0-9]+)"/,
    "a request in the /hub queue",
  );
  const reference = hubRequest.split("/").at(-1)!;
  const p = (name: string, pathname: string, role: Role, minRatio = 0.5, jsBudgetKB = 150): Page => ({
    name,
    path: pathname,
    role,
    minRatio,
    jsBudgetKB,
  });
  return [
    p("/support", "/support", "staff", 0.8, 100),
    p("/support/<slug>", slug, "staff", 0.5, 100),
    p("/my/requests", "/my/requests", "staff"),
    p("/my/requests/<ref>", myRequest, "staff"),
    p("/hub (demo coordinator)", "/hub", "coordinator"),
    p("/hub (one-team coordinator)", "/hub", "psych"),
    p("/hub overdue", "/hub?overdue=1", "coordinator"),
    p("/hub assigned to me", "/hub?assignee=me", "coordinator"),
    p("/hub closed", "/hub?status=closed", "coordinator"),
    p("/hub all", "/hub?status=all", "coordinator"),
    p("/hub search (reference)", `/hub?status=all&q=${encodeURIComponent(reference)}`, "coordinator"),
    p("/hub/requests/<ref>", hubRequest, "coordinator"),
    p("/insights", "/insights", "manager"),
    // The costliest of its section pages (ADR 041, addendum h-ins4: server CPU; outcomes has the most bytes).
    p("/insights?show=organisations", "/insights?show=organisations", "manager"),
    p("/admin", "/admin", "admin"),
  ];
}

const BARE = "/privacy";
/** In an --out file: what is above this line is kept, what follows is the latest report. */
const OUTPUT_MARKER = "<!-- npm run bench -- --out writes below this line -->";

// ---------------------------------------------------------------------------------------------

interface Row {
  page: Page;
  alone: Measured;
  load?: { page: Measured; bare: Measured };
  skippedLoad?: string;
}

interface PartResult {
  part: Part;
  title: string;
  rows: Row[];
  bareAlone: Measured;
  seconds: number;
  explain?: string;
}

const ms1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "—");

async function runPart(
  part: Part,
  title: string,
  appDir: string,
  args: Args,
  db: { databaseUrl?: string; dataDir: string; seedDemo: boolean },
  weights: Map<string, { page: Page; weight: FirstLoad }> | undefined,
): Promise<PartResult> {
  console.log(`\n== ${title}`);
  const started = performance.now();
  const server = await startServer(appDir, { ...db, register: (stop) => void cleanups.push(stop) });
  const client = new Client(server.baseURL, args.connections);
  try {
    const cookies = {} as Record<Role, string>;
    for (const role of Object.keys(ROLES) as Role[]) cookies[role] = await signIn(client, ROLES[role]);
    let pages = await discoverPages(client, cookies);
    if (args.pages.length)
      pages = pages.filter((pg) => args.pages.some((t) => pg.name.includes(t) || pg.path.includes(t)));

    const bareAlone = await alone(client, BARE, cookies.staff, args.alone, 10);
    console.log(
      `${BARE} alone: p50 ${ms1(percentile(bareAlone.times, 0.5))} ms, p95 ${ms1(percentile(bareAlone.times, 0.95))} ms`,
    );
    const rows: Row[] = [];
    for (const page of pages) {
      const cookie = cookies[page.role];
      const a = await alone(client, page.path, cookie, args.alone, 10);
      const aloneP50 = percentile(a.times, 0.5);
      const row: Row = { page, alone: a };
      if (aloneP50 > args.slowMs) {
        row.skippedLoad = `alone p50 ${ms1(aloneP50)} ms > --slow-ms ${args.slowMs}`;
      } else {
        const seconds = args.requests ? Infinity : args.duration;
        row.load = await interleave(client, {
          page: page.path,
          bare: BARE,
          cookie,
          connections: args.connections,
          seconds,
          slices: args.slices,
          requests: args.requests,
        });
      }
      rows.push(row);
      const load = row.load
        ? `${reqPerSec(row.load.page).toFixed(0)} req/s vs bare ${reqPerSec(row.load.bare).toFixed(0)} = ${(reqPerSec(row.load.page) / reqPerSec(row.load.bare)).toFixed(2)}×`
        : `load pass skipped (${row.skippedLoad})`;
      console.log(`  ${page.name.padEnd(30)} alone p50 ${ms1(aloneP50).padStart(7)} ms · ${load}`);
      if (weights && !weights.has(page.name))
        weights.set(page.name, { page, weight: await firstLoad(client, page.path, cookie) });
    }

    let explain: string | undefined;
    // On the largest PostgreSQL database of the run only: at 10k every statement takes a millisecond.
    const largest = args.parts.includes("pg1m") ? "pg1m" : "pg10k";
    if (part === largest && args.explain && pages.some((pg) => pg.path === "/insights")) {
      explain = await explainInsights(part, appDir, db);
    }
    return { part, title, rows, bareAlone, seconds: (performance.now() - started) / 1000, explain };
  } finally {
    client.close();
    await server.stop();
  }
}

let probe: ServerProbe | undefined;

async function explainInsights(
  part: Part,
  appDir: string,
  db: { databaseUrl?: string; dataDir: string; seedDemo: boolean },
) {
  if (!probe || !db.databaseUrl || part === "embedded") return undefined;
  const name = PG_SIZES[part].name;
  try {
    return await explainSlowest(probe.admin, name, db.databaseUrl, "/insights", async (mark) => {
      const server = await startServer(appDir, { ...db, register: (stop) => void cleanups.push(stop) });
      const client = new Client(server.baseURL, 1);
      try {
        const cookie = await signIn(client, ROLES.manager);
        for (let i = 0; i < 3; i++) await client.get("/insights", cookie);
        await mark();
        return await client.get("/insights", cookie);
      } finally {
        client.close();
        await server.stop();
      }
    });
  } catch (err) {
    return `(EXPLAIN skipped: ${(err as Error).message})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Report: Markdown tables, printed and optionally written to --out.

function table(header: string[], rows: string[][], right: boolean[]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (right[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}

interface Verdicts {
  pass: number;
  fail: number;
}

function partTable(r: PartResult, v: Verdicts): string {
  const oneMillion = r.part === "pg1m";
  const rows = r.rows.map((row) => {
    const aloneP50 = percentile(row.alone.times, 0.5);
    const aloneP95 = percentile(row.alone.times, 0.95);
    const ratio = row.load ? reqPerSec(row.load.page) / reqPerSec(row.load.bare) : NaN;
    const goals: string[] = [`≥ ${row.page.minRatio}×`];
    let ok = Number.isFinite(ratio) && ratio >= row.page.minRatio;
    if (oneMillion) {
      goals.push("alone p95 ≤ 250 ms");
      ok &&= aloneP95 <= 250;
    }
    if (ok) v.pass++;
    else v.fail++;
    return [
      row.page.name,
      ROLE_LABELS[row.page.role],
      row.load ? reqPerSec(row.load.page).toFixed(0) : "—",
      row.load ? reqPerSec(row.load.bare).toFixed(0) : "—",
      row.load ? `${ratio.toFixed(2)}×` : "not run",
      row.load ? ms1(percentile(row.load.page.times, 0.5)) : "—",
      row.load ? ms1(percentile(row.load.page.times, 0.95)) : "—",
      ms1(aloneP50),
      ms1(aloneP95),
      goals.join(", "),
      ok ? "PASS" : "**FAIL**",
    ];
  });
  const header = [
    "page",
    "as",
    "req/s",
    "bare req/s",
    "ratio",
    "p50 ms",
    "p95 ms",
    "alone p50",
    "alone p95",
    "goal",
    "result",
  ];
  const notes = r.rows
    .filter((row) => row.skippedLoad)
    .map((row) => `- ${row.page.name}: load pass not run (${row.skippedLoad}).`);
  return (
    `### ${r.title}\n\n` +
    table(header, rows, [false, false, true, true, true, true, true, true, true, false, false]) +
    `\n\nBare route ${BARE} alone: p50 ${ms1(percentile(r.bareAlone.times, 0.5))} ms, p95 ${ms1(percentile(r.bareAlone.times, 0.95))} ms. ` +
    `Part took ${(r.seconds / 60).toFixed(1)} min.` +
    (notes.length ? `\n\n${notes.join("\n")}` : "")
  );
}

function insightsGrowth(results: PartResult[], v: Verdicts): string {
  const at = (part: Part) => results.find((r) => r.part === part)?.rows.find((row) => row.page.path === "/insights");
  const small = at("pg10k");
  const large = at("pg1m");
  if (!small || !large) return "/insights at 1M within 2× of 10k: not measured (needs pg10k and pg1m in the same run).";
  const p50 = percentile(large.alone.times, 0.5) / percentile(small.alone.times, 0.5);
  const p95 = percentile(large.alone.times, 0.95) / percentile(small.alone.times, 0.95);
  const ok = p50 <= 2;
  if (ok) v.pass++;
  else v.fail++;
  return (
    `/insights alone at 1M vs 10k: p50 ${ms1(percentile(large.alone.times, 0.5))} vs ${ms1(percentile(small.alone.times, 0.5))} ms = ` +
    `${p50.toFixed(2)}× (p95 ${p95.toFixed(2)}×); goal p50 ≤ 2×: ${ok ? "PASS" : "**FAIL**"}`
  );
}

function weightTable(weights: Map<string, { page: Page; weight: FirstLoad }>, v: Verdicts): string {
  const kb = (n: number) => (n / 1024).toFixed(1);
  const rows = [...weights.values()].map(({ page, weight }) => {
    const ok = weight.js <= page.jsBudgetKB * 1024;
    if (ok) v.pass++;
    else v.fail++;
    return [
      page.name,
      `${kb(weight.js)} (${weight.jsFiles})`,
      `${kb(weight.css)} (${weight.cssFiles})`,
      `≤ ${page.jsBudgetKB} KB JS`,
      ok ? "PASS" : "**FAIL**",
    ];
  });
  return table(["page", "JS KB gz (files)", "CSS KB gz (files)", "goal", "result"], rows, [
    false,
    true,
    true,
    false,
    false,
  ]);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  let args: Args;
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
  const started = performance.now();
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  ensureBuilt(root, args.build);
  // A private copy of the build and the server's sources, so a rebuild in the tree cannot change
  // the app half-way: every part runs the same build.
  const appDir = await snapshotApp(root);
  cleanups.push(() => removeSnapshot(appDir));

  const skipped: string[] = [];
  const results: PartResult[] = [];
  const weights = args.weight ? new Map<string, { page: Page; weight: FirstLoad }>() : undefined;

  const pgParts = args.parts.filter((p): p is Exclude<Part, "embedded"> => p !== "embedded");
  const serverUrl =
    process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  if (pgParts.length) {
    if (!/^postgres(ql)?:\/\//.test(serverUrl)) {
      skipped.push(
        `PostgreSQL parts (${pgParts.join(", ")}) skipped: ${serverUrl.split(":")[0]} is not a postgres:// URL.`,
      );
    } else {
      const found = await probeServer(serverUrl);
      if ("error" in found) {
        skipped.push(
          `PostgreSQL parts (${pgParts.join(", ")}) skipped: no PostgreSQL server reachable at ${redact(serverUrl)} (${found.error}).`,
        );
      } else {
        probe = found;
        cleanups.push(() => found.admin.end({ timeout: 5 }));
      }
    }
    for (const line of skipped) console.log(line);
  }

  for (const part of args.parts) {
    const dataDir = await mkdtemp(path.join(tmpdir(), `staywell-bench-${part}-`));
    if (part === "embedded" && args.keep) console.log(`Keeping the embedded DATA_DIR ${dataDir} (--keep).`);
    else cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    if (part === "embedded") {
      results.push(
        await runPart(
          part,
          "Embedded default (PGlite, fresh DATA_DIR, demo data)",
          appDir,
          args,
          { dataDir, seedDemo: true },
          weights,
        ),
      );
      continue;
    }
    if (!probe) continue;
    const size = PG_SIZES[part];
    let databaseUrl: string;
    try {
      databaseUrl = await ensureBenchDatabase(root, probe, { name: size.name, staff: STAFF, requests: size.requests });
    } catch (err) {
      if (!(err instanceof NotOursError)) throw err;
      skipped.push(`${part} skipped: ${err.message}`);
      console.log(skipped.at(-1));
      continue;
    }
    if (args.drop) {
      const admin = probe.admin;
      cleanups.push(async () => {
        await admin.unsafe(`drop database if exists "${size.name}" with (force)`);
        console.log(`Dropped ${size.name} (--drop).`);
      });
    }
    const title = `PostgreSQL, ${size.requests.toLocaleString("en-GB")} requests, ${STAFF.toLocaleString("en-GB")} staff (${size.name})`;
    results.push(await runPart(part, title, appDir, args, { databaseUrl, dataDir, seedDemo: false }, weights));
  }

  const verdicts: Verdicts = { pass: 0, fail: 0 };
  const load = args.requests ? `${args.requests} requests per route and page` : `${args.duration} s per route and page`;
  const sections = [
    `## Results\n\n${args.connections} connections, ${load} in ${args.slices} interleaved slices; alone = one connection, up to ${args.alone} requests. ` +
      `Ratio = page req/s ÷ bare (${BARE}, same session) req/s. Times in ms, to the end of the body.`,
    ...results.map((r) => partTable(r, verdicts)),
  ];
  if (args.parts.includes("pg10k") || args.parts.includes("pg1m"))
    sections.push(`### /insights growth\n\n${insightsGrowth(results, verdicts)}`);
  if (weights?.size) sections.push(`### First-load JavaScript and CSS (gzip -9)\n\n${weightTable(weights, verdicts)}`);
  for (const r of results)
    if (r.explain) sections.push(`### Slowest /insights statement, ${r.part}\n\n\`\`\`\n${r.explain}\n\`\`\``);
  if (skipped.length) sections.push(`### Skipped\n\n${skipped.map((s) => `- ${s}`).join("\n")}`);
  sections.push(`**Goals: ${verdicts.pass} PASS, ${verdicts.fail} FAIL.**`);

  const cpus = os.cpus();
  const header =
    `Run ${startedAt.toISOString().replace(/\.\d+Z$/, "Z")}, ${((performance.now() - started) / 60_000).toFixed(1)} min; ` +
    `\`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(" ")}` : ""}\`\n` +
    `Machine: ${cpus.length} × ${cpus[0]?.model.trim() ?? "CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB, ${os.platform()} ${os.release()}, ` +
    `Node ${process.version}; load average ${loadBefore.map((l) => l.toFixed(1)).join(" ")} at the start, ` +
    `${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} at the end (shared machine: noisy).`;
  const report = `${header}\n\n${sections.join("\n\n")}\n`;
  console.log(`\n${report}`);
  if (args.out) {
    // A hand-written introduction above OUTPUT_MARKER is kept; everything after it is replaced.
    const file = path.resolve(args.out);
    const before = existsSync(file) ? await readFile(file, "utf8") : "";
    const at = before.indexOf(OUTPUT_MARKER);
    await writeFile(file, `${at >= 0 ? before.slice(0, at + OUTPUT_MARKER.length) + "\n\n" : ""}${report}`);
    console.log(`Report written to ${args.out}.`);
  }
}

main()
  .then(() => cleanUp())
  .catch(async (err) => {
    console.error(`\nBENCH FAILED: ${err instanceof Error ? err.message : String(err)}`);
    if (!(err instanceof BenchError) && err instanceof Error && err.stack) console.error(err.stack);
    await cleanUp();
    process.exit(1);
  });
