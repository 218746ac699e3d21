// Where a person lands after deleting their own account (signed out).
import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [{ title: "Your account has been deleted – StayWell" }];

export default function AccountDeleted() {
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <div className="nhsuk-panel">
          <h1 className="nhsuk-panel__title">Your account has been deleted</h1>
        </div>
        <p>
          Your open requests were withdrawn and the people hub was told. Your name, email address, answers and messages
          have been erased, and you have been signed out everywhere.
        </p>
        <p>
          If you need support again, you can <Link to="/signup">create a new account</Link>. If you are struggling now,
          call NHS 111 or, in an emergency, 999.
        </p>
      </div>
    </div>
  );
}
