// /login/two-step: the second step of signing in for someone with two-step verification on
// (docs/decisions/029). The password was right; there is no session yet, only the challenge named
// by the staywell_2sv cookie (10 minutes). A right code (or an unused recovery code) starts the
// session; wrong codes are counted in the database per address and refused after 5 in 15 minutes.
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { startSession } from "~/.server/auth/lucia.server";
import { getOptionalUser, safeRedirectPath } from "~/.server/auth/session.server";
import { clientOf, describeWait } from "~/.server/auth/throttle.server";
import { challengeTokenFrom, clearChallengeCookie } from "~/.server/auth/two-step.server";
import { parseForm } from "~/.server/forms.server";
import { challengeIsOpen, completeChallenge } from "~/.server/models/two-step.server";
import { findActiveUserById } from "~/.server/models/users.server";
import { wayBackAfterSignIn, workplaceFor } from "~/.server/navigation.server";
import { Button, ErrorSummary, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { twoStepSignInSchema } from "~/schemas/two-step";

export const meta: MetaFunction = () => [{ title: "Enter your code – Sign in – StayWell" }];

export const headers: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

const START_AGAIN = "/login?expired=1";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  if (user) throw redirect(await workplaceFor(user));
  if (!(await challengeIsOpen(challengeTokenFrom(request))))
    throw redirect(START_AGAIN, { headers: { "Set-Cookie": clearChallengeCookie() } });
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await parseForm(request, twoStepSignInSchema, { omitFromValues: ["otp"] });
  if (!parsed.ok) return data({ errors: parsed.errors, values: {} }, { status: 400 });
  const result = await completeChallenge(challengeTokenFrom(request), parsed.data.otp, clientOf(context));
  if (!result.ok) {
    if (result.reason === "expired") throw redirect(START_AGAIN, { headers: { "Set-Cookie": clearChallengeCookie() } });
    if (result.reason === "throttled") {
      return data(
        {
          errors: { otp: `Too many wrong codes. Wait ${describeWait(result.retryAfterSeconds)} and try again` },
          values: {},
        },
        { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
      );
    }
    return data(
      { errors: { otp: "The code is not right: enter the code your app shows now, or a recovery code" }, values: {} },
      { status: 400 },
    );
  }
  const session = await startSession(result.userId, request);
  const wayBack = safeRedirectPath(result.redirectTo, "");
  const user = wayBack ? null : await findActiveUserById(result.userId);
  const to = wayBack || (user ? await workplaceFor(user) : "/my/requests");
  const headers = new Headers();
  headers.append("Set-Cookie", session);
  headers.append("Set-Cookie", clearChallengeCookie());
  return redirect(wayBackAfterSignIn(to), { headers });
}

export default function TwoStepSignIn() {
  const actionData = useActionData<typeof action>();
  const { register, errors, formProps, isSubmitting } = useServerValidatedForm(twoStepSignInSchema, {
    defaultValues: { otp: "" },
    actionData,
  });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <h1>Enter the code from your authenticator app</h1>
        <p>Open the authenticator app you set up for StayWell and enter the 6-digit code it shows now.</p>
        <Form method="post" {...formProps}>
          <TextInput
            label="Code"
            hint="If you do not have your phone, enter one of your recovery codes instead. Each one works once."
            inputMode="text"
            autoComplete="one-time-code"
            spellCheck={false}
            width={20}
            code
            error={errors.otp}
            {...register("otp")}
          />
          <Button disabled={isSubmitting}>Continue</Button>
        </Form>
        <p>
          <Link to="/login">Sign in again</Link> if you need to start over.
        </p>
      </div>
    </div>
  );
}
