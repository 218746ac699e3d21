// Who is asking: every loader and action starts here.
import { redirect } from "@remix-run/node";
import { noteRequestUser } from "../log.server";
import { mustSetUpTwoStep } from "../models/two-step.server";
import { findActiveUserById } from "../models/users.server";
import { markReadOnly, requestMemo } from "../request-memo.server";
import { blankSessionCookie, sessionUserId } from "./lucia.server";
import { isTwoStepSetupPath } from "./two-step.server";
import type { CurrentUser } from "./types";

export type { CurrentUser };

/**
 * The signed-in person and their session, or null. Read once per GET or HEAD request: the root
 * loader, a layout's and the page's loader all ask (app/.server/request-memo.server.ts); an action
 * reads it afresh.
 */
function optionalSession(request: Request): Promise<{ user: CurrentUser; sessionId: string } | null> {
  return requestMemo(request, "session", () => readOptionalSession(request));
}

async function readOptionalSession(request: Request): Promise<{ user: CurrentUser; sessionId: string } | null> {
  const found = await sessionUserId(request);
  if (!found) return null;
  // A disabled or unverified account has no valid session, whatever its cookie says.
  const user = await findActiveUserById(found.userId);
  if (!user) return null;
  // The access log line names who made the request (docs/decisions/016).
  noteRequestUser(user.id);
  // MFA_REQUIRED_FOR (docs/decisions/029): someone whose role must use two-step verification and
  // has not set it up yet reaches nothing but the setup page and sign-out. Here, because every
  // loader and action (the root loader on every page) asks who is signing in through this function.
  if (!isTwoStepSetupPath(new URL(request.url).pathname) && (await mustSetUpTwoStep(user))) {
    throw redirect("/account/security");
  }
  return { user: markReadOnly(request, user), sessionId: found.sessionId };
}

export async function getOptionalUser(request: Request): Promise<CurrentUser | null> {
  return (await optionalSession(request))?.user ?? null;
}

/**
 * Same-site path to come back to after signing in; anything else becomes the fallback. Refuses
 * backslashes, control characters, whitespace and non-ASCII (browsers turn "/\evil.com" or
 * "/<tab>/evil.com" into another site) and dot segments, then checks the resolved origin.
 */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/") {
  if (typeof to !== "string" || to.length > 2000) return fallback;
  if (!to.startsWith("/") || to.startsWith("//")) return fallback;
  if (/[\\\u0000-\u0020\u007f-\uffff]/.test(to)) return fallback;
  if (/(^|\/)\.{1,2}(\/|$|\?|#)/.test(to)) return fallback;
  try {
    const base = "http://staywell.invalid";
    const resolved = new URL(to, base);
    if (resolved.origin !== base) return fallback;
    return resolved.pathname + resolved.search + resolved.hash;
  } catch {
    return fallback;
  }
}

/**
 * The signed-in person, or a redirect to sign in that comes back to this page (or to `backTo`, a
 * same-site path, when the page wants the way back to differ from the way in).
 */
export async function requireUser(request: Request, backTo?: string): Promise<CurrentUser> {
  return (await requireSession(request, backTo)).user;
}

/**
 * As requireUser, with the stored id of the session in use (the SHA-256 of its token, never the
 * token): for the pages that end the person's other sessions (/account/password, /account/sessions).
 */
export async function requireSession(
  request: Request,
  backTo?: string,
): Promise<{ user: CurrentUser; sessionId: string }> {
  const found = await optionalSession(request);
  if (!found) {
    const url = new URL(request.url);
    const back = safeRedirectPath(backTo ?? url.pathname + url.search);
    const headers = request.headers.get("Cookie")?.includes("staywell_session=")
      ? { "Set-Cookie": blankSessionCookie() }
      : undefined;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`, { headers });
  }
  return found;
}
