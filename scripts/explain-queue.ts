// EXPLAIN (ANALYZE, BUFFERS) of the people hub queue's real queries at scale (docs/performance/hub-queue.md).
//
//   node node_modules/tsx/dist/cli.mjs scripts/explain-queue.ts postgres://postgres@127.0.0.1:5432/test [--rows=1000000] [--index="create index …"] [--keep] [--risk-contacted=0.8]
//   EXPLAIN_DATABASE_URL=postgres://… node node_modules/tsx/dist/cli.mjs scripts/explain-queue.ts
//
// PostgreSQL only (never PGlite): it creates a scratch database on that server, migrates it, fills
// it with ~1,000,000 requests by INSERT … SELECT … FROM generate_series (about 4% open, the rest
// closed or withdrawn, spread over five years, all offers and organisations; a few coordinators
// and team memberships; no events; the insight columns filled as the app fills them, the rollups
// rebuilt after the load as db/scale.ts does), runs VACUUM ANALYZE, prints the plans of the queries that
// app/.server/models/hub-queue.server.ts builds, times the model functions, and drops the database.
// --index=… creates an extra index first (to try one out before proposing it); --keep keeps the database.
import postgres from "postgres";
import { openDatabase } from "../db/client";
import { tenureBandSql } from "../db/scale";
import { getDb, setDatabase } from "../db/current";
import { buildOpenRequestLookup } from "../app/.server/models/requests.server";
import type { CurrentUser } from "../app/.server/auth/types";
import { hubScopeOf } from "../app/.server/permissions.server";
import {
  buildHubQueueCountsQuery,
  buildHubQueueListQuery,
  buildMyNewActivityCountQuery,
  countHubQueue,
  countMyNewActivity,
  decodeCursor,
  listHubQueue,
  sortModeFor,
} from "../app/.server/models/hub-queue.server";
import type { HubQueueFilters } from "../app/schemas/hub-queue";

const args = process.argv.slice(2);
const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const serverUrl = args.find((a) => !a.startsWith("--")) ?? process.env.EXPLAIN_DATABASE_URL;
const ROWS = Number(flag("rows") ?? 1_000_000);
const extraIndexes = args.filter((a) => a.startsWith("--index=")).map((a) => a.slice("--index=".length));
const keep = args.includes("--keep");
// Share of at-risk and safety-check requests still new or triaged that are contacted anyway (default
// 0.8: most are contacted within hours). --risk-contacted=0 leaves every one of them in rank 0.
const RISK_CONTACTED = Number(flag("risk-contacted") ?? 0.8);

if (!serverUrl || !/^postgres(ql)?:\/\//.test(serverUrl)) {
  console.error(
    "explain-queue needs a PostgreSQL server URL (argument or EXPLAIN_DATABASE_URL), e.g.\n" +
      "  node node_modules/tsx/dist/cli.mjs scripts/explain-queue.ts postgres://postgres@127.0.0.1:5432/test\n" +
      "It never runs against the embedded PGlite database.",
  );
  process.exit(2);
}
if (!Number.isInteger(ROWS) || ROWS < 1000) {
  console.error("--rows must be a whole number ≥ 1000");
  process.exit(2);
}

function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const DEFAULTS: HubQueueFilters = { status: "open", assignee: "anyone", overdue: false, urgent: false };

