// npx tsx scripts/measure-my-work.ts — a fresh in-memory database with the demo seed (as `npm start`
// seeds it), then coordinator@icb's "My work (n new)" count and the composition of page 1, and
// whether a reply the person sends now is the first row (docs/decisions/018-unseen-activity.md).
import { eq } from "drizzle-orm";
import { openDatabase } from "../db/client";
import { setDatabase } from "../db/current";
import { supportRequests, users } from "../db/schema";
import { seedDemoData } from "../db/seed";
import { countMyNewActivity, listHubQueue } from "../app/.server/models/hub-queue.server";
import { replyToMyRequest } from "../app/.server/models/requests.server";
import type { CurrentUser } from "../app/.server/auth/types";

async function main() {
  const handle = await openDatabase({});
  setDatabase(handle);
  await handle.migrate();
  const now = new Date();
  await seedDemoData(handle.db, { now });
  const asUser = async (email: string) => {
    const [u] = await handle.db.select().from(users).where(eq(users.email, email));
    return { ...u!, id: u!.id } as unknown as CurrentUser;
  };
  for (const email of ["coordinator@icb.staywell.test", "psych.coordinator@icb.staywell.test"]) {
    const me = await asUser(email);
    const count = await countMyNewActivity(me);
    const page = await listHubQueue(me, {
      status: "open",
      assignee: "anyone",
      overdue: false,
      urgent: false,
      view: "mine",
    });
    const newRows = page.items.filter((i) => i.newActivity);
    const byStatus: Record<string, number> = {};
    for (const i of newRows) byStatus[i.status] = (byStatus[i.status] ?? 0) + 1;
    console.log(
      `${email}: My work (${count} new); page 1: ${page.items.length} rows, ${newRows.length} marked New reply ${JSON.stringify(byStatus)}`,
    );
    for (const i of page.items.slice(0, 6))
      console.log(
        `  ${i.reference} ${i.status} ${i.newActivity ? "NEW" : "   "} last updated ${i.lastUpdatedAt.toISOString()}`,
      );
  }
  // A reply now, on the coordinator's oldest open request without new activity.
  const me = await asUser("coordinator@icb.staywell.test");
  const page = await listHubQueue(me, {
    status: "open",
    assignee: "anyone",
    overdue: false,
    urgent: false,
    view: "mine",
  });
  const target =
    page.items.find((i) => !i.newActivity && i.status === "in_progress") ?? page.items.find((i) => !i.newActivity)!;
  const [req] = await handle.db
    .select({ requesterId: supportRequests.requesterId })
    .from(supportRequests)
    .where(eq(supportRequests.reference, target.reference));
  const [person] = await handle.db.select().from(users).where(eq(users.id, req!.requesterId));
  await replyToMyRequest(
    { ...person! } as unknown as CurrentUser,
    target.reference,
    { message: "A reply sent now" },
    new Date(),
  );
  const after = await listHubQueue(me, {
    status: "open",
    assignee: "anyone",
    overdue: false,
    urgent: false,
    view: "mine",
  });
  console.log(
    `reply now on ${target.reference}: first row of My work is ${after.items[0]?.reference} (${after.items[0]?.reference === target.reference ? "yes" : "NO"}); count ${await countMyNewActivity(me)}`,
  );
  await handle.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
