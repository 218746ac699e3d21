// Generated retention data for the retention insights' tests (ADR 036): ESR leavers, leaving
// questionnaire answers and stay conversations, straight into the tables, deterministic for a seed.
// Each leaver, response and request gets a record key from the same seed, so the published
// (perturbed) figures are the same on every run.
import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DatabaseOrTx } from "@db/client";
import {
  ESR_AGE_BANDS,
  ESR_LEAVING_REASONS,
  LEAVER_TENURE_BANDS,
  LEAVING_DESTINATIONS,
  LEAVING_KEPT_OPTIONS,
  RETENTION_OUTCOMES,
  STAY_LEAVING_REASONS,
} from "~/lib/leaving";
import { STAFF_GROUPS } from "~/lib/staff-groups";
import { createOffer, createUser } from "./factories";
import type { RetentionSet } from "./retention-attacker";
import { rowsDigest } from "./shared-analysis";

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RetentionSeed {
  /** Organisations (ids) and how many of each kind of record each gets. */
  organisations: { id: number; leavers: number; responses: number; stays: number }[];
  /** Dates are spread over the `months` complete months before `now`. */
  now: Date;
  months: number;
  seed?: number;
}

const day = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Inserts the data; returns the stay-conversation offer. */
export async function seedRetentionData(db: DatabaseOrTx, options: RetentionSeed) {
  const random = rng(options.seed ?? 36);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const start = Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth() - options.months, 1);
  const end = Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), 1) - day;
  const when = () => start + Math.floor(random() * (end - start));
  const key = () => Math.floor(random() * 1048576);

  const [imp] = await queryRows<{ id: number }>(
    db,
    sql`insert into esr_leaver_imports (uploaded_by_name, file_name, file_rows, added_rows, first_termination, last_termination)
        values ('Test', 'test.csv', 0, 0, ${iso(start)}::date, ${iso(end)}::date) returning id`,
  );
  const stayOffer = await createOffer({
    slug: "thinking-of-leaving",
    formKind: "thinking_of_leaving",
    sensitive: true,
  });
  let serial = 0;
  for (const org of options.organisations) {
    // Leavers: a first-year curve (more in the first 10 months than in months 10-12).
    const rows: string[] = [];
    for (let i = 0; i < org.leavers; i++) {
      const termination = when();
      const band = pick([0, 0, 1, 1, 2, 2, 3, 4, 4, 5, 5, 6, 6]);
      const months = [1, 4, 8, 11, 18, 40, 100][band]!;
      const reason = pick(ESR_LEAVING_REASONS);
      const group = STAFF_GROUPS[Math.floor(random() * 4)]!.value;
      rows.push(
        `(${imp!.id}, ${org.id}, 'Nursing and Midwifery Registered', '${group}', '${iso(termination - months * 30.5 * day)}', '${iso(termination)}', '${LEAVER_TENURE_BANDS[band]!.value}', '${reason.value}', '${reason.group}', '${pick(ESR_AGE_BANDS)}', '${`h${serial++}-${randomUUID()}`}', ${key()})`,
      );
    }
    for (let i = 0; i < rows.length; i += 500)
      await queryRows(
        db,
        sql.raw(`insert into esr_leavers (import_id, organisation_id, esr_staff_group, staff_group, assignment_start_date,
                 termination_date, tenure_band, reason, reason_group, age_band, assignment_hash, record_key)
                 values ${rows.slice(i, i + 500).join(", ")}`),
      );

    // Responses and stay conversations: built in the loop's order (the same draws from `random` as
    // one INSERT a row), then inserted with one multi-row INSERT a table. A multi-row INSERT takes its
    // ids from the sequence in the order of its VALUES, so the ids sorted ascending are the rows in order.
    const responses: { values: SQL; used: boolean; kept: Set<string> }[] = [];
    for (let i = 0; i < org.responses; i++) {
      const used = random() < 0.45;
      const values = sql`(${org.id}, 'nursing_midwifery', 'under_3m', ${iso(when())}::date, ${pick(LEAVING_DESTINATIONS).value},
                    'Retirement Age', ${used}, false, ${key()})`;
      const kept = new Set([pick(LEAVING_KEPT_OPTIONS).value, pick(LEAVING_KEPT_OPTIONS).value]);
      responses.push({ values, used, kept });
    }
    if (responses.length) {
      const ids = await insertedIds(
        db,
        sql`insert into leaving_responses (organisation_id, staff_group, tenure_band, leaving_date, destination, main_reason,
                                            used_support, would_return, record_key)
            values ${sql.join(
              responses.map((r) => r.values),
              sql`, `,
            )} returning id`,
        responses.length,
      );
      const choices: SQL[] = [];
      for (const [i, { used, kept }] of responses.entries()) {
        for (const value of kept) choices.push(sql`(${ids[i]}, 'kept', ${value}, null)`);
        if (used) choices.push(sql`(${ids[i]}, 'support_used', ${String(stayOffer.id)}, ${stayOffer.id})`);
      }
      await queryRows(
        db,
        sql`insert into leaving_response_choices (response_id, question, value, offer_id) values ${sql.join(choices, sql`, `)}`,
      );
    }

    if (org.stays > 0) {
      const requester = await createUser({ organisationId: org.id });
      const stays: { values: SQL; reasons: Set<string> }[] = [];
      for (let i = 0; i < org.stays; i++) {
        const submitted = new Date(when());
        const outcome = random() < 0.8 ? pick(RETENTION_OUTCOMES).value : null;
        const values = sql`(${`SW-2036-${randomUUID().slice(0, 8)}`}, ${requester.id}, ${org.id}, ${stayOffer.id},
                      ${outcome ? "closed" : "new"}, '{}'::jsonb, 'email', ${randomUUID()}, ${submitted.toISOString()}::timestamptz,
                      ${submitted.toISOString()}::timestamptz, 'nursing_midwifery', '2_to_5', ${outcome}::retention_outcome,
                      ${outcome ? submitted.toISOString() : null}::timestamptz, ${outcome ? submitted.toISOString() : null}::timestamptz,
                      ${outcome ? Math.floor(random() * 6) : null}::int, ${outcome ? true : null}::boolean, ${key()})`;
        const reasons = new Set([pick(STAY_LEAVING_REASONS).value, pick(STAY_LEAVING_REASONS).value]);
        stays.push({ values, reasons });
      }
      const ids = await insertedIds(
        db,
        sql`insert into support_requests (reference, requester_id, organisation_id, offer_id, status, answers, contact_method,
                                            submission_key, submitted_at, due_at, staff_group, tenure_band, retention_outcome,
                                            closed_at, first_contact_at, first_contact_working_days, first_contact_within_target, record_key)
              values ${sql.join(
                stays.map((r) => r.values),
                sql`, `,
              )} returning id`,
        stays.length,
      );
      const answers = stays.flatMap(({ reasons }, i) =>
        [...reasons].map((reason) => sql`(${ids[i]}, 'leavingReasons', ${reason})`),
      );
      await queryRows(
        db,
        sql`insert into stay_conversation_answers (request_id, question, answer) values ${sql.join(answers, sql`, `)}`,
      );
    }
  }
  return { stayOffer };
}

