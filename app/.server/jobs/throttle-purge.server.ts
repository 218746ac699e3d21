// The daily purge of sign-in and sign-up throttling rows (ADR 017): rows older than
// RETENTION_HOURS are no longer in any window, and are personal data (an address hash and a client
// address) kept no longer than needed. Once per London day across instances: the run is claimed in
// job_runs in the same transaction as the delete (a failed delete gives the claim back).
import { getDb } from "@db/current";
import { jobRuns } from "@db/schema";
import { londonDate } from "~/lib/working-days";
import { purgeThrottleEvents } from "../models/auth-throttle.server";

export const THROTTLE_PURGE_JOB = "auth-throttle-purge";

/** Deletes old throttle rows unless today's purge has run; the number deleted, or null if it had run. */
export async function purgeThrottleEventsOnceToday(now = new Date()): Promise<number | null> {
  return getDb().transaction(async (tx) => {
    const [claim] = await tx
      .insert(jobRuns)
      .values({ name: THROTTLE_PURGE_JOB, runKey: londonDate(now), startedAt: now })
      .onConflictDoNothing()
      .returning({ runKey: jobRuns.runKey });
    if (!claim) return null;
    return purgeThrottleEvents(now, tx);
  });
}
