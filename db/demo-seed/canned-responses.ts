// The catalogue's canned responses (db/seed-data/canned-responses.ts), for offers that have none.
import { and, eq, inArray, notExists, sql } from "drizzle-orm";
import type { Tx } from "../client";
import { cannedResponses, supportOffers } from "../schema";
import { cannedResponsesFor } from "../seed-data/canned-responses";
import { SEED_OFFERS } from "../seed-data/offers";

/** The catalogue's canned responses, for offers that have none yet. */
export async function insertCannedResponses(tx: Tx, now: Date): Promise<number> {
  const offers = await tx
    .select({
      id: supportOffers.id,
      slug: supportOffers.slug,
      firstContactTargetDays: supportOffers.firstContactTargetDays,
    })
    .from(supportOffers)
    .where(
      and(
        inArray(
          supportOffers.slug,
          SEED_OFFERS.map((o) => o.slug),
        ),
        notExists(
          tx
            .select({ one: sql`1` })
            .from(cannedResponses)
            .where(eq(cannedResponses.offerId, supportOffers.id)),
        ),
      ),
    );
  const values = offers.flatMap((o) =>
    cannedResponsesFor(o).map((c, i) => ({
      offerId: o.id,
      title: c.title,
      body: c.body,
      sortOrder: i + 1,
      createdAt: now,
      updatedAt: now,
    })),
  );
  if (values.length === 0) return 0;
  const rows = await tx.insert(cannedResponses).values(values).returning({ id: cannedResponses.id });
  return rows.length;
}
