// The attacker of manager insights, as a library for tests and scripts.
//
// It plays a manager (or two managers pooling what they saw) who has fetched many insights pages
// or CSVs and compares them. Every count cell on every page is mapped to the set of requests it
// counts, a canonical RECORD SET: (months, organisation|all, offer|all, staff group|all, tenure
// band|all, outcome column|all, measure). The same set seen on two pages is one variable. The
// attacker then writes down every additive relation it knows between those sets:
//   - inside a table: row and column totals ("Total", "All support", "All requests");
//   - across pages: "all organisations" is the sum of the organisations; staff groups, tenure
//     bands, offers and outcome columns sum to the total of the same set; a filtered page's total
//     is the breakdown row of the unfiltered page (the same record set, so the same variable);
//     the outcomes table's row totals are the trend's (same record set again);
//   - periods: a period is the sum of the smallest pieces ("atoms") the observed periods cut the
//     months into; a longer period minus a shorter one inside it is the months in between; two
//     overlapping periods share their intersection (a new variable);
//   - averages times counts: a published average rating a (to its precision) over n ratings means
//     some whole rating sum s with s/n ≈ a and n <= s <= 5n; a within-target percentage p over a
//     denominator d (contacted + overdue now) likewise; rating and contact counts add up over
//     offers like any count.
// Each variable gets the interval the published text allows under the noise model, and bounds
// propagation (each relation tightens each of its variables from the others' bounds, repeated
// until nothing changes) narrows them. Everything it concludes follows from what was published,
// the public rules (counts 1-7 are never published, the perturbation is at most D, sensitive
// counts are rounded to 5) and arithmetic, so with the true counts (verify()) every interval must
// contain the truth: a wrong "recovery" is a bug in the attacker and fails the test.
//
// Three passes:
//   - "proven": hard facts only. A * is any count >= 0 (it may be a secondary suppression of a
//     large count). Every interval must contain the truth, or the attacker has a bug (it throws).
//   - "with prior": each * is also taken to be a primary suppression, its count in hiddenPrior
//     ([1, 7 + D]), except the stars for which that is FALSE (known from the truth: a secondary
//     suppression outside the prior). So every premise is true: an attacker who could tell which
//     stars are primary. Its intervals must contain the truth too (else a bug, it throws), and
//     what it pins is a real disclosure under the design's own description of a *.
//   - "guessing": the realistic version of the prior: every * gets the prior, dropped only where
//     it contradicts the equations. It can be misled (a large secondary * with nothing to show it):
//     its claims are reported with how many were right, not asserted on.
import solver from "javascript-lp-solver";
import type { InsightTable } from "~/lib/insights/types";

// ---------------------------------------------------------------------------------------------
// inputs

export type Measure = "requests" | "rated" | "ratingSum" | "contacted" | "within" | "den";

/** A set of requests (and what is counted of them). null = all. `months` sorted YYYY-MM. */
export interface RecordSet {
  months: string[];
  organisation: string | null;
  offer: string | null;
  group: string | null;
  tenure: string | null;
  outcome: string | null;
  measure: Measure;
}

/** What the attacker knows of the catalogue: the names the pages use for each value. Public. */
export interface Vocabulary {
  organisations: { slug: string; name: string }[];
  offers: { slug: string; title: string; sensitive: boolean }[];
  staffGroups: { value: string; label: string }[];
  tenureBands: { value: string; label: string }[];
  /** The columns of the outcomes table, in order (five outcomes, withdrawn, open, overdue). */
  outcomes: { value: string; label: string }[];
}

export interface PageObservation {
  /** For reports: e.g. the URL. */
  name: string;
  /** The months (YYYY-MM) the page's period covers. */
  months: string[];
  /** The one filter (new design) or the filters (old design) in force; slugs, values or names. */
  filter?: { organisation?: string; offer?: string; group?: string };
  scope: { kind: "ics" } | { kind: "organisation"; organisation: string };
  tables: InsightTable[];
  /** The page said there were too few requests to publish anything (its total is under the minimum). */
  withheld?: boolean;
}

export interface NoiseModel {
  /** D: a published count p is within D of the true one (0 for the old design, 5 for the new). */
  maxPerturbation: number;
  /** Counts covering a sensitive offer are rounded to the nearest 5 (±2 more). */
  roundedSensitive: boolean;
  /** What a * is believed to be when it is a primary suppression: [1, 7 + D]. */
  hiddenPrior: [number, number];
  /** A published non-zero count is never below this (counts 1-7 are never published). Default 8. */
  minPublished?: number;
  /**
   * Old design: a statistic shown as * says its base is under 8 (there was no other reason to hide
   * it). Off by default (the new design may hide a statistic with its count).
   */
  suppressedStatMeansSmallBase?: boolean;
  /** A page whose published total is under this shows nothing (new design): its true total is below this + D. */
  minPageTotal?: number;
}

// ---------------------------------------------------------------------------------------------
// the model: variables and relations

interface CellRef {
  page: string;
  table: string;
  row: string;
  column: string;
  text: string;
}

interface Variable {
  id: number;
  key: string;
  set: RecordSet;
  /** Hard bounds from what was published (before propagation). */
  lo: number;
  hi: number;
  /** Some cell showed it as *. */
  star: boolean;
  /** Some cell showed it as a non-zero number. */
  published: boolean;
  /** A published value that is not the truth itself (perturbed or rounded). */
  noisy: boolean;
  cells: CellRef[];
  /** The empty set (contradictory filters): always 0. */
  empty: boolean;
  /** Shown (as a count, or as the base or sum behind a statistic) on some page. */
  seen: boolean;
}

export type RelationKind =
  | "table total"
  | "organisations sum"
  | "offers sum"
  | "staff groups sum"
  | "tenure bands sum"
  | "outcome columns sum"
  | "period = its pieces"
  | "period difference"
  | "overlapping periods"
  | "average × count"
  | "within-target % × denominator"
  | "denominator = contacted + overdue"
  | "bounds (ratings 1-5, subsets)";

type Relation =
  | { kind: RelationKind; type: "linear"; op: "eq" | "le"; vars: number[]; coefs: number[] }
  | { kind: RelationKind; type: "ratio"; s: number; n: number; rlo: number; rhi: number; text: string };

const DIMS = ["organisation", "offer", "group", "tenure", "outcome"] as const;
type Dim = (typeof DIMS)[number];

const DIM_RELATION: Record<Dim, RelationKind> = {
  organisation: "organisations sum",
  offer: "offers sum",
  group: "staff groups sum",
  tenure: "tenure bands sum",
  outcome: "outcome columns sum",
};

export function recordSetKey(s: RecordSet): string {
  return [
    s.measure,
    s.months.join("+"),
    s.organisation ?? "*",
    s.offer ?? "*",
    s.group ?? "*",
    s.tenure ?? "*",
    s.outcome ?? "*",
  ].join("|");
}

function describeSet(s: RecordSet): string {
  const months = s.months.length === 1 ? s.months[0] : `${s.months[0]}..${s.months.at(-1)} (${s.months.length} months)`;
  const parts = [`${s.measure} ${months}`];
  for (const d of DIMS) if (s[d] !== null) parts.push(`${d}=${s[d]}`);
  return parts.join(" ");
}

const MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Jan 2026" or "January 2026" → "2026-01"; null when it is not a month label. */
export function parseMonthLabel(label: string): string | null {
  const m = /^([A-Z][a-z]{2})[a-z]*\s+(\d{4})$/.exec(label.trim());
  if (!m) return null;
  const i = MONTHS_SHORT.indexOf(m[1]!);
  return i < 0 ? null : `${m[2]}-${String(i + 1).padStart(2, "0")}`;
}

/** A published number: its value and how far the truth behind the text may be from it. */
export function parseFigure(text: string): { value: number; halfWidth: number; percent: boolean } | null {
  const t = text.trim().replace(/,/g, "");
  const m = /^(-?\d+)(?:\.(\d+))?(%?)$/.exec(t);
  if (!m) return null;
  const decimals = m[2]?.length ?? 0;
  const value = Number(`${m[1]}${m[2] ? `.${m[2]}` : ""}`);
  // Half a unit of the last digit shown; full-precision floats get a small tolerance instead.
  const halfWidth = decimals >= 6 ? Math.max(1e-9, Math.abs(value) * 1e-12) : 0.5 * 10 ** -decimals + 1e-9;
  return { value, halfWidth, percent: m[3] === "%" };
}

// ---------------------------------------------------------------------------------------------
// the LP solver, called as cheaply as it allows (the same programs, the same answers)

/**
 * The LP auditor's neighbourhood of one hidden count: the relations reached from it within `radius`
 * steps, each taken only while the variables stay within `maxVariables`, in the order met. Members
 * are marked with a fresh stamp per call (no per-candidate sets or filters). Shared by both attackers.
 */
export class LpNeighbourhoods {
  private readonly varMark: Uint32Array;
  private readonly relMark: Uint32Array;
  private stamp = 0;
  constructor(
    private readonly relationsOf: readonly (readonly number[])[],
    private readonly relationVars: readonly (readonly number[])[],
  ) {
    this.varMark = new Uint32Array(relationsOf.length);
    this.relMark = new Uint32Array(relationVars.length);
  }

  around(start: number, radius: number, maxVariables: number): { rels: number[]; vars: number[] } {
    const { varMark, relMark, relationsOf, relationVars } = this;
    const stamp = ++this.stamp;
    const rels: number[] = [];
    const vars: number[] = [start];
    varMark[start] = stamp;
    let frontier = [start];
    for (let step = 0; step < radius && frontier.length > 0; step++) {
      const next: number[] = [];
      for (const x of frontier) {
        for (const r of relationsOf[x]!) {
          if (relMark[r] === stamp) continue;
          const rv = relationVars[r]!;
          let added = 0;
          for (const y of rv) if (varMark[y] !== stamp) added++;
          if (vars.length + added > maxVariables) continue;
          relMark[r] = stamp;
          rels.push(r);
          for (const y of rv) {
            if (varMark[y] === stamp) continue;
            varMark[y] = stamp;
            vars.push(y);
            next.push(y);
          }
        }
      }
      frontier = next;
    }
    return { rels, vars };
  }
}

/**
 * An object for the solver's model keyed by names (v12, b12, r345): made without a prototype, so
 * V8 keeps it as a dictionary from the start instead of making a hidden class for every new name
 * it is given (tens of thousands of programs, each with its own names). Keys keep their insertion
 * order, so the solver reads the same program in the same order.
 */
