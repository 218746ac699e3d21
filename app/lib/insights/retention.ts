// Retention insights (issue 13 part 4, docs/decisions/036-retention-insights.md): who left, why and
// when in their service (ESR leavers), what leavers told the questionnaire, and how stay
// conversations ended. The same disclosure control as /insights (ADR 008): every count is a Tally
// (count and the sum of its records' secret keys), perturbed by its cell key, suppressed when small
// with secondary suppression inside each table, and rounded to 5 where it covers a confidential
// offer; statistics only at the precision shown and only from published counts or 8+ records.
// Pure: no I/O. The page, its charts and the CSV are all drawn from PublishedRetention.
import { addTally, EMPTY_TALLY, perturbedCount, sumTallies, type Tally } from "./cell-key";
import {
  countFigure,
  isPrimarySuppression,
  percentileOf,
  publishLine,
  publishTable,
  shortMonthLabel,
  statFigure,
  SUPPRESSED,
} from "./publish";
import { MIN_BASE } from "./suppression";
import type { Figure, InsightsPeriod, InsightTable, MonthKey, OrganisationInfo } from "./types";
import {
  ESR_AGE_BANDS,
  LEAVER_TENURE_BANDS,
  LEAVING_DESTINATIONS,
  LEAVING_KEPT_OPTIONS,
  LEAVING_REASON_GROUPS,
  RETENTION_OUTCOMES,
  STAY_LEAVING_REASONS,
} from "../leaving";
import { STAFF_GROUPS } from "../staff-groups";

/** A section (leavers, questionnaire, stay conversations) is shown only from this many, as published. */
export const MIN_SECTION_TOTAL = 20;

/** How this page's figures are protected, in its own words (the /insights sentences speak of requests). */
export const RETENTION_SUPPRESSION_SENTENCE =
  "To protect privacy, counts of leavers, questionnaire answers and stay conversations from 1 to 7 are shown as *, " +
  "as are figures that would let one be worked out. Stay conversations are confidential support, so their counts " +
  `are rounded to the nearest 5. Rates and percentages are worked out only from the counts shown, and not from fewer than ${MIN_BASE}; ` +
  `a section with fewer than ${MIN_SECTION_TOTAL} in it is not shown.`;

export const RETENTION_PERTURBATION_SENTENCE =
  "To stop figures being worked out by comparing pages, each count is adjusted by a small amount (usually 0 or 1, " +
  "never more than 5) that is always the same for the same leavers, answers or conversations, so totals may not add up exactly.";

export const RETENTION_PERIOD_SENTENCE =
  "Leavers are counted by termination date, questionnaire answers by leaving date, and stay conversations by the " +
  "date they were asked for, with their outcome as of today.";

export const RETENTION_SENTENCES = [
  RETENTION_SUPPRESSION_SENTENCE,
  RETENTION_PERTURBATION_SENTENCE,
  RETENTION_PERIOD_SENTENCE,
] as const;

/**
 * The columns of the age-band table: the reason groups, with retirement split into retirement at
 * pension age and early or flexible retirement (ill-health retirement counts under health, as in
 * app/lib/leaving.ts).
 */
export const AGE_TABLE_COLUMNS = [
  ...LEAVING_REASON_GROUPS.filter((g) => g.value !== "retirement").map((g) => ({ value: g.value, label: g.label })),
  { value: "retirement_age", label: "Retirement at pension age" },
  { value: "retirement_early_flexible", label: "Early or flexible retirement" },
] as const;

/** Where a stay conversation stands: its retention outcome, or still open, or ended without one. */
export const STAY_STANDING = [
  ...RETENTION_OUTCOMES.map((o) => ({ value: o.value as string, label: o.label })),
  { value: "open", label: "Still open" },
  { value: "no_outcome", label: "Withdrawn or closed without an outcome" },
] as const;

const RETAINED = new Set<string>(RETENTION_OUTCOMES.filter((o) => o.retained).map((o) => o.value));

