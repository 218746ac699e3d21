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
// restores a new one. With TEST_DATABASE_URL each worker copies the migrated template once and
// every file gets that database emptied the same way, with a pool of its own (see below).
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
  /**
   * createTestDatabase(): drops (PostgreSQL) or discards (PGlite) the database. useTestDatabase():
   * closes the file's pool on PostgreSQL (the worker's database is kept and emptied for the next file).
   */
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
  const handle = await openDatabase({ url: testDatabaseUrl(info.serverUrl, name), max: 4 });
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

interface SharedPglite extends ResetPlan {
  dumpFile: string;
  handle: DatabaseHandle;
  client: PGlite;
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

/** What emptying a database back to its migrated state takes (computed once, when it is opened). */
interface ResetPlan {
  /** `truncate … restart identity cascade` over every table the migrations made in public. */
  truncate: string;
  /**
   * Puts back the rows the migrations themselves inserted (e.g. nhs.net in shared_domains): the
   * rows as they were right after migrating, and each identity column's sequence moved past them.
   */
  restore: string[];
  /** The migrated schema (see schemaFingerprint); a reset only keeps the database while it matches. */
  fingerprint: string;
}

type Query = <T>(text: string, params?: unknown[]) => Promise<T[]>;

async function resetPlan(query: Query): Promise<ResetPlan> {
  const tables = await query<{ name: string }>(
    `select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname = 'public' order by 1`,
  );
  // Tables the migrations put rows in (e.g. nhs.net in shared_domains, migration nhs_net_shared)
  // are emptied with the rest and their migrated rows put back, with identity sequences past them.
  const names = tables.map((t) => t.name);
  const restore: string[] = [];
  if (names.length) {
    const filled = await query<{ name: string }>(
      names
        .map((name) => `select '${name.replace(/'/g, "''")}' as name where exists (select 1 from ${name})`)
        .join(" union all "),
    );
    for (const { name } of filled) {
      const rows = await query<{ json: string }>(`select json_agg(t)::text as json from ${name} t`);
      const literal = rows[0]!.json.replace(/'/g, "''");
      restore.push(
        `insert into ${name} overriding system value select * from json_populate_recordset(null::${name}, '${literal}'::json)`,
      );
      const identities = await query<{ column_name: string }>(
        `select column_name from information_schema.columns
          where table_schema = 'public' and format('%I.%I', table_schema, table_name) = $1 and is_identity = 'YES'`,
        [name],
      );
      for (const { column_name } of identities) {
        const column = `"${column_name.replace(/"/g, '""')}"`;
        restore.push(
          `select setval(pg_get_serial_sequence('${name.replace(/'/g, "''")}', '${column_name.replace(/'/g, "''")}'), (select max(${column}) from ${name}))`,
        );
      }
    }
  }
  const [{ fingerprint }] = (await query<{ fingerprint: string }>(FINGERPRINT_SQL)) as [{ fingerprint: string }];
  return {
    truncate: names.length ? `truncate ${names.join(", ")} restart identity cascade` : "",
    restore,
    fingerprint,
  };
}

async function openShared(dumpFile: string): Promise<SharedPglite> {
  const handle = await restorePglite(dumpFile);
  const client = pgliteClient(handle);
  const plan = await resetPlan(
    async <T>(text: string, params?: unknown[]) => (await client.query<T>(text, params)).rows,
  );
  return { dumpFile, handle, client, ...plan };
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
    if (state.restore.length) await state.client.exec(state.restore.join(";\n"));
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

// ---- PostgreSQL: one copy of the template per worker, reset between files ----
//
// Before, every file got its own `CREATE DATABASE … TEMPLATE` and dropped it in afterAll. On
// PostgreSQL 15 every DROP DATABASE forces an immediate checkpoint of the whole server (and each
// copy writes the template's ~10 MB to the WAL): measured, the files' own tests took 220 s of a
// 468 s run, the rest was mostly this per-file setup. Now a worker copies the template once, and
// each later file gets that database emptied back to the migrated state as on PGlite: other
// connections to it (a pool a file forgot to close) are ended, the schema is checked against its
// fingerprint, every public table is emptied (identities restarted; see SharedPostgres.empty) and
// the migrations' rows are put back. Each file opens its own pool, so no session state (settings,
// temporary tables, advisory locks, open transactions) passes from one file to the next. When the
// reset fails or the schema changed, the database is dropped and a new copy made. Global teardown
// drops them all.

interface SharedPostgres extends ResetPlan {
  template: string;
  serverUrl: string;
  name: string;
  /**
   * Empties every public table with DELETE, children before parents, then restarts the sequences
   * the tables own (what `restart identity` does). On PostgreSQL a TRUNCATE of the ~50 tables gives
   * each table and index a new file: measured 1.5-2.9 s per reset, DELETE of the tests' few rows
   * 0.05-0.18 s. Undefined when the foreign keys form a cycle, and the TRUNCATE is used also when
   * a table still has rows after the DELETEs (a trigger wrote into it), and when the file left
   * DELETE_AT_MOST rows or more (`rows` counts them).
   */
  empty?: { deletes: string[]; restarts: string[]; leftovers?: string; rows?: string };
}

/**
 * From this many rows left by a file (counted up to this many per table), the reset truncates
 * instead of deleting: DELETE fires the row triggers (the insight rollups of support_requests) for
 * every row, and measured 2.7-8.7 s after the files with thousands of rows, against 0.1 s for a
 * small file and 1.5-2.9 s for a TRUNCATE on a loaded machine.
 */
const DELETE_AT_MOST = 1000;

/** DELETE statements in an order the foreign keys allow, and the owned sequences' restarts. */
async function emptyStatements(query: Query): Promise<SharedPostgres["empty"]> {
  const tables = (
    await query<{ name: string }>(
      `select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname = 'public' order by 1`,
    )
  ).map((t) => t.name);
  const edges = await query<{ child: string; parent: string }>(
    `select conrelid::regclass::text as child, confrelid::regclass::text as parent from pg_constraint
      where contype = 'f' and conrelid <> confrelid
        and connamespace = 'public'::regnamespace`,
  );
  // regclass::text leaves out "public." (it is on the search path): compare on that form.
  const short = (name: string) => name.replace(/^public\./, "");
  const children = new Map<string, Set<string>>(tables.map((t) => [short(t), new Set()]));
  for (const { child, parent } of edges) children.get(parent)?.add(child);
  const order: string[] = [];
  const left = new Set(children.keys());
  while (left.size) {
    // A table whose referencing tables are all emptied already.
    const next = [...left].find((t) => [...children.get(t)!].every((c) => !left.has(c)));
    if (!next) return undefined; // a cycle of foreign keys
    order.push(next);
    left.delete(next);
  }
  const sequences = await query<{ seq: string; start: string }>(
    `select format('%I.%I', sn.nspname, s.relname) as seq, ps.start_value::text as start
       from pg_class s
       join pg_namespace sn on sn.oid = s.relnamespace
       join pg_depend d on d.classid = 'pg_class'::regclass and d.objid = s.oid
         and d.refclassid = 'pg_class'::regclass and d.deptype in ('a', 'i')
       join pg_class t on t.oid = d.refobjid
       join pg_sequences ps on ps.schemaname = sn.nspname and ps.sequencename = s.relname
      where s.relkind = 'S' and t.relnamespace = 'public'::regnamespace`,
  );
  const qualified = new Map(tables.map((t) => [short(t), t]));
  const deletes = order.map((t) => `delete from ${qualified.get(t)}`);
  return {
    // Twice: a DELETE trigger (the insight rollups of support_requests) may write into a table the
    // first pass had emptied already; the second pass finds no rows to fire it again.
    deletes: [...deletes, ...deletes],
    restarts: sequences.map(({ seq, start }) => `select setval('${seq.replace(/'/g, "''")}', ${Number(start)}, false)`),
    // The rows a file left, each table counted up to DELETE_AT_MOST.
    rows: tables.length
      ? `select ${tables.map((name) => `(select count(*) from (select 1 from ${name} limit ${DELETE_AT_MOST}) t)`).join(" + ")} as n`
      : undefined,
    // The check that they are empty: any table named here still has rows.
    leftovers: tables.length
      ? tables
          .map((name) => `select '${name.replace(/'/g, "''")}' as name where exists (select 1 from ${name})`)
          .join(" union all ")
      : undefined,
  };
}

let sharedPg: SharedPostgres | undefined;

/**
 * A test database's URL. `synchronous_commit=off` for the test's own connections (a startup
 * parameter, so only these sessions): a commit does not wait for its WAL flush. That changes what a
 * server crash could lose, never what a query returns; the server's configuration is untouched.
 */
export function testDatabaseUrl(serverUrl: string, database: string) {
  const u = new URL(withDatabase(serverUrl, database));
  u.searchParams.set("synchronous_commit", "off");
  return u.toString();
}

async function withConnection<T>(url: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    return await work(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function pgQuery(sql: postgres.Sql): Query {
  return async <T>(text: string, params?: unknown[]) =>
    (await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as T[];
}

async function copyTemplate(serverUrl: string, template: string): Promise<SharedPostgres> {
  const name = `${template}_${Math.random().toString(16).slice(2, 10)}`;
  await adminQuery(serverUrl, `create database ${quoteIdent(name)} template ${quoteIdent(template)}`);
  const { plan, empty } = await withConnection(testDatabaseUrl(serverUrl, name), async (sql) => ({
    plan: await resetPlan(pgQuery(sql)),
    empty: await emptyStatements(pgQuery(sql)),
  }));
  return { template, serverUrl, name, ...plan, empty };
}

/** Empties the worker's PostgreSQL database; false when it cannot be trusted (then it is dropped). */
async function resetPostgres(state: SharedPostgres): Promise<boolean> {
  try {
    return await withConnection(testDatabaseUrl(state.serverUrl, state.name), async (sql) => {
      // A connection a file left open is ended, as `drop database … with (force)` did; a lock it
      // still holds while it goes makes the DELETEs wait, never hang.
      await sql`select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`;
      await sql`set lock_timeout = '10s'`;
      const [row] = await sql.unsafe<{ fingerprint: string }[]>(FINGERPRINT_SQL);
      if (row?.fingerprint !== state.fingerprint) return false;
      await sql.begin(async (tx) => {
        const empty = state.empty;
        const many = empty?.rows && Number((await tx.unsafe<{ n: string }[]>(empty.rows))[0]!.n) >= DELETE_AT_MOST;
        if (empty && !many) for (const statement of empty.deletes) await tx.unsafe(statement);
        const emptied = empty && !many && (!empty.leftovers || (await tx.unsafe(empty.leftovers)).length === 0);
        if (emptied) for (const statement of empty.restarts) await tx.unsafe(statement);
        else if (state.truncate) await tx.unsafe(state.truncate);
        for (const statement of state.restore) await tx.unsafe(statement);
      });
      return true;
    });
  } catch {
    return false;
  }
}

/**
 * A migrated PostgreSQL database with no rows, for one test file, with a new pool: this worker's
 * copy of the template, emptied, or a new copy when there is none yet or the reset failed.
 */
export function sharedPostgresDatabase(info: { serverUrl: string; template: string }): Promise<DatabaseHandle> {
  const next = sharedQueue.then(() => takeSharedPostgres(info));
  sharedQueue = next.catch(() => undefined);
  return next;
}

async function takeSharedPostgres(info: { serverUrl: string; template: string }): Promise<DatabaseHandle> {
  if (sharedPg && (sharedPg.template !== info.template || !(await resetPostgres(sharedPg)))) {
    const old = sharedPg;
    sharedPg = undefined;
    await adminQuery(old.serverUrl, `drop database if exists ${quoteIdent(old.name)} with (force)`).catch(() => {});
  }
  sharedPg ??= await copyTemplate(info.serverUrl, info.template);
  const handle = await openDatabase({ url: testDatabaseUrl(sharedPg.serverUrl, sharedPg.name), max: 4 });
  await handle.ping();
  return handle;
}

/** The test file's database: the worker's PGlite or PostgreSQL database, emptied (see above). */
async function fileDatabase(): Promise<TestDatabase> {
  const info = inject("testDatabase");
  if (!info) throw new Error("No test database was prepared: run through vitest.config.ts (its globalSetup).");
  const started = performance.now();
  if (info.kind === "postgres") {
    const handle = await sharedPostgresDatabase(info);
    // The pool is the file's; the database is kept for the next file in this worker.
    return { handle, setupMs: performance.now() - started, dispose: () => handle.close() };
  }
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
