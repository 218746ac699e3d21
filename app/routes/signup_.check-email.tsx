import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Check your email – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const email = (new URL(request.url).searchParams.get("email") ?? "").slice(0, 254);
  return { email };
}

export default function CheckEmail() {
  const { email } = useLoaderData<typeof loader>();
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <div className="nhsuk-panel">
          <h1 className="nhsuk-panel__title">Check your email</h1>
          <div className="nhsuk-panel__body">We have sent a link to {email || "your work email address"}</div>
        </div>
        <p>Open the link in the email to confirm your address. Your account works once you have done this.</p>
        <p>The link expires after 24 hours. If you cannot find the email, check your junk folder.</p>
      </div>
    </div>
  );
}
