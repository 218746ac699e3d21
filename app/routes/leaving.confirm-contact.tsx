// /leaving/confirm-contact?token=…: the link mailed to a leaver's personal address. Opening it shows
// a button; only the POST confirms (a mail scanner that follows links confirms nothing). The
// consent counts from then (docs/decisions/033-leaving-questionnaire.md).
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { readFormData } from "~/.server/forms.server";
import { confirmContact } from "~/.server/models/leaving.server";
import { Button } from "~/components/fields";

export const meta: MetaFunction = () => [{ title: "Confirm your email address – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return { token: token.slice(0, 200) };
}

export async function action({ request }: ActionFunctionArgs) {
  const formData = await readFormData(request);
  const token = formData.get("token");
  const result = await confirmContact(typeof token === "string" ? token : "");
  return data({ result }, { status: result === "confirmed" ? 200 : result === "expired" ? 410 : 404 });
}

export default function ConfirmContact() {
  const { token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const result = actionData?.result;
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {result === "confirmed" ? (
          <>
            <h1>Email address confirmed</h1>
            <p>
              The Retention and careers team may now contact you about coming back. You can withdraw this at any time.
            </p>
          </>
        ) : result === "expired" ? (
          <>
            <h1>This link has expired</h1>
            <p>Nobody will contact you. If you still want to be contacted, answer the leaving questionnaire again.</p>
          </>
        ) : result === "invalid" ? (
          <>
            <h1>This link does not work</h1>
            <p>It may have been used already. Check you copied the whole link from the email.</p>
          </>
        ) : (
          <>
            <h1>Confirm your email address</h1>
            <p>Confirm that the Retention and careers team may contact you at this address about coming back.</p>
            <Form method="post">
              <input type="hidden" name="token" value={token} />
              <Button>Confirm my email address</Button>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}
