// Opens the database the environment names: DATABASE_URL, or the embedded PGlite under DATA_DIR.
import path from "node:path";
import { openDatabase, type DatabaseHandle } from "./client";

export function embeddedDataDir() {
  return path.resolve(process.env.DATA_DIR || ".data", "pglite");
}

export async function openConfiguredDatabase(): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL;
  return url ? openDatabase({ url }) : openDatabase({ dataDir: embeddedDataDir() });
}
