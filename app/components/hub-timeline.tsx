// The full timeline of a request as the people hub sees it (/hub/requests/<reference>).
//
// The kinds of entry must never be confused, above all an internal note with a message the person
// will read: internal notes are NHS.UK warning cards (yellow) headed "Internal note — not shown to
// <first name>"; messages to the person are plain cards headed "Message to <name>"; the person's own
// messages are feature cards headed "Message from <name>"; status changes and assignments are
// one-line entries. Each entry says who (name and role) and when. Text people typed is rendered only
// as React text.
import type { ReactNode } from "react";
import type { RequestStatus, UserRole } from "@db/schema";
import { CLOSE_OUTCOMES, STATUS_LABELS } from "~/lib/request-status";
import { retentionOutcomeLabel } from "~/lib/leaving";
import { When } from "./hub-request-parts";

export interface HubTimelineEntry {
  id: number;
  kind:
    | "submitted"
    | "message_from_staff"
    | "message_to_staff"
    | "internal_note"
    | "status_changed"
    | "assigned"
    | "withdrawn"
    | "viewed"
    | "consent_withdrawn"
    | "consent_given"
    | "manager_contacted";
  body: string | null;
  data: Record<string, unknown> | null;
  visibleToRequester: boolean;
  createdAt: Date | string;
  actorName: string | null;
  actorRole: UserRole | null;
  byRequester: boolean;
  /** "assigned" events: who it was assigned to (null: unassigned). */
  assigneeName?: string | null;
  /** Written by someone else since this coordinator last opened the request (docs/decisions/015). */
  isNew?: boolean;
}

const ROLE_LABELS: Record<UserRole, string> = {
  staff: "Staff",
  coordinator: "Coordinator",
  manager: "Manager",
  admin: "Administrator",
};

function hubStatus(value: unknown): string {
  return typeof value === "string" && Object.hasOwn(STATUS_LABELS.hub, value)
    ? STATUS_LABELS.hub[value as RequestStatus]
    : String(value);
}

function outcomeLabel(value: unknown): string | null {
  return typeof value === "string" && Object.hasOwn(CLOSE_OUTCOMES, value)
    ? CLOSE_OUTCOMES[value as keyof typeof CLOSE_OUTCOMES]
    : null;
}

/** "Sam Jones (Coordinator)", "Amy Lee (the person who asked)", "StayWell" for the system. */
export function actorLabel(entry: Pick<HubTimelineEntry, "actorName" | "actorRole" | "byRequester">): string {
  if (!entry.actorName) return "StayWell";
  if (entry.byRequester) return `${entry.actorName} (the person who asked)`;
  return entry.actorRole ? `${entry.actorName} (${ROLE_LABELS[entry.actorRole] ?? entry.actorRole})` : entry.actorName;
}

function Byline({ entry, verb }: { entry: HubTimelineEntry; verb: string }) {
  return (
    <p className="nhsuk-body-s nhsuk-u-secondary-text-colour nhsuk-u-margin-bottom-0">
      {verb} {actorLabel(entry)} on <When at={entry.createdAt} />
    </p>
  );
}

function Card({
  variant,
  heading,
  children,
}: {
  variant?: "warning" | "feature";
  heading: ReactNode;
  children: ReactNode;
}) {
  return (
    <div
      className={
        variant ? `nhsuk-card nhsuk-card--${variant} nhsuk-u-margin-bottom-4` : "nhsuk-card nhsuk-u-margin-bottom-4"
      }
    >
      <div className="nhsuk-card__content">
        <h3 className="nhsuk-card__heading nhsuk-heading-s">{heading}</h3>
        {children}
      </div>
    </div>
  );
}

function Line({ entry, children }: { entry: HubTimelineEntry; children: ReactNode }) {
  return (
    <div className="nhsuk-u-margin-bottom-4">
      <p className="nhsuk-body nhsuk-u-margin-bottom-1">
        <strong>{children}</strong>
      </p>
      <Byline entry={entry} verb="By" />
    </div>
  );
}

