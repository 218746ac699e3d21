// npm run db:seed:scale -- --staff 50000 --requests 1000000
// Adds demo volume (generated staff and requests, db/scale.ts) to the configured database:
// DATABASE_URL (PostgreSQL), else the embedded PGlite under DATA_DIR (stop the server first).
import { DatabaseLockedError, queryRows, sql, type DatabaseHandle } from "../db/client";
import { openConfiguredDatabase } from "../db/open-from-env";
import { findNonDemoData, formatScaleProgress, SCALE_DEFAULT_BATCH, seedScale } from "../db/scale";
import { seedDemoData } from "../db/seed";

const HELP = `Usage: npm run db:seed:scale -- [--staff N] [--requests N] [--seed N] [--batch N]

Adds generated demo volume to the configured database (DATABASE_URL, else the embedded
database under DATA_DIR/pglite; the embedded one must not be open in a running server).

  --staff N      generated staff to add (default 50000)
  --requests N   requests to add (default 1000000)
  --seed N       seed of the (hash-based, repeatable) randomness (default 1)
  --batch N      rows per INSERT (default ${SCALE_DEFAULT_BATCH})
  --help         this text

The numbers ADD to what is there: running it twice with --requests 1000000 leaves two million
requests (plus the demo seed's). Use --staff 0 to add requests from the staff already there.

It migrates the database first, and adds the demo data (organisations, offers, teams, demo
accounts) when the database is empty. It refuses, writing nothing, when the database holds
anything but demo data (a user who is neither generated nor a demo account, or their requests).

Generated staff are demo users who can never sign in, spread over the organisations by
headcount. Requests cover the last 5 years (growing uptake, a winter peak, an August dip), every
offer, organisation, staff group and status; nearly all older ones are closed or withdrawn.
Requests get references from the year's counter, but no history: no request events and no access
log rows are created for them. With the staff come ESR leavers in proportion (about 13 per 100
staff added, over three years, as one import; the demo seed's generator). The insight rollups are
rebuilt and the tables VACUUM ANALYZEd at the end.`;

function parseArgs(argv: string[]) {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return { help: true as const };
    const m = /^--(staff|requests|seed|batch)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`Unknown argument: ${arg}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${m[1]} needs a number`);
    values[m[1]!] = value;
  }
  const num = (name: string, fallback: number) => {
    const text = values[name];
    if (text === undefined) return fallback;
    const n = Number(text.replace(/[_,]/g, ""));
    if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number ≥ 0 (got ${text})`);
    return n;
  };
  return {
    help: false as const,
    staff: num("staff", 50_000),
    requests: num("requests", 1_000_000),
    seed: num("seed", 1),
    batch: Math.max(1, num("batch", SCALE_DEFAULT_BATCH)),
  };
}

class UsageError extends Error {}

const fmt = (n: number) => Math.round(n).toLocaleString("en-GB");
const plural = (n: number, word: string) => `${fmt(n)} ${word}${n === 1 ? "" : "s"}`;

async function main() {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\n\n${HELP}`);
      process.exit(2);
    }
    throw err;
  }
  if (args.help) {
    console.log(HELP);
    return;
  }

  let handle: DatabaseHandle;
  try {
    handle = await openConfiguredDatabase();
  } catch (err) {
    if (err instanceof DatabaseLockedError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const started = performance.now();
  try {
    console.log(
      `Scale seed into the ${handle.kind === "pglite" ? "embedded database" : "PostgreSQL database"} at ${handle.location}`,
    );
    // Before anything is written (even a migration): is this a demo database?
    const foreign = await findNonDemoData(handle.db);
    if (foreign.users > 0 || foreign.requests > 0) {
      console.error(
        `Refusing to add generated data: this database holds data that is not demo data ` +
          `(${plural(foreign.users, "user")} who ${foreign.users === 1 ? "is" : "are"} neither generated nor a demo account, ` +
          `${plural(foreign.requests, "request")} by them).\n` +
          `Nothing was written. Use an empty database, or one that holds only demo data.`,
      );
      process.exitCode = 1;
      return;
    }
    await handle.migrate();
    const [{ count }] = (await queryRows<{ count: number }>(
      handle.db,
      sql`select count(*)::int as count from organisations`,
    )) as [{ count: number }];
    if (Number(count) === 0) {
      console.log("Empty database: adding the demo data first…");
      await seedDemoData(handle.db, { log: (line) => console.log(`[seed] ${line}`) });
    }
    console.log(
      `Adding ${fmt(args.staff)} staff and ${fmt(args.requests)} requests (seed ${args.seed}, ${fmt(args.batch)} rows per batch)…`,
    );
    const result = await seedScale(handle.db, {
      staff: args.staff,
      requests: args.requests,
      seed: args.seed,
      batchSize: args.batch,
      onProgress: (p) => console.log(formatScaleProgress(p)),
      log: (line) => console.log(line),
    });
    const [totals] = await queryRows<{ staff: number; requests: number; open: number }>(
      handle.db,
      sql`select (select count(*) from users where is_demo and role = 'staff')::int as staff,
                 (select count(*) from support_requests)::int as requests,
                 (select count(*) from support_requests
                   where status in ('new', 'triaged', 'in_progress', 'waiting_on_staff', 'referred'))::int as open`,
    );
    if (result.requestsAdded > 0) {
      console.log(
        `Requests: ${fmt(result.requestsAdded)} in ${(result.requestsMs / 1000).toFixed(1)} s ` +
          `(${fmt(result.requestsAdded / Math.max(result.requestsMs / 1000, 1e-3))} rows/s).`,
      );
    }
    console.log(
      `The database now holds ${fmt(totals!.staff)} generated staff and ${fmt(totals!.requests)} requests ` +
        `(${fmt(totals!.open)} open).`,
    );
    console.log(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
