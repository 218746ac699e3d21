// vitest setupFiles for the browser tests: runs in every test file. Its afterAll belongs to the
// file's root suite, so it runs after every describe block's own afterAll: the file's shared
// Chromium (fileBrowser() in browser.ts) is closed once, when the file is done, and the file's
// statistics (axe runs, sign-ins, page loads: stats.ts) are printed.
import path from "node:path";
import { afterAll, beforeEach, expect } from "vitest";
import { closeFileBrowser } from "./browser";
import { reportStats } from "./stats";

let file = "(unknown file)";
beforeEach(() => {
  const filepath = expect.getState().testPath;
  if (filepath) file = path.relative(process.cwd(), filepath);
});

afterAll(async () => {
  await closeFileBrowser();
  reportStats(file);
});
