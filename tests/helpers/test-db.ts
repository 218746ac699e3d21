// One fresh, migrated database per test FILE, set as the process's current database.
//
//   import { useTestDatabase } from "../helpers/test-db";
//   const database = useTestDatabase();          // at the top level of the file
//   it("…", async () => { await database().db.select()… });
//
// On PGlite (default) the file gets an in-memory instance restored from the dump made in
// tests/helpers/global-setup.ts; with TEST_DATABASE_URL it gets its own PostgreSQL database
// created from the migrated template, dropped again in afterAll.
import { appendFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import { openDatabase, type Database, type DatabaseHandle } from "@db/client";
import { setDatabase } from "@db/current";
import { quoteIdent, withDatabase } from "./global-setup";

export interface TestDatabase {
  handle: DatabaseHandle;
  /** Drops (PostgreSQL) or discards (PGlite) the database. */
  dispose(): Promise<void>;
  /** Milliseconds it took to get a migrated, connected database. */
  setupMs: number;
}

let dumpCache: { file: string; bytes: Buffer } | undefined;

/** Opens a fresh migrated database (without making it current). Prefer useTestDatabase(). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const info = inject("testDatabase");
  if (!info) throw new Error("No test database was prepared: run through vitest.config.ts (its globalSetup).");
  const started = performance.now();
  if (info.kind === "pglite") {
    if (dumpCache?.file !== info.dumpFile) dumpCache = { file: info.dumpFile, bytes: await readFile(info.dumpFile) };
    const handle = await openDatabase({ loadDataDir: new Blob([new Uint8Array(dumpCache.bytes)]) });
    await handle.ping();
    return { handle, setupMs: performance.now() - started, dispose: () => handle.close() };
  }
  const name = `${info.template}_${Math.random().toString(16).slice(2, 10)}`;
  await adminQuery(info.serverUrl, `create database ${quoteIdent(name)} template ${quoteIdent(info.template)}`);
  const handle = await openDatabase({ url: withDatabase(info.serverUrl, name), max: 4 });
  await handle.ping();
  return {
    handle,
    setupMs: performance.now() - started,
    async dispose() {
      await handle.close();
      await adminQuery(info.serverUrl, `drop database if exists ${quoteIdent(name)} with (force)`);
    },
  };
}

async function adminQuery(serverUrl: string, statement: string) {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/**
 * Registers beforeAll/afterAll hooks that give this test file its own migrated database and make
 * it the current one (getDb() in app code). Returns an accessor for the handle.
 */
export function useTestDatabase(): () => DatabaseHandle {
  let testDb: TestDatabase | undefined;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    setDatabase(testDb.handle);
    recordTiming(testDb);
  });
  afterAll(async () => {
    setDatabase(undefined);
    await testDb?.dispose();
    testDb = undefined;
  });
  return () => {
    if (!testDb)
      throw new Error("useTestDatabase(): the database is opened in beforeAll; use it inside tests and hooks.");
    return testDb.handle;
  };
}

/** Shorthand for useTestDatabase() when only the drizzle handle is needed. */
export function useTestDb(): () => Database {
  const handle = useTestDatabase();
  return () => handle().db;
}

// The test runner (scripts/test.ts) sets STAYWELL_TEST_TIMINGS to a file and reports the figures.
function recordTiming(testDb: TestDatabase) {
  const file = process.env.STAYWELL_TEST_TIMINGS;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify({ kind: testDb.handle.kind, ms: Math.round(testDb.setupMs) })}\n`);
}
