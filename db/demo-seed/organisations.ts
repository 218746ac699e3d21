// The ICS partner organisations and their email domains (db/seed-data/organisations.ts):
// inserted only when missing (by slug / domain), never overwritten.
import { inArray } from "drizzle-orm";
import type { Tx } from "../client";
import { organisationDomains, organisations, organisationStaffGroupHeadcounts, type Organisation } from "../schema";
import { SEED_ORGANISATIONS } from "../seed-data/organisations";
import { STAFF_GROUP_WEIGHTS } from "../seed-data/staff";
import { STAFF_GROUP_VALUES } from "../../app/lib/staff-groups";

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

/**
 * Demo staff in post per staff group (the denominators of turnover by staff group, ADR 036): each
 * organisation's headcount split by its type's staff-group mix, largest remainders first, so the
 * groups add up to the headcount exactly. Only for seeded organisations with none set yet.
 */
export function demoStaffGroupHeadcounts(type: Organisation["type"], headcount: number) {
  const weights = STAFF_GROUP_WEIGHTS[type];
  const total = weights.reduce((n, [, w]) => n + w, 0);
  const parts = weights.map(([staffGroup, w]) => {
    const exact = (headcount * w) / total;
    return { staffGroup, headcount: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = headcount - parts.reduce((n, p) => n + p.headcount, 0);
  for (const p of [...parts].sort((a, b) => b.remainder - a.remainder)) {
    if (left <= 0) break;
    p.headcount += 1;
    left -= 1;
  }
  // Every staff group, 0 where the type has none (as an administrator fills the form in).
  return STAFF_GROUP_VALUES.map((staffGroup) => ({
    staffGroup,
    headcount: parts.find((p) => p.staffGroup === staffGroup)?.headcount ?? 0,
  }));
}

export async function insertDemoStaffGroupHeadcounts(tx: Tx, orgBySlug: Map<string, Organisation>): Promise<number> {
  const seeded = [...orgBySlug.values()];
  if (seeded.length === 0) return 0;
  const have = await tx
    .selectDistinct({ id: organisationStaffGroupHeadcounts.organisationId })
    .from(organisationStaffGroupHeadcounts)
    .where(
      inArray(
        organisationStaffGroupHeadcounts.organisationId,
        seeded.map((o) => o.id),
      ),
    );
  const done = new Set(have.map((h) => h.id));
  const rows = seeded
    .filter((o) => !done.has(o.id))
    .flatMap((o) => demoStaffGroupHeadcounts(o.type, o.headcount).map((p) => ({ organisationId: o.id, ...p })));
  if (rows.length === 0) return 0;
  await tx.insert(organisationStaffGroupHeadcounts).values(rows);
  return rows.length;
}
