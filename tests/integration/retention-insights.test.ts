// Retention insights (/insights/retention and its CSV, ADR 036): the model and the routes, on PGlite
// and PostgreSQL. Who may see them; an organisation's manager sees only their organisation by any
// URL; figures are the published (perturbed, suppressed) counts of the right record sets; the
// tenure bands make the first-year curve; the page and the CSV show the same tables.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@db/current";
import type { Organisation } from "@db/schema";
import { loadRetentionPage, type RetentionPageData } from "~/.server/models/retention-insights.server";
import { PermissionError } from "~/.server/permissions.server";
import { perturbedCount } from "~/lib/insights/cell-key";
import { isPrimarySuppression } from "~/lib/insights/publish";
import { RETENTION_SENTENCES, retentionTables } from "~/lib/insights/retention";
import { LEAVER_TENURE_BANDS } from "~/lib/leaving";
import { STAFF_GROUPS } from "~/lib/staff-groups";
import * as csvRoute from "~/routes/insights_.retention[.]csv";
import * as pageRoute from "~/routes/insights_.retention";
import { asCurrentUser, createOrganisation, createUser, type TestUser } from "../helpers/factories";
import { getRequest, signInCookie } from "../helpers/http";
import { parseCsv } from "../helpers/csv";
import { seedRetentionData, trueCount } from "../helpers/retention-data";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const NOW = new Date("2026-11-20T12:00:00Z");
// "12m" is November 2025 to October 2026; the previous period November 2024 to October 2025.
const IN_12M = "termination_date >= '2025-11-01' and termination_date < '2026-11-01'";

let orgA: Organisation;
let orgB: Organisation;
let orgC: Organisation;
let managerA: TestUser;
let managerIcs: TestUser;

async function run(user: TestUser | null, path: string) {
  const cookie = user ? await signInCookie(user.id) : undefined;
  const route = path.startsWith("/insights/retention.csv") ? csvRoute : pageRoute;
  try {
    const result = await route.loader({ request: getRequest(path, { cookie }), params: {}, context: {} });
    return { status: 200, result };
  } catch (err) {
    if (err instanceof Response) return { status: err.status, location: err.headers.get("Location") };
    const d = err as { type?: string; init?: ResponseInit | null };
    if (d?.type === "DataWithResponseInit") return { status: d.init?.status ?? 200 };
    throw err;
  }
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  orgA = await createOrganisation({ headcount: 4000 });
  orgB = await createOrganisation({ headcount: 2500 });
  // C is on ESR but small: its page has too few leavers to publish.
  orgC = await createOrganisation({ headcount: 300 });
  const db = getDb();
  const { sql } = await import("drizzle-orm");
  for (const [org, code] of [
    [orgA, "TA1"],
    [orgB, "TB1"],
    [orgC, "TC1"],
  ] as const)
    await db.execute(sql`update organisations set esr_code = ${code} where id = ${org.id}`);
  await seedRetentionData(db, {
    now: NOW,
    months: 24,
    organisations: [
      { id: orgA.id, leavers: 700, responses: 120, stays: 90 },
      { id: orgB.id, leavers: 400, responses: 60, stays: 50 },
      { id: orgC.id, leavers: 6, responses: 0, stays: 0 },
    ],
  });
  managerA = await createUser({ role: "manager", organisationId: orgA.id, managesOrganisationId: orgA.id });
  managerIcs = await createUser({ role: "manager" });
});

afterAll(() => {
  vi.useRealTimers();
});

describe("who may see retention insights", () => {
  it("answers 403 to staff, coordinators and administrators, on the page and the CSV", async () => {
    for (const role of ["staff", "coordinator", "admin"] as const) {
      const user = await createUser({ role, organisationId: orgA.id });
      expect((await run(user, "/insights/retention")).status, role).toBe(403);
      expect((await run(user, "/insights/retention.csv")).status, role).toBe(403);
      await expect(loadRetentionPage(asCurrentUser(user), new URL("http://x/insights/retention"))).rejects.toThrow(
        PermissionError,
      );
    }
  });

  it("sends someone not signed in to sign in", async () => {
    const r = await run(null, "/insights/retention?period=12m");
    expect(r.status).toBe(302);
    expect(r.location).toBe(`/login?redirectTo=${encodeURIComponent("/insights/retention?period=12m")}`);
  });

  it("gives an organisation's manager 403 for another organisation, by the page or the CSV", async () => {
    expect((await run(managerA, `/insights/retention?for=organisation:${orgB.slug}`)).status).toBe(403);
    expect((await run(managerA, `/insights/retention.csv?for=organisation:${orgB.slug}`)).status).toBe(403);
  });
});

