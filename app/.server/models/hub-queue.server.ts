// The people hub queue (/hub): what a coordinator may see, filtered, in attention order, paged by
// keyset. Every query is built on hubVisibleRequests(caller), so another team's requests (sensitive
// or not) and the caller's own requests never reach a list, a count or a search result.
//
// Order
// - Open views (status "open" or one open status), risk first (docs/decisions/012-risk-first-triage.md):
//   rank 0: at-risk and safety-check requests not yet contacted, oldest first (submitted_at, id);
//   rank 1: overdue for first contact at `now` (not contacted, clock not paused, due_at < now);
//   rank 2: the rest; ranks 1 and 2 by due_at ascending, then id. After first contact an at-risk
//   request falls back into due-time order (its tag stays on the row); "urgent" alone ranks nothing:
//   its short target (due_at) already brings it forward, and it must not stay on top once contacted.
// - "closed" / "withdrawn": most recently finished first (closed_at desc, id desc; both set closed_at).
// - "all": newest submitted first (submitted_at desc, id desc).
// - My work (view "mine", docs/decisions/018-unseen-activity.md): requests assigned to the caller.
//   Code 0: the person did something the caller has not seen on an OPEN request, most recent such
//   activity first (last_requester_activity_at desc, id desc): the newest reply is the first row;
//   code 1: the same on a finished (closed or withdrawn) request, most recent first;
//   codes 2–4: the other open ones, queue ranks 0–2 as above (ascending).
//
// Paging (no OFFSET): an opaque cursor, base64url of JSON { v, m (sort mode), d ("n" next / "p"
// previous), t (the `now` snapshot of the first page, ms), k (the sort key values of the last —
// or, going back, the first — row on the page) }. The snapshot keeps "overdue" and therefore the
// order the same on every page of one walk through the queue. "Previous" is a real link: a cursor
// in the reverse direction (the page before the first row shown), so it works without history.
import { and, eq, inArray, isNull, or, Placeholder, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { alias, unionAll } from "drizzle-orm/pg-core";
import { integerList, integerLiteral, unpreparedStatement } from "@db/client";
import { getDb } from "@db/current";
import {
  organisations,
  requestReads,
  supportOffers,
  supportRequests,
  teamMembers,
  teams,
  users,
  type RequestPriority,
  type RequestStatus,
} from "@db/schema";
import type { CurrentUser } from "../auth/types";
import { can, hubHandlingBranches, hubScopeOf, hubVisibleRequests, type HubScope } from "../permissions.server";
import { REQUEST_STATUSES } from "~/lib/request-status";
import { workingDaysBetween } from "~/lib/working-days";
import {
  HUB_COUNT_CAP,
  type HubQueueCountFilters,
  type HubQueueFilters,
  type HubStatusFilter,
} from "~/schemas/hub-queue";

export const HUB_QUEUE_PAGE_SIZE = 25;

const OPEN: readonly RequestStatus[] = ["new", "triaged", "in_progress", "waiting_on_staff", "referred"];

/**
 * A LIMIT written into the statement (integerLiteral) rather than sent as a parameter: with
 * `limit $n` a prepared statement's generic plan cannot tell a page of 26 from a scan of everything,
 * so PostgreSQL planned the page statement again on every run (ADR 041, addendum of 30 November late
 * evening). Drizzle writes an SQL object given to `.limit()` as it is; its type says number.
 */
function literalLimit(n: number): number {
  return integerLiteral(n) as unknown as number;
}

/** A cursor's `now` snapshot is honoured for this long; an older cursor starts again from page 1. */
const SNAPSHOT_MAX_AGE_MS = 12 * 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// SQL pieces

/**
 * `status in ('new', …)` with the values written into the SQL (from the fixed enum, never user
 * text): the planner can then match the partial index support_requests_open_queue_idx, whose
 * predicate is this same list, even in a generic (prepared) plan.
 */
function statusIn(statuses: readonly RequestStatus[]): SQL {
  for (const s of statuses)
    if (!(REQUEST_STATUSES as readonly string[]).includes(s)) throw new Error(`Unknown status ${s}`);
  return sql`${supportRequests.status} in (${sql.raw(statuses.map((s) => `'${s}'`).join(", "))})`;
}

const isOpenSql = () => statusIn(OPEN);

/**
 * A time in a statement: a Date, or a placeholder filled at execution with an ISO time (a cached
 * statement, see "statements built once per shape" below). Either way the text is `$n::timestamptz`
 * with the time as text.
 */
type At = Date | Placeholder;

function ts(date: At): SQL {
  return date instanceof Date ? sql`${date.toISOString()}::timestamptz` : sql`${date}::timestamptz`;
}

/** `now` where JavaScript needs the value itself (the reference search's years): never a placeholder. */
function dateOf(at: At): Date {
  if (!(at instanceof Date)) throw new Error("A reference search is built with its time (never cached).");
  return at;
}

/**
 * A cursor time: microseconds since 1970, exactly as PostgreSQL keeps timestamptz (a JavaScript
 * Date has milliseconds only: a cursor in ms sat up to 999 µs before its row, so the next page
 * repeated rows, and a descending walk skipped rows whose times differed from the last row's in
 * the microseconds — tests/integration/hub-queue-cursor.test.ts).
 */
function tsMicros(us: number | Placeholder): SQL {
  return sql`${typeof us === "number" ? microsText(us) : us}::timestamptz`;
}

/** tsMicros's text: …T12:34:56.789123Z. */
function microsText(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString(); // …T12:34:56.789Z
  const micro = String(us - ms * 1000).padStart(3, "0");
  return `${iso.slice(0, -1)}${micro}Z`;
}

/** The column's exact value in microseconds since 1970, as text (bigint: exact, whatever the driver). */
function microsSql(column: AnyColumn): SQL<string | null> {
  return sql<string | null>`(floor(extract(epoch from ${column}) * 1000000))::bigint::text`;
}

/** Overdue for first contact at `now` (the rule of app/lib/working-days.ts isOverdue, in SQL). */
function overdueSql(now: At): SQL {
  return and(
    isOpenSql(),
    isNull(supportRequests.firstContactAt),
    isNull(supportRequests.pausedAt),
    sql`${supportRequests.dueAt} < ${ts(now)}`,
  )!;
}

/**
 * At risk or safety check and not yet contacted (the queue's rank 0). The values are written into
 * the SQL so the planner can match the partial index support_requests_risk_uncontacted_idx.
 */
function riskUncontactedSql(): SQL {
  return sql`(${supportRequests.priority} in ('at_risk', 'safety_check') and ${supportRequests.firstContactAt} is null)`;
}

/** Not contacted, clock running, past due at `now` (open status is checked by the view). */
function lateSql(now: At): SQL {
  return sql`(${supportRequests.firstContactAt} is null and ${supportRequests.pausedAt} is null and ${supportRequests.dueAt} < ${ts(now)})`;
}

/** 0 = at risk / safety check not contacted, 1 = overdue at `now`, 2 = the rest. Open views only. */
function queueRankSql(now: At): SQL<number> {
  return sql<number>`(case when ${riskUncontactedSql()} then 0 when ${lateSql(now)} then 1 else 2 end)`;
}

/** The time a row is ordered by within its rank: submitted_at in rank 0, due_at otherwise. */
function queueTimeSql(): SQL {
  return sql`(case when ${riskUncontactedSql()} then ${supportRequests.submittedAt} else ${supportRequests.dueAt} end)`;
}

/**
 * The person did something (reply, withdrawal, rating, consent change) after the caller last opened
 * the request, or the caller never opened it (docs/decisions/015). One primary-key probe of
 * request_reads per row: per coordinator, so another coordinator's visit changes nothing.
 */
export function newActivitySql(caller: CurrentUser): SQL {
  return sql`(${supportRequests.lastRequesterActivityAt} is not null and not exists (select 1 from ${requestReads} where ${requestReads.userId} = ${caller.id} and ${requestReads.requestId} = ${supportRequests.id} and ${requestReads.seenAt} >= ${supportRequests.lastRequesterActivityAt}))`;
}

/** Upper-case reference of a year and number, e.g. SW-2026-00042. */
function referenceOf(year: number, n: number) {
  return `SW-${year}-${String(n).padStart(5, "0")}`;
}

/**
 * The reference search. Case-insensitive; references are stored upper-case.
 * - "sw-2026-00042", "SW-2026-42", "2026-42" → that reference exactly (unique index);
 * - "00042" or "42" (digits only) → that number in any year from 2000 to next year (index probes);
 * - anything else → references starting with it: "SW-2026-000" (a number shorter than five digits
 *   with a leading zero is a prefix) → SW-2026-00001 … 00099; "SW-2025" → all of 2025, through
 *   support_requests_reference_pattern_idx (text_pattern_ops) for a narrow prefix, and bounded to
 *   the year's submitted_at range for a wide one (see docs/performance/hub-queue.md).
 */
export function referenceSearchSql(q: string, now: Date): SQL {
  const text = q.trim().toUpperCase().replace(/\s+/g, "");
  const full = fullReferenceMatch(text);
  if (full) return eq(supportRequests.reference, referenceOf(Number(full[1]), Number(full[2])));
  if (/^\d{1,9}$/.test(text)) {
    const n = Number(text);
    const refs: string[] = [];
    for (let y = 2000; y <= now.getUTCFullYear() + 1; y++) refs.push(referenceOf(y, n));
    return sql`${supportRequests.reference} in (${sql.join(
      refs.map((r) => sql`${r}`),
      sql`, `,
    )})`;
  }
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  // Unprepared: a prefix's best plan depends on the prefix and the year range (a generic plan
  // sorted a whole year: 430–570 ms against 3 ms at 1M; db/query.ts, unpreparedStatement).
  const like = sql`${unpreparedStatement}${supportRequests.reference} like ${`${escaped}%`}`;
  // A prefix that names the year ("SW-2023", "SW-2023-1"): a reference's year is the year of its
  // submission in England (allocateReference; at New Year London is on GMT, so the UTC year too),
  // so the rows are also inside that year's submitted_at range. Said as well, with a day's margin
  // each side, it bounds the search: the newest-first walk of support_requests_submitted_idx
  // starts at that year's end instead of today (a year-long prefix at 1,000,000 requests read
  // back through every later year: 1.1–2.1 s, docs/performance/hub-queue.md).
  const year = /^SW-(\d{4})(?:-|$)/.exec(text);
  if (!year) return like;
  const y = Number(year[1]);
  const from = new Date(Date.UTC(y, 0, 1) - 24 * 3_600_000);
  const to = new Date(Date.UTC(y + 1, 0, 1) + 24 * 3_600_000);
  // And left(reference, 7), the key of support_requests_finished_year_idx: the closed and withdrawn
  // views walk that year's finished requests in closing order (closing has no year bound).
  return sql`(${like} and left(${supportRequests.reference}, 7) = ${`SW-${year[1]}`} and ${supportRequests.submittedAt} >= ${ts(from)} and ${supportRequests.submittedAt} < ${ts(to)})`;
}

/** "SW-2026-42", "2026-00042": one reference. A short number with a leading zero is the start of one ("SW-2026-000"): a prefix. */
function fullReferenceMatch(text: string) {
  const full = /^(?:SW-?)?(\d{4})-(\d{1,9})$/.exec(text);
  return full && !(full[2]!.length < 5 && full[2]!.startsWith("0")) ? full : null;
}

/** A search for one reference or one number (at most one reference a year): it matches a handful of rows at most. */
function isPointSearch(q: string | undefined): boolean {
  if (!q) return false;
  const text = q.trim().toUpperCase().replace(/\s+/g, "");
  return fullReferenceMatch(text) !== null || /^\d{1,9}$/.test(text);
}

/**
 * Everything but the status: visibility first, always. A filter added here must be added to
 * filterShape too (the key of the statement cache): its text must differ when it is set.
 */
function baseConditions(
  caller: CurrentUser,
  filters: HubQueueCountFilters,
  now: At,
  scope: HubScope | undefined,
): SQL[] {
  // My work is the caller's own assignments, whatever the assignee filter says.
  if (filters.view === "mine") filters = { ...filters, assignee: "me" };
  const conditions: SQL[] = [hubVisibleRequests(caller, scope)];
  if (filters.offer) {
    conditions.push(
      sql`${supportRequests.offerId} = (select ${supportOffers.id} from ${supportOffers} where ${supportOffers.slug} = ${filters.offer})`,
    );
  }
  if (filters.organisation) conditions.push(eq(supportRequests.organisationId, filters.organisation));
  if (filters.assignee === "me") conditions.push(eq(supportRequests.assigneeId, caller.id));
  else if (filters.assignee === "unassigned") conditions.push(isNull(supportRequests.assigneeId));
  if (filters.overdue) conditions.push(overdueSql(now));
  if (filters.urgent) conditions.push(eq(supportRequests.urgent, true));
  if (filters.q) conditions.push(referenceSearchSql(filters.q, dateOf(now)));
  return conditions;
}

function statusCondition(status: HubStatusFilter): SQL | undefined {
  if (status === "all") return undefined;
  if (status === "open") return isOpenSql();
  return statusIn([status]);
}

// ---------------------------------------------------------------------------------------------
// sort modes and cursors

export type SortMode = "queue" | "finished" | "submitted" | "mine";

export function sortModeFor(status: HubStatusFilter, view?: "mine"): SortMode {
  if (view === "mine") return "mine";
  if (status === "closed" || status === "withdrawn") return "finished";
  if (status === "all") return "submitted";
  return "queue";
}

/**
 * queue: [rank 0|1|2, submittedAt (rank 0) or dueAt µs, id]; mine: [0 (new activity, open) or 1
 * (new activity, finished) or 2 + queue rank, lastRequesterActivityAt (codes 0, 1; descending) /
 * submittedAt (code 2) / dueAt µs, id]; finished: [closedAt µs, id]; submitted: [submittedAt µs, id].
 * Times are microseconds since 1970 (PostgreSQL's precision), not a Date's milliseconds. */
export type SortKey = number[];

export interface QueueCursor {
  mode: SortMode;
  direction: "next" | "prev";
  /** The `now` snapshot every page of this walk uses. */
  now: Date;
  key: SortKey;
}

export function encodeCursor(cursor: QueueCursor): string {
  const json = JSON.stringify({
    v: CURSOR_VERSION,
    m: cursor.mode,
    d: cursor.direction === "next" ? "n" : "p",
    t: cursor.now.getTime(),
    k: cursor.key,
  });
  return Buffer.from(json, "utf8").toString("base64url");
}

/**
 * 4: times in microseconds (3 had milliseconds). 3: My work's five codes (new activity on open
 * requests, newest first, before finished ones). An older cursor (3: ms times; 2: four My work
 * codes, oldest activity first; 1: two queue ranks) starts again from page 1.
 */
const CURSOR_VERSION = 4;

const KEY_LENGTH: Record<SortMode, number> = { queue: 3, mine: 3, finished: 2, submitted: 2 };

/** The cursor, or null when it is not one of ours (tampered, truncated, another sort, too old). */
export function decodeCursor(text: string | undefined | null, mode: SortMode, now: Date): QueueCursor | null {
  if (!text || text.length > 600) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  if (!raw || typeof raw !== "object") return null;
  const { v, m, d, t, k } = raw as Record<string, unknown>;
  if (v !== CURSOR_VERSION || m !== mode || (d !== "n" && d !== "p")) return null;
  if (typeof t !== "number" || !Number.isSafeInteger(t)) return null;
  // A snapshot in the future or too old is not honoured: start again from the first page.
  if (t > now.getTime() + 60_000 || now.getTime() - t > SNAPSHOT_MAX_AGE_MS) return null;
  if (
    !Array.isArray(k) ||
    k.length !== KEY_LENGTH[mode] ||
    !k.every((x) => typeof x === "number" && Number.isSafeInteger(x))
  )
    return null;
  const key = k as number[];
  if (mode === "queue" && key[0] !== 0 && key[0] !== 1 && key[0] !== 2) return null;
  if (mode === "mine" && ![0, 1, 2, 3, 4].includes(key[0]!)) return null;
  if (key[key.length - 1]! < 0 || key[key.length - 1]! > 2_147_483_647) return null;
  // Timestamps (µs) must be dates PostgreSQL and JavaScript both take: from 1970 (a safe integer
  // of microseconds reaches 2255).
  for (const us of mode === "queue" || mode === "mine" ? [key[1]!] : [key[0]!]) if (us < 0) return null;
  return { mode, direction: d === "n" ? "next" : "prev", now: new Date(t), key };
}

/** Columns of the sort key, and whether it ascends. */
function sortColumns(mode: SortMode, now: At, caller: CurrentUser): { columns: SQL[]; ascending: boolean } {
  switch (mode) {
    case "queue":
      return { columns: [queueRankSql(now), queueTimeSql(), sql`${supportRequests.id}`], ascending: true };
    case "mine": {
      // Codes 0 and 1 read their time and id descending: negated, so one ascending order serves all.
      const fresh = newActivitySql(caller);
      return {
        columns: [
          sql`(case when ${fresh} and ${isOpenSql()} then 0 when ${fresh} then 1 else 2 + ${queueRankSql(now)} end)`,
          sql`(case when ${fresh} then -extract(epoch from ${supportRequests.lastRequesterActivityAt}) else extract(epoch from ${queueTimeSql()}) end)`,
          sql`(case when ${fresh} then -${supportRequests.id} else ${supportRequests.id} end)`,
        ],
        ascending: true,
      };
    }
    case "finished":
      return { columns: [sql`${supportRequests.closedAt}`, sql`${supportRequests.id}`], ascending: false };
    case "submitted":
      return { columns: [sql`${supportRequests.submittedAt}`, sql`${supportRequests.id}`], ascending: false };
  }
}

/**
 * A cursor as the statement reads it: its direction and sort key, where a cached statement has
 * placeholders for the key's time and id (the rank of a queue or My work key is part of the
 * statement's shape and stays a number).
 */
interface KeySql {
  mode: SortMode;
  direction: "next" | "prev";
  key: readonly (number | Placeholder)[];
}

function keyValuesSql(mode: SortMode, key: KeySql["key"]): SQL[] {
  if (mode === "queue" || mode === "mine") return [sql`${key[0]!}::int`, tsMicros(key[1]!), sql`${key[2]!}::int`];
  return [tsMicros(key[0]!), sql`${key[1]!}::int`];
}

// ---------------------------------------------------------------------------------------------
// the list

const assignee = alias(users, "assignee");
const requester = alias(users, "requester");

export interface BuildListOptions {
  cursor?: QueueCursor | null;
  limit?: number;
  /** The caller's scope (hubScopeOf), when read already: see hubVisibleRequests. */
  scope?: HubScope;
}

/**
 * The ids of the page's rows (a subquery: sort and limit on support_requests alone, before any
 * join). Open views read three branches — at risk not yet contacted in (submitted_at, id) order,
 * then overdue, then the rest in (due_at, id) order — each with its own LIMIT, so PostgreSQL can
 * walk an index (support_requests_risk_uncontacted_idx, support_requests_open_due_idx) and stop
 * after a page instead of sorting every open request by the computed rank.
 */
function pageIdsSql(
  caller: CurrentUser,
  filters: HubQueueFilters,
  now: At,
  cursor: KeySql | null,
  limit: number,
  scope: HubScope | undefined,
): SQL {
  const mode = sortModeFor(filters.status, filters.view);
  const conditions = baseConditions(caller, filters, now, scope);
  // My work: new activity in any status, the rest open only (added per branch below).
  const status = mode === "mine" ? undefined : statusCondition(filters.status);
  if (status) conditions.push(status);
  const backwards = cursor?.direction === "prev";
  const db = getDb();

  if (mode === "finished" || mode === "submitted") {
    const column = mode === "finished" ? supportRequests.closedAt : supportRequests.submittedAt;
    // Page order is descending; going back reads ascending from the cursor.
    const dir = sql.raw(backwards ? "asc" : "desc");
    if (cursor) {
      const op = sql.raw(backwards ? ">" : "<");
      conditions.push(
        sql`(${column}, ${supportRequests.id}) ${op} (${sql.join(keyValuesSql(mode, cursor.key), sql`, `)})`,
      );
    }
    const inner = db
      .select({ id: supportRequests.id })
      .from(supportRequests)
      .where(and(...conditions))
      .orderBy(sql`${column} ${dir}`, sql`${supportRequests.id} ${dir}`)
      .limit(literalLimit(limit));
    return sql`${supportRequests.id} in (${inner})`;
  }

  // Queue: every rank 0 row comes before every rank 1 row, and those before rank 2. My work: code 0
  // (new activity, open) first, code 1 (new activity, finished), then codes 2–4 = queue ranks 0–2 of
  // the open rest. Codes 0 and 1 are read newest first (descending within the branch).
  const dir = sql.raw(backwards ? "desc" : "asc");
  const risk = riskUncontactedSql();
  const late = lateSql(now);
  const rankConditions: Record<0 | 1 | 2, SQL> = {
    0: risk,
    1: sql`not ${risk} and ${late}`,
    2: sql`not ${risk} and not ${late}`,
  };
  // `never`: the branch cannot match under the filters (with "overdue" on, rank 2 is "not late" and
  // a finished request is never overdue). Left out of the union: the planner cannot tell the
  // conditions contradict each other and would scan every open request to find none (79 of 132 ms
  // at 1,000,000 requests, docs/performance/hub-queue.md).
  type Spec = { column: SQL; where: SQL; descending?: boolean; never?: boolean };
  const col = (
    c:
      | typeof supportRequests.dueAt
      | typeof supportRequests.submittedAt
      | typeof supportRequests.lastRequesterActivityAt,
  ) => sql`${c}`;
  const specs: Spec[] = [];
  if (mode === "mine") {
    const fresh = newActivitySql(caller);
    specs.push({
      column: col(supportRequests.lastRequesterActivityAt),
      where: sql`${fresh} and ${isOpenSql()}`,
      descending: true,
    });
    specs.push({
      column: col(supportRequests.lastRequesterActivityAt),
      where: sql`${fresh} and not ${isOpenSql()}`,
      descending: true,
      never: filters.overdue,
    });
    for (const rank of [0, 1, 2] as const) {
      specs.push({
        column: col(rank === 0 ? supportRequests.submittedAt : supportRequests.dueAt),
        where: sql`${isOpenSql()} and not ${fresh} and ${rankConditions[rank]}`,
        never: filters.overdue && rank === 2,
      });
    }
  } else {
    for (const rank of [0, 1, 2] as const) {
      specs.push({
        column: col(rank === 0 ? supportRequests.submittedAt : supportRequests.dueAt),
        where: rankConditions[rank],
        never: filters.overdue && rank === 2,
      });
    }
  }
  const branch = (rank: number) => {
    const { column, where: rankWhere, descending = false, never = false } = specs[rank]!;
    if (never) return null;
    const where = [...conditions, rankWhere];
    // Within the branch: its own order, reversed when going back.
    const down = descending !== backwards;
    const branchDir = sql.raw(down ? "desc" : "asc");
    const op = sql.raw(down ? "<" : ">");
    if (cursor) {
      const [r, t, i] = cursor.key as [number, number | Placeholder, number | Placeholder];
      // Forward from rank r: rank r rows after the key (in the branch's order), and every row of a
      // later rank. Back from rank r: rank r rows before the key, and every row of an earlier rank.
      const reachable = backwards ? rank <= r : rank >= r;
      if (!reachable) return null;
      if (rank === r) where.push(sql`(${column}, ${supportRequests.id}) ${op} (${tsMicros(t)}, ${sql`${i}::int`})`);
    }
    // The union is ordered by (rank, sort_at, sort_id) ascending (or all descending going back): a
    // descending branch gives its time and id negated.
    const sign = sql.raw(descending ? "-" : "");
    return db
      .select({
        id: supportRequests.id,
        rank: sql<number>`${sql.raw(String(rank))}`.as("rank"),
        sortAt: sql`${sign}extract(epoch from ${column})`.as("sort_at"),
        sortId: sql`${sign}${supportRequests.id}`.as("sort_id"),
      })
      .from(supportRequests)
      .where(and(...where))
      .orderBy(sql`${column} ${branchDir}`, sql`${supportRequests.id} ${branchDir}`)
      .limit(literalLimit(limit));
  };
  const parts = specs.map((_, rank) => branch(rank)).filter((b) => b !== null);
  // E.g. a cursor in rank 2 with the overdue filter on: nothing can follow it.
  if (parts.length === 0) return sql`false`;
  const union = sql.join(
    parts.map((b) => sql`(${b})`),
    sql` union all `,
  );
  return sql`${supportRequests.id} in (select "id" from (${union}) as "page_keys" order by "rank" ${dir}, "sort_at" ${dir}, "sort_id" ${dir} limit ${integerLiteral(limit)})`;
}

/**
 * The page query, exported so scripts/explain-queue.ts can EXPLAIN exactly what the queue runs:
 * one SELECT of the page's rows (found by pageIdsSql) with offer, organisation and assignee joined.
 * Fetches limit + 1 rows to know whether there is a further page. Going back ("prev"), rows come
 * in reverse order. The visibility condition is repeated on the page's rows as well (the derived
 * table "page", which the joins read).
 */
export function buildHubQueueListQuery(
  caller: CurrentUser,
  filters: HubQueueFilters,
  now: Date,
  options: BuildListOptions = {},
) {
  return listQuery(caller, filters, now, options.cursor ?? null, options.limit, options.scope);
}

/** buildHubQueueListQuery, with placeholders allowed for `now` and the cursor's key (a cached statement). */
function listQuery(
  caller: CurrentUser,
  filters: HubQueueFilters,
  now: At,
  anyCursor: KeySql | null,
  pageSize: number | undefined,
  scope: HubScope | undefined,
) {
  const options = { scope };
  const mode = sortModeFor(filters.status, filters.view);
  const cursor = anyCursor && anyCursor.mode === mode ? anyCursor : null;
  const limit = (pageSize ?? HUB_QUEUE_PAGE_SIZE) + 1;
  const { columns, ascending } = sortColumns(mode, now, caller);
  const backwards = cursor?.direction === "prev";
  // The order we read in: the page order, or its reverse when going back.
  const direction = sql.raw((backwards ? !ascending : ascending) ? "asc" : "desc");

  const db = getDb();
  // The page's rows of support_requests alone, sorted and limited, as a derived table: the joins
  // below see a subquery, not support_requests and its twenty indexes. Joined in the same FROM,
  // PostgreSQL planned seven relations together and spent 7–13 ms planning a statement that runs in
  // 1–5 ms at 1,000,000 requests; this way 2–4 ms (docs/decisions/021, addendum).
  const page = db
    .select({
      id: supportRequests.id,
      reference: supportRequests.reference,
      status: supportRequests.status,
      urgent: supportRequests.urgent,
      priority: supportRequests.priority,
      submittedAt: supportRequests.submittedAt,
      dueAt: supportRequests.dueAt,
      firstContactAt: supportRequests.firstContactAt,
      pausedAt: supportRequests.pausedAt,
      closedAt: supportRequests.closedAt,
      offerId: supportRequests.offerId,
      organisationId: supportRequests.organisationId,
      requesterId: supportRequests.requesterId,
      assigneeId: supportRequests.assigneeId,
      lastUpdatedAt: supportRequests.lastUpdatedAt,
      lastRequesterActivityAt: supportRequests.lastRequesterActivityAt,
      // The sort times exactly (µs), for the cursor: a Date would round them to ms.
      submittedUs: microsSql(supportRequests.submittedAt).as("submitted_us"),
      dueUs: microsSql(supportRequests.dueAt).as("due_us"),
      closedUs: microsSql(supportRequests.closedAt).as("closed_us"),
      activityUs: microsSql(supportRequests.lastRequesterActivityAt).as("activity_us"),
      // The sort key, so the outer query orders by the same values.
      ...Object.fromEntries(columns.map((c, i) => [`sortKey${i}`, sql`${c}`.as(`sort_key_${i}`)])),
    })
    .from(supportRequests)
    .where(
      and(hubVisibleRequests(caller, options.scope), pageIdsSql(caller, filters, now, cursor, limit, options.scope)),
    )
    .orderBy(...columns.map((c) => sql`${c} ${direction}`))
    .limit(literalLimit(limit))
    .as("page");
  const sortKey = (i: number) => (page as unknown as Record<string, SQL.Aliased>)[`sortKey${i}`]!;

  return (
    db
      .select({
        id: page.id,
        reference: page.reference,
        status: page.status,
        urgent: page.urgent,
        priority: page.priority,
        submittedAt: page.submittedAt,
        dueAt: page.dueAt,
        firstContactAt: page.firstContactAt,
        pausedAt: page.pausedAt,
        closedAt: page.closedAt,
        offerTitle: supportOffers.title,
        organisationName: organisations.name,
        organisationShortName: organisations.shortName,
        // Self-declared (ADR 027) only while the request's organisation is still the one the person
        // chose: as the request page shows it. A key probe per page row, in this one query.
        // A deleted account is never "self-declared" (its organisation is nothing the person now says).
        organisationSelfDeclared: sql<boolean>`(${requester.organisationSelfDeclared} and ${requester.erasedAt} is null and ${requester.organisationId} = ${page.organisationId})`,
        assigneeId: page.assigneeId,
        assigneeName: assignee.name,
        lastUpdatedAt: page.lastUpdatedAt,
        lastRequesterActivityAt: page.lastRequesterActivityAt,
        seenAt: requestReads.seenAt,
        submittedUs: page.submittedUs,
        dueUs: page.dueUs,
        closedUs: page.closedUs,
        activityUs: page.activityUs,
      })
      .from(page)
      .innerJoin(supportOffers, eq(supportOffers.id, page.offerId))
      .innerJoin(organisations, eq(organisations.id, page.organisationId))
      .leftJoin(assignee, eq(assignee.id, page.assigneeId))
      .leftJoin(requester, eq(requester.id, page.requesterId))
      // This coordinator's own "seen" row only (primary key probe, page rows only).
      .leftJoin(requestReads, and(eq(requestReads.userId, caller.id), eq(requestReads.requestId, page.id)))
      .orderBy(...columns.map((_, i) => sql`${sortKey(i)} ${direction}`))
  );
}

// ---------------------------------------------------------------------------------------------
// statements built once per shape

/**
 * Drizzle builds a hub statement's text anew for every request: about 0.7 ms of the web server's
 * CPU for the page statement and 0.4 ms for the counts at each /hub request (1 ms for My work's page;
 * ADR 041, addendum of 30 November night). The text depends only on the statement's shape — the
 * view, status and sort, which filters are set (not their values), the cursor's direction and rank,
 * the page size and the caller's scope (their team and offer ids are written into the text:
 * hubHandlingBranches) — so it is built once per shape with placeholders for everything else (the
 * caller's id, `now`, the cursor's time and id, the offer and organisation filters) and kept as a
 * drizzle prepared query, which fills them in at each run. The result is the same statement text
 * with the same parameters as before.
 *
 * Per process and per database handle, at most PREPARED_MAX shapes (least recently used dropped).
 * Nothing in it belongs to a person: the caller's id is a value bound at each run, never part of
 * the cached text, and the scope is part of the key, so two callers share a statement only when
 * their teams and offers are the same ones. A search (`q`) is never cached: its text depends on
 * what was typed (referenceSearchSql) and it may be sent unprepared.
 */
const PREPARED_MAX = 200;
const preparedByDatabase = new WeakMap<object, Map<string, unknown>>();

function preparedOnce<T>(key: string, make: () => T): T {
  const db = getDb();
  let table = preparedByDatabase.get(db);
  if (!table) preparedByDatabase.set(db, (table = new Map()));
  let found = table.get(key) as T | undefined;
  if (found === undefined) {
    found = make();
    if (table.size >= PREPARED_MAX) table.delete(table.keys().next().value!);
  } else table.delete(key);
  table.set(key, found);
  return found;
}

/** How many statement shapes this process keeps for the current database (for the tests). */
export function cachedHubStatementCount(): number {
  return preparedByDatabase.get(getDb())?.size ?? 0;
}

/**
 * Forgets this process's statements for the current database (for the tests: files share a worker,
 * so a test that counts shapes starts from none rather than from a cache other files filled).
 */
export function clearHubStatementCache(): void {
  preparedByDatabase.get(getDb())?.clear();
}

/** The placeholders of a cached hub statement, and a caller whose id is one. */
const P = {
  caller: sql.placeholder("caller"),
  now: sql.placeholder("now"),
  offer: sql.placeholder("offer"),
  organisation: sql.placeholder("organisation"),
  key0: sql.placeholder("key0"),
  key1: sql.placeholder("key1"),
  key2: sql.placeholder("key2"),
};

function placeholderCaller(caller: CurrentUser): CurrentUser {
  return { ...caller, id: P.caller as unknown as string };
}

/** The filters with placeholders for the values that are parameters (set or not is the shape's). */
function placeholderFilters<F extends HubQueueCountFilters>(filters: F): F {
  return {
    ...filters,
    offer: filters.offer ? (P.offer as unknown as string) : undefined,
    organisation: filters.organisation ? (P.organisation as unknown as number) : undefined,
  };
}

/** What of the filters shapes a statement's text (with baseConditions's own tests of each). */
function filterShape(caller: CurrentUser, filters: HubQueueCountFilters, scope: HubScope) {
  return [
    can(caller, "hub:work"),
    filters.view ?? null,
    filters.assignee ?? null,
    Boolean(filters.offer),
    Boolean(filters.organisation),
    Boolean(filters.overdue),
    Boolean(filters.urgent),
    scope.teamIds,
    scope.offerIds,
  ];
}

/** The values of a cached statement's placeholders for this run. */
function placeholderValues(
  caller: CurrentUser,
  filters: Pick<HubQueueCountFilters, "offer" | "organisation">,
  now: Date,
) {
  return {
    caller: caller.id,
    now: now.toISOString(),
    offer: filters.offer,
    organisation: filters.organisation,
  };
}

/** listQuery for listHubQueue: from the statement cache unless it is a search. */
function runListQuery(
  caller: CurrentUser,
  filters: HubQueueFilters,
  now: Date,
  cursor: QueueCursor | null,
  pageSize: number,
  scope: HubScope,
) {
  if (filters.q) return listQuery(caller, filters, now, cursor, pageSize, scope);
  const mode = sortModeFor(filters.status, filters.view);
  const ranked = mode === "queue" || mode === "mine";
  const key = JSON.stringify([
    "list",
    mode,
    filters.status,
    ...filterShape(caller, filters, scope),
    cursor ? [cursor.mode, cursor.direction, ranked ? cursor.key[0] : null] : null,
    pageSize,
  ]);
  const prepared = preparedOnce(key, () =>
    listQuery(
      placeholderCaller(caller),
      placeholderFilters(filters),
      P.now,
      cursor && {
        mode: cursor.mode,
        direction: cursor.direction,
        key: ranked ? [cursor.key[0]!, P.key1, P.key2] : [P.key0, P.key1],
      },
      pageSize,
      scope,
    ).prepare("hub_queue_list"),
  );
  const values: Record<string, unknown> = placeholderValues(caller, filters, now);
  if (cursor && ranked) Object.assign(values, { key1: microsText(cursor.key[1]!), key2: cursor.key[2] });
  else if (cursor) Object.assign(values, { key0: microsText(cursor.key[0]!), key1: cursor.key[1] });
  return prepared.execute(values);
}

export type DueState =
  | { kind: "overdue"; dueAt: Date; workingDays: number }
  | { kind: "due"; dueAt: Date }
  | { kind: "paused"; dueAt: Date }
  | { kind: "contacted"; at: Date }
  | { kind: "not_contacted" };

export interface HubQueueItem {
  reference: string;
  status: RequestStatus;
  urgent: boolean;
  /** at_risk / safety_check / urgent / normal: the tag the row wears (even after first contact). */
  priority: RequestPriority;
  /** At risk or safety check not yet contacted, or overdue, while open: listed first. */
  needsAttention: boolean;
  submittedAt: Date;
  closedAt: Date | null;
  offerTitle: string;
  organisationName: string;
  /** The organisation's short name (e.g. "UHNM"), or its full name when it has none. */
  organisationShortName: string;
  /** The person chose the organisation themselves and no administrator has confirmed it (ADR 027). */
  organisationSelfDeclared: boolean;
  assigneeName: string | null;
  assignedToCaller: boolean;
  due: DueState;
  /** The latest timeline event by anyone (docs/decisions/015). */
  lastUpdatedAt: Date;
  /** The person did something this coordinator has not seen yet: the "New reply" marker. */
  newActivity: boolean;
}

export interface HubQueuePage {
  items: HubQueueItem[];
  /** Cursor of the page after this one, or null on the last page. */
  nextCursor: string | null;
  /** Cursor of the page before this one, or null on the first page. */
  prevCursor: string | null;
  /** The `now` the page was computed at (the snapshot of the walk). */
  now: Date;
  mode: SortMode;
  pageSize: number;
}

type Row = Awaited<ReturnType<typeof buildHubQueueListQuery>>[number];

function dueStateOf(row: Row, now: Date): DueState {
  const open = OPEN.includes(row.status);
  if (row.firstContactAt) return { kind: "contacted", at: row.firstContactAt };
  if (!open) return { kind: "not_contacted" };
  if (row.pausedAt) return { kind: "paused", dueAt: row.dueAt };
  if (row.dueAt.getTime() < now.getTime()) {
    let workingDays = 0;
    try {
      workingDays = Math.max(0, workingDaysBetween(row.dueAt, now));
    } catch {
      workingDays = 0; // outside the bank holiday data: "Overdue" without a number
    }
    return { kind: "overdue", dueAt: row.dueAt, workingDays };
  }
  return { kind: "due", dueAt: row.dueAt };
}

/** newActivitySql in JavaScript, from the page row's own seen_at. */
function isNewActivity(row: Row): boolean {
  if (!row.lastRequesterActivityAt) return false;
  return row.seenAt === null || row.seenAt.getTime() < row.lastRequesterActivityAt.getTime();
}

function sortKeyOf(mode: SortMode, row: Row, now: Date): SortKey {
  switch (mode) {
    case "mine": {
      if (isNewActivity(row)) return [OPEN.includes(row.status) ? 0 : 1, Number(row.activityUs), row.id];
      const [rank, t, id] = sortKeyOf("queue", row, now) as [number, number, number];
      return [rank + 2, t, id];
    }
    case "queue":
      return queueRankOf(row, now) === 0
        ? [0, Number(row.submittedUs), row.id]
        : [queueRankOf(row, now), Number(row.dueUs), row.id];
    case "finished":
      return [Number(row.closedUs ?? row.submittedUs), row.id];
    case "submitted":
      return [Number(row.submittedUs), row.id];
  }
}

/** The rank of queueRankSql, in JavaScript (for the cursor of a row read from the queue). */
function queueRankOf(row: Row, now: Date): 0 | 1 | 2 {
  if ((row.priority === "at_risk" || row.priority === "safety_check") && !row.firstContactAt) return 0;
  if (!row.firstContactAt && !row.pausedAt && row.dueAt.getTime() < now.getTime()) return 1;
  return 2;
}

function isAttention(row: Row, now: Date): boolean {
  return OPEN.includes(row.status) && queueRankOf(row, now) < 2;
}

/**
 * One page of the queue for the caller. `filters.cursor` (from a Next/Previous link) continues a
 * walk: its `now` snapshot replaces `now`. An unusable cursor is ignored (first page).
 */
export async function listHubQueue(
  caller: CurrentUser,
  filters: HubQueueFilters & { cursor?: string | null },
  now: Date = new Date(),
  options: { pageSize?: number } = {},
): Promise<HubQueuePage> {
  const pageSize = options.pageSize ?? HUB_QUEUE_PAGE_SIZE;
  const mode = sortModeFor(filters.status, filters.view);
  const cursor = decodeCursor(filters.cursor, mode, now);
  const at = cursor?.now ?? now;
  const scope = await hubScopeOf(caller);
  const rows = await runListQuery(caller, filters, at, cursor, pageSize, scope);

  const more = rows.length > pageSize;
  const pageRows = rows.slice(0, pageSize);
  const backwards = cursor?.direction === "prev";
  if (backwards) pageRows.reverse();

  // Going forward: a previous page exists when we came from one; a next one when a row was left over.
  // Going back: the other way round.
  const hasPrev = backwards ? more : cursor !== null;
  const hasNext = backwards ? true : more;
  const first = pageRows[0];
  const last = pageRows[pageRows.length - 1];
  const make = (direction: "next" | "prev", row: Row | undefined) =>
    row ? encodeCursor({ mode, direction, now: at, key: sortKeyOf(mode, row, at) }) : null;

  return {
    items: pageRows.map((row) => ({
      reference: row.reference,
      status: row.status,
      urgent: row.urgent,
      priority: row.priority,
      needsAttention: isAttention(row, at),
      submittedAt: row.submittedAt,
      closedAt: row.closedAt,
      offerTitle: row.offerTitle,
      organisationName: row.organisationName,
      organisationShortName: row.organisationShortName?.trim() || row.organisationName,
      organisationSelfDeclared: row.organisationSelfDeclared === true,
      assigneeName: row.assigneeName,
      assignedToCaller: row.assigneeId === caller.id,
      due: dueStateOf(row, at),
      lastUpdatedAt: row.lastUpdatedAt,
      newActivity: isNewActivity(row),
    })),
    nextCursor: hasNext ? make("next", last) : null,
    prevCursor: hasPrev ? make("prev", first) : null,
    now: at,
    mode,
    pageSize,
  };
}

// ---------------------------------------------------------------------------------------------
// counts

/**
 * The status counts in one statement (docs/decisions/021-hub-counts-at-scale.md), exported for
 * scripts/explain-queue.ts and scripts/explain-hub-counts.ts. Three parts, each inside
 * hubVisibleRequests(caller) and the other filters:
 * - the open statuses, exactly: GROUP BY status over the open set only (status literals, so the
 *   open partial indexes apply). The open set is what coordinators work from and stays small
 *   however much history there is (about 34,000 of 1,000,000 requests);
 * - closed and withdrawn, bounded: count(*) over a subquery with LIMIT HUB_COUNT_CAP + 1, so the
 *   scan stops at the 1,001st visible row instead of counting every finished request (a value
 *   above the cap is shown as "more than 1,000"). With the overdue filter they are left out:
 *   an overdue request is open by definition, so both are 0 without reading anything.
 * "all" is not a part of its own: countHubQueue adds the three up (and caps the sum). A search for
 * one reference or one number reads a handful of rows: one GROUP BY over every status then.
 */
export function buildHubQueueCountsQuery(
  caller: CurrentUser,
  filters: HubQueueCountFilters,
  now: Date | Placeholder,
  scope?: HubScope,
) {
  const db = getDb();
  const perStatus = (statusWhere?: SQL) =>
    db
      .select({
        status: sql<string>`${supportRequests.status}::text`.as("status"),
        count: sql<number>`count(*)::int`.as("count"),
      })
      .from(supportRequests)
      .where(and(...baseConditions(caller, filters, now, scope), statusWhere))
      .groupBy(supportRequests.status);
  // One reference, or one number in each year: at most a few rows through the unique index, so one
  // pass counts every status exactly.
  if (isPointSearch(filters.q)) return perStatus();
  const open = perStatus(isOpenSql());
  if (filters.overdue) return open;
  // Each bounded count reads the two halves of the caller's teams' requests apart (not pinned, of
  // their offers; pinned to their teams), each with the whole visibility rule and the filters, then
  // stops at HUB_COUNT_CAP + 1 rows in all. Apart, the first half is a range of
  // support_requests_finished_count_idx (offer, status, not pinned): an index-only scan that stops
  // at the 1,001st row. Together (an OR) PostgreSQL could only bitmap-scan every finished request of
  // those offers and read the table: 3.5–4.3 ms instead of 0.6–0.9 ms for one team at 1,000,000
  // requests (docs/decisions/021 addendum).
  const [ownOffers, pinned] = hubHandlingBranches(caller, scope);
  const bounded = (status: "closed" | "withdrawn") => {
    const half = (branch: SQL, name: string) =>
      db
        .select({ one: sql`1`.as("one") })
        .from(supportRequests)
        .where(and(...baseConditions(caller, filters, now, scope), branch, statusIn([status])))
        .limit(literalLimit(HUB_COUNT_CAP + 1))
        .as(name);
    const a = half(ownOffers, `${status}_offer_rows`);
    const b = half(pinned, `${status}_pinned_rows`);
    return db
      .select({ status: sql<string>`${status}::text`.as("status"), count: sql<number>`count(*)::int`.as("count") })
      .from(
        sql`(select ${a.one} from ${a} union all select ${b.one} from ${b} limit ${integerLiteral(HUB_COUNT_CAP + 1)}) as ${sql.identifier(`${status}_rows`)}`,
      );
  };
  return unionAll(open, bounded("closed"), bounded("withdrawn"));
}

/**
 * Per status filter: open statuses and "open" exact; "closed", "withdrawn" and "all" exact up to
 * HUB_COUNT_CAP, else HUB_COUNT_CAP + 1 (= "more than 1,000", hubCountText).
 */
export type HubQueueCounts = Record<HubStatusFilter, number>;

/** How many visible requests match the non-status filters, per status, plus "open" and "all". */
export async function countHubQueue(
  caller: CurrentUser,
  filters: HubQueueCountFilters,
  now: Date = new Date(),
): Promise<HubQueueCounts> {
  return countsFromRows(await buildHubQueueCountsQuery(caller, filters, now));
}

function countsFromRows(rows: { status: string; count: number | string }[]): HubQueueCounts {
  const counts = Object.fromEntries([...REQUEST_STATUSES, "open", "all"].map((s) => [s, 0])) as HubQueueCounts;
  for (const row of rows) {
    const status = row.status as RequestStatus;
    const n = Number(row.count);
    counts[status] = n;
    if (OPEN.includes(status)) counts.open += n;
  }
  // Every part is exact up to the cap, so the sum is exact while it stays at or below the cap.
  counts.all = Math.min(counts.open + counts.closed + counts.withdrawn, HUB_COUNT_CAP + 1);
  return counts;
}

/**
 * How many requests assigned to the caller have activity by the person they have not seen: the
 * "My work (n new)" link. Walks support_requests_assignee_activity_idx (assignee, activity time).
 */
export async function countMyNewActivity(caller: CurrentUser): Promise<number> {
  const [row] = await buildMyNewActivityCountQuery(caller);
  return Number(row?.count ?? 0);
}

/** The count query of countMyNewActivity, exported for scripts/explain-queue.ts. */
export function buildMyNewActivityCountQuery(caller: CurrentUser, scope?: HubScope) {
  return getDb()
    .select({ count: sql<number>`count(*)::int` })
    .from(supportRequests)
    .where(and(hubVisibleRequests(caller, scope), eq(supportRequests.assigneeId, caller.id), newActivitySql(caller)));
}

// ---------------------------------------------------------------------------------------------
// filter choices

/**
 * What the filter form offers: the caller's teams' offers (only, and those of requests kept by
 * their teams after the offer moved away), organisations, by name.
 */
export async function hubQueueFilterOptions(caller: CurrentUser): Promise<HubQueueFilterOptions> {
  const db = getDb();
  const myTeams = () =>
    db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, caller.id));
  const [offers, orgs] = await Promise.all([
    db
      .selectDistinct({ slug: supportOffers.slug, title: supportOffers.title })
      .from(supportOffers)
      .where(
        or(
          inArray(supportOffers.teamId, myTeams()),
          inArray(
            supportOffers.id,
            db
              .selectDistinct({ id: supportRequests.offerId })
              .from(supportRequests)
              .where(inArray(supportRequests.pinnedTeamId, myTeams())),
          ),
        ),
      )
      .orderBy(supportOffers.title, supportOffers.slug),
    db.select({ id: organisations.id, name: organisations.name }).from(organisations).orderBy(organisations.name),
  ]);
  return { offers, organisations: orgs };
}

