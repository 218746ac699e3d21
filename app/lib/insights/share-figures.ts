// The published model with every figure that is equal to another the same object (ADR 041,
// addendum of 30 November, afternoon). Remix's single-fetch encoding (turbo-stream) writes an
// object it has already written as a reference, so a page's many equal figures ("*", 0, small
// rounded counts) are sent once: /insights' hydration data 33 -> 16 KB, its encoding about half
// the CPU. Only objects shaped exactly like a Figure are shared, and only equal ones (same value,
// text, suppressed and rounded), so every figure reads the same; nothing reads them mutably.
import type { Figure } from "./types";

function isFigure(o: object): o is Figure {
  const keys = Object.keys(o);
  return (
    keys.length === 4 &&
    "value" in o &&
    "text" in o &&
    "suppressed" in o &&
    "rounded" in o &&
    typeof (o as Figure).text === "string"
  );
}

/** A copy of `model` in which equal figures are one object (plain data: arrays and objects). */
export function shareEqualFigures<T>(model: T): T {
  const shared = new Map<string, Figure>();
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== "object") return v;
    if (isFigure(v)) {
      const key = `${v.value}\u0000${v.text}\u0000${v.suppressed}\u0000${v.rounded}`;
      const found = shared.get(key);
      if (found) return found;
      shared.set(key, v);
      return v;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = walk(x);
    return out;
  };
  return walk(model) as T;
}
