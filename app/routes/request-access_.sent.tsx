// After "Request access": the same page whether or not the address has an account
// (docs/decisions/027-joining.md). Only what the person typed is shown back to them.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ACCESS_EMAIL_FLASH, clearFlash, readFlash } from "~/.server/flash.server";
import { ACCESS_REQUEST_DAYS } from "~/schemas/joining";

export const meta: MetaFunction = () => [{ title: "Request sent – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // The address comes from the flash cookie that "Request access" set, never from the URL.
  // Shown once: the flash is removed as it is read.
  const email = readFlash(request, ACCESS_EMAIL_FLASH) ?? "";
  return data(
    { email },
    email ? { headers: { "Set-Cookie": clearFlash(ACCESS_EMAIL_FLASH, "/request-access/sent") } } : undefined,
  );
}

export default function RequestSent() {
  const { email } = useLoaderData<typeof loader>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <div className="nhsuk-panel">
          <h1 className="nhsuk-panel__title">Request sent</h1>
          {email ? (
            <div className="nhsuk-panel__body">
              We will email <span className="staywell-break-anywhere">{email}</span>
            </div>
          ) : null}
        </div>
        <h2>What happens next</h2>
        <p>
          We have sent you an email to confirm we have your request. A StayWell administrator will check it. If they
          approve it, we will email you a link to choose your password. If not, we will email you to say why.
        </p>
        <p>
          If we have not answered within {ACCESS_REQUEST_DAYS} days, your request expires and you can{" "}
          <Link to="/request-access">ask again</Link>.
        </p>
        <p>If you cannot find our emails, check your junk folder.</p>
      </div>
    </div>
  );
}
