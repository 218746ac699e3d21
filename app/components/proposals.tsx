// The two-person rule on screen: the banner shown where a change was proposed instead of made,
// and the list of proposals with their Approve / Decline forms (on /admin). Plain forms: they
// work without JavaScript. Everything shown is text (summaries are built from names an
// administrator typed, rendered as React text, never as markup).
import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { formatDateTime } from "~/components/format";
import { Button } from "~/components/fields";

export const PROPOSED_MESSAGE = "This needs a second administrator: your change has been proposed";

/** Shown after a change that now waits for a second administrator. */
export function ProposedBanner({ children }: { children?: ReactNode }) {
  return (
    <div className="nhsuk-notification-banner" data-module="nhsuk-notification-banner" role="alert" aria-labelledby="proposed-title">
      <div className="nhsuk-notification-banner__header">
        <h2 className="nhsuk-notification-banner__title" id="proposed-title">
          Important
        </h2>
      </div>
      <div className="nhsuk-notification-banner__content">
        <p className="nhsuk-notification-banner__heading">{PROPOSED_MESSAGE}</p>
        <p className="nhsuk-body">
          {children}
          {children ? " " : null}
          Another administrator can approve or decline it on the <Link to="/admin#proposals">Administration</Link> page within 7
          days. Until then nothing changes.
        </p>
      </div>
    </div>
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
              <dl className="nhsuk-summary-list">
                <div className="nhsuk-summary-list__row">
                  <dt className="nhsuk-summary-list__key">Proposed by</dt>
                  <dd className="nhsuk-summary-list__value">
                    {p.proposedBy.name} ({p.proposedBy.email}){p.mine ? " – you" : null}, <When at={p.proposedAt} />
                  </dd>
                </div>
                <div className="nhsuk-summary-list__row">
                  <dt className="nhsuk-summary-list__key">{expired ? "Expired" : "Expires"}</dt>
                  <dd className="nhsuk-summary-list__value">
                    <When at={p.expiresAt} />
                  </dd>
                </div>
                {p.details.map((d) => (
                  <div className="nhsuk-summary-list__row" key={d.label}>
                    <dt className="nhsuk-summary-list__key">{d.label}</dt>
                    <dd className="nhsuk-summary-list__value">
                      When proposed: {d.before}
                      <br />
                      After approval: {d.after}
                    </dd>
                  </div>
                ))}
                {p.destination && !expired ? (
                  <div className="nhsuk-summary-list__row">
                    <dt className="nhsuk-summary-list__key">Team {p.destination.teamName} now</dt>
                    <dd className="nhsuk-summary-list__value">
                      {p.destination.members.length ? (
                        <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                          {p.destination.members.map((m) => (
                            <li key={m}>{m}</li>
                          ))}
                        </ul>
                      ) : (
                        "No members"
                      )}
                    </dd>
                  </div>
                ) : null}
              </dl>
              <p className="nhsuk-body-s">
                <Link to={p.href}>
                  Where this change is made<span className="nhsuk-u-visually-hidden">: {p.summary}</span>
                </Link>
              </p>
              {expired ? (
                <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">Nothing was changed. Propose it again if it is still needed.</p>
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
                      You became an administrator less than 7 days ago: you can approve changes from <When at={p.approveFrom} />.
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
