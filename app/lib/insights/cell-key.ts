// Consistent perturbation of published counts: the cell-key method of the ONS (Census 2021) and the
// ABS (TableBuilder), docs/decisions/008-insights-disclosure-control.md.
//
// Every request has a secret random record key (support_requests.record_key, never shown or sent).
// A count is published with the records' keys summed alongside it (the rollups keep those sums), so
// the same SET of requests always has the same count and key sum, and so the same perturbation, on
// every page, table, filter and period that shows it. Two different sets get independent-looking
// perturbations, so the difference of two published counts is no longer the true difference.
// Pure and isomorphic (no node:crypto), so unit tests can run it anywhere.

/** A count with the sum of its records' keys: additive, like the count itself. */
export interface Tally {
  n: number;
  key: number;
}

export const EMPTY_TALLY: Tally = { n: 0, key: 0 };

export function addTally(a: Tally, b: Tally): Tally {
  return { n: a.n + b.n, key: a.key + b.key };
}

export function subtractTally(a: Tally, b: Tally): Tally {
  return { n: a.n - b.n, key: a.key - b.key };
}

export function sumTallies(tallies: readonly Tally[]): Tally {
  let n = 0;
  let key = 0;
  for (const t of tallies) {
    n += t.n;
    key += t.key;
  }
  return { n, key };
}

/** The largest change the perturbation makes to a count, either way. Public: the design is not a secret. */
export const MAX_PERTURBATION = 5;

/**
 * The perturbation table: the chance of each change from -5 to +5. Most counts move by 0 or 1, a few
 * by up to 5. Symmetric, so the published figures are unbiased on average. The wide but thin tails
 * matter: an attacker must allow for ±5 on every figure they combine, so a difference of two
 * published counts only pins a hidden one when both happen to sit at opposite extremes.
 */
export const PERTURBATION_PROBABILITIES: ReadonlyArray<readonly [change: number, probability: number]> = [
  [-5, 0.003],
  [-4, 0.007],
  [-3, 0.02],
  [-2, 0.07],
  [-1, 0.2],
  [0, 0.4],
  [1, 0.2],
  [2, 0.07],
  [3, 0.02],
  [4, 0.007],
  [5, 0.003],
];

/** murmur3's 32-bit finaliser: spreads every input bit over the output. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) decided by the count and its key sum alone (the "cell key"). */
export function cellKey(t: Tally): number {
  if (!Number.isSafeInteger(t.n) || !Number.isSafeInteger(t.key)) {
    throw new RangeError(`cellKey: expected whole numbers, got n=${t.n} key=${t.key}`);
  }
  const low = t.key >>> 0;
  const high = Math.floor(t.key / 0x100000000) >>> 0;
  let h = fmix32(low ^ 0x9e3779b9);
  h = fmix32(h ^ high ^ 0x7f4a7c15);
  h = fmix32(h ^ (t.n >>> 0) ^ 0x2545f491);
  return h / 0x100000000;
}

/** The change for this cell, from the table; 0 for an empty cell (a true zero is shown as it is). */
export function perturbation(t: Tally): number {
  if (t.n <= 0) return 0;
  const u = cellKey(t);
  let cumulative = 0;
  for (const [change, probability] of PERTURBATION_PROBABILITIES) {
    cumulative += probability;
    if (u < cumulative) return change;
  }
  return PERTURBATION_PROBABILITIES[PERTURBATION_PROBABILITIES.length - 1]![0];
}

/** The count as it may be published (before suppression and rounding): never below 0. */
export function perturbedCount(t: Tally): number {
  return Math.max(0, t.n + perturbation(t));
}
