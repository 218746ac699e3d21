// Deterministic server cost per page (docs/performance/server-cost.md): statements sent to the
// database (each one a round trip on the socket) and the web server's own CPU time per request.
//
//   NODE_ENV=production npx tsx scripts/measure-server-cost.ts [--data-dir DIR] [--url postgres://…]
//       [--n 40] [--page TEXT] [--statements] [--explain]
//
// Runs the BUILT app (build/server/index.js: `npm run build` first) in this process, through
// Remix's request handler (no HTTP, no express: the loader, the session lookup and the React render
// of each page), on the embedded default (on-disk PGlite in its child process behind
// pglite-socket, reached through postgres.js: the server's own driver) or on PostgreSQL (--url).
// An empty --data-dir is migrated and seeded with the demo data first (kept for the next run).
// Per page: statements per request (counted by postgres.js's debug hook; BEGIN/COMMIT included),
// the server process's CPU ms per request (process.cpuUsage over --n sequential requests, after
// warm-ups: the database's own CPU is in another process and not counted) and the HTML size.
// --explain replays each statement of one request under EXPLAIN ANALYZE (on the same database)
// and prints its planning + execution ms and the plan's scan nodes: where the database's time goes.
// Wall-clock times on the shared machine are noisy; these two numbers are not. On PostgreSQL (--url)
// the pool has one connection and "database CPU" is that backend's (/proc, same machine only);
// --unprepared sends every statement unprepared (DATABASE_PREPARED_STATEMENTS=false), for
// before/after figures of ADR 041's addendum "PostgreSQL prepares too".
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { openDatabase, queryRows, sql } from "../db/client";
import { setDatabase } from "../db/current";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function option(name: string, fallback?: string) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}
const N = Number(option("n", "40"));
const url = option("url");
const dataDir = path.resolve(option("data-dir", path.join(root, ".data/measure-server-cost"))!);
const only = option("page");
const explain = process.argv.includes("--explain");
const showStatements = process.argv.includes("--statements") || explain;

if (process.env.NODE_ENV !== "production") {
  console.error("Run with NODE_ENV=production (the built app, as the server runs it).");
  process.exit(2);
}

let statements: string[] = [];
let parameters: unknown[][] = [];
if (!url) mkdirSync(dataDir, { recursive: true });
const handle = await openDatabase({
  url,
  dataDir: url ? undefined : dataDir,
  max: url ? 1 : 10,
  preparedStatements: !process.argv.includes("--unprepared"),
  onQuery: (statement, values) => {
    statements.push(statement);
    parameters.push(values);
  },
});
setDatabase(handle);
await handle.migrate();
// PostgreSQL: the one backend serving the pool's one connection, for its CPU time.
const backendPid = url
  ? (await queryRows<{ pid: number }>(handle.db, sql`select pg_backend_pid() as pid`))[0]!.pid
  : undefined;
const [{ count }] = await queryRows<{ count: number }>(
  handle.db,
  sql`select count(*)::int as count from organisations`,
);
if (count === 0) {
  console.log("empty database: adding the demo data (once)…");
  const { seedDemoData } = await import("../db/seed");
  await seedDemoData(handle.db, {});
}

const build = (await import(path.join(root, "build/server/index.js"))) as ServerBuild;
const handler = createRequestHandler(build, "production");
const { startSession } = await import("../app/.server/auth/lucia.server");
// Each request in its own log context, as server.ts's requestLogging() gives it (the per-request
// memo of app/.server/request-memo.server.ts hangs off it).
const { newRequestId, runWithRequestContext } = await import("../app/.server/log.server");

const EMAILS = {
  staff: "staff@uhnm.staywell.test",
  coordinator: "coordinator@icb.staywell.test",
  psych: "psych.coordinator@icb.staywell.test",
  manager: "manager@icb.staywell.test",
  admin: "admin@icb.staywell.test",
} as const;
type Role = keyof typeof EMAILS;
const cookies = {} as Record<Role, string>;
for (const [role, email] of Object.entries(EMAILS) as [Role, string][]) {
  const [user] = await queryRows<{ id: string }>(handle.db, sql`select id from users where email = ${email}`);
  if (!user) throw new Error(`no demo account ${email}`);
  cookies[role] = (await startSession(user.id)).split(";")[0]!;
}

async function get(pathname: string, role: Role): Promise<{ status: number; html: string }> {
  const request = new Request(`http://localhost:3000${pathname}`, { headers: { Cookie: cookies[role] } });
  return runWithRequestContext({ requestId: newRequestId() }, async () => {
    const response = await handler(request, { clientAddress: "127.0.0.1", cspNonce: "measure" });
    return { status: response.status, html: await response.text() };
  });
}

