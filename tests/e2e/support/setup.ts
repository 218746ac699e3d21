// vitest setupFiles for the browser tests: runs in every test file (vitest re-runs a setup file for
// each file, also when a worker's files share one process: isolate: false, vitest.e2e.config.ts).
// At the file's start it resets what the support modules keep per file (statistics, kept sessions
// read afresh, axe's copy page, the list of blocked external requests); its afterAll belongs to the
// file's root suite, so it runs after every describe block's own afterAll: every context the file
// opened is closed (the worker's Chromium stays for its next file: workerBrowser() in browser.ts), and
// the file's statistics (axe runs, sign-ins, page loads: stats.ts) are printed.
import path from "node:path";
import { afterAll, beforeEach, expect } from "vitest";
import { resetAxeForFile } from "./axe";
import { endFileInBrowser, externalRequests, startFileInBrowser } from "./browser";
import { resetSessionsForFile } from "./session";
import { reportStats, resetStats } from "./stats";

resetStats();
startFileInBrowser();
resetSessionsForFile();
resetAxeForFile();
externalRequests.clear();

let file = "(unknown file)";
beforeEach(() => {
  const filepath = expect.getState().testPath;
  if (filepath) file = path.relative(process.cwd(), filepath);
});

afterAll(async () => {
  const lost = await endFileInBrowser();
  resetAxeForFile();
  reportStats(file);
  if (lost) throw new Error(`${lost} during ${file}: its tests may not have run as written.`);
});
