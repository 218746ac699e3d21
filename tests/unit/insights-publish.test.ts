// publishInsights: the figures on one page are protected together, not table by table.
import { describe, expect, it } from "vitest";
import { perturbedCount, sumTallies, type Tally } from "~/lib/insights/cell-key";
import { firstYearTables, publishFirstYear, type RawFirstYear } from "~/lib/insights/first-year";
import { insightTables, publishInsights } from "~/lib/insights/publish";
import type { Figure, InsightsPeriod, RawInsights } from "~/lib/insights/types";

/** A count with a made-up key sum (as if its records' keys added up to it). */
const t = (n: number, salt = 0): Tally => ({ n, key: n * 104729 + salt });
const PERIOD: InsightsPeriod = {
  key: "q-2026-01",
  kind: "quarter",
  from: "2026-01",
  to: "2026-03",
  label: "January to March 2026",
};

const MONTHS = ["2026-01", "2026-02", "2026-03"];
const offerA = { id: 1, slug: "a", title: "Offer A", sensitive: false };
const offerB = { id: 2, slug: "b", title: "Offer B", sensitive: false };

/** `n` requests of an offer spread over the three months. */
function spread(offerId: number, n: number) {
  const base = Math.floor(n / 3);
  return MONTHS.map((month, i) => ({ offerId, month, requests: t(base + (i < n % 3 ? 1 : 0), offerId * 31 + i) }));
}

function raw(overrides: Partial<RawInsights> = {}): RawInsights {
  return {
    months: MONTHS,
    offers: [offerA, offerB],
    organisations: [{ id: 1, slug: "org", name: "Org", headcount: 1000 }],
    requestsByOfferMonth: [...spread(1, 20), ...spread(2, 30)],
    requestsByOrganisation: [{ organisationId: 1, requests: t(50) }],
    requestsByStaffGroup: [{ staffGroup: "nursing_midwifery", requests: t(50) }],
    requestsByTenure: [{ tenureBand: "2_to_5", requests: t(50) }],
    firstContact: [],
    openByOffer: [{ offerId: 1, open: t(2, 5), overdue: t(0) }],
    // A: 18 of 20 closed (so 2 still open); B: 27 of 30 closed, none open (so 3 withdrawn).
    outcomes: [
      { offerId: 1, outcome: "support_given", requests: t(18, 3) },
      { offerId: 2, outcome: "support_given", requests: t(27, 4) },
    ],
    satisfaction: [],
    ...overrides,
  };
}

const hidden = (f: Figure) => f.suppressed;

describe("publishInsights", () => {
  it("never lets requests minus outcomes give back a hidden open or withdrawn count", () => {
    const p = publishInsights(raw(), PERIOD);
    const standing = (offer: number) => p.outcomes.rows[offer]!;
    const column = (value: string) => p.outcomes.outcomes.findIndex((o) => o.value === value);
    expect(standing(0).cells[column("open")]!.text).toBe("*");
    expect(standing(1).cells[column("withdrawn")]!.text).toBe("*");

    for (let i = 0; i < 2; i++) {
      // The offer total is the same number in both tables, so it is hidden in both or neither…
      expect(hidden(p.trend.rows[i]!.total)).toBe(hidden(standing(i).total));
      // …and a row with a hidden figure has at least two, so the published rest pins none.
      const inRow = [...standing(i).cells, standing(i).total].filter(hidden).length;
      expect(inRow === 0 || inRow >= 2).toBe(true);
      const published = standing(i)
        .cells.filter((c) => !c.suppressed)
        .reduce((n, c) => n + c.value!, 0);
      const total = p.trend.rows[i]!.total;
      // A published total is the perturbed true one (offer A's 20, B's 30), from its months' key sums.
      const truth = sumTallies(spread(i + 1, [20, 30][i]!).map((r) => r.requests));
      if (!total.suppressed) expect(total.value).toBe(perturbedCount(truth));
      expect(published).toBeLessThanOrEqual(truth.n + 5 * standing(i).cells.length);
    }
    // The rows add up to the trend's totals: nothing is counted twice or lost.
    const table = insightTables(p).find((t) => t.id === "table-outcomes")!;
    expect(table.columns.at(-1)).toBe("All requests");
  });

  it("hides an average whose count is hidden, whatever hid the count", () => {
    const p = publishInsights(
      raw({
        satisfaction: [
          { offerId: 1, rated: t(9), ratingSum: 36 },
          { offerId: 2, rated: t(3), ratingSum: 12 },
        ],
      }),
      PERIOD,
    );
    // 3 is small; 9 is hidden with it (or the total 12 would give 3 back); so is its average.
    expect(p.satisfaction.rows.map((r) => r.rated.text)).toEqual(["*", "*"]);
    expect(p.satisfaction.rows.map((r) => r.average.text)).toEqual(["*", "*"]);
    const all = perturbedCount(t(12));
    expect(p.satisfaction.all).toMatchObject({
      rated: all <= 7 ? { text: "*" } : { text: String(all) },
      average: { text: all <= 7 ? "*" : "4.0" },
    });
  });

  it("refuses figures that do not add up rather than publishing them", () => {
    expect(() => publishInsights(raw({ openByOffer: [{ offerId: 1, open: t(5), overdue: t(0) }] }), PERIOD)).toThrow(
      /more outcomes and open requests than requests/,
    );
  });
});

describe("first-year check-ins sent, by point", () => {
  it("splits the sent count into answered, still open and not answered (closed), so a row adds up", () => {
    const raw: RawFirstYear = {
      months: MONTHS,
      byPoint: [{ label: "4 weeks", answered: t(86, 1), open: t(40, 2), unanswered: t(15, 3) }],
      support: [],
      byOrganisation: [],
      byStaffGroup: [],
      byMonth: [],
    };
    const published = publishFirstYear(raw, PERIOD);
    const row = published.points.rows[0]!;
    expect(row.open.suppressed).toBe(false);
    expect(Math.abs(row.open.value! - 40)).toBeLessThanOrEqual(3);
    expect(Math.abs(row.unanswered.value! - 15)).toBeLessThanOrEqual(3);
    const table = firstYearTables(published).find((x) => x.id === "table-points")!;
    expect(table.columns).toEqual(["Sent", "Answered", "Still open", "Not answered (closed)"]);
    expect(table.rows[0]!.cells).toEqual([row.sent.text, row.answered.text, row.open.text, row.unanswered.text]);
  });
});
