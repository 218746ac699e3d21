// Each test file has a database of its own: rows written here are never seen by another file.
// The integration files of one worker share one database (PGlite: one restored instance;
// PostgreSQL: one copy of the template, each file with its own pool), emptied back to the migrated
// state when the next file starts (tests/helpers/test-db.ts, ADRs 023 and 032); the reset itself is
// checked here, and that it gives up the database when a file left something it cannot undo.
import { sql } from "drizzle-orm";
import type postgres from "postgres";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { queryRows, type DatabaseHandle } from "@db/client";
import { setDatabase } from "@db/current";
import { supportOffers } from "@db/schema";
import { createOffer } from "../helpers/factories";
import { sharedPgliteDatabase, sharedPostgresDatabase, useTestDatabase } from "../helpers/test-db";

const database = useTestDatabase();

describe("per-file database", () => {
  it("starts empty and migrated", async () => {
    expect(await database().db.select().from(supportOffers)).toEqual([]);
  });

  it("keeps writes within the file", async () => {
    await createOffer({ slug: "isolation-check" });
    expect(await database().db.select().from(supportOffers)).toHaveLength(1);
  });
});

const client = (handle: DatabaseHandle) => (handle.db as unknown as { $client: PGlite }).$client;
const currentDatabase = async (handle: DatabaseHandle) =>
  (await queryRows<{ name: string }>(handle.db, sql`select current_database() as name`))[0]!.name;
const hasIndex = async (handle: DatabaseHandle, name: string) =>
  (await queryRows(handle.db, sql`select 1 from pg_indexes where indexname = ${name}`)).length > 0;

// What the next file in this worker gets. Each case ends with the process's current database set
// to what the next file would have, so the file's later cases keep a usable one.
describe("the database the next file gets", () => {
  const info = inject("testDatabase");
  // PostgreSQL: the pools opened here, as the next files would; the last is the current database.
  const pools: DatabaseHandle[] = [];
  const latestPostgres = () => pools[pools.length - 1] ?? database();
  const nextPostgres = async () => {
    if (info.kind !== "postgres") throw new Error("PostgreSQL only");
    const next = await sharedPostgresDatabase(info);
    pools.push(next);
    setDatabase(next);
    return next;
  };
  afterAll(async () => {
    for (const pool of pools) await pool.close();
  });

  it("is emptied to the migrated state: no rows, identities restarted, session state discarded (PGlite); the same copy of the template with a new pool (PostgreSQL)", async () => {
    if (info.kind === "postgres") {
      const before = database();
      const name = await currentDatabase(before);
      expect(name.startsWith(`${info.template}_`)).toBe(true);
      const first = await createOffer({ slug: "before-reset" });
      await createOffer({ slug: "before-reset-2" });
      const next = await nextPostgres();
      expect(next).not.toBe(before); // a pool of its own…
      expect(await currentDatabase(next)).toBe(name); // …on the same database, emptied
      expect(await next.db.select().from(supportOffers)).toEqual([]);
      const again = await createOffer({ slug: "after-reset" });
      expect(first.id).toBeGreaterThan(1);
      expect(again.id).toBe(1);
      return;
    }
    const first = await createOffer({ slug: "before-reset" });
    await createOffer({ slug: "before-reset-2" });
    await database().db.execute(sql`select set_config('application_name', 'left-behind', false)`);
    const before = database();
    const next = await sharedPgliteDatabase(info.dumpFile);
    expect(next).toBe(before); // the same instance, not a new restore
    expect(await next.db.select().from(supportOffers)).toEqual([]);
    const again = await createOffer({ slug: "after-reset" });
    expect(first.id).toBeGreaterThan(1); // the file's earlier case made one too
    expect(again.id).toBe(1); // the identity restarted with the table
    const [setting] = await queryRows<{ v: string }>(next.db, sql`select current_setting('application_name') as v`);
    expect(setting!.v).not.toBe("left-behind");
  });

  it("puts back the rows the migrations made (nhs.net in shared_domains), with the identity past them", async () => {
    const current = info.kind === "postgres" ? latestPostgres() : database();
    await current.db.execute(sql`delete from shared_domains`);
    await current.db.execute(sql`insert into shared_domains (domain) values ('left-behind.test')`);
    const next = info.kind === "postgres" ? await nextPostgres() : await sharedPgliteDatabase(info.dumpFile);
    const domains = await queryRows<{ id: number; domain: string }>(
      next.db,
      sql`select id, domain from shared_domains`,
    );
    expect(domains.map((d) => d.domain)).toEqual(["nhs.net"]);
    const [added] = await queryRows<{ id: number }>(
      next.db,
      sql`insert into shared_domains (domain) values ('added.test') returning id`,
    );
    expect(added!.id).toBeGreaterThan(domains[0]!.id);
  });

  it("is a newly restored instance when this file changed the schema or left a transaction open (PGlite); on PostgreSQL the open transaction's connection is ended and a schema change gets a new copy of the template", async () => {
    if (info.kind === "postgres") {
      // A transaction left open (holding a lock the truncate needs): its connection is ended and
      // the same database emptied.
      const before = latestPostgres();
      const name = await currentDatabase(before);
      const leftOpen = await (before.db as unknown as { $client: postgres.Sql }).$client.reserve();
      await leftOpen`begin`;
      await leftOpen`lock table support_offers in access exclusive mode`;
      const afterOpenTransaction = await nextPostgres();
      leftOpen.release();
      expect(await currentDatabase(afterOpenTransaction)).toBe(name);
      expect(await afterOpenTransaction.db.select().from(supportOffers)).toEqual([]);

      // A schema change: the database is dropped and a new copy of the template made.
      await afterOpenTransaction.db.execute(sql`create index test_db_isolation_probe on support_offers (title)`);
      const afterSchemaChange = await nextPostgres();
      const newName = await currentDatabase(afterSchemaChange);
      expect(newName).not.toBe(name);
      expect(newName.startsWith(`${info.template}_`)).toBe(true);
      expect(await hasIndex(afterSchemaChange, "test_db_isolation_probe")).toBe(false);
      const [old] = await queryRows<{ n: number }>(
        afterSchemaChange.db,
        sql`select count(*)::int as n from pg_database where datname = ${name}`,
      );
      expect(old!.n).toBe(0);
      return;
    }
    const before = database();
    await before.db.execute(sql`create index test_db_isolation_probe on support_offers (title)`);
    const afterSchemaChange = await sharedPgliteDatabase(info.dumpFile);
    setDatabase(afterSchemaChange);
    expect(afterSchemaChange).not.toBe(before);
    expect(client(before).closed).toBe(true);
    expect(await hasIndex(afterSchemaChange, "test_db_isolation_probe")).toBe(false);
    expect(await afterSchemaChange.db.select().from(supportOffers)).toEqual([]);

    await client(afterSchemaChange).exec("begin; select 1");
    expect(client(afterSchemaChange).isInTransaction()).toBe(true);
    const afterOpenTransaction = await sharedPgliteDatabase(info.dumpFile);
    setDatabase(afterOpenTransaction);
    expect(afterOpenTransaction).not.toBe(afterSchemaChange);
    expect(client(afterOpenTransaction).isInTransaction()).toBe(false);
    expect(await afterOpenTransaction.db.select().from(supportOffers)).toEqual([]);
  }, 180_000); // two restores, each several seconds on a loaded 2-core machine
});
