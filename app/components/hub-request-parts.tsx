// Small pieces of the hub request page: the hub's status tag, the overdue tag, dates and times.
// (The select field and the success banner are in the NHS.UK kit: app/components/nhsuk/.)
import { formatDateTime } from "./format";
import type { RequestStatus } from "@db/schema";
import { STATUS_LABELS } from "~/lib/request-status";
import { statusColours } from "./status-tag";

/** A status in the hub's words ("Waiting on staff"). */
export function HubStatusTag({ status }: { status: RequestStatus }) {
  const colour = statusColours[status];
  return (
    <strong className={colour ? `nhsuk-tag nhsuk-tag--${colour}` : "nhsuk-tag"}>{STATUS_LABELS.hub[status]}</strong>
  );
}

export function OverdueTag() {
  return <strong className="nhsuk-tag nhsuk-tag--red">Overdue</strong>;
}

/** "5 March 2026 at 12:05pm" (London time). */
export const formatHubDateTime = formatDateTime;

/** A <time> element with the London date and time. */
export function When({ at }: { at: Date | string }) {
  const d = new Date(at);
  return <time dateTime={d.toISOString()}>{formatHubDateTime(d)}</time>;
}

/** The person chose their organisation (a shared address such as nhs.net); no administrator has confirmed it yet. */
export function SelfDeclaredTag() {
  return (
    <>
      {" "}
      <strong className="nhsuk-tag nhsuk-tag--yellow staywell-nowrap" data-self-declared="">
        Self-declared
      </strong>
    </>
  );
}
