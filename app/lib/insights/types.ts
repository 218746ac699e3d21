// The shapes of manager insights. Raw aggregates come from SQL (app/.server/models/insights.server.ts);
// publishInsights() (publish.ts) turns them into PublishedInsights, where every small number is
// already suppressed and every sensitive count rounded. The page, its charts and the CSV are all
// drawn from PublishedInsights (the tables through insightTables()), so they cannot disagree.
import type { CloseOutcomeValue, TenureBandValue } from "@db/schema";
import type { StaffGroup } from "~/lib/staff-groups";
import type { Tally } from "./cell-key";

/** YYYY-MM */
export type MonthKey = string;

/** A period the insights may be published for: a fixed set (ADR 008), never an arbitrary range. */
export interface InsightsPeriod {
  /** The URL value: "12m", "fy-2025" (April 2025 to March 2026) or "q-2026-07" (July to September 2026). */
  key: string;
  kind: "rolling" | "financial-year" | "quarter";
  from: MonthKey;
  to: MonthKey;
  /**
   * e.g. "the 12 months to October 2026", "the financial year 2025 to 2026", "July to September 2026":
   * worded to sit mid-sentence ("needs posted in the 12 months to…"); capitalisePeriod at a start.
   */
  label: string;
}

/** At most one filter at a time (ADR 008): everything, or one organisation, offer or staff group. */
export type InsightsFilter =
  | { kind: "all" }
  | { kind: "organisation"; slug: string }
  | { kind: "offer"; slug: string }
  | { kind: "group"; value: StaffGroup };

export interface InsightsFilters {
  period: InsightsPeriod;
  filter: InsightsFilter;
}

export interface OfferInfo {
  id: number;
  slug: string;
  title: string;
  sensitive: boolean;
}

export interface OrganisationInfo {
  id: number;
  slug: string;
  name: string;
  headcount: number;
}

/**
 * Counts straight from the rollups, each with its records' key sum (a Tally): NEVER shown as they
 * are, and never sent to a browser.
 */
export interface RawInsights {
  months: MonthKey[];
  /** The offers the figures cover (one when filtered by offer), in catalogue order. */
  offers: OfferInfo[];
  /** The organisations the figures cover (within scope), in name order. */
  organisations: OrganisationInfo[];
  requestsByOfferMonth: { offerId: number; month: MonthKey; requests: Tally }[];
  requestsByOrganisation: { organisationId: number; requests: Tally }[];
  requestsByStaffGroup: { staffGroup: string; requests: Tally }[];
  requestsByTenure: { tenureBand: TenureBandValue; requests: Tally }[];
  /** Histogram of working days to first contact, per offer. */
  firstContact: { offerId: number; workingDays: number; withinTarget: boolean; requests: number }[];
  /** Requests made in the period that are open now, and those overdue for first contact now. */
  openByOffer: { offerId: number; open: Tally; overdue: Tally }[];
  outcomes: { offerId: number; outcome: CloseOutcomeValue; requests: Tally }[];
  satisfaction: { offerId: number; rated: Tally; ratingSum: number }[];
}

/** One published number: its value for charts (null when suppressed) and its text for tables. */
export interface Figure {
  /** The published number (perturbed, rounded): the only value charts may draw from. */
  value: number | null;
  /** "*" when suppressed; otherwise formatted (e.g. "1,234", "2.5", "87%"). */
  text: string;
  suppressed: boolean;
  /** Rounded to the nearest 5 (counts for sensitive offers). */
  rounded: boolean;
}

export interface PublishedInsights {
  period: InsightsPeriod;
  months: { key: MonthKey; label: string }[];
  total: Figure;
  trend: {
    rows: { offer: OfferInfo; cells: Figure[]; total: Figure }[];
    monthTotals: Figure[];
    grandTotal: Figure;
  };
  byOrganisation: {
    rows: { organisation: OrganisationInfo; requests: Figure; per100Staff: Figure }[];
    total: Figure;
    /** Over every organisation shown: requests per 100 of their combined headcount. */
    per100Staff: Figure;
  };
  byStaffGroup: { rows: { value: string; label: string; requests: Figure }[]; total: Figure };
  byTenure: { rows: { value: TenureBandValue; label: string; requests: Figure }[]; total: Figure };
  responsiveness: {
    rows: { offer: OfferInfo; medianDays: Figure; p90Days: Figure; withinTargetPercent: Figure }[];
    all: { medianDays: Figure; p90Days: Figure; withinTargetPercent: Figure };
  };
  /**
   * Where the period's requests stand now, by offer: the five outcomes, then withdrawn, open
   * (first contact made or not yet due) and open with first contact overdue. Row totals equal the
   * trend's offer totals (and are suppressed together with them).
   */
  outcomes: {
    outcomes: { value: CloseOutcomeValue | "withdrawn" | "open" | "overdue"; label: string }[];
    rows: { offer: OfferInfo; cells: Figure[]; total: Figure }[];
    outcomeTotals: Figure[];
    grandTotal: Figure;
  };
  satisfaction: {
    rows: { offer: OfferInfo; average: Figure; rated: Figure }[];
    all: { average: Figure; rated: Figure };
  };
}

/**
 * A data table as shown beside its chart and as written to the CSV: the first column holds the
 * row labels (rowHeader), the rest figure texts. `id` is the HTML id of the table.
 */
export interface InsightTable {
  id: string;
  caption: string;
  rowHeader: string;
  columns: string[];
  rows: { label: string; cells: string[]; isTotal?: boolean }[];
}

/** A period label where it starts a line (a list option, a CSV cell): "The 12 months to…". */
export function capitalisePeriod(label: string): string {
  return label.charAt(0).toUpperCase() + label.slice(1);
}
