// EXPLAIN (ANALYZE, BUFFERS) and model timings of every /hub queue view on an EXISTING database,
// seeded with `npm run db:seed:scale` (docs/performance/hub-queue.md, docs/decisions/021).
//
//   node node_modules/tsx/dist/cli.mjs scripts/explain-hub-counts.ts postgres://postgres@127.0.0.1:5432/hc_1m [--plans] [--runs=7]
//
// Unlike scripts/explain-queue.ts it creates nothing and writes nothing: it reads the demo seed's two
// coordinators (coordinator@icb: every team but the psychological hub, so most requests; and
// psych.coordinator@icb: the psychological hub only) and, for each queue view (open, overdue,
// assigned to me, My work, closed, withdrawn, all, reference searches), prints the execution time of
// the page query and of the status-count query from EXPLAIN (ANALYZE, BUFFERS) after one warm-up run,
// and the median of --runs calls of what the loader awaits (app/routes/hub._index.tsx: listHubQueue
// and canSeeLeaverContacts, then hubQueuePageExtras, then isReservistCoordinator), in all and per
// call. --statements: every statement those calls send, with its planning and execution time from
// EXPLAIN (ANALYZE, SUMMARY) (median of 3). --plans prints the full plans as well. --prepared:
// every statement those calls send as a prepared statement (PREPARE with the types postgres.js
// sends, then EXPLAIN ANALYZE EXECUTE 9 times): planning and execution of the 5 custom plans, the
// plan PostgreSQL picks from the 6th (generic or custom, pg_prepared_statements) and its times, and
// the execution time of a forced generic plan, to find generic plans that are worse (ADR 041,
// addendum "PostgreSQL prepares too"); --plans prints the generic plan where it differs.
import postgres from "postgres";
import { openDatabase } from "../db/client";
import { setDatabase } from "../db/current";
import type { CurrentUser } from "../app/.server/auth/types";
import {
  buildHubQueueCountsQuery,
  buildHubQueueListQuery,
  countHubQueue,
  hubQueuePageExtras,
  listHubQueue,
} from "../app/.server/models/hub-queue.server";
import { canSeeLeaverContacts, hubScopeOf, isReservistCoordinator } from "../app/.server/permissions.server";
import type { HubQueueFilters } from "../app/schemas/hub-queue";

const args = process.argv.slice(2);
const url = args.find((a) => !a.startsWith("--")) ?? process.env.DATABASE_URL;
const showPlans = args.includes("--plans");
const showStatements = args.includes("--statements");
const showPrepared = args.includes("--prepared");
const RUNS = Number(args.find((a) => a.startsWith("--runs="))?.slice(7) ?? 7);
/** --only=TEXT: only the views whose title contains TEXT. */
const ONLY = args.find((a) => a.startsWith("--only="))?.slice(7);
if (!url || !/^postgres(ql)?:\/\//.test(url)) {
  console.error("explain-hub-counts needs the URL of a seeded PostgreSQL database (argument or DATABASE_URL).");
  process.exit(2);
}

const DEFAULTS: HubQueueFilters = { status: "open", assignee: "anyone", overdue: false, urgent: false };

type Query = { toSQL(): { sql: string; params: unknown[] } };