describe("the figures", () => {
  let ics: RetentionPageData;
  let scoped: RetentionPageData;
  let icsForA: RetentionPageData;
  beforeAll(async () => {
    const url = (q: string) => new URL(`http://x/insights/retention${q}`);
    ics = await loadRetentionPage(asCurrentUser(managerIcs), url("?period=12m"), NOW);
    scoped = await loadRetentionPage(asCurrentUser(managerA), url("?period=12m"), NOW);
    icsForA = await loadRetentionPage(asCurrentUser(managerIcs), url(`?period=12m&for=organisation:${orgA.slug}`), NOW);
  });

  it("publishes the perturbed count of the period's leavers, in scope", async () => {
    const db = getDb();
    const all = await trueCount(db, "esr_leavers", IN_12M);
    const a = await trueCount(db, "esr_leavers", `${IN_12M} and organisation_id = ${orgA.id}`);
    expect(ics.published.leavers!.total.text).toBe(perturbedCount(all).toLocaleString("en-GB"));
    expect(scoped.published.leavers!.total.text).toBe(perturbedCount(a).toLocaleString("en-GB"));
    // Organisation rows: only organisations on ESR, and B's row is B's leavers.
    const rowNames = ics.published.leavers!.byOrganisation.rows.map((r) => r.organisation.name);
    expect(rowNames).toEqual([orgA, orgB, orgC].map((o) => o.name).sort());
    // C's 6 leavers are hidden, and so (secondary suppression) is at least one other organisation's
    // total, or C's would be the total less the others; a shown total is its leavers' published count.
    const rows = ics.published.leavers!.byOrganisation.rows;
    expect(rows.find((r) => r.organisation.id === orgC.id)!.total.text).toBe("*");
    expect(rows.filter((r) => r.total.suppressed).length).toBeGreaterThanOrEqual(2);
    for (const org of [orgA, orgB]) {
      const row = rows.find((r) => r.organisation.id === org.id)!;
      const t = await trueCount(db, "esr_leavers", `${IN_12M} and organisation_id = ${org.id}`);
      if (row.total.suppressed) expect(row.per100.text).toBe("*");
      else {
        expect(row.total.text).toBe(perturbedCount(t).toLocaleString("en-GB"));
        expect(row.per100.text).toBe((Math.round((1000 * perturbedCount(t)) / org.headcount) / 10).toFixed(1));
      }
    }
  });

  it("shows an organisation's manager exactly the ICS manager's page for that organisation, and nothing of B", () => {
    expect(scoped.scope).toMatchObject({ kind: "organisation" });
    expect(scoped.options.organisations).toEqual([]);
    expect(scoped.published).toEqual(icsForA.published);
    const text = JSON.stringify(scoped);
    expect(text).not.toContain(orgB.name);
    expect(text).not.toContain(orgB.slug);
  });

  it("has the seven tenure bands (the first-year curve), each the published count of its leavers", async () => {
    const tenure = ics.published.leavers!.tenure;
    expect(tenure.rows.map((r) => r.label)).toEqual(LEAVER_TENURE_BANDS.map((b) => b.label));
    const db = getDb();
    for (const row of tenure.rows) {
      const t = await trueCount(db, "esr_leavers", `${IN_12M} and tenure_band = '${row.value}'`);
      if (row.total.suppressed) expect(isPrimarySuppression(t) || t.n > 0).toBe(true);
      else expect(row.total.value).toBe(perturbedCount(t));
    }
    // The seed puts twice as many leavers in each of the first three bands as in 10-12 months.
    const [u3, m36, m610, m1012] = tenure.rows.map((r) => r.total.value!);
    expect(u3! + m36! + m610!).toBeGreaterThan(3 * m1012!);
  });

  it("hides every count from 1 to 7 and every count published as 7 or less, with its table's neighbours", async () => {
    const tables = retentionTables(ics.published, ics.previousLabel);
    // Count tables only (not the headline, the rates, the median or the headcounts).
    const counts = tables.filter((t) => !["table-retention-headline", "table-stay-retained"].includes(t.id));
    const cells = counts.flatMap((t) =>
      t.rows.flatMap((r) => r.cells.filter((_, i) => !/headcount|per 100/.test(t.columns[i]!))),
    );
    expect(cells).toContain("*");
    for (const cell of cells) {
      if (cell === "*" || cell.endsWith("%")) continue;
      const n = Number(cell.replace(/,/g, ""));
      if (Number.isInteger(n)) expect(n === 0 || n >= 8, cell).toBe(true);
    }
    // C's page: 6 leavers, too few to publish anything about them.
    const c = await loadRetentionPage(
      asCurrentUser(managerIcs),
      new URL(`http://x/insights/retention?period=12m&for=organisation:${orgC.slug}`),
      NOW,
    );
    expect(c.published.leavers).toBeNull();
    expect(c.published.headline.find((h) => h.key === "leavers")!.figure.text).toBe("*");
  });

  it("shows the questionnaire side by side (used support or not) and stay conversations with the retained rate", () => {
    const q = ics.published.questionnaire!;
    expect(q.usedLabels).toEqual(["Had used StayWell support", "Had not used StayWell support"]);
    expect(q.total.value).toBeGreaterThan(50);
    const s = ics.published.stay!;
    // The stay offer is confidential: its counts are rounded to 5.
    for (const f of [s.total, ...s.byStanding.rows.map((r) => r.requests)])
      if (f.value !== null) expect(f.value % 5).toBe(0);
    expect(s.retainedPercent.text).toMatch(/^\d+%$|^\*$/);
    if (s.retained.value !== null && s.concluded.value !== null)
      expect(s.retainedPercent.value).toBe(Math.round((100 * s.retained.value) / s.concluded.value));
    expect(s.medianDaysToFirstContact.text).toMatch(/^\d$/);
  });

  it("has a headline of four figures with the change from the previous period", () => {
    expect(ics.published.headline.map((h) => h.key)).toEqual(["leavers", "turnover", "first-year", "retained"]);
    const leavers = ics.published.headline[0]!;
    expect(leavers.figure.text).toBe(ics.published.leavers!.total.text);
    expect(leavers.previous.value).not.toBeNull();
    const diff = leavers.figure.value! - leavers.previous.value!;
    expect(leavers.change).toContain(diff >= 0 ? "up" : "down");
    expect(ics.previousLabel).toBe("November 2024 to October 2025");
  });

  it("sends no record key or true count to the browser", async () => {
    const r = await run(managerIcs, "/insights/retention?period=12m");
    const text = JSON.stringify(r.result);
    expect(text).not.toMatch(/record_?key|"key":\d|"n":\d/i);
  });
});

