// From raw aggregates to what may be shown (ADR 008): every count perturbed by its cell key, so the
// same set of requests reads the same everywhere and differences across pages no longer give true
// counts; counts 1-7 (and counts whose perturbed value is 7 or less) suppressed, with secondary
// suppression so none can be worked out from totals on the same page; counts covering a sensitive
// offer rounded to the nearest 5; statistics from fewer than 8 requests suppressed, the others
// rounded to the precision shown. Pure: no I/O.
//
// How the page's numbers hang together (and so what secondary suppression must protect):
//   - trend: offers × months with offer totals, month totals and the grand total N (a 2-way table);
//   - by organisation, by staff group, by tenure band: each a line of parts summing to the same N;
//   - where those requests stand now: offers × (five outcomes, withdrawn, open, overdue), whose row
//     totals are the trend's offer totals: the two tables are suppressed together (a row total
//     hidden in one is hidden and protected in the other), or "requests minus outcomes" would
//     give back a hidden open or withdrawn count;
//   - ratings by offer: a line summing to all ratings.
// N is suppressed only when it is itself 1-7 (then every part is too), so the lines are linked
// only through a published constant and can be protected one by one.
import type { TenureBandValue } from "@db/schema";
import { CLOSE_OUTCOMES, type CloseOutcome } from "~/lib/request-status";
import { STAFF_GROUPS } from "~/lib/staff-groups";
import { TENURE_BANDS } from "./facts";
import { addTally, EMPTY_TALLY, perturbedCount, subtractTally, sumTallies, type Tally } from "./cell-key";
import { isSmall, MIN_BASE, roundToFive, SMALL_MAX, suppressLine, suppressTable } from "./suppression";
import type { Figure, InsightsPeriod, MonthKey, OfferInfo, PublishedInsights, RawInsights } from "./types";

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

/** "2026-03" + n months. */
export function addMonths(month: MonthKey, n: number): MonthKey {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** "2026-03" → "March 2026" */
export function monthLabel(month: MonthKey): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return `${MONTH_NAMES[m - 1]} ${y}`;
}

/** "2026-03" → "Mar 2026" */
export function shortMonthLabel(month: MonthKey): string {
  return monthLabel(month).replace(/^(\w{3})\w*/, "$1");
}

export function periodLabel(from: MonthKey, to: MonthKey): string {
  return from === to ? monthLabel(from) : `${monthLabel(from)} to ${monthLabel(to)}`;
}

const integer = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export const SUPPRESSED: Figure = { value: null, text: "*", suppressed: true, rounded: false };

/** A count that must be hidden on its own account: 1-7, or published (perturbed) as 7 or less. */
export function isPrimarySuppression(t: Tally): boolean {
  return t.n > 0 && (isSmall(t.n) || perturbedCount(t) <= SMALL_MAX);
}

/**
 * A count as published: "*" when suppressed; otherwise perturbed by its cell key (the same set of
 * requests always reads the same), then rounded to 5 when it covers a sensitive offer.
 */
export function countFigure(t: Tally, suppressed: boolean, sensitive: boolean): Figure {
  if (suppressed) return SUPPRESSED;
  const perturbed = perturbedCount(t);
  const shown = sensitive ? roundToFive(perturbed) : perturbed;
  return { value: shown, text: integer.format(shown), suppressed: false, rounded: sensitive };
}

/**
 * A statistic, published only at the precision it is shown with (so no denominator can be worked
 * back from it), and only from MIN_BASE requests or more.
 */
export function statFigure(value: number | null, base: number, decimals: 0 | 1, suffix = ""): Figure {
  if (value === null || base < MIN_BASE) return SUPPRESSED;
  const rounded = decimals === 0 ? Math.round(value) : Math.round(value * 10) / 10;
  const text = (decimals === 0 ? integer.format(rounded) : oneDecimal.format(rounded)) + suffix;
  return { value: rounded, text, suppressed: false, rounded: false };
}