async function main() {
  // The statements the model calls send, while `capture` is set (--statements).
  let capture: { sql: string; params: unknown[] }[] | null = null;
  const handle = await openDatabase({
    url: url!,
    max: 4,
    onQuery: (sql, params) => capture?.push({ sql, params }),
  });
  setDatabase(handle);
  const client = postgres(url!, { max: 1, onnotice: () => {} });
  try {
    const [stats] = await client`
      select count(*)::int as total,
             count(*) filter (where status in ('new','triaged','in_progress','waiting_on_staff','referred'))::int as open,
             count(*) filter (where status = 'closed')::int as closed,
             count(*) filter (where status = 'withdrawn')::int as withdrawn
      from support_requests`;
    console.log("Data:", stats);

    const explain = async (query: Query) => {
      const { sql, params } = query.toSQL();
      await client.unsafe(sql, params as never[]);
      const plan = await client.unsafe(`explain (analyze, buffers) ${sql}`, params as never[]);
      const lines = plan.map((r) => r["QUERY PLAN"] as string);
      const ms = Number(/Execution Time: ([\d.]+)/.exec(lines.at(-1) ?? "")?.[1] ?? NaN);
      return { ms, lines, sql };
    };
    const median = async (fn: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const s = performance.now();
        await fn();
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      return times[Math.floor(times.length / 2)]!;
    };

    for (const email of ["coordinator@icb.staywell.test", "psych.coordinator@icb.staywell.test"]) {
      const caller = await callerByEmail(client, email);
      const now = new Date();
      const [visible] = await client`
        select r.reference from support_requests r join support_offers o on o.id = r.offer_id
        join team_members m on m.team_id = o.team_id and m.user_id = ${caller.id}
        where r.status = 'closed' and r.requester_id <> ${caller.id} order by r.id desc limit 1 offset 5000`;
      const reference = visible!.reference as string;
      const views: [string, HubQueueFilters][] = [
        ["open (default)", DEFAULTS],
        ["overdue", { ...DEFAULTS, overdue: true }],
        ["assigned to me", { ...DEFAULTS, assignee: "me" }],
        ["My work", { ...DEFAULTS, view: "mine" }],
        ["closed", { ...DEFAULTS, status: "closed" }],
        ["withdrawn", { ...DEFAULTS, status: "withdrawn" }],
        ["all", { ...DEFAULTS, status: "all" }],
        [`search ${reference} (all)`, { ...DEFAULTS, status: "all", q: reference.toLowerCase() }],
        [`search ${reference.slice(-5)} (number, all)`, { ...DEFAULTS, status: "all", q: reference.slice(-5) }],
        // A short number with a leading zero is a prefix (100 references of the year), a year alone all of it.
        [
          `search ${reference.slice(0, 8)}001 (prefix, all)`,
          { ...DEFAULTS, status: "all", q: `${reference.slice(0, 8)}001` },
        ],
        ["search SW-2023 (prefix, all)", { ...DEFAULTS, status: "all", q: "SW-2023" }],
        ["search SW-2023 (prefix, open)", { ...DEFAULTS, status: "open", q: "SW-2023" }],
        ["search SW-2023 (prefix, closed)", { ...DEFAULTS, status: "closed", q: "SW-2023" }],
        ["search SW-2023-1 (prefix, all)", { ...DEFAULTS, status: "all", q: "SW-2023-1" }],
        ["search SW-2023-0001 (prefix, all)", { ...DEFAULTS, status: "all", q: "SW-2023-0001" }],
      ];
      console.log(`\n## ${email}`);
      console.log(
        "| view | page query (EXPLAIN ms) | counts query (EXPLAIN ms) | loader model calls, median ms (per call) | counts shown |",
      );
      console.log("|---|---|---|---|---|");
      for (const [title, filters] of views) {
        if (ONLY && !title.includes(ONLY)) continue;
        const { status: _s, ...countFilters } = filters;
        // With the caller's scope, as listHubQueue and hubQueuePageExtras build them (ADR 041).
        const scope = await hubScopeOf(caller);
        const page = await explain(buildHubQueueListQuery(caller, filters, now, { scope }));
        // My work shows no counts (the route does not read them since docs/decisions/021).
        const counts =
          filters.view === "mine" ? null : await explain(buildHubQueueCountsQuery(caller, countFilters, now, scope));
        const shown = filters.view === "mine" ? null : await countHubQueue(caller, countFilters, now);
        // What the loader awaits, in its order. Outside an HTTP request nothing is memoised
        // (request-memo.server.ts), so each call reads the caller's teams again (about 1 ms; once per
        // request in the server): hubScopeOf is timed on its own and reported apart.
        const loader = async (time?: Record<string, number[]>) => {
          const lap = async <T>(name: string, fn: () => Promise<T>) => {
            const s = performance.now();
            const value = await fn();
            if (time) (time[name] ??= []).push(performance.now() - s);
            return value;
          };
          const [p] = await Promise.all([
            lap("list", () => listHubQueue(caller, filters, now)),
            lap("leavers", () => canSeeLeaverContacts(caller)),
          ]);
          await lap("extras", () => hubQueuePageExtras(caller, filters.view === "mine" ? null : countFilters, p.now));
          await lap("reservist", () => isReservistCoordinator(caller));
        };
        const perCall: Record<string, number[]> = {};
        const model = await median(() => loader(perCall));
        const scopeMs = await median(() => hubScopeOf(caller));
        const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
        const calls = `${Object.entries(perCall)
          .map(([name, xs]) => `${name} ${med(xs).toFixed(1)}`)
          .join(", ")}; teams read ${scopeMs.toFixed(1)}`;
        if (showStatements) {
          capture = [];
          await loader();
          const statements = capture as { sql: string; params: unknown[] }[];
          capture = null;
          for (const { sql, params } of statements) {
            const times: [number, number][] = [];
            for (let i = 0; i < 3; i++) {
              const plan = await client.unsafe(`explain (analyze, summary) ${sql}`, params as never[]);
              const text = plan.map((r) => r["QUERY PLAN"] as string).join("\n");
              times.push([
                Number(/Planning Time: ([\d.]+)/.exec(text)?.[1] ?? NaN),
                Number(/Execution Time: ([\d.]+)/.exec(text)?.[1] ?? NaN),
              ]);
            }
            const planning = med(times.map((t) => t[0]));
            const execution = med(times.map((t) => t[1]));
            console.log(
              `    ${title}: planning ${planning.toFixed(2)} ms, execution ${execution.toFixed(2)} ms: ${sql.slice(0, 90).replace(/\s+/g, " ")}…`,
            );
          }
        }
        if (showPrepared) {
          capture = [];
          await loader();
          const statements = capture as { sql: string; params: unknown[] }[];
          capture = null;
          for (const { sql, params } of statements) {
            if (!/^\s*(select|with)/i.test(sql) || params.length === 0) continue;
            console.log(`    ${title}: ${await explainPrepared(client, sql, params)}`);
          }
        }
        const shownText = shown
          ? `open ${shown.open}, closed ${shown.closed}, withdrawn ${shown.withdrawn}, all ${shown.all}`
          : "—";
        console.log(
          `| ${title} | ${page.ms.toFixed(2)} | ${counts ? counts.ms.toFixed(2) : "—"} | ${model.toFixed(1)} (${calls}) | ${shownText} |`,
        );
        if (showPlans) {
          console.log(`\n=== ${email} ${title}: page\n${page.lines.join("\n")}`);
          if (counts) console.log(`\n=== ${email} ${title}: counts\n${counts.sql}\n${counts.lines.join("\n")}\n`);
        }
      }
    }
  } finally {
    await client.end({ timeout: 5 });
    await handle.close();
    setDatabase(undefined);
  }
}

