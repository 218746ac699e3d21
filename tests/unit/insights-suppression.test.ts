import fc from "fast-check";
import solver from "javascript-lp-solver";
import { describe, expect, it } from "vitest";
import { isSmall, MIN_BASE, roundToFive, SMALL_MAX, suppressLine, suppressTable } from "~/lib/insights/suppression";

// ---------------------------------------------------------------------------------------------------
// The auditor. It knows nothing of the algorithm's graph: it plays the viewer, who sees every shown
// number exactly, knows which numbers sum to which totals, and knows counts are non-negative integers
// (but NOT which stars are "1 to 7": the page does not say which stars are primary). For each hidden
// entry it asks an integer linear program for the smallest and the largest value consistent with all
// that. A count is recoverable exactly when its minimum equals its maximum.
// ---------------------------------------------------------------------------------------------------

/** A sum constraint: the entries named in `parts` add up to the entry named `total`. */
interface SumRule {
  parts: string[];
  total: string;
}

interface Range {
  min: number;
  max: number;
}

function solveFor(
  values: Record<string, number>,
  hidden: ReadonlySet<string>,
  rules: readonly SumRule[],
  target: string,
  opType: "min" | "max",
): number {
  const variables: Record<string, Record<string, number>> = {};
  const ints: Record<string, 1> = {};
  for (const name of hidden) {
    variables[name] = name === target ? { objective: 1 } : {};
    ints[name] = 1;
  }
  const constraints: Record<string, { equal: number }> = {};
  rules.forEach((rule, k) => {
    // sum(parts) - total = 0, with the shown numbers moved to the right-hand side.
    const key = `rule${k}`;
    let rhs = 0;
    let unknowns = 0;
    const coefficient = (name: string, sign: number) => {
      if (hidden.has(name)) {
        variables[name][key] = (variables[name][key] ?? 0) + sign;
        unknowns++;
      } else {
        rhs -= sign * values[name];
      }
    };
    for (const p of rule.parts) coefficient(p, 1);
    coefficient(rule.total, -1);
    if (unknowns > 0) constraints[key] = { equal: rhs };
    else if (rhs !== 0) throw new Error(`auditor: shown numbers break ${key}`);
  });
  const result = solver.Solve({ optimize: "objective", opType, constraints, variables, ints }) as {
    feasible: boolean;
    bounded?: boolean;
    result: number;
  };
  if (!result.feasible) throw new Error("auditor: no table matches what is shown");
  if (result.bounded === false) return opType === "max" ? Infinity : -Infinity;
  return Math.round(result.result);
}

/** The range of each hidden entry over every non-negative integer table that matches what is shown. */
function audit(values: Record<string, number>, hidden: ReadonlySet<string>, rules: readonly SumRule[]) {
  const ranges = new Map<string, Range>();
  for (const name of hidden) {
    ranges.set(name, {
      min: solveFor(values, hidden, rules, name, "min"),
      max: solveFor(values, hidden, rules, name, "max"),
    });
  }
  return ranges;
}

// Names and rules for the two shapes.

function lineModel(parts: readonly number[], total: number) {
  const values: Record<string, number> = { total };
  parts.forEach((p, i) => (values[`p${i}`] = p));
  const rules: SumRule[] = [{ parts: parts.map((_, i) => `p${i}`), total: "total" }];
  return { values, rules };
}

interface Table {
  cells: number[][];
  rowTotals: number[];
  colTotals: number[];
  grandTotal: number;
}

function tableOf(cells: number[][], cols = cells[0]?.length ?? 0): Table {
  const rowTotals = cells.map((row) => row.reduce((a, b) => a + b, 0));
  const colTotals = Array.from({ length: cols }, (_, c) => cells.reduce((a, row) => a + row[c], 0));
  return { cells, rowTotals, colTotals, grandTotal: rowTotals.reduce((a, b) => a + b, 0) };
}

function tableModel(t: Table) {
  const values: Record<string, number> = { grand: t.grandTotal };
  t.cells.forEach((row, r) => row.forEach((v, c) => (values[`c${r}_${c}`] = v)));
  t.rowTotals.forEach((v, r) => (values[`r${r}`] = v));
  t.colTotals.forEach((v, c) => (values[`k${c}`] = v));
  const rules: SumRule[] = [
    ...t.cells.map((row, r) => ({ parts: row.map((_, c) => `c${r}_${c}`), total: `r${r}` })),
    ...t.colTotals.map((_, c) => ({ parts: t.cells.map((_, r) => `c${r}_${c}`), total: `k${c}` })),
    { parts: t.rowTotals.map((_, r) => `r${r}`), total: "grand" },
    { parts: t.colTotals.map((_, c) => `k${c}`), total: "grand" },
  ];
  return { values, rules };
}

