// The cell-key perturbation (ADR 008): deterministic per set of requests, bounded, unbiased, and
// spread as its table says.
import { describe, expect, it } from "vitest";
import {
  addTally,
  cellKey,
  MAX_PERTURBATION,
  PERTURBATION_PROBABILITIES,
  perturbation,
  perturbedCount,
  subtractTally,
  sumTallies,
} from "~/lib/insights/cell-key";

/** A reproducible stream of record keys (0 .. 2^20-1), like support_requests.record_key. */
function keys(seed: number, count: number): number[] {
  let x = seed >>> 0 || 1;
  return Array.from({ length: count }, () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % 1048576;
  });
}

describe("cell-key perturbation", () => {
  it("gives the same set of records the same value, however the set was added up", () => {
    const ks = keys(7, 40);
    const whole = { n: 40, key: ks.reduce((a, b) => a + b, 0) };
    const byHalves = addTally(
      { n: 20, key: ks.slice(0, 20).reduce((a, b) => a + b, 0) },
      { n: 20, key: ks.slice(20).reduce((a, b) => a + b, 0) },
    );
    const byOnes = sumTallies(ks.map((key) => ({ n: 1, key })));
    expect(byHalves).toEqual(whole);
    expect(byOnes).toEqual(whole);
    expect(perturbedCount(byHalves)).toBe(perturbedCount(whole));
    expect(subtractTally(whole, { n: 20, key: ks.slice(20).reduce((a, b) => a + b, 0) })).toEqual({
      n: 20,
      key: ks.slice(0, 20).reduce((a, b) => a + b, 0),
    });
  });

  it("leaves a true zero at zero and never publishes a negative count", () => {
    expect(perturbation({ n: 0, key: 0 })).toBe(0);
    expect(perturbedCount({ n: 0, key: 0 })).toBe(0);
    for (let n = 1; n <= 10; n++) {
      for (const key of keys(n, 200)) expect(perturbedCount({ n, key: key * n })).toBeGreaterThanOrEqual(0);
    }
  });

  it("moves a count by at most 5 either way, 0 on average, in the proportions of its table", () => {
    const seen = new Map<number, number>();
    let total = 0;
    const samples = 200_000;
    const ks = keys(12345, samples);
    for (let i = 0; i < samples; i++) {
      const e = perturbation({ n: 10 + (i % 500), key: ks[i]! * 3 + i });
      expect(Math.abs(e)).toBeLessThanOrEqual(MAX_PERTURBATION);
      seen.set(e, (seen.get(e) ?? 0) + 1);
      total += e;
    }
    expect(Math.abs(total / samples)).toBeLessThan(0.02);
    for (const [change, probability] of PERTURBATION_PROBABILITIES) {
      const share = (seen.get(change) ?? 0) / samples;
      // Within 4 standard errors of the table's probability.
      const se = Math.sqrt((probability * (1 - probability)) / samples);
      expect(Math.abs(share - probability)).toBeLessThan(4 * se + 1e-4);
    }
    expect(PERTURBATION_PROBABILITIES.reduce((a, [, p]) => a + p, 0)).toBeCloseTo(1, 12);
  });

  it("gives two different sets of the same size independent-looking keys", () => {
    const a = cellKey({ n: 30, key: 1_000_000 });
    const b = cellKey({ n: 30, key: 1_000_001 });
    const c = cellKey({ n: 31, key: 1_000_000 });
    expect(new Set([a, b, c]).size).toBe(3);
    for (const u of [a, b, c]) {
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
    }
    // Key sums beyond 32 bits (a million requests) still change the key.
    expect(cellKey({ n: 5, key: 2 ** 40 })).not.toBe(cellKey({ n: 5, key: 2 ** 40 + 2 ** 33 }));
  });

  it("refuses a count or key that is not a whole number rather than publishing nonsense", () => {
    expect(() => cellKey({ n: 1.5, key: 3 })).toThrow(RangeError);
    expect(() => cellKey({ n: 3, key: Number.NaN })).toThrow(RangeError);
  });
});
