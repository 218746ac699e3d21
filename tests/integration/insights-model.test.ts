// Manager insights' data layer on PGlite and PostgreSQL: the rollup triggers stay equal to a
// rebuild through every hub and staff action; figures are scoped in the query; small numbers are
// suppressed before anything leaves the model.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import { perturbedCount, type Tally } from "~/lib/insights/cell-key";
import { insightTables } from "~/lib/insights/publish";
import { roundToFive } from "~/lib/insights/suppression";
import { loadInsightsPage, publishedPeriods } from "~/.server/models/insights.server";
import { PermissionError } from "~/.server/permissions.server";
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
    queryRows(
      db,
      sql`select breakdown, filter_organisation_id, filter_offer_id, filter_staff_group, dim, to_char(month, 'YYYY-MM') m,
                             requests, rated, rating_sum, key_sum::text, rated_key_sum::text
                      from insight_cube where requests <> 0 or rated <> 0 order by 1,2,3,4,5,6`,
    ),
    queryRows(
      db,
      sql`select filter_organisation_id, filter_staff_group, offer_id, to_char(month, 'YYYY-MM') m, working_days, within_target, requests
                      from insight_first_contact_cube where requests <> 0 order by 1,2,3,4,5,6`,
    ),
    queryRows(
      db,
      sql`select filter_organisation_id, filter_staff_group, offer_id, to_char(month, 'YYYY-MM') m, outcome::text, requests,
                             key_sum::text
                      from insight_outcomes_cube where requests <> 0 order by 1,2,3,4,5`,
    ),
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
    let v = (
      await assignHubRequest(
        hub,
        a.reference,
        { assigneeId: coordinator.id, version: 1 },
        new Date("2026-10-05T10:00:00Z"),
      )
    ).version;
    v = (await messageRequester(hub, a.reference, { body: "Hello", version: v }, new Date("2026-10-08T10:00:00Z")))
      .version;
    v = (
      await changeHubRequestStatus(
        hub,
        a.reference,
        { to: "in_progress", version: v },
        new Date("2026-10-09T09:00:00Z"),
      )
    ).version;
    v = (
      await changeHubRequestStatus(
        hub,
        a.reference,
        { to: "waiting_on_staff", version: v },
        new Date("2026-10-09T10:00:00Z"),
      )
    ).version;
    v = (
      await changeHubRequestStatus(
        hub,
        a.reference,
        { to: "in_progress", version: v },
        new Date("2026-10-13T10:00:00Z"),
      )
    ).version;
    v = (
      await changeHubRequestStatus(
        hub,
        a.reference,
        { to: "closed", outcome: "support_given", version: v },
        new Date("2026-10-20T10:00:00Z"),
      )
    ).version;
    await rateMyRequest(me, a.reference, { rating: "4", comment: "" }, new Date("2026-10-21T10:00:00Z"));
    v = (
      await changeHubRequestStatus(
        hub,
        b.reference,
        { to: "in_progress", version: 1 },
        new Date("2026-10-06T11:00:00Z"),
      )
    ).version;
    v = (
      await changeHubRequestStatus(
        hub,
        b.reference,
        { to: "closed", outcome: "referred_on", version: v },
        new Date("2026-10-07T11:00:00Z"),
      )
    ).version;
    await changeHubRequestStatus(hub, b.reference, { to: "in_progress", version: v }, new Date("2026-10-08T11:00:00Z"));
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
    expect(live.outcomes.filter(everyone)).toEqual([
      expect.objectContaining({ offer_id: offer.id, outcome: "support_given", requests: 1 }),
    ]);
    // Tenure band for this organisation, all offers, all staff groups: 2 in October (one rated 4), 1 in November.
    expect(
      live.cube.filter(
        (r) =>
          r.breakdown === "tenure_band" &&
          r.filter_organisation_id === org.id &&
          r.filter_offer_id === 0 &&
          r.filter_staff_group === "",
      ),
    ).toEqual([
      expect.objectContaining({ dim: "1_to_2", m: "2026-10", requests: 2, rated: 1, rating_sum: 4 }),
      expect.objectContaining({ dim: "1_to_2", m: "2026-11", requests: 1, rated: 0 }),
    ]);
    // Each request is counted once in every filter combination of each breakdown: 4 + 4 + 4 + 8 rows.
    expect(live.cube.filter((r) => r.m === "2026-11")).toHaveLength(20);
  });
});

