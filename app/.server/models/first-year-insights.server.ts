// /insights/first-year (ADR 039): first-year check-in aggregates for managers, scoped in the query
// itself (the one permission module's insightsScopeFor) and published through the disclosure
// control of /insights (app/lib/insights/first-year.ts). No check-in row, person or free text leaves
// here: only counts with their record-key sums and the sums behind averages. One filter at a time,
// as /insights (ADR 008): an organisation or a staff group; an organisation's manager has none.
import { asc, eq, sql } from "drizzle-orm";
import { queryRows, unpreparedStatement } from "@db/client";
// Every figure statement here is unprepared (${unpreparedStatement}): its best plan depends on the
// period, and a generic plan of /insights' figures cost 20× (ADR 041, addendum "PostgreSQL prepares too").
import { getDb } from "@db/current";
import { organisations } from "@db/schema";
import { CHECK_IN_RETENTION_MONTHS } from "../jobs/retention.server";
import type { CurrentUser } from "../auth/types";
import { insightsScopeFor, PermissionError } from "../permissions.server";
import { publishedPeriods } from "./insights.server";
import { perturbedCount, type Tally } from "~/lib/insights/cell-key";
import {
  firstYearTables,
  publishFirstYear,
  sentTotal,
  type AnsweredGroup,
  type PublishedFirstYear,
  type RawFirstYear,
} from "~/lib/insights/first-year";
import { addMonths } from "~/lib/insights/publish";
import type { InsightsPeriod, InsightTable, MonthKey } from "~/lib/insights/types";
import { CHECK_IN_OPEN_DAYS } from "~/lib/check-ins";
import { STAFF_GROUPS, type StaffGroup } from "~/lib/staff-groups";
import { londonDate, startOfLondonDay } from "~/lib/working-days";

/** A page is published only when its check-ins sent, as published, are at least this many. */
export const MIN_PAGE_CHECK_INS = 20;

export type FirstYearFilter =
  { kind: "all" } | { kind: "organisation"; slug: string } | { kind: "group"; value: StaffGroup };

export interface FirstYearPageData {
  scope: { kind: "ics" } | { kind: "organisation"; name: string };
  period: InsightsPeriod;
  periods: { key: string; label: string; kind: InsightsPeriod["kind"] }[];
  filter: FirstYearFilter;
  /** The one filter's choices ("for"), empty for an organisation's manager (theirs is fixed). */
  options: {
    organisations: { slug: string; name: string }[];
    staffGroups: { value: string; label: string }[];
  };
  /** What the figures cover, in words: "All organisations in the ICS", an organisation, a staff group. */
  scopeLabel: string;
  errors: { field: "period" | "for"; message: string }[];
  published: PublishedFirstYear | null;
  tables: InsightTable[];
  csvFileName: string;
}

const tally = (n: number | string, key: number | string | null): Tally => ({ n: Number(n), key: Number(key ?? 0) });

interface GroupRow {
  dim: string;
  answered: number;
  answered_key: number | string;
  work_sum: number | string | null;
  supported_sum: number | string | null;
  leaving_yes: number;
}

const group = (r: GroupRow | undefined): AnsweredGroup => ({
  answered: r ? tally(r.answered, r.answered_key) : { n: 0, key: 0 },
  workSum: Number(r?.work_sum ?? 0),
  supportedSum: Number(r?.supported_sum ?? 0),
  leavingYes: Number(r?.leaving_yes ?? 0),
});

/**
 * The periods of /insights whose check-ins are all still kept: the retention schedule deletes a
 * check-in 24 months after its answer or expiry, so an older period would count only part of its own.
 */
function firstYearPeriods(now: Date): InsightsPeriod[] {
  const earliest = addMonths(londonDate(now).slice(0, 7), -(CHECK_IN_RETENTION_MONTHS - 1));
  return publishedPeriods(now).filter((p) => p.from >= earliest);
}

