// The mail outbox: a message is a row written in the same transaction as the change it reports,
// so it is never lost and never sent for a change that rolled back. Workers on any instance claim
// due rows with FOR UPDATE SKIP LOCKED, send them, and retry failures with backoff.
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Database } from "@db/client";
import { getDb } from "@db/current";
import { mailOutbox } from "@db/schema";
import { log } from "../log.server";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

type Tx = Pick<Database, "insert">;

export async function enqueueMail(tx: Tx, message: MailMessage) {
  // Due from the app's clock, as the worker compares it (`now` in deliverDueMail), not the
  // database's: now() has microseconds, so a message enqueued in the same millisecond as a
  // worker's `now` looked not yet due and waited for the next run.
  await tx
    .insert(mailOutbox)
    .values({ toAddress: message.to, subject: message.subject, textBody: message.text, nextAttemptAt: new Date() });
}

export type Transport = (message: MailMessage) => Promise<void>;

export const MAX_ATTEMPTS = 8;

/** Minutes to wait after the nth failure: 1, 2, 4, 8 … capped at 6 hours. */
export function backoffMinutes(attempts: number) {
  return Math.min(2 ** Math.max(0, attempts - 1), 360);
}

/**
 * Sends up to `limit` due messages. Each row is claimed inside a transaction with
 * FOR UPDATE SKIP LOCKED, so two instances never send the same message.
 */
export async function deliverDueMail(transport: Transport, limit = 10, now = new Date()): Promise<{ sent: number; failed: number }> {
  const db = getDb();
  let sent = 0;
  let failed = 0;
  for (let i = 0; i < limit; i++) {
    const outcome = await db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(mailOutbox)
        .where(and(eq(mailOutbox.status, "pending"), lte(mailOutbox.nextAttemptAt, now)))
        .orderBy(asc(mailOutbox.nextAttemptAt), asc(mailOutbox.id))
        .limit(1)
        .for("update", { skipLocked: true });
      if (!row) return "none" as const;
      try {
        await transport({ to: row.toAddress, subject: row.subject, text: row.textBody });
        await tx
          .update(mailOutbox)
          .set({ status: "sent", sentAt: now, attempts: row.attempts + 1, lastError: null })
          .where(eq(mailOutbox.id, row.id));
        log.debug({ job: "mail", mailId: row.id, attempts: row.attempts + 1 }, "mail sent");
        return "sent" as const;
      } catch (err) {
        const attempts = row.attempts + 1;
        log.warn({ err, job: "mail", mailId: row.id, attempts, gaveUp: attempts >= MAX_ATTEMPTS }, "mail delivery failed");
        await tx
          .update(mailOutbox)
          .set({
            attempts,
            status: attempts >= MAX_ATTEMPTS ? "failed" : "pending",
            lastError: String((err as Error)?.message ?? err).slice(0, 500),
            nextAttemptAt: new Date(now.getTime() + backoffMinutes(attempts) * 60_000),
          })
          .where(eq(mailOutbox.id, row.id));
        return "failed" as const;
      }
    });
    if (outcome === "none") break;
    if (outcome === "sent") sent++;
    else failed++;
  }
  return { sent, failed };
}

/** Counts by status, for /healthz. */
export async function outboxSummary() {
  const rows = await getDb()
    .select({ status: mailOutbox.status, count: sql<number>`count(*)::int` })
    .from(mailOutbox)
    .where(inArray(mailOutbox.status, ["pending", "failed"]))
    .groupBy(mailOutbox.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.count])) as Partial<Record<"pending" | "failed", number>>;
}