/** The ids a multi-row `insert … returning id` made, in the order of its VALUES (ascending ids). */
async function insertedIds(db: DatabaseOrTx, statement: SQL, expected: number): Promise<number[]> {
  const ids = (await queryRows<{ id: number | string }>(db, statement)).map((r) => Number(r.id)).sort((a, b) => a - b);
  if (ids.length !== expected) throw new Error(`inserted ${ids.length} rows, expected ${expected}`);
  return ids;
}

/** True counts, for checking published figures: leavers of `where` (SQL on esr_leavers). */
export async function trueCount(db: DatabaseOrTx, table: "esr_leavers" | "leaving_responses", where: string) {
  const [row] = await queryRows<{ n: number; key: string | null }>(
    db,
    sql.raw(`select count(*)::int as n, sum(record_key)::text as key from ${table} where ${where}`),
  );
  return { n: Number(row!.n), key: Number(row!.key ?? 0) };
}

/**
 * The true count of any record set the retention attacker names (tests/helpers/retention-attacker.ts),
 * from every leaver, questionnaire response and stay conversation in the database.
 */
/**
 * `digest`: a sha256 of the rows it counts (in any order, each value as text, the response ids it
 * does not read left out), for the key of an analysis checked against it (tests/helpers/shared-analysis.ts).
 */
