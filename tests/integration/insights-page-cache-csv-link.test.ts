// Found by hostile review h-rev of the insights page store (ADR 041 night addendum h-ins3): "/insights
// and its CSV read the same entry ... the file shows exactly the page's figures" held only when the
// page's own URL already had the CSV link's query string. The link is built from the filters in force
// (insightsQuery: `period=<key>` always, `for` only for an ICS-wide manager), while the store's key
// was the URL's values as given: the landing page (no period) and an organisation's manager's page
// naming their organisation were stored under other keys than their links asked for, so the CSV
// could show other figures (requests closed meanwhile). Fixed in cacheKeyOf: the key is the page's
// as its links ask for it (the default period named; an organisation's manager's page kept under
// no filter, served to a URL naming an organisation only when it is the page's own).
// Runs on PGlite and PostgreSQL.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import type { Organisation, SupportOffer } from "@db/schema";
import { clearInsightsPageCache } from "~/.server/models/insights-page-cache.server";
import { insightsCsv, insightsFilterLabels, insightsScopeLabel } from "~/lib/insights/csv";
import { insightTables } from "~/lib/insights/tables";
import * as csvRoute from "~/routes/insights[.]csv";
import * as pageRoute from "~/routes/insights";
import { insightsQuery, type InsightsPayload } from "~/routes/insights";
import { createOffer, createOrganisation, createUser, type TestUser } from "../helpers/factories";
import { getRequest, signInCookie } from "../helpers/http";
import { addRequests } from "../helpers/insights-requests";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

async function page(user: TestUser, query: string): Promise<InsightsPayload> {
  return (await pageRoute.loader({
    request: getRequest(`/insights${query}`, { cookie: await signInCookie(user.id) }),
    params: {},
    context: {},
  })) as InsightsPayload;
}

async function csvText(user: TestUser, query: string): Promise<string> {
  const response = (await csvRoute.loader({
    request: getRequest(`/insights.csv${query}`, { cookie: await signInCookie(user.id) }),
    params: {},
    context: {},
  })) as Response;
  expect(response.status).toBe(200);
  return response.text();
}

/** The CSV the page's figures make (what the download must be). */
function csvOf(payload: InsightsPayload): string {
  return insightsCsv(insightTables(payload.published!), {
    period: payload.filters.period.label,
    scope: insightsScopeLabel(payload),
    filters: insightsFilterLabels(payload),
  }).replace(/^\uFEFF/, "");
}

/** The href of the page's CSV link, as InsightsPage renders it. */
const linkOf = (payload: InsightsPayload) => `?${insightsQuery(payload.filters, payload.scope.kind)}`;

/** Requests closed while the manager reads the page (what really moves within a month: outcomes, open now). */
async function closeSome(n: number) {
  await queryRows(
    getDb(),
    sql`update support_requests set status = 'closed', closed_at = now(), close_outcome = 'support_given'
        where id in (select id from support_requests where status = 'new' order by id limit ${n})`,
  );
}

let org: Organisation;
let offer: SupportOffer;
let managerIcs: TestUser;
let managerOrg: TestUser;

beforeAll(async () => {
  org = await createOrganisation({ headcount: 3000 });
  offer = await createOffer({ title: "CSV link support" });
  await addRequests(org.id, offer.id, 40);
  managerIcs = await createUser({ role: "manager" });
  managerOrg = await createUser({ role: "manager", organisationId: org.id, managesOrganisationId: org.id });
});

describe("the CSV link of a stored insights page", () => {
  it("the landing page's CSV link gives the landing page's figures", async () => {
    await clearInsightsPageCache();
    const shown = await page(managerIcs, "");
    await closeSome(15);
    expect(await csvText(managerIcs, linkOf(shown))).toBe(csvOf(shown));
  });

  it("an organisation manager's CSV link gives the page's figures when the page named their organisation", async () => {
    await clearInsightsPageCache();
    const shown = await page(managerOrg, `?period=12m&for=${encodeURIComponent(`organisation:${org.slug}`)}`);
    await closeSome(15);
    expect(await csvText(managerOrg, linkOf(shown))).toBe(csvOf(shown));
  });
});
