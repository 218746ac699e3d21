// Who is asking: every loader and action starts here.
import { redirect } from "@remix-run/node";
import { findActiveUserById } from "../models/users.server";
import { blankSessionCookie, sessionUserId } from "./lucia.server";
import type { CurrentUser } from "./types";
import type { UserRole } from "@db/schema";

export type { CurrentUser };

export async function getOptionalUser(request: Request): Promise<CurrentUser | null> {
  const found = await sessionUserId(request);
  if (!found) return null;
  // A disabled or unverified account has no valid session, whatever its cookie says.
  return findActiveUserById(found.userId);
}

/** Same-site path to come back to after signing in; anything else becomes "/". */
export function safeRedirectPath(to: FormDataEntryValue | string | null | undefined, fallback = "/") {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) {
    return fallback;
  }
  return to;
}

export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getOptionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = safeRedirectPath(url.pathname + url.search);
    const headers = request.headers.get("Cookie")?.includes("staywell_session=")
      ? { "Set-Cookie": blankSessionCookie() }
      : undefined;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`, { headers });
  }
  return user;
}

export async function requireRole(request: Request, roles: readonly UserRole[]): Promise<CurrentUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) {
    throw new Response("You do not have access to this page.", { status: 403 });
  }
  return user;
}
