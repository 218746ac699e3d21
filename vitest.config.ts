// Unit and integration tests (vitest), as two projects of one run:
//  - unit (tests/unit): pure functions, no database, so no globalSetup — a unit run starts at once.
//  - integration (tests/integration): every test FILE gets its own freshly migrated database
//    (tests/helpers/test-db.ts): an in-memory PGlite restored from a dump made once in globalSetup,
//    or, when TEST_DATABASE_URL is set, a PostgreSQL database copied from a migrated template.
// `npx vitest run tests/integration/x.test.ts` still picks the right project by path;
// `npx vitest run --project unit` runs the unit tests alone.
// Browser tests have their own config: vitest.e2e.config.ts.
import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    environment: "node",
    setupFiles: ["tests/helpers/setup.ts"],
    // argon2 hashing and PGlite restores are CPU-bound: generous, but a hung test still ends. 60 s,
    // not 20: on 30 November the same 2-core machine ran ~3x slower than the day before (a bare
    // 1e9-step loop: 5.5 s), and a 336-query visibility test took 20-26 s. Speed is measured with
    // `npm run bench`, never with timeouts.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    // Forked workers: PGlite's WASM heap is per process and freed when the fork ends.
    pool: "forks",
    // A run that finds no test files is a failure, never a silent pass.
    passWithNoTests: false,
    restoreMocks: true,
    projects: [
      {
        extends: true,
        // Unit files hold no database and no process-wide state worth a fresh fork each: they share
        // their workers (measured on the 25 files: 28 s -> 11 s CPU, 94 s -> 41 s wall on a loaded machine).
        test: { name: "unit", include: ["tests/unit/**/*.test.ts"], isolate: false },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/helpers/global-setup.ts"],
          // Run after the root setupFiles (vitest merges the lists): argon2id at a test-only low cost.
          setupFiles: ["tests/helpers/fast-hash.ts"],
          // Files share their workers: each worker restores the PGlite dump once and empties it
          // between files (tests/helpers/test-db.ts) instead of restoring it per file, and imports
          // the app's modules once. No integration file mocks modules or changes process.env; the
          // env cache is reset per file (tests/helpers/setup.ts). ADR 023.
          isolate: false,
          // A worker's first file restores the dump (and a file that broke the shared instance makes
          // the next one restore it again): seconds when idle, over a minute on a loaded machine.
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
