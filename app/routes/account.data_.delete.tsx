// /account/data/delete: the confirmation step of "Delete your account" — the person enters their
// password. Then, in one transaction (app/.server/models/anonymise.server.ts eraseAccount), their
// open requests are withdrawn (the hub is told), everything identifying is erased and every session
// ends; they land on /account-deleted, signed out.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { blankSessionCookie } from "~/.server/auth/lucia.server";
import { clientOf } from "~/.server/auth/throttle.server";
import { requireUser } from "~/.server/auth/session.server";
import { isAllowedOrigin } from "~/.server/csrf.server";
import { env } from "~/.server/env";
import { parseForm } from "~/.server/forms.server";
import { eraseMyAccount, isErasureError } from "~/.server/models/anonymise.server";
import { Button, ErrorSummary, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { deleteMyAccountSchema } from "~/schemas/your-data";

export const meta: MetaFunction = () => [{ title: "Delete your account – Your account – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (!isAllowedOrigin(request.method, request.headers.get("origin"), env().APP_URL)) {
    throw new Response("This request did not come from a StayWell page, so it was refused.", { status: 403 });
  }
  const user = await requireUser(request, "/account/data/delete");
  const parsed = await parseForm(request, deleteMyAccountSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: {} }, { status: 400 });
  try {
    await eraseMyAccount(user, { password: parsed.data.password }, new Date(), clientOf(context));
  } catch (err) {
    if (isErasureError(err) && err.code !== "not_found" && err.code !== "already_erased") {
      return data(
        { errors: { [err.field ?? "_form"]: err.message }, values: {} },
        { status: err.code === "throttled" ? 429 : 400 },
      );
    }
    throw err;
  }
  throw redirect("/account-deleted", { headers: { "Set-Cookie": blankSessionCookie() } });
}

export default function DeleteAccount() {
  const actionData = useActionData<typeof action>();
  const { register, errors, formProps, isSubmitting } = useServerValidatedForm(deleteMyAccountSchema, {
    defaultValues: { password: "" },
    actionData,
  });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <h1>Delete your account</h1>
        <p>When you delete your account:</p>
        <ul>
          <li>your open requests are withdrawn, and the people hub is told</li>
          <li>your name, email address, phone number, answers and messages are erased</li>
          <li>you are signed out on every device</li>
          <li>your requests still count in the figures managers see, as numbers that cannot be linked to you</li>
        </ul>
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>
              This cannot be undone
            </span>
          </h2>
          <p>
            If you might want a copy, <Link to="/account/data">download your data</Link> first.
          </p>
        </div>
        <Form method="post" {...formProps}>
          <TextInput
            label="Enter your password to confirm"
            type="password"
            autoComplete="current-password"
            error={errors.password}
            {...register("password")}
          />
          <div className="nhsuk-button-group">
            <Button variant="warning" disabled={isSubmitting}>
              Delete your account
            </Button>
            <Link to="/account/data" className="nhsuk-link">
              Cancel
            </Link>
          </div>
        </Form>
      </div>
    </div>
  );
}
