// The mail outbox: a message is a row written in the same transaction as the change it reports,
// so it is never lost and never sent for a change that rolled back.
//
// Delivery (any instance may run it; docs/decisions/015-production-migrations.md):
// 1. claim: one short statement (its own transaction) picks a due row with FOR UPDATE SKIP LOCKED
//    and writes a lease on it (claimed_by = a fresh token, claimed_until = now + LEASE_MS), then
//    commits. No lock or transaction is held after it.
// 2. send: the transport (SMTP) runs outside any transaction.
// 3. record: another short statement marks the row sent, or records the failure and the next
//    attempt (capped exponential backoff), or "failed" once it has been failing for RETRY_FOR_MS.
// A lease that expires (the process died, or hung past LEASE_MS) makes the row claimable again by
// any instance. So delivery is exactly once unless a process dies between the SMTP server
// accepting a message and step 3: then it is sent again after the lease expires (at least once).
// An administrator can put a failed message back to pending (/admin/mail, "Send again").
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { and, asc, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import type { DatabaseOrTx } from "@db/client";
import { getDb } from "@db/current";
import { queryRows } from "@db/query";
import { mailOutbox, passwordResetRequests, users } from "@db/schema";
import { log } from "../log.server";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /**
   * The address is being erased (ADR 030): once the message is sent, or given up, its address and
   * text are blanked at once, so the outbox keeps nothing that leads back to the person.
   */
  eraseAfterSend?: boolean;
  /** The account it is about, when `to` is no longer (or not yet) that account's address. */
  userId?: string;
}

/** What an erased recipient's address becomes in the outbox once its message has gone. */
export const ERASED_RECIPIENT = "[deleted account]";

export async function enqueueMail(tx: DatabaseOrTx, message: MailMessage) {
  // Due from the app's clock, as the worker compares it (`now` in deliverDueMail), not the
  // database's: now() has microseconds, so a message enqueued in the same millisecond as a
  // worker's `now` looked not yet due and waited for the next run.
  // Whose address it is now: an erasure after a change of address still finds this mail.
  const userId =
    message.userId ??
    (await tx.select({ id: users.id }).from(users).where(eq(users.email, message.to.trim().toLowerCase())).limit(1))[0]
      ?.id ??
    null;
  await tx.insert(mailOutbox).values({
    toAddress: message.to,
    subject: message.subject,
    textBody: message.text,
    nextAttemptAt: new Date(),
    eraseAfterSend: message.eraseAfterSend ?? false,
    userId,
  });
}

export type Transport = (message: MailMessage) => Promise<void>;

/** How long a claim lasts. Longer than a send can take (the SMTP transport times out within 2 minutes). */
export const LEASE_MS = 5 * 60_000;
/** How long a failing message is retried, from its first failure, before it is marked "failed". */
export const RETRY_FOR_MS = 24 * 60 * 60_000;
/** The longest wait between two attempts. */
export const BACKOFF_CAP_MINUTES = 60;

/** Minutes to wait after the nth failure: 1, 2, 4, 8 … capped at BACKOFF_CAP_MINUTES (an hour). */
export function backoffMinutes(attempts: number) {
  return Math.min(2 ** Math.max(0, attempts - 1), BACKOFF_CAP_MINUTES);
}

/** This process, in claim tokens and logs. */
const WORKER = `${hostname()}:${process.pid}`;

export type ClaimedMail = Pick<
  typeof mailOutbox.$inferSelect,
  "id" | "toAddress" | "subject" | "textBody" | "attempts" | "firstFailedAt" | "claimedBy" | "claimedUntil"
>;

/** A pending message whose next attempt is due and whose lease (if any) has run out. */
function dueNow(now: Date) {
  return and(
    eq(mailOutbox.status, "pending"),
    lte(mailOutbox.nextAttemptAt, now),
    or(isNull(mailOutbox.claimedUntil), lte(mailOutbox.claimedUntil, now)),
  );
}

/**
 * Whether the mail worker has anything to do (server.ts, every second): a "forgot your password?"
 * ask waiting (handlePasswordResetRequests), or a message due (what claimNextMail would claim).
 * One statement and no transaction, where an idle round took four (BEGIN, the asks FOR UPDATE,
 * COMMIT, the claim): the round is skipped when both are false. Something that arrives just after
 * the check waits for the next round, as it would have arrived just after those statements.
 */
export async function mailWorkWaiting(now = new Date()): Promise<{ resetAsks: boolean; dueMail: boolean }> {
  const [row] = await queryRows<{ resetAsks: boolean; dueMail: boolean }>(
    getDb(),
    sql`select exists (select 1 from ${passwordResetRequests}) as "resetAsks",
      exists (select 1 from ${mailOutbox} where ${dueNow(now)}) as "dueMail"`,
  );
  return { resetAsks: row?.resetAsks === true, dueMail: row?.dueMail === true };
}

/**
 * Claims the next due message, or returns undefined. One statement, so the row lock it takes lasts
 * only until it commits; afterwards the lease (claimed_by, claimed_until) keeps other workers off.
 */
export async function claimNextMail(
  now = new Date(),
  token = `${WORKER}:${randomUUID()}`,
): Promise<ClaimedMail | undefined> {
  const db = getDb();
  const due = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(dueNow(now))
    .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
    .limit(1)
    .for("update", { skipLocked: true });
  const [row] = await db
    .update(mailOutbox)
    .set({ claimedBy: token, claimedUntil: new Date(now.getTime() + LEASE_MS) })
    // `id = (scalar subquery)`, not `id IN (subquery)`: the planner may run an IN subquery once per
    // candidate row (a semi-join), and with SKIP LOCKED and LIMIT 1 each run can pick a different
    // row, so one claim took several rows and returned one (seen on PGlite once mail_outbox gained
    // an index). A scalar subquery is evaluated once.
    .where(and(eq(mailOutbox.id, sql`(${due})`), eq(mailOutbox.status, "pending")))
    .returning({
      id: mailOutbox.id,
      toAddress: mailOutbox.toAddress,
      subject: mailOutbox.subject,
      textBody: mailOutbox.textBody,
      attempts: mailOutbox.attempts,
      firstFailedAt: mailOutbox.firstFailedAt,
      claimedBy: mailOutbox.claimedBy,
      claimedUntil: mailOutbox.claimedUntil,
    });
  return row;
}

