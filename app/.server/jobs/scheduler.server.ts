// Jobs that run on a schedule. server.ts calls runScheduledJobs() every minute on every instance;
// each job makes sure for itself that it runs once (see digest.server.ts).
import { and, eq } from "drizzle-orm";
import { getDb } from "@db/current";
import { jobRuns } from "@db/schema";
import { TIME_ZONE, londonDate } from "~/lib/working-days";
import { DIGEST_JOB, sendDailyDigests, type DigestRun } from "./digest.server";

/** The daily digest goes out from this London hour (07:00) onwards. */
export const DIGEST_HOUR = 7;

const hourFormat = new Intl.DateTimeFormat("en-GB", { timeZone: TIME_ZONE, hour: "2-digit", hourCycle: "h23" });

/** The hour (0–23) on a London clock at `now`. */
export function londonHour(now: Date): number {
  const hour = hourFormat.formatToParts(now).find((p) => p.type === "hour")?.value;
  return Number(hour);
}

export interface ScheduledRun {
  digest: DigestRun | null;
}

/**
 * Runs whatever is due at `now`: the daily digest once the London clock reads 07:00 or later and
 * today's run has not been claimed. Cheap when there is nothing to do (one indexed lookup).
 */
export async function runScheduledJobs(now = new Date()): Promise<ScheduledRun> {
  if (londonHour(now) < DIGEST_HOUR) return { digest: null };
  const runKey = londonDate(now);
  const [done] = await getDb()
    .select({ runKey: jobRuns.runKey })
    .from(jobRuns)
    .where(and(eq(jobRuns.name, DIGEST_JOB), eq(jobRuns.runKey, runKey)))
    .limit(1);
  if (done) return { digest: null };
  return { digest: await sendDailyDigests(now) };
}
