// Mail that could not be sent (/admin/mail): messages the outbox gave up on after a day of retries
// (app/.server/mail/outbox.server.ts), and "Send again", which puts one back to pending. Bodies are
// never read here: a confidential message's text stays in the outbox row only (ADR 010); subjects
// are content-free by design, and administrators may see recipients.
import { and, count, desc, eq, gte, lt } from "drizzle-orm";
import { getDb } from "@db/current";
import { adminAudit, mailOutbox } from "@db/schema";
import type { CurrentUser } from "../../auth/types";
import { AdminError, assertAdmin, recordAdminChange } from "./common.server";

export const FAILED_MAIL_PAGE_SIZE = 25;

export interface FailedMail {
  id: number;
  to: string;
  subject: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
  failedAt: Date | null;
}

const FAILED_COLUMNS = {
  id: mailOutbox.id,
  to: mailOutbox.toAddress,
  subject: mailOutbox.subject,
  attempts: mailOutbox.attempts,
  lastError: mailOutbox.lastError,
  createdAt: mailOutbox.createdAt,
  failedAt: mailOutbox.failedAt,
};

/** A message id from a form or URL: a positive whole number, else null. */
export function parseMailId(value: unknown): number | null {
  if (typeof value !== "string" || !/^[1-9]\d{0,9}$/.test(value)) return null;
  const id = Number(value);
  return id <= 2_147_483_647 ? id : null;
}

/**
 * Failed messages, newest first, FAILED_MAIL_PAGE_SIZE a page by keyset on id (`before` = the
 * last id of the previous page). Index: mail_outbox_failed_idx (id) where status = 'failed'.
 */
export async function listFailedMail(caller: CurrentUser, options: { before?: number | null } = {}) {
  assertAdmin(caller);
  const db = getDb();
  const failed = eq(mailOutbox.status, "failed");
  const [items, [{ total }]] = await Promise.all([
    db
      .select(FAILED_COLUMNS)
      .from(mailOutbox)
      .where(options.before ? and(failed, lt(mailOutbox.id, options.before)) : failed)
      .orderBy(desc(mailOutbox.id))
      .limit(FAILED_MAIL_PAGE_SIZE + 1),
    db.select({ total: count() }).from(mailOutbox).where(failed),
  ]);
  const more = items.length > FAILED_MAIL_PAGE_SIZE;
  const page: FailedMail[] = items.slice(0, FAILED_MAIL_PAGE_SIZE);
  return { items: page, total, nextBefore: more ? page[page.length - 1]!.id : null };
}

/** How many messages have failed (the /admin overview's notice). */
export async function countFailedMail(caller: CurrentUser): Promise<number> {
  assertAdmin(caller);
  const [{ total }] = await getDb().select({ total: count() }).from(mailOutbox).where(eq(mailOutbox.status, "failed"));
  return total;
}

/**
 * Puts a failed message back to pending, due now, with a fresh day of retries; recorded in the
 * admin audit in the same transaction. Refused (conflict) if it is no longer failed.
 */
export async function sendFailedMailAgain(caller: CurrentUser, rawId: unknown, now = new Date()): Promise<FailedMail> {
  assertAdmin(caller);
  const id = parseMailId(rawId);
  if (id === null) throw new AdminError("not_found", "There is no such message.");
  return getDb().transaction(async (tx) => {
    const [before] = await tx.select(FAILED_COLUMNS).from(mailOutbox).where(eq(mailOutbox.id, id)).for("update");
    if (!before) throw new AdminError("not_found", "There is no such message.");
    const [current] = await tx
      .update(mailOutbox)
      .set({
        status: "pending",
        attempts: 0,
        nextAttemptAt: now,
        firstFailedAt: null,
        failedAt: null,
        lastError: null,
        claimedBy: null,
        claimedUntil: null,
      })
      .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, "failed")))
      .returning({ id: mailOutbox.id });
    if (!current)
      throw new AdminError(
        "conflict",
        "This message is no longer in the failed list: someone has already sent it again.",
      );
    await recordAdminChange(
      tx,
      caller,
      {
        entity: "mail",
        entityId: id,
        action: "sent_again",
        summary: `Sent again a message to ${before.to}: “${before.subject}”`,
        before: { status: "failed", attempts: before.attempts, lastError: before.lastError },
        after: { status: "pending" },
      },
      now,
    );
    return before;
  });
}

/** How long after "Send again" the confirmation banner may still show. */
export const SENT_AGAIN_BANNER_MINUTES = 10;

/**
 * Whether the caller really sent this message again in the last few minutes (the audit says so).
 * The confirmation banner after "Send again" is driven by `?again=<id>` in the URL; without this
 * check anyone could send an administrator a link that falsely says a message is on its way.
 * Index: admin_audit_entity_idx (entity, entity_id, created_at).
 */
export async function callerSentMailAgain(caller: CurrentUser, mailId: number, now = new Date()): Promise<boolean> {
  assertAdmin(caller);
  const since = new Date(now.getTime() - SENT_AGAIN_BANNER_MINUTES * 60_000);
  const [row] = await getDb()
    .select({ id: adminAudit.id })
    .from(adminAudit)
    .where(
      and(
        eq(adminAudit.entity, "mail"),
        eq(adminAudit.entityId, String(mailId)),
        gte(adminAudit.createdAt, since),
        eq(adminAudit.action, "sent_again"),
        eq(adminAudit.actorId, caller.id),
      ),
    )
    .limit(1);
  return row !== undefined;
}
