// The two-person rule on screen: the banner shown where a change was proposed instead of made,
// and the list of proposals with their Approve / Decline forms (on /admin). Plain forms: they
// work without JavaScript. Everything shown is text (summaries are built from names an
// administrator typed, rendered as React text, never as markup).
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { formatDateTime } from "~/components/format";
import { Button } from "~/components/fields";
import { NotificationBanner } from "./nhsuk/notification-banner";
import { SummaryList, SummaryListRow } from "./nhsuk/summary-list";

export const PROPOSED_MESSAGE = "This needs a second administrator: your change has been proposed";

/** Shown after a change that now waits for a second administrator. */
export function ProposedBanner({ children }: { children?: ReactNode }) {
  return (
    <NotificationBanner
      role="alert"
      titleId="proposed-title"
      body={
        <>
          {children}
          {children ? " " : null}
          Another administrator can approve or decline it on the <Link to="/admin#proposals">Administration</Link> page
          within 7 days. Until then nothing changes.
        </>
      }
    >
      {PROPOSED_MESSAGE}
    </NotificationBanner>
  );
}

export interface ProposalItem {
  id: number;
  status: string;
  summary: string;
  details: { label: string; before: string; after: string }[];
  proposedBy: { name: string; email: string };
  proposedAt: Date | string;
  expiresAt: Date | string;
  mine: boolean;
  canApprove: boolean;
  href: string;
  /** A move or transfer: who is in the destination team now. */
  destination?: { teamName: string; members: string[] } | null;
  /** The viewer became an administrator recently: when they may start approving. */
  approveFrom?: Date | string | null;
}

function When({ at }: { at: Date | string }) {
  const d = new Date(at);
  return <time dateTime={d.toISOString()}>{formatDateTime(d)}</time>;
}

/** One card per proposal: what changes, who proposed it and when, expiry, and the decision forms. */
export function ProposalList({ proposals }: { proposals: ProposalItem[] }) {
  if (proposals.length === 0) return <p>No change is waiting for a second administrator.</p>;
  return (
    <ul className="nhsuk-list">
      {proposals.map((p) => {
        const headingId = `proposal-${p.id}-heading`;
        const expired = p.status === "expired";
        return (
          <li key={p.id} className="nhsuk-card">
            <div className="nhsuk-card__content">
              <h3 className="nhsuk-card__heading nhsuk-heading-s" id={headingId}>
                {expired ? (
                  <>
                    <strong className="nhsuk-tag nhsuk-tag--grey">Expired</strong>{" "}
                  </>
                ) : null}
                {p.summary}
              </h3>
              <SummaryList>
                <SummaryListRow label="Proposed by">
                  {p.proposedBy.name} ({p.proposedBy.email}){p.mine ? " – you" : null}, <When at={p.proposedAt} />
                </SummaryListRow>
                <SummaryListRow label={expired ? "Expired" : "Expires"}>
                  <When at={p.expiresAt} />
                </SummaryListRow>
                {p.details.map((d) => (
                  <SummaryListRow key={d.label} label={d.label}>
                    When proposed: {d.before}
                    <br />
                    After approval: {d.after}
                  </SummaryListRow>
                ))}
                {p.destination && !expired ? (
                  <SummaryListRow label={<>Team {p.destination.teamName} now</>}>
                    {p.destination.members.length ? (
                      <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                        {p.destination.members.map((m) => (
                          <li key={m}>{m}</li>
                        ))}
                      </ul>
                    ) : (
                      "No members"
                    )}
                  </SummaryListRow>
                ) : null}
              </SummaryList>
              <p className="nhsuk-body-s">
                <Link to={p.href}>
                  Where this change is made<span className="nhsuk-u-visually-hidden">: {p.summary}</span>
                </Link>
              </p>
              {expired ? (
                <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                  Nothing was changed. Propose it again if it is still needed.
                </p>
              ) : (
                <div className="staywell-button-group">
                  {p.canApprove ? (
                    <Form method="post" className="nhsuk-u-display-inline-block nhsuk-u-margin-right-3">
                      <input type="hidden" name="proposalId" value={p.id} />
                      <Button name="intent" value="approve" className="nhsuk-u-margin-bottom-0">
                        Approve<span className="nhsuk-u-visually-hidden">: {p.summary}</span>
                      </Button>
                    </Form>
                  ) : null}
                  <Form method="post" className="nhsuk-u-display-inline-block">
                    <input type="hidden" name="proposalId" value={p.id} />
                    <Button name="intent" value="decline" variant="secondary" className="nhsuk-u-margin-bottom-0">
                      {p.mine ? "Withdraw" : "Decline"}
                      <span className="nhsuk-u-visually-hidden">: {p.summary}</span>
                    </Button>
                  </Form>
                  {p.mine ? (
                    <p className="nhsuk-body-s nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-0">
                      You proposed this: another administrator must approve it.
                    </p>
                  ) : !p.canApprove && p.approveFrom ? (
                    <p className="nhsuk-body-s nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-0">
                      You became an administrator less than 7 days ago: you can approve changes from{" "}
                      <When at={p.approveFrom} />.
                    </p>
                  ) : !p.canApprove ? (
                    <p className="nhsuk-body-s nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-0">
                      This adds you to a team: another administrator must approve it.
                    </p>
                  ) : null}
                </div>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
