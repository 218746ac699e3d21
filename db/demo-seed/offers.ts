// The support catalogue (db/seed-data/offers.ts): offers inserted only when missing (by slug),
// each in its team (seedTeamForOffer).
import { and, eq } from "drizzle-orm";
import type { Tx } from "../client";
import { supportOffers } from "../schema";
import { SEED_OFFERS } from "../seed-data/offers";
import { seedTeamForOffer } from "../seed-data/teams";

/** Inserts the missing offers; returns how many. */
export async function insertOffers(tx: Tx, teamIdBySlug: Map<string, number>): Promise<number> {
  const offerRows = await tx
    .insert(supportOffers)
    .values(SEED_OFFERS.map((o) => ({ ...o, teamId: teamIdBySlug.get(seedTeamForOffer(o.slug))! })))
    .onConflictDoNothing({ target: supportOffers.slug })
    .returning({ id: supportOffers.id });
  // Offers seeded before they had keywords get the demo ones, once: only while their keywords
  // are empty and no administrator has ever saved them (version 1), so an edit is never undone.
  for (const o of SEED_OFFERS) {
    if (!o.keywords) continue;
    await tx
      .update(supportOffers)
      .set({ keywords: o.keywords })
      .where(and(eq(supportOffers.slug, o.slug), eq(supportOffers.keywords, ""), eq(supportOffers.version, 1)));
  }
  return offerRows.length;
}
