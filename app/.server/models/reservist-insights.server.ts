// /insights/reservists (issue 14 part 2; ADR 040): the reservist bank in the manager's scope, as
// aggregates only, through the disclosure control (app/lib/insights/reservists.ts). Scoped in the
// queries: an organisation's manager counts the reservists whose own organisation is theirs and
// the needs posted for it; an ICS manager counts everything. No name, id or profile leaves here.
import { asc, eq, sql } from "drizzle-orm";
import { queryRows, unpreparedStatement } from "@db/client";
// Every figure statement here is unprepared (${unpreparedStatement}): its best plan depends on the
// period, and a generic plan of /insights' figures cost 20× (ADR 041, addendum "PostgreSQL prepares too").
import { getDb } from "@db/current";
import { organisations } from "@db/schema";
import { monthLabel } from "~/lib/insights/publish";
import {
  publishReservistInsights,
  reservistInsightTables,
  type PublishedReservistInsights,
} from "~/lib/insights/reservists";
import type { InsightTable } from "~/lib/insights/types";
import { STAFF_GROUPS, staffGroupLabel } from "~/lib/staff-groups";
import { londonDate } from "~/lib/working-days";
import type { CurrentUser } from "../auth/types";
import { insightsScopeFor, PermissionError } from "../permissions.server";
import { publishedPeriods } from "./insights.server";

export interface ReservistInsightsPage {
  scopeName: string;
  published: PublishedReservistInsights | null;
  tables: InsightTable[];
}

interface GroupRow {
  staff_group: string;
  organisation_id: number;
  n: number | string;
  key: number | string;
  hours: number | string;
}

interface MonthRow {
  month: string;
  kind: "posted" | "filled";
  n: number | string;
  key: number | string;
}

export async function loadReservistInsights(caller: CurrentUser, now = new Date()): Promise<ReservistInsightsPage> {
  const scope = insightsScopeFor(caller);
  const db = getDb();
  const orgRows = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(scope.kind === "organisation" ? eq(organisations.id, scope.organisationId) : undefined)
    .orderBy(asc(organisations.name));
  if (scope.kind === "organisation" && orgRows.length === 0) throw new PermissionError();
  const inScope = (column: string) =>
    scope.kind === "organisation" ? sql`and ${sql.raw(column)} = ${scope.organisationId}` : sql``;
  const today = londonDate(now);
  // The publication set's rolling period (ADR 008): the 12 complete months, never a month in progress.
  const period = publishedPeriods(now)[0]!;
  const months: string[] = [];
  for (let m = period.from; m <= period.to;) {
    months.push(m);
    const [y, mo] = m.split("-").map(Number) as [number, number];
    m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, "0")}`;
  }
  const [groupRows, monthRows] = await Promise.all([
    queryRows<GroupRow>(
      db,
      sql`select ${unpreparedStatement}r.staff_group, u.organisation_id, count(*)::int as n,
                 coalesce(sum(r.record_key), 0)::bigint as key, coalesce(sum(r.hours_per_week), 0)::int as hours
            from reservists r
            join users u on u.id = r.user_id
           where r.paused_at is null and u.disabled_at is null and u.erased_at is null
             and (r.available_until is null or r.available_until >= ${today}::date)
             ${inScope("u.organisation_id")}
           group by r.staff_group, u.organisation_id`,
    ),
    queryRows<MonthRow>(
      db,
      sql`select ${unpreparedStatement}to_char(n.created_at at time zone 'Europe/London', 'YYYY-MM') as month, 'posted' as kind,
                 count(*)::int as n, coalesce(sum(n.record_key), 0)::bigint as key
            from reservist_needs n
           where n.created_at >= ${`${period.from}-01`}::date and n.created_at < (${`${period.to}-01`}::date + interval '1 month')
             ${inScope("n.organisation_id")}
           group by 1
          union all
          select to_char(n.created_at at time zone 'Europe/London', 'YYYY-MM'), 'filled',
                 count(*)::int, coalesce(sum(i.record_key), 0)::bigint
            from reservist_invitations i
            join reservist_needs n on n.id = i.need_id
           where i.status = 'accepted'
             and n.created_at >= ${`${period.from}-01`}::date and n.created_at < (${`${period.to}-01`}::date + interval '1 month')
             ${inScope("n.organisation_id")}
           group by 1`,
    ),
  ]);
  const tally = (rows: { n: number | string; key: number | string }[]) => ({
    n: rows.reduce((s, r) => s + Number(r.n), 0),
    key: rows.reduce((s, r) => s + Number(r.key), 0),
  });
  const groupValues = [
    ...STAFF_GROUPS.map((g) => g.value as string),
    ...new Set(groupRows.map((r) => r.staff_group).filter((g) => !STAFF_GROUPS.some((s) => s.value === g))),
  ];
  const raw = {
    byStaffGroup: groupValues.map((value) => {
      const rows = groupRows.filter((r) => r.staff_group === value);
      return {
        value,
        label: staffGroupLabel(value),
        members: tally(rows),
        hours: rows.reduce((s, r) => s + Number(r.hours), 0),
      };
    }),
    byOrganisation: orgRows.map((o) => ({
      name: o.name,
      members: tally(groupRows.filter((r) => Number(r.organisation_id) === o.id)),
    })),
    months: months.map((m) => ({ key: m, label: monthLabel(m) })),
    needsPosted: months.map((m) => tally(monthRows.filter((r) => r.month === m && r.kind === "posted"))),
    placesFilled: months.map((m) => tally(monthRows.filter((r) => r.month === m && r.kind === "filled"))),
  };
  const published = publishReservistInsights(raw, period.label);
  return {
    scopeName: scope.kind === "organisation" ? orgRows[0]!.name : "The whole ICS",
    published,
    tables: published ? reservistInsightTables(published) : [],
  };
}
