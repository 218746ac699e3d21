// The embedded database on disk, as the server opens it (ADR 022): PGlite in a child process behind
// @electric-sql/pglite-socket, driven through postgres.js. Open, query, transactions, the folder
// lock, a clean close that keeps the data, and a crash of the child that fails loudly; statements
// prepared once (ADR 041).
// One folder for the whole file: creating a PGlite folder (initdb) takes seconds, so the steps
// below run in order on it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DatabaseLockedError,
  EmbeddedDatabaseExitedError,
  openDatabase,
  queryRows,
  sql,
  type DatabaseHandle,
} from "@db/client";
import { organisations } from "@db/schema";

const folder = mkdtempSync(path.join(tmpdir(), "staywell-embedded-"));
const dataDir = path.join(folder, "pglite");
let handle: DatabaseHandle;
const unexpectedExits: EmbeddedDatabaseExitedError[] = [];
const open = () => openDatabase({ dataDir, onUnexpectedExit: (error) => unexpectedExits.push(error) });

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  handle = await open();
  await handle.migrate();
}, 240_000);

afterAll(async () => {
  await handle?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe("the embedded database in its own process", () => {
  it("runs PGlite in a child process, reached through postgres.js, and answers queries", async () => {
    expect(handle.kind).toBe("pglite");
    expect(handle.location).toBe(dataDir);
    expect(handle.processId).toBeGreaterThan(0);
    expect(handle.processId).not.toBe(process.pid);
    expect(isAlive(handle.processId!)).toBe(true);
    // postgres.js returns rows as an array (PGlite's own driver returns { rows }).
    const result = (await handle.db.execute(sql`select 1 + 1 as two`)) as unknown;
    expect(Array.isArray(result)).toBe(true);
    expect(await queryRows<{ two: number }>(handle.db, sql`select (1 + 1)::int as two`)).toEqual([{ two: 2 }]);
    // The folder lock names this process: the server owns the folder, the child only serves it.
    expect(readFileSync(`${dataDir}.lock`, "utf8")).toBe(`${process.pid}@${hostname()}`);
  });

  it("keeps this process's event loop free while a query runs", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    await queryRows(handle.db, sql`select count(*) from generate_series(1, 3000000)`);
    const elapsed = performance.now() - started;
    clearInterval(timer);
    // In process, PGlite would hold the loop for the whole query: no tick at all.
    expect(elapsed).toBeGreaterThan(100);
    expect(ticks).toBeGreaterThan(elapsed / 10 / 4);
  }, 180_000);

  it("serves many concurrent queries over its one connection, in order", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => queryRows<{ n: number }>(handle.db, sql`select ${i}::int as n`)),
    );
    expect(results.map((rows) => rows[0]!.n)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("commits and rolls back drizzle transactions, and a query outside one never sees its uncommitted rows", async () => {
    await handle.db.transaction(async (tx) => {
      await tx
        .insert(organisations)
        .values({ slug: "committed-org", name: "Committed", type: "nhs_trust", headcount: 10 });
    });
    await expect(
      handle.db.transaction(async (tx) => {
        await tx
          .insert(organisations)
          .values({ slug: "rolled-back-org", name: "Rolled back", type: "nhs_trust", headcount: 10 });
        throw new Error("abandon");
      }),
    ).rejects.toThrow("abandon");

    // A query started while a transaction is open waits for it (one connection) and then sees
    // only what was committed.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inside!: () => void;
    const started = new Promise<void>((r) => (inside = r));
    const tx = handle.db.transaction(async (t) => {
      await t.insert(organisations).values({ slug: "late-org", name: "Late", type: "nhs_trust", headcount: 10 });
      inside();
      await gate;
      throw new Error("abandon late");
    });
    await started;
    const outside = queryRows<{ slug: string }>(
      handle.db,
      sql`select slug from organisations where slug like '%-org' order by slug`,
    );
    release();
    await expect(tx).rejects.toThrow("abandon late");
    expect((await outside).map((r) => r.slug)).toEqual(["committed-org"]);
  });

  it("reports SQL errors as PostgreSQL errors, and the connection goes on working", async () => {
    await expect(queryRows(handle.db, sql`select * from no_such_table`)).rejects.toMatchObject({
      cause: { code: "42P01" },
    });
    await expect(
      handle.db
        .insert(organisations)
        .values({ slug: "committed-org", name: "Again", type: "nhs_trust", headcount: 10 }),
    ).rejects.toMatchObject({
      cause: { code: "23505" },
    });
    expect(await queryRows<{ one: number }>(handle.db, sql`select 1::int as one`)).toEqual([{ one: 1 }]);
  });

  it("prepares each statement once on its connection, in and out of transactions (ADR 041)", async () => {
    const bySlug = (db: typeof handle.db, slug: string) =>
      queryRows<{ name: string }>(db, sql`select name from organisations where slug = ${slug} /* prepared-once */`);
    expect(await bySlug(handle.db, "nobody")).toEqual([]);
    expect(await bySlug(handle.db, "nobody-else")).toEqual([]);
    await handle.db.transaction(async (tx) => {
      expect(await bySlug(tx as unknown as typeof handle.db, "nobody")).toEqual([]);
    });
    const prepared = await queryRows<{ count: number }>(
      handle.db,
      sql`select count(*)::int as count from pg_prepared_statements where statement like ${"%prepared-once%"} and statement not like ${"%pg_prepared_statements%"}`,
    );
    expect(prepared).toEqual([{ count: 1 }]);
  });

  it("refuses a second opener of the folder with DatabaseLockedError", async () => {
    await expect(openDatabase({ dataDir })).rejects.toBeInstanceOf(DatabaseLockedError);
    await expect(openDatabase({ dataDir, inProcess: true })).rejects.toBeInstanceOf(DatabaseLockedError);
  });

  it("closes cleanly: the child exits, the lock goes, and the data is there when reopened", async () => {
    const pid = handle.processId!;
    await handle.close();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
    expect(unexpectedExits).toEqual([]);

    handle = await open();
    const rows = await queryRows<{ slug: string }>(handle.db, sql`select slug from organisations order by slug`);
    expect(rows.map((r) => r.slug)).toEqual(["committed-org"]);
    // Migrations were recorded over the socket too: nothing left to apply.
    await handle.migrate();
  }, 240_000);

  it("a crash of the child is reported at once and queries fail instead of hanging", async () => {
    const pid = handle.processId!;
    process.kill(pid, "SIGKILL");
    await expect.poll(() => unexpectedExits.length, { timeout: 10_000 }).toBe(1);
    expect(unexpectedExits[0]).toBeInstanceOf(EmbeddedDatabaseExitedError);
    expect(unexpectedExits[0]!.signal).toBe("SIGKILL");
    const started = performance.now();
    await expect(handle.ping()).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(15_000);
    // Closing after a crash still frees the folder.
    await handle.close();
    expect(existsSync(`${dataDir}.lock`)).toBe(false);
  }, 180_000);
});
