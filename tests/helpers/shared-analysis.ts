// A pure-CPU analysis computed once per run of `npm test`, not once per database (ADR 036,
// addendum 2026-11-30). scripts/test.ts runs the integration project on PGlite and on PostgreSQL
// at the same time; the attack suites (tests/integration/insights-attack.test.ts and
// retention-insights-attack.test.ts) fetch their pages from each database (that stays on both),
// then analyse what they fetched for minutes. When both runs fetched the same pages, the same truth
// and the same options (one sha256 key over all of it), the analysis is the same: the first run to
// claim the key computes it and writes the verdict; the other waits for it and asserts on it.
//
//   const key = analysisKey({ observations, truth: truthDigest(truth), options });
//   const { value, computedHere } = await sharedAnalysis(key, () => verdictOf(attack(...)));
//
// In `<STAYWELL_TEST_SHARED_DIR>`: `<key>.claim` (created with `wx`: one claimant; it holds the
// claimant's pid and host) and `<key>.json` (written to a temporary name, then renamed: a reader
// never sees half a file). The verdict is `{ ok: true, value }`, or `{ ok: false, error }` when the
// computation threw: then both runs fail with it. The waiter polls; if the claimant's process is
// gone, or the wait times out, it computes itself. Different keys (the databases published
// different figures) compute separately. Without the variable (a single `npx vitest run`) it
// simply computes. Either way the value goes through JSON, so both runs assert on the same data.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

export const SHARED_DIR_VARIABLE = "STAYWELL_TEST_SHARED_DIR";

/** JSON with object keys sorted, so the same data always gives the same text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** sha256 (hex) of everything an analysis reads. */
export function analysisKey(inputs: unknown): string {
  return createHash("sha256").update(stableJson(inputs)).digest("hex");
}

/** A digest of rows whose order does not matter (e.g. the rows a truth function counts). */
export function rowsDigest(rows: readonly unknown[]): string {
  const lines = rows.map((r) => stableJson(r)).sort();
  return createHash("sha256").update(lines.join("\n")).digest("hex");
}

export interface SharedResult<T> {
  value: T;
  /** True when this process computed it; false when it came from another run's file. */
  computedHere: boolean;
  key: string;
  /** For the summary line: "computed here", "reused from …", or why this run computed it itself. */
  how: string;
}

export interface SharedOptions {
  /** Defaults to process.env.STAYWELL_TEST_SHARED_DIR; unset: compute, share nothing. */
  dir?: string;
  /** How long to wait for another run's verdict before computing it here (default 10 minutes). */
  timeoutMs?: number;
  pollMs?: number;
}

type Verdict<T> = { ok: true; value: T } | { ok: false; error: { message: string; stack?: string } };

interface Claim {
  pid: number;
  host: string;
}

function alive(claim: Claim): boolean {
  if (claim.host !== hostname()) return true; // cannot tell: wait for the timeout
  try {
    process.kill(claim.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch (err) {
    // Not there yet, or a claim file caught between its creation and its write.
    if ((err as NodeJS.ErrnoException).code === "ENOENT" || err instanceof SyntaxError) return undefined;
    throw err;
  }
}

function writeAtomically(file: string, text: string) {
  const temporary = `${file}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

function settle<T>(verdict: Verdict<T>, key: string, from: string): T {
  if (verdict.ok) return verdict.value;
  const err = new Error(`${verdict.error.message} (analysis ${key.slice(0, 12)}, ${from})`);
  if (verdict.error.stack) err.stack = `${err.message}\n--- the analysis threw:\n${verdict.error.stack}`;
  throw err;
}

/** Runs `compute` and turns its value (or its error) into the verdict both runs read. */
async function verdictOf<T>(compute: () => T | Promise<T>): Promise<Verdict<T>> {
  try {
    // Through JSON even when kept here: both runs assert on exactly the same data.
    return { ok: true, value: JSON.parse(JSON.stringify(await compute())) as T };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    return { ok: false, error: { message: e.message, stack: e.stack } };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function sharedAnalysis<T>(
  key: string,
  compute: () => T | Promise<T>,
  options: SharedOptions = {},
): Promise<SharedResult<T>> {
  const dir = options.dir ?? process.env[SHARED_DIR_VARIABLE];
  const short = key.slice(0, 12);
  if (!dir) {
    const verdict = await verdictOf(compute);
    return {
      value: settle(verdict, key, "computed here"),
      computedHere: true,
      key,
      how: `computed here (key ${short}, not shared)`,
    };
  }
  const claimFile = path.join(dir, `${key}.claim`);
  const resultFile = path.join(dir, `${key}.json`);
  const publish = async (how: string): Promise<SharedResult<T>> => {
    const verdict = await verdictOf(compute);
    writeAtomically(resultFile, JSON.stringify(verdict));
    return { value: settle(verdict, key, how), computedHere: true, key, how };
  };
  try {
    writeFileSync(claimFile, JSON.stringify({ pid: process.pid, host: hostname() } satisfies Claim), { flag: "wx" });
    return await publish(`computed here (key ${short}; any other run with the same key reuses it)`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  // Claimed by another run: wait for its verdict. performance.now(), not Date: the attack suites fake Date.
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const pollMs = options.pollMs ?? 500;
  const started = performance.now();
  for (;;) {
    const verdict = readJson<Verdict<T>>(resultFile);
    const waited = ((performance.now() - started) / 1000).toFixed(1);
    if (verdict) {
      const how = `reused from the other database's run with the same pages (key ${short}, waited ${waited} s)`;
      return { value: settle(verdict, key, how), computedHere: false, key, how };
    }
    const claim = readJson<Claim>(claimFile);
    if (claim && !alive(claim)) {
      return publish(
        `computed here (key ${short}): the run that claimed it (pid ${claim.pid}) ended without a verdict`,
      );
    }
    if (performance.now() - started >= timeoutMs) {
      return publish(`computed here (key ${short}): no verdict from the run that claimed it after ${waited} s`);
    }
    await sleep(pollMs);
  }
}
