// db/query.ts on the driver under test (PGlite, or PostgreSQL with TEST_DATABASE_URL): queryRows
// gives rows from the database and from a transaction alike, and isUniqueViolation recognises
// the driver's real duplicate-key error (through drizzle's wrapping) and nothing else. On
// PostgreSQL, statements go as named prepared statements except those marked unpreparedStatement.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  integerList,
  integerLiteral,
  isUniqueViolation,
  openDatabase,
  queryRows,
  sql,
  unpreparedStatement,
  type DatabaseOrTx,
  type Tx,
} from "@db/client";
import { teams } from "@db/schema";
import { useTestDatabase } from "../helpers/test-db";

const database = useTestDatabase();

async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (err) {
    return err;
  }
  throw new Error("expected the work to fail");
}

describe("db/query.ts", () => {
  it("queryRows returns typed rows from the database and from inside a transaction", async () => {
    const outside = await queryRows<{ n: number; word: string }>(database().db, sql`select 2::int as n, 'two' as word`);
    expect(outside).toEqual([{ n: 2, word: "two" }]);

    const slug = `query-rows-${Date.now()}`;
    const inside = await database().db.transaction(async (tx: Tx) => {
      await tx.insert(teams).values({ slug, name: "Query rows team" });
      // The row inserted above is visible only inside this transaction: proof queryRows ran on it.
      return queryRows<{ name: string }>(tx, sql`select name from teams where slug = ${slug}`);
    });
    expect(inside).toEqual([{ name: "Query rows team" }]);
    expect(await queryRows(database().db, sql`select 1 from teams where slug = 'no-such-team'`)).toEqual([]);
  });

  it("isUniqueViolation is true for a duplicate key from the driver, false for other database errors", async () => {
    const db: DatabaseOrTx = database().db;
    const slug = `unique-${Date.now()}`;
    await db.insert(teams).values({ slug, name: "First" });
    const duplicate = await failureOf(() => db.insert(teams).values({ slug, name: "Second" }));
    expect(isUniqueViolation(duplicate)).toBe(true);

    const notNull = await failureOf(() =>
      db.execute(sql`insert into teams (slug, name) values (${`${slug}-x`}, null)`),
    );
    expect(isUniqueViolation(notNull)).toBe(false);
    const syntax = await failureOf(() => db.execute(sql`select * from no_such_table`));
    expect(isUniqueViolation(syntax)).toBe(false);

    // Inside a transaction that is then rolled back, as the admin commands use it.
    const inTx = await failureOf(() =>
      database().db.transaction(async (tx) => tx.insert(teams).values({ slug, name: "Third" })),
    );
    expect(isUniqueViolation(inTx)).toBe(true);
    expect(await db.select().from(teams).where(eq(teams.slug, slug))).toHaveLength(1);
  });

  it("integerList and integerLiteral select on the driver as a list of parameters would; an empty list matches nothing", async () => {
    const db = database().db;
    const values = sql`(values (1), (2), (3), (4)) as v(n)`;
    expect(
      await queryRows<{ n: number }>(db, sql`select n from ${values} where n in ${integerList([2, 4, 9])} order by n`),
    ).toEqual([{ n: 2 }, { n: 4 }]);
    expect(await queryRows(db, sql`select n from ${values} where n in ${integerList([])}`)).toEqual([]);
    expect(
      await queryRows<{ n: number }>(db, sql`select n from ${values} order by n limit ${integerLiteral(2)}`),
    ).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("isUniqueViolation follows a few levels of cause and stops on values without one", () => {
    expect(isUniqueViolation({ code: "23505" })).toBe(true);
    expect(isUniqueViolation(new Error("wrapped", { cause: new Error("again", { cause: { code: "23505" } }) }))).toBe(
      true,
    );
    expect(isUniqueViolation({ code: "23503" })).toBe(false);
    expect(isUniqueViolation(new Error("plain"))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
    expect(isUniqueViolation(null)).toBe(false);
    const loop: { code?: string; cause?: unknown } = {};
    loop.cause = loop; // a cycle ends after the depth limit
    expect(isUniqueViolation(loop)).toBe(false);
  });

  it("on PostgreSQL: prepared statements by default, none for a marked statement or with the switch off", async (context) => {
    const handle = database();
    if (handle.kind !== "postgres") return context.skip();
    // What the connection holds, read inside one transaction (so on the same pooled connection).
    const prepared = (db: DatabaseOrTx) =>
      db.transaction(async (tx) => {
        await queryRows(tx, sql`select ${41}::int as prepared_probe`);
        await queryRows(tx, sql`select ${42}::int as marked_probe ${unpreparedStatement}`);
        const rows = await queryRows<{ statement: string }>(tx, sql`select statement from pg_prepared_statements`);
        return rows.map((r) => r.statement).filter((t) => t.includes("_probe"));
      });
    expect(await prepared(handle.db)).toEqual(["select $1::int as prepared_probe"]);

    // DATABASE_PREPARED_STATEMENTS=false (db/open-from-env.ts): nothing named, postgres.js's own
    // statements included (a transaction-pooling PgBouncer older than 1.21).
    const { rows } = await (async () => {
      const url = (await queryRows<{ db: string }>(handle.db, sql`select current_database() as db`))[0]!.db;
      const testUrl = new URL(process.env.TEST_DATABASE_URL!);
      testUrl.pathname = `/${url}`;
      const off = await openDatabase({ url: testUrl.toString(), max: 1, preparedStatements: false });
      try {
        await prepared(off.db);
        return { rows: await queryRows(off.db, sql`select name from pg_prepared_statements`) };
      } finally {
        await off.close();
      }
    })();
    expect(rows).toEqual([]);
  });
});
