// /account/data: "Download your data" (a ZIP of JSON and a readable page, posted to
// /account/data/download so no other site can start it) and "Delete your account" (a confirmation
// step at /account/data/delete). docs/decisions/030-your-data-export-and-erasure.md.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { requireUser } from "~/.server/auth/session.server";
import { Button } from "~/components/fields";

export const meta: MetaFunction = () => [{ title: "Your data – Your account – StayWell" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

export default function YourData() {
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>Your data</h1>
        <h2>Download your data</h2>
        <p>
          A ZIP file with everything StayWell holds about you that we can give you straight away: your profile, and
          every request you made with your answers, the messages, its status history and who in the people hub looked at
          or changed it. It holds the same information twice: as a page you can open in a browser (your-data.html) and
          as data other programs can read (your-data.json).
        </p>
        <p>
          It does not include the people hub&apos;s internal notes. To ask for them, or for anything else we hold, see{" "}
          <Link to="/privacy">Privacy</Link>.
        </p>
        {/* A full-page POST: the browser saves the file, with or without JavaScript. */}
        <Form method="post" action="/account/data/download" reloadDocument>
          <Button variant="secondary">Download your data</Button>
        </Form>
        <h2>Delete your account</h2>
        <p>
          Your open requests are withdrawn and the people hub is told. Your name, email address, phone number, answers
          and messages are erased, and you are signed out everywhere. What is left cannot be linked back to you: your
          requests still count in the figures managers see, as numbers only. This cannot be undone.
        </p>
        <p>
          <Link to="/account/data/delete">Delete your account</Link>
        </p>
      </div>
    </div>
  );
}
