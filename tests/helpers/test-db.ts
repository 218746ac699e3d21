// One fresh, migrated database per test FILE, set as the process's current database.
//
//   import { useTestDatabase } from "../helpers/test-db";
//   const database = useTestDatabase();          // at the top level of the file
//   it("…", async () => { await database().db.select()… });
//
// On PGlite (default) each worker process restores the dump made in tests/helpers/global-setup.ts
// ONCE, and every file it runs gets that instance emptied back to the migrated state (every table
// truncated, sequences restarted, session state discarded): the integration project runs with
// `isolate: false`, so this module and its instance outlive a file. A restore costs ~2.5-4 s of
// CPU, the reset ~0.2 s (ADR 023). If a file left anything a reset cannot undo (a schema change,
// an open transaction, a closed or broken instance), the instance is thrown away and the next file
// restores a new one. With TEST_DATABASE_URL each file gets its own PostgreSQL database created from
// the migrated template, dropped again in afterAll.
import { appendFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import postgres from "postgres";
import { afterAll, beforeAll, inject } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
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

async function restorePglite(dumpFile: string): Promise<DatabaseHandle> {
  if (dumpCache?.file !== dumpFile) dumpCache = { file: dumpFile, bytes: await readFile(dumpFile) };
  const handle = await openDatabase({ loadDataDir: new Blob([new Uint8Array(dumpCache.bytes)]) });
  await handle.ping();
  return handle;
}

/** Opens a fresh migrated database (without making it current). Prefer useTestDatabase(). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const info = inject("testDatabase");
  if (!info) throw new Error("No test database was prepared: run through vitest.config.ts (its globalSetup).");
  const started = performance.now();
  if (info.kind === "pglite") {
    const handle = await restorePglite(info.dumpFile);
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

// ---- PGlite: one restored instance per worker, reset between files ----

interface SharedPglite {
  dumpFile: string;
  handle: DatabaseHandle;
  client: PGlite;
  /** `truncate … restart identity cascade` over every table the migrations made in public. */
  truncate: string;
  /**
   * Puts back the rows the migrations themselves inserted (e.g. nhs.net in shared_domains): the
   * rows as they were right after migrating, and each identity column's sequence moved past them.
   */
  restore: string;
  /** The migrated schema (see schemaFingerprint); a reset only keeps the instance while it matches. */
  fingerprint: string;
}

let shared: SharedPglite | undefined;

function pgliteClient(handle: DatabaseHandle) {
  return (handle.db as unknown as { $client: PGlite }).$client;
}

// Everything a test could change that emptying the tables would not put back: relations and their
// columns, constraints, indexes, functions, triggers, types, sequences' definitions, schemas, and the
// applied migrations. Rows of the public tables are left out (the reset empties them).
const FINGERPRINT_SQL = `
  select md5(string_agg(item, ',' order by item)) as fingerprint from (
    select 'rel:' || n.nspname || '.' || c.relname || ':' || c.relkind::text || ':' || c.relnatts as item
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and n.nspname not like 'pg_temp%'
        and n.nspname not like 'pg_toast_temp%'
    union all
    select 'col:' || a.attrelid::regclass::text || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod)
        || ':' || a.attnotnull || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
      where n.nspname in ('public', 'drizzle') and a.attnum > 0 and not a.attisdropped
    union all
    select 'con:' || conname || ':' || pg_get_constraintdef(oid) from pg_constraint
      where connamespace in (select oid from pg_namespace where nspname in ('public', 'drizzle'))
    union all
    select 'fn:' || p.oid::regprocedure::text || ':' || md5(p.prosrc) from pg_proc p
      where p.pronamespace in (select oid from pg_namespace where nspname in ('public', 'drizzle'))
    union all
    select 'trg:' || tgrelid::regclass::text || '.' || tgname || ':' || tgenabled::text from pg_trigger where not tgisinternal
    union all
    select 'type:' || t.typname from pg_type t
      where t.typnamespace in (select oid from pg_namespace where nspname in ('public', 'drizzle'))
    union all
    select 'nsp:' || nspname from pg_namespace where nspname not like 'pg_temp%' and nspname not like 'pg_toast_temp%'
    union all
    select 'mig:' || id || ':' || hash from drizzle.__drizzle_migrations
  ) items`;

