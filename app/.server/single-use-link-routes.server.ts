// What the routes of single-use links share: /verify-email and /reset-password (choose a password
// from a mailed link), /forgot-password and /signup/check-email (ask for a link to be mailed).
import { data, type HeadersFunction } from "@remix-run/node";
import type { z } from "zod";
import { isCommonPassword } from "./auth/password.server";
import { describeWait } from "./auth/throttle.server";
import { parseForm } from "./forms.server";

/** The token in a link's address (cut to the longest a token can be; "" when there is none). */
export function tokenFromUrl(request: Request) {
  return (new URL(request.url).searchParams.get("token") ?? "").slice(0, 200);
}

type PasswordForm = z.ZodType<{ token: string; password: string; confirmPassword: string }>;

/**
 * The POST of a choose-a-password page: the form is checked (a common password is refused with the
 * sign-up rules), then `spend` uses up the link. Passwords and the token are never sent back into the
 * page. On success the `done` response (a redirect); otherwise 400 with the errors or the problem.
 */
export async function choosePasswordFromLink<P extends string>(
  request: Request,
  schema: PasswordForm,
  spend: (token: string, password: string) => Promise<{ ok: true } | { ok: false; reason: P }>,
  done: () => Response,
) {
  const parsed = await parseForm(request, schema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: {}, problem: null }, { status: 400 });
  const { token, password } = parsed.data;
  if (isCommonPassword(password)) {
    return data(
      {
        errors: { password: "Choose a password that is harder to guess: this one is on a list of common passwords" },
        values: {},
        problem: null,
      },
      { status: 400 },
    );
  }
  const result = await spend(token, password);
  if (result.ok) return done();
  return data({ errors: {}, values: {}, problem: result.reason }, { status: 400 });
}

/** A "send me a link" form's answer when the connection has asked for too many: 429, Retry-After. */
export function tooManyLinks(what: string, values: Record<string, unknown>, retryAfterSeconds: number) {
  return data(
    {
      errors: {
        email: `Too many ${what} have been asked for from your connection. Wait ${describeWait(retryAfterSeconds)} and try again`,
      },
      values,
    },
    { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } },
  );
}

/** Keeps the action's Retry-After on the page's response (a 429 from tooManyLinks). */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};
