// The ICS partner organisations and their email domains (db/seed-data/organisations.ts):
// inserted only when missing (by slug / domain), never overwritten.
import { inArray } from "drizzle-orm";
import type { Tx } from "../client";
import { organisationDomains, organisations, type Organisation } from "../schema";
import { SEED_ORGANISATIONS } from "../seed-data/organisations";

/** Inserts the missing organisations and domains; returns every seeded organisation by slug. */
export async function insertOrganisations(
  tx: Tx,
): Promise<{ orgBySlug: Map<string, Organisation>; organisations: number; domains: number }> {
  const orgRows = await tx
    .insert(organisations)
    .values(
      SEED_ORGANISATIONS.map((o) => ({
        slug: o.slug,
        name: o.name,
        shortName: o.shortName,
        type: o.type,
        headcount: o.headcount,
      })),
    )
    .onConflictDoNothing({ target: organisations.slug })
    .returning({ id: organisations.id });
  const orgs = await tx
    .select()
    .from(organisations)
    .where(
      inArray(
        organisations.slug,
        SEED_ORGANISATIONS.map((o) => o.slug),
      ),
    );
  const orgBySlug = new Map(orgs.map((o) => [o.slug, o]));
  const domainRows = await tx
    .insert(organisationDomains)
    .values(
      SEED_ORGANISATIONS.flatMap((o) =>
        o.domains.map((domain) => ({ organisationId: orgBySlug.get(o.slug)!.id, domain })),
      ),
    )
    .onConflictDoNothing({ target: organisationDomains.domain })
    .returning({ id: organisationDomains.id });
  return { orgBySlug, organisations: orgRows.length, domains: domainRows.length };
}