function hiddenTableNames(s: ReturnType<typeof suppressTable>): Set<string> {
  const names = new Set<string>();
  s.cells.forEach((row, r) => row.forEach((h, c) => h && names.add(`c${r}_${c}`)));
  s.rowTotals.forEach((h, r) => h && names.add(`r${r}`));
  s.colTotals.forEach((h, c) => h && names.add(`k${c}`));
  if (s.grandTotal) names.add("grand");
  return names;
}

/** Names of the small (primary) entries whose range is a single value: each one is disclosed. */
function pinnedSmall(values: Record<string, number>, ranges: Map<string, Range>): string[] {
  return [...ranges]
    .filter(([name, range]) => isSmall(values[name]) && !(range.min < range.max))
    .map(([name, range]) => `${name}=${values[name]} (range ${range.min}..${range.max})`);
}

function deepFreeze<T>(value: T): T {
  if (Array.isArray(value)) value.forEach(deepFreeze);
  else if (value && typeof value === "object") Object.values(value).forEach(deepFreeze);
  return Object.freeze(value);
}

/** Checks a table result against the rules; returns the auditor's ranges for further checks. */
function checkTable(t: Table) {
  const before = JSON.stringify(t);
  const s = suppressTable(deepFreeze(t));
  expect(JSON.stringify(t)).toBe(before);
  const { values, rules } = tableModel(t);
  const hidden = hiddenTableNames(s);
  // Shape of the answer.
  expect(s.cells.length).toBe(t.cells.length);
  s.cells.forEach((row, r) => expect(row.length).toBe(t.cells[r].length));
  expect(s.rowTotals.length).toBe(t.rowTotals.length);
  expect(s.colTotals.length).toBe(t.colTotals.length);
  for (const [name, value] of Object.entries(values)) {
    // Every count 1..7 is hidden; zeros are always shown (the algorithm never needs one).
    if (isSmall(value)) expect(hidden.has(name), `${name}=${value} is small`).toBe(true);
    if (value === 0) expect(hidden.has(name), `${name} is zero`).toBe(false);
  }
  // The grand total is shown whenever it is not small.
  expect(s.grandTotal).toBe(isSmall(t.grandTotal));
  const ranges = audit(values, hidden, rules);
  expect(pinnedSmall(values, ranges)).toEqual([]);
  // Every range contains the true value (the auditor's model is the real table's).
  for (const [name, range] of ranges) {
    expect(range.min).toBeLessThanOrEqual(values[name]);
    expect(range.max).toBeGreaterThanOrEqual(values[name]);
  }
  return { s, ranges, values };
}

function checkLine(parts: number[], total: number) {
  const frozen = deepFreeze([...parts]);
  const s = suppressLine(frozen, total);
  expect(s.parts.length).toBe(parts.length);
  const { values, rules } = lineModel(parts, total);
  const hidden = new Set<string>();
  s.parts.forEach((h, i) => h && hidden.add(`p${i}`));
  if (s.total) hidden.add("total");
  parts.forEach((p, i) => {
    if (isSmall(p)) expect(s.parts[i], `part ${i}=${p} is small`).toBe(true);
    if (p === 0) expect(s.parts[i], `part ${i} is zero`).toBe(false);
  });
  expect(s.total).toBe(isSmall(total));
  // Never more than one secondary part.
  expect(s.parts.filter((h, i) => h && !isSmall(parts[i])).length).toBeLessThanOrEqual(1);
  const ranges = audit(values, hidden, rules);
  expect(pinnedSmall(values, ranges)).toEqual([]);
  return s;
}

// ---------------------------------------------------------------------------------------------------

describe("constants and helpers", () => {
  it("calls 1 to 7 small, and 0 and 8 not", () => {
    expect(SMALL_MAX).toBe(7);
    expect(MIN_BASE).toBe(8);
    expect([0, 1, 7, 8, 100].map(isSmall)).toEqual([false, true, true, false, false]);
  });

  it("rounds to the nearest 5, halves up", () => {
    const cases: [number, number][] = [
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 5],
      [7, 5],
      [8, 10],
      [12, 10],
      [13, 15],
      [15, 15],
      [17, 15],
      [18, 20],
      [2.5, 5],
      [7.5, 10],
      [1234, 1235],
      [1232, 1230],
    ];
    for (const [n, expected] of cases) expect(roundToFive(n), `roundToFive(${n})`).toBe(expected);
    expect(() => roundToFive(-1)).toThrow(RangeError);
    expect(() => roundToFive(Number.NaN)).toThrow(RangeError);
  });
});

