// Migrations with several instances: migrate() runs under the start-up lock (a PostgreSQL advisory
// lock), so two instances starting together on a fresh database both succeed and the schema is
// migrated once; a caller waits while another holds the lock; the lock is released afterwards.
// On PGlite (one process per folder) the same calls are serialised within the process; the three
// tests share one in-memory instance, emptied between them (see `embedded` below).
import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrationsFolder, openDatabase, queryRows, sql, STARTUP_LOCK_KEY, type DatabaseHandle } from "@db/client";
import { quoteIdent, withDatabase } from "../helpers/global-setup";

const info = inject("testDatabase");
const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta/_journal.json"), "utf8")) as {
  entries: unknown[];
};
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function admin(statement: string) {
  if (info.kind !== "postgres") throw new Error("PostgreSQL only");
  const client = postgres(info.serverUrl, { max: 1, onnotice: () => {} });
  try {
    await client.unsafe(statement);
  } finally {
    await client.end({ timeout: 5 });
  }
}

/**
 * On PGlite: one in-memory instance for the file, emptied between tests (every migrated object is in
 * the public and drizzle schemas: the migrations create no extension, role or other schema). Booting
 * a fresh in-memory PGlite costs ~2.5 s of CPU (initdb in WASM), ten times more than migrating it,
 * and the three tests booted one each.
 */
let embedded: DatabaseHandle | undefined;

/** Empties `handle` to what a freshly booted database holds: no tables, no migration journal. */
async function emptyDatabase(handle: DatabaseHandle) {
  await queryRows(handle.db, sql`drop schema if exists drizzle cascade`);
  await queryRows(handle.db, sql`drop schema public cascade`);
  await queryRows(handle.db, sql`create schema public`);
}

/**
 * Two "instances" on one fresh, empty (unmigrated) database: on PostgreSQL two separate pools on a
 * new database; on PGlite one in-memory database (only one process can open a PGlite folder), new
 * for the file's first test and emptied for the next ones.
 */
async function twoInstancesOnAnEmptyDatabase(): Promise<[DatabaseHandle, DatabaseHandle]> {
  if (info.kind === "postgres") {
    const name = `staywell_migrate_${process.pid}_${Math.random().toString(16).slice(2, 8)}`;
    await admin(`create database ${quoteIdent(name)}`);
    const url = withDatabase(info.serverUrl, name);
    const a = await openDatabase({ url, max: 2 });
    const b = await openDatabase({ url, max: 2 });
    cleanups.push(async () => {
      await a.close();
      await b.close();
      await admin(`drop database if exists ${quoteIdent(name)} with (force)`);
    });
    return [a, b];
  }
  if (embedded) await emptyDatabase(embedded);
  else {
    const opened = await openDatabase({});
    cleanups.push(() => opened.close());
    embedded = opened;
  }
  const a = embedded;
  // Fresh and empty either way: nothing in public, no drizzle schema, no migration journal.
  const [{ relations, schemas }] = await queryRows<{ relations: number; schemas: number }>(
    a.db,
    sql`select (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
                 where n.nspname = 'public') as relations,
               (select count(*)::int from pg_namespace where nspname = 'drizzle') as schemas`,
  );
  expect({ relations, schemas }).toEqual({ relations: 0, schemas: 0 });
  return [a, a];
}

async function appliedMigrations(handle: DatabaseHandle) {
  const [{ count }] = await queryRows<{ count: number }>(
    handle.db,
    sql`select count(*)::int as count from drizzle.__drizzle_migrations`,
  );
  return count;
}

async function advisoryLocksHeld(handle: DatabaseHandle) {
  const [{ count }] = await queryRows<{ count: number }>(
    handle.db,
    sql`select count(*)::int as count from pg_locks where locktype = 'advisory' and granted`,
  );
  return count;
}

describe("migrations with several instances", () => {
  it("two instances migrating a fresh database at once both succeed, and each migration is applied once", async () => {
    const [a, b] = await twoInstancesOnAnEmptyDatabase();
    await expect(queryRows(a.db, sql`select 1 from organisations`)).rejects.toThrow();
    const results = await Promise.allSettled([a.migrate(), b.migrate()]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(journal.entries.length).toBeGreaterThan(10);
    expect(await appliedMigrations(a)).toBe(journal.entries.length);
    expect(await appliedMigrations(b)).toBe(journal.entries.length);
    // The schema is there, once: a table from the first migration and one from a late one.
    await queryRows(b.db, sql`select count(*) from organisations`);
    await queryRows(b.db, sql`select count(*) from mail_outbox`);
    // And the lock is released afterwards.
    expect(await advisoryLocksHeld(a)).toBe(0);
    // Running again (the next restart) changes nothing.
    await a.migrate();
    expect(await appliedMigrations(a)).toBe(journal.entries.length);
  }, 180_000);

  it("an instance waits for the start-up lock another holds (the demo seed, say), then migrates", async () => {
    const [a, b] = await twoInstancesOnAnEmptyDatabase();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    const seeding = a.runExclusive(async () => {
      holding();
      await gate;
      return "seeded";
    });
    await held;
    let migrated = false;
    const migrating = b.migrate().then(() => (migrated = true));
    await new Promise((r) => setTimeout(r, 500));
    expect(migrated).toBe(false);
    if (info.kind === "postgres") {
      // The wait is on the database: b's migration connection is blocked on the advisory lock.
      const waiting = await queryRows<{ count: number }>(
        a.db,
        sql`select count(*)::int as count from pg_locks where locktype = 'advisory' and not granted`,
      );
      expect(waiting[0].count).toBe(1);
    }
    open();
    expect(await seeding).toBe("seeded");
    await migrating;
    expect(migrated).toBe(true);
    expect(await appliedMigrations(b)).toBe(journal.entries.length);
    expect(await advisoryLocksHeld(a)).toBe(0);
  }, 180_000);

  it("releases the lock when the locked work fails", async () => {
    const [a, b] = await twoInstancesOnAnEmptyDatabase();
    await expect(a.runExclusive(() => Promise.reject(new Error("seed failed")))).rejects.toThrow("seed failed");
    await b.migrate();
    expect(await appliedMigrations(b)).toBe(journal.entries.length);
    expect(await advisoryLocksHeld(a)).toBe(0);
  }, 180_000);

  it("uses one fixed lock key for every instance", () => {
    expect(STARTUP_LOCK_KEY).toMatch(/^\d+$/);
    expect(BigInt(STARTUP_LOCK_KEY) < 2n ** 63n).toBe(true);
  });
});
