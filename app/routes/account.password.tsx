// /account/password: change your password (the current one is needed; the sign-up rules apply).
// Every other session of the person ends; this one stays (docs/decisions/028-your-account.md).
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { isCommonPassword } from "~/.server/auth/password.server";
import { requireSession, requireUser } from "~/.server/auth/session.server";
import { clientOf, describeWait } from "~/.server/auth/throttle.server";
import { parseForm } from "~/.server/forms.server";
import { changePassword } from "~/.server/models/account.server";
import { Button, ErrorSummary, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { SuccessBanner } from "~/components/nhsuk/notification-banner";
import { changePasswordSchema } from "~/schemas/account";
import { PASSWORD_MIN } from "~/schemas/accounts";

export const meta: MetaFunction = () => [{ title: "Change your password – StayWell" }];

export const headers: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return { changed: new URL(request.url).searchParams.get("done") === "changed" };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, sessionId } = await requireSession(request);
  const parsed = await parseForm(request, changePasswordSchema);
  // Passwords are never sent back into the page.
  if (!parsed.ok) return data({ errors: parsed.errors, values: {} }, { status: 400 });
  const { currentPassword, password } = parsed.data;
  if (isCommonPassword(password)) {
    return data(
      {
        errors: { password: "Choose a password that is harder to guess: this one is on a list of common passwords" },
        values: {},
      },
      { status: 400 },
    );
  }
  if (password === currentPassword) {
    return data(
      { errors: { password: "Choose a password different from your current one" }, values: {} },
      { status: 400 },
    );
  }
  const result = await changePassword(user, sessionId, currentPassword, password, clientOf(context));
  if (!result.ok) {
    if (result.reason === "throttled") {
      return data(
        {
          errors: {
            currentPassword: `Too many wrong passwords. Wait ${describeWait(result.retryAfterSeconds)} and try again`,
          },
          values: {},
        },
        { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
      );
    }
    return data({ errors: { currentPassword: "Your current password is not right" }, values: {} }, { status: 400 });
  }
  return redirect("/account/password?done=changed");
}

export default function ChangePassword() {
  const { changed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, errors, formProps, isSubmitting } = useServerValidatedForm(changePasswordSchema, {
    defaultValues: { currentPassword: "", password: "", confirmPassword: "" },
    actionData,
  });
  return (
    <>
      {changed ? (
        <SuccessBanner body="You have been signed out everywhere else.">Your password has been changed</SuccessBanner>
      ) : null}
      <ErrorSummary errors={errors} order={["currentPassword", "password", "confirmPassword"]} />
      <h1>Change your password</h1>
      <p>Changing your password signs you out of StayWell everywhere else: on other computers, phones and browsers.</p>
      <Form method="post" {...formProps}>
        <TextInput
          label="Current password"
          type="password"
          autoComplete="current-password"
          error={errors.currentPassword}
          {...register("currentPassword")}
        />
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
        <Button disabled={isSubmitting}>Change password</Button>
      </Form>
      <p>
        Forgotten your current password? <Link to="/forgot-password">Reset it by email</Link> (this signs you out).
      </p>
    </>
  );
}