function Entry({
  entry,
  requesterName,
  requesterFirstName,
}: {
  entry: HubTimelineEntry;
  requesterName: string;
  requesterFirstName: string;
}) {
  switch (entry.kind) {
    case "internal_note":
      return (
        <Card variant="warning" heading={`Internal note — not shown to ${requesterFirstName}`}>
          <p className="staywell-pre-wrap">{entry.body}</p>
          <Byline entry={entry} verb="Written by" />
        </Card>
      );
    case "message_to_staff":
      return (
        <Card heading={`Message to ${requesterName}`}>
          <p className="staywell-pre-wrap">{entry.body}</p>
          <Byline entry={entry} verb="Sent by" />
        </Card>
      );
    case "message_from_staff":
      return (
        <Card variant="feature" heading={`Message from ${entry.actorName ?? requesterName}`}>
          <p className="staywell-pre-wrap">{entry.body}</p>
          <Byline entry={entry} verb="Sent by" />
        </Card>
      );
    case "status_changed": {
      const from = entry.data?.from;
      const to = entry.data?.to;
      const outcome = outcomeLabel(entry.data?.outcome);
      const retention =
        typeof entry.data?.retentionOutcome === "string" ? retentionOutcomeLabel(entry.data.retentionOutcome) : null;
      const text =
        from === "closed" && to === "in_progress"
          ? `Reopened: ${hubStatus(from)} to ${hubStatus(to)}`
          : from
            ? `Status changed from ${hubStatus(from)} to ${hubStatus(to)}`
            : `Status changed to ${hubStatus(to)}`;
      return (
        <Line entry={entry}>
          {text}
          {outcome ? ` (outcome: ${outcome})` : null}
          {retention ? ` (retention outcome: ${retention})` : null}
        </Line>
      );
    }
    case "assigned": {
      const name =
        entry.assigneeName ?? (typeof entry.data?.assigneeName === "string" ? entry.data.assigneeName : null);
      return <Line entry={entry}>{name ? `Assigned to ${name}` : "Unassigned: nobody is looking after it"}</Line>;
    }
    case "submitted":
      return <Line entry={entry}>Request sent</Line>;
    case "withdrawn":
      return (
        <div className="nhsuk-u-margin-bottom-4">
          <p className="nhsuk-body nhsuk-u-margin-bottom-1">
            <strong>Request withdrawn</strong>
          </p>
          {entry.body ? <p className="staywell-pre-wrap nhsuk-u-margin-bottom-1">Reason: {entry.body}</p> : null}
          <Byline entry={entry} verb="By" />
        </div>
      );
    case "viewed":
      return <Line entry={entry}>Viewed</Line>;
    case "consent_withdrawn":
      return <Line entry={entry}>Consent to contact the line manager withdrawn</Line>;
    case "consent_given":
      return <Line entry={entry}>Consent to contact the line manager given</Line>;
    case "manager_contacted":
      // The person sees that it happened, never this note.
      return (
        <Card heading={`Line manager contacted — the note is not shown to ${requesterFirstName}`}>
          <p className="staywell-pre-wrap">{entry.body}</p>
          <Byline entry={entry} verb="Recorded by" />
        </Card>
      );
    default:
      return <Line entry={entry}>Update</Line>;
  }
}

export function HubTimeline({
  events,
  requesterName,
  requesterFirstName,
}: {
  events: HubTimelineEntry[];
  requesterName: string;
  requesterFirstName: string;
}) {
  if (events.length === 0) return <p>Nothing has happened on this request yet.</p>;
  return (
    <ol className="nhsuk-list staywell-hub-timeline">
      {events.map((entry) => (
        <li
          key={entry.id}
          data-kind={entry.kind}
          data-new={entry.isNew ? "" : undefined}
          className={entry.isNew ? "staywell-timeline-new" : undefined}
        >
          {entry.isNew ? (
            // Text, not colour alone: read first by screen readers, visible to everyone.
            <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">
              <strong className="nhsuk-tag nhsuk-tag--blue">New since you last looked</strong>
            </p>
          ) : null}
          <Entry entry={entry} requesterName={requesterName} requesterFirstName={requesterFirstName} />
        </li>
      ))}
    </ol>
  );
}