export interface HubQueueFilterOptions {
  offers: { slug: string; title: string }[];
  organisations: { id: number; name: string }[];
}

/**
 * Everything /hub shows beside its list, in ONE statement (one round trip instead of five, issue 11:
 * on the embedded database every statement queues on its single connection): the status counts
 * (countHubQueue's query, at the page's `now`; none for My work: `countFilters` null), the filter
 * choices (hubQueueFilterOptions), the caller's team names (teamsOf) and "My work (n new)"
 * (countMyNewActivity). Each part is the same query as its function, as a subquery, so scope and
 * plans are unchanged; the functions stay for their other callers and the tests compare the two.
 */
export async function hubQueuePageExtras(
  caller: CurrentUser,
  countFilters: HubQueueCountFilters | null,
  now: Date,
): Promise<{ counts: HubQueueCounts | null; options: HubQueueFilterOptions; teams: string[]; myNew: number }> {
  // The caller's teams and offers as lists (read once per GET, request-memo.server.ts): fewer
  // subqueries to plan than team_members and support_offers subqueries in every part (ADR 041).
  const scope = await hubScopeOf(caller);
  const build = (who: CurrentUser, filters: HubQueueCountFilters | null, at: At) => {
    const db = getDb();
    const myTeams = integerList(scope.teamIds);
    const counts = filters
      ? sql`(select coalesce(json_agg(c), '[]'::json) from (${buildHubQueueCountsQuery(who, filters, at, scope)}) c)`
      : sql`null::json`;
    return db
      .select({
        counts: sql<{ status: string; count: number }[] | null>`${counts}`,
        offers: sql<
          { slug: string; title: string }[]
        >`(select coalesce(json_agg(json_build_object('slug', o.slug, 'title', o.title) order by o.title, o.slug), '[]'::json)
         from (select distinct ${supportOffers.slug} as slug, ${supportOffers.title} as title from ${supportOffers}
               where ${supportOffers.teamId} in ${myTeams}
                  or ${supportOffers.id} in (select distinct ${supportRequests.offerId} from ${supportRequests}
                                             where ${supportRequests.pinnedTeamId} in ${myTeams})) o)`,
        organisations: sql<
          { id: number; name: string }[]
        >`(select coalesce(json_agg(json_build_object('id', g.id, 'name', g.name) order by g.name), '[]'::json)
         from ${organisations} g)`,
        teams: sql<string[]>`(select coalesce(json_agg(t.name order by t.name), '[]'::json)
         from ${teamMembers} m join ${teams} t on t.id = m.team_id where m.user_id = ${who.id})`,
        myNew: sql<number>`(${buildMyNewActivityCountQuery(who, scope)})`,
      })
      .from(sql`(select 1) as "one"`);
  };
  // From the statement cache (runListQuery) unless it counts a search.
  const [row] = countFilters?.q
    ? await build(caller, countFilters, now)
    : await preparedOnce(
        JSON.stringify([
          "extras",
          can(caller, "hub:work"),
          countFilters && filterShape(caller, countFilters, scope),
          scope.teamIds,
          scope.offerIds,
        ]),
        () =>
          build(placeholderCaller(caller), countFilters && placeholderFilters(countFilters), P.now).prepare(
            "hub_queue_extras",
          ),
      ).execute(placeholderValues(caller, countFilters ?? {}, now));
  return {
    counts: row!.counts ? countsFromRows(row!.counts) : null,
    options: { offers: row!.offers, organisations: row!.organisations },
    teams: row!.teams,
    myNew: Number(row!.myNew ?? 0),
  };
}
