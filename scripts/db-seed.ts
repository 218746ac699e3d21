// npm run db:seed — migrates the configured database and adds the demo data (idempotent).
// The embedded database can be open in one process only: stop the server first, or use DATABASE_URL.
import { DatabaseLockedError, type DatabaseHandle } from "../db/client";
import { openConfiguredDatabase } from "../db/open-from-env";
import { seedDemoData } from "../db/seed";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, demoAccountLines } from "../db/seed-data/accounts";

async function main() {
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
  try {
    console.log(`Seeding ${handle.kind} database (${handle.location})…`);
    await handle.migrate();
    const result = await seedDemoData(handle.db, { log: (line) => console.log(line) });
    console.log(result.created ? "Demo data seeded." : "Demo data was already there.");
    console.log(`Demo accounts (password ${DEMO_PASSWORD}):`);
    for (const line of demoAccountLines(DEMO_ACCOUNTS)) console.log(line);
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
