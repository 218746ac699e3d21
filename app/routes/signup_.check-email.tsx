import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { clientOf, describeWait } from "~/.server/auth/throttle.server";
import { parseForm } from "~/.server/forms.server";
import { sendNewVerificationLink } from "~/.server/models/accounts.server";
import { Button, ErrorSummary, str, TextInput } from "~/components/fields";
import { useServerValidatedForm } from "~/components/forms";
import { newLinkSchema } from "~/schemas/accounts";

export const meta: MetaFunction = () => [{ title: "Check your email – StayWell" }];

export const headers: HeadersFunction = ({ actionHeaders, parentHeaders }) => {
  const headers = new Headers(parentHeaders);
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const email = (params.get("email") ?? "").slice(0, 254);
  return { email, sent: params.get("sent") === "1" };
}

// "Send me a new link": the same answer whether or not the address has a pending account; limited
// per client and per address like sign-up (ADR 017).
export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await parseForm(request, newLinkSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await sendNewVerificationLink(parsed.data.email, clientOf(context));
  if (!result.ok) {
    return data(
      {
        errors: {
          email: `Too many links have been asked for from your connection. Wait ${describeWait(result.retryAfterSeconds)} and try again`,
        },
        values: parsed.data,
      },
      { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } },
    );
  }
  return redirect(`/signup/check-email?email=${encodeURIComponent(result.email)}&sent=1`);
}

export default function CheckEmail() {
  const { email, sent } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, errors, values, formProps, isSubmitting } = useServerValidatedForm(newLinkSchema, {
    defaultValues: { email },
    actionData,
  });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        {email ? (
          <>
            <div className="nhsuk-panel">
              <h1 className="nhsuk-panel__title">Check your email to choose your password</h1>
              <div className="nhsuk-panel__body">
                {sent
                  ? "If you have started creating an account, we have sent a new link to "
                  : "We have sent a link to "}
                {email}
              </div>
            </div>
            <p>Open the link in the email and choose your password. Your account works once you have done this.</p>
            <p>The link expires after 24 hours. If you cannot find the email, check your junk folder.</p>
            <h2>Send me a new link</h2>
          </>
        ) : (
          <h1>Send me a new link</h1>
        )}
        <p>
          If your link has expired or the email has not arrived, we can send a new one to the address you used to create
          your account. We send at most 3 emails an hour to an address.
        </p>
        <Form method="post" {...formProps}>
          <TextInput
            label="Work email address"
            type="email"
            autoComplete="email"
            spellCheck={false}
            error={errors.email}
            defaultValue={str(values.email)}
            {...register("email")}
          />
          <Button variant="secondary" disabled={isSubmitting}>
            Send me a new link
          </Button>
        </Form>
      </div>
    </div>
  );
}
