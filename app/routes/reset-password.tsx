// /reset-password?token=…: the page a "forgot your password?" link opens. The GET uses nothing up
// (mail scanners open every link in an email); the POST sets the password, uses up the link (and
// every other reset link of the account) and ends every session, in one transaction.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { blankSessionCookie } from "~/.server/auth/lucia.server";
import { checkResetToken, resetPassword, type ResetProblem } from "~/.server/models/account.server";
import { choosePasswordFromLink, tokenFromUrl } from "~/.server/single-use-link-routes.server";
import { ChoosePasswordPage } from "~/components/single-use-link";
import { resetPasswordSchema } from "~/schemas/account";

export const meta: MetaFunction = () => [{ title: "Choose a new password – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = tokenFromUrl(request);
  if (!token) return { token, problem: "invalid" as ResetProblem };
  const checked = await checkResetToken(token);
  return { token, problem: checked.ok ? null : checked.reason };
}

export async function action({ request }: ActionFunctionArgs) {
  // Every session has ended, this browser's too.
  return choosePasswordFromLink(request, resetPasswordSchema, resetPassword, () =>
    redirect("/login?reset=1", { headers: { "Set-Cookie": blankSessionCookie() } }),
  );
}

const PROBLEMS: Record<ResetProblem, string> = {
  invalid: "This link is not valid. Check you copied the whole link from the email.",
  used: "This link has already been used. If you chose a new password with it, sign in with that password.",
  expired: "This link has expired. Links work for an hour. Ask for a new one.",
};

export default function ResetPassword() {
  const { token, problem } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <ChoosePasswordPage
      schema={resetPasswordSchema}
      token={token}
      problem={actionData?.problem ?? problem}
      problems={PROBLEMS}
      actionData={actionData}
      title="Choose a new password"
      intro="Choosing a new password signs you out of StayWell everywhere."
      passwordLabel="New password"
      confirmLabel="Enter the new password again"
      button="Save new password"
      noForm={
        <p>
          <Link to="/forgot-password">Send me a new link</Link>
        </p>
      }
    />
  );
}
