// Small helpers every model shares, whichever driver is underneath (postgres.js or PGlite):
// the transaction type, raw-SQL rows, and recognising a unique violation. Re-exported from
// db/client.ts, so `@db/client` stays the one import for database code.
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "./client";

/** The transaction drizzle passes to a `db.transaction(async (tx) => …)` callback. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** The database or a transaction: a helper that takes this works inside or outside one. */
export type DatabaseOrTx = Database | Tx;

/**
 * The comment that keeps a statement unprepared (db/client.ts, preparingStatements). For a statement
 * whose best plan depends on its values: after 5 runs PostgreSQL may switch a prepared statement to
 * a generic plan costed without them, and keep it for every value. The hub's reference prefix
 * search is one: its generic plan sorted a year's 121,081 rows (430–570 ms against 3 ms at 1M,
 * docs/decisions/041, addendum "PostgreSQL prepares too").
 */
export const UNPREPARED_MARK = "/* unprepared: planned for its values */";

/** Put anywhere in a statement (a condition, a select list): the whole statement is sent unprepared. */
export const unpreparedStatement: SQL = sql.raw(`${UNPREPARED_MARK} `);

/** Runs raw SQL and returns its rows on either driver (PGlite gives { rows }, postgres.js an array). */
export async function queryRows<T = Record<string, unknown>>(db: DatabaseOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Whether `err` is PostgreSQL's unique_violation (SQLSTATE 23505). Both drivers put the code on
 * their error, and drizzle wraps it in errors of its own (`cause`), so the chain is searched a
 * few levels deep.
 */
export function isUniqueViolation(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    if (e.code === "23505") return true;
  }
  return false;
}
