// /leaving/thank-you: after answering through a link (no account, so nothing else to show).
import type { MetaFunction } from "@remix-run/node";
import { HelpNowInset } from "~/components/urgent-help";

export const meta: MetaFunction = () => [{ title: "Thank you – StayWell" }];

export default function LeavingThankYou() {
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>Thank you</h1>
        <p>Your answers have been saved. They are only ever counted with other people&apos;s answers.</p>
        <p>
          If you asked to be contacted about coming back, open the link we emailed to your personal address to confirm
          it. Nobody will contact you until you do.
        </p>
        <HelpNowInset />
      </div>
    </div>
  );
}
