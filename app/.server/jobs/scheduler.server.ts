// Jobs that run on a schedule. server.ts calls runScheduledJobs() every minute on every instance;
// each job makes sure for itself that it runs once (see digest.server.ts).
import { and, eq } from "drizzle-orm";
import { getDb } from "@db/current";
import { jobRuns } from "@db/schema";
import { TIME_ZONE, londonDate } from "~/lib/working-days";
import { CHECK_IN_JOB, sendDueCheckIns, type CheckInRun } from "./check-ins.server";
import { DIGEST_JOB, sendDailyDigests, type DigestRun } from "./digest.server";
import { RETENTION_HOUR, RETENTION_JOB, runRetentionOnceToday, type RetentionRun } from "./retention.server";
import { purgeThrottleEventsOnceToday, THROTTLE_PURGE_JOB } from "./throttle-purge.server";
import { log } from "../log.server";
import {
  ACCESS_REQUEST_MAIL_JOB,
  accessRequestMailRanThisHour,
  sendAccessRequestMail,
} from "./access-request-mail.server";
import {
  RESERVIST_REMINDER_JOB,
  reservistRemindersRanToday,
  sendReservistReminders,
} from "../models/reservists.server";

/** Reservists are reminded to confirm their profile (ADR 040) from this London hour (09:00). */
export const RESERVIST_REMINDER_HOUR = 9;

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
  /** Sign-in throttling rows deleted by today's purge (first run of each London day), else null. */
  purged: number | null;
  /** Today's retention run (ADR 031) when this check started it, else null. */
  retention: RetentionRun | null;
  /** First-year check-ins created and mailed by this check (ADR 039), null if it failed. */
  checkIns: CheckInRun | null;
  /** Reservists reminded to confirm their profile by today's run when this check ran it, else null. */
  reservistReminders?: number | null;
}

/**
 * Runs whatever is due at `now`: the throttle purge at the first check of each London day, the
 * retention job (ADR 031) once the London clock reads 02:00 or later, and the daily digest once it
 * reads 07:00 or later, each only if today's run has not been claimed. Cheap when there is nothing
 * to do (four indexed lookups). First-year check-ins that have fallen due are sent at every check
 * (each is claimed by its own row, ADR 039). A failed job does not stop the others.
 */
export async function runScheduledJobs(now = new Date()): Promise<ScheduledRun> {
  const checkIns = await sendDueCheckIns(now).catch((err) => {
    log.error({ err, job: CHECK_IN_JOB }, "first-year check-ins failed");
    return null;
  });
  const purged = await runPurgeIfDue(now).catch((err) => {
    log.error({ err, job: THROTTLE_PURGE_JOB }, "sign-in throttle purge failed");
    return null;
  });
  // Requests for access: administrators' hourly mail and expiry notices (claimed once an hour).
  if (!(await accessRequestMailRanThisHour(now).catch(() => true))) {
    await sendAccessRequestMail(now).catch((err) => {
      log.error({ err, job: ACCESS_REQUEST_MAIL_JOB }, "access request mail failed");
      return null;
    });
  }
  const retention =
    londonHour(now) < RETENTION_HOUR || (await ranToday(RETENTION_JOB, now))
      ? null
      : await runRetentionOnceToday(now).catch((err) => {
          log.error({ err, job: RETENTION_JOB }, "retention job failed");
          return null;
        });
  const reservistReminders =
    londonHour(now) < RESERVIST_REMINDER_HOUR || (await reservistRemindersRanToday(now))
      ? null
      : await sendReservistReminders(now).catch((err) => {
          log.error({ err, job: RESERVIST_REMINDER_JOB }, "reservist reminder job failed");
          return null;
        });
  if (londonHour(now) < DIGEST_HOUR) return { digest: null, purged, retention, checkIns, reservistReminders };
  if (await ranToday(DIGEST_JOB, now)) return { digest: null, purged, retention, checkIns, reservistReminders };
  return { digest: await sendDailyDigests(now), purged, retention, checkIns, reservistReminders };
}

/** Whether `job` has been claimed for the London day of `now` (one primary-key lookup). */
async function ranToday(job: string, now: Date): Promise<boolean> {
  const [done] = await getDb()
    .select({ runKey: jobRuns.runKey })
    .from(jobRuns)
    .where(and(eq(jobRuns.name, job), eq(jobRuns.runKey, londonDate(now))))
    .limit(1);
  return done !== undefined;
}

/** The throttle purge (ADR 017), at the first check of each London day; one indexed lookup otherwise. */
async function runPurgeIfDue(now: Date) {
  const [done] = await getDb()
    .select({ runKey: jobRuns.runKey })
    .from(jobRuns)
    .where(and(eq(jobRuns.name, THROTTLE_PURGE_JOB), eq(jobRuns.runKey, londonDate(now))))
    .limit(1);
  return done ? null : purgeThrottleEventsOnceToday(now);
}
