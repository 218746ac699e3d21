// /insights/first-year (ADR 039): first-year check-in aggregates for managers, scoped in the query
// itself (the one permission module's insightsScopeFor) and published through the disclosure
// control of /insights (app/lib/insights/first-year.ts). No check-in row, person or free text leaves
// here: only counts with their record-key sums and the sums behind averages.
import { asc, eq, sql } from "drizzle-orm";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import { organisations } from "@db/schema";
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
import { STAFF_GROUPS } from "~/lib/staff-groups";
import { startOfLondonDay } from "~/lib/working-days";

/** A page is published only when its check-ins sent, as published, are at least this many. */
export const MIN_PAGE_CHECK_INS = 20;

export interface FirstYearPageData {
  scope: { kind: "ics" } | { kind: "organisation"; name: string };
  period: InsightsPeriod;
  periods: { key: string; label: string }[];
  errors: { field: "period"; message: string }[];
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

export async function loadFirstYearInsights(
  caller: CurrentUser,
  url: URL,
  now = new Date(),
): Promise<FirstYearPageData> {
  const scope = insightsScopeFor(caller);
  const db = getDb();
  const orgRows = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(scope.kind === "organisation" ? eq(organisations.id, scope.organisationId) : undefined)
    .orderBy(asc(organisations.name));
  if (scope.kind === "organisation" && orgRows.length === 0) throw new PermissionError();

  const periods = publishedPeriods(now);
  let period = periods[0]!;
  const errors: FirstYearPageData["errors"] = [];
  const asked = url.searchParams.getAll("period").filter((v) => v !== "");
  if (asked.length > 0) {
    const found = asked.length === 1 ? periods.find((p) => p.key === asked[0]) : undefined;
    if (found) period = found;
    else errors.push({ field: "period", message: "Choose a period from the list" });
  }

  const start = startOfLondonDay(`${period.from}-01`).toISOString();
  const end = startOfLondonDay(`${addMonths(period.to, 1)}-01`).toISOString();
  // The scope is in the SQL whatever the URL says.
  const scoped = scope.kind === "organisation" ? sql`and c.organisation_id = ${scope.organisationId}` : sql``;
  const where = sql`c.sent_at >= ${start}::timestamptz and c.sent_at < ${end}::timestamptz ${scoped}`;
  const answeredColumns = sql`count(*) filter (where c.answered_at is not null)::int as answered,
      coalesce(sum(c.record_key) filter (where c.answered_at is not null), 0)::bigint as answered_key,
      sum(c.work_score) as work_sum, sum(c.supported_score) as supported_sum,
      (count(*) filter (where c.thinking_of_leaving = 'yes'))::int as leaving_yes`;

  const [pointRows, orgGroups, staffGroups, monthGroups] = await db.transaction(
    (tx) =>
      Promise.all([
        queryRows<{
          label: string;
          days: number;
          answered: number;
          answered_key: number | string;
          unanswered: number;
          unanswered_key: number | string;
          requests: number;
          requests_key: number | string;
        }>(
          tx,
          sql`select c.point_label as label, min(c.point_days)::int as days,
                     count(*) filter (where c.answered_at is not null)::int as answered,
                     coalesce(sum(c.record_key) filter (where c.answered_at is not null), 0)::bigint as answered_key,
                     count(*) filter (where c.answered_at is null)::int as unanswered,
                     coalesce(sum(c.record_key) filter (where c.answered_at is null), 0)::bigint as unanswered_key,
                     count(r.id)::int as requests, coalesce(sum(r.record_key), 0)::bigint as requests_key
                from check_ins c
                left join support_requests r on r.id = c.request_id
               where ${where}
               group by c.point_label
               order by days, label`,
        ),
        queryRows<GroupRow>(
          tx,
          sql`select c.organisation_id::text as dim, ${answeredColumns} from check_ins c where ${where} group by c.organisation_id`,
        ),
        queryRows<GroupRow>(
          tx,
          sql`select c.staff_group as dim, ${answeredColumns} from check_ins c where ${where} group by c.staff_group`,
        ),
        queryRows<GroupRow>(
          tx,
          sql`select to_char(c.sent_at at time zone 'Europe/London', 'YYYY-MM') as dim, ${answeredColumns}
                from check_ins c where ${where} group by 1`,
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
  const raw: RawFirstYear = {
    months,
    byPoint: pointRows.map((r) => ({
      label: r.label,
      answered: tally(r.answered, r.answered_key),
      unanswered: tally(r.unanswered, r.unanswered_key),
      ledToSupport: tally(r.requests, r.requests_key),
    })),
    byOrganisation: orgRows.map((o) => ({ label: o.name, ...group(orgMap.get(String(o.id))) })),
    byStaffGroup: [
      ...STAFF_GROUPS.map((g) => ({ label: g.label, ...group(groupMap.get(g.value)) })),
      // A staff group no longer in the list still counts (it is part of the total).
      ...staffGroups
        .filter((r) => !STAFF_GROUPS.some((g) => g.value === r.dim))
        .map((r) => ({ label: r.dim, ...group(r) })),
    ],
    byMonth: months.map((month) => ({ month, ...group(monthMap.get(month)) })),
  };
  const published = perturbedCount(sentTotal(raw)) >= MIN_PAGE_CHECK_INS ? publishFirstYear(raw, period) : null;
  return {
    scope: scope.kind === "ics" ? { kind: "ics" } : { kind: "organisation", name: orgRows[0]!.name },
    period,
    periods: periods.map(({ key, label }) => ({ key, label })),
    errors,
    published,
    tables: published ? firstYearTables(published) : [],
    csvFileName: `staywell-first-year-${period.from}-to-${period.to}.csv`,
  };
}