/** Counts from SQL, each with its key sum: never shown as they are, never sent to a browser. */
export interface RawRetention {
  months: MonthKey[];
  /** The organisations the leaver figures cover (those on ESR, within scope), in name order. */
  organisations: OrganisationInfo[];
  /**
   * Staff in post by staff group, summed over those organisations (set in /admin); null when any of
   * them has no breakdown set (turnover by staff group is then not shown). Public, not a count.
   */
  staffGroupHeadcounts: ReadonlyMap<string, number> | null;
  leavers: {
    byOrganisationMonth: { organisationId: number; month: MonthKey; t: Tally }[];
    byStaffGroup: { staffGroup: string; t: Tally }[];
    byTenureReason: { tenureBand: string; reasonGroup: string; t: Tally }[];
    byAgeColumn: { ageBand: string; column: string; t: Tally }[];
  };
  questionnaire: {
    byDestination: { destination: string; usedSupport: boolean; t: Tally }[];
    kept: { value: string; usedSupport: boolean; t: Tally }[];
    /** Responses that had used support of each kind (offer category), each response once per kind. */
    supportKinds: { kind: string; t: Tally }[];
  };
  stay: {
    /** Whether the stay-conversation offer is confidential (its counts are then rounded to 5). */
    sensitive: boolean;
    byStanding: { standing: string; t: Tally }[];
    byReason: { reason: string; t: Tally }[];
    firstContactDays: { workingDays: number; requests: number }[];
  };
}

export interface HeadlineFigure {
  key: "leavers" | "turnover" | "first-year" | "retained";
  label: string;
  figure: Figure;
  /** The same figure for the previous period, as that period's page publishes it. */
  previous: Figure;
  /** e.g. "up 12 from 1,010", "down 1.5 points": null when either is not published. */
  change: string | null;
}

export interface PublishedRetention {
  period: InsightsPeriod;
  months: { key: MonthKey; label: string }[];
  headline: HeadlineFigure[];
  /** null: too few leavers to publish (the page says so). */
  leavers: {
    total: Figure;
    monthTotals: Figure[];
    byOrganisation: {
      rows: { organisation: OrganisationInfo; cells: Figure[]; total: Figure; per100: Figure }[];
      per100: Figure;
      headcount: number;
    };
    byStaffGroup: {
      rows: { value: string; label: string; leavers: Figure; headcount: number | null; per100: Figure }[];
      total: Figure;
      /** Staff in post over the groups (null: not set for every organisation covered). */
      headcount: number | null;
      per100: Figure;
    };
    tenure: {
      columns: { value: string; label: string }[];
      rows: { value: string; label: string; cells: Figure[]; total: Figure }[];
      columnTotals: Figure[];
      total: Figure;
    };
    age: {
      columns: { value: string; label: string }[];
      rows: { value: string; label: string; cells: Figure[]; total: Figure }[];
      columnTotals: Figure[];
      total: Figure;
    };
  } | null;
  questionnaire: {
    total: Figure;
    usedLabels: [string, string];
    responses: [Figure, Figure];
    destinations: { rows: { value: string; label: string; cells: [Figure, Figure]; total: Figure }[] };
    kept: { rows: { value: string; label: string; cells: [Figure, Figure]; total: Figure }[] };
    supportKinds: { rows: { value: string; label: string; responses: Figure }[] };
  } | null;
  stay: {
    total: Figure;
    byStanding: { rows: { value: string; label: string; requests: Figure }[] };
    retained: Figure;
    concluded: Figure;
    retainedPercent: Figure;
    medianDaysToFirstContact: Figure;
    byReason: { rows: { value: string; label: string; requests: Figure }[] };
  } | null;
}

const integer = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
/** A staff group's headcount: "Not set" when an organisation covered has no breakdown in /admin. */
const headcountText = (n: number | null) => (n === null ? "Not set" : integer.format(n));
const oneDecimal = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function sectionShown(total: Tally): boolean {
  return perturbedCount(total) >= MIN_SECTION_TOTAL;
}

/** A percentage of two PUBLISHED figures: nothing is given back that the page does not show. */
function percentOf(part: Figure, whole: Figure): Figure {
  if (part.value === null || whole.value === null || whole.value < MIN_BASE) return SUPPRESSED;
  return statFigure((100 * part.value) / whole.value, whole.value, 0, "%");
}

/** A rate with no denominator: the staff-group headcounts are not set (not a suppressed figure). */
const NOT_SET: Figure = { value: null, text: "Not set", suppressed: false, rounded: false };