async function main() {
  const scratch = `staywell_explain_${process.pid}_${Math.random().toString(16).slice(2, 8)}`;
  const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${scratch}"`);
  console.log(`Scratch database ${scratch} created.`);
  const url = withDatabase(serverUrl!, scratch);
  const handle = await openDatabase({ url, max: 4 });
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    setDatabase(handle);
    await handle.migrate();
    const [{ version }] = await client`select version()`;
    console.log(version);
    await fill(client);
    const t = performance.now();
    await client.unsafe("vacuum analyze");
    console.log(`VACUUM ANALYZE in ${Math.round(performance.now() - t)} ms`);

    const stats = await client`
      select count(*)::int as total,
             count(*) filter (where status in ('new','triaged','in_progress','waiting_on_staff','referred'))::int as open,
             count(*) filter (where status = 'closed')::int as closed,
             count(*) filter (where status = 'withdrawn')::int as withdrawn,
             count(*) filter (where status in ('new','triaged','in_progress','waiting_on_staff','referred')
                               and first_contact_at is null and paused_at is null and due_at < now())::int as overdue,
             count(*) filter (where priority = 'at_risk')::int as at_risk,
             count(*) filter (where priority = 'safety_check')::int as safety_check,
             count(*) filter (where priority = 'urgent')::int as urgent,
             count(*) filter (where priority in ('at_risk', 'safety_check') and first_contact_at is null
                               and status in ('new','triaged','in_progress','waiting_on_staff','referred'))::int as risk_uncontacted,
             count(*) filter (where priority in ('at_risk', 'safety_check')
                               and status in ('new','triaged','in_progress','waiting_on_staff','referred'))::int as risk_open,
             pg_size_pretty(pg_total_relation_size('support_requests')) as size,
             pg_size_pretty(pg_relation_size('support_requests_open_due_idx')) as open_idx
      from support_requests`;
    console.log("Data:", stats[0]);

    await report(client, "WITH THE SCHEMA'S INDEXES");
    if (extraIndexes.length) {
      for (const statement of extraIndexes) {
        console.log(`Extra index: ${statement}`);
        await client.unsafe(statement);
      }
      await client.unsafe("vacuum analyze support_requests");
      await report(client, `WITH THE EXTRA INDEXES: ${extraIndexes.join("; ")}`);
    }
  } finally {
    await client.end({ timeout: 5 });
    await handle.close();
    setDatabase(undefined);
    if (keep) console.log(`\nKept ${scratch} (--keep): drop it with  drop database "${scratch}" with (force)`);
    else {
      await admin.unsafe(`drop database if exists "${scratch}" with (force)`);
      console.log(`\nScratch database ${scratch} dropped.`);
    }
    await admin.end({ timeout: 5 });
  }
}

