// The database the insights attack runs against, and what the attacker knows of the catalogue.
// Shared by the attack test (tests/integration/insights-attack.test.ts) and scripts/attack-insights.ts.
import { asc, eq } from "drizzle-orm";
import type { Database } from "@db/client";
import { seedScale } from "@db/scale";
import { organisations, supportOffers, users } from "@db/schema";
import { seedDemoData } from "@db/seed";
import type { CurrentUser } from "~/.server/auth/types";
import { TENURE_BANDS } from "~/lib/insights/facts";
import { STAFF_GROUPS } from "~/lib/staff-groups";
import type { Vocabulary } from "./insights-attacker";

export interface AttackDataOptions {
  /** The moment the data end (and the pages are read). */
  now: Date;
  requests: number;
  staff: number;
  seed?: number;
  /** Years of requests before `now` (default 3: the 36 months a manager can choose from). */
  years?: number;
}

/** The demo catalogue (organisations, offers, teams, demo accounts) and generated requests. */
export async function seedAttackData(db: Database, o: AttackDataOptions) {
  await seedDemoData(db, { now: o.now, pastRequests: 0 });
  return seedScale(db, { staff: o.staff, requests: o.requests, seed: o.seed ?? 1, now: o.now, years: o.years ?? 3, vacuum: false });
}

/** The names the pages use: public to any manager (the filter lists and the tables show them). */
export async function attackVocabulary(db: Database, outcomes: { value: string; label: string }[]): Promise<Vocabulary> {
  const [orgs, offers] = await Promise.all([
    db.select({ slug: organisations.slug, name: organisations.name }).from(organisations).orderBy(asc(organisations.name)),
    db.select({ slug: supportOffers.slug, title: supportOffers.title, sensitive: supportOffers.sensitive }).from(supportOffers),
  ]);
  return {
    organisations: orgs,
    offers,
    staffGroups: STAFF_GROUPS.map((g) => ({ value: g.value, label: g.label })),
    tenureBands: TENURE_BANDS.map((b) => ({ value: b.value, label: b.label })),
    outcomes,
  };
}

/** A demo account as model functions receive the signed-in caller. */
export async function demoUser(db: Database, email: string): Promise<CurrentUser> {
  const [u] = await db.select().from(users).where(eq(users.email, email));
  if (!u) throw new Error(`no demo account ${email}`);
  const { id, name, role, organisationId, staffGroup, jobTitle, startDate, managesOrganisationId } = u;
  return { id, email: u.email, name, role, organisationId, staffGroup, jobTitle, startDate, managesOrganisationId };
}

export const ICS_MANAGER = "manager@icb.staywell.test";
export const ORGANISATION_MANAGER = "manager@uhnm.staywell.test";
