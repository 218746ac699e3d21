// Opens the database: PostgreSQL through postgres.js when a URL is given, otherwise the embedded
// PGlite. On disk (the app's default, guarded by an exclusive lock) PGlite runs in a child process
// behind @electric-sql/pglite-socket and is driven through postgres.js as well, so its queries do
// not block the server's event loop (docs/decisions/022-pglite-off-the-event-loop.md); in memory
// (the tests' per-file databases) it runs in this process. All are driven through one drizzle
// type, so the rest of the code never knows which it has.
import { fork, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { UNPREPARED_MARK } from "./query";
import * as schema from "./schema";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Database = PgDatabase<any, typeof schema>;
export type DatabaseKind = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseKind;
  /** Where the data lives, without credentials: for logs and /healthz. */
  location: string;
  /**
   * Applies the migrations in drizzle/. Safe to call from several instances at once: on PostgreSQL
   * it runs under a session-level advisory lock (STARTUP_LOCK_KEY), so the second caller waits and
   * then finds nothing left to do (docs/decisions/015-production-migrations.md).
   */
  migrate(): Promise<void>;
  /**
   * Runs `work` while holding the same start-up lock as migrate() (PostgreSQL: the advisory lock on
   * a connection of its own, released afterwards even if `work` throws; PGlite: one at a time in
   * this process, the only one that can open the folder). For start-up steps such as the demo seed.
   */
  runExclusive<T>(work: () => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /** On-disk PGlite: the process id of the child that runs it (for logs and tests). */
  processId?: number;
}

export const migrationsFolder = fileURLToPath(new URL("../drizzle", import.meta.url));
/** The child process that serves an on-disk PGlite over a socket (plain JS: no loader needed). */
const embeddedServerPath = fileURLToPath(new URL("./embedded-server.mjs", import.meta.url));

export class DatabaseLockedError extends Error {
  constructor(dataDir: string) {
    super(
      `The embedded database at ${dataDir} is already in use by another StayWell process ` +
        `(a running server, seed or test). PGlite allows one process at a time: stop the other ` +
        `process first, or set DATABASE_URL to use PostgreSQL.`,
    );
    this.name = "DatabaseLockedError";
  }
}

/**
 * The key of the PostgreSQL advisory lock taken around migrations and the start-up seed: one fixed
 * number for every StayWell instance on the database ("StayWell" in ASCII, as a bigint).
 */
export const STARTUP_LOCK_KEY = "6013538576231656556";

/** A promise chain: `run` calls are made one at a time, in order (PGlite's start-up lock). */
function serialiser() {
  let tail: Promise<unknown> = Promise.resolve();
  return function run<T>(work: () => Promise<T>): Promise<T> {
    const result = tail.then(work, work);
    tail = result.catch(() => undefined);
    return result;
  };
}

export interface OpenOptions {
  /** postgres://… ; when absent the embedded database is used. */
  url?: string;
  /** Directory for the embedded database; absent = in memory. */
  dataDir?: string;
  /** A dump from PGlite.dumpDataDir() to start an in-memory database from (fast test setup). */
  loadDataDir?: Blob | File;
  /** Pool size for PostgreSQL. */
  max?: number;
  /**
   * PostgreSQL only: send drizzle's queries as named prepared statements (default true; the
   * embedded database always does). false for a transaction-pooling PgBouncer older than 1.21,
   * which cannot keep named statements (DATABASE_PREPARED_STATEMENTS=false, db/open-from-env.ts).
   */
  preparedStatements?: boolean;
  /**
   * On-disk PGlite only: open it in this process instead of a child process (the behaviour before
   * ADR 022; kept for before/after measurements and as a fallback, PGLITE_IN_PROCESS=1).
   */
  inProcess?: boolean;
  /**
   * On-disk PGlite in a child process: called once if that process ends without being asked to
   * (a crash, or killed). Queries fail from then on; the caller should stop (the server exits).
   */
  onUnexpectedExit?: (error: EmbeddedDatabaseExitedError) => void;
  /**
   * postgres.js drivers only (PostgreSQL, on-disk PGlite in its child process): called with the
   * text of every statement sent, before it is sent (postgres.js's `debug` hook). For measuring
   * round trips per page (scripts/measure-server-cost.ts); never set by the server. `parameters`
   * are the statement's bound values (for replaying it under EXPLAIN ANALYZE).
   */
  onQuery?: (statement: string, parameters: unknown[]) => void;
}

export class EmbeddedDatabaseExitedError extends Error {
  constructor(
    dataDir: string,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(`The embedded database process for ${dataDir} stopped unexpectedly (exit code ${code}, signal ${signal}).`);
    this.name = "EmbeddedDatabaseExitedError";
  }
}

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.url)
    return openPostgres(options.url, options.max ?? 10, options.onQuery, options.preparedStatements ?? true);
  if (options.dataDir && !options.inProcess)
    return openEmbeddedServer(options.dataDir, options.onUnexpectedExit, options.onQuery);
  return openPglite(options);
}

