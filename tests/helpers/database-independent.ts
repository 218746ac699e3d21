// Integration files that never use the test database (TEST_DATABASE_URL or the PGlite test
// instance): each opens an embedded PGlite folder of its own, or starts server.ts against a
// database that does not exist. On the PostgreSQL run they would repeat themselves exactly, so
// `npm test` (scripts/test.ts) runs them once, in the PGlite run (ADR 032, addendum 2026-11-30).
// tests/unit/database-independent.test.ts checks that each still uses no test database.
export const DATABASE_INDEPENDENT_FILES = [
  "tests/integration/embedded-socket.test.ts",
  "tests/integration/two-step-production-start.test.ts",
] as const;