/** percentile_disc over a histogram: the smallest value whose cumulative count reaches p of all. */
export function percentileOf(histogram: Map<number, number>, p: number): number | null {
  const total = [...histogram.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  let cumulative = 0;
  for (const value of [...histogram.keys()].sort((a, b) => a - b)) {
    cumulative += histogram.get(value)!;
    if (cumulative >= p * total) return value;
  }
  return null;
}

function sum(values: readonly number[]) {
  return values.reduce((a, b) => a + b, 0);
}

/** A line of parts and its total, suppressed and rounded together (also the reservist tables, reservists.ts). */
export function publishLine(parts: Tally[], sensitive: (i: number) => boolean, totalSensitive: boolean) {
  const total = sumTallies(parts);
  const hidden = suppressLine(
    parts.map((t) => t.n),
    total.n,
    { parts: parts.map(isPrimarySuppression), total: isPrimarySuppression(total) },
  );
  return {
    parts: parts.map((t, i) => countFigure(t, hidden.parts[i]!, sensitive(i))),
    total: countFigure(total, hidden.total, totalSensitive),
  };
}

/** A two-way table (rows × columns) with margins, suppressed and rounded together. */
export function publishTable(
  cells: Tally[][],
  columns: number,
  rowSensitive: (r: number) => boolean,
  anySensitive: boolean,
  forceRowTotals: boolean[],
) {
  const rowTotals = cells.map((row) => sumTallies(row));
  const colTotals = Array.from({ length: columns }, (_, c) => sumTallies(cells.map((row) => row[c]!)));
  const grandTotal = sumTallies(rowTotals);
  const counts = (ts: Tally[]) => ts.map((t) => t.n);
  const hidden = suppressTable(
    { cells: cells.map(counts), rowTotals: counts(rowTotals), colTotals: counts(colTotals), grandTotal: grandTotal.n },
    {
      forceRowTotals: rowTotals.map((t, r) => forceRowTotals[r]! || isPrimarySuppression(t)),
      forceCells: cells.map((row) => row.map(isPrimarySuppression)),
      forceColTotals: colTotals.map(isPrimarySuppression),
      forceGrandTotal: isPrimarySuppression(grandTotal),
    },
  );
  return {
    cells: cells.map((row, r) => row.map((t, c) => countFigure(t, hidden.cells[r]![c]!, rowSensitive(r)))),
    rowTotals: rowTotals.map((t, r) => countFigure(t, hidden.rowTotals[r]!, rowSensitive(r))),
    colTotals: colTotals.map((t, c) => countFigure(t, hidden.colTotals[c]!, anySensitive)),
    grandTotal: countFigure(grandTotal, hidden.grandTotal, anySensitive),
  };
}

export function publishInsights(raw: RawInsights, period: InsightsPeriod): PublishedInsights {
  const offers = raw.offers;
  const offerIndex = new Map(offers.map((o, i) => [o.id, i]));
  // A count covering any sensitive offer is rounded (so totals cannot give a sensitive count back).
  const anySensitive = offers.some((o) => o.sensitive);
  const isSensitiveOffer = (i: number) => offers[i]!.sensitive;

  // Trend: offers × months.
  const monthIndex = new Map(raw.months.map((m, i) => [m, i]));
  const trendCells: Tally[][] = offers.map(() => raw.months.map(() => EMPTY_TALLY));
  for (const r of raw.requestsByOfferMonth) {
    const o = offerIndex.get(r.offerId);
    const m = monthIndex.get(r.month);
    if (o !== undefined && m !== undefined) trendCells[o]![m] = addTally(trendCells[o]![m]!, r.requests);
  }

  // One-way breakdowns of the same requests.
  const tallyOf = <T>(rows: readonly T[], match: (row: T) => boolean, get: (row: T) => Tally) =>
    sumTallies(rows.filter(match).map(get));
  const orgCounts = raw.organisations.map((org) =>
    tallyOf(
      raw.requestsByOrganisation,
      (r) => r.organisationId === org.id,
      (r) => r.requests,
    ),
  );
  const byOrg = publishLine(orgCounts, () => anySensitive, anySensitive);
  const groupCounts = STAFF_GROUPS.map((g) =>
    tallyOf(
      raw.requestsByStaffGroup,
      (r) => r.staffGroup === g.value,
      (r) => r.requests,
    ),
  );
  const byGroup = publishLine(groupCounts, () => anySensitive, anySensitive);
  const tenureCounts = TENURE_BANDS.map((b) =>
    tallyOf(
      raw.requestsByTenure,
      (r) => r.tenureBand === b.value,
      (r) => r.requests,
    ),
  );
  const byTenure = publishLine(tenureCounts, () => anySensitive, anySensitive);

  // Uptake per 100 staff from the PUBLISHED count, so a rate never gives back a hidden one.
  const per100 = (requests: Figure, headcount: number): Figure =>
    requests.value === null || headcount <= 0
      ? SUPPRESSED
      : statFigure((requests.value / headcount) * 100, MIN_BASE, 1);
  const totalHeadcount = sum(raw.organisations.map((o) => o.headcount));

  // Responsiveness: the first-contact histogram, and what is open and overdue now.
  const histograms = offers.map(() => new Map<number, number>());
  const within = offers.map(() => 0);
  const allHistogram = new Map<number, number>();
  for (const r of raw.firstContact) {
    const o = offerIndex.get(r.offerId);
    if (o === undefined) continue;
    histograms[o]!.set(r.workingDays, (histograms[o]!.get(r.workingDays) ?? 0) + r.requests);
    allHistogram.set(r.workingDays, (allHistogram.get(r.workingDays) ?? 0) + r.requests);
    if (r.withinTarget) within[o]! += r.requests;
  }
  const open = offers.map((o) =>
    tallyOf(
      raw.openByOffer,
      (r) => r.offerId === o.id,
      (r) => r.open,
    ),
  );
  const overdue = offers.map((o) =>
    tallyOf(
      raw.openByOffer,
      (r) => r.offerId === o.id,
      (r) => r.overdue,
    ),
  );
  const contacted = histograms.map((h) => sum([...h.values()]));
  // Within target: of those contacted, plus those still waiting for first contact past their due time.
  const withinShare = (w: number, c: number, late: number) =>
    statFigure(c + late > 0 ? (100 * w) / (c + late) : null, c + late, 0, "%");
  const responsivenessFor = (h: Map<number, number>, c: number, w: number, late: number) => ({
    medianDays: statFigure(percentileOf(h, 0.5), c, 0),
    p90Days: statFigure(percentileOf(h, 0.9), c, 0),
    withinTargetPercent: withinShare(w, c, late),
  });

  // Where the requests stand now: offers × (outcomes, withdrawn, open within time, overdue). Its
  // rows add up to the trend's offer totals; withdrawn is what is left (a request is closed with
  // an outcome, withdrawn, or open), so the raw figures must come from one snapshot. Key sums
  // subtract like counts, so every derived cell still has its own records' key.
  const outcomeKeys = Object.keys(CLOSE_OUTCOMES) as CloseOutcome[];
  const outcomeCells: Tally[][] = offers.map(() => outcomeKeys.map(() => EMPTY_TALLY));
  for (const r of raw.outcomes) {
    const o = offerIndex.get(r.offerId);
    const k = outcomeKeys.indexOf(r.outcome);
    if (o !== undefined && k >= 0) outcomeCells[o]![k] = addTally(outcomeCells[o]![k]!, r.requests);
  }
  const standingCells = offers.map((offer, i) => {
    const requests = sumTallies(trendCells[i]!);
    const withdrawn = subtractTally(subtractTally(requests, sumTallies(outcomeCells[i]!)), open[i]!);
    if (withdrawn.n < 0)
      throw new Error(`insights: offer ${offer.id} has more outcomes and open requests than requests`);
    return [...outcomeCells[i]!, withdrawn, subtractTally(open[i]!, overdue[i]!), overdue[i]!];
  });
  const standingColumns: PublishedInsights["outcomes"]["outcomes"] = [
    ...outcomeKeys.map((value) => ({ value, label: CLOSE_OUTCOMES[value] })),
    { value: "withdrawn", label: "Withdrawn" },
    { value: "open", label: "Open, first contact made or not yet due" },
    { value: "overdue", label: "Open, first contact overdue" },
  ];

  // Suppress the two tables that share the offer totals together, until they agree.
  let forced = offers.map(() => false);
  let trend = publishTable(trendCells, raw.months.length, isSensitiveOffer, anySensitive, forced);
  let standing = publishTable(standingCells, standingColumns.length, isSensitiveOffer, anySensitive, forced);
  for (;;) {
    const next = forced.map((f, i) => f || trend.rowTotals[i]!.suppressed || standing.rowTotals[i]!.suppressed);
    if (next.every((v, i) => v === forced[i])) break;
    forced = next;
    trend = publishTable(trendCells, raw.months.length, isSensitiveOffer, anySensitive, forced);
    standing = publishTable(standingCells, standingColumns.length, isSensitiveOffer, anySensitive, forced);
  }

  // Satisfaction.
  const rated = offers.map((o) =>
    tallyOf(
      raw.satisfaction,
      (r) => r.offerId === o.id,
      (r) => r.rated,
    ),
  );
  const ratingSums = offers.map((o) => sum(raw.satisfaction.filter((r) => r.offerId === o.id).map((r) => r.ratingSum)));
  const ratedLine = publishLine(rated, isSensitiveOffer, anySensitive);
  // An average is hidden with its count, whichever rule hid the count.
  const average = (s: number, n: number, count: Figure) =>
    count.suppressed ? SUPPRESSED : statFigure(n > 0 ? s / n : null, n, 1);

  return {
    period,
    months: raw.months.map((key) => ({ key, label: shortMonthLabel(key) })),
    total: trend.grandTotal,
    trend: {
      rows: offers.map((offer, i) => ({ offer, cells: trend.cells[i]!, total: trend.rowTotals[i]! })),
      monthTotals: trend.colTotals,
      grandTotal: trend.grandTotal,
    },
    byOrganisation: {
      rows: raw.organisations.map((organisation, i) => ({
        organisation,
        requests: byOrg.parts[i]!,
        per100Staff: per100(byOrg.parts[i]!, organisation.headcount),
      })),
      total: byOrg.total,
      per100Staff: per100(byOrg.total, totalHeadcount),
    },
    byStaffGroup: {
      rows: STAFF_GROUPS.map((g, i) => ({ value: g.value, label: g.label, requests: byGroup.parts[i]! })),
      total: byGroup.total,
    },
    byTenure: {
      rows: TENURE_BANDS.map((b, i) => ({
        value: b.value as TenureBandValue,
        label: b.label,
        requests: byTenure.parts[i]!,
      })),
      total: byTenure.total,
    },
    responsiveness: {
      // A statistic is hidden with its row's request count, whichever rule hid the count (a 92%
      // from a base of at most 12 is 11 of 12, and so gives the count back).
      rows: offers.map((offer, i) =>
        trend.rowTotals[i]!.suppressed
          ? { offer, medianDays: SUPPRESSED, p90Days: SUPPRESSED, withinTargetPercent: SUPPRESSED }
          : { offer, ...responsivenessFor(histograms[i]!, contacted[i]!, within[i]!, overdue[i]!.n) },
      ),
      all: trend.grandTotal.suppressed
        ? { medianDays: SUPPRESSED, p90Days: SUPPRESSED, withinTargetPercent: SUPPRESSED }
        : responsivenessFor(allHistogram, sum(contacted), sum(within), sum(overdue.map((t) => t.n))),
    },
    outcomes: {
      outcomes: standingColumns,
      rows: offers.map((offer, i) => ({ offer, cells: standing.cells[i]!, total: standing.rowTotals[i]! })),
      outcomeTotals: standing.colTotals,
      grandTotal: standing.grandTotal,
    },
    satisfaction: {
      rows: offers.map((offer, i) => ({
        offer,
        average: average(ratingSums[i]!, rated[i]!.n, ratedLine.parts[i]!),
        rated: ratedLine.parts[i]!,
      })),
      all: { average: average(sum(ratingSums), sumTallies(rated).n, ratedLine.total), rated: ratedLine.total },
    },
  };
}

// The data tables: ./tables.ts (the page builds them in the browser too, so it needs no server code).
export { insightTables } from "./tables";

export type { OfferInfo };