/** The body of a retention page for one period (no headline: see publishRetention). */
function publishBody(raw: RawRetention, period: InsightsPeriod): Omit<PublishedRetention, "headline"> {
  // ---- leavers (ESR) ------------------------------------------------------------------------
  const monthIndex = new Map(raw.months.map((m, i) => [m, i]));
  const orgIndex = new Map(raw.organisations.map((o, i) => [o.id, i]));
  const orgMonth: Tally[][] = raw.organisations.map(() => raw.months.map(() => EMPTY_TALLY));
  for (const r of raw.leavers.byOrganisationMonth) {
    const o = orgIndex.get(r.organisationId);
    const m = monthIndex.get(r.month);
    if (o !== undefined && m !== undefined) orgMonth[o]![m] = addTally(orgMonth[o]![m]!, r.t);
  }
  const leaversTotal = sumTallies(orgMonth.flat());
  let leavers: PublishedRetention["leavers"] = null;
  if (sectionShown(leaversTotal)) {
    const trend = publishTable(
      orgMonth,
      raw.months.length,
      () => false,
      false,
      raw.organisations.map(() => false),
    );
    const headcount = raw.organisations.reduce((n, o) => n + o.headcount, 0);
    const per100 = (f: Figure, staff: number) =>
      f.value === null || staff <= 0 ? SUPPRESSED : statFigure((100 * f.value) / staff, MIN_BASE, 1);

    const groupTallies = STAFF_GROUPS.map((g) =>
      sumTallies(raw.leavers.byStaffGroup.filter((r) => r.staffGroup === g.value).map((r) => r.t)),
    );
    const groups = publishLine(groupTallies, () => false, false);
    const groupHeadcount = raw.staffGroupHeadcounts
      ? [...raw.staffGroupHeadcounts.values()].reduce((n, h) => n + h, 0)
      : null;

    const tenureColumns = LEAVING_REASON_GROUPS.map((g) => ({ value: g.value as string, label: g.label as string }));
    const tenureCells = LEAVER_TENURE_BANDS.map((b) =>
      tenureColumns.map((c) =>
        sumTallies(
          raw.leavers.byTenureReason
            .filter((r) => r.tenureBand === b.value && r.reasonGroup === c.value)
            .map((r) => r.t),
        ),
      ),
    );
    const tenure = publishTable(
      tenureCells,
      tenureColumns.length,
      () => false,
      false,
      tenureCells.map(() => false),
    );

    const ageColumns = AGE_TABLE_COLUMNS.map((c) => ({ value: c.value as string, label: c.label as string }));
    const ageCells = ESR_AGE_BANDS.map((band) =>
      ageColumns.map((c) =>
        sumTallies(raw.leavers.byAgeColumn.filter((r) => r.ageBand === band && r.column === c.value).map((r) => r.t)),
      ),
    );
    const age = publishTable(
      ageCells,
      ageColumns.length,
      () => false,
      false,
      ageCells.map(() => false),
    );

    leavers = {
      total: trend.grandTotal,
      monthTotals: trend.colTotals,
      byOrganisation: {
        rows: raw.organisations.map((organisation, i) => ({
          organisation,
          cells: trend.cells[i]!,
          total: trend.rowTotals[i]!,
          per100: per100(trend.rowTotals[i]!, organisation.headcount),
        })),
        per100: per100(trend.grandTotal, headcount),
        headcount,
      },
      byStaffGroup: {
        // Rates from the published counts only, as by organisation.
        rows: STAFF_GROUPS.map((g, i) => {
          const staff = raw.staffGroupHeadcounts ? (raw.staffGroupHeadcounts.get(g.value) ?? 0) : null;
          return {
            value: g.value,
            label: g.label,
            leavers: groups.parts[i]!,
            headcount: staff,
            per100: staff === null ? NOT_SET : per100(groups.parts[i]!, staff),
          };
        }),
        total: groups.total,
        headcount: groupHeadcount,
        per100: groupHeadcount === null ? NOT_SET : per100(groups.total, groupHeadcount),
      },
      tenure: {
        columns: tenureColumns,
        rows: LEAVER_TENURE_BANDS.map((b, i) => ({
          value: b.value,
          label: b.label,
          cells: tenure.cells[i]!,
          total: tenure.rowTotals[i]!,
        })),
        columnTotals: tenure.colTotals,
        total: tenure.grandTotal,
      },
      age: {
        columns: ageColumns,
        rows: ESR_AGE_BANDS.map((band, i) => ({
          value: band,
          label: band.replace("<=20 Years", "20 or under").replace(">=71 Years", "71 or over"),
          cells: age.cells[i]!,
          total: age.rowTotals[i]!,
        })),
        columnTotals: age.colTotals,
        total: age.grandTotal,
      },
    };
  }

  // ---- the leaving questionnaire -------------------------------------------------------------
  const destCells = LEAVING_DESTINATIONS.map((d) =>
    [true, false].map((used) =>
      sumTallies(
        raw.questionnaire.byDestination
          .filter((r) => r.destination === d.value && r.usedSupport === used)
          .map((r) => r.t),
      ),
    ),
  );
  const responsesTotal = sumTallies(destCells.flat());
  let questionnaire: PublishedRetention["questionnaire"] = null;
  if (sectionShown(responsesTotal)) {
    const dest = publishTable(
      destCells,
      2,
      () => false,
      false,
      destCells.map(() => false),
    );
    // Several answers each: the column sums are not people, so they are never shown (only the
    // destination table's column totals, the responses, are).
    const keptCells = LEAVING_KEPT_OPTIONS.map((k) =>
      [true, false].map((used) =>
        sumTallies(raw.questionnaire.kept.filter((r) => r.value === k.value && r.usedSupport === used).map((r) => r.t)),
      ),
    );
    const kept = publishTable(
      keptCells,
      2,
      () => false,
      false,
      keptCells.map(() => false),
    );
    const kinds = [...new Set(raw.questionnaire.supportKinds.map((r) => r.kind))].sort();
    // Which kind of support a leaver had used may touch confidential support: rounded to 5.
    const kindLine = publishLine(
      kinds.map((k) => sumTallies(raw.questionnaire.supportKinds.filter((r) => r.kind === k).map((r) => r.t))),
      () => true,
      true,
    );
    questionnaire = {
      total: dest.grandTotal,
      usedLabels: ["Had used StayWell support", "Had not used StayWell support"],
      responses: [dest.colTotals[0]!, dest.colTotals[1]!],
      destinations: {
        rows: LEAVING_DESTINATIONS.map((d, i) => ({
          value: d.value,
          label: d.label,
          cells: [dest.cells[i]![0]!, dest.cells[i]![1]!],
          total: dest.rowTotals[i]!,
        })),
      },
      kept: {
        rows: LEAVING_KEPT_OPTIONS.map((k, i) => ({
          value: k.value,
          label: k.label,
          cells: [kept.cells[i]![0]!, kept.cells[i]![1]!],
          total: kept.rowTotals[i]!,
        })),
      },
      supportKinds: { rows: kinds.map((k, i) => ({ value: k, label: k, responses: kindLine.parts[i]! })) },
    };
  }

  // ---- stay conversations --------------------------------------------------------------------
  const sensitive = raw.stay.sensitive;
  const standingTallies = STAY_STANDING.map((s) =>
    sumTallies(raw.stay.byStanding.filter((r) => r.standing === s.value).map((r) => r.t)),
  );
  const stayTotal = sumTallies(standingTallies);
  let stay: PublishedRetention["stay"] = null;
  if (sectionShown(stayTotal)) {
    const standing = publishLine(standingTallies, () => sensitive, sensitive);
    const retainedTally = sumTallies(
      STAY_STANDING.flatMap((s, i) => (RETAINED.has(s.value) ? [standingTallies[i]!] : [])),
    );
    const concludedTally = sumTallies(
      STAY_STANDING.flatMap((s, i) =>
        RETENTION_OUTCOMES.some((o) => o.value === s.value) ? [standingTallies[i]!] : [],
      ),
    );
    // Their own record sets, perturbed and suppressed like any count; the rate from the published pair.
    const retained = countFigure(retainedTally, isPrimarySuppression(retainedTally), sensitive);
    const concluded = countFigure(concludedTally, isPrimarySuppression(concludedTally), sensitive);
    const reasons = publishLine(
      STAY_LEAVING_REASONS.map((r) =>
        sumTallies(raw.stay.byReason.filter((x) => x.reason === r.value).map((x) => x.t)),
      ),
      () => sensitive,
      sensitive,
    );
    const histogram = new Map<number, number>();
    for (const r of raw.stay.firstContactDays)
      histogram.set(r.workingDays, (histogram.get(r.workingDays) ?? 0) + r.requests);
    const contacted = [...histogram.values()].reduce((a, b) => a + b, 0);
    stay = {
      total: standing.total,
      byStanding: {
        rows: STAY_STANDING.map((s, i) => ({ value: s.value, label: s.label, requests: standing.parts[i]! })),
      },
      retained,
      concluded,
      retainedPercent: percentOf(retained, concluded),
      medianDaysToFirstContact: standing.total.suppressed
        ? SUPPRESSED
        : statFigure(percentileOf(histogram, 0.5), contacted, 0),
      byReason: {
        rows: STAY_LEAVING_REASONS.map((r, i) => ({ value: r.value, label: r.label, requests: reasons.parts[i]! })),
      },
    };
  }

  return {
    period,
    months: raw.months.map((key) => ({ key, label: shortMonthLabel(key) })),
    leavers,
    questionnaire,
    stay,
  };
}

