// The attack suite extended to the retention insights (issue 13 part 4, ADR 036 and ADR 008): an
// ICS-wide manager and an organisation's manager together fetch /insights/retention and its CSV
// for every kind of period, for everything and for each organisation, and compare them with every
// additive relation they know (tests/helpers/retention-attacker.ts): periods against months and
// each other (and the headline's previous period), organisations against "all organisations",
// categories against their totals, the page against its CSV. No suppressed count may be recovered
// exactly or put in an interval narrower than +/- 2, every interval the attacker states must contain
// the true count, and nothing reaches the browser with more precision than the design allows.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { queryRows } from "@db/client";
import { getDb } from "@db/current";
import { addMonths } from "~/lib/insights/publish";
import type { InsightTable } from "~/lib/insights/types";
import { STAFF_GROUPS } from "~/lib/staff-groups";
import { retentionTables } from "~/lib/insights/retention";
import * as csvRoute from "~/routes/insights_.retention[.]csv";
import * as pageRoute from "~/routes/insights_.retention";
import { createOrganisation, createUser } from "../helpers/factories";
import { csvInsightTables, TOO_PRECISE } from "../helpers/insights-attack-data";
import { parseCsv } from "../helpers/csv";
import { getRequest, signInCookie } from "../helpers/http";
import { attackRetention, type RetentionAttackResult, type RetentionObservation } from "../helpers/retention-attacker";
import { loadRetentionTruth, seedRetentionData } from "../helpers/retention-data";
import { analysisKey, sharedAnalysis } from "../helpers/shared-analysis";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const NOW = new Date("2026-11-20T12:00:00Z");
const PERIODS = ["12m", "fy-2025", "fy-2024", "q-2025-07", "q-2025-10", "q-2026-01", "q-2026-04", "q-2026-07"];

let result: RetentionAttackResult;
let naive: RetentionAttackResult;
const observations: RetentionObservation[] = [];
const rateTables: { name: string; tables: InsightTable[] }[] = [];
const texts: { name: string; text: string }[] = [];

function monthsOf(from: string, to: string) {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW);
  const db = getDb();
  // Fixed slugs (not the factory's random ones): the PGlite and PostgreSQL runs then fetch the same
  // pages, so the analysis is shared between them (tests/helpers/shared-analysis.ts).
  const orgs = [
    await createOrganisation({ headcount: 5000, slug: "retention-attack-1" }),
    await createOrganisation({ headcount: 2500, slug: "retention-attack-2" }),
    await createOrganisation({ headcount: 900, slug: "retention-attack-3" }),
  ];
  for (const [i, org] of orgs.entries())
    await queryRows(db, sql`update organisations set esr_code = ${`TX${i}`} where id = ${org.id}`);
  // Staff in post by staff group (as /admin sets them), some groups small, so rates per 100 are
  // precise: they must still carry nothing beyond the published counts.
  for (const org of orgs) {
    const share = [0.3, 0.1, 0.12, 0.07, 0.18, 0.004, 0.2, 0.026];
    for (const [i, g] of STAFF_GROUPS.entries())
      await queryRows(
        db,
        sql`insert into organisation_staff_group_headcounts (organisation_id, staff_group, headcount)
            values (${org.id}, ${g.value}, ${Math.round(org.headcount * share[i]!)})`,
      );
  }
  await seedRetentionData(db, {
    now: NOW,
    months: 36,
    seed: 8,
    organisations: [
      { id: orgs[0]!.id, leavers: 1500, responses: 160, stays: 120 },
      { id: orgs[1]!.id, leavers: 600, responses: 70, stays: 60 },
      { id: orgs[2]!.id, leavers: 90, responses: 15, stays: 12 },
    ],
  });
  const ics = await createUser({ role: "manager" });
  const scoped = await createUser({ role: "manager", organisationId: orgs[0]!.id, managesOrganisationId: orgs[0]!.id });
  const cookies = { ics: await signInCookie(ics.id), scoped: await signInCookie(scoped.id) };
  const organisations = orgs.map((o) => ({ id: o.id, name: o.name }));
  const allOrgIds = (await queryRows<{ id: number }>(db, sql`select id from organisations order by id`)).map((r) =>
    Number(r.id),
  );

  const pages: { who: "ics" | "scoped"; query: string; org: number | null }[] = [];
  for (const period of PERIODS) {
    pages.push({ who: "ics", query: `period=${period}`, org: null });
    for (const o of orgs) pages.push({ who: "ics", query: `period=${period}&for=organisation:${o.slug}`, org: o.id });
    pages.push({ who: "scoped", query: `period=${period}`, org: orgs[0]!.id });
  }
  for (const page of pages) {
    const cookie = cookies[page.who];
    const payload = (await pageRoute.loader({
      request: getRequest(`/insights/retention?${page.query}`, { cookie }),
      params: {},
      context: {},
    })) as pageRoute.RetentionPayload;
    expect(payload.errors, page.query).toEqual([]);
    const response = (await csvRoute.loader({
      request: getRequest(`/insights/retention.csv?${page.query}`, { cookie }),
      params: {},
      context: {},
    })) as Response;
    const csv = (await response.text()).replace(/^\uFEFF/, "");
    const tables = retentionTables(payload.published, payload.previousLabel);
    const { from, to } = payload.filters.period;
    const months = monthsOf(from, to);
    const base = {
      months,
      previousMonths: monthsOf(addMonths(from, -months.length), addMonths(from, -1)),
      leaverOrgs: page.org ? [page.org] : orgs.map((o) => o.id),
      otherOrgs: page.org ? [page.org] : allOrgIds,
      organisations,
    };
    const name = `${page.who} ?${page.query}`;
    observations.push({ ...base, name, tables });
    rateTables.push({ name, tables }, { name: `${name} (CSV)`, tables: csvInsightTables(parseCsv(csv), tables) });
    observations.push({ ...base, name: `${name} (CSV)`, tables: csvInsightTables(parseCsv(csv), tables) });
    texts.push({ name, text: JSON.stringify(payload) }, { name: `${name} (CSV)`, text: csv });
  }

  // The truth, for checking every interval the attacker states.
  const truth = await loadRetentionTruth(db);
  const lp = { maxMs: 30_000 };
  // Both analyses are pure CPU on what was fetched: when the other database's run (npm test runs
  // both at once) fetched the same pages and truth, they are computed once and both runs assert on
  // them (ADR 036, addendum 2026-11-30). The naive text is a function of the truth: its digest covers it.
  const shared = await sharedAnalysis(
    analysisKey({ analysis: "retention attack", observations, lp, naive: "exact, 1-7 hidden", truth: truth.digest }),
    () => ({
      result: attackRetention(observations, truth, undefined, lp),
      // The same attacker against exact counts with only the 1-7 ones hidden (where each page was
      // protected alone, before ADR 008): it must find what there is to find, or it proves nothing.
      naive: attackRetention(
        observations,
        truth,
        {
          maxPerturbation: 0,
          text: (set, shown) => {
            const n = truth(set);
            return n >= 1 && n <= 7 ? "*" : shown === "*" ? "*" : String(n);
          },
        },
        lp,
      ),
    }),
  );
  ({ result, naive } = shared.value);
  console.log(
    `retention attack: ${result.pages} pages and CSVs, ${result.countCells} count cells (${result.suppressedCells} *), ` +
      `${result.variables} record sets (${result.suppressedVariables} only ever *), ${result.relations} relations; ` +
      `recovered exactly ${result.recoveredExactly}, narrower than ±2 ${result.narrowerThan2}, ` +
      `narrowest hidden interval ${result.narrowestWidth}, noisy published counts pinned ${result.noisyPublishedRecovered}, ` +
      `intervals checked against the truth ${result.checked}; LP auditor: ${result.lpSolved} programs, ` +
      `${result.lpTightened} hidden counts narrowed beyond propagation${result.lpHitTimeLimit ? " (stopped at its time limit)" : ""}; ` +
      `against exact counts: recovered exactly ${naive.recoveredExactly} (LP narrowed ${naive.lpTightened}); analysis ${shared.how}`,
  );
  // A hang guard: it may also wait up to 10 minutes for the other database's run's analysis.
}, 1_200_000);

