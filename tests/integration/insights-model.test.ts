// Manager insights' data layer on PGlite and PostgreSQL: the rollup triggers stay equal to a
// rebuild through every hub and staff action; figures are scoped in the query; small numbers are
// suppressed before anything leaves the model.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import { insightTables } from "~/lib/insights/publish";
import { loadInsightsPage } from "~/.server/models/insights.server";
import { assignHubRequest, changeHubRequestStatus, messageRequester } from "~/.server/models/hub-requests.server";
import { createRequest, rateMyRequest, withdrawMyRequest } from "~/.server/models/requests.server";
import { asCurrentUser, createOffer, createOrganisation, createTeam, createUser } from "../helpers/factories";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const NOW = new Date("2026-11-20T12:00:00Z");
const url = (query = "") => new URL(`http://localhost/insights${query ? `?${query}` : ""}`);

async function rollups() {
  const db = getDb();
  const [cube, contact, outcomes] = await Promise.all([
    queryRows(db, sql`select breakdown, filter_organisation_id, filter_offer_id, filter_staff_group, dim, to_char(month, 'YYYY-MM') m,
                             requests, rated, rating_sum
                      from insight_cube where requests <> 0 or rated <> 0 order by 1,2,3,4,5,6`),
    queryRows(db, sql`select filter_organisation_id, filter_staff_group, offer_id, to_char(month, 'YYYY-MM') m, working_days, within_target, requests
                      from insight_first_contact_cube where requests <> 0 order by 1,2,3,4,5,6`),
    queryRows(db, sql`select filter_organisation_id, filter_staff_group, offer_id, to_char(month, 'YYYY-MM') m, outcome::text, requests
                      from insight_outcomes_cube where requests <> 0 order by 1,2,3,4,5`),
  ]);
  return { cube, contact, outcomes };
}

function generalRequest(details = "Help with my rota, please") {
  return { details, contactMethod: "email", consentToShareWithManager: "false", submissionKey: randomUUID() };
}

describe("insight rollups", () => {
  it("stay equal to a rebuild from the requests through submit, first contact, pause, close, rate, reopen and withdraw", async () => {
    const org = await createOrganisation();
    const staff = await createUser({ organisationId: org.id, staffGroup: "allied_health", startDate: "2025-06-01" });
    const coordinator = await createUser({ role: "coordinator" });
    const team = await createTeam({ members: [coordinator.id] });
    const offer = await createOffer({ teamId: team.id, firstContactTargetDays: 2 });
    const me = asCurrentUser(staff);
    const hub = asCurrentUser(coordinator);

    const a = await createRequest(me, offer.slug, generalRequest(), new Date("2026-10-05T09:00:00Z"));
    const b = await createRequest(me, offer.slug, generalRequest(), new Date("2026-10-06T09:00:00Z"));
    const c = await createRequest(me, offer.slug, generalRequest(), new Date("2026-11-02T09:00:00Z"));
    let v = (await assignHubRequest(hub, a.reference, { assigneeId: coordinator.id, version: 1 }, new Date("2026-10-05T10:00:00Z"))).version;
    v = (await messageRequester(hub, a.reference, { body: "Hello", version: v }, new Date("2026-10-08T10:00:00Z"))).version;
    v = (await changeHubRequestStatus(hub, a.reference, { to: "in_progress", version: v }, new Date("2026-10-09T09:00:00Z"))).version;
    v = (await changeHubRequestStatus(hub, a.reference, { to: "waiting_on_staff", version: v }, new Date("2026-10-09T10:00:00Z"))).version;
    v = (await changeHubRequestStatus(hub, a.reference, { to: "in_progress", version: v }, new Date("2026-10-13T10:00:00Z"))).version;
    v = (await changeHubRequestStatus(hub, a.reference, { to: "closed", outcome: "support_given", version: v }, new Date("2026-10-20T10:00:00Z"))).version;
    await rateMyRequest(me, a.reference, { rating: "4", comment: "" }, new Date("2026-10-21T10:00:00Z"));
    v = (await changeHubRequestStatus(hub, b.reference, { to: "in_progress", version: 1 }, new Date("2026-10-06T11:00:00Z"))).version;
    v = (await changeHubRequestStatus(hub, b.reference, { to: "closed", outcome: "referred_on", version: v }, new Date("2026-10-07T11:00:00Z"))).version;
    v = (await changeHubRequestStatus(hub, b.reference, { to: "in_progress", version: v }, new Date("2026-10-08T11:00:00Z"))).version;
    await withdrawMyRequest(me, c.reference, {}, new Date("2026-11-03T09:00:00Z"));

    const live = await rollups();
    await queryRows(getDb(), sql`select rebuild_insight_rollups()`);
    expect(live).toEqual(await rollups());

    // And the facts themselves (the rows for "all organisations, all staff groups"): a was
    // contacted 3 working days after (Mon 5 -> Thu 8 Oct), late for a 2-day target, and the later
    // pause did not make it "on time"; b was contacted the same day.
    const everyone = (r: Record<string, unknown>) => r.filter_organisation_id === 0 && r.filter_staff_group === "";
    expect(live.contact.filter(everyone)).toEqual([
      expect.objectContaining({ offer_id: offer.id, m: "2026-10", working_days: 0, within_target: true, requests: 1 }),
      expect.objectContaining({ offer_id: offer.id, m: "2026-10", working_days: 3, within_target: false, requests: 1 }),
    ]);
    // b was reopened: its outcome no longer counts; a's does.
    expect(live.outcomes.filter(everyone)).toEqual([expect.objectContaining({ offer_id: offer.id, outcome: "support_given", requests: 1 })]);
    // Tenure band for this organisation, all offers, all staff groups: 2 in October (one rated 4), 1 in November.
    expect(
      live.cube.filter((r) => r.breakdown === "tenure_band" && r.filter_organisation_id === org.id && r.filter_offer_id === 0 && r.filter_staff_group === ""),
    ).toEqual([
      expect.objectContaining({ dim: "1_to_2", m: "2026-10", requests: 2, rated: 1, rating_sum: 4 }),
      expect.objectContaining({ dim: "1_to_2", m: "2026-11", requests: 1, rated: 0 }),
    ]);
    // Each request is counted once in every filter combination of each breakdown: 4 + 4 + 4 + 8 rows.
    expect(live.cube.filter((r) => r.m === "2026-11")).toHaveLength(20);
  });
});