function redact(url: string) {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "postgres";
  }
}

/** postgres.js's `debug` option from an onQuery hook (its arguments: connection, statement, parameters). */
function debugHook(onQuery: OpenOptions["onQuery"]) {
  return onQuery
    ? (_connection: number, statement: string, parameters: unknown[]) => onQuery(statement, parameters ?? [])
    : undefined;
}

async function openPostgres(
  url: string,
  max: number,
  onQuery: OpenOptions["onQuery"],
  preparedStatements: boolean,
): Promise<DatabaseHandle> {
  const client = postgres(url, {
    max,
    idle_timeout: 20,
    connect_timeout: 10,
    onnotice: () => {},
    debug: debugHook(onQuery),
    // Off: postgres.js's own statements (the array types read at connect, COMMIT) unnamed as well,
    // which a transaction-pooling PgBouncer older than 1.21 needs.
    prepare: preparedStatements,
  });
  // Named prepared statements unless switched off (docs/decisions/041, addendum "PostgreSQL prepares
  // too"): each pooled connection keeps its own, one per distinct statement text it has run.
  const db = drizzlePostgres(preparedStatements ? preparingStatements(client, true) : client, {
    schema,
  }) as unknown as Database;
  return {
    db,
    kind: "postgres",
    location: redact(url),
    async migrate() {
      // A separate single connection, so migration notices and locks stay out of the pool. The
      // advisory lock is taken on that same connection (session level: it outlives the
      // migrator's own transaction) and released before it closes; a crash releases it too.
      const migrationClient = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await migrationClient.unsafe(`select pg_advisory_lock(${STARTUP_LOCK_KEY})`);
        try {
          await migratePostgres(drizzlePostgres(migrationClient), { migrationsFolder });
        } finally {
          await migrationClient.unsafe(`select pg_advisory_unlock(${STARTUP_LOCK_KEY})`);
        }
      } finally {
        await migrationClient.end();
      }
    },
    async runExclusive(work) {
      const connection = await client.reserve();
      try {
        await connection.unsafe(`select pg_advisory_lock(${STARTUP_LOCK_KEY})`);
        try {
          return await work();
        } finally {
          await connection.unsafe(`select pg_advisory_unlock(${STARTUP_LOCK_KEY})`);
        }
      } finally {
        connection.release();
      }
    },
    async ping() {
      await client`select 1`;
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

async function openPglite(options: OpenOptions): Promise<DatabaseHandle> {
  let release: (() => void) | undefined;
  let dataDir: string | undefined;
  if (options.dataDir) {
    dataDir = path.resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
    release = acquireDirectoryLock(dataDir);
  }
  const client = new PGlite({ dataDir, loadDataDir: options.loadDataDir });
  await client.waitReady;
  const db = drizzlePglite(withDrizzleParsers(client), { schema }) as unknown as Database;
  // Only this process can open the folder (acquireDirectoryLock), so the start-up lock is local.
  const oneAtATime = serialiser();
  return {
    db,
    kind: "pglite",
    location: dataDir ?? "memory",
    async migrate() {
      await oneAtATime(() => migratePglite(drizzlePglite(client), { migrationsFolder }));
    },
    runExclusive: (work) => oneAtATime(work),
    async ping() {
      await client.query("select 1");
    },
    async close() {
      await client.close();
      release?.();
    },
  };
}

/**
 * The types drizzle-orm/pglite asks PGlite to hand back as the text PostgreSQL sent (timestamp,
 * timestamptz, interval, date and numeric[], timestamp[], timestamptz[], interval[], date[]): the
 * `parsers` of every query it sends (drizzle-orm/pglite/session.js), which drizzle's columns then map.
 */
const DRIZZLE_TEXT_TYPES = new Set(["1114", "1184", "1186", "1082", "1231", "1115", "1185", "1187", "1182"]);

/**
 * An in-process PGlite as drizzle should drive it: the same results, without the copy per query.
 * drizzle passes `parsers` for DRIZZLE_TEXT_TYPES with every query, and PGlite merges a query's
 * `parsers` into a new object with its own ~320 (one per type and array type) for each query it
 * answers: ~0.15-0.3 ms of CPU per query, as much as a small indexed select (measured 0.47-0.64 ->
 * 0.32-0.34 ms per query in a loop; 9 % of an integration worker's profile, with its garbage). Here
 * the instance's own parsers give those types as text, and a query's `parsers` naming only those
 * types are left out (every other type is parsed exactly as before). Direct callers of the client
 * (`$client`, the test helpers) also get those types as text.
 */
function withDrizzleParsers(client: PGlite): PGlite {
  const asText = (value: string) => value;
  for (const oid of DRIZZLE_TEXT_TYPES) client.parsers[Number(oid)] = asText;
  type QueryOptions = Parameters<PGlite["query"]>[2];
  const lean = (options: QueryOptions): QueryOptions => {
    const parsers = options?.parsers;
    if (!parsers || !Object.keys(parsers).every((oid) => DRIZZLE_TEXT_TYPES.has(oid))) return options;
    return { ...options, parsers: undefined };
  };
  const query = client.query.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = (text, params, options) => query(text, params, lean(options));
  client.transaction = (work) =>
    transaction((tx) => {
      const txQuery = tx.query.bind(tx);
      tx.query = (text, params, options) => txQuery(text, params, lean(options));
      return work(tx);
    });
  return client;
}

/**
 * PGlite on `dataDir` in a child process (db/embedded-server.mjs), reached through postgres.js over
 * a unix socket in a private temporary folder (127.0.0.1 and a random port on Windows): the
 * server's event loop only waits on a socket while PGlite works. The folder lock is taken here,
 * before the child starts, so a second opener gets DatabaseLockedError exactly as before.
 */
async function openEmbeddedServer(
  dataDirOption: string,
  onUnexpectedExit: OpenOptions["onUnexpectedExit"],
  onQuery?: OpenOptions["onQuery"],
): Promise<DatabaseHandle> {
  const dataDir = path.resolve(dataDirOption);
  mkdirSync(dataDir, { recursive: true });
  const release = acquireDirectoryLock(dataDir);
  // mkdtemp makes the folder 0700: only this user can reach the socket (PGlite asks no password).
  const socketDir = process.platform === "win32" ? undefined : mkdtempSync(path.join(tmpdir(), "staywell-db-"));
  const cleanUp = () => {
    release();
    if (socketDir) rmSync(socketDir, { recursive: true, force: true });
  };
  let child: ChildProcess;
  try {
    // execArgv [] : the child is plain JavaScript, it needs none of our loaders (tsx, vitest).
    child = fork(embeddedServerPath, [], {
      stdio: ["ignore", "pipe", "inherit", "ipc"],
      execArgv: [],
      serialization: "json",
    });
  } catch (err) {
    cleanUp();
    throw err;
  }
  // Anything PGlite prints goes to stderr: stdout is the server's JSON log.
  child.stdout?.pipe(process.stderr, { end: false });
  let stopping = false;
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = { code, signal };
      resolve();
    }),
  );

  let address: { path?: string; port?: number };
  let openTimer: NodeJS.Timeout | undefined;
  try {
    address = await new Promise((resolve, reject) => {
      openTimer = setTimeout(
        () => reject(new Error(`The embedded database at ${dataDir} did not open within 15 minutes.`)),
        900_000,
      );
      child.on("message", (message: { type?: string; path?: string; port?: number; message?: string }) => {
        if (message?.type === "ready") resolve(message);
        else if (message?.type === "failed")
          reject(new Error(`The embedded database at ${dataDir} could not be opened: ${message.message}`));
      });
      void exit.then(() =>
        reject(
          new Error(
            `The embedded database process for ${dataDir} exited (code ${exited?.code}, signal ${exited?.signal}) before it was ready.`,
          ),
        ),
      );
      child.send({ type: "open", dataDir, socketPath: socketDir ? path.join(socketDir, ".s.PGSQL.5432") : undefined });
    });
    clearTimeout(openTimer);
  } catch (err) {
    clearTimeout(openTimer);
    stopping = true;
    if (!exited) child.kill("SIGKILL");
    await exit;
    cleanUp();
    throw err;
  }

  void exit.then(() => {
    if (stopping) return;
    const error = new EmbeddedDatabaseExitedError(dataDir, exited?.code ?? null, exited?.signal ?? null);
    if (onUnexpectedExit) onUnexpectedExit(error);
    else process.stderr.write(`${error.message}\n`);
  });

  // One connection: PGlite is one backend session (see db/embedded-server.mjs). postgres.js queues
  // queries for it, and a transaction holds it until it ends, so transactions stay isolated.
  // Never idle-closed or recycled: prepared statements live in that one session.
  const client = postgres({
    ...(address.path ? { path: address.path } : { host: "127.0.0.1", port: address.port }),
    username: "postgres",
    database: "postgres",
    ssl: false,
    max: 1,
    idle_timeout: 0,
    max_lifetime: 0,
    connect_timeout: 10,
    onnotice: () => {},
    debug: debugHook(onQuery),
  });
  // The unprepared mark is not honoured here: demo-sized data, where ADR 041 measured every page
  // cheaper prepared (/insights included); on PostgreSQL at 1M its generic plans were not.
  const db = drizzlePostgres(preparingStatements(client, false), { schema }) as unknown as Database;
  // Only this process can open the folder (acquireDirectoryLock), so the start-up lock is local:
  // no advisory lock, whose held connection would be the pool's only one.
  const oneAtATime = serialiser();
  return {
    db,
    kind: "pglite",
    location: dataDir,
    processId: child.pid,
    async migrate() {
      await oneAtATime(() => migratePostgres(db as never, { migrationsFolder }));
    },
    runExclusive: (work) => oneAtATime(work),
    async ping() {
      await client`select 1`;
    },
    async close() {
      if (stopping) return;
      stopping = true;
      try {
        await client.end({ timeout: 5 });
      } finally {
        // The child stops its socket server and closes PGlite (writing its files), then exits.
        if (!exited) {
          child.send({ type: "close" });
          const kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
          await exit;
          clearTimeout(kill);
        }
        cleanUp();
      }
    },
  };
}

