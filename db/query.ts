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

/**
 * Integers written into the statement's text, `(4, 7, 12)`, instead of one parameter each: for ids
 * and sizes the server chose itself (a caller's team and offer ids read from the database, a page
 * size), never for anything a person typed. A prepared statement then has them as constants:
 * PostgreSQL can cost its generic plan with them (with `offer_id in ($1, …, $12)` and `limit $20` it
 * kept planning the hub's page statement on every run) and tests `= any` against a constant array
 * instead of building the array from the parameters for every row (ADR 041, addendum of 30
 * November late evening). Each distinct list is a statement of its own per connection, so keep it
 * to values with few combinations. Throws unless every value is a safe integer; an empty list is
 * `(null)` (matches nothing).
 */
export function integerList(values: readonly number[]): SQL {
  return sql.raw(values.length ? `(${values.map(integerText).join(", ")})` : "(null)");
}

/** One integer as a literal (integerList's rules): a page size, a cap. */
export function integerLiteral(value: number): SQL {
  return sql.raw(integerText(value));
}

function integerText(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`Not an integer: ${String(value)}`);
  return String(value);
}

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
