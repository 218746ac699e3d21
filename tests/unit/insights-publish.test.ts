// publishInsights: the figures on one page are protected together, not table by table.
import { describe, expect, it } from "vitest";
import { insightTables, publishInsights } from "~/lib/insights/publish";
import type { Figure, RawInsights } from "~/lib/insights/types";

const MONTHS = ["2026-01", "2026-02", "2026-03"];
const offerA = { id: 1, slug: "a", title: "Offer A", sensitive: false };
const offerB = { id: 2, slug: "b", title: "Offer B", sensitive: false };

/** `n` requests of an offer spread over the three months. */
function spread(offerId: number, n: number) {
  const base = Math.floor(n / 3);
  return MONTHS.map((month, i) => ({ offerId, month, requests: base + (i < n % 3 ? 1 : 0) }));
}

function raw(overrides: Partial<RawInsights> = {}): RawInsights {
  return {
    months: MONTHS,
    offers: [offerA, offerB],
    organisations: [{ id: 1, slug: "org", name: "Org", headcount: 1000 }],
    requestsByOfferMonth: [...spread(1, 20), ...spread(2, 30)],
    requestsByOrganisation: [{ organisationId: 1, requests: 50 }],
    requestsByStaffGroup: [{ staffGroup: "nursing_midwifery", requests: 50 }],
    requestsByTenure: [{ tenureBand: "2_to_5", requests: 50 }],
    firstContact: [],
    openByOffer: [{ offerId: 1, open: 2, overdue: 0 }],
    // A: 18 of 20 closed (so 2 still open); B: 27 of 30 closed, none open (so 3 withdrawn).
    outcomes: [
      { offerId: 1, outcome: "support_given", requests: 18 },
      { offerId: 2, outcome: "support_given", requests: 27 },
    ],
    satisfaction: [],
    ...overrides,
  };
}

const hidden = (f: Figure) => f.suppressed;

describe("publishInsights", () => {
  it("never lets requests minus outcomes give back a hidden open or withdrawn count", () => {
    const p = publishInsights(raw(), { from: "2026-01", to: "2026-03" });
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
      const published = standing(i).cells.filter((c) => !c.suppressed).reduce((n, c) => n + c.value!, 0);
      const total = p.trend.rows[i]!.total;
      if (!total.suppressed) expect(total.value! - published).toBeGreaterThan(7);
    }
    // The rows add up to the trend's totals: nothing is counted twice or lost.
    const table = insightTables(p).find((t) => t.id === "table-outcomes")!;
    expect(table.columns.at(-1)).toBe("All requests");
  });

  it("hides an average whose count is hidden, whatever hid the count", () => {
    const p = publishInsights(
      raw({
        satisfaction: [
          { offerId: 1, rated: 9, ratingSum: 36 },
          { offerId: 2, rated: 3, ratingSum: 12 },
        ],
      }),
      { from: "2026-01", to: "2026-03" },
    );
    // 3 is small; 9 is hidden with it (or the total 12 would give 3 back); so is its average.
    expect(p.satisfaction.rows.map((r) => r.rated.text)).toEqual(["*", "*"]);
    expect(p.satisfaction.rows.map((r) => r.average.text)).toEqual(["*", "*"]);
    expect(p.satisfaction.all).toMatchObject({ rated: { text: "12" }, average: { text: "4.0" } });
  });

  it("refuses figures that do not add up rather than publishing them", () => {
    expect(() =>
      publishInsights(raw({ openByOffer: [{ offerId: 1, open: 5, overdue: 0 }] }), { from: "2026-01", to: "2026-03" }),
    ).toThrow(/more outcomes and open requests than requests/);
  });
});