/**
 * The embedded database's client as drizzle should drive it: every query as a named prepared
 * statement. drizzle asks postgres.js for unprepared statements (prepare: false), and postgres.js
 * then sends each query with parameters in two round trips (Parse + Describe, then Bind +
 * Execute), parsed and planned afresh every time. On the single PGlite every round trip queues
 * behind everyone else's, so once prepared, a statement costs one round trip and no parsing
 * (docs/decisions/041-embedded-page-cost.md). postgres.js keeps the statements of its one
 * connection, which is never recycled; migrations run before the server serves, so no statement
 * prepared against an older schema is reused. Transactions and savepoints get the same client.
 * PostgreSQL's pool too (unless DATABASE_PREPARED_STATEMENTS=false): there it saves the second
 * round trip, the parsing and, once PostgreSQL keeps a generic plan, the planning (ADR 041,
 * addendum "PostgreSQL prepares too"). With `honourMark` (PostgreSQL), a statement that contains
 * UNPREPARED_MARK (db/query.ts, unpreparedStatement) is sent unprepared: its plan must be made for
 * its values.
 */
function preparingStatements(client: postgres.Sql, honourMark: boolean): postgres.Sql {
  type Unsafe = (query: string, parameters?: unknown[], options?: Record<string, unknown>) => unknown;
  type Scoped = (callback: (tx: postgres.Sql) => unknown) => unknown;
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property === "unsafe") {
        const unsafe = value as Unsafe;
        return (query: string, parameters?: unknown[], options?: Record<string, unknown>) =>
          honourMark && query.includes(UNPREPARED_MARK)
            ? unsafe.call(target, query, parameters ?? [], options)
            : unsafe.call(target, query, parameters ?? [], { ...options, prepare: true });
      }
      if (property === "begin" || property === "savepoint") {
        const scoped = value as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const callback = args.pop() as Parameters<Scoped>[0];
          return scoped.call(target, ...args, (tx: postgres.Sql) => callback(preparingStatements(tx, honourMark)));
        };
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * An exclusive lock on an embedded database folder: a file `<dir>.lock` created with O_EXCL that
 * names the owning process. A lock whose process is gone (a crash) is taken over; a live owner's
 * lock is never taken, however long it is busy (PGlite's start-up blocks the event loop, so
 * time-based staleness would wrongly expire a lock). Released on close and at process exit.
 */