function firstLink(html: string, pattern: RegExp, what: string) {
  const m = pattern.exec(html);
  if (!m) throw new Error(`no ${what}`);
  return m[1]!.replace(/&amp;/g, "&");
}
// The same pages as `npm run bench` (scripts/bench.ts), found the same way.
const slug = firstLink((await get("/support", "staff")).html, /href="(\/support\/[a-z0-9-]+)"/, "offer link");
const myRequest = firstLink(
  (await get("/my/requests", "staff")).html,
  /href="(\/my\/requests\/SW-[0-9]+-[0-9]+)"/,
  "request on /my/requests",
);
const hubRequest = firstLink(
  (await get("/hub", "coordinator")).html,
  /href="(\/hub\/requests\/SW-[0-9]+-[0-9]+)"/,
  "request on /hub",
);
const reference = hubRequest.split("/").at(-1)!;
const PAGES: [string, string, Role][] = [
  ["/privacy (bare)", "/privacy", "staff"],
  // The bench's bare route uses the page's own session: a coordinator's root loader also reads their teams.
  ["/privacy (bare, coordinator)", "/privacy", "coordinator"],
  ["/support", "/support", "staff"],
  ["/support/<slug>", slug, "staff"],
  ["/my/requests", "/my/requests", "staff"],
  ["/my/requests/<ref>", myRequest, "staff"],
  ["/hub (demo coordinator)", "/hub", "coordinator"],
  ["/hub (one-team coordinator)", "/hub", "psych"],
  ["/hub overdue", "/hub?overdue=1", "coordinator"],
  ["/hub assigned to me", "/hub?assignee=me", "coordinator"],
  // Not a bench page: My work (the "My work" link), the same coordinator.
  ["/hub my work", "/hub?view=mine", "coordinator"],
  ["/hub closed", "/hub?status=closed", "coordinator"],
  ["/hub all", "/hub?status=all", "coordinator"],
  ["/hub search (reference)", `/hub?status=all&q=${encodeURIComponent(reference)}`, "coordinator"],
  ["/hub/requests/<ref>", hubRequest, "coordinator"],
  ["/insights", "/insights", "manager"],
  // Its section pages (ADR 041, addendum h-ins4): the same stored entry, one section each.
  ...(["organisations", "staff-groups", "tenure", "responsiveness", "outcomes", "satisfaction"].map((key) => [
    `/insights?show=${key}`,
    `/insights?show=${key}`,
    "manager",
  ]) as [string, string, Role][]),
  ["/admin", "/admin", "admin"],
];

console.log(
  `${url ? "PostgreSQL" : "embedded PGlite (child process, 1 connection)"}; ${N} requests per page after 3 warm-ups\n`,
);
console.log(
  "| page | statements / request | server CPU ms / request | database CPU ms / request | wall ms / request | HTML KB |",
);
console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const [name, pathname, role] of PAGES) {
  if (only && !name.includes(only)) continue;
  for (let i = 0; i < 3; i++) {
    const { status } = await get(pathname, role);
    if (status !== 200) throw new Error(`${name}: ${pathname} answered ${status}`);
  }
  statements = [];
  parameters = [];
  await get(pathname, role);
  const one = statements;
  const oneParameters = parameters;
  statements = [];
  const cpu = process.cpuUsage();
  const databaseCpu = databaseCpuMs();
  const start = performance.now();
  let bytes = 0;
  for (let i = 0; i < N; i++) bytes = (await get(pathname, role)).html.length;
  const wall = (performance.now() - start) / N;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000 / N;
  const databaseMs = databaseCpu === undefined ? undefined : (databaseCpuMs()! - databaseCpu) / N;
  const perRequest = statements.length / N;
  console.log(
    `| ${name} | ${perRequest.toFixed(1)} | ${cpuMs.toFixed(1)} | ${databaseMs?.toFixed(1) ?? "–"} | ${wall.toFixed(1)} | ${(bytes / 1024).toFixed(1)} |`,
  );
  if (showStatements)
    for (const [i, s] of one.entries()) {
      console.log(`    - ${s.replace(/\s+/g, " ").slice(0, 220)}`);
      if (explain && /^\s*(select|with)/i.test(s)) console.log(`      ${await explainStatement(s, oneParameters[i]!)}`);
    }
}

/**
 * CPU time used so far by the embedded database's own process (Linux /proc: user + system ticks),
 * in ms; undefined on PostgreSQL or where /proc is missing. PGlite is single-threaded, so under
 * load this is the figure that caps a page's throughput on the embedded default.
 */
function databaseCpuMs(): number | undefined {
  const pid = handle.processId ?? backendPid;
  if (!pid) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // Fields 14 and 15 of stat (utime, stime), counted from after the command name.
    // Clock ticks of 10 ms (USER_HZ is 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** EXPLAIN ANALYZE of one captured statement with its values: "plan ms + run ms: scan nodes". */
async function explainStatement(statement: string, values: unknown[]) {
  // Rebuild it as drizzle SQL: the text between $n placeholders, each value bound again.
  const parts = statement.split(/\$(\d+)/);
  const chunks = [sql.raw("explain (analyze, format json) ")];
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) chunks.push(sql.raw(parts[i]!));
    else {
      const value = values[Number(parts[i]) - 1];
      chunks.push(sql`${value instanceof Date ? value.toISOString() : value}`);
    }
  }
  const saved = statements.length;
  // The fastest of 7 runs: on a shared machine one run mostly measures the neighbours.
  let best: { Plan: PlanNode; "Planning Time": number; "Execution Time": number } | undefined;
  for (let run = 0; run < 7; run++) {
    const [row] = await queryRows<{ "QUERY PLAN": unknown }>(handle.db, sql.join(chunks, sql.raw("")));
    const raw = row!["QUERY PLAN"];
    const [plan] = (typeof raw === "string" ? JSON.parse(raw) : raw) as NonNullable<typeof best>[];
    if (!best || plan!["Planning Time"] + plan!["Execution Time"] < best["Planning Time"] + best["Execution Time"])
      best = plan;
  }
  statements.length = saved;
  const plan = best;
  const nodes: string[] = [];
  const walk = (node: PlanNode) => {
    if (/Scan/.test(node["Node Type"]))
      nodes.push(
        `${node["Node Type"]}${node["Index Name"] ? ` ${node["Index Name"]}` : ""} ${node["Relation Name"] ?? ""}×${node["Actual Loops"]} (${node["Actual Rows"]} rows)`,
      );
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(plan!.Plan);
  return `${plan!["Planning Time"].toFixed(2)} + ${plan!["Execution Time"].toFixed(2)} ms: ${nodes.join("; ")}`;
}
interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  Plans?: PlanNode[];
}

await handle.close();
