// The support catalogue. Reading it needs no sign-in; only active offers are listed.
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { getDb } from "@db/current";
import { supportOffers, type SupportOffer } from "@db/schema";
import { STAY_OFFER_SLUG } from "~/lib/leaving";
import { expandSearch, normaliseSearch } from "~/lib/search-synonyms";
import { hasControlCharacters } from "~/schemas/text";

export type OfferSummary = Pick<SupportOffer, "slug" | "title" | "category" | "summary" | "sensitive" | "formKind">;

const summaryColumns = {
  slug: supportOffers.slug,
  title: supportOffers.title,
  category: supportOffers.category,
  summary: supportOffers.summary,
  sensitive: supportOffers.sensitive,
  formKind: supportOffers.formKind,
};

/**
 * Mental health support: the psychological form (the psychological wellbeing hub), or any offer
 * in a mental health category. A search that finds one shows the crisis numbers above its results
 * (ADR 013): someone searching for it may need help now.
 */
export function isMentalHealthOffer(offer: Pick<OfferSummary, "formKind" | "category">): boolean {
  return offer.formKind === "psychological" || /\bmental health\b/i.test(offer.category);
}

/**
 * The full-text query for a search (docs/decisions/013-catalogue-search.md): the person's words as
 * web search syntax (quotes, "or", "-" work; nothing they type can be a syntax error), or any of
 * the phrases the shipped synonym list adds. Every piece is a bound parameter. Null when nothing
 * searchable is left.
 */
export function offerSearchQuery(filter: string | null | undefined): SQL | null {
  const search = normaliseSearch(filter);
  if (!search) return null;
  const parts = [
    sql`websearch_to_tsquery('english', ${search})`,
    ...expandSearch(search).map((phrase) => sql`plainto_tsquery('english', ${phrase})`),
  ];
  return sql`(${sql.join(parts, sql` || `)})`;
}

/**
 * Active offers. Without a search, in catalogue order (category, then the order within it); with
 * one, those that match it, best match first (title and keywords count most, then the summary,
 * then who it is for, then the description).
 */
export async function listActiveOffers(filter?: string | null): Promise<OfferSummary[]> {
  const query = offerSearchQuery(filter);
  if (!query) {
    return getDb()
      .select(summaryColumns)
      .from(supportOffers)
      .where(eq(supportOffers.active, true))
      .orderBy(asc(supportOffers.category), asc(supportOffers.sortOrder), asc(supportOffers.title));
  }
  const rank = sql`ts_rank(${supportOffers.searchVector}, ${query})`;
  return getDb()
    .select(summaryColumns)
    .from(supportOffers)
    .where(and(eq(supportOffers.active, true), sql`${supportOffers.searchVector} @@ ${query}`))
    .orderBy(desc(rank), asc(supportOffers.category), asc(supportOffers.sortOrder), asc(supportOffers.title));
}

/** The categories of active offers, in catalogue order: what a search that finds nothing suggests. */
export async function listActiveCategories(): Promise<string[]> {
  const rows = await getDb()
    .selectDistinct({ category: supportOffers.category })
    .from(supportOffers)
    .where(eq(supportOffers.active, true))
    .orderBy(asc(supportOffers.category));
  return rows.map((r) => r.category);
}

/** An offer by slug, active or not (a retired offer's page says it is closed to new requests). */
export async function getOfferBySlug(slug: string): Promise<SupportOffer | null> {
  // A key with a control character names nothing (and PostgreSQL refuses a NUL): not found.
  if (hasControlCharacters(slug)) return null;
  const [offer] = await getDb().select().from(supportOffers).where(eq(supportOffers.slug, slug)).limit(1);
  return offer ?? null;
}

/**
 * The stay-conversation offer ("Thinking about leaving? Talk to us first", ADR 034) for the card on
 * the home page and at the top of /support: the active offer of the thinking_of_leaving form (the
 * seeded slug first), or null when an administrator has retired it.
 */
export async function getStayConversationOffer(): Promise<Pick<OfferSummary, "slug" | "title" | "summary"> | null> {
  const [offer] = await getDb()
    .select({ slug: supportOffers.slug, title: supportOffers.title, summary: supportOffers.summary })
    .from(supportOffers)
    .where(and(eq(supportOffers.active, true), eq(supportOffers.formKind, "thinking_of_leaving")))
    .orderBy(sql`${supportOffers.slug} = ${STAY_OFFER_SLUG} desc`, asc(supportOffers.id))
    .limit(1);
  return offer ?? null;
}
