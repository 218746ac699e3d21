// The start-up banner's list of demo accounts: every description starts in one column, after the
// longest address and a space, so no address runs into its description.
import { describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS, demoAccountLines } from "@db/seed-data/accounts";

describe("demoAccountLines", () => {
  it("pads each address to the longest one", () => {
    const lines = demoAccountLines([
      { email: "a@b.test", description: "short" },
      { email: "reservists.coordinator@icb.staywell.test", description: "long" },
    ]);
    expect(lines).toEqual([`  a@b.test${" ".repeat(32)} short`, "  reservists.coordinator@icb.staywell.test long"]);
  });

  it("keeps every demo address apart from its description", () => {
    const lines = demoAccountLines(DEMO_ACCOUNTS);
    const longest = Math.max(...DEMO_ACCOUNTS.map((a) => a.email.length));
    expect(longest).toBeGreaterThan(36);
    DEMO_ACCOUNTS.forEach((account, i) => {
      expect(lines[i]).toBe(`  ${account.email}${" ".repeat(longest - account.email.length)} ${account.description}`);
    });
  });
});
