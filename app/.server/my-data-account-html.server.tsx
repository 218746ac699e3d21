// The readable page of "Download your data": your settings and account records (review of issue
// 12, finding 9). Kept apart from the requests part (my-data-html.server.tsx). Rendered with React
// on the server: every value is escaped text.
import type { ExportedAccountRecords } from "./models/my-data-account.server";
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

export function AccountRecordsHtml({ account }: { account: ExportedAccountRecords }) {
  const c = account.contactPreferences;
  return (
    <>
      <h2>How you would like to be contacted</h2>
      <table>
        <tbody>
          <Row label="Contact method">{c.method ?? "Not said"}</Row>
          <Row label="Phone number">{c.phone ?? "Not given"}</Row>
          <Row label="Best times">{c.bestTimes ?? "Not given"}</Row>
        </tbody>
      </table>
      <h2>Emails you receive</h2>
      <p>Emails about your own requests and your account are always sent.</p>
      <table>
        <tbody>
          {account.emailPreferences.map((e) => (
            <Row key={e.email} label={e.email}>
              {e.receive ? "Yes" : "No"}
            </Row>
          ))}
        </tbody>
      </table>
      <h2>Two-step verification</h2>
      <p>
        {account.twoStepVerification.on ? `On since ${when(account.twoStepVerification.since)}.` : "Off."} The secret
        and the codes are never included.
      </p>
      <h2>Where you are signed in ({account.sessions.length})</h2>
      {account.sessions.length === 0 ? (
        <p>Nowhere now.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last used</th>
            </tr>
          </thead>
          <tbody>
            {account.sessions.map((s, i) => (
              <tr key={i}>
                <td>{s.device}</td>
                <td>{when(s.signedInAt)}</td>
                <td>{when(s.lastUsedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Change of email address</h2>
      {account.pendingAddressChange ? (
        <p>
          Waiting for you to open the link sent to {account.pendingAddressChange.newEmail} (
          {account.pendingAddressChange.organisation}), asked {when(account.pendingAddressChange.askedAt)}; the link
          expires {when(account.pendingAddressChange.linkExpiresAt)}.
        </p>
      ) : (
        <p>None waiting.</p>
      )}
      <h2>Requests for access ({account.accessRequests.length})</h2>
      {account.accessRequests.length === 0 ? <p>None.</p> : null}
      {account.accessRequests.map((a, i) => (
        <table key={i}>
          <tbody>
            <Row label="Made">{when(a.madeAt)}</Row>
            <Row label="Name">{a.name}</Row>
            <Row label="Email address">{a.email}</Row>
            <Row label="Organisation">{a.organisation ?? "Not given"}</Row>
            <Row label="Job or role">{a.jobTitle}</Row>
            <Row label="Staff group">{a.staffGroup}</Row>
            <Row label="Start date in post">{a.startDateInPost}</Row>
            <Row label="Status">{a.status}</Row>
            {a.decidedAt ? <Row label="Decided">{when(a.decidedAt)}</Row> : null}
            {a.declineReason ? (
              <Row label="Reason given">
                <pre>{a.declineReason}</pre>
              </Row>
            ) : null}
            {a.status.startsWith("Waiting") ? <Row label="Expires">{when(a.expiresAt)}</Row> : null}
          </tbody>
        </table>
      ))}
    </>
  );
}
