// npx tsx scripts/measure-event-loop-stall.ts <migrated PGlite folder>
// ADR 022: how long the server's event loop stalls while PGlite works, with PGlite in this process
// (before) and in its child process behind pglite-socket (after). Ten concurrent count(*) queries
// over a 300,000-row series, with a 5 ms timer counting how often the loop turns.
// Use a folder no server has open (the folder lock refuses it otherwise).
import { openDatabase, queryRows, sql } from "../db/client";
const folder = process.argv[2];
if (!folder) throw new Error("Usage: npx tsx scripts/measure-event-loop-stall.ts <migrated PGlite folder>");
for (const inProcess of [true, false]) {
  const h = await openDatabase({ dataDir: folder, inProcess });
  await h.ping();
  for (let round = 0; round < 2; round++) {
    let last = performance.now(),
      maxGap = 0,
      ticks = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 5);
    const t = performance.now();
    await Promise.all(
      Array.from({ length: 10 }, () => queryRows(h.db, sql`select count(*) from generate_series(1, 300000)`)),
    );
    const elapsed = performance.now() - t;
    clearInterval(timer);
    console.log(
      `${inProcess ? "in process" : "child     "} round ${round}: 10 queries ${Math.round(elapsed)} ms; timer ticks ${ticks} (5 ms timer); longest event-loop stall ${Math.round(maxGap)} ms`,
    );
  }
  await h.close();
}
