// Route-side glue for /admin: the role check every admin loader and action starts with, and how a
// refused command (AdminError) becomes a response. Model functions check the role again themselves.
import { data } from "@remix-run/node";
import type { CurrentUser } from "./auth/types";
import { requireRole } from "./auth/session.server";
import { isAdminError } from "./models/admin/common.server";

/** Signed in (else redirect to sign-in) and an administrator (else 403). */
export function requireAdmin(request: Request): Promise<CurrentUser> {
  return requireRole(request, ["admin"]);
}

export interface AdminActionData {
  errors: Record<string, string>;
  values: Record<string, unknown>;
  /** True when the record changed under the person: the page shows the current values. */
  conflict?: boolean;
}

/**
 * An AdminError as the action's answer: 400 with field errors and what was typed, 409 for a stale
 * version (message in errors._form), 404 / 403 thrown. Anything else is re-thrown (a 500, logged).
 */
export function adminErrorResponse(err: unknown, values: Record<string, unknown>) {
  if (isAdminError(err, "not_found")) throw new Response(null, { status: 404 });
  if (isAdminError(err, "forbidden")) throw new Response("You do not have access to this page.", { status: 403 });
  if (isAdminError(err, "conflict")) {
    return data<AdminActionData>({ errors: { _form: err.message }, values, conflict: true }, { status: 409 });
  }
  if (isAdminError(err, "invalid")) {
    const errors = Object.keys(err.errors).length ? err.errors : { _form: err.message };
    return data<AdminActionData>({ errors, values }, { status: 400 });
  }
  throw err;
}