export async function loadFirstYearInsights(
  caller: CurrentUser,
  url: URL,
  now = new Date(),
): Promise<FirstYearPageData> {
  const scope = insightsScopeFor(caller);
  const db = getDb();
  const params = url.searchParams;
  const orgRows = await db
    .select({ id: organisations.id, slug: organisations.slug, name: organisations.name })
    .from(organisations)
    .where(scope.kind === "organisation" ? eq(organisations.id, scope.organisationId) : undefined)
    .orderBy(asc(organisations.name));
  if (scope.kind === "organisation" && orgRows.length === 0) throw new PermissionError();

  const periods = firstYearPeriods(now);
  let period = periods[0]!;
  const errors: FirstYearPageData["errors"] = [];
  const asked = params.getAll("period").filter((v) => v !== "");
  if (asked.length > 0) {
    const found = asked.length === 1 ? periods.find((p) => p.key === asked[0]) : undefined;
    if (found) period = found;
    else errors.push({ field: "period", message: "Choose a period from the list" });
  }

  // The one filter, as /insights reads it. An organisation's manager: theirs, always; naming
  // another organisation is 403, and a staff group within it is refused (no two-way combinations).
  const forValues = params.getAll("for").filter((v) => v !== "");
  let filter: FirstYearFilter = { kind: "all" };
  if (scope.kind === "organisation") {
    const own = orgRows[0]!;
    const named = forValues.flatMap((v) => (v.startsWith("organisation:") ? [v.slice("organisation:".length)] : []));
    if (named.some((slug) => slug !== own.slug)) throw new PermissionError();
    if (forValues.some((v) => !v.startsWith("organisation:")))
      errors.push({
        field: "for",
        message: `Your figures are for ${own.name} as a whole: they cannot be narrowed further`,
      });
  } else if (forValues.length > 1) {
    errors.push({ field: "for", message: "Choose one organisation or staff group" });
  } else if (forValues.length === 1) {
    const [kind, ...rest] = forValues[0]!.split(":");
    const arg = rest.join(":");
    if (kind === "organisation" && orgRows.some((o) => o.slug === arg)) filter = { kind: "organisation", slug: arg };
    else if (kind === "group" && STAFF_GROUPS.some((g) => g.value === arg))
      filter = { kind: "group", value: arg as StaffGroup };
    else errors.push({ field: "for", message: "Choose an organisation or staff group from the list" });
  }
  const organisationId =
    scope.kind === "organisation"
      ? scope.organisationId
      : filter.kind === "organisation"
        ? orgRows.find((o) => o.slug === filter.slug)!.id
        : null;
  const staffGroup = filter.kind === "group" ? filter.value : null;
  const shownOrgs = organisationId === null ? orgRows : orgRows.filter((o) => o.id === organisationId);

  const start = startOfLondonDay(`${period.from}-01`);
  const end = startOfLondonDay(`${addMonths(period.to, 1)}-01`);
  // An answer is given at most CHECK_IN_OPEN_DAYS after the check-in was sent: the sent_at bound
  // lets the answers' queries use check_ins_sent_idx too.
  const sentFloor = new Date(start.getTime() - (CHECK_IN_OPEN_DAYS + 1) * 24 * 60 * 60_000);
  const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
  // The scope is in the SQL whatever the URL says; the filter narrows inside it.
  const narrowed = sql`${organisationId === null ? sql`` : sql`and c.organisation_id = ${organisationId}`}
    ${staffGroup === null ? sql`` : sql`and c.staff_group = ${staffGroup}`}`;
  const sentIn = sql`c.sent_at >= ${ts(start)} and c.sent_at < ${ts(end)} ${narrowed}`;
  const answeredIn = sql`c.sent_at >= ${ts(sentFloor)} and c.sent_at < ${ts(end)}
    and c.answered_at >= ${ts(start)} and c.answered_at < ${ts(end)} ${narrowed}`;
  const answeredColumns = sql`count(*)::int as answered,
      coalesce(sum(c.record_key), 0)::bigint as answered_key,
      sum(c.work_score) as work_sum, sum(c.supported_score) as supported_sum,
      (count(*) filter (where c.thinking_of_leaving = 'yes'))::int as leaving_yes`;

  const [pointRows, supportRows, orgGroups, staffGroups, monthGroups] = await db.transaction(
    (tx) =>
      Promise.all([
        queryRows<{
          label: string;
          days: number;
          answered: number;
          answered_key: number | string;
          open: number;
          open_key: number | string;
          unanswered: number;
          unanswered_key: number | string;
        }>(
          tx,
          sql`select ${unpreparedStatement}c.point_label as label, min(c.point_days)::int as days,
                     count(*) filter (where c.answered_at is not null)::int as answered,
                     coalesce(sum(c.record_key) filter (where c.answered_at is not null), 0)::bigint as answered_key,
                     count(*) filter (where c.answered_at is null and c.expires_at > ${ts(now)})::int as open,
                     coalesce(sum(c.record_key) filter (where c.answered_at is null and c.expires_at > ${ts(now)}), 0)::bigint as open_key,
                     count(*) filter (where c.answered_at is null and c.expires_at <= ${ts(now)})::int as unanswered,
                     coalesce(sum(c.record_key) filter (where c.answered_at is null and c.expires_at <= ${ts(now)}), 0)::bigint as unanswered_key
                from check_ins c
               where ${sentIn}
               group by c.point_label
               order by days, label`,
        ),
        // The requests' own record keys: the same noise as /insights draws for those requests.
        queryRows<{ label: string; days: number; requests: number; requests_key: number | string }>(
          tx,
          sql`select ${unpreparedStatement}c.point_label as label, min(c.point_days)::int as days,
                     count(r.id)::int as requests, coalesce(sum(r.record_key), 0)::bigint as requests_key
                from check_ins c
                left join support_requests r on r.id = c.request_id
               where ${answeredIn}
               group by c.point_label
               order by days, label`,
        ),
        queryRows<GroupRow>(
          tx,
          sql`select ${unpreparedStatement}c.organisation_id::text as dim, ${answeredColumns} from check_ins c where ${answeredIn} group by c.organisation_id`,
        ),
        queryRows<GroupRow>(
          tx,
          sql`select ${unpreparedStatement}c.staff_group as dim, ${answeredColumns} from check_ins c where ${answeredIn} group by c.staff_group`,
        ),
        queryRows<GroupRow>(
          tx,
          sql`select ${unpreparedStatement}to_char(c.answered_at at time zone 'Europe/London', 'YYYY-MM') as dim, ${answeredColumns}
                from check_ins c where ${answeredIn} group by 1`,
        ),
      ]),
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );

  const months: MonthKey[] = [];
  for (let m = period.from; m <= period.to; m = addMonths(m, 1)) months.push(m);
  const byDim = (rows: GroupRow[]) => new Map(rows.map((r) => [r.dim, r]));
  const orgMap = byDim(orgGroups);
  const groupMap = byDim(staffGroups);
  const monthMap = byDim(monthGroups);
  const shownGroups = staffGroup === null ? STAFF_GROUPS : STAFF_GROUPS.filter((g) => g.value === staffGroup);
  const raw: RawFirstYear = {
    months,
    byPoint: pointRows.map((r) => ({
      label: r.label,
      answered: tally(r.answered, r.answered_key),
      open: tally(r.open, r.open_key),
      unanswered: tally(r.unanswered, r.unanswered_key),
    })),
    support: supportRows.map((r) => ({ label: r.label, ledToSupport: tally(r.requests, r.requests_key) })),
    byOrganisation: shownOrgs.map((o) => ({ label: o.name, ...group(orgMap.get(String(o.id))) })),
    byStaffGroup: [
      ...shownGroups.map((g) => ({ label: g.label, ...group(groupMap.get(g.value)) })),
      // A staff group no longer in the list still counts (it is part of the total).
      ...staffGroups
        .filter((r) => !STAFF_GROUPS.some((g) => g.value === r.dim))
        .map((r) => ({ label: r.dim, ...group(r) })),
    ],
    byMonth: months.map((month) => ({ month, ...group(monthMap.get(month)) })),
  };
  const published = perturbedCount(sentTotal(raw)) >= MIN_PAGE_CHECK_INS ? publishFirstYear(raw, period) : null;
  const scopeLabel =
    scope.kind === "organisation"
      ? orgRows[0]!.name
      : filter.kind === "organisation"
        ? shownOrgs[0]!.name
        : filter.kind === "group"
          ? `${shownGroups[0]!.label} in all organisations in the ICS`
          : "All organisations in the ICS";
  const fileFilter =
    scope.kind === "ics" && filter.kind !== "all" ? `${filter.kind === "group" ? filter.value : filter.slug}-` : "";
  return {
    scope: scope.kind === "ics" ? { kind: "ics" } : { kind: "organisation", name: orgRows[0]!.name },
    period,
    periods: periods.map(({ key, label, kind }) => ({ key, label, kind })),
    filter,
    options:
      scope.kind === "ics"
        ? {
            organisations: orgRows.map((o) => ({ slug: o.slug, name: o.name })),
            staffGroups: STAFF_GROUPS.map((g) => ({ value: g.value, label: g.label })),
          }
        : { organisations: [], staffGroups: [] },
    scopeLabel,
    errors,
    published,
    tables: published ? firstYearTables(published) : [],
    csvFileName: `staywell-first-year-${fileFilter}${period.from}-to-${period.to}.csv`,
  };
}
