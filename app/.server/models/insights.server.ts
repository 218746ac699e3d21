// Manager insights: aggregates only, scoped to the manager in the query itself.
// Reads the rollup tables (drizzle/0002_insight_rollups.sql) and, for "open now" and "overdue now",
// the partial index of open requests. No request row, name, reference or free text is read here.
import { sql, type SQL } from "drizzle-orm";
import { queryRows, unpreparedStatement } from "@db/client";
import { getDb } from "@db/current";
import { organisations, supportOffers, type TenureBandValue, type CloseOutcomeValue } from "@db/schema";
import type { CurrentUser } from "../auth/types";
import { insightsScopeFor, PermissionError } from "../permissions.server";
import { addTally, EMPTY_TALLY, perturbedCount, sumTallies, type Tally } from "~/lib/insights/cell-key";
import { addMonths, insightTables, monthLabel, publishInsights } from "~/lib/insights/publish";
import type {
  InsightsFilter,
  InsightsFilters,
  InsightsPeriod,
  InsightTable,
  MonthKey,
  OrganisationInfo,
  PublishedInsights,
  RawInsights,
} from "~/lib/insights/types";
import { OPEN_STATUSES } from "~/lib/request-status";
import { STAFF_GROUPS, type StaffGroup } from "~/lib/staff-groups";
import { londonDate, startOfLondonDay, TIME_ZONE } from "~/lib/working-days";

export interface InsightsPageData {
  scope: { kind: "ics" } | { kind: "organisation"; organisation: OrganisationInfo };
  /** The period and filter in force (defaults where the URL gave none or gave a bad one). */
  filters: InsightsFilters;
  options: {
    /** The publication set's periods, newest first within each kind. */
    periods: { key: string; label: string; kind: InsightsPeriod["kind"] }[];
    /** The one-filter choices ("for"), empty for an organisation-scoped manager (theirs is fixed). */
    organisations: { slug: string; name: string }[];
    offers: { slug: string; title: string }[];
    staffGroups: { value: string; label: string }[];
  };
  /** Bad values in the URL, by field: shown in an error summary; defaults were used instead. */
  errors: { field: "period" | "for"; message: string }[];
  /** Null when the page's (published) total is under MIN_PAGE_REQUESTS: nothing is shown. */
  published: PublishedInsights | null;
  tables: InsightTable[];
  /** e.g. staywell-insights-2025-11-to-2026-10.csv */
  csvFileName: string;
  /** When the figures were computed, London time ("14:05"): "open now" is as at then. */
  asAt: string;
}

/** How far back a period can start, in months before the current one. */
export const SELECTABLE_MONTHS = 36;
/**
 * A page (a period with at most one filter) is published only when its total, as published, is at
 * least this: a smaller population is too easy to single people out of (ADR 008).
 */
export const MIN_PAGE_REQUESTS = 20;

type FilterError = InsightsPageData["errors"][number];

const LONDON_TIME = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/**
 * The fixed publication set of periods (ADR 008): the 12 complete months to the last complete
 * month, complete financial-year quarters and complete financial years, starting no more than
 * SELECTABLE_MONTHS ago. Never a month in progress, never an arbitrary range.
 */
