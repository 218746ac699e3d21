// Each test file has a database of its own: rows written here are never seen by another file.
// On PGlite the integration files of one worker share one restored instance, emptied back to the
// migrated state when the next file starts (tests/helpers/test-db.ts, ADR 023); the reset itself is
// checked here, and that it gives up the instance when a file left something it cannot undo.
import { sql } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import type { PGlite } from "@electric-sql/pglite";
import { queryRows, type DatabaseHandle } from "@db/client";
import { setDatabase } from "@db/current";
import { supportOffers } from "@db/schema";
import { createOffer } from "../helpers/factories";
import { sharedPgliteDatabase, useTestDatabase } from "../helpers/test-db";

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
const hasIndex = async (handle: DatabaseHandle, name: string) =>
  (await queryRows(handle.db, sql`select 1 from pg_indexes where indexname = ${name}`)).length > 0;

// What the next file in this worker gets. Each case ends with the process's current database set
// to what the next file would have, so the file's later cases keep a usable one.
describe("the database the next file gets", () => {
  const info = inject("testDatabase");

  it("is emptied to the migrated state: no rows, identities restarted, session state discarded (PGlite); a new copy of the template (PostgreSQL)", async () => {
    if (info.kind === "postgres") {
      const [row] = await queryRows<{ name: string }>(database().db, sql`select current_database() as name`);
      expect(row!.name.startsWith(`${info.template}_`)).toBe(true);
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

  it("puts back the rows the migrations made (nhs.net in shared_domains), with the identity past them (PGlite)", async () => {
    if (info.kind === "postgres") {
      // A copy of the template holds them as migrated.
      const rows = await queryRows<{ domain: string }>(database().db, sql`select domain from shared_domains`);
      expect(rows.map((r) => r.domain)).toContain("nhs.net");
      return;
    }
    await database().db.execute(sql`delete from shared_domains`);
    await database().db.execute(sql`insert into shared_domains (domain) values ('left-behind.test')`);
    const next = await sharedPgliteDatabase(info.dumpFile);
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

  it("is a newly restored instance when this file changed the schema or left a transaction open (PGlite); a new copy of the template (PostgreSQL)", async () => {
    if (info.kind === "postgres") {
      expect(await hasIndex(database(), "test_db_isolation_probe")).toBe(false);
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
