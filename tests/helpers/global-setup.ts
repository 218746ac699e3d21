// vitest globalSetup for unit + integration tests: prepares ONE migrated database that every test
// file copies (see tests/helpers/test-db.ts), so no file pays for initdb + migrations.
//  - PGlite (default): migrate an in-memory instance once and dumpDataDir() it (uncompressed) to a temp file;
//    each file restores it with openDatabase({ loadDataDir }).
//  - PostgreSQL (TEST_DATABASE_URL=postgres://…): create a uniquely named template database on
//    that server and migrate it; each file runs CREATE DATABASE … TEMPLATE <template>.
//    Nothing is ever written into the database TEST_DATABASE_URL names.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { openDatabase } from "../../db/client";

export type TestDatabaseInfo =
  { kind: "pglite"; dumpFile: string } | { kind: "postgres"; serverUrl: string; template: string };

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase: TestDatabaseInfo;
  }
}

/** The same URL pointing at another database on the same server. */
export function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export function quoteIdent(name: string) {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Refusing odd database name ${name}`);
  return `"${name}"`;
}

/** Drops the template and every per-file copy made from it (named <template>_…). */
export async function dropTestDatabases(serverUrl: string, prefix: string) {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const rows = await admin<{ datname: string }[]>`
      select datname from pg_database where datname = ${prefix} or starts_with(datname, ${`${prefix}_`})`;
    for (const { datname } of rows) {
      await admin.unsafe(`drop database if exists ${quoteIdent(datname)} with (force)`);
    }
    return rows.length;
  } finally {
    await admin.end({ timeout: 5 });
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL;
  const started = performance.now();
  if (url) {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`TEST_DATABASE_URL must be postgres://…, got ${url}`);
    const template = `staywell_test_${process.pid}_${Math.random().toString(16).slice(2, 8)}`;
    const admin = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
    try {
      await admin.unsafe(`create database ${quoteIdent(template)}`);
    } catch (err) {
      await admin.end({ timeout: 5 }).catch(() => {});
      throw new Error(
        `Cannot create a test database on the server named by TEST_DATABASE_URL (${redact(url)}): ${(err as Error).message}`,
      );
    }
    await admin.end({ timeout: 5 });
    const handle = await openDatabase({ url: withDatabase(url, template), max: 1 });
    try {
      await handle.migrate();
    } finally {
      await handle.close();
    }
    console.log(
      `[test-db] PostgreSQL ${redact(url)}: template ${template} migrated in ${Math.round(performance.now() - started)} ms`,
    );
    project.provide("testDatabase", { kind: "postgres", serverUrl: url, template });
    return async () => {
      const n = await dropTestDatabases(url, template);
      console.log(`[test-db] dropped ${n} test database(s) ${template}*`);
    };
  }

  const dir = await mkdtemp(path.join(tmpdir(), "staywell-test-db-"));
  const handle = await openDatabase({});
  let bytes: Buffer;
  try {
    await handle.migrate();
    const client = (handle.db as unknown as { $client: PGlite }).$client;
    // Uncompressed: every test file restores it, and skipping the gunzip saves about a fifth of
    // each restore's CPU (measured: 2.73 -> 2.20 s CPU mean of 4 on the loaded 2-core machine;
    // 42 MB instead of 4.9 MB, read from the page cache). ADR 023.
    const dump = await client.dumpDataDir("none");
    bytes = Buffer.from(await dump.arrayBuffer());
  } finally {
    await handle.close();
  }
  const dumpFile = path.join(dir, "migrated.tar");
  await writeFile(dumpFile, bytes);
  console.log(
    `[test-db] PGlite: migrated template dumped (${(bytes.length / 1e6).toFixed(1)} MB) in ${Math.round(performance.now() - started)} ms`,
  );
  project.provide("testDatabase", { kind: "pglite", dumpFile });
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}

function redact(url: string) {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "postgres";
  }
}
