// db:seed:scale adds ESR leavers in proportion to the staff it adds (db/scale.ts addEsrLeavers),
// with the demo seed's generator, as one import; a second run adds new leavers, not the same ones.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { esrLeaverImports, esrLeavers, organisations } from "@db/schema";
import { getDb } from "@db/current";
import { DEMO_ESR_CODES } from "@db/demo-seed/esr-leavers";
import { addEsrLeavers } from "@db/scale";
import { createOrganisation } from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

beforeAll(async () => {
  for (const code of Object.values(DEMO_ESR_CODES)) {
    const organisation = await createOrganisation();
    await getDb().update(organisations).set({ esrCode: code }).where(eq(organisations.id, organisation.id));
  }
});

describe("scale seed leavers", () => {
  it("adds about 13 leavers per 100 staff added, as one import, new ones each run", async () => {
    const now = new Date("2026-06-01T12:00:00Z");
    const first = await addEsrLeavers(getDb(), { staffAdded: 5_000, seed: 1, now });
    expect(first).toBeGreaterThanOrEqual(600);
    expect(first).toBeLessThanOrEqual(750);
    const again = await addEsrLeavers(getDb(), { staffAdded: 5_000, seed: 1, now });
    expect(again).toBe(first);
    const stored = await getDb().select().from(esrLeavers);
    expect(stored).toHaveLength(first + again);
    const imports = await getDb().select().from(esrLeaverImports);
    expect(imports.map((i) => i.addedRows)).toEqual([first, again]);
    // Three years to `now`, first-year leavers as the generator makes them.
    expect(stored.every((l) => l.terminationDate < "2026-06-01" && l.terminationDate >= "2023-05-01")).toBe(true);
    expect(await addEsrLeavers(getDb(), { staffAdded: 0, seed: 1, now })).toBe(0);
  });
});
