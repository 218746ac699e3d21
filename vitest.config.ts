// Unit and integration tests (vitest). Every test FILE gets its own freshly migrated database
// (tests/helpers/test-db.ts): an in-memory PGlite restored from a dump made once in globalSetup,
// or, when TEST_DATABASE_URL is set, a PostgreSQL database copied from a migrated template.
// Browser tests have their own config: vitest.e2e.config.ts.
import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/helpers/global-setup.ts"],
    setupFiles: ["tests/helpers/setup.ts"],
    // argon2 hashing and PGlite restores are CPU-bound: generous, but a hung test still ends.
    testTimeout: 20_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    // Forked workers: PGlite's WASM heap is per process and freed when the fork ends.
    pool: "forks",
    // A run that finds no test files is a failure, never a silent pass.
    passWithNoTests: false,
    restoreMocks: true,
  },
});
