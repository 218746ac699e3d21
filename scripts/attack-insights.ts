// npm run attack:insights -- [--requests N] [--staff N] [--year YYYY]
// The insights attack (tests/helpers/insights-attacker.ts) against the CURRENT design, on a fresh
// in-memory database with generated requests: fetches pages for every prefix and suffix of a year
// (from/to), unfiltered and with each organisation, offer and staff-group filter, as an ICS-wide
// manager and an organisation's manager, and reports what it recovers. Figures go in
// docs/performance/insights-attack.md.
//
// The pages are read with the full-precision averages and percentages the page data carried
// (PublishedInsights' Figure.value, in window.__remixContext and /insights.data), as an attacker
// reading the payload would.
import { openDatabase } from "../db/client";
import { setDatabase } from "../db/current";
import { loadInsightsPage } from "../app/.server/models/insights.server";
import { insightTables } from "../app/lib/insights/publish";
import type { PublishedInsights } from "../app/lib/insights/types";
import { attack, type PageObservation } from "../tests/helpers/insights-attacker";
import { attackVocabulary, demoUser, ICS_MANAGER, ORGANISATION_MANAGER, seedAttackData } from "../tests/helpers/insights-attack-data";
import { loadInsightsTruth } from "../tests/helpers/insights-truth";

function arg(name: string, fallback: number) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const NOW = new Date("2026-11-20T12:00:00Z");
const requests = arg("requests", 4000);
const staff = arg("staff", 3000);
const year = arg("year", 2025);

/** The page's tables as its payload carried them: averages and percentages at full precision. */
function fullPrecisionTables(published: PublishedInsights) {
  const copy = structuredClone(published);
  for (const r of [...copy.satisfaction.rows, copy.satisfaction.all]) {
    if (r.average.value !== null) r.average.text = String(r.average.value);
  }
  for (const r of [...copy.responsiveness.rows, copy.responsiveness.all]) {
    if (r.withinTargetPercent.value !== null) r.withinTargetPercent.text = `${r.withinTargetPercent.value}%`;
  }
  return insightTables(copy);
}

const started = performance.now();
const handle = await openDatabase({});
await handle.migrate();
setDatabase(handle);
await seedAttackData(handle.db, { now: NOW, requests, staff });
const seeded = performance.now();

const ics = await demoUser(handle.db, ICS_MANAGER);
const orgManager = await demoUser(handle.db, ORGANISATION_MANAGER);
const first = await loadInsightsPage(ics, new URL("http://x/insights"), NOW);
const vocabulary = await attackVocabulary(handle.db, first.published.outcomes.outcomes);
const truth = await loadInsightsTruth(handle.db, NOW);

const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, "0")}`);
const ranges = new Map<string, [string, string]>();
for (let k = 0; k < 12; k++) {
  ranges.set(`${months[0]}..${months[k]}`, [months[0]!, months[k]!]);
  ranges.set(`${months[k]}..${months[11]}`, [months[k]!, months[11]!]);
}
const filters: { query: string; filter?: PageObservation["filter"] }[] = [
  { query: "" },
  ...vocabulary.organisations.map((o) => ({ query: `organisation=${o.slug}`, filter: { organisation: o.slug } })),
  ...vocabulary.offers.map((o) => ({ query: `offer=${o.slug}`, filter: { offer: o.slug } })),
  ...vocabulary.staffGroups.map((g) => ({ query: `group=${g.value}`, filter: { group: g.value } })),
];

const observations: PageObservation[] = [];
for (const [from, to] of ranges.values()) {
  const period = months.slice(months.indexOf(from), months.indexOf(to) + 1);
  for (const [caller, scope, list] of [
    [ics, { kind: "ics" } as const, filters],
    [orgManager, { kind: "organisation", organisation: "uhnm" } as const, filters.filter((f) => !f.filter?.organisation)],
  ] as const) {
    for (const f of list) {
      const url = new URL(`http://x/insights?from=${from}&to=${to}${f.query ? `&${f.query}` : ""}`);
      const page = await loadInsightsPage(caller, url, NOW);
      if (page.errors.length) throw new Error(`${url}: ${JSON.stringify(page.errors)}`);
      observations.push({ name: `${scope.kind === "ics" ? "ICS" : "UHNM"} ${url.search}`, months: period, filter: f.filter, scope, tables: fullPrecisionTables(page.published) });
    }
  }
}
const fetched = performance.now();

const result = attack(observations, {
  log: (line) => console.log(line),
  vocabulary,
  noise: { maxPerturbation: 0, roundedSensitive: true, hiddenPrior: [1, 7], suppressedStatMeansSmallBase: true },
  truth,
});
const attacked = performance.now();
console.log(result.summary());
console.log(JSON.stringify(result.figures, (k, v) => (k === "narrowest" && v ? { set: v.set, lo: v.lo, hi: v.hi, truth: v.truth } : v), 2));
for (const f of result.findings.filter((x) => x.lo === x.hi).slice(0, 5)) {
  console.log(`e.g. [${f.pass}] ${f.set} = ${f.lo} (truth ${f.truth}) on ${f.cells[0]?.page} ${f.cells[0]?.table} ${f.cells[0]?.row}/${f.cells[0]?.column}; from ${f.because.join(" | ")}`);
}
for (const f of result.noisyRecovered.slice(0, 3)) {
  console.log(`e.g. rounded ${f.cells[0]?.text} → ${f.lo} (truth ${f.truth}): ${f.set}; from ${f.because.join(" | ")}`);
}
console.log(
  `${requests} requests, ${staff} staff; seeding ${((seeded - started) / 1000).toFixed(1)} s, ${observations.length} pages in ` +
    `${((fetched - seeded) / 1000).toFixed(1)} s, attack ${((attacked - fetched) / 1000).toFixed(1)} s.`,
);
await handle.close();
