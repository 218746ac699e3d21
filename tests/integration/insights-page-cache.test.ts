// /insights' finished pages kept in the database for a few minutes (insights-page-cache.server.ts,
// ADR 041 night addendum), on PGlite and PostgreSQL: a repeat reads the stored entry; scopes never
// share one; a URL with errors stores nothing; an entry expires (and never outlives the London
// month); the CSV reads the page's entry; a change to organisations or offers empties the store.
import { eq, sql } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import { insightsPageCache, organisations, supportOffers, type Organisation, type SupportOffer } from "@db/schema";
import {
  clearInsightsPageCache,
  insightsCacheExpiry,
  loadPublishedInsightsPage,
  type InsightsPagePayload,
} from "~/.server/models/insights-page-cache.server";
import { insightsCsv, insightsFilterLabels, insightsScopeLabel } from "~/lib/insights/csv";
import { insightTables } from "~/lib/insights/tables";
import * as csvRoute from "~/routes/insights[.]csv";
import * as pageRoute from "~/routes/insights";
import type { InsightsPayload } from "~/routes/insights";
import { asCurrentUser, createOffer, createOrganisation, createUser, type TestUser } from "../helpers/factories";
import { getRequest, signInCookie } from "../helpers/http";
import { addRequests } from "../helpers/insights-requests";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const cookies = new Map<string, string>();
async function cookieOf(user: TestUser) {
  if (!cookies.has(user.id)) cookies.set(user.id, await signInCookie(user.id));
  return cookies.get(user.id)!;
}

/** The page loader as Remix calls it; a thrown Response becomes its status. */
async function page(user: TestUser, query = ""): Promise<{ status: number; payload?: InsightsPayload }> {
  try {
    const payload = (await pageRoute.loader({
      request: getRequest(`/insights${query}`, { cookie: await cookieOf(user) }),
      params: {},
      context: {},
    })) as InsightsPayload;
    return { status: 200, payload };
  } catch (err) {
    if (err instanceof Response) return { status: err.status };
    const d = err as { type?: string; init?: ResponseInit | null } | null;
    if (d && typeof d === "object" && d.type === "DataWithResponseInit") return { status: d.init?.status ?? 200 };
    throw err;
  }
}

async function csvText(user: TestUser, query = ""): Promise<string> {
  const response = (await csvRoute.loader({
    request: getRequest(`/insights.csv${query}`, { cookie: await cookieOf(user) }),
    params: {},
    context: {},
  })) as Response;
  expect(response.status).toBe(200);
  return response.text();
}

async function storedRows() {
  return getDb()
    .select({ scope: insightsPageCache.scope, period: insightsPageCache.period, filter: insightsPageCache.filter })
    .from(insightsPageCache)
    .orderBy(insightsPageCache.scope, insightsPageCache.period, insightsPageCache.filter);
}

const total = (p: InsightsPagePayload | InsightsPayload | undefined) => p?.published?.total.text;

let orgA: Organisation;
let orgB: Organisation;
let offer: SupportOffer;
let managerA: TestUser;
let managerB: TestUser;
let managerIcs: TestUser;

beforeAll(async () => {
  orgA = await createOrganisation({ headcount: 2600 });
  orgB = await createOrganisation({ headcount: 4100 });
  offer = await createOffer({ title: "Cache test support" });
  await addRequests(orgA.id, offer.id, 40);
  await addRequests(orgB.id, offer.id, 60);
  managerA = await createUser({ role: "manager", organisationId: orgA.id, managesOrganisationId: orgA.id });
  managerB = await createUser({ role: "manager", organisationId: orgB.id, managesOrganisationId: orgB.id });
  managerIcs = await createUser({ role: "manager" });
});

beforeEach(async () => {
  await clearInsightsPageCache();
});

