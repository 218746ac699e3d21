// Demo volume for performance work: adds generated staff and requests in bulk, in SQL
// (INSERT … SELECT … FROM generate_series), so a million requests load in minutes.
// Used by scripts/db-seed-scale.ts (npm run db:seed:scale), scripts/bench.ts (npm run bench)
// and scripts/explain-queue.ts. Works on PostgreSQL and on PGlite.
//
// What it makes
// - Staff: is_demo users who can never sign in (password_hash '!'), spread over the organisations
//   in proportion to headcount, with staff groups weighted by organisation type and start dates
//   that give every tenure band (many under a year, most over five). Emails
//   first.last.<number>@<the organisation's first domain>, numbers from 100001 up, carrying on
//   after any earlier run.
// - Requests over the last `years` years: more each year (uptake grows threefold), a winter peak,
//   an August dip and quiet weekends; every offer (weighted by popularity), every organisation and
//   staff group (from the requester), every status. Requests older than a few weeks are nearly all
//   closed (with an outcome) or withdrawn; the open backlog is the last few weeks' work (under
//   1 % of all requests: about 7,000 at a million). First contact after k working days, at about
//   submitted + k × 7/5 calendar days, so first_contact_working_days / first_contact_within_target
//   agree with first_contact_at and due_at (= submitted + target × 7/5 days; bank holidays ignored).
//   Ratings on about 40 % of closed requests; urgent on a few percent; small answers per form kind.
//   staff_group and tenure_band are the requester's when they asked (the same bands as
//   app/lib/insights/facts.ts tenureBand()).
// - References SW-<London year>-<number> (at least 5 digits, more past 99999), reserved through
//   reference_counters in the same statement, so requests made in the app afterwards carry on
//   after them.
// - No request_events and no request_access_log rows: the hub shows these requests with an empty
//   history.
//
// Loading: batches of `batchSize` rows, each one INSERT … SELECT in its own transaction with
// `set local staywell.bulk_load = 'on'` (the insight rollup triggers stand aside), then
// rebuild_insight_rollups() and VACUUM ANALYZE (drizzle/0006_insight_cube_functions.sql).
// Randomness is a hash of (seed, row number, stream), not random(): the same seed, starting data
// and `now` give the same rows, on either driver.
import { sql } from "drizzle-orm";
import { queryRows, type Database, type Tx } from "./client";
import type { FormKind, Organisation } from "./schema";
import { DEMO_ESR_CODES, DEMO_ESR_LEAVERS, insertDemoEsrLeavers } from "./demo-seed/esr-leavers";
import { DEMO_ACCOUNTS } from "./seed-data/accounts";
import { SEED_ORGANISATIONS } from "./seed-data/organisations";
import {
  CONTACT_TIMES,
  CURRENT_PATTERNS,
  EFFECT_ON_TEAM,
  GENERAL_DETAILS,
  GOOD_COMMENTS,
  MIDDLING_COMMENTS,
  POOR_COMMENTS,
  PSYCHOLOGICAL_DETAILS,
  REQUESTED_PATTERNS,
} from "./seed-data/answers";
import { FIRST_NAMES, LAST_NAMES } from "./seed-data/names";
import { JOB_TITLES, STAFF_GROUP_WEIGHTS } from "./seed-data/staff";
import {
  DEFAULT_OFFER_WEIGHT,
  HAPPY_RATINGS,
  HOUR_WEIGHTS,
  MIXED_RATINGS,
  OFFER_WEIGHTS,
  OUTCOME_WEIGHTS,
  STAY_HELP_WEIGHTS,
  STAY_HOW_SOON_WEIGHTS,
  STAY_REASON_WEIGHTS,
} from "./seed-data/request-mix";

export interface ScaleProgress {
  phase: "staff" | "requests";
  /** 1-based batch number and the number of batches in this phase. */
  batch: number;
  batches: number;
  /** Rows inserted so far in this phase, and the phase's total. */
  done: number;
  total: number;
  /** Since the phase started. */
  elapsedMs: number;
  /** done / elapsed. */
  rowsPerSecond: number;
  /** Time this batch took. */
  batchMs: number;
}

export interface ScaleOptions {
  /** Generated staff to add (default 0). */
  staff?: number;
  /** Requests to add (default 0). */
  requests?: number;
  /** Seed of the hash-based randomness (default 1). */
  seed?: number;
  /** The moment the data ends (default now). */
  now?: Date;
  /** How far back requests go, in years (default 5). */
  years?: number;
  /** Rows per INSERT (default 50 000). */
  batchSize?: number;
  /** After loading: rebuild the insight rollups (default true). */
  rebuildRollups?: boolean;
  /** After loading: VACUUM ANALYZE the tables loaded (default true). */
  vacuum?: boolean;
  onProgress?: (progress: ScaleProgress) => void;
  log?: (line: string) => void;
}

export interface ScaleResult {
  staffAdded: number;
  /** ESR leavers added with the staff (one import), in proportion to them. */
  leaversAdded: number;
  requestsAdded: number;
  staffMs: number;
  requestsMs: number;
  rollupsMs: number;
  vacuumMs: number;
  totalMs: number;
}

export const SCALE_DEFAULT_BATCH = 50_000;
const DAY_MS = 86_400_000;
/** Resolution of the time distribution: the days are laid out over this many slots. */
const SLOTS = 100_000;
/** Generated staff numbers start after this (the demo seed uses 101 and up). */
const STAFF_NUMBER_BASE = 100_000;

