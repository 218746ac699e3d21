// Manager insights for the reservist bank (issue 14 part 2; docs/decisions/040-reservist-bank.md),
// through the same disclosure control as /insights (ADRs 006, 008): every count is a Tally (count +
// the records' secret key sum), perturbed by its cell key, small ones suppressed with their
// complements (publishLine), and a page is shown only when its total is large enough. Hours are a
// sum, not a count: published only beside a count that is shown and made of MIN_BASE or more
// people, rounded to the nearest HOURS_ROUNDING (beside a published 0, they are 0). Pure, so unit
// tests and the page share it.
import type { Tally } from "./cell-key";
import { MAX_PERTURBATION, perturbedCount, sumTallies } from "./cell-key";
import { publishLine } from "./publish";
import { MIN_BASE, SMALL_MAX } from "./suppression";
import type { Figure, InsightTable, MonthKey } from "./types";

/** Hours offered are published to the nearest 50 (one person offers at most 48 a week). */
export const HOURS_ROUNDING = 50;
/** The page is shown only when the bank in scope has at least this many people, as published. */
export const MIN_BANK_SIZE = 20;

// What /insights/reservists hides and why, in its own words (the /insights sentences talk about
// requests and sensitive support, neither of which applies here). Built from the constants above so
// the page cannot drift from the rules it describes.
export const RESERVIST_SUPPRESSION_SENTENCE =
  `To protect privacy, a count of reservists, needs or places from 1 to ${SMALL_MAX} is shown as *, as is any ` +
  "figure that would let one be worked out from a total, because a count that small could point to particular people.";

export const RESERVIST_PERTURBATION_SENTENCE =
  `To stop figures being worked out by comparing pages, each count is adjusted by a small amount (usually 0 or 1, ` +
  `never more than ${MAX_PERTURBATION}) that is always the same for the same reservists or needs, so totals may not ` +
  "add up exactly.";

export const RESERVIST_HOURS_SENTENCE =
  `Hours a week offered are rounded to the nearest ${HOURS_ROUNDING}, and shown only beside a count of ` +
  `${MIN_BASE} reservists or more that is itself shown, so that nobody's own hours can be worked out. ` +
  "Where there are no reservists, the hours are 0.";

export const RESERVIST_TOO_FEW_SENTENCE =
  `When fewer than ${MIN_BANK_SIZE} reservists are available in your area, nothing is shown, so that nobody can be ` +
  "picked out from the figures.";

export interface RawReservistInsights {
  /** The active bank (not paused, available now or later) by staff group, with weekly hours. */
  byStaffGroup: { value: string; label: string; members: Tally; hours: number }[];
  /** The active bank by the reservist's own organisation. */
  byOrganisation: { name: string; members: Tally }[];
  months: { key: MonthKey; label: string }[];
  /** Needs posted in each month of the period, for organisations in scope. */
  needsPosted: Tally[];
  /** Places filled (invitations accepted) on those needs, by the month the need was posted. */
  placesFilled: Tally[];
}

export interface PublishedReservistInsights {
  periodLabel: string;
  byStaffGroup: {
    rows: { value: string; label: string; members: Figure; hours: Figure }[];
    total: Figure;
    hours: Figure;
  };
  byOrganisation: { rows: { name: string; members: Figure }[]; total: Figure };
  needs: {
    rows: { key: MonthKey; label: string; posted: Figure; filled: Figure }[];
    posted: Figure;
    filled: Figure;
  };
}

const integer = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 0 });
const SUPPRESSED: Figure = { value: null, text: "*", suppressed: true, rounded: false };

function hoursFigure(members: Tally, shownMembers: Figure, hours: number): Figure {
  // A published 0 is a true 0 (any 1 or more is perturbed to at least 1 or suppressed), so its
  // hours are 0 too: nothing to hide, and "*" would contradict the key ("it is not zero").
  if (!shownMembers.suppressed && shownMembers.value === 0 && members.n === 0) {
    return { value: 0, text: "0", suppressed: false, rounded: false };
  }
  if (shownMembers.suppressed || members.n < MIN_BASE) return SUPPRESSED;
  const rounded = Math.round(hours / HOURS_ROUNDING) * HOURS_ROUNDING;
  return { value: rounded, text: integer.format(rounded), suppressed: false, rounded: true };
}

/** The published figures, or null when the bank in scope is too small to show anything. */
export function publishReservistInsights(
  raw: RawReservistInsights,
  periodLabel: string,
): PublishedReservistInsights | null {
  const total = sumTallies(raw.byStaffGroup.map((g) => g.members));
  if (perturbedCount(total) < MIN_BANK_SIZE || total.n < MIN_BANK_SIZE) return null;
  const groups = publishLine(
    raw.byStaffGroup.map((g) => g.members),
    () => false,
    false,
  );
  const orgs = publishLine(
    raw.byOrganisation.map((o) => o.members),
    () => false,
    false,
  );
  const posted = publishLine(raw.needsPosted, () => false, false);
  const filled = publishLine(raw.placesFilled, () => false, false);
  const totalHours = raw.byStaffGroup.reduce((s, g) => s + g.hours, 0);
  return {
    periodLabel,
    byStaffGroup: {
      rows: raw.byStaffGroup.map((g, i) => ({
        value: g.value,
        label: g.label,
        members: groups.parts[i]!,
        hours: hoursFigure(g.members, groups.parts[i]!, g.hours),
      })),
      total: groups.total,
      hours: hoursFigure(total, groups.total, totalHours),
    },
    byOrganisation: {
      rows: raw.byOrganisation.map((o, i) => ({ name: o.name, members: orgs.parts[i]! })),
      total: orgs.total,
    },
    needs: {
      rows: raw.months.map((m, i) => ({
        key: m.key,
        label: m.label,
        posted: posted.parts[i]!,
        filled: filled.parts[i]!,
      })),
      posted: posted.total,
      filled: filled.total,
    },
  };
}

/** The data tables beside the charts (and the only numbers the page shows), from published figures. */
export function reservistInsightTables(p: PublishedReservistInsights): InsightTable[] {
  return [
    {
      id: "table-reservists-groups",
      caption: "Reservists available now or later, and hours a week offered, by staff group",
      rowHeader: "Staff group",
      columns: ["Reservists", "Hours a week offered"],
      rows: [
        ...p.byStaffGroup.rows.map((r) => ({ label: r.label, cells: [r.members.text, r.hours.text] })),
        { label: "Total", cells: [p.byStaffGroup.total.text, p.byStaffGroup.hours.text], isTotal: true },
      ],
    },
    {
      id: "table-reservists-organisations",
      caption: "Reservists by their own organisation",
      rowHeader: "Organisation",
      columns: ["Reservists"],
      rows: [
        ...p.byOrganisation.rows.map((r) => ({ label: r.name, cells: [r.members.text] })),
        { label: "Total", cells: [p.byOrganisation.total.text], isTotal: true },
      ],
    },
    {
      id: "table-reservist-needs",
      caption: `Needs posted and places filled, ${p.periodLabel}`,
      rowHeader: "Month posted",
      columns: ["Needs posted", "Places filled"],
      rows: [
        ...p.needs.rows.map((r) => ({ label: r.label, cells: [r.posted.text, r.filled.text] })),
        { label: "Total", cells: [p.needs.posted.text, p.needs.filled.text], isTotal: true },
      ],
    },
  ];
}