describe("the auditor (so that it can be trusted to fail)", () => {
  it("finds a small cell pinned when only the primary cell is hidden", () => {
    const t = tableOf([
      [3, 20],
      [10, 30],
    ]);
    const { values, rules } = tableModel(t);
    const ranges = audit(values, new Set(["c0_0"]), rules);
    expect(ranges.get("c0_0")).toEqual({ min: 3, max: 3 });
  });

  it("finds a small cell pinned on a cycle whose zeros cannot go lower (the non-negativity trap)", () => {
    // Cells a=3, b=0 / c=20, d=0 all hidden: a cycle of four, but column 1's total 0 is shown, so
    // b and d are 0 and a = row 0's total.
    const t = tableOf([
      [3, 0],
      [20, 0],
    ]);
    const { values, rules } = tableModel(t);
    const ranges = audit(values, new Set(["c0_0", "c0_1", "c1_0", "c1_1"]), rules);
    expect(ranges.get("c0_0")).toEqual({ min: 3, max: 3 });
  });

  it("finds a range for a hidden pair on a line, unbounded when the total is hidden", () => {
    const { values, rules } = lineModel([3, 20, 40], 63);
    expect(audit(values, new Set(["p0", "p1"]), rules).get("p0")).toEqual({ min: 0, max: 23 });
    expect(audit(values, new Set(["p0", "total"]), rules).get("p0")).toEqual({ min: 0, max: Infinity });
  });
});

describe("suppressLine", () => {
  it("hides a small part and the smallest non-zero shown part", () => {
    expect(suppressLine([3, 20, 40], 63)).toEqual({ parts: [true, true, false], total: false });
    checkLine([3, 20, 40], 63);
  });

  it("skips zeros when choosing the second part, and takes the first of equal parts", () => {
    expect(suppressLine([0, 40, 5, 0, 12, 12], 69)).toEqual({
      parts: [false, false, true, false, true, false],
      total: false,
    });
  });

  it("adds nothing when two parts are already small", () => {
    expect(suppressLine([3, 20, 2, 40], 65)).toEqual({ parts: [true, false, true, false], total: false });
  });

  it("hides a small total and every non-zero part", () => {
    expect(suppressLine([2, 0, 3], 5)).toEqual({ parts: [true, false, true], total: true });
    expect(suppressLine([4], 4)).toEqual({ parts: [true], total: true });
    checkLine([2, 0, 3], 5);
  });

  it("hides nothing when nothing is small", () => {
    expect(suppressLine([0, 8, 30], 38)).toEqual({ parts: [false, false, false], total: false });
    expect(suppressLine([], 0)).toEqual({ parts: [], total: false });
  });

  it("throws when the parts do not add up, or a count is not a non-negative integer", () => {
    expect(() => suppressLine([1, 2], 4)).toThrow(/sum/);
    expect(() => suppressLine([-1, 5], 4)).toThrow(/non-negative integer/);
    expect(() => suppressLine([1.5, 2.5], 4)).toThrow(/non-negative integer/);
  });
});