export function acquireDirectoryLock(dataDir: string): () => void {
  const lockPath = `${dataDir}.lock`;
  const me = `${process.pid}@${hostname()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      writeSync(fd, me);
      closeSync(fd);
      const release = () => {
        process.off("exit", release);
        try {
          if (readFileSync(lockPath, "utf8") === me) rmSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.on("exit", release);
      return release;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      if (ownerIsAlive(lockPath)) throw new DatabaseLockedError(dataDir);
      rmSync(lockPath, { force: true }); // left by a process that crashed
    }
  }
  throw new DatabaseLockedError(dataDir);
}

function ownerIsAlive(lockPath: string) {
  let owner = "";
  try {
    owner = readFileSync(lockPath, "utf8");
  } catch {
    return false;
  }
  const [pidText, host] = owner.split("@");
  const pid = Number(pidText);
  // Another machine's process (a shared folder) cannot be checked: treat it as alive.
  if (host !== hostname()) return true;
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

// Tx, queryRows and isUniqueViolation live in db/query.ts; importers keep using @db/client.
export {
  integerList,
  integerLiteral,
  isUniqueViolation,
  queryRows,
  unpreparedStatement,
  UNPREPARED_MARK,
  type DatabaseOrTx,
  type Tx,
} from "./query";

export { sql };
