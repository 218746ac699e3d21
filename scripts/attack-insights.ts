// npm run attack:insights -- [--requests N] [--staff N] [--random-keys] [--detail]
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
