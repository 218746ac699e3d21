// vitest setupFiles: runs in every test file before it is imported. Gives the app a predictable
// test environment; it never points at the developer's .data directory or DATABASE_URL.
import { appendFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { resetEnvCache } from "~/.server/env";

process.env.NODE_ENV = "test";
process.env.APP_URL = process.env.TEST_APP_URL ?? "http://localhost:3000";
process.env.SEED_DEMO_DATA = "false";
delete process.env.DATABASE_URL;
delete process.env.SMTP_URL;
// Anything that writes under DATA_DIR (the file mail transport) writes to a throw-away folder.
process.env.DATA_DIR = mkdtempSync(path.join(tmpdir(), "staywell-test-data-"));
// Workers run several files (isolate: false): the app's parsed environment must not outlive a file.
resetEnvCache();

// Where a run's CPU goes, per file (docs/performance/ci.md): with STAYWELL_FILE_CPU=<file>, each test
// file appends one JSON line {file, cpu, wall} (CPU seconds of this worker process, user + system,
// from the file's first hook to its last). The integration database is in-process PGlite, so its
// queries are counted; a PostgreSQL server's own CPU is not. Unset (the default): nothing is written.
let cpuAtStart = process.cpuUsage();
let wallAtStart = performance.now();
beforeAll(() => {
  cpuAtStart = process.cpuUsage();
  wallAtStart = performance.now();
});
afterAll(() => {
  const out = process.env.STAYWELL_FILE_CPU;
  if (!out) return;
  const used = process.cpuUsage(cpuAtStart);
  const file = path.relative(process.cwd(), expect.getState().testPath ?? "unknown");
  const cpu = Math.round((used.user + used.system) / 1e4) / 100;
  const wall = Math.round((performance.now() - wallAtStart) / 10) / 100;
  appendFileSync(out, `${JSON.stringify({ file, cpu, wall })}\n`);
});