type Body = Omit<PublishedRetention, "headline">;

/** The four figures that matter most, from a page body (published values only). */
function headlineValues(body: Body): Record<HeadlineFigure["key"], Figure> {
  const l = body.leavers;
  const firstYear = l ? l.tenure.rows.slice(0, 4).map((r) => r.total) : [];
  const firstYearSum: Figure =
    l && firstYear.every((f) => f.value !== null)
      ? (() => {
          const v = firstYear.reduce((n, f) => n + f.value!, 0);
          return { value: v, text: integer.format(v), suppressed: false, rounded: false };
        })()
      : SUPPRESSED;
  return {
    leavers: l ? l.total : SUPPRESSED,
    turnover: l ? l.byOrganisation.per100 : SUPPRESSED,
    "first-year": l ? percentOf(firstYearSum, l.tenure.total) : SUPPRESSED,
    retained: body.stay ? body.stay.retainedPercent : SUPPRESSED,
  };
}

const HEADLINE_LABELS: Record<HeadlineFigure["key"], string> = {
  leavers: "Leavers (ESR)",
  turnover: "Leavers per 100 staff (headcount)",
  "first-year": "Leavers in their first year",
  retained: "Stay conversations: stayed or moved within the ICS",
};

function changeText(key: HeadlineFigure["key"], now: Figure, before: Figure): string | null {
  if (now.value === null || before.value === null) return null;
  const diff = Math.round((now.value - before.value) * 10) / 10;
  const unit = key === "first-year" || key === "retained" ? " points" : "";
  const amount = key === "turnover" ? oneDecimal.format(Math.abs(diff)) : integer.format(Math.abs(diff));
  if (diff === 0) return `no change from ${before.text}`;
  return `${diff > 0 ? "up" : "down"} ${amount}${unit} from ${before.text}`;
}

