// Retention insights (issue 13 part 4, docs/decisions/036-retention-insights.md): aggregates only,
// scoped to the manager in the query itself through the one permission module (insightsScopeFor),
// published through the same disclosure control as /insights (ADR 008: the cell-key perturbation
// with each row's secret record key, suppression, rounding). No row, name, free text or record key
// leaves this module: only PublishedRetention.
import { asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { queryRows, unpreparedStatement } from "@db/client";
// Every figure statement here is unprepared (${unpreparedStatement}): its best plan depends on the
// period, and a generic plan of /insights' figures cost 20× (ADR 041, addendum "PostgreSQL prepares too").
import { getDb } from "@db/current";
import { organisations, organisationStaffGroupHeadcounts, supportOffers } from "@db/schema";
import type { CurrentUser } from "../auth/types";
import { insightsScopeFor, PermissionError } from "../permissions.server";
import { publishedPeriods } from "./insights.server";
import type { Tally } from "~/lib/insights/cell-key";
import { addMonths, periodLabel } from "~/lib/insights/publish";
import {
  publishRetention,
  retentionTables,
  type PublishedRetention,
  type RawRetention,
} from "~/lib/insights/retention";
import type { InsightsPeriod, InsightTable, MonthKey, OrganisationInfo } from "~/lib/insights/types";
import { STAY_OFFER_SLUG } from "~/lib/leaving";
import { OPEN_STATUSES } from "~/lib/request-status";
import { startOfLondonDay } from "~/lib/working-days";

export interface RetentionPageData {
  scope: { kind: "ics" } | { kind: "organisation"; organisation: OrganisationInfo };
  filters: {
    period: InsightsPeriod;
    filter: { kind: "all" } | { kind: "organisation"; slug: string };
  };
  options: {
    periods: { key: string; label: string; kind: InsightsPeriod["kind"] }[];
    /** The one filter: an organisation (ICS-wide managers only). */
    organisations: { slug: string; name: string }[];
  };
  errors: { field: "period" | "for"; message: string }[];
  published: PublishedRetention;
  /** e.g. "November 2024 to October 2025": what the headline compares with. */
  previousLabel: string | null;
  tables: InsightTable[];
  csvFileName: string;
}

/**
 * Everything /insights/retention and its CSV show, for the period and the one filter in the URL
 * (period: a key of publishedPeriods(); for: "organisation:<slug>"). PermissionError (403) when the
 * caller may not see insights, or when an organisation-scoped manager names another organisation.
 */
export async function loadRetentionPage(caller: CurrentUser, url: URL, now = new Date()): Promise<RetentionPageData> {
  const scope = insightsScopeFor(caller);
  const db = getDb();
  const params = url.searchParams;
  const errors: RetentionPageData["errors"] = [];

  const orgRows = await db
    .select({
      id: organisations.id,
      slug: organisations.slug,
      name: organisations.name,
      headcount: organisations.headcount,
      esrCode: organisations.esrCode,
    })
    .from(organisations)
    .where(scope.kind === "organisation" ? eq(organisations.id, scope.organisationId) : undefined)
    .orderBy(asc(organisations.name));
  if (scope.kind === "organisation" && orgRows.length === 0) throw new PermissionError();

  const periods = publishedPeriods(now);
  let period = periods[0]!;
  const periodValues = params.getAll("period").filter((v) => v !== "");
  if (periodValues.length > 0) {
    const found = periodValues.length === 1 ? periods.find((p) => p.key === periodValues[0]) : undefined;
    if (found) period = found;
    else errors.push({ field: "period", message: "Choose a period from the list" });
  }

  // The one filter: an organisation. A scoped manager's is always their own (another is 403).
  const forValues = params.getAll("for").filter((v) => v !== "");
  let organisation: (typeof orgRows)[number] | null = null;
  if (scope.kind === "organisation") {
    const own = orgRows[0]!;
    if (forValues.some((v) => v.startsWith("organisation:") && v.slice("organisation:".length) !== own.slug))
      throw new PermissionError();
    if (forValues.some((v) => !v.startsWith("organisation:")))
      errors.push({
        field: "for",
        message: `Your figures are for ${own.name} as a whole: they cannot be narrowed further`,
      });
    organisation = own;
  } else if (forValues.length > 1) {
    errors.push({ field: "for", message: "Choose one organisation" });
  } else if (forValues.length === 1) {
    const slug = forValues[0]!.startsWith("organisation:") ? forValues[0]!.slice("organisation:".length) : null;
    organisation = orgRows.find((o) => o.slug === slug) ?? null;
    if (!organisation) errors.push({ field: "for", message: "Choose an organisation from the list" });
  }

  // Leaver figures cover the organisations on ESR (with an ESR code), or the one chosen.
  const covered: OrganisationInfo[] = (organisation ? [organisation] : orgRows.filter((o) => o.esrCode !== null)).map(
    ({ id, slug, name, headcount }) => ({ id, slug, name, headcount }),
  );
  const [stayOffer] = await db
    .select({ id: supportOffers.id, sensitive: supportOffers.sensitive })
    .from(supportOffers)
    .where(eq(supportOffers.slug, STAY_OFFER_SLUG));
  // Staff in post by staff group over the covered organisations (set in /admin): the denominators
  // of turnover by staff group, only when every covered organisation has its breakdown set.
  const groupRows =
    covered.length === 0
      ? []
      : await db
          .select({
            organisationId: organisationStaffGroupHeadcounts.organisationId,
            staffGroup: organisationStaffGroupHeadcounts.staffGroup,
            headcount: organisationStaffGroupHeadcounts.headcount,
          })
          .from(organisationStaffGroupHeadcounts)
          .where(
            inArray(
              organisationStaffGroupHeadcounts.organisationId,
              covered.map((o) => o.id),
            ),
          );
  const withBreakdown = new Set(groupRows.map((r) => r.organisationId));
  const staffGroupHeadcounts = covered.every((o) => withBreakdown.has(o.id)) ? new Map<string, number>() : null;
  if (staffGroupHeadcounts)
    for (const r of groupRows)
      staffGroupHeadcounts.set(r.staffGroup, (staffGroupHeadcounts.get(r.staffGroup) ?? 0) + r.headcount);
  const query = {
    organisationId: scope.kind === "organisation" ? scope.organisationId : (organisation?.id ?? null),
    organisations: covered,
    staffGroupHeadcounts,
    stayOffer: stayOffer ?? null,
  };

  const months = monthsBetween(period.from, period.to);
  const previousFrom = addMonths(period.from, -months.length);
  const previousTo = addMonths(period.from, -1);
  const previousPeriod: InsightsPeriod = {
    key: `previous-${period.key}`,
    kind: period.kind,
    from: previousFrom,
    to: previousTo,
    label: periodLabel(previousFrom, previousTo),
  };
  const [raw, previousRaw] = await Promise.all([
    loadRawRetention({ ...query, from: period.from, to: period.to }),
    loadRawRetention({ ...query, from: previousFrom, to: previousTo }),
  ]);
  const published = publishRetention(raw, period, { raw: previousRaw, period: previousPeriod });
  const fileFilter = organisation && scope.kind === "ics" ? `${organisation.slug}-` : "";
  return {
    scope:
      scope.kind === "ics"
        ? { kind: "ics" }
        : {
            kind: "organisation",
            organisation: { id: orgRows[0]!.id, slug: orgRows[0]!.slug, name: orgRows[0]!.name, headcount: 0 },
          },
    filters: { period, filter: organisation ? { kind: "organisation", slug: organisation.slug } : { kind: "all" } },
    options: {
      periods: periods.map(({ key, label, kind }) => ({ key, label, kind })),
      organisations: scope.kind === "ics" ? orgRows.map((o) => ({ slug: o.slug, name: o.name })) : [],
    },
    errors,
    published,
    previousLabel: previousPeriod.label,
    tables: retentionTables(published, previousPeriod.label),
    csvFileName: `staywell-retention-${fileFilter}${period.from}-to-${period.to}.csv`,
  };
}

function monthsBetween(from: MonthKey, to: MonthKey): MonthKey[] {
  const out: MonthKey[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

function tally(n: number | string, key: number | string | null): Tally {
  return { n: Number(n), key: Number(key ?? 0) };
}

/** The first day of the month after `to`, as an ISO date (the exclusive end of a period). */
function endOf(to: MonthKey) {
  return `${addMonths(to, 1)}-01`;
}

interface RawQuery {
  from: MonthKey;
  to: MonthKey;
  /** null: every organisation (ICS-wide managers only). */
  organisationId: number | null;
  organisations: OrganisationInfo[];
  staffGroupHeadcounts: ReadonlyMap<string, number> | null;
  stayOffer: { id: number; sensitive: boolean } | null;
}

/**
 * Three queries in one snapshot: the period's ESR leavers (one pass over the covering index
 * esr_leavers_insight_idx, four groupings), its questionnaire answers (leaving_responses_insight_idx
 * and the choices' primary key) and its stay conversations (support_requests_offer_submitted_idx).
 * All scoped in SQL.
 */
async function loadRawRetention(q: RawQuery): Promise<RawRetention> {
  const byOrg = (column: SQL) => (q.organisationId !== null ? sql` and ${column} = ${q.organisationId}` : sql``);
  const start = `${q.from}-01`;
  const end = endOf(q.to);
  const submittedFrom = startOfLondonDay(start).toISOString();
  const submittedTo = startOfLondonDay(end).toISOString();
  const openStatuses = sql.join(
    OPEN_STATUSES.map((s) => sql`${s}`),
    sql`, `,
  );

  type LeaverRow = {
    month: string | null;
    organisation_id: number | null;
    staff_group: string | null;
    tenure_band: string | null;
    reason_group: string | null;
    age_band: string | null;
    age_column: string | null;
    n: number;
    k: number | string;
  };
  type CountRow = { dim: string; used?: boolean | string; n: number; k: number | string };
  const [leaverRows, destinationRows, keptRows, kindRows, standingRows, reasonRows, contactRows] =
    await getDb().transaction(
      (tx) =>
        Promise.all([
          queryRows<LeaverRow>(
            tx,
            sql`select ${unpreparedStatement}to_char(termination_date, 'YYYY-MM') as month, organisation_id, staff_group, tenure_band,
                 reason_group, age_band, age_column, count(*)::int as n, sum(record_key)::bigint as k
               from (
                 select termination_date, organisation_id, staff_group, tenure_band, reason_group, age_band, record_key,
                   case when reason_group <> 'retirement' then reason_group
                        when reason = 'Retirement Age' then 'retirement_age'
                        else 'retirement_early_flexible' end as age_column
                 from esr_leavers
                 where termination_date >= ${start}::date and termination_date < ${end}::date${byOrg(sql`organisation_id`)}
               ) l
               group by grouping sets (
                 (to_char(termination_date, 'YYYY-MM'), organisation_id), (staff_group), (tenure_band, reason_group),
                 (age_band, age_column)
               )`,
          ),
          queryRows<CountRow>(
            tx,
            sql`select ${unpreparedStatement}destination as dim, used_support as used, count(*)::int as n, sum(record_key)::bigint as k
               from leaving_responses
               where leaving_date >= ${start}::date and leaving_date < ${end}::date${byOrg(sql`organisation_id`)}
               group by destination, used_support`,
          ),
          queryRows<CountRow>(
            tx,
            sql`select ${unpreparedStatement}c.value as dim, r.used_support as used, count(*)::int as n, sum(r.record_key)::bigint as k
               from leaving_responses r
               join leaving_response_choices c on c.response_id = r.id and c.question = 'kept'
               where r.leaving_date >= ${start}::date and r.leaving_date < ${end}::date${byOrg(sql`r.organisation_id`)}
               group by c.value, r.used_support`,
          ),
          queryRows<CountRow>(
            tx,
            sql`select ${unpreparedStatement}kind as dim, count(*)::int as n, sum(record_key)::bigint as k
               from (
                 select distinct r.id, r.record_key, o.category as kind
                 from leaving_responses r
                 join leaving_response_choices c on c.response_id = r.id and c.question = 'support_used'
                 join support_offers o on o.id = c.offer_id
                 where r.leaving_date >= ${start}::date and r.leaving_date < ${end}::date${byOrg(sql`r.organisation_id`)}
               ) used
               group by kind`,
          ),
          q.stayOffer
            ? queryRows<CountRow>(
                tx,
                sql`select ${unpreparedStatement}case when r.retention_outcome is not null then r.retention_outcome::text
                               when r.status in (${openStatuses}) then 'open' else 'no_outcome' end as dim,
                       count(*)::int as n, sum(r.record_key)::bigint as k
                   from support_requests r
                   where r.offer_id = ${q.stayOffer.id}
                     and r.submitted_at >= ${submittedFrom}::timestamptz and r.submitted_at < ${submittedTo}::timestamptz
                     ${byOrg(sql`r.organisation_id`)}
                   group by 1`,
              )
            : Promise.resolve([] as CountRow[]),
          q.stayOffer
            ? queryRows<CountRow>(
                tx,
                sql`select ${unpreparedStatement}a.answer as dim, count(*)::int as n, sum(r.record_key)::bigint as k
                   from support_requests r
                   join stay_conversation_answers a on a.request_id = r.id and a.question = 'leavingReasons'
                   where r.offer_id = ${q.stayOffer.id}
                     and r.submitted_at >= ${submittedFrom}::timestamptz and r.submitted_at < ${submittedTo}::timestamptz
                     ${byOrg(sql`r.organisation_id`)}
                   group by a.answer`,
              )
            : Promise.resolve([] as CountRow[]),
          q.stayOffer
            ? queryRows<{ days: number; n: number }>(
                tx,
                sql`select ${unpreparedStatement}r.first_contact_working_days as days, count(*)::int as n
                   from support_requests r
                   where r.offer_id = ${q.stayOffer.id} and r.first_contact_working_days is not null
                     and r.submitted_at >= ${submittedFrom}::timestamptz and r.submitted_at < ${submittedTo}::timestamptz
                     ${byOrg(sql`r.organisation_id`)}
                   group by 1`,
              )
            : Promise.resolve([] as { days: number; n: number }[]),
        ]),
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );

  const isTrue = (v: unknown) => v === true || v === "t" || v === "true";
  return {
    months: monthsBetween(q.from, q.to),
    organisations: q.organisations,
    staffGroupHeadcounts: q.staffGroupHeadcounts,
    leavers: {
      byOrganisationMonth: leaverRows
        .filter((r) => r.month !== null && r.organisation_id !== null)
        .map((r) => ({ organisationId: Number(r.organisation_id), month: r.month!, t: tally(r.n, r.k) })),
      byStaffGroup: leaverRows
        .filter((r) => r.staff_group !== null)
        .map((r) => ({ staffGroup: r.staff_group!, t: tally(r.n, r.k) })),
      byTenureReason: leaverRows
        .filter((r) => r.tenure_band !== null && r.reason_group !== null)
        .map((r) => ({ tenureBand: r.tenure_band!, reasonGroup: r.reason_group!, t: tally(r.n, r.k) })),
      byAgeColumn: leaverRows
        .filter((r) => r.age_band !== null && r.age_column !== null)
        .map((r) => ({ ageBand: r.age_band!, column: r.age_column!, t: tally(r.n, r.k) })),
    },
    questionnaire: {
      byDestination: destinationRows.map((r) => ({
        destination: r.dim,
        usedSupport: isTrue(r.used),
        t: tally(r.n, r.k),
      })),
      kept: keptRows.map((r) => ({ value: r.dim, usedSupport: isTrue(r.used), t: tally(r.n, r.k) })),
      supportKinds: kindRows.map((r) => ({ kind: r.dim, t: tally(r.n, r.k) })),
    },
    stay: {
      sensitive: q.stayOffer?.sensitive ?? true,
      byStanding: standingRows.map((r) => ({ standing: r.dim, t: tally(r.n, r.k) })),
      byReason: reasonRows.map((r) => ({ reason: r.dim, t: tally(r.n, r.k) })),
      firstContactDays: contactRows.map((r) => ({ workingDays: Number(r.days), requests: Number(r.n) })),
    },
  };
}