export function publishedPeriods(now: Date, firstMonth: MonthKey | null = null): InsightsPeriod[] {
  const thisMonth = londonDate(now).slice(0, 7);
  const last = addMonths(thisMonth, -1);
  const earliest = addMonths(thisMonth, -SELECTABLE_MONTHS);
  const monthNumber = (m: MonthKey) => Number(m.slice(5, 7));
  const year = (m: MonthKey) => Number(m.slice(0, 4));
  const periods: InsightsPeriod[] = [
    {
      key: "12m",
      kind: "rolling",
      from: addMonths(last, -11),
      to: last,
      label: `the 12 months to ${monthLabel(last)} (${monthLabel(addMonths(last, -11))} to ${monthLabel(last)})`,
    },
  ];
  const quarters: InsightsPeriod[] = [];
  const years: InsightsPeriod[] = [];
  for (let start = earliest; start <= last; start = addMonths(start, 1)) {
    const end = addMonths(start, 2);
    if ((monthNumber(start) - 1) % 3 === 0 && end <= last) {
      const sameYear = year(start) === year(end);
      quarters.push({
        key: `q-${start}`,
        kind: "quarter",
        from: start,
        to: end,
        label: `${MONTH_NAMES[monthNumber(start) - 1]}${sameYear ? "" : ` ${year(start)}`} to ${monthLabel(end)}`,
      });
    }
    const yearEnd = addMonths(start, 11);
    if (monthNumber(start) === 4 && yearEnd <= last) {
      years.push({
        key: `fy-${year(start)}`,
        kind: "financial-year",
        from: start,
        to: yearEnd,
        label: `the financial year ${year(start)} to ${year(start) + 1} (April ${year(start)} to March ${year(start) + 1})`,
      });
    }
  }
  // Quarters and years that ended before the first request ever made have nothing to show.
  const hasData = (p: InsightsPeriod) => firstMonth === null || p.to >= firstMonth;
  return [...periods, ...years.reverse().filter(hasData), ...quarters.reverse().filter(hasData)];
}

/** The first month with any request (the service's start), from the rollups' "all" rows. */
const firstRequestMonthSql = sql`select to_char(min(month), 'YYYY-MM') from insight_cube
  where breakdown = 'offer' and filter_organisation_id = 0 and filter_offer_id = 0 and filter_staff_group = '' and requests > 0`;

/**
 * Everything the insights page and CSV show, for the period and the one filter in `url`'s query
 * string (period: a key of publishedPeriods(); for: "organisation:<slug>", "offer:<slug>" or
 * "group:<staff group>"). Throws PermissionError (403 at the route) when the caller may not see
 * insights, or when an organisation-scoped manager names any other organisation.
 */
