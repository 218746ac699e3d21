// The attacker library itself (tests/helpers/insights-attacker.ts): it must find the attacks the
// issue describes on the old design, and it must notice when one of its own conclusions is wrong,
// so "0 recovered" in tests/integration/insights-attack.test.ts means something.
import { describe, expect, it } from "vitest";
import type { InsightTable } from "~/lib/insights/types";
import {
  attack,
  parseFigure,
  parseMonthLabel,
  type PageObservation,
  type RecordSet,
  type Vocabulary,
} from "../helpers/insights-attacker";

const vocabulary: Vocabulary = {
  organisations: [
    { slug: "a", name: "Trust A" },
    { slug: "b", name: "Trust B" },
  ],
  offers: [
    { slug: "carers", title: "Carers support", sensitive: false },
    { slug: "psych", title: "Psychological wellbeing", sensitive: true },
  ],
  staffGroups: [
    { value: "nursing", label: "Nursing" },
    { value: "other", label: "Other" },
  ],
  tenureBands: [{ value: "any", label: "Any" }],
  outcomes: [
    { value: "done", label: "Done" },
    { value: "open", label: "Open" },
  ],
};

/** A trend table for the carers offer alone: month rows and a total. */
function trend(months: [string, string][], total: string): InsightTable {
  return {
    id: "table-trend",
    caption: "Requests by month and type of support",
    rowHeader: "Month",
    columns: ["Carers support", "All support"],
    rows: [
      ...months.map(([label, v]) => ({ label, cells: [v, v] })),
      { label: "Total", cells: [total, total], isTotal: true },
    ],
  };
}

const MONTHS = ["2026-01", "2026-02", "2026-03"];
const LABELS = ["Jan 2026", "Feb 2026", "Mar 2026"];
// The truth: January 1, February 9, March 8 requests of the carers offer, in trust A.
const TRUE: Record<string, number> = { "2026-01": 1, "2026-02": 9, "2026-03": 8 };
const truth = (s: RecordSet) =>
  s.measure === "requests" &&
  s.offer !== "psych" &&
  s.organisation !== "b" &&
  s.group === null &&
  s.tenure === null &&
  s.outcome === null
    ? s.months.reduce((n, m) => n + (TRUE[m] ?? 0), 0)
    : 0;

/** The old design's pages: January to March, and February to March, both filtered to the offer. */
function oldPages(): PageObservation[] {
  return [
    {
      name: "?from=2026-01&to=2026-03&offer=carers",
      months: MONTHS,
      filter: { offer: "carers" },
      scope: { kind: "ics" },
      tables: [
        trend(
          [
            [LABELS[0]!, "*"],
            [LABELS[1]!, "9"],
            [LABELS[2]!, "8"],
          ],
          "18",
        ),
      ],
    },
    {
      name: "?from=2026-02&to=2026-03&offer=carers",
      months: MONTHS.slice(1),
      filter: { offer: "carers" },
      scope: { kind: "ics" },
      // (Suppressed as a pair on this page, as secondary suppression would.)
      tables: [
        trend(
          [
            [LABELS[1]!, "*"],
            [LABELS[2]!, "*"],
          ],
          "17",
        ),
      ],
    },
  ];
}

const OLD = { maxPerturbation: 0, roundedSensitive: true, hiddenPrior: [1, 7] as [number, number] };

describe("the insights attacker", () => {
  it("reads labels and figures as the pages write them", () => {
    expect(parseMonthLabel("Jan 2026")).toBe("2026-01");
    expect(parseMonthLabel("September 2025")).toBe("2025-09");
    expect(parseMonthLabel("Total")).toBeNull();
    expect(parseFigure("1,234")).toMatchObject({ value: 1234, percent: false });
    expect(parseFigure("88%")).toMatchObject({ value: 88, percent: true });
    expect(parseFigure("4.3")!.halfWidth).toBeCloseTo(0.05);
    expect(parseFigure("*")).toBeNull();
  });

  it("recovers January from two overlapping periods, and checks it against the truth", () => {
    const result = attack(oldPages(), { vocabulary, noise: OLD, truth });
    expect(
      result.intervalOf({
        months: ["2026-01"],
        organisation: null,
        offer: "carers",
        group: null,
        tenure: null,
        outcome: null,
        measure: "requests",
      }),
    ).toEqual([1, 1]);
    expect(result.figures.proven.recoveredExactly).toBeGreaterThanOrEqual(1);
    // Jan-Mar = Jan + (Feb-Mar): the shorter period tiles the longer one with January left over.
    expect(result.findings.find((f) => f.set.startsWith("requests 2026-01 offer=carers"))?.because.join()).toMatch(
      /period/,
    );
    expect(
      result.findings.some(
        (f) => f.pass === "proven" && f.set.startsWith("requests 2026-01 offer=carers") && f.lo === 1 && f.hi === 1,
      ),
    ).toBe(true);
  });

  it("cannot do it when each count may be 5 away (the new design), and says so honestly", () => {
    const result = attack(oldPages(), {
      vocabulary,
      noise: { ...OLD, maxPerturbation: 5, hiddenPrior: [1, 12] },
      truth,
    });
    const [lo, hi] = result.intervalOf({
      months: ["2026-01"],
      organisation: null,
      offer: "carers",
      group: null,
      tenure: null,
      outcome: null,
      measure: "requests",
    })!;
    expect(lo).toBeLessThanOrEqual(1);
    expect(hi - lo).toBeGreaterThanOrEqual(4);
  });

  it("fails loudly when one of its conclusions does not match the truth (a bug in the attacker or its mapping)", () => {
    const wrong = (s: RecordSet) => (s.months.length === 1 && s.months[0] === "2026-01" ? 2 : truth(s));
    expect(() => attack(oldPages(), { vocabulary, noise: OLD, truth: wrong })).toThrow(
      /does not contain its true count 2/,
    );
  });

  it("works a count out from a full-precision average: 100/23 means 23 ratings", () => {
    const page: PageObservation = {
      name: "?satisfaction",
      months: ["2026-01"],
      scope: { kind: "ics" },
      tables: [
        {
          id: "table-satisfaction",
          caption: "Satisfaction by type of support",
          rowHeader: "Type of support",
          columns: ["Average rating (out of 5)", "Ratings"],
          // The psych count is rounded to 25 (so 23 to 27), the average is 100/23 at full precision.
          rows: [{ label: "Psychological wellbeing", cells: [String(100 / 23), "25"] }],
        },
      ],
    };
    const rated = (s: RecordSet) => (s.measure === "rated" ? 23 : s.measure === "ratingSum" ? 100 : 0);
    const result = attack([page], { vocabulary, noise: OLD, truth: rated });
    expect(
      result.intervalOf({
        months: ["2026-01"],
        organisation: null,
        offer: "psych",
        group: null,
        tenure: null,
        outcome: null,
        measure: "rated",
      }),
    ).toEqual([23, 23]);
    expect(result.figures.proven.noisyPublishedRecovered).toBe(1);
  });
});
