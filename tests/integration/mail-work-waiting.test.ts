// The mail worker's idle check (server.ts, every second): mailWorkWaiting says whether a "forgot
// your password?" ask is waiting or a message is due, exactly when handlePasswordResetRequests or
// claimNextMail would find one. On PGlite and (TEST_DATABASE_URL) PostgreSQL.
import { describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { mailOutbox, passwordResetRequests } from "@db/schema";
import { LEASE_MS, claimNextMail, deliverDueMail, enqueueMail, mailWorkWaiting } from "~/.server/mail/outbox.server";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();
const MINUTE = 60_000;

describe("mailWorkWaiting", () => {
  it("is false with nothing waiting, true for an ask until it is handled", async () => {
    expect(await mailWorkWaiting()).toEqual({ resetAsks: false, dueMail: false });
    await getDb().insert(passwordResetRequests).values({ email: "nobody@x.test", createdAt: new Date() });
    expect(await mailWorkWaiting()).toEqual({ resetAsks: true, dueMail: false });
    await getDb().delete(passwordResetRequests);
    expect(await mailWorkWaiting()).toEqual({ resetAsks: false, dueMail: false });
  });

  it("finds a message when claimNextMail would claim it: due, not leased, not sent", async () => {
    await enqueueMail(getDb(), { to: "a@x.test", subject: "One", text: "first" });
    const now = new Date();
    expect(await mailWorkWaiting(now)).toEqual({ resetAsks: false, dueMail: true });
    // Not due yet (a retry's backoff): nothing to do.
    await getDb()
      .update(mailOutbox)
      .set({ nextAttemptAt: new Date(now.getTime() + 5 * MINUTE) });
    expect((await mailWorkWaiting(now)).dueMail).toBe(false);
    expect(await claimNextMail(now)).toBeUndefined();
    expect((await mailWorkWaiting(new Date(now.getTime() + 5 * MINUTE))).dueMail).toBe(true);
    // Leased by a worker: not due until the lease runs out.
    const later = new Date(now.getTime() + 5 * MINUTE);
    expect(await claimNextMail(later)).toBeDefined();
    expect((await mailWorkWaiting(later)).dueMail).toBe(false);
    expect((await mailWorkWaiting(new Date(later.getTime() + LEASE_MS))).dueMail).toBe(true);
    // Sent: nothing left.
    const sent: string[] = [];
    const result = await deliverDueMail(
      async (m) => void sent.push(m.subject),
      10,
      new Date(later.getTime() + LEASE_MS),
    );
    expect(result.sent).toBe(1);
    expect(await mailWorkWaiting(new Date(later.getTime() + LEASE_MS))).toEqual({ resetAsks: false, dueMail: false });
  });
});
