// The insights CSV: the same tables as the page (insightTables()), cell for cell, so a figure
// suppressed on the page ("*") is suppressed in the download too. Written for Excel: UTF-8 with
// a byte order mark, CRLF line ends, RFC 4180 quoting, and no cell that a spreadsheet would run
// as a formula (offer titles are typed by administrators).
import { capitalisePeriod, type InsightsFilter, type InsightTable } from "./types";

/** The suppression rule in one sentence: on the page (inset text) and in the CSV's header lines. */
export const SUPPRESSION_SENTENCE =
  "To protect privacy, numbers from 1 to 7 are shown as *, as are figures that would let one be worked out; " +
  "for sensitive support (such as psychological wellbeing, occupational health and physiotherapy) other numbers " +
  "are rounded to the nearest 5, and averages, medians and percentages from fewer than 8 requests are not shown.";

export const PERIOD_SENTENCE =
  "All figures are for requests made in the chosen period; open and overdue are as of today.";

/** How the figures are protected beyond suppression (ADR 008): on the page and in the CSV. */
export const PERTURBATION_SENTENCE =
  "To stop figures being worked out by comparing pages, each count is adjusted by a small amount (usually 0 or 1, " +
  "never more than 5) that is always the same for the same requests, so totals may not add up exactly.";

export interface InsightsCsvMeta {
  /** e.g. "December 2025 to November 2026" */
  period: string;
  /** e.g. "All organisations in the ICS" or an organisation's name */
  scope: string;
  /** Other filters in force, e.g. "Support: Physiotherapy", "Staff group: Social care". */
  filters?: string[];
  /** How this page's figures are protected and counted (default: the /insights sentences about requests). */
  sentences?: readonly string[];
}

const BOM = "\uFEFF";
const CRLF = "\r\n";

/**
 * A cell a spreadsheet would read as a formula (= + - @, or a leading tab or carriage return)
 * gets a leading apostrophe, so it is shown as the text it is.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** One cell: formula-guarded, then quoted (RFC 4180) when it holds a comma, quote, CR or LF. */
export function csvCell(value: string): string {
  const safe = neutraliseFormula(value);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(cells: readonly string[]): string {
  return cells.map(csvCell).join(",");
}

/** The whole file: header lines (title, period, scope, filters, the rules), then each table. */
export function insightsCsv(tables: readonly InsightTable[], meta: InsightsCsvMeta): string {
  const lines: string[] = [csvRow(["StayWell insights", capitalisePeriod(meta.period), meta.scope])];
  if (meta.filters?.length) lines.push(csvRow(meta.filters));
  for (const sentence of meta.sentences ?? [SUPPRESSION_SENTENCE, PERTURBATION_SENTENCE, PERIOD_SENTENCE]) {
    lines.push(csvRow([sentence]));
  }
  if (tables.length === 0) lines.push(csvRow([TOO_FEW_SENTENCE]));
  for (const table of tables) {
    lines.push("");
    lines.push(csvRow([table.caption]));
    lines.push(csvRow([table.rowHeader, ...table.columns]));
    for (const row of table.rows) lines.push(csvRow([row.label, ...row.cells]));
  }
  return BOM + lines.join(CRLF) + CRLF;
}

// ---------------------------------------------------------------------------------------------
// the words the page and the CSV share about what the figures cover

interface ScopeAndFilters {
  scope: { kind: "ics" } | { kind: "organisation"; organisation: { name: string } };
  filters: { filter: InsightsFilter };
  options: {
    organisations: { slug: string; name: string }[];
    offers: { slug: string; title: string }[];
    staffGroups: { value: string; label: string }[];
  };
}

/** Whose figures these are: the manager's organisation, the one chosen, or the whole ICS. */
export function insightsScopeLabel(data: ScopeAndFilters): string {
  if (data.scope.kind === "organisation") return data.scope.organisation.name;
  const { filter } = data.filters;
  const chosen =
    filter.kind === "organisation" ? data.options.organisations.find((o) => o.slug === filter.slug) : undefined;
  return chosen?.name ?? "All organisations in the ICS";
}

/** The filter beyond period and organisation, as a short phrase ("Support: Physiotherapy"). */
export function insightsFilterLabels(data: ScopeAndFilters): string[] {
  const { filter } = data.filters;
  if (filter.kind === "offer") {
    const offer = data.options.offers.find((o) => o.slug === filter.slug);
    return offer ? [`Support: ${offer.title}`] : [];
  }
  if (filter.kind === "group") {
    const group = data.options.staffGroups.find((g) => g.value === filter.value);
    return group ? [`Staff group: ${group.label}`] : [];
  }
  return [];
}

/** What the page and the CSV say when a choice covers too few requests to publish anything. */
export const TOO_FEW_REASON =
  "There were too few requests for this choice to publish figures without risking identifying someone.";
export const TOO_FEW_SENTENCE = `${TOO_FEW_REASON} Choose a longer period or, where you can, a broader choice.`;
