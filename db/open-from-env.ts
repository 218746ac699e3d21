// Opens the database the environment names: DATABASE_URL, or the embedded PGlite under DATA_DIR.
import path from "node:path";
import { openDatabase, type DatabaseHandle } from "./client";

export function embeddedDataDir() {
  return path.resolve(process.env.DATA_DIR || ".data", "pglite");
}

export async function openConfiguredDatabase(): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL;
  if (url) return openDatabase({ url, preparedStatements: preparedStatementsFromEnv() });
  return openDatabase({
    dataDir: embeddedDataDir(),
    // PGLITE_IN_PROCESS=1: PGlite in this process, as before ADR 022 (for before/after measurements).
    inProcess: process.env.PGLITE_IN_PROCESS === "1",
    // Without its database the process can answer nothing: say so and stop, rather than hang or
    // serve errors; a supervisor (or the person who ran `npm start`) restarts it.
    onUnexpectedExit(error) {
      process.stderr.write(`${error.message} StayWell is stopping.\n`);
      process.exit(1);
    },
  });
}

/**
 * DATABASE_PREPARED_STATEMENTS: "false" sends every query unprepared, for PostgreSQL behind a
 * transaction-pooling PgBouncer older than 1.21 (it cannot keep a connection's named statements);
 * unset or "true": prepared (docs/decisions/041, addendum "PostgreSQL prepares too").
 */
export function preparedStatementsFromEnv(value = process.env.DATABASE_PREPARED_STATEMENTS): boolean {
  if (value === undefined || value === "" || value === "true") return true;
  if (value === "false") return false;
  throw new Error(`DATABASE_PREPARED_STATEMENTS must be true or false, got ${JSON.stringify(value)}`);
}
