// npm run attack:insights -- [--requests N] [--staff N] [--random-keys] [--detail]
// npm run attack:insights -- --retention [--leavers N]   (the retention insights, ADR 036)
// The insights attack (tests/helpers/insights-attacker.ts) against the publication set (ADR 008)
// on a fresh in-memory database of generated requests: EVERY page the interface allows (each
// period of the set; no filter, each organisation, offer and staff group), as an ICS-wide manager
// and as an organisation's manager (UHNM), and what it recovers. The CI test
// (tests/integration/insights-attack.test.ts) runs a sample of the same; this is the whole set.
// Figures are in docs/performance/insights-attack.md. (The figures for the design before ADR 008
// came from this script at commit d15ad88: from/to ranges and three independent filters.)
import { openDatabase } from "../db/client";
import { setDatabase } from "../db/current";
import { loadInsightsPage, publishedPeriods } from "../app/.server/models/insights.server";
import { attack, type PageObservation } from "../tests/helpers/insights-attacker";
import {
  attackVocabulary,
  demoUser,
  ICS_MANAGER,
  observationOf,
  ORGANISATION_MANAGER,
  repeatableRecordKeys,
  seedAttackData,
} from "../tests/helpers/insights-attack-data";
import { loadInsightsTruth } from "../tests/helpers/insights-truth";

function arg(name: string, fallback: number) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const NOW = new Date("2026-11-20T12:00:00Z");
const requests = arg("requests", 4000);
const staff = arg("staff", 3000);
const randomKeys = process.argv.includes("--random-keys");
const showDetail = process.argv.includes("--detail");

const started = performance.now();
const handle = await openDatabase({});
await handle.migrate();
setDatabase(handle);
if (process.argv.includes("--retention")) {
  await attackRetentionPublication(arg("leavers", 3000));
  await handle.close();
  process.exit(0);
}
await seedAttackData(handle.db, { now: NOW, requests, staff });
if (!randomKeys) await repeatableRecordKeys(handle.db);
const seeded = performance.now();

const ics = await demoUser(handle.db, ICS_MANAGER);
const orgManager = await demoUser(handle.db, ORGANISATION_MANAGER);
const first = await loadInsightsPage(ics, new URL("http://x/insights"), NOW);
const vocabulary = await attackVocabulary(handle.db, first.published!.outcomes.outcomes);
const truth = await loadInsightsTruth(handle.db, NOW);

const fors = [
  "",
  ...vocabulary.organisations.map((o) => `organisation:${o.slug}`),
  ...vocabulary.offers.map((o) => `offer:${o.slug}`),
  ...vocabulary.staffGroups.map((g) => `group:${g.value}`),
];
const observations: PageObservation[] = [];
for (const period of publishedPeriods(NOW)) {
  for (const [caller, who, list] of [
    [ics, "ICS", fors],
    [orgManager, "UHNM", [""]],
  ] as const) {
    for (const f of list) {
      const url = new URL(`http://x/insights?period=${period.key}${f ? `&for=${encodeURIComponent(f)}` : ""}`);
      const page = await loadInsightsPage(caller, url, NOW);
      if (page.errors.length) throw new Error(`${url}: ${JSON.stringify(page.errors)}`);
      observations.push(observationOf(`${who} ${url.search}`, page));
    }
  }
}
const fetched = performance.now();

const result = attack(observations, {
  log: (line) => console.log(line),
  vocabulary,
  noise: { maxPerturbation: 5, roundedSensitive: true, hiddenPrior: [1, 12], minPageTotal: 20 },
  truth,
  lp: { maxMs: Number(process.env.ATTACK_LP_MS ?? 60_000) },
});
const attacked = performance.now();
console.log(result.summary());
for (const f of [...result.findings, ...result.noisyRecovered]) {
  const c = f.cells[0];
  console.log(
    `[${f.pass}] ${f.set}: [${f.lo}, ${f.hi}], truth ${f.truth} — ${c?.page} ${c?.table} "${c?.row}" / "${c?.column}" (${f.cells.length} cells)`,
  );
  if (showDetail && f.detail) for (const line of f.detail) console.log(`    ${line}`);
}
console.log(
  `${requests} requests, ${staff} staff, ${randomKeys ? "random" : "repeatable"} record keys; seeding ${((seeded - started) / 1000).toFixed(1)} s, ` +
    `${observations.length} pages in ${((fetched - seeded) / 1000).toFixed(1)} s, attack ${((attacked - fetched) / 1000).toFixed(1)} s.`,
);
await handle.close();