export async function loadInsightsPage(caller: CurrentUser, url: URL, now = new Date()): Promise<InsightsPageData> {
  const scope = insightsScopeFor(caller);
  const db = getDb();
  const params = url.searchParams;
  const errors: FilterError[] = [];

  // The organisations in scope, every offer and the service's first month in one statement (one
  // round trip instead of three: ADR 041).
  const [lists] = await queryRows<{
    organisations: { id: number; slug: string; name: string; headcount: number }[];
    offers: { id: number; slug: string; title: string; sensitive: boolean; active: boolean }[];
    first: MonthKey | null;
  }>(
    db,
    sql`select
      (select coalesce(json_agg(json_build_object('id', o.id, 'slug', o.slug, 'name', o.name, 'headcount', o.headcount)
                                order by o.name), '[]'::json)
         from ${organisations} o
         ${scope.kind === "organisation" ? sql`where o.id = ${scope.organisationId}` : sql``}) as organisations,
      (select coalesce(json_agg(json_build_object('id', f.id, 'slug', f.slug, 'title', f.title, 'sensitive', f.sensitive,
                                                  'active', f.active)
                                order by f.category, f.sort_order, f.id), '[]'::json)
         from ${supportOffers} f) as offers,
      (${firstRequestMonthSql}) as first`,
  );
  const orgRows = lists!.organisations;
  const offerRows = lists!.offers;
  if (scope.kind === "organisation" && orgRows.length === 0) throw new PermissionError();

  // The period: one of the publication set.
  const periods = publishedPeriods(now, lists!.first ?? null);
  let period = periods[0]!;
  const periodValues = params.getAll("period").filter((v) => v !== "");
  if (periodValues.length > 0) {
    const found = periodValues.length === 1 ? periods.find((p) => p.key === periodValues[0]) : undefined;
    if (found) period = found;
    else errors.push({ field: "period", message: "Choose a period from the list" });
  }

  // The one filter. An organisation-scoped manager's is always their organisation: naming any
  // other organisation is 403, and a second filter (an offer or staff group within it) is refused.
  const forValues = params.getAll("for").filter((v) => v !== "");
  const forValue = forValues.length === 1 ? forValues[0]! : forValues.length === 0 ? "" : null;
  const [forKind, ...rest] = (forValue ?? "").split(":");
  const forArg = rest.join(":");
  let filter: InsightsFilter = { kind: "all" };
  let organisation: OrganisationInfo | null = null;
  if (scope.kind === "organisation") {
    const own = orgRows[0]!;
    const named = forValues.flatMap((v) => (v.startsWith("organisation:") ? [v.slice("organisation:".length)] : []));
    if (named.some((slug) => slug !== own.slug)) throw new PermissionError();
    if (forValues.some((v) => !v.startsWith("organisation:"))) {
      errors.push({
        field: "for",
        message: `Your figures are for ${own.name} as a whole: they cannot be narrowed further`,
      });
    }
    organisation = own;
    filter = { kind: "organisation", slug: own.slug };
  } else if (forValue === null) {
    errors.push({ field: "for", message: "Choose one organisation, type of support or staff group" });
  } else if (forValue !== "") {
    if (forKind === "organisation" && orgRows.some((o) => o.slug === forArg)) {
      organisation = orgRows.find((o) => o.slug === forArg)!;
      filter = { kind: "organisation", slug: forArg };
    } else if (forKind === "offer" && offerRows.some((o) => o.slug === forArg)) {
      filter = { kind: "offer", slug: forArg };
    } else if (forKind === "group" && STAFF_GROUPS.some((g) => g.value === forArg)) {
      filter = { kind: "group", value: forArg as StaffGroup };
    } else {
      errors.push({ field: "for", message: "Choose an organisation, type of support or staff group from the list" });
    }
  }

  const offerId = filter.kind === "offer" ? offerRows.find((o) => o.slug === filter.slug)!.id : null;
  const staffGroup = filter.kind === "group" ? filter.value : null;
  const raw = await loadRawInsights({
    from: period.from,
    to: period.to,
    now,
    // Always set for a scoped manager: the scope is in the SQL whatever the URL says.
    organisationId: scope.kind === "organisation" ? scope.organisationId : (organisation?.id ?? null),
    offerId,
    staffGroup,
    organisations: organisation ? [organisation] : orgRows,
    offers: offerRows,
  });
  const pageTotal = sumTallies(raw.requestsByOfferMonth.map((r) => r.requests));
  const published = perturbedCount(pageTotal) >= MIN_PAGE_REQUESTS ? publishInsights(raw, period) : null;

  const fileFilter = filter.kind === "all" ? "" : `${filter.kind === "group" ? filter.value : filter.slug}-`;
  return {
    scope: scope.kind === "ics" ? { kind: "ics" } : { kind: "organisation", organisation: orgRows[0]! },
    filters: { period, filter },
    options: {
      periods: periods.map(({ key, label, kind }) => ({ key, label, kind })),
      organisations: scope.kind === "ics" ? orgRows.map((o) => ({ slug: o.slug, name: o.name })) : [],
      offers:
        scope.kind === "ics"
          ? offerRows.map((o) => ({ slug: o.slug, title: o.active ? o.title : `${o.title} (retired)` }))
          : [],
      staffGroups: scope.kind === "ics" ? STAFF_GROUPS.map((g) => ({ value: g.value, label: g.label })) : [],
    },
    errors,
    published,
    tables: published ? insightTables(published) : [],
    csvFileName: `staywell-insights-${fileFilter}${period.from}-to-${period.to}.csv`,
    asAt: LONDON_TIME.format(now),
  };
}

/** A count and its key sum as the drivers return them (bigint sums may come back as strings). */
function tally(n: number | string, key: number | string | null): Tally {
  return { n: Number(n), key: Number(key ?? 0) };
}

interface RawQuery {
  from: MonthKey;
  to: MonthKey;
  now: Date;
  /** null: every organisation (ICS-wide managers only). */
  organisationId: number | null;
  offerId: number | null;
  staffGroup: string | null;
  organisations: OrganisationInfo[];
  offers: { id: number; slug: string; title: string; sensitive: boolean; active: boolean }[];
}

/**
 * Four small queries. The cube tables hold each breakdown per filter combination ("all" is 0 or
 * ''), so each reads about months × breakdown values rows however many requests there are; the
 * open count reads only open requests (a partial, covering index). All are scoped in SQL.
 */
