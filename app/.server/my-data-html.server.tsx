// The readable page in "Download your data" (app/.server/models/my-data.server.ts). Rendered with
// React on the server, so every value a person typed is escaped text. The page runs nothing: its
// Content-Security-Policy allows no script, no request and no external style.
import type { MyDataExport } from "./models/my-data.server";
import { formatDateTime } from "~/components/format";
import { AccountRecordsHtml } from "./my-data-account-html.server";
import { RetentionRecordsHtml } from "./my-data-retention-html.server";

const CSS = `body{font-family:Arial,sans-serif;max-width:60em;margin:1em auto;padding:0 1em;line-height:1.5;color:#212b32}
table{border-collapse:collapse;width:100%;margin-bottom:1em}th,td{border:1px solid #aeb7bd;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f0f4f5}pre{white-space:pre-wrap;font-family:inherit;margin:0}section{border-top:2px solid #005eb8;margin-top:2em}`;

function when(iso: string | null) {
  return iso ? formatDateTime(iso) : "";
}

export function MyDataHtml({ data }: { data: MyDataExport }) {
  const p = data.profile;
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta httpEquiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Your data from StayWell</title>
        <style>{CSS}</style>
      </head>
      <body>
        <h1>Your data from StayWell</h1>
        <p>Made {when(data.generatedAt)}.</p>
        <p>{data.about}</p>
        <h2>Your profile</h2>
        <table>
          <tbody>
            <tr>
              <th scope="row">Name</th>
              <td>{p.name}</td>
            </tr>
            <tr>
              <th scope="row">Email address</th>
              <td>{p.email}</td>
            </tr>
            <tr>
              <th scope="row">Organisation</th>
              <td>{p.organisation}</td>
            </tr>
            <tr>
              <th scope="row">Staff group</th>
              <td>{p.staffGroup}</td>
            </tr>
            <tr>
              <th scope="row">Job title</th>
              <td>{p.jobTitle ?? "Not given"}</td>
            </tr>
            <tr>
              <th scope="row">Start date in post</th>
              <td>{p.startDateInPost}</td>
            </tr>
            <tr>
              <th scope="row">Role in StayWell</th>
              <td>{p.role}</td>
            </tr>
            <tr>
              <th scope="row">Account created</th>
              <td>{when(p.accountCreatedAt)}</td>
            </tr>
          </tbody>
        </table>
        <AccountRecordsHtml account={data.account} />
        <h2>Your requests ({data.requests.length})</h2>
        {data.requests.length === 0 ? <p>You have not made any requests.</p> : null}
        {data.requests.map((r) => (
          <section key={r.reference} aria-labelledby={`r-${r.reference}`}>
            <h3 id={`r-${r.reference}`}>
              {r.reference}: {r.support}
            </h3>
            <p>
              Status: {r.status}
              {r.outcome ? ` (${r.outcome})` : ""}
              {r.retentionOutcome ? `. What happened: ${r.retentionOutcome}` : ""}. Sent {when(r.submittedAt)}
              {r.closedAt ? `, finished ${when(r.closedAt)}` : ""}. Handled by {r.team}.
            </p>
            {r.detailsErasedAt ? <p>Its details were erased {when(r.detailsErasedAt)}.</p> : null}
            <h4>Your answers</h4>
            <table>
              <tbody>
                {r.answers.map((a) => (
                  <tr key={a.question}>
                    <th scope="row">{a.question}</th>
                    <td>
                      <pre>{Array.isArray(a.answer) ? a.answer.join("\n") : a.answer}</pre>
                    </td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">How to contact you</th>
                  <td>
                    {r.contact.method}
                    {r.contact.phone ? `, ${r.contact.phone}` : ""}
                    {r.contact.times ? `, ${r.contact.times}` : ""}
                  </td>
                </tr>
                <tr>
                  <th scope="row">The people hub may talk to your line manager</th>
                  <td>{r.consentToTalkToLineManager ? "Yes" : "No"}</td>
                </tr>
                {r.rating ? (
                  <tr>
                    <th scope="row">Your rating</th>
                    <td>
                      {r.rating.stars} out of 5{r.rating.comment ? `: ${r.rating.comment}` : ""}
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </table>
            <h4>Status history</h4>
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                </tr>
              </thead>
              <tbody>
                {r.statusHistory.map((s, i) => (
                  <tr key={i}>
                    <td>{when(s.at)}</td>
                    <td>{s.from ?? ""}</td>
                    <td>{s.to}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h4>Updates and messages</h4>
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">By</th>
                  <th scope="col">Message</th>
                </tr>
              </thead>
              <tbody>
                {r.updates.map((u, i) => (
                  <tr key={i}>
                    <td>{when(u.at)}</td>
                    <td>{u.what}</td>
                    <td>{u.by}</td>
                    <td>
                      <pre>{u.message ?? ""}</pre>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h4>Who looked at or changed it</h4>
            {r.whoLookedOrChanged.length === 0 ? (
              <p>Nobody in the people hub has opened it yet.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">Role and team</th>
                    <th scope="col">What</th>
                  </tr>
                </thead>
                <tbody>
                  {r.whoLookedOrChanged.map((a, i) => (
                    <tr key={i}>
                      <td>{when(a.at)}</td>
                      <td>{a.name}</td>
                      <td>{a.role}</td>
                      <td>{a.action}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        ))}
        <h2>Your leaving questionnaire</h2>
        {data.leaving ? (
          <table>
            <tbody>
              <tr>
                <th scope="row">Answered</th>
                <td>{when(data.leaving.answeredAt)}</td>
              </tr>
              <tr>
                <th scope="row">Last working day</th>
                <td>{data.leaving.lastWorkingDay}</td>
              </tr>
              <tr>
                <th scope="row">Where you are going</th>
                <td>{data.leaving.whereYouAreGoing}</td>
              </tr>
              <tr>
                <th scope="row">Why you are leaving</th>
                <td>{data.leaving.whyYouAreLeaving.join(", ")}</td>
              </tr>
              <tr>
                <th scope="row">The main reason</th>
                <td>{data.leaving.mainReason}</td>
              </tr>
              <tr>
                <th scope="row">What you told us</th>
                <td>{data.leaving.whatYouToldUs ?? "Nothing"}</td>
              </tr>
              <tr>
                <th scope="row">What might have kept you</th>
                <td>{data.leaving.whatMightHaveKeptYou.join(", ") || "Not answered"}</td>
              </tr>
              <tr>
                <th scope="row">StayWell support you used</th>
                <td>{data.leaving.staywellSupportYouUsed.join(", ") || "Not answered"}</td>
              </tr>
              <tr>
                <th scope="row">Support you knew about</th>
                <td>{data.leaving.supportYouKnewAbout.join(", ") || "Not answered"}</td>
              </tr>
              <tr>
                <th scope="row">Would you consider coming back</th>
                <td>{data.leaving.wouldYouConsiderComingBack.join(", ") || "Not answered"}</td>
              </tr>
              <tr>
                <th scope="row">Contact about coming back</th>
                <td>
                  {data.leaving.contactAboutComingBack
                    ? `Yes: ${data.leaving.contactAboutComingBack.name}, ${data.leaving.contactAboutComingBack.personalEmail} (${data.leaving.contactAboutComingBack.confirmed ? "confirmed" : "not confirmed yet"})`
                    : "No"}
                </td>
              </tr>
            </tbody>
          </table>
        ) : (
          <p>You have not told StayWell you are leaving.</p>
        )}
        <RetentionRecordsHtml records={data.retention} />
        <h2>What is not in this file</h2>
        <ul>
          {data.notIncluded.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
        <p>
          To ask for any of it, or to correct something, contact the data protection officer of NHS Staffordshire and
          Stoke-on-Trent Integrated Care Board, which runs StayWell, and say it is a subject access request (see
          StayWell&apos;s Privacy page). You will have an answer within one month.
        </p>
      </body>
    </html>
  );
}