/**
 * ESR leavers for `staffAdded` more staff, at the demo seed's rate: DEMO_ESR_LEAVERS over three
 * years for the headcount of the demo organisations on ESR (about 13 leavers per 100 staff), made
 * by the demo seed's generator (db/demo-seed/esr-leavers.ts) and stored as one import by the demo
 * administrator, as an upload would be. Assignment numbers follow on from the leavers already
 * there, so every run adds new leavers.
 */
export async function addEsrLeavers(
  db: Database,
  options: { staffAdded: number; seed: number; now: Date },
): Promise<number> {
  const esrHeadcount = SEED_ORGANISATIONS.filter((o) => o.slug in DEMO_ESR_CODES).reduce((n, o) => n + o.headcount, 0);
  const count = Math.round((options.staffAdded * DEMO_ESR_LEAVERS) / Math.max(1, esrHeadcount));
  if (count === 0) return 0;
  const [{ stored }] = (await queryRows<{ stored: number }>(
    db,
    sql`select count(*)::int as stored from esr_leavers`,
  )) as [{ stored: number }];
  return db.transaction((tx) =>
    insertDemoEsrLeavers(tx, {
      now: options.now,
      adminEmail: "admin@icb.staywell.test",
      count,
      seed: options.seed + 7_919,
      fileName: `esr-leavers-scale-seed-${options.seed}.csv`,
      firstAssignment: 40_000_000 + 7 * (Number(stored) + 1),
    }),
  );
}

/**
 * Who in the database is not demo data: users who are neither generated (is_demo) nor one of the
 * demo accounts, and requests made by them. Zero and zero means a scale seed can run. A database
 * without the tables yet is empty.
 */
export async function findNonDemoData(db: Database): Promise<{ users: number; requests: number }> {
  const [tables] = await queryRows<{ users: string | null; requests: string | null }>(
    db,
    sql`select to_regclass('public.users')::text as users, to_regclass('public.support_requests')::text as requests`,
  );
  if (!tables?.users) return { users: 0, requests: 0 };
  const emails = DEMO_ACCOUNTS.map((a) => a.email.toLowerCase());
  const demoList = sql.join(
    emails.map((e) => sql`${e}`),
    sql`, `,
  );
  const notDemo = sql`(not u.is_demo and lower(u.email) not in (${demoList}))`;
  const [row] = await queryRows<{ users: number; requests: number }>(
    db,
    sql`select (select count(*) from users u where ${notDemo})::int as users,
               ${
                 tables.requests
                   ? sql`(select count(*) from support_requests r join users u on u.id = r.requester_id where ${notDemo})::int`
                   : sql`0`
               } as requests`,
  );
  return { users: Number(row?.users ?? 0), requests: Number(row?.requests ?? 0) };
}

/** Adds staff and requests (see the top of this file), then rebuilds the rollups and VACUUM ANALYZEs. */
export async function seedScale(db: Database, options: ScaleOptions): Promise<ScaleResult> {
  const started = performance.now();
  const log = options.log ?? (() => {});
  const staffWanted = wholeNumber(options.staff ?? 0, "staff");
  const requestsWanted = wholeNumber(options.requests ?? 0, "requests");
  const batchSize = Math.max(1, wholeNumber(options.batchSize ?? SCALE_DEFAULT_BATCH, "batchSize"));
  const seed = wholeNumber(options.seed ?? 1, "seed");
  const now = options.now ?? new Date();
  const years = options.years ?? 5;
  const result: ScaleResult = {
    staffAdded: 0,
    leaversAdded: 0,
    requestsAdded: 0,
    staffMs: 0,
    requestsMs: 0,
    rollupsMs: 0,
    vacuumMs: 0,
    totalMs: 0,
  };

  let t = performance.now();
  if (staffWanted > 0) {
    result.staffAdded = await addStaff(db, {
      count: staffWanted,
      batchSize,
      seed,
      now,
      onProgress: options.onProgress,
    });
    result.staffMs = performance.now() - t;
    log(`Added ${result.staffAdded.toLocaleString("en-GB")} staff in ${seconds(result.staffMs)}.`);
    t = performance.now();
    result.leaversAdded = await addEsrLeavers(db, { staffAdded: result.staffAdded, seed, now });
    log(
      `Added ${result.leaversAdded.toLocaleString("en-GB")} ESR leavers (one import) in ${seconds(performance.now() - t)}.`,
    );
  }
  t = performance.now();
  if (requestsWanted > 0) {
    result.requestsAdded = await addRequests(db, {
      count: requestsWanted,
      batchSize,
      seed,
      now,
      years,
      onProgress: options.onProgress,
    });
    result.requestsMs = performance.now() - t;
    log(`Added ${result.requestsAdded.toLocaleString("en-GB")} requests in ${seconds(result.requestsMs)}.`);
  }
  if (options.rebuildRollups !== false && result.requestsAdded > 0) {
    t = performance.now();
    await db.execute(sql`select rebuild_insight_rollups()`);
    result.rollupsMs = performance.now() - t;
    log(`Rebuilt the insight rollups in ${seconds(result.rollupsMs)}.`);
  }
  if (options.vacuum !== false && (result.requestsAdded > 0 || result.staffAdded > 0)) {
    t = performance.now();
    await vacuumAnalyze(db);
    result.vacuumMs = performance.now() - t;
    log(`VACUUM ANALYZE in ${seconds(result.vacuumMs)}.`);
  }
  result.totalMs = performance.now() - started;
  return result;
}