/** For a message marked eraseAfterSend: the address and text blanked (others keep theirs). */
const forgetErasedRecipient = {
  toAddress: sql<string>`case when ${mailOutbox.eraseAfterSend} then ${ERASED_RECIPIENT} else ${mailOutbox.toAddress} end`,
  textBody: sql<string>`case when ${mailOutbox.eraseAfterSend} then '' else ${mailOutbox.textBody} end`,
};

/** Records a claimed message as sent (one statement). False if the lease was lost (still recorded). */
async function markSent(row: ClaimedMail, now: Date): Promise<boolean> {
  const db = getDb();
  const done = {
    status: "sent" as const,
    sentAt: now,
    attempts: row.attempts + 1,
    lastError: null,
    claimedBy: null,
    claimedUntil: null,
    ...forgetErasedRecipient,
  };
  const mine = await db
    .update(mailOutbox)
    .set(done)
    .where(and(eq(mailOutbox.id, row.id), eq(mailOutbox.claimedBy, row.claimedBy!)))
    .returning({ id: mailOutbox.id });
  if (mine.length) return true;
  // Our lease expired and another worker claimed the row (it may be sending it too): it was
  // delivered, so say so, or it would be sent yet again.
  await db
    .update(mailOutbox)
    .set(done)
    .where(and(eq(mailOutbox.id, row.id), eq(mailOutbox.status, "pending")));
  return false;
}

/** Records a failed attempt: the next try after the backoff, or "failed" after RETRY_FOR_MS of failures. */
async function markFailed(row: ClaimedMail, err: unknown, now: Date): Promise<"retry" | "failed"> {
  const attempts = row.attempts + 1;
  const firstFailedAt = row.firstFailedAt ?? now;
  const giveUpAt = firstFailedAt.getTime() + RETRY_FOR_MS;
  const failed = now.getTime() >= giveUpAt;
  await getDb()
    .update(mailOutbox)
    .set({
      attempts,
      firstFailedAt,
      status: failed ? "failed" : "pending",
      failedAt: failed ? now : null,
      lastError: errorText(err),
      // A message to an erased address is never sent again: nothing of it is kept.
      ...(failed ? forgetErasedRecipient : {}),
      // The last retry lands exactly when the day is up, so a message is never failed much later.
      nextAttemptAt: failed ? now : new Date(Math.min(now.getTime() + backoffMinutes(attempts) * 60_000, giveUpAt)),
      claimedBy: null,
      claimedUntil: null,
    })
    .where(and(eq(mailOutbox.id, row.id), eq(mailOutbox.claimedBy, row.claimedBy!)));
  return failed ? "failed" : "retry";
}

function errorText(err: unknown): string {
  const e = err as { message?: unknown; responseCode?: unknown; code?: unknown } | null;
  const message = typeof e?.message === "string" ? e.message : String(err);
  const code =
    typeof e?.responseCode === "number" ? `${e.responseCode} ` : typeof e?.code === "string" ? `${e.code} ` : "";
  return `${message.startsWith(code.trim()) ? "" : code}${message}`.slice(0, 500);
}

export interface DeliveryResult {
  sent: number;
  /** Attempts that failed (retried later, or given up). */
  failed: number;
  /** Of those, the messages that became "failed" (given up after a day of retries). */
  gaveUp: number;
}

/**
 * Sends up to `limit` due messages, one claim at a time, with no transaction or row lock held while
 * the transport runs. `at` fixes the time claims and backoffs are reckoned from (tests); without
 * it each step reads the clock, so a slow send does not shorten the next message's lease.
 */
export async function deliverDueMail(transport: Transport, limit = 10, at?: Date): Promise<DeliveryResult> {
  const result: DeliveryResult = { sent: 0, failed: 0, gaveUp: 0 };
  for (let i = 0; i < limit; i++) {
    const row = await claimNextMail(at ?? new Date());
    if (!row) break;
    try {
      await transport({ to: row.toAddress, subject: row.subject, text: row.textBody });
    } catch (err) {
      result.failed++;
      if ((await markFailed(row, err, at ?? new Date())) === "failed") {
        result.gaveUp++;
        // The id only: the address and the error stay in the row, for /admin/mail.
        log.error(
          { job: "mail", mailId: row.id },
          "mail failed after a day of retries; an administrator can send it again at /admin/mail",
        );
      } else {
        log.warn({ err, job: "mail", mailId: row.id, attempts: row.attempts + 1 }, "mail delivery failed; will retry");
      }
      continue;
    }
    if (!(await markSent(row, at ?? new Date())))
      log.warn({ job: "mail", mailId: row.id }, "the lease ran out while sending; recorded as sent");
    else log.debug({ job: "mail", mailId: row.id, attempts: row.attempts + 1 }, "mail sent");
    result.sent++;
  }
  return result;
}

/** Counts by status, for /healthz (administrators only). */
export async function outboxSummary() {
  const rows = await getDb()
    .select({ status: mailOutbox.status, count: sql<number>`count(*)::int` })
    .from(mailOutbox)
    .where(inArray(mailOutbox.status, ["pending", "failed"]))
    .groupBy(mailOutbox.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.count])) as Partial<Record<"pending" | "failed", number>>;
}