/** EXPLAIN (ANALYZE, BUFFERS) of every queue query, then timings of the model functions. */
async function report(client: postgres.Sql, heading: string) {
  console.log(`\n################ ${heading}`);
  {
    const c1 = await caller(client, "c1"); // every team except the psychological hub (like the demo coordinator)
    const c2 = await caller(client, "c2"); // the psychological hub only
    const now = new Date();

    const explain = async (title: string, query: { toSQL(): { sql: string; params: unknown[] } }) => {
      const { sql, params } = query.toSQL();
      // Run once to warm the cache, then EXPLAIN (ANALYZE, BUFFERS).
      await client.unsafe(sql, params as never[]);
      const plan = await client.unsafe(`explain (analyze, buffers) ${sql}`, params as never[]);
      console.log(`\n=== ${title}\n${sql}\n-- params: ${JSON.stringify(params)}`);
      for (const row of plan) console.log(row["QUERY PLAN"]);
    };

    const timeIt = async (title: string, fn: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        const s = performance.now();
        await fn();
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      console.log(
        `TIMING ${title}: median ${times[3]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times[6]!.toFixed(1)})`,
      );
    };

    // The callers' teams and offers as lists, as listHubQueue and /hub's extras pass them (ADR 041).
    const s1 = await hubScopeOf(c1);
    const s2 = await hubScopeOf(c2);

    // 1. first page of the default queue
    await explain(
      "Default queue, first page (c1: 5 of 6 teams)",
      buildHubQueueListQuery(c1, DEFAULTS, now, { scope: s1 }),
    );
    await explain(
      "Default queue, first page (c2: psychological hub only)",
      buildHubQueueListQuery(c2, DEFAULTS, now, { scope: s2 }),
    );

    // 2. a later page via cursor: walk 20 pages with the model, explain the 21st
    let cursorText: string | null = null;
    for (let i = 0; i < 20; i++)
      cursorText = (await listHubQueue(c1, { ...DEFAULTS, cursor: cursorText }, now)).nextCursor;
    const cursor = decodeCursor(cursorText, sortModeFor("open"), now);
    await explain(
      "Default queue, page 21 via cursor (c1)",
      buildHubQueueListQuery(c1, DEFAULTS, cursor?.now ?? now, { cursor, scope: s1 }),
    );

    // 3. overdue filter
    await explain(
      "Overdue only, first page (c1)",
      buildHubQueueListQuery(c1, { ...DEFAULTS, overdue: true }, now, { scope: s1 }),
    );
    await explain(
      "Assigned to me, first page (c1)",
      buildHubQueueListQuery(c1, { ...DEFAULTS, assignee: "me" }, now, { scope: s1 }),
    );
    await explain(
      "My work, first page (c1)",
      buildHubQueueListQuery(c1, { ...DEFAULTS, view: "mine" }, now, { scope: s1 }),
    );
    let mineText: string | null = null;
    for (let i = 0; i < 5; i++)
      mineText = (await listHubQueue(c1, { ...DEFAULTS, view: "mine", cursor: mineText }, now)).nextCursor;
    const mineCursor = decodeCursor(mineText, "mine", now);
    await explain(
      "My work, page 6 via cursor (c1)",
      buildHubQueueListQuery(c1, { ...DEFAULTS, view: "mine" }, now, { cursor: mineCursor, scope: s1 }),
    );
    await explain("My work (n new) count (c1)", buildMyNewActivityCountQuery(c1, s1));

    // 4. reference search: a visible request's full reference, its number only, and a prefix
    const [visible] = await client`
      select r.reference from support_requests r join support_offers o on o.id = r.offer_id
      where o.team_id <> 2 and r.status = 'closed' order by r.id desc limit 1 offset 5000`;
    const reference = visible!.reference as string;
    await explain(
      `Search ${reference.toLowerCase()} (status all, c1)`,
      buildHubQueueListQuery(c1, { ...DEFAULTS, status: "all", q: reference.toLowerCase() }, now, { scope: s1 }),
    );
    await explain(
      `Search ${reference.slice(-5)} (number only, status all, c1)`,
      buildHubQueueListQuery(c1, { ...DEFAULTS, status: "all", q: reference.slice(-5) }, now, { scope: s1 }),
    );
    await explain(
      `Search prefix ${reference.slice(0, -3)} (status all, c1)`,
      buildHubQueueListQuery(c1, { ...DEFAULTS, status: "all", q: reference.slice(0, -3) }, now, { scope: s1 }),
    );

    // 5. status counts
    const { status: _s, ...countDefaults } = DEFAULTS;
    await explain("Status counts, no filters (c1)", buildHubQueueCountsQuery(c1, countDefaults, now, s1));
    await explain(
      "Status counts, overdue only (c1)",
      buildHubQueueCountsQuery(c1, { ...countDefaults, overdue: true }, now, s1),
    );
    await explain(
      "Status counts, search by reference (c1)",
      buildHubQueueCountsQuery(c1, { ...countDefaults, q: reference }, now, s1),
    );

    // 6. closed view, first page and a later page; the all view
    await explain(
      "Closed, first page (c1)",
      buildHubQueueListQuery(c1, { ...DEFAULTS, status: "closed" }, now, { scope: s1 }),
    );
    cursorText = null;
    for (let i = 0; i < 20; i++)
      cursorText = (await listHubQueue(c1, { ...DEFAULTS, status: "closed", cursor: cursorText }, now)).nextCursor;
    const closedCursor = decodeCursor(cursorText, "finished", now);
    await explain(
      "Closed, page 21 via cursor (c1)",
      buildHubQueueListQuery(c1, { ...DEFAULTS, status: "closed" }, now, { cursor: closedCursor, scope: s1 }),
    );
    await explain(
      "All statuses, first page (c1)",
      buildHubQueueListQuery(c1, { ...DEFAULTS, status: "all" }, now, { scope: s1 }),
    );

    // 7. The request form's second-request warning (issue 9, part 4): a staff member's latest open
    // request for one offer, scoped by requester_id. u1 has about ROWS / 50,000 requests.
    const [busiest] = await client`
      select requester_id, offer_id from support_requests
      where status in ('new','triaged','in_progress','waiting_on_staff','referred')
      group by requester_id, offer_id order by count(*) desc, requester_id limit 1`;
    await explain(
      "Open request lookup, u1 and offer 1 (the request form's warning)",
      buildOpenRequestLookup(getDb(), "u1", 1),
    );
    await explain(
      `Open request lookup, ${busiest!.requester_id} and offer ${busiest!.offer_id} (has an open request)`,
      buildOpenRequestLookup(getDb(), busiest!.requester_id as string, Number(busiest!.offer_id)),
    );

    // The model functions end to end (query + mapping), as the loader calls them.
    console.log("");
    await timeIt("listHubQueue default, first page (c1)", () => listHubQueue(c1, DEFAULTS, now));
    await timeIt("listHubQueue default, page 21 (c1)", () =>
      listHubQueue(c1, { ...DEFAULTS, cursor: cursorTextFor(cursor) }, now),
    );
    await timeIt("listHubQueue overdue (c1)", () => listHubQueue(c1, { ...DEFAULTS, overdue: true }, now));
    await timeIt("listHubQueue My work, first page (c1)", () => listHubQueue(c1, { ...DEFAULTS, view: "mine" }, now));
    await timeIt("listHubQueue My work, page 6 (c1)", () =>
      listHubQueue(c1, { ...DEFAULTS, view: "mine", cursor: mineText }, now),
    );
    await timeIt("countMyNewActivity (c1)", () => countMyNewActivity(c1));
    await timeIt("listHubQueue search exact (c1)", () =>
      listHubQueue(c1, { ...DEFAULTS, status: "all", q: reference }, now),
    );
    await timeIt("listHubQueue search number (c1)", () =>
      listHubQueue(c1, { ...DEFAULTS, status: "all", q: reference.slice(-5) }, now),
    );
    await timeIt("listHubQueue search prefix (c1)", () =>
      listHubQueue(c1, { ...DEFAULTS, status: "all", q: reference.slice(0, -3) }, now),
    );
    await timeIt("listHubQueue closed, first page (c1)", () =>
      listHubQueue(c1, { ...DEFAULTS, status: "closed" }, now),
    );
    await timeIt("listHubQueue all, first page (c1)", () => listHubQueue(c1, { ...DEFAULTS, status: "all" }, now));
    await timeIt("countHubQueue no filters (c1)", () => countHubQueue(c1, countDefaults, now));
    await timeIt("countHubQueue no filters (c2)", () => countHubQueue(c2, countDefaults, now));
    await timeIt("countHubQueue overdue (c1)", () => countHubQueue(c1, { ...countDefaults, overdue: true }, now));
  }
}

