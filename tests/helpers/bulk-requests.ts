// Many support requests at once, loaded the way a bulk load is (db/scale.ts; drizzle/0002_insight_rollups.sql):
// one transaction with `staywell.bulk_load = 'on'`, so the per-row insight rollup trigger stands aside,
// then rebuild_insight_rollups() recomputes the rollups from every request in a few set-based statements.
// The rollups end as the per-row trigger would have left them (insights-model.test.ts checks the trigger
// against the rebuild); the trigger itself still runs on every request the other files make.
// Measured (hub-counts, 2,440 rows on PGlite): the trigger was ~2 ms of CPU a row, 4.9 of the 6.3 s set-up.
import { sql } from "drizzle-orm";
import type { Database } from "@db/client";
import { supportRequests } from "@db/schema";

export type NewSupportRequest = typeof supportRequests.$inferInsert;

/** Inserts `values` in order (multi-row INSERTs of `chunk` rows), then rebuilds the insight rollups. */
export async function insertRequestsInBulk(db: Database, values: NewSupportRequest[], chunk = 500) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local staywell.bulk_load = 'on'`);
    for (let i = 0; i < values.length; i += chunk) await tx.insert(supportRequests).values(values.slice(i, i + chunk));
    await tx.execute(sql`select rebuild_insight_rollups()`);
  });
}
