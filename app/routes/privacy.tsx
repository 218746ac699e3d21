import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Privacy: who sees your request – StayWell" }];

export default function Privacy() {
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>Privacy: who sees your request</h1>
        <p>StayWell asks only for what the people hub needs to help you.</p>
        <h2>Who can read your request</h2>
        <ul>
          <li>You.</li>
          <li>The people hub coordinators in the team that handles that kind of support.</li>
        </ul>
        <p>
          Requests for confidential support, such as the psychological wellbeing hub, physiotherapy and occupational
          health, can be read only by that team. Administrators of StayWell cannot read them.
        </p>
        <p>
          No single administrator can widen that: moving confidential support to another team, or adding someone to the
          team that handles it, needs two administrators. Your request stays with the team that had it unless it is
          transferred, and a transfer appears on your request page.
        </p>
        <h2>Your line manager</h2>
        <p>
          Nothing about your request reaches your line manager unless you agree on the form. You can withdraw your
          agreement at any time by sending a message on your request.
        </p>
        <h2>Managers' reports</h2>
        <p>
          Managers see only numbers for groups of people, never names, and small numbers are hidden so that no one can
          be identified.
        </p>
        <h2>Your data</h2>
        <p>
          In <a href="/account/data">Your data</a> you can download everything StayWell holds about you, and delete your
          account. The download does not include the people hub&apos;s internal notes, the administration audit log,
          copies of the emails we sent you or the server&apos;s technical logs. To ask for them, or to have an
          administrator delete your account if you cannot sign in, contact the data protection officer of NHS
          Staffordshire and Stoke-on-Trent Integrated Care Board, which runs StayWell, and say it is a subject access
          (or erasure) request. You will have an answer within one month.
        </p>
        <h2>Who has looked at your request</h2>
        <p>
          Your request page lists everyone who has looked at or changed it, with their role and when, including any
          change an administrator made to it (such as moving it to another team).
        </p>
      </div>
    </div>
  );
}
