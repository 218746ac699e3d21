// The attacker of the retention insights (ADR 036), as a library for the attack test and script.
//
// It plays a manager (or an ICS-wide and an organisation's manager pooling what they saw) who has
// fetched /insights/retention pages and CSVs for many periods and organisations, and compares them.
// Every count cell is mapped to the RECORD SET it counts: (source: ESR leavers, questionnaire
// responses or stay conversations; months; organisations; the categories fixed, e.g. tenure band
// and reason group). The same set on two pages (or in the page and its CSV) is one variable. The
// attacker writes down every additive relation it knows between sets:
//   - a set over several months is the sum of the same set in each month (so periods, quarters,
//     financial years, the previous period of the headline and the monthly table all link up);
//   - a set over several organisations is the sum of each organisation's (so "all organisations"
//     less the others gives one);
//   - a set is the sum over every value of a category it leaves open (staff groups, tenure bands,
//     reason groups, age bands, retirement kind, destinations, used support or not, where stay
//     conversations stand), and the stay conversations "stayed or moved within the ICS" and "with a
//     retention outcome" are the sums of their outcomes;
// with every set it never saw as an unknown count of 0 or more. Each published count p means the
// truth is within p +/- 5 (+/- 2 more where rounded to 5), and at least 8 (counts 1-7 are never
// published); a * is any count of 0 or more (the "proven" reading: hard facts only). Bounds
// propagation narrows every interval until nothing changes. Every interval must contain the true
// count (else the attacker has a bug); what it must never do is pin a * to one value or to an
// interval narrower than +/- 2.
// Then, as the /insights attacker does, an LP auditor: for each hidden count still narrow enough
// to matter, the linear program over every relation within two steps of it (each count in its
// interval, each parent the sum of its children), minimised and maximised. It is a relaxation of
// what the attacker knows, so its bounds are sound; it finds what propagation one relation at a
// time cannot (bounds that only follow from several relations together).
import { AGE_TABLE_COLUMNS, STAY_STANDING } from "~/lib/insights/retention";
import type { InsightTable } from "~/lib/insights/types";
import {
  ESR_AGE_BANDS,
  LEAVER_TENURE_BANDS,
  LEAVING_DESTINATIONS,
  LEAVING_KEPT_OPTIONS,
  LEAVING_REASON_GROUPS,
  RETENTION_OUTCOMES,
  STAY_LEAVING_REASONS,
} from "~/lib/leaving";
import { STAFF_GROUPS } from "~/lib/staff-groups";
import { LpNeighbourhoods, lpObject, lpSolve, parseMonthLabel } from "./insights-attacker";

export type Source = "leavers" | "responses" | "stays";

/** A set of records: attrs hold the categories fixed (name → value). */
export interface RetentionSet {
  source: Source;
  months: string[];
  orgs: number[];
  attrs: Record<string, string>;
}

export interface RetentionObservation {
  name: string;
  months: string[];
  previousMonths: string[];
  /** The organisations the page's leaver figures cover, and its questionnaire and stay figures. */
  leaverOrgs: number[];
  otherOrgs: number[];
  organisations: { id: number; name: string }[];
  tables: InsightTable[];
}

export function setKey(s: RetentionSet): string {
  const attrs = Object.keys(s.attrs)
    .sort()
    .map((k) => `${k}=${s.attrs[k]}`)
    .join(";");
  return `${s.source}|${s.months.join(",")}|${[...s.orgs].sort((a, b) => a - b).join(",")}|${attrs}`;
}

// The categories each source splits into (a set that leaves one open is the sum over its values).
const CATEGORIES: Record<Source, Record<string, readonly string[]>> = {
  leavers: {
    group: STAFF_GROUPS.map((g) => g.value),
    tenure: LEAVER_TENURE_BANDS.map((b) => b.value),
    reason: LEAVING_REASON_GROUPS.map((g) => g.value),
    age: [...ESR_AGE_BANDS],
  },
  responses: { destination: LEAVING_DESTINATIONS.map((d) => d.value), used: ["yes", "no"] },
  stays: { standing: STAY_STANDING.map((s) => s.value) },
};