/**
 * The retention attack (tests/helpers/retention-attacker.ts) on EVERY retention page the interface
 * allows: each period of the publication set, for everything and for each organisation, as an
 * ICS-wide manager and as the first organisation's manager, on generated leavers, questionnaire
 * answers and stay conversations. The CI test (tests/integration/retention-insights-attack.test.ts)
 * runs a sample.
 */
async function attackRetentionPublication(leavers: number) {
  const { sql } = await import("drizzle-orm");
  const { queryRows } = await import("../db/client");
  const { loadRetentionPage } = await import("../app/.server/models/retention-insights.server");
  const { addMonths } = await import("../app/lib/insights/publish");
  const { asCurrentUser, createOrganisation, createUser } = await import("../tests/helpers/factories");
  const { loadRetentionTruth, seedRetentionData } = await import("../tests/helpers/retention-data");
  const { attackRetention } = await import("../tests/helpers/retention-attacker");
  const db = handle.db;
  const orgs = [];
  for (const [i, headcount] of [6000, 3000, 1200, 600].entries()) {
    const org = await createOrganisation({ headcount });
    await queryRows(db, sql`update organisations set esr_code = ${`AT${i}`} where id = ${org.id}`);
    orgs.push(org);
  }
  const shares = [0.55, 0.3, 0.1, 0.05];
  await seedRetentionData(db, {
    now: NOW,
    months: 36,
    organisations: orgs.map((o, i) => ({
      id: o.id,
      leavers: Math.round(leavers * shares[i]!),
      responses: Math.round((leavers / 8) * shares[i]!),
      stays: Math.round((leavers / 10) * shares[i]!),
    })),
  });
  const ics = asCurrentUser(await createUser({ role: "manager" }));
  const scoped = asCurrentUser(
    await createUser({ role: "manager", organisationId: orgs[0]!.id, managesOrganisationId: orgs[0]!.id }),
  );
  const allOrgIds = (await queryRows<{ id: number }>(db, sql`select id from organisations`)).map((r) => Number(r.id));
  const monthsOf = (from: string, to: string) => {
    const out: string[] = [];
    for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
    return out;
  };
  const observations = [];
  for (const period of publishedPeriods(NOW)) {
    const pages: [typeof ics, number | null][] = [
      [ics, null],
      ...orgs.map((o) => [ics, o.id] as [typeof ics, number]),
      [scoped, orgs[0]!.id],
    ];
    for (const [caller, org] of pages) {
      const slug = org && caller === ics ? orgs.find((o) => o.id === org)!.slug : null;
      const url = new URL(`http://x/insights/retention?period=${period.key}${slug ? `&for=organisation:${slug}` : ""}`);
      const page = await loadRetentionPage(caller, url, NOW);
      const months = monthsOf(page.filters.period.from, page.filters.period.to);
      observations.push({
        name: `${caller === ics ? "ICS" : "scoped"} ${url.search}`,
        months,
        previousMonths: monthsOf(addMonths(months[0]!, -months.length), addMonths(months[0]!, -1)),
        leaverOrgs: org ? [org] : orgs.map((o) => o.id),
        otherOrgs: org ? [org] : allOrgIds,
        organisations: orgs.map((o) => ({ id: o.id, name: o.name })),
        tables: page.tables,
      });
    }
  }
  const truth = await loadRetentionTruth(db);
  const result = attackRetention(observations, truth);
  const { findings, wrong, ...figures } = result;
  console.log(JSON.stringify(figures, null, 2));
  for (const f of findings)
    console.log(`hidden set pinned: ${f.set} [${f.lo}, ${f.hi}] truth ${f.truth} (${f.where.join("; ")})`);
  for (const w of wrong) console.log(`ATTACKER BUG: ${w.set} [${w.lo}, ${w.hi}] truth ${w.truth}`);
  console.log(
    `${leavers} leavers; ${observations.length} pages; ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  );
}