describe("the insights page store", () => {
  it("stores a valid page once and serves the repeat from the stored entry", async () => {
    const first = await page(managerIcs, "?period=12m");
    expect(first.status).toBe(200);
    expect(total(first.payload)).toBeTruthy();
    expect(await storedRows()).toEqual([{ scope: "ics", period: "12m", filter: "" }]);

    // The repeat is the stored entry: more requests since, same figures (and the same "as at").
    await addRequests(orgB.id, offer.id, 30);
    const second = await page(managerIcs, "?period=12m");
    expect(second.payload).toEqual(first.payload);

    // ...and it really is read from the row: a marked row is what the loader returns.
    await getDb()
      .update(insightsPageCache)
      .set({ payload: sql`replace(${insightsPageCache.payload}, '"csvFileName":"', '"csvFileName":"stored-')` })
      .where(eq(insightsPageCache.scope, "ics"));
    const marked = await page(managerIcs, "?period=12m");
    expect(marked.payload!.csvFileName).toMatch(/^stored-staywell-insights-/);

    // Emptied, the page is computed afresh and sees the 30 requests.
    await clearInsightsPageCache();
    const fresh = await page(managerIcs, "?period=12m");
    expect(fresh.payload!.csvFileName).toMatch(/^staywell-insights-/);
    expect(Number(total(fresh.payload))).toBeGreaterThan(Number(total(first.payload)));
  });

  it("never shares an entry between scopes: the ICS page, A's and B's are apart", async () => {
    const forA = `?for=${encodeURIComponent(`organisation:${orgA.slug}`)}`;
    const ics = await page(managerIcs, forA);
    // Mark the ICS entry: no organisation's manager may ever be given it.
    await getDb()
      .update(insightsPageCache)
      .set({ payload: sql`replace(${insightsPageCache.payload}, '"csvFileName":"', '"csvFileName":"ics-')` });
    const a = await page(managerA, forA);
    expect(a.status).toBe(200);
    expect(a.payload!.scope).toEqual({
      kind: "organisation",
      organisation: expect.objectContaining({ id: orgA.id }),
    });
    expect(a.payload!.csvFileName).not.toMatch(/^ics-/);
    // The same figures as the ICS manager's page for A (ADR 008), from its own entry.
    expect(a.payload!.published).toEqual(ics.payload!.published);

    // B's manager naming A is refused although both A's and the ICS entry for that URL exist.
    expect((await page(managerB, forA)).status).toBe(403);
    const b = await page(managerB);
    expect(b.payload!.scope).toEqual({ kind: "organisation", organisation: expect.objectContaining({ id: orgB.id }) });
    expect(b.payload!.csvFileName).not.toMatch(/^ics-/);
    // Keys as the pages' own links ask for them: the default period named; an organisation's
    // manager's page is their organisation's whatever the URL names, so it is kept under "".
    expect(await storedRows()).toEqual([
      { scope: "ics", period: "12m", filter: `organisation:${orgA.slug}` },
      { scope: `organisation:${orgA.id}`, period: "12m", filter: "" },
      { scope: `organisation:${orgB.id}`, period: "12m", filter: "" },
    ]);
    // With B's own page stored, B naming A is still refused: a stored page is served to a URL
    // naming an organisation only when it is the page's own.
    expect((await page(managerB, forA)).status).toBe(403);
    const bNamingB = await page(managerB, `?for=${encodeURIComponent(`organisation:${orgB.slug}`)}`);
    expect(bNamingB.payload).toEqual(b.payload);

    // A stored entry does not outlive a change of role: staff are refused before any read.
    await queryRows(
      getDb(),
      sql`update users set role = 'staff', manages_organisation_id = null where id = ${managerA.id}`,
    );
    expect((await page(managerA, forA)).status).toBe(403);
    await queryRows(
      getDb(),
      sql`update users set role = 'manager', manages_organisation_id = ${orgA.id} where id = ${managerA.id}`,
    );
  });

  it("stores nothing for a URL with errors, a repeated parameter or a value not in the lists", async () => {
    for (const query of [
      "?period=nope",
      "?period=12m&period=12m",
      "?for=offer:no-such-offer",
      `?for=${encodeURIComponent("organisation:\u0000")}`,
      `?for=${"x".repeat(500)}`,
      `?for=organisation:${orgA.slug}&for=offer:${offer.slug}`,
    ]) {
      const result = await page(managerIcs, query);
      expect(result.status, query).toBe(200);
      expect(result.payload!.errors.length, query).toBeGreaterThan(0);
    }
    // An organisation's manager asking for a narrower page gets an error, and nothing is stored.
    const narrower = await page(managerA, `?for=offer:${offer.slug}`);
    expect(narrower.payload!.errors.map((e) => e.field)).toEqual(["for"]);
    expect(await storedRows()).toEqual([]);
  });

  it("serves every section page from the overview's entry: the section is not in the key", async () => {
    const overview = await page(managerIcs, "?period=12m");
    expect(await storedRows()).toEqual([{ scope: "ics", period: "12m", filter: "" }]);
    await getDb()
      .update(insightsPageCache)
      .set({ payload: sql`replace(${insightsPageCache.payload}, '"csvFileName":"', '"csvFileName":"stored-')` });
    for (const key of ["organisations", "staff-groups", "tenure", "responsiveness", "outcomes", "satisfaction"]) {
      const section = await page(managerIcs, `?period=12m&show=${key}`);
      expect(section.payload!.show, key).toBe(key);
      expect(section.payload!.csvFileName, key).toMatch(/^stored-staywell-insights-/);
      expect(section.payload!.published, key).toEqual(overview.payload!.published);
    }
    expect(await storedRows()).toEqual([{ scope: "ics", period: "12m", filter: "" }]);
  });

  it("stores nothing for an unknown or repeated section, and such a URL still reads the stored entry", async () => {
    const bad = [
      "?show=nope",
      "?show=organisations&show=tenure",
      "?show=Organisations",
      `?show=${encodeURIComponent("<script>")}`,
      `?show=${encodeURIComponent("\u0000")}`,
      `?period=12m&show=${"x".repeat(500)}`,
    ];
    for (const query of bad) {
      const result = await page(managerIcs, query);
      expect(result.status, query).toBe(200);
      expect(result.payload!.errors, query).toEqual([{ field: "show", message: "Choose a section from the list" }]);
      expect(result.payload!.show, query).toBe("");
    }
    expect(await storedRows()).toEqual([]);
    // Once the valid page is stored, a bad section reads it (the same published set) and adds nothing.
    const good = await page(managerIcs, "?period=12m");
    const badAfter = await page(managerIcs, "?period=12m&show=nope");
    expect(badAfter.payload!.published).toEqual(good.payload!.published);
    expect(await storedRows()).toEqual([{ scope: "ics", period: "12m", filter: "" }]);
  });

  it("expires after a few minutes and then computes afresh", async () => {
    const user = asCurrentUser(managerIcs);
    const url = new URL("http://localhost/insights?period=12m");
    const t0 = new Date();
    const first = await loadPublishedInsightsPage(user, url, t0);
    await addRequests(orgA.id, offer.id, 25);
    const soon = await loadPublishedInsightsPage(user, url, new Date(t0.getTime() + 4 * 60_000));
    expect(soon).toEqual(first);
    const later = await loadPublishedInsightsPage(user, url, new Date(t0.getTime() + 6 * 60_000));
    expect(Number(total(later))).toBeGreaterThan(Number(total(first)));
    // A write deletes expired rows of other pages as it goes.
    const other = new URL(`http://localhost/insights?for=${encodeURIComponent(`offer:${offer.slug}`)}`);
    await loadPublishedInsightsPage(user, other, new Date(t0.getTime() + 20 * 60_000));
    expect((await storedRows()).map((r) => r.filter)).toEqual([`offer:${offer.slug}`]);
  });

  it("still serves the page when storing it fails, and stores nothing", async () => {
    const db = getDb();
    await queryRows(
      db,
      sql.raw(`create function insights_cache_test_refuse() returns trigger language plpgsql as $$
                 begin raise exception 'store refused by the test'; end; $$`),
    );
    await queryRows(
      db,
      sql.raw(`create trigger insights_cache_test_refuse before insert on insights_page_cache
                 for each row execute function insights_cache_test_refuse()`),
    );
    try {
      const served = await page(managerIcs, "?period=12m");
      expect(served.status).toBe(200);
      expect(Number(total(served.payload))).toBeGreaterThanOrEqual(100);
      expect(await storedRows()).toEqual([]);
    } finally {
      await queryRows(db, sql.raw("drop trigger insights_cache_test_refuse on insights_page_cache"));
      await queryRows(db, sql.raw("drop function insights_cache_test_refuse()"));
    }
    // With the store working again, the same page is stored.
    expect((await page(managerIcs, "?period=12m")).status).toBe(200);
    expect((await storedRows()).map((r) => r.scope)).toEqual(["ics"]);
  });

  it("never keeps an entry past the end of the London month", () => {
    // GMT: 23:58 on 30 November ends at midnight.
    expect(insightsCacheExpiry(new Date("2026-11-30T23:58:00Z"))).toEqual(new Date("2026-12-01T00:00:00Z"));
    // BST: 23:58 London on 31 May is 22:58 UTC; June starts at 23:00 UTC.
    expect(insightsCacheExpiry(new Date("2026-05-31T22:58:00Z"))).toEqual(new Date("2026-05-31T23:00:00Z"));
    expect(insightsCacheExpiry(new Date("2026-11-15T10:00:00Z"))).toEqual(new Date("2026-11-15T10:05:00Z"));
  });

  it("gives the CSV exactly the page's figures, from the page's entry", async () => {
    const shown = await page(managerIcs, "?period=12m");
    await addRequests(orgA.id, offer.id, 25);
    const payload = shown.payload!;
    const expected = insightsCsv(insightTables(payload.published!), {
      period: payload.filters.period.label,
      scope: insightsScopeLabel(payload),
      filters: insightsFilterLabels(payload),
    }).replace(/^\uFEFF/, ""); // Response.text() drops the BOM
    expect(await csvText(managerIcs, "?period=12m")).toBe(expected);
    // Without the entry the CSV would have shown the new requests.
    await clearInsightsPageCache();
    expect(await csvText(managerIcs, "?period=12m")).not.toBe(expected);
  });

  it("is emptied by a change to an organisation or an offer, in the change's own transaction", async () => {
    await page(managerIcs);
    await page(managerA);
    expect((await storedRows()).length).toBe(2);
    await getDb().update(organisations).set({ name: "Renamed Trust" }).where(eq(organisations.id, orgA.id));
    expect(await storedRows()).toEqual([]);
    const renamed = await page(managerA);
    expect(renamed.payload!.scope).toEqual({
      kind: "organisation",
      organisation: expect.objectContaining({ name: "Renamed Trust" }),
    });

    await page(managerIcs);
    // A change rolled back leaves the store as it was.
    await getDb()
      .transaction(async (tx) => {
        await tx.update(supportOffers).set({ title: "Never" }).where(eq(supportOffers.id, offer.id));
        throw new Error("roll back");
      })
      .catch(() => undefined);
    expect((await storedRows()).length).toBe(2);
    await getDb().update(supportOffers).set({ title: "Retitled support" }).where(eq(supportOffers.id, offer.id));
    expect(await storedRows()).toEqual([]);
    const retitled = await page(managerIcs);
    expect(retitled.payload!.options.offers.map((o) => o.title)).toContain("Retitled support");
  });

  it("never serves a page computed before an offer was made sensitive, even if stored after the change", async () => {
    // Review h-rev: a miss that read the data before an admin change committed and wrote its page
    // after the change emptied the store. The write is simulated by putting the old page back with
    // the generation the miss had read; the next view must compute afresh (counts of a sensitive
    // offer are rounded to 5, ADR 008).
    const own = await createOffer({ title: "Race test support", sensitive: false });
    await addRequests(orgA.id, own.id, 41);
    const query = `?period=12m&for=offer:${own.slug}`;
    const before = await page(managerIcs, query);
    expect(before.payload!.published!.total.rounded).toBe(false);
    const [stored] = await getDb().select().from(insightsPageCache);
    expect(stored).toBeDefined();

    await getDb().update(supportOffers).set({ sensitive: true }).where(eq(supportOffers.id, own.id));
    expect(await storedRows()).toEqual([]);
    await getDb().insert(insightsPageCache).values(stored!); // the late write of the miss

    const after = await page(managerIcs, query);
    expect(after.payload!.published!.total.rounded).toBe(true);
    expect(after.payload!.published!.total.value! % 5).toBe(0);
    // The fresh page is stored with the new generation and served from then on.
    const rows = await getDb().select().from(insightsPageCache);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.generation).toBeGreaterThan(stored!.generation);
    expect((await page(managerIcs, query)).payload).toEqual(after.payload);
  });
});