/**
 * VACUUM ANALYZE of the tables a bulk load touches: fresh statistics for the planner, and a
 * visibility map so index-only scans need no heap fetches. Runs outside any transaction.
 */
export async function vacuumAnalyze(db: Database): Promise<void> {
  await db.execute(
    sql.raw(
      "vacuum analyze users, support_requests, reference_counters, insight_cube, insight_first_contact_cube, insight_outcomes_cube",
    ),
  );
}

/** One line per batch, for logs: "requests batch  3/20  150,000 / 1,000,000 ( 15.0%)  41,234 rows/s (batch 1.2 s)". */
export function formatScaleProgress(p: ScaleProgress): string {
  const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");
  const pct = ((p.done / Math.max(p.total, 1)) * 100).toFixed(1).padStart(5);
  return (
    `${p.phase.padEnd(8)} batch ${String(p.batch).padStart(String(p.batches).length)}/${p.batches}  ` +
    `${fmt(p.done).padStart(fmt(p.total).length)} / ${fmt(p.total)} (${pct}%)  ` +
    `${fmt(p.rowsPerSecond)} rows/s  (batch ${(p.batchMs / 1000).toFixed(1)} s)`
  );
}

// ---------------------------------------------------------------------------------------------
// Staff

interface OrgRow {
  id: number;
  type: Organisation["type"];
  headcount: number;
  domain: string;
}

