// Small-number suppression for manager insights. Pure functions: they take counts and say which of
// them to hide ("*"); they never change a number.
//
// Primary suppression: every count from 1 to SMALL_MAX is hidden (0 is shown: a true zero names no one).
// Secondary suppression: more numbers are hidden so that no hidden count can be worked out exactly
// by someone who knows every shown number, which numbers add up to which totals, and that counts are
// whole numbers that are never negative. The page says "* means 1 to 7, or a number hidden so that one
// of those cannot be worked out", so a viewer cannot tell primary stars from secondary ones.
//
// Tables are treated as a graph (see suppressTable): a consistent table is a circulation on it, and a
// hidden number is pinned by the shown ones exactly when it is a bridge of the hidden numbers' subgraph.
// We go further than "on a cycle": every hidden number lies on a cycle of hidden NON-ZERO numbers, so
// moving one unit round that cycle, either way, gives another table that matches everything shown
// and keeps every count >= 0 (a cycle through a zero could be blocked by non-negativity).

/** Counts 1..SMALL_MAX are "small" and never shown. */
export const SMALL_MAX = 7;
/** Rates, medians, percentiles and averages need at least this many requests behind them. */
export const MIN_BASE = 8;

/** True for a count from 1 to SMALL_MAX (0 is not small: it is shown). */
export function isSmall(n: number): boolean {
  return n >= 1 && n <= SMALL_MAX;
}

/** The nearest multiple of 5, halves rounding up: 8 -> 10, 12 -> 10, 13 -> 15, 0 -> 0. */
export function roundToFive(n: number): number {
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`roundToFive: expected a non-negative number, got ${n}`);
  return Math.floor(n / 5 + 0.5) * 5;
}

function checkCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`suppression: ${what} must be a non-negative integer, got ${value}`);
  }
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/**
 * A one-way breakdown whose parts sum to its total (e.g. requests by organisation, summing to all
 * requests). Returns which parts, and whether the total, are suppressed.
 */
export function suppressLine(
  parts: readonly number[],
  total: number,
  /**
   * Non-zero members to hide as if they were small (a count whose published, perturbed value would
   * be 7 or less, ADR 008): they are primary suppressions and get protected like small ones.
   */
  force: { parts?: readonly boolean[]; total?: boolean } = {},
): { parts: boolean[]; total: boolean } {
  parts.forEach((p, i) => checkCount(p, `part ${i}`));
  checkCount(total, "total");
  if (sum(parts) !== total) {
    throw new Error(`suppression: parts sum to ${sum(parts)}, not to the total ${total}`);
  }

  const hidden = parts.map((p, i) => isSmall(p) || (p > 0 && (force.parts?.[i] ?? false)));
  // A small total: every non-zero part is then small too, so everything non-zero is hidden.
  const totalHidden = isSmall(total) || (total > 0 && (force.total ?? false));
  const hiddenCount = hidden.filter(Boolean).length + (totalHidden ? 1 : 0);

  // One hidden member of a line is the total minus the others: hide a second. With two or more hidden,
  // each hidden part can move one unit against another hidden member (a hidden part and a hidden total
  // move together), and every hidden member is non-zero, so none is pinned.
  if (hiddenCount === 1) {
    // The smallest non-zero shown part (first on ties). The total is never the second: it is hidden
    // only when it is small itself. A zero part is the last resort (it can't be lowered, so it only
    // helps a little); it is never needed, since a shown total >= 8 less one small part leaves a
    // non-zero remainder among the other parts.
    let pick = -1;
    for (let i = 0; i < parts.length; i++) {
      if (!hidden[i] && parts[i] > 0 && (pick < 0 || parts[i] < parts[pick])) pick = i;
    }
    if (pick < 0) pick = parts.findIndex((p, i) => !hidden[i] && p === 0);
    if (pick >= 0) hidden[pick] = true;
  }
  return { parts: hidden, total: totalHidden };
}

type EdgeKind = "cell" | "rowTotal" | "colTotal" | "grandTotal";

interface Edge {
  u: number;
  v: number;
  value: number;
  kind: EdgeKind;
  r: number;
  c: number;
  primary: boolean;
  hidden: boolean;
}

