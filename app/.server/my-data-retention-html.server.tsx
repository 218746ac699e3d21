// The readable page of "Download your data": your first-year check-ins and your reservist bank
// profile and invitations (issue 14). Kept apart from the requests part (my-data-html.server.tsx).
// Rendered with React on the server: every value is escaped text.
import type { ExportedRetentionRecords } from "./models/my-data-retention.server";
import { formatDateTime } from "~/components/format";

function when(iso: string | null) {
  return iso ? formatDateTime(iso) : "";
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{children}</td>
    </tr>
  );
}

export function RetentionRecordsHtml({ records }: { records: ExportedRetentionRecords }) {
  const { firstYearCheckIns, reservistProfile: r, reservistInvitations } = records;
  return (
    <>
      <h2>Your first-year check-ins ({firstYearCheckIns.checkIns.length})</h2>
      <p>Check-ins are {firstYearCheckIns.turnedOn ? "turned on" : "turned off"} for you.</p>
      {firstYearCheckIns.checkIns.length === 0 ? <p>None sent to you.</p> : null}
      {firstYearCheckIns.checkIns.map((c, i) => (
        <table key={i}>
          <caption>{c.point} after starting</caption>
          <tbody>
            <Row label="Due">{c.dueOn}</Row>
            <Row label="Sent">{when(c.sentAt)}</Row>
            <Row label="Could be answered until">{when(c.expiresAt)}</Row>
            <Row label="Answered">{c.answeredAt ? when(c.answeredAt) : "Not answered"}</Row>
            {c.answers.map((a) => (
              <Row key={a.question} label={a.question}>
                {a.answer}
              </Row>
            ))}
            {c.requestReference ? <Row label="Request it created">{c.requestReference}</Row> : null}
          </tbody>
        </table>
      ))}
      <h2>Your reservist bank profile</h2>
      {r ? (
        <table>
          <tbody>
            <Row label="Registration">{r.registrationBody}</Row>
            <Row label="Registration number">{r.registrationNumber ?? "None"}</Row>
            <Row label="Staff group">{r.staffGroup}</Row>
            <Row label="Roles and skills">{r.skills.join(", ") || "None"}</Row>
            <Row label="Organisations you would work for">{r.organisations.join(", ") || "None"}</Row>
            <Row label="Hours a week">{r.hoursPerWeek}</Row>
            <Row label="Days">{r.days.join(", ")}</Row>
            <Row label="Available from">{r.availableFrom}</Row>
            <Row label="Available until">{r.availableUntil ?? "No end date"}</Row>
            <Row label="DBS check current">{r.dbsCheckCurrent ? "Yes" : "No"}</Row>
            <Row label="Contact email">{r.contactEmail ?? "None: we have no address to email you at"}</Row>
            <Row label="Paused">{r.pausedAt ? `Since ${when(r.pausedAt)}` : "No"}</Row>
            <Row label="Last confirmed">{when(r.lastConfirmedAt)}</Row>
          </tbody>
        </table>
      ) : (
        <p>You are not in the reservist bank.</p>
      )}
      <h2>Your reservist invitations ({reservistInvitations.length})</h2>
      {reservistInvitations.length === 0 ? <p>None.</p> : null}
      {reservistInvitations.map((inv, i) => (
        <table key={i}>
          <tbody>
            <Row label="Organisation">{inv.organisation}</Row>
            <Row label="Place">{inv.place}</Row>
            <Row label="Dates">
              {inv.startDate} to {inv.endDate}
            </Row>
            <Row label="Hours a week">{inv.hoursPerWeek}</Row>
            <Row label="Reason">{inv.reason}</Row>
            <Row label="Invited">{when(inv.invitedAt)}</Row>
            <Row label="Your answer">{inv.answer}</Row>
            {inv.answeredAt ? <Row label="Answered">{when(inv.answeredAt)}</Row> : null}
          </tbody>
        </table>
      ))}
    </>
  );
}
