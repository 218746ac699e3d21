// The only file that knows about lucia (v3, deprecated upstream: docs/decisions/002). Replacing it
// means rewriting this file and nothing else.
import { createHash } from "node:crypto";
import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { and, eq, gt, lte, ne } from "drizzle-orm";
import { Cookie, generateIdFromEntropySize, Lucia, TimeSpan } from "lucia";
import { getDatabaseHandle } from "@db/current";
import type { DatabaseHandle, DatabaseOrTx } from "@db/client";
import { sessions, users } from "@db/schema";
import { env } from "../env";

export function isSecureCookie() {
  // Secure in production; a plain-http localhost demo or test still works (browsers would drop
  // a Secure cookie on http://127.0.0.1).
  const url = env().APP_URL;
  return env().NODE_ENV === "production" && !/^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(url);
}

/** Idle lifetime: a session unused for this long ends (lucia extends it while in use). */
export const SESSION_IDLE_HOURS = 12;
/**
 * Absolute lifetime: a session ends this long after sign-in however busy it is, so a token taken
 * from a machine cannot be kept alive by use (docs/decisions/016). A day covers the longest shift
 * and its handover; the idle limit still ends an abandoned session after 12 hours.
 */
export const SESSION_ABSOLUTE_HOURS = 24;

/**
 * sessions.id holds the SHA-256 (hex) of the session token; the token itself is only ever in the
 * browser's cookie, so neither the table, a backup nor a logged query parameter can sign anyone in.
 */
export function sessionTokenHash(token: string) {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function createLucia(handle: DatabaseHandle) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const adapter = new DrizzlePostgreSQLAdapter(handle.db as any, sessions, users);
  return new Lucia(adapter, {
    // 12 hours, extended while in use; the cookie itself lasts until the browser closes, so it
    // never needs re-sending from a loader.
    sessionExpiresIn: new TimeSpan(SESSION_IDLE_HOURS, "h"),
    sessionCookie: {
      name: "staywell_session",
      expires: false,
      attributes: { secure: isSecureCookie(), sameSite: "lax" },
    },
    getSessionAttributes: (attributes) => ({ createdAt: attributes.createdAt, lastSeenAt: attributes.lastSeenAt }),
  });
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseSessionAttributes: { createdAt: Date; lastSeenAt: Date; userAgent?: string | null };
  }
}

const cache = new WeakMap<DatabaseHandle, ReturnType<typeof createLucia>>();

function lucia() {
  const handle = getDatabaseHandle();
  let instance = cache.get(handle);
  if (!instance) {
    instance = createLucia(handle);
    cache.set(handle, instance);
  }
  return instance;
}

/**
 * Starts a session; returns the Set-Cookie header value. The cookie carries a fresh random token
 * (125 bits); the table stores its hash. lucia's `expires: false` still gives the cookie a
 * 400-day Max-Age: it is dropped here, so the cookie ends when the browser closes (a shared ward
 * computer) while the server-side session still expires after 12 idle hours or 24 in all.
 */
export async function startSession(userId: string, request?: Request) {
  const token = generateIdFromEntropySize(25);
  const now = new Date();
  await lucia().createSession(
    userId,
    { createdAt: now, lastSeenAt: now, userAgent: userAgentOf(request) },
    { sessionId: sessionTokenHash(token) },
  );
  const cookie = lucia().createSessionCookie(token);
  const { maxAge: _maxAge, expires: _expires, ...attributes } = cookie.attributes;
  return new Cookie(cookie.name, cookie.value, attributes).serialize();
}

/**
 * The User-Agent to keep with a session (shown at /account/sessions as "Firefox on Windows"):
 * control characters removed, at most USER_AGENT_MAX characters, null when there is none.
 */
export const USER_AGENT_MAX = 512;
function userAgentOf(request: Request | undefined) {
  const ua = request?.headers
    .get("User-Agent")
    ?.replace(/[\u0000-\u001f\u007f]/g, "")
    .trim();
  return ua ? ua.slice(0, USER_AGENT_MAX) : null;
}

/** A session's "last used" time is written at most this often (not on every request). */
export const SESSION_SEEN_MINUTES = 5;

function absoluteEnd(createdAt: Date) {
  return new Date(createdAt.getTime() + SESSION_ABSOLUTE_HOURS * 60 * 60 * 1000);
}

/**
 * The sessions that still sign someone in at `now`: the rule sessionUserId applies (within the
 * idle lifetime, and started less than SESSION_ABSOLUTE_HOURS ago), as a query condition for
 * listing them (/account/sessions, the data export).
 */
export function liveSessionCondition(now: Date) {
  return and(
    gt(sessions.expiresAt, now),
    gt(sessions.createdAt, new Date(now.getTime() - SESSION_ABSOLUTE_HOURS * 60 * 60 * 1000)),
  );
}

/**
 * The session token in the request's cookie, or null. A cookie header that does not decode
 * (`staywell_session=%`: lucia's decodeURIComponent throws URIError) or a token that we could
 * never have made (control characters, other alphabets, too long) is no session: signed out, never
 * a 500, and nothing odd is hashed or sent to the database.
 */
function sessionTokenFromCookie(request: Request): string | null {
  let token: string | null;
  try {
    token = lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
  } catch {
    return null;
  }
  return token && /^[A-Za-z0-9_-]{1,255}$/.test(token) ? token : null;
}

/**
 * The user id of a valid session named in the request's cookie, or null. `sessionId` is the
 * stored id (the token's hash), never the token.
 */
export async function sessionUserId(request: Request): Promise<{ userId: string; sessionId: string } | null> {
  const token = sessionTokenFromCookie(request);
  if (!token) return null;
  const { session } = await lucia().validateSession(sessionTokenHash(token));
  if (!session) return null;
  if (absoluteEnd(session.createdAt) <= new Date()) {
    await lucia().invalidateSession(session.id);
    return null;
  }
  const now = new Date();
  if (now.getTime() - new Date(session.lastSeenAt).getTime() >= SESSION_SEEN_MINUTES * 60_000) {
    await getDatabaseHandle().db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, session.id));
  }
  return { userId: session.userId, sessionId: session.id };
}

/** Ends the session in the request's cookie; returns the Set-Cookie header that clears it. */
export async function endSession(request: Request) {
  const token = sessionTokenFromCookie(request);
  if (token) await lucia().invalidateSession(sessionTokenHash(token));
  return lucia().createBlankSessionCookie().serialize();
}

/**
 * Ends every session of a person, or every one but `except` (a stored session id: the session
 * the person is using, after they changed their own password). Pass `tx` to end them in the
 * transaction of the change that calls for it, so nothing is half-done.
 */
export async function endAllSessions(userId: string, options: { except?: string; tx?: DatabaseOrTx } = {}) {
  const db = options.tx ?? getDatabaseHandle().db;
  const where = options.except
    ? and(eq(sessions.userId, userId), ne(sessions.id, options.except))
    : eq(sessions.userId, userId);
  await db.delete(sessions).where(where);
}

/** Deletes sessions past their idle or their absolute lifetime. */
export async function deleteExpiredSessions(now = new Date()) {
  await lucia().deleteExpiredSessions();
  const cutoff = new Date(now.getTime() - SESSION_ABSOLUTE_HOURS * 60 * 60 * 1000);
  await getDatabaseHandle().db.delete(sessions).where(lte(sessions.createdAt, cutoff));
}

export function blankSessionCookie() {
  return lucia().createBlankSessionCookie().serialize();
}
