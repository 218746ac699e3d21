// A request's status as an NHS.UK tag. Labels are the requester's words ("Waiting for you").
import type { RequestStatus } from "@db/schema";

export const statusLabels: Record<RequestStatus, string> = {
  new: "New",
  triaged: "Triaged",
  in_progress: "In progress",
  waiting_on_staff: "Waiting for you",
  referred: "Referred",
  closed: "Closed",
  withdrawn: "Withdrawn",
};

export const statusColours: Record<RequestStatus, string> = {
  new: "blue",
  triaged: "purple",
  in_progress: "aqua-green",
  waiting_on_staff: "yellow",
  referred: "orange",
  closed: "grey",
  withdrawn: "white",
};

export function statusLabel(status: RequestStatus | string): string {
  return statusLabels[status as RequestStatus] ?? String(status);
}

export function StatusTag({ status }: { status: RequestStatus }) {
  const colour = statusColours[status];
  return <strong className={colour ? `nhsuk-tag nhsuk-tag--${colour}` : "nhsuk-tag"}>{statusLabel(status)}</strong>;
}

export function UrgentTag() {
  return <strong className="nhsuk-tag nhsuk-tag--red">Urgent</strong>;
}
