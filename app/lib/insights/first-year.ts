// The first-year check-in insights (/insights/first-year, ADR 039), published through the same
// disclosure control as /insights (ADR 006, 008): counts carry their record keys and are perturbed
// by cell key, counts of 1-7 (or published as 7 or less) are hidden with secondary suppression so
// no hidden one can be worked out, and statistics need a base. Thinking-of-leaving shares are
// stricter (a base of 20 and rounded to 5 points) and the count of requests made is rounded to 5,
// like every count that covers a confidential offer. Never a person, never free text.
import { EMPTY_TALLY, sumTallies, type Tally } from "./cell-key";
import { countFigure, monthLabel, publishLine, publishTable, statFigure } from "./publish";
import type { Figure, InsightTable, InsightsPeriod, MonthKey } from "./types";

/** A share of people thinking of leaving is shown only from this many answered check-ins. */
export const LEAVING_SHARE_MIN_BASE = 20;

/** One group's answered check-ins: the count and the sums behind the averages and the share. */
export interface AnsweredGroup {
  answered: Tally;
  workSum: number;
  supportedSum: number;
  leavingYes: number;
}

/**
 * What a page counts. Two sets (review finding 12, ADR 039 addendum): the check-ins *sent* in the
 * period (byPoint: sent, answered, still open, not answered) and the answers *given* in the period (every
 * score, share and request, and the months by the calendar month of the answer). A month is only
 * published once it is over, and no answer can be added to a month that is over, so a figure of
 * answers never moves as single answers arrive; and the months of a page do not overlap.
 */
export interface RawFirstYear {
  months: MonthKey[];
  /**
   * Sent in the period, by point, in point order: answered, still open (can be answered yet), and not
   * answered (closed unanswered). The three make up the sent count.
   */
  byPoint: { label: string; answered: Tally; open: Tally; unanswered: Tally }[];
  /** Answers given in the period that made a support request, by point, in point order. */
  support: { label: string; ledToSupport: Tally }[];
  byOrganisation: ({ label: string } & AnsweredGroup)[];
  byStaffGroup: ({ label: string } & AnsweredGroup)[];
  byMonth: ({ month: MonthKey } & AnsweredGroup)[];
}

export interface PublishedGroupRow {
  label: string;
  answered: Figure;
  work: Figure;
  supported: Figure;
  leavingShare: Figure;
}

export interface PublishedFirstYear {
  period: InsightsPeriod;
  points: {
    rows: { label: string; sent: Figure; answered: Figure; open: Figure; unanswered: Figure }[];
    total: { sent: Figure; answered: Figure; open: Figure; unanswered: Figure };
  };
  support: { rows: { label: string; requests: Figure }[]; total: Figure };
  byOrganisation: PublishedGroupRow[];
  byStaffGroup: PublishedGroupRow[];
  byMonth: PublishedGroupRow[];
}

function leavingShareFigure(yes: number, base: number): Figure {
  if (base < LEAVING_SHARE_MIN_BASE) return countFigure(EMPTY_TALLY, true, false);
  const percent = Math.round(((yes / base) * 100) / 5) * 5;
  return { value: percent, text: `${percent}%`, suppressed: false, rounded: true };
}

/** Groups (organisations, staff groups, months) as a line of answered counts, with their statistics. */
function publishGroups(groups: ({ label: string } & AnsweredGroup)[]): PublishedGroupRow[] {
  const line = publishLine(
    groups.map((g) => g.answered),
    () => false,
    false,
  );
  return groups.map((g, i) => {
    const n = g.answered.n;
    const hidden = line.parts[i]!.suppressed;
    // A statistic of a group whose count is hidden is hidden too (its base would give the count away).
    return {
      label: g.label,
      answered: line.parts[i]!,
      work: hidden ? line.parts[i]! : statFigure(n ? g.workSum / n : null, n, 1),
      supported: hidden ? line.parts[i]! : statFigure(n ? g.supportedSum / n : null, n, 1),
      leavingShare: hidden ? line.parts[i]! : leavingShareFigure(g.leavingYes, n),
    };
  });
}

