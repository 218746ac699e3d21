// vitest setupFiles: runs in every test file before it is imported. Gives the app a predictable
// test environment; it never points at the developer's .data directory or DATABASE_URL.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
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
