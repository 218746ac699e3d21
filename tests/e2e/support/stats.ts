// What a browser-test file spent its time on: axe runs (and the pages they checked or skipped),
// sign-ins (POST /login reaching the server), document loads. setup.ts prints one line per file,
// and appends it to E2E_STATS_FILE when set (scripts/test.ts sums them for the run).
import { appendFileSync } from "node:fs";

export interface FileStats {
  axeRuns: number;
  axeMs: number;
  axeSkipped: number;
  signIns: number;
  signInsReused: number;
  documents: number;
  launchMs: number;
  checked: string[];
  skipped: string[];
}

/** A file's statistics before anything happened in it. */
function emptyStats(): FileStats {
  return {
    axeRuns: 0,
    axeMs: 0,
    axeSkipped: 0,
    signIns: 0,
    signInsReused: 0,
    documents: 0,
    launchMs: 0,
    checked: [],
    skipped: [],
  };
}

export const stats: FileStats = emptyStats();

// A worker runs its files in one process (isolate: false, vitest.e2e.config.ts), so this module is
// loaded once per worker: setup.ts calls resetStats() when each file starts.
let fileStartedAt = Date.now();

/** A new file: its statistics start from zero. */
export function resetStats() {
  Object.assign(stats, emptyStats());
  fileStartedAt = Date.now();
}

export function reportStats(file: string) {
  const line = {
    file,
    axeRuns: stats.axeRuns,
    axeSeconds: Math.round(stats.axeMs / 100) / 10,
    axeSkipped: stats.axeSkipped,
    signIns: stats.signIns,
    signInsReused: stats.signInsReused,
    documents: stats.documents,
    launchSeconds: Math.round(stats.launchMs / 100) / 10,
    /** Which worker (and so which server) ran the file, and when it started and ended. */
    worker: Number(process.env.VITEST_POOL_ID) || 1,
    startedAt: new Date(fileStartedAt).toISOString(),
    seconds: Math.round((Date.now() - fileStartedAt) / 100) / 10,
  };
  console.log(
    `[e2e] ${file}: axe ${line.axeRuns} run(s) in ${line.axeSeconds} s, ${line.axeSkipped} skipped (page already checked); ` +
      `${line.signIns} sign-in(s), ${line.signInsReused} reused; ${line.documents} document load(s); Chromium launch ${line.launchSeconds} s; ` +
      `worker ${line.worker}, ${line.seconds} s from ${line.startedAt.slice(11, 19)}`,
  );
  if (process.env.E2E_AXE_LOG === "1") {
    for (const p of stats.checked) console.log(`[e2e]   axe checked ${p}`);
    for (const p of stats.skipped) console.log(`[e2e]   axe skipped ${p}`);
  }
  const out = process.env.E2E_STATS_FILE;
  if (out) appendFileSync(out, `${JSON.stringify({ ...line, checked: stats.checked, skipped: stats.skipped })}\n`);
}