/** Dijkstra's cost of a path, compared in order: zero-valued entries it newly hides, the value it newly
 *  hides, margins it newly hides, edges on it. */
type Cost = readonly [zeros: number, value: number, margins: number, hops: number];

function less(a: Cost, b: Cost): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i];
  }
  return false;
}

/**
 * A two-way table with margins: cells[r][c], rowTotals[r] = sum of row r, colTotals[c] = sum of
 * column c, grandTotal = sum of everything. Returns which entries are suppressed.
 *
 * The graph: one vertex per row, one per column, R* (the row of column totals) and C* (the column of
 * row totals). Each entry is an edge: cell (r,c) is row_r–col_c, row total r is row_r–C*, column total
 * c is R*–col_c, the grand total is R*–C*. For each primary (small) entry not already on a cycle of
 * hidden non-zero entries, the cheapest path between its ends (never through the entry itself, nor
 * the grand total unless that is small) is hidden too. Path cost, compared in order: zero-valued
 * entries newly hidden (avoided: a zero on the cycle could pin it), the sum of the values newly
 * hidden, margins newly hidden (cells are preferred), number of edges; ties go to the lower vertex.
 */
export function suppressTable(
  t: {
    cells: readonly (readonly number[])[];
    rowTotals: readonly number[];
    colTotals: readonly number[];
    grandTotal: number;
  },
  options: {
    /**
     * Row totals that must be hidden and protected as if they were small: for a row total that
     * another table on the same page also publishes (and hides), so neither table gives it back.
     */
    forceRowTotals?: readonly boolean[];
    /** Non-zero entries to hide as primary suppressions although they are not small (ADR 008). */
    forceCells?: readonly (readonly boolean[])[];
    forceColTotals?: readonly boolean[];
    forceGrandTotal?: boolean;
  } = {},
): { cells: boolean[][]; rowTotals: boolean[]; colTotals: boolean[]; grandTotal: boolean } {
  const rows = t.cells.length;
  const cols = t.colTotals.length;
  if (t.rowTotals.length !== rows) {
    throw new Error(`suppression: ${rows} rows of cells but ${t.rowTotals.length} row totals`);
  }
  t.cells.forEach((row, r) => {
    if (row.length !== cols) throw new Error(`suppression: row ${r} has ${row.length} cells, not ${cols}`);
    row.forEach((v, c) => checkCount(v, `cell (${r}, ${c})`));
  });
  t.rowTotals.forEach((v, r) => checkCount(v, `row total ${r}`));
  t.colTotals.forEach((v, c) => checkCount(v, `column total ${c}`));
  checkCount(t.grandTotal, "grand total");
  t.cells.forEach((row, r) => {
    if (sum(row) !== t.rowTotals[r]) {
      throw new Error(`suppression: row ${r} sums to ${sum(row)}, not to its total ${t.rowTotals[r]}`);
    }
  });
  for (let c = 0; c < cols; c++) {
    const s = sum(t.cells.map((row) => row[c]));
    if (s !== t.colTotals[c]) {
      throw new Error(`suppression: column ${c} sums to ${s}, not to its total ${t.colTotals[c]}`);
    }
  }
  if (sum(t.rowTotals) !== t.grandTotal) {
    throw new Error(`suppression: row totals sum to ${sum(t.rowTotals)}, not to the grand total ${t.grandTotal}`);
  }
  if (sum(t.colTotals) !== t.grandTotal) {
    throw new Error(`suppression: column totals sum to ${sum(t.colTotals)}, not to the grand total ${t.grandTotal}`);
  }

  // Vertices: rows 0..rows-1, columns rows..rows+cols-1, then R* and C*.
  const rStar = rows + cols;
  const cStar = rows + cols + 1;
  const vertexCount = rows + cols + 2;
  const edges: Edge[] = [];
  const add = (u: number, v: number, value: number, kind: EdgeKind, r: number, c: number, forced = false) => {
    const primary = isSmall(value) || (forced && value > 0);
    edges.push({ u, v, value, kind, r, c, primary, hidden: primary });
  };
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) add(r, rows + c, t.cells[r][c], "cell", r, c, options.forceCells?.[r]?.[c] ?? false);
  }
  for (let r = 0; r < rows; r++) add(r, cStar, t.rowTotals[r], "rowTotal", r, -1, options.forceRowTotals?.[r] ?? false);
  for (let c = 0; c < cols; c++)
    add(rStar, rows + c, t.colTotals[c], "colTotal", -1, c, options.forceColTotals?.[c] ?? false);
  const grandIndex = edges.length;
  add(rStar, cStar, t.grandTotal, "grandTotal", -1, -1, options.forceGrandTotal ?? false);

  const incident: number[][] = Array.from({ length: vertexCount }, () => []);
  edges.forEach((e, i) => {
    incident[e.u].push(i);
    incident[e.v].push(i);
  });
  const other = (e: Edge, x: number) => (e.u === x ? e.v : e.u);

  /** Is `e` on a cycle of hidden non-zero edges: are its ends joined by such edges without it? */
  const onHiddenCycle = (skip: number): boolean => {
    const { u, v } = edges[skip];
    const seen = new Array<boolean>(vertexCount).fill(false);
    const stack = [u];
    seen[u] = true;
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (x === v) return true;
      for (const i of incident[x]) {
        const e = edges[i];
        if (i === skip || !e.hidden || e.value === 0) continue;
        const y = other(e, x);
        if (!seen[y]) {
          seen[y] = true;
          stack.push(y);
        }
      }
    }
    return false;
  };

  const edgeCost = (e: Edge): Cost => {
    if (e.hidden && e.value > 0) return [0, 0, 0, 1];
    return [e.value === 0 ? 1 : 0, e.value, e.kind === "cell" ? 0 : 1, 1];
  };

  /** The cheapest path between the ends of edge `skip`, not using it; the edges on it. */
  const cheapestPath = (skip: number): number[] | null => {
    const { u: source, v: target } = edges[skip];
    const dist: (Cost | null)[] = new Array(vertexCount).fill(null);
    const via = new Array<number>(vertexCount).fill(-1);
    const done = new Array<boolean>(vertexCount).fill(false);
    dist[source] = [0, 0, 0, 0];
    for (;;) {
      let x = -1;
      for (let y = 0; y < vertexCount; y++) {
        const d = dist[y];
        if (!done[y] && d !== null && (x < 0 || less(d, dist[x]!))) x = y;
      }
      if (x < 0) return null;
      if (x === target) break;
      done[x] = true;
      for (const i of incident[x]) {
        const e = edges[i];
        if (i === skip) continue;
        // The grand total is the headline number: hidden only when it is small itself.
        if (i === grandIndex && !e.primary) continue;
        const y = other(e, x);
        if (done[y]) continue;
        const w = edgeCost(e);
        const dx = dist[x]!;
        const candidate: Cost = [dx[0] + w[0], dx[1] + w[1], dx[2] + w[2], dx[3] + w[3]];
        if (dist[y] === null || less(candidate, dist[y]!)) {
          dist[y] = candidate;
          via[y] = i;
        }
      }
    }
    const path: number[] = [];
    for (let x = target; x !== source;) {
      const i = via[x];
      path.push(i);
      x = other(edges[i], x);
    }
    return path;
  };

  for (let i = 0; i < edges.length; i++) {
    if (!edges[i].primary || onHiddenCycle(i)) continue;
    const path = cheapestPath(i);
    // Unreachable: without the grand total the graph has no bridge except an entry that equals the
    // grand total by construction (a single row or column), and that is small only when the grand
    // total is, which then may be used.
    if (path === null) throw new Error("suppression: no complementary cells found (internal error)");
    for (const j of path) edges[j].hidden = true;
  }

  const result = {
    cells: Array.from({ length: rows }, () => new Array<boolean>(cols).fill(false)),
    rowTotals: new Array<boolean>(rows).fill(false),
    colTotals: new Array<boolean>(cols).fill(false),
    grandTotal: false,
  };
  for (const e of edges) {
    if (e.kind === "cell") result.cells[e.r][e.c] = e.hidden;
    else if (e.kind === "rowTotal") result.rowTotals[e.r] = e.hidden;
    else if (e.kind === "colTotal") result.colTotals[e.c] = e.hidden;
    else result.grandTotal = e.hidden;
  }
  return result;
}
