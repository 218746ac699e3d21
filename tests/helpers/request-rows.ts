// What a test reads back about a request: its row, its timeline events, its access log, and how
// much mail is waiting. Shared by the hub and consent tests.
import { asc, count, eq } from "drizzle-orm";
import { getDb } from "@db/current";
import { mailOutbox, requestAccessLog, requestEvents, supportRequests } from "@db/schema";

export async function rowOf(reference: string) {
  const [row] = await getDb().select().from(supportRequests).where(eq(supportRequests.reference, reference));
  return row;
}

export async function eventsOf(requestId: number) {
  return getDb()
    .select()
    .from(requestEvents)
    .where(eq(requestEvents.requestId, requestId))
    .orderBy(asc(requestEvents.id));
}

export async function accessOf(requestId: number) {
  return getDb()
    .select()
    .from(requestAccessLog)
    .where(eq(requestAccessLog.requestId, requestId))
    .orderBy(asc(requestAccessLog.id));
}

export async function mailCount() {
  const [{ n }] = await getDb().select({ n: count() }).from(mailOutbox);
  return Number(n);
}
