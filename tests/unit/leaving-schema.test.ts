// The leaving questionnaire's one schema, as the browser (react-hook-form values) and the server
// (FormData) give it answers.
import { describe, expect, it } from "vitest";
import { leavingSchema } from "~/schemas/leaving";

const WLB = "Voluntary Resignation - Work Life Balance";

const base = {
  leavingDate: "2026-03-31",
  destination: "study",
  reasons: [WLB],
  mainReason: WLB,
  supportUsed: ["none"],
  returnWays: ["bank"],
  contactConsent: false,
};

describe("leavingSchema", () => {
  it("takes react-hook-form's false for a checkbox group with nothing ticked", () => {
    const out = leavingSchema.parse({ ...base, kept: false, supportKnown: false });
    expect(out.kept).toEqual([]);
    expect(out.supportKnown).toEqual([]);
  });

  it("says which required group is empty, not 'expected array'", () => {
    const result = leavingSchema.safeParse({ ...base, reasons: false, supportUsed: false });
    expect(result.success).toBe(false);
    const messages = Object.fromEntries(result.error!.issues.map((i) => [String(i.path[0]), i.message]));
    expect(messages.reasons).toBe("Select at least one reason for leaving");
    expect(messages.supportUsed).toBe("Select the StayWell support you used, or None");
  });

  it("refuses a reason that is not an ESR reason offered on the form", () => {
    const result = leavingSchema.safeParse({
      ...base,
      reasons: ["Dismissal - Conduct"],
      mainReason: "Dismissal - Conduct",
    });
    expect(result.success).toBe(false);
  });

  it("needs a personal address for consent, and no consent with 'would not come back'", () => {
    const result = leavingSchema.safeParse({ ...base, returnWays: ["no"], contactConsent: "on" });
    const paths = result.error!.issues.map((i) => i.path[0]);
    expect(paths).toContain("contactConsent");
    expect(paths).toContain("personalEmail");
  });
});
