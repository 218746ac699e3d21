// Manager insights: aggregates only, scoped to the manager in the query itself.
// Reads the rollup tables (drizzle/0002_insight_rollups.sql) and, for "open now" and "overdue now",
// the partial index of open requests. No request row, name, reference or free text is read here.
import { data } from "@remix-run/node";
import { asc, eq, sql, type SQL } from "drizzle-orm";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import { organisations, supportOffers, type TenureBandValue, type CloseOutcomeValue } from "@db/schema";
import type { CurrentUser } from "../auth/types";
import { addMonths, insightTables, monthLabel, publishInsights } from "~/lib/insights/publish";
import type { InsightsFilters, InsightTable, MonthKey, OrganisationInfo, PublishedInsights, RawInsights } from "~/lib/insights/types";
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
      .select({ id: organisations.id, slug: organisations.slug, name: organisations.name, headcount: organisations.headcount })
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
    // Always an explicit list for a scoped manager: the scope is in the SQL whatever the filters say.
    organisationIds: scope.kind === "organisation" || organisation ? coveredOrganisations.map((o) => o.id) : null,
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
  organisationIds: number[] | null;
  offerId: number | null;
  staffGroup: string | null;
  organisations: OrganisationInfo[];
  offers: { id: number; slug: string; title: string; sensitive: boolean; active: boolean }[];
}

/** The four aggregate queries. Each is scoped by organisation in SQL. */
async function loadRawInsights(q: RawQuery): Promise<RawInsights> {
  const db = getDb();
  const rollupWhere = (table: string) => {
    const t = sql.raw(table);
    const parts: SQL[] = [sql`${t}.month between ${`${q.from}-01`}::date and ${`${q.to}-01`}::date`];
    if (q.organisationIds) parts.push(sql`${t}.organisation_id in (${sql.join(q.organisationIds.map((id) => sql`${id}`), sql`, `)})`);
    if (q.offerId !== null) parts.push(sql`${t}.offer_id = ${q.offerId}`);
    if (q.staffGroup !== null) parts.push(sql`${t}.staff_group = ${q.staffGroup}`);
    return sql.join(parts, sql` and `);
  };
  if (q.organisationIds && q.organisationIds.length === 0) throw new Error("insights: empty organisation scope");

  // Requests made in the period: [start of first month, start of the month after the last), London time.
  const periodStart = startOfLondonDay(`${q.from}-01`);
  const periodEnd = startOfLondonDay(`${addMonths(q.to, 1)}-01`);
  const openWhere: SQL[] = [
    sql`r.status in (${sql.join(OPEN_STATUSES.map((s) => sql`${s}`), sql`, `)})`,
    sql`r.submitted_at >= ${periodStart.toISOString()}::timestamptz and r.submitted_at < ${periodEnd.toISOString()}::timestamptz`,
  ];
  if (q.organisationIds) openWhere.push(sql`r.organisation_id in (${sql.join(q.organisationIds.map((id) => sql`${id}`), sql`, `)})`);
  if (q.offerId !== null) openWhere.push(sql`r.offer_id = ${q.offerId}`);
  if (q.staffGroup !== null) openWhere.push(sql`r.staff_group = ${q.staffGroup}`);

  type RequestsRow = {
    g: number;
    offer_id: number | null;
    month: string | null;
    organisation_id: number | null;
    staff_group: string | null;
    tenure_band: TenureBandValue | null;
    requests: number;
    rated: number;
    rating_sum: number;
  };
  const [requestRows, contactRows, outcomeRows, openRows] = await Promise.all([
    // One pass over the requests rollup for every breakdown (grouping() tells the sets apart).
    queryRows<RequestsRow>(
      db,
      sql`select grouping(offer_id, month, organisation_id, staff_group, tenure_band)::int as g,
                 offer_id, to_char(month, 'YYYY-MM') as month, organisation_id, staff_group, tenure_band,
                 sum(requests)::int as requests, sum(rated)::int as rated, sum(rating_sum)::int as rating_sum
          from insight_requests
          where ${rollupWhere("insight_requests")}
          group by grouping sets ((offer_id, month), (organisation_id), (staff_group), (tenure_band), (offer_id))`,
    ),
    queryRows<{ offer_id: number; working_days: number; within_target: boolean; requests: number }>(
      db,
      sql`select offer_id, working_days, within_target, sum(requests)::int as requests
          from insight_first_contact
          where ${rollupWhere("insight_first_contact")}
          group by offer_id, working_days, within_target`,
    ),
    queryRows<{ offer_id: number; outcome: CloseOutcomeValue; requests: number }>(
      db,
      sql`select offer_id, outcome, sum(requests)::int as requests
          from insight_outcomes
          where ${rollupWhere("insight_outcomes")}
          group by offer_id, outcome`,
    ),
    queryRows<{ offer_id: number; open: number; overdue: number }>(
      db,
      sql`select r.offer_id, count(*)::int as open,
                 (count(*) filter (where r.first_contact_at is null and r.paused_at is null
                                     and r.due_at < ${q.now.toISOString()}::timestamptz))::int as overdue
          from support_requests r
          where ${sql.join(openWhere, sql` and `)}
          group by r.offer_id`,
    ),
  ]);

  // Bits of grouping(offer_id, month, organisation_id, staff_group, tenure_band): 1 = rolled up.
  const SET = { offerMonth: 0b00111, organisation: 0b11011, staffGroup: 0b11101, tenure: 0b11110, offer: 0b01111 };
  const rows = (g: number) => requestRows.filter((r) => Number(r.g) === g);
  const withRequests = new Set(rows(SET.offer).filter((r) => Number(r.requests) > 0).map((r) => r.offer_id));
  const offers = q.offers
    .filter((o) => (q.offerId !== null ? o.id === q.offerId : o.active || withRequests.has(o.id)))
    .map(({ id, slug, title, sensitive }) => ({ id, slug, title, sensitive }));

  const monthsInPeriod: MonthKey[] = [];
  for (let m = q.from; m <= q.to; m = addMonths(m, 1)) monthsInPeriod.push(m);

  return {
    months: monthsInPeriod,
    offers,
    organisations: q.organisations,
    requestsByOfferMonth: rows(SET.offerMonth).map((r) => ({ offerId: Number(r.offer_id), month: r.month!, requests: Number(r.requests) })),
    requestsByOrganisation: rows(SET.organisation).map((r) => ({ organisationId: Number(r.organisation_id), requests: Number(r.requests) })),
    requestsByStaffGroup: rows(SET.staffGroup).map((r) => ({ staffGroup: r.staff_group!, requests: Number(r.requests) })),
    requestsByTenure: rows(SET.tenure).map((r) => ({ tenureBand: r.tenure_band!, requests: Number(r.requests) })),
    firstContact: contactRows.map((r) => ({
      offerId: Number(r.offer_id),
      workingDays: Number(r.working_days),
      withinTarget: r.within_target === true || (r.within_target as unknown) === "t",
      requests: Number(r.requests),
    })),
    openByOffer: openRows.map((r) => ({ offerId: Number(r.offer_id), open: Number(r.open), overdue: Number(r.overdue) })),
    outcomes: outcomeRows.map((r) => ({ offerId: Number(r.offer_id), outcome: r.outcome, requests: Number(r.requests) })),
    satisfaction: rows(SET.offer).map((r) => ({ offerId: Number(r.offer_id), rated: Number(r.rated), ratingSum: Number(r.rating_sum) })),
  };
}
