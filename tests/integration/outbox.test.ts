// The mail outbox: delivered once, retried with backoff when the transport fails, given up after
// MAX_ATTEMPTS, and never sent twice by two workers at once.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { mailOutbox } from "@db/schema";
import { backoffMinutes, deliverDueMail, enqueueMail, MAX_ATTEMPTS, type MailMessage } from "~/.server/mail/outbox.server";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

async function clearOutbox() {
  await getDb().delete(mailOutbox);
}

describe("mail outbox", () => {
  it("sends due messages once and marks them sent", async () => {
    await clearOutbox();
    await enqueueMail(getDb(), { to: "a@x.test", subject: "One", text: "first" });
    await enqueueMail(getDb(), { to: "b@x.test", subject: "Two", text: "second" });
    const sent: MailMessage[] = [];
    const result = await deliverDueMail(async (m) => void sent.push(m));
    expect(result).toEqual({ sent: 2, failed: 0 });
    expect(sent.map((m) => m.subject).sort()).toEqual(["One", "Two"]);
    expect(await deliverDueMail(async (m) => void sent.push(m))).toEqual({ sent: 0, failed: 0 });
    const rows = await getDb().select().from(mailOutbox);
    expect(rows.every((r) => r.status === "sent" && r.sentAt)).toBe(true);
  });

  it("keeps a message when the mail server is down and retries it later with backoff", async () => {
    await clearOutbox();
    await enqueueMail(getDb(), { to: "c@x.test", subject: "Retry me", text: "body" });
    const t0 = new Date();
    const down = async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:25");
    };
    expect(await deliverDueMail(down, 10, t0)).toEqual({ sent: 0, failed: 1 });
    let [row] = await getDb().select().from(mailOutbox);
    expect(row.status).toBe("pending");
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain("ECONNREFUSED");
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + backoffMinutes(1) * 60_000);

    // Not due yet: nothing is tried.
    expect(await deliverDueMail(down, 10, new Date(t0.getTime() + 30_000))).toEqual({ sent: 0, failed: 0 });
    // Due again, and the server is back.
    const sent: MailMessage[] = [];
    expect(await deliverDueMail(async (m) => void sent.push(m), 10, new Date(t0.getTime() + 61_000))).toEqual({ sent: 1, failed: 0 });
    [row] = await getDb().select().from(mailOutbox);
    expect(row.status).toBe("sent");
    expect(sent[0].to).toBe("c@x.test");
  });

  it("gives up after the last attempt and marks the message failed", async () => {
    await clearOutbox();
    await enqueueMail(getDb(), { to: "d@x.test", subject: "Doomed", text: "body" });
    await getDb().update(mailOutbox).set({ attempts: MAX_ATTEMPTS - 1 });
    await deliverDueMail(async () => {
      throw new Error("550 mailbox unavailable");
    });
    const [row] = await getDb().select().from(mailOutbox);
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(MAX_ATTEMPTS);
  });

  it("backs off exponentially up to six hours", () => {
    expect([1, 2, 3, 4].map(backoffMinutes)).toEqual([1, 2, 4, 8]);
    expect(backoffMinutes(20)).toBe(360);
  });

  it("never sends one message twice when two workers run at once", async () => {
    await clearOutbox();
    for (let i = 0; i < 12; i++) await enqueueMail(getDb(), { to: `w${i}@x.test`, subject: `M${i}`, text: "body" });
    const seen: string[] = [];
    // A slow transport keeps each claim (row lock) open while the other worker looks for work.
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