/** Requests straight into the table (the triggers keep the rollups), `n` per offer and organisation. */
async function addRequests(rows: { organisationId: number; offerId: number; n: number; staffGroup?: string; submittedAt?: Date }[]) {
  const requester = await createUser();
  let i = 0;
  for (const r of rows) {
    for (let k = 0; k < r.n; k++) {
      i++;
      await queryRows(
        getDb(),
        sql`insert into support_requests (reference, requester_id, organisation_id, offer_id, status, answers, contact_method,
                                          submission_key, submitted_at, due_at, staff_group, tenure_band)
            values (${`SW-2031-${randomUUID().slice(0, 8)}`}, ${requester.id}, ${r.organisationId}, ${r.offerId}, 'new', '{}'::jsonb, 'email',
                    ${randomUUID()}, ${(r.submittedAt ?? new Date("2026-09-15T10:00:00Z")).toISOString()}::timestamptz,
                    ${new Date("2026-09-20T10:00:00Z").toISOString()}::timestamptz, ${r.staffGroup ?? "nursing_midwifery"}, '2_to_5')`,
      );
    }
  }
  return i;
}

describe("loadInsightsPage", () => {
  it("answers 403 to anyone who is not a manager", async () => {
    for (const role of ["staff", "coordinator", "admin"] as const) {
      const user = asCurrentUser(await createUser({ role }));
      await expect(loadInsightsPage(user, url(), NOW)).rejects.toMatchObject({ init: { status: 403 } });
    }
  });

  it("keeps an organisation's manager to their organisation, in the figures and the options", async () => {
    const a = await createOrganisation();
    const b = await createOrganisation();
    const offer = await createOffer();
    await addRequests([
      { organisationId: a.id, offerId: offer.id, n: 13 },
      { organisationId: b.id, offerId: offer.id, n: 29 },
    ]);
    const manager = asCurrentUser(await createUser({ role: "manager", organisationId: a.id, managesOrganisationId: a.id }));

    const page = await loadInsightsPage(manager, url(`offer=${offer.slug}`), NOW);
    expect(page.scope).toMatchObject({ kind: "organisation", organisation: { id: a.id } });
    expect(page.options.organisations).toEqual([{ slug: a.slug, name: a.name }]);
    expect(page.published.total.text).toBe("13");
    expect(page.published.byOrganisation.rows.map((r) => r.organisation.id)).toEqual([a.id]);

    await expect(loadInsightsPage(manager, url(`organisation=${b.slug}`), NOW)).rejects.toMatchObject({ init: { status: 403 } });
    await expect(loadInsightsPage(manager, url(`organisation=${a.slug}&organisation=${b.slug}`), NOW)).rejects.toMatchObject({
      init: { status: 403 },
    });
    const own = await loadInsightsPage(manager, url(`organisation=${a.slug}&offer=${offer.slug}`), NOW);
    expect(own.published.total.text).toBe("13");

    // The ICS-wide view, narrowed to this offer (other tests' organisations have none of it).
    const ics = asCurrentUser(await createUser({ role: "manager" }));
    const all = await loadInsightsPage(ics, url(`offer=${offer.slug}`), NOW);
    const rowFor = (id: number) => all.published.byOrganisation.rows.find((r) => r.organisation.id === id)!;
    expect(rowFor(a.id).requests.text).toBe("13");
    expect(rowFor(b.id).requests.text).toBe("29");
    expect((await loadInsightsPage(ics, url(`organisation=${b.slug}&offer=${offer.slug}`), NOW)).published.total.text).toBe("29");
  });

  it("suppresses 1 to 7 and its complement, so the total cannot give it back", async () => {
    const org = await createOrganisation();
    const offer = await createOffer();
    await addRequests([
      { organisationId: org.id, offerId: offer.id, n: 3, staffGroup: "medical_dental" },
      { organisationId: org.id, offerId: offer.id, n: 9, staffGroup: "nursing_midwifery" },
      { organisationId: org.id, offerId: offer.id, n: 20, staffGroup: "allied_health" },
    ]);
    const manager = asCurrentUser(await createUser({ role: "manager", managesOrganisationId: org.id, organisationId: org.id }));
    const page = await loadInsightsPage(manager, url(`offer=${offer.slug}`), NOW);
    const group = (value: string) => page.published.byStaffGroup.rows.find((r) => r.value === value)!.requests.text;
    expect(page.published.total.text).toBe("32");
    expect(group("medical_dental")).toBe("*");
    expect(group("nursing_midwifery")).toBe("*"); // the smallest other part, or 32 - 20 - 0 would give 3 back
    expect(group("allied_health")).toBe("20");
    const table = insightTables(page.published).find((t) => t.id === "table-staff-groups")!;
    expect(table.rows.map((r) => r.cells[0])).not.toContain("3");
  });

  it("rounds counts for a sensitive offer to the nearest 5", async () => {
    const org = await createOrganisation();
    const offer = await createOffer({ sensitive: true });
    await addRequests([{ organisationId: org.id, offerId: offer.id, n: 12 }]);
    const manager = asCurrentUser(await createUser({ role: "manager", managesOrganisationId: org.id, organisationId: org.id }));
    const page = await loadInsightsPage(manager, url(`offer=${offer.slug}`), NOW);
    expect(page.published.total).toMatchObject({ text: "10", rounded: true });
  });

  it("counts only requests made in the period, and reports bad filters while using the defaults", async () => {
    const org = await createOrganisation();
    const offer = await createOffer();
    await addRequests([
      { organisationId: org.id, offerId: offer.id, n: 8, submittedAt: new Date("2026-09-10T10:00:00Z") },
      { organisationId: org.id, offerId: offer.id, n: 10, submittedAt: new Date("2025-02-10T10:00:00Z") },
    ]);
    const manager = asCurrentUser(await createUser({ role: "manager", managesOrganisationId: org.id, organisationId: org.id }));
    // Narrowed to this (not sensitive) offer: counts covering a sensitive offer would be rounded.
    const lastYear = await loadInsightsPage(manager, url(`offer=${offer.slug}`), NOW);
    expect(lastYear.filters).toMatchObject({ from: "2025-12", to: "2026-11" });
    expect(lastYear.published.total.text).toBe("8");
    const longer = await loadInsightsPage(manager, url(`from=2025-01&to=2026-11&offer=${offer.slug}`), NOW);
    expect(longer.published.total.text).toBe("18");
    expect(longer.csvFileName).toBe(`staywell-insights-${org.slug}-2025-01-to-2026-11.csv`);

    const bad = await loadInsightsPage(manager, url("from=2019-01&to=banana&group=wizards&offer=nope"), NOW);
    expect(bad.errors.map((e) => e.field).sort()).toEqual(["from", "group", "offer", "to"]);
    expect(bad.filters).toMatchObject({ from: "2025-12", to: "2026-11", staffGroup: null, offerSlug: null });
    const backwards = await loadInsightsPage(manager, url("from=2026-06&to=2026-01"), NOW);
    expect(backwards.errors).toEqual([expect.objectContaining({ field: "to" })]);
  });
});