const RETAINED = RETENTION_OUTCOMES.filter((o) => o.retained).map((o) => o.value);
const CONCLUDED = RETENTION_OUTCOMES.map((o) => o.value);

interface Cell {
  set: RetentionSet;
  text: string;
  rounded: boolean;
  where: string;
}

/** Maps every count cell of a page's tables to its record set. */
export function cellsOf(o: RetentionObservation): Cell[] {
  const cells: Cell[] = [];
  const orgByName = new Map(o.organisations.map((x) => [x.name, x.id]));
  const L = (months: string[], orgs: number[], attrs: Record<string, string> = {}): RetentionSet => ({
    source: "leavers",
    months,
    orgs,
    attrs,
  });
  const add = (set: RetentionSet, text: string, where: string, rounded = false) =>
    cells.push({ set, text, rounded, where: `${o.name} ${where}` });
  const byLabel = <T extends { label: string }>(list: readonly T[], label: string) =>
    list.find((x) => x.label === label);
  const ageLabel = (band: string) => band.replace("<=20 Years", "20 or under").replace(">=71 Years", "71 or over");

  for (const t of o.tables) {
    for (const row of t.rows) {
      row.cells.forEach((text, c) => {
        const column = t.columns[c]!;
        const where = `${t.id} [${row.label}] [${column}]`;
        switch (t.id) {
          case "table-retention-headline":
            if (row.label === "Leavers (ESR)") add(L(c === 0 ? o.months : o.previousMonths, o.leaverOrgs), text, where);
            break;
          case "table-leavers-month": {
            const months = row.label === "Total" ? o.months : [parseMonthLabel(row.label)!];
            const orgs = column === "All organisations" ? o.leaverOrgs : [orgByName.get(column)!];
            add(L(months, orgs), text, where);
            break;
          }
          case "table-leavers-organisation":
            if (column === "Leavers")
              add(L(o.months, row.label === "Total" ? o.leaverOrgs : [orgByName.get(row.label)!]), text, where);
            break;
          case "table-leavers-staff-group": {
            // The counts; the rates per 100 are derived from them (checked in the attack test).
            if (column !== "Leavers") break;
            const g = byLabel(STAFF_GROUPS, row.label);
            add(L(o.months, o.leaverOrgs, g ? { group: g.value } : {}), text, where);
            break;
          }
          case "table-leavers-tenure": {
            const b = byLabel(LEAVER_TENURE_BANDS, row.label);
            const r = byLabel(LEAVING_REASON_GROUPS, column);
            add(
              L(o.months, o.leaverOrgs, { ...(b ? { tenure: b.value } : {}), ...(r ? { reason: r.value } : {}) }),
              text,
              where,
            );
            break;
          }
          case "table-leavers-age": {
            const band = ESR_AGE_BANDS.find((a) => ageLabel(a) === row.label);
            const col = byLabel(AGE_TABLE_COLUMNS, column);
            const attrs: Record<string, string> = band ? { age: band } : {};
            if (col?.value === "retirement_age" || col?.value === "retirement_early_flexible")
              Object.assign(attrs, { reason: "retirement", retire: col.value });
            else if (col) attrs.reason = col.value;
            add(L(o.months, o.leaverOrgs, attrs), text, where);
            break;
          }
          case "table-questionnaire-destination":
          case "table-questionnaire-kept": {
            const used = c === 0 ? "yes" : c === 1 ? "no" : null;
            const attrs: Record<string, string> = used ? { used } : {};
            const isTotal = row.label === "Total" || row.label === "Responses";
            if (!isTotal) {
              const list: readonly { value: string; label: string }[] =
                t.id === "table-questionnaire-kept" ? LEAVING_KEPT_OPTIONS : LEAVING_DESTINATIONS;
              attrs[t.id === "table-questionnaire-kept" ? "kept" : "destination"] = byLabel(list, row.label)!.value;
            }
            add({ source: "responses", months: o.months, orgs: o.otherOrgs, attrs }, text, where);
            break;
          }
          case "table-questionnaire-support":
            add(
              { source: "responses", months: o.months, orgs: o.otherOrgs, attrs: { kind: row.label } },
              text,
              where,
              true,
            );
            break;
          case "table-stay-outcomes": {
            const s = byLabel(STAY_STANDING, row.label);
            add(
              { source: "stays", months: o.months, orgs: o.otherOrgs, attrs: s ? { standing: s.value } : {} },
              text,
              where,
              true,
            );
            break;
          }
          case "table-stay-retained":
            if (row.label.startsWith("Stayed in role") || row.label === "With a retention outcome")
              add(
                {
                  source: "stays",
                  months: o.months,
                  orgs: o.otherOrgs,
                  attrs: { agg: row.label === "With a retention outcome" ? "concluded" : "retained" },
                },
                text,
                where,
                true,
              );
            break;
          case "table-stay-reasons": {
            const r = byLabel(STAY_LEAVING_REASONS, row.label)!;
            add(
              { source: "stays", months: o.months, orgs: o.otherOrgs, attrs: { reason: r.value } },
              text,
              where,
              true,
            );
            break;
          }
        }
      });
    }
  }
  return cells;
}

