// /forgot-password: enter your address; the same answer whether or not it has an account
// (docs/decisions/028-your-account.md). Limited per client (shared with sign-up) and per address
// (the account-mail allowance), in the database like the sign-in throttle (ADR 017).
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { clientOf, describeWait } from "~/.server/auth/throttle.server";
import { parseForm } from "~/.server/forms.server";
import { RESET_LINK_MINUTES, requestPasswordReset } from "~/.server/models/account.server";
import { Button, ErrorSummary, str, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { forgotPasswordSchema } from "~/schemas/account";

export const meta: MetaFunction = () => [{ title: "Forgot your password? – StayWell" }];

export const headers: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  return { sent: new URL(request.url).searchParams.get("sent") === "1", minutes: RESET_LINK_MINUTES };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await parseForm(request, forgotPasswordSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await requestPasswordReset(parsed.data.email, clientOf(context));
  if (!result.ok) {
    return data(
      {
        errors: {
          email: `Too many emails have been asked for from your connection. Wait ${describeWait(result.retryAfterSeconds)} and try again`,
        },
        values: { email: parsed.data.email },
      },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  // The address is not put in the page's address (it would sit in browser history and logs).
  return redirect("/forgot-password?sent=1");
}

export default function ForgotPassword() {
  const { sent, minutes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(forgotPasswordSchema, {
    defaultValues: { email: "" },
    actionData,
  });
  if (sent) {
    return (
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1>Check your email</h1>
          <p>
            If there is a StayWell account with the address you entered, we have sent it a link to reset the password.
          </p>
          <p>
            The link works once and expires in {minutes} minutes. If nothing arrives within a few minutes, check your
            junk folder, and check that you used the address you sign in with.
          </p>
          <p>
            <Link to="/forgot-password">Try again</Link> or <Link to="/login">go back to sign in</Link>
          </p>
        </div>
      </div>
    );
  }
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <h1>Forgot your password?</h1>
        <p>Enter the email address you sign in with. We will email you a link to choose a new password.</p>
        <Form method="post" {...formProps}>
          <TextInput
            label="Email address"
            type="email"
            autoComplete="username"
            spellCheck={false}
            error={errors.email}
            defaultValue={str(values.email)}
            {...register("email")}
          />
          <Button disabled={isSubmitting}>Send me a link</Button>
        </Form>
        <p>
          <Link to="/login">Back to sign in</Link>
        </p>
      </div>
    </div>
  );
}