afterAll(() => {
  vi.useRealTimers();
});

describe("an attacker comparing retention pages, periods, scopes and CSVs", () => {
  it("saw a real publication: many pages, thousands of cells, hundreds of hidden ones", () => {
    expect(result.pages).toBe(2 * PERIODS.length * 5);
    expect(result.countCells).toBeGreaterThan(10_000);
    expect(result.suppressedVariables).toBeGreaterThan(100);
    expect(result.relations).toBeGreaterThan(1000);
  });

  it("is an attacker that works: against exact counts it recovers hidden ones", () => {
    expect(naive.wrong.slice(0, 5)).toEqual([]);
    expect(naive.recoveredExactly).toBeGreaterThan(10);
  });

  it("audits hidden counts with linear programs too, an auditor that narrows what propagation alone cannot", () => {
    expect(result.lpSolved).toBeGreaterThan(0);
    // Against exact counts the LP auditor narrows hidden counts beyond propagation: it is no stub.
    expect(naive.lpTightened).toBeGreaterThan(0);
  });

  it("states only intervals that contain the truth (the attacker is sound)", () => {
    expect(result.wrong.slice(0, 5)).toEqual([]);
  });

  it("recovers no suppressed count exactly, and none to within ±2", () => {
    expect(result.findings.slice(0, 5)).toEqual([]);
    expect(result.recoveredExactly).toBe(0);
    expect(result.narrowerThan2).toBe(0);
  });

  it("publishes each rate per 100 (by organisation and by staff group) from its row's published count alone", () => {
    let rates = 0;
    const number = (text: string) => Number(text.replace(/,/g, ""));
    for (const { name, tables } of rateTables) {
      for (const t of tables.filter((x) =>
        ["table-leavers-organisation", "table-leavers-staff-group"].includes(x.id),
      )) {
        expect(t.columns, name).toEqual(["Leavers", "Staff (headcount)", "Leavers per 100 staff"]);
        for (const row of t.rows) {
          const [leavers, staff, per100] = row.cells as [string, string, string];
          const where = `${name} ${t.id} [${row.label}]`;
          if (leavers === "*" || number(staff) === 0) expect(per100, where).toBe("*");
          else {
            expect(per100, where).toMatch(/^[\d,]+\.\d$/);
            expect(number(per100), where).toBe(Math.round((1000 * number(leavers)) / number(staff)) / 10);
            rates++;
          }
        }
      }
    }
    // Staff-group rates were published (the headcounts are set), many of them.
    expect(rates).toBeGreaterThan(200);
  });

  it("sends nothing more precise than the design publishes, and no record key", () => {
    for (const { name, text } of texts) {
      expect(TOO_PRECISE.test(text), name).toBe(false);
      expect(text, name).not.toMatch(/record_?key/i);
    }
  });
});
