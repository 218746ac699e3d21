// The support catalogue. Reading it needs no sign-in; only active offers are listed.
import { and, asc, eq, ilike, or } from "drizzle-orm";
import { getDb } from "@db/current";
import { supportOffers, type SupportOffer } from "@db/schema";

export type OfferSummary = Pick<SupportOffer, "slug" | "title" | "category" | "summary" | "sensitive">;

/** Active offers, optionally filtered by words in the title, summary, category or who it is for. */
export async function listActiveOffers(filter?: string): Promise<OfferSummary[]> {
  const words = (filter ?? "").trim().split(/\s+/).filter(Boolean).slice(0, 8);
  const conditions = words.map((word) => {
    const pattern = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return or(
      ilike(supportOffers.title, pattern),
      ilike(supportOffers.summary, pattern),
      ilike(supportOffers.category, pattern),
      ilike(supportOffers.whoFor, pattern),
      ilike(supportOffers.provider, pattern),
    );
  });
  return getDb()
    .select({
      slug: supportOffers.slug,
      title: supportOffers.title,
      category: supportOffers.category,
      summary: supportOffers.summary,
      sensitive: supportOffers.sensitive,
    })
    .from(supportOffers)
    .where(and(eq(supportOffers.active, true), ...conditions))
    .orderBy(asc(supportOffers.category), asc(supportOffers.sortOrder), asc(supportOffers.title));
}

/** An offer by slug, active or not (a retired offer's page says it is closed to new requests). */
export async function getOfferBySlug(slug: string): Promise<SupportOffer | null> {
  const [offer] = await getDb().select().from(supportOffers).where(eq(supportOffers.slug, slug)).limit(1);
  return offer ?? null;
}
