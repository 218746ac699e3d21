// The process's one database handle. Kept on globalThis because the server (run by tsx) and the
// Remix server bundle each load their own copy of this module.
import type { Database, DatabaseHandle } from "./client";

const KEY = Symbol.for("staywell.database");
type Holder = { [KEY]?: DatabaseHandle };

export function setDatabase(handle: DatabaseHandle | undefined) {
  (globalThis as Holder)[KEY] = handle;
}

export function getDatabaseHandle(): DatabaseHandle {
  const handle = (globalThis as Holder)[KEY];
  if (!handle) throw new Error("The database has not been opened (see server.ts / tests/setup).");
  return handle;
}

export function getDb(): Database {
  return getDatabaseHandle().db;
}
