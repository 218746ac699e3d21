import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { checkVerificationToken, completeSignup, type TokenProblem } from "~/.server/models/accounts.server";
import { choosePasswordFromLink, tokenFromUrl } from "~/.server/single-use-link-routes.server";
import { ChoosePasswordPage } from "~/components/single-use-link";
import { choosePasswordSchema } from "~/schemas/accounts";

export const meta: MetaFunction = () => [{ title: "Choose a password – StayWell" }];

// The link in the email opens this page: the person who holds the mailbox chooses the account's
// password here (docs/decisions/017, "Account pre-hijacking"). The GET uses nothing up (mail
// scanners open every link in an email); the POST sets the password, confirms the address, uses
// up the link and ends every session of the account, in one transaction.
export async function loader({ request }: LoaderFunctionArgs) {
  const token = tokenFromUrl(request);
  if (!token) return { token, problem: null };
  const checked = await checkVerificationToken(token);
  return { token, problem: checked.ok ? null : checked.reason };
}

export async function action({ request }: ActionFunctionArgs) {
  return choosePasswordFromLink(request, choosePasswordSchema, completeSignup, () => redirect("/login?verified=1"));
}

const PROBLEMS: Record<TokenProblem, string> = {
  invalid: "This link is not valid. Check you copied the whole link from the email.",
  used: "This link has already been used. If you have chosen your password, you can sign in.",
  expired: "This link has expired. We can send you a new one.",
};

export default function VerifyEmail() {
  const { token, problem: loaderProblem } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const problem = actionData?.problem ?? loaderProblem;
  return (
    <ChoosePasswordPage
      schema={choosePasswordSchema}
      token={token}
      problem={problem}
      problems={PROBLEMS}
      actionData={actionData}
      needsToken
      title="Choose a password"
      intro="Choosing your password confirms your email address and finishes creating your StayWell account."
      passwordLabel="Create a password"
      confirmLabel="Enter the password again"
      button="Save password and confirm my email address"
      noForm={
        <>
          {problem ? null : <p>Open the link in the email we sent you. It works once and expires after 24 hours.</p>}
          <p>
            <Link to="/signup/check-email">Send me a new link</Link>
          </p>
          <p>
            Already chosen your password? <Link to="/login">Sign in</Link>
          </p>
        </>
      }
    />
  );
}