describe("suppressTable", () => {
  it("hides a forced row total (one another table also publishes) and puts it on a cycle", () => {
    const t = tableOf([
      [10, 20],
      [15, 40],
    ]);
    expect(suppressTable(t).rowTotals).toEqual([false, false]);
    const s = suppressTable(t, { forceRowTotals: [true, false] });
    expect(s.rowTotals[0]).toBe(true);
    // Its cycle: the other row total and a column's cells, so neither row total can be worked out.
    const hiddenCount = [...s.cells.flat(), ...s.rowTotals, ...s.colTotals].filter(Boolean).length;
    expect(hiddenCount).toBeGreaterThanOrEqual(4);
    expect(s.grandTotal).toBe(false);
  });

  it("gives one small cell a 4-cycle of complementary cells, keeping the margins", () => {
    // Cheapest cycle: 20 + 40 + 15 = 75 (cells), against 98 via the column totals or 93 via the row totals.
    const t = tableOf([
      [3, 20],
      [15, 40],
    ]);
    const s = suppressTable(t);
    expect(s).toEqual({
      cells: [
        [true, true],
        [true, true],
      ],
      rowTotals: [false, false],
      colTotals: [false, false],
      grandTotal: false,
    });
    checkTable(t);
  });

  it("leaves the rest of a larger table alone", () => {
    const t = tableOf([
      [3, 9, 50, 60],
      [10, 12, 70, 80],
      [40, 45, 90, 95],
    ]);
    const s = suppressTable(t);
    expect(s.cells).toEqual([
      [true, true, false, false],
      [true, true, false, false],
      [false, false, false, false],
    ]);
    expect(s.rowTotals.concat(s.colTotals, [s.grandTotal]).some(Boolean)).toBe(false);
    checkTable(t);
  });

  it("hides a small row total with complements that avoid zeros", () => {
    // Row 0 is 2 + 0 + 3 = 5: its cells and total are small. The cells lie on a cycle through the row
    // total; the row total needs another route to C* (not the grand total, which is shown).
    const { s } = checkTable(
      tableOf([
        [2, 0, 3],
        [10, 0, 30],
        [0, 0, 25],
      ]),
    );
    expect(s.rowTotals[0]).toBe(true);
    expect(s.grandTotal).toBe(false);
    expect(s.cells.map((row) => row[1])).toEqual([false, false, false]);
  });

  it("hides everything non-zero when the grand total is small", () => {
    const t = tableOf([
      [1, 0],
      [2, 3],
    ]);
    expect(suppressTable(t)).toEqual({
      cells: [
        [true, false],
        [true, true],
      ],
      rowTotals: [true, true],
      colTotals: [true, true],
      grandTotal: true,
    });
    checkTable(t);
  });

  it("handles a single row, where each column total equals its cell", () => {
    const { s } = checkTable(tableOf([[3, 20, 40]]));
    expect(s.cells[0][0]).toBe(true);
    expect(s.colTotals[0]).toBe(true);
    expect(s.grandTotal).toBe(false);
  });

  it("handles a single column and an empty table", () => {
    checkTable(tableOf([[3], [20], [0], [40]]));
    expect(suppressTable(tableOf([], 0))).toEqual({ cells: [], rowTotals: [], colTotals: [], grandTotal: false });
  });

  it("is deterministic", () => {
    const t = tableOf([
      [3, 10, 10],
      [10, 10, 10],
      [10, 10, 10],
    ]);
    const first = suppressTable(t);
    for (let i = 0; i < 5; i++) expect(suppressTable(tableOf(t.cells.map((row) => [...row])))).toEqual(first);
  });

  it("throws when the sums do not add up or the shape is wrong", () => {
    const good = tableOf([
      [3, 20],
      [15, 40],
    ]);
    expect(() => suppressTable({ ...good, rowTotals: [23, 56] })).toThrow(/row 1 sums to 55/);
    expect(() => suppressTable({ ...good, colTotals: [18, 61] })).toThrow(/column 1 sums to 60/);
    expect(() => suppressTable({ ...good, grandTotal: 79 })).toThrow(/grand total/);
    expect(() => suppressTable({ ...good, cells: [[3, 20], [15]] })).toThrow(/row 1 has 1 cells/);
    expect(() => suppressTable({ ...good, rowTotals: [23] })).toThrow(/row totals/);
    expect(() => suppressTable(tableOf([[-3, 20]]))).toThrow(/non-negative integer/);
  });
});

// ---------------------------------------------------------------------------------------------------
// The issue's words: "for random tables, nothing published lets a count 1–7 be recovered from what
// else is published".

const RUNS = 300;

/** Counts skewed small: many zeros, many 1..7, some 8..60, a few large. */
const count = fc.oneof(
  { arbitrary: fc.constant(0), weight: 3 },
  { arbitrary: fc.integer({ min: 1, max: 7 }), weight: 4 },
  { arbitrary: fc.integer({ min: 8, max: 60 }), weight: 3 },
  { arbitrary: fc.integer({ min: 61, max: 5000 }), weight: 1 },
);

const table = fc
  .record({ rows: fc.integer({ min: 1, max: 5 }), cols: fc.integer({ min: 1, max: 6 }) })
  .chain(({ rows, cols }) =>
    fc.array(fc.array(count, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }),
  );

describe("properties", () => {
  it("lines: no small count can be worked out from what is shown", () => {
    fc.assert(
      fc.property(fc.array(count, { minLength: 1, maxLength: 8 }), (parts) => {
        checkLine(
          parts,
          parts.reduce((a, b) => a + b, 0),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it("tables: no small count can be worked out from what is shown", () => {
    fc.assert(
      fc.property(table, (cells) => {
        const t = tableOf(cells);
        const { ranges, values } = checkTable(t);
        // Stronger than asked: no hidden entry at all (secondary ones included) is pinned.
        for (const [name, range] of ranges) expect(range.min < range.max, `${name}=${values[name]}`).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("tables: the same input gives the same output", () => {
    fc.assert(
      fc.property(table, (cells) => {
        const a = suppressTable(tableOf(cells));
        const b = suppressTable(tableOf(cells.map((row) => [...row])));
        expect(b).toEqual(a);
      }),
      { numRuns: RUNS },
    );
  });
});