function cursorTextFor(cursor: ReturnType<typeof decodeCursor>) {
  return cursor
    ? Buffer.from(JSON.stringify({ v: 1, m: cursor.mode, d: "n", t: cursor.now.getTime(), k: cursor.key })).toString(
        "base64url",
      )
    : null;
}

async function caller(client: postgres.Sql, id: string): Promise<CurrentUser> {
  const [u] =
    await client`select id, email, name, role, organisation_id, staff_group, job_title, start_date from users where id = ${id}`;
  return {
    id: u!.id,
    email: u!.email,
    name: u!.name,
    role: u!.role,
    organisationId: u!.organisation_id,
    staffGroup: u!.staff_group,
    jobTitle: u!.job_title,
    startDate: String(u!.start_date),
    managesOrganisationId: null,
  };
}

/** Organisations, teams, offers, 50,000 staff, 8 coordinators and ROWS requests. */
async function fill(client: postgres.Sql) {
  const step = async (what: string, statement: string, options: { bulkLoad?: boolean } = {}) => {
    const t = performance.now();
    if (options.bulkLoad) {
      // The insight rollup triggers stand aside for the load; the rollups are rebuilt after it.
      await client.begin(async (tx) => {
        await tx.unsafe("set local staywell.bulk_load = 'on'");
        await tx.unsafe(statement);
      });
    } else {
      await client.unsafe(statement);
    }
    console.log(`${what}: ${Math.round(performance.now() - t)} ms`);
  };
  await step(
    "30 organisations",
    `insert into organisations (slug, name, type, headcount)
     select 'org-' || g, 'Organisation ' || lpad(g::text, 2, '0'), 'nhs_trust', 1000 + g * 100 from generate_series(1, 30) g`,
  );
  await step(
    "6 teams (team 2 = the psychological hub)",
    `insert into teams (slug, name) select 'team-' || g, 'Team ' || g from generate_series(1, 6) g`,
  );
  await step(
    "18 offers, 3 a team, team 2's sensitive",
    `insert into support_offers (slug, title, category, summary, body, who_for, provider, what_happens_next,
                                 first_contact_target_days, sensitive, form_kind, team_id, sort_order)
     select 'offer-' || g, 'Offer ' || g, 'Category', 'Summary', 'Body', 'All staff', 'Provider', 'Next', 5,
            ((g - 1) % 6) + 1 = 2, 'general', ((g - 1) % 6) + 1, g
     from generate_series(1, 18) g`,
  );
  await step(
    "50,000 staff",
    `insert into users (id, email, name, organisation_id, staff_group, start_date, role, password_hash, is_demo)
     select 'u' || g, 'u' || g || '@staff.test', 'Staff ' || g, (g % 30) + 1, 'nursing_midwifery', '2020-04-01', 'staff', '!', true
     from generate_series(1, 50000) g`,
  );
  await step(
    "8 coordinators",
    `insert into users (id, email, name, organisation_id, staff_group, start_date, role, password_hash)
     select 'c' || g, 'c' || g || '@icb.test', 'Coordinator ' || g, 1, 'admin_estates', '2019-01-01', 'coordinator', '!'
     from generate_series(1, 8) g`,
  );
  await step(
    "team memberships (c1 in every team but 2; c2 in team 2; c3–c8 one team each)",
    `insert into team_members (team_id, user_id)
     select t, 'c1' from generate_series(1, 6) t where t <> 2
     union all select 2, 'c2'
     union all select ((g - 3) % 6) + 1, 'c' || g from generate_series(3, 8) g`,
  );
  // Request g is (g / ROWS) of five years old: g = 1 is now. The newest 6% hold nearly all the open
  // requests (the open share falls with age); new/triaged (not yet contacted) are mostly the last
  // two weeks, so the overdue backlog is realistic rather than everything older than 7 days.
  const recent = Math.round(ROWS * 0.06);
  const fresh = Math.round(ROWS * 0.008);
  await step(
    `${ROWS.toLocaleString("en-GB")} requests`,
    `insert into support_requests (reference, requester_id, organisation_id, offer_id, status, urgent, priority, answers, contact_method,
                                   submission_key, staff_group, tenure_band, submitted_at, assignee_id, due_at, first_contact_at,
                                   first_contact_working_days, first_contact_within_target, paused_at, closed_at,
                                   close_outcome, created_at, updated_at)
     with base as (
       select g, (1 + (g::bigint * 7919) % 50000)::int as person,
              now() - (g::float8 / ${ROWS}) * interval '5 years' - random() * interval '6 hours' as sub,
              random() as r1, random() as r2, random() as r3, random() as r4, random() as r5
       from generate_series(1, ${ROWS}) g
     ), prioritised as (
       -- Priority as priorityOf gives it (app/schemas/request-forms.ts): at risk and safety check come
       -- from the psychological form, so only from team 2's offers (1 + g % 18 with g % 6 = 1), where
       -- about 6 % answer "not safe" and 6 % "not sure" (about 1 % of all requests each); "urgent"
       -- (another urgent reason, e.g. bailiffs) on 5 % of the other teams' requests.
       select *, case when g % 6 = 1 then
                   case when r5 < 0.06 then 'at_risk' when r5 < 0.12 then 'safety_check' else 'normal' end
                 else case when r5 < 0.05 then 'urgent' else 'normal' end
                 end as pr
       from base
     ), statused as (
       select *, case
         when g <= ${recent} and r1 < 0.95 - 0.75 * (g::float8 / ${recent}) then
           -- Most at-risk and safety-check requests are contacted within hours: 80 % (--risk-contacted) of those that
           -- would still be new or triaged are in progress instead.
           case when pr in ('at_risk', 'safety_check') and r4 < ${RISK_CONTACTED} and (g <= ${fresh} and r2 < 0.55 or g > ${fresh} and r2 < 0.06)
                  then 'in_progress'
                when g <= ${fresh} then
                  case when r2 < 0.35 then 'new' when r2 < 0.55 then 'triaged' when r2 < 0.8 then 'in_progress'
                       when r2 < 0.9 then 'waiting_on_staff' else 'referred' end
                else
                  case when r2 < 0.03 then 'new' when r2 < 0.06 then 'triaged' when r2 < 0.7 then 'in_progress'
                       when r2 < 0.85 then 'waiting_on_staff' else 'referred' end
           end
         when r1 < 0.92 then 'closed'
         else 'withdrawn' end::request_status as st
       from prioritised
     ), numbered as (
       select *, extract(year from sub at time zone 'Europe/London')::int as yr,
              row_number() over (partition by extract(year from sub at time zone 'Europe/London') order by sub, g) as n
       from statused
     )
     select 'SW-' || yr || '-' || case when n < 100000 then lpad(n::text, 5, '0') else n::text end,
            'u' || person, (person % 30) + 1, 1 + (g % 18), st, pr in ('at_risk', 'urgent'), pr::request_priority,
            case pr when 'at_risk' then '{"safety":"at_risk"}' when 'safety_check' then '{"safety":"unsure"}' else '{}' end::jsonb,
            'email',
            'k' || g,
            -- The requester's staff group and tenure band (every generated person started on 2020-04-01).
            'nursing_midwifery', ${tenureBandSql("(sub at time zone 'Europe/London')::date", "'2020-04-01'::date")},
            sub,
            case when st in ('new', 'triaged') and r4 < 0.6 then null else 'c' || (1 + g % 8) end,
            -- The urgent target (urgentDueAt, roughly: 17:00 the same day before 15:00, else 10:00 the next
            -- day; weekends and time zones ignored here) for every priority but normal.
            case when pr = 'normal' then sub + interval '7 days'
                 when extract(hour from sub) < 15 then date_trunc('day', sub) + interval '17 hours'
                 else date_trunc('day', sub) + interval '34 hours' end,
            case when st in ('in_progress', 'waiting_on_staff', 'referred', 'closed') or (st = 'withdrawn' and r4 < 0.5)
                 then sub + r4 * (case when pr = 'normal' then interval '4 days' else interval '6 hours' end) end,
            -- Working days to first contact: about 5 in every 7 calendar days; due after 7 days, so always in time.
            case when st in ('in_progress', 'waiting_on_staff', 'referred', 'closed') or (st = 'withdrawn' and r4 < 0.5)
                 then case when pr = 'normal' then floor(r4 * 4 * 5 / 7)::int else 0 end end,
            case when st in ('in_progress', 'waiting_on_staff', 'referred', 'closed') or (st = 'withdrawn' and r4 < 0.5)
                 then true end,
            case when st = 'waiting_on_staff' then now() - r4 * interval '5 days' end,
            case when st in ('closed', 'withdrawn') then least(now(), sub + (1 + r2 * 40) * interval '1 day') end,
            case when st = 'closed' then (array['support_given','referred_on','declined','no_response','not_eligible'])[1 + (g % 5)]::close_outcome end,
            sub, sub
     from numbered`,
    { bulkLoad: true },
  );
  await step("insight rollups rebuilt", "select rebuild_insight_rollups()");
  // Unseen activity (docs/decisions/015): one request in ten has a reply from the person two days
  // after it was sent; the assignee has seen two in three of those (an hour after the reply).
  await step(
    "person activity on 10% of requests",
    `update support_requests set last_requester_activity_at = submitted_at + interval '2 days',
                                 last_updated_at = submitted_at + interval '2 days'
     where id % 10 = 0`,
  );
  await step(
    "assignees' request_reads",
    `insert into request_reads (user_id, request_id, seen_at)
     select assignee_id, id, last_requester_activity_at + interval '1 hour' from support_requests
     where assignee_id is not null and last_requester_activity_at is not null and id % 3 <> 0`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
