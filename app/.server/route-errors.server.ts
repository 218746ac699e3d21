// Route-side glue between the permission rules and HTTP. Models throw domain errors
// (PermissionError, NotFoundError, AdminError, HubRequestError); a loader or action turns the ones
// that mean "not yours" into responses here: 403, or 404 with an empty body — the same 404 as for
// something that does not exist. Anything else is re-thrown (a 500, logged, never shown).
import { data } from "@remix-run/node";
import { requireUser } from "./auth/session.server";
import type { CurrentUser } from "./auth/types";
import { isAdminError } from "./models/admin/common.server";
import { isHubRequestError } from "./models/hub-requests.server";
import {
  NotFoundError,
  PermissionError,
  requireHubAccess,
  requirePermission,
  type Permission,
} from "./permissions.server";

const FORBIDDEN_TEXT = "You do not have access to this page.";

/** The response for a "not yours" domain error, or null when `err` is anything else. */
export function responseForDomainError(err: unknown): Response | ReturnType<typeof data> | null {
  if (err instanceof NotFoundError || isAdminError(err, "not_found") || isHubRequestError(err, "not_found")) {
    return new Response(null, { status: 404 });
  }
  if (err instanceof PermissionError || isHubRequestError(err, "forbidden")) {
    // The hub's 403 page names the team that handles another team's non-sensitive request.
    if (err.teamName) return data({ teamName: err.teamName }, { status: 403 });
    return new Response(err.message || FORBIDDEN_TEXT, { status: 403 });
  }
  if (isAdminError(err, "forbidden")) return new Response(FORBIDDEN_TEXT, { status: 403 });
  return null;
}

/** Throws the 403 / 404 response for a "not yours" domain error; otherwise re-throws `err` itself. */
export function throwDomainError(err: unknown): never {
  throw responseForDomainError(err) ?? err;
}

/** Runs model work, turning its "not yours" errors into 403 / 404 responses. */
export async function withDomainErrors<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throwDomainError(err);
  }
}

/** Signed in (else redirect to sign-in) and holding `permission` (else 403). */
export async function requireUserWith(request: Request, permission: Permission): Promise<CurrentUser> {
  const user = await requireUser(request);
  await withDomainErrors(() => requirePermission(user, permission));
  return user;
}

/**
 * For every /hub loader and action: a signed-in person who may use the hub (canUseHub), or 403.
 * Signed out: a redirect to sign in, coming back to this page or to `backTo`.
 */
export async function requireHubUser(request: Request, backTo?: string): Promise<CurrentUser> {
  const user = await requireUser(request, backTo);
  await withDomainErrors(() => requireHubAccess(user));
  return user;
}
