// A request's triage priority as an NHS.UK tag, for the hub's queue and request page. Its own
// small module: the request page shows it without loading the queue's table (issue 11, goal 4).
import { priorityTags, type RequestPriorityValue } from "~/lib/request-priority";

/** "At risk" / "Safety check" / "Urgent" (NHS.UK tag); nothing for normal priority. Kept after first contact. */
export function PriorityTag({ priority }: { priority: RequestPriorityValue }) {
  const label = priorityTags[priority];
  if (!label) return null;
  const colour = priority === "safety_check" ? "orange" : "red";
  return (
    <>
      {" "}
      <strong className={`nhsuk-tag nhsuk-tag--${colour}`} data-priority={priority}>
        {label}
      </strong>
    </>
  );
}