/**
 * A captured statement as a prepared statement on `client`'s one connection: "custom plan p + e ms
 * (median of 5) → from the 6th: generic|custom p + e ms; forced generic e ms". Parameters are typed
 * as postgres.js types them (timestamptz for dates, boolean, bigint; unknown, i.e. inferred, for
 * the rest) and passed as literals.
 */
async function explainPrepared(client: postgres.Sql, statement: string, params: unknown[]) {
  const literal = (v: unknown) =>
    v === null || v === undefined
      ? "null"
      : `'${(v instanceof Date ? v.toISOString() : String(v)).replace(/'/g, "''")}'`;
  const type = (v: unknown) =>
    v instanceof Date
      ? "timestamptz"
      : typeof v === "boolean"
        ? "boolean"
        : typeof v === "bigint"
          ? "bigint"
          : "unknown";
  const name = `explain_prepared_${Math.random().toString(36).slice(2, 10)}`;
  await client.unsafe(`prepare ${name}(${params.map(type).join(", ")}) as ${statement}`);
  const execute = `execute ${name}(${params.map(literal).join(", ")})`;
  const run = async () => {
    const plan = await client.unsafe(`explain (analyze, summary) ${execute}`);
    const lines = plan.map((r) => r["QUERY PLAN"] as string);
    const text = lines.join("\n");
    return {
      planning: Number(/Planning Time: ([\d.]+)/.exec(text)?.[1] ?? 0),
      execution: Number(/Execution Time: ([\d.]+)/.exec(text)?.[1] ?? NaN),
      // The plan's nodes (type, index, relation), without conditions, estimates or actual figures.
      shape: lines
        .filter((l, i) => i === 0 || l.includes("->"))
        .map((l) => l.replace(/\s*\(cost=.*$/, ""))
        .join("\n"),
      lines,
    };
  };
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  try {
    const custom = [];
    for (let i = 0; i < 5; i++) custom.push(await run());
    const later = [];
    for (let i = 0; i < 4; i++) later.push(await run());
    const [counts] = await client.unsafe(
      `select generic_plans::int as generic, custom_plans::int as custom from pg_prepared_statements where name = '${name}'`,
    );
    const chose = counts!.generic > 0 ? "generic" : "custom";
    await client.unsafe(`set plan_cache_mode = force_generic_plan`);
    const forced = [await run(), await run(), await run()];
    await client.unsafe(`reset plan_cache_mode`);
    const same = forced[0]!.shape === custom[0]!.shape ? "same plan" : "OTHER PLAN";
    const summary =
      `custom ${med(custom.map((r) => r.planning)).toFixed(2)} + ${med(custom.map((r) => r.execution)).toFixed(2)} ms` +
      ` → from the 6th ${chose} (${counts!.generic} generic, ${counts!.custom} custom) ` +
      `${med(later.map((r) => r.planning)).toFixed(2)} + ${med(later.map((r) => r.execution)).toFixed(2)} ms; ` +
      `forced generic ${med(forced.map((r) => r.execution)).toFixed(2)} ms, ${same}: ${statement.slice(0, 70).replace(/\s+/g, " ")}…`;
    return showPlans && same !== "same plan"
      ? `${summary}\n--- custom\n${custom[0]!.lines.join("\n")}\n--- generic\n${forced[0]!.lines.join("\n")}`
      : summary;
  } finally {
    await client.unsafe(`deallocate ${name}`);
  }
}

async function callerByEmail(client: postgres.Sql, email: string): Promise<CurrentUser> {
  const [u] = await client`
    select id, email, name, role, organisation_id, staff_group, job_title, start_date, manages_organisation_id
    from users where email = ${email}`;
  if (!u) throw new Error(`No user ${email}: seed the database with npm run db:seed:scale first.`);
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    organisationId: u.organisation_id,
    staffGroup: u.staff_group,
    jobTitle: u.job_title,
    startDate: String(u.start_date),
    managesOrganisationId: u.manages_organisation_id,
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
