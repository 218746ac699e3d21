import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { clientOf } from "~/.server/auth/throttle.server";
import { clearFlash, readFlash, setFlash, SIGNUP_EMAIL_FLASH } from "~/.server/flash.server";
import { parseForm } from "~/.server/forms.server";
import { sendNewVerificationLink } from "~/.server/models/accounts.server";
import { retryAfterHeaders, tooManyLinks } from "~/.server/single-use-link-routes.server";
import { EmailLinkForm } from "~/components/single-use-link";
import { newLinkSchema } from "~/schemas/accounts";

export const meta: MetaFunction = () => [{ title: "Check your email – StayWell" }];

export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  // The address comes from the flash cookie that sign-up set, never from the URL.
  // Shown once: the flash is removed as it is read.
  const email = readFlash(request, SIGNUP_EMAIL_FLASH) ?? "";
  return data(
    { email, sent: new URL(request.url).searchParams.get("sent") === "1" },
    email ? { headers: { "Set-Cookie": clearFlash(SIGNUP_EMAIL_FLASH, "/signup/check-email") } } : undefined,
  );
}

// "Send me a new link": the same answer whether or not the address has a pending account; limited
// per client and per address like sign-up (ADR 017).
export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await parseForm(request, newLinkSchema);
  if (!parsed.ok) return data({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await sendNewVerificationLink(parsed.data.email, clientOf(context));
  if (!result.ok) return tooManyLinks("links", parsed.data, result.retryAfterSeconds);
  return redirect("/signup/check-email?sent=1", {
    headers: { "Set-Cookie": setFlash(SIGNUP_EMAIL_FLASH, result.email, "/signup/check-email") },
  });
}

export default function CheckEmail() {
  const { email, sent } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <EmailLinkForm
      schema={newLinkSchema}
      email={email}
      actionData={actionData}
      label="Work email address"
      autoComplete="email"
      button="Send me a new link"
      secondary
      before={
        <>
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
            If your link has expired or the email has not arrived, we can send a new one to the address you used to
            create your account. We send at most 3 emails an hour to an address.
          </p>
        </>
      }
    />
  );
}
