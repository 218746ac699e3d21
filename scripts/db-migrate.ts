// `npm run db:migrate`: apply the SQL migrations in drizzle/ to the configured database.
import { DatabaseLockedError } from "../db/client";
import { openConfiguredDatabase } from "../db/open-from-env";

try {
  const handle = await openConfiguredDatabase();
  try {
    await handle.migrate();
    console.log(
      `Migrations applied to ${handle.kind === "pglite" ? "the embedded database" : "PostgreSQL"} at ${handle.location}.`,
    );
  } finally {
    await handle.close();
  }
} catch (err) {
  if (err instanceof DatabaseLockedError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
