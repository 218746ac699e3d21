// Mail about requests for access (docs/decisions/027-joining.md; review of issue 12, finding 11),
// once an hour across instances (the hour is claimed in job_runs, in the same transaction as the
// mail and the marks, so a failed run gives its claim back):
// - each active administrator (those who can approve or decline) gets at most one mail an hour
//   saying how many new requests wait, with the link to the queue. The mail names nobody: the
//   requests' names and addresses stay in /admin. access_requests.admins_notified_at marks the
//   requests counted, so none is counted twice;
// - a person whose request expired unanswered (ACCESS_REQUEST_DAYS) is told once
//   (access_requests.expiry_notified_at), and can ask again.
import { and, eq, gt, isNull, lte } from "drizzle-orm";
import { getDb } from "@db/current";
import { accessRequests, jobRuns, users } from "@db/schema";
import { env } from "../env";
import { enqueueMail } from "../mail/outbox.server";
import { ACCESS_REQUEST_DAYS } from "~/schemas/joining";

export const ACCESS_REQUEST_MAIL_JOB = "access-request-mail";

/** The hour a run belongs to (UTC): "2026-11-30T05". */
export function hourKey(now: Date) {
  return now.toISOString().slice(0, 13);
}

/** Whether this hour's run has been claimed (one primary-key lookup). */
export async function accessRequestMailRanThisHour(now: Date) {
  const [done] = await getDb()
    .select({ runKey: jobRuns.runKey })
    .from(jobRuns)
    .where(and(eq(jobRuns.name, ACCESS_REQUEST_MAIL_JOB), eq(jobRuns.runKey, hourKey(now))))
    .limit(1);
  return done !== undefined;
}

export interface AccessRequestMailRun {
  newRequests: number;
  adminsMailed: number;
  expiredTold: number;
}

/** This hour's run, or null when another instance (or an earlier check) has claimed it. */
export async function sendAccessRequestMail(now = new Date()): Promise<AccessRequestMailRun | null> {
  const { APP_URL } = env();
  return getDb().transaction(async (tx) => {
    const [claim] = await tx
      .insert(jobRuns)
      .values({ name: ACCESS_REQUEST_MAIL_JOB, runKey: hourKey(now), startedAt: now })
      .onConflictDoNothing()
      .returning({ runKey: jobRuns.runKey });
    if (!claim) return null;

    // New requests still waiting (access_requests_status_created_idx: status first).
    const fresh = await tx
      .update(accessRequests)
      .set({ adminsNotifiedAt: now })
      .where(
        and(
          eq(accessRequests.status, "pending"),
          isNull(accessRequests.adminsNotifiedAt),
          gt(accessRequests.expiresAt, now),
        ),
      )
      .returning({ id: accessRequests.id });
    let adminsMailed = 0;
    if (fresh.length > 0) {
      const admins = await tx
        .select({ email: users.email, name: users.name })
        .from(users)
        .where(and(eq(users.role, "admin"), isNull(users.disabledAt), isNull(users.erasedAt)));
      const n = fresh.length;
      for (const admin of admins) {
        await enqueueMail(tx, {
          to: admin.email,
          subject: n === 1 ? "A new request for access to StayWell" : `${n} new requests for access to StayWell`,
          text: `Hello ${admin.name},\n\n${n === 1 ? "A new request for access is" : `${n} new requests for access are`} waiting for an administrator. Approve or decline ${n === 1 ? "it" : "them"} at:\n\n${APP_URL}/admin/access-requests\n\nA request expires after ${ACCESS_REQUEST_DAYS} days without an answer; the person is then told.\n\nYou get at most one of these emails an hour.`,
        });
        adminsMailed++;
      }
    }

    // Requests that expired unanswered: the person is told, once.
    const expired = await tx
      .update(accessRequests)
      .set({ expiryNotifiedAt: now })
      .where(
        and(
          eq(accessRequests.status, "pending"),
          lte(accessRequests.expiresAt, now),
          isNull(accessRequests.expiryNotifiedAt),
        ),
      )
      .returning({ email: accessRequests.email, name: accessRequests.name });
    for (const person of expired) {
      await enqueueMail(tx, {
        to: person.email,
        subject: "Your request for access to StayWell has expired",
        text: `Hello ${person.name},\n\nWe are sorry: nobody answered your request for access to StayWell within ${ACCESS_REQUEST_DAYS} days, so it has expired. Nothing is kept from it beyond what our retention schedule allows.\n\nYou can ask again at ${APP_URL}/request-access\n\nIf you did not ask for access, you can ignore this email.`,
      });
    }

    const run = { newRequests: fresh.length, adminsMailed, expiredTold: expired.length };
    await tx
      .update(jobRuns)
      .set({ finishedAt: new Date(), result: { ...run } })
      .where(and(eq(jobRuns.name, ACCESS_REQUEST_MAIL_JOB), eq(jobRuns.runKey, claim.runKey)));
    return run;
  });
}
