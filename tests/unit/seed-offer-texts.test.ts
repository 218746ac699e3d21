// The demo catalogue says the target once (the pages give it from firstContactTargetDays) and says
// one thing about the line manager: nothing reaches them without the person's consent.
import { describe, expect, it } from "vitest";
import { SEED_OFFERS } from "@db/seed-data/offers";

describe("seed offer texts", () => {
  it("no 'What happens next' repeats the first-contact target", () => {
    for (const offer of SEED_OFFERS) {
      expect(offer.whatHappensNext, offer.slug).not.toMatch(/working days?|\bwithin \d/i);
    }
  });

  it("no offer says a request goes to the manager", () => {
    for (const offer of SEED_OFFERS) {
      const text = [offer.summary, offer.body, offer.whoFor, offer.whatHappensNext].join("\n");
      expect(text, offer.slug).not.toMatch(/will go to your (line )?manager/i);
    }
    const flexible = SEED_OFFERS.find((o) => o.slug === "flexible-working");
    expect(flexible?.whatHappensNext).toMatch(/Nothing reaches your manager unless you agree/);
  });
});
