import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { startSession } from "~/.server/auth/lucia.server";
import { getOptionalUser, safeRedirectPath } from "~/.server/auth/session.server";
import { parseForm } from "~/.server/forms.server";
import { clientOf, describeWait } from "~/.server/auth/throttle.server";
import { challengeCookie } from "~/.server/auth/two-step.server";
import { authenticate } from "~/.server/models/accounts.server";
import { hasTwoStep, startChallenge } from "~/.server/models/two-step.server";
import { findActiveUserById } from "~/.server/models/users.server";
import { wayBackAfterSignIn, workplaceFor } from "~/.server/navigation.server";
import { Button, ErrorSummary, str, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { loginSchema } from "~/schemas/accounts";

export const meta: MetaFunction = () => [{ title: "Sign in – StayWell" }];

// A throttled answer (429) says when to come back: the action's Retry-After reaches the page's
// response (Remix passes an action's headers on only through this export). Whatever a parent
// route set is kept.
export const headers: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // No (or no usable) redirectTo: empty, and signing in takes the person where they work.
  const redirectTo = safeRedirectPath(url.searchParams.get("redirectTo"), "");
  const user = await getOptionalUser(request);
  if (user) throw redirect(redirectTo || (await workplaceFor(user)));
  return {
    redirectTo,
    verified: url.searchParams.get("verified") === "1",
    reset: url.searchParams.get("reset") === "1",
    // The two-step sign-in took too long (or its cookie is gone): the password is asked again.
    expired: url.searchParams.get("expired") === "1",
  };
}

const GENERIC_ERROR = "Enter a correct email address and password";

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await parseForm(request, loginSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const { email, password, redirectTo } = parsed.data;
  const result = await authenticate(email, password, clientOf(context));
  if (!result.ok) {
    const values = { email, redirectTo };
    if (result.reason === "throttled") {
      // The same wording whether or not the address has an account (ADR 017).
      const message =
        result.scope === "client"
          ? `Too many attempts to sign in from your connection. Wait ${describeWait(result.retryAfterSeconds)} and try again`
          : `Too many attempts to sign in. Wait ${describeWait(result.retryAfterSeconds)} and try again`;
      return data(
        { errors: { email: message }, values },
        { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
      );
    }
    const message =
      result.reason === "unverified"
        ? result.linkSent
          ? "Confirm your email address first: we have sent you a new link"
          : "Confirm your email address first: open the link in the email we sent you"
        : GENERIC_ERROR;
    return data({ errors: { email: message }, values }, { status: 400 });
  }
  // Two-step verification on (docs/decisions/029): no session yet, only a 10-minute challenge;
  // the session starts at /login/two-step once the code is right.
  if (await hasTwoStep(result.userId)) {
    const token = await startChallenge(result.userId, safeRedirectPath(redirectTo, ""));
    return redirect("/login/two-step", { headers: { "Set-Cookie": challengeCookie(token) } });
  }
  const cookie = await startSession(result.userId, request);
  // A redirectTo wins (a page asked for sign-in and wants its person back); otherwise each role
  // lands where it works. A sign-in link can be written by another site: a hub request page comes
  // back asking first (ADR 011).
  const wayBack = safeRedirectPath(redirectTo, "");
  const user = wayBack ? null : await findActiveUserById(result.userId);
  const to = wayBack || (user ? await workplaceFor(user) : "/my/requests");
  return redirect(wayBackAfterSignIn(to), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const { redirectTo, verified, reset, expired } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(loginSchema, {
    defaultValues: { email: "", password: "", redirectTo },
    actionData,
  });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {verified ? (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>Your password is saved and your email address is confirmed. Sign in to continue.</p>
          </div>
        ) : null}
        {reset ? (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>Your new password is saved and you have been signed out everywhere. Sign in with your new password.</p>
          </div>
        ) : null}
        {expired ? (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>Your sign-in timed out before the code was entered. Enter your email address and password again.</p>
          </div>
        ) : null}
        <ErrorSummary errors={errors} />
        <h1>Sign in to StayWell</h1>
        <Form method="post" {...formProps}>
          <input type="hidden" {...register("redirectTo")} value={redirectTo} />
          <TextInput
            label="Email address"
            type="email"
            autoComplete="username"
            spellCheck={false}
            error={errors.email}
            defaultValue={str(values.email)}
            {...register("email")}
          />
          <TextInput
            label="Password"
            type="password"
            autoComplete="current-password"
            error={errors.password}
            {...register("password")}
          />
          <Button disabled={isSubmitting}>Sign in</Button>
        </Form>
        <p>
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
        <p>
          New to StayWell? <Link to="/signup">Create an account</Link> with your work email address.
        </p>
      </div>
    </div>
  );
}