/**
 * The published retention page: the period's figures, and a headline comparing the four that matter
 * most with the previous period of the same length (as that period's own page publishes them).
 */
export function publishRetention(
  raw: RawRetention,
  period: InsightsPeriod,
  previous: { raw: RawRetention; period: InsightsPeriod } | null,
): PublishedRetention {
  const body = publishBody(raw, period);
  const now = headlineValues(body);
  const before = previous ? headlineValues(publishBody(previous.raw, previous.period)) : null;
  const headline = (Object.keys(HEADLINE_LABELS) as HeadlineFigure["key"][]).map((key) => ({
    key,
    label: HEADLINE_LABELS[key],
    figure: now[key],
    previous: before ? before[key] : SUPPRESSED,
    change: before ? changeText(key, now[key], before[key]) : null,
  }));
  return { ...body, headline };
}

// ---------------------------------------------------------------------------------------------
// the data tables (beside the charts, and the CSV, in this order)

const text = (f: Figure) => f.text;

export function retentionTables(p: PublishedRetention, previousLabel: string | null): InsightTable[] {
  const tables: InsightTable[] = [
    {
      id: "table-retention-headline",
      caption: "The four figures that matter most",
      rowHeader: "Figure",
      columns: ["This period", previousLabel ? `Previous period (${previousLabel})` : "Previous period"],
      rows: p.headline.map((h) => ({ label: h.label, cells: [h.figure.text, h.previous.text] })),
    },
  ];
  const l = p.leavers;
  if (l) {
    tables.push(
      {
        id: "table-leavers-month",
        caption: "Leavers by month and organisation",
        rowHeader: "Month",
        columns: [...l.byOrganisation.rows.map((r) => r.organisation.name), "All organisations"],
        rows: [
          ...p.months.map((m, c) => ({
            label: m.label,
            cells: [...l.byOrganisation.rows.map((r) => r.cells[c]!.text), l.monthTotals[c]!.text],
          })),
          { label: "Total", cells: [...l.byOrganisation.rows.map((r) => r.total.text), l.total.text], isTotal: true },
        ],
      },
      {
        id: "table-leavers-organisation",
        caption: "Leavers by organisation, per 100 staff (headcount)",
        rowHeader: "Organisation",
        columns: ["Leavers", "Staff (headcount)", "Leavers per 100 staff"],
        rows: [
          ...l.byOrganisation.rows.map((r) => ({
            label: r.organisation.name,
            cells: [r.total.text, integer.format(r.organisation.headcount), r.per100.text],
          })),
          {
            label: "Total",
            cells: [l.total.text, integer.format(l.byOrganisation.headcount), l.byOrganisation.per100.text],
            isTotal: true,
          },
        ],
      },
      {
        id: "table-leavers-staff-group",
        caption: "Leavers by staff group, per 100 staff (headcount)",
        rowHeader: "Staff group",
        columns: ["Leavers", "Staff (headcount)", "Leavers per 100 staff"],
        rows: [
          ...l.byStaffGroup.rows.map((r) => ({
            label: r.label,
            cells: [r.leavers.text, headcountText(r.headcount), r.per100.text],
          })),
          {
            label: "Total",
            cells: [l.byStaffGroup.total.text, headcountText(l.byStaffGroup.headcount), l.byStaffGroup.per100.text],
            isTotal: true,
          },
        ],
      },
      {
        id: "table-leavers-tenure",
        caption: "Reasons for leaving by length of service",
        rowHeader: "Length of service",
        columns: [...l.tenure.columns.map((c) => c.label), "All reasons"],
        rows: [
          ...l.tenure.rows.map((r) => ({ label: r.label, cells: [...r.cells.map(text), r.total.text] })),
          { label: "Total", cells: [...l.tenure.columnTotals.map(text), l.tenure.total.text], isTotal: true },
        ],
      },
      {
        id: "table-leavers-age",
        caption: "Reasons for leaving by age band",
        rowHeader: "Age band",
        columns: [...l.age.columns.map((c) => c.label), "All reasons"],
        rows: [
          ...l.age.rows.map((r) => ({ label: r.label, cells: [...r.cells.map(text), r.total.text] })),
          { label: "Total", cells: [...l.age.columnTotals.map(text), l.age.total.text], isTotal: true },
        ],
      },
    );
  }
  const q = p.questionnaire;
  if (q) {
    tables.push(
      {
        id: "table-questionnaire-destination",
        caption: "Where leavers went, by whether they had used StayWell support",
        rowHeader: "Where they went",
        columns: [...q.usedLabels, "All responses"],
        rows: [
          ...q.destinations.rows.map((r) => ({ label: r.label, cells: [...r.cells.map(text), r.total.text] })),
          { label: "Total", cells: [...q.responses.map(text), q.total.text], isTotal: true },
        ],
      },
      {
        id: "table-questionnaire-kept",
        caption: "What would have kept them, by whether they had used StayWell support (several answers each)",
        rowHeader: "What would have kept them",
        columns: [...q.usedLabels, "All responses"],
        rows: [
          ...q.kept.rows.map((r) => ({ label: r.label, cells: [...r.cells.map(text), r.total.text] })),
          { label: "Responses", cells: [...q.responses.map(text), q.total.text], isTotal: true },
        ],
      },
      {
        id: "table-questionnaire-support",
        caption: "Which kind of StayWell support leavers had used (several answers each)",
        rowHeader: "Kind of support",
        columns: ["Responses"],
        rows: q.supportKinds.rows.map((r) => ({ label: r.label, cells: [r.responses.text] })),
      },
    );
  }
  const s = p.stay;
  if (s) {
    tables.push(
      {
        id: "table-stay-outcomes",
        caption: "Stay conversations: where they stand now",
        rowHeader: "Outcome",
        columns: ["Stay conversations"],
        rows: [
          ...s.byStanding.rows.map((r) => ({ label: r.label, cells: [r.requests.text] })),
          { label: "Total", cells: [s.total.text], isTotal: true },
        ],
      },
      {
        id: "table-stay-retained",
        caption: "Stay conversations: how many stayed or moved within the ICS, and how soon they were contacted",
        rowHeader: "Figure",
        columns: ["Value"],
        rows: [
          { label: "Stayed in role, or moved within the organisation or the ICS", cells: [s.retained.text] },
          { label: "With a retention outcome", cells: [s.concluded.text] },
          { label: "Stayed or moved within the ICS (percentage)", cells: [s.retainedPercent.text] },
          { label: "Median working days from request to first contact", cells: [s.medianDaysToFirstContact.text] },
        ],
      },
      {
        id: "table-stay-reasons",
        caption: "Stay conversations: what was making people think about leaving (several answers each)",
        rowHeader: "Reason",
        columns: ["Stay conversations"],
        rows: s.byReason.rows.map((r) => ({ label: r.label, cells: [r.requests.text] })),
      },
    );
  }
  return tables;
}
