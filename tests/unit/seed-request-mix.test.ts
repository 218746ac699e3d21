// The weights the demo seed and the scale seed share (db/seed-data/request-mix.ts) name real
// things: every weighted slug is a seeded offer, every form kind has outcomes, every weight counts.
import { describe, expect, it } from "vitest";
import { SEED_OFFERS } from "@db/seed-data/offers";
import { HAPPY_RATINGS, HOUR_WEIGHTS, MIXED_RATINGS, OFFER_WEIGHTS, OUTCOME_WEIGHTS } from "@db/seed-data/request-mix";
import { formKind } from "@db/schema";

describe("shared request mix", () => {
  it("weights only offers the demo catalogue seeds", () => {
    const slugs = new Set(SEED_OFFERS.map((o) => o.slug));
    for (const slug of Object.keys(OFFER_WEIGHTS)) expect(slugs.has(slug), slug).toBe(true);
  });

  it("has outcomes for every form kind, and positive weights everywhere", () => {
    expect(Object.keys(OUTCOME_WEIGHTS).sort()).toEqual([...formKind.enumValues].sort());
    const all = [...Object.values(OUTCOME_WEIGHTS).flat(), ...HOUR_WEIGHTS, ...HAPPY_RATINGS, ...MIXED_RATINGS];
    for (const [, weight] of all) expect(weight).toBeGreaterThan(0);
    expect(HAPPY_RATINGS.map(([r]) => r)).toEqual([5, 4, 3, 2, 1]);
    expect(MIXED_RATINGS.map(([r]) => r)).toEqual([5, 4, 3, 2, 1]);
  });
});
