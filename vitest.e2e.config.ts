// Browser tests: playwright-core drives Debian's Chromium against the BUILT server, which
// tests/e2e/support/global-setup.ts starts for the whole run: one server per worker, each with its
// own fresh DATA_DIR and embedded database (the demo seeded once and copied), or one server on
// E2E_DATABASE_URL when the runner passes a PostgreSQL database (one worker then). A worker's files
// run one at a time against its own server (support/browser.ts e2e() picks it by VITEST_POOL_ID),
// so files on different workers never share data, mail or rate limits.
// E2E_WORKERS sets the number of workers (default 1 here; `npm test` runs the embedded suite on 2:
// docs/decisions/023-ci-budget.md, 032-ci-in-parallel.md).
import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

const workers = Math.max(1, Number(process.env.E2E_WORKERS) || 1);

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/e2e/support/global-setup.ts"],
    // Resets the support modules' per-file state when a file starts, and closes the file's contexts
    // when it ends (support/setup.ts).
    setupFiles: ["tests/e2e/support/setup.ts"],
    pool: "forks",
    // One process per worker for all its files, and so one Chromium per worker (support/browser.ts
    // workerBrowser()), instead of a fresh process and a Chromium launch per file: ~1.4 core-seconds a
    // file (ADR 023, addendum of 1 December 2026, h-proc). Each fixture still gets a fresh browser
    // context, and setup.ts resets the support modules' per-file state.
    isolate: false,
    maxWorkers: workers,
    fileParallelism: workers > 1,
    sequence: { concurrent: false },
    // Generous (a hung test still ends): on the ~3x slower machine of 30 November the longest test
    // (narrow-screens' administration walk) took 99 s of the 120 s this was.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    teardownTimeout: 30_000,
    passWithNoTests: false,
  },
});
