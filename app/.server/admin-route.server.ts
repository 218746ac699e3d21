// Route-side glue for /admin: the permission check every admin loader and action starts with, and
// how a refused command (AdminError) becomes a response. Model functions check again themselves.
import { data } from "@remix-run/node";
import type { CurrentUser } from "./auth/types";
import { isAdminError } from "./models/admin/common.server";
import { responseForDomainError, requireUserWith } from "./route-errors.server";

/** Signed in (else redirect to sign-in) and allowed to administer (else 403). */
export function requireAdmin(request: Request): Promise<CurrentUser> {
  return requireUserWith(request, "admin:manage");
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
  const refused = responseForDomainError(err);
  if (refused) throw refused;
  if (isAdminError(err, "conflict")) {
    return data<AdminActionData>({ errors: { _form: err.message }, values, conflict: true }, { status: 409 });
  }
  if (isAdminError(err, "invalid")) {
    const errors = Object.keys(err.errors).length ? err.errors : { _form: err.message };
    return data<AdminActionData>({ errors, values }, { status: 400 });
  }
  throw err;
}
