// /account/confirm-email?token=…: the link mailed to a new work address. Opening it (GET) uses
// nothing up (mail scanners open every link); the signed-in person confirms with a button, and only
// then do their address and organisation change. Someone else's link is "not valid" for them.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireSession, requireUser } from "~/.server/auth/session.server";
import { ACCOUNT_FLASH, setFlash } from "~/.server/flash.server";
import { readFormData } from "~/.server/forms.server";
import { checkEmailChange, confirmEmailChange, type EmailChangeProblem } from "~/.server/models/account.server";
import { Button, ErrorSummary } from "~/components/fields";

export const meta: MetaFunction = () => [{ title: "Confirm your new email address – StayWell" }];

function tokenOf(value: FormDataEntryValue | string | null) {
  return typeof value === "string" ? value.slice(0, 200) : "";
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const token = tokenOf(new URL(request.url).searchParams.get("token"));
  const checked = await checkEmailChange(user, token);
  return checked.ok
    ? { token, problem: null, newEmail: checked.newEmail, organisationName: checked.organisationName }
    : { token, problem: checked.reason, newEmail: null, organisationName: null };
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSession(request);
  const formData = await readFormData(request);
  // The session in use stays; the person's other sessions end (finding 7).
  const result = await confirmEmailChange(user, tokenOf(formData.get("token")), new Date(), sessionId);
  if (result.ok) {
    return redirect("/account", { headers: { "Set-Cookie": setFlash(ACCOUNT_FLASH, "changed", "/account") } });
  }
  return data({ problem: result.reason }, { status: 400 });
}

const PROBLEMS: Record<EmailChangeProblem, string> = {
  invalid: "This link is not valid. Check you copied the whole link, and that you are signed in as yourself.",
  used: "This link has already been used.",
  expired: "This link has expired. You can ask for a new one on Your details.",
  taken: "This email address already has a StayWell account, so your address has not been changed.",
};

export default function ConfirmEmail() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const problem = actionData?.problem ?? loaded.problem;
  if (problem) {
    return (
      <>
        <ErrorSummary errors={[{ text: PROBLEMS[problem] }]} />
        <h1>Confirm your new email address</h1>
        <p>
          <Link to="/account">Go to your details</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Confirm your new email address</h1>
      <p>
        Your email address will become <strong>{loaded.newEmail}</strong> and your organisation{" "}
        <strong>{loaded.organisationName}</strong>. You will sign in with the new address from now on.
      </p>
      <Form method="post">
        <input type="hidden" name="token" value={loaded.token} />
        <Button>Confirm the change</Button>
      </Form>
    </>
  );
}
