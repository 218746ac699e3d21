import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { isCommonPassword } from "~/.server/auth/password.server";
import { parseForm } from "~/.server/forms.server";
import { checkVerificationToken, completeSignup, type TokenProblem } from "~/.server/models/accounts.server";
import { Button, ErrorSummary, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { choosePasswordSchema, PASSWORD_MIN } from "~/schemas/accounts";

export const meta: MetaFunction = () => [{ title: "Choose a password – StayWell" }];

// The link in the email opens this page: the person who holds the mailbox chooses the account's
// password here (docs/decisions/017, "Account pre-hijacking"). The GET uses nothing up (mail
// scanners open every link in an email); the POST sets the password, confirms the address, uses
// up the link and ends every session of the account, in one transaction.
export async function loader({ request }: LoaderFunctionArgs) {
  const token = (new URL(request.url).searchParams.get("token") ?? "").slice(0, 200);
  if (!token) return { token, problem: null };
  const checked = await checkVerificationToken(token);
  return { token, problem: checked.ok ? null : checked.reason };
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseForm(request, choosePasswordSchema);
  // Passwords are never sent back into the page; the token is not a value to echo either.
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
  const result = await completeSignup(token, password);
  if (result.ok) return redirect("/login?verified=1");
  return data({ errors: {}, values: {}, problem: result.reason }, { status: 400 });
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
  const { register, errors, formProps, isSubmitting } = useServerValidatedForm(choosePasswordSchema, {
    defaultValues: { token, password: "", confirmPassword: "" },
    actionData,
  });
  if (!token || problem) {
    return (
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {problem ? <ErrorSummary errors={[{ text: PROBLEMS[problem] }]} /> : null}
          <h1>Choose a password</h1>
          {problem ? null : <p>Open the link in the email we sent you. It works once and expires after 24 hours.</p>}
          <p>
            <Link to="/signup/check-email">Send me a new link</Link>
          </p>
          <p>
            Already chosen your password? <Link to="/login">Sign in</Link>
          </p>
        </div>
      </div>
    );
  }
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} order={["password", "confirmPassword"]} />
        <h1>Choose a password</h1>
        <p>Choosing your password confirms your email address and finishes creating your StayWell account.</p>
        <Form method="post" {...formProps}>
          <input type="hidden" {...register("token")} value={token} />
          <TextInput
            label="Create a password"
            hint={`Use ${PASSWORD_MIN} characters or more. A few unrelated words together make a strong password that is easy to remember.`}
            type="password"
            autoComplete="new-password"
            error={errors.password}
            {...register("password")}
          />
          <TextInput
            label="Enter the password again"
            type="password"
            autoComplete="new-password"
            error={errors.confirmPassword}
            {...register("confirmPassword")}
          />
          <Button disabled={isSubmitting}>Save password and confirm my email address</Button>
        </Form>
      </div>
    </div>
  );
}
