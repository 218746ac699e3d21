// Browser tests: playwright-core drives Debian's Chromium against the BUILT server, which
// tests/e2e/support/global-setup.ts starts once for the whole run (fresh DATA_DIR, and
// DATABASE_URL when the runner passes E2E_DATABASE_URL). Files run one at a time: they share
// the one server and its mail folder.
import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/e2e/support/global-setup.ts"],
    // Closes the one Chromium each file shares between its describe blocks (support/browser.ts).
    setupFiles: ["tests/e2e/support/setup.ts"],
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    passWithNoTests: false,
  },
});
