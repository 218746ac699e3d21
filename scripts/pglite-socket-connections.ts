// npx tsx scripts/pglite-socket-connections.ts [connections]
// Does @electric-sql/pglite-socket serve several postgres.js connections at once? Runs 400 mixed
// queries (parameterised selects, short transactions, failing queries) over N connections to one
// in-memory PGlite. With 4 (2026-11-29, pglite 0.5.17, pglite-socket 0.2.17): `portal "" does not
// exist` within the first batch: the server multiplexes each connection's protocol messages onto
// PGlite's one session, so two clients' Parse/Bind/Execute/Sync interleave. With 1: all correct.
// Hence db/client.ts uses a pool of one connection (ADR 022).
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import postgres from "postgres";

// Mixed-up replies can reach postgres.js where no query awaits them: count those too.
const stray: string[] = [];
process.on("unhandledRejection", (e) => stray.push((e as Error).message));
const connections = Number(process.argv[2] ?? 4);
const db = await PGlite.create();
const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: 0, maxConnections: connections });
await server.start();
const port = Number(server.getServerConn().split(":").pop());
const sql = postgres({
  host: "127.0.0.1",
  port,
  max: connections,
  username: "postgres",
  database: "postgres",
  onnotice: () => {},
});
await sql`create table t (id int primary key, v text)`;
let wrong = 0;
const failures: string[] = [];
const N = 400;
const started = performance.now();
const jobs = Array.from({ length: N }, async (_, i) => {
  try {
    const kind = i % 4;
    if (kind === 0) {
      const r = await sql`select ${i}::int as n`;
      if (r[0]!.n !== i) wrong++;
    } else if (kind === 1) {
      const r = await sql`select ${"x" + i}::text as s`;
      if (r[0]!.s !== "x" + i) wrong++;
    } else if (kind === 2) {
      await sql.begin(async (tx) => {
        await tx`insert into t values (${i}, ${"v" + i})`;
        const r = await tx`select v from t where id = ${i}`;
        if (r[0]!.v !== "v" + i) wrong++;
      });
    } else {
      await sql`select * from missing_table where x = ${i}`.catch((e: { code?: string; message: string }) => {
        if (e.code !== "42P01") throw e;
      });
    }
  } catch (e) {
    failures.push((e as Error).message);
  }
});
const outcome = await Promise.race([
  Promise.all(jobs).then(() => "finished"),
  new Promise((r) => setTimeout(() => r("timed out after 60 s"), 60_000)),
]);
console.log(
  `${connections} connection(s): ${outcome} in ${Math.round(performance.now() - started)} ms; wrong answers ${wrong}; errors ${failures.length}; unhandled ${stray.length}`,
);
for (const message of [...new Set([...failures, ...stray])].slice(0, 5)) console.log(`  error: ${message}`);
await sql.end({ timeout: 2 }).catch(() => {});
await server.stop();
await db.close();
process.exit(0);
