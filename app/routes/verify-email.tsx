import { readFormData } from "~/.server/forms.server";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { verifyEmailToken } from "~/.server/models/accounts.server";

export const meta: MetaFunction = () => [{ title: "Confirm your email address – StayWell" }];

// The link in the email opens this page; the token is used only when the person presses the
// button (a POST). Mail scanners that open every link in an email cannot use it up.
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return { token };
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readFormData(request);
  const token = String(form.get("token") ?? "");
  const result = await verifyEmailToken(token);
  if (result.ok) return redirect("/login?verified=1");
  return data({ reason: result.reason }, { status: 400 });
}

const PROBLEMS = {
  invalid: "This link is not valid. Check you copied the whole link from the email.",
  used: "This link has already been used. If you have confirmed your email address, you can sign in.",
  expired: "This link has expired. Sign in with your email address and password and we will send you a new one.",
} as const;

export default function VerifyEmail() {
  const { token } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const summary = useRef<HTMLDivElement>(null);
  // The NHS.UK error summary takes focus so a screen reader announces the problem.
  useEffect(() => summary.current?.focus(), [result]);
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>Confirm your email address</h1>
        {result ? (
          <div className="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabIndex={-1} ref={summary}>
            <h2 className="nhsuk-error-summary__title" id="error-summary-title">
              There is a problem
            </h2>
            <div className="nhsuk-error-summary__body">
              <p>{PROBLEMS[result.reason]}</p>
              <p>
                <Link to="/login">Sign in</Link>
              </p>
            </div>
          </div>
        ) : null}
        {token ? (
          <Form method="post">
            <input type="hidden" name="token" value={token} />
            <p>Press the button to confirm this is your email address and finish creating your account.</p>
            <button className="nhsuk-button" type="submit">
              Confirm my email address
            </button>
          </Form>
        ) : (
          <p>Open the link in the email we sent you. It works once and expires after 24 hours.</p>
        )}
      </div>
    </div>
  );
}
