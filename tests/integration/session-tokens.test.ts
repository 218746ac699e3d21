// Sessions (docs/decisions/016, ADR 002): the table holds only the SHA-256 of each cookie's token,
// so a row (from a backup, a log, a query) cannot sign anyone in; and a session ends 24 hours after
// sign-in however busy it is, as well as after 12 idle hours.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@db/current";
import { sessions } from "@db/schema";
import {
  deleteExpiredSessions,
  endSession,
  SESSION_ABSOLUTE_HOURS,
  sessionTokenHash,
  sessionUserId,
  startSession,
} from "~/.server/auth/lucia.server";
import { createUser } from "../helpers/factories";
import { cookieFromSetCookie, getRequest } from "../helpers/http";
import { useTestDatabase } from "../helpers/test-db";

useTestDatabase();

const HOUR = 60 * 60 * 1000;

async function signIn(userId: string) {
  const cookie = cookieFromSetCookie(await startSession(userId));
  const token = cookie.slice("staywell_session=".length);
  return { cookie, token };
}

function requestWith(cookie: string) {
  return getRequest("/support", { cookie });
}

describe("the sessions table never holds the cookie's value", () => {
  it("stores the token's SHA-256 as the id; the cookie signs in, the stored id does not", async () => {
    const user = await createUser();
    const { cookie, token } = await signIn(user.id);
    expect(token).toMatch(/^[a-z0-9]{40}$/);

    const rows = await getDb().select().from(sessions).where(eq(sessions.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(sessionTokenHash(token));
    expect(rows[0].id).not.toBe(token);
    expect(JSON.stringify(rows)).not.toContain(token);

    expect(await sessionUserId(requestWith(cookie))).toEqual({ userId: user.id, sessionId: rows[0].id });
    // Someone who read the table (or an old log) and puts the id in a cookie is not signed in.
    expect(await sessionUserId(requestWith(`staywell_session=${rows[0].id}`))).toBeNull();
  });

  it("signing out deletes the row found by the token's hash", async () => {
    const user = await createUser();
    const { cookie } = await signIn(user.id);
    await endSession(requestWith(cookie));
    expect(await getDb().select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    expect(await sessionUserId(requestWith(cookie))).toBeNull();
  });
});

describe("absolute lifetime", () => {
  it(`refuses a session ${SESSION_ABSOLUTE_HOURS} hours after sign-in even though it is still active, and deletes it`, async () => {
    const user = await createUser();
    const { cookie, token } = await signIn(user.id);
    const id = sessionTokenHash(token);
    // Signed in just under the limit ago, used a minute ago (idle expiry hours away): still fine.
    await getDb()
      .update(sessions)
      .set({
        createdAt: new Date(Date.now() - SESSION_ABSOLUTE_HOURS * HOUR + 60_000),
        expiresAt: new Date(Date.now() + 11 * HOUR),
      })
      .where(eq(sessions.id, id));
    expect(await sessionUserId(requestWith(cookie))).toMatchObject({ userId: user.id });

    // Past the limit, still within its idle window: refused, and the row is gone.
    await getDb()
      .update(sessions)
      .set({
        createdAt: new Date(Date.now() - SESSION_ABSOLUTE_HOURS * HOUR - 1000),
        expiresAt: new Date(Date.now() + 11 * HOUR),
      })
      .where(eq(sessions.id, id));
    expect(await sessionUserId(requestWith(cookie))).toBeNull();
    expect(await getDb().select().from(sessions).where(eq(sessions.id, id))).toEqual([]);
  });

  it("the hourly sweep deletes sessions past either lifetime and keeps live ones", async () => {
    const user = await createUser();
    const live = await signIn(user.id);
    const old = await signIn(user.id);
    const idle = await signIn(user.id);
    await getDb()
      .update(sessions)
      .set({ createdAt: new Date(Date.now() - (SESSION_ABSOLUTE_HOURS + 1) * HOUR) })
      .where(eq(sessions.id, sessionTokenHash(old.token)));
    await getDb()
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, sessionTokenHash(idle.token)));

    await deleteExpiredSessions();
    const left = await getDb().select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id));
    expect(left).toEqual([{ id: sessionTokenHash(live.token) }]);
  });
});