async function schemaFingerprint(client: PGlite) {
  const result = await client.query<{ fingerprint: string }>(FINGERPRINT_SQL);
  return result.rows[0]!.fingerprint;
}

async function openShared(dumpFile: string): Promise<SharedPglite> {
  const handle = await restorePglite(dumpFile);
  const client = pgliteClient(handle);
  const tables = await client.query<{ name: string }>(
    `select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname = 'public' order by 1`,
  );
  // Tables the migrations put rows in (e.g. nhs.net in shared_domains, migration nhs_net_shared)
  // are emptied with the rest and their migrated rows put back, with identity sequences past them.
  const names = tables.rows.map((t) => t.name);
  const restores: string[] = [];
  if (names.length) {
    const filled = await client.query<{ name: string }>(
      names
        .map((name) => `select '${name.replace(/'/g, "''")}' as name where exists (select 1 from ${name})`)
        .join(" union all "),
    );
    for (const { name } of filled.rows) {
      const rows = await client.query<{ json: string }>(`select json_agg(t)::text as json from ${name} t`);
      const literal = rows.rows[0]!.json.replace(/'/g, "''");
      restores.push(
        `insert into ${name} overriding system value select * from json_populate_recordset(null::${name}, '${literal}'::json)`,
      );
      const identities = await client.query<{ column_name: string }>(
        `select column_name from information_schema.columns
          where table_schema = 'public' and format('%I.%I', table_schema, table_name) = $1 and is_identity = 'YES'`,
        [name],
      );
      for (const { column_name } of identities.rows) {
        const column = `"${column_name.replace(/"/g, '""')}"`;
        restores.push(
          `select setval(pg_get_serial_sequence('${name.replace(/'/g, "''")}', '${column_name.replace(/'/g, "''")}'), (select max(${column}) from ${name}))`,
        );
      }
    }
  }
  return {
    dumpFile,
    handle,
    client,
    truncate: tables.rows.length
      ? `truncate ${tables.rows.map((t) => t.name).join(", ")} restart identity cascade`
      : "",
    restore: restores.join(";\n"),
    fingerprint: await schemaFingerprint(client),
  };
}

/**
 * Empties the shared instance back to the migrated state, or returns false when it cannot be
 * trusted any more (closed, inside a transaction, schema changed, any error): then it is discarded.
 */
async function resetShared(state: SharedPglite): Promise<boolean> {
  try {
    if (state.client.closed || state.client.isInTransaction()) return false;
    // Session state a file may have left: settings, advisory locks, temporary tables, prepared plans.
    await state.client.exec("discard all");
    if ((await schemaFingerprint(state.client)) !== state.fingerprint) return false;
    if (state.truncate) await state.client.exec(state.truncate);
    if (state.restore) await state.client.exec(state.restore);
    return true;
  } catch {
    return false;
  }
}

/**
 * A migrated PGlite with no rows, for one test file: this worker's shared instance, emptied, or a
 * newly restored one when there is none yet or the last file left it unusable.
 */
export function sharedPgliteDatabase(dumpFile: string): Promise<DatabaseHandle> {
  // One at a time: a timed-out hook or test may still be in here when the next file starts.
  const next = sharedQueue.then(() => takeShared(dumpFile));
  sharedQueue = next.catch(() => undefined);
  return next;
}

let sharedQueue: Promise<unknown> = Promise.resolve();

async function takeShared(dumpFile: string): Promise<DatabaseHandle> {
  if (shared && (shared.dumpFile !== dumpFile || !(await resetShared(shared)))) {
    const old = shared;
    shared = undefined;
    if (!old.client.closed) await old.handle.close().catch(() => {});
  }
  shared ??= await openShared(dumpFile);
  return shared.handle;
}

/** The test file's database: PGlite (shared instance, reset) or a PostgreSQL copy of the template. */
async function fileDatabase(): Promise<TestDatabase> {
  const info = inject("testDatabase");
  if (!info) throw new Error("No test database was prepared: run through vitest.config.ts (its globalSetup).");
  if (info.kind !== "pglite") return createTestDatabase();
  const started = performance.now();
  const handle = await sharedPgliteDatabase(info.dumpFile);
  // Kept for the next file in this worker; emptied when that file starts.
  return { handle, setupMs: performance.now() - started, dispose: async () => {} };
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
    testDb = await fileDatabase();
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
