// The only file that knows about lucia (v3, deprecated upstream: docs/decisions/002). Replacing it
// means rewriting this file and nothing else.
import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { Cookie, Lucia, TimeSpan } from "lucia";
import { getDatabaseHandle } from "@db/current";
import type { DatabaseHandle } from "@db/client";
import { sessions, users } from "@db/schema";
import { env } from "../env";

function isSecureCookie() {
  // Secure in production; a plain-http localhost demo or test still works (browsers would drop
  // a Secure cookie on http://127.0.0.1).
  const url = env().APP_URL;
  return env().NODE_ENV === "production" && !/^http:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(url);
}

function createLucia(handle: DatabaseHandle) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const adapter = new DrizzlePostgreSQLAdapter(handle.db as any, sessions, users);
  return new Lucia(adapter, {
    // 12 hours, extended while in use; the cookie itself lasts until the browser closes, so it
    // never needs re-sending from a loader.
    sessionExpiresIn: new TimeSpan(12, "h"),
    sessionCookie: {
      name: "staywell_session",
      expires: false,
      attributes: { secure: isSecureCookie(), sameSite: "lax" },
    },
  });
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
 * Starts a session; returns the Set-Cookie header value. lucia's `expires: false` still gives the
 * cookie a 400-day Max-Age: it is dropped here, so the cookie ends when the browser closes (a shared
 * ward computer) while the server-side session still expires after 12 idle hours.
 */
export async function startSession(userId: string) {
  const session = await lucia().createSession(userId, {});
  const cookie = lucia().createSessionCookie(session.id);
  const { maxAge: _maxAge, expires: _expires, ...attributes } = cookie.attributes;
  return new Cookie(cookie.name, cookie.value, attributes).serialize();
}

/**
 * The session id in the request's cookie, or null. A cookie header that does not decode
 * (`staywell_session=%`: lucia's decodeURIComponent throws URIError) or an id that lucia could
 * never have made (control characters, other alphabets, too long) is no session: signed out, never
 * a 500, and nothing odd is sent to the database.
 */
function sessionIdFromCookie(request: Request): string | null {
  let sessionId: string | null;
  try {
    sessionId = lucia().readSessionCookie(request.headers.get("Cookie") ?? "");
  } catch {
    return null;
  }
  return sessionId && /^[A-Za-z0-9_-]{1,255}$/.test(sessionId) ? sessionId : null;
}

/** The user id of a valid session named in the request's cookie, or null. */
export async function sessionUserId(request: Request): Promise<{ userId: string; sessionId: string } | null> {
  const sessionId = sessionIdFromCookie(request);
  if (!sessionId) return null;
  const { session } = await lucia().validateSession(sessionId);
  return session ? { userId: session.userId, sessionId: session.id } : null;
}

/** Ends the session in the request's cookie; returns the Set-Cookie header that clears it. */
export async function endSession(request: Request) {
  const sessionId = sessionIdFromCookie(request);
  if (sessionId) await lucia().invalidateSession(sessionId);
  return lucia().createBlankSessionCookie().serialize();
}

export async function endAllSessions(userId: string) {
  await lucia().invalidateUserSessions(userId);
}

export async function deleteExpiredSessions() {
  await lucia().deleteExpiredSessions();
}

export function blankSessionCookie() {
  return lucia().createBlankSessionCookie().serialize();
}
