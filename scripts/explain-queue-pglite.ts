// EXPLAIN ANALYZE of the people hub queue's first page on the EMBEDDED database (PGlite), for a
// database filled by `npm run db:seed:scale` (db/scale.ts: priorities from the answers):
//
//   DATA_DIR=/tmp/x npm run db:seed:scale -- --staff 5000 --requests 50000
//   DATA_DIR=/tmp/x node node_modules/tsx/dist/cli.mjs scripts/explain-queue-pglite.ts
//
// Callers: the demo coordinators (coordinator@icb: every team but the psychological hub;
// psych.coordinator@icb: the psychological hub). Prints the data's priority mix, the plans of the
// default first page and the overdue filter, and the median of 7 model calls. Read-only.
import { queryRows, sql } from "../db/client";
import { openConfiguredDatabase } from "../db/open-from-env";
import { setDatabase } from "../db/current";
import type { CurrentUser } from "../app/.server/auth/types";
import { buildHubQueueListQuery, listHubQueue } from "../app/.server/models/hub-queue.server";
import type { HubQueueFilters } from "../app/schemas/hub-queue";

const DEFAULTS: HubQueueFilters = { status: "open", assignee: "anyone", overdue: false, urgent: false };

async function main() {
  const handle = await openConfiguredDatabase();
  if (handle.kind !== "pglite") throw new Error("This script is for the embedded database: unset DATABASE_URL.");
  setDatabase(handle);
  try {
    const [mix] = await queryRows<Record<string, number>>(
      handle.db,
      sql`select count(*)::int as total,
                 count(*) filter (where status in ('new','triaged','in_progress','waiting_on_staff','referred'))::int as open,
                 count(*) filter (where priority = 'at_risk')::int as at_risk,
                 count(*) filter (where priority = 'safety_check')::int as safety_check,
                 count(*) filter (where priority = 'urgent')::int as urgent,
                 count(*) filter (where priority in ('at_risk','safety_check') and first_contact_at is null
                                   and status in ('new','triaged','in_progress','waiting_on_staff','referred'))::int as risk_uncontacted
          from support_requests`,
    );
    console.log("Data:", mix);
    const now = new Date();
    for (const email of ["coordinator@icb.staywell.test", "psych.coordinator@icb.staywell.test"]) {
      const [u] = await queryRows<Record<string, unknown>>(
        handle.db,
        sql`select id, email, name, role, organisation_id, staff_group, job_title, start_date::text as start_date from users where email = ${email}`,
      );
      const caller = {
        id: u!.id,
        email: u!.email,
        name: u!.name,
        role: u!.role,
        organisationId: u!.organisation_id,
        staffGroup: u!.staff_group,
        jobTitle: u!.job_title,
        startDate: u!.start_date,
        managesOrganisationId: null,
      } as CurrentUser;
      for (const [label, filters] of [
        ["default first page", DEFAULTS],
        ["overdue only", { ...DEFAULTS, overdue: true }],
      ] as const) {
        const query = buildHubQueueListQuery(caller, filters, now);
        await query; // warm-up
        const plan = await queryRows<{ "QUERY PLAN": string }>(handle.db, sql`explain analyze ${query}`);
        console.log(`\n=== ${email}: ${label}`);
        for (const row of plan) console.log(row["QUERY PLAN"]);
        const times: number[] = [];
        for (let i = 0; i < 7; i++) {
          const t = performance.now();
          await listHubQueue(caller, filters, now);
          times.push(performance.now() - t);
        }
        times.sort((a, b) => a - b);
        console.log(
          `TIMING ${email} ${label}: median ${times[3]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times[6]!.toFixed(1)})`,
        );
      }
    }
  } finally {
    setDatabase(undefined);
    await handle.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
