// The mail outbox: delivered once; claimed with a lease in a short transaction, sent with no
// transaction or row lock held, recorded in another; an expired lease is claimed again; failures
// retried with capped exponential backoff for a day, then "failed"; never sent twice by two
// workers at once. On PGlite and (TEST_DATABASE_URL) PostgreSQL.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows, sql } from "@db/client";
import { getDb } from "@db/current";
import { mailOutbox } from "@db/schema";
import {
  BACKOFF_CAP_MINUTES,
  LEASE_MS,
  RETRY_FOR_MS,
  backoffMinutes,
  claimNextMail,
  deliverDueMail,
  enqueueMail,
  type MailMessage,
} from "~/.server/mail/outbox.server";
import { useTestDatabase } from "../helpers/test-db";

const database = useTestDatabase();
const MINUTE = 60_000;

async function clearOutbox() {
  await getDb().delete(mailOutbox);
}
async function onlyRow() {
  const rows = await getDb().select().from(mailOutbox);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}
const down = async () => {
  throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:25"), { code: "ECONNREFUSED" });
};

describe("mail outbox", () => {
  it("sends due messages once and marks them sent, leaving no lease behind", async () => {
    await clearOutbox();
    await enqueueMail(getDb(), { to: "a@x.test", subject: "One", text: "first" });
    await enqueueMail(getDb(), { to: "b@x.test", subject: "Two", text: "second" });
    const sent: MailMessage[] = [];
    const result = await deliverDueMail(async (m) => void sent.push(m));
    expect(result).toEqual({ sent: 2, failed: 0, gaveUp: 0 });
    expect(sent.map((m) => m.subject).sort()).toEqual(["One", "Two"]);
    expect(await deliverDueMail(async (m) => void sent.push(m))).toEqual({ sent: 0, failed: 0, gaveUp: 0 });
    const rows = await getDb().select().from(mailOutbox);
    expect(
      rows.every(
        (r) => r.status === "sent" && r.sentAt && r.attempts === 1 && r.claimedBy === null && r.claimedUntil === null,
      ),
    ).toBe(true);
  });

  it("holds no transaction or row lock while the transport sends", async () => {
    await clearOutbox();
    await enqueueMail(getDb(), { to: "lock@x.test", subject: "Lock check", text: "body" });
    const [{ id }] = await getDb().select({ id: mailOutbox.id }).from(mailOutbox);
    const observed: string[] = [];
    const checking = async () => {
      // From another pool connection (PostgreSQL), or the one connection (PGlite): a transaction
      // still open around the send would make NOWAIT fail (PostgreSQL: the row is locked) or make
      // this query wait for it to end (PGlite runs one transaction at a time).
      const query = queryRows<{ id: number }>(
        getDb(),
        sql`select id from mail_outbox where id = ${id} for update nowait`,
      );
      const timeout = new Promise<"timed out">((resolve) => setTimeout(() => resolve("timed out"), 3000));
      const outcome = await Promise.race([query.then((rows) => `locked ${rows.length} row`), timeout]).catch(
        (err: Error) => `error: ${err.message}`,
      );
      observed.push(outcome);
      if (database().kind === "postgres") {
        const [{ open }] = await queryRows<{ open: number }>(
          getDb(),
          sql`select count(*)::int as open from pg_stat_activity
              where datname = current_database() and pid <> pg_backend_pid() and state like 'idle in transaction%'`,
        );
        observed.push(`${open} idle in transaction`);
      }
      // The lease is already committed: another worker sees the row as taken.
      const [row] = await getDb().select().from(mailOutbox).where(eq(mailOutbox.id, id));
      observed.push(row!.claimedBy ? "leased" : "not leased");
    };
    expect(await deliverDueMail(checking)).toEqual({ sent: 1, failed: 0, gaveUp: 0 });
    expect(observed).toEqual(
      database().kind === "postgres" ? ["locked 1 row", "0 idle in transaction", "leased"] : ["locked 1 row", "leased"],
    );
  });

  it("claims with a lease: a claimed row is left alone until the lease expires, then claimed again and sent once", async () => {
    await clearOutbox();
    await enqueueMail(getDb(), { to: "lease@x.test", subject: "Leased", text: "body" });
    const t0 = new Date(Date.now() + 1000);
    // A worker claims the row and dies before sending.
    const claimed = await claimNextMail(t0, "dead-worker:1");
    expect(claimed?.subject).toBe("Leased");
    let row = await onlyRow();
    expect(row.claimedBy).toBe("dead-worker:1");
    expect(row.claimedUntil?.getTime()).toBe(t0.getTime() + LEASE_MS);
    const sent: string[] = [];
    const transport = async (m: MailMessage) => void sent.push(m.to);
    // While the lease lasts nobody else takes it.
    expect(await claimNextMail(new Date(t0.getTime() + LEASE_MS - 1), "other:2")).toBeUndefined();
    expect(await deliverDueMail(transport, 10, new Date(t0.getTime() + MINUTE))).toEqual({
      sent: 0,
      failed: 0,
      gaveUp: 0,
    });
    // Once it has expired, another instance claims and sends it.
    expect(await deliverDueMail(transport, 10, new Date(t0.getTime() + LEASE_MS))).toEqual({
      sent: 1,
      failed: 0,
      gaveUp: 0,
    });
    expect(sent).toEqual(["lease@x.test"]);
    row = await onlyRow();
    expect(row.status).toBe("sent");
    expect(row.claimedBy).toBeNull();
    // And it is not sent again.
    expect(await deliverDueMail(transport, 10, new Date(t0.getTime() + 2 * LEASE_MS))).toEqual({
      sent: 0,
      failed: 0,
      gaveUp: 0,
    });
  });

  it("records a send by a worker whose lease ran out, so the row is not sent yet again", async () => {
    await clearOutbox();
    await enqueueMail(getDb(), { to: "slow@x.test", subject: "Slow", text: "body" });
    const t0 = new Date(Date.now() + 1000);
    const sent: string[] = [];
    // The slow worker's transport takes longer than the lease; meanwhile another claims the row.
    const result = await deliverDueMail(
      async (m) => {
        expect(await claimNextMail(new Date(t0.getTime() + LEASE_MS), "other:3")).toBeDefined();
        sent.push(m.to);
      },
      1,
      t0,
    );
    expect(result.sent).toBe(1);
    const row = await onlyRow();
    expect(row.status).toBe("sent");
    // The other worker finds nothing to send.
    expect(
      await deliverDueMail(async (m) => void sent.push(m.to), 10, new Date(t0.getTime() + 3 * LEASE_MS)),
    ).toMatchObject({ sent: 0 });
    expect(sent).toEqual(["slow@x.test"]);
  });

  it("keeps a message when the mail server is down and retries it later with backoff", async () => {
    await clearOutbox();
    await enqueueMail(getDb(), { to: "c@x.test", subject: "Retry me", text: "body" });
    const t0 = new Date(Date.now() + 1000);
    expect(await deliverDueMail(down, 10, t0)).toEqual({ sent: 0, failed: 1, gaveUp: 0 });
    let row = await onlyRow();
    expect(row.status).toBe("pending");
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain("ECONNREFUSED");
    expect(row.firstFailedAt?.getTime()).toBe(t0.getTime());
    expect(row.claimedBy).toBeNull();
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + backoffMinutes(1) * MINUTE);

    // Not due yet: nothing is tried.
    expect(await deliverDueMail(down, 10, new Date(t0.getTime() + 30_000))).toEqual({ sent: 0, failed: 0, gaveUp: 0 });
    // Due again, still down: the wait doubles; the first failure time is kept.
    const t1 = new Date(t0.getTime() + MINUTE);
    expect(await deliverDueMail(down, 10, t1)).toEqual({ sent: 0, failed: 1, gaveUp: 0 });
    row = await onlyRow();
    expect(row.nextAttemptAt.getTime()).toBe(t1.getTime() + 2 * MINUTE);
    expect(row.firstFailedAt?.getTime()).toBe(t0.getTime());
    // Due again, and the server is back.
    const sent: MailMessage[] = [];
    expect(await deliverDueMail(async (m) => void sent.push(m), 10, new Date(t1.getTime() + 2 * MINUTE))).toEqual({
      sent: 1,
      failed: 0,
      gaveUp: 0,
    });
    row = await onlyRow();
    expect(row.status).toBe("sent");
    expect(sent[0]!.to).toBe("c@x.test");
  });

  it("retries a failing message for a day, an hour apart at most, then marks it failed and tries no more", async () => {
    await clearOutbox();
    await enqueueMail(getDb(), { to: "d@x.test", subject: "Doomed", text: "body" });
    const t0 = new Date(Date.now() + 1000);
    let now = t0;
    const gaps: number[] = [];
    let attempts = 0;
    let failedAttempts = 0;
    for (;;) {
      const r = await deliverDueMail(
        async () => {
          attempts++;
          throw Object.assign(new Error("450 mailbox busy"), { responseCode: 450 });
        },
        10,
        now,
      );
      expect(r.sent).toBe(0);
      failedAttempts += r.failed;
      const row = await onlyRow();
      if (row.status === "failed") {
        expect(r.gaveUp).toBe(1);
        break;
      }
      expect(row.status).toBe("pending");
      const gap = row.nextAttemptAt.getTime() - now.getTime();
      gaps.push(gap / MINUTE);
      now = row.nextAttemptAt;
      expect(attempts).toBeLessThan(100);
    }
    const row = await onlyRow();
    expect(attempts).toBe(failedAttempts);
    expect(row.attempts).toBe(attempts);
    expect(row.failedAt?.getTime()).toBe(t0.getTime() + RETRY_FOR_MS);
    expect(row.lastError).toBe("450 mailbox busy");
    // 1, 2, 4 … minutes, then hourly, the last retry exactly a day after the first failure.
    expect(gaps.slice(0, 7)).toEqual([1, 2, 4, 8, 16, 32, 60]);
    expect(Math.max(...gaps)).toBe(BACKOFF_CAP_MINUTES);
    expect(gaps.reduce((a, b) => a + b, 0)).toBe(RETRY_FOR_MS / MINUTE);
    expect(attempts).toBe(gaps.length + 1);
    // Never tried again by itself.
    expect(await deliverDueMail(down, 10, new Date(now.getTime() + 7 * RETRY_FOR_MS))).toEqual({
      sent: 0,
      failed: 0,
      gaveUp: 0,
    });
  });

  it("backs off exponentially up to an hour", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(backoffMinutes)).toEqual([1, 2, 4, 8, 16, 32, 60]);
    expect(backoffMinutes(20)).toBe(60);
    expect(backoffMinutes(2000)).toBe(60);
  });

  it("never sends one message twice when two workers run at once", async () => {
    await clearOutbox();
    for (let i = 0; i < 12; i++) await enqueueMail(getDb(), { to: `w${i}@x.test`, subject: `M${i}`, text: "body" });
    const seen: string[] = [];
    // A slow transport keeps each claim (the lease) open while the other worker looks for work.
    const slow = async (m: MailMessage) => {
      await new Promise((r) => setTimeout(r, 5));
      seen.push(m.subject);
    };
    const [a, b] = await Promise.all([deliverDueMail(slow, 20), deliverDueMail(slow, 20)]);
    expect(a.sent + b.sent).toBe(12);
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    const pending = await getDb().select().from(mailOutbox).where(eq(mailOutbox.status, "pending"));
    expect(pending).toHaveLength(0);
  });
});
