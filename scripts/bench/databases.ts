// The bench's PostgreSQL databases: named, kept between runs, and reused when complete, because
// seeding a million requests takes minutes. Each one carries a marker table written by the bench
// when it creates the database; a database without it was not made here and is never written to.
import { spawn } from "node:child_process";
import path from "node:path";
import postgres from "postgres";

/** Written into every database the bench creates; its absence means "not ours: do not touch". */
export const MARKER_TABLE = "staywell_bench_marker";

export interface BenchDatabaseSpec {
  name: string;
  staff: number;
  requests: number;
}

export interface ServerProbe {
  admin: postgres.Sql;
  url: string;
}

export class NotOursError extends Error {}

export function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export function redact(url: string) {
  const u = new URL(url);
  return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
}

/** A connection to the PostgreSQL server for create/drop, or the reason there is none. */
export async function probeServer(url: string): Promise<ServerProbe | { error: string }> {
  const admin = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin`select 1`;
    return { admin, url };
  } catch (err) {
    await admin.end({ timeout: 1 }).catch(() => {});
    return { error: (err as Error).message || String(err) };
  }
}

async function exists(admin: postgres.Sql, name: string) {
  const rows = await admin`select 1 from pg_database where datname = ${name}`;
  return rows.length > 0;
}

interface Marker {
  staff: number;
  requests: number;
  seeded_at: Date | null;
}

/** The marker row, or undefined when the database has no marker table (not made by the bench). */
async function readMarker(url: string): Promise<Marker | undefined> {
  const db = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const [table] = await db`select to_regclass(${`public.${MARKER_TABLE}`}) as t`;
    if (!table?.t) return undefined;
    const [row] = await db.unsafe(`select staff, requests, seeded_at from ${MARKER_TABLE} where id = 1`);
    return row
      ? { staff: Number(row.staff), requests: Number(row.requests), seeded_at: row.seeded_at as Date | null }
      : undefined;
  } finally {
    await db.end({ timeout: 5 });
  }
}

async function countRequests(url: string): Promise<number> {
  const db = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    const [row] = await db`select count(*)::int as n from support_requests`;
    return Number(row?.n ?? 0);
  } finally {
    await db.end({ timeout: 5 });
  }
}

/** Runs one of the repo's npm scripts (a tsx script) against `databaseUrl`, output passed through with a prefix. */
export function runScript(
  root: string,
  script: string,
  args: string[],
  databaseUrl: string,
  prefix: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: "production" };
    delete env.TEST_DATABASE_URL;
    const child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), script, ...args], {
      cwd: root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) console.log(`${prefix} ${line}`);
    };
    child.stdout.on("data", relay);
    child.stderr.on("data", relay);
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${script} ${args.join(" ")} exited with ${code}`)),
    );
  });
}

/**
 * Returns the URL of a complete bench database for `spec`: reused when its marker says it was
 * seeded to this size (migrations applied, in case the code moved on), otherwise created and
 * seeded with `npm run db:seed:scale` (which migrates and adds the demo data first). A database of
 * that name without the marker belongs to someone else: NotOursError, nothing written.
 */
export async function ensureBenchDatabase(root: string, probe: ServerProbe, spec: BenchDatabaseSpec): Promise<string> {
  const { admin } = probe;
  const url = withDatabase(probe.url, spec.name);
  const fmt = (n: number) => n.toLocaleString("en-GB");
  if (await exists(admin, spec.name)) {
    const marker = await readMarker(url);
    if (!marker) {
      throw new NotOursError(
        `A database named ${spec.name} exists on ${redact(probe.url)} but has no ${MARKER_TABLE} table, so the bench did not ` +
          `create it and will not write to it. Drop or rename it if it is yours to lose.`,
      );
    }
    if (marker.seeded_at && marker.staff === spec.staff && marker.requests === spec.requests) {
      const have = await countRequests(url);
      if (have >= spec.requests) {
        console.log(
          `Reusing ${spec.name} (${fmt(have)} requests, seeded ${marker.seeded_at.toISOString()}); applying any new migrations…`,
        );
        await runScript(root, "scripts/db-migrate.ts", [], url, "  [migrate]");
        return url;
      }
      console.log(`${spec.name} holds ${fmt(have)} requests, fewer than ${fmt(spec.requests)}: making it again.`);
    } else {
      console.log(
        `${spec.name} is a bench database but ${marker.seeded_at ? `was seeded for ${fmt(marker.staff)} staff / ${fmt(marker.requests)} requests` : "its seeding never finished"}: making it again.`,
      );
    }
    await admin.unsafe(`drop database "${spec.name}" with (force)`);
  }

  console.log(
    `Creating ${spec.name} and seeding ${fmt(spec.staff)} staff and ${fmt(spec.requests)} requests (kept for the next run)…`,
  );
  await admin.unsafe(`create database "${spec.name}"`);
  const db = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await db.unsafe(
      `create table ${MARKER_TABLE} (id int primary key check (id = 1), created_at timestamptz not null default now(),
         staff int not null, requests int not null, seeded_at timestamptz)`,
    );
    await db.unsafe(`insert into ${MARKER_TABLE} (id, staff, requests) values (1, ${spec.staff}, ${spec.requests})`);
  } finally {
    await db.end({ timeout: 5 });
  }
  const started = performance.now();
  await runScript(
    root,
    "scripts/db-seed-scale.ts",
    ["--staff", String(spec.staff), "--requests", String(spec.requests)],
    url,
    "  [seed]",
  );
  const done = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await done.unsafe(`update ${MARKER_TABLE} set seeded_at = now() where id = 1`);
  } finally {
    await done.end({ timeout: 5 });
  }
  console.log(`${spec.name} seeded in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  return url;
}