export function lpObject<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * solver.Solve(model), the figures it answers with: the full solution (`full`), not the simplified
 * result it would build from it (an object keyed by every variable's name: more hidden classes).
 * `result` is the solution's evaluation, as in the simplified result.
 */
export function lpSolve(model: {
  optimize: string;
  opType: "min" | "max";
  constraints: Record<string, { min?: number; max?: number; equal?: number }>;
  variables: Record<string, Record<string, number>>;
}): { feasible: boolean; bounded?: boolean; result: number } {
  const solution = (solver.Solve as (m: unknown, precision?: number, full?: boolean) => unknown)(
    model,
    undefined,
    true,
  ) as { feasible: boolean; bounded?: boolean; evaluation: number };
  return { feasible: solution.feasible, bounded: solution.bounded, result: solution.evaluation };
}

const isTotalLabel = (label: string) => /^(total|all support|all requests|all organisations)$/i.test(label.trim());

// ---------------------------------------------------------------------------------------------
// the attack

export interface AttackFigures {
  pages: number;
  /** Count cells seen on the pages (every copy of every number or *). */
  countCells: number;
  cellsPublished: number;
  cellsSuppressed: number;
  /** Distinct record sets behind them. */
  variables: number;
  suppressedVariables: number;
  relations: number;
  relationsByKind: Partial<Record<RelationKind, number>>;
  proven: PassFigures;
  withPrior: PassFigures;
  guessing: PassFigures;
}

export interface PassFigures {
  /** Suppressed record sets pinned to one value; and the cells showing them. */
  recoveredExactly: number;
  recoveredCells: number;
  /** Suppressed record sets in an interval narrower than ±2 (hi - lo < 4), exact ones included. */
  narrowerThan2: number;
  narrowestWidth: number | null;
  narrowest: Finding | null;
  /** Published but perturbed or rounded counts whose true value was pinned exactly. */
  noisyPublishedRecovered: number;
  /** Only with truth: intervals checked, and (guessing) intervals that a wrong prior misled. */
  checkedAgainstTruth: number;
  misledByPrior: number;
  /** Guessing: exact and narrow claims about suppressed counts, right or wrong. */
  claimedExactly: number;
  claimedNarrow: number;
  /** Stars without the prior: known false ("with prior"), or contradicted ("guessing"). */
  relaxedStars: number;
  /** Linear programs solved, and suppressed counts they narrowed beyond propagation. */
  lpSolved: number;
  lpTightened: number;
  /** Propagation or the LP auditor stopped by its work limit (results still sound, perhaps not tightest). */
  hitWorkLimit: boolean;
}

export type PassName = "proven" | "with prior" | "guessing";

export interface Finding {
  set: string;
  cells: CellRef[];
  lo: number;
  hi: number;
  truth?: number;
  /** The relations that set the lower and upper bound last. */
  because: string[];
  /**
   * For the first findings of a pass: each relation behind the bounds, term by term, with the
   * term's interval at the end of the pass, its true count, and what the pages showed for it.
   */
  detail?: string[];
}

export interface AttackResult {
  figures: AttackFigures;
  /** Suppressed cells recovered exactly or narrower than ±2 (both passes, prior ones marked). */
  findings: (Finding & { pass: PassName })[];
  /** Noisy published counts recovered exactly. */
  noisyRecovered: (Finding & { pass: PassName })[];
  /** The interval of a record set after the proven pass (undefined when never seen). */
  intervalOf(set: RecordSet): [number, number] | undefined;
  summary(): string;
}

export interface AttackOptions {
  vocabulary: Vocabulary;
  noise: NoiseModel;
  /** The true count of any record set (from the database): every conclusion is checked against it. */
  truth?: (set: RecordSet) => number;
  /** Propagation work limit in relation revisions per relation (default 200). */
  workPerRelation?: number;
  /** Progress lines (phase timings). */
  log?: (line: string) => void;
  /**
   * After propagation, a linear program over each suppressed count's neighbourhood (the relations
   * within `radius` of it, every variable in them with its bounds): min and max of the count over
   * the LP relaxation, rounded inwards. Sound (a relaxation of what the attacker knows), tighter
   * than propagation where several relations must be combined. Only for counts whose interval is
   * at most `maxWidth` wide, narrowest first; stops after `maxPrograms` (repeatable) or `maxMs`
   * (a safety net) per pass. Off when absent.
   */
  lp?: { radius?: number; maxWidth?: number; maxMs?: number; maxVariables?: number; maxPrograms?: number };
}

export function attack(observations: PageObservation[], options: AttackOptions): AttackResult {
  let t = performance.now();
  const phase = (what: string) => {
    options.log?.(`${what}: ${Math.round(performance.now() - t)} ms`);
    t = performance.now();
  };
  const model = new Model(options.vocabulary, options.noise);
  for (const page of observations) model.observe(page);
  phase(`observed ${model.vars.length} record sets`);
  model.buildRelations();
  phase(`built ${model.relations.length} relations over ${model.vars.length} record sets`);
  const proven = model.propagate("proven", options);
  phase("proven pass");
  const prior = options.truth ? model.propagate("with prior", options, proven) : null;
  phase("prior pass");
  const guessing = model.propagate("guessing", options, proven);
  phase("guessing pass");

  const findings: AttackResult["findings"] = [];
  const noisyRecovered: AttackResult["noisyRecovered"] = [];
  for (const pass of [proven, prior, guessing]) {
    if (!pass || pass.name === "guessing") continue;
    findings.push(...pass.findings.map((f) => ({ ...f, pass: pass.name })));
    noisyRecovered.push(...pass.noisyFindings.map((f) => ({ ...f, pass: pass.name })));
  }
  const figures: AttackFigures = {
    pages: observations.length,
    countCells: model.countCells,
    cellsPublished: model.cellsPublished,
    cellsSuppressed: model.cellsSuppressed,
    variables: model.vars.filter((v) => v.cells.length > 0 && !v.empty).length,
    suppressedVariables: model.vars.filter((v) => v.star).length,
    relations: model.relations.length,
    relationsByKind: model.relationsByKind(),
    proven: proven.figures,
    withPrior: (prior ?? guessing).figures,
    guessing: guessing.figures,
  };
  return {
    figures,
    findings,
    noisyRecovered,
    intervalOf(set) {
      const v = model.byKey.get(recordSetKey(set));
      return v ? [proven.lo[v.id]!, proven.hi[v.id]!] : undefined;
    },
    summary: () => summarise(figures),
  };
}

function summarise(f: AttackFigures): string {
  const pass = (p: PassFigures) =>
    `${p.recoveredExactly} recovered exactly (${p.recoveredCells} cells), ${p.narrowerThan2} narrower than ±2, ` +
    `narrowest width ${p.narrowestWidth ?? "n/a"}${p.narrowest ? ` (${p.narrowest.set}: [${p.narrowest.lo}, ${p.narrowest.hi}])` : ""}, ` +
    `${p.noisyPublishedRecovered} perturbed/rounded published counts recovered exactly`;
  const kinds = Object.entries(f.relationsByKind)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  const g = f.guessing;
  return (
    `Insights attack: ${f.pages} pages, ${f.countCells} count cells (${f.cellsPublished} published, ${f.cellsSuppressed} suppressed), ` +
    `${f.variables} distinct record sets (${f.suppressedVariables} suppressed), ${f.relations} relations tried (${kinds}). ` +
    `Proven: ${pass(f.proven)}. With the prior (true premises; ${f.withPrior.relaxedStars} stars outside it): ${pass(f.withPrior)}. ` +
    `Guessing with the prior (dropped for ${g.relaxedStars} contradicted stars): ${g.claimedExactly} exact and ${g.claimedNarrow} narrower-than-±2 claims, ` +
    `of which ${g.recoveredExactly} and ${g.narrowerThan2} right; ${g.misledByPrior} intervals misled. ` +
    `LP auditor: ${f.proven.lpSolved + f.withPrior.lpSolved} programs, ${f.proven.lpTightened} + ${f.withPrior.lpTightened} counts narrowed beyond propagation` +
    `${f.proven.hitWorkLimit || f.withPrior.hitWorkLimit ? " (stopped at its limit)" : ""}. ` +
    `Checked against the database: ${f.proven.checkedAgainstTruth} intervals per pass.`
  );
}

interface PassResult {
  name: PassName;
  lo: number[];
  hi: number[];
  why: [number, number][];
  figures: PassFigures;
  findings: Finding[];
  noisyFindings: Finding[];
}

class Model {
  vars: Variable[] = [];
  byKey = new Map<string, Variable>();
  relations: Relation[] = [];
  private relationKeys = new Set<string>();
  /** The true counts read so far (options.truth, the same for every pass), by variable id. */
  private truthOf = new Map<number, number>();
  countCells = 0;
  cellsPublished = 0;
  cellsSuppressed = 0;
  private sensitiveOffers: Set<string>;
  private labels: {
    organisation: Map<string, string>;
    offer: Map<string, string>;
    group: Map<string, string>;
    tenure: Map<string, string>;
    outcome: Map<string, string>;
  };
  private domains: Record<Dim, string[]>;

  constructor(
    private vocabulary: Vocabulary,
    private noise: NoiseModel,
  ) {
    this.sensitiveOffers = new Set(vocabulary.offers.filter((o) => o.sensitive).map((o) => o.slug));
    const map = (pairs: [string, string][]) =>
      new Map(
        pairs.flatMap(
          ([value, label]) =>
            [
              [label, value],
              [value, value],
            ] as [string, string][],
        ),
      );
    this.labels = {
      organisation: map(vocabulary.organisations.map((o) => [o.slug, o.name])),
      offer: map(vocabulary.offers.map((o) => [o.slug, o.title])),
      group: map(vocabulary.staffGroups.map((g) => [g.value, g.label])),
      tenure: map(vocabulary.tenureBands.map((b) => [b.value, b.label])),
      outcome: map(vocabulary.outcomes.map((o) => [o.value, o.label])),
    };
    this.domains = {
      organisation: vocabulary.organisations.map((o) => o.slug),
      offer: vocabulary.offers.map((o) => o.slug),
      group: vocabulary.staffGroups.map((g) => g.value),
      tenure: vocabulary.tenureBands.map((b) => b.value),
      outcome: vocabulary.outcomes.map((o) => o.value),
    };
  }

  private lookup(dim: Dim, label: string): string {
    const v = this.labels[dim].get(label) ?? this.labels[dim].get(label.replace(/ \(retired\)$/, ""));
    if (v === undefined) throw new Error(`attacker: unknown ${dim} "${label}"`);
    return v;
  }

  /** The variable for a record set (made on first sight, unbounded unless empty). */
  variable(set: RecordSet): Variable {
    const key = recordSetKey(set);
    let v = this.byKey.get(key);
    if (!v) {
      v = {
        id: this.vars.length,
        key,
        set,
        lo: 0,
        hi: Infinity,
        star: false,
        published: false,
        noisy: false,
        cells: [],
        empty: false,
        seen: false,
      };
      this.vars.push(v);
      this.byKey.set(key, v);
    }
    return v;
  }

  private emptyVariable(): Variable {
    const v = this.variable({
      months: [],
      organisation: "(none)",
      offer: null,
      group: null,
      tenure: null,
      outcome: null,
      measure: "requests",
    });
    v.empty = true;
    v.hi = 0;
    return v;
  }

  /** Narrows a record set by one more condition; null when the two conditions contradict. */
  private static narrow(base: RecordSet, dim: Dim, value: string | null): RecordSet | null {
    if (value === null) return base;
    if (base[dim] !== null && base[dim] !== value) return null;
    return { ...base, [dim]: value };
  }

  private coversSensitive(set: RecordSet): boolean {
    return set.offer === null ? this.sensitiveOffers.size > 0 : this.sensitiveOffers.has(set.offer);
  }

  observe(page: PageObservation) {
    const months = [...page.months].sort();
    let base: RecordSet | null = {
      months,
      organisation: null,
      offer: null,
      group: null,
      tenure: null,
      outcome: null,
      measure: "requests",
    };
    if (page.scope.kind === "organisation")
      base = Model.narrow(base, "organisation", this.lookup("organisation", page.scope.organisation));
    if (page.filter?.organisation)
      base = base && Model.narrow(base, "organisation", this.lookup("organisation", page.filter.organisation));
    if (page.filter?.offer) base = base && Model.narrow(base, "offer", this.lookup("offer", page.filter.offer));
    if (page.filter?.group) base = base && Model.narrow(base, "group", this.lookup("group", page.filter.group));
    if (!base) throw new Error(`attacker: ${page.name}: the scope and filter contradict`);
    if (page.withheld && this.noise.minPageTotal !== undefined) {
      const total = this.variable(base);
      total.seen = true;
      total.hi = Math.min(total.hi, this.noise.minPageTotal - 1 + this.noise.maxPerturbation);
    }
    for (const table of page.tables) this.observeTable(page, base, table);
  }

  private observeTable(page: PageObservation, base: RecordSet, table: InsightTable) {
    const cell = (row: string, column: string, text: string): CellRef => ({
      page: page.name,
      table: table.id,
      row,
      column,
      text,
    });
    const rowDim: Record<string, Dim | "month" | null> = {
      "table-trend": "month",
      "table-organisations": "organisation",
      "table-staff-groups": "group",
      "table-tenure": "tenure",
      "table-responsiveness": "offer",
      "table-outcomes": "offer",
      "table-satisfaction": "offer",
    };
    if (!(table.id in rowDim)) throw new Error(`attacker: unknown table ${table.id} on ${page.name}`);
    const dim = rowDim[table.id]!;
    for (const row of table.rows) {
      let rowSet: RecordSet | null = base;
      if (!(row.isTotal || isTotalLabel(row.label))) {
        if (dim === "month") {
          const month = parseMonthLabel(row.label);
          if (!month || !base.months.includes(month))
            throw new Error(`attacker: ${page.name} ${table.id}: month "${row.label}" is not in the period`);
          rowSet = { ...base, months: [month] };
        } else rowSet = Model.narrow(base, dim, this.lookup(dim, row.label));
      }
      row.cells.forEach((text, c) => {
        const column = table.columns[c] ?? `column ${c}`;
        const ref = cell(row.label, column, text);
        this.observeCell(table.id, rowSet, column, text, ref);
      });
    }
  }

  private observeCell(tableId: string, rowSet: RecordSet | null, column: string, text: string, ref: CellRef) {
    // What the column counts, narrowed from the row's record set.
    const narrowed = (dim: Dim, label: string | null) =>
      rowSet ? Model.narrow(rowSet, dim, label === null ? null : this.lookup(dim, label)) : null;
    switch (tableId) {
      case "table-trend":
        return this.count(isTotalLabel(column) ? rowSet : narrowed("offer", column), text, ref);
      case "table-organisations":
      case "table-staff-groups":
      case "table-tenure":
        if (/^requests$/i.test(column.trim())) return this.count(rowSet, text, ref);
        return; // headcount (public), per 100 staff (from the published count)
      case "table-outcomes":
        return this.count(isTotalLabel(column) ? rowSet : narrowed("outcome", column), text, ref);
      case "table-satisfaction":
        if (/^ratings$/i.test(column.trim())) return this.count(rowSet && { ...rowSet, measure: "rated" }, text, ref);
        if (/average/i.test(column)) return this.average(rowSet, text, ref);
        throw new Error(`attacker: unknown satisfaction column "${column}"`);
      case "table-responsiveness":
        if (/within target/i.test(column)) return this.withinTarget(rowSet, text, ref);
        if (/median|percentile/i.test(column)) return this.contactStat(rowSet, text);
        throw new Error(`attacker: unknown responsiveness column "${column}"`);
    }
  }

  /** A count cell: its interval under the noise model. */
  private count(set: RecordSet | null, text: string, ref: CellRef) {
    this.countCells++;
    const v = set ? this.variable(set) : this.emptyVariable();
    v.cells.push(ref);
    v.seen = !v.empty;
    const t = text.trim();
    if (t === "*") {
      this.cellsSuppressed++;
      v.star = true;
      return;
    }
    const f = parseFigure(t);
    if (!f || f.percent || !Number.isInteger(f.value) || f.value < 0)
      throw new Error(`attacker: ${ref.page} ${ref.table} "${ref.row}"/"${ref.column}": not a count: "${text}"`);
    this.cellsPublished++;
    if (f.value === 0) return this.bound(v, 0, 0, ref);
    v.published = true;
    const rounding = this.noise.roundedSensitive && set && this.coversSensitive(set) ? 2 : 0;
    const spread = this.noise.maxPerturbation + rounding;
    if (spread > 0) v.noisy = true;
    this.bound(v, Math.max(this.noise.minPublished ?? 8, f.value - spread), f.value + spread, ref);
  }

  private bound(v: Variable, lo: number, hi: number, ref: CellRef) {
    v.lo = Math.max(v.lo, lo);
    v.hi = Math.min(v.hi, hi);
    if (v.lo > v.hi)
      throw new Error(
        `attacker: ${ref.page} ${ref.table} "${ref.row}"/"${ref.column}" = ${ref.text} contradicts another page's figure for ${v.key}`,
      );
  }

  private ratioRelations: { s: Variable; n: Variable; rlo: number; rhi: number; kind: RelationKind; text: string }[] =
    [];

  private average(rowSet: RecordSet | null, text: string, ref: CellRef) {
    if (!rowSet) return;
    const rated = this.variable({ ...rowSet, measure: "rated" });
    const sum = this.variable({ ...rowSet, measure: "ratingSum" });
    void ref;
    rated.seen = sum.seen = true;
    const f = parseFigure(text);
    // A * average says nothing the rating count's own cell does not (it is hidden with its count).
    if (!f) return;
    rated.lo = Math.max(rated.lo, this.noise.minPublished ?? 8);
    this.ratioRelations.push({
      s: sum,
      n: rated,
      rlo: f.value - f.halfWidth,
      rhi: f.value + f.halfWidth,
      kind: "average × count",
      text,
    });
  }

  private withinTarget(rowSet: RecordSet | null, text: string, ref: CellRef) {
    if (!rowSet) return;
    void ref;
    const den = this.variable({ ...rowSet, measure: "den" });
    const within = this.variable({ ...rowSet, measure: "within" });
    const f = parseFigure(text);
    if (!f) {
      if (this.noise.suppressedStatMeansSmallBase) den.hi = Math.min(den.hi, 7);
      return;
    }
    den.lo = Math.max(den.lo, this.noise.minPublished ?? 8);
    this.ratioRelations.push({
      s: within,
      n: den,
      rlo: Math.max(0, (f.value - f.halfWidth) / 100),
      rhi: Math.min(1, (f.value + f.halfWidth) / 100),
      kind: "within-target % × denominator",
      text,
    });
  }

  /** Median and 90th percentile days: only their base (contacted) is said anything about. */
  private contactStat(rowSet: RecordSet | null, text: string) {
    if (!rowSet) return;
    const contacted = this.variable({ ...rowSet, measure: "contacted" });
    contacted.seen = true;
    if (text.trim() === "*") {
      if (this.noise.suppressedStatMeansSmallBase) contacted.hi = Math.min(contacted.hi, 7);
    } else contacted.lo = Math.max(contacted.lo, this.noise.minPublished ?? 8);
  }

  // -------------------------------------------------------------------------------------------
  // relations

  private addLinear(kind: RelationKind, op: "eq" | "le", terms: [Variable, number][]) {
    const merged = new Map<number, number>();
    for (const [v, c] of terms) merged.set(v.id, (merged.get(v.id) ?? 0) + c);
    const entries = [...merged].filter(([, c]) => c !== 0).sort((a, b) => a[0] - b[0]);
    if (entries.length < 2) return;
    const key = `${op}:${entries.map(([id, c]) => `${c}*${id}`).join(",")}`;
    if (this.relationKeys.has(key)) return;
    this.relationKeys.add(key);
    this.relations.push({
      kind,
      type: "linear",
      op,
      vars: entries.map(([id]) => id),
      coefs: entries.map(([, c]) => c),
    });
  }

  relationsByKind() {
    const out: Partial<Record<RelationKind, number>> = {};
    for (const r of this.relations) out[r.kind] = (out[r.kind] ?? 0) + 1;
    return out;
  }

  buildRelations() {
    this.periodRelations();
    this.categoryRelations();
    this.statRelations();
  }

  /**
   * Periods, for each record set seen over several periods: each period is the sum of its atoms
   * (the pieces the observed periods cut the months into), and of observed shorter periods that
   * tile it (a year of quarters); a period minus a shorter one inside it is the atoms in between;
   * two overlapping periods share their intersection. Differences are written out when they are
   * a few atoms (MAX_DIFFERENCE_ATOMS): those are the ones that pin a month or a quarter.
   */
  private periodRelations() {
    const MAX_DIFFERENCE_ATOMS = 3;
    const groups = new Map<string, Variable[]>();
    for (const v of [...this.vars]) {
      if (v.empty || !v.seen) continue;
      const dimsKey = recordSetKey({ ...v.set, months: [] });
      const list = groups.get(dimsKey) ?? [];
      list.push(v);
      groups.set(dimsKey, list);
    }
    for (const list of groups.values()) {
      if (list.length < 2) continue;
      const template = list[0]!.set;
      const setOf = (months: string[]) => this.variable({ ...template, months });
      // Atoms: months grouped by which observed periods contain them.
      const signature = new Map<string, string[]>();
      const monthSets = list.map((v) => new Set(v.set.months));
      for (const month of new Set(list.flatMap((v) => v.set.months))) {
        const sig = monthSets
          .map((m, i) => (m.has(month) ? i : -1))
          .filter((i) => i >= 0)
          .join(",");
        signature.set(sig, [...(signature.get(sig) ?? []), month]);
      }
      const atoms = [...signature.values()].map((months) => months.sort());
      const atomsOf = (months: Set<string>) => atoms.filter((a) => months.has(a[0]!));
      const term = (months: string[], c: number) => [setOf(months), c] as [Variable, number];
      list.forEach((v, i) => {
        const pieces = atomsOf(monthSets[i]!);
        if (pieces.length > 1) this.addLinear("period = its pieces", "eq", [[v, -1], ...pieces.map((a) => term(a, 1))]);
        // Tiled by observed shorter periods (largest first).
        const inside = list
          .map((w, j) => [w, j] as const)
          .filter(
            ([w, j]) =>
              w !== v &&
              w.set.months.length < v.set.months.length &&
              w.set.months.every((m) => monthSets[i]!.has(m)) &&
              j >= 0,
          )
          .sort((a, b) => b[0].set.months.length - a[0].set.months.length);
        const covered = new Set<string>();
        const tiles: Variable[] = [];
        for (const [w] of inside) {
          if (w.set.months.some((m) => covered.has(m))) continue;
          tiles.push(w);
          for (const m of w.set.months) covered.add(m);
        }
        if (tiles.length > 1 || (tiles.length === 1 && covered.size < v.set.months.length)) {
          const rest = atomsOf(new Set(v.set.months.filter((m) => !covered.has(m))));
          if (tiles.length + rest.length > 1) {
            this.addLinear("period = its pieces", "eq", [
              [v, -1],
              ...tiles.map((w) => [w, 1] as [Variable, number]),
              ...rest.map((a) => term(a, 1)),
            ]);
          }
        }
      });
      // Pairs: A ⊃ B gives A = B + (A \ B); overlapping A, B share A ∩ B.
      list.forEach((a, i) => {
        const aMonths = monthSets[i]!;
        list.forEach((b, j) => {
          if (i === j || b.set.months.length > a.set.months.length) return;
          const bMonths = monthSets[j]!;
          const common = b.set.months.filter((m) => aMonths.has(m));
          if (common.length === 0) return;
          if (common.length === b.set.months.length) {
            if (common.length === a.set.months.length) return;
            const rest = atomsOf(new Set(a.set.months.filter((m) => !bMonths.has(m))));
            if (rest.length > MAX_DIFFERENCE_ATOMS) return;
            this.addLinear("period difference", "eq", [[a, -1], [b, 1], ...rest.map((m) => term(m, 1))]);
          } else if (b.set.months.length < a.set.months.length || i < j) {
            const aOnly = atomsOf(new Set(a.set.months.filter((m) => !bMonths.has(m))));
            const bOnly = atomsOf(new Set(b.set.months.filter((m) => !aMonths.has(m))));
            if (aOnly.length + bOnly.length > MAX_DIFFERENCE_ATOMS + 1) return;
            const both = setOf(common.sort());
            this.addLinear("overlapping periods", "eq", [[a, -1], [both, 1], ...aOnly.map((m) => term(m, 1))]);
            this.addLinear("overlapping periods", "eq", [[b, -1], [both, 1], ...bOnly.map((m) => term(m, 1))]);
          }
        });
      });
    }
  }

  /** A set with dim = all is the sum of the same set for each value of dim. */
  private categoryRelations() {
    const done = new Set<string>();
    for (const v of [...this.vars]) {
      if (v.empty || !v.seen) continue;
      for (const dim of DIMS) {
        if (v.set[dim] === null) continue;
        if (dim === "outcome" && v.set.measure !== "requests") continue;
        if (dim === "tenure" && v.set.measure !== "requests") continue;
        const parentSet = { ...v.set, [dim]: null };
        const parentKey = recordSetKey(parentSet);
        const doneKey = `${dim}:${parentKey}`;
        if (done.has(doneKey)) continue;
        done.add(doneKey);
        const parent = this.byKey.get(parentKey);
        const children = this.domains[dim].map((value) => this.byKey.get(recordSetKey({ ...v.set, [dim]: value })));
        const seen = children.filter(Boolean).length + (parent ? 1 : 0);
        if (seen < 2) continue;
        // Unseen members become unknowns (0..∞): still, "total minus the others" bounds them.
        this.addLinear(DIM_RELATION[dim], "eq", [
          [this.variable(parentSet), -1],
          ...this.domains[dim].map((value) => [this.variable({ ...v.set, [dim]: value }), 1] as [Variable, number]),
        ]);
      }
    }
  }

  private statRelations() {
    for (const r of this.ratioRelations) {
      this.relations.push({ kind: r.kind, type: "ratio", s: r.s.id, n: r.n.id, rlo: r.rlo, rhi: r.rhi, text: r.text });
    }
    for (const v of [...this.vars]) {
      const same = (measure: Measure) => this.byKey.get(recordSetKey({ ...v.set, measure }));
      if (v.set.measure === "rated") {
        const sum = same("ratingSum");
        if (sum) {
          this.addLinear("bounds (ratings 1-5, subsets)", "le", [
            [v, 1],
            [sum, -1],
          ]); // n <= s
          this.addLinear("bounds (ratings 1-5, subsets)", "le", [
            [sum, 1],
            [v, -5],
          ]); // s <= 5n
        }
        const requests = same("requests");
        if (requests)
          this.addLinear("bounds (ratings 1-5, subsets)", "le", [
            [v, 1],
            [requests, -1],
          ]);
      }
      if (v.set.measure === "den") {
        const contacted = this.variable({ ...v.set, measure: "contacted" });
        const overdue = this.variable({ ...v.set, measure: "requests", outcome: "overdue" });
        this.addLinear("denominator = contacted + overdue", "eq", [
          [v, -1],
          [contacted, 1],
          [overdue, 1],
        ]);
        const within = same("within");
        if (within)
          this.addLinear("bounds (ratings 1-5, subsets)", "le", [
            [within, 1],
            [contacted, -1],
          ]);
        const requests = same("requests");
        if (requests)
          this.addLinear("bounds (ratings 1-5, subsets)", "le", [
            [v, 1],
            [requests, -1],
          ]);
      }
    }
    // The measures other than requests add up over offers (and organisations, groups) too: the
    // category relations above were made before the stat variables existed for some; redo them.
    this.categoryRelations();
  }

  // -------------------------------------------------------------------------------------------
  // propagation

  propagate(name: PassName, options: AttackOptions, start?: PassResult): PassResult {
    const n = this.vars.length;
    const lo = start ? [...start.lo] : this.vars.map((v) => v.lo);
    const hi = start ? [...start.hi] : this.vars.map((v) => v.hi);
    const why: [number, number][] = start
      ? start.why.map((w) => [...w] as [number, number])
      : this.vars.map(() => [-1, -1]);
    const relationsOf: number[][] = Array.from({ length: n }, () => []);
    this.relations.forEach((r, i) => {
      for (const id of r.type === "linear" ? r.vars : [r.s, r.n]) relationsOf[id]!.push(i);
    });
    const budget = (options.workPerRelation ?? 200) * Math.max(1, this.relations.length);
    let work = 0;
    let hitWorkLimit = false;

    const relaxed = new Set<number>();
    const priorOn = (id: number) =>
      name !== "proven" && this.vars[id]!.star && !relaxed.has(id) && !this.vars[id]!.published;
    const [pLo, pHi] = this.noise.hiddenPrior;

    class Contradiction extends Error {
      constructor(readonly relation: number) {
        super("contradiction");
      }
    }

    // A contradiction (an empty interval) stops the proven pass: it is a bug. In the prior pass it
    // is recorded, the variable is left alone from then on, and the run goes on to find the others.
    const broken = new Uint8Array(n);
    let contradictions: number[] = [];
    const run = (queue: number[]) => {
      const queued = new Uint8Array(this.relations.length);
      for (const r of queue) queued[r] = 1;
      const changed = (id: number, r: number) => {
        if (lo[id]! > hi[id]!) {
          if (name !== "guessing") throw new Contradiction(r);
          broken[id] = 1;
          contradictions.push(r);
          return;
        }
        for (const k of relationsOf[id]!) {
          if (queued[k]) continue;
          queued[k] = 1;
          queue.push(k);
        }
      };
      const setLo = (id: number, value: number, r: number) => {
        if (value > lo[id]! && !broken[id]) {
          lo[id] = value;
          why[id]![0] = r;
          changed(id, r);
        }
      };
      const setHi = (id: number, value: number, r: number) => {
        if (value < hi[id]! && !broken[id]) {
          hi[id] = value;
          why[id]![1] = r;
          changed(id, r);
        }
      };
      let head = 0;
      while (head < queue.length) {
        if (++work > budget) {
          hitWorkLimit = true;
          return;
        }
        const r = queue[head++]!;
        if (head > 65536 && head * 2 > queue.length) {
          queue.splice(0, head);
          head = 0;
        }
        queued[r] = 0;
        const rel = this.relations[r]!;
        if (rel.type === "linear") reviseLinear(rel, r, setLo, setHi);
        else reviseRatio(rel, r, setLo, setHi);
      }
    };

    const reviseLinear = (
      rel: Extract<Relation, { type: "linear" }>,
      r: number,
      setLo: (id: number, v: number, r: number) => void,
      setHi: (id: number, v: number, r: number) => void,
    ) => {
      // Σ c_i x_i (= or <=) 0. For each i: c_i x_i = -Σ_{j≠i} c_j x_j.
      let minSum = 0;
      let maxSum = 0;
      let minInf = 0;
      let maxInf = 0;
      const terms = rel.vars.map((id, k) => {
        const c = rel.coefs[k]!;
        const a = c * lo[id]!;
        const b = c * hi[id]!;
        const tMin = Math.min(a, b);
        const tMax = Math.max(a, b);
        if (tMin === -Infinity) minInf++;
        else minSum += tMin;
        if (tMax === Infinity) maxInf++;
        else maxSum += tMax;
        return [tMin, tMax] as const;
      });
      rel.vars.forEach((id, k) => {
        const c = rel.coefs[k]!;
        const [tMin, tMax] = terms[k]!;
        const restMin = tMin === -Infinity ? (minInf > 1 ? -Infinity : minSum) : minInf > 0 ? -Infinity : minSum - tMin;
        const restMax = tMax === Infinity ? (maxInf > 1 ? Infinity : maxSum) : maxInf > 0 ? Infinity : maxSum - tMax;
        // c x ∈ [-restMax, -restMin] (eq), c x <= -restMin (le)
        const upper = -restMin;
        const lower = rel.op === "eq" ? -restMax : -Infinity;
        if (c > 0) {
          if (upper !== Infinity) setHi(id, Math.floor(upper / c + 1e-9), r);
          if (lower !== -Infinity) setLo(id, Math.ceil(lower / c - 1e-9), r);
        } else {
          if (upper !== Infinity) setLo(id, Math.ceil(upper / c - 1e-9), r);
          if (lower !== -Infinity) setHi(id, Math.floor(lower / c + 1e-9), r);
        }
      });
    };

    const reviseRatio = (
      rel: Extract<Relation, { type: "ratio" }>,
      r: number,
      setLo: (id: number, v: number, r: number) => void,
      setHi: (id: number, v: number, r: number) => void,
    ) => {
      const { s, n: nId, rlo, rhi } = rel;
      // s ∈ [rlo·n, rhi·n]
      setLo(s, Math.ceil(rlo * lo[nId]! - 1e-9), r);
      if (hi[nId]! !== Infinity) setHi(s, Math.floor(rhi * hi[nId]! + 1e-9), r);
      if (rhi > 0) setLo(nId, Math.ceil(lo[s]! / rhi - 1e-9), r);
      if (rlo > 0 && hi[s]! !== Infinity) setHi(nId, Math.floor(hi[s]! / rlo + 1e-9), r);
      // Whole numbers: an n is possible only if some whole s in its range gives the ratio.
      const possible = (count: number) => {
        const a = Math.max(lo[s]!, Math.ceil(rlo * count - 1e-9));
        const b = Math.min(hi[s]!, Math.floor(rhi * count + 1e-9));
        return a <= b;
      };
      let steps = 0;
      let a = lo[nId]!;
      while (a <= hi[nId]! && !possible(a) && steps++ < 5000) a++;
      setLo(nId, a, r);
      let b = hi[nId]!;
      steps = 0;
      if (b !== Infinity) {
        while (b >= lo[nId]! && !possible(b) && steps++ < 5000) b--;
        setHi(nId, b, r);
      }
      // And an s is possible only if some whole n in its range gives the ratio.
      const possibleSum = (sum: number) => {
        const from = Math.max(lo[nId]!, rhi > 0 ? Math.ceil(sum / rhi - 1e-9) : lo[nId]!);
        const to = Math.min(hi[nId]!, rlo > 0 ? Math.floor(sum / rlo + 1e-9) : hi[nId]!);
        return from <= to;
      };
      steps = 0;
      let c = lo[s]!;
      while (c <= hi[s]! && !possibleSum(c) && steps++ < 5000) c++;
      setLo(s, c, r);
      if (hi[s]! !== Infinity) {
        let d = hi[s]!;
        steps = 0;
        while (d >= lo[s]! && !possibleSum(d) && steps++ < 5000) d--;
        setHi(s, d, r);
      }
    };

    let relaxedCount = 0;
    // One count per record set for all three passes (the truth does not change between them).
    const truthOf = this.truthOf;
    const truth = (id: number) => {
      if (!options.truth) return undefined;
      if (!truthOf.has(id)) truthOf.set(id, this.vars[id]!.empty ? 0 : options.truth(this.vars[id]!.set));
      return truthOf.get(id)!;
    };
    if (name !== "guessing") {
      const queue = this.relations.map((_, i) => i);
      if (name === "with prior") {
        // Every star's prior, except where it is false: all premises true.
        for (let id = 0; id < n; id++) {
          if (!priorOn(id)) continue;
          const t = truth(id)!;
          if (t < pLo || t > pHi) {
            relaxed.add(id);
            continue;
          }
          lo[id] = Math.max(lo[id]!, pLo);
          hi[id] = Math.min(hi[id]!, pHi);
        }
        relaxedCount = relaxed.size;
      }
      try {
        run(queue);
      } catch (err) {
        if (err instanceof Contradiction) {
          throw new Error(
            `attacker (${name}): true premises contradict relation ${this.describeRelation(err.relation)}: a mapping bug`,
          );
        }
        throw err;
      }
    } else {
      // Start from the proven bounds; put each star's prior on; where that contradicts, drop the
      // priors of the stars involved (or nearby) and start again from the proven bounds.
      const base = { lo: [...lo], hi: [...hi] };
      for (let attempt = 0; ; attempt++) {
        for (let id = 0; id < n; id++) {
          lo[id] = base.lo[id]!;
          hi[id] = base.hi[id]!;
          why[id] = [...start!.why[id]!];
        }
        broken.fill(0);
        contradictions = [];
        const touched: number[] = [];
        for (let id = 0; id < n; id++) {
          if (!priorOn(id)) continue;
          const a = Math.max(lo[id]!, pLo);
          const b = Math.min(hi[id]!, pHi);
          if (a > b) {
            relaxed.add(id);
            continue;
          }
          lo[id] = a;
          hi[id] = b;
          touched.push(...relationsOf[id]!);
        }
        run([...new Set(touched)]);
        if (contradictions.length === 0) break;
        let grew = false;
        for (const r of new Set(contradictions)) {
          let frontier = this.relationVars(r);
          for (let radius = 0; radius < 3; radius++) {
            const stars = frontier.filter(priorOn);
            if (stars.length > 0) {
              for (const id of stars) relaxed.add(id);
              grew = true;
              break;
            }
            frontier = [...new Set(frontier.flatMap((id) => relationsOf[id]!.flatMap((k) => this.relationVars(k))))];
          }
        }
        if (!grew || attempt >= 20) {
          for (let id = 0; id < n; id++) if (priorOn(id)) relaxed.add(id);
        }
      }
      relaxedCount = relaxed.size;
    }

    // The LP auditor on each suppressed count's neighbourhood (sound: a relaxation).
    let lpSolved = 0;
    let lpTightened = 0;
    if (options.lp && name !== "guessing") {
      const { radius = 2, maxWidth = 15, maxMs = 60_000, maxVariables = 80, maxPrograms = Infinity } = options.lp;
      const deadline = performance.now() + maxMs;
      const lpNames = this.lpNames();
      const relationVarsOf = this.relations.map((_, r) => this.relationVars(r));
      const neighbourhoods = new LpNeighbourhoods(relationsOf, relationVarsOf);
      const candidates = this.vars
        .filter((v) => v.star && !v.published && hi[v.id]! - lo[v.id]! <= maxWidth && hi[v.id]! > lo[v.id]!)
        .sort((a, b) => hi[a.id]! - lo[a.id]! - (hi[b.id]! - lo[b.id]!) || a.id - b.id);
      for (const v of candidates) {
        if (performance.now() > deadline || lpSolved >= maxPrograms) {
          hitWorkLimit = true;
          break;
        }
        if (hi[v.id]! - lo[v.id]! < 1) continue;
        // The neighbourhood: relations reached within `radius` steps, while it stays small.
        const { rels, vars } = neighbourhoods.around(v.id, radius, maxVariables);
        if (rels.length === 0) continue;
        // One program, minimised then maximised (the solver only reads it). The same names and
        // the same insertion order as ever: the solver sees the same program.
        const variables = lpObject<Record<string, number>>();
        const constraints = lpObject<{ min?: number; max?: number; equal?: number }>();
        const vName = lpNames.v;
        for (const x of vars) {
          const own = lpObject<number>();
          if (x === v.id) own.objective = 1;
          variables[vName[x]!] = own;
          const bx = lpNames.b[x]!;
          constraints[bx] = hi[x] === Infinity ? { min: lo[x]! } : { min: lo[x]!, max: hi[x]! };
          own[bx] = 1;
        }
        for (const r of rels) {
          const rel = this.relations[r]!;
          if (rel.type === "linear") {
            const rr = lpNames.r[r]!;
            constraints[rr] = rel.op === "eq" ? { equal: 0 } : { max: 0 };
            const coefs = rel.coefs;
            rel.vars.forEach((x, k) => (variables[vName[x]!]![rr] = coefs[k]!));
          } else {
            // rlo·n <= s <= rhi·n
            const rlo = lpNames.rlo[r]!;
            const rhi = lpNames.rhi[r]!;
            constraints[rlo] = { min: 0 };
            constraints[rhi] = { max: 0 };
            const sv = variables[vName[rel.s]!]!;
            const nv = variables[vName[rel.n]!]!;
            sv[rlo] = 1;
            nv[rlo] = -rel.rlo;
            sv[rhi] = 1;
            nv[rhi] = (nv[rhi] ?? 0) - rel.rhi;
          }
        }
        const model = (opType: "min" | "max") => {
          const out = lpSolve({ optimize: "objective", opType, constraints, variables });
          lpSolved++;
          return out.feasible && out.bounded !== false && Number.isFinite(out.result) ? out.result : null;
        };
        const min = model("min");
        const max = model("max");
        let changed = false;
        if (min !== null && Math.ceil(min - 1e-6) > lo[v.id]!) {
          lo[v.id] = Math.ceil(min - 1e-6);
          why[v.id]![0] = -2;
          changed = true;
        }
        if (max !== null && Math.floor(max + 1e-6) < hi[v.id]!) {
          hi[v.id] = Math.floor(max + 1e-6);
          why[v.id]![1] = -2;
          changed = true;
        }
        if (changed) {
          lpTightened++;
          try {
            run([...relationsOf[v.id]!]);
          } catch (err) {
            if (err instanceof Contradiction)
              throw new Error(
                `attacker (${name}): the LP auditor's bounds contradict ${this.describeRelation(err.relation)}: a bug`,
              );
            throw err;
          }
        }
      }
    }

    // Figures, and the check against the truth.
    const findings: Finding[] = [];
    const noisyFindings: Finding[] = [];
    const because = (id: number) => [
      ...new Set(
        why[id]!.filter((r) => r >= 0 || r === -2).map((r) =>
          r === -2 ? "the LP auditor over its neighbourhood" : this.describeRelation(r),
        ),
      ),
    ];
    // The chain of relations behind a variable's bounds: each relation term by term (interval at
    // the end of the pass, truth, what was shown), then the same for the terms it leaned on.
    const initial = (v: number) => (start ? [start.lo[v]!, start.hi[v]!] : [this.vars[v]!.lo, this.vars[v]!.hi]);
    const detail = (id: number) => {
      const lines: string[] = [];
      const explained = new Set<number>();
      const visit = (v: number, depth: number) => {
        if (explained.has(v) || depth > 3 || lines.length > 80) return;
        explained.add(v);
        const next: number[] = [];
        for (const r of new Set(why[v]!.filter((x) => x >= 0))) {
          const rel = this.relations[r]!;
          const terms =
            rel.type === "linear"
              ? rel.vars.map((x, k) => [x, rel.coefs[k]!] as const)
              : [[rel.s, 1] as const, [rel.n, 1] as const];
          lines.push(
            `${"  ".repeat(depth)}${describeSet(this.vars[v]!.set)} from ${rel.kind}${rel.type === "ratio" ? ` (${rel.text})` : ""}:`,
          );
          for (const [x, c] of terms) {
            const xv = this.vars[x]!;
            const shown = [...new Set(xv.cells.map((cell) => cell.text))].join("/") || "not shown";
            lines.push(
              `${"  ".repeat(depth)}  ${c > 0 ? "+" : "-"}${Math.abs(c) === 1 ? "" : `${Math.abs(c)}×`} ${describeSet(xv.set)}: shown ${shown}, ` +
                `[${lo[x]}, ${hi[x]}]${options.truth ? `, truth ${truth(x)}` : ""}${priorOn(x) ? " (prior)" : ""}`,
            );
            const [a, b] = initial(x);
            const priorA = priorOn(x) ? Math.max(a!, pLo) : a!;
            const priorB = priorOn(x) ? Math.min(b!, pHi) : b!;
            if (x !== v && (lo[x]! > priorA || hi[x]! < priorB)) next.push(x);
          }
        }
        for (const x of next) visit(x, depth + 1);
      };
      visit(id, 0);
      return lines;
    };

    let checked = 0;
    let misled = 0;
    let narrowestWidth: number | null = null;
    let narrowest: Finding | null = null;
    let recovered = 0;
    let recoveredCells = 0;
    let narrow = 0;
    let noisyRecovered = 0;
    let claimedExactly = 0;
    let claimedNarrow = 0;
    for (const v of this.vars) {
      const id = v.id;
      const t = v.seen || v.empty ? truth(id) : undefined;
      if (t !== undefined) {
        checked++;
        if (t < lo[id]! || t > hi[id]!) {
          if (name === "guessing") misled++;
          else
            throw new Error(
              `attacker (${name}): the interval [${lo[id]}, ${hi[id]}] for ${describeSet(v.set)} does not contain its true count ${t} ` +
                `(bounds from: ${because(id).join("; ") || "the published figure"}; cells: ${v.cells
                  .map((c) => `${c.page} ${c.table} ${c.row}/${c.column}=${c.text}`)
                  .slice(0, 3)
                  .join(", ")})`,
            );
        }
      }
      const finding = (): Finding => ({
        set: describeSet(v.set),
        cells: v.cells,
        lo: lo[id]!,
        hi: hi[id]!,
        truth: t,
        because: because(id),
        detail: findings.length + noisyFindings.length < 200 && name !== "guessing" ? detail(id) : undefined,
      });
      if (v.star && !v.published) {
        const width = hi[id]! - lo[id]!;
        // A wrong guess discloses nothing (only the guessing pass can make one).
        const counts = t === undefined || (t >= lo[id]! && t <= hi[id]!);
        if (width === 0) claimedExactly++;
        if (width < 4) claimedNarrow++;
        if (width === 0 && counts) {
          recovered++;
          recoveredCells += v.cells.length;
        }
        if (width < 4 && counts) {
          narrow++;
          findings.push(finding());
        }
        if (counts && (narrowestWidth === null || width < narrowestWidth)) {
          narrowestWidth = width;
          narrowest = finding();
        }
      } else if (v.noisy && v.cells.length > 0 && lo[id] === hi[id]) {
        noisyRecovered++;
        noisyFindings.push(finding());
      }
    }
    return {
      name,
      lo,
      hi,
      why,
      findings,
      noisyFindings,
      figures: {
        recoveredExactly: recovered,
        recoveredCells,
        narrowerThan2: narrow,
        narrowestWidth,
        narrowest,
        noisyPublishedRecovered: noisyRecovered,
        checkedAgainstTruth: checked,
        misledByPrior: misled,
        claimedExactly,
        claimedNarrow,
        relaxedStars: relaxedCount,
        lpSolved,
        lpTightened,
        hitWorkLimit,
      },
    };
  }

  private lpNameCache?: { v: string[]; b: string[]; r: string[]; rlo: string[]; rhi: string[] };

  /** The LP auditor's names for variables (v, b) and relations (r, rlo, rhi), made once. */
  private lpNames() {
    if (!this.lpNameCache || this.lpNameCache.v.length !== this.vars.length) {
      const ids = this.vars.map((_, x) => x);
      const rs = this.relations.map((_, r) => r);
      this.lpNameCache = {
        v: ids.map((x) => `v${x}`),
        b: ids.map((x) => `b${x}`),
        r: rs.map((r) => `r${r}`),
        rlo: rs.map((r) => `r${r}lo`),
        rhi: rs.map((r) => `r${r}hi`),
      };
    }
    return this.lpNameCache;
  }

  private relationVars(r: number): number[] {
    const rel = this.relations[r]!;
    return rel.type === "linear" ? rel.vars : [rel.s, rel.n];
  }

  describeRelation(r: number): string {
    const rel = this.relations[r]!;
    if (rel.type === "ratio") {
      return `${rel.kind}: ${describeSet(this.vars[rel.s]!.set)} / ${describeSet(this.vars[rel.n]!.set)} ≈ ${rel.text}`;
    }
    const side = (sign: number) =>
      rel.vars
        .map((id, k) => [id, rel.coefs[k]!] as const)
        .filter(([, c]) => Math.sign(c) === sign)
        .map(([id, c]) => `${Math.abs(c) === 1 ? "" : `${Math.abs(c)}×`}${describeSet(this.vars[id]!.set)}`)
        .join(" + ");
    return `${rel.kind}: ${side(-1)} ${rel.op === "eq" ? "=" : ">="} ${side(1)}`;
  }
}
