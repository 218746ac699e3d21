// The database the insights attack runs against, and what the attacker knows of the catalogue.
// Shared by the attack test (tests/integration/insights-attack.test.ts) and scripts/attack-insights.ts.
import { asc, eq, sql } from "drizzle-orm";
import type { Database } from "@db/client";
import { seedScale } from "@db/scale";
import { organisations, supportOffers, users } from "@db/schema";
import { seedDemoData } from "@db/seed";
import type { CurrentUser } from "~/.server/auth/types";
import type { InsightsPageData } from "~/.server/models/insights.server";
import { addMonths } from "~/lib/insights/publish";
import type { InsightTable } from "~/lib/insights/types";
import { TENURE_BANDS } from "~/lib/insights/facts";
import { STAFF_GROUPS } from "~/lib/staff-groups";
import type { PageObservation, Vocabulary } from "./insights-attacker";

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
  return seedScale(db, {
    staff: o.staff,
    requests: o.requests,
    seed: o.seed ?? 1,
    now: o.now,
    years: o.years ?? 3,
    vacuum: false,
  });
}

/** The names the pages use: public to any manager (the filter lists and the tables show them). */
export async function attackVocabulary(
  db: Database,
  outcomes: { value: string; label: string }[],
): Promise<Vocabulary> {
  const [orgs, offers] = await Promise.all([
    db
      .select({ slug: organisations.slug, name: organisations.name })
      .from(organisations)
      .orderBy(asc(organisations.name)),
    db
      .select({ slug: supportOffers.slug, title: supportOffers.title, sensitive: supportOffers.sensitive })
      .from(supportOffers),
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

/**
 * Record keys from each request's reference instead of random(): the same perturbations on every
 * run, so the attack test's figures are repeatable. Then the rollups' key sums are rebuilt.
 */
export async function repeatableRecordKeys(db: Database) {
  await db.execute(sql`update support_requests set record_key = (hashtext(reference || ':attack') & 1048575)`);
  await db.execute(sql`select rebuild_insight_rollups()`);
}

/** The months of a period, from and to inclusive (YYYY-MM). */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** What an attacker reads off one page (or CSV) of the publication set. */
export function observationOf(
  name: string,
  data: InsightsPageData,
  tables: InsightTable[] = data.tables,
): PageObservation {
  const f = data.filters.filter;
  return {
    name,
    months: monthsBetween(data.filters.period.from, data.filters.period.to),
    filter:
      f.kind === "organisation"
        ? { organisation: f.slug }
        : f.kind === "offer"
          ? { offer: f.slug }
          : f.kind === "group"
            ? { group: f.value }
            : undefined,
    scope:
      data.scope.kind === "ics"
        ? { kind: "ics" }
        : { kind: "organisation", organisation: data.scope.organisation.slug },
    tables,
    withheld: data.published === null,
  };
}

/** The tables of an insights CSV (after the header lines: blocks of caption, header, rows), ids from the page's. */
export function csvInsightTables(rows: string[][], pageTables: InsightTable[]): InsightTable[] {
  const blocks: string[][][] = [];
  let current: string[][] | null = null;
  for (const row of rows) {
    if (row.length === 1 && row[0] === "") blocks.push((current = []));
    else if (current) current.push(row);
  }
  return blocks.map(([caption, header, ...rest]) => {
    const id = pageTables.find((t) => t.caption === caption![0])?.id;
    if (!id) throw new Error(`CSV table "${caption![0]}" is not on the page`);
    return {
      id,
      caption: caption![0]!,
      rowHeader: header![0]!,
      columns: header!.slice(1),
      rows: rest.map((r) => ({ label: r[0]!, cells: r.slice(1), isTotal: /^(total|all support)$/i.test(r[0]!) })),
    };
  });
}

/** Numbers shown with more precision than the design publishes: more than one decimal, or a fractional percentage. */
export const TOO_PRECISE = /\d\.\d{2,}|\d\.\d+\s*%/;
