// Manager insights: aggregates only, scoped to the manager in the query itself.
// Reads the rollup tables (drizzle/0002_insight_rollups.sql) and, for "open now" and "overdue now",
// the partial index of open requests. No request row, name, reference or free text is read here.
import { data } from "@remix-run/node";
import { asc, eq, sql, type SQL } from "drizzle-orm";
import { queryRows, type Database } from "@db/client";
import { getDb } from "@db/current";
import { organisations, supportOffers, type TenureBandValue, type CloseOutcomeValue } from "@db/schema";
import type { CurrentUser } from "../auth/types";
import { addMonths, insightTables, monthLabel, publishInsights } from "~/lib/insights/publish";
import type {
  InsightsFilters,
  InsightTable,
  MonthKey,
  OrganisationInfo,
  PublishedInsights,
  RawInsights,
} from "~/lib/insights/types";
import { OPEN_STATUSES } from "~/lib/request-status";
import { STAFF_GROUPS, type StaffGroup } from "~/lib/staff-groups";
import { londonDate, startOfLondonDay } from "~/lib/working-days";

export type InsightsScope = { kind: "ics" } | { kind: "organisation"; organisationId: number };

export interface InsightsPageData {
  scope: { kind: "ics" } | { kind: "organisation"; organisation: OrganisationInfo };
  /** The filters in force (defaults where the URL gave none or gave a bad one). */
  filters: InsightsFilters;
  options: {
    /** Only organisations within the manager's scope. */
    organisations: { slug: string; name: string }[];
    offers: { slug: string; title: string }[];
    staffGroups: { value: string; label: string }[];
    /** Months that can be chosen for from/to, oldest first. */
    months: { key: string; label: string }[];
  };
  /** Bad values in the URL, by field: shown in an error summary; defaults were used instead. */
  errors: { field: "from" | "to" | "organisation" | "offer" | "group"; message: string }[];
  published: PublishedInsights;
  tables: InsightTable[];
  /** e.g. staywell-insights-2025-12-to-2026-11.csv */
  csvFileName: string;
}

/** How far back the period can start, in months (the current month included). */
export const SELECTABLE_MONTHS = 36;
/** The default period: the last 12 months, this one included. */
export const DEFAULT_PERIOD_MONTHS = 12;

/** The manager's scope; 403 for anyone who is not a manager. */
export function insightsScopeFor(caller: CurrentUser): InsightsScope {
  if (caller.role !== "manager") throw data(null, { status: 403 });
  return caller.managesOrganisationId === null
    ? { kind: "ics" }
    : { kind: "organisation", organisationId: caller.managesOrganisationId };
}

type FilterError = InsightsPageData["errors"][number];

/**
 * Everything the insights page and CSV show, for the filters in `url`'s query string
 * (from, to: YYYY-MM; organisation: slug; offer: slug; group: staff group value).
 * Throws a 403 response when the caller is not a manager, or when `organisation` names anything
 * but an organisation-scoped manager's own organisation.
 */