export interface RetentionAttackResult {
  pages: number;
  countCells: number;
  suppressedCells: number;
  variables: number;
  suppressedVariables: number;
  relations: number;
  /** Suppressed sets pinned to one value / to an interval narrower than +/- 2. */
  recoveredExactly: number;
  narrowerThan2: number;
  narrowestWidth: number | null;
  findings: { set: string; lo: number; hi: number; truth: number; where: string[] }[];
  /** Published (perturbed) counts whose true value the attacker pinned. */
  noisyPublishedRecovered: number;
  /** Intervals checked against the truth (all must contain it). */
  checked: number;
  /** Linear programs the LP auditor solved, and hidden counts it narrowed beyond propagation. */
  lpSolved: number;
  lpTightened: number;
  /** The auditor stopped at its time limit before every candidate was audited. */
  lpHitTimeLimit: boolean;
  wrong: { set: string; lo: number; hi: number; truth: number }[];
}

const MAX_PERTURBATION = 5;

export interface RetentionLpOptions {
  /** Relations reached within this many steps of the hidden count form its program. */
  radius?: number;
  /** Audit hidden counts whose interval is at most this wide after propagation. */
  maxWidth?: number;
  maxVariables?: number;
  maxMs?: number;
}

export function attackRetention(
  observations: RetentionObservation[],
  truth: (s: RetentionSet) => number,
  /**
   * For checking the attacker itself: what each cell would have shown under another design (e.g.
   * exact counts with only 1-7 hidden), and that design's largest perturbation.
   */
  counterfactual?: { text: (set: RetentionSet, shown: string) => string; maxPerturbation: number },
  lp: RetentionLpOptions | false = {},
): RetentionAttackResult {
  const maxPerturbation = counterfactual?.maxPerturbation ?? MAX_PERTURBATION;
  const vars = new Map<
    string,
    { id: number; set: RetentionSet; lo: number; hi: number; star: boolean; published: boolean; where: string[] }
  >();
  const variable = (set: RetentionSet) => {
    const key = setKey(set);
    let v = vars.get(key);
    if (!v) {
      v = { id: vars.size, set, lo: 0, hi: Infinity, star: false, published: false, where: [] };
      vars.set(key, v);
    }
    return v;
  };
  let countCells = 0;
  let suppressedCells = 0;
  for (const o of observations) {
    for (const cell of cellsOf(o)) {
      countCells += 1;
      const v = variable(cell.set);
      v.where.push(cell.where);
      const text = counterfactual ? counterfactual.text(cell.set, cell.text) : cell.text;
      if (text === "*") {
        suppressedCells += 1;
        v.star = true;
        continue;
      }
      const p = Number(text.replace(/,/g, ""));
      if (p === 0) {
        v.lo = Math.max(v.lo, 0);
        v.hi = Math.min(v.hi, 0);
        continue;
      }
      v.published = true;
      const d = maxPerturbation + (cell.rounded && !counterfactual ? 2 : 0);
      v.lo = Math.max(v.lo, p - d, 8);
      v.hi = Math.min(v.hi, p + d);
    }
  }

  // Relations: parent = sum of children.
  const relations: { parent: number; children: number[] }[] = [];
  const seen = new Set<string>();
  const relate = (parent: RetentionSet, children: RetentionSet[]) => {
    const p = variable(parent).id;
    const cs = children.map((c) => variable(c).id);
    const key = `${p}:${cs.join(",")}`;
    if (!seen.has(key)) {
      seen.add(key);
      relations.push({ parent: p, children: cs });
    }
  };
  for (const v of [...vars.values()]) {
    const s = v.set;
    if (s.months.length > 1)
      relate(
        s,
        s.months.map((m) => ({ ...s, months: [m] })),
      );
    if (s.orgs.length > 1)
      relate(
        s,
        s.orgs.map((org) => ({ ...s, orgs: [org] })),
      );
    for (const [dim, values] of Object.entries(CATEGORIES[s.source])) {
      if (s.attrs[dim] !== undefined || s.attrs.agg !== undefined) continue;
      if (s.source === "responses" && (s.attrs.kept || s.attrs.kind) && dim !== "used") continue;
      if (s.source === "stays" && s.attrs.reason) continue;
      relate(
        s,
        values.map((value) => ({ ...s, attrs: { ...s.attrs, [dim]: value } })),
      );
    }
    if (s.source === "leavers" && s.attrs.reason === "retirement" && s.attrs.retire === undefined)
      relate(
        s,
        ["retirement_age", "retirement_early_flexible"].map((retire) => ({ ...s, attrs: { ...s.attrs, retire } })),
      );
    if (s.source === "stays" && s.attrs.agg) {
      const { agg, ...rest } = s.attrs;
      const outcomes = agg === "retained" ? RETAINED : CONCLUDED;
      relate(
        s,
        outcomes.map((standing) => ({ ...s, attrs: { ...rest, standing } })),
      );
    }
  }

  // Bounds propagation: x0 = sum(xi).
  const all = [...vars.values()].sort((a, b) => a.id - b.id);
  const lo = all.map((v) => v.lo);
  const hi = all.map((v) => v.hi);
  const propagate = () => {
    for (let round = 0; round < 200; round++) {
      let changed = false;
      const tighten = (i: number, l: number, h: number) => {
        l = Math.ceil(l - 1e-9);
        h = Math.floor(h + 1e-9);
        if (l > lo[i]!) {
          lo[i] = l;
          changed = true;
        }
        if (h < hi[i]!) {
          hi[i] = h;
          changed = true;
        }
      };
      for (const r of relations) {
        let sumLo = 0;
        for (const c of r.children) sumLo += lo[c]!;
        let sumHi = 0;
        for (const c of r.children) sumHi += hi[c]!;
        tighten(r.parent, sumLo, sumHi);
        for (const c of r.children) {
          const othersLo = sumLo - lo[c]!;
          const othersHi = sumHi === Infinity ? Infinity : sumHi - hi[c]!;
          // A finite sumHi means every child's hi was finite, and a hi only comes down: no need to look.
          const otherHiFinite = sumHi !== Infinity || r.children.every((x) => x === c || hi[x] !== Infinity);
          tighten(c, otherHiFinite ? lo[r.parent]! - (othersHi as number) : lo[c]!, hi[r.parent]! - othersLo);
        }
      }
      if (!changed) break;
    }
  };
  propagate();

  // The LP auditor over each narrow hidden count's neighbourhood.
  const relationsOf: number[][] = all.map(() => []);
  relations.forEach((r, k) => {
    relationsOf[r.parent]!.push(k);
    for (const c of r.children) relationsOf[c]!.push(k);
  });
  let lpSolved = 0;
  let lpTightened = 0;
  let lpHitTimeLimit = false;
  if (lp) {
    const { radius = 2, maxWidth = 15, maxVariables = 80, maxMs = 60_000 } = lp;
    const deadline = performance.now() + maxMs;
    const vName = all.map((_, x) => `v${x}`);
    const bName = all.map((_, x) => `b${x}`);
    const rName = relations.map((_, k) => `r${k}`);
    const relationVars = relations.map((r) => [r.parent, ...r.children]);
    const neighbourhoods = new LpNeighbourhoods(relationsOf, relationVars);
    const candidates = all
      .filter((v) => v.star && !v.published && hi[v.id]! > lo[v.id]! && hi[v.id]! - lo[v.id]! <= maxWidth)
      .sort((a, b) => hi[a.id]! - lo[a.id]! - (hi[b.id]! - lo[b.id]!) || a.id - b.id);
    for (const v of candidates) {
      if (performance.now() > deadline) {
        lpHitTimeLimit = true;
        break;
      }
      const { rels, vars: members } = neighbourhoods.around(v.id, radius, maxVariables);
      if (rels.length === 0) continue;
      // One program (the same names, keys in the same order as ever), minimised then maximised:
      // the solver only reads it.
      const variables = lpObject<Record<string, number>>();
      const constraints = lpObject<{ min?: number; max?: number; equal?: number }>();
      for (const x of members) {
        const bx = bName[x]!;
        const own = lpObject<number>();
        own[bx] = 1;
        if (x === v.id) own.objective = 1;
        variables[vName[x]!] = own;
        constraints[bx] = hi[x] === Infinity ? { min: lo[x]! } : { min: lo[x]!, max: hi[x]! };
      }
      for (const k of rels) {
        const r = relations[k]!;
        const rk = rName[k]!;
        constraints[rk] = { equal: 0 };
        variables[vName[r.parent]!]![rk] = 1;
        for (const c of r.children) {
          const own = variables[vName[c]!]!;
          own[rk] = (own[rk] ?? 0) - 1;
        }
      }
      const solve = (opType: "min" | "max") => {
        const out = lpSolve({ optimize: "objective", opType, constraints, variables });
        lpSolved += 1;
        return out.feasible && out.bounded !== false && Number.isFinite(out.result) ? out.result : null;
      };
      const min = solve("min");
      const max = solve("max");
      let narrowed = false;
      if (min !== null && Math.ceil(min - 1e-6) > lo[v.id]!) {
        lo[v.id] = Math.ceil(min - 1e-6);
        narrowed = true;
      }
      if (max !== null && Math.floor(max + 1e-6) < hi[v.id]!) {
        hi[v.id] = Math.floor(max + 1e-6);
        narrowed = true;
      }
      if (narrowed) {
        lpTightened += 1;
        propagate();
      }
    }
  }

  const findings: RetentionAttackResult["findings"] = [];
  const wrong: RetentionAttackResult["wrong"] = [];
  let noisyPublishedRecovered = 0;
  let narrowest: number | null = null;
  let checked = 0;
  for (const v of all) {
    const t = truth(v.set);
    checked += 1;
    if (t < lo[v.id]! || t > hi[v.id]!) wrong.push({ set: setKey(v.set), lo: lo[v.id]!, hi: hi[v.id]!, truth: t });
    const width = hi[v.id]! - lo[v.id]!;
    if (v.star && !v.published) {
      narrowest = narrowest === null ? width : Math.min(narrowest, width);
      if (width < 4)
        findings.push({ set: setKey(v.set), lo: lo[v.id]!, hi: hi[v.id]!, truth: t, where: v.where.slice(0, 3) });
    }
    if (v.published && width === 0 && t > 0) noisyPublishedRecovered += 1;
  }
  const starVars = all.filter((v) => v.star && !v.published);
  return {
    pages: observations.length,
    countCells,
    suppressedCells,
    variables: all.length,
    suppressedVariables: starVars.length,
    relations: relations.length,
    recoveredExactly: findings.filter((f) => f.lo === f.hi).length,
    narrowerThan2: findings.length,
    narrowestWidth: narrowest,
    findings,
    noisyPublishedRecovered,
    checked,
    wrong,
    lpSolved,
    lpTightened,
    lpHitTimeLimit,
  };
}
