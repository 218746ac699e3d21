// /reset-password?token=…: the page a "forgot your password?" link opens. The GET uses nothing up
// (mail scanners open every link in an email); the POST sets the password, uses up the link (and
// every other reset link of the account) and ends every session, in one transaction.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { blankSessionCookie } from "~/.server/auth/lucia.server";
import { isCommonPassword } from "~/.server/auth/password.server";
import { parseForm } from "~/.server/forms.server";
import { checkResetToken, resetPassword, type ResetProblem } from "~/.server/models/account.server";
import { Button, ErrorSummary, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { resetPasswordSchema } from "~/schemas/account";
import { PASSWORD_MIN } from "~/schemas/accounts";

export const meta: MetaFunction = () => [{ title: "Choose a new password – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = (new URL(request.url).searchParams.get("token") ?? "").slice(0, 200);
  if (!token) return { token, problem: "invalid" as ResetProblem };
  const checked = await checkResetToken(token);
  return { token, problem: checked.ok ? null : checked.reason };
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = await parseForm(request, resetPasswordSchema);
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
  const result = await resetPassword(token, password);
  // Every session has ended, this browser's too.
  if (result.ok) return redirect("/login?reset=1", { headers: { "Set-Cookie": blankSessionCookie() } });
  return data({ errors: {}, values: {}, problem: result.reason }, { status: 400 });
}

const PROBLEMS: Record<ResetProblem, string> = {
  invalid: "This link is not valid. Check you copied the whole link from the email.",
  used: "This link has already been used. If you chose a new password with it, sign in with that password.",
  expired: "This link has expired. Links work for an hour. Ask for a new one.",
};

export default function ResetPassword() {
  const { token, problem: loaderProblem } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const problem = actionData?.problem ?? loaderProblem;
  const { register, errors, formProps, isSubmitting } = useServerValidatedForm(resetPasswordSchema, {
    defaultValues: { token, password: "", confirmPassword: "" },
    actionData,
  });
  if (problem) {
    return (
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={[{ text: PROBLEMS[problem] }]} />
          <h1>Choose a new password</h1>
          <p>
            <Link to="/forgot-password">Send me a new link</Link>
          </p>
        </div>
      </div>
    );
  }
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} order={["password", "confirmPassword"]} />
        <h1>Choose a new password</h1>
        <p>Choosing a new password signs you out of StayWell everywhere.</p>
        <Form method="post" {...formProps}>
          <input type="hidden" {...register("token")} value={token} />
          <TextInput
            label="New password"
            hint={`Use ${PASSWORD_MIN} characters or more. A few unrelated words together make a strong password that is easy to remember.`}
            type="password"
            autoComplete="new-password"
            error={errors.password}
            {...register("password")}
          />
          <TextInput
            label="Enter the new password again"
            type="password"
            autoComplete="new-password"
            error={errors.confirmPassword}
            {...register("confirmPassword")}
          />
          <Button disabled={isSubmitting}>Save new password</Button>
        </Form>
      </div>
    </div>
  );
}