async function loadRawInsights(q: RawQuery): Promise<RawInsights> {
  const fo = q.organisationId ?? 0;
  const ff = q.offerId ?? 0;
  const fg = q.staffGroup ?? "";
  const months = sql`month between ${`${q.from}-01`}::date and ${`${q.to}-01`}::date`;

  // Requests made in the period: [start of first month, start of the month after the last), London time.
  const periodStart = startOfLondonDay(`${q.from}-01`);
  const periodEnd = startOfLondonDay(`${addMonths(q.to, 1)}-01`);
  const openWhere: SQL[] = [
    sql`r.status in (${sql.join(
      OPEN_STATUSES.map((s) => sql`${s}`),
      sql`, `,
    )})`,
    sql`r.submitted_at >= ${periodStart.toISOString()}::timestamptz and r.submitted_at < ${periodEnd.toISOString()}::timestamptz`,
  ];
  if (q.organisationId !== null) openWhere.push(sql`r.organisation_id = ${q.organisationId}`);
  if (q.offerId !== null) openWhere.push(sql`r.offer_id = ${q.offerId}`);
  if (q.staffGroup !== null) openWhere.push(sql`r.staff_group = ${q.staffGroup}`);
  const byOffer = q.offerId !== null ? sql` and offer_id = ${q.offerId}` : sql``;
  const overdueNow = sql`r.first_contact_at is null and r.paused_at is null and r.due_at < ${q.now.toISOString()}::timestamptz`;

  type CubeRow = {
    breakdown: string;
    dim: string;
    month: string;
    requests: number;
    rated: number;
    rating_sum: number;
    key_sum: number | string;
    rated_key_sum: number | string;
  };
  // One snapshot for all four: "withdrawn" is requests minus outcomes minus open, so the counts
  // must not straddle a request being closed. One statement sees one snapshot, so the four are
  // subqueries of a single SELECT (one round trip instead of seven with BEGIN, SET TRANSACTION and
  // COMMIT: ADR 041). Sums of record keys travel as text: JSON numbers would round a bigint.
  const [row] = await queryRows<{
    cube: CubeRow[] | null;
    contact: { offer_id: number; working_days: number; within_target: boolean; requests: number }[] | null;
    outcomes: { offer_id: number; outcome: CloseOutcomeValue; requests: number; key_sum: number | string }[] | null;
    open:
      | {
          offer_id: number;
          open: number;
          open_key: number | string;
          overdue: number;
          overdue_key: number | string;
        }[]
      | null;
  }>(
    getDb(),
    // Unprepared: planned for its period and filters. Prepared, PostgreSQL kept a generic plan
    // that cost the database 237–274 ms CPU per /insights at 1M against 14 ms (ADR 041, addendum
    // "PostgreSQL prepares too"; db/query.ts, unpreparedStatement).
    sql`select ${unpreparedStatement}
      (select json_agg(c) from (
        select breakdown, dim, to_char(month, 'YYYY-MM') as month, requests, rated, rating_sum,
               key_sum::text as key_sum, rated_key_sum::text as rated_key_sum
          from insight_cube
          where ${months} and (
            (breakdown = 'offer' and filter_organisation_id = ${fo} and filter_offer_id = 0 and filter_staff_group = ${fg}
              ${q.offerId !== null ? sql`and dim = ${String(q.offerId)}` : sql``})
            or (breakdown = 'organisation' and filter_organisation_id = 0 and filter_offer_id = ${ff} and filter_staff_group = ${fg}
              ${q.organisationId !== null ? sql`and dim = ${String(q.organisationId)}` : sql``})
            or (breakdown = 'staff_group' and filter_organisation_id = ${fo} and filter_offer_id = ${ff} and filter_staff_group = ''
              ${q.staffGroup !== null ? sql`and dim = ${q.staffGroup}` : sql``})
            or (breakdown = 'tenure_band' and filter_organisation_id = ${fo} and filter_offer_id = ${ff} and filter_staff_group = ${fg})
          )) c) as cube,
      (select json_agg(c) from (
        select offer_id, working_days, within_target, sum(requests)::int as requests
          from insight_first_contact_cube
          where filter_organisation_id = ${fo} and filter_staff_group = ${fg} and ${months}${byOffer}
          group by offer_id, working_days, within_target) c) as contact,
      (select json_agg(c) from (
        select offer_id, outcome, sum(requests)::int as requests, sum(key_sum)::text as key_sum
          from insight_outcomes_cube
          where filter_organisation_id = ${fo} and filter_staff_group = ${fg} and ${months}${byOffer}
          group by offer_id, outcome) c) as outcomes,
      (select json_agg(c) from (
        select r.offer_id, count(*)::int as open, sum(r.record_key)::text as open_key,
               (count(*) filter (where ${overdueNow}))::int as overdue,
               coalesce(sum(r.record_key) filter (where ${overdueNow}), 0)::text as overdue_key
          from support_requests r
          where ${sql.join(openWhere, sql` and `)}
          group by r.offer_id) c) as open`,
  );
  const cubeRows = row?.cube ?? [];
  const contactRows = row?.contact ?? [];
  const outcomeRows = row?.outcomes ?? [];
  const openRows = row?.open ?? [];

  /** Sums a breakdown's rows over the months, by dim (the rows are already one per dim and month). */
  const totals = (breakdown: string) => {
    const out = new Map<string, { requests: Tally; rated: Tally; ratingSum: number }>();
    for (const r of cubeRows) {
      if (r.breakdown !== breakdown) continue;
      const t = out.get(r.dim) ?? { requests: EMPTY_TALLY, rated: EMPTY_TALLY, ratingSum: 0 };
      out.set(r.dim, {
        requests: addTally(t.requests, tally(r.requests, r.key_sum)),
        rated: addTally(t.rated, tally(r.rated, r.rated_key_sum)),
        ratingSum: t.ratingSum + Number(r.rating_sum),
      });
    }
    return out;
  };
  const offerTotals = totals("offer");
  const withRequests = new Set([...offerTotals].filter(([, t]) => t.requests.n > 0).map(([dim]) => Number(dim)));
  const offers = q.offers
    .filter((o) => (q.offerId !== null ? o.id === q.offerId : o.active || withRequests.has(o.id)))
    .map(({ id, slug, title, sensitive }) => ({ id, slug, title, sensitive }));

  const monthsInPeriod: MonthKey[] = [];
  for (let m = q.from; m <= q.to; m = addMonths(m, 1)) monthsInPeriod.push(m);

  return {
    months: monthsInPeriod,
    offers,
    organisations: q.organisations,
    requestsByOfferMonth: cubeRows
      .filter((r) => r.breakdown === "offer")
      .map((r) => ({ offerId: Number(r.dim), month: r.month, requests: tally(r.requests, r.key_sum) })),
    requestsByOrganisation: [...totals("organisation")].map(([dim, t]) => ({
      organisationId: Number(dim),
      requests: t.requests,
    })),
    requestsByStaffGroup: [...totals("staff_group")].map(([dim, t]) => ({ staffGroup: dim, requests: t.requests })),
    requestsByTenure: [...totals("tenure_band")].map(([dim, t]) => ({
      tenureBand: dim as TenureBandValue,
      requests: t.requests,
    })),
    firstContact: contactRows.map((r) => ({
      offerId: Number(r.offer_id),
      workingDays: Number(r.working_days),
      withinTarget: r.within_target === true || (r.within_target as unknown) === "t",
      requests: Number(r.requests),
    })),
    openByOffer: openRows.map((r) => ({
      offerId: Number(r.offer_id),
      open: tally(r.open, r.open_key),
      overdue: tally(r.overdue, r.overdue_key),
    })),
    outcomes: outcomeRows.map((r) => ({
      offerId: Number(r.offer_id),
      outcome: r.outcome,
      requests: tally(r.requests, r.key_sum),
    })),
    satisfaction: [...offerTotals].map(([dim, t]) => ({
      offerId: Number(dim),
      rated: t.rated,
      ratingSum: t.ratingSum,
    })),
  };
}