export async function loadInsightsPage(caller: CurrentUser, url: URL, now = new Date()): Promise<InsightsPageData> {
  const scope = insightsScopeFor(caller);
  const db = getDb();
  const params = url.searchParams;
  const errors: FilterError[] = [];

  const [orgRows, offerRows] = await Promise.all([
    db
      .select({
        id: organisations.id,
        slug: organisations.slug,
        name: organisations.name,
        headcount: organisations.headcount,
      })
      .from(organisations)
      .where(scope.kind === "organisation" ? eq(organisations.id, scope.organisationId) : undefined)
      .orderBy(asc(organisations.name)),
    db
      .select({
        id: supportOffers.id,
        slug: supportOffers.slug,
        title: supportOffers.title,
        sensitive: supportOffers.sensitive,
        active: supportOffers.active,
      })
      .from(supportOffers)
      .orderBy(asc(supportOffers.category), asc(supportOffers.sortOrder), asc(supportOffers.id)),
  ]);
  if (scope.kind === "organisation" && orgRows.length === 0) throw data(null, { status: 403 });

  // Months: the selectable range and the period.
  const thisMonth = londonDate(now).slice(0, 7);
  const months = Array.from({ length: SELECTABLE_MONTHS }, (_, i) => addMonths(thisMonth, i - SELECTABLE_MONTHS + 1));
  const monthParam = (name: "from" | "to", fallback: MonthKey, label: string): MonthKey => {
    const values = params.getAll(name);
    if (values.length === 0 || values[0] === "") return fallback;
    const value = values[0]!;
    if (values.length > 1 || !months.includes(value)) {
      errors.push({ field: name, message: `Choose a ${label} month from the list` });
      return fallback;
    }
    return value;
  };
  let from = monthParam("from", addMonths(thisMonth, 1 - DEFAULT_PERIOD_MONTHS), "first");
  let to = monthParam("to", thisMonth, "last");
  if (from > to) {
    errors.push({ field: "to", message: "The last month must be the same as or after the first month" });
    from = addMonths(thisMonth, 1 - DEFAULT_PERIOD_MONTHS);
    to = thisMonth;
  }

  // Organisation: within scope only. A scoped manager asking for anything else gets 403.
  let organisation: OrganisationInfo | null = null;
  const orgValues = params.getAll("organisation").filter((v) => v !== "");
  if (scope.kind === "organisation") {
    const own = orgRows[0]!;
    if (orgValues.some((v) => v !== own.slug)) throw data(null, { status: 403 });
    organisation = own;
  } else if (orgValues.length > 0) {
    const found = orgValues.length === 1 ? orgRows.find((o) => o.slug === orgValues[0]) : undefined;
    if (found) organisation = found;
    else errors.push({ field: "organisation", message: "Choose an organisation from the list" });
  }

  let offerSlug: string | null = null;
  const offerValues = params.getAll("offer").filter((v) => v !== "");
  if (offerValues.length > 0) {
    const found = offerValues.length === 1 ? offerRows.find((o) => o.slug === offerValues[0]) : undefined;
    if (found) offerSlug = found.slug;
    else errors.push({ field: "offer", message: "Choose a type of support from the list" });
  }

  let staffGroup: StaffGroup | null = null;
  const groupValues = params.getAll("group").filter((v) => v !== "");
  if (groupValues.length > 0) {
    const found = groupValues.length === 1 ? STAFF_GROUPS.find((g) => g.value === groupValues[0]) : undefined;
    if (found) staffGroup = found.value;
    else errors.push({ field: "group", message: "Choose a staff group from the list" });
  }

  const filters: InsightsFilters = { from, to, organisationSlug: organisation?.slug ?? null, offerSlug, staffGroup };
  const coveredOrganisations = organisation ? [organisation] : orgRows;
  const raw = await loadRawInsights({
    from,
    to,
    now,
    // Always set for a scoped manager: the scope is in the SQL whatever the filters say.
    organisationId: scope.kind === "organisation" ? scope.organisationId : organisation?.id ?? null,
    offerId: offerSlug ? offerRows.find((o) => o.slug === offerSlug)!.id : null,
    staffGroup,
    organisations: coveredOrganisations,
    offers: offerRows,
  });
  const published = publishInsights(raw, { from, to });

  return {
    scope: scope.kind === "ics" ? { kind: "ics" } : { kind: "organisation", organisation: orgRows[0]! },
    filters,
    options: {
      organisations: orgRows.map((o) => ({ slug: o.slug, name: o.name })),
      offers: offerRows.map((o) => ({ slug: o.slug, title: o.active ? o.title : `${o.title} (retired)` })),
      staffGroups: STAFF_GROUPS.map((g) => ({ value: g.value, label: g.label })),
      months: months.map((key) => ({ key, label: monthLabel(key) })),
    },
    errors,
    published,
    tables: insightTables(published),
    csvFileName: `staywell-insights-${organisation ? `${organisation.slug}-` : ""}${from}-to-${to}.csv`,
  };
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
      sql`, `
    )})`,
    sql`r.submitted_at >= ${periodStart.toISOString()}::timestamptz and r.submitted_at < ${periodEnd.toISOString()}::timestamptz`,
  ];
  if (q.organisationId !== null) openWhere.push(sql`r.organisation_id = ${q.organisationId}`);
  if (q.offerId !== null) openWhere.push(sql`r.offer_id = ${q.offerId}`);
  if (q.staffGroup !== null) openWhere.push(sql`r.staff_group = ${q.staffGroup}`);
  const byOffer = q.offerId !== null ? sql` and offer_id = ${q.offerId}` : sql``;

  type CubeRow = { breakdown: string; dim: string; month: string; requests: number; rated: number; rating_sum: number };
  // One snapshot for all four: "withdrawn" is requests minus outcomes minus open, so the counts
  // must not straddle a request being closed.
  const [cubeRows, contactRows, outcomeRows, openRows] = await getDb().transaction(
    (tx) => {
      const db = tx as unknown as Database; // queryRows takes the database or a transaction alike
      return Promise.all([
        queryRows<CubeRow>(
          db,
          sql`select breakdown, dim, to_char(month, 'YYYY-MM') as month, requests, rated, rating_sum
          from insight_cube
          where ${months} and (
            (breakdown = 'offer' and filter_organisation_id = ${fo} and filter_offer_id = 0 and filter_staff_group = ${fg}
              ${q.offerId !== null ? sql`and dim = ${String(q.offerId)}` : sql``})
            or (breakdown = 'organisation' and filter_organisation_id = 0 and filter_offer_id = ${ff} and filter_staff_group = ${fg}
              ${q.organisationId !== null ? sql`and dim = ${String(q.organisationId)}` : sql``})
            or (breakdown = 'staff_group' and filter_organisation_id = ${fo} and filter_offer_id = ${ff} and filter_staff_group = ''
              ${q.staffGroup !== null ? sql`and dim = ${q.staffGroup}` : sql``})
            or (breakdown = 'tenure_band' and filter_organisation_id = ${fo} and filter_offer_id = ${ff} and filter_staff_group = ${fg})
          )`
        ),
        queryRows<{ offer_id: number; working_days: number; within_target: boolean; requests: number }>(
          db,
          sql`select offer_id, working_days, within_target, sum(requests)::int as requests
          from insight_first_contact_cube
          where filter_organisation_id = ${fo} and filter_staff_group = ${fg} and ${months}${byOffer}
          group by offer_id, working_days, within_target`
        ),
        queryRows<{ offer_id: number; outcome: CloseOutcomeValue; requests: number }>(
          db,
          sql`select offer_id, outcome, sum(requests)::int as requests
          from insight_outcomes_cube
          where filter_organisation_id = ${fo} and filter_staff_group = ${fg} and ${months}${byOffer}
          group by offer_id, outcome`
        ),
        queryRows<{ offer_id: number; open: number; overdue: number }>(
          db,
          sql`select r.offer_id, count(*)::int as open,
                 (count(*) filter (where r.first_contact_at is null and r.paused_at is null
                                     and r.due_at < ${q.now.toISOString()}::timestamptz))::int as overdue
          from support_requests r
          where ${sql.join(openWhere, sql` and `)}
          group by r.offer_id`
        ),
      ]);
    },
    { isolationLevel: "repeatable read", accessMode: "read only" }
  );

  /** Sums a breakdown's rows over the months, by dim (the rows are already one per dim and month). */
  const totals = (breakdown: string) => {
    const out = new Map<string, { requests: number; rated: number; ratingSum: number }>();
    for (const r of cubeRows) {
      if (r.breakdown !== breakdown) continue;
      const t = out.get(r.dim) ?? { requests: 0, rated: 0, ratingSum: 0 };
      t.requests += Number(r.requests);
      t.rated += Number(r.rated);
      t.ratingSum += Number(r.rating_sum);
      out.set(r.dim, t);
    }
    return out;
  };
  const offerTotals = totals("offer");
  const withRequests = new Set([...offerTotals].filter(([, t]) => t.requests > 0).map(([dim]) => Number(dim)));
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
      .map((r) => ({ offerId: Number(r.dim), month: r.month, requests: Number(r.requests) })),
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
      open: Number(r.open),
      overdue: Number(r.overdue),
    })),
    outcomes: outcomeRows.map((r) => ({
      offerId: Number(r.offer_id),
      outcome: r.outcome,
      requests: Number(r.requests),
    })),
    satisfaction: [...offerTotals].map(([dim, t]) => ({
      offerId: Number(dim),
      rated: t.rated,
      ratingSum: t.ratingSum,
    })),
  };
}
