// /forgot-password: enter your address; the same answer whether or not it has an account
// (docs/decisions/028-your-account.md). Limited per client (shared with sign-up) and per address
// (the account-mail allowance), in the database like the sign-in throttle (ADR 017).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { clientOf } from "~/.server/auth/throttle.server";
import { parseForm } from "~/.server/forms.server";
import { RESET_LINK_MINUTES, requestPasswordReset } from "~/.server/models/account.server";
import { retryAfterHeaders, tooManyLinks } from "~/.server/single-use-link-routes.server";
import { EmailLinkForm } from "~/components/single-use-link";
import { forgotPasswordSchema } from "~/schemas/account";

export const meta: MetaFunction = () => [{ title: "Forgot your password? – StayWell" }];

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  return { sent: new URL(request.url).searchParams.get("sent") === "1", minutes: RESET_LINK_MINUTES };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await parseForm(request, forgotPasswordSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await requestPasswordReset(parsed.data.email, clientOf(context));
  if (!result.ok) return tooManyLinks("emails", { email: parsed.data.email }, result.retryAfterSeconds);
  // The address is not put in the page's address (it would sit in browser history and logs).
  return redirect("/forgot-password?sent=1");
}

export default function ForgotPassword() {
  const { sent, minutes } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
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
    <EmailLinkForm
      schema={forgotPasswordSchema}
      email=""
      actionData={actionData}
      label="Email address"
      autoComplete="username"
      button="Send me a link"
      before={
        <>
          <h1>Forgot your password?</h1>
          <p>Enter the email address you sign in with. We will email you a link to choose a new password.</p>
        </>
      }
      after={
        <p>
          <Link to="/login">Back to sign in</Link>
        </p>
      }
    />
  );
}