describe("the page and the CSV", () => {
  it("render the same tables, cell for cell, and the CSV downloads as text/csv", async () => {
    const r = await run(managerIcs, "/insights/retention?period=12m");
    const payload = r.result as pageRoute.RetentionPayload;
    const html = renderToStaticMarkup(createElement(pageRoute.RetentionPage, { data: payload }));
    expect(html).toContain("Under 3 months");
    expect(html).toContain('href="/insights/retention.csv?period=12m"');
    const file = (await run(managerIcs, "/insights/retention.csv?period=12m")).result as Response;
    expect(file.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(file.headers.get("Content-Disposition")).toMatch(
      /attachment; filename="staywell-retention-2025-11-to-2026-10.csv"/,
    );
    const rows = parseCsv((await file.text()).replace(/^\uFEFF/, ""));
    const tables = retentionTables(payload.published, payload.previousLabel);
    for (const table of tables) {
      const at = rows.findIndex((row) => row[0] === table.caption);
      expect(at, table.caption).toBeGreaterThan(0);
      expect(rows[at + 1]).toEqual([table.rowHeader, ...table.columns]);
      table.rows.forEach((row, i) => expect(rows[at + 2 + i]).toEqual([row.label, ...row.cells]));
      // and the same cells are in the HTML
      for (const row of table.rows) expect(html).toContain(row.label.replace(/&/g, "&amp;"));
    }
    // The protection is explained in this page's words (leavers, answers, conversations), not in
    // /insights's words about requests, on the page and in the file's header lines.
    const header = rows.slice(1, 4).map((row) => row[0]);
    expect(header).toEqual([...RETENTION_SENTENCES]);
    // (The page says when each kind is counted in a paragraph of its own.)
    for (const sentence of RETENTION_SENTENCES.slice(0, 2)) expect(html).toContain(sentence.slice(0, 60));
    const explained = [
      ...header,
      html.slice(html.indexOf("nhsuk-inset-text"), html.indexOf("</div>", html.indexOf("nhsuk-inset-text"))),
    ];
    for (const text of explained) expect(text).not.toMatch(/\brequests?\b/);
  });

  it("keeps bad choices to an error summary and the defaults", async () => {
    const data = await loadRetentionPage(
      asCurrentUser(managerIcs),
      new URL("http://x/insights/retention?period=1999&for=organisation:nope"),
      NOW,
    );
    expect(data.errors.map((e) => e.field)).toEqual(["period", "for"]);
    expect(data.filters.period.key).toBe("12m");
    expect(data.filters.filter).toEqual({ kind: "all" });
  });
});

describe("turnover per 100 by staff group", () => {
  const share = [0.3, 0.1, 0.12, 0.07, 0.18, 0.02, 0.19, 0.02];
  const staffOf = (org: { headcount: number }, i: number) =>
    i === share.length - 1
      ? org.headcount - share.slice(0, -1).reduce((n, s) => n + Math.round(org.headcount * s), 0)
      : Math.round(org.headcount * share[i]!);
  async function setGroups(org: { id: number; headcount: number }) {
    const { sql } = await import("drizzle-orm");
    for (const [i, g] of STAFF_GROUPS.entries())
      await getDb().execute(
        sql`insert into organisation_staff_group_headcounts (organisation_id, staff_group, headcount)
            values (${org.id}, ${g.value}, ${staffOf(org, i)})`,
      );
  }
  const url = (q: string) => new URL(`http://x/insights/retention${q}`);

  it("says 'Not set' while an organisation covered has no breakdown, and rates from published counts once set", async () => {
    await setGroups(orgA);
    await setGroups(orgB);
    // ICS-wide covers C too, which has none: no rate, said plainly (not a suppressed *).
    const partial = await loadRetentionPage(asCurrentUser(managerIcs), url("?period=12m"), NOW);
    for (const r of partial.published.leavers!.byStaffGroup.rows) {
      expect(r.headcount).toBeNull();
      expect(r.per100.text).toBe("Not set");
    }
    const table = partial.tables.find((t) => t.id === "table-leavers-staff-group")!;
    expect(table.columns).toEqual(["Leavers", "Staff (headcount)", "Leavers per 100 staff"]);
    expect(table.rows[0]!.cells.slice(1)).toEqual(["Not set", "Not set"]);

    // A's own page: A's breakdown, each rate the published count over A's staff in the group.
    const scopedA = await loadRetentionPage(asCurrentUser(managerA), url("?period=12m"), NOW);
    const rows = scopedA.published.leavers!.byStaffGroup.rows;
    let shown = 0;
    for (const [i, r] of rows.entries()) {
      expect(r.headcount).toBe(staffOf(orgA, i));
      if (r.leavers.suppressed) expect(r.per100.text).toBe("*");
      else {
        shown++;
        expect(r.per100.value).toBe(Math.round((1000 * r.leavers.value!) / staffOf(orgA, i)) / 10);
      }
    }
    expect(shown).toBeGreaterThan(2);
    expect(scopedA.published.leavers!.byStaffGroup.headcount).toBe(orgA.headcount);

    // All covered organisations set: ICS-wide rates over the summed staff of each group.
    await setGroups(orgC);
    const full = await loadRetentionPage(asCurrentUser(managerIcs), url("?period=12m"), NOW);
    const l = full.published.leavers!;
    expect(l.byStaffGroup.headcount).toBe(orgA.headcount + orgB.headcount + orgC.headcount);
    for (const [i, r] of l.byStaffGroup.rows.entries()) {
      const staff = [orgA, orgB, orgC].reduce((n, o) => n + staffOf(o, i), 0);
      expect(r.headcount).toBe(staff);
      if (!r.leavers.suppressed) expect(r.per100.value).toBe(Math.round((1000 * r.leavers.value!) / staff) / 10);
    }
    if (!l.byStaffGroup.total.suppressed)
      expect(l.byStaffGroup.per100.value).toBe(
        Math.round((1000 * l.byStaffGroup.total.value!) / l.byStaffGroup.headcount!) / 10,
      );
  });
});