/** Requests straight into the table (the triggers keep the rollups), `n` per offer and organisation. */
async function addRequests(
  rows: { organisationId: number; offerId: number; n: number; staffGroup?: string; submittedAt?: Date }[],
) {
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

/** The true count and key sum of the requests matching `where` (the published value's input). */
async function truth(where: ReturnType<typeof sql>): Promise<Tally> {
  const [row] = await queryRows<{ n: number; key: string | null }>(
    getDb(),
    sql`select count(*)::int as n, sum(record_key)::text as key from support_requests where ${where}`,
  );
  return { n: Number(row!.n), key: Number(row!.key ?? 0) };
}

/** What a count is published as when not suppressed (not sensitive): its perturbed value. */
const shown = (t: Tally) => String(perturbedCount(t));

/**
 * An offer's total on a page. (Page totals cover every offer, and are rounded once any offer is
 * sensitive — other tests here add sensitive ones — so the tests read the offer's own row.)
 */
const offerTotal = (page: Awaited<ReturnType<typeof loadInsightsPage>>, offerId: number) =>
  page.published!.trend.rows.find((r) => r.offer.id === offerId)!.total.text;

describe("publishedPeriods", () => {
  it("offers only the fixed publication set: the latest 12 complete months, complete quarters and financial years", () => {
    const periods = publishedPeriods(NOW);
    expect(periods[0]).toEqual({
      key: "12m",
      kind: "rolling",
      from: "2025-11",
      to: "2026-10",
      label: "the 12 months to October 2026 (November 2025 to October 2026)",
    });
    expect(periods.filter((p) => p.kind === "financial-year").map((p) => [p.key, p.from, p.to])).toEqual([
      ["fy-2025", "2025-04", "2026-03"],
      ["fy-2024", "2024-04", "2025-03"],
    ]);
    // Quarters from 36 months back (November 2023) to the last complete one (July to September 2026).
    const quarters = periods.filter((p) => p.kind === "quarter");
    expect(quarters[0]).toMatchObject({
      key: "q-2026-07",
      from: "2026-07",
      to: "2026-09",
      label: "July to September 2026",
    });
    expect(quarters.at(-1)).toMatchObject({ key: "q-2024-01", from: "2024-01", to: "2024-03" });
    expect(quarters).toHaveLength(11);
    expect(periods.find((p) => p.key === "q-2025-10")!.label).toBe("October to December 2025");
    expect(periods.find((p) => p.key === "fy-2025")!.label).toBe(
      "the financial year 2025 to 2026 (April 2025 to March 2026)",
    );
    // A month in progress is never part of any period.
    expect(periods.every((p) => p.to <= "2026-10")).toBe(true);
  });

  it("leaves out quarters and years that ended before the first request (nothing to show there)", () => {
    const keys = publishedPeriods(NOW, "2025-06").map((p) => p.key);
    expect(keys).toContain("12m");
    expect(keys).toContain("fy-2025");
    expect(keys).not.toContain("fy-2024");
    expect(keys).toContain("q-2025-04"); // April to June 2025 holds June
    expect(keys).not.toContain("q-2025-01");
    expect(keys.filter((k) => k.startsWith("q-"))).toHaveLength(6);
  });
});

describe("loadInsightsPage", () => {
  it("answers 403 to anyone who is not a manager", async () => {
    for (const role of ["staff", "coordinator", "admin"] as const) {
      const user = asCurrentUser(await createUser({ role }));
      await expect(loadInsightsPage(user, url(), NOW)).rejects.toBeInstanceOf(PermissionError);
    }
  });

  it("keeps an organisation's manager to their organisation, with no further filter", async () => {
    const a = await createOrganisation();
    const b = await createOrganisation();
    const offer = await createOffer();
    await addRequests([
      { organisationId: a.id, offerId: offer.id, n: 33 },
      { organisationId: b.id, offerId: offer.id, n: 39 },
    ]);
    const manager = asCurrentUser(
      await createUser({ role: "manager", organisationId: a.id, managesOrganisationId: a.id }),
    );
    const ofA = await truth(sql`organisation_id = ${a.id}`);

    const page = await loadInsightsPage(manager, url(), NOW);
    expect(page.scope).toMatchObject({ kind: "organisation", organisation: { id: a.id } });
    expect(page.filters.filter).toEqual({ kind: "organisation", slug: a.slug });
    expect(page.options).toMatchObject({ organisations: [], offers: [], staffGroups: [] });
    expect(offerTotal(page, offer.id)).toBe(shown(ofA));
    expect(page.published!.byOrganisation.rows.map((r) => r.organisation.id)).toEqual([a.id]);

    for (const query of [`for=organisation:${b.slug}`, `for=organisation:${a.slug}&for=organisation:${b.slug}`]) {
      await expect(loadInsightsPage(manager, url(query), NOW)).rejects.toBeInstanceOf(PermissionError);
    }
    // A second filter within their organisation is a combination nobody else can publish: refused.
    const narrowed = await loadInsightsPage(manager, url(`for=offer:${offer.slug}`), NOW);
    expect(narrowed.errors).toEqual([expect.objectContaining({ field: "for" })]);
    expect(offerTotal(narrowed, offer.id)).toBe(shown(ofA));

    // The ICS-wide view: the same set of requests reads the same wherever it is shown.
    const ics = asCurrentUser(await createUser({ role: "manager" }));
    const byOffer = await loadInsightsPage(ics, url(`for=offer:${offer.slug}`), NOW);
    const rowFor = (id: number) => byOffer.published!.byOrganisation.rows.find((r) => r.organisation.id === id)!;
    expect(rowFor(a.id).requests.text).toBe(shown(ofA));
    expect(rowFor(b.id).requests.text).toBe(shown(await truth(sql`organisation_id = ${b.id}`)));
    const justB = await loadInsightsPage(ics, url(`for=organisation:${b.slug}`), NOW);
    expect(offerTotal(justB, offer.id)).toBe(rowFor(b.id).requests.text);
    // …and the organisation's own manager sees exactly the ICS manager's page for it.
    const icsOnA = await loadInsightsPage(ics, url(`for=organisation:${a.slug}`), NOW);
    expect(icsOnA.tables).toEqual(page.tables);
  });

  it("refuses two filters at once", async () => {
    const ics = asCurrentUser(await createUser({ role: "manager" }));
    const org = await createOrganisation();
    const offer = await createOffer();
    const page = await loadInsightsPage(ics, url(`for=organisation:${org.slug}&for=offer:${offer.slug}`), NOW);
    expect(page.errors).toEqual([expect.objectContaining({ field: "for" })]);
    expect(page.filters.filter).toEqual({ kind: "all" });
  });

  it("suppresses 1 to 7 and its complement, so the total cannot give it back", async () => {
    const org = await createOrganisation();
    const offer = await createOffer();
    await addRequests([
      { organisationId: org.id, offerId: offer.id, n: 3, staffGroup: "medical_dental" },
      { organisationId: org.id, offerId: offer.id, n: 9, staffGroup: "nursing_midwifery" },
      { organisationId: org.id, offerId: offer.id, n: 20, staffGroup: "allied_health" },
    ]);
    const manager = asCurrentUser(
      await createUser({ role: "manager", managesOrganisationId: org.id, organisationId: org.id }),
    );
    const page = await loadInsightsPage(manager, url(), NOW);
    const group = (value: string) => page.published!.byStaffGroup.rows.find((r) => r.value === value)!.requests.text;
    expect(offerTotal(page, offer.id)).toBe(shown(await truth(sql`organisation_id = ${org.id}`)));
    expect(group("medical_dental")).toBe("*");
    expect(group("nursing_midwifery")).toBe("*"); // the smallest other part, or the total would give 3 back
    expect(group("allied_health")).toBe(
      shown(await truth(sql`organisation_id = ${org.id} and staff_group = 'allied_health'`)),
    );
    const table = insightTables(page.published!).find((t) => t.id === "table-staff-groups")!;
    expect(table.rows.map((r) => r.cells[0])).not.toContain("3");
  });

  it("rounds counts for a sensitive offer to the nearest 5, after perturbing them", async () => {
    const org = await createOrganisation();
    const offer = await createOffer({ sensitive: true });
    await addRequests([{ organisationId: org.id, offerId: offer.id, n: 32 }]);
    const manager = asCurrentUser(
      await createUser({ role: "manager", managesOrganisationId: org.id, organisationId: org.id }),
    );
    const page = await loadInsightsPage(manager, url(), NOW);
    const expected = roundToFive(perturbedCount(await truth(sql`organisation_id = ${org.id}`)));
    expect(page.published!.total).toMatchObject({ text: String(expected), value: expected, rounded: true });
  });

  it("publishes nothing for a choice with fewer than 20 requests", async () => {
    const org = await createOrganisation();
    const offer = await createOffer();
    await addRequests([{ organisationId: org.id, offerId: offer.id, n: 9 }]);
    const manager = asCurrentUser(
      await createUser({ role: "manager", managesOrganisationId: org.id, organisationId: org.id }),
    );
    const page = await loadInsightsPage(manager, url(), NOW);
    expect(page.published).toBeNull();
    expect(page.tables).toEqual([]);
  });

  it("counts only requests made in the chosen period, and reports bad choices while using the defaults", async () => {
    const org = await createOrganisation();
    const offer = await createOffer();
    await addRequests([
      { organisationId: org.id, offerId: offer.id, n: 28, submittedAt: new Date("2026-09-10T10:00:00Z") },
      { organisationId: org.id, offerId: offer.id, n: 30, submittedAt: new Date("2025-02-10T10:00:00Z") },
      // This month is in progress: in no period yet.
      { organisationId: org.id, offerId: offer.id, n: 5, submittedAt: new Date("2026-11-10T10:00:00Z") },
    ]);
    const manager = asCurrentUser(
      await createUser({ role: "manager", managesOrganisationId: org.id, organisationId: org.id }),
    );
    const inOrg = (from: string, to: string) =>
      truth(
        sql`organisation_id = ${org.id} and submitted_at >= ${from}::timestamptz and submitted_at < ${to}::timestamptz`,
      );

    const latest = await loadInsightsPage(manager, url(), NOW);
    expect(latest.filters.period.key).toBe("12m");
    expect(offerTotal(latest, offer.id)).toBe(shown(await inOrg("2025-11-01", "2026-11-01")));
    const quarter = await loadInsightsPage(manager, url("period=q-2026-07"), NOW);
    expect(offerTotal(quarter, offer.id)).toBe(shown(await inOrg("2026-07-01", "2026-10-01")));
    // The same months read the same in every period that shows them.
    const months = (page: typeof latest) =>
      page.published!.trend.rows.find((r) => r.offer.id === offer.id)!.cells.map((f) => f.text);
    expect(months(quarter)).toEqual(months(latest).slice(8, 11));
    const year = await loadInsightsPage(manager, url("period=fy-2024"), NOW);
    expect(offerTotal(year, offer.id)).toBe(shown(await inOrg("2024-04-01", "2025-04-01")));
    expect(year.csvFileName).toBe(`staywell-insights-${org.slug}-2024-04-to-2025-03.csv`);

    const bad = await loadInsightsPage(manager, url("period=2019-01&from=2025-01&to=2026-11"), NOW);
    expect(bad.errors.map((e) => e.field)).toEqual(["period"]);
    expect(bad.filters.period.key).toBe("12m");
    const ics = asCurrentUser(await createUser({ role: "manager" }));
    const wizards = await loadInsightsPage(ics, url("for=group:wizards"), NOW);
    expect(wizards.errors.map((e) => e.field)).toEqual(["for"]);
    expect(wizards.filters.filter).toEqual({ kind: "all" });
  });
});
