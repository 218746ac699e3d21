// Browser tests: playwright-core drives Debian's Chromium against the BUILT server, which
// tests/e2e/support/global-setup.ts starts once for the whole run (fresh DATA_DIR, and
// DATABASE_URL when the runner passes E2E_DATABASE_URL). Files run one at a time by default: they
// share the one server, its demo accounts' data (queues, offers) and its mail folder.
// E2E_WORKERS=2 runs two files at once (mail lookups are by recipient and a subject or address
// unique to the run; axe's page-state claims are atomic files): not the default, as it was not
// measured to pay on the 2-core CI machine (docs/decisions/023-ci-budget.md).
import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

const workers = Math.max(1, Number(process.env.E2E_WORKERS) || 1);

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/e2e/support/global-setup.ts"],
    // Closes the one Chromium each file shares between its describe blocks (support/browser.ts).
    setupFiles: ["tests/e2e/support/setup.ts"],
    pool: "forks",
    maxWorkers: workers,
    fileParallelism: workers > 1,
    sequence: { concurrent: false },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    passWithNoTests: false,
  },
});