async function addStaff(
  db: Database,
  o: { count: number; batchSize: number; seed: number; now: Date; onProgress?: (p: ScaleProgress) => void },
): Promise<number> {
  const orgs = await queryRows<OrgRow>(
    db,
    sql`select o.id, o.type::text as type, o.headcount,
               (select d.domain from organisation_domains d where d.organisation_id = o.id order by d.id limit 1) as domain
        from organisations o order by o.id`,
  );
  const withDomain = orgs.filter((org) => org.domain);
  if (withDomain.length === 0)
    throw new Error("No organisation with an email domain: run the demo seed first (npm run db:seed).");
  const [{ base }] = (await queryRows<{ base: string | number }>(
    db,
    sql.raw(
      `select coalesce(max(substring(email from '[.]([0-9]{6,})@')::bigint), ${STAFF_NUMBER_BASE}) as base from users where is_demo`,
    ),
  )) as [{ base: string | number }];
  const numberBase = Math.max(STAFF_NUMBER_BASE, Number(base));

  // Contiguous ranges of staff numbers per organisation, in proportion to headcount (largest remainder).
  const totalHeadcount = withDomain.reduce((s, org) => s + Math.max(1, org.headcount), 0);
  const shares = withDomain.map((org) => (o.count * Math.max(1, org.headcount)) / totalHeadcount);
  const counts = shares.map(Math.floor);
  let left = o.count - counts.reduce((a, b) => a + b, 0);
  const byRemainder = shares.map((s, i) => [s - Math.floor(s), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of byRemainder) {
    if (left-- <= 0) break;
    counts[i]! += 1;
  }
  const ranges: string[] = [];
  let next = 1;
  withDomain.forEach((org, i) => {
    if (counts[i]! === 0) return;
    ranges.push(`(${org.id}, ${lit(org.type)}, ${lit(org.domain)}, ${next}, ${next + counts[i]! - 1})`);
    next += counts[i]!;
  });

  const today = londonToday(o.now);
  const r = (k: number) => rnd("g", o.seed * 1000 + 100 + k);
  const statementFor = (lo: number, hi: number) => `
    insert into users (id, email, name, organisation_id, staff_group, job_title, start_date, role, password_hash,
                       email_verified_at, is_demo, created_at, updated_at)
    select md5('staywell-scale-user:' || s.n)::uuid::text,
           lower(regexp_replace(s.first_name, '[^A-Za-z]', '', 'g')) || '.' ||
             lower(regexp_replace(s.last_name, '[^A-Za-z]', '', 'g')) || '.' || s.n || '@' || s.domain,
           s.first_name || ' ' || s.last_name,
           s.org_id, s.grp, ${jobTitleSql("s.type", "s.grp", "s.r_job")}, s.start_date, 'staff', '!',
           s.created, true, s.created, s.created
    from (
      select b.*,
             ${pickSql(FIRST_NAMES, "b.r_first")} as first_name,
             ${pickSql(LAST_NAMES, "b.r_last")} as last_name,
             ${staffGroupSql("b.type", "b.r_group")} as grp,
             d.start_date,
             (greatest(d.start_date, ${lit(today)}::date - ${Math.round(5.3 * 365)})::timestamp
               + interval '8 hours' + b.r_signup * interval '9 hours') at time zone 'Europe/London' as created
      from (
        select g, (${numberBase} + g)::bigint as n, o.id as org_id, o.type, o.domain,
               ${r(1)} as r_first, ${r(2)} as r_last, ${r(3)} as r_group, ${r(4)} as r_job,
               ${r(5)} as r_band, ${r(6)} as r_within, ${r(7)} as r_signup
        from generate_series(${lo}::bigint, ${hi}::bigint) g
        join (values ${ranges.join(", ")}) as o(id, type, domain, lo, hi) on g between o.lo and o.hi
      ) b
      cross join lateral (select ${lit(today)}::date - greatest(7, round(${tenureYearsSql("b.type", "b.r_band", "b.r_within")} * 365.25))::int as start_date) d
    ) s`;

  return runBatches(db, "staff", o.count, o.batchSize, o.onProgress, async (tx, lo, hi) => {
    await tx.execute(sql.raw(statementFor(lo, hi)));
    return hi - lo + 1;
  });
}

// ---------------------------------------------------------------------------------------------
// Requests

interface OfferRow {
  id: number;
  slug: string;
  form_kind: FormKind;
  first_contact_target_days: number;
  active: boolean;
  team_id: number;
}

async function addRequests(
  db: Database,
  o: {
    count: number;
    batchSize: number;
    seed: number;
    now: Date;
    years: number;
    onProgress?: (p: ScaleProgress) => void;
  },
): Promise<number> {
  const offers = await queryRows<OfferRow>(
    db,
    sql`select id, slug, form_kind::text as form_kind, first_contact_target_days, active, team_id from support_offers order by id`,
  );
  if (offers.length === 0) throw new Error("No support offers: run the demo seed first (npm run db:seed).");
  const members = await queryRows<{ team_id: number; user_id: string }>(
    db,
    sql`select tm.team_id, tm.user_id from team_members tm join users u on u.id = tm.user_id
        where u.role in ('coordinator', 'admin') and u.disabled_at is null order by tm.team_id, tm.user_id`,
  );
  const [{ pool, existing }] = (await queryRows<{ pool: number; existing: number }>(
    db,
    sql`select (select count(*) from users where is_demo and role = 'staff' and disabled_at is null)::int as pool,
               (select count(*) from support_requests)::int as existing`,
  )) as [{ pool: number; existing: number }];
  if (Number(pool) === 0) throw new Error("No generated staff to make requests: add some with --staff.");

  const membersByTeam = new Map<number, string[]>();
  for (const m of members) membersByTeam.set(m.team_id, [...(membersByTeam.get(m.team_id) ?? []), m.user_id]);
  const weights = offers.map(
    (offer) => (OFFER_WEIGHTS[offer.slug] ?? DEFAULT_OFFER_WEIGHT) * (offer.active ? 1 : 0.25),
  );
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  let cum = 0;
  const offerValues = offers.map((offer, i) => {
    const lo = cum / totalWeight;
    cum += weights[i]!;
    const hi = i === offers.length - 1 ? 1.000001 : cum / totalWeight;
    const outcomes = OUTCOME_WEIGHTS[offer.form_kind] ?? OUTCOME_WEIGHTS.general;
    const outcomeTotal = outcomes.reduce((s, [, w]) => s + w, 0);
    let c = 0;
    const thresholds = outcomes.slice(0, 4).map(([, w]) => (c += w) / outcomeTotal);
    const team = membersByTeam.get(offer.team_id) ?? [];
    return (
      `(${offer.id}::int, ${lit(offer.slug)}::text, ${lit(offer.form_kind)}::text, ${Number(offer.first_contact_target_days)}::int, ` +
      `${team.length ? `array[${team.map(lit).join(", ")}]::text[]` : "'{}'::text[]"}, ${team.length}::int, ` +
      `${lo}::float8, ${hi}::float8, ${thresholds.map((x) => `${x}::float8`).join(", ")})`
    );
  });

  const today = londonToday(o.now);
  const spanDays = Math.round(o.years * 365.25);
  const firstDay = isoDate(Date.parse(`${today}T00:00:00Z`) - spanDays * DAY_MS);
  const NOW = `${lit(o.now.toISOString())}::timestamptz`;
  const TODAY = `${lit(today)}::date`;

  const setupPool = `
    create temp table scale_pool on commit drop as
    select (row_number() over (order by start_date, id))::int as idx, id, organisation_id, staff_group, start_date
    from users where is_demo and role = 'staff' and disabled_at is null`;
  // Per slot of the time distribution: its day, and how many staff (a prefix of the pool, which is
  // in start-date order) had started 3 days, a year and ten years before it.
  const setupSlots = `
    create temp table scale_slot on commit drop as
    with days as (
      select d::date as day from generate_series(${lit(firstDay)}::date, ${TODAY}, interval '1 day') d
    ), weighted as (
      select day,
             exp(${Math.log(GROWTH)} * (1 - (${TODAY} - day)::float8 / ${spanDays}))
               * (array[${MONTH_FACTORS.join(", ")}])[extract(month from day)::int]
               * (case extract(isodow from day)::int when 6 then 0.35 when 7 then 0.3 else 1.0 end) as w
      from days
    ), cum as (
      select day, w, sum(w) over (order by day) as hi, sum(w) over () as total from weighted
    ), starts as (
      select start_date, max(idx) as k from scale_pool group by start_date
    ), cal as (
      select c::date as day, coalesce(max(s.k) over (order by c::date), 0)::int as k
      from generate_series(least(${lit(firstDay)}::date - 3653, (select min(start_date) from scale_pool)), ${TODAY}, interval '1 day') c
      left join starts s on s.start_date = c::date
    )
    select sl.slot, c.day, k1.k as k_all, k2.k as k_new_lo, k3.k as k_old
    from cum c
    join cal k1 on k1.day = c.day - 3
    join cal k2 on k2.day = c.day - 365
    join cal k3 on k3.day = c.day - 3653
    cross join lateral generate_series(round((c.hi - c.w) / c.total * ${SLOTS})::int, round(c.hi / c.total * ${SLOTS})::int - 1) as sl(slot)`;

  const r = (k: number) => rnd("h", o.seed * 1000 + k);
  const N = o.count;
  const statementFor = (lo: number, hi: number) => `
    with base as (
      select g, g::bigint + ${existing} as h from generate_series(${lo}::bigint, ${hi}::bigint) g
    ), rnd as materialized (
      select g, ${r(1)} as r_time, ${r(2)} as r_hour, ${r(3)} as r_min, ${r(4)} as r_offer, ${r(5)} as r_person,
             ${r(6)} as r_pref, ${r(7)} as r_open, ${r(8)} as r_status, ${r(9)} as r_urgent, ${r(10)} as r_contact,
             ${r(11)} as r_k, ${r(12)} as r_late, ${r(13)} as r_jit, ${r(14)} as r_close, ${r(15)} as r_outcome,
             ${r(16)} as r_rate, ${r(17)} as r_rating, ${r(18)} as r_comment, ${r(19)} as r_assign, ${r(20)} as r_pause,
             ${r(21)} as r_version, ${r(22)} as r_a1, ${r(23)} as r_a2, ${r(24)} as r_a3, ${r(25)} as r_a4,
             ${r(26)} as r_phone, ${r(27)} as r_times, ${r(28)} as r_consent, ${r(29)} as r_wcontact
      from base
    ), timed as (
      -- Request g of N falls at the g-th quantile of the time distribution: batches go forward in time.
      select x.*, sl.day, sl.k_all, sl.k_new_lo, sl.k_old, of.*,
             case when sl.day = ${TODAY}
                  then (${TODAY}::timestamp at time zone 'Europe/London')
                       + (${NOW} - (${TODAY}::timestamp at time zone 'Europe/London')) * (0.02 + 0.96 * x.r_min)
                  else ((sl.day + (array[${HOURS.join(", ")}])[1 + floor(x.r_hour * ${HOURS.length})::int] * interval '1 hour'
                        + x.r_min * interval '3599 seconds')::timestamp at time zone 'Europe/London')
             end as sub
      from rnd x
      join scale_slot sl on sl.slot = least(${SLOTS - 1}, floor((x.g - 1 + x.r_time) / ${N} * ${SLOTS}))::int
      join (values ${offerValues.join(", ")})
        as of(offer_id, slug, form_kind, target, members, team_size, lo, hi, oc1, oc2, oc3, oc4)
        on x.r_offer >= of.lo and x.r_offer < of.hi
    ), person as (
      select t.*, p.id as requester_id, p.organisation_id, p.staff_group, p.start_date,
             extract(epoch from (${NOW} - t.sub)) / 86400.0 as age_days
      from timed t
      join scale_pool p on p.idx = (case
        when t.slug = 'new-starter-support' and t.k_all > t.k_new_lo and t.r_pref < 0.9
          then t.k_new_lo + 1 + floor(t.r_person * (t.k_all - t.k_new_lo))
        when t.slug = 'retire-and-return' and t.k_old > 0 and t.r_pref < 0.9
          then 1 + floor(t.r_person * t.k_old)
        when t.k_all > 0 then 1 + floor(t.r_person * t.k_all)
        else 1 + floor(t.r_person * ${pool})
      end)::int
    ), statused as (
      select q.*,
        (case
          when q.age_days < 2 then
            case when q.r_status < 0.55 then 'new' when q.r_status < 0.85 then 'triaged' else 'in_progress' end
          when q.r_open < (case when q.age_days < 7 then 0.45 when q.age_days < 30 then 0.08
                                when q.age_days < 90 then 0.01 else 0.0002 end) then
            case when q.age_days < 7 then
                   case when q.r_status < 0.10 then 'new' when q.r_status < 0.30 then 'triaged'
                        when q.r_status < 0.75 then 'in_progress' when q.r_status < 0.90 then 'waiting_on_staff' else 'referred' end
                 else
                   case when q.r_status < 0.02 then 'new' when q.r_status < 0.05 then 'triaged'
                        when q.r_status < 0.50 then 'in_progress' when q.r_status < 0.70 then 'waiting_on_staff' else 'referred' end
            end
          when q.r_status < 0.91 then 'closed'
          else 'withdrawn'
        end) as st,
        q.r_urgent < (case q.form_kind when 'financial' then 0.08 when 'psychological' then 0.05 else 0.01 end) as urgent,
        q.sub + q.target * interval '1 day' * 1.4 as due
      from person q
    ), contacted as (
      select s.*,
        (s.st in ('in_progress', 'waiting_on_staff', 'referred', 'closed') or (s.st = 'withdrawn' and s.r_wcontact < 0.5)) as has_contact,
        least(
          greatest(0, floor(s.age_days * 5 / 7))::int,
          case when s.urgent then 0
               when s.r_late < 0.17 then s.target + 1 + floor(s.r_k * (ceil(s.target * 0.6) + 2))::int
               else floor(power(s.r_k, 1.3) * (s.target + 1))::int end
        ) as k
      from statused s
    ), fc as (
      select c.*,
        case when c.has_contact then
          least(${NOW} - interval '5 minutes',
                greatest(c.sub + interval '10 minutes',
                         c.sub + (case when c.k = 0 then c.r_jit * 0.25 else c.k * 1.4 - c.r_jit * 0.4 end) * interval '1 day'))
        end as fc_at
      from contacted c
    ), finished as (
      select f.*, (f.sub at time zone 'Europe/London')::date as sub_date,
        case when f.st = 'closed'
               then least(${NOW} - interval '1 minute', coalesce(f.fc_at, f.sub) + (3 + power(f.r_close, 1.5) * 60) * interval '1 day')
             when f.st = 'withdrawn'
               then least(${NOW} - interval '1 minute', coalesce(f.fc_at, f.sub) + (0.2 + f.r_close * 20) * interval '1 day')
        end as closed_at,
        case when f.st = 'closed' then
          case when f.r_outcome < f.oc1 then 'support_given' when f.r_outcome < f.oc2 then 'referred_on'
               when f.r_outcome < f.oc3 then 'declined' when f.r_outcome < f.oc4 then 'no_response' else 'not_eligible' end
        end as outcome
      from fc f
    ), batch as materialized (
      select z.*,
        extract(year from z.sub_date)::int as yr,
        case when z.st = 'closed' and z.r_rate < 0.4 then
          case when z.outcome in ('support_given', 'referred_on') then
                 ${weightedSql(HAPPY_RATINGS, "z.r_rating")}
               else
                 ${weightedSql(MIXED_RATINGS, "z.r_rating")}
          end
        end as rating
      from finished z
    ), counts as (
      select yr, count(*)::int as cnt from batch group by yr
    ), reserved as (
      insert into reference_counters as rc (year, last) select yr, cnt from counts
      on conflict (year) do update set last = rc.last + excluded.last
      returning year, last
    ), numbered as (
      select b.*, r.last - c.cnt + row_number() over (partition by b.yr order by b.g) as n
      from batch b join counts c on c.yr = b.yr join reserved r on r.year = b.yr
    ), inserted as (
      insert into support_requests (reference, requester_id, organisation_id, offer_id, status, urgent, priority, answers, contact_method,
                                    contact_phone, contact_times, consent_to_share_with_manager, submission_key, staff_group,
                                    tenure_band, submitted_at, assignee_id, due_at, first_contact_at, first_contact_working_days,
                                    first_contact_within_target, paused_at, closed_at, close_outcome, satisfaction_rating,
                                    satisfaction_comment, rated_at, version, created_at, updated_at)
      select ref, m.requester_id, m.organisation_id, m.offer_id, m.st::request_status, m.urgent,
             -- priorityOf (app/schemas/request-forms.ts) on the answers below.
             (case when m.form_kind = 'psychological' and m.urgent then 'at_risk'
                   when m.form_kind = 'psychological' and m.r_a3 >= 0.84 then 'safety_check'
                   when m.urgent then 'urgent' else 'normal' end)::request_priority,
             ${answersSql("m")},
             m.method::contact_method,
             case when m.method = 'phone' then '07700 900' || lpad(floor(m.r_phone * 1000)::int::text, 3, '0') end,
             case when m.r_times < 0.35 then ${pickSql(CONTACT_TIMES, "(m.r_times / 0.35)")} end,
             m.r_consent < (case when m.form_kind = 'flexible_working' then 0.7 else 0.1 end),
             'scale:' || ref,
             m.staff_group,
             ${tenureBandSql("m.sub_date", "m.start_date")},
             m.sub,
             case when m.team_size = 0 or m.st = 'new' or (m.st = 'triaged' and m.r_assign >= 0.6) then null
                  else m.members[1 + floor(m.r_assign * m.team_size)::int] end,
             m.due,
             m.fc_at,
             case when m.fc_at is not null then m.k end,
             case when m.fc_at is not null then m.fc_at <= m.due end,
             case when m.st = 'waiting_on_staff'
                  then least(${NOW} - interval '1 minute', greatest(m.fc_at + interval '1 hour', ${NOW} - m.r_pause * interval '10 days')) end,
             m.closed_at,
             m.outcome::close_outcome,
             m.rating,
             case when m.rating is not null and m.r_comment < 0.3 then
               case when m.rating >= 4 then ${pickSql(GOOD_COMMENTS, "(m.r_comment / 0.3)")}
                    when m.rating = 3 then ${pickSql(MIDDLING_COMMENTS, "(m.r_comment / 0.3)")}
                    else ${pickSql(POOR_COMMENTS, "(m.r_comment / 0.3)")} end
             end,
             case when m.rating is not null
                  then least(${NOW} - interval '30 seconds', m.closed_at + (0.01 + m.r_rate * 15) * interval '1 day') end,
             1 + (case m.st when 'new' then 0 when 'triaged' then 1 + floor(m.r_version * 2) when 'in_progress' then 3 + floor(m.r_version * 3)
                            when 'waiting_on_staff' then 5 + floor(m.r_version * 3) when 'referred' then 5 + floor(m.r_version * 4)
                            when 'closed' then 6 + floor(m.r_version * 6) else 1 + floor(m.r_version * 5) end)::int,
             m.sub,
             coalesce(m.closed_at, m.fc_at, m.sub)
      from (
        select nb.*,
               'SW-' || nb.yr || '-' || (case when nb.n < 100000 then lpad(nb.n::text, 5, '0') else nb.n::text end) as ref,
               (case when nb.r_contact < 0.55 then 'email' when nb.r_contact < 0.85 then 'phone' else 'teams' end) as method
        from numbered nb
      ) m
      returning 1
    )
    select count(*)::int as inserted from inserted`;

  return runBatches(db, "requests", o.count, o.batchSize, o.onProgress, async (tx, lo, hi) => {
    await tx.execute(sql.raw(setupPool));
    await tx.execute(sql.raw(setupSlots));
    await tx.execute(sql.raw("analyze scale_pool"));
    await tx.execute(sql.raw("analyze scale_slot"));
    const [row] = await queryRows<{ inserted: number }>(tx, sql.raw(statementFor(lo, hi)));
    const inserted = Number(row?.inserted ?? 0);
    if (inserted !== hi - lo + 1)
      throw new Error(`Batch ${lo}–${hi}: inserted ${inserted} requests, expected ${hi - lo + 1}.`);
    return inserted;
  });
}

/** Answers in the shape of each form kind's schema (app/schemas/request-forms.ts), from m.r_a1…r_a4. */
function answersSql(m: string): string {
  // Two different topics: the first, and one of the others.
  const n = FINANCIAL_TOPICS.length;
  const topic = (index: string) => `(array[${FINANCIAL_TOPICS.map(lit).join(", ")}])[1 + (${index})::int]`;
  const subDate = `${m}.sub_date`;
  return `(case ${m}.form_kind
    when 'financial' then jsonb_build_object(
      'topics', case when ${m}.r_a2 < 0.5 then jsonb_build_array(${topic(`floor(${m}.r_a1 * ${n})`)})
                     else jsonb_build_array(${topic(`floor(${m}.r_a1 * ${n})`)},
                                            ${topic(`(floor(${m}.r_a1 * ${n}) + 1 + floor(${m}.r_a3 * ${n - 1}))::int % ${n}`)}) end,
      'urgentSituations', case when ${m}.urgent then jsonb_build_array(${pickSql(URGENT_SITUATIONS, `${m}.r_a4`)}) else '[]'::jsonb end)
    when 'psychological' then jsonb_build_object(
      'whatIsHappening', ${pickSql(PSYCHOLOGICAL_DETAILS, `${m}.r_a1`)},
      'effectOnWork', case when ${m}.r_a2 < 0.55 then 'struggling' when ${m}.r_a2 < 0.8 then 'coping' else 'off_sick' end,
      'safety', case when ${m}.urgent then 'at_risk' when ${m}.r_a3 < 0.84 then 'safe' else 'unsure' end)
    when 'physiotherapy' then jsonb_build_object(
      'bodyArea', ${pickSql(BODY_AREAS, `${m}.r_a1`)},
      'duration', ${pickSql(DURATIONS, `${m}.r_a2`)},
      'effectOnWork', case when ${m}.r_a3 < 0.55 then 'working_with_difficulty' when ${m}.r_a3 < 0.8 then 'coping' else 'off_sick' end)
    when 'flexible_working' then jsonb_build_object(
      'currentPattern', ${pickSql(CURRENT_PATTERNS, `${m}.r_a1`)},
      'requestedPattern', ${pickSql(REQUESTED_PATTERNS, `${m}.r_a2`)},
      'requestedStartDate', to_char(${subDate} + (28 + floor(${m}.r_a3 * 57))::int, 'YYYY-MM-DD'),
      'effectOnTeam', ${pickSql(EFFECT_ON_TEAM, `${m}.r_a4`)},
      'earlierRequests', case when ${m}.r_a3 < 0.7 then 'none' when ${m}.r_a3 < 0.92 then 'one' else 'two_or_more' end)
    when 'retire_return' then jsonb_build_object(
      'pensionSection', case when ${m}.r_a1 < 0.4 then '1995' when ${m}.r_a1 < 0.6 then '2008' when ${m}.r_a1 < 0.85 then '2015' else 'not_sure' end,
      'intendedDate', to_char(${subDate} + (60 + floor(${m}.r_a2 * 480))::int, 'YYYY-MM-DD'),
      'interests', jsonb_build_array(${pickSql(RETIRE_INTERESTS, `${m}.r_a3`)}))
    when 'thinking_of_leaving' then jsonb_build_object(
      'leavingReasons', jsonb_build_array(${pickSql(
        STAY_REASON_WEIGHTS.map(([v]) => v),
        `${m}.r_a1`,
      )}),
      'wouldHelpStay', jsonb_build_array(${pickSql(
        STAY_HELP_WEIGHTS.map(([v]) => v),
        `${m}.r_a2`,
      )}),
      'howSoon', ${pickSql(
        STAY_HOW_SOON_WEIGHTS.map(([v]) => v),
        `${m}.r_a3`,
      )},
      'hubAction', case when ${m}.r_a4 < 0.8 then 'conversation' else 'information_only' end)
    else jsonb_build_object('details', ${generalDetailsSql(`${m}.slug`, `${m}.r_a1`)})
  end)`;
}

// ---------------------------------------------------------------------------------------------
// Batching and SQL helpers

async function runBatches(
  db: Database,
  phase: ScaleProgress["phase"],
  total: number,
  batchSize: number,
  onProgress: ((p: ScaleProgress) => void) | undefined,
  run: (tx: Tx, lo: number, hi: number) => Promise<number>,
): Promise<number> {
  const batches = Math.ceil(total / batchSize);
  const started = performance.now();
  let done = 0;
  for (let b = 0; b < batches; b++) {
    const lo = b * batchSize + 1;
    const hi = Math.min(total, lo + batchSize - 1);
    const batchStarted = performance.now();
    done += await db.transaction(async (tx) => {
      await tx.execute(sql`set local staywell.bulk_load = 'on'`);
      // Generated SQL is cheap to plan and run once: JIT compiling it costs more than it saves.
      await tx.execute(sql`set local jit = off`);
      await tx.execute(sql`set local work_mem = '128MB'`);
      return run(tx, lo, hi);
    });
    const elapsedMs = performance.now() - started;
    onProgress?.({
      phase,
      batch: b + 1,
      batches,
      done,
      total,
      elapsedMs,
      rowsPerSecond: done / Math.max(elapsedMs / 1000, 1e-3),
      batchMs: performance.now() - batchStarted,
    });
  }
  return done;
}

/** A uniform number in [0, 1) from (stream, row): the same on PostgreSQL and PGlite. */
function rnd(row: string, stream: number): string {
  return `((hashint8extended(${row}, ${stream}::bigint) & 9007199254740991)::float8 / 9007199254740992.0)`;
}

/** One of `items`, chosen by the uniform number `r`. */
function pickSql(items: readonly string[], r: string): string {
  return `(array[${items.map(lit).join(", ")}])[1 + floor(${r} * ${items.length})::int]`;
}

/** One of weighted `entries` (db/seed-data/request-mix.ts), chosen by the uniform number `r`. */
function weightedSql(entries: readonly (readonly [number, number])[], r: string): string {
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let c = 0;
  const branches = entries.slice(0, -1).map(([value, w]) => `when ${r} < ${(c += w) / total} then ${value}`);
  return `case ${branches.join(" ")} else ${entries[entries.length - 1]![0]} end`;
}

/** Staff group by organisation type, chosen by `r`. */
function staffGroupSql(type: string, r: string): string {
  const byType = Object.entries(STAFF_GROUP_WEIGHTS).map(([orgType, weights]) => {
    const total = weights.reduce((s, [, w]) => s + w, 0);
    let c = 0;
    const branches = weights
      .slice(0, -1)
      .map(([group, w]) => `when ${r} < ${(c += w) / total} then ${lit(group)}`)
      .join(" ");
    return `when ${lit(orgType)} then case ${branches} else ${lit(weights[weights.length - 1]![0])} end`;
  });
  return `(case ${type} ${byType.join(" ")} else 'other' end)`;
}

/** Years in post now: many under a year (more in care providers), most over five. */
function tenureYearsSql(type: string, band: string, within: string): string {
  const bands = (under1: number, oneToTwo: number, twoToFive: number) =>
    `case when ${band} < ${under1} then 0.02 + 0.98 * ${within}
          when ${band} < ${under1 + oneToTwo} then 1 + ${within}
          when ${band} < ${under1 + oneToTwo + twoToFive} then 2 + 3 * ${within}
          else 5 + 33 * power(${within}, 1.6) end`;
  return `(case ${type} when 'care_provider' then ${bands(0.3, 0.17, 0.25)} else ${bands(0.18, 0.13, 0.25)} end)`;
}

/** A job title for the staff group, from the organisation type's own list when it has one (JOB_TITLES). */
function jobTitleSql(type: string, group: string, r: string): string {
  const [byType, byGroup] = [true, false].map((typed) =>
    Object.entries(JOB_TITLES)
      .filter(([key]) => key.includes(":") === typed)
      .map(([key, titles]) => `when ${lit(key)} then ${pickSql(titles, r)}`)
      .join(" "),
  );
  return `(case ${type} || ':' || ${group} ${byType} else case ${group} ${byGroup} end end)`;
}

/** What a general form says, by offer slug (GENERAL_DETAILS, with its default). */
function generalDetailsSql(slug: string, r: string): string {
  const branches = Object.entries(GENERAL_DETAILS)
    .filter(([key]) => key !== "default")
    .map(([key, details]) => `when ${lit(key)} then ${pickSql(details, r)}`);
  return `(case ${slug} ${branches.join(" ")} else ${pickSql(GENERAL_DETAILS.default!, r)} end)`;
}

/** A SQL string literal. */
function lit(value: string): string {
  return `'${String(value).replace(/'/g, "''")}'`;
}

function wholeNumber(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${what} must be a whole number ≥ 0 (got ${n})`);
  return n;
}

function londonToday(now: Date): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/London",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

function isoDate(ms: number) {
  return new Date(ms).toISOString().slice(0, 10);
}

function seconds(ms: number) {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * The tenure band as a SQL expression: whole years in post from `startDate` to `londonDate` (the
 * London date the request was made), the rule of tenureBand() in app/lib/insights/facts.ts and of
 * drizzle/0006_insight_cube_functions.sql.
 */
export function tenureBandSql(londonDate: string, startDate: string): string {
  const years = `extract(year from age(${londonDate}, ${startDate}))`;
  return `(case when ${years} < 1 then 'under_1' when ${years} < 2 then '1_to_2' when ${years} < 5 then '2_to_5' else '5_plus' end)::tenure_band`;
}

// ---------------------------------------------------------------------------------------------
// Distributions and word lists

/** Hour of the day (London) a request is made, each listed as often as its weight. */
const HOURS = HOUR_WEIGHTS.flatMap(([hour, weight]) => Array.from({ length: weight }, () => hour));

/** Requests per day grow threefold over the period (uptake grows). */
const GROWTH = 3;
/** January … December: a winter peak, an August dip. */
const MONTH_FACTORS = [1.22, 1.12, 1.05, 0.95, 0.95, 0.9, 0.85, 0.62, 1.0, 1.1, 1.18, 1.0];

const FINANCIAL_TOPICS = ["debt", "benefits", "housing", "budgeting", "cost_of_living", "other"];
const URGENT_SITUATIONS = ["bailiffs", "eviction", "disconnection", "court"];
const BODY_AREAS = ["back", "back", "neck", "shoulder", "shoulder", "knee", "arm_hand", "hip", "ankle_foot", "other"];
const DURATIONS = ["under_2_weeks", "2_to_6_weeks", "2_to_6_weeks", "6_to_12_weeks", "over_12_weeks"];
const RETIRE_INTERESTS = ["partial_retirement", "retire_and_return", "reservist_bank"];