export function publishFirstYear(raw: RawFirstYear, period: InsightsPeriod): PublishedFirstYear {
  const table = publishTable(
    raw.byPoint.map((p) => [p.answered, p.open, p.unanswered]),
    3,
    () => false,
    false,
    raw.byPoint.map(() => false),
  );
  // Requests made cover the confidential stay-conversation offer: rounded to 5, like /insights.
  const support = publishLine(
    raw.support.map((p) => p.ledToSupport),
    () => true,
    true,
  );
  return {
    period,
    points: {
      rows: raw.byPoint.map((p, r) => ({
        label: p.label,
        sent: table.rowTotals[r]!,
        answered: table.cells[r]![0]!,
        open: table.cells[r]![1]!,
        unanswered: table.cells[r]![2]!,
      })),
      total: {
        sent: table.grandTotal,
        answered: table.colTotals[0]!,
        open: table.colTotals[1]!,
        unanswered: table.colTotals[2]!,
      },
    },
    support: {
      rows: raw.support.map((p, i) => ({ label: p.label, requests: support.parts[i]! })),
      total: support.total,
    },
    byOrganisation: publishGroups(raw.byOrganisation),
    byStaffGroup: publishGroups(raw.byStaffGroup),
    byMonth: publishGroups(raw.byMonth.map((m) => ({ ...m, label: monthLabel(m.month) }))),
  };
}

/** The total sent on a page, before publication: the page is shown only when, published, it is 20 or more. */
export function sentTotal(raw: RawFirstYear): Tally {
  return sumTallies(raw.byPoint.flatMap((p) => [p.answered, p.open, p.unanswered]));
}

const GROUP_COLUMNS = [
  "Check-ins answered",
  "How they find their work (1 to 5)",
  "Feel supported (1 to 5)",
  "Thinking of leaving",
];

function groupTable(id: string, caption: string, rowHeader: string, rows: PublishedGroupRow[]): InsightTable {
  return {
    id,
    caption,
    rowHeader,
    columns: GROUP_COLUMNS,
    rows: rows.map((r) => ({
      label: r.label,
      cells: [r.answered.text, r.work.text, r.supported.text, r.leavingShare.text],
    })),
  };
}

/** The page's tables, as shown beside the charts and written to the CSV. */
export function firstYearTables(p: PublishedFirstYear): InsightTable[] {
  return [
    {
      id: "table-points",
      caption:
        "Check-ins sent in the period, by point after the start date: answered, still open (can still be answered), and not answered (closed)",
      rowHeader: "Check-in",
      columns: ["Sent", "Answered", "Still open", "Not answered (closed)"],
      rows: [
        ...p.points.rows.map((r) => ({
          label: r.label,
          cells: [r.sent.text, r.answered.text, r.open.text, r.unanswered.text],
        })),
        {
          label: "All check-ins",
          cells: [
            p.points.total.sent.text,
            p.points.total.answered.text,
            p.points.total.open.text,
            p.points.total.unanswered.text,
          ],
          isTotal: true,
        },
      ],
    },
    groupTable("table-months", "Answers by the month they were given", "Month answered", p.byMonth),
    groupTable(
      "table-organisations",
      "Answers by organisation (answers given in the period)",
      "Organisation",
      p.byOrganisation,
    ),
    groupTable(
      "table-staff-groups",
      "Answers by staff group (answers given in the period)",
      "Staff group",
      p.byStaffGroup,
    ),
    {
      id: "table-support",
      caption: "Answers that led to a support request, given in the period (rounded to the nearest 5)",
      rowHeader: "Check-in",
      columns: ["Support requests"],
      rows: [
        ...p.support.rows.map((r) => ({ label: r.label, cells: [r.requests.text] })),
        { label: "All check-ins", cells: [p.support.total.text], isTotal: true },
      ],
    },
  ];
}