export async function loadRetentionTruth(
  db: DatabaseOrTx,
): Promise<((s: RetentionSet) => number) & { digest: string }> {
  const leavers = await queryRows<Record<string, string | number>>(
    db,
    sql`select to_char(termination_date, 'YYYY-MM') as month, organisation_id as org, staff_group as "group", tenure_band as tenure,
               reason_group as reason, age_band as age,
               case when reason_group <> 'retirement' then null when reason = 'Retirement Age' then 'retirement_age'
                    else 'retirement_early_flexible' end as retire
        from esr_leavers`,
  );
  const responses = await queryRows<Record<string, string | number | boolean>>(
    db,
    sql`select r.id, to_char(r.leaving_date, 'YYYY-MM') as month, r.organisation_id as org, r.destination,
               case when r.used_support then 'yes' else 'no' end as used,
               coalesce((select string_agg(value, '|' order by value) from leaving_response_choices c where c.response_id = r.id and c.question = 'kept'), '') as kept,
               coalesce((select string_agg(distinct o.category, '|' order by o.category) from leaving_response_choices c join support_offers o on o.id = c.offer_id
                          where c.response_id = r.id and c.question = 'support_used'), '') as kind
        from leaving_responses r`,
  );
  const stays = await queryRows<Record<string, string | number>>(
    db,
    sql`select to_char(r.submitted_at at time zone 'Europe/London', 'YYYY-MM') as month, r.organisation_id as org,
               case when r.retention_outcome is not null then r.retention_outcome::text when r.status in ('new','triaged','in_progress','waiting_on_staff','referred') then 'open' else 'no_outcome' end as standing,
               coalesce((select string_agg(answer, '|' order by answer) from stay_conversation_answers a where a.request_id = r.id and a.question = 'leavingReasons'), '') as reason
        from support_requests r join support_offers o on o.id = r.offer_id where o.slug = 'thinking-of-leaving'`,
  );
  const multi = new Set(["kept", "kind"]);
  // The rows of each source by month and organisation: a set counts the rows of its months and
  // organisations that match all its attributes, so only those buckets are read (the same count as
  // filtering every row; the attack asks for the truth of ~250,000 sets).
  const bucketsOf = (rows: Record<string, unknown>[]) => {
    const buckets = new Map<string, Record<string, unknown>[]>();
    for (const r of rows) {
      const key = `${String(r.month)}|${Number(r.org)}`;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(r);
      else buckets.set(key, [r]);
    }
    return buckets;
  };
  const bySource = { leavers: bucketsOf(leavers), responses: bucketsOf(responses), stays: bucketsOf(stays) };
  // The "|"-lists (kept, kind; a stay's reasons) split once per row, not once per row per set.
  const split = new Map<Record<string, unknown>, Map<string, string[]>>();
  const partsOf = (r: Record<string, unknown>, k: string) => {
    let own = split.get(r);
    if (!own) split.set(r, (own = new Map()));
    let parts = own.get(k);
    if (!parts) own.set(k, (parts = String(r[k]).split("|")));
    return parts;
  };
  const count = (s: RetentionSet) => {
    const tests = Object.entries(s.attrs).map(([k, v]): ((r: Record<string, unknown>) => boolean) => {
      if (k === "agg") {
        const outcomes = RETENTION_OUTCOMES.filter((o) => v === "concluded" || o.retained).map(
          (o) => o.value as string,
        );
        return (r) => outcomes.includes(String(r.standing));
      }
      if (multi.has(k) || (s.source === "stays" && k === "reason")) return (r) => partsOf(r, k).includes(v);
      return (r) => String(r[k]) === v;
    });
    const buckets = bySource[s.source];
    let n = 0;
    for (const month of new Set(s.months))
      for (const org of new Set(s.orgs))
        for (const r of buckets.get(`${month}|${Number(org)}`) ?? []) if (tests.every((test) => test(r))) n++;
    return n;
  };
  // Each set counted once: the attack asks again for the same sets (its two runs, and the
  // counterfactual's text of every cell). The key names the set exactly: months (YYYY-MM) and
  // organisation ids hold no "," or "|", the attributes (sorted) are set apart by control characters.
  const counted = new Map<string, number>();
  const truth = (s: RetentionSet) => {
    const names = Object.keys(s.attrs);
    if (names.length > 1) names.sort();
    let key = `${s.source}|${s.months.join(",")}|${s.orgs.join(",")}`;
    for (const k of names) key += `\u0000${k}\u0001${s.attrs[k]}`;
    let n = counted.get(key);
    if (n === undefined) counted.set(key, (n = count(s)));
    return n;
  };
  const asText = (source: string, rows: Record<string, unknown>[]) =>
    rows.map((r) => ({
      source,
      ...Object.fromEntries(Object.entries(r).flatMap(([k, v]) => (k === "id" ? [] : [[k, String(v)]]))),
    }));
  const digest = rowsDigest([
    ...asText("leavers", leavers),
    ...asText("responses", responses),
    ...asText("stays", stays),
  ]);
  return Object.assign(truth, { digest });
}
